/* test-csv-infer.c: value classes, their lattice, epoch times and units
 * in header names (rf-infer.h). */
#include "config.h"

#include <string.h>

#include "rf-infer.h"
#include "rf-test-util.h"

static RfValueClass
class_of (const char *text,
          char        mark)
{
  return rf_value_class_of (text, strlen (text), mark);
}

static void
test_class_of (void)
{
  struct { const char *text; char mark; RfValueClass klass; } cases[] = {
    { "", '.', RF_VALUE_CLASS_NA },
    { "NA", '.', RF_VALUE_CLASS_NA },
    { " - ", '.', RF_VALUE_CLASS_NA },
    { "true", '.', RF_VALUE_CLASS_BOOL },
    { "No", '.', RF_VALUE_CLASS_BOOL },
    { "0", '.', RF_VALUE_CLASS_INT },
    { "-17", '.', RF_VALUE_CLASS_INT },
    { " 42 ", '.', RF_VALUE_CLASS_INT },
    { "9007199254740993", '.', RF_VALUE_CLASS_INT },
    { "01234", '.', RF_VALUE_CLASS_STRING },
    { "-007", '.', RF_VALUE_CLASS_STRING },
    { "123456789012345678901234567890", '.', RF_VALUE_CLASS_DOUBLE },
    { "21.5", '.', RF_VALUE_CLASS_DOUBLE },
    { "4e3", '.', RF_VALUE_CLASS_DOUBLE },
    { "inf", '.', RF_VALUE_CLASS_DOUBLE },
    { "21,5", '.', RF_VALUE_CLASS_STRING },
    { "21,5", ',', RF_VALUE_CLASS_DOUBLE },
    { "1.013,25", ',', RF_VALUE_CLASS_DOUBLE },
    { "2024-03-01T00:00:00.125Z", '.', RF_VALUE_CLASS_ISO },
    { "2024-03-01 08:00:00", '.', RF_VALUE_CLASS_ISO },
    { "2024-03-01", '.', RF_VALUE_CLASS_ISO },
    { "01.03.2024 00:00:00,500", ',', RF_VALUE_CLASS_DMY_DOT },
    { "01.03.2024", '.', RF_VALUE_CLASS_DMY_DOT },
    { "03/01/2024 01:02:03 PM", '.', RF_VALUE_CLASS_SLASH },
    { "03/01/2024 13:02:03", '.', RF_VALUE_CLASS_SLASH },
    { "12/31/2024 11:00:00 PM", '.', RF_VALUE_CLASS_MDY_SLASH },
    { "31/12/2024 23:00:00", '.', RF_VALUE_CLASS_DMY_SLASH },
    { "M14860", '.', RF_VALUE_CLASS_STRING },
    { "FIC101.PV", '.', RF_VALUE_CLASS_STRING },
    { "2024-02-30", '.', RF_VALUE_CLASS_STRING },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RfValueClass klass = class_of (cases[i].text, cases[i].mark);
      if (klass != cases[i].klass)
        g_error ("“%s”: class %s, expected %s", cases[i].text, rf_value_class_to_string (klass),
                 rf_value_class_to_string (cases[i].klass));
    }
}

static void
test_join (void)
{
  /* a few exact joins */
  g_assert_cmpint (rf_value_class_join (RF_VALUE_CLASS_NA, RF_VALUE_CLASS_INT), ==, RF_VALUE_CLASS_INT);
  g_assert_cmpint (rf_value_class_join (RF_VALUE_CLASS_INT, RF_VALUE_CLASS_DOUBLE), ==, RF_VALUE_CLASS_DOUBLE);
  g_assert_cmpint (rf_value_class_join (RF_VALUE_CLASS_DOUBLE, RF_VALUE_CLASS_INT), ==, RF_VALUE_CLASS_DOUBLE);
  g_assert_cmpint (rf_value_class_join (RF_VALUE_CLASS_INT, RF_VALUE_CLASS_BOOL), ==, RF_VALUE_CLASS_STRING);
  g_assert_cmpint (rf_value_class_join (RF_VALUE_CLASS_SLASH, RF_VALUE_CLASS_DMY_SLASH), ==,
                   RF_VALUE_CLASS_DMY_SLASH);
  g_assert_cmpint (rf_value_class_join (RF_VALUE_CLASS_MDY_SLASH, RF_VALUE_CLASS_DMY_SLASH), ==,
                   RF_VALUE_CLASS_STRING);
  g_assert_cmpint (rf_value_class_join (RF_VALUE_CLASS_ISO, RF_VALUE_CLASS_DMY_DOT), ==, RF_VALUE_CLASS_STRING);
  g_assert_cmpint (rf_value_class_join (RF_VALUE_CLASS_ISO, RF_VALUE_CLASS_NA), ==, RF_VALUE_CLASS_ISO);

  /* a join semilattice: commutative, associative, idempotent, NA the
   * identity, STRING absorbing; so the order of the values never matters */
  for (int a = 0; a <= RF_VALUE_CLASS_STRING; a++)
    for (int b = 0; b <= RF_VALUE_CLASS_STRING; b++)
      {
        RfValueClass ab = rf_value_class_join (a, b);

        g_assert_cmpint (ab, ==, rf_value_class_join (b, a));
        g_assert_cmpint (rf_value_class_join (a, a), ==, a);
        g_assert_cmpint (rf_value_class_join (RF_VALUE_CLASS_NA, a), ==, a);
        g_assert_cmpint (rf_value_class_join (RF_VALUE_CLASS_STRING, a), ==, RF_VALUE_CLASS_STRING);
        /* a and b are below their join */
        g_assert_cmpint (rf_value_class_join (ab, a), ==, ab);
        g_assert_cmpint (rf_value_class_join (ab, b), ==, ab);
        for (int c = 0; c <= RF_VALUE_CLASS_STRING; c++)
          g_assert_cmpint (rf_value_class_join (ab, c), ==, rf_value_class_join (a, rf_value_class_join (b, c)));
      }
}

static void
test_epoch (void)
{
  RfTimestampFormat format;

  g_assert_cmpint (rf_epoch_state_of (1709294400), ==, RF_EPOCH_SECONDS);
  g_assert_cmpint (rf_epoch_state_of (G_GINT64_CONSTANT (1709294400250)), ==, RF_EPOCH_MILLISECONDS);
  g_assert_cmpint (rf_epoch_state_of (20240301), ==, RF_EPOCH_NONE);
  g_assert_cmpint (rf_epoch_state_of (-1709294400), ==, RF_EPOCH_NONE);
  g_assert_cmpint (rf_epoch_state_of (RF_EPOCH_MIN_SECONDS - 1), ==, RF_EPOCH_NONE);
  g_assert_cmpint (rf_epoch_state_of (RF_EPOCH_MIN_SECONDS), ==, RF_EPOCH_SECONDS);
  g_assert_cmpint (rf_epoch_state_of (RF_EPOCH_MAX_SECONDS), ==, RF_EPOCH_NONE);

  for (int a = 0; a <= RF_EPOCH_NONE; a++)
    for (int b = 0; b <= RF_EPOCH_NONE; b++)
      {
        g_assert_cmpint (rf_epoch_state_join (a, b), ==, rf_epoch_state_join (b, a));
        for (int c = 0; c <= RF_EPOCH_NONE; c++)
          g_assert_cmpint (rf_epoch_state_join (rf_epoch_state_join (a, b), c), ==,
                           rf_epoch_state_join (a, rf_epoch_state_join (b, c)));
      }
  g_assert_cmpint (rf_epoch_state_join (RF_EPOCH_SECONDS, RF_EPOCH_MILLISECONDS), ==, RF_EPOCH_NONE);
  g_assert_cmpint (rf_epoch_state_join (RF_EPOCH_UNSEEN, RF_EPOCH_SECONDS), ==, RF_EPOCH_SECONDS);

  g_assert_cmpint (rf_infer_column_type (RF_VALUE_CLASS_INT, TRUE, RF_EPOCH_SECONDS, &format), ==,
                   RF_COLUMN_TIMESTAMP);
  g_assert_cmpint (format, ==, RF_TIMESTAMP_FORMAT_EPOCH_S);
  g_assert_cmpint (rf_infer_column_type (RF_VALUE_CLASS_INT, TRUE, RF_EPOCH_MILLISECONDS, &format), ==,
                   RF_COLUMN_TIMESTAMP);
  g_assert_cmpint (format, ==, RF_TIMESTAMP_FORMAT_EPOCH_MS);
  g_assert_cmpint (rf_infer_column_type (RF_VALUE_CLASS_INT, FALSE, RF_EPOCH_SECONDS, &format), ==,
                   RF_COLUMN_INT64);
  g_assert_cmpint (format, ==, RF_TIMESTAMP_FORMAT_UNKNOWN);
  g_assert_cmpint (rf_infer_column_type (RF_VALUE_CLASS_INT, TRUE, RF_EPOCH_NONE, &format), ==, RF_COLUMN_INT64);

  g_assert_true (rf_infer_name_is_time ("Timestamp"));
  g_assert_true (rf_infer_name_is_time ("epoch_ms"));
  g_assert_true (rf_infer_name_is_time ("Zeitstempel"));
  g_assert_true (rf_infer_name_is_time ("DATE"));
  g_assert_false (rf_infer_name_is_time ("cycle"));
  g_assert_false (rf_infer_name_is_time ("s_2"));
}

static void
test_column_type (void)
{
  struct { RfValueClass klass; RfColumnType type; RfTimestampFormat format; } cases[] = {
    { RF_VALUE_CLASS_NA, RF_COLUMN_STRING, RF_TIMESTAMP_FORMAT_UNKNOWN },
    { RF_VALUE_CLASS_BOOL, RF_COLUMN_BOOL, RF_TIMESTAMP_FORMAT_UNKNOWN },
    { RF_VALUE_CLASS_INT, RF_COLUMN_INT64, RF_TIMESTAMP_FORMAT_UNKNOWN },
    { RF_VALUE_CLASS_DOUBLE, RF_COLUMN_DOUBLE, RF_TIMESTAMP_FORMAT_UNKNOWN },
    { RF_VALUE_CLASS_ISO, RF_COLUMN_TIMESTAMP, RF_TIMESTAMP_FORMAT_ISO },
    { RF_VALUE_CLASS_DMY_DOT, RF_COLUMN_TIMESTAMP, RF_TIMESTAMP_FORMAT_DMY_DOT },
    { RF_VALUE_CLASS_SLASH, RF_COLUMN_TIMESTAMP, RF_TIMESTAMP_FORMAT_MDY_SLASH },
    { RF_VALUE_CLASS_MDY_SLASH, RF_COLUMN_TIMESTAMP, RF_TIMESTAMP_FORMAT_MDY_SLASH },
    { RF_VALUE_CLASS_DMY_SLASH, RF_COLUMN_TIMESTAMP, RF_TIMESTAMP_FORMAT_DMY_SLASH },
    { RF_VALUE_CLASS_STRING, RF_COLUMN_STRING, RF_TIMESTAMP_FORMAT_UNKNOWN },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RfTimestampFormat format = RF_TIMESTAMP_FORMAT_EPOCH_MS;
      g_assert_cmpint (rf_infer_column_type (cases[i].klass, FALSE, RF_EPOCH_UNSEEN, &format), ==, cases[i].type);
      g_assert_cmpint (format, ==, cases[i].format);
    }
}

static void
test_units (void)
{
  struct { const char *name; const char *unit; } cases[] = {
    { "Air temperature [K]", "K" },
    { "Rotational speed [rpm]", "rpm" },
    { "Temp [°C]", "°C" },
    { "temp (°C)", "°C" },
    { "Flow (m³/h)", "m³/h" },
    { "Humidity (%)", "%" },
    { "Pressure [ bar ]  ", "bar" },
    { "Vibration [mm/s RMS]", "mm/s RMS" },
    { "Pump (line 2)", NULL },
    { "Sensor (1)", NULL },
    { "Temperatur °C", NULL },
    { "[K]", NULL },
    { "value []", NULL },
    { "a [b] c", NULL },
    { "x [a]b]", NULL },
    { "", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *unit = rf_infer_unit_from_name (cases[i].name);
      if (g_strcmp0 (unit, cases[i].unit) != 0)
        g_error ("“%s”: unit “%s”, expected “%s”", cases[i].name, unit ? unit : "(none)",
                 cases[i].unit ? cases[i].unit : "(none)");
    }
  g_assert_null (rf_infer_unit_from_name (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/csv/infer/class-of", test_class_of);
  g_test_add_func ("/rf/csv/infer/join", test_join);
  g_test_add_func ("/rf/csv/infer/epoch", test_epoch);
  g_test_add_func ("/rf/csv/infer/column-type", test_column_type);
  g_test_add_func ("/rf/csv/infer/units", test_units);

  return g_test_run ();
}

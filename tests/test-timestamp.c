#include "config.h"

#include <string.h>

#include "refinery.h"
#include "rf-test-util.h"

typedef struct
{
  const char *text;
  RfTimestampFormat format;
  int y, mo, d, h, mi, s, us;
  int offset_minutes;   /* east of UTC, applied by the parser */
} ParseCase;

static const ParseCase valid_cases[] = {
  { "2024-03-01", RF_TIMESTAMP_FORMAT_ISO, 2024, 3, 1, 0, 0, 0, 0, 0 },
  { "2024-03-01T12:30", RF_TIMESTAMP_FORMAT_ISO, 2024, 3, 1, 12, 30, 0, 0, 0 },
  { "2024-03-01 12:30:05", RF_TIMESTAMP_FORMAT_ISO, 2024, 3, 1, 12, 30, 5, 0, 0 },
  { "2024-03-01T12:30:05.25Z", RF_TIMESTAMP_FORMAT_ISO, 2024, 3, 1, 12, 30, 5, 250000, 0 },
  { "2024-03-01T12:30:05.123456789", RF_TIMESTAMP_FORMAT_ISO, 2024, 3, 1, 12, 30, 5, 123456, 0 },
  { "2024-03-01T12:30:05+01:00", RF_TIMESTAMP_FORMAT_ISO, 2024, 3, 1, 12, 30, 5, 0, 60 },
  { "2024-03-01T12:30:05-0530", RF_TIMESTAMP_FORMAT_ISO, 2024, 3, 1, 12, 30, 5, 0, -330 },
  { "  2024/03/01 07:00:00  ", RF_TIMESTAMP_FORMAT_ISO, 2024, 3, 1, 7, 0, 0, 0, 0 },
  { "2024-02-29", RF_TIMESTAMP_FORMAT_ISO, 2024, 2, 29, 0, 0, 0, 0, 0 },
  { "01.03.2024 00:00:01", RF_TIMESTAMP_FORMAT_DMY_DOT, 2024, 3, 1, 0, 0, 1, 0, 0 },
  { "01.03.2024 00:00:01,125", RF_TIMESTAMP_FORMAT_DMY_DOT, 2024, 3, 1, 0, 0, 1, 125000, 0 },
  { "1.3.2024", RF_TIMESTAMP_FORMAT_DMY_DOT, 2024, 3, 1, 0, 0, 0, 0, 0 },
  { "03/01/2024 01:15:00 PM", RF_TIMESTAMP_FORMAT_MDY_SLASH, 2024, 3, 1, 13, 15, 0, 0, 0 },
  { "03/01/2024 12:15:00 AM", RF_TIMESTAMP_FORMAT_MDY_SLASH, 2024, 3, 1, 0, 15, 0, 0, 0 },
  { "03/01/2024 12:15:00 pm", RF_TIMESTAMP_FORMAT_MDY_SLASH, 2024, 3, 1, 12, 15, 0, 0, 0 },
  { "3/1/2024 23:59:59", RF_TIMESTAMP_FORMAT_MDY_SLASH, 2024, 3, 1, 23, 59, 59, 0, 0 },
  { "25/12/2023 08:00", RF_TIMESTAMP_FORMAT_DMY_SLASH, 2023, 12, 25, 8, 0, 0, 0, 0 },
  { "1709294400", RF_TIMESTAMP_FORMAT_EPOCH_S, 2024, 3, 1, 12, 0, 0, 0, 0 },
  { "1709294400.5", RF_TIMESTAMP_FORMAT_EPOCH_S, 2024, 3, 1, 12, 0, 0, 500000, 0 },
  { "1709294400250", RF_TIMESTAMP_FORMAT_EPOCH_MS, 2024, 3, 1, 12, 0, 0, 250000, 0 },
  { "1969-12-31T23:59:59.5Z", RF_TIMESTAMP_FORMAT_ISO, 1969, 12, 31, 23, 59, 59, 500000, 0 },
};

static const struct { const char *text; RfTimestampFormat format; } invalid_cases[] = {
  { "", RF_TIMESTAMP_FORMAT_ISO },
  { "2024-13-01", RF_TIMESTAMP_FORMAT_ISO },
  { "2023-02-29", RF_TIMESTAMP_FORMAT_ISO },
  { "2024-03-01T25:00", RF_TIMESTAMP_FORMAT_ISO },
  { "2024-03-01T12:30:05+25:00", RF_TIMESTAMP_FORMAT_ISO },
  { "2024-03-01 garbage", RF_TIMESTAMP_FORMAT_ISO },
  { "20240301", RF_TIMESTAMP_FORMAT_ISO },
  { "32.01.2024", RF_TIMESTAMP_FORMAT_DMY_DOT },
  { "13/01/2024", RF_TIMESTAMP_FORMAT_MDY_SLASH },
  { "01/01/2024 13:00 PM", RF_TIMESTAMP_FORMAT_MDY_SLASH },
  { "12.5", RF_TIMESTAMP_FORMAT_ISO },
  { "abc", RF_TIMESTAMP_FORMAT_EPOCH_S },
  { "99999999999999999999", RF_TIMESTAMP_FORMAT_EPOCH_S },
};

static void
test_parse_valid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (valid_cases); i++)
    {
      const ParseCase *c = &valid_cases[i];
      gint64 got = 0;
      gint64 expected = rf_timestamp_from_civil (c->y, c->mo, c->d, c->h, c->mi, c->s, c->us) -
                        (gint64) c->offset_minutes * 60 * G_USEC_PER_SEC;

      g_test_message ("%s", c->text);
      g_assert_true (rf_timestamp_parse (c->text, strlen (c->text), c->format, &got));
      g_assert_cmpint (got, ==, expected);
    }
}

static void
test_parse_invalid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      gint64 got = 42;
      g_test_message ("%s", invalid_cases[i].text);
      g_assert_false (rf_timestamp_parse (invalid_cases[i].text, strlen (invalid_cases[i].text),
                                          invalid_cases[i].format, &got));
      g_assert_cmpint (got, ==, 42);
    }
}

static void
test_known_epochs (void)
{
  g_assert_cmpint (rf_timestamp_from_civil (1970, 1, 1, 0, 0, 0, 0), ==, 0);
  g_assert_cmpint (rf_timestamp_from_civil (2024, 3, 1, 12, 0, 0, 0), ==, G_GINT64_CONSTANT (1709294400) * G_USEC_PER_SEC);
  g_assert_cmpint (rf_timestamp_from_civil (2000, 2, 29, 0, 0, 0, 0), ==, G_GINT64_CONSTANT (951782400) * G_USEC_PER_SEC);
  g_assert_cmpint (rf_timestamp_from_civil (1900, 1, 1, 0, 0, 0, 0), ==, G_GINT64_CONSTANT (-2208988800) * G_USEC_PER_SEC);
}

static void
test_civil_round_trip (void)
{
  /* Every day from 1600 to 2400, in both directions. */
  gint64 start = rf_timestamp_from_civil (1600, 1, 1, 0, 0, 0, 0);
  gint64 end = rf_timestamp_from_civil (2400, 12, 31, 0, 0, 0, 0);
  gint64 day = G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC;

  for (gint64 t = start; t <= end; t += day)
    {
      int y, mo, d, h, mi, s, us;
      gint64 with_time = t + G_GINT64_CONSTANT (3723) * G_USEC_PER_SEC + 17;

      rf_timestamp_to_civil (with_time, &y, &mo, &d, &h, &mi, &s, &us);
      g_assert_cmpint (h, ==, 1);
      g_assert_cmpint (mi, ==, 2);
      g_assert_cmpint (s, ==, 3);
      g_assert_cmpint (us, ==, 17);
      g_assert_cmpint (rf_timestamp_from_civil (y, mo, d, h, mi, s, us), ==, with_time);
    }
}

static void
test_format (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  rf_timestamp_format (0, out);
  g_assert_cmpstr (out->str, ==, "1970-01-01T00:00:00Z");
  g_string_truncate (out, 0);
  rf_timestamp_format (-1, out);
  g_assert_cmpstr (out->str, ==, "1969-12-31T23:59:59.999999Z");
  g_string_truncate (out, 0);
  rf_timestamp_format (rf_timestamp_from_civil (2024, 3, 1, 12, 0, 0, 125000), out);
  g_assert_cmpstr (out->str, ==, "2024-03-01T12:00:00.125Z");
}

static void
test_detect (void)
{
  g_assert_cmpint (rf_timestamp_detect ("2024-03-01T00:00:00", 19), ==, RF_TIMESTAMP_FORMAT_ISO);
  g_assert_cmpint (rf_timestamp_detect ("01.03.2024 00:00:00", 19), ==, RF_TIMESTAMP_FORMAT_DMY_DOT);
  g_assert_cmpint (rf_timestamp_detect ("03/01/2024 01:00:00 PM", 22), ==, RF_TIMESTAMP_FORMAT_MDY_SLASH);
  g_assert_cmpint (rf_timestamp_detect ("13/01/2024 01:00:00", 19), ==, RF_TIMESTAMP_FORMAT_DMY_SLASH);
  g_assert_cmpint (rf_timestamp_detect ("1709294400", 10), ==, RF_TIMESTAMP_FORMAT_UNKNOWN);
  g_assert_cmpint (rf_timestamp_detect ("TI_101", 6), ==, RF_TIMESTAMP_FORMAT_UNKNOWN);
}

static void
test_format_names (void)
{
  RfTimestampFormat f;

  for (guint i = 0; i < RF_TIMESTAMP_N_FORMATS; i++)
    {
      g_assert_true (rf_timestamp_format_from_string (rf_timestamp_format_to_string (i), &f));
      g_assert_cmpint (f, ==, i);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/timestamp/parse-valid", test_parse_valid);
  g_test_add_func ("/rf/timestamp/parse-invalid", test_parse_invalid);
  g_test_add_func ("/rf/timestamp/known-epochs", test_known_epochs);
  g_test_add_func ("/rf/timestamp/civil-round-trip", test_civil_round_trip);
  g_test_add_func ("/rf/timestamp/format", test_format);
  g_test_add_func ("/rf/timestamp/detect", test_detect);
  g_test_add_func ("/rf/timestamp/format-names", test_format_names);
  return g_test_run ();
}

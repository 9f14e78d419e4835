#include "config.h"

#include <math.h>

#include "rf-error.h"
#include "rf-units.h"

static const char *
symbol_of (const char *text)
{
  const RfUnit *unit = rf_unit_lookup (text);

  return unit != NULL ? rf_unit_get_symbol (unit) : NULL;
}

static void
test_lookup_spellings (void)
{
  static const struct { const char *text; const char *symbol; } cases[] = {
    { "degC", "degC" }, { "°C", "degC" }, { "° C", "degC" }, { "deg C", "degC" }, { "C", "degC" },
    { "Celsius", "degC" }, { "degrees C", "degC" }, { "℃", "degC" }, { "(°C)", "degC" },
    { "°F", "degF" }, { "deg F", "degF" }, { "Deg.F", "degF" }, { "F", "degF" }, { "fahrenheit", "degF" },
    { "degree F", "degF" }, { "℉", "degF" }, { "K", "K" }, { "°R", "degR" }, { "Rankine", "degR" },
    { "psi", "psi" }, { "PSI", "psi" }, { "psig", "psi" }, { "PSIA", "psi" }, { "bar", "bar" },
    { "barg", "bar" }, { "kPa", "kPa" }, { "KPA", "kPa" }, { "mbar", "mbar" }, { "MPa", "MPa" },
    { "in H2O", "inH2O" }, { "inWC", "inH2O" },
    { "in/s", "in/s" }, { "ips", "in/s" }, { "IPS", "in/s" }, { "mm/s", "mm/s" }, { "mm per s", "mm/s" },
    { "mm/min", "mm/min" }, { "mm per min", "mm/min" }, { "g", "g" }, { "G", "g" }, { "m/s²", "m/s2" },
    { "m/s^2", "m/s2" },
    { "gpm", "gpm" }, { "GPM", "gpm" }, { "gal/min", "gpm" }, { "l/min", "l/min" }, { "L/min", "l/min" },
    { "lpm", "l/min" }, { "m³/h", "m3/h" }, { "m3/hr", "m3/h" }, { "m^3/h", "m3/h" }, { "cfm", "cfm" },
    { "kW", "kW" }, { "kw", "kW" }, { "KW", "kW" }, { "MW", "MW" }, { "hp", "hp" }, { "kWh", "kWh" },
    { "A", "A" }, { "amps", "A" }, { "Amps", "A" }, { "mA", "mA" }, { "V", "V" }, { "kV", "kV" },
    { "VAC", "V" }, { "rpm", "rpm" }, { "RPM", "rpm" }, { "r/min", "rpm" }, { "Hz", "Hz" },
    { "µm", "um" }, { "μm", "um" }, { "um", "um" }, { "micron", "um" }, { "mm", "mm" }, { "mils", "mil" },
    { "in", "in" }, { "ft", "ft" }, { "s", "s" }, { "sec", "s" }, { "min", "min" }, { "h", "h" },
    { "hrs", "h" }, { "hours", "h" }, { "days", "d" }, { "%", "%" }, { "pct", "%" }, { "percent", "%" },
    { "cycles", "cycles" }, { "Nm", "N.m" }, { "N·m", "N.m" }, { "ft-lb", "lbf.ft" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("“%s”", cases[i].text);
      g_assert_cmpstr (symbol_of (cases[i].text), ==, cases[i].symbol);
    }
}

static void
test_lookup_unknown (void)
{
  static const char * const unknown[] = {
    "", " ", "()", "temperature", "degX", "bearing", "q", "mW", "€", "mm/s/s/s",
    "a very long text that is certainly not a unit of anything at all",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_test_message ("“%s”", unknown[i]);
      g_assert_null (rf_unit_lookup (unknown[i]));
    }
  g_assert_null (rf_unit_lookup (NULL));
  /* bytes that are not UTF-8 */
  g_assert_null (rf_unit_lookup ("\xff\xfe"));
}

static void
test_dimensions (void)
{
  g_assert_cmpint (rf_unit_get_dimension (rf_unit_lookup ("degF")), ==, RF_DIMENSION_TEMPERATURE);
  g_assert_cmpint (rf_unit_get_dimension (rf_unit_lookup ("ips")), ==, RF_DIMENSION_VELOCITY);
  g_assert_cmpint (rf_unit_get_dimension (rf_unit_lookup ("g")), ==, RF_DIMENSION_ACCELERATION);
  g_assert_cmpint (rf_unit_get_dimension (rf_unit_lookup ("gpm")), ==, RF_DIMENSION_FLOW);
  g_assert_cmpint (rf_unit_get_dimension (rf_unit_lookup ("rpm")), ==, RF_DIMENSION_ROTATIONAL_SPEED);
  g_assert_cmpint (rf_unit_get_dimension (rf_unit_lookup ("cycles")), ==, RF_DIMENSION_COUNT);
  g_assert_cmpstr (rf_dimension_to_string (RF_DIMENSION_PRESSURE), ==, "pressure");
  g_assert_cmpstr (rf_dimension_to_string ((RfDimension) 999), ==, "none");
  g_assert_cmpstr (rf_unit_get_name (rf_unit_lookup ("gpm")), ==, "US gallon per minute");
  g_assert_true (rf_unit_can_convert (rf_unit_lookup ("psi"), rf_unit_lookup ("bar")));
  g_assert_false (rf_unit_can_convert (rf_unit_lookup ("psi"), rf_unit_lookup ("degC")));
}

static double
convert (const char *from,
         const char *to,
         double      value)
{
  const RfUnit *f = rf_unit_lookup (from);
  const RfUnit *t = rf_unit_lookup (to);

  g_assert_nonnull (f);
  g_assert_nonnull (t);
  return rf_unit_convert (f, t, value);
}

static void
test_conversions_exact (void)
{
  /* Correctly rounded results: the conversions work on exact integers. */
  g_assert_cmpfloat (convert ("degF", "degC", 185), ==, 85);
  g_assert_cmpfloat (convert ("degF", "degC", 32), ==, 0);
  g_assert_cmpfloat (convert ("degF", "degC", -40), ==, -40);
  g_assert_cmpfloat (convert ("degC", "degF", 100), ==, 212);
  g_assert_cmpfloat (convert ("K", "degC", 273.15), ==, 0);
  g_assert_cmpfloat (convert ("degC", "K", 26.85), ==, 300);
  g_assert_cmpfloat (convert ("degR", "K", 9), ==, 5);
  g_assert_cmpfloat (convert ("degR", "degF", 491.67), ==, 32);
  g_assert_cmpfloat (convert ("psi", "bar", 100), ==, 6.894757293168361);
  g_assert_cmpfloat (convert ("kPa", "bar", 250), ==, 2.5);
  g_assert_cmpfloat (convert ("mbar", "bar", 1013.25), ==, 1.01325);
  g_assert_cmpfloat (convert ("in/s", "mm/s", 1), ==, 25.4);
  g_assert_cmpfloat (convert ("in/s", "mm/s", 0.3), ==, 7.62);
  g_assert_cmpfloat (convert ("gpm", "l/min", 1), ==, 3.785411784);
  g_assert_cmpfloat (convert ("gpm", "m3/h", 100), ==, 22.712470704);
  g_assert_cmpfloat (convert ("l/s", "l/min", 2), ==, 120);
  g_assert_cmpfloat (convert ("W", "kW", 1500), ==, 1.5);
  g_assert_cmpfloat (convert ("mm", "um", 0.25), ==, 250);
  g_assert_cmpfloat (convert ("rpm", "Hz", 3000), ==, 50);
  g_assert_cmpfloat (convert ("g", "m/s2", 2), ==, 19.6133);
  g_assert_cmpfloat (convert ("d", "h", 1.5), ==, 36);
  g_assert_cmpfloat (convert ("%", "ppm", 1), ==, 10000);
  g_assert_cmpfloat (convert ("mph", "km/h", 10), ==, 16.09344);
  /* hp and rad/s are not finite decimals: close, not exact */
  g_assert_cmpfloat_with_epsilon (convert ("hp", "kW", 1), 0.74569987158227022, 1e-15);
  g_assert_cmpfloat_with_epsilon (convert ("rad/s", "rpm", 2 * G_PI), 60, 1e-12);
  /* the same unit is the identity, even for values that do not survive a
   * multiplication */
  g_assert_cmpfloat (convert ("bar", "bar", 0.1), ==, 0.1);
}

static void
test_conversion_mismatch (void)
{
  g_autoptr(GError) error = NULL;
  RfUnitConversion conversion;

  g_assert_false (rf_unit_get_conversion (rf_unit_lookup ("psi"), rf_unit_lookup ("degC"),
                                          &conversion, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Cannot convert psi (pressure) to degC (temperature): they measure different "
                   "things. Check the unit of the column and the unit of the sensor it is mapped to.");
  g_assert_true (isnan (convert ("rpm", "mm/s", 1)));
}

static void
test_conversion_inverse (void)
{
  const char * const pairs[][2] = {
    { "degF", "degC" }, { "psi", "bar" }, { "in/s", "mm/s" }, { "gpm", "m3/h" }, { "degR", "K" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      RfUnitConversion conversion;

      g_assert_true (rf_unit_get_conversion (rf_unit_lookup (pairs[i][0]), rf_unit_lookup (pairs[i][1]),
                                             &conversion, NULL));
      for (double x = -50; x <= 500; x += 12.5)
        g_assert_cmpfloat_with_epsilon (rf_unit_conversion_invert (&conversion,
                                                                   rf_unit_conversion_apply (&conversion, x)),
                                        x, 1e-12 * (1 + fabs (x)));
    }
}

static void
test_symbols_round_trip (void)
{
  const char * const *symbols = rf_unit_list_symbols ();
  guint n = 0;

  /* every canonical symbol finds itself, so profiles can use any of them */
  for (; symbols[n] != NULL; n++)
    {
      g_test_message ("%s", symbols[n]);
      g_assert_cmpstr (symbol_of (symbols[n]), ==, symbols[n]);
    }
  g_assert_cmpuint (n, >, 70);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/units/lookup-spellings", test_lookup_spellings);
  g_test_add_func ("/rf/units/lookup-unknown", test_lookup_unknown);
  g_test_add_func ("/rf/units/dimensions", test_dimensions);
  g_test_add_func ("/rf/units/conversions-exact", test_conversions_exact);
  g_test_add_func ("/rf/units/conversion-mismatch", test_conversion_mismatch);
  g_test_add_func ("/rf/units/conversion-inverse", test_conversion_inverse);
  g_test_add_func ("/rf/units/symbols-round-trip", test_symbols_round_trip);
  return g_test_run ();
}

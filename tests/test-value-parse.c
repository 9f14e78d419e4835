/* test-value-parse.c: NA tokens, numbers, booleans (rf-value-parse.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-rng.h"
#include "rf-test-util.h"
#include "rf-value-parse.h"

static gboolean
parse_double (const char *text,
              char        mark,
              double     *value)
{
  return rf_value_parse_double (text, strlen (text), mark, value);
}

static void
assert_double (const char *text,
               char        mark,
               double      expected)
{
  double value = -12345.0;

  if (!parse_double (text, mark, &value))
    g_error ("“%s” (mark %c) did not parse", text, mark);
  /* bit for bit: correct rounding, and the sign of zero */
  if (memcmp (&value, &expected, sizeof value) != 0)
    g_error ("“%s” (mark %c) gave %.17g, not %.17g", text, mark, value, expected);
}

static void
assert_not_double (const char *text,
                   char        mark)
{
  double value = 7.0;

  if (parse_double (text, mark, &value))
    g_error ("“%s” (mark %c) parsed as %.17g", text, mark, value);
  g_assert_cmpfloat (value, ==, 7.0);
}

static void
test_na (void)
{
  const char *na[] = { "", "  ", "NA", "na", "N/A", "n/a", "#N/A", "NaN", "nan", "NAN", "null", "NULL",
                       "None", "none", "-", " - ", "n.a.", "#NV", "\tNA\t" };
  const char *not_na[] = { "0", "--", "NAN!", "nothing", "Na Cl", "n", "#", "-1", "None2", "NULLS", "x" };

  for (gsize i = 0; i < G_N_ELEMENTS (na); i++)
    g_assert_true (rf_value_is_na (na[i], strlen (na[i])));
  for (gsize i = 0; i < G_N_ELEMENTS (not_na); i++)
    g_assert_false (rf_value_is_na (not_na[i], strlen (not_na[i])));
  /* a span, not a C string */
  g_assert_true (rf_value_is_na ("NA,1", 2));
  g_assert_false (rf_value_is_na ("NA,1", 3));
}

static void
test_int64 (void)
{
  struct { const char *text; gint64 value; } good[] = {
    { "0", 0 }, { "42", 42 }, { "-42", -42 }, { "+7", 7 }, { " 12 ", 12 }, { "007", 7 },
    { "9223372036854775807", G_MAXINT64 }, { "-9223372036854775808", G_MININT64 },
    { "9007199254740993", G_GINT64_CONSTANT (9007199254740993) },
  };
  const char *bad[] = { "", "-", "+", "1.0", "1e3", "12a", "a12", "9223372036854775808",
                        "-9223372036854775809", "18446744073709551616", "1 2", "0x10" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      gint64 value = -1;
      g_assert_true (rf_value_parse_int64 (good[i].text, strlen (good[i].text), &value));
      g_assert_cmpint (value, ==, good[i].value);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 value = 99;
      g_assert_false (rf_value_parse_int64 (bad[i], strlen (bad[i]), &value));
      g_assert_cmpint (value, ==, 99);
    }
}

static void
test_double_point (void)
{
  assert_double ("0", '.', 0.0);
  assert_double ("-0", '.', -0.0);
  assert_double ("-0.0", '.', -0.0);
  assert_double ("123.4567", '.', 123.4567);
  assert_double ("  21.5\t", '.', 21.5);
  assert_double ("+3.25", '.', 3.25);
  assert_double (".5", '.', 0.5);
  assert_double ("5.", '.', 5.0);
  assert_double ("-.25", '.', -0.25);
  assert_double ("1e3", '.', 1000.0);
  assert_double ("4E-2", '.', 0.04);
  assert_double ("1.5e+10", '.', 1.5e10);
  assert_double ("0.1", '.', 0.1);
  assert_double ("0.30000000000000004", '.', 0.30000000000000004);
  /* beyond the fast path: many digits, large exponents, subnormals */
  assert_double ("9007199254740993", '.', 9007199254740992.0);
  assert_double ("123456789012345678901234567890", '.', 1.2345678901234568e+29);
  assert_double ("3.141592653589793238462643383279", '.', 3.141592653589793);
  assert_double ("1e300", '.', 1e300);
  assert_double ("2.2250738585072014e-308", '.', 2.2250738585072014e-308);
  assert_double ("4.9e-324", '.', 4.9e-324);
  assert_double ("1e-400", '.', 0.0);
  assert_double ("1e400", '.', INFINITY);
  assert_double ("0e999999999", '.', 0.0);
  assert_double ("0.000000000000000000000000123", '.', 1.23e-25);
  assert_double ("inf", '.', INFINITY);
  assert_double ("-Infinity", '.', -INFINITY);
  assert_double ("+INF", '.', INFINITY);

  assert_not_double ("", '.');
  assert_not_double ("  ", '.');
  assert_not_double (".", '.');
  assert_not_double ("-", '.');
  assert_not_double ("1e", '.');
  assert_not_double ("1e+", '.');
  assert_not_double ("e5", '.');
  assert_not_double ("1.2.3", '.');
  assert_not_double ("21,5", '.');
  assert_not_double ("1 000", '.');
  assert_not_double ("0x1p3", '.');
  assert_not_double ("nan", '.');
  assert_not_double ("12abc", '.');
  assert_not_double ("infinite", '.');
}

static void
test_double_comma (void)
{
  assert_double ("21,5", ',', 21.5);
  assert_double ("-0,004", ',', -0.004);
  assert_double ("1.013,25", ',', 1013.25);
  assert_double ("12.345.678,5", ',', 12345678.5);
  assert_double ("1.013", ',', 1013.0);
  assert_double ("-1.000.000", ',', -1000000.0);
  assert_double ("4e3", ',', 4000.0);
  assert_double ("1,5e-3", ',', 0.0015);
  assert_double ("1.234,5e2", ',', 123450.0);

  assert_not_double ("21.5", ',');
  assert_not_double ("1234.567,5", ',');
  assert_not_double ("1.01,5", ',');
  assert_not_double ("1.0134,5", ',');
  assert_not_double (".013,5", ',');
  assert_not_double ("1,5.000", ',');
  assert_not_double ("1,013,25", ',');
}

/* Every generated decimal, bit for bit against g_ascii_strtod. */
static void
test_double_random (void)
{
  RfRng rng;
  char text[96], canonical[96];

  rf_rng_init (&rng, 20240301);
  for (int i = 0; i < 200000; i++)
    {
      int n = 0, digits = 1 + (int) rf_rng_below (&rng, 24), dot = (int) rf_rng_below (&rng, (guint64) digits + 1);
      char mark = rf_rng_below (&rng, 2) ? '.' : ',';
      gboolean with_dot = rf_rng_below (&rng, 3) != 0;
      double expected, value;

      if (rf_rng_below (&rng, 2))
        text[n++] = '-';
      for (int k = 0; k < digits; k++)
        {
          if (k == dot && with_dot)
            text[n++] = mark;
          text[n++] = (char) ('0' + rf_rng_below (&rng, 10));
        }
      if (rf_rng_below (&rng, 4) == 0)
        n += g_snprintf (text + n, sizeof text - n, "e%d", (int) rf_rng_below (&rng, 700) - 350);
      text[n] = '\0';
      for (int k = 0; k <= n; k++)
        canonical[k] = text[k] == mark ? '.' : text[k];
      expected = g_ascii_strtod (canonical, NULL);

      if (!rf_value_parse_double (text, (gsize) n, mark, &value))
        g_error ("“%s” did not parse", text);
      if (memcmp (&value, &expected, sizeof value) != 0)
        g_error ("“%s” gave %.17g, not %.17g", text, value, expected);
    }
}

static void
test_scan (void)
{
  const char *text = "123.4567,next";
  const char *end = text + strlen (text);
  double d = 0;
  gint64 i = 0;

  g_assert_true (rf_value_scan_double (text, end, '.', &d) == text + 8);
  g_assert_cmpfloat (d, ==, 123.4567);
  g_assert_true (rf_value_scan_int64 (text, end, &i) == text + 3);
  g_assert_cmpint (i, ==, 123);

  /* the exponent belongs to the number only with digits after it */
  text = "2e5x";
  g_assert_true (rf_value_scan_double (text, text + 4, '.', &d) == text + 3);
  g_assert_cmpfloat (d, ==, 2e5);
  text = "2ex";
  g_assert_true (rf_value_scan_double (text, text + 3, '.', &d) == text + 1);
  g_assert_cmpfloat (d, ==, 2.0);
  text = "21,5;";
  g_assert_true (rf_value_scan_double (text, text + 5, ',', &d) == text + 4);
  g_assert_cmpfloat (d, ==, 21.5);
  g_assert_true (rf_value_scan_double (text, text + 5, '.', &d) == text + 2);

  {
    const char *bad[] = { "abc", ".", "-x", "", "e5" };
    for (gsize k = 0; k < G_N_ELEMENTS (bad); k++)
      g_assert_null (rf_value_scan_double (bad[k], bad[k] + strlen (bad[k]), '.', &d));
    text = "-";
    g_assert_null (rf_value_scan_int64 (text, text + 1, &i));
    text = "99999999999999999999";
    g_assert_null (rf_value_scan_int64 (text, text + 20, &i));
  }

  /* 128 bytes or more is not a number, in both functions alike */
  {
    char longer[200];
    memset (longer, '0', sizeof longer);
    longer[0] = '1';
    memcpy (longer + 1, "e", 1);
    g_assert_null (rf_value_scan_double (longer, longer + 150, '.', &d));
    g_assert_false (rf_value_parse_double (longer, 150, '.', &d));
    g_assert_nonnull (rf_value_scan_double (longer, longer + 127, '.', &d));
    g_assert_cmpfloat (d, ==, 1.0);
  }
}

static void
test_bool (void)
{
  struct { const char *text; gboolean value; } good[] = {
    { "true", TRUE }, { "TRUE", TRUE }, { "True", TRUE }, { " yes ", TRUE }, { "Yes", TRUE },
    { "false", FALSE }, { "FALSE", FALSE }, { "no", FALSE }, { "No", FALSE },
  };
  const char *bad[] = { "", "1", "0", "t", "f", "y", "n", "truth", "nope" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      gboolean value = !good[i].value;
      g_assert_true (rf_value_parse_bool (good[i].text, strlen (good[i].text), &value));
      g_assert_cmpint (value, ==, good[i].value);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gboolean value = 5;
      g_assert_false (rf_value_parse_bool (bad[i], strlen (bad[i]), &value));
      g_assert_cmpint (value, ==, 5);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/value-parse/na", test_na);
  g_test_add_func ("/rf/value-parse/int64", test_int64);
  g_test_add_func ("/rf/value-parse/double-point", test_double_point);
  g_test_add_func ("/rf/value-parse/double-comma", test_double_comma);
  g_test_add_func ("/rf/value-parse/double-random", test_double_random);
  g_test_add_func ("/rf/value-parse/scan", test_scan);
  g_test_add_func ("/rf/value-parse/bool", test_bool);

  return g_test_run ();
}

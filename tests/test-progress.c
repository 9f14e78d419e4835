#include "config.h"

#include "refinery.h"
#include "rf-test-util.h"

static void
record (double      fraction,
        const char *message,
        gpointer    user_data)
{
  g_array_append_val ((GArray *) user_data, fraction);
}

static void
test_throttle_and_end (void)
{
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  RfProgress progress = rf_progress_init (record, seen);

  for (int i = 0; i <= 100000; i++)
    rf_progress_report (&progress, i / 100000.0, NULL);
  /* at most one report per 5 permille, plus the start and the end */
  g_assert_cmpuint (seen->len, <=, 202);
  g_assert_cmpuint (seen->len, >=, 100);
  g_assert_cmpfloat (g_array_index (seen, double, 0), ==, 0.0);
  g_assert_cmpfloat (g_array_index (seen, double, seen->len - 1), ==, 1.0);
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpfloat (g_array_index (seen, double, i), >, g_array_index (seen, double, i - 1));
}

static void
test_range (void)
{
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  RfProgress progress = rf_progress_init (record, seen);
  RfProgress second = rf_progress_range (&progress, 0.5, 1.0);
  RfProgress quarter = rf_progress_range (&second, 0.5, 1.0);

  rf_progress_report (&quarter, 0.0, NULL);
  rf_progress_report (&quarter, 1.0, NULL);
  rf_progress_report (&quarter, 7.0, NULL);   /* clamped, and the end is reported once */
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpfloat (g_array_index (seen, double, 0), ==, 0.75);
  g_assert_cmpfloat (g_array_index (seen, double, 1), ==, 1.0);
}

static void
test_null_is_silent (void)
{
  RfProgress silent = rf_progress_range (NULL, 0.0, 1.0);

  rf_progress_report (NULL, 0.5, "nothing");
  rf_progress_report (&silent, 0.5, "nothing");
  g_assert_null (silent.func);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/progress/throttle-and-end", test_throttle_and_end);
  g_test_add_func ("/rf/progress/range", test_range);
  g_test_add_func ("/rf/progress/null-is-silent", test_null_is_silent);
  return g_test_run ();
}

#include "config.h"

#include "refinery.h"
#include "rf-test-util.h"

static RfColumn *
make_doubles (const char *name,
              gsize       n)
{
  RfColumn *c = rf_column_new (name, RF_COLUMN_DOUBLE);
  for (gsize k = 0; k < n; k++)
    rf_column_append_double (c, (double) k);
  return c;
}

static void
test_add_find (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfColumn) a = make_doubles ("a", 5);
  g_autoptr(RfColumn) b = make_doubles ("b", 5);

  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 0);
  rf_table_add_column (table, a);
  rf_table_add_column (table, b);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 5);
  g_assert_cmpuint (rf_table_get_n_columns (table), ==, 2);
  g_assert_true (rf_table_find_column (table, "b") == b);
  g_assert_cmpint (rf_table_find_column_index (table, "a"), ==, 0);
  g_assert_cmpint (rf_table_find_column_index (table, "zzz"), ==, -1);
  g_assert_null (rf_table_find_column (table, "zzz"));
  g_assert_cmpuint (rf_table_get_memory_size (table), ==, 80);
  rf_table_remove_column (table, 0);
  g_assert_cmpstr (rf_table_get_column (table, 0)->name, ==, "b");
}

static void
test_mismatched_rows (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(RfTable) table = rf_table_new ();
      g_autoptr(RfColumn) a = make_doubles ("a", 5);
      g_autoptr(RfColumn) b = make_doubles ("b", 4);
      rf_table_add_column (table, a);
      rf_table_add_column (table, b);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*n_rows*");
}

static void
test_unique_name (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfColumn) a = make_doubles ("value", 1);
  g_autoptr(RfColumn) b = make_doubles ("value_2", 1);
  g_autofree char *n1 = NULL;
  g_autofree char *n2 = NULL;
  g_autofree char *n3 = NULL;

  rf_table_add_column (table, a);
  rf_table_add_column (table, b);
  n1 = rf_table_unique_name (table, "value", 2);
  n2 = rf_table_unique_name (table, "", 2);
  n3 = rf_table_unique_name (table, "other", 2);
  g_assert_cmpstr (n1, ==, "value_3");
  g_assert_cmpstr (n2, ==, "column_3");
  g_assert_cmpstr (n3, ==, "other");
}

static void
test_slice (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfColumn) a = make_doubles ("a", 250);
  g_autoptr(RfColumn) s = rf_column_new ("s", RF_COLUMN_STRING);
  g_autoptr(RfTable) slice = NULL;
  g_autoptr(RfTable) tail = NULL;
  gsize len;
  const char *v;

  for (int k = 0; k < 250; k++)
    {
      if (k == 101)
        rf_column_append_null (s);
      else
        {
          g_autofree char *text = g_strdup_printf ("row%d", k);
          rf_column_append_string (s, text, -1);
        }
    }
  rf_column_set_unit (a, "degC");
  rf_table_add_column (table, a);
  rf_table_add_column (table, s);

  slice = rf_table_slice (table, 100, 100);
  g_assert_cmpuint (rf_table_get_n_rows (slice), ==, 100);
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (slice, 0), 0), ==, 100.0);
  g_assert_cmpstr (rf_table_get_column (slice, 0)->unit, ==, "degC");
  g_assert_false (rf_column_is_valid (rf_table_get_column (slice, 1), 1));
  v = rf_column_get_string (rf_table_get_column (slice, 1), 99, &len);
  g_assert_cmpmem (v, len, "row199", 6);

  tail = rf_table_slice (table, 240, 100);
  g_assert_cmpuint (rf_table_get_n_rows (tail), ==, 10);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/table/add-find", test_add_find);
  g_test_add_func ("/rf/table/mismatched-rows", test_mismatched_rows);
  g_test_add_func ("/rf/table/unique-name", test_unique_name);
  g_test_add_func ("/rf/table/slice", test_slice);
  return g_test_run ();
}

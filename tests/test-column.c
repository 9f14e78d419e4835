#include "config.h"

#include <math.h>

#include "refinery.h"
#include "rf-test-util.h"

static void
test_append_and_get (void)
{
  g_autoptr(RfColumn) d = rf_column_new ("temp", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) i = rf_column_new ("count", RF_COLUMN_INT64);
  g_autoptr(RfColumn) b = rf_column_new ("ok", RF_COLUMN_BOOL);
  g_autoptr(RfColumn) t = rf_column_new ("time", RF_COLUMN_TIMESTAMP);

  for (int k = 0; k < 1000; k++)
    {
      rf_column_append_double (d, k * 0.5);
      rf_column_append_int64 (i, (gint64) k * 1000000007);
      rf_column_append_bool (b, k % 3 == 0);
      rf_column_append_timestamp (t, (gint64) k * G_USEC_PER_SEC);
    }
  g_assert_cmpuint (d->n_rows, ==, 1000);
  g_assert_cmpfloat (rf_column_get_double (d, 999), ==, 499.5);
  g_assert_cmpint (rf_column_get_int64 (i, 999), ==, (gint64) 999 * 1000000007);
  g_assert_true (rf_column_get_bool (b, 999));
  g_assert_false (rf_column_get_bool (b, 998));
  g_assert_cmpint (rf_column_get_int64 (t, 10), ==, 10 * G_USEC_PER_SEC);
  g_assert_null (d->validity);
  g_assert_cmpuint (d->n_missing, ==, 0);
  g_assert_cmpint (t->role, ==, RF_ROLE_TIMESTAMP);
  g_assert_cmpint (d->role, ==, RF_ROLE_SENSOR);
}

static void
test_strings (void)
{
  g_autoptr(RfColumn) s = rf_column_new ("name", RF_COLUMN_STRING);
  gsize len;
  const char *v;

  rf_column_append_string (s, "alpha", -1);
  rf_column_append_string (s, "", 0);
  rf_column_append_string (s, "b\0c", 3);
  rf_column_append_null (s);
  g_assert_cmpuint (s->n_rows, ==, 4);
  v = rf_column_get_string (s, 0, &len);
  g_assert_cmpmem (v, len, "alpha", 5);
  v = rf_column_get_string (s, 1, &len);
  g_assert_cmpuint (len, ==, 0);
  v = rf_column_get_string (s, 2, &len);
  g_assert_cmpmem (v, len, "b\0c", 3);
  g_assert_true (rf_column_is_valid (s, 2));
  g_assert_false (rf_column_is_valid (s, 3));
  g_assert_cmpuint (s->n_missing, ==, 1);
  g_assert_cmpuint (s->n_bytes, ==, 8);
  g_assert_cmpuint (s->offsets[4], ==, 8);
}

static void
test_nulls (void)
{
  g_autoptr(RfColumn) d = rf_column_new ("x", RF_COLUMN_DOUBLE);

  for (int k = 0; k < 20; k++)
    {
      if (k % 7 == 0)
        rf_column_append_null (d);
      else
        rf_column_append_double (d, k);
    }
  g_assert_nonnull (d->validity);
  g_assert_cmpuint (d->n_missing, ==, 3);
  for (int k = 0; k < 20; k++)
    g_assert_cmpint (rf_column_is_valid (d, k), ==, k % 7 != 0);
  g_assert_true (isnan (rf_column_get_as_double (d, 7)));
  g_assert_cmpfloat (rf_column_get_as_double (d, 8), ==, 8.0);
  /* Growth after the bitmap exists keeps new rows valid. */
  for (int k = 0; k < 1000; k++)
    rf_column_append_double (d, 1.0);
  g_assert_cmpuint (d->n_missing, ==, 3);
  g_assert_true (rf_column_is_valid (d, 1019));
  /* Setting null twice counts once. */
  rf_column_set_null (d, 100);
  rf_column_set_null (d, 100);
  g_assert_cmpuint (d->n_missing, ==, 4);
}

static void
test_append_column (void)
{
  g_autoptr(RfColumn) a = rf_column_new ("s", RF_COLUMN_STRING);
  g_autoptr(RfColumn) b = rf_column_new ("s", RF_COLUMN_STRING);
  g_autoptr(RfColumn) copy = NULL;
  gsize len;
  const char *v;

  rf_column_append_string (a, "one", -1);
  rf_column_append_null (a);
  rf_column_append_string (b, "two", -1);
  rf_column_append_null (b);
  rf_column_append_string (b, "three", -1);
  rf_column_append_column (a, b);
  g_assert_cmpuint (a->n_rows, ==, 5);
  g_assert_cmpuint (a->n_missing, ==, 2);
  g_assert_false (rf_column_is_valid (a, 1));
  g_assert_false (rf_column_is_valid (a, 3));
  v = rf_column_get_string (a, 4, &len);
  g_assert_cmpmem (v, len, "three", 5);
  v = rf_column_get_string (a, 2, &len);
  g_assert_cmpmem (v, len, "two", 3);

  copy = rf_column_copy (a);
  g_assert_cmpuint (copy->n_rows, ==, 5);
  g_assert_cmpuint (copy->n_missing, ==, 2);
  g_assert_false (rf_column_is_valid (copy, 3));
}

static void
test_format_value (void)
{
  g_autoptr(RfColumn) d = rf_column_new ("x", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) t = rf_column_new ("t", RF_COLUMN_TIMESTAMP);
  g_autoptr(RfColumn) b = rf_column_new ("b", RF_COLUMN_BOOL);
  g_autoptr(GString) out = g_string_new (NULL);
  const double values[] = { 0.1, 1.0 / 3.0, 1e20, -0.0, 123.4567, 5e-324 };
  const char *expected[] = { "0.1", "0.3333333333333333", "1e+20", "-0", "123.4567", "4.94065645841247e-324" };

  for (gsize k = 0; k < G_N_ELEMENTS (values); k++)
    rf_column_append_double (d, values[k]);
  rf_column_append_null (d);
  for (gsize k = 0; k < G_N_ELEMENTS (values); k++)
    {
      g_string_truncate (out, 0);
      rf_column_format_value (d, k, out);
      g_assert_cmpstr (out->str, ==, expected[k]);
      g_assert_cmpfloat (g_ascii_strtod (out->str, NULL), ==, values[k]);
    }
  g_string_truncate (out, 0);
  rf_column_format_value (d, G_N_ELEMENTS (values), out);
  g_assert_cmpstr (out->str, ==, "");

  rf_column_append_timestamp (t, rf_timestamp_from_civil (2024, 3, 1, 12, 30, 5, 250000));
  g_string_truncate (out, 0);
  rf_column_format_value (t, 0, out);
  g_assert_cmpstr (out->str, ==, "2024-03-01T12:30:05.250Z");

  rf_column_append_bool (b, TRUE);
  g_string_truncate (out, 0);
  rf_column_format_value (b, 0, out);
  g_assert_cmpstr (out->str, ==, "true");
}

static void
test_summary (void)
{
  g_autoptr(RfColumn) d = rf_column_new ("x", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) s = rf_column_new ("s", RF_COLUMN_STRING);
  g_autoptr(RfColumn) empty = rf_column_new ("e", RF_COLUMN_INT64);
  double min, max, mean;

  rf_column_append_double (d, 4.0);
  rf_column_append_null (d);
  rf_column_append_double (d, -2.0);
  rf_column_append_double (d, 1.0);
  g_assert_true (rf_column_numeric_summary (d, &min, &max, &mean));
  g_assert_cmpfloat (min, ==, -2.0);
  g_assert_cmpfloat (max, ==, 4.0);
  g_assert_cmpfloat (mean, ==, 1.0);

  rf_column_append_string (s, "1", -1);
  g_assert_false (rf_column_numeric_summary (s, &min, &max, &mean));
  rf_column_append_null (empty);
  g_assert_false (rf_column_numeric_summary (empty, &min, &max, &mean));
}

static void
test_names (void)
{
  RfColumnType type;
  RfColumnRole role;

  for (guint k = 0; k < RF_COLUMN_N_TYPES; k++)
    {
      g_assert_true (rf_column_type_from_string (rf_column_type_to_string (k), &type));
      g_assert_cmpint (type, ==, k);
    }
  for (guint k = 0; k < RF_COLUMN_N_ROLES; k++)
    {
      g_assert_true (rf_column_role_from_string (rf_column_role_to_string (k), &role));
      g_assert_cmpint (role, ==, k);
    }
  g_assert_false (rf_column_type_from_string ("float128", &type));
  g_assert_cmpstr (rf_column_role_to_string (RF_ROLE_UNIT_ID), ==, "unit_id");
}

/* Block appends: values in order, a bitmap made by an earlier null keeps
 * the new rows present, capacity grows past the first reservation. */
static void
test_append_blocks (void)
{
  g_autoptr(RfColumn) d = rf_column_new ("d", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) t = rf_column_new ("t", RF_COLUMN_TIMESTAMP);
  g_autoptr(RfColumn) i = rf_column_new ("i", RF_COLUMN_INT64);
  double dv[1000];
  gint64 iv[1000];

  for (int k = 0; k < 1000; k++)
    {
      dv[k] = k * 0.5 - 3.0;
      iv[k] = (gint64) k * 1000000 - 7;
    }
  rf_column_append_double (d, 42.0);
  rf_column_append_null (d);
  rf_column_append_doubles (d, dv, 1000);
  rf_column_append_doubles (d, dv, 0);
  rf_column_append_doubles (d, dv + 10, 3);
  g_assert_cmpuint (d->n_rows, ==, 1005);
  g_assert_cmpuint (d->n_missing, ==, 1);
  g_assert_false (rf_column_is_valid (d, 1));
  g_assert_cmpfloat (rf_column_get_double (d, 0), ==, 42.0);
  for (int k = 0; k < 1000; k++)
    {
      g_assert_true (rf_column_is_valid (d, 2 + k));
      g_assert_cmpfloat (rf_column_get_double (d, 2 + k), ==, dv[k]);
    }
  g_assert_cmpfloat (rf_column_get_double (d, 1004), ==, dv[12]);

  rf_column_append_int64s (t, iv, 1000);
  rf_column_append_int64s (i, iv, 500);
  rf_column_append_int64 (i, 5);
  g_assert_cmpuint (t->n_rows, ==, 1000);
  g_assert_cmpuint (i->n_rows, ==, 501);
  g_assert_null (t->validity);
  g_assert_cmpint (t->values.i64[999], ==, iv[999]);
  g_assert_cmpint (rf_column_get_int64 (i, 499), ==, iv[499]);
  g_assert_cmpint (rf_column_get_int64 (i, 500), ==, 5);
}

/* In-place filling: zeros appended, values and missing bits written
 * directly, missing values recounted (and a bitmap with none dropped). */
static void
test_fill_in_place (void)
{
  g_autoptr(RfColumn) d = rf_column_new ("d", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) i = rf_column_new ("i", RF_COLUMN_INT64);
  g_autoptr(RfColumn) s = rf_column_new ("s", RF_COLUMN_STRING);
  g_autoptr(RfColumn) b = rf_column_new ("b", RF_COLUMN_BOOL);
  gsize len;

  rf_column_prepare_validity (d);
  rf_column_append_zeros (d, 20);
  g_assert_cmpuint (d->n_rows, ==, 20);
  for (gsize r = 0; r < 20; r++)
    g_assert_cmpfloat (d->values.f64[r], ==, 0.0);
  d->values.f64[3] = 2.5;
  rf_column_mark_missing_in_place (d, 9);
  rf_column_mark_missing_in_place (d, 17);
  rf_column_recount_missing (d);
  g_assert_cmpuint (d->n_missing, ==, 2);
  g_assert_false (rf_column_is_valid (d, 9));
  g_assert_false (rf_column_is_valid (d, 17));
  g_assert_true (rf_column_is_valid (d, 3));
  g_assert_cmpfloat (rf_column_get_double (d, 3), ==, 2.5);
  /* More zeros after values: the old ones stay, the new ones are present. */
  rf_column_append_double (d, 7.0);
  rf_column_append_zeros (d, 5);
  g_assert_cmpuint (d->n_rows, ==, 26);
  g_assert_cmpfloat (d->values.f64[20], ==, 7.0);
  g_assert_cmpfloat (d->values.f64[25], ==, 0.0);
  g_assert_true (rf_column_is_valid (d, 25));
  g_assert_cmpuint (d->n_missing, ==, 2);

  /* Nothing marked: the bitmap goes. */
  rf_column_prepare_validity (i);
  rf_column_append_zeros (i, 1000);
  i->values.i64[999] = -4;
  rf_column_recount_missing (i);
  g_assert_null (i->validity);
  g_assert_cmpuint (i->n_missing, ==, 0);
  g_assert_cmpint (rf_column_get_int64 (i, 999), ==, -4);

  rf_column_append_string (s, "ab", -1);
  rf_column_append_zeros (s, 3);
  g_assert_cmpuint (s->n_rows, ==, 4);
  {
    const char *text = rf_column_get_string (s, 0, &len);
    g_assert_cmpmem (text, len, "ab", 2);
  }
  rf_column_get_string (s, 3, &len);
  g_assert_cmpuint (len, ==, 0);
  g_assert_cmpuint (s->n_bytes, ==, 2);

  rf_column_append_zeros (b, 9);
  b->values.u8[8] = 1;
  g_assert_true (rf_column_get_bool (b, 8));
  g_assert_false (rf_column_get_bool (b, 7));
}

static void
test_take_rows (void)
{
  g_autoptr(RfColumn) d = rf_column_new ("d", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) s = rf_column_new ("s", RF_COLUMN_STRING);
  g_autoptr(RfColumn) td = NULL;
  g_autoptr(RfColumn) ts = NULL;
  g_autoptr(RfColumn) none = NULL;
  static const gsize rows[] = { 3, 0, 3, 1 };
  static const gsize present[] = { 0, 2 };
  gsize len;

  rf_column_set_unit (d, "degC");
  rf_column_set_role (d, RF_ROLE_SENSOR);
  rf_column_append_double (d, 1.5);
  rf_column_append_null (d);
  rf_column_append_double (d, -2);
  rf_column_append_double (d, 8);
  rf_column_append_string (s, "ab", -1);
  rf_column_append_string (s, "", -1);
  rf_column_append_null (s);
  rf_column_append_string (s, "xyz", -1);

  td = rf_column_take_rows (d, rows, G_N_ELEMENTS (rows));
  g_assert_cmpstr (td->name, ==, "d");
  g_assert_cmpstr (td->unit, ==, "degC");
  g_assert_cmpuint (td->n_rows, ==, 4);
  g_assert_cmpuint (td->n_missing, ==, 1);
  g_assert_cmpfloat (rf_column_get_double (td, 0), ==, 8);
  g_assert_cmpfloat (rf_column_get_double (td, 1), ==, 1.5);
  g_assert_cmpfloat (rf_column_get_double (td, 2), ==, 8);
  g_assert_false (rf_column_is_valid (td, 3));
  g_assert_cmpfloat (rf_column_get_double (td, 3), ==, 0);

  ts = rf_column_take_rows (s, rows, G_N_ELEMENTS (rows));
  g_assert_cmpuint (ts->n_missing, ==, 0);
  g_assert_null (ts->validity);
  g_assert_cmpmem (rf_column_get_string (ts, 0, &len), len, "xyz", 3);
  g_assert_cmpmem (rf_column_get_string (ts, 1, &len), len, "ab", 2);
  g_assert_cmpmem (rf_column_get_string (ts, 3, &len), len, "", 0);
  g_assert_cmpuint (ts->n_bytes, ==, 8);

  /* only present rows: no bitmap */
  g_clear_pointer (&td, rf_column_unref);
  td = rf_column_take_rows (d, present, 2);
  g_assert_null (td->validity);
  g_assert_cmpfloat (rf_column_get_double (td, 1), ==, -2);

  none = rf_column_take_rows (s, NULL, 0);
  g_assert_cmpuint (none->n_rows, ==, 0);
  g_assert_cmpint (none->type, ==, RF_COLUMN_STRING);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/column/append-and-get", test_append_and_get);
  g_test_add_func ("/rf/column/strings", test_strings);
  g_test_add_func ("/rf/column/nulls", test_nulls);
  g_test_add_func ("/rf/column/append-column", test_append_column);
  g_test_add_func ("/rf/column/append-blocks", test_append_blocks);
  g_test_add_func ("/rf/column/fill-in-place", test_fill_in_place);
  g_test_add_func ("/rf/column/format-value", test_format_value);
  g_test_add_func ("/rf/column/summary", test_summary);
  g_test_add_func ("/rf/column/names", test_names);
  g_test_add_func ("/rf/column/take-rows", test_take_rows);
  return g_test_run ();
}

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "refinery.h"
#include "rf-json-writer.h"
#include "rf-test-util.h"

static void
add (RfTable  *table,
     RfColumn *column)
{
  rf_table_add_column (table, column);
  rf_column_unref (column);
}

/* Three rows of every type, with missing values and awkward names. */
static RfTable *
small_table (void)
{
  RfTable *table = rf_table_new ();
  RfColumn *c;

  c = rf_column_new ("t", RF_COLUMN_TIMESTAMP);
  rf_column_append_timestamp (c, G_GINT64_CONSTANT (1709294400250000));
  rf_column_append_null (c);
  rf_column_append_timestamp (c, -1);
  add (table, c);

  c = rf_column_new ("temp", RF_COLUMN_DOUBLE);
  rf_column_append_double (c, 21.5);
  rf_column_append_double (c, 2.0);
  rf_column_append_double (c, NAN);
  add (table, c);

  c = rf_column_new ("rpm", RF_COLUMN_INT64);
  rf_column_append_int64 (c, G_MAXINT64);
  rf_column_append_int64 (c, G_MININT64);
  rf_column_append_null (c);
  add (table, c);

  c = rf_column_new ("ok", RF_COLUMN_BOOL);
  rf_column_append_bool (c, TRUE);
  rf_column_append_null (c);
  rf_column_append_bool (c, FALSE);
  add (table, c);

  c = rf_column_new ("a.b \"q\"", RF_COLUMN_STRING);
  rf_column_append_string (c, "x\n\"y\"\\", -1);
  rf_column_append_string (c, "\xc3\xbc\xe2\x9c\x93\x01", -1);
  rf_column_append_null (c);
  add (table, c);

  return table;
}

static char *
write_to_string (RfTable      *table,
                 RfJsonLayout  layout)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "out.json", NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (rf_json_write (table, path, layout, NULL, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);
  rf_test_remove_tree (dir);
  return contents;
}

static void
test_records (void)
{
  static const char expected[] =
    "[\n"
    "{\"t\":\"2024-03-01T12:00:00.250Z\",\"temp\":21.5,\"rpm\":9223372036854775807,\"ok\":true,"
    "\"a.b \\\"q\\\"\":\"x\\n\\\"y\\\"\\\\\"},\n"
    "{\"t\":null,\"temp\":2.0,\"rpm\":-9223372036854775808,\"ok\":null,"
    "\"a.b \\\"q\\\"\":\"\xc3\xbc\xe2\x9c\x93\\u0001\"},\n"
    "{\"t\":\"1969-12-31T23:59:59.999999Z\",\"temp\":null,\"rpm\":null,\"ok\":false,"
    "\"a.b \\\"q\\\"\":null}\n"
    "]\n";
  g_autoptr(RfTable) table = small_table ();
  g_autofree char *text = write_to_string (table, RF_JSON_LAYOUT_RECORDS);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_lines (void)
{
  static const char expected[] =
    "{\"t\":\"2024-03-01T12:00:00.250Z\",\"temp\":21.5,\"rpm\":9223372036854775807,\"ok\":true,"
    "\"a.b \\\"q\\\"\":\"x\\n\\\"y\\\"\\\\\"}\n"
    "{\"t\":null,\"temp\":2.0,\"rpm\":-9223372036854775808,\"ok\":null,"
    "\"a.b \\\"q\\\"\":\"\xc3\xbc\xe2\x9c\x93\\u0001\"}\n"
    "{\"t\":\"1969-12-31T23:59:59.999999Z\",\"temp\":null,\"rpm\":null,\"ok\":false,"
    "\"a.b \\\"q\\\"\":null}\n";
  g_autoptr(RfTable) table = small_table ();
  g_autofree char *text = write_to_string (table, RF_JSON_LAYOUT_LINES);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_columns (void)
{
  static const char expected[] =
    "{\n"
    "\"t\":[\"2024-03-01T12:00:00.250Z\",null,\"1969-12-31T23:59:59.999999Z\"],\n"
    "\"temp\":[21.5,2.0,null],\n"
    "\"rpm\":[9223372036854775807,-9223372036854775808,null],\n"
    "\"ok\":[true,null,false],\n"
    "\"a.b \\\"q\\\"\":[\"x\\n\\\"y\\\"\\\\\",\"\xc3\xbc\xe2\x9c\x93\\u0001\",null]\n"
    "}\n";
  g_autoptr(RfTable) table = small_table ();
  g_autofree char *text = write_to_string (table, RF_JSON_LAYOUT_COLUMNS);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_empty (void)
{
  g_autoptr(RfTable) none = rf_table_new ();
  g_autoptr(RfTable) table = rf_table_new ();
  g_autofree char *records = NULL, *lines = NULL, *columns = NULL, *no_columns = NULL;

  add (table, rf_column_new ("a", RF_COLUMN_DOUBLE));
  records = write_to_string (table, RF_JSON_LAYOUT_RECORDS);
  lines = write_to_string (table, RF_JSON_LAYOUT_LINES);
  columns = write_to_string (table, RF_JSON_LAYOUT_COLUMNS);
  no_columns = write_to_string (none, RF_JSON_LAYOUT_COLUMNS);
  g_assert_cmpstr (records, ==, "[]\n");
  g_assert_cmpstr (lines, ==, "");
  g_assert_cmpstr (columns, ==, "{\n\"a\":[]\n}\n");
  g_assert_cmpstr (no_columns, ==, "{}\n");
}

static void
test_doubles (void)
{
  static const struct { double value; const char *text; } cases[] = {
    { 0.1, "0.1" }, { 2.0, "2.0" }, { -0.0, "-0.0" }, { 1e300, "1e+300" }, { 1.5e-7, "1.5e-07" },
    { 0.30000000000000004, "0.30000000000000004" },
    { 123456789012345680.0, "1.2345678901234568e+17" }, { 1.0 / 3.0, "0.3333333333333333" },
    { INFINITY, "null" }, { -INFINITY, "null" }, { NAN, "null" },
  };
  g_autoptr(RfTable) table = rf_table_new ();
  RfColumn *c = rf_column_new ("d", RF_COLUMN_DOUBLE);
  g_autofree char *text = NULL;
  GString *expected = g_string_new ("{\n\"d\":[");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      rf_column_append_double (c, cases[i].value);
      g_string_append_printf (expected, "%s%s", i > 0 ? "," : "", cases[i].text);
    }
  g_string_append (expected, "]\n}\n");
  add (table, c);
  text = write_to_string (table, RF_JSON_LAYOUT_COLUMNS);
  g_assert_cmpstr (text, ==, expected->str);
  g_string_free (expected, TRUE);
}

static void
test_append_string (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  rf_json_append_string (out, "a\"b\\c/\b\f\n\r\t\x1f\x7f", -1);
  g_assert_cmpstr (out->str, ==, "\"a\\\"b\\\\c/\\b\\f\\n\\r\\t\\u001f\x7f\"");
  g_string_truncate (out, 0);
  /* bad UTF-8 bytes → U+FFFD each; NUL kept as \u0000 */
  rf_json_append_string (out, "ok\xff\xc3(\0\xe2\x82\xac", 9);
  g_assert_cmpstr (out->str, ==, "\"ok\xef\xbf\xbd\xef\xbf\xbd(\\u0000\xe2\x82\xac\"");
  g_string_truncate (out, 0);
  rf_json_append_string (out, "", 0);
  g_assert_cmpstr (out->str, ==, "\"\"");
}

static void
test_layout_names (void)
{
  RfJsonLayout layout;

  g_assert_cmpstr (rf_json_layout_to_string (RF_JSON_LAYOUT_RECORDS), ==, "records");
  g_assert_cmpstr (rf_json_layout_to_string (RF_JSON_LAYOUT_LINES), ==, "lines");
  g_assert_cmpstr (rf_json_layout_to_string (RF_JSON_LAYOUT_COLUMNS), ==, "columns");
  g_assert_true (rf_json_layout_from_string ("JSONL", &layout));
  g_assert_cmpint (layout, ==, RF_JSON_LAYOUT_LINES);
  g_assert_true (rf_json_layout_from_string ("list", &layout));
  g_assert_cmpint (layout, ==, RF_JSON_LAYOUT_COLUMNS);
  g_assert_true (rf_json_layout_from_string ("records", &layout));
  g_assert_cmpint (layout, ==, RF_JSON_LAYOUT_RECORDS);
  g_assert_false (rf_json_layout_from_string ("split", &layout));
}

/* Every type, edge values, missing values in every column. */
static RfTable *
round_trip_table (void)
{
  static const double doubles[] = {
    21.5, -0.0, 1e300, 5e-324, 0.1, -1.25e-10, 3.0, 0.30000000000000004,
  };
  static const gint64 ints[] = { 0, 1, -1, G_MAXINT64, G_MININT64, 1500, -3, 42 };
  static const gint64 stamps[] = {
    G_GINT64_CONSTANT (1709294400000000), G_GINT64_CONSTANT (1709294400250000),
    G_GINT64_CONSTANT (1709294400000001), -1,
    G_GINT64_CONSTANT (-62135596800000000) /* 0001-01-01 */,
    G_GINT64_CONSTANT (253402300799999999) /* 9999-12-31T23:59:59.999999 */, 0, 86400000000,
  };
  static const char *strings[] = {
    "run", "", "tab\there \"q\"", "\xc3\xbc\xe2\x9c\x93", "NA", "[1,2]", "{\"a\":1}", "a\001b\\",
  };
  RfTable *table = rf_table_new ();
  RfColumn *d = rf_column_new ("d", RF_COLUMN_DOUBLE);
  RfColumn *whole = rf_column_new ("whole", RF_COLUMN_DOUBLE);
  RfColumn *i = rf_column_new ("i", RF_COLUMN_INT64);
  RfColumn *b = rf_column_new ("b", RF_COLUMN_BOOL);
  RfColumn *s = rf_column_new ("s", RF_COLUMN_STRING);
  RfColumn *t = rf_column_new ("machine.t", RF_COLUMN_TIMESTAMP);

  for (guint row = 0; row < 9; row++)
    {
      gboolean gap = row == 8;

      if (gap || row == 2)
        rf_column_append_null (d);
      else
        rf_column_append_double (d, doubles[row]);
      if (gap)
        rf_column_append_null (whole);
      else
        rf_column_append_double (whole, (double) row * 1000.0);
      if (gap || row == 0)
        rf_column_append_null (i);
      else
        rf_column_append_int64 (i, ints[row]);
      if (row % 3 == 1)
        rf_column_append_null (b);
      else
        rf_column_append_bool (b, row % 2);
      if (gap || row == 5)
        rf_column_append_null (s);
      else
        rf_column_append_string (s, strings[row], -1);
      if (gap || row == 3)
        rf_column_append_null (t);
      else
        rf_column_append_timestamp (t, stamps[row]);
    }
  add (table, d);
  add (table, whole);
  add (table, i);
  add (table, b);
  add (table, s);
  add (table, t);
  return table;
}

static void
assert_same_table (RfTable *expected,
                   RfTable *actual)
{
  g_assert_cmpuint (rf_table_get_n_columns (actual), ==, rf_table_get_n_columns (expected));
  g_assert_cmpuint (rf_table_get_n_rows (actual), ==, rf_table_get_n_rows (expected));
  for (guint c = 0; c < rf_table_get_n_columns (expected); c++)
    {
      RfColumn *e = rf_table_get_column (expected, c);
      RfColumn *a = rf_table_get_column (actual, c);

      g_assert_cmpstr (a->name, ==, e->name);
      g_assert_cmpstr (rf_column_type_to_string (a->type), ==, rf_column_type_to_string (e->type));
      g_assert_cmpuint (a->n_missing, ==, e->n_missing);
      for (gsize row = 0; row < e->n_rows; row++)
        {
          g_assert_cmpint (rf_column_is_valid (a, row), ==, rf_column_is_valid (e, row));
          if (!rf_column_is_valid (e, row))
            continue;
          switch (e->type)
            {
            case RF_COLUMN_DOUBLE:
              /* bit for bit: -0.0 stays -0.0 */
              g_assert_cmpmem (&a->values.f64[row], sizeof (double),
                               &e->values.f64[row], sizeof (double));
              break;
            case RF_COLUMN_INT64:
            case RF_COLUMN_TIMESTAMP:
              g_assert_cmpint (a->values.i64[row], ==, e->values.i64[row]);
              break;
            case RF_COLUMN_BOOL:
              g_assert_cmpint (a->values.u8[row], ==, e->values.u8[row]);
              break;
            case RF_COLUMN_STRING:
            default:
              {
                gsize la, le;
                const char *sa = rf_column_get_string (a, row, &la);
                const char *se = rf_column_get_string (e, row, &le);
                g_assert_cmpmem (sa, la, se, le);
              }
              break;
            }
        }
    }
}

static void
test_round_trip (void)
{
  g_autoptr(RfTable) table = round_trip_table ();
  g_autofree char *dir = rf_test_make_temp_dir ();

  for (RfJsonLayout layout = 0; layout < RF_JSON_N_LAYOUTS; layout++)
    {
      const char *name = layout == RF_JSON_LAYOUT_LINES ? "rt.jsonl" : "rt.json";
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(RfReadReport) report = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(RfTable) back = NULL;

      g_assert_true (rf_json_write (table, path, layout, NULL, NULL, &error));
      g_assert_no_error (error);
      back = rf_read_file (path, NULL, &report, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (report->layout, ==, rf_json_layout_to_string (layout));
      g_assert_cmpuint (report->warnings->len, ==, 0);
      assert_same_table (table, back);
    }
  rf_test_remove_tree (dir);
}

/* NaN and infinities have no JSON form: they come back missing. */
static void
test_round_trip_non_finite (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTable) back = NULL;
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "nan.json", NULL);
  g_autoptr(GError) error = NULL;
  RfColumn *c = rf_column_new ("v", RF_COLUMN_DOUBLE);
  RfColumn *v;

  rf_column_append_double (c, NAN);
  rf_column_append_double (c, INFINITY);
  rf_column_append_double (c, 1.5);
  add (table, c);
  g_assert_true (rf_json_write (table, path, RF_JSON_LAYOUT_RECORDS, NULL, NULL, &error));
  back = rf_json_read (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  v = rf_table_find_column (back, "v");
  g_assert_cmpint (v->type, ==, RF_COLUMN_DOUBLE);
  g_assert_cmpuint (v->n_missing, ==, 2);
  g_assert_cmpfloat (v->values.f64[2], ==, 1.5);
  rf_test_remove_tree (dir);
}

/* An independent parser (json-glib) accepts what we write. */
static void
test_valid_json (void)
{
  g_autoptr(RfTable) table = round_trip_table ();
  g_autofree char *records = write_to_string (table, RF_JSON_LAYOUT_RECORDS);
  g_autofree char *columns = write_to_string (table, RF_JSON_LAYOUT_COLUMNS);
  g_autofree char *lines = write_to_string (table, RF_JSON_LAYOUT_LINES);
  g_auto(GStrv) split = g_strsplit (lines, "\n", -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonObject *first;

  json_parser_load_from_data (parser, records, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 9);
  first = json_array_get_object_element (array, 0);
  g_assert_cmpfloat (json_object_get_double_member (first, "d"), ==, 21.5);
  g_assert_cmpstr (json_object_get_string_member (first, "machine.t"), ==, "2024-03-01T12:00:00Z");
  g_assert_true (json_object_get_null_member (first, "i"));

  json_parser_load_from_data (parser, columns, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (json_parser_get_root (parser))),
                    ==, 6);

  g_assert_cmpuint (g_strv_length (split), ==, 10);
  for (guint i = 0; i < 9; i++)
    {
      json_parser_load_from_data (parser, split[i], -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
    }
  g_assert_cmpstr (split[9], ==, "");
}

static void
test_cancel_keeps_old_file (void)
{
  g_autoptr(RfTable) table = round_trip_table ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = rf_test_write_file (dir, "out.json", "old", -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (rf_json_write (table, path, RF_JSON_LAYOUT_RECORDS, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_file_get_contents (path, &contents, NULL, NULL);
  g_assert_cmpstr (contents, ==, "old");
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);
  rf_test_remove_tree (dir);
}

typedef struct
{
  GCancellable *cancellable;
  guint calls;
  double last;
} CancelLater;

static void
cancel_on_second_report (double      fraction,
                         const char *message,
                         gpointer    user_data)
{
  CancelLater *state = user_data;

  state->last = fraction;
  if (++state->calls == 2 && state->cancellable != NULL)
    g_cancellable_cancel (state->cancellable);
}

static void
test_cancel_midway_and_progress (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "big.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  CancelLater state = { cancellable, 0, 0.0 };
  RfProgress progress = rf_progress_init (cancel_on_second_report, &state);
  RfColumn *c = rf_column_new ("v", RF_COLUMN_INT64);

  for (gint64 i = 0; i < 100000; i++)
    rf_column_append_int64 (c, i);
  add (table, c);

  g_assert_false (rf_json_write (table, path, RF_JSON_LAYOUT_LINES, &progress, cancellable,
                                 &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (rf_test_count_files (dir), ==, 0);
  g_clear_error (&error);

  state.cancellable = NULL;
  state.calls = 0;
  progress = rf_progress_init (cancel_on_second_report, &state);
  g_assert_true (rf_json_write (table, path, RF_JSON_LAYOUT_COLUMNS, &progress, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (state.calls, >=, 10);
  g_assert_cmpfloat (state.last, ==, 1.0);
  rf_test_remove_tree (dir);
}

static void
test_bad_directory (void)
{
  g_autoptr(RfTable) table = small_table ();
  g_autoptr(GError) error = NULL;

  g_assert_false (rf_json_write (table, "/nonexistent-dir-for-refinery/x.json",
                                 RF_JSON_LAYOUT_RECORDS, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == RF_ERROR);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/json-writer/records", test_records);
  g_test_add_func ("/rf/json-writer/lines", test_lines);
  g_test_add_func ("/rf/json-writer/columns", test_columns);
  g_test_add_func ("/rf/json-writer/empty", test_empty);
  g_test_add_func ("/rf/json-writer/doubles", test_doubles);
  g_test_add_func ("/rf/json-writer/append-string", test_append_string);
  g_test_add_func ("/rf/json-writer/layout-names", test_layout_names);
  g_test_add_func ("/rf/json-writer/round-trip", test_round_trip);
  g_test_add_func ("/rf/json-writer/round-trip-non-finite", test_round_trip_non_finite);
  g_test_add_func ("/rf/json-writer/valid-json", test_valid_json);
  g_test_add_func ("/rf/json-writer/cancel-keeps-old-file", test_cancel_keeps_old_file);
  g_test_add_func ("/rf/json-writer/cancel-midway-and-progress", test_cancel_midway_and_progress);
  g_test_add_func ("/rf/json-writer/bad-directory", test_bad_directory);

  return g_test_run ();
}

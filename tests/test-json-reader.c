#include "config.h"

#include <math.h>
#include <string.h>

#include "refinery.h"
#include "rf-test-util.h"

/* --- helpers ------------------------------------------------------------- */

static RfTable *
read_named (const char          *text,
            gssize               length,
            const char          *name,
            const RfReadOptions *options,
            RfReadReport       **report_out,
            GError             **error)
{
  RfReadReport *report = rf_read_report_new (name);
  RfTable *table;
  gsize size = length < 0 ? strlen (text) : (gsize) length;

  table = rf_json_read_bytes ((const guint8 *) text, size, name, options, report, NULL, NULL,
                              error);
  if (report_out != NULL)
    *report_out = report;
  else
    rf_read_report_free (report);
  return table;
}

static RfTable *
read_ok (const char          *text,
         const RfReadOptions *options,
         RfReadReport       **report_out)
{
  g_autoptr(GError) error = NULL;
  RfTable *table = read_named (text, -1, "test.json", options, report_out, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

/* The error of reading text, which must fail. */
static GError *
read_fail (const char *text,
           gssize      length,
           const char *name)
{
  GError *error = NULL;
  RfTable *table = read_named (text, length, name, NULL, NULL, &error);

  g_assert_null (table);
  g_assert_nonnull (error);
  return error;
}

/* Column values as text joined by '|', missing as <NA>. */
static char *
values (RfTable    *table,
        const char *name)
{
  RfColumn *column = rf_table_find_column (table, name);
  GString *out = g_string_new (NULL);

  g_assert_nonnull (column);
  for (gsize row = 0; row < column->n_rows; row++)
    {
      if (row > 0)
        g_string_append_c (out, '|');
      if (!rf_column_is_valid (column, row))
        g_string_append (out, "<NA>");
      else
        rf_column_format_value (column, row, out);
    }
  return g_string_free (out, FALSE);
}

/* "name:type,name:type,..." */
static char *
schema (RfTable *table)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < rf_table_get_n_columns (table); i++)
    {
      RfColumn *column = rf_table_get_column (table, i);
      g_string_append_printf (out, "%s%s:%s", i > 0 ? "," : "", column->name,
                              rf_column_type_to_string (column->type));
    }
  return g_string_free (out, FALSE);
}

#define assert_values(table, name, expected) \
  G_STMT_START { \
    g_autofree char *_v = values ((table), (name)); \
    g_assert_cmpstr (_v, ==, (expected)); \
  } G_STMT_END

#define assert_schema(table, expected) \
  G_STMT_START { \
    g_autofree char *_s = schema (table); \
    g_assert_cmpstr (_s, ==, (expected)); \
  } G_STMT_END

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "json", name, NULL);
}

/* --- layouts ------------------------------------------------------------- */

static void
test_records_basic (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_ok ("[{\"t\":\"2024-03-01T00:00:00Z\",\"temp\":21.5,\"rpm\":1500,"
                                      "\"ok\":true,\"state\":\"run\"},\n"
                                      " {\"t\":\"2024-03-01T00:00:01.250Z\",\"temp\":22,\"rpm\":-3,"
                                      "\"ok\":false,\"state\":\"stop\"}]",
                                      NULL, &report);
  RfColumn *temp = rf_table_find_column (table, "temp");
  RfColumnReport *t;

  assert_schema (table, "t:timestamp,temp:double,rpm:int64,ok:bool,state:string");
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 2);
  assert_values (table, "t", "2024-03-01T00:00:00Z|2024-03-01T00:00:01.250Z");
  g_assert_cmpint (rf_table_find_column (table, "t")->values.i64[1], ==,
                   G_GINT64_CONSTANT (1709251201250000));
  g_assert_cmpfloat (temp->values.f64[0], ==, 21.5);
  g_assert_cmpfloat (temp->values.f64[1], ==, 22.0);
  assert_values (table, "rpm", "1500|-3");
  assert_values (table, "ok", "true|false");
  assert_values (table, "state", "run|stop");
  g_assert_cmpuint (temp->n_missing, ==, 0);
  g_assert_null (temp->validity);

  g_assert_cmpint (report->format, ==, RF_FORMAT_JSON);
  g_assert_cmpstr (report->layout, ==, "records");
  g_assert_cmpstr (report->encoding, ==, "UTF-8");
  g_assert_false (report->had_bom);
  g_assert_true (report->has_header);
  g_assert_cmpuint (report->n_rows, ==, 2);
  g_assert_cmpuint (report->columns->len, ==, 5);
  g_assert_cmpuint (report->warnings->len, ==, 0);
  t = g_ptr_array_index (report->columns, 0);
  g_assert_cmpstr (t->name, ==, "t");
  g_assert_cmpint (t->type, ==, RF_COLUMN_TIMESTAMP);
  g_assert_cmpint (t->timestamp_format, ==, RF_TIMESTAMP_FORMAT_ISO);
  g_assert_false (t->overridden);
  g_assert_cmpuint (t->n_unparsed, ==, 0);
  t = g_ptr_array_index (report->columns, 1);
  g_assert_cmpint (t->type, ==, RF_COLUMN_DOUBLE);
  g_assert_cmpint (t->timestamp_format, ==, RF_TIMESTAMP_FORMAT_UNKNOWN);
}

static void
test_records_flatten (void)
{
  static const char json[] =
    "[{\"id\": 1, \"pos\": {\"x\": 1.5, \"y\": {\"z\": \"deep\"}}, \"arr\": [1, 2, 3],"
    "  \"objs\": [ {\"k\": \"v\\u00e9\"}, {\"k\": null} ], \"empty\": {},"
    "  \"mixed\": [1, \"a\\\"b\", [true], {}]},"
    " {\"id\": 2, \"pos\": {\"x\": 2}, \"arr\": [], \"objs\": [], \"empty\": {}, \"mixed\": null}]";
  g_autoptr(RfTable) table = read_ok (json, NULL, NULL);

  assert_schema (table, "id:int64,pos.x:double,pos.y.z:string,arr:string,objs:string,mixed:string");
  assert_values (table, "pos.x", "1.5|2");
  assert_values (table, "pos.y.z", "deep|<NA>");
  assert_values (table, "arr", "[1,2,3]|[]");
  assert_values (table, "objs", "[{\"k\":\"v\xc3\xa9\"},{\"k\":null}]|[]");
  assert_values (table, "mixed", "[1,\"a\\\"b\",[true],{}]|<NA>");
}

static void
test_records_missing_keys (void)
{
  g_autoptr(RfTable) table = read_ok ("[{\"b\": 1, \"a\": \"x\"}, {\"a\": \"y\", \"c\": true},"
                                      " {}, {\"c\": false, \"b\": null, \"d\": 2.5}]", NULL, NULL);

  /* order of first appearance */
  assert_schema (table, "b:int64,a:string,c:bool,d:double");
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 4);
  assert_values (table, "b", "1|<NA>|<NA>|<NA>");
  assert_values (table, "a", "x|y|<NA>|<NA>");
  assert_values (table, "c", "<NA>|true|<NA>|false");
  assert_values (table, "d", "<NA>|<NA>|<NA>|2.5");
  g_assert_cmpuint (rf_table_find_column (table, "b")->n_missing, ==, 3);
}

static void
test_records_duplicate_key (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_ok ("[{\"a\": 1, \"a\": 2, \"p\": {\"q\": 5}, \"p.q\": 6},"
                                      " {\"a\": 3}, {\"a\": 4, \"a\": 5}]", NULL, &report);

  assert_schema (table, "a:int64,p.q:int64");
  assert_values (table, "a", "2|3|5");
  assert_values (table, "p.q", "6|<NA>|<NA>");
  g_assert_cmpuint (report->warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (report->warnings, 0), ==,
                   "2 records name a key more than once (the first: “a” in record 1); the last "
                   "value was kept.");
}

static void
test_columns_arrays (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_ok ("{\"temp\": [1.5, 2, null], \"rpm\": [3, 4, 5],"
                                      " \"raw\": [[1], {\"a\": 1}, \"x\"]}", NULL, &report);

  g_assert_cmpstr (report->layout, ==, "columns");
  assert_schema (table, "temp:double,rpm:int64,raw:string");
  assert_values (table, "temp", "1.5|2|<NA>");
  assert_values (table, "rpm", "3|4|5");
  assert_values (table, "raw", "[1]|{\"a\":1}|x");
}

static void
test_columns_named_like_split (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_ok ("{\"columns\": [1, 2], \"data\": [3, 4]}", NULL, &report);

  /* "data" holds numbers, not rows: these are two columns */
  g_assert_cmpstr (report->layout, ==, "columns");
  assert_schema (table, "columns:int64,data:int64");
  assert_values (table, "data", "3|4");
}

static void
test_columns_index_objects (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) plain = read_ok ("{\"temp\": {\"0\": 1.5, \"1\": 2.5},"
                                      " \"rpm\": {\"0\": 10, \"1\": 20}}", NULL, &report);
  g_autoptr(RfTable) dated = NULL;
  g_autoptr(RfTable) sparse = NULL;

  g_assert_cmpstr (report->layout, ==, "columns");
  assert_schema (plain, "temp:double,rpm:int64");
  assert_values (plain, "temp", "1.5|2.5");

  /* A meaningful index (timestamps) becomes the first column. */
  dated = read_ok ("{\"temp\": {\"2024-03-01T00:00:00Z\": 1.5, \"2024-03-01T00:01:00Z\": 2.5},"
                   " \"rpm\": {\"2024-03-01T00:01:00Z\": 20, \"2024-03-01T00:00:00Z\": 10}}",
                   NULL, NULL);
  assert_schema (dated, "index:timestamp,temp:double,rpm:int64");
  assert_values (dated, "index", "2024-03-01T00:00:00Z|2024-03-01T00:01:00Z");
  assert_values (dated, "rpm", "10|20");

  /* Inner keys missing from some columns are missing values; rows in
   * order of first appearance. */
  sparse = read_ok ("{\"a\": {\"x\": 1, \"y\": 2}, \"b\": {\"z\": 3, \"x\": 4}, \"c\": {}}",
                    NULL, NULL);
  assert_schema (sparse, "index:string,a:int64,b:int64,c:string");
  assert_values (sparse, "index", "x|y|z");
  assert_values (sparse, "a", "1|2|<NA>");
  assert_values (sparse, "b", "4|<NA>|3");
  assert_values (sparse, "c", "<NA>|<NA>|<NA>");
}

static void
test_split (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_ok ("{\"data\": [[1, \"a\", 2.5], [2, null, 3]],"
                                      " \"index\": [0, 1], \"columns\": [\"n\", \"s\", \"n\"]}",
                                      NULL, &report);
  g_autoptr(RfTable) indexed = NULL;
  g_autoptr(RfTable) numbered = NULL;

  g_assert_cmpstr (report->layout, ==, "split");
  /* data may come before columns; duplicate names are renamed */
  assert_schema (table, "n:int64,s:string,n_2:double");
  assert_values (table, "n", "1|2");
  assert_values (table, "s", "a|<NA>");
  assert_values (table, "n_2", "2.5|3");

  indexed = read_ok ("{\"columns\": [\"v\"], \"index\": [\"2024-03-01\", \"2024-03-02\"],"
                     " \"data\": [[1], [2]]}", NULL, NULL);
  assert_schema (indexed, "index:timestamp,v:int64");
  assert_values (indexed, "index", "2024-03-01T00:00:00Z|2024-03-02T00:00:00Z");

  /* column labels that are numbers (pandas' default RangeIndex columns) */
  numbered = read_ok ("{\"columns\": [0, 1], \"data\": [[true, \"x\"]]}", NULL, NULL);
  assert_schema (numbered, "0:bool,1:string");
}

static void
test_lines (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_ok ("{\"a\": 1, \"b\": {\"c\": \"x\"}}\r\n"
                                      "\r\n"
                                      "   \n"
                                      "{\"a\": 2.5}\n"
                                      "{\"d\": [1, 2], \"a\": null}\n", NULL, &report);

  g_assert_cmpstr (report->layout, ==, "lines");
  assert_schema (table, "a:double,b.c:string,d:string");
  assert_values (table, "a", "1|2.5|<NA>");
  assert_values (table, "b.c", "x|<NA>|<NA>");
  assert_values (table, "d", "<NA>|<NA>|[1,2]");
}

static void
test_lines_single_object (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfReadReport) named_report = NULL;
  g_autoptr(RfTable) table = read_ok ("{\"temp\": 21.5, \"tags\": [1], \"m\": {\"id\": 3}}\n",
                                      NULL, &report);
  g_autoptr(RfTable) named = NULL;
  const char *nested = "{\"pos\": {\"x\": 1, \"y\": 2}, \"vel\": {\"x\": 3, \"y\": 4}}\n";

  g_assert_cmpstr (report->layout, ==, "lines");
  assert_schema (table, "temp:double,tags:string,m.id:int64");
  assert_values (table, "tags", "[1]");
  g_assert_cmpuint (report->warnings->len, ==, 1);
  g_assert_true (strstr (g_ptr_array_index (report->warnings, 0), "single object") != NULL);

  /* An object of objects is the pandas column layout unless the file is
   * named as JSON Lines. */
  named = read_named (nested, -1, "one.jsonl", NULL, &named_report, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (named_report->layout, ==, "lines");
  assert_schema (named, "pos.x:int64,pos.y:int64,vel.x:int64,vel.y:int64");
  g_clear_pointer (&named, rf_table_unref);
  named = read_ok (nested, NULL, NULL);
  assert_schema (named, "index:string,pos:int64,vel:int64");
}

/* --- types --------------------------------------------------------------- */

static void
test_types_numbers (void)
{
  g_autoptr(RfTable) table = read_ok ("{\"i\": [1, -0, 9223372036854775807, -9223372036854775808],"
                                      " \"big\": [1, 9223372036854775808, 2, 3],"
                                      " \"frac\": [1, 2, 3, 4.0],"
                                      " \"exp\": [1, 2e2, 3E-1, -4.5e+1],"
                                      " \"inf\": [Infinity, -Infinity, NaN, 1]}", NULL, NULL);
  RfColumn *big = rf_table_find_column (table, "big");
  RfColumn *inf = rf_table_find_column (table, "inf");

  assert_schema (table, "i:int64,big:double,frac:double,exp:double,inf:double");
  assert_values (table, "i", "1|0|9223372036854775807|-9223372036854775808");
  g_assert_cmpfloat (big->values.f64[1], ==, 9223372036854775808.0);
  assert_values (table, "frac", "1|2|3|4");
  assert_values (table, "exp", "1|200|0.3|-45");
  g_assert_true (isinf (inf->values.f64[0]) && inf->values.f64[0] > 0);
  g_assert_true (isinf (inf->values.f64[1]) && inf->values.f64[1] < 0);
  g_assert_false (rf_column_is_valid (inf, 2));
  g_assert_cmpfloat (inf->values.f64[3], ==, 1.0);
}

static void
test_types_numeric_strings (void)
{
  static const char json[] =
    "[{\"d\": \"21.5\", \"i\": \"1\", \"mix\": 1.50, \"ni\": 1, \"b\": \"yes\","
    "  \"nb\": 1, \"id\": \"007\"},"
    " {\"d\": \"22\", \"i\": \" 2 \", \"mix\": \"x\", \"ni\": \"3.5\", \"b\": false,"
    "  \"nb\": true, \"id\": \"A7\"},"
    " {\"d\": 1e1, \"i\": 3, \"mix\": true, \"ni\": \"-2\", \"b\": \"No\","
    "  \"nb\": null, \"id\": null}]";
  g_autoptr(RfTable) table = read_ok (json, NULL, NULL);

  /* all numeric text → number; one non-number → string holding JSON text */
  assert_schema (table, "d:double,i:int64,mix:string,ni:double,b:bool,nb:string,id:string");
  assert_values (table, "d", "21.5|22|10");
  assert_values (table, "i", "1|2|3");
  assert_values (table, "mix", "1.50|x|true");
  assert_values (table, "ni", "1|3.5|-2");
  assert_values (table, "b", "true|false|false");
  assert_values (table, "nb", "1|true|<NA>");
  assert_values (table, "id", "007|A7|<NA>");
}

static void
test_types_codes_epochs_units (void)
{
  static const char json[] =
    "{\"code\": [\"007\", \"0012\"], \"n\": [\"7\", \"12\"],"
    " \"timestamp\": [1709251200000, 1709251210500],"
    " \"Zeit_s\": [\"1709251200\", 1709251201], \"count\": [1709251200, 1],"
    " \"time_small\": [1, 2],"
    " \"Air temperature [K]\": [300.5, 301], \"flow (m\xc2\xb3/h)\": [1.5, 2],"
    " \"Pump (line 2)\": [1, 0]}";
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_ok (json, NULL, &report);
  RfColumnReport *column;

  /* leading zeros: a code, not a number; epoch integers become timestamps
   * when the name says time and every value lies in 2000..2100 */
  assert_schema (table, "code:string,n:int64,timestamp:timestamp,Zeit_s:timestamp,count:int64,"
                        "time_small:int64,Air temperature [K]:double,flow (m\xc2\xb3/h):double,"
                        "Pump (line 2):int64");
  assert_values (table, "code", "007|0012");
  assert_values (table, "timestamp", "2024-03-01T00:00:00Z|2024-03-01T00:00:10.500Z");
  assert_values (table, "Zeit_s", "2024-03-01T00:00:00Z|2024-03-01T00:00:01Z");
  column = g_ptr_array_index (report->columns, 2);
  g_assert_cmpint (column->timestamp_format, ==, RF_TIMESTAMP_FORMAT_EPOCH_MS);
  column = g_ptr_array_index (report->columns, 3);
  g_assert_cmpint (column->timestamp_format, ==, RF_TIMESTAMP_FORMAT_EPOCH_S);

  /* a unit in the name becomes the column's unit, as for CSV headers */
  g_assert_cmpstr (rf_table_find_column (table, "Air temperature [K]")->unit, ==, "K");
  g_assert_cmpstr (rf_table_find_column (table, "flow (m\xc2\xb3/h)")->unit, ==, "m\xc2\xb3/h");
  g_assert_null (rf_table_find_column (table, "Pump (line 2)")->unit);
  g_assert_null (rf_table_find_column (table, "n")->unit);
}

static void
test_types_timestamps (void)
{
  static const char json[] =
    "[{\"iso\": \"2024-03-01 12:00:00+01:00\", \"dot\": \"01.03.2024 12:00:00,5\","
    "  \"mdy\": \"03/01/2024 01:00:00 PM\", \"dmy\": \"01/02/2024\","
    "  \"mixed\": \"2024-03-01\", \"date\": \"2024-03-01\"},"
    " {\"iso\": \"2024-03-01T11:00:01Z\", \"dot\": \"2.3.2024\","
    "  \"mdy\": \"12/31/2024 11:59:59 PM\", \"dmy\": \"13/02/2024 08:30\","
    "  \"mixed\": \"02.03.2024\", \"date\": \"NA\"}]";
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_ok (json, NULL, &report);
  static const RfTimestampFormat expected[] = {
    RF_TIMESTAMP_FORMAT_ISO, RF_TIMESTAMP_FORMAT_DMY_DOT, RF_TIMESTAMP_FORMAT_MDY_SLASH,
    RF_TIMESTAMP_FORMAT_DMY_SLASH, RF_TIMESTAMP_FORMAT_UNKNOWN, RF_TIMESTAMP_FORMAT_ISO,
  };

  assert_schema (table, "iso:timestamp,dot:timestamp,mdy:timestamp,dmy:timestamp,mixed:string,"
                        "date:timestamp");
  assert_values (table, "iso", "2024-03-01T11:00:00Z|2024-03-01T11:00:01Z");
  assert_values (table, "dot", "2024-03-01T12:00:00.500Z|2024-03-02T00:00:00Z");
  assert_values (table, "mdy", "2024-03-01T13:00:00Z|2024-12-31T23:59:59Z");
  /* 13/02 only parses day first, so the whole column is day first */
  assert_values (table, "dmy", "2024-02-01T00:00:00Z|2024-02-13T08:30:00Z");
  /* ISO and DD.MM.YYYY in one column: no single format, kept as text */
  assert_values (table, "mixed", "2024-03-01|02.03.2024");
  assert_values (table, "date", "2024-03-01T00:00:00Z|<NA>");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      RfColumnReport *column = g_ptr_array_index (report->columns, i);
      g_assert_cmpint (column->timestamp_format, ==, expected[i]);
    }
}

static void
test_types_missing (void)
{
  static const char json[] =
    "[{\"a\": null, \"b\": \"NA\", \"c\": 1, \"s\": \"x\"},"
    " {\"a\": null, \"b\": \"\", \"c\": \"N/A\", \"s\": \"null\"},"
    " {\"b\": \"#N/A\", \"c\": NaN, \"s\": \"None\"},"
    " {\"a\": null, \"b\": \"nan\", \"c\": \"-\", \"s\": \"y\"}]";
  g_autoptr(RfTable) table = read_ok (json, NULL, NULL);
  RfColumn *a = rf_table_find_column (table, "a");

  /* Nothing but null: a string column, all missing. Only NA strings: a
   * string column too, and in a string column a JSON string is text (as a
   * quoted CSV field is), so they are kept. In a typed column NA strings
   * are missing. */
  assert_schema (table, "a:string,b:string,c:int64,s:string");
  g_assert_cmpuint (a->n_missing, ==, 4);
  assert_values (table, "b", "NA||#N/A|nan");
  g_assert_cmpuint (rf_table_find_column (table, "b")->n_missing, ==, 0);
  assert_values (table, "c", "1|<NA>|<NA>|<NA>");
  assert_values (table, "s", "x|null|None|y");
}

static void
test_types_strings (void)
{
  static const char json[] =
    "[{\"s\": \"tab\\there \\\"q\\\" \\\\ \\/ \\u00e9\\ud83d\\ude00 \\ud800 \\b\\f\\r\\n\"},"
    " {\"s\": \"ünïcödé ✓\"}, {\"s\": \"nul\\u0000byte\"}]";
  g_autoptr(RfTable) table = read_ok (json, NULL, NULL);
  RfColumn *s = rf_table_find_column (table, "s");
  gsize length;
  const char *text;

  assert_values (table, "s", "tab\there \"q\" \\ / \xc3\xa9\xf0\x9f\x98\x80 \xef\xbf\xbd \b\f\r\n|"
                             "\xc3\xbcn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 \xe2\x9c\x93|nul");
  text = rf_column_get_string (s, 2, &length);
  g_assert_cmpuint (length, ==, 8);
  g_assert_cmpmem (text, length, "nul\0byte", 8);
}

/* --- options ------------------------------------------------------------- */

static void
test_all_strings (void)
{
  g_autoptr(RfReadOptions) options = rf_read_options_new ();
  g_autoptr(RfTable) table = NULL;

  options->all_strings = TRUE;
  table = read_ok ("[{\"n\": 1.50, \"b\": true, \"t\": \"2024-03-01\", \"x\": [1, 2],"
                   "  \"m\": null},"
                   " {\"n\": -2e3, \"b\": false, \"t\": \"NA\", \"x\": [{\"k\": 1}],"
                   "  \"m\": \"-\"}]", options, NULL);
  assert_schema (table, "n:string,b:string,t:string,x:string,m:string");
  assert_values (table, "n", "1.50|-2e3");
  assert_values (table, "b", "true|false");
  assert_values (table, "t", "2024-03-01|NA");
  assert_values (table, "x", "[1,2]|[{\"k\":1}]");
  assert_values (table, "m", "<NA>|-");
}

static void
test_overrides (void)
{
  static const char json[] =
    "{\"columns\": [\"i\", \"s\", \"sec\", \"ms\", \"b\", \"d\", \"t\", \"x\", \"x\"],"
    " \"data\": [[1.0, 1, 1709294400, 1709294400250, 0, \"1.5\", \"01.03.2024\", 1, \"7\"],"
    "          [\"2\", 2.50, 1709294400.5, null, 1, true, \"junk\", 2, \"8\"],"
    "          [1.5, true, \"x\", 1709294401000, \"yes\", \"abc\", 1709294400, 3, 9]]}";
  g_autoptr(RfReadOptions) options = rf_read_options_new ();
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = NULL;
  RfColumnReport *column;

  rf_read_options_set_column_type (options, "i", RF_COLUMN_INT64);
  rf_read_options_set_column_type (options, "s", RF_COLUMN_STRING);
  rf_read_options_set_column_type (options, "sec", RF_COLUMN_TIMESTAMP);
  rf_read_options_set_column_type (options, "ms", RF_COLUMN_TIMESTAMP);
  rf_read_options_set_column_type (options, "b", RF_COLUMN_BOOL);
  rf_read_options_set_column_type (options, "d", RF_COLUMN_DOUBLE);
  rf_read_options_set_column_type (options, "t", RF_COLUMN_TIMESTAMP);
  rf_read_options_set_column_type (options, "x_2", RF_COLUMN_INT64);
  table = read_ok (json, options, &report);
  assert_schema (table, "i:int64,s:string,sec:timestamp,ms:timestamp,b:bool,d:double,t:timestamp,"
                        "x:int64,x_2:int64");
  assert_values (table, "i", "1|2|<NA>");
  assert_values (table, "s", "1|2.50|true");
  assert_values (table, "sec", "2024-03-01T12:00:00Z|2024-03-01T12:00:00.500Z|<NA>");
  assert_values (table, "ms", "2024-03-01T12:00:00.250Z|<NA>|2024-03-01T12:00:01Z");
  assert_values (table, "b", "false|true|true");
  assert_values (table, "d", "1.5|<NA>|<NA>");
  /* text in its format; numbers as epoch seconds */
  assert_values (table, "t", "2024-03-01T00:00:00Z|<NA>|2024-03-01T12:00:00Z");
  assert_values (table, "x_2", "7|8|9");

  column = g_ptr_array_index (report->columns, 0);
  g_assert_true (column->overridden);
  g_assert_cmpuint (column->n_unparsed, ==, 1);
  column = g_ptr_array_index (report->columns, 2);
  g_assert_cmpint (column->timestamp_format, ==, RF_TIMESTAMP_FORMAT_EPOCH_S);
  g_assert_cmpuint (column->n_unparsed, ==, 1);
  column = g_ptr_array_index (report->columns, 3);
  g_assert_cmpint (column->timestamp_format, ==, RF_TIMESTAMP_FORMAT_EPOCH_MS);
  g_assert_cmpuint (column->n_unparsed, ==, 0);
  column = g_ptr_array_index (report->columns, 6);
  g_assert_cmpint (column->timestamp_format, ==, RF_TIMESTAMP_FORMAT_DMY_DOT);
  column = g_ptr_array_index (report->columns, 7);
  g_assert_false (column->overridden);

  g_assert_cmpuint (report->warnings->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (report->warnings, 0), ==,
                   "Column “i”: 1 values are not int64 and were read as missing (the first in row "
                   "3: “1.5”).");
  g_assert_cmpstr (g_ptr_array_index (report->warnings, 1), ==,
                   "Column “sec”: 1 values are not timestamp and were read as missing (the first "
                   "in row 3: “x”).");
  g_assert_cmpstr (g_ptr_array_index (report->warnings, 2), ==,
                   "Column “d”: 2 values are not double and were read as missing (the first in row "
                   "2: “true”).");
  g_assert_cmpstr (g_ptr_array_index (report->warnings, 3), ==,
                   "Column “t”: 1 values are not timestamp and were read as missing (the first in "
                   "row 2: “junk”).");
}

/* --- encodings ----------------------------------------------------------- */

static char *
utf16 (const char *utf8,
       const char *encoding,
       gboolean    bom,
       gsize      *length)
{
  g_autoptr(GError) error = NULL;
  gsize written = 0;
  g_autofree char *body = g_convert (utf8, -1, encoding, "UTF-8", NULL, &written, &error);
  gsize bom_length = !bom ? 0 : strstr (encoding, "32") != NULL ? 4 : 2;
  char *out;

  g_assert_no_error (error);
  out = g_malloc (written + bom_length);
  if (bom_length > 0)
    {
      gboolean le = g_str_has_suffix (encoding, "LE");
      const char *marks = bom_length == 4 ? (le ? "\xFF\xFE\0\0" : "\0\0\xFE\xFF")
                                          : (le ? "\xFF\xFE" : "\xFE\xFF");
      memcpy (out, marks, bom_length);
    }
  memcpy (out + bom_length, body, written);
  *length = written + bom_length;
  return out;
}

static void
test_encoding_bom_and_utf16 (void)
{
  static const struct { const char *encoding; gboolean bom; } cases[] = {
    { "UTF-16LE", TRUE }, { "UTF-16BE", TRUE }, { "UTF-16LE", FALSE }, { "UTF-16BE", FALSE },
    { "UTF-32LE", TRUE }, { "UTF-32BE", FALSE },
  };
  const char *json = "[{\"name\": \"Drehzahl °C ü\", \"v\": 1}]";
  g_autoptr(GError) error = NULL;
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = NULL;

  table = read_named ("\xEF\xBB\xBF[{\"a\": 1}]", -1, "bom.json", NULL, &report, &error);
  g_assert_no_error (error);
  g_assert_true (report->had_bom);
  g_assert_cmpstr (report->encoding, ==, "UTF-8");
  assert_schema (table, "a:int64");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length;
      g_autofree char *data = utf16 (json, cases[i].encoding, cases[i].bom, &length);

      g_clear_pointer (&table, rf_table_unref);
      g_clear_pointer (&report, rf_read_report_free);
      table = read_named (data, (gssize) length, "wide.json", NULL, &report, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (report->encoding, ==, cases[i].encoding);
      g_assert_cmpint (report->had_bom, ==, cases[i].bom);
      assert_values (table, "name", "Drehzahl \xc2\xb0" "C \xc3\xbc");
    }
}

static void
test_encoding_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfReadOptions) options = rf_read_options_new ();
  g_autoptr(RfTable) table = NULL;

  error = read_fail ("[{\"a\": 1},\n {\"b\": \"caf\xe9\"}]", -1, "latin1.json");
  g_assert_error (error, RF_ERROR, RF_ERROR_ENCODING);
  g_assert_cmpstr (error->message, ==,
                   "“latin1.json”, line 2, column 12: the text is not valid UTF-8 (a bad byte "
                   "sequence); JSON must be UTF-8: save the file as UTF-8, or choose its encoding "
                   "when importing");
  g_clear_error (&error);

  /* odd number of bytes in UTF-16 */
  error = read_fail ("\xFF\xFE[\0]\0x", 7, "odd.json");
  g_assert_error (error, RF_ERROR, RF_ERROR_ENCODING);
  g_assert_true (strstr (error->message, "is not valid UTF-16LE text") != NULL);
  g_clear_error (&error);

  /* a NUL byte in UTF-8 text */
  error = read_fail ("[{\"a\": 1}]\n\0", 12, "nul.json");
  g_assert_error (error, RF_ERROR, RF_ERROR_ENCODING);
  g_assert_true (strstr (error->message, "line 2, column 1") != NULL);
  g_assert_true (strstr (error->message, "a NUL byte") != NULL);
  g_clear_error (&error);

  /* the encoding named in the options */
  g_free (options->encoding);
  options->encoding = g_strdup ("ISO-8859-1");
  table = read_named ("[{\"b\": \"caf\xe9\"}]", -1, "latin1.json", options, NULL, &error);
  g_assert_no_error (error);
  assert_values (table, "b", "caf\xc3\xa9");

  g_free (options->encoding);
  options->encoding = g_strdup ("NO-SUCH-CHARSET");
  g_assert_null (read_named ("[]", -1, "x.json", options, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_ENCODING);
  g_assert_cmpstr (error->message, ==, "“x.json”: the encoding “NO-SUCH-CHARSET” is unknown; "
                                       "choose another one, or save the file as UTF-8");
}

/* --- errors -------------------------------------------------------------- */

static void
test_error_syntax (void)
{
  static const struct { const char *text; const char *message; } cases[] = {
    { "[{\"a\": 1},\n {\"a\": 2,}]",
      "“bad.json”, line 2, column 10: invalid JSON: expected a member name in double quotes, found "
      "‘}’; correct the file or export it again" },
    { "[{\"a\": 1}\n {\"a\": 2}]",
      "“bad.json”, line 2, column 2: invalid JSON: expected ‘,’ or ‘]’ after a record, found ‘{’; "
      "correct the file or export it again" },
    { "[{\"a\": tru}]",
      "“bad.json”, line 1, column 8: invalid JSON: expected a value (a number, a string, true, "
      "false, null, an array or an object), found ‘tru’; correct the file or export it again" },
    { "[{\"a\": 01}]",
      "“bad.json”, line 1, column 8: invalid JSON: a number must not start with 0 (leading zeros); "
      "correct the file or export it again" },
    { "[{\"a\": \"x\ny\"}]",
      "“bad.json”, line 1, column 10: invalid JSON: the control character U+000A inside a string "
      "must be written as \\u000A (is a closing ‘\"’ missing?); correct the file or export it "
      "again" },
    { "{\"a\": [1, 2}",
      "“bad.json”, line 1, column 12: invalid JSON: expected ‘,’ or ‘]’ in an array, found ‘}’; "
      "correct the file or export it again" },
    { "[{\"é\": \"unterminated}]",
      "“bad.json”, line 1, column 8: invalid JSON: the string starting here is never closed (a "
      "‘\"’ is missing); correct the file or export it again" },
    { "[{\"a\": 1}] [",
      "“bad.json”, line 1, column 12: invalid JSON: expected the end of the file after the JSON "
      "document, found ‘[’; correct the file or export it again" },
  };
  static const char *more[] = {
    "[", "[{", "[{\"a\"", "[{\"a\":", "[{\"a\":1", "[{\"a\":1}", "{\"a\":", "{\"a\" 1}",
    "[{\"a\": 1.}]", "[{\"a\": 1e}]", "[{\"a\": -}]", "[{\"a\": +1}]", "[{\"a\": .5}]",
    "[{\"a\": \"\\x\"}]", "[{\"a\": \"\\u12g4\"}]",
    "[{\"a\": [1,]}]", "[{'a': 1}]", "[{a: 1}]", "{\"a\": [1]} x", "[{\"a\": 1} /* c */]", "\x01",
    "[{\"a\": undefined}]", "[{\"a\": Infinit}]", "[{\"a\": -Inf}]", "[{\"a\": 1}]]",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = read_fail (cases[i].text, -1, "bad.json");
      g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (more); i++)
    {
      g_autoptr(GError) error = read_fail (more[i], -1, "bad.json");
      g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, "“bad.json”, line 1, column "));
    }
}

static void
test_error_structure (void)
{
  static const struct
  {
    const char *text;
    const char *name;
    int code;
    const char *message;
  } cases[] = {
    { "42", "x.json", RF_ERROR_INVALID,
      "“x.json”, line 1, column 1: the file holds only a number, not a table; Refinery reads an "
      "array of records ([{\"temp\": 21.5}, ...]), an object of columns ({\"temp\": [21.5, "
      "22.0]}), {\"columns\": [...], \"data\": [[...]]} or JSON Lines" },
    { "  \"text\"", "x.json", RF_ERROR_INVALID, NULL },
    { "[1, 2, 3]", "x.json", RF_ERROR_INVALID,
      "“x.json”, line 1, column 2: element 1 of the top-level array is a number, not an object; "
      "Refinery reads an array of records like [{\"temp\": 21.5, \"rpm\": 1500}, ...], an object "
      "of columns, {\"columns\": [...], \"data\": [[...]]} or JSON Lines" },
    { "[{\"a\": 1},\n [1, 2]]", "x.json", RF_ERROR_INVALID,
      "“x.json”, line 2, column 2: element 2 of the top-level array is an array, not an object; "
      "Refinery reads an array of records like [{\"temp\": 21.5, \"rpm\": 1500}, ...], an object "
      "of columns, {\"columns\": [...], \"data\": [[...]]} or JSON Lines" },
    { "{\"temp\": [1, 2],\n \"rpm\": [1, 2, 3]}", "x.json", RF_ERROR_INVALID,
      "“x.json”, line 2, column 9: column “rpm” has 3 values but column “temp” has 2; in the "
      "column layout every array must have the same length (one value per row)" },
    { "{\"columns\": [\"a\", \"b\"],\n \"data\": [[1, 2],\n  [3]]}", "x.json", RF_ERROR_INVALID,
      "“x.json”, line 3, column 3: row 2 of “data” has 1 values but “columns” names 2; every row "
      "must have one value per column" },
    { "{\"columns\": [\"a\"], \"data\": [[1, 2]]}", "x.json", RF_ERROR_INVALID,
      "“x.json”, line 1, column 29: row 1 of “data” has more values than the 1 columns named in "
      "“columns”; every row must have one value per column" },
    { "{\"columns\": [\"a\"], \"data\": [[1], 2]}", "x.json", RF_ERROR_INVALID,
      "“x.json”, line 1, column 34: row 2 of “data” is a number, not an array of 1 values (one per "
      "column)" },
    { "{\"columns\": [[\"a\"]], \"data\": [[1]]}", "x.json", RF_ERROR_INVALID,
      "“x.json”, line 1, column 13: column name 1 in “columns” is an array or an object; the names "
      "of the split layout must be strings" },
    { "{\"columns\": [\"a\"], \"index\": [0], \"data\": [[1], [2]]}", "x.json", RF_ERROR_INVALID,
      "“x.json”, line 1, column 29: “index” has 1 entries but “data” has 2 rows; they must match" },
    { "{\"a\": 1}\n{\"a\": 2}\n[3]\n", "x.jsonl", RF_ERROR_INVALID,
      "“x.jsonl”, line 3, column 1: record 3 is an array, not an object; every line of a JSON "
      "Lines file must hold one object like {\"temp\": 21.5, \"rpm\": 1500}" },
    { "{\"a\": 1}\n\n\"x\"\n", "x.json", RF_ERROR_INVALID,
      "“x.json”, line 3, column 1: record 2 is a string, not an object; every line of a JSON Lines "
      "file must hold one object like {\"temp\": 21.5, \"rpm\": 1500}" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = read_fail (cases[i].text, -1, cases[i].name);
      g_assert_error (error, RF_ERROR, cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_error_empty (void)
{
  static const char *texts[] = {
    "", "  \n\t ", "\xEF\xBB\xBF", "[]", " [ ] \n", "{}", "[{}, {}]", "{\"a\": []}",
    "{\"a\": [], \"b\": []}", "{\"columns\": [\"a\"], \"data\": []}",
    "{\"columns\": [], \"data\": [[]]}", "{\"a\": {}}", "{}\n{}\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = read_fail (texts[i], -1, "empty.json");
      g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
    }
  {
    g_autoptr(GError) error = read_fail ("[]", -1, "empty.json");
    g_assert_cmpstr (error->message, ==, "“empty.json”, line 1, column 1: the data has no rows (an "
                                         "empty array or empty columns); export the data again");
  }
}

static char *
repeat (const char *unit,
        gsize       n,
        const char *tail)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < n; i++)
    g_string_append (out, unit);
  g_string_append (out, tail);
  return g_string_free (out, FALSE);
}

static void
test_error_depth (void)
{
  static const struct { const char *head; const char *unit; } bombs[] = {
    { "", "{\"a\":" },
    { "[", "{\"a\":" },
    { "[{\"x\":", "[" },
    { "{\"a\":", "[" },
    { "{\"columns\":[\"a\"],\"data\":", "[" },
    { "{\"a\":1}\n", "{\"b\":" },
    { "{\"a\":1}\n{\"b\":", "{\"c\":[" },
  };
  g_autoptr(RfTable) table = NULL;
  g_autofree char *ok_nested = NULL;
  g_autofree char *deep_string = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (bombs); i++)
    {
      g_autofree char *bomb = repeat (bombs[i].unit, 100000, "");
      g_autofree char *text = g_strconcat (bombs[i].head, bomb, NULL);
      g_autoptr(GError) error = read_fail (text, -1, "bomb.json");

      g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
      g_assert_true (strstr (error->message, "nested more than 512 levels deep") != NULL);
    }

  /* An array of arrays is refused at its first element, before any depth. */
  {
    g_autofree char *bomb = repeat ("[", 100000, "");
    g_autoptr(GError) error = read_fail (bomb, -1, "bomb.json");
    g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  }

  /* 500 levels inside a record is still read (as JSON text) */
  ok_nested = repeat ("[", 500, "");
  deep_string = g_strconcat ("[{\"a\": ", ok_nested, "1", NULL);
  g_free (ok_nested);
  ok_nested = repeat ("]", 500, "}]");
  {
    g_autofree char *text = g_strconcat (deep_string, ok_nested, NULL);
    table = read_ok (text, NULL, NULL);
    g_assert_cmpuint (rf_table_find_column (table, "a")->n_bytes, ==, 1001);
  }
}

static void
test_limits (void)
{
  g_autoptr(RfReadOptions) options = rf_read_options_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) table = NULL;
  static const char *texts[] = {
    "[{\"a\":1},{\"a\":2},{\"a\":3}]",
    "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n",
    "{\"a\":[1,2,3]}",
    "{\"columns\":[\"a\"],\"data\":[[1],[2],[3]]}",
    "{\"a\":{\"x\":1,\"y\":2,\"z\":3}}",
  };
  GString *sparse;

  options->max_rows = 2;
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_assert_null (read_named (texts[i], -1, "big.json", options, NULL, &error));
      g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
      g_assert_true (strstr (error->message, "more than 2 rows") != NULL);
      g_clear_error (&error);
    }
  options->max_rows = 3;
  table = read_named (texts[0], -1, "big.json", options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 3);

  options->max_rows = 0;
  options->max_bytes = 10;
  g_assert_null (read_named (texts[0], -1, "big.json", options, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* Every record with a key of its own: keys × rows would explode. */
  sparse = g_string_new ("[");
  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (sparse, "%s{\"k%u\":1}", i > 0 ? "," : "", i);
  g_string_append_c (sparse, ']');
  g_assert_null (read_named (sparse->str, -1, "sparse.json", NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
  g_assert_true (strstr (error->message, "different keys over") != NULL);
  g_string_free (sparse, TRUE);
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  RfTable *table;

  g_cancellable_cancel (cancellable);
  table = rf_json_read_bytes ((const guint8 *) "[{\"a\":1}]", 9, "c.json", NULL, NULL, NULL,
                              cancellable, &error);
  g_assert_null (table);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
cancel_on_report (double      fraction,
                  const char *message,
                  gpointer    user_data)
{
  if (fraction > 0.0)
    g_cancellable_cancel (user_data);
}

/* Cancelled while it parses: the next chunk of rows stops it. */
static void
test_cancel_midway (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RfProgress progress = rf_progress_init (cancel_on_report, cancellable);
  g_autoptr(GString) text = g_string_new ("[");
  g_autoptr(GError) error = NULL;
  RfTable *table;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, "%s{\"v\": %u}", i > 0 ? "," : "", i);
  g_string_append_c (text, ']');
  table = rf_json_read_bytes ((const guint8 *) text->str, text->len, "c.json", NULL, NULL,
                              &progress, cancellable, &error);
  g_assert_null (table);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
record_progress (double      fraction,
                 const char *message,
                 gpointer    user_data)
{
  g_array_append_val ((GArray *) user_data, fraction);
}

static void
test_progress_and_size (void)
{
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  RfProgress progress = rf_progress_init (record_progress, fractions);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) table = NULL;
  RfColumn *ts, *value;
  gint64 sum = 0;

  for (guint i = 0; i < 50000; i++)
    g_string_append_printf (text, "{\"ts\": %u, \"value\": %u, \"s\": \"r%u\"}\n",
                            1709294400 + i, i % 1000, i);
  table = rf_json_read_bytes ((const guint8 *) text->str, text->len, "many.jsonl", NULL, NULL,
                              &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 50000);
  ts = rf_table_find_column (table, "ts");
  value = rf_table_find_column (table, "value");
  g_assert_cmpint (ts->type, ==, RF_COLUMN_INT64);
  for (gsize i = 0; i < value->n_rows; i++)
    sum += value->values.i64[i];
  g_assert_cmpint (sum, ==, 50 * (999 * 1000 / 2));
  g_assert_cmpint (ts->values.i64[49999], ==, 1709294400 + 49999);
  {
    gsize length;
    const char *last = rf_column_get_string (rf_table_find_column (table, "s"), 49999, &length);
    g_assert_cmpmem (last, length, "r49999", 6);
  }

  /* rising, ending at 1 */
  g_assert_cmpuint (fractions->len, >=, 10);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, double, i), >=,
                       g_array_index (fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);
}

static void
test_fixtures (void)
{
  static const struct { const char *file; const char *layout; const char *schema; } cases[] = {
    { "records-nested.json", "records",
      "timestamp:timestamp,temp:double,rpm:int64,alarm:bool,machine.id:string,machine.pos.x:double,"
      "machine.pos.y:int64,tags:string,note:string" },
    { "columns.json", "columns", "time:timestamp,temp:double,rpm:int64" },
    { "pandas-columns.json", "columns", "index:int64,temp:double,rpm:int64" },
    { "split.json", "split", "temp:double,rpm:int64,state:string" },
    { "lines.jsonl", "lines", "temp:double,rpm:int64,vib:double" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = fixture_path (cases[i].file);
      g_autoptr(RfReadReport) report = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(RfTable) table = rf_read_file (path, NULL, &report, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (report->format, ==, RF_FORMAT_JSON);
      g_assert_cmpstr (report->layout, ==, cases[i].layout);
      g_assert_cmpuint (report->n_rows, ==, 3);
      assert_schema (table, cases[i].schema);
      if (i == 0)
        {
          assert_values (table, "temp", "21.5|21.75|<NA>");
          assert_values (table, "alarm", "false|true|<NA>");
          assert_values (table, "machine.pos.y", "-3|-3|<NA>");
          assert_values (table, "tags", "[\"a\",\"b\"]|[]|<NA>");
          assert_values (table, "note", "<NA>|<NA>|restart \"cold\"");
        }
      else if (i == 1)
        assert_values (table, "time",
                       "2024-03-01T00:00:00Z|2024-03-01T00:00:10Z|2024-03-01T00:00:20Z");
      else if (i == 2)
        assert_values (table, "index", "1709251200000|1709251210000|1709251220000");
      else if (i == 4)
        assert_values (table, "vib", "<NA>|0.02|<NA>");
    }
}

static void
test_file_errors (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "nope.json", NULL);
  g_autofree char *big = NULL;
  g_autoptr(RfReadOptions) options = rf_read_options_new ();
  g_autoptr(GError) error = NULL;

  g_assert_null (rf_json_read (missing, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (rf_json_read (dir, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_IO);
  g_clear_error (&error);

  big = rf_test_write_file (dir, "big.json", "[{\"a\": 1}, {\"a\": 2}]", -1);
  options->max_bytes = 5;
  g_assert_null (rf_json_read (big, options, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_suffix (error->message, "over the limit of 5 bytes for JSON files; split it, "
                                                   "or raise the limit in the preferences "
                                                   "(--max-mb on the command line)"));
  rf_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/json/records/basic", test_records_basic);
  g_test_add_func ("/rf/json/records/flatten", test_records_flatten);
  g_test_add_func ("/rf/json/records/missing-keys", test_records_missing_keys);
  g_test_add_func ("/rf/json/records/duplicate-key", test_records_duplicate_key);
  g_test_add_func ("/rf/json/columns/arrays", test_columns_arrays);
  g_test_add_func ("/rf/json/columns/named-like-split", test_columns_named_like_split);
  g_test_add_func ("/rf/json/columns/index-objects", test_columns_index_objects);
  g_test_add_func ("/rf/json/split", test_split);
  g_test_add_func ("/rf/json/lines", test_lines);
  g_test_add_func ("/rf/json/lines/single-object", test_lines_single_object);
  g_test_add_func ("/rf/json/types/numbers", test_types_numbers);
  g_test_add_func ("/rf/json/types/numeric-strings", test_types_numeric_strings);
  g_test_add_func ("/rf/json/types/codes-epochs-units", test_types_codes_epochs_units);
  g_test_add_func ("/rf/json/types/timestamps", test_types_timestamps);
  g_test_add_func ("/rf/json/types/missing", test_types_missing);
  g_test_add_func ("/rf/json/types/strings", test_types_strings);
  g_test_add_func ("/rf/json/options/all-strings", test_all_strings);
  g_test_add_func ("/rf/json/options/overrides", test_overrides);
  g_test_add_func ("/rf/json/encoding/bom-utf16", test_encoding_bom_and_utf16);
  g_test_add_func ("/rf/json/encoding/errors", test_encoding_errors);
  g_test_add_func ("/rf/json/errors/syntax", test_error_syntax);
  g_test_add_func ("/rf/json/errors/structure", test_error_structure);
  g_test_add_func ("/rf/json/errors/empty", test_error_empty);
  g_test_add_func ("/rf/json/errors/depth", test_error_depth);
  g_test_add_func ("/rf/json/limits", test_limits);
  g_test_add_func ("/rf/json/cancel", test_cancel);
  g_test_add_func ("/rf/json/cancel-midway", test_cancel_midway);
  g_test_add_func ("/rf/json/progress-and-size", test_progress_and_size);
  g_test_add_func ("/rf/json/fixtures", test_fixtures);
  g_test_add_func ("/rf/json/file-errors", test_file_errors);

  return g_test_run ();
}

/* test-csv-corpus.c: the CSV reader against ../shared/corpus.
 *
 * /rf/csv/corpus/<file>: one test per row of corpus/csv/MANIFEST.tsv, read
 * with options->all_strings. "parse" rows must match the expected JSON
 * exactly (csv-spectrum: an array of objects keyed by the header; made here:
 * header, rows, and the encoding, delimiter, decimal mark and line ending the
 * reader must detect); "either" rows must not crash and, when they load,
 * match what is known; "reject" rows must fail with an error.
 *
 * /rf/csv/real/...: typed reads of the semicolon, Latin-1 and historian
 * files and of the real data sets (NASA C-MAPSS FD001, AI4I 2020), with
 * exact values.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "rf-csv-reader.h"
#include "rf-error.h"
#include "rf-test-util.h"

typedef struct
{
  char *file;
  char *encoding;
  char *delimiter;
  char *decimal;
  char *line_ending;
  char *rows;
  char *columns;
  char *expected;
  char *expected_output;
} ManifestRow;

static void
manifest_row_free (ManifestRow *row)
{
  g_free (row->file);
  g_free (row->encoding);
  g_free (row->delimiter);
  g_free (row->decimal);
  g_free (row->line_ending);
  g_free (row->rows);
  g_free (row->columns);
  g_free (row->expected);
  g_free (row->expected_output);
  g_free (row);
}

/* The value of a string cell, "" when missing. */
static char *
cell_text (const RfColumn *column,
           gsize           row)
{
  gsize length;
  const char *text;

  g_assert_cmpint (column->type, ==, RF_COLUMN_STRING);
  if (!rf_column_is_valid (column, row))
    return g_strdup ("");
  text = rf_column_get_string (column, row, &length);
  return g_strndup (text, length);
}

/* Expected header names the way the reader makes them unique. */
static char **
unique_names (JsonArray *header)
{
  g_autoptr(RfTable) scratch = rf_table_new ();
  guint n = json_array_get_length (header);
  char **names = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfColumn) column = NULL;

      names[i] = rf_table_unique_name (scratch, json_array_get_string_element (header, i), i);
      column = rf_column_new (names[i], RF_COLUMN_STRING);
      rf_table_add_column (scratch, column);
    }
  return names;
}

static JsonNode *
load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static const char *
delimiter_text (char delimiter)
{
  return delimiter == '\t' ? "\t" : delimiter == ',' ? "," : delimiter == ';' ? ";" : "|";
}

/* made-here/NAME.expected.json: header, rows, and what must be detected. */
static void
check_made_here (const RfTable      *table,
                 const RfReadReport *report,
                 JsonObject         *expected)
{
  JsonArray *header = json_object_get_array_member (expected, "header");
  JsonArray *rows = json_object_get_array_member (expected, "rows");
  g_auto(GStrv) names = unique_names (header);
  g_autofree char *encoding = g_strconcat (report->encoding, report->had_bom ? "-bom" : "", NULL);
  g_autofree char *encoding_lower = g_ascii_strdown (encoding, -1);
  char decimal[2] = { report->decimal_mark, 0 };

  g_assert_cmpstr (encoding_lower, ==, json_object_get_string_member (expected, "encoding"));
  g_assert_cmpstr (delimiter_text (report->delimiter), ==, json_object_get_string_member (expected, "delimiter"));
  g_assert_cmpstr (decimal, ==, json_object_get_string_member (expected, "decimal_separator"));
  g_assert_cmpstr (report->line_ending, ==, json_object_get_string_member (expected, "line_ending"));
  g_assert_true (report->has_header);

  g_assert_cmpuint (rf_table_get_n_columns (table), ==, json_array_get_length (header));
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, json_array_get_length (rows));
  for (guint c = 0; c < rf_table_get_n_columns (table); c++)
    g_assert_cmpstr (rf_table_get_column (table, c)->name, ==, names[c]);
  for (guint r = 0; r < json_array_get_length (rows); r++)
    {
      JsonArray *row = json_array_get_array_element (rows, r);

      g_assert_cmpuint (json_array_get_length (row), ==, rf_table_get_n_columns (table));
      for (guint c = 0; c < json_array_get_length (row); c++)
        {
          g_autofree char *text = cell_text (rf_table_get_column (table, c), r);
          g_assert_cmpstr (text, ==, json_array_get_string_element (row, c));
        }
    }
}

/* csv-spectrum json/NAME.json: an array of objects keyed by the header. */
static void
check_spectrum (const RfTable *table,
                JsonArray     *records)
{
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, json_array_get_length (records));
  for (guint r = 0; r < json_array_get_length (records); r++)
    {
      JsonObject *record = json_array_get_object_element (records, r);

      g_assert_cmpuint (json_object_get_size (record), ==, rf_table_get_n_columns (table));
      for (guint c = 0; c < rf_table_get_n_columns (table); c++)
        {
          const RfColumn *column = rf_table_get_column (table, c);
          g_autofree char *text = cell_text (column, r);

          g_assert_true (json_object_has_member (record, column->name));
          g_assert_cmpstr (text, ==, json_object_get_string_member (record, column->name));
        }
    }
}

static void
test_manifest_row (gconstpointer data)
{
  const ManifestRow *row = data;
  g_autofree char *relative = g_build_filename ("corpus", "csv", row->file, NULL);
  g_autofree char *path = rf_test_shared_path (relative);
  g_autoptr(RfReadOptions) options = rf_read_options_new ();
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_path = NULL;

  if (path == NULL)
    return;
  report = rf_read_report_new (path);
  options->all_strings = TRUE;
  table = rf_csv_read (path, options, report, NULL, NULL, &error);

  if (g_str_equal (row->expected, "reject"))
    {
      g_assert_null (table);
      g_assert_nonnull (error);
      g_assert_true (error->domain == RF_ERROR);
      {
        g_autofree char *base = g_path_get_basename (row->file);
        g_assert_nonnull (strstr (error->message, base));
      }
      return;
    }
  if (g_str_equal (row->expected, "either") && table == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == RF_ERROR);
      g_test_message ("%s: refused (acceptable): %s", row->file, error->message);
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (table);

  if (*row->columns != '\0')
    g_assert_cmpuint (rf_table_get_n_columns (table), ==, g_ascii_strtoull (row->columns, NULL, 10));
  if (*row->rows != '\0')
    g_assert_cmpuint (rf_table_get_n_rows (table), ==, g_ascii_strtoull (row->rows, NULL, 10));

  if (*row->expected_output != '\0')
    {
      g_autofree char *name = g_strdup (row->expected_output);
      g_autofree char *expected_relative = NULL;
      g_autoptr(JsonNode) root = NULL;

      /* "spectrum/x.json (made here)": the path is the first word */
      if (strchr (name, ' ') != NULL)
        *strchr (name, ' ') = '\0';
      expected_relative = g_build_filename ("corpus", "csv", name, NULL);
      expected_path = rf_test_shared_path (expected_relative);
      if (expected_path == NULL)
        return;
      root = load_json (expected_path);
      if (JSON_NODE_HOLDS_ARRAY (root))
        check_spectrum (table, json_node_get_array (root));
      else
        check_made_here (table, report, json_node_get_object (root));
    }
  else if (g_str_has_suffix (row->file, "blank_lines.csv"))
    {
      /* the MANIFEST's note: rows 1,2 and 3,4 */
      g_autofree char *a = cell_text (rf_table_get_column (table, 0), 1);
      g_autofree char *b = cell_text (rf_table_get_column (table, 1), 1);
      g_assert_cmpuint (rf_table_get_n_rows (table), ==, 2);
      g_assert_cmpstr (a, ==, "3");
      g_assert_cmpstr (b, ==, "4");
    }

  /* what the MANIFEST says about the dialect, for every file that loads */
  if (g_str_equal (row->delimiter, "TAB"))
    g_assert_cmpint (report->delimiter, ==, '\t');
  else if (*row->delimiter != '\0')
    g_assert_cmpint (report->delimiter, ==, row->delimiter[0]);
  if (*row->decimal != '\0')
    g_assert_cmpint (report->decimal_mark, ==, row->decimal[0]);
  if (*row->line_ending != '\0')
    g_assert_cmpstr (report->line_ending, ==, row->line_ending);
}

/* Reads MANIFEST.tsv (tab-separated, one header row) into ManifestRows. */
static GPtrArray *
load_manifest (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL, header = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) manifest_row_free);
  int index[9];
  const char *wanted[9] = { "file", "encoding", "delimiter", "decimal", "line_ending", "rows", "columns",
                            "expected", "expected_output" };

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  header = g_strsplit (lines[0], "\t", -1);
  for (int w = 0; w < 9; w++)
    {
      index[w] = -1;
      for (int h = 0; header[h] != NULL; h++)
        if (g_str_equal (header[h], wanted[w]))
          index[w] = h;
      g_assert_cmpint (index[w], >=, 0);
    }
  for (int i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      ManifestRow *row;
      guint n;

      if (*lines[i] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", -1);
      n = g_strv_length (fields);
      row = g_new0 (ManifestRow, 1);
#define FIELD(w) g_strdup (index[w] < (int) n ? fields[index[w]] : "")
      row->file = FIELD (0);
      row->encoding = FIELD (1);
      row->delimiter = FIELD (2);
      row->decimal = FIELD (3);
      row->line_ending = FIELD (4);
      row->rows = FIELD (5);
      row->columns = FIELD (6);
      row->expected = FIELD (7);
      row->expected_output = FIELD (8);
#undef FIELD
      g_ptr_array_add (rows, row);
    }
  return rows;
}

static void
test_manifest_missing (void)
{
  g_autofree char *path = rf_test_shared_path ("corpus/csv/MANIFEST.tsv");
  g_assert_null (path);
}

/* ------------------------------------------------------------------------ */
/* Typed reads */

static RfTable *
read_typed (const char    *relative,
            RfReadReport **report_out)
{
  g_autofree char *path = rf_test_shared_path (relative);
  g_autoptr(GError) error = NULL;
  RfReadReport *report;
  RfTable *table;

  if (path == NULL)
    return NULL;
  report = rf_read_report_new (path);
  table = rf_csv_read (path, NULL, report, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (table);
  if (report_out != NULL)
    *report_out = report;
  else
    rf_read_report_free (report);
  return table;
}

static RfColumn *
column (const RfTable *table,
        const char    *name,
        RfColumnType   type)
{
  RfColumn *column = rf_table_find_column (table, name);

  if (column == NULL)
    g_error ("no column “%s”", name);
  if (column->type != type)
    g_error ("column “%s” is %s, not %s", name, rf_column_type_to_string (column->type),
             rf_column_type_to_string (type));
  return column;
}

static void
assert_string (const RfColumn *col,
               gsize           row,
               const char     *expected)
{
  g_autofree char *text = cell_text (col, row);
  g_assert_true (rf_column_is_valid (col, row));
  g_assert_cmpstr (text, ==, expected);
}

static void
test_semicolon (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_typed ("corpus/csv/made-here/semicolon_decimal_comma.csv", &report);
  RfColumn *time, *wert;
  RfColumnReport *time_report;

  if (table == NULL)
    return;
  g_assert_cmpint (report->delimiter, ==, ';');
  g_assert_cmpint (report->decimal_mark, ==, ',');
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 6);

  time = column (table, "Zeitstempel", RF_COLUMN_TIMESTAMP);
  time_report = g_ptr_array_index (report->columns, 0);
  g_assert_cmpint (time_report->type, ==, RF_COLUMN_TIMESTAMP);
  g_assert_cmpint (time_report->timestamp_format, ==, RF_TIMESTAMP_FORMAT_DMY_DOT);
  for (gsize r = 0; r < 6; r++)
    g_assert_cmpint (rf_column_get_int64 (time, r), ==, rf_timestamp_from_civil (2024, 3, 1, 0, 0, (int) r, 0));

  wert = column (table, "Wert", RF_COLUMN_DOUBLE);
  g_assert_cmpfloat (rf_column_get_double (wert, 0), ==, 21.5);
  g_assert_cmpfloat (rf_column_get_double (wert, 1), ==, 21.75);
  g_assert_cmpfloat (rf_column_get_double (wert, 2), ==, 1013.25);
  g_assert_cmpfloat (rf_column_get_double (wert, 3), ==, -0.004);
  g_assert_false (rf_column_is_valid (wert, 4));
  g_assert_cmpfloat (rf_column_get_double (wert, 5), ==, 12.0);
  g_assert_cmpuint (wert->n_missing, ==, 1);

  assert_string (column (table, "Variable", RF_COLUMN_STRING), 5, "Notiz; mit Semikolon");
  assert_string (column (table, "Einheit", RF_COLUMN_STRING), 3, "m³/h");
  g_assert_false (rf_column_is_valid (column (table, "Einheit", RF_COLUMN_STRING), 5));
  assert_string (column (table, "Qualität", RF_COLUMN_STRING), 3, "Unsicher");
}

static void
test_latin1 (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_typed ("corpus/csv/made-here/latin1_degree.csv", &report);
  RfColumn *temp;

  if (table == NULL)
    return;
  g_assert_cmpstr (report->encoding, ==, "ISO-8859-1");
  g_assert_false (report->had_bom);
  g_assert_cmpstr (report->line_ending, ==, "CRLF");
  temp = column (table, "Temperatur °C", RF_COLUMN_DOUBLE);
  g_assert_cmpfloat (rf_column_get_double (temp, 2), ==, -3.75);
  g_assert_cmpfloat (rf_column_get_double (temp, 3), ==, 512.0);
  assert_string (column (table, "Messstelle", RF_COLUMN_STRING), 3, "Leitfähigkeit µS/cm");
  assert_string (column (table, "Bemerkung", RF_COLUMN_STRING), 3, "½ ¼ ¾ ± × ÷ ©");
  g_assert_cmpint (rf_column_get_int64 (column (table, "Zeit", RF_COLUMN_TIMESTAMP), 1), ==,
                   rf_timestamp_from_civil (2024, 3, 1, 8, 0, 10, 0));
}

static void
test_windows1252 (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_typed ("corpus/csv/made-here/windows1252_euro.csv", &report);

  if (table == NULL)
    return;
  g_assert_cmpstr (report->encoding, ==, "WINDOWS-1252");
  g_assert_cmpfloat (rf_column_get_double (column (table, "Preis €", RF_COLUMN_DOUBLE), 0), ==, 1299.0);
  assert_string (column (table, "Hinweis", RF_COLUMN_STRING), 0, "“Ersatzteil” – lagernd");
  assert_string (column (table, "Hinweis", RF_COLUMN_STRING), 1, "Preis in € ‰ ™");
}

static void
test_historian (void)
{
  g_autoptr(RfTable) table = read_typed ("corpus/csv/made-here/scada_historian_long.csv", NULL);
  g_autoptr(RfTable) latin = NULL;
  g_autoptr(RfReadReport) report = NULL;
  RfColumn *time, *value;
  gint64 midnight = rf_timestamp_from_civil (2024, 3, 1, 0, 0, 0, 0);

  if (table == NULL)
    return;
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 3264);
  time = column (table, "Timestamp", RF_COLUMN_TIMESTAMP);
  g_assert_cmpint (rf_column_get_int64 (time, 0), ==, midnight);
  g_assert_cmpint (rf_column_get_int64 (time, 1), ==, midnight + 125000);
  g_assert_cmpint (rf_column_get_int64 (time, 2), ==, midnight + 250000);
  value = column (table, "Value", RF_COLUMN_DOUBLE);
  g_assert_cmpfloat (rf_column_get_double (value, 0), ==, 50.582);
  g_assert_cmpfloat (rf_column_get_double (value, 1), ==, 20384.0);
  g_assert_cmpuint (value->n_missing, ==, 30);
  assert_string (column (table, "TagName", RF_COLUMN_STRING), 3, "PIC330.PV");

  /* the same data as a German tool writes it: Latin-1, ';', decimal comma,
   * DD.MM.YYYY HH:MM:SS,mmm */
  latin = read_typed ("corpus/csv/made-here/scada_historian_long_de_latin1.csv", &report);
  g_assert_cmpstr (report->encoding, ==, "ISO-8859-1");
  g_assert_cmpuint (rf_table_get_n_rows (latin), ==, 400);
  time = column (latin, "Zeitstempel", RF_COLUMN_TIMESTAMP);
  value = column (latin, "Wert", RF_COLUMN_DOUBLE);
  for (gsize r = 0; r < 400; r++)
    {
      RfColumn *long_time = rf_table_get_column (table, 1);
      RfColumn *long_value = rf_table_get_column (table, 2);

      g_assert_cmpint (rf_column_get_int64 (time, r), ==, rf_column_get_int64 (long_time, r));
      g_assert_cmpint (rf_column_is_valid (value, r), ==, rf_column_is_valid (long_value, r));
      g_assert_cmpfloat (rf_column_get_double (value, r), ==, rf_column_get_double (long_value, r));
    }
  column (latin, "Qualität", RF_COLUMN_STRING);
}

static void
test_nasa (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_typed ("corpus/real/train_FD001.csv", &report);
  gsize last;

  if (table == NULL)
    return;
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 20631);
  g_assert_cmpuint (rf_table_get_n_columns (table), ==, 27);
  last = 20630;

  g_assert_cmpint (rf_column_get_int64 (column (table, "unit", RF_COLUMN_INT64), 0), ==, 1);
  g_assert_cmpint (rf_column_get_int64 (column (table, "unit", RF_COLUMN_INT64), last), ==, 100);
  g_assert_cmpint (rf_column_get_int64 (column (table, "cycle", RF_COLUMN_INT64), last), ==, 200);
  g_assert_cmpfloat (rf_column_get_double (column (table, "setting_1", RF_COLUMN_DOUBLE), 0), ==, -0.0007);
  g_assert_cmpfloat (rf_column_get_double (column (table, "setting_3", RF_COLUMN_DOUBLE), 0), ==, 100.0);
  g_assert_cmpfloat (rf_column_get_double (column (table, "s_2", RF_COLUMN_DOUBLE), 0), ==, 641.82);
  g_assert_cmpfloat (rf_column_get_double (column (table, "s_2", RF_COLUMN_DOUBLE), 1), ==, 642.15);
  g_assert_cmpfloat (rf_column_get_double (column (table, "s_2", RF_COLUMN_DOUBLE), last), ==, 643.85);
  g_assert_cmpfloat (rf_column_get_double (column (table, "s_15", RF_COLUMN_DOUBLE), 0), ==, 8.4195);
  g_assert_cmpfloat (rf_column_get_double (column (table, "s_21", RF_COLUMN_DOUBLE), last), ==, 23.0522);
  g_assert_cmpint (rf_column_get_int64 (column (table, "s_17", RF_COLUMN_INT64), 0), ==, 392);
  g_assert_cmpint (rf_column_get_int64 (column (table, "s_18", RF_COLUMN_INT64), 0), ==, 2388);
  g_assert_cmpint (rf_column_get_int64 (column (table, "RUL", RF_COLUMN_INT64), 0), ==, 191);
  g_assert_cmpint (rf_column_get_int64 (column (table, "RUL", RF_COLUMN_INT64), last), ==, 0);
  for (guint c = 0; c < 27; c++)
    g_assert_cmpuint (rf_table_get_column (table, c)->n_missing, ==, 0);
  g_assert_cmpuint (report->warnings->len, ==, 0);
}

static void
test_ai4i (void)
{
  g_autoptr(RfTable) table = read_typed ("corpus/real/ai4i2020.csv", NULL);
  RfColumn *air, *speed;

  if (table == NULL)
    return;
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 10000);
  g_assert_cmpuint (rf_table_get_n_columns (table), ==, 14);

  air = column (table, "Air temperature [K]", RF_COLUMN_DOUBLE);
  g_assert_cmpstr (air->unit, ==, "K");
  g_assert_cmpfloat (rf_column_get_double (air, 0), ==, 298.1);
  g_assert_cmpfloat (rf_column_get_double (air, 9999), ==, 299.0);
  speed = column (table, "Rotational speed [rpm]", RF_COLUMN_INT64);
  g_assert_cmpstr (speed->unit, ==, "rpm");
  g_assert_cmpint (rf_column_get_int64 (speed, 0), ==, 1551);
  g_assert_cmpstr (column (table, "Torque [Nm]", RF_COLUMN_DOUBLE)->unit, ==, "Nm");
  g_assert_cmpstr (column (table, "Tool wear [min]", RF_COLUMN_INT64)->unit, ==, "min");
  g_assert_null (column (table, "UDI", RF_COLUMN_INT64)->unit);

  assert_string (column (table, "Type", RF_COLUMN_STRING), 0, "M");
  assert_string (column (table, "Type", RF_COLUMN_STRING), 1, "L");
  assert_string (column (table, "Product ID", RF_COLUMN_STRING), 9999, "M24859");
  g_assert_cmpint (rf_column_get_int64 (column (table, "Machine failure", RF_COLUMN_INT64), 0), ==, 0);
}

static void
test_big_ints (void)
{
  g_autoptr(RfTable) table = read_typed ("corpus/csv/made-here/leading_zeros_and_big_ints.csv", NULL);

  if (table == NULL)
    return;
  assert_string (column (table, "zip", RF_COLUMN_STRING), 0, "01234");
  g_assert_cmpint (rf_column_get_int64 (column (table, "big", RF_COLUMN_INT64), 0), ==,
                   G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpfloat (rf_column_get_double (column (table, "huge", RF_COLUMN_DOUBLE), 0), ==,
                     123456789012345678901234567890.0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) rows = NULL;
  const char *shared = g_getenv ("RF_SHARED_DIR");
  g_autofree char *manifest = shared != NULL ? g_build_filename (shared, "corpus", "csv", "MANIFEST.tsv", NULL)
                                             : NULL;

  g_test_init (&argc, &argv, NULL);

  if (manifest != NULL && g_file_test (manifest, G_FILE_TEST_EXISTS))
    {
      rows = load_manifest (manifest);
      for (guint i = 0; i < rows->len; i++)
        {
          const ManifestRow *row = g_ptr_array_index (rows, i);
          g_autofree char *name = g_strdup_printf ("/rf/csv/corpus/%s", row->file);
          g_test_add_data_func (name, row, test_manifest_row);
        }
    }
  else
    g_test_add_func ("/rf/csv/corpus/manifest-missing", test_manifest_missing);

  g_test_add_func ("/rf/csv/real/semicolon-decimal-comma", test_semicolon);
  g_test_add_func ("/rf/csv/real/latin1", test_latin1);
  g_test_add_func ("/rf/csv/real/windows-1252", test_windows1252);
  g_test_add_func ("/rf/csv/real/historian", test_historian);
  g_test_add_func ("/rf/csv/real/nasa-cmapss-fd001", test_nasa);
  g_test_add_func ("/rf/csv/real/ai4i2020", test_ai4i);
  g_test_add_func ("/rf/csv/real/leading-zeros-big-ints", test_big_ints);

  return g_test_run ();
}

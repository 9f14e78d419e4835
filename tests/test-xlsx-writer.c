/* The Excel writer, read back by a third-party spreadsheet program
 * (../shared/tools/excel-oracle, gnumeric): exact values, sheet names and
 * order, native charts over the right cells, Excel's limits refused with
 * nothing left behind. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-error.h"
#include "rf-reader.h"
#include "rf-test-util.h"
#include "rf-timestamp.h"
#include "rf-writer.h"
#include "rf-xlsx-writer.h"

/* Runs a program; returns its exit status (-1: it could not run). */
static int
run (char              **out,
     const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, out,
                     NULL, &status, &error))
    return -1;
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* The oracle's reading of sheet `sheet` of path, every cell as text;
 * NULL (test skipped loudly, or failed when only gnumeric is missing). */
static RfTable *
oracle_read (const char *path,
             guint       sheet,
             const char *dir)
{
  g_autofree char *oracle = rf_test_shared_path ("tools/excel-oracle");
  g_autofree char *prefix = g_build_filename (dir, "oracle", NULL);
  g_autofree char *csv = NULL, *name = NULL, *ssconvert = NULL;
  g_autoptr(GError) error = NULL;
  RfReadOptions *options;
  RfTable *table;

  if (oracle == NULL)
    return NULL;
  /* gnumeric is installed by tools/install-deps: its absence is a failure. */
  ssconvert = g_find_program_in_path ("ssconvert");
  g_assert_nonnull (ssconvert);
  g_assert_cmpint (run (NULL, (const char * const[]) { "node", oracle, "to-csv", path, prefix, NULL }), ==, 0);
  name = g_strdup_printf ("oracle.%u.csv", sheet);
  csv = g_build_filename (dir, name, NULL);
  options = rf_read_options_new ();
  options->all_strings = TRUE;
  options->header = RF_HEADER_PRESENT;
  table = rf_read_file (csv, options, NULL, NULL, NULL, &error);
  rf_read_options_free (options);
  g_assert_no_error (error);
  return table;
}

static const char *
cell (RfTable    *table,
      const char *column,
      gsize       row,
      char       *buffer)
{
  RfColumn *c = rf_table_find_column (table, column);
  gsize length;
  const char *s;

  g_assert_nonnull (c);
  if (!rf_column_is_valid (c, row))
    return "";
  s = rf_column_get_string (c, row, &length);
  memcpy (buffer, s, MIN (length, 255));
  buffer[MIN (length, 255)] = '\0';
  return buffer;
}

static RfTable *
sample_table (void)
{
  RfTable *table = rf_table_new ();
  RfColumn *d = rf_column_new ("double", RF_COLUMN_DOUBLE);
  RfColumn *i = rf_column_new ("int", RF_COLUMN_INT64);
  RfColumn *b = rf_column_new ("flag", RF_COLUMN_BOOL);
  RfColumn *s = rf_column_new ("text", RF_COLUMN_STRING);
  RfColumn *t = rf_column_new ("time", RF_COLUMN_TIMESTAMP);
  const char *texts[] = { "plain", "comma, \"quote\"", "line\nbreak", "Grüße °C 温度" };
  gint64 stamp;

  g_assert_true (rf_timestamp_parse ("2024-05-01T12:00:00.125Z", 24, RF_TIMESTAMP_FORMAT_ISO, &stamp));
  rf_column_append_double (d, 0.1);
  rf_column_append_double (d, 641.82);
  rf_column_append_double (d, -1.2345678901234567e-300);
  rf_column_append_null (d);
  rf_column_append_int64 (i, 42);
  rf_column_append_int64 (i, -(G_GINT64_CONSTANT (1) << 53));
  rf_column_append_int64 (i, (G_GINT64_CONSTANT (1) << 53) + 1);
  rf_column_append_null (i);
  rf_column_append_bool (b, TRUE);
  rf_column_append_bool (b, FALSE);
  rf_column_append_null (b);
  rf_column_append_bool (b, TRUE);
  for (int k = 0; k < 4; k++)
    rf_column_append_string (s, texts[k], strlen (texts[k]));
  rf_column_append_timestamp (t, stamp);
  rf_column_append_timestamp (t, 0);
  rf_column_append_timestamp (t, G_GINT64_CONSTANT (-2500000000) * G_USEC_PER_SEC);   /* 1890 */
  rf_column_append_null (t);
  rf_table_add_column (table, d);
  rf_table_add_column (table, i);
  rf_table_add_column (table, b);
  rf_table_add_column (table, s);
  rf_table_add_column (table, t);
  rf_column_unref (d);
  rf_column_unref (i);
  rf_column_unref (b);
  rf_column_unref (s);
  rf_column_unref (t);
  return table;
}

static void
test_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) table = sample_table ();
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "values.xlsx", NULL);
  g_autoptr(RfTable) back = NULL;
  char buf[256];
  gint64 stamp;
  double serial;

  g_assert_true (rf_write_file (table, path, RF_OUTPUT_XLSX, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  /* Nothing beside it: the temporary file is gone. */
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);
  back = oracle_read (path, 0, dir);
  if (back == NULL)
    goto out;
  g_assert_cmpuint (rf_table_get_n_rows (back), ==, 4);
  g_assert_cmpuint (rf_table_get_n_columns (back), ==, 5);
  /* Doubles to 16 significant digits (Excel shows 15). */
  g_assert_cmpfloat (g_ascii_strtod (cell (back, "double", 0, buf), NULL), ==, 0.1);
  g_assert_cmpfloat (fabs (g_ascii_strtod (cell (back, "double", 1, buf), NULL) - 641.82), <=, 641.82 * 1e-15);
  g_assert_cmpfloat (fabs (g_ascii_strtod (cell (back, "double", 2, buf), NULL) + 1.2345678901234567e-300), <=,
                     1.2345678901234567e-300 * 1e-15);
  g_assert_cmpstr (cell (back, "double", 3, buf), ==, "");
  g_assert_cmpstr (cell (back, "int", 0, buf), ==, "42");
  g_assert_cmpfloat (g_ascii_strtod (cell (back, "int", 1, buf), NULL), ==, -9007199254740992.0);
  /* Beyond 2^53: text, every digit kept. */
  g_assert_cmpstr (cell (back, "int", 2, buf), ==, "9007199254740993");
  g_assert_cmpstr (cell (back, "flag", 0, buf), ==, "TRUE");
  g_assert_cmpstr (cell (back, "flag", 1, buf), ==, "FALSE");
  g_assert_cmpstr (cell (back, "flag", 2, buf), ==, "");
  g_assert_cmpstr (cell (back, "text", 1, buf), ==, "comma, \"quote\"");
  g_assert_cmpstr (cell (back, "text", 2, buf), ==, "line\nbreak");
  g_assert_cmpstr (cell (back, "text", 3, buf), ==, "Grüße °C 温度");
  /* Dates: serial days since 1899-12-30. */
  g_assert_true (rf_timestamp_parse ("2024-05-01T12:00:00.125Z", 24, RF_TIMESTAMP_FORMAT_ISO, &stamp));
  serial = 25569.0 + (double) stamp / 86400e6;
  g_assert_cmpfloat (fabs (g_ascii_strtod (cell (back, "time", 0, buf), NULL) - serial), <, 1e-9);
  g_assert_cmpfloat (g_ascii_strtod (cell (back, "time", 1, buf), NULL), ==, 25569.0);
  /* Before 1900-03-01: ISO text. */
  g_assert_true (g_str_has_prefix (cell (back, "time", 2, buf), "1890-"));
  g_assert_cmpstr (cell (back, "time", 3, buf), ==, "");
out:
  rf_test_remove_tree (dir);
}

static RfTable *
numbers (guint  n_columns,
         gsize  n_rows)
{
  RfTable *table = rf_table_new ();

  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *name = g_strdup_printf ("c%u", c);
      RfColumn *column = rf_column_new (name, c == 0 ? RF_COLUMN_STRING : RF_COLUMN_DOUBLE);

      for (gsize r = 0; r < n_rows; r++)
        {
          if (c == 0)
            {
              char label[16];
              int length = g_snprintf (label, sizeof label, "s%" G_GSIZE_FORMAT, r);
              rf_column_append_string (column, label, (gsize) length);
            }
          else
            rf_column_append_double (column, (double) (r * c) / 8.0);
        }
      rf_table_add_column (table, column);
      rf_column_unref (column);
    }
  return table;
}

/* Several sheets in order, and a chart whose series point at the cells. */
static void
test_sheets_and_chart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "book.xlsx", NULL);
  g_autoptr(RfTable) metrics = numbers (3, 25);
  g_autoptr(RfTable) data = sample_table ();
  g_autoptr(RfXlsxBook) book = rf_xlsx_book_new (path, &error);
  g_autofree char *sheets = NULL, *chart = NULL;
  g_autofree char *oracle = NULL;
  const guint values[] = { 1, 2 };
  RfXlsxChart spec = { RF_XLSX_CHART_BAR, "KS per column", "KS", NULL, 0, values, 2, 1, 4 };

  g_assert_no_error (error);
  g_assert_true (rf_xlsx_book_add_table (book, "metrics", metrics, &spec, 1, NULL, NULL, &error));
  g_assert_true (rf_xlsx_book_add_table (book, "data", data, NULL, 0, NULL, NULL, &error));
  g_assert_no_error (error);
  /* The same name twice, and a forbidden one. */
  g_assert_false (rf_xlsx_book_add_table (book, "data", data, NULL, 0, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (rf_xlsx_book_add_table (book, "a/b", data, NULL, 0, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (rf_xlsx_book_commit (g_steal_pointer (&book), &error));
  g_assert_no_error (error);

  oracle = rf_test_shared_path ("tools/excel-oracle");
  if (oracle != NULL)
    {
      g_assert_cmpint (run (&sheets, (const char * const[]) { "node", oracle, "sheets", path, NULL }), ==, 0);
      g_assert_cmpstr (sheets, ==, "0\tmetrics\n1\tdata\n");
    }
  g_assert_cmpint (run (&chart, (const char * const[]) { "unzip", "-p", path, "xl/charts/chart1.xml", NULL }), ==, 0);
  g_assert_nonnull (strstr (chart, "<c:barChart>"));
  g_assert_nonnull (strstr (chart, "metrics!$A$2:$A$26"));
  g_assert_nonnull (strstr (chart, "metrics!$B$2:$B$26"));
  g_assert_nonnull (strstr (chart, "metrics!$C$2:$C$26"));
  g_assert_nonnull (strstr (chart, "KS per column"));
  rf_test_remove_tree (dir);
}

/* Over Excel's limits: refused before writing, nothing left behind, an
 * existing file untouched. */
static void
test_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "big.xlsx", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "dir.xlsx", NULL);
  g_autoptr(RfTable) wide = numbers (RF_XLSX_MAX_COLUMNS + 1, 1);
  g_autoptr(RfTable) tall = numbers (1, RF_XLSX_MAX_ROWS);
  g_autoptr(RfTable) small = numbers (2, 3);
  g_autofree char *before = NULL, *after = NULL;

  g_assert_true (rf_write_file (small, path, RF_OUTPUT_XLSX, NULL, NULL, NULL, &error));
  g_file_get_contents (path, &before, NULL, NULL);

  g_assert_false (rf_write_file (wide, path, RF_OUTPUT_XLSX, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "16384"));
  g_clear_error (&error);
  g_assert_false (rf_write_file (tall, path, RF_OUTPUT_XLSX, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "write Parquet or CSV"));
  g_clear_error (&error);
  g_assert_false (rf_write_file (small, missing, RF_OUTPUT_XLSX, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_IO);
  g_clear_error (&error);

  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);
  g_file_get_contents (path, &after, NULL, NULL);
  g_assert_cmpstr (before, ==, after);
  rf_test_remove_tree (dir);
}

static void
test_sheet_names (void)
{
  g_autofree char *a = rf_xlsx_sheet_name ("train: set [1] / 2024*?");
  g_autofree char *b = rf_xlsx_sheet_name ("");
  g_autofree char *c = rf_xlsx_sheet_name ("a name that is far longer than thirty-one characters");
  g_autofree char *d = rf_xlsx_sheet_name ("'quoted'");
  g_autofree char *e = rf_xlsx_sheet_name ("Grüße");
  RfOutputFormat format;

  g_assert_cmpstr (a, ==, "train_ set _1_ _ 2024__");
  g_assert_cmpstr (b, ==, "Sheet1");
  g_assert_cmpuint (g_utf8_strlen (c, -1), ==, 31);
  g_assert_cmpstr (d, ==, "_quoted_");
  g_assert_cmpstr (e, ==, "Grüße");
  g_assert_true (rf_output_format_from_path ("x/Report.XLSX", &format));
  g_assert_cmpint (format, ==, RF_OUTPUT_XLSX);
  g_assert_cmpstr (rf_output_format_to_string (RF_OUTPUT_XLSX), ==, "xlsx");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/xlsx/values", test_values);
  g_test_add_func ("/rf/xlsx/sheets-and-chart", test_sheets_and_chart);
  g_test_add_func ("/rf/xlsx/limits", test_limits);
  g_test_add_func ("/rf/xlsx/sheet-names", test_sheet_names);
  return g_test_run ();
}

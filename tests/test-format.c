#include "config.h"

#include <string.h>

#include "refinery.h"
#include "rf-test-util.h"

static void
test_sniff (void)
{
  g_assert_cmpint (rf_format_sniff ((const guint8 *) "PAR1\x15\x04", 6), ==, RF_FORMAT_PARQUET);
  g_assert_cmpint (rf_format_sniff ((const guint8 *) "PK\x03\x04rest", 8), ==, RF_FORMAT_XLSX);
  g_assert_cmpint (rf_format_sniff ((const guint8 *) "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8), ==, RF_FORMAT_XLS);
  g_assert_cmpint (rf_format_sniff ((const guint8 *) "a,b\n1,2\n", 8), ==, RF_FORMAT_CSV);
  g_assert_cmpint (rf_format_sniff ((const guint8 *) "  \n[{\"a\":1}]", 12), ==, RF_FORMAT_JSON);
  g_assert_cmpint (rf_format_sniff ((const guint8 *) "\xEF\xBB\xBF{\"a\":1}", 10), ==, RF_FORMAT_JSON);
  g_assert_cmpint (rf_format_sniff ((const guint8 *) "\xFF\xFEw\0x\0", 6), ==, RF_FORMAT_CSV);
  /* UTF-16 without a BOM, both byte orders */
  g_assert_cmpint (rf_format_sniff ((const guint8 *) "a\0,\0b\0\n\0", 8), ==, RF_FORMAT_CSV);
  g_assert_cmpint (rf_format_sniff ((const guint8 *) "\0a\0,\0b\0\n", 8), ==, RF_FORMAT_CSV);
  g_assert_cmpint (rf_format_sniff ((const guint8 *) "\0[\0{\0}\0]", 8), ==, RF_FORMAT_JSON);
  g_assert_cmpint (rf_format_sniff ((const guint8 *) "\x7F" "ELF\x02\x01\x01\0\0\0", 10), ==, RF_FORMAT_UNKNOWN);
  g_assert_cmpint (rf_format_sniff ((const guint8 *) "Temp \xB0" "C;1\r\n", 10), ==, RF_FORMAT_CSV);
}

static void
test_extension (void)
{
  g_assert_cmpint (rf_format_from_extension ("/a/b/data.CSV"), ==, RF_FORMAT_CSV);
  g_assert_cmpint (rf_format_from_extension ("x.tsv"), ==, RF_FORMAT_CSV);
  g_assert_cmpint (rf_format_from_extension ("x.jsonl"), ==, RF_FORMAT_JSON);
  g_assert_cmpint (rf_format_from_extension ("x.parquet"), ==, RF_FORMAT_PARQUET);
  g_assert_cmpint (rf_format_from_extension ("x.txt"), ==, RF_FORMAT_UNKNOWN);
  g_assert_cmpint (rf_format_from_extension ("dir.csv/file"), ==, RF_FORMAT_UNKNOWN);
}

static void
test_detect_file (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *csv = rf_test_write_file (dir, "a.csv", "a,b\n1,2\n", -1);
  g_autofree char *txt = rf_test_write_file (dir, "a.txt", "a\tb\n1\t2\n", -1);
  g_autofree char *lie = rf_test_write_file (dir, "lie.parquet", "a,b\n1,2\n", -1);
  g_autofree char *json_as_csv = rf_test_write_file (dir, "brackets.csv", "[time],value\n1,2\n", -1);
  g_autofree char *csv_as_json = rf_test_write_file (dir, "data.json", "a,b\n1,2\n", -1);
  g_autofree char *empty = rf_test_write_file (dir, "empty.csv", "", 0);
  g_autofree char *binary = rf_test_write_file (dir, "blob.csv", "\x01\x02\x03\0\0\x05garbage", 13);
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  GError *error = NULL;

  g_assert_cmpint (rf_format_detect_file (csv, &error), ==, RF_FORMAT_CSV);
  g_assert_no_error (error);
  g_assert_cmpint (rf_format_detect_file (txt, &error), ==, RF_FORMAT_CSV);
  g_assert_cmpint (rf_format_detect_file (json_as_csv, &error), ==, RF_FORMAT_CSV);

  g_assert_cmpint (rf_format_detect_file (lie, &error), ==, RF_FORMAT_UNKNOWN);
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "lie.parquet"));
  g_assert_nonnull (strstr (error->message, "parquet"));
  g_clear_error (&error);

  g_assert_cmpint (rf_format_detect_file (csv_as_json, &error), ==, RF_FORMAT_UNKNOWN);
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_clear_error (&error);

  g_assert_cmpint (rf_format_detect_file (empty, &error), ==, RF_FORMAT_UNKNOWN);
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
  g_clear_error (&error);

  g_assert_cmpint (rf_format_detect_file (binary, &error), ==, RF_FORMAT_UNKNOWN);
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "blob.csv"));
  g_clear_error (&error);

  g_assert_cmpint (rf_format_detect_file (missing, &error), ==, RF_FORMAT_UNKNOWN);
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_clear_error (&error);
  rf_test_remove_tree (dir);
}

static void
test_size_limit (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *csv = rf_test_write_file (dir, "big.csv", "a,b\n1,2\n3,4\n", -1);
  g_autoptr(RfReadOptions) options = rf_read_options_new ();
  g_autoptr(GError) error = NULL;
  RfTable *table;

  options->max_bytes = 5;
  table = rf_read_file (csv, options, NULL, NULL, NULL, &error);
  g_assert_null (table);
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "big.csv"));
  g_assert_nonnull (strstr (error->message, "limit"));
  rf_test_remove_tree (dir);
}

/* rf_read_file end to end on UTF-16LE text without a BOM. */
static void
test_utf16_without_bom (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  const char text[] = "t\0e\0m\0p\0,\0n\0\n\0" "2\0" "1\0.\0" "5\0,\0" "3\0\n\0";
  g_autofree char *path = rf_test_write_file (dir, "u16.csv", text, sizeof text - 1);
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) table = rf_read_file (path, NULL, &report, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 1);
  g_assert_cmpuint (rf_table_get_n_columns (table), ==, 2);
  g_assert_cmpstr (rf_table_get_column (table, 0)->name, ==, "temp");
  g_assert_cmpfloat (rf_column_get_as_double (rf_table_get_column (table, 0), 0), ==, 21.5);
  g_assert_cmpfloat (rf_column_get_as_double (rf_table_get_column (table, 1), 0), ==, 3.0);
  g_assert_nonnull (strstr (report->encoding, "16"));
  rf_test_remove_tree (dir);
}

static void
test_check_size (void)
{
  GError *error = NULL;

  g_assert_true (rf_format_check_size (RF_FORMAT_CSV, "a.csv", 500000000, 0, &error));
  g_assert_false (rf_format_check_size (RF_FORMAT_CSV, "a.csv", 500000001, 0, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==,
                   "“a.csv” is 500.0 MB, over the limit of 500 MB for CSV files; split it, or raise the "
                   "limit in the preferences (--max-mb on the command line)");
  g_clear_error (&error);
  g_assert_false (rf_format_check_size (RF_FORMAT_JSON, "b.json", 2500000, 200000, &error));
  g_assert_cmpstr (error->message, ==,
                   "“b.json” is 2.5 MB, over the limit of 200000 bytes for JSON files; split it, or raise "
                   "the limit in the preferences (--max-mb on the command line)");
  g_clear_error (&error);
  g_assert_cmpuint (rf_format_max_bytes (RF_FORMAT_JSON, 0), ==, 100000000);
  g_assert_cmpuint (rf_format_max_bytes (RF_FORMAT_JSON, 7), ==, 7);
}

static void
test_limits (void)
{
  g_assert_cmpuint (rf_format_default_max_bytes (RF_FORMAT_CSV), ==, 500000000);
  g_assert_cmpuint (rf_format_default_max_bytes (RF_FORMAT_JSON), ==, 100000000);
  g_assert_cmpuint (rf_format_default_max_bytes (RF_FORMAT_XLSX), ==, 200000000);
  g_assert_cmpuint (rf_format_default_max_bytes (RF_FORMAT_PARQUET), ==, 1000000000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/format/sniff", test_sniff);
  g_test_add_func ("/rf/format/extension", test_extension);
  g_test_add_func ("/rf/format/detect-file", test_detect_file);
  g_test_add_func ("/rf/format/size-limit", test_size_limit);
  g_test_add_func ("/rf/format/limits", test_limits);
  g_test_add_func ("/rf/format/check-size", test_check_size);
  g_test_add_func ("/rf/format/utf16-without-bom", test_utf16_without_bom);
  return g_test_run ();
}

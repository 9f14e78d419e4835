/* test-cli-convert: `refinery-cli convert` end to end, and Parquet through
 * the commands that read and write data files (inspect, sample). */
#include "config.h"

#include <string.h>

#include "refinery.h"
#include "rf-parquet-reader.h"
#include "rf-reader.h"
#include "rf-test-util.h"

/* A small table with every column type, missing values, a unit in a
 * header, quotes, a comma and non-ASCII text. */
static const char sample_csv[] =
  "time,temp [°C],count,ok,label\n"
  "2024-03-01T12:00:00Z,21.5,3,true,\"pump, north\"\n"
  "2024-03-01T12:00:01Z,,-7,false,Ölpumpe\n"
  "2024-03-01T12:00:02.250Z,-0.125,,true,\n"
  "2024-03-01T12:00:03Z,1e-300,9007199254740993,,\"say \"\"hi\"\"\"\n";

static RfTable *
read_table (const char *path)
{
  g_autoptr(GError) error = NULL;
  RfTable *table = rf_read_file (path, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

/* Same columns (name, type, unit), same missing values, same values. */
static void
assert_tables_equal (const RfTable *a,
                     const RfTable *b)
{
  g_assert_cmpuint (rf_table_get_n_columns (a), ==, rf_table_get_n_columns (b));
  g_assert_cmpuint (rf_table_get_n_rows (a), ==, rf_table_get_n_rows (b));
  for (guint c = 0; c < rf_table_get_n_columns (a); c++)
    {
      const RfColumn *x = rf_table_get_column (a, c);
      const RfColumn *y = rf_table_get_column (b, c);

      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpint (x->type, ==, y->type);
      g_assert_cmpstr (x->unit, ==, y->unit);
      g_assert_cmpuint (x->n_missing, ==, y->n_missing);
      for (gsize r = 0; r < x->n_rows; r++)
        {
          g_autoptr(GString) vx = g_string_new (NULL);
          g_autoptr(GString) vy = g_string_new (NULL);

          g_assert_cmpint (rf_column_is_valid (x, r), ==, rf_column_is_valid (y, r));
          rf_column_format_value (x, r, vx);
          rf_column_format_value (y, r, vy);
          g_assert_cmpstr (vx->str, ==, vy->str);
        }
    }
}

/* CSV → Parquet (each codec) → CSV: the values, types and units survive,
 * and the Parquet file itself reads back the same. */
static void
test_round_trip (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *csv = rf_test_write_file (dir, "in.csv", sample_csv, -1);
  g_autoptr(RfTable) original = read_table (csv);
  const char *codecs[] = { "zstd", "snappy", "gzip", "none", "lz4_raw", "brotli" };

  for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
    {
      g_auto(RfTestRun) run = { 0 };
      g_autofree char *pq = g_build_filename (dir, "out.parquet", NULL);
      g_autofree char *back = g_build_filename (dir, "back.csv", NULL);
      g_autoptr(RfTable) from_parquet = NULL;
      g_autoptr(RfTable) from_csv = NULL;
      g_autofree char *codec_upper = g_ascii_strup (codecs[i], -1);
      g_autofree char *expect = NULL;

      rf_test_run_cli (&run, "convert", csv, pq, "--codec", codecs[i]);
      g_assert_cmpint (run.status, ==, 0);
      expect = g_strdup_printf ("parquet, %s,", strcmp (codecs[i], "none") == 0 ? "UNCOMPRESSED"
                                                                               : codec_upper);
      g_assert_nonnull (strstr (run.out, expect));
      g_assert_nonnull (strstr (run.out, ": 4 rows, 5 columns (csv)"));
      from_parquet = read_table (pq);
      assert_tables_equal (original, from_parquet);

      rf_test_run_clear (&run);
      rf_test_run_cli (&run, "convert", pq, back);
      g_assert_cmpint (run.status, ==, 0);
      from_csv = read_table (back);
      assert_tables_equal (original, from_csv);
    }
  rf_test_remove_tree (dir);
}

/* --to overrides the extension; --json describes the conversion. */
static void
test_json_and_to (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *csv = rf_test_write_file (dir, "in.csv", sample_csv, -1);
  g_autofree char *out = g_build_filename (dir, "data.bin", NULL);
  g_auto(RfTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RfParquetFile) file = NULL;
  JsonObject *root;

  rf_test_run_cli (&run, "convert", csv, out, "--to", "parquet", "--codec", "gzip",
                   "--row-group-rows", "2", "--json");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "schema"), ==, "refinery-cli/convert");
  g_assert_cmpint (json_object_get_int_member (root, "schema_version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "in_format"), ==, "csv");
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "parquet");
  g_assert_cmpstr (json_object_get_string_member (root, "codec"), ==, "gzip");
  g_assert_cmpint (json_object_get_int_member (root, "rows"), ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "columns")), ==, 5);
  g_assert_cmpint (json_object_get_int_member (root, "bytes"), >, 0);

  /* Two rows per row group: two row groups. */
  file = rf_parquet_file_open (out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_parquet_file_get_n_row_groups (file), ==, 2);
  g_assert_cmpint (rf_parquet_file_get_n_rows (file), ==, 4);
  g_assert_nonnull (rf_parquet_file_get_metadata (file, "refinery.schema"));
  rf_test_remove_tree (dir);
}

/* Wrong arguments are usage errors (exit 2) that say what to do; bad input
 * is a failure (exit 1) that leaves no output file. */
static void
test_errors (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *csv = rf_test_write_file (dir, "in.csv", sample_csv, -1);
  g_autofree char *bad = rf_test_write_file (dir, "bad.parquet", "PAR1garbage-garbagePAR1", -1);
  g_autofree char *out_csv = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *out_pq = g_build_filename (dir, "out.parquet", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "missing", "out.parquet", NULL);
  const char *usage[][8] = {
    { "convert", NULL },
    { "convert", csv, NULL },
    { "convert", csv, out_pq, "extra", NULL },
    { "convert", csv, "out.xml", NULL },
    { "convert", csv, out_pq, "--to", "xml", NULL },
    { "convert", csv, out_csv, "--codec", "zstd", NULL },
    { "convert", csv, out_pq, "--codec", "lzo", NULL },
    { "convert", csv, out_pq, "--level", "99", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (usage); i++)
    {
      g_auto(RfTestRun) run = { 0 };

      rf_test_run_cli_argv (&run, usage[i]);
      if (run.status != 2)
        g_error ("usage case %u exited %d: %s", i, run.status, run.err);
      g_assert_true (g_str_has_prefix (run.err, "refinery-cli: "));
      g_assert_nonnull (strstr (run.err, "convert --help"));
    }

  {
    g_auto(RfTestRun) run = { 0 };

    rf_test_run_cli (&run, "convert", csv, out_csv, "--codec", "zstd");
    g_assert_nonnull (strstr (run.err, "--codec applies to Parquet output only"));
    rf_test_run_clear (&run);

    rf_test_run_cli (&run, "convert", bad, out_csv);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "bad.parquet"));
    g_assert_false (g_file_test (out_csv, G_FILE_TEST_EXISTS));
    rf_test_run_clear (&run);

    rf_test_run_cli (&run, "convert", csv, nowhere);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "does not exist"));
    rf_test_run_clear (&run);

    rf_test_run_cli (&run, "convert", "--help");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, "Usage:\n  refinery-cli convert [OPTION…] IN OUT\n"));
    rf_test_run_clear (&run);

    rf_test_run_cli (&run, "--help");
    g_assert_nonnull (strstr (run.out, "\n  convert IN OUT "));
  }
  g_assert_cmpuint (rf_test_count_files (dir), ==, 2);
  rf_test_remove_tree (dir);
}

/* sample writes Parquet, with the same rows as CSV for the same seed. */
static void
test_sample_parquet (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *excerpt = rf_test_source_path ("data/sample/incoming/cmapss_fd001_excerpt.csv");
  g_autofree char *model = g_build_filename (dir, "m.safetensors", NULL);
  g_autofree char *pq = g_build_filename (dir, "s.parquet", NULL);
  g_autofree char *csv = g_build_filename (dir, "s.csv", NULL);
  g_autoptr(RfTable) a = NULL;
  g_autoptr(RfTable) b = NULL;
  g_auto(RfTestRun) run = { 0 };

  rf_test_run_cli (&run, "train", excerpt, "--out", model, "--epochs", "2");
  g_assert_cmpint (run.status, ==, 0);
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "sample", model, "--rows", "500", "--seed", "5", "--out", pq);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "(parquet)"));
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "sample", model, "--rows", "500", "--seed", "5", "--out", csv);
  g_assert_cmpint (run.status, ==, 0);

  a = read_table (pq);
  b = read_table (csv);
  assert_tables_equal (a, b);
  rf_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/cli/convert/round-trip", test_round_trip);
  g_test_add_func ("/rf/cli/convert/json-and-to", test_json_and_to);
  g_test_add_func ("/rf/cli/convert/errors", test_errors);
  g_test_add_func ("/rf/cli/convert/sample-parquet", test_sample_parquet);
  return g_test_run ();
}

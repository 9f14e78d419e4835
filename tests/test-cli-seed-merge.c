/* seed and merge through refinery-cli. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "rf-reader.h"
#include "rf-test-util.h"

static const char profile_json[] =
  "{\"machine_id\": \"m1\", \"sampling_interval_s\": 3600, \"seed\": {\"units\": 2},"
  " \"sensors\": ["
  "{\"name\": \"timestamp\", \"role\": \"timestamp\"},"
  "{\"name\": \"temp\", \"unit\": \"degC\", \"min\": 0, \"max\": 100,"
  " \"physics\": {\"nominal\": 40, \"noise\": 1, \"degradation\": 20}},"
  "{\"name\": \"rul\", \"unit\": \"h\", \"role\": \"rul\"}]}";

static JsonObject *
parse (JsonParser *parser,
       const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_seed_and_merge (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *project = g_build_filename (dir, "proj", NULL);
  g_autofree char *profile = rf_test_write_file (dir, "m1.json", profile_json, -1);
  g_autofree char *csv = NULL;
  g_autofree char *seed_file = g_build_filename (project, "merged", "m1", "seed_data.parquet", NULL);
  g_autofree char *merged_file = g_build_filename (project, "merged", "m1", "merged.parquet", NULL);
  g_autofree char *report_file = g_build_filename (project, "merged", "m1", "merge_report.json", NULL);
  g_autofree char *loose = g_build_filename (dir, "seed.csv", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(RfTestRun) run = { 0 };
  GString *data = g_string_new ("timestamp,temp,rul\n");
  JsonObject *o;

  for (int i = 0; i < 50; i++)
    g_string_append_printf (data, "2024-03-01 %02d:00:00,%d,%d\n", i % 24, 40 + i % 7, 49 - i);
  csv = rf_test_write_file (dir, "real.csv", data->str, -1);
  g_string_free (data, TRUE);

  rf_test_run_cli (&run, "project", "init", project);
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "machine", "add", project, "--profile", profile);
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "ingest", project, "--machine", "m1", csv);
  g_assert_cmpint (run.status, ==, 0);

  /* merge before any cleaned data: says what to run */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "merge", project, "--machine", "m1", "--strategy", "merge");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "has no cleaned data yet"));

  /* seed data in the project */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "seed", project, "--machine", "m1", "--rows", "300", "--seed", "3", "--json");
  g_assert_cmpint (run.status, ==, 0);
  o = parse (parser, run.out);
  g_assert_cmpint (json_object_get_int_member (o, "rows"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (o, "units"), ==, 2);
  table = rf_read_file (seed_file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 300);
  g_assert_cmpstr (rf_table_find_column (table, "temp")->unit, ==, "degC");
  g_clear_pointer (&table, rf_table_unref);

  /* clean + transform the real data, then merge with balancing */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "transform", project, "--machine", "m1");
  g_assert_cmpint (run.status, ==, 0);
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "merge", project, "--machine", "m1", "--strategy", "merge", "--json");
  g_assert_cmpint (run.status, ==, 0);
  o = parse (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (o, "strategy"), ==, "merge");
  g_assert_cmpint (json_object_get_int_member (o, "real_rows"), ==, 50);
  g_assert_cmpint (json_object_get_int_member (o, "seed_rows"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (o, "rows_out"), ==, 350);
  g_assert_false (json_object_get_boolean_member (o, "seed_generated"));
  g_assert_true (g_file_test (report_file, G_FILE_TEST_EXISTS));
  table = rf_read_file (merged_file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 350);
  g_assert_nonnull (rf_table_find_column (table, "source"));
  g_clear_pointer (&table, rf_table_unref);

  /* replace refuses 50 rows, unless forced */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "merge", project, "--machine", "m1", "--strategy", "replace");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Only 50 real rows: replacing the seed data needs at least 5000."));
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "merge", project, "--machine", "m1", "--strategy", "replace", "--force", "--balance-rul");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "RUL balancing on “rul”"));

  /* without a project */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "seed", "--profile", profile, "--out", loose, "--rows", "10");
  g_assert_cmpint (run.status, ==, 0);
  table = rf_read_file (loose, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 10);

  /* usage */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "merge", project, "--machine", "m1", "--strategy", "mix");
  g_assert_cmpint (run.status, ==, 2);
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "seed", "--rows", "0");
  g_assert_cmpint (run.status, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/cli/seed-merge", test_seed_and_merge);
  return g_test_run ();
}

/* validate, clean and transform through refinery-cli, on a small project:
 * step 2 and step 4 of the workflow end to end. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "rf-prepare.h"
#include "rf-reader.h"
#include "rf-test-util.h"

static const char pump_profile[] =
  "{\"machine_id\": \"pump_1\", \"sampling_interval_s\": 60, \"sensors\": ["
  "{\"name\": \"timestamp\", \"role\": \"timestamp\"},"
  "{\"name\": \"suction_pressure_bar\", \"unit\": \"bar\"},"
  "{\"name\": \"bearing_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"rul_hours\", \"unit\": \"h\", \"role\": \"rul\"}]}";

typedef struct
{
  char *dir;
  char *project;
  char *processed;
} Fixture;

/* 120 rows a minute apart, written out of order in two halves; pressure in
 * psi with rows 5 and 6 missing; bearing temperature in °F with one 900 °F
 * spike at row 40; an Operator column; row 119 repeats row 118. */
static char *
export_csv (void)
{
  GString *csv = g_string_new ("TIME_STAMP,P_SUCTION_PSI,BRG_TEMP_F,Operator\n");

  for (int k = 0; k < 120; k++)
    {
      int i = k < 60 ? k + 60 : k - 60;    /* the second hour first */
      if (k == 119)
        i = 58;
      g_string_append_printf (csv, "2024-05-01 %02d:%02d:00,", i / 60, i % 60);
      if (i != 5 && i != 6)
        g_string_append_printf (csv, "%g", 14.5 + (i % 10) * 0.1);
      g_string_append_printf (csv, ",%g,ann\n", i == 40 ? 900.0 : 150 + (i % 5));
    }
  return g_string_free (csv, FALSE);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *csv = export_csv ();
  g_autofree char *profile = NULL;
  g_autofree char *file = NULL;
  g_auto(RfTestRun) run = { 0 };

  f->dir = rf_test_make_temp_dir ();
  f->project = g_build_filename (f->dir, "proj", NULL);
  f->processed = g_build_filename (f->project, "processed", "pump_1", NULL);
  profile = rf_test_write_file (f->dir, "pump.json", pump_profile, -1);
  file = rf_test_write_file (f->dir, "export.csv", csv, -1);
  rf_test_run_cli (&run, "project", "init", f->project);
  g_assert_cmpint (run.status, ==, 0);
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "machine", "add", f->project, "--profile", profile);
  g_assert_cmpint (run.status, ==, 0);
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "ingest", f->project, "--machine", "pump_1", file);
  g_assert_cmpint (run.status, ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->dir);
  g_free (f->project);
  g_free (f->processed);
}

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
test_validate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *report_file = g_build_filename (f->processed, "validation_report.json", NULL);
  g_auto(RfTestRun) run = { 0 };
  JsonObject *o;

  rf_test_run_cli (&run, "validate", f->project, "--machine", "pump_1", "--json");
  g_assert_cmpint (run.status, ==, 0);
  o = parse (parser, run.out);
  g_assert_true (json_object_get_boolean_member (o, "validation_passed"));
  g_assert_cmpint (json_object_get_int_member (o, "total_rows"), ==, 120);
  g_assert_cmpint (json_object_get_int_member (o, "duplicate_rows"), ==, 1);
  g_assert_false (json_object_get_boolean_member (o, "timestamp_sorted"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "outliers"), "BRG_TEMP_F"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "machine_id"), ==, "pump_1");
  g_assert_cmpstr (json_object_get_string_member (o, "report_file"), ==, report_file);
  g_assert_true (g_file_test (report_file, G_FILE_TEST_EXISTS));

  /* a stricter row minimum fails validation: exit 1, report still written */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "validate", f->project, "--machine", "pump_1", "--min-rows", "500");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "validation FAILED"));
  g_assert_nonnull (strstr (run.out, "Error: Only 120 rows: at least 500 are needed to learn from the data."));

  /* bad options */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "validate", f->project, "--machine", "pump_1", "--outliers", "mad");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--outliers must be iqr or zscore"));
}

static void
test_clean_map_transform (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *output = g_build_filename (f->processed, "cleaned_data.parquet", NULL);
  g_autofree char *plan_file = g_build_filename (f->processed, "cleaning_plan.json", NULL);
  g_autofree char *transform_file = g_build_filename (f->processed, "transform.json", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gsize first_len, second_len;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(RfTestRun) run = { 0 };
  JsonObject *o, *cleaning;
  RfColumn *c;

  /* clean before map: the columns keep their names */
  rf_test_run_cli (&run, "clean", f->project, "--machine", "pump_1", "--json");
  g_assert_cmpint (run.status, ==, 0);
  o = parse (parser, run.out);
  cleaning = json_object_get_object_member (o, "cleaning");
  g_assert_cmpint (json_object_get_int_member (cleaning, "rows_in"), ==, 120);
  g_assert_cmpint (json_object_get_int_member (cleaning, "rows_out"), ==, 119);
  g_assert_true (json_object_get_boolean_member (cleaning, "sorted"));
  g_assert_cmpint (json_object_get_int_member (cleaning, "duplicates_dropped"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (cleaning, "columns"), "P_SUCTION_PSI"), "filled"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (cleaning, "columns"), "BRG_TEMP_F"), "clipped"), ==, 1);
  g_assert_true (g_file_test (plan_file, G_FILE_TEST_EXISTS));
  table = rf_read_file (output, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rf_table_find_column (table, "P_SUCTION_PSI"));
  g_clear_pointer (&table, rf_table_unref);

  /* map, then transform: sensor names, profile units, RUL from the time */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "map", f->project, "--machine", "pump_1");
  g_assert_cmpint (run.status, ==, 0);
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "transform", f->project, "--machine", "pump_1", "--drop-unmapped", "--json");
  g_assert_cmpint (run.status, ==, 0);
  o = parse (parser, run.out);
  g_assert_true (json_object_get_boolean_member (o, "used_cleaning_plan"));
  g_assert_true (json_object_get_boolean_member (o, "used_mapping"));
  g_assert_cmpint (json_object_get_int_member (o, "rows_out"), ==, 119);
  g_assert_cmpint (json_object_get_int_member (o, "columns"), ==, 4);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (o, "options"), "keep_unmapped"));

  table = rf_read_file (output, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 119);
  g_assert_null (rf_table_find_column (table, "Operator"));
  c = rf_table_find_column (table, "bearing_temp_C");
  g_assert_cmpstr (c->unit, ==, "degC");
  /* row 0: 00:00, 150 °F → 65.5… °C; pressure 14.5 psi → bar */
  g_assert_cmpfloat_with_epsilon (rf_column_get_double (c, 0), (150 - 32) / 1.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (rf_column_get_double (rf_table_find_column (table, "suction_pressure_bar"), 0),
                                  14.5 * 0.06894757293168361, 1e-12);
  /* the interpolated rows 5 and 6 lie on the line from 14.5+0.4 to 14.5+0.7 psi */
  g_assert_cmpfloat_with_epsilon (rf_column_get_double (rf_table_find_column (table, "suction_pressure_bar"), 5),
                                  15.0 * 0.06894757293168361, 1e-12);
  /* RUL in hours: 1 h 59 min at the first row, 0 at the last */
  g_assert_cmpfloat_with_epsilon (rf_column_get_double (rf_table_find_column (table, "rul_hours"), 0),
                                  119.0 / 60, 1e-12);
  g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (table, "rul_hours"), 118), ==, 0);
  g_assert_cmpint (rf_table_find_column (table, "rul_hours")->role, ==, RF_ROLE_RUL);

  /* the options are remembered; a replay writes the same bytes */
  g_assert_true (g_file_get_contents (output, &first, &first_len, NULL));
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "transform", f->project, "--machine", "pump_1");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "P_SUCTION_PSI → suction_pressure_bar"));
  g_assert_nonnull (strstr (run.out, "suction_pressure_bar: psi → bar"));
  g_assert_true (g_file_get_contents (output, &second, &second_len, NULL));
  g_assert_cmpmem (first, first_len, second, second_len);
  g_assert_true (g_file_test (transform_file, G_FILE_TEST_EXISTS));

  /* train reads cleaned_data.parquet: checked in test-cli-model */
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *mapping_file = g_build_filename (f->processed, "mapping.json", NULL);
  g_autofree char *output = g_build_filename (f->processed, "cleaned_data.parquet", NULL);
  g_auto(RfTestRun) run = { 0 };

  /* a plan that does not fit */
  rf_test_run_cli (&run, "clean", f->project, "--machine", "pump_1", "--set", "Operator=mean");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "The column “Operator” holds string values: “mean” does not apply to it."));
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));

  /* a mapping made for other columns */
  g_assert_true (g_mkdir_with_parents (f->processed, 0755) == 0);
  g_assert_true (g_file_set_contents (mapping_file,
                                      "{\"format\": \"refinery-mapping\", \"format_version\": 1, \"source\": \"old.csv\", "
                                      "\"mappings\": {\"x\": {\"sensor\": \"bearing_temp_C\"}}}", -1, NULL));
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "transform", f->project, "--machine", "pump_1");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "The column mapping (made for “old.csv”) does not fit the data"));
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));

  /* usage */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "transform", f->project, "--machine", "pump_1", "--rul", "sometimes");
  g_assert_cmpint (run.status, ==, 2);
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "transform", f->project, "--machine", "nope");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "has no machine “nope” (known machines: pump_1)"));
}

static void
test_clean_file (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *in = g_build_filename (f->dir, "export.csv", NULL);
  g_autofree char *out = g_build_filename (f->dir, "clean.csv", NULL);
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(RfTestRun) run = { 0 };

  rf_test_run_cli (&run, "clean", in, "--out", out, "--set", "P_SUCTION_PSI=drop_rows");
  g_assert_cmpint (run.status, ==, 0);
  table = rf_read_file (out, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* 120 − 1 duplicate − 2 rows without pressure */
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 117);
  g_assert_nonnull (strstr (run.out, "Wrote "));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rf/cli/prepare/validate", test_validate);
  ADD ("/rf/cli/prepare/clean-map-transform", test_clean_map_transform);
  ADD ("/rf/cli/prepare/errors", test_errors);
  ADD ("/rf/cli/prepare/clean-file", test_clean_file);
#undef ADD
  return g_test_run ();
}

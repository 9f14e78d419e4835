#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "rf-mapping.h"
#include "rf-test-util.h"

static const char pump_profile[] =
  "{\"machine_id\": \"pump_1\", \"sensors\": ["
  "{\"name\": \"timestamp\", \"role\": \"timestamp\"},"
  "{\"name\": \"suction_pressure_bar\", \"unit\": \"bar\"},"
  "{\"name\": \"discharge_pressure_bar\", \"unit\": \"bar\"},"
  "{\"name\": \"bearing_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"seal_temp_C\", \"unit\": \"degC\", \"required\": false}]}";

static const char pump_csv[] =
  "TIME_STAMP,P_SUCTION_PSI,P_DISCHARGE_PSI,BRG_TEMP_F,Operator\n"
  "2024-05-01 00:00:00,14.5,120.3,150.2,ann\n"
  "2024-05-01 00:01:00,14.6,120.1,150.9,ann\n"
  "2024-05-01 00:02:00,14.4,119.8,151.4,bob\n";

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_entry (JsonObject *mappings,
              const char *column,
              const char *sensor,
              gint64      score,
              const char *unit_from,
              const char *unit_to,
              gboolean    user_set)
{
  JsonObject *m = json_object_get_object_member (mappings, column);

  g_assert_nonnull (m);
  if (sensor == NULL)
    g_assert_true (json_object_get_null_member (m, "sensor"));
  else
    g_assert_cmpstr (json_object_get_string_member (m, "sensor"), ==, sensor);
  if (score >= 0)
    g_assert_cmpint (json_object_get_int_member (m, "score"), ==, score);
  if (unit_from == NULL)
    g_assert_true (json_object_get_null_member (m, "unit_from"));
  else
    g_assert_cmpstr (json_object_get_string_member (m, "unit_from"), ==, unit_from);
  if (unit_to == NULL)
    g_assert_true (json_object_get_null_member (m, "unit_to"));
  else
    g_assert_cmpstr (json_object_get_string_member (m, "unit_to"), ==, unit_to);
  g_assert_cmpint (json_object_get_boolean_member (m, "user_set"), ==, user_set);
}

static void
test_file (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *csv = rf_test_write_file (dir, "export.csv", pump_csv, -1);
  g_autofree char *profile = rf_test_write_file (dir, "pump.json", pump_profile, -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RfTestRun) run = { 0 };
  JsonObject *root, *mappings;
  JsonArray *unmapped;

  rf_test_run_cli (&run, "map", csv, "--profile", profile, "--json");
  g_assert_cmpint (run.status, ==, 0);
  root = parse_object (run.out, parser);
  mappings = json_object_get_object_member (root, "mappings");
  g_assert_cmpuint (json_object_get_size (mappings), ==, 5);
  assert_entry (mappings, "TIME_STAMP", "timestamp", 100, NULL, NULL, FALSE);
  assert_entry (mappings, "P_SUCTION_PSI", "suction_pressure_bar", 100, "psi", "bar", FALSE);
  assert_entry (mappings, "P_DISCHARGE_PSI", "discharge_pressure_bar", 100, "psi", "bar", FALSE);
  assert_entry (mappings, "BRG_TEMP_F", "bearing_temp_C", 100, "degF", "degC", FALSE);
  assert_entry (mappings, "Operator", NULL, 0, NULL, NULL, FALSE);
  unmapped = json_object_get_array_member (root, "unmapped_required");
  g_assert_cmpuint (json_array_get_length (unmapped), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (root, "source"), ==, "export.csv");
  g_assert_true (json_object_get_null_member (root, "mapping_file"));
  /* without a project nothing is written */
  g_assert_cmpuint (rf_test_count_files (dir), ==, 2);

  /* the table for people */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "map", csv, "--profile", profile, "--set", "Operator=seal_temp_C");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "column           score  sensor\n"
                   "TIME_STAMP         100  timestamp\n"
                   "P_SUCTION_PSI      100  suction_pressure_bar  [psi → bar]\n"
                   "P_DISCHARGE_PSI    100  discharge_pressure_bar  [psi → bar]\n"
                   "BRG_TEMP_F         100  bearing_temp_C  [degF → degC]\n"
                   "Operator           100  seal_temp_C  (your choice)\n"
                   "Every required sensor has a column.\n");
}

static void
test_project (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *project = g_build_filename (dir, "proj", NULL);
  g_autofree char *csv = rf_test_write_file (dir, "export.csv", pump_csv, -1);
  g_autofree char *profile = rf_test_write_file (dir, "pump.json", pump_profile, -1);
  g_autofree char *mapping_file = g_build_filename (project, "processed", "pump_1", "mapping.json", NULL);
  g_autoptr(RfMapping) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(RfTestRun) run = { 0 };

  rf_test_run_cli (&run, "project", "init", project);
  g_assert_cmpint (run.status, ==, 0);
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "machine", "add", project, "--profile", profile);
  g_assert_cmpint (run.status, ==, 0);

  /* nothing ingested yet */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "map", project, "--machine", "pump_1");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "has no data yet"));

  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "ingest", project, "--machine", "pump_1", csv);
  g_assert_cmpint (run.status, ==, 0);

  /* a user's choice is saved and survives a new suggestion ... */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "map", project, "--machine", "pump_1", "--set", "BRG_TEMP_F=seal_temp_C",
                   "--unset", "TIME_STAMP");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Required sensors without a column: bearing_temp_C\n"));
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "map", project, "--machine", "pump_1");
  g_assert_cmpint (run.status, ==, 0);
  saved = rf_mapping_load_file (mapping_file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rf_mapping_get_source (saved), ==, "export.csv");
  g_assert_cmpstr (rf_mapping_find_column (saved, "BRG_TEMP_F")->sensor, ==, "seal_temp_C");
  g_assert_true (rf_mapping_find_column (saved, "BRG_TEMP_F")->user_set);
  g_assert_null (rf_mapping_find_column (saved, "TIME_STAMP")->sensor);
  g_assert_cmpstr (rf_mapping_find_column (saved, "P_SUCTION_PSI")->sensor, ==, "suction_pressure_bar");

  /* ... until --suggest starts afresh */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "map", project, "--machine", "pump_1", "--suggest");
  g_assert_cmpint (run.status, ==, 0);
  g_clear_pointer (&saved, rf_mapping_unref);
  saved = rf_mapping_load_file (mapping_file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rf_mapping_find_column (saved, "BRG_TEMP_F")->sensor, ==, "bearing_temp_C");
  g_assert_cmpstr (rf_mapping_find_column (saved, "TIME_STAMP")->sensor, ==, "timestamp");
  g_assert_false (rf_mapping_find_column (saved, "BRG_TEMP_F")->user_set);

  /* a bad choice changes nothing */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "map", project, "--machine", "pump_1", "--set", "BRG_TEMP_F=flow");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "The profile “pump_1” has no sensor “flow”"));
  g_clear_pointer (&saved, rf_mapping_unref);
  saved = rf_mapping_load_file (mapping_file, &error);
  g_assert_cmpstr (rf_mapping_find_column (saved, "BRG_TEMP_F")->sensor, ==, "bearing_temp_C");
}

static void
test_usage (void)
{
  static const struct { const char *args[6]; const char *message; } cases[] = {
    { { "map" }, "give a data file or a project folder" },
    { { "map", "x.csv" }, "with a data file, --profile PROFILE is required" },
    { { "map", "x.csv", "--profile", "p.json", "--threshold", "101" }, "--threshold must be from 0 to 100" },
    { { "map", "x.csv", "--profile", "p.json", "--suggest" }, "--machine and --suggest need a project folder" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RfTestRun) run = { 0 };

      rf_test_run_cli_argv (&run, cases[i].args);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i].message));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/cli/map/file", test_file);
  g_test_add_func ("/rf/cli/map/project", test_project);
  g_test_add_func ("/rf/cli/map/usage", test_usage);
  return g_test_run ();
}

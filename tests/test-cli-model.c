/* refinery-cli train, refine and sample, end to end. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "refinery.h"
#include "rf-safetensors.h"
#include "rf-test-util.h"

static char *
sample_csv (void)
{
  return rf_test_source_path ("data/sample/incoming/cmapss_fd001_excerpt.csv");
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_keys (JsonObject         *object,
             const char * const *keys)
{
  guint n = 0;

  for (; keys[n] != NULL; n++)
    if (!json_object_has_member (object, keys[n]))
      g_error ("the JSON object has no “%s”", keys[n]);
  g_assert_cmpuint (json_object_get_size (object), ==, n);
}

static const char * const train_keys[] = {
  "schema", "schema_version", "project", "machine", "data", "data_sha256", "rows", "columns",
  "excluded", "encoded_dim", "model", "model_sha256", "seed", "epochs", "epochs_run",
  "stopped_early", "best_epoch", "final_train_loss", "final_validation_loss",
  "best_validation_loss", "train_rows", "validation_rows", "seconds_per_epoch", "setup_seconds",
  "fit_seconds", "encode_seconds", "train_seconds", "total_seconds", "train_loss",
  "validation_loss", NULL,
};

static const char * const refine_extra_keys[] = {
  "base_model", "out_of_mode_share", "scratch_threshold", "recommendation",
  "base_validation_loss", "refined_validation_loss", "training_comparison",
  "refinement_config", NULL,
};

static const char * const sample_keys[] = {
  "schema", "schema_version", "model", "model_sha256", "out", "format", "rows", "columns",
  "seed", "threads", "clip", "temperature", "profile", "profile_columns", "sample_seconds",
  "rows_per_second", "write_seconds", NULL,
};

static RfTable *
read_back (const char *path)
{
  g_autoptr(GError) error = NULL;
  RfTable *table = rf_read_file (path, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

/* train → sample → the file read back has the trained columns and rows;
 * refine writes the refined model and the two comparison files beside it. */
static void
test_file_mode (void)
{
  g_autofree char *csv = sample_csv ();
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *model = g_build_filename (tmp, "fd001.safetensors", NULL);
  g_autofree char *refined = g_build_filename (tmp, "refined.safetensors", NULL);
  g_autofree char *rows_csv = g_build_filename (tmp, "rows.csv", NULL);
  g_autofree char *rows_tsv = g_build_filename (tmp, "rows.tsv", NULL);
  g_autofree char *rows_jsonl = g_build_filename (tmp, "rows.jsonl", NULL);
  g_autofree char *rows_json = g_build_filename (tmp, "rows.txt", NULL);
  g_autofree char *comparison = g_build_filename (tmp, "training_comparison.json", NULL);
  g_autofree char *config = g_build_filename (tmp, "refinement_config.json", NULL);
  g_autofree char *sha = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(RfTestRun) run = { 0 };
  JsonObject *root;
  JsonArray *columns;

  rf_test_run_cli (&run, "train", csv, "--out", model, "--epochs", "3", "--seed", "5",
           "--exclude", "unit,cycle", "--json");
  if (run.status != 0)
    g_error ("train failed: %s", run.err);
  g_assert_cmpstr (run.err, ==, "");
  root = parse_object (parser, run.out);
  assert_keys (root, train_keys);
  g_assert_cmpstr (json_object_get_string_member (root, "schema"), ==, "refinery-cli/train");
  g_assert_cmpint (json_object_get_int_member (root, "schema_version"), ==, 1);
  g_assert_true (json_object_get_null_member (root, "project"));
  g_assert_true (json_object_get_null_member (root, "machine"));
  g_assert_cmpstr (json_object_get_string_member (root, "data"), ==, csv);
  g_assert_cmpstr (json_object_get_string_member (root, "data_sha256"), ==,
                   "6a87b0bbc91cac7f8587f3e9e475b2401b4610a7f09f371dfa370a5978ba7634");
  g_assert_cmpint (json_object_get_int_member (root, "rows"), ==, 2136);
  columns = json_object_get_array_member (root, "columns");
  g_assert_cmpuint (json_array_get_length (columns), ==, 25);
  g_assert_cmpstr (json_array_get_string_element (columns, 0), ==, "setting_1");
  g_assert_cmpstr (json_array_get_string_element (columns, 24), ==, "RUL");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "excluded")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (root, "model"), ==, model);
  sha = rf_file_sha256 (model, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (root, "model_sha256"), ==, sha);
  g_assert_cmpint (json_object_get_int_member (root, "seed"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (root, "epochs"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (root, "epochs_run"), ==, 3);
  g_assert_false (json_object_get_boolean_member (root, "stopped_early"));
  g_assert_cmpint (json_object_get_int_member (root, "train_rows") +
                   json_object_get_int_member (root, "validation_rows"), ==, 2136);
  g_assert_cmpint (json_object_get_int_member (root, "validation_rows"), ==, 214);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "train_loss")), ==, 3);
  g_assert_cmpfloat (json_array_get_double_element (json_object_get_array_member (root, "train_loss"),
                                                    2), ==,
                     json_object_get_double_member (root, "final_train_loss"));
  g_assert_cmpfloat (json_object_get_double_member (root, "seconds_per_epoch"), >, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (root, "setup_seconds"), ==,
                     json_object_get_double_member (root, "fit_seconds") +
                     json_object_get_double_member (root, "encode_seconds"));

  /* sample: CSV from the extension, read back with the trained columns */
  rf_test_run_cli (&run, "sample", model, "--rows", "1000", "--out", rows_csv, "--seed", "3", "--json");
  if (run.status != 0)
    g_error ("sample failed: %s", run.err);
  root = parse_object (parser, run.out);
  assert_keys (root, sample_keys);
  g_assert_cmpstr (json_object_get_string_member (root, "schema"), ==, "refinery-cli/sample");
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "csv");
  g_assert_cmpint (json_object_get_int_member (root, "rows"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (root, "seed"), ==, 3);
  g_assert_true (json_object_get_boolean_member (root, "clip"));
  g_assert_cmpstr (json_object_get_string_member (root, "model_sha256"), ==, sha);
  g_assert_cmpfloat (json_object_get_double_member (root, "rows_per_second"), >, 0.0);
  table = read_back (rows_csv);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 1000);
  g_assert_cmpuint (rf_table_get_n_columns (table), ==, 25);
  g_assert_cmpstr (rf_table_get_column (table, 0)->name, ==, "setting_1");
  g_assert_cmpstr (rf_table_get_column (table, 24)->name, ==, "RUL");
  g_assert_cmpint (rf_table_get_column (table, 24)->type, ==, RF_COLUMN_INT64);
  g_clear_pointer (&table, rf_table_unref);

  /* TSV, JSON Lines, and JSON by --format */
  rf_test_run_cli (&run, "sample", model, "--rows", "10", "--out", rows_tsv);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Sampled 10 rows × 25 columns in "));
  table = read_back (rows_tsv);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 10);
  g_assert_cmpuint (rf_table_get_n_columns (table), ==, 25);
  g_clear_pointer (&table, rf_table_unref);
  rf_test_run_cli (&run, "sample", model, "--rows", "10", "--out", rows_jsonl);
  g_assert_cmpint (run.status, ==, 0);
  table = read_back (rows_jsonl);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 10);
  g_clear_pointer (&table, rf_table_unref);
  rf_test_run_cli (&run, "sample", model, "--rows", "10", "--out", rows_json, "--format", "json");
  g_assert_cmpint (run.status, ==, 0);
  table = read_back (rows_json);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 10);
  g_assert_cmpuint (rf_table_get_n_columns (table), ==, 25);

  /* refine on the same file */
  rf_test_run_cli (&run, "refine", csv, "--base", model, "--out", refined, "--epochs", "2", "--json");
  if (run.status != 0)
    g_error ("refine failed: %s", run.err);
  root = parse_object (parser, run.out);
  {
    g_autoptr(GPtrArray) keys = g_ptr_array_new ();

    for (guint i = 0; train_keys[i] != NULL; i++)
      g_ptr_array_add (keys, (gpointer) train_keys[i]);
    for (guint i = 0; refine_extra_keys[i] != NULL; i++)
      g_ptr_array_add (keys, (gpointer) refine_extra_keys[i]);
    g_ptr_array_add (keys, NULL);
    assert_keys (root, (const char * const *) keys->pdata);
  }
  g_assert_cmpstr (json_object_get_string_member (root, "schema"), ==, "refinery-cli/refine");
  g_assert_cmpstr (json_object_get_string_member (root, "base_model"), ==, model);
  g_assert_cmpstr (json_object_get_string_member (root, "recommendation"), ==, "refine");
  g_assert_cmpfloat (json_object_get_double_member (root, "out_of_mode_share"), <, 0.2);
  g_assert_cmpfloat (json_object_get_double_member (root, "scratch_threshold"), ==, 0.2);
  g_assert_cmpstr (json_object_get_string_member (root, "training_comparison"), ==, comparison);
  g_assert_cmpstr (json_object_get_string_member (root, "refinement_config"), ==, config);
  g_assert_cmpint (json_object_get_int_member (root, "epochs"), ==, 2);
  g_assert_true (g_file_test (refined, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (comparison, G_FILE_TEST_IS_REGULAR));
  root = parse_object (parser, run.out);
  g_assert_true (json_parser_load_from_file (parser, config, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "base_model_path"), ==, model);
  g_assert_cmpfloat (json_object_get_double_member (root, "learning_rate"), ==, 1e-4);
  g_assert_cmpint (json_object_get_int_member (root, "early_stopping_patience"), ==, 10);

  /* text output */
  rf_test_run_cli (&run, "refine", csv, "--base", model, "--out", refined, "--epochs", "1",
           "--freeze-encoder");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Refined on "));
  g_assert_nonnull (strstr (run.out, "\nRecommendation: use the refined model\n"));
  g_assert_nonnull (strstr (run.out, "\nSaved the model to "));
  rf_test_remove_tree (tmp);
}

/* The same seed gives the same file, whatever --threads. */
static void
test_sample_threads (void)
{
  g_autofree char *csv = sample_csv ();
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *model = g_build_filename (tmp, "m.safetensors", NULL);
  g_autofree char *one = g_build_filename (tmp, "one.csv", NULL);
  g_autofree char *two = g_build_filename (tmp, "two.csv", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_auto(RfTestRun) run = { 0 };

  rf_test_run_cli (&run, "train", csv, "--out", model, "--epochs", "1");
  g_assert_cmpint (run.status, ==, 0);
  rf_test_run_cli (&run, "sample", model, "--rows", "20000", "--out", one, "--threads", "1", "--seed", "9");
  g_assert_cmpint (run.status, ==, 0);
  rf_test_run_cli (&run, "sample", model, "--rows", "20000", "--out", two, "--threads", "2", "--seed", "9");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (one, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (two, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  rf_test_remove_tree (tmp);
}

/* --profile keeps columns within its sensors' ranges; --temperature 0 is
 * the reference's argmax, another draw than the default. */
static void
test_sample_profile_temperature (void)
{
  g_autofree char *csv = sample_csv ();
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *model = g_build_filename (tmp, "m.safetensors", NULL);
  g_autofree char *profile = g_build_filename (tmp, "profile.json", NULL);
  g_autofree char *clipped = g_build_filename (tmp, "clipped.csv", NULL);
  g_autofree char *argmax = g_build_filename (tmp, "argmax.csv", NULL);
  g_autofree char *argmax2 = g_build_filename (tmp, "argmax2.csv", NULL);
  g_autofree char *drawn = g_build_filename (tmp, "drawn.csv", NULL);
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RfTable) table = NULL;
  g_auto(RfTestRun) run = { 0 };
  JsonObject *root;
  RfColumn *s2, *rul;

  g_assert_true (g_file_set_contents (profile,
                                      "{\"machine_id\": \"fd\", \"sensors\": ["
                                      "{\"name\": \"s_2\", \"min\": 642.0, \"max\": 642.5},"
                                      "{\"name\": \"RUL\", \"max\": 50},"
                                      "{\"name\": \"not_a_column\", \"min\": 0, \"max\": 1}]}",
                                      -1, NULL));
  rf_test_run_cli (&run, "train", csv, "--out", model, "--epochs", "2");
  g_assert_cmpint (run.status, ==, 0);

  rf_test_run_cli (&run, "sample", model, "--rows", "3000", "--out", clipped, "--profile", profile, "--json");
  if (run.status != 0)
    g_error ("sample --profile failed: %s", run.err);
  root = parse_object (parser, run.out);
  assert_keys (root, sample_keys);
  g_assert_cmpstr (json_object_get_string_member (root, "profile"), ==, profile);
  g_assert_cmpint (json_object_get_int_member (root, "profile_columns"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (root, "temperature"), ==, 0.5);
  table = read_back (clipped);
  s2 = rf_table_find_column (table, "s_2");
  rul = rf_table_find_column (table, "RUL");
  for (gsize r = 0; r < rf_table_get_n_rows (table); r++)
    {
      g_assert_cmpfloat (s2->values.f64[r], >=, 642.0);
      g_assert_cmpfloat (s2->values.f64[r], <=, 642.5);
      g_assert_cmpint (rul->values.i64[r], <=, 50);
    }

  rf_test_run_cli (&run, "sample", model, "--rows", "3000", "--out", argmax, "--temperature", "0");
  g_assert_cmpint (run.status, ==, 0);
  rf_test_run_cli (&run, "sample", model, "--rows", "3000", "--out", argmax2, "--temperature", "0");
  g_assert_cmpint (run.status, ==, 0);
  rf_test_run_cli (&run, "sample", model, "--rows", "3000", "--out", drawn);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (argmax, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (argmax2, &b, NULL, NULL));
  g_assert_true (g_file_get_contents (drawn, &c, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);

  rf_test_run_cli (&run, "sample", model, "--rows", "10", "--out", drawn, "--temperature", "-1");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--temperature"));
  rf_test_run_cli (&run, "sample", model, "--rows", "10", "--out", drawn, "--profile", "/nonexistent/p.json");
  g_assert_cmpint (run.status, ==, 1);
  rf_test_remove_tree (tmp);
}

static char *
copy_sample_project (const char *tmp)
{
  g_autofree char *source = rf_test_source_path ("data/sample");
  g_autofree char *project = g_build_filename (tmp, "plant", NULL);
  g_autofree char *profiles = g_build_filename (project, "profiles", NULL);
  static const char *files[] = { "project.json", "profiles/turbofan_fd001.json" };

  g_assert_cmpint (g_mkdir_with_parents (profiles, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *from = g_build_filename (source, files[i], NULL);
      g_autofree char *to = g_build_filename (project, files[i], NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (to, contents, (gssize) length, NULL));
    }
  return g_steal_pointer (&project);
}

static char *
only_model (const char *dir,
            const char *suffix)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  char *found = NULL;
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_prefix (name, "tvae_") && g_str_has_suffix (name, suffix))
      {
        g_assert_null (found);
        found = g_strdup (name);
      }
  g_assert_nonnull (found);
  return found;
}

/* Inside a project: train on the machine's ingested data, refine by model
 * name, everything written into models/<machine>/. */
static void
test_project_mode (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *project = copy_sample_project (tmp);
  g_autofree char *csv = sample_csv ();
  g_autofree char *models = g_build_filename (project, "models", "turbofan_fd001", NULL);
  g_autofree char *name = NULL;
  g_autofree char *refined = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RfTestRun) run = { 0 };
  JsonObject *root;

  /* nothing ingested yet */
  rf_test_run_cli (&run, "train", project, "--machine", "turbofan_fd001", "--epochs", "1");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "refinery-cli: The machine “turbofan_fd001” has no "
                                            "data yet: ingest a file first with “refinery-cli "
                                            "ingest "));

  rf_test_run_cli (&run, "ingest", project, "--machine", "turbofan_fd001", csv);
  g_assert_cmpint (run.status, ==, 0);
  stored = g_build_filename (project, "raw", "turbofan_fd001", "cmapss_fd001_excerpt.csv", NULL);

  rf_test_run_cli (&run, "train", project, "--machine", "turbofan_fd001", "--epochs", "2",
           "--exclude", "unit", "--exclude", "cycle", "--json");
  if (run.status != 0)
    g_error ("train in a project failed: %s", run.err);
  root = parse_object (parser, run.out);
  assert_keys (root, train_keys);
  g_assert_cmpstr (json_object_get_string_member (root, "machine"), ==, "turbofan_fd001");
  g_assert_nonnull (json_object_get_string_member (root, "project"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (root, "data"),
                                   "/raw/turbofan_fd001/cmapss_fd001_excerpt.csv"));
  name = only_model (models, ".safetensors");
  g_assert_true (g_regex_match_simple ("^tvae_\\d{8}T\\d{6}Z\\.safetensors$", name, 0, 0));
  path = g_build_filename (models, name, NULL);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (root, "model"), path + strlen (tmp)));

  /* refine by the model's name alone */
  rf_test_run_cli (&run, "refine", project, "--machine", "turbofan_fd001", "--base", name, "--epochs", "1",
           "--json");
  if (run.status != 0)
    g_error ("refine in a project failed: %s", run.err);
  root = parse_object (parser, run.out);
  refined = only_model (models, "_refined.safetensors");
  g_assert_true (g_regex_match_simple ("^tvae_\\d{8}T\\d{6}Z_refined\\.safetensors$", refined, 0, 0));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (root, "base_model"), name));
  {
    g_autofree char *comparison = g_build_filename (models, "training_comparison.json", NULL);
    g_autofree char *config = g_build_filename (models, "refinement_config.json", NULL);

    g_assert_true (g_file_test (comparison, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (config, G_FILE_TEST_IS_REGULAR));
  }

  /* merged data does not exist yet */
  rf_test_run_cli (&run, "train", project, "--machine", "turbofan_fd001", "--data", "merged");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "refinery-cli: The machine “turbofan_fd001” has no "
                                            "merged data"));
  g_assert_nonnull (strstr (run.err, "--data real"));

  rf_test_run_cli (&run, "train", project, "--machine", "pump", "--epochs", "1");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "has no machine “pump” (known machines: turbofan_fd001)"));

  rf_test_run_cli (&run, "train", project, "--epochs", "1");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--machine ID"));
  rf_test_remove_tree (tmp);
}

static void
test_usage_errors (void)
{
  g_autofree char *csv = sample_csv ();
  const char *cases[][10] = {
    { "train", NULL },
    { "train", csv, NULL },                                         /* no --out */
    { "train", csv, "a.csv", "--out", "m.safetensors", NULL },
    { "train", csv, "--out", "m.safetensors", "--epochs", "0", NULL },
    { "train", csv, "--out", "m.safetensors", "--epochs", "many", NULL },
    { "train", csv, "--out", "m.safetensors", "--batch-size", "0", NULL },
    { "train", csv, "--out", "m.safetensors", "--validation", "1.5", NULL },
    { "train", csv, "--out", "m.safetensors", "--learning-rate", "-1", NULL },
    { "train", csv, "--out", "m.safetensors", "--seed", "-3", NULL },
    { "train", csv, "--out", "m.safetensors", "--machine", "m1", NULL },
    { "train", csv, "--out", "m.safetensors", "--data", "fake", NULL },
    { "train", csv, "--out", "m.safetensors", "--bogus", NULL },
    { "refine", csv, "--out", "m2.safetensors", NULL },             /* no --base */
    { "refine", csv, "--base", "m.safetensors", NULL },             /* no --out */
    { "refine", "--base", "m.safetensors", "--out", "x.safetensors", NULL },
    { "sample", NULL },
    { "sample", "m.safetensors", "--out", "x.csv", NULL },          /* no --rows */
    { "sample", "m.safetensors", "--rows", "10", NULL },            /* no --out */
    { "sample", "m.safetensors", "--rows", "-5", "--out", "x.csv", NULL },
    { "sample", "m.safetensors", "--rows", "10", "--out", "x.xls", NULL },
    { "sample", "m.safetensors", "--rows", "10", "--out", "x.csv", "--format", "xml", NULL },
    { "sample", "m.safetensors", "--rows", "10", "--out", "x.csv", "--threads", "-1", NULL },
    { "sample", "a.safetensors", "b.safetensors", "--rows", "10", "--out", "x.csv", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RfTestRun) run = { 0 };

      rf_test_run_cli_argv (&run, cases[i]);
      if (run.status != 2)
        g_error ("usage case %u (%s) exited %d: %s", i, cases[i][0], run.status, run.err);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "refinery-cli: "));
      g_assert_nonnull (strstr (run.err, "--help” for more information.\n"));
    }

  {
    g_auto(RfTestRun) run = { 0 };

    rf_test_run_cli (&run, "sample", "m.safetensors", "--rows", "10", "--out", "x.xml");
    g_assert_cmpstr (run.err, ==, "refinery-cli: cannot tell the format from the name “x.xml”; "
                                  "name it .csv, .tsv, .json, .jsonl, .parquet or .xlsx, or give --format "
                                  "(csv, tsv, json (an array of records), jsonl (JSON Lines), parquet or xlsx)\n"
                                  "Try “refinery-cli sample --help” for more information.\n");
    rf_test_run_cli (&run, "--help");
    g_assert_nonnull (strstr (run.out, "\n  train FILE --out MODEL    train a TVAE model"));
    g_assert_nonnull (strstr (run.out, "\n  refine FILE|PROJECT --base MODEL\n"));
    g_assert_nonnull (strstr (run.out, "\n  sample MODEL --rows N --out FILE\n"));
    rf_test_run_cli (&run, "sample", "--help");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, "Usage:\n  refinery-cli sample [OPTION…] MODEL\n"));
    rf_test_run_cli (&run, "help", "refine");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, "Usage:\n  refinery-cli refine [OPTION…] FILE|PROJECT\n"));
    g_assert_nonnull (strstr (run.out, "--freeze-encoder"));
  }
}

static void
test_failures (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *csv = sample_csv ();
  g_autofree char *missing = g_build_filename (tmp, "missing.csv", NULL);
  g_autofree char *model = g_build_filename (tmp, "m.safetensors", NULL);
  g_autofree char *nowhere = g_build_filename (tmp, "no", "such", "m.safetensors", NULL);
  g_autofree char *out = g_build_filename (tmp, "x.csv", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *foreign = NULL;
  g_autoptr(RfSafetensorsWriter) writer = rf_safetensors_writer_new ();
  g_autoptr(GError) error = NULL;
  g_auto(RfTestRun) run = { 0 };
  const float w[] = { 1.0f, 2.0f };
  const gsize shape[] = { 2 };

  rf_test_run_cli (&run, "train", missing, "--out", model);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  expected = g_strdup_printf ("refinery-cli: Cannot open “%s”: No such file or directory\n", missing);
  g_assert_cmpstr (run.err, ==, expected);
  g_assert_false (g_file_test (model, G_FILE_TEST_EXISTS));

  rf_test_run_cli (&run, "train", csv, "--out", nowhere);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "of the output file does not exist"));

  rf_test_run_cli (&run, "train", csv, "--out", model, "--exclude", "nope");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "There is no column “nope” to leave out of training"));
  g_assert_false (g_file_test (model, G_FILE_TEST_EXISTS));

  rf_test_run_cli (&run, "sample", model, "--rows", "5", "--out", out);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "refinery-cli: Could not read the model file "));

  rf_test_run_cli (&run, "refine", csv, "--base", model, "--out", out);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "refinery-cli: Could not read the model file "));

  /* a safetensors file from elsewhere */
  foreign = g_build_filename (tmp, "foreign.safetensors", NULL);
  rf_safetensors_writer_add_tensor_f32 (writer, "w", w, shape, 1);
  g_assert_true (rf_safetensors_writer_save (writer, foreign, &error));
  rf_test_run_cli (&run, "sample", foreign, "--rows", "5", "--out", out);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "foreign.safetensors is not a Refinery model"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  rf_test_remove_tree (tmp);
}

/* Ctrl-C during training: exit 1, "cancelled", no model and no temporary
 * file left in the folder. */
static void
test_interrupt (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *csv = sample_csv ();
  g_autofree char *model = g_build_filename (tmp, "m.safetensors", NULL);
  const char *argv[] = { rf_test_cli_path (), "train", csv, "--out", model, "--epochs", "100000", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  GPid pid;
  int err_fd;
  int status;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, NULL, &err_fd, &error);
  g_assert_no_error (error);
  /* let it read the data and start training */
  g_usleep (1500 * 1000);
  g_assert_cmpint (kill (pid, SIGINT), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  {
    GString *text = g_string_new (NULL);
    char buffer[4096];
    gssize n;

    while ((n = read (err_fd, buffer, sizeof buffer)) > 0)
      g_string_append_len (text, buffer, n);
    close (err_fd);
    err = g_string_free (text, FALSE);
  }
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err, "refinery-cli: cancelled; nothing was changed\n"));
  g_assert_cmpuint (rf_test_count_files (tmp), ==, 0);
  rf_test_remove_tree (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/cli-model/file-mode", test_file_mode);
  g_test_add_func ("/rf/cli-model/sample-threads", test_sample_threads);
  g_test_add_func ("/rf/cli-model/sample-profile-temperature", test_sample_profile_temperature);
  g_test_add_func ("/rf/cli-model/project-mode", test_project_mode);
  g_test_add_func ("/rf/cli-model/usage-errors", test_usage_errors);
  g_test_add_func ("/rf/cli-model/failures", test_failures);
  g_test_add_func ("/rf/cli-model/interrupt", test_interrupt);
  return g_test_run ();
}

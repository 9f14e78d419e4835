/* Steps 7 and 8 through refinery-cli: run (the whole workflow), augment,
 * compare, report (PDF read back by poppler, the workbook by gnumeric),
 * use-model. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "rf-reader.h"
#include "rf-test-util.h"

#define MACHINE "turbofan_fd001"

static char *tmp;          /* the test's folder */
static char *project;      /* a copy of data/sample, run through `run` */

static JsonObject *
parse_file (JsonParser *parser,
            const char *path)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static JsonObject *
parse_text (JsonParser *parser,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static char *
project_file (const char *first,
              ...)
{
  va_list args;
  GPtrArray *parts = g_ptr_array_new ();
  char *path;

  g_ptr_array_add (parts, project);
  va_start (args, first);
  for (const char *p = first; p != NULL; p = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  path = g_build_filenamev ((char **) parts->pdata);
  g_ptr_array_free (parts, TRUE);
  return path;
}

static int
spawn (char              **out,
       const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, out, NULL,
                &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* The model `run` trained: the one file of models/MACHINE/ that is not a
 * refinement. */
static char *
trained_model (void)
{
  g_autofree char *dir = project_file ("models", MACHINE, NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, ".safetensors") && !g_str_has_suffix (name, "_refined.safetensors"))
      return g_build_filename (dir, name, NULL);
  g_assert_not_reached ();
  return NULL;
}

/* The sample project from a file to its report, in one command. */
static void
test_run (void)
{
  g_auto(RfTestRun) run = { 0 };
  g_autofree char *sample = rf_test_source_path ("data/sample");
  g_autofree char *csv = rf_test_source_path ("data/sample/incoming/cmapss_fd001_excerpt.csv");
  g_autofree char *quality = NULL, *report = NULL, *summary = NULL, *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  project = g_build_filename (tmp, "plant", NULL);
  g_assert_cmpint (spawn (NULL, (const char * const[]) { "cp", "-r", sample, project, NULL }), ==, 0);
  rf_test_run_cli (&run, "run", project, "--machine", MACHINE, csv, "--epochs", "40", "--rows", "5000");
  g_test_message ("%s", run.out);
  g_assert_cmpint (run.status, ==, 0);
  for (int step = 1; step <= 8; step++)
    {
      g_autofree char *line = g_strdup_printf ("== Step %d of 8: ", step);
      g_assert_nonnull (strstr (run.out, line));
    }
  g_assert_nonnull (strstr (run.out, "Training a model"));
  g_assert_nonnull (strstr (run.out, "Done: " MACHINE));

  for (const char * const *name = (const char * const[]) { "train.parquet", "val.parquet", "test.parquet", NULL };
       *name != NULL; name++)
    {
      g_autofree char *path = project_file ("augmented", MACHINE, *name, NULL);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  quality = project_file ("augmented", MACHINE, "quality.json", NULL);
  o = parse_file (parser, quality);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "rows"), "train"), ==, 3500);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "rows"), "val"), ==, 750);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "rows"), "test"), ==, 750);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "trajectories"), "rul_increases"),
                   ==, 0);

  report = project_file ("reports", MACHINE "_comparison.json", NULL);
  o = parse_file (parser, report);
  g_assert_cmpstr (json_object_get_string_member (o, "machine_id"), ==, MACHINE);
  g_assert_true (json_object_has_member (json_object_get_object_member (o, "datasets_compared"), "synthetic_synthetic"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (o, "datasets_compared"), "real_data"), "rows"), ==, 2136);
  summary = project_file ("reports", "all_machines_summary.csv", NULL);
  g_assert_true (g_file_get_contents (summary, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "machine_id,comparison_timestamp,real_rows,"));
  g_assert_nonnull (strstr (contents, "\n" MACHINE ","));
}

/* The PDF opens in poppler, renders, and says what the JSON says. */
static void
test_pdf (void)
{
  g_autofree char *pdf = project_file ("reports", MACHINE "_comparison.pdf", NULL);
  g_autofree char *json = project_file ("reports", MACHINE "_comparison.json", NULL);
  g_autofree char *png_prefix = g_build_filename (tmp, "page", NULL);
  g_autofree char *png = g_build_filename (tmp, "page-01.png", NULL);
  g_autofree char *text = NULL, *info = NULL, *quality = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o = parse_file (parser, json);
  double overall = json_object_get_double_member (json_object_get_object_member (
                     json_object_get_object_member (o, "quality_score"), "synthetic"), "overall");

  g_assert_cmpint (spawn (&text, (const char * const[]) { "pdftotext", "-layout", pdf, "-", NULL }), ==, 0);
  g_assert_nonnull (strstr (text, "Synthetic data report"));
  g_assert_nonnull (strstr (text, json_object_get_string_member (o, "recommendation")));
  g_assert_nonnull (strstr (text, "Data provenance"));
  g_assert_nonnull (strstr (text, "Validation and cleaning"));
  g_assert_nonnull (strstr (text, "Column mapping"));
  g_assert_nonnull (strstr (text, "Metrics per column"));
  g_assert_nonnull (strstr (text, "Model lineage and training configuration"));
  quality = g_strdup_printf ("%.3f", overall);
  g_assert_nonnull (strstr (text, quality));
  g_assert_nonnull (strstr (text, "cleaned_data.parquet"));
  g_assert_cmpint (spawn (&info, (const char * const[]) { "pdfinfo", pdf, NULL }), ==, 0);
  g_assert_nonnull (strstr (info, "Refinery report: " MACHINE));
  g_assert_nonnull (strstr (info, "595.276 x 841.89 pts (A4)"));
  g_assert_cmpint (spawn (NULL, (const char * const[]) { "pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", pdf,
                                                          png_prefix, NULL }), ==, 0);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
}

/* The workbook: its sheets in order and the metrics as the JSON has them,
 * read by gnumeric. */
static void
test_xlsx (void)
{
  g_autofree char *oracle = rf_test_shared_path ("tools/excel-oracle");
  g_autofree char *xlsx = project_file ("reports", MACHINE "_comparison.xlsx", NULL);
  g_autofree char *json = project_file ("reports", MACHINE "_comparison.json", NULL);
  g_autofree char *prefix = g_build_filename (tmp, "book", NULL);
  g_autofree char *metrics_csv = g_build_filename (tmp, "book.1.csv", NULL);
  g_autofree char *sheets = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RfTable) metrics = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *per_sensor;
  RfColumn *names, *ks;

  if (oracle == NULL)
    return;
  g_assert_cmpint (spawn (&sheets, (const char * const[]) { "node", oracle, "sheets", xlsx, NULL }), ==, 0);
  g_assert_cmpstr (sheets, ==, "0\tsummary\n1\tmetrics\n2\tloss\n3\treal\n4\tsynthetic\n");
  g_assert_cmpint (spawn (NULL, (const char * const[]) { "node", oracle, "to-csv", xlsx, prefix, NULL }), ==, 0);
  metrics = rf_read_file (metrics_csv, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  per_sensor = json_object_get_object_member (parse_file (parser, json), "per_sensor_metrics");
  names = rf_table_find_column (metrics, "column");
  ks = rf_table_find_column (metrics, "KS synthetic");
  g_assert_nonnull (ks);
  g_assert_cmpuint (rf_table_get_n_rows (metrics), ==, json_object_get_size (per_sensor));
  for (gsize r = 0; r < rf_table_get_n_rows (metrics); r++)
    {
      gsize length;
      const char *s = rf_column_get_string (names, r, &length);
      g_autofree char *name = g_strndup (s, length);
      double expected = json_object_get_double_member (json_object_get_object_member (per_sensor, name),
                                                       "ks_synthetic");

      g_assert_cmpfloat (fabs (rf_column_get_as_double (ks, r) - expected), <=, 1e-15 * MAX (expected, 1e-300));
    }
}

/* Refine, then compare: the base joins as the baseline on its own. */
static void
test_refine_compare (void)
{
  g_auto(RfTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *base = trained_model ();
  JsonObject *o, *datasets, *kl;

  rf_test_run_cli (&run, "refine", project, "--machine", MACHINE, "--base", base, "--epochs", "5");
  g_assert_cmpint (run.status, ==, 0);
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "compare", project, "--machine", MACHINE, "--rows", "4000", "--json");
  g_assert_cmpint (run.status, ==, 0);
  o = parse_text (parser, run.out);
  datasets = json_object_get_object_member (o, "datasets_compared");
  g_assert_true (json_object_has_member (datasets, "seed_synthetic"));
  g_assert_true (json_object_has_member (datasets, "refined_synthetic"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (json_object_get_object_member (
                                     datasets, "refined_synthetic"), "model"), "_refined.safetensors"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (datasets, "seed_synthetic"), "rows"),
                   ==, 4000);
  kl = json_object_get_object_member (json_object_get_object_member (o, "statistical_metrics"), "kl_divergence");
  g_assert_true (json_object_has_member (kl, "seed_vs_real"));
  g_assert_true (json_object_has_member (kl, "refined_vs_real"));
  g_assert_true (json_object_has_member (kl, "improvement"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "recommendation"), "Use refined model") ||
                 g_str_has_prefix (json_object_get_string_member (o, "recommendation"), "Keep original model"));
}

/* use-model: by hand, from the recommendation, listed; refusals. */
static void
test_use_model (void)
{
  g_auto(RfTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *report = project_file ("reports", MACHINE "_comparison.json", NULL);
  g_autofree char *project_json = project_file ("project.json", NULL);
  g_autofree char *text = NULL, *base = NULL, *refined = NULL;
  JsonObject *o, *machine;
  JsonArray *models;

  rf_test_run_cli (&run, "use-model", project, "--machine", MACHINE, "--list", "--json");
  g_assert_cmpint (run.status, ==, 0);
  o = parse_text (parser, run.out);
  models = json_object_get_array_member (o, "models");
  g_assert_cmpuint (json_array_get_length (models), ==, 2);
  refined = g_strdup (json_array_get_string_element (models, 0));
  base = g_strdup (json_array_get_string_element (models, 1));
  g_assert_true (g_str_has_suffix (refined, "_refined.safetensors"));
  g_assert_true (json_object_get_null_member (o, "default_model"));

  /* By hand: the base. */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "use-model", project, "--machine", MACHINE, base);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "now uses"));

  /* A report that recommends the refined model switches to it and keeps
   * the base in the history. */
  {
    g_autoptr(JsonParser) p = json_parser_new ();
    g_autoptr(JsonGenerator) g = json_generator_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *relative = g_strdup (refined + strlen (project) + 1);
    JsonObject *r = parse_file (p, report), *details = json_object_get_object_member (r, "recommendation_details");

    json_object_set_string_member (r, "recommendation", "Use refined model - significantly better distribution matching");
    json_object_set_string_member (details, "action", "use_refined");
    json_object_set_string_member (details, "model", relative);
    json_generator_set_root (g, json_parser_get_root (p));
    g_assert_true (json_generator_to_file (g, report, &error));
  }
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "use-model", project, "--machine", MACHINE, "--recommended");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "_refined.safetensors (Use refined model"));
  g_assert_true (g_file_get_contents (project_json, &text, NULL, NULL));
  o = parse_text (parser, text);
  machine = json_array_get_object_element (json_object_get_array_member (o, "machines"), 0);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (machine, "default_model"), "_refined.safetensors"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (machine, "model_history")), ==, 1);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (
                   json_array_get_object_element (json_object_get_array_member (machine, "model_history"), 0),
                   "model"), base + strlen (project) + 1));

  /* Refusals. */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "use-model", project, "--machine", MACHINE, "/etc/passwd");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "is not one of the machine's models"));
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "use-model", project, "--machine", MACHINE);
  g_assert_cmpint (run.status, ==, 2);
}

/* Without a project: augment and compare on files. */
static void
test_files (void)
{
  g_auto(RfTestRun) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *csv = rf_test_source_path ("data/sample/incoming/cmapss_fd001_excerpt.csv");
  g_autofree char *model = trained_model ();
  g_autofree char *out = g_build_filename (tmp, "sets", NULL);
  g_autofree char *xlsx = g_build_filename (out, "train.xlsx", NULL);
  g_autofree char *report = g_build_filename (tmp, "cmp.json", NULL);
  JsonObject *o;

  rf_test_run_cli (&run, "augment", model, "--data", csv, "--out", out, "--rows", "1000", "--xlsx", "--csv",
                   "--no-trajectories", "--json");
  g_assert_true (run.status == 0 || run.status == 1);
  o = parse_text (parser, run.out);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (o, "quality"), "rows"), "train"), ==, 700);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (o, "quality"), "trajectories"));
  g_assert_true (g_file_test (xlsx, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (rf_test_count_files (out), ==, 10);

  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "compare", csv, "--model", model, "--out", report, "--rows", "2000");
  g_assert_cmpint (run.status, ==, 0);
  o = parse_file (parser, report);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (o, "datasets_compared"), "synthetic_synthetic"), "rows"), ==, 2000);

  /* Usage errors. */
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "compare", csv, "--out", report);
  g_assert_cmpint (run.status, ==, 2);
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "augment", project, "--machine", "nope");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no machine “nope”"));
  rf_test_run_clear (&run);
  rf_test_run_cli (&run, "report", project, "--machine", MACHINE, "--rows", "5");
  g_assert_cmpint (run.status, ==, 2);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp = rf_test_make_temp_dir ();
  g_test_add_func ("/rf/cli/eval/run", test_run);
  g_test_add_func ("/rf/cli/eval/pdf", test_pdf);
  g_test_add_func ("/rf/cli/eval/xlsx", test_xlsx);
  g_test_add_func ("/rf/cli/eval/refine-compare", test_refine_compare);
  g_test_add_func ("/rf/cli/eval/use-model", test_use_model);
  g_test_add_func ("/rf/cli/eval/files", test_files);
  status = g_test_run ();
  rf_test_remove_tree (tmp);
  g_free (tmp);
  g_free (project);
  return status;
}

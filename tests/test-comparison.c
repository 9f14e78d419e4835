/* The comparison report: the recommendation rule case by case, the plan's
 * JSON schema, reading the recommendation back, the summary CSV. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "rf-atomic-file.h"
#include "rf-comparison.h"
#include "rf-error.h"
#include "rf-reader.h"
#include "rf-rng.h"
#include "rf-test-util.h"

/* Sensors a and b (correlated), a RUL falling with a; shift moves a,
 * noise_b decorrelates b. */
static RfTable *
machine_table (gsize   n,
               guint64 seed,
               double  shift,
               double  noise_b)
{
  RfTable *table = rf_table_new ();
  RfColumn *a = rf_column_new ("a", RF_COLUMN_DOUBLE);
  RfColumn *b = rf_column_new ("b", RF_COLUMN_DOUBLE);
  RfColumn *rul = rf_column_new ("rul", RF_COLUMN_DOUBLE);
  RfRng rng;

  rf_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    {
      double x = rf_rng_normal (&rng);

      rf_column_append_double (a, x + shift);
      rf_column_append_double (b, x + noise_b * rf_rng_normal (&rng));
      rf_column_append_double (rul, 100.0 - 30.0 * x + 5.0 * rf_rng_normal (&rng));
    }
  rf_column_set_role (rul, RF_ROLE_RUL);
  rf_table_add_column (table, a);
  rf_table_add_column (table, b);
  rf_table_add_column (table, rul);
  rf_column_unref (a);
  rf_column_unref (b);
  rf_column_unref (rul);
  return table;
}

static RfComparison *
compare (const RfTable *real,
         const RfTable *seed_table,
         const RfTable *refined_table)
{
  g_autoptr(GError) error = NULL;
  RfComparisonInput inputs[2] = {
    { "seed", "models/m1/base.safetensors", seed_table },
    { "refined", "models/m1/base_refined.safetensors", refined_table },
  };
  RfComparison *c = rf_comparison_compute ("m1", real, "processed/m1/cleaned_data.parquet", inputs, 2, NULL,
                                           "rul", 3, NULL, &error);

  g_assert_no_error (error);
  return c;
}

static void
test_use_refined (void)
{
  g_autoptr(RfTable) real = machine_table (4000, 1, 0.0, 0.3);
  g_autoptr(RfTable) seed = machine_table (6000, 2, 0.8, 1.5);
  g_autoptr(RfTable) refined = machine_table (6000, 3, 0.0, 0.3);
  g_autoptr(RfComparison) c = compare (real, seed, refined);
  const RfComparedSet *s = rf_comparison_get_set (c, 0), *r = rf_comparison_get_set (c, 1);

  g_assert_cmpuint (rf_comparison_get_n_sets (c), ==, 2);
  g_assert_cmpuint (rf_comparison_get_real_rows (c), ==, 4000);
  g_assert_cmpfloat (r->fidelity->quality.overall, >, s->fidelity->quality.overall + RF_COMPARISON_MIN_GAIN);
  g_assert_cmpint (rf_comparison_get_action (c), ==, RF_ACTION_USE_CANDIDATE);
  g_assert_cmpstr (rf_comparison_get_recommendation (c), ==,
                   "Use refined model - significantly better distribution matching");
  g_assert_cmpstr (rf_comparison_get_recommended_model (c), ==, "models/m1/base_refined.safetensors");
  g_assert_nonnull (strstr (rf_comparison_get_reasons (c)[0], "Overall quality score"));
  /* Utility: RUL from a and b, trained on each set, tested on real. */
  g_assert_true (r->has_utility);
  g_assert_cmpfloat (r->utility.r2_real, >, 0.9);
  g_assert_cmpfloat (fabs (r->utility.r2_synthetic - r->utility.r2_real), <, 0.02);
  /* Privacy: fresh rows, no copies; the DCR sample is capped. */
  g_assert_cmpuint (r->privacy.n_exact_copies, ==, 0);
  g_assert_cmpuint (r->privacy.n_synthetic, ==, RF_COMPARISON_DCR_ROWS);
  g_assert_cmpuint (r->privacy.n_holdout, ==, 800);
}

static void
test_no_difference (void)
{
  g_autoptr(RfTable) real = machine_table (4000, 1, 0.0, 0.3);
  g_autoptr(RfTable) seed = machine_table (6000, 2, 0.0, 0.3);
  g_autoptr(RfTable) refined = machine_table (6000, 3, 0.0, 0.3);
  g_autoptr(RfComparison) c = compare (real, seed, refined);

  g_assert_cmpint (rf_comparison_get_action (c), ==, RF_ACTION_KEEP_BASELINE);
  g_assert_cmpstr (rf_comparison_get_recommendation (c), ==, "Keep original model - no significant difference");
  g_assert_null (rf_comparison_get_recommended_model (c));
}

static void
test_worse (void)
{
  g_autoptr(RfTable) real = machine_table (4000, 1, 0.0, 0.3);
  g_autoptr(RfTable) seed = machine_table (6000, 2, 0.0, 0.3);
  g_autoptr(RfTable) refined = machine_table (6000, 3, 1.0, 2.0);
  g_autoptr(RfComparison) c = compare (real, seed, refined);

  g_assert_cmpint (rf_comparison_get_action (c), ==, RF_ACTION_KEEP_BASELINE);
  g_assert_cmpstr (rf_comparison_get_recommendation (c), ==,
                   "Keep original model - the refined model matches the real data worse");
}

/* The real rows themselves: a perfect score, but copies. */
static void
test_copies_flagged (void)
{
  g_autoptr(RfTable) real = machine_table (4000, 1, 0.0, 0.3);
  g_autoptr(RfTable) seed = machine_table (6000, 2, 0.8, 1.5);
  g_autoptr(RfComparison) c = compare (real, seed, real);
  const RfComparedSet *r = rf_comparison_get_set (c, 1);

  g_assert_cmpfloat (r->fidelity->quality.overall, ==, 1.0);
  /* The 80 % of them in the reference part (the rest is the holdout). */
  g_assert_cmpfloat (r->privacy.exact_copy_fraction, ==, 0.8);
  g_assert_cmpint (rf_comparison_get_action (c), ==, RF_ACTION_KEEP_BASELINE);
  g_assert_cmpstr (rf_comparison_get_recommendation (c), ==,
                   "Keep original model - the refined model copies real rows");
}

static void
test_single_model (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) real = machine_table (4000, 1, 0.0, 0.3);
  g_autoptr(RfTable) good = machine_table (6000, 3, 0.0, 0.3);
  g_autoptr(RfTable) bad = machine_table (6000, 3, 2.0, 3.0);
  RfComparisonInput one = { "synthetic", "models/m1/a.safetensors", good };
  g_autoptr(RfComparison) c = rf_comparison_compute ("m1", real, NULL, &one, 1, NULL, NULL, 1, NULL, &error);
  g_autoptr(RfComparison) d = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (rf_comparison_get_action (c), ==, RF_ACTION_USE_MODEL);
  g_assert_false (rf_comparison_get_set (c, 0)->has_utility);   /* no RUL given */
  one.table = bad;
  d = rf_comparison_compute ("m1", real, NULL, &one, 1, NULL, NULL, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rf_comparison_get_action (d), ==, RF_ACTION_RETRAIN);
  g_assert_nonnull (strstr (rf_comparison_get_recommendation (d), "Retrain"));
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) tiny = machine_table (9, 1, 0.0, 0.3);
  g_autoptr(RfTable) other = machine_table (100, 1, 0.0, 0.3);
  RfComparisonInput one = { "synthetic", "a", other };

  g_assert_null (rf_comparison_compute ("m1", tiny, NULL, &one, 1, NULL, NULL, 1, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
}

/* The plan's fields, then the added ones; the recommendation reads back. */
static void
test_json_schema (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) real = machine_table (2000, 1, 0.0, 0.3);
  g_autoptr(RfTable) seed = machine_table (3000, 2, 0.8, 1.5);
  g_autoptr(RfTable) refined = machine_table (3000, 3, 0.0, 0.3);
  g_autoptr(RfComparison) c = compare (real, seed, refined);
  g_autoptr(JsonNode) root = rf_comparison_to_json (c, "2026-11-22T10:30:00Z");
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "m1_comparison.json", NULL);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(RfRecommendation) rec = NULL;
  JsonObject *o = json_node_get_object (root), *ds, *stats, *kl, *sensor;
  g_autoptr(GList) members = json_object_get_members (o);
  const char *expected[] = { "machine_id", "comparison_timestamp", "datasets_compared", "statistical_metrics",
                             "per_sensor_metrics", "recommendation", "recommendation_details", "quality_score",
                             "correlation", "privacy", "utility", "estimators" };
  guint i = 0;

  for (GList *l = members; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, expected[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (expected));
  g_assert_cmpstr (json_object_get_string_member (o, "machine_id"), ==, "m1");
  ds = json_object_get_object_member (o, "datasets_compared");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (ds, "real_data"), "rows"), ==, 2000);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (ds, "real_data"), "source"), ==,
                   "processed/m1/cleaned_data.parquet");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (ds, "seed_synthetic"), "rows"), ==, 3000);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (ds, "refined_synthetic"), "model"),
                   ==, "models/m1/base_refined.safetensors");
  stats = json_object_get_object_member (o, "statistical_metrics");
  kl = json_object_get_object_member (stats, "kl_divergence");
  g_assert_cmpfloat (json_object_get_double_member (kl, "seed_vs_real"), ==,
                     rf_comparison_get_set (c, 0)->fidelity->mean_kl);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (kl, "improvement"), "% reduction"));
  g_assert_true (json_object_has_member (stats, "wasserstein_distance"));
  g_assert_true (json_object_has_member (stats, "correlation_error"));
  sensor = json_object_get_object_member (json_object_get_object_member (o, "per_sensor_metrics"), "a");
  g_assert_cmpfloat (json_object_get_double_member (sensor, "mean_error_seed"), ==,
                     rf_fidelity_find_column (rf_comparison_get_set (c, 0)->fidelity, "a")->mean_error);
  g_assert_true (json_object_has_member (sensor, "std_error_refined"));
  g_assert_cmpstr (json_object_get_string_member (o, "recommendation"), ==,
                   "Use refined model - significantly better distribution matching");

  json_generator_set_root (generator, root);
  g_assert_true (json_generator_to_file (generator, path, &error));
  rec = rf_recommendation_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rec->action, ==, RF_ACTION_USE_CANDIDATE);
  g_assert_cmpstr (rec->model, ==, "models/m1/base_refined.safetensors");
  rf_test_remove_tree (dir);
}

static void
test_recommendation_load_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *missing = g_build_filename (dir, "none.json", NULL);
  g_autofree char *bad = rf_test_write_file (dir, "bad.json", "{\"recommendation\": 3", -1);
  g_autofree char *empty = rf_test_write_file (dir, "empty.json", "{}", -1);

  g_assert_null (rf_recommendation_load (missing, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "refinery-cli compare"));
  g_clear_error (&error);
  g_assert_null (rf_recommendation_load (bad, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (rf_recommendation_load (empty, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  rf_test_remove_tree (dir);
}

/* One row per machine; figures for the machine with a report only. */
static void
test_summary_csv (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *profile = rf_test_source_path ("data/profiles/induction_motor.json");
  g_autofree char *profile2 = rf_test_source_path ("data/profiles/chiller.json");
  g_autoptr(RfProject) project = rf_project_init (dir, "plant", &error);
  g_autoptr(RfTable) real = machine_table (2000, 1, 0.0, 0.3);
  g_autoptr(RfTable) seed = machine_table (3000, 2, 0.8, 1.5);
  g_autoptr(RfTable) refined = machine_table (3000, 3, 0.0, 0.3);
  g_autoptr(RfComparison) c = compare (real, seed, refined);
  g_autoptr(JsonNode) root = rf_comparison_to_json (c, "2026-11-22T10:30:00Z");
  g_autofree char *report = NULL, *csv = NULL, *contents = NULL;
  g_autoptr(RfTable) back = NULL;

  g_assert_no_error (error);
  rf_project_add_machine (project, profile, "m1", &error);
  g_assert_no_error (error);
  rf_project_add_machine (project, profile2, "m2", &error);
  g_assert_no_error (error);
  report = rf_comparison_report_path (project, "m1");
  g_assert_true (g_str_has_suffix (report, "/reports/m1_comparison.json"));
  g_assert_true (rf_atomic_write_json (report, root, &error));
  g_assert_true (rf_comparison_write_summary (project, &error));
  g_assert_no_error (error);

  csv = g_build_filename (dir, "reports", "all_machines_summary.csv", NULL);
  back = rf_read_file (csv, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (back), ==, 2);
  g_assert_cmpuint (rf_table_get_n_columns (back), ==, 16);
  g_assert_cmpint (rf_column_get_int64 (rf_table_find_column (back, "real_rows"), 0), ==, 2000);
  g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (back, "quality"), 0), ==,
                     rf_comparison_get_set (c, 1)->fidelity->quality.overall);
  g_assert_false (rf_column_is_valid (rf_table_find_column (back, "quality"), 1));
  g_file_get_contents (csv, &contents, NULL, NULL);
  g_assert_nonnull (strstr (contents, "\nm2,"));
  g_assert_nonnull (strstr (contents, "Use refined model - significantly better distribution matching"));
  rf_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/comparison/use-refined", test_use_refined);
  g_test_add_func ("/rf/comparison/no-difference", test_no_difference);
  g_test_add_func ("/rf/comparison/worse", test_worse);
  g_test_add_func ("/rf/comparison/copies-flagged", test_copies_flagged);
  g_test_add_func ("/rf/comparison/single-model", test_single_model);
  g_test_add_func ("/rf/comparison/errors", test_errors);
  g_test_add_func ("/rf/comparison/json-schema", test_json_schema);
  g_test_add_func ("/rf/comparison/recommendation-load-errors", test_recommendation_load_errors);
  g_test_add_func ("/rf/comparison/summary-csv", test_summary_csv);
  return g_test_run ();
}

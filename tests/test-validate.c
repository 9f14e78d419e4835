#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-duplicates.h"
#include "rf-validate.h"
#include "rf-test-util.h"

static void
test_stats (void)
{
  g_autoptr(RfColumn) c = rf_column_new ("x", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) s = rf_column_new ("s", RF_COLUMN_STRING);
  g_autoptr(RfColumn) empty = rf_column_new ("e", RF_COLUMN_INT64);
  static const double values[] = { 4, 10, 1, 3, 2 };
  RfColumnStats st;

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    rf_column_append_double (c, values[i]);
  rf_column_append_null (c);
  rf_column_stats_compute (c, &st);
  g_assert_true (st.numeric);
  g_assert_cmpuint (st.count, ==, 5);
  g_assert_cmpuint (st.missing, ==, 1);
  g_assert_cmpfloat (st.missing_pct, ==, 100.0 / 6);
  g_assert_cmpfloat (st.min, ==, 1);
  g_assert_cmpfloat (st.max, ==, 10);
  g_assert_cmpfloat (st.mean, ==, 4);
  g_assert_cmpfloat (st.std, ==, sqrt (12.5));
  /* numpy.percentile([1,2,3,4,10], [1,5,25,50,75,95,99]) */
  g_assert_cmpfloat_with_epsilon (st.quantiles[0], 1.04, 1e-12);
  g_assert_cmpfloat_with_epsilon (st.quantiles[1], 1.2, 1e-12);
  g_assert_cmpfloat (st.quantiles[2], ==, 2);
  g_assert_cmpfloat (st.quantiles[3], ==, 3);
  g_assert_cmpfloat (st.quantiles[4], ==, 4);
  g_assert_cmpfloat_with_epsilon (st.quantiles[5], 8.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (st.quantiles[6], 9.76, 1e-12);
  g_assert_cmpuint (st.distinct, ==, 5);

  rf_column_append_string (s, "a", -1);
  rf_column_append_string (s, "b", -1);
  rf_column_append_string (s, "a", -1);
  rf_column_append_null (s);
  rf_column_stats_compute (s, &st);
  g_assert_false (st.numeric);
  g_assert_cmpuint (st.count, ==, 3);
  g_assert_cmpuint (st.distinct, ==, 2);
  g_assert_true (isnan (st.mean));

  rf_column_stats_compute (empty, &st);
  g_assert_cmpuint (st.count, ==, 0);
  g_assert_cmpfloat (st.missing_pct, ==, 0);
  g_assert_true (isnan (st.min));
  g_assert_true (isnan (st.quantiles[3]));
  g_assert_cmpuint (st.distinct, ==, 0);
}

static void
test_sort_doubles (void)
{
  double values[] = { 3, -0.0, NAN, -INFINITY, 1e-300, -2.5, INFINITY, 0.0, -1e300, 3 };
  static const double sorted[] = { -INFINITY, -1e300, -2.5, -0.0, 0.0, 1e-300, 3, 3, INFINITY };

  rf_sort_doubles (values, G_N_ELEMENTS (values));
  for (gsize i = 0; i < G_N_ELEMENTS (sorted); i++)
    g_assert_cmpfloat (values[i], ==, sorted[i]);
  g_assert_true (signbit (values[3]));
  g_assert_true (isnan (values[9]));
  g_assert_cmpfloat (rf_quantile_of_sorted (sorted, 0, 0.5), !=, rf_quantile_of_sorted (sorted, 0, 0.5));
  g_assert_cmpfloat (rf_quantile_of_sorted (sorted + 6, 1, 0.3), ==, 3);
}

/* Selection gives the quantiles sorting gives, on data with many ties. */
static void
test_quantiles_by_selection (void)
{
  static const double levels[] = { 0, 0.01, 0.25, 0.5, 0.5, 0.75, 0.99, 1 };
  guint32 state = 7;

  for (int trial = 0; trial < 20; trial++)
    {
      g_autoptr(RfColumn) c = rf_column_new ("x", RF_COLUMN_DOUBLE);
      g_autofree double *sorted = NULL;
      gsize n_sorted = 0, n = 1 + trial * 37;
      double got[G_N_ELEMENTS (levels)], mean, std;
      RfColumnStats stats;

      for (gsize i = 0; i < n; i++)
        {
          state = state * 1664525u + 1013904223u;
          if ((state >> 28) == 0)
            rf_column_append_null (c);
          else
            rf_column_append_double (c, (double) ((state >> 16) % (trial + 3)) - 1.5);
        }
      rf_column_stats_compute_sorted (c, &stats, &sorted, &n_sorted);
      g_assert_cmpuint (rf_column_quantiles (c, levels, G_N_ELEMENTS (levels), got, &mean, &std), ==, n_sorted);
      for (gsize q = 0; q < G_N_ELEMENTS (levels); q++)
        g_assert_cmpfloat (got[q], ==, rf_quantile_of_sorted (sorted, n_sorted, levels[q]));
      if (n_sorted > 0)
        g_assert_cmpfloat_with_epsilon (mean, stats.mean, 1e-12);
    }
}

static void
test_duplicates (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfColumn) d = rf_column_new ("d", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) s = rf_column_new ("s", RF_COLUMN_STRING);
  gboolean dup[6];

  /* rows: (0,a) (−0,a) (NaN,b) (NaN,b) (missing,b) (missing,b) */
  rf_column_append_double (d, 0.0);
  rf_column_append_double (d, -0.0);
  rf_column_append_double (d, NAN);
  rf_column_append_double (d, NAN);
  rf_column_append_null (d);
  rf_column_append_null (d);
  rf_column_append_string (s, "a", -1);
  rf_column_append_string (s, "a", -1);
  rf_column_append_string (s, "b", -1);
  rf_column_append_string (s, "b", -1);
  rf_column_append_string (s, "b", -1);
  rf_column_append_string (s, "c", -1);
  rf_table_add_column (table, d);
  rf_table_add_column (table, s);
  g_assert_cmpuint (rf_table_mark_duplicates (table, dup), ==, 2);
  g_assert_false (dup[0]);
  g_assert_true (dup[1]);
  g_assert_false (dup[2]);
  g_assert_true (dup[3]);
  g_assert_false (dup[4]);
  g_assert_false (dup[5]);
}

#define T0 1714521600000000  /* 2024-05-01T00:00:00Z */
#define MINUTE 60000000

/* 120 rows a minute apart (one 5-minute gap after row 59); "temp" with 3
 * missing and one 1000; "pressure" half missing; "const" 42; "code" numbers
 * written as text; the last row repeats row 118. */
static RfTable *
plant_table (void)
{
  RfTable *table = rf_table_new ();
  g_autoptr(RfColumn) time = rf_column_new ("time", RF_COLUMN_TIMESTAMP);
  g_autoptr(RfColumn) temp = rf_column_new ("temp", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) pressure = rf_column_new ("pressure", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) constant = rf_column_new ("const", RF_COLUMN_INT64);
  g_autoptr(RfColumn) code = rf_column_new ("code", RF_COLUMN_STRING);

  for (int r = 0; r < 120; r++)
    {
      int source = r == 119 ? 118 : r;
      gint64 t = T0 + (gint64) source * MINUTE + (source >= 60 ? 4 * MINUTE : 0);
      g_autofree char *text = g_strdup_printf ("%d", source % 7);

      rf_column_append_timestamp (time, t);
      if (source == 10 || source == 20 || source == 30)
        rf_column_append_null (temp);
      else
        rf_column_append_double (temp, source == 50 ? 1000 : 60 + (source % 10) * 0.5);
      if (source % 2 == 0)
        rf_column_append_null (pressure);
      else
        rf_column_append_double (pressure, 2 + source * 0.01);
      rf_column_append_int64 (constant, 42);
      rf_column_append_string (code, text, -1);
    }
  rf_table_add_column (table, time);
  rf_table_add_column (table, temp);
  rf_table_add_column (table, pressure);
  rf_table_add_column (table, constant);
  rf_table_add_column (table, code);
  return table;
}

static const char profile_json[] =
  "{\"machine_id\": \"press_7\", \"sampling_interval_s\": 60, \"sensors\": ["
  "{\"name\": \"time\", \"role\": \"timestamp\"}, {\"name\": \"temp\"}, {\"name\": \"pressure\"}]}";

static void
test_report (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (profile_json, strlen (profile_json));
  g_autoptr(RfProfile) profile = rf_profile_load_bytes (bytes, "p.json", NULL);
  g_autoptr(RfTable) table = plant_table ();
  g_autoptr(RfValidationReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const RfColumnValidation *temp, *pressure, *code;
  RfValidationOptions options;

  rf_validation_options_init (&options);
  options.profile = profile;
  options.file_name = "export.csv";
  report = rf_validate_table (table, &options, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (report->machine_id, ==, "press_7");
  g_assert_cmpuint (report->total_rows, ==, 120);
  g_assert_cmpuint (report->total_columns, ==, 5);
  g_assert_cmpuint (report->duplicate_rows, ==, 1);
  g_assert_false (report->validation_passed);
  g_assert_cmpuint (report->errors->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (report->errors, 0), ==, "Column 'pressure' has 50.8% missing values");
  g_assert_cmpuint (report->warnings->len, ==, 7);
  g_assert_cmpstr (g_ptr_array_index (report->warnings, 0), ==, "1 duplicate rows detected");
  g_assert_cmpstr (g_ptr_array_index (report->warnings, 1), ==, "1 outliers detected in 'temp'");
  g_assert_cmpstr (g_ptr_array_index (report->warnings, 2), ==,
                   "Column 'const' is constant: it will be reproduced, not modelled");
  g_assert_cmpstr (g_ptr_array_index (report->warnings, 3), ==,
                   "Column 'code' holds numbers stored as text (120 of 120 values are numbers): read it with "
                   "--types 'code=double' to use them");
  g_assert_cmpstr (g_ptr_array_index (report->warnings, 4), ==,
                   "The data has 5 columns; the profile 'press_7' has 3 sensors: map the columns to see which "
                   "are missing or extra");
  g_assert_cmpstr (g_ptr_array_index (report->warnings, 5), ==, "1 rows repeat the previous instant in 'time'.");
  g_assert_cmpstr (g_ptr_array_index (report->warnings, 6), ==,
                   "1 gaps in 'time' are longer than 1.5 × the sampling interval (60 s); the largest is 300 s.");

  g_assert_cmpstr (report->timestamp_column, ==, "time");
  g_assert_true (report->timestamp_sorted);
  g_assert_cmpfloat (report->largest_gap_s, ==, 300);
  g_assert_cmpfloat (report->median_interval_s, ==, 60);

  temp = rf_validation_report_find_column (report, "temp");
  g_assert_cmpuint (temp->stats.missing, ==, 3);
  g_assert_cmpfloat (temp->stats.missing_pct, ==, 2.5);
  g_assert_cmpuint (temp->outliers, ==, 1);
  /* 117 values: p25 61, p75 63.5 (IQR 2.5): bounds 57.25 and 67.25 */
  g_assert_cmpfloat (temp->lower_bound, ==, 57.25);
  g_assert_cmpfloat (temp->upper_bound, ==, 67.25);
  g_assert_cmpstr (temp->suggest_missing, ==, "interpolate");
  g_assert_cmpstr (temp->suggest_outliers, ==, "clip_iqr");
  pressure = rf_validation_report_find_column (report, "pressure");
  g_assert_cmpstr (pressure->suggest_missing, ==, "none");
  g_assert_nonnull (strstr (pressure->reason, "50.8% missing is too much to fill"));
  code = rf_validation_report_find_column (report, "code");
  g_assert_cmpstr (code->suggest_missing, ==, "none");
  g_assert_cmpuint (code->stats.distinct, ==, 7);

  /* the plan's schema, then ours */
  {
    g_autoptr(JsonNode) json = rf_validation_report_to_json (report);
    JsonObject *o = json_node_get_object (json);
    g_autoptr(GList) members = json_object_get_members (o);
    static const char * const order[] = {
      "machine_id", "file_name", "total_rows", "total_columns", "missing_values", "duplicate_rows",
      "outliers", "timestamp_sorted", "data_types", "validation_passed", "errors", "warnings",
      "timestamp", "columns", "options",
    };
    guint i = 0;

    for (GList *l = members; l != NULL; l = l->next, i++)
      g_assert_cmpstr (l->data, ==, order[i]);
    g_assert_cmpuint (i, ==, G_N_ELEMENTS (order));
    g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (o, "missing_values"),
                                                      "pressure"), ==, 100.0 * 61 / 120);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "outliers"), "temp"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "data_types"), "time"),
                     ==, "timestamp");
    g_assert_cmpstr (json_object_get_string_member (o, "file_name"), ==, "export.csv");
  }
}

static void
test_small_and_clean (void)
{
  g_autoptr(RfTable) table = plant_table ();
  g_autoptr(RfTable) empty = rf_table_slice (table, 0, 0);
  g_autoptr(RfTable) one = rf_table_slice (table, 0, 1);
  g_autoptr(RfTable) clean = rf_table_new ();
  g_autoptr(RfValidationReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfColumn) x = rf_column_new ("x", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) gone = rf_column_new ("gone", RF_COLUMN_DOUBLE);
  RfValidationOptions options;

  report = rf_validate_table (empty, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (report->validation_passed);
  g_assert_cmpstr (g_ptr_array_index (report->errors, 0), ==,
                   "Only 0 rows: at least 100 are needed to learn from the data.");
  g_clear_pointer (&report, rf_validation_report_free);

  report = rf_validate_table (one, NULL, NULL, &error);
  g_assert_cmpstr (g_ptr_array_index (report->errors, 0), ==,
                   "Only 1 row: at least 100 are needed to learn from the data.");
  g_assert_true (isnan (report->largest_gap_s));
  g_clear_pointer (&report, rf_validation_report_free);

  /* already clean: passes with nothing to say; the minimum is configurable */
  for (int i = 0; i < 10; i++)
    {
      rf_column_append_double (x, i * 1.5);
      rf_column_append_null (gone);
    }
  rf_table_add_column (clean, x);
  rf_validation_options_init (&options);
  options.min_rows = 10;
  report = rf_validate_table (clean, &options, NULL, &error);
  g_assert_true (report->validation_passed);
  g_assert_cmpuint (report->errors->len, ==, 0);
  g_assert_cmpuint (report->warnings->len, ==, 0);
  g_assert_null (report->timestamp_column);
  g_clear_pointer (&report, rf_validation_report_free);

  /* an all-missing column is an error, with nothing to suggest */
  rf_table_add_column (clean, gone);
  report = rf_validate_table (clean, &options, NULL, &error);
  g_assert_false (report->validation_passed);
  g_assert_cmpstr (g_ptr_array_index (report->errors, 0), ==, "Column 'gone' has 100.0% missing values");
  g_assert_cmpstr (rf_validation_report_find_column (report, "gone")->suggest_missing, ==, "none");
  g_clear_pointer (&report, rf_validation_report_free);

  /* z-score outliers */
  options.outlier_method = RF_OUTLIERS_ZSCORE;
  options.z_threshold = 1;
  report = rf_validate_table (clean, &options, NULL, &error);
  /* x: 0 … 13.5, mean 6.75, sample std 4.54: |x − 6.75| > 4.54 for 0, 1.5, 12, 13.5 */
  g_assert_cmpuint (rf_validation_report_find_column (report, "x")->outliers, ==, 4);
  g_assert_cmpstr (rf_validation_report_find_column (report, "x")->suggest_outliers, ==, "clip_sigma");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/validate/stats", test_stats);
  g_test_add_func ("/rf/validate/sort-doubles", test_sort_doubles);
  g_test_add_func ("/rf/validate/quantiles-by-selection", test_quantiles_by_selection);
  g_test_add_func ("/rf/validate/duplicates", test_duplicates);
  g_test_add_func ("/rf/validate/report", test_report);
  g_test_add_func ("/rf/validate/small-and-clean", test_small_and_clean);
  return g_test_run ();
}

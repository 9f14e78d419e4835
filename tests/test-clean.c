#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-clean.h"
#include "rf-error.h"
#include "rf-test-util.h"

#define T0 1714521600000000  /* 2024-05-01T00:00:00Z */
#define MINUTE 60000000

/* time (minutes 0, 1, 3, 4, 5), x = 10, –, –, 40, –, n (int) = 1, –, 2, 8, 4,
 * s = "a", –, "b", –, – */
static RfTable *
gappy_table (void)
{
  RfTable *table = rf_table_new ();
  g_autoptr(RfColumn) time = rf_column_new ("time", RF_COLUMN_TIMESTAMP);
  g_autoptr(RfColumn) x = rf_column_new ("x", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) n = rf_column_new ("n", RF_COLUMN_INT64);
  g_autoptr(RfColumn) s = rf_column_new ("s", RF_COLUMN_STRING);
  static const int minutes[] = { 0, 1, 3, 4, 5 };

  for (int r = 0; r < 5; r++)
    rf_column_append_timestamp (time, T0 + minutes[r] * (gint64) MINUTE);
  rf_column_append_double (x, 10);
  rf_column_append_null (x);
  rf_column_append_null (x);
  rf_column_append_double (x, 40);
  rf_column_append_null (x);
  rf_column_append_int64 (n, 1);
  rf_column_append_null (n);
  rf_column_append_int64 (n, 2);
  rf_column_append_int64 (n, 8);
  rf_column_append_int64 (n, 4);
  rf_column_append_string (s, "a", -1);
  rf_column_append_null (s);
  rf_column_append_string (s, "b", -1);
  rf_column_append_null (s);
  rf_column_append_null (s);
  rf_table_add_column (table, time);
  rf_table_add_column (table, x);
  rf_table_add_column (table, n);
  rf_table_add_column (table, s);
  return table;
}

static RfTable *
clean_with (RfTable         *table,
            gboolean         with_time,
            const char      *assignment,
            RfCleanSummary **summary)
{
  g_autoptr(RfCleaningPlan) plan = rf_cleaning_plan_new ();
  g_autoptr(GError) error = NULL;
  RfTable *out;

  if (with_time)
    plan->timestamp_column = g_strdup ("time");
  g_assert_true (rf_cleaning_plan_set (plan, assignment, &error));
  g_assert_no_error (error);
  out = rf_clean_apply (table, plan, summary, NULL, &error);
  g_assert_no_error (error);
  return out;
}

static void
assert_doubles (RfTable      *table,
                const char   *name,
                const double *want,
                gsize         n)
{
  RfColumn *c = rf_table_find_column (table, name);

  g_assert_cmpuint (c->n_rows, ==, n);
  for (gsize r = 0; r < n; r++)
    {
      if (isnan (want[r]))
        g_assert_false (rf_column_is_valid (c, r));
      else
        {
          g_assert_true (rf_column_is_valid (c, r));
          g_assert_cmpfloat (rf_column_get_as_double (c, r), ==, want[r]);
        }
    }
}

static void
test_missing_strategies (void)
{
  g_autoptr(RfTable) table = gappy_table ();
  const double M = NAN;
  struct { gboolean time; const char *set; const char *column; double want[5]; gsize filled, left; } cases[] = {
    /* along the time axis: minute 1 is a quarter of the way, minute 3 three quarters */
    { TRUE, "x=interpolate", "x", { 10, 17.5, 32.5, 40, M }, 2, 1 },
    /* along the rows */
    { FALSE, "x=interpolate", "x", { 10, 20, 30, 40, M }, 2, 1 },
    { FALSE, "x=ffill", "x", { 10, 10, 10, 40, 40 }, 3, 0 },
    { FALSE, "x=bfill", "x", { 10, 40, 40, 40, M }, 2, 1 },
    { FALSE, "x=mean", "x", { 10, 25, 25, 40, 25 }, 3, 0 },
    { FALSE, "x=median", "x", { 10, 25, 25, 40, 25 }, 3, 0 },
    { FALSE, "x=constant:-1.5", "x", { 10, -1.5, -1.5, 40, -1.5 }, 3, 0 },
    { FALSE, "x=none", "x", { 10, M, M, 40, M }, 0, 3 },
    /* integers round half away from zero: mean of 1, 2, 8, 4 is 3.75 → 4;
     * median 3; interpolating 1 and 2 gives 1.5 → 2 */
    { FALSE, "n=mean", "n", { 1, 4, 2, 8, 4 }, 1, 0 },
    { FALSE, "n=median", "n", { 1, 3, 2, 8, 4 }, 1, 0 },
    { FALSE, "n=interpolate", "n", { 1, 2, 2, 8, 4 }, 1, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RfCleanSummary) summary = NULL;
      g_autoptr(RfTable) out = clean_with (table, cases[i].time, cases[i].set, &summary);
      const RfColumnCleanSummary *s = &g_array_index (summary->columns, RfColumnCleanSummary, 0);

      g_test_message ("%s%s", cases[i].set, cases[i].time ? " (time)" : "");
      assert_doubles (out, cases[i].column, cases[i].want, 5);
      g_assert_cmpuint (s->filled, ==, cases[i].filled);
      g_assert_cmpuint (s->left_missing, ==, cases[i].left);
      g_assert_cmpint (rf_table_find_column (out, cases[i].column)->type, ==,
                       rf_table_find_column (table, cases[i].column)->type);
    }
}

static void
test_strings_and_drop (void)
{
  g_autoptr(RfTable) table = gappy_table ();
  g_autoptr(RfTable) out = NULL;
  g_autoptr(RfCleanSummary) summary = NULL;
  gsize len;
  RfColumn *s;

  out = clean_with (table, FALSE, "s=ffill", NULL);
  s = rf_table_find_column (out, "s");
  g_assert_cmpmem (rf_column_get_string (s, 1, &len), len, "a", 1);
  g_assert_cmpmem (rf_column_get_string (s, 3, &len), len, "b", 1);
  g_assert_cmpmem (rf_column_get_string (s, 4, &len), len, "b", 1);
  g_assert_cmpuint (s->n_missing, ==, 0);
  g_clear_pointer (&out, rf_table_unref);

  out = clean_with (table, FALSE, "s=constant:unknown", NULL);
  s = rf_table_find_column (out, "s");
  g_assert_cmpmem (rf_column_get_string (s, 4, &len), len, "unknown", 7);
  g_clear_pointer (&out, rf_table_unref);

  /* rows missing x go; every column loses them */
  out = clean_with (table, FALSE, "x=drop_rows", &summary);
  g_assert_cmpuint (rf_table_get_n_rows (out), ==, 2);
  g_assert_cmpuint (summary->rows_dropped_missing, ==, 3);
  g_assert_cmpint (rf_column_get_int64 (rf_table_find_column (out, "n"), 1), ==, 8);
  g_assert_cmpuint (summary->rows_out, ==, 2);
}

static void
test_outliers (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfColumn) v = rf_column_new ("v", RF_COLUMN_DOUBLE);
  static const double values[] = { 1, 2, 3, 4, 5, 6, 7, 8, 100, -50 };
  struct { const char *set; gsize rows; double last; gsize clipped, flagged; } cases[] = {
    /* p25 2.25, p75 6.75, IQR 4.5: bounds −4.5 and 13.5 */
    { "v=clip_iqr", 10, -4.5, 2, 0 },
    { "v=flag", 10, -50, 0, 2 },
    { "v=drop", 8, 8, 0, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    rf_column_append_double (v, values[i]);
  rf_table_add_column (table, v);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RfCleanSummary) summary = NULL;
      g_autoptr(RfTable) out = clean_with (table, FALSE, cases[i].set, &summary);
      const RfColumnCleanSummary *s = &g_array_index (summary->columns, RfColumnCleanSummary, 0);
      RfColumn *c = rf_table_find_column (out, "v");

      g_assert_cmpfloat (s->lower_bound, ==, -4.5);
      g_assert_cmpfloat (s->upper_bound, ==, 13.5);
      g_assert_cmpuint (c->n_rows, ==, cases[i].rows);
      g_assert_cmpfloat (rf_column_get_double (c, c->n_rows - 1), ==, cases[i].last);
      g_assert_cmpuint (s->clipped, ==, cases[i].clipped);
      g_assert_cmpuint (s->flagged, ==, cases[i].flagged);
    }
  /* 3σ: mean 8.6, sample std ≈ 35.9: nothing outside */
  {
    g_autoptr(RfCleanSummary) summary = NULL;
    g_autoptr(RfTable) out = clean_with (table, FALSE, "v=clip_sigma", &summary);
    g_assert_cmpuint (g_array_index (summary->columns, RfColumnCleanSummary, 0).clipped, ==, 0);
  }
}

static void
test_sort_and_duplicates (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfColumn) time = rf_column_new ("time", RF_COLUMN_TIMESTAMP);
  g_autoptr(RfColumn) x = rf_column_new ("x", RF_COLUMN_INT64);
  g_autoptr(RfCleaningPlan) plan = rf_cleaning_plan_new ();
  g_autoptr(RfCleanSummary) summary = NULL;
  g_autoptr(RfTable) out = NULL;
  g_autoptr(GError) error = NULL;
  static const int minutes[] = { 3, 1, -1, 2, 1 };
  static const gint64 values[] = { 30, 10, 99, 20, 10 };
  static const gint64 want[] = { 10, 20, 30, 99 };

  for (gsize r = 0; r < G_N_ELEMENTS (minutes); r++)
    {
      if (minutes[r] < 0)
        rf_column_append_null (time);
      else
        rf_column_append_timestamp (time, T0 + minutes[r] * (gint64) MINUTE);
      rf_column_append_int64 (x, values[r]);
    }
  rf_table_add_column (table, time);
  rf_table_add_column (table, x);
  plan->drop_duplicates = TRUE;
  plan->sort_by_time = TRUE;
  plan->timestamp_column = g_strdup ("time");
  out = rf_clean_apply (table, plan, &summary, NULL, &error);
  g_assert_no_error (error);
  /* sorted (the row without a time last), then the repeated minute-1 row dropped */
  g_assert_true (summary->sorted);
  g_assert_cmpuint (summary->duplicates_dropped, ==, 1);
  g_assert_cmpuint (rf_table_get_n_rows (out), ==, 4);
  for (gsize r = 0; r < 4; r++)
    g_assert_cmpint (rf_column_get_int64 (rf_table_find_column (out, "x"), r), ==, want[r]);
  g_assert_false (rf_column_is_valid (rf_table_find_column (out, "time"), 3));
}

static void
test_plan_files_and_checks (void)
{
  g_autoptr(RfTable) table = gappy_table ();
  g_autoptr(RfCleaningPlan) plan = rf_cleaning_plan_new ();
  g_autoptr(RfCleaningPlan) loaded = NULL;
  g_autoptr(RfTable) a = NULL;
  g_autoptr(RfTable) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "cleaning_plan.json", NULL);
  g_autofree char *path2 = g_build_filename (dir, "again.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  const RfColumnCleaning *c;

  plan->drop_duplicates = TRUE;
  plan->sort_by_time = TRUE;
  plan->timestamp_column = g_strdup ("time");
  g_assert_true (rf_cleaning_plan_set (plan, "x=interpolate", &error));
  g_assert_true (rf_cleaning_plan_set (plan, "x=clip_iqr", &error));
  g_assert_true (rf_cleaning_plan_set (plan, "s=constant:a=b", &error));
  g_assert_true (rf_cleaning_plan_save_file (plan, path, &error));
  g_assert_no_error (error);
  loaded = rf_cleaning_plan_load_file (path, &error);
  g_assert_no_error (error);
  c = rf_cleaning_plan_find_column (loaded, "x");
  g_assert_cmpint (c->missing, ==, RF_MISSING_INTERPOLATE);
  g_assert_cmpint (c->outliers, ==, RF_OUTLIER_CLIP_IQR);
  g_assert_cmpfloat (c->iqr_k, ==, 1.5);
  c = rf_cleaning_plan_find_column (loaded, "s");
  g_assert_true (c->constant_is_text);
  g_assert_cmpstr (c->constant_text, ==, "a=b");
  g_assert_true (rf_cleaning_plan_save_file (loaded, path2, &error));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_file_get_contents (path2, &text2, NULL, NULL));
  g_assert_cmpstr (text, ==, text2);

  /* the same plan twice: the same values */
  a = rf_clean_apply (table, plan, NULL, NULL, &error);
  b = rf_clean_apply (table, loaded, NULL, NULL, &error);
  g_assert_no_error (error);
  for (gsize r = 0; r < 5; r++)
    {
      RfColumn *xa = rf_table_find_column (a, "x"), *xb = rf_table_find_column (b, "x");
      g_assert_cmpint (rf_column_is_valid (xa, r), ==, rf_column_is_valid (xb, r));
      g_assert_cmpfloat (rf_column_get_double (xa, r), ==, rf_column_get_double (xb, r));
    }

  /* strategies that do not fit, columns that are not there, bad words */
  g_assert_true (rf_cleaning_plan_set (plan, "s=mean", &error));
  g_assert_null (rf_clean_apply (table, plan, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "The column “s” holds string values: “mean” does not apply to it. Choose another strategy for it.");
  g_clear_error (&error);
  g_assert_true (rf_cleaning_plan_set (plan, "s=none", &error));
  g_assert_true (rf_cleaning_plan_set (plan, "nope=ffill", &error));
  g_assert_false (rf_cleaning_plan_check (plan, table, &error));
  g_assert_nonnull (strstr (error->message, "names the column “nope”, which the data does not have"));
  g_clear_error (&error);
  g_assert_false (rf_cleaning_plan_set (plan, "x=smooth", &error));
  g_assert_nonnull (strstr (error->message, "“smooth” is not a cleaning strategy"));
  g_clear_error (&error);
  g_assert_false (rf_cleaning_plan_set (plan, "x", &error));
  g_clear_error (&error);

  /* damaged files */
  {
    g_autofree char *bad = rf_test_write_file (dir, "bad.json",
                                               "{\"format\": \"refinery-cleaning-plan\", \"format_version\": 1, "
                                               "\"columns\": {\"x\": {\"missing\": \"smooth\"}}}", -1);
    g_assert_null (rf_cleaning_plan_load_file (bad, &error));
    g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "bad.json: columns.“x”.missing must be none"));
  }
}

static void
test_suggested_plan (void)
{
  g_autoptr(RfTable) table = gappy_table ();
  g_autoptr(RfValidationReport) report = NULL;
  g_autoptr(RfCleaningPlan) plan = NULL;
  g_autoptr(RfTable) out = NULL;
  g_autoptr(GError) error = NULL;
  RfValidationOptions options;

  rf_validation_options_init (&options);
  options.missing_threshold_pct = 70;
  report = rf_validate_table (table, &options, NULL, &error);
  plan = rf_cleaning_plan_suggest (report);
  g_assert_cmpstr (plan->timestamp_column, ==, "time");
  g_assert_true (plan->sort_by_time);
  g_assert_cmpint (rf_cleaning_plan_find_column (plan, "x")->missing, ==, RF_MISSING_INTERPOLATE);
  g_assert_cmpint (rf_cleaning_plan_find_column (plan, "n")->missing, ==, RF_MISSING_INTERPOLATE);
  g_assert_cmpint (rf_cleaning_plan_find_column (plan, "s")->missing, ==, RF_MISSING_FFILL);
  out = rf_clean_apply (table, plan, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (out, "x"), 1), ==, 17.5);
}

static void
test_edge_tables (void)
{
  g_autoptr(RfTable) table = gappy_table ();
  g_autoptr(RfTable) empty = rf_table_slice (table, 0, 0);
  g_autoptr(RfTable) one = rf_table_slice (table, 1, 1);
  g_autoptr(RfTable) out = NULL;
  g_autoptr(RfCleanSummary) summary = NULL;

  out = clean_with (empty, TRUE, "x=interpolate", &summary);
  g_assert_cmpuint (rf_table_get_n_rows (out), ==, 0);
  g_assert_cmpuint (rf_table_get_n_columns (out), ==, 4);
  g_clear_pointer (&out, rf_table_unref);
  g_clear_pointer (&summary, rf_clean_summary_free);

  /* a single missing value: nothing to interpolate from, nothing to average */
  out = clean_with (one, TRUE, "x=interpolate", &summary);
  g_assert_false (rf_column_is_valid (rf_table_find_column (out, "x"), 0));
  g_assert_cmpuint (g_array_index (summary->columns, RfColumnCleanSummary, 0).left_missing, ==, 1);
  g_clear_pointer (&out, rf_table_unref);
  out = clean_with (one, TRUE, "x=mean", NULL);
  g_assert_false (rf_column_is_valid (rf_table_find_column (out, "x"), 0));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/clean/missing-strategies", test_missing_strategies);
  g_test_add_func ("/rf/clean/strings-and-drop", test_strings_and_drop);
  g_test_add_func ("/rf/clean/outliers", test_outliers);
  g_test_add_func ("/rf/clean/sort-and-duplicates", test_sort_and_duplicates);
  g_test_add_func ("/rf/clean/plan-files-and-checks", test_plan_files_and_checks);
  g_test_add_func ("/rf/clean/suggested-plan", test_suggested_plan);
  g_test_add_func ("/rf/clean/edge-tables", test_edge_tables);
  return g_test_run ();
}

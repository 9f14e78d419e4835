#define G_LOG_DOMAIN "rf-comparison"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-atomic-file.h"
#include "rf-comparison.h"
#include "rf-error.h"
#include "rf-json-read.h"
#include "rf-rng.h"
#include "rf-writer.h"

struct _RfComparison
{
  char *machine_id;
  char *real_source;
  gsize real_rows;
  guint n_sets;
  RfComparedSet sets[2];
  char *rul;
  RfAction action;
  char *recommendation;
  GPtrArray *reasons;          /* char *, NULL-terminated */
  const char *recommended_model;
};

void
rf_comparison_free (RfComparison *c)
{
  if (c == NULL)
    return;
  for (guint i = 0; i < c->n_sets; i++)
    {
      g_free (c->sets[i].key);
      g_free (c->sets[i].model);
      rf_fidelity_free (c->sets[i].fidelity);
      rf_utility_clear (&c->sets[i].utility);
    }
  g_free (c->machine_id);
  g_free (c->real_source);
  g_free (c->rul);
  g_free (c->recommendation);
  g_ptr_array_unref (c->reasons);
  g_free (c);
}

guint
rf_comparison_get_n_sets (RfComparison *c)
{
  g_return_val_if_fail (c != NULL, 0);
  return c->n_sets;
}

const RfComparedSet *
rf_comparison_get_set (RfComparison *c,
                       guint         index)
{
  g_return_val_if_fail (c != NULL && index < c->n_sets, NULL);
  return &c->sets[index];
}

gsize
rf_comparison_get_real_rows (RfComparison *c)
{
  g_return_val_if_fail (c != NULL, 0);
  return c->real_rows;
}

RfAction
rf_comparison_get_action (RfComparison *c)
{
  g_return_val_if_fail (c != NULL, RF_ACTION_KEEP_BASELINE);
  return c->action;
}

const char *
rf_comparison_get_recommendation (RfComparison *c)
{
  g_return_val_if_fail (c != NULL, NULL);
  return c->recommendation;
}

const char * const *
rf_comparison_get_reasons (RfComparison *c)
{
  g_return_val_if_fail (c != NULL, NULL);
  return (const char * const *) c->reasons->pdata;
}

const char *
rf_comparison_get_recommended_model (RfComparison *c)
{
  g_return_val_if_fail (c != NULL, NULL);
  return c->recommended_model;
}

static void
add_reason (RfComparison *c,
            const char   *format,
            ...) G_GNUC_PRINTF (2, 3);

static void
add_reason (RfComparison *c,
            const char   *format,
            ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_insert (c->reasons, (gint) c->reasons->len - 1, g_strdup_vprintf (format, args));
  va_end (args);
}

/* The rule of the header comment. */
static void
recommend (RfComparison *c)
{
  const RfComparedSet *base = &c->sets[0], *cand = &c->sets[c->n_sets - 1];
  double qb = base->fidelity->quality.overall, qc = cand->fidelity->quality.overall;

  if (c->n_sets == 1)
    {
      add_reason (c, "Overall quality score %.3f (column shapes %.3f, pair trends %.3f); %.3f or more is good.",
                  qc, cand->fidelity->quality.column_shapes, cand->fidelity->quality.pair_trends,
                  RF_COMPARISON_GOOD_SCORE);
      if (cand->privacy.exact_copy_fraction > RF_COMPARISON_MAX_COPIES)
        {
          c->action = RF_ACTION_RETRAIN;
          add_reason (c, "%.1f %% of the synthetic rows are exact copies of real rows (at most %.0f %%).",
                      100.0 * cand->privacy.exact_copy_fraction, 100.0 * RF_COMPARISON_MAX_COPIES);
          c->recommendation = g_strdup ("Retrain - the model copies real rows");
        }
      else if (qc >= RF_COMPARISON_GOOD_SCORE)
        {
          c->action = RF_ACTION_USE_MODEL;
          c->recommendation = g_strdup ("Use this model - its synthetic data matches the real data well");
        }
      else
        {
          c->action = RF_ACTION_RETRAIN;
          c->recommendation = g_strdup ("Retrain - the synthetic data does not match the real data well enough "
                                        "(train longer or on more data)");
        }
      return;
    }

  add_reason (c, "Overall quality score: %.3f for the refined model, %.3f for the original (difference %+.3f; "
              "differences under %.2f are noise).", qc, qb, qc - qb, RF_COMPARISON_MIN_GAIN);
  if (cand->privacy.exact_copy_fraction > RF_COMPARISON_MAX_COPIES)
    {
      c->action = RF_ACTION_KEEP_BASELINE;
      add_reason (c, "%.1f %% of the refined model's rows are exact copies of real rows (at most %.0f %%).",
                  100.0 * cand->privacy.exact_copy_fraction, 100.0 * RF_COMPARISON_MAX_COPIES);
      c->recommendation = g_strdup ("Keep original model - the refined model copies real rows");
    }
  else if (qc - qb >= RF_COMPARISON_MIN_GAIN)
    {
      c->action = RF_ACTION_USE_CANDIDATE;
      c->recommended_model = cand->model;
      c->recommendation = g_strdup ("Use refined model - significantly better distribution matching");
    }
  else if (qb - qc >= RF_COMPARISON_MIN_GAIN)
    {
      c->action = RF_ACTION_KEEP_BASELINE;
      c->recommendation = g_strdup ("Keep original model - the refined model matches the real data worse");
    }
  else
    {
      c->action = RF_ACTION_KEEP_BASELINE;
      c->recommendation = g_strdup ("Keep original model - no significant difference");
    }
  if (cand->has_utility && base->has_utility)
    add_reason (c, "RUL prediction trained on synthetic data, tested on real: R² %.3f (refined) against %.3f "
                "(original); %.3f when trained on real data.", cand->utility.r2_synthetic,
                base->utility.r2_synthetic, cand->utility.r2_real);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  gsize x = *(const gsize *) a, y = *(const gsize *) b;

  return (x > y) - (x < y);
}

RfComparison *
rf_comparison_compute (const char              *machine_id,
                       const RfTable           *real,
                       const char              *real_source,
                       const RfComparisonInput *sets,
                       guint                    n_sets,
                       const char * const      *exclude,
                       const char              *rul,
                       guint64                  seed,
                       GCancellable            *cancellable,
                       GError                 **error)
{
  g_autoptr(RfComparison) c = NULL;
  g_autoptr(RfTable) reference = NULL;
  g_autoptr(RfTable) holdout = NULL;
  g_autofree gsize *order = NULL;
  gsize n = rf_table_get_n_rows (real), n_holdout;
  RfRng rng;

  g_return_val_if_fail (real != NULL && sets != NULL && n_sets >= 1 && n_sets <= 2, NULL);

  if (n < 10)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "%" G_GSIZE_FORMAT " real rows are too few to compare with (at least 10)", n);
      return NULL;
    }

  c = g_new0 (RfComparison, 1);
  c->machine_id = g_strdup (machine_id);
  c->real_source = g_strdup (real_source);
  c->real_rows = n;
  c->rul = g_strdup (rul);
  c->reasons = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (c->reasons, NULL);

  /* The reference/holdout split: a seeded shuffle, both parts in row order. */
  order = g_new (gsize, n);
  for (gsize i = 0; i < n; i++)
    order[i] = i;
  rf_rng_init (&rng, seed);
  rf_rng_shuffle_rows (&rng, order, n);
  n_holdout = MAX ((gsize) llround (RF_COMPARISON_HOLDOUT * (double) n), 1);
  qsort (order, n_holdout, sizeof (gsize), compare_rows);
  qsort (order + n_holdout, n - n_holdout, sizeof (gsize), compare_rows);
  holdout = rf_table_take_rows (real, order, n_holdout);
  reference = rf_table_take_rows (real, order + n_holdout, n - n_holdout);

  for (guint s = 0; s < n_sets; s++)
    {
      RfComparedSet *set = &c->sets[s];
      const RfColumn *target = rul != NULL ? rf_table_find_column (real, rul) : NULL;

      set->key = g_strdup (sets[s].key);
      set->model = g_strdup (sets[s].model);
      set->rows = rf_table_get_n_rows (sets[s].table);
      c->n_sets++;
      set->fidelity = rf_fidelity_compute (real, sets[s].table, exclude, 0, cancellable, error);
      if (set->fidelity == NULL ||
          !rf_privacy_compute (reference, holdout, sets[s].table, exclude, RF_COMPARISON_DCR_ROWS, seed + 1 + s,
                               cancellable, &set->privacy, error))
        return NULL;
      if (target != NULL && rf_column_type_is_numeric (target->type) &&
          rf_table_find_column (sets[s].table, rul) != NULL)
        {
          g_autoptr(GError) local = NULL;

          /* Utility is a bonus: a table it cannot fit is reported without. */
          set->has_utility = rf_utility_compute (reference, holdout, sets[s].table, rul, exclude,
                                                 RF_UTILITY_DEFAULT_ALPHA, &set->utility, &local);
          if (!set->has_utility)
            {
              g_debug ("No utility for %s: %s", set->key, local->message);
              rf_utility_clear (&set->utility);
            }
        }
    }
  recommend (c);
  return g_steal_pointer (&c);
}

/* JSON ------------------------------------------------------------------------ */

static void
add_number (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* "52% reduction", "12% increase", "no change" (lower is better for the
 * distances). */
static char *
improvement (double before,
             double after)
{
  double change;

  if (!isfinite (before) || !isfinite (after))
    return g_strdup ("not available");
  if (before == 0.0)
    return g_strdup (after == 0.0 ? "no change" : "increase from 0");
  change = 100.0 * (before - after) / before;
  if (fabs (change) < 0.5)
    return g_strdup ("no change");
  return g_strdup_printf ("%.0f%% %s", fabs (change), change > 0 ? "reduction" : "increase");
}

typedef double (*SetFigure) (const RfComparedSet *set);

static double figure_kl (const RfComparedSet *s) { return s->fidelity->mean_kl; }
static double figure_w1 (const RfComparedSet *s) { return s->fidelity->mean_wasserstein; }
static double figure_corr (const RfComparedSet *s) { return s->fidelity->correlation.mean_abs_error; }
static double figure_frob (const RfComparedSet *s) { return s->fidelity->correlation.frobenius; }
static double figure_ks (const RfComparedSet *s) { return s->fidelity->mean_ks; }
static double figure_quality (const RfComparedSet *s) { return s->fidelity->quality.overall; }

static void
add_statistic (JsonBuilder  *b,
               RfComparison *c,
               const char   *name,
               SetFigure     figure,
               gboolean      higher_is_better)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  for (guint s = 0; s < c->n_sets; s++)
    {
      g_autofree char *key = g_strdup_printf ("%s_vs_real", c->sets[s].key);
      add_number (b, key, figure (&c->sets[s]));
    }
  if (c->n_sets == 2)
    {
      double before = figure (&c->sets[0]), after = figure (&c->sets[1]);
      g_autofree char *text = NULL;

      if (higher_is_better)
        text = isfinite (before) && isfinite (after) ? g_strdup_printf ("%+.3f", after - before)
                                                     : g_strdup ("not available");
      else
        text = improvement (before, after);
      json_builder_set_member_name (b, "improvement");
      json_builder_add_string_value (b, text);
    }
  json_builder_end_object (b);
}

static void
add_matrix (JsonBuilder  *b,
            const char   *name,
            const double *m,
            guint         n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_array (b);
      for (guint j = 0; j < n; j++)
        isfinite (m[i * n + j]) ? json_builder_add_double_value (b, m[i * n + j]) : json_builder_add_null_value (b);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
}

static const char * const action_names[] = { "use_refined", "keep_original", "use_model", "retrain" };

JsonNode *
rf_comparison_to_json (RfComparison *c,
                       const char   *timestamp)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const RfFidelity *first;

  g_return_val_if_fail (c != NULL, NULL);
  first = c->sets[0].fidelity;

  json_builder_begin_object (b);
  add_string_or_null (b, "machine_id", c->machine_id);
  add_string_or_null (b, "comparison_timestamp", timestamp);

  json_builder_set_member_name (b, "datasets_compared");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "real_data");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, (gint64) c->real_rows);
  add_string_or_null (b, "source", c->real_source);
  json_builder_end_object (b);
  for (guint s = 0; s < c->n_sets; s++)
    {
      g_autofree char *key = g_strdup_printf ("%s_synthetic", c->sets[s].key);

      json_builder_set_member_name (b, key);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rows");
      json_builder_add_int_value (b, (gint64) c->sets[s].rows);
      add_string_or_null (b, "model", c->sets[s].model);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "statistical_metrics");
  json_builder_begin_object (b);
  add_statistic (b, c, "kl_divergence", figure_kl, FALSE);
  add_statistic (b, c, "wasserstein_distance", figure_w1, FALSE);
  add_statistic (b, c, "correlation_error", figure_corr, FALSE);
  add_statistic (b, c, "correlation_frobenius", figure_frob, FALSE);
  add_statistic (b, c, "ks_statistic", figure_ks, FALSE);
  add_statistic (b, c, "quality_score", figure_quality, TRUE);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "per_sensor_metrics");
  json_builder_begin_object (b);
  for (guint i = 0; i < first->n_columns; i++)
    {
      const char *name = first->columns[i].name;

      json_builder_set_member_name (b, name);
      json_builder_begin_object (b);
      for (guint s = 0; s < c->n_sets; s++)
        {
          const RfColumnMetrics *m = rf_fidelity_find_column (c->sets[s].fidelity, name);
          const char *k = c->sets[s].key;
          g_autofree char *mean = g_strdup_printf ("mean_error_%s", k);
          g_autofree char *std = g_strdup_printf ("std_error_%s", k);
          g_autofree char *ks = g_strdup_printf ("ks_%s", k);
          g_autofree char *kl = g_strdup_printf ("kl_%s", k);
          g_autofree char *w1 = g_strdup_printf ("wasserstein_%s", k);
          g_autofree char *missing = g_strdup_printf ("missing_%s", k);

          add_number (b, mean, m != NULL ? m->mean_error : NAN);
          add_number (b, std, m != NULL ? m->std_error : NAN);
          add_number (b, ks, m != NULL ? m->ks : NAN);
          add_number (b, kl, m != NULL ? m->kl_divergence : NAN);
          add_number (b, w1, m != NULL ? m->wasserstein : NAN);
          add_number (b, missing, m != NULL ? m->missing_synthetic : NAN);
        }
      add_number (b, "mean_real", first->columns[i].mean_real);
      add_number (b, "std_real", first->columns[i].std_real);
      add_number (b, "missing_real", first->columns[i].missing_real);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "recommendation");
  json_builder_add_string_value (b, c->recommendation);
  json_builder_set_member_name (b, "recommendation_details");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "action");
  json_builder_add_string_value (b, action_names[c->action]);
  add_string_or_null (b, "model", c->recommended_model);
  json_builder_set_member_name (b, "reasons");
  json_builder_begin_array (b);
  for (guint i = 0; i + 1 < c->reasons->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (c->reasons, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rule");
  json_builder_add_string_value (b, c->n_sets == 2
    ? "use the refined model when its overall quality score beats the original's by 0.01 or more and at most "
      "1% of its rows copy real rows; otherwise keep the original"
    : "use the model when its overall quality score is 0.85 or more and at most 1% of its rows copy real rows; "
      "otherwise retrain");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "quality_score");
  json_builder_begin_object (b);
  for (guint s = 0; s < c->n_sets; s++)
    {
      const RfQualityScore *q = &c->sets[s].fidelity->quality;

      json_builder_set_member_name (b, c->sets[s].key);
      json_builder_begin_object (b);
      add_number (b, "column_shapes", q->column_shapes);
      add_number (b, "pair_trends", q->pair_trends);
      add_number (b, "overall", q->overall);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "correlation");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (guint i = 0; i < first->correlation.n_columns; i++)
    json_builder_add_string_value (b, first->correlation.names[i]);
  json_builder_end_array (b);
  add_matrix (b, "real", first->correlation.real, first->correlation.n_columns);
  for (guint s = 0; s < c->n_sets; s++)
    add_matrix (b, c->sets[s].key, c->sets[s].fidelity->correlation.synthetic,
                c->sets[s].fidelity->correlation.n_columns);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "privacy");
  json_builder_begin_object (b);
  for (guint s = 0; s < c->n_sets; s++)
    {
      const RfPrivacy *p = &c->sets[s].privacy;

      json_builder_set_member_name (b, c->sets[s].key);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rows_measured");
      json_builder_add_int_value (b, (gint64) p->n_synthetic);
      add_number (b, "dcr_median", p->synthetic_median);
      add_number (b, "dcr_p5", p->synthetic_p5);
      add_number (b, "holdout_dcr_median", p->holdout_median);
      add_number (b, "holdout_dcr_p5", p->holdout_p5);
      json_builder_set_member_name (b, "exact_copies");
      json_builder_add_int_value (b, (gint64) p->n_exact_copies);
      add_number (b, "exact_copy_fraction", p->exact_copy_fraction);
      add_number (b, "holdout_exact_fraction", p->holdout_exact_fraction);
      add_number (b, "closer_than_holdout_p5", p->closer_than_holdout_p5);
      json_builder_set_member_name (b, "copies_flagged");
      json_builder_add_boolean_value (b, p->exact_copy_fraction > RF_COMPARISON_MAX_COPIES);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "utility");
  if (c->n_sets == 0 || !c->sets[0].has_utility)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      add_string_or_null (b, "target", c->rul);
      json_builder_set_member_name (b, "model");
      json_builder_add_string_value (b, "ridge regression, alpha 1, standardised features");
      json_builder_set_member_name (b, "real");
      json_builder_begin_object (b);
      add_number (b, "r2", c->sets[0].utility.r2_real);
      add_number (b, "mae", c->sets[0].utility.mae_real);
      json_builder_end_object (b);
      for (guint s = 0; s < c->n_sets; s++)
        {
          json_builder_set_member_name (b, c->sets[s].key);
          json_builder_begin_object (b);
          add_number (b, "r2", c->sets[s].has_utility ? c->sets[s].utility.r2_synthetic : NAN);
          add_number (b, "mae", c->sets[s].has_utility ? c->sets[s].utility.mae_synthetic : NAN);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }

  json_builder_set_member_name (b, "estimators");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kl_divergence");
  json_builder_add_string_value (b, "KL(real || synthetic) in nats over 50 equal-width bins spanning both samples, "
                                    "0.5 pseudo-count per bin; text columns over their categories");
  json_builder_set_member_name (b, "wasserstein_distance");
  json_builder_add_string_value (b, "Wasserstein-1 between the empirical distributions divided by the real range");
  json_builder_set_member_name (b, "ks_statistic");
  json_builder_add_string_value (b, "two-sample Kolmogorov-Smirnov statistic; total variation for text columns");
  json_builder_set_member_name (b, "correlation_error");
  json_builder_add_string_value (b, "mean |r_real - r_synthetic| over column pairs (Pearson, pairwise complete)");
  json_builder_set_member_name (b, "quality_score");
  json_builder_add_string_value (b, "SDMetrics style: mean of column shapes (1 - KS) and pair trends (1 - |dr|/2)");
  json_builder_set_member_name (b, "privacy");
  json_builder_add_string_value (b, "distance to the closest real row on min-max scaled numeric columns, against "
                                    "the same for a 20% real holdout");
  json_builder_end_object (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Reading back, and the project summary ------------------------------------- */

char *
rf_comparison_report_path (RfProject  *project,
                           const char *machine_id)
{
  g_autofree char *dir = rf_project_get_machine_dir (project, "reports", machine_id, FALSE, NULL);
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *name = g_strdup_printf ("%s_comparison.json", machine_id);

  /* reports/<machine>_comparison.json, beside the machines' folders. */
  return g_build_filename (parent, name, NULL);
}

void
rf_recommendation_free (RfRecommendation *r)
{
  if (r == NULL)
    return;
  g_free (r->text);
  g_free (r->model);
  g_free (r);
}

static JsonNode *
load_report (const char  *path,
             JsonParser  *parser,
             GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *display = g_filename_display_name (path);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "There is no comparison report %s yet; run “refinery-cli compare” first", display);
      return NULL;
    }
  if (!json_parser_load_from_file (parser, path, &local) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE, "The comparison report %s is damaged%s%s; run “refinery-cli "
                   "compare” again", display, local != NULL ? ": " : "", local != NULL ? local->message : "");
      return NULL;
    }
  return json_parser_get_root (parser);
}

RfRecommendation *
rf_recommendation_load (const char  *path,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RfRecommendation) r = g_new0 (RfRecommendation, 1);
  g_autofree char *display = g_filename_display_name (path);
  JsonNode *root = load_report (path, parser, error);
  JsonObject *o, *details;
  const char *action;

  if (root == NULL)
    return NULL;
  o = json_node_get_object (root);
  details = json_object_has_member (o, "recommendation_details") &&
            JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "recommendation_details"))
            ? json_object_get_object_member (o, "recommendation_details") : NULL;
  action = details != NULL ? json_object_get_string_member_with_default (details, "action", NULL) : NULL;
  r->text = g_strdup (json_object_get_string_member_with_default (o, "recommendation", NULL));
  if (r->text == NULL || action == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID, "The comparison report %s has no recommendation; run "
                   "“refinery-cli compare” again", display);
      return NULL;
    }
  for (guint a = 0; a < G_N_ELEMENTS (action_names); a++)
    if (strcmp (action, action_names[a]) == 0)
      r->action = a;
  if (r->action == RF_ACTION_USE_CANDIDATE)
    r->model = g_strdup (json_object_get_string_member_with_default (details, "model", NULL));
  return g_steal_pointer (&r);
}

static double
member_number (JsonObject *o,
               const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = NULL;

  for (guint i = 0; parts[i] != NULL && o != NULL; i++)
    {
      node = json_object_get_member (o, parts[i]);
      o = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      if (parts[i + 1] != NULL && o == NULL)
        return NAN;
    }
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_double (node) : NAN;
}

static const char *
member_string (JsonObject *o,
               const char *a,
               const char *b)
{
  JsonNode *node = json_object_get_member (o, a);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  node = json_object_get_member (json_node_get_object (node), b);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (node), "model", NULL);
}

/* A new column, listed in columns so that it joins the table once filled
 * (a table takes its row count from its columns as they are added). */
static RfColumn *
named (GPtrArray   *columns,
       const char  *name,
       RfColumnType type)
{
  RfColumn *column = rf_column_new (name, type);

  g_ptr_array_add (columns, column);
  return column;
}

static void
append_text (RfColumn   *column,
             const char *text)
{
  if (text == NULL)
    rf_column_append_null (column);
  else
    rf_column_append_string (column, text, strlen (text));
}

static void
append_number (RfColumn *column,
               double    value)
{
  if (isfinite (value))
    rf_column_append_double (column, value);
  else
    rf_column_append_null (column);
}

gboolean
rf_comparison_write_summary (RfProject  *project,
                             GError    **error)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(GPtrArray) table_columns = g_ptr_array_new ();
  g_autofree char *reports = g_build_filename (rf_project_get_path (project), "reports", NULL);
  g_autofree char *path = g_build_filename (reports, "all_machines_summary.csv", NULL);
  RfColumn *machine = named (table_columns, "machine_id", RF_COLUMN_STRING);
  RfColumn *when = named (table_columns, "comparison_timestamp", RF_COLUMN_STRING);
  RfColumn *rows = named (table_columns, "real_rows", RF_COLUMN_INT64);
  RfColumn *seed_model = named (table_columns, "seed_model", RF_COLUMN_STRING);
  RfColumn *model = named (table_columns, "refined_model", RF_COLUMN_STRING);
  RfColumn *q_seed = named (table_columns, "quality_seed", RF_COLUMN_DOUBLE);
  RfColumn *q = named (table_columns, "quality", RF_COLUMN_DOUBLE);
  RfColumn *shapes = named (table_columns, "column_shapes", RF_COLUMN_DOUBLE);
  RfColumn *trends = named (table_columns, "pair_trends", RF_COLUMN_DOUBLE);
  RfColumn *kl = named (table_columns, "kl_divergence", RF_COLUMN_DOUBLE);
  RfColumn *w1 = named (table_columns, "wasserstein_distance", RF_COLUMN_DOUBLE);
  RfColumn *corr = named (table_columns, "correlation_error", RF_COLUMN_DOUBLE);
  RfColumn *copies = named (table_columns, "exact_copy_fraction", RF_COLUMN_DOUBLE);
  RfColumn *r2 = named (table_columns, "tstr_r2", RF_COLUMN_DOUBLE);
  RfColumn *r2_real = named (table_columns, "trtr_r2", RF_COLUMN_DOUBLE);
  RfColumn *text = named (table_columns, "recommendation", RF_COLUMN_STRING);

  g_return_val_if_fail (project != NULL, FALSE);

  for (guint m = 0; m < rf_project_get_n_machines (project); m++)
    {
      const char *id = rf_project_get_machine (project, m)->id;
      g_autofree char *report = rf_comparison_report_path (project, id);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root = g_file_test (report, G_FILE_TEST_IS_REGULAR) ? load_report (report, parser, NULL) : NULL;
      JsonObject *o = root != NULL ? json_node_get_object (root) : NULL;
      /* The candidate: "refined", or the single "synthetic" set. */
      const char *key = o != NULL && member_string (o, "datasets_compared", "refined_synthetic") != NULL
                        ? "refined" : "synthetic";
      g_autofree char *set = g_strdup_printf ("%s_synthetic", key);
      g_autofree char *p_quality = g_strdup_printf ("quality_score.%s.overall", key);
      g_autofree char *p_shapes = g_strdup_printf ("quality_score.%s.column_shapes", key);
      g_autofree char *p_trends = g_strdup_printf ("quality_score.%s.pair_trends", key);
      g_autofree char *p_kl = g_strdup_printf ("statistical_metrics.kl_divergence.%s_vs_real", key);
      g_autofree char *p_w1 = g_strdup_printf ("statistical_metrics.wasserstein_distance.%s_vs_real", key);
      g_autofree char *p_corr = g_strdup_printf ("statistical_metrics.correlation_error.%s_vs_real", key);
      g_autofree char *p_copies = g_strdup_printf ("privacy.%s.exact_copy_fraction", key);
      g_autofree char *p_r2 = g_strdup_printf ("utility.%s.r2", key);

      append_text (machine, id);
      append_text (when, o != NULL ? json_object_get_string_member_with_default (o, "comparison_timestamp", NULL) : NULL);
      if (o != NULL && isfinite (member_number (o, "datasets_compared.real_data.rows")))
        rf_column_append_int64 (rows, (gint64) member_number (o, "datasets_compared.real_data.rows"));
      else
        rf_column_append_null (rows);
      append_text (seed_model, o != NULL ? member_string (o, "datasets_compared", "seed_synthetic") : NULL);
      append_text (model, o != NULL ? member_string (o, "datasets_compared", set) : NULL);
      append_number (q_seed, o != NULL ? member_number (o, "quality_score.seed.overall") : NAN);
      append_number (q, o != NULL ? member_number (o, p_quality) : NAN);
      append_number (shapes, o != NULL ? member_number (o, p_shapes) : NAN);
      append_number (trends, o != NULL ? member_number (o, p_trends) : NAN);
      append_number (kl, o != NULL ? member_number (o, p_kl) : NAN);
      append_number (w1, o != NULL ? member_number (o, p_w1) : NAN);
      append_number (corr, o != NULL ? member_number (o, p_corr) : NAN);
      append_number (copies, o != NULL ? member_number (o, p_copies) : NAN);
      append_number (r2, o != NULL ? member_number (o, p_r2) : NAN);
      append_number (r2_real, o != NULL ? member_number (o, "utility.real.r2") : NAN);
      append_text (text, o != NULL ? json_object_get_string_member_with_default (o, "recommendation", NULL) : NULL);
    }
  for (guint i = 0; i < table_columns->len; i++)
    {
      rf_table_add_column (table, g_ptr_array_index (table_columns, i));
      rf_column_unref (g_ptr_array_index (table_columns, i));
    }
  if (g_mkdir_with_parents (reports, 0755) != 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot create the folder %s", reports);
      return FALSE;
    }
  return rf_write_file (table, path, RF_OUTPUT_CSV, NULL, NULL, NULL, error);
}

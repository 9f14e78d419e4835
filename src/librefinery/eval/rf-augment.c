#define G_LOG_DOMAIN "rf-augment"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include <glib/gstdio.h>

#include "rf-atomic-file.h"
#include "rf-augment.h"
#include "rf-error.h"
#include "rf-json-build.h"
#include "rf-rng.h"
#include "rf-writer.h"

struct _RfAugmentation
{
  RfAugmentOptions options;
  RfTable *sets[RF_N_SPLITS];
  RfAugmentQuality quality;
};

static const char * const split_names[RF_N_SPLITS] = { "train", "val", "test" };

const char *
rf_split_to_string (RfSplit split)
{
  g_return_val_if_fail (split < RF_N_SPLITS, NULL);
  return split_names[split];
}

void
rf_augment_options_init (RfAugmentOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->n_rows = RF_AUGMENT_DEFAULT_ROWS;
  options->train_fraction = 0.70;
  options->val_fraction = 0.15;
  options->seed = 0;
  options->trajectories = TRUE;
  rf_decode_options_init (&options->decode);
  options->max_outside_range = 0.01;
  options->min_range_coverage = 0.5;
  options->max_missing_delta = 0.05;
  options->max_rul_corr_delta = 0.15;
}

void
rf_augmentation_free (RfAugmentation *augmentation)
{
  RfAugmentQuality *q;

  if (augmentation == NULL)
    return;
  q = &augmentation->quality;
  for (guint s = 0; s < RF_N_SPLITS; s++)
    g_clear_pointer (&augmentation->sets[s], rf_table_unref);
  for (guint c = 0; c < q->n_columns; c++)
    {
      g_free (q->columns[c].name);
      g_free (q->columns[c].problems);
    }
  g_free (q->columns);
  g_free (q->rul_column);
  g_free (q->unit_column);
  g_free (q->time_column);
  g_free (augmentation);
}

RfTable *
rf_augmentation_get_set (RfAugmentation *augmentation,
                         RfSplit         split)
{
  g_return_val_if_fail (augmentation != NULL && split < RF_N_SPLITS, NULL);
  return augmentation->sets[split];
}

const RfAugmentQuality *
rf_augmentation_get_quality (RfAugmentation *augmentation)
{
  g_return_val_if_fail (augmentation != NULL, NULL);
  return &augmentation->quality;
}

/* The first column of table with role, or NULL. */
static RfColumn *
find_role (const RfTable *table,
           RfColumnRole   role)
{
  for (guint c = 0; c < rf_table_get_n_columns (table); c++)
    if (rf_table_get_column (table, c)->role == role)
      return rf_table_get_column (table, c);
  return NULL;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Median of n values (sorted in place); NAN for none. */
static double
median (double *values,
        gsize   n)
{
  if (n == 0)
    return NAN;
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

/* The source's rows grouped by unit: group[i] is row i's unit number,
 * counted in order of first appearance. All rows are unit 0 without a unit
 * column. Returns the number of units. */
static guint
source_units (const RfTable *source,
              const RfColumn *unit,
              guint          *group)
{
  gsize n = rf_table_get_n_rows (source);
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  guint n_units = 0;

  if (unit == NULL)
    {
      memset (group, 0, n * sizeof (guint));
      return n > 0 ? 1 : 0;
    }
  ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (gsize r = 0; r < n; r++)
    {
      gpointer value;

      g_string_truncate (key, 0);
      rf_column_format_value (unit, r, key);
      if (g_hash_table_lookup_extended (ids, key->str, NULL, &value))
        group[r] = GPOINTER_TO_UINT (value);
      else
        {
          group[r] = n_units;
          g_hash_table_insert (ids, g_strdup (key->str), GUINT_TO_POINTER (n_units));
          n_units++;
        }
    }
  return n_units;
}

/* Median rows per unit and median positive time step within a unit (NAN
 * without a time column or without a positive step). */
static void
source_shape (const RfTable  *source,
              const RfColumn *unit,
              const RfColumn *time,
              double         *unit_length,
              double         *interval)
{
  gsize n = rf_table_get_n_rows (source);
  g_autofree guint *group = g_new (guint, MAX (n, 1));
  guint n_units = source_units (source, unit, group);
  g_autofree double *counts = g_new0 (double, MAX (n_units, 1));
  g_autofree double *last = g_new (double, MAX (n_units, 1));
  g_autofree double *steps = g_new (double, MAX (n, 1));
  gsize n_steps = 0;

  for (guint u = 0; u < n_units; u++)
    last[u] = NAN;
  for (gsize r = 0; r < n; r++)
    {
      counts[group[r]] += 1.0;
      if (time != NULL)
        {
          double t = rf_column_get_as_double (time, r);

          if (!isnan (t))
            {
              if (!isnan (last[group[r]]) && t > last[group[r]])
                steps[n_steps++] = t - last[group[r]];
              last[group[r]] = t;
            }
        }
    }
  *unit_length = median (counts, n_units);
  *interval = time != NULL ? median (steps, n_steps) : NAN;
}

/* Rows of one set, sorted by RUL (largest first, missing last, ties in
 * sample order) and dealt to n_units units in turn: the new row order,
 * unit by unit, and each new row's unit (0-based). */
typedef struct
{
  double rul;
  gsize  row;
} RulRow;

static int
compare_rul_desc (gconstpointer a,
                  gconstpointer b)
{
  const RulRow *x = a, *y = b;
  gboolean xn = isnan (x->rul), yn = isnan (y->rul);

  if (xn != yn)
    return xn ? 1 : -1;
  if (!xn && x->rul != y->rul)
    return x->rul > y->rul ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}

static void
deal_units (const RfColumn *rul,
            gsize           n,
            guint           n_units,
            gsize          *order,
            guint          *unit_of)
{
  g_autofree RulRow *sorted = g_new (RulRow, MAX (n, 1));
  gsize k = 0;

  for (gsize r = 0; r < n; r++)
    {
      sorted[r].rul = rf_column_get_as_double (rul, r);
      sorted[r].row = r;
    }
  qsort (sorted, n, sizeof (RulRow), compare_rul_desc);
  for (guint u = 0; u < n_units; u++)
    for (gsize p = u; p < n; p += n_units)
      {
        order[k] = sorted[p].row;
        unit_of[k] = u;
        k++;
      }
}

/* Replaces (or adds, at the end) the column name by column, taking the
 * caller's reference. */
static void
put_column (RfTable    *table,
            const char *name,
            RfColumn   *column)
{
  int index = rf_table_find_column_index (table, name);

  if (index >= 0)
    rf_table_remove_column (table, (guint) index);
  rf_table_add_column (table, column);
  rf_column_unref (column);
}

/* The set assembled into units first_unit + 1 … first_unit + n_units. */
static RfTable *
assemble_trajectories (const RfTable  *set,
                       const char     *rul_name,
                       const char     *unit_name,
                       RfColumnType    unit_type,
                       const RfColumn *source_time,
                       double          time_start,
                       double          interval,
                       guint           n_units,
                       guint           first_unit)
{
  gsize n = rf_table_get_n_rows (set);
  g_autofree gsize *order = g_new (gsize, MAX (n, 1));
  g_autofree guint *unit_of = g_new (guint, MAX (n, 1));
  RfTable *out;
  RfColumn *unit, *time = NULL;
  gsize position = 0;

  deal_units (rf_table_find_column (set, rul_name), n, n_units, order, unit_of);
  out = rf_table_take_rows (set, order, n);

  unit = rf_column_new_sized (unit_name, unit_type, n);
  if (source_time != NULL)
    time = rf_column_new_sized (source_time->name, source_time->type, n);
  for (gsize k = 0; k < n; k++)
    {
      guint id = first_unit + unit_of[k] + 1;
      double t;

      if (k > 0 && unit_of[k] != unit_of[k - 1])
        position = 0;
      switch (unit_type)
        {
        case RF_COLUMN_STRING:
          {
            char text[32];
            int length = g_snprintf (text, sizeof text, "syn_%04u", id);
            rf_column_append_string (unit, text, (gsize) length);
          }
          break;
        case RF_COLUMN_DOUBLE:
          rf_column_append_double (unit, id);
          break;
        case RF_COLUMN_INT64:
        default:
          rf_column_append_int64 (unit, id);
          break;
        }
      if (time != NULL)
        {
          t = time_start + interval * (double) position;
          if (time->type == RF_COLUMN_TIMESTAMP)
            rf_column_append_timestamp (time, (gint64) llround (t * 1e6));
          else if (time->type == RF_COLUMN_INT64)
            rf_column_append_int64 (time, (gint64) llround (t));
          else
            rf_column_append_double (time, t);
        }
      position++;
    }
  rf_column_set_role (unit, RF_ROLE_UNIT_ID);
  put_column (out, unit_name, unit);
  if (time != NULL)
    {
      rf_column_set_role (time, RF_ROLE_TIMESTAMP);
      rf_column_set_unit (time, source_time->unit);
      put_column (out, source_time->name, time);
    }
  return out;
}

/* Pearson correlation of two columns over the rows where both are present;
 * NAN when either is constant there or fewer than 2 rows. */
static double
column_correlation (const RfTable * const *tables,
                    guint                 n_tables,
                    const char           *x_name,
                    const char           *y_name)
{
  double n = 0, mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;

  /* Welford-style running moments: stable on large offsets (timestamps). */
  for (guint t = 0; t < n_tables; t++)
    {
      const RfColumn *x = rf_table_find_column (tables[t], x_name);
      const RfColumn *y = rf_table_find_column (tables[t], y_name);

      if (x == NULL || y == NULL)
        continue;
      for (gsize r = 0; r < rf_table_get_n_rows (tables[t]); r++)
        {
          double a = rf_column_get_as_double (x, r), b = rf_column_get_as_double (y, r);
          double da, db;

          if (isnan (a) || isnan (b))
            continue;
          n += 1.0;
          da = a - mx;
          db = b - my;
          mx += da / n;
          my += db / n;
          sxx += da * (a - mx);
          syy += db * (b - my);
          sxy += da * (b - my);
        }
    }
  if (n < 2 || sxx <= 0 || syy <= 0)
    return NAN;
  return sxy / sqrt (sxx * syy);
}

static void
add_problem (GString    **problems,
             const char  *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_problem (GString    **problems,
             const char  *format,
             ...)
{
  va_list args;

  if (*problems == NULL)
    *problems = g_string_new (NULL);
  else
    g_string_append (*problems, "; ");
  va_start (args, format);
  g_string_append_vprintf (*problems, format, args);
  va_end (args);
}

static void
check_column (RfAugmentation       *aug,
              const RfTable        *source,
              const RfColumn       *src,
              const char           *rul_name,
              RfAugmentColumnCheck *check)
{
  const RfAugmentOptions *o = &aug->options;
  const RfTable *sets[RF_N_SPLITS] = { aug->sets[0], aug->sets[1], aug->sets[2] };
  double smin = INFINITY, smax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
  gsize src_missing = 0, syn_missing = 0, syn_total = 0, syn_present = 0, outside = 0;
  gsize n_src = rf_table_get_n_rows (source);
  GString *problems = NULL;

  check->name = g_strdup (src->name);
  for (gsize r = 0; r < n_src; r++)
    {
      double v = rf_column_get_as_double (src, r);

      if (isnan (v))
        src_missing++;
      else
        {
          smin = MIN (smin, v);
          smax = MAX (smax, v);
        }
    }
  for (guint s = 0; s < RF_N_SPLITS; s++)
    {
      const RfColumn *syn = rf_table_find_column (sets[s], src->name);
      gsize n = rf_table_get_n_rows (sets[s]);

      syn_total += n;
      for (gsize r = 0; r < n; r++)
        {
          double v = syn != NULL ? rf_column_get_as_double (syn, r) : NAN;

          if (isnan (v))
            {
              syn_missing++;
              continue;
            }
          syn_present++;
          ymin = MIN (ymin, v);
          ymax = MAX (ymax, v);
          if (v < smin || v > smax)
            outside++;
        }
    }

  check->source_min = smin <= smax ? smin : NAN;
  check->source_max = smin <= smax ? smax : NAN;
  check->synthetic_min = ymin <= ymax ? ymin : NAN;
  check->synthetic_max = ymin <= ymax ? ymax : NAN;
  check->outside_range = syn_present > 0 ? (double) outside / (double) syn_present : NAN;
  if (isnan (check->source_min) || isnan (check->synthetic_min))
    check->range_coverage = NAN;
  else if (smax > smin)
    check->range_coverage = MAX (0.0, MIN (ymax, smax) - MAX (ymin, smin)) / (smax - smin);
  else
    check->range_coverage = ymin == smin && ymax == smax ? 1.0 : 0.0;
  check->missing_source = n_src > 0 ? (double) src_missing / (double) n_src : NAN;
  check->missing_synthetic = syn_total > 0 ? (double) syn_missing / (double) syn_total : NAN;
  if (rul_name != NULL && strcmp (rul_name, src->name) != 0)
    {
      check->rul_corr_source = column_correlation (&source, 1, src->name, rul_name);
      check->rul_corr_synthetic = column_correlation (sets, RF_N_SPLITS, src->name, rul_name);
    }
  else
    check->rul_corr_source = check->rul_corr_synthetic = NAN;

  if (check->outside_range > o->max_outside_range)
    add_problem (&problems, "%.1f %% of the values lie outside the source range [%g, %g] (at most %.1f %%)",
                 100.0 * check->outside_range, smin, smax, 100.0 * o->max_outside_range);
  if (!isnan (check->source_min) && isnan (check->synthetic_min))
    add_problem (&problems, "every synthetic value is missing");
  else if (check->range_coverage < o->min_range_coverage)
    add_problem (&problems, "the synthetic values cover %.0f %% of the source range (at least %.0f %%)",
                 100.0 * check->range_coverage, 100.0 * o->min_range_coverage);
  if (fabs (check->missing_synthetic - check->missing_source) > o->max_missing_delta)
    add_problem (&problems, "missing rate %.1f %% against %.1f %% in the source (at most %.0f points apart)",
                 100.0 * check->missing_synthetic, 100.0 * check->missing_source,
                 100.0 * o->max_missing_delta);
  if (!isnan (check->rul_corr_source) &&
      (isnan (check->rul_corr_synthetic) ||
       fabs (check->rul_corr_synthetic - check->rul_corr_source) > o->max_rul_corr_delta))
    add_problem (&problems, "correlation with %s %.2f against %.2f in the source (at most %.2f apart)",
                 rul_name, check->rul_corr_synthetic, check->rul_corr_source, o->max_rul_corr_delta);
  check->passed = problems == NULL;
  check->problems = problems != NULL ? g_string_free (problems, FALSE) : NULL;
}

/* Steps within a unit where RUL rises, and where time does not rise. */
static void
check_trajectories (RfAugmentation *aug)
{
  RfAugmentQuality *q = &aug->quality;

  for (guint s = 0; s < RF_N_SPLITS; s++)
    {
      const RfTable *set = aug->sets[s];
      const RfColumn *rul = rf_table_find_column (set, q->rul_column);
      const RfColumn *unit = rf_table_find_column (set, q->unit_column);
      const RfColumn *time = q->time_column != NULL ? rf_table_find_column (set, q->time_column) : NULL;

      for (gsize r = 1; r < rf_table_get_n_rows (set); r++)
        {
          double a, b;

          if (rf_column_get_as_double (unit, r) != rf_column_get_as_double (unit, r - 1) ||
              (unit->type == RF_COLUMN_STRING &&
               strcmp (rf_column_get_string (unit, r, NULL), rf_column_get_string (unit, r - 1, NULL)) != 0))
            continue;
          a = rf_column_get_as_double (rul, r - 1);
          b = rf_column_get_as_double (rul, r);
          if (!isnan (a) && !isnan (b) && b > a)
            q->rul_increases++;
          if (time != NULL && !(rf_column_get_as_double (time, r) > rf_column_get_as_double (time, r - 1)))
            q->time_not_increasing++;
        }
    }
}

static gboolean
check_options (const RfAugmentOptions *o,
               GError                **error)
{
  if (!(o->train_fraction > 0.0 && o->val_fraction > 0.0 &&
        o->train_fraction + o->val_fraction < 1.0))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "The split %.3g/%.3g/%.3g is not valid: train and validation shares must be "
                   "above 0 and leave rows for the test set (e.g. 0.7 and 0.15)",
                   o->train_fraction, o->val_fraction, 1.0 - o->train_fraction - o->val_fraction);
      return FALSE;
    }
  if (o->n_rows < RF_N_SPLITS)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "%" G_GSIZE_FORMAT " rows cannot make train, validation and test sets; "
                   "ask for more rows", o->n_rows);
      return FALSE;
    }
  return TRUE;
}

RfAugmentation *
rf_augment (RfModel                *model,
            const RfTable          *source,
            const RfAugmentOptions *options,
            RfProgress             *progress,
            GCancellable           *cancellable,
            GError                **error)
{
  g_autoptr(RfAugmentation) aug = NULL;
  g_autoptr(RfTable) sample = NULL;
  g_autofree gsize *order = NULL;
  RfAugmentQuality *q;
  RfProgress sampling = rf_progress_range (progress, 0.0, 0.9);
  const RfColumn *src_rul, *src_unit, *src_time = NULL;
  gsize n, counts[RF_N_SPLITS], at = 0;
  RfRng rng;
  guint first_unit = 0;
  guint n_checks = 0;

  g_return_val_if_fail (model != NULL && source != NULL && options != NULL, NULL);

  if (!check_options (options, error))
    return NULL;
  if (rf_table_get_n_rows (source) == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "The source data has no rows to check the augmented sets against");
      return NULL;
    }

  aug = g_new0 (RfAugmentation, 1);
  aug->options = *options;
  q = &aug->quality;

  sample = rf_model_sample (model, options->n_rows, options->seed, &options->decode, options->n_threads,
                            &sampling, cancellable, error);
  if (sample == NULL)
    return NULL;

  /* Exact sizes: train and val rounded, test the rest. */
  n = rf_table_get_n_rows (sample);
  counts[RF_SPLIT_TRAIN] = (gsize) llround (options->train_fraction * (double) n);
  counts[RF_SPLIT_VAL] = (gsize) llround (options->val_fraction * (double) n);
  counts[RF_SPLIT_TRAIN] = CLAMP (counts[RF_SPLIT_TRAIN], 1, n - 2);
  counts[RF_SPLIT_VAL] = CLAMP (counts[RF_SPLIT_VAL], 1, n - 1 - counts[RF_SPLIT_TRAIN]);
  counts[RF_SPLIT_TEST] = n - counts[RF_SPLIT_TRAIN] - counts[RF_SPLIT_VAL];

  /* A stream of its own, apart from the sampler's streams 0, 1, …: stream
   * index G_MAXUINT would take 2^32 jumps, so the seed is mixed instead. */
  rf_rng_init (&rng, options->seed ^ G_GUINT64_CONSTANT (0x5a17a0c3e1f4d2b9));
  order = g_new (gsize, n);
  for (gsize i = 0; i < n; i++)
    order[i] = i;
  rf_rng_shuffle_rows (&rng, order, n);

  src_rul = find_role (source, RF_ROLE_RUL);
  src_unit = find_role (source, RF_ROLE_UNIT_ID);
  if (src_rul != NULL)
    {
      const RfColumn *t = find_role (source, RF_ROLE_TIMESTAMP);
      src_time = t != NULL && rf_column_type_is_numeric (t->type) ? t : NULL;
    }
  q->has_trajectories = options->trajectories && src_rul != NULL &&
                        rf_table_find_column (sample, src_rul->name) != NULL &&
                        rf_column_type_is_numeric (src_rul->type);
  q->interval_s = NAN;
  q->unit_length = NAN;
  if (q->has_trajectories)
    {
      double start = NAN;

      q->rul_column = g_strdup (src_rul->name);
      q->unit_column = g_strdup (src_unit != NULL ? src_unit->name : "unit_id");
      source_shape (source, src_unit, src_time, &q->unit_length, &q->interval_s);
      if (src_time != NULL && !isnan (q->interval_s))
        {
          double lo, hi, mean;

          q->time_column = g_strdup (src_time->name);
          if (rf_column_numeric_summary (src_time, &lo, &hi, &mean))
            start = src_time->type == RF_COLUMN_TIMESTAMP ? lo / 1e6 : lo;
        }
      for (guint s = 0; s < RF_N_SPLITS; s++)
        {
          g_autoptr(RfTable) bag = rf_table_take_rows (sample, order + at, counts[s]);
          double units = round ((double) counts[s] / MAX (q->unit_length, 1.0));

          q->units[s] = (guint) CLAMP (units, 1.0, (double) counts[s]);
          aug->sets[s] = assemble_trajectories (bag, q->rul_column, q->unit_column,
                                                src_unit != NULL ? src_unit->type : RF_COLUMN_INT64,
                                                q->time_column != NULL ? src_time : NULL, start,
                                                q->interval_s, q->units[s], first_unit);
          first_unit += q->units[s];
          at += counts[s];
        }
      check_trajectories (aug);
    }
  else
    for (guint s = 0; s < RF_N_SPLITS; s++)
      {
        aug->sets[s] = rf_table_take_rows (sample, order + at, counts[s]);
        at += counts[s];
      }
  for (guint s = 0; s < RF_N_SPLITS; s++)
    q->rows[s] = rf_table_get_n_rows (aug->sets[s]);

  /* Every numeric source column the sets have, but the ones made here. */
  q->columns = g_new0 (RfAugmentColumnCheck, MAX (rf_table_get_n_columns (source), 1));
  q->passed = q->rul_increases == 0 && q->time_not_increasing == 0;
  for (guint c = 0; c < rf_table_get_n_columns (source); c++)
    {
      const RfColumn *src = rf_table_get_column (source, c);

      if (!rf_column_type_is_numeric (src->type) || rf_table_find_column (aug->sets[0], src->name) == NULL ||
          g_strcmp0 (src->name, q->unit_column) == 0 || g_strcmp0 (src->name, q->time_column) == 0)
        continue;
      check_column (aug, source, src, q->rul_column, &q->columns[n_checks]);
      q->passed = q->passed && q->columns[n_checks].passed;
      n_checks++;
    }
  q->n_columns = n_checks;
  rf_progress_report (progress, 1.0, NULL);
  return g_steal_pointer (&aug);
}

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
rf_augmentation_quality_to_json (RfAugmentation *augmentation,
                                 const char     *model_name,
                                 const char     *source_name)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const RfAugmentOptions *o;
  const RfAugmentQuality *q;

  g_return_val_if_fail (augmentation != NULL, NULL);
  o = &augmentation->options;
  q = &augmentation->quality;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "passed");
  json_builder_add_boolean_value (b, q->passed);
  json_builder_set_member_name (b, "model");
  model_name != NULL ? json_builder_add_string_value (b, model_name) : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "source");
  source_name != NULL ? json_builder_add_string_value (b, source_name) : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) o->seed);
  json_builder_set_member_name (b, "split");
  json_builder_begin_object (b);
  add_number (b, "train", o->train_fraction);
  add_number (b, "val", o->val_fraction);
  add_number (b, "test", 1.0 - o->train_fraction - o->val_fraction);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_object (b);
  for (guint s = 0; s < RF_N_SPLITS; s++)
    {
      json_builder_set_member_name (b, split_names[s]);
      json_builder_add_int_value (b, (gint64) q->rows[s]);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "trajectories");
  if (!q->has_trajectories)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rul_column");
      json_builder_add_string_value (b, q->rul_column);
      json_builder_set_member_name (b, "unit_column");
      json_builder_add_string_value (b, q->unit_column);
      json_builder_set_member_name (b, "time_column");
      q->time_column != NULL ? json_builder_add_string_value (b, q->time_column) : json_builder_add_null_value (b);
      json_builder_set_member_name (b, "units");
      json_builder_begin_object (b);
      for (guint s = 0; s < RF_N_SPLITS; s++)
        {
          json_builder_set_member_name (b, split_names[s]);
          json_builder_add_int_value (b, q->units[s]);
        }
      json_builder_end_object (b);
      add_number (b, "source_rows_per_unit", q->unit_length);
      add_number (b, "interval_s", q->interval_s);
      json_builder_set_member_name (b, "rul_increases");
      json_builder_add_int_value (b, (gint64) q->rul_increases);
      json_builder_set_member_name (b, "time_not_increasing");
      json_builder_add_int_value (b, (gint64) q->time_not_increasing);
      json_builder_end_object (b);
    }

  json_builder_set_member_name (b, "tolerances");
  json_builder_begin_object (b);
  add_number (b, "max_outside_range", o->max_outside_range);
  add_number (b, "min_range_coverage", o->min_range_coverage);
  add_number (b, "max_missing_delta", o->max_missing_delta);
  add_number (b, "max_rul_corr_delta", o->max_rul_corr_delta);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (guint c = 0; c < q->n_columns; c++)
    {
      const RfAugmentColumnCheck *k = &q->columns[c];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, k->name);
      json_builder_set_member_name (b, "passed");
      json_builder_add_boolean_value (b, k->passed);
      add_number (b, "source_min", k->source_min);
      add_number (b, "source_max", k->source_max);
      add_number (b, "synthetic_min", k->synthetic_min);
      add_number (b, "synthetic_max", k->synthetic_max);
      add_number (b, "outside_range", k->outside_range);
      add_number (b, "range_coverage", k->range_coverage);
      add_number (b, "missing_source", k->missing_source);
      add_number (b, "missing_synthetic", k->missing_synthetic);
      add_number (b, "rul_corr_source", k->rul_corr_source);
      add_number (b, "rul_corr_synthetic", k->rul_corr_synthetic);
      json_builder_set_member_name (b, "problems");
      k->problems != NULL ? json_builder_add_string_value (b, k->problems) : json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
rf_augmentation_write (RfAugmentation *augmentation,
                       const char     *dir,
                       gboolean        csv,
                       gboolean        xlsx,
                       const char     *model_name,
                       const char     *source_name,
                       RfProgress     *progress,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr(JsonNode) quality = NULL;
  g_autofree char *quality_path = NULL;
  RfOutputFormat formats[3];
  const char *extensions[3];
  guint n_formats = 0, step = 0, n_steps;

  g_return_val_if_fail (augmentation != NULL && dir != NULL, FALSE);

  formats[n_formats] = RF_OUTPUT_PARQUET;
  extensions[n_formats++] = "parquet";
  if (csv)
    {
      formats[n_formats] = RF_OUTPUT_CSV;
      extensions[n_formats++] = "csv";
    }
  if (xlsx)
    {
      if (!rf_output_format_from_string ("xlsx", &formats[n_formats]))
        {
          g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                       "This build of Refinery cannot write Excel files; export CSV or Parquet");
          return FALSE;
        }
      extensions[n_formats++] = "xlsx";
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (dir);
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot create the folder %s: %s",
                   display, g_strerror (saved));
      return FALSE;
    }

  n_steps = RF_N_SPLITS * n_formats;
  for (guint s = 0; s < RF_N_SPLITS; s++)
    for (guint f = 0; f < n_formats; f++, step++)
      {
        g_autofree char *name = g_strdup_printf ("%s.%s", split_names[s], extensions[f]);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        RfProgress part = rf_progress_range (progress, (double) step / n_steps, (double) (step + 1) / n_steps);

        if (!rf_write_file (augmentation->sets[s], path, formats[f], NULL, &part, cancellable, error))
          return FALSE;
      }

  quality = rf_augmentation_quality_to_json (augmentation, model_name, source_name);
  quality_path = g_build_filename (dir, "quality.json", NULL);
  return rf_atomic_write_json (quality_path, quality, error);
}

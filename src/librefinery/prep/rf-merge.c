#define G_LOG_DOMAIN "rf-merge"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-duplicates.h"
#include "rf-error.h"
#include "rf-json-build.h"
#include "rf-merge.h"
#include "rf-rng.h"

static const char * const strategy_names[] = { "replace", "merge", "real-only" };

const char *
rf_merge_strategy_to_string (RfMergeStrategy strategy)
{
  g_return_val_if_fail ((guint) strategy < G_N_ELEMENTS (strategy_names), NULL);
  return strategy_names[strategy];
}

gboolean
rf_merge_strategy_from_string (const char      *text,
                               RfMergeStrategy *strategy)
{
  if (g_strcmp0 (text, "real_only") == 0)
    text = "real-only";
  for (guint i = 0; i < G_N_ELEMENTS (strategy_names); i++)
    if (g_strcmp0 (text, strategy_names[i]) == 0)
      {
        *strategy = (RfMergeStrategy) i;
        return TRUE;
      }
  return FALSE;
}

void
rf_merge_options_init (RfMergeOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->strategy = RF_MERGE_MERGE;
  options->seed = 42;
}

void
rf_merge_report_free (RfMergeReport *report)
{
  if (report == NULL)
    return;
  g_free (report->rul_column);
  g_ptr_array_unref (report->warnings);
  g_free (report);
}

JsonNode *
rf_merge_report_to_json (const RfMergeReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  static const char * const bins[] = { "0-25%", "25-50%", "50-75%", "75-100%" };

  g_return_val_if_fail (report != NULL, NULL);

  json_builder_begin_object (builder);
  rf_json_add_string (builder, "strategy", rf_merge_strategy_to_string (report->strategy));
  rf_json_add_int (builder, "real_rows", (gint64) report->real_rows);
  rf_json_add_int (builder, "seed_rows", (gint64) report->seed_rows);
  rf_json_add_int (builder, "duplicates_dropped", (gint64) report->duplicates_dropped);
  rf_json_add_int (builder, "rows_out", (gint64) report->rows_out);
  json_builder_set_member_name (builder, "rul_balancing");
  if (report->rul_column == NULL)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      rf_json_add_string (builder, "column", report->rul_column);
      rf_json_add_int (builder, "missing_dropped", (gint64) report->rul_missing_dropped);
      for (int pass = 0; pass < 2; pass++)
        {
          json_builder_set_member_name (builder, pass == 0 ? "bins_before" : "bins_after");
          json_builder_begin_object (builder);
          for (int b = 0; b < 4; b++)
            rf_json_add_int (builder, bins[b], (gint64) (pass == 0 ? report->bins_before[b] : report->bins_after[b]));
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->warnings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (report->warnings, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* ---- merge ------------------------------------------------------------------- */

static gboolean
numeric (RfColumnType type)
{
  return type == RF_COLUMN_DOUBLE || type == RF_COLUMN_INT64 || type == RF_COLUMN_BOOL;
}

/* A column of type holding src's values (numbers widened to doubles). */
static void
append_as (RfColumn       *dst,
           const RfColumn *src,
           gsize           n_rows)
{
  if (src == NULL)
    {
      for (gsize r = 0; r < n_rows; r++)
        rf_column_append_null (dst);
      return;
    }
  if (src->type == dst->type)
    {
      rf_column_append_column (dst, src);
      return;
    }
  for (gsize r = 0; r < src->n_rows; r++)
    {
      if (!rf_column_is_valid (src, r))
        rf_column_append_null (dst);
      else
        rf_column_append_double (dst, rf_column_get_as_double (src, r));
    }
}

static RfTable *
concatenate (RfTable  *seed,
             RfTable  *real,
             GError  **error)
{
  g_autoptr(RfTable) out = rf_table_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gsize n_seed = rf_table_get_n_rows (seed), n_real = rf_table_get_n_rows (real);

  /* seed (profile) order first, then the real data's extra columns */
  for (guint c = 0; c < rf_table_get_n_columns (seed); c++)
    g_ptr_array_add (names, rf_table_get_column (seed, c)->name);
  for (guint c = 0; c < rf_table_get_n_columns (real); c++)
    if (rf_table_find_column (seed, rf_table_get_column (real, c)->name) == NULL)
      g_ptr_array_add (names, rf_table_get_column (real, c)->name);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const RfColumn *a = rf_table_find_column (seed, name);
      const RfColumn *b = rf_table_find_column (real, name);
      const RfColumn *model = a != NULL ? a : b;
      RfColumnType type = model->type;
      g_autoptr(RfColumn) column = NULL;

      if (a != NULL && b != NULL && a->type != b->type)
        {
          if (numeric (a->type) && numeric (b->type))
            type = RF_COLUMN_DOUBLE;
          else
            {
              g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                           "The column “%s” holds %s values in the seed data and %s values in the real data: "
                           "they cannot be merged. Check the mapping and the column's type.",
                           name, rf_column_type_to_string (a->type), rf_column_type_to_string (b->type));
              return NULL;
            }
        }
      column = rf_column_new_sized (name, type, n_seed + n_real);
      rf_column_set_unit (column, model->unit);
      rf_column_set_role (column, model->role);
      append_as (column, a, n_seed);
      append_as (column, b, n_real);
      rf_table_add_column (out, column);
    }
  return g_steal_pointer (&out);
}

/* ---- RUL balancing ------------------------------------------------------------ */

static RfTable *
balance (RfTable        *table,
         const char     *rul_name,
         guint64         seed,
         RfMergeReport  *report,
         GError        **error)
{
  const RfColumn *rul = rf_table_find_column (table, rul_name);
  gsize n = rf_table_get_n_rows (table), smallest = G_MAXSIZE, kept = 0;
  g_autofree int *bin = g_new (int, MAX (n, 1));
  g_autofree gsize *rows = g_new (gsize, MAX (n, 1));
  g_autofree gboolean *keep = g_new0 (gboolean, MAX (n, 1));
  double max = -INFINITY;
  RfRng rng;

  if (rul == NULL || !rf_column_type_is_numeric (rul->type))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "RUL balancing needs a numeric RUL column “%s” and the data has none. Transform the data "
                   "with the RUL (refinery-cli transform --rul fill), or merge without --balance-rul.", rul_name);
      return NULL;
    }
  for (gsize r = 0; r < n; r++)
    if (rf_column_is_valid (rul, r))
      max = MAX (max, rf_column_get_as_double (rul, r));
  for (gsize r = 0; r < n; r++)
    {
      double v;

      bin[r] = -1;
      if (!rf_column_is_valid (rul, r) || isnan (v = rf_column_get_as_double (rul, r)))
        {
          report->rul_missing_dropped++;
          continue;
        }
      bin[r] = max > 0 ? (int) MIN (3, floor (4 * v / max)) : 0;
      bin[r] = MAX (bin[r], 0);
      report->bins_before[bin[r]]++;
    }
  for (int b = 0; b < 4; b++)
    if (report->bins_before[b] > 0)
      smallest = MIN (smallest, report->bins_before[b]);

  /* per bin: a seeded shuffle of its rows, the first `smallest` kept */
  rf_rng_init (&rng, seed ^ G_GUINT64_CONSTANT (0x5eedba1a));
  for (int b = 0; b < 4 && smallest != G_MAXSIZE; b++)
    {
      gsize m = 0;

      for (gsize r = 0; r < n; r++)
        if (bin[r] == b)
          rows[m++] = r;
      for (gsize i = m; i > 1; i--)
        {
          gsize j = (gsize) rf_rng_below (&rng, i);
          gsize t = rows[i - 1];
          rows[i - 1] = rows[j];
          rows[j] = t;
        }
      for (gsize i = 0; i < MIN (m, smallest); i++)
        keep[rows[i]] = TRUE;
    }
  for (gsize r = 0; r < n; r++)
    if (keep[r])
      {
        rows[kept++] = r;
        report->bins_after[bin[r]]++;
      }
  return rf_table_take_rows (table, rows, kept);
}

RfTable *
rf_merge_tables (RfTable               *real,
                 RfTable               *seed,
                 RfProfile             *profile,
                 const RfMergeOptions  *options,
                 RfMergeReport        **report_out,
                 GError               **error)
{
  g_autoptr(RfMergeReport) report = g_new0 (RfMergeReport, 1);
  g_autoptr(RfTable) out = NULL;
  RfMergeOptions defaults;

  g_return_val_if_fail (real != NULL, NULL);

  if (options == NULL)
    {
      rf_merge_options_init (&defaults);
      options = &defaults;
    }
  report->strategy = options->strategy;
  report->warnings = g_ptr_array_new_with_free_func (g_free);
  report->real_rows = rf_table_get_n_rows (real);

  switch (options->strategy)
    {
    case RF_MERGE_REPLACE:
      if (report->real_rows < RF_MERGE_MIN_REPLACE_ROWS && !options->force)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                       "Only %" G_GSIZE_FORMAT " real rows: replacing the seed data needs at least %d. Merge them "
                       "with seed data instead (--strategy merge), or force it (--force).",
                       report->real_rows, RF_MERGE_MIN_REPLACE_ROWS);
          return NULL;
        }
      if (report->real_rows < RF_MERGE_MIN_REPLACE_ROWS)
        g_ptr_array_add (report->warnings,
                         g_strdup_printf ("Replacing with only %" G_GSIZE_FORMAT " real rows (forced).",
                                          report->real_rows));
      out = rf_table_ref (real);
      break;
    case RF_MERGE_REAL_ONLY:
      out = rf_table_ref (real);
      break;
    case RF_MERGE_MERGE:
    default:
      {
        g_autoptr(RfTable) both = NULL;
        g_autoptr(RfTable) unique = NULL;
        g_autoptr(RfColumn) source = NULL;
        g_autofree gboolean *duplicate = NULL;
        g_autofree gsize *rows = NULL;
        gsize n, kept = 0;
        RfRng rng;

        if (seed == NULL)
          {
            g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                         "The merge strategy needs seed data: generate it first (refinery-cli seed).");
            return NULL;
          }
        report->seed_rows = rf_table_get_n_rows (seed);
        both = concatenate (seed, real, error);
        if (both == NULL)
          return NULL;
        n = rf_table_get_n_rows (both);
        duplicate = g_new (gboolean, MAX (n, 1));
        report->duplicates_dropped = rf_table_mark_duplicates (both, duplicate);

        /* the rows that stay, shuffled (Fisher–Yates, seeded) */
        rows = g_new (gsize, MAX (n, 1));
        for (gsize r = 0; r < n; r++)
          if (!duplicate[r])
            rows[kept++] = r;
        rf_rng_init (&rng, options->seed);
        for (gsize i = kept; i > 1; i--)
          {
            gsize j = (gsize) rf_rng_below (&rng, i);
            gsize t = rows[i - 1];
            rows[i - 1] = rows[j];
            rows[j] = t;
          }
        unique = rf_table_take_rows (both, rows, kept);
        source = rf_column_new_sized ("source", RF_COLUMN_STRING, kept);
        rf_column_set_role (source, RF_ROLE_AUX);
        for (gsize i = 0; i < kept; i++)
          rf_column_append_string (source, rows[i] < report->seed_rows ? "seed" : "real", -1);
        if (rf_table_find_column (unique, "source") != NULL)
          {
            g_autofree char *name = rf_table_unique_name (unique, "source", 0);
            g_ptr_array_add (report->warnings,
                             g_strdup_printf ("The data has a column “source”: the origin of each row is in “%s”.",
                                              name));
            rf_column_set_name (source, name);
          }
        rf_table_add_column (unique, source);
        out = g_steal_pointer (&unique);
      }
      break;
    }

  if (options->balance_rul)
    {
      const RfSensor *rul = profile != NULL ? rf_profile_find_role (profile, RF_ROLE_RUL) : NULL;
      RfTable *balanced;

      if (rul == NULL)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                       "RUL balancing needs the profile's RUL entry (role “rul”), and the profile has none.");
          return NULL;
        }
      report->rul_column = g_strdup (rul->name);
      balanced = balance (out, rul->name, options->seed, report, error);
      if (balanced == NULL)
        return NULL;
      rf_table_unref (out);
      out = balanced;
    }

  report->rows_out = rf_table_get_n_rows (out);
  if (report_out != NULL)
    *report_out = g_steal_pointer (&report);
  return g_steal_pointer (&out);
}

#define G_LOG_DOMAIN "rf-clean"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-clean.h"
#include "rf-column-stats.h"
#include "rf-duplicates.h"
#include "rf-error.h"
#include "rf-json-build.h"
#include "rf-parallel.h"

static void
column_summary_clear (RfColumnCleanSummary *s)
{
  g_free (s->column);
}

void
rf_clean_summary_free (RfCleanSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->columns, g_array_unref);
  g_free (summary);
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
rf_clean_summary_to_json (const RfCleanSummary *summary)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (summary != NULL, NULL);

  json_builder_begin_object (builder);
  rf_json_add_int (builder, "rows_in", (gint64) summary->rows_in);
  rf_json_add_int (builder, "rows_out", (gint64) summary->rows_out);
  rf_json_add_bool (builder, "sorted", summary->sorted);
  rf_json_add_int (builder, "duplicates_dropped", (gint64) summary->duplicates_dropped);
  rf_json_add_int (builder, "rows_dropped_missing", (gint64) summary->rows_dropped_missing);
  rf_json_add_int (builder, "rows_dropped_outliers", (gint64) summary->rows_dropped_outliers);
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_object (builder);
  for (guint i = 0; i < summary->columns->len; i++)
    {
      const RfColumnCleanSummary *c = &g_array_index (summary->columns, RfColumnCleanSummary, i);

      json_builder_set_member_name (builder, c->column);
      json_builder_begin_object (builder);
      rf_json_add_int (builder, "filled", (gint64) c->filled);
      rf_json_add_int (builder, "left_missing", (gint64) c->left_missing);
      rf_json_add_int (builder, "clipped", (gint64) c->clipped);
      rf_json_add_int (builder, "flagged", (gint64) c->flagged);
      rf_json_add_int (builder, "rows_dropped", (gint64) c->rows_dropped);
      add_number (builder, "lower_bound", c->lower_bound);
      add_number (builder, "upper_bound", c->upper_bound);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* ---- steps --------------------------------------------------------------------- */

static int
compare_by_time_data (gconstpointer a,
                      gconstpointer b,
                      gpointer      data)
{
  const RfColumn *time = data;
  gsize ra = *(const gsize *) a, rb = *(const gsize *) b;
  gboolean va = rf_column_is_valid (time, ra), vb = rf_column_is_valid (time, rb);

  if (va && vb && time->values.i64[ra] != time->values.i64[rb])
    return time->values.i64[ra] < time->values.i64[rb] ? -1 : 1;
  if (va != vb)
    return va ? -1 : 1;
  return ra < rb ? -1 : ra > rb;
}

/* Rows in time order; NULL when they already are. */
static RfTable *
sorted_by_time (RfTable        *table,
                const RfColumn *time)
{
  gsize n = rf_table_get_n_rows (table);
  g_autofree gsize *order = g_new (gsize, MAX (n, 1));
  gboolean in_order = TRUE;

  for (gsize r = 0; r < n; r++)
    order[r] = r;
  for (gsize r = 1; r < n && in_order; r++)
    in_order = compare_by_time_data (&order[r - 1], &order[r], (gpointer) time) < 0;
  if (in_order)
    return NULL;
  g_qsort_with_data (order, (gint) n, sizeof (gsize), compare_by_time_data, (gpointer) time);
  return rf_table_take_rows (table, order, n);
}

static RfTable *
keep_rows (RfTable        *table,
           const gboolean *drop)
{
  gsize n = rf_table_get_n_rows (table), kept = 0;
  g_autofree gsize *rows = g_new (gsize, MAX (n, 1));

  for (gsize r = 0; r < n; r++)
    if (!drop[r])
      rows[kept++] = r;
  return rf_table_take_rows (table, rows, kept);
}

static void
outlier_bounds (const RfColumn         *column,
                const RfColumnCleaning *plan,
                double                 *lower,
                double                 *upper)
{
  static const double quartiles[] = { 0.25, 0.75 };
  double q[2], mean, std;

  *lower = *upper = NAN;
  if (plan->outliers == RF_OUTLIER_CLIP_SIGMA)
    {
      if (rf_column_quantiles (column, NULL, 0, q, &mean, &std) == 0 || !isfinite (std))
        return;
      *lower = mean - plan->sigma * std;
      *upper = mean + plan->sigma * std;
    }
  else
    {
      if (rf_column_quantiles (column, quartiles, 2, q, NULL, NULL) == 0)
        return;
      *lower = q[0] - plan->iqr_k * (q[1] - q[0]);
      *upper = q[1] + plan->iqr_k * (q[1] - q[0]);
    }
}

/* Writes value into row r of a numeric column, rounding for integers. */
static void
put_number (RfColumn *column,
            gsize     r,
            double    value)
{
  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      column->values.f64[r] = value;
      break;
    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      column->values.i64[r] = (gint64) llround (value);
      break;
    case RF_COLUMN_BOOL:
      column->values.u8[r] = value != 0;
      break;
    case RF_COLUMN_STRING:
    default:
      g_assert_not_reached ();
    }
}

static double
number_at (const RfColumn *column,
           gsize           r)
{
  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      return column->values.f64[r];
    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      return (double) column->values.i64[r];
    case RF_COLUMN_BOOL:
      return column->values.u8[r];
    case RF_COLUMN_STRING:
    default:
      return NAN;
    }
}

static void
set_valid (RfColumn *column,
           gsize     r)
{
  column->validity[r >> 3] |= (guint8) (1u << (r & 7));
}

/* Copies the value of row from into row to (same column). Strings are
 * rebuilt by the caller. */
static void
copy_value (RfColumn *column,
            gsize     from,
            gsize     to)
{
  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      column->values.f64[to] = column->values.f64[from];
      break;
    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      column->values.i64[to] = column->values.i64[from];
      break;
    case RF_COLUMN_BOOL:
      column->values.u8[to] = column->values.u8[from];
      break;
    case RF_COLUMN_STRING:
    default:
      g_assert_not_reached ();
    }
}

/* A string column with fills: rebuilt row by row. source[r] is the row
 * whose text row r takes (or G_MAXSIZE: stays missing); constant replaces
 * when source is G_MAXSIZE − 1. */
static RfColumn *
rebuild_strings (const RfColumn *column,
                 const gsize    *source,
                 const char     *constant)
{
  RfColumn *out = rf_column_new_sized (column->name, RF_COLUMN_STRING, column->n_rows);

  rf_column_set_unit (out, column->unit);
  rf_column_set_role (out, column->role);
  for (gsize r = 0; r < column->n_rows; r++)
    {
      gsize from = source[r];

      if (from == G_MAXSIZE)
        rf_column_append_null (out);
      else if (from == G_MAXSIZE - 1)
        rf_column_append_string (out, constant, -1);
      else
        {
          gsize length;
          const char *text = rf_column_get_string (column, from, &length);
          rf_column_append_string (out, text, (gssize) length);
        }
    }
  return out;
}

/* column: a copy the caller owns when owned is TRUE (filled in place),
 * else shared (copied first). */
static RfColumn *
fill_missing (RfColumn               *column,
              gboolean                owned,
              const RfColumnCleaning *plan,
              const RfColumn         *time,
              RfColumnCleanSummary   *summary)
{
  gsize n = column->n_rows;
  gsize missing_before = column->n_missing;
  RfColumn *out;

  if (column->n_missing == 0 || plan->missing == RF_MISSING_NONE || plan->missing == RF_MISSING_DROP_ROWS)
    {
      summary->left_missing = column->n_missing;
      return rf_column_ref (column);
    }

  if (column->type == RF_COLUMN_STRING)
    {
      g_autofree gsize *source = g_new (gsize, MAX (n, 1));
      gsize last = G_MAXSIZE;

      for (gsize r = 0; r < n; r++)
        source[r] = rf_column_is_valid (column, r) ? r : G_MAXSIZE;
      if (plan->missing == RF_MISSING_FFILL)
        for (gsize r = 0; r < n; r++)
          {
            if (source[r] != G_MAXSIZE)
              last = r;
            else
              source[r] = last;
          }
      else if (plan->missing == RF_MISSING_BFILL)
        for (gsize r = n; r-- > 0;)
          {
            if (rf_column_is_valid (column, r))
              last = r;
            else
              source[r] = last;
          }
      else if (plan->missing == RF_MISSING_CONSTANT)
        for (gsize r = 0; r < n; r++)
          if (source[r] == G_MAXSIZE)
            source[r] = G_MAXSIZE - 1;
      for (gsize r = 0; r < n; r++)
        if (!rf_column_is_valid (column, r))
          {
            if (source[r] == G_MAXSIZE)
              summary->left_missing++;
            else
              summary->filled++;
          }
      return rebuild_strings (column, source, plan->constant_text);
    }

  out = owned ? rf_column_ref (column) : rf_column_copy (column);
  switch (plan->missing)
    {
    case RF_MISSING_FFILL:
      {
        gsize last = G_MAXSIZE;
        for (gsize r = 0; r < n; r++)
          {
            if (rf_column_is_valid (column, r))
              last = r;
            else if (last != G_MAXSIZE)
              {
                copy_value (out, last, r);
                set_valid (out, r);
              }
          }
      }
      break;
    case RF_MISSING_BFILL:
      {
        gsize next = G_MAXSIZE;
        for (gsize r = n; r-- > 0;)
          {
            if (rf_column_is_valid (column, r))
              next = r;
            else if (next != G_MAXSIZE)
              {
                copy_value (out, next, r);
                set_valid (out, r);
              }
          }
      }
      break;
    case RF_MISSING_INTERPOLATE:
      {
        gsize prev = G_MAXSIZE;
        for (gsize r = 0; r < n; r++)
          {
            gsize next;

            if (rf_column_is_valid (column, r))
              {
                prev = r;
                continue;
              }
            if (prev == G_MAXSIZE)
              continue;
            for (next = r + 1; next < n && !rf_column_is_valid (column, next); next++)
              ;
            if (next >= n)
              break;
            /* the gap prev < r … < next */
            for (gsize g = r; g < next; g++)
              {
                double x0, x1, x, t, y0 = number_at (column, prev), y1 = number_at (column, next);

                if (time != NULL)
                  {
                    if (!rf_column_is_valid (time, prev) || !rf_column_is_valid (time, next) ||
                        !rf_column_is_valid (time, g))
                      continue;
                    x0 = (double) time->values.i64[prev];
                    x1 = (double) time->values.i64[next];
                    x = (double) time->values.i64[g];
                  }
                else
                  {
                    x0 = (double) prev;
                    x1 = (double) next;
                    x = (double) g;
                  }
                t = x1 > x0 ? (x - x0) / (x1 - x0) : 0;
                put_number (out, g, y0 + (y1 - y0) * t);
                set_valid (out, g);
              }
            r = next - 1;
          }
      }
      break;
    case RF_MISSING_MEAN:
    case RF_MISSING_MEDIAN:
      {
        static const double half[] = { 0.5 };
        double median, mean, value;

        rf_column_quantiles (column, half, 1, &median, &mean, NULL);
        value = plan->missing == RF_MISSING_MEAN ? mean : median;
        if (isnan (value))
          break;
        for (gsize r = 0; r < n; r++)
          if (!rf_column_is_valid (column, r))
            {
              put_number (out, r, value);
              set_valid (out, r);
            }
      }
      break;
    case RF_MISSING_CONSTANT:
      for (gsize r = 0; r < n; r++)
        if (!rf_column_is_valid (column, r))
          {
            put_number (out, r, column->type == RF_COLUMN_TIMESTAMP ? plan->constant_number * 1e6
                                                                   : plan->constant_number);
            set_valid (out, r);
          }
      break;
    case RF_MISSING_NONE:
    case RF_MISSING_DROP_ROWS:
    default:
      break;
    }
  rf_column_recount_missing (out);
  summary->filled = missing_before - out->n_missing;
  summary->left_missing = out->n_missing;
  return out;
}

static RfColumnCleanSummary *
summary_for (RfCleanSummary *summary,
             const char     *column)
{
  for (guint i = 0; i < summary->columns->len; i++)
    if (strcmp (g_array_index (summary->columns, RfColumnCleanSummary, i).column, column) == 0)
      return &g_array_index (summary->columns, RfColumnCleanSummary, i);
  return NULL;
}

typedef struct
{
  const RfCleaningPlan *plan;
  RfTable *table;
  RfCleanSummary *summary;
} BoundsWork;

static void
bounds_work (guint    i,
             gpointer data)
{
  BoundsWork *work = data;
  const RfColumnCleaning *c = g_ptr_array_index (work->plan->columns, i);
  RfColumnCleanSummary *s = &g_array_index (work->summary->columns, RfColumnCleanSummary, i);

  if (c->outliers != RF_OUTLIER_NONE)
    outlier_bounds (rf_table_find_column (work->table, c->column), c, &s->lower_bound, &s->upper_bound);
}

typedef struct
{
  const RfCleaningPlan *plan;
  RfTable *table;
  RfCleanSummary *summary;
  RfColumn **results;
  const RfColumn *axis;
} FillWork;

static void
fill_work (guint    c,
           gpointer data)
{
  FillWork *work = data;
  RfColumn *column = rf_table_get_column (work->table, c);
  const RfColumnCleaning *cp = rf_cleaning_plan_find_column (work->plan, column->name);
  RfColumnCleanSummary *s;
  g_autoptr(RfColumn) clipped = NULL;
  gboolean owned = FALSE;

  if (cp == NULL)
    {
      work->results[c] = rf_column_ref (column);
      return;
    }
  s = summary_for (work->summary, column->name);
  if ((cp->outliers == RF_OUTLIER_CLIP_IQR || cp->outliers == RF_OUTLIER_CLIP_SIGMA) && !isnan (s->lower_bound))
    {
      clipped = rf_column_copy (column);
      owned = TRUE;
      for (gsize r = 0; r < clipped->n_rows; r++)
        {
          double v;

          if (!rf_column_is_valid (clipped, r))
            continue;
          v = number_at (clipped, r);
          if (v < s->lower_bound || v > s->upper_bound)
            {
              put_number (clipped, r, CLAMP (v, s->lower_bound, s->upper_bound));
              s->clipped++;
            }
        }
    }
  else
    clipped = rf_column_ref (column);
  work->results[c] = fill_missing (clipped, owned, cp, work->axis != column ? work->axis : NULL, s);
}

RfTable *
rf_clean_apply (RfTable               *table,
                const RfCleaningPlan  *plan,
                RfCleanSummary       **summary_out,
                GCancellable          *cancellable,
                GError               **error)
{
  g_autoptr(RfCleanSummary) summary = g_new0 (RfCleanSummary, 1);
  g_autoptr(RfTable) current = NULL;
  g_autofree gboolean *drop = NULL;
  const RfColumn *time = NULL;
  RfTable *next;
  gsize n;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (plan != NULL, NULL);

  if (!rf_cleaning_plan_check (plan, table, error))
    return NULL;
  summary->columns = g_array_new (FALSE, TRUE, sizeof (RfColumnCleanSummary));
  g_array_set_clear_func (summary->columns, (GDestroyNotify) column_summary_clear);
  for (guint i = 0; i < plan->columns->len; i++)
    {
      RfColumnCleanSummary s = { 0 };
      s.column = g_strdup (((RfColumnCleaning *) g_ptr_array_index (plan->columns, i))->column);
      s.lower_bound = s.upper_bound = NAN;
      g_array_append_val (summary->columns, s);
    }
  summary->rows_in = rf_table_get_n_rows (table);
  current = rf_table_ref (table);

  /* 1: time order */
  if (plan->timestamp_column != NULL)
    time = rf_table_find_column (current, plan->timestamp_column);
  if (plan->sort_by_time && time != NULL && (next = sorted_by_time (current, time)) != NULL)
    {
      rf_table_unref (current);
      current = next;
      summary->sorted = TRUE;
    }

  /* 2: duplicates */
  n = rf_table_get_n_rows (current);
  drop = g_new0 (gboolean, MAX (n, 1));
  if (plan->drop_duplicates && (summary->duplicates_dropped = rf_table_mark_duplicates (current, drop)) > 0)
    {
      next = keep_rows (current, drop);
      rf_table_unref (current);
      current = next;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* 3: outlier bounds (columns in parallel), rows to drop */
  {
    BoundsWork work = { plan, current, summary };
    rf_parallel_for (plan->columns->len, 0, bounds_work, &work);
  }
  n = rf_table_get_n_rows (current);
  g_free (drop);
  drop = g_new0 (gboolean, MAX (n, 1));
  for (guint i = 0; i < plan->columns->len; i++)
    {
      const RfColumnCleaning *c = g_ptr_array_index (plan->columns, i);
      RfColumnCleanSummary *s = &g_array_index (summary->columns, RfColumnCleanSummary, i);
      const RfColumn *column = rf_table_find_column (current, c->column);

      if (c->missing != RF_MISSING_DROP_ROWS && c->outliers != RF_OUTLIER_DROP && c->outliers != RF_OUTLIER_FLAG)
        continue;
      for (gsize r = 0; r < n; r++)
        {
          gboolean valid = rf_column_is_valid (column, r);
          double v = valid ? number_at (column, r) : NAN;
          gboolean outside = valid && !isnan (s->lower_bound) && (v < s->lower_bound || v > s->upper_bound);

          if (!valid && c->missing == RF_MISSING_DROP_ROWS && !drop[r])
            {
              drop[r] = TRUE;
              s->rows_dropped++;
              summary->rows_dropped_missing++;
            }
          else if (outside && c->outliers == RF_OUTLIER_DROP && !drop[r])
            {
              drop[r] = TRUE;
              s->rows_dropped++;
              summary->rows_dropped_outliers++;
            }
          else if (outside && c->outliers == RF_OUTLIER_FLAG)
            s->flagged++;
        }
    }
  if (summary->rows_dropped_missing + summary->rows_dropped_outliers > 0)
    {
      next = keep_rows (current, drop);
      rf_table_unref (current);
      current = next;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* 3–4: clip, then fill, columns in parallel */
  {
    g_autoptr(RfTable) out = rf_table_new ();
    guint n_columns = rf_table_get_n_columns (current);
    g_autofree RfColumn **results = g_new0 (RfColumn *, MAX (n_columns, 1));
    FillWork work = { plan, current, summary, results, NULL };

    work.axis = plan->timestamp_column != NULL ? rf_table_find_column (current, plan->timestamp_column) : NULL;
    rf_parallel_for (n_columns, 0, fill_work, &work);
    for (guint c = 0; c < n_columns; c++)
      {
        rf_table_add_column (out, results[c]);
        rf_column_unref (results[c]);
      }
    summary->rows_out = rf_table_get_n_rows (out);
    if (summary_out != NULL)
      *summary_out = g_steal_pointer (&summary);
    return g_steal_pointer (&out);
  }
}

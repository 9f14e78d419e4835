#define G_LOG_DOMAIN "rf-column-stats"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-column-stats.h"

const double rf_stats_quantile_levels[RF_STATS_N_QUANTILES] = { 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99 };

/* The bits of a double as an unsigned key that sorts like the number:
 * negative numbers flip all bits, positive ones the sign bit. NaNs (any
 * sign) are made the largest key. */
static inline guint64
sort_key (double value)
{
  guint64 bits;

  if (isnan (value))
    return G_MAXUINT64;
  memcpy (&bits, &value, sizeof bits);
  return (bits >> 63) ? ~bits : bits | (G_GUINT64_CONSTANT (1) << 63);
}

static inline double
from_key (guint64 key)
{
  guint64 bits = (key >> 63) ? key & ~(G_GUINT64_CONSTANT (1) << 63) : ~key;
  double value;

  memcpy (&value, &bits, sizeof value);
  return value;
}

void
rf_sort_doubles (double *values,
                 gsize   n)
{
  g_autofree guint64 *keys = NULL;
  g_autofree guint64 *tmp = NULL;
  g_autofree gsize *counts = NULL;

  if (n < 2)
    return;
  keys = g_new (guint64, n);
  tmp = g_new (guint64, n);
  counts = g_new (gsize, 4 * 65536);
  memset (counts, 0, 4 * 65536 * sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    {
      guint64 k = sort_key (values[i]);
      keys[i] = k;
      for (int pass = 0; pass < 4; pass++)
        counts[pass * 65536 + ((k >> (16 * pass)) & 0xffff)]++;
    }
  /* four stable passes of 16 bits, skipping passes where all keys agree */
  for (int pass = 0; pass < 4; pass++)
    {
      gsize *c = counts + pass * 65536, sum = 0;
      gboolean trivial = FALSE;

      for (gsize b = 0; b < 65536; b++)
        {
          gsize v = c[b];
          if (v == n)
            trivial = TRUE;
          c[b] = sum;
          sum += v;
        }
      if (trivial)
        continue;
      for (gsize i = 0; i < n; i++)
        tmp[c[(keys[i] >> (16 * pass)) & 0xffff]++] = keys[i];
      {
        guint64 *swap = keys;
        keys = tmp;
        tmp = swap;
      }
    }
  for (gsize i = 0; i < n; i++)
    values[i] = keys[i] == G_MAXUINT64 ? NAN : from_key (keys[i]);
}

double
rf_quantile_of_sorted (const double *sorted,
                       gsize         n,
                       double        p)
{
  double position, fraction;
  gsize below;

  if (n == 0)
    return NAN;
  position = CLAMP (p, 0.0, 1.0) * (double) (n - 1);
  below = (gsize) floor (position);
  fraction = position - (double) below;
  if (below + 1 >= n || fraction == 0)
    return sorted[MIN (below, n - 1)];
  /* numpy's "linear": lower + (upper − lower) × fraction */
  return sorted[below] + (sorted[below + 1] - sorted[below]) * fraction;
}

static void
string_stats (const RfColumn *column,
              RfColumnStats  *stats)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                      (GDestroyNotify) g_bytes_unref, NULL);

  for (gsize r = 0; r < column->n_rows; r++)
    {
      gsize length;
      const char *text;

      if (!rf_column_is_valid (column, r))
        continue;
      text = rf_column_get_string (column, r, &length);
      g_hash_table_add (seen, g_bytes_new (text, length));
    }
  stats->distinct = g_hash_table_size (seen);
}

void
rf_column_stats_compute_sorted (const RfColumn *column,
                                RfColumnStats  *stats,
                                double        **sorted_out,
                                gsize          *n_sorted_out)
{
  g_autofree double *values = NULL;
  gsize n = 0, n_finite;
  double sum = 0, sq = 0, mean;

  g_return_if_fail (column != NULL);
  g_return_if_fail (stats != NULL);

  memset (stats, 0, sizeof *stats);
  stats->count = column->n_rows - column->n_missing;
  stats->missing = column->n_missing;
  stats->missing_pct = column->n_rows > 0 ? 100.0 * (double) column->n_missing / (double) column->n_rows : 0;
  stats->min = stats->max = stats->mean = stats->std = NAN;
  for (int q = 0; q < RF_STATS_N_QUANTILES; q++)
    stats->quantiles[q] = NAN;
  if (sorted_out != NULL)
    *sorted_out = NULL;
  if (n_sorted_out != NULL)
    *n_sorted_out = 0;

  if (column->type == RF_COLUMN_STRING)
    {
      string_stats (column, stats);
      return;
    }
  stats->numeric = TRUE;

  values = g_new (double, MAX (stats->count, 1));
  for (gsize r = 0; r < column->n_rows; r++)
    if (rf_column_is_valid (column, r))
      {
        switch (column->type)
          {
          case RF_COLUMN_DOUBLE:
            values[n++] = column->values.f64[r];
            break;
          case RF_COLUMN_INT64:
            values[n++] = (double) column->values.i64[r];
            break;
          case RF_COLUMN_BOOL:
            values[n++] = column->values.u8[r] ? 1.0 : 0.0;
            break;
          case RF_COLUMN_TIMESTAMP:
            values[n++] = (double) column->values.i64[r] / 1e6;
            break;
          case RF_COLUMN_STRING:
          default:
            g_assert_not_reached ();
          }
      }
  rf_sort_doubles (values, n);

  n_finite = n;
  while (n_finite > 0 && isnan (values[n_finite - 1]))
    n_finite--;
  stats->finite_count = n_finite;
  for (gsize i = 0; i < n; i++)
    if (i == 0 || !(values[i] == values[i - 1] || (isnan (values[i]) && isnan (values[i - 1]))))
      stats->distinct++;
  if (n_finite > 0)
    {
      stats->min = values[0];
      stats->max = values[n_finite - 1];
      for (gsize i = 0; i < n_finite; i++)
        sum += values[i];
      mean = sum / (double) n_finite;
      stats->mean = mean;
      /* two passes: the deviations from the mean, not the sum of squares */
      for (gsize i = 0; i < n_finite; i++)
        sq += (values[i] - mean) * (values[i] - mean);
      if (n_finite > 1)
        stats->std = sqrt (sq / (double) (n_finite - 1));
      for (int q = 0; q < RF_STATS_N_QUANTILES; q++)
        stats->quantiles[q] = rf_quantile_of_sorted (values, n_finite, rf_stats_quantile_levels[q]);
    }
  if (sorted_out != NULL)
    *sorted_out = g_steal_pointer (&values);
  if (n_sorted_out != NULL)
    *n_sorted_out = n_finite;
}

void
rf_column_stats_compute (const RfColumn *column,
                         RfColumnStats  *stats)
{
  rf_column_stats_compute_sorted (column, stats, NULL, NULL);
}

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

#define RADIX_BITS 11
#define RADIX_SIZE (1 << RADIX_BITS)
#define RADIX_PASSES 6     /* 6 × 11 bits ≥ 64 */

void
rf_sort_doubles (double *values,
                 gsize   n)
{
  /* the keys replace the doubles in place: same size, and the array is
   * the caller's scratch anyway */
  guint64 *keys = (guint64 *) values;
  g_autofree guint64 *tmp = NULL;
  g_autofree gsize *counts = NULL;
  gboolean sorted = TRUE;
  guint64 *src, *dst;

  if (n < 2)
    return;
  /* through memcpy: the bytes change type in place */
  for (gsize i = 0; i < n; i++)
    {
      double v;
      guint64 k;

      memcpy (&v, (char *) values + i * sizeof (double), sizeof v);
      k = sort_key (v);
      memcpy ((char *) values + i * sizeof (double), &k, sizeof k);
    }
  for (gsize i = 1; i < n && sorted; i++)
    sorted = keys[i - 1] <= keys[i];
  if (!sorted)
    {
      /* LSD radix sort, 11 bits a pass (2048 buckets stay in cache),
       * skipping the passes where every key has the same digit */
      counts = g_new0 (gsize, RADIX_PASSES * RADIX_SIZE);
      tmp = g_new (guint64, n);
      for (gsize i = 0; i < n; i++)
        for (int pass = 0; pass < RADIX_PASSES; pass++)
          counts[pass * RADIX_SIZE + ((keys[i] >> (RADIX_BITS * pass)) & (RADIX_SIZE - 1))]++;
      src = keys;
      dst = tmp;
      for (int pass = 0; pass < RADIX_PASSES; pass++)
        {
          gsize *c = counts + pass * RADIX_SIZE, sum = 0;
          gboolean trivial = FALSE;
          guint64 *swap;

          for (gsize b = 0; b < RADIX_SIZE; b++)
            {
              gsize v = c[b];
              trivial |= v == n;
              c[b] = sum;
              sum += v;
            }
          if (trivial)
            continue;
          for (gsize i = 0; i < n; i++)
            dst[c[(src[i] >> (RADIX_BITS * pass)) & (RADIX_SIZE - 1)]++] = src[i];
          swap = src;
          src = dst;
          dst = swap;
        }
      if (src != keys)
        memcpy (keys, src, n * sizeof (guint64));
    }
  for (gsize i = 0; i < n; i++)
    {
      double v = keys[i] == G_MAXUINT64 ? NAN : from_key (keys[i]);
      memcpy ((char *) values + i * sizeof (double), &v, sizeof v);
    }
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

/* Puts the k-th smallest of a[0..n) at a[k], smaller ones before it and
 * larger or equal ones after (three-way partitions: many equal values, as
 * sensor data has, cost nothing extra). */
static void
select_kth (double *a,
            gsize   n,
            gsize   k)
{
  gsize lo = 0, hi = n;   /* the k-th lies in [lo, hi) */

  while (hi - lo > 1)
    {
      double x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1];
      double pivot = MAX (MIN (x, y), MIN (MAX (x, y), z));   /* median of three */
      gsize lt = lo, i = lo, gt = hi;

      while (i < gt)
        {
          double v = a[i];
          if (v < pivot)
            {
              a[i++] = a[lt];
              a[lt++] = v;
            }
          else if (v > pivot)
            {
              a[i] = a[--gt];
              a[gt] = v;
            }
          else
            i++;
        }
      if (k < lt)
        hi = lt;
      else if (k >= gt)
        lo = gt;
      else
        return;
    }
}

gsize
rf_column_quantiles (const RfColumn *column,
                     const double   *levels,
                     guint           n_levels,
                     double         *quantiles,
                     double         *mean_out,
                     double         *std_out)
{
  g_autofree double *a = NULL;
  gsize n = 0, start = 0;
  double sum = 0, sq = 0, mean;

  g_return_val_if_fail (column != NULL, 0);

  for (guint q = 0; q < n_levels; q++)
    quantiles[q] = NAN;
  if (mean_out != NULL)
    *mean_out = NAN;
  if (std_out != NULL)
    *std_out = NAN;
  if (column->type == RF_COLUMN_STRING)
    return 0;
  a = g_new (double, MAX (column->n_rows, 1));
  for (gsize r = 0; r < column->n_rows; r++)
    {
      double v;

      if (!rf_column_is_valid (column, r))
        continue;
      v = column->type == RF_COLUMN_DOUBLE ? column->values.f64[r] : rf_column_get_as_double (column, r);
      if (!isnan (v))
        {
          a[n++] = v;
          sum += v;
        }
    }
  if (n == 0)
    return 0;
  mean = sum / (double) n;
  if (mean_out != NULL)
    *mean_out = mean;
  if (std_out != NULL)
    {
      for (gsize i = 0; i < n; i++)
        sq += (a[i] - mean) * (a[i] - mean);
      *std_out = n > 1 ? sqrt (sq / (double) (n - 1)) : NAN;
    }
  /* ascending levels: each selection only looks right of the previous */
  for (guint q = 0; q < n_levels; q++)
    {
      double position = CLAMP (levels[q], 0.0, 1.0) * (double) (n - 1), fraction, next;
      gsize k = (gsize) floor (position);

      fraction = position - (double) k;
      if (k < start)
        k = start;
      select_kth (a + start, n - start, k - start);
      if (fraction == 0 || k + 1 >= n)
        quantiles[q] = a[k];
      else
        {
          next = a[k + 1];
          for (gsize i = k + 2; i < n; i++)
            next = MIN (next, a[i]);
          quantiles[q] = a[k] + (next - a[k]) * fraction;
        }
      start = k;
    }
  return n;
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

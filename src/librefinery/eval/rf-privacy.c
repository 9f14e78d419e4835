#define G_LOG_DOMAIN "rf-privacy"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cblas.h>

#include "rf-column-stats.h"
#include "rf-error.h"
#include "rf-nn.h"
#include "rf-parallel.h"
#include "rf-privacy.h"
#include "rf-rng.h"

/* Query rows per work item and reference rows per product: a 256 × 2048
 * block of dot products is 4 MB, within the cache of one core. */
#define QUERY_BLOCK 256
#define REF_BLOCK 2048

typedef struct
{
  const double *ref;
  gsize n_ref;
  const double *queries;
  gsize n_query;
  guint dim;
  const double *ref_norms;
  double *distances;
} Nearest;

static double
squared_distance (const double *a,
                  const double *b,
                  guint         dim)
{
  double sum = 0.0;

  for (guint k = 0; k < dim; k++)
    sum += (a[k] - b[k]) * (a[k] - b[k]);
  return sum;
}

/* Queries [i × QUERY_BLOCK, …): the candidate by |q|² + |r|² − 2 q·r, then
 * its distance exactly. Candidates within rounding of the best are all
 * rechecked, so that an exact copy is never passed over for a row at a
 * rounding-level distance. */
static void
nearest_block (guint    i,
               gpointer data)
{
  Nearest *n = data;
  gsize q0 = (gsize) i * QUERY_BLOCK, nq = MIN (QUERY_BLOCK, n->n_query - q0);
  g_autofree double *dots = g_new (double, QUERY_BLOCK * REF_BLOCK);
  double best[QUERY_BLOCK], norms[QUERY_BLOCK];

  for (gsize q = 0; q < nq; q++)
    {
      const double *row = n->queries + (q0 + q) * n->dim;

      norms[q] = 0.0;
      for (guint k = 0; k < n->dim; k++)
        norms[q] += row[k] * row[k];
      best[q] = INFINITY;
    }
  for (gsize r0 = 0; r0 < n->n_ref; r0 += REF_BLOCK)
    {
      gsize nr = MIN (REF_BLOCK, n->n_ref - r0);

      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) nq, (int) nr, (int) n->dim, 1.0,
                   n->queries + q0 * n->dim, (int) n->dim, n->ref + r0 * n->dim, (int) n->dim, 0.0,
                   dots, (int) nr);
      for (gsize q = 0; q < nq; q++)
        {
          const double *row = dots + q * nr;
          /* Rounding of the expanded form: a few ulps of the norms. */
          double slack = 1e-9 * (norms[q] + 1.0);

          for (gsize r = 0; r < nr; r++)
            {
              double d2 = norms[q] + n->ref_norms[r0 + r] - 2.0 * row[r];

              if (d2 < best[q] + slack)
                {
                  double exact = squared_distance (n->queries + (q0 + q) * n->dim,
                                                   n->ref + (r0 + r) * n->dim, n->dim);
                  best[q] = MIN (best[q], exact);
                }
            }
        }
    }
  for (gsize q = 0; q < nq; q++)
    n->distances[q0 + q] = sqrt (best[q]);
}

void
rf_privacy_nearest (const double *reference,
                    gsize         n_ref,
                    const double *queries,
                    gsize         n_query,
                    guint         dim,
                    double       *distances)
{
  g_autofree double *norms = g_new (double, MAX (n_ref, 1));
  Nearest n = { reference, n_ref, queries, n_query, dim, norms, distances };

  g_return_if_fail (n_ref > 0 && dim > 0);

  rf_blas_use_one_thread ();
  for (gsize r = 0; r < n_ref; r++)
    {
      norms[r] = 0.0;
      for (guint k = 0; k < dim; k++)
        norms[r] += reference[r * dim + k] * reference[r * dim + k];
    }
  rf_parallel_for ((guint) ((n_query + QUERY_BLOCK - 1) / QUERY_BLOCK), 0, nearest_block, &n);
}

/* rows (NULL: all) of table's columns, scaled, into a new n × dim matrix. */
static double *
scaled_matrix (const RfTable   *table,
               char * const    *names,
               guint            dim,
               const double    *lo,
               const double    *span,
               const gsize     *rows,
               gsize            n)
{
  double *m = g_new (double, MAX (n * dim, 1));

  for (guint k = 0; k < dim; k++)
    {
      const RfColumn *column = rf_table_find_column (table, names[k]);

      for (gsize i = 0; i < n; i++)
        {
          double v = rf_column_get_as_double (column, rows != NULL ? rows[i] : i);

          m[i * dim + k] = isfinite (v) && span[k] > 0.0 ? (v - lo[k]) / span[k] : 0.0;
        }
    }
  return m;
}

static double
quantile (double *values,
          gsize   n,
          double  p)
{
  if (n == 0)
    return NAN;
  rf_sort_doubles (values, n);
  return rf_quantile_of_sorted (values, n, p);
}

static gboolean
is_shared_numeric (const RfTable *table,
                   const char    *name)
{
  const RfColumn *column = rf_table_find_column (table, name);

  return column != NULL && rf_column_type_is_numeric (column->type);
}

gboolean
rf_privacy_compute (const RfTable      *reference,
                    const RfTable      *holdout,
                    const RfTable      *synthetic,
                    const char * const *exclude,
                    gsize               max_rows,
                    guint64             seed,
                    GCancellable       *cancellable,
                    RfPrivacy          *out,
                    GError            **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree double *lo = NULL, *span = NULL;
  g_autofree double *ref = NULL, *hold = NULL, *syn = NULL;
  g_autofree double *d_hold = NULL, *d_syn = NULL;
  g_autofree gsize *sample = NULL;
  gsize n_ref = rf_table_get_n_rows (reference), n_hold = rf_table_get_n_rows (holdout);
  gsize n_syn_all = rf_table_get_n_rows (synthetic), n_syn, below = 0, hold_zero = 0;
  guint dim;

  g_return_val_if_fail (reference != NULL && holdout != NULL && synthetic != NULL && out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (n_ref == 0 || n_hold == 0 || n_syn_all == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "Distances to the closest record need rows in the reference, holdout and synthetic data");
      return FALSE;
    }
  for (guint c = 0; c < rf_table_get_n_columns (reference); c++)
    {
      const RfColumn *column = rf_table_get_column (reference, c);

      if (rf_column_type_is_numeric (column->type) && !(exclude != NULL && g_strv_contains (exclude, column->name)) &&
          is_shared_numeric (holdout, column->name) && is_shared_numeric (synthetic, column->name))
        g_ptr_array_add (names, column->name);
    }
  dim = names->len;
  if (dim == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "Distances to the closest record need numeric columns that the real and synthetic "
                   "data share; they share none");
      return FALSE;
    }

  lo = g_new (double, dim);
  span = g_new (double, dim);
  for (guint k = 0; k < dim; k++)
    {
      double min, max, mean;
      const RfColumn *column = rf_table_find_column (reference, g_ptr_array_index (names, k));

      if (rf_column_numeric_summary (column, &min, &max, &mean))
        {
          /* Timestamps are summarised in microseconds, read in seconds. */
          double unit = column->type == RF_COLUMN_TIMESTAMP ? 1e-6 : 1.0;
          lo[k] = min * unit;
          span[k] = (max - min) * unit;
        }
      else
        lo[k] = span[k] = 0.0;
    }

  /* A seeded sample of the synthetic rows, in row order. */
  n_syn = max_rows > 0 ? MIN (max_rows, n_syn_all) : n_syn_all;
  sample = g_new (gsize, MAX (n_syn, 1));
  {
    RfRng rng;
    gsize chosen = 0;

    /* Selection sampling (Knuth's algorithm S): each row kept with the
     * chance that leaves exactly n_syn. */
    rf_rng_init (&rng, seed);
    for (gsize r = 0; r < n_syn_all && chosen < n_syn; r++)
      if ((double) (n_syn_all - r) * rf_rng_uniform (&rng) < (double) (n_syn - chosen))
        sample[chosen++] = r;
  }

  ref = scaled_matrix (reference, (char * const *) names->pdata, dim, lo, span, NULL, n_ref);
  hold = scaled_matrix (holdout, (char * const *) names->pdata, dim, lo, span, NULL, n_hold);
  syn = scaled_matrix (synthetic, (char * const *) names->pdata, dim, lo, span, sample, n_syn);
  d_hold = g_new (double, n_hold);
  d_syn = g_new (double, n_syn);
  rf_privacy_nearest (ref, n_ref, hold, n_hold, dim, d_hold);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  rf_privacy_nearest (ref, n_ref, syn, n_syn, dim, d_syn);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  for (gsize i = 0; i < n_hold; i++)
    hold_zero += d_hold[i] == 0.0;
  for (gsize i = 0; i < n_syn; i++)
    out->n_exact_copies += d_syn[i] == 0.0;
  out->n_columns = dim;
  out->n_synthetic = n_syn;
  out->n_holdout = n_hold;
  out->holdout_median = quantile (d_hold, n_hold, 0.5);
  out->holdout_p5 = rf_quantile_of_sorted (d_hold, n_hold, 0.05);
  out->synthetic_median = quantile (d_syn, n_syn, 0.5);
  out->synthetic_p5 = rf_quantile_of_sorted (d_syn, n_syn, 0.05);
  for (gsize i = 0; i < n_syn; i++)
    below += d_syn[i] < out->holdout_p5;
  out->exact_copy_fraction = (double) out->n_exact_copies / (double) n_syn;
  out->holdout_exact_fraction = (double) hold_zero / (double) n_hold;
  out->closer_than_holdout_p5 = (double) below / (double) n_syn;
  return TRUE;
}

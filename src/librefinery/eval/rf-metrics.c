#define G_LOG_DOMAIN "rf-metrics"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-column-stats.h"
#include "rf-error.h"
#include "rf-metrics.h"
#include "rf-parallel.h"

/* Smoothing pseudo-count of every KL bin or category (see the header). */
#define KL_PSEUDO_COUNT 0.5

/* On sorted arrays --------------------------------------------------------- */

/* The largest CDF gap: walk both sorted samples through each distinct
 * value, taking every copy of it on both sides before comparing. */
static double
ks_sorted (const double *a,
           gsize         na,
           const double *b,
           gsize         nb)
{
  gsize i = 0, j = 0;
  double gap = 0.0;

  if (na == 0 || nb == 0)
    return NAN;
  while (i < na && j < nb)
    {
      double x = MIN (a[i], b[j]);

      while (i < na && a[i] == x)
        i++;
      while (j < nb && b[j] == x)
        j++;
      gap = MAX (gap, fabs ((double) i / (double) na - (double) j / (double) nb));
    }
  /* Past the end of one sample the gap only shrinks to 0. */
  return gap;
}

/* The area between the CDFs: between consecutive distinct values of the
 * union, |F_a − F_b| times the width. */
static double
w1_sorted (const double *a,
           gsize         na,
           const double *b,
           gsize         nb)
{
  gsize i = 0, j = 0;
  double area = 0.0, x;

  if (na == 0 || nb == 0)
    return NAN;
  x = MIN (a[0], b[0]);
  while (i < na || j < nb)
    {
      double next;

      while (i < na && a[i] == x)
        i++;
      while (j < nb && b[j] == x)
        j++;
      if (i == na && j == nb)
        break;
      next = i == na ? b[j] : j == nb ? a[i] : MIN (a[i], b[j]);
      area += fabs ((double) i / (double) na - (double) j / (double) nb) * (next - x);
      x = next;
    }
  return area;
}

/* The bin of v among n_bins equal-width bins from lo to hi: edge k is
 * lo + k (hi − lo) / n_bins and the last one hi; a value on an edge goes
 * to the bin above, hi to the last bin (numpy.histogram's rule, rounding
 * included). */
static guint
bin_of (double v,
        double lo,
        double hi,
        guint  n_bins)
{
  double step = (hi - lo) / n_bins;
  double f = (v - lo) * (n_bins / (hi - lo));
  guint k;

  if (n_bins == 1)
    return 0;
  k = (guint) MIN (MAX (f, 0.0), (double) (n_bins - 1));
  if (k > 0 && v < lo + k * step)
    k--;
  else if (k + 1 < n_bins && v >= lo + (k + 1) * step)
    k++;
  return k;
}

static double
kl_sorted (const double *p,
           gsize         np,
           const double *q,
           gsize         nq,
           guint         n_bins)
{
  double lo, hi, kl = 0.0;
  g_autofree double *cp = NULL, *cq = NULL;

  if (np == 0 || nq == 0)
    return NAN;
  lo = MIN (p[0], q[0]);
  hi = MAX (p[np - 1], q[nq - 1]);
  if (!(hi > lo))
    n_bins = 1;
  n_bins = MAX (n_bins, 1);
  cp = g_new0 (double, n_bins);
  cq = g_new0 (double, n_bins);
  for (gsize k = 0; k < np; k++)
    cp[bin_of (p[k], lo, hi, n_bins)] += 1.0;
  for (gsize k = 0; k < nq; k++)
    cq[bin_of (q[k], lo, hi, n_bins)] += 1.0;
  for (guint bin = 0; bin < n_bins; bin++)
    {
      double pp = (cp[bin] + KL_PSEUDO_COUNT) / ((double) np + KL_PSEUDO_COUNT * n_bins);
      double qq = (cq[bin] + KL_PSEUDO_COUNT) / ((double) nq + KL_PSEUDO_COUNT * n_bins);
      kl += pp * log (pp / qq);
    }
  return MAX (kl, 0.0);
}

static double *
sorted_copy (const double *values,
             gsize         n)
{
  double *copy = g_new (double, MAX (n, 1));

  memcpy (copy, values, n * sizeof (double));
  rf_sort_doubles (copy, n);
  return copy;
}

double
rf_metric_ks (const double *a,
              gsize         na,
              const double *b,
              gsize         nb)
{
  g_autofree double *sa = sorted_copy (a, na), *sb = sorted_copy (b, nb);

  return ks_sorted (sa, na, sb, nb);
}

double
rf_metric_wasserstein1 (const double *a,
                        gsize         na,
                        const double *b,
                        gsize         nb)
{
  g_autofree double *sa = sorted_copy (a, na), *sb = sorted_copy (b, nb);

  return w1_sorted (sa, na, sb, nb);
}

double
rf_metric_kl_binned (const double *p_values,
                     gsize         np,
                     const double *q_values,
                     gsize         nq,
                     guint         n_bins)
{
  g_autofree double *sp = sorted_copy (p_values, np), *sq = sorted_copy (q_values, nq);

  return kl_sorted (sp, np, sq, nq, n_bins);
}

double
rf_metric_pearson (const double *x,
                   const double *y,
                   gsize         n)
{
  double mx = 0.0, my = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0;

  if (n < 2)
    return NAN;
  for (gsize i = 0; i < n; i++)
    {
      mx += x[i];
      my += y[i];
    }
  mx /= (double) n;
  my /= (double) n;
  for (gsize i = 0; i < n; i++)
    {
      double dx = x[i] - mx, dy = y[i] - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
  if (!(sxx > 0.0) || !(syy > 0.0))
    return NAN;
  return CLAMP (sxy / sqrt (sxx * syy), -1.0, 1.0);
}

/* Columns ------------------------------------------------------------------ */

/* A numeric column's values: all rows (NAN where missing, for the
 * correlations) and the sorted present ones (for the distributions). */
typedef struct
{
  double *rows;
  double *sorted;
  gsize   n_present;
} Values;

static void
values_load (Values         *v,
             const RfColumn *column)
{
  gsize n = column->n_rows, k = 0;

  v->rows = g_new (double, MAX (n, 1));
  v->sorted = g_new (double, MAX (n, 1));
  for (gsize r = 0; r < n; r++)
    {
      double x = rf_column_get_as_double (column, r);

      /* Infinities cannot be binned or integrated: left out as missing. */
      v->rows[r] = isfinite (x) ? x : NAN;
      if (isfinite (x))
        v->sorted[k++] = x;
    }
  v->n_present = k;
  rf_sort_doubles (v->sorted, k);
}

static void
values_clear (Values *v)
{
  g_clear_pointer (&v->rows, g_free);
  g_clear_pointer (&v->sorted, g_free);
}

static void
mean_std (const double *sorted,
          gsize         n,
          double       *mean,
          double       *std)
{
  double m = 0.0, ss = 0.0;

  if (n == 0)
    {
      *mean = *std = NAN;
      return;
    }
  for (gsize i = 0; i < n; i++)
    m += sorted[i];
  m /= (double) n;
  for (gsize i = 0; i < n; i++)
    ss += (sorted[i] - m) * (sorted[i] - m);
  *mean = m;
  *std = n > 1 ? sqrt (ss / (double) (n - 1)) : NAN;
}

static void
compare_numeric (RfColumnMetrics *m,
                 const Values    *real,
                 const Values    *syn)
{
  double range, scale;

  m->n_real = real->n_present;
  m->n_synthetic = syn->n_present;
  m->ks = ks_sorted (real->sorted, real->n_present, syn->sorted, syn->n_present);
  m->kl_divergence = kl_sorted (real->sorted, real->n_present, syn->sorted, syn->n_present, RF_METRICS_KL_BINS);
  m->wasserstein = w1_sorted (real->sorted, real->n_present, syn->sorted, syn->n_present);
  if (real->n_present > 0)
    {
      range = real->sorted[real->n_present - 1] - real->sorted[0];
      scale = range > 0.0 ? range : MAX (fabs (real->sorted[0]), 1.0);
      m->wasserstein /= scale;
    }
  mean_std (real->sorted, real->n_present, &m->mean_real, &m->std_real);
  mean_std (syn->sorted, syn->n_present, &m->mean_synthetic, &m->std_synthetic);
  m->mean_error = fabs (m->mean_synthetic - m->mean_real);
  m->std_error = fabs (m->std_synthetic - m->std_real);
}

/* Category frequencies of a string column (missing left out). */
static GHashTable *
category_counts (const RfColumn *column,
                 gsize          *n_present)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  *n_present = 0;
  for (gsize r = 0; r < column->n_rows; r++)
    {
      gsize length;
      const char *s;
      char *key;
      double *count;

      if (!rf_column_is_valid (column, r))
        continue;
      s = rf_column_get_string (column, r, &length);
      key = g_strndup (s, length);
      count = g_hash_table_lookup (counts, key);
      if (count == NULL)
        {
          count = g_new0 (double, 1);
          g_hash_table_insert (counts, key, count);
        }
      else
        g_free (key);
      *count += 1.0;
      (*n_present)++;
    }
  return counts;
}

static void
compare_categorical (RfColumnMetrics *m,
                     const RfColumn  *real,
                     const RfColumn  *syn)
{
  gsize np, nq;
  g_autoptr(GHashTable) p = category_counts (real, &np);
  g_autoptr(GHashTable) q = category_counts (syn, &nq);
  g_autoptr(GHashTable) all = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  double tv = 0.0, kl = 0.0, k;

  m->categorical = TRUE;
  m->n_real = np;
  m->n_synthetic = nq;
  m->wasserstein = m->mean_real = m->mean_synthetic = m->mean_error = NAN;
  m->std_real = m->std_synthetic = m->std_error = NAN;
  if (np == 0 || nq == 0)
    {
      m->ks = m->kl_divergence = NAN;
      return;
    }
  g_hash_table_iter_init (&iter, p);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (all, key);
  g_hash_table_iter_init (&iter, q);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (all, key);
  k = g_hash_table_size (all);
  g_hash_table_iter_init (&iter, all);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      double *cp = g_hash_table_lookup (p, key), *cq = g_hash_table_lookup (q, key);
      double fp = cp != NULL ? *cp : 0.0, fq = cq != NULL ? *cq : 0.0;
      double pp = (fp + KL_PSEUDO_COUNT) / ((double) np + KL_PSEUDO_COUNT * k);
      double qq = (fq + KL_PSEUDO_COUNT) / ((double) nq + KL_PSEUDO_COUNT * k);

      tv += fabs (fp / (double) np - fq / (double) nq);
      kl += pp * log (pp / qq);
    }
  m->ks = 0.5 * tv;
  m->kl_divergence = MAX (kl, 0.0);
}

/* The parallel work ---------------------------------------------------------- */

typedef struct
{
  const RfTable *real;
  const RfTable *synthetic;
  GArray *pairs;            /* guint: real column index, synthetic column index */
  RfColumnMetrics *metrics;
  Values *real_values;      /* numeric columns only (else empty) */
  Values *syn_values;
  GCancellable *cancellable;
} Work;

static void
column_work (guint    i,
             gpointer data)
{
  Work *w = data;
  const RfColumn *real = rf_table_get_column (w->real, g_array_index (w->pairs, guint, 2 * i));
  const RfColumn *syn = rf_table_get_column (w->synthetic, g_array_index (w->pairs, guint, 2 * i + 1));
  RfColumnMetrics *m = &w->metrics[i];

  if (g_cancellable_is_cancelled (w->cancellable))
    return;
  m->name = g_strdup (real->name);
  m->missing_real = real->n_rows > 0 ? (double) real->n_missing / (double) real->n_rows : NAN;
  m->missing_synthetic = syn->n_rows > 0 ? (double) syn->n_missing / (double) syn->n_rows : NAN;
  if (real->type == RF_COLUMN_STRING)
    {
      compare_categorical (m, real, syn);
      return;
    }
  values_load (&w->real_values[i], real);
  values_load (&w->syn_values[i], syn);
  compare_numeric (m, &w->real_values[i], &w->syn_values[i]);
}

/* Pearson over the rows where both are present. */
static double
pair_correlation (const double *x,
                  const double *y,
                  gsize         n)
{
  g_autofree double *a = g_new (double, MAX (n, 1));
  g_autofree double *b = g_new (double, MAX (n, 1));
  gsize k = 0;

  for (gsize r = 0; r < n; r++)
    if (!isnan (x[r]) && !isnan (y[r]))
      {
        a[k] = x[r];
        b[k] = y[r];
        k++;
      }
  return rf_metric_pearson (a, b, k);
}

typedef struct
{
  Work *work;
  guint *numeric;           /* column indices into metrics of the numeric columns */
  guint n;
  gsize real_rows, syn_rows;
  double *real, *synthetic;
} CorrelationWork;

/* Row i of both matrices (j > i; the rest is mirrored afterwards). */
static void
correlation_row (guint    i,
                 gpointer data)
{
  CorrelationWork *c = data;
  Work *w = c->work;

  if (g_cancellable_is_cancelled (w->cancellable))
    return;
  for (guint j = i + 1; j < c->n; j++)
    {
      guint a = c->numeric[i], b = c->numeric[j];

      c->real[i * c->n + j] = pair_correlation (w->real_values[a].rows, w->real_values[b].rows, c->real_rows);
      c->synthetic[i * c->n + j] = pair_correlation (w->syn_values[a].rows, w->syn_values[b].rows, c->syn_rows);
    }
}

static void
compare_correlations (Work            *w,
                      guint            n_columns,
                      guint            n_threads,
                      RfFidelity      *f)
{
  RfCorrelationComparison *cc = &f->correlation;
  CorrelationWork c = { w };
  double sum_abs = 0.0, sum_sq = 0.0, trends = 0.0;
  guint n = 0;

  c.numeric = g_new (guint, MAX (n_columns, 1));
  for (guint i = 0; i < n_columns; i++)
    if (!w->metrics[i].categorical)
      c.numeric[n++] = i;
  c.n = n;
  c.real_rows = rf_table_get_n_rows (w->real);
  c.syn_rows = rf_table_get_n_rows (w->synthetic);
  c.real = g_new (double, MAX (n * n, 1));
  c.synthetic = g_new (double, MAX (n * n, 1));
  rf_parallel_for (n, n_threads, correlation_row, &c);

  cc->n_columns = n;
  cc->names = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      cc->names[i] = g_strdup (w->metrics[c.numeric[i]].name);
      c.real[i * n + i] = c.synthetic[i * n + i] = 1.0;
      for (guint j = i + 1; j < n; j++)
        {
          double r = c.real[i * n + j], s = c.synthetic[i * n + j];

          c.real[j * n + i] = r;
          c.synthetic[j * n + i] = s;
          if (isnan (r) || isnan (s))
            continue;
          sum_abs += fabs (r - s);
          sum_sq += 2.0 * (r - s) * (r - s);
          trends += 1.0 - fabs (r - s) / 2.0;
          cc->n_pairs++;
        }
      /* A constant column has no correlation, not even with itself. */
      if (w->metrics[c.numeric[i]].std_real == 0.0 || w->metrics[c.numeric[i]].n_real < 2)
        c.real[i * n + i] = NAN;
      if (w->metrics[c.numeric[i]].std_synthetic == 0.0 || w->metrics[c.numeric[i]].n_synthetic < 2)
        c.synthetic[i * n + i] = NAN;
    }
  cc->real = c.real;
  cc->synthetic = c.synthetic;
  cc->mean_abs_error = cc->n_pairs > 0 ? sum_abs / cc->n_pairs : NAN;
  cc->frobenius = sqrt (sum_sq);
  f->quality.pair_trends = cc->n_pairs > 0 ? trends / cc->n_pairs : NAN;
  g_free (c.numeric);
}

static gboolean
is_excluded (const char * const *exclude,
             const char         *name)
{
  return exclude != NULL && g_strv_contains (exclude, name);
}

RfFidelity *
rf_fidelity_compute (const RfTable      *real,
                     const RfTable      *synthetic,
                     const char * const *exclude,
                     guint               n_threads,
                     GCancellable       *cancellable,
                     GError            **error)
{
  g_autoptr(RfFidelity) f = NULL;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (guint));
  Work w = { real, synthetic, pairs };
  guint n;
  double shapes = 0.0, kl = 0.0, w1 = 0.0;
  guint n_shapes = 0, n_kl = 0, n_w1 = 0;

  g_return_val_if_fail (real != NULL && synthetic != NULL, NULL);

  if (rf_table_get_n_rows (real) == 0 || rf_table_get_n_rows (synthetic) == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "Nothing to compare: the %s data has no rows",
                   rf_table_get_n_rows (real) == 0 ? "real" : "synthetic");
      return NULL;
    }
  for (guint c = 0; c < rf_table_get_n_columns (real); c++)
    {
      const RfColumn *rc = rf_table_get_column (real, c);
      int s = rf_table_find_column_index (synthetic, rc->name);
      guint su;

      if (s < 0 || is_excluded (exclude, rc->name))
        continue;
      if ((rc->type == RF_COLUMN_STRING) != (rf_table_get_column (synthetic, (guint) s)->type == RF_COLUMN_STRING))
        {
          g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                       "The column “%s” holds numbers in one table and text in the other; compare data "
                       "of the same schema (sample from a model trained on this data)", rc->name);
          return NULL;
        }
      su = (guint) s;
      g_array_append_val (pairs, c);
      g_array_append_val (pairs, su);
    }
  n = pairs->len / 2;
  if (n == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "The real and synthetic data share no column to compare; check that the synthetic "
                   "data comes from a model of this machine");
      return NULL;
    }

  f = g_new0 (RfFidelity, 1);
  f->n_columns = n;
  f->columns = g_new0 (RfColumnMetrics, n);
  w.metrics = f->columns;
  w.real_values = g_new0 (Values, n);
  w.syn_values = g_new0 (Values, n);
  w.cancellable = cancellable;
  rf_parallel_for (n, n_threads, column_work, &w);
  if (!g_cancellable_is_cancelled (cancellable))
    compare_correlations (&w, n, n_threads, f);
  for (guint i = 0; i < n; i++)
    {
      values_clear (&w.real_values[i]);
      values_clear (&w.syn_values[i]);
    }
  g_free (w.real_values);
  g_free (w.syn_values);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  for (guint i = 0; i < n; i++)
    {
      const RfColumnMetrics *m = &f->columns[i];

      if (!isnan (m->ks))
        {
          shapes += 1.0 - m->ks;
          n_shapes++;
        }
      if (!isnan (m->kl_divergence))
        {
          kl += m->kl_divergence;
          n_kl++;
        }
      if (!isnan (m->wasserstein))
        {
          w1 += m->wasserstein;
          n_w1++;
        }
    }
  f->quality.column_shapes = n_shapes > 0 ? shapes / n_shapes : NAN;
  f->mean_ks = n_shapes > 0 ? 1.0 - f->quality.column_shapes : NAN;
  f->mean_kl = n_kl > 0 ? kl / n_kl : NAN;
  f->mean_wasserstein = n_w1 > 0 ? w1 / n_w1 : NAN;
  f->quality.overall = isnan (f->quality.pair_trends) ? f->quality.column_shapes
                       : 0.5 * (f->quality.column_shapes + f->quality.pair_trends);
  return g_steal_pointer (&f);
}

void
rf_fidelity_free (RfFidelity *fidelity)
{
  if (fidelity == NULL)
    return;
  for (guint i = 0; i < fidelity->n_columns; i++)
    g_free (fidelity->columns[i].name);
  g_free (fidelity->columns);
  g_strfreev (fidelity->correlation.names);
  g_free (fidelity->correlation.real);
  g_free (fidelity->correlation.synthetic);
  g_free (fidelity);
}

const RfColumnMetrics *
rf_fidelity_find_column (const RfFidelity *fidelity,
                         const char       *name)
{
  g_return_val_if_fail (fidelity != NULL && name != NULL, NULL);

  for (guint i = 0; i < fidelity->n_columns; i++)
    if (strcmp (fidelity->columns[i].name, name) == 0)
      return &fidelity->columns[i];
  return NULL;
}

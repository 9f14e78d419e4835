#define G_LOG_DOMAIN "rf-bgm"

#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rf-bgm.h"
#include "rf-error.h"
#include "rf-rng.h"

#define WEIGHT_CONCENTRATION_PRIOR 0.001
#define MEAN_PRECISION_PRIOR 1.0
#define DOF_PRIOR 1.0
#define REG_COVAR 1e-6
#define TOL 1e-3
#define MAX_ITER 100
#define KMEANS_MAX_ITER 300
#define LOG_2PI 1.8378770664093454836

/* The variational posterior of a K-component fit. */
typedef struct
{
  guint  k;
  double mean_prior;
  double cov_prior;
  double alpha[RF_BGM_MAX_COMPONENTS];       /* stick-breaking Beta(alpha, beta) */
  double beta[RF_BGM_MAX_COMPONENTS];
  double mean_precision[RF_BGM_MAX_COMPONENTS];
  double means[RF_BGM_MAX_COMPONENTS];
  double dof[RF_BGM_MAX_COMPONENTS];
  double covs[RF_BGM_MAX_COMPONENTS];        /* Wishart scale / dof */
} Posterior;

/* Responsibility-weighted sums of one pass over the data, taken around a
 * per-component shift near the component mean so that the variance is free
 * of cancellation: nk = sum r, sx = sum r (x - shift),
 * sxx = sum r (x - shift)^2. */
typedef struct
{
  double nk[RF_BGM_MAX_COMPONENTS];
  double sx[RF_BGM_MAX_COMPONENTS];
  double sxx[RF_BGM_MAX_COMPONENTS];
  double shift[RF_BGM_MAX_COMPONENTS];
} Stats;

/* Digamma for x > 0: recurrence up to x >= 6, then the asymptotic series
 * (error below 1e-13 there). */
static double
digamma (double x)
{
  double result = 0.0;
  double inv, inv2;

  while (x < 6.0)
    {
      result -= 1.0 / x;
      x += 1.0;
    }
  inv = 1.0 / x;
  inv2 = inv * inv;
  result += log (x) - 0.5 * inv
            - inv2 * (1.0 / 12.0
                      - inv2 * (1.0 / 120.0
                                - inv2 * (1.0 / 252.0
                                          - inv2 * (1.0 / 240.0
                                                    - inv2 * (1.0 / 132.0)))));
  return result;
}

/* lgamma_r: lgamma writes the global signgam, and columns may be fitted
 * from several threads. */
static double
log_gamma (double x)
{
  int sign;

  return lgamma_r (x, &sign);
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
sort_small (double *v,
            guint   n)
{
  for (guint i = 1; i < n; i++)
    {
      double t = v[i];
      guint j = i;

      while (j > 0 && v[j - 1] > t)
        {
          v[j] = v[j - 1];
          j--;
        }
      v[j] = t;
    }
}

/* k-means++ seeding (greedy, 2 + ln k trials per centre, as scikit-learn
 * does) on the sorted values xs; dist2 is scratch of m doubles. */
static void
kmeans_plus_plus (const double *xs,
                  gsize         m,
                  guint         k,
                  RfRng        *rng,
                  double       *dist2,
                  double       *centres)
{
  guint trials = 2 + (guint) log ((double) k);
  double potential = 0.0;

  centres[0] = xs[rf_rng_below (rng, m)];
  for (gsize i = 0; i < m; i++)
    {
      dist2[i] = (xs[i] - centres[0]) * (xs[i] - centres[0]);
      potential += dist2[i];
    }

  for (guint c = 1; c < k; c++)
    {
      double best_centre = xs[0];
      double best_potential = INFINITY;

      for (guint t = 0; t < trials; t++)
        {
          double candidate, cand_potential = 0.0;

          if (potential > 0.0)
            {
              double target = rf_rng_uniform (rng) * potential;
              double acc = 0.0;
              gsize pick = m - 1;

              for (gsize i = 0; i < m; i++)
                {
                  acc += dist2[i];
                  if (acc > target)
                    {
                      pick = i;
                      break;
                    }
                }
              candidate = xs[pick];
            }
          else
            {
              /* Every value sits on a centre: any value is as good. */
              candidate = xs[rf_rng_below (rng, m)];
            }

          for (gsize i = 0; i < m; i++)
            {
              double d = (xs[i] - candidate) * (xs[i] - candidate);
              cand_potential += MIN (d, dist2[i]);
            }
          if (cand_potential < best_potential)
            {
              best_potential = cand_potential;
              best_centre = candidate;
            }
        }

      centres[c] = best_centre;
      potential = 0.0;
      for (gsize i = 0; i < m; i++)
        {
          double d = (xs[i] - best_centre) * (xs[i] - best_centre);
          dist2[i] = MIN (d, dist2[i]);
          potential += dist2[i];
        }
    }
}

/* Lloyd's k-means on sorted 1-D data: every cluster is a run of the sorted
 * values, so an assignment is k + 1 boundaries, cluster c being
 * xs[bounds[c] .. bounds[c + 1] - 1]. Stops when the boundaries stop moving. */
static void
kmeans_lloyd (const double *xs,
              gsize         m,
              guint         k,
              double       *centres,
              gsize        *bounds)
{
  gsize prev[RF_BGM_MAX_COMPONENTS + 1];

  for (guint c = 0; c <= k; c++)
    prev[c] = G_MAXSIZE;

  for (guint iter = 0; iter < KMEANS_MAX_ITER; iter++)
    {
      gboolean moved = FALSE;

      sort_small (centres, k);
      bounds[0] = 0;
      bounds[k] = m;
      for (guint c = 1; c < k; c++)
        {
          /* First index whose value is nearer centre c than c - 1; ties go
           * to the lower centre. */
          double mid = 0.5 * (centres[c - 1] + centres[c]);
          gsize lo = bounds[c - 1], hi = m;

          while (lo < hi)
            {
              gsize half = lo + (hi - lo) / 2;

              if (xs[half] <= mid)
                lo = half + 1;
              else
                hi = half;
            }
          bounds[c] = lo;
        }

      for (guint c = 0; c <= k; c++)
        {
          if (bounds[c] != prev[c])
            moved = TRUE;
          prev[c] = bounds[c];
        }
      if (!moved)
        break;

      for (guint c = 0; c < k; c++)
        {
          double sum = 0.0;

          /* An empty cluster keeps its centre. */
          if (bounds[c + 1] == bounds[c])
            continue;
          for (gsize i = bounds[c]; i < bounds[c + 1]; i++)
            sum += xs[i];
          centres[c] = sum / (double) (bounds[c + 1] - bounds[c]);
        }
    }
}

/* M step: the posterior from the sums of the E step. */
static void
m_step (Posterior   *post,
        const Stats *stats)
{
  double tail = 0.0;

  for (guint c = post->k; c-- > 0;)
    {
      double nk = stats->nk[c] + 10.0 * DBL_EPSILON;
      double offset = stats->sx[c] / nk;
      double xk = stats->shift[c] + offset;
      double sk = MAX (stats->sxx[c] / nk - offset * offset, 0.0) + REG_COVAR;
      double diff;

      /* Stick-breaking: beta counts the mass of the later components. */
      post->alpha[c] = 1.0 + nk;
      post->beta[c] = WEIGHT_CONCENTRATION_PRIOR + tail;
      tail += nk;

      post->mean_precision[c] = MEAN_PRECISION_PRIOR + nk;
      post->means[c] = (MEAN_PRECISION_PRIOR * post->mean_prior + nk * xk)
                       / post->mean_precision[c];

      post->dof[c] = DOF_PRIOR + nk;
      diff = xk - post->mean_prior;
      post->covs[c] = (post->cov_prior + nk * sk
                       + nk * MEAN_PRECISION_PRIOR / post->mean_precision[c] * diff * diff)
                      / post->dof[c];
    }
}

/* Per component, everything of the expected log joint of (x, component)
 * except -0.5 (x - mean)^2 / cov. */
static void
log_offsets (const Posterior *post,
             double          *offsets)
{
  double stick = 0.0;

  for (guint c = 0; c < post->k; c++)
    {
      double dsum = digamma (post->alpha[c] + post->beta[c]);
      double log_weight = digamma (post->alpha[c]) - dsum + stick;
      double log_lambda = G_LN2 + digamma (0.5 * post->dof[c]);

      stick += digamma (post->beta[c]) - dsum;
      offsets[c] = log_weight
                   - 0.5 * log (post->covs[c]) - 0.5 * LOG_2PI
                   - 0.5 * log (post->dof[c])
                   + 0.5 * (log_lambda - 1.0 / post->mean_precision[c]);
    }
}

/* E step: the responsibilities of every value, summed into stats (they are
 * not stored: memory stays O(n)); returns sum r log r. */
static double
e_step (const Posterior *post,
        const double    *xs,
        gsize            m,
        Stats           *stats)
{
  guint k = post->k;
  double offsets[RF_BGM_MAX_COMPONENTS];
  double precisions[RF_BGM_MAX_COMPONENTS];
  double entropy_sum = 0.0;

  log_offsets (post, offsets);
  memset (stats, 0, sizeof *stats);
  for (guint c = 0; c < k; c++)
    {
      precisions[c] = 1.0 / post->covs[c];
      stats->shift[c] = post->means[c];
    }

  for (gsize i = 0; i < m; i++)
    {
      double r[RF_BGM_MAX_COMPONENTS];
      double log_r[RF_BGM_MAX_COMPONENTS];
      double max = -INFINITY, sum = 0.0, log_sum;

      for (guint c = 0; c < k; c++)
        {
          double d = xs[i] - post->means[c];

          log_r[c] = offsets[c] - 0.5 * precisions[c] * d * d;
          max = MAX (max, log_r[c]);
        }
      /* One exp per entry: the log responsibilities are log_r - log sum. */
      for (guint c = 0; c < k; c++)
        {
          log_r[c] -= max;
          r[c] = exp (log_r[c]);
          sum += r[c];
        }
      log_sum = log (sum);
      for (guint c = 0; c < k; c++)
        {
          double d = xs[i] - stats->shift[c];
          double rc = r[c] / sum;

          entropy_sum += rc * (log_r[c] - log_sum);
          stats->nk[c] += rc;
          stats->sx[c] += rc * d;
          stats->sxx[c] += rc * d * d;
        }
    }
  return entropy_sum;
}

static double
lower_bound (const Posterior *post,
             double           resp_log_resp)
{
  double log_wishart = 0.0, log_norm_weight = 0.0, log_mean_precision = 0.0;

  for (guint c = 0; c < post->k; c++)
    {
      double dof = post->dof[c];
      /* log det of the precision Cholesky factor, per unit dof */
      double log_det_chol = -0.5 * log (post->covs[c]) - 0.5 * log (dof);

      log_wishart -= dof * log_det_chol + dof * 0.5 * G_LN2 + log_gamma (0.5 * dof);
      log_norm_weight -= log_gamma (post->alpha[c]) + log_gamma (post->beta[c])
                         - log_gamma (post->alpha[c] + post->beta[c]);
      log_mean_precision += log (post->mean_precision[c]);
    }
  return -resp_log_resp - log_wishart - log_norm_weight - 0.5 * log_mean_precision;
}

static void
fit_constant (RfBgm  *bgm,
              double  value)
{
  memset (bgm, 0, sizeof *bgm);
  bgm->n_components = 1;
  bgm->weights[0] = 1.0;
  bgm->means[0] = value;
  bgm->stds[0] = 0.0;
  bgm->active[0] = TRUE;
  bgm->converged = TRUE;
}

gboolean
rf_bgm_fit (RfBgm         *bgm,
            const double  *x,
            gsize          n,
            guint          max_components,
            guint64        seed,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree double *xs = NULL;
  g_autofree double *scratch = NULL;
  Posterior post = { 0 };
  Stats stats;
  double centres[RF_BGM_MAX_COMPONENTS];
  gsize bounds[RF_BGM_MAX_COMPONENTS + 1];
  double sum = 0.0, ss = 0.0, bound = -INFINITY;
  double stick_rest = 1.0, weight_sum = 0.0;
  gsize m = 0;
  guint k;
  RfRng rng;

  g_return_val_if_fail (bgm != NULL, FALSE);
  g_return_val_if_fail (x != NULL || n == 0, FALSE);
  g_return_val_if_fail (max_components >= 1 && max_components <= RF_BGM_MAX_COMPONENTS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (gsize i = 0; i < n; i++)
    {
      if (isnan (x[i]))
        continue;
      if (isinf (x[i]))
        {
          g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                       "Cannot fit a mixture model: value %" G_GSIZE_FORMAT
                       " is infinite; remove or clean infinite values first",
                       i + 1);
          return FALSE;
        }
      m++;
    }
  if (m == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "Cannot fit a mixture model: the column has no values "
                   "(%" G_GSIZE_FORMAT " rows, all missing); fill or drop the column",
                   n);
      return FALSE;
    }

  k = (guint) MIN ((gsize) max_components, m);
  xs = g_try_malloc_n (m, sizeof (double));
  if (xs == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "Cannot fit a mixture model: not enough memory for %" G_GSIZE_FORMAT
                   " values; sample fewer rows",
                   m);
      return FALSE;
    }
  m = 0;
  for (gsize i = 0; i < n; i++)
    if (!isnan (x[i]))
      xs[m++] = x[i];
  /* Sorted values make k-means a boundary search, and fix the summation
   * order whatever the input order. */
  qsort (xs, m, sizeof (double), compare_double);

  if (xs[0] == xs[m - 1])
    {
      fit_constant (bgm, xs[0]);
      return TRUE;
    }

  for (gsize i = 0; i < m; i++)
    sum += xs[i];
  post.k = k;
  post.mean_prior = sum / (double) m;
  for (gsize i = 0; i < m; i++)
    ss += (xs[i] - post.mean_prior) * (xs[i] - post.mean_prior);
  post.cov_prior = ss / (double) (m - 1);
  if (!isfinite (post.mean_prior) || !isfinite (post.cov_prior))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "Cannot fit a mixture model: the values (%g to %g) are too large "
                   "to compute their variance; rescale the column (e.g. change its unit)",
                   xs[0], xs[m - 1]);
      return FALSE;
    }

  scratch = g_try_malloc_n (m, sizeof (double));
  if (scratch == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "Cannot fit a mixture model: not enough memory for %" G_GSIZE_FORMAT
                   " values; sample fewer rows",
                   m);
      return FALSE;
    }
  rf_rng_init (&rng, seed);
  kmeans_plus_plus (xs, m, k, &rng, scratch, centres);
  g_clear_pointer (&scratch, g_free);
  kmeans_lloyd (xs, m, k, centres, bounds);

  /* The k-means clusters as hard responsibilities. */
  memset (&stats, 0, sizeof stats);
  for (guint c = 0; c < k; c++)
    {
      stats.shift[c] = centres[c];
      for (gsize i = bounds[c]; i < bounds[c + 1]; i++)
        {
          double d = xs[i] - centres[c];

          stats.nk[c] += 1.0;
          stats.sx[c] += d;
          stats.sxx[c] += d * d;
        }
    }
  m_step (&post, &stats);

  memset (bgm, 0, sizeof *bgm);
  bgm->n_components = k;
  for (guint iter = 1; iter <= MAX_ITER; iter++)
    {
      double prev = bound, resp_log_resp;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      resp_log_resp = e_step (&post, xs, m, &stats);
      m_step (&post, &stats);
      bound = lower_bound (&post, resp_log_resp);
      bgm->n_iter = iter;
      if (fabs (bound - prev) < TOL)
        {
          bgm->converged = TRUE;
          break;
        }
    }
  bgm->lower_bound = bound;

  /* Expected stick-breaking weights, renormalised. */
  for (guint c = 0; c < k; c++)
    {
      double total = post.alpha[c] + post.beta[c];

      bgm->weights[c] = post.alpha[c] / total * stick_rest;
      stick_rest *= post.beta[c] / total;
      weight_sum += bgm->weights[c];
    }
  for (guint c = 0; c < k; c++)
    {
      bgm->weights[c] /= weight_sum;
      bgm->means[c] = post.means[c];
      bgm->stds[c] = sqrt (post.covs[c]);
      bgm->active[c] = bgm->weights[c] > RF_BGM_WEIGHT_THRESHOLD;
    }
  log_offsets (&post, bgm->log_offsets);
  return TRUE;
}

guint
rf_bgm_active_modes (const RfBgm *bgm,
                     double       weight_threshold)
{
  guint count = 0;

  g_return_val_if_fail (bgm != NULL, 0);

  for (guint c = 0; c < bgm->n_components; c++)
    if (bgm->weights[c] > weight_threshold)
      count++;
  return count;
}

void
rf_bgm_responsibilities (const RfBgm *bgm,
                         double       x,
                         double      *resp)
{
  guint k;
  double max = -INFINITY, sum = 0.0;

  g_return_if_fail (bgm != NULL);
  g_return_if_fail (resp != NULL);
  g_return_if_fail (bgm->n_components >= 1 && bgm->n_components <= RF_BGM_MAX_COMPONENTS);

  k = bgm->n_components;
  if (k == 1)
    {
      resp[0] = 1.0;
      return;
    }
  for (guint c = 0; c < k; c++)
    {
      double z = (x - bgm->means[c]) / bgm->stds[c];

      resp[c] = bgm->log_offsets[c] - 0.5 * z * z;
      max = MAX (max, resp[c]);
    }
  if (!isfinite (max))
    {
      /* NaN or infinite x: no component explains it better than its weight. */
      for (guint c = 0; c < k; c++)
        resp[c] = bgm->weights[c];
      return;
    }
  for (guint c = 0; c < k; c++)
    {
      resp[c] = exp (resp[c] - max);
      sum += resp[c];
    }
  for (guint c = 0; c < k; c++)
    resp[c] /= sum;
}

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
#define LOG2_E 1.4426950408889634074

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

/* Two doubles per operation (SSE2 on x86-64, NEON on AArch64, plain code
 * elsewhere through GCC's generic vectors): the E step handles two data
 * values at once, every component's constants broadcast to both lanes. */
typedef double Vec2 __attribute__ ((vector_size (16)));
typedef guint64 Bits2 __attribute__ ((vector_size (16)));

static inline Vec2
vec2_max (Vec2 a,
          Vec2 b)
{
#ifdef __SSE2__
  return __builtin_ia32_maxpd (a, b);
#else
  Bits2 a_wins = (Bits2) (a > b);

  return (Vec2) (((Bits2) a & a_wins) | ((Bits2) b & ~a_wins));
#endif
}

/* The E step clamps log responsibilities (relative to the largest) to this:
 * exp (-600) = 3e-261, negligible beside a sum of at least 1 yet far from
 * the subnormal numbers, whose arithmetic is slow on many CPUs. */
#define LOG_R_MIN (-600.0)

/* exp (y) for LOG_R_MIN <= y <= 0 in each lane, within 0.9 ulp of the exact
 * value. The E step spends nearly all its time here: inlined, this is a few
 * dozen vector operations where libm's exp is one call per entry.
 * y = n ln 2 + r with |r| <= ln 2 / 2; exp (r) = 1 + r + r^2 q (r), q of
 * degree 9 fitted to (exp (r) - 1 - r) / r^2 on [-0.3466, 0.3466]
 * (Chebyshev fit, error 1e-16); n is then added to the exponent bits. */
static inline Vec2
exp_negative (Vec2 y)
{
  /* Adding 1.5 * 2^52 rounds to an integer, held in the low mantissa bits. */
  const double shifter = 0x1.8p52;
  /* ln 2 in two parts: n * ln2_hi is exact for |n| < 2^20. */
  const double ln2_hi = 0x1.62e42fee00000p-1;
  const double ln2_lo = 0x1.a39ef35793c76p-33;
  Vec2 shifted, n, r, r2, r4, q, p;

  shifted = y * LOG2_E + shifter;
  n = shifted - shifter;
  r = (y - n * ln2_hi) - n * ln2_lo;

  /* Estrin's scheme: a short dependency chain, so that the exps of
   * successive components overlap in the CPU. */
  r2 = r * r;
  r4 = r2 * r2;
  q = ((0x1.0000000000001p-1 + 0x1.5555555555556p-3 * r)
       + (0x1.5555555553d64p-5 + 0x1.11111111109b4p-7 * r) * r2)
      + ((0x1.6c16c1788b646p-10 + 0x1.a01a01a7c3d59p-13 * r)
         + (0x1.a019b90eefe8ep-16 + 0x1.71de0daf7a6ccp-19 * r) * r2) * r4
      + (0x1.2891834686c7ep-22 + 0x1.af38a71a18cb9p-26 * r) * (r4 * r4);
  p = 1.0 + (r + r2 * q);

  /* p * 2^n, exactly: the low bits of shifted are n in two's complement,
   * and shifting them into the exponent field adds n to p's exponent
   * (p is near 1 and n >= -866: the result stays a normal number). */
  return (Vec2) ((Bits2) p + ((Bits2) shifted << 52));
}

/* E step over the distinct values, two at a time: values[i] occurs
 * counts[i] times (n_values is even; a padding value has count 0). The
 * responsibilities are summed into stats, weighted by the counts, and not
 * stored: memory stays O(n). Returns sum r log r. */
static double
e_step (const Posterior *post,
        const double    *values,
        const double    *counts,
        gsize            n_values,
        Stats           *stats)
{
  guint k = post->k;
  double offsets[RF_BGM_MAX_COMPONENTS];
  Vec2 mean[RF_BGM_MAX_COMPONENTS], half_precision[RF_BGM_MAX_COMPONENTS];
  Vec2 offset[RF_BGM_MAX_COMPONENTS];
  Vec2 nk[RF_BGM_MAX_COMPONENTS], sx[RF_BGM_MAX_COMPONENTS], sxx[RF_BGM_MAX_COMPONENTS];
  Vec2 r_log_r[RF_BGM_MAX_COMPONENTS];
  Vec2 count_log_sum = { 0.0, 0.0 };
  double entropy_sum = 0.0;

  g_assert (n_values % 2 == 0);

  log_offsets (post, offsets);
  memset (stats, 0, sizeof *stats);
  for (guint c = 0; c < k; c++)
    {
      stats->shift[c] = post->means[c];
      mean[c] = (Vec2) { post->means[c], post->means[c] };
      half_precision[c] = (Vec2) { 0.5 / post->covs[c], 0.5 / post->covs[c] };
      offset[c] = (Vec2) { offsets[c], offsets[c] };
      nk[c] = sx[c] = sxx[c] = r_log_r[c] = (Vec2) { 0.0, 0.0 };
    }

  for (gsize i = 0; i < n_values; i += 2)
    {
      Vec2 x = { values[i], values[i + 1] };
      Vec2 count = { counts[i], counts[i + 1] };
      Vec2 d[RF_BGM_MAX_COMPONENTS], log_r[RF_BGM_MAX_COMPONENTS], r[RF_BGM_MAX_COMPONENTS];
      Vec2 max, sum = { 0.0, 0.0 }, weight;

      for (guint c = 0; c < k; c++)
        {
          d[c] = x - mean[c];
          log_r[c] = offset[c] - half_precision[c] * d[c] * d[c];
        }
      max = log_r[0];
      for (guint c = 1; c < k; c++)
        max = vec2_max (max, log_r[c]);
      for (guint c = 0; c < k; c++)
        {
          log_r[c] = vec2_max (log_r[c] - max, (Vec2) { LOG_R_MIN, LOG_R_MIN });
          r[c] = exp_negative (log_r[c]);
          sum += r[c];
        }
      /* The normalised responsibility is r / sum, its log log_r - log sum;
       * sum r (log_r - log sum) = sum r log_r - log sum as they sum to 1. */
      count_log_sum += count * (Vec2) { log (sum[0]), log (sum[1]) };
      weight = count / sum;
      for (guint c = 0; c < k; c++)
        {
          Vec2 rc = r[c] * weight;
          Vec2 rd = rc * d[c];

          nk[c] += rc;
          sx[c] += rd;
          sxx[c] += rd * d[c];
          r_log_r[c] += rc * log_r[c];
        }
    }

  for (guint c = 0; c < k; c++)
    {
      stats->nk[c] = nk[c][0] + nk[c][1];
      stats->sx[c] = sx[c][0] + sx[c][1];
      stats->sxx[c] = sxx[c][0] + sxx[c][1];
      entropy_sum += r_log_r[c][0] + r_log_r[c][1];
    }
  return entropy_sum - (count_log_sum[0] + count_log_sum[1]);
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

/* Replaces the m sorted values by their distinct values, in place, and
 * writes how often each occurs to counts; pads with a value of count 0 to
 * an even number (values and counts have room for m + 1). Returns that
 * number. Sensor data is often quantised (a few hundred distinct values in
 * thousands of rows), and the E step then runs once per distinct value. */
static gsize
compress_values (double *values,
                 gsize   m,
                 double *counts)
{
  gsize n_values = 1;

  counts[0] = 1.0;
  for (gsize i = 1; i < m; i++)
    {
      if (values[i] == values[n_values - 1])
        {
          counts[n_values - 1] += 1.0;
          continue;
        }
      values[n_values] = values[i];
      counts[n_values] = 1.0;
      n_values++;
    }
  if (n_values % 2 == 1)
    {
      values[n_values] = values[n_values - 1];
      counts[n_values] = 0.0;
      n_values++;
    }
  return n_values;
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
  gsize m = 0, n_values;
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
  /* One spare slot each: compress_values may pad to an even count. */
  xs = g_try_malloc_n (m + 1, sizeof (double));
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

  scratch = g_try_malloc_n (m + 1, sizeof (double));
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

  /* xs becomes the distinct values, scratch their counts. */
  n_values = compress_values (xs, m, scratch);

  memset (bgm, 0, sizeof *bgm);
  bgm->n_components = k;
  for (guint iter = 1; iter <= MAX_ITER; iter++)
    {
      double prev = bound, resp_log_resp;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      resp_log_resp = e_step (&post, xs, scratch, n_values, &stats);
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

#include "config.h"

#include <math.h>
#include <string.h>

#include "refinery.h"
#include "rf-bgm.h"
#include "rf-test-util.h"

#define N_SAMPLES 20000

typedef struct
{
  guint  k;
  double weights[3];
  double means[3];
  double stds[3];
} Mixture;

/* n draws of mixture, the component chosen by the weights. When empirical
 * is not NULL it receives the sample's own weights, means and stds, which
 * the fit is compared with (sampling noise is not the model's error). */
static double *
sample_mixture_full (const Mixture *mix,
                     gsize          n,
                     guint64        seed,
                     Mixture       *empirical)
{
  double *x = g_new (double, n);
  double count[3] = { 0 }, sum[3] = { 0 }, sum2[3] = { 0 };
  RfRng rng;

  rf_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    {
      double u = rf_rng_uniform (&rng);
      guint c = 0;

      while (c + 1 < mix->k && u >= mix->weights[c])
        {
          u -= mix->weights[c];
          c++;
        }
      x[i] = mix->means[c] + mix->stds[c] * rf_rng_normal (&rng);
      count[c] += 1.0;
      sum[c] += x[i];
    }
  if (empirical == NULL)
    return x;

  /* Second pass for the spread: the labels are drawn again identically. */
  rf_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    {
      double u = rf_rng_uniform (&rng);
      guint c = 0;
      double d;

      while (c + 1 < mix->k && u >= mix->weights[c])
        {
          u -= mix->weights[c];
          c++;
        }
      rf_rng_normal (&rng);
      d = x[i] - sum[c] / count[c];
      sum2[c] += d * d;
    }
  empirical->k = mix->k;
  for (guint c = 0; c < mix->k; c++)
    {
      empirical->weights[c] = count[c] / (double) n;
      empirical->means[c] = sum[c] / count[c];
      empirical->stds[c] = sqrt (sum2[c] / count[c]);
    }
  return x;
}

static double *
sample_mixture (const Mixture *mix,
                gsize          n,
                guint64        seed)
{
  return sample_mixture_full (mix, n, seed, NULL);
}

/* With as many components as the mixture has, each true component is
 * matched by exactly one fitted component. */
static void
assert_recovers_exactly (const RfBgm   *bgm,
                         const Mixture *mix)
{
  g_assert_cmpuint (bgm->n_components, ==, mix->k);
  g_assert_cmpuint (rf_bgm_active_modes (bgm, RF_BGM_WEIGHT_THRESHOLD), ==, mix->k);
  for (guint t = 0; t < mix->k; t++)
    {
      guint best = 0;

      for (guint c = 1; c < bgm->n_components; c++)
        if (fabs (bgm->means[c] - mix->means[t]) < fabs (bgm->means[best] - mix->means[t]))
          best = c;
      g_assert_true (bgm->active[best]);
      g_assert_cmpfloat_with_epsilon (bgm->means[best], mix->means[t], 0.05);
      g_assert_cmpfloat_with_epsilon (bgm->stds[best] / mix->stds[t], 1.0, 0.05);
      g_assert_cmpfloat_with_epsilon (bgm->weights[best], mix->weights[t], 0.02);
    }
}

/* With 10 components, 100 iterations of variational inference do not prune
 * every superfluous component (TVAE's reference model behaves the same):
 * a true component may be covered by several fitted ones. Each fitted
 * component is grouped with the nearest true mean; every group, as a
 * mixture, has the weight, mean and std of its true component. */
static void
assert_recovers_grouped (const RfBgm   *bgm,
                         const Mixture *mix)
{
  g_assert_cmpuint (bgm->n_components, ==, RF_BGM_MAX_COMPONENTS);
  g_assert_cmpuint (rf_bgm_active_modes (bgm, RF_BGM_WEIGHT_THRESHOLD), >=, mix->k);
  for (guint t = 0; t < mix->k; t++)
    {
      double w = 0.0, wm = 0.0, wm2 = 0.0, mean, std;

      for (guint c = 0; c < bgm->n_components; c++)
        {
          guint nearest = 0;

          for (guint u = 1; u < mix->k; u++)
            if (fabs (bgm->means[c] - mix->means[u]) < fabs (bgm->means[c] - mix->means[nearest]))
              nearest = u;
          if (nearest != t)
            continue;
          w += bgm->weights[c];
          wm += bgm->weights[c] * bgm->means[c];
          wm2 += bgm->weights[c] * (bgm->stds[c] * bgm->stds[c] + bgm->means[c] * bgm->means[c]);
        }
      g_assert_cmpfloat (w, >, 0.0);
      mean = wm / w;
      std = sqrt (wm2 / w - mean * mean);
      g_assert_cmpfloat_with_epsilon (w, mix->weights[t], 0.02);
      g_assert_cmpfloat_with_epsilon (mean, mix->means[t], 0.05);
      g_assert_cmpfloat_with_epsilon (std / mix->stds[t], 1.0, 0.05);
    }
}

static void
fit_and_check (const Mixture *mix,
               guint          max_components,
               guint64        seed)
{
  Mixture empirical;
  g_autofree double *x = sample_mixture_full (mix, N_SAMPLES, seed, &empirical);
  g_autoptr(GError) error = NULL;
  RfBgm bgm;
  double weight_sum = 0.0;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (rf_bgm_fit (&bgm, x, N_SAMPLES, max_components, 42, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%u-component mixture, %u components: fit of %d values in %.1f ms, "
                  "%u iterations, converged %d",
                  mix->k, max_components, N_SAMPLES,
                  (g_get_monotonic_time () - start) / 1000.0, bgm.n_iter, bgm.converged);
  g_assert_cmpuint (bgm.n_iter, >=, 2);
  g_assert_cmpuint (bgm.n_iter, <=, 100);
  g_assert_true (isfinite (bgm.lower_bound));
  for (guint c = 0; c < bgm.n_components; c++)
    weight_sum += bgm.weights[c];
  g_assert_cmpfloat_with_epsilon (weight_sum, 1.0, 1e-12);
  for (guint t = 0; t < mix->k; t++)
    {
      /* The sample itself is close to the population it came from. */
      g_assert_cmpfloat_with_epsilon (empirical.weights[t], mix->weights[t], 0.02);
      g_assert_cmpfloat_with_epsilon (empirical.means[t], mix->means[t], 0.05);
      g_assert_cmpfloat_with_epsilon (empirical.stds[t] / mix->stds[t], 1.0, 0.05);
    }
  if (max_components == mix->k)
    assert_recovers_exactly (&bgm, &empirical);
  else
    assert_recovers_grouped (&bgm, &empirical);
}

static void
test_one_component (void)
{
  const Mixture mix = { 1, { 1.0 }, { 3.0 }, { 2.0 } };

  fit_and_check (&mix, 1, 1);
  fit_and_check (&mix, 10, 1);
}

static void
test_two_components (void)
{
  const Mixture mix = { 2, { 0.6, 0.4 }, { -10.0, 10.0 }, { 1.5, 3.0 } };

  fit_and_check (&mix, 2, 2);
  fit_and_check (&mix, 10, 2);
}

static void
test_three_components (void)
{
  const Mixture mix = { 3, { 0.2, 0.5, 0.3 }, { -5.0, 0.0, 8.0 }, { 1.0, 0.5, 2.0 } };

  fit_and_check (&mix, 3, 3);
  fit_and_check (&mix, 10, 3);
}

/* Same data and seed: bit-identical; the input order does not matter. */
static void
test_deterministic (void)
{
  const Mixture mix = { 3, { 0.2, 0.5, 0.3 }, { -5.0, 0.0, 8.0 }, { 1.0, 0.5, 2.0 } };
  g_autofree double *x = sample_mixture (&mix, 5000, 7);
  g_autofree double *reversed = g_new (double, 5000);
  RfBgm a, b, c;

  for (gsize i = 0; i < 5000; i++)
    reversed[i] = x[4999 - i];
  memset (&a, 0xAA, sizeof a);
  memset (&b, 0x55, sizeof b);
  memset (&c, 0x11, sizeof c);
  g_assert_true (rf_bgm_fit (&a, x, 5000, 10, 99, NULL, NULL));
  g_assert_true (rf_bgm_fit (&b, x, 5000, 10, 99, NULL, NULL));
  g_assert_true (rf_bgm_fit (&c, reversed, 5000, 10, 99, NULL, NULL));
  g_assert_cmpmem (&a, sizeof a, &b, sizeof b);
  g_assert_cmpmem (&a, sizeof a, &c, sizeof c);
}

/* NaN values are skipped: the fit equals the fit without them. */
static void
test_nan_skipped (void)
{
  const Mixture mix = { 2, { 0.5, 0.5 }, { 0.0, 6.0 }, { 1.0, 1.0 } };
  g_autofree double *x = sample_mixture (&mix, 3000, 11);
  g_autofree double *with_nan = g_new (double, 4500);
  RfBgm a, b;
  gsize j = 0;

  for (gsize i = 0; i < 3000; i++)
    {
      with_nan[j++] = x[i];
      if (i % 2 == 0)
        with_nan[j++] = NAN;
    }
  g_assert_cmpuint (j, ==, 4500);
  memset (&a, 0, sizeof a);
  memset (&b, 0, sizeof b);
  g_assert_true (rf_bgm_fit (&a, x, 3000, 10, 5, NULL, NULL));
  g_assert_true (rf_bgm_fit (&b, with_nan, 4500, 10, 5, NULL, NULL));
  g_assert_cmpmem (&a, sizeof a, &b, sizeof b);

  g_assert_true (rf_bgm_fit (&a, x, 3000, 2, 5, NULL, NULL));
  g_assert_true (rf_bgm_fit (&b, with_nan, 4500, 2, 5, NULL, NULL));
  g_assert_cmpmem (&a, sizeof a, &b, sizeof b);
  g_assert_cmpuint (rf_bgm_active_modes (&a, RF_BGM_WEIGHT_THRESHOLD), ==, 2);
  g_assert_cmpfloat_with_epsilon (MIN (a.means[0], a.means[1]), 0.0, 0.1);
  g_assert_cmpfloat_with_epsilon (MAX (a.means[0], a.means[1]), 6.0, 0.1);
}

static void
test_constant (void)
{
  double x[] = { 4.25, NAN, 4.25, 4.25, 4.25 };
  double resp[RF_BGM_MAX_COMPONENTS];
  g_autoptr(GError) error = NULL;
  RfBgm bgm;

  g_assert_true (rf_bgm_fit (&bgm, x, G_N_ELEMENTS (x), 10, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bgm.n_components, ==, 1);
  g_assert_cmpfloat (bgm.weights[0], ==, 1.0);
  g_assert_cmpfloat (bgm.means[0], ==, 4.25);
  g_assert_cmpfloat (bgm.stds[0], ==, 0.0);
  g_assert_true (bgm.active[0]);
  g_assert_true (bgm.converged);
  g_assert_cmpuint (bgm.n_iter, ==, 0);
  g_assert_cmpuint (rf_bgm_active_modes (&bgm, RF_BGM_WEIGHT_THRESHOLD), ==, 1);
  rf_bgm_responsibilities (&bgm, 4.25, resp);
  g_assert_cmpfloat (resp[0], ==, 1.0);
  rf_bgm_responsibilities (&bgm, -100.0, resp);
  g_assert_cmpfloat (resp[0], ==, 1.0);

  /* A single value is constant too. */
  g_assert_true (rf_bgm_fit (&bgm, (double[]) { -3.0 }, 1, 10, 1, NULL, &error));
  g_assert_cmpuint (bgm.n_components, ==, 1);
  g_assert_cmpfloat (bgm.means[0], ==, -3.0);
  g_assert_cmpfloat (bgm.stds[0], ==, 0.0);
}

/* Fewer values than components: one component per value at most, and the
 * result is finite and normalised. */
static void
test_tiny (void)
{
  double two[] = { 1.0, 2.0 };
  double three[] = { 0.0, 0.0, 10.0 };
  double resp[RF_BGM_MAX_COMPONENTS];
  g_autoptr(GError) error = NULL;
  RfBgm bgm;
  double sum = 0.0;

  g_assert_true (rf_bgm_fit (&bgm, two, 2, 10, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bgm.n_components, ==, 2);
  for (guint c = 0; c < 2; c++)
    {
      g_assert_true (isfinite (bgm.means[c]));
      g_assert_cmpfloat (bgm.stds[c], >, 0.0);
      sum += bgm.weights[c];
    }
  g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-12);

  g_assert_true (rf_bgm_fit (&bgm, three, 3, 10, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bgm.n_components, ==, 3);
  rf_bgm_responsibilities (&bgm, 10.0, resp);
  g_assert_cmpfloat_with_epsilon (resp[0] + resp[1] + resp[2], 1.0, 1e-12);

  /* max_components 1: a single Gaussian with the data mean. */
  g_assert_true (rf_bgm_fit (&bgm, three, 3, 1, 1, NULL, &error));
  g_assert_cmpuint (bgm.n_components, ==, 1);
  g_assert_cmpfloat (bgm.weights[0], ==, 1.0);
  g_assert_true (bgm.active[0]);
  /* (1 * prior mean + 3 * sample mean) / (1 + 3), both 10/3 */
  g_assert_cmpfloat_with_epsilon (bgm.means[0], 10.0 / 3.0, 1e-9);
  /* (covariance prior 100/3 + 3 * (200/9 + 1e-6 regularisation)) / dof 4 */
  g_assert_cmpfloat_with_epsilon (bgm.stds[0], sqrt ((100.0 + 3e-6) / 4.0), 1e-9);
  g_assert_true (bgm.converged);
  g_assert_cmpuint (bgm.n_iter, ==, 2);
}

static void
test_errors (void)
{
  double all_nan[] = { NAN, NAN, NAN };
  double with_inf[] = { 1.0, 2.0, INFINITY, 3.0 };
  double huge[] = { -1e300, 0.0, 1e300 };
  RfBgm bgm;
  GError *error = NULL;

  g_assert_false (rf_bgm_fit (&bgm, NULL, 0, 10, 1, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
  g_clear_error (&error);

  g_assert_false (rf_bgm_fit (&bgm, all_nan, 3, 10, 1, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, "3 rows, all missing"));
  g_clear_error (&error);

  g_assert_false (rf_bgm_fit (&bgm, with_inf, 4, 10, 1, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "value 3 is infinite"));
  g_clear_error (&error);

  g_assert_false (rf_bgm_fit (&bgm, huge, 3, 10, 1, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_clear_error (&error);
}

static void
test_cancelled (void)
{
  const Mixture mix = { 1, { 1.0 }, { 0.0 }, { 1.0 } };
  g_autofree double *x = sample_mixture (&mix, 100, 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  RfBgm bgm;

  g_cancellable_cancel (cancellable);
  g_assert_false (rf_bgm_fit (&bgm, x, 100, 10, 1, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_responsibilities (void)
{
  const Mixture mix = { 3, { 0.2, 0.5, 0.3 }, { -5.0, 0.0, 8.0 }, { 1.0, 0.5, 2.0 } };
  g_autofree double *x = sample_mixture (&mix, N_SAMPLES, 3);
  double probes[] = { -1e6, -5.0, -2.5, 0.0, 0.3, 4.0, 8.0, 1e6, NAN, INFINITY };
  RfBgm bgm;

  g_assert_true (rf_bgm_fit (&bgm, x, N_SAMPLES, 10, 42, NULL, NULL));
  for (guint p = 0; p < G_N_ELEMENTS (probes); p++)
    {
      double resp[RF_BGM_MAX_COMPONENTS];
      double sum = 0.0;

      rf_bgm_responsibilities (&bgm, probes[p], resp);
      for (guint c = 0; c < bgm.n_components; c++)
        {
          g_assert_cmpfloat (resp[c], >=, 0.0);
          g_assert_cmpfloat (resp[c], <=, 1.0);
          sum += resp[c];
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-12);
    }

  /* At each true mean, the components nearest that mean (several may
   * share a true component, see assert_recovers_grouped) take almost all. */
  for (guint t = 0; t < mix.k; t++)
    {
      double resp[RF_BGM_MAX_COMPONENTS];
      double group = 0.0;

      rf_bgm_responsibilities (&bgm, mix.means[t], resp);
      for (guint c = 0; c < bgm.n_components; c++)
        {
          guint nearest = 0;

          for (guint u = 1; u < mix.k; u++)
            if (fabs (bgm.means[c] - mix.means[u]) < fabs (bgm.means[c] - mix.means[nearest]))
              nearest = u;
          if (nearest == t)
            group += resp[c];
        }
      g_assert_cmpfloat (group, >, 0.99);
    }

  /* With three components, one per true component. */
  g_assert_true (rf_bgm_fit (&bgm, x, N_SAMPLES, 3, 42, NULL, NULL));
  for (guint t = 0; t < mix.k; t++)
    {
      double resp[RF_BGM_MAX_COMPONENTS];
      guint best = 0;

      for (guint c = 1; c < bgm.n_components; c++)
        if (fabs (bgm.means[c] - mix.means[t]) < fabs (bgm.means[best] - mix.means[t]))
          best = c;
      rf_bgm_responsibilities (&bgm, mix.means[t], resp);
      g_assert_cmpfloat (resp[best], >, 0.99);
      g_assert_cmpfloat_with_epsilon (resp[0] + resp[1] + resp[2], 1.0, 1e-12);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/bgm/one-component", test_one_component);
  g_test_add_func ("/rf/bgm/two-components", test_two_components);
  g_test_add_func ("/rf/bgm/three-components", test_three_components);
  g_test_add_func ("/rf/bgm/deterministic", test_deterministic);
  g_test_add_func ("/rf/bgm/nan-skipped", test_nan_skipped);
  g_test_add_func ("/rf/bgm/constant", test_constant);
  g_test_add_func ("/rf/bgm/tiny", test_tiny);
  g_test_add_func ("/rf/bgm/errors", test_errors);
  g_test_add_func ("/rf/bgm/cancelled", test_cancelled);
  g_test_add_func ("/rf/bgm/responsibilities", test_responsibilities);

  return g_test_run ();
}

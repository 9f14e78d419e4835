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

/* ------------------------------------------------------------------------ */
/* Pinned results                                                           */

/* Fits computed by the first implementation (one libm exp per value and
 * component, one pass over every value), kept so that faster ones can be
 * checked against it. Equal within PIN_TOLERANCE relative, not bit for
 * bit: a one-ulp change in a single exp moves a 100-iteration fit by up to
 * ~1e-10 relative (and libm's own exp differs between CPUs). */
#define PIN_TOLERANCE 1e-9

typedef struct
{
  guint    n_components;
  guint    n_iter;
  gboolean converged;
  double   lower_bound;
  /* per component: weight, mean, std, log offset */
  double   components[RF_BGM_MAX_COMPONENTS][4];
} Pinned;

static void
assert_close (double      value,
              double      expected,
              const char *what,
              guint       c)
{
  double scale = MAX (fabs (expected), 1e-300);

  if (fabs (value - expected) > PIN_TOLERANCE * scale)
    g_test_message ("%s of component %u: %.17g, pinned %.17g (relative difference %.3g)",
                    what, c, value, expected, fabs (value - expected) / scale);
  g_assert_cmpfloat_with_epsilon (value, expected, PIN_TOLERANCE * scale);
}

static void
assert_pinned (const RfBgm  *bgm,
               const Pinned *pinned)
{
  g_assert_cmpuint (bgm->n_components, ==, pinned->n_components);
  g_assert_cmpuint (bgm->n_iter, ==, pinned->n_iter);
  g_assert_cmpint (bgm->converged, ==, pinned->converged);
  assert_close (bgm->lower_bound, pinned->lower_bound, "lower bound", 0);
  for (guint c = 0; c < pinned->n_components; c++)
    {
      assert_close (bgm->weights[c], pinned->components[c][0], "weight", c);
      assert_close (bgm->means[c], pinned->components[c][1], "mean", c);
      assert_close (bgm->stds[c], pinned->components[c][2], "std", c);
      assert_close (bgm->log_offsets[c], pinned->components[c][3], "log offset", c);
      g_assert_cmpint (bgm->active[c], ==, pinned->components[c][0] > RF_BGM_WEIGHT_THRESHOLD);
    }
}

/* C-MAPSS FD001's s_2: 20,631 values, 310 distinct (two decimals); ten
 * components do not converge in 100 iterations. */
static void
test_pinned_fd001 (void)
{
  static const Pinned pinned = {
    10, 100, FALSE, 4089.511890999629,
    {
      { 0.054565505657444002, 641.89708579049068, 0.25151899696782831, -2.448363538279815 },
      { 0.11927311906557708, 642.0882678904569, 0.17646446170102101, -1.3112274300744571 },
      { 0.14714154281692893, 642.31201746415968, 0.1450076638771382, -0.90480001821056977 },
      { 0.16029464516456476, 642.52037433272085, 0.12714645879568118, -0.68769383621009439 },
      { 0.14429637533320439, 642.71609238318752, 0.13367177645232278, -0.84293610823468645 },
      { 0.12179169884468273, 642.89256565338849, 0.13350324821996651, -1.0113247157466576 },
      { 0.10028812266268655, 643.12818712016519, 0.15901651943044406, -1.3805997703298103 },
      { 0.070241846127539712, 643.33929497568931, 0.24521027811456886, -2.1701205286979088 },
      { 0.060934124749576254, 643.55167275185772, 0.29760873955623096, -2.5060924186898346 },
      { 0.021173019577795559, 643.54332036435585, 0.34548519114509435, -3.7145613477410095 },
    },
  };
  g_autofree char *path = rf_test_shared_path ("corpus/real/train_FD001.csv");
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GError) error = NULL;
  RfColumn *column;
  RfBgm bgm;
  gint64 start;

  if (path == NULL)
    return;
  table = rf_read_file (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  column = rf_table_find_column (table, "s_2");
  g_assert_nonnull (column);
  g_assert_cmpint (column->type, ==, RF_COLUMN_DOUBLE);
  g_assert_cmpuint (column->n_rows, ==, 20631);

  start = g_get_monotonic_time ();
  g_assert_true (rf_bgm_fit (&bgm, column->values.f64, column->n_rows, 10, 42, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("FD001 s_2: fit of %" G_GSIZE_FORMAT " values in %.1f ms",
                  column->n_rows, (g_get_monotonic_time () - start) / 1000.0);
  assert_pinned (&bgm, &pinned);
}

/* All values distinct, an odd number of them: 100 iterations with ten
 * components (one of them all but dead), convergence in 5 with three. */
static void
test_pinned_mixture (void)
{
  static const Pinned pinned_10 = {
    10, 100, FALSE, -7155.0322011748194,
    {
      { 0.00028220009495174327, 1.5094119202425602, 4.8966060221990979, -11.856429825859818 },
      { 0.19536216343313548, -5.0063410571997666, 1.0207267514251419, -2.5737886096710021 },
      { 0.00028196408022194996, 1.5093828531007965, 4.8966028478326864, -11.857760180875232 },
      { 0.32771896478049334, -0.017250602720911973, 0.48605755249232196, -1.3139237707584699 },
      { 0.16681224814108042, -0.007536636718485942, 0.57116306079659251, -2.1514406242776576 },
      { 0.00028127765134143264, 1.5092988282575324, 4.896593678192021, -11.861629022312082 },
      { 0.060469801856590955, 7.7579066655517614, 2.1940283929215103, -4.5151396104078199 },
      { 0.13690579542411468, 7.9389194155105729, 1.850063950734145, -3.524705824055784 },
      { 0.1118853858113395, 8.1225422790310997, 2.0336033631634862, -3.8215983088227752 },
      { 1.9872673059638584e-07, 1.4876993419790108, 4.8943914600588601, -1012.7419084859984 },
    },
  };
  static const Pinned pinned_3 = {
    3, 5, TRUE, -7048.1451201526952,
    {
      { 0.19557368633872971, -5.004467963741174, 1.0236531157132038, -2.575568139603007 },
      { 0.49459593127506668, -0.014244853827995542, 0.50526946557280128, -0.94079575728656106 },
      { 0.30983038238620364, 7.9781533883584617, 1.9720107985597986, -2.7705901496027043 },
    },
  };
  const Mixture mix = { 3, { 0.2, 0.5, 0.3 }, { -5.0, 0.0, 8.0 }, { 1.0, 0.5, 2.0 } };
  g_autofree double *x = sample_mixture (&mix, 5001, 7);
  RfBgm bgm;

  g_assert_true (rf_bgm_fit (&bgm, x, 5001, 10, 99, NULL, NULL));
  assert_pinned (&bgm, &pinned_10);
  g_assert_true (rf_bgm_fit (&bgm, x, 5001, 3, 99, NULL, NULL));
  assert_pinned (&bgm, &pinned_3);
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
  g_test_add_func ("/rf/bgm/pinned-fd001", test_pinned_fd001);
  g_test_add_func ("/rf/bgm/pinned-mixture", test_pinned_mixture);

  return g_test_run ();
}

#include "config.h"

#include <math.h>
#include <string.h>

#include "refinery.h"
#include "rf-test-util.h"

/* The published xoshiro256** outputs for the state {1, 2, 3, 4}. */
static void
test_reference_sequence (void)
{
  RfRng rng = { { 1, 2, 3, 4 } };

  g_assert_cmpuint (rf_rng_next_u64 (&rng), ==, G_GUINT64_CONSTANT (11520));
  g_assert_cmpuint (rf_rng_next_u64 (&rng), ==, G_GUINT64_CONSTANT (0));
  g_assert_cmpuint (rf_rng_next_u64 (&rng), ==, G_GUINT64_CONSTANT (1509978240));
  g_assert_cmpuint (rf_rng_next_u64 (&rng), ==, G_GUINT64_CONSTANT (1215971899390074240));
}

/* Seeding goes through SplitMix64: its first output for seed 0 is known. */
static void
test_seeding (void)
{
  RfRng a, b;

  rf_rng_init (&a, 0);
  g_assert_cmpuint (a.s[0], ==, G_GUINT64_CONSTANT (0xe220a8397b1dcdaf));
  rf_rng_init (&a, 42);
  rf_rng_init (&b, 42);
  for (int i = 0; i < 100; i++)
    g_assert_cmpuint (rf_rng_next_u64 (&a), ==, rf_rng_next_u64 (&b));
  rf_rng_init (&b, 43);
  g_assert_cmpuint (rf_rng_next_u64 (&a), !=, rf_rng_next_u64 (&b));
}

static void
test_streams (void)
{
  RfRng s0, s1, manual, s2;

  rf_rng_init_stream (&s0, 7, 0);
  rf_rng_init_stream (&s1, 7, 1);
  rf_rng_init_stream (&s2, 7, 2);
  rf_rng_init (&manual, 7);
  rf_rng_jump (&manual);
  for (int i = 0; i < 4; i++)
    g_assert_cmpuint (s1.s[i], ==, manual.s[i]);
  g_assert_cmpuint (rf_rng_next_u64 (&s0), !=, rf_rng_next_u64 (&s1));
  g_assert_cmpuint (rf_rng_next_u64 (&s1), !=, rf_rng_next_u64 (&s2));
}

static void
test_uniform (void)
{
  RfRng rng;
  double sum = 0.0;
  const int n = 200000;

  rf_rng_init (&rng, 1);
  for (int i = 0; i < n; i++)
    {
      double u = rf_rng_uniform (&rng);
      float f = rf_rng_uniform_f (&rng);
      g_assert_cmpfloat (u, >=, 0.0);
      g_assert_cmpfloat (u, <, 1.0);
      g_assert_cmpfloat (f, >=, 0.0f);
      g_assert_cmpfloat (f, <, 1.0f);
      sum += u;
    }
  /* mean of U(0,1) over n draws: sd = 1/sqrt(12 n) ≈ 0.00065 */
  g_assert_cmpfloat (fabs (sum / n - 0.5), <, 0.004);
}

static void
test_below (void)
{
  RfRng rng;
  guint counts[6] = { 0 };
  const int n = 60000;

  rf_rng_init (&rng, 2);
  for (int i = 0; i < n; i++)
    {
      guint64 v = rf_rng_below (&rng, 6);
      g_assert_cmpuint (v, <, 6);
      counts[v]++;
    }
  for (int k = 0; k < 6; k++)
    g_assert_cmpuint (counts[k], >, 9500);
  g_assert_cmpuint (rf_rng_below (&rng, 1), ==, 0);
}

static void
test_normal (void)
{
  RfRng rng;
  double sum = 0.0, sum2 = 0.0;
  const int n = 200000;

  rf_rng_init (&rng, 3);
  for (int i = 0; i < n; i++)
    {
      double z = rf_rng_normal (&rng);
      sum += z;
      sum2 += z * z;
    }
  g_assert_cmpfloat (fabs (sum / n), <, 0.01);
  g_assert_cmpfloat (fabs (sum2 / n - 1.0), <, 0.02);
}

static int
compare_float (gconstpointer a,
               gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;
  return (x > y) - (x < y);
}

/* The ziggurat fill against the normal distribution: the Kolmogorov-Smirnov
 * distance of a million draws to the normal CDF, the moments and the tails
 * (where a wrong table would show first). */
static void
test_normal_fill (void)
{
  const gsize n = 1000000;
  g_autofree float *z = g_new (float, n);
  g_autofree float *again = g_new (float, n);
  RfRng rng;
  double sum = 0.0, sum2 = 0.0, sum4 = 0.0, ks = 0.0;
  gsize beyond3 = 0, beyond4 = 0;

  rf_rng_init (&rng, 11);
  rf_rng_normal_fill_f (&rng, z, n);
  rf_rng_init (&rng, 11);
  rf_rng_normal_fill_f (&rng, again, n);
  g_assert_cmpmem (z, n * sizeof (float), again, n * sizeof (float));

  for (gsize i = 0; i < n; i++)
    {
      double x = z[i];
      g_assert_true (isfinite (x));
      sum += x;
      sum2 += x * x;
      sum4 += x * x * x * x;
      beyond3 += fabs (x) > 3.0;
      beyond4 += fabs (x) > 4.0;
    }
  g_assert_cmpfloat (fabs (sum / n), <, 0.005);
  g_assert_cmpfloat (fabs (sum2 / n - 1.0), <, 0.01);
  g_assert_cmpfloat (fabs (sum4 / n - 3.0), <, 0.06);
  /* P(|Z| > 3) = 0.0026998, P(|Z| > 4) = 6.334e-5: about 2700 and 63. */
  g_assert_cmpuint (beyond3, >, 2500);
  g_assert_cmpuint (beyond3, <, 2900);
  g_assert_cmpuint (beyond4, >, 35);
  g_assert_cmpuint (beyond4, <, 95);

  qsort (z, n, sizeof (float), compare_float);
  for (gsize i = 0; i < n; i++)
    {
      double cdf = 0.5 * erfc (-z[i] / sqrt (2.0));
      ks = MAX (ks, MAX (fabs (cdf - (double) i / n), fabs ((double) (i + 1) / n - cdf)));
    }
  /* The 1% critical value of the one-sample KS test is 1.63 / sqrt (n). */
  g_assert_cmpfloat (ks, <, 1.63 / sqrt ((double) n));
}

/* The fill as published (every wedge point through exp(), the state in
 * memory) and the fast one (squeezes, the state in registers) give the
 * same values and leave the same state: over some 24 million values,
 * about 670,000 of them through the slow path, in lengths odd and even. */
static void
test_normal_fill_definition (void)
{
  static const gsize lengths[] = { 0, 1, 2, 3, 31, 32768, 1000001 };
  const gsize n = 1000001;
  g_autofree float *fast = g_new (float, n);
  g_autofree float *slow = g_new (float, n);

  for (guint64 seed = 0; seed < 4; seed++)
    for (guint l = 0; l < G_N_ELEMENTS (lengths); l++)
      for (guint repeat = 0; repeat < (lengths[l] > 100000 ? 6 : 3); repeat++)
        {
          RfRng a, b;

          rf_rng_init_stream (&a, seed, l + repeat);
          b = a;
          rf_rng_normal_fill_f (&a, fast, lengths[l]);
          _rf_rng_normal_fill_f_definition (&b, slow, lengths[l]);
          g_assert_cmpmem (fast, lengths[l] * sizeof (float), slow, lengths[l] * sizeof (float));
          g_assert_cmpmem (a.s, sizeof a.s, b.s, sizeof b.s);
        }
}

/* The squeezes never disagree with exp() on a dense grid of every layer's
 * wedge, nor on points within 1e-16 to 1e-2 of the density. */
static void
test_normal_fill_squeeze (void)
{
  g_assert_cmpuint (_rf_rng_ziggurat_self_check (300), ==, 0);
}

/* The values of this code before the squeezes came in: rf_rng_normal_fill_f
 * must not change what a seed draws (models trained and samples drawn
 * with a seed stay reproducible). FNV-1a of the floats' bits of 27 fills
 * of lengths 0 to 100003 from seed 2024, and the state after. */
static void
test_normal_fill_unchanged (void)
{
  static const gsize lengths[] = { 0, 1, 2, 3, 7, 255, 256, 4097, 100003 };
  g_autofree float *out = g_new (float, 100003);
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  RfRng rng;

  rf_rng_init (&rng, 2024);
  for (guint round = 0; round < 3; round++)
    for (guint l = 0; l < G_N_ELEMENTS (lengths); l++)
      {
        rf_rng_normal_fill_f (&rng, out, lengths[l]);
        for (gsize i = 0; i < lengths[l]; i++)
          {
            guint32 bits;

            memcpy (&bits, out + i, sizeof bits);
            for (int k = 0; k < 4; k++)
              hash = (hash ^ ((bits >> (8 * k)) & 0xff)) * G_GUINT64_CONSTANT (0x100000001b3);
          }
      }
  g_assert_cmphex (hash, ==, G_GUINT64_CONSTANT (0x2def62629a7acbf0));
  g_assert_cmphex (rng.s[0], ==, G_GUINT64_CONSTANT (0x1534eb6803f38b25));
  g_assert_cmphex (rng.s[1], ==, G_GUINT64_CONSTANT (0x022a404d6bf4a08f));
  g_assert_cmphex (rng.s[2], ==, G_GUINT64_CONSTANT (0x1b899c28260f3b13));
  g_assert_cmphex (rng.s[3], ==, G_GUINT64_CONSTANT (0xe04bf4a95763f032));
}

/* rf_rng_uniform_fill_f is rf_rng_uniform_f n times. */
static void
test_uniform_fill (void)
{
  float out[257];
  RfRng a, b;

  rf_rng_init (&a, 5);
  b = a;
  for (gsize n = 0; n <= G_N_ELEMENTS (out); n += 64)
    {
      rf_rng_uniform_fill_f (&a, out, n);
      for (gsize i = 0; i < n; i++)
        g_assert_cmpfloat (out[i], ==, rf_rng_uniform_f (&b));
      g_assert_cmpmem (a.s, sizeof a.s, b.s, sizeof b.s);
    }
  rf_rng_uniform_fill_f (&a, out, 1);
  g_assert_cmpfloat (out[0], ==, rf_rng_uniform_f (&b));
}

static void
test_shuffle (void)
{
  RfRng a, b;
  guint x[100], y[100];
  gboolean seen[100] = { FALSE };
  gboolean moved = FALSE;

  for (guint i = 0; i < 100; i++)
    x[i] = y[i] = i;
  rf_rng_init (&a, 9);
  rf_rng_init (&b, 9);
  rf_rng_shuffle (&a, x, 100);
  rf_rng_shuffle (&b, y, 100);
  for (guint i = 0; i < 100; i++)
    {
      g_assert_cmpuint (x[i], ==, y[i]);
      g_assert_false (seen[x[i]]);
      seen[x[i]] = TRUE;
      moved |= x[i] != i;
    }
  g_assert_true (moved);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/rng/reference-sequence", test_reference_sequence);
  g_test_add_func ("/rf/rng/seeding", test_seeding);
  g_test_add_func ("/rf/rng/streams", test_streams);
  g_test_add_func ("/rf/rng/uniform", test_uniform);
  g_test_add_func ("/rf/rng/below", test_below);
  g_test_add_func ("/rf/rng/normal", test_normal);
  g_test_add_func ("/rf/rng/normal-fill", test_normal_fill);
  g_test_add_func ("/rf/rng/normal-fill-definition", test_normal_fill_definition);
  g_test_add_func ("/rf/rng/normal-fill-squeeze", test_normal_fill_squeeze);
  g_test_add_func ("/rf/rng/normal-fill-unchanged", test_normal_fill_unchanged);
  g_test_add_func ("/rf/rng/uniform-fill", test_uniform_fill);
  g_test_add_func ("/rf/rng/shuffle", test_shuffle);
  return g_test_run ();
}

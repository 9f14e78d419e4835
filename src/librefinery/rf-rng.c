#define G_LOG_DOMAIN "rf-rng"

#include "config.h"

#include <math.h>

#include "rf-rng.h"

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void
rf_rng_init (RfRng   *rng,
             guint64  seed)
{
  guint64 sm = seed;

  g_return_if_fail (rng != NULL);
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&sm);
}

void
rf_rng_init_stream (RfRng   *rng,
                    guint64  seed,
                    guint    index)
{
  rf_rng_init (rng, seed);
  for (guint i = 0; i < index; i++)
    rf_rng_jump (rng);
}

guint64
rf_rng_next_u64 (RfRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

void
rf_rng_jump (RfRng *rng)
{
  /* The published jump polynomial for 2^128 steps of xoshiro256. */
  static const guint64 jump[] = {
    G_GUINT64_CONSTANT (0x180ec6d33cfd0aba), G_GUINT64_CONSTANT (0xd5a61266f0c9392c),
    G_GUINT64_CONSTANT (0xa9582618e03fc9aa), G_GUINT64_CONSTANT (0x39abdc4529b1661c),
  };
  guint64 acc[4] = { 0, 0, 0, 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (jump); i++)
    for (int b = 0; b < 64; b++)
      {
        if (jump[i] & (G_GUINT64_CONSTANT (1) << b))
          for (int k = 0; k < 4; k++)
            acc[k] ^= rng->s[k];
        rf_rng_next_u64 (rng);
      }
  for (int k = 0; k < 4; k++)
    rng->s[k] = acc[k];
}

double
rf_rng_uniform (RfRng *rng)
{
  return (double) (rf_rng_next_u64 (rng) >> 11) * 0x1.0p-53;
}

float
rf_rng_uniform_f (RfRng *rng)
{
  return (float) (rf_rng_next_u64 (rng) >> 40) * 0x1.0p-24f;
}

guint64
rf_rng_below (RfRng   *rng,
              guint64  bound)
{
  guint64 threshold, r;

  g_return_val_if_fail (bound > 0, 0);
  /* Reject the few values that would make r % bound uneven. */
  threshold = -bound % bound;
  do
    r = rf_rng_next_u64 (rng);
  while (r < threshold);
  return r % bound;
}

double
rf_rng_normal (RfRng *rng)
{
  double u, v, s;

  do
    {
      u = 2.0 * rf_rng_uniform (rng) - 1.0;
      v = 2.0 * rf_rng_uniform (rng) - 1.0;
      s = u * u + v * v;
    }
  while (s >= 1.0 || s == 0.0);
  /* The second variate (v * factor) is dropped so that one call always
   * consumes the same draws: simple, and reproducible across threads. */
  return u * sqrt (-2.0 * log (s) / s);
}

void
rf_rng_shuffle (RfRng *rng,
                guint *indices,
                gsize  n)
{
  for (gsize i = n; i > 1; i--)
    {
      gsize j = (gsize) rf_rng_below (rng, i);
      guint tmp = indices[i - 1];
      indices[i - 1] = indices[j];
      indices[j] = tmp;
    }
}

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

/* Ziggurat tables (Marsaglia and Tsang, "The Ziggurat Method for Generating
 * Random Variables", 2000): 128 layers of equal area under the normal
 * density; layer 0 is the base strip plus the tail beyond ZIGGURAT_R. */
#define ZIGGURAT_LAYERS 128
#define ZIGGURAT_R 3.442619855899
#define ZIGGURAT_AREA 9.91256303526217e-3

typedef struct
{
  guint32 k[ZIGGURAT_LAYERS];   /* |j| < k[i] accepts at once */
  double  w[ZIGGURAT_LAYERS];   /* scale from a 32-bit signed j to x */
  double  f[ZIGGURAT_LAYERS];   /* density at each layer's edge */
} Ziggurat;

static const Ziggurat *
ziggurat_tables (void)
{
  static Ziggurat zig;
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      const double m = 2147483648.0;   /* 2^31 */
      double d = ZIGGURAT_R, t = ZIGGURAT_R;
      double q = ZIGGURAT_AREA / exp (-0.5 * d * d);

      zig.k[0] = (guint32) ((d / q) * m);
      zig.k[1] = 0;
      zig.w[0] = q / m;
      zig.w[ZIGGURAT_LAYERS - 1] = d / m;
      zig.f[0] = 1.0;
      zig.f[ZIGGURAT_LAYERS - 1] = exp (-0.5 * d * d);
      for (int i = ZIGGURAT_LAYERS - 2; i >= 1; i--)
        {
          d = sqrt (-2.0 * log (ZIGGURAT_AREA / d + exp (-0.5 * d * d)));
          zig.k[i + 1] = (guint32) ((d / t) * m);
          t = d;
          zig.f[i] = exp (-0.5 * d * d);
          zig.w[i] = d / m;
        }
      g_once_init_leave (&done, 1);
    }
  return &zig;
}

/* The slow path: a draw outside the rectangle of its layer. */
static double
ziggurat_fix (RfRng          *rng,
              const Ziggurat *zig,
              gint32          j,
              guint           i)
{
  for (;;)
    {
      double x = j * zig->w[i];

      if (i == 0)
        {
          /* The tail beyond R, by Marsaglia's exponential method. */
          double y;
          do
            {
              x = -log (1.0 - rf_rng_uniform (rng)) / ZIGGURAT_R;
              y = -log (1.0 - rf_rng_uniform (rng));
            }
          while (y + y < x * x);
          return j > 0 ? ZIGGURAT_R + x : -ZIGGURAT_R - x;
        }
      if (zig->f[i] + rf_rng_uniform (rng) * (zig->f[i - 1] - zig->f[i]) < exp (-0.5 * x * x))
        return x;

      guint64 r = rf_rng_next_u64 (rng);
      /* Layer and value from separate bits, so they are independent. */
      i = r & (ZIGGURAT_LAYERS - 1);
      j = (gint32) (r >> 32);
      if ((guint32) ABS ((gint64) j) < zig->k[i])
        return j * zig->w[i];
    }
}

/* One value from a 32-bit draw j whose low 7 bits pick the layer, as in
 * Marsaglia and Tsang's generator: within a layer the value then has
 * 2^-24 relative resolution, that of a float. */
static inline float
ziggurat_value (RfRng          *rng,
                const Ziggurat *zig,
                gint32          j)
{
  guint i = (guint32) j & (ZIGGURAT_LAYERS - 1);

  if (G_LIKELY ((guint32) ABS ((gint64) j) < zig->k[i]))
    return (float) (j * zig->w[i]);
  return (float) ziggurat_fix (rng, zig, j, i);
}

void
rf_rng_normal_fill_f (RfRng *rng,
                      float *out,
                      gsize  n)
{
  const Ziggurat *zig = ziggurat_tables ();
  gsize o = 0;

  /* Two values per 64-bit draw. */
  for (; o + 2 <= n; o += 2)
    {
      guint64 r = rf_rng_next_u64 (rng);
      out[o] = ziggurat_value (rng, zig, (gint32) (guint32) r);
      out[o + 1] = ziggurat_value (rng, zig, (gint32) (guint32) (r >> 32));
    }
  if (o < n)
    out[o] = ziggurat_value (rng, zig, (gint32) (guint32) rf_rng_next_u64 (rng));
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

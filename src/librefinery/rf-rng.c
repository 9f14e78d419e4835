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

void
rf_rng_uniform_fill_f (RfRng *rng,
                       float *out,
                       gsize  n)
{
  /* The state in registers, not in *rng, between the draws. */
  RfRng local = *rng;

  for (gsize i = 0; i < n; i++)
    out[i] = (float) (rf_rng_next_u64 (&local) >> 40) * 0x1.0p-24f;
  *rng = local;
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
 * density; layer 0 is the base strip plus the tail beyond ZIGGURAT_R. Layer
 * i > 0 spans |x| < x_i, x_i growing with i (x_0 = 0 at the peak): values
 * below x_{i-1} are accepted at once, the others lie in the layer's wedge. */
#define ZIGGURAT_LAYERS 128
#define ZIGGURAT_R 3.442619855899
#define ZIGGURAT_AREA 9.91256303526217e-3
/* Relative slack of the wedge's squeeze (see under_density): a thousand
 * times the few roundings in the bounds, the test value and exp(). */
#define SQUEEZE_SLACK 1e-12

typedef struct
{
  guint32 k[ZIGGURAT_LAYERS];         /* |j| < k[i] accepts at once */
  double  w[ZIGGURAT_LAYERS];         /* scale from a 32-bit signed j to x */
  double  f[ZIGGURAT_LAYERS];         /* density at each layer's edge */
  /* The squeezes of layer i's wedge (see under_density): */
  double  accept[ZIGGURAT_LAYERS][2]; /* y < [0] + [1] |x|: under the density */
  double  reject[ZIGGURAT_LAYERS][2]; /* y > [0] + [1] |x|: above it */
  double  h[ZIGGURAT_LAYERS];         /* x_i^2 / 2 */
  double  delta_max[ZIGGURAT_LAYERS]; /* (x_i^2 - x_{i-1}^2) / 2, rounded up */
  double  remainder[ZIGGURAT_LAYERS]; /* e^delta_max / 24, rounded up */
} Ziggurat;

/* The two lines that squeeze layer i's wedge, x in [x_{i-1}, x_i]: the
 * chord between its corners on the density and the tangent at its middle.
 * Above x = 1 the density is convex: the tangent is below it, the chord
 * above; below 1 it is concave and they swap. The layer across x = 1 gets
 * none (infinite lines). Both are moved away from the density by
 * LINE_SLACK, far more than their roundings and than how far a wedge
 * value may lie outside the interval (x_i / 2^31, where the chord
 * strays from the density by less than 1e-9). */
#define LINE_SLACK 1e-8

static void
ziggurat_lines (Ziggurat *zig,
                int       i)
{
  const double m = 2147483648.0;
  double x0 = i > 1 ? zig->w[i - 1] * m : 0.0, x1 = zig->w[i] * m;
  double xm = 0.5 * (x0 + x1), fm = exp (-0.5 * xm * xm);
  double chord = (zig->f[i] - zig->f[i - 1]) / (x1 - x0), tangent = -xm * fm;
  double chord0 = zig->f[i - 1] - chord * x0, tangent0 = fm - tangent * xm;

  if (x1 <= 1.0)
    {
      zig->accept[i][0] = chord0 - LINE_SLACK;
      zig->accept[i][1] = chord;
      zig->reject[i][0] = tangent0 + LINE_SLACK;
      zig->reject[i][1] = tangent;
    }
  else if (x0 >= 1.0)
    {
      zig->accept[i][0] = tangent0 - LINE_SLACK;
      zig->accept[i][1] = tangent;
      zig->reject[i][0] = chord0 + LINE_SLACK;
      zig->reject[i][1] = chord;
    }
  else
    {
      zig->accept[i][0] = -INFINITY;
      zig->accept[i][1] = 0.0;
      zig->reject[i][0] = INFINITY;
      zig->reject[i][1] = 0.0;
    }
}

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
      zig.h[ZIGGURAT_LAYERS - 1] = 0.5 * d * d;
      for (int i = ZIGGURAT_LAYERS - 2; i >= 1; i--)
        {
          d = sqrt (-2.0 * log (ZIGGURAT_AREA / d + exp (-0.5 * d * d)));
          zig.k[i + 1] = (guint32) ((d / t) * m);
          t = d;
          zig.f[i] = exp (-0.5 * d * d);
          zig.w[i] = d / m;
          zig.h[i] = 0.5 * d * d;
        }
      for (int i = 1; i < ZIGGURAT_LAYERS; i++)
        {
          /* A wedge value may lie below x_{i-1} by the truncation of
           * k[i], at most x_i / 2^31: delta then exceeds
           * (x_i^2 - x_{i-1}^2) / 2 by less than x_i^2 / 2^31 < 1e-8. */
          zig.delta_max[i] = zig.h[i] - (i > 1 ? zig.h[i - 1] : 0.0) + 1e-8;
          zig.remainder[i] = exp (zig.delta_max[i]) / 24.0 * (1.0 + 1e-9);
          ziggurat_lines (&zig, i);
        }
      g_once_init_leave (&done, 1);
    }
  return &zig;
}

/* Whether a point of layer i's wedge, at x and height y, lies under the
 * density: y < exp (-x^2 / 2), the test of Marsaglia and Tsang. The
 * density there is f[i] e^delta with delta = x_i^2 / 2 - x^2 / 2 in
 * [0, delta_max], and 1 + delta + delta^2 / 2 + delta^3 / 6 bounds e^delta
 * from below, with delta^4 e^delta_max / 24 added from above (Taylor).
 * Layers are thin (delta_max <= 0.73), so the bounds are close and few
 * points fall between them: only those call exp(). With SQUEEZE_SLACK on
 * either side the answer is exp()'s for every point, so the draws do not
 * change. exact: always through exp(), the definition (for tests). */
static inline gboolean
under_density (const Ziggurat *zig,
               guint           i,
               double          x,
               double          y,
               gboolean        exact)
{
  if (!exact)
    {
      double ax = fabs (x);
      double delta = zig->h[i] - 0.5 * x * x;

      /* Lines first: fewer steps to the answer for most points. */
      if (y < zig->accept[i][0] + zig->accept[i][1] * ax)
        return TRUE;
      if (y > zig->reject[i][0] + zig->reject[i][1] * ax)
        return FALSE;
      if (delta <= zig->delta_max[i])
        {
          double p = 1.0 + delta * (1.0 + delta * (0.5 + delta * (1.0 / 6.0)));
          double d2 = delta * delta;

          if (y < zig->f[i] * p * (1.0 - SQUEEZE_SLACK))
            return TRUE;
          if (y > zig->f[i] * (p + d2 * d2 * zig->remainder[i]) * (1.0 + SQUEEZE_SLACK))
            return FALSE;
        }
    }
  return y < exp (-0.5 * x * x);
}

/* The tail beyond R, by Marsaglia's exponential method (j: the draw that
 * fell in it, for the sign). Rare: out of line. */
static G_NO_INLINE double
ziggurat_tail (RfRng  *rng,
               gint32  j)
{
  double x, y;

  do
    {
      x = -log (1.0 - rf_rng_uniform (rng)) / ZIGGURAT_R;
      y = -log (1.0 - rf_rng_uniform (rng));
    }
  while (y + y < x * x);
  return j > 0 ? ZIGGURAT_R + x : -ZIGGURAT_R - x;
}

/* The slow path: a draw outside the rectangle of its layer. Inlined in the
 * fill loop so that the state stays in registers here too (one value in
 * 36 comes this way); only the tail takes a copy of it to memory. */
static inline __attribute__ ((always_inline)) double
ziggurat_fix (RfRng          *state,
              const Ziggurat *zig,
              gint32          j,
              guint           i,
              gboolean        exact)
{
  for (;;)
    {
      double x = j * zig->w[i];

      if (i == 0)
        {
          RfRng copy = *state;

          x = ziggurat_tail (&copy, j);
          *state = copy;
          return x;
        }
      if (under_density (zig, i, x, zig->f[i] + rf_rng_uniform (state) * (zig->f[i - 1] - zig->f[i]), exact))
        return x;

      guint64 r = rf_rng_next_u64 (state);
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
static inline __attribute__ ((always_inline)) float
ziggurat_value (RfRng          *state,
                const Ziggurat *zig,
                gint32          j,
                gboolean        exact)
{
  guint i = (guint32) j & (ZIGGURAT_LAYERS - 1);

  if (G_LIKELY ((guint32) ABS ((gint64) j) < zig->k[i]))
    return (float) (j * zig->w[i]);
  return (float) ziggurat_fix (state, zig, j, i, exact);
}

/* Two values per 64-bit draw. exact: the definition (the state in memory,
 * every wedge point through exp(), as this code first was); otherwise the
 * state stays in a local copy that lives in registers and the wedge is
 * squeezed: a fifth faster, with the same values. Tried here and slower:
 * eight values at a time with AVX2 (the draws stay one after another; the
 * tables by gathers or by plain loads into vectors), one branch per draw
 * rather than per value, a draw's two values converted together (SSE2). */
static inline __attribute__ ((always_inline)) void
normal_fill_scalar (RfRng          *rng,
                    const Ziggurat *zig,
                    float          *out,
                    gsize           n,
                    gboolean        exact)
{
  RfRng local = *rng;
  RfRng *state = exact ? rng : &local;
  gsize o = 0;

  for (; o + 2 <= n; o += 2)
    {
      guint64 r = rf_rng_next_u64 (state);
      out[o] = ziggurat_value (state, zig, (gint32) (guint32) r, exact);
      out[o + 1] = ziggurat_value (state, zig, (gint32) (guint32) (r >> 32), exact);
    }
  if (o < n)
    out[o] = ziggurat_value (state, zig, (gint32) (guint32) rf_rng_next_u64 (state), exact);
  if (!exact)
    *rng = local;
}

void
_rf_rng_normal_fill_f_definition (RfRng *rng,
                                  float *out,
                                  gsize  n)
{
  g_return_if_fail (rng != NULL && (out != NULL || n == 0));

  normal_fill_scalar (rng, ziggurat_tables (), out, n, TRUE);
}

guint
_rf_rng_ziggurat_self_check (guint points)
{
  const Ziggurat *zig = ziggurat_tables ();
  const double m = 2147483648.0;
  guint disagree = 0;

  for (guint i = 1; i < ZIGGURAT_LAYERS; i++)
    {
      /* The wedge and a little below it (where a value may land through
       * the truncation of k[i]), then points right on the density. */
      double x0 = (i > 1 ? zig->w[i - 1] * m : 0.0) - 2.0 * zig->w[i];
      double x1 = zig->w[i] * m;

      for (guint a = 0; a <= points; a++)
        {
          double x = x0 + (x1 - x0) * a / points;
          double on = exp (-0.5 * x * x);

          for (guint b = 0; b <= points; b++)
            {
              double y = zig->f[i] + (zig->f[i - 1] - zig->f[i]) * b / points;

              disagree += under_density (zig, i, x, y, TRUE) != under_density (zig, i, x, y, FALSE);
              disagree += under_density (zig, i, -x, y, TRUE) != under_density (zig, i, -x, y, FALSE);
            }
          for (int e = -16; e <= -2; e++)
            for (int sign = -1; sign <= 1; sign += 2)
              {
                double y = on * (1.0 + sign * pow (10.0, e));

                disagree += under_density (zig, i, x, y, TRUE) != under_density (zig, i, x, y, FALSE);
              }
          disagree += under_density (zig, i, x, on, TRUE) != under_density (zig, i, x, on, FALSE);
        }
    }
  return disagree;
}

void
rf_rng_normal_fill_f (RfRng *rng,
                      float *out,
                      gsize  n)
{
  g_return_if_fail (rng != NULL && (out != NULL || n == 0));

  normal_fill_scalar (rng, ziggurat_tables (), out, n, FALSE);
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

void
rf_rng_shuffle_rows (RfRng *rng,
                     gsize *rows,
                     gsize  n)
{
  for (gsize i = n; i > 1; i--)
    {
      gsize j = (gsize) rf_rng_below (rng, i);
      gsize tmp = rows[i - 1];
      rows[i - 1] = rows[j];
      rows[j] = tmp;
    }
}

/* rf-rng.h: the seeded random number generator of every random operation.
 *
 * Algorithm: xoshiro256** (Blackman and Vigna, 2018), 256 bits of state,
 * period 2^256 - 1, seeded from a 64-bit seed through SplitMix64 as its
 * authors recommend. Independent streams for threads come from the jump
 * function, which advances a state by 2^128 draws: stream k of a seed starts
 * k * 2^128 draws after stream 0, so streams never overlap in practice and
 * results do not depend on how many threads ran them, only on which stream
 * drew which numbers.
 *
 * An RfRng is a plain value: copy it, keep it on the stack, no free needed.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 s[4];
} RfRng;

void     rf_rng_init        (RfRng        *rng,
                             guint64       seed);
/* Stream `index` of `seed` (stream 0 equals rf_rng_init (seed)). */
void     rf_rng_init_stream (RfRng        *rng,
                             guint64       seed,
                             guint         index);
/* Advances rng by 2^128 draws. */
void     rf_rng_jump        (RfRng        *rng);

guint64  rf_rng_next_u64    (RfRng        *rng);
/* Uniform in [0, 1), 53 random bits. */
double   rf_rng_uniform     (RfRng        *rng);
/* Uniform in [0, 1), 24 random bits. */
float    rf_rng_uniform_f   (RfRng        *rng);
/* n values of rf_rng_uniform_f in one call: the same values. */
void     rf_rng_uniform_fill_f (RfRng     *rng,
                                float     *out,
                                gsize      n);
/* Uniform integer in [0, bound), without modulo bias; bound > 0. */
guint64  rf_rng_below       (RfRng        *rng,
                             guint64       bound);
/* Standard normal N(0, 1) (Marsaglia's polar method). */
double   rf_rng_normal      (RfRng        *rng);
/* Fills out with n standard normal floats (the ziggurat method of Marsaglia
 * and Tsang, 128 layers; one 64-bit draw per two values except in the
 * rare wedge and tail cases). Several times faster than rf_rng_normal: the model
 * draws millions of latent values per epoch. */
void     rf_rng_normal_fill_f (RfRng      *rng,
                               float      *out,
                               gsize       n);
/* For tests: rf_rng_normal_fill_f as Marsaglia and Tsang wrote it, every
 * wedge point through exp(); the same values, and the same state after. */
void     _rf_rng_normal_fill_f_definition (RfRng *rng,
                                           float *out,
                                           gsize  n);
/* For tests: how many of a grid of points (points + 1 by points + 1 over
 * each layer's wedge, and points next to the density) the squeezes of
 * rf_rng_normal_fill_f place on the other side of exp() from the
 * definition; 0 when they are sound. */
guint    _rf_rng_ziggurat_self_check (guint points);
/* Fisher-Yates shuffle of n row numbers (the same draws as
 * rf_rng_shuffle). */
void     rf_rng_shuffle_rows (RfRng       *rng,
                              gsize       *rows,
                              gsize        n);
/* Fisher-Yates shuffle of n indices. */
void     rf_rng_shuffle     (RfRng        *rng,
                             guint        *indices,
                             gsize         n);

G_END_DECLS

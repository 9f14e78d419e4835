/* rf-bgm.h: a variational Bayesian Gaussian mixture of one continuous column.
 *
 * The heart of TVAE's data transformer (mode-specific normalisation): each
 * continuous column is modelled as a mixture of at most
 * RF_BGM_MAX_COMPONENTS Gaussians, fitted by coordinate-ascent variational
 * inference with a Dirichlet-process (stick-breaking) weight prior, so that
 * superfluous components fade to almost zero weight. The model and its
 * priors are the ones TVAE's reference implementation uses:
 *   - weight concentration prior 0.001 (stick-breaking);
 *   - mean prior = data mean, mean precision prior 1;
 *   - degrees-of-freedom prior 1, covariance prior = data variance (n - 1);
 *   - 1e-6 added to every component variance for numerical stability;
 *   - one k-means run (k-means++ seeding from an RfRng) as initialisation;
 *   - iterations until the lower bound changes by less than 1e-3, at most
 *     100 of them.
 *
 * Constant data (all values equal, or a single value) has no spread to model:
 * rf_bgm_fit then returns one component of weight 1, mean the value and
 * std 0, every other component inactive with weight 0, n_iter 0, converged
 * TRUE and lower_bound 0. rf_bgm_responsibilities gives that component
 * responsibility 1 for every x.
 *
 * An RfBgm is a plain value: no free needed.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RF_BGM_MAX_COMPONENTS 10
#define RF_BGM_WEIGHT_THRESHOLD 0.005

typedef struct
{
  guint    n_components;                      /* components fitted, <= max_components */
  double   weights[RF_BGM_MAX_COMPONENTS];    /* expected weights, sum 1 */
  double   means[RF_BGM_MAX_COMPONENTS];
  double   stds[RF_BGM_MAX_COMPONENTS];
  gboolean active[RF_BGM_MAX_COMPONENTS];     /* weight > RF_BGM_WEIGHT_THRESHOLD */
  guint    n_iter;                            /* VI iterations run */
  gboolean converged;
  double   lower_bound;                       /* last evidence lower bound */
  /* Per component: expected log weight plus the variational normalising
   * terms of its predictive log density; used by rf_bgm_responsibilities. */
  double   log_offsets[RF_BGM_MAX_COMPONENTS];
} RfBgm;

/* Fits bgm to the n values of x; NaN values are skipped. The number of
 * components is min (max_components, number of non-NaN values);
 * max_components is 1..RF_BGM_MAX_COMPONENTS. Same data and seed give a
 * bit-identical result.
 * Errors: RF_ERROR_EMPTY when no value is left after skipping NaN,
 * RF_ERROR_INVALID for an infinite value or values too large for their
 * variance to be finite, RF_ERROR_TOO_LARGE when the working memory (two
 * doubles per value) cannot be allocated, G_IO_ERROR_CANCELLED (checked once
 * per iteration). On error bgm is unspecified.
 *
 * With 10 components, 100 iterations often do not prune every superfluous
 * component (converged FALSE): a single true mode may be covered by several
 * active components, exactly as in TVAE's reference transformer. */
gboolean rf_bgm_fit              (RfBgm         *bgm,
                                  const double  *x,
                                  gsize          n,
                                  guint          max_components,
                                  guint64        seed,
                                  GCancellable  *cancellable,
                                  GError       **error);

/* Number of components whose weight exceeds weight_threshold
 * (RF_BGM_WEIGHT_THRESHOLD in TVAE). */
guint    rf_bgm_active_modes     (const RfBgm   *bgm,
                                  double         weight_threshold);

/* Posterior probability of each of the bgm->n_components components for the
 * value x, written to resp[0 .. n_components - 1]; they sum to 1. */
void     rf_bgm_responsibilities (const RfBgm   *bgm,
                                  double         x,
                                  double        *resp);

G_END_DECLS

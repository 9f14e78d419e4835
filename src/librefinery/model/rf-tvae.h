/* rf-tvae.h: the TVAE network (Xu et al., NeurIPS 2019) over encoded rows.
 *
 * Encoder: D -> compress_dims (Linear + ReLU each) -> mu and log sigma^2
 * (embedding_dim each). Decoder: embedding_dim -> decompress_dims (Linear +
 * ReLU each) -> D, plus one learned sigma per output (start 0.1, clamped to
 * [sigma_min, sigma_max] after every step). Loss per batch, as in the
 * reference implementation:
 *
 *   loss_factor * (sum over TANH entries of (x - tanh(y))^2 / (2 sigma^2)
 *                  + log sigma, and over SOFTMAX spans of the cross-entropy
 *                  of y against the one-hot x) / batch
 *   + KL(N(mu, sigma) || N(0, 1)) / batch
 *
 * optimised by Adam with L2 weight decay (the gradient gets weight_decay *
 * parameter, as PyTorch's Adam does).
 *
 * Parameters live in one float block, gradients in a mirrored block; the
 * layers are plain functions over flat arrays (rf-nn.h). A batch is split
 * into RF_TVAE_SHARDS fixed shards, computed on up to that many threads and
 * reduced in a fixed order, so the result depends on the seed and not on the
 * thread count.
 *
 * Tensor names and shapes are those of the reference's PyTorch modules
 * (encoder.seq.0.weight [out, in], ..., decoder.sigma [D]), so a state dict
 * loaded from a Refinery model file has the layout PyTorch users expect.
 */
#pragma once

#include <gio/gio.h>

#include "rf-rng.h"
#include "rf-transformer.h"

G_BEGIN_DECLS

#define RF_TVAE_MAX_HIDDEN 4
#define RF_TVAE_SHARDS 2
/* The widest one-hot span rf_tvae_new accepts. */
#define RF_TVAE_MAX_SPAN_DIM 4096

typedef struct
{
  guint embedding_dim;                        /* 128 */
  guint n_compress;                           /* 2 */
  guint compress_dims[RF_TVAE_MAX_HIDDEN];    /* 128, 128 */
  guint n_decompress;                         /* 2 */
  guint decompress_dims[RF_TVAE_MAX_HIDDEN];  /* 128, 128 */
  float sigma_init;                           /* 0.1 */
} RfTvaeArch;

typedef struct
{
  guint    epochs;               /* 300 */
  guint    batch_size;           /* 500 */
  double   learning_rate;        /* 1e-3 */
  double   beta1;                /* 0.9 */
  double   beta2;                /* 0.999 */
  double   adam_epsilon;         /* 1e-8 */
  double   weight_decay;         /* 1e-5 */
  double   loss_factor;          /* 2 */
  double   sigma_min;            /* 0.01 */
  double   sigma_max;            /* 1 */
  double   validation_fraction;  /* 0.1; 0 trains on every row */
  guint    patience;             /* early stopping: epochs without a better
                                  * validation loss; 0 = never stop early */
  gboolean freeze_encoder;       /* train the decoder (and sigmas) only */
  guint64  seed;                 /* split, shuffles and noise */
  guint    n_threads;            /* 0 = one per core, at most RF_TVAE_SHARDS */
} RfTrainConfig;

typedef struct
{
  guint  epoch;             /* 1-based */
  guint  n_epochs;          /* the configured maximum */
  double train_loss;        /* mean batch loss of the epoch */
  double validation_loss;   /* NaN without a validation split */
  double seconds;           /* wall time of this epoch */
} RfEpochReport;

/* Called after every epoch from the training thread. */
typedef void (*RfEpochFunc) (const RfEpochReport *report,
                             gpointer             user_data);

typedef struct
{
  guint  epochs_run;
  guint  best_epoch;            /* lowest validation loss (last epoch without
                                 * a validation split) */
  gboolean stopped_early;
  double final_train_loss;
  double final_validation_loss;
  double best_validation_loss;
  double seconds;               /* training loop only */
  gsize  n_train_rows;
  gsize  n_validation_rows;
} RfTrainResult;

typedef struct _RfTvae RfTvae;

void           rf_tvae_arch_init          (RfTvaeArch          *arch);
void           rf_train_config_init       (RfTrainConfig       *config);
/* Refinement defaults: learning rate 1e-4, 100 epochs, patience 10. */
void           rf_train_config_init_refine (RfTrainConfig      *config);

/* A new network for encoded rows laid out as spans (data_dim = end of the
 * last span). Weights are initialised as PyTorch's Linear does (uniform in
 * +-1/sqrt(fan_in)), from seed. Returns NULL with RF_ERROR_INVALID for an
 * unusable architecture or layout (zero width, spans that do not tile
 * data_dim). */
RfTvae        *rf_tvae_new                (const RfTvaeArch    *arch,
                                           const RfSpan        *spans,
                                           guint                n_spans,
                                           guint64              seed,
                                           GError             **error);
RfTvae        *rf_tvae_copy               (const RfTvae        *tvae);
void           rf_tvae_free               (RfTvae              *tvae);

const RfTvaeArch *rf_tvae_get_arch        (const RfTvae        *tvae);
guint          rf_tvae_get_data_dim       (const RfTvae        *tvae);
const RfSpan  *rf_tvae_get_spans          (const RfTvae        *tvae,
                                           guint               *n_spans);

/* Trains on n_rows encoded rows (n_rows x data_dim). A seeded
 * validation_fraction of the rows is held out (at least one row each side
 * when there are two rows or more). on_epoch may be NULL. Cancellation is
 * checked between batches. With patience > 0 the weights of the best
 * validation epoch are restored at the end (early stopping). On cancel the
 * weights are those reached so far. result may be NULL.
 * Errors: RF_ERROR_EMPTY without rows, RF_ERROR_INVALID for a bad config
 * or a loss that became NaN (naming the epoch), G_IO_ERROR_CANCELLED. */
gboolean       rf_tvae_train              (RfTvae              *tvae,
                                           const float         *data,
                                           gsize                n_rows,
                                           const RfTrainConfig *config,
                                           RfEpochFunc          on_epoch,
                                           gpointer             user_data,
                                           RfTrainResult       *result,
                                           GCancellable        *cancellable,
                                           GError             **error);

/* Mean loss per row of n_rows encoded rows with the current weights (the
 * latent noise drawn from seed), as the validation loss is computed. */
double         rf_tvae_evaluate           (const RfTvae        *tvae,
                                           const float         *data,
                                           gsize                n_rows,
                                           double               loss_factor,
                                           guint64              seed);

/* Draws n latent vectors z ~ N(0, I) from rng and writes the decoder's
 * outputs to out (n x data_dim), ready for rf_transformer_decode: TANH
 * entries through tanh, and every SOFTMAX span as a one-hot drawn from
 * softmax (logits / category_temperature); temperature 0 takes the argmax,
 * as TVAE's reference does (sample_category in rf-tvae.c has the measured
 * reasons for the default, RF_DEFAULT_CATEGORY_TEMPERATURE). Reads the
 * parameters only: several threads may generate from one network at once,
 * each with its own rng. */
void           rf_tvae_generate           (const RfTvae        *tvae,
                                           RfRng               *rng,
                                           gsize                n,
                                           double               category_temperature,
                                           float               *out);
/* The learned per-output sigmas (data_dim entries). */
const float   *rf_tvae_get_sigmas         (const RfTvae        *tvae);

/* Parameter tensors, for model files: names as in the reference's PyTorch
 * state dict, shapes row major ([out, in] for weights). */
guint          rf_tvae_get_n_tensors      (const RfTvae        *tvae);
const char    *rf_tvae_get_tensor_name    (const RfTvae        *tvae,
                                           guint                index);
/* Writes the tensor's rank and shape; returns its data (n elements). */
float         *rf_tvae_get_tensor         (RfTvae              *tvae,
                                           guint                index,
                                           gsize               *shape,
                                           guint               *rank,
                                           gsize               *n_elements);

/* The flat parameter block (the tensors back to back, in tensor order). */
float         *rf_tvae_get_params         (RfTvae              *tvae,
                                           gsize               *n_params);
/* One forward and backward pass over n_rows encoded rows with the given
 * latent noise (n_rows x embedding_dim), without an optimiser step: returns
 * the loss per row as training reports it and, when grads is not NULL,
 * writes its gradient with respect to every parameter (n_params floats,
 * laid out as the parameter block). For gradient checks and tools. */
double         rf_tvae_loss_gradient      (RfTvae              *tvae,
                                           const float         *data,
                                           gsize                n_rows,
                                           const float         *noise,
                                           double               loss_factor,
                                           float               *grads);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfTvae, rf_tvae_free)

G_END_DECLS

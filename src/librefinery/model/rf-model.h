/* rf-model.h: a trained TVAE model, as a model file holds it.
 *
 * An RfModel is a fitted data transformer (rf-transformer.h), the network
 * trained on its encoding (rf-tvae.h), and the record a model file keeps
 * beside the weights: the architecture, the training configuration, every
 * epoch's losses, the schema of the data and its lineage. Once built (by
 * training, refinement or loading) a model does not change; sampling only
 * reads it, so one model may be sampled from several threads.
 *
 * Refinement (transfer learning) keeps the base model's transformer and
 * continues training a copy of its network on new data, with the refinement
 * defaults (learning rate 1e-4, up to 100 epochs, early stopping after 10
 * epochs without a better validation loss). New data that the base
 * transformer cannot represent — values further than its clip limit from
 * every mode of their column, categories it never saw — cannot be learned by
 * refinement, whatever the training does: above RF_MODEL_SCRATCH_THRESHOLD
 * (a fifth of the present values) the model recommends training from scratch
 * instead. At that level one column in five, or one value in five in every
 * column, lies outside what the base model can generate, which no fidelity
 * score survives; below it the misses are the tails of modes the base model
 * has, which refinement reweights.
 *
 * Model files are safetensors (rf-safetensors.h): every tensor of the
 * network in float32 under the names of the reference's PyTorch state dict,
 * and __metadata__ keys holding JSON texts. docs/model-format.md documents
 * every tensor and key.
 */
#pragma once

#include <gio/gio.h>

#include "rf-progress.h"
#include "rf-table.h"
#include "rf-transformer.h"
#include "rf-tvae.h"

G_BEGIN_DECLS

#define RF_MODEL_FORMAT          "refinery-tvae"
#define RF_MODEL_FORMAT_VERSION  1
/* Out-of-mode share (0..1) above which refinement recommends training from
 * scratch (see above). */
#define RF_MODEL_SCRATCH_THRESHOLD 0.2
/* Rows per sampling block: block b draws from rng stream b of the seed, so
 * the rows do not depend on the thread count. */
#define RF_MODEL_SAMPLE_BLOCK    8192
/* Sampling uses at most this many threads, whatever it is asked. */
#define RF_MODEL_MAX_SAMPLE_THREADS 64

typedef struct
{
  RfTransformerOptions transformer;   /* rf_transformer_options_init */
  RfTvaeArch           arch;          /* rf_tvae_arch_init */
  RfTrainConfig        train;         /* rf_train_config_init; train.seed also
                                       * seeds the transformer fit, the encoding
                                       * and the initial weights */
  /* Columns left out of training, NULL-terminated; NULL: none. Each must be
   * a column of the table. */
  const char * const  *exclude;
  /* Lineage: the training data's file name and SHA-256 (lowercase hex), as
   * the caller knows them; NULL: unknown (null in the file). */
  const char          *data_name;
  const char          *data_sha256;
} RfModelOptions;

/* Lineage of a model: where its data and its base model came from. Strings
 * may be NULL where unknown. */
typedef struct
{
  char   *data_name;
  char   *data_sha256;
  gsize   data_rows;
  char  **excluded_columns;   /* NULL-terminated, never NULL */
  char   *parent_name;        /* refined models: the base model's file name */
  char   *parent_sha256;      /* and the SHA-256 of its file */
  char   *created;            /* UTC ISO 8601, "2024-05-01T12:00:00Z" */
  char   *refinery_version;   /* of the Refinery that trained the model */
} RfModelLineage;

/* One line of a model's loss history. generation 0 is training from
 * scratch, 1 the first refinement of that model, and so on: a refined
 * model keeps its base's history and appends its own. */
typedef struct
{
  RfEpochReport report;
  guint         generation;
} RfModelEpoch;

/* What a refinement found (rf_model_get_refinement). */
typedef struct
{
  double   out_of_mode_share;     /* of the new data against the base transformer */
  gboolean recommend_scratch;     /* out_of_mode_share > RF_MODEL_SCRATCH_THRESHOLD */
  /* The mean loss per row of the base network and of the refined one on
   * the new rows held out for validation (the very rows and latent noise
   * rf_tvae_train validates on); NaN when nothing was held out. */
  double   base_validation_loss;
  double   refined_validation_loss;
  char    *base_path;             /* the base model file as given, or NULL */
} RfModelRefinement;

/* Wall time of the phases of the model's own training, in seconds
 * (setup = fit + encode; 0 where a phase did not run). */
typedef struct
{
  double fit;
  double encode;
  double train;
} RfModelTimings;

typedef struct _RfModel RfModel;

void              rf_model_options_init        (RfModelOptions       *options);
/* Refinement defaults: train is rf_train_config_init_refine; transformer,
 * arch and exclude are not used (the base model decides). */
void              rf_model_options_init_refine (RfModelOptions       *options);

/* Trains a model from scratch on table: fits the transformer, encodes the
 * table, trains a new network. on_epoch (may be NULL) is called after every
 * epoch from this thread; progress gets the phases and, while training, a
 * message "Epoch 12/300, loss 1.234, 0:42 left".
 * Errors: RF_ERROR_NOT_FOUND for an excluded column that is not there,
 * RF_ERROR_EMPTY without rows or without a column left, RF_ERROR_INVALID
 * when every column is constant (nothing to learn) and the transformer's and
 * the network's errors, RF_ERROR_TOO_LARGE when the encoded table does not
 * fit in memory, G_IO_ERROR_CANCELLED. */
RfModel          *rf_model_train               (const RfTable        *table,
                                                const RfModelOptions *options,
                                                RfEpochFunc           on_epoch,
                                                gpointer              user_data,
                                                RfProgress           *progress,
                                                GCancellable         *cancellable,
                                                GError              **error);

/* Refines base on table (options: rf_model_options_init_refine, then as
 * wanted, e.g. train.freeze_encoder). The table must hold the base model's
 * columns (others are ignored). The out-of-mode share is measured before
 * training; the refined model records it with the base network's loss on
 * the rows held out for validation. Errors as rf_model_train. */
RfModel          *rf_model_refine              (RfModel              *base,
                                                const RfTable        *table,
                                                const RfModelOptions *options,
                                                RfEpochFunc           on_epoch,
                                                gpointer              user_data,
                                                RfProgress           *progress,
                                                GCancellable         *cancellable,
                                                GError              **error);

RfModel          *rf_model_ref                 (RfModel              *model);
void              rf_model_unref               (RfModel              *model);

RfTransformer    *rf_model_get_transformer     (RfModel              *model);
const RfTvae     *rf_model_get_tvae            (RfModel              *model);
const RfTvaeArch *rf_model_get_arch            (RfModel              *model);
/* The configuration of the model's own training (the last generation). */
const RfTrainConfig *rf_model_get_config       (RfModel              *model);
const RfTrainResult *rf_model_get_result       (RfModel              *model);
const RfModelTimings *rf_model_get_timings     (RfModel              *model);
/* Every epoch, oldest first, the base models' epochs included. */
const RfModelEpoch *rf_model_get_history       (RfModel              *model,
                                                guint                *n_epochs);
/* 0 for a model trained from scratch, base generation + 1 when refined. */
guint             rf_model_get_generation      (RfModel              *model);
const RfModelLineage *rf_model_get_lineage     (RfModel              *model);
/* NULL unless the model was made by rf_model_refine (or loaded from a file
 * that one saved). */
const RfModelRefinement *rf_model_get_refinement (RfModel            *model);
/* The file the model was loaded from or last saved to, and its SHA-256;
 * NULL before either. */
const char       *rf_model_get_path            (RfModel              *model);
const char       *rf_model_get_sha256          (RfModel              *model);

/* Generates n_rows rows shaped like the training data. Rows are made in
 * blocks of RF_MODEL_SAMPLE_BLOCK, block b from rng stream b of seed for
 * both the network and the inverse transform, on n_threads threads (0: one
 * per core; at most RF_MODEL_MAX_SAMPLE_THREADS and one per block) while
 * this thread joins the blocks in order, so the table depends on seed
 * and not on n_threads. decode may be NULL (clip to the training range).
 * Errors: RF_ERROR_TOO_LARGE when the rows do not fit in memory,
 * G_IO_ERROR_CANCELLED (checked between blocks). */
RfTable          *rf_model_sample              (RfModel              *model,
                                                gsize                 n_rows,
                                                guint64               seed,
                                                const RfDecodeOptions *decode,
                                                guint                 n_threads,
                                                RfProgress           *progress,
                                                GCancellable         *cancellable,
                                                GError              **error);

/* Writes the model file through rf-atomic-file: an existing file at path is
 * replaced only on success. The model then records path and the file's
 * SHA-256 (rf_model_get_path, _get_sha256), which its refinements keep as
 * their parent: do not save a model while another thread reads those. */
gboolean          rf_model_save                (RfModel              *model,
                                                const char           *path,
                                                GError              **error);
/* Reads and checks a model file: the format key and version, every
 * metadata text, every tensor present with the shape the architecture and
 * the transformer imply, no other tensor, finite weights, sigmas within the
 * configured bounds. Anything else is RF_ERROR_FORMAT naming the file and
 * the fault ("… is not a Refinery model: …" for a foreign safetensors
 * file); an unreadable file is RF_ERROR_IO. */
RfModel          *rf_model_load                (const char           *path,
                                                GError              **error);

/* Writes, for a refined model, training_comparison.json (base and refined
 * loss curves, best epochs, final losses, out-of-mode share) and
 * refinement_config.json (the original plan's keys plus seed, epochs run,
 * early stop, share and recommendation) into dir, through rf-atomic-file.
 * Both are documented in docs/model-format.md. */
gboolean          rf_model_save_refinement_files (RfModel            *model,
                                                  const char         *dir,
                                                  GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfModel, rf_model_unref)

G_END_DECLS

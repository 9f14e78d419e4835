#define G_LOG_DOMAIN "rf-model"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "rf-atomic-file.h"
#include "rf-error.h"
#include "rf-json-build.h"
#include "rf-json-writer.h"
#include "rf-model.h"
#include "rf-safetensors.h"

/* Widths above this in a model file are damage, not a model: it bounds what
 * a hostile architecture text can make us allocate. */
#define MAX_WIDTH 65536

/* Seeds of the phases of training, derived from the one seed a user gives
 * so that the phases draw independent streams. The transformer's fit uses
 * the seed itself; the network's training uses train.seed as it is. */
enum
{
  SEED_ENCODE = 1,
  SEED_WEIGHTS = 2,
};

struct _RfModel
{
  gatomicrefcount ref_count;

  RfTransformer *transformer;
  RfTvae *tvae;
  RfTransformerOptions transformer_options;
  RfTrainConfig config;
  RfTrainResult result;
  RfModelTimings timings;
  GArray *history;                   /* RfModelEpoch */
  guint generation;
  RfModelLineage lineage;
  RfModelRefinement *refinement;     /* NULL unless refined */
  char *path;
  char *sha256;
};

static guint64
derive_seed (guint64 seed,
             guint   purpose)
{
  RfRng rng;

  rf_rng_init_stream (&rng, seed, purpose);
  return rf_rng_next_u64 (&rng);
}

static double
seconds_since (gint64 start_usec)
{
  return (double) (g_get_monotonic_time () - start_usec) / G_USEC_PER_SEC;
}

static char *
utc_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

void
rf_model_options_init (RfModelOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  rf_transformer_options_init (&options->transformer);
  rf_tvae_arch_init (&options->arch);
  rf_train_config_init (&options->train);
}

void
rf_model_options_init_refine (RfModelOptions *options)
{
  g_return_if_fail (options != NULL);

  rf_model_options_init (options);
  rf_train_config_init_refine (&options->train);
}

static RfModel *
model_new (void)
{
  RfModel *model = g_new0 (RfModel, 1);

  g_atomic_ref_count_init (&model->ref_count);
  model->history = g_array_new (FALSE, FALSE, sizeof (RfModelEpoch));
  model->lineage.excluded_columns = g_new0 (char *, 1);
  return model;
}

static void
refinement_free (RfModelRefinement *refinement)
{
  if (refinement == NULL)
    return;
  g_free (refinement->base_path);
  g_free (refinement);
}

static void
lineage_clear (RfModelLineage *lineage)
{
  g_clear_pointer (&lineage->data_name, g_free);
  g_clear_pointer (&lineage->data_sha256, g_free);
  g_clear_pointer (&lineage->excluded_columns, g_strfreev);
  g_clear_pointer (&lineage->parent_name, g_free);
  g_clear_pointer (&lineage->parent_sha256, g_free);
  g_clear_pointer (&lineage->created, g_free);
  g_clear_pointer (&lineage->refinery_version, g_free);
}

RfModel *
rf_model_ref (RfModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_atomic_ref_count_inc (&model->ref_count);
  return model;
}

void
rf_model_unref (RfModel *model)
{
  if (model == NULL || !g_atomic_ref_count_dec (&model->ref_count))
    return;
  g_clear_pointer (&model->transformer, rf_transformer_unref);
  g_clear_pointer (&model->tvae, rf_tvae_free);
  g_array_unref (model->history);
  lineage_clear (&model->lineage);
  refinement_free (model->refinement);
  g_free (model->path);
  g_free (model->sha256);
  g_free (model);
}

/* Accessors --------------------------------------------------------------- */

RfTransformer *
rf_model_get_transformer (RfModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->transformer;
}

const RfTvae *
rf_model_get_tvae (RfModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->tvae;
}

const RfTvaeArch *
rf_model_get_arch (RfModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return rf_tvae_get_arch (model->tvae);
}

const RfTrainConfig *
rf_model_get_config (RfModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return &model->config;
}

const RfTrainResult *
rf_model_get_result (RfModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return &model->result;
}

const RfModelTimings *
rf_model_get_timings (RfModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return &model->timings;
}

const RfModelEpoch *
rf_model_get_history (RfModel *model,
                      guint   *n_epochs)
{
  g_return_val_if_fail (model != NULL, NULL);
  if (n_epochs != NULL)
    *n_epochs = model->history->len;
  return (const RfModelEpoch *) (gpointer) model->history->data;
}

guint
rf_model_get_generation (RfModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return model->generation;
}

const RfModelLineage *
rf_model_get_lineage (RfModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return &model->lineage;
}

const RfModelRefinement *
rf_model_get_refinement (RfModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->refinement;
}

const char *
rf_model_get_path (RfModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->path;
}

const char *
rf_model_get_sha256 (RfModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return model->sha256;
}

/* Training ---------------------------------------------------------------- */

typedef struct
{
  RfModel *model;
  RfEpochFunc on_epoch;
  gpointer user_data;
  RfProgress *progress;    /* the training part of the caller's range */
  double seconds;          /* sum over the epochs so far */
} EpochContext;

static void
append_duration (GString *out,
                 double   seconds)
{
  guint64 s = (guint64) (seconds + 0.5);

  if (s >= 3600)
    g_string_append_printf (out, "%" G_GUINT64_FORMAT ":%02u:%02u", s / 3600,
                            (guint) (s / 60 % 60), (guint) (s % 60));
  else
    g_string_append_printf (out, "%u:%02u", (guint) (s / 60), (guint) (s % 60));
}

static void
on_epoch_done (const RfEpochReport *report,
               gpointer             user_data)
{
  EpochContext *context = user_data;
  RfModelEpoch entry;
  g_autoptr(GString) message = g_string_new (NULL);
  char loss[G_ASCII_DTOSTR_BUF_SIZE];

  /* memset, not an initialiser: the padding too must be zero, so that two
   * histories compare equal byte for byte. */
  memset (&entry, 0, sizeof entry);
  entry.report = *report;
  entry.generation = context->model->generation;
  g_array_append_val (context->model->history, entry);
  context->seconds += report->seconds;

  /* The estimate assumes every remaining epoch runs (early stopping may end
   * sooner): the mean epoch so far times the epochs left. */
  g_string_append_printf (message, "Epoch %u/%u, loss %s, ", report->epoch, report->n_epochs,
                          g_ascii_formatd (loss, sizeof loss, "%.4g", report->train_loss));
  append_duration (message, context->seconds / report->epoch
                            * (report->n_epochs - MIN (report->epoch, report->n_epochs)));
  g_string_append (message, " left");
  rf_progress_report (context->progress,
                      report->n_epochs > 0 ? (double) report->epoch / report->n_epochs : 1.0,
                      message->str);

  if (context->on_epoch != NULL)
    context->on_epoch (report, context->user_data);
}

static char **
copy_strv (char **strv)
{
  return strv != NULL ? g_strdupv (strv) : g_new0 (char *, 1);
}

/* table without the excluded columns (the same column objects). */
static RfTable *
without_columns (const RfTable      *table,
                 const char * const *exclude,
                 GError            **error)
{
  g_autoptr(RfTable) kept = rf_table_new ();
  guint n_columns = rf_table_get_n_columns (table);

  for (guint i = 0; exclude != NULL && exclude[i] != NULL; i++)
    if (rf_table_find_column_index (table, exclude[i]) < 0)
      {
        g_autoptr(GString) names = g_string_new (NULL);

        for (guint c = 0; c < n_columns; c++)
          g_string_append_printf (names, "%s%s", c > 0 ? ", " : "",
                                  rf_table_get_column (table, c)->name);
        g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                     "There is no column “%s” to leave out of training; the columns are: %s. "
                     "Check the spelling of the excluded columns.",
                     exclude[i], names->str);
        return NULL;
      }

  for (guint c = 0; c < n_columns; c++)
    {
      RfColumn *column = rf_table_get_column (table, c);

      if (exclude == NULL || !g_strv_contains (exclude, column->name))
        rf_table_add_column (kept, column);
    }
  if (rf_table_get_n_columns (kept) == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "Every column of the data is excluded: there is nothing to train on. "
                   "Leave out fewer columns.");
      return NULL;
    }
  return g_steal_pointer (&kept);
}

/* The table encoded by transformer, n_rows x output_dim floats. */
static float *
encode_table (const RfTransformer *transformer,
              const RfTable       *table,
              guint64              seed,
              RfProgress          *progress,
              GCancellable        *cancellable,
              GError             **error)
{
  gsize n_rows = rf_table_get_n_rows (table);
  guint dim = rf_transformer_get_output_dim (transformer);
  g_autofree float *data = NULL;

  if (n_rows > G_MAXSIZE / sizeof (float) / MAX (dim, 1))
    data = NULL;
  else
    data = g_try_malloc ((n_rows * dim + 1) * sizeof (float));
  if (data == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "The encoded data (%" G_GSIZE_FORMAT " rows × %u values) does not fit in "
                   "memory. Train on fewer rows or leave out columns with many categories.",
                   n_rows, dim);
      return NULL;
    }
  if (!rf_transformer_encode (transformer, table, seed, data, progress, cancellable, error))
    return NULL;
  return g_steal_pointer (&data);
}

static gboolean
check_rows (const RfTable  *table,
            GError        **error)
{
  if (rf_table_get_n_rows (table) == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "The training data has no rows. Train on a file with data rows.");
      return FALSE;
    }
  return TRUE;
}

RfModel *
rf_model_train (const RfTable        *table,
                const RfModelOptions *options,
                RfEpochFunc           on_epoch,
                gpointer              user_data,
                RfProgress           *progress,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(RfModel) model = NULL;
  g_autoptr(RfTable) kept = NULL;
  g_autofree float *data = NULL;
  RfProgress fit_progress = rf_progress_range (progress, 0.0, 0.05);
  RfProgress encode_progress = rf_progress_range (progress, 0.05, 0.07);
  RfProgress train_progress = rf_progress_range (progress, 0.07, 1.0);
  EpochContext context = { 0 };
  const RfSpan *spans;
  guint n_spans;
  guint64 seed;
  gint64 start;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_rows (table, error))
    return NULL;
  kept = without_columns (table, options->exclude, error);
  if (kept == NULL)
    return NULL;

  model = model_new ();
  model->transformer_options = options->transformer;
  model->config = options->train;
  seed = options->train.seed;

  start = g_get_monotonic_time ();
  model->transformer = rf_transformer_fit (kept, &options->transformer, seed, &fit_progress,
                                           cancellable, error);
  if (model->transformer == NULL)
    return NULL;
  model->timings.fit = seconds_since (start);
  if (rf_transformer_get_output_dim (model->transformer) == 0)
    {
      /* One row is the commonest way to get there: say so. */
      if (rf_table_get_n_rows (kept) == 1)
        g_set_error_literal (error, RF_ERROR, RF_ERROR_INVALID,
                             "The data has a single row: there is nothing for a model to learn. "
                             "Train on many rows (hundreds at least).");
      else
        g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                     "Every column of the data is constant: there is nothing for a model to "
                     "learn. Train on data whose values vary.");
      return NULL;
    }

  start = g_get_monotonic_time ();
  data = encode_table (model->transformer, kept, derive_seed (seed, SEED_ENCODE),
                       &encode_progress, cancellable, error);
  if (data == NULL)
    return NULL;
  model->timings.encode = seconds_since (start);

  spans = rf_transformer_get_spans (model->transformer, &n_spans);
  model->tvae = rf_tvae_new (&options->arch, spans, n_spans, derive_seed (seed, SEED_WEIGHTS),
                             error);
  if (model->tvae == NULL)
    return NULL;

  context.model = model;
  context.on_epoch = on_epoch;
  context.user_data = user_data;
  context.progress = &train_progress;
  start = g_get_monotonic_time ();
  if (!rf_tvae_train (model->tvae, data, rf_table_get_n_rows (kept), &model->config,
                      on_epoch_done, &context, &model->result, cancellable, error))
    return NULL;
  model->timings.train = seconds_since (start);

  model->lineage.data_name = g_strdup (options->data_name);
  model->lineage.data_sha256 = g_strdup (options->data_sha256);
  model->lineage.data_rows = rf_table_get_n_rows (table);
  g_strfreev (model->lineage.excluded_columns);
  model->lineage.excluded_columns = copy_strv ((char **) options->exclude);
  model->lineage.created = utc_now_iso8601 ();
  model->lineage.refinery_version = g_strdup (PACKAGE_VERSION);
  rf_progress_report (progress, 1.0, NULL);
  return g_steal_pointer (&model);
}

/* Refinement -------------------------------------------------------------- */

/* rf_tvae_train holds out the head of a permutation of the rows drawn from
 * stream 0 of the training seed, and validates with latent noise from the
 * seed xor this key. The network's header does not expose either, so they
 * are mirrored here to score the base network on exactly those rows;
 * test-model checks the mirror against the refined network's own best
 * validation loss, which must come out bit-identical. */
#define TVAE_VALIDATION_SEED_KEY G_GUINT64_CONSTANT (0x76616c6964617465)

static float *
held_out_rows (const float         *data,
               gsize                n_rows,
               guint                dim,
               const RfTrainConfig *config,
               gsize               *n_held_out)
{
  g_autofree guint *order = NULL;
  float *rows;
  RfRng rng;
  gsize n_val;

  *n_held_out = 0;
  if (!(config->validation_fraction > 0.0) || n_rows < 2)
    return NULL;
  n_val = CLAMP ((gsize) llround (config->validation_fraction * n_rows), 1, n_rows - 1);
  order = g_new (guint, n_rows);
  for (gsize i = 0; i < n_rows; i++)
    order[i] = (guint) i;
  rf_rng_init_stream (&rng, config->seed, 0);
  rf_rng_shuffle (&rng, order, n_rows);
  rows = g_new (float, n_val * dim);
  for (gsize i = 0; i < n_val; i++)
    memcpy (rows + i * dim, data + (gsize) order[i] * dim, sizeof (float) * dim);
  *n_held_out = n_val;
  return rows;
}

RfModel *
rf_model_refine (RfModel              *base,
                 const RfTable        *table,
                 const RfModelOptions *options,
                 RfEpochFunc           on_epoch,
                 gpointer              user_data,
                 RfProgress           *progress,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autoptr(RfModel) model = NULL;
  g_autofree float *data = NULL;
  g_autofree float *held_out = NULL;
  RfProgress encode_progress = rf_progress_range (progress, 0.0, 0.05);
  RfProgress train_progress = rf_progress_range (progress, 0.05, 1.0);
  EpochContext context = { 0 };
  gsize n_rows, n_held_out;
  guint dim;
  double share = 0.0;
  gint64 start;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_rows (table, error))
    return NULL;
  n_rows = rf_table_get_n_rows (table);
  dim = rf_transformer_get_output_dim (base->transformer);

  /* Before any training: how much of the new data the base transformer
   * cannot represent. */
  if (!rf_transformer_out_of_mode_share (base->transformer, table, &share, error))
    return NULL;

  model = model_new ();
  model->transformer = rf_transformer_ref (base->transformer);
  model->transformer_options = base->transformer_options;
  model->config = options->train;
  model->generation = base->generation + 1;
  g_array_append_vals (model->history, base->history->data, base->history->len);

  start = g_get_monotonic_time ();
  data = encode_table (model->transformer, table, derive_seed (options->train.seed, SEED_ENCODE),
                       &encode_progress, cancellable, error);
  if (data == NULL)
    return NULL;
  model->timings.encode = seconds_since (start);

  model->tvae = rf_tvae_copy (base->tvae);
  model->refinement = g_new0 (RfModelRefinement, 1);
  model->refinement->out_of_mode_share = share;
  model->refinement->recommend_scratch = share > RF_MODEL_SCRATCH_THRESHOLD;
  model->refinement->base_path = g_strdup (base->path);
  held_out = held_out_rows (data, n_rows, dim, &options->train, &n_held_out);
  model->refinement->base_validation_loss =
    n_held_out > 0 ? rf_tvae_evaluate (base->tvae, held_out, n_held_out, options->train.loss_factor,
                                       options->train.seed ^ TVAE_VALIDATION_SEED_KEY)
                   : NAN;

  context.model = model;
  context.on_epoch = on_epoch;
  context.user_data = user_data;
  context.progress = &train_progress;
  start = g_get_monotonic_time ();
  if (!rf_tvae_train (model->tvae, data, n_rows, &model->config, on_epoch_done, &context,
                      &model->result, cancellable, error))
    return NULL;
  model->timings.train = seconds_since (start);
  model->refinement->refined_validation_loss =
    n_held_out > 0 ? rf_tvae_evaluate (model->tvae, held_out, n_held_out, options->train.loss_factor,
                                       options->train.seed ^ TVAE_VALIDATION_SEED_KEY)
                   : NAN;

  model->lineage.data_name = g_strdup (options->data_name);
  model->lineage.data_sha256 = g_strdup (options->data_sha256);
  model->lineage.data_rows = n_rows;
  g_strfreev (model->lineage.excluded_columns);
  model->lineage.excluded_columns = copy_strv (base->lineage.excluded_columns);
  model->lineage.parent_name = base->path != NULL ? g_path_get_basename (base->path) : NULL;
  model->lineage.parent_sha256 = g_strdup (base->sha256);
  model->lineage.created = utc_now_iso8601 ();
  model->lineage.refinery_version = g_strdup (PACKAGE_VERSION);
  rf_progress_report (progress, 1.0, NULL);
  return g_steal_pointer (&model);
}

/* Sampling ---------------------------------------------------------------- */

typedef struct
{
  RfModel *model;
  const RfDecodeOptions *decode;
  gsize n_rows;
  guint64 seed;
  guint n_blocks;
  GCancellable *cancellable;
  gint next_block;          /* atomic: the next block a worker claims */
  GMutex lock;
  GCond cond;
  RfColumn **columns;       /* the result's columns, one per transformer column */
  GPtrArray **blocks;       /* a made block's string columns, not yet joined (under lock) */
  guint n_running;          /* workers still running (under lock) */
  gint stop;                /* atomic: cancelled or failed, claim no more */
  GError *error;            /* the first worker error (under lock) */
} SampleJob;

static gpointer
sample_worker (gpointer user_data)
{
  SampleJob *job = user_data;
  const RfTvae *tvae = job->model->tvae;
  guint dim = rf_tvae_get_data_dim (tvae);
  const float *sigmas = rf_tvae_get_sigmas (tvae);
  g_autofree float *buffer = g_try_malloc (sizeof (float) * RF_MODEL_SAMPLE_BLOCK * dim);
  guint n_columns = rf_transformer_get_n_columns (job->model->transformer);
  g_autofree RfColumn **block_columns = g_new0 (RfColumn *, MAX (n_columns, 1));
  RfRng stream;
  guint stream_index = 0;

  if (buffer == NULL)
    {
      g_mutex_lock (&job->lock);
      if (job->error == NULL)
        g_set_error (&job->error, RF_ERROR, RF_ERROR_TOO_LARGE,
                     "There is not enough memory to sample from this model (%u encoded values "
                     "per row). Close other programs and try again.", dim);
      g_mutex_unlock (&job->lock);
      g_atomic_int_set (&job->stop, TRUE);
    }

  rf_rng_init (&stream, job->seed);
  while (buffer != NULL && !g_atomic_int_get (&job->stop))
    {
      guint block;
      gsize first, n;
      GPtrArray *strings;
      RfRng rng;

      if (g_cancellable_is_cancelled (job->cancellable))
        {
          g_atomic_int_set (&job->stop, TRUE);
          break;
        }
      block = (guint) g_atomic_int_add (&job->next_block, 1);
      if (block >= job->n_blocks)
        break;
      /* A worker claims blocks in increasing order, so it reaches stream
       * `block` by jumping on from its last one: the same state as
       * rf_rng_init_stream (seed, block) without restarting from stream 0. */
      for (; stream_index < block; stream_index++)
        rf_rng_jump (&stream);
      rng = stream;

      first = (gsize) block * RF_MODEL_SAMPLE_BLOCK;
      n = MIN (RF_MODEL_SAMPLE_BLOCK, job->n_rows - first);
      rf_tvae_generate (tvae, &rng, n, job->decode != NULL ? job->decode->category_temperature
                                                           : RF_DEFAULT_CATEGORY_TEMPERATURE, buffer);
      /* Fixed-width values go straight into the result (blocks start at
       * multiples of 8 rows, so no two threads share a bitmap byte); string
       * columns are made per block and joined in order. */
      strings = g_ptr_array_new_with_free_func ((GDestroyNotify) rf_column_unref);
      for (guint c = 0; c < n_columns; c++)
        if (job->columns[c]->type == RF_COLUMN_STRING)
          {
            block_columns[c] = rf_column_new (job->columns[c]->name, RF_COLUMN_STRING);
            g_ptr_array_add (strings, block_columns[c]);
          }
        else
          block_columns[c] = job->columns[c];
      rf_transformer_decode_rows (job->model->transformer, buffer, n, sigmas, &rng, job->decode,
                                  block_columns, first);

      g_mutex_lock (&job->lock);
      job->blocks[block] = strings;
      g_cond_broadcast (&job->cond);
      g_mutex_unlock (&job->lock);
    }

  g_mutex_lock (&job->lock);
  job->n_running--;
  g_cond_broadcast (&job->cond);
  g_mutex_unlock (&job->lock);
  return NULL;
}

/* Physical memory, or G_MAXUINT64 when the system does not say. */
static guint64
physical_memory (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  long page_size = sysconf (_SC_PAGESIZE);

  if (pages <= 0 || page_size <= 0)
    return G_MAXUINT64;
  return (guint64) pages * (guint64) page_size;
}

/* Refuses a sample that cannot fit in memory before allocating it. Strings
 * are counted at 16 bytes, a typical category name. */
static gboolean
check_sample_size (const RfTransformer *transformer,
                   gsize                n_rows,
                   GError             **error)
{
  guint n_columns = rf_transformer_get_n_columns (transformer);
  guint64 row_bytes = 1;
  guint64 memory = physical_memory ();

  for (guint c = 0; c < n_columns; c++)
    switch (rf_transformer_get_column_type (transformer, c))
      {
      case RF_COLUMN_BOOL:
        row_bytes += 2;
        break;
      case RF_COLUMN_STRING:
        row_bytes += 8 + 16 + 1;
        break;
      case RF_COLUMN_DOUBLE:
      case RF_COLUMN_INT64:
      case RF_COLUMN_TIMESTAMP:
      default:
        row_bytes += 8 + 1;
        break;
      }
  if (n_rows <= memory / row_bytes && n_rows / RF_MODEL_SAMPLE_BLOCK < G_MAXINT / 2)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
               "%" G_GSIZE_FORMAT " rows of %u columns need about %.1f GB, more than the "
               "%.1f GB of memory of this machine. Sample fewer rows at a time.",
               n_rows, n_columns, (double) n_rows * (double) row_bytes / 1e9, (double) memory / 1e9);
  return FALSE;
}

RfTable *
rf_model_sample (RfModel               *model,
                 gsize                  n_rows,
                 guint64                seed,
                 const RfDecodeOptions *decode,
                 guint                  n_threads,
                 RfProgress            *progress,
                 GCancellable          *cancellable,
                 GError               **error)
{
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GPtrArray) columns = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  SampleJob job = { 0 };
  guint n_columns;
  guint joined = 0;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_sample_size (model->transformer, n_rows, error))
    return NULL;
  if (decode != NULL && !(decode->category_temperature >= 0.0 && isfinite (decode->category_temperature)))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "The category temperature must be 0 (take the likeliest mode or category) or "
                   "positive, not %g", decode->category_temperature);
      return NULL;
    }

  n_columns = rf_transformer_get_n_columns (model->transformer);
  columns = rf_transformer_new_output_columns (model->transformer, n_rows);

  job.model = model;
  job.decode = decode;
  job.n_rows = n_rows;
  job.seed = seed;
  job.n_blocks = (guint) ((n_rows + RF_MODEL_SAMPLE_BLOCK - 1) / RF_MODEL_SAMPLE_BLOCK);
  job.cancellable = cancellable;
  job.columns = (RfColumn **) columns->pdata;
  job.blocks = g_new0 (GPtrArray *, MAX (job.n_blocks, 1));
  g_mutex_init (&job.lock);
  g_cond_init (&job.cond);

  if (n_threads == 0)
    n_threads = g_get_num_processors ();
  n_threads = CLAMP (n_threads, 1, MIN (MAX (job.n_blocks, 1), RF_MODEL_MAX_SAMPLE_THREADS));
  job.n_running = job.n_blocks > 0 ? n_threads : 0;
  for (guint t = 0; t < job.n_running; t++)
    g_ptr_array_add (threads, g_thread_new ("rf-model-sample", sample_worker, &job));

  /* This thread joins the blocks' string columns in block order as they
   * come in, so the memory held is the result plus the blocks made ahead
   * of the join. */
  for (joined = 0; joined < job.n_blocks; joined++)
    {
      GPtrArray *strings;
      guint s = 0;

      g_mutex_lock (&job.lock);
      while (job.blocks[joined] == NULL && job.n_running > 0)
        g_cond_wait (&job.cond, &job.lock);
      strings = g_steal_pointer (&job.blocks[joined]);
      g_mutex_unlock (&job.lock);
      if (strings == NULL)
        break;
      for (guint c = 0; c < n_columns; c++)
        if (job.columns[c]->type == RF_COLUMN_STRING)
          rf_column_append_column (job.columns[c], g_ptr_array_index (strings, s++));
      g_ptr_array_unref (strings);
      rf_progress_report (progress, (double) (joined + 1) / job.n_blocks, "Sampling");
    }

  for (guint t = 0; t < threads->len; t++)
    g_thread_join (g_ptr_array_index (threads, t));
  for (guint b = 0; b < job.n_blocks; b++)
    g_clear_pointer (&job.blocks[b], g_ptr_array_unref);
  g_free (job.blocks);
  g_mutex_clear (&job.lock);
  g_cond_clear (&job.cond);

  if (job.error != NULL)
    {
      g_propagate_error (error, job.error);
      return NULL;
    }
  if (joined < job.n_blocks)
    {
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        g_set_error (error, RF_ERROR, RF_ERROR_FAILED, "Sampling stopped before the end");
      return NULL;
    }
  rf_transformer_finish_columns (model->transformer, job.columns);
  /* A table takes its row count from its first column: add them full. */
  table = rf_table_new ();
  for (guint c = 0; c < n_columns; c++)
    rf_table_add_column (table, g_ptr_array_index (columns, c));
  return g_steal_pointer (&table);
}

/* Model files: writing ---------------------------------------------------- */

/* json-glib 1.6's generator writes some doubles as invalid JSON ("1e-08.0"),
 * so the texts are written here: doubles in the shortest form that reads
 * back to the same value; pretty output keeps arrays of numbers (loss
 * curves) on one line. */
static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

static void
newline (GString  *out,
         gboolean  pretty,
         guint     depth)
{
  if (!pretty)
    return;
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
append_node (GString  *out,
             JsonNode *node,
             gboolean  pretty,
             guint     depth)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *child;
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &child))
        {
          if (!first)
            g_string_append_c (out, ',');
          first = FALSE;
          newline (out, pretty, depth + 1);
          rf_json_append_string (out, name, -1);
          g_string_append (out, pretty ? ": " : ":");
          append_node (out, child, pretty, depth + 1);
        }
      if (!first)
        newline (out, pretty, depth);
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);
      gboolean flat = TRUE;

      for (guint i = 0; i < n && flat; i++)
        flat = !JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)) &&
               !JSON_NODE_HOLDS_ARRAY (json_array_get_element (array, i));
      g_string_append_c (out, '[');
      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append (out, pretty && flat ? ", " : ",");
          if (!flat)
            newline (out, pretty, depth + 1);
          append_node (out, json_array_get_element (array, i), pretty, depth + 1);
        }
      if (!flat && n > 0)
        newline (out, pretty, depth);
      g_string_append_c (out, ']');
    }
  else if (JSON_NODE_HOLDS_NULL (node))
    g_string_append (out, "null");
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    append_double (out, json_node_get_double (node));
  else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else
    rf_json_append_string (out, json_node_get_string (node), -1);
}

static char *
node_to_text (JsonNode *root,
              gboolean  pretty)
{
  GString *out = g_string_new (NULL);

  append_node (out, root, pretty, 0);
  return g_string_free (out, FALSE);
}

static char *
builder_to_text (JsonBuilder *builder,
                 gboolean     pretty)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return node_to_text (root, pretty);
}

/* JSON has no NaN or infinity: they are written as null. */
static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Seeds are unsigned 64-bit; JSON integers as json-glib reads them are
 * signed: the few seeds above 2^63 - 1 are written as decimal strings. */
static void
add_seed (JsonBuilder *builder,
          const char  *name,
          guint64      seed)
{
  json_builder_set_member_name (builder, name);
  if (seed <= G_MAXINT64)
    json_builder_add_int_value (builder, (gint64) seed);
  else
    {
      char text[32];

      g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, seed);
      json_builder_add_string_value (builder, text);
    }
}

static const char *
kind_to_string (RfTransformKind kind)
{
  switch (kind)
    {
    case RF_TRANSFORM_CONTINUOUS:
      return "continuous";
    case RF_TRANSFORM_DISCRETE:
      return "discrete";
    case RF_TRANSFORM_CONSTANT:
    default:
      return "constant";
    }
}

static char *
architecture_text (RfModel *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const RfTvaeArch *arch = rf_tvae_get_arch (model->tvae);

  json_builder_begin_object (builder);
  rf_json_add_int (builder, "data_dim", rf_tvae_get_data_dim (model->tvae));
  rf_json_add_int (builder, "embedding_dim", arch->embedding_dim);
  json_builder_set_member_name (builder, "compress_dims");
  json_builder_begin_array (builder);
  for (guint i = 0; i < arch->n_compress; i++)
    json_builder_add_int_value (builder, arch->compress_dims[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "decompress_dims");
  json_builder_begin_array (builder);
  for (guint i = 0; i < arch->n_decompress; i++)
    json_builder_add_int_value (builder, arch->decompress_dims[i]);
  json_builder_end_array (builder);
  add_double (builder, "sigma_init", arch->sigma_init);
  json_builder_end_object (builder);
  return builder_to_text (builder, FALSE);
}

static void
add_config (JsonBuilder         *builder,
            const RfTrainConfig *config)
{
  json_builder_set_member_name (builder, "config");
  json_builder_begin_object (builder);
  rf_json_add_int (builder, "epochs", config->epochs);
  rf_json_add_int (builder, "batch_size", config->batch_size);
  add_double (builder, "learning_rate", config->learning_rate);
  add_double (builder, "beta1", config->beta1);
  add_double (builder, "beta2", config->beta2);
  add_double (builder, "adam_epsilon", config->adam_epsilon);
  add_double (builder, "weight_decay", config->weight_decay);
  add_double (builder, "loss_factor", config->loss_factor);
  add_double (builder, "sigma_min", config->sigma_min);
  add_double (builder, "sigma_max", config->sigma_max);
  add_double (builder, "validation_fraction", config->validation_fraction);
  rf_json_add_int (builder, "patience", config->patience);
  rf_json_add_bool (builder, "freeze_encoder", config->freeze_encoder);
  add_seed (builder, "seed", config->seed);
  json_builder_end_object (builder);
}

static char *
training_text (RfModel *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const RfTrainResult *r = &model->result;

  json_builder_begin_object (builder);
  rf_json_add_int (builder, "generation", model->generation);
  add_config (builder, &model->config);

  json_builder_set_member_name (builder, "transformer_options");
  json_builder_begin_object (builder);
  rf_json_add_int (builder, "max_discrete_levels", model->transformer_options.max_discrete_levels);
  rf_json_add_int (builder, "max_modes", model->transformer_options.max_modes);
  add_double (builder, "weight_threshold", model->transformer_options.weight_threshold);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "result");
  json_builder_begin_object (builder);
  rf_json_add_int (builder, "epochs_run", r->epochs_run);
  rf_json_add_int (builder, "best_epoch", r->best_epoch);
  rf_json_add_bool (builder, "stopped_early", r->stopped_early);
  add_double (builder, "final_train_loss", r->final_train_loss);
  add_double (builder, "final_validation_loss", r->final_validation_loss);
  add_double (builder, "best_validation_loss", r->best_validation_loss);
  add_double (builder, "seconds", r->seconds);
  rf_json_add_int (builder, "n_train_rows", (gint64) r->n_train_rows);
  rf_json_add_int (builder, "n_validation_rows", (gint64) r->n_validation_rows);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "timings");
  json_builder_begin_object (builder);
  add_double (builder, "fit_seconds", model->timings.fit);
  add_double (builder, "encode_seconds", model->timings.encode);
  add_double (builder, "train_seconds", model->timings.train);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "history");
  json_builder_begin_array (builder);
  for (guint i = 0; i < model->history->len; i++)
    {
      const RfModelEpoch *e = &g_array_index (model->history, RfModelEpoch, i);

      json_builder_begin_object (builder);
      rf_json_add_int (builder, "generation", e->generation);
      rf_json_add_int (builder, "epoch", e->report.epoch);
      rf_json_add_int (builder, "n_epochs", e->report.n_epochs);
      add_double (builder, "train_loss", e->report.train_loss);
      add_double (builder, "validation_loss", e->report.validation_loss);
      add_double (builder, "seconds", e->report.seconds);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "refinement");
  if (model->refinement == NULL)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      add_double (builder, "out_of_mode_share", model->refinement->out_of_mode_share);
      rf_json_add_bool (builder, "recommend_scratch", model->refinement->recommend_scratch);
      add_double (builder, "scratch_threshold", RF_MODEL_SCRATCH_THRESHOLD);
      add_double (builder, "base_validation_loss", model->refinement->base_validation_loss);
      add_double (builder, "refined_validation_loss", model->refinement->refined_validation_loss);
      rf_json_add_string (builder, "base_path", model->refinement->base_path);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return builder_to_text (builder, FALSE);
}

static char *
schema_text (RfModel *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  RfTransformer *t = model->transformer;
  guint n_columns = rf_transformer_get_n_columns (t);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint c = 0; c < n_columns; c++)
    {
      json_builder_begin_object (builder);
      rf_json_add_string (builder, "name", rf_transformer_get_column_name (t, c));
      rf_json_add_string (builder, "type", rf_column_type_to_string (rf_transformer_get_column_type (t, c)));
      rf_json_add_string (builder, "unit", rf_transformer_get_column_unit (t, c));
      rf_json_add_string (builder, "role", rf_column_role_to_string (rf_transformer_get_column_role (t, c)));
      rf_json_add_string (builder, "kind", kind_to_string (rf_transformer_get_column_kind (t, c)));
      rf_json_add_int (builder, "modes", rf_transformer_get_column_modes (t, c));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return builder_to_text (builder, FALSE);
}

static char *
lineage_text (RfModel *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const RfModelLineage *l = &model->lineage;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  rf_json_add_string (builder, "file", l->data_name);
  rf_json_add_string (builder, "sha256", l->data_sha256);
  rf_json_add_int (builder, "rows", (gint64) l->data_rows);
  json_builder_set_member_name (builder, "excluded_columns");
  json_builder_begin_array (builder);
  for (guint i = 0; l->excluded_columns[i] != NULL; i++)
    json_builder_add_string_value (builder, l->excluded_columns[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "parent");
  if (model->generation == 0)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      rf_json_add_string (builder, "file", l->parent_name);
      rf_json_add_string (builder, "sha256", l->parent_sha256);
      json_builder_end_object (builder);
    }
  rf_json_add_string (builder, "created", l->created);
  rf_json_add_string (builder, "refinery_version", l->refinery_version);
  json_builder_end_object (builder);
  return builder_to_text (builder, FALSE);
}

gboolean
rf_model_save (RfModel     *model,
               const char  *path,
               GError     **error)
{
  g_autoptr(RfSafetensorsWriter) writer = rf_safetensors_writer_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *transformer = NULL;
  g_autofree char *architecture = NULL;
  g_autofree char *training = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *lineage = NULL;
  char version[16];
  const guint8 *data;
  gsize length;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < rf_tvae_get_n_tensors (model->tvae); i++)
    {
      gsize shape[RF_SAFETENSORS_MAX_RANK] = { 0 };
      guint rank = 0;
      const float *values = rf_tvae_get_tensor (model->tvae, i, shape, &rank, NULL);

      rf_safetensors_writer_add_tensor_f32 (writer, rf_tvae_get_tensor_name (model->tvae, i),
                                            values, shape, rank);
    }

  transformer = rf_transformer_to_json (model->transformer);
  architecture = architecture_text (model);
  training = training_text (model);
  schema = schema_text (model);
  lineage = lineage_text (model);
  g_snprintf (version, sizeof version, "%d", RF_MODEL_FORMAT_VERSION);
  rf_safetensors_writer_set_metadata (writer, "format", RF_MODEL_FORMAT);
  rf_safetensors_writer_set_metadata (writer, "format_version", version);
  rf_safetensors_writer_set_metadata (writer, "transformer", transformer);
  rf_safetensors_writer_set_metadata (writer, "architecture", architecture);
  rf_safetensors_writer_set_metadata (writer, "training", training);
  rf_safetensors_writer_set_metadata (writer, "schema", schema);
  rf_safetensors_writer_set_metadata (writer, "lineage", lineage);

  bytes = rf_safetensors_writer_to_bytes (writer);
  data = g_bytes_get_data (bytes, &length);
  if (!rf_atomic_write_contents (path, data, length, error))
    return FALSE;

  g_free (model->path);
  model->path = g_strdup (path);
  g_free (model->sha256);
  model->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
  return TRUE;
}

/* Model files: reading ---------------------------------------------------- */

/* What a load needs to say where a fault is. */
typedef struct
{
  const char *file;      /* display name */
  GError    **error;
} Reader;

static gboolean G_GNUC_PRINTF (2, 3)
damaged (Reader     *reader,
         const char *format,
         ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (reader->error, RF_ERROR, RF_ERROR_FORMAT,
               "%s: the model file is damaged: %s. Use another copy of the model or "
               "train it again.", reader->file, what);
  return FALSE;
}

static JsonObject *
parse_metadata (Reader        *reader,
                RfSafetensors *st,
                const char    *key,
                JsonParser    *parser)
{
  g_autoptr(GError) local_error = NULL;
  const char *text = rf_safetensors_get_metadata (st, key);
  JsonNode *root;

  if (text == NULL)
    {
      damaged (reader, "its metadata has no “%s” entry", key);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      damaged (reader, "the “%s” metadata is not valid JSON (%s)", key, local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      damaged (reader, "the “%s” metadata is not a JSON object", key);
      return NULL;
    }
  return json_node_get_object (root);
}

/* The member key of object, of the wanted kind; where names the object in
 * messages ("training.config"). */
static JsonNode *
member (Reader     *reader,
        JsonObject *object,
        const char *where,
        const char *key,
        const char *wanted)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    damaged (reader, "%s has no “%s” (%s)", where, key, wanted);
  return node;
}

static gboolean
read_object (Reader      *reader,
             JsonObject  *object,
             const char  *where,
             const char  *key,
             gboolean     nullable,
             JsonObject **out)
{
  JsonNode *node = member (reader, object, where, key, "an object");

  *out = NULL;
  if (node == NULL)
    return FALSE;
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return damaged (reader, "%s.%s must be an object%s", where, key, nullable ? " or null" : "");
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_array (Reader      *reader,
            JsonObject  *object,
            const char  *where,
            const char  *key,
            JsonArray  **out)
{
  JsonNode *node = member (reader, object, where, key, "an array");

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return damaged (reader, "%s.%s must be an array", where, key);
  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
node_is_int (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
read_uint (Reader     *reader,
           JsonObject *object,
           const char *where,
           const char *key,
           guint64     max,
           guint64    *out)
{
  JsonNode *node = member (reader, object, where, key, "an integer");

  if (node == NULL)
    return FALSE;
  if (!node_is_int (node) || json_node_get_int (node) < 0 || (guint64) json_node_get_int (node) > max)
    return damaged (reader, "%s.%s must be an integer from 0 to %" G_GUINT64_FORMAT, where, key, max);
  *out = (guint64) json_node_get_int (node);
  return TRUE;
}

static gboolean
read_guint (Reader     *reader,
            JsonObject *object,
            const char *where,
            const char *key,
            guint      *out)
{
  guint64 value;

  if (!read_uint (reader, object, where, key, G_MAXUINT, &value))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

/* A finite number; with nullable, null reads as NaN. */
static gboolean
read_double (Reader     *reader,
             JsonObject *object,
             const char *where,
             const char *key,
             gboolean    nullable,
             double     *out)
{
  JsonNode *node = member (reader, object, where, key, "a number");

  if (node == NULL)
    return FALSE;
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NAN;
      return TRUE;
    }
  if (node_is_int (node))
    *out = (double) json_node_get_int (node);
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return damaged (reader, "%s.%s must be a number%s", where, key, nullable ? " or null" : "");
  if (!isfinite (*out))
    return damaged (reader, "%s.%s must be a finite number", where, key);
  return TRUE;
}

static gboolean
read_bool (Reader     *reader,
           JsonObject *object,
           const char *where,
           const char *key,
           gboolean   *out)
{
  JsonNode *node = member (reader, object, where, key, "true or false");

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return damaged (reader, "%s.%s must be true or false", where, key);
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* A string (a copy in *out); with nullable, null gives NULL. */
static gboolean
read_string (Reader     *reader,
             JsonObject *object,
             const char *where,
             const char *key,
             gboolean    nullable,
             char      **out)
{
  JsonNode *node = member (reader, object, where, key, "a string");

  *out = NULL;
  if (node == NULL)
    return FALSE;
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return damaged (reader, "%s.%s must be a string%s", where, key, nullable ? " or null" : "");
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_seed (Reader     *reader,
           JsonObject *object,
           const char *where,
           const char *key,
           guint64    *out)
{
  JsonNode *node = member (reader, object, where, key, "an integer");

  if (node == NULL)
    return FALSE;
  if (node_is_int (node) && json_node_get_int (node) >= 0)
    {
      *out = (guint64) json_node_get_int (node);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXUINT64, out, NULL))
    return TRUE;
  return damaged (reader, "%s.%s must be an unsigned 64-bit integer", where, key);
}

static gboolean
read_dims (Reader     *reader,
           JsonObject *object,
           const char *key,
           guint      *dims,
           guint      *n_dims)
{
  JsonArray *array;
  guint n;

  if (!read_array (reader, object, "architecture", key, &array))
    return FALSE;
  n = json_array_get_length (array);
  if (n > RF_TVAE_MAX_HIDDEN)
    return damaged (reader, "architecture.%s has %u layers, at most %d are possible", key, n,
                    RF_TVAE_MAX_HIDDEN);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!node_is_int (node) || json_node_get_int (node) < 1 || json_node_get_int (node) > MAX_WIDTH)
        return damaged (reader, "architecture.%s[%u] must be an integer from 1 to %d", key, i,
                        MAX_WIDTH);
      dims[i] = (guint) json_node_get_int (node);
    }
  *n_dims = n;
  return TRUE;
}

static gboolean
read_architecture (Reader        *reader,
                   RfSafetensors *st,
                   RfTvaeArch    *arch,
                   guint         *data_dim)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o = parse_metadata (reader, st, "architecture", parser);
  guint64 value;
  double sigma_init;

  if (o == NULL)
    return FALSE;
  memset (arch, 0, sizeof *arch);
  if (!read_uint (reader, o, "architecture", "data_dim", G_MAXUINT, &value))
    return FALSE;
  *data_dim = (guint) value;
  if (!read_uint (reader, o, "architecture", "embedding_dim", MAX_WIDTH, &value))
    return FALSE;
  arch->embedding_dim = (guint) value;
  if (!read_dims (reader, o, "compress_dims", arch->compress_dims, &arch->n_compress) ||
      !read_dims (reader, o, "decompress_dims", arch->decompress_dims, &arch->n_decompress) ||
      !read_double (reader, o, "architecture", "sigma_init", FALSE, &sigma_init))
    return FALSE;
  arch->sigma_init = (float) sigma_init;
  return TRUE;
}

static gboolean
read_config (Reader        *reader,
             JsonObject    *training,
             RfTrainConfig *c)
{
  JsonObject *o;
  const char *w = "training.config";

  if (!read_object (reader, training, "training", "config", FALSE, &o))
    return FALSE;
  memset (c, 0, sizeof *c);
  if (!read_guint (reader, o, w, "epochs", &c->epochs) ||
      !read_guint (reader, o, w, "batch_size", &c->batch_size) ||
      !read_double (reader, o, w, "learning_rate", FALSE, &c->learning_rate) ||
      !read_double (reader, o, w, "beta1", FALSE, &c->beta1) ||
      !read_double (reader, o, w, "beta2", FALSE, &c->beta2) ||
      !read_double (reader, o, w, "adam_epsilon", FALSE, &c->adam_epsilon) ||
      !read_double (reader, o, w, "weight_decay", FALSE, &c->weight_decay) ||
      !read_double (reader, o, w, "loss_factor", FALSE, &c->loss_factor) ||
      !read_double (reader, o, w, "sigma_min", FALSE, &c->sigma_min) ||
      !read_double (reader, o, w, "sigma_max", FALSE, &c->sigma_max) ||
      !read_double (reader, o, w, "validation_fraction", FALSE, &c->validation_fraction) ||
      !read_guint (reader, o, w, "patience", &c->patience) ||
      !read_bool (reader, o, w, "freeze_encoder", &c->freeze_encoder) ||
      !read_seed (reader, o, w, "seed", &c->seed))
    return FALSE;
  if (!(c->sigma_min > 0.0 && c->sigma_min <= c->sigma_max))
    return damaged (reader, "training.config: sigma_min (%g) must be positive and at most "
                    "sigma_max (%g)", c->sigma_min, c->sigma_max);
  return TRUE;
}

static gboolean
read_training (Reader        *reader,
               RfSafetensors *st,
               RfModel       *model)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o = parse_metadata (reader, st, "training", parser);
  JsonObject *options, *result, *timings, *refinement;
  JsonArray *history;
  RfTrainResult *r = &model->result;
  guint64 rows;
  const char *w;

  if (o == NULL)
    return FALSE;
  if (!read_guint (reader, o, "training", "generation", &model->generation) ||
      !read_config (reader, o, &model->config))
    return FALSE;

  w = "training.transformer_options";
  if (!read_object (reader, o, "training", "transformer_options", FALSE, &options) ||
      !read_guint (reader, options, w, "max_discrete_levels",
                   &model->transformer_options.max_discrete_levels) ||
      !read_guint (reader, options, w, "max_modes", &model->transformer_options.max_modes) ||
      !read_double (reader, options, w, "weight_threshold", FALSE,
                    &model->transformer_options.weight_threshold))
    return FALSE;

  w = "training.result";
  if (!read_object (reader, o, "training", "result", FALSE, &result) ||
      !read_guint (reader, result, w, "epochs_run", &r->epochs_run) ||
      !read_guint (reader, result, w, "best_epoch", &r->best_epoch) ||
      !read_bool (reader, result, w, "stopped_early", &r->stopped_early) ||
      !read_double (reader, result, w, "final_train_loss", TRUE, &r->final_train_loss) ||
      !read_double (reader, result, w, "final_validation_loss", TRUE, &r->final_validation_loss) ||
      !read_double (reader, result, w, "best_validation_loss", TRUE, &r->best_validation_loss) ||
      !read_double (reader, result, w, "seconds", FALSE, &r->seconds) ||
      !read_uint (reader, result, w, "n_train_rows", G_MAXSIZE, &rows))
    return FALSE;
  r->n_train_rows = rows;
  if (!read_uint (reader, result, w, "n_validation_rows", G_MAXSIZE, &rows))
    return FALSE;
  r->n_validation_rows = rows;

  w = "training.timings";
  if (!read_object (reader, o, "training", "timings", FALSE, &timings) ||
      !read_double (reader, timings, w, "fit_seconds", FALSE, &model->timings.fit) ||
      !read_double (reader, timings, w, "encode_seconds", FALSE, &model->timings.encode) ||
      !read_double (reader, timings, w, "train_seconds", FALSE, &model->timings.train))
    return FALSE;

  if (!read_array (reader, o, "training", "history", &history))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      RfModelEpoch e;
      char where[64];

      memset (&e, 0, sizeof e);   /* padding included, as on_epoch_done */
      g_snprintf (where, sizeof where, "training.history[%u]", i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return damaged (reader, "%s must be an object", where);
      o = json_node_get_object (node);
      if (!read_guint (reader, o, where, "generation", &e.generation) ||
          !read_guint (reader, o, where, "epoch", &e.report.epoch) ||
          !read_guint (reader, o, where, "n_epochs", &e.report.n_epochs) ||
          !read_double (reader, o, where, "train_loss", FALSE, &e.report.train_loss) ||
          !read_double (reader, o, where, "validation_loss", TRUE, &e.report.validation_loss) ||
          !read_double (reader, o, where, "seconds", FALSE, &e.report.seconds))
        return FALSE;
      if (e.generation > model->generation)
        return damaged (reader, "%s.generation is %u, beyond the model's generation %u", where,
                        e.generation, model->generation);
      g_array_append_val (model->history, e);
    }

  o = json_node_get_object (json_parser_get_root (parser));
  if (!read_object (reader, o, "training", "refinement", TRUE, &refinement))
    return FALSE;
  if ((refinement != NULL) != (model->generation > 0))
    return damaged (reader, "training.refinement must be %s for a model of generation %u",
                    model->generation > 0 ? "an object" : "null", model->generation);
  if (refinement != NULL)
    {
      RfModelRefinement *f = model->refinement = g_new0 (RfModelRefinement, 1);

      w = "training.refinement";
      if (!read_double (reader, refinement, w, "out_of_mode_share", FALSE, &f->out_of_mode_share) ||
          !read_bool (reader, refinement, w, "recommend_scratch", &f->recommend_scratch) ||
          !read_double (reader, refinement, w, "base_validation_loss", TRUE,
                        &f->base_validation_loss) ||
          !read_double (reader, refinement, w, "refined_validation_loss", TRUE,
                        &f->refined_validation_loss) ||
          !read_string (reader, refinement, w, "base_path", TRUE, &f->base_path))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_lineage (Reader        *reader,
              RfSafetensors *st,
              RfModel       *model)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o = parse_metadata (reader, st, "lineage", parser);
  RfModelLineage *l = &model->lineage;
  JsonObject *data, *parent;
  JsonArray *excluded;
  guint64 rows;
  guint n;

  if (o == NULL)
    return FALSE;
  if (!read_object (reader, o, "lineage", "data", FALSE, &data) ||
      !read_string (reader, data, "lineage.data", "file", TRUE, &l->data_name) ||
      !read_string (reader, data, "lineage.data", "sha256", TRUE, &l->data_sha256) ||
      !read_uint (reader, data, "lineage.data", "rows", G_MAXSIZE, &rows) ||
      !read_array (reader, data, "lineage.data", "excluded_columns", &excluded))
    return FALSE;
  l->data_rows = rows;
  n = json_array_get_length (excluded);
  g_strfreev (l->excluded_columns);
  l->excluded_columns = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (excluded, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return damaged (reader, "lineage.data.excluded_columns[%u] must be a string", i);
      l->excluded_columns[i] = g_strdup (json_node_get_string (node));
    }
  if (!read_object (reader, o, "lineage", "parent", TRUE, &parent))
    return FALSE;
  if (parent != NULL &&
      (!read_string (reader, parent, "lineage.parent", "file", TRUE, &l->parent_name) ||
       !read_string (reader, parent, "lineage.parent", "sha256", TRUE, &l->parent_sha256)))
    return FALSE;
  return read_string (reader, o, "lineage", "created", FALSE, &l->created) &&
         read_string (reader, o, "lineage", "refinery_version", FALSE, &l->refinery_version);
}

/* The "schema" metadata must describe the transformer's columns. */
static gboolean
check_schema (Reader        *reader,
              RfSafetensors *st,
              RfTransformer *t)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o = parse_metadata (reader, st, "schema", parser);
  JsonArray *columns;
  guint n_columns = rf_transformer_get_n_columns (t);

  if (o == NULL || !read_array (reader, o, "schema", "columns", &columns))
    return FALSE;
  if (json_array_get_length (columns) != n_columns)
    return damaged (reader, "the schema lists %u columns, the transformer %u",
                    json_array_get_length (columns), n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      JsonNode *node = json_array_get_element (columns, c);
      g_autofree char *name = NULL, *type = NULL, *unit = NULL, *role = NULL, *kind = NULL;
      guint modes;
      char where[48];

      g_snprintf (where, sizeof where, "schema.columns[%u]", c);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return damaged (reader, "%s must be an object", where);
      o = json_node_get_object (node);
      if (!read_string (reader, o, where, "name", FALSE, &name) ||
          !read_string (reader, o, where, "type", FALSE, &type) ||
          !read_string (reader, o, where, "unit", TRUE, &unit) ||
          !read_string (reader, o, where, "role", FALSE, &role) ||
          !read_string (reader, o, where, "kind", FALSE, &kind) ||
          !read_guint (reader, o, where, "modes", &modes))
        return FALSE;
      if (g_strcmp0 (name, rf_transformer_get_column_name (t, c)) != 0 ||
          g_strcmp0 (type, rf_column_type_to_string (rf_transformer_get_column_type (t, c))) != 0 ||
          g_strcmp0 (unit, rf_transformer_get_column_unit (t, c)) != 0 ||
          g_strcmp0 (role, rf_column_role_to_string (rf_transformer_get_column_role (t, c))) != 0 ||
          g_strcmp0 (kind, kind_to_string (rf_transformer_get_column_kind (t, c))) != 0 ||
          modes != rf_transformer_get_column_modes (t, c))
        return damaged (reader, "%s (“%s”) disagrees with the transformer's column %u (“%s”)",
                        where, name, c, rf_transformer_get_column_name (t, c));
    }
  return TRUE;
}

static void
append_shape (GString     *out,
              const gsize *shape,
              guint        rank)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < rank; i++)
    g_string_append_printf (out, "%s%" G_GSIZE_FORMAT, i > 0 ? ", " : "", shape[i]);
  g_string_append_c (out, ']');
}

/* Parameters the reference network of arch has on data_dim inputs: checked
 * against the file's size before the network is allocated, so that a
 * damaged architecture cannot ask for much more memory than the file holds
 * (the slack leaves a missing tensor to the precise message below). */
#define PARAM_SLACK (G_GUINT64_CONSTANT (1) << 24)

static guint64
count_params (const RfTvaeArch *arch,
              guint             data_dim)
{
  guint64 n = 0, in = data_dim;

  for (guint i = 0; i < arch->n_compress; i++)
    {
      n += (in + 1) * arch->compress_dims[i];
      in = arch->compress_dims[i];
    }
  n += 2 * (in + 1) * arch->embedding_dim;
  in = arch->embedding_dim;
  for (guint i = 0; i < arch->n_decompress; i++)
    {
      n += (in + 1) * arch->decompress_dims[i];
      in = arch->decompress_dims[i];
    }
  return n + (in + 1) * data_dim + data_dim;
}

static gboolean
read_tensors (Reader        *reader,
              RfSafetensors *st,
              RfModel       *model,
              const RfTvaeArch *arch)
{
  g_autoptr(GError) local_error = NULL;
  guint64 in_file = 0;
  guint n_tensors, n_spans;
  const RfSpan *spans = rf_transformer_get_spans (model->transformer, &n_spans);
  const float *sigmas;

  for (guint i = 0; i < rf_safetensors_get_n_tensors (st); i++)
    in_file += rf_safetensors_get_tensor (st, i)->n_elements;
  if (count_params (arch, rf_transformer_get_output_dim (model->transformer)) > in_file + PARAM_SLACK)
    return damaged (reader, "the architecture needs %" G_GUINT64_FORMAT " weights, the file "
                    "holds %" G_GUINT64_FORMAT,
                    count_params (arch, rf_transformer_get_output_dim (model->transformer)), in_file);

  model->tvae = rf_tvae_new (arch, spans, n_spans, 0, &local_error);
  if (model->tvae == NULL)
    return damaged (reader, "the architecture is unusable (%s)", local_error->message);

  n_tensors = rf_tvae_get_n_tensors (model->tvae);
  for (guint i = 0; i < n_tensors; i++)
    {
      const char *name = rf_tvae_get_tensor_name (model->tvae, i);
      const RfSafetensorsTensor *tensor = rf_safetensors_find_tensor (st, name);
      gsize shape[RF_SAFETENSORS_MAX_RANK] = { 0 };
      guint rank = 0;
      gsize n;
      float *values = rf_tvae_get_tensor (model->tvae, i, shape, &rank, &n);

      if (tensor == NULL)
        return damaged (reader, "the tensor “%s” is missing", name);
      if (tensor->rank != rank || memcmp (tensor->shape, shape, sizeof (gsize) * rank) != 0)
        {
          g_autoptr(GString) found = g_string_new (NULL);
          g_autoptr(GString) wanted = g_string_new (NULL);

          append_shape (found, tensor->shape, tensor->rank);
          append_shape (wanted, shape, rank);
          return damaged (reader, "the tensor “%s” has the shape %s where the architecture and "
                          "the transformer imply %s", name, found->str, wanted->str);
        }
      for (gsize k = 0; k < n; k++)
        if (!isfinite (tensor->data[k]))
          return damaged (reader, "the tensor “%s” holds a value that is not a finite number "
                          "(at index %" G_GSIZE_FORMAT ")", name, k);
      if (n > 0)
        memcpy (values, tensor->data, sizeof (float) * n);
    }
  if (rf_safetensors_get_n_tensors (st) != n_tensors)
    for (guint i = 0; i < rf_safetensors_get_n_tensors (st); i++)
      {
        const char *name = rf_safetensors_get_tensor (st, i)->name;
        gboolean known = FALSE;

        for (guint k = 0; k < n_tensors && !known; k++)
          known = strcmp (name, rf_tvae_get_tensor_name (model->tvae, k)) == 0;
        if (!known)
          return damaged (reader, "it holds the tensor “%s”, which this architecture does not "
                          "have", name);
      }

  sigmas = rf_tvae_get_sigmas (model->tvae);
  for (guint c = 0; c < rf_tvae_get_data_dim (model->tvae); c++)
    if (!(sigmas[c] >= (float) model->config.sigma_min && sigmas[c] <= (float) model->config.sigma_max))
      return damaged (reader, "the decoder's sigma %u is %g, outside the configured range "
                      "[%g, %g]", c, sigmas[c], model->config.sigma_min, model->config.sigma_max);
  return TRUE;
}

static RfModel *
load_bytes (const guint8 *data,
            gsize         length,
            const char   *path,
            GError      **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autoptr(RfSafetensors) st = NULL;
  g_autoptr(RfModel) model = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *format, *version, *transformer;
  Reader reader = { display, error };
  RfTvaeArch arch;
  guint64 version_number;
  guint data_dim;

  st = rf_safetensors_load_bytes (data, length, display, error);
  if (st == NULL)
    return NULL;

  format = rf_safetensors_get_metadata (st, "format");
  if (format == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "%s is not a Refinery model: it is a safetensors file without a “format” "
                   "entry in its metadata (written by another program?). Open a model that "
                   "Refinery trained (refinery-cli train writes one).", display);
      return NULL;
    }
  if (strcmp (format, RF_MODEL_FORMAT) != 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "%s is not a Refinery model: its format is “%s”, not “%s”. Open a model "
                   "that Refinery trained (refinery-cli train writes one).",
                   display, format, RF_MODEL_FORMAT);
      return NULL;
    }
  version = rf_safetensors_get_metadata (st, "format_version");
  if (version == NULL || !g_ascii_string_to_unsigned (version, 10, 1, G_MAXUINT, &version_number, NULL))
    {
      damaged (&reader, "its format_version is %s%s%s", version != NULL ? "“" : "",
               version != NULL ? version : "missing", version != NULL ? "”" : "");
      return NULL;
    }
  if (version_number > RF_MODEL_FORMAT_VERSION)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "%s was saved by a newer Refinery (model format version %" G_GUINT64_FORMAT
                   "; this one reads version %d). Update Refinery to use this model.",
                   display, version_number, RF_MODEL_FORMAT_VERSION);
      return NULL;
    }

  model = model_new ();
  transformer = rf_safetensors_get_metadata (st, "transformer");
  if (transformer == NULL)
    {
      damaged (&reader, "its metadata has no “transformer” entry");
      return NULL;
    }
  model->transformer = rf_transformer_new_from_json (transformer, &local_error);
  if (model->transformer == NULL)
    {
      damaged (&reader, "the “transformer” metadata is invalid (%s)", local_error->message);
      return NULL;
    }
  if (!read_architecture (&reader, st, &arch, &data_dim))
    return NULL;
  if (data_dim != rf_transformer_get_output_dim (model->transformer))
    {
      damaged (&reader, "the architecture is for %u encoded values per row, the transformer "
               "makes %u", data_dim, rf_transformer_get_output_dim (model->transformer));
      return NULL;
    }
  if (!read_training (&reader, st, model) ||
      !read_lineage (&reader, st, model) ||
      !check_schema (&reader, st, model->transformer) ||
      !read_tensors (&reader, st, model, &arch))
    return NULL;

  model->path = g_strdup (path);
  model->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
  return g_steal_pointer (&model);
}

RfModel *
rf_model_load (const char  *path,
               GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, RF_ERROR, RF_ERROR_IO,
                   "Could not read the model file %s: %s. Check that it exists and is readable.",
                   display, local_error->message);
      return NULL;
    }
  /* An empty file maps to NULL contents. */
  return load_bytes ((const guint8 *) (g_mapped_file_get_length (mapped) > 0
                                       ? g_mapped_file_get_contents (mapped) : ""),
                     g_mapped_file_get_length (mapped), path, error);
}

/* Refinement files -------------------------------------------------------- */

static const char *
recommendation (const RfModelRefinement *refinement)
{
  return refinement->recommend_scratch ? "train_from_scratch" : "refine";
}

/* The loss curve of one generation of the history, with its best epoch
 * (lowest validation loss; the last epoch when none was measured). */
static void
add_curve (JsonBuilder *builder,
           const char  *name,
           RfModel     *model,
           guint        generation,
           const char  *model_name)
{
  const RfModelEpoch *best = NULL, *last = NULL;

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  rf_json_add_string (builder, "model", model_name);
  rf_json_add_int (builder, "generation", generation);
  json_builder_set_member_name (builder, "epochs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < model->history->len; i++)
    {
      const RfModelEpoch *e = &g_array_index (model->history, RfModelEpoch, i);

      if (e->generation != generation)
        continue;
      json_builder_add_int_value (builder, e->report.epoch);
      last = e;
      if (isfinite (e->report.validation_loss) &&
          (best == NULL || e->report.validation_loss < best->report.validation_loss))
        best = e;
    }
  json_builder_end_array (builder);
  for (int pass = 0; pass < 2; pass++)
    {
      json_builder_set_member_name (builder, pass == 0 ? "train_loss" : "validation_loss");
      json_builder_begin_array (builder);
      for (guint i = 0; i < model->history->len; i++)
        {
          const RfModelEpoch *e = &g_array_index (model->history, RfModelEpoch, i);
          double value = pass == 0 ? e->report.train_loss : e->report.validation_loss;

          if (e->generation != generation)
            continue;
          if (isfinite (value))
            json_builder_add_double_value (builder, value);
          else
            json_builder_add_null_value (builder);
        }
      json_builder_end_array (builder);
    }
  if (best == NULL)
    best = last;
  json_builder_set_member_name (builder, "best_epoch");
  if (best != NULL)
    json_builder_add_int_value (builder, best->report.epoch);
  else
    json_builder_add_null_value (builder);
  add_double (builder, "best_validation_loss", best != NULL ? best->report.validation_loss : NAN);
  add_double (builder, "final_train_loss", last != NULL ? last->report.train_loss : NAN);
  add_double (builder, "final_validation_loss", last != NULL ? last->report.validation_loss : NAN);
  json_builder_end_object (builder);
}

static gboolean
write_json_file (const char   *dir,
                 const char   *name,
                 JsonBuilder  *builder,
                 GError      **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = builder_to_text (builder, TRUE);
  g_autofree char *line = g_strconcat (text, "\n", NULL);

  return rf_atomic_write_contents (path, line, strlen (line), error);
}

gboolean
rf_model_save_refinement_files (RfModel     *model,
                                const char  *dir,
                                GError     **error)
{
  g_autoptr(JsonBuilder) comparison = json_builder_new ();
  g_autoptr(JsonBuilder) config = json_builder_new ();
  g_autofree char *name = NULL;
  const RfModelRefinement *f;
  double improvement;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (model->refinement != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  f = model->refinement;
  name = model->path != NULL ? g_path_get_basename (model->path) : NULL;
  /* Relative change of the validation loss on the new data, as the
   * original plan's "refinement_improvement" (positive: refined is better). */
  improvement = (f->base_validation_loss - f->refined_validation_loss)
                / fabs (f->base_validation_loss) * 100.0;

  json_builder_begin_object (comparison);
  rf_json_add_string (comparison, "format", "refinery-training-comparison");
  rf_json_add_int (comparison, "format_version", 1);
  add_curve (comparison, "base", model, model->generation - 1, model->lineage.parent_name);
  add_curve (comparison, "refined", model, model->generation, name);
  rf_json_add_bool (comparison, "stopped_early", model->result.stopped_early);
  add_double (comparison, "base_validation_loss_on_new_data", f->base_validation_loss);
  add_double (comparison, "refined_validation_loss_on_new_data", f->refined_validation_loss);
  add_double (comparison, "improvement_percent", improvement);
  add_double (comparison, "out_of_mode_share", f->out_of_mode_share);
  add_double (comparison, "scratch_threshold", RF_MODEL_SCRATCH_THRESHOLD);
  rf_json_add_string (comparison, "recommendation", recommendation (f));
  json_builder_end_object (comparison);

  json_builder_begin_object (config);
  rf_json_add_string (config, "base_model_path", f->base_path);
  add_double (config, "learning_rate", model->config.learning_rate);
  rf_json_add_int (config, "epochs", model->config.epochs);
  rf_json_add_int (config, "batch_size", model->config.batch_size);
  rf_json_add_int (config, "early_stopping_patience", model->config.patience);
  rf_json_add_bool (config, "freeze_encoder", model->config.freeze_encoder);
  add_seed (config, "seed", model->config.seed);
  add_double (config, "validation_fraction", model->config.validation_fraction);
  rf_json_add_int (config, "epochs_run", model->result.epochs_run);
  rf_json_add_bool (config, "stopped_early", model->result.stopped_early);
  rf_json_add_int (config, "best_epoch", model->result.best_epoch);
  add_double (config, "out_of_mode_share", f->out_of_mode_share);
  rf_json_add_string (config, "recommendation", recommendation (f));
  rf_json_add_string (config, "refined_model", name);
  json_builder_end_object (config);

  return write_json_file (dir, "training_comparison.json", comparison, error) &&
         write_json_file (dir, "refinement_config.json", config, error);
}

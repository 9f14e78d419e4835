/* rf-transformer.h: TVAE's data transformer, table rows <-> float vectors.
 *
 * Fitting looks at every column of a table once and decides how the network
 * sees it (one RfColumnTransform per column, in table order):
 *
 *   CONTINUOUS  timestamp (as seconds) columns, and double and int64
 *               columns that are not DISCRETE: a variational Bayesian
 *               Gaussian mixture (rf-bgm) finds the column's modes; a value
 *               x becomes the scalar (x - mu_k) / (4 sigma_k) clipped to
 *               +-0.99 (a TANH span of width 1) followed by a one-hot of the
 *               mode k (a SOFTMAX span, one entry per active mode), k drawn
 *               from the posterior responsibilities with the encode seed.
 *   DISCRETE    strings, bools, and numeric (int64 and double) columns with
 *               few levels: their present values take at most
 *               options->max_discrete_levels distinct values AND at most one
 *               per RF_TRANSFORMER_MIN_ROWS_PER_LEVEL present values
 *               (n_distinct * 10 <= n_present, so that a small table stays
 *               continuous). A one-hot SOFTMAX span over the categories seen
 *               (missing is a category of its own when the column has
 *               missing values). Doubles are compared by their exact bits,
 *               -0.0 counting as 0.0, and decode (and survive the JSON) bit
 *               for bit: a sensor that reads 21.61 or 21.60 comes back as
 *               exactly those two values, not a smear between them.
 *   CONSTANT    a column whose present values are all equal (or that has no
 *               present value): not modelled, reproduced exactly.
 *
 * A CONTINUOUS or CONSTANT column with missing values (and present ones)
 * also gets a SOFTMAX span of width 2 (present, missing) so that the network
 * learns where values are missing; a missing value's scalar is 0 and its mode
 * the heaviest one. A column with no present value at all is CONSTANT,
 * without a span, and decodes to all missing.
 *
 * The encoded vector is the concatenation of all spans, in column order.
 * Decoding inverts it: argmax of every SOFTMAX span, scalar noise with the
 * learned sigmas as TVAE's reference does, x = clip(v, -1, 1) * 4 sigma_k +
 * mu_k, integers rounded, and (by default) values clipped to the training
 * range.
 *
 * An RfTransformer is immutable once fitted and safe to share between
 * threads. It also carries the table's schema (names, types, units, roles),
 * so a model file alone can produce a table shaped like its training data.
 */
#pragma once

#include <gio/gio.h>

#include "rf-bgm.h"
#include "rf-progress.h"
#include "rf-rng.h"
#include "rf-table.h"

G_BEGIN_DECLS

typedef enum
{
  RF_SPAN_TANH,     /* one scalar in (-1, 1), learned through tanh */
  RF_SPAN_SOFTMAX,  /* a one-hot group, learned through softmax */
} RfSpanKind;

/* One slice of the encoded vector: entries [offset, offset + dim). */
typedef struct
{
  RfSpanKind kind;
  guint      offset;
  guint      dim;
} RfSpan;

typedef enum
{
  RF_TRANSFORM_CONTINUOUS,
  RF_TRANSFORM_DISCRETE,
  RF_TRANSFORM_CONSTANT,
} RfTransformKind;

/* A DISCRETE column with more distinct values than this is refused: its
 * one-hot span would dwarf the rest of the network. */
#define RF_TRANSFORMER_MAX_CATEGORIES 1000
/* Decoded double values are rounded to the decimal places of the training
 * values when those never exceed this many (FD001: 2 to 4), else kept as
 * computed. */
#define RF_TRANSFORMER_MAX_DECIMALS 9

/* A numeric column is DISCRETE only when it has at least this many present
 * values per distinct value (see above). */
#define RF_TRANSFORMER_MIN_ROWS_PER_LEVEL 10

typedef struct
{
  /* int64 and double columns with at most this many distinct values (and
   * at least RF_TRANSFORMER_MIN_ROWS_PER_LEVEL present values per distinct
   * value) are DISCRETE (default 30, at most RF_TRANSFORMER_MAX_CATEGORIES);
   * 0 makes every int64 and double column CONTINUOUS. */
  guint  max_discrete_levels;
  /* Mixture components per continuous column, 1..RF_BGM_MAX_COMPONENTS
   * (default 10), and the weight above which a component is a mode
   * (default RF_BGM_WEIGHT_THRESHOLD; when no weight exceeds it, the
   * heaviest component is the one mode). */
  guint  max_modes;
  double weight_threshold;
  /* Columns are fitted, and tables later encoded, in parallel on this many
   * threads (0 = one per core; a transformer loaded from JSON uses one per
   * core). The results do not depend on it. */
  guint  n_threads;
} RfTransformerOptions;

typedef struct
{
  /* Clip decoded values to the range seen in training (default TRUE). */
  gboolean        clip_to_training_range;
  /* Further per-column limits (a profile's sensor ranges, say): column i of
   * the schema is clipped to [range_min[i], range_max[i]] where both are not
   * NaN. NULL = none. Arrays of rf_transformer_get_n_columns() entries.
   * Applies to CONTINUOUS columns (timestamps in seconds since the epoch);
   * categories and constants are reproduced as seen in training. */
  const double   *range_min;
  const double   *range_max;
  /* How the network's one-hot spans (modes, categories) are read when
   * sampling: drawn from softmax (logits / temperature), or their argmax at
   * 0 as TVAE's reference does (default RF_DEFAULT_CATEGORY_TEMPERATURE;
   * rf-tvae.c's sample_category has the measurements behind it). Used by
   * rf_tvae_generate through rf_model_sample; decoding itself reads
   * one-hots. */
  double          category_temperature;
} RfDecodeOptions;

#define RF_DEFAULT_CATEGORY_TEMPERATURE 0.5

typedef struct _RfTransformer RfTransformer;

void            rf_transformer_options_init     (RfTransformerOptions   *options);
void            rf_decode_options_init          (RfDecodeOptions        *options);

/* Fits a transformer to every column of table (at least one row); options
 * may be NULL (defaults). The mixtures are seeded from seed: same table,
 * options and seed give the same transformer, whatever the thread count.
 * Errors: RF_ERROR_EMPTY for a table without rows or columns,
 * RF_ERROR_INVALID for an infinite value (naming the column and row),
 * RF_ERROR_TOO_LARGE for a string column with more than
 * RF_TRANSFORMER_MAX_CATEGORIES distinct values, G_IO_ERROR_CANCELLED. */
RfTransformer  *rf_transformer_fit              (const RfTable          *table,
                                                 const RfTransformerOptions *options,
                                                 guint64                 seed,
                                                 RfProgress             *progress,
                                                 GCancellable           *cancellable,
                                                 GError                **error);
RfTransformer  *rf_transformer_ref              (RfTransformer          *transformer);
void            rf_transformer_unref            (RfTransformer          *transformer);

/* Width of the encoded vector (sum of the span widths; 0 when every column
 * is constant). */
guint           rf_transformer_get_output_dim   (const RfTransformer    *transformer);
/* The spans in encoded order. */
const RfSpan   *rf_transformer_get_spans        (const RfTransformer    *transformer,
                                                 guint                  *n_spans);

/* The schema: one entry per fitted column, in table order. */
guint           rf_transformer_get_n_columns    (const RfTransformer    *transformer);
const char     *rf_transformer_get_column_name  (const RfTransformer    *transformer,
                                                 guint                   index);
RfColumnType    rf_transformer_get_column_type  (const RfTransformer    *transformer,
                                                 guint                   index);
const char     *rf_transformer_get_column_unit  (const RfTransformer    *transformer,
                                                 guint                   index);
RfColumnRole    rf_transformer_get_column_role  (const RfTransformer    *transformer,
                                                 guint                   index);
RfTransformKind rf_transformer_get_column_kind  (const RfTransformer    *transformer,
                                                 guint                   index);
/* Active modes of a CONTINUOUS column (0 for the other kinds). */
guint           rf_transformer_get_column_modes (const RfTransformer    *transformer,
                                                 guint                   index);

/* Encodes every row of table into out (n_rows x output_dim floats, row
 * major). Columns are found by name (extra columns are ignored) and must
 * have a compatible type (any numeric for CONTINUOUS). Mode choices are
 * drawn from seed; the result does not depend on the thread count.
 * A category never seen in training is encoded as the most frequent one;
 * a missing value in a column that had none in training as the most
 * frequent category, or as the heaviest mode's centre.
 * Errors: RF_ERROR_NOT_FOUND for a missing column, RF_ERROR_INVALID for a
 * type mismatch or an infinite value, G_IO_ERROR_CANCELLED. */
gboolean        rf_transformer_encode           (const RfTransformer    *transformer,
                                                 const RfTable          *table,
                                                 guint64                 seed,
                                                 float                  *out,
                                                 RfProgress             *progress,
                                                 GCancellable           *cancellable,
                                                 GError                **error);

/* Share (0..1) of table's present values that the transformer cannot
 * represent well: continuous values further than the clip limit
 * (0.99 * 4 sigma) from every mode, and categories never seen in training.
 * Constant columns count values different from the constant. Used by
 * refinement to tell when a base model does not fit new data. Same errors
 * as rf_transformer_encode. */
gboolean        rf_transformer_out_of_mode_share (const RfTransformer   *transformer,
                                                  const RfTable         *table,
                                                  double                *share,
                                                  GError               **error);

/* Decodes n_rows encoded rows (data: n_rows x output_dim, the network's tanh
 * outputs) into a new table with the fitted schema. sigmas (output_dim
 * entries, the learned per-output sigma) add N(0, sigma) noise to every TANH
 * scalar before the inverse, drawn from rng (ziggurat draws in a fixed
 * order: the result depends on data, n_rows, sigmas and rng's state only);
 * NULL adds none. options may be NULL (defaults). Thread-safe: callers
 * decode blocks in parallel, each with its own rng, and join the blocks. */
RfTable        *rf_transformer_decode           (const RfTransformer    *transformer,
                                                 const float            *data,
                                                 gsize                   n_rows,
                                                 const float            *sigmas,
                                                 RfRng                  *rng,
                                                 const RfDecodeOptions  *options);

/* Decoding in parallel into one table, without copying blocks together:
 * rf_transformer_new_output_columns() makes the columns for n_rows rows
 * (fixed-width ones already n_rows long, zeroed, with a validity bitmap
 * when the column can come out missing; string ones empty). Then
 * rf_transformer_decode_rows() decodes a block of rows into rows
 * [first_row, first_row + n_rows) of the fixed-width columns, in place, so
 * threads may decode disjoint blocks at once when every first_row is a
 * multiple of 8; string columns are appended to, so pass each block its own
 * string columns and join those in order. rf_transformer_finish_columns()
 * counts the missing values at the end. columns holds one column per
 * transformer column, in order. The values are those rf_transformer_decode
 * gives for the same data and rng. */
GPtrArray      *rf_transformer_new_output_columns (const RfTransformer  *transformer,
                                                   gsize                 n_rows);
void            rf_transformer_decode_rows      (const RfTransformer    *transformer,
                                                 const float            *data,
                                                 gsize                   n_rows,
                                                 const float            *sigmas,
                                                 RfRng                  *rng,
                                                 const RfDecodeOptions  *options,
                                                 RfColumn * const       *columns,
                                                 gsize                   first_row);
void            rf_transformer_finish_columns   (const RfTransformer    *transformer,
                                                 RfColumn * const       *columns);

/* The transformer as compact JSON (kept in a model file's metadata), and
 * back. Loading validates every field and refuses anything inconsistent
 * with RF_ERROR_FORMAT. */
char           *rf_transformer_to_json          (const RfTransformer    *transformer);
RfTransformer  *rf_transformer_new_from_json    (const char             *json,
                                                 GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfTransformer, rf_transformer_unref)

G_END_DECLS

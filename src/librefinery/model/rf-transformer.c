#define G_LOG_DOMAIN "rf-transformer"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "rf-error.h"
#include "rf-json-writer.h"
#include "rf-transformer.h"

#define FORMAT_VERSION 1
/* A mode covers mu +- 4 sigma; scalars are clipped just inside tanh's range. */
#define STD_MULTIPLIER 4.0
#define CLIP_LIMIT 0.99
/* Added to every mode's responsibility before the draw, as the reference
 * does, so that a mode far from x can still be drawn now and then. */
#define RESP_EPSILON 1e-6
/* Encoding works on blocks of rows, each with its own random stream: the
 * result depends on the block size, never on the thread count. */
#define BLOCK_ROWS 4096
/* Decoding goes through the encoded rows in blocks that fit in L2 cache. */
#define DECODE_BLOCK_ROWS 256
#define MAX_THREADS 64
#define DEFAULT_MAX_DISCRETE_LEVELS 30

/* Seeds of the independent random streams, one per purpose and place. */
enum
{
  STREAM_FIT = 1,
  STREAM_ENCODE = 2,
};

/* One value of a column: a category or a constant. */
typedef struct
{
  gint64  i;    /* INT64, TIMESTAMP (microseconds), BOOL (0 or 1) */
  double  d;    /* DOUBLE */
  char   *s;    /* STRING: len bytes plus a NUL */
  gsize   len;
} Value;

typedef struct
{
  char           *name;
  char           *unit;
  RfColumnType    type;
  RfColumnRole    role;
  RfTransformKind kind;
  /* CONTINUOUS, CONSTANT: a (present, missing) span follows;
   * DISCRETE: the last one-hot entry means missing. */
  gboolean        missing;

  /* Layout in the encoded vector. */
  guint           offset;
  guint           dim;
  guint           first_span;
  guint           n_spans;

  /* CONTINUOUS: the full mixture (responsibilities need every component),
   * its active modes, and the training range (seconds for timestamps). */
  RfBgm           bgm;
  guint           n_modes;
  guint           modes[RF_BGM_MAX_COMPONENTS];
  double          mode_means[RF_BGM_MAX_COMPONENTS];
  double          mode_stds[RF_BGM_MAX_COMPONENTS];
  guint           heaviest;       /* index into modes[] */
  double          min;
  double          max;
  /* DOUBLE columns: the decimal places no training value exceeds, to which
   * decoded values are rounded; -1 when some value needs more than
   * RF_TRANSFORMER_MAX_DECIMALS (or for other types): no rounding. */
  int             decimals;

  /* DISCRETE: categories in ascending order (bytes for strings). */
  guint           n_categories;
  Value          *categories;
  gint64         *counts;
  guint           most_frequent;

  /* CONSTANT */
  gboolean        has_value;
  Value           value;
} ColumnTransform;

struct _RfTransformer
{
  gatomicrefcount  ref_count;
  guint            n_columns;
  ColumnTransform *columns;
  guint            n_spans;
  RfSpan          *spans;
  guint            output_dim;
  guint            n_threads;      /* for encoding; 0 = one per core */
};

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */

static guint64
mix64 (guint64 x)
{
  /* SplitMix64's finaliser: every input bit reaches every output bit. */
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

/* The seed of the random stream for (purpose, column, block) of seed: O(1),
 * unlike rf_rng_init_stream, whose cost grows with the stream index. */
static guint64
derive_seed (guint64 seed,
             guint64 purpose,
             guint64 column,
             guint64 block)
{
  guint64 h = mix64 (seed);

  h = mix64 (h ^ purpose);
  h = mix64 (h ^ column);
  return mix64 (h ^ block);
}

/* No negative zero in a transformer: JSON readers may turn "-0" into +0,
 * and a loaded transformer must encode bit for bit like the fitted one. */
static inline double
no_negative_zero (double x)
{
  return x == 0.0 ? 0.0 : x;
}

static int
compare_bytes (const char *a,
               gsize       a_len,
               const char *b,
               gsize       b_len)
{
  int c = memcmp (a, b, MIN (a_len, b_len));

  if (c != 0)
    return c;
  return (a_len > b_len) - (a_len < b_len);
}

static int
compare_values (RfColumnType  type,
                const Value  *a,
                const Value  *b)
{
  if (type == RF_COLUMN_STRING)
    return compare_bytes (a->s, a->len, b->s, b->len);
  if (type == RF_COLUMN_DOUBLE)
    return (a->d > b->d) - (a->d < b->d);
  return (a->i > b->i) - (a->i < b->i);
}

static gint64
double_to_int64 (double x)
{
  /* 2^63 is the first double beyond gint64. */
  if (isnan (x))
    return 0;
  if (x >= 9223372036854775808.0)
    return G_MAXINT64;
  if (x <= -9223372036854775808.0)
    return G_MININT64;
  return (gint64) round (x);
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

static gboolean
kind_from_string (const char      *text,
                  RfTransformKind *kind)
{
  for (int k = RF_TRANSFORM_CONTINUOUS; k <= RF_TRANSFORM_CONSTANT; k++)
    if (g_strcmp0 (text, kind_to_string ((RfTransformKind) k)) == 0)
      {
        *kind = (RfTransformKind) k;
        return TRUE;
      }
  return FALSE;
}

/* A present value of a numeric column as a double (seconds for timestamps);
 * NaN when missing. NaN stored in a double column counts as missing. */
static inline double
numeric_value (const RfColumn *column,
               gsize           row)
{
  if (!rf_column_is_valid (column, row))
    return NAN;
  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      return column->values.f64[row];
    case RF_COLUMN_INT64:
      return (double) column->values.i64[row];
    case RF_COLUMN_TIMESTAMP:
      return (double) column->values.i64[row] / G_USEC_PER_SEC;
    case RF_COLUMN_BOOL:
      return column->values.u8[row];
    case RF_COLUMN_STRING:
    default:
      return NAN;
    }
}

static inline gboolean
is_present (const RfColumn *column,
            gsize           row)
{
  if (!rf_column_is_valid (column, row))
    return FALSE;
  return column->type != RF_COLUMN_DOUBLE || !isnan (column->values.f64[row]);
}

/* The first largest entry (NaN never wins; a NaN first entry does, as
 * nothing is larger). Written as selects rather than a branch: in a
 * one-hot span the winner is anywhere, which a branch predictor cannot
 * guess, and decoding runs this for every span of every row. */
static inline guint
argmax_scalar (const float *v,
               guint        n)
{
  float best_value = v[0];
  guint best = 0;

  for (guint j = 1; j < n; j++)
    {
      gboolean larger = v[j] > best_value;

      best = larger ? j : best;
      best_value = larger ? v[j] : best_value;
    }
  return best;
}

/* argmax_scalar four entries at a time, about twice as fast on the spans
 * of 4 to 64 entries decoding meets: the largest value M (maxps keeps its
 * second operand unless the first is larger, so NaN never enters), then
 * the first entry equal to M from the bits of four-entry compares; a last
 * partial group is read as the span's last four entries again. Same
 * answer for every input, NaN, infinities and signed zeros included. */
static inline guint
argmax (const float *v,
        guint        n)
{
#ifdef __SSE2__
  __m128 m, s;
  guint64 bits = 0;
  guint j;

  if (n < 4 || n > 64 || isnan (v[0]))
    return argmax_scalar (v, n);
  m = _mm_set1_ps (v[0]);
  for (j = 0; j + 4 <= n; j += 4)
    m = _mm_max_ps (_mm_loadu_ps (v + j), m);
  if (j < n)
    m = _mm_max_ps (_mm_loadu_ps (v + n - 4), m);
  s = _mm_shuffle_ps (m, m, _MM_SHUFFLE (1, 0, 3, 2));
  m = _mm_max_ps (s, m);
  s = _mm_shuffle_ps (m, m, _MM_SHUFFLE (2, 3, 0, 1));
  m = _mm_max_ps (s, m);
  for (j = 0; j + 4 <= n; j += 4)
    bits |= (guint64) _mm_movemask_ps (_mm_cmpeq_ps (_mm_loadu_ps (v + j), m)) << j;
  if (j < n)
    bits |= (guint64) _mm_movemask_ps (_mm_cmpeq_ps (_mm_loadu_ps (v + n - 4), m)) << (n - 4);
  return (guint) __builtin_ctzll (bits);
#else
  return argmax_scalar (v, n);
#endif
}

static void
value_clear (Value *value)
{
  g_clear_pointer (&value->s, g_free);
  value->len = 0;
}

static void
column_transform_clear (ColumnTransform *ct)
{
  g_clear_pointer (&ct->name, g_free);
  g_clear_pointer (&ct->unit, g_free);
  if (ct->categories != NULL)
    for (guint c = 0; c < ct->n_categories; c++)
      value_clear (&ct->categories[c]);
  g_clear_pointer (&ct->categories, g_free);
  g_clear_pointer (&ct->counts, g_free);
  value_clear (&ct->value);
}

static RfTransformer *
transformer_new (guint n_columns)
{
  RfTransformer *tf = g_new0 (RfTransformer, 1);

  g_atomic_ref_count_init (&tf->ref_count);
  tf->n_columns = n_columns;
  tf->columns = g_new0 (ColumnTransform, n_columns);
  return tf;
}

RfTransformer *
rf_transformer_ref (RfTransformer *transformer)
{
  g_return_val_if_fail (transformer != NULL, NULL);
  g_atomic_ref_count_inc (&transformer->ref_count);
  return transformer;
}

void
rf_transformer_unref (RfTransformer *transformer)
{
  g_return_if_fail (transformer != NULL);
  if (!g_atomic_ref_count_dec (&transformer->ref_count))
    return;
  for (guint c = 0; c < transformer->n_columns; c++)
    column_transform_clear (&transformer->columns[c]);
  g_free (transformer->columns);
  g_free (transformer->spans);
  g_free (transformer);
}

/* The means and stds of the active modes and the heaviest of them, from
 * bgm, modes[], min and max. A std of zero gets a floor far below the
 * column's spread so that the division in encoding is safe. */
static void
derive_modes (ColumnTransform *ct)
{
  double floor_std = 1e-6 * (ct->max - ct->min);
  double heaviest_weight = -1.0;

  if (!(floor_std > 0.0))
    floor_std = G_MINDOUBLE;
  for (guint m = 0; m < ct->n_modes; m++)
    {
      guint c = ct->modes[m];

      ct->mode_means[m] = ct->bgm.means[c];
      ct->mode_stds[m] = MAX (ct->bgm.stds[c], floor_std);
      if (ct->bgm.weights[c] > heaviest_weight)
        {
          heaviest_weight = ct->bgm.weights[c];
          ct->heaviest = m;
        }
    }
}

static guint
category_with_most (const gint64 *counts,
                    guint         n)
{
  guint best = 0;

  for (guint c = 1; c < n; c++)
    if (counts[c] > counts[best])
      best = c;
  return best;
}

static void
add_span (GArray     *spans,
          RfSpanKind  kind,
          guint       offset,
          guint       dim)
{
  RfSpan span = { kind, offset, dim };

  g_array_append_val (spans, span);
}

/* Offsets, widths and spans of every column, in column order. FALSE when
 * the encoded vector would be wider than G_MAXINT entries (only a damaged
 * JSON document can ask for that). */
static gboolean
compute_layout (RfTransformer *tf)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (RfSpan));
  guint64 offset = 0;

  for (guint i = 0; i < tf->n_columns; i++)
    {
      ColumnTransform *ct = &tf->columns[i];
      guint o = (guint) offset;

      ct->first_span = spans->len;
      switch (ct->kind)
        {
        case RF_TRANSFORM_CONTINUOUS:
          add_span (spans, RF_SPAN_TANH, o, 1);
          add_span (spans, RF_SPAN_SOFTMAX, o + 1, ct->n_modes);
          ct->dim = 1 + ct->n_modes;
          if (ct->missing)
            {
              add_span (spans, RF_SPAN_SOFTMAX, o + ct->dim, 2);
              ct->dim += 2;
            }
          break;
        case RF_TRANSFORM_DISCRETE:
          ct->dim = ct->n_categories + (ct->missing ? 1 : 0);
          add_span (spans, RF_SPAN_SOFTMAX, o, ct->dim);
          break;
        case RF_TRANSFORM_CONSTANT:
        default:
          ct->dim = 0;
          if (ct->missing)
            {
              add_span (spans, RF_SPAN_SOFTMAX, o, 2);
              ct->dim = 2;
            }
          break;
        }
      ct->offset = o;
      ct->n_spans = spans->len - ct->first_span;
      offset += ct->dim;
      if (offset > G_MAXINT)
        return FALSE;
    }
  tf->output_dim = (guint) offset;
  tf->n_spans = spans->len;
  g_free (tf->spans);
  tf->spans = (RfSpan *) (void *) g_array_free (g_steal_pointer (&spans), FALSE);
  return TRUE;
}

/* Runs func on n_threads threads (the calling one included) and waits for
 * them; falls back to fewer threads when the system refuses more. */
static void
run_workers (GThreadFunc  func,
             gpointer     data,
             guint        n_threads,
             const char  *name)
{
  GThread *threads[MAX_THREADS];
  guint started = 0;

  n_threads = CLAMP (n_threads, 1, MAX_THREADS);
  for (guint t = 1; t < n_threads; t++)
    {
      GThread *thread = g_thread_try_new (name, func, data, NULL);

      if (thread == NULL)
        break;
      threads[started++] = thread;
    }
  func (data);
  for (guint t = 0; t < started; t++)
    g_thread_join (threads[t]);
}

static guint
effective_threads (guint requested)
{
  return requested > 0 ? requested : (guint) MAX (g_get_num_processors (), 1);
}

/* ------------------------------------------------------------------------ */
/* Fitting                                                                  */

void
rf_transformer_options_init (RfTransformerOptions *options)
{
  g_return_if_fail (options != NULL);

  options->max_discrete_levels = DEFAULT_MAX_DISCRETE_LEVELS;
  options->max_modes = RF_BGM_MAX_COMPONENTS;
  options->weight_threshold = RF_BGM_WEIGHT_THRESHOLD;
  options->n_threads = 0;
}

void
rf_decode_options_init (RfDecodeOptions *options)
{
  g_return_if_fail (options != NULL);

  options->clip_to_training_range = TRUE;
  options->range_min = NULL;
  options->range_max = NULL;
  options->category_temperature = RF_DEFAULT_CATEGORY_TEMPERATURE;
}

/* A string value by pointer into the column being fitted. */
typedef struct
{
  const char *data;
  gsize       len;
} StringKey;

static guint
string_key_hash (gconstpointer key)
{
  const StringKey *k = key;
  guint32 h = 2166136261u;

  /* FNV-1a: strings may hold NUL bytes, so g_str_hash does not do. */
  for (gsize i = 0; i < k->len; i++)
    h = (h ^ (guchar) k->data[i]) * 16777619u;
  return h;
}

static gboolean
string_key_equal (gconstpointer a,
                  gconstpointer b)
{
  const StringKey *x = a, *y = b;

  return x->len == y->len && memcmp (x->data, y->data, x->len) == 0;
}

static int
compare_string_key_indices (gconstpointer a,
                            gconstpointer b,
                            gpointer      user_data)
{
  const StringKey *keys = user_data;
  const StringKey *x = &keys[*(const guint *) a], *y = &keys[*(const guint *) b];

  return compare_bytes (x->data, x->len, y->data, y->len);
}

/* Categories of a string column (sorted by bytes) with their counts. */
static gboolean
fit_strings (const RfColumn  *column,
             ColumnTransform *ct,
             GError         **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (string_key_hash, string_key_equal);
  g_autofree StringKey *keys = g_new (StringKey, RF_TRANSFORMER_MAX_CATEGORIES + 1);
  g_autofree gint64 *counts = g_new0 (gint64, RF_TRANSFORMER_MAX_CATEGORIES + 1);
  g_autofree guint *order = NULL;
  guint n = 0;

  for (gsize row = 0; row < column->n_rows; row++)
    {
      StringKey key;
      gpointer found;

      if (!rf_column_is_valid (column, row))
        continue;
      key.data = column->bytes + column->offsets[row];
      key.len = column->offsets[row + 1] - column->offsets[row];
      found = g_hash_table_lookup (seen, &key);
      if (found != NULL)
        {
          counts[GPOINTER_TO_UINT (found) - 1]++;
          continue;
        }
      if (n == RF_TRANSFORMER_MAX_CATEGORIES)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                       "Column “%s” has more than %d different values (row %" G_GSIZE_FORMAT
                       " brings one more): too many categories to model; drop the column "
                       "or map it to fewer categories",
                       column->name, RF_TRANSFORMER_MAX_CATEGORIES, row + 1);
          return FALSE;
        }
      keys[n] = key;
      counts[n] = 1;
      n++;
      g_hash_table_insert (seen, &keys[n - 1], GUINT_TO_POINTER (n));
    }

  order = g_new (guint, MAX (n, 1));
  for (guint c = 0; c < n; c++)
    order[c] = c;
  g_qsort_with_data (order, (gint) n, sizeof (guint), compare_string_key_indices, keys);

  ct->n_categories = n;
  ct->categories = g_new0 (Value, MAX (n, 1));
  ct->counts = g_new0 (gint64, MAX (n, 1));
  for (guint c = 0; c < n; c++)
    {
      const StringKey *key = &keys[order[c]];

      ct->categories[c].s = g_malloc (key->len + 1);
      memcpy (ct->categories[c].s, key->data, key->len);
      ct->categories[c].s[key->len] = '\0';
      ct->categories[c].len = key->len;
      ct->counts[c] = counts[order[c]];
    }
  return TRUE;
}

/* What identifies a present value of an int64 or double column as a
 * level: the integer, or the double's exact bits with -0.0 folded into 0.0
 * (NaN never gets here: it is missing). */
static inline guint64
level_key (const RfColumn *column,
           gsize           row)
{
  if (column->type == RF_COLUMN_DOUBLE)
    {
      double x = no_negative_zero (column->values.f64[row]);
      guint64 bits;

      memcpy (&bits, &x, sizeof bits);
      return bits;
    }
  return (guint64) column->values.i64[row];
}

static Value
level_value (RfColumnType type,
             guint64      key)
{
  Value value = { 0 };

  if (type == RF_COLUMN_DOUBLE)
    memcpy (&value.d, &key, sizeof value.d);
  else
    value.i = (gint64) key;
  return value;
}

typedef struct
{
  RfColumnType   type;
  const guint64 *keys;
} LevelOrder;

static int
compare_level_indices (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  const LevelOrder *order = user_data;
  Value x = level_value (order->type, order->keys[*(const guint *) a]);
  Value y = level_value (order->type, order->keys[*(const guint *) b]);

  return compare_values (order->type, &x, &y);
}

/* When the present values of an int64 or double column take at most
 * max_levels distinct values, makes them ct's categories (ascending, with
 * their counts) and returns TRUE; returns FALSE as soon as one more shows
 * up. */
static gboolean
fit_levels (const RfColumn  *column,
            guint            max_levels,
            ColumnTransform *ct)
{
  /* An open-addressing set kept under half full: slots hold a key's index
   * plus one, 0 when empty. */
  g_autofree guint *slots = NULL;
  g_autofree guint64 *keys = NULL;
  g_autofree gint64 *counts = NULL;
  g_autofree guint *order = NULL;
  LevelOrder level_order;
  guint n_slots = 2, n = 0, last = 0;
  guint64 last_key = 0;

  if (max_levels == 0)
    return FALSE;
  while (n_slots < 2 * (max_levels + 1))
    n_slots *= 2;
  slots = g_new0 (guint, n_slots);
  keys = g_new (guint64, max_levels);
  counts = g_new0 (gint64, max_levels);

  for (gsize row = 0; row < column->n_rows; row++)
    {
      guint64 key;
      guint h;

      if (!is_present (column, row))
        continue;
      key = level_key (column, row);
      /* Sensor columns repeat a value for many rows in a row. */
      if (last != 0 && key == last_key)
        {
          counts[last - 1]++;
          continue;
        }
      h = (guint) mix64 (key) & (n_slots - 1);
      while (slots[h] != 0 && keys[slots[h] - 1] != key)
        h = (h + 1) & (n_slots - 1);
      if (slots[h] == 0)
        {
          if (n == max_levels)
            return FALSE;
          keys[n++] = key;
          slots[h] = n;
        }
      last = slots[h];
      last_key = key;
      counts[last - 1]++;
    }

  order = g_new (guint, MAX (n, 1));
  for (guint c = 0; c < n; c++)
    order[c] = c;
  level_order.type = column->type;
  level_order.keys = keys;
  g_qsort_with_data (order, (gint) n, sizeof (guint), compare_level_indices, &level_order);

  ct->n_categories = n;
  ct->categories = g_new0 (Value, MAX (n, 1));
  ct->counts = g_new0 (gint64, MAX (n, 1));
  for (guint c = 0; c < n; c++)
    {
      ct->categories[c] = level_value (column->type, keys[order[c]]);
      ct->counts[c] = counts[order[c]];
    }
  return TRUE;
}

static guint
find_int64 (const Value *categories,
            guint        n,
            gint64       x,
            gboolean    *found)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (categories[mid].i < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  *found = lo < n && categories[lo].i == x;
  return lo;
}

/* 10^d for d in 0..RF_TRANSFORMER_MAX_DECIMALS, exact in a double. */
static const double powers_of_ten[RF_TRANSFORMER_MAX_DECIMALS + 1] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
};

/* The fewest decimal places that write every present value of a DOUBLE
 * column exactly (x == round (x 10^d) / 10^d), or -1 beyond
 * RF_TRANSFORMER_MAX_DECIMALS. Sensor exports carry a fixed precision
 * (FD001: 2 to 4 places); synthetic values rounded to it look like the
 * data and write a third as many digits. */
static int
column_decimals (const RfColumn *column)
{
  int d = 0;

  for (gsize row = 0; row < column->n_rows; row++)
    {
      double x = column->values.f64[row];

      if (!rf_column_is_valid (column, row))
        continue;
      while (round (x * powers_of_ten[d]) / powers_of_ten[d] != x)
        if (++d > RF_TRANSFORMER_MAX_DECIMALS)
          return -1;
    }
  return d;
}

static gboolean
fit_continuous (const RfColumn             *column,
                guint                       index,
                gsize                       n_present,
                const RfTransformerOptions *options,
                guint64                     seed,
                ColumnTransform            *ct,
                GCancellable               *cancellable,
                GError                    **error)
{
  g_autofree double *xs = g_try_new (double, n_present);
  guint k;
  gsize m = 0;

  if (xs == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "Column “%s”: not enough memory for its %" G_GSIZE_FORMAT
                   " values; train on fewer rows",
                   column->name, n_present);
      return FALSE;
    }
  for (gsize row = 0; row < column->n_rows; row++)
    {
      double x = numeric_value (column, row);

      if (!isnan (x))
        xs[m++] = x;
    }
  g_assert (m == n_present);

  k = (guint) MIN ((gsize) options->max_modes, n_present);
  if (!rf_bgm_fit (&ct->bgm, xs, m, k, derive_seed (seed, STREAM_FIT, index, 0),
                   cancellable, error))
    {
      g_prefix_error (error, "Column “%s”: ", column->name);
      return FALSE;
    }
  for (guint c = 0; c < ct->bgm.n_components; c++)
    {
      ct->bgm.means[c] = no_negative_zero (ct->bgm.means[c]);
      ct->bgm.log_offsets[c] = no_negative_zero (ct->bgm.log_offsets[c]);
      ct->bgm.weights[c] = no_negative_zero (ct->bgm.weights[c]);
      if (ct->bgm.weights[c] > options->weight_threshold)
        ct->modes[ct->n_modes++] = c;
    }
  if (ct->n_modes == 0)
    {
      /* A threshold above every weight: the heaviest component still is a
       * mode, or the column could not be encoded at all. */
      guint best = 0;

      for (guint c = 1; c < ct->bgm.n_components; c++)
        if (ct->bgm.weights[c] > ct->bgm.weights[best])
          best = c;
      ct->modes[ct->n_modes++] = best;
    }
  derive_modes (ct);
  return TRUE;
}

static gboolean
fit_column (const RfColumn             *column,
            guint                       index,
            const RfTransformerOptions *options,
            guint64                     seed,
            ColumnTransform            *ct,
            GCancellable               *cancellable,
            GError                    **error)
{
  gsize n_present = 0, first = 0;
  double min = INFINITY, max = -INFINITY;
  gboolean all_equal = TRUE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  ct->name = g_strdup (column->name);
  ct->unit = g_strdup (column->unit);
  ct->type = column->type;
  ct->role = column->role;

  /* One pass: presence, range, infinite values, and whether every present
   * value is the same. */
  for (gsize row = 0; row < column->n_rows; row++)
    {
      if (!is_present (column, row))
        continue;
      if (n_present == 0)
        first = row;
      n_present++;
      switch (column->type)
        {
        case RF_COLUMN_DOUBLE:
          {
            double x = column->values.f64[row];

            if (isinf (x))
              {
                g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                             "Column “%s” has an infinite value in row %" G_GSIZE_FORMAT
                             ": the model cannot learn it; replace it or mark it missing "
                             "before training",
                             column->name, row + 1);
                return FALSE;
              }
            min = MIN (min, x);
            max = MAX (max, x);
            all_equal = min == max;
          }
          break;
        case RF_COLUMN_INT64:
        case RF_COLUMN_TIMESTAMP:
        case RF_COLUMN_BOOL:
          {
            double x = numeric_value (column, row);

            min = MIN (min, x);
            max = MAX (max, x);
            if (all_equal)
              all_equal = column->type == RF_COLUMN_BOOL
                          ? column->values.u8[row] == column->values.u8[first]
                          : column->values.i64[row] == column->values.i64[first];
          }
          break;
        case RF_COLUMN_STRING:
        default:
          if (all_equal)
            all_equal = compare_bytes (column->bytes + column->offsets[row],
                                       column->offsets[row + 1] - column->offsets[row],
                                       column->bytes + column->offsets[first],
                                       column->offsets[first + 1] - column->offsets[first]) == 0;
          break;
        }
    }

  if (n_present == 0 || all_equal)
    {
      ct->kind = RF_TRANSFORM_CONSTANT;
      ct->has_value = n_present > 0;
      /* A missing indicator only means something next to present values. */
      ct->missing = n_present > 0 && n_present < column->n_rows;
      if (!ct->has_value)
        return TRUE;
      switch (column->type)
        {
        case RF_COLUMN_DOUBLE:
          ct->value.d = no_negative_zero (column->values.f64[first]);
          break;
        case RF_COLUMN_INT64:
        case RF_COLUMN_TIMESTAMP:
          ct->value.i = column->values.i64[first];
          break;
        case RF_COLUMN_BOOL:
          ct->value.i = column->values.u8[first];
          break;
        case RF_COLUMN_STRING:
        default:
          ct->value.len = column->offsets[first + 1] - column->offsets[first];
          ct->value.s = g_malloc (ct->value.len + 1);
          memcpy (ct->value.s, column->bytes + column->offsets[first], ct->value.len);
          ct->value.s[ct->value.len] = '\0';
          break;
        }
      return TRUE;
    }

  switch (column->type)
    {
    case RF_COLUMN_STRING:
      ct->kind = RF_TRANSFORM_DISCRETE;
      ct->missing = n_present < column->n_rows;
      if (!fit_strings (column, ct, error))
        return FALSE;
      break;

    case RF_COLUMN_BOOL:
      ct->kind = RF_TRANSFORM_DISCRETE;
      ct->missing = n_present < column->n_rows;
      ct->n_categories = 2;
      ct->categories = g_new0 (Value, 2);
      ct->counts = g_new0 (gint64, 2);
      ct->categories[1].i = 1;
      for (gsize row = 0; row < column->n_rows; row++)
        if (rf_column_is_valid (column, row))
          ct->counts[column->values.u8[row] ? 1 : 0]++;
      break;

    case RF_COLUMN_INT64:
    case RF_COLUMN_DOUBLE:
      /* Few distinct values, each seen often on average: categories,
       * reproduced exactly, where a mixture would smear them. The ratio
       * keeps a tiny table, where every value is rare, continuous. */
      if (fit_levels (column,
                      (guint) MIN ((gsize) options->max_discrete_levels,
                                   n_present / RF_TRANSFORMER_MIN_ROWS_PER_LEVEL),
                      ct))
        {
          ct->kind = RF_TRANSFORM_DISCRETE;
          ct->missing = n_present < column->n_rows;
          break;
        }
      G_GNUC_FALLTHROUGH;

    case RF_COLUMN_TIMESTAMP:
    default:
      ct->kind = RF_TRANSFORM_CONTINUOUS;
      ct->missing = n_present < column->n_rows;
      ct->min = no_negative_zero (min);
      ct->max = no_negative_zero (max);
      ct->decimals = column->type == RF_COLUMN_DOUBLE ? column_decimals (column) : -1;
      if (!fit_continuous (column, index, n_present, options, seed, ct, cancellable, error))
        return FALSE;
      break;
    }

  if (ct->kind == RF_TRANSFORM_DISCRETE)
    ct->most_frequent = category_with_most (ct->counts, ct->n_categories);
  return TRUE;
}

typedef struct
{
  const RfTable              *table;
  const RfTransformerOptions *options;
  guint64                     seed;
  RfTransformer              *tf;
  GError                    **errors;       /* one slot per column */
  gint                        next;         /* atomic: next column to fit */
  gint                        done;         /* atomic */
  GMutex                      lock;
  guint                       first_failed; /* under lock; n_columns if none */
  RfProgress                 *progress;
  GCancellable               *cancellable;
} FitJob;

static gpointer
fit_worker (gpointer data)
{
  FitJob *job = data;
  guint n = job->tf->n_columns;

  for (;;)
    {
      guint i = (guint) g_atomic_int_add (&job->next, 1);
      gboolean skip;
      guint done;

      if (i >= n)
        break;
      /* After a failure only earlier columns are still worth fitting: the
       * error reported is the first column's, whatever the timing. */
      g_mutex_lock (&job->lock);
      skip = i > job->first_failed;
      g_mutex_unlock (&job->lock);
      if (skip)
        continue;

      if (!fit_column (rf_table_get_column (job->table, i), i, job->options, job->seed,
                       &job->tf->columns[i], job->cancellable, &job->errors[i]))
        {
          g_mutex_lock (&job->lock);
          job->first_failed = MIN (job->first_failed, i);
          g_mutex_unlock (&job->lock);
        }
      done = (guint) g_atomic_int_add (&job->done, 1) + 1;
      rf_progress_report (job->progress, (double) done / n, "Fitting the data transformer");
    }
  return NULL;
}

RfTransformer *
rf_transformer_fit (const RfTable              *table,
                    const RfTransformerOptions *options,
                    guint64                     seed,
                    RfProgress                 *progress,
                    GCancellable               *cancellable,
                    GError                    **error)
{
  RfTransformerOptions defaults;
  g_autoptr(RfTransformer) tf = NULL;
  FitJob job = { 0 };
  guint n_columns;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (options == NULL)
    {
      rf_transformer_options_init (&defaults);
      options = &defaults;
    }
  g_return_val_if_fail (options->max_modes >= 1 && options->max_modes <= RF_BGM_MAX_COMPONENTS, NULL);
  g_return_val_if_fail (options->max_discrete_levels <= RF_TRANSFORMER_MAX_CATEGORIES, NULL);
  g_return_val_if_fail (options->weight_threshold >= 0.0 && options->weight_threshold < 1.0, NULL);

  n_columns = rf_table_get_n_columns (table);
  if (n_columns == 0 || rf_table_get_n_rows (table) == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "Cannot fit the data transformer: the table has %u columns and %"
                   G_GSIZE_FORMAT " rows; a model needs at least one row of data",
                   n_columns, rf_table_get_n_rows (table));
      return NULL;
    }

  tf = transformer_new (n_columns);
  tf->n_threads = options->n_threads;

  job.table = table;
  job.options = options;
  job.seed = seed;
  job.tf = tf;
  job.errors = g_new0 (GError *, n_columns);
  job.first_failed = n_columns;
  job.progress = progress;
  job.cancellable = cancellable;
  g_mutex_init (&job.lock);

  rf_progress_report (progress, 0.0, "Fitting the data transformer");
  run_workers (fit_worker, &job, MIN (effective_threads (options->n_threads), n_columns),
               "rf-transformer-fit");
  g_mutex_clear (&job.lock);

  if (job.first_failed < n_columns)
    {
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        g_propagate_error (error, g_steal_pointer (&job.errors[job.first_failed]));
      for (guint i = 0; i < n_columns; i++)
        g_clear_error (&job.errors[i]);
      g_free (job.errors);
      return NULL;
    }
  g_free (job.errors);

  if (!compute_layout (tf))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "Cannot fit the data transformer: the %u columns would encode to more "
                   "than %d values per row; drop columns with many categories",
                   n_columns, G_MAXINT);
      return NULL;
    }
  return g_steal_pointer (&tf);
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                */

guint
rf_transformer_get_output_dim (const RfTransformer *transformer)
{
  g_return_val_if_fail (transformer != NULL, 0);
  return transformer->output_dim;
}

const RfSpan *
rf_transformer_get_spans (const RfTransformer *transformer,
                          guint               *n_spans)
{
  g_return_val_if_fail (transformer != NULL, NULL);
  if (n_spans != NULL)
    *n_spans = transformer->n_spans;
  return transformer->spans;
}

guint
rf_transformer_get_n_columns (const RfTransformer *transformer)
{
  g_return_val_if_fail (transformer != NULL, 0);
  return transformer->n_columns;
}

#define COLUMN_OR_RETURN(transformer, index, val) \
  g_return_val_if_fail ((transformer) != NULL, (val)); \
  g_return_val_if_fail ((index) < (transformer)->n_columns, (val))

const char *
rf_transformer_get_column_name (const RfTransformer *transformer,
                                guint                index)
{
  COLUMN_OR_RETURN (transformer, index, NULL);
  return transformer->columns[index].name;
}

RfColumnType
rf_transformer_get_column_type (const RfTransformer *transformer,
                                guint                index)
{
  COLUMN_OR_RETURN (transformer, index, RF_COLUMN_DOUBLE);
  return transformer->columns[index].type;
}

const char *
rf_transformer_get_column_unit (const RfTransformer *transformer,
                                guint                index)
{
  COLUMN_OR_RETURN (transformer, index, NULL);
  return transformer->columns[index].unit;
}

RfColumnRole
rf_transformer_get_column_role (const RfTransformer *transformer,
                                guint                index)
{
  COLUMN_OR_RETURN (transformer, index, RF_ROLE_SENSOR);
  return transformer->columns[index].role;
}

RfTransformKind
rf_transformer_get_column_kind (const RfTransformer *transformer,
                                guint                index)
{
  COLUMN_OR_RETURN (transformer, index, RF_TRANSFORM_CONSTANT);
  return transformer->columns[index].kind;
}

guint
rf_transformer_get_column_modes (const RfTransformer *transformer,
                                 guint                index)
{
  COLUMN_OR_RETURN (transformer, index, 0);
  return transformer->columns[index].kind == RF_TRANSFORM_CONTINUOUS
         ? transformer->columns[index].n_modes : 0;
}

/* ------------------------------------------------------------------------ */
/* Encoding                                                                 */

/* Finds the fitted columns in table and checks their types and values.
 * sources receives one column per transformer column. */
static gboolean
resolve_columns (const RfTransformer  *tf,
                 const RfTable        *table,
                 const RfColumn      **sources,
                 GError              **error)
{
  for (guint i = 0; i < tf->n_columns; i++)
    {
      const ColumnTransform *ct = &tf->columns[i];
      const RfColumn *column = rf_table_find_column (table, ct->name);
      gboolean fitted_string = ct->type == RF_COLUMN_STRING;

      if (column == NULL)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                       "The data has no column “%s”, which the model was trained on; "
                       "add it or rename the matching column",
                       ct->name);
          return FALSE;
        }
      /* Numbers stand in for numbers (an int column read as double, say);
       * text only for text. */
      if (fitted_string != (column->type == RF_COLUMN_STRING))
        {
          g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                       "Column “%s” holds %s values but the model was trained on %s "
                       "values; convert the column or map another one to it",
                       ct->name, rf_column_type_to_string (column->type),
                       rf_column_type_to_string (ct->type));
          return FALSE;
        }
      if (column->type == RF_COLUMN_DOUBLE)
        for (gsize row = 0; row < column->n_rows; row++)
          if (rf_column_is_valid (column, row) && isinf (column->values.f64[row]))
            {
              g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                           "Column “%s” has an infinite value in row %" G_GSIZE_FORMAT
                           "; replace it or mark it missing first",
                           ct->name, row + 1);
              return FALSE;
            }
      sources[i] = column;
    }
  return TRUE;
}

/* The category index of a present value of source, or -1 when it was
 * never seen in training. */
static gint
find_category (const ColumnTransform *ct,
               const RfColumn        *source,
               gsize                  row)
{
  guint lo = 0, hi = ct->n_categories;

  if (source->type == RF_COLUMN_STRING)
    {
      const char *data = source->bytes + source->offsets[row];
      gsize len = source->offsets[row + 1] - source->offsets[row];

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          int c = compare_bytes (ct->categories[mid].s, ct->categories[mid].len, data, len);

          if (c == 0)
            return (gint) mid;
          if (c < 0)
            lo = mid + 1;
          else
            hi = mid;
        }
      return -1;
    }

  if (ct->type == RF_COLUMN_DOUBLE)
    {
      /* Any numeric source (timestamps as seconds) matches by value; -0.0
       * equals the category 0. */
      double x = numeric_value (source, row);

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          double v = ct->categories[mid].d;

          if (v == x)
            return (gint) mid;
          if (v < x)
            lo = mid + 1;
          else
            hi = mid;
        }
      return -1;
    }

  if (source->type == RF_COLUMN_INT64 || source->type == RF_COLUMN_BOOL)
    {
      gint64 x = source->type == RF_COLUMN_INT64 ? source->values.i64[row]
                                                 : source->values.u8[row];
      gboolean found;
      guint c = find_int64 (ct->categories, ct->n_categories, x, &found);

      return found ? (gint) c : -1;
    }
  else
    {
      /* Doubles and timestamps (as seconds) match integral categories. */
      double x = numeric_value (source, row);

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          double v = (double) ct->categories[mid].i;

          if (v == x)
            return (gint) mid;
          if (v < x)
            lo = mid + 1;
          else
            hi = mid;
        }
      return -1;
    }
}

static gboolean
equals_constant (const ColumnTransform *ct,
                 const RfColumn        *source,
                 gsize                  row)
{
  if (!ct->has_value)
    return FALSE;
  if (source->type == RF_COLUMN_STRING)
    return compare_bytes (ct->value.s, ct->value.len,
                          source->bytes + source->offsets[row],
                          source->offsets[row + 1] - source->offsets[row]) == 0;
  if (source->type == ct->type && ct->type != RF_COLUMN_DOUBLE)
    return ct->type == RF_COLUMN_BOOL ? ct->value.i == source->values.u8[row]
                                      : ct->value.i == source->values.i64[row];
  switch (ct->type)
    {
    case RF_COLUMN_DOUBLE:
      return numeric_value (source, row) == ct->value.d;
    case RF_COLUMN_TIMESTAMP:
      return numeric_value (source, row) == (double) ct->value.i / G_USEC_PER_SEC;
    case RF_COLUMN_INT64:
    case RF_COLUMN_BOOL:
    case RF_COLUMN_STRING:
    default:
      return numeric_value (source, row) == (double) ct->value.i;
    }
}

static void
encode_continuous (const ColumnTransform *ct,
                   const RfColumn        *source,
                   gsize                  row0,
                   gsize                  row1,
                   RfRng                 *rng,
                   float                 *out,
                   guint                  stride)
{
  guint n_modes = ct->n_modes;

  for (gsize row = row0; row < row1; row++)
    {
      float *o = out + row * stride + ct->offset;
      double x = numeric_value (source, row);
      double v = 0.0;
      guint k;

      memset (o, 0, ct->dim * sizeof (float));
      if (isnan (x))
        {
          /* Missing: scalar 0 on the heaviest mode, flagged missing. */
          o[1 + ct->heaviest] = 1.0f;
          if (ct->missing)
            o[1 + n_modes + 1] = 1.0f;
          continue;
        }

      k = 0;
      if (n_modes > 1)
        {
          double resp[RF_BGM_MAX_COMPONENTS];
          double p[RF_BGM_MAX_COMPONENTS];
          double total = 0.0, u;

          rf_bgm_responsibilities (&ct->bgm, x, resp);
          for (guint m = 0; m < n_modes; m++)
            {
              p[m] = resp[ct->modes[m]] + RESP_EPSILON;
              total += p[m];
            }
          u = rf_rng_uniform (rng) * total;
          k = n_modes - 1;
          for (guint m = 0; m < n_modes; m++)
            {
              u -= p[m];
              if (u < 0.0)
                {
                  k = m;
                  break;
                }
            }
        }
      v = (x - ct->mode_means[k]) / (STD_MULTIPLIER * ct->mode_stds[k]);
      o[0] = (float) CLAMP (v, -CLIP_LIMIT, CLIP_LIMIT);
      o[1 + k] = 1.0f;
      if (ct->missing)
        o[1 + n_modes] = 1.0f;
    }
}

static void
encode_discrete (const ColumnTransform *ct,
                 const RfColumn        *source,
                 gsize                  row0,
                 gsize                  row1,
                 float                 *out,
                 guint                  stride)
{
  for (gsize row = row0; row < row1; row++)
    {
      float *o = out + row * stride + ct->offset;
      gint c;

      memset (o, 0, ct->dim * sizeof (float));
      if (!is_present (source, row))
        c = ct->missing ? (gint) ct->n_categories : (gint) ct->most_frequent;
      else
        {
          c = find_category (ct, source, row);
          if (c < 0)
            c = (gint) ct->most_frequent;
        }
      o[c] = 1.0f;
    }
}

static void
encode_constant (const ColumnTransform *ct,
                 const RfColumn        *source,
                 gsize                  row0,
                 gsize                  row1,
                 float                 *out,
                 guint                  stride)
{
  for (gsize row = row0; row < row1; row++)
    {
      float *o = out + row * stride + ct->offset;
      gboolean present = is_present (source, row);

      o[0] = present ? 1.0f : 0.0f;
      o[1] = present ? 0.0f : 1.0f;
    }
}

typedef struct
{
  const RfTransformer  *tf;
  const RfColumn      **sources;
  guint                *task_columns;   /* columns that have a span */
  guint                 n_blocks;
  guint                 n_tasks;        /* task t: column t / n_blocks, block t % n_blocks */
  gsize                 n_rows;
  guint64               seed;
  float                *out;
  gint                  next;           /* atomic */
  gint                  done;           /* atomic */
  gint                  stop;           /* atomic */
  RfProgress           *progress;
  GCancellable         *cancellable;
} EncodeJob;

static gpointer
encode_worker (gpointer data)
{
  EncodeJob *job = data;

  for (;;)
    {
      guint t = (guint) g_atomic_int_add (&job->next, 1);
      guint column, block, done;
      const ColumnTransform *ct;
      gsize row0, row1;

      if (t >= job->n_tasks || g_atomic_int_get (&job->stop))
        break;
      if (g_cancellable_is_cancelled (job->cancellable))
        {
          g_atomic_int_set (&job->stop, 1);
          break;
        }
      column = job->task_columns[t / job->n_blocks];
      block = t % job->n_blocks;
      ct = &job->tf->columns[column];
      row0 = (gsize) block * BLOCK_ROWS;
      row1 = MIN (row0 + BLOCK_ROWS, job->n_rows);

      switch (ct->kind)
        {
        case RF_TRANSFORM_CONTINUOUS:
          {
            RfRng rng;

            rf_rng_init (&rng, derive_seed (job->seed, STREAM_ENCODE, column, block));
            encode_continuous (ct, job->sources[column], row0, row1, &rng, job->out,
                               job->tf->output_dim);
          }
          break;
        case RF_TRANSFORM_DISCRETE:
          encode_discrete (ct, job->sources[column], row0, row1, job->out,
                           job->tf->output_dim);
          break;
        case RF_TRANSFORM_CONSTANT:
        default:
          encode_constant (ct, job->sources[column], row0, row1, job->out,
                           job->tf->output_dim);
          break;
        }
      done = (guint) g_atomic_int_add (&job->done, 1) + 1;
      rf_progress_report (job->progress, (double) done / job->n_tasks, "Encoding the data");
    }
  return NULL;
}

gboolean
rf_transformer_encode (const RfTransformer  *transformer,
                       const RfTable        *table,
                       guint64               seed,
                       float                *out,
                       RfProgress           *progress,
                       GCancellable         *cancellable,
                       GError              **error)
{
  g_autofree const RfColumn **sources = NULL;
  g_autofree guint *task_columns = NULL;
  EncodeJob job = { 0 };
  gsize n_rows;
  guint n_task_columns = 0;
  guint64 n_blocks;

  g_return_val_if_fail (transformer != NULL, FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  n_rows = rf_table_get_n_rows (table);
  g_return_val_if_fail (out != NULL || n_rows == 0 || transformer->output_dim == 0, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  sources = g_new0 (const RfColumn *, transformer->n_columns);
  if (!resolve_columns (transformer, table, sources, error))
    return FALSE;

  task_columns = g_new (guint, transformer->n_columns);
  for (guint i = 0; i < transformer->n_columns; i++)
    if (transformer->columns[i].dim > 0)
      task_columns[n_task_columns++] = i;
  n_blocks = (n_rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
  if (n_task_columns == 0 || n_blocks == 0)
    {
      rf_progress_report (progress, 1.0, "Encoding the data");
      return TRUE;
    }
  if (n_blocks * n_task_columns > G_MAXINT)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "Cannot encode %" G_GSIZE_FORMAT " rows of %u columns at once; "
                   "encode the table in slices",
                   n_rows, n_task_columns);
      return FALSE;
    }

  job.tf = transformer;
  job.sources = sources;
  job.task_columns = task_columns;
  job.n_blocks = (guint) n_blocks;
  job.n_tasks = (guint) n_blocks * n_task_columns;
  job.n_rows = n_rows;
  job.seed = seed;
  job.out = out;
  job.progress = progress;
  job.cancellable = cancellable;
  run_workers (encode_worker, &job, MIN (effective_threads (transformer->n_threads), job.n_tasks),
               "rf-transformer-encode");

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return TRUE;
}

gboolean
rf_transformer_out_of_mode_share (const RfTransformer *transformer,
                                  const RfTable       *table,
                                  double              *share,
                                  GError             **error)
{
  g_autofree const RfColumn **sources = NULL;
  gsize n_present = 0, n_out = 0;

  g_return_val_if_fail (transformer != NULL, FALSE);
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (share != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sources = g_new0 (const RfColumn *, transformer->n_columns);
  if (!resolve_columns (transformer, table, sources, error))
    return FALSE;

  for (guint i = 0; i < transformer->n_columns; i++)
    {
      const ColumnTransform *ct = &transformer->columns[i];
      const RfColumn *source = sources[i];

      for (gsize row = 0; row < source->n_rows; row++)
        {
          gboolean outside;

          if (!is_present (source, row))
            continue;
          n_present++;
          switch (ct->kind)
            {
            case RF_TRANSFORM_CONTINUOUS:
              {
                double x = numeric_value (source, row);

                outside = TRUE;
                for (guint m = 0; m < ct->n_modes && outside; m++)
                  outside = fabs (x - ct->mode_means[m])
                            > CLIP_LIMIT * STD_MULTIPLIER * ct->mode_stds[m];
              }
              break;
            case RF_TRANSFORM_DISCRETE:
              outside = find_category (ct, source, row) < 0;
              break;
            case RF_TRANSFORM_CONSTANT:
            default:
              outside = !equals_constant (ct, source, row);
              break;
            }
          if (outside)
            n_out++;
        }
    }
  *share = n_present > 0 ? (double) n_out / (double) n_present : 0.0;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Decoding                                                                 */

/* A missing row of a fixed-width output column written in place (see
 * rf_transformer_decode_rows): its value slot stays zero and it loses its
 * validity bit. */
static inline void
put_missing (RfColumn *column,
             gsize     row)
{
  rf_column_mark_missing_in_place (column, row);
}

/* values[index[i]] for each of the n rows, or a missing value where
 * index[i] >= n_values: fixed-width columns at rows [at, at + n), string
 * columns appended. The type is looked at once per block, not once per
 * value. */
static void
put_values (RfColumn    *column,
            gsize        at,
            const Value *values,
            guint        n_values,
            const guint *index,
            gsize        n)
{
  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      for (gsize i = 0; i < n; i++)
        if (index[i] < n_values)
          column->values.f64[at + i] = values[index[i]].d;
        else
          put_missing (column, at + i);
      break;
    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      for (gsize i = 0; i < n; i++)
        if (index[i] < n_values)
          column->values.i64[at + i] = values[index[i]].i;
        else
          put_missing (column, at + i);
      break;
    case RF_COLUMN_BOOL:
      for (gsize i = 0; i < n; i++)
        if (index[i] < n_values)
          column->values.u8[at + i] = values[index[i]].i != 0;
        else
          put_missing (column, at + i);
      break;
    case RF_COLUMN_STRING:
    default:
      for (gsize i = 0; i < n; i++)
        if (index[i] < n_values)
          rf_column_append_string (column, values[index[i]].s, (gssize) values[index[i]].len);
        else
          rf_column_append_null (column);
      break;
    }
}

/* What decoding a continuous column may produce. */
typedef struct
{
  /* x is clamped to [clip_min, clip_max] (the training range), then to
   * [range_min, range_max]; an absent limit is infinite. */
  double   clip_min;
  double   clip_max;
  double   range_min;
  double   range_max;
  double   scale;         /* column units per decoded unit (us per s) */
  gboolean whole_bounds;  /* int64 and timestamp results stay in [lo, hi] */
  gint64   lo;
  gint64   hi;
} Limits;

static void
limits_init (Limits                *limits,
             const ColumnTransform *ct,
             const RfDecodeOptions *options,
             guint                  index)
{
  gboolean clip = options->clip_to_training_range;
  gboolean has_range = options->range_min != NULL && options->range_max != NULL
                       && !isnan (options->range_min[index])
                       && !isnan (options->range_max[index]);

  limits->clip_min = clip ? ct->min : -INFINITY;
  limits->clip_max = clip ? ct->max : INFINITY;
  limits->range_min = has_range ? options->range_min[index] : -INFINITY;
  limits->range_max = has_range ? options->range_max[index] : INFINITY;
  limits->scale = ct->type == RF_COLUMN_TIMESTAMP ? (double) G_USEC_PER_SEC : 1.0;
  limits->lo = G_MININT64;
  limits->hi = G_MAXINT64;
  if (clip)
    {
      limits->lo = double_to_int64 (ct->min * limits->scale);
      limits->hi = double_to_int64 (ct->max * limits->scale);
    }
  if (has_range)
    {
      limits->lo = MAX (limits->lo, double_to_int64 (ceil (limits->range_min * limits->scale)));
      limits->hi = MIN (limits->hi, double_to_int64 (floor (limits->range_max * limits->scale)));
    }
  limits->whole_bounds = (clip || has_range) && limits->lo <= limits->hi;
}

/* x to the nearest multiple of 1 / p (halves away from zero), clamped to
 * [lo, hi]; the nearest whole number without libm's round (a call on
 * plain x86-64): doubles from 2^52 up are whole already. */
static inline double
round_decimal (double x,
               double p,
               double lo,
               double hi)
{
  double y = x * p;

  if (fabs (y) < 4503599627370496.0)
    y = (double) (gint64) (y < 0.0 ? y - 0.5 : y + 0.5);
  return MIN (MAX (y / p, lo), hi);
}

/* round_decimal on n values, two at a time with SSE2 (the division is most
 * of the cost): |y| + 0.5 rounds as y +- 0.5 does; its floor comes from
 * adding and taking away 2^52, which leaves the nearest whole number,
 * less one where that is above; the sign of a negative y goes back on,
 * and adding +0 turns -0 into the +0 that the conversion through int64
 * gives. maxpd and minpd keep their second operand unless the first is
 * larger (smaller), as MAX and MIN do. The same results as round_decimal,
 * NaN and infinities included. */
static void
round_decimals (double *xs,
                gsize   n,
                double  p,
                double  lo,
                double  hi)
{
  gsize i = 0;

#ifdef __SSE2__
  const __m128d scale = _mm_set1_pd (p), low = _mm_set1_pd (lo), high = _mm_set1_pd (hi);
  const __m128d two52 = _mm_set1_pd (4503599627370496.0), half = _mm_set1_pd (0.5);
  const __m128d one = _mm_set1_pd (1.0), zero = _mm_setzero_pd (), sign = _mm_set1_pd (-0.0);

  for (; i + 2 <= n; i += 2)
    {
      __m128d y = _mm_mul_pd (_mm_loadu_pd (xs + i), scale);
      __m128d a = _mm_andnot_pd (sign, y);
      __m128d small = _mm_cmplt_pd (a, two52);
      __m128d t = _mm_add_pd (a, half);
      __m128d r = _mm_sub_pd (_mm_add_pd (t, two52), two52);

      r = _mm_sub_pd (r, _mm_and_pd (_mm_cmpgt_pd (r, t), one));
      r = _mm_xor_pd (r, _mm_and_pd (_mm_cmplt_pd (y, zero), sign));
      r = _mm_add_pd (r, zero);
      y = _mm_or_pd (_mm_and_pd (small, r), _mm_andnot_pd (small, y));
      _mm_storeu_pd (xs + i, _mm_min_pd (_mm_max_pd (_mm_div_pd (y, scale), low), high));
    }
#endif
  for (; i < n; i++)
    xs[i] = round_decimal (xs[i], p, lo, hi);
}

/* Rows [row0, row1) of a continuous column; noise (row1 - row0 standard
 * normal draws, NULL for none) is scaled by the column's sigma. */
static void
decode_continuous (const ColumnTransform *ct,
                   const Limits          *limits,
                   const float           *data,
                   gsize                  row0,
                   gsize                  row1,
                   guint                  stride,
                   const float           *noise,
                   double                 sigma,
                   RfColumn              *column,
                   gsize                  at)
{
  /* Doubles are decoded straight into the column; integers through a
   * block of their own first. */
  double block[DECODE_BLOCK_ROWS];
  double *xs = ct->type == RF_COLUMN_DOUBLE ? column->values.f64 + at : block;
  gboolean present[DECODE_BLOCK_ROWS];
  const float *r = data + row0 * stride + ct->offset;
  guint n_modes = ct->n_modes;
  gsize n = row1 - row0;

  g_assert (n <= DECODE_BLOCK_ROWS);
  for (gsize i = 0; i < n; i++, r += stride)
    {
      double v = r[0];
      double x;
      guint k;

      if (noise != NULL)
        v += sigma * noise[i];
      /* The (present, missing) span: missing only when it wins outright. */
      present[i] = !ct->missing || !(r[2 + n_modes] > r[1 + n_modes]);
      if (isnan (v))
        v = 0.0;
      v = CLAMP (v, -1.0, 1.0);
      k = argmax (r + 1, n_modes);
      x = v * STD_MULTIPLIER * ct->mode_stds[k] + ct->mode_means[k];
      x = MIN (MAX (x, limits->clip_min), limits->clip_max);
      xs[i] = MIN (MAX (x, limits->range_min), limits->range_max);
    }

  switch (ct->type)
    {
    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      {
        gint64 *values = column->values.i64 + at;

        for (gsize i = 0; i < n; i++)
          {
            values[i] = double_to_int64 (xs[i] * limits->scale);
            /* Rounding may step over a bound that is not a whole number. */
            if (limits->whole_bounds)
              values[i] = CLAMP (values[i], limits->lo, limits->hi);
          }
        if (ct->missing)
          for (gsize i = 0; i < n; i++)
            if (!present[i])
              {
                values[i] = 0;
                put_missing (column, at + i);
              }
      }
      break;
    case RF_COLUMN_DOUBLE:
    default:
      if (ct->decimals >= 0)
        {
          /* Rounding stays within the training range, whose ends have
           * these decimals too; a caller's range may have more. */
          round_decimals (xs, n, powers_of_ten[ct->decimals], limits->range_min, limits->range_max);
        }
      if (ct->missing)
        for (gsize i = 0; i < n; i++)
          if (!present[i])
            {
              column->values.f64[at + i] = 0.0;
              put_missing (column, at + i);
            }
      break;
    }
}

static void
decode_discrete (const ColumnTransform *ct,
                 const float           *data,
                 gsize                  row0,
                 gsize                  row1,
                 guint                  stride,
                 RfColumn              *column,
                 gsize                  at)
{
  guint index[DECODE_BLOCK_ROWS];
  const float *r = data + row0 * stride + ct->offset;
  gsize n = row1 - row0;

  g_assert (n <= DECODE_BLOCK_ROWS);
  /* The missing entry, when there is one, is index n_categories. */
  for (gsize i = 0; i < n; i++, r += stride)
    index[i] = argmax (r, ct->dim);
  put_values (column, at, ct->categories, ct->n_categories, index, n);
}

static void
decode_constant (const ColumnTransform *ct,
                 const float           *data,
                 gsize                  row0,
                 gsize                  row1,
                 guint                  stride,
                 RfColumn              *column,
                 gsize                  at)
{
  guint index[DECODE_BLOCK_ROWS] = { 0 };
  gsize n = row1 - row0;

  g_assert (n <= DECODE_BLOCK_ROWS);
  /* Index 0 is the value, 1 missing; a column without values is all
   * missing. Only a column with a missing indicator has encoded entries
   * (data may be NULL otherwise). */
  if (ct->missing)
    {
      const float *r = data + row0 * stride + ct->offset;

      for (gsize i = 0; i < n; i++, r += stride)
        index[i] = r[1] > r[0] ? 1 : 0;
    }
  put_values (column, at, &ct->value, ct->has_value ? 1 : 0, index, n);
}

GPtrArray *
rf_transformer_new_output_columns (const RfTransformer *transformer,
                                   gsize                n_rows)
{
  GPtrArray *columns;

  g_return_val_if_fail (transformer != NULL, NULL);

  columns = g_ptr_array_new_full (transformer->n_columns, (GDestroyNotify) rf_column_unref);
  for (guint i = 0; i < transformer->n_columns; i++)
    {
      const ColumnTransform *ct = &transformer->columns[i];
      RfColumn *column = rf_column_new (ct->name, ct->type);

      rf_column_set_unit (column, ct->unit);
      rf_column_set_role (column, ct->role);
      if (ct->type != RF_COLUMN_STRING)
        {
          /* Missing rows come from a missing indicator, or from a constant
           * column that never had a value. */
          if (ct->missing || (ct->kind == RF_TRANSFORM_CONSTANT && !ct->has_value))
            rf_column_prepare_validity (column);
          rf_column_append_zeros (column, n_rows);
        }
      g_ptr_array_add (columns, column);
    }
  return columns;
}

void
rf_transformer_decode_rows (const RfTransformer   *transformer,
                            const float           *data,
                            gsize                  n_rows,
                            const float           *sigmas,
                            RfRng                 *rng,
                            const RfDecodeOptions *options,
                            RfColumn * const      *columns,
                            gsize                  first_row)
{
  RfDecodeOptions defaults;
  g_autofree Limits *limits = NULL;
  float noise[DECODE_BLOCK_ROWS];
  guint n_columns, stride;

  g_return_if_fail (transformer != NULL);
  g_return_if_fail (data != NULL || n_rows == 0 || transformer->output_dim == 0);
  g_return_if_fail (sigmas == NULL || rng != NULL);
  g_return_if_fail (columns != NULL || transformer->n_columns == 0);
  if (options == NULL)
    {
      rf_decode_options_init (&defaults);
      options = &defaults;
    }

  n_columns = transformer->n_columns;
  stride = transformer->output_dim;
  limits = g_new0 (Limits, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      const ColumnTransform *ct = &transformer->columns[i];

      /* In-place writes need the room made by new_output_columns. */
      g_return_if_fail (columns[i]->type == ct->type);
      g_return_if_fail (ct->type == RF_COLUMN_STRING || columns[i]->n_rows >= first_row + n_rows);
      if (ct->kind == RF_TRANSFORM_CONTINUOUS)
        limits_init (&limits[i], ct, options, i);
    }

  /* Blocks of rows, every column of a block in turn: the block's encoded
   * rows stay in cache while each column picks its entries out of them.
   * The noise is drawn in that order too, a block's worth per continuous
   * column, every row drawing whether missing or not: the values depend
   * on rng and n_rows only. */
  for (gsize row0 = 0; row0 < n_rows; row0 += DECODE_BLOCK_ROWS)
    {
      gsize row1 = MIN (row0 + DECODE_BLOCK_ROWS, n_rows);

      for (guint i = 0; i < n_columns; i++)
        {
          const ColumnTransform *ct = &transformer->columns[i];
          gsize at = first_row + row0;

          switch (ct->kind)
            {
            case RF_TRANSFORM_CONTINUOUS:
              if (sigmas != NULL)
                rf_rng_normal_fill_f (rng, noise, row1 - row0);
              decode_continuous (ct, &limits[i], data, row0, row1, stride,
                                 sigmas != NULL ? noise : NULL,
                                 sigmas != NULL ? sigmas[ct->offset] : 0.0, columns[i], at);
              break;
            case RF_TRANSFORM_DISCRETE:
              decode_discrete (ct, data, row0, row1, stride, columns[i], at);
              break;
            case RF_TRANSFORM_CONSTANT:
            default:
              decode_constant (ct, data, row0, row1, stride, columns[i], at);
              break;
            }
        }
    }
}

void
rf_transformer_finish_columns (const RfTransformer *transformer,
                               RfColumn * const    *columns)
{
  g_return_if_fail (transformer != NULL);

  for (guint i = 0; i < transformer->n_columns; i++)
    if (columns[i]->type != RF_COLUMN_STRING)
      rf_column_recount_missing (columns[i]);
}

RfTable *
rf_transformer_decode (const RfTransformer   *transformer,
                       const float           *data,
                       gsize                  n_rows,
                       const float           *sigmas,
                       RfRng                 *rng,
                       const RfDecodeOptions *options)
{
  g_autoptr(GPtrArray) columns = NULL;
  RfTable *table;

  g_return_val_if_fail (transformer != NULL, NULL);

  columns = rf_transformer_new_output_columns (transformer, n_rows);
  rf_transformer_decode_rows (transformer, data, n_rows, sigmas, rng, options,
                              (RfColumn * const *) columns->pdata, 0);
  rf_transformer_finish_columns (transformer, (RfColumn * const *) columns->pdata);

  /* A table takes its row count from its first column; string columns
   * filled by appends have it too. */
  table = rf_table_new ();
  for (guint i = 0; i < columns->len; i++)
    rf_table_add_column (table, g_ptr_array_index (columns, i));
  return table;
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                     */

/* The shortest decimal form that reads back to exactly x. json-glib 1.6's
 * generator is not used: it prints 1e17 as "1e+17.0", which no parser
 * accepts. */
static void
append_json_double (GString *out,
                    double   x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  x = no_negative_zero (x);
  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, x);
      if (g_ascii_strtod (buf, NULL) == x)
        break;
    }
  g_string_append (out, buf);
}

/* Text as a JSON string, or as {"base64": "..."} when it is not valid
 * UTF-8 or holds NUL bytes (JSON strings cannot carry those exactly). */
static void
append_json_text (GString    *out,
                  const char *text,
                  gsize       len)
{
  if (memchr (text, '\0', len) == NULL && g_utf8_validate (text, (gssize) len, NULL))
    {
      rf_json_append_string (out, text, (gssize) len);
    }
  else
    {
      g_autofree char *encoded = g_base64_encode ((const guchar *) text, len);

      g_string_append_printf (out, "{\"base64\":\"%s\"}", encoded);
    }
}

static void
append_json_value (GString      *out,
                   RfColumnType  type,
                   const Value  *value)
{
  switch (type)
    {
    case RF_COLUMN_DOUBLE:
      append_json_double (out, value->d);
      break;
    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, value->i);
      break;
    case RF_COLUMN_BOOL:
      g_string_append (out, value->i ? "true" : "false");
      break;
    case RF_COLUMN_STRING:
    default:
      append_json_text (out, value->s, value->len);
      break;
    }
}

static void
append_json_doubles (GString      *out,
                     const char   *key,
                     const double *values,
                     guint         n)
{
  g_string_append_printf (out, ",\"%s\":[", key);
  for (guint c = 0; c < n; c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      append_json_double (out, values[c]);
    }
  g_string_append_c (out, ']');
}

static void
append_json_column (GString               *out,
                    const RfTransformer   *tf,
                    const ColumnTransform *ct)
{
  g_string_append (out, "{\"name\":");
  append_json_text (out, ct->name, strlen (ct->name));
  g_string_append_printf (out, ",\"type\":\"%s\"", rf_column_type_to_string (ct->type));
  if (ct->unit != NULL)
    {
      g_string_append (out, ",\"unit\":");
      append_json_text (out, ct->unit, strlen (ct->unit));
    }
  g_string_append_printf (out, ",\"role\":\"%s\",\"kind\":\"%s\",\"missing\":%s",
                          rf_column_role_to_string (ct->role), kind_to_string (ct->kind),
                          ct->missing ? "true" : "false");

  switch (ct->kind)
    {
    case RF_TRANSFORM_CONTINUOUS:
      g_string_append (out, ",\"min\":");
      append_json_double (out, ct->min);
      g_string_append (out, ",\"max\":");
      append_json_double (out, ct->max);
      g_string_append_printf (out, ",\"decimals\":%d", ct->decimals);
      append_json_doubles (out, "weights", ct->bgm.weights, ct->bgm.n_components);
      append_json_doubles (out, "means", ct->bgm.means, ct->bgm.n_components);
      append_json_doubles (out, "stds", ct->bgm.stds, ct->bgm.n_components);
      append_json_doubles (out, "log_offsets", ct->bgm.log_offsets, ct->bgm.n_components);
      g_string_append (out, ",\"modes\":[");
      for (guint m = 0; m < ct->n_modes; m++)
        g_string_append_printf (out, m > 0 ? ",%u" : "%u", ct->modes[m]);
      g_string_append_c (out, ']');
      break;

    case RF_TRANSFORM_DISCRETE:
      g_string_append (out, ",\"categories\":[");
      for (guint c = 0; c < ct->n_categories; c++)
        {
          if (c > 0)
            g_string_append_c (out, ',');
          append_json_value (out, ct->type, &ct->categories[c]);
        }
      g_string_append (out, "],\"counts\":[");
      for (guint c = 0; c < ct->n_categories; c++)
        g_string_append_printf (out, c > 0 ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT,
                                ct->counts[c]);
      g_string_append_c (out, ']');
      break;

    case RF_TRANSFORM_CONSTANT:
    default:
      g_string_append (out, ",\"value\":");
      if (ct->has_value)
        append_json_value (out, ct->type, &ct->value);
      else
        g_string_append (out, "null");
      break;
    }

  g_string_append (out, ",\"spans\":[");
  for (guint s = 0; s < ct->n_spans; s++)
    {
      const RfSpan *span = &tf->spans[ct->first_span + s];

      g_string_append_printf (out, "%s{\"kind\":\"%s\",\"dim\":%u}", s > 0 ? "," : "",
                              span->kind == RF_SPAN_TANH ? "tanh" : "softmax", span->dim);
    }
  g_string_append (out, "]}");
}

char *
rf_transformer_to_json (const RfTransformer *transformer)
{
  GString *out;

  g_return_val_if_fail (transformer != NULL, NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "{\"version\":%d,\"output_dim\":%u,\"columns\":[",
                          FORMAT_VERSION, transformer->output_dim);
  for (guint i = 0; i < transformer->n_columns; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_column (out, transformer, &transformer->columns[i]);
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

/* Where a loading error is: column index and name, for the message. */
typedef struct
{
  guint       index;
  const char *name;
  GError    **error;
} Where;

G_GNUC_PRINTF (3, 4)
static gboolean
load_fail (const Where *where,
           const char  *field,
           const char  *format,
           ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  if (where->name != NULL)
    g_set_error (where->error, RF_ERROR, RF_ERROR_FORMAT,
                 "Cannot load the data transformer: column %u (“%s”), field “%s”: %s; "
                 "the model file is damaged or was not written by Refinery",
                 where->index + 1, where->name, field, problem);
  else
    g_set_error (where->error, RF_ERROR, RF_ERROR_FORMAT,
                 "Cannot load the data transformer: column %u, field “%s”: %s; "
                 "the model file is damaged or was not written by Refinery",
                 where->index + 1, field, problem);
  return FALSE;
}

static gboolean
node_is_value (JsonNode *node,
               GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  return json_object_has_member (object, name) ? json_object_get_member (object, name) : NULL;
}

static gboolean
read_double (JsonNode *node,
             double   *out)
{
  if (node_is_value (node, G_TYPE_DOUBLE))
    *out = json_node_get_double (node);
  else if (node_is_value (node, G_TYPE_INT64))
    *out = (double) json_node_get_int (node);
  else
    return FALSE;
  return isfinite (*out);
}

static gboolean
read_text (JsonNode  *node,
           char     **text,
           gsize     *len)
{
  if (node_is_value (node, G_TYPE_STRING))
    {
      const char *s = json_node_get_string (node);

      *len = strlen (s);
      *text = g_strndup (s, *len);
      return TRUE;
    }
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonNode *encoded = member (object, "base64");
      guchar *bytes;
      gsize n;

      if (json_object_get_size (object) != 1 || !node_is_value (encoded, G_TYPE_STRING))
        return FALSE;
      bytes = g_base64_decode (json_node_get_string (encoded), &n);
      /* NUL-terminated copy: every Value string is. */
      *text = g_malloc (n + 1);
      if (n > 0)
        memcpy (*text, bytes, n);
      (*text)[n] = '\0';
      *len = n;
      g_free (bytes);
      return TRUE;
    }
  return FALSE;
}

/* A NUL-free text field (names and units are C strings). */
static gboolean
read_c_string (JsonNode  *node,
               char     **text)
{
  gsize len;

  if (!read_text (node, text, &len))
    return FALSE;
  if (strlen (*text) != len)
    {
      g_clear_pointer (text, g_free);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_value (JsonNode     *node,
            RfColumnType  type,
            Value        *value)
{
  switch (type)
    {
    case RF_COLUMN_DOUBLE:
      /* -0 reads as 0: categories and constants are never negative zero. */
      if (!read_double (node, &value->d))
        return FALSE;
      value->d = no_negative_zero (value->d);
      return TRUE;
    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      if (!node_is_value (node, G_TYPE_INT64))
        return FALSE;
      value->i = json_node_get_int (node);
      return TRUE;
    case RF_COLUMN_BOOL:
      if (!node_is_value (node, G_TYPE_BOOLEAN))
        return FALSE;
      value->i = json_node_get_boolean (node) ? 1 : 0;
      return TRUE;
    case RF_COLUMN_STRING:
    default:
      return read_text (node, &value->s, &value->len);
    }
}

/* An array of n finite doubles, 1 <= n <= max. */
static gboolean
read_doubles (const Where *where,
              JsonObject  *object,
              const char  *field,
              double      *values,
              guint        max,
              guint       *n)
{
  JsonNode *node = member (object, field);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return load_fail (where, field, "missing or not an array");
  array = json_node_get_array (node);
  *n = json_array_get_length (array);
  if (*n < 1 || *n > max)
    return load_fail (where, field, "%u entries, expected 1 to %u", *n, max);
  for (guint c = 0; c < *n; c++)
    if (!read_double (json_array_get_element (array, c), &values[c]))
      return load_fail (where, field, "entry %u is not a finite number", c + 1);
  return TRUE;
}

static gboolean
load_continuous (const Where     *where,
                 JsonObject      *object,
                 ColumnTransform *ct)
{
  double weights[RF_BGM_MAX_COMPONENTS];
  JsonNode *node;
  JsonArray *array;
  guint n, n_other;
  double sum = 0.0;

  if (ct->type != RF_COLUMN_DOUBLE && ct->type != RF_COLUMN_INT64
      && ct->type != RF_COLUMN_TIMESTAMP)
    return load_fail (where, "type", "a continuous column cannot be of type %s",
                      rf_column_type_to_string (ct->type));
  if (!read_double (member (object, "min"), &ct->min))
    return load_fail (where, "min", "missing or not a finite number");
  if (!read_double (member (object, "max"), &ct->max))
    return load_fail (where, "max", "missing or not a finite number");
  if (!(ct->min < ct->max))
    return load_fail (where, "max", "not above min");
  /* "decimals" came after version 1's first files: absent means none. */
  ct->decimals = -1;
  if (member (object, "decimals") != NULL)
    {
      JsonNode *decimals = member (object, "decimals");
      if (!node_is_value (decimals, G_TYPE_INT64) || json_node_get_int (decimals) < -1
          || json_node_get_int (decimals) > RF_TRANSFORMER_MAX_DECIMALS
          || (ct->type != RF_COLUMN_DOUBLE && json_node_get_int (decimals) != -1))
        return load_fail (where, "decimals", "must be -1 to %d (-1 unless the column is double)",
                          RF_TRANSFORMER_MAX_DECIMALS);
      ct->decimals = (int) json_node_get_int (decimals);
    }

  if (!read_doubles (where, object, "weights", weights, RF_BGM_MAX_COMPONENTS, &n))
    return FALSE;
  for (guint c = 0; c < n; c++)
    {
      if (weights[c] < 0.0)
        return load_fail (where, "weights", "entry %u is negative", c + 1);
      sum += weights[c];
      ct->bgm.weights[c] = weights[c];
    }
  if (fabs (sum - 1.0) > 1e-6)
    return load_fail (where, "weights", "they sum to %g instead of 1", sum);
  ct->bgm.n_components = n;

  if (!read_doubles (where, object, "means", ct->bgm.means, RF_BGM_MAX_COMPONENTS, &n_other))
    return FALSE;
  if (n_other != n)
    return load_fail (where, "means", "%u entries for %u weights", n_other, n);
  if (!read_doubles (where, object, "stds", ct->bgm.stds, RF_BGM_MAX_COMPONENTS, &n_other))
    return FALSE;
  if (n_other != n)
    return load_fail (where, "stds", "%u entries for %u weights", n_other, n);
  for (guint c = 0; c < n; c++)
    if (!(ct->bgm.stds[c] > 0.0))
      return load_fail (where, "stds", "entry %u is not positive", c + 1);
  if (!read_doubles (where, object, "log_offsets", ct->bgm.log_offsets,
                     RF_BGM_MAX_COMPONENTS, &n_other))
    return FALSE;
  if (n_other != n)
    return load_fail (where, "log_offsets", "%u entries for %u weights", n_other, n);
  for (guint c = 0; c < n; c++)
    ct->bgm.active[c] = ct->bgm.weights[c] > RF_BGM_WEIGHT_THRESHOLD;
  ct->bgm.converged = TRUE;

  node = member (object, "modes");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return load_fail (where, "modes", "missing or not an array");
  array = json_node_get_array (node);
  ct->n_modes = json_array_get_length (array);
  if (ct->n_modes < 1 || ct->n_modes > n)
    return load_fail (where, "modes", "%u entries, expected 1 to %u", ct->n_modes, n);
  for (guint m = 0; m < ct->n_modes; m++)
    {
      JsonNode *element = json_array_get_element (array, m);
      gint64 c;

      if (!node_is_value (element, G_TYPE_INT64))
        return load_fail (where, "modes", "entry %u is not an integer", m + 1);
      c = json_node_get_int (element);
      if (c < 0 || c >= n || (m > 0 && c <= ct->modes[m - 1]))
        return load_fail (where, "modes", "entry %u (%" G_GINT64_FORMAT ") is not a "
                          "component index in ascending order", m + 1, c);
      ct->modes[m] = (guint) c;
    }
  derive_modes (ct);
  return TRUE;
}

static gboolean
load_discrete (const Where     *where,
               JsonObject      *object,
               ColumnTransform *ct)
{
  JsonNode *node;
  JsonArray *array;

  if (ct->type != RF_COLUMN_STRING && ct->type != RF_COLUMN_BOOL && ct->type != RF_COLUMN_INT64
      && ct->type != RF_COLUMN_DOUBLE)
    return load_fail (where, "type", "a discrete column cannot be of type %s",
                      rf_column_type_to_string (ct->type));

  node = member (object, "categories");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return load_fail (where, "categories", "missing or not an array");
  array = json_node_get_array (node);
  ct->n_categories = json_array_get_length (array);
  if (ct->n_categories < 1 || ct->n_categories > RF_TRANSFORMER_MAX_CATEGORIES)
    return load_fail (where, "categories", "%u entries, expected 1 to %d",
                      ct->n_categories, RF_TRANSFORMER_MAX_CATEGORIES);
  ct->categories = g_new0 (Value, ct->n_categories);
  for (guint c = 0; c < ct->n_categories; c++)
    {
      if (!read_value (json_array_get_element (array, c), ct->type, &ct->categories[c]))
        return load_fail (where, "categories", "entry %u is not a %s value", c + 1,
                          rf_column_type_to_string (ct->type));
      /* Encoding searches them: they must be sorted and distinct. */
      if (c > 0 && compare_values (ct->type, &ct->categories[c - 1], &ct->categories[c]) >= 0)
        return load_fail (where, "categories", "entry %u is not in ascending order or "
                          "repeats an earlier one", c + 1);
    }

  node = member (object, "counts");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return load_fail (where, "counts", "missing or not an array");
  array = json_node_get_array (node);
  if (json_array_get_length (array) != ct->n_categories)
    return load_fail (where, "counts", "%u entries for %u categories",
                      json_array_get_length (array), ct->n_categories);
  ct->counts = g_new0 (gint64, ct->n_categories);
  for (guint c = 0; c < ct->n_categories; c++)
    {
      JsonNode *element = json_array_get_element (array, c);

      if (!node_is_value (element, G_TYPE_INT64) || json_node_get_int (element) < 0)
        return load_fail (where, "counts", "entry %u is not a count", c + 1);
      ct->counts[c] = json_node_get_int (element);
    }
  ct->most_frequent = category_with_most (ct->counts, ct->n_categories);
  return TRUE;
}

static gboolean
load_constant (const Where     *where,
               JsonObject      *object,
               ColumnTransform *ct)
{
  JsonNode *node = member (object, "value");

  if (node == NULL)
    return load_fail (where, "value", "missing");
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (ct->missing)
        return load_fail (where, "missing", "a column without values has no missing indicator");
      ct->has_value = FALSE;
      return TRUE;
    }
  if (!read_value (node, ct->type, &ct->value))
    return load_fail (where, "value", "not a %s value", rf_column_type_to_string (ct->type));
  ct->has_value = TRUE;
  return TRUE;
}

/* The spans written for the column must be the ones its fields imply. */
static gboolean
check_spans (const Where           *where,
             JsonObject            *object,
             const RfTransformer   *tf,
             const ColumnTransform *ct)
{
  JsonNode *node = member (object, "spans");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return load_fail (where, "spans", "missing or not an array");
  array = json_node_get_array (node);
  if (json_array_get_length (array) != ct->n_spans)
    return load_fail (where, "spans", "%u spans where the column's fields give %u",
                      json_array_get_length (array), ct->n_spans);
  for (guint s = 0; s < ct->n_spans; s++)
    {
      const RfSpan *span = &tf->spans[ct->first_span + s];
      JsonNode *element = json_array_get_element (array, s);
      JsonObject *span_object;
      JsonNode *kind, *dim;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return load_fail (where, "spans", "entry %u is not an object", s + 1);
      span_object = json_node_get_object (element);
      kind = member (span_object, "kind");
      dim = member (span_object, "dim");
      if (!node_is_value (kind, G_TYPE_STRING)
          || g_strcmp0 (json_node_get_string (kind),
                        span->kind == RF_SPAN_TANH ? "tanh" : "softmax") != 0
          || !node_is_value (dim, G_TYPE_INT64)
          || json_node_get_int (dim) != span->dim)
        return load_fail (where, "spans", "entry %u does not match the column's kind, "
                          "modes or categories (expected %s of width %u)", s + 1,
                          span->kind == RF_SPAN_TANH ? "tanh" : "softmax", span->dim);
    }
  return TRUE;
}

static gboolean
load_column (guint             index,
             JsonNode         *node,
             ColumnTransform  *ct,
             GError          **error)
{
  Where where = { index, NULL, error };
  JsonObject *object;
  JsonNode *field;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return load_fail (&where, "columns", "not an object");
  object = json_node_get_object (node);

  if (!read_c_string (member (object, "name"), &ct->name))
    return load_fail (&where, "name", "missing or not a string");
  where.name = ct->name;

  field = member (object, "type");
  if (!node_is_value (field, G_TYPE_STRING)
      || !rf_column_type_from_string (json_node_get_string (field), &ct->type))
    return load_fail (&where, "type", "missing or not a column type");
  field = member (object, "unit");
  if (field != NULL && !JSON_NODE_HOLDS_NULL (field) && !read_c_string (field, &ct->unit))
    return load_fail (&where, "unit", "not a string");
  field = member (object, "role");
  if (!node_is_value (field, G_TYPE_STRING)
      || !rf_column_role_from_string (json_node_get_string (field), &ct->role))
    return load_fail (&where, "role", "missing or not a column role");
  field = member (object, "kind");
  if (!node_is_value (field, G_TYPE_STRING)
      || !kind_from_string (json_node_get_string (field), &ct->kind))
    return load_fail (&where, "kind", "missing or not one of continuous, discrete, constant");
  field = member (object, "missing");
  if (!node_is_value (field, G_TYPE_BOOLEAN))
    return load_fail (&where, "missing", "missing or not true/false");
  ct->missing = json_node_get_boolean (field);

  switch (ct->kind)
    {
    case RF_TRANSFORM_CONTINUOUS:
      return load_continuous (&where, object, ct);
    case RF_TRANSFORM_DISCRETE:
      return load_discrete (&where, object, ct);
    case RF_TRANSFORM_CONSTANT:
    default:
      return load_constant (&where, object, ct);
    }
}

RfTransformer *
rf_transformer_new_from_json (const char  *json,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(GHashTable) names = NULL;
  JsonObject *root_object;
  JsonNode *root, *node;
  JsonArray *columns;
  gint64 version, output_dim;
  guint n_columns;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "Cannot load the data transformer: it is not valid JSON (%s); the "
                   "model file is damaged",
                   local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_FORMAT,
                           "Cannot load the data transformer: the document is not a JSON "
                           "object; the model file is damaged or was not written by Refinery");
      return NULL;
    }
  root_object = json_node_get_object (root);

  node = member (root_object, "version");
  if (!node_is_value (node, G_TYPE_INT64))
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_FORMAT,
                           "Cannot load the data transformer: field “version” is missing "
                           "or not an integer; the model file is damaged or was not "
                           "written by Refinery");
      return NULL;
    }
  version = json_node_get_int (node);
  if (version != FORMAT_VERSION)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "Cannot load the data transformer: it has version %" G_GINT64_FORMAT
                   " and this Refinery reads version %d; open the model with the Refinery "
                   "that wrote it, or train it again",
                   version, FORMAT_VERSION);
      return NULL;
    }

  node = member (root_object, "output_dim");
  if (!node_is_value (node, G_TYPE_INT64) || json_node_get_int (node) < 0)
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_FORMAT,
                           "Cannot load the data transformer: field “output_dim” is missing "
                           "or not a width; the model file is damaged");
      return NULL;
    }
  output_dim = json_node_get_int (node);

  node = member (root_object, "columns");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (json_node_get_array (node)) == 0)
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_FORMAT,
                           "Cannot load the data transformer: field “columns” is missing, "
                           "empty or not an array; the model file is damaged");
      return NULL;
    }
  columns = json_node_get_array (node);
  n_columns = json_array_get_length (columns);

  tf = transformer_new (n_columns);
  names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n_columns; i++)
    {
      ColumnTransform *ct = &tf->columns[i];

      if (!load_column (i, json_array_get_element (columns, i), ct, error))
        return NULL;
      if (!g_hash_table_add (names, ct->name))
        {
          Where where = { i, ct->name, error };

          load_fail (&where, "name", "another column has the same name");
          return NULL;
        }
    }

  if (!compute_layout (tf))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "Cannot load the data transformer: its columns encode to more than %d "
                   "values per row; the model file is damaged",
                   G_MAXINT);
      return NULL;
    }
  for (guint i = 0; i < n_columns; i++)
    {
      Where where = { i, tf->columns[i].name, error };

      if (!check_spans (&where, json_node_get_object (json_array_get_element (columns, i)),
                        tf, &tf->columns[i]))
        return NULL;
    }
  if (output_dim != tf->output_dim)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "Cannot load the data transformer: field “output_dim” is %" G_GINT64_FORMAT
                   " but its columns encode to %u values; the model file is damaged",
                   output_dim, tf->output_dim);
      return NULL;
    }
  return g_steal_pointer (&tf);
}

#include "config.h"

#include <math.h>
#include <string.h>

#include "refinery.h"
#include "rf-transformer.h"
#include "rf-test-util.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

static void
add (RfTable  *table,
     RfColumn *column)
{
  rf_table_add_column (table, column);
  rf_column_unref (column);
}

/* NaN values become missing. */
static RfColumn *
double_column (const char   *name,
               const double *values,
               gsize         n)
{
  RfColumn *column = rf_column_new_sized (name, RF_COLUMN_DOUBLE, n);

  for (gsize i = 0; i < n; i++)
    {
      if (isnan (values[i]))
        rf_column_append_null (column);
      else
        rf_column_append_double (column, values[i]);
    }
  return column;
}

/* missing may be NULL. */
static RfColumn *
int_column (const char     *name,
            RfColumnType    type,
            const gint64   *values,
            const gboolean *missing,
            gsize           n)
{
  RfColumn *column = rf_column_new_sized (name, type, n);

  for (gsize i = 0; i < n; i++)
    {
      if (missing != NULL && missing[i])
        rf_column_append_null (column);
      else if (type == RF_COLUMN_BOOL)
        rf_column_append_bool (column, values[i] != 0);
      else if (type == RF_COLUMN_TIMESTAMP)
        rf_column_append_timestamp (column, values[i]);
      else
        rf_column_append_int64 (column, values[i]);
    }
  return column;
}

/* NULL values become missing. */
static RfColumn *
string_column (const char        *name,
               const char *const *values,
               gsize              n)
{
  RfColumn *column = rf_column_new_sized (name, RF_COLUMN_STRING, n);

  for (gsize i = 0; i < n; i++)
    {
      if (values[i] == NULL)
        rf_column_append_null (column);
      else
        rf_column_append_string (column, values[i], -1);
    }
  return column;
}

/* column with its rows repeated `times` times in all (returns column). */
static RfColumn *
repeated (RfColumn *column,
          guint     times)
{
  g_autoptr(RfColumn) once = rf_column_copy (column);

  for (guint t = 1; t < times; t++)
    rf_column_append_column (column, once);
  return column;
}

/* Half the values from N(0, 1), half from N(far, 2), interleaved. */
static double *
bimodal (gsize   n,
         double  far,
         guint64 seed)
{
  double *x = g_new (double, n);
  RfRng rng;

  rf_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    x[i] = i % 2 == 0 ? rf_rng_normal (&rng) : far + 2.0 * rf_rng_normal (&rng);
  return x;
}

static RfTransformer *
fit (const RfTable              *table,
     const RfTransformerOptions *options,
     guint64                     seed)
{
  g_autoptr(GError) error = NULL;
  RfTransformer *tf = rf_transformer_fit (table, options, seed, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tf);
  return tf;
}

static float *
encode (const RfTransformer *tf,
        const RfTable       *table,
        guint64              seed)
{
  gsize n = rf_table_get_n_rows (table) * rf_transformer_get_output_dim (tf);
  float *out = g_new0 (float, MAX (n, 1));
  g_autoptr(GError) error = NULL;
  gboolean ok = rf_transformer_encode (tf, table, seed, out, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  return out;
}

static int
find_column (const RfTransformer *tf,
             const char          *name)
{
  for (guint i = 0; i < rf_transformer_get_n_columns (tf); i++)
    if (g_strcmp0 (rf_transformer_get_column_name (tf, i), name) == 0)
      return (int) i;
  return -1;
}

static void
assert_one_hot (const float *v,
                guint        n,
                guint        expected)
{
  for (guint j = 0; j < n; j++)
    g_assert_cmpfloat (v[j], ==, j == expected ? 1.0f : 0.0f);
}

static guint
one_hot_index (const float *v,
               guint        n)
{
  guint ones = 0, index = 0;

  for (guint j = 0; j < n; j++)
    {
      g_assert_true (v[j] == 0.0f || v[j] == 1.0f);
      if (v[j] == 1.0f)
        {
          ones++;
          index = j;
        }
    }
  g_assert_cmpuint (ones, ==, 1);
  return index;
}

static void
assert_columns_equal (const RfColumn *a,
                      const RfColumn *b)
{
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpint (a->type, ==, b->type);
  g_assert_cmpuint (a->n_rows, ==, b->n_rows);
  g_assert_cmpuint (a->n_missing, ==, b->n_missing);
  for (gsize i = 0; i < a->n_rows; i++)
    {
      g_assert_cmpint (rf_column_is_valid (a, i), ==, rf_column_is_valid (b, i));
      if (!rf_column_is_valid (a, i))
        continue;
      switch (a->type)
        {
        case RF_COLUMN_DOUBLE:
          g_assert_cmpfloat (a->values.f64[i], ==, b->values.f64[i]);
          break;
        case RF_COLUMN_INT64:
        case RF_COLUMN_TIMESTAMP:
          g_assert_cmpint (a->values.i64[i], ==, b->values.i64[i]);
          break;
        case RF_COLUMN_BOOL:
          g_assert_cmpint (a->values.u8[i], ==, b->values.u8[i]);
          break;
        case RF_COLUMN_STRING:
        default:
          {
            gsize la, lb;
            const char *sa = rf_column_get_string (a, i, &la);
            const char *sb = rf_column_get_string (b, i, &lb);

            g_assert_cmpmem (sa, la, sb, lb);
          }
          break;
        }
    }
}

static void
assert_tables_equal (const RfTable *a,
                     const RfTable *b)
{
  g_assert_cmpuint (rf_table_get_n_columns (a), ==, rf_table_get_n_columns (b));
  for (guint c = 0; c < rf_table_get_n_columns (a); c++)
    assert_columns_equal (rf_table_get_column (a, c), rf_table_get_column (b, c));
}

/* One encoded row with scalar v and mode k in every continuous column's
 * spans (columns other than continuous get their first one-hot entry). */
static float *
crafted_rows (const RfTransformer *tf,
              gsize                n_rows,
              const float         *scalars,
              const guint         *modes)
{
  guint dim = rf_transformer_get_output_dim (tf);
  guint n_spans;
  const RfSpan *spans = rf_transformer_get_spans (tf, &n_spans);
  float *data = g_new0 (float, MAX (n_rows * dim, 1));

  for (gsize r = 0; r < n_rows; r++)
    for (guint s = 0; s < n_spans; s++)
      {
        float *o = data + r * dim + spans[s].offset;

        if (spans[s].kind == RF_SPAN_TANH)
          {
            o[0] = scalars[r];
            /* The mode span follows the scalar. */
            o[1 + MIN (modes[r], spans[s + 1].dim - 1)] = 1.0f;
            s++;
          }
        else
          o[0] = 1.0f;
      }
  return data;
}

/* ------------------------------------------------------------------------ */
/* Continuous columns                                                       */

#define N_BIMODAL 4000

static void
test_bimodal (void)
{
  g_autofree double *x = bimodal (N_BIMODAL, 100.0, 7);
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(RfTable) decoded = NULL;
  g_autofree float *out = NULL;
  g_autofree float *probe = NULL;
  g_autofree float *scalars = NULL;
  g_autofree guint *modes = NULL;
  g_autoptr(RfTable) means = NULL;
  RfDecodeOptions options;
  RfColumn *column, *back;
  const RfSpan *spans;
  guint n_spans, n_modes, dim;
  gboolean near_low = FALSE, near_high = FALSE;
  gsize clipped = 0;
  double worst = 0.0;

  column = double_column ("x", x, N_BIMODAL);
  rf_column_set_unit (column, "bar");
  rf_column_set_role (column, RF_ROLE_SENSOR);
  add (table, column);

  tf = fit (table, NULL, 11);
  g_assert_cmpuint (rf_transformer_get_n_columns (tf), ==, 1);
  g_assert_cmpint (rf_transformer_get_column_kind (tf, 0), ==, RF_TRANSFORM_CONTINUOUS);
  n_modes = rf_transformer_get_column_modes (tf, 0);
  g_assert_cmpuint (n_modes, >=, 2);
  g_assert_cmpuint (n_modes, <=, RF_BGM_MAX_COMPONENTS);
  dim = rf_transformer_get_output_dim (tf);
  g_assert_cmpuint (dim, ==, 1 + n_modes);
  spans = rf_transformer_get_spans (tf, &n_spans);
  g_assert_cmpuint (n_spans, ==, 2);
  g_assert_cmpint (spans[0].kind, ==, RF_SPAN_TANH);
  g_assert_cmpuint (spans[0].offset, ==, 0);
  g_assert_cmpuint (spans[0].dim, ==, 1);
  g_assert_cmpint (spans[1].kind, ==, RF_SPAN_SOFTMAX);
  g_assert_cmpuint (spans[1].offset, ==, 1);
  g_assert_cmpuint (spans[1].dim, ==, n_modes);

  /* The mode centres: scalar 0 on each mode decodes to its mean. */
  scalars = g_new0 (float, n_modes);
  modes = g_new (guint, n_modes);
  for (guint m = 0; m < n_modes; m++)
    modes[m] = m;
  probe = crafted_rows (tf, n_modes, scalars, modes);
  means = rf_transformer_decode (tf, probe, n_modes, NULL, NULL, NULL);
  for (guint m = 0; m < n_modes; m++)
    {
      double mu = rf_table_get_column (means, 0)->values.f64[m];

      near_low |= fabs (mu) < 0.5;
      near_high |= fabs (mu - 100.0) < 1.0;
    }
  g_assert_true (near_low);
  g_assert_true (near_high);

  out = encode (tf, table, 3);
  for (gsize r = 0; r < N_BIMODAL; r++)
    {
      const float *row = out + r * dim;
      guint k;
      double mu;

      g_assert_cmpfloat (fabsf (row[0]), <=, 0.99f);
      k = one_hot_index (row + 1, n_modes);
      /* A value is drawn to a mode of its own cluster (the other cluster's
       * responsibility is ~1e-6 per value). */
      mu = rf_table_get_column (means, 0)->values.f64[k];
      g_assert_cmpfloat (fabs (mu - (r % 2 == 0 ? 0.0 : 100.0)), <, 20.0);
      if (fabsf (row[0]) == 0.99f)
        clipped++;
    }
  g_assert_cmpuint (clipped, <, N_BIMODAL / 100);

  /* No noise, no clipping: mode-specific normalisation inverts exactly up
   * to float rounding of the scalar (4 sigma * 2^-24 is below 1e-6 here). */
  rf_decode_options_init (&options);
  options.clip_to_training_range = FALSE;
  decoded = rf_transformer_decode (tf, out, N_BIMODAL, NULL, NULL, &options);
  g_assert_cmpuint (rf_table_get_n_rows (decoded), ==, N_BIMODAL);
  back = rf_table_get_column (decoded, 0);
  g_assert_cmpstr (back->name, ==, "x");
  g_assert_cmpint (back->type, ==, RF_COLUMN_DOUBLE);
  g_assert_cmpstr (back->unit, ==, "bar");
  g_assert_cmpint (back->role, ==, RF_ROLE_SENSOR);
  g_assert_cmpuint (back->n_missing, ==, 0);
  for (gsize r = 0; r < N_BIMODAL; r++)
    if (fabsf (out[r * dim]) < 0.99f)
      worst = MAX (worst, fabs (back->values.f64[r] - x[r]));
  g_test_message ("bimodal: %u modes, %" G_GSIZE_FORMAT " clipped scalars, worst error %.3g",
                  n_modes, clipped, worst);
  g_assert_cmpfloat (worst, <, 1e-5);
}

/* max_modes 1: one Gaussian, scalar = (x - mean) / (4 std). */
static void
test_single_mode (void)
{
  static const double x[] = { 1.0, 2.0, 3.0, 4.0, 5.0 };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autofree float *out = NULL;
  RfTransformerOptions options;
  double sigma;

  add (table, double_column ("x", x, G_N_ELEMENTS (x)));
  rf_transformer_options_init (&options);
  options.max_modes = 1;
  tf = fit (table, &options, 1);
  g_assert_cmpuint (rf_transformer_get_column_modes (tf, 0), ==, 1);
  g_assert_cmpuint (rf_transformer_get_output_dim (tf), ==, 2);
  out = encode (tf, table, 1);
  /* One component's posterior, in closed form: mean 3 (data and prior
   * agree); variance (prior 2.5 + n 5 * (2 + 1e-6)) / (dof 1 + 5). The
   * scalar of x is (x - 3) / (4 sigma). */
  sigma = sqrt ((2.5 + 5.0 * (2.0 + 1e-6)) / 6.0);
  for (guint r = 0; r < 5; r++)
    {
      g_assert_cmpfloat_with_epsilon (out[r * 2], (x[r] - 3.0) / (4.0 * sigma), 1e-6);
      g_assert_cmpfloat (out[r * 2 + 1], ==, 1.0f);
    }
}

/* ------------------------------------------------------------------------ */
/* Discrete columns                                                         */

static void
test_discrete (void)
{
  static const char *const s[] = { "b", "a", "c", "a", "b", "a", NULL, "c", "a" };
  static const gint64 b[] = { 1, 0, 1, 1, 0, 0, 1, 0, 1 };
  static const gboolean b_missing[] = { FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, TRUE, FALSE };
  static const gint64 k[] = { 5, 1, 9, 1, 5, 9, 1, 1, 5 };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(RfTable) decoded = NULL;
  g_autofree float *out = NULL;
  const RfSpan *spans;
  guint n_spans, dim;

  /* Four times over: k's 3 levels need 30 rows to be categories. */
  add (table, repeated (string_column ("s", s, 9), 4));
  add (table, repeated (int_column ("b", RF_COLUMN_BOOL, b, b_missing, 9), 4));
  add (table, repeated (int_column ("k", RF_COLUMN_INT64, k, NULL, 9), 4));
  tf = fit (table, NULL, 1);

  for (guint c = 0; c < 3; c++)
    {
      g_assert_cmpint (rf_transformer_get_column_kind (tf, c), ==, RF_TRANSFORM_DISCRETE);
      g_assert_cmpuint (rf_transformer_get_column_modes (tf, c), ==, 0);
    }
  /* s: a, b, c, missing; b: false, true, missing; k: 1, 5, 9. */
  dim = rf_transformer_get_output_dim (tf);
  g_assert_cmpuint (dim, ==, 4 + 3 + 3);
  spans = rf_transformer_get_spans (tf, &n_spans);
  g_assert_cmpuint (n_spans, ==, 3);
  g_assert_cmpuint (spans[0].offset, ==, 0);
  g_assert_cmpuint (spans[0].dim, ==, 4);
  g_assert_cmpuint (spans[1].offset, ==, 4);
  g_assert_cmpuint (spans[1].dim, ==, 3);
  g_assert_cmpuint (spans[2].offset, ==, 7);
  g_assert_cmpuint (spans[2].dim, ==, 3);
  for (guint i = 0; i < n_spans; i++)
    g_assert_cmpint (spans[i].kind, ==, RF_SPAN_SOFTMAX);

  out = encode (tf, table, 1);
  /* Categories in ascending order, missing last. */
  assert_one_hot (out + 0 * dim, 4, 1);      /* "b" */
  assert_one_hot (out + 1 * dim, 4, 0);      /* "a" */
  assert_one_hot (out + 2 * dim, 4, 2);      /* "c" */
  assert_one_hot (out + 6 * dim, 4, 3);      /* missing */
  assert_one_hot (out + 0 * dim + 4, 3, 1);  /* true */
  assert_one_hot (out + 1 * dim + 4, 3, 0);  /* false */
  assert_one_hot (out + 7 * dim + 4, 3, 2);  /* missing */
  assert_one_hot (out + 0 * dim + 7, 3, 1);  /* 5 */
  assert_one_hot (out + 1 * dim + 7, 3, 0);  /* 1 */
  assert_one_hot (out + 2 * dim + 7, 3, 2);  /* 9 */
  assert_one_hot (out + 29 * dim + 7, 3, 2); /* 9 again (row 2 of the 4th copy) */

  decoded = rf_transformer_decode (tf, out, 36, NULL, NULL, NULL);
  assert_tables_equal (table, decoded);
}

/* A one-column table of n_rows values cycling through n_levels levels
 * (0, 10, 20, ... for int64; 0.25, 10.25, ... for double), its first
 * n_missing rows missing, fitted with options. */
static RfTransformer *
fit_cycling_levels (RfColumnType                type,
                    guint                       n_levels,
                    gsize                       n_rows,
                    gsize                       n_missing,
                    const RfTransformerOptions *options)
{
  g_autoptr(RfTable) table = rf_table_new ();
  RfColumn *column = rf_column_new_sized ("k", type, n_rows);

  for (gsize r = 0; r < n_rows; r++)
    {
      gint64 level = 10 * (gint64) (r % n_levels);

      if (r < n_missing)
        rf_column_append_null (column);
      else if (type == RF_COLUMN_DOUBLE)
        rf_column_append_double (column, (double) level + 0.25);
      else
        rf_column_append_int64 (column, level);
    }
  add (table, column);
  return fit (table, options, 1);
}

static RfTransformKind
levels_kind (RfColumnType                type,
             guint                       n_levels,
             gsize                       n_rows,
             gsize                       n_missing,
             const RfTransformerOptions *options)
{
  g_autoptr(RfTransformer) tf = fit_cycling_levels (type, n_levels, n_rows, n_missing, options);

  if (rf_transformer_get_column_kind (tf, 0) == RF_TRANSFORM_DISCRETE)
    g_assert_cmpuint (rf_transformer_get_output_dim (tf), ==, n_levels + (n_missing > 0 ? 1 : 0));
  return rf_transformer_get_column_kind (tf, 0);
}

/* Numeric columns, int64 and double alike: at most max_discrete_levels
 * distinct values AND at least RF_TRANSFORMER_MIN_ROWS_PER_LEVEL present
 * values per distinct value make categories; anything else is continuous. */
static void
test_discrete_levels (void)
{
  static const RfColumnType types[] = { RF_COLUMN_INT64, RF_COLUMN_DOUBLE };
  RfTransformerOptions none, two;

  g_assert_cmpint (RF_TRANSFORMER_MIN_ROWS_PER_LEVEL, ==, 10);
  rf_transformer_options_init (&none);
  none.max_discrete_levels = 0;
  rf_transformer_options_init (&two);
  two.max_discrete_levels = 2;

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      RfColumnType type = types[t];

      /* The level limit: 310 rows carry 31 levels by the ratio. */
      g_assert_cmpint (levels_kind (type, 30, 310, 0, NULL), ==, RF_TRANSFORM_DISCRETE);
      g_assert_cmpint (levels_kind (type, 31, 310, 0, NULL), ==, RF_TRANSFORM_CONTINUOUS);
      g_assert_cmpint (levels_kind (type, 2, 300, 0, &two), ==, RF_TRANSFORM_DISCRETE);
      g_assert_cmpint (levels_kind (type, 3, 300, 0, &two), ==, RF_TRANSFORM_CONTINUOUS);
      g_assert_cmpint (levels_kind (type, 3, 300, 0, &none), ==, RF_TRANSFORM_CONTINUOUS);

      /* The ratio: 5 levels need 50 present values; missing ones do not
       * count. A 20-row table with 5 values stays continuous. */
      g_assert_cmpint (levels_kind (type, 5, 50, 0, NULL), ==, RF_TRANSFORM_DISCRETE);
      g_assert_cmpint (levels_kind (type, 5, 49, 0, NULL), ==, RF_TRANSFORM_CONTINUOUS);
      g_assert_cmpint (levels_kind (type, 5, 52, 2, NULL), ==, RF_TRANSFORM_DISCRETE);
      g_assert_cmpint (levels_kind (type, 5, 51, 2, NULL), ==, RF_TRANSFORM_CONTINUOUS);
      g_assert_cmpint (levels_kind (type, 5, 20, 0, NULL), ==, RF_TRANSFORM_CONTINUOUS);
      g_assert_cmpint (levels_kind (type, 2, 19, 0, NULL), ==, RF_TRANSFORM_CONTINUOUS);
      g_assert_cmpint (levels_kind (type, 2, 20, 0, NULL), ==, RF_TRANSFORM_DISCRETE);
    }
}

static void
assert_same_bits (double actual,
                  double expected)
{
  g_assert_cmpmem (&actual, sizeof actual, &expected, sizeof expected);
}

/* A double column with 3 levels (one of them written as both 0.0 and
 * -0.0) and missing values: categories, bit for bit through encode,
 * decode and JSON. */
#define N_DOUBLE_LEVELS 70

static double
double_level (gsize row)
{
  static const double pattern[] = { 21.61, 21.6, 21.61, -0.0, 21.61, 0.0, NAN };

  return pattern[row % G_N_ELEMENTS (pattern)];
}

static void
assert_double_levels (const RfTable *decoded)
{
  const RfColumn *column = rf_table_get_column (decoded, 0);

  g_assert_cmpint (column->type, ==, RF_COLUMN_DOUBLE);
  g_assert_cmpuint (column->n_rows, ==, N_DOUBLE_LEVELS);
  g_assert_cmpuint (column->n_missing, ==, N_DOUBLE_LEVELS / 7);
  for (gsize r = 0; r < N_DOUBLE_LEVELS; r++)
    {
      double x = double_level (r);

      g_assert_cmpint (rf_column_is_valid (column, r), ==, !isnan (x));
      if (!isnan (x))
        assert_same_bits (column->values.f64[r], x == 0.0 ? 0.0 : x);
    }
}

static void
test_discrete_doubles (void)
{
  static const gint64 ints[] = { 0, 5, 21 };
  static const double probe[] = { 21.6, 21.605, -0.0 };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTable) int_table = rf_table_new ();
  g_autoptr(RfTable) probe_table = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(RfTransformer) back = NULL;
  g_autoptr(RfTransformer) negative = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *x = g_new (double, N_DOUBLE_LEVELS);
  g_autofree float *out = NULL;
  g_autofree float *int_out = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *damaged = NULL;
  g_auto(GStrv) parts = NULL;
  float sigmas[4] = { 0.5f, 0.5f, 0.5f, 0.5f };
  const RfSpan *spans;
  guint n_spans;
  double share;
  RfRng rng;

  for (gsize r = 0; r < N_DOUBLE_LEVELS; r++)
    x[r] = double_level (r);
  add (table, double_column ("x", x, N_DOUBLE_LEVELS));
  tf = fit (table, NULL, 1);
  g_assert_cmpint (rf_transformer_get_column_kind (tf, 0), ==, RF_TRANSFORM_DISCRETE);
  g_assert_cmpuint (rf_transformer_get_column_modes (tf, 0), ==, 0);
  /* 0, 21.6, 21.61, missing. */
  g_assert_cmpuint (rf_transformer_get_output_dim (tf), ==, 4);
  spans = rf_transformer_get_spans (tf, &n_spans);
  g_assert_cmpuint (n_spans, ==, 1);
  g_assert_cmpint (spans[0].kind, ==, RF_SPAN_SOFTMAX);
  g_assert_cmpuint (spans[0].dim, ==, 4);

  out = encode (tf, table, 1);
  assert_one_hot (out + 0 * 4, 4, 2);   /* 21.61 */
  assert_one_hot (out + 1 * 4, 4, 1);   /* 21.6 */
  assert_one_hot (out + 3 * 4, 4, 0);   /* -0.0 is 0 */
  assert_one_hot (out + 5 * 4, 4, 0);   /* 0.0 */
  assert_one_hot (out + 6 * 4, 4, 3);   /* missing */

  {
    g_autoptr(RfTable) decoded = rf_transformer_decode (tf, out, N_DOUBLE_LEVELS, NULL, NULL, NULL);
    g_autoptr(RfTable) noisy = NULL;

    assert_double_levels (decoded);
    /* The sigmas' noise only touches TANH scalars. */
    rf_rng_init (&rng, 3);
    noisy = rf_transformer_decode (tf, out, N_DOUBLE_LEVELS, sigmas, &rng, NULL);
    assert_double_levels (noisy);
  }

  /* JSON keeps the exact doubles and reads back the same transformer. */
  json = rf_transformer_to_json (tf);
  g_test_message ("%s", json);
  g_assert_nonnull (strstr (json, "\"type\":\"double\""));
  g_assert_nonnull (strstr (json, "\"kind\":\"discrete\",\"missing\":true,"
                                  "\"categories\":[0,21.6,21.61],\"counts\":[20,10,30]"));
  back = rf_transformer_new_from_json (json, &error);
  g_assert_no_error (error);
  json2 = rf_transformer_to_json (back);
  g_assert_cmpstr (json, ==, json2);
  {
    g_autoptr(RfTable) decoded = rf_transformer_decode (back, out, N_DOUBLE_LEVELS, NULL, NULL, NULL);

    assert_double_levels (decoded);
  }

  /* A hand-written -0 category loads as 0. */
  parts = g_strsplit (json, "[0,", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  damaged = g_strjoinv ("[-0.0,", parts);
  negative = rf_transformer_new_from_json (damaged, &error);
  g_assert_no_error (error);
  {
    g_autoptr(RfTable) decoded = rf_transformer_decode (negative, out, N_DOUBLE_LEVELS, NULL, NULL,
                                                        NULL);

    assert_double_levels (decoded);
  }

  /* Other numeric columns match the categories by value; unseen values
   * encode as the most frequent category (21.61). */
  add (int_table, int_column ("x", RF_COLUMN_INT64, ints, NULL, G_N_ELEMENTS (ints)));
  int_out = encode (tf, int_table, 1);
  assert_one_hot (int_out + 0, 4, 0);
  assert_one_hot (int_out + 4, 4, 2);
  assert_one_hot (int_out + 8, 4, 2);
  g_assert_true (rf_transformer_out_of_mode_share (tf, int_table, &share, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (share, ==, 2.0 / 3.0);
  add (probe_table, double_column ("x", probe, G_N_ELEMENTS (probe)));
  g_assert_true (rf_transformer_out_of_mode_share (tf, probe_table, &share, &error));
  g_assert_cmpfloat (share, ==, 1.0 / 3.0);
}

/* ------------------------------------------------------------------------ */
/* Constant columns                                                         */

#define N_CONST 6

static void
test_constant (void)
{
  static const double c_double[N_CONST] = { 518.67, 518.67, 518.67, 518.67, 518.67, 518.67 };
  static const gint64 c_int[N_CONST] = { 2388, 2388, 2388, 2388, 2388, 2388 };
  static const char *const c_str[N_CONST] = { "on", "on", "on", "on", "on", "on" };
  static const gint64 c_bool[N_CONST] = { 1, 1, 1, 1, 1, 1 };
  static const gint64 c_ts[N_CONST] = { 1700000000123456, 1700000000123456, 1700000000123456,
                                        1700000000123456, 1700000000123456, 1700000000123456 };
  static const double none[N_CONST] = { NAN, NAN, NAN, NAN, NAN, NAN };
  static const double holes[N_CONST] = { 3.5, NAN, 3.5, 3.5, NAN, 3.5 };
  static const double x[N_CONST] = { 1.0, 2.0, 4.0, 8.0, 16.0, 32.0 };
  static const char *const names[] = { "c_double", "c_int", "c_str", "c_bool", "c_ts",
                                       "all_missing", "holes" };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(RfTable) decoded = NULL;
  g_autofree float *out = NULL;
  const RfSpan *spans;
  guint n_spans, dim, x_dim;
  int x_index;

  add (table, double_column ("c_double", c_double, N_CONST));
  add (table, int_column ("c_int", RF_COLUMN_INT64, c_int, NULL, N_CONST));
  add (table, string_column ("c_str", c_str, N_CONST));
  add (table, int_column ("c_bool", RF_COLUMN_BOOL, c_bool, NULL, N_CONST));
  add (table, int_column ("c_ts", RF_COLUMN_TIMESTAMP, c_ts, NULL, N_CONST));
  add (table, double_column ("all_missing", none, N_CONST));
  add (table, double_column ("x", x, N_CONST));
  add (table, double_column ("holes", holes, N_CONST));
  tf = fit (table, NULL, 1);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      int c = find_column (tf, names[i]);

      g_assert_cmpint (rf_transformer_get_column_kind (tf, (guint) c), ==, RF_TRANSFORM_CONSTANT);
      g_assert_cmpuint (rf_transformer_get_column_modes (tf, (guint) c), ==, 0);
    }
  x_index = find_column (tf, "x");
  g_assert_cmpint (rf_transformer_get_column_kind (tf, (guint) x_index), ==, RF_TRANSFORM_CONTINUOUS);

  /* Only x and the missing indicator of "holes" take room. */
  x_dim = 1 + rf_transformer_get_column_modes (tf, (guint) x_index);
  dim = rf_transformer_get_output_dim (tf);
  g_assert_cmpuint (dim, ==, x_dim + 2);
  spans = rf_transformer_get_spans (tf, &n_spans);
  g_assert_cmpuint (n_spans, ==, 3);
  g_assert_cmpint (spans[2].kind, ==, RF_SPAN_SOFTMAX);
  g_assert_cmpuint (spans[2].offset, ==, x_dim);
  g_assert_cmpuint (spans[2].dim, ==, 2);

  out = encode (tf, table, 1);
  for (guint r = 0; r < N_CONST; r++)
    assert_one_hot (out + r * dim + x_dim, 2, isnan (holes[r]) ? 1 : 0);

  decoded = rf_transformer_decode (tf, out, N_CONST, NULL, NULL, NULL);
  for (guint c = 0; c < rf_table_get_n_columns (table); c++)
    if (c != (guint) x_index)
      assert_columns_equal (rf_table_get_column (table, c), rf_table_get_column (decoded, c));
  g_assert_cmpuint (rf_table_get_column (decoded, 5)->n_missing, ==, N_CONST);
}

/* Every column constant: nothing to encode, everything reproduced. */
static void
test_all_constant (void)
{
  static const double c_double[3] = { -0.25, -0.25, -0.25 };
  static const char *const c_str[3] = { "ü", "ü", "ü" };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(RfTable) decoded = NULL;
  g_autoptr(GError) error = NULL;
  guint n_spans;
  RfColumn *column;

  add (table, double_column ("d", c_double, 3));
  add (table, string_column ("s", c_str, 3));
  tf = fit (table, NULL, 1);
  g_assert_cmpuint (rf_transformer_get_output_dim (tf), ==, 0);
  rf_transformer_get_spans (tf, &n_spans);
  g_assert_cmpuint (n_spans, ==, 0);
  g_assert_true (rf_transformer_encode (tf, table, 1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  decoded = rf_transformer_decode (tf, NULL, 5, NULL, NULL, NULL);
  g_assert_cmpuint (rf_table_get_n_rows (decoded), ==, 5);
  column = rf_table_get_column (decoded, 0);
  for (guint r = 0; r < 5; r++)
    {
      gsize len;
      const char *text = rf_column_get_string (rf_table_get_column (decoded, 1), r, &len);

      g_assert_cmpfloat (column->values.f64[r], ==, -0.25);
      g_assert_cmpmem (text, len, "ü", strlen ("ü"));
    }
}

/* ------------------------------------------------------------------------ */
/* Missing values                                                           */

#define N_MISSING 2000

static void
test_missing (void)
{
  g_autofree double *x = bimodal (N_MISSING, 30.0, 5);
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(RfTable) decoded = NULL;
  g_autoptr(RfTable) flipped = NULL;
  g_autofree float *out = NULL;
  const RfSpan *spans;
  guint n_spans, n_modes, dim;
  RfColumn *column;

  for (gsize r = 0; r < N_MISSING; r++)
    if (r % 10 == 3)
      x[r] = NAN;
  add (table, double_column ("x", x, N_MISSING));
  tf = fit (table, NULL, 2);

  n_modes = rf_transformer_get_column_modes (tf, 0);
  dim = rf_transformer_get_output_dim (tf);
  g_assert_cmpuint (dim, ==, 1 + n_modes + 2);
  spans = rf_transformer_get_spans (tf, &n_spans);
  g_assert_cmpuint (n_spans, ==, 3);
  g_assert_cmpint (spans[2].kind, ==, RF_SPAN_SOFTMAX);
  g_assert_cmpuint (spans[2].offset, ==, 1 + n_modes);
  g_assert_cmpuint (spans[2].dim, ==, 2);

  out = encode (tf, table, 8);
  for (gsize r = 0; r < N_MISSING; r++)
    {
      const float *row = out + r * dim;

      one_hot_index (row + 1, n_modes);
      assert_one_hot (row + 1 + n_modes, 2, isnan (x[r]) ? 1 : 0);
      if (isnan (x[r]))
        g_assert_cmpfloat (row[0], ==, 0.0f);
    }

  decoded = rf_transformer_decode (tf, out, N_MISSING, NULL, NULL, NULL);
  column = rf_table_get_column (decoded, 0);
  g_assert_cmpuint (column->n_missing, ==, N_MISSING / 10);
  for (gsize r = 0; r < N_MISSING; r++)
    g_assert_cmpint (rf_column_is_valid (column, r), ==, !isnan (x[r]));

  /* Null exactly where the indicator says, whatever the scalar. */
  for (gsize r = 0; r < N_MISSING; r++)
    {
      float *indicator = out + r * dim + 1 + n_modes;
      gboolean missing = r % 7 == 0;

      indicator[0] = missing ? 0.1f : 0.7f;
      indicator[1] = missing ? 0.9f : 0.3f;
    }
  flipped = rf_transformer_decode (tf, out, N_MISSING, NULL, NULL, NULL);
  column = rf_table_get_column (flipped, 0);
  for (gsize r = 0; r < N_MISSING; r++)
    g_assert_cmpint (rf_column_is_valid (column, r), ==, r % 7 != 0);
}

/* ------------------------------------------------------------------------ */
/* Integers, timestamps, clipping                                           */

#define N_INT 3000

static void
test_integers (void)
{
  g_autofree gint64 *k = g_new (gint64, N_INT);
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(RfTable) decoded = NULL;
  g_autofree float *out = NULL;
  RfColumn *column;
  RfRng rng;
  guint dim;
  gsize exact = 0, unclipped = 0;

  rf_rng_init (&rng, 4);
  for (gsize r = 0; r < N_INT; r++)
    k[r] = 5000 + (gint64) rf_rng_below (&rng, 1000);
  add (table, int_column ("count", RF_COLUMN_INT64, k, NULL, N_INT));
  tf = fit (table, NULL, 3);
  g_assert_cmpint (rf_transformer_get_column_kind (tf, 0), ==, RF_TRANSFORM_CONTINUOUS);
  dim = rf_transformer_get_output_dim (tf);

  out = encode (tf, table, 5);
  decoded = rf_transformer_decode (tf, out, N_INT, NULL, NULL, NULL);
  column = rf_table_get_column (decoded, 0);
  g_assert_cmpint (column->type, ==, RF_COLUMN_INT64);
  for (gsize r = 0; r < N_INT; r++)
    {
      g_assert_cmpint (column->values.i64[r], >=, 5000);
      g_assert_cmpint (column->values.i64[r], <=, 5999);
      if (fabsf (out[r * dim]) < 0.99f)
        {
          unclipped++;
          /* 4 sigma * 2^-24 is far below 0.5: rounding gives the value back. */
          g_assert_cmpint (column->values.i64[r], ==, k[r]);
          exact++;
        }
    }
  g_assert_cmpuint (unclipped, >, N_INT * 9 / 10);
  g_test_message ("integers: %" G_GSIZE_FORMAT " of %d rows reproduced exactly", exact, N_INT);
}

static void
test_clipping (void)
{
  g_autofree gint64 *k = g_new (gint64, N_INT);
  g_autofree double *x = bimodal (N_INT, 100.0, 12);
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autofree float *scalars = g_new (float, 2 * RF_BGM_MAX_COMPONENTS);
  g_autofree guint *modes = g_new (guint, 2 * RF_BGM_MAX_COMPONENTS);
  g_autofree float *probe = NULL;
  g_autofree float *out = NULL;
  double range_min[2] = { 5100.5, -1.0 };
  double range_max[2] = { 5900.2, 99.0 };
  double x_min = INFINITY, x_max = -INFINITY;
  RfDecodeOptions options;
  guint n_probe;
  RfRng rng;

  rf_rng_init (&rng, 4);
  for (gsize r = 0; r < N_INT; r++)
    {
      k[r] = 5000 + (gint64) rf_rng_below (&rng, 1000);
      x_min = MIN (x_min, x[r]);
      x_max = MAX (x_max, x[r]);
    }
  k[0] = 5000;
  k[1] = 5999;
  add (table, int_column ("count", RF_COLUMN_INT64, k, NULL, N_INT));
  add (table, double_column ("x", x, N_INT));
  tf = fit (table, NULL, 3);
  g_assert_cmpint (rf_transformer_get_column_kind (tf, 0), ==, RF_TRANSFORM_CONTINUOUS);
  g_assert_cmpint (rf_transformer_get_column_kind (tf, 1), ==, RF_TRANSFORM_CONTINUOUS);

  /* Scalar +-1 on every mode reaches mu +- 4 sigma, beyond the data. */
  n_probe = 2 * MAX (rf_transformer_get_column_modes (tf, 0),
                     rf_transformer_get_column_modes (tf, 1));
  for (guint r = 0; r < n_probe; r++)
    {
      scalars[r] = r % 2 == 0 ? -1.0f : 1.0f;
      modes[r] = r / 2;
    }
  probe = crafted_rows (tf, n_probe, scalars, modes);

  for (int clip = 0; clip <= 1; clip++)
    {
      g_autoptr(RfTable) decoded = NULL;
      RfColumn *count, *xc;
      gint64 lo = G_MAXINT64, hi = G_MININT64;
      double xlo = INFINITY, xhi = -INFINITY;

      rf_decode_options_init (&options);
      options.clip_to_training_range = clip;
      decoded = rf_transformer_decode (tf, probe, n_probe, NULL, NULL, &options);
      count = rf_table_get_column (decoded, 0);
      xc = rf_table_get_column (decoded, 1);
      for (guint r = 0; r < n_probe; r++)
        {
          lo = MIN (lo, count->values.i64[r]);
          hi = MAX (hi, count->values.i64[r]);
          xlo = MIN (xlo, xc->values.f64[r]);
          xhi = MAX (xhi, xc->values.f64[r]);
        }
      if (clip)
        {
          g_assert_cmpint (lo, ==, 5000);
          g_assert_cmpint (hi, ==, 5999);
          g_assert_cmpfloat (xlo, ==, x_min);
          g_assert_cmpfloat (xhi, ==, x_max);
        }
      else
        {
          g_assert_cmpint (lo, <, 5000);
          g_assert_cmpint (hi, >, 5999);
          g_assert_cmpfloat (xlo, <, x_min);
          g_assert_cmpfloat (xhi, >, x_max);
        }
    }

  /* Further limits: integers stay inside [ceil (min), floor (max)]. */
  out = encode (tf, table, 1);
  {
    g_autoptr(RfTable) decoded = NULL;
    RfColumn *count, *xc;
    gsize at_lo = 0, at_hi = 0, x_at_lo = 0, x_at_hi = 0;

    rf_decode_options_init (&options);
    options.range_min = range_min;
    options.range_max = range_max;
    decoded = rf_transformer_decode (tf, out, N_INT, NULL, NULL, &options);
    count = rf_table_get_column (decoded, 0);
    xc = rf_table_get_column (decoded, 1);
    for (gsize r = 0; r < N_INT; r++)
      {
        g_assert_cmpint (count->values.i64[r], >=, 5101);
        g_assert_cmpint (count->values.i64[r], <=, 5900);
        g_assert_cmpfloat (xc->values.f64[r], >=, -1.0);
        g_assert_cmpfloat (xc->values.f64[r], <=, 99.0);
        at_lo += count->values.i64[r] == 5101;
        at_hi += count->values.i64[r] == 5900;
        x_at_lo += xc->values.f64[r] == -1.0;
        x_at_hi += xc->values.f64[r] == 99.0;
      }
    g_assert_cmpuint (at_lo, >, 0);
    g_assert_cmpuint (at_hi, >, 0);
    g_assert_cmpuint (x_at_lo, >, 0);
    g_assert_cmpuint (x_at_hi, >, 0);

    /* NaN limits: that column is not limited. */
    range_min[0] = NAN;
    g_clear_pointer (&decoded, rf_table_unref);
    decoded = rf_transformer_decode (tf, out, N_INT, NULL, NULL, &options);
    count = rf_table_get_column (decoded, 0);
    at_lo = 0;
    for (gsize r = 0; r < N_INT; r++)
      at_lo += count->values.i64[r] < 5101;
    g_assert_cmpuint (at_lo, >, 0);
  }
}

#define N_TS 600

static void
test_timestamps (void)
{
  /* Three instants 1.5 s apart: every mode is narrow, so the microseconds
   * survive the float scalar exactly. */
  static const gint64 base = G_GINT64_CONSTANT (1700000000123456);
  g_autofree gint64 *t = g_new (gint64, N_TS);
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(RfTable) decoded = NULL;
  g_autoptr(RfTable) noisy = NULL;
  g_autofree float *out = NULL;
  g_autofree float *sigmas = NULL;
  RfColumn *column;
  RfRng rng;
  guint dim;

  for (gsize r = 0; r < N_TS; r++)
    t[r] = base + (gint64) (r % 3) * 1500000;
  add (table, int_column ("time", RF_COLUMN_TIMESTAMP, t, NULL, N_TS));
  rf_column_set_role (rf_table_get_column (table, 0), RF_ROLE_TIMESTAMP);
  tf = fit (table, NULL, 3);
  g_assert_cmpint (rf_transformer_get_column_kind (tf, 0), ==, RF_TRANSFORM_CONTINUOUS);
  g_assert_cmpint (rf_transformer_get_column_type (tf, 0), ==, RF_COLUMN_TIMESTAMP);
  g_assert_cmpint (rf_transformer_get_column_role (tf, 0), ==, RF_ROLE_TIMESTAMP);
  dim = rf_transformer_get_output_dim (tf);

  out = encode (tf, table, 5);
  decoded = rf_transformer_decode (tf, out, N_TS, NULL, NULL, NULL);
  column = rf_table_get_column (decoded, 0);
  g_assert_cmpint (column->type, ==, RF_COLUMN_TIMESTAMP);
  g_assert_cmpint (column->role, ==, RF_ROLE_TIMESTAMP);
  for (gsize r = 0; r < N_TS; r++)
    {
      g_assert_cmpfloat (fabsf (out[r * dim]), <, 0.99f);
      g_assert_cmpint (column->values.i64[r], ==, t[r]);
    }

  /* With the learned sigmas' noise, values stay whole microseconds inside
   * the training range. */
  sigmas = g_new (float, dim);
  for (guint j = 0; j < dim; j++)
    sigmas[j] = 0.5f;
  rf_rng_init (&rng, 1);
  noisy = rf_transformer_decode (tf, out, N_TS, sigmas, &rng, NULL);
  column = rf_table_get_column (noisy, 0);
  for (gsize r = 0; r < N_TS; r++)
    {
      g_assert_cmpint (column->values.i64[r], >=, base);
      g_assert_cmpint (column->values.i64[r], <=, base + 3000000);
    }
}

/* ------------------------------------------------------------------------ */
/* Determinism                                                              */

#define N_DET 10000

static RfTable *
mixed_table (gsize   n,
             guint64 seed)
{
  static const char *const letters[] = { "p", "q", "r", "s", "t" };
  g_autofree double *a = bimodal (n, 40.0, seed);
  g_autofree double *d = bimodal (n, -20.0, seed + 1);
  g_autofree const char **s = g_new (const char *, n);
  g_autofree gint64 *c = g_new (gint64, n);
  RfTable *table = rf_table_new ();
  RfRng rng;

  rf_rng_init (&rng, seed + 2);
  for (gsize r = 0; r < n; r++)
    {
      s[r] = letters[rf_rng_below (&rng, 5)];
      c[r] = (gint64) rf_rng_below (&rng, 100000);
      if (r % 13 == 5)
        d[r] = NAN;
    }
  add (table, double_column ("a", a, n));
  add (table, string_column ("s", s, n));
  add (table, int_column ("c", RF_COLUMN_INT64, c, NULL, n));
  add (table, double_column ("d", d, n));
  return table;
}

static void
test_determinism (void)
{
  g_autoptr(RfTable) table = mixed_table (N_DET, 21);
  g_autofree char *reference_json = NULL;
  g_autofree float *reference = NULL;
  gsize size = 0;

  for (guint n_threads = 1; n_threads <= 4; n_threads++)
    {
      g_autoptr(RfTransformer) tf = NULL;
      g_autofree char *json = NULL;
      g_autofree float *out = NULL;
      g_autofree float *again = NULL;
      g_autofree float *other = NULL;
      RfTransformerOptions options;

      rf_transformer_options_init (&options);
      options.n_threads = n_threads;
      tf = fit (table, &options, 5);
      json = rf_transformer_to_json (tf);
      size = (gsize) N_DET * rf_transformer_get_output_dim (tf) * sizeof (float);
      out = encode (tf, table, 9);
      again = encode (tf, table, 9);
      other = encode (tf, table, 10);
      g_assert_cmpmem (out, size, again, size);
      g_assert_true (memcmp (out, other, size) != 0);
      if (reference_json == NULL)
        {
          reference_json = g_steal_pointer (&json);
          reference = g_steal_pointer (&out);
          continue;
        }
      g_assert_cmpstr (json, ==, reference_json);
      g_assert_cmpmem (out, size, reference, size);
    }
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                     */

/* Every kind of column; 12 rows repeated 4 times so that k and levels
 * have enough rows per value to be categories. */
#define EVERYTHING_COPIES 4

static RfTable *
everything_table (void)
{
  static const char *const s[] = { "é", "日本語", "😀", "a\"b\\c", "\t\n", "\x01", "", " ",
                                   "é", "日本語", NULL, "" };
  static const gint64 b[] = { 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0 };
  static const gint64 k[] = { 3, 7, 3, 9, 7, 3, 3, 9, 7, 7, 3, 3 };
  static const gint64 ts[] = { 1700000000000000, 1700000001500000, 1700000003000000,
                               1700000100000000, 1700000000000001, 1699999999999999,
                               1700000050000000, 1700000070000000, 1700000020000000,
                               1700000030000000, 1700000040000000, 1700000060000000 };
  static const gint64 many[] = { 100, 205, 317, 402, 511, 699, 703, 808, 913, 1001, 1100, 1250 };
  static const double c[] = { 1e17, 1e17, 1e17, 1e17, 1e17, 1e17, 1e17, 1e17, 1e17, 1e17, 1e17, 1e17 };
  static const double m[] = { 0.1, NAN, 0.30000000000000004, -2.5, 1e-300, NAN, 7.0, 123456.789,
                              0.1, 0.2, -0.0, 3.0 };
  static const double levels[] = { 21.61, 21.6, 21.61, -0.0, 0.30000000000000004, 21.61, NAN,
                                   0.0, 21.61, 21.6, 0.30000000000000004, 21.61 };
  double x[12];
  g_autoptr(RfColumn) odd = rf_column_new ("odd", RF_COLUMN_STRING);
  RfTable *table = rf_table_new ();
  RfColumn *column;

  for (guint r = 0; r < 12; r++)
    x[r] = (r % 2 == 0 ? 1.0 : 1000.0) + r * 0.125;
  column = repeated (double_column ("x", x, 12), EVERYTHING_COPIES);
  rf_column_set_unit (column, "°C");
  rf_column_set_role (column, RF_ROLE_SENSOR);
  add (table, column);
  column = repeated (string_column ("s", s, 12), EVERYTHING_COPIES);
  rf_column_set_role (column, RF_ROLE_CATEGORY);
  add (table, column);
  add (table, repeated (int_column ("b", RF_COLUMN_BOOL, b, NULL, 12), EVERYTHING_COPIES));
  add (table, repeated (int_column ("k", RF_COLUMN_INT64, k, NULL, 12), EVERYTHING_COPIES));
  column = repeated (int_column ("ts", RF_COLUMN_TIMESTAMP, ts, NULL, 12), EVERYTHING_COPIES);
  rf_column_set_role (column, RF_ROLE_TIMESTAMP);
  add (table, column);
  column = repeated (int_column ("many", RF_COLUMN_INT64, many, NULL, 12), EVERYTHING_COPIES);
  rf_column_set_role (column, RF_ROLE_RUL);
  add (table, column);
  add (table, repeated (double_column ("c", c, 12), EVERYTHING_COPIES));
  add (table, repeated (double_column ("m", m, 12), EVERYTHING_COPIES));
  /* Bytes JSON strings cannot carry: NUL, invalid UTF-8. */
  for (guint r = 0; r < 12 * EVERYTHING_COPIES; r++)
    {
      static const char *const raw[] = { "a\0b", "\xff\xfe", "plain" };
      static const gsize raw_len[] = { 3, 2, 5 };

      rf_column_append_string (odd, raw[r % 3], (gssize) raw_len[r % 3]);
    }
  rf_column_set_unit (odd, "\xce\xbc" "m\"");
  rf_table_add_column (table, odd);
  add (table, repeated (double_column ("levels", levels, 12), EVERYTHING_COPIES));
  return table;
}

/* everything_table's columns: x, s, b, k, ts, many, c, m, odd, levels. */
static const RfTransformKind everything_kinds[] = {
  RF_TRANSFORM_CONTINUOUS, RF_TRANSFORM_DISCRETE, RF_TRANSFORM_DISCRETE, RF_TRANSFORM_DISCRETE,
  RF_TRANSFORM_CONTINUOUS, RF_TRANSFORM_CONTINUOUS, RF_TRANSFORM_CONSTANT,
  RF_TRANSFORM_CONTINUOUS, RF_TRANSFORM_DISCRETE, RF_TRANSFORM_DISCRETE,
};

static void
test_json_round_trip (void)
{
  g_autoptr(RfTable) table = everything_table ();
  g_autoptr(RfTransformer) tf = fit (table, NULL, 17);
  g_autoptr(RfTransformer) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = rf_transformer_to_json (tf);
  g_autofree char *json2 = NULL;
  g_autofree float *out = NULL;
  g_autofree float *out2 = NULL;
  g_autofree float *sigmas = NULL;
  g_autoptr(RfTable) decoded = NULL;
  g_autoptr(RfTable) decoded2 = NULL;
  guint n_spans, n_spans2, dim;
  const RfSpan *spans, *spans2;
  RfRng rng, rng2;
  gsize size;

  g_assert_true (g_str_has_prefix (json, "{\"version\":1,"));
  g_assert_true (g_utf8_validate (json, -1, NULL));
  back = rf_transformer_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  json2 = rf_transformer_to_json (back);
  g_assert_cmpstr (json, ==, json2);

  g_assert_cmpuint (rf_transformer_get_n_columns (back), ==, rf_table_get_n_columns (table));
  for (guint c = 0; c < rf_transformer_get_n_columns (tf); c++)
    {
      g_assert_cmpstr (rf_transformer_get_column_name (back, c), ==,
                       rf_transformer_get_column_name (tf, c));
      g_assert_cmpstr (rf_transformer_get_column_unit (back, c), ==,
                       rf_transformer_get_column_unit (tf, c));
      g_assert_cmpint (rf_transformer_get_column_type (back, c), ==,
                       rf_transformer_get_column_type (tf, c));
      g_assert_cmpint (rf_transformer_get_column_role (back, c), ==,
                       rf_transformer_get_column_role (tf, c));
      g_assert_cmpint (rf_transformer_get_column_kind (back, c), ==,
                       rf_transformer_get_column_kind (tf, c));
      g_assert_cmpuint (rf_transformer_get_column_modes (back, c), ==,
                        rf_transformer_get_column_modes (tf, c));
    }
  g_assert_cmpstr (rf_transformer_get_column_unit (tf, 8), ==, "\xce\xbc" "m\"");
  g_assert_cmpuint (rf_transformer_get_n_columns (tf), ==, G_N_ELEMENTS (everything_kinds));
  for (guint c = 0; c < G_N_ELEMENTS (everything_kinds); c++)
    g_assert_cmpint (rf_transformer_get_column_kind (tf, c), ==, everything_kinds[c]);
  g_assert_nonnull (strstr (json, "\"categories\":[0,0.30000000000000004,21.6,21.61]"));
  spans = rf_transformer_get_spans (tf, &n_spans);
  spans2 = rf_transformer_get_spans (back, &n_spans2);
  g_assert_cmpmem (spans, n_spans * sizeof (RfSpan), spans2, n_spans2 * sizeof (RfSpan));

  dim = rf_transformer_get_output_dim (tf);
  g_assert_cmpuint (rf_transformer_get_output_dim (back), ==, dim);
  size = rf_table_get_n_rows (table) * dim * sizeof (float);
  out = encode (tf, table, 3);
  out2 = encode (back, table, 3);
  g_assert_cmpmem (out, size, out2, size);

  sigmas = g_new (float, dim);
  for (guint j = 0; j < dim; j++)
    sigmas[j] = 0.05f;
  rf_rng_init (&rng, 4);
  rf_rng_init (&rng2, 4);
  decoded = rf_transformer_decode (tf, out, rf_table_get_n_rows (table), sigmas, &rng, NULL);
  decoded2 = rf_transformer_decode (back, out, rf_table_get_n_rows (table), sigmas, &rng2, NULL);
  assert_tables_equal (decoded, decoded2);

  /* Without noise the categories, constants and the odd bytes come back. */
  g_clear_pointer (&decoded, rf_table_unref);
  decoded = rf_transformer_decode (back, out, rf_table_get_n_rows (table), NULL, NULL, NULL);
  for (guint c = 1; c < rf_table_get_n_columns (table); c++)
    if (rf_transformer_get_column_kind (back, c) != RF_TRANSFORM_CONTINUOUS)
      assert_columns_equal (rf_table_get_column (table, c), rf_table_get_column (decoded, c));
}

/* Replaces the first match of pattern in json (NULL when none). */
static char *
replace_first (const char *json,
               const char *pattern,
               const char *replacement)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  int start, end;

  g_assert_nonnull (regex);
  if (!g_regex_match (regex, json, 0, &match))
    return NULL;
  g_match_info_fetch_pos (match, 0, &start, &end);
  return g_strdup_printf ("%.*s%s%s", start, json, replacement, json + end);
}

typedef struct
{
  const char *pattern;
  const char *replacement;
  const char *message;    /* a part of the expected error message */
} Damage;

static void
test_json_damaged (void)
{
  static const double x[] = { 1.0, 1.5, 2.0, 50.0, 51.0, 52.0, 1.2, 50.5 };
  static const char *const s[] = { "a", "b", "c", "a", "b", "c", "a", "a" };
  static const double k[] = { 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0 };
  static const Damage damages[] = {
    { "\"version\":1,", "", "“version”" },
    { "\"version\":1", "\"version\":2", "version 2" },
    { "\"version\":1", "\"version\":\"1\"", "“version”" },
    { "\"output_dim\":[0-9]+", "\"output_dim\":999", "“output_dim”" },
    { "\"output_dim\":[0-9]+", "\"output_dim\":-1", "“output_dim”" },
    { "\"columns\":\\[", "\"columns\":[7,", "not an object" },
    { "\"columns\":\\[.*\\]\\}$", "\"columns\":[]}", "“columns”" },
    { ",\"modes\":\\[[0-9,]*\\]", "", "field “modes”" },
    { "\"modes\":\\[[0-9]+", "\"modes\":[99", "field “modes”" },
    { "\"modes\":\\[", "\"modes\":[\"0\",", "field “modes”" },
    { "\"kind\":\"continuous\"", "\"kind\":\"discrete\"", "“x”), field “categories”" },
    { "\"type\":\"string\"", "\"type\":\"timestamp\"", "“s”), field “type”" },
    { "\"kind\":\"continuous\"", "\"kind\":\"bogus\"", "field “kind”" },
    { "\"kind\":\"constant\"", "\"kind\":\"continuous\"", "“k”), field “min”" },
    { "\"type\":\"double\"", "\"type\":\"float\"", "field “type”" },
    { "\"role\":\"sensor\"", "\"role\":\"boss\"", "field “role”" },
    { "\"missing\":false", "\"missing\":0", "field “missing”" },
    { "\"stds\":\\[[-0-9.e+]+", "\"stds\":[-1", "field “stds”: entry 1 is not positive" },
    { "\"stds\":\\[[-0-9.e+]+", "\"stds\":[0", "field “stds”: entry 1 is not positive" },
    { "\"stds\":\\[[-0-9.e+]+,", "\"stds\":[", "field “stds”" },
    { "\"means\":\\[[-0-9.e+]+", "\"means\":[\"x\"", "field “means”: entry 1" },
    { "\"weights\":\\[[-0-9.e+]+", "\"weights\":[5", "field “weights”" },
    { "\"weights\":\\[[-0-9.e+]+", "\"weights\":[-0.5", "field “weights”" },
    { "\"log_offsets\":\\[[^]]*\\]", "\"log_offsets\":[]", "field “log_offsets”" },
    { "\"min\":[-0-9.e+]+", "\"min\":1e999", "field “min”" },
    { "\"max\":[-0-9.e+]+", "\"max\":-1000", "field “max”" },
    { "\\{\"kind\":\"tanh\",\"dim\":1\\}", "{\"kind\":\"tanh\",\"dim\":2}", "field “spans”" },
    { "\\{\"kind\":\"tanh\",\"dim\":1\\}", "{\"kind\":\"softmax\",\"dim\":1}", "field “spans”" },
    { "\"spans\":\\[[^]]*\\]", "\"spans\":[]", "field “spans”" },
    { "\"categories\":\\[\"a\",\"b\"", "\"categories\":[\"b\",\"a\"", "field “categories”" },
    { "\"categories\":\\[\"a\",\"b\"", "\"categories\":[\"a\",\"a\"", "field “categories”" },
    { "\"categories\":\\[\"a\"", "\"categories\":[1", "field “categories”" },
    { "\"counts\":\\[[0-9]+,", "\"counts\":[", "field “counts”" },
    { "\"counts\":\\[[0-9]+", "\"counts\":[-4", "field “counts”" },
    { "\"value\":7", "\"value\":\"seven\"", "“k”), field “value”" },
    { "\"missing\":false,\"value\":7", "\"missing\":true,\"value\":null", "“k”), field “missing”" },
    { "\"missing\":false,\"value\":7", "\"missing\":true,\"value\":7", "“k”), field “spans”" },
    { ",\"value\":7", "", "“k”), field “value”" },
    { "\"name\":\"s\"", "\"name\":\"x\"", "same name" },
    { "\"name\":\"s\"", "\"name\":5", "column 2, field “name”" },
    { "\"means\":\\[[-0-9.e+]+", "\"means\":[NaN", "not valid JSON" },
  };
  static const char *const garbage[] = {
    "", "not json", "[]", "{}", "{\"version\":1}", "{\"version\":1,\"output_dim\":0}",
    "null", "{\"version\":1,\"output_dim\":0,\"columns\":{}}",
  };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autofree char *json = NULL;
  g_autofree char *truncated = NULL;

  add (table, double_column ("x", x, G_N_ELEMENTS (x)));
  add (table, string_column ("s", s, G_N_ELEMENTS (s)));
  add (table, double_column ("k", k, G_N_ELEMENTS (k)));
  tf = fit (table, NULL, 1);
  json = rf_transformer_to_json (tf);
  g_test_message ("%s", json);

  for (guint i = 0; i < G_N_ELEMENTS (damages); i++)
    {
      g_autofree char *damaged = replace_first (json, damages[i].pattern, damages[i].replacement);
      g_autoptr(GError) error = NULL;
      g_autoptr(RfTransformer) loaded = NULL;

      g_test_message ("damage %u: %s -> %s", i, damages[i].pattern, damages[i].replacement);
      g_assert_nonnull (damaged);
      loaded = rf_transformer_new_from_json (damaged, &error);
      g_assert_null (loaded);
      g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
      g_test_message ("  %s", error->message);
      g_assert_nonnull (strstr (error->message, damages[i].message));
    }

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RfTransformer) loaded = rf_transformer_new_from_json (garbage[i], &error);

      g_assert_null (loaded);
      g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
    }

  /* Every prefix of the document is refused. */
  for (gsize len = 0; len < strlen (json); len++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RfTransformer) loaded = NULL;

      truncated = g_strndup (json, len);
      loaded = rf_transformer_new_from_json (truncated, &error);
      g_clear_pointer (&truncated, g_free);
      g_assert_null (loaded);
      g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
    }
}

/* ------------------------------------------------------------------------ */
/* Out-of-mode share                                                        */

static void
test_out_of_mode (void)
{
  static const char *const s[] = { "a", "b", "c", "a" };
  static const char *const s_new[] = { "d", "a", "e", NULL };
  static const double k[] = { 5.0, 5.0, 5.0, 5.0 };
  static const gint64 k_new[] = { 5, 6, 5, 7 };
  g_autofree double *x = bimodal (N_BIMODAL, 50.0, 31);
  g_autofree double *shifted = g_new (double, N_BIMODAL);
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTable) moved = rf_table_new ();
  g_autoptr(RfTable) cat = rf_table_new ();
  g_autoptr(RfTable) cat_new = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(RfTransformer) tf_cat = NULL;
  g_autoptr(GError) error = NULL;
  double share = -1.0;

  add (table, double_column ("x", x, N_BIMODAL));
  tf = fit (table, NULL, 2);

  /* Training data: a value is out only beyond 3.96 sigma of every mode,
   * P(|z| > 3.96) = 7.5e-5 for a Gaussian mode: below 1e-3 with margin. */
  g_assert_true (rf_transformer_out_of_mode_share (tf, table, &share, &error));
  g_assert_no_error (error);
  g_test_message ("out-of-mode share on the training data: %g", share);
  g_assert_cmpfloat (share, >=, 0.0);
  g_assert_cmpfloat (share, <, 1e-3);

  /* 100 sigma of the wider mode away: everything is out. */
  for (gsize r = 0; r < N_BIMODAL; r++)
    shifted[r] = x[r] + 200.0;
  add (moved, double_column ("x", shifted, N_BIMODAL));
  g_assert_true (rf_transformer_out_of_mode_share (tf, moved, &share, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (share, ==, 1.0);

  /* Unseen categories and values other than the constant, over the
   * present values of both columns: (2 + 2) / (3 + 4). */
  add (cat, string_column ("s", s, 4));
  add (cat, double_column ("k", k, 4));
  tf_cat = fit (cat, NULL, 1);
  g_assert_true (rf_transformer_out_of_mode_share (tf_cat, cat, &share, &error));
  g_assert_cmpfloat (share, ==, 0.0);
  add (cat_new, string_column ("s", s_new, 4));
  add (cat_new, int_column ("k", RF_COLUMN_INT64, k_new, NULL, 4));
  g_assert_true (rf_transformer_out_of_mode_share (tf_cat, cat_new, &share, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (share, ==, 4.0 / 7.0);
}

/* Unseen categories encode as the most frequent one. */
static void
test_unseen_category (void)
{
  static const char *const s[] = { "a", "b", "b", "c" };
  static const char *const s_new[] = { "zz", "c", NULL };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTable) fresh = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autofree float *out = NULL;

  add (table, string_column ("s", s, 4));
  tf = fit (table, NULL, 1);
  add (fresh, string_column ("s", s_new, 3));
  out = encode (tf, fresh, 1);
  assert_one_hot (out + 0, 3, 1);
  assert_one_hot (out + 3, 3, 2);
  assert_one_hot (out + 6, 3, 1);
}

/* ------------------------------------------------------------------------ */
/* FD001                                                                    */

/* Decoded doubles are rounded to the training values' decimal places, and
 * not at all when those need more than RF_TRANSFORMER_MAX_DECIMALS. */
static void
test_decimals (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfColumn) short_values = rf_column_new ("short", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) long_values = rf_column_new ("long", RF_COLUMN_DOUBLE);
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(RfTable) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *out = NULL;
  g_autofree char *json = NULL;
  RfRng rng;
  const gsize n = 500;

  rf_rng_init (&rng, 3);
  for (gsize i = 0; i < n; i++)
    {
      /* 3 decimals at most (some rows need fewer), as a parser reads them
       * (the double nearest to the decimal), and arbitrary doubles. */
      rf_column_append_double (short_values, round ((rf_rng_normal (&rng) + 50.0) * 1000.0) / 1000.0);
      rf_column_append_double (long_values, rf_rng_normal (&rng) / 3.0);
    }
  rf_table_add_column (table, short_values);
  rf_table_add_column (table, long_values);
  tf = rf_transformer_fit (table, NULL, 5, NULL, NULL, &error);
  g_assert_no_error (error);
  json = rf_transformer_to_json (tf);
  g_assert_nonnull (strstr (json, "\"name\":\"short\""));
  g_assert_nonnull (strstr (json, "\"decimals\":3,"));
  g_assert_nonnull (strstr (json, "\"decimals\":-1,"));

  out = g_new (float, n * rf_transformer_get_output_dim (tf));
  g_assert_true (rf_transformer_encode (tf, table, 6, out, NULL, NULL, &error));
  g_assert_no_error (error);
  rf_rng_init (&rng, 7);
  decoded = rf_transformer_decode (tf, out, n, NULL, &rng, NULL);
  for (gsize i = 0; i < n; i++)
    {
      double x = rf_table_get_column (decoded, 0)->values.f64[i];
      double y = rf_table_get_column (decoded, 1)->values.f64[i];

      g_assert_cmpfloat (round (x * 1000.0) / 1000.0, ==, x);
      /* Close to the original (mode-specific normalisation inverts) and
       * never rounded, though the float scalar moves it a little. */
      g_assert_cmpfloat_with_epsilon (x, short_values->values.f64[i], 0.0015);
      g_assert_cmpfloat_with_epsilon (y, long_values->values.f64[i], 1e-5);
    }
}

static void
test_fd001 (void)
{
  static const char *const constant[] = { "setting_3", "s_1", "s_5", "s_10", "s_16", "s_18", "s_19" };
  /* Few levels, each on many rows: s_6 reads 21.61 or 21.60, s_17 13
   * integers, setting_2 13 values from -0.0006 to 0.0006. */
  static const char *const discrete[] = { "setting_2", "s_6", "s_17", NULL };
  g_autofree char *path = rf_test_shared_path ("corpus/real/train_FD001.csv");
  g_autoptr(RfTable) table = NULL;
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(RfTransformer) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *out = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autoptr(GString) modes = g_string_new (NULL);
  gint64 t0, t1, t2;
  guint n_constant = 0, n_discrete = 0, dim;
  gsize n_rows;
  gboolean ok;

  if (path == NULL)
    return;
  table = rf_read_file (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  n_rows = rf_table_get_n_rows (table);
  g_assert_cmpuint (n_rows, ==, 20631);
  g_assert_cmpuint (rf_table_get_n_columns (table), ==, 27);

  t0 = g_get_monotonic_time ();
  tf = rf_transformer_fit (table, NULL, 42, NULL, NULL, &error);
  g_assert_no_error (error);
  t1 = g_get_monotonic_time ();
  dim = rf_transformer_get_output_dim (tf);
  out = g_new (float, n_rows * dim);
  ok = rf_transformer_encode (tf, table, 42, out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  t2 = g_get_monotonic_time ();

  for (guint c = 0; c < rf_transformer_get_n_columns (tf); c++)
    {
      const char *name = rf_transformer_get_column_name (tf, c);
      gboolean expect_constant = g_strv_contains (constant, name);

      g_assert_cmpstr (name, ==, rf_table_get_column (table, c)->name);
      if (expect_constant)
        {
          g_assert_cmpint (rf_transformer_get_column_kind (tf, c), ==, RF_TRANSFORM_CONSTANT);
          n_constant++;
        }
      else if (g_strv_contains (discrete, name))
        {
          g_assert_cmpint (rf_transformer_get_column_kind (tf, c), ==, RF_TRANSFORM_DISCRETE);
          n_discrete++;
        }
      else
        {
          g_assert_cmpint (rf_transformer_get_column_kind (tf, c), ==, RF_TRANSFORM_CONTINUOUS);
          g_string_append_printf (modes, " %s:%u", name, rf_transformer_get_column_modes (tf, c));
        }
    }
  g_assert_cmpuint (n_constant, ==, G_N_ELEMENTS (constant));
  g_assert_cmpuint (n_discrete, ==, g_strv_length ((char **) discrete));

  /* A constant column reproduces its value in every row, a discrete one
   * its values bit for bit (-0.0 as 0.0). */
  {
    g_autoptr(RfTable) decoded = rf_transformer_decode (tf, out, n_rows, NULL, NULL, NULL);
    RfColumn *s1 = rf_table_find_column (decoded, "s_1");
    RfColumn *s18 = rf_table_find_column (decoded, "s_18");
    gsize n_low = 0;

    g_assert_cmpint (s18->type, ==, RF_COLUMN_INT64);
    for (gsize r = 0; r < n_rows; r++)
      {
        g_assert_cmpfloat (s1->values.f64[r], ==, 518.67);
        g_assert_cmpint (s18->values.i64[r], ==, 2388);
      }
    for (guint d = 0; discrete[d] != NULL; d++)
      {
        RfColumn *real = rf_table_find_column (table, discrete[d]);
        RfColumn *back_column = rf_table_find_column (decoded, discrete[d]);

        g_assert_cmpint (back_column->type, ==, real->type);
        g_assert_cmpuint (back_column->n_missing, ==, 0);
        for (gsize r = 0; r < n_rows; r++)
          if (real->type == RF_COLUMN_DOUBLE)
            assert_same_bits (back_column->values.f64[r],
                              real->values.f64[r] == 0.0 ? 0.0 : real->values.f64[r]);
          else
            g_assert_cmpint (back_column->values.i64[r], ==, real->values.i64[r]);
      }
    for (gsize r = 0; r < n_rows; r++)
      n_low += rf_table_find_column (decoded, "s_6")->values.f64[r] == 21.6;
    g_assert_cmpuint (n_low, ==, 406);

    /* Decoded doubles keep the data's decimals: s_2 has 2, setting_1 4. */
    {
      RfColumn *s2 = rf_table_find_column (decoded, "s_2");
      RfColumn *setting1 = rf_table_find_column (decoded, "setting_1");
      gsize s2_fractional = 0;

      for (gsize r = 0; r < n_rows; r++)
        {
          g_assert_cmpfloat (round (s2->values.f64[r] * 100.0) / 100.0, ==, s2->values.f64[r]);
          g_assert_cmpfloat (round (setting1->values.f64[r] * 1e4) / 1e4, ==, setting1->values.f64[r]);
          s2_fractional += round (s2->values.f64[r] * 10.0) / 10.0 != s2->values.f64[r];
        }
      /* ... and use them: most values need the second place. */
      g_assert_cmpuint (s2_fractional, >, n_rows / 2);
    }
  }

  json = rf_transformer_to_json (tf);
  back = rf_transformer_new_from_json (json, &error);
  g_assert_no_error (error);
  json2 = rf_transformer_to_json (back);
  g_assert_cmpstr (json, ==, json2);
  g_assert_nonnull (strstr (json, "\"categories\":[21.6,21.61],"));
  g_assert_nonnull (strstr (json, "\"categories\":[-0.0006,-0.0005,-0.0004,-0.0003,-0.0002,"
                                  "-0.0001,0,0.0001,0.0002,0.0003,0.0004,0.0005,0.0006],"));

  /* Decoding speed as sampling uses it (learned-sigma noise on, one
   * thread): the best of a few runs over the encoded rows. */
  {
    g_autofree float *sigmas = g_new (float, MAX (dim, 1));
    gint64 best = G_MAXINT64;

    for (guint j = 0; j < dim; j++)
      sigmas[j] = 0.1f;
    for (guint run = 0; run < 5; run++)
      {
        g_autoptr(RfTable) decoded = NULL;
        RfRng rng;
        gint64 start;

        rf_rng_init (&rng, run);
        start = g_get_monotonic_time ();
        decoded = rf_transformer_decode (tf, out, n_rows, sigmas, &rng, NULL);
        best = MIN (best, g_get_monotonic_time () - start);
        g_assert_cmpuint (rf_table_get_n_rows (decoded), ==, n_rows);
      }
    g_test_message ("FD001: decode with noise %.0f rows/s (one thread, best of 5)",
                    n_rows / (MAX (best, 1) / 1e6));
  }

  g_test_message ("FD001: %u columns, %u constant, %u discrete, output dim %u, modes:%s",
                  rf_transformer_get_n_columns (tf), n_constant, n_discrete, dim, modes->str);
  g_test_message ("FD001: fit %.3f s + encode %.3f s = %.3f s (%u threads); JSON %" G_GSIZE_FORMAT
                  " bytes",
                  (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t2 - t0) / 1e6, g_get_num_processors (),
                  strlen (json));
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */

static void
test_errors_empty (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTable) no_rows = rf_table_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTransformer) tf = rf_transformer_fit (table, NULL, 1, NULL, NULL, &error);

  g_assert_null (tf);
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
  g_clear_error (&error);

  add (no_rows, rf_column_new ("x", RF_COLUMN_DOUBLE));
  tf = rf_transformer_fit (no_rows, NULL, 1, NULL, NULL, &error);
  g_assert_null (tf);
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
}

static void
test_errors_infinite (void)
{
  static const double x[] = { 1.0, 2.0, INFINITY, 4.0 };
  static const double y[] = { 1.0, 2.0, 3.0, 4.0 };
  static const double z[] = { 1.0, -INFINITY, 3.0, 4.0 };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTable) good = rf_table_new ();
  g_autoptr(RfTable) bad = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(GError) error = NULL;
  float out[8];
  double share;

  add (table, double_column ("flow", x, 4));
  tf = rf_transformer_fit (table, NULL, 1, NULL, NULL, &error);
  g_assert_null (tf);
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“flow”"));
  g_assert_nonnull (strstr (error->message, "row 3"));
  g_clear_error (&error);

  add (good, double_column ("flow", y, 4));
  tf = fit (good, NULL, 1);
  add (bad, double_column ("flow", z, 4));
  g_assert_false (rf_transformer_encode (tf, bad, 1, out, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "row 2"));
  g_clear_error (&error);
  g_assert_false (rf_transformer_out_of_mode_share (tf, bad, &share, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
}

static void
test_errors_columns (void)
{
  static const double y[] = { 1.0, 2.0, 3.0, 4.0 };
  static const char *const s[] = { "1", "2", "3", "4" };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTable) other = rf_table_new ();
  g_autoptr(RfTable) text = rf_table_new ();
  g_autoptr(RfTable) numbers = rf_table_new ();
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(GError) error = NULL;
  float out[64];
  double share;

  add (table, double_column ("pressure", y, 4));
  add (table, string_column ("state", s, 4));
  tf = fit (table, NULL, 1);

  add (other, double_column ("temperature", y, 4));
  add (other, string_column ("state", s, 4));
  g_assert_false (rf_transformer_encode (tf, other, 1, out, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“pressure”"));
  g_clear_error (&error);
  g_assert_false (rf_transformer_out_of_mode_share (tf, other, &share, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_clear_error (&error);

  add (text, string_column ("pressure", s, 4));
  add (text, string_column ("state", s, 4));
  g_assert_false (rf_transformer_encode (tf, text, 1, out, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“pressure”"));
  g_clear_error (&error);

  add (numbers, double_column ("pressure", y, 4));
  add (numbers, double_column ("state", y, 4));
  g_assert_false (rf_transformer_encode (tf, numbers, 1, out, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“state”"));
}

static void
test_errors_too_many_categories (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfColumn) column = rf_column_new ("id", RF_COLUMN_STRING);
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i <= RF_TRANSFORMER_MAX_CATEGORIES; i++)
    {
      g_autofree char *id = g_strdup_printf ("unit-%u", i);

      rf_column_append_string (column, id, -1);
    }
  rf_table_add_column (table, column);
  tf = rf_transformer_fit (table, NULL, 1, NULL, NULL, &error);
  g_assert_null (tf);
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "“id”"));
}

static void
test_errors_cancelled (void)
{
  g_autoptr(RfTable) table = mixed_table (100, 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(RfTransformer) tf = fit (table, NULL, 1);
  g_autoptr(RfTransformer) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *out = g_new (float, 100 * rf_transformer_get_output_dim (tf));

  g_cancellable_cancel (cancellable);
  none = rf_transformer_fit (table, NULL, 1, NULL, cancellable, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (rf_transformer_encode (tf, table, 1, out, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
record_progress (double      fraction,
                 const char *message,
                 gpointer    user_data)
{
  double *last = user_data;

  (void) message;
  /* Workers report concurrently; only the maximum is checked. */
  if (fraction > *last)
    *last = fraction;
}

static void
test_progress (void)
{
  g_autoptr(RfTable) table = mixed_table (9000, 3);
  g_autoptr(RfTransformer) tf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *out = NULL;
  double fit_last = 0.0, encode_last = 0.0;
  RfProgress progress = rf_progress_init (record_progress, &fit_last);
  RfTransformerOptions options;

  rf_transformer_options_init (&options);
  options.n_threads = 1;
  tf = rf_transformer_fit (table, &options, 1, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (fit_last, ==, 1.0);

  progress = rf_progress_init (record_progress, &encode_last);
  out = g_new (float, 9000 * rf_transformer_get_output_dim (tf));
  g_assert_true (rf_transformer_encode (tf, table, 1, out, &progress, NULL, &error));
  g_assert_cmpfloat (encode_last, ==, 1.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/transformer/continuous/bimodal", test_bimodal);
  g_test_add_func ("/rf/transformer/continuous/single-mode", test_single_mode);
  g_test_add_func ("/rf/transformer/discrete/round-trip", test_discrete);
  g_test_add_func ("/rf/transformer/discrete/levels", test_discrete_levels);
  g_test_add_func ("/rf/transformer/discrete/doubles", test_discrete_doubles);
  g_test_add_func ("/rf/transformer/discrete/unseen", test_unseen_category);
  g_test_add_func ("/rf/transformer/constant/columns", test_constant);
  g_test_add_func ("/rf/transformer/constant/all", test_all_constant);
  g_test_add_func ("/rf/transformer/missing", test_missing);
  g_test_add_func ("/rf/transformer/integers", test_integers);
  g_test_add_func ("/rf/transformer/timestamps", test_timestamps);
  g_test_add_func ("/rf/transformer/clipping", test_clipping);
  g_test_add_func ("/rf/transformer/determinism", test_determinism);
  g_test_add_func ("/rf/transformer/json/round-trip", test_json_round_trip);
  g_test_add_func ("/rf/transformer/json/damaged", test_json_damaged);
  g_test_add_func ("/rf/transformer/out-of-mode", test_out_of_mode);
  g_test_add_func ("/rf/transformer/fd001", test_fd001);
  g_test_add_func ("/rf/transformer/decimals", test_decimals);
  g_test_add_func ("/rf/transformer/errors/empty", test_errors_empty);
  g_test_add_func ("/rf/transformer/errors/infinite", test_errors_infinite);
  g_test_add_func ("/rf/transformer/errors/columns", test_errors_columns);
  g_test_add_func ("/rf/transformer/errors/too-many-categories", test_errors_too_many_categories);
  g_test_add_func ("/rf/transformer/errors/cancelled", test_errors_cancelled);
  g_test_add_func ("/rf/transformer/progress", test_progress);

  return g_test_run ();
}

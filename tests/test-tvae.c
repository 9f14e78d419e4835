/* The TVAE network: layers against the naive reference and finite
 * differences, the whole loss's gradient, Adam, training determinism,
 * early stopping, the frozen encoder, generation and the tensor layout. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "refinery.h"
#include "rf-nn.h"
#include "rf-tvae.h"
#include "rf-test-util.h"

static void
fill_uniform (float *x,
              gsize  n,
              guint64 seed)
{
  RfRng rng;
  rf_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    x[i] = 2.0f * rf_rng_uniform_f (&rng) - 1.0f;
}

static void
assert_close (const float *a,
              const float *b,
              gsize        n,
              float        tolerance)
{
  for (gsize i = 0; i < n; i++)
    if (fabsf (a[i] - b[i]) > tolerance * (1.0f + fabsf (b[i])))
      g_error ("entry %" G_GSIZE_FORMAT ": %.9g vs %.9g", i, a[i], b[i]);
}

/* sgemm-based linear layer against the naive triple loop. */
static void
test_linear_matches_naive (void)
{
  const int n = 37, in = 23, out = 19;
  float x[37 * 23], w[19 * 23], b[19], dy[37 * 19];
  float y[37 * 19], y_ref[37 * 19];
  float dx[37 * 23], dx_ref[37 * 23], dw[19 * 23], dw_ref[19 * 23], db[19], db_ref[19];

  fill_uniform (x, G_N_ELEMENTS (x), 1);
  fill_uniform (w, G_N_ELEMENTS (w), 2);
  fill_uniform (b, G_N_ELEMENTS (b), 3);
  fill_uniform (dy, G_N_ELEMENTS (dy), 4);

  rf_nn_linear_forward (y, x, w, b, n, in, out);
  for (int r = 0; r < n; r++)
    memcpy (y_ref + r * out, b, sizeof b);
  rf_nn_matmul_naive (FALSE, TRUE, n, out, in, 1.0f, x, in, w, in, 1.0f, y_ref, out);
  assert_close (y, y_ref, G_N_ELEMENTS (y), 1e-5f);

  /* Gradients accumulate into dw and db: start both from ones. */
  for (gsize i = 0; i < G_N_ELEMENTS (dw); i++)
    dw[i] = dw_ref[i] = 1.0f;
  for (gsize i = 0; i < G_N_ELEMENTS (db); i++)
    db[i] = db_ref[i] = 1.0f;
  rf_nn_linear_backward (dx, dw, db, dy, x, w, n, in, out, FALSE);
  rf_nn_matmul_naive (TRUE, FALSE, out, in, n, 1.0f, dy, out, x, in, 1.0f, dw_ref, in);
  rf_nn_matmul_naive (FALSE, FALSE, n, in, out, 1.0f, dy, out, w, in, 0.0f, dx_ref, in);
  for (int r = 0; r < n; r++)
    for (int o = 0; o < out; o++)
      db_ref[o] += dy[r * out + o];
  assert_close (dx, dx_ref, G_N_ELEMENTS (dx), 1e-5f);
  assert_close (dw, dw_ref, G_N_ELEMENTS (dw), 1e-5f);
  assert_close (db, db_ref, G_N_ELEMENTS (db), 1e-5f);

  /* accumulate_dx adds to what is there. */
  rf_nn_linear_backward (dx, NULL, NULL, dy, x, w, n, in, out, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (dx); i++)
    dx_ref[i] *= 2.0f;
  assert_close (dx, dx_ref, G_N_ELEMENTS (dx), 1e-5f);
}

/* The linear layer's gradients against central differences of
 * L = sum (y * dy), whose gradient with respect to y is dy. */
static double
linear_objective (const float *x, const float *w, const float *b, const float *dy,
                  int n, int in, int out)
{
  g_autofree float *y = g_new (float, n * out);
  double sum = 0.0;

  rf_nn_linear_forward (y, x, w, b, n, in, out);
  for (int i = 0; i < n * out; i++)
    sum += (double) y[i] * dy[i];
  return sum;
}

static void
check_fd (float       *param,
          float        analytic,
          double     (*objective) (gpointer),
          gpointer     data,
          const char  *what,
          gsize        index)
{
  const float h = 2e-3f;
  float saved = *param;
  double up, down, numeric;

  *param = saved + h;
  up = objective (data);
  *param = saved - h;
  down = objective (data);
  *param = saved;
  numeric = (up - down) / (2.0 * h);
  if (fabs (numeric - analytic) > 2e-3 + 2e-2 * fabs (numeric))
    g_error ("%s[%" G_GSIZE_FORMAT "]: analytic %.6g, finite difference %.6g", what, index, analytic, numeric);
}

typedef struct
{
  float *x, *w, *b, *dy;
  int n, in, out;
} LinearCase;

static double
linear_case_objective (gpointer data)
{
  LinearCase *c = data;
  return linear_objective (c->x, c->w, c->b, c->dy, c->n, c->in, c->out);
}

static void
test_linear_finite_differences (void)
{
  float x[6 * 5], w[4 * 5], b[4], dy[6 * 4], dx[6 * 5], dw[4 * 5] = { 0 }, db[4] = { 0 };
  LinearCase c = { x, w, b, dy, 6, 5, 4 };

  fill_uniform (x, G_N_ELEMENTS (x), 5);
  fill_uniform (w, G_N_ELEMENTS (w), 6);
  fill_uniform (b, G_N_ELEMENTS (b), 7);
  fill_uniform (dy, G_N_ELEMENTS (dy), 8);
  rf_nn_linear_backward (dx, dw, db, dy, x, w, c.n, c.in, c.out, FALSE);
  for (gsize i = 0; i < G_N_ELEMENTS (w); i++)
    check_fd (&w[i], dw[i], linear_case_objective, &c, "W", i);
  for (gsize i = 0; i < G_N_ELEMENTS (b); i++)
    check_fd (&b[i], db[i], linear_case_objective, &c, "b", i);
  for (gsize i = 0; i < G_N_ELEMENTS (x); i++)
    check_fd (&x[i], dx[i], linear_case_objective, &c, "x", i);
}

typedef struct
{
  float *x, *dy;
  gsize n;
} ReluCase;

static double
relu_objective (gpointer data)
{
  ReluCase *c = data;
  g_autofree float *y = g_memdup2 (c->x, sizeof (float) * c->n);
  double sum = 0.0;

  rf_nn_relu_forward (y, c->n);
  for (gsize i = 0; i < c->n; i++)
    sum += (double) y[i] * c->dy[i];
  return sum;
}

static void
test_relu_finite_differences (void)
{
  float x[40], y[40], dy[40], d[40];
  ReluCase c = { x, dy, 40 };

  fill_uniform (x, 40, 9);
  fill_uniform (dy, 40, 10);
  /* Keep away from the kink at 0, where the derivative is undefined. */
  for (int i = 0; i < 40; i++)
    if (fabsf (x[i]) < 0.05f)
      x[i] = 0.3f;
  memcpy (y, x, sizeof x);
  rf_nn_relu_forward (y, 40);
  memcpy (d, dy, sizeof dy);
  rf_nn_relu_backward (d, y, 40);
  for (int i = 0; i < 40; i++)
    {
      g_assert_cmpfloat (y[i], ==, x[i] > 0 ? x[i] : 0.0f);
      check_fd (&x[i], d[i], relu_objective, &c, "relu x", i);
    }
}

static void
test_adam_step (void)
{
  float p[2] = { 1.0f, -2.0f }, g[2] = { 0.5f, 0.0f }, m[2] = { 0 }, v[2] = { 0 };

  /* Step 1 without decay: m_hat = g, v_hat = g^2, so p moves by lr
   * (times g / (|g| + eps)). A zero gradient does not move. */
  rf_nn_adam_step (p, g, m, v, 2, 0.1, 0.9, 0.999, 1e-8, 0.0, 1);
  g_assert_cmpfloat_with_epsilon (p[0], 0.9f, 1e-6);
  g_assert_cmpfloat (p[1], ==, -2.0f);
  g_assert_cmpfloat_with_epsilon (m[0], 0.05f, 1e-7);
  g_assert_cmpfloat_with_epsilon (v[0], 0.00025f, 1e-8);

  /* With L2 decay the zero-gradient parameter feels wd * p. */
  memset (m, 0, sizeof m);
  memset (v, 0, sizeof v);
  rf_nn_adam_step (p, g, m, v, 2, 0.1, 0.9, 0.999, 1e-8, 0.5, 1);
  /* p[1]: g' = 0.5 * -2 = -1 → moves by +0.1. */
  g_assert_cmpfloat_with_epsilon (p[1], -1.9f, 1e-6);
}

/* A small network over a layout with both span kinds. */
static const RfSpan small_spans[] = {
  { RF_SPAN_TANH, 0, 1 }, { RF_SPAN_SOFTMAX, 1, 3 }, { RF_SPAN_TANH, 4, 1 }, { RF_SPAN_SOFTMAX, 5, 2 },
};
#define SMALL_DIM 7

static RfTvae *
small_tvae (guint64 seed)
{
  RfTvaeArch arch;
  GError *error = NULL;
  RfTvae *tvae;

  rf_tvae_arch_init (&arch);
  arch.embedding_dim = 4;
  arch.compress_dims[0] = 6;
  arch.compress_dims[1] = 5;
  arch.decompress_dims[0] = 5;
  arch.decompress_dims[1] = 6;
  tvae = rf_tvae_new (&arch, small_spans, G_N_ELEMENTS (small_spans), seed, &error);
  g_assert_no_error (error);
  return tvae;
}

/* Rows that look encoded: scalars in (-1, 1), one-hot spans. */
static void
fill_encoded (float *x,
              gsize  n_rows,
              guint64 seed)
{
  RfRng rng;
  rf_rng_init (&rng, seed);
  for (gsize r = 0; r < n_rows; r++)
    {
      float *row = x + r * SMALL_DIM;
      memset (row, 0, sizeof (float) * SMALL_DIM);
      row[0] = 1.8f * rf_rng_uniform_f (&rng) - 0.9f;
      row[1 + rf_rng_below (&rng, 3)] = 1.0f;
      row[4] = 1.8f * rf_rng_uniform_f (&rng) - 0.9f;
      row[5 + rf_rng_below (&rng, 2)] = 1.0f;
    }
}

typedef struct
{
  RfTvae *tvae;
  float *x, *noise;
  gsize n;
} LossCase;

static double
loss_objective (gpointer data)
{
  LossCase *c = data;
  return rf_tvae_loss_gradient (c->tvae, c->x, c->n, c->noise, 2.0, NULL);
}

/* Every parameter of the whole network against central differences of the
 * full loss (reconstruction of both span kinds, sigmas, KL, reparameterised
 * noise). */
static void
test_loss_gradient (void)
{
  g_autoptr(RfTvae) tvae = small_tvae (3);
  float x[5 * SMALL_DIM], noise[5 * 4];
  g_autofree float *grads = NULL;
  float *params;
  gsize n_params;
  LossCase c = { tvae, x, noise, 5 };
  double loss;

  fill_encoded (x, 5, 4);
  fill_uniform (noise, G_N_ELEMENTS (noise), 5);
  params = rf_tvae_get_params (tvae, &n_params);
  /* Spread the sigmas so that their gradients differ. */
  params[n_params - SMALL_DIM] = 0.3f;
  params[n_params - SMALL_DIM + 4] = 0.6f;
  grads = g_new (float, n_params);
  loss = rf_tvae_loss_gradient (tvae, x, 5, noise, 2.0, grads);
  g_assert_true (isfinite (loss));
  g_assert_cmpfloat (loss, ==, loss_objective (&c));

  for (gsize i = 0; i < n_params; i++)
    check_fd (&params[i], grads[i], loss_objective, &c, "param", i);
}

static void
test_tensor_layout (void)
{
  static const RfSpan spans[] = { { RF_SPAN_TANH, 0, 1 }, { RF_SPAN_SOFTMAX, 1, 9 } };
  static const struct { const char *name; gsize s0, s1; guint rank; } expected[] = {
    { "encoder.seq.0.weight", 128, 10, 2 }, { "encoder.seq.0.bias", 128, 0, 1 },
    { "encoder.seq.2.weight", 128, 128, 2 }, { "encoder.seq.2.bias", 128, 0, 1 },
    { "encoder.fc1.weight", 128, 128, 2 }, { "encoder.fc1.bias", 128, 0, 1 },
    { "encoder.fc2.weight", 128, 128, 2 }, { "encoder.fc2.bias", 128, 0, 1 },
    { "decoder.seq.0.weight", 128, 128, 2 }, { "decoder.seq.0.bias", 128, 0, 1 },
    { "decoder.seq.2.weight", 128, 128, 2 }, { "decoder.seq.2.bias", 128, 0, 1 },
    { "decoder.seq.4.weight", 10, 128, 2 }, { "decoder.seq.4.bias", 10, 0, 1 },
    { "decoder.sigma", 10, 0, 1 },
  };
  RfTvaeArch arch;
  GError *error = NULL;
  g_autoptr(RfTvae) tvae = NULL;
  gsize total = 0, n_params;
  float *params;

  rf_tvae_arch_init (&arch);
  tvae = rf_tvae_new (&arch, spans, 2, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_tvae_get_data_dim (tvae), ==, 10);
  g_assert_cmpuint (rf_tvae_get_n_tensors (tvae), ==, G_N_ELEMENTS (expected));
  params = rf_tvae_get_params (tvae, &n_params);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gsize shape[2] = { 0, 0 }, n;
      guint rank;
      float *data = rf_tvae_get_tensor (tvae, i, shape, &rank, &n);

      g_assert_cmpstr (rf_tvae_get_tensor_name (tvae, i), ==, expected[i].name);
      g_assert_cmpuint (rank, ==, expected[i].rank);
      g_assert_cmpuint (shape[0], ==, expected[i].s0);
      if (rank == 2)
        g_assert_cmpuint (shape[1], ==, expected[i].s1);
      /* Back to back in the parameter block. */
      g_assert_true (data == params + total);
      total += n;
    }
  g_assert_cmpuint (total, ==, n_params);

  /* PyTorch's initialisation bounds, and sigma's start. */
  for (gsize i = 0; i < 128 * 10; i++)
    g_assert_cmpfloat (fabsf (params[i]), <=, 1.0f / sqrtf (10.0f));
  for (gsize i = n_params - 10; i < n_params; i++)
    g_assert_cmpfloat (params[i], ==, 0.1f);
}

static void
test_new_rejects (void)
{
  static const RfSpan gap[] = { { RF_SPAN_TANH, 0, 1 }, { RF_SPAN_SOFTMAX, 2, 3 } };
  RfTvaeArch arch;
  GError *error = NULL;
  RfTvae *tvae;

  rf_tvae_arch_init (&arch);
  tvae = rf_tvae_new (&arch, gap, 2, 1, &error);
  g_assert_null (tvae);
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_clear_error (&error);

  tvae = rf_tvae_new (&arch, NULL, 0, 1, &error);
  g_assert_null (tvae);
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "constant"));
  g_clear_error (&error);

  arch.embedding_dim = 0;
  tvae = rf_tvae_new (&arch, small_spans, G_N_ELEMENTS (small_spans), 1, &error);
  g_assert_null (tvae);
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_clear_error (&error);
}

typedef struct
{
  guint calls;
  double first_loss;
  double last_loss;
} EpochLog;

static void
log_epoch (const RfEpochReport *report,
           gpointer             user_data)
{
  EpochLog *log = user_data;

  log->calls++;
  g_assert_cmpuint (report->epoch, ==, log->calls);
  g_assert_true (isfinite (report->train_loss));
  g_assert_true (isfinite (report->validation_loss));
  g_assert_cmpfloat (report->seconds, >=, 0.0);
  if (log->calls == 1)
    log->first_loss = report->train_loss;
  log->last_loss = report->train_loss;
}

static void
train_small (RfTvae      *tvae,
             const float *x,
             gsize        n,
             guint        epochs,
             guint        n_threads,
             EpochLog    *log,
             RfTrainResult *result)
{
  RfTrainConfig config;
  GError *error = NULL;

  rf_train_config_init (&config);
  config.epochs = epochs;
  config.batch_size = 64;
  config.seed = 17;
  config.n_threads = n_threads;
  g_assert_true (rf_tvae_train (tvae, x, n, &config, log != NULL ? log_epoch : NULL, log, result,
                                NULL, &error));
  g_assert_no_error (error);
}

static void
test_train_learns_and_is_deterministic (void)
{
  const gsize n = 1000;
  g_autofree float *x = g_new (float, n * SMALL_DIM);
  g_autoptr(RfTvae) one = small_tvae (8);
  g_autoptr(RfTvae) two = small_tvae (8);
  EpochLog log = { 0 };
  RfTrainResult result;
  gsize n_params;
  const float *sigma;

  fill_encoded (x, n, 9);
  train_small (one, x, n, 30, 1, &log, &result);
  train_small (two, x, n, 30, 2, NULL, NULL);

  g_assert_cmpuint (log.calls, ==, 30);
  g_assert_cmpuint (result.epochs_run, ==, 30);
  g_assert_cmpuint (result.n_validation_rows, ==, 100);
  g_assert_cmpuint (result.n_train_rows, ==, 900);
  g_assert_false (result.stopped_early);
  g_assert_cmpfloat (log.last_loss, <, log.first_loss);

  /* One thread or two: the same shards, the same reduction order. */
  rf_tvae_get_params (one, &n_params);
  g_assert_cmpmem (rf_tvae_get_params (one, NULL), n_params * sizeof (float),
                   rf_tvae_get_params (two, NULL), n_params * sizeof (float));

  sigma = rf_tvae_get_sigmas (one);
  for (guint c = 0; c < SMALL_DIM; c++)
    {
      g_assert_cmpfloat (sigma[c], >=, 0.01f);
      g_assert_cmpfloat (sigma[c], <=, 1.0f);
    }
}

static void
test_frozen_encoder (void)
{
  const gsize n = 300;
  g_autofree float *x = g_new (float, n * SMALL_DIM);
  g_autoptr(RfTvae) tvae = small_tvae (8);
  g_autofree float *before = NULL;
  RfTrainConfig config;
  GError *error = NULL;
  gsize n_params, encoder_params, changed = 0;

  fill_encoded (x, n, 10);
  rf_tvae_get_params (tvae, &n_params);
  before = g_memdup2 (rf_tvae_get_params (tvae, NULL), n_params * sizeof (float));
  /* encoder: 7*6+6 + 6*5+5 + 2 * (5*4+4). */
  encoder_params = 48 + 35 + 48;

  rf_train_config_init (&config);
  config.epochs = 3;
  config.batch_size = 50;
  config.freeze_encoder = TRUE;
  g_assert_true (rf_tvae_train (tvae, x, n, &config, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (before, encoder_params * sizeof (float),
                   rf_tvae_get_params (tvae, NULL), encoder_params * sizeof (float));
  for (gsize i = encoder_params; i < n_params; i++)
    changed += before[i] != rf_tvae_get_params (tvae, NULL)[i];
  g_assert_cmpuint (changed, >, (n_params - encoder_params) / 2);
}

static void
test_early_stopping (void)
{
  const gsize n = 200;
  g_autofree float *x = g_new (float, n * SMALL_DIM);
  g_autoptr(RfTvae) tvae = small_tvae (8);
  RfTrainConfig config;
  RfTrainResult result;
  GError *error = NULL;

  fill_encoded (x, n, 11);
  /* A learning rate too small to change any float: the validation loss
   * (same noise every epoch) never improves after epoch 1. */
  rf_train_config_init (&config);
  config.epochs = 50;
  config.learning_rate = 1e-30;
  config.patience = 4;
  g_assert_true (rf_tvae_train (tvae, x, n, &config, NULL, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (result.stopped_early);
  g_assert_cmpuint (result.epochs_run, ==, 5);
  g_assert_cmpuint (result.best_epoch, ==, 1);
  g_assert_cmpfloat (result.best_validation_loss, ==, result.final_validation_loss);
}

static void
test_train_errors (void)
{
  g_autoptr(RfTvae) tvae = small_tvae (8);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  float x[10 * SMALL_DIM];
  RfTrainConfig config;
  GError *error = NULL;

  fill_encoded (x, 10, 12);
  rf_train_config_init (&config);
  g_assert_false (rf_tvae_train (tvae, x, 0, &config, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
  g_clear_error (&error);

  config.batch_size = 0;
  g_assert_false (rf_tvae_train (tvae, x, 10, &config, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "batch size"));
  g_clear_error (&error);

  rf_train_config_init (&config);
  g_cancellable_cancel (cancellable);
  g_assert_false (rf_tvae_train (tvae, x, 10, &config, NULL, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* One row: no validation split, training still runs. */
  rf_train_config_init (&config);
  config.epochs = 2;
  g_assert_true (rf_tvae_train (tvae, x, 1, &config, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_generate (void)
{
  g_autoptr(RfTvae) tvae = small_tvae (8);
  g_autoptr(RfTvae) copy = NULL;
  const gsize n = 3000;  /* several generation chunks */
  g_autofree float *a = g_new (float, n * SMALL_DIM);
  g_autofree float *b = g_new (float, n * SMALL_DIM);
  RfRng rng;

  rf_rng_init (&rng, 5);
  rf_tvae_generate (tvae, &rng, n, RF_DEFAULT_CATEGORY_TEMPERATURE, a);
  copy = rf_tvae_copy (tvae);
  rf_rng_init (&rng, 5);
  rf_tvae_generate (copy, &rng, n, RF_DEFAULT_CATEGORY_TEMPERATURE, b);
  g_assert_cmpmem (a, n * SMALL_DIM * sizeof (float), b, n * SMALL_DIM * sizeof (float));

  for (gsize r = 0; r < n; r++)
    {
      const float *row = a + r * SMALL_DIM;
      g_assert_cmpfloat (fabsf (row[0]), <=, 1.0f);
      g_assert_cmpfloat (fabsf (row[4]), <=, 1.0f);
      /* One-hot spans come out as one-hots. */
      g_assert_cmpfloat (row[1] + row[2] + row[3], ==, 1.0f);
      g_assert_cmpfloat (row[1] * row[2] + row[2] * row[3] + row[1] * row[3], ==, 0.0f);
      g_assert_cmpfloat (row[5] + row[6], ==, 1.0f);
    }
  /* Another seed, other rows. */
  rf_rng_init (&rng, 6);
  rf_tvae_generate (tvae, &rng, n, RF_DEFAULT_CATEGORY_TEMPERATURE, b);
  g_assert_true (memcmp (a, b, n * SMALL_DIM * sizeof (float)) != 0);
}

/* A decoder whose output is its bias alone: the scalars are tanh (bias)
 * and every one-hot span is drawn with the softmax of its bias. */
static void
test_generate_draws_categories (void)
{
  g_autoptr(RfTvae) tvae = small_tvae (8);
  /* Not a multiple of four: the last rows take the one-row path. */
  const gsize n = 20003;
  g_autofree float *out = g_new (float, n * SMALL_DIM);
  const float bias[SMALL_DIM] = { 0.5f, logf (0.2f), logf (0.3f), logf (0.5f), -0.25f, logf (0.9f), logf (0.1f) };
  gsize n_params, counts[SMALL_DIM] = { 0 };
  float *params = rf_tvae_get_params (tvae, &n_params);
  gsize out_w = n_params - SMALL_DIM - SMALL_DIM - 6 * SMALL_DIM;
  RfRng rng;

  /* Output layer: W [7 x 6], b [7], then the 7 sigmas. */
  memset (params + out_w, 0, sizeof (float) * 6 * SMALL_DIM);
  memcpy (params + out_w + 6 * SMALL_DIM, bias, sizeof bias);
  g_assert_cmpstr (rf_tvae_get_tensor_name (tvae, rf_tvae_get_n_tensors (tvae) - 3), ==, "decoder.seq.4.weight");
  g_assert_true (rf_tvae_get_tensor (tvae, rf_tvae_get_n_tensors (tvae) - 3, NULL, NULL, NULL) == params + out_w);

  /* Temperature 1: the softmax of the bias; 0.5: of twice the bias, i.e.
   * probabilities squared and renormalised; 0: the argmax. */
  static const struct { double temperature; double p[SMALL_DIM]; } cases[] = {
    { 1.0, { 0, 0.2, 0.3, 0.5, 0, 0.9, 0.1 } },
    { 0.5, { 0, 0.04 / 0.38, 0.09 / 0.38, 0.25 / 0.38, 0, 0.81 / 0.82, 0.01 / 0.82 } },
    { 0.0, { 0, 0, 0, 1, 0, 1, 0 } },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      memset (counts, 0, sizeof counts);
      rf_rng_init (&rng, 21);
      rf_tvae_generate (tvae, &rng, n, cases[k].temperature, out);
      for (gsize r = 0; r < n; r++)
        {
          /* The fast tanh stays within a few float roundings of tanhf. */
          g_assert_cmpfloat_with_epsilon (out[r * SMALL_DIM + 0], tanhf (0.5f), 3e-7);
          g_assert_cmpfloat_with_epsilon (out[r * SMALL_DIM + 4], tanhf (-0.25f), 3e-7);
          for (guint c = 1; c < SMALL_DIM; c++)
            counts[c] += out[r * SMALL_DIM + c] == 1.0f;
        }
      g_assert_cmpuint (counts[1] + counts[2] + counts[3], ==, n);
      g_assert_cmpuint (counts[5] + counts[6], ==, n);
      /* Binomial standard deviations are at most 0.0035 here: allow 4. */
      for (guint c = 1; c < SMALL_DIM; c++)
        if (c != 4)
          g_assert_cmpfloat (fabs (counts[c] / (double) n - cases[k].p[c]), <, 0.014);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/tvae/linear-matches-naive", test_linear_matches_naive);
  g_test_add_func ("/rf/tvae/linear-finite-differences", test_linear_finite_differences);
  g_test_add_func ("/rf/tvae/relu-finite-differences", test_relu_finite_differences);
  g_test_add_func ("/rf/tvae/adam-step", test_adam_step);
  g_test_add_func ("/rf/tvae/loss-gradient", test_loss_gradient);
  g_test_add_func ("/rf/tvae/tensor-layout", test_tensor_layout);
  g_test_add_func ("/rf/tvae/new-rejects", test_new_rejects);
  g_test_add_func ("/rf/tvae/train-learns-deterministic", test_train_learns_and_is_deterministic);
  g_test_add_func ("/rf/tvae/frozen-encoder", test_frozen_encoder);
  g_test_add_func ("/rf/tvae/early-stopping", test_early_stopping);
  g_test_add_func ("/rf/tvae/train-errors", test_train_errors);
  g_test_add_func ("/rf/tvae/generate", test_generate);
  g_test_add_func ("/rf/tvae/generate-draws-categories", test_generate_draws_categories);
  return g_test_run ();
}

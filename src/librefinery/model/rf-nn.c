#define G_LOG_DOMAIN "rf-nn"

#include "config.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "rf-nn.h"

void
rf_nn_linear_forward (float       *y,
                      const float *x,
                      const float *w,
                      const float *b,
                      int          n,
                      int          in,
                      int          out)
{
  if (n == 0)
    return;
  if (b != NULL)
    {
      /* Start from the bias and let sgemm add the product (beta = 1). */
      for (int r = 0; r < n; r++)
        memcpy (y + (gsize) r * out, b, sizeof (float) * out);
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n, out, in,
               1.0f, x, in, w, in, b != NULL ? 1.0f : 0.0f, y, out);
}

void
rf_nn_linear_backward (float       *dx,
                       float       *dw,
                       float       *db,
                       const float *dy,
                       const float *x,
                       const float *w,
                       int          n,
                       int          in,
                       int          out,
                       gboolean     accumulate_dx)
{
  if (n == 0)
    return;
  if (dw != NULL)
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, out, in, n,
                 1.0f, dy, out, x, in, 1.0f, dw, in);
  if (db != NULL)
    for (int r = 0; r < n; r++)
      {
        const float *row = dy + (gsize) r * out;
        for (int o = 0; o < out; o++)
          db[o] += row[o];
      }
  if (dx != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, in, out,
                 1.0f, dy, out, w, in, accumulate_dx ? 1.0f : 0.0f, dx, in);
}

/* Built twice, with AVX2 (eight floats at a time) and for plain x86-64
 * (four), picked when the program loads: the same additions and
 * comparisons either way. Sampling runs it on every hidden layer. */
#if (defined(__x86_64__) || defined(__i386__)) && !defined(__clang__)
/* Not with clang (the fuzzing build): clang 14 leaves an exported
 * function's clones unresolved at link time. */
__attribute__ ((target_clones ("avx2", "default")))
#endif
void
rf_nn_bias_relu_forward (float       *y,
                         const float *b,
                         int          n,
                         int          out)
{
  for (int r = 0; r < n; r++)
    {
      float *row = y + (gsize) r * out;
      for (int o = 0; o < out; o++)
        {
          float v = row[o] + b[o];
          row[o] = v > 0.0f ? v : 0.0f;
        }
    }
}

void
rf_nn_relu_forward (float *x,
                    gsize  n)
{
  for (gsize i = 0; i < n; i++)
    x[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void
rf_nn_relu_backward (float       *d,
                     const float *y,
                     gsize        n)
{
  for (gsize i = 0; i < n; i++)
    d[i] = y[i] > 0.0f ? d[i] : 0.0f;
}

void
rf_nn_adam_step (float       *p,
                 const float *g,
                 float       *m,
                 float       *v,
                 gsize        n,
                 double       learning_rate,
                 double       beta1,
                 double       beta2,
                 double       epsilon,
                 double       weight_decay,
                 guint64      step)
{
  /* PyTorch: denom = sqrt(v) / sqrt(1 - beta2^t) + eps,
   *          p -= lr / (1 - beta1^t) * m / denom. */
  const float b1 = (float) beta1, b2 = (float) beta2;
  const float wd = (float) weight_decay, eps = (float) epsilon;
  const float step_size = (float) (learning_rate / (1.0 - pow (beta1, (double) step)));
  const float inv_sqrt_bc2 = (float) (1.0 / sqrt (1.0 - pow (beta2, (double) step)));

  for (gsize i = 0; i < n; i++)
    {
      float grad = g[i] + wd * p[i];
      m[i] = b1 * m[i] + (1.0f - b1) * grad;
      v[i] = b2 * v[i] + (1.0f - b2) * grad * grad;
      p[i] -= step_size * m[i] / (sqrtf (v[i]) * inv_sqrt_bc2 + eps);
    }
}

void
rf_nn_matmul_naive (gboolean     trans_a,
                    gboolean     trans_b,
                    int          m,
                    int          n,
                    int          k,
                    float        alpha,
                    const float *a,
                    int          lda,
                    const float *b,
                    int          ldb,
                    float        beta,
                    float       *c,
                    int          ldc)
{
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++)
      {
        double sum = 0.0;
        for (int p = 0; p < k; p++)
          {
            float av = trans_a ? a[(gsize) p * lda + i] : a[(gsize) i * lda + p];
            float bv = trans_b ? b[(gsize) j * ldb + p] : b[(gsize) p * ldb + j];
            sum += (double) av * bv;
          }
        float *cv = c + (gsize) i * ldc + j;
        *cv = (float) (alpha * sum + (beta != 0.0f ? beta * *cv : 0.0));
      }
}

/* OpenBLAS's own threads only slow these small products down (measured:
 * 500 x 128 x 128 runs as fast on one thread as on two, and the callers run
 * their work on both cores themselves). */
void
rf_blas_use_one_thread (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      openblas_set_num_threads (1);
      g_once_init_leave (&done, 1);
    }
}

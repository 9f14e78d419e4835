/* rf-nn.h: the layers of the model, as plain functions over flat float
 * arrays (in the manner of llm.c): no graph, no tensors, no allocation.
 *
 * Matrices are row major. A linear layer holds W [out x in] and b [out], as
 * PyTorch's Linear does, and maps a batch X [n x in] to Y = X W^T + b. The
 * products go through OpenBLAS's cblas_sgemm; rf_nn_matmul_naive is the
 * plain triple loop the tests check them against.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* y [n x out] = x [n x in] W^T + b (b may be NULL). */
void rf_nn_linear_forward   (float       *y,
                             const float *x,
                             const float *w,
                             const float *b,
                             int          n,
                             int          in,
                             int          out);

/* Backward pass of rf_nn_linear_forward for the upstream gradient
 * dy [n x out]: dw += dy^T x and db += the column sums of dy (accumulated,
 * so gradients of several shards or uses add up); dx [n x in] = dy W, or
 * dx += dy W when accumulate_dx. dx, dw and db may each be NULL when not
 * wanted (a frozen layer, the input layer). */
void rf_nn_linear_backward  (float       *dx,
                             float       *dw,
                             float       *db,
                             const float *dy,
                             const float *x,
                             const float *w,
                             int          n,
                             int          in,
                             int          out,
                             gboolean     accumulate_dx);

/* In place: y [n x out] = max (y + b, 0): a hidden layer's bias and ReLU
 * in one pass over y, after rf_nn_linear_forward without bias. */
void rf_nn_bias_relu_forward (float       *y,
                              const float *b,
                              int          n,
                              int          out);

/* In place: x = max (x, 0). */
void rf_nn_relu_forward     (float       *x,
                             gsize        n);
/* In place: d = d where the ReLU's output y was positive, else 0. */
void rf_nn_relu_backward    (float       *d,
                             const float *y,
                             gsize        n);

/* One Adam step on n parameters with PyTorch's semantics (weight decay as
 * L2: the gradient gets weight_decay * p first). step is 1-based. */
void rf_nn_adam_step        (float       *p,
                             const float *g,
                             float       *m,
                             float       *v,
                             gsize        n,
                             double       learning_rate,
                             double       beta1,
                             double       beta2,
                             double       epsilon,
                             double       weight_decay,
                             guint64      step);

/* C [m x n] = alpha op(A) op(B) + beta C with op(X) = X or X^T, row major,
 * by the textbook triple loop in double: the reference for tests. */
void rf_nn_matmul_naive     (gboolean     trans_a,
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
                             int          ldc);

/* Pins OpenBLAS to the calling threads (once per process): the model and
 * the metrics split their work over the cores themselves. */
void rf_blas_use_one_thread (void);

G_END_DECLS

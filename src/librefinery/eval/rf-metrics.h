/* rf-metrics.h: how close synthetic data is to real data, column by column
 * and pair by pair.
 *
 * Numeric columns (double, int64, bool as 0/1, timestamps in seconds) are
 * compared on their present values; missing values are left out and their
 * share reported. The estimators, so that anyone can recompute them:
 *
 *   KS        two-sample Kolmogorov–Smirnov statistic: the largest gap
 *             between the two empirical CDFs (scipy.stats.ks_2samp's
 *             statistic).
 *   W1        Wasserstein-1 distance between the empirical distributions,
 *             the area between the two CDFs (scipy.stats.wasserstein_distance),
 *             divided by the real column's range (max − min); a constant
 *             real column divides by max(|value|, 1) instead.
 *   KL        KL(P_real || Q_synthetic) in nats over RF_METRICS_KL_BINS
 *             equal-width bins spanning the union of both samples' ranges
 *             (one bin when both are the same constant; the last bin closed).
 *             Each bin's probability gets a pseudo-count of 0.5 (Jeffreys /
 *             Krichevsky–Trofimov smoothing): p_i = (c_i + 0.5) / (n + 0.5 B),
 *             so an empty synthetic bin costs a finite amount.
 *   mean/std  sample mean and standard deviation (n − 1); the errors are the
 *             absolute differences, in the column's unit.
 *   Pearson   correlation over the rows where both columns are present;
 *             undefined (NAN) when either is constant there.
 *
 * String columns are compared as categories: KS becomes the total variation
 * distance ½ Σ |p − q| between the category frequencies and KL uses the same
 * 0.5 pseudo-count over the categories of both; W1, means and stds are NAN.
 *
 * The quality score follows SDMetrics' QualityReport: column shapes = mean
 * over columns of 1 − KS; pair trends = mean over numeric pairs with both
 * correlations defined of 1 − |r_real − r_synthetic| / 2; overall = the mean
 * of the two (column shapes alone when there is no pair).
 */
#pragma once

#include <gio/gio.h>

#include "rf-table.h"

G_BEGIN_DECLS

#define RF_METRICS_KL_BINS 50

typedef struct
{
  char    *name;
  gboolean categorical;                /* a string column */
  gsize    n_real, n_synthetic;        /* present values */
  double   missing_real, missing_synthetic;   /* shares, 0..1 */
  double   ks;
  double   kl_divergence;
  double   wasserstein;                /* scaled, see above */
  double   mean_real, mean_synthetic, mean_error;
  double   std_real, std_synthetic, std_error;
} RfColumnMetrics;

typedef struct
{
  guint    n_columns;                  /* the numeric columns compared */
  char   **names;                      /* NULL-terminated */
  double  *real;                       /* n × n, row-major, 1 on the diagonal, NAN where undefined */
  double  *synthetic;
  double   mean_abs_error;             /* over pairs i < j with both defined; NAN without one */
  double   frobenius;                  /* sqrt of Σ over i ≠ j, both defined, of the squared difference */
  guint    n_pairs;                    /* pairs i < j with both defined */
} RfCorrelationComparison;

typedef struct
{
  double column_shapes;
  double pair_trends;                  /* NAN without a pair */
  double overall;
} RfQualityScore;

typedef struct
{
  guint                   n_columns;
  RfColumnMetrics        *columns;
  RfCorrelationComparison correlation;
  RfQualityScore          quality;
  /* Means over the columns (numeric ones for W1), for summaries. */
  double                  mean_ks;
  double                  mean_kl;
  double                  mean_wasserstein;
} RfFidelity;

/* Compares every column of real that synthetic also has (by name) but those
 * in exclude (NULL-terminated, may be NULL). Columns of different kinds
 * (number vs text) are refused. n_threads: 0 = one per core; the result
 * does not depend on it. Errors: RF_ERROR_EMPTY when either table has no
 * rows or they share no column, RF_ERROR_INVALID for a column that is a
 * number in one and text in the other, G_IO_ERROR_CANCELLED. */
RfFidelity *rf_fidelity_compute        (const RfTable      *real,
                                        const RfTable      *synthetic,
                                        const char * const *exclude,
                                        guint               n_threads,
                                        GCancellable       *cancellable,
                                        GError            **error);
void        rf_fidelity_free           (RfFidelity         *fidelity);
/* The column named name, or NULL. */
const RfColumnMetrics *rf_fidelity_find_column (const RfFidelity *fidelity,
                                        const char         *name);

/* The building blocks, on arrays of finite values (a and b need not be
 * sorted; neither is modified). NAN when either is empty. */
double      rf_metric_ks               (const double       *a,
                                        gsize               na,
                                        const double       *b,
                                        gsize               nb);
double      rf_metric_wasserstein1     (const double       *a,
                                        gsize               na,
                                        const double       *b,
                                        gsize               nb);
double      rf_metric_kl_binned        (const double       *p_values,
                                        gsize               np,
                                        const double       *q_values,
                                        gsize               nq,
                                        guint               n_bins);
/* NAN when n < 2 or either is constant. */
double      rf_metric_pearson          (const double       *x,
                                        const double       *y,
                                        gsize               n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfFidelity, rf_fidelity_free)

G_END_DECLS

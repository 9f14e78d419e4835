/* rf-column-stats.h: what a column holds, in numbers.
 *
 * One sort of the present values (a radix sort: linear in the rows) gives
 * min, max, the quantiles and the distinct count; one more pass the mean
 * and the standard deviation. Numeric columns (double, int64, bool,
 * timestamp) are described by their values as doubles (timestamps in
 * seconds since the epoch); string columns by count, missing and distinct
 * only. NaN doubles count as present values but are left out of min, max,
 * mean, std and quantiles (they sort last); ±inf take part.
 */
#pragma once

#include <glib.h>

#include "rf-column.h"

G_BEGIN_DECLS

/* The quantiles reported, in order: p1 p5 p25 p50 p75 p95 p99. */
#define RF_STATS_N_QUANTILES 7
extern const double rf_stats_quantile_levels[RF_STATS_N_QUANTILES];

typedef struct
{
  gsize count;          /* present values */
  gsize missing;
  double missing_pct;   /* 0..100; 0 for an empty column */
  gboolean numeric;     /* the fields below are meaningful */
  gsize finite_count;   /* present values that are not NaN */
  double min, max;      /* NAN when there is no value */
  double mean;
  double std;           /* sample standard deviation (n − 1); NAN below 2 values */
  double quantiles[RF_STATS_N_QUANTILES];  /* numpy's default "linear" */
  gsize distinct;       /* distinct present values (exact; NaNs count once) */
} RfColumnStats;

void    rf_column_stats_compute     (const RfColumn *column,
                                     RfColumnStats  *stats);
/* The same, keeping the sorted non-NaN values (for more quantiles); free
 * with g_free. *n_sorted receives their number. */
void    rf_column_stats_compute_sorted (const RfColumn *column,
                                        RfColumnStats  *stats,
                                        double        **sorted,
                                        gsize          *n_sorted);

/* Quantiles without sorting (selection, linear time): levels (ascending,
 * 0..1, n_levels of them) of the column's finite values, numpy's "linear"
 * as rf_quantile_of_sorted. mean and std (sample) too, when not NULL.
 * Returns the number of finite values (0: everything NAN). */
gsize   rf_column_quantiles         (const RfColumn *column,
                                     const double   *levels,
                                     guint           n_levels,
                                     double         *quantiles,
                                     double         *mean,
                                     double         *std);

/* Quantile p (0..1) of n sorted values with linear interpolation between
 * the closest ranks (numpy's default): position p × (n − 1). NAN for n 0. */
double  rf_quantile_of_sorted       (const double   *sorted,
                                     gsize           n,
                                     double          p);
/* Sorts n doubles ascending (NaN last) in linear time; a stable LSD radix
 * sort on their bits. */
void    rf_sort_doubles             (double         *values,
                                     gsize           n);

G_END_DECLS

/* rf-privacy.h: distance to closest record (DCR) — does a model copy the
 * rows it learned from?
 *
 * The numeric columns that reference, holdout and synthetic share (minus
 * exclude) are scaled to [0, 1] by the reference's min and max (a constant
 * column scales to 0); a missing value counts as 0 after scaling. A row's
 * DCR is its Euclidean distance in that space to the closest reference row,
 * found exactly (a blocked matrix product finds the candidate, the distance
 * is then recomputed term by term, so exact copies come out as exactly 0).
 *
 * reference holds real rows the model learned from; holdout, real rows of
 * the same kind it did not (or fewer of): their DCRs are the baseline a
 * model that generalises should match. Synthetic rows much closer than
 * holdout rows are memorised; rows at distance 0 are copies.
 */
#pragma once

#include <gio/gio.h>

#include "rf-table.h"

G_BEGIN_DECLS

typedef struct
{
  guint  n_columns;                  /* the columns the distances use */
  gsize  n_synthetic;                /* synthetic rows measured (a sample) */
  gsize  n_holdout;
  double synthetic_median, synthetic_p5;
  double holdout_median, holdout_p5;
  gsize  n_exact_copies;             /* synthetic rows at distance 0 */
  double exact_copy_fraction;
  double holdout_exact_fraction;     /* holdout rows at 0: duplicates in the real data */
  double closer_than_holdout_p5;     /* share of synthetic rows below holdout_p5 */
} RfPrivacy;

/* max_rows: synthetic rows measured at most (a seeded sample without
 * replacement when there are more; 0 = all). Errors: RF_ERROR_EMPTY when a
 * table has no rows or there is no shared numeric column,
 * G_IO_ERROR_CANCELLED. */
gboolean rf_privacy_compute (const RfTable      *reference,
                             const RfTable      *holdout,
                             const RfTable      *synthetic,
                             const char * const *exclude,
                             gsize               max_rows,
                             guint64             seed,
                             GCancellable       *cancellable,
                             RfPrivacy          *out,
                             GError            **error);

/* Each query row's distance to its closest reference row, as above, for
 * tests and for callers with their own matrices: n_ref × dim and
 * n_query × dim, row-major, already scaled. */
void     rf_privacy_nearest (const double       *reference,
                             gsize               n_ref,
                             const double       *queries,
                             gsize               n_query,
                             guint               dim,
                             double             *distances);

G_END_DECLS

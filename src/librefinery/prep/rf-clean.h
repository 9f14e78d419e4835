/* rf-clean.h: applying a cleaning plan (rf-cleaning-plan.h).
 *
 * The order is fixed, so a plan always means the same thing:
 *   1. sort by the timestamp column (stable; rows without a time last);
 *   2. drop exact duplicate rows (the first is kept);
 *   3. outlier bounds per column from the rows left (IQR: p25 − k·IQR,
 *      p75 + k·IQR; sigma: mean ± s·std, sample std); rows outside them
 *      dropped ("drop"), counted ("flag") or clipped to them ("clip_*");
 *      rows missing a value whose strategy is "drop_rows" dropped;
 *   4. missing values filled column by column: ffill and bfill carry the
 *      nearest value; interpolate draws a straight line between the
 *      neighbours, along the timestamp when the plan has one (else along
 *      the rows); mean and median of the column's present values after
 *      step 3; constant. Values a strategy cannot reach (a leading gap for
 *      ffill, either end for interpolate) stay missing and are counted.
 * Integer and timestamp columns filled by interpolate, mean or median are
 * rounded half away from zero and stay integers. Same plan and data → the
 * same table, whatever the thread count.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-cleaning-plan.h"
#include "rf-table.h"

G_BEGIN_DECLS

typedef struct
{
  char *column;
  gsize filled;          /* missing values filled */
  gsize left_missing;    /* missing values left (unreachable, or strategy none) */
  gsize clipped;
  gsize flagged;
  gsize rows_dropped;    /* rows this column's strategies dropped */
  double lower_bound;    /* the outlier bounds used; NAN when none */
  double upper_bound;
} RfColumnCleanSummary;

typedef struct
{
  gsize rows_in;
  gsize rows_out;
  gboolean sorted;             /* rows were reordered by time */
  gsize duplicates_dropped;
  gsize rows_dropped_missing;
  gsize rows_dropped_outliers;
  GArray *columns;             /* RfColumnCleanSummary, in plan order */
} RfCleanSummary;

/* Errors: the plan does not fit the table (rf_cleaning_plan_check),
 * cancellation. The input table is not modified. */
RfTable        *rf_clean_apply            (RfTable               *table,
                                           const RfCleaningPlan  *plan,
                                           RfCleanSummary       **summary_out,
                                           GCancellable          *cancellable,
                                           GError               **error);
void            rf_clean_summary_free     (RfCleanSummary        *summary);
JsonNode       *rf_clean_summary_to_json  (const RfCleanSummary  *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfCleanSummary, rf_clean_summary_free)

G_END_DECLS

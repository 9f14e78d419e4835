/* rf-cleaning-plan.h: how to clean a machine's data, as a file.
 *
 * A plan names a strategy per column of the raw data (names as in the
 * uploaded file) plus table-wide steps. rf-clean.h applies it; the same plan
 * on the same data gives the same bytes, so the CLI and the app can record a
 * plan once and replay it. cleaning_plan.json (format version 1):
 *
 *   {
 *     "format": "refinery-cleaning-plan",
 *     "format_version": 1,
 *     "drop_duplicates": true,         exact duplicate rows, first kept
 *     "sort_by_time": true,            stable sort by the timestamp column
 *     "timestamp_column": "time",      null: no time axis
 *     "columns": {
 *       "temp": {
 *         "missing": "interpolate",    none | drop_rows | ffill | bfill |
 *                                      interpolate | mean | median | constant
 *         "constant": 0,               the value for "constant" (number or text)
 *         "outliers": "clip_iqr",      none | flag | clip_iqr | clip_sigma | drop
 *         "iqr_k": 1.5,                bounds [p25 − k·IQR, p75 + k·IQR]
 *         "sigma": 3                   bounds mean ± sigma·std
 *       }
 *     }
 *   }
 *
 * Columns the plan does not name are left as they are. Unknown keys are
 * ignored when loading.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-table.h"
#include "rf-validate.h"

G_BEGIN_DECLS

#define RF_CLEANING_PLAN_FORMAT          "refinery-cleaning-plan"
#define RF_CLEANING_PLAN_FORMAT_VERSION  1
#define RF_CLEANING_PLAN_FILE            "cleaning_plan.json"

typedef enum
{
  RF_MISSING_NONE,
  RF_MISSING_DROP_ROWS,
  RF_MISSING_FFILL,
  RF_MISSING_BFILL,
  RF_MISSING_INTERPOLATE,   /* linear; along the time axis when there is one */
  RF_MISSING_MEAN,
  RF_MISSING_MEDIAN,
  RF_MISSING_CONSTANT,
} RfMissingStrategy;

typedef enum
{
  RF_OUTLIER_NONE,
  RF_OUTLIER_FLAG,          /* counted in the summary, values unchanged */
  RF_OUTLIER_CLIP_IQR,
  RF_OUTLIER_CLIP_SIGMA,
  RF_OUTLIER_DROP,          /* drop rows outside the IQR bounds */
} RfOutlierStrategy;

typedef struct
{
  char *column;
  RfMissingStrategy missing;
  gboolean constant_is_text;
  double constant_number;
  char *constant_text;
  RfOutlierStrategy outliers;
  double iqr_k;             /* 1.5 */
  double sigma;             /* 3 */
} RfColumnCleaning;

typedef struct
{
  gboolean drop_duplicates;
  gboolean sort_by_time;
  char *timestamp_column;   /* NULL: none */
  GPtrArray *columns;       /* RfColumnCleaning *, in order */
} RfCleaningPlan;

const char       *rf_missing_strategy_to_string   (RfMissingStrategy   strategy);
gboolean          rf_missing_strategy_from_string (const char         *text,
                                                   RfMissingStrategy  *strategy);
const char       *rf_outlier_strategy_to_string   (RfOutlierStrategy   strategy);
gboolean          rf_outlier_strategy_from_string (const char         *text,
                                                   RfOutlierStrategy  *strategy);

/* An empty plan: nothing to do. */
RfCleaningPlan   *rf_cleaning_plan_new            (void);
void              rf_cleaning_plan_free           (RfCleaningPlan     *plan);
/* The plan a validation report suggests (its suggested_cleaning per
 * column; duplicates dropped; sorted by time when there is a timestamp). */
RfCleaningPlan   *rf_cleaning_plan_suggest        (const RfValidationReport *report);
/* The entry of a column, made (everything "none") when absent. */
RfColumnCleaning *rf_cleaning_plan_get_column     (RfCleaningPlan     *plan,
                                                   const char         *column);
const RfColumnCleaning *rf_cleaning_plan_find_column (const RfCleaningPlan *plan,
                                                      const char           *column);
/* "COLUMN=STRATEGY" as the CLI's --set takes it: a missing-value strategy,
 * an outlier strategy, "constant:VALUE", or "none" (both none). */
gboolean          rf_cleaning_plan_set            (RfCleaningPlan     *plan,
                                                   const char         *assignment,
                                                   GError            **error);
/* Checks that every column exists in table and takes its strategies (no
 * mean of text, a constant of the column's type, ...): RF_ERROR_INVALID
 * naming column and strategy. */
gboolean          rf_cleaning_plan_check          (const RfCleaningPlan *plan,
                                                   RfTable            *table,
                                                   GError            **error);

JsonNode         *rf_cleaning_plan_to_json        (const RfCleaningPlan *plan);
RfCleaningPlan   *rf_cleaning_plan_from_json      (JsonNode           *node,
                                                   const char         *display_name,
                                                   GError            **error);
RfCleaningPlan   *rf_cleaning_plan_load_file      (const char         *path,
                                                   GError            **error);
gboolean          rf_cleaning_plan_save_file      (const RfCleaningPlan *plan,
                                                   const char         *path,
                                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfCleaningPlan, rf_cleaning_plan_free)

G_END_DECLS

/* rf-validate.h: step 2 of the workflow, is this data usable?
 *
 * rf_validate_table() checks a table and says what it found, as the
 * original plan's ValidationReport (every field of its schema) plus
 * per-column statistics and a suggested cleaning per column:
 *   - missing values above a threshold (default 30 %): an error;
 *   - exact duplicate rows (rf-duplicates.h): a warning;
 *   - outliers by IQR (outside [p25 − k·IQR, p75 + k·IQR], k 1.5) or
 *     z-score (|x − mean| > t·std, t 3): warnings with counts;
 *   - type problems: text columns whose values are mostly numbers, columns
 *     with no values at all, constant columns;
 *   - the timestamp (the column named in the options, else the first
 *     timestamp-typed one): sorted, duplicated instants, gaps longer than
 *     1.5 × the profile's sampling interval (count and largest);
 *   - the column count against the profile's sensors;
 *   - fewer than 100 rows (configurable): rejected.
 * validation_passed is FALSE when there is any error. Written to
 * processed/<machine>/validation_report.json by the CLI.
 *
 * Columns are checked on one thread per core; the report does not depend
 * on the thread count.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-column-stats.h"
#include "rf-profile.h"
#include "rf-table.h"

G_BEGIN_DECLS

#define RF_VALIDATION_REPORT_FILE "validation_report.json"

typedef enum
{
  RF_OUTLIERS_IQR,
  RF_OUTLIERS_ZSCORE,
} RfOutlierMethod;

typedef struct
{
  double missing_threshold_pct;   /* 30 */
  RfOutlierMethod outlier_method; /* IQR */
  double iqr_k;                   /* 1.5 */
  double z_threshold;             /* 3 */
  gsize min_rows;                 /* 100 */
  RfProfile *profile;             /* NULL: no profile checks */
  const char *timestamp_column;   /* NULL: the first timestamp-typed column */
  const char *machine_id;         /* NULL: the profile's, else null in the report */
  const char *file_name;          /* for the report */
} RfValidationOptions;

typedef struct
{
  char *name;
  RfColumnType type;
  RfColumnStats stats;
  gsize outliers;
  double lower_bound;             /* outlier bounds; NAN when not checked */
  double upper_bound;
  char *suggest_missing;          /* a cleaning-plan strategy (rf-cleaning-plan.h) */
  char *suggest_outliers;
  char *reason;                   /* why, for people */
} RfColumnValidation;

typedef struct
{
  char *machine_id;
  char *file_name;
  gsize total_rows;
  guint total_columns;
  gsize duplicate_rows;
  char *timestamp_column;         /* NULL: none */
  gboolean timestamp_sorted;      /* TRUE without a timestamp */
  gsize timestamp_duplicates;     /* rows whose instant equals the previous one (sorted) */
  gsize timestamp_gaps;           /* intervals > 1.5 × the profile's */
  double largest_gap_s;           /* NAN without a timestamp or with < 2 instants */
  double median_interval_s;       /* NAN without a timestamp or with < 2 instants */
  gboolean validation_passed;
  GPtrArray *errors;              /* char * */
  GPtrArray *warnings;            /* char * */
  GPtrArray *columns;             /* RfColumnValidation *, in table order */
  RfValidationOptions options;    /* as used (pointers not kept) */
} RfValidationReport;

void                rf_validation_options_init     (RfValidationOptions      *options);
const char         *rf_outlier_method_to_string    (RfOutlierMethod           method);
gboolean            rf_outlier_method_from_string  (const char               *text,
                                                    RfOutlierMethod          *method);

/* Errors only for cancellation; everything about the data is in the
 * report. */
RfValidationReport *rf_validate_table              (RfTable                  *table,
                                                    const RfValidationOptions *options,
                                                    GCancellable             *cancellable,
                                                    GError                  **error);
void                rf_validation_report_free      (RfValidationReport       *report);
const RfColumnValidation *rf_validation_report_find_column (const RfValidationReport *report,
                                                        const char               *name);
/* The original plan's schema first (machine_id, file_name, total_rows,
 * total_columns, missing_values, duplicate_rows, outliers, timestamp_sorted,
 * data_types, validation_passed, errors, warnings), then "timestamp",
 * "columns" (statistics and suggested_cleaning per column) and "options". */
JsonNode           *rf_validation_report_to_json   (const RfValidationReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfValidationReport, rf_validation_report_free)

G_END_DECLS

/* rf-prepare.h: step 4 of the workflow in a project, "clean + transform".
 *
 * processed/<machine>/cleaned_data.parquet is one pure function of
 *   - the machine's newest raw upload (rf_ingest_read_latest),
 *   - processed/<machine>/cleaning_plan.json (rf-cleaning-plan.h; absent:
 *     no cleaning),
 *   - processed/<machine>/mapping.json (rf-mapping.h; absent: columns named
 *     like the profile's sensors are taken as theirs),
 *   - the "options" of processed/<machine>/transform.json (rf-transform.h;
 *     absent: the defaults),
 * so the CLI's `clean` and `transform`, and the app, all produce it through
 * rf_prepare_machine() and replaying gives the same bytes.
 *
 * transform.json (format version 1), rewritten by every run:
 *
 *   {
 *     "format": "refinery-transform",
 *     "format_version": 1,
 *     "options": {"keep_unmapped": true, "convert_units": true,
 *                 "sort_by_time": true, "rul": "fill", "normalise": "none"},
 *     "source": "export.csv",            the raw upload it was made from
 *     "cleaning": {...},                 rf_clean_summary_to_json, or null
 *     "record": {...}                    rf_transform_record_to_json: what was
 *                                        renamed, converted, the RUL, the
 *                                        normalisation to undo
 *   }
 */
#pragma once

#include <gio/gio.h>

#include "rf-clean.h"
#include "rf-progress.h"
#include "rf-project.h"
#include "rf-transform.h"

G_BEGIN_DECLS

#define RF_CLEANED_DATA_FILE            "cleaned_data.parquet"
#define RF_TRANSFORM_FILE               "transform.json"
#define RF_TRANSFORM_FORMAT             "refinery-transform"
#define RF_TRANSFORM_FORMAT_VERSION     1

typedef struct
{
  char *source;                 /* the raw upload's stored name */
  char *output_path;            /* cleaned_data.parquet, absolute */
  gsize rows_in;
  gsize rows_out;
  guint columns_out;
  gboolean used_plan;           /* cleaning_plan.json was applied */
  gboolean used_mapping;        /* mapping.json was applied */
  RfCleanSummary *cleaning;     /* NULL without a plan */
  RfTransformRecord *transform;
} RfPrepareResult;

/* The transform options recorded for the machine (defaults when there is no
 * transform.json). Errors: a damaged transform.json. */
gboolean         rf_prepare_load_options   (RfProject            *project,
                                            const char           *machine_id,
                                            RfTransformOptions   *options,
                                            GError              **error);
/* Records options in transform.json (keeping nothing else: the next run
 * writes the rest). */
gboolean         rf_prepare_save_options   (RfProject                *project,
                                            const char               *machine_id,
                                            const RfTransformOptions *options,
                                            GError                  **error);

/* Runs step 4 and writes cleaned_data.parquet and transform.json. Errors:
 * unknown machine, no upload, a damaged plan, mapping or transform.json, a
 * plan or mapping made for other columns (saying what to run again), unit
 * conversions that cannot be made, cancellation. On error nothing is
 * written. */
RfPrepareResult *rf_prepare_machine        (RfProject            *project,
                                            const char           *machine_id,
                                            RfProgress           *progress,
                                            GCancellable         *cancellable,
                                            GError              **error);
void             rf_prepare_result_free    (RfPrepareResult      *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfPrepareResult, rf_prepare_result_free)

G_END_DECLS

/* rf-comparison.h: real vs synthetic data, and the recommendation (workflow
 * step 8).
 *
 * A comparison takes the machine's real data and the synthetic rows of one
 * or two models: a baseline (key "seed": the base model, trained on seed or
 * earlier data) and a candidate (key "refined": its refinement, or any
 * other model of the machine). With one model its key is "synthetic".
 *
 * The real rows are split once, seeded, into a reference part (80 %) and a
 * holdout (20 %). Fidelity (rf-metrics.h) compares each synthetic set with
 * all real rows. Privacy (rf-privacy.h) measures each synthetic row's
 * distance to the closest reference row against the same for the holdout
 * rows. Utility (rf-utility.h), when the data has a RUL column, trains a
 * ridge regression of the RUL on each synthetic set and on the reference
 * part, and scores both on the holdout.
 *
 * The recommendation rule (RF_COMPARISON_* below), with two models:
 *   1. the candidate copies real rows (exact copies above
 *      RF_COMPARISON_MAX_COPIES of its rows) → keep the baseline;
 *   2. its overall quality score beats the baseline's by at least
 *      RF_COMPARISON_MIN_GAIN → use the candidate ("Use refined model");
 *   3. it is worse by at least RF_COMPARISON_MIN_GAIN → keep the baseline;
 *   4. otherwise the difference is noise (summation order alone moves the
 *      score by 0.01) → keep the baseline.
 * With one model: use it when its overall score is at least
 * RF_COMPARISON_GOOD_SCORE and it copies no more than RF_COMPARISON_MAX_COPIES,
 * else retrain (more epochs, more data).
 *
 * The report (rf_comparison_to_json, written to
 * reports/<machine>_comparison.json) keeps the original plan's schema field
 * for field — datasets_compared, statistical_metrics with improvement,
 * per_sensor_metrics, recommendation — and adds the rest (docs/comparison-
 * format.md).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-metrics.h"
#include "rf-privacy.h"
#include "rf-project.h"
#include "rf-table.h"
#include "rf-utility.h"

G_BEGIN_DECLS

#define RF_COMPARISON_MIN_GAIN    0.01
#define RF_COMPARISON_GOOD_SCORE  0.85
#define RF_COMPARISON_MAX_COPIES  0.01
#define RF_COMPARISON_HOLDOUT     0.20
/* Synthetic rows per model for the DCR, at most. */
#define RF_COMPARISON_DCR_ROWS    5000

typedef struct
{
  const char    *key;      /* "seed", "refined" or "synthetic" */
  const char    *model;    /* the model's file, as it should be reported */
  const RfTable *table;    /* its synthetic rows */
} RfComparisonInput;

typedef struct
{
  char       *key;
  char       *model;
  gsize       rows;
  RfFidelity *fidelity;
  RfPrivacy   privacy;
  gboolean    has_utility;
  RfUtility   utility;
} RfComparedSet;

typedef enum
{
  RF_ACTION_USE_CANDIDATE,   /* "Use refined model" */
  RF_ACTION_KEEP_BASELINE,   /* "Keep original model" */
  RF_ACTION_USE_MODEL,       /* one model, good enough */
  RF_ACTION_RETRAIN,         /* one model, not good enough */
} RfAction;

/* What rf_recommendation_load reads back from a report. */
typedef struct
{
  RfAction action;
  char    *text;     /* the report's "recommendation" */
  char    *model;    /* the model to switch to, relative to the project; NULL: none */
} RfRecommendation;

typedef struct _RfComparison RfComparison;

/* Compares real (its rows from real_source, for the report) with n_sets (1
 * or 2) synthetic sets. exclude: columns left out (NULL-terminated; may be
 * NULL), e.g. a unit id. rul: the RUL column for utility, NULL for none.
 * seed: the real data's reference/holdout split and the DCR sample.
 * Errors: RF_ERROR_EMPTY when real has fewer than 10 rows, the metrics'
 * errors, G_IO_ERROR_CANCELLED. */
RfComparison    *rf_comparison_compute   (const char              *machine_id,
                                          const RfTable           *real,
                                          const char              *real_source,
                                          const RfComparisonInput *sets,
                                          guint                    n_sets,
                                          const char * const      *exclude,
                                          const char              *rul,
                                          guint64                  seed,
                                          GCancellable            *cancellable,
                                          GError                 **error);
void             rf_comparison_free      (RfComparison            *comparison);

guint            rf_comparison_get_n_sets (RfComparison           *comparison);
const RfComparedSet *rf_comparison_get_set (RfComparison          *comparison,
                                          guint                    index);
gsize            rf_comparison_get_real_rows (RfComparison        *comparison);
RfAction         rf_comparison_get_action (RfComparison           *comparison);
/* "Use refined model - significantly better distribution matching", … */
const char      *rf_comparison_get_recommendation (RfComparison   *comparison);
/* The reasons behind it, one sentence each, NULL-terminated. */
const char * const *rf_comparison_get_reasons (RfComparison       *comparison);
/* The model the recommendation switches to (as given in the inputs), or
 * NULL when it keeps the current one. */
const char      *rf_comparison_get_recommended_model (RfComparison *comparison);

/* The report as JSON (see the header comment); timestamp: UTC ISO 8601. */
JsonNode        *rf_comparison_to_json   (RfComparison            *comparison,
                                          const char              *timestamp);

/* reports/<machine>_comparison.json of a project (the path only). */
char            *rf_comparison_report_path (RfProject             *project,
                                          const char              *machine_id);
/* Reads the recommendation of a written report. */
RfRecommendation *rf_recommendation_load (const char              *path,
                                          GError                 **error);
void             rf_recommendation_free  (RfRecommendation        *recommendation);

/* reports/all_machines_summary.csv: one row per machine of the project
 * that has a comparison report (machine, time, real rows, models, quality
 * scores, mean KL, W1 and correlation error, exact copies, utility R²,
 * recommendation), written through rf-atomic-file. Machines without a
 * report are listed with empty figures. */
gboolean         rf_comparison_write_summary (RfProject           *project,
                                          GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfComparison, rf_comparison_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfRecommendation, rf_recommendation_free)

G_END_DECLS

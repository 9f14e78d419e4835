/* rf-pdf-report.h: the comparison report as an A4 PDF (workflow step 8).
 *
 * Written for a reader, in this order:
 *   1. title and summary: the recommendation, its reasons and the key
 *      figures of each model;
 *   2. data provenance: the real data's file, SHA-256, rows and columns;
 *      the models' files, SHA-256, training data and parents;
 *   3. validation and cleaning: the validation report's findings and the
 *      cleaning plan's strategies, when the project has them;
 *   4. the column mapping, when there is one;
 *   5. metric tables per sensor, and the charts: KS per sensor, correlation
 *      heatmaps (real, synthetic, difference), a histogram per column, the
 *      loss curves;
 *   6. model lineage and training configuration.
 * Pages are numbered; charts come from rf-plot.h, text through PangoCairo.
 * The file is written through rf-atomic-file.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-comparison.h"
#include "rf-model.h"
#include "rf-table.h"

G_BEGIN_DECLS

typedef struct
{
  const char    *project_name;     /* may be NULL */
  const char    *machine_id;
  const char    *machine_name;     /* may be NULL */
  const char    *generated;        /* UTC ISO 8601 */
  RfComparison  *comparison;
  const RfTable *real;
  const char    *real_name;        /* as the report names it */
  const char    *real_sha256;      /* may be NULL */
  /* One per compared set, in the comparison's order. */
  const RfTable *synthetic[2];
  RfModel       *models[2];
  /* The project's records of earlier steps; each may be NULL. */
  JsonNode      *upload;           /* the upload's entry of upload_metadata.json */
  JsonNode      *validation;       /* validation_report.json */
  JsonNode      *mapping;          /* mapping.json */
  JsonNode      *cleaning;         /* cleaning_plan.json */
} RfReportInputs;

/* Errors: RF_ERROR_IO (naming path) and cairo's, G_IO_ERROR_CANCELLED. */
gboolean rf_pdf_report_write (const char           *path,
                              const RfReportInputs *inputs,
                              GCancellable         *cancellable,
                              GError              **error);

/* The report's charts as PNG files in dir (created): ks_per_column.png,
 * correlation_real.png, correlation_synthetic.png,
 * correlation_difference.png, loss.png and histogram_<column>.png (the
 * column name with characters other than letters, digits, '-' and '_'
 * replaced by '_'), each width × height at scale, through rf-atomic-file.
 * *n_written (may be NULL) counts the files. */
gboolean rf_report_write_charts (const char           *dir,
                                 const RfReportInputs *inputs,
                                 int                   width,
                                 int                   height,
                                 double                scale,
                                 guint                *n_written,
                                 GError              **error);

G_END_DECLS

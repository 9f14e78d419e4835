/* rf-xlsx-report.h: the comparison report as an Excel workbook.
 *
 * Sheets, in order:
 *   summary      the key figures of each compared model, and the
 *                recommendation;
 *   metrics      one row per column: KS, KL, W1, mean and std errors per
 *                model, with a native bar chart of KS per column;
 *   loss         one row per epoch: training and validation loss per
 *                model, with a native line chart;
 *   real         the real data;
 *   seed_synthetic, refined_synthetic (two models) or synthetic (one):
 *                each model's synthetic rows.
 * Charts are Excel's own, over the sheet's cells: they follow edits.
 */
#pragma once

#include "rf-pdf-report.h"

G_BEGIN_DECLS

/* A data sheet longer than Excel allows keeps its first 1,048,575 rows;
 * the summary sheet says so. Errors: rf-xlsx-writer.h's. */
gboolean rf_xlsx_report_write (const char           *path,
                               const RfReportInputs *inputs,
                               GCancellable         *cancellable,
                               GError              **error);

G_END_DECLS

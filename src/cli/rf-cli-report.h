/* rf-cli-report.h: what report and run share: a comparison and the
 * project's records of earlier steps, gathered for the PDF and the
 * workbook. */
#pragma once

#include "rf-cli-compare.h"
#include "rf-pdf-report.h"

G_BEGIN_DECLS

typedef struct
{
  RfCliComparison comparison;
  JsonNode *upload, *validation, *mapping, *cleaning;
  char *real_sha256;
  char *real_name;
  char *generated;
} RfCliReport;

/* Fills in (pointing into r) after r->comparison was computed; reads the
 * project's records (upload, validation, mapping, cleaning plan) where
 * they exist. project may be NULL. */
void     _rf_cli_report_inputs (RfCliReport    *r,
                                RfProject      *project,
                                const char     *machine_id,
                                RfReportInputs *in);
void     _rf_cli_report_clear  (RfCliReport    *r);

G_END_DECLS

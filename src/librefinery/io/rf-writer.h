/* rf-writer.h: write an RfTable in any format Refinery writes.
 *
 * The one place that knows which output formats exist, how their names and
 * file extensions map to them, and which writer does each: the CLI's
 * `sample` and `convert`, and later the app's exports, all go through it.
 * Every writer writes through rf-atomic-file.h.
 */
#pragma once

#include <gio/gio.h>

#include "rf-parquet-writer.h"
#include "rf-progress.h"
#include "rf-table.h"

G_BEGIN_DECLS

typedef enum
{
  RF_OUTPUT_CSV,
  RF_OUTPUT_TSV,
  RF_OUTPUT_JSON,       /* an array of records */
  RF_OUTPUT_JSONL,      /* JSON Lines */
  RF_OUTPUT_PARQUET,
  RF_OUTPUT_XLSX,       /* an Excel workbook of one sheet (rf-xlsx-writer.h) */
} RfOutputFormat;
#define RF_OUTPUT_N_FORMATS (RF_OUTPUT_XLSX + 1)

/* For messages: what the names below are. */
#define RF_OUTPUT_FORMATS_TEXT \
  "csv, tsv, json (an array of records), jsonl (JSON Lines), parquet or xlsx"

/* "csv", "tsv", "json", "jsonl", "parquet", "xlsx". */
const char *rf_output_format_to_string   (RfOutputFormat  format);
/* Case-insensitive name, as above. */
gboolean    rf_output_format_from_string (const char     *name,
                                          RfOutputFormat *format);
/* From the file name: .csv; .tsv .tab; .json; .jsonl .ndjson; .parquet .pq;
 * .xlsx (case-insensitive). FALSE when the extension names none. */
gboolean    rf_output_format_from_path   (const char     *path,
                                          RfOutputFormat *format);

/* Writes table to path as format. parquet may be NULL (defaults: ZSTD);
 * the other formats ignore it. */
gboolean    rf_write_file                (const RfTable               *table,
                                          const char                  *path,
                                          RfOutputFormat               format,
                                          const RfParquetWriteOptions *parquet,
                                          RfProgress                  *progress,
                                          GCancellable                *cancellable,
                                          GError                     **error);

G_END_DECLS

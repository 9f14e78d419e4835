/* rf-csv-reader.h: delimited text (CSV, TSV, ';', '|') into an RfTable.
 *
 * See rf-reader.h for the options and the report. rf_csv_read_bytes() reads
 * from memory (used by tests and the fuzzer); display_name is what error
 * messages call the input.
 */
#pragma once

#include "rf-reader.h"

G_BEGIN_DECLS

RfTable *rf_csv_read       (const char          *path,
                            const RfReadOptions *options,
                            RfReadReport        *report,
                            RfProgress          *progress,
                            GCancellable        *cancellable,
                            GError             **error);
RfTable *rf_csv_read_bytes (const guint8        *data,
                            gsize                length,
                            const char          *display_name,
                            const RfReadOptions *options,
                            RfReadReport        *report,
                            RfProgress          *progress,
                            GCancellable        *cancellable,
                            GError             **error);

G_END_DECLS

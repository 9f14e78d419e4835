/* rf-json-reader.h: JSON into an RfTable.
 *
 * Layouts (report->layout): "records" (an array of objects; nested objects
 * flattened as a.b, arrays of scalars kept as a JSON string), "columns" (an
 * object of equal-length arrays), "split" ({"columns": [...], "data": [[...]]})
 * and "lines" (JSON Lines, one object per line). See rf-reader.h for the
 * options and the report.
 */
#pragma once

#include "rf-reader.h"

G_BEGIN_DECLS

RfTable *rf_json_read       (const char          *path,
                             const RfReadOptions *options,
                             RfReadReport        *report,
                             RfProgress          *progress,
                             GCancellable        *cancellable,
                             GError             **error);
RfTable *rf_json_read_bytes (const guint8        *data,
                             gsize                length,
                             const char          *display_name,
                             const RfReadOptions *options,
                             RfReadReport        *report,
                             RfProgress          *progress,
                             GCancellable        *cancellable,
                             GError             **error);

G_END_DECLS

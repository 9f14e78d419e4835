/* rf-parquet-reader.h: Parquet files into RfTables.
 *
 * Flat schemas only: every leaf must be a direct child of the root, REQUIRED
 * or OPTIONAL. A nested or repeated column is refused with a message that
 * names it, or skipped (with a report warning) when the options ask for it;
 * it is never misread.
 *
 * Types (Parquet → RfColumn):
 *   BOOLEAN                                   → BOOL
 *   INT32, INT64, INT(8..64, signed/unsigned) → INT64 (UINT64 above
 *                                               INT64_MAX: the column becomes
 *                                               DOUBLE, with a warning)
 *   DATE, TIMESTAMP(ms, µs, ns), INT96        → TIMESTAMP (µs since the
 *                                               epoch, UTC; ns floored)
 *   TIME(ms, µs, ns)                          → INT64, µs since midnight
 *   DECIMAL (INT32, INT64, BYTE_ARRAY, FLBA)  → DOUBLE (correctly rounded)
 *   FLOAT, DOUBLE, FLOAT16                    → DOUBLE
 *   BYTE_ARRAY (STRING, ENUM, JSON or plain)  → STRING (bytes that are not
 *                                               UTF-8 are written \xHH, with
 *                                               a warning)
 *   FIXED_LEN_BYTE_ARRAY (UUID or plain)      → STRING (UUIDs in their
 *                                               8-4-4-4-12 form)
 * A file written by Refinery carries its columns' types, units and roles in
 * the key-value metadata ("refinery.schema") and reads back exactly.
 *
 * Encodings, page kinds and codecs: rf-parquet-encoding.h and
 * rf-parquet-codec.h. Page CRCs are not verified (as in Arrow and DuckDB).
 *
 * Errors name the file, and where it matters the row group, column and
 * page: bad magic, a footer that does not fit the file, Thrift that does not
 * decode, page sizes outside their column chunk, a page claiming more than
 * RF_PQ_MAX_PAGE_BYTES, a dictionary index out of range, level or value
 * counts that disagree, encrypted files. Allocation is bounded by the file:
 * the footer by the file size, each page by its column chunk, each column by
 * the row counts the footer declares (checked against the row limit first).
 *
 * Work: row groups are read one at a time (progress and cancel between
 * them); within a row group the columns are decoded on one thread per core.
 */
#pragma once

#include <gio/gio.h>

#include "rf-reader.h"

G_BEGIN_DECLS

/* No page may claim more bytes than this, compressed or not. */
#define RF_PQ_MAX_PAGE_BYTES ((gsize) 1 << 30)

typedef struct
{
  const char * const *columns; /* NULL-terminated names to read, in the
                                  table order wanted; NULL: every column */
  gboolean skip_unsupported;   /* skip nested/repeated/unreadable columns
                                  (warning) instead of refusing the file */
  gsize max_rows;              /* 0: RF_DEFAULT_MAX_ROWS */
} RfParquetReadOptions;

typedef struct _RfParquetFile RfParquetFile;

/* Opens path and decodes its footer and schema (nothing else is read).
 * The file is memory-mapped. */
RfParquetFile *rf_parquet_file_open          (const char          *path,
                                              GError             **error);
/* The same over bytes in memory (tests, the fuzzer); data must outlive the
 * RfParquetFile. display_name is what messages call it. */
RfParquetFile *rf_parquet_file_open_bytes    (const guint8        *data,
                                              gsize                length,
                                              const char          *display_name,
                                              GError             **error);
void           rf_parquet_file_free          (RfParquetFile       *file);

gint64         rf_parquet_file_get_n_rows    (const RfParquetFile *file);
guint          rf_parquet_file_get_n_row_groups (const RfParquetFile *file);
gint64         rf_parquet_file_get_row_group_rows (const RfParquetFile *file,
                                              guint                row_group);
/* The flat columns, in file order (nested ones included, by their
 * top-level name). */
guint          rf_parquet_file_get_n_columns (const RfParquetFile *file);
const char    *rf_parquet_file_get_column_name (const RfParquetFile *file,
                                              guint                index);
/* A key of the key-value metadata, or NULL. */
const char    *rf_parquet_file_get_metadata  (const RfParquetFile *file,
                                              const char          *key);
const char    *rf_parquet_file_get_created_by (const RfParquetFile *file);

/* One row group as a table with the chosen columns. */
RfTable       *rf_parquet_file_read_row_group (RfParquetFile      *file,
                                              guint                row_group,
                                              const RfParquetReadOptions *options,
                                              RfReadReport        *report,
                                              GCancellable        *cancellable,
                                              GError             **error);
/* Every row group, appended into one table; progress per row group. */
RfTable       *rf_parquet_file_read          (RfParquetFile       *file,
                                              const RfParquetReadOptions *options,
                                              RfReadReport        *report,
                                              RfProgress          *progress,
                                              GCancellable        *cancellable,
                                              GError             **error);

/* What rf_read_file() calls: the whole file, every column, the report
 * filled in (format, rows, columns and their types, warnings). */
RfTable       *rf_parquet_read               (const char          *path,
                                              const RfReadOptions *options,
                                              RfReadReport        *report,
                                              RfProgress          *progress,
                                              GCancellable        *cancellable,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfParquetFile, rf_parquet_file_free)

G_END_DECLS

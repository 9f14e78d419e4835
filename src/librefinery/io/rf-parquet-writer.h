/* rf-parquet-writer.h: an RfTable as a Parquet file.
 *
 * Layout: row groups of about 128K rows (options), one column chunk per
 * column, data pages (v1) of about 1 MiB before compression. Strings are
 * dictionary-encoded (RLE_DICTIONARY indices, PLAIN dictionary page) while
 * the dictionary stays small, PLAIN otherwise; numbers are PLAIN. Columns
 * with missing values are OPTIONAL with RLE definition levels; the others
 * REQUIRED. Every column chunk has statistics (min, max, null_count).
 *
 * Types (RfColumn → Parquet): DOUBLE → DOUBLE, INT64 → INT64,
 * BOOL → BOOLEAN, STRING → BYTE_ARRAY (STRING), TIMESTAMP → INT64
 * TIMESTAMP(MICROS, adjusted to UTC). The columns' types, units and roles go
 * into the key-value metadata as "refinery.schema" (JSON), so that reading
 * the file back with rf-parquet-reader.h gives the same table.
 *
 * Key-value metadata "refinery.schema": a JSON array with one object per
 * column, in table order, e.g.
 *
 *   [{"name":"time","type":"timestamp","unit":null,"role":"timestamp"},
 *    {"name":"bearing_temp","type":"double","unit":"°C","role":"sensor"}]
 *
 * "type" is rf_column_type_to_string(), "unit" a string or null,
 * "role" rf_column_role_to_string(). A reader that knows it restores those
 * exactly; other readers see ordinary typed columns. FileMetaData.created_by
 * is "refinery version <PACKAGE_VERSION>".
 *
 * Statistics follow the specification's orderings: doubles ignore NaN (no
 * min/max when every value is NaN), a zero minimum is written -0.0 and a
 * zero maximum +0.0; strings compare as unsigned bytes; booleans false <
 * true. A string min/max longer than 4096 bytes is left out (null_count is
 * always there).
 *
 * Column chunks are encoded and compressed on one thread per core; the file
 * goes through rf-atomic-file.h, so an error or a cancel leaves no partial
 * file and an existing file at path is untouched until the new one is whole.
 */
#pragma once

#include <gio/gio.h>

#include "rf-parquet-meta.h"
#include "rf-progress.h"
#include "rf-table.h"

G_BEGIN_DECLS

#define RF_PQ_DEFAULT_ROW_GROUP_ROWS ((gsize) 128 * 1024)

typedef struct
{
  RfPqCodec codec;          /* ZSTD by default; SNAPPY, GZIP, UNCOMPRESSED,
                               LZ4_RAW and BROTLI where supported */
  int level;                /* 0: the codec's default */
  gsize row_group_rows;     /* 0: RF_PQ_DEFAULT_ROW_GROUP_ROWS */
  gboolean dictionary;      /* dictionary-encode strings (default TRUE) */
  guint n_threads;          /* encoding threads; 0: one per core. The bytes
                               written are the same whatever it is. */
} RfParquetWriteOptions;

/* ZSTD, default level, 128K-row groups, dictionaries: what NULL means. */
void      rf_parquet_write_options_init (RfParquetWriteOptions       *options);

gboolean  rf_parquet_write              (const RfTable               *table,
                                         const char                  *path,
                                         const RfParquetWriteOptions *options,
                                         RfProgress                  *progress,
                                         GCancellable                *cancellable,
                                         GError                     **error);

/* The same into memory (tests, the fuzzer's seed corpus). */
GBytes   *rf_parquet_write_bytes        (const RfTable               *table,
                                         const RfParquetWriteOptions *options,
                                         GError                     **error);

G_END_DECLS

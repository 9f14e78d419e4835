/* rf-parquet-codec.h: Parquet page compression codecs.
 *
 * UNCOMPRESSED, SNAPPY (libsnappy's C API), GZIP (zlib; a page may hold
 * several concatenated gzip members), ZSTD (libzstd), and LZ4_RAW (liblz4
 * block format) and BROTLI (libbrotli) when they were found at build time.
 * LZO and the Hadoop-framed LZ4 are not supported.
 *
 * Decompression writes into a buffer of exactly the size the page header
 * promises and fails when the compressed bytes decode to more or fewer
 * bytes, or are corrupt: the output size is the caller's bound, so a page
 * that "decompresses to gigabytes" is caught by the reader's size checks
 * before any allocation, and a lying one cannot overrun the buffer.
 */
#pragma once

#include <glib.h>

#include "rf-parquet-meta.h"

G_BEGIN_DECLS

/* Whether this build can decompress and compress codec. */
gboolean rf_pq_codec_is_supported (RfPqCodec      codec);

/* Decompresses src into dst, which must come out exactly dst_length bytes.
 * A zero-length src is valid only when dst_length is 0 (some writers emit
 * no bytes at all for an empty page; it is never handed to the library).
 * Errors (RF_ERROR_PARSE for corrupt data, RF_ERROR_FORMAT for a codec this
 * build lacks) say what the codec reported; the caller prefixes where. */
gboolean rf_pq_decompress         (RfPqCodec      codec,
                                   const guint8  *src,
                                   gsize          src_length,
                                   guint8        *dst,
                                   gsize          dst_length,
                                   GError       **error);

/* Appends the compressed form of src to out. level 0 means the codec's
 * default (ZSTD 3, GZIP 6, BROTLI 5); other codecs ignore it. */
gboolean rf_pq_compress           (RfPqCodec      codec,
                                   int            level,
                                   const guint8  *src,
                                   gsize          src_length,
                                   GByteArray    *out,
                                   GError       **error);

/* "zstd" → ZSTD, "snappy", "gzip", "none"/"uncompressed", "lz4_raw"/"lz4",
 * "brotli" (case-insensitive). FALSE for anything else. */
gboolean rf_pq_codec_from_string  (const char    *text,
                                   RfPqCodec     *codec);

G_END_DECLS

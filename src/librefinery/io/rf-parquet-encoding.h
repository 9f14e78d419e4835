/* rf-parquet-encoding.h: the value and level encodings of Parquet pages.
 *
 * Every decoder reads only inside [data, data + length), takes the number of
 * values it must produce from the caller (which knows it from the page
 * header), allocates nothing larger than that count or than the bytes it was
 * given can justify, and fails with an RF_ERROR_PARSE saying what was wrong
 * ("RLE run ends after 12 of 100 values") when the bytes run out or lie.
 * The caller prefixes where (file, column, page).
 *
 * PLAIN fixed-width values need no decoder (they are little-endian arrays);
 * the others are here:
 *   RLE / bit-packed hybrid   levels, dictionary indices, v2 booleans
 *   BIT_PACKED (deprecated)   levels, MSB first
 *   PLAIN BOOLEAN             one bit per value, LSB first
 *   PLAIN BYTE_ARRAY          4-byte length + bytes, repeated
 *   DELTA_BINARY_PACKED       INT32 / INT64
 *   DELTA_LENGTH_BYTE_ARRAY   delta-packed lengths, then the bytes
 *   DELTA_BYTE_ARRAY          shared-prefix lengths, suffix lengths, suffixes
 *   BYTE_STREAM_SPLIT         byte k of every value, stream after stream
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bits needed to store max_value (0 for 0). */
guint     rf_pq_bit_width               (guint64         max_value);

/* Decodes n values of bit_width (0..32) from an RLE / bit-packed hybrid
 * stream (no length prefix: the caller strips the v1 level prefix or the
 * dictionary-index bit-width byte). Values past n in the last run are
 * ignored. Fails when the stream ends before n values. */
gboolean  rf_pq_rle_decode              (const guint8   *data,
                                         gsize           length,
                                         guint           bit_width,
                                         guint32        *out,
                                         gsize           n,
                                         GError        **error);

/* Appends the hybrid encoding of values (no length prefix): runs of 8 or
 * more equal values as RLE runs, the rest as bit-packed groups of 8. */
void      rf_pq_rle_encode              (const guint32  *values,
                                         gsize           n,
                                         guint           bit_width,
                                         GByteArray     *out);

/* The deprecated BIT_PACKED level encoding: n values, MSB first, no
 * header; it takes ceil(n * bit_width / 8) bytes. */
gboolean  rf_pq_bit_packed_decode       (const guint8   *data,
                                         gsize           length,
                                         guint           bit_width,
                                         guint32        *out,
                                         gsize           n,
                                         GError        **error);

/* PLAIN BOOLEAN: n bits, LSB first, into out as 0/1 bytes. */
gboolean  rf_pq_plain_bool_decode       (const guint8   *data,
                                         gsize           length,
                                         guint8         *out,
                                         gsize           n,
                                         GError        **error);

/* A run of byte-array values: value i is base[starts[i] .. starts[i] +
 * lengths[i]). base points into the page (PLAIN, DELTA_LENGTH_BYTE_ARRAY)
 * or into owned, which holds the values DELTA_BYTE_ARRAY had to rebuild. */
typedef struct
{
  const guint8 *base;
  guint32 *starts;
  guint32 *lengths;
  gsize n;
  GByteArray *owned;    /* NULL unless the decoder built the bytes */
} RfPqByteArrays;

void      rf_pq_byte_arrays_clear       (RfPqByteArrays *arrays);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RfPqByteArrays, rf_pq_byte_arrays_clear)

/* The byte-array decoders below overwrite *out without freeing what it held
 * (clear it before reusing it); on failure *out is left empty. */

/* PLAIN BYTE_ARRAY: n values. consumed (may be NULL) gets the bytes used. */
gboolean  rf_pq_plain_byte_array_decode (const guint8   *data,
                                         gsize           length,
                                         gsize           n,
                                         RfPqByteArrays *out,
                                         gsize          *consumed,
                                         GError        **error);

/* PLAIN FIXED_LEN_BYTE_ARRAY: n values of width bytes (as byte arrays, so
 * that the reader treats both kinds alike). */
gboolean  rf_pq_plain_fixed_decode      (const guint8   *data,
                                         gsize           length,
                                         gsize           width,
                                         gsize           n,
                                         RfPqByteArrays *out,
                                         GError        **error);

/* DELTA_BINARY_PACKED. The stream's header gives its value count, which must
 * be <= max_values (the page's value count, so the allocation is bounded by
 * the page). Arithmetic wraps modulo 2^64, so an INT32 column takes the low
 * 32 bits of each value. Returns a g_malloc'd array of *n_values values;
 * consumed (may be NULL) gets the bytes the stream took, which is where the
 * byte data of DELTA_LENGTH_BYTE_ARRAY starts. NULL on error. */
gint64   *rf_pq_delta_binary_decode     (const guint8   *data,
                                         gsize           length,
                                         gsize           max_values,
                                         gsize          *n_values,
                                         gsize          *consumed,
                                         GError        **error);

/* DELTA_LENGTH_BYTE_ARRAY: n values (the lengths' count must be n). */
gboolean  rf_pq_delta_length_decode     (const guint8   *data,
                                         gsize           length,
                                         gsize           n,
                                         RfPqByteArrays *out,
                                         GError        **error);

/* DELTA_BYTE_ARRAY: n values. The rebuilt values may not total more than
 * max_output_bytes (a shared prefix repeated a million times would
 * otherwise turn a small page into gigabytes). */
gboolean  rf_pq_delta_byte_array_decode (const guint8   *data,
                                         gsize           length,
                                         gsize           n,
                                         gsize           max_output_bytes,
                                         RfPqByteArrays *out,
                                         GError        **error);

/* BYTE_STREAM_SPLIT: n values of width bytes (2, 4, 8 or any FLBA width)
 * into out (n * width bytes, values in their PLAIN layout). The page holds
 * width streams of length / width bytes each, which must be >= n. */
gboolean  rf_pq_byte_stream_split_decode(const guint8   *data,
                                         gsize           length,
                                         gsize           width,
                                         gsize           n,
                                         guint8         *out,
                                         GError        **error);

G_END_DECLS

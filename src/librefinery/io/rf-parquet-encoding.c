#define G_LOG_DOMAIN "rf-parquet-encoding"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "rf-error.h"
#include "rf-parquet-encoding.h"

/* ---- helpers ---------------------------------------------------------- */

static gboolean parse_error (GError    **error,
                             const char *format,
                             ...) G_GNUC_PRINTF (2, 3);

static gboolean
parse_error (GError    **error,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (RF_ERROR, RF_ERROR_PARSE, format, args));
  va_end (args);
  return FALSE;
}

static inline guint64
load64_le (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, sizeof v);
  return GUINT64_FROM_LE (v);
}

static inline guint64
load64_be (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, sizeof v);
  return GUINT64_FROM_BE (v);
}

/* Reads an unsigned LEB128 varint of at most 64 bits. FALSE when the bytes
 * end first or it does not fit in 64 bits. */
static gboolean
read_uleb (const guint8 **p,
           const guint8  *end,
           guint64       *value)
{
  guint64 result = 0;
  guint shift = 0;

  while (*p < end)
    {
      guint8 byte = *(*p)++;

      if (shift == 63 && (byte & 0x7e) != 0)
        return FALSE;
      result |= (guint64) (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        {
          *value = result;
          return TRUE;
        }
      shift += 7;
      if (shift > 63)
        return FALSE;
    }
  return FALSE;
}

static inline gint64
zigzag_decode (guint64 v)
{
  return (gint64) ((v >> 1) ^ (~(v & 1) + 1));
}

static inline guint64
low_mask (guint bit_width)
{
  return bit_width >= 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << bit_width) - 1;
}

/* ceil (count * bit_width / 8) without overflow for any count that fits in
 * memory as 32-bit values (the callers' out arrays). */
static inline guint64
packed_bytes (guint64 count,
              guint   bit_width)
{
  return (count / 8) * bit_width + ((count % 8) * bit_width + 7) / 8;
}

/* ---- bit unpacking (LSB first, as in the hybrid and the delta miniblocks)
 *
 * Values come out in groups of 8: a group of bit_width bytes holds 8 values,
 * so with bit_width a compile-time constant every shift inside a group is a
 * constant too. Each value is read through one unaligned 64-bit load (a
 * 65th bit is fetched separately only when a 64-bit-wide value straddles 9
 * bytes). Groups near the end of the buffer, where an 8-byte load would run
 * past it, go through a zero-padded copy. */

static G_ALWAYS_INLINE inline void
unpack_groups32 (const guint8 *in,
                 guint32      *out,
                 gsize         groups,
                 guint         bw)
{
  const guint64 mask = low_mask (bw);

  for (gsize g = 0; g < groups; g++, in += bw, out += 8)
    for (guint j = 0; j < 8; j++)
      {
        guint bit = j * bw;
        out[j] = (guint32) ((load64_le (in + (bit >> 3)) >> (bit & 7)) & mask);
      }
}

static G_ALWAYS_INLINE inline void
unpack_groups64 (const guint8 *in,
                 guint64      *out,
                 gsize         groups,
                 guint         bw)
{
  const guint64 mask = low_mask (bw);

  for (gsize g = 0; g < groups; g++, in += bw, out += 8)
    for (guint j = 0; j < 8; j++)
      {
        guint bit = j * bw;
        guint shift = bit & 7;
        guint64 v = load64_le (in + (bit >> 3)) >> shift;

        if (shift + bw > 64)
          v |= (guint64) in[(bit >> 3) + 8] << (64 - shift);
        out[j] = v & mask;
      }
}

#define CASE32(w) case w: unpack_groups32 (in, out, groups, w); break;
#define CASE64(w) case w: unpack_groups64 (in, out, groups, w); break;

static void
unpack_groups32_any (const guint8 *in,
                     guint32      *out,
                     gsize         groups,
                     guint         bw)
{
  switch (bw)
    {
    CASE32 (1) CASE32 (2) CASE32 (3) CASE32 (4) CASE32 (5) CASE32 (6) CASE32 (7) CASE32 (8)
    CASE32 (9) CASE32 (10) CASE32 (11) CASE32 (12) CASE32 (13) CASE32 (14) CASE32 (15) CASE32 (16)
    CASE32 (17) CASE32 (18) CASE32 (19) CASE32 (20) CASE32 (21) CASE32 (22) CASE32 (23) CASE32 (24)
    CASE32 (25) CASE32 (26) CASE32 (27) CASE32 (28) CASE32 (29) CASE32 (30) CASE32 (31) CASE32 (32)
    default:
      g_assert_not_reached ();
    }
}

static void
unpack_groups64_any (const guint8 *in,
                     guint64      *out,
                     gsize         groups,
                     guint         bw)
{
  switch (bw)
    {
    CASE64 (1) CASE64 (2) CASE64 (3) CASE64 (4) CASE64 (5) CASE64 (6) CASE64 (7) CASE64 (8)
    CASE64 (9) CASE64 (10) CASE64 (11) CASE64 (12) CASE64 (13) CASE64 (14) CASE64 (15) CASE64 (16)
    CASE64 (17) CASE64 (18) CASE64 (19) CASE64 (20) CASE64 (21) CASE64 (22) CASE64 (23) CASE64 (24)
    CASE64 (25) CASE64 (26) CASE64 (27) CASE64 (28) CASE64 (29) CASE64 (30) CASE64 (31) CASE64 (32)
    CASE64 (33) CASE64 (34) CASE64 (35) CASE64 (36) CASE64 (37) CASE64 (38) CASE64 (39) CASE64 (40)
    CASE64 (41) CASE64 (42) CASE64 (43) CASE64 (44) CASE64 (45) CASE64 (46) CASE64 (47) CASE64 (48)
    CASE64 (49) CASE64 (50) CASE64 (51) CASE64 (52) CASE64 (53) CASE64 (54) CASE64 (55) CASE64 (56)
    CASE64 (57) CASE64 (58) CASE64 (59) CASE64 (60) CASE64 (61) CASE64 (62) CASE64 (63) CASE64 (64)
    default:
      g_assert_not_reached ();
    }
}

#undef CASE32
#undef CASE64

/* The zero-padded copy of one tail group: its bit_width (<= 64) bytes and
 * the 9 past them that its loads may touch. */
#define TAIL_BYTES 80

/* Unpacks count values of bw (1..32) bits from in, which has in_length >=
 * packed_bytes (count, bw) readable bytes. */
static void
unpack32 (const guint8 *in,
          gsize         in_length,
          guint         bw,
          guint32      *out,
          gsize         count)
{
  gsize groups = count / 8, fast = 0, rest, need;
  guint8 tail[TAIL_BYTES];
  guint32 tail_out[8];

  /* Group g reads bytes below g * bw + bw + 8. */
  if (in_length >= 8)
    fast = MIN (groups, (in_length - 8) / bw);
  unpack_groups32_any (in, out, fast, bw);
  in += fast * bw;
  in_length -= fast * bw;
  out += fast * 8;
  count -= fast * 8;

  while (count > 0)
    {
      rest = MIN (count, (gsize) 8);
      need = (gsize) packed_bytes (rest, bw);
      memset (tail, 0, sizeof tail);
      memcpy (tail, in, MIN (need, in_length));
      unpack_groups32_any (tail, tail_out, 1, bw);
      memcpy (out, tail_out, rest * sizeof *out);
      in += MIN ((gsize) bw, in_length);
      in_length -= MIN ((gsize) bw, in_length);
      out += rest;
      count -= rest;
    }
}

/* As unpack32 for bw 1..64 into 64-bit values. */
static void
unpack64 (const guint8 *in,
          gsize         in_length,
          guint         bw,
          guint64      *out,
          gsize         count)
{
  gsize groups = count / 8, fast = 0, rest, need;
  guint8 tail[TAIL_BYTES];
  guint64 tail_out[8];

  /* Group g reads bytes below g * bw + bw + 9. */
  if (in_length >= 9)
    fast = MIN (groups, (in_length - 9) / bw);
  unpack_groups64_any (in, out, fast, bw);
  in += fast * bw;
  in_length -= fast * bw;
  out += fast * 8;
  count -= fast * 8;

  while (count > 0)
    {
      rest = MIN (count, (gsize) 8);
      need = (gsize) packed_bytes (rest, bw);
      memset (tail, 0, sizeof tail);
      memcpy (tail, in, MIN (need, in_length));
      unpack_groups64_any (tail, tail_out, 1, bw);
      memcpy (out, tail_out, rest * sizeof *out);
      in += MIN ((gsize) bw, in_length);
      in_length -= MIN ((gsize) bw, in_length);
      out += rest;
      count -= rest;
    }
}

/* ---- RLE / bit-packed hybrid ------------------------------------------ */

guint
rf_pq_bit_width (guint64 max_value)
{
  return max_value == 0 ? 0 : 64 - (guint) __builtin_clzll (max_value);
}

static void
fill32 (guint32 *out,
        gsize    n,
        guint32  value)
{
  if (value == 0)
    {
      memset (out, 0, n * sizeof *out);
      return;
    }
  for (gsize i = 0; i < n; i++)
    out[i] = value;
}

gboolean
rf_pq_rle_decode (const guint8   *data,
                  gsize           length,
                  guint           bit_width,
                  guint32        *out,
                  gsize           n,
                  GError        **error)
{
  const guint8 *p = data, *end = data + length;
  guint value_bytes = (bit_width + 7) / 8;
  gsize done = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL || n == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (bit_width > 32)
    return parse_error (error, "RLE/bit-packed data has bit width %u; at most 32 is allowed",
                        bit_width);
  if (n > G_MAXSIZE / 64)
    return parse_error (error, "RLE/bit-packed data asked for %" G_GSIZE_FORMAT " values",
                        n);

  while (done < n)
    {
      guint64 header;
      gsize left = n - done, avail;

      if (p >= end)
        return parse_error (error, "RLE/bit-packed data ends after %" G_GSIZE_FORMAT
                            " of %" G_GSIZE_FORMAT " values", done, n);
      if (!read_uleb (&p, end, &header))
        return parse_error (error, "RLE/bit-packed data has a cut-off or overlong run "
                            "header after %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " values",
                            done, n);
      avail = (gsize) (end - p);

      if (header & 1)
        {
          guint64 groups = header >> 1;
          gsize take = groups >= left / 8 + 1 ? left : (gsize) groups * 8;
          guint64 need = packed_bytes (take, bit_width);

          if (need > avail)
            {
              gsize got = bit_width == 0 ? take : avail * 8 / bit_width;
              return parse_error (error, "bit-packed run ends after %" G_GSIZE_FORMAT
                                  " of %" G_GSIZE_FORMAT " values",
                                  done + got, n);
            }
          if (bit_width == 0)
            memset (out + done, 0, take * sizeof *out);
          else
            unpack32 (p, avail, bit_width, out + done, take);
          done += take;
          /* A final run may stop short of its padding; nothing follows it. */
          if (bit_width > 0 && groups > avail / bit_width)
            p = end;
          else
            p += (gsize) groups * bit_width;
        }
      else
        {
          guint64 count = header >> 1;
          guint32 value = 0;
          gsize take = count < left ? (gsize) count : left;

          if (avail < value_bytes)
            return parse_error (error, "RLE run value is cut off after %" G_GSIZE_FORMAT
                                " of %" G_GSIZE_FORMAT " values", done, n);
          for (guint b = 0; b < value_bytes; b++)
            value |= (guint32) p[b] << (8 * b);
          p += value_bytes;
          if (bit_width < 32 && (value >> bit_width) != 0)
            return parse_error (error, "RLE run value %u does not fit in %u bits",
                                value, bit_width);
          fill32 (out + done, take, value);
          done += take;
        }
    }
  return TRUE;
}

static void
put_uleb (guint8 **p,
          guint64  value)
{
  while (value >= 0x80)
    {
      *(*p)++ = (guint8) (value | 0x80);
      value >>= 7;
    }
  *(*p)++ = (guint8) value;
}

/* Packs 8 values of bit_width bits into bit_width bytes, LSB first. */
static inline guint8 *
pack_group (const guint32 *values,
            guint          bit_width,
            guint8        *dst)
{
  guint64 acc = 0;
  guint bits = 0;

  for (guint j = 0; j < 8; j++)
    {
      acc |= (guint64) values[j] << bits;
      bits += bit_width;
      while (bits >= 8)
        {
          *dst++ = (guint8) acc;
          acc >>= 8;
          bits -= 8;
        }
    }
  return dst;
}

/* Bit-packed runs of at most 63 groups, so that every header is one byte. */
#define MAX_PACKED_GROUPS 63
/* RLE run lengths stay below 2^30 so that readers with 32-bit headers cope. */
#define MAX_RLE_RUN ((gsize) 1 << 30)

static guint8 *
put_literals (const guint32 *values,
              gsize          count,
              guint          bit_width,
              guint8        *p)
{
  gsize groups = count / 8;
  guint32 last[8] = { 0 };

  if (count % 8 != 0)
    {
      /* Only the stream's last run may be partial: pad it with zeros. */
      memcpy (last, values + groups * 8, (count % 8) * sizeof *values);
      groups++;
    }
  for (gsize g = 0; g < groups; )
    {
      gsize chunk = MIN (groups - g, (gsize) MAX_PACKED_GROUPS);

      *p++ = (guint8) ((chunk << 1) | 1);
      for (gsize k = 0; k < chunk; k++, g++)
        p = pack_group ((g + 1) * 8 <= count ? values + g * 8 : last, bit_width, p);
    }
  return p;
}

static guint8 *
put_rle (guint32  value,
         gsize    count,
         guint    bit_width,
         guint8  *p)
{
  guint value_bytes = (bit_width + 7) / 8;

  while (count > 0)
    {
      gsize chunk = MIN (count, MAX_RLE_RUN);

      put_uleb (&p, (guint64) chunk << 1);
      for (guint b = 0; b < value_bytes; b++)
        *p++ = (guint8) (value >> (8 * b));
      count -= chunk;
    }
  return p;
}

/* The end of the run of v that starts before j: eight values at a time
 * first, as definition levels are mostly one long run. */
static inline gsize
run_end (const guint32 *values,
         gsize          j,
         gsize          n,
         guint32        v)
{
  if (j >= n || values[j] != v)
    return j;
  while (j + 8 <= n)
    {
      guint32 diff = 0;

      for (guint k = 0; k < 8; k++)
        diff |= values[j + k] ^ v;
      if (diff != 0)
        break;
      j += 8;
    }
  while (j < n && values[j] == v)
    j++;
  return j;
}

void
rf_pq_rle_encode (const guint32  *values,
                  gsize           n,
                  guint           bit_width,
                  GByteArray     *out)
{
  guint32 all = 0;
  gsize bound, i = 0, literal_start = 0;
  guint old;
  guint8 *start, *p;

  g_return_if_fail (values != NULL || n == 0);
  g_return_if_fail (bit_width <= 32);
  g_return_if_fail (out != NULL);

  for (gsize k = 0; k < n; k++)
    all |= values[k];
  g_return_if_fail (bit_width == 32 || (all >> bit_width) == 0);

  /* Per 8 values at most: one RLE run (a 5-byte header and 4 value bytes),
   * or one packed group and its share of a header. */
  bound = (n / 8 + 2) * (10 + bit_width + 1) + 16;
  g_return_if_fail (bound <= G_MAXUINT - out->len);

  old = out->len;
  g_byte_array_set_size (out, old + (guint) bound);
  start = p = out->data + old;

  while (i < n)
    {
      guint32 v = values[i];
      gsize j = run_end (values, i + 1, n, v);

      if (j - i >= 8)
        {
          /* Bit-packed runs hold whole groups of 8: lend the pending
           * literals enough of this run to complete their last group. */
          gsize pad = (8 - (i - literal_start) % 8) % 8;

          if (j - i - pad >= 8)
            {
              p = put_literals (values + literal_start, i - literal_start + pad, bit_width, p);
              p = put_rle (v, j - i - pad, bit_width, p);
              literal_start = j;
            }
        }
      i = j;
    }
  p = put_literals (values + literal_start, n - literal_start, bit_width, p);

  g_assert ((gsize) (p - start) <= bound);
  g_byte_array_set_size (out, old + (guint) (p - start));
}

/* ---- BIT_PACKED (deprecated, MSB first) ------------------------------- */

gboolean
rf_pq_bit_packed_decode (const guint8   *data,
                         gsize           length,
                         guint           bit_width,
                         guint32        *out,
                         gsize           n,
                         GError        **error)
{
  guint64 need;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL || n == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (bit_width > 32)
    return parse_error (error, "BIT_PACKED levels have bit width %u; at most 32 is allowed",
                        bit_width);
  if (n > G_MAXSIZE / 64)
    return parse_error (error, "BIT_PACKED levels: %" G_GSIZE_FORMAT " values asked for", n);
  need = packed_bytes (n, bit_width);
  if (need > length)
    return parse_error (error, "BIT_PACKED levels end after %" G_GSIZE_FORMAT " of %"
                        G_GSIZE_FORMAT " values",
                        (gsize) (length * 8 / MAX (bit_width, 1)), n);
  if (bit_width == 0)
    {
      memset (out, 0, n * sizeof *out);
      return TRUE;
    }

  for (gsize i = 0; i < n; i++)
    {
      guint64 bit = (guint64) i * bit_width, w;
      gsize byte = (gsize) (bit >> 3);

      if (byte + 8 <= length)
        w = load64_be (data + byte);
      else
        {
          guint8 tmp[8] = { 0 };
          memcpy (tmp, data + byte, length - byte);
          w = load64_be (tmp);
        }
      out[i] = (guint32) ((w << (bit & 7)) >> (64 - bit_width));
    }
  return TRUE;
}

/* ---- PLAIN ------------------------------------------------------------ */

gboolean
rf_pq_plain_bool_decode (const guint8   *data,
                         gsize           length,
                         guint8         *out,
                         gsize           n,
                         GError        **error)
{
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL || n == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n / 8 + (n % 8 != 0) > length)
    return parse_error (error, "PLAIN booleans end after %" G_GSIZE_FORMAT " of %"
                        G_GSIZE_FORMAT " values", length * 8, n);
  for (gsize i = 0; i < n; i++)
    out[i] = (data[i >> 3] >> (i & 7)) & 1;
  return TRUE;
}

void
rf_pq_byte_arrays_clear (RfPqByteArrays *arrays)
{
  g_return_if_fail (arrays != NULL);

  g_clear_pointer (&arrays->starts, g_free);
  g_clear_pointer (&arrays->lengths, g_free);
  g_clear_pointer (&arrays->owned, g_byte_array_unref);
  arrays->base = NULL;
  arrays->n = 0;
}

gboolean
rf_pq_plain_byte_array_decode (const guint8   *data,
                               gsize           length,
                               gsize           n,
                               RfPqByteArrays *out,
                               gsize          *consumed,
                               GError        **error)
{
  g_autofree guint32 *starts = NULL;
  g_autofree guint32 *lengths = NULL;
  gsize pos = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (out, 0, sizeof *out);
  /* Every value takes at least its 4-byte length. */
  if (n > length / 4)
    return parse_error (error, "PLAIN byte arrays: %" G_GSIZE_FORMAT " values cannot fit "
                        "in %" G_GSIZE_FORMAT " bytes", n, length);
  if (length > G_MAXUINT32)
    length = G_MAXUINT32;

  starts = g_new (guint32, MAX (n, 1));
  lengths = g_new (guint32, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      guint32 len;

      if (length - pos < 4)
        return parse_error (error, "PLAIN byte arrays end after %" G_GSIZE_FORMAT " of %"
                            G_GSIZE_FORMAT " values", i, n);
      memcpy (&len, data + pos, 4);
      len = GUINT32_FROM_LE (len);
      pos += 4;
      if (len > length - pos)
        return parse_error (error, "PLAIN byte array %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
                            " claims %u bytes, but only %" G_GSIZE_FORMAT " remain",
                            i + 1, n, len, length - pos);
      starts[i] = (guint32) pos;
      lengths[i] = len;
      pos += len;
    }

  out->base = data;
  out->starts = g_steal_pointer (&starts);
  out->lengths = g_steal_pointer (&lengths);
  out->n = n;
  if (consumed != NULL)
    *consumed = pos;
  return TRUE;
}

gboolean
rf_pq_plain_fixed_decode (const guint8   *data,
                          gsize           length,
                          gsize           width,
                          gsize           n,
                          RfPqByteArrays *out,
                          GError        **error)
{
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (width == 0)
    return parse_error (error, "fixed-length byte arrays of width 0 are not allowed");
  if (n > length / width)
    return parse_error (error, "PLAIN fixed-length byte arrays (%" G_GSIZE_FORMAT
                        " bytes each) end after %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
                        " values", width, length / width, n);
  if (n * width > G_MAXUINT32)
    return parse_error (error, "PLAIN fixed-length byte arrays take more than 4 GiB");

  out->starts = g_new (guint32, MAX (n, 1));
  out->lengths = g_new (guint32, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      out->starts[i] = (guint32) (i * width);
      out->lengths[i] = (guint32) width;
    }
  out->base = data;
  out->n = n;
  return TRUE;
}

/* ---- DELTA_BINARY_PACKED ---------------------------------------------- */

/* The spec's bounds: blocks of a multiple of 128 values, miniblocks of a
 * multiple of 32. The cap on the block size only keeps the arithmetic far
 * from overflow; real writers use 128 to 1024. */
#define MAX_DELTA_BLOCK (G_GUINT64_CONSTANT (1) << 31)

gint64 *
rf_pq_delta_binary_decode (const guint8   *data,
                           gsize           length,
                           gsize           max_values,
                           gsize          *n_values,
                           gsize          *consumed,
                           GError        **error)
{
  const guint8 *p = data, *end = data + length;
  guint64 block_size, miniblocks, total, first_zz, per_mini, prev;
  g_autofree guint64 *values = NULL;
  gsize done;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (n_values != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  *n_values = 0;
  if (!read_uleb (&p, end, &block_size) || !read_uleb (&p, end, &miniblocks) ||
      !read_uleb (&p, end, &total) || !read_uleb (&p, end, &first_zz))
    {
      parse_error (error, "DELTA_BINARY_PACKED header is cut off or malformed");
      return NULL;
    }
  if (block_size > MAX_DELTA_BLOCK)
    {
      parse_error (error, "DELTA_BINARY_PACKED block size %" G_GUINT64_FORMAT " is too "
                   "large", block_size);
      return NULL;
    }
  if (block_size == 0 || block_size % 128 != 0)
    {
      parse_error (error, "DELTA_BINARY_PACKED block size %" G_GUINT64_FORMAT " is not a "
                   "positive multiple of 128", block_size);
      return NULL;
    }
  if (miniblocks == 0 || block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0)
    {
      parse_error (error, "DELTA_BINARY_PACKED has %" G_GUINT64_FORMAT " miniblocks per "
                   "block of %" G_GUINT64_FORMAT " values; each must hold a multiple of 32",
                   miniblocks, block_size);
      return NULL;
    }
  if (total > max_values)
    {
      parse_error (error, "DELTA_BINARY_PACKED claims %" G_GUINT64_FORMAT " values, but the "
                   "page holds at most %" G_GSIZE_FORMAT, total, max_values);
      return NULL;
    }
  per_mini = block_size / miniblocks;
  /* Every block takes at least its min delta and width bytes: a count the
   * bytes cannot hold is refused before the allocation. */
  if (total > 1 &&
      (total - 2) / block_size + 1 > (guint64) (end - p) / (1 + miniblocks))
    {
      parse_error (error, "DELTA_BINARY_PACKED claims %" G_GUINT64_FORMAT " values, but "
                   "its %" G_GSIZE_FORMAT " bytes cannot hold them",
                   total, (gsize) (end - p));
      return NULL;
    }

  values = g_new (guint64, MAX (total, 1));
  values[0] = (guint64) zigzag_decode (first_zz);
  prev = values[0];
  done = total > 0 ? 1 : 0;

  while (done < total)
    {
      guint64 min_zz, min_delta;
      const guint8 *widths;

      if (!read_uleb (&p, end, &min_zz))
        {
          parse_error (error, "DELTA_BINARY_PACKED block header is cut off after %"
                       G_GSIZE_FORMAT " of %" G_GUINT64_FORMAT " values", done, total);
          return NULL;
        }
      min_delta = (guint64) zigzag_decode (min_zz);
      if ((guint64) (end - p) < miniblocks)
        {
          parse_error (error, "DELTA_BINARY_PACKED miniblock widths are cut off after %"
                       G_GSIZE_FORMAT " of %" G_GUINT64_FORMAT " values", done, total);
          return NULL;
        }
      widths = p;
      p += miniblocks;

      /* Miniblocks after the last value are absent; their widths may be
       * anything. */
      for (guint64 m = 0; m < miniblocks && done < total; m++)
        {
          guint bw = widths[m];
          gsize take = (gsize) MIN (per_mini, total - done);
          gsize avail = (gsize) (end - p);
          guint64 full = per_mini * bw / 8;
          guint64 *out = values + done;

          if (bw > 64)
            {
              parse_error (error, "DELTA_BINARY_PACKED miniblock has bit width %u; at most "
                           "64 is allowed", bw);
              return NULL;
            }
          if (packed_bytes (take, bw) > avail)
            {
              parse_error (error, "DELTA_BINARY_PACKED miniblock is cut off after %"
                           G_GSIZE_FORMAT " of %" G_GUINT64_FORMAT " values",
                           done + (bw == 0 ? take : avail * 8 / bw), total);
              return NULL;
            }
          if (bw == 0)
            memset (out, 0, take * sizeof *out);
          else
            unpack64 (p, avail, bw, out, take);
          for (gsize k = 0; k < take; k++)
            out[k] = prev = prev + min_delta + out[k];
          done += take;
          /* The last miniblock should be padded to full size; a writer that
           * stopped short loses nothing, so accept it. */
          p += (gsize) MIN (full, (guint64) avail);
        }
    }

  *n_values = (gsize) total;
  if (consumed != NULL)
    *consumed = (gsize) (p - data);
  return (gint64 *) g_steal_pointer (&values);
}

/* ---- DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY ------------------------- */

/* Decodes a delta-packed list of exactly n lengths into lengths (each a
 * non-negative INT32) and their total; consumed gets the bytes taken. */
static guint32 *
decode_lengths (const guint8 *data,
                gsize         length,
                gsize         n,
                const char   *what,
                guint64      *sum,
                gsize        *consumed,
                GError      **error)
{
  g_autofree gint64 *raw = NULL;
  g_autofree guint32 *lengths = NULL;
  gsize count = 0;
  guint64 total = 0;

  raw = rf_pq_delta_binary_decode (data, length, n, &count, consumed, error);
  if (raw == NULL)
    return NULL;
  if (count != n)
    {
      parse_error (error, "%s holds %" G_GSIZE_FORMAT " lengths, but the page has %"
                   G_GSIZE_FORMAT " values", what, count, n);
      return NULL;
    }
  lengths = g_new (guint32, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      /* Lengths are INT32: the low 32 bits are the value. */
      gint32 len = (gint32) (guint32) raw[i];

      if (len < 0)
        {
          parse_error (error, "%s: value %" G_GSIZE_FORMAT " has negative length %d",
                       what, i + 1, len);
          return NULL;
        }
      lengths[i] = (guint32) len;
      total += (guint32) len;
    }
  *sum = total;
  return g_steal_pointer (&lengths);
}

gboolean
rf_pq_delta_length_decode (const guint8   *data,
                           gsize           length,
                           gsize           n,
                           RfPqByteArrays *out,
                           GError        **error)
{
  g_autofree guint32 *lengths = NULL;
  g_autofree guint32 *starts = NULL;
  gsize consumed = 0;
  guint64 total = 0, pos;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (out, 0, sizeof *out);
  lengths = decode_lengths (data, length, n, "DELTA_LENGTH_BYTE_ARRAY", &total,
                            &consumed, error);
  if (lengths == NULL)
    return FALSE;
  if (total > length - consumed)
    return parse_error (error, "DELTA_LENGTH_BYTE_ARRAY lengths add up to %"
                        G_GUINT64_FORMAT " bytes, but only %" G_GSIZE_FORMAT " follow them",
                        total, length - consumed);
  if (consumed + total > G_MAXUINT32)
    return parse_error (error, "DELTA_LENGTH_BYTE_ARRAY page is larger than 4 GiB");

  starts = g_new (guint32, MAX (n, 1));
  pos = consumed;
  for (gsize i = 0; i < n; i++)
    {
      starts[i] = (guint32) pos;
      pos += lengths[i];
    }
  out->base = data;
  out->starts = g_steal_pointer (&starts);
  out->lengths = g_steal_pointer (&lengths);
  out->n = n;
  return TRUE;
}

gboolean
rf_pq_delta_byte_array_decode (const guint8   *data,
                               gsize           length,
                               gsize           n,
                               gsize           max_output_bytes,
                               RfPqByteArrays *out,
                               GError        **error)
{
  g_autofree guint32 *prefixes = NULL;
  g_auto (RfPqByteArrays) suffixes = { 0 };
  g_autofree guint32 *starts = NULL;
  g_autofree guint32 *lengths = NULL;
  g_autoptr (GByteArray) owned = NULL;
  gsize consumed = 0;
  guint64 prefix_total = 0, total = 0, prev_length = 0;
  guint8 *dst;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (out, 0, sizeof *out);
  prefixes = decode_lengths (data, length, n, "DELTA_BYTE_ARRAY prefix lengths",
                             &prefix_total, &consumed, error);
  if (prefixes == NULL)
    return FALSE;
  if (!rf_pq_delta_length_decode (data + consumed, length - consumed, n, &suffixes, error))
    return FALSE;

  /* First pass: check every prefix against the value before it and add up
   * the size, so that nothing is allocated before the page is known good. */
  for (gsize i = 0; i < n; i++)
    {
      if (prefixes[i] > prev_length)
        return parse_error (error, "DELTA_BYTE_ARRAY value %" G_GSIZE_FORMAT " shares a "
                            "%u-byte prefix with a value only %" G_GUINT64_FORMAT
                            " bytes long", i + 1, prefixes[i], prev_length);
      prev_length = (guint64) prefixes[i] + suffixes.lengths[i];
      total += prev_length;
      if (total > max_output_bytes)
        return parse_error (error, "DELTA_BYTE_ARRAY values add up to more than %"
                            G_GSIZE_FORMAT " bytes", max_output_bytes);
      if (total > G_MAXUINT32)
        return parse_error (error, "DELTA_BYTE_ARRAY values add up to more than 4 GiB");
    }

  owned = g_byte_array_sized_new ((guint) total);
  g_byte_array_set_size (owned, (guint) total);
  starts = g_new (guint32, MAX (n, 1));
  lengths = g_new (guint32, MAX (n, 1));
  dst = owned->data;
  for (gsize i = 0; i < n; i++)
    {
      guint32 start = (guint32) (dst - owned->data);

      if (prefixes[i] > 0)
        memcpy (dst, owned->data + starts[i - 1], prefixes[i]);
      dst += prefixes[i];
      if (suffixes.lengths[i] > 0)
        memcpy (dst, suffixes.base + suffixes.starts[i], suffixes.lengths[i]);
      dst += suffixes.lengths[i];
      starts[i] = start;
      lengths[i] = prefixes[i] + suffixes.lengths[i];
    }

  out->base = owned->data;
  out->starts = g_steal_pointer (&starts);
  out->lengths = g_steal_pointer (&lengths);
  out->owned = g_steal_pointer (&owned);
  out->n = n;
  return TRUE;
}

/* ---- BYTE_STREAM_SPLIT ------------------------------------------------ */

static G_ALWAYS_INLINE inline void
bss_join (const guint8 *data,
          gsize         stride,
          gsize         width,
          gsize         n,
          guint8       *out)
{
  for (gsize i = 0; i < n; i++)
    for (gsize k = 0; k < width; k++)
      out[i * width + k] = data[k * stride + i];
}

gboolean
rf_pq_byte_stream_split_decode (const guint8   *data,
                                gsize           length,
                                gsize           width,
                                gsize           n,
                                guint8         *out,
                                GError        **error)
{
  gsize stride;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL || n == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (width == 0)
    return parse_error (error, "BYTE_STREAM_SPLIT values of width 0 are not allowed");
  stride = length / width;
  if (stride < n)
    return parse_error (error, "BYTE_STREAM_SPLIT streams of %" G_GSIZE_FORMAT " bytes "
                        "hold %" G_GSIZE_FORMAT " values, but the page has %" G_GSIZE_FORMAT,
                        stride, stride, n);

  /* The constant widths let the compiler unroll the inner loop. */
  switch (width)
    {
    case 2: bss_join (data, stride, 2, n, out); break;
    case 4: bss_join (data, stride, 4, n, out); break;
    case 8: bss_join (data, stride, 8, n, out); break;
    default: bss_join (data, stride, width, n, out); break;
    }
  return TRUE;
}

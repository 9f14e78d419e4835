/* test-parquet-encoding.c: the Parquet value and level encodings
 * (rf-parquet-encoding.h). Streams are built by hand from the examples in
 * the spec (apache/parquet-format Encodings.md) or by small reference
 * encoders written here, bit by bit, independently of the library. Every
 * decode reads from a heap copy of exactly the stream's size, so that the
 * sanitizers see any read past its end. */
#include "config.h"

#include <string.h>

#include "rf-error.h"
#include "rf-parquet-encoding.h"
#include "rf-rng.h"
#include "rf-test-util.h"

/* ---- reference encoders ----------------------------------------------- */

static void
put_uleb (GByteArray *out,
          guint64     value)
{
  do
    {
      guint8 byte = value & 0x7f;

      value >>= 7;
      if (value != 0)
        byte |= 0x80;
      g_byte_array_append (out, &byte, 1);
    }
  while (value != 0);
}

static guint64
zigzag (gint64 v)
{
  return ((guint64) v << 1) ^ (guint64) (v >> 63);
}

static void
put_bytes (GByteArray *out,
           const char *bytes,
           gsize       length)
{
  g_byte_array_append (out, (const guint8 *) bytes, (guint) length);
}

/* Packs values LSB first, bit by bit, into ceil(n * width / 8) bytes. */
static void
ref_pack_lsb (GByteArray    *out,
              const guint64 *values,
              gsize          n,
              guint          width)
{
  gsize bytes = (n * width + 7) / 8, base = out->len;

  g_byte_array_set_size (out, (guint) (base + bytes));
  if (bytes > 0)
    memset (out->data + base, 0, bytes);
  for (gsize i = 0; i < n; i++)
    for (guint b = 0; b < width; b++)
      if ((values[i] >> b) & 1)
        {
          gsize bit = i * width + b;
          out->data[base + bit / 8] |= (guint8) (1u << (bit % 8));
        }
}

/* The deprecated BIT_PACKED order: MSB first. */
static void
ref_pack_msb (GByteArray    *out,
              const guint32 *values,
              gsize          n,
              guint          width)
{
  gsize bytes = (n * width + 7) / 8, base = out->len;

  g_byte_array_set_size (out, (guint) (base + bytes));
  if (bytes > 0)
    memset (out->data + base, 0, bytes);
  for (gsize i = 0; i < n; i++)
    for (guint b = 0; b < width; b++)
      if ((values[i] >> (width - 1 - b)) & 1)
        {
          gsize bit = i * width + b;
          out->data[base + bit / 8] |= (guint8) (0x80u >> (bit % 8));
        }
}

static guint
ref_width (guint64 v)
{
  guint w = 0;

  while (v != 0)
    {
      w++;
      v >>= 1;
    }
  return w;
}

typedef struct
{
  guint block;
  guint miniblocks;
  gboolean int32;         /* deltas computed modulo 2^32, as INT32 writers do */
  gboolean no_padding;    /* the last miniblock stops after its last value */
  guint8 unused_width;    /* the width byte of miniblocks after the last value */
} DeltaOptions;

/* A DELTA_BINARY_PACKED encoder, straight from the spec's description. */
static void
ref_delta_encode (GByteArray         *out,
                  const gint64       *values,
                  gsize               n,
                  const DeltaOptions *o)
{
  guint per_mini = o->block / o->miniblocks;
  g_autofree gint64 *deltas = g_new (gint64, o->block);
  g_autofree guint64 *rel = g_new (guint64, per_mini);

  put_uleb (out, o->block);
  put_uleb (out, o->miniblocks);
  put_uleb (out, n);
  put_uleb (out, zigzag (n > 0 ? (o->int32 ? (gint32) values[0] : values[0]) : 0));

  for (gsize i = 1; i < n; )
    {
      gsize count = MIN ((gsize) o->block, n - i);
      gint64 min = G_MAXINT64;
      guint widths[64];

      for (gsize k = 0; k < count; k++)
        {
          if (o->int32)
            deltas[k] = (gint32) ((guint32) values[i + k] - (guint32) values[i + k - 1]);
          else
            deltas[k] = (gint64) ((guint64) values[i + k] - (guint64) values[i + k - 1]);
          min = MIN (min, deltas[k]);
        }
      put_uleb (out, zigzag (min));
      for (guint m = 0; m < o->miniblocks; m++)
        {
          guint64 max = 0;

          if ((gsize) m * per_mini >= count)
            {
              g_byte_array_append (out, &o->unused_width, 1);
              continue;
            }
          for (gsize k = m * per_mini; k < MIN (count, (gsize) (m + 1) * per_mini); k++)
            {
              guint64 r = o->int32 ? (guint32) ((guint32) deltas[k] - (guint32) min)
                                   : (guint64) deltas[k] - (guint64) min;
              max = MAX (max, r);
            }
          widths[m] = ref_width (max);
          g_byte_array_append (out, (guint8[]) { (guint8) widths[m] }, 1);
        }
      for (guint m = 0; m < o->miniblocks && (gsize) m * per_mini < count; m++)
        {
          gsize used = MIN ((gsize) per_mini, count - m * per_mini);

          for (gsize k = 0; k < per_mini; k++)
            {
              gint64 d = k < used ? deltas[m * per_mini + k] : min;
              rel[k] = o->int32 ? (guint32) ((guint32) d - (guint32) min)
                                : (guint64) d - (guint64) min;
            }
          ref_pack_lsb (out, rel, o->no_padding && i + count == n ? used : per_mini, widths[m]);
        }
      i += count;
    }
}

/* The first miniblock width byte of a delta stream's first block. */
static guint8
first_width (const GByteArray *bytes)
{
  const guint8 *p = bytes->data;

  /* Four header varints and the block's min delta. */
  for (int i = 0; i < 5; i++)
    while (*p++ & 0x80)
      ;
  return *p;
}

static guint8 *
exact_copy (const guint8 *data,
            gsize         length)
{
  /* g_malloc (0) is NULL: keep one real byte so the pointer is valid. */
  guint8 *copy = g_malloc (MAX (length, 1));

  if (length > 0)
    memcpy (copy, data, length);
  return copy;
}

/* ---- bit widths and the RLE / bit-packed hybrid ----------------------- */

static void
test_bit_width (void)
{
  g_assert_cmpuint (rf_pq_bit_width (0), ==, 0);
  g_assert_cmpuint (rf_pq_bit_width (1), ==, 1);
  g_assert_cmpuint (rf_pq_bit_width (2), ==, 2);
  g_assert_cmpuint (rf_pq_bit_width (3), ==, 2);
  g_assert_cmpuint (rf_pq_bit_width (7), ==, 3);
  g_assert_cmpuint (rf_pq_bit_width (8), ==, 4);
  g_assert_cmpuint (rf_pq_bit_width (255), ==, 8);
  g_assert_cmpuint (rf_pq_bit_width (256), ==, 9);
  g_assert_cmpuint (rf_pq_bit_width (G_MAXUINT32), ==, 32);
  g_assert_cmpuint (rf_pq_bit_width ((guint64) G_MAXUINT32 + 1), ==, 33);
  g_assert_cmpuint (rf_pq_bit_width (G_MAXUINT64), ==, 64);
}

static void
check_rle (const guint8  *bytes,
           gsize          length,
           guint          width,
           const guint32 *expected,
           gsize          n)
{
  g_autofree guint8 *copy = exact_copy (bytes, length);
  g_autofree guint32 *out = g_new0 (guint32, n + 1);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = rf_pq_rle_decode (copy, length, width, out, n, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpmem (out, n * sizeof *out, expected, n * sizeof *expected);
}

static void
check_rle_fails (const guint8 *bytes,
                 gsize         length,
                 guint         width,
                 gsize         n,
                 const char   *message)
{
  g_autofree guint8 *copy = exact_copy (bytes, length);
  g_autofree guint32 *out = g_new0 (guint32, n + 1);
  g_autoptr(GError) error = NULL;

  g_assert_false (rf_pq_rle_decode (copy, length, width, out, n, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
test_rle_spec (void)
{
  /* Encodings.md: 0..7 with bit width 3 as one bit-packed group:
   * 10001000 11000110 11111010. */
  static const guint8 packed[] = { 0x03, 0x88, 0xc6, 0xfa };
  static const guint32 zero_to_seven[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
  /* An RLE run of eight 5s (width 3: one value byte). */
  static const guint8 run[] = { 0x10, 0x05 };
  static const guint32 fives[] = { 5, 5, 5, 5, 5, 5, 5, 5 };
  /* 300 times 0x1234 in 13 bits: header varint 600, two value bytes LE. */
  static const guint8 long_run[] = { 0xd8, 0x04, 0x34, 0x12 };
  /* A run, then a bit-packed group, then a run: 3 x 1, 0..7, 2 x 6. */
  static const guint8 mixed[] = { 0x06, 0x01, 0x03, 0x88, 0xc6, 0xfa, 0x04, 0x06 };
  static const guint32 mixed_values[] = { 1, 1, 1, 0, 1, 2, 3, 4, 5, 6, 7, 6, 6 };
  /* Width 32: four value bytes. */
  static const guint8 wide[] = { 0x04, 0xff, 0xff, 0xff, 0xff, 0x04, 0x78, 0x56, 0x34, 0x12 };
  static const guint32 wide_values[] = { G_MAXUINT32, G_MAXUINT32, 0x12345678, 0x12345678 };
  /* Width 1 bit-packed: 1,0,1,1,0,0,0,1 = 0b10001101. */
  static const guint8 bits[] = { 0x03, 0x8d };
  static const guint32 bits_values[] = { 1, 0, 1, 1, 0, 0, 0, 1 };
  g_autofree guint32 *expected = g_new (guint32, 300);

  check_rle (packed, sizeof packed, 3, zero_to_seven, 8);
  /* Fewer values than the group holds: the rest is ignored. */
  check_rle (packed, sizeof packed, 3, zero_to_seven, 5);
  check_rle (run, sizeof run, 3, fives, 8);
  check_rle (run, sizeof run, 3, fives, 3);
  for (int i = 0; i < 300; i++)
    expected[i] = 0x1234;
  check_rle (long_run, sizeof long_run, 13, expected, 300);
  check_rle (mixed, sizeof mixed, 3, mixed_values, 13);
  check_rle (wide, sizeof wide, 32, wide_values, 4);
  check_rle (bits, sizeof bits, 1, bits_values, 8);
  check_rle (NULL, 0, 5, NULL, 0);

  /* Bit width 0: RLE runs have no value bytes, packed groups no bytes. */
  {
    static const guint8 zero_run[] = { 0x0a };
    static const guint8 zero_packed[] = { 0x05 };
    static const guint8 zero_both[] = { 0x0a, 0x03, 0x06 };
    guint32 zeros[16] = { 0 };

    check_rle (zero_run, sizeof zero_run, 0, zeros, 5);
    check_rle (zero_packed, sizeof zero_packed, 0, zeros, 16);
    check_rle (zero_both, sizeof zero_both, 0, zeros, 16);
  }
}

static void
test_rle_malformed (void)
{
  static const guint8 run[] = { 0x14, 0x01 };   /* ten 1s, width 1 */
  static const guint8 packed[] = { 0x05, 0xff, 0xff, 0x0f };  /* 2 groups, width 2 */
  static const guint8 overlong[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 };

  check_rle_fails (run, sizeof run, 1, 11, "RLE/bit-packed data ends after 10 of 11 values");
  check_rle_fails (NULL, 0, 1, 1, "RLE/bit-packed data ends after 0 of 1 values");
  check_rle_fails (run, 1, 1, 5, "RLE run value is cut off after 0 of 5 values");
  check_rle_fails (packed, sizeof packed, 2, 16, "bit-packed run ends after 12 of 16 values");
  check_rle_fails (packed, 2, 2, 9, "bit-packed run ends after 4 of 9 values");
  check_rle_fails (run, sizeof run, 33, 1,
                   "RLE/bit-packed data has bit width 33; at most 32 is allowed");
  check_rle_fails (overlong, sizeof overlong, 8, 1, NULL);
  check_rle_fails (overlong, 3, 8, 1, NULL);
  /* An RLE value with bits above the width. */
  {
    static const guint8 too_big[] = { 0x10, 0x08 };
    static const guint8 too_big16[] = { 0x10, 0x00, 0x02 };

    check_rle_fails (too_big, sizeof too_big, 3, 8, "RLE run value 8 does not fit in 3 bits");
    check_rle_fails (too_big16, sizeof too_big16, 9, 8, "RLE run value 512 does not fit in 9 bits");
  }
  /* A run of zero values then nothing. */
  {
    static const guint8 empty_runs[] = { 0x00, 0x01, 0x01, 0x00, 0x00 };
    check_rle_fails (empty_runs, sizeof empty_runs, 1, 1, NULL);
  }
  /* A huge group count in a small stream. */
  {
    static const guint8 huge[] = { 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00 };
    check_rle_fails (huge, sizeof huge, 4, 1000, NULL);
  }
}

/* Random values of width bits with runs, as levels and indices look. */
static guint32 *
make_levels (RfRng *rng,
             gsize  n,
             guint  width,
             guint  pattern)
{
  guint32 *values = g_new (guint32, MAX (n, 1));
  guint64 limit = (guint64) 1 << width;
  gsize i = 0;

  while (i < n)
    {
      guint32 v = (guint32) rf_rng_below (rng, limit);
      gsize len;

      switch (pattern)
        {
        case 0:     /* all random */
          len = 1;
          break;
        case 1:     /* short and long runs */
          len = rf_rng_below (rng, 4) == 0 ? 1 + rf_rng_below (rng, 300) : 1 + rf_rng_below (rng, 10);
          break;
        case 2:     /* the widest values, in runs of 7..9 (the threshold) */
          v = (guint32) (limit - 1 - (limit > 1 ? rf_rng_below (rng, 2) : 0));
          len = 7 + rf_rng_below (rng, 3);
          break;
        default:    /* one value throughout */
          v = (guint32) (limit - 1);
          len = n;
          break;
        }
      for (gsize k = 0; k < len && i < n; k++)
        values[i++] = v;
    }
  return values;
}

/* Checks an encoding's runs: headers are well formed, packed runs hold at
 * most 63 groups, RLE runs at least 8 values. */
static void
check_rle_structure (const guint8 *data,
                     gsize         length,
                     guint         width,
                     gsize         n)
{
  gsize pos = 0, values = 0;

  while (pos < length)
    {
      guint64 header = 0;
      guint shift = 0;

      do
        {
          g_assert_cmpuint (pos, <, length);
          header |= (guint64) (data[pos] & 0x7f) << shift;
          shift += 7;
        }
      while (data[pos++] & 0x80);

      if (header & 1)
        {
          g_assert_cmpuint (header >> 1, >=, 1);
          g_assert_cmpuint (header >> 1, <=, 63);
          pos += (header >> 1) * width;
          values += (header >> 1) * 8;
        }
      else
        {
          g_assert_cmpuint (header >> 1, >=, 8);
          pos += (width + 7) / 8;
          values += header >> 1;
        }
    }
  g_assert_cmpuint (pos, ==, length);
  g_assert_cmpuint (values, >=, n);
  g_assert_cmpuint (values, <, n + 8);
}

static void
test_rle_round_trip (void)
{
  static const gsize sizes[] = { 0, 1, 7, 8, 9, 15, 16, 17, 100, 505, 1000, 4097 };
  RfRng rng;

  rf_rng_init (&rng, 4);
  for (guint width = 0; width <= 32; width++)
    for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
      for (guint pattern = 0; pattern < 4; pattern++)
        {
          gsize n = sizes[s];
          g_autofree guint32 *values = make_levels (&rng, n, width, pattern);
          g_autoptr(GByteArray) out = g_byte_array_new ();

          g_byte_array_append (out, (const guint8 *) "xy", 2);
          rf_pq_rle_encode (values, n, width, out);
          g_assert_cmpmem (out->data, 2, "xy", 2);
          g_byte_array_remove_range (out, 0, 2);
          check_rle_structure (out->data, out->len, width, n);
          check_rle (out->data, out->len, width, values, n);

          /* Cut short anywhere: an error, or (inside the last group's
           * padding) the right values; never a read past the end. */
          if (n > 0 && n <= 100 && (width % 5 == 1 || width == 32))
            for (gsize cut = 0; cut < out->len; cut++)
              {
                g_autofree guint8 *copy = exact_copy (out->data, cut);
                g_autofree guint32 *back = g_new0 (guint32, n);
                g_autoptr(GError) error = NULL;

                if (rf_pq_rle_decode (copy, cut, width, back, n, &error))
                  {
                    g_assert_cmpuint (cut + width, >, out->len);
                    g_assert_cmpmem (back, n * 4, values, n * 4);
                  }
                else
                  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
              }
        }
}

static void
check_encode (const guint32 *values,
              gsize          n,
              guint          width,
              const guint8  *expected,
              gsize          expected_length)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  rf_pq_rle_encode (values, n, width, out);
  g_assert_cmpmem (out->data, out->len, expected, expected_length);
}

static void
test_rle_encode_exact (void)
{
  static const guint32 zero_to_seven[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
  static const guint8 zero_to_seven_bytes[] = { 0x03, 0x88, 0xc6, 0xfa };
  static const guint32 three[] = { 1, 0, 1 };
  static const guint8 three_bytes[] = { 0x03, 0x05 };
  guint32 ones[10] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
  static const guint8 ones_bytes[] = { 0x14, 0x01 };
  /* 1, 2, 3, then twenty 5s (width 3): the packed group borrows five 5s,
   * the remaining fifteen make an RLE run. */
  guint32 lend[23] = { 1, 2, 3 };
  g_autoptr(GByteArray) lend_expected = g_byte_array_new ();
  /* 1, 2, then seven 5s: a run too short to stand alone. */
  guint32 short_run[9] = { 1, 2, 5, 5, 5, 5, 5, 5, 5 };
  g_autoptr(GByteArray) short_expected = g_byte_array_new ();
  guint64 group[8];

  check_encode (zero_to_seven, 8, 3, zero_to_seven_bytes, sizeof zero_to_seven_bytes);
  check_encode (three, 3, 1, three_bytes, sizeof three_bytes);
  check_encode (ones, 10, 1, ones_bytes, sizeof ones_bytes);
  check_encode (NULL, 0, 7, NULL, 0);

  for (int i = 3; i < 23; i++)
    lend[i] = 5;
  put_bytes (lend_expected, "\x03", 1);
  for (int i = 0; i < 8; i++)
    group[i] = lend[i];
  ref_pack_lsb (lend_expected, group, 8, 3);
  put_bytes (lend_expected, "\x1e\x05", 2);
  check_encode (lend, 23, 3, lend_expected->data, lend_expected->len);

  put_bytes (short_expected, "\x05", 1);
  for (int i = 0; i < 8; i++)
    group[i] = short_run[i];
  ref_pack_lsb (short_expected, group, 8, 3);
  memset (group, 0, sizeof group);
  group[0] = 5;
  ref_pack_lsb (short_expected, group, 8, 3);
  check_encode (short_run, 9, 3, short_expected->data, short_expected->len);

  /* A million equal definition levels: one run, four bytes. */
  {
    g_autofree guint32 *levels = g_new (guint32, 1000000);
    static const guint8 million[] = { 0x80, 0x89, 0x7a, 0x01 };

    for (int i = 0; i < 1000000; i++)
      levels[i] = 1;
    check_encode (levels, 1000000, 1, million, sizeof million);
  }

  /* 1000 random 5-bit values (no runs): 125 groups, packed as runs of 63
   * and 62 groups. */
  {
    g_autofree guint32 *values = g_new (guint32, 1000);
    g_autoptr(GByteArray) out = g_byte_array_new ();
    RfRng rng;

    rf_rng_init (&rng, 1);
    for (int i = 0; i < 1000; i++)
      values[i] = (guint32) rf_rng_below (&rng, 32);
    rf_pq_rle_encode (values, 1000, 5, out);
    g_assert_cmpuint (out->len, ==, 2 + 125 * 5);
    g_assert_cmpint (out->data[0], ==, (63 << 1) | 1);
    g_assert_cmpint (out->data[1 + 63 * 5], ==, (62 << 1) | 1);
  }
}

/* ---- BIT_PACKED (MSB first) ------------------------------------------- */

static void
test_bit_packed (void)
{
  /* Encodings.md: 0..7 with width 3 = 00000101 00111001 01110111. */
  static const guint8 spec[] = { 0x05, 0x39, 0x77 };
  static const guint32 zero_to_seven[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
  guint32 out[8];
  g_autoptr(GError) error = NULL;
  RfRng rng;

  g_assert_true (rf_pq_bit_packed_decode (spec, sizeof spec, 3, out, 8, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (out, sizeof out, zero_to_seven, sizeof zero_to_seven);

  /* Width 0: no bytes needed. */
  memset (out, 0xff, sizeof out);
  g_assert_true (rf_pq_bit_packed_decode (NULL, 0, 0, out, 8, &error));
  g_assert_no_error (error);
  for (int i = 0; i < 8; i++)
    g_assert_cmpuint (out[i], ==, 0);

  rf_rng_init (&rng, 9);
  for (guint width = 1; width <= 32; width++)
    for (gsize n = 0; n < 70; n += 1 + n / 4)
      {
        g_autofree guint32 *values = make_levels (&rng, n, width, 0);
        g_autofree guint32 *back = g_new0 (guint32, n + 1);
        g_autoptr(GByteArray) packed = g_byte_array_new ();
        g_autofree guint8 *copy = NULL;

        ref_pack_msb (packed, values, n, width);
        copy = exact_copy (packed->data, packed->len);
        g_assert_true (rf_pq_bit_packed_decode (copy, packed->len, width, back, n, &error));
        g_assert_no_error (error);
        g_assert_cmpmem (back, n * 4, values, n * 4);

        /* One byte short. */
        if (n > 0)
          {
            g_autofree guint8 *shorter = exact_copy (packed->data, packed->len - 1);
            g_assert_false (rf_pq_bit_packed_decode (shorter, packed->len - 1, width, back, n, &error));
            g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
            g_clear_error (&error);
          }
      }

  g_assert_false (rf_pq_bit_packed_decode (spec, 2, 3, out, 8, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "BIT_PACKED levels end after 5 of 8 values");
  g_clear_error (&error);
  g_assert_false (rf_pq_bit_packed_decode (spec, sizeof spec, 33, out, 1, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
}

/* ---- PLAIN ------------------------------------------------------------ */

static void
test_plain_bool (void)
{
  static const guint8 bits[] = { 0x05, 0x01 };
  static const guint8 expected[] = { 1, 0, 1, 0, 0, 0, 0, 0, 1 };
  guint8 out[9];
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_pq_plain_bool_decode (bits, sizeof bits, out, 9, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (out, 9, expected, 9);
  g_assert_true (rf_pq_plain_bool_decode (NULL, 0, out, 0, &error));
  g_assert_no_error (error);

  g_assert_false (rf_pq_plain_bool_decode (bits, 1, out, 9, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "PLAIN booleans end after 8 of 9 values");
}

static void
check_arrays (const RfPqByteArrays *arrays,
              const char * const   *expected,
              gsize                 n)
{
  g_assert_cmpuint (arrays->n, ==, n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpmem (arrays->base + arrays->starts[i], arrays->lengths[i],
                     expected[i], strlen (expected[i]));
}

static void
test_plain_byte_array (void)
{
  static const char bytes[] =
    "\x05\x00\x00\x00" "Hello"
    "\x00\x00\x00\x00"
    "\x06\x00\x00\x00" "World!"
    "tail";
  static const char * const expected[] = { "Hello", "", "World!" };
  gsize length = sizeof bytes - 1, full = length - 4;
  g_autofree guint8 *copy = exact_copy ((const guint8 *) bytes, length);
  g_auto(RfPqByteArrays) arrays = { 0 };
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;

  g_assert_true (rf_pq_plain_byte_array_decode (copy, length, 3, &arrays, &consumed, &error));
  g_assert_no_error (error);
  check_arrays (&arrays, expected, 3);
  g_assert_true (arrays.base == copy);
  g_assert_null (arrays.owned);
  g_assert_cmpuint (arrays.starts[0], ==, 4);
  g_assert_cmpuint (arrays.starts[1], ==, 13);
  g_assert_cmpuint (arrays.starts[2], ==, 17);
  g_assert_cmpuint (consumed, ==, full);
  rf_pq_byte_arrays_clear (&arrays);

  g_assert_true (rf_pq_plain_byte_array_decode (copy, length, 0, &arrays, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (arrays.n, ==, 0);
  rf_pq_byte_arrays_clear (&arrays);

  /* Cut short anywhere. */
  for (gsize cut = 0; cut < full; cut++)
    {
      g_autofree guint8 *shorter = exact_copy ((const guint8 *) bytes, cut);

      g_assert_false (rf_pq_plain_byte_array_decode (shorter, cut, 3, &arrays, NULL, &error));
      g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
      g_assert_null (arrays.starts);
      g_clear_error (&error);
    }

  /* More values than bytes could hold: refused before any allocation. */
  g_assert_false (rf_pq_plain_byte_array_decode (copy, length, G_MAXSIZE / 2, &arrays, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_clear_error (&error);

  /* A length beyond the page. */
  {
    static const char lying[] = "\x02\x00\x00\x00" "ab" "\xff\xff\xff\x7f" "cd";
    g_autofree guint8 *l = exact_copy ((const guint8 *) lying, sizeof lying - 1);

    g_assert_false (rf_pq_plain_byte_array_decode (l, sizeof lying - 1, 2, &arrays, NULL, &error));
    g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
    g_assert_cmpstr (error->message, ==,
                     "PLAIN byte array 2 of 2 claims 2147483647 bytes, but only 2 remain");
  }
}

static void
test_plain_fixed (void)
{
  static const guint8 bytes[] = { 'a', 'b', 'c', 'd', 'e', 'f', 'g' };
  g_auto(RfPqByteArrays) arrays = { 0 };
  g_autoptr(GError) error = NULL;
  static const char * const expected[] = { "abc", "def" };

  g_assert_true (rf_pq_plain_fixed_decode (bytes, sizeof bytes, 3, 2, &arrays, &error));
  g_assert_no_error (error);
  check_arrays (&arrays, expected, 2);
  g_assert_cmpuint (arrays.starts[1], ==, 3);
  rf_pq_byte_arrays_clear (&arrays);

  g_assert_false (rf_pq_plain_fixed_decode (bytes, sizeof bytes, 3, 3, &arrays, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_false (rf_pq_plain_fixed_decode (bytes, sizeof bytes, 0, 3, &arrays, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_false (rf_pq_plain_fixed_decode (bytes, sizeof bytes, 16, G_MAXSIZE / 8, &arrays, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
}

/* ---- DELTA_BINARY_PACKED ---------------------------------------------- */

static gint64 *
decode_delta (const guint8 *bytes,
              gsize         length,
              gsize         max_values,
              gsize        *n,
              gsize        *consumed,
              GError      **error)
{
  g_autofree guint8 *copy = exact_copy (bytes, length);

  return rf_pq_delta_binary_decode (copy, length, max_values, n, consumed, error);
}

static void
check_delta (const guint8 *bytes,
             gsize         length,
             const gint64 *expected,
             gsize         n,
             gboolean      int32)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *values = NULL;
  gsize got = 99, consumed = 0;

  values = decode_delta (bytes, length, n, &got, &consumed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (values);
  g_assert_cmpuint (got, ==, n);
  g_assert_cmpuint (consumed, ==, length);
  for (gsize i = 0; i < n; i++)
    if (int32)
      g_assert_cmpint ((gint32) values[i], ==, (gint32) expected[i]);
    else
      g_assert_cmpint (values[i], ==, expected[i]);
}

static void
check_delta_fails (const guint8 *bytes,
                   gsize         length,
                   gsize         max_values,
                   const char   *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *values = NULL;
  gsize n = 99;

  values = decode_delta (bytes, length, max_values, &n, NULL, &error);
  g_assert_null (values);
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_assert_cmpuint (n, ==, 0);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
test_delta_spec (void)
{
  /* Encodings.md example 1 with a legal block (128 values, 4 miniblocks):
   * 1..5, all deltas 1, every miniblock width 0. */
  static const guint8 example1[] = {
    0x80, 0x01, 0x04, 0x05, 0x02,
    0x02, 0x00, 0x00, 0x00, 0x00,
  };
  static const gint64 one_to_five[] = { 1, 2, 3, 4, 5 };
  /* Example 2: 7, 5, 3, 1, 2, 3, 4, 5: min delta -2, relative deltas
   * 0,0,0,3,3,3,3 in 2 bits, the first miniblock padded to 32 values. */
  static const guint8 example2[] = {
    0x80, 0x01, 0x04, 0x08, 0x0e,
    0x03, 0x02, 0x00, 0x00, 0x00,
    0xc0, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  };
  static const gint64 example2_values[] = { 7, 5, 3, 1, 2, 3, 4, 5 };
  DeltaOptions o = { 128, 4, FALSE, FALSE, 0 };
  g_autoptr(GByteArray) ours = g_byte_array_new ();

  check_delta (example1, sizeof example1, one_to_five, 5, FALSE);
  check_delta (example2, sizeof example2, example2_values, 8, FALSE);

  /* The reference encoder writes exactly these bytes. */
  ref_delta_encode (ours, one_to_five, 5, &o);
  g_assert_cmpmem (ours->data, ours->len, example1, sizeof example1);
  g_byte_array_set_size (ours, 0);
  ref_delta_encode (ours, example2_values, 8, &o);
  g_assert_cmpmem (ours->data, ours->len, example2, sizeof example2);

  /* Header only: one value, or none. */
  {
    static const guint8 single[] = { 0x80, 0x01, 0x04, 0x01, 0x7f };
    static const guint8 none[] = { 0x80, 0x01, 0x04, 0x00, 0x00 };
    static const gint64 minus64[] = { -64 };

    check_delta (single, sizeof single, minus64, 1, FALSE);
    check_delta (none, sizeof none, NULL, 0, FALSE);
  }

  /* What follows the stream is not consumed (DELTA_LENGTH_BYTE_ARRAY's
   * bytes start there). */
  {
    g_autoptr(GByteArray) more = g_byte_array_new ();
    g_autoptr(GError) error = NULL;
    g_autofree gint64 *values = NULL;
    gsize n = 0, consumed = 0;

    put_bytes (more, (const char *) example2, sizeof example2);
    put_bytes (more, "XYZ", 3);
    values = decode_delta (more->data, more->len, 100, &n, &consumed, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 8);
    g_assert_cmpuint (consumed, ==, sizeof example2);
  }
}

static void
test_delta_widths (void)
{
  RfRng rng;

  rf_rng_init (&rng, 64);
  for (guint width = 0; width <= 64; width++)
    {
      const gsize n = 1 + 128 * 2 + 40;   /* two full blocks and part of a third */
      g_autofree gint64 *values = g_new (gint64, n);
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      DeltaOptions o = { 128, 4, FALSE, FALSE, 0 };
      guint64 mask = width == 64 ? G_MAXUINT64 : ((guint64) 1 << width) - 1;
      /* A min delta low enough that min + mask does not overflow, so the
       * encoder's signed minimum is min_delta. */
      guint64 span = G_MAXUINT64 - mask;
      guint64 r = rf_rng_next_u64 (&rng);
      gint64 min_delta = (gint64) ((guint64) G_MININT64 + (span == G_MAXUINT64 ? r : r % (span + 1)));

      /* Relative deltas in [0, 2^width), 0 and the maximum in every
       * miniblock, so the encoder picks exactly this width. */
      values[0] = (gint64) rf_rng_next_u64 (&rng);
      for (gsize i = 1; i < n; i++)
        {
          guint64 rel = rf_rng_next_u64 (&rng) & mask;

          if ((i - 1) % 32 == 3)
            rel = 0;
          if ((i - 1) % 32 == 17)
            rel = mask;
          values[i] = (gint64) ((guint64) values[i - 1] + (guint64) min_delta + rel);
        }
      ref_delta_encode (bytes, values, n, &o);
      g_assert_cmpuint (first_width (bytes), ==, width);
      check_delta (bytes->data, bytes->len, values, n, FALSE);
    }
}

static void
test_delta_shapes (void)
{
  static const gsize counts[] = { 0, 1, 2, 31, 32, 33, 65, 127, 128, 129, 130, 200, 255, 256, 257, 1000, 5000 };
  static const DeltaOptions shapes[] = {
    { 128, 4, FALSE, FALSE, 0 },
    { 128, 1, FALSE, FALSE, 0 },
    { 256, 8, FALSE, FALSE, 0 },
    { 1024, 8, FALSE, FALSE, 0xff },
    { 2048, 8, FALSE, FALSE, 0 },
    { 128, 4, FALSE, TRUE, 0x41 },
    { 128, 4, TRUE, FALSE, 0 },
    { 256, 2, TRUE, TRUE, 0 },
  };
  RfRng rng;

  rf_rng_init (&rng, 5);
  for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (gsize c = 0; c < G_N_ELEMENTS (counts); c++)
      for (guint kind = 0; kind < 4; kind++)
        {
          gsize n = counts[c];
          g_autofree gint64 *values = g_new (gint64, MAX (n, 1));
          g_autoptr(GByteArray) bytes = g_byte_array_new ();
          gboolean int32 = shapes[s].int32;

          for (gsize i = 0; i < n; i++)
            {
              gint64 v;

              switch (kind)
                {
                case 0:   /* a timestamp column: steady steps with jitter */
                  v = 1700000000000 + (gint64) i * 1000 + (gint64) rf_rng_below (&rng, 7);
                  break;
                case 1:   /* negative deltas */
                  v = 50000 - (gint64) i * (gint64) rf_rng_below (&rng, 1000);
                  break;
                case 2:   /* anything */
                  v = (gint64) rf_rng_next_u64 (&rng);
                  break;
                default:  /* extremes, so deltas wrap */
                  v = rf_rng_below (&rng, 2) ? (int32 ? G_MAXINT32 : G_MAXINT64)
                                             : (int32 ? G_MININT32 : G_MININT64);
                  break;
                }
              values[i] = int32 ? (gint32) v : v;
            }
          ref_delta_encode (bytes, values, n, &shapes[s]);
          check_delta (bytes->data, bytes->len, values, n, int32);
        }
}

static void
test_delta_int32_wrap (void)
{
  /* INT32 writers compute deltas modulo 2^32, so min delta and widths stay
   * within 32 bits; the low 32 bits of the 64-bit sums are the values. */
  static const gint64 values[] = { G_MAXINT32, G_MININT32, 0, -1, G_MAXINT32, 5, G_MININT32 + 3 };
  DeltaOptions o = { 128, 4, TRUE, FALSE, 0 };
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  ref_delta_encode (bytes, values, G_N_ELEMENTS (values), &o);
  check_delta (bytes->data, bytes->len, values, G_N_ELEMENTS (values), TRUE);
  /* Deltas modulo 2^32 need all 32 bits here, and never more. */
  g_assert_cmpuint (first_width (bytes), ==, 32);
}

static void
test_delta_malformed (void)
{
  static const gint64 ramp[] = { 10, 20, 25, 40, 41, 42, 60, 61, 90, 100 };
  DeltaOptions padded = { 128, 4, FALSE, FALSE, 0 };
  DeltaOptions unpadded = { 128, 4, FALSE, TRUE, 0 };
  g_autoptr(GByteArray) full = g_byte_array_new ();
  g_autoptr(GByteArray) minimal = g_byte_array_new ();

  ref_delta_encode (full, ramp, 10, &padded);
  ref_delta_encode (minimal, ramp, 10, &unpadded);
  g_assert_cmpuint (minimal->len, <, full->len);
  check_delta (minimal->data, minimal->len, ramp, 10, FALSE);

  /* Every cut: short of the values' bits fails, inside the padding of
   * the last miniblock decodes. */
  for (gsize cut = 0; cut < full->len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree gint64 *values = NULL;
      gsize n = 0, consumed = 0;

      values = decode_delta (full->data, cut, 10, &n, &consumed, &error);
      if (cut < minimal->len)
        {
          g_assert_null (values);
          g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpuint (n, ==, 10);
          g_assert_cmpuint (consumed, ==, cut);
          g_assert_cmpmem (values, sizeof ramp, ramp, sizeof ramp);
        }
    }

  /* More values than the page holds. */
  check_delta_fails (full->data, full->len, 9,
                     "DELTA_BINARY_PACKED claims 10 values, but the page holds at most 9");
  {
    static const guint8 absurd[] = { 0x80, 0x01, 0x04, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00 };
    check_delta_fails (absurd, sizeof absurd, 1000000, NULL);
    check_delta_fails (absurd, sizeof absurd, G_MAXSIZE, NULL);
  }

  /* Block and miniblock sizes the spec forbids (its examples' block of 8
   * included). */
  {
    static const guint8 block8[] = { 0x08, 0x01, 0x05, 0x02, 0x02, 0x00 };
    static const guint8 block0[] = { 0x00, 0x01, 0x05, 0x02, 0x02, 0x00 };
    static const guint8 block100[] = { 0x64, 0x01, 0x05, 0x02, 0x02, 0x00 };
    static const guint8 mini0[] = { 0x80, 0x01, 0x00, 0x05, 0x02, 0x02, 0x00 };
    static const guint8 mini3[] = { 0x80, 0x01, 0x03, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00 };
    static const guint8 mini8[] = { 0x80, 0x01, 0x08, 0x05, 0x02, 0x02, 0, 0, 0, 0, 0, 0, 0, 0 };
    static const guint8 huge_block[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x01, 0x05, 0x02 };

    check_delta_fails (block8, sizeof block8, 100,
                       "DELTA_BINARY_PACKED block size 8 is not a positive multiple of 128");
    check_delta_fails (block0, sizeof block0, 100, NULL);
    check_delta_fails (block100, sizeof block100, 100, NULL);
    check_delta_fails (mini0, sizeof mini0, 100, NULL);
    check_delta_fails (mini3, sizeof mini3, 100, NULL);
    check_delta_fails (mini8, sizeof mini8, 100,
                       "DELTA_BINARY_PACKED has 8 miniblocks per block of 128 values; "
                       "each must hold a multiple of 32");
    check_delta_fails (huge_block, sizeof huge_block, 100, NULL);
  }

  /* Bit width 65 in a miniblock that holds values; anything goes in one
   * that does not. */
  {
    static const guint8 wide[] = { 0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x41, 0x00, 0x00, 0x00 };
    static const guint8 unused[] = { 0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0xff, 0x41, 0xc8 };
    static const gint64 one_to_five[] = { 1, 2, 3, 4, 5 };

    check_delta_fails (wide, sizeof wide, 100,
                       "DELTA_BINARY_PACKED miniblock has bit width 65; at most 64 is allowed");
    check_delta (unused, sizeof unused, one_to_five, 5, FALSE);
  }

  /* An overlong varint in the header, and an empty stream. */
  {
    static const guint8 overlong[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x04, 0x05, 0x02 };
    check_delta_fails (overlong, sizeof overlong, 100, NULL);
    check_delta_fails (NULL, 0, 100, "DELTA_BINARY_PACKED header is cut off or malformed");
  }
}

/* ---- DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY ------------------------- */

static void
put_lengths (GByteArray         *out,
             const gint64       *lengths,
             gsize               n)
{
  DeltaOptions o = { 128, 4, TRUE, FALSE, 0 };
  ref_delta_encode (out, lengths, n, &o);
}

static void
test_delta_length (void)
{
  /* Encodings.md: "Hello", "World", "Foobar", "ABCDEF". */
  static const gint64 lengths[] = { 5, 5, 6, 6 };
  static const char * const expected[] = { "Hello", "World", "Foobar", "ABCDEF" };
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_auto(RfPqByteArrays) arrays = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *copy = NULL;
  gsize data_at;

  put_lengths (bytes, lengths, 4);
  data_at = bytes->len;
  put_bytes (bytes, "HelloWorldFoobarABCDEF", 22);
  copy = exact_copy (bytes->data, bytes->len);

  g_assert_true (rf_pq_delta_length_decode (copy, bytes->len, 4, &arrays, &error));
  g_assert_no_error (error);
  check_arrays (&arrays, expected, 4);
  g_assert_true (arrays.base == copy);
  g_assert_cmpuint (arrays.starts[0], ==, data_at);
  g_assert_cmpuint (arrays.starts[3], ==, data_at + 16);
  rf_pq_byte_arrays_clear (&arrays);

  /* Every cut. */
  for (gsize cut = 0; cut < bytes->len; cut++)
    {
      g_autofree guint8 *shorter = exact_copy (bytes->data, cut);

      g_assert_false (rf_pq_delta_length_decode (shorter, cut, 4, &arrays, &error));
      g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
      g_assert_null (arrays.starts);
      g_clear_error (&error);
    }

  /* The page says 5 values, or 3. */
  g_assert_false (rf_pq_delta_length_decode (copy, bytes->len, 5, &arrays, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "DELTA_LENGTH_BYTE_ARRAY holds 4 lengths, but the page has 5 values");
  g_clear_error (&error);
  g_assert_false (rf_pq_delta_length_decode (copy, bytes->len, 3, &arrays, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_clear_error (&error);

  /* A negative length, and lengths beyond the bytes. */
  {
    static const gint64 negative[] = { 3, -1, 2 };
    static const gint64 long_ones[] = { 3, G_MAXINT32, 2 };
    g_autoptr(GByteArray) bad = g_byte_array_new ();

    put_lengths (bad, negative, 3);
    put_bytes (bad, "abcdefgh", 8);
    g_assert_false (rf_pq_delta_length_decode (bad->data, bad->len, 3, &arrays, &error));
    g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
    g_assert_cmpstr (error->message, ==, "DELTA_LENGTH_BYTE_ARRAY: value 2 has negative length -1");
    g_clear_error (&error);

    g_byte_array_set_size (bad, 0);
    put_lengths (bad, long_ones, 3);
    put_bytes (bad, "abcdefgh", 8);
    g_assert_false (rf_pq_delta_length_decode (bad->data, bad->len, 3, &arrays, &error));
    g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
    g_assert_cmpstr (error->message, ==,
                     "DELTA_LENGTH_BYTE_ARRAY lengths add up to 2147483652 bytes, but only 8 follow them");
    g_clear_error (&error);
  }
}

static GByteArray *
delta_strings (const gint64 *prefixes,
               const gint64 *suffix_lengths,
               gsize         n,
               const char   *suffixes)
{
  GByteArray *bytes = g_byte_array_new ();

  put_lengths (bytes, prefixes, n);
  put_lengths (bytes, suffix_lengths, n);
  put_bytes (bytes, suffixes, strlen (suffixes));
  return bytes;
}

static void
test_delta_byte_array (void)
{
  /* Encodings.md: "axis", "axle", "babble", "babyhood". */
  static const gint64 prefixes[] = { 0, 2, 0, 3 };
  static const gint64 suffixes[] = { 4, 2, 6, 5 };
  static const char * const expected[] = { "axis", "axle", "babble", "babyhood" };
  g_autoptr(GByteArray) bytes = delta_strings (prefixes, suffixes, 4, "axislebabbleyhood");
  g_auto(RfPqByteArrays) arrays = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *copy = exact_copy (bytes->data, bytes->len);

  g_assert_true (rf_pq_delta_byte_array_decode (copy, bytes->len, 4, 1000, &arrays, &error));
  g_assert_no_error (error);
  check_arrays (&arrays, expected, 4);
  g_assert_nonnull (arrays.owned);
  g_assert_true (arrays.base == arrays.owned->data);
  g_assert_cmpuint (arrays.owned->len, ==, 22);
  rf_pq_byte_arrays_clear (&arrays);

  /* Exactly at the output limit, and one byte under it. */
  g_assert_true (rf_pq_delta_byte_array_decode (copy, bytes->len, 4, 22, &arrays, &error));
  g_assert_no_error (error);
  rf_pq_byte_arrays_clear (&arrays);
  g_assert_false (rf_pq_delta_byte_array_decode (copy, bytes->len, 4, 21, &arrays, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "DELTA_BYTE_ARRAY values add up to more than 21 bytes");
  g_clear_error (&error);

  /* Every cut. */
  for (gsize cut = 0; cut < bytes->len; cut++)
    {
      g_autofree guint8 *shorter = exact_copy (bytes->data, cut);

      g_assert_false (rf_pq_delta_byte_array_decode (shorter, cut, 4, 1000, &arrays, &error));
      g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
      g_assert_null (arrays.owned);
      g_clear_error (&error);
    }

  /* Counts that disagree with the page. */
  g_assert_false (rf_pq_delta_byte_array_decode (copy, bytes->len, 5, 1000, &arrays, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_clear_error (&error);

  /* A prefix longer than the value before it, and a first value with a
   * prefix. */
  {
    static const gint64 too_long[] = { 0, 5, 0, 3 };
    static const gint64 first[] = { 1, 2, 0, 3 };
    g_autoptr(GByteArray) bad = delta_strings (too_long, suffixes, 4, "axislebabbleyhood");
    g_autoptr(GByteArray) bad_first = delta_strings (first, suffixes, 4, "axislebabbleyhood");

    g_assert_false (rf_pq_delta_byte_array_decode (bad->data, bad->len, 4, 1000, &arrays, &error));
    g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
    g_assert_cmpstr (error->message, ==,
                     "DELTA_BYTE_ARRAY value 2 shares a 5-byte prefix with a value only 4 bytes long");
    g_clear_error (&error);
    g_assert_false (rf_pq_delta_byte_array_decode (bad_first->data, bad_first->len, 4, 1000, &arrays, &error));
    g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
    g_clear_error (&error);
  }

  /* A small page that would expand enormously: 20,000 values each
   * repeating a 1000-byte prefix. Refused by the output limit. */
  {
    const gsize n = 20000;
    g_autofree gint64 *p = g_new0 (gint64, n);
    g_autofree gint64 *s = g_new0 (gint64, n);
    g_autofree char *first = g_strnfill (1000, 'x');
    g_autoptr(GByteArray) bomb = NULL;

    s[0] = 1000;
    for (gsize i = 1; i < n; i++)
      p[i] = 1000;
    bomb = delta_strings (p, s, n, first);
    g_assert_cmpuint (bomb->len, <, 3000);
    g_assert_false (rf_pq_delta_byte_array_decode (bomb->data, bomb->len, n, 8 * 1024 * 1024,
                                                   &arrays, &error));
    g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
    g_clear_error (&error);
    /* With room it decodes. */
    g_assert_true (rf_pq_delta_byte_array_decode (bomb->data, bomb->len, n, n * 1000,
                                                  &arrays, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (arrays.lengths[n - 1], ==, 1000);
    g_assert_cmpmem (arrays.base + arrays.starts[n - 1], 1000, first, 1000);
  }
}

/* ---- BYTE_STREAM_SPLIT ------------------------------------------------ */

static void
test_byte_stream_split (void)
{
  /* Encodings.md: three floats AA BB CC DD, 00 11 22 33, A3 B4 C5 D6. */
  static const guint8 spec[] = { 0xaa, 0x00, 0xa3, 0xbb, 0x11, 0xb4, 0xcc, 0x22, 0xc5, 0xdd, 0x33, 0xd6 };
  static const guint8 plain[] = { 0xaa, 0xbb, 0xcc, 0xdd, 0x00, 0x11, 0x22, 0x33, 0xa3, 0xb4, 0xc5, 0xd6 };
  static const gsize widths[] = { 2, 4, 8, 5, 1, 16 };
  guint8 out[12];
  g_autoptr(GError) error = NULL;
  RfRng rng;

  g_assert_true (rf_pq_byte_stream_split_decode (spec, sizeof spec, 4, 3, out, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (out, sizeof out, plain, sizeof plain);

  rf_rng_init (&rng, 77);
  for (gsize w = 0; w < G_N_ELEMENTS (widths); w++)
    for (gsize n = 0; n < 300; n += 1 + n / 3)
      {
        gsize width = widths[w];
        g_autofree guint8 *values = g_malloc (MAX (n * width, 1));
        g_autofree guint8 *split = g_malloc (MAX (n * width, 1));
        g_autofree guint8 *back = g_malloc (MAX (n * width, 1));

        for (gsize i = 0; i < n * width; i++)
          values[i] = (guint8) rf_rng_next_u64 (&rng);
        for (gsize i = 0; i < n; i++)
          for (gsize k = 0; k < width; k++)
            split[k * n + i] = values[i * width + k];
        g_assert_true (rf_pq_byte_stream_split_decode (split, n * width, width, n, back, &error));
        g_assert_no_error (error);
        g_assert_cmpmem (back, n * width, values, n * width);

        if (n > 0)
          {
            g_assert_false (rf_pq_byte_stream_split_decode (split, n * width - 1, width, n, back, &error));
            g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
            g_clear_error (&error);
          }
      }

  g_assert_false (rf_pq_byte_stream_split_decode (spec, sizeof spec, 4, 4, out, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "BYTE_STREAM_SPLIT streams of 3 bytes hold 3 values, but the page has 4");
  g_clear_error (&error);
  g_assert_false (rf_pq_byte_stream_split_decode (spec, sizeof spec, 0, 1, out, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/parquet/encoding/bit-width", test_bit_width);
  g_test_add_func ("/rf/parquet/encoding/rle-spec", test_rle_spec);
  g_test_add_func ("/rf/parquet/encoding/rle-malformed", test_rle_malformed);
  g_test_add_func ("/rf/parquet/encoding/rle-round-trip", test_rle_round_trip);
  g_test_add_func ("/rf/parquet/encoding/rle-encode-exact", test_rle_encode_exact);
  g_test_add_func ("/rf/parquet/encoding/bit-packed", test_bit_packed);
  g_test_add_func ("/rf/parquet/encoding/plain-bool", test_plain_bool);
  g_test_add_func ("/rf/parquet/encoding/plain-byte-array", test_plain_byte_array);
  g_test_add_func ("/rf/parquet/encoding/plain-fixed", test_plain_fixed);
  g_test_add_func ("/rf/parquet/encoding/delta-spec", test_delta_spec);
  g_test_add_func ("/rf/parquet/encoding/delta-widths", test_delta_widths);
  g_test_add_func ("/rf/parquet/encoding/delta-shapes", test_delta_shapes);
  g_test_add_func ("/rf/parquet/encoding/delta-int32-wrap", test_delta_int32_wrap);
  g_test_add_func ("/rf/parquet/encoding/delta-malformed", test_delta_malformed);
  g_test_add_func ("/rf/parquet/encoding/delta-length", test_delta_length);
  g_test_add_func ("/rf/parquet/encoding/delta-byte-array", test_delta_byte_array);
  g_test_add_func ("/rf/parquet/encoding/byte-stream-split", test_byte_stream_split);

  return g_test_run ();
}

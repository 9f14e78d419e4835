/* test-parquet-codec.c: the Parquet page codecs (rf-parquet-codec.h):
 * round trips, hand-made streams with known contents, corrupt and lying
 * input, concatenated gzip members, names and unsupported codecs. */
#include "config.h"

#include <string.h>

#include <zlib.h>

#include "rf-error.h"
#include "rf-parquet-codec.h"
#include "rf-rng.h"
#include "rf-test-util.h"

static const RfPqCodec all_codecs[] = {
  RF_PQ_CODEC_UNCOMPRESSED,
  RF_PQ_CODEC_SNAPPY,
  RF_PQ_CODEC_GZIP,
  RF_PQ_CODEC_ZSTD,
#if HAVE_LZ4
  RF_PQ_CODEC_LZ4_RAW,
#endif
#if HAVE_BROTLI
  RF_PQ_CODEC_BROTLI,
#endif
};

/* The codecs whose decompressor can tell good bytes from bad. */
static const RfPqCodec compressing_codecs[] = {
  RF_PQ_CODEC_SNAPPY,
  RF_PQ_CODEC_GZIP,
  RF_PQ_CODEC_ZSTD,
#if HAVE_LZ4
  RF_PQ_CODEC_LZ4_RAW,
#endif
#if HAVE_BROTLI
  RF_PQ_CODEC_BROTLI,
#endif
};

typedef enum
{
  DATA_TEXT,
  DATA_RANDOM,
  DATA_ZEROS,
} DataKind;

static guint8 *
make_data (DataKind kind,
           gsize    length)
{
  guint8 *data = g_malloc (MAX (length, 1));
  RfRng rng;

  switch (kind)
    {
    case DATA_TEXT:
      {
        static const char line[] =
          "2024-03-01 12:00:00,motor-7,bearing_temp,71.25,degC,OK\n";
        for (gsize i = 0; i < length; i++)
          data[i] = (guint8) line[(i * 7 / 5 + i / 131) % (sizeof line - 1)];
      }
      break;
    case DATA_RANDOM:
      rf_rng_init (&rng, 42 + length);
      for (gsize i = 0; i < length; i++)
        data[i] = (guint8) rf_rng_next_u64 (&rng);
      break;
    case DATA_ZEROS:
      memset (data, 0, length);
      break;
    }
  return data;
}

static GByteArray *
compress_ok (RfPqCodec     codec,
             int           level,
             const guint8 *src,
             gsize         length)
{
  g_autoptr(GError) error = NULL;
  GByteArray *out = g_byte_array_new ();
  static const guint8 prefix[] = { 'P', 'R', 'E' };

  /* rf_pq_compress appends: what was there stays. */
  g_byte_array_append (out, prefix, sizeof prefix);
  g_assert_true (rf_pq_compress (codec, level, src, length, out, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (out->data, sizeof prefix, prefix, sizeof prefix);
  g_byte_array_remove_range (out, 0, sizeof prefix);
  return out;
}

static void
check_round_trip (RfPqCodec     codec,
                  int           level,
                  const guint8 *src,
                  gsize         length)
{
  g_autoptr(GByteArray) packed = compress_ok (codec, level, src, length);
  g_autofree guint8 *back = g_malloc (length + 1);
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_pq_decompress (codec, packed->data, packed->len, back, length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (back, length, src, length);
}

static void
test_round_trip (void)
{
  static const gsize sizes[] = { 0, 1, 1000, 1024 * 1024 };

  for (gsize c = 0; c < G_N_ELEMENTS (all_codecs); c++)
    for (DataKind kind = DATA_TEXT; kind <= DATA_ZEROS; kind++)
      for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          g_autofree guint8 *src = make_data (kind, sizes[s]);

          g_test_message ("codec %d, data %d, %" G_GSIZE_FORMAT " bytes",
                          all_codecs[c], kind, sizes[s]);
          check_round_trip (all_codecs[c], 0, src, sizes[s]);
        }
}

static void
test_levels (void)
{
  g_autofree guint8 *src = make_data (DATA_TEXT, 200 * 1000);
  g_autoptr(GByteArray) fast = NULL;
  g_autoptr(GByteArray) best = NULL;

  check_round_trip (RF_PQ_CODEC_ZSTD, 1, src, 200 * 1000);
  check_round_trip (RF_PQ_CODEC_ZSTD, 19, src, 200 * 1000);
  check_round_trip (RF_PQ_CODEC_ZSTD, -5, src, 200 * 1000);
  check_round_trip (RF_PQ_CODEC_ZSTD, 1000, src, 200 * 1000);
  check_round_trip (RF_PQ_CODEC_GZIP, 1, src, 200 * 1000);
  check_round_trip (RF_PQ_CODEC_GZIP, 9, src, 200 * 1000);
#if HAVE_BROTLI
  check_round_trip (RF_PQ_CODEC_BROTLI, 11, src, 200 * 1000);
#endif

  /* Levels reach the library: the best level is no bigger than the fastest. */
  fast = compress_ok (RF_PQ_CODEC_GZIP, 1, src, 200 * 1000);
  best = compress_ok (RF_PQ_CODEC_GZIP, 9, src, 200 * 1000);
  g_assert_cmpuint (best->len, <=, fast->len);
}

static void
check_decompress (RfPqCodec     codec,
                  const guint8 *src,
                  gsize         src_length,
                  const char   *expected)
{
  gsize length = strlen (expected);
  g_autofree guint8 *out = g_malloc (length + 1);
  g_autoptr(GError) error = NULL;

  gboolean ok = rf_pq_decompress (codec, src, src_length, out, length, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpmem (out, length, expected, length);
}

static void
check_decompress_fails (RfPqCodec     codec,
                        const guint8 *src,
                        gsize         src_length,
                        gsize         dst_length,
                        int           code)
{
  g_autofree guint8 *out = g_malloc (dst_length + 1);
  g_autoptr(GError) error = NULL;

  g_assert_false (rf_pq_decompress (codec, src, src_length, out, dst_length, &error));
  g_assert_error (error, RF_ERROR, code);
  g_test_message ("codec %d: %s", codec, error->message);
}

/* Streams written out by hand from each format's description. */
static void
test_known_streams (void)
{
  /* SNAPPY: varint length 5, then one literal of 5 bytes (tag (5-1) << 2). */
  static const guint8 snappy[] = { 0x05, 0x10, 'h', 'e', 'l', 'l', 'o' };
  /* SNAPPY: "ab" then a copy of offset 2, length 4 (tag 01: length-4 in
   * bits 2..4, offset high bits 5..7, then the low offset byte). */
  static const guint8 snappy_copy[] = { 0x06, 0x04, 'a', 'b', 0x01, 0x02 };
  /* GZIP of "hello" with an empty header (no name, no time), deflate
   * fixed Huffman block, CRC-32 and length. */
  static const guint8 gzip[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
    0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00,
    0x86, 0xa6, 0x10, 0x36, 0x05, 0x00, 0x00, 0x00,
  };
  /* ZSTD: magic, frame header descriptor 0x20 (single segment, 1-byte
   * content size), size 5, then one last raw block of 5 bytes. */
  static const guint8 zstd[] = {
    0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x05, 0x29, 0x00, 0x00, 'h', 'e', 'l', 'l', 'o',
  };
  /* Two such frames back to back decode to their concatenation. */
  static const guint8 zstd2[] = {
    0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x05, 0x29, 0x00, 0x00, 'h', 'e', 'l', 'l', 'o',
    0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x03, 0x19, 0x00, 0x00, 'a', 'b', 'c',
  };
  /* A zlib (not gzip) stream is accepted too. */
  static const guint8 zlib_stream[] = {
    0x78, 0x9c, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x06, 0x2c, 0x02, 0x15,
  };

  check_decompress (RF_PQ_CODEC_SNAPPY, snappy, sizeof snappy, "hello");
  check_decompress (RF_PQ_CODEC_SNAPPY, snappy_copy, sizeof snappy_copy, "ababab");
  check_decompress (RF_PQ_CODEC_GZIP, gzip, sizeof gzip, "hello");
  check_decompress (RF_PQ_CODEC_GZIP, zlib_stream, sizeof zlib_stream, "hello");
  check_decompress (RF_PQ_CODEC_ZSTD, zstd, sizeof zstd, "hello");
  check_decompress (RF_PQ_CODEC_ZSTD, zstd2, sizeof zstd2, "helloabc");
  check_decompress (RF_PQ_CODEC_UNCOMPRESSED, (const guint8 *) "hello", 5, "hello");
#if HAVE_LZ4
  {
    /* LZ4 block: token 0x50 (5 literals, no match), the literals. */
    static const guint8 lz4[] = { 0x50, 'h', 'e', 'l', 'l', 'o' };
    /* "ab", then a match at offset 2 of 4 + 2 bytes, then 12 literals
     * (the format wants the last match 12 bytes before the end). */
    static const guint8 lz4_match[] = {
      0x22, 'a', 'b', 0x02, 0x00,
      0xc0, 'v', 'w', 'x', 'y', 'z', '1', '2', '3', '4', '5', '6', '7',
    };

    check_decompress (RF_PQ_CODEC_LZ4_RAW, lz4, sizeof lz4, "hello");
    check_decompress (RF_PQ_CODEC_LZ4_RAW, lz4_match, sizeof lz4_match, "ababababvwxyz1234567");
  }
#endif
#if HAVE_BROTLI
  {
    /* Brotli: window 10 bits... compressed by hand is long-winded, so check
     * the empty stream (one byte: ISLAST, ISLASTEMPTY) and a round trip. */
    static const guint8 brotli_empty[] = { 0x06 };
    guint8 out[1];
    g_autoptr(GError) error = NULL;

    g_assert_true (rf_pq_decompress (RF_PQ_CODEC_BROTLI, brotli_empty, 1, out, 0, &error));
    g_assert_no_error (error);
  }
#endif

  /* Exact compressed forms of a tiny input. */
  {
    g_autoptr(GByteArray) s = compress_ok (RF_PQ_CODEC_SNAPPY, 0, (const guint8 *) "a", 1);
    g_autoptr(GByteArray) g = compress_ok (RF_PQ_CODEC_GZIP, 0, (const guint8 *) "hello", 5);
    g_autoptr(GByteArray) z = compress_ok (RF_PQ_CODEC_ZSTD, 0, (const guint8 *) "hello", 5);
    static const guint8 snappy_a[] = { 0x01, 0x00, 'a' };
    static const guint8 gzip_magic[] = { 0x1f, 0x8b, 0x08 };
    static const guint8 zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };
    /* The gzip trailer: CRC-32 of "hello", then the length 5. */
    static const guint8 gzip_trailer[] = { 0x86, 0xa6, 0x10, 0x36, 0x05, 0x00, 0x00, 0x00 };

    g_assert_cmpmem (s->data, s->len, snappy_a, sizeof snappy_a);
    g_assert_cmpmem (g->data, 3, gzip_magic, 3);
    g_assert_cmpmem (g->data + g->len - 8, 8, gzip_trailer, 8);
    g_assert_cmpmem (z->data, 4, zstd_magic, 4);
  }
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  guint8 dst[4];

  /* No bytes at all for an empty page: valid for every codec. */
  for (gsize c = 0; c < G_N_ELEMENTS (all_codecs); c++)
    {
      g_assert_true (rf_pq_decompress (all_codecs[c], NULL, 0, NULL, 0, &error));
      g_assert_no_error (error);
      g_assert_true (rf_pq_decompress (all_codecs[c], dst, 0, dst, 0, &error));
      g_assert_no_error (error);
    }
  /* ... but not when the header promises bytes. */
  for (gsize c = 0; c < G_N_ELEMENTS (all_codecs); c++)
    check_decompress_fails (all_codecs[c], NULL, 0, 4, RF_ERROR_PARSE);
}

static void
test_wrong_size (void)
{
  g_autofree guint8 *src = make_data (DATA_TEXT, 10000);

  for (gsize c = 0; c < G_N_ELEMENTS (all_codecs); c++)
    {
      RfPqCodec codec = all_codecs[c];
      g_autoptr(GByteArray) packed = compress_ok (codec, 0, src, 10000);
      g_autoptr(GByteArray) tiny = compress_ok (codec, 0, src, 1);

      /* The header promises more bytes than the data holds, or fewer. */
      check_decompress_fails (codec, packed->data, packed->len, 10001, RF_ERROR_PARSE);
      check_decompress_fails (codec, packed->data, packed->len, 20000, RF_ERROR_PARSE);
      check_decompress_fails (codec, packed->data, packed->len, 9999, RF_ERROR_PARSE);
      check_decompress_fails (codec, packed->data, packed->len, 1, RF_ERROR_PARSE);
      check_decompress_fails (codec, tiny->data, tiny->len, 0, RF_ERROR_PARSE);
    }
}

static void
test_corrupt (void)
{
  g_autofree guint8 *src = make_data (DATA_TEXT, 50000);

  for (gsize c = 0; c < G_N_ELEMENTS (compressing_codecs); c++)
    {
      RfPqCodec codec = compressing_codecs[c];
      g_autoptr(GByteArray) packed = compress_ok (codec, 0, src, 50000);
      g_autofree guint8 *copy = g_memdup2 (packed->data, packed->len);

      /* Cut short, at a few places and by one byte. */
      check_decompress_fails (codec, packed->data, packed->len - 1, 50000, RF_ERROR_PARSE);
      check_decompress_fails (codec, packed->data, packed->len / 2, 50000, RF_ERROR_PARSE);
      check_decompress_fails (codec, packed->data, 1, 50000, RF_ERROR_PARSE);

      /* Trailing garbage after a complete stream (snappy and lz4 blocks
       * have no end marker, but their lengths then disagree). */
      {
        g_autoptr(GByteArray) longer = g_byte_array_new ();
        static const guint8 junk[] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };

        g_byte_array_append (longer, packed->data, packed->len);
        g_byte_array_append (longer, junk, sizeof junk);
        check_decompress_fails (codec, longer->data, longer->len, 50000, RF_ERROR_PARSE);
      }

      /* Flipped bytes in the middle. A codec without checksums may decode
       * them to other bytes of the right length, but never crash. */
      for (gsize at = 0; at < packed->len; at += MAX (packed->len / 37, (gsize) 1))
        {
          g_autofree guint8 *out = g_malloc (50000);
          g_autoptr(GError) error = NULL;

          memcpy (copy, packed->data, packed->len);
          copy[at] ^= 0xa5;
          if (!rf_pq_decompress (codec, copy, packed->len, out, 50000, &error))
            g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
        }
    }

  /* A ZSTD frame with a damaged magic number or frame header. */
  {
    g_autoptr(GByteArray) packed = compress_ok (RF_PQ_CODEC_ZSTD, 0, src, 50000);

    for (gsize at = 0; at < 6; at++)
      {
        g_autofree guint8 *copy = g_memdup2 (packed->data, packed->len);
        copy[at] ^= 0xff;
        check_decompress_fails (RF_PQ_CODEC_ZSTD, copy, packed->len, 50000, RF_ERROR_PARSE);
      }
  }

  /* GZIP: a damaged header byte (compression method) and a wrong CRC. */
  {
    g_autoptr(GByteArray) packed = compress_ok (RF_PQ_CODEC_GZIP, 0, src, 50000);
    g_autofree guint8 *copy = g_memdup2 (packed->data, packed->len);
    g_autoptr(GError) error = NULL;
    g_autofree guint8 *out = g_malloc (50000);

    copy[2] = 0x07;
    check_decompress_fails (RF_PQ_CODEC_GZIP, copy, packed->len, 50000, RF_ERROR_PARSE);
    memcpy (copy, packed->data, packed->len);
    copy[packed->len - 6] ^= 0x01;
    g_assert_false (rf_pq_decompress (RF_PQ_CODEC_GZIP, copy, packed->len, out, 50000, &error));
    g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
    g_assert_nonnull (strstr (error->message, "GZIP"));
  }

  /* SNAPPY: a length header that is not a varint. */
  {
    static const guint8 bad[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    check_decompress_fails (RF_PQ_CODEC_SNAPPY, bad, sizeof bad, 10, RF_ERROR_PARSE);
  }
}

static void
gzip_member (GByteArray   *out,
             const char   *text,
             int           window_bits)
{
  z_stream zs;
  guint8 buffer[256];

  memset (&zs, 0, sizeof zs);
  g_assert_cmpint (deflateInit2 (&zs, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  zs.next_in = (Bytef *) text;
  zs.avail_in = (uInt) strlen (text);
  zs.next_out = buffer;
  zs.avail_out = sizeof buffer;
  g_assert_cmpint (deflate (&zs, Z_FINISH), ==, Z_STREAM_END);
  g_byte_array_append (out, buffer, (guint) zs.total_out);
  deflateEnd (&zs);
}

static void
test_gzip_members (void)
{
  g_autoptr(GByteArray) members = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 out[64];

  /* Three gzip members and a zlib one: the page is their concatenation. */
  gzip_member (members, "sensor,", 15 + 16);
  gzip_member (members, "value\n", 15 + 16);
  gzip_member (members, "", 15 + 16);
  gzip_member (members, "t1,2.5\n", 15);
  check_decompress (RF_PQ_CODEC_GZIP, members->data, members->len, "sensor,value\nt1,2.5\n");

  /* The header promises fewer bytes than the members hold. */
  g_assert_false (rf_pq_decompress (RF_PQ_CODEC_GZIP, members->data, members->len, out, 10, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_clear_error (&error);
  /* ... or more. */
  g_assert_false (rf_pq_decompress (RF_PQ_CODEC_GZIP, members->data, members->len, out, 30, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_clear_error (&error);
  /* The second member cut short. */
  g_assert_false (rf_pq_decompress (RF_PQ_CODEC_GZIP, members->data, 30, out, 20, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
}

/* The data page of parquet-testing's concatenated_gzip_members.parquet: a
 * DATA_PAGE_V2 of 513 INT64 values 1..513 whose compressed bytes are two
 * gzip members (the first ends after exactly 4096 bytes). The compressed
 * bytes sit at offsets 55..1471 of the file. */
static void
test_gzip_members_corpus (void)
{
  g_autofree char *path = rf_test_shared_path ("corpus/parquet/parquet-testing/data/concatenated_gzip_members.parquet");
  g_autofree char *contents = NULL;
  g_autofree guint8 *out = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (path == NULL)
    return;
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 1647);
  g_assert_cmpint ((guint8) contents[55], ==, 0x1f);
  g_assert_cmpint ((guint8) contents[56], ==, 0x8b);

  out = g_malloc (513 * 8);
  g_assert_true (rf_pq_decompress (RF_PQ_CODEC_GZIP, (const guint8 *) contents + 55, 1471 - 55,
                                   out, 513 * 8, &error));
  g_assert_no_error (error);
  for (gint64 i = 0; i < 513; i++)
    {
      gint64 v;
      memcpy (&v, out + i * 8, 8);
      g_assert_cmpint (GINT64_FROM_LE (v), ==, i + 1);
    }
}

static void
test_from_string (void)
{
  static const struct
  {
    const char *text;
    RfPqCodec codec;
  } good[] = {
    { "zstd", RF_PQ_CODEC_ZSTD },
    { "ZSTD", RF_PQ_CODEC_ZSTD },
    { "snappy", RF_PQ_CODEC_SNAPPY },
    { "Snappy", RF_PQ_CODEC_SNAPPY },
    { "gzip", RF_PQ_CODEC_GZIP },
    { "none", RF_PQ_CODEC_UNCOMPRESSED },
    { "uncompressed", RF_PQ_CODEC_UNCOMPRESSED },
    { "UNCOMPRESSED", RF_PQ_CODEC_UNCOMPRESSED },
    { "lz4_raw", RF_PQ_CODEC_LZ4_RAW },
    { "lz4", RF_PQ_CODEC_LZ4_RAW },
    { "LZ4", RF_PQ_CODEC_LZ4_RAW },
    { "brotli", RF_PQ_CODEC_BROTLI },
  };
  static const char *bad[] = { "", "zst", "zstd ", " gzip", "lzo", "lz4-raw", "deflate", "7" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      RfPqCodec codec = RF_PQ_CODEC_LZO;

      g_assert_true (rf_pq_codec_from_string (good[i].text, &codec));
      g_assert_cmpint (codec, ==, good[i].codec);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      RfPqCodec codec = RF_PQ_CODEC_LZO;

      g_assert_false (rf_pq_codec_from_string (bad[i], &codec));
      g_assert_cmpint (codec, ==, RF_PQ_CODEC_LZO);
    }
  {
    RfPqCodec codec = RF_PQ_CODEC_LZO;
    g_assert_false (rf_pq_codec_from_string (NULL, &codec));
  }
}

static void
test_unsupported (void)
{
  static const guint8 src[] = { 1, 2, 3, 4 };
  guint8 dst[16];
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();

  g_assert_true (rf_pq_codec_is_supported (RF_PQ_CODEC_UNCOMPRESSED));
  g_assert_true (rf_pq_codec_is_supported (RF_PQ_CODEC_SNAPPY));
  g_assert_true (rf_pq_codec_is_supported (RF_PQ_CODEC_GZIP));
  g_assert_true (rf_pq_codec_is_supported (RF_PQ_CODEC_ZSTD));
  g_assert_cmpint (rf_pq_codec_is_supported (RF_PQ_CODEC_LZ4_RAW), ==, HAVE_LZ4);
  g_assert_cmpint (rf_pq_codec_is_supported (RF_PQ_CODEC_BROTLI), ==, HAVE_BROTLI);
  g_assert_false (rf_pq_codec_is_supported (RF_PQ_CODEC_LZO));
  g_assert_false (rf_pq_codec_is_supported (RF_PQ_CODEC_LZ4));
  g_assert_false (rf_pq_codec_is_supported ((RfPqCodec) 42));

  g_assert_false (rf_pq_decompress (RF_PQ_CODEC_LZO, src, sizeof src, dst, 16, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_assert_cmpstr (error->message, ==,
                   "LZO-compressed pages are not supported; re-export with ZSTD or SNAPPY");
  g_clear_error (&error);

  g_assert_false (rf_pq_decompress (RF_PQ_CODEC_LZ4, src, sizeof src, dst, 16, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_assert_cmpstr (error->message, ==,
                   "LZ4-compressed pages (the deprecated Hadoop-framed LZ4 codec) are not "
                   "supported; re-export with ZSTD, SNAPPY or LZ4_RAW");
  g_clear_error (&error);

  /* Even an empty page of an unknown codec is refused: the codec is wrong
   * whatever the page holds. */
  g_assert_false (rf_pq_decompress ((RfPqCodec) 42, NULL, 0, NULL, 0, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "unknown compression codec 42"));
  g_clear_error (&error);

  g_assert_false (rf_pq_compress (RF_PQ_CODEC_LZO, 0, src, sizeof src, out, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "LZO"));
  g_clear_error (&error);
  g_assert_false (rf_pq_compress (RF_PQ_CODEC_LZ4, 0, src, sizeof src, out, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "LZ4"));
  g_assert_cmpuint (out->len, ==, 0);
}

typedef struct
{
  RfPqCodec codec;
  const guint8 *src;
  gsize length;
  gboolean ok;
} ThreadJob;

static gpointer
thread_round_trips (gpointer data)
{
  ThreadJob *job = data;

  job->ok = TRUE;
  for (int i = 0; i < 20; i++)
    {
      g_autoptr(GByteArray) packed = g_byte_array_new ();
      g_autofree guint8 *back = g_malloc (job->length);

      if (!rf_pq_compress (job->codec, 0, job->src, job->length, packed, NULL) ||
          !rf_pq_decompress (job->codec, packed->data, packed->len, back, job->length, NULL) ||
          memcmp (back, job->src, job->length) != 0)
        job->ok = FALSE;
    }
  return NULL;
}

/* The per-thread ZSTD contexts: threads compress and decompress at once,
 * and end (which frees their contexts). */
static void
test_threads (void)
{
  g_autofree guint8 *text = make_data (DATA_TEXT, 300000);
  g_autofree guint8 *random = make_data (DATA_RANDOM, 300000);
  ThreadJob jobs[4] = {
    { RF_PQ_CODEC_ZSTD, text, 300000, FALSE },
    { RF_PQ_CODEC_ZSTD, random, 300000, FALSE },
    { RF_PQ_CODEC_ZSTD, text, 1000, FALSE },
    { RF_PQ_CODEC_GZIP, text, 300000, FALSE },
  };
  GThread *threads[4];

  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new ("codec", thread_round_trips, &jobs[i]);
  for (int i = 0; i < 4; i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (jobs[i].ok);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/parquet/codec/round-trip", test_round_trip);
  g_test_add_func ("/rf/parquet/codec/levels", test_levels);
  g_test_add_func ("/rf/parquet/codec/known-streams", test_known_streams);
  g_test_add_func ("/rf/parquet/codec/empty", test_empty);
  g_test_add_func ("/rf/parquet/codec/wrong-size", test_wrong_size);
  g_test_add_func ("/rf/parquet/codec/corrupt", test_corrupt);
  g_test_add_func ("/rf/parquet/codec/gzip-members", test_gzip_members);
  g_test_add_func ("/rf/parquet/codec/gzip-members-corpus", test_gzip_members_corpus);
  g_test_add_func ("/rf/parquet/codec/from-string", test_from_string);
  g_test_add_func ("/rf/parquet/codec/unsupported", test_unsupported);
  g_test_add_func ("/rf/parquet/codec/threads", test_threads);

  return g_test_run ();
}

#define G_LOG_DOMAIN "rf-parquet-codec"

#include "config.h"

#include <limits.h>
#include <string.h>

#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>
#if HAVE_LZ4
#include <lz4.h>
#endif
#if HAVE_BROTLI
#include <brotli/decode.h>
#include <brotli/encode.h>
#endif

#include "rf-error.h"
#include "rf-parquet-codec.h"

/* The name the Parquet spec gives a codec, for messages. */
static const char *
codec_name (RfPqCodec codec)
{
  switch (codec)
    {
    case RF_PQ_CODEC_UNCOMPRESSED: return "UNCOMPRESSED";
    case RF_PQ_CODEC_SNAPPY: return "SNAPPY";
    case RF_PQ_CODEC_GZIP: return "GZIP";
    case RF_PQ_CODEC_LZO: return "LZO";
    case RF_PQ_CODEC_BROTLI: return "BROTLI";
    case RF_PQ_CODEC_LZ4: return "LZ4";
    case RF_PQ_CODEC_ZSTD: return "ZSTD";
    case RF_PQ_CODEC_LZ4_RAW: return "LZ4_RAW";
    default: return NULL;
    }
}

gboolean
rf_pq_codec_is_supported (RfPqCodec codec)
{
  switch (codec)
    {
    case RF_PQ_CODEC_UNCOMPRESSED:
    case RF_PQ_CODEC_SNAPPY:
    case RF_PQ_CODEC_GZIP:
    case RF_PQ_CODEC_ZSTD:
      return TRUE;
    case RF_PQ_CODEC_LZ4_RAW:
      return HAVE_LZ4;
    case RF_PQ_CODEC_BROTLI:
      return HAVE_BROTLI;
    case RF_PQ_CODEC_LZO:
    case RF_PQ_CODEC_LZ4:
    default:
      return FALSE;
    }
}

static gboolean
set_unsupported_error (RfPqCodec   codec,
                       GError    **error)
{
  const char *name = codec_name (codec);

  if (codec == RF_PQ_CODEC_LZ4)
    g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                 "LZ4-compressed pages (the deprecated Hadoop-framed LZ4 codec) "
                 "are not supported; re-export with ZSTD, SNAPPY or LZ4_RAW");
  else if (codec == RF_PQ_CODEC_LZO)
    g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                 "LZO-compressed pages are not supported; re-export with ZSTD or SNAPPY");
  else if (name != NULL)
    g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                 "%s-compressed pages are not supported by this build of Refinery "
                 "(it was built without the %s library); re-export with ZSTD or SNAPPY",
                 name, codec == RF_PQ_CODEC_BROTLI ? "brotli" : "lz4");
  else
    g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                 "unknown compression codec %d; the file is damaged or was "
                 "written by a newer Parquet writer; re-export with ZSTD or SNAPPY",
                 (int) codec);
  return FALSE;
}

static gboolean
set_size_error (const char *name,
                gsize       got,
                gsize       expected,
                GError    **error)
{
  g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
               "%s data decompresses to %" G_GSIZE_FORMAT " bytes, but the page "
               "header says %" G_GSIZE_FORMAT,
               name, got, expected);
  return FALSE;
}

static gboolean
set_too_long_error (const char *name,
                    gsize       expected,
                    GError    **error)
{
  g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
               "%s data decompresses to more than the %" G_GSIZE_FORMAT
               " bytes the page header says",
               name, expected);
  return FALSE;
}

/* One compression context per thread: the writer encodes one column
 * chunk per thread, and a ZSTD compression context costs a few megabytes to
 * set up. GLib frees it when the thread ends. Decompression contexts are
 * cheap (under 100 KB) and made per page: one kept by the calling thread
 * would outlive every reader, which leak checkers rightly report. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZSTD_DCtx, ZSTD_freeDCtx)

static void
free_cctx (gpointer data)
{
  ZSTD_freeCCtx (data);
}

static GPrivate zstd_cctx_key = G_PRIVATE_INIT (free_cctx);

static ZSTD_CCtx *
thread_cctx (void)
{
  ZSTD_CCtx *cctx = g_private_get (&zstd_cctx_key);

  if (cctx == NULL)
    {
      cctx = ZSTD_createCCtx ();
      g_private_set (&zstd_cctx_key, cctx);
    }
  return cctx;
}

static gboolean
zstd_decompress (const guint8 *src,
                 gsize         src_length,
                 guint8       *dst,
                 gsize         dst_length,
                 GError      **error)
{
  g_autoptr(ZSTD_DCtx) dctx = ZSTD_createDCtx ();
  size_t ret;

  if (dctx == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FAILED,
                   "could not create a ZSTD decompression context (out of memory?)");
      return FALSE;
    }
  /* Handles several concatenated frames and skippable frames. */
  ret = ZSTD_decompressDCtx (dctx, dst, dst_length, src, src_length);
  if (ZSTD_isError (ret))
    {
      if (ZSTD_getErrorCode (ret) == ZSTD_error_dstSize_tooSmall)
        return set_too_long_error ("ZSTD", dst_length, error);
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "ZSTD data is corrupt: %s", ZSTD_getErrorName (ret));
      return FALSE;
    }
  if (ret != dst_length)
    return set_size_error ("ZSTD", ret, dst_length, error);
  return TRUE;
}

static gboolean
snappy_decompress (const guint8 *src,
                   gsize         src_length,
                   guint8       *dst,
                   gsize         dst_length,
                   GError      **error)
{
  size_t declared = 0, out_length = dst_length;

  if (snappy_uncompressed_length ((const char *) src, src_length, &declared) != SNAPPY_OK)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "SNAPPY data is corrupt: its length header cannot be read");
      return FALSE;
    }
  if (declared != dst_length)
    return set_size_error ("SNAPPY", declared, dst_length, error);
  if (snappy_uncompress ((const char *) src, src_length, (char *) dst, &out_length) != SNAPPY_OK)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "SNAPPY data is corrupt or truncated");
      return FALSE;
    }
  if (out_length != dst_length)
    return set_size_error ("SNAPPY", out_length, dst_length, error);
  return TRUE;
}

/* zlib counts in uInt; feed it at most this much at a time. */
#define ZLIB_CHUNK ((gsize) UINT_MAX)

static gboolean
gzip_decompress (const guint8 *src,
                 gsize         src_length,
                 guint8       *dst,
                 gsize         dst_length,
                 GError      **error)
{
  z_stream zs;
  gsize in_left = src_length, out_left = dst_length, produced = 0;
  guint8 probe;
  gboolean probing = FALSE, ok = FALSE;
  int ret;

  memset (&zs, 0, sizeof zs);
  /* 15 + 32: accept a gzip or a zlib header, whichever the page has. */
  if (inflateInit2 (&zs, 15 + 32) != Z_OK)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FAILED,
                   "could not start a GZIP decompressor (out of memory?)");
      return FALSE;
    }
  zs.next_in = (Bytef *) src;
  zs.next_out = dst;

  for (;;)
    {
      if (zs.avail_in == 0 && in_left > 0)
        {
          zs.avail_in = (uInt) MIN (in_left, ZLIB_CHUNK);
          in_left -= zs.avail_in;
        }
      if (zs.avail_out == 0 && !probing)
        {
          if (out_left > 0)
            {
              zs.avail_out = (uInt) MIN (out_left, ZLIB_CHUNK);
              out_left -= zs.avail_out;
            }
          else
            {
              /* The buffer is full: one more byte of output means the page
               * header lied. */
              produced = dst_length;
              probing = TRUE;
              zs.next_out = &probe;
              zs.avail_out = 1;
            }
        }

      ret = inflate (&zs, Z_NO_FLUSH);
      if (probing && zs.avail_out == 0)
        {
          set_too_long_error ("GZIP", dst_length, error);
          goto out;
        }
      if (ret == Z_STREAM_END)
        {
          if (zs.avail_in == 0 && in_left == 0)
            break;
          /* Another gzip member follows (some writers concatenate them). */
          if (inflateReset (&zs) != Z_OK)
            {
              g_set_error (error, RF_ERROR, RF_ERROR_FAILED,
                           "could not restart the GZIP decompressor");
              goto out;
            }
          continue;
        }
      if (ret == Z_OK)
        continue;
      if (ret == Z_BUF_ERROR && zs.avail_in == 0 && in_left == 0)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                       "GZIP data is truncated: the stream ends before its end marker");
          goto out;
        }
      if (ret == Z_MEM_ERROR)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_FAILED,
                       "GZIP decompression ran out of memory");
          goto out;
        }
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "GZIP data is corrupt: %s",
                   zs.msg != NULL ? zs.msg : "data error");
      goto out;
    }

  if (!probing)
    produced = dst_length - out_left - zs.avail_out;
  if (produced != dst_length)
    {
      set_size_error ("GZIP", produced, dst_length, error);
      goto out;
    }
  ok = TRUE;

out:
  inflateEnd (&zs);
  return ok;
}

#if HAVE_LZ4
static gboolean
lz4_decompress (const guint8 *src,
                gsize         src_length,
                guint8       *dst,
                gsize         dst_length,
                GError      **error)
{
  int ret;

  if (src_length > INT_MAX || dst_length > INT_MAX)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "LZ4_RAW page is larger than 2 GiB, which LZ4 blocks cannot be");
      return FALSE;
    }
  ret = LZ4_decompress_safe ((const char *) src, (char *) dst,
                             (int) src_length, (int) dst_length);
  if (ret < 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "LZ4_RAW data is corrupt, truncated, or decompresses to more "
                   "than the %" G_GSIZE_FORMAT " bytes the page header says",
                   dst_length);
      return FALSE;
    }
  if ((gsize) ret != dst_length)
    return set_size_error ("LZ4_RAW", (gsize) ret, dst_length, error);
  return TRUE;
}
#endif

#if HAVE_BROTLI
static gboolean
brotli_decompress (const guint8 *src,
                   gsize         src_length,
                   guint8       *dst,
                   gsize         dst_length,
                   GError      **error)
{
  BrotliDecoderState *state;
  BrotliDecoderResult result;
  const guint8 *next_in = src;
  guint8 *next_out = dst;
  size_t avail_in = src_length, avail_out = dst_length;
  gboolean ok = FALSE;

  state = BrotliDecoderCreateInstance (NULL, NULL, NULL);
  if (state == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FAILED,
                   "could not start a BROTLI decompressor (out of memory?)");
      return FALSE;
    }
  result = BrotliDecoderDecompressStream (state, &avail_in, &next_in,
                                          &avail_out, &next_out, NULL);
  switch (result)
    {
    case BROTLI_DECODER_RESULT_SUCCESS:
      if (avail_in != 0)
        g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                     "BROTLI stream ends %" G_GSIZE_FORMAT " bytes before the "
                     "page's compressed data does",
                     (gsize) avail_in);
      else if (avail_out != 0)
        set_size_error ("BROTLI", dst_length - avail_out, dst_length, error);
      else
        ok = TRUE;
      break;
    case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "BROTLI data is truncated: the stream ends before its end marker");
      break;
    case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
      set_too_long_error ("BROTLI", dst_length, error);
      break;
    case BROTLI_DECODER_RESULT_ERROR:
    default:
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "BROTLI data is corrupt: %s",
                   BrotliDecoderErrorString (BrotliDecoderGetErrorCode (state)));
      break;
    }
  BrotliDecoderDestroyInstance (state);
  return ok;
}
#endif

gboolean
rf_pq_decompress (RfPqCodec      codec,
                  const guint8  *src,
                  gsize          src_length,
                  guint8        *dst,
                  gsize          dst_length,
                  GError       **error)
{
  /* Decoders get a real buffer even for an empty page. */
  guint8 empty_out[1];

  g_return_val_if_fail (src != NULL || src_length == 0, FALSE);
  g_return_val_if_fail (dst != NULL || dst_length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!rf_pq_codec_is_supported (codec))
    return set_unsupported_error (codec, error);

  if (src_length == 0)
    {
      if (dst_length == 0)
        return TRUE;
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "%s page has no compressed bytes, but the page header says it "
                   "holds %" G_GSIZE_FORMAT " bytes",
                   codec_name (codec), dst_length);
      return FALSE;
    }
  if (dst == NULL)
    dst = empty_out;

  switch (codec)
    {
    case RF_PQ_CODEC_UNCOMPRESSED:
      if (src_length != dst_length)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                       "uncompressed page holds %" G_GSIZE_FORMAT " bytes, but its "
                       "header says %" G_GSIZE_FORMAT,
                       src_length, dst_length);
          return FALSE;
        }
      memcpy (dst, src, src_length);
      return TRUE;
    case RF_PQ_CODEC_ZSTD:
      return zstd_decompress (src, src_length, dst, dst_length, error);
    case RF_PQ_CODEC_SNAPPY:
      return snappy_decompress (src, src_length, dst, dst_length, error);
    case RF_PQ_CODEC_GZIP:
      return gzip_decompress (src, src_length, dst, dst_length, error);
#if HAVE_LZ4
    case RF_PQ_CODEC_LZ4_RAW:
      return lz4_decompress (src, src_length, dst, dst_length, error);
#endif
#if HAVE_BROTLI
    case RF_PQ_CODEC_BROTLI:
      return brotli_decompress (src, src_length, dst, dst_length, error);
#endif
    default:
      return set_unsupported_error (codec, error);
    }
}

/* Grows out by room bytes and returns where they start. */
static guint8 *
reserve (GByteArray *out,
         gsize       room)
{
  guint old = out->len;

  g_byte_array_set_size (out, old + (guint) room);
  return out->data + old;
}

static gboolean
check_room (GByteArray *out,
            gsize       bound,
            const char *name,
            GError    **error)
{
  if (bound == 0 || bound > G_MAXUINT - out->len)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "%s cannot compress a page this large; write smaller row groups",
                   name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
gzip_compress (int           level,
               const guint8 *src,
               gsize         src_length,
               GByteArray   *out,
               GError      **error)
{
  z_stream zs;
  guint old = out->len;
  gsize bound, in_left = src_length;
  guint8 *dst;
  int ret;

  memset (&zs, 0, sizeof zs);
  /* 15 + 16: a gzip header and trailer, which every Parquet reader expects. */
  if (deflateInit2 (&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FAILED,
                   "could not start a GZIP compressor (out of memory?)");
      return FALSE;
    }
  bound = deflateBound (&zs, (uLong) src_length);
  if (bound > ZLIB_CHUNK || !check_room (out, bound, "GZIP", error))
    {
      if (bound > ZLIB_CHUNK)
        g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                     "GZIP cannot compress a page this large; write smaller row groups");
      deflateEnd (&zs);
      return FALSE;
    }
  dst = reserve (out, bound);
  zs.next_in = (Bytef *) src;
  zs.next_out = dst;
  zs.avail_out = (uInt) bound;
  do
    {
      if (zs.avail_in == 0 && in_left > 0)
        {
          zs.avail_in = (uInt) MIN (in_left, ZLIB_CHUNK);
          in_left -= zs.avail_in;
        }
      ret = deflate (&zs, in_left > 0 ? Z_NO_FLUSH : Z_FINISH);
    }
  while (ret == Z_OK);
  g_byte_array_set_size (out, old + (guint) zs.total_out);
  deflateEnd (&zs);
  if (ret != Z_STREAM_END)
    {
      g_byte_array_set_size (out, old);
      g_set_error (error, RF_ERROR, RF_ERROR_FAILED,
                   "GZIP compression failed (zlib error %d)", ret);
      return FALSE;
    }
  return TRUE;
}

gboolean
rf_pq_compress (RfPqCodec      codec,
                int            level,
                const guint8  *src,
                gsize          src_length,
                GByteArray    *out,
                GError       **error)
{
  guint old;

  g_return_val_if_fail (src != NULL || src_length == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!rf_pq_codec_is_supported (codec))
    return set_unsupported_error (codec, error);

  old = out->len;
  switch (codec)
    {
    case RF_PQ_CODEC_UNCOMPRESSED:
      if (!check_room (out, MAX (src_length, 1), "UNCOMPRESSED", error))
        return FALSE;
      if (src_length > 0)
        g_byte_array_append (out, src, (guint) src_length);
      return TRUE;

    case RF_PQ_CODEC_ZSTD:
      {
        ZSTD_CCtx *cctx = thread_cctx ();
        gsize bound = ZSTD_compressBound (src_length);
        size_t ret;

        if (cctx == NULL)
          {
            g_set_error (error, RF_ERROR, RF_ERROR_FAILED,
                         "could not create a ZSTD compression context (out of memory?)");
            return FALSE;
          }
        if (ZSTD_isError (bound) || !check_room (out, bound, "ZSTD", error))
          {
            if (ZSTD_isError (bound))
              g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                           "ZSTD cannot compress a page this large; write smaller row groups");
            return FALSE;
          }
        if (level == 0)
          level = 3;
        level = CLAMP (level, ZSTD_minCLevel (), ZSTD_maxCLevel ());
        ret = ZSTD_compressCCtx (cctx, reserve (out, bound), bound,
                                 src, src_length, level);
        if (ZSTD_isError (ret))
          {
            g_byte_array_set_size (out, old);
            g_set_error (error, RF_ERROR, RF_ERROR_FAILED,
                         "ZSTD compression failed: %s", ZSTD_getErrorName (ret));
            return FALSE;
          }
        g_byte_array_set_size (out, old + (guint) ret);
        return TRUE;
      }

    case RF_PQ_CODEC_SNAPPY:
      {
        gsize bound = snappy_max_compressed_length (src_length);
        size_t written = bound;

        if (!check_room (out, bound, "SNAPPY", error))
          return FALSE;
        if (snappy_compress ((const char *) src, src_length,
                             (char *) reserve (out, bound), &written) != SNAPPY_OK)
          {
            g_byte_array_set_size (out, old);
            g_set_error (error, RF_ERROR, RF_ERROR_FAILED, "SNAPPY compression failed");
            return FALSE;
          }
        g_byte_array_set_size (out, old + (guint) written);
        return TRUE;
      }

    case RF_PQ_CODEC_GZIP:
      if (level == 0)
        level = 6;
      return gzip_compress (CLAMP (level, 1, 9), src, src_length, out, error);

#if HAVE_LZ4
    case RF_PQ_CODEC_LZ4_RAW:
      {
        int bound, ret;

        if (src_length > LZ4_MAX_INPUT_SIZE)
          {
            g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                         "LZ4_RAW cannot compress a page this large; write smaller row groups");
            return FALSE;
          }
        bound = LZ4_compressBound ((int) src_length);
        if (!check_room (out, (gsize) bound, "LZ4_RAW", error))
          return FALSE;
        ret = LZ4_compress_default ((const char *) src, (char *) reserve (out, (gsize) bound),
                                    (int) src_length, bound);
        if (ret <= 0)
          {
            g_byte_array_set_size (out, old);
            g_set_error (error, RF_ERROR, RF_ERROR_FAILED, "LZ4_RAW compression failed");
            return FALSE;
          }
        g_byte_array_set_size (out, old + (guint) ret);
        return TRUE;
      }
#endif

#if HAVE_BROTLI
    case RF_PQ_CODEC_BROTLI:
      {
        gsize bound = BrotliEncoderMaxCompressedSize (src_length);
        size_t written;

        if (!check_room (out, bound, "BROTLI", error))
          return FALSE;
        if (level == 0)
          level = 5;
        written = bound;
        if (!BrotliEncoderCompress (CLAMP (level, 1, BROTLI_MAX_QUALITY),
                                    BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC,
                                    src_length, src, &written, reserve (out, bound)))
          {
            g_byte_array_set_size (out, old);
            g_set_error (error, RF_ERROR, RF_ERROR_FAILED, "BROTLI compression failed");
            return FALSE;
          }
        g_byte_array_set_size (out, old + (guint) written);
        return TRUE;
      }
#endif

    default:
      return set_unsupported_error (codec, error);
    }
}

gboolean
rf_pq_codec_from_string (const char *text,
                         RfPqCodec  *codec)
{
  static const struct
  {
    const char *name;
    RfPqCodec codec;
  } names[] = {
    { "zstd", RF_PQ_CODEC_ZSTD },
    { "snappy", RF_PQ_CODEC_SNAPPY },
    { "gzip", RF_PQ_CODEC_GZIP },
    { "none", RF_PQ_CODEC_UNCOMPRESSED },
    { "uncompressed", RF_PQ_CODEC_UNCOMPRESSED },
    { "lz4_raw", RF_PQ_CODEC_LZ4_RAW },
    { "lz4", RF_PQ_CODEC_LZ4_RAW },
    { "brotli", RF_PQ_CODEC_BROTLI },
  };

  g_return_val_if_fail (codec != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i].name) == 0)
      {
        *codec = names[i].codec;
        return TRUE;
      }
  return FALSE;
}

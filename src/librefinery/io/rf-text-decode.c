#define G_LOG_DOMAIN "rf-text-decode"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <uchardet/uchardet.h>

#include "rf-error.h"
#include "rf-text-decode.h"

/* Output reserved per g_iconv call: bounds the buffer's growth per step. */
#define ICONV_STEP (1 << 20)

static const char *reencode_hint =
  "re-save it as UTF-8 (“CSV UTF-8” in Excel), or choose its encoding in the import options";

const char *
rf_text_detect_bom (const guint8 *data,
                    gsize         length,
                    gsize        *bom_length)
{
  const char *encoding = NULL;
  gsize n = 0;

  if (length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    encoding = "UTF-8", n = 3;
  else if (length >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    encoding = "UTF-16LE", n = 2;
  else if (length >= 2 && data[0] == 0xFE && data[1] == 0xFF)
    encoding = "UTF-16BE", n = 2;
  if (bom_length != NULL)
    *bom_length = n;
  return encoding;
}

/* Length of the leading run of ASCII bytes, 8 at a time. */
static gsize
ascii_prefix (const guint8 *data,
              gsize         length)
{
  gsize i = 0;

  for (; i + 8 <= length; i += 8)
    {
      guint64 word;
      memcpy (&word, data + i, 8);
      if (word & G_GUINT64_CONSTANT (0x8080808080808080))
        break;
    }
  while (i < length && data[i] < 0x80)
    i++;
  return i;
}

gboolean
rf_text_is_utf8 (const char *text,
                 gsize       length)
{
  gsize ascii = ascii_prefix ((const guint8 *) text, length);

  /* The ASCII run may hold NUL bytes, which g_utf8_validate_len refuses
   * and we refuse too. */
  if (ascii == length)
    return memchr (text, '\0', length) == NULL;
  if (memchr (text, '\0', ascii) != NULL)
    return FALSE;
  return g_utf8_validate_len (text + ascii, length - ascii, NULL);
}

gboolean
rf_text_encoding_is_latin (const char *encoding)
{
  static const char *names[] = { "ISO-8859-1", "ISO8859-1", "ISO_8859-1", "LATIN1", "LATIN-1",
                                 "WINDOWS-1252", "CP1252" };

  if (encoding == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (encoding, names[i]) == 0)
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Sniffer */

struct _RfTextSniffer
{
  uchardet_t detector;
  guint64 total;
  guint64 nul, nul_even, nul_odd;
  guint64 control;
  guint64 c1;                 /* bytes 0x80-0x9F */
  guint64 valid_multibyte;    /* complete UTF-8 sequences of 2-4 bytes */
  guint64 invalid;            /* bytes that break UTF-8 */
  guint64 line;               /* 1-based line of the byte being looked at */
  gboolean after_cr;
  /* The first byte that is not text, and the first that is not UTF-8. */
  gboolean have_binary;
  guint64 binary_offset, binary_line;
  guint8 binary_byte;
  gboolean have_invalid;
  guint64 invalid_line;
  guint8 invalid_byte;
  /* UTF-8 sequence in progress (it may span blocks). */
  int need;
  guint8 lo, hi;
  guint8 lead;
  guint64 lead_line;
};

RfTextSniffer *
rf_text_sniffer_new (void)
{
  RfTextSniffer *sniffer = g_new0 (RfTextSniffer, 1);

  sniffer->detector = uchardet_new ();
  sniffer->line = 1;
  return sniffer;
}

void
rf_text_sniffer_free (RfTextSniffer *sniffer)
{
  if (sniffer == NULL)
    return;
  uchardet_delete (sniffer->detector);
  g_free (sniffer);
}

static void
note_invalid (RfTextSniffer *sniffer,
              guint8         byte,
              guint64        line)
{
  sniffer->invalid++;
  if (!sniffer->have_invalid)
    {
      sniffer->have_invalid = TRUE;
      sniffer->invalid_byte = byte;
      sniffer->invalid_line = line;
    }
}

/* Starts a UTF-8 sequence at lead byte b (RFC 3629 ranges, which exclude
 * overlong forms and surrogates). */
static void
start_sequence (RfTextSniffer *sniffer,
                guint8         b)
{
  sniffer->lo = 0x80;
  sniffer->hi = 0xBF;
  sniffer->lead = b;
  sniffer->lead_line = sniffer->line;
  if (b >= 0xC2 && b <= 0xDF)
    sniffer->need = 1;
  else if (b >= 0xE0 && b <= 0xEF)
    {
      sniffer->need = 2;
      if (b == 0xE0)
        sniffer->lo = 0xA0;
      else if (b == 0xED)
        sniffer->hi = 0x9F;
    }
  else if (b >= 0xF0 && b <= 0xF4)
    {
      sniffer->need = 3;
      if (b == 0xF0)
        sniffer->lo = 0x90;
      else if (b == 0xF4)
        sniffer->hi = 0x8F;
    }
  else
    note_invalid (sniffer, b, sniffer->line);
}

void
rf_text_sniffer_feed (RfTextSniffer *sniffer,
                      const guint8  *data,
                      gsize          length)
{
  gboolean non_ascii = FALSE;

  g_return_if_fail (sniffer != NULL);
  g_return_if_fail (data != NULL || length == 0);

  for (gsize i = 0; i < length; i++)
    {
      guint8 b = data[i];
      guint64 offset = sniffer->total + i;

      if (b < 0x20)
        {
          if (b == '\n')
            {
              if (!sniffer->after_cr)
                sniffer->line++;
            }
          else if (b == '\r')
            sniffer->line++;
          else if (b == 0)
            {
              sniffer->nul++;
              if (offset & 1)
                sniffer->nul_odd++;
              else
                sniffer->nul_even++;
            }
          else if (b != '\t' && b != '\f' && b != 0x1A)
            sniffer->control++;
          if ((b == 0 || (b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1A)) &&
              !sniffer->have_binary)
            {
              sniffer->have_binary = TRUE;
              sniffer->binary_offset = offset;
              sniffer->binary_byte = b;
              sniffer->binary_line = sniffer->line;
            }
        }
      sniffer->after_cr = b == '\r';

      if (b >= 0x80)
        {
          non_ascii = TRUE;
          if (b <= 0x9F)
            sniffer->c1++;
        }

      if (sniffer->need > 0)
        {
          if (b >= sniffer->lo && b <= sniffer->hi)
            {
              sniffer->lo = 0x80;
              sniffer->hi = 0xBF;
              if (--sniffer->need == 0)
                sniffer->valid_multibyte++;
              continue;
            }
          /* The sequence broke off: its lead byte was invalid; look at b afresh. */
          sniffer->need = 0;
          note_invalid (sniffer, sniffer->lead, sniffer->lead_line);
        }
      if (b >= 0x80)
        start_sequence (sniffer, b);
    }
  sniffer->total += length;

  /* uchardet only matters when the bytes are not UTF-8, and ASCII-only
   * blocks tell it nothing: skip them, they are most of a data file. */
  if (non_ascii)
    uchardet_handle_data (sniffer->detector, (const char *) data, length);
}

char *
rf_text_sniffer_finish (RfTextSniffer *sniffer,
                        gboolean       complete,
                        const char    *display_name,
                        GError       **error)
{
  guint64 pairs;
  const char *charset;
  GIConv cd;

  g_return_val_if_fail (sniffer != NULL, NULL);

  if (complete && sniffer->need > 0)
    {
      sniffer->need = 0;
      note_invalid (sniffer, sniffer->lead, sniffer->lead_line);
    }

  /* UTF-16 without a BOM: ASCII characters leave every other byte zero. */
  pairs = sniffer->total / 2;
  if (pairs >= 2 && sniffer->nul_odd * 10 >= pairs * 3 && sniffer->nul_even * 20 <= pairs)
    return g_strdup ("UTF-16LE");
  if (pairs >= 2 && sniffer->nul_even * 10 >= pairs * 3 && sniffer->nul_odd * 20 <= pairs)
    return g_strdup ("UTF-16BE");

  if (sniffer->nul > 0 || sniffer->control * 100 > sniffer->total)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "“%s” is not a text file: it holds binary data (byte 0x%02X at offset %" G_GUINT64_FORMAT
                   ", line %" G_GUINT64_FORMAT "); choose the CSV export of the data",
                   display_name, sniffer->binary_byte, sniffer->binary_offset, sniffer->binary_line);
      return NULL;
    }

  if (sniffer->invalid == 0)
    return g_strdup ("UTF-8");

  /* a legacy file rarely forms even one valid UTF-8 sequence by chance */
  if (sniffer->valid_multibyte > 0 && sniffer->valid_multibyte >= sniffer->invalid)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_ENCODING,
                   "“%s” line %" G_GUINT64_FORMAT ": byte 0x%02X is not valid UTF-8, while the rest of the "
                   "file is UTF-8: the file mixes encodings; %s",
                   display_name, sniffer->invalid_line, sniffer->invalid_byte, reencode_hint);
      return NULL;
    }

  uchardet_data_end (sniffer->detector);
  charset = uchardet_get_charset (sniffer->detector);
  if (charset == NULL || *charset == '\0' || g_ascii_strcasecmp (charset, "ASCII") == 0 ||
      g_ascii_strncasecmp (charset, "UTF-", 4) == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_ENCODING,
                   "“%s” line %" G_GUINT64_FORMAT ": byte 0x%02X is not valid UTF-8 and no other encoding "
                   "explains the text; %s",
                   display_name, sniffer->invalid_line, sniffer->invalid_byte, reencode_hint);
      return NULL;
    }
  if (rf_text_encoding_is_latin (charset))
    return g_strdup (sniffer->c1 > 0 ? "WINDOWS-1252" : "ISO-8859-1");

  cd = g_iconv_open ("UTF-8", charset);
  if (cd == (GIConv) -1)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_ENCODING,
                   "“%s” looks like %s text, which this system cannot convert; %s",
                   display_name, charset, reencode_hint);
      return NULL;
    }
  g_iconv_close (cd);
  return g_strdup (charset);
}

/* ------------------------------------------------------------------------ */
/* Decoder */

/* Windows-1252 0x80-0x9F. The five bytes it leaves undefined map to the C1
 * control of the same value, as web browsers decode them, so that every byte
 * decodes and ISO-8859-1 text (which has no use for 0x80-0x9F) reads the same. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

struct _RfTextDecoder
{
  char *encoding;
  gboolean latin;      /* table decoder */
  gboolean saw_c1;
  GIConv cd;
};

RfTextDecoder *
rf_text_decoder_new (const char  *encoding,
                     GError     **error)
{
  RfTextDecoder *decoder;

  g_return_val_if_fail (encoding != NULL, NULL);

  decoder = g_new0 (RfTextDecoder, 1);
  decoder->encoding = g_strdup (encoding);
  decoder->cd = (GIConv) -1;
  if (rf_text_encoding_is_latin (encoding))
    decoder->latin = TRUE;
  else
    {
      decoder->cd = g_iconv_open ("UTF-8", encoding);
      if (decoder->cd == (GIConv) -1)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_ENCODING,
                       "“%s” is not an encoding this system can convert from; choose another one "
                       "(e.g. UTF-8, ISO-8859-1, WINDOWS-1252, UTF-16LE)", encoding);
          rf_text_decoder_free (decoder);
          return NULL;
        }
    }
  return decoder;
}

void
rf_text_decoder_free (RfTextDecoder *decoder)
{
  if (decoder == NULL)
    return;
  if (decoder->cd != (GIConv) -1)
    g_iconv_close (decoder->cd);
  g_free (decoder->encoding);
  g_free (decoder);
}

gboolean
rf_text_decoder_saw_c1 (const RfTextDecoder *decoder)
{
  g_return_val_if_fail (decoder != NULL, FALSE);
  return decoder->saw_c1;
}

static void
convert_latin (RfTextDecoder *decoder,
               const guint8  *input,
               gsize          length,
               GByteArray    *out)
{
  gsize old = out->len;
  guint8 *o;

  g_byte_array_set_size (out, old + length * 3);
  o = out->data + old;
  for (gsize i = 0; i < length; i++)
    {
      guint8 b = input[i];
      gunichar c;

      if (b < 0x80)
        {
          *o++ = b;
          continue;
        }
      if (b < 0xA0)
        {
          decoder->saw_c1 = TRUE;
          c = cp1252_high[b - 0x80];
        }
      else
        c = b;
      o += g_unichar_to_utf8 (c, (char *) o);
    }
  g_byte_array_set_size (out, (guint) (o - out->data));
}

/* One g_iconv step into at most ICONV_STEP new bytes of out; NULL input
 * flushes the shift state. Returns errno of a failure, or 0. */
static int
iconv_step (RfTextDecoder *decoder,
            gchar        **inbuf,
            gsize         *inleft,
            GByteArray    *out)
{
  gsize old = out->len;
  gsize room = inleft != NULL ? MIN (*inleft * 4 + 16, (gsize) ICONV_STEP) : 64;
  gchar *outbuf;
  gsize outleft = room, result;
  int saved_errno;

  g_byte_array_set_size (out, (guint) (old + room));
  outbuf = (gchar *) out->data + old;
  result = g_iconv (decoder->cd, inbuf, inleft, &outbuf, &outleft);
  saved_errno = errno;
  g_byte_array_set_size (out, (guint) (old + room - outleft));
  return result == (gsize) -1 ? saved_errno : 0;
}

gboolean
rf_text_decoder_convert (RfTextDecoder  *decoder,
                         const guint8   *input,
                         gsize           length,
                         gboolean        at_end,
                         GByteArray     *out,
                         gsize          *used,
                         GError        **error)
{
  gchar *inbuf = (gchar *) input;
  gsize inleft = length;
  int failure = 0;

  g_return_val_if_fail (decoder != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (used != NULL, FALSE);

  if (decoder->latin)
    {
      convert_latin (decoder, input, length, out);
      *used = length;
      return TRUE;
    }

  while (inleft > 0)
    {
      failure = iconv_step (decoder, &inbuf, &inleft, out);
      if (failure != 0 && failure != E2BIG)
        break;
      failure = 0;
    }
  *used = length - inleft;

  if (failure == EINVAL && !at_end)
    return TRUE;
  if (failure == EINVAL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_ENCODING,
                   "the text ends inside a %s character", decoder->encoding);
      return FALSE;
    }
  if (failure != 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_ENCODING,
                   "byte 0x%02X is not valid %s", (guint8) *inbuf, decoder->encoding);
      return FALSE;
    }
  if (at_end)
    while (iconv_step (decoder, NULL, NULL, out) == E2BIG)
      ;
  return TRUE;
}

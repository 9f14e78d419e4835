/* rf-text-decode.h: which encoding a text file is in, and conversion to UTF-8.
 *
 * The text readers work on UTF-8 only. A byte-order mark decides the
 * encoding when there is one (UTF-8, UTF-16LE, UTF-16BE). Otherwise an
 * RfTextSniffer looks at the bytes: UTF-16 without a BOM shows as a column
 * of zero bytes; valid UTF-8 is UTF-8; anything else goes to uchardet. The
 * ISO-8859-1 / Windows-1252 pair, which uchardet cannot tell apart, is
 * decided by the bytes 0x80-0x9F: they are control characters in
 * ISO-8859-1 that no real file holds, and printable (€ “ ” – ‰ ™) in
 * Windows-1252.
 *
 * An RfTextDecoder converts a stream to UTF-8 block by block: with g_iconv
 * for most encodings, with a table for the ISO-8859-1 / Windows-1252 pair
 * (which also records whether 0x80-0x9F occurred, so the reader can report
 * the right name once it has seen the whole file).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The encoding a byte-order mark at the start of data announces: "UTF-8",
 * "UTF-16LE" or "UTF-16BE", with its size in *bom_length; NULL (and 0)
 * when there is none. */
const char     *rf_text_detect_bom              (const guint8  *data,
                                                 gsize          length,
                                                 gsize         *bom_length);

/* Valid UTF-8 without NUL bytes (ASCII runs are checked 8 bytes at a time). */
gboolean        rf_text_is_utf8                 (const char    *text,
                                                 gsize          length);

/* TRUE for the names the table decoder handles (ISO-8859-1, LATIN1,
 * WINDOWS-1252, CP1252, in any case). */
gboolean        rf_text_encoding_is_latin       (const char    *encoding);

typedef struct _RfTextSniffer RfTextSniffer;

RfTextSniffer  *rf_text_sniffer_new             (void);
void            rf_text_sniffer_free            (RfTextSniffer *sniffer);
/* Feed the bytes in order (without a BOM), in as many blocks as you like. */
void            rf_text_sniffer_feed            (RfTextSniffer *sniffer,
                                                 const guint8  *data,
                                                 gsize          length);
/* The encoding of what was fed (a new string: "UTF-8", "UTF-16LE",
 * "ISO-8859-1", "WINDOWS-1252", or another name iconv knows), or NULL and
 * an error: RF_ERROR_FORMAT for binary data (zero bytes, control
 * characters), RF_ERROR_ENCODING for text that is mostly UTF-8 but has
 * invalid bytes (mixed encodings) or that no encoding explains. complete
 * says whether the whole input was fed (else a sequence cut at the end is
 * not an error); display_name is what messages call the input. */
char           *rf_text_sniffer_finish          (RfTextSniffer *sniffer,
                                                 gboolean       complete,
                                                 const char    *display_name,
                                                 GError       **error);

typedef struct _RfTextDecoder RfTextDecoder;

/* RF_ERROR_ENCODING when the encoding is unknown to iconv. */
RfTextDecoder  *rf_text_decoder_new             (const char    *encoding,
                                                 GError       **error);
void            rf_text_decoder_free            (RfTextDecoder *decoder);
/* Converts input to UTF-8, appended to out. *used receives the number of
 * input bytes converted: a sequence cut at the end of input stays for the
 * next call, unless at_end. Returns FALSE with RF_ERROR_ENCODING ("byte 0xNN
 * is not valid ENCODING") at the first invalid byte, after appending what
 * came before it. */
gboolean        rf_text_decoder_convert         (RfTextDecoder *decoder,
                                                 const guint8  *input,
                                                 gsize          length,
                                                 gboolean       at_end,
                                                 GByteArray    *out,
                                                 gsize         *used,
                                                 GError       **error);
/* Whether a byte 0x80-0x9F was converted (table decoder only). */
gboolean        rf_text_decoder_saw_c1          (const RfTextDecoder *decoder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfTextSniffer, rf_text_sniffer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfTextDecoder, rf_text_decoder_free)

G_END_DECLS

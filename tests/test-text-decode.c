/* test-text-decode.c: encoding detection and conversion to UTF-8
 * (rf-text-decode.h). */
#include "config.h"

#include <string.h>

#include "rf-error.h"
#include "rf-test-util.h"
#include "rf-text-decode.h"

static char *
sniff (const char  *bytes,
       gsize        length,
       GError     **error)
{
  g_autoptr(RfTextSniffer) sniffer = rf_text_sniffer_new ();

  rf_text_sniffer_feed (sniffer, (const guint8 *) bytes, length);
  return rf_text_sniffer_finish (sniffer, TRUE, "test.csv", error);
}

#define SNIFF(literal, error) sniff (literal, sizeof (literal) - 1, error)

static void
test_bom (void)
{
  gsize n = 99;

  g_assert_cmpstr (rf_text_detect_bom ((const guint8 *) "\xEF\xBB\xBF" "a", 4, &n), ==, "UTF-8");
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (rf_text_detect_bom ((const guint8 *) "\xFF\xFE" "a\0", 4, &n), ==, "UTF-16LE");
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (rf_text_detect_bom ((const guint8 *) "\xFE\xFF\0a", 4, &n), ==, "UTF-16BE");
  g_assert_cmpuint (n, ==, 2);
  g_assert_null (rf_text_detect_bom ((const guint8 *) "abc", 3, &n));
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (rf_text_detect_bom ((const guint8 *) "\xEF\xBB", 2, &n));
  g_assert_null (rf_text_detect_bom (NULL, 0, NULL));
}

static void
test_is_utf8 (void)
{
  g_assert_true (rf_text_is_utf8 ("", 0));
  g_assert_true (rf_text_is_utf8 ("plain ascii text, long enough for words", 39));
  g_assert_true (rf_text_is_utf8 ("Temperatur °C, m³/h", strlen ("Temperatur °C, m³/h")));
  g_assert_false (rf_text_is_utf8 ("Qualit\xe4t", 8));
  g_assert_false (rf_text_is_utf8 ("abcdefgh\xC3", 9));
  g_assert_false (rf_text_is_utf8 ("abc\0def", 7));
  g_assert_false (rf_text_is_utf8 ("abcdefghij\0\xC3\xA4", 13));
  g_assert_false (rf_text_is_utf8 ("\xED\xA0\x80", 3));   /* a surrogate */
  g_assert_false (rf_text_is_utf8 ("\xC0\xAF", 2));       /* overlong */
}

static void
test_sniff (void)
{
  g_autoptr(GError) error = NULL;
  char *encoding;

  encoding = SNIFF ("a,b\n1,2\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (encoding, ==, "UTF-8");
  g_free (encoding);

  encoding = sniff ("Zeit,Temperatur °C\n", strlen ("Zeit,Temperatur °C\n"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (encoding, ==, "UTF-8");
  g_free (encoding);

  /* Latin-1 (no byte 0x80-0x9F) and Windows-1252 (with them) */
  encoding = SNIFF ("Zeit,Temperatur \xb0" "C,Qualit\xe4t\r\n1,21.5,Gr\xfc\xdf" "e\r\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (encoding, ==, "ISO-8859-1");
  g_free (encoding);
  encoding = SNIFF ("Artikel,Preis \x80,Hinweis\r\nPumpe P-101,1299.00,\x93" "Ersatzteil\x94 \x96 lagernd\r\n"
                    "Ventil V-7,87.50,Preis in \x80 \x89 \x99\r\nDichtung,0.99,M\xfcller\x82 Fa.\r\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (encoding, ==, "WINDOWS-1252");
  g_free (encoding);

  /* UTF-16 without a BOM */
  encoding = SNIFF ("a\0,\0b\0\n\0" "1\0,\0" "2\0\n\0", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (encoding, ==, "UTF-16LE");
  g_free (encoding);
  encoding = SNIFF ("\0a\0,\0b\0\n\0" "1\0,\0" "2\0\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (encoding, ==, "UTF-16BE");
  g_free (encoding);
}

static void
test_sniff_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mixed = NULL;
  char garbage[300];
  char *encoding;

  /* binary: zero bytes, control characters */
  encoding = SNIFF ("PK\x03\x04\x14\0\0\0\x08\0abc\n\x01\x02\x03", &error);
  g_assert_null (encoding);
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "test.csv"));
  g_assert_nonnull (strstr (error->message, "binary"));
  g_clear_error (&error);

  /* UTF-8 with one Latin-1 byte further down: mixed, named by line */
  mixed = g_strdup ("Ort,Wert\nKöln,1\nMünchen,2\nDüsseldorf,3\nQualit\xe4t,4\n");
  encoding = sniff (mixed, strlen (mixed), &error);
  g_assert_null (encoding);
  g_assert_error (error, RF_ERROR, RF_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "line 5"));
  g_assert_nonnull (strstr (error->message, "0xE4"));
  g_assert_nonnull (strstr (error->message, "mixes encodings"));
  g_clear_error (&error);

  /* high bytes that no encoding explains */
  for (gsize i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) (0x80 + (i * 37 + i / 7) % 128);
  encoding = sniff (garbage, sizeof garbage, &error);
  g_assert_null (encoding);
  g_assert_error (error, RF_ERROR, RF_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "line 1"));
  g_clear_error (&error);

  /* a sequence cut at the end is fine in a head, not at the end of a file */
  {
    g_autoptr(RfTextSniffer) sniffer = rf_text_sniffer_new ();
    rf_text_sniffer_feed (sniffer, (const guint8 *) "abc,\xC3", 5);
    encoding = rf_text_sniffer_finish (sniffer, FALSE, "x", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (encoding, ==, "UTF-8");
    g_free (encoding);
  }
}

/* Fed in pieces, a sequence split between two feeds is still one sequence. */
static void
test_sniff_blocks (void)
{
  g_autoptr(RfTextSniffer) sniffer = rf_text_sniffer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *encoding = NULL;
  const char *text = "Zeit,Temperatur °C\nKöln,21.5\n";
  gsize length = strlen (text);

  for (gsize i = 0; i < length; i++)
    rf_text_sniffer_feed (sniffer, (const guint8 *) text + i, 1);
  encoding = rf_text_sniffer_finish (sniffer, TRUE, "x", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (encoding, ==, "UTF-8");
}

static void
test_decode_latin (void)
{
  g_autoptr(RfTextDecoder) decoder = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 all[256];
  gsize used;
  const char *text;
  gunichar expected_high[] = { 0x20AC, 0x81, 0x201A, 0x0192 };

  for (int i = 0; i < 256; i++)
    all[i] = (guint8) i;

  decoder = rf_text_decoder_new ("ISO-8859-1", &error);
  g_assert_no_error (error);
  g_assert_true (rf_text_decoder_convert (decoder, (const guint8 *) "Gr\xfc\xdf" "e \xb0" "C", 8, TRUE, out, &used,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (used, ==, 8);
  g_assert_cmpmem (out->data, out->len, "Grüße °C", strlen ("Grüße °C"));
  g_assert_false (rf_text_decoder_saw_c1 (decoder));

  /* every byte decodes; 0x80-0x9F as Windows-1252 */
  g_byte_array_set_size (out, 0);
  g_assert_true (rf_text_decoder_convert (decoder, all, 256, TRUE, out, &used, &error));
  g_assert_true (rf_text_decoder_saw_c1 (decoder));
  /* byte 0 became U+0000, which g_utf8_validate refuses: check after it */
  g_assert_cmpuint (out->data[0], ==, 0);
  g_assert_true (g_utf8_validate_len ((const char *) out->data + 1, out->len - 1, NULL));
  g_assert_cmpuint (g_utf8_strlen ((const char *) out->data + 1, out->len - 1), ==, 255);
  text = g_utf8_offset_to_pointer ((const char *) out->data, 0x80);
  for (gsize i = 0; i < G_N_ELEMENTS (expected_high); i++, text = g_utf8_next_char (text))
    g_assert_cmpuint (g_utf8_get_char (text), ==, expected_high[i]);
  text = g_utf8_offset_to_pointer ((const char *) out->data, 0xFF);
  g_assert_cmpuint (g_utf8_get_char (text), ==, 0xFF);
}

static void
test_decode_iconv (void)
{
  g_autoptr(RfTextDecoder) decoder = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  /* "a°€\n" in UTF-16LE */
  const guint8 utf16[] = { 'a', 0, 0xB0, 0, 0xAC, 0x20, '\n', 0 };
  gsize used, total = 0;

  decoder = rf_text_decoder_new ("UTF-16LE", &error);
  g_assert_no_error (error);
  /* cut in the middle of a character: the half waits for the next call */
  g_assert_true (rf_text_decoder_convert (decoder, utf16, 3, FALSE, out, &used, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (used, ==, 2);
  total += used;
  g_assert_true (rf_text_decoder_convert (decoder, utf16 + total, sizeof utf16 - total, TRUE, out, &used, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total + used, ==, sizeof utf16);
  g_assert_cmpmem (out->data, out->len, "a°€\n", strlen ("a°€\n"));

  /* cut at the very end: an error */
  g_clear_pointer (&decoder, rf_text_decoder_free);
  decoder = rf_text_decoder_new ("UTF-16LE", &error);
  g_byte_array_set_size (out, 0);
  g_assert_false (rf_text_decoder_convert (decoder, utf16, 3, TRUE, out, &used, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_ENCODING);
  g_clear_error (&error);

  /* an invalid byte: error after converting what came before */
  g_clear_pointer (&decoder, rf_text_decoder_free);
  decoder = rf_text_decoder_new ("UTF-8", &error);
  g_assert_no_error (error);
  g_byte_array_set_size (out, 0);
  g_assert_false (rf_text_decoder_convert (decoder, (const guint8 *) "ok\xff!", 4, TRUE, out, &used, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "0xFF"));
  g_assert_cmpuint (used, ==, 2);
  g_assert_cmpmem (out->data, out->len, "ok", 2);
  g_clear_error (&error);

  /* an encoding iconv does not know */
  g_assert_null (rf_text_decoder_new ("NO-SUCH-ENCODING-42", &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_ENCODING);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/csv/text/bom", test_bom);
  g_test_add_func ("/rf/csv/text/is-utf8", test_is_utf8);
  g_test_add_func ("/rf/csv/text/sniff", test_sniff);
  g_test_add_func ("/rf/csv/text/sniff-errors", test_sniff_errors);
  g_test_add_func ("/rf/csv/text/sniff-blocks", test_sniff_blocks);
  g_test_add_func ("/rf/csv/text/decode-latin", test_decode_latin);
  g_test_add_func ("/rf/csv/text/decode-iconv", test_decode_iconv);

  return g_test_run ();
}

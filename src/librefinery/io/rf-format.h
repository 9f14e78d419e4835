/* rf-format.h: which file format a file is, from its bytes first.
 *
 * The content decides; the extension is only a cross-check. A file whose
 * extension names one known format while its bytes are another (a CSV named
 * .parquet) is refused with a message saying what it really looks like, so a
 * mislabelled export is caught before anything is written.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RF_FORMAT_UNKNOWN,
  RF_FORMAT_CSV,       /* any delimited text: CSV, TSV, semicolon, pipe */
  RF_FORMAT_JSON,      /* JSON document or JSON Lines */
  RF_FORMAT_PARQUET,
  RF_FORMAT_XLSX,
  RF_FORMAT_XLS,
} RfFormat;

#define RF_FORMAT_N_FORMATS (RF_FORMAT_XLS + 1)

const char *rf_format_to_string          (RfFormat      format);
gboolean    rf_format_from_string        (const char   *text,
                                          RfFormat     *format);
/* The format an extension promises ("x.tsv" → CSV), or UNKNOWN. */
RfFormat    rf_format_from_extension     (const char   *path);
/* The format the first bytes of a file show (up to 4 KiB is plenty).
 * Text that is not JSON is CSV; bytes that are not text are UNKNOWN. */
RfFormat    rf_format_sniff              (const guint8 *head,
                                          gsize         length);
/* Reads the head of path and sniffs it, cross-checking the extension.
 * Errors: cannot open, empty file, binary content, extension lies. */
RfFormat    rf_format_detect_file        (const char   *path,
                                          GError      **error);
/* The size limit a file of this format must stay under before we parse it
 * (DESIGN.md "Limits"): CSV 500 MB, JSON 100 MB, Excel 200 MB, Parquet 1 GB. */
guint64     rf_format_default_max_bytes  (RfFormat      format);

/* configured_max when it is > 0, else rf_format_default_max_bytes (format). */
guint64     rf_format_max_bytes          (RfFormat      format,
                                          guint64       configured_max);
/* TRUE when size is within the limit; else RF_ERROR_TOO_LARGE naming the
 * file, its size and the limit. The one place that words this refusal. */
gboolean    rf_format_check_size         (RfFormat      format,
                                          const char   *display_name,
                                          guint64       size,
                                          guint64       configured_max,
                                          GError      **error);

/* Row limit of every reader unless configured otherwise. */
#define RF_DEFAULT_MAX_ROWS ((gsize) 10000000)

G_END_DECLS

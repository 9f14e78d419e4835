#define G_LOG_DOMAIN "rf-format"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "rf-error.h"
#include "rf-format.h"

#define SNIFF_BYTES 4096

static const char *format_names[RF_FORMAT_N_FORMATS] = {
  [RF_FORMAT_UNKNOWN] = "unknown",
  [RF_FORMAT_CSV] = "csv",
  [RF_FORMAT_JSON] = "json",
  [RF_FORMAT_PARQUET] = "parquet",
  [RF_FORMAT_XLSX] = "xlsx",
  [RF_FORMAT_XLS] = "xls",
};

const char *
rf_format_to_string (RfFormat format)
{
  g_return_val_if_fail (format < RF_FORMAT_N_FORMATS, NULL);
  return format_names[format];
}

gboolean
rf_format_from_string (const char *text,
                       RfFormat   *format)
{
  g_return_val_if_fail (text != NULL, FALSE);
  for (guint i = 0; i < RF_FORMAT_N_FORMATS; i++)
    if (g_ascii_strcasecmp (text, format_names[i]) == 0)
      {
        *format = i;
        return TRUE;
      }
  if (g_ascii_strcasecmp (text, "tsv") == 0)
    {
      *format = RF_FORMAT_CSV;
      return TRUE;
    }
  if (g_ascii_strcasecmp (text, "jsonl") == 0 || g_ascii_strcasecmp (text, "ndjson") == 0)
    {
      *format = RF_FORMAT_JSON;
      return TRUE;
    }
  return FALSE;
}

RfFormat
rf_format_from_extension (const char *path)
{
  static const struct { const char *ext; RfFormat format; } table[] = {
    { ".csv", RF_FORMAT_CSV }, { ".tsv", RF_FORMAT_CSV }, { ".tab", RF_FORMAT_CSV },
    { ".json", RF_FORMAT_JSON }, { ".jsonl", RF_FORMAT_JSON }, { ".ndjson", RF_FORMAT_JSON },
    { ".parquet", RF_FORMAT_PARQUET }, { ".pq", RF_FORMAT_PARQUET },
    { ".xlsx", RF_FORMAT_XLSX }, { ".xlsm", RF_FORMAT_XLSX }, { ".xls", RF_FORMAT_XLS },
  };
  const char *dot;

  g_return_val_if_fail (path != NULL, RF_FORMAT_UNKNOWN);
  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, '/') != NULL)
    return RF_FORMAT_UNKNOWN;
  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_ascii_strcasecmp (dot, table[i].ext) == 0)
      return table[i].format;
  return RF_FORMAT_UNKNOWN;
}

/* UTF-16 without a BOM: mostly-ASCII text whose every other byte is NUL
 * (all at even offsets for big-endian, odd for little-endian). */
static gboolean
looks_like_utf16_without_bom (const guint8 *head,
                              gsize         length)
{
  gsize zeros[2] = { 0, 0 };
  gsize pairs = length / 2;

  if (pairs < 2)
    return FALSE;
  for (gsize i = 0; i < pairs * 2; i++)
    if (head[i] == 0)
      zeros[i & 1]++;
  /* at least 90% of one half is NUL and none of the other */
  return (zeros[1] * 10 >= pairs * 9 && zeros[0] == 0) ||
         (zeros[0] * 10 >= pairs * 9 && zeros[1] == 0);
}

/* Text in some encoding we can decode: UTF-16 with a BOM, or bytes without
 * NULs and with few control characters (UTF-8 or a single-byte code page). */
static gboolean
looks_like_text (const guint8 *head,
                 gsize         length)
{
  gsize control = 0;

  if (length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
    return TRUE;
  if (looks_like_utf16_without_bom (head, length))
    return TRUE;
  for (gsize i = 0; i < length; i++)
    {
      guint8 b = head[i];
      if (b == 0)
        return FALSE;
      if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f')
        control++;
    }
  return control * 100 <= length;   /* at most 1% stray control bytes */
}

/* First significant character of the text, skipping a UTF-8 BOM, UTF-16
 * zero bytes and blanks. */
static char
first_significant (const guint8 *head,
                   gsize         length)
{
  for (gsize i = 0; i < length; i++)
    {
      guint8 b = head[i];
      if (b == 0 || b == 0xEF || b == 0xBB || b == 0xBF || b == 0xFF || b == 0xFE ||
          b == ' ' || b == '\t' || b == '\r' || b == '\n')
        continue;
      return (char) b;
    }
  return '\0';
}

RfFormat
rf_format_sniff (const guint8 *head,
                 gsize         length)
{
  char first;

  g_return_val_if_fail (head != NULL || length == 0, RF_FORMAT_UNKNOWN);

  if (length >= 4 && memcmp (head, "PAR1", 4) == 0)
    return RF_FORMAT_PARQUET;
  if (length >= 4 && memcmp (head, "PK\x03\x04", 4) == 0)
    return RF_FORMAT_XLSX;
  if (length >= 8 && memcmp (head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
    return RF_FORMAT_XLS;
  if (!looks_like_text (head, length))
    return RF_FORMAT_UNKNOWN;
  first = first_significant (head, length);
  if (first == '{' || first == '[')
    return RF_FORMAT_JSON;
  return RF_FORMAT_CSV;
}

guint64
rf_format_default_max_bytes (RfFormat format)
{
  switch (format)
    {
    case RF_FORMAT_CSV:
      return G_GUINT64_CONSTANT (500) * 1000 * 1000;
    case RF_FORMAT_JSON:
      return G_GUINT64_CONSTANT (100) * 1000 * 1000;
    case RF_FORMAT_XLSX:
    case RF_FORMAT_XLS:
      return G_GUINT64_CONSTANT (200) * 1000 * 1000;
    case RF_FORMAT_PARQUET:
      return G_GUINT64_CONSTANT (1000) * 1000 * 1000;
    case RF_FORMAT_UNKNOWN:
    default:
      return G_GUINT64_CONSTANT (500) * 1000 * 1000;
    }
}

guint64
rf_format_max_bytes (RfFormat format,
                     guint64  configured_max)
{
  return configured_max > 0 ? configured_max : rf_format_default_max_bytes (format);
}

gboolean
rf_format_check_size (RfFormat     format,
                      const char  *display_name,
                      guint64      size,
                      guint64      configured_max,
                      GError     **error)
{
  guint64 limit = rf_format_max_bytes (format, configured_max);
  g_autofree char *kind = g_ascii_strup (rf_format_to_string (format), -1);
  g_autofree char *limit_text = NULL;

  if (size <= limit)
    return TRUE;
  /* Small limits (set by hand or by tests) would print as "0 MB". */
  limit_text = limit >= 1000000 ? g_strdup_printf ("%.0f MB", limit / 1e6)
                                : g_strdup_printf ("%" G_GUINT64_FORMAT " bytes", limit);
  g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
               "“%s” is %.1f MB, over the limit of %s for %s files; split it, or raise the limit in "
               "the preferences (--max-mb on the command line)",
               display_name, size / 1e6, limit_text, kind);
  return FALSE;
}

RfFormat
rf_format_detect_file (const char  *path,
                       GError     **error)
{
  guint8 head[SNIFF_BYTES];
  gssize n;
  int fd;
  RfFormat by_content, by_name;
  g_autofree char *display = NULL;

  g_return_val_if_fail (path != NULL, RF_FORMAT_UNKNOWN);

  display = g_filename_display_name (path);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, RF_ERROR, saved == ENOENT ? RF_ERROR_NOT_FOUND : RF_ERROR_IO,
                   "Cannot open “%s”: %s", display, g_strerror (saved));
      return RF_FORMAT_UNKNOWN;
    }
  do
    n = read (fd, head, sizeof head);
  while (n < 0 && errno == EINTR);
  close (fd);
  if (n < 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot read “%s”: %s", display, g_strerror (errno));
      return RF_FORMAT_UNKNOWN;
    }
  if (n == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "“%s” is empty (0 bytes): export the data again and check the file was saved", display);
      return RF_FORMAT_UNKNOWN;
    }

  by_content = rf_format_sniff (head, (gsize) n);
  by_name = rf_format_from_extension (path);

  if (by_content == RF_FORMAT_UNKNOWN)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "“%s” is not a file Refinery can read: its content is binary and matches none of "
                   "CSV/TSV, JSON, Parquet or Excel; check that this is the exported data file",
                   display);
      return RF_FORMAT_UNKNOWN;
    }
  /* A .csv whose first field starts with '[' (a header like "[time]") is
   * still delimited text: trust the name there. */
  if (by_name == RF_FORMAT_CSV && by_content == RF_FORMAT_JSON)
    return RF_FORMAT_CSV;
  if (by_name != RF_FORMAT_UNKNOWN && by_name != by_content)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "“%s” is named like a %s file but its content is %s; rename it with the right "
                   "extension or choose the format explicitly",
                   display, rf_format_to_string (by_name),
                   by_content == RF_FORMAT_CSV ? "delimited text (CSV)" : rf_format_to_string (by_content));
      return RF_FORMAT_UNKNOWN;
    }
  return by_content;
}

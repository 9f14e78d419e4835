#define G_LOG_DOMAIN "rf-csv-writer"

#include "config.h"

#include <string.h>

#include "rf-atomic-file.h"
#include "rf-csv-writer.h"
#include "rf-value-parse.h"

/* Bytes gathered before they go to the file, and rows between checks of
 * the cancellable. */
#define FLUSH_BYTES (256 * 1024)
#define CHECK_ROWS 4096

void
rf_csv_write_options_init (RfCsvWriteOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->delimiter = ',';
  options->decimal_mark = '.';
  options->header = TRUE;
  options->na_text = "";
}

static gboolean
needs_quotes (const char *text,
              gsize       length,
              char        delimiter)
{
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];
      if (c == delimiter || c == '"' || c == '\n' || c == '\r')
        return TRUE;
    }
  return FALSE;
}

static void
append_field (GString    *out,
              const char *text,
              gsize       length,
              gboolean    quote)
{
  const char *p = text, *end = text + length, *q;

  if (!quote)
    {
      g_string_append_len (out, text, (gssize) length);
      return;
    }
  g_string_append_c (out, '"');
  while ((q = memchr (p, '"', (gsize) (end - p))) != NULL)
    {
      g_string_append_len (out, p, q + 1 - p);
      g_string_append_c (out, '"');
      p = q + 1;
    }
  g_string_append_len (out, p, end - p);
  g_string_append_c (out, '"');
}

/* A string value: quoted when it would otherwise read as something else
 * (a missing value, the NA text) or break the record. */
static void
append_string (GString                 *out,
               const char              *text,
               gsize                    length,
               const RfCsvWriteOptions *options)
{
  gboolean quote = length == 0 || needs_quotes (text, length, options->delimiter) ||
                   rf_value_is_na (text, length) ||
                   (strlen (options->na_text) == length && memcmp (text, options->na_text, length) == 0);

  append_field (out, text, length, quote);
}

static void
append_value (GString                 *out,
              GString                 *scratch,
              const RfColumn          *column,
              gsize                    row,
              const RfCsvWriteOptions *options)
{
  if (!rf_column_is_valid (column, row))
    {
      gsize length = strlen (options->na_text);
      append_field (out, options->na_text, length, needs_quotes (options->na_text, length, options->delimiter));
      return;
    }
  if (column->type == RF_COLUMN_STRING)
    {
      gsize length;
      const char *text = rf_column_get_string (column, row, &length);
      append_string (out, text, length, options);
      return;
    }

  g_string_truncate (scratch, 0);
  rf_column_format_value (column, row, scratch);
  if (column->type == RF_COLUMN_DOUBLE)
    {
      const char *digits = scratch->str + (scratch->str[0] == '-');

      /* "3" would read back as an integer */
      if (strspn (digits, "0123456789") == strlen (digits))
        g_string_append (scratch, ".0");
      if (options->decimal_mark != '.')
        for (char *p = scratch->str; *p; p++)
          if (*p == '.')
            *p = options->decimal_mark;
    }
  append_field (out, scratch->str, scratch->len, needs_quotes (scratch->str, scratch->len, options->delimiter));
}

static gboolean
flush (RfAtomicFile  *file,
       GString       *out,
       GError       **error)
{
  if (!rf_atomic_file_write (file, out->str, out->len, error))
    return FALSE;
  g_string_truncate (out, 0);
  return TRUE;
}

gboolean
rf_csv_write (const RfTable            *table,
              const char               *path,
              const RfCsvWriteOptions  *options,
              RfProgress               *progress,
              GCancellable             *cancellable,
              GError                  **error)
{
  g_autoptr(RfAtomicFile) file = NULL;
  g_autoptr(GString) out = g_string_sized_new (FLUSH_BYTES + 4096);
  g_autoptr(GString) scratch = g_string_new (NULL);
  RfCsvWriteOptions defaults;
  const char *eol;
  guint n_columns;
  gsize n_rows;

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  rf_csv_write_options_init (&defaults);
  if (options != NULL)
    {
      defaults = *options;
      if (defaults.delimiter == 0)
        defaults.delimiter = ',';
      if (defaults.decimal_mark == 0)
        defaults.decimal_mark = '.';
      if (defaults.na_text == NULL)
        defaults.na_text = "";
    }
  options = &defaults;
  g_return_val_if_fail (options->delimiter != '"' && options->delimiter != '\n' && options->delimiter != '\r',
                        FALSE);
  g_return_val_if_fail (options->decimal_mark != '"' && options->decimal_mark != '\n' &&
                        options->decimal_mark != '\r', FALSE);
  eol = options->crlf ? "\r\n" : "\n";

  file = rf_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;

  n_columns = rf_table_get_n_columns (table);
  n_rows = rf_table_get_n_rows (table);
  if (options->header)
    {
      for (guint c = 0; c < n_columns; c++)
        {
          const char *name = rf_table_get_column (table, c)->name;
          gsize length = strlen (name);

          if (c > 0)
            g_string_append_c (out, options->delimiter);
          append_field (out, name, length, length == 0 || needs_quotes (name, length, options->delimiter));
        }
      g_string_append (out, eol);
    }

  for (gsize row = 0; row < n_rows; row++)
    {
      if (row % CHECK_ROWS == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          rf_progress_report (progress, (double) row / n_rows, NULL);
        }
      gsize line_start = out->len;

      for (guint c = 0; c < n_columns; c++)
        {
          if (c > 0)
            g_string_append_c (out, options->delimiter);
          append_value (out, scratch, rf_table_get_column (table, c), row, options);
        }
      /* an empty line would be skipped as blank: one missing value of a
       * one-column table is written NA */
      if (out->len == line_start)
        g_string_append (out, "NA");
      g_string_append (out, eol);
      if (out->len >= FLUSH_BYTES && !flush (file, out, error))
        return FALSE;
    }
  if (!flush (file, out, error) || !rf_atomic_file_commit (file, error))
    return FALSE;
  rf_progress_report (progress, 1.0, NULL);
  return TRUE;
}

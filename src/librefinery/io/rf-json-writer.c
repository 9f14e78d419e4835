#define G_LOG_DOMAIN "rf-json-writer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-atomic-file.h"
#include "rf-error.h"
#include "rf-json-writer.h"
#include "rf-timestamp.h"

/* Rows (or cells, for the column layout) between two cancellation checks. */
#define CHUNK 4096
/* The line buffer goes to the file whenever it holds this much. */
#define FLUSH_BYTES (64 * 1024)

static const char *layout_names[RF_JSON_N_LAYOUTS] = {
  [RF_JSON_LAYOUT_RECORDS] = "records",
  [RF_JSON_LAYOUT_LINES] = "lines",
  [RF_JSON_LAYOUT_COLUMNS] = "columns",
};

const char *
rf_json_layout_to_string (RfJsonLayout layout)
{
  g_return_val_if_fail (layout < RF_JSON_N_LAYOUTS, NULL);
  return layout_names[layout];
}

gboolean
rf_json_layout_from_string (const char   *text,
                            RfJsonLayout *layout)
{
  static const struct { const char *name; RfJsonLayout layout; } aliases[] = {
    { "records", RF_JSON_LAYOUT_RECORDS },
    { "lines", RF_JSON_LAYOUT_LINES },
    { "jsonl", RF_JSON_LAYOUT_LINES },
    { "ndjson", RF_JSON_LAYOUT_LINES },
    { "columns", RF_JSON_LAYOUT_COLUMNS },
    { "list", RF_JSON_LAYOUT_COLUMNS },
  };

  g_return_val_if_fail (text != NULL, FALSE);
  for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (text, aliases[i].name) == 0)
      {
        if (layout != NULL)
          *layout = aliases[i].layout;
        return TRUE;
      }
  return FALSE;
}

void
rf_json_append_string (GString    *out,
                       const char *text,
                       gssize      length)
{
  const char *p, *end, *run;

  g_return_if_fail (out != NULL);
  g_return_if_fail (text != NULL || length == 0);

  p = text;
  end = text + (length < 0 ? strlen (text) : (gsize) length);
  run = p;
  g_string_append_c (out, '"');
  while (p < end)
    {
      guchar c = (guchar) *p;

      if (c >= 0x80)
        {
          gunichar ch = g_utf8_get_char_validated (p, end - p);
          if (ch == (gunichar) -1 || ch == (gunichar) -2)
            {
              /* One bad byte becomes one U+FFFD: the output stays valid UTF-8. */
              g_string_append_len (out, run, p - run);
              g_string_append (out, "\357\277\275");
              p++;
              run = p;
            }
          else
            p = g_utf8_next_char (p);
          continue;
        }
      if (c != '"' && c != '\\' && c >= 0x20)
        {
          p++;
          continue;
        }
      g_string_append_len (out, run, p - run);
      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          g_string_append_printf (out, "\\u%04x", c);
          break;
        }
      p++;
      run = p;
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

/* The shortest of %.15g, %.16g, %.17g that reads back to the same double,
 * marked as a fraction ("2.0") so that it reads back as a double. */
static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
  if (strpbrk (buf, ".e") == NULL)
    g_string_append (out, ".0");
}

static void
append_value (GString        *out,
              const RfColumn *column,
              gsize           row)
{
  if (!rf_column_is_valid (column, row))
    {
      g_string_append (out, "null");
      return;
    }
  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      append_double (out, column->values.f64[row]);
      break;
    case RF_COLUMN_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, column->values.i64[row]);
      break;
    case RF_COLUMN_BOOL:
      g_string_append (out, column->values.u8[row] ? "true" : "false");
      break;
    case RF_COLUMN_TIMESTAMP:
      g_string_append_c (out, '"');
      rf_timestamp_format (column->values.i64[row], out);
      g_string_append_c (out, '"');
      break;
    case RF_COLUMN_STRING:
    default:
      {
        gsize length;
        const char *text = rf_column_get_string (column, row, &length);
        rf_json_append_string (out, text, (gssize) length);
      }
      break;
    }
}

static gboolean
flush (RfAtomicFile  *file,
       GString       *buffer,
       gboolean       force,
       GError       **error)
{
  if (buffer->len == 0 || (!force && buffer->len < FLUSH_BYTES))
    return TRUE;
  if (!rf_atomic_file_write (file, buffer->str, buffer->len, error))
    return FALSE;
  g_string_truncate (buffer, 0);
  return TRUE;
}

static gboolean
checkpoint (gsize          done,
            gsize          total,
            RfProgress    *progress,
            GCancellable  *cancellable,
            GError       **error)
{
  if (done % CHUNK != 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  rf_progress_report (progress, total > 0 ? (double) done / (double) total : 0.0, "Writing JSON");
  return TRUE;
}

static gboolean
write_rows (const RfTable  *table,
            GPtrArray      *keys,
            gboolean        as_lines,
            RfAtomicFile   *file,
            GString        *buffer,
            RfProgress     *progress,
            GCancellable   *cancellable,
            GError        **error)
{
  gsize n_rows = rf_table_get_n_rows (table);
  guint n_columns = rf_table_get_n_columns (table);

  if (!as_lines)
    g_string_append_c (buffer, '[');
  for (gsize row = 0; row < n_rows; row++)
    {
      if (!checkpoint (row, n_rows, progress, cancellable, error))
        return FALSE;
      if (!as_lines)
        g_string_append (buffer, row == 0 ? "\n" : ",\n");
      g_string_append_c (buffer, '{');
      for (guint c = 0; c < n_columns; c++)
        {
          if (c > 0)
            g_string_append_c (buffer, ',');
          g_string_append (buffer, g_ptr_array_index (keys, c));
          append_value (buffer, rf_table_get_column (table, c), row);
        }
      g_string_append_c (buffer, '}');
      if (as_lines)
        g_string_append_c (buffer, '\n');
      if (!flush (file, buffer, FALSE, error))
        return FALSE;
    }
  if (!as_lines)
    g_string_append (buffer, n_rows > 0 ? "\n]\n" : "]\n");
  return TRUE;
}

static gboolean
write_columns (const RfTable  *table,
               GPtrArray      *keys,
               RfAtomicFile   *file,
               GString        *buffer,
               RfProgress     *progress,
               GCancellable   *cancellable,
               GError        **error)
{
  gsize n_rows = rf_table_get_n_rows (table);
  guint n_columns = rf_table_get_n_columns (table);
  gsize total = n_rows * n_columns, done = 0;

  g_string_append_c (buffer, '{');
  for (guint c = 0; c < n_columns; c++)
    {
      const RfColumn *column = rf_table_get_column (table, c);

      g_string_append (buffer, c == 0 ? "\n" : ",\n");
      g_string_append (buffer, g_ptr_array_index (keys, c));
      g_string_append_c (buffer, '[');
      for (gsize row = 0; row < n_rows; row++, done++)
        {
          if (!checkpoint (done, total, progress, cancellable, error))
            return FALSE;
          if (row > 0)
            g_string_append_c (buffer, ',');
          append_value (buffer, column, row);
          if (!flush (file, buffer, FALSE, error))
            return FALSE;
        }
      g_string_append_c (buffer, ']');
    }
  g_string_append (buffer, n_columns > 0 ? "\n}\n" : "}\n");
  return TRUE;
}

gboolean
rf_json_write (const RfTable  *table,
               const char     *path,
               RfJsonLayout    layout,
               RfProgress     *progress,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autoptr(RfAtomicFile) file = NULL;
  g_autoptr(GString) buffer = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  guint n_columns;
  gboolean ok;

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (layout < RF_JSON_N_LAYOUTS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  file = rf_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;

  /* Each column's "name": prefix, escaped once rather than once per row. */
  n_columns = rf_table_get_n_columns (table);
  keys = g_ptr_array_new_full (n_columns, g_free);
  for (guint c = 0; c < n_columns; c++)
    {
      GString *key = g_string_new (NULL);
      rf_json_append_string (key, rf_table_get_column (table, c)->name, -1);
      g_string_append_c (key, ':');
      g_ptr_array_add (keys, g_string_free (key, FALSE));
    }

  buffer = g_string_sized_new (FLUSH_BYTES + 4096);
  if (layout == RF_JSON_LAYOUT_COLUMNS)
    ok = write_columns (table, keys, file, buffer, progress, cancellable, error);
  else
    ok = write_rows (table, keys, layout == RF_JSON_LAYOUT_LINES, file, buffer, progress,
                     cancellable, error);
  if (!ok || !flush (file, buffer, TRUE, error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!rf_atomic_file_commit (file, error))
    return FALSE;
  rf_progress_report (progress, 1.0, "Writing JSON");
  return TRUE;
}

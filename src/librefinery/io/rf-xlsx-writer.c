#define G_LOG_DOMAIN "rf-xlsx-writer"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "rf-error.h"
#include "rf-timestamp.h"
#include "rf-xlsx-writer.h"

struct _RfXlsxBook
{
  lxw_workbook *workbook;
  lxw_format   *header;
  lxw_format   *datetime;
  char         *path;
  char         *temp_path;
  char         *display;
};

/* Unix time of Excel's day 0 in the 1900 date system as libxlsxwriter and
 * Excel count it from 1900-03-01 on: serial = seconds / 86400 + 25569. */
#define EXCEL_UNIX_EPOCH 25569.0
/* 1900-03-01T00:00:00Z: before it Excel's calendar has a 29 February 1900. */
#define EXCEL_FIRST_SAFE_US G_GINT64_CONSTANT (-2203891200000000)

static void
set_lxw_error (GError     **error,
               RfXlsxBook  *book,
               lxw_error    code)
{
  g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot write the Excel workbook %s: %s",
               book->display, lxw_strerror (code));
}

RfXlsxBook *
rf_xlsx_book_new (const char  *path,
                  GError     **error)
{
  g_autoptr(RfXlsxBook) book = g_new0 (RfXlsxBook, 1);
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;
  lxw_workbook_options options = { 0 };
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  book->path = g_strdup (path);
  book->display = g_filename_display_name (path);
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  template = g_strdup_printf (".%s.XXXXXX", base);
  book->temp_path = g_build_filename (dir, template, NULL);
  fd = g_mkstemp (book->temp_path);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot write the Excel workbook %s: %s", book->display,
                   g_strerror (saved));
      g_clear_pointer (&book->temp_path, g_free);
      return NULL;
    }
  close (fd);
  /* Rows go out as they are written, so memory stays flat for large
   * tables; libxlsxwriter's own temporary files go beside ours. */
  options.constant_memory = LXW_TRUE;
  options.tmpdir = dir;
  options.use_zip64 = LXW_TRUE;
  book->workbook = workbook_new_opt (book->temp_path, &options);
  if (book->workbook == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot start the Excel workbook %s", book->display);
      return NULL;
    }
  book->header = workbook_add_format (book->workbook);
  format_set_bold (book->header);
  book->datetime = workbook_add_format (book->workbook);
  format_set_num_format (book->datetime, "yyyy-mm-dd hh:mm:ss.000");
  return g_steal_pointer (&book);
}

void
rf_xlsx_book_free (RfXlsxBook *book)
{
  if (book == NULL)
    return;
  if (book->workbook != NULL)
    {
      /* Closing is the only way to free it; the file it writes goes. */
      workbook_close (book->workbook);
    }
  if (book->temp_path != NULL)
    g_unlink (book->temp_path);
  g_free (book->temp_path);
  g_free (book->path);
  g_free (book->display);
  g_free (book);
}

char *
rf_xlsx_sheet_name (const char *text)
{
  GString *name = g_string_new (NULL);
  glong n = 0;

  for (const char *p = text != NULL ? text : ""; *p != '\0' && n < 31; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (strchr ("[]:*?/\\", (int) c) != NULL && c < 128)
        g_string_append_c (name, '_');
      else
        g_string_append_unichar (name, c);
    }
  /* Excel refuses a name starting or ending with an apostrophe. */
  if (name->len > 0 && name->str[0] == '\'')
    name->str[0] = '_';
  if (name->len > 0 && name->str[name->len - 1] == '\'')
    name->str[name->len - 1] = '_';
  if (name->len == 0)
    g_string_assign (name, "Sheet1");
  return g_string_free (name, FALSE);
}

/* Checks the table against Excel's limits before anything is written. */
static gboolean
check_limits (RfXlsxBook     *book,
              const char     *sheet,
              const RfTable  *table,
              GError        **error)
{
  gsize rows = rf_table_get_n_rows (table);
  guint columns = rf_table_get_n_columns (table);

  if (rows + 1 > RF_XLSX_MAX_ROWS)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "%" G_GSIZE_FORMAT " rows do not fit in an Excel sheet (at most %d below the header); "
                   "write Parquet or CSV for more rows, or fewer rows to %s", rows, RF_XLSX_MAX_ROWS - 1,
                   book->display);
      return FALSE;
    }
  if (columns > RF_XLSX_MAX_COLUMNS)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "%u columns do not fit in an Excel sheet (at most %d); write Parquet or CSV instead of %s",
                   columns, RF_XLSX_MAX_COLUMNS, book->display);
      return FALSE;
    }
  for (guint c = 0; c < columns; c++)
    {
      const RfColumn *column = rf_table_get_column (table, c);

      if (g_utf8_strlen (column->name, -1) > RF_XLSX_MAX_CELL)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE, "The name of column %u is longer than an Excel cell "
                       "holds (%d characters); rename it before writing %s", c + 1, RF_XLSX_MAX_CELL, book->display);
          return FALSE;
        }
      if (column->type != RF_COLUMN_STRING)
        continue;
      for (gsize r = 0; r < column->n_rows; r++)
        {
          gsize length;
          const char *s = rf_column_get_string (column, r, &length);

          /* Bytes bound characters from above: count only long ones. */
          if (length > RF_XLSX_MAX_CELL && g_utf8_strlen (s, (gssize) length) > RF_XLSX_MAX_CELL)
            {
              g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                           "Row %" G_GSIZE_FORMAT " of column “%s” holds more text than an Excel cell (%d "
                           "characters); write CSV or Parquet instead of %s", r + 1, column->name,
                           RF_XLSX_MAX_CELL, book->display);
              return FALSE;
            }
        }
    }
  if (workbook_validate_sheet_name (book->workbook, sheet) != LXW_NO_ERROR)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "“%s” cannot name a sheet of %s: use 1 to 31 characters without [ ] : * ? / \\, "
                   "different from the other sheets", sheet, book->display);
      return FALSE;
    }
  return TRUE;
}

static lxw_error
write_cell (RfXlsxBook     *book,
            lxw_worksheet  *ws,
            const RfColumn *column,
            gsize           r,
            lxw_row_t       row,
            lxw_col_t       col,
            GString        *scratch)
{
  if (!rf_column_is_valid (column, r))
    return LXW_NO_ERROR;
  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      {
        double v = column->values.f64[r];
        return isfinite (v) ? worksheet_write_number (ws, row, col, v, NULL) : LXW_NO_ERROR;
      }
    case RF_COLUMN_INT64:
      {
        gint64 v = column->values.i64[r];

        if (v > (G_GINT64_CONSTANT (1) << 53) || v < -(G_GINT64_CONSTANT (1) << 53))
          {
            char text[32];
            g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, v);
            return worksheet_write_string (ws, row, col, text, NULL);
          }
        return worksheet_write_number (ws, row, col, (double) v, NULL);
      }
    case RF_COLUMN_BOOL:
      return worksheet_write_boolean (ws, row, col, column->values.u8[r] != 0, NULL);
    case RF_COLUMN_TIMESTAMP:
      {
        gint64 us = column->values.i64[r];

        if (us < EXCEL_FIRST_SAFE_US)
          {
            g_string_truncate (scratch, 0);
            rf_column_format_value (column, r, scratch);
            return worksheet_write_string (ws, row, col, scratch->str, NULL);
          }
        /* Days since Excel's epoch: a double keeps them to a microsecond. */
        return worksheet_write_number (ws, row, col, EXCEL_UNIX_EPOCH + (double) us / 86400e6, book->datetime);
      }
    case RF_COLUMN_STRING:
    default:
      {
        gsize length;
        const char *s = rf_column_get_string (column, r, &length);

        g_string_truncate (scratch, 0);
        g_string_append_len (scratch, s, (gssize) length);
        return worksheet_write_string (ws, row, col, scratch->str, NULL);
      }
    }
}

/* A column's width in characters from its header and first rows. */
static double
column_width (const RfColumn *column)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gsize width = (gsize) g_utf8_strlen (column->name, -1);

  if (column->type == RF_COLUMN_TIMESTAMP)
    return 24;
  for (gsize r = 0; r < MIN (column->n_rows, 100); r++)
    {
      g_string_truncate (text, 0);
      rf_column_format_value (column, r, text);
      width = MAX (width, (gsize) g_utf8_strlen (text->str, -1));
    }
  return CLAMP ((double) width + 2, 8, 50);
}

static void
add_chart (RfXlsxBook        *book,
           lxw_worksheet     *ws,
           const char        *sheet,
           const RfTable     *table,
           const RfXlsxChart *spec)
{
  static const uint8_t types[] = { LXW_CHART_COLUMN, LXW_CHART_BAR, LXW_CHART_LINE };
  lxw_chart *chart = workbook_add_chart (book->workbook, types[spec->type]);
  lxw_row_t last = (lxw_row_t) rf_table_get_n_rows (table);

  for (guint i = 0; i < spec->n_value_columns; i++)
    {
      lxw_chart_series *series = chart_add_series (chart, NULL, NULL);

      chart_series_set_categories (series, sheet, 1, (lxw_col_t) spec->category_column, last,
                                   (lxw_col_t) spec->category_column);
      chart_series_set_values (series, sheet, 1, (lxw_col_t) spec->value_columns[i], last,
                               (lxw_col_t) spec->value_columns[i]);
      chart_series_set_name_range (series, sheet, 0, (lxw_col_t) spec->value_columns[i]);
      if (spec->type == RF_XLSX_CHART_LINE)
        chart_series_set_marker_type (series, LXW_CHART_MARKER_NONE);
    }
  if (spec->title != NULL)
    chart_title_set_name (chart, spec->title);
  if (spec->x_title != NULL)
    chart_axis_set_name (chart->x_axis, spec->x_title);
  if (spec->y_title != NULL)
    chart_axis_set_name (chart->y_axis, spec->y_title);
  chart_legend_set_position (chart, LXW_CHART_LEGEND_BOTTOM);
  worksheet_insert_chart (ws, (lxw_row_t) spec->anchor_row, (lxw_col_t) spec->anchor_column, chart);
}

gboolean
rf_xlsx_book_add_table (RfXlsxBook         *book,
                        const char         *sheet_name,
                        const RfTable      *table,
                        const RfXlsxChart  *charts,
                        guint               n_charts,
                        RfProgress         *progress,
                        GCancellable       *cancellable,
                        GError            **error)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  guint columns = rf_table_get_n_columns (table);
  gsize rows = rf_table_get_n_rows (table);
  lxw_worksheet *ws;
  lxw_error code;

  g_return_val_if_fail (book != NULL && sheet_name != NULL && table != NULL, FALSE);

  if (!check_limits (book, sheet_name, table, error))
    return FALSE;
  ws = workbook_add_worksheet (book->workbook, sheet_name);
  if (ws == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID, "Cannot add the sheet “%s” to %s", sheet_name, book->display);
      return FALSE;
    }
  /* Sizes and panes first: in constant memory mode rows are final once
   * written. */
  for (guint c = 0; c < columns; c++)
    worksheet_set_column (ws, (lxw_col_t) c, (lxw_col_t) c, column_width (rf_table_get_column (table, c)), NULL);
  worksheet_freeze_panes (ws, 1, 0);
  for (guint c = 0; c < columns; c++)
    {
      code = worksheet_write_string (ws, 0, (lxw_col_t) c, rf_table_get_column (table, c)->name, book->header);
      if (code != LXW_NO_ERROR)
        {
          set_lxw_error (error, book, code);
          return FALSE;
        }
    }
  for (gsize r = 0; r < rows; r++)
    {
      for (guint c = 0; c < columns; c++)
        {
          code = write_cell (book, ws, rf_table_get_column (table, c), r, (lxw_row_t) (r + 1), (lxw_col_t) c, scratch);
          if (code != LXW_NO_ERROR)
            {
              set_lxw_error (error, book, code);
              return FALSE;
            }
        }
      if (r % 8192 == 8191)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          rf_progress_report (progress, (double) r / rows, NULL);
        }
    }
  for (guint i = 0; i < n_charts; i++)
    add_chart (book, ws, sheet_name, table, &charts[i]);
  rf_progress_report (progress, 1.0, NULL);
  return TRUE;
}

gboolean
rf_xlsx_book_commit (RfXlsxBook  *book,
                     GError     **error)
{
  g_autoptr(RfXlsxBook) owned = book;
  lxw_error code;
  int fd;

  g_return_val_if_fail (book != NULL, FALSE);

  code = workbook_close (book->workbook);
  book->workbook = NULL;
  if (code != LXW_NO_ERROR)
    {
      set_lxw_error (error, book, code);
      return FALSE;
    }
  /* On disk before it takes the name. */
  fd = g_open (book->temp_path, O_RDONLY, 0);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
  if (g_chmod (book->temp_path, 0644) != 0 || g_rename (book->temp_path, book->path) != 0)
    {
      int saved = errno;
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot write the Excel workbook %s: %s", book->display,
                   g_strerror (saved));
      return FALSE;
    }
  g_clear_pointer (&book->temp_path, g_free);
  return TRUE;
}

gboolean
rf_xlsx_write_table (const RfTable  *table,
                     const char     *path,
                     RfProgress     *progress,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autoptr(RfXlsxBook) book = NULL;
  g_autofree char *base = NULL, *sheet = NULL;
  char *dot;

  g_return_val_if_fail (table != NULL && path != NULL, FALSE);

  base = g_path_get_basename (path);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  sheet = rf_xlsx_sheet_name (base);
  book = rf_xlsx_book_new (path, error);
  if (book == NULL || !rf_xlsx_book_add_table (book, sheet, table, NULL, 0, progress, cancellable, error))
    return FALSE;
  return rf_xlsx_book_commit (g_steal_pointer (&book), error);
}

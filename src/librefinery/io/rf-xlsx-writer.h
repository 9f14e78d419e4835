/* rf-xlsx-writer.h: tables into Excel workbooks (.xlsx), with native charts.
 *
 * Built on libxlsxwriter. A workbook is written to a temporary file beside
 * its destination and renamed over it only once complete, so a failure
 * never leaves a half-written workbook where a good one was.
 *
 * Each table becomes a worksheet from A1: a bold header row (frozen), then
 * one row per table row. Doubles and integers are numbers, to 16
 * significant digits (libxlsxwriter's format; Excel shows 15: write
 * Parquet or CSV where every bit counts); integers beyond ±2^53, which a
 * spreadsheet cannot hold exactly, are written as text;
 * booleans are TRUE/FALSE; strings are text; timestamps are Excel dates in
 * the 1900 date system shown as "yyyy-mm-dd hh:mm:ss.000" (times before
 * 1900-03-01, where Excel's calendar is wrong, are written as ISO 8601
 * text); missing values, NaN and infinities are empty cells.
 *
 * Excel's limits are checked before anything is written: 1,048,576 rows
 * including the header, 16,384 columns, 32,767 characters in a cell, sheet
 * names of 1 to 31 characters without [ ] : * ? / \.
 */
#pragma once

#include <gio/gio.h>

#include "rf-progress.h"
#include "rf-table.h"

G_BEGIN_DECLS

#define RF_XLSX_MAX_ROWS    1048576
#define RF_XLSX_MAX_COLUMNS 16384
#define RF_XLSX_MAX_CELL    32767

typedef enum
{
  RF_XLSX_CHART_COLUMN,
  RF_XLSX_CHART_BAR,
  RF_XLSX_CHART_LINE,
} RfXlsxChartType;

/* A native chart over a sheet's cells: categories from one column, one
 * series per value column (named by its header), rows 2 to the table's
 * last; placed at (row, column) of the sheet, in cells. */
typedef struct
{
  RfXlsxChartType type;
  const char     *title;
  const char     *x_title;
  const char     *y_title;
  guint           category_column;
  const guint    *value_columns;
  guint           n_value_columns;
  guint           anchor_row;
  guint           anchor_column;
} RfXlsxChart;

typedef struct _RfXlsxBook RfXlsxBook;

/* Starts a workbook that rf_xlsx_book_commit will place at path. Errors:
 * RF_ERROR_IO when the folder is missing or not writable. */
RfXlsxBook *rf_xlsx_book_new        (const char         *path,
                                     GError            **error);
/* Adds a worksheet holding table; charts (may be NULL) refer to its cells.
 * Errors: RF_ERROR_TOO_LARGE over Excel's limits, RF_ERROR_INVALID for a
 * bad or repeated sheet name, G_IO_ERROR_CANCELLED. */
gboolean    rf_xlsx_book_add_table  (RfXlsxBook         *book,
                                     const char         *sheet_name,
                                     const RfTable      *table,
                                     const RfXlsxChart  *charts,
                                     guint               n_charts,
                                     RfProgress         *progress,
                                     GCancellable       *cancellable,
                                     GError            **error);
/* Writes the workbook and renames it over path. The book is freed either
 * way. */
gboolean    rf_xlsx_book_commit     (RfXlsxBook         *book,
                                     GError            **error);
/* Drops an unfinished workbook and its temporary file. */
void        rf_xlsx_book_free       (RfXlsxBook         *book);

/* A sheet name from any text: the characters Excel refuses become '_',
 * cut to 31 characters; "Sheet1" for an empty one. */
char       *rf_xlsx_sheet_name      (const char         *text);

/* One table as a one-sheet workbook named after the file. */
gboolean    rf_xlsx_write_table     (const RfTable      *table,
                                     const char         *path,
                                     RfProgress         *progress,
                                     GCancellable       *cancellable,
                                     GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfXlsxBook, rf_xlsx_book_free)

G_END_DECLS

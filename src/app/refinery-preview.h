/* refinery-preview.h: the first rows of a file, in a sortable column view.
 *
 * Shows a summary line of what the reader detected (file name, format,
 * encoding, delimiter, decimal mark, rows × columns) above a GtkColumnView
 * with one resizable, sortable column per table column. The model is
 * virtual (RefineryTableModel); numeric columns sort by value, string
 * columns as text; missing values show as a dimmed "—".
 */
#pragma once

#include <gtk/gtk.h>

#include "rf-reader.h"

G_BEGIN_DECLS

/* How many rows of a file the preview shows. */
#define REFINERY_PREVIEW_ROWS 100
/* How many columns it shows: a column view builds every column of each
 * visible row, so a file with thousands of columns is cut here. */
#define REFINERY_PREVIEW_MAX_COLUMNS 200
/* Characters of a value a cell shows; longer text ends in "…". */
#define REFINERY_PREVIEW_MAX_CHARS 200

#define REFINERY_TYPE_PREVIEW (refinery_preview_get_type ())

G_DECLARE_FINAL_TYPE (RefineryPreview, refinery_preview, REFINERY, PREVIEW, GtkWidget)

GtkWidget     *refinery_preview_new             (void);
/* Shows table (the rows to preview, at most REFINERY_PREVIEW_ROWS of them)
 * read as described by report (its n_rows is the file's row count; NULL:
 * none known). The table is referenced; the report is only read. NULL table
 * clears the preview. */
void           refinery_preview_set_table       (RefineryPreview    *self,
                                                 RfTable            *table,
                                                 const RfReadReport *report);
RfTable       *refinery_preview_get_table       (RefineryPreview    *self);
/* The summary as one line: "a.csv · CSV · UTF-8 · delimiter “,” · decimal
 * mark “.” · 5 rows × 3 columns" (shown as the file name over the rest). */
const char    *refinery_preview_get_summary     (RefineryPreview    *self);
GtkColumnView *refinery_preview_get_column_view (RefineryPreview    *self);
/* The rows in display order (RefineryTableRow items, after sorting). */
GListModel    *refinery_preview_get_rows        (RefineryPreview    *self);
/* The header title of a column, e.g. "s_2 · double" or "T24 · double · °R". */
char          *refinery_preview_column_title    (const RfColumn     *column);

G_END_DECLS

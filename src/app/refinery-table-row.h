/* refinery-table-row.h: one row of an RfTable, as an item of a GListModel.
 *
 * A row is a row index plus a reference to the table, nothing more: list
 * views create and drop them freely, and the cells are formatted only when
 * they are bound.
 */
#pragma once

#include <gio/gio.h>

#include "rf-table.h"

G_BEGIN_DECLS

#define REFINERY_TYPE_TABLE_ROW (refinery_table_row_get_type ())

G_DECLARE_FINAL_TYPE (RefineryTableRow, refinery_table_row, REFINERY, TABLE_ROW, GObject)

RefineryTableRow *refinery_table_row_new         (RfTable          *table,
                                                  gsize             index);
RfTable          *refinery_table_row_get_table   (RefineryTableRow *self);
gsize             refinery_table_row_get_index   (RefineryTableRow *self);
gboolean          refinery_table_row_is_missing  (RefineryTableRow *self,
                                                  guint             column);
/* The text a cell shows: rf_column_format_value(), or NULL when the value
 * is missing. */
char             *refinery_table_row_dup_text    (RefineryTableRow *self,
                                                  guint             column);
/* Orders two rows of the same table by one column: numeric columns by value,
 * string columns as text (g_utf8_collate). Missing values come after every
 * present value. Returns <0, 0 or >0. */
int               refinery_table_row_compare     (RefineryTableRow *a,
                                                  RefineryTableRow *b,
                                                  guint             column);

G_END_DECLS

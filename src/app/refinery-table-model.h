/* refinery-table-model.h: an RfTable as a GListModel of RefineryTableRow.
 *
 * Row objects are made on first request and kept, so a row has one identity
 * for as long as the model lives (sorters and selections rely on it).
 */
#pragma once

#include <gio/gio.h>

#include "rf-table.h"

G_BEGIN_DECLS

#define REFINERY_TYPE_TABLE_MODEL (refinery_table_model_get_type ())

G_DECLARE_FINAL_TYPE (RefineryTableModel, refinery_table_model, REFINERY, TABLE_MODEL, GObject)

/* table NULL: an empty model. */
RefineryTableModel *refinery_table_model_new        (RfTable            *table);
/* NULL for an empty model. */
RfTable            *refinery_table_model_get_table  (RefineryTableModel *self);

G_END_DECLS

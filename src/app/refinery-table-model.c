#define G_LOG_DOMAIN "refinery-table-model"

#include "config.h"

#include "refinery-table-model.h"
#include "refinery-table-row.h"

struct _RefineryTableModel
{
  GObject parent_instance;

  RfTable *table;
  /* RefineryTableRow or NULL, one slot per row, filled on demand */
  GPtrArray *rows;
};

static void
row_free (gpointer row)
{
  /* Slots of rows never asked for are still NULL. */
  if (row != NULL)
    g_object_unref (row);
}

static GType
refinery_table_model_get_item_type (GListModel *model)
{
  return REFINERY_TYPE_TABLE_ROW;
}

static guint
refinery_table_model_get_n_items (GListModel *model)
{
  RefineryTableModel *self = REFINERY_TABLE_MODEL (model);

  return self->rows->len;
}

static gpointer
refinery_table_model_get_item (GListModel *model,
                               guint       position)
{
  RefineryTableModel *self = REFINERY_TABLE_MODEL (model);

  if (position >= self->rows->len)
    return NULL;

  if (g_ptr_array_index (self->rows, position) == NULL)
    g_ptr_array_index (self->rows, position) = refinery_table_row_new (self->table, position);

  return g_object_ref (g_ptr_array_index (self->rows, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = refinery_table_model_get_item_type;
  iface->get_n_items = refinery_table_model_get_n_items;
  iface->get_item = refinery_table_model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (RefineryTableModel, refinery_table_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
refinery_table_model_finalize (GObject *object)
{
  RefineryTableModel *self = (RefineryTableModel *)object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->table, rf_table_unref);

  G_OBJECT_CLASS (refinery_table_model_parent_class)->finalize (object);
}

static void
refinery_table_model_class_init (RefineryTableModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = refinery_table_model_finalize;
}

static void
refinery_table_model_init (RefineryTableModel *self)
{
}

RefineryTableModel *
refinery_table_model_new (RfTable *table)
{
  RefineryTableModel *self;
  gsize n_rows;

  n_rows = table != NULL ? rf_table_get_n_rows (table) : 0;
  /* A GListModel counts in guint; the preview only ever holds a slice. */
  g_return_val_if_fail (n_rows <= G_MAXUINT, NULL);

  self = g_object_new (REFINERY_TYPE_TABLE_MODEL, NULL);
  self->table = table != NULL ? rf_table_ref (table) : NULL;
  self->rows = g_ptr_array_new_full (n_rows, row_free);
  g_ptr_array_set_size (self->rows, n_rows);
  return self;
}

RfTable *
refinery_table_model_get_table (RefineryTableModel *self)
{
  g_return_val_if_fail (REFINERY_IS_TABLE_MODEL (self), NULL);

  return self->table;
}

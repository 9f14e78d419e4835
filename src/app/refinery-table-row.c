#define G_LOG_DOMAIN "refinery-table-row"

#include "config.h"

#include <math.h>
#include <string.h>

#include "refinery-table-row.h"

struct _RefineryTableRow
{
  GObject parent_instance;

  RfTable *table;
  gsize index;
};

G_DEFINE_FINAL_TYPE (RefineryTableRow, refinery_table_row, G_TYPE_OBJECT)

static void
refinery_table_row_finalize (GObject *object)
{
  RefineryTableRow *self = (RefineryTableRow *)object;

  g_clear_pointer (&self->table, rf_table_unref);

  G_OBJECT_CLASS (refinery_table_row_parent_class)->finalize (object);
}

static void
refinery_table_row_class_init (RefineryTableRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = refinery_table_row_finalize;
}

static void
refinery_table_row_init (RefineryTableRow *self)
{
}

RefineryTableRow *
refinery_table_row_new (RfTable *table,
                        gsize    index)
{
  RefineryTableRow *self;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (index < rf_table_get_n_rows (table), NULL);

  self = g_object_new (REFINERY_TYPE_TABLE_ROW, NULL);
  self->table = rf_table_ref (table);
  self->index = index;
  return self;
}

RfTable *
refinery_table_row_get_table (RefineryTableRow *self)
{
  g_return_val_if_fail (REFINERY_IS_TABLE_ROW (self), NULL);

  return self->table;
}

gsize
refinery_table_row_get_index (RefineryTableRow *self)
{
  g_return_val_if_fail (REFINERY_IS_TABLE_ROW (self), 0);

  return self->index;
}

gboolean
refinery_table_row_is_missing (RefineryTableRow *self,
                               guint             column)
{
  g_return_val_if_fail (REFINERY_IS_TABLE_ROW (self), TRUE);
  g_return_val_if_fail (column < rf_table_get_n_columns (self->table), TRUE);

  return !rf_column_is_valid (rf_table_get_column (self->table, column), self->index);
}

char *
refinery_table_row_dup_text (RefineryTableRow *self,
                             guint             column)
{
  RfColumn *col;
  GString *text;

  g_return_val_if_fail (REFINERY_IS_TABLE_ROW (self), NULL);
  g_return_val_if_fail (column < rf_table_get_n_columns (self->table), NULL);

  col = rf_table_get_column (self->table, column);
  if (!rf_column_is_valid (col, self->index))
    return NULL;

  text = g_string_new (NULL);
  rf_column_format_value (col, self->index, text);
  return g_string_free (text, FALSE);
}

static int
compare_strings (const RfColumn *col,
                 gsize           a,
                 gsize           b)
{
  const char *sa, *sb;
  gsize la, lb;
  g_autofree char *ca = NULL;
  g_autofree char *cb = NULL;

  /* Values are not NUL-terminated, and collation wants whole strings. */
  sa = rf_column_get_string (col, a, &la);
  sb = rf_column_get_string (col, b, &lb);
  ca = g_strndup (sa, la);
  cb = g_strndup (sb, lb);
  return g_utf8_collate (ca, cb);
}

static int
compare_values (const RfColumn *col,
                gsize           a,
                gsize           b)
{
  switch (col->type)
    {
    case RF_COLUMN_DOUBLE:
      {
        double da = col->values.f64[a];
        double db = col->values.f64[b];

        /* NaN read from a file sorts after every number. */
        if (isnan (da) || isnan (db))
          return isnan (da) - isnan (db);
        return (da > db) - (da < db);
      }

    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      {
        gint64 ia = col->values.i64[a];
        gint64 ib = col->values.i64[b];

        return (ia > ib) - (ia < ib);
      }

    case RF_COLUMN_BOOL:
      return (int) col->values.u8[a] - (int) col->values.u8[b];

    case RF_COLUMN_STRING:
      return compare_strings (col, a, b);

    default:
      g_assert_not_reached ();
    }
}

int
refinery_table_row_compare (RefineryTableRow *a,
                            RefineryTableRow *b,
                            guint             column)
{
  RfColumn *col;
  gboolean valid_a, valid_b;

  g_return_val_if_fail (REFINERY_IS_TABLE_ROW (a), 0);
  g_return_val_if_fail (REFINERY_IS_TABLE_ROW (b), 0);
  g_return_val_if_fail (a->table == b->table, 0);
  g_return_val_if_fail (column < rf_table_get_n_columns (a->table), 0);

  col = rf_table_get_column (a->table, column);
  valid_a = rf_column_is_valid (col, a->index);
  valid_b = rf_column_is_valid (col, b->index);
  if (!valid_a || !valid_b)
    return (int) valid_b - (int) valid_a;

  return compare_values (col, a->index, b->index);
}

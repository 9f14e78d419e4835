#define G_LOG_DOMAIN "rf-table"

#include "config.h"

#include "rf-table.h"

struct _RfTable
{
  gatomicrefcount ref_count;
  GPtrArray *columns;   /* RfColumn, owned */
  gsize n_rows;
};

RfTable *
rf_table_new (void)
{
  RfTable *table = g_new0 (RfTable, 1);

  g_atomic_ref_count_init (&table->ref_count);
  table->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) rf_column_unref);
  return table;
}

RfTable *
rf_table_ref (RfTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_atomic_ref_count_inc (&table->ref_count);
  return table;
}

void
rf_table_unref (RfTable *table)
{
  g_return_if_fail (table != NULL);
  if (!g_atomic_ref_count_dec (&table->ref_count))
    return;
  g_ptr_array_unref (table->columns);
  g_free (table);
}

gsize
rf_table_get_n_rows (const RfTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->n_rows;
}

guint
rf_table_get_n_columns (const RfTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->columns->len;
}

RfColumn *
rf_table_get_column (const RfTable *table,
                     guint          index)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (index < table->columns->len, NULL);
  return g_ptr_array_index (table->columns, index);
}

int
rf_table_find_column_index (const RfTable *table,
                            const char    *name)
{
  g_return_val_if_fail (table != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);
  for (guint i = 0; i < table->columns->len; i++)
    {
      RfColumn *column = g_ptr_array_index (table->columns, i);
      if (g_strcmp0 (column->name, name) == 0)
        return (int) i;
    }
  return -1;
}

RfColumn *
rf_table_find_column (const RfTable *table,
                      const char    *name)
{
  int index = rf_table_find_column_index (table, name);
  return index < 0 ? NULL : g_ptr_array_index (table->columns, index);
}

void
rf_table_add_column (RfTable  *table,
                     RfColumn *column)
{
  g_return_if_fail (table != NULL);
  g_return_if_fail (column != NULL);
  g_return_if_fail (table->columns->len == 0 || column->n_rows == table->n_rows);
  g_return_if_fail (rf_table_find_column_index (table, column->name) < 0);

  if (table->columns->len == 0)
    table->n_rows = column->n_rows;
  g_ptr_array_add (table->columns, rf_column_ref (column));
}

void
rf_table_remove_column (RfTable *table,
                        guint    index)
{
  g_return_if_fail (table != NULL);
  g_return_if_fail (index < table->columns->len);
  g_ptr_array_remove_index (table->columns, index);
  if (table->columns->len == 0)
    table->n_rows = 0;
}

char *
rf_table_unique_name (const RfTable *table,
                      const char    *name,
                      guint          index)
{
  g_autofree char *base = NULL;
  char *candidate;

  g_return_val_if_fail (table != NULL, NULL);

  base = (name == NULL || *name == '\0') ? g_strdup_printf ("column_%u", index + 1) : g_strdup (name);
  if (rf_table_find_column_index (table, base) < 0)
    return g_steal_pointer (&base);
  for (guint n = 2;; n++)
    {
      candidate = g_strdup_printf ("%s_%u", base, n);
      if (rf_table_find_column_index (table, candidate) < 0)
        return candidate;
      g_free (candidate);
    }
}

RfTable *
rf_table_take_rows (const RfTable *table,
                    const gsize   *rows,
                    gsize          n)
{
  RfTable *taken;

  g_return_val_if_fail (table != NULL, NULL);

  taken = rf_table_new ();
  for (guint c = 0; c < table->columns->len; c++)
    {
      g_autoptr(RfColumn) column = rf_column_take_rows (g_ptr_array_index (table->columns, c), rows, n);
      rf_table_add_column (taken, column);
    }
  return taken;
}

RfTable *
rf_table_slice (const RfTable *table,
                gsize          offset,
                gsize          n_rows)
{
  RfTable *slice;
  gsize end;

  g_return_val_if_fail (table != NULL, NULL);

  offset = MIN (offset, table->n_rows);
  end = offset + MIN (n_rows, table->n_rows - offset);
  slice = rf_table_new ();
  for (guint c = 0; c < table->columns->len; c++)
    {
      const RfColumn *src = g_ptr_array_index (table->columns, c);
      g_autoptr(RfColumn) dst = rf_column_new_sized (src->name, src->type, end - offset);

      rf_column_set_unit (dst, src->unit);
      rf_column_set_role (dst, src->role);
      for (gsize r = offset; r < end; r++)
        {
          if (!rf_column_is_valid (src, r))
            {
              rf_column_append_null (dst);
              continue;
            }
          switch (src->type)
            {
            case RF_COLUMN_DOUBLE:
              rf_column_append_double (dst, src->values.f64[r]);
              break;
            case RF_COLUMN_INT64:
              rf_column_append_int64 (dst, src->values.i64[r]);
              break;
            case RF_COLUMN_TIMESTAMP:
              rf_column_append_timestamp (dst, src->values.i64[r]);
              break;
            case RF_COLUMN_BOOL:
              rf_column_append_bool (dst, src->values.u8[r]);
              break;
            case RF_COLUMN_STRING:
            default:
              {
                gsize len;
                const char *s = rf_column_get_string (src, r, &len);
                rf_column_append_string (dst, s, (gssize) len);
              }
              break;
            }
        }
      rf_table_add_column (slice, dst);
    }
  if (slice->columns->len == 0)
    slice->n_rows = 0;
  return slice;
}

gsize
rf_table_get_memory_size (const RfTable *table)
{
  gsize total = 0;

  g_return_val_if_fail (table != NULL, 0);
  for (guint c = 0; c < table->columns->len; c++)
    {
      const RfColumn *column = g_ptr_array_index (table->columns, c);

      switch (column->type)
        {
        case RF_COLUMN_DOUBLE:
        case RF_COLUMN_INT64:
        case RF_COLUMN_TIMESTAMP:
          total += column->n_rows * 8;
          break;
        case RF_COLUMN_BOOL:
          total += column->n_rows;
          break;
        case RF_COLUMN_STRING:
        default:
          total += (column->n_rows + 1) * sizeof (guint64) + column->n_bytes;
          break;
        }
      if (column->validity != NULL)
        total += (column->n_rows + 7) / 8;
    }
  return total;
}

/* rf-table.h: a columnar table, the data every step of the workflow passes on.
 *
 * All columns have the same number of rows. A table with no columns has
 * n_rows == 0 until its first column is added. Column names are unique
 * within a table.
 */
#pragma once

#include <glib.h>

#include "rf-column.h"

G_BEGIN_DECLS

typedef struct _RfTable RfTable;

RfTable        *rf_table_new                  (void);
RfTable        *rf_table_ref                  (RfTable        *table);
void            rf_table_unref                (RfTable        *table);

gsize           rf_table_get_n_rows           (const RfTable  *table);
guint           rf_table_get_n_columns        (const RfTable  *table);
RfColumn       *rf_table_get_column           (const RfTable  *table,
                                               guint           index);
RfColumn       *rf_table_find_column          (const RfTable  *table,
                                               const char     *name);
/* -1 when there is no such column. */
int             rf_table_find_column_index    (const RfTable  *table,
                                               const char     *name);

/* Takes a reference. Fails (programming error) when the row count differs
 * from the table's or the name is already taken: use rf_table_unique_name()
 * to pick a free one first. */
void            rf_table_add_column           (RfTable        *table,
                                               RfColumn       *column);
void            rf_table_remove_column        (RfTable        *table,
                                               guint           index);

/* name, or name_2, name_3, ... whichever is not yet a column name; an empty
 * name becomes "column_<index+1>". Newly allocated. */
char           *rf_table_unique_name          (const RfTable  *table,
                                               const char     *name,
                                               guint           index);

/* A new table holding rows [offset, offset + n) of every column (clamped to
 * the table's size): for previews. */
RfTable        *rf_table_slice                (const RfTable  *table,
                                               gsize           offset,
                                               gsize           n_rows);

/* A new table of the rows rows[0..n) of every column, in that order (see
 * rf_column_take_rows). */
RfTable        *rf_table_take_rows            (const RfTable  *table,
                                               const gsize    *rows,
                                               gsize           n);

/* Bytes of value, offset, string and bitmap storage (what the table costs). */
gsize           rf_table_get_memory_size      (const RfTable  *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfTable, rf_table_unref)

G_END_DECLS

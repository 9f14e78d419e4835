/* rf-duplicates.h: rows that repeat an earlier row exactly.
 *
 * Every column's value must be equal (missing equals missing; doubles by
 * value, so 0 equals −0 and NaN equals NaN, as pandas' drop_duplicates
 * sees them). Rows are hashed column by column, the hashes sorted (a radix
 * sort), and rows with equal hashes compared exactly, so a hash collision
 * never counts as a duplicate.
 */
#pragma once

#include <glib.h>

#include "rf-table.h"

G_BEGIN_DECLS

/* Sets is_duplicate[r] (n_rows entries, caller-allocated) to TRUE for every
 * row equal to an earlier row, and returns how many there are. The first
 * of equal rows is never marked. */
gsize    rf_table_mark_duplicates   (const RfTable *table,
                                     gboolean      *is_duplicate);

G_END_DECLS

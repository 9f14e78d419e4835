/* rf-assignment.h: the best one-to-one pairing of rows with columns.
 *
 * Column mapping scores every (data column, sensor) pair; choosing each
 * column's best sensor greedily can give two columns the same sensor or
 * take a sensor from the column that needed it most. This solves the
 * assignment problem exactly (the Hungarian method with potentials,
 * O(n³) for n = max(rows, columns)).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* scores is n_rows × n_cols, row-major. Fills assignment[row] with the
 * column paired with that row, or -1, so that the sum of the scores of the
 * pairs is the largest possible, each column used at most once, and no
 * pair scores below min_score. Among equally good assignments the result
 * is deterministic. n_rows or n_cols may be 0. */
void      rf_assignment_maximise   (const double  *scores,
                                    guint          n_rows,
                                    guint          n_cols,
                                    double         min_score,
                                    int           *assignment);

G_END_DECLS

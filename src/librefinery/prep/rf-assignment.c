#define G_LOG_DOMAIN "rf-assignment"

#include "config.h"

#include <math.h>

#include "rf-assignment.h"

void
rf_assignment_maximise (const double *scores,
                        guint         n_rows,
                        guint         n_cols,
                        double        min_score,
                        int          *assignment)
{
  guint n = MAX (n_rows, n_cols);
  double top = 0;
  g_autofree double *cost = NULL;
  g_autofree double *u = NULL, *v = NULL, *min_to = NULL;
  g_autofree guint *owner = NULL, *way = NULL;
  g_autofree gboolean *visited = NULL;

  g_return_if_fail (n_rows == 0 || assignment != NULL);
  g_return_if_fail (n_rows == 0 || n_cols == 0 || scores != NULL);

  for (guint r = 0; r < n_rows; r++)
    assignment[r] = -1;
  if (n_rows == 0 || n_cols == 0)
    return;

  /* A square minimisation: an eligible pair costs top − score, anything else
   * (ineligible pairs, padding) top, which is what leaving it unpaired is
   * worth. Minimising the total cost maximises the eligible scores. */
  for (gsize i = 0; i < (gsize) n_rows * n_cols; i++)
    if (scores[i] >= min_score && isfinite (scores[i]))
      top = MAX (top, scores[i]);
  cost = g_new (double, (gsize) n * n);
  for (guint r = 0; r < n; r++)
    for (guint c = 0; c < n; c++)
      {
        double s = r < n_rows && c < n_cols ? scores[(gsize) r * n_cols + c] : -INFINITY;
        cost[(gsize) r * n + c] = s >= min_score && isfinite (s) ? top - s : top;
      }

  /* Potentials u (rows), v (columns); owner[c] is the row (1-based, 0 =
   * none) holding column c (1-based, column 0 is the start sentinel). */
  u = g_new0 (double, n + 1);
  v = g_new0 (double, n + 1);
  owner = g_new0 (guint, n + 1);
  way = g_new0 (guint, n + 1);
  min_to = g_new (double, n + 1);
  visited = g_new (gboolean, n + 1);
  for (guint r = 1; r <= n; r++)
    {
      guint c0 = 0;

      owner[0] = r;
      for (guint c = 0; c <= n; c++)
        {
          min_to[c] = INFINITY;
          visited[c] = FALSE;
        }
      do
        {
          guint r0 = owner[c0], c1 = 0;
          double delta = INFINITY;

          visited[c0] = TRUE;
          for (guint c = 1; c <= n; c++)
            {
              if (visited[c])
                continue;
              double reduced = cost[(gsize) (r0 - 1) * n + (c - 1)] - u[r0] - v[c];
              if (reduced < min_to[c])
                {
                  min_to[c] = reduced;
                  way[c] = c0;
                }
              if (min_to[c] < delta)
                {
                  delta = min_to[c];
                  c1 = c;
                }
            }
          for (guint c = 0; c <= n; c++)
            {
              if (visited[c])
                {
                  u[owner[c]] += delta;
                  v[c] -= delta;
                }
              else
                min_to[c] -= delta;
            }
          c0 = c1;
        }
      while (owner[c0] != 0);
      do
        {
          guint c1 = way[c0];
          owner[c0] = owner[c1];
          c0 = c1;
        }
      while (c0 != 0);
    }

  for (guint c = 1; c <= n; c++)
    {
      guint r = owner[c] - 1;
      if (r < n_rows && c - 1 < n_cols)
        {
          double s = scores[(gsize) r * n_cols + (c - 1)];
          if (s >= min_score && isfinite (s))
            assignment[r] = (int) (c - 1);
        }
    }
}

/* rf-parallel.h: independent work items on several threads.
 *
 * rf_parallel_for runs func (i, data) once for every i in [0, n), items
 * handed out in order to n_threads threads (the calling thread is one of
 * them). Items must not depend on each other, so that results do not
 * depend on the thread count.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef void (*RfParallelFunc) (guint    i,
                                gpointer data);

/* n_threads 0: one per core. Never more threads than items. */
void rf_parallel_for (guint          n,
                      guint          n_threads,
                      RfParallelFunc func,
                      gpointer       data);

G_END_DECLS

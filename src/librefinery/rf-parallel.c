#define G_LOG_DOMAIN "rf-parallel"

#include "config.h"

#include "rf-parallel.h"

typedef struct
{
  RfParallelFunc func;
  gpointer data;
  guint n;
  gint next;
} Parallel;

static gpointer
parallel_worker (gpointer data)
{
  Parallel *p = data;

  for (;;)
    {
      guint i = (guint) g_atomic_int_add (&p->next, 1);
      if (i >= p->n)
        return NULL;
      p->func (i, p->data);
    }
}

void
rf_parallel_for (guint          n,
                 guint          n_threads,
                 RfParallelFunc func,
                 gpointer       data)
{
  Parallel p = { func, data, n, 0 };
  g_autofree GThread **threads = NULL;

  g_return_if_fail (func != NULL);

  if (n_threads == 0)
    n_threads = MAX (g_get_num_processors (), 1);
  n_threads = MIN (n_threads, MAX (n, 1));
  threads = g_new0 (GThread *, n_threads);
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("rf-parallel", parallel_worker, &p);
  parallel_worker (&p);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
}

#define G_LOG_DOMAIN "rf-progress"

#include "config.h"

#include "rf-progress.h"

RfProgress
rf_progress_init (RfProgressFunc func,
                  gpointer       user_data)
{
  RfProgress progress = { func, user_data, 0.0, 1.0, -1, NULL };
  return progress;
}

RfProgress
rf_progress_range (RfProgress *parent,
                   double      start,
                   double      end)
{
  RfProgress sub = { NULL, NULL, 0.0, 1.0, -1, NULL };

  if (parent == NULL || parent->func == NULL)
    return sub;
  start = CLAMP (start, 0.0, 1.0);
  end = CLAMP (end, start, 1.0);
  sub.func = parent->func;
  sub.user_data = parent->user_data;
  sub.start = parent->start + (parent->end - parent->start) * start;
  sub.end = parent->start + (parent->end - parent->start) * end;
  sub.shared_last = parent->shared_last != NULL ? parent->shared_last : &parent->last_permille;
  return sub;
}

void
rf_progress_report (RfProgress *progress,
                    double      fraction,
                    const char *message)
{
  gint *last;
  gint permille, seen;
  double overall;

  if (progress == NULL || progress->func == NULL)
    return;

  fraction = CLAMP (fraction, 0.0, 1.0);
  overall = progress->start + (progress->end - progress->start) * fraction;
  permille = (gint) (overall * 1000.0);

  /* Throttle: skip unless we moved by 5 permille, or reached the very end.
   * A lost race only means one extra or one skipped report. */
  last = progress->shared_last != NULL ? progress->shared_last : &progress->last_permille;
  seen = g_atomic_int_get (last);
  if (seen >= 0 && permille < seen + 5 && !(permille == 1000 && seen != 1000))
    return;
  if (!g_atomic_int_compare_and_exchange (last, seen, permille))
    return;
  progress->func (overall, message, progress->user_data);
}

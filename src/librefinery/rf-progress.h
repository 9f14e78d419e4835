/* rf-progress.h: progress reporting for long calls.
 *
 * Every long core call takes an `RfProgress *progress` (may be NULL) next to
 * its GCancellable. The callback runs in whatever thread does the work, so it
 * must be cheap and thread-safe: the GUI queues an idle to its main context,
 * the CLI redraws a bar on stderr. Reports are throttled here (at most one
 * per 1/200 of the range, plus the final one), so loops may report freely.
 *
 * A step of a larger job reports into a sub-range of its parent:
 *
 *   RfProgress read = rf_progress_range (progress, 0.0, 0.8);
 *   table = rf_read_file (path, NULL, NULL, &read, cancellable, error);
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* fraction is in [0, 1]; message is a short translated phrase or NULL. */
typedef void (*RfProgressFunc) (double      fraction,
                                const char *message,
                                gpointer    user_data);

typedef struct _RfProgress RfProgress;

struct _RfProgress
{
  RfProgressFunc func;
  gpointer user_data;
  /*< private >*/
  double start;            /* this reporter's slice of the top-level range */
  double end;
  gint last_permille;      /* atomic: throttling state of the top level */
  gint *shared_last;       /* sub-ranges share their parent's throttle */
};

/* A reporter calling func(fraction, message, user_data) over [0, 1]. */
RfProgress  rf_progress_init    (RfProgressFunc  func,
                                 gpointer        user_data);
/* The [start, end] part of parent (NULL parent gives a silent reporter). */
RfProgress  rf_progress_range   (RfProgress     *parent,
                                 double          start,
                                 double          end);
/* NULL-safe. fraction outside [0, 1] is clamped. */
void        rf_progress_report  (RfProgress     *progress,
                                 double          fraction,
                                 const char     *message);

G_END_DECLS

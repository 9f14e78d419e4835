/* rf-cli-progress.h: a progress bar on stderr, driven by an RfProgress.
 *
 * The bar is drawn only when stderr is a terminal, so scripts and pipes see
 * nothing but the command's output. It is redrawn in place ("\r") from
 * whatever thread reports, at most a few times per second, and erased by
 * rf_cli_progress_finish() so that no trace remains above the next output.
 */
#pragma once

#include "rf-progress.h"

G_BEGIN_DECLS

typedef struct _RfCliProgress RfCliProgress;

/* label: what is being done ("Reading data.csv"). */
RfCliProgress *rf_cli_progress_new      (const char    *label);
/* The reporter to pass to core calls; valid until the bar is freed. */
RfProgress    *rf_cli_progress_get      (RfCliProgress *bar);
/* Erases the bar (no-op when none was drawn). */
void           rf_cli_progress_finish   (RfCliProgress *bar);
/* Finishes the bar if needed and frees it. */
void           rf_cli_progress_free     (RfCliProgress *bar);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfCliProgress, rf_cli_progress_free)

G_END_DECLS

#define G_LOG_DOMAIN "rf-cli-progress"

#include "config.h"

#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "rf-cli-progress.h"

/* Redrawing more often than this only makes the terminal flicker. */
#define REDRAW_INTERVAL_USEC (100 * 1000)

struct _RfCliProgress
{
  RfProgress progress;
  GMutex lock;
  char *label;
  gboolean enabled;     /* stderr is a terminal */
  gboolean drawn;       /* something is on the line that finish must erase */
  gint64 last_draw;
  int last_permille;
};

static int
terminal_width (void)
{
  struct winsize size;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= 20)
    return size.ws_col;
  return 80;
}

static void
draw (RfCliProgress *bar,
      double         fraction,
      const char    *message)
{
  g_autoptr(GString) line = g_string_new ("\r\033[K");
  int width = terminal_width ();
  int text_width;
  int bar_width;
  int filled;
  const char *text = message != NULL ? message : bar->label;

  /* "text [#####-----] 45%": the text gets at most half the line. */
  text_width = MIN ((int) g_utf8_strlen (text, -1), width / 2);
  bar_width = width - text_width - 10;
  if (bar_width < 10)
    bar_width = 10;
  filled = (int) (fraction * bar_width + 0.5);

  if (text_width > 0)
    {
      const char *end = g_utf8_offset_to_pointer (text, text_width);
      g_string_append_len (line, text, end - text);
      g_string_append_c (line, ' ');
    }
  g_string_append_c (line, '[');
  for (int i = 0; i < bar_width; i++)
    g_string_append_c (line, i < filled ? '#' : '-');
  g_string_append_printf (line, "] %3d%%", (int) (fraction * 100 + 0.5));
  fputs (line->str, stderr);
  fflush (stderr);
  bar->drawn = TRUE;
}

static void
on_progress (double      fraction,
             const char *message,
             gpointer    user_data)
{
  RfCliProgress *bar = user_data;
  gint64 now = g_get_monotonic_time ();
  int permille = (int) (fraction * 1000);

  g_mutex_lock (&bar->lock);
  if (bar->enabled && permille != bar->last_permille &&
      (now - bar->last_draw >= REDRAW_INTERVAL_USEC || fraction >= 1.0))
    {
      draw (bar, fraction, message);
      bar->last_draw = now;
      bar->last_permille = permille;
    }
  g_mutex_unlock (&bar->lock);
}

RfCliProgress *
rf_cli_progress_new (const char *label)
{
  RfCliProgress *bar = g_new0 (RfCliProgress, 1);

  g_mutex_init (&bar->lock);
  bar->label = g_strdup (label != NULL ? label : "");
  bar->enabled = isatty (STDERR_FILENO);
  bar->last_permille = -1;
  bar->progress = rf_progress_init (on_progress, bar);
  return bar;
}

RfProgress *
rf_cli_progress_get (RfCliProgress *bar)
{
  g_return_val_if_fail (bar != NULL, NULL);
  return &bar->progress;
}

void
rf_cli_progress_finish (RfCliProgress *bar)
{
  g_return_if_fail (bar != NULL);

  g_mutex_lock (&bar->lock);
  if (bar->drawn)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
      bar->drawn = FALSE;
    }
  /* Late reports from a finished job must not draw a new bar. */
  bar->enabled = FALSE;
  g_mutex_unlock (&bar->lock);
}

void
rf_cli_progress_free (RfCliProgress *bar)
{
  if (bar == NULL)
    return;
  rf_cli_progress_finish (bar);
  g_mutex_clear (&bar->lock);
  g_free (bar->label);
  g_free (bar);
}

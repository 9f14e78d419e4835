#define G_LOG_DOMAIN "rf-cli"

#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "rf-cli-private.h"

int
_rf_cli_usage_error (const char *command,
                     const char *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("%s: %s\nTry “%s%s%s --help” for more information.\n",
              RF_CLI_NAME, message, RF_CLI_NAME, command != NULL ? " " : "",
              command != NULL ? command : "");
  return RF_CLI_EXIT_USAGE;
}

int
_rf_cli_fail (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr ("%s: cancelled; nothing was changed\n", RF_CLI_NAME);
  else
    g_printerr ("%s: %s\n", RF_CLI_NAME, error->message);
  return RF_CLI_EXIT_FAILURE;
}

gboolean
_rf_cli_parse_options (GOptionContext   *context,
                       const char       *command,
                       int              *argc,
                       char           ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("%s %s", RF_CLI_NAME, command);

  /* The help's "Usage:" line starts with the program name: make it the
   * whole command, "refinery-cli machine add". */
  g_set_prgname (prgname);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      _rf_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  RfCliJobFunc func;
  gpointer data;
  GCancellable *cancellable;
  GMainLoop *loop;
  gpointer result;
  GError *error;
} Job;

static gboolean
quit_loop (gpointer user_data)
{
  Job *job = user_data;

  g_main_loop_quit (job->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
job_thread (gpointer user_data)
{
  Job *job = user_data;

  job->result = job->func (job->data, job->cancellable, &job->error);
  g_idle_add (quit_loop, job);
  return NULL;
}

static gboolean
on_signal (gpointer user_data)
{
  Job *job = user_data;

  if (!g_cancellable_is_cancelled (job->cancellable))
    {
      g_printerr ("\n%s: cancelling…\n", RF_CLI_NAME);
      g_cancellable_cancel (job->cancellable);
    }
  return G_SOURCE_CONTINUE;
}

gpointer
_rf_cli_run_job (RfCliJobFunc   func,
                 gpointer       data,
                 GError       **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Job job = { func, data, cancellable, loop, NULL, NULL };
  GThread *thread;
  guint sigint_id;
  guint sigterm_id;

  sigint_id = g_unix_signal_add (SIGINT, on_signal, &job);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &job);
  thread = g_thread_new ("rf-cli-job", job_thread, &job);
  g_main_loop_run (loop);
  g_thread_join (thread);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  if (job.error != NULL)
    {
      g_propagate_error (error, job.error);
      return NULL;
    }
  return job.result;
}

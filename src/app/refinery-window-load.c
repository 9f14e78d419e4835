#define G_LOG_DOMAIN "refinery-window-load"

#include "config.h"

#include <glib/gi18n.h>

#include "refinery-window-private.h"
#include "rf-error.h"

/* What the worker thread reads. */
typedef struct
{
  char *path;
  guint generation;
} LoadData;

/* What it hands back. */
typedef struct
{
  RfTable *table;          /* the first REFINERY_PREVIEW_ROWS rows */
  RfReadReport *report;
} LoadResult;

/* One progress report on its way to the main thread. */
typedef struct
{
  RefineryWindow *window;
  guint generation;
  double fraction;
  char *message;
} ProgressUpdate;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->table, rf_table_unref);
  g_clear_pointer (&result->report, rf_read_report_free);
  g_free (result);
}

static void
progress_update_free (ProgressUpdate *update)
{
  g_object_unref (update->window);
  g_free (update->message);
  g_free (update);
}

static gboolean
progress_update_apply (gpointer user_data)
{
  ProgressUpdate *update = user_data;
  RefineryWindow *self = update->window;

  if (self->disposed || update->generation != self->generation || self->cancellable == NULL)
    return G_SOURCE_REMOVE;

  gtk_progress_bar_set_fraction (self->progress_bar, update->fraction);
  if (update->message != NULL)
    adw_status_page_set_description (self->loading_page, update->message);
  return G_SOURCE_REMOVE;
}

/* Runs in the worker thread (RfProgressFunc). The update is queued to the
 * main context the task was created in: g_main_context_invoke() could run it
 * right here, in this thread, whenever the main thread is not iterating. */
static void
report_progress (double      fraction,
                 const char *message,
                 gpointer    user_data)
{
  GTask *task = user_data;
  LoadData *data = g_task_get_task_data (task);
  ProgressUpdate *update;
  GSource *source;

  update = g_new0 (ProgressUpdate, 1);
  update->window = g_object_ref (g_task_get_source_object (task));
  update->generation = data->generation;
  update->fraction = fraction;
  update->message = message != NULL ? g_markup_escape_text (message, -1) : NULL;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, progress_update_apply, update, (GDestroyNotify) progress_update_free);
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  RfProgress progress = rf_progress_init (report_progress, task);
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GError) error = NULL;
  LoadResult *result;

  table = rf_read_file (data->path, NULL, &report, &progress, cancellable, &error);
  if (table == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  /* Only the preview rows travel to the main thread; the whole table is
   * read again when the file is added to the project. */
  result = g_new0 (LoadResult, 1);
  result->table = rf_table_slice (table, 0, REFINERY_PREVIEW_ROWS);
  result->report = g_steal_pointer (&report);
  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

static void
load_ready (GObject      *source_object,
            GAsyncResult *async_result,
            gpointer      user_data)
{
  RefineryWindow *self = REFINERY_WINDOW (source_object);
  LoadData *data = g_task_get_task_data (G_TASK (async_result));
  LoadResult *result;
  RefineryMachineState *state;
  g_autoptr(GError) error = NULL;

  result = g_task_propagate_pointer (G_TASK (async_result), &error);
  g_assert (self->n_running > 0);
  self->n_running--;

  /* A read that was cancelled or superseded (every cancel starts a new
   * generation): its window has moved on. */
  if (self->disposed || data->generation != self->generation)
    {
      g_clear_pointer (&result, load_result_free);
      if (!self->disposed)
        _refinery_window_notify_busy (self);
      return;
    }

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loading_path, g_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", FALSE);

  state = _refinery_window_get_state (self, TRUE);
  g_clear_pointer (&state->path, g_free);
  g_clear_pointer (&state->table, rf_table_unref);
  g_clear_pointer (&state->report, rf_read_report_free);
  g_clear_pointer (&state->error, g_free);
  state->path = g_strdup (data->path);

  if (result != NULL)
    {
      state->table = g_steal_pointer (&result->table);
      state->report = g_steal_pointer (&result->report);
      load_result_free (result);
    }
  else
    {
      g_autofree char *basename = g_path_get_basename (data->path);
      g_autofree char *display = g_filename_display_name (basename);
      g_autofree char *escaped = g_markup_escape_text (display, -1);
      g_autofree char *toast = g_strdup_printf (_("Could not read “%s”"), escaped);

      state->error = g_strdup (error->message);
      _refinery_window_toast (self, toast);
    }

  _refinery_window_show_state (self);
  _refinery_window_notify_busy (self);
}

void
refinery_window_load_file (RefineryWindow *self,
                           GFile          *file)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  LoadData *data;

  g_return_if_fail (REFINERY_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  _refinery_window_abort_load (self);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      /* A file on a remote location that is not mounted locally. */
      RefineryMachineState *state = _refinery_window_get_state (self, TRUE);
      g_autofree char *uri = g_file_get_uri (file);

      g_clear_pointer (&state->path, g_free);
      g_clear_pointer (&state->table, rf_table_unref);
      g_clear_pointer (&state->report, rf_read_report_free);
      g_free (state->error);
      state->error = g_strdup_printf (_("“%s” is not a local file: copy it to this computer first"), uri);
      _refinery_window_toast (self, _("Could not read the file"));
      _refinery_window_show_state (self);
      return;
    }

  self->generation++;
  self->cancellable = g_cancellable_new ();
  self->loading_path = g_strdup (path);
  self->n_running++;

  data = g_new0 (LoadData, 1);
  data->path = g_steal_pointer (&path);
  data->generation = self->generation;

  task = g_task_new (self, self->cancellable, load_ready, NULL);
  g_task_set_source_tag (task, refinery_window_load_file);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_worker);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", TRUE);
  /* In a narrow window the file's page comes to the front. */
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  adw_status_page_set_description (self->loading_page, NULL);
  _refinery_window_show_state (self);
  _refinery_window_notify_busy (self);
}

void
_refinery_window_abort_load (RefineryWindow *self)
{
  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loading_path, g_free);
  /* Whatever the worker still reports or returns is for an old generation. */
  self->generation++;
  if (!self->disposed)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", FALSE);
}

void
refinery_window_cancel_load (RefineryWindow *self)
{
  g_return_if_fail (REFINERY_IS_WINDOW (self));

  if (self->cancellable == NULL)
    return;

  _refinery_window_abort_load (self);
  _refinery_window_toast (self, _("Reading cancelled"));
  _refinery_window_show_state (self);
}

gboolean
refinery_window_handle_drop (RefineryWindow *self,
                             const GValue   *value)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (REFINERY_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GdkFileList *list = g_value_get_boxed (value);
      GSList *files = list != NULL ? gdk_file_list_get_files (list) : NULL;

      if (files != NULL)
        {
          file = g_object_ref (files->data);
          if (files->next != NULL)
            _refinery_window_toast (self, _("Only the first of the dropped files is shown"));
        }
      g_slist_free (files);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE) && g_value_get_object (value) != NULL)
    file = g_object_ref (g_value_get_object (value));

  if (file == NULL)
    return FALSE;

  /* A dropped project folder opens the project. */
  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL && rf_project_is_project_dir (path))
        return refinery_window_open_project (self, path, NULL);

      _refinery_window_toast (self, _("Drop a data file, or a project folder"));
      return FALSE;
    }

  refinery_window_load_file (self, file);
  return TRUE;
}

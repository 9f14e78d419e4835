#define G_LOG_DOMAIN "refinery-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "refinery-machine-row.h"
#include "refinery-preview.h"
#include "refinery-window-private.h"

#define SETTINGS_SCHEMA_ID "org.refinery.Refinery"
#define MAX_RECENT_PROJECTS 10

G_DEFINE_FINAL_TYPE (RefineryWindow, refinery_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Machine states */

void
_refinery_machine_state_free (RefineryMachineState *state)
{
  g_free (state->path);
  g_clear_pointer (&state->table, rf_table_unref);
  g_clear_pointer (&state->report, rf_read_report_free);
  g_free (state->error);
  g_free (state);
}

RefineryMachineState *
_refinery_window_get_state (RefineryWindow *self,
                            gboolean        create)
{
  const char *key = self->machine_id != NULL ? self->machine_id : "";
  RefineryMachineState *state = g_hash_table_lookup (self->states, key);

  if (state == NULL && create)
    {
      state = g_new0 (RefineryMachineState, 1);
      g_hash_table_insert (self->states, g_strdup (key), state);
    }
  return state;
}

static const RfMachine *
get_machine (RefineryWindow *self)
{
  if (self->project == NULL || self->machine_id == NULL)
    return NULL;
  return rf_project_find_machine (self->project, self->machine_id);
}

/* A folder as people read it: the home folder as "~". */
static char *
dup_display_path (const char *path)
{
  const char *home = g_get_home_dir ();
  gsize home_length = home != NULL ? strlen (home) : 0;

  if (home_length > 1 && g_str_has_prefix (path, home) && path[home_length] == G_DIR_SEPARATOR)
    {
      g_autofree char *rest = g_filename_display_name (path + home_length);

      return g_strconcat ("~", rest, NULL);
    }
  return g_filename_display_name (path);
}

static char *
dup_display_basename (const char *path)
{
  g_autofree char *basename = g_path_get_basename (path);

  return g_filename_display_name (basename);
}

void
_refinery_window_show_state (RefineryWindow *self)
{
  RefineryMachineState *state = _refinery_window_get_state (self, FALSE);
  const RfMachine *machine = get_machine (self);
  g_autofree char *file_name = NULL;

  if (self->disposed)
    return;

  if (self->loading_path != NULL)
    {
      g_autofree char *title = NULL;

      file_name = dup_display_basename (self->loading_path);
      title = g_strdup_printf (_("Reading “%s”…"), file_name);
      adw_status_page_set_title (self->loading_page, title);
      gtk_stack_set_visible_child_name (self->main_stack, "loading");
    }
  else if (state != NULL && state->table != NULL)
    {
      file_name = dup_display_basename (state->path);
      if (refinery_preview_get_table (self->preview) != state->table)
        refinery_preview_set_table (self->preview, state->table, state->report);
      gtk_stack_set_visible_child_name (self->main_stack, "preview");
    }
  else if (state != NULL && state->error != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (state->error, -1);

      if (state->path != NULL)
        file_name = dup_display_basename (state->path);
      adw_status_page_set_description (self->error_page, escaped);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
    }
  else
    gtk_stack_set_visible_child_name (self->main_stack, "drop");

  if (machine != NULL)
    adw_window_title_set_title (self->content_title,
                                machine->name != NULL && machine->name[0] != '\0' ? machine->name : machine->id);
  else
    adw_window_title_set_title (self->content_title, _("Preview"));

  if (file_name != NULL)
    adw_window_title_set_subtitle (self->content_title, file_name);
  else if (machine != NULL && machine->type != NULL)
    adw_window_title_set_subtitle (self->content_title, machine->type);
  else
    adw_window_title_set_subtitle (self->content_title, "");
}

void
_refinery_window_toast (RefineryWindow *self,
                        const char     *text)
{
  AdwToast *toast;

  if (self->disposed)
    return;

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_refinery_window_notify_busy (RefineryWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Recent projects */

static void
rebuild_recent_menu (RefineryWindow *self)
{
  g_auto(GStrv) recent = NULL;

  g_menu_remove_all (self->recent_menu);
  if (self->settings == NULL)
    return;

  recent = g_settings_get_strv (self->settings, "recent-projects");
  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *display = NULL;
      g_auto(GStrv) parts = NULL;
      g_autofree char *label = NULL;
      g_autoptr(GMenuItem) item = NULL;

      /* A folder moved or deleted since is not offered. */
      if (!rf_project_is_project_dir (recent[i]))
        continue;

      /* The whole path: two projects may share a folder name. */
      display = dup_display_path (recent[i]);
      /* Menu labels take "_" as a mnemonic marker: double the real ones. */
      parts = g_strsplit (display, "_", -1);
      label = g_strjoinv ("__", parts);

      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-project-folder",
                                               g_variant_new_string (recent[i]));
      g_menu_append_item (self->recent_menu, item);
    }

  adw_split_button_set_menu_model (self->open_project_button,
                                   g_menu_model_get_n_items (G_MENU_MODEL (self->recent_menu)) > 0
                                   ? G_MENU_MODEL (self->recent_menu) : NULL);
}

static void
remember_project (RefineryWindow *self,
                  const char     *path)
{
  g_auto(GStrv) recent = NULL;
  g_auto(GStrv) updated = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  guint n = 1;

  if (self->settings == NULL)
    return;

  recent = g_settings_get_strv (self->settings, "recent-projects");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, path);
  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT_PROJECTS; i++)
    {
      if (g_strcmp0 (recent[i], path) == 0)
        continue;
      g_strv_builder_add (builder, recent[i]);
      n++;
    }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-projects", (const char * const *) updated);
}

/* Project and machines */

static void
set_machine (RefineryWindow *self,
             const char     *machine_id)
{
  if (g_strcmp0 (machine_id, self->machine_id) == 0)
    return;

  /* A read belongs to the machine it was started for. */
  _refinery_window_abort_load (self);
  g_free (self->machine_id);
  self->machine_id = g_strdup (machine_id);
  _refinery_window_show_state (self);
}

static void
machine_row_selected_cb (RefineryWindow *self,
                         GtkListBoxRow  *row,
                         GtkListBox     *list)
{
  if (row == NULL)
    return;

  set_machine (self, refinery_machine_row_get_machine_id (REFINERY_MACHINE_ROW (row)));
}

static void
machine_row_activated_cb (RefineryWindow *self,
                          GtkListBoxRow  *row,
                          GtkListBox     *list)
{
  /* When folded, choosing a machine moves on to its page. */
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
back_clicked_cb (RefineryWindow *self,
                 GtkButton      *button)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
populate_machines (RefineryWindow *self)
{
  GtkWidget *child;
  guint n_machines = rf_project_get_n_machines (self->project);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->machine_list))) != NULL)
    gtk_list_box_remove (self->machine_list, child);

  for (guint i = 0; i < n_machines; i++)
    gtk_list_box_append (self->machine_list,
                         refinery_machine_row_new (rf_project_get_machine (self->project, i)));

  gtk_stack_set_visible_child_name (self->sidebar_stack, n_machines > 0 ? "machines" : "no-machines");
}

gboolean
refinery_window_open_project (RefineryWindow *self,
                              const char     *dir,
                              GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autofree char *title = NULL;
  g_autofree char *location = NULL;
  const char *path;

  g_return_val_if_fail (REFINERY_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  project = rf_project_open (dir, &local_error);
  if (project == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (local_error->message, -1);

      _refinery_window_toast (self, escaped);
      if (self->project == NULL)
        gtk_stack_set_visible_child_name (self->sidebar_stack, "no-project");
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  _refinery_window_abort_load (self);
  g_clear_pointer (&self->project, rf_project_unref);
  self->project = g_steal_pointer (&project);
  g_hash_table_remove_all (self->states);
  g_clear_pointer (&self->machine_id, g_free);

  path = rf_project_get_path (self->project);
  gtk_label_set_text (self->project_name_label, rf_project_get_name (self->project));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->project_name_label), rf_project_get_name (self->project));
  /* The folder tells same-named projects apart. */
  location = dup_display_path (path);
  gtk_label_set_text (self->project_path_label, location);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->project_path_label), location);
  gtk_widget_set_visible (GTK_WIDGET (self->project_path_label), TRUE);
  /* Translators: the window title, "<project name> — Refinery" */
  title = g_strdup_printf (_("%s — Refinery"), rf_project_get_name (self->project));
  gtk_window_set_title (GTK_WINDOW (self), title);

  populate_machines (self);
  if (rf_project_get_n_machines (self->project) > 0)
    refinery_window_select_machine (self, rf_project_get_machine (self->project, 0)->id);
  else
    _refinery_window_show_state (self);

  remember_project (self, path);
  return TRUE;
}

RfProject *
refinery_window_get_project (RefineryWindow *self)
{
  g_return_val_if_fail (REFINERY_IS_WINDOW (self), NULL);

  return self->project;
}

gboolean
refinery_window_select_machine (RefineryWindow *self,
                                const char     *machine_id)
{
  g_return_val_if_fail (REFINERY_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (machine_id != NULL, FALSE);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->machine_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (REFINERY_IS_MACHINE_ROW (child) &&
          g_strcmp0 (refinery_machine_row_get_machine_id (REFINERY_MACHINE_ROW (child)), machine_id) == 0)
        {
          gtk_list_box_select_row (self->machine_list, GTK_LIST_BOX_ROW (child));
          return TRUE;
        }
    }
  return FALSE;
}

const char *
refinery_window_get_machine_id (RefineryWindow *self)
{
  g_return_val_if_fail (REFINERY_IS_WINDOW (self), NULL);

  return self->machine_id;
}

/* File choosers */

static void
file_chooser_response_cb (RefineryWindow       *self,
                          int                   response,
                          GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        refinery_window_load_file (self, file);
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->chooser);
}

static void
add_filter (GtkFileChooser     *chooser,
            const char         *name,
            const char * const *suffixes,
            const char * const *mime_types)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; suffixes != NULL && suffixes[i] != NULL; i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  for (guint i = 0; mime_types != NULL && mime_types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RefineryWindow *self = REFINERY_WINDOW (widget);
  static const char * const data_suffixes[] = { "csv", "tsv", "tab", "txt", "json", "jsonl", "ndjson", "parquet", "pq", NULL };
  static const char * const data_types[] = { "text/csv", "text/tab-separated-values", "application/json",
                                             "application/vnd.apache.parquet", NULL };
  static const char * const csv_suffixes[] = { "csv", "tsv", "tab", "txt", NULL };
  static const char * const csv_types[] = { "text/csv", "text/tab-separated-values", NULL };
  static const char * const json_suffixes[] = { "json", "jsonl", "ndjson", NULL };
  static const char * const json_types[] = { "application/json", NULL };
  static const char * const parquet_suffixes[] = { "parquet", "pq", NULL };
  static const char * const parquet_types[] = { "application/vnd.apache.parquet", NULL };
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Choose a Data File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Data Files (CSV, TSV, JSON, Parquet)"), data_suffixes, data_types);
  add_filter (GTK_FILE_CHOOSER (chooser), _("CSV and TSV Files"), csv_suffixes, csv_types);
  add_filter (GTK_FILE_CHOOSER (chooser), _("JSON Files"), json_suffixes, json_types);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Parquet Files"), parquet_suffixes, parquet_types);
  {
    g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

    gtk_file_filter_set_name (all, _("All Files"));
    gtk_file_filter_add_pattern (all, "*");
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  }

  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (file_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
folder_chooser_response_cb (RefineryWindow       *self,
                            int                   response,
                            GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        refinery_window_open_project (self, path, NULL);
      else if (folder != NULL)
        _refinery_window_toast (self, _("Only folders on this computer can be opened as projects"));
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->chooser);
}

static void
open_project_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RefineryWindow *self = REFINERY_WINDOW (widget);
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Open a Project Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Start next to the project that is open: projects tend to live together. */
  if (self->project != NULL)
    {
      g_autofree char *parent_path = g_path_get_dirname (rf_project_get_path (self->project));
      g_autoptr(GFile) parent = g_file_new_for_path (parent_path);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), parent, NULL);
    }

  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (folder_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

/* Actions with a path, for the recent-projects menu and for scripting. */

static void
open_project_folder_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  refinery_window_open_project (REFINERY_WINDOW (widget), g_variant_get_string (parameter, NULL), NULL);
}

static void
preview_file_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (g_variant_get_string (parameter, NULL));

  refinery_window_load_file (REFINERY_WINDOW (widget), file);
}

static void
cancel_load_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  refinery_window_cancel_load (REFINERY_WINDOW (widget));
}

/* Drag and drop */

static gboolean
drop_cb (RefineryWindow *self,
         const GValue   *value,
         double          x,
         double          y,
         GtkDropTarget  *target)
{
  return refinery_window_handle_drop (self, value);
}

/* Window */

static gboolean
refinery_window_close_request (GtkWindow *window)
{
  RefineryWindow *self = REFINERY_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
      g_settings_apply (self->settings);
    }

  return GTK_WINDOW_CLASS (refinery_window_parent_class)->close_request (window);
}

static void
refinery_window_dispose (GObject *object)
{
  RefineryWindow *self = (RefineryWindow *)object;

  /* The worker may outlive the window's widgets: from now on its result and
   * progress are dropped (the task keeps the window object alive). */
  _refinery_window_abort_load (self);
  self->disposed = TRUE;

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }
  g_clear_object (&self->drop_target);

  G_OBJECT_CLASS (refinery_window_parent_class)->dispose (object);
}

static void
refinery_window_finalize (GObject *object)
{
  RefineryWindow *self = (RefineryWindow *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->recent_menu);
  g_clear_pointer (&self->project, rf_project_unref);
  g_clear_pointer (&self->machine_id, g_free);
  g_clear_pointer (&self->states, g_hash_table_unref);
  g_clear_pointer (&self->loading_path, g_free);

  G_OBJECT_CLASS (refinery_window_parent_class)->finalize (object);
}

static void
refinery_window_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RefineryWindow *self = REFINERY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, refinery_window_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
refinery_window_class_init (RefineryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = refinery_window_dispose;
  object_class->finalize = refinery_window_finalize;
  object_class->get_property = refinery_window_get_property;
  window_class->close_request = refinery_window_close_request;

  /**
   * RefineryWindow:busy:
   *
   * Whether a worker thread is reading a file for this window.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (REFINERY_TYPE_PREVIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/refinery/Refinery/ui/refinery-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, content);
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, project_name_label);
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, project_path_label);
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, open_project_button);
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, machine_list);
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, RefineryWindow, preview);
  gtk_widget_class_bind_template_callback (widget_class, machine_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, machine_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.choose-file", NULL, choose_file_action);
  gtk_widget_class_install_action (widget_class, "win.open-project", NULL, open_project_action);
  gtk_widget_class_install_action (widget_class, "win.open-project-folder", "s", open_project_folder_action);
  gtk_widget_class_install_action (widget_class, "win.preview-file", "s", preview_file_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, cancel_load_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.choose-file", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.open-project", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-load", NULL);
}

static void
refinery_window_init (RefineryWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) _refinery_machine_state_free);
  self->recent_menu = g_menu_new ();

  /* Without the schema (running uninstalled without GSETTINGS_SCHEMA_DIR)
   * nothing is remembered, but the window works. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE);
  if (schema != NULL)
    {
      self->settings = g_settings_new_full (schema, NULL, NULL);
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      g_signal_connect_object (self->settings, "changed::recent-projects",
                               G_CALLBACK (rebuild_recent_menu), self, G_CONNECT_SWAPPED);
    }
  else
    {
      g_message ("The GSettings schema %s is not installed: window size and recent projects "
                 "are not remembered (uninstalled, set GSETTINGS_SCHEMA_DIR=<build>/data)",
                 SETTINGS_SCHEMA_ID);
      gtk_window_set_default_size (GTK_WINDOW (self), 1100, 700);
    }
  rebuild_recent_menu (self);

  /* Files dropped anywhere on the window: a file manager offers a file list,
   * other applications a single file. */
  self->drop_target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (self->drop_target, types, G_N_ELEMENTS (types));
  g_signal_connect_object (self->drop_target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), g_object_ref (GTK_EVENT_CONTROLLER (self->drop_target)));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load", FALSE);
  gtk_stack_set_visible_child_name (self->sidebar_stack, "no-project");
  _refinery_window_show_state (self);
}

RefineryWindow *
refinery_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (REFINERY_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

gboolean
refinery_window_get_busy (RefineryWindow *self)
{
  g_return_val_if_fail (REFINERY_IS_WINDOW (self), FALSE);

  return self->n_running > 0;
}

const char *
refinery_window_get_view (RefineryWindow *self)
{
  g_return_val_if_fail (REFINERY_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
refinery_window_get_error_message (RefineryWindow *self)
{
  RefineryMachineState *state;

  g_return_val_if_fail (REFINERY_IS_WINDOW (self), NULL);

  state = _refinery_window_get_state (self, FALSE);
  return state != NULL ? state->error : NULL;
}

RefineryPreview *
refinery_window_get_preview (RefineryWindow *self)
{
  g_return_val_if_fail (REFINERY_IS_WINDOW (self), NULL);

  return self->preview;
}

GtkDropTarget *
refinery_window_get_drop_target (RefineryWindow *self)
{
  g_return_val_if_fail (REFINERY_IS_WINDOW (self), NULL);

  return self->drop_target;
}

GtkListBox *
refinery_window_get_machine_list (RefineryWindow *self)
{
  g_return_val_if_fail (REFINERY_IS_WINDOW (self), NULL);

  return self->machine_list;
}

gboolean
refinery_window_save_png (RefineryWindow *self,
                          const char     *path,
                          GError        **error)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;

  g_return_val_if_fail (REFINERY_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The window is not shown yet, so there is nothing to render");
      return FALSE;
    }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The window drew nothing");
      return FALSE;
    }

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not write the PNG file “%s”: check that its folder exists and is writable",
                   display);
      return FALSE;
    }
  return TRUE;
}

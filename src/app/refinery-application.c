#define G_LOG_DOMAIN "refinery-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "refinery-application.h"
#include "refinery-window.h"

/* Platform data key carrying --project from a second instance to the first. */
#define PLATFORM_DATA_PROJECT "refinery-project"

/* Transitions and toasts settle within this before a snapshot is taken. */
#define SNAPSHOT_SETTLE_MS 600

struct _RefineryApplication
{
  AdwApplication parent_instance;

  char *pending_project;   /* --project of the invocation being handled */
  char *snapshot_path;     /* --snapshot */
  int exit_status;
};

G_DEFINE_FINAL_TYPE (RefineryApplication, refinery_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "project", 'p', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the project in DIR"), N_("DIR") },
  { "snapshot", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Render the window to PNG once the project and file are loaded, then quit"), N_("PNG") },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { NULL }
};

char *
refinery_application_dup_default_project_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *build_root = realpath (REFINERY_BUILD_ROOT, NULL);

  if (exe != NULL && build_root != NULL &&
      g_str_has_prefix (exe, build_root) && exe[strlen (build_root)] == G_DIR_SEPARATOR)
    return g_strdup (SOURCE_SAMPLE_DIR);

  return g_build_filename (PKGDATADIR, "sample", NULL);
}

int
refinery_application_get_exit_status (RefineryApplication *self)
{
  g_return_val_if_fail (REFINERY_IS_APPLICATION (self), 1);

  return self->exit_status;
}

/* --snapshot */

static gboolean
take_snapshot (gpointer user_data)
{
  RefineryWindow *window = user_data;
  RefineryApplication *self = REFINERY_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));
  g_autoptr(GError) error = NULL;

  if (!refinery_window_save_png (window, self->snapshot_path, &error))
    {
      g_printerr ("refinery: %s\n", error->message);
      self->exit_status = 1;
    }
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock  *clock,
                RefineryWindow *window)
{
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, window);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, take_snapshot, g_object_ref (window), g_object_unref);
}

static gboolean
snapshot_after_settling (gpointer user_data)
{
  GtkWidget *window = user_data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  if (clock == NULL)
    return G_SOURCE_CONTINUE;

  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), window);
  gtk_widget_queue_draw (window);
  return G_SOURCE_REMOVE;
}

static void
snapshot_when_idle (RefineryWindow *window)
{
  if (refinery_window_get_busy (window))
    return;

  g_signal_handlers_disconnect_by_func (window, snapshot_when_idle, NULL);
  g_timeout_add_full (G_PRIORITY_DEFAULT, SNAPSHOT_SETTLE_MS, snapshot_after_settling,
                      g_object_ref (window), g_object_unref);
}

static void
schedule_snapshot (RefineryApplication *self,
                   RefineryWindow      *window)
{
  if (self->snapshot_path == NULL)
    return;

  g_signal_connect (window, "notify::busy", G_CALLBACK (snapshot_when_idle), NULL);
  snapshot_when_idle (window);
}

/* Windows */

static RefineryWindow *
window_for_invocation (RefineryApplication *self)
{
  g_autofree char *project = g_steal_pointer (&self->pending_project);
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));
  RefineryWindow *window;

  /* Without --project, a running instance reuses its window. */
  if (project == NULL && REFINERY_IS_WINDOW (active))
    return REFINERY_WINDOW (active);

  if (project == NULL)
    project = refinery_application_dup_default_project_dir ();

  window = refinery_window_new (GTK_APPLICATION (self));
  /* A project that does not open is reported in the window. */
  refinery_window_open_project (window, project, NULL);
  return window;
}

static void
refinery_application_activate (GApplication *app)
{
  RefineryApplication *self = REFINERY_APPLICATION (app);
  RefineryWindow *window = window_for_invocation (self);

  gtk_window_present (GTK_WINDOW (window));
  schedule_snapshot (self, window);
}

static void
refinery_application_open (GApplication  *app,
                           GFile        **files,
                           int            n_files,
                           const char    *hint)
{
  RefineryApplication *self = REFINERY_APPLICATION (app);
  RefineryWindow *window = window_for_invocation (self);

  gtk_window_present (GTK_WINDOW (window));
  /* One preview per machine: the first file is the one shown. A project
   * folder given as a file is opened as the project. */
  if (n_files > 0 && g_file_query_file_type (files[0], G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *path = g_file_get_path (files[0]);

      if (path != NULL)
        refinery_window_open_project (window, path, NULL);
    }
  else if (n_files > 0)
    refinery_window_load_file (window, files[0]);
  schedule_snapshot (self, window);
}

static int
refinery_application_handle_local_options (GApplication *app,
                                           GVariantDict *options)
{
  RefineryApplication *self = REFINERY_APPLICATION (app);
  const char *project = NULL;
  const char *snapshot = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("refinery %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  /* Relative paths are resolved here, where the working directory is the
   * user's, not in a first instance that may run elsewhere. */
  if (g_variant_dict_lookup (options, "project", "^&ay", &project))
    self->pending_project = g_canonicalize_filename (project, NULL);

  if (g_variant_dict_lookup (options, "snapshot", "^&ay", &snapshot))
    {
      self->snapshot_path = g_canonicalize_filename (snapshot, NULL);
      /* A snapshot is of this process's own window. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return G_APPLICATION_CLASS (refinery_application_parent_class)->handle_local_options (app, options);
}

static void
refinery_application_add_platform_data (GApplication    *app,
                                        GVariantBuilder *builder)
{
  RefineryApplication *self = REFINERY_APPLICATION (app);

  G_APPLICATION_CLASS (refinery_application_parent_class)->add_platform_data (app, builder);

  if (self->pending_project != NULL)
    g_variant_builder_add (builder, "{sv}", PLATFORM_DATA_PROJECT,
                           g_variant_new_bytestring (self->pending_project));
}

static void
refinery_application_before_emit (GApplication *app,
                                  GVariant     *platform_data)
{
  RefineryApplication *self = REFINERY_APPLICATION (app);
  const char *project = NULL;

  G_APPLICATION_CLASS (refinery_application_parent_class)->before_emit (app, platform_data);

  /* Only invocations forwarded from another process come through here. */
  if (g_variant_lookup (platform_data, PLATFORM_DATA_PROJECT, "^&ay", &project))
    {
      g_free (self->pending_project);
      self->pending_project = g_strdup (project);
    }
}

/* App-wide actions */

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  RefineryApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  static const char *developers[] = { "The Refinery developers", NULL };
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  adw_about_window_set_application_name (about, _("Refinery"));
  /* A development build running uninstalled only has the stable icon. */
  adw_about_window_set_application_icon (about, gtk_icon_theme_has_icon (theme, APP_ID)
                                                ? APP_ID : "org.refinery.Refinery");
  adw_about_window_set_developer_name (about, _("The Refinery developers"));
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_comments (about, _("Turn the sensor data you already have into synthetic "
                                          "training sets for predictive maintenance."));
  adw_about_window_set_developers (about, developers);
  adw_about_window_set_copyright (about, "© 2026 The Refinery developers");
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  /* Translators: your names, one per line */
  adw_about_window_set_translator_credits (about, _("translator-credits"));
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
};

static void
refinery_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (refinery_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_window_set_default_icon_name (APP_ID);
}

static void
refinery_application_finalize (GObject *object)
{
  RefineryApplication *self = (RefineryApplication *)object;

  g_clear_pointer (&self->pending_project, g_free);
  g_clear_pointer (&self->snapshot_path, g_free);

  G_OBJECT_CLASS (refinery_application_parent_class)->finalize (object);
}

static void
refinery_application_class_init (RefineryApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = refinery_application_finalize;

  app_class->activate = refinery_application_activate;
  app_class->open = refinery_application_open;
  app_class->startup = refinery_application_startup;
  app_class->handle_local_options = refinery_application_handle_local_options;
  app_class->add_platform_data = refinery_application_add_platform_data;
  app_class->before_emit = refinery_application_before_emit;
}

static void
refinery_application_init (RefineryApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Prepare sensor data for synthetic training sets."));
}

RefineryApplication *
refinery_application_new (void)
{
  return g_object_new (REFINERY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       /* the same resources for the stable and the .Devel id */
                       "resource-base-path", "/org/refinery/Refinery",
                       NULL);
}

/* test-app-window.c: the application window, driven in-process on a real
 * display (CI: xvfb-run). Files arrive the way GTK delivers them (a
 * GtkDropTarget::drop emission) and are read by the real worker thread. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "refinery-application.h"
#include "refinery-machine-row.h"
#include "refinery-preview.h"
#include "refinery-table-model.h"
#include "refinery-table-row.h"
#include "refinery-window.h"
#include "rf-error.h"
#include "rf-project.h"
#include "rf-test-util.h"

#define SAMPLE_PROJECT_NAME "Refinery sample: NASA C-MAPSS FD001"
#define SAMPLE_MACHINE_ID "turbofan_fd001"
#define SAMPLE_MACHINE_NAME "Turbofan engine (NASA C-MAPSS FD001)"
#define SAMPLE_MACHINE_TYPE "turbofan_engine"

/* Rows of the big file the cancel tests read: big enough that reading it
 * takes a while, small enough to write quickly. */
#define BIG_FILE_ROWS 400000

static char *tmp_dir;
static char *big_csv;
static char *big_jsonl;

/* Helpers */

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
flush_main_loop (void)
{
  for (guint i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Iterates the main loop until no worker thread runs for the window. */
static void
wait_until_idle (RefineryWindow *window)
{
  guint tick = g_timeout_add (20, wake_up, NULL);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (refinery_window_get_busy (window) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  flush_main_loop ();
  g_assert_false (refinery_window_get_busy (window));
}

/* Lets transitions finish and the window draw, before a picture is taken. */
static void
settle (RefineryWindow *window)
{
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  guint tick = g_timeout_add (20, wake_up, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

static RefineryWindow *
new_window (void)
{
  RefineryWindow *window = refinery_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

static RefineryWindow *
new_window_on_sample (void)
{
  RefineryWindow *window = new_window ();
  g_autofree char *sample = refinery_application_dup_default_project_dir ();
  g_autoptr(GError) error = NULL;

  g_assert_true (refinery_window_open_project (window, sample, &error));
  g_assert_no_error (error);
  return window;
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "app", name, NULL);
}

static void
drop_file_list (RefineryWindow *window,
                const char     *path)
{
  GFile *files[] = { g_file_new_for_path (path) };
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (files, 1));
  g_signal_emit_by_name (refinery_window_get_drop_target (window), "drop", &value, 20.0, 20.0, &handled);
  g_assert_true (handled);
  g_value_unset (&value);
  g_object_unref (files[0]);
}

static void
load_path (RefineryWindow *window,
           const char     *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  refinery_window_load_file (window, file);
  wait_until_idle (window);
}

static GListModel *
preview_rows (RefineryWindow *window)
{
  return refinery_preview_get_rows (refinery_window_get_preview (window));
}

static GListModel *
preview_columns (RefineryWindow *window)
{
  return gtk_column_view_get_columns (refinery_preview_get_column_view (refinery_window_get_preview (window)));
}

static GtkColumnViewColumn *
preview_column (RefineryWindow *window,
                guint           index)
{
  GtkColumnViewColumn *column = g_list_model_get_item (preview_columns (window), index);

  g_assert_nonnull (column);
  /* The view keeps the column alive. */
  g_object_unref (column);
  return column;
}

/* The text row `position` (in display order) shows in column `column`;
 * NULL for a missing value. */
static char *
cell_text (RefineryWindow *window,
           guint           position,
           guint           column)
{
  g_autoptr(RefineryTableRow) row = g_list_model_get_item (preview_rows (window), position);

  g_assert_nonnull (row);
  return refinery_table_row_dup_text (row, column);
}

static void
assert_cell (RefineryWindow *window,
             guint           position,
             guint           column,
             const char     *expected)
{
  g_autofree char *text = cell_text (window, position, column);

  g_assert_cmpstr (text, ==, expected);
}

static void
assert_titles (RefineryWindow     *window,
               const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (g_list_model_get_n_items (preview_columns (window)), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (gtk_column_view_column_get_title (preview_column (window, i)), ==, expected[i]);
}

typedef struct
{
  GType type;
  const char *text;
  GtkWidget *found;
} FindData;

/* Depth-first search of the widget tree (the cells have no getters). */
static void
find_widget (GtkWidget *root,
             FindData  *data)
{
  if (data->found != NULL)
    return;
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, data->type) &&
      (data->text == NULL ||
       (GTK_IS_INSCRIPTION (root) && g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (root)), data->text) == 0) ||
       (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), data->text) == 0)))
    {
      data->found = root;
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    find_widget (child, data);
}

static GtkWidget *
find_cell (GtkWidget  *root,
           const char *text)
{
  FindData data = { GTK_TYPE_INSCRIPTION, text, NULL };

  find_widget (root, &data);
  return data.found;
}

/* The button that activates an action: its sensitivity is the action's
 * enabled state. */
static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action_name)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
action_enabled (RefineryWindow *window,
                const char     *action_name)
{
  GtkWidget *button = find_action_button (GTK_WIDGET (window), action_name);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

static char *
write_csv_rows (const char *name,
                guint       n_rows)
{
  g_autoptr(GString) csv = g_string_new ("id,value\n");

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (csv, "%u,%u.5\n", i, i * 3);
  return rf_test_write_file (tmp_dir, name, csv->str, csv->len);
}

static char *
make_project (const char *name)
{
  g_autofree char *dir = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(RfProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = rf_project_init (dir, name, &error);
  g_assert_no_error (error);
  return g_strdup (rf_project_get_path (project));
}

/* Tests */

static void
test_default_project_dir (void)
{
  g_autofree char *dir = refinery_application_dup_default_project_dir ();

  /* This test program runs from the build tree. */
  g_assert_cmpstr (dir, ==, SOURCE_SAMPLE_DIR);
}

static void
test_application_startup (void)
{
  g_autoptr(RefineryApplication) app = refinery_application_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) quit_accels = NULL;

  g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (app)), ==, APP_ID);
  g_assert_true (g_application_get_flags (G_APPLICATION (app)) & G_APPLICATION_HANDLES_OPEN);

  /* Registering runs startup, which installs the app-wide actions. */
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));
  quit_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpuint (g_strv_length (quit_accels), ==, 1);
  g_assert_cmpstr (quit_accels[0], ==, "<Control>q");
  g_assert_cmpint (refinery_application_get_exit_status (app), ==, 0);
}

static void
test_sample_project (void)
{
  RefineryWindow *window = new_window_on_sample ();
  GtkListBox *list = refinery_window_get_machine_list (window);
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, 0);
  g_autofree char *sample = NULL;
  RfProject *project;

  project = refinery_window_get_project (window);
  g_assert_nonnull (project);
  g_assert_cmpstr (rf_project_get_name (project), ==, SAMPLE_PROJECT_NAME);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, SAMPLE_PROJECT_NAME " — Refinery");

  /* Exactly one machine, shown by name and type, and selected. */
  g_assert_true (REFINERY_IS_MACHINE_ROW (row));
  g_assert_null (gtk_list_box_get_row_at_index (list, 1));
  g_assert_cmpstr (refinery_machine_row_get_machine_id (REFINERY_MACHINE_ROW (row)), ==, SAMPLE_MACHINE_ID);
  g_assert_cmpstr (refinery_machine_row_get_title (REFINERY_MACHINE_ROW (row)), ==, SAMPLE_MACHINE_NAME);
  g_assert_cmpstr (refinery_machine_row_get_subtitle (REFINERY_MACHINE_ROW (row)), ==, SAMPLE_MACHINE_TYPE);
  g_assert_true (gtk_list_box_get_selected_row (list) == row);
  g_assert_cmpstr (refinery_window_get_machine_id (window), ==, SAMPLE_MACHINE_ID);

  g_assert_cmpstr (refinery_window_get_view (window), ==, "drop");
  g_assert_false (refinery_window_get_busy (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_drop_csv (void)
{
  static const char * const titles[] = {
    "machine · string", "cycle · int64", "temperature · double", "pressure · double", "status · string", NULL
  };
  RefineryWindow *window = new_window_on_sample ();
  g_autofree char *path = fixture_path ("small.csv");
  RefineryPreview *preview = refinery_window_get_preview (window);
  GtkWidget *missing;

  drop_file_list (window, path);
  /* The read runs in a thread: the window shows its progress meanwhile. */
  g_assert_true (refinery_window_get_busy (window));
  g_assert_cmpstr (refinery_window_get_view (window), ==, "loading");
  wait_until_idle (window);

  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");
  g_assert_null (refinery_window_get_error_message (window));
  g_assert_cmpuint (g_list_model_get_n_items (preview_rows (window)), ==, 5);
  assert_titles (window, titles);
  g_assert_cmpstr (refinery_preview_get_summary (preview), ==,
                   "small.csv · CSV · UTF-8 · delimiter “,” · decimal mark “.” · 5 rows × 5 columns");

  assert_cell (window, 0, 0, "pump_a");
  assert_cell (window, 0, 1, "1");
  assert_cell (window, 2, 2, "100");
  assert_cell (window, 3, 2, "2.5");
  assert_cell (window, 2, 4, "warn, high");
  assert_cell (window, 0, 3, "1.5");
  assert_cell (window, 1, 3, NULL);   /* empty field */
  assert_cell (window, 3, 3, NULL);   /* NA */

  /* The cells on screen: the values, and the missing ones as a dimmed dash. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_nonnull (find_cell (GTK_WIDGET (preview), "warn, high"));
  g_assert_nonnull (find_cell (GTK_WIDGET (preview), "pump_e"));
  missing = find_cell (GTK_WIDGET (preview), "—");
  g_assert_nonnull (missing);
  g_assert_true (gtk_widget_has_css_class (missing, "dim-label"));
  g_assert_false (gtk_widget_has_css_class (find_cell (GTK_WIDGET (preview), "pump_a"), "dim-label"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_drop_json (void)
{
  static const char * const titles[] = { "sensor · string", "value · double", "ok · bool", NULL };
  RefineryWindow *window = new_window_on_sample ();
  g_autofree char *path = fixture_path ("small.json");
  GValue value = G_VALUE_INIT;

  /* Other applications drop a single GFile rather than a list. */
  g_value_init (&value, G_TYPE_FILE);
  g_value_take_object (&value, g_file_new_for_path (path));
  g_assert_true (refinery_window_handle_drop (window, &value));
  g_value_unset (&value);
  wait_until_idle (window);

  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");
  g_assert_cmpuint (g_list_model_get_n_items (preview_rows (window)), ==, 3);
  assert_titles (window, titles);
  g_assert_cmpstr (refinery_preview_get_summary (refinery_window_get_preview (window)), ==,
                   "small.json · JSON · UTF-8 · layout “records” · 3 rows × 3 columns");
  assert_cell (window, 0, 0, "s_1");
  assert_cell (window, 1, 1, "641.82");
  assert_cell (window, 2, 1, NULL);
  assert_cell (window, 1, 2, "false");
  assert_cell (window, 2, 2, "true");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
check_first_hundred (RefineryWindow *window,
                     const char     *summary_tail)
{
  RefineryPreview *preview = refinery_window_get_preview (window);

  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");
  g_assert_cmpuint (g_list_model_get_n_items (preview_rows (window)), ==, REFINERY_PREVIEW_ROWS);
  g_assert_cmpuint (rf_table_get_n_rows (refinery_preview_get_table (preview)), ==, REFINERY_PREVIEW_ROWS);
  g_assert_true (g_str_has_suffix (refinery_preview_get_summary (preview), summary_tail));
  assert_cell (window, 0, 0, "0");
  assert_cell (window, 99, 0, "99");
  assert_cell (window, 99, 1, "297.5");
}

static void
test_first_hundred_rows_csv (void)
{
  RefineryWindow *window = new_window_on_sample ();
  g_autofree char *path = write_csv_rows ("rows-250.csv", 250);

  drop_file_list (window, path);
  wait_until_idle (window);
  check_first_hundred (window, " · 250 rows × 2 columns");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_first_hundred_rows_json (void)
{
  RefineryWindow *window = new_window_on_sample ();
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *path = NULL;

  for (guint i = 0; i < 150; i++)
    g_string_append_printf (lines, "{\"id\": %u, \"value\": %u.5}\n", i, i * 3);
  path = rf_test_write_file (tmp_dir, "rows-150.jsonl", lines->str, lines->len);

  drop_file_list (window, path);
  wait_until_idle (window);
  check_first_hundred (window, " · 150 rows × 2 columns");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_wide_and_long_values (void)
{
  RefineryWindow *window = new_window_on_sample ();
  RefineryPreview *preview = refinery_window_get_preview (window);
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GString) long_value = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *start = NULL;
  g_autofree char *shown = NULL;
  FindData data = { GTK_TYPE_LABEL, "Showing every row, and the first 200 columns", NULL };
  GtkWidget *cell;

  /* 250 columns, the first holding a 100,000-character value. */
  for (guint c = 0; c < 250; c++)
    g_string_append_printf (csv, c > 0 ? ",c%u" : "c%u", c);
  g_string_append_c (csv, '\n');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (long_value, (char) ('a' + i % 26));
  for (guint r = 0; r < 3; r++)
    {
      g_string_append (csv, r == 1 ? long_value->str : "short");
      for (guint c = 1; c < 250; c++)
        g_string_append_printf (csv, ",%u", r * 1000 + c);
      g_string_append_c (csv, '\n');
    }
  path = rf_test_write_file (tmp_dir, "wide.csv", csv->str, csv->len);

  load_path (window, path);
  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");
  g_assert_cmpuint (g_list_model_get_n_items (preview_columns (window)), ==, REFINERY_PREVIEW_MAX_COLUMNS);
  g_assert_true (g_str_has_suffix (refinery_preview_get_summary (preview), " · 3 rows × 250 columns"));
  g_assert_cmpstr (gtk_column_view_column_get_title (preview_column (window, 199)), ==, "c199 · int64");
  assert_cell (window, 2, 199, "2199");

  /* The whole value stays in the table; the cell shows its start. */
  {
    g_autofree char *text = cell_text (window, 1, 0);

    g_assert_cmpuint (strlen (text), ==, 100000);
  }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  find_widget (GTK_WIDGET (preview), &data);
  g_assert_nonnull (data.found);
  start = g_utf8_substring (long_value->str, 0, REFINERY_PREVIEW_MAX_CHARS);
  shown = g_strconcat (start, "…", NULL);
  cell = find_cell (GTK_WIDGET (preview), shown);
  g_assert_nonnull (cell);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
check_bad_file (const char *name,
                const char *contents,
                gssize      length)
{
  RefineryWindow *window = new_window_on_sample ();
  g_autofree char *path = rf_test_write_file (tmp_dir, name, contents, length);
  g_autofree char *good = fixture_path ("small.json");
  const char *message;

  drop_file_list (window, path);
  wait_until_idle (window);

  g_assert_cmpstr (refinery_window_get_view (window), ==, "error");
  message = refinery_window_get_error_message (window);
  g_assert_nonnull (message);
  g_test_message ("%s: %s", name, message);
  /* The message says which file. */
  g_assert_nonnull (strstr (message, name));
  g_assert_null (refinery_preview_get_table (refinery_window_get_preview (window)));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* The window is still fine: the next file is read. */
  drop_file_list (window, good);
  wait_until_idle (window);
  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");
  g_assert_null (refinery_window_get_error_message (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_bad_file_binary (void)
{
  guint8 garbage[4096];
  guint32 state = 12345;

  /* Deterministic noise, with NUL bytes, that no reader takes for text. */
  for (gsize i = 0; i < sizeof garbage; i++)
    {
      state = state * 1103515245u + 12345u;
      garbage[i] = (guint8) (state >> 24);
    }
  garbage[0] = 0x00;
  garbage[1] = 0xff;
  check_bad_file ("garbage.csv", (const char *) garbage, sizeof garbage);
}

static void
test_bad_file_unterminated_quote (void)
{
  check_bad_file ("unterminated.csv", "a,b\n1,\"never closed\n2,3\n", -1);
}

static void
test_bad_file_json (void)
{
  check_bad_file ("broken.json", "[{\"a\": 1}, {\"a\": ", -1);
}

static void
test_missing_file (void)
{
  RefineryWindow *window = new_window_on_sample ();
  g_autofree char *path = g_build_filename (tmp_dir, "no-such-file.csv", NULL);

  load_path (window, path);
  g_assert_cmpstr (refinery_window_get_view (window), ==, "error");
  g_assert_nonnull (strstr (refinery_window_get_error_message (window), "no-such-file.csv"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
assert_column_order (RefineryWindow     *window,
                     guint               column,
                     const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (g_list_model_get_n_items (preview_rows (window)), ==, n);
  for (guint i = 0; i < n; i++)
    assert_cell (window, i, column, expected[i][0] != '\0' ? expected[i] : NULL);
}

static void
test_sort (void)
{
  static const char * const temperature_down[] = { "100", "10", "9", "2.5", "-1", NULL };
  static const char * const temperature_up[] = { "-1", "2.5", "9", "10", "100", NULL };
  static const char * const pressure_up[] = { "1.5", "2.25", "3", "", "", NULL };
  static const char * const machine_down[] = { "pump_e", "pump_d", "pump_c", "pump_b", "pump_a", NULL };
  RefineryWindow *window = new_window_on_sample ();
  g_autofree char *path = fixture_path ("small.csv");
  GtkColumnView *view = refinery_preview_get_column_view (refinery_window_get_preview (window));

  load_path (window, path);
  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");

  /* By value, not as text (as text, "9" would come first). */
  gtk_column_view_sort_by_column (view, preview_column (window, 2), GTK_SORT_DESCENDING);
  assert_column_order (window, 2, temperature_down);
  gtk_column_view_sort_by_column (view, preview_column (window, 2), GTK_SORT_ASCENDING);
  assert_column_order (window, 2, temperature_up);

  /* Missing values after the present ones. */
  gtk_column_view_sort_by_column (view, preview_column (window, 3), GTK_SORT_ASCENDING);
  assert_column_order (window, 3, pressure_up);

  /* Strings as text. */
  gtk_column_view_sort_by_column (view, preview_column (window, 0), GTK_SORT_DESCENDING);
  assert_column_order (window, 0, machine_down);

  /* Sorting does not touch the table. */
  gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);
  assert_cell (window, 0, 0, "pump_a");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_cancel (void)
{
  RefineryWindow *window = new_window_on_sample ();
  g_autofree char *small = fixture_path ("small.json");
  g_autoptr(GFile) big = g_file_new_for_path (big_jsonl);

  /* Cancelled with nothing shown before: back to the drop zone at once. */
  refinery_window_load_file (window, big);
  g_assert_cmpstr (refinery_window_get_view (window), ==, "loading");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-load", NULL));
  g_assert_cmpstr (refinery_window_get_view (window), ==, "drop");
  wait_until_idle (window);
  g_assert_cmpstr (refinery_window_get_view (window), ==, "drop");
  g_assert_null (refinery_window_get_error_message (window));
  g_assert_null (refinery_preview_get_table (refinery_window_get_preview (window)));

  /* Cancelled over a preview: the preview stays. */
  load_path (window, small);
  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");
  refinery_window_load_file (window, big);
  g_assert_cmpstr (refinery_window_get_view (window), ==, "loading");
  refinery_window_cancel_load (window);
  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");
  wait_until_idle (window);
  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");
  g_assert_cmpuint (g_list_model_get_n_items (preview_rows (window)), ==, 3);

  /* A second read replaces a running one. */
  refinery_window_load_file (window, big);
  load_path (window, small);
  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");
  g_assert_cmpuint (g_list_model_get_n_items (preview_rows (window)), ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
check_progress (const char *path,
                guint       min_moves)
{
  RefineryWindow *window = new_window_on_sample ();
  g_autoptr(GFile) big = g_file_new_for_path (path);
  FindData data = { GTK_TYPE_PROGRESS_BAR, NULL, NULL };
  GtkProgressBar *bar;
  double last = 0.0;
  guint n_moves = 0;
  guint tick;
  gint64 deadline;

  find_widget (GTK_WIDGET (window), &data);
  g_assert_nonnull (data.found);
  bar = GTK_PROGRESS_BAR (data.found);

  /* The bar moves forward while the worker reads, and the main loop keeps
   * running (this loop iterates it). */
  refinery_window_load_file (window, big);
  tick = g_timeout_add (5, wake_up, NULL);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (refinery_window_get_busy (window) && g_get_monotonic_time () < deadline)
    {
      double fraction;

      g_main_context_iteration (NULL, TRUE);
      fraction = gtk_progress_bar_get_fraction (bar);
      g_assert_cmpfloat (fraction, >=, last);
      if (fraction > last && fraction < 1.0)
        n_moves++;
      last = fraction;
    }
  g_source_remove (tick);
  wait_until_idle (window);
  g_test_message ("the progress bar moved %u times", n_moves);

  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");
  g_assert_cmpuint (n_moves, >=, min_moves);
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (bar), ==, 1.0);
  g_assert_cmpuint (g_list_model_get_n_items (preview_rows (window)), ==, REFINERY_PREVIEW_ROWS);
  g_assert_true (g_str_has_suffix (refinery_preview_get_summary (refinery_window_get_preview (window)),
                                   " · 400000 rows × 2 columns"));
  assert_cell (window, 99, 1, "99.25");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_progress_csv (void)
{
  /* The CSV reader reports once per 16 MiB block: this file is one block,
   * so only the end of the read shows. */
  check_progress (big_csv, 0);
}

static void
test_progress_json (void)
{
  check_progress (big_jsonl, 2);
}

static void
test_close_while_loading (void)
{
  RefineryWindow *window = new_window_on_sample ();
  g_autoptr(GFile) big = g_file_new_for_path (big_jsonl);

  refinery_window_load_file (window, big);
  g_assert_true (refinery_window_get_busy (window));

  /* Closing cancels the read; the worker ends on its own. */
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until_idle (window);
  g_object_unref (window);
}

static void
test_switch_machine (void)
{
  g_autofree char *dir = make_project ("two-machines");
  g_autofree char *profile = rf_test_source_path ("data/sample/profiles/" SAMPLE_MACHINE_ID ".json");
  g_autofree char *small = fixture_path ("small.json");
  g_autoptr(GError) error = NULL;
  RefineryWindow *window;

  {
    g_autoptr(RfProject) project = rf_project_open (dir, &error);

    g_assert_no_error (error);
    g_assert_nonnull (rf_project_add_machine (project, profile, "engine_a", &error));
    g_assert_no_error (error);
    g_assert_nonnull (rf_project_add_machine (project, profile, "engine_b", &error));
    g_assert_no_error (error);
  }

  window = new_window ();
  g_assert_true (refinery_window_open_project (window, dir, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (refinery_window_get_machine_id (window), ==, "engine_a");

  load_path (window, small);
  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");

  /* Each machine keeps its own file. */
  g_assert_true (refinery_window_select_machine (window, "engine_b"));
  g_assert_cmpstr (refinery_window_get_machine_id (window), ==, "engine_b");
  g_assert_cmpstr (refinery_window_get_view (window), ==, "drop");
  g_assert_true (refinery_window_select_machine (window, "engine_a"));
  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");
  g_assert_cmpuint (g_list_model_get_n_items (preview_rows (window)), ==, 3);

  /* Switching machines cancels a read started for the other one. */
  {
    g_autoptr(GFile) big = g_file_new_for_path (big_jsonl);

    refinery_window_load_file (window, big);
    g_assert_true (refinery_window_select_machine (window, "engine_b"));
    g_assert_cmpstr (refinery_window_get_view (window), ==, "drop");
    wait_until_idle (window);
    g_assert_cmpstr (refinery_window_get_view (window), ==, "drop");
    g_assert_true (refinery_window_select_machine (window, "engine_a"));
    g_assert_cmpuint (g_list_model_get_n_items (preview_rows (window)), ==, 3);
  }

  g_assert_false (refinery_window_select_machine (window, "no_such_machine"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_open_project_errors (void)
{
  g_autofree char *empty_dir = g_build_filename (tmp_dir, "not-a-project", NULL);
  g_autoptr(GError) error = NULL;
  RefineryWindow *window;
  GtkWidget *sidebar_stack;

  g_assert_cmpint (g_mkdir_with_parents (empty_dir, 0700), ==, 0);

  /* A fresh window with nothing to open offers to open a project. */
  window = new_window ();
  g_assert_false (refinery_window_open_project (window, empty_dir, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (refinery_window_get_project (window));
  sidebar_stack = gtk_widget_get_ancestor (GTK_WIDGET (refinery_window_get_machine_list (window)), GTK_TYPE_STACK);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (sidebar_stack)), ==, "no-project");
  gtk_window_destroy (GTK_WINDOW (window));

  /* A project that is open stays open. */
  window = new_window_on_sample ();
  g_assert_false (refinery_window_open_project (window, empty_dir, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpstr (rf_project_get_name (refinery_window_get_project (window)), ==, SAMPLE_PROJECT_NAME);
  g_assert_cmpstr (refinery_window_get_machine_id (window), ==, SAMPLE_MACHINE_ID);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_empty_project (void)
{
  g_autofree char *dir = make_project ("no-machines");
  RefineryWindow *window = new_window ();
  GtkWidget *sidebar_stack;

  g_assert_true (refinery_window_open_project (window, dir, NULL));
  sidebar_stack = gtk_widget_get_ancestor (GTK_WIDGET (refinery_window_get_machine_list (window)), GTK_TYPE_STACK);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (sidebar_stack)), ==, "no-machines");
  g_assert_null (refinery_window_get_machine_id (window));
  g_assert_cmpstr (refinery_window_get_view (window), ==, "drop");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_drop_project_folder (void)
{
  g_autofree char *dir = make_project ("dropped");
  RefineryWindow *window = new_window_on_sample ();
  GFile *files[] = { g_file_new_for_path (dir) };
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (files, 1));
  g_signal_emit_by_name (refinery_window_get_drop_target (window), "drop", &value, 20.0, 20.0, &handled);
  g_assert_true (handled);
  g_assert_cmpstr (rf_project_get_name (refinery_window_get_project (window)), ==, "dropped");
  g_assert_false (refinery_window_get_busy (window));

  g_value_unset (&value);
  g_object_unref (files[0]);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_recent_projects (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.refinery.Refinery");
  g_autofree char *sample = refinery_application_dup_default_project_dir ();
  g_autofree char *sample_path = NULL;
  g_autofree char *other = make_project ("recent_b");
  g_auto(GStrv) recent = NULL;
  RefineryWindow *window;

  g_settings_reset (settings, "recent-projects");
  window = new_window_on_sample ();
  sample_path = g_strdup (rf_project_get_path (refinery_window_get_project (window)));
  g_assert_true (refinery_window_open_project (window, other, NULL));
  g_assert_true (refinery_window_open_project (window, sample, NULL));

  /* Most recent first, each once. */
  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_cmpuint (g_strv_length (recent), ==, 2);
  g_assert_cmpstr (recent[0], ==, sample_path);
  g_assert_cmpstr (recent[1], ==, other);
  g_clear_pointer (&recent, g_strfreev);
  {
    FindData data = { ADW_TYPE_SPLIT_BUTTON, NULL, NULL };
    GMenuModel *menu;
    g_autofree char *label = NULL;

    find_widget (GTK_WIDGET (window), &data);
    menu = adw_split_button_get_menu_model (ADW_SPLIT_BUTTON (data.found));
    g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
    /* "_" would mark a mnemonic: the label doubles it. */
    g_assert_true (g_menu_model_get_item_attribute (menu, 1, G_MENU_ATTRIBUTE_LABEL, "s", &label));
    g_assert_true (g_str_has_suffix (label, "/recent__b"));
  }

  /* At most ten. */
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("recent-%02u", i);
      g_autofree char *dir = make_project (name);

      g_assert_true (refinery_window_open_project (window, dir, NULL));
    }
  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_cmpuint (g_strv_length (recent), ==, 10);
  g_assert_true (g_str_has_suffix (recent[0], "/recent-11"));
  g_assert_true (g_str_has_suffix (recent[9], "/recent-02"));

  /* ...offered in the open button's menu, most recent first. */
  {
    FindData data = { ADW_TYPE_SPLIT_BUTTON, NULL, NULL };
    GMenuModel *menu;
    g_autofree char *label = NULL;
    g_autofree char *action = NULL;
    g_autoptr(GVariant) target = NULL;

    find_widget (GTK_WIDGET (window), &data);
    g_assert_nonnull (data.found);
    menu = adw_split_button_get_menu_model (ADW_SPLIT_BUTTON (data.found));
    g_assert_nonnull (menu);
    g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 10);
    g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
    g_assert_cmpstr (label, ==, recent[0]);
    g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
    g_assert_cmpstr (action, ==, "win.open-project-folder");
    target = g_menu_model_get_item_attribute_value (menu, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
    g_assert_cmpstr (g_variant_get_string (target, NULL), ==, recent[0]);
  }

  /* The recent-projects menu action opens one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-project-folder", "s", other));
  g_assert_cmpstr (rf_project_get_name (refinery_window_get_project (window)), ==, "recent_b");

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "recent-projects");
}

static void
test_actions_and_shortcuts (void)
{
  static const struct { const char *trigger; const char *action; } expected[] = {
    { "<Control>o", "win.choose-file" },
    { "<Shift><Control>o", "win.open-project" },
    { "<Control>w", "window.close" },
    { "Escape", "win.cancel-load" },
  };
  RefineryWindow *window = new_window_on_sample ();
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  g_autofree char *small = fixture_path ("small.json");
  gboolean found[G_N_ELEMENTS (expected)] = { FALSE, };

  /* The class's key bindings live in a shortcut controller of the window. */
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (!GTK_IS_NAMED_ACTION (action))
            continue;
          for (guint k = 0; k < G_N_ELEMENTS (expected); k++)
            if (g_strcmp0 (trigger, expected[k].trigger) == 0 &&
                g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), expected[k].action) == 0)
              found[k] = TRUE;
        }
    }
  for (guint k = 0; k < G_N_ELEMENTS (expected); k++)
    {
      g_test_message ("shortcut %s → %s", expected[k].trigger, expected[k].action);
      g_assert_true (found[k]);
    }

  /* Cancel is only offered while reading. */
  g_assert_true (action_enabled (window, "win.choose-file"));
  g_assert_true (action_enabled (window, "win.open-project"));
  g_assert_false (action_enabled (window, "win.cancel-load"));
  {
    g_autoptr(GFile) big = g_file_new_for_path (big_jsonl);

    refinery_window_load_file (window, big);
    g_assert_true (action_enabled (window, "win.cancel-load"));
    refinery_window_cancel_load (window);
    g_assert_false (action_enabled (window, "win.cancel-load"));
    wait_until_idle (window);
  }

  /* Previewing a path, as scripts and the command line do. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.preview-file", "s", small));
  wait_until_idle (window);
  g_assert_cmpstr (refinery_window_get_view (window), ==, "preview");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_render_png (void)
{
  RefineryWindow *window = new_window_on_sample ();
  g_autofree char *path = fixture_path ("small.csv");
  g_autofree char *png = g_test_build_filename (G_TEST_BUILT, "test-app-window.png", NULL);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  load_path (window, path);
  settle (window);

  g_assert_true (refinery_window_save_png (window, png, &error));
  g_assert_no_error (error);
  g_test_message ("window rendered to %s", png);

  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gtk_widget_get_width (GTK_WIDGET (window)));
  g_assert_cmpint (gdk_texture_get_height (texture), ==, gtk_widget_get_height (GTK_WIDGET (window)));

  /* A narrow window folds the sidebar away and keeps the file in front. */
  {
    g_autofree char *narrow = g_test_build_filename (G_TEST_BUILT, "test-app-window-narrow.png", NULL);
    FindData data = { ADW_TYPE_LEAFLET, NULL, NULL };

    find_widget (GTK_WIDGET (window), &data);
    g_assert_nonnull (data.found);
    g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (data.found)));
    gtk_window_set_default_size (GTK_WINDOW (window), 400, 640);
    settle (window);
    g_assert_true (adw_leaflet_get_folded (ADW_LEAFLET (data.found)));
    g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (refinery_window_get_preview (window)),
                                           adw_leaflet_get_visible_child (ADW_LEAFLET (data.found))));
    g_assert_true (refinery_window_save_png (window, narrow, &error));
    g_assert_no_error (error);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_column_title (void)
{
  g_autoptr(RfColumn) plain = rf_column_new ("s_2", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) with_unit = rf_column_new ("T24", RF_COLUMN_DOUBLE);
  g_autofree char *plain_title = NULL;
  g_autofree char *unit_title = NULL;

  rf_column_set_unit (with_unit, "°R");
  plain_title = refinery_preview_column_title (plain);
  unit_title = refinery_preview_column_title (with_unit);
  g_assert_cmpstr (plain_title, ==, "s_2 · double");
  g_assert_cmpstr (unit_title, ==, "T24 · double · °R");
}

static void
test_table_row_compare (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RefineryTableModel) model = NULL;
  RfColumn *ints = rf_column_new ("i", RF_COLUMN_INT64);
  RfColumn *doubles = rf_column_new ("d", RF_COLUMN_DOUBLE);
  RfColumn *strings = rf_column_new ("s", RF_COLUMN_STRING);
  RfColumn *bools = rf_column_new ("b", RF_COLUMN_BOOL);
  RefineryTableRow *rows[4];

  /* int64 beyond double precision: 2^53 + 1 > 2^53 must still hold. */
  rf_column_append_int64 (ints, G_GINT64_CONSTANT (9007199254740993));
  rf_column_append_int64 (ints, G_GINT64_CONSTANT (9007199254740992));
  rf_column_append_null (ints);
  rf_column_append_int64 (ints, -5);
  rf_column_append_double (doubles, NAN);
  rf_column_append_double (doubles, -0.5);
  rf_column_append_double (doubles, 1e300);
  rf_column_append_null (doubles);
  rf_column_append_string (strings, "b", -1);
  rf_column_append_string (strings, "a", -1);
  rf_column_append_string (strings, "ab", -1);
  rf_column_append_null (strings);
  rf_column_append_bool (bools, TRUE);
  rf_column_append_bool (bools, FALSE);
  rf_column_append_bool (bools, TRUE);
  rf_column_append_bool (bools, FALSE);
  rf_table_add_column (table, ints);
  rf_table_add_column (table, doubles);
  rf_table_add_column (table, strings);
  rf_table_add_column (table, bools);
  rf_column_unref (ints);
  rf_column_unref (doubles);
  rf_column_unref (strings);
  rf_column_unref (bools);

  model = refinery_table_model_new (table);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == REFINERY_TYPE_TABLE_ROW);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 4));
  for (guint i = 0; i < 4; i++)
    {
      rows[i] = g_list_model_get_item (G_LIST_MODEL (model), i);
      g_assert_cmpuint (refinery_table_row_get_index (rows[i]), ==, i);
    }
  /* One object per row for as long as the model lives. */
  {
    g_autoptr(RefineryTableRow) again = g_list_model_get_item (G_LIST_MODEL (model), 2);

    g_assert_true (again == rows[2]);
  }

  g_assert_cmpint (refinery_table_row_compare (rows[0], rows[1], 0), >, 0);
  g_assert_cmpint (refinery_table_row_compare (rows[3], rows[1], 0), <, 0);
  g_assert_cmpint (refinery_table_row_compare (rows[2], rows[0], 0), >, 0);   /* missing last */
  g_assert_cmpint (refinery_table_row_compare (rows[0], rows[2], 0), <, 0);
  g_assert_cmpint (refinery_table_row_compare (rows[0], rows[0], 0), ==, 0);

  g_assert_cmpint (refinery_table_row_compare (rows[1], rows[2], 1), <, 0);
  g_assert_cmpint (refinery_table_row_compare (rows[0], rows[2], 1), >, 0);   /* NaN after numbers */
  g_assert_cmpint (refinery_table_row_compare (rows[3], rows[0], 1), >, 0);   /* missing after NaN */

  g_assert_cmpint (refinery_table_row_compare (rows[1], rows[2], 2), <, 0);   /* "a" < "ab" */
  g_assert_cmpint (refinery_table_row_compare (rows[2], rows[0], 2), <, 0);   /* "ab" < "b" */
  g_assert_cmpint (refinery_table_row_compare (rows[3], rows[1], 2), >, 0);

  g_assert_cmpint (refinery_table_row_compare (rows[1], rows[0], 3), <, 0);   /* false < true */
  g_assert_cmpint (refinery_table_row_compare (rows[0], rows[2], 3), ==, 0);

  {
    g_autofree char *big = refinery_table_row_dup_text (rows[0], 0);
    g_autofree char *missing = refinery_table_row_dup_text (rows[2], 0);
    g_autofree char *text = refinery_table_row_dup_text (rows[2], 2);

    g_assert_cmpstr (big, ==, "9007199254740993");
    g_assert_null (missing);
    g_assert_cmpstr (text, ==, "ab");
    g_assert_true (refinery_table_row_is_missing (rows[3], 1));
    g_assert_false (refinery_table_row_is_missing (rows[0], 1));
  }

  for (guint i = 0; i < 4; i++)
    g_object_unref (rows[i]);
}

static void
test_resources (void)
{
  static const char * const icons[] = {
    "/org/refinery/Refinery/icons/scalable/apps/org.refinery.Refinery.svg",
    "/org/refinery/Refinery/icons/symbolic/apps/org.refinery.Refinery-symbolic.svg",
    "/org/refinery/Refinery/style.css",
  };
  g_autoptr(GtkBuilder) builder = NULL;
  GObject *overlay;

  /* GtkApplication loads the shortcuts window by this name. */
  builder = gtk_builder_new_from_resource ("/org/refinery/Refinery/gtk/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (overlay));

  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    g_assert_true (g_resources_get_info (icons[i], G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  tmp_dir = rf_test_make_temp_dir ();
  {
    g_autoptr(GString) csv = g_string_new ("id,value\n");
    g_autoptr(GString) jsonl = g_string_new (NULL);

    for (guint i = 0; i < BIG_FILE_ROWS; i++)
      {
        g_string_append_printf (csv, "%u,%u.25\n", i, i % 977);
        g_string_append_printf (jsonl, "{\"id\": %u, \"value\": %u.25}\n", i, i % 977);
      }
    big_csv = rf_test_write_file (tmp_dir, "big.csv", csv->str, csv->len);
    big_jsonl = rf_test_write_file (tmp_dir, "big.jsonl", jsonl->str, jsonl->len);
  }

  g_test_add_func ("/app/application/default-project-dir", test_default_project_dir);
  g_test_add_func ("/app/application/startup", test_application_startup);
  g_test_add_func ("/app/table-row/compare", test_table_row_compare);
  g_test_add_func ("/app/preview/column-title", test_column_title);
  g_test_add_func ("/app/resources", test_resources);
  g_test_add_func ("/app/window/sample-project", test_sample_project);
  g_test_add_func ("/app/window/empty-project", test_empty_project);
  g_test_add_func ("/app/window/open-project-errors", test_open_project_errors);
  g_test_add_func ("/app/window/recent-projects", test_recent_projects);
  g_test_add_func ("/app/window/actions-and-shortcuts", test_actions_and_shortcuts);
  g_test_add_func ("/app/window/drop/csv-file-list", test_drop_csv);
  g_test_add_func ("/app/window/drop/json-gfile", test_drop_json);
  g_test_add_func ("/app/window/drop/project-folder", test_drop_project_folder);
  g_test_add_func ("/app/window/first-100-rows/csv", test_first_hundred_rows_csv);
  g_test_add_func ("/app/window/first-100-rows/json", test_first_hundred_rows_json);
  g_test_add_func ("/app/window/wide-and-long-values", test_wide_and_long_values);
  g_test_add_func ("/app/window/bad-file/binary", test_bad_file_binary);
  g_test_add_func ("/app/window/bad-file/unterminated-quote", test_bad_file_unterminated_quote);
  g_test_add_func ("/app/window/bad-file/json", test_bad_file_json);
  g_test_add_func ("/app/window/bad-file/missing", test_missing_file);
  g_test_add_func ("/app/window/sort", test_sort);
  g_test_add_func ("/app/window/progress/csv", test_progress_csv);
  g_test_add_func ("/app/window/progress/json", test_progress_json);
  g_test_add_func ("/app/window/cancel", test_cancel);
  g_test_add_func ("/app/window/close-while-loading", test_close_while_loading);
  g_test_add_func ("/app/window/switch-machine", test_switch_machine);
  g_test_add_func ("/app/window/render-png", test_render_png);

  status = g_test_run ();

  rf_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (big_csv);
  g_free (big_jsonl);
  return status;
}

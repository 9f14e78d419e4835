/* refinery-window.h: the main window.
 *
 * A sidebar lists the machines of the open project; the main area belongs to
 * the selected machine: a drop zone, then a preview of the file dropped or
 * chosen. Files are read in a worker thread (cancellable; cancelled when the
 * window closes) while a progress bar follows the reader.
 */
#pragma once

#include <adwaita.h>

#include "refinery-preview.h"
#include "rf-project.h"

G_BEGIN_DECLS

#define REFINERY_TYPE_WINDOW (refinery_window_get_type ())

G_DECLARE_FINAL_TYPE (RefineryWindow, refinery_window, REFINERY, WINDOW, AdwApplicationWindow)

/* application may be NULL (tests). */
RefineryWindow  *refinery_window_new               (GtkApplication *application);

/* Opens the project folder dir and lists its machines, selecting the first.
 * On failure the error is shown in the window (and returned); the project
 * that was open stays open. */
gboolean         refinery_window_open_project      (RefineryWindow *self,
                                                    const char     *dir,
                                                    GError        **error);
RfProject       *refinery_window_get_project       (RefineryWindow *self);
/* Selects a machine of the project by id; FALSE when there is none. */
gboolean         refinery_window_select_machine    (RefineryWindow *self,
                                                    const char     *machine_id);
const char      *refinery_window_get_machine_id    (RefineryWindow *self);

/* Reads file in a worker thread and previews it for the selected machine,
 * cancelling a read already running. */
void             refinery_window_load_file         (RefineryWindow *self,
                                                    GFile          *file);
void             refinery_window_cancel_load       (RefineryWindow *self);
/* What a GtkDropTarget delivers: a GdkFileList or a GFile. A project folder
 * is opened, a file is previewed. FALSE when the value holds neither. */
gboolean         refinery_window_handle_drop       (RefineryWindow *self,
                                                    const GValue   *value);

/* TRUE while a worker thread runs (also one cancelled but not yet done). */
gboolean         refinery_window_get_busy          (RefineryWindow *self);
/* The main area's page: "drop", "loading", "preview" or "error". */
const char      *refinery_window_get_view          (RefineryWindow *self);
/* The message the error page shows, or NULL. */
const char      *refinery_window_get_error_message (RefineryWindow *self);
RefineryPreview *refinery_window_get_preview       (RefineryWindow *self);
GtkDropTarget   *refinery_window_get_drop_target   (RefineryWindow *self);
GtkListBox      *refinery_window_get_machine_list  (RefineryWindow *self);

/* Renders the window as it is on screen into a PNG file. */
gboolean         refinery_window_save_png          (RefineryWindow *self,
                                                    const char     *path,
                                                    GError        **error);

G_END_DECLS

/* refinery-window-private.h: what refinery-window.c and refinery-window-load.c
 * share. */
#pragma once

#include "refinery-window.h"

G_BEGIN_DECLS

/* What the main area shows for one machine: the last file read (or the error
 * reading it). */
typedef struct
{
  char *path;
  RfTable *table;          /* the previewed rows, or NULL */
  RfReadReport *report;    /* NULL when table is NULL */
  char *error;             /* the reader's message, or NULL */
} RefineryMachineState;

struct _RefineryWindow
{
  AdwApplicationWindow parent_instance;

  /* Template Widgets */
  AdwToastOverlay *toast_overlay;
  AdwLeaflet *leaflet;
  GtkWidget *content;
  GtkLabel *project_name_label;
  GtkLabel *project_path_label;
  AdwSplitButton *open_project_button;
  GtkStack *sidebar_stack;
  GtkListBox *machine_list;
  AdwWindowTitle *content_title;
  GtkStack *main_stack;
  AdwStatusPage *loading_page;
  GtkProgressBar *progress_bar;
  AdwStatusPage *error_page;
  RefineryPreview *preview;

  /* Owned References */
  GSettings *settings;            /* NULL when the schema is not installed */
  GMenu *recent_menu;
  GtkDropTarget *drop_target;
  GtkNativeDialog *chooser;       /* the file or folder chooser while it is open */
  RfProject *project;
  char *machine_id;               /* the selected machine, or NULL */
  GHashTable *states;             /* machine id ("" without one) → RefineryMachineState */

  /* The read in progress: each read gets a new generation, so results and
   * progress of a cancelled read are recognised and dropped. */
  GCancellable *cancellable;
  char *loading_path;
  guint generation;
  guint n_running;
  gboolean disposed;
};

void                  _refinery_machine_state_free   (RefineryMachineState *state);
RefineryMachineState *_refinery_window_get_state     (RefineryWindow       *self,
                                                      gboolean              create);
/* Shows the selected machine's state: its preview, its error or the drop
 * zone (or the progress of the running read). */
void                  _refinery_window_show_state    (RefineryWindow       *self);
void                  _refinery_window_toast         (RefineryWindow       *self,
                                                      const char           *text);
/* Cancels the running read, if any, without touching the UI. */
void                  _refinery_window_abort_load    (RefineryWindow       *self);
void                  _refinery_window_notify_busy   (RefineryWindow       *self);

G_END_DECLS

/* refinery-machine-row.h: one machine of the project, in the sidebar.
 *
 * Shows the machine's name (its id when the profile has no name) over its
 * type, and remembers the id the window selects it by.
 */
#pragma once

#include <gtk/gtk.h>

#include "rf-project.h"

G_BEGIN_DECLS

#define REFINERY_TYPE_MACHINE_ROW (refinery_machine_row_get_type ())

G_DECLARE_FINAL_TYPE (RefineryMachineRow, refinery_machine_row, REFINERY, MACHINE_ROW, GtkListBoxRow)

GtkWidget  *refinery_machine_row_new            (const RfMachine    *machine);
const char *refinery_machine_row_get_machine_id (RefineryMachineRow *self);
/* What the row shows: the name (or the id), and the type ("" when unknown). */
const char *refinery_machine_row_get_title      (RefineryMachineRow *self);
const char *refinery_machine_row_get_subtitle   (RefineryMachineRow *self);

G_END_DECLS

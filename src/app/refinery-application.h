/* refinery-application.h: the application: command line, windows, app-wide
 * actions (about, quit).
 *
 *   refinery                      the sample project
 *   refinery FILE                 the sample project, previewing FILE
 *   refinery DIR                  the project in DIR
 *   refinery --project DIR [FILE] the project in DIR (previewing FILE)
 *   refinery --snapshot PNG ...   renders the window to PNG once it is ready, then quits
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REFINERY_TYPE_APPLICATION (refinery_application_get_type ())

G_DECLARE_FINAL_TYPE (RefineryApplication, refinery_application, REFINERY, APPLICATION, AdwApplication)

RefineryApplication *refinery_application_new                      (void);
/* The project opened when none is given: the source tree's data/sample when
 * this program runs from the build tree, else the installed sample. */
char                *refinery_application_dup_default_project_dir  (void);
/* Non-zero when a --snapshot could not be written. */
int                  refinery_application_get_exit_status          (RefineryApplication *self);

G_END_DECLS

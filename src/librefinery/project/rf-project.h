/* rf-project.h: a Refinery project folder.
 *
 * A project is a folder holding project.json and one sub-folder per workflow
 * step (DESIGN.md "The workflow"):
 *
 *   project.json   {"format": "refinery-project", "format_version": 1,
 *                   "name": "...", "created": "2024-05-01T12:00:00Z",
 *                   "machines": [{"id": "pump_1", "name": "...",
 *                                 "machine_type": "...",
 *                                 "profile": "profiles/pump_1.json",
 *                                 "added": "2024-05-01T12:01:00Z",
 *                                 "default_model": "models/pump_1/tvae_….safetensors",
 *                                 "default_model_chosen": "…", "default_model_reason": "…",
 *                                 "model_history": [{"model": "…", "chosen": "…",
 *                                                    "replaced": "…"}]}]}
 *                  (the last four only once a default model was chosen)
 *   profiles/      <machine id>.json: the machine profile, byte for byte as given
 *   raw/ processed/ merged/ models/ augmented/ reports/
 *                  <machine id>/...: what each step writes
 *
 * Keys of project.json this version does not know are kept when it rewrites
 * the file, so an older Refinery does not destroy what a newer one added
 * within the same format_version. A newer format_version is refused.
 *
 * RfProject is a plain ref-counted struct. It is not thread-safe: use one
 * project from one thread at a time (the GUI's main thread). Every write goes
 * through rf-atomic-file.h.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RF_PROJECT_FORMAT          "refinery-project"
#define RF_PROJECT_FORMAT_VERSION  1
#define RF_PROJECT_FILE            "project.json"

typedef struct _RfProject RfProject;

/* One machine of a project. All strings are owned by the project and stay
 * valid until the project is freed (machines are never removed while it is
 * open). name and type may be NULL when the profile has none. */
typedef struct
{
  char *id;            /* machine_id: [a-z0-9_-]+, also the folder name */
  char *name;          /* the profile's "name", or NULL */
  char *type;          /* the profile's "machine_type", or NULL */
  char *profile_path;  /* absolute path of profiles/<id>.json */
  char *default_model; /* absolute path of the model chosen for the machine
                        * (rf_project_set_default_model), or NULL */
} RfMachine;

/* One earlier default model of a machine, oldest first. */
typedef struct
{
  char *model;         /* path relative to the project folder */
  char *chosen;        /* UTC ISO 8601: when it became the default */
  char *replaced;      /* UTC ISO 8601: when another one replaced it */
} RfModelChoice;

/* The step folders created by rf_project_init, in workflow order;
 * NULL-terminated. */
const char * const *rf_project_get_step_dirs     (void);

/* Creates dir (and its parents) as a new project: project.json and the step
 * folders. name NULL: the basename of dir. dir must not exist or be an empty
 * folder; anything else → RF_ERROR_EXISTS. */
RfProject       *rf_project_init            (const char   *dir,
                                             const char   *name,
                                             GError      **error);
/* Opens and validates dir/project.json. Missing → RF_ERROR_NOT_FOUND;
 * malformed → RF_ERROR_PARSE / RF_ERROR_INVALID; newer format_version →
 * RF_ERROR_FORMAT naming the version. Step folders that are missing are
 * not an error (they are created when first written to). */
RfProject       *rf_project_open            (const char   *dir,
                                             GError      **error);
/* TRUE when dir holds a project.json (it is not opened or validated). */
gboolean         rf_project_is_project_dir  (const char   *dir);

RfProject       *rf_project_ref             (RfProject    *project);
void             rf_project_unref           (RfProject    *project);

/* Absolute, canonical path of the project folder. */
const char      *rf_project_get_path        (RfProject    *project);
const char      *rf_project_get_name        (RfProject    *project);
/* UTC ISO 8601, e.g. "2024-05-01T12:00:00Z". */
const char      *rf_project_get_created     (RfProject    *project);

guint            rf_project_get_n_machines  (RfProject    *project);
const RfMachine *rf_project_get_machine     (RfProject    *project,
                                             guint         index);
/* NULL when there is no machine with that id. */
const RfMachine *rf_project_find_machine    (RfProject    *project,
                                             const char   *id);
/* Validates profile_file (rf-profile.h), copies it byte for byte into
 * profiles/<id>.json and lists the machine in project.json. id NULL: the
 * profile's machine_id (with another id, the stored profile still holds its
 * own machine_id: the id in project.json is the one that counts). A machine
 * with that id already listed, or a profiles/<id>.json already present →
 * RF_ERROR_EXISTS; an invalid id → RF_ERROR_INVALID. On error nothing in
 * the project has changed. */
const RfMachine *rf_project_add_machine     (RfProject    *project,
                                             const char   *profile_file,
                                             const char   *id,
                                             GError      **error);
/* The known machine ids joined with ", " (for error messages); "none" when
 * the project has no machine. */
char            *rf_project_list_machine_ids(RfProject    *project);

/* Absolute path of <step>/<machine_id> inside the project, e.g.
 * rf_project_get_machine_dir (p, "raw", "pump_1"). The folder is created
 * when create is TRUE (errors → RF_ERROR_IO); otherwise only the path is
 * built. step must be one of rf_project_get_step_dirs(). */
char            *rf_project_get_machine_dir (RfProject    *project,
                                             const char   *step,
                                             const char   *machine_id,
                                             gboolean      create,
                                             GError      **error);

/* The machine's models: the .safetensors files of models/<machine_id>/,
 * newest first (by modification time, then by name). NULL-terminated
 * absolute paths; an empty list when there are none. */
char           **rf_project_list_models     (RfProject    *project,
                                             const char   *machine_id);
/* The model the machine's later steps use: its default model when one was
 * chosen and the file is still there, else the newest of
 * rf_project_list_models. NULL (RF_ERROR_NOT_FOUND, saying to train one)
 * when the machine has no model. */
char            *rf_project_get_current_model (RfProject  *project,
                                             const char   *machine_id,
                                             GError      **error);
/* Makes model_path the machine's default model, in project.json as
 * "default_model" (relative to the project) with the time it was chosen and
 * reason (may be NULL); the previous default moves to the machine's
 * "model_history". One atomic rewrite of project.json: on error nothing has
 * changed. model_path must be a file inside models/<machine_id>/
 * (RF_ERROR_INVALID otherwise, RF_ERROR_NOT_FOUND when it does not exist).
 * Choosing the current default again changes nothing. */
gboolean         rf_project_set_default_model (RfProject  *project,
                                             const char   *machine_id,
                                             const char   *model_path,
                                             const char   *reason,
                                             GError      **error);
/* The machine's earlier default models, oldest first; *n_choices is set.
 * Owned by the project. */
const RfModelChoice *rf_project_get_model_history (RfProject *project,
                                             const char   *machine_id,
                                             guint        *n_choices);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfProject, rf_project_unref)

G_END_DECLS

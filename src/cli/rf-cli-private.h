/* rf-cli-private.h: what the files of refinery-cli share.
 *
 * Every command is `int rf_cli_<command> (int argc, char **argv)` with argv[0]
 * the command's name, and returns the process exit status:
 *   0  success
 *   1  failure (the GError message on stderr, prefixed "refinery-cli: ")
 *   2  usage error (bad or missing arguments)
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-profile.h"
#include "rf-project.h"
#include "rf-reader.h"

G_BEGIN_DECLS

#define RF_CLI_NAME        "refinery-cli"
#define RF_CLI_EXIT_OK      0
#define RF_CLI_EXIT_FAILURE 1
#define RF_CLI_EXIT_USAGE   2

int       rf_cli_inspect              (int            argc,
                                       char         **argv);
int       rf_cli_project              (int            argc,
                                       char         **argv);
int       rf_cli_machine              (int            argc,
                                       char         **argv);
int       rf_cli_ingest               (int            argc,
                                       char         **argv);
int       rf_cli_train                (int            argc,
                                       char         **argv);
int       rf_cli_refine               (int            argc,
                                       char         **argv);
int       rf_cli_sample               (int            argc,
                                       char         **argv);
int       rf_cli_convert              (int            argc,
                                       char         **argv);
int       rf_cli_map                  (int            argc,
                                       char         **argv);
int       rf_cli_validate             (int            argc,
                                       char         **argv);
int       rf_cli_clean                (int            argc,
                                       char         **argv);
int       rf_cli_transform            (int            argc,
                                       char         **argv);
int       rf_cli_seed                 (int            argc,
                                       char         **argv);
int       rf_cli_merge                (int            argc,
                                       char         **argv);
int       rf_cli_augment              (int            argc,
                                       char         **argv);
int       rf_cli_compare              (int            argc,
                                       char         **argv);
int       rf_cli_report               (int            argc,
                                       char         **argv);
int       rf_cli_run                  (int            argc,
                                       char         **argv);
int       rf_cli_use_model            (int            argc,
                                       char         **argv);

/* Prints "refinery-cli: <message>" and a pointer to `command --help` on
 * stderr; returns RF_CLI_EXIT_USAGE. */
int       _rf_cli_usage_error         (const char    *command,
                                       const char    *format,
                                       ...) G_GNUC_PRINTF (2, 3);
/* Prints "refinery-cli: <error message>" on stderr; returns
 * RF_CLI_EXIT_FAILURE. */
int       _rf_cli_fail                (const GError  *error);

/* Parses the options of `refinery-cli <command>`: --help prints the help on
 * stdout and exits 0. On a bad option, prints a usage error and returns
 * FALSE. */
gboolean  _rf_cli_parse_options       (GOptionContext *context,
                                       const char     *command,
                                       int            *argc,
                                       char         ***argv);

/* Runs func in a worker thread while the main thread waits for it and turns
 * Ctrl-C (SIGINT) and SIGTERM into a cancel of the cancellable func gets, so
 * a cancelled command stops cleanly and leaves no half-written file. */
typedef gpointer (*RfCliJobFunc) (gpointer       data,
                                  GCancellable  *cancellable,
                                  GError       **error);

gpointer  _rf_cli_run_job             (RfCliJobFunc   func,
                                       gpointer       data,
                                       GError       **error);

/* The options that steer reading a data file, shared by inspect and ingest. */
typedef struct
{
  char *format;
  char *delimiter;
  char *encoding;
  char *decimal;
  gboolean header;
  gboolean no_header;
  char **types;          /* COL=TYPE */
  gboolean all_strings;
  double max_mb;
} RfCliReadArgs;

void      _rf_cli_read_args_add       (GOptionContext *context,
                                       RfCliReadArgs  *args);
/* NULL after printing a usage error (exit RF_CLI_EXIT_USAGE). */
RfReadOptions *_rf_cli_read_args_to_options (RfCliReadArgs *args,
                                             const char    *command);
void      _rf_cli_read_args_clear     (RfCliReadArgs  *args);

/* Serialises node as pretty-printed JSON with a final newline. Doubles are
 * written in the shortest form that reads back to the same value; non-finite
 * doubles (which JSON cannot hold) as the strings "inf", "-inf", "nan". */
void      _rf_cli_json_write          (JsonNode      *node,
                                       GString       *out);

/* Prints node as _rf_cli_json_write does, on stdout. */
void      _rf_cli_print_json          (JsonNode      *node);

/* Opens the project at path and loads the profile of its machine
 * machine_id (profile_out may be NULL). Errors name the known machines. */
gboolean  _rf_cli_open_machine        (const char    *path,
                                       const char    *machine_id,
                                       RfProject    **project_out,
                                       RfProfile    **profile_out,
                                       GError       **error);
/* The data a project's machine trains on (docs/model-format.md "Models in a
 * project"): kind "real" = processed/<id>/cleaned_data.* when it exists,
 * else the file last ingested into raw/<id>/; "merged" =
 * merged/<id>/merged*.parquet. Errors say which step to run first. */
char     *_rf_cli_project_data_path   (RfProject     *project,
                                       const char    *machine,
                                       const char    *kind,
                                       GError       **error);
/* A model named on the command line: a path as it is, or with a project a
 * bare name of a file in models/<machine>/; name NULL: the machine's
 * current model (rf_project_get_current_model, which may fail). */
char     *_rf_cli_resolve_model       (RfProject     *project,
                                       const char    *machine,
                                       const char    *name,
                                       GError       **error);

/* A double in the shortest form that round-trips, e.g. 641.82, 1e-05, 100. */
void      _rf_cli_append_double       (GString       *out,
                                       double         value);

G_END_DECLS

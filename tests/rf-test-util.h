/* rf-test-util.h: small helpers shared by the test programs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Absolute path of a file in ../shared (RF_SHARED_DIR), e.g.
 * rf_test_shared_path ("corpus/csv/MANIFEST.tsv"). When the shared folder is
 * missing, marks the current test skipped with a loud message on stderr and
 * returns NULL: the caller returns at once. */
char        *rf_test_shared_path    (const char *relative);

/* Path of a file in the source tree (RF_SOURCE_DIR), e.g. "data/sample". */
char        *rf_test_source_path    (const char *relative);

/* A fresh empty temporary directory, removed (recursively) by
 * rf_test_remove_tree. */
char        *rf_test_make_temp_dir  (void);
void         rf_test_remove_tree    (const char *path);

/* Writes contents to dir/name and returns the path. */
char        *rf_test_write_file     (const char *dir,
                                     const char *name,
                                     const char *contents,
                                     gssize      length);

/* Number of regular files below path (recursive). */
guint        rf_test_count_files    (const char *path);

/* What a run of refinery-cli (the RF_CLI program) printed and how it
 * ended: status is the exit status, -1 when a signal killed it. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} RfTestRun;

void         rf_test_run_clear      (RfTestRun  *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RfTestRun, rf_test_run_clear)

/* The refinery-cli under test (RF_CLI; asserts it is there). */
const char  *rf_test_cli_path       (void);
/* Runs refinery-cli with the NULL-terminated args and asserts it drew no
 * progress bar (stderr is not a terminal). */
void         rf_test_run_cli_argv   (RfTestRun          *run,
                                     const char * const *args);
#define rf_test_run_cli(run, ...) \
  rf_test_run_cli_argv (run, (const char * const[]) { __VA_ARGS__, NULL })

G_END_DECLS

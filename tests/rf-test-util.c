#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "rf-test-util.h"

char *
rf_test_shared_path (const char *relative)
{
  const char *shared = g_getenv ("RF_SHARED_DIR");
  g_autofree char *path = NULL;

  if (shared == NULL || !g_file_test (shared, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("\n*** SKIPPED: the shared corpus folder (%s) is missing; "
                  "put ../shared beside the checkout to run this test ***\n",
                  shared ? shared : "RF_SHARED_DIR unset");
      g_test_skip ("../shared is missing");
      return NULL;
    }
  path = g_build_filename (shared, relative, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("\n*** SKIPPED: %s is missing from the shared folder ***\n", path);
      g_test_skip ("shared file missing");
      return NULL;
    }
  return g_steal_pointer (&path);
}

char *
rf_test_source_path (const char *relative)
{
  const char *source = g_getenv ("RF_SOURCE_DIR");

  g_assert_nonnull (source);
  return g_build_filename (source, relative, NULL);
}

char *
rf_test_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("rf-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
rf_test_remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (path == NULL)
    return;
  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rf_test_remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

char *
rf_test_write_file (const char *dir,
                    const char *name,
                    const char *contents,
                    gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

guint
rf_test_count_files (const char *path)
{
  GDir *dir;
  const char *name;
  guint n = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? 1 : 0;
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      n += rf_test_count_files (child);
    }
  g_dir_close (dir);
  return n;
}

void
rf_test_run_clear (RfTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

const char *
rf_test_cli_path (void)
{
  const char *path = g_getenv ("RF_CLI");

  g_assert_nonnull (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));
  return path;
}

void
rf_test_run_cli_argv (RfTestRun          *run,
                      const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (char *) rf_test_cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  rf_test_run_clear (run);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  run->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  g_assert_null (strchr (run->err, '\033'));
}

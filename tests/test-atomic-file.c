#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "refinery.h"
#include "rf-test-util.h"

static void
test_write_commit (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "out.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  RfAtomicFile *file;
  GString *big = g_string_new (NULL);

  /* more than one buffer's worth, in odd-sized pieces */
  for (int i = 0; i < 300000; i++)
    g_string_append_printf (big, "%d,", i);

  file = rf_atomic_file_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (rf_atomic_file_puts (file, "head\n", &error));
  g_assert_true (rf_atomic_file_write (file, big->str, big->len, &error));
  g_assert_true (rf_atomic_file_puts (file, "\ntail", &error));
  /* nothing at the target before commit, one hidden temp file beside it */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);
  g_assert_true (rf_atomic_file_commit (file, &error));
  g_assert_no_error (error);
  rf_atomic_file_free (file);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, ==, 5 + big->len + 5);
  g_assert_true (g_str_has_prefix (contents, "head\n0,1,2,"));
  g_assert_true (g_str_has_suffix (contents, "299999,\ntail"));
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);
  g_string_free (big, TRUE);
  rf_test_remove_tree (dir);
}

static void
test_abandon_keeps_old (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = rf_test_write_file (dir, "keep.json", "{\"good\": true}", -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  RfAtomicFile *file;

  file = rf_atomic_file_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (rf_atomic_file_puts (file, "{\"half", &error));
  rf_atomic_file_free (file);   /* an error or cancel before commit */

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "{\"good\": true}");
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);
  rf_test_remove_tree (dir);
}

static void
test_missing_directory (void)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = rf_atomic_write_contents ("/nonexistent-dir-rf/x.txt", "x", 1, &error);

  g_assert_false (ok);
  g_assert_error (error, RF_ERROR, RF_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir-rf/x.txt"));
}

static void
test_copy_and_sha256 (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *src = rf_test_write_file (dir, "src.csv", "abc", 3);
  g_autofree char *dst = g_build_filename (dir, "dst.csv", NULL);
  g_autofree char *sha = NULL;
  g_autofree char *sha2 = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  guint64 bytes = 0;

  g_assert_true (rf_atomic_copy_file (src, dst, &sha, &bytes, NULL, &error));
  g_assert_no_error (error);
  /* SHA-256 ("abc") from FIPS 180-2 */
  g_assert_cmpstr (sha, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpuint (bytes, ==, 3);
  g_assert_true (g_file_get_contents (dst, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "abc");
  sha2 = rf_file_sha256 (dst, &bytes, NULL, &error);
  g_assert_cmpstr (sha2, ==, sha);
  rf_test_remove_tree (dir);
}

static void
test_copy_cancelled (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *src = rf_test_write_file (dir, "src.csv", "abc", 3);
  g_autofree char *dst = g_build_filename (dir, "dst.csv", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (rf_atomic_copy_file (src, dst, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (dst, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);
  rf_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/atomic-file/write-commit", test_write_commit);
  g_test_add_func ("/rf/atomic-file/abandon-keeps-old", test_abandon_keeps_old);
  g_test_add_func ("/rf/atomic-file/missing-directory", test_missing_directory);
  g_test_add_func ("/rf/atomic-file/copy-and-sha256", test_copy_and_sha256);
  g_test_add_func ("/rf/atomic-file/copy-cancelled", test_copy_cancelled);
  return g_test_run ();
}

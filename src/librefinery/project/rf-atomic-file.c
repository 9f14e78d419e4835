#define G_LOG_DOMAIN "rf-atomic-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rf-atomic-file.h"
#include "rf-error.h"

#define BUFFER_SIZE (1 << 20)

struct _RfAtomicFile
{
  char *path;
  char *temp_path;
  int fd;
  char *buffer;
  gsize used;
  gboolean committed;
};

static gboolean
set_errno_error (GError    **error,
                 int         saved_errno,
                 const char *what,
                 const char *path)
{
  g_set_error (error, RF_ERROR, RF_ERROR_IO, "%s “%s”: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

RfAtomicFile *
rf_atomic_file_new (const char  *path,
                    GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;
  RfAtomicFile *file;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  template = g_strdup_printf ("%s/.%s.XXXXXX.part", dir, base);
  fd = g_mkstemp_full (template, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      set_errno_error (error, errno, "Cannot create a file in the folder of", path);
      return NULL;
    }

  file = g_new0 (RfAtomicFile, 1);
  file->path = g_strdup (path);
  file->temp_path = g_steal_pointer (&template);
  file->fd = fd;
  file->buffer = g_malloc (BUFFER_SIZE);
  return file;
}

const char *
rf_atomic_file_get_path (RfAtomicFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);
  return file->path;
}

static gboolean
write_all (RfAtomicFile  *file,
           const char    *data,
           gsize          length,
           GError       **error)
{
  while (length > 0)
    {
      gssize n = write (file->fd, data, length);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return set_errno_error (error, errno, "Cannot write", file->path);
        }
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

static gboolean
flush_buffer (RfAtomicFile  *file,
              GError       **error)
{
  gboolean ok = write_all (file, file->buffer, file->used, error);
  file->used = 0;
  return ok;
}

gboolean
rf_atomic_file_write (RfAtomicFile  *file,
                      const void    *data,
                      gsize          length,
                      GError       **error)
{
  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (!file->committed, FALSE);

  if (file->used + length <= BUFFER_SIZE)
    {
      memcpy (file->buffer + file->used, data, length);
      file->used += length;
      return TRUE;
    }
  if (!flush_buffer (file, error))
    return FALSE;
  if (length >= BUFFER_SIZE)
    return write_all (file, data, length, error);
  memcpy (file->buffer, data, length);
  file->used = length;
  return TRUE;
}

gboolean
rf_atomic_file_puts (RfAtomicFile  *file,
                     const char    *text,
                     GError       **error)
{
  return rf_atomic_file_write (file, text, strlen (text), error);
}

static void
fsync_directory (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  /* Best effort: some file systems refuse to fsync a directory. */
  if (fd >= 0)
    {
      (void) fsync (fd);
      close (fd);
    }
}

gboolean
rf_atomic_file_commit (RfAtomicFile  *file,
                       GError       **error)
{
  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (!file->committed, FALSE);

  if (!flush_buffer (file, error))
    return FALSE;
  if (fsync (file->fd) != 0)
    return set_errno_error (error, errno, "Cannot save", file->path);
  if (close (file->fd) != 0)
    {
      file->fd = -1;
      return set_errno_error (error, errno, "Cannot save", file->path);
    }
  file->fd = -1;
  if (g_rename (file->temp_path, file->path) != 0)
    return set_errno_error (error, errno, "Cannot replace", file->path);
  file->committed = TRUE;
  fsync_directory (file->path);
  return TRUE;
}

void
rf_atomic_file_free (RfAtomicFile *file)
{
  if (file == NULL)
    return;
  if (file->fd >= 0)
    close (file->fd);
  if (!file->committed)
    g_unlink (file->temp_path);
  g_free (file->path);
  g_free (file->temp_path);
  g_free (file->buffer);
  g_free (file);
}

gboolean
rf_atomic_write_contents (const char  *path,
                          const void  *data,
                          gsize        length,
                          GError     **error)
{
  g_autoptr(RfAtomicFile) file = rf_atomic_file_new (path, error);

  return file != NULL &&
         rf_atomic_file_write (file, data, length, error) &&
         rf_atomic_file_commit (file, error);
}

/* Reads src in large chunks, feeding the checksum and (if given) dst. */
static gboolean
stream_file (const char    *src,
             RfAtomicFile  *dst,
             GChecksum     *checksum,
             guint64       *bytes_out,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree guchar *chunk = g_malloc (BUFFER_SIZE);
  guint64 total = 0;
  int fd = open (src, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return set_errno_error (error, errno, "Cannot open", src);

  for (;;)
    {
      gssize n = read (fd, chunk, BUFFER_SIZE);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          set_errno_error (error, errno, "Cannot read", src);
          close (fd);
          return FALSE;
        }
      if (n == 0)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return FALSE;
        }
      if (checksum != NULL)
        g_checksum_update (checksum, chunk, n);
      if (dst != NULL && !rf_atomic_file_write (dst, chunk, (gsize) n, error))
        {
          close (fd);
          return FALSE;
        }
      total += (guint64) n;
    }
  close (fd);
  if (bytes_out != NULL)
    *bytes_out = total;
  return TRUE;
}

gboolean
rf_atomic_copy_file (const char    *src,
                     const char    *dst,
                     char         **sha256_hex,
                     guint64       *bytes_out,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(RfAtomicFile) out = NULL;

  g_return_val_if_fail (src != NULL, FALSE);
  g_return_val_if_fail (dst != NULL, FALSE);

  out = rf_atomic_file_new (dst, error);
  if (out == NULL)
    return FALSE;
  if (!stream_file (src, out, checksum, bytes_out, cancellable, error))
    return FALSE;
  if (!rf_atomic_file_commit (out, error))
    return FALSE;
  if (sha256_hex != NULL)
    *sha256_hex = g_strdup (g_checksum_get_string (checksum));
  return TRUE;
}

char *
rf_file_sha256 (const char    *path,
                guint64       *bytes_out,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_return_val_if_fail (path != NULL, NULL);
  if (!stream_file (path, NULL, checksum, bytes_out, cancellable, error))
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}

gboolean
rf_atomic_write_json (const char  *path,
                      JsonNode    *root,
                      GError     **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *data = NULL;
  g_autofree char *with_newline = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (root != NULL, FALSE);

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  with_newline = g_strconcat (data, "\n", NULL);
  return rf_atomic_write_contents (path, with_newline, length + 1, error);
}

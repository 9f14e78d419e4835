/* rf-atomic-file.h: the one way the core writes a file.
 *
 * Data goes to a hidden temporary file beside the target
 * (".<name>.XXXXXX.part"); commit flushes it, fsyncs it, renames it over the
 * target and fsyncs the directory. Until commit the target is untouched, so
 * a crash, an error or a cancel never leaves a half-written file where a good
 * one was. Freeing an uncommitted RfAtomicFile deletes the temporary file.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _RfAtomicFile RfAtomicFile;

/* The target's directory must exist. */
RfAtomicFile *rf_atomic_file_new        (const char    *path,
                                         GError       **error);
/* Buffered; errors name the target path. */
gboolean      rf_atomic_file_write      (RfAtomicFile  *file,
                                         const void    *data,
                                         gsize          length,
                                         GError       **error);
gboolean      rf_atomic_file_puts       (RfAtomicFile  *file,
                                         const char    *text,
                                         GError       **error);
gboolean      rf_atomic_file_commit     (RfAtomicFile  *file,
                                         GError       **error);
/* Discards the temporary file unless committed. */
void          rf_atomic_file_free       (RfAtomicFile  *file);
const char   *rf_atomic_file_get_path   (RfAtomicFile  *file);

/* Whole-buffer convenience. */
gboolean      rf_atomic_write_contents  (const char    *path,
                                         const void    *data,
                                         gsize          length,
                                         GError       **error);

/* root as pretty-printed JSON (2-space indent, a final newline): the form
 * of every JSON file Refinery keeps in a project. */
gboolean      rf_atomic_write_json      (const char    *path,
                                         JsonNode      *root,
                                         GError       **error);

/* Copies src to dst atomically, byte for byte. When sha256_hex is not NULL it
 * receives the lowercase hex SHA-256 of the bytes copied; bytes_out the size. */
gboolean      rf_atomic_copy_file       (const char    *src,
                                         const char    *dst,
                                         char         **sha256_hex,
                                         guint64       *bytes_out,
                                         GCancellable  *cancellable,
                                         GError       **error);

/* SHA-256 of a file, lowercase hex, read in large chunks. */
char         *rf_file_sha256            (const char    *path,
                                         guint64       *bytes_out,
                                         GCancellable  *cancellable,
                                         GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfAtomicFile, rf_atomic_file_free)

G_END_DECLS

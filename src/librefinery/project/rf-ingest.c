#define G_LOG_DOMAIN "rf-ingest"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "rf-atomic-file.h"
#include "rf-error.h"
#include "rf-ingest.h"

/* Thousands of uploads fit in far less; a bigger file is not ours. */
#define MAX_METADATA_BYTES (64 * 1024 * 1024)

void
rf_upload_free (RfUpload *upload)
{
  if (upload == NULL)
    return;
  g_free (upload->original_name);
  g_free (upload->stored_name);
  g_free (upload->stored_path);
  g_free (upload->sha256);
  g_free (upload->format);
  g_free (upload->uploaded_at);
  g_free (upload->user);
  g_free (upload->source_path);
  g_free (upload);
}

void
rf_ingest_result_free (RfIngestResult *result)
{
  if (result == NULL)
    return;
  rf_upload_free (result->upload);
  g_clear_pointer (&result->table, rf_table_unref);
  rf_read_report_free (result->report);
  g_free (result);
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
get_int (JsonObject *object,
         const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static RfUpload *
upload_from_json (JsonObject *entry,
                  const char *raw_dir)
{
  RfUpload *upload = g_new0 (RfUpload, 1);

  upload->original_name = g_strdup (get_string (entry, "original_name"));
  upload->stored_name = g_strdup (get_string (entry, "stored_name"));
  upload->stored_path = g_build_filename (raw_dir, upload->stored_name, NULL);
  upload->sha256 = g_strdup (get_string (entry, "sha256"));
  upload->bytes = (guint64) MAX (0, get_int (entry, "bytes"));
  upload->format = g_strdup (get_string (entry, "format"));
  upload->rows = (guint64) MAX (0, get_int (entry, "rows"));
  upload->n_columns = (guint) CLAMP (get_int (entry, "column_count"), 0, G_MAXUINT);
  upload->uploaded_at = g_strdup (get_string (entry, "uploaded_at"));
  upload->user = g_strdup (get_string (entry, "user"));
  upload->source_path = g_strdup (get_string (entry, "source_path"));
  return upload;
}

static gboolean
metadata_error (GError     **error,
                const char  *display,
                const char  *problem)
{
  g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
               "%s is damaged (%s); repair it by hand or restore it from a backup, "
               "then ingest again", display, problem);
  return FALSE;
}

/* Loads and checks raw/<machine>/upload_metadata.json. *root_out is NULL when
 * the file does not exist yet. */
static gboolean
load_metadata (const char  *path,
               JsonNode   **root_out,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *contents = NULL;
  JsonObject *object;
  JsonNode *root;
  JsonNode *node;
  JsonArray *uploads;
  GStatBuf st;
  gsize length;
  gint64 version;

  *root_out = NULL;
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      if (saved == ENOENT)
        return TRUE;
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot open %s: %s", display, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    return metadata_error (error, display, "not a regular file");
  if (st.st_size > MAX_METADATA_BYTES)
    return metadata_error (error, display, "too large");
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot read %s: %s",
                   display, local_error->message);
      return FALSE;
    }
  if (!g_utf8_validate (contents, length, NULL))
    return metadata_error (error, display, "not UTF-8 text");
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, contents, (gssize) length, &local_error))
    return metadata_error (error, display, local_error->message);

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return metadata_error (error, display, "the top level is not an object");
  object = json_node_get_object (root);
  if (g_strcmp0 (get_string (object, "format"), RF_UPLOAD_METADATA_FORMAT) != 0)
    return metadata_error (error, display, "“format” is not “" RF_UPLOAD_METADATA_FORMAT "”");
  version = get_int (object, "format_version");
  if (version > RF_UPLOAD_METADATA_FORMAT_VERSION)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "%s has format_version %" G_GINT64_FORMAT ", written by a newer Refinery; "
                   "update Refinery to ingest into this project",
                   display, version);
      return FALSE;
    }
  if (version < 1)
    return metadata_error (error, display, "“format_version” is missing or not valid");
  node = json_object_get_member (object, "uploads");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return metadata_error (error, display, "“uploads” is not a list");
  uploads = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (uploads); i++)
    {
      JsonNode *element = json_array_get_element (uploads, i);
      JsonObject *entry;
      const char *stored;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return metadata_error (error, display, "an upload is not an object");
      entry = json_node_get_object (element);
      stored = get_string (entry, "stored_name");
      /* stored_name becomes a path: it must stay a plain name inside raw/<machine>/. */
      if (get_string (entry, "sha256") == NULL || stored == NULL || stored[0] == '\0' ||
          strchr (stored, '/') != NULL || strcmp (stored, ".") == 0 || strcmp (stored, "..") == 0)
        return metadata_error (error, display, "an upload has no valid sha256 or stored_name");
    }

  *root_out = json_node_ref (root);
  return TRUE;
}

static JsonArray *
metadata_uploads (JsonNode *root)
{
  return json_object_get_array_member (json_node_get_object (root), "uploads");
}

static const RfMachine *
find_machine (RfProject   *project,
              const char  *machine_id,
              GError     **error)
{
  const RfMachine *machine = rf_project_find_machine (project, machine_id);

  if (machine == NULL)
    {
      g_autofree char *known = rf_project_list_machine_ids (project);
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "The project “%s” has no machine “%s” (known machines: %s); "
                   "add it with “refinery-cli machine add” or pick a known id",
                   rf_project_get_name (project), machine_id, known);
    }
  return machine;
}

GPtrArray *
rf_ingest_list_uploads (RfProject   *project,
                        const char  *machine_id,
                        GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *raw_dir = NULL;
  g_autofree char *metadata_path = NULL;
  JsonArray *uploads;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (machine_id != NULL, NULL);

  if (find_machine (project, machine_id, error) == NULL)
    return NULL;
  raw_dir = rf_project_get_machine_dir (project, "raw", machine_id, FALSE, NULL);
  metadata_path = g_build_filename (raw_dir, RF_UPLOAD_METADATA_FILE, NULL);
  if (!load_metadata (metadata_path, &root, error))
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) rf_upload_free);
  if (root == NULL)
    return g_steal_pointer (&list);
  uploads = metadata_uploads (root);
  for (guint i = 0; i < json_array_get_length (uploads); i++)
    g_ptr_array_add (list, upload_from_json (json_array_get_object_element (uploads, i), raw_dir));
  return g_steal_pointer (&list);
}

RfUpload *
rf_ingest_get_latest (RfProject   *project,
                      const char  *machine_id,
                      GError     **error)
{
  g_autoptr(GPtrArray) uploads = NULL;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (machine_id != NULL, NULL);

  uploads = rf_ingest_list_uploads (project, machine_id, error);
  if (uploads == NULL)
    return NULL;
  if (uploads->len == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "The machine “%s” has no data yet: ingest a data file into the project "
                   "first (refinery-cli ingest PROJECT --machine %s FILE).",
                   machine_id, machine_id);
      return NULL;
    }
  return g_ptr_array_steal_index (uploads, uploads->len - 1);
}

RfTable *
rf_ingest_read_latest (RfProject     *project,
                       const char    *machine_id,
                       RfUpload     **upload_out,
                       RfProgress    *progress,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(RfUpload) upload = NULL;
  RfTable *table;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (machine_id != NULL, NULL);

  upload = rf_ingest_get_latest (project, machine_id, error);
  if (upload == NULL)
    return NULL;
  table = rf_read_file (upload->stored_path, NULL, NULL, progress, cancellable, error);
  if (table == NULL)
    return NULL;
  if (upload_out != NULL)
    *upload_out = g_steal_pointer (&upload);
  return table;
}

static gboolean
name_is_taken (const char *raw_dir,
               JsonNode   *root,
               const char *name)
{
  g_autofree char *path = NULL;

  if (strcmp (name, RF_UPLOAD_METADATA_FILE) == 0)
    return TRUE;
  path = g_build_filename (raw_dir, name, NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return TRUE;
  if (root != NULL)
    {
      JsonArray *uploads = metadata_uploads (root);
      for (guint i = 0; i < json_array_get_length (uploads); i++)
        {
          JsonObject *entry = json_array_get_object_element (uploads, i);
          if (g_strcmp0 (get_string (entry, "stored_name"), name) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* name, or stem_2.ext, stem_3.ext, ...: the first name neither on disk nor
 * recorded, so a stored file is never overwritten. */
static char *
choose_stored_name (const char *raw_dir,
                    JsonNode   *root,
                    const char *name)
{
  const char *dot = strrchr (name, '.');
  g_autofree char *stem = NULL;
  const char *ext;

  if (!name_is_taken (raw_dir, root, name))
    return g_strdup (name);
  /* A leading dot starts a hidden name, not an extension. */
  if (dot == NULL || dot == name)
    dot = name + strlen (name);
  stem = g_strndup (name, (gsize) (dot - name));
  ext = dot;
  for (guint n = 2;; n++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s_%u%s", stem, n, ext);
      if (!name_is_taken (raw_dir, root, candidate))
        return g_steal_pointer (&candidate);
    }
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static JsonNode *
build_entry (const char   *original_name,
             const char   *stored_name,
             const char   *sha256,
             guint64       bytes,
             RfTable      *table,
             RfReadReport *report,
             const char   *uploaded_at,
             const char   *source_path)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n_columns = rf_table_get_n_columns (table);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "original_name", original_name);
  add_nullable_string (builder, "stored_name", stored_name);
  add_nullable_string (builder, "sha256", sha256);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, (gint64) bytes);
  rf_read_report_add_detection_json (report, builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, (gint64) rf_table_get_n_rows (table));
  json_builder_set_member_name (builder, "column_count");
  json_builder_add_int_value (builder, n_columns);
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_columns; i++)
    {
      RfColumn *column = rf_table_get_column (table, i);

      json_builder_begin_object (builder);
      add_nullable_string (builder, "name", column->name);
      add_nullable_string (builder, "type", rf_column_type_to_string (column->type));
      add_nullable_string (builder, "unit", column->unit);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->warnings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (report->warnings, i));
  json_builder_end_array (builder);
  add_nullable_string (builder, "uploaded_at", uploaded_at);
  add_nullable_string (builder, "user", g_get_user_name ());
  add_nullable_string (builder, "source_path", source_path);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
new_metadata_root (const char *machine_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, RF_UPLOAD_METADATA_FORMAT);
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, RF_UPLOAD_METADATA_FORMAT_VERSION);
  json_builder_set_member_name (builder, "machine_id");
  json_builder_add_string_value (builder, machine_id);
  json_builder_set_member_name (builder, "uploads");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
write_metadata (const char  *path,
                JsonNode    *root,
                GError     **error)
{

  return rf_atomic_write_json (path, root, error);
}

static char *
now_utc_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
same_file_state (const GStatBuf *a,
                 const GStatBuf *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
         a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void
changed_error (GError    **error,
               const char *display)
{
  g_set_error (error, RF_ERROR, RF_ERROR_IO,
               "“%s” changed while it was being ingested, so the stored copy would not be "
               "the data that was checked; nothing was stored: wait until the file is "
               "complete and ingest it again", display);
}

/* Removes what this ingest created: the stored copy, and raw/<machine>/ when
 * it was created for it and is empty again. */
static void
undo_copy (const char *stored_path,
           const char *raw_dir,
           gboolean    created_dir)
{
  if (stored_path != NULL)
    g_unlink (stored_path);
  if (created_dir)
    g_rmdir (raw_dir);
}

RfIngestResult *
rf_ingest_file (RfProject            *project,
                const char           *machine_id,
                const char           *path,
                const RfReadOptions  *options,
                RfProgress           *progress,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(RfIngestResult) result = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *raw_dir = NULL;
  g_autofree char *metadata_path = NULL;
  g_autofree char *display = NULL;
  g_autofree char *original_name = NULL;
  g_autofree char *stored_name = NULL;
  g_autofree char *stored_path = NULL;
  g_autofree char *source_path = NULL;
  g_autofree char *sha_parsed = NULL;
  g_autofree char *sha_copy = NULL;
  g_autofree char *uploaded_at = NULL;
  RfProgress read_progress;
  GStatBuf before, after;
  JsonObject *entry;
  JsonArray *uploads;
  guint64 bytes_parsed = 0;
  guint64 bytes_copy = 0;
  gboolean created_dir;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (machine_id != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (find_machine (project, machine_id, error) == NULL)
    return NULL;
  raw_dir = rf_project_get_machine_dir (project, "raw", machine_id, FALSE, NULL);
  metadata_path = g_build_filename (raw_dir, RF_UPLOAD_METADATA_FILE, NULL);
  /* A damaged metadata file stops us before anything is read or written. */
  if (!load_metadata (metadata_path, &root, error))
    return NULL;

  display = g_filename_display_name (path);
  original_name = g_filename_display_basename (path);
  source_path = g_canonicalize_filename (path, NULL);

  result = g_new0 (RfIngestResult, 1);

  /* 1. Parse the whole file: if it does not parse, nothing is written. */
  if (g_stat (path, &before) != 0)
    memset (&before, 0, sizeof before);
  read_progress = rf_progress_range (progress, 0.0, 0.7);
  result->table = rf_read_file (path, options, &result->report, &read_progress, cancellable, error);
  if (result->table == NULL)
    return NULL;

  /* 2. The checksum of what was parsed (the stat check below catches a change
   *    during the parse, the checksum of the copy one after it). */
  rf_progress_report (progress, 0.7, "Checking");
  sha_parsed = rf_file_sha256 (path, &bytes_parsed, cancellable, error);
  if (sha_parsed == NULL)
    return NULL;

  /* 3. The same bytes already ingested: nothing to do. */
  if (root != NULL)
    {
      uploads = metadata_uploads (root);
      for (guint i = 0; i < json_array_get_length (uploads); i++)
        {
          JsonObject *earlier = json_array_get_object_element (uploads, i);
          if (g_strcmp0 (get_string (earlier, "sha256"), sha_parsed) == 0)
            {
              result->upload = upload_from_json (earlier, raw_dir);
              result->already_ingested = TRUE;
              rf_progress_report (progress, 1.0, NULL);
              return g_steal_pointer (&result);
            }
        }
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* 4. Copy under a free name, verifying the copy is what was parsed. */
  rf_progress_report (progress, 0.8, "Copying");
  created_dir = !g_file_test (raw_dir, G_FILE_TEST_IS_DIR);
  g_free (raw_dir);
  raw_dir = rf_project_get_machine_dir (project, "raw", machine_id, TRUE, error);
  if (raw_dir == NULL)
    return NULL;
  stored_name = choose_stored_name (raw_dir, root, original_name);
  stored_path = g_build_filename (raw_dir, stored_name, NULL);
  if (!rf_atomic_copy_file (path, stored_path, &sha_copy, &bytes_copy, cancellable, error))
    {
      undo_copy (NULL, raw_dir, created_dir);
      return NULL;
    }
  if (g_stat (path, &after) != 0 || !same_file_state (&before, &after) ||
      strcmp (sha_copy, sha_parsed) != 0 || bytes_copy != bytes_parsed)
    {
      undo_copy (stored_path, raw_dir, created_dir);
      changed_error (error, display);
      return NULL;
    }

  /* 5. Record the upload. */
  rf_progress_report (progress, 0.98, "Recording");
  if (root == NULL)
    root = new_metadata_root (machine_id);
  uploaded_at = now_utc_iso8601 ();
  uploads = metadata_uploads (root);
  json_array_add_element (uploads, build_entry (original_name, stored_name, sha_copy, bytes_copy,
                                                result->table, result->report, uploaded_at,
                                                source_path));
  if (g_cancellable_set_error_if_cancelled (cancellable, &local_error) ||
      !write_metadata (metadata_path, root, &local_error))
    {
      undo_copy (stored_path, raw_dir, created_dir);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  entry = json_array_get_object_element (uploads, json_array_get_length (uploads) - 1);
  result->upload = upload_from_json (entry, raw_dir);
  rf_progress_report (progress, 1.0, NULL);
  return g_steal_pointer (&result);
}

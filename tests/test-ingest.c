#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "refinery.h"
#include "rf-test-util.h"

/* A temporary project with the machine "m1" (minimal profile), plus a
 * separate folder for the files to ingest. */
typedef struct
{
  char *tmp;
  char *project_dir;
  char *incoming;
  char *raw_dir;
  char *metadata;
  RfProject *project;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = rf_test_source_path ("tests/fixtures/profiles/minimal.json");
  char *resolved;

  f->tmp = rf_test_make_temp_dir ();
  /* canonical, so paths compare equal to what the project reports */
  resolved = realpath (f->tmp, NULL);
  g_free (f->tmp);
  f->tmp = g_strdup (resolved);
  free (resolved);
  f->project_dir = g_build_filename (f->tmp, "project", NULL);
  f->incoming = g_build_filename (f->tmp, "incoming", NULL);
  f->raw_dir = g_build_filename (f->project_dir, "raw", "m1", NULL);
  f->metadata = g_build_filename (f->raw_dir, "upload_metadata.json", NULL);
  g_assert_cmpint (g_mkdir (f->incoming, 0755), ==, 0);
  f->project = rf_project_init (f->project_dir, "test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (rf_project_add_machine (f->project, profile, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  rf_project_unref (f->project);
  rf_test_remove_tree (f->tmp);
  g_free (f->tmp);
  g_free (f->project_dir);
  g_free (f->incoming);
  g_free (f->raw_dir);
  g_free (f->metadata);
}

static char *
file_contents (const char *path,
               gsize      *length)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, NULL));
  return contents;
}

static void
assert_same_bytes (const char *a,
                   const char *b)
{
  g_autofree char *ca = NULL;
  g_autofree char *cb = NULL;
  gsize la, lb;

  ca = file_contents (a, &la);
  cb = file_contents (b, &lb);
  g_assert_cmpmem (ca, la, cb, lb);
}

static JsonObject *
read_metadata (Fixture    *f,
               JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, f->metadata, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_null_member (JsonObject *object,
                    const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, name)));
}

static void
assert_column (JsonArray  *columns,
               guint       index,
               const char *name,
               const char *type)
{
  JsonObject *column = json_array_get_object_element (columns, index);

  g_assert_cmpuint (json_object_get_size (column), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (column, "name"), ==, name);
  g_assert_cmpstr (json_object_get_string_member (column, "type"), ==, type);
  assert_null_member (column, "unit");
}

#define SMALL_CSV "time,temp,count\n2024-03-01T00:00:00Z,20.5,1\n2024-03-01T00:00:10Z,,2\n" \
                  "2024-03-01T00:00:20Z,22.25,3\n"

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *source = rf_test_write_file (f->incoming, "line 1.csv", SMALL_CSV, -1);
  g_autofree char *stored = g_build_filename (f->raw_dir, "line 1.csv", NULL);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, SMALL_CSV, -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RfIngestResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) uploads = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *root;
  JsonObject *entry;
  JsonArray *list;
  const RfUpload *upload;

  result = rf_ingest_file (f->project, "m1", source, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (result->already_ingested);
  g_assert_nonnull (result->table);
  g_assert_cmpuint (rf_table_get_n_rows (result->table), ==, 3);
  g_assert_nonnull (result->report);

  upload = result->upload;
  g_assert_cmpstr (upload->original_name, ==, "line 1.csv");
  g_assert_cmpstr (upload->stored_name, ==, "line 1.csv");
  g_assert_cmpstr (upload->stored_path, ==, stored);
  g_assert_cmpstr (upload->sha256, ==, sha);
  g_assert_cmpuint (upload->bytes, ==, strlen (SMALL_CSV));
  g_assert_cmpstr (upload->format, ==, "csv");
  g_assert_cmpuint (upload->rows, ==, 3);
  g_assert_cmpuint (upload->n_columns, ==, 3);
  g_assert_cmpstr (upload->user, ==, g_get_user_name ());
  g_assert_cmpstr (upload->source_path, ==, source);

  /* copied byte for byte; the metadata is the only other file */
  assert_same_bytes (source, stored);
  g_assert_cmpuint (rf_test_count_files (f->raw_dir), ==, 2);

  root = read_metadata (f, parser);
  members = json_object_get_members (root);
  g_assert_cmpuint (g_list_length (members), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "refinery-upload-metadata");
  g_assert_cmpint (json_object_get_int_member (root, "format_version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "machine_id"), ==, "m1");
  list = json_object_get_array_member (root, "uploads");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  entry = json_array_get_object_element (list, 0);
  g_assert_cmpuint (json_object_get_size (entry), ==, 19);
  g_assert_cmpstr (json_object_get_string_member (entry, "original_name"), ==, "line 1.csv");
  g_assert_cmpstr (json_object_get_string_member (entry, "stored_name"), ==, "line 1.csv");
  g_assert_cmpstr (json_object_get_string_member (entry, "sha256"), ==, sha);
  g_assert_cmpint (json_object_get_int_member (entry, "bytes"), ==, (gint64) strlen (SMALL_CSV));
  g_assert_cmpstr (json_object_get_string_member (entry, "format"), ==, "csv");
  g_assert_cmpstr (json_object_get_string_member (entry, "encoding"), ==, "UTF-8");
  g_assert_false (json_object_get_boolean_member (entry, "bom"));
  g_assert_cmpstr (json_object_get_string_member (entry, "delimiter"), ==, ",");
  g_assert_cmpstr (json_object_get_string_member (entry, "decimal_mark"), ==, ".");
  g_assert_cmpstr (json_object_get_string_member (entry, "line_ending"), ==, "LF");
  g_assert_true (json_object_get_boolean_member (entry, "header"));
  assert_null_member (entry, "layout");
  g_assert_cmpint (json_object_get_int_member (entry, "rows"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (entry, "column_count"), ==, 3);
  list = json_object_get_array_member (entry, "columns");
  g_assert_cmpuint (json_array_get_length (list), ==, 3);
  assert_column (list, 0, "time", "timestamp");
  assert_column (list, 1, "temp", "double");
  assert_column (list, 2, "count", "int64");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry, "warnings")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "uploaded_at"), ==, upload->uploaded_at);
  g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                                       upload->uploaded_at, 0, 0));
  g_assert_cmpstr (json_object_get_string_member (entry, "user"), ==, g_get_user_name ());
  g_assert_cmpstr (json_object_get_string_member (entry, "source_path"), ==, source);

  uploads = rf_ingest_list_uploads (f->project, "m1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uploads->len, ==, 1);
  upload = g_ptr_array_index (uploads, 0);
  g_assert_cmpstr (upload->stored_name, ==, "line 1.csv");
  g_assert_cmpstr (upload->sha256, ==, sha);
  g_assert_cmpuint (upload->rows, ==, 3);
  g_assert_cmpuint (upload->n_columns, ==, 3);
}

static void
test_same_file_twice (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *source = rf_test_write_file (f->incoming, "data.csv", SMALL_CSV, -1);
  g_autofree char *renamed = rf_test_write_file (f->incoming, "copy of data.csv", SMALL_CSV, -1);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(RfIngestResult) first = NULL;
  g_autoptr(RfIngestResult) second = NULL;
  g_autoptr(RfIngestResult) third = NULL;
  g_autoptr(GError) error = NULL;

  first = rf_ingest_file (f->project, "m1", source, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (first->already_ingested);
  before = file_contents (f->metadata, NULL);

  second = rf_ingest_file (f->project, "m1", source, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (second->already_ingested);
  g_assert_cmpstr (second->upload->stored_name, ==, "data.csv");
  g_assert_cmpstr (second->upload->sha256, ==, first->upload->sha256);
  g_assert_cmpstr (second->upload->uploaded_at, ==, first->upload->uploaded_at);

  /* the same bytes under another name are the same upload */
  third = rf_ingest_file (f->project, "m1", renamed, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (third->already_ingested);
  g_assert_cmpstr (third->upload->stored_name, ==, "data.csv");

  after = file_contents (f->metadata, NULL);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (rf_test_count_files (f->raw_dir), ==, 2);
}

static void
test_name_clash (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *dir_b = g_build_filename (f->incoming, "b", NULL);
  g_autofree char *dir_c = g_build_filename (f->incoming, "c", NULL);
  g_autofree char *a = rf_test_write_file (f->incoming, "data.csv", "x,y\n1,2\n", -1);
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *stored_a = g_build_filename (f->raw_dir, "data.csv", NULL);
  g_autofree char *stored_b = g_build_filename (f->raw_dir, "data_2.csv", NULL);
  g_autofree char *stored_c = g_build_filename (f->raw_dir, "data_3.csv", NULL);
  g_autofree char *stored_meta = g_build_filename (f->raw_dir, "upload_metadata_2.json", NULL);
  g_autoptr(GPtrArray) uploads = NULL;
  g_autoptr(GError) error = NULL;
  RfIngestResult *result;

  g_assert_cmpint (g_mkdir (dir_b, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (dir_c, 0755), ==, 0);
  b = rf_test_write_file (dir_b, "data.csv", "x,y\n3,4\n", -1);
  c = rf_test_write_file (dir_c, "data.csv", "x,y\n5,6\n", -1);

  result = rf_ingest_file (f->project, "m1", a, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->upload->stored_name, ==, "data.csv");
  rf_ingest_result_free (result);
  result = rf_ingest_file (f->project, "m1", b, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (result->already_ingested);
  g_assert_cmpstr (result->upload->original_name, ==, "data.csv");
  g_assert_cmpstr (result->upload->stored_name, ==, "data_2.csv");
  rf_ingest_result_free (result);
  result = rf_ingest_file (f->project, "m1", c, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->upload->stored_name, ==, "data_3.csv");
  rf_ingest_result_free (result);

  /* nothing was overwritten */
  assert_same_bytes (a, stored_a);
  assert_same_bytes (b, stored_b);
  assert_same_bytes (c, stored_c);

  /* a data file called like the metadata file never replaces it */
  meta = rf_test_write_file (f->incoming, "upload_metadata.json", "[{\"v\": 1}]", -1);
  result = rf_ingest_file (f->project, "m1", meta, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->upload->stored_name, ==, "upload_metadata_2.json");
  g_assert_cmpstr (result->upload->format, ==, "json");
  rf_ingest_result_free (result);
  assert_same_bytes (meta, stored_meta);

  uploads = rf_ingest_list_uploads (f->project, "m1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uploads->len, ==, 4);
  g_assert_cmpstr (((RfUpload *) g_ptr_array_index (uploads, 3))->stored_name, ==,
                   "upload_metadata_2.json");
  g_assert_cmpuint (rf_test_count_files (f->raw_dir), ==, 5);
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  static const char text[] = "[{\"t\": 1.5, \"n\": \"a\"}, {\"t\": 2.5, \"n\": \"b\"}]\n";
  g_autofree char *source = rf_test_write_file (f->incoming, "records.json", text, -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RfIngestResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *entry;
  JsonArray *columns;

  result = rf_ingest_file (f->project, "m1", source, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->upload->format, ==, "json");
  g_assert_cmpuint (result->upload->rows, ==, 2);

  entry = json_array_get_object_element (
    json_object_get_array_member (read_metadata (f, parser), "uploads"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "format"), ==, "json");
  g_assert_cmpstr (json_object_get_string_member (entry, "layout"), ==, "records");
  g_assert_cmpstr (json_object_get_string_member (entry, "encoding"), ==, "UTF-8");
  assert_null_member (entry, "delimiter");
  assert_null_member (entry, "line_ending");
  g_assert_cmpint (json_object_get_int_member (entry, "rows"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (entry, "column_count"), ==, 2);
  columns = json_object_get_array_member (entry, "columns");
  assert_column (columns, 0, "t", "double");
  assert_column (columns, 1, "n", "string");
}

typedef struct
{
  const char *name;
  const char *contents;
  gssize length;
} BadFile;

static const BadFile bad_files[] = {
  { "unterminated.csv", "a,b\n1,\"open quote\n2,3\n", -1 },
  { "garbage.csv", "\x00\x01\x02\xff\xfe\x00\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", 24 },
  { "lies.parquet", "a,b\n1,2\n3,4\n", -1 },
  { "lies.csv", "PAR1\x15\x04\x15\x10\x15\x14L\x15\x02\x15\x00\x12\x00\x00\x08\x1c", 20 },
  { "empty.csv", "", 0 },
  { "broken.json", "[{\"a\": 1}, {\"a\": ", -1 },
};

static void
test_bad_files_write_nothing (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *project_json = g_build_filename (f->project_dir, "project.json", NULL);
  g_autofree char *before = file_contents (project_json, NULL);
  guint files = rf_test_count_files (f->project_dir);
  g_autofree char *missing = g_build_filename (f->incoming, "missing.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (files, ==, 2);   /* project.json and the profile */
  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *source = rf_test_write_file (f->incoming, bad_files[i].name,
                                                    bad_files[i].contents, bad_files[i].length);
      g_autofree char *after = NULL;
      RfIngestResult *result;

      g_test_message ("bad file %s", bad_files[i].name);
      result = rf_ingest_file (f->project, "m1", source, NULL, NULL, NULL, &error);
      g_assert_null (result);
      g_assert_nonnull (error);
      g_assert_true (error->domain == RF_ERROR);
      g_test_message ("  → %s", error->message);
      g_clear_error (&error);

      /* not a single file, not even raw/m1/ */
      g_assert_cmpuint (rf_test_count_files (f->project_dir), ==, files);
      g_assert_false (g_file_test (f->raw_dir, G_FILE_TEST_EXISTS));
      after = file_contents (project_json, NULL);
      g_assert_cmpstr (after, ==, before);
    }

  g_assert_null (rf_ingest_file (f->project, "m1", missing, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_assert_cmpuint (rf_test_count_files (f->project_dir), ==, files);
}

static void
test_unknown_machine (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *source = rf_test_write_file (f->incoming, "data.csv", SMALL_CSV, -1);
  g_autofree char *profile = rf_test_source_path ("tests/fixtures/profiles/full.json");
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (rf_project_add_machine (f->project, profile, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (rf_ingest_file (f->project, "m3", source, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "The project “test” has no machine “m3” (known machines: m1, pump_07-b); "
                   "add it with “refinery-cli machine add” or pick a known id");
  g_clear_error (&error);
  g_assert_null (rf_ingest_list_uploads (f->project, "m3", &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_assert_cmpuint (rf_test_count_files (f->project_dir), ==, 3);
}

static void
test_damaged_metadata (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *source = rf_test_write_file (f->incoming, "data.csv", SMALL_CSV, -1);
  g_autoptr(GError) error = NULL;
  static const char *damaged[] = {
    "{\"format\": \"refinery-upload-metadata\", \"format_version\": 1, \"uploads\": [",
    "{\"format\": \"something\", \"format_version\": 1, \"uploads\": []}",
    "{\"format\": \"refinery-upload-metadata\", \"format_version\": 1, \"uploads\": {}}",
    "{\"format\": \"refinery-upload-metadata\", \"format_version\": 1, "
    "\"uploads\": [{\"sha256\": \"00\", \"stored_name\": \"../../project.json\"}]}",
    "{\"format\": \"refinery-upload-metadata\", \"uploads\": []}",
  };

  g_assert_cmpint (g_mkdir_with_parents (f->raw_dir, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      g_autofree char *path = rf_test_write_file (f->raw_dir, "upload_metadata.json", damaged[i], -1);
      g_autofree char *after = NULL;

      g_assert_null (rf_ingest_file (f->project, "m1", source, NULL, NULL, NULL, &error));
      g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, f->metadata));
      g_assert_nonnull (strstr (error->message, " is damaged ("));
      g_clear_error (&error);
      g_assert_cmpuint (rf_test_count_files (f->raw_dir), ==, 1);
      after = file_contents (path, NULL);
      g_assert_cmpstr (after, ==, damaged[i]);
    }

  g_free (rf_test_write_file (f->raw_dir, "upload_metadata.json",
                              "{\"format\": \"refinery-upload-metadata\", \"format_version\": 3, "
                              "\"uploads\": []}", -1));
  g_assert_null (rf_ingest_file (f->project, "m1", source, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "format_version 3, written by a newer Refinery"));
}

static void
test_unknown_entries_kept (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *source = rf_test_write_file (f->incoming, "data.csv", "x\n1\n", -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(RfIngestResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *uploads;

  g_assert_cmpint (g_mkdir_with_parents (f->raw_dir, 0755), ==, 0);
  g_free (rf_test_write_file (f->raw_dir, "upload_metadata.json",
                              "{\"format\": \"refinery-upload-metadata\", \"format_version\": 1,"
                              " \"machine_id\": \"m1\", \"note\": \"kept\","
                              " \"uploads\": [{\"original_name\": \"old.csv\","
                              " \"stored_name\": \"old.csv\", \"sha256\": \"abc\","
                              " \"reviewed_by\": \"ana\"}]}", -1));
  result = rf_ingest_file (f->project, "m1", source, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (result->already_ingested);

  root = read_metadata (f, parser);
  g_assert_cmpstr (json_object_get_string_member (root, "note"), ==, "kept");
  uploads = json_object_get_array_member (root, "uploads");
  g_assert_cmpuint (json_array_get_length (uploads), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (uploads, 0),
                                                  "reviewed_by"), ==, "ana");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (uploads, 1),
                                                  "stored_name"), ==, "data.csv");
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *source = rf_test_write_file (f->incoming, "data.csv", SMALL_CSV, -1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (rf_ingest_file (f->project, "m1", source, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (rf_test_count_files (f->project_dir), ==, 2);
  g_assert_false (g_file_test (f->raw_dir, G_FILE_TEST_EXISTS));
}

/* Appends to the file being ingested the first time progress is reported:
 * a file still being written by an export. */
typedef struct
{
  const char *path;
  gboolean grown;
} Growing;

static void
grow_file (double      fraction,
           const char *message,
           gpointer    user_data)
{
  Growing *growing = user_data;
  FILE *file;

  if (growing->grown)
    return;
  growing->grown = TRUE;
  file = fopen (growing->path, "a");
  g_assert_nonnull (file);
  fputs ("{\"a\": 6}\n", file);
  fclose (file);
}

static void
test_changed_while_ingesting (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *source = rf_test_write_file (f->incoming, "growing.jsonl", "{\"a\": 5}\n", -1);
  g_autoptr(GError) error = NULL;
  Growing growing = { source, FALSE };
  RfProgress progress = rf_progress_init (grow_file, &growing);
  g_autofree char *expected = g_strdup_printf ("“%s” changed while it was being ingested", source);

  g_assert_null (rf_ingest_file (f->project, "m1", source, NULL, &progress, NULL, &error));
  g_assert_true (growing.grown);
  g_assert_error (error, RF_ERROR, RF_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_assert_cmpuint (rf_test_count_files (f->project_dir), ==, 2);
  g_assert_false (g_file_test (f->raw_dir, G_FILE_TEST_EXISTS));
}

static void
test_sample_excerpt (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *source = rf_test_source_path ("data/sample/incoming/cmapss_fd001_excerpt.csv");
  g_autofree char *stored = g_build_filename (f->raw_dir, "cmapss_fd001_excerpt.csv", NULL);
  g_autoptr(RfIngestResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RfTable *table;

  result = rf_ingest_file (f->project, "m1", source, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->upload->sha256, ==,
                   "6a87b0bbc91cac7f8587f3e9e475b2401b4610a7f09f371dfa370a5978ba7634");
  g_assert_cmpuint (result->upload->bytes, ==, 365501);
  g_assert_cmpuint (result->upload->rows, ==, 2136);
  g_assert_cmpuint (result->upload->n_columns, ==, 27);
  table = result->table;
  g_assert_cmpint (rf_table_find_column (table, "unit")->type, ==, RF_COLUMN_INT64);
  g_assert_cmpint (rf_table_find_column (table, "cycle")->type, ==, RF_COLUMN_INT64);
  g_assert_cmpint (rf_table_find_column (table, "s_2")->type, ==, RF_COLUMN_DOUBLE);
  g_assert_cmpint (rf_table_find_column (table, "RUL")->type, ==, RF_COLUMN_INT64);
  g_assert_cmpint (rf_column_get_int64 (rf_table_find_column (table, "unit"), 2135), ==, 10);
  g_assert_cmpint (rf_column_get_int64 (rf_table_find_column (table, "cycle"), 2135), ==, 222);
  g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (table, "s_2"), 0), ==, 641.82);
  assert_same_bytes (source, stored);
}

static void
test_latest (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *a = rf_test_write_file (f->incoming, "a.csv", "x,y\n1,2\n", -1);
  g_autofree char *b = rf_test_write_file (f->incoming, "b.csv", "x;z\n3;4,5\n7;8\n", -1);
  g_autoptr(RfUpload) upload = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GError) error = NULL;

  /* nothing ingested yet: says what to do */
  g_assert_null (rf_ingest_get_latest (f->project, "m1", &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "ingest"));
  g_clear_error (&error);
  g_assert_null (rf_ingest_read_latest (f->project, "m3", NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_clear_error (&error);

  rf_ingest_result_free (rf_ingest_file (f->project, "m1", a, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  rf_ingest_result_free (rf_ingest_file (f->project, "m1", b, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* the newest upload, read with its delimiter and decimal comma detected again */
  table = rf_ingest_read_latest (f->project, "m1", &upload, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (upload->stored_name, ==, "b.csv");
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 2);
  g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (table, "z"), 0), ==, 4.5);
  g_assert_cmpint (rf_column_get_int64 (rf_table_find_column (table, "x"), 1), ==, 7);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rf/ingest/csv", test_csv);
  ADD ("/rf/ingest/same-file-twice", test_same_file_twice);
  ADD ("/rf/ingest/name-clash", test_name_clash);
  ADD ("/rf/ingest/json", test_json);
  ADD ("/rf/ingest/bad-files-write-nothing", test_bad_files_write_nothing);
  ADD ("/rf/ingest/unknown-machine", test_unknown_machine);
  ADD ("/rf/ingest/damaged-metadata", test_damaged_metadata);
  ADD ("/rf/ingest/unknown-entries-kept", test_unknown_entries_kept);
  ADD ("/rf/ingest/cancelled", test_cancelled);
  ADD ("/rf/ingest/changed-while-ingesting", test_changed_while_ingesting);
  ADD ("/rf/ingest/sample-excerpt", test_sample_excerpt);
  ADD ("/rf/ingest/latest", test_latest);
#undef ADD
  return g_test_run ();
}

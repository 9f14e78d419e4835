#define G_LOG_DOMAIN "rf-prepare"

#include "config.h"

#include <string.h>

#include "rf-atomic-file.h"
#include "rf-cleaning-plan.h"
#include "rf-error.h"
#include "rf-ingest.h"
#include "rf-json-build.h"
#include "rf-mapping.h"
#include "rf-prepare.h"
#include "rf-writer.h"

#define MAX_TRANSFORM_BYTES (16 * 1024 * 1024)

void
rf_prepare_result_free (RfPrepareResult *result)
{
  if (result == NULL)
    return;
  g_free (result->source);
  g_free (result->output_path);
  rf_clean_summary_free (result->cleaning);
  rf_transform_record_free (result->transform);
  g_free (result);
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
                   "The project “%s” has no machine “%s” (known machines: %s).",
                   rf_project_get_name (project), machine_id, known);
    }
  return machine;
}

static char *
processed_file (RfProject   *project,
                const char  *machine_id,
                const char  *name,
                gboolean     create,
                GError     **error)
{
  g_autofree char *dir = rf_project_get_machine_dir (project, "processed", machine_id, create, error);

  return dir != NULL ? g_build_filename (dir, name, NULL) : NULL;
}

/* The transform.json root object, or NULL (no error) when there is none. */
static JsonNode *
load_transform_file (const char  *path,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *display = g_filename_display_basename (path);
  gsize length;
  JsonNode *root;
  JsonObject *o;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot read %s: %s", display, local_error->message);
      return NULL;
    }
  if (length > MAX_TRANSFORM_BYTES || !json_parser_load_from_data (parser, contents, (gssize) length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (json_object_get_string_member_with_default (o = json_node_get_object (root), "format", ""),
                 RF_TRANSFORM_FORMAT) != 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "%s is not a Refinery transform file. Delete it, or set the options again "
                   "(refinery-cli transform).", display);
      return NULL;
    }
  if (json_object_get_int_member_with_default (o, "format_version", 0) > RF_TRANSFORM_FORMAT_VERSION)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "%s was written by a newer Refinery (format version %" G_GINT64_FORMAT "). Update Refinery.",
                   display, json_object_get_int_member_with_default (o, "format_version", 0));
      return NULL;
    }
  return json_node_copy (root);
}

gboolean
rf_prepare_load_options (RfProject          *project,
                         const char         *machine_id,
                         RfTransformOptions *options,
                         GError            **error)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (machine_id != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  rf_transform_options_init (options);
  if (find_machine (project, machine_id, error) == NULL)
    return FALSE;
  path = processed_file (project, machine_id, RF_TRANSFORM_FILE, FALSE, error);
  if (path == NULL)
    return FALSE;
  root = load_transform_file (path, &local_error);
  if (root == NULL)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return rf_transform_options_from_json (json_object_get_member (json_node_get_object (root), "options"),
                                         options, RF_TRANSFORM_FILE, error);
}

static gboolean
write_transform_file (const char               *path,
                      const RfTransformOptions *options,
                      const char               *source,
                      const RfCleanSummary     *cleaning,
                      const RfTransformRecord  *record,
                      GError                  **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  rf_json_add_string (builder, "format", RF_TRANSFORM_FORMAT);
  rf_json_add_int (builder, "format_version", RF_TRANSFORM_FORMAT_VERSION);
  json_builder_set_member_name (builder, "options");
  json_builder_add_value (builder, rf_transform_options_to_json (options));
  rf_json_add_string (builder, "source", source);
  json_builder_set_member_name (builder, "cleaning");
  if (cleaning != NULL)
    json_builder_add_value (builder, rf_clean_summary_to_json (cleaning));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "record");
  if (record != NULL)
    json_builder_add_value (builder, rf_transform_record_to_json (record));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return rf_atomic_write_json (path, root, error);
}

gboolean
rf_prepare_save_options (RfProject                *project,
                         const char               *machine_id,
                         const RfTransformOptions *options,
                         GError                  **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (machine_id != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  if (find_machine (project, machine_id, error) == NULL)
    return FALSE;
  path = processed_file (project, machine_id, RF_TRANSFORM_FILE, TRUE, error);
  return path != NULL && write_transform_file (path, options, NULL, NULL, NULL, error);
}

RfPrepareResult *
rf_prepare_machine (RfProject     *project,
                    const char    *machine_id,
                    RfProgress    *progress,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(RfPrepareResult) result = g_new0 (RfPrepareResult, 1);
  g_autoptr(RfProfile) profile = NULL;
  g_autoptr(RfTable) raw = NULL;
  g_autoptr(RfTable) cleaned = NULL;
  g_autoptr(RfTable) transformed = NULL;
  g_autoptr(RfCleaningPlan) plan = NULL;
  g_autoptr(RfMapping) mapping = NULL;
  g_autoptr(RfUpload) upload = NULL;
  g_autofree char *plan_path = NULL;
  g_autofree char *mapping_path = NULL;
  g_autofree char *transform_path = NULL;
  RfTransformOptions options;
  RfProgress read_progress, write_progress;
  const RfMachine *machine;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (machine_id != NULL, NULL);

  machine = find_machine (project, machine_id, error);
  if (machine == NULL)
    return NULL;
  profile = rf_profile_load_file (machine->profile_path, error);
  if (profile == NULL || !rf_prepare_load_options (project, machine_id, &options, error))
    return NULL;
  plan_path = processed_file (project, machine_id, RF_CLEANING_PLAN_FILE, FALSE, error);
  mapping_path = processed_file (project, machine_id, RF_MAPPING_FILE, FALSE, error);
  transform_path = processed_file (project, machine_id, RF_TRANSFORM_FILE, FALSE, error);
  if (plan_path == NULL || mapping_path == NULL || transform_path == NULL)
    return NULL;
  if (g_file_test (plan_path, G_FILE_TEST_EXISTS) && (plan = rf_cleaning_plan_load_file (plan_path, error)) == NULL)
    return NULL;
  if (g_file_test (mapping_path, G_FILE_TEST_EXISTS) && (mapping = rf_mapping_load_file (mapping_path, error)) == NULL)
    return NULL;

  rf_progress_report (progress, 0.0, "Reading the data");
  read_progress = rf_progress_range (progress, 0.0, 0.5);
  raw = rf_ingest_read_latest (project, machine_id, &upload, &read_progress, cancellable, error);
  if (raw == NULL)
    return NULL;
  result->source = g_strdup (upload->stored_name);
  result->rows_in = rf_table_get_n_rows (raw);

  rf_progress_report (progress, 0.5, "Cleaning");
  if (plan != NULL)
    {
      cleaned = rf_clean_apply (raw, plan, &result->cleaning, cancellable, error);
      if (cleaned == NULL)
        return NULL;
      result->used_plan = TRUE;
    }
  else
    cleaned = rf_table_ref (raw);

  rf_progress_report (progress, 0.6, "Transforming");
  transformed = rf_transform_apply (cleaned, profile, mapping, &options, &result->transform, cancellable, error);
  if (transformed == NULL)
    return NULL;
  result->used_mapping = mapping != NULL;
  result->rows_out = rf_table_get_n_rows (transformed);
  result->columns_out = rf_table_get_n_columns (transformed);

  rf_progress_report (progress, 0.7, "Writing cleaned_data.parquet");
  g_free (transform_path);
  transform_path = processed_file (project, machine_id, RF_TRANSFORM_FILE, TRUE, error);
  result->output_path = processed_file (project, machine_id, RF_CLEANED_DATA_FILE, TRUE, error);
  if (transform_path == NULL || result->output_path == NULL)
    return NULL;
  write_progress = rf_progress_range (progress, 0.7, 1.0);
  if (!rf_write_file (transformed, result->output_path, RF_OUTPUT_PARQUET, NULL, &write_progress, cancellable,
                      error))
    return NULL;
  if (!write_transform_file (transform_path, &options, result->source, result->cleaning, result->transform, error))
    return NULL;
  rf_progress_report (progress, 1.0, NULL);
  return g_steal_pointer (&result);
}

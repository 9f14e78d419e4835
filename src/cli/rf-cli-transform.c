#define G_LOG_DOMAIN "rf-cli-transform"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rf-cli-private.h"
#include "rf-cli-progress.h"
#include "rf-json-build.h"
#include "rf-prepare.h"

typedef struct
{
  RfProject *project;
  const char *machine_id;
  RfProgress *progress;
} TransformJob;

static gpointer
transform_job (gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  TransformJob *job = data;

  return rf_prepare_machine (job->project, job->machine_id, job->progress, cancellable, error);
}

static void
print_record (JsonNode *record)
{
  JsonObject *o = json_node_get_object (record);
  JsonArray *renamed = json_object_get_array_member (o, "renamed");
  JsonArray *converted = json_object_get_array_member (o, "converted");
  JsonArray *missing = json_object_get_array_member (o, "missing_sensors");
  JsonArray *aux = json_object_get_array_member (o, "auxiliary");
  JsonArray *dropped = json_object_get_array_member (o, "dropped");
  JsonArray *warnings = json_object_get_array_member (o, "warnings");
  JsonObject *rul = json_object_get_object_member (o, "rul");

  for (guint i = 0; i < json_array_get_length (renamed); i++)
    {
      JsonObject *r = json_array_get_object_element (renamed, i);
      g_print ("  %s → %s\n", json_object_get_string_member (r, "from"), json_object_get_string_member (r, "to"));
    }
  for (guint i = 0; i < json_array_get_length (converted); i++)
    {
      JsonObject *c = json_array_get_object_element (converted, i);
      g_print ("  %s: %s → %s\n", json_object_get_string_member (c, "column"),
               json_object_get_string_member (c, "unit_from"), json_object_get_string_member (c, "unit_to"));
    }
  if (!json_object_get_null_member (rul, "column"))
    g_print ("RUL “%s”: %s%s%s\n", json_object_get_string_member (rul, "column"),
             json_object_get_string_member (rul, "mode"),
             json_object_get_null_member (rul, "from") ? "" : " from the ",
             json_object_get_null_member (rul, "from") ? "" : json_object_get_string_member (rul, "from"));
#define LIST(array, label) \
  if (json_array_get_length (array) > 0) \
    { \
      g_print ("%s:", label); \
      for (guint i = 0; i < json_array_get_length (array); i++) \
        g_print ("%s %s", i > 0 ? "," : "", json_array_get_string_element (array, i)); \
      g_print ("\n"); \
    }
  LIST (missing, "Sensors without a column");
  LIST (aux, "Kept as auxiliary");
  LIST (dropped, "Dropped");
#undef LIST
  for (guint i = 0; i < json_array_get_length (warnings); i++)
    g_print ("Warning: %s\n", json_array_get_string_element (warnings, i));
}

int
rf_cli_transform (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(RfCliProgress) bar = NULL;
  g_autoptr(RfPrepareResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) record = NULL;
  g_autofree char *machine_id = NULL;
  g_autofree char *rul = NULL;
  g_autofree char *normalise = NULL;
  gboolean drop_unmapped = FALSE, keep_unmapped = FALSE, no_units = FALSE, units = FALSE;
  gboolean no_sort = FALSE, sort = FALSE, json = FALSE;
  RfTransformOptions options;
  TransformJob job = { 0 };
  GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_STRING, &machine_id, "The machine to transform (required)", "ID" },
    { "drop-unmapped", 0, 0, G_OPTION_ARG_NONE, &drop_unmapped, "Drop the columns no sensor maps to", NULL },
    { "keep-unmapped", 0, 0, G_OPTION_ARG_NONE, &keep_unmapped, "Keep them as auxiliary columns (default)", NULL },
    { "no-unit-conversion", 0, 0, G_OPTION_ARG_NONE, &no_units, "Leave values in their units", NULL },
    { "unit-conversion", 0, 0, G_OPTION_ARG_NONE, &units, "Convert to the profile's units (default)", NULL },
    { "no-sort", 0, 0, G_OPTION_ARG_NONE, &no_sort, "Keep the row order", NULL },
    { "sort", 0, 0, G_OPTION_ARG_NONE, &sort, "Sort by unit and time (default)", NULL },
    { "rul", 0, 0, G_OPTION_ARG_STRING, &rul,
      "keep the RUL column, fill it where missing (default), or recalculate it", "keep|fill|recalculate" },
    { "normalise", 0, 0, G_OPTION_ARG_STRING, &normalise, "Normalise the sensors (default none)",
      "none|minmax|zscore" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary (docs/cli-json.md)", NULL },
    { NULL }
  };

  context = g_option_context_new ("PROJECT");
  g_option_context_set_summary (context,
                                "Puts a machine's data in its profile's terms: mapped columns renamed to\n"
                                "their sensors, units converted, rows sorted by unit and time, RUL\n"
                                "recalculated, optional normalisation. Runs the whole of step 4 (the\n"
                                "cleaning plan, the mapping, these options) and writes\n"
                                "processed/ID/cleaned_data.parquet; the options are remembered in\n"
                                "processed/ID/transform.json for the next run.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!_rf_cli_parse_options (context, "transform", &argc, &argv))
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error ("transform", argc < 2 ? "give the project folder" : "give one project folder");
  if (machine_id == NULL)
    return _rf_cli_usage_error ("transform", "--machine ID is required");
  if ((drop_unmapped && keep_unmapped) || (no_units && units) || (no_sort && sort))
    return _rf_cli_usage_error ("transform", "contradictory options: choose one of each pair");
  if (!_rf_cli_open_machine (argv[1], machine_id, &project, NULL, &error))
    return _rf_cli_fail (error);
  if (!rf_prepare_load_options (project, machine_id, &options, &error))
    return _rf_cli_fail (error);
  if (rul != NULL && !rf_rul_mode_from_string (rul, &options.rul))
    return _rf_cli_usage_error ("transform", "--rul must be keep, fill or recalculate");
  if (normalise != NULL && !rf_normalisation_from_string (normalise, &options.normalise))
    return _rf_cli_usage_error ("transform", "--normalise must be none, minmax or zscore");
  if (drop_unmapped || keep_unmapped)
    options.keep_unmapped = keep_unmapped;
  if (no_units || units)
    options.convert_units = units;
  if (no_sort || sort)
    options.sort_by_time = sort;
  if (!rf_prepare_save_options (project, machine_id, &options, &error))
    return _rf_cli_fail (error);

  bar = rf_cli_progress_new ("Transforming");
  job.project = project;
  job.machine_id = machine_id;
  job.progress = rf_cli_progress_get (bar);
  result = _rf_cli_run_job (transform_job, &job, &error);
  rf_cli_progress_finish (bar);
  if (result == NULL)
    return _rf_cli_fail (error);

  record = rf_transform_record_to_json (result->transform);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      rf_json_add_string (builder, "schema", "refinery-cli/transform");
      rf_json_add_int (builder, "schema_version", 1);
      rf_json_add_string (builder, "source", result->source);
      rf_json_add_string (builder, "output", result->output_path);
      rf_json_add_int (builder, "rows_in", (gint64) result->rows_in);
      rf_json_add_int (builder, "rows_out", (gint64) result->rows_out);
      rf_json_add_int (builder, "columns", result->columns_out);
      rf_json_add_bool (builder, "used_cleaning_plan", result->used_plan);
      rf_json_add_bool (builder, "used_mapping", result->used_mapping);
      json_builder_set_member_name (builder, "options");
      json_builder_add_value (builder, rf_transform_options_to_json (&options));
      json_builder_set_member_name (builder, "cleaning");
      if (result->cleaning != NULL)
        json_builder_add_value (builder, rf_clean_summary_to_json (result->cleaning));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "transform");
      json_builder_add_value (builder, json_node_copy (record));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      _rf_cli_print_json (root);
      return RF_CLI_EXIT_OK;
    }

  g_print ("%s: %" G_GSIZE_FORMAT " rows in, %" G_GSIZE_FORMAT " rows × %u columns out%s%s\n", result->source,
           result->rows_in, result->rows_out, result->columns_out,
           result->used_plan ? "" : " (no cleaning plan: run clean to record one)",
           result->used_mapping ? "" : " (no mapping.json: columns named like sensors were used; run map)");
  print_record (record);
  g_print ("Wrote %s\n", result->output_path);
  return RF_CLI_EXIT_OK;
}

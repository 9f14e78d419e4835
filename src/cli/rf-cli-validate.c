#define G_LOG_DOMAIN "rf-cli-validate"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rf-atomic-file.h"
#include "rf-cli-private.h"
#include "rf-cli-progress.h"
#include "rf-ingest.h"
#include "rf-json-build.h"
#include "rf-validate.h"

typedef struct
{
  const char *path;               /* a file, or NULL: the project's newest upload */
  const RfReadOptions *read_options;
  RfProject *project;
  const char *machine_id;
  RfValidationOptions *options;
  RfProgress *progress;
  char *source;                   /* out */
} ValidateJob;

static gpointer
validate_job (gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  ValidateJob *job = data;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(RfUpload) upload = NULL;
  RfProgress read = rf_progress_range (job->progress, 0.0, 0.8);

  if (job->path != NULL)
    {
      table = rf_read_file (job->path, job->read_options, NULL, &read, cancellable, error);
      job->source = g_path_get_basename (job->path);
    }
  else
    {
      table = rf_ingest_read_latest (job->project, job->machine_id, &upload, &read, cancellable, error);
      if (table != NULL)
        job->source = g_strdup (upload->stored_name);
    }
  if (table == NULL)
    return NULL;
  job->options->file_name = job->source;
  rf_progress_report (job->progress, 0.8, "Validating");
  return rf_validate_table (table, job->options, cancellable, error);
}

static void
print_human (const RfValidationReport *report,
             const char               *report_file)
{
  int width = 6;

  g_print ("%s: %" G_GSIZE_FORMAT " rows × %u columns — %s\n", report->file_name, report->total_rows,
           report->total_columns, report->validation_passed ? "validation passed" : "validation FAILED");
  for (guint i = 0; i < report->errors->len; i++)
    g_print ("Error: %s\n", (char *) g_ptr_array_index (report->errors, i));
  for (guint i = 0; i < report->warnings->len; i++)
    g_print ("Warning: %s\n", (char *) g_ptr_array_index (report->warnings, i));
  for (guint i = 0; i < report->columns->len; i++)
    width = MAX (width, (int) g_utf8_strlen (((RfColumnValidation *) g_ptr_array_index (report->columns, i))->name, -1));
  g_print ("\n%-*s  %-9s  %8s  %12s  %12s  %12s  %8s  %s\n", width, "column", "type", "missing", "min", "max",
           "mean", "outliers", "suggested cleaning");
  for (guint i = 0; i < report->columns->len; i++)
    {
      const RfColumnValidation *c = g_ptr_array_index (report->columns, i);
      int pad = width - (int) g_utf8_strlen (c->name, -1);

      g_print ("%s%*s  %-9s  %7.1f%%  %12.6g  %12.6g  %12.6g  %8" G_GSIZE_FORMAT "  missing %s, outliers %s\n",
               c->name, pad, "", rf_column_type_to_string (c->type), c->stats.missing_pct, c->stats.min,
               c->stats.max, c->stats.mean, c->outliers, c->suggest_missing, c->suggest_outliers);
    }
  if (report_file != NULL)
    g_print ("\nSaved %s\n", report_file);
}

int
rf_cli_validate (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfReadOptions) read_options = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(RfProfile) profile = NULL;
  g_autoptr(RfValidationReport) report = NULL;
  g_autoptr(RfCliProgress) bar = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *machine_id = NULL;
  g_autofree char *profile_path = NULL;
  g_autofree char *outliers = NULL;
  g_autofree char *timestamp = NULL;
  g_autofree char *report_file = NULL;
  gboolean json = FALSE;
  double missing_threshold = 30, iqr_k = 1.5, z = 3;
  gint64 min_rows = 100;
  RfCliReadArgs read_args = { 0 };
  RfValidationOptions options;
  ValidateJob job = { 0 };
  GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_STRING, &machine_id,
      "With a project: the machine whose newest upload to check (required)", "ID" },
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile_path,
      "With a data file: a machine profile to check against (sensor count, sampling interval)", "PROFILE" },
    { "missing-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &missing_threshold,
      "Missing values above this percentage are an error (default 30)", "P" },
    { "outliers", 0, 0, G_OPTION_ARG_STRING, &outliers, "Outlier test: iqr (default) or zscore", "METHOD" },
    { "iqr-k", 0, 0, G_OPTION_ARG_DOUBLE, &iqr_k, "IQR multiplier (default 1.5)", "K" },
    { "z", 0, 0, G_OPTION_ARG_DOUBLE, &z, "z-score threshold (default 3)", "T" },
    { "min-rows", 0, 0, G_OPTION_ARG_INT64, &min_rows, "Fewer rows are rejected (default 100)", "N" },
    { "timestamp", 0, 0, G_OPTION_ARG_STRING, &timestamp,
      "The timestamp column (default: the first timestamp-typed column)", "COLUMN" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the report as JSON (docs/cli-json.md)", NULL },
    { NULL }
  };

  context = g_option_context_new ("FILE|PROJECT");
  g_option_context_set_summary (context,
                                "Checks data before it is used: missing values, duplicate rows,\n"
                                "outliers, types, timestamps, the row and column counts, and\n"
                                "suggests a cleaning per column.\n"
                                "\n"
                                "  validate FILE [--profile PROFILE]   check a data file\n"
                                "  validate PROJECT --machine ID       check the machine's newest upload and\n"
                                "                                      save processed/ID/validation_report.json\n"
                                "\n"
                                "Exit status 1 when the data fails validation (the report is still\n"
                                "printed and saved).");
  g_option_context_add_main_entries (context, entries, NULL);
  _rf_cli_read_args_add (context, &read_args);
  if (!_rf_cli_parse_options (context, "validate", &argc, &argv))
    {
      _rf_cli_read_args_clear (&read_args);
      return RF_CLI_EXIT_USAGE;
    }
  read_options = _rf_cli_read_args_to_options (&read_args, "validate");
  _rf_cli_read_args_clear (&read_args);
  if (read_options == NULL)
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error ("validate", argc < 2 ? "give a data file or a project folder"
                                                     : "give one data file or project folder");
  rf_validation_options_init (&options);
  if (!(missing_threshold >= 0 && missing_threshold <= 100))
    return _rf_cli_usage_error ("validate", "--missing-threshold must be from 0 to 100");
  if (outliers != NULL && !rf_outlier_method_from_string (outliers, &options.outlier_method))
    return _rf_cli_usage_error ("validate", "--outliers must be iqr or zscore");
  if (!(iqr_k >= 0) || !(z > 0) || min_rows < 0)
    return _rf_cli_usage_error ("validate", "--iqr-k must be ≥ 0, --z > 0 and --min-rows ≥ 0");
  options.missing_threshold_pct = missing_threshold;
  options.iqr_k = iqr_k;
  options.z_threshold = z;
  options.min_rows = (gsize) min_rows;
  options.timestamp_column = timestamp;

  if (rf_project_is_project_dir (argv[1]))
    {
      g_autofree char *dir = NULL;

      if (machine_id == NULL)
        return _rf_cli_usage_error ("validate", "with a project, --machine ID is required");
      if (profile_path != NULL)
        return _rf_cli_usage_error ("validate", "with a project the machine's own profile is used: drop --profile");
      if (!_rf_cli_open_machine (argv[1], machine_id, &project, &profile, &error))
        return _rf_cli_fail (error);
      dir = rf_project_get_machine_dir (project, "processed", machine_id, FALSE, &error);
      if (dir == NULL)
        return _rf_cli_fail (error);
      report_file = g_build_filename (dir, RF_VALIDATION_REPORT_FILE, NULL);
      job.project = project;
      job.machine_id = machine_id;
    }
  else
    {
      if (machine_id != NULL)
        return _rf_cli_usage_error ("validate", "--machine needs a project folder");
      if (profile_path != NULL && (profile = rf_profile_load_file (profile_path, &error)) == NULL)
        return _rf_cli_fail (error);
      job.path = argv[1];
      job.read_options = read_options;
    }
  options.profile = profile;

  bar = rf_cli_progress_new ("Validating");
  job.options = &options;
  job.progress = rf_cli_progress_get (bar);
  report = _rf_cli_run_job (validate_job, &job, &error);
  rf_cli_progress_finish (bar);
  if (report == NULL)
    {
      g_free (job.source);
      return _rf_cli_fail (error);
    }
  g_free (job.source);

  if (report_file != NULL)
    {
      g_autoptr(JsonNode) root = rf_validation_report_to_json (report);
      g_autofree char *dir = rf_project_get_machine_dir (project, "processed", machine_id, TRUE, &error);

      if (dir == NULL || !rf_atomic_write_json (report_file, root, &error))
        return _rf_cli_fail (error);
    }

  if (json)
    {
      g_autoptr(JsonNode) root = rf_validation_report_to_json (report);
      JsonObject *o = json_node_get_object (root);

      if (report_file != NULL)
        json_object_set_string_member (o, "report_file", report_file);
      else
        json_object_set_null_member (o, "report_file");
      json_object_set_string_member (o, "schema", "refinery-cli/validate");
      json_object_set_int_member (o, "schema_version", 1);
      _rf_cli_print_json (root);
    }
  else
    print_human (report, report_file);
  return report->validation_passed ? RF_CLI_EXIT_OK : RF_CLI_EXIT_FAILURE;
}

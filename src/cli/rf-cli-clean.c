#define G_LOG_DOMAIN "rf-cli-clean"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rf-cleaning-plan.h"
#include "rf-cli-private.h"
#include "rf-cli-progress.h"
#include "rf-ingest.h"
#include "rf-json-build.h"
#include "rf-prepare.h"
#include "rf-writer.h"

typedef struct
{
  /* a file */
  const char *path;
  const char *out;
  RfOutputFormat format;
  const RfReadOptions *read_options;
  /* a project */
  RfProject *project;
  const char *machine_id;
  /* both */
  const char *plan_path;          /* NULL: the suggested plan */
  char **sets;
  RfProgress *progress;
  RfCleaningPlan *plan;           /* out */
  RfCleanSummary *summary;        /* out, files only */
  RfPrepareResult *result;        /* out, projects only */
} CleanJob;

/* The plan to use: --plan FILE, else the one a validation of table
 * suggests; then the --set overrides. */
static RfCleaningPlan *
make_plan (CleanJob      *job,
           RfTable       *table,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(RfCleaningPlan) plan = NULL;

  if (job->plan_path != NULL)
    plan = rf_cleaning_plan_load_file (job->plan_path, error);
  else
    {
      g_autoptr(RfValidationReport) report = rf_validate_table (table, NULL, cancellable, error);
      if (report != NULL)
        plan = rf_cleaning_plan_suggest (report);
    }
  if (plan == NULL)
    return NULL;
  for (guint i = 0; job->sets != NULL && job->sets[i] != NULL; i++)
    if (!rf_cleaning_plan_set (plan, job->sets[i], error))
      return NULL;
  if (!rf_cleaning_plan_check (plan, table, error))
    return NULL;
  return g_steal_pointer (&plan);
}

static gpointer
clean_job (gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  CleanJob *job = data;
  g_autoptr(RfTable) table = NULL;
  RfProgress read = rf_progress_range (job->progress, 0.0, 0.4);

  if (job->path != NULL)
    {
      g_autoptr(RfTable) cleaned = NULL;
      RfProgress write = rf_progress_range (job->progress, 0.6, 1.0);

      table = rf_read_file (job->path, job->read_options, NULL, &read, cancellable, error);
      if (table == NULL || (job->plan = make_plan (job, table, cancellable, error)) == NULL)
        return NULL;
      cleaned = rf_clean_apply (table, job->plan, &job->summary, cancellable, error);
      if (cleaned == NULL || !rf_write_file (cleaned, job->out, job->format, NULL, &write, cancellable, error))
        return NULL;
      return GINT_TO_POINTER (1);
    }
  else
    {
      g_autofree char *dir = NULL;
      g_autofree char *plan_file = NULL;
      RfProgress prepare = rf_progress_range (job->progress, 0.4, 1.0);

      table = rf_ingest_read_latest (job->project, job->machine_id, NULL, &read, cancellable, error);
      if (table == NULL || (job->plan = make_plan (job, table, cancellable, error)) == NULL)
        return NULL;
      dir = rf_project_get_machine_dir (job->project, "processed", job->machine_id, TRUE, error);
      if (dir == NULL)
        return NULL;
      plan_file = g_build_filename (dir, RF_CLEANING_PLAN_FILE, NULL);
      if (!rf_cleaning_plan_save_file (job->plan, plan_file, error))
        return NULL;
      job->result = rf_prepare_machine (job->project, job->machine_id, &prepare, cancellable, error);
      return job->result;
    }
}

static void
print_plan (const RfCleaningPlan *plan)
{
  g_print ("Plan: %s%s%s%s\n", plan->drop_duplicates ? "drop duplicate rows" : "keep duplicate rows",
           plan->sort_by_time ? ", sort by " : "", plan->sort_by_time ? plan->timestamp_column : "",
           plan->sort_by_time ? "" : "");
  for (guint i = 0; i < plan->columns->len; i++)
    {
      const RfColumnCleaning *c = g_ptr_array_index (plan->columns, i);
      if (c->missing == RF_MISSING_NONE && c->outliers == RF_OUTLIER_NONE)
        continue;
      g_print ("  %s: missing %s, outliers %s\n", c->column, rf_missing_strategy_to_string (c->missing),
               rf_outlier_strategy_to_string (c->outliers));
    }
}

static void
print_summary (const RfCleanSummary *s)
{
  g_print ("Rows: %" G_GSIZE_FORMAT " in, %" G_GSIZE_FORMAT " out (%" G_GSIZE_FORMAT " duplicates, %" G_GSIZE_FORMAT
           " for missing values, %" G_GSIZE_FORMAT " for outliers dropped)%s\n",
           s->rows_in, s->rows_out, s->duplicates_dropped, s->rows_dropped_missing, s->rows_dropped_outliers,
           s->sorted ? "; sorted by time" : "");
  for (guint i = 0; i < s->columns->len; i++)
    {
      const RfColumnCleanSummary *c = &g_array_index (s->columns, RfColumnCleanSummary, i);
      if (c->filled + c->clipped + c->flagged + c->rows_dropped + c->left_missing == 0)
        continue;
      g_print ("  %s: %" G_GSIZE_FORMAT " filled, %" G_GSIZE_FORMAT " left missing, %" G_GSIZE_FORMAT " clipped, %"
               G_GSIZE_FORMAT " flagged\n", c->column, c->filled, c->left_missing, c->clipped, c->flagged);
    }
}

int
rf_cli_clean (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfReadOptions) read_options = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(RfCliProgress) bar = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *machine_id = NULL;
  g_autofree char *plan_path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *to = NULL;
  g_auto(GStrv) sets = NULL;
  gboolean json = FALSE;
  RfCliReadArgs read_args = { 0 };
  CleanJob job = { 0 };
  gpointer done;
  GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_STRING, &machine_id, "With a project: the machine to clean (required)", "ID" },
    { "plan", 0, 0, G_OPTION_ARG_FILENAME, &plan_path,
      "A cleaning plan (cleaning_plan.json format); default: the suggested plan", "FILE" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Override a column's strategy (repeatable): interpolate, ffill, bfill, mean, median, drop_rows, "
      "constant:VALUE, clip_iqr, clip_sigma, flag, drop, none", "COLUMN=STRATEGY" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "With a data file: where to write the cleaned data", "FILE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "With --out: the output format (default: from the extension)", "FORMAT" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary (docs/cli-json.md)", NULL },
    { NULL }
  };

  context = g_option_context_new ("PROJECT|FILE");
  g_option_context_set_summary (context,
                                "Cleans data with a cleaning plan: duplicate rows, time order, outliers,\n"
                                "missing values (see src/librefinery/prep/rf-clean.h).\n"
                                "\n"
                                "  clean PROJECT --machine ID   save processed/ID/cleaning_plan.json and\n"
                                "                               write processed/ID/cleaned_data.parquet\n"
                                "                               (with the mapping and transform options)\n"
                                "  clean FILE --out FILE        clean a data file\n"
                                "\n"
                                "Without --plan, the plan is the one validation suggests.");
  g_option_context_add_main_entries (context, entries, NULL);
  _rf_cli_read_args_add (context, &read_args);
  if (!_rf_cli_parse_options (context, "clean", &argc, &argv))
    {
      _rf_cli_read_args_clear (&read_args);
      return RF_CLI_EXIT_USAGE;
    }
  read_options = _rf_cli_read_args_to_options (&read_args, "clean");
  _rf_cli_read_args_clear (&read_args);
  if (read_options == NULL)
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error ("clean", argc < 2 ? "give a project folder or a data file"
                                                  : "give one project folder or data file");

  if (rf_project_is_project_dir (argv[1]))
    {
      if (machine_id == NULL)
        return _rf_cli_usage_error ("clean", "with a project, --machine ID is required");
      if (out != NULL || to != NULL)
        return _rf_cli_usage_error ("clean", "with a project the output is processed/ID/cleaned_data.parquet: "
                                             "drop --out and --to");
      if (!_rf_cli_open_machine (argv[1], machine_id, &project, NULL, &error))
        return _rf_cli_fail (error);
      job.project = project;
      job.machine_id = machine_id;
    }
  else
    {
      if (machine_id != NULL)
        return _rf_cli_usage_error ("clean", "--machine needs a project folder");
      if (out == NULL)
        return _rf_cli_usage_error ("clean", "with a data file, --out FILE is required");
      if (to != NULL ? !rf_output_format_from_string (to, &job.format)
                     : !rf_output_format_from_path (out, &job.format))
        return _rf_cli_usage_error ("clean", "cannot tell the output format: use --to with " RF_OUTPUT_FORMATS_TEXT);
      job.path = argv[1];
      job.out = out;
      job.read_options = read_options;
    }
  job.plan_path = plan_path;
  job.sets = sets;

  bar = rf_cli_progress_new ("Cleaning");
  job.progress = rf_cli_progress_get (bar);
  done = _rf_cli_run_job (clean_job, &job, &error);
  rf_cli_progress_finish (bar);
  if (done == NULL)
    {
      rf_cleaning_plan_free (job.plan);
      rf_clean_summary_free (job.summary);
      return _rf_cli_fail (error);
    }

  {
    g_autoptr(RfCleaningPlan) plan = job.plan;
    g_autoptr(RfCleanSummary) file_summary = job.summary;
    g_autoptr(RfPrepareResult) result = job.result;
    const RfCleanSummary *summary = result != NULL ? result->cleaning : file_summary;

    if (json)
      {
        g_autoptr(JsonBuilder) builder = json_builder_new ();
        g_autoptr(JsonNode) root = NULL;

        json_builder_begin_object (builder);
        rf_json_add_string (builder, "schema", "refinery-cli/clean");
        rf_json_add_int (builder, "schema_version", 1);
        rf_json_add_string (builder, "output", result != NULL ? result->output_path : out);
        json_builder_set_member_name (builder, "plan");
        json_builder_add_value (builder, rf_cleaning_plan_to_json (plan));
        json_builder_set_member_name (builder, "cleaning");
        json_builder_add_value (builder, rf_clean_summary_to_json (summary));
        json_builder_set_member_name (builder, "transform");
        if (result != NULL)
          json_builder_add_value (builder, rf_transform_record_to_json (result->transform));
        else
          json_builder_add_null_value (builder);
        json_builder_end_object (builder);
        root = json_builder_get_root (builder);
        _rf_cli_print_json (root);
      }
    else
      {
        print_plan (plan);
        print_summary (summary);
        if (result != NULL)
          g_print ("Wrote %s (%" G_GSIZE_FORMAT " rows × %u columns)%s\n", result->output_path, result->rows_out,
                   result->columns_out,
                   result->used_mapping ? "" : "; no mapping.json yet: columns keep their names (run map)");
        else
          g_print ("Wrote %s\n", out);
      }
  }
  return RF_CLI_EXIT_OK;
}

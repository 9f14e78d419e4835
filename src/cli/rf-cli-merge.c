#define G_LOG_DOMAIN "rf-cli-merge"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rf-atomic-file.h"
#include "rf-cli-private.h"
#include "rf-cli-progress.h"
#include "rf-error.h"
#include "rf-json-build.h"
#include "rf-merge.h"
#include "rf-prepare.h"
#include "rf-seed.h"
#include "rf-writer.h"

typedef struct
{
  RfProject *project;
  RfProfile *profile;
  const char *machine_id;
  RfMergeOptions options;
  RfProgress *progress;
  RfMergeReport *report;       /* out */
  char *out;                   /* out */
  gboolean generated_seed;     /* out: seed data made on the fly */
} MergeJob;

static gpointer
merge_job (gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  MergeJob *job = data;
  g_autofree char *processed = NULL;
  g_autofree char *merged = NULL;
  g_autofree char *real_path = NULL;
  g_autofree char *seed_path = NULL;
  g_autofree char *report_path = NULL;
  g_autoptr(RfTable) real = NULL;
  g_autoptr(RfTable) seed = NULL;
  g_autoptr(RfTable) out = NULL;
  g_autoptr(JsonNode) report = NULL;
  RfProgress read = rf_progress_range (job->progress, 0.0, 0.4);
  RfProgress write = rf_progress_range (job->progress, 0.6, 1.0);

  processed = rf_project_get_machine_dir (job->project, "processed", job->machine_id, FALSE, error);
  merged = rf_project_get_machine_dir (job->project, "merged", job->machine_id, TRUE, error);
  if (processed == NULL || merged == NULL)
    return NULL;
  real_path = g_build_filename (processed, RF_CLEANED_DATA_FILE, NULL);
  if (!g_file_test (real_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "The machine “%s” has no cleaned data yet (%s). Clean and transform it first: "
                   "refinery-cli clean PROJECT --machine %s, then transform.",
                   job->machine_id, real_path, job->machine_id);
      return NULL;
    }
  real = rf_read_file (real_path, NULL, NULL, &read, cancellable, error);
  if (real == NULL)
    return NULL;
  if (job->options.strategy == RF_MERGE_MERGE)
    {
      seed_path = g_build_filename (merged, RF_SEED_DATA_FILE, NULL);
      if (g_file_test (seed_path, G_FILE_TEST_EXISTS))
        seed = rf_read_file (seed_path, NULL, NULL, NULL, cancellable, error);
      else
        {
          seed = rf_seed_generate (job->profile, RF_SEED_DEFAULT_ROWS, job->options.seed);
          job->generated_seed = TRUE;
        }
      if (seed == NULL)
        return NULL;
    }
  out = rf_merge_tables (real, seed, job->profile, &job->options, &job->report, error);
  if (out == NULL)
    return NULL;
  job->out = g_build_filename (merged, RF_MERGED_DATA_FILE, NULL);
  if (!rf_write_file (out, job->out, RF_OUTPUT_PARQUET, NULL, &write, cancellable, error))
    return NULL;

  report_path = g_build_filename (merged, RF_MERGE_REPORT_FILE, NULL);
  report = rf_merge_report_to_json (job->report);
  if (!rf_atomic_write_json (report_path, report, error))
    return NULL;
  return g_steal_pointer (&out);
}

int
rf_cli_merge (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(RfProfile) profile = NULL;
  g_autoptr(RfCliProgress) bar = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(RfMergeReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *machine_id = NULL;
  g_autofree char *strategy = NULL;
  g_autofree char *out = NULL;
  gboolean force = FALSE, balance = FALSE, json = FALSE;
  gint64 seed = 42;
  MergeJob job = { 0 };
  GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_STRING, &machine_id, "The machine (required)", "ID" },
    { "strategy", 0, 0, G_OPTION_ARG_STRING, &strategy, "replace, merge or real-only (required)",
      "replace|merge|real-only" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Replace even with fewer than 5,000 real rows", NULL },
    { "balance-rul", 0, 0, G_OPTION_ARG_NONE, &balance, "Balance the rows across RUL quartiles", NULL },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Random seed for the shuffle and balancing (default 42)", "S" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the merge report as JSON (docs/cli-json.md)", NULL },
    { NULL }
  };

  context = g_option_context_new ("PROJECT");
  g_option_context_set_summary (context,
                                "Combines the machine's cleaned real data (processed/ID/cleaned_data.parquet)\n"
                                "with seed data (merged/ID/seed_data.parquet, generated when absent) and writes\n"
                                "merged/ID/merged.parquet and merged/ID/merge_report.json, which\n"
                                "`train PROJECT --machine ID --data merged` uses.\n"
                                "\n"
                                "  replace     real data only; needs at least 5,000 rows (or --force)\n"
                                "  merge       seed + real, duplicates dropped, shuffled, a \"source\" column\n"
                                "  real-only   real data as it is");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!_rf_cli_parse_options (context, "merge", &argc, &argv))
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error ("merge", argc < 2 ? "give the project folder" : "give one project folder");
  if (machine_id == NULL)
    return _rf_cli_usage_error ("merge", "--machine ID is required");
  rf_merge_options_init (&job.options);
  if (strategy == NULL || !rf_merge_strategy_from_string (strategy, &job.options.strategy))
    return _rf_cli_usage_error ("merge", "--strategy must be replace, merge or real-only");
  job.options.force = force;
  job.options.balance_rul = balance;
  job.options.seed = (guint64) seed;
  if (!_rf_cli_open_machine (argv[1], machine_id, &project, &profile, &error))
    return _rf_cli_fail (error);

  bar = rf_cli_progress_new ("Merging");
  job.project = project;
  job.profile = profile;
  job.machine_id = machine_id;
  job.progress = rf_cli_progress_get (bar);
  table = _rf_cli_run_job (merge_job, &job, &error);
  rf_cli_progress_finish (bar);
  report = job.report;
  out = job.out;
  if (table == NULL)
    return _rf_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) root = rf_merge_report_to_json (report);
      JsonObject *o = json_node_get_object (root);

      json_object_set_string_member (o, "out", out);
      json_object_set_boolean_member (o, "seed_generated", job.generated_seed);
      json_object_set_string_member (o, "schema", "refinery-cli/merge");
      json_object_set_int_member (o, "schema_version", 1);
      _rf_cli_print_json (root);
      return RF_CLI_EXIT_OK;
    }
  g_print ("Strategy %s: %" G_GSIZE_FORMAT " real rows", rf_merge_strategy_to_string (report->strategy),
           report->real_rows);
  if (report->strategy == RF_MERGE_MERGE)
    g_print (" + %" G_GSIZE_FORMAT " seed rows%s, %" G_GSIZE_FORMAT " duplicates dropped", report->seed_rows,
             job.generated_seed ? " (generated)" : "", report->duplicates_dropped);
  g_print (" → %" G_GSIZE_FORMAT " rows\n", report->rows_out);
  if (report->rul_column != NULL)
    g_print ("RUL balancing on “%s”: quartile rows %" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "/%"
             G_GSIZE_FORMAT " → %" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "\n",
             report->rul_column, report->bins_before[0], report->bins_before[1], report->bins_before[2],
             report->bins_before[3], report->bins_after[0], report->bins_after[1], report->bins_after[2],
             report->bins_after[3]);
  for (guint i = 0; i < report->warnings->len; i++)
    g_print ("Warning: %s\n", (char *) g_ptr_array_index (report->warnings, i));
  g_print ("Wrote %s\n", out);
  return RF_CLI_EXIT_OK;
}

#define G_LOG_DOMAIN "rf-cli-augment"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "rf-augment.h"
#include "rf-cli-private.h"
#include "rf-cli-progress.h"
#include "rf-json-build.h"

typedef struct
{
  RfModel *model;
  RfTable *source;
  RfAugmentOptions options;
  const char *out_dir;
  const char *model_name;
  const char *source_name;
  gboolean csv;
  gboolean xlsx;
  RfProgress *progress;
  double seconds;
} AugmentJob;

static gpointer
augment_job (gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  AugmentJob *job = data;
  RfProgress making = rf_progress_range (job->progress, 0.0, 0.6);
  RfProgress writing = rf_progress_range (job->progress, 0.6, 1.0);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(RfAugmentation) aug = rf_augment (job->model, job->source, &job->options, &making,
                                              cancellable, error);

  if (aug == NULL ||
      !rf_augmentation_write (aug, job->out_dir, job->csv, job->xlsx, job->model_name, job->source_name,
                              &writing, cancellable, error))
    return NULL;
  job->seconds = (g_get_monotonic_time () - start) / 1e6;
  return g_steal_pointer (&aug);
}

static void
print_summary (AugmentJob     *job,
               RfAugmentation *aug)
{
  const RfAugmentQuality *q = rf_augmentation_get_quality (aug);

  g_print ("Wrote %s: train %" G_GSIZE_FORMAT ", val %" G_GSIZE_FORMAT ", test %" G_GSIZE_FORMAT
           " rows (%.1f s)\n", job->out_dir, q->rows[RF_SPLIT_TRAIN], q->rows[RF_SPLIT_VAL],
           q->rows[RF_SPLIT_TEST], job->seconds);
  if (q->has_trajectories)
    g_print ("Trajectories: %u + %u + %u synthetic units of about %.0f rows, RUL from “%s”%s\n",
             q->units[RF_SPLIT_TRAIN], q->units[RF_SPLIT_VAL], q->units[RF_SPLIT_TEST], q->unit_length,
             q->rul_column, q->time_column != NULL ? ", one timestamp per source interval" : "");
  g_print ("Quality check: %s\n", q->passed ? "passed" : "FAILED");
  for (guint c = 0; c < q->n_columns; c++)
    if (!q->columns[c].passed)
      g_print ("  %s: %s\n", q->columns[c].name, q->columns[c].problems);
}

static JsonNode *
summary_json (AugmentJob     *job,
              RfAugmentation *aug)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) quality = rf_augmentation_quality_to_json (aug, job->model_name, job->source_name);

  json_builder_begin_object (b);
  rf_json_add_string (b, "schema", "refinery-cli/augment");
  rf_json_add_int (b, "schema_version", 1);
  rf_json_add_string (b, "out_dir", job->out_dir);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, job->seconds);
  json_builder_set_member_name (b, "quality");
  json_builder_add_value (b, g_steal_pointer (&quality));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
rf_cli_augment (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(RfCliProgress) bar = NULL;
  g_autoptr(RfModel) model = NULL;
  g_autoptr(RfTable) source = NULL;
  g_autoptr(RfAugmentation) aug = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *machine_id = NULL, *model_arg = NULL, *data_arg = NULL, *out = NULL;
  g_autofree char *model_path = NULL, *source_path = NULL, *out_dir = NULL;
  gint64 rows = RF_AUGMENT_DEFAULT_ROWS, seed = 0, threads = 0;
  double train_share = 0.70, val_share = 0.15;
  gboolean csv = FALSE, xlsx = FALSE, no_trajectories = FALSE, json = FALSE;
  AugmentJob job = { 0 };
  GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_STRING, &machine_id, "With a project: the machine (required)", "ID" },
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model_arg,
      "With a project: a model of models/ID/ (default: the machine's current model)", "MODEL" },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_arg,
      "The source data to check against: real or merged with a project (default real), a data file without", "DATA" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Without a project: the folder to write", "DIR" },
    { "rows", 'n', 0, G_OPTION_ARG_INT64, &rows, "Rows in all (default 50000)", "N" },
    { "train", 0, 0, G_OPTION_ARG_DOUBLE, &train_share, "Share of the training set (default 0.7)", "F" },
    { "val", 0, 0, G_OPTION_ARG_DOUBLE, &val_share, "Share of the validation set (default 0.15)", "F" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 0)", "S" },
    { "threads", 't', 0, G_OPTION_ARG_INT64, &threads, "Threads (default 0, one per core)", "T" },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "Also write each set as CSV", NULL },
    { "xlsx", 0, 0, G_OPTION_ARG_NONE, &xlsx, "Also write each set as an Excel workbook", NULL },
    { "no-trajectories", 0, 0, G_OPTION_ARG_NONE, &no_trajectories,
      "Keep the rows as sampled, without assembling run-to-failure units", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary (docs/cli-json.md)", NULL },
    { NULL }
  };

  context = g_option_context_new ("PROJECT | MODEL");
  g_option_context_set_summary (context,
                                "Samples augmented train/val/test sets from a model (default 50,000 rows, split\n"
                                "70/15/15), assembles run-to-failure trajectories when the data has a RUL, and\n"
                                "checks them against the source data (quality.json).\n"
                                "\n"
                                "  augment PROJECT --machine ID        write augmented/ID/{train,val,test}.parquet\n"
                                "  augment MODEL --data FILE --out DIR  without a project");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!_rf_cli_parse_options (context, "augment", &argc, &argv))
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error ("augment", "give one project folder or one model file");
  if (rows < 3 || rows > 10000000)
    return _rf_cli_usage_error ("augment", "--rows must be from 3 to 10000000");
  if (threads < 0 || threads > 64)
    return _rf_cli_usage_error ("augment", "--threads must be from 0 to 64");

  if (rf_project_is_project_dir (argv[1]))
    {
      if (machine_id == NULL)
        return _rf_cli_usage_error ("augment", "with a project, --machine ID is required");
      if (out != NULL)
        return _rf_cli_usage_error ("augment", "with a project, drop --out: augmented/ID/ is written");
      if (data_arg != NULL && g_strcmp0 (data_arg, "real") != 0 && g_strcmp0 (data_arg, "merged") != 0)
        return _rf_cli_usage_error ("augment", "with a project, --data is real or merged");
      if (!_rf_cli_open_machine (argv[1], machine_id, &project, NULL, &error) ||
          (model_path = _rf_cli_resolve_model (project, machine_id, model_arg, &error)) == NULL ||
          (source_path = _rf_cli_project_data_path (project, machine_id, data_arg != NULL ? data_arg : "real",
                                                    &error)) == NULL ||
          (out_dir = rf_project_get_machine_dir (project, "augmented", machine_id, TRUE, &error)) == NULL)
        return _rf_cli_fail (error);
    }
  else
    {
      if (machine_id != NULL || model_arg != NULL)
        return _rf_cli_usage_error ("augment", "--machine and --model need a project folder");
      if (data_arg == NULL || out == NULL)
        return _rf_cli_usage_error ("augment", "without a project, give --data FILE (the real data) and --out DIR");
      model_path = g_strdup (argv[1]);
      source_path = g_strdup (data_arg);
      out_dir = g_strdup (out);
    }

  model = rf_model_load (model_path, &error);
  if (model == NULL)
    return _rf_cli_fail (error);
  source = rf_read_file (source_path, NULL, NULL, NULL, NULL, &error);
  if (source == NULL)
    return _rf_cli_fail (error);

  rf_augment_options_init (&job.options);
  job.options.n_rows = (gsize) rows;
  job.options.train_fraction = train_share;
  job.options.val_fraction = val_share;
  job.options.seed = (guint64) seed;
  job.options.n_threads = (guint) threads;
  job.options.trajectories = !no_trajectories;
  job.model = model;
  job.source = source;
  job.out_dir = out_dir;
  job.model_name = model_path;
  job.source_name = source_path;
  job.csv = csv;
  job.xlsx = xlsx;

  bar = rf_cli_progress_new ("Augmenting");
  job.progress = rf_cli_progress_get (bar);
  aug = _rf_cli_run_job (augment_job, &job, &error);
  rf_cli_progress_finish (bar);
  if (aug == NULL)
    return _rf_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) root = summary_json (&job, aug);
      _rf_cli_print_json (root);
    }
  else
    print_summary (&job, aug);
  /* Like validate: the files are written, and a script sees the failure. */
  if (!rf_augmentation_get_quality (aug)->passed)
    {
      g_printerr ("%s: the augmented sets failed the quality check; see %s/quality.json\n", RF_CLI_NAME, out_dir);
      return RF_CLI_EXIT_FAILURE;
    }
  return RF_CLI_EXIT_OK;
}

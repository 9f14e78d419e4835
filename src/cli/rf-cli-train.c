#define G_LOG_DOMAIN "rf-cli-train"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rf-atomic-file.h"
#include "rf-cli-private.h"
#include "rf-json-build.h"
#include "rf-cli-progress.h"
#include "rf-error.h"
#include "rf-ingest.h"
#include "rf-model.h"
#include "rf-project.h"

/* Version of the `train --json` and `refine --json` objects (docs/cli-json.md). */
#define TRAIN_SCHEMA_VERSION 1

/* The options train and refine share; numbers are -1 (or NaN) until given,
 * so that the core's defaults stay the defaults. */
typedef struct
{
  char *out;
  char *machine;
  char *data;
  char *base;
  char **exclude;
  gint64 seed;
  int epochs;
  int batch_size;
  int patience;
  int threads;
  double learning_rate;
  double validation;
  gboolean freeze_encoder;
  gboolean json;
  RfCliReadArgs read_args;
} TrainArgs;

static void
train_args_clear (TrainArgs *args)
{
  g_clear_pointer (&args->out, g_free);
  g_clear_pointer (&args->machine, g_free);
  g_clear_pointer (&args->data, g_free);
  g_clear_pointer (&args->base, g_free);
  g_clear_pointer (&args->exclude, g_strfreev);
  _rf_cli_read_args_clear (&args->read_args);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrainArgs, train_args_clear)

/* What the worker thread does and what it returns. */
typedef struct
{
  const char *command;             /* "train" or "refine" */
  const char *data_path;
  const char *out_path;
  const RfReadOptions *read_options;
  RfModelOptions options;
  RfModel *base;                   /* refine only */
  RfProgress *progress;
  /* results */
  RfTable *table;
  char *data_sha256;
  RfModel *model;
  char *comparison_path;
  char *config_path;
  double total_seconds;
} TrainJob;

static void
train_job_clear (TrainJob *job)
{
  g_clear_pointer (&job->table, rf_table_unref);
  g_clear_pointer (&job->data_sha256, g_free);
  g_clear_pointer (&job->model, rf_model_unref);
  g_clear_pointer (&job->base, rf_model_unref);
  g_clear_pointer (&job->comparison_path, g_free);
  g_clear_pointer (&job->config_path, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrainJob, train_job_clear)

static gpointer
train_job (gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  TrainJob *job = data;
  RfProgress read_progress = rf_progress_range (job->progress, 0.0, 0.03);
  RfProgress train_progress = rf_progress_range (job->progress, 0.03, 1.0);
  g_autofree char *name = g_path_get_basename (job->data_path);
  g_autofree char *dir = g_path_get_dirname (job->out_path);
  gint64 start = g_get_monotonic_time ();

  job->table = rf_read_file (job->data_path, job->read_options, NULL, &read_progress, cancellable,
                             error);
  if (job->table == NULL)
    return NULL;
  job->data_sha256 = rf_file_sha256 (job->data_path, NULL, cancellable, error);
  if (job->data_sha256 == NULL)
    return NULL;
  job->options.data_name = name;
  job->options.data_sha256 = job->data_sha256;

  if (job->base != NULL)
    job->model = rf_model_refine (job->base, job->table, &job->options, NULL, NULL,
                                  &train_progress, cancellable, error);
  else
    job->model = rf_model_train (job->table, &job->options, NULL, NULL, &train_progress,
                                 cancellable, error);
  job->options.data_name = NULL;
  job->options.data_sha256 = NULL;
  if (job->model == NULL)
    return NULL;
  /* A cancel that came during the last epoch still leaves no file. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!rf_model_save (job->model, job->out_path, error))
    return NULL;
  if (job->base != NULL)
    {
      if (!rf_model_save_refinement_files (job->model, dir, error))
        return NULL;
      job->comparison_path = g_build_filename (dir, "training_comparison.json", NULL);
      job->config_path = g_build_filename (dir, "refinement_config.json", NULL);
    }
  job->total_seconds = (g_get_monotonic_time () - start) / 1e6;
  return job->model;
}

/* Project folders --------------------------------------------------------- */


/* models/<id>/tvae_<UTC time>[_refined].safetensors, with _2, _3 … when a
 * model of that second is already there. */
static char *
project_model_path (RfProject   *project,
                    const char  *machine,
                    gboolean     refined,
                    GError     **error)
{
  g_autofree char *dir = rf_project_get_machine_dir (project, "models", machine, TRUE, error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");

  if (dir == NULL)
    return NULL;
  for (guint n = 1;; n++)
    {
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      if (n == 1)
        name = g_strdup_printf ("tvae_%s%s.safetensors", stamp, refined ? "_refined" : "");
      else
        name = g_strdup_printf ("tvae_%s%s_%u.safetensors", stamp, refined ? "_refined" : "", n);
      path = g_build_filename (dir, name, NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
}

/* Output ----------------------------------------------------------------- */

static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static JsonNode *
build_json (TrainJob   *job,
            const char *project,
            const char *machine)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  RfModel *model = job->model;
  RfTransformer *transformer = rf_model_get_transformer (model);
  const RfTrainResult *result = rf_model_get_result (model);
  const RfModelTimings *timings = rf_model_get_timings (model);
  const RfModelRefinement *refinement = rf_model_get_refinement (model);
  const RfModelLineage *lineage = rf_model_get_lineage (model);
  g_autofree char *schema = g_strdup_printf ("refinery-cli/%s", job->command);
  guint generation = rf_model_get_generation (model);
  const RfModelEpoch *history;
  guint n_history;

  json_builder_begin_object (builder);
  rf_json_add_string (builder, "schema", schema);
  rf_json_add_int (builder, "schema_version", TRAIN_SCHEMA_VERSION);
  rf_json_add_string (builder, "project", project);
  rf_json_add_string (builder, "machine", machine);
  rf_json_add_string (builder, "data", job->data_path);
  rf_json_add_string (builder, "data_sha256", job->data_sha256);
  rf_json_add_int (builder, "rows", (gint64) rf_table_get_n_rows (job->table));
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint c = 0; c < rf_transformer_get_n_columns (transformer); c++)
    json_builder_add_string_value (builder, rf_transformer_get_column_name (transformer, c));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "excluded");
  json_builder_begin_array (builder);
  for (guint i = 0; lineage->excluded_columns[i] != NULL; i++)
    json_builder_add_string_value (builder, lineage->excluded_columns[i]);
  json_builder_end_array (builder);
  rf_json_add_int (builder, "encoded_dim", rf_transformer_get_output_dim (transformer));
  rf_json_add_string (builder, "model", job->out_path);
  rf_json_add_string (builder, "model_sha256", rf_model_get_sha256 (model));
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, (gint64) rf_model_get_config (model)->seed);
  rf_json_add_int (builder, "epochs", rf_model_get_config (model)->epochs);
  rf_json_add_int (builder, "epochs_run", result->epochs_run);
  json_builder_set_member_name (builder, "stopped_early");
  json_builder_add_boolean_value (builder, result->stopped_early);
  rf_json_add_int (builder, "best_epoch", result->best_epoch);
  add_double (builder, "final_train_loss", result->final_train_loss);
  add_double (builder, "final_validation_loss", result->final_validation_loss);
  add_double (builder, "best_validation_loss", result->best_validation_loss);
  rf_json_add_int (builder, "train_rows", (gint64) result->n_train_rows);
  rf_json_add_int (builder, "validation_rows", (gint64) result->n_validation_rows);
  add_double (builder, "seconds_per_epoch", result->epochs_run > 0
                                              ? result->seconds / result->epochs_run : 0.0);
  add_double (builder, "setup_seconds", timings->fit + timings->encode);
  add_double (builder, "fit_seconds", timings->fit);
  add_double (builder, "encode_seconds", timings->encode);
  add_double (builder, "train_seconds", timings->train);
  add_double (builder, "total_seconds", job->total_seconds);

  history = rf_model_get_history (model, &n_history);
  for (int pass = 0; pass < 2; pass++)
    {
      json_builder_set_member_name (builder, pass == 0 ? "train_loss" : "validation_loss");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_history; i++)
        if (history[i].generation == generation)
          json_builder_add_double_value (builder, pass == 0 ? history[i].report.train_loss
                                                            : history[i].report.validation_loss);
      json_builder_end_array (builder);
    }

  if (refinement != NULL)
    {
      rf_json_add_string (builder, "base_model", refinement->base_path);
      add_double (builder, "out_of_mode_share", refinement->out_of_mode_share);
      add_double (builder, "scratch_threshold", RF_MODEL_SCRATCH_THRESHOLD);
      rf_json_add_string (builder, "recommendation",
                  refinement->recommend_scratch ? "train_from_scratch" : "refine");
      add_double (builder, "base_validation_loss", refinement->base_validation_loss);
      add_double (builder, "refined_validation_loss", refinement->refined_validation_loss);
      rf_json_add_string (builder, "training_comparison", job->comparison_path);
      rf_json_add_string (builder, "refinement_config", job->config_path);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Losses for people: five significant digits. */
static char *
format_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.5g", value));
}

static void
print_text (TrainJob *job)
{
  RfModel *model = job->model;
  RfTransformer *transformer = rf_model_get_transformer (model);
  const RfTrainResult *result = rf_model_get_result (model);
  const RfModelTimings *timings = rf_model_get_timings (model);
  const RfModelRefinement *refinement = rf_model_get_refinement (model);
  g_autofree char *train_loss = format_number (result->final_train_loss);
  g_autofree char *validation_loss = format_number (result->final_validation_loss);
  g_autofree char *best_loss = format_number (result->best_validation_loss);

  g_print ("%s %s: %" G_GSIZE_FORMAT " rows × %u columns (%u encoded values per row)\n",
           refinement != NULL ? "Refined on" : "Trained on", job->data_path,
           rf_table_get_n_rows (job->table), rf_transformer_get_n_columns (transformer),
           rf_transformer_get_output_dim (transformer));
  g_print ("Epochs: %u of %u%s, %.3f s per epoch, setup %.2f s\n", result->epochs_run,
           rf_model_get_config (model)->epochs, result->stopped_early ? " (stopped early)" : "",
           result->epochs_run > 0 ? result->seconds / result->epochs_run : 0.0,
           timings->fit + timings->encode);
  if (result->n_validation_rows > 0)
    g_print ("Loss: train %s, validation %s (best %s at epoch %u)\n", train_loss, validation_loss,
             best_loss, result->best_epoch);
  else
    g_print ("Loss: train %s\n", train_loss);
  if (refinement != NULL)
    {
      g_autofree char *base = format_number (refinement->base_validation_loss);
      g_autofree char *refined = format_number (refinement->refined_validation_loss);

      g_print ("Validation loss on the new data: base model %s, refined %s\n", base, refined);
      g_print ("Out of the base model's modes: %.1f%% of the new values (threshold %.0f%%)\n",
               refinement->out_of_mode_share * 100.0, RF_MODEL_SCRATCH_THRESHOLD * 100.0);
      if (refinement->recommend_scratch)
        g_print ("Recommendation: train from scratch (“%s train”): too much of the new data lies "
                 "outside what the base model can generate\n", RF_CLI_NAME);
      else
        g_print ("Recommendation: use the refined model\n");
    }
  g_print ("Saved the model to %s\n", job->out_path);
  if (job->comparison_path != NULL)
    g_print ("Wrote %s and %s\n", job->comparison_path, job->config_path);
}

/* The command ------------------------------------------------------------- */

static gboolean
check_args (TrainArgs  *args,
            const char *command)
{
  const char *what = NULL;

  if (args->epochs != -1 && args->epochs < 1)
    what = "--epochs must be at least 1";
  else if (args->batch_size != -1 && args->batch_size < 1)
    what = "--batch-size must be at least 1";
  else if (args->patience != -1 && args->patience < 0)
    what = "--patience must be 0 (never stop early) or more";
  else if (args->threads != -1 && args->threads < 0)
    what = "--threads must be 0 (one per core) or more";
  else if (args->seed < -1)
    what = "--seed must be 0 or more";
  else if (!isnan (args->learning_rate) && !(args->learning_rate > 0 && args->learning_rate <= 1))
    what = "--learning-rate must be a positive number, at most 1";
  else if (!isnan (args->validation) && !(args->validation >= 0 && args->validation < 1))
    what = "--validation must be a fraction from 0 to below 1";
  else if (args->data != NULL && strcmp (args->data, "real") != 0 &&
           strcmp (args->data, "merged") != 0)
    what = "--data must be real or merged";
  if (what == NULL)
    return TRUE;
  _rf_cli_usage_error (command, "%s", what);
  return FALSE;
}

static void
apply_args (const TrainArgs *args,
            RfTrainConfig   *config)
{
  if (args->epochs != -1)
    config->epochs = (guint) args->epochs;
  if (args->batch_size != -1)
    config->batch_size = (guint) args->batch_size;
  if (args->patience != -1)
    config->patience = (guint) args->patience;
  if (args->threads != -1)
    config->n_threads = (guint) args->threads;
  if (args->seed != -1)
    config->seed = (guint64) args->seed;
  if (!isnan (args->learning_rate))
    config->learning_rate = args->learning_rate;
  if (!isnan (args->validation))
    config->validation_fraction = args->validation;
  config->freeze_encoder = config->freeze_encoder || args->freeze_encoder;
}

/* --exclude a,b --exclude c → a, b, c. */
static char **
split_exclude (char **exclude)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; exclude != NULL && exclude[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (exclude[i], ",", -1);

      for (guint k = 0; parts[k] != NULL; k++)
        {
          g_strstrip (parts[k]);
          if (parts[k][0] != '\0')
            g_ptr_array_add (names, g_strdup (parts[k]));
        }
    }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static int
run (int         argc,
     char      **argv,
     gboolean    refining)
{
  const char *command = refining ? "refine" : "train";
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfReadOptions) read_options = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(RfCliProgress) bar = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) exclude = NULL;
  g_autofree char *data_path = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *base_path = NULL;
  g_autofree char *label = NULL;
  g_auto(TrainArgs) args = { 0 };
  g_auto(TrainJob) job = { 0 };
  int status = RF_CLI_EXIT_OK;
  GOptionEntry common[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &args.out,
      "Write the model to FILE (a .safetensors file; required without a project)", "FILE" },
    { "machine", 'm', 0, G_OPTION_ARG_STRING, &args.machine,
      "With a project: the machine whose data to train on (required)", "ID" },
    { "epochs", 'e', 0, G_OPTION_ARG_INT, &args.epochs,
      refining ? "Train for at most N epochs (default: 100)" : "Train for N epochs (default: 300)",
      "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &args.seed,
      "Seed of every random choice: same data and seed, same model (default: 0)", "S" },
    { "batch-size", 'b', 0, G_OPTION_ARG_INT, &args.batch_size,
      "Rows per training step (default: 500)", "B" },
    { "learning-rate", 0, 0, G_OPTION_ARG_DOUBLE, &args.learning_rate,
      refining ? "Adam's learning rate (default: 0.0001)" : "Adam's learning rate (default: 0.001)",
      "LR" },
    { "validation", 0, 0, G_OPTION_ARG_DOUBLE, &args.validation,
      "Share of the rows held out to measure the validation loss (default: 0.1)", "V" },
    { "patience", 0, 0, G_OPTION_ARG_INT, &args.patience,
      refining ? "Stop after P epochs without a better validation loss (default: 10; 0: never)"
               : "Stop after P epochs without a better validation loss (default: 0: never)",
      "P" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &args.threads,
      "Threads to train on (default: 0, one per core)", "T" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &args.json,
      "Print one JSON object instead of text (see docs/cli-json.md)", NULL },
    { NULL }
  };
  GOptionEntry train_entries[] = {
    { "data", 0, 0, G_OPTION_ARG_STRING, &args.data,
      "With a project: real (the machine's cleaned or ingested data, the default) or merged",
      "real|merged" },
    { "exclude", 'x', 0, G_OPTION_ARG_STRING_ARRAY, &args.exclude,
      "Leave these columns out of training (repeatable)", "COL[,COL…]" },
    { NULL }
  };
  GOptionEntry refine_entries[] = {
    { "base", 0, 0, G_OPTION_ARG_FILENAME, &args.base,
      "The model to refine (required; with a project, a name in models/<machine>/ will do)",
      "MODEL" },
    { "freeze-encoder", 0, 0, G_OPTION_ARG_NONE, &args.freeze_encoder,
      "Train the decoder only (a more conservative refinement)", NULL },
    { "data", 0, 0, G_OPTION_ARG_STRING, &args.data,
      "With a project: real (the default) or merged", "real|merged" },
    { NULL }
  };

  args.seed = -1;
  args.epochs = -1;
  args.batch_size = -1;
  args.patience = -1;
  args.threads = -1;
  args.learning_rate = NAN;
  args.validation = NAN;

  context = g_option_context_new ("FILE|PROJECT");
  if (refining)
    g_option_context_set_summary (context,
                                  "Refines the model MODEL (transfer learning): keeps its data\n"
                                  "transformer and continues training a copy of its network on\n"
                                  "the data file FILE, with a tenth of the learning rate and\n"
                                  "early stopping. Writes the refined model to --out, and\n"
                                  "training_comparison.json and refinement_config.json beside it.\n"
                                  "Reports how much of the new data lies outside the base\n"
                                  "model's modes, and recommends training from scratch above\n"
                                  "20%.\n"
                                  "\n"
                                  "With a project folder PROJECT and --machine ID, trains on the\n"
                                  "machine's data and writes into PROJECT/models/ID/.");
  else
    g_option_context_set_summary (context,
                                  "Trains a TVAE model on the data file FILE and writes it to\n"
                                  "--out as a .safetensors file (docs/model-format.md).\n"
                                  "\n"
                                  "With a project folder PROJECT and --machine ID, trains on the\n"
                                  "machine's data (processed/ID/cleaned_data.* when it exists,\n"
                                  "else the file last ingested into raw/ID/) and writes\n"
                                  "PROJECT/models/ID/tvae_<UTC time>.safetensors.\n"
                                  "\n"
                                  "Ctrl-C stops training and writes nothing.");
  g_option_context_add_main_entries (context, common, NULL);
  g_option_context_add_main_entries (context, refining ? refine_entries : train_entries, NULL);
  _rf_cli_read_args_add (context, &args.read_args);
  if (!_rf_cli_parse_options (context, command, &argc, &argv) || !check_args (&args, command))
    return RF_CLI_EXIT_USAGE;
  read_options = _rf_cli_read_args_to_options (&args.read_args, command);
  if (read_options == NULL)
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error (command, argc < 2 ? "give the data file FILE or a project folder"
                                                  : "give one data file or one project folder");
  if (refining && args.base == NULL)
    return _rf_cli_usage_error (command, "--base MODEL is required");

  if (rf_project_is_project_dir (argv[1]))
    {
      if (args.machine == NULL)
        return _rf_cli_usage_error (command, "%s is a project folder: say which machine's data "
                                    "to train on with --machine ID", argv[1]);
      project = rf_project_open (argv[1], &error);
      if (project == NULL)
        return _rf_cli_fail (error);
      if (rf_project_find_machine (project, args.machine) == NULL)
        {
          g_autofree char *known = rf_project_list_machine_ids (project);

          g_set_error (&error, RF_ERROR, RF_ERROR_NOT_FOUND,
                       "The project “%s” has no machine “%s” (known machines: %s); add it with "
                       "“%s machine add” or pick a known id", rf_project_get_name (project),
                       args.machine, known, RF_CLI_NAME);
          return _rf_cli_fail (error);
        }
      data_path = _rf_cli_project_data_path (project, args.machine, args.data != NULL ? args.data : "real",
                                     &error);
      if (data_path == NULL)
        return _rf_cli_fail (error);
      out_path = args.out != NULL ? g_strdup (args.out)
                                  : project_model_path (project, args.machine, refining, &error);
      if (out_path == NULL)
        return _rf_cli_fail (error);
    }
  else
    {
      if (args.machine != NULL || args.data != NULL)
        return _rf_cli_usage_error (command, "--machine and --data need a project folder; "
                                    "%s is not one (it has no project.json)", argv[1]);
      if (args.out == NULL)
        return _rf_cli_usage_error (command, "--out FILE is required: where to write the model");
      data_path = g_strdup (argv[1]);
      out_path = g_strdup (args.out);
    }

  /* Fail before training, not after: the model's folder must exist. */
  out_dir = g_path_get_dirname (out_path);
  if (!g_file_test (out_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (&error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "The folder %s of the output file does not exist; create it or choose "
                   "another --out", out_dir);
      return _rf_cli_fail (error);
    }

  if (refining)
    {
      rf_model_options_init_refine (&job.options);
      base_path = _rf_cli_resolve_model (project, args.machine, args.base, NULL);
      job.base = rf_model_load (base_path, &error);
      if (job.base == NULL)
        return _rf_cli_fail (error);
    }
  else
    {
      rf_model_options_init (&job.options);
      exclude = split_exclude (args.exclude);
      job.options.exclude = (const char * const *) exclude;
    }
  apply_args (&args, &job.options.train);

  label = g_strdup_printf ("%s on %s", refining ? "Refining" : "Training", data_path);
  bar = rf_cli_progress_new (label);
  job.command = command;
  job.data_path = data_path;
  job.out_path = out_path;
  job.read_options = read_options;
  job.progress = rf_cli_progress_get (bar);
  if (_rf_cli_run_job (train_job, &job, &error) == NULL)
    {
      rf_cli_progress_finish (bar);
      return _rf_cli_fail (error);
    }
  rf_cli_progress_finish (bar);

  if (args.json)
    {
      g_autoptr(JsonNode) root = build_json (&job, project != NULL ? rf_project_get_path (project)
                                                                   : NULL, args.machine);
      g_autoptr(GString) out = g_string_new (NULL);

      _rf_cli_json_write (root, out);
      fwrite (out->str, 1, out->len, stdout);
    }
  else
    print_text (&job);
  if (fflush (stdout) != 0)
    status = RF_CLI_EXIT_FAILURE;
  return status;
}

int
rf_cli_train (int    argc,
              char **argv)
{
  return run (argc, argv, FALSE);
}

int
rf_cli_refine (int    argc,
               char **argv)
{
  return run (argc, argv, TRUE);
}

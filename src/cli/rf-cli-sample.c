#define G_LOG_DOMAIN "rf-cli-sample"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rf-cli-private.h"
#include "rf-cli-progress.h"
#include "rf-error.h"
#include "rf-model.h"
#include "rf-profile.h"
#include "rf-writer.h"

/* Version of the `sample --json` object (docs/cli-json.md). */
#define SAMPLE_SCHEMA_VERSION 1

typedef struct
{
  RfModel *model;
  const char *out_path;
  RfOutputFormat format;
  gsize n_rows;
  guint64 seed;
  guint n_threads;
  RfDecodeOptions decode;
  const char *profile_path;    /* NULL without --profile */
  guint n_clipped_columns;     /* columns the profile gives a range for */
  RfProgress *progress;
  /* results */
  RfTable *table;
  double sample_seconds;
  double write_seconds;
} SampleJob;

static gpointer
sample_job (gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  SampleJob *job = data;
  RfProgress sample_progress = rf_progress_range (job->progress, 0.0, 0.5);
  RfProgress write_progress = rf_progress_range (job->progress, 0.5, 1.0);
  gint64 start = g_get_monotonic_time ();
  gboolean ok;

  job->table = rf_model_sample (job->model, job->n_rows, job->seed, &job->decode, job->n_threads,
                                &sample_progress, cancellable, error);
  if (job->table == NULL)
    return NULL;
  job->sample_seconds = (g_get_monotonic_time () - start) / 1e6;

  start = g_get_monotonic_time ();
  ok = rf_write_file (job->table, job->out_path, job->format, NULL, &write_progress, cancellable, error);
  if (!ok)
    return NULL;
  job->write_seconds = (g_get_monotonic_time () - start) / 1e6;
  return job->table;
}

static JsonNode *
build_json (SampleJob  *job,
            const char *model_path,
            gboolean    clip)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n_columns = rf_table_get_n_columns (job->table);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_string_value (builder, "refinery-cli/sample");
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, SAMPLE_SCHEMA_VERSION);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model_path);
  json_builder_set_member_name (builder, "model_sha256");
  json_builder_add_string_value (builder, rf_model_get_sha256 (job->model));
  json_builder_set_member_name (builder, "out");
  json_builder_add_string_value (builder, job->out_path);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, rf_output_format_to_string (job->format));
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, (gint64) rf_table_get_n_rows (job->table));
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint c = 0; c < n_columns; c++)
    json_builder_add_string_value (builder, rf_table_get_column (job->table, c)->name);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, (gint64) job->seed);
  json_builder_set_member_name (builder, "threads");
  json_builder_add_int_value (builder, job->n_threads);
  json_builder_set_member_name (builder, "clip");
  json_builder_add_boolean_value (builder, clip);
  json_builder_set_member_name (builder, "temperature");
  json_builder_add_double_value (builder, job->decode.category_temperature);
  json_builder_set_member_name (builder, "profile");
  if (job->profile_path != NULL)
    json_builder_add_string_value (builder, job->profile_path);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "profile_columns");
  json_builder_add_int_value (builder, job->n_clipped_columns);
  json_builder_set_member_name (builder, "sample_seconds");
  json_builder_add_double_value (builder, job->sample_seconds);
  json_builder_set_member_name (builder, "rows_per_second");
  json_builder_add_double_value (builder, job->sample_seconds > 0
                                            ? (double) job->n_rows / job->sample_seconds : 0.0);
  json_builder_set_member_name (builder, "write_seconds");
  json_builder_add_double_value (builder, job->write_seconds);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Per-column limits from the profile's sensors of the same name, for
 * rf_transformer_decode; the count of columns that got one. */
static guint
profile_ranges (RfProfile           *profile,
                const RfTransformer *transformer,
                double              *range_min,
                double              *range_max)
{
  guint n = 0;

  for (guint c = 0; c < rf_transformer_get_n_columns (transformer); c++)
    {
      const RfSensor *sensor = rf_profile_find_sensor (profile, rf_transformer_get_column_name (transformer, c));

      range_min[c] = range_max[c] = NAN;
      if (sensor == NULL || (isnan (sensor->min) && isnan (sensor->max)))
        continue;
      /* A one-sided range is open on the other side. */
      range_min[c] = isnan (sensor->min) ? -INFINITY : sensor->min;
      range_max[c] = isnan (sensor->max) ? INFINITY : sensor->max;
      n++;
    }
  return n;
}

int
rf_cli_sample (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfCliProgress) bar = NULL;
  g_autoptr(RfModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *label = NULL;
  g_autofree char *out_dir = NULL;
  gint64 rows = -1;
  gint64 seed = 0;
  int threads = 0;
  gboolean no_clip = FALSE;
  gboolean json = FALSE;
  double temperature = RF_DEFAULT_CATEGORY_TEMPERATURE;
  g_autofree char *profile_path = NULL;
  g_autoptr(RfProfile) profile = NULL;
  g_autofree double *range_min = NULL;
  g_autofree double *range_max = NULL;
  SampleJob job = { 0 };
  int status = RF_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "rows", 'n', 0, G_OPTION_ARG_INT64, &rows,
      "Generate N rows (required)", "N" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      "Write the rows to FILE (required)", "FILE" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed,
      "Seed: the same model and seed give the same rows, whatever --threads (default: 0)", "S" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      "csv, tsv, json, jsonl, parquet or xlsx (default: from FILE's extension)", "FORMAT" },
    { "no-clip", 0, 0, G_OPTION_ARG_NONE, &no_clip,
      "Let values go beyond the range seen in training", NULL },
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile_path,
      "Also keep every column within the min and max of the machine profile's sensor of the same name",
      "FILE" },
    { "temperature", 0, 0, G_OPTION_ARG_DOUBLE, &temperature,
      "How modes and categories are drawn: from the network's softmax at this temperature, "
      "or its argmax at 0 as the reference TVAE does (default: 0.5)", "T" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads,
      "Threads to sample on (default: 0, one per core)", "T" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print one JSON object instead of text (see docs/cli-json.md)", NULL },
    { NULL }
  };

  context = g_option_context_new ("MODEL");
  g_option_context_set_summary (context,
                                "Generates rows from the model MODEL (a .safetensors file\n"
                                "that train or refine wrote), with the columns, types and\n"
                                "units of its training data, and writes them to FILE as\n"
                                "CSV, TSV, JSON, JSON Lines or Parquet (ZSTD).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!_rf_cli_parse_options (context, "sample", &argc, &argv))
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error ("sample", argc < 2 ? "the model file MODEL is missing"
                                                   : "give exactly one model file");
  if (rows < 0)
    return _rf_cli_usage_error ("sample", rows == -1 ? "--rows N is required"
                                                     : "--rows must be 0 or more");
  if (out == NULL)
    return _rf_cli_usage_error ("sample", "--out FILE is required");
  if (seed < 0)
    return _rf_cli_usage_error ("sample", "--seed must be 0 or more");
  if (threads < 0)
    return _rf_cli_usage_error ("sample", "--threads must be 0 (one per core) or more");
  if (!(temperature >= 0.0 && temperature <= 100.0))
    return _rf_cli_usage_error ("sample", "--temperature must be 0 (the likeliest mode or "
                                "category) to 100");
  if (format_name != NULL)
    {
      if (!rf_output_format_from_string (format_name, &job.format))
        return _rf_cli_usage_error ("sample", "--format “%s” is not one this command writes; "
                                    "use " RF_OUTPUT_FORMATS_TEXT, format_name);
    }
  else if (!rf_output_format_from_path (out, &job.format))
    return _rf_cli_usage_error ("sample", "cannot tell the format from the name “%s”; name it "
                                ".csv, .tsv, .json, .jsonl, .parquet or .xlsx, or give --format ("
                                RF_OUTPUT_FORMATS_TEXT ")", out);
  out_dir = g_path_get_dirname (out);
  if (!g_file_test (out_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (&error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "The folder %s of the output file does not exist; create it or choose "
                   "another --out", out_dir);
      return _rf_cli_fail (error);
    }

  model = rf_model_load (argv[1], &error);
  if (model == NULL)
    return _rf_cli_fail (error);
  if (profile_path != NULL)
    {
      RfTransformer *transformer = rf_model_get_transformer (model);
      guint n_columns = rf_transformer_get_n_columns (transformer);

      profile = rf_profile_load_file (profile_path, &error);
      if (profile == NULL)
        return _rf_cli_fail (error);
      range_min = g_new (double, n_columns);
      range_max = g_new (double, n_columns);
      job.n_clipped_columns = profile_ranges (profile, transformer, range_min, range_max);
      job.profile_path = profile_path;
    }

  label = g_strdup_printf ("Sampling %" G_GINT64_FORMAT " rows", rows);
  bar = rf_cli_progress_new (label);
  job.model = model;
  job.out_path = out;
  job.n_rows = (gsize) rows;
  job.seed = (guint64) seed;
  job.n_threads = threads > 0 ? (guint) threads : g_get_num_processors ();
  rf_decode_options_init (&job.decode);
  job.decode.clip_to_training_range = !no_clip;
  job.decode.category_temperature = temperature;
  job.decode.range_min = range_min;
  job.decode.range_max = range_max;
  job.progress = rf_cli_progress_get (bar);
  if (_rf_cli_run_job (sample_job, &job, &error) == NULL)
    {
      rf_cli_progress_finish (bar);
      g_clear_pointer (&job.table, rf_table_unref);
      return _rf_cli_fail (error);
    }
  rf_cli_progress_finish (bar);

  if (json)
    {
      g_autoptr(JsonNode) root = build_json (&job, argv[1], !no_clip);
      g_autoptr(GString) text = g_string_new (NULL);

      _rf_cli_json_write (root, text);
      fwrite (text->str, 1, text->len, stdout);
    }
  else
    g_print ("Sampled %" G_GSIZE_FORMAT " rows × %u columns in %.2f s (%.0f rows/s); wrote %s "
             "(%s) in %.2f s\n", job.n_rows, rf_table_get_n_columns (job.table),
             job.sample_seconds,
             job.sample_seconds > 0 ? (double) job.n_rows / job.sample_seconds : 0.0, out,
             rf_output_format_to_string (job.format), job.write_seconds);
  g_clear_pointer (&job.table, rf_table_unref);
  if (fflush (stdout) != 0)
    status = RF_CLI_EXIT_FAILURE;
  return status;
}

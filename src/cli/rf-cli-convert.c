#define G_LOG_DOMAIN "rf-cli-convert"

#include "config.h"

#include <stdio.h>

#include <glib/gstdio.h>

#include "rf-cli-private.h"
#include "rf-cli-progress.h"
#include "rf-error.h"
#include "rf-json-build.h"
#include "rf-parquet-codec.h"
#include "rf-reader.h"
#include "rf-writer.h"

/* Version of the `convert --json` object (docs/cli-json.md). */
#define CONVERT_SCHEMA_VERSION 1

typedef struct
{
  const char *in_path;
  const char *out_path;
  const RfReadOptions *read_options;
  RfOutputFormat format;
  RfParquetWriteOptions parquet;
  RfProgress *progress;
  /* results */
  RfReadReport *report;
  RfTable *table;
  double read_seconds;
  double write_seconds;
} ConvertJob;

static gpointer
convert_job (gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  ConvertJob *job = data;
  RfProgress read_progress = rf_progress_range (job->progress, 0.0, 0.5);
  RfProgress write_progress = rf_progress_range (job->progress, 0.5, 1.0);
  gint64 start = g_get_monotonic_time ();

  job->table = rf_read_file (job->in_path, job->read_options, &job->report, &read_progress,
                             cancellable, error);
  if (job->table == NULL)
    return NULL;
  job->read_seconds = (g_get_monotonic_time () - start) / 1e6;

  start = g_get_monotonic_time ();
  if (!rf_write_file (job->table, job->out_path, job->format, &job->parquet, &write_progress,
                      cancellable, error))
    return NULL;
  job->write_seconds = (g_get_monotonic_time () - start) / 1e6;
  return job->table;
}

static guint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

static JsonNode *
build_json (const ConvertJob *job)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean parquet = job->format == RF_OUTPUT_PARQUET;

  json_builder_begin_object (builder);
  rf_json_add_string (builder, "schema", "refinery-cli/convert");
  rf_json_add_int (builder, "schema_version", CONVERT_SCHEMA_VERSION);
  rf_json_add_string (builder, "in", job->in_path);
  rf_json_add_string (builder, "in_format", rf_format_to_string (job->report->format));
  rf_json_add_string (builder, "out", job->out_path);
  rf_json_add_string (builder, "format", rf_output_format_to_string (job->format));
  json_builder_set_member_name (builder, "codec");
  if (parquet)
    {
      g_autofree char *codec = g_ascii_strdown (rf_pq_codec_to_string (job->parquet.codec), -1);
      json_builder_add_string_value (builder, codec);
    }
  else
    json_builder_add_null_value (builder);
  rf_json_add_int (builder, "rows", (gint64) rf_table_get_n_rows (job->table));
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint c = 0; c < rf_table_get_n_columns (job->table); c++)
    {
      const RfColumn *column = rf_table_get_column (job->table, c);

      json_builder_begin_object (builder);
      rf_json_add_string (builder, "name", column->name);
      rf_json_add_string (builder, "type", rf_column_type_to_string (column->type));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  rf_json_add_int (builder, "bytes", (gint64) file_size (job->out_path));
  json_builder_set_member_name (builder, "read_seconds");
  json_builder_add_double_value (builder, job->read_seconds);
  json_builder_set_member_name (builder, "write_seconds");
  json_builder_add_double_value (builder, job->write_seconds);
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < job->report->warnings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (job->report->warnings, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
print_text (const ConvertJob *job)
{
  g_autofree char *size = g_format_size (file_size (job->out_path));
  g_autofree char *codec = NULL;

  if (job->format == RF_OUTPUT_PARQUET)
    codec = g_strdup_printf (", %s", rf_pq_codec_to_string (job->parquet.codec));
  printf ("Read %s: %" G_GSIZE_FORMAT " rows, %u columns (%s) in %.2f s\n",
          job->in_path, rf_table_get_n_rows (job->table), rf_table_get_n_columns (job->table),
          rf_format_to_string (job->report->format), job->read_seconds);
  for (guint i = 0; i < job->report->warnings->len; i++)
    printf ("  warning: %s\n", (const char *) g_ptr_array_index (job->report->warnings, i));
  printf ("Wrote %s: %s%s, %s in %.2f s\n", job->out_path,
          rf_output_format_to_string (job->format), codec != NULL ? codec : "", size,
          job->write_seconds);
}

int
rf_cli_convert (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfReadOptions) options = NULL;
  g_autoptr(RfCliProgress) bar = NULL;
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *codec_name = NULL;
  g_autofree char *label = NULL;
  g_autofree char *out_dir = NULL;
  RfCliReadArgs read_args = { 0 };
  gboolean json = FALSE;
  int level = 0;
  gint64 row_group_rows = 0;
  ConvertJob job = { 0 };
  int status = RF_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &format_name,
      "csv, tsv, json, jsonl, parquet or xlsx (default: from OUT's extension)", "FORMAT" },
    { "codec", 'c', 0, G_OPTION_ARG_STRING, &codec_name,
      "Parquet compression: zstd (default), snappy, gzip, lz4_raw, brotli or none", "CODEC" },
    { "level", 0, 0, G_OPTION_ARG_INT, &level,
      "Parquet compression level (default: the codec's own)", "N" },
    { "row-group-rows", 0, 0, G_OPTION_ARG_INT64, &row_group_rows,
      "Rows per Parquet row group (default: 131072)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print one JSON object instead of text (see docs/cli-json.md)", NULL },
    { NULL }
  };

  context = g_option_context_new ("IN OUT");
  g_option_context_set_summary (context,
                                "Reads the data file IN (CSV, TSV, JSON or Parquet; detected\n"
                                "as inspect does) and writes its table to OUT as CSV, TSV,\n"
                                "JSON, JSON Lines or Parquet. An existing OUT is replaced\n"
                                "only once the new file is complete.");
  g_option_context_add_main_entries (context, entries, NULL);
  _rf_cli_read_args_add (context, &read_args);
  if (!_rf_cli_parse_options (context, "convert", &argc, &argv))
    {
      _rf_cli_read_args_clear (&read_args);
      return RF_CLI_EXIT_USAGE;
    }
  options = _rf_cli_read_args_to_options (&read_args, "convert");
  _rf_cli_read_args_clear (&read_args);
  if (options == NULL)
    return RF_CLI_EXIT_USAGE;
  if (argc != 3)
    return _rf_cli_usage_error ("convert", argc < 3 ? "give the input file IN and the output file OUT"
                                                    : "give exactly one input and one output file");

  rf_parquet_write_options_init (&job.parquet);
  if (format_name != NULL)
    {
      if (!rf_output_format_from_string (format_name, &job.format))
        return _rf_cli_usage_error ("convert", "--to “%s” is not a format this command writes; use "
                                    RF_OUTPUT_FORMATS_TEXT, format_name);
    }
  else if (!rf_output_format_from_path (argv[2], &job.format))
    return _rf_cli_usage_error ("convert", "cannot tell the format from the name “%s”; name it "
                                ".csv, .tsv, .json, .jsonl, .parquet or .xlsx, or give --to", argv[2]);
  if (codec_name != NULL)
    {
      if (job.format != RF_OUTPUT_PARQUET)
        return _rf_cli_usage_error ("convert", "--codec applies to Parquet output only");
      if (!rf_pq_codec_from_string (codec_name, &job.parquet.codec))
        return _rf_cli_usage_error ("convert", "--codec “%s” is not one of zstd, snappy, gzip, "
                                    "lz4_raw, brotli or none", codec_name);
      if (!rf_pq_codec_is_supported (job.parquet.codec))
        return _rf_cli_usage_error ("convert", "this build of Refinery cannot write %s; use zstd, "
                                    "snappy, gzip or none", rf_pq_codec_to_string (job.parquet.codec));
    }
  if (level < 0 || level > 22)
    return _rf_cli_usage_error ("convert", "--level must be 0 (the codec's default) to 22");
  job.parquet.level = level;
  if (row_group_rows < 0)
    return _rf_cli_usage_error ("convert", "--row-group-rows must be 1 or more");
  job.parquet.row_group_rows = (gsize) row_group_rows;

  out_dir = g_path_get_dirname (argv[2]);
  if (!g_file_test (out_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (&error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "The folder %s of the output file does not exist; create it or choose "
                   "another OUT", out_dir);
      return _rf_cli_fail (error);
    }

  label = g_strdup_printf ("Converting %s", argv[1]);
  bar = rf_cli_progress_new (label);
  job.in_path = argv[1];
  job.out_path = argv[2];
  job.read_options = options;
  job.progress = rf_cli_progress_get (bar);
  table = _rf_cli_run_job (convert_job, &job, &error);
  rf_cli_progress_finish (bar);
  report = g_steal_pointer (&job.report);
  if (table == NULL)
    {
      /* The job owns what it read when it fails after reading. */
      g_clear_pointer (&job.table, rf_table_unref);
      return _rf_cli_fail (error);
    }
  job.report = report;

  if (json)
    {
      g_autoptr(JsonNode) root = build_json (&job);
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

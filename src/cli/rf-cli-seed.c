#define G_LOG_DOMAIN "rf-cli-seed"

#include "config.h"

#include <stdio.h>

#include "rf-cli-private.h"
#include "rf-cli-progress.h"
#include "rf-json-build.h"
#include "rf-seed.h"
#include "rf-writer.h"

typedef struct
{
  RfProfile *profile;
  gsize rows;
  guint64 seed;
  const char *out;
  RfOutputFormat format;
  RfProgress *progress;
} SeedJob;

static gpointer
seed_job (gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  SeedJob *job = data;
  g_autoptr(RfTable) table = rf_seed_generate (job->profile, job->rows, job->seed);
  RfProgress write = rf_progress_range (job->progress, 0.5, 1.0);

  if (!rf_write_file (table, job->out, job->format, NULL, &write, cancellable, error))
    return NULL;
  return g_steal_pointer (&table);
}

int
rf_cli_seed (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(RfProfile) profile = NULL;
  g_autoptr(RfCliProgress) bar = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *machine_id = NULL;
  g_autofree char *profile_path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *path = NULL;
  gint64 rows = RF_SEED_DEFAULT_ROWS, seed = 42;
  gboolean json = FALSE;
  SeedJob job = { 0 };
  GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_STRING, &machine_id, "With a project: the machine (required)", "ID" },
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile_path, "Without a project: the machine profile", "FILE" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Without a project: where to write (CSV, JSON, Parquet)", "FILE" },
    { "rows", 'n', 0, G_OPTION_ARG_INT64, &rows, "Rows to generate (default 10000)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 42)", "S" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary (docs/cli-json.md)", NULL },
    { NULL }
  };

  context = g_option_context_new ("[PROJECT]");
  g_option_context_set_summary (context,
                                "Generates physics-inspired seed data from a machine profile: run-to-failure\n"
                                "series where wear drives each sensor's drift and noise and a varying load\n"
                                "couples the sensors (docs/profile-format.md, \"physics\").\n"
                                "\n"
                                "  seed PROJECT --machine ID            write merged/ID/seed_data.parquet\n"
                                "  seed --profile FILE --out FILE       without a project");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!_rf_cli_parse_options (context, "seed", &argc, &argv))
    return RF_CLI_EXIT_USAGE;
  if (rows < 1 || rows > 10000000)
    return _rf_cli_usage_error ("seed", "--rows must be from 1 to 10000000");
  if (argc > 2)
    return _rf_cli_usage_error ("seed", "give at most one project folder");
  if (argc == 2)
    {
      g_autofree char *dir = NULL;

      if (machine_id == NULL)
        return _rf_cli_usage_error ("seed", "with a project, --machine ID is required");
      if (profile_path != NULL || out != NULL)
        return _rf_cli_usage_error ("seed", "with a project, drop --profile and --out: the machine's profile is "
                                            "used and merged/ID/seed_data.parquet written");
      if (!_rf_cli_open_machine (argv[1], machine_id, &project, &profile, &error))
        return _rf_cli_fail (error);
      dir = rf_project_get_machine_dir (project, "merged", machine_id, TRUE, &error);
      if (dir == NULL)
        return _rf_cli_fail (error);
      path = g_build_filename (dir, RF_SEED_DATA_FILE, NULL);
      job.format = RF_OUTPUT_PARQUET;
    }
  else
    {
      if (profile_path == NULL || out == NULL)
        return _rf_cli_usage_error ("seed", "give a project folder and --machine ID, or --profile FILE and --out FILE");
      if (!rf_output_format_from_path (out, &job.format))
        return _rf_cli_usage_error ("seed", "cannot tell the format of “%s” from its extension: use .csv, .tsv, "
                                            ".json, .jsonl, .parquet or .xlsx", out);
      profile = rf_profile_load_file (profile_path, &error);
      if (profile == NULL)
        return _rf_cli_fail (error);
      path = g_strdup (out);
    }

  bar = rf_cli_progress_new ("Generating seed data");
  job.profile = profile;
  job.rows = (gsize) rows;
  job.seed = (guint64) seed;
  job.out = path;
  job.progress = rf_cli_progress_get (bar);
  table = _rf_cli_run_job (seed_job, &job, &error);
  rf_cli_progress_finish (bar);
  if (table == NULL)
    return _rf_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      rf_json_add_string (builder, "schema", "refinery-cli/seed");
      rf_json_add_int (builder, "schema_version", 1);
      rf_json_add_string (builder, "machine_id", rf_profile_get_machine_id (profile));
      rf_json_add_string (builder, "out", path);
      rf_json_add_int (builder, "rows", (gint64) rf_table_get_n_rows (table));
      rf_json_add_int (builder, "columns", rf_table_get_n_columns (table));
      rf_json_add_int (builder, "units", rf_profile_get_seed_units (profile));
      rf_json_add_int (builder, "seed", seed);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      _rf_cli_print_json (root);
    }
  else
    g_print ("Wrote %s: %" G_GSIZE_FORMAT " rows × %u columns of seed data for “%s” (%u run-to-failure series, "
             "seed %" G_GINT64_FORMAT ")\n", path, rf_table_get_n_rows (table), rf_table_get_n_columns (table),
             rf_profile_get_machine_id (profile), MIN (rf_profile_get_seed_units (profile), (guint) rows), seed);
  return RF_CLI_EXIT_OK;
}

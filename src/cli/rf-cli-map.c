#define G_LOG_DOMAIN "rf-cli-map"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rf-cli-private.h"
#include "rf-cli-progress.h"
#include "rf-error.h"
#include "rf-ingest.h"
#include "rf-json-build.h"
#include "rf-mapping.h"
#include "rf-project.h"

typedef struct
{
  const char *path;           /* a data file, or NULL: the project's newest upload */
  const RfReadOptions *options;
  RfProject *project;
  const char *machine_id;
  RfProgress *progress;
  char *source;               /* out: the base name of what was read */
} ReadJob;

static gpointer
read_job (gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  ReadJob *job = data;
  g_autoptr(RfUpload) upload = NULL;
  RfTable *table;

  if (job->path != NULL)
    {
      job->source = g_path_get_basename (job->path);
      return rf_read_file (job->path, job->options, NULL, job->progress, cancellable, error);
    }
  table = rf_ingest_read_latest (job->project, job->machine_id, &upload, job->progress, cancellable, error);
  if (table != NULL)
    job->source = g_strdup (upload->stored_name);
  return table;
}

static RfTable *
read_table (ReadJob  *job,
            GError  **error)
{
  g_autoptr(RfCliProgress) bar = NULL;
  g_autofree char *label = NULL;
  RfTable *table;

  label = g_strdup_printf ("Reading %s", job->path != NULL ? job->path : "the newest upload");
  bar = rf_cli_progress_new (label);
  job->progress = rf_cli_progress_get (bar);
  table = _rf_cli_run_job (read_job, job, error);
  rf_cli_progress_finish (bar);
  return table;
}

/* "COLUMN=SENSOR" → column and sensor (NULL for "COLUMN="). The column is
 * split at the last '=' so names holding '=' work. */
static gboolean
split_assignment (const char  *text,
                  char       **column,
                  char       **sensor)
{
  const char *eq = strrchr (text, '=');

  if (eq == NULL || eq == text)
    return FALSE;
  *column = g_strndup (text, (gsize) (eq - text));
  *sensor = eq[1] != '\0' ? g_strdup (eq + 1) : NULL;
  return TRUE;
}

static void
print_json (RfMapping  *mapping,
            RfProfile  *profile,
            const char *mapping_file)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) unmapped = rf_mapping_get_unmapped_required (mapping, profile);
  g_autoptr(GString) out = g_string_new (NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mappings");
  json_builder_begin_object (builder);
  for (guint i = 0; i < rf_mapping_get_n_columns (mapping); i++)
    {
      const RfColumnMapping *m = rf_mapping_get_column (mapping, i);

      json_builder_set_member_name (builder, m->column);
      json_builder_begin_object (builder);
      rf_json_add_string (builder, "sensor", m->sensor);
      rf_json_add_int (builder, "score", m->score);
      rf_json_add_string (builder, "unit_from", m->unit_from);
      rf_json_add_string (builder, "unit_to", m->unit_to);
      rf_json_add_bool (builder, "user_set", m->user_set);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "unmapped_required");
  json_builder_begin_array (builder);
  for (guint i = 0; unmapped[i] != NULL; i++)
    json_builder_add_string_value (builder, unmapped[i]);
  json_builder_end_array (builder);
  rf_json_add_string (builder, "machine_id", rf_profile_get_machine_id (profile));
  rf_json_add_string (builder, "source", rf_mapping_get_source (mapping));
  rf_json_add_int (builder, "threshold", rf_mapping_get_threshold (mapping));
  rf_json_add_string (builder, "mapping_file", mapping_file);
  rf_json_add_string (builder, "schema", "refinery-cli/map");
  rf_json_add_int (builder, "schema_version", 1);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  _rf_cli_json_write (root, out);
  fputs (out->str, stdout);
}

static void
print_table (RfMapping  *mapping,
             RfProfile  *profile,
             const char *mapping_file)
{
  g_auto(GStrv) unmapped = rf_mapping_get_unmapped_required (mapping, profile);
  int width = 6;

  for (guint i = 0; i < rf_mapping_get_n_columns (mapping); i++)
    width = MAX (width, (int) g_utf8_strlen (rf_mapping_get_column (mapping, i)->column, -1));
  g_print ("%-*s  %-5s  %s\n", width, "column", "score", "sensor");
  for (guint i = 0; i < rf_mapping_get_n_columns (mapping); i++)
    {
      const RfColumnMapping *m = rf_mapping_get_column (mapping, i);
      /* pad by characters, not bytes: names hold °, µ, ³ */
      int pad = width - (int) g_utf8_strlen (m->column, -1);

      g_print ("%s%*s  %5d  %s", m->column, pad, "", m->score, m->sensor != NULL ? m->sensor : "(unmapped)");
      if (m->sensor != NULL && m->unit_from != NULL && m->unit_to != NULL && strcmp (m->unit_from, m->unit_to) != 0)
        g_print ("  [%s → %s]", m->unit_from, m->unit_to);
      if (m->user_set)
        g_print ("  (your choice)");
      g_print ("\n");
    }
  if (unmapped[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", unmapped);
      g_print ("Required sensors without a column: %s\n", list);
    }
  else
    g_print ("Every required sensor has a column.\n");
  if (mapping_file != NULL)
    g_print ("Saved %s\n", mapping_file);
}

int
rf_cli_map (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfReadOptions) options = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(RfProfile) profile = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(RfMapping) mapping = NULL;
  g_autoptr(RfMapping) previous = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *machine_id = NULL;
  g_autofree char *profile_path = NULL;
  g_autofree char *mapping_file = NULL;
  g_auto(GStrv) sets = NULL;
  g_auto(GStrv) unsets = NULL;
  gboolean fresh = FALSE, json = FALSE;
  int threshold = -1;
  RfCliReadArgs read_args = { 0 };
  ReadJob job = { 0 };
  GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_STRING, &machine_id,
      "With a project: the machine whose data to map (required)", "ID" },
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile_path,
      "With a data file: the machine profile to map onto (required)", "PROFILE" },
    { "suggest", 0, 0, G_OPTION_ARG_NONE, &fresh,
      "With a project: suggest afresh, forgetting earlier choices", NULL },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Map COLUMN to SENSOR (repeatable); COLUMN= leaves it unmapped", "COLUMN=SENSOR" },
    { "unset", 0, 0, G_OPTION_ARG_STRING_ARRAY, &unsets,
      "Leave COLUMN unmapped (repeatable)", "COLUMN" },
    { "threshold", 't', 0, G_OPTION_ARG_INT, &threshold,
      "Lowest score (0-100) a suggestion needs (default 60)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the mapping as JSON (docs/cli-json.md)", NULL },
    { NULL }
  };

  context = g_option_context_new ("FILE|PROJECT");
  g_option_context_set_summary (context,
                                "Suggests which column of the data is which sensor of the\n"
                                "machine profile, with a score from 0 to 100.\n"
                                "\n"
                                "  map FILE --profile PROFILE       suggest, print, write nothing\n"
                                "  map PROJECT --machine ID         map the machine's newest upload\n"
                                "                                   and save processed/ID/mapping.json\n"
                                "\n"
                                "In a project, earlier choices (--set, --unset) are kept until\n"
                                "--suggest starts afresh.");
  g_option_context_add_main_entries (context, entries, NULL);
  _rf_cli_read_args_add (context, &read_args);
  if (!_rf_cli_parse_options (context, "map", &argc, &argv))
    {
      _rf_cli_read_args_clear (&read_args);
      return RF_CLI_EXIT_USAGE;
    }
  options = _rf_cli_read_args_to_options (&read_args, "map");
  _rf_cli_read_args_clear (&read_args);
  if (options == NULL)
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error ("map", argc < 2 ? "give a data file or a project folder"
                                                : "give one data file or project folder");
  if (threshold > 100 || (threshold < 0 && threshold != -1))
    return _rf_cli_usage_error ("map", "--threshold must be from 0 to 100");

  if (rf_project_is_project_dir (argv[1]))
    {
      const RfMachine *machine;
      g_autofree char *dir = NULL;

      if (machine_id == NULL)
        return _rf_cli_usage_error ("map", "with a project, --machine ID is required");
      if (profile_path != NULL)
        return _rf_cli_usage_error ("map", "with a project the machine's own profile is used: drop --profile");
      project = rf_project_open (argv[1], &error);
      if (project == NULL)
        return _rf_cli_fail (error);
      machine = rf_project_find_machine (project, machine_id);
      if (machine == NULL)
        {
          g_autofree char *known = rf_project_list_machine_ids (project);
          g_set_error (&error, RF_ERROR, RF_ERROR_NOT_FOUND,
                       "The project has no machine “%s” (known machines: %s).", machine_id, known);
          return _rf_cli_fail (error);
        }
      profile = rf_profile_load_file (machine->profile_path, &error);
      if (profile == NULL)
        return _rf_cli_fail (error);
      dir = rf_project_get_machine_dir (project, "processed", machine_id, FALSE, &error);
      if (dir == NULL)
        return _rf_cli_fail (error);
      mapping_file = g_build_filename (dir, RF_MAPPING_FILE, NULL);
      job.project = project;
      job.machine_id = machine_id;
    }
  else
    {
      if (profile_path == NULL)
        return _rf_cli_usage_error ("map", "with a data file, --profile PROFILE is required "
                                           "(or give a project folder and --machine ID)");
      if (machine_id != NULL || fresh)
        return _rf_cli_usage_error ("map", "--machine and --suggest need a project folder");
      profile = rf_profile_load_file (profile_path, &error);
      if (profile == NULL)
        return _rf_cli_fail (error);
      job.path = argv[1];
      job.options = options;
    }

  table = read_table (&job, &error);
  if (table == NULL)
    {
      g_free (job.source);
      return _rf_cli_fail (error);
    }
  mapping = rf_mapping_suggest (table, profile, threshold);
  rf_mapping_set_source (mapping, job.source);
  g_free (job.source);

  /* earlier choices in the project survive a new suggestion */
  if (mapping_file != NULL && !fresh && g_file_test (mapping_file, G_FILE_TEST_EXISTS))
    {
      previous = rf_mapping_load_file (mapping_file, &error);
      if (previous == NULL)
        return _rf_cli_fail (error);
      rf_mapping_keep_user_choices (mapping, profile, previous);
    }

  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      g_autofree char *column = NULL;
      g_autofree char *sensor = NULL;

      if (!split_assignment (sets[i], &column, &sensor))
        return _rf_cli_usage_error ("map", "--set wants COLUMN=SENSOR, not “%s”", sets[i]);
      if (!rf_mapping_set_column (mapping, profile, column, sensor, &error))
        return _rf_cli_fail (error);
    }
  for (guint i = 0; unsets != NULL && unsets[i] != NULL; i++)
    if (!rf_mapping_set_column (mapping, profile, unsets[i], NULL, &error))
      return _rf_cli_fail (error);

  if (mapping_file != NULL)
    {
      g_autofree char *dir = rf_project_get_machine_dir (project, "processed", machine_id, TRUE, &error);
      if (dir == NULL || !rf_mapping_save_file (mapping, profile, mapping_file, &error))
        return _rf_cli_fail (error);
    }

  if (json)
    print_json (mapping, profile, mapping_file);
  else
    print_table (mapping, profile, mapping_file);
  return RF_CLI_EXIT_OK;
}

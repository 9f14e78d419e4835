#define G_LOG_DOMAIN "rf-cli-use-model"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rf-cli-private.h"
#include "rf-comparison.h"
#include "rf-error.h"
#include "rf-json-build.h"

/* The model the comparison report recommends, or NULL with an error that
 * says why none is (no report, or a recommendation to keep the model). */
static char *
recommended_model (RfProject   *project,
                   const char  *machine_id,
                   char       **reason,
                   GError     **error)
{
  g_autofree char *path = rf_comparison_report_path (project, machine_id);
  g_autoptr(RfRecommendation) recommendation = rf_recommendation_load (path, error);

  if (recommendation == NULL)
    return NULL;
  if (recommendation->model == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "The comparison report recommends no model change: %s", recommendation->text);
      return NULL;
    }
  *reason = g_strdup (recommendation->text);
  return g_build_filename (rf_project_get_path (project), recommendation->model, NULL);
}

static void
print_list (RfProject  *project,
            const char *machine_id)
{
  const RfMachine *machine = rf_project_find_machine (project, machine_id);
  g_auto(GStrv) models = rf_project_list_models (project, machine_id);
  g_autofree char *current = rf_project_get_current_model (project, machine_id, NULL);
  const RfModelChoice *history;
  guint n;

  if (models[0] == NULL)
    g_print ("The machine “%s” has no model yet.\n", machine_id);
  for (guint i = 0; models[i] != NULL; i++)
    {
      g_autofree char *name = g_path_get_basename (models[i]);
      const char *mark = g_strcmp0 (models[i], current) != 0 ? "  "
                         : machine->default_model != NULL ? "* " : "> ";
      g_print ("%s%s\n", mark, name);
    }
  if (current != NULL)
    g_print ("%s\n", machine->default_model != NULL ? "* the machine's default model (use-model)"
                                                    : "> the newest model, used while none is chosen");
  history = rf_project_get_model_history (project, machine_id, &n);
  if (n > 0)
    g_print ("Earlier defaults:\n");
  for (guint i = 0; i < n; i++)
    g_print ("  %s (from %s until %s)\n", history[i].model, history[i].chosen != NULL ? history[i].chosen : "?",
             history[i].replaced != NULL ? history[i].replaced : "?");
}

static JsonNode *
summary_json (RfProject  *project,
              const char *machine_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(GStrv) models = rf_project_list_models (project, machine_id);
  g_autofree char *current = rf_project_get_current_model (project, machine_id, NULL);
  const RfMachine *machine = rf_project_find_machine (project, machine_id);
  const RfModelChoice *history;
  guint n;

  json_builder_begin_object (b);
  rf_json_add_string (b, "schema", "refinery-cli/use-model");
  rf_json_add_int (b, "schema_version", 1);
  rf_json_add_string (b, "machine_id", machine_id);
  json_builder_set_member_name (b, "default_model");
  machine->default_model != NULL ? json_builder_add_string_value (b, machine->default_model)
                                 : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "current_model");
  current != NULL ? json_builder_add_string_value (b, current) : json_builder_add_null_value (b);
  json_builder_set_member_name (b, "models");
  json_builder_begin_array (b);
  for (guint i = 0; models[i] != NULL; i++)
    json_builder_add_string_value (b, models[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "history");
  json_builder_begin_array (b);
  history = rf_project_get_model_history (project, machine_id, &n);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (b);
      rf_json_add_string (b, "model", history[i].model);
      json_builder_set_member_name (b, "chosen");
      history[i].chosen != NULL ? json_builder_add_string_value (b, history[i].chosen) : json_builder_add_null_value (b);
      json_builder_set_member_name (b, "replaced");
      history[i].replaced != NULL ? json_builder_add_string_value (b, history[i].replaced)
                                  : json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

int
rf_cli_use_model (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *machine_id = NULL, *model_path = NULL, *reason = NULL;
  gboolean list = FALSE, recommended = FALSE, json = FALSE;
  GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_STRING, &machine_id, "The machine (required)", "ID" },
    { "list", 'l', 0, G_OPTION_ARG_NONE, &list, "List the machine's models and earlier defaults", NULL },
    { "recommended", 'r', 0, G_OPTION_ARG_NONE, &recommended,
      "Use the model that reports/ID_comparison.json recommends (\"use refined model\")", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary (docs/cli-json.md)", NULL },
    { NULL }
  };

  context = g_option_context_new ("PROJECT [MODEL]");
  g_option_context_set_summary (context,
                                "Chooses the model a machine's later steps (augment, compare, report) use. The\n"
                                "previous default stays in the machine's model history in project.json.\n"
                                "\n"
                                "  use-model PROJECT --machine ID MODEL          a file of models/ID/, by name or path\n"
                                "  use-model PROJECT --machine ID --recommended  the comparison's recommendation\n"
                                "  use-model PROJECT --machine ID --list         the models and earlier defaults");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!_rf_cli_parse_options (context, "use-model", &argc, &argv))
    return RF_CLI_EXIT_USAGE;
  if (argc < 2 || argc > 3)
    return _rf_cli_usage_error ("use-model", "give a project folder and at most one model");
  if (machine_id == NULL)
    return _rf_cli_usage_error ("use-model", "--machine ID is required");
  if ((argc == 3) + recommended + list != 1)
    return _rf_cli_usage_error ("use-model", "give one of: a MODEL, --recommended or --list");
  if (!_rf_cli_open_machine (argv[1], machine_id, &project, NULL, &error))
    return _rf_cli_fail (error);

  if (!list)
    {
      if (recommended)
        model_path = recommended_model (project, machine_id, &reason, &error);
      else
        {
          model_path = _rf_cli_resolve_model (project, machine_id, argv[2], &error);
          reason = g_strdup ("chosen by hand");
        }
      if (model_path == NULL ||
          !rf_project_set_default_model (project, machine_id, model_path, reason, &error))
        return _rf_cli_fail (error);
    }

  if (json)
    {
      g_autoptr(JsonNode) root = summary_json (project, machine_id);
      _rf_cli_print_json (root);
    }
  else if (list)
    print_list (project, machine_id);
  else
    {
      g_autofree char *name = g_path_get_basename (model_path);
      g_print ("The machine “%s” now uses %s (%s)\n", machine_id, name, reason);
    }
  return RF_CLI_EXIT_OK;
}

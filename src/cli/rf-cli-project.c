#define G_LOG_DOMAIN "rf-cli-project"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rf-cli-private.h"
#include "rf-json-build.h"
#include "rf-project.h"

/* "project" and "machine" group subcommands; without one (or with --help)
 * they list them. */
static int
group_usage (const char *group,
             const char *subcommands,
             int         argc,
             char      **argv)
{
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      g_print ("Usage:\n  %s %s SUBCOMMAND …\n\nSubcommands:\n%s\n"
               "Run “%s %s SUBCOMMAND --help” for the options of a subcommand.\n",
               RF_CLI_NAME, group, subcommands, RF_CLI_NAME, group);
      return RF_CLI_EXIT_OK;
    }
  if (argc < 2)
    return _rf_cli_usage_error (group, "“%s” needs a subcommand", group);
  return _rf_cli_usage_error (group, "unknown subcommand “%s %s”", group, argv[1]);
}

static int
project_init (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  const char * const *steps;
  GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      "The project's name (default: the folder's name)", "NAME" },
    { NULL }
  };

  context = g_option_context_new ("DIR");
  g_option_context_set_summary (context,
                                "Creates DIR as a new Refinery project: project.json\n"
                                "and the folders profiles/ raw/ processed/ merged/\n"
                                "models/ augmented/ reports/. DIR must not exist or\n"
                                "be empty.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!_rf_cli_parse_options (context, "project init", &argc, &argv))
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error ("project init", argc < 2 ? "the project folder DIR is missing"
                                                         : "give exactly one project folder");

  project = rf_project_init (argv[1], name, &error);
  if (project == NULL)
    return _rf_cli_fail (error);

  g_print ("Created the project “%s” in %s\n", rf_project_get_name (project),
           rf_project_get_path (project));
  g_print ("Folders:");
  steps = rf_project_get_step_dirs ();
  for (guint i = 0; steps[i] != NULL; i++)
    g_print (" %s/", steps[i]);
  g_print ("\nNext: %s machine add %s --profile PROFILE.json\n", RF_CLI_NAME, argv[1]);
  return RF_CLI_EXIT_OK;
}

int
rf_cli_project (int    argc,
                char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "init") == 0)
    return project_init (argc - 1, argv + 1);
  return group_usage ("project",
                      "  init DIR        create a project folder\n",
                      argc, argv);
}

static int
machine_add (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *id = NULL;
  const RfMachine *machine;
  GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile,
      "The machine profile (JSON) to add (required)", "FILE" },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id,
      "The machine's id in the project (default: the profile's machine_id)", "ID" },
    { NULL }
  };

  context = g_option_context_new ("PROJECT");
  g_option_context_set_summary (context,
                                "Adds a machine to the project PROJECT: copies its profile into\n"
                                "profiles/<id>.json and lists it in project.json.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!_rf_cli_parse_options (context, "machine add", &argc, &argv))
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error ("machine add", argc < 2 ? "the project folder PROJECT is missing"
                                                        : "give exactly one project folder");
  if (profile == NULL)
    return _rf_cli_usage_error ("machine add", "--profile FILE is required");

  project = rf_project_open (argv[1], &error);
  if (project == NULL)
    return _rf_cli_fail (error);
  machine = rf_project_add_machine (project, profile, id, &error);
  if (machine == NULL)
    return _rf_cli_fail (error);

  g_print ("Added the machine “%s”%s%s%s to the project “%s”\n", machine->id,
           machine->name != NULL ? " (" : "", machine->name != NULL ? machine->name : "",
           machine->name != NULL ? ")" : "", rf_project_get_name (project));
  g_print ("Profile: %s\n", machine->profile_path);
  g_print ("Next: %s ingest %s --machine %s DATA_FILE\n", RF_CLI_NAME, argv[1], machine->id);
  return RF_CLI_EXIT_OK;
}

static int
machine_list (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  guint n;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print a JSON object (see docs/cli-json.md)", NULL },
    { NULL }
  };

  context = g_option_context_new ("PROJECT");
  g_option_context_set_summary (context, "Lists the machines of the project PROJECT.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!_rf_cli_parse_options (context, "machine list", &argc, &argv))
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error ("machine list", argc < 2 ? "the project folder PROJECT is missing"
                                                         : "give exactly one project folder");

  project = rf_project_open (argv[1], &error);
  if (project == NULL)
    return _rf_cli_fail (error);
  n = rf_project_get_n_machines (project);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GString) out = g_string_new (NULL);

      json_builder_begin_object (builder);
      rf_json_add_string (builder, "project", rf_project_get_name (project));
      rf_json_add_string (builder, "path", rf_project_get_path (project));
      json_builder_set_member_name (builder, "machines");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          const RfMachine *machine = rf_project_get_machine (project, i);

          json_builder_begin_object (builder);
          rf_json_add_string (builder, "id", machine->id);
          rf_json_add_string (builder, "name", machine->name);
          rf_json_add_string (builder, "machine_type", machine->type);
          rf_json_add_string (builder, "profile", machine->profile_path);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      _rf_cli_json_write (root, out);
      fputs (out->str, stdout);
      return RF_CLI_EXIT_OK;
    }

  if (n == 0)
    {
      g_print ("The project “%s” has no machines yet; add one with “%s machine add”.\n",
               rf_project_get_name (project), RF_CLI_NAME);
      return RF_CLI_EXIT_OK;
    }
  for (guint i = 0; i < n; i++)
    {
      const RfMachine *machine = rf_project_get_machine (project, i);

      g_print ("%s\t%s\t%s\n", machine->id,
               machine->name != NULL ? machine->name : "-",
               machine->type != NULL ? machine->type : "-");
    }
  return RF_CLI_EXIT_OK;
}

int
rf_cli_machine (int    argc,
                char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "add") == 0)
    return machine_add (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "list") == 0)
    return machine_list (argc - 1, argv + 1);
  return group_usage ("machine",
                      "  add PROJECT --profile FILE [--id ID]   add a machine from its profile\n"
                      "  list PROJECT [--json]                   list the machines of a project\n",
                      argc, argv);
}

#define G_LOG_DOMAIN "refinery-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "rf-cli-private.h"

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *synopsis;
} Command;

static const Command commands[] = {
  { "inspect", rf_cli_inspect, "inspect FILE              read a data file and describe it" },
  { "project", rf_cli_project, "project init DIR          create a project folder" },
  { "machine", rf_cli_machine, "machine add PROJECT --profile FILE [--id ID]\n"
                               "                            add a machine from its profile\n"
                               "  machine list PROJECT      list the machines of a project" },
  { "ingest", rf_cli_ingest,   "ingest PROJECT --machine ID FILE\n"
                               "                            copy a raw data file into a project" },
  { "validate", rf_cli_validate, "validate FILE|PROJECT     check data: missing values, duplicates, outliers, time\n"
                               "                            (PROJECT --machine ID saves validation_report.json)" },
  { "map", rf_cli_map,         "map FILE --profile PROFILE suggest which column is which sensor\n"
                               "  map PROJECT --machine ID  map a machine's data, save mapping.json" },
  { "clean", rf_cli_clean,     "clean PROJECT --machine ID  record a cleaning plan and write cleaned_data.parquet\n"
                               "  clean FILE --out FILE     clean a data file with a plan" },
  { "transform", rf_cli_transform, "transform PROJECT --machine ID\n"
                               "                            rename, convert units, sort, RUL; cleaned_data.parquet" },
  { "seed", rf_cli_seed,       "seed PROJECT --machine ID  generate seed data from the machine's profile" },
  { "merge", rf_cli_merge,     "merge PROJECT --machine ID --strategy replace|merge|real-only\n"
                               "                            combine real and seed data for training" },
  { "train", rf_cli_train,     "train FILE --out MODEL    train a TVAE model on a data file\n"
                               "  train PROJECT --machine ID\n"
                               "                            train on a machine's data in a project" },
  { "refine", rf_cli_refine,   "refine FILE|PROJECT --base MODEL\n"
                               "                            refine a model on new data" },
  { "sample", rf_cli_sample,   "sample MODEL --rows N --out FILE\n"
                               "                            generate synthetic rows from a model" },
  { "augment", rf_cli_augment, "augment PROJECT --machine ID\n"
                               "                            sample train/val/test sets and check them" },
  { "compare", rf_cli_compare, "compare PROJECT --machine ID\n"
                               "                            compare real and synthetic data, recommend a model" },
  { "report", rf_cli_report,   "report PROJECT --machine ID [--pdf] [--xlsx] [--png]\n"
                               "                            write the comparison report (PDF, Excel, charts)" },
  { "run", rf_cli_run,         "run PROJECT --machine ID FILE\n"
                               "                            the whole workflow for one machine, from a data file" },
  { "use-model", rf_cli_use_model, "use-model PROJECT --machine ID MODEL|--recommended|--list\n"
                               "                            choose the model a machine uses" },
  { "convert", rf_cli_convert, "convert IN OUT            convert a data file (CSV, JSON, Parquet)" },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream,
           "Usage:\n"
           "  " RF_CLI_NAME " [--version] [--help] COMMAND [ARGUMENTS…]\n"
           "\n"
           "Turn real sensor data into synthetic training sets: the command-line twin\n"
           "of the Refinery application.\n"
           "\n"
           "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %s\n", commands[i].synopsis);
  fprintf (stream,
           "  help [COMMAND]            show this help, or the help of a command\n"
           "\n"
           "Options:\n"
           "  -h, --help                show this help\n"
           "  --version                 print the version\n"
           "\n"
           "Run “" RF_CLI_NAME " COMMAND --help” for the options of a command.\n"
           "Exit status: 0 success, 1 failure, 2 bad or missing arguments.\n");
}

static const Command *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static int
run_help (int    argc,
          char **argv)
{
  const Command *command;
  char *help_argv[4];

  if (argc < 2)
    {
      print_usage (stdout);
      return RF_CLI_EXIT_OK;
    }
  command = find_command (argv[1]);
  if (command == NULL)
    return _rf_cli_usage_error (NULL, "unknown command “%s”", argv[1]);

  /* "help machine add" → "machine add --help". */
  help_argv[0] = argv[1];
  if (argc >= 3)
    {
      help_argv[1] = argv[2];
      help_argv[2] = (char *) "--help";
      help_argv[3] = NULL;
      return command->run (3, help_argv);
    }
  help_argv[1] = (char *) "--help";
  help_argv[2] = NULL;
  return command->run (2, help_argv);
}

int
main (int    argc,
      char **argv)
{
  const Command *command;

  /* The user's language and character set, but numbers always with '.':
   * data files and JSON output must not change with the locale. */
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");

  if (argc < 2)
    {
      print_usage (stderr);
      return RF_CLI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_usage (stdout);
      return RF_CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("%s %s\n", RF_CLI_NAME, PACKAGE_VERSION);
      return RF_CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "help") == 0)
    return run_help (argc - 1, argv + 1);
  if (argv[1][0] == '-')
    return _rf_cli_usage_error (NULL, "unknown option “%s”", argv[1]);

  command = find_command (argv[1]);
  if (command == NULL)
    return _rf_cli_usage_error (NULL, "unknown command “%s”", argv[1]);
  return command->run (argc - 1, argv + 1);
}

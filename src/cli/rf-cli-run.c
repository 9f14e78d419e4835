#define G_LOG_DOMAIN "rf-cli-run"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rf-cli-private.h"
#include "rf-error.h"
#include "rf-seed.h"

/* The whole pipeline for one machine, each step the very command a user
 * would type, so that run does nothing the steps alone would not. */

typedef struct
{
  const char *title;
  int       (*command) (int argc, char **argv);
  GPtrArray  *argv;
} Step;

static void
step_add (GPtrArray  *steps,
          const char *title,
          int       (*command) (int, char **),
          const char *first,
          ...) G_GNUC_NULL_TERMINATED;

static void
step_add (GPtrArray  *steps,
          const char *title,
          int       (*command) (int, char **),
          const char *first,
          ...)
{
  Step *step = g_new0 (Step, 1);
  va_list args;

  step->title = title;
  step->command = command;
  step->argv = g_ptr_array_new_with_free_func (g_free);
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (step->argv, g_strdup (a));
  va_end (args);
  g_ptr_array_add (steps, step);
}

static void
step_free (Step *step)
{
  g_ptr_array_unref (step->argv);
  g_free (step);
}

/* The machine's unit id column, from its profile: left out of training
 * (augment makes new unit ids). NULL when it has none. */
static const char *
unit_id_column (RfProfile *profile)
{
  for (guint i = 0; i < rf_profile_get_n_sensors (profile); i++)
    {
      const RfSensor *sensor = rf_profile_get_sensor (profile, i);

      if (sensor->role == RF_ROLE_UNIT_ID)
        return sensor->name;
    }
  return NULL;
}

int
rf_cli_run (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(RfProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  g_autofree char *machine_id = NULL, *profile_path = NULL, *strategy = NULL, *exclude = NULL;
  g_autofree char *current = NULL, *epochs_text = NULL, *seed_text = NULL, *rows_text = NULL;
  g_autofree char *merged_dir = NULL, *seed_path = NULL, *training_exclude = NULL;
  gint64 epochs = 0, seed = 0, rows = 50000;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_STRING, &machine_id, "The machine (required)", "ID" },
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile_path,
      "Add the machine from this profile first, when the project does not have it", "FILE" },
    { "strategy", 0, 0, G_OPTION_ARG_STRING, &strategy,
      "How to combine real and seed data: merge, replace or real-only (default: merge when the machine has "
      "seed data, else real-only)", "S" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Let --strategy replace use fewer than 5,000 real rows", NULL },
    { "epochs", 'e', 0, G_OPTION_ARG_INT64, &epochs,
      "Epochs (default: 300 to train, up to 100 to refine)", "N" },
    { "exclude", 'x', 0, G_OPTION_ARG_STRING, &exclude,
      "Columns to leave out of training, besides the unit id (COL,COL…)", "COLS" },
    { "rows", 'n', 0, G_OPTION_ARG_INT64, &rows, "Augmented rows (default 50000)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Seed of every random choice (default 0)", "S" },
    { NULL }
  };

  context = g_option_context_new ("PROJECT FILE");
  g_option_context_set_summary (context,
                                "Runs the whole workflow for one machine on a data file, each step as its own\n"
                                "command would: ingest, validate, map (suggestions), clean (suggested plan),\n"
                                "merge, train (or refine the machine's current model), augment, compare and\n"
                                "report. Stops at the first step that fails, saying which.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!_rf_cli_parse_options (context, "run", &argc, &argv))
    return RF_CLI_EXIT_USAGE;
  if (argc != 3)
    return _rf_cli_usage_error ("run", "give a project folder and a data file");
  if (machine_id == NULL)
    return _rf_cli_usage_error ("run", "--machine ID is required");
  if (strategy != NULL && strcmp (strategy, "merge") != 0 && strcmp (strategy, "replace") != 0 &&
      strcmp (strategy, "real-only") != 0)
    return _rf_cli_usage_error ("run", "--strategy is merge, replace or real-only");
  if (epochs < 0 || rows < 3)
    return _rf_cli_usage_error ("run", "--epochs and --rows must be positive");

  project = rf_project_open (argv[1], &error);
  if (project == NULL)
    return _rf_cli_fail (error);
  if (rf_project_find_machine (project, machine_id) == NULL)
    {
      if (profile_path == NULL)
        {
          g_autofree char *known = rf_project_list_machine_ids (project);
          return _rf_cli_usage_error ("run", "the project has no machine “%s” (known: %s); give --profile FILE "
                                             "to add it", machine_id, known);
        }
      step_add (steps, "Adding the machine", rf_cli_machine, "machine", "add", argv[1], "--profile", profile_path,
                "--id", machine_id, NULL);
      profile = rf_profile_load_file (profile_path, &error);
    }
  else
    profile = rf_profile_load_file (rf_project_find_machine (project, machine_id)->profile_path, &error);
  if (profile == NULL)
    return _rf_cli_fail (error);

  merged_dir = rf_project_get_machine_dir (project, "merged", machine_id, FALSE, NULL);
  seed_path = g_build_filename (merged_dir, RF_SEED_DATA_FILE, NULL);
  if (strategy == NULL)
    strategy = g_strdup (g_file_test (seed_path, G_FILE_TEST_IS_REGULAR) ? "merge" : "real-only");
  current = rf_project_get_current_model (project, machine_id, NULL);
  epochs_text = g_strdup_printf ("%" G_GINT64_FORMAT, epochs);
  seed_text = g_strdup_printf ("%" G_GINT64_FORMAT, seed);
  rows_text = g_strdup_printf ("%" G_GINT64_FORMAT, rows);
  {
    const char *unit = unit_id_column (profile);
    g_autoptr(GPtrArray) parts = g_ptr_array_new ();

    if (unit != NULL)
      g_ptr_array_add (parts, (gpointer) unit);
    if (exclude != NULL && *exclude != '\0')
      g_ptr_array_add (parts, exclude);
    g_ptr_array_add (parts, NULL);
    training_exclude = g_strjoinv (",", (char **) parts->pdata);
  }

  step_add (steps, "Ingesting", rf_cli_ingest, "ingest", argv[1], "--machine", machine_id, argv[2], NULL);
  step_add (steps, "Validating", rf_cli_validate, "validate", argv[1], "--machine", machine_id, NULL);
  step_add (steps, "Mapping columns to sensors", rf_cli_map, "map", argv[1], "--machine", machine_id, "--suggest",
            NULL);
  step_add (steps, "Cleaning with the suggested plan", rf_cli_clean, "clean", argv[1], "--machine", machine_id, NULL);
  if (force)
    step_add (steps, "Merging real and seed data", rf_cli_merge, "merge", argv[1], "--machine", machine_id,
              "--strategy", strategy, "--force", NULL);
  else
    step_add (steps, "Merging real and seed data", rf_cli_merge, "merge", argv[1], "--machine", machine_id,
              "--strategy", strategy, NULL);
  if (current != NULL)
    step_add (steps, "Refining the current model", rf_cli_refine, "refine", argv[1], "--machine", machine_id,
              "--base", current, "--data", "merged", "--seed", seed_text, epochs > 0 ? "--epochs" : NULL,
              epochs_text, NULL);
  else
    step_add (steps, "Training a model", rf_cli_train, "train", argv[1], "--machine", machine_id, "--data",
              "merged", "--seed", seed_text, "--exclude", *training_exclude != '\0' ? training_exclude : "",
              epochs > 0 ? "--epochs" : NULL, epochs_text, NULL);
  step_add (steps, "Augmenting", rf_cli_augment, "augment", argv[1], "--machine", machine_id, "--rows", rows_text,
            "--seed", seed_text, NULL);
  step_add (steps, "Comparing and reporting", rf_cli_report, "report", argv[1], "--machine", machine_id, "--seed",
            seed_text, NULL);

  for (guint i = 0; i < steps->len; i++)
    {
      Step *step = g_ptr_array_index (steps, i);
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      int status;

      /* An empty --exclude adds nothing. */
      for (guint k = 0; k < step->argv->len; k++)
        {
          const char *a = g_ptr_array_index (step->argv, k);

          if (strcmp (a, "--exclude") == 0 && k + 1 < step->argv->len &&
              *(const char *) g_ptr_array_index (step->argv, k + 1) == '\0')
            {
              k++;
              continue;
            }
          g_ptr_array_add (args, (gpointer) a);
        }
      g_ptr_array_add (args, NULL);
      g_print ("%s== Step %u of %u: %s\n", i > 0 ? "\n" : "", i + 1, steps->len, step->title);
      fflush (stdout);
      status = step->command ((int) args->len - 1, (char **) args->pdata);
      /* Augment's quality check failing still leaves usable sets: go on. */
      if (status != RF_CLI_EXIT_OK && step->command != rf_cli_augment)
        {
          g_printerr ("%s: run stopped at step %u (%s); fix what it says and run again\n", RF_CLI_NAME, i + 1,
                      step->title);
          return status;
        }
    }
  g_print ("\nDone: %s, reports in %s/reports\n", machine_id, rf_project_get_path (project));
  return RF_CLI_EXIT_OK;
}

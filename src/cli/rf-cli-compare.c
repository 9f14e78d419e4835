#define G_LOG_DOMAIN "rf-cli-compare"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rf-atomic-file.h"
#include "rf-cli-compare.h"
#include "rf-cli-private.h"
#include "rf-cli-progress.h"
#include "rf-error.h"
#include "rf-json-build.h"

void
_rf_cli_comparison_clear (RfCliComparison *c)
{
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&c->model_paths[i], g_free);
      g_clear_pointer (&c->model_names[i], g_free);
      g_clear_pointer (&c->models[i], rf_model_unref);
      g_clear_pointer (&c->synthetic[i], rf_table_unref);
    }
  g_clear_pointer (&c->real, rf_table_unref);
  g_clear_pointer (&c->real_path, g_free);
  g_clear_pointer (&c->exclude, g_strfreev);
  g_clear_pointer (&c->rul, g_free);
  g_clear_pointer (&c->comparison, rf_comparison_free);
  g_clear_pointer (&c->report, json_node_unref);
}

/* A model file as the report names it: relative to the project when it is
 * inside, else as given. */
static char *
report_name (RfProject  *project,
             const char *path)
{
  g_autoptr(GFile) root = project != NULL ? g_file_new_for_path (rf_project_get_path (project)) : NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  char *relative = root != NULL ? g_file_get_relative_path (root, file) : NULL;

  return relative != NULL ? relative : g_strdup (path);
}

/* The base model a refined model was made from, when its file is still in
 * the same folder; NULL otherwise. */
static char *
parent_of (RfModel    *model,
           const char *path)
{
  const RfModelLineage *lineage = rf_model_get_lineage (model);
  g_autofree char *dir = NULL, *candidate = NULL, *sha = NULL;

  if (lineage->parent_name == NULL)
    return NULL;
  dir = g_path_get_dirname (path);
  candidate = g_build_filename (dir, lineage->parent_name, NULL);
  if (!g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
    return NULL;
  /* The same name may hold another model since: check the bytes. */
  sha = rf_file_sha256 (candidate, NULL, NULL, NULL);
  if (lineage->parent_sha256 != NULL && g_strcmp0 (sha, lineage->parent_sha256) != 0)
    return NULL;
  return g_steal_pointer (&candidate);
}

gboolean
_rf_cli_is_refinement_of (const char *model_path,
                          const char *base_path)
{
  g_autoptr(RfModel) model = rf_model_load (model_path, NULL);
  g_autofree char *parent = model != NULL ? parent_of (model, model_path) : NULL;
  g_autoptr(GFile) a = parent != NULL ? g_file_new_for_path (parent) : NULL;
  g_autoptr(GFile) b = g_file_new_for_path (base_path);

  return a != NULL && g_file_equal (a, b);
}

/* Columns the metrics leave out: unit ids and timestamps (the augmented
 * sets make their own), and the RUL's name. */
static void
roles_of (RfCliComparison *c)
{
  GPtrArray *exclude = g_ptr_array_new ();

  for (guint i = 0; i < rf_table_get_n_columns (c->real); i++)
    {
      const RfColumn *column = rf_table_get_column (c->real, i);

      if (column->role == RF_ROLE_UNIT_ID || column->role == RF_ROLE_TIMESTAMP)
        g_ptr_array_add (exclude, g_strdup (column->name));
      if (column->role == RF_ROLE_RUL && c->rul == NULL)
        c->rul = g_strdup (column->name);
    }
  g_ptr_array_add (exclude, NULL);
  c->exclude = (char **) g_ptr_array_free (exclude, FALSE);
}

gboolean
_rf_cli_compare (RfCliComparison    *c,
                 RfProject          *project,
                 const char         *machine_id,
                 const char         *real_path,
                 const char * const *models,
                 guint               n_models,
                 gsize               rows,
                 guint64             seed,
                 RfProgress         *progress,
                 GCancellable       *cancellable,
                 GError            **error)
{
  RfComparisonInput inputs[2];
  const char *keys_one[] = { "synthetic" }, *keys_two[] = { "seed", "refined" };
  RfProgress part;

  g_return_val_if_fail (n_models >= 1 && n_models <= 2, FALSE);

  /* The candidate is the last model; its base joins in front when there
   * is only one. */
  for (guint i = 0; i < n_models; i++)
    c->model_paths[i] = g_strdup (models[i]);
  c->n_models = n_models;
  for (guint i = 0; i < c->n_models; i++)
    {
      c->models[i] = rf_model_load (c->model_paths[i], error);
      if (c->models[i] == NULL)
        return FALSE;
    }
  if (c->n_models == 1)
    {
      g_autofree char *parent = parent_of (c->models[0], c->model_paths[0]);

      if (parent != NULL)
        {
          c->models[1] = g_steal_pointer (&c->models[0]);
          c->model_paths[1] = g_steal_pointer (&c->model_paths[0]);
          c->model_paths[0] = g_steal_pointer (&parent);
          c->models[0] = rf_model_load (c->model_paths[0], error);
          if (c->models[0] == NULL)
            return FALSE;
          c->n_models = 2;
        }
    }

  c->real_path = g_strdup (real_path);
  c->real = rf_read_file (real_path, NULL, NULL, NULL, NULL, error);
  if (c->real == NULL)
    return FALSE;
  roles_of (c);

  for (guint i = 0; i < c->n_models; i++)
    {
      RfDecodeOptions decode;

      part = rf_progress_range (progress, 0.6 * i / c->n_models, 0.6 * (i + 1) / c->n_models);
      rf_decode_options_init (&decode);
      c->synthetic[i] = rf_model_sample (c->models[i], rows, seed + i, &decode, 0, &part, cancellable, error);
      if (c->synthetic[i] == NULL)
        return FALSE;
      c->model_names[i] = report_name (project, c->model_paths[i]);
      inputs[i].key = c->n_models == 1 ? keys_one[0] : keys_two[i];
      inputs[i].model = c->model_names[i];
      inputs[i].table = c->synthetic[i];
    }
  {
    g_autofree char *source = report_name (project, real_path);

    rf_progress_report (progress, 0.6, "Comparing");
    c->comparison = rf_comparison_compute (machine_id, c->real, source, inputs, c->n_models,
                                           (const char * const *) c->exclude, c->rul, seed, cancellable, error);
  }
  rf_progress_report (progress, 1.0, NULL);
  return c->comparison != NULL;
}

char *
_rf_cli_now_utc (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
_rf_cli_write_comparison (RfCliComparison *c,
                          RfProject       *project,
                          const char      *machine_id,
                          const char      *path,
                          GError         **error)
{
  g_autofree char *now = _rf_cli_now_utc ();
  JsonNode *root = rf_comparison_to_json (c->comparison, now);

  g_clear_pointer (&c->report, json_node_unref);
  c->report = root;
  if (project != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (g_mkdir_with_parents (dir, 0755) != 0)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot create the folder %s", dir);
          return FALSE;
        }
    }
  if (!rf_atomic_write_json (path, root, error))
    return FALSE;
  return project == NULL || rf_comparison_write_summary (project, error);
}

void
_rf_cli_print_comparison (RfCliComparison *c)
{
  RfComparison *cmp = c->comparison;

  g_print ("Real data: %s (%" G_GSIZE_FORMAT " rows)\n", c->real_path, rf_comparison_get_real_rows (cmp));
  for (guint i = 0; i < rf_comparison_get_n_sets (cmp); i++)
    {
      const RfComparedSet *s = rf_comparison_get_set (cmp, i);
      const RfFidelity *f = s->fidelity;

      g_print ("%-9s %s: quality %.3f (shapes %.3f, trends %.3f), KL %.4f, W1 %.4f, |Δr| %.4f, copies %.1f %%",
               s->key, s->model, f->quality.overall, f->quality.column_shapes, f->quality.pair_trends, f->mean_kl,
               f->mean_wasserstein, f->correlation.mean_abs_error, 100.0 * s->privacy.exact_copy_fraction);
      if (s->has_utility)
        g_print (", RUL R² %.3f (real-trained %.3f)", s->utility.r2_synthetic, s->utility.r2_real);
      g_print ("\n");
    }
  g_print ("Recommendation: %s\n", rf_comparison_get_recommendation (cmp));
  for (const char * const *r = rf_comparison_get_reasons (cmp); *r != NULL; r++)
    g_print ("  %s\n", *r);
}

gboolean
_rf_cli_default_models (RfProject   *project,
                        const char  *machine_id,
                        char       **model_args,
                        GPtrArray   *models,
                        GError     **error)
{
  for (guint i = 0; model_args != NULL && model_args[i] != NULL; i++)
    g_ptr_array_add (models, _rf_cli_resolve_model (project, machine_id, model_args[i], NULL));
  if (models->len == 0)
    {
      /* The newest model against its base (added later when it is a
       * refinement) or, failing that, against the chosen default. */
      g_auto(GStrv) all = rf_project_list_models (project, machine_id);
      const char *chosen = rf_project_find_machine (project, machine_id)->default_model;
      char *current = rf_project_get_current_model (project, machine_id, error);

      if (current == NULL)
        return FALSE;
      g_free (current);
      if (chosen != NULL && g_strcmp0 (chosen, all[0]) != 0 && g_file_test (chosen, G_FILE_TEST_IS_REGULAR) &&
          !_rf_cli_is_refinement_of (all[0], chosen))
        g_ptr_array_add (models, g_strdup (chosen));
      g_ptr_array_add (models, g_strdup (all[0]));
    }
  return TRUE;
}

int
_rf_cli_comparison_inputs (const char   *command,
                           const char   *target,
                           const char   *machine_id,
                           char        **model_args,
                           const char   *data_arg,
                           const char   *out,
                           const char   *out_name,
                           RfProject   **project,
                           GPtrArray    *models,
                           char        **real_path)
{
  g_autoptr(GError) error = NULL;

  if (model_args != NULL && g_strv_length (model_args) > 2)
    return _rf_cli_usage_error (command, "give --model at most twice");
  if (rf_project_is_project_dir (target))
    {
      if (machine_id == NULL)
        return _rf_cli_usage_error (command, "with a project, --machine ID is required");
      if (out != NULL)
        return _rf_cli_usage_error (command, "with a project, drop --out: the project's reports/ is written");
      if (data_arg != NULL && g_strcmp0 (data_arg, "real") != 0 && g_strcmp0 (data_arg, "merged") != 0)
        return _rf_cli_usage_error (command, "--data is real or merged");
      if (!_rf_cli_open_machine (target, machine_id, project, NULL, &error) ||
          !_rf_cli_default_models (*project, machine_id, model_args, models, &error) ||
          (*real_path = _rf_cli_project_data_path (*project, machine_id, data_arg != NULL ? data_arg : "real",
                                                   &error)) == NULL)
        return _rf_cli_fail (error);
      return RF_CLI_EXIT_OK;
    }
  if (machine_id != NULL || data_arg != NULL)
    return _rf_cli_usage_error (command, "--machine and --data need a project folder");
  if (model_args == NULL || out == NULL)
    return _rf_cli_usage_error (command, "without a project, give --model MODEL (once or twice) and --out %s",
                                out_name);
  for (guint i = 0; model_args[i] != NULL; i++)
    g_ptr_array_add (models, g_strdup (model_args[i]));
  *real_path = g_strdup (target);
  return RF_CLI_EXIT_OK;
}

typedef struct
{
  RfCliComparison *c;
  RfProject *project;
  const char *machine_id;
  const char *real_path;
  const char * const *models;
  guint n_models;
  gsize rows;
  guint64 seed;
  const char *out;
  RfProgress *progress;
} CompareJob;

static gpointer
compare_job (gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  CompareJob *job = data;

  if (!_rf_cli_compare (job->c, job->project, job->machine_id, job->real_path, job->models, job->n_models,
                        job->rows, job->seed, job->progress, cancellable, error) ||
      !_rf_cli_write_comparison (job->c, job->project, job->machine_id, job->out, error))
    return NULL;
  return job;
}

int
rf_cli_compare (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(RfCliProgress) bar = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *machine_id = NULL, *data_arg = NULL, *out = NULL, *real_path = NULL, *report = NULL;
  g_auto(GStrv) model_args = NULL;
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_free);
  gint64 rows = RF_CLI_COMPARE_ROWS, seed = 0;
  gboolean json = FALSE;
  RfCliComparison c = { 0 };
  CompareJob job = { &c };
  int status;
  GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_STRING, &machine_id, "With a project: the machine (required)", "ID" },
    { "model", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &model_args,
      "A model to compare, twice for two (the first is the baseline); with a project, default: the current "
      "model and, when it is a refinement, its base", "MODEL" },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_arg, "With a project: real (default) or merged", "KIND" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Without a project: where to write the report (JSON)", "FILE" },
    { "rows", 'n', 0, G_OPTION_ARG_INT64, &rows, "Synthetic rows per model (default 50000)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 0)", "S" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the report on stdout", NULL },
    { NULL }
  };

  context = g_option_context_new ("PROJECT | REAL-FILE");
  g_option_context_set_summary (context,
                                "Compares real data with the synthetic data of one or two models: per column KL,\n"
                                "Wasserstein, KS, mean and std errors; correlations; an SDMetrics-style quality\n"
                                "score; distance to closest record; RUL prediction trained on synthetic data.\n"
                                "Ends with a recommendation (docs/comparison-format.md).\n"
                                "\n"
                                "  compare PROJECT --machine ID         write reports/ID_comparison.json and\n"
                                "                                       reports/all_machines_summary.csv\n"
                                "  compare FILE --model A [--model B] --out REPORT.json   without a project");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!_rf_cli_parse_options (context, "compare", &argc, &argv))
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error ("compare", "give one project folder or one real data file");
  if (rows < 10 || rows > 10000000)
    return _rf_cli_usage_error ("compare", "--rows must be from 10 to 10000000");

  status = _rf_cli_comparison_inputs ("compare", argv[1], machine_id, model_args, data_arg, out, "FILE", &project,
                                      models, &real_path);
  if (status != RF_CLI_EXIT_OK)
    return status;
  report = project != NULL ? rf_comparison_report_path (project, machine_id) : g_strdup (out);

  job.project = project;
  job.machine_id = machine_id;
  job.real_path = real_path;
  job.models = (const char * const *) models->pdata;
  job.n_models = models->len;
  job.rows = (gsize) rows;
  job.seed = (guint64) seed;
  job.out = report;
  bar = rf_cli_progress_new ("Comparing");
  job.progress = rf_cli_progress_get (bar);
  if (_rf_cli_run_job (compare_job, &job, &error) == NULL)
    {
      rf_cli_progress_finish (bar);
      _rf_cli_comparison_clear (&c);
      return _rf_cli_fail (error);
    }
  rf_cli_progress_finish (bar);

  if (json)
    _rf_cli_print_json (c.report);
  else
    {
      _rf_cli_print_comparison (&c);
      g_print ("Wrote %s\n", report);
    }
  _rf_cli_comparison_clear (&c);
  return RF_CLI_EXIT_OK;
}

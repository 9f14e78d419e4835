#define G_LOG_DOMAIN "rf-cli-report"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rf-atomic-file.h"
#include "rf-cli-compare.h"
#include "rf-cli-private.h"
#include "rf-cli-progress.h"
#include "rf-cli-report.h"
#include "rf-error.h"
#include "rf-ingest.h"
#include "rf-json-build.h"
#include "rf-pdf-report.h"
#include "rf-xlsx-report.h"

/* processed/<machine>/<name> as JSON, or NULL when it is missing or not
 * readable (the report then goes without that section). */
static JsonNode *
load_processed (RfProject  *project,
                const char *machine_id,
                const char *name)
{
  g_autofree char *dir = NULL, *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (project == NULL)
    return NULL;
  dir = rf_project_get_machine_dir (project, "processed", machine_id, FALSE, NULL);
  path = g_build_filename (dir, name, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || !json_parser_load_from_file (parser, path, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/* The newest upload's entry of upload_metadata.json. */
static JsonNode *
load_upload (RfProject  *project,
             const char *machine_id)
{
  g_autofree char *dir = NULL, *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root, *uploads;

  if (project == NULL)
    return NULL;
  dir = rf_project_get_machine_dir (project, "raw", machine_id, FALSE, NULL);
  path = g_build_filename (dir, "upload_metadata.json", NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || !json_parser_load_from_file (parser, path, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  uploads = JSON_NODE_HOLDS_OBJECT (root) ? json_object_get_member (json_node_get_object (root), "uploads") : NULL;
  if (uploads == NULL || !JSON_NODE_HOLDS_ARRAY (uploads) || json_array_get_length (json_node_get_array (uploads)) == 0)
    return NULL;
  return json_node_copy (json_array_get_element (json_node_get_array (uploads),
                                                 json_array_get_length (json_node_get_array (uploads)) - 1));
}

void
_rf_cli_report_clear (RfCliReport *r)
{
  _rf_cli_comparison_clear (&r->comparison);
  g_clear_pointer (&r->upload, json_node_unref);
  g_clear_pointer (&r->validation, json_node_unref);
  g_clear_pointer (&r->mapping, json_node_unref);
  g_clear_pointer (&r->cleaning, json_node_unref);
  g_clear_pointer (&r->real_sha256, g_free);
  g_clear_pointer (&r->generated, g_free);
  g_clear_pointer (&r->real_name, g_free);
}

void
_rf_cli_report_inputs (RfCliReport    *r,
                       RfProject      *project,
                       const char     *machine_id,
                       RfReportInputs *in)
{
  const RfMachine *machine = project != NULL ? rf_project_find_machine (project, machine_id) : NULL;

  r->upload = load_upload (project, machine_id);
  r->validation = load_processed (project, machine_id, "validation_report.json");
  r->mapping = load_processed (project, machine_id, "mapping.json");
  r->cleaning = load_processed (project, machine_id, "cleaning_plan.json");
  r->real_sha256 = rf_file_sha256 (r->comparison.real_path, NULL, NULL, NULL);
  r->generated = _rf_cli_now_utc ();
  {
    g_autoptr(GFile) root = project != NULL ? g_file_new_for_path (rf_project_get_path (project)) : NULL;
    g_autoptr(GFile) file = g_file_new_for_path (r->comparison.real_path);
    r->real_name = root != NULL ? g_file_get_relative_path (root, file) : NULL;
    if (r->real_name == NULL)
      r->real_name = g_strdup (r->comparison.real_path);
  }

  memset (in, 0, sizeof *in);
  in->project_name = project != NULL ? rf_project_get_name (project) : NULL;
  in->machine_id = machine_id != NULL ? machine_id : "data";
  in->machine_name = machine != NULL ? machine->name : NULL;
  in->generated = r->generated;
  in->comparison = r->comparison.comparison;
  in->real = r->comparison.real;
  in->real_name = r->real_name;
  in->real_sha256 = r->real_sha256;
  for (guint i = 0; i < r->comparison.n_models; i++)
    {
      in->synthetic[i] = r->comparison.synthetic[i];
      in->models[i] = r->comparison.models[i];
    }
  in->upload = r->upload;
  in->validation = r->validation;
  in->mapping = r->mapping;
  in->cleaning = r->cleaning;
}

typedef struct
{
  RfCliReport *r;
  RfProject *project;
  const char *machine_id;
  const char *real_path;
  const char * const *models;
  guint n_models;
  gsize rows;
  guint64 seed;
  const char *json_path;
  const char *pdf_path;
  const char *xlsx_path;
  const char *png_dir;
  guint n_png;
  double seconds_pdf;
  RfProgress *progress;
} ReportJob;

static gpointer
report_job (gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  ReportJob *job = data;
  RfProgress comparing = rf_progress_range (job->progress, 0.0, 0.7);
  RfReportInputs in;
  gint64 start;

  if (!_rf_cli_compare (&job->r->comparison, job->project, job->machine_id, job->real_path, job->models,
                        job->n_models, job->rows, job->seed, &comparing, cancellable, error) ||
      !_rf_cli_write_comparison (&job->r->comparison, job->project, job->machine_id, job->json_path, error))
    return NULL;
  _rf_cli_report_inputs (job->r, job->project, job->machine_id, &in);
  rf_progress_report (job->progress, 0.75, "Writing the report");
  start = g_get_monotonic_time ();
  if (job->pdf_path != NULL && !rf_pdf_report_write (job->pdf_path, &in, cancellable, error))
    return NULL;
  job->seconds_pdf = (g_get_monotonic_time () - start) / 1e6;
  if (job->xlsx_path != NULL && !rf_xlsx_report_write (job->xlsx_path, &in, cancellable, error))
    return NULL;
  if (job->png_dir != NULL && !rf_report_write_charts (job->png_dir, &in, 800, 500, 1.0, &job->n_png, error))
    return NULL;
  rf_progress_report (job->progress, 1.0, NULL);
  return job;
}

int
rf_cli_report (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(RfCliProgress) bar = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *machine_id = NULL, *data_arg = NULL, *out = NULL, *real_path = NULL;
  g_autofree char *json_path = NULL, *pdf_path = NULL, *xlsx_path = NULL, *png_dir = NULL;
  g_auto(GStrv) model_args = NULL;
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_free);
  gint64 rows = RF_CLI_COMPARE_ROWS, seed = 0;
  gboolean pdf = FALSE, xlsx = FALSE, png = FALSE, json = FALSE;
  RfCliReport r = { 0 };
  ReportJob job = { &r };
  int status;
  GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_STRING, &machine_id, "With a project: the machine (required)", "ID" },
    { "model", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &model_args,
      "A model to report on, twice for two (as for compare)", "MODEL" },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_arg, "With a project: real (default) or merged", "KIND" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      "Without a project: the file name to write, without extension (.json, .pdf, .xlsx are added)", "BASE" },
    { "pdf", 0, 0, G_OPTION_ARG_NONE, &pdf, "Write the PDF report", NULL },
    { "xlsx", 0, 0, G_OPTION_ARG_NONE, &xlsx, "Write the Excel workbook (metrics, charts, data)", NULL },
    { "png", 0, 0, G_OPTION_ARG_NONE, &png, "Write every chart as a PNG file", NULL },
    { "rows", 'n', 0, G_OPTION_ARG_INT64, &rows, "Synthetic rows per model (default 50000)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 0)", "S" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary (docs/cli-json.md)", NULL },
    { NULL }
  };

  context = g_option_context_new ("PROJECT | REAL-FILE");
  g_option_context_set_summary (context,
                                "Compares as “compare” does and writes the report: the comparison JSON and, as\n"
                                "asked, a PDF for readers, an Excel workbook with native charts and PNG charts.\n"
                                "Without --pdf, --xlsx or --png, the PDF and the workbook are written.\n"
                                "\n"
                                "  report PROJECT --machine ID      reports/ID_comparison.{json,pdf,xlsx},\n"
                                "                                   reports/ID_charts/*.png\n"
                                "  report FILE --model A [--model B] --out BASE   without a project");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!_rf_cli_parse_options (context, "report", &argc, &argv))
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error ("report", "give one project folder or one real data file");
  if (rows < 10 || rows > 10000000)
    return _rf_cli_usage_error ("report", "--rows must be from 10 to 10000000");
  if (!pdf && !xlsx && !png)
    pdf = xlsx = TRUE;

  status = _rf_cli_comparison_inputs ("report", argv[1], machine_id, model_args, data_arg, out, "BASE", &project,
                                      models, &real_path);
  if (status != RF_CLI_EXIT_OK)
    return status;
  {
    /* reports/ID_comparison.* and reports/ID_charts/, or BASE.* and BASE_charts/. */
    g_autofree char *report = project != NULL ? rf_comparison_report_path (project, machine_id) : NULL;
    g_autofree char *base = report != NULL ? g_strndup (report, strlen (report) - strlen (".json")) : g_strdup (out);
    g_autofree char *charts = project != NULL ? g_strdup_printf ("%s_charts", machine_id) : NULL;
    g_autofree char *reports = report != NULL ? g_path_get_dirname (report) : NULL;

    json_path = g_strconcat (base, ".json", NULL);
    if (pdf)
      pdf_path = g_strconcat (base, ".pdf", NULL);
    if (xlsx)
      xlsx_path = g_strconcat (base, ".xlsx", NULL);
    if (png)
      png_dir = project != NULL ? g_build_filename (reports, charts, NULL) : g_strconcat (base, "_charts", NULL);
  }

  job.project = project;
  job.machine_id = machine_id;
  job.real_path = real_path;
  job.models = (const char * const *) models->pdata;
  job.n_models = models->len;
  job.rows = (gsize) rows;
  job.seed = (guint64) seed;
  job.json_path = json_path;
  job.pdf_path = pdf_path;
  job.xlsx_path = xlsx_path;
  job.png_dir = png_dir;
  bar = rf_cli_progress_new ("Reporting");
  job.progress = rf_cli_progress_get (bar);
  if (_rf_cli_run_job (report_job, &job, &error) == NULL)
    {
      rf_cli_progress_finish (bar);
      _rf_cli_report_clear (&r);
      return _rf_cli_fail (error);
    }
  rf_cli_progress_finish (bar);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      rf_json_add_string (b, "schema", "refinery-cli/report");
      rf_json_add_int (b, "schema_version", 1);
      rf_json_add_string (b, "comparison", json_path);
      json_builder_set_member_name (b, "pdf");
      pdf_path != NULL ? json_builder_add_string_value (b, pdf_path) : json_builder_add_null_value (b);
      json_builder_set_member_name (b, "xlsx");
      xlsx_path != NULL ? json_builder_add_string_value (b, xlsx_path) : json_builder_add_null_value (b);
      json_builder_set_member_name (b, "charts");
      png_dir != NULL ? json_builder_add_string_value (b, png_dir) : json_builder_add_null_value (b);
      rf_json_add_int (b, "chart_files", job.n_png);
      rf_json_add_string (b, "recommendation", rf_comparison_get_recommendation (r.comparison.comparison));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      _rf_cli_print_json (root);
    }
  else
    {
      _rf_cli_print_comparison (&r.comparison);
      g_print ("Wrote %s\n", json_path);
      if (pdf_path != NULL)
        g_print ("Wrote %s (%.2f s)\n", pdf_path, job.seconds_pdf);
      if (xlsx_path != NULL)
        g_print ("Wrote %s\n", xlsx_path);
      if (png_dir != NULL)
        g_print ("Wrote %u charts to %s\n", job.n_png, png_dir);
    }
  _rf_cli_report_clear (&r);
  return RF_CLI_EXIT_OK;
}

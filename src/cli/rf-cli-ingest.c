#define G_LOG_DOMAIN "rf-cli-ingest"

#include "config.h"

#include "rf-cli-private.h"
#include "rf-cli-progress.h"
#include "rf-ingest.h"

typedef struct
{
  RfProject *project;
  const char *machine_id;
  const char *path;
  const RfReadOptions *options;
  RfProgress *progress;
} IngestJob;

static gpointer
ingest_job (gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  IngestJob *job = data;

  return rf_ingest_file (job->project, job->machine_id, job->path, job->options, job->progress,
                         cancellable, error);
}

int
rf_cli_ingest (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfReadOptions) options = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(RfCliProgress) bar = NULL;
  g_autoptr(RfIngestResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *machine_id = NULL;
  g_autofree char *label = NULL;
  g_autofree char *relative = NULL;
  RfCliReadArgs read_args = { 0 };
  IngestJob job = { 0 };
  const RfReadReport *report;
  const RfUpload *upload;
  GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_STRING, &machine_id,
      "The machine the data comes from (required)", "ID" },
    { NULL }
  };

  context = g_option_context_new ("PROJECT FILE");
  g_option_context_set_summary (context,
                                "Reads the whole data file FILE, then copies it\n"
                                "unmodified into PROJECT/raw/<machine>/ and records it\n"
                                "(sha256, format, columns, …) in\n"
                                "raw/<machine>/upload_metadata.json. A file that does\n"
                                "not parse writes nothing; the same file ingested\n"
                                "twice is stored once.");
  g_option_context_add_main_entries (context, entries, NULL);
  _rf_cli_read_args_add (context, &read_args);
  if (!_rf_cli_parse_options (context, "ingest", &argc, &argv))
    {
      _rf_cli_read_args_clear (&read_args);
      return RF_CLI_EXIT_USAGE;
    }
  options = _rf_cli_read_args_to_options (&read_args, "ingest");
  _rf_cli_read_args_clear (&read_args);
  if (options == NULL)
    return RF_CLI_EXIT_USAGE;
  if (argc != 3)
    return _rf_cli_usage_error ("ingest",
                                argc < 3 ? "give the project folder PROJECT and the data file FILE"
                                         : "give one project folder and one data file");
  if (machine_id == NULL)
    return _rf_cli_usage_error ("ingest", "--machine ID is required");

  project = rf_project_open (argv[1], &error);
  if (project == NULL)
    return _rf_cli_fail (error);

  label = g_strdup_printf ("Ingesting %s", argv[2]);
  bar = rf_cli_progress_new (label);
  job.project = project;
  job.machine_id = machine_id;
  job.path = argv[2];
  job.options = options;
  job.progress = rf_cli_progress_get (bar);
  result = _rf_cli_run_job (ingest_job, &job, &error);
  rf_cli_progress_finish (bar);
  if (result == NULL)
    return _rf_cli_fail (error);

  upload = result->upload;
  relative = g_build_filename ("raw", machine_id, upload->stored_name, NULL);
  if (result->already_ingested)
    {
      g_print ("%s: already ingested as %s (sha256 %s); nothing was copied\n",
               upload->original_name, relative, upload->sha256);
      return RF_CLI_EXIT_OK;
    }

  report = result->report;
  g_print ("Ingested %s for the machine “%s”: %" G_GUINT64_FORMAT " rows × %u columns (%s",
           upload->original_name, machine_id, upload->rows, upload->n_columns,
           rf_format_to_string (report->format));
  if (report->encoding != NULL)
    g_print (", %s", report->encoding);
  if (report->delimiter != 0)
    g_print (", delimiter %s", rf_delimiter_to_string (report->delimiter));
  g_print (")\n");
  g_print ("Stored as %s (%" G_GUINT64_FORMAT " bytes, sha256 %s)\n", relative, upload->bytes,
           upload->sha256);
  for (guint i = 0; i < report->warnings->len; i++)
    g_print ("Warning: %s\n", (const char *) g_ptr_array_index (report->warnings, i));
  return RF_CLI_EXIT_OK;
}

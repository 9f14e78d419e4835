/* rf-cli-compare.h: the comparison pipeline that compare, report and run
 * share: load the models (a refined model brings its base along), sample
 * them, compare with the real data, write the report. */
#pragma once

#include "rf-comparison.h"
#include "rf-model.h"
#include "rf-progress.h"
#include "rf-project.h"

G_BEGIN_DECLS

/* Synthetic rows per model, unless asked otherwise. */
#define RF_CLI_COMPARE_ROWS 50000

typedef struct
{
  guint          n_models;
  char          *model_paths[2];   /* baseline first when there are two */
  char          *model_names[2];   /* as reported: relative to the project */
  RfModel       *models[2];
  RfTable       *synthetic[2];
  char          *real_path;
  RfTable       *real;
  char         **exclude;          /* unit ids and timestamps of the real data */
  char          *rul;              /* the real data's RUL column, or NULL */
  RfComparison  *comparison;
  JsonNode      *report;           /* as written */
} RfCliComparison;

gboolean  _rf_cli_compare             (RfCliComparison    *c,
                                       RfProject          *project,
                                       const char         *machine_id,
                                       const char         *real_path,
                                       const char * const *models,
                                       guint               n_models,
                                       gsize               rows,
                                       guint64             seed,
                                       RfProgress         *progress,
                                       GCancellable       *cancellable,
                                       GError            **error);
/* Writes the report to path (creating its folder with a project) and, with
 * a project, reports/all_machines_summary.csv; keeps it in c->report. */
gboolean  _rf_cli_write_comparison    (RfCliComparison    *c,
                                       RfProject          *project,
                                       const char         *machine_id,
                                       const char         *path,
                                       GError            **error);
void      _rf_cli_print_comparison    (RfCliComparison    *c);
void      _rf_cli_comparison_clear    (RfCliComparison    *c);
/* The command line compare and report share: PROJECT --machine ID
 * [--model M]… [--data real|merged], or FILE --model M [--model M2] --out
 * out_name. Fills *project (stays NULL for a file), models and *real_path.
 * Returns RF_CLI_EXIT_OK to go on, else the status to exit with (the
 * message is printed). */
int       _rf_cli_comparison_inputs   (const char         *command,
                                       const char         *target,
                                       const char         *machine_id,
                                       char              **model_args,
                                       const char         *data_arg,
                                       const char         *out,
                                       const char         *out_name,
                                       RfProject         **project,
                                       GPtrArray          *models,
                                       char              **real_path);
/* Whether model_path was refined from the model at base_path (its
 * lineage names that file and the bytes match). */
gboolean  _rf_cli_is_refinement_of    (const char         *model_path,
                                       const char         *base_path);
/* The models to compare (absolute paths, into models): those named by
 * model_args (NULL-terminated, may be NULL), else the machine's newest model
 * and, unless it is a refinement of it (then _rf_cli_compare adds the base),
 * the chosen default before it. */
gboolean  _rf_cli_default_models      (RfProject          *project,
                                       const char         *machine_id,
                                       char              **model_args,
                                       GPtrArray          *models,
                                       GError            **error);
/* UTC ISO 8601, "2024-05-01T12:00:00Z". */
char     *_rf_cli_now_utc             (void);

G_END_DECLS

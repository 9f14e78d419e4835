#define G_LOG_DOMAIN "rf-cli-machine-args"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rf-cli-private.h"
#include "rf-error.h"
#include "rf-ingest.h"

/* What the step commands (validate, map, clean, transform, seed, merge)
 * share: open PROJECT, find the machine, load its profile. */
gboolean
_rf_cli_open_machine (const char  *path,
                      const char  *machine_id,
                      RfProject  **project_out,
                      RfProfile  **profile_out,
                      GError     **error)
{
  g_autoptr(RfProject) project = rf_project_open (path, error);
  const RfMachine *machine;

  if (project == NULL)
    return FALSE;
  machine = rf_project_find_machine (project, machine_id);
  if (machine == NULL)
    {
      g_autofree char *known = rf_project_list_machine_ids (project);
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "The project “%s” has no machine “%s” (known machines: %s).",
                   rf_project_get_name (project), machine_id, known);
      return FALSE;
    }
  if (profile_out != NULL)
    {
      *profile_out = rf_profile_load_file (machine->profile_path, error);
      if (*profile_out == NULL)
        return FALSE;
    }
  *project_out = g_steal_pointer (&project);
  return TRUE;
}

void
_rf_cli_print_json (JsonNode *node)
{
  g_autoptr(GString) out = g_string_new (NULL);

  _rf_cli_json_write (node, out);
  fputs (out->str, stdout);
}

/* The newest file of dir whose name starts with prefix and ends with one of
 * the suffixes (names carry timestamps, so the greatest name is the newest);
 * NULL when there is none. */
static char *
find_newest (const char         *dir,
             const char         *prefix,
             const char * const *suffixes)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autofree char *best = NULL;
  const char *name;

  if (handle == NULL)
    return NULL;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      gboolean match = FALSE;

      for (guint i = 0; suffixes[i] != NULL && !match; i++)
        match = g_str_has_prefix (name, prefix) && g_str_has_suffix (name, suffixes[i]);
      if (match && (best == NULL || strcmp (name, best) > 0))
        {
          g_free (best);
          best = g_strdup (name);
        }
    }
  return best != NULL ? g_build_filename (dir, best, NULL) : NULL;
}

/* The data a project's machine trains on (docs/model-format.md "Models in a
 * project"): real = processed/<id>/cleaned_data.* when it exists, else the
 * file last ingested into raw/<id>/; merged = merged/<id>/merged*.parquet. */
char *
_rf_cli_project_data_path (RfProject   *project,
                           const char  *machine,
                           const char  *kind,
                           GError     **error)
{
  static const char * const cleaned[] = {
    ".parquet", ".csv", ".tsv", ".json", ".jsonl", NULL,
  };
  static const char * const parquet[] = { ".parquet", NULL };
  g_autofree char *processed = NULL;
  g_autofree char *merged = NULL;
  g_autofree char *found = NULL;
  g_autoptr(GPtrArray) uploads = NULL;

  if (strcmp (kind, "merged") == 0)
    {
      merged = rf_project_get_machine_dir (project, "merged", machine, FALSE, error);
      if (merged == NULL)
        return NULL;
      found = find_newest (merged, "merged", parquet);
      if (found == NULL)
        g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                     "The machine “%s” has no merged data (no merged*.parquet in %s). Merge its "
                     "real data first (%s merge PROJECT --machine %s --strategy merge), or train "
                     "on the real data with --data real.",
                     machine, merged, RF_CLI_NAME, machine);
      return g_steal_pointer (&found);
    }

  processed = rf_project_get_machine_dir (project, "processed", machine, FALSE, error);
  if (processed == NULL)
    return NULL;
  found = find_newest (processed, "cleaned_data.", cleaned);
  if (found != NULL)
    return g_steal_pointer (&found);
  uploads = rf_ingest_list_uploads (project, machine, error);
  if (uploads == NULL)
    return NULL;
  if (uploads->len == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "The machine “%s” has no data yet: ingest a file first with “%s ingest %s "
                   "--machine %s FILE”.", machine, RF_CLI_NAME, rf_project_get_path (project),
                   machine);
      return NULL;
    }
  return g_strdup (((RfUpload *) g_ptr_array_index (uploads, uploads->len - 1))->stored_path);
}

char *
_rf_cli_resolve_model (RfProject   *project,
                       const char  *machine,
                       const char  *name,
                       GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *inside = NULL;

  if (name == NULL)
    return rf_project_get_current_model (project, machine, error);
  if (project == NULL || g_file_test (name, G_FILE_TEST_EXISTS) || strchr (name, '/') != NULL)
    return g_strdup (name);
  dir = rf_project_get_machine_dir (project, "models", machine, FALSE, NULL);
  inside = dir != NULL ? g_build_filename (dir, name, NULL) : NULL;
  if (inside != NULL && g_file_test (inside, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&inside);
  return g_strdup (name);
}

#define G_LOG_DOMAIN "rf-cli-machine-args"

#include "config.h"

#include <stdio.h>

#include "rf-cli-private.h"
#include "rf-error.h"

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

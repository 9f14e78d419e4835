#define G_LOG_DOMAIN "rf-project"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "rf-atomic-file.h"
#include "rf-error.h"
#include "rf-profile.h"
#include "rf-project.h"

/* project.json is written by us and small; a bigger one is not ours. */
#define MAX_PROJECT_FILE_BYTES (16 * 1024 * 1024)

struct _RfProject
{
  gatomicrefcount ref_count;
  char *path;
  char *name;
  char *created;
  JsonNode *root;        /* project.json as read, so unknown keys survive a rewrite */
  GPtrArray *machines;   /* RfMachine */
};

static const char * const step_dirs[] = {
  "profiles", "raw", "processed", "merged", "models", "augmented", "reports", NULL,
};

const char * const *
rf_project_get_step_dirs (void)
{
  return step_dirs;
}

/* A machine as the project keeps it: the public part first, so that an
 * RfMachine pointer is a MachineEntry pointer. */
typedef struct
{
  RfMachine public;
  GArray   *history;     /* RfModelChoice, oldest first */
} MachineEntry;

static void
model_choice_clear (RfModelChoice *choice)
{
  g_free (choice->model);
  g_free (choice->chosen);
  g_free (choice->replaced);
}

static RfMachine *
machine_new (void)
{
  MachineEntry *entry = g_new0 (MachineEntry, 1);

  entry->history = g_array_new (FALSE, TRUE, sizeof (RfModelChoice));
  g_array_set_clear_func (entry->history, (GDestroyNotify) model_choice_clear);
  return &entry->public;
}

static void
machine_free (RfMachine *machine)
{
  MachineEntry *entry = (MachineEntry *) machine;

  g_free (machine->id);
  g_free (machine->name);
  g_free (machine->type);
  g_free (machine->profile_path);
  g_free (machine->default_model);
  g_array_unref (entry->history);
  g_free (entry);
}

static RfProject *
project_new (const char *path)
{
  RfProject *project = g_new0 (RfProject, 1);

  g_atomic_ref_count_init (&project->ref_count);
  project->path = g_strdup (path);
  project->machines = g_ptr_array_new_with_free_func ((GDestroyNotify) machine_free);
  return project;
}

RfProject *
rf_project_ref (RfProject *project)
{
  g_return_val_if_fail (project != NULL, NULL);
  g_atomic_ref_count_inc (&project->ref_count);
  return project;
}

void
rf_project_unref (RfProject *project)
{
  if (project == NULL || !g_atomic_ref_count_dec (&project->ref_count))
    return;
  g_free (project->path);
  g_free (project->name);
  g_free (project->created);
  g_clear_pointer (&project->root, json_node_unref);
  g_ptr_array_unref (project->machines);
  g_free (project);
}

static char *
now_utc_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* Absolute, with symlinks and ".." resolved, so that paths stored and shown
 * are stable whatever the current directory was. */
static char *
canonical_dir (const char  *dir,
               GError     **error)
{
  char *resolved = realpath (dir, NULL);
  char *copy;

  if (resolved == NULL)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (dir);
      g_set_error (error, RF_ERROR, saved == ENOENT ? RF_ERROR_NOT_FOUND : RF_ERROR_IO,
                   "Cannot open the project folder “%s”: %s", display, g_strerror (saved));
      return NULL;
    }
  /* realpath() allocates with malloc; the rest of the code frees with g_free. */
  copy = g_strdup (resolved);
  free (resolved);
  return copy;
}

static gboolean
write_project_file (RfProject  *project,
                    GError    **error)
{
  g_autofree char *path = g_build_filename (project->path, RF_PROJECT_FILE, NULL);

  return rf_atomic_write_json (path, project->root, error);
}

static gboolean
dir_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir != NULL && g_dir_read_name (dir) == NULL;
}

static gboolean
make_dir (const char  *path,
          GError     **error)
{
  if (g_mkdir_with_parents (path, 0755) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);
      g_set_error (error, RF_ERROR, RF_ERROR_IO,
                   "Cannot create the folder “%s”: %s; check the permissions of its parent folder",
                   display, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
rf_project_is_project_dir (const char *dir)
{
  g_autofree char *file = NULL;

  g_return_val_if_fail (dir != NULL, FALSE);
  file = g_build_filename (dir, RF_PROJECT_FILE, NULL);
  return g_file_test (file, G_FILE_TEST_IS_REGULAR);
}

RfProject *
rf_project_init (const char  *dir,
                 const char  *name,
                 GError     **error)
{
  g_autoptr(RfProject) project = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *display = NULL;
  g_autofree char *path = NULL;
  g_autofree char *default_name = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  display = g_filename_display_name (dir);
  if (g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, RF_ERROR, RF_ERROR_EXISTS,
                       "“%s” already exists and is not a folder; choose another path for the "
                       "project", display);
          return NULL;
        }
      if (rf_project_is_project_dir (dir))
        {
          g_set_error (error, RF_ERROR, RF_ERROR_EXISTS,
                       "“%s” is already a Refinery project; open it instead of creating it again",
                       display);
          return NULL;
        }
      if (!dir_is_empty (dir))
        {
          g_set_error (error, RF_ERROR, RF_ERROR_EXISTS,
                       "“%s” is not empty and is not a Refinery project; choose a new or empty "
                       "folder for the project",
                       display);
          return NULL;
        }
    }

  if (name != NULL && (name[0] == '\0' || !g_utf8_validate (name, -1, NULL)))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "The project name must be non-empty UTF-8 text; give another name");
      return NULL;
    }

  if (!make_dir (dir, error))
    return NULL;
  path = canonical_dir (dir, error);
  if (path == NULL)
    return NULL;
  /* From the canonical path, so that "." gets the folder's real name. */
  if (name == NULL)
    {
      default_name = g_filename_display_basename (path);
      name = default_name;
    }

  project = project_new (path);
  project->name = g_strdup (name);
  project->created = now_utc_iso8601 ();

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, RF_PROJECT_FORMAT);
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, RF_PROJECT_FORMAT_VERSION);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, project->name);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, project->created);
  json_builder_set_member_name (builder, "machines");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  project->root = json_builder_get_root (builder);

  /* The folders first: project.json marks a complete project. */
  for (guint i = 0; step_dirs[i] != NULL; i++)
    {
      g_autofree char *sub = g_build_filename (path, step_dirs[i], NULL);
      if (!make_dir (sub, error))
        return NULL;
    }
  if (!write_project_file (project, error))
    return NULL;
  return g_steal_pointer (&project);
}

static void
project_error (GError     **error,
               const char  *file,
               const char  *format,
               ...) G_GNUC_PRINTF (3, 4);

static void
project_error (GError     **error,
               const char  *file,
               const char  *format,
               ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
               "%s: %s; the project file is damaged: repair it by hand or restore it from a backup",
               file, problem);
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A relative path inside the project: no absolute paths, no "..". */
static gboolean
is_safe_relative_path (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path[0] == '\0' || g_path_is_absolute (path))
    return FALSE;
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (strcmp (parts[i], "..") == 0)
      return FALSE;
  return TRUE;
}

/* A machine's default model and model history, both optional. */
static gboolean
parse_model_choice (RfProject   *project,
                    RfMachine   *machine,
                    JsonObject  *entry,
                    const char  *file,
                    guint        index,
                    GError     **error)
{
  MachineEntry *machine_entry = (MachineEntry *) machine;
  const char *model = get_string_member (entry, "default_model");
  JsonNode *node = json_object_get_member (entry, "model_history");
  JsonArray *history;

  if (json_object_has_member (entry, "default_model"))
    {
      if (model == NULL || !is_safe_relative_path (model))
        {
          project_error (error, file,
                         "machines[%u].default_model must be a path inside the project folder",
                         index);
          return FALSE;
        }
      machine->default_model = g_build_filename (project->path, model, NULL);
    }
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      project_error (error, file, "machines[%u].model_history must be a list", index);
      return FALSE;
    }
  history = json_node_get_array (node);
  for (guint k = 0; k < json_array_get_length (history); k++)
    {
      JsonNode *element = json_array_get_element (history, k);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      RfModelChoice choice = { 0 };

      if (o == NULL || get_string_member (o, "model") == NULL)
        {
          project_error (error, file,
                         "machines[%u].model_history[%u] must be an object with a “model”",
                         index, k);
          return FALSE;
        }
      choice.model = g_strdup (get_string_member (o, "model"));
      choice.chosen = g_strdup (get_string_member (o, "chosen"));
      choice.replaced = g_strdup (get_string_member (o, "replaced"));
      g_array_append_val (machine_entry->history, choice);
    }
  return TRUE;
}

static gboolean
parse_machines (RfProject   *project,
                JsonObject  *object,
                const char  *file,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, "machines");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      project_error (error, file, "“machines” must be a list");
      return FALSE;
    }
  array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *entry;
      const char *id;
      const char *profile;
      RfMachine *machine;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          project_error (error, file, "machines[%u] must be an object", i);
          return FALSE;
        }
      entry = json_node_get_object (element);
      id = get_string_member (entry, "id");
      if (id == NULL || !rf_profile_id_is_valid (id))
        {
          project_error (error, file, "machines[%u].id must be a machine id ([a-z0-9_-])", i);
          return FALSE;
        }
      if (rf_project_find_machine (project, id) != NULL)
        {
          project_error (error, file, "machines[%u].id “%s” is listed twice", i, id);
          return FALSE;
        }
      profile = get_string_member (entry, "profile");
      if (profile == NULL || !is_safe_relative_path (profile))
        {
          project_error (error, file,
                         "machines[%u].profile must be a path inside the project folder", i);
          return FALSE;
        }

      machine = machine_new ();
      machine->id = g_strdup (id);
      machine->name = g_strdup (get_string_member (entry, "name"));
      machine->type = g_strdup (get_string_member (entry, "machine_type"));
      machine->profile_path = g_build_filename (project->path, profile, NULL);
      g_ptr_array_add (project->machines, machine);
      if (!parse_model_choice (project, machine, entry, file, i, error))
        return FALSE;
    }
  return TRUE;
}

RfProject *
rf_project_open (const char  *dir,
                 GError     **error)
{
  g_autoptr(RfProject) project = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *file = NULL;
  g_autofree char *display = NULL;
  g_autofree char *contents = NULL;
  JsonObject *object;
  JsonNode *node;
  const char *format;
  GStatBuf st;
  gsize length;
  gint64 version;

  g_return_val_if_fail (dir != NULL, NULL);

  path = canonical_dir (dir, error);
  if (path == NULL)
    return NULL;
  file = g_build_filename (path, RF_PROJECT_FILE, NULL);
  display = g_filename_display_name (file);

  if (g_stat (file, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_autofree char *dir_display = g_filename_display_name (path);
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "“%s” is not a Refinery project (it has no %s); create one with "
                   "“refinery-cli project init FOLDER” or open the project's folder",
                   dir_display, RF_PROJECT_FILE);
      return NULL;
    }
  if (st.st_size > MAX_PROJECT_FILE_BYTES)
    {
      project_error (error, display, "%" G_GINT64_FORMAT " bytes is too large for a project file",
                     (gint64) st.st_size);
      return NULL;
    }
  if (!g_file_get_contents (file, &contents, &length, &local_error))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot read “%s”: %s",
                   display, local_error->message);
      return NULL;
    }

  parser = json_parser_new ();
  if (!g_utf8_validate (contents, length, NULL) ||
      !json_parser_load_from_data (parser, contents, (gssize) length, &local_error))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "%s is not valid JSON%s%s; repair it by hand or restore it from a backup",
                   display, local_error ? ": " : "", local_error ? local_error->message : "");
      return NULL;
    }
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      project_error (error, display, "the top level must be an object");
      return NULL;
    }
  object = json_node_get_object (node);

  format = get_string_member (object, "format");
  if (g_strcmp0 (format, RF_PROJECT_FORMAT) != 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "%s is not a Refinery project file (“format” is not “%s”); "
                   "open the folder of a Refinery project",
                   display, RF_PROJECT_FORMAT);
      return NULL;
    }
  node = json_object_get_member (object, "format_version");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    {
      project_error (error, display, "“format_version” must be a whole number");
      return NULL;
    }
  version = json_node_get_int (node);
  if (version > RF_PROJECT_FORMAT_VERSION)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "%s has format_version %" G_GINT64_FORMAT ", written by a newer Refinery; "
                   "this version reads format_version %d: update Refinery to open this project",
                   display, version, RF_PROJECT_FORMAT_VERSION);
      return NULL;
    }
  if (version < 1)
    {
      project_error (error, display, "“format_version” %" G_GINT64_FORMAT " is not valid",
                     version);
      return NULL;
    }

  project = project_new (path);
  if (get_string_member (object, "name") == NULL)
    {
      project_error (error, display, "“name” must be a string");
      return NULL;
    }
  project->name = g_strdup (get_string_member (object, "name"));
  if (get_string_member (object, "created") == NULL)
    {
      project_error (error, display, "“created” must be a string (UTC ISO 8601)");
      return NULL;
    }
  project->created = g_strdup (get_string_member (object, "created"));
  if (!parse_machines (project, object, display, error))
    return NULL;

  project->root = json_node_ref (json_parser_get_root (parser));
  return g_steal_pointer (&project);
}

const char *
rf_project_get_path (RfProject *project)
{
  g_return_val_if_fail (project != NULL, NULL);
  return project->path;
}

const char *
rf_project_get_name (RfProject *project)
{
  g_return_val_if_fail (project != NULL, NULL);
  return project->name;
}

const char *
rf_project_get_created (RfProject *project)
{
  g_return_val_if_fail (project != NULL, NULL);
  return project->created;
}

guint
rf_project_get_n_machines (RfProject *project)
{
  g_return_val_if_fail (project != NULL, 0);
  return project->machines->len;
}

const RfMachine *
rf_project_get_machine (RfProject *project,
                        guint      index)
{
  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (index < project->machines->len, NULL);
  return g_ptr_array_index (project->machines, index);
}

const RfMachine *
rf_project_find_machine (RfProject  *project,
                         const char *id)
{
  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < project->machines->len; i++)
    {
      const RfMachine *machine = g_ptr_array_index (project->machines, i);
      if (strcmp (machine->id, id) == 0)
        return machine;
    }
  return NULL;
}

char *
rf_project_list_machine_ids (RfProject *project)
{
  GString *ids;

  g_return_val_if_fail (project != NULL, NULL);

  if (project->machines->len == 0)
    return g_strdup ("none");
  ids = g_string_new (NULL);
  for (guint i = 0; i < project->machines->len; i++)
    {
      const RfMachine *machine = g_ptr_array_index (project->machines, i);
      if (i > 0)
        g_string_append (ids, ", ");
      g_string_append (ids, machine->id);
    }
  return g_string_free (ids, FALSE);
}

static JsonNode *
machine_to_json (const RfMachine *machine,
                 const char      *profile_relative,
                 const char      *added)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, machine->id);
  if (machine->name != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, machine->name);
    }
  if (machine->type != NULL)
    {
      json_builder_set_member_name (builder, "machine_type");
      json_builder_add_string_value (builder, machine->type);
    }
  json_builder_set_member_name (builder, "profile");
  json_builder_add_string_value (builder, profile_relative);
  json_builder_set_member_name (builder, "added");
  json_builder_add_string_value (builder, added);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

const RfMachine *
rf_project_add_machine (RfProject   *project,
                        const char  *profile_file,
                        const char  *id,
                        GError     **error)
{
  g_autoptr(RfProfile) profile = NULL;
  g_autofree char *profiles_dir = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *target = NULL;
  g_autofree char *added = NULL;
  g_autoptr(GError) write_error = NULL;
  RfMachine *machine;
  JsonArray *machines;
  GBytes *bytes;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (profile_file != NULL, NULL);

  profile = rf_profile_load_file (profile_file, error);
  if (profile == NULL)
    return NULL;
  if (id == NULL)
    id = rf_profile_get_machine_id (profile);
  if (!rf_profile_id_is_valid (id))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "“%s” is not a valid machine id: use 1 to %d characters from a-z, 0-9, "
                   "'_' and '-'", id, RF_PROFILE_MAX_ID_LENGTH);
      return NULL;
    }
  if (rf_project_find_machine (project, id) != NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EXISTS,
                   "The project “%s” already has a machine “%s”; give the new one another id "
                   "(--id on the command line)", project->name, id);
      return NULL;
    }

  relative = g_strdup_printf ("profiles/%s.json", id);
  profiles_dir = g_build_filename (project->path, "profiles", NULL);
  target = g_build_filename (project->path, relative, NULL);
  if (g_file_test (target, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EXISTS,
                   "%s already exists although no machine “%s” is listed in the project; "
                   "move that file away or choose another id", target, id);
      return NULL;
    }
  if (!make_dir (profiles_dir, error))
    return NULL;

  /* The validated bytes, not a second read: what we checked is what we store. */
  bytes = rf_profile_get_bytes (profile);
  if (!rf_atomic_write_contents (target, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 error))
    return NULL;

  machine = machine_new ();
  machine->id = g_strdup (id);
  machine->name = g_strdup (rf_profile_get_name (profile));
  machine->type = g_strdup (rf_profile_get_machine_type (profile));
  machine->profile_path = g_steal_pointer (&target);
  added = now_utc_iso8601 ();

  machines = json_object_get_array_member (json_node_get_object (project->root), "machines");
  json_array_add_element (machines, machine_to_json (machine, relative, added));
  if (!write_project_file (project, &write_error))
    {
      /* Undo, so the project is as it was: no listed machine, no stray profile. */
      json_array_remove_element (machines, json_array_get_length (machines) - 1);
      g_unlink (machine->profile_path);
      machine_free (machine);
      g_propagate_error (error, g_steal_pointer (&write_error));
      return NULL;
    }
  g_ptr_array_add (project->machines, machine);
  return machine;
}

char *
rf_project_get_machine_dir (RfProject   *project,
                            const char  *step,
                            const char  *machine_id,
                            gboolean     create,
                            GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (step != NULL && g_strv_contains (step_dirs, step), NULL);
  g_return_val_if_fail (rf_profile_id_is_valid (machine_id), NULL);

  path = g_build_filename (project->path, step, machine_id, NULL);
  if (create && !make_dir (path, error))
    return NULL;
  return g_steal_pointer (&path);
}

/* Models ------------------------------------------------------------------- */

static JsonObject *
machine_json (RfProject  *project,
              const char *machine_id)
{
  JsonArray *machines = json_object_get_array_member (json_node_get_object (project->root), "machines");

  for (guint i = 0; i < json_array_get_length (machines); i++)
    {
      JsonObject *o = json_array_get_object_element (machines, i);

      if (g_strcmp0 (get_string_member (o, "id"), machine_id) == 0)
        return o;
    }
  return NULL;
}

typedef struct
{
  char   *path;
  gint64  mtime;
} ModelFile;

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const ModelFile *x = a, *y = b;

  if (x->mtime != y->mtime)
    return x->mtime > y->mtime ? -1 : 1;
  return -strcmp (x->path, y->path);
}

char **
rf_project_list_models (RfProject  *project,
                        const char *machine_id)
{
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GArray) files = g_array_new (FALSE, FALSE, sizeof (ModelFile));
  GPtrArray *paths = g_ptr_array_new ();
  const char *name;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (rf_profile_id_is_valid (machine_id), NULL);

  dir_path = rf_project_get_machine_dir (project, "models", machine_id, FALSE, NULL);
  dir = g_dir_open (dir_path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      ModelFile file;
      GStatBuf st;

      if (!g_str_has_suffix (name, ".safetensors"))
        continue;
      file.path = g_build_filename (dir_path, name, NULL);
      if (g_stat (file.path, &st) != 0 || !S_ISREG (st.st_mode))
        {
          g_free (file.path);
          continue;
        }
      file.mtime = (gint64) st.st_mtime;
      g_array_append_val (files, file);
    }
  g_array_sort (files, compare_newest_first);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (paths, g_array_index (files, ModelFile, i).path);
  g_ptr_array_add (paths, NULL);
  return (char **) g_ptr_array_free (paths, FALSE);
}

char *
rf_project_get_current_model (RfProject   *project,
                              const char  *machine_id,
                              GError     **error)
{
  const RfMachine *machine;
  g_auto(GStrv) models = NULL;

  g_return_val_if_fail (project != NULL, NULL);

  machine = rf_project_find_machine (project, machine_id);
  if (machine == NULL)
    {
      g_autofree char *ids = rf_project_list_machine_ids (project);
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "The project has no machine “%s” (machines: %s)", machine_id, ids);
      return NULL;
    }
  if (machine->default_model != NULL && g_file_test (machine->default_model, G_FILE_TEST_IS_REGULAR))
    return g_strdup (machine->default_model);
  models = rf_project_list_models (project, machine_id);
  if (models[0] == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "The machine “%s” has no model yet; train one first "
                   "(refinery-cli train PROJECT --machine %s)", machine_id, machine_id);
      return NULL;
    }
  return g_strdup (models[0]);
}

/* path relative to the project folder when it lies inside models/<id>/,
 * else NULL. */
static char *
model_relative_path (RfProject  *project,
                     const char *machine_id,
                     const char *path)
{
  g_autofree char *dir = rf_project_get_machine_dir (project, "models", machine_id, FALSE, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) models = g_file_new_for_path (dir);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GFile) root = g_file_new_for_path (project->path);

  if (parent == NULL || !g_file_equal (parent, models))
    return NULL;
  return g_file_get_relative_path (root, file);
}

gboolean
rf_project_set_default_model (RfProject   *project,
                              const char  *machine_id,
                              const char  *model_path,
                              const char  *reason,
                              GError     **error)
{
  RfMachine *machine;
  MachineEntry *entry;
  JsonObject *o, *choice;
  JsonArray *history = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *now = NULL;
  g_autofree char *display = NULL;
  const char *previous;

  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (model_path != NULL, FALSE);

  machine = (RfMachine *) rf_project_find_machine (project, machine_id);
  if (machine == NULL)
    {
      g_autofree char *ids = rf_project_list_machine_ids (project);
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "The project has no machine “%s” (machines: %s)", machine_id, ids);
      return FALSE;
    }
  display = g_filename_display_name (model_path);
  relative = model_relative_path (project, machine_id, model_path);
  if (relative == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "%s is not one of the machine's models: a default model must be a file in "
                   "models/%s/ of the project", display, machine_id);
      return FALSE;
    }
  if (!g_file_test (model_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "The model %s does not exist; list the machine's models with "
                   "“refinery-cli use-model PROJECT --machine %s --list”", display, machine_id);
      return FALSE;
    }

  previous = get_string_member (machine_json (project, machine_id), "default_model");
  if (g_strcmp0 (previous, relative) == 0)
    return TRUE;

  /* Edit a deep copy of project.json and keep it only once it is written:
   * on error the project is as it was. */
  text = json_to_string (project->root, FALSE);
  root = json_from_string (text, NULL);
  o = NULL;
  {
    JsonArray *machines = json_object_get_array_member (json_node_get_object (root), "machines");

    for (guint i = 0; i < json_array_get_length (machines) && o == NULL; i++)
      if (g_strcmp0 (get_string_member (json_array_get_object_element (machines, i), "id"), machine_id) == 0)
        o = json_array_get_object_element (machines, i);
  }
  g_assert (o != NULL);

  now = now_utc_iso8601 ();
  if (previous != NULL)
    {
      if (!json_object_has_member (o, "model_history"))
        json_object_set_array_member (o, "model_history", json_array_new ());
      history = json_object_get_array_member (o, "model_history");
      choice = json_object_new ();
      json_object_set_string_member (choice, "model", previous);
      if (get_string_member (o, "default_model_chosen") != NULL)
        json_object_set_string_member (choice, "chosen", get_string_member (o, "default_model_chosen"));
      json_object_set_string_member (choice, "replaced", now);
      json_array_add_object_element (history, choice);
    }
  json_object_set_string_member (o, "default_model", relative);
  json_object_set_string_member (o, "default_model_chosen", now);
  if (reason != NULL)
    json_object_set_string_member (o, "default_model_reason", reason);
  else if (json_object_has_member (o, "default_model_reason"))
    json_object_remove_member (o, "default_model_reason");

  path = g_build_filename (project->path, RF_PROJECT_FILE, NULL);
  if (!rf_atomic_write_json (path, root, error))
    return FALSE;
  json_node_unref (project->root);
  project->root = g_steal_pointer (&root);

  entry = (MachineEntry *) machine;
  if (previous != NULL)
    {
      RfModelChoice c = { 0 };
      JsonObject *last = json_array_get_object_element (history, json_array_get_length (history) - 1);

      c.model = g_strdup (get_string_member (last, "model"));
      c.chosen = g_strdup (get_string_member (last, "chosen"));
      c.replaced = g_strdup (get_string_member (last, "replaced"));
      g_array_append_val (entry->history, c);
    }
  g_free (machine->default_model);
  machine->default_model = g_build_filename (project->path, relative, NULL);
  return TRUE;
}

const RfModelChoice *
rf_project_get_model_history (RfProject  *project,
                              const char *machine_id,
                              guint      *n_choices)
{
  const RfMachine *machine;
  MachineEntry *entry;

  g_return_val_if_fail (project != NULL, NULL);
  g_return_val_if_fail (n_choices != NULL, NULL);

  *n_choices = 0;
  machine = rf_project_find_machine (project, machine_id);
  if (machine == NULL)
    return NULL;
  entry = (MachineEntry *) machine;
  *n_choices = entry->history->len;
  return (const RfModelChoice *) (gpointer) entry->history->data;
}

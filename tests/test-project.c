#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <utime.h>

#include "refinery.h"
#include "rf-test-util.h"

static char *
fixture_profile (const char *name)
{
  g_autofree char *relative = g_build_filename ("tests", "fixtures", "profiles", name, NULL);

  return rf_test_source_path (relative);
}

static char *
real_path (const char *path)
{
  char *resolved = realpath (path, NULL);
  char *copy = g_strdup (resolved);

  free (resolved);
  return copy;
}

static JsonObject *
read_json_object (const char *path,
                  JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_iso_utc (const char *text)
{
  g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                                       text, 0, 0));
}

static void
test_init_open (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "new", "Line 3", NULL);
  g_autofree char *file = g_build_filename (dir, "project.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(RfProject) reopened = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *canonical = NULL;
  g_autofree char *created = NULL;
  g_autoptr(GList) members = NULL;
  const char * const *steps;
  JsonObject *object;

  /* missing parents are created; the name defaults to the folder's */
  project = rf_project_init (dir, NULL, &error);
  g_assert_no_error (error);
  canonical = real_path (dir);
  g_assert_cmpstr (rf_project_get_path (project), ==, canonical);
  g_assert_cmpstr (rf_project_get_name (project), ==, "Line 3");
  assert_iso_utc (rf_project_get_created (project));
  g_assert_cmpuint (rf_project_get_n_machines (project), ==, 0);
  g_assert_true (rf_project_is_project_dir (dir));

  steps = rf_project_get_step_dirs ();
  g_assert_cmpuint (g_strv_length ((char **) steps), ==, 7);
  g_assert_cmpstr (steps[0], ==, "profiles");
  g_assert_cmpstr (steps[1], ==, "raw");
  g_assert_cmpstr (steps[2], ==, "processed");
  g_assert_cmpstr (steps[3], ==, "merged");
  g_assert_cmpstr (steps[4], ==, "models");
  g_assert_cmpstr (steps[5], ==, "augmented");
  g_assert_cmpstr (steps[6], ==, "reports");
  for (guint i = 0; steps[i] != NULL; i++)
    {
      g_autofree char *sub = g_build_filename (dir, steps[i], NULL);
      g_assert_true (g_file_test (sub, G_FILE_TEST_IS_DIR));
    }
  /* project.json is the only file, and nothing temporary is left */
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);

  object = read_json_object (file, parser);
  members = json_object_get_members (object);
  g_assert_cmpuint (g_list_length (members), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "refinery-project");
  g_assert_cmpint (json_object_get_int_member (object, "format_version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Line 3");
  g_assert_cmpstr (json_object_get_string_member (object, "created"), ==,
                   rf_project_get_created (project));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "machines")), ==, 0);

  reopened = rf_project_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rf_project_get_path (reopened), ==, canonical);
  g_assert_cmpstr (rf_project_get_name (reopened), ==, "Line 3");
  g_assert_cmpstr (rf_project_get_created (reopened), ==, rf_project_get_created (project));
  g_assert_cmpuint (rf_project_get_n_machines (reopened), ==, 0);

  /* ref counting */
  g_assert_true (rf_project_ref (reopened) == reopened);
  rf_project_unref (reopened);
  rf_test_remove_tree (tmp);
}

static void
test_init_named_in_empty_dir (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProject) project = rf_project_init (tmp, "Pumps, hall 2", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (rf_project_get_name (project), ==, "Pumps, hall 2");
  g_clear_pointer (&project, rf_project_unref);
  project = rf_project_open (tmp, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rf_project_get_name (project), ==, "Pumps, hall 2");
  rf_test_remove_tree (tmp);
}

static void
test_init_dot (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "hall_2", NULL);
  g_autofree char *cwd = g_get_current_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProject) project = NULL;

  /* "." is named after the folder it is, not "." */
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_cmpint (g_chdir (dir), ==, 0);
  project = rf_project_init (".", NULL, &error);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpstr (rf_project_get_name (project), ==, "hall_2");
  g_assert_true (g_str_has_suffix (rf_project_get_path (project), "/hall_2"));
  rf_test_remove_tree (tmp);
}

static void
test_init_refused (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *busy = g_build_filename (tmp, "busy", NULL);
  g_autofree char *file = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *project_dir = g_build_filename (tmp, "project", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProject) project = NULL;

  /* a folder holding something else */
  g_assert_cmpint (g_mkdir (busy, 0755), ==, 0);
  file = rf_test_write_file (busy, "notes.txt", "mine", -1);
  project = rf_project_init (busy, NULL, &error);
  g_assert_null (project);
  g_assert_error (error, RF_ERROR, RF_ERROR_EXISTS);
  expected = g_strdup_printf ("“%s” is not empty and is not a Refinery project; choose a new or "
                              "empty folder for the project", busy);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (rf_test_count_files (busy), ==, 1);
  g_clear_error (&error);

  /* a file */
  project = rf_project_init (file, NULL, &error);
  g_assert_null (project);
  g_assert_error (error, RF_ERROR, RF_ERROR_EXISTS);
  g_clear_error (&error);

  /* a project already */
  project = rf_project_init (project_dir, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&project, rf_project_unref);
  project = rf_project_init (project_dir, "again", &error);
  g_assert_null (project);
  g_assert_error (error, RF_ERROR, RF_ERROR_EXISTS);
  g_assert_true (g_str_has_suffix (error->message, "is already a Refinery project; open it "
                                                   "instead of creating it again"));
  g_clear_error (&error);

  /* an empty name */
  project = rf_project_init (busy, "", &error);
  g_assert_null (project);
  g_assert_error (error, RF_ERROR, RF_ERROR_EXISTS);   /* the folder check comes first */
  g_clear_error (&error);
  {
    g_autofree char *fresh = g_build_filename (tmp, "fresh", NULL);
    project = rf_project_init (fresh, "", &error);
    g_assert_null (project);
    g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
    g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
  }
  rf_test_remove_tree (tmp);
}

typedef struct
{
  const char *contents;
  int code;
  const char *message_suffix;
} BadProject;

#define DAMAGED "; the project file is damaged: repair it by hand or restore it from a backup"

static const BadProject bad_projects[] = {
  { "{\"format\": \"refinery-project\", \"format_version\": 1, \"name\": \"p\"", RF_ERROR_PARSE,
    "; repair it by hand or restore it from a backup" },
  { "[]", RF_ERROR_INVALID, "project.json: the top level must be an object" DAMAGED },
  { "{\"format\": \"something-else\", \"format_version\": 1}", RF_ERROR_FORMAT,
    "project.json is not a Refinery project file (“format” is not “refinery-project”); "
    "open the folder of a Refinery project" },
  { "{\"format\": \"refinery-project\", \"format_version\": 2, \"name\": \"p\", "
    "\"created\": \"2024-01-01T00:00:00Z\", \"machines\": []}", RF_ERROR_FORMAT,
    "project.json has format_version 2, written by a newer Refinery; this version reads "
    "format_version 1: update Refinery to open this project" },
  { "{\"format\": \"refinery-project\", \"format_version\": \"1\"}", RF_ERROR_INVALID,
    "project.json: “format_version” must be a whole number" DAMAGED },
  { "{\"format\": \"refinery-project\", \"format_version\": 0}", RF_ERROR_INVALID,
    "project.json: “format_version” 0 is not valid" DAMAGED },
  { "{\"format\": \"refinery-project\", \"format_version\": 1, \"created\": \"x\", \"machines\": []}",
    RF_ERROR_INVALID, "project.json: “name” must be a string" DAMAGED },
  { "{\"format\": \"refinery-project\", \"format_version\": 1, \"name\": \"p\", \"machines\": []}",
    RF_ERROR_INVALID, "project.json: “created” must be a string (UTC ISO 8601)" DAMAGED },
  { "{\"format\": \"refinery-project\", \"format_version\": 1, \"name\": \"p\", \"created\": \"x\"}",
    RF_ERROR_INVALID, "project.json: “machines” must be a list" DAMAGED },
  { "{\"format\": \"refinery-project\", \"format_version\": 1, \"name\": \"p\", \"created\": \"x\", "
    "\"machines\": [1]}", RF_ERROR_INVALID, "project.json: machines[0] must be an object" DAMAGED },
  { "{\"format\": \"refinery-project\", \"format_version\": 1, \"name\": \"p\", \"created\": \"x\", "
    "\"machines\": [{\"id\": \"../x\", \"profile\": \"profiles/x.json\"}]}", RF_ERROR_INVALID,
    "project.json: machines[0].id must be a machine id ([a-z0-9_-])" DAMAGED },
  { "{\"format\": \"refinery-project\", \"format_version\": 1, \"name\": \"p\", \"created\": \"x\", "
    "\"machines\": [{\"id\": \"a\", \"profile\": \"profiles/a.json\"}, "
    "{\"id\": \"a\", \"profile\": \"profiles/a.json\"}]}", RF_ERROR_INVALID,
    "project.json: machines[1].id “a” is listed twice" DAMAGED },
  { "{\"format\": \"refinery-project\", \"format_version\": 1, \"name\": \"p\", \"created\": \"x\", "
    "\"machines\": [{\"id\": \"a\", \"profile\": \"../../etc/passwd\"}]}", RF_ERROR_INVALID,
    "project.json: machines[0].profile must be a path inside the project folder" DAMAGED },
  { "{\"format\": \"refinery-project\", \"format_version\": 1, \"name\": \"p\", \"created\": \"x\", "
    "\"machines\": [{\"id\": \"a\", \"profile\": \"/etc/passwd\"}]}", RF_ERROR_INVALID,
    "project.json: machines[0].profile must be a path inside the project folder" DAMAGED },
  { "\xff\xfe{}", RF_ERROR_PARSE, "; repair it by hand or restore it from a backup" },
};

static void
test_open_refused (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *missing = g_build_filename (tmp, "missing", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProject) project = NULL;

  project = rf_project_open (missing, &error);
  g_assert_null (project);
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a folder without project.json */
  project = rf_project_open (tmp, &error);
  g_assert_null (project);
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_suffix (error->message,
                                   "is not a Refinery project (it has no project.json); create "
                                   "one with “refinery-cli project init FOLDER” or open the "
                                   "project's folder"));
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad_projects); i++)
    {
      g_autofree char *file = rf_test_write_file (tmp, "project.json", bad_projects[i].contents, -1);

      g_test_message ("case %u", i);
      project = rf_project_open (tmp, &error);
      g_assert_null (project);
      g_assert_error (error, RF_ERROR, bad_projects[i].code);
      if (!g_str_has_suffix (error->message, bad_projects[i].message_suffix))
        g_error ("case %u: “%s” does not end with “%s”", i, error->message,
                 bad_projects[i].message_suffix);
      g_clear_error (&error);
    }
  rf_test_remove_tree (tmp);
}

static void
test_add_machine (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *profile_path = fixture_profile ("full.json");
  g_autofree char *stored = g_build_filename (tmp, "profiles", "pump_07-b.json", NULL);
  g_autofree char *project_file = g_build_filename (tmp, "project.json", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gsize la, lb;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProject) project = rf_project_init (tmp, "plant", &error);
  g_autoptr(RfProject) reopened = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *canonical = real_path (tmp);
  g_autofree char *expected_path = g_build_filename (canonical, "profiles", "pump_07-b.json", NULL);
  g_autofree char *ids = NULL;
  const RfMachine *machine;
  JsonObject *object;
  JsonArray *machines;
  JsonObject *entry;

  g_assert_no_error (error);
  ids = rf_project_list_machine_ids (project);
  g_assert_cmpstr (ids, ==, "none");
  g_clear_pointer (&ids, g_free);

  machine = rf_project_add_machine (project, profile_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (machine->id, ==, "pump_07-b");
  g_assert_cmpstr (machine->name, ==, "Cooling water pump 7B");
  g_assert_cmpstr (machine->type, ==, "centrifugal_pump");
  g_assert_cmpstr (machine->profile_path, ==, expected_path);
  g_assert_true (rf_project_find_machine (project, "pump_07-b") == machine);
  g_assert_true (rf_project_get_machine (project, 0) == machine);
  g_assert_cmpuint (rf_project_get_n_machines (project), ==, 1);

  /* byte for byte, unknown keys and all */
  g_assert_true (g_file_get_contents (profile_path, &a, &la, NULL));
  g_assert_true (g_file_get_contents (stored, &b, &lb, NULL));
  g_assert_cmpmem (a, la, b, lb);

  object = read_json_object (project_file, parser);
  machines = json_object_get_array_member (object, "machines");
  g_assert_cmpuint (json_array_get_length (machines), ==, 1);
  entry = json_array_get_object_element (machines, 0);
  g_assert_cmpuint (json_object_get_size (entry), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, "pump_07-b");
  g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, "Cooling water pump 7B");
  g_assert_cmpstr (json_object_get_string_member (entry, "machine_type"), ==, "centrifugal_pump");
  g_assert_cmpstr (json_object_get_string_member (entry, "profile"), ==, "profiles/pump_07-b.json");
  assert_iso_utc (json_object_get_string_member (entry, "added"));

  /* the same profile under another id; a minimal profile has no name */
  g_clear_pointer (&profile_path, g_free);
  profile_path = fixture_profile ("minimal.json");
  machine = rf_project_add_machine (project, profile_path, "m2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (machine->id, ==, "m2");
  g_assert_null (machine->name);
  g_assert_null (machine->type);
  ids = rf_project_list_machine_ids (project);
  g_assert_cmpstr (ids, ==, "pump_07-b, m2");

  reopened = rf_project_open (tmp, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_project_get_n_machines (reopened), ==, 2);
  machine = rf_project_get_machine (reopened, 0);
  g_assert_cmpstr (machine->id, ==, "pump_07-b");
  g_assert_cmpstr (machine->name, ==, "Cooling water pump 7B");
  g_assert_cmpstr (machine->type, ==, "centrifugal_pump");
  g_assert_cmpstr (machine->profile_path, ==, expected_path);
  machine = rf_project_get_machine (reopened, 1);
  g_assert_cmpstr (machine->id, ==, "m2");
  g_assert_null (machine->name);
  g_assert_null (rf_project_find_machine (reopened, "m3"));
  rf_test_remove_tree (tmp);
}

static void
assert_unchanged (const char *dir,
                  const char *project_json_before,
                  guint       files_before)
{
  g_autofree char *file = g_build_filename (dir, "project.json", NULL);
  g_autofree char *now = NULL;

  g_assert_true (g_file_get_contents (file, &now, NULL, NULL));
  g_assert_cmpstr (now, ==, project_json_before);
  g_assert_cmpuint (rf_test_count_files (dir), ==, files_before);
}

static void
test_add_machine_refused (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *minimal = fixture_profile ("minimal.json");
  g_autofree char *bad = fixture_profile ("min-greater-than-max.json");
  g_autofree char *project_file = g_build_filename (tmp, "project.json", NULL);
  g_autofree char *before = NULL;
  g_autofree char *stray = NULL;
  g_autofree char *profiles = g_build_filename (tmp, "profiles", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProject) project = rf_project_init (tmp, "plant", &error);
  guint files;

  g_assert_no_error (error);
  g_assert_nonnull (rf_project_add_machine (project, minimal, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (project_file, &before, NULL, NULL));
  files = rf_test_count_files (tmp);
  g_assert_cmpuint (files, ==, 2);

  /* duplicate id */
  g_assert_null (rf_project_add_machine (project, minimal, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==,
                   "The project “plant” already has a machine “m1”; give the new one another id "
                   "(--id on the command line)");
  g_clear_error (&error);
  assert_unchanged (tmp, before, files);

  /* an id that is no folder name */
  g_assert_null (rf_project_add_machine (project, minimal, "../evil", &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "“../evil” is not a valid machine id: use 1 to 64 characters from a-z, 0-9, "
                   "'_' and '-'");
  g_clear_error (&error);
  assert_unchanged (tmp, before, files);

  /* an invalid profile */
  g_assert_null (rf_project_add_machine (project, bad, "m9", &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_clear_error (&error);
  assert_unchanged (tmp, before, files);

  /* a missing profile */
  g_assert_null (rf_project_add_machine (project, "/nonexistent/p.json", "m9", &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_unchanged (tmp, before, files);

  /* a profile file nobody listed is never overwritten */
  stray = rf_test_write_file (profiles, "m7.json", "keep me", -1);
  files++;
  g_assert_null (rf_project_add_machine (project, minimal, "m7", &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_EXISTS);
  g_clear_error (&error);
  assert_unchanged (tmp, before, files);

  g_assert_cmpuint (rf_project_get_n_machines (project), ==, 1);
  rf_test_remove_tree (tmp);
}

static void
test_unknown_keys_kept (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *minimal = fixture_profile ("minimal.json");
  g_autofree char *file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProject) project = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonObject *entry;

  file = rf_test_write_file (tmp, "project.json",
                             "{\"format\": \"refinery-project\", \"format_version\": 1,\n"
                             " \"name\": \"old\", \"created\": \"2024-01-02T03:04:05Z\",\n"
                             " \"lineage\": {\"runs\": [1, 2]},\n"
                             " \"machines\": [{\"id\": \"a\", \"profile\": \"profiles/a.json\","
                             " \"color\": \"red\"}]}\n", -1);
  project = rf_project_open (tmp, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rf_project_get_created (project), ==, "2024-01-02T03:04:05Z");
  g_assert_cmpuint (rf_project_get_n_machines (project), ==, 1);
  g_assert_null (rf_project_get_machine (project, 0)->name);
  g_assert_nonnull (rf_project_add_machine (project, minimal, NULL, &error));
  g_assert_no_error (error);

  object = read_json_object (file, parser);
  g_assert_true (json_object_has_member (object, "lineage"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (object, "lineage"), "runs")), ==, 2);
  entry = json_array_get_object_element (json_object_get_array_member (object, "machines"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "color"), ==, "red");
  entry = json_array_get_object_element (json_object_get_array_member (object, "machines"), 1);
  g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, "m1");
  rf_test_remove_tree (tmp);
}

static void
test_machine_dir (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProject) project = rf_project_init (tmp, "p", &error);
  g_autofree char *canonical = real_path (tmp);
  g_autofree char *expected = g_build_filename (canonical, "processed", "m1", NULL);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  path = rf_project_get_machine_dir (project, "processed", "m1", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, expected);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&path, g_free);
  path = rf_project_get_machine_dir (project, "processed", "m1", TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
  rf_test_remove_tree (tmp);
}

/* Default models: the newest model until one is chosen; choosing keeps the
 * previous one in the history; the choice survives reopening; models from
 * elsewhere are refused and leave project.json as it was. */
static void
test_default_model (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *profile_path = fixture_profile ("full.json");
  g_autofree char *project_file = g_build_filename (tmp, "project.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProject) project = rf_project_init (tmp, "plant", &error);
  g_autoptr(RfProject) reopened = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *models = NULL, *old = NULL, *new = NULL, *outside = NULL;
  g_autofree char *current = NULL, *before = NULL, *after = NULL;
  g_auto(GStrv) list = NULL;
  const RfModelChoice *history;
  struct utimbuf times;
  JsonObject *entry;
  guint n;

  g_assert_no_error (error);
  rf_project_add_machine (project, profile_path, "m1", &error);
  g_assert_no_error (error);

  current = rf_project_get_current_model (project, "m1", &error);
  g_assert_null (current);
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "train one first"));
  g_clear_error (&error);
  list = rf_project_list_models (project, "m1");
  g_assert_cmpuint (g_strv_length (list), ==, 0);
  g_clear_pointer (&list, g_strfreev);

  models = rf_project_get_machine_dir (project, "models", "m1", TRUE, &error);
  old = rf_test_write_file (models, "tvae_a.safetensors", "old", -1);
  new = rf_test_write_file (models, "tvae_b_refined.safetensors", "new", -1);
  g_free (rf_test_write_file (models, "training_comparison.json", "{}", -1));
  times.actime = times.modtime = 1000000000;
  g_assert_cmpint (utime (old, &times), ==, 0);
  list = rf_project_list_models (project, "m1");
  g_assert_cmpuint (g_strv_length (list), ==, 2);
  g_assert_true (g_str_has_suffix (list[0], "tvae_b_refined.safetensors"));
  g_assert_true (g_str_has_suffix (list[1], "tvae_a.safetensors"));
  current = rf_project_get_current_model (project, "m1", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (current, "tvae_b_refined.safetensors"));
  g_clear_pointer (&current, g_free);

  /* Choose the older one, then the newer: history holds the older. */
  g_assert_true (rf_project_set_default_model (project, "m1", list[1], "baseline", &error));
  g_assert_no_error (error);
  current = rf_project_get_current_model (project, "m1", &error);
  g_assert_true (g_str_has_suffix (current, "tvae_a.safetensors"));
  g_clear_pointer (&current, g_free);
  history = rf_project_get_model_history (project, "m1", &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_true (rf_project_set_default_model (project, "m1", list[0], "use refined model", &error));
  g_assert_no_error (error);
  history = rf_project_get_model_history (project, "m1", &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (history[0].model, ==, "models/m1/tvae_a.safetensors");
  assert_iso_utc (history[0].chosen);
  assert_iso_utc (history[0].replaced);
  /* Again: nothing changes. */
  g_assert_true (rf_project_set_default_model (project, "m1", list[0], NULL, &error));
  history = rf_project_get_model_history (project, "m1", &n);
  g_assert_cmpuint (n, ==, 1);

  entry = json_array_get_object_element (json_object_get_array_member (read_json_object (project_file, parser),
                                                                       "machines"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "default_model"), ==,
                   "models/m1/tvae_b_refined.safetensors");
  g_assert_cmpstr (json_object_get_string_member (entry, "default_model_reason"), ==, "use refined model");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry, "model_history")), ==, 1);

  reopened = rf_project_open (tmp, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (rf_project_find_machine (reopened, "m1")->default_model,
                                   "/models/m1/tvae_b_refined.safetensors"));
  history = rf_project_get_model_history (reopened, "m1", &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (history[0].model, ==, "models/m1/tvae_a.safetensors");

  /* Refused: a model outside models/m1/, a missing one, an unknown machine. */
  g_file_get_contents (project_file, &before, NULL, NULL);
  outside = rf_test_write_file (tmp, "elsewhere.safetensors", "x", -1);
  g_assert_false (rf_project_set_default_model (project, "m1", outside, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "models/m1/"));
  g_clear_error (&error);
  g_clear_pointer (&outside, g_free);
  outside = g_build_filename (models, "gone.safetensors", NULL);
  g_assert_false (rf_project_set_default_model (project, "m1", outside, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (rf_project_set_default_model (project, "m9", list[0], NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_file_get_contents (project_file, &after, NULL, NULL);
  g_assert_cmpstr (before, ==, after);

  /* A default whose file was removed: the newest model again. */
  g_assert_cmpint (g_unlink (new), ==, 0);
  current = rf_project_get_current_model (project, "m1", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (current, "tvae_a.safetensors"));
  rf_test_remove_tree (tmp);
}

static void
test_sample_project (void)
{
  g_autofree char *dir = rf_test_source_path ("data/sample");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProject) project = rf_project_open (dir, &error);
  g_autoptr(RfProfile) profile = NULL;
  const RfMachine *machine;

  g_assert_no_error (error);
  g_assert_cmpstr (rf_project_get_name (project), ==, "Refinery sample: NASA C-MAPSS FD001");
  g_assert_cmpstr (rf_project_get_created (project), ==, "2024-05-01T12:00:00Z");
  g_assert_cmpuint (rf_project_get_n_machines (project), ==, 1);
  machine = rf_project_find_machine (project, "turbofan_fd001");
  g_assert_nonnull (machine);
  g_assert_cmpstr (machine->name, ==, "Turbofan engine (NASA C-MAPSS FD001)");
  g_assert_cmpstr (machine->type, ==, "turbofan_engine");
  profile = rf_profile_load_file (machine->profile_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rf_profile_get_machine_id (profile), ==, "turbofan_fd001");
  g_assert_cmpstr (rf_profile_get_name (profile), ==, machine->name);
  g_assert_cmpuint (rf_profile_get_n_sensors (profile), ==, 27);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/project/init-open", test_init_open);
  g_test_add_func ("/rf/project/init-named-in-empty-dir", test_init_named_in_empty_dir);
  g_test_add_func ("/rf/project/init-dot", test_init_dot);
  g_test_add_func ("/rf/project/init-refused", test_init_refused);
  g_test_add_func ("/rf/project/open-refused", test_open_refused);
  g_test_add_func ("/rf/project/add-machine", test_add_machine);
  g_test_add_func ("/rf/project/add-machine-refused", test_add_machine_refused);
  g_test_add_func ("/rf/project/unknown-keys-kept", test_unknown_keys_kept);
  g_test_add_func ("/rf/project/machine-dir", test_machine_dir);
  g_test_add_func ("/rf/project/default-model", test_default_model);
  g_test_add_func ("/rf/project/sample-project", test_sample_project);
  return g_test_run ();
}

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "refinery.h"
#include "rf-test-util.h"

static RfProfile *
load_fixture (const char  *name,
              GError     **error)
{
  g_autofree char *relative = g_build_filename ("tests", "fixtures", "profiles", name, NULL);
  g_autofree char *path = rf_test_source_path (relative);

  return rf_profile_load_file (path, error);
}

static RfProfile *
load_text (const char  *text,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return rf_profile_load_bytes (bytes, "inline.json", error);
}

static void
test_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProfile) profile = load_fixture ("minimal.json", &error);
  const RfSensor *x;

  g_assert_no_error (error);
  g_assert_cmpstr (rf_profile_get_machine_id (profile), ==, "m1");
  g_assert_null (rf_profile_get_name (profile));
  g_assert_null (rf_profile_get_machine_type (profile));
  g_assert_null (rf_profile_get_description (profile));
  g_assert_true (isnan (rf_profile_get_sampling_interval (profile)));
  g_assert_cmpuint (rf_profile_get_n_sensors (profile), ==, 1);

  x = rf_profile_get_sensor (profile, 0);
  g_assert_cmpstr (x->name, ==, "x");
  g_assert_null (x->unit);
  g_assert_null (x->description);
  g_assert_true (isnan (x->min));
  g_assert_true (isnan (x->max));
  g_assert_true (x->required);
  g_assert_cmpint (x->role, ==, RF_ROLE_SENSOR);
  g_assert_true (rf_profile_find_sensor (profile, "x") == x);
  g_assert_null (rf_profile_find_sensor (profile, "X"));
  g_assert_null (rf_profile_find_role (profile, RF_ROLE_RUL));
  g_assert_cmpuint (g_bytes_get_size (rf_profile_get_bytes (profile)), ==,
                    strlen ("{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"x\"}]}\n"));
}

static void
test_full (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProfile) profile = load_fixture ("full.json", &error);
  g_autofree char *path = rf_test_source_path ("tests/fixtures/profiles/full.json");
  g_autofree char *contents = NULL;
  gsize length;
  const RfSensor *s;
  GBytes *bytes;

  g_assert_no_error (error);
  g_assert_cmpstr (rf_profile_get_machine_id (profile), ==, "pump_07-b");
  g_assert_cmpstr (rf_profile_get_name (profile), ==, "Cooling water pump 7B");
  g_assert_cmpstr (rf_profile_get_machine_type (profile), ==, "centrifugal_pump");
  g_assert_cmpstr (rf_profile_get_description (profile), ==, "Pump on the secondary circuit");
  g_assert_cmpfloat (rf_profile_get_sampling_interval (profile), ==, 0.5);
  g_assert_cmpuint (rf_profile_get_n_sensors (profile), ==, 6);

  s = rf_profile_get_sensor (profile, 0);
  g_assert_cmpstr (s->name, ==, "time");
  g_assert_cmpint (s->role, ==, RF_ROLE_TIMESTAMP);
  g_assert_false (s->required);   /* default for roles other than sensor */
  g_assert_true (rf_profile_find_role (profile, RF_ROLE_TIMESTAMP) == s);

  s = rf_profile_get_sensor (profile, 1);
  g_assert_cmpstr (s->name, ==, "bearing_temp");
  g_assert_cmpstr (s->unit, ==, "degC");
  g_assert_cmpfloat (s->min, ==, -20.0);
  g_assert_cmpfloat (s->max, ==, 120.5);
  g_assert_cmpstr (s->description, ==, "Drive-end bearing temperature");
  g_assert_true (s->required);
  g_assert_cmpint (s->role, ==, RF_ROLE_SENSOR);

  s = rf_profile_get_sensor (profile, 2);
  g_assert_cmpstr (s->name, ==, "vibration");
  g_assert_cmpfloat (s->min, ==, 0.0);
  g_assert_true (isnan (s->max));
  g_assert_false (s->required);

  s = rf_profile_get_sensor (profile, 3);
  g_assert_cmpstr (s->name, ==, "flow");
  g_assert_true (isnan (s->min));
  g_assert_cmpfloat (s->max, ==, 400.0);
  g_assert_null (s->description);   /* null counts as absent */
  g_assert_true (s->required);

  s = rf_profile_get_sensor (profile, 4);
  g_assert_cmpstr (s->name, ==, "rul_h");
  g_assert_cmpint (s->role, ==, RF_ROLE_RUL);
  g_assert_true (s->required);      /* explicit beats the default */
  g_assert_true (rf_profile_find_role (profile, RF_ROLE_RUL) == s);

  s = rf_profile_get_sensor (profile, 5);
  g_assert_cmpint (s->role, ==, RF_ROLE_UNIT_ID);
  g_assert_cmpfloat (s->min, ==, 1.0);
  g_assert_cmpfloat (s->max, ==, 1.0);

  /* Unknown keys ("physics", "x-vendor-tag") are no error, and the bytes are
   * kept exactly as read. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = rf_profile_get_bytes (profile);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), contents, length);
}

static void
test_bom_crlf (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProfile) profile = load_fixture ("bom-crlf.json", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (rf_profile_get_machine_id (profile), ==, "m1");
  /* the BOM stays in the stored bytes */
  g_assert_cmpuint (g_bytes_get_size (rf_profile_get_bytes (profile)), ==, 3 + 48 + 2);
}

static void
test_bundled_turbofan (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = rf_test_source_path ("data/profiles/turbofan.json");
  g_autofree char *sample_path = rf_test_source_path ("data/sample/profiles/turbofan_fd001.json");
  g_autoptr(RfProfile) profile = rf_profile_load_file (path, &error);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gsize la, lb;
  static const char *columns[] = {
    "unit", "cycle", "setting_1", "setting_2", "setting_3",
    "s_1", "s_2", "s_3", "s_4", "s_5", "s_6", "s_7", "s_8", "s_9", "s_10", "s_11",
    "s_12", "s_13", "s_14", "s_15", "s_16", "s_17", "s_18", "s_19", "s_20", "s_21", "RUL",
  };
  static const char *optional[] = { "setting_3", "s_1", "s_5", "s_10", "s_16", "s_18", "s_19" };
  const RfSensor *s;

  g_assert_no_error (error);
  g_assert_cmpstr (rf_profile_get_machine_id (profile), ==, "turbofan_fd001");
  g_assert_cmpstr (rf_profile_get_machine_type (profile), ==, "turbofan_engine");
  g_assert_cmpuint (rf_profile_get_n_sensors (profile), ==, G_N_ELEMENTS (columns));
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      s = rf_profile_get_sensor (profile, i);
      g_assert_cmpstr (s->name, ==, columns[i]);
      /* every column has a range and a description */
      g_assert_false (isnan (s->min));
      g_assert_false (isnan (s->max));
      g_assert_nonnull (s->description);
    }
  g_assert_cmpstr (rf_profile_find_role (profile, RF_ROLE_UNIT_ID)->name, ==, "unit");
  g_assert_cmpstr (rf_profile_find_role (profile, RF_ROLE_RUL)->name, ==, "RUL");
  g_assert_null (rf_profile_find_role (profile, RF_ROLE_TIMESTAMP));
  for (guint i = 0; i < G_N_ELEMENTS (optional); i++)
    g_assert_false (rf_profile_find_sensor (profile, optional[i])->required);
  g_assert_true (rf_profile_find_sensor (profile, "s_2")->required);
  g_assert_false (rf_profile_find_sensor (profile, "RUL")->required);

  s = rf_profile_find_sensor (profile, "s_2");
  g_assert_cmpstr (s->unit, ==, "°R");
  g_assert_cmpfloat (s->min, ==, 635.0);
  g_assert_cmpfloat (s->max, ==, 650.0);
  s = rf_profile_find_sensor (profile, "s_9");
  g_assert_cmpstr (s->unit, ==, "rpm");
  g_assert_cmpfloat (s->min, ==, 8950.0);
  g_assert_cmpfloat (s->max, ==, 9300.0);
  s = rf_profile_find_sensor (profile, "s_7");
  g_assert_cmpstr (s->unit, ==, "psia");

  /* the sample project stores the template byte for byte */
  g_assert_true (g_file_get_contents (path, &a, &la, NULL));
  g_assert_true (g_file_get_contents (sample_path, &b, &lb, NULL));
  g_assert_cmpmem (a, la, b, lb);
}

typedef struct
{
  const char *json;
  int code;
  const char *message;
} BadProfile;

#define FIX "; fix the machine profile and load it again"

static const BadProfile bad_profiles[] = {
  { "[1, 2]", RF_ERROR_INVALID,
    "inline.json: a machine profile must be a JSON object like "
    "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"x\"}]}" },
  { "{\"sensors\": [{\"name\": \"x\"}]}", RF_ERROR_INVALID,
    "inline.json: machine_id: is required" FIX },
  { "{\"machine_id\": null, \"sensors\": [{\"name\": \"x\"}]}", RF_ERROR_INVALID,
    "inline.json: machine_id: is required" FIX },
  { "{\"machine_id\": 7, \"sensors\": [{\"name\": \"x\"}]}", RF_ERROR_INVALID,
    "inline.json: machine_id: must be a string" FIX },
  { "{\"machine_id\": \"Pump/1\", \"sensors\": [{\"name\": \"x\"}]}", RF_ERROR_INVALID,
    "inline.json: machine_id: “Pump/1” is not a valid id: use 1 to 64 characters from a-z, "
    "0-9, '_' and '-'" FIX },
  { "{\"machine_id\": \"..\", \"sensors\": [{\"name\": \"x\"}]}", RF_ERROR_INVALID,
    "inline.json: machine_id: “..” is not a valid id: use 1 to 64 characters from a-z, "
    "0-9, '_' and '-'" FIX },
  { "{\"machine_id\": \"\", \"sensors\": [{\"name\": \"x\"}]}", RF_ERROR_INVALID,
    "inline.json: machine_id: “” is not a valid id: use 1 to 64 characters from a-z, "
    "0-9, '_' and '-'" FIX },
  { "{\"machine_id\": \"m1\", \"name\": 3, \"sensors\": [{\"name\": \"x\"}]}", RF_ERROR_INVALID,
    "inline.json: name: must be a string" FIX },
  { "{\"machine_id\": \"m1\", \"machine_type\": [], \"sensors\": [{\"name\": \"x\"}]}",
    RF_ERROR_INVALID, "inline.json: machine_type: must be a string" FIX },
  { "{\"machine_id\": \"m1\", \"description\": {}, \"sensors\": [{\"name\": \"x\"}]}",
    RF_ERROR_INVALID, "inline.json: description: must be a string" FIX },
  { "{\"machine_id\": \"m1\", \"sampling_interval_s\": \"1s\", \"sensors\": [{\"name\": \"x\"}]}",
    RF_ERROR_INVALID, "inline.json: sampling_interval_s: must be a number" FIX },
  { "{\"machine_id\": \"m1\", \"sampling_interval_s\": 0, \"sensors\": [{\"name\": \"x\"}]}",
    RF_ERROR_INVALID, "inline.json: sampling_interval_s: must be greater than 0" FIX },
  { "{\"machine_id\": \"m1\", \"profile_version\": 2, \"sensors\": [{\"name\": \"x\"}]}",
    RF_ERROR_FORMAT,
    "inline.json: profile_version 2 is newer than this Refinery reads (up to 1); "
    "update Refinery to use this profile" },
  { "{\"machine_id\": \"m1\", \"profile_version\": \"1\", \"sensors\": [{\"name\": \"x\"}]}",
    RF_ERROR_INVALID, "inline.json: profile_version: must be a whole number" FIX },
  { "{\"machine_id\": \"m1\", \"profile_version\": 0, \"sensors\": [{\"name\": \"x\"}]}",
    RF_ERROR_INVALID, "inline.json: profile_version: must be 1 or more" FIX },
  { "{\"machine_id\": \"m1\"}", RF_ERROR_INVALID, "inline.json: sensors: is required" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": {\"name\": \"x\"}}", RF_ERROR_INVALID,
    "inline.json: sensors: must be a list like [{\"name\": \"temp\"}]" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": []}", RF_ERROR_INVALID,
    "inline.json: sensors: must list at least one sensor" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"x\"}, \"y\"]}", RF_ERROR_INVALID,
    "inline.json: sensors[1]: must be an object like {\"name\": \"temp\"}" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"unit\": \"K\"}]}", RF_ERROR_INVALID,
    "inline.json: sensors[0].name: is required" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": 5}]}", RF_ERROR_INVALID,
    "inline.json: sensors[0].name: must be a string" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"\"}]}", RF_ERROR_INVALID,
    "inline.json: sensors[0].name: must not be empty" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"a\"}]}",
    RF_ERROR_INVALID, "inline.json: sensors[2].name: “a” is already the name of sensors[0]" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"a\", \"unit\": 1}]}", RF_ERROR_INVALID,
    "inline.json: sensors[0].unit: must be a string" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"a\", \"description\": true}]}",
    RF_ERROR_INVALID, "inline.json: sensors[0].description: must be a string" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"},"
    " {\"name\": \"d\", \"min\": \"low\"}]}", RF_ERROR_INVALID,
    "inline.json: sensors[3].min: must be a number" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"a\", \"max\": [1]}]}", RF_ERROR_INVALID,
    "inline.json: sensors[0].max: must be a number" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"a\", \"max\": 1e999}]}", RF_ERROR_INVALID,
    "inline.json: sensors[0].max: must be a finite number" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"a\", \"min\": 10, \"max\": 5}]}",
    RF_ERROR_INVALID, "inline.json: sensors[0]: min (10) > max (5)" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"a\", \"required\": \"yes\"}]}",
    RF_ERROR_INVALID, "inline.json: sensors[0].required: must be true or false" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"a\", \"required\": 1}]}",
    RF_ERROR_INVALID, "inline.json: sensors[0].required: must be true or false" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"a\", \"role\": \"label\"}]}",
    RF_ERROR_INVALID,
    "inline.json: sensors[0].role: “label” is not a role; use sensor, timestamp, rul or unit_id" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"a\", \"role\": 1}]}",
    RF_ERROR_INVALID, "inline.json: sensors[0].role: must be a string" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"a\", \"role\": \"rul\"},"
    " {\"name\": \"b\", \"role\": \"rul\"}]}", RF_ERROR_INVALID,
    "inline.json: sensors[1].role: sensors[0] already has the role rul and a profile has at "
    "most one" FIX },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"t\", \"role\": \"timestamp\"},"
    " {\"name\": \"u\", \"role\": \"timestamp\"}]}", RF_ERROR_INVALID,
    "inline.json: sensors[1].role: sensors[0] already has the role timestamp and a profile has at "
    "most one" FIX },
  { "", RF_ERROR_EMPTY,
    "inline.json: the machine profile is empty; it needs at least "
    "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"x\"}]}" },
  { " \n\t ", RF_ERROR_EMPTY,
    "inline.json: the machine profile is empty; it needs at least "
    "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"x\"}]}" },
  { "{\"machine_id\": \"m1\", \"sensors\": [", RF_ERROR_PARSE, NULL },
  { "{\"machine_id\": \"m1\" \"sensors\": []}", RF_ERROR_PARSE, NULL },
  { "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"caf\xe9\"}]}", RF_ERROR_ENCODING,
    "inline.json: the machine profile is not UTF-8 text; save it as UTF-8 and load it again" },
};

static void
test_invalid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_profiles); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RfProfile) profile = load_text (bad_profiles[i].json, &error);
      g_autofree char *escaped = g_strescape (bad_profiles[i].json, NULL);

      g_test_message ("case %u: %s", i, escaped);
      g_assert_null (profile);
      g_assert_error (error, RF_ERROR, bad_profiles[i].code);
      if (bad_profiles[i].message != NULL)
        g_assert_cmpstr (error->message, ==, bad_profiles[i].message);
      else
        g_assert_true (g_str_has_prefix (error->message, "inline.json:1:"));
    }
}

static void
test_fixture_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProfile) profile = NULL;

  profile = load_fixture ("min-greater-than-max.json", &error);
  g_assert_null (profile);
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_true (g_str_has_suffix (error->message,
                                   "min-greater-than-max.json: sensors[3]: min (10) > max (5)" FIX));
  g_clear_error (&error);

  /* the JSON error names the file, line and column */
  profile = load_fixture ("bad-syntax.json", &error);
  g_assert_null (profile);
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "bad-syntax.json:3:"));
  g_assert_true (g_str_has_suffix (error->message, "; fix the JSON syntax of the machine profile"));
  g_clear_error (&error);

  profile = load_fixture ("latin1.json", &error);
  g_assert_null (profile);
  g_assert_error (error, RF_ERROR, RF_ERROR_ENCODING);
  g_clear_error (&error);

  profile = load_fixture ("no-such-profile.json", &error);
  g_assert_null (profile);
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-profile.json"));
  g_clear_error (&error);

  /* a folder is not a profile */
  profile = load_fixture ("", &error);
  g_assert_null (profile);
  g_assert_error (error, RF_ERROR, RF_ERROR_IO);
}

static void
test_too_large (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "huge.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfProfile) profile = NULL;
  FILE *f = fopen (path, "w");

  /* a sparse 17 MB file: refused before it is read */
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, RF_PROFILE_MAX_BYTES, SEEK_SET), ==, 0);
  g_assert_cmpint (fputc ('}', f), ==, '}');
  fclose (f);

  profile = rf_profile_load_file (path, &error);
  g_assert_null (profile);
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "16777217 bytes is too large for a machine profile"));
  rf_test_remove_tree (dir);
}

static void
test_id_is_valid (void)
{
  g_autofree char *long_id = g_strnfill (RF_PROFILE_MAX_ID_LENGTH, 'a');
  g_autofree char *too_long = g_strnfill (RF_PROFILE_MAX_ID_LENGTH + 1, 'a');

  g_assert_true (rf_profile_id_is_valid ("m1"));
  g_assert_true (rf_profile_id_is_valid ("turbofan_fd001"));
  g_assert_true (rf_profile_id_is_valid ("pump-7_b"));
  g_assert_true (rf_profile_id_is_valid ("-"));
  g_assert_true (rf_profile_id_is_valid (long_id));
  g_assert_false (rf_profile_id_is_valid (too_long));
  g_assert_false (rf_profile_id_is_valid (NULL));
  g_assert_false (rf_profile_id_is_valid (""));
  g_assert_false (rf_profile_id_is_valid ("."));
  g_assert_false (rf_profile_id_is_valid (".."));
  g_assert_false (rf_profile_id_is_valid ("a/b"));
  g_assert_false (rf_profile_id_is_valid ("../etc"));
  g_assert_false (rf_profile_id_is_valid ("Pump"));
  g_assert_false (rf_profile_id_is_valid ("pump 1"));
  g_assert_false (rf_profile_id_is_valid ("pump.1"));
  g_assert_false (rf_profile_id_is_valid ("pümp"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/profile/minimal", test_minimal);
  g_test_add_func ("/rf/profile/full", test_full);
  g_test_add_func ("/rf/profile/bom-crlf", test_bom_crlf);
  g_test_add_func ("/rf/profile/bundled-turbofan", test_bundled_turbofan);
  g_test_add_func ("/rf/profile/invalid", test_invalid);
  g_test_add_func ("/rf/profile/fixture-errors", test_fixture_errors);
  g_test_add_func ("/rf/profile/too-large", test_too_large);
  g_test_add_func ("/rf/profile/id-is-valid", test_id_is_valid);
  return g_test_run ();
}

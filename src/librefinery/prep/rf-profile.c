#define G_LOG_DOMAIN "rf-profile"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "rf-error.h"
#include "rf-profile.h"

struct _RfProfile
{
  gatomicrefcount ref_count;
  GBytes *bytes;
  char *machine_id;
  char *name;
  char *machine_type;
  char *description;
  double sampling_interval;
  guint seed_units;
  double load_variation;
  GPtrArray *sensors;    /* RfSensor */
};

static const RfColumnRole profile_roles[] = {
  RF_ROLE_SENSOR, RF_ROLE_TIMESTAMP, RF_ROLE_RUL, RF_ROLE_UNIT_ID,
};

static void
sensor_free (RfSensor *sensor)
{
  g_free (sensor->name);
  g_free (sensor->unit);
  g_free (sensor->description);
  g_free (sensor);
}

static RfProfile *
profile_new (GBytes *bytes)
{
  RfProfile *profile = g_new0 (RfProfile, 1);

  g_atomic_ref_count_init (&profile->ref_count);
  profile->bytes = g_bytes_ref (bytes);
  profile->sampling_interval = NAN;
  profile->sensors = g_ptr_array_new_with_free_func ((GDestroyNotify) sensor_free);
  return profile;
}

RfProfile *
rf_profile_ref (RfProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  g_atomic_ref_count_inc (&profile->ref_count);
  return profile;
}

void
rf_profile_unref (RfProfile *profile)
{
  if (profile == NULL || !g_atomic_ref_count_dec (&profile->ref_count))
    return;
  g_bytes_unref (profile->bytes);
  g_free (profile->machine_id);
  g_free (profile->name);
  g_free (profile->machine_type);
  g_free (profile->description);
  g_ptr_array_unref (profile->sensors);
  g_free (profile);
}

gboolean
rf_profile_id_is_valid (const char *id)
{
  gsize len;

  if (id == NULL)
    return FALSE;
  len = strlen (id);
  if (len == 0 || len > RF_PROFILE_MAX_ID_LENGTH)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = id[i];
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
        return FALSE;
    }
  return TRUE;
}

/* Every validation error has the same shape: “file: field: problem; what to do”. */
static gboolean
field_error (GError     **error,
             const char  *display_name,
             const char  *field,
             const char  *format,
             ...) G_GNUC_PRINTF (4, 5);

static gboolean
field_error (GError     **error,
             const char  *display_name,
             const char  *field,
             const char  *format,
             ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
               "%s: %s: %s; fix the machine profile and load it again",
               display_name, field, problem);
  return FALSE;
}

/* NULL members and JSON null count as absent. */
static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
get_optional_string (JsonObject  *object,
                     const char  *key,
                     const char  *field,
                     const char  *display_name,
                     char       **out,
                     GError     **error)
{
  JsonNode *node = get_member (object, key);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return field_error (error, display_name, field, "must be a string");
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_optional_number (JsonObject  *object,
                     const char  *key,
                     const char  *field,
                     const char  *display_name,
                     double      *out,
                     GError     **error)
{
  JsonNode *node = get_member (object, key);

  *out = NAN;
  if (node == NULL)
    return TRUE;
  if (!node_is_number (node))
    return field_error (error, display_name, field, "must be a number");
  *out = json_node_get_double (node);
  if (!isfinite (*out))
    return field_error (error, display_name, field, "must be a finite number");
  return TRUE;
}

static gboolean
parse_role (const char   *text,
            RfColumnRole *role)
{
  for (guint i = 0; i < G_N_ELEMENTS (profile_roles); i++)
    if (g_strcmp0 (text, rf_column_role_to_string (profile_roles[i])) == 0)
      {
        *role = profile_roles[i];
        return TRUE;
      }
  return FALSE;
}

/* The sensor's seed-data behaviour, defaults from its range. */
static gboolean
parse_physics (RfSensor    *sensor,
               JsonNode    *node,
               const char  *field,
               const char  *display_name,
               GError     **error)
{
  RfSensorPhysics *p = &sensor->physics;
  g_autofree char *sub = NULL;
  g_autofree char *shape = NULL;
  JsonObject *object = NULL;
  gboolean noise_given = FALSE;
  double value;
  gboolean has_range = !isnan (sensor->min) && !isnan (sensor->max);

  p->nominal = has_range ? (sensor->min + sensor->max) / 2
               : !isnan (sensor->min) ? sensor->min : !isnan (sensor->max) ? sensor->max : 0;
  p->noise = has_range ? 0.02 * (sensor->max - sensor->min) : 0;
  p->degradation = 0;
  p->exponential = TRUE;
  p->load_sensitivity = 0;
  sensor->has_physics = node != NULL;
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return field_error (error, display_name, field, "must be an object like {\"nominal\": 60, \"noise\": 1}");
      object = json_node_get_object (node);
#define NUMBER(key, target) \
      g_free (sub); \
      sub = g_strdup_printf ("%s.%s", field, key); \
      if (!get_optional_number (object, key, sub, display_name, &value, error)) \
        return FALSE; \
      if (!isnan (value)) \
        target = value;
      NUMBER ("nominal", p->nominal);
      NUMBER ("noise", p->noise);
      noise_given = !isnan (value);
      if (p->noise < 0)
        return field_error (error, display_name, sub, "must be 0 or more");
      NUMBER ("degradation", p->degradation);
      NUMBER ("load_sensitivity", p->load_sensitivity);
#undef NUMBER
      g_free (sub);
      sub = g_strdup_printf ("%s.degradation_shape", field);
      if (!get_optional_string (object, "degradation_shape", sub, display_name, &shape, error))
        return FALSE;
      if (shape != NULL && strcmp (shape, "linear") != 0 && strcmp (shape, "exponential") != 0)
        return field_error (error, display_name, sub, "“%s” is not a shape; use linear or exponential", shape);
      p->exponential = shape == NULL || strcmp (shape, "exponential") == 0;
    }
  /* no range and no noise given: 1 % of the nominal value */
  if (!has_range && !noise_given)
    p->noise = p->nominal != 0 ? 0.01 * fabs (p->nominal) : 0.01;
  return TRUE;
}

static gboolean
parse_sensor (RfProfile   *profile,
              JsonNode    *node,
              guint        index,
              GHashTable  *names,
              const char  *display_name,
              GError     **error)
{
  g_autofree char *prefix = g_strdup_printf ("sensors[%u]", index);
  g_autofree char *field = NULL;
  g_autofree char *role_text = NULL;
  RfSensor *sensor;
  JsonObject *object;
  JsonNode *member;
  gpointer previous;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return field_error (error, display_name, prefix, "must be an object like {\"name\": \"temp\"}");
  object = json_node_get_object (node);

  sensor = g_new0 (RfSensor, 1);
  sensor->min = NAN;
  sensor->max = NAN;
  /* Owned by the profile from here on, so every early return frees it. */
  g_ptr_array_add (profile->sensors, sensor);

  field = g_strdup_printf ("%s.name", prefix);
  member = get_member (object, "name");
  if (member == NULL)
    return field_error (error, display_name, field, "is required");
  if (!get_optional_string (object, "name", field, display_name, &sensor->name, error))
    return FALSE;
  if (sensor->name[0] == '\0')
    return field_error (error, display_name, field, "must not be empty");
  if (g_hash_table_lookup_extended (names, sensor->name, NULL, &previous))
    return field_error (error, display_name, field, "“%s” is already the name of sensors[%u]",
                        sensor->name, GPOINTER_TO_UINT (previous));
  g_hash_table_insert (names, sensor->name, GUINT_TO_POINTER (index));

  g_free (field);
  field = g_strdup_printf ("%s.unit", prefix);
  if (!get_optional_string (object, "unit", field, display_name, &sensor->unit, error))
    return FALSE;

  g_free (field);
  field = g_strdup_printf ("%s.description", prefix);
  if (!get_optional_string (object, "description", field, display_name, &sensor->description,
                            error))
    return FALSE;

  g_free (field);
  field = g_strdup_printf ("%s.min", prefix);
  if (!get_optional_number (object, "min", field, display_name, &sensor->min, error))
    return FALSE;
  g_free (field);
  field = g_strdup_printf ("%s.max", prefix);
  if (!get_optional_number (object, "max", field, display_name, &sensor->max, error))
    return FALSE;
  if (!isnan (sensor->min) && !isnan (sensor->max) && sensor->min > sensor->max)
    return field_error (error, display_name, prefix, "min (%g) > max (%g)",
                        sensor->min, sensor->max);

  g_free (field);
  field = g_strdup_printf ("%s.role", prefix);
  if (!get_optional_string (object, "role", field, display_name, &role_text, error))
    return FALSE;
  sensor->role = RF_ROLE_SENSOR;
  if (role_text != NULL && !parse_role (role_text, &sensor->role))
    return field_error (error, display_name, field,
                        "“%s” is not a role; use sensor, timestamp, rul or unit_id", role_text);
  if (sensor->role != RF_ROLE_SENSOR)
    {
      for (guint i = 0; i + 1 < profile->sensors->len; i++)
        {
          const RfSensor *other = g_ptr_array_index (profile->sensors, i);
          if (other->role == sensor->role)
            return field_error (error, display_name, field,
                                "sensors[%u] already has the role %s and a profile has at most one",
                                i, rf_column_role_to_string (sensor->role));
        }
    }

  g_free (field);
  field = g_strdup_printf ("%s.physics", prefix);
  if (!parse_physics (sensor, get_member (object, "physics"), field, display_name, error))
    return FALSE;

  g_free (field);
  field = g_strdup_printf ("%s.required", prefix);
  member = get_member (object, "required");
  sensor->required = sensor->role == RF_ROLE_SENSOR;
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        return field_error (error, display_name, field, "must be true or false");
      sensor->required = json_node_get_boolean (member);
    }
  return TRUE;
}

static gboolean
parse_profile (RfProfile   *profile,
               JsonNode    *root,
               const char  *display_name,
               GError     **error)
{
  g_autoptr(GHashTable) names = NULL;
  JsonObject *object;
  JsonNode *member;
  JsonArray *sensors;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "%s: a machine profile must be a JSON object like "
                   "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"x\"}]}", display_name);
      return FALSE;
    }
  object = json_node_get_object (root);

  member = get_member (object, "profile_version");
  if (member != NULL)
    {
      gint64 version;

      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64)
        return field_error (error, display_name, "profile_version", "must be a whole number");
      version = json_node_get_int (member);
      if (version < 1)
        return field_error (error, display_name, "profile_version", "must be 1 or more");
      if (version > RF_PROFILE_VERSION)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                       "%s: profile_version %" G_GINT64_FORMAT " is newer than this Refinery reads "
                       "(up to %d); update Refinery to use this profile",
                       display_name, version, RF_PROFILE_VERSION);
          return FALSE;
        }
    }

  member = get_member (object, "machine_id");
  if (member == NULL)
    return field_error (error, display_name, "machine_id", "is required");
  if (!get_optional_string (object, "machine_id", "machine_id", display_name,
                            &profile->machine_id, error))
    return FALSE;
  if (!rf_profile_id_is_valid (profile->machine_id))
    return field_error (error, display_name, "machine_id",
                        "“%s” is not a valid id: use 1 to %d characters from a-z, 0-9, '_' and '-'",
                        profile->machine_id, RF_PROFILE_MAX_ID_LENGTH);

  if (!get_optional_string (object, "name", "name", display_name, &profile->name, error) ||
      !get_optional_string (object, "machine_type", "machine_type", display_name,
                            &profile->machine_type, error) ||
      !get_optional_string (object, "description", "description", display_name,
                            &profile->description, error) ||
      !get_optional_number (object, "sampling_interval_s", "sampling_interval_s", display_name,
                            &profile->sampling_interval, error))
    return FALSE;
  if (!isnan (profile->sampling_interval) && profile->sampling_interval <= 0)
    return field_error (error, display_name, "sampling_interval_s", "must be greater than 0");

  profile->seed_units = 4;
  profile->load_variation = 0.3;
  member = get_member (object, "seed");
  if (member != NULL)
    {
      JsonObject *seed;
      double value;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return field_error (error, display_name, "seed", "must be an object like {\"units\": 4}");
      seed = json_node_get_object (member);
      if (!get_optional_number (seed, "units", "seed.units", display_name, &value, error))
        return FALSE;
      if (!isnan (value))
        {
          if (value < 1 || value > 10000 || value != floor (value))
            return field_error (error, display_name, "seed.units", "must be a whole number from 1 to 10000");
          profile->seed_units = (guint) value;
        }
      if (!get_optional_number (seed, "load_variation", "seed.load_variation", display_name, &value, error))
        return FALSE;
      if (!isnan (value))
        {
          if (value < 0 || value > 1)
            return field_error (error, display_name, "seed.load_variation", "must be from 0 to 1");
          profile->load_variation = value;
        }
    }

  member = get_member (object, "sensors");
  if (member == NULL)
    return field_error (error, display_name, "sensors", "is required");
  if (!JSON_NODE_HOLDS_ARRAY (member))
    return field_error (error, display_name, "sensors",
                        "must be a list like [{\"name\": \"temp\"}]");
  sensors = json_node_get_array (member);
  if (json_array_get_length (sensors) == 0)
    return field_error (error, display_name, "sensors", "must list at least one sensor");

  names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (sensors); i++)
    if (!parse_sensor (profile, json_array_get_element (sensors, i), i, names, display_name, error))
      return FALSE;
  return TRUE;
}

/* The bytes are not NUL-terminated: no str* functions on them. */
static gboolean
is_blank (const char *data,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n')
      return FALSE;
  return TRUE;
}

/* json-glib names in-memory input "<data>"; the user knows it by its file name. */
static const char *
strip_parser_location (const char *message)
{
  if (g_str_has_prefix (message, "<data>:"))
    return message + strlen ("<data>:");
  return message;
}

RfProfile *
rf_profile_load_bytes (GBytes      *bytes,
                       const char  *display_name,
                       GError     **error)
{
  g_autoptr(RfProfile) profile = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize length;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (display_name == NULL)
    display_name = "profile";
  data = g_bytes_get_data (bytes, &length);
  if (length > RF_PROFILE_MAX_BYTES)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "%s: %" G_GSIZE_FORMAT " bytes is too large for a machine profile "
                   "(at most %d MB); check that this is the right file",
                   display_name, length, RF_PROFILE_MAX_BYTES / (1024 * 1024));
      return NULL;
    }
  /* A UTF-8 byte order mark is harmless; editors on Windows write one. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if (is_blank (data, length))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "%s: the machine profile is empty; it needs at least "
                   "{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"x\"}]}", display_name);
      return NULL;
    }
  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_ENCODING,
                   "%s: the machine profile is not UTF-8 text; save it as UTF-8 and load it again",
                   display_name);
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "%s:%s; fix the JSON syntax of the machine profile",
                   display_name, strip_parser_location (local_error->message));
      return NULL;
    }

  profile = profile_new (bytes);
  if (!parse_profile (profile, json_parser_get_root (parser), display_name, error))
    return NULL;
  return g_steal_pointer (&profile);
}

RfProfile *
rf_profile_load_file (const char  *path,
                      GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);
  file = g_file_new_for_path (path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      g_set_error (error, RF_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                     ? RF_ERROR_NOT_FOUND : RF_ERROR_IO,
                   "Cannot open the machine profile “%s”: %s", display, local_error->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO,
                   "The machine profile “%s” is not a regular file; give the path of a .json file",
                   display);
      return NULL;
    }
  /* Checked before reading so a huge file is never loaded into memory. */
  if (g_file_info_get_size (info) > RF_PROFILE_MAX_BYTES)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "%s: %" G_GINT64_FORMAT " bytes is too large for a machine profile "
                   "(at most %d MB); check that this is the right file",
                   display, (gint64) g_file_info_get_size (info),
                   RF_PROFILE_MAX_BYTES / (1024 * 1024));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO,
                   "Cannot read the machine profile “%s”: %s", display, local_error->message);
      return NULL;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  return rf_profile_load_bytes (bytes, display, error);
}

GBytes *
rf_profile_get_bytes (RfProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->bytes;
}

const char *
rf_profile_get_machine_id (RfProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->machine_id;
}

const char *
rf_profile_get_name (RfProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->name;
}

const char *
rf_profile_get_machine_type (RfProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->machine_type;
}

const char *
rf_profile_get_description (RfProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);
  return profile->description;
}

double
rf_profile_get_sampling_interval (RfProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NAN);
  return profile->sampling_interval;
}

guint
rf_profile_get_n_sensors (RfProfile *profile)
{
  g_return_val_if_fail (profile != NULL, 0);
  return profile->sensors->len;
}

const RfSensor *
rf_profile_get_sensor (RfProfile *profile,
                       guint      index)
{
  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (index < profile->sensors->len, NULL);
  return g_ptr_array_index (profile->sensors, index);
}

const RfSensor *
rf_profile_find_sensor (RfProfile  *profile,
                        const char *name)
{
  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < profile->sensors->len; i++)
    {
      const RfSensor *sensor = g_ptr_array_index (profile->sensors, i);
      if (strcmp (sensor->name, name) == 0)
        return sensor;
    }
  return NULL;
}

const RfSensor *
rf_profile_find_role (RfProfile    *profile,
                      RfColumnRole  role)
{
  g_return_val_if_fail (profile != NULL, NULL);

  for (guint i = 0; i < profile->sensors->len; i++)
    {
      const RfSensor *sensor = g_ptr_array_index (profile->sensors, i);
      if (sensor->role == role)
        return sensor;
    }
  return NULL;
}

guint
rf_profile_get_seed_units (RfProfile *profile)
{
  g_return_val_if_fail (profile != NULL, 1);
  return profile->seed_units;
}

double
rf_profile_get_load_variation (RfProfile *profile)
{
  g_return_val_if_fail (profile != NULL, 0);
  return profile->load_variation;
}

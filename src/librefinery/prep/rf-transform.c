#define G_LOG_DOMAIN "rf-transform"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-error.h"
#include "rf-json-build.h"
#include "rf-json-read.h"
#include "rf-transform.h"
#include "rf-units.h"

typedef struct
{
  char *column;
  char *unit_from;
  char *unit_to;
  RfUnitConversion conversion;
} Conversion;

typedef struct
{
  char *column;
  double offset;
  double scale;
} Scaling;

struct _RfTransformRecord
{
  guint64 rows_in;
  guint64 rows_out;
  GPtrArray *renamed_from;
  GPtrArray *renamed_to;
  GArray *converted;          /* Conversion */
  GPtrArray *dropped;
  GPtrArray *auxiliary;
  GPtrArray *missing_sensors;
  GPtrArray *sorted_by;
  char *rul_column;           /* NULL: the profile has no RUL entry */
  char *rul_mode;             /* "none", "kept", "filled", "recalculated" */
  char *rul_from;             /* "timestamp", "cycles", "rows", or NULL */
  char *rul_unit;
  guint64 rul_computed;
  RfNormalisation normalisation;
  GArray *scalings;           /* Scaling */
  GPtrArray *warnings;
};

static const char * const rul_mode_names[] = { "keep", "fill", "recalculate" };
static const char * const normalisation_names[] = { "none", "minmax", "zscore" };

void
rf_transform_options_init (RfTransformOptions *options)
{
  g_return_if_fail (options != NULL);
  options->keep_unmapped = TRUE;
  options->convert_units = TRUE;
  options->sort_by_time = TRUE;
  options->rul = RF_RUL_FILL;
  options->normalise = RF_NORMALISE_NONE;
}

const char *
rf_rul_mode_to_string (RfRulMode mode)
{
  g_return_val_if_fail ((guint) mode < G_N_ELEMENTS (rul_mode_names), NULL);
  return rul_mode_names[mode];
}

gboolean
rf_rul_mode_from_string (const char *text,
                         RfRulMode  *mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (rul_mode_names); i++)
    if (g_strcmp0 (text, rul_mode_names[i]) == 0)
      {
        *mode = (RfRulMode) i;
        return TRUE;
      }
  return FALSE;
}

const char *
rf_normalisation_to_string (RfNormalisation normalisation)
{
  g_return_val_if_fail ((guint) normalisation < G_N_ELEMENTS (normalisation_names), NULL);
  return normalisation_names[normalisation];
}

gboolean
rf_normalisation_from_string (const char      *text,
                              RfNormalisation *normalisation)
{
  for (guint i = 0; i < G_N_ELEMENTS (normalisation_names); i++)
    if (g_strcmp0 (text, normalisation_names[i]) == 0)
      {
        *normalisation = (RfNormalisation) i;
        return TRUE;
      }
  return FALSE;
}

JsonNode *
rf_transform_options_to_json (const RfTransformOptions *options)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (options != NULL, NULL);

  json_builder_begin_object (builder);
  rf_json_add_bool (builder, "keep_unmapped", options->keep_unmapped);
  rf_json_add_bool (builder, "convert_units", options->convert_units);
  rf_json_add_bool (builder, "sort_by_time", options->sort_by_time);
  rf_json_add_string (builder, "rul", rf_rul_mode_to_string (options->rul));
  rf_json_add_string (builder, "normalise", rf_normalisation_to_string (options->normalise));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
read_bool (JsonObject  *object,
           const char  *member,
           gboolean    *out,
           const char  *display_name,
           GError     **error)
{
  if (rf_json_member_bool (object, member, out))
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_INVALID, "%s: “%s” must be true or false.", display_name, member);
  return FALSE;
}

gboolean
rf_transform_options_from_json (JsonNode            *node,
                                RfTransformOptions  *options,
                                const char          *display_name,
                                GError             **error)
{
  JsonObject *object;
  const char *text;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (display_name != NULL, FALSE);

  rf_transform_options_init (options);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID, "%s: the transform options must be an object.",
                   display_name);
      return FALSE;
    }
  object = json_node_get_object (node);
  if (!read_bool (object, "keep_unmapped", &options->keep_unmapped, display_name, error) ||
      !read_bool (object, "convert_units", &options->convert_units, display_name, error) ||
      !read_bool (object, "sort_by_time", &options->sort_by_time, display_name, error))
    return FALSE;
  if (!rf_json_member_string (object, "rul", &text) ||
      (text != NULL && !rf_rul_mode_from_string (text, &options->rul)))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "%s: “rul” must be “keep”, “fill” or “recalculate”.", display_name);
      return FALSE;
    }
  if (!rf_json_member_string (object, "normalise", &text) ||
      (text != NULL && !rf_normalisation_from_string (text, &options->normalise)))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "%s: “normalise” must be “none”, “minmax” or “zscore”.", display_name);
      return FALSE;
    }
  return TRUE;
}

/* ---- the record ------------------------------------------------------------- */

static void
conversion_clear (Conversion *c)
{
  g_free (c->column);
  g_free (c->unit_from);
  g_free (c->unit_to);
}

static void
scaling_clear (Scaling *s)
{
  g_free (s->column);
}

static RfTransformRecord *
record_new (void)
{
  RfTransformRecord *record = g_new0 (RfTransformRecord, 1);

  record->renamed_from = g_ptr_array_new_with_free_func (g_free);
  record->renamed_to = g_ptr_array_new_with_free_func (g_free);
  record->converted = g_array_new (FALSE, TRUE, sizeof (Conversion));
  g_array_set_clear_func (record->converted, (GDestroyNotify) conversion_clear);
  record->dropped = g_ptr_array_new_with_free_func (g_free);
  record->auxiliary = g_ptr_array_new_with_free_func (g_free);
  record->missing_sensors = g_ptr_array_new_with_free_func (g_free);
  record->sorted_by = g_ptr_array_new_with_free_func (g_free);
  record->scalings = g_array_new (FALSE, TRUE, sizeof (Scaling));
  g_array_set_clear_func (record->scalings, (GDestroyNotify) scaling_clear);
  record->warnings = g_ptr_array_new_with_free_func (g_free);
  record->rul_mode = g_strdup ("none");
  return record;
}

void
rf_transform_record_free (RfTransformRecord *record)
{
  if (record == NULL)
    return;
  g_ptr_array_unref (record->renamed_from);
  g_ptr_array_unref (record->renamed_to);
  g_array_unref (record->converted);
  g_ptr_array_unref (record->dropped);
  g_ptr_array_unref (record->auxiliary);
  g_ptr_array_unref (record->missing_sensors);
  g_ptr_array_unref (record->sorted_by);
  g_free (record->rul_column);
  g_free (record->rul_mode);
  g_free (record->rul_from);
  g_free (record->rul_unit);
  g_array_unref (record->scalings);
  g_ptr_array_unref (record->warnings);
  g_free (record);
}

guint
rf_transform_record_get_n_warnings (const RfTransformRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);
  return record->warnings->len;
}

const char *
rf_transform_record_get_warning (const RfTransformRecord *record,
                                 guint                    index)
{
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (index < record->warnings->len, NULL);
  return g_ptr_array_index (record->warnings, index);
}

static void
add_string_array (JsonBuilder *builder,
                  const char  *name,
                  GPtrArray   *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, i));
  json_builder_end_array (builder);
}

static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

JsonNode *
rf_transform_record_to_json (const RfTransformRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (record != NULL, NULL);

  json_builder_begin_object (builder);
  rf_json_add_int (builder, "rows_in", (gint64) record->rows_in);
  rf_json_add_int (builder, "rows_out", (gint64) record->rows_out);
  json_builder_set_member_name (builder, "renamed");
  json_builder_begin_array (builder);
  for (guint i = 0; i < record->renamed_from->len; i++)
    {
      json_builder_begin_object (builder);
      rf_json_add_string (builder, "from", g_ptr_array_index (record->renamed_from, i));
      rf_json_add_string (builder, "to", g_ptr_array_index (record->renamed_to, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "converted");
  json_builder_begin_array (builder);
  for (guint i = 0; i < record->converted->len; i++)
    {
      const Conversion *c = &g_array_index (record->converted, Conversion, i);

      json_builder_begin_object (builder);
      rf_json_add_string (builder, "column", c->column);
      rf_json_add_string (builder, "unit_from", c->unit_from);
      rf_json_add_string (builder, "unit_to", c->unit_to);
      add_double (builder, "mul", c->conversion.mul);
      add_double (builder, "add", c->conversion.add);
      add_double (builder, "div", c->conversion.div);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_string_array (builder, "dropped", record->dropped);
  add_string_array (builder, "auxiliary", record->auxiliary);
  add_string_array (builder, "missing_sensors", record->missing_sensors);
  add_string_array (builder, "sorted_by", record->sorted_by);
  json_builder_set_member_name (builder, "rul");
  json_builder_begin_object (builder);
  rf_json_add_string (builder, "column", record->rul_column);
  rf_json_add_string (builder, "mode", record->rul_mode);
  rf_json_add_string (builder, "from", record->rul_from);
  rf_json_add_string (builder, "unit", record->rul_unit);
  rf_json_add_int (builder, "values_computed", (gint64) record->rul_computed);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "normalisation");
  json_builder_begin_object (builder);
  rf_json_add_string (builder, "method", rf_normalisation_to_string (record->normalisation));
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_object (builder);
  for (guint i = 0; i < record->scalings->len; i++)
    {
      const Scaling *s = &g_array_index (record->scalings, Scaling, i);

      json_builder_set_member_name (builder, s->column);
      json_builder_begin_object (builder);
      add_double (builder, "offset", s->offset);
      add_double (builder, "scale", s->scale);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  add_string_array (builder, "warnings", record->warnings);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The normalisation is what later steps need back (to undo it); the rest
 * of the record is for people and is read leniently. */
RfTransformRecord *
rf_transform_record_from_json (JsonNode    *node,
                               const char  *display_name,
                               GError     **error)
{
  g_autoptr(RfTransformRecord) record = record_new ();
  JsonObject *object, *normalisation, *columns;
  JsonNode *member;
  const char *method;
  GList *names;

  g_return_val_if_fail (display_name != NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID, "%s: the transform record must be an object.",
                   display_name);
      return NULL;
    }
  object = json_node_get_object (node);
  member = json_object_get_member (object, "normalisation");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return g_steal_pointer (&record);
  if (!JSON_NODE_HOLDS_OBJECT (member))
    goto bad;
  normalisation = json_node_get_object (member);
  if (!rf_json_member_string (normalisation, "method", &method) ||
      (method != NULL && !rf_normalisation_from_string (method, &record->normalisation)))
    goto bad;
  member = json_object_get_member (normalisation, "columns");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return g_steal_pointer (&record);
  if (!JSON_NODE_HOLDS_OBJECT (member))
    goto bad;
  columns = json_node_get_object (member);
  names = json_object_get_members (columns);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *entry = json_object_get_member (columns, l->data);
      JsonObject *o;
      JsonNode *offset, *scale;
      Scaling s;

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        {
          g_list_free (names);
          goto bad;
        }
      o = json_node_get_object (entry);
      offset = json_object_get_member (o, "offset");
      scale = json_object_get_member (o, "scale");
      if (offset == NULL || scale == NULL || !JSON_NODE_HOLDS_VALUE (offset) || !JSON_NODE_HOLDS_VALUE (scale) ||
          json_node_get_value_type (offset) == G_TYPE_STRING || json_node_get_value_type (scale) == G_TYPE_STRING)
        {
          g_list_free (names);
          goto bad;
        }
      s.column = g_strdup (l->data);
      s.offset = json_node_get_double (offset);
      s.scale = json_node_get_double (scale);
      g_array_append_val (record->scalings, s);
    }
  g_list_free (names);
  return g_steal_pointer (&record);

bad:
  g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
               "%s: “normalisation” must hold “method” (none, minmax or zscore) and “columns” with a "
               "numeric “offset” and “scale” per column. Run the transform again.", display_name);
  return NULL;
}

/* ---- helpers ------------------------------------------------------------------- */

static void
warn (RfTransformRecord *record,
      const char        *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
warn (RfTransformRecord *record,
      const char        *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (record->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

/* A DOUBLE copy of a numeric column (int64, bool as 0/1). */
static RfColumn *
as_double_column (const RfColumn *src)
{
  RfColumn *column;

  if (src->type == RF_COLUMN_DOUBLE)
    return rf_column_copy (src);
  column = rf_column_new_sized (src->name, RF_COLUMN_DOUBLE, src->n_rows);
  rf_column_set_unit (column, src->unit);
  rf_column_set_role (column, src->role);
  for (gsize r = 0; r < src->n_rows; r++)
    {
      if (!rf_column_is_valid (src, r))
        rf_column_append_null (column);
      else
        rf_column_append_double (column, src->type == RF_COLUMN_BOOL ? (double) src->values.u8[r]
                                                                     : (double) src->values.i64[r]);
    }
  return column;
}

/* The column mapped to each sensor: by the mapping, or by exact name. */
static const char *
column_for_sensor (RfMapping      *mapping,
                   RfTable        *table,
                   const RfSensor *sensor)
{
  if (mapping != NULL)
    {
      const RfColumnMapping *m = rf_mapping_find_sensor (mapping, sensor->name);
      return m != NULL ? m->column : NULL;
    }
  return rf_table_find_column (table, sensor->name) != NULL ? sensor->name : NULL;
}

static gboolean
convert_column (RfColumn          **column_inout,
                const char         *column_name,
                const char         *sensor_name,
                const RfUnit       *from,
                const RfUnit       *to,
                RfTransformRecord  *record,
                GError            **error)
{
  RfColumn *src = *column_inout;
  RfUnitConversion conversion;
  RfColumn *converted;
  Conversion c;

  if (!rf_unit_get_conversion (from, to, &conversion, NULL))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "The column “%s” is in %s (%s) but its sensor “%s” is in %s (%s): they measure "
                   "different things. Map the column to another sensor, or correct its unit in the "
                   "mapping (refinery-cli map).",
                   column_name, rf_unit_get_symbol (from), rf_dimension_to_string (rf_unit_get_dimension (from)),
                   sensor_name, rf_unit_get_symbol (to), rf_dimension_to_string (rf_unit_get_dimension (to)));
      return FALSE;
    }
  if (src->type != RF_COLUMN_DOUBLE && src->type != RF_COLUMN_INT64)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "The column “%s” (mapped to “%s”) holds %s values, not numbers in %s: its unit cannot "
                   "be converted. Check the column's type when reading the file (--types), or map another "
                   "column.", column_name, sensor_name, rf_column_type_to_string (src->type),
                   rf_unit_get_symbol (from));
      return FALSE;
    }
  converted = as_double_column (src);
  for (gsize r = 0; r < converted->n_rows; r++)
    if (rf_column_is_valid (converted, r))
      converted->values.f64[r] = rf_unit_conversion_apply (&conversion, converted->values.f64[r]);
  rf_column_unref (src);
  *column_inout = converted;

  c.column = g_strdup (sensor_name);
  c.unit_from = g_strdup (rf_unit_get_symbol (from));
  c.unit_to = g_strdup (rf_unit_get_symbol (to));
  c.conversion = conversion;
  g_array_append_val (record->converted, c);
  return TRUE;
}

/* ---- sorting --------------------------------------------------------------------- */

typedef struct
{
  const RfColumn *keys[2];
  guint n_keys;
} SortKeys;

static int
compare_key (const RfColumn *column,
             gsize           a,
             gsize           b)
{
  gboolean va = rf_column_is_valid (column, a), vb = rf_column_is_valid (column, b);
  double x, y;

  if (!va || !vb)
    return va == vb ? 0 : va ? -1 : 1;   /* missing last */
  if (column->type == RF_COLUMN_INT64 || column->type == RF_COLUMN_TIMESTAMP)
    return column->values.i64[a] < column->values.i64[b] ? -1 : column->values.i64[a] > column->values.i64[b];
  if (column->type == RF_COLUMN_STRING)
    {
      gsize la, lb;
      const char *sa = rf_column_get_string (column, a, &la);
      const char *sb = rf_column_get_string (column, b, &lb);
      int c = memcmp (sa, sb, MIN (la, lb));
      return c != 0 ? c : la < lb ? -1 : la > lb;
    }
  x = rf_column_get_as_double (column, a);
  y = rf_column_get_as_double (column, b);
  return x < y ? -1 : x > y;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const SortKeys *keys = data;
  gsize ra = *(const gsize *) a, rb = *(const gsize *) b;

  for (guint k = 0; k < keys->n_keys; k++)
    {
      int c = compare_key (keys->keys[k], ra, rb);
      if (c != 0)
        return c;
    }
  /* stable: the original order decides ties */
  return ra < rb ? -1 : ra > rb;
}

/* ---- RUL ------------------------------------------------------------------------------ */

/* A unit id's key for grouping (any type): its formatted value. */
static char *
unit_key (const RfColumn *unit_id,
          gsize           row)
{
  GString *key;

  if (unit_id == NULL)
    return g_strdup ("");
  if (!rf_column_is_valid (unit_id, row))
    return g_strdup ("\x01missing");
  key = g_string_new (NULL);
  rf_column_format_value (unit_id, row, key);
  return g_string_free (key, FALSE);
}

/* RUL = (last − current) per unit, in the RUL's unit. time is a TIMESTAMP
 * column (then seconds × to_rul) or a numeric cycle column, or NULL: rows
 * remaining in the unit. Missing time → missing RUL. */
static RfColumn *
compute_rul (const char     *name,
             const RfColumn *unit_id,
             const RfColumn *time,
             double          seconds_to_rul,
             gsize           n_rows)
{
  g_autoptr(GHashTable) last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char **keys = g_new0 (char *, MAX (n_rows, 1));
  RfColumn *rul;
  gboolean integral = time == NULL || time->type == RF_COLUMN_INT64;

  for (gsize r = 0; r < n_rows; r++)
    keys[r] = unit_key (unit_id, r);

  rul = rf_column_new_sized (name, integral ? RF_COLUMN_INT64 : RF_COLUMN_DOUBLE, n_rows);
  if (time == NULL)
    {
      /* the unit's rows after this one, counted from the end */
      g_autofree gint64 *after = g_new (gint64, MAX (n_rows, 1));

      for (gsize i = n_rows; i-- > 0;)
        {
          double *count = g_hash_table_lookup (last, keys[i]);
          if (count == NULL)
            {
              count = g_new0 (double, 1);
              g_hash_table_insert (last, g_strdup (keys[i]), count);
            }
          after[i] = (gint64) *count;
          *count += 1;
        }
      rf_column_append_int64s (rul, after, n_rows);
    }
  else
    {
      for (gsize r = 0; r < n_rows; r++)
        {
          double *max;
          double v;

          if (!rf_column_is_valid (time, r))
            continue;
          v = time->type == RF_COLUMN_TIMESTAMP || time->type == RF_COLUMN_INT64 ? (double) time->values.i64[r]
                                                                                 : rf_column_get_as_double (time, r);
          max = g_hash_table_lookup (last, keys[r]);
          if (max == NULL)
            {
              max = g_new (double, 1);
              *max = v;
              g_hash_table_insert (last, g_strdup (keys[r]), max);
            }
          else if (v > *max)
            *max = v;
        }
      for (gsize r = 0; r < n_rows; r++)
        {
          double v, *max;

          if (!rf_column_is_valid (time, r))
            {
              rf_column_append_null (rul);
              continue;
            }
          max = g_hash_table_lookup (last, keys[r]);
          if (time->type == RF_COLUMN_TIMESTAMP)
            {
              /* exact in integers, then to the RUL's unit */
              gint64 usec = (gint64) *max - time->values.i64[r];
              rf_column_append_double (rul, (double) usec / 1e6 * seconds_to_rul);
            }
          else if (time->type == RF_COLUMN_INT64)
            rf_column_append_int64 (rul, (gint64) *max - time->values.i64[r]);
          else
            {
              v = rf_column_get_as_double (time, r);
              rf_column_append_double (rul, *max - v);
            }
        }
    }
  for (gsize r = 0; r < n_rows; r++)
    g_free (keys[r]);
  return rul;
}

/* ---- apply ----------------------------------------------------------------------------- */

static gboolean
is_cycle_unit (const char *unit)
{
  const RfUnit *u = unit != NULL ? rf_unit_lookup (unit) : NULL;
  return u != NULL && rf_unit_get_dimension (u) == RF_DIMENSION_COUNT;
}

static int
find_role (GPtrArray    *columns,
           RfColumnRole  role)
{
  for (guint i = 0; i < columns->len; i++)
    if (((RfColumn *) g_ptr_array_index (columns, i))->role == role)
      return (int) i;
  return -1;
}

/* The column that orders a unit's rows in time: the timestamp, else a
 * sensor counted in cycles. */
static int
find_time_column (GPtrArray *columns)
{
  int t = find_role (columns, RF_ROLE_TIMESTAMP);

  if (t >= 0)
    return t;
  for (guint i = 0; i < columns->len; i++)
    {
      RfColumn *c = g_ptr_array_index (columns, i);
      if (c->role == RF_ROLE_SENSOR && rf_column_type_is_numeric (c->type) && c->type != RF_COLUMN_BOOL &&
          is_cycle_unit (c->unit))
        return (int) i;
    }
  return -1;
}

static gboolean
apply_rul (GPtrArray                *columns,
           RfProfile                *profile,
           const RfTransformOptions *options,
           gsize                     n_rows,
           RfTransformRecord        *record)
{
  const RfSensor *sensor = rf_profile_find_role (profile, RF_ROLE_RUL);
  int rul_index = find_role (columns, RF_ROLE_RUL);
  int unit_index = find_role (columns, RF_ROLE_UNIT_ID);
  int time_index = find_time_column (columns);
  const RfColumn *time = time_index >= 0 ? g_ptr_array_index (columns, time_index) : NULL;
  const RfColumn *unit_id = unit_index >= 0 ? g_ptr_array_index (columns, unit_index) : NULL;
  const char *rul_unit_text = sensor != NULL ? sensor->unit : NULL;
  const RfUnit *rul_unit = rul_unit_text != NULL ? rf_unit_lookup (rul_unit_text) : NULL;
  double seconds_to_rul = 1.0 / 3600;  /* hours when the RUL has no unit */
  g_autoptr(RfColumn) computed = NULL;
  RfColumn *existing;

  if (sensor == NULL)
    return TRUE;
  record->rul_column = g_strdup (sensor->name);
  record->rul_unit = g_strdup (rul_unit != NULL ? rf_unit_get_symbol (rul_unit) : rul_unit_text);
  existing = rul_index >= 0 ? g_ptr_array_index (columns, rul_index) : NULL;
  if (options->rul == RF_RUL_KEEP || (options->rul == RF_RUL_FILL && existing != NULL && existing->n_missing == 0))
    {
      g_free (record->rul_mode);
      record->rul_mode = g_strdup (existing != NULL ? "kept" : "none");
      return TRUE;
    }

  if (rul_unit != NULL && rf_unit_get_dimension (rul_unit) == RF_DIMENSION_COUNT)
    {
      /* cycles: from a cycle column, else by counting rows */
      if (time != NULL && time->type == RF_COLUMN_TIMESTAMP)
        time = NULL;
      record->rul_from = g_strdup (time != NULL ? "cycles" : "rows");
    }
  else if (time != NULL && time->type == RF_COLUMN_TIMESTAMP)
    {
      if (rul_unit != NULL && rf_unit_get_dimension (rul_unit) == RF_DIMENSION_TIME)
        seconds_to_rul = rf_unit_convert (rf_unit_lookup ("s"), rul_unit, 1.0);
      else if (rul_unit != NULL || rul_unit_text != NULL)
        {
          warn (record, "The RUL entry “%s” is in “%s”, which is neither a time nor cycles: its values "
                "were not computed.", sensor->name, rul_unit_text);
          return TRUE;
        }
      else
        {
          g_free (record->rul_unit);
          record->rul_unit = g_strdup ("h");
        }
      record->rul_from = g_strdup ("timestamp");
    }
  else
    {
      warn (record, "The RUL “%s” is in %s but the data has no timestamp to count %s from: its values "
            "were not computed. Map a timestamp column, or give the RUL entry the unit “cycles”.",
            sensor->name, rul_unit_text != NULL ? rul_unit_text : "hours",
            rul_unit_text != NULL ? rul_unit_text : "hours");
      return TRUE;
    }

  computed = compute_rul (sensor->name, unit_id, time, seconds_to_rul, n_rows);
  rf_column_set_role (computed, RF_ROLE_RUL);
  rf_column_set_unit (computed, record->rul_unit);

  if (existing == NULL)
    for (guint i = 0; i < record->missing_sensors->len; i++)
      if (strcmp (g_ptr_array_index (record->missing_sensors, i), sensor->name) == 0)
        {
          g_ptr_array_remove_index (record->missing_sensors, i);
          break;
        }
  if (existing == NULL || options->rul == RF_RUL_RECALCULATE)
    {
      record->rul_computed = n_rows - computed->n_missing;
      g_free (record->rul_mode);
      record->rul_mode = g_strdup (existing == NULL ? "filled" : "recalculated");
      if (existing != NULL)
        {
          g_ptr_array_index (columns, rul_index) = rf_column_ref (computed);
          rf_column_unref (existing);
        }
      else
        g_ptr_array_add (columns, rf_column_ref (computed));
      return TRUE;
    }

  /* fill the missing values only, in the existing column's type */
  {
    RfColumn *filled = existing->type == RF_COLUMN_INT64 && computed->type == RF_COLUMN_INT64
                       ? rf_column_copy (existing) : as_double_column (existing);

    for (gsize r = 0; r < n_rows; r++)
      {
        if (rf_column_is_valid (filled, r) || !rf_column_is_valid (computed, r))
          continue;
        if (filled->type == RF_COLUMN_INT64)
          filled->values.i64[r] = computed->values.i64[r];
        else
          filled->values.f64[r] = rf_column_get_as_double (computed, r);
        filled->validity[r >> 3] |= (guint8) (1u << (r & 7));
        record->rul_computed++;
      }
    rf_column_recount_missing (filled);
    g_free (record->rul_mode);
    record->rul_mode = g_strdup ("filled");
    g_ptr_array_index (columns, rul_index) = filled;
    rf_column_unref (existing);
  }
  return TRUE;
}

static void
normalise (RfTable                  *table,
           RfNormalisation           method,
           RfTransformRecord        *record)
{
  record->normalisation = method;
  if (method == RF_NORMALISE_NONE)
    return;
  for (guint c = 0; c < rf_table_get_n_columns (table); c++)
    {
      RfColumn *column = rf_table_get_column (table, c);
      double min = INFINITY, max = -INFINITY, sum = 0, sq = 0, mean, offset, scale;
      gsize n = 0;
      Scaling s;

      if (column->role != RF_ROLE_SENSOR || column->type != RF_COLUMN_DOUBLE)
        continue;
      for (gsize r = 0; r < column->n_rows; r++)
        if (rf_column_is_valid (column, r) && isfinite (column->values.f64[r]))
          {
            double v = column->values.f64[r];
            min = MIN (min, v);
            max = MAX (max, v);
            sum += v;
            n++;
          }
      if (n == 0)
        continue;
      mean = sum / n;
      for (gsize r = 0; r < column->n_rows; r++)
        if (rf_column_is_valid (column, r) && isfinite (column->values.f64[r]))
          sq += (column->values.f64[r] - mean) * (column->values.f64[r] - mean);
      if (method == RF_NORMALISE_MINMAX)
        {
          offset = min;
          scale = max - min;
        }
      else
        {
          offset = mean;
          scale = sqrt (sq / n);
        }
      /* a constant column becomes 0, not a division by zero */
      if (!(scale > 0) || !isfinite (scale))
        scale = 1;
      for (gsize r = 0; r < column->n_rows; r++)
        if (rf_column_is_valid (column, r))
          column->values.f64[r] = (column->values.f64[r] - offset) / scale;
      s.column = g_strdup (column->name);
      s.offset = offset;
      s.scale = scale;
      g_array_append_val (record->scalings, s);
    }
}

void
rf_transform_denormalise (const RfTransformRecord *record,
                          RfTable                 *table)
{
  g_return_if_fail (record != NULL);
  g_return_if_fail (table != NULL);

  for (guint i = 0; i < record->scalings->len; i++)
    {
      const Scaling *s = &g_array_index (record->scalings, Scaling, i);
      RfColumn *column = rf_table_find_column (table, s->column);

      if (column == NULL || column->type != RF_COLUMN_DOUBLE)
        continue;
      for (gsize r = 0; r < column->n_rows; r++)
        if (rf_column_is_valid (column, r))
          column->values.f64[r] = column->values.f64[r] * s->scale + s->offset;
    }
}

static gboolean
cancelled (GCancellable  *cancellable,
           GError       **error)
{
  return g_cancellable_set_error_if_cancelled (cancellable, error);
}

RfTable *
rf_transform_apply (RfTable                  *table,
                    RfProfile                *profile,
                    RfMapping                *mapping,
                    const RfTransformOptions *options,
                    RfTransformRecord       **record_out,
                    GCancellable             *cancellable,
                    GError                  **error)
{
  g_autoptr(RfTransformRecord) record = record_new ();
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func ((GDestroyNotify) rf_column_unref);
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(RfTable) out = rf_table_new ();
  RfTransformOptions defaults;
  gsize n_rows;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (profile != NULL, NULL);

  if (options == NULL)
    {
      rf_transform_options_init (&defaults);
      options = &defaults;
    }
  if (mapping != NULL &&
      (!rf_mapping_check_table (mapping, table, error) || !rf_mapping_check_profile (mapping, profile, error)))
    return NULL;
  n_rows = rf_table_get_n_rows (table);
  record->rows_in = n_rows;

  /* 1–2: the profile's sensors, in its order, renamed and converted */
  for (guint s = 0; s < rf_profile_get_n_sensors (profile); s++)
    {
      const RfSensor *sensor = rf_profile_get_sensor (profile, s);
      const char *name = column_for_sensor (mapping, table, sensor);
      const RfColumnMapping *m = mapping != NULL && name != NULL ? rf_mapping_find_column (mapping, name) : NULL;
      const RfUnit *to = sensor->unit != NULL ? rf_unit_lookup (sensor->unit) : NULL;
      const RfUnit *from = NULL;
      RfColumn *column;

      if (name == NULL)
        {
          g_ptr_array_add (record->missing_sensors, g_strdup (sensor->name));
          continue;
        }
      column = rf_column_copy (rf_table_find_column (table, name));
      g_hash_table_add (used, (gpointer) name);
      if (strcmp (name, sensor->name) != 0)
        {
          g_ptr_array_add (record->renamed_from, g_strdup (name));
          g_ptr_array_add (record->renamed_to, g_strdup (sensor->name));
          rf_column_set_name (column, sensor->name);
        }
      rf_column_set_role (column, sensor->role);

      if (sensor->role == RF_ROLE_TIMESTAMP && column->type == RF_COLUMN_STRING)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                       "The column “%s”, mapped to the timestamp “%s”, holds text that was not read as "
                       "timestamps. Read the file with --types “%s=timestamp”, or map another column.",
                       name, sensor->name, name);
          rf_column_unref (column);
          return NULL;
        }
      if (m != NULL && m->unit_from != NULL)
        from = rf_unit_lookup (m->unit_from);
      else if (column->unit != NULL)
        from = rf_unit_lookup (column->unit);
      if (options->convert_units && from != NULL && to != NULL && from != to &&
          sensor->role != RF_ROLE_TIMESTAMP && sensor->role != RF_ROLE_UNIT_ID)
        {
          if (!convert_column (&column, name, sensor->name, from, to, record, error))
            {
              rf_column_unref (column);
              return NULL;
            }
        }
      else if (options->convert_units && from != NULL && to != NULL && from != to)
        warn (record, "The column “%s” has the unit %s and its sensor “%s” %s; a %s is not converted.",
              name, rf_unit_get_symbol (from), sensor->name, rf_unit_get_symbol (to),
              sensor->role == RF_ROLE_TIMESTAMP ? "timestamp" : "unit id");
      if (sensor->unit != NULL)
        rf_column_set_unit (column, to != NULL ? rf_unit_get_symbol (to) : sensor->unit);
      g_ptr_array_add (columns, column);
    }
  if (cancelled (cancellable, error))
    return NULL;

  /* 4: RUL, on the renamed columns (before the extra columns join) */
  if (!apply_rul (columns, profile, options, n_rows, record))
    return NULL;

  for (guint i = 0; i < columns->len; i++)
    rf_table_add_column (out, g_ptr_array_index (columns, i));

  /* the columns no sensor took */
  for (guint c = 0; c < rf_table_get_n_columns (table); c++)
    {
      const RfColumn *src = rf_table_get_column (table, c);
      g_autoptr(RfColumn) column = NULL;
      g_autofree char *unique = NULL;

      if (g_hash_table_contains (used, src->name))
        continue;
      if (!options->keep_unmapped)
        {
          g_ptr_array_add (record->dropped, g_strdup (src->name));
          continue;
        }
      column = rf_column_copy (src);
      rf_column_set_role (column, RF_ROLE_AUX);
      unique = rf_table_unique_name (out, src->name, c);
      if (strcmp (unique, src->name) != 0)
        {
          warn (record, "The column “%s” was renamed “%s”: a sensor has its name.", src->name, unique);
          rf_column_set_name (column, unique);
        }
      g_ptr_array_add (record->auxiliary, g_strdup (unique));
      rf_table_add_column (out, column);
    }
  if (cancelled (cancellable, error))
    return NULL;

  /* 3: sort by unit, then time */
  if (options->sort_by_time && rf_table_get_n_rows (out) > 1)
    {
      g_autoptr(GPtrArray) current = g_ptr_array_new ();
      int time_index, unit_index;
      SortKeys keys = { { NULL, NULL }, 0 };

      for (guint c = 0; c < rf_table_get_n_columns (out); c++)
        g_ptr_array_add (current, rf_table_get_column (out, c));
      time_index = find_time_column (current);
      unit_index = find_role (current, RF_ROLE_UNIT_ID);
      if (time_index >= 0)
        {
          g_autofree gsize *order = g_new (gsize, n_rows);
          gboolean sorted = TRUE;

          if (unit_index >= 0)
            keys.keys[keys.n_keys++] = g_ptr_array_index (current, unit_index);
          keys.keys[keys.n_keys++] = g_ptr_array_index (current, time_index);
          for (guint k = 0; k < keys.n_keys; k++)
            g_ptr_array_add (record->sorted_by, g_strdup (keys.keys[k]->name));
          for (gsize r = 0; r < n_rows; r++)
            order[r] = r;
          for (gsize r = 1; r < n_rows && sorted; r++)
            sorted = compare_rows (&order[r - 1], &order[r], &keys) < 0;
          if (!sorted)
            {
              RfTable *sorted_table;

              g_qsort_with_data (order, (gint) n_rows, sizeof (gsize), compare_rows, &keys);
              sorted_table = rf_table_take_rows (out, order, n_rows);
              rf_table_unref (out);
              out = sorted_table;
            }
        }
    }

  /* 5: normalise the sensors */
  if (options->normalise != RF_NORMALISE_NONE)
    {
      /* integer sensors become doubles to hold the scaled values */
      for (guint c = 0; c < rf_table_get_n_columns (out); c++)
        {
          RfColumn *column = rf_table_get_column (out, c);
          if (column->role == RF_ROLE_SENSOR && (column->type == RF_COLUMN_INT64 || column->type == RF_COLUMN_BOOL))
            {
              g_autoptr(RfTable) replaced = rf_table_new ();
              for (guint k = 0; k < rf_table_get_n_columns (out); k++)
                {
                  RfColumn *src = rf_table_get_column (out, k);
                  g_autoptr(RfColumn) copy = k == c ? as_double_column (src) : rf_column_ref (src);
                  rf_table_add_column (replaced, copy);
                }
              rf_table_unref (out);
              out = g_steal_pointer (&replaced);
            }
        }
    }
  normalise (out, options->normalise, record);

  record->rows_out = rf_table_get_n_rows (out);
  if (rf_table_get_n_columns (out) == 0)
    record->rows_out = 0;
  if (record_out != NULL)
    *record_out = g_steal_pointer (&record);
  return g_steal_pointer (&out);
}

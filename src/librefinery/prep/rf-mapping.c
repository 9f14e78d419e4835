#define G_LOG_DOMAIN "rf-mapping"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-assignment.h"
#include "rf-atomic-file.h"
#include "rf-error.h"
#include "rf-json-build.h"
#include "rf-json-read.h"
#include "rf-mapping.h"
#include "rf-name-tokens.h"
#include "rf-units.h"

/* mapping.json files are small: a few hundred columns at most. */
#define MAX_MAPPING_BYTES (16 * 1024 * 1024)

/* How a score is made: the names' similarity counts 85 %, the units 15 %
 * (the same dimension on both sides: all of it; a side without a unit:
 * half). Different dimensions rule a pair out. */
#define NAME_SHARE 0.85
#define UNIT_SHARE 0.15

/* A behaviour-detected RUL or unit-id column scores at least this against
 * the profile's RUL or unit-id entry, when its name says nothing else. */
#define BEHAVIOUR_FLOOR 75

/* Scores this close are a tie. */
#define TIE_MARGIN 1

struct _RfMapping
{
  gatomicrefcount ref_count;
  char *machine_id;
  char *source;
  int threshold;
  GPtrArray *columns;   /* RfColumnMapping* */
};

/* What the scoring knows of one column. */
typedef struct
{
  const char *name;
  RfNameAnalysis *analysis;
  const RfUnit *unit;         /* declared or recognised in the name */
  gboolean is_timestamp;      /* typed as a timestamp */
  gboolean looks_like_rul;    /* behaviour, when there is data */
  gboolean looks_like_unit_id;
} ColumnFacts;

typedef struct
{
  const RfSensor *sensor;
  RfNameAnalysis *analysis;
  const RfUnit *unit;
} SensorFacts;

static void
column_mapping_free (RfColumnMapping *m)
{
  g_free (m->column);
  g_free (m->sensor);
  g_free (m->unit_from);
  g_free (m->unit_to);
  g_free (m);
}

static RfMapping *
mapping_new (const char *machine_id,
             int         threshold)
{
  RfMapping *mapping = g_new0 (RfMapping, 1);

  g_atomic_ref_count_init (&mapping->ref_count);
  mapping->machine_id = g_strdup (machine_id);
  mapping->threshold = threshold;
  mapping->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_mapping_free);
  return mapping;
}

RfMapping *
rf_mapping_ref (RfMapping *mapping)
{
  g_return_val_if_fail (mapping != NULL, NULL);
  g_atomic_ref_count_inc (&mapping->ref_count);
  return mapping;
}

void
rf_mapping_unref (RfMapping *mapping)
{
  if (mapping == NULL || !g_atomic_ref_count_dec (&mapping->ref_count))
    return;
  g_free (mapping->machine_id);
  g_free (mapping->source);
  g_ptr_array_unref (mapping->columns);
  g_free (mapping);
}

/* ---- facts -------------------------------------------------------------- */

static void
sensor_facts_init (SensorFacts    *facts,
                   const RfSensor *sensor)
{
  const RfUnit *declared = sensor->unit != NULL ? rf_unit_lookup (sensor->unit) : NULL;

  facts->sensor = sensor;
  facts->analysis = rf_name_analyse (sensor->name);
  facts->unit = declared != NULL ? declared : facts->analysis->unit;
  rf_name_analysis_add_unit (facts->analysis, declared);
  /* the profile says what the special entries are, whatever their names */
  if (sensor->role == RF_ROLE_TIMESTAMP && !rf_name_analysis_has (facts->analysis, "timestamp"))
    rf_name_analysis_free (facts->analysis), facts->analysis = rf_name_analyse ("timestamp");
  else if (sensor->role == RF_ROLE_RUL && !rf_name_analysis_has (facts->analysis, "rul"))
    {
      g_autofree char *name = g_strdup_printf ("%s rul", sensor->name);
      rf_name_analysis_free (facts->analysis);
      facts->analysis = rf_name_analyse (name);
      rf_name_analysis_add_unit (facts->analysis, declared);
    }
  else if (sensor->role == RF_ROLE_UNIT_ID && !rf_name_analysis_has (facts->analysis, "unit_id"))
    {
      g_autofree char *name = g_strdup_printf ("%s unit", sensor->name);
      rf_name_analysis_free (facts->analysis);
      facts->analysis = rf_name_analyse (name);
    }
}

static void
column_facts_init (ColumnFacts *facts,
                   const char  *name,
                   const char  *unit)
{
  const RfUnit *declared = unit != NULL ? rf_unit_lookup (unit) : NULL;

  memset (facts, 0, sizeof *facts);
  facts->name = name;
  facts->analysis = rf_name_analyse (name);
  facts->unit = declared != NULL ? declared : facts->analysis->unit;
  rf_name_analysis_add_unit (facts->analysis, declared);
}

static void
facts_clear (RfNameAnalysis **analysis)
{
  g_clear_pointer (analysis, rf_name_analysis_free);
}

/* Integer ids in runs: few distinct values, each in one or a few blocks
 * (C-MAPSS "unit", an engine or pump number). */
static gboolean
column_looks_like_unit_id (const RfColumn *column)
{
  gsize valid = 0, changes = 0;
  gint64 previous = 0;
  g_autoptr(GHashTable) seen = NULL;

  if (column->type != RF_COLUMN_INT64 || column->n_rows < 20 || column->n_missing > 0)
    return FALSE;
  seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (gsize r = 0; r < column->n_rows; r++)
    {
      gint64 v = column->values.i64[r];

      if (v < 0)
        return FALSE;
      if (valid > 0 && v != previous)
        changes++;
      if (!g_hash_table_contains (seen, &column->values.i64[r]))
        {
          g_hash_table_add (seen, &column->values.i64[r]);
          if (g_hash_table_size (seen) > column->n_rows / 10)
            return FALSE;
        }
      previous = v;
      valid++;
    }
  return g_hash_table_size (seen) >= 2 && changes <= 2 * g_hash_table_size (seen);
}

/* Non-negative numbers that count down, reaching 0 in every run (per unit
 * when there is a unit id). */
static gboolean
column_looks_like_rul (const RfColumn *column,
                       const RfColumn *unit_id)
{
  gsize pairs = 0, decreasing = 0, zeros = 0, runs = 0;

  if (!rf_column_type_is_numeric (column->type) || column->type == RF_COLUMN_BOOL ||
      column->n_rows < 10 || column->n_missing * 10 > column->n_rows)
    return FALSE;
  for (gsize r = 0; r < column->n_rows; r++)
    {
      double v;
      gboolean new_run;

      if (!rf_column_is_valid (column, r))
        continue;
      v = rf_column_get_as_double (column, r);
      if (!(v >= 0))
        return FALSE;
      new_run = r == 0 || (unit_id != NULL && unit_id->values.i64[r] != unit_id->values.i64[r - 1]);
      runs += new_run;
      if (!new_run && rf_column_is_valid (column, r - 1))
        {
          pairs++;
          decreasing += v < rf_column_get_as_double (column, r - 1);
        }
      zeros += v == 0;
    }
  return pairs > 0 && decreasing * 10 >= pairs * 9 && zeros >= 1 && zeros <= runs;
}

static void
add_behaviour (ColumnFacts    *facts,
               const RfColumn *column,
               const RfColumn *unit_id)
{
  facts->is_timestamp = column->type == RF_COLUMN_TIMESTAMP;
  facts->looks_like_unit_id = column == unit_id;
  facts->looks_like_rul = column != unit_id && column_looks_like_rul (column, unit_id);
}

/* ---- scores --------------------------------------------------------------- */

static gboolean
names_equal (const char *a,
             const char *b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

static int
score_pair (const ColumnFacts *column,
            const SensorFacts *sensor)
{
  const RfSensor *s = sensor->sensor;
  gboolean column_is_time = column->is_timestamp || rf_name_analysis_has (column->analysis, "timestamp");
  double similarity, unit_term;
  int score;

  if (names_equal (column->name, s->name))
    {
      /* the same name, unless the units say otherwise */
      if (column->unit != NULL && sensor->unit != NULL && !rf_unit_can_convert (column->unit, sensor->unit))
        return 0;
      return 100;
    }

  /* the special entries take only columns that behave or are named so */
  switch (s->role)
    {
    case RF_ROLE_TIMESTAMP:
      if (!column_is_time)
        return 0;
      if (column->is_timestamp)
        return MAX (90, (int) lround (100 * rf_name_similarity (column->analysis, sensor->analysis)));
      break;
    case RF_ROLE_RUL:
      if (!rf_name_analysis_has (column->analysis, "rul") && !column->looks_like_rul)
        return 0;
      break;
    case RF_ROLE_UNIT_ID:
      if (!rf_name_analysis_has (column->analysis, "unit_id") && !column->looks_like_unit_id)
        return 0;
      break;
    case RF_ROLE_SENSOR:
    case RF_ROLE_CATEGORY:
    case RF_ROLE_AUX:
    default:
      if (column->is_timestamp)
        return 0;
      break;
    }

  if (column->unit != NULL && sensor->unit != NULL)
    {
      if (!rf_unit_can_convert (column->unit, sensor->unit))
        return 0;
      unit_term = 1.0;
    }
  else
    unit_term = 0.5;

  similarity = rf_name_similarity (column->analysis, sensor->analysis);
  if (similarity <= 0)
    score = 0;
  else
    score = (int) lround (100 * (NAME_SHARE * similarity + UNIT_SHARE * unit_term));

  if ((s->role == RF_ROLE_RUL && column->looks_like_rul) ||
      (s->role == RF_ROLE_UNIT_ID && column->looks_like_unit_id))
    score = MAX (score, BEHAVIOUR_FLOOR);
  return CLAMP (score, 0, 100);
}

int
rf_mapping_score_pair (const char     *column,
                       const char     *column_unit,
                       RfProfile      *profile,
                       const RfSensor *sensor)
{
  ColumnFacts c;
  SensorFacts s;
  int score;

  g_return_val_if_fail (column != NULL, 0);
  g_return_val_if_fail (sensor != NULL, 0);

  column_facts_init (&c, column, column_unit);
  sensor_facts_init (&s, sensor);
  score = score_pair (&c, &s);
  facts_clear (&c.analysis);
  facts_clear (&s.analysis);
  return score;
}

static const char *
canonical_unit (const RfUnit *unit)
{
  return unit != NULL ? rf_unit_get_symbol (unit) : NULL;
}

/* The unit written in a sensor's entry: canonical when we know it, else as
 * the profile writes it. */
static char *
sensor_unit_text (const RfSensor *sensor,
                  const RfUnit   *unit)
{
  if (sensor->unit != NULL)
    return g_strdup (unit != NULL ? rf_unit_get_symbol (unit) : sensor->unit);
  return g_strdup (canonical_unit (unit));
}

static RfMapping *
suggest (ColumnFacts *columns,
         guint        n_columns,
         RfProfile   *profile,
         int          threshold)
{
  guint n_sensors = rf_profile_get_n_sensors (profile);
  g_autofree SensorFacts *sensors = g_new0 (SensorFacts, MAX (n_sensors, 1));
  g_autofree double *scores = g_new0 (double, (gsize) MAX (n_columns, 1) * MAX (n_sensors, 1));
  g_autofree int *assignment = g_new (int, MAX (n_columns, 1));
  RfMapping *mapping;

  if (threshold < 0)
    threshold = RF_MAPPING_DEFAULT_THRESHOLD;
  threshold = MIN (threshold, 100);
  mapping = mapping_new (rf_profile_get_machine_id (profile), threshold);

  for (guint s = 0; s < n_sensors; s++)
    sensor_facts_init (&sensors[s], rf_profile_get_sensor (profile, s));
  for (guint c = 0; c < n_columns; c++)
    for (guint s = 0; s < n_sensors; s++)
      scores[(gsize) c * n_sensors + s] = score_pair (&columns[c], &sensors[s]);

  /* a threshold of 0 still needs some likeness to pair */
  rf_assignment_maximise (scores, n_columns, n_sensors, MAX (threshold, 1), assignment);

  /* A column as good a match for a sensor nobody took as for its own
   * ("Temp" among three temperatures) is a guess: leave it to the user. */
  for (guint c = 0; c < n_columns; c++)
    {
      double own;

      if (assignment[c] < 0)
        continue;
      own = scores[(gsize) c * n_sensors + (guint) assignment[c]];
      for (guint s = 0; s < n_sensors; s++)
        {
          gboolean taken = FALSE;

          if ((int) s == assignment[c] || scores[(gsize) c * n_sensors + s] < own - TIE_MARGIN)
            continue;
          for (guint other = 0; other < n_columns && !taken; other++)
            taken = assignment[other] == (int) s;
          if (!taken)
            {
              assignment[c] = -1;
              break;
            }
        }
    }

  for (guint c = 0; c < n_columns; c++)
    {
      RfColumnMapping *m = g_new0 (RfColumnMapping, 1);
      double best = 0;

      m->column = g_strdup (columns[c].name);
      m->unit_from = g_strdup (canonical_unit (columns[c].unit));
      if (assignment[c] >= 0)
        {
          const SensorFacts *s = &sensors[assignment[c]];

          m->sensor = g_strdup (s->sensor->name);
          m->score = (int) scores[(gsize) c * n_sensors + (guint) assignment[c]];
          m->unit_to = sensor_unit_text (s->sensor, s->unit);
        }
      else
        {
          for (guint s = 0; s < n_sensors; s++)
            best = MAX (best, scores[(gsize) c * n_sensors + s]);
          m->score = (int) best;
        }
      g_ptr_array_add (mapping->columns, m);
    }

  for (guint s = 0; s < n_sensors; s++)
    facts_clear (&sensors[s].analysis);
  return mapping;
}

RfMapping *
rf_mapping_suggest_names (const RfMappingInput *inputs,
                          guint                 n_columns,
                          RfProfile            *profile,
                          int                   threshold)
{
  g_autofree ColumnFacts *columns = NULL;
  RfMapping *mapping;

  g_return_val_if_fail (n_columns == 0 || inputs != NULL, NULL);
  g_return_val_if_fail (profile != NULL, NULL);

  columns = g_new0 (ColumnFacts, MAX (n_columns, 1));
  for (guint c = 0; c < n_columns; c++)
    column_facts_init (&columns[c], inputs[c].name, inputs[c].unit);
  mapping = suggest (columns, n_columns, profile, threshold);
  for (guint c = 0; c < n_columns; c++)
    facts_clear (&columns[c].analysis);
  return mapping;
}

RfMapping *
rf_mapping_suggest (RfTable   *table,
                    RfProfile *profile,
                    int        threshold)
{
  guint n_columns;
  g_autofree ColumnFacts *columns = NULL;
  const RfColumn *unit_id = NULL;
  RfMapping *mapping;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (profile != NULL, NULL);

  n_columns = rf_table_get_n_columns (table);
  columns = g_new0 (ColumnFacts, MAX (n_columns, 1));
  for (guint c = 0; c < n_columns && unit_id == NULL; c++)
    if (column_looks_like_unit_id (rf_table_get_column (table, c)))
      unit_id = rf_table_get_column (table, c);
  for (guint c = 0; c < n_columns; c++)
    {
      const RfColumn *column = rf_table_get_column (table, c);

      column_facts_init (&columns[c], column->name, column->unit);
      add_behaviour (&columns[c], column, unit_id);
    }
  mapping = suggest (columns, n_columns, profile, threshold);
  for (guint c = 0; c < n_columns; c++)
    facts_clear (&columns[c].analysis);
  return mapping;
}

/* ---- accessors ------------------------------------------------------------ */

guint
rf_mapping_get_n_columns (RfMapping *mapping)
{
  g_return_val_if_fail (mapping != NULL, 0);
  return mapping->columns->len;
}

const RfColumnMapping *
rf_mapping_get_column (RfMapping *mapping,
                       guint      index)
{
  g_return_val_if_fail (mapping != NULL, NULL);
  g_return_val_if_fail (index < mapping->columns->len, NULL);
  return g_ptr_array_index (mapping->columns, index);
}

static RfColumnMapping *
find_column (RfMapping  *mapping,
             const char *column)
{
  for (guint i = 0; i < mapping->columns->len; i++)
    {
      RfColumnMapping *m = g_ptr_array_index (mapping->columns, i);
      if (strcmp (m->column, column) == 0)
        return m;
    }
  return NULL;
}

const RfColumnMapping *
rf_mapping_find_column (RfMapping  *mapping,
                        const char *column)
{
  g_return_val_if_fail (mapping != NULL, NULL);
  g_return_val_if_fail (column != NULL, NULL);
  return find_column (mapping, column);
}

const RfColumnMapping *
rf_mapping_find_sensor (RfMapping  *mapping,
                        const char *sensor)
{
  g_return_val_if_fail (mapping != NULL, NULL);
  g_return_val_if_fail (sensor != NULL, NULL);

  for (guint i = 0; i < mapping->columns->len; i++)
    {
      RfColumnMapping *m = g_ptr_array_index (mapping->columns, i);
      if (m->sensor != NULL && strcmp (m->sensor, sensor) == 0)
        return m;
    }
  return NULL;
}

const char *
rf_mapping_get_machine_id (RfMapping *mapping)
{
  g_return_val_if_fail (mapping != NULL, NULL);
  return mapping->machine_id;
}

const char *
rf_mapping_get_source (RfMapping *mapping)
{
  g_return_val_if_fail (mapping != NULL, NULL);
  return mapping->source;
}

void
rf_mapping_set_source (RfMapping  *mapping,
                       const char *source)
{
  g_return_if_fail (mapping != NULL);
  g_free (mapping->source);
  mapping->source = g_strdup (source);
}

int
rf_mapping_get_threshold (RfMapping *mapping)
{
  g_return_val_if_fail (mapping != NULL, 0);
  return mapping->threshold;
}

/* ---- the user's choices ------------------------------------------------------ */

static char *
list_names (RfMapping *mapping,
            RfProfile *profile)
{
  GString *list = g_string_new (NULL);

  if (mapping != NULL)
    for (guint i = 0; i < mapping->columns->len; i++)
      g_string_append_printf (list, "%s“%s”", i > 0 ? ", " : "",
                              ((RfColumnMapping *) g_ptr_array_index (mapping->columns, i))->column);
  else
    for (guint i = 0; i < rf_profile_get_n_sensors (profile); i++)
      g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", rf_profile_get_sensor (profile, i)->name);
  return g_string_free (list, FALSE);
}

gboolean
rf_mapping_set_column (RfMapping   *mapping,
                       RfProfile   *profile,
                       const char  *column,
                       const char  *sensor,
                       GError     **error)
{
  RfColumnMapping *m;
  const RfSensor *s = NULL;

  g_return_val_if_fail (mapping != NULL, FALSE);
  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (column != NULL, FALSE);

  m = find_column (mapping, column);
  if (m == NULL)
    {
      g_autofree char *known = list_names (mapping, NULL);
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "The data has no column “%s”. Its columns are: %s.", column, known);
      return FALSE;
    }
  if (sensor != NULL)
    {
      s = rf_profile_find_sensor (profile, sensor);
      if (s == NULL)
        {
          g_autofree char *known = list_names (NULL, profile);
          g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                       "The profile “%s” has no sensor “%s”. Its sensors are: %s.",
                       rf_profile_get_machine_id (profile), sensor, known);
          return FALSE;
        }
      /* one column per sensor: the sensor leaves the column that had it */
      for (guint i = 0; i < mapping->columns->len; i++)
        {
          RfColumnMapping *other = g_ptr_array_index (mapping->columns, i);
          if (other != m && other->sensor != NULL && strcmp (other->sensor, sensor) == 0)
            {
              g_clear_pointer (&other->sensor, g_free);
              g_clear_pointer (&other->unit_to, g_free);
              other->user_set = FALSE;
            }
        }
    }

  g_free (m->sensor);
  g_free (m->unit_to);
  m->sensor = g_strdup (sensor);
  m->unit_to = NULL;
  if (s != NULL)
    {
      const RfUnit *unit = s->unit != NULL ? rf_unit_lookup (s->unit) : NULL;
      if (unit == NULL)
        {
          g_autoptr(RfNameAnalysis) analysis = rf_name_analyse (s->name);
          unit = analysis->unit;
        }
      m->unit_to = sensor_unit_text (s, unit);
    }
  m->score = 100;
  m->user_set = TRUE;
  return TRUE;
}

void
rf_mapping_keep_user_choices (RfMapping *mapping,
                              RfProfile *profile,
                              RfMapping *previous)
{
  g_return_if_fail (mapping != NULL);
  g_return_if_fail (profile != NULL);

  if (previous == NULL)
    return;
  for (guint i = 0; i < previous->columns->len; i++)
    {
      const RfColumnMapping *old = g_ptr_array_index (previous->columns, i);

      if (!old->user_set || find_column (mapping, old->column) == NULL)
        continue;
      if (old->sensor != NULL && rf_profile_find_sensor (profile, old->sensor) == NULL)
        continue;
      rf_mapping_set_column (mapping, profile, old->column, old->sensor, NULL);
    }
}

GStrv
rf_mapping_get_unmapped_required (RfMapping *mapping,
                                  RfProfile *profile)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (mapping != NULL, NULL);
  g_return_val_if_fail (profile != NULL, NULL);

  for (guint i = 0; i < rf_profile_get_n_sensors (profile); i++)
    {
      const RfSensor *s = rf_profile_get_sensor (profile, i);
      if (s->required && rf_mapping_find_sensor (mapping, s->name) == NULL)
        g_strv_builder_add (builder, s->name);
    }
  return g_strv_builder_end (builder);
}

gboolean
rf_mapping_check_table (RfMapping  *mapping,
                        RfTable    *table,
                        GError    **error)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GString) extra = g_string_new (NULL);

  g_return_val_if_fail (mapping != NULL, FALSE);
  g_return_val_if_fail (table != NULL, FALSE);

  for (guint i = 0; i < mapping->columns->len; i++)
    {
      const RfColumnMapping *m = g_ptr_array_index (mapping->columns, i);
      if (rf_table_find_column (table, m->column) == NULL)
        g_string_append_printf (missing, "%s“%s”", missing->len > 0 ? ", " : "", m->column);
    }
  for (guint c = 0; c < rf_table_get_n_columns (table); c++)
    {
      const char *name = rf_table_get_column (table, c)->name;
      if (find_column (mapping, name) == NULL)
        g_string_append_printf (extra, "%s“%s”", extra->len > 0 ? ", " : "", name);
    }
  if (missing->len == 0 && extra->len == 0)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
               "The column mapping%s%s%s does not fit the data: %s%s%s%s%s. Map the columns "
               "again (refinery-cli map … --suggest).",
               mapping->source != NULL ? " (made for “" : "",
               mapping->source != NULL ? mapping->source : "",
               mapping->source != NULL ? "”)" : "",
               missing->len > 0 ? "the data has no column " : "", missing->str,
               missing->len > 0 && extra->len > 0 ? "; " : "",
               extra->len > 0 ? "the mapping does not know the column " : "", extra->str);
  return FALSE;
}

gboolean
rf_mapping_check_profile (RfMapping  *mapping,
                          RfProfile  *profile,
                          GError    **error)
{
  g_return_val_if_fail (mapping != NULL, FALSE);
  g_return_val_if_fail (profile != NULL, FALSE);

  for (guint i = 0; i < mapping->columns->len; i++)
    {
      const RfColumnMapping *m = g_ptr_array_index (mapping->columns, i);
      if (m->sensor != NULL && rf_profile_find_sensor (profile, m->sensor) == NULL)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                       "The column mapping maps “%s” to “%s”, which the profile “%s” does not have. "
                       "Map the column again.",
                       m->column, m->sensor, rf_profile_get_machine_id (profile));
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- mapping.json -------------------------------------------------------------- */

JsonNode *
rf_mapping_to_json (RfMapping *mapping,
                    RfProfile *profile)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (mapping != NULL, NULL);

  json_builder_begin_object (builder);
  rf_json_add_string (builder, "format", RF_MAPPING_FORMAT);
  rf_json_add_int (builder, "format_version", RF_MAPPING_FORMAT_VERSION);
  rf_json_add_string (builder, "machine_id", mapping->machine_id);
  rf_json_add_string (builder, "source", mapping->source);
  rf_json_add_int (builder, "threshold", mapping->threshold);
  json_builder_set_member_name (builder, "mappings");
  json_builder_begin_object (builder);
  for (guint i = 0; i < mapping->columns->len; i++)
    {
      const RfColumnMapping *m = g_ptr_array_index (mapping->columns, i);

      json_builder_set_member_name (builder, m->column);
      json_builder_begin_object (builder);
      rf_json_add_string (builder, "sensor", m->sensor);
      rf_json_add_int (builder, "score", m->score);
      rf_json_add_bool (builder, "user_set", m->user_set);
      rf_json_add_string (builder, "unit_from", m->unit_from);
      rf_json_add_string (builder, "unit_to", m->unit_to);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  if (profile != NULL)
    {
      g_auto(GStrv) unmapped = rf_mapping_get_unmapped_required (mapping, profile);

      json_builder_set_member_name (builder, "unmapped_required");
      json_builder_begin_array (builder);
      for (guint i = 0; unmapped[i] != NULL; i++)
        json_builder_add_string_value (builder, unmapped[i]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Sets the error for a damaged mapping.json; returns NULL. */
static gpointer
invalid (GError    **error,
         const char *display_name,
         const char *what)
{
  g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
               "%s: %s. Make the mapping again (refinery-cli map … --suggest).", display_name, what);
  return NULL;
}

/* A member that is absent or null → *out NULL; a string → copied. */
static gboolean
optional_string (JsonObject  *object,
                 const char  *member,
                 char       **out)
{
  const char *text;
  gboolean ok = rf_json_member_string (object, member, &text);

  *out = g_strdup (text);
  return ok;
}

/* A whole number that must be there. */
static gboolean
integer_member (JsonObject *object,
                const char *member,
                gint64     *out)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) && rf_json_member_int (object, member, out);
}

static RfMapping *
mapping_from_json (JsonNode    *root,
                   const char  *display_name,
                   GError     **error)
{
  JsonObject *object, *mappings;
  g_autoptr(RfMapping) mapping = NULL;
  g_autofree char *format = NULL;
  g_autofree char *machine_id = NULL;
  g_autofree char *source = NULL;
  gint64 version = 0, threshold = RF_MAPPING_DEFAULT_THRESHOLD;
  JsonNode *member;
  GList *names;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return invalid (error, display_name, "not a JSON object");
  object = json_node_get_object (root);
  if (!optional_string (object, "format", &format) || g_strcmp0 (format, RF_MAPPING_FORMAT) != 0)
    return invalid (error, display_name, "“format” is not “" RF_MAPPING_FORMAT "”: not a column mapping");
  if (!integer_member (object, "format_version", &version) || version < 1)
    return invalid (error, display_name, "“format_version” must be a positive integer");
  if (version > RF_MAPPING_FORMAT_VERSION)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "%s: format version %" G_GINT64_FORMAT " is newer than this Refinery reads (%d). "
                   "Update Refinery, or make the mapping again.",
                   display_name, version, RF_MAPPING_FORMAT_VERSION);
      return NULL;
    }
  if (!optional_string (object, "machine_id", &machine_id))
    return invalid (error, display_name, "“machine_id” must be a string");
  if (!optional_string (object, "source", &source))
    return invalid (error, display_name, "“source” must be a string or null");
  if (json_object_has_member (object, "threshold") &&
      (!integer_member (object, "threshold", &threshold) || threshold < 0 || threshold > 100))
    return invalid (error, display_name, "“threshold” must be an integer from 0 to 100");
  member = json_object_get_member (object, "mappings");
  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    return invalid (error, display_name, "“mappings” must be an object");
  mappings = json_node_get_object (member);

  mapping = mapping_new (machine_id, (int) threshold);
  mapping->source = g_steal_pointer (&source);
  names = json_object_get_members (mappings);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *column = l->data;
      JsonNode *entry_node = json_object_get_member (mappings, column);
      JsonObject *entry;
      RfColumnMapping *m;
      gint64 score = 0;
      JsonNode *user_set;

      if (!JSON_NODE_HOLDS_OBJECT (entry_node))
        {
          g_autofree char *what = g_strdup_printf ("mappings.“%s” must be an object", column);
          g_list_free (names);
          return invalid (error, display_name, what);
        }
      entry = json_node_get_object (entry_node);
      m = g_new0 (RfColumnMapping, 1);
      m->column = g_strdup (column);
      g_ptr_array_add (mapping->columns, m);
      user_set = json_object_get_member (entry, "user_set");
      if (!optional_string (entry, "sensor", &m->sensor) ||
          !optional_string (entry, "unit_from", &m->unit_from) ||
          !optional_string (entry, "unit_to", &m->unit_to) ||
          (json_object_has_member (entry, "score") &&
           (!integer_member (entry, "score", &score) || score < 0 || score > 100)) ||
          (user_set != NULL && (!JSON_NODE_HOLDS_VALUE (user_set) ||
                                json_node_get_value_type (user_set) != G_TYPE_BOOLEAN)))
        {
          g_autofree char *what =
            g_strdup_printf ("mappings.“%s”: “sensor”, “unit_from” and “unit_to” must be strings or "
                             "null, “score” an integer from 0 to 100, “user_set” true or false", column);
          g_list_free (names);
          return invalid (error, display_name, what);
        }
      m->score = (int) score;
      m->user_set = user_set != NULL && json_node_get_boolean (user_set);
    }
  g_list_free (names);

  /* one column per sensor */
  for (guint i = 0; i < mapping->columns->len; i++)
    for (guint j = i + 1; j < mapping->columns->len; j++)
      {
        const RfColumnMapping *a = g_ptr_array_index (mapping->columns, i);
        const RfColumnMapping *b = g_ptr_array_index (mapping->columns, j);
        if (a->sensor != NULL && b->sensor != NULL && strcmp (a->sensor, b->sensor) == 0)
          {
            g_autofree char *what = g_strdup_printf ("the columns “%s” and “%s” are both mapped to “%s”",
                                                     a->column, b->column, a->sensor);
            return invalid (error, display_name, what);
          }
      }
  return g_steal_pointer (&mapping);
}

RfMapping *
rf_mapping_load_bytes (GBytes      *bytes,
                       const char  *display_name,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  if (length > MAX_MAPPING_BYTES)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "%s: %" G_GSIZE_FORMAT " bytes is too large for a column mapping.", display_name, length);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, length > 0 ? data : "", (gssize) length, &local_error))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE, "%s: not valid JSON (%s). Make the mapping again "
                   "(refinery-cli map … --suggest).", display_name, local_error->message);
      return NULL;
    }
  return mapping_from_json (json_parser_get_root (parser), display_name, error);
}

RfMapping *
rf_mapping_load_file (const char  *path,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_basename (path);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, RF_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? RF_ERROR_NOT_FOUND
                                                                                   : RF_ERROR_IO,
                   "Cannot read the column mapping: %s", local_error->message);
      return NULL;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  return rf_mapping_load_bytes (bytes, display, error);
}

gboolean
rf_mapping_save_file (RfMapping   *mapping,
                      RfProfile   *profile,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (mapping != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  root = rf_mapping_to_json (mapping, profile);
  return rf_atomic_write_json (path, root, error);
}

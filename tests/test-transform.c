#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "rf-error.h"
#include "rf-transform.h"
#include "rf-test-util.h"

static const char pump_profile[] =
  "{\"machine_id\": \"pump\", \"sensors\": ["
  "{\"name\": \"unit\", \"role\": \"unit_id\"},"
  "{\"name\": \"timestamp\", \"role\": \"timestamp\"},"
  "{\"name\": \"suction_pressure_bar\", \"unit\": \"bar\"},"
  "{\"name\": \"bearing_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"speed_rpm\", \"unit\": \"rpm\"},"
  "{\"name\": \"rul_hours\", \"unit\": \"h\", \"role\": \"rul\"}]}";

static RfProfile *
load_profile (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(GError) error = NULL;
  RfProfile *profile = rf_profile_load_bytes (bytes, "test.json", &error);

  g_assert_no_error (error);
  return profile;
}

#define T0 1714521600000000  /* 2024-05-01T00:00:00Z */
#define HOUR 3600000000

/* Two pumps, rows out of order: pump 2 first, pump 1's hours 2, 0, 1. */
static RfTable *
pump_table (void)
{
  RfTable *table = rf_table_new ();
  RfColumn *id = rf_column_new ("PUMP_NO", RF_COLUMN_INT64);
  RfColumn *time = rf_column_new ("TIME_STAMP", RF_COLUMN_TIMESTAMP);
  RfColumn *psi = rf_column_new ("P_SUCTION_PSI", RF_COLUMN_DOUBLE);
  RfColumn *temp = rf_column_new ("BRG_TEMP_F", RF_COLUMN_INT64);
  RfColumn *op = rf_column_new ("Operator", RF_COLUMN_STRING);
  static const struct { gint64 id; gint64 hour; double psi; gint64 f; const char *op; } rows[] = {
    { 2, 0, 10, 32, "c" },
    { 2, 1, 20, 212, "c" },
    { 1, 2, 100, 185, "a" },
    { 1, 0, 14.5, -40, "a" },
    { 1, 1, 0, 50, "b" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      rf_column_append_int64 (id, rows[i].id);
      rf_column_append_timestamp (time, T0 + rows[i].hour * HOUR);
      rf_column_append_double (psi, rows[i].psi);
      rf_column_append_int64 (temp, rows[i].f);
      rf_column_append_string (op, rows[i].op, -1);
    }
  rf_table_add_column (table, id);
  rf_table_add_column (table, time);
  rf_table_add_column (table, psi);
  rf_table_add_column (table, temp);
  rf_table_add_column (table, op);
  rf_column_unref (id);
  rf_column_unref (time);
  rf_column_unref (psi);
  rf_column_unref (temp);
  rf_column_unref (op);
  return table;
}

static RfMapping *
pump_mapping (RfTable   *table,
              RfProfile *profile)
{
  RfMapping *mapping = rf_mapping_suggest (table, profile, -1);

  /* the names say which is which except for the pump number */
  g_assert_true (rf_mapping_set_column (mapping, profile, "PUMP_NO", "unit", NULL));
  g_assert_cmpstr (rf_mapping_find_column (mapping, "TIME_STAMP")->sensor, ==, "timestamp");
  g_assert_cmpstr (rf_mapping_find_column (mapping, "P_SUCTION_PSI")->sensor, ==, "suction_pressure_bar");
  g_assert_cmpstr (rf_mapping_find_column (mapping, "BRG_TEMP_F")->sensor, ==, "bearing_temp_C");
  g_assert_null (rf_mapping_find_column (mapping, "Operator")->sensor);
  return mapping;
}

static void
test_rename_convert_sort_rul (void)
{
  g_autoptr(RfProfile) profile = load_profile (pump_profile);
  g_autoptr(RfTable) table = pump_table ();
  g_autoptr(RfMapping) mapping = pump_mapping (table, profile);
  g_autoptr(RfTransformRecord) record = NULL;
  g_autoptr(RfTable) out = NULL;
  g_autoptr(GError) error = NULL;
  RfColumn *c;
  static const gint64 ids[] = { 1, 1, 1, 2, 2 };
  static const double bar[] = { 1.45, 0, 10, 1, 2 };
  static const double celsius[] = { -40, 10, 85, 0, 100 };
  static const double rul[] = { 2, 1, 0, 1, 0 };
  static const char * const ops[] = { "a", "b", "a", "c", "c" };

  out = rf_transform_apply (table, profile, mapping, NULL, &record, NULL, &error);
  g_assert_no_error (error);

  /* profile order, then the extra column; speed_rpm is missing */
  g_assert_cmpuint (rf_table_get_n_columns (out), ==, 6);
  g_assert_cmpstr (rf_table_get_column (out, 0)->name, ==, "unit");
  g_assert_cmpstr (rf_table_get_column (out, 1)->name, ==, "timestamp");
  g_assert_cmpstr (rf_table_get_column (out, 2)->name, ==, "suction_pressure_bar");
  g_assert_cmpstr (rf_table_get_column (out, 3)->name, ==, "bearing_temp_C");
  g_assert_cmpstr (rf_table_get_column (out, 4)->name, ==, "rul_hours");
  g_assert_cmpstr (rf_table_get_column (out, 5)->name, ==, "Operator");
  g_assert_cmpint (rf_table_get_column (out, 0)->role, ==, RF_ROLE_UNIT_ID);
  g_assert_cmpint (rf_table_get_column (out, 1)->role, ==, RF_ROLE_TIMESTAMP);
  g_assert_cmpint (rf_table_get_column (out, 2)->role, ==, RF_ROLE_SENSOR);
  g_assert_cmpint (rf_table_get_column (out, 4)->role, ==, RF_ROLE_RUL);
  g_assert_cmpint (rf_table_get_column (out, 5)->role, ==, RF_ROLE_AUX);
  g_assert_cmpstr (rf_table_get_column (out, 2)->unit, ==, "bar");
  g_assert_cmpstr (rf_table_get_column (out, 3)->unit, ==, "degC");
  g_assert_cmpstr (rf_table_get_column (out, 4)->unit, ==, "h");

  /* sorted by unit then time; psi → bar and °F → °C exactly; RUL per pump */
  for (gsize r = 0; r < 5; r++)
    {
      gsize len;
      const char *op = rf_column_get_string (rf_table_get_column (out, 5), r, &len);

      g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (out, 0), r), ==, ids[r]);
      g_assert_cmpfloat_with_epsilon (rf_column_get_double (rf_table_get_column (out, 2), r), bar[r] * 6.894757293168361 / 10, 1e-15);
      g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (out, 3), r), ==, celsius[r]);
      g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (out, 4), r), ==, rul[r]);
      g_assert_cmpmem (op, len, ops[r], 1);
    }
  c = rf_table_get_column (out, 1);
  g_assert_cmpint (rf_column_get_int64 (c, 0), ==, T0);
  g_assert_cmpint (rf_column_get_int64 (c, 4), ==, T0 + HOUR);
  /* 100 psi exactly */
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (out, 2), 2), ==, 6.894757293168361);

  /* the record */
  {
    g_autoptr(JsonNode) json = rf_transform_record_to_json (record);
    JsonObject *o = json_node_get_object (json);
    JsonArray *converted = json_object_get_array_member (o, "converted");
    JsonObject *rul_info = json_object_get_object_member (o, "rul");

    g_assert_cmpint (json_object_get_int_member (o, "rows_in"), ==, 5);
    g_assert_cmpint (json_object_get_int_member (o, "rows_out"), ==, 5);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "renamed")), ==, 4);
    g_assert_cmpuint (json_array_get_length (converted), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (converted, 0), "unit_from"),
                     ==, "psi");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (converted, 1), "unit_from"),
                     ==, "degF");
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "missing_sensors"), 0),
                     ==, "speed_rpm");
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "auxiliary"), 0),
                     ==, "Operator");
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "sorted_by"), 1),
                     ==, "timestamp");
    g_assert_cmpstr (json_object_get_string_member (rul_info, "mode"), ==, "filled");
    g_assert_cmpstr (json_object_get_string_member (rul_info, "from"), ==, "timestamp");
    g_assert_cmpint (json_object_get_int_member (rul_info, "values_computed"), ==, 5);
  }
}

static void
test_options (void)
{
  g_autoptr(RfProfile) profile = load_profile (pump_profile);
  g_autoptr(RfTable) table = pump_table ();
  g_autoptr(RfMapping) mapping = pump_mapping (table, profile);
  g_autoptr(RfTable) out = NULL;
  g_autoptr(GError) error = NULL;
  RfTransformOptions options;

  rf_transform_options_init (&options);
  options.keep_unmapped = FALSE;
  options.convert_units = FALSE;
  options.sort_by_time = FALSE;
  options.rul = RF_RUL_KEEP;
  out = rf_transform_apply (table, profile, mapping, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  /* no Operator, no RUL; values and order as they were; units the profile's
   * (the data is taken to be in them already) */
  g_assert_cmpuint (rf_table_get_n_columns (out), ==, 4);
  g_assert_null (rf_table_find_column (out, "Operator"));
  g_assert_null (rf_table_find_column (out, "rul_hours"));
  g_assert_cmpint (rf_column_get_int64 (rf_table_find_column (out, "unit"), 0), ==, 2);
  g_assert_cmpint (rf_column_get_int64 (rf_table_find_column (out, "bearing_temp_C"), 2), ==, 185);
  g_assert_cmpstr (rf_table_find_column (out, "bearing_temp_C")->unit, ==, "degC");
}

static void
test_rul_from_cycles_and_rows (void)
{
  static const char profile_json[] =
    "{\"machine_id\": \"engine\", \"sensors\": ["
    "{\"name\": \"unit\", \"role\": \"unit_id\"},"
    "{\"name\": \"cycle\", \"unit\": \"cycles\"},"
    "{\"name\": \"s_2\", \"unit\": \"degR\"},"
    "{\"name\": \"RUL\", \"unit\": \"cycles\", \"role\": \"rul\"}]}";
  static const char no_cycle_json[] =
    "{\"machine_id\": \"engine\", \"sensors\": ["
    "{\"name\": \"unit\", \"role\": \"unit_id\"},"
    "{\"name\": \"s_2\", \"unit\": \"degR\"},"
    "{\"name\": \"RUL\", \"unit\": \"cycles\", \"role\": \"rul\"}]}";
  g_autoptr(RfProfile) profile = load_profile (profile_json);
  g_autoptr(RfProfile) no_cycle = load_profile (no_cycle_json);
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfColumn) unit = rf_column_new ("unit", RF_COLUMN_INT64);
  g_autoptr(RfColumn) cycle = rf_column_new ("cycle", RF_COLUMN_INT64);
  g_autoptr(RfColumn) s2 = rf_column_new ("s_2", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) given = rf_column_new ("RUL", RF_COLUMN_INT64);
  g_autoptr(RfTable) out = NULL;
  g_autoptr(RfTable) keep = NULL;
  g_autoptr(RfTransformRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  RfTransformOptions options;
  /* unit 7: cycles 1..4 (a gap: no cycle 3, so 5); unit 3: cycles 1..2 */
  static const gint64 units[] = { 7, 7, 7, 3, 3 };
  static const gint64 cycles[] = { 1, 2, 5, 1, 2 };

  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    {
      rf_column_append_int64 (unit, units[i]);
      rf_column_append_int64 (cycle, cycles[i]);
      rf_column_append_double (s2, 640 + (double) i);
      if (i == 1)
        rf_column_append_null (given);
      else
        rf_column_append_int64 (given, 99);
    }
  rf_table_add_column (table, unit);
  rf_table_add_column (table, cycle);
  rf_table_add_column (table, s2);
  rf_table_add_column (table, given);

  /* names equal to the profile's: no mapping needed. Recalculate: from the
   * cycle column, per unit; sorted by unit then cycle */
  rf_transform_options_init (&options);
  options.rul = RF_RUL_RECALCULATE;
  out = rf_transform_apply (table, profile, NULL, &options, &record, NULL, &error);
  g_assert_no_error (error);
  {
    static const gint64 want_unit[] = { 3, 3, 7, 7, 7 };
    static const gint64 want_rul[] = { 1, 0, 4, 3, 0 };
    RfColumn *rul = rf_table_find_column (out, "RUL");

    g_assert_cmpint (rul->type, ==, RF_COLUMN_INT64);
    for (gsize r = 0; r < 5; r++)
      {
        g_assert_cmpint (rf_column_get_int64 (rf_table_find_column (out, "unit"), r), ==, want_unit[r]);
        g_assert_cmpint (rf_column_get_int64 (rul, r), ==, want_rul[r]);
      }
    /* °R stays °R: the profile asks for it */
    g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (out, "s_2"), 0), ==, 643);
  }

  /* fill: only the missing value is computed; the others stay 99 */
  g_clear_pointer (&out, rf_table_unref);
  g_clear_pointer (&record, rf_transform_record_free);
  rf_transform_options_init (&options);
  options.sort_by_time = FALSE;
  out = rf_transform_apply (table, profile, NULL, &options, &record, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rf_column_get_int64 (rf_table_find_column (out, "RUL"), 0), ==, 99);
  g_assert_cmpint (rf_column_get_int64 (rf_table_find_column (out, "RUL"), 1), ==, 3);
  g_assert_cmpuint (rf_table_find_column (out, "RUL")->n_missing, ==, 0);

  /* without a cycle column: rows remaining in the unit */
  {
    g_autoptr(RfTable) rows_only = rf_table_new ();
    g_autoptr(RfTable) counted = NULL;
    static const gint64 want[] = { 2, 1, 0, 1, 0 };

    rf_table_add_column (rows_only, unit);
    rf_table_add_column (rows_only, s2);
    counted = rf_transform_apply (rows_only, no_cycle, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    for (gsize r = 0; r < 5; r++)
      g_assert_cmpint (rf_column_get_int64 (rf_table_find_column (counted, "RUL"), r), ==, want[r]);
  }

  /* keep: the column as given, missing value included */
  rf_transform_options_init (&options);
  options.rul = RF_RUL_KEEP;
  keep = rf_transform_apply (table, profile, NULL, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_find_column (keep, "RUL")->n_missing, ==, 1);
}

static void
test_normalise_round_trip (void)
{
  static const char profile_json[] =
    "{\"machine_id\": \"m\", \"sensors\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"flat\"},"
    "{\"name\": \"n\"}, {\"name\": \"gone\"}]}";
  g_autoptr(RfProfile) profile = load_profile (profile_json);
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfColumn) a = rf_column_new ("a", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) b = rf_column_new ("b", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) flat = rf_column_new ("flat", RF_COLUMN_DOUBLE);
  g_autoptr(RfColumn) n = rf_column_new ("n", RF_COLUMN_INT64);
  g_autoptr(RfColumn) gone = rf_column_new ("gone", RF_COLUMN_DOUBLE);
  static const double va[] = { 0.1, 0.7, 1e6, -3.25 };
  static const double vb[] = { 5, 5.5, 6, 7.5 };

  for (gsize i = 0; i < 4; i++)
    {
      rf_column_append_double (a, va[i]);
      rf_column_append_double (b, vb[i]);
      rf_column_append_double (flat, 42);
      rf_column_append_int64 (n, (gint64) i * 10);
      rf_column_append_null (gone);
    }
  rf_table_add_column (table, a);
  rf_table_add_column (table, b);
  rf_table_add_column (table, flat);
  rf_table_add_column (table, n);
  rf_table_add_column (table, gone);

  for (RfNormalisation method = RF_NORMALISE_MINMAX; method <= RF_NORMALISE_ZSCORE; method++)
    {
      g_autoptr(RfTransformRecord) record = NULL;
      g_autoptr(RfTransformRecord) loaded = NULL;
      g_autoptr(RfTable) out = NULL;
      g_autoptr(JsonNode) json = NULL;
      g_autoptr(GError) error = NULL;
      RfTransformOptions options;

      rf_transform_options_init (&options);
      options.normalise = method;
      out = rf_transform_apply (table, profile, NULL, &options, &record, NULL, &error);
      g_assert_no_error (error);
      if (method == RF_NORMALISE_MINMAX)
        {
          /* b: (x − 5) / 2.5 */
          g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (out, "b"), 0), ==, 0);
          g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (out, "b"), 1), ==, 0.2);
          g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (out, "b"), 3), ==, 1);
          g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (out, "n"), 2), ==, 2.0 / 3);
        }
      else
        {
          /* b: mean 6, population std sqrt(1.0625 + 0.25 + 0 + 2.25)/2 ... */
          double mean = 6, std = sqrt ((1 + 0.25 + 0 + 2.25) / 4);
          g_assert_cmpfloat_with_epsilon (rf_column_get_double (rf_table_find_column (out, "b"), 3),
                                          (7.5 - mean) / std, 1e-15);
        }
      /* a constant column becomes 0 with scale 1; an all-missing one stays */
      g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (out, "flat"), 2), ==, 0);
      g_assert_cmpuint (rf_table_find_column (out, "gone")->n_missing, ==, 4);
      g_assert_cmpint (rf_table_find_column (out, "n")->type, ==, RF_COLUMN_DOUBLE);

      /* through JSON and back, then undone */
      json = rf_transform_record_to_json (record);
      loaded = rf_transform_record_from_json (json, "transform.json", &error);
      g_assert_no_error (error);
      rf_transform_denormalise (loaded, out);
      for (gsize r = 0; r < 4; r++)
        {
          double x = rf_column_get_double (rf_table_find_column (out, "a"), r);
          /* within a few units in the last place of the column's
           * magnitude (1e6 for a): a subtraction and a division, then
           * their inverse; a constant column comes back exactly */
          g_assert_cmpfloat_with_epsilon (x, va[r], 1e6 * 4 * DBL_EPSILON);
          g_assert_cmpfloat_with_epsilon (rf_column_get_double (rf_table_find_column (out, "b"), r), vb[r],
                                          8 * 4 * DBL_EPSILON);
          g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (out, "flat"), r), ==, 42);
          g_assert_cmpfloat_with_epsilon (rf_column_get_double (rf_table_find_column (out, "n"), r),
                                          (double) r * 10, 30 * 4 * DBL_EPSILON);
        }
    }
}

static void
test_edge_tables (void)
{
  g_autoptr(RfProfile) profile = load_profile (pump_profile);
  g_autoptr(RfTable) table = pump_table ();
  g_autoptr(RfMapping) mapping = pump_mapping (table, profile);
  g_autoptr(RfTable) empty = rf_table_slice (table, 0, 0);
  g_autoptr(RfTable) one = rf_table_slice (table, 2, 1);
  g_autoptr(RfTable) out = NULL;
  g_autoptr(GError) error = NULL;

  /* no rows: the columns, renamed, typed and empty */
  out = rf_transform_apply (empty, profile, mapping, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (out), ==, 0);
  g_assert_cmpuint (rf_table_get_n_columns (out), ==, 6);
  g_assert_cmpint (rf_table_find_column (out, "bearing_temp_C")->type, ==, RF_COLUMN_DOUBLE);

  /* one row: its RUL is 0 */
  g_clear_pointer (&out, rf_table_unref);
  out = rf_transform_apply (one, profile, mapping, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (out), ==, 1);
  g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (out, "rul_hours"), 0), ==, 0);
  g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (out, "bearing_temp_C"), 0), ==, 85);
}

static void
test_errors (void)
{
  g_autoptr(RfProfile) profile = load_profile (pump_profile);
  g_autoptr(RfTable) table = pump_table ();
  g_autoptr(RfMapping) mapping = pump_mapping (table, profile);
  g_autoptr(RfTable) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfMapping) other = NULL;
  static const RfMappingInput columns[] = { { "x", NULL } };

  /* text cannot be converted */
  g_assert_true (rf_mapping_set_column (mapping, profile, "Operator", "speed_rpm", NULL));
  {
    /* give it a unit to convert from: rpm → rpm is no conversion, so use a
     * mapping loaded with Hz */
    g_autoptr(JsonNode) json = rf_mapping_to_json (mapping, profile);
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autofree char *text = NULL;
    g_autoptr(GString) patched = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(RfMapping) with_unit = NULL;
    gsize at;

    json_generator_set_root (generator, json);
    text = json_generator_to_data (generator, NULL);
    patched = g_string_new (text);
    at = (gsize) (strstr (patched->str, "\"Operator\"") - patched->str);
    at = (gsize) (strstr (patched->str + at, "\"unit_from\":null") - patched->str);
    g_string_erase (patched, (gssize) at, (gssize) strlen ("\"unit_from\":null"));
    g_string_insert (patched, (gssize) at, "\"unit_from\":\"Hz\"");
    bytes = g_bytes_new (patched->str, patched->len);
    with_unit = rf_mapping_load_bytes (bytes, "m.json", &error);
    g_assert_no_error (error);
    out = rf_transform_apply (table, profile, with_unit, NULL, NULL, NULL, &error);
    g_assert_null (out);
    g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==,
                     "The column “Operator” (mapped to “speed_rpm”) holds string values, not numbers in Hz: "
                     "its unit cannot be converted. Check the column's type when reading the file (--types), "
                     "or map another column.");
    g_clear_error (&error);
  }

  /* a mapping for other columns */
  other = rf_mapping_suggest_names (columns, 1, profile, -1);
  out = rf_transform_apply (table, profile, other, NULL, NULL, NULL, &error);
  g_assert_null (out);
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "does not fit the data"));
  g_clear_error (&error);

  /* cancelled */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_cancellable_cancel (cancellable);
    out = rf_transform_apply (table, profile, NULL, NULL, NULL, cancellable, &error);
    g_assert_null (out);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

static void
test_options_json (void)
{
  RfTransformOptions options, back;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  rf_transform_options_init (&options);
  options.keep_unmapped = FALSE;
  options.rul = RF_RUL_RECALCULATE;
  options.normalise = RF_NORMALISE_ZSCORE;
  json = rf_transform_options_to_json (&options);
  g_assert_true (rf_transform_options_from_json (json, &back, "t.json", &error));
  g_assert_no_error (error);
  g_assert_false (back.keep_unmapped);
  g_assert_true (back.convert_units);
  g_assert_cmpint (back.rul, ==, RF_RUL_RECALCULATE);
  g_assert_cmpint (back.normalise, ==, RF_NORMALISE_ZSCORE);

  json_parser_load_from_data (parser, "{\"rul\": \"sometimes\"}", -1, NULL);
  g_assert_false (rf_transform_options_from_json (json_parser_get_root (parser), &back, "t.json", &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "t.json: “rul” must be “keep”, “fill” or “recalculate”.");
  g_clear_error (&error);
  json_parser_load_from_data (parser, "{\"sort_by_time\": 1}", -1, NULL);
  g_assert_false (rf_transform_options_from_json (json_parser_get_root (parser), &back, "t.json", &error));
  g_assert_cmpstr (error->message, ==, "t.json: “sort_by_time” must be true or false.");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/transform/rename-convert-sort-rul", test_rename_convert_sort_rul);
  g_test_add_func ("/rf/transform/options", test_options);
  g_test_add_func ("/rf/transform/rul-from-cycles-and-rows", test_rul_from_cycles_and_rows);
  g_test_add_func ("/rf/transform/normalise-round-trip", test_normalise_round_trip);
  g_test_add_func ("/rf/transform/edge-tables", test_edge_tables);
  g_test_add_func ("/rf/transform/errors", test_errors);
  g_test_add_func ("/rf/transform/options-json", test_options_json);
  return g_test_run ();
}

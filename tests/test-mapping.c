#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "rf-error.h"
#include "rf-mapping.h"
#include "rf-test-util.h"

/* Sensor lists of the kind the bundled templates have. */
static const char motor_profile[] =
  "{\"machine_id\": \"motor\", \"sensors\": ["
  "{\"name\": \"timestamp\", \"role\": \"timestamp\"},"
  "{\"name\": \"bearing_de_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"bearing_nde_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"winding_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"vibration_mm_s\", \"unit\": \"mm/s\"},"
  "{\"name\": \"current_A\", \"unit\": \"A\"},"
  "{\"name\": \"voltage_V\", \"unit\": \"V\"},"
  "{\"name\": \"speed_rpm\", \"unit\": \"rpm\"},"
  "{\"name\": \"power_kW\", \"unit\": \"kW\"},"
  "{\"name\": \"ambient_temp_C\", \"unit\": \"degC\", \"required\": false},"
  "{\"name\": \"rul_hours\", \"unit\": \"h\", \"role\": \"rul\"}]}";

static const char pump_profile[] =
  "{\"machine_id\": \"pump\", \"sensors\": ["
  "{\"name\": \"timestamp\", \"role\": \"timestamp\"},"
  "{\"name\": \"suction_pressure_bar\", \"unit\": \"bar\"},"
  "{\"name\": \"discharge_pressure_bar\", \"unit\": \"bar\"},"
  "{\"name\": \"flow_rate_m3_h\", \"unit\": \"m3/h\"},"
  "{\"name\": \"motor_current_A\", \"unit\": \"A\"},"
  "{\"name\": \"bearing_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"vibration_mm_s\", \"unit\": \"mm/s\"},"
  "{\"name\": \"speed_rpm\", \"unit\": \"rpm\"},"
  "{\"name\": \"seal_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"rul_days\", \"unit\": \"d\", \"role\": \"rul\"}]}";

static const char chiller_profile[] =
  "{\"machine_id\": \"chiller\", \"sensors\": ["
  "{\"name\": \"timestamp\", \"role\": \"timestamp\"},"
  "{\"name\": \"chw_supply_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"chw_return_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"cw_supply_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"cw_return_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"evaporator_pressure_bar\", \"unit\": \"bar\"},"
  "{\"name\": \"condenser_pressure_bar\", \"unit\": \"bar\"},"
  "{\"name\": \"compressor_current_A\", \"unit\": \"A\"},"
  "{\"name\": \"compressor_power_kW\", \"unit\": \"kW\"},"
  "{\"name\": \"oil_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"oil_pressure_bar\", \"unit\": \"bar\"}]}";

static const char cnc_profile[] =
  "{\"machine_id\": \"cnc\", \"sensors\": ["
  "{\"name\": \"timestamp\", \"role\": \"timestamp\"},"
  "{\"name\": \"spindle_speed_rpm\", \"unit\": \"rpm\"},"
  "{\"name\": \"spindle_load_pct\", \"unit\": \"%\"},"
  "{\"name\": \"spindle_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"feed_rate_mm_min\", \"unit\": \"mm/min\"},"
  "{\"name\": \"vibration_g\", \"unit\": \"g\"},"
  "{\"name\": \"coolant_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"coolant_flow_l_min\", \"unit\": \"l/min\"},"
  "{\"name\": \"tool_wear_um\", \"unit\": \"um\"},"
  "{\"name\": \"power_kW\", \"unit\": \"kW\"},"
  "{\"name\": \"rul_cycles\", \"unit\": \"cycles\", \"role\": \"rul\"}]}";

static const char compressor_profile[] =
  "{\"machine_id\": \"compressor\", \"sensors\": ["
  "{\"name\": \"timestamp\", \"role\": \"timestamp\"},"
  "{\"name\": \"discharge_pressure_bar\", \"unit\": \"bar\"},"
  "{\"name\": \"discharge_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"inlet_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"oil_temp_C\", \"unit\": \"degC\"},"
  "{\"name\": \"motor_current_A\", \"unit\": \"A\"},"
  "{\"name\": \"motor_power_kW\", \"unit\": \"kW\"},"
  "{\"name\": \"flow_m3_min\", \"unit\": \"m3/min\"},"
  "{\"name\": \"vibration_mm_s\", \"unit\": \"mm/s\"},"
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

typedef struct
{
  const char *column;
  const char *sensor;   /* NULL: maps to nothing */
} Expectation;

/* Maps columns (names only) onto profile; returns how many came out as
 * expected and prints the others. */
static guint
count_right (const char        *profile_json,
             const Expectation *cases,
             guint              n)
{
  g_autoptr(RfProfile) profile = load_profile (profile_json);
  g_autofree RfMappingInput *inputs = g_new0 (RfMappingInput, n);
  g_autoptr(RfMapping) mapping = NULL;
  guint right = 0;

  for (guint i = 0; i < n; i++)
    inputs[i].name = cases[i].column;
  mapping = rf_mapping_suggest_names (inputs, n, profile, -1);
  for (guint i = 0; i < n; i++)
    {
      const RfColumnMapping *m = rf_mapping_get_column (mapping, i);

      g_assert_cmpstr (m->column, ==, cases[i].column);
      if (g_strcmp0 (m->sensor, cases[i].sensor) == 0)
        right++;
      else
        g_test_message ("miss: “%s”: expected %s, suggested %s (score %d)", cases[i].column,
                        cases[i].sensor != NULL ? cases[i].sensor : "null",
                        m->sensor != NULL ? m->sensor : "null", m->score);
    }
  return right;
}

/* Names from other exports than the corpus's (ISA instrument tags, Ignition
 * tag paths, PLC-style abbreviations, German, units written every way),
 * kept out of the vocabulary's making: the rules must generalise. */
static void
test_held_out (void)
{
  static const Expectation motor[] = {
    { "M101.TT_BRG_DE.PV", "bearing_de_temp_C" },
    { "M101.TT_BRG_NDE.PV", "bearing_nde_temp_C" },
    { "Motor_Winding_Temp_U", "winding_temp_C" },
    { "Mot_Strom_L1", "current_A" },
    { "Vib_Velocity_RMS_mm/s", "vibration_mm_s" },
    { "Drehzahl [1/min]", "speed_rpm" },
    { "Outside Air Temp", "ambient_temp_C" },
    { "Supply Voltage (V)", "voltage_V" },
    { "Active Power [kW]", "power_kW" },
    { "RemainingUsefulLife_h", "rul_hours" },
    { "Zeitstempel", "timestamp" },
    { "Shift Supervisor", NULL },
  };
  static const Expectation pump[] = {
    { "Pump1/Suction Pressure", "suction_pressure_bar" },
    { "Pump1/Discharge Pressure", "discharge_pressure_bar" },
    { "Pump1/Flow", "flow_rate_m3_h" },
    { "Pump1/Motor Current", "motor_current_A" },
    { "Pump1/Bearing Temperature", "bearing_temp_C" },
    { "Pump1/Seal Chamber Temp", "seal_temp_C" },
    { "Pump1/Vibration", "vibration_mm_s" },
    { "Pump1/Speed", "speed_rpm" },
    { "Pump1/Days Until Failure", "rul_days" },
    { "Pump1/Motor kW", NULL },
    { "Pump1/Alarm State", NULL },
    { "Sample Time", "timestamp" },
  };
  static const Expectation pump_isa[] = {
    { "PIT-101 Suction", "suction_pressure_bar" },
    { "PIT-102 Discharge", "discharge_pressure_bar" },
    { "FIT-103", "flow_rate_m3_h" },
    { "TE-104 Pump Bearing", "bearing_temp_C" },
    { "VT-105 (ips)", "vibration_mm_s" },
    { "SEAL_TMP_DEGF", "seal_temp_C" },
    { "Batch ID", NULL },
  };
  static const Expectation chiller[] = {
    { "CH-1 CHWST", "chw_supply_temp_C" },
    { "CH-1 CHWRT", "chw_return_temp_C" },
    { "CH-1 CDWST", "cw_supply_temp_C" },
    { "CH-1 CDWRT", "cw_return_temp_C" },
    { "Evaporator Refrigerant Pressure (psig)", "evaporator_pressure_bar" },
    { "Condenser Refrigerant Pressure (psig)", "condenser_pressure_bar" },
    { "Compressor Motor Amps", "compressor_current_A" },
    { "Compressor Input kW", "compressor_power_kW" },
    { "Oil Sump Temperature", "oil_temp_C" },
    { "Oil Differential Pressure", "oil_pressure_bar" },
    { "Chiller Load %", NULL },
    { "Outdoor Air Temp", NULL },
  };
  static const Expectation cnc[] = {
    { "Spindle Speed Actual (rpm)", "spindle_speed_rpm" },
    { "Spindle Motor Load (%)", "spindle_load_pct" },
    { "Spindle Bearing Temp", "spindle_temp_C" },
    { "Path Feedrate (mm/min)", "feed_rate_mm_min" },
    { "Coolant Tank Temp", "coolant_temp_C" },
    { "Coolant Flow (L/min)", "coolant_flow_l_min" },
    { "Tool Wear (µm)", "tool_wear_um" },
    { "Vib RMS (g)", "vibration_g" },
    { "Cycles To Failure", "rul_cycles" },
    { "Machine Timestamp", "timestamp" },
    { "Spindle Power kW", "power_kW" },
    { "NC Program Name", NULL },
  };
  static const Expectation compressor[] = {
    { "Disch Press (psig)", "discharge_pressure_bar" },
    { "Discharge Air Temp °F", "discharge_temp_C" },
    { "Intake Air Temprature", "inlet_temp_C" },
    { "Oil Injection Temp", "oil_temp_C" },
    { "Motor Amps", "motor_current_A" },
    { "Input Power (kW)", "motor_power_kW" },
    { "FAD (m³/min)", "flow_m3_min" },
    { "Vibration (mm/s)", "vibration_mm_s" },
    { "Time to failure (h)", "rul_hours" },
    { "Date", "timestamp" },
  };
  guint right = 0, total = 0;

#define RUN(profile, cases) \
  G_STMT_START { right += count_right (profile, cases, G_N_ELEMENTS (cases)); total += G_N_ELEMENTS (cases); } G_STMT_END
  RUN (motor_profile, motor);
  RUN (pump_profile, pump);
  RUN (pump_profile, pump_isa);
  RUN (chiller_profile, chiller);
  RUN (cnc_profile, cnc);
  RUN (compressor_profile, compressor);
#undef RUN

  g_test_message ("held-out names: %u / %u right (%.1f %%)", right, total, 100.0 * right / total);
  g_assert_cmpuint (total, >=, 60);
  g_assert_cmpuint (right * 100, >=, total * 90);
}

/* The corpus's cases (../shared/corpus/mapping/cases.json): at least 95 %
 * of all columns, nulls included. bench-mapping prints the figure. */
static void
test_corpus (void)
{
  g_autofree char *path = rf_test_shared_path ("corpus/mapping/cases.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *profiles;
  JsonArray *cases;
  guint right = 0, total = 0;

  if (path == NULL)
    return;
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  profiles = json_object_get_object_member (root, "profiles");
  cases = json_object_get_array_member (root, "cases");
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonObject *columns = json_object_get_object_member (c, "columns");
      JsonNode *sensors = json_object_get_member (profiles, json_object_get_string_member (c, "profile"));
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *sensors_json = NULL;
      g_autofree char *profile_json = NULL;
      g_autoptr(GList) names = json_object_get_members (columns);
      g_autofree Expectation *expected = g_new0 (Expectation, g_list_length (names));
      guint n = 0;

      json_generator_set_root (generator, sensors);
      sensors_json = json_generator_to_data (generator, NULL);
      profile_json = g_strdup_printf ("{\"machine_id\": \"m\", \"sensors\": %s}", sensors_json);
      for (GList *l = names; l != NULL; l = l->next, n++)
        {
          JsonNode *want = json_object_get_member (columns, l->data);
          expected[n].column = l->data;
          expected[n].sensor = JSON_NODE_HOLDS_NULL (want) ? NULL : json_node_get_string (want);
        }
      right += count_right (profile_json, expected, n);
      total += n;
    }
  g_test_message ("corpus: %u / %u right", right, total);
  g_assert_cmpuint (total, ==, 66);
  g_assert_cmpuint (right * 100, >=, total * 95);
}

static void
test_scores (void)
{
  g_autoptr(RfProfile) profile = load_profile (motor_profile);
  const RfSensor *de = rf_profile_find_sensor (profile, "bearing_de_temp_C");
  const RfSensor *nde = rf_profile_find_sensor (profile, "bearing_nde_temp_C");
  const RfSensor *current = rf_profile_find_sensor (profile, "current_A");
  const RfSensor *time = rf_profile_find_sensor (profile, "timestamp");
  const RfSensor *rul = rf_profile_find_sensor (profile, "rul_hours");

  /* the same name: 100; names with the same concepts and a matching unit: 100 */
  g_assert_cmpint (rf_mapping_score_pair ("bearing_de_temp_C", NULL, profile, de), ==, 100);
  g_assert_cmpint (rf_mapping_score_pair ("Temp_Bearing_DE (°F)", NULL, profile, de), ==, 100);
  /* without a unit the unit's share is half: 85 + 7.5 */
  g_assert_cmpint (rf_mapping_score_pair ("Temp_Bearing_DE", NULL, profile, de), ==, 93);
  /* one concept of three differs: (2 + 2) / 6 of the names */
  g_assert_cmpint (rf_mapping_score_pair ("Temp_Bearing_DE", NULL, profile, nde), ==, 64);
  /* the more a name says the same, the higher */
  g_assert_cmpint (rf_mapping_score_pair ("Bearing", NULL, profile, de), <,
                   rf_mapping_score_pair ("Bearing Temp", NULL, profile, de));
  g_assert_cmpint (rf_mapping_score_pair ("Bearing Temp", NULL, profile, de), <,
                   rf_mapping_score_pair ("DE Bearing Temp", NULL, profile, de));
  /* a unit of another dimension rules the pair out, whatever the name */
  g_assert_cmpint (rf_mapping_score_pair ("Bearing DE Temp", "bar", profile, de), ==, 0);
  g_assert_cmpint (rf_mapping_score_pair ("current_A", "degC", profile, current), ==, 0);
  g_assert_cmpint (rf_mapping_score_pair ("Phase current", "mA", profile, current), ==, 89);
  /* the timestamp and RUL entries take only columns named or behaving so */
  g_assert_cmpint (rf_mapping_score_pair ("Motor current", NULL, profile, time), ==, 0);
  g_assert_cmpint (rf_mapping_score_pair ("Date/Time", NULL, profile, time), ==, 93);
  g_assert_cmpint (rf_mapping_score_pair ("hours", NULL, profile, rul), ==, 0);
  g_assert_cmpint (rf_mapping_score_pair ("Hours to failure", NULL, profile, rul), ==, 100);
  /* unrelated names */
  g_assert_cmpint (rf_mapping_score_pair ("Operator", NULL, profile, de), ==, 0);
}

static void
test_threshold_and_assignment (void)
{
  g_autoptr(RfProfile) profile = load_profile (motor_profile);
  static const RfMappingInput columns[] = {
    { "Bearing Temp", NULL }, { "DE Bearing Temp", NULL }, { "Temp", NULL }, { "Comment", NULL },
  };
  g_autoptr(RfMapping) strict = NULL;
  g_autoptr(RfMapping) loose = NULL;
  g_autoptr(RfMapping) none = NULL;

  /* one-to-one: "DE Bearing Temp" takes the DE sensor, "Bearing Temp" the
   * other bearing, though DE would be its best alone */
  loose = rf_mapping_suggest_names (columns, G_N_ELEMENTS (columns), profile, 30);
  g_assert_cmpstr (rf_mapping_get_column (loose, 1)->sensor, ==, "bearing_de_temp_C");
  g_assert_cmpstr (rf_mapping_get_column (loose, 0)->sensor, ==, "bearing_nde_temp_C");
  /* "Temp" fits the winding and the ambient temperature alike: a tie is a
   * guess, left to the user even when the threshold would allow it */
  g_assert_null (rf_mapping_get_column (loose, 2)->sensor);
  g_assert_cmpint (rf_mapping_get_column (loose, 2)->score, ==, 64);
  g_assert_null (rf_mapping_get_column (loose, 3)->sensor);
  g_assert_cmpint (rf_mapping_get_threshold (loose), ==, 30);

  /* at the default threshold "Bearing Temp" (76 against the other bearing)
   * maps; at 80 it stays unmapped, its score its best candidate's */
  strict = rf_mapping_suggest_names (columns, G_N_ELEMENTS (columns), profile, -1);
  g_assert_cmpint (rf_mapping_get_threshold (strict), ==, 60);
  g_assert_cmpstr (rf_mapping_get_column (strict, 0)->sensor, ==, "bearing_nde_temp_C");
  g_assert_cmpstr (rf_mapping_get_column (strict, 1)->sensor, ==, "bearing_de_temp_C");
  g_clear_pointer (&strict, rf_mapping_unref);
  strict = rf_mapping_suggest_names (columns, G_N_ELEMENTS (columns), profile, 80);
  g_assert_null (rf_mapping_get_column (strict, 0)->sensor);
  g_assert_cmpint (rf_mapping_get_column (strict, 0)->score, ==, 76);
  g_assert_cmpstr (rf_mapping_get_column (strict, 1)->sensor, ==, "bearing_de_temp_C");

  /* 100: only perfect pairs */
  none = rf_mapping_suggest_names (columns, G_N_ELEMENTS (columns), profile, 100);
  for (guint i = 0; i < rf_mapping_get_n_columns (none); i++)
    g_assert_null (rf_mapping_get_column (none, i)->sensor);

  /* no columns at all */
  g_clear_pointer (&none, rf_mapping_unref);
  none = rf_mapping_suggest_names (NULL, 0, profile, -1);
  g_assert_cmpuint (rf_mapping_get_n_columns (none), ==, 0);
}

static void
test_units_from_and_to (void)
{
  g_autoptr(RfProfile) profile = load_profile (pump_profile);
  static const RfMappingInput columns[] = {
    { "P_SUCTION_PSI", NULL }, { "FLOW", "gpm" }, { "BRG_TEMP_F", NULL }, { "VIB", NULL },
  };
  g_autoptr(RfMapping) mapping = rf_mapping_suggest_names (columns, G_N_ELEMENTS (columns), profile, -1);
  const RfColumnMapping *m;

  m = rf_mapping_find_column (mapping, "P_SUCTION_PSI");
  g_assert_cmpstr (m->sensor, ==, "suction_pressure_bar");
  g_assert_cmpstr (m->unit_from, ==, "psi");
  g_assert_cmpstr (m->unit_to, ==, "bar");
  m = rf_mapping_find_column (mapping, "FLOW");
  g_assert_cmpstr (m->unit_from, ==, "gpm");
  g_assert_cmpstr (m->unit_to, ==, "m3/h");
  m = rf_mapping_find_column (mapping, "BRG_TEMP_F");
  g_assert_cmpstr (m->unit_from, ==, "degF");
  g_assert_cmpstr (m->unit_to, ==, "degC");
  m = rf_mapping_find_column (mapping, "VIB");
  g_assert_cmpstr (m->sensor, ==, "vibration_mm_s");
  g_assert_null (m->unit_from);
  g_assert_cmpstr (m->unit_to, ==, "mm/s");
  g_assert_true (rf_mapping_find_sensor (mapping, "vibration_mm_s") == m);
  g_assert_null (rf_mapping_find_sensor (mapping, "seal_temp_C"));
}

static RfTable *
behaviour_table (void)
{
  RfTable *table = rf_table_new ();
  RfColumn *unit = rf_column_new ("engine_no", RF_COLUMN_INT64);
  RfColumn *left = rf_column_new ("target", RF_COLUMN_INT64);
  RfColumn *when = rf_column_new ("logged", RF_COLUMN_TIMESTAMP);
  RfColumn *temp = rf_column_new ("x1", RF_COLUMN_DOUBLE);

  /* three engines of 10, 12 and 8 cycles, each counting down to 0 */
  static const int lives[] = { 10, 12, 8 };
  gint64 t = 1700000000000000;
  for (int e = 0; e < 3; e++)
    for (int c = lives[e] - 1; c >= 0; c--)
      {
        rf_column_append_int64 (unit, e + 1);
        rf_column_append_int64 (left, c);
        rf_column_append_timestamp (when, t);
        rf_column_append_double (temp, 20 + c);
        t += 60000000;
      }
  rf_table_add_column (table, unit);
  rf_table_add_column (table, left);
  rf_table_add_column (table, when);
  rf_table_add_column (table, temp);
  rf_column_unref (unit);
  rf_column_unref (left);
  rf_column_unref (when);
  rf_column_unref (temp);
  return table;
}

static void
test_behaviour (void)
{
  static const char profile_json[] =
    "{\"machine_id\": \"fleet\", \"sensors\": ["
    "{\"name\": \"unit\", \"role\": \"unit_id\"},"
    "{\"name\": \"time\", \"role\": \"timestamp\"},"
    "{\"name\": \"egt\", \"unit\": \"degC\"},"
    "{\"name\": \"RUL\", \"unit\": \"cycles\", \"role\": \"rul\"}]}";
  g_autoptr(RfProfile) profile = load_profile (profile_json);
  g_autoptr(RfTable) table = behaviour_table ();
  g_autoptr(RfMapping) mapping = rf_mapping_suggest (table, profile, -1);
  g_autoptr(RfMapping) names_only = NULL;
  static const RfMappingInput names[] = {
    { "engine_no", NULL }, { "target", NULL }, { "logged", NULL }, { "x1", NULL },
  };

  /* names that say nothing: the data says which is which */
  g_assert_cmpstr (rf_mapping_find_column (mapping, "engine_no")->sensor, ==, "unit");
  g_assert_cmpstr (rf_mapping_find_column (mapping, "target")->sensor, ==, "RUL");
  g_assert_cmpint (rf_mapping_find_column (mapping, "target")->score, ==, 75);
  g_assert_cmpstr (rf_mapping_find_column (mapping, "logged")->sensor, ==, "time");
  g_assert_cmpint (rf_mapping_find_column (mapping, "logged")->score, >=, 90);
  g_assert_null (rf_mapping_find_column (mapping, "x1")->sensor);

  /* the same names without the data */
  names_only = rf_mapping_suggest_names (names, G_N_ELEMENTS (names), profile, -1);
  g_assert_null (rf_mapping_find_column (names_only, "target")->sensor);
  g_assert_null (rf_mapping_find_column (names_only, "logged")->sensor);
}

static void
test_overrides (void)
{
  g_autoptr(RfProfile) profile = load_profile (motor_profile);
  static const RfMappingInput columns[] = {
    { "Temp_Bearing_DE", NULL }, { "Temp_Winding", NULL }, { "Aux 7", NULL },
  };
  static const RfMappingInput later[] = {
    { "Temp_Winding", NULL }, { "Temp_Bearing_DE", NULL }, { "Aux 7", NULL }, { "Current", NULL },
  };
  g_autoptr(RfMapping) mapping = rf_mapping_suggest_names (columns, G_N_ELEMENTS (columns), profile, -1);
  g_autoptr(RfMapping) again = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) unmapped = NULL;
  g_autofree char *joined = NULL;
  const RfColumnMapping *m;

  /* the user's choice takes the sensor from the column that had it */
  g_assert_true (rf_mapping_set_column (mapping, profile, "Aux 7", "winding_temp_C", &error));
  g_assert_no_error (error);
  m = rf_mapping_find_column (mapping, "Aux 7");
  g_assert_cmpstr (m->sensor, ==, "winding_temp_C");
  g_assert_cmpint (m->score, ==, 100);
  g_assert_true (m->user_set);
  g_assert_cmpstr (m->unit_to, ==, "degC");
  g_assert_null (rf_mapping_find_column (mapping, "Temp_Winding")->sensor);
  /* "unmapped" is a choice too */
  g_assert_true (rf_mapping_set_column (mapping, profile, "Temp_Bearing_DE", NULL, &error));
  g_assert_null (rf_mapping_find_column (mapping, "Temp_Bearing_DE")->sensor);
  g_assert_true (rf_mapping_find_column (mapping, "Temp_Bearing_DE")->user_set);

  unmapped = rf_mapping_get_unmapped_required (mapping, profile);
  joined = g_strjoinv (",", unmapped);
  /* ambient_temp_C is not required; timestamp and RUL entries are optional */
  g_assert_cmpstr (joined, ==,
                   "bearing_de_temp_C,bearing_nde_temp_C,vibration_mm_s,current_A,voltage_V,"
                   "speed_rpm,power_kW");

  /* unknown names: errors that list what there is */
  g_assert_false (rf_mapping_set_column (mapping, profile, "Nope", "current_A", &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "The data has no column “Nope”. Its columns are: “Temp_Bearing_DE”, “Temp_Winding”, "
                   "“Aux 7”.");
  g_clear_error (&error);
  g_assert_false (rf_mapping_set_column (mapping, profile, "Aux 7", "torque", &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "The profile “motor” has no sensor “torque”. Its sensors are: "
                                            "timestamp, bearing_de_temp_C,"));
  g_clear_error (&error);

  /* a new suggestion for new data keeps the choices for columns still there */
  again = rf_mapping_suggest_names (later, G_N_ELEMENTS (later), profile, -1);
  rf_mapping_keep_user_choices (again, profile, mapping);
  g_assert_cmpstr (rf_mapping_find_column (again, "Aux 7")->sensor, ==, "winding_temp_C");
  g_assert_null (rf_mapping_find_column (again, "Temp_Winding")->sensor);
  g_assert_null (rf_mapping_find_column (again, "Temp_Bearing_DE")->sensor);
  g_assert_true (rf_mapping_find_column (again, "Temp_Bearing_DE")->user_set);
  g_assert_cmpstr (rf_mapping_find_column (again, "Current")->sensor, ==, "current_A");
}

static void
test_json_round_trip (void)
{
  g_autoptr(RfProfile) profile = load_profile (pump_profile);
  static const RfMappingInput columns[] = {
    { "TIME_STAMP", NULL }, { "P_SUCTION_PSI", NULL }, { "Operator", NULL }, { "VIB_IPS", NULL },
  };
  g_autoptr(RfMapping) mapping = rf_mapping_suggest_names (columns, G_N_ELEMENTS (columns), profile, -1);
  g_autoptr(RfMapping) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "mapping.json", NULL);
  g_autofree char *path2 = g_build_filename (dir, "mapping2.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;

  rf_mapping_set_source (mapping, "export.csv");
  g_assert_true (rf_mapping_set_column (mapping, profile, "Operator", NULL, &error));
  g_assert_true (rf_mapping_save_file (mapping, profile, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==,
                   "{\n"
                   "  \"format\" : \"refinery-mapping\",\n"
                   "  \"format_version\" : 1,\n"
                   "  \"machine_id\" : \"pump\",\n"
                   "  \"source\" : \"export.csv\",\n"
                   "  \"threshold\" : 60,\n"
                   "  \"mappings\" : {\n"
                   "    \"TIME_STAMP\" : {\n"
                   "      \"sensor\" : \"timestamp\",\n"
                   "      \"score\" : 93,\n"
                   "      \"user_set\" : false,\n"
                   "      \"unit_from\" : null,\n"
                   "      \"unit_to\" : null\n"
                   "    },\n"
                   "    \"P_SUCTION_PSI\" : {\n"
                   "      \"sensor\" : \"suction_pressure_bar\",\n"
                   "      \"score\" : 100,\n"
                   "      \"user_set\" : false,\n"
                   "      \"unit_from\" : \"psi\",\n"
                   "      \"unit_to\" : \"bar\"\n"
                   "    },\n"
                   "    \"Operator\" : {\n"
                   "      \"sensor\" : null,\n"
                   "      \"score\" : 100,\n"
                   "      \"user_set\" : true,\n"
                   "      \"unit_from\" : null,\n"
                   "      \"unit_to\" : null\n"
                   "    },\n"
                   "    \"VIB_IPS\" : {\n"
                   "      \"sensor\" : \"vibration_mm_s\",\n"
                   "      \"score\" : 100,\n"
                   "      \"user_set\" : false,\n"
                   "      \"unit_from\" : \"in/s\",\n"
                   "      \"unit_to\" : \"mm/s\"\n"
                   "    }\n"
                   "  },\n"
                   "  \"unmapped_required\" : [\n"
                   "    \"discharge_pressure_bar\",\n"
                   "    \"flow_rate_m3_h\",\n"
                   "    \"motor_current_A\",\n"
                   "    \"bearing_temp_C\",\n"
                   "    \"speed_rpm\",\n"
                   "    \"seal_temp_C\"\n"
                   "  ]\n"
                   "}\n");

  loaded = rf_mapping_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rf_mapping_get_source (loaded), ==, "export.csv");
  g_assert_cmpstr (rf_mapping_get_machine_id (loaded), ==, "pump");
  g_assert_true (rf_mapping_check_profile (loaded, profile, &error));
  g_assert_true (rf_mapping_save_file (loaded, profile, path2, &error));
  g_assert_true (g_file_get_contents (path2, &text2, NULL, NULL));
  g_assert_cmpstr (text2, ==, text);
}

static void
test_damaged_files (void)
{
  static const struct { const char *json; int code; const char *message; } cases[] = {
    { "", RF_ERROR_INVALID, "m.json: not a JSON object. Make the mapping again (refinery-cli map … --suggest)." },
    { "{\"format\": ", RF_ERROR_PARSE, NULL },
    { "[1,2]", RF_ERROR_INVALID, "m.json: not a JSON object. Make the mapping again (refinery-cli map … --suggest)." },
    { "{\"format\": \"x\"}", RF_ERROR_INVALID, "m.json: “format” is not “refinery-mapping”: not a column mapping. "
      "Make the mapping again (refinery-cli map … --suggest)." },
    { "{\"format\": \"refinery-mapping\", \"format_version\": 9, \"mappings\": {}}", RF_ERROR_FORMAT,
      "m.json: format version 9 is newer than this Refinery reads (1). Update Refinery, or make the mapping again." },
    { "{\"format\": \"refinery-mapping\", \"format_version\": 1}", RF_ERROR_INVALID,
      "m.json: “mappings” must be an object. Make the mapping again (refinery-cli map … --suggest)." },
    { "{\"format\": \"refinery-mapping\", \"format_version\": 1, \"mappings\": {\"a\": {\"score\": 101}}}",
      RF_ERROR_INVALID, NULL },
    { "{\"format\": \"refinery-mapping\", \"format_version\": 1, \"mappings\": {\"a\": 3}}",
      RF_ERROR_INVALID, NULL },
    { "{\"format\": \"refinery-mapping\", \"format_version\": 1, \"mappings\": "
      "{\"a\": {\"sensor\": \"s\"}, \"b\": {\"sensor\": \"s\"}}}", RF_ERROR_INVALID,
      "m.json: the columns “a” and “b” are both mapped to “s”. Make the mapping again (refinery-cli map … --suggest)." },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].json, strlen (cases[i].json));
      g_autoptr(GError) error = NULL;
      g_autoptr(RfMapping) mapping = rf_mapping_load_bytes (bytes, "m.json", &error);

      g_assert_null (mapping);
      g_assert_error (error, RF_ERROR, cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_check_table_and_profile (void)
{
  g_autoptr(RfProfile) profile = load_profile (motor_profile);
  g_autoptr(RfProfile) other = load_profile (pump_profile);
  g_autoptr(RfTable) table = behaviour_table ();
  g_autoptr(RfMapping) mapping = rf_mapping_suggest (table, profile, -1);
  static const RfMappingInput columns[] = { { "engine_no", NULL }, { "Current", NULL } };
  g_autoptr(RfMapping) wrong = rf_mapping_suggest_names (columns, 2, profile, -1);
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_mapping_check_table (mapping, table, &error));
  g_assert_no_error (error);
  rf_mapping_set_source (wrong, "old.csv");
  g_assert_false (rf_mapping_check_table (wrong, table, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "The column mapping (made for “old.csv”) does not fit the data: the data has no column "
                   "“Current”; the mapping does not know the column “target”, “logged”, “x1”. Map the "
                   "columns again (refinery-cli map … --suggest).");
  g_clear_error (&error);

  g_assert_false (rf_mapping_check_profile (wrong, other, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "The column mapping maps “Current” to “current_A”, which the profile “pump” does not "
                   "have. Map the column again.");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/mapping/held-out", test_held_out);
  g_test_add_func ("/rf/mapping/corpus", test_corpus);
  g_test_add_func ("/rf/mapping/scores", test_scores);
  g_test_add_func ("/rf/mapping/threshold-and-assignment", test_threshold_and_assignment);
  g_test_add_func ("/rf/mapping/units-from-and-to", test_units_from_and_to);
  g_test_add_func ("/rf/mapping/behaviour", test_behaviour);
  g_test_add_func ("/rf/mapping/overrides", test_overrides);
  g_test_add_func ("/rf/mapping/json-round-trip", test_json_round_trip);
  g_test_add_func ("/rf/mapping/damaged-files", test_damaged_files);
  g_test_add_func ("/rf/mapping/check-table-and-profile", test_check_table_and_profile);
  return g_test_run ();
}

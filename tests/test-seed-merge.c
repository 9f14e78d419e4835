#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-error.h"
#include "rf-merge.h"
#include "rf-seed.h"
#include "rf-test-util.h"

static RfProfile *
load_profile (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  RfProfile *profile = rf_profile_load_bytes (bytes, "test.json", &error);

  g_assert_no_error (error);
  return profile;
}

static const char pump_json[] =
  "{\"machine_id\": \"pump\", \"sampling_interval_s\": 600, \"seed\": {\"units\": 3, \"load_variation\": 0.5},"
  " \"sensors\": ["
  "{\"name\": \"unit\", \"role\": \"unit_id\"},"
  "{\"name\": \"timestamp\", \"role\": \"timestamp\"},"
  "{\"name\": \"temp\", \"unit\": \"degC\", \"min\": 0, \"max\": 200,"
  " \"physics\": {\"nominal\": 50, \"noise\": 0.5, \"degradation\": 30, \"load_sensitivity\": 10}},"
  "{\"name\": \"flow\", \"unit\": \"m3/h\", \"min\": 0, \"max\": 100,"
  " \"physics\": {\"nominal\": 80, \"noise\": 0.5, \"degradation\": -20, \"degradation_shape\": \"linear\","
  "  \"load_sensitivity\": 15}},"
  "{\"name\": \"flat\", \"physics\": {\"nominal\": 7, \"noise\": 0}},"
  "{\"name\": \"rul_h\", \"unit\": \"h\", \"role\": \"rul\"}]}";

static void
test_profile_physics (void)
{
  g_autoptr(RfProfile) profile = load_profile (pump_json);
  g_autoptr(RfProfile) small = load_profile ("{\"machine_id\": \"m1\", \"sensors\": [{\"name\": \"x\", "
                                             "\"unit\": \"degC\", \"role\": \"sensor\"}, {\"name\": \"y\", "
                                             "\"min\": 10, \"max\": 60}, {\"name\": \"z\", \"max\": 200}]}");
  const RfSensor *s;
  static const struct { const char *json; const char *message; } bad[] = {
    { "{\"machine_id\": \"m\", \"sensors\": [{\"name\": \"x\", \"physics\": 3}]}",
      "sensors[0].physics: must be an object" },
    { "{\"machine_id\": \"m\", \"sensors\": [{\"name\": \"x\", \"physics\": {\"noise\": -1}}]}",
      "sensors[0].physics.noise: must be 0 or more" },
    { "{\"machine_id\": \"m\", \"sensors\": [{\"name\": \"x\", \"physics\": {\"degradation_shape\": \"cubic\"}}]}",
      "sensors[0].physics.degradation_shape: “cubic” is not a shape; use linear or exponential" },
    { "{\"machine_id\": \"m\", \"seed\": {\"units\": 0}, \"sensors\": [{\"name\": \"x\"}]}",
      "seed.units: must be a whole number from 1 to 10000" },
    { "{\"machine_id\": \"m\", \"seed\": {\"load_variation\": 2}, \"sensors\": [{\"name\": \"x\"}]}",
      "seed.load_variation: must be from 0 to 1" },
  };

  s = rf_profile_find_sensor (profile, "flow");
  g_assert_true (s->has_physics);
  g_assert_cmpfloat (s->physics.nominal, ==, 80);
  g_assert_cmpfloat (s->physics.degradation, ==, -20);
  g_assert_false (s->physics.exponential);
  g_assert_cmpfloat (s->physics.load_sensitivity, ==, 15);
  g_assert_cmpuint (rf_profile_get_seed_units (profile), ==, 3);
  g_assert_cmpfloat (rf_profile_get_load_variation (profile), ==, 0.5);

  /* the smallest profile: everything defaulted */
  g_assert_cmpuint (rf_profile_get_seed_units (small), ==, 4);
  g_assert_cmpfloat (rf_profile_get_load_variation (small), ==, 0.3);
  s = rf_profile_find_sensor (small, "x");
  g_assert_false (s->has_physics);
  g_assert_cmpfloat (s->physics.nominal, ==, 0);
  g_assert_cmpfloat (s->physics.noise, ==, 0.01);
  g_assert_cmpfloat (s->physics.degradation, ==, 0);
  g_assert_true (s->physics.exponential);
  /* from the range: its middle, 2 % of its width */
  s = rf_profile_find_sensor (small, "y");
  g_assert_cmpfloat (s->physics.nominal, ==, 35);
  g_assert_cmpfloat (s->physics.noise, ==, 1);
  /* only a maximum: nominal there, 1 % noise */
  s = rf_profile_find_sensor (small, "z");
  g_assert_cmpfloat (s->physics.nominal, ==, 200);
  g_assert_cmpfloat (s->physics.noise, ==, 2);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (bad[i].json, strlen (bad[i].json));
      g_autoptr(GError) error = NULL;
      g_autoptr(RfProfile) p = rf_profile_load_bytes (bytes, "p.json", &error);

      g_assert_null (p);
      g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i].message));
    }
}

static void
test_templates (void)
{
  static const char * const names[] = {
    "induction_motor", "cnc_spindle", "chiller", "centrifugal_pump", "air_compressor", "turbofan",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *relative = g_strdup_printf ("data/profiles/%s.json", names[i]);
      g_autofree char *path = rf_test_source_path (relative);
      g_autoptr(GError) error = NULL;
      g_autoptr(RfProfile) profile = rf_profile_load_file (path, &error);
      g_autoptr(RfTable) seed = NULL;
      guint with_physics = 0;

      g_test_message ("%s", names[i]);
      g_assert_no_error (error);
      g_assert_nonnull (rf_profile_get_name (profile));
      g_assert_nonnull (rf_profile_find_role (profile, RF_ROLE_RUL));
      for (guint s = 0; s < rf_profile_get_n_sensors (profile); s++)
        with_physics += rf_profile_get_sensor (profile, s)->has_physics;
      g_assert_cmpuint (with_physics, >=, 8);
      /* seed data of every template stays in its ranges */
      seed = rf_seed_generate (profile, 2000, 1);
      for (guint s = 0; s < rf_profile_get_n_sensors (profile); s++)
        {
          const RfSensor *sensor = rf_profile_get_sensor (profile, s);
          const RfColumn *column = rf_table_find_column (seed, sensor->name);
          double min, max, mean;

          g_assert_nonnull (column);
          if (sensor->role != RF_ROLE_SENSOR || !rf_column_numeric_summary (column, &min, &max, &mean))
            continue;
          if (!isnan (sensor->min))
            g_assert_cmpfloat (min, >=, sensor->min);
          if (!isnan (sensor->max))
            g_assert_cmpfloat (max, <=, sensor->max);
        }
    }
  /* the motor and pump templates use the names the mapping corpus expects */
  {
    g_autofree char *path = rf_test_source_path ("data/profiles/centrifugal_pump.json");
    g_autoptr(RfProfile) pump = rf_profile_load_file (path, NULL);
    g_assert_nonnull (rf_profile_find_sensor (pump, "suction_pressure_bar"));
    g_assert_nonnull (rf_profile_find_sensor (pump, "rul_days"));
  }
}

static double
mean_of (const RfColumn *column,
         gsize           from,
         gsize           to)
{
  double sum = 0;

  for (gsize r = from; r < to; r++)
    sum += rf_column_get_double (column, r);
  return sum / (double) (to - from);
}

static void
test_seed (void)
{
  g_autoptr(RfProfile) profile = load_profile (pump_json);
  g_autoptr(RfTable) table = rf_seed_generate (profile, 3001, 9);
  g_autoptr(RfTable) again = rf_seed_generate (profile, 3001, 9);
  g_autoptr(RfTable) other = rf_seed_generate (profile, 3001, 10);
  RfColumn *unit = rf_table_find_column (table, "unit");
  RfColumn *time = rf_table_find_column (table, "timestamp");
  RfColumn *temp = rf_table_find_column (table, "temp");
  RfColumn *flow = rf_table_find_column (table, "flow");
  RfColumn *rul = rf_table_find_column (table, "rul_h");
  double cov = 0, vt = 0, vf = 0, mt, mf;

  /* structure: profile order, types, units, roles */
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 3001);
  g_assert_cmpuint (rf_table_get_n_columns (table), ==, 6);
  g_assert_cmpint (unit->type, ==, RF_COLUMN_INT64);
  g_assert_cmpint (unit->role, ==, RF_ROLE_UNIT_ID);
  g_assert_cmpint (time->type, ==, RF_COLUMN_TIMESTAMP);
  g_assert_cmpstr (temp->unit, ==, "degC");
  g_assert_cmpint (rul->role, ==, RF_ROLE_RUL);

  /* three units of 1001, 1000 and 1000 rows; time steps of 10 minutes;
   * RUL in hours reaching 0 at each unit's end */
  g_assert_cmpint (rf_column_get_int64 (unit, 0), ==, 1);
  g_assert_cmpint (rf_column_get_int64 (unit, 1000), ==, 1);
  g_assert_cmpint (rf_column_get_int64 (unit, 1001), ==, 2);
  g_assert_cmpint (rf_column_get_int64 (unit, 3000), ==, 3);
  g_assert_cmpint (rf_column_get_int64 (time, 0), ==, G_GINT64_CONSTANT (1704067200000000));
  g_assert_cmpint (rf_column_get_int64 (time, 1) - rf_column_get_int64 (time, 0), ==, 600000000);
  g_assert_cmpint (rf_column_get_int64 (time, 1001), ==, G_GINT64_CONSTANT (1704067200000000));
  g_assert_cmpfloat (rf_column_get_double (rul, 0), ==, 1000 * 600.0 / 3600);
  g_assert_cmpfloat (rf_column_get_double (rul, 1000), ==, 0);
  g_assert_cmpfloat (rf_column_get_double (rul, 3000), ==, 0);

  /* wear: temperature rises 30 °C by the end (exponentially: most of it
   * late), flow falls 20 m³/h (linearly); the load moves both around */
  g_assert_cmpfloat (mean_of (temp, 900, 1001) - mean_of (temp, 0, 200), >, 15);
  g_assert_cmpfloat (mean_of (temp, 400, 500) - mean_of (temp, 0, 200), <, 8);
  g_assert_cmpfloat (mean_of (flow, 0, 200) - mean_of (flow, 900, 1001), >, 10);
  /* a sensor without noise or drift is its nominal value */
  g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (table, "flat"), 1234), ==, 7);

  /* the load couples temp and flow (both sensitive, same sign): positive
   * correlation of the detrended healthy first half of unit 1 */
  mt = mean_of (temp, 0, 300);
  mf = mean_of (flow, 0, 300);
  for (gsize r = 0; r < 300; r++)
    {
      double a = rf_column_get_double (temp, r) - mt, b = rf_column_get_double (flow, r) - mf;
      cov += a * b;
      vt += a * a;
      vf += b * b;
    }
  g_assert_cmpfloat (cov / sqrt (vt * vf), >, 0.5);

  /* the same seed: the same table; another: another */
  for (gsize r = 0; r < 3001; r++)
    g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (again, "temp"), r), ==,
                       rf_column_get_double (temp, r));
  g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (other, "temp"), 5), !=,
                     rf_column_get_double (temp, 5));

  /* one row */
  {
    g_autoptr(RfTable) one = rf_seed_generate (profile, 1, 9);
    g_assert_cmpuint (rf_table_get_n_rows (one), ==, 1);
    g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (one, "rul_h"), 0), ==, 0);
  }
}

/* A table with columns a (int) and rul (double): rows (a, rul). */
static RfTable *
small_table (const gint64 *a,
             const double *rul,
             gsize         n)
{
  RfTable *table = rf_table_new ();
  g_autoptr(RfColumn) ca = rf_column_new ("a", RF_COLUMN_INT64);
  g_autoptr(RfColumn) cr = rf_column_new ("rul", RF_COLUMN_DOUBLE);

  for (gsize i = 0; i < n; i++)
    {
      rf_column_append_int64 (ca, a[i]);
      if (isnan (rul[i]))
        rf_column_append_null (cr);
      else
        rf_column_append_double (cr, rul[i]);
    }
  rf_table_add_column (table, ca);
  rf_table_add_column (table, cr);
  return table;
}

static void
test_merge (void)
{
  static const gint64 ra[] = { 1, 2, 3, 3 };
  static const double rr[] = { 10, 20, 30, 30 };
  static const gint64 sa[] = { 3, 4 };
  static const double sr[] = { 30, 40.5 };
  g_autoptr(RfTable) real = small_table (ra, rr, 4);
  g_autoptr(RfTable) seed = small_table (sa, sr, 2);
  g_autoptr(RfTable) out = NULL;
  g_autoptr(RfMergeReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfColumn) extra = rf_column_new ("x", RF_COLUMN_STRING);
  RfMergeOptions options;
  RfColumn *source, *a;
  gsize seeds = 0;
  double sum = 0;

  rf_merge_options_init (&options);
  g_assert_cmpint (options.strategy, ==, RF_MERGE_MERGE);
  /* the seed's "a" is a double: numbers of two types become doubles */
  {
    g_autoptr(RfTable) seed_doubles = rf_table_new ();
    g_autoptr(RfColumn) d = rf_column_new ("a", RF_COLUMN_DOUBLE);
    rf_column_append_double (d, 3);
    rf_column_append_double (d, 4);
    rf_table_add_column (seed_doubles, d);
    rf_table_add_column (seed_doubles, rf_table_find_column (seed, "rul"));
    out = rf_merge_tables (real, seed_doubles, NULL, &options, &report, &error);
  }
  g_assert_no_error (error);
  /* 2 seed + 4 real rows; the real (3, 30) twice and the seed (3, 30): two
   * duplicates; a "source" column */
  g_assert_cmpuint (report->seed_rows, ==, 2);
  g_assert_cmpuint (report->real_rows, ==, 4);
  g_assert_cmpuint (report->duplicates_dropped, ==, 2);
  g_assert_cmpuint (report->rows_out, ==, 4);
  a = rf_table_find_column (out, "a");
  g_assert_cmpint (a->type, ==, RF_COLUMN_DOUBLE);
  source = rf_table_find_column (out, "source");
  g_assert_nonnull (source);
  for (gsize r = 0; r < 4; r++)
    {
      gsize len;
      const char *text = rf_column_get_string (source, r, &len);
      seeds += len == 4 && memcmp (text, "seed", 4) == 0;
      sum += rf_column_get_double (a, r);
    }
  /* the seed's (3, 30) came first and stays; so does (4, 40.5) */
  g_assert_cmpuint (seeds, ==, 2);
  g_assert_cmpfloat (sum, ==, 1 + 2 + 3 + 4);
  g_clear_pointer (&out, rf_table_unref);
  g_clear_pointer (&report, rf_merge_report_free);

  /* replace: refused under 5,000 rows unless forced */
  options.strategy = RF_MERGE_REPLACE;
  g_assert_null (rf_merge_tables (real, seed, NULL, &options, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Only 4 real rows: replacing the seed data needs at least 5000. Merge them with seed data "
                   "instead (--strategy merge), or force it (--force).");
  g_clear_error (&error);
  options.force = TRUE;
  out = rf_merge_tables (real, seed, NULL, &options, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (out), ==, 4);
  g_assert_cmpuint (report->warnings->len, ==, 1);
  g_clear_pointer (&out, rf_table_unref);
  g_clear_pointer (&report, rf_merge_report_free);

  /* real-only: as it is; merge without seed data: refused */
  options.strategy = RF_MERGE_REAL_ONLY;
  out = rf_merge_tables (real, NULL, NULL, &options, NULL, &error);
  g_assert_true (out == real);
  g_clear_pointer (&out, rf_table_unref);
  options.strategy = RF_MERGE_MERGE;
  g_assert_null (rf_merge_tables (real, NULL, NULL, &options, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_clear_error (&error);

  /* columns that cannot merge */
  rf_column_append_string (extra, "p", -1);
  rf_column_append_string (extra, "q", -1);
  {
    g_autoptr(RfTable) bad = rf_table_new ();
    g_autoptr(RfColumn) text_a = rf_column_new ("a", RF_COLUMN_STRING);
    rf_column_append_string (text_a, "3", -1);
    rf_column_append_string (text_a, "4", -1);
    rf_table_add_column (bad, text_a);
    g_assert_null (rf_merge_tables (real, bad, NULL, &options, NULL, &error));
    g_assert_cmpstr (error->message, ==, "The column “a” holds string values in the seed data and int64 values "
                     "in the real data: they cannot be merged. Check the mapping and the column's type.");
  }
}

static void
test_balance (void)
{
  static const char profile_json[] =
    "{\"machine_id\": \"m\", \"sensors\": [{\"name\": \"a\"}, {\"name\": \"rul\", \"role\": \"rul\"}]}";
  g_autoptr(RfProfile) profile = load_profile (profile_json);
  /* max RUL 100: bins [0,25) 5 rows, [25,50) 2, [50,75) 0, [75,100] 3, one missing */
  static const gint64 a[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
  static const double rul[] = { 0, 5, 10, 15, 24.9, 25, 49, 75, 99, 100, NAN };
  g_autoptr(RfTable) table = small_table (a, rul, 11);
  g_autoptr(RfTable) out = NULL;
  g_autoptr(RfTable) again = NULL;
  g_autoptr(RfMergeReport) report = NULL;
  g_autoptr(GError) error = NULL;
  RfMergeOptions options;
  gint64 previous = 0;

  rf_merge_options_init (&options);
  options.strategy = RF_MERGE_REAL_ONLY;
  options.balance_rul = TRUE;
  options.seed = 5;
  out = rf_merge_tables (table, NULL, profile, &options, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->bins_before[0], ==, 5);
  g_assert_cmpuint (report->bins_before[1], ==, 2);
  g_assert_cmpuint (report->bins_before[2], ==, 0);
  g_assert_cmpuint (report->bins_before[3], ==, 3);
  g_assert_cmpuint (report->rul_missing_dropped, ==, 1);
  for (int b = 0; b < 4; b++)
    g_assert_cmpuint (report->bins_after[b], ==, b == 2 ? 0 : 2);
  g_assert_cmpuint (rf_table_get_n_rows (out), ==, 6);
  /* rows keep their order */
  for (gsize r = 0; r < 6; r++)
    {
      gint64 v = rf_column_get_int64 (rf_table_find_column (out, "a"), r);
      g_assert_cmpint (v, >, previous);
      previous = v;
    }
  /* seeded */
  again = rf_merge_tables (table, NULL, profile, &options, NULL, &error);
  for (gsize r = 0; r < 6; r++)
    g_assert_cmpint (rf_column_get_int64 (rf_table_find_column (again, "a"), r), ==,
                     rf_column_get_int64 (rf_table_find_column (out, "a"), r));

  /* JSON */
  {
    g_autoptr(JsonNode) json = rf_merge_report_to_json (report);
    JsonObject *b = json_object_get_object_member (json_node_get_object (json), "rul_balancing");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (b, "bins_before"), "0-25%"), ==, 5);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (b, "bins_after"), "75-100%"), ==, 2);
  }

  /* no RUL entry in the profile */
  {
    g_autoptr(RfProfile) plain = load_profile ("{\"machine_id\": \"m\", \"sensors\": [{\"name\": \"a\"}]}");
    g_assert_null (rf_merge_tables (table, NULL, plain, &options, NULL, &error));
    g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/seed/profile-physics", test_profile_physics);
  g_test_add_func ("/rf/seed/templates", test_templates);
  g_test_add_func ("/rf/seed/generate", test_seed);
  g_test_add_func ("/rf/merge/strategies", test_merge);
  g_test_add_func ("/rf/merge/balance-rul", test_balance);
  return g_test_run ();
}

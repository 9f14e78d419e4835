/* Augmented sets: exact split sizes, reproducibility, run-to-failure
 * trajectories (unit ids, RUL order, timestamps), the quality check and the
 * files written. */
#include "config.h"

#include <math.h>

#include <json-glib/json-glib.h>

#include "rf-augment.h"
#include "rf-error.h"
#include "rf-reader.h"
#include "rf-rng.h"
#include "rf-test-util.h"

#define N_UNITS 4
#define CYCLES 100
#define START_US G_GINT64_CONSTANT (1700000000000000)   /* 2023-11-14T22:13:20Z */

/* N_UNITS engines run to failure, one row a minute: temperature rises as
 * the RUL falls. */
static RfTable *
make_fleet (void)
{
  RfTable *table = rf_table_new ();
  RfColumn *unit = rf_column_new ("engine", RF_COLUMN_INT64);
  RfColumn *time = rf_column_new ("time", RF_COLUMN_TIMESTAMP);
  RfColumn *temp = rf_column_new ("temp", RF_COLUMN_DOUBLE);
  RfColumn *rul = rf_column_new ("rul", RF_COLUMN_INT64);
  RfRng rng;

  rf_rng_init (&rng, 5);
  for (int u = 0; u < N_UNITS; u++)
    for (int c = 0; c < CYCLES; c++)
      {
        rf_column_append_int64 (unit, u + 1);
        rf_column_append_timestamp (time, START_US + (gint64) c * 60 * G_USEC_PER_SEC);
        rf_column_append_double (temp, 60.0 + 0.3 * c + 5.0 * rf_rng_normal (&rng));
        rf_column_append_int64 (rul, CYCLES - 1 - c);
      }
  rf_column_set_role (unit, RF_ROLE_UNIT_ID);
  rf_column_set_role (time, RF_ROLE_TIMESTAMP);
  rf_column_set_role (rul, RF_ROLE_RUL);
  rf_column_set_unit (temp, "degC");
  rf_table_add_column (table, unit);
  rf_column_unref (unit);
  rf_table_add_column (table, time);
  rf_column_unref (time);
  rf_table_add_column (table, temp);
  rf_column_unref (temp);
  rf_table_add_column (table, rul);
  rf_column_unref (rul);
  return table;
}

static RfModel *
train (const RfTable *table)
{
  g_autoptr(GError) error = NULL;
  RfModelOptions options;
  RfModel *model;

  rf_model_options_init (&options);
  options.train.epochs = 300;
  options.train.batch_size = 100;
  options.train.seed = 2;
  model = rf_model_train (table, &options, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return model;
}

static RfTable *fleet;
static RfModel *model;

static RfAugmentation *
augment (gsize   n_rows,
         guint64 seed,
         guint   n_threads)
{
  g_autoptr(GError) error = NULL;
  RfAugmentOptions options;
  RfAugmentation *aug;

  rf_augment_options_init (&options);
  options.n_rows = n_rows;
  options.seed = seed;
  options.n_threads = n_threads;
  aug = rf_augment (model, fleet, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  return aug;
}

static void
test_defaults (void)
{
  RfAugmentOptions options;

  rf_augment_options_init (&options);
  g_assert_cmpuint (options.n_rows, ==, 50000);
  g_assert_cmpfloat (options.train_fraction, ==, 0.70);
  g_assert_cmpfloat (options.val_fraction, ==, 0.15);
  g_assert_true (options.trajectories);
  g_assert_cmpstr (rf_split_to_string (RF_SPLIT_TRAIN), ==, "train");
  g_assert_cmpstr (rf_split_to_string (RF_SPLIT_VAL), ==, "val");
  g_assert_cmpstr (rf_split_to_string (RF_SPLIT_TEST), ==, "test");
}

static void
test_split_sizes (void)
{
  g_autoptr(RfAugmentation) aug = augment (1000, 7, 0);
  const RfAugmentQuality *q = rf_augmentation_get_quality (aug);

  g_assert_cmpuint (rf_table_get_n_rows (rf_augmentation_get_set (aug, RF_SPLIT_TRAIN)), ==, 700);
  g_assert_cmpuint (rf_table_get_n_rows (rf_augmentation_get_set (aug, RF_SPLIT_VAL)), ==, 150);
  g_assert_cmpuint (rf_table_get_n_rows (rf_augmentation_get_set (aug, RF_SPLIT_TEST)), ==, 150);
  g_assert_cmpuint (q->rows[RF_SPLIT_TRAIN], ==, 700);
  g_assert_cmpuint (q->rows[RF_SPLIT_TEST], ==, 150);
}

/* Units of the source: 100 rows each; 700 rows → 7 units, 150 → 2 (1.5
 * rounds up), numbered on across the sets. */
static void
test_trajectories (void)
{
  g_autoptr(RfAugmentation) aug = augment (1000, 7, 0);
  const RfAugmentQuality *q = rf_augmentation_get_quality (aug);
  guint expected_first[RF_N_SPLITS] = { 1, 8, 10 };

  g_assert_true (q->has_trajectories);
  g_assert_cmpstr (q->rul_column, ==, "rul");
  g_assert_cmpstr (q->unit_column, ==, "engine");
  g_assert_cmpstr (q->time_column, ==, "time");
  g_assert_cmpfloat (q->unit_length, ==, 100.0);
  g_assert_cmpfloat (q->interval_s, ==, 60.0);
  g_assert_cmpuint (q->units[RF_SPLIT_TRAIN], ==, 7);
  g_assert_cmpuint (q->units[RF_SPLIT_VAL], ==, 2);
  g_assert_cmpuint (q->units[RF_SPLIT_TEST], ==, 2);
  g_assert_cmpuint (q->rul_increases, ==, 0);
  g_assert_cmpuint (q->time_not_increasing, ==, 0);

  for (guint s = 0; s < RF_N_SPLITS; s++)
    {
      RfTable *set = rf_augmentation_get_set (aug, s);
      RfColumn *unit = rf_table_find_column (set, "engine");
      RfColumn *time = rf_table_find_column (set, "time");
      RfColumn *rul = rf_table_find_column (set, "rul");
      gint64 position = 0;
      gsize n = rf_table_get_n_rows (set);

      g_assert_nonnull (unit);
      g_assert_cmpint (unit->role, ==, RF_ROLE_UNIT_ID);
      g_assert_cmpint (unit->type, ==, RF_COLUMN_INT64);
      g_assert_cmpint (time->role, ==, RF_ROLE_TIMESTAMP);
      g_assert_cmpint (rf_column_get_int64 (unit, 0), ==, expected_first[s]);
      g_assert_cmpint (rf_column_get_int64 (unit, n - 1), ==, expected_first[s] + q->units[s] - 1);
      for (gsize r = 0; r < n; r++)
        {
          if (r > 0 && rf_column_get_int64 (unit, r) != rf_column_get_int64 (unit, r - 1))
            {
              g_assert_cmpint (rf_column_get_int64 (unit, r), ==, rf_column_get_int64 (unit, r - 1) + 1);
              position = 0;
            }
          else if (r > 0)
            g_assert_cmpint (rf_column_get_int64 (rul, r), <=, rf_column_get_int64 (rul, r - 1));
          g_assert_cmpint (rf_column_get_int64 (time, r), ==, START_US + position * 60 * G_USEC_PER_SEC);
          position++;
        }
      /* 700 rows dealt to 7 units: 100 rows each. */
      if (s == RF_SPLIT_TRAIN)
        g_assert_cmpint (position, ==, 100);
    }
}

static void
assert_tables_equal (RfTable *a,
                     RfTable *b)
{
  g_assert_cmpuint (rf_table_get_n_rows (a), ==, rf_table_get_n_rows (b));
  g_assert_cmpuint (rf_table_get_n_columns (a), ==, rf_table_get_n_columns (b));
  for (guint c = 0; c < rf_table_get_n_columns (a); c++)
    for (gsize r = 0; r < rf_table_get_n_rows (a); r++)
      {
        double x = rf_column_get_as_double (rf_table_get_column (a, c), r);
        double y = rf_column_get_as_double (rf_table_get_column (b, c), r);
        g_assert_true (x == y || (isnan (x) && isnan (y)));
      }
}

static void
test_reproducible (void)
{
  g_autoptr(RfAugmentation) a = augment (20000, 11, 1);
  g_autoptr(RfAugmentation) b = augment (20000, 11, 2);
  g_autoptr(RfAugmentation) c = augment (20000, 12, 2);

  for (guint s = 0; s < RF_N_SPLITS; s++)
    assert_tables_equal (rf_augmentation_get_set (a, s), rf_augmentation_get_set (b, s));
  g_assert_cmpfloat (rf_column_get_double (rf_table_find_column (rf_augmentation_get_set (a, 0), "temp"), 0), !=,
                     rf_column_get_double (rf_table_find_column (rf_augmentation_get_set (c, 0), "temp"), 0));
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Without a RUL the sets are the sample itself, shuffled: the same values. */
static void
test_no_rul (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) source = rf_table_new ();
  g_autoptr(RfAugmentation) aug = NULL;
  g_autoptr(RfTable) sample = NULL;
  g_autoptr(GArray) from_sets = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) from_sample = g_array_new (FALSE, FALSE, sizeof (double));
  RfAugmentOptions options;

  for (guint c = 0; c < rf_table_get_n_columns (fleet); c++)
    {
      RfColumn *copy = rf_column_copy (rf_table_get_column (fleet, c));
      rf_column_set_role (copy, RF_ROLE_SENSOR);
      rf_table_add_column (source, copy);
      rf_column_unref (copy);
    }
  rf_augment_options_init (&options);
  options.n_rows = 500;
  options.seed = 3;
  aug = rf_augment (model, source, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (rf_augmentation_get_quality (aug)->has_trajectories);
  g_assert_null (rf_augmentation_get_quality (aug)->rul_column);

  sample = rf_model_sample (model, 500, 3, &options.decode, 0, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < RF_N_SPLITS; s++)
    {
      RfColumn *temp = rf_table_find_column (rf_augmentation_get_set (aug, s), "temp");
      for (gsize r = 0; r < temp->n_rows; r++)
        {
          double v = rf_column_get_double (temp, r);
          g_array_append_val (from_sets, v);
        }
    }
  for (gsize r = 0; r < 500; r++)
    {
      double v = rf_column_get_double (rf_table_find_column (sample, "temp"), r);
      g_array_append_val (from_sample, v);
    }
  g_assert_cmpuint (from_sets->len, ==, 500);
  /* Shuffled: not in the sample's order, but the same multiset. */
  g_assert_true (memcmp (from_sets->data, from_sample->data, 500 * sizeof (double)) != 0);
  g_array_sort (from_sets, compare_doubles);
  g_array_sort (from_sample, compare_doubles);
  g_assert_cmpmem (from_sets->data, 500 * sizeof (double), from_sample->data, 500 * sizeof (double));
}

/* A source 1000 degrees hotter: every value outside its range. */
static void
test_quality_fails (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) hot = rf_table_new ();
  g_autoptr(RfAugmentation) aug = NULL;
  const RfAugmentQuality *q;
  const RfAugmentColumnCheck *temp = NULL;
  RfAugmentOptions options;

  for (guint c = 0; c < rf_table_get_n_columns (fleet); c++)
    {
      RfColumn *copy = rf_column_copy (rf_table_get_column (fleet, c));
      if (g_strcmp0 (copy->name, "temp") == 0)
        for (gsize r = 0; r < copy->n_rows; r++)
          copy->values.f64[r] += 1000.0;
      rf_table_add_column (hot, copy);
      rf_column_unref (copy);
    }
  rf_augment_options_init (&options);
  options.n_rows = 1000;
  aug = rf_augment (model, hot, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  q = rf_augmentation_get_quality (aug);
  g_assert_false (q->passed);
  /* Checked: temp and rul; the unit and time columns are made here. */
  g_assert_cmpuint (q->n_columns, ==, 2);
  for (guint c = 0; c < q->n_columns; c++)
    if (g_strcmp0 (q->columns[c].name, "temp") == 0)
      temp = &q->columns[c];
  g_assert_nonnull (temp);
  g_assert_false (temp->passed);
  g_assert_cmpfloat (temp->outside_range, ==, 1.0);
  g_assert_cmpfloat (temp->range_coverage, ==, 0.0);
  g_assert_cmpfloat (temp->missing_source, ==, 0.0);
  g_assert_nonnull (strstr (temp->problems, "100.0 % of the values lie outside the source range"));
  g_assert_nonnull (strstr (temp->problems, "cover 0 % of the source range"));
}

/* The model against its own training data: ranges, missing rates and the
 * (strong, negative) correlation of temperature with RUL all close. */
static void
test_quality_passes (void)
{
  g_autoptr(RfAugmentation) aug = augment (5000, 1, 0);
  const RfAugmentQuality *q = rf_augmentation_get_quality (aug);

  for (guint c = 0; c < q->n_columns; c++)
    {
      const RfAugmentColumnCheck *k = &q->columns[c];

      g_test_message ("%s: outside %.3f coverage %.3f corr %.3f/%.3f %s", k->name, k->outside_range,
                      k->range_coverage, k->rul_corr_source, k->rul_corr_synthetic,
                      k->problems != NULL ? k->problems : "");
      g_assert_true (k->passed);
      g_assert_cmpfloat (k->outside_range, ==, 0.0);   /* sampling clips to the training range */
    }
  g_assert_true (q->passed);
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) empty = rf_table_new ();
  RfAugmentOptions options;
  RfAugmentation *aug;

  rf_augment_options_init (&options);
  options.train_fraction = 0.9;
  options.val_fraction = 0.1;
  aug = rf_augment (model, fleet, &options, NULL, NULL, &error);
  g_assert_null (aug);
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "leave rows for the test set"));
  g_clear_error (&error);

  rf_augment_options_init (&options);
  options.n_rows = 2;
  aug = rf_augment (model, fleet, &options, NULL, NULL, &error);
  g_assert_null (aug);
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
  g_clear_error (&error);

  rf_augment_options_init (&options);
  aug = rf_augment (model, empty, &options, NULL, NULL, &error);
  g_assert_null (aug);
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
}

static void
test_write (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfAugmentation) aug = augment (1000, 7, 0);
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *sub = g_build_filename (dir, "augmented", "m1", NULL);
  g_autofree char *quality_path = g_build_filename (sub, "quality.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *rows, *traj;

  g_assert_true (rf_augmentation_write (aug, sub, TRUE, FALSE, "models/m1/a.safetensors", "cleaned_data.parquet",
                                        NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint s = 0; s < RF_N_SPLITS; s++)
    {
      g_autofree char *name = g_strdup_printf ("%s.parquet", rf_split_to_string (s));
      g_autofree char *csv_name = g_strdup_printf ("%s.csv", rf_split_to_string (s));
      g_autofree char *path = g_build_filename (sub, name, NULL);
      g_autofree char *csv_path = g_build_filename (sub, csv_name, NULL);
      g_autoptr(RfTable) back = rf_read_file (path, NULL, NULL, NULL, NULL, &error);

      g_assert_no_error (error);
      assert_tables_equal (back, rf_augmentation_get_set (aug, s));
      g_assert_true (g_file_test (csv_path, G_FILE_TEST_IS_REGULAR));
    }
  g_assert_cmpuint (rf_test_count_files (sub), ==, 7);

  g_assert_true (json_parser_load_from_file (parser, quality_path, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "model"), ==, "models/m1/a.safetensors");
  g_assert_cmpint (json_object_get_int_member (root, "seed"), ==, 7);
  rows = json_object_get_object_member (root, "rows");
  g_assert_cmpint (json_object_get_int_member (rows, "train"), ==, 700);
  g_assert_cmpint (json_object_get_int_member (rows, "val"), ==, 150);
  g_assert_cmpint (json_object_get_int_member (rows, "test"), ==, 150);
  traj = json_object_get_object_member (root, "trajectories");
  g_assert_cmpstr (json_object_get_string_member (traj, "unit_column"), ==, "engine");
  g_assert_cmpfloat (json_object_get_double_member (traj, "interval_s"), ==, 60.0);
  g_assert_cmpint (json_object_get_int_member (traj, "rul_increases"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "columns")), ==, 2);
  rf_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fleet = make_fleet ();
  model = train (fleet);
  g_test_add_func ("/rf/augment/defaults", test_defaults);
  g_test_add_func ("/rf/augment/split-sizes", test_split_sizes);
  g_test_add_func ("/rf/augment/trajectories", test_trajectories);
  g_test_add_func ("/rf/augment/reproducible", test_reproducible);
  g_test_add_func ("/rf/augment/no-rul", test_no_rul);
  g_test_add_func ("/rf/augment/quality-fails", test_quality_fails);
  g_test_add_func ("/rf/augment/quality-passes", test_quality_passes);
  g_test_add_func ("/rf/augment/errors", test_errors);
  g_test_add_func ("/rf/augment/write", test_write);
  status = g_test_run ();
  rf_model_unref (model);
  rf_table_unref (fleet);
  return status;
}

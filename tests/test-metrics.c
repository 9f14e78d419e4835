/* Fidelity, privacy and utility metrics: closed forms, SciPy/NumPy values
 * stored as fixtures (tests/fixtures/metrics/make-fixtures.py), exact
 * copies, and bad input. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "rf-error.h"
#include "rf-metrics.h"
#include "rf-privacy.h"
#include "rf-rng.h"
#include "rf-test-util.h"
#include "rf-utility.h"

static void
assert_close (double actual,
              double expected,
              double relative)
{
  g_assert_cmpfloat (fabs (actual - expected), <=, relative * MAX (fabs (expected), 1e-300));
}

/* Closed forms ---------------------------------------------------------------- */

static void
test_closed_forms (void)
{
  const double a[] = { 0, 1, 2 }, b[] = { 1, 2, 3 }, c[] = { 10, 11 };
  const double x[] = { 1, 2, 3, 4, 5 }, y[] = { 3, 5, 7, 9, 11 }, k[] = { 2, 2, 2, 2, 2 };

  g_assert_cmpfloat (rf_metric_ks (a, 3, a, 3), ==, 0.0);
  g_assert_cmpfloat (rf_metric_wasserstein1 (a, 3, a, 3), ==, 0.0);
  g_assert_cmpfloat (rf_metric_kl_binned (a, 3, a, 3, 50), ==, 0.0);
  g_assert_cmpfloat (rf_metric_wasserstein1 (a, 3, b, 3), ==, 1.0);
  assert_close (rf_metric_ks (a, 3, b, 3), 1.0 / 3.0, 1e-15);
  g_assert_cmpfloat (rf_metric_ks (a, 3, c, 2), ==, 1.0);           /* disjoint */
  g_assert_cmpfloat (rf_metric_wasserstein1 (a, 3, c, 2), ==, 9.5);  /* mean shift */
  assert_close (rf_metric_pearson (x, y, 5), 1.0, 1e-15);
  assert_close (rf_metric_pearson (y, x, 5), 1.0, 1e-15);
  g_assert_true (isnan (rf_metric_pearson (x, k, 5)));
  g_assert_true (isnan (rf_metric_pearson (x, y, 1)));
  g_assert_true (isnan (rf_metric_ks (a, 0, b, 3)));
  g_assert_true (isnan (rf_metric_wasserstein1 (a, 3, b, 0)));
  /* One constant value on both sides: one bin, no divergence. */
  g_assert_cmpfloat (rf_metric_kl_binned (k, 5, k, 3, 50), ==, 0.0);
}

/* W1 between N(0,1) and N(1,1) is 1; KS between them 2Φ(1/2) − 1 = 0.3829. */
static void
test_normal_shift (void)
{
  const gsize n = 200000;
  g_autofree double *a = g_new (double, n), *b = g_new (double, n);
  RfRng rng;

  rf_rng_init (&rng, 9);
  for (gsize i = 0; i < n; i++)
    {
      a[i] = rf_rng_normal (&rng);
      b[i] = 1.0 + rf_rng_normal (&rng);
    }
  g_assert_cmpfloat (fabs (rf_metric_wasserstein1 (a, n, b, n) - 1.0), <, 0.01);
  g_assert_cmpfloat (fabs (rf_metric_ks (a, n, b, n) - 0.382925), <, 0.01);
}

/* SciPy and NumPy -------------------------------------------------------------- */

static JsonObject *
fixtures (JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = rf_test_source_path ("tests/fixtures/metrics/metrics.json");

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static double *
doubles (JsonArray *array,
         gsize     *n)
{
  double *v = g_new (double, json_array_get_length (array));

  *n = json_array_get_length (array);
  for (guint i = 0; i < *n; i++)
    v[i] = json_array_get_double_element (array, i);
  return v;
}

static void
test_scipy_distributions (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *cases = json_object_get_array_member (fixtures (parser), "distributions");

  g_assert_cmpuint (json_array_get_length (cases), ==, 4);
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      gsize na, nb;
      g_autofree double *a = doubles (json_object_get_array_member (c, "a"), &na);
      g_autofree double *b = doubles (json_object_get_array_member (c, "b"), &nb);

      g_test_message ("%s", json_object_get_string_member (c, "name"));
      /* KS is a difference of count ratios: equal but for the last bit. */
      assert_close (rf_metric_ks (a, na, b, nb), json_object_get_double_member (c, "ks"), 1e-15);
      assert_close (rf_metric_wasserstein1 (a, na, b, nb), json_object_get_double_member (c, "wasserstein"), 1e-12);
      assert_close (rf_metric_kl_binned (a, na, b, nb, 50), json_object_get_double_member (c, "kl_50"), 1e-12);
      assert_close (rf_metric_kl_binned (a, na, b, nb, 10), json_object_get_double_member (c, "kl_10"), 1e-12);
    }
}

static void
test_numpy_correlation (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *c = json_object_get_object_member (fixtures (parser), "correlation");
  gsize nx, ny;
  g_autofree double *x = doubles (json_object_get_array_member (c, "x"), &nx);
  g_autofree double *y = doubles (json_object_get_array_member (c, "y"), &ny);

  g_assert_cmpuint (nx, ==, ny);
  assert_close (rf_metric_pearson (x, y, nx), json_object_get_double_member (c, "pearson"), 1e-13);
}

static RfTable *
matrix_table (JsonArray *rows,
              JsonArray *target)
{
  RfTable *table = rf_table_new ();
  guint k = json_array_get_length (json_array_get_array_element (rows, 0));

  for (guint j = 0; j < k; j++)
    {
      g_autofree char *name = g_strdup_printf ("x%u", j);
      RfColumn *column = rf_column_new (name, RF_COLUMN_DOUBLE);

      for (guint r = 0; r < json_array_get_length (rows); r++)
        rf_column_append_double (column, json_array_get_double_element (json_array_get_array_element (rows, r), j));
      rf_table_add_column (table, column);
      rf_column_unref (column);
    }
  {
    RfColumn *column = rf_column_new ("rul", RF_COLUMN_DOUBLE);
    for (guint r = 0; r < json_array_get_length (target); r++)
      rf_column_append_double (column, json_array_get_double_element (target, r));
    rf_table_add_column (table, column);
    rf_column_unref (column);
  }
  return table;
}

/* Ridge on the same data as NumPy's closed form: the same R² and MAE. The
 * "synthetic" set is the real training set, so both scores agree too. */
static void
test_numpy_ridge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *r = json_object_get_object_member (fixtures (parser), "ridge");
  g_autoptr(RfTable) train = matrix_table (json_object_get_array_member (r, "train_x"),
                                           json_object_get_array_member (r, "train_y"));
  g_autoptr(RfTable) test = matrix_table (json_object_get_array_member (r, "test_x"),
                                          json_object_get_array_member (r, "test_y"));
  RfUtility u;

  g_assert_true (rf_utility_compute (train, test, train, "rul", NULL, json_object_get_double_member (r, "alpha"),
                                     &u, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (u.target, ==, "rul");
  g_assert_cmpuint (u.n_features, ==, 4);
  g_assert_cmpuint (u.n_train_real, ==, 300);
  g_assert_cmpuint (u.n_test, ==, 120);
  assert_close (u.r2_real, json_object_get_double_member (r, "r2"), 1e-10);
  assert_close (u.mae_real, json_object_get_double_member (r, "mae"), 1e-10);
  g_assert_cmpfloat (u.r2_synthetic, ==, u.r2_real);
  rf_utility_clear (&u);
}

/* Whole tables ------------------------------------------------------------------ */

static RfTable *
sensor_table (gsize   n,
              guint64 seed,
              double  shift)
{
  RfTable *table = rf_table_new ();
  RfColumn *a = rf_column_new ("a", RF_COLUMN_DOUBLE);
  RfColumn *b = rf_column_new ("b", RF_COLUMN_DOUBLE);
  RfColumn *k = rf_column_new ("constant", RF_COLUMN_INT64);
  RfColumn *mode = rf_column_new ("mode", RF_COLUMN_STRING);
  RfColumn *rul = rf_column_new ("rul", RF_COLUMN_INT64);
  RfRng rng;

  rf_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    {
      double x = rf_rng_normal (&rng);
      const char *m = rf_rng_uniform (&rng) < 0.3 ? "idle" : "run";

      rf_column_append_double (a, x + shift);
      rf_column_append_double (b, 2.0 * x + 0.5 * rf_rng_normal (&rng));
      rf_column_append_int64 (k, 7);
      rf_column_append_string (mode, m, strlen (m));
      rf_column_append_int64 (rul, (gint64) (100 - 20 * x));
    }
  rf_table_add_column (table, a);
  rf_column_unref (a);
  rf_table_add_column (table, b);
  rf_column_unref (b);
  rf_table_add_column (table, k);
  rf_column_unref (k);
  rf_table_add_column (table, mode);
  rf_column_unref (mode);
  rf_table_add_column (table, rul);
  rf_column_unref (rul);
  return table;
}

static void
test_identical_tables (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) t = sensor_table (2000, 1, 0.0);
  g_autoptr(RfFidelity) f = rf_fidelity_compute (t, t, NULL, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (f->n_columns, ==, 5);
  for (guint i = 0; i < f->n_columns; i++)
    {
      const RfColumnMetrics *m = &f->columns[i];

      g_assert_cmpfloat (m->ks, ==, 0.0);
      g_assert_cmpfloat (m->kl_divergence, ==, 0.0);
      g_assert_true (m->categorical == (strcmp (m->name, "mode") == 0));
      if (!m->categorical)
        {
          g_assert_cmpfloat (m->wasserstein, ==, 0.0);
          g_assert_cmpfloat (m->mean_error, ==, 0.0);
          g_assert_cmpfloat (m->std_error, ==, 0.0);
        }
    }
  /* Four numeric columns; the constant has no correlation: 3 pairs. */
  g_assert_cmpuint (f->correlation.n_columns, ==, 4);
  g_assert_cmpuint (f->correlation.n_pairs, ==, 3);
  g_assert_cmpfloat (f->correlation.mean_abs_error, ==, 0.0);
  g_assert_cmpfloat (f->correlation.frobenius, ==, 0.0);
  g_assert_true (isnan (f->correlation.real[2 * 4 + 2]));
  g_assert_cmpfloat (f->correlation.real[0], ==, 1.0);
  g_assert_cmpfloat (f->quality.column_shapes, ==, 1.0);
  g_assert_cmpfloat (f->quality.pair_trends, ==, 1.0);
  g_assert_cmpfloat (f->quality.overall, ==, 1.0);
}

/* A shift of the mean by one standard deviation shows where it should: in
 * a's KS, W1 and mean error, not in b's; the result does not depend on the
 * thread count. */
static void
test_shifted_column (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) real = sensor_table (20000, 1, 0.0);
  g_autoptr(RfTable) syn = sensor_table (30000, 2, 1.0);
  g_autoptr(RfFidelity) f1 = rf_fidelity_compute (real, syn, NULL, 1, NULL, &error);
  g_autoptr(RfFidelity) f2 = rf_fidelity_compute (real, syn, NULL, 2, NULL, &error);
  const RfColumnMetrics *a = rf_fidelity_find_column (f2, "a"), *b = rf_fidelity_find_column (f2, "b");
  const RfColumnMetrics *mode = rf_fidelity_find_column (f2, "mode");

  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (a->mean_error - 1.0), <, 0.03);
  g_assert_cmpfloat (fabs (a->ks - 0.3829), <, 0.02);
  g_assert_cmpfloat (b->ks, <, 0.02);
  g_assert_cmpfloat (a->kl_divergence, >, 10 * b->kl_divergence);
  g_assert_cmpfloat (mode->ks, <, 0.02);
  g_assert_true (isnan (mode->wasserstein));
  /* W1 scaled by a's real range (about 8.5 standard deviations here). */
  g_assert_cmpfloat (a->wasserstein, >, 0.08);
  g_assert_cmpfloat (a->wasserstein, <, 0.15);
  for (guint i = 0; i < f1->n_columns; i++)
    {
      g_assert_cmpfloat (f1->columns[i].ks, ==, f2->columns[i].ks);
      g_assert_cmpfloat (f1->columns[i].kl_divergence, ==, f2->columns[i].kl_divergence);
    }
  g_assert_cmpfloat (f1->correlation.frobenius, ==, f2->correlation.frobenius);
  g_assert_cmpfloat (f2->quality.overall, <, 1.0);
  g_assert_cmpfloat (f2->quality.overall, ==, 0.5 * (f2->quality.column_shapes + f2->quality.pair_trends));
}

static void
test_fidelity_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) t = sensor_table (10, 1, 0.0);
  g_autoptr(RfTable) empty = rf_table_new ();
  g_autoptr(RfTable) other = rf_table_new ();
  g_autoptr(RfTable) wrong = rf_table_new ();
  const char * const all[] = { "a", "b", "constant", "mode", "rul", NULL };
  RfFidelity *f;
  RfColumn *column;

  f = rf_fidelity_compute (t, empty, NULL, 0, NULL, &error);
  g_assert_null (f);
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
  g_clear_error (&error);

  column = rf_column_new ("elsewhere", RF_COLUMN_DOUBLE);
  rf_column_append_double (column, 1.0);
  rf_table_add_column (other, column);
  rf_column_unref (column);
  f = rf_fidelity_compute (t, other, NULL, 0, NULL, &error);
  g_assert_null (f);
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, "share no column"));
  g_clear_error (&error);

  f = rf_fidelity_compute (t, t, all, 0, NULL, &error);
  g_assert_null (f);
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
  g_clear_error (&error);

  column = rf_column_new ("a", RF_COLUMN_STRING);
  rf_column_append_string (column, "x", 1);
  rf_table_add_column (wrong, column);
  rf_column_unref (column);
  f = rf_fidelity_compute (t, wrong, NULL, 0, NULL, &error);
  g_assert_null (f);
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“a”"));
}

/* All missing and infinite values: no distribution, NAN, no crash. */
static void
test_missing_and_infinite (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) real = rf_table_new ();
  g_autoptr(RfTable) syn = rf_table_new ();
  g_autoptr(RfFidelity) f = NULL;
  RfColumn *a = rf_column_new ("a", RF_COLUMN_DOUBLE), *b = rf_column_new ("a", RF_COLUMN_DOUBLE);

  for (int i = 0; i < 4; i++)
    {
      rf_column_append_null (a);
      rf_column_append_double (b, i == 0 ? INFINITY : i);
    }
  rf_table_add_column (real, a);
  rf_column_unref (a);
  rf_table_add_column (syn, b);
  rf_column_unref (b);
  f = rf_fidelity_compute (real, syn, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (f->columns[0].missing_real, ==, 1.0);
  g_assert_cmpuint (f->columns[0].n_real, ==, 0);
  g_assert_cmpuint (f->columns[0].n_synthetic, ==, 3);
  g_assert_true (isnan (f->columns[0].ks));
  g_assert_true (isnan (f->quality.column_shapes));
}

/* Privacy ------------------------------------------------------------------------ */

/* The blocked search against brute force, on more rows than one block. */
static void
test_nearest_brute_force (void)
{
  const gsize n_ref = 3000, n_q = 700;
  const guint dim = 5;
  g_autofree double *ref = g_new (double, n_ref * dim), *q = g_new (double, n_q * dim);
  g_autofree double *d = g_new (double, n_q);
  RfRng rng;

  rf_rng_init (&rng, 4);
  for (gsize i = 0; i < n_ref * dim; i++)
    ref[i] = rf_rng_uniform (&rng);
  for (gsize i = 0; i < n_q * dim; i++)
    q[i] = rf_rng_uniform (&rng);
  /* Row 10 of the queries is reference row 2999: distance exactly 0. */
  memcpy (q + 10 * dim, ref + 2999 * dim, dim * sizeof (double));
  rf_privacy_nearest (ref, n_ref, q, n_q, dim, d);
  for (gsize i = 0; i < n_q; i++)
    {
      double best = INFINITY;

      for (gsize r = 0; r < n_ref; r++)
        {
          double s = 0.0;
          for (guint k = 0; k < dim; k++)
            s += (q[i * dim + k] - ref[r * dim + k]) * (q[i * dim + k] - ref[r * dim + k]);
          best = MIN (best, s);
        }
      g_assert_cmpfloat (d[i], ==, sqrt (best));
    }
  g_assert_cmpfloat (d[10], ==, 0.0);
}

static void
test_privacy_copies (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) reference = sensor_table (4000, 1, 0.0);
  g_autoptr(RfTable) holdout = sensor_table (1000, 2, 0.0);
  g_autoptr(RfTable) fresh = sensor_table (2000, 3, 0.0);
  g_autoptr(RfTable) leaky = NULL;
  g_autofree gsize *rows = g_new (gsize, 2000);
  RfPrivacy p, q;

  /* 10 copies of reference rows among 1990 fresh rows. */
  for (gsize i = 0; i < 2000; i++)
    rows[i] = i;
  leaky = rf_table_new ();
  for (guint c = 0; c < rf_table_get_n_columns (fresh); c++)
    {
      RfColumn *column = rf_column_take_rows (rf_table_get_column (fresh, c), rows, 1990);

      g_autoptr(RfColumn) head = rf_column_take_rows (rf_table_get_column (reference, c), rows, 10);

      rf_column_append_column (column, head);
      rf_table_add_column (leaky, column);
      rf_column_unref (column);
    }
  g_assert_true (rf_privacy_compute (reference, holdout, leaky, NULL, 0, 1, NULL, &p, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (p.n_columns, ==, 4);        /* a, b, constant, rul: not the text column */
  g_assert_cmpuint (p.n_synthetic, ==, 2000);
  g_assert_cmpuint (p.n_exact_copies, ==, 10);
  g_assert_cmpfloat (p.exact_copy_fraction, ==, 0.005);
  g_assert_cmpfloat (p.holdout_exact_fraction, ==, 0.0);
  g_assert_cmpfloat (p.synthetic_median, >, 0.0);
  /* Fresh rows from the same distribution are as far as the holdout. */
  g_assert_cmpfloat (fabs (p.synthetic_median - p.holdout_median), <, 0.2 * p.holdout_median);

  /* A sample of 500: seeded, the same twice. */
  g_assert_true (rf_privacy_compute (reference, holdout, leaky, NULL, 500, 7, NULL, &q, &error));
  g_assert_cmpuint (q.n_synthetic, ==, 500);
  {
    RfPrivacy again;
    g_assert_true (rf_privacy_compute (reference, holdout, leaky, NULL, 500, 7, NULL, &again, &error));
    g_assert_cmpfloat (again.synthetic_median, ==, q.synthetic_median);
  }
}

static void
test_utility_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) t = sensor_table (50, 1, 0.0);
  const char * const everything[] = { "a", "b", "constant", NULL };
  RfUtility u;

  g_assert_false (rf_utility_compute (t, t, t, "missing", NULL, 1.0, &u, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  rf_utility_clear (&u);
  g_clear_error (&error);
  g_assert_false (rf_utility_compute (t, t, t, "rul", everything, 1.0, &u, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
  rf_utility_clear (&u);
  g_clear_error (&error);
  /* Predicting RUL from a and b: it is a linear function of a. */
  g_assert_true (rf_utility_compute (t, t, t, "rul", NULL, 0.001, &u, &error));
  g_assert_cmpfloat (u.r2_real, >, 0.99);
  g_assert_cmpuint (u.n_features, ==, 3);
  rf_utility_clear (&u);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/metrics/closed-forms", test_closed_forms);
  g_test_add_func ("/rf/metrics/normal-shift", test_normal_shift);
  g_test_add_func ("/rf/metrics/scipy-distributions", test_scipy_distributions);
  g_test_add_func ("/rf/metrics/numpy-correlation", test_numpy_correlation);
  g_test_add_func ("/rf/metrics/numpy-ridge", test_numpy_ridge);
  g_test_add_func ("/rf/metrics/identical-tables", test_identical_tables);
  g_test_add_func ("/rf/metrics/shifted-column", test_shifted_column);
  g_test_add_func ("/rf/metrics/errors", test_fidelity_errors);
  g_test_add_func ("/rf/metrics/missing-and-infinite", test_missing_and_infinite);
  g_test_add_func ("/rf/privacy/nearest-brute-force", test_nearest_brute_force);
  g_test_add_func ("/rf/privacy/copies", test_privacy_copies);
  g_test_add_func ("/rf/utility/errors", test_utility_errors);
  return g_test_run ();
}

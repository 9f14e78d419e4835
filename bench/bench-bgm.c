/* bench-bgm: how fast the Bayesian Gaussian mixture fits one column.
 *
 * Reads the C-MAPSS FD001 training set (../shared/corpus/real/train_FD001.csv,
 * 20,631 rows) and fits every numeric column that is not constant with ten
 * components, as the data transformer does, then a column of 20,631 distinct
 * values (seeded normal draws: no value repeats, unlike the two-decimal
 * sensor readings). Prints per column the distinct values, the iterations
 * and the best CPU milliseconds of --runs fits, then the mean and the worst
 * over FD001, and the best wall time of the whole transformer fit (all
 * cores).
 * The target: 60 ms per FD001 column at most (it was 155 ms).
 *
 *   bench-bgm [--data FILE] [--runs N]
 *
 * Exits 77 (skipped) when the corpus is missing, loudly.
 */
#define G_LOG_DOMAIN "bench-bgm"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "refinery.h"
#include "rf-bgm.h"

#define N_COMPONENTS 10
#define SEED 42
#define TARGET_MS 60.0

static char *opt_data = NULL;
static gint opt_runs = 5;

static GOptionEntry entries[] = {
  { "data", 'd', 0, G_OPTION_ARG_FILENAME, &opt_data, "The CSV (default: FD001 from the shared corpus)", "FILE" },
  { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Fits per column; the best counts (default 5)", "N" },
  { NULL },
};

/* CPU time of this thread: other processes on a busy machine do not count. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static gsize
count_distinct (const double *x,
                gsize         n)
{
  g_autofree double *sorted = g_memdup2 (x, n * sizeof (double));
  gsize distinct = n > 0 ? 1 : 0;

  qsort (sorted, n, sizeof (double), compare_double);
  for (gsize i = 1; i < n; i++)
    if (sorted[i] != sorted[i - 1])
      distinct++;
  return distinct;
}

/* Best CPU milliseconds of opt_runs fits of x; -1 on error. */
static double
time_fit (const char   *name,
          const double *x,
          gsize         n)
{
  g_autoptr(GError) error = NULL;
  double best = INFINITY;
  RfBgm bgm;

  for (gint run = 0; run < opt_runs; run++)
    {
      double start = thread_cpu_ms ();

      if (!rf_bgm_fit (&bgm, x, n, N_COMPONENTS, SEED, NULL, &error))
        {
          g_printerr ("bench-bgm: %s: %s\n", name, error->message);
          return -1.0;
        }
      best = MIN (best, thread_cpu_ms () - start);
    }
  printf ("  %-12s %7" G_GSIZE_FORMAT " %9" G_GSIZE_FORMAT " %6u %9.2f\n",
          name, n, count_distinct (x, n), bgm.n_iter, best);
  return best;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- fit speed of the Bayesian Gaussian mixture");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autofree char *path = NULL;
  g_autofree double *x = NULL;
  double total = 0.0, worst = 0.0, best_wall = INFINITY;
  guint n_fitted = 0;
  gsize n_rows;
  RfRng rng;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-bgm: %s\n", error->message);
      return 2;
    }
  opt_runs = MAX (opt_runs, 1);
  if (opt_data != NULL)
    path = g_strdup (opt_data);
  else
    {
      const char *shared = g_getenv ("RF_SHARED_DIR");
      path = g_build_filename (shared != NULL ? shared : "../shared", "corpus", "real", "train_FD001.csv", NULL);
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("bench-bgm: SKIPPED: %s is missing (the shared corpus is not beside this checkout)\n", path);
      return 77;
    }
  table = rf_read_file (path, NULL, NULL, NULL, NULL, &error);
  if (table == NULL)
    {
      g_printerr ("bench-bgm: %s\n", error->message);
      return 1;
    }
  n_rows = rf_table_get_n_rows (table);
  x = g_new (double, MAX (n_rows, 1));

  printf ("data: %s, %" G_GSIZE_FORMAT " rows; %d components, best of %d fits\n",
          path, n_rows, N_COMPONENTS, opt_runs);
  printf ("  %-12s %7s %9s %6s %9s\n", "column", "values", "distinct", "iter", "CPU ms");
  for (guint c = 0; c < rf_table_get_n_columns (table); c++)
    {
      const RfColumn *column = rf_table_get_column (table, c);
      gsize m = 0;
      double ms;

      if (column->type != RF_COLUMN_DOUBLE && column->type != RF_COLUMN_INT64)
        continue;
      for (gsize row = 0; row < n_rows; row++)
        {
          if (!rf_column_is_valid (column, row))
            continue;
          x[m++] = column->type == RF_COLUMN_DOUBLE ? rf_column_get_double (column, row)
                                                    : (double) rf_column_get_int64 (column, row);
        }
      if (count_distinct (x, m) < 2)
        continue;
      ms = time_fit (column->name, x, m);
      if (ms < 0.0)
        return 1;
      total += ms;
      worst = MAX (worst, ms);
      n_fitted++;
    }
  if (n_fitted == 0)
    {
      g_printerr ("bench-bgm: %s has no numeric column that is not constant\n", path);
      return 1;
    }

  /* The same size without repeated values: the E step runs on every row. */
  rf_rng_init (&rng, SEED);
  for (gsize row = 0; row < n_rows; row++)
    x[row] = 640.0 + rf_rng_normal (&rng);
  if (n_rows > 1 && time_fit ("(no repeats)", x, n_rows) < 0.0)
    return 1;

  printf ("columns: %u, mean %.2f ms, worst %.2f ms per column (target %.0f ms): %s\n",
          n_fitted, total / n_fitted, worst, TARGET_MS, worst <= TARGET_MS ? "met" : "NOT met");

  for (gint run = 0; run < opt_runs; run++)
    {
      g_autoptr(RfTransformer) transformer = NULL;
      gint64 start = g_get_monotonic_time ();

      transformer = rf_transformer_fit (table, NULL, SEED, NULL, NULL, &error);
      if (transformer == NULL)
        {
          g_printerr ("bench-bgm: transformer: %s\n", error->message);
          return 1;
        }
      best_wall = MIN (best_wall, (g_get_monotonic_time () - start) / 1e6);
    }
  printf ("transformer fit (all columns, %u cores): %.3f s wall, best of %d\n",
          g_get_num_processors (), best_wall, opt_runs);
  return 0;
}

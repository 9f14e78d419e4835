/* bench-eval: steps 7 and 8 on real data, against the targets.
 *
 * The real data is NASA C-MAPSS FD001 from the shared corpus (20,631 rows;
 * unit and cycle left out: 25 columns, RUL among them). A model is trained
 * for a few epochs and sampled once (not timed). Then, each --runs times
 * (the median counts):
 *   compare  50,000 synthetic rows against the real rows: every metric of
 *            the comparison (fidelity, distance to closest record on 5,000
 *            rows, RUL regression) — target under 1 s;
 *   augment  50,000 rows sampled, split 70/15/15 and written as Parquet,
 *            with the quality check — target under 1 s;
 *   pdf      the PDF report of that comparison — target under 2 s.
 *
 * Usage: bench-eval [--runs N]   (RF_SHARED_DIR: the shared folder)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "refinery.h"
#include "rf-augment.h"
#include "rf-comparison.h"
#include "rf-pdf-report.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v,
        int     n)
{
  qsort (v, (size_t) n, sizeof (double), compare_doubles);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) real = NULL, synthetic = NULL;
  g_autoptr(RfModel) model = NULL;
  g_autofree char *path = NULL, *dir = NULL;
  const char *shared = g_getenv ("RF_SHARED_DIR");
  static const char * const exclude[] = { "unit", "cycle", NULL };
  RfModelOptions options;
  double t_compare[32], t_fidelity[32], t_privacy[32], t_augment[32], t_pdf[32];
  int runs = 5;

  if (argc == 3 && g_strcmp0 (argv[1], "--runs") == 0)
    runs = CLAMP (atoi (argv[2]), 1, 32);
  path = g_build_filename (shared != NULL ? shared : "../shared", "corpus", "real", "train_FD001.csv", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("bench-eval: SKIPPED: %s is missing (the shared corpus is not beside this checkout)\n", path);
      return 77;
    }
  real = rf_read_file (path, NULL, NULL, NULL, NULL, &error);
  if (real == NULL)
    {
      g_printerr ("bench-eval: %s\n", error->message);
      return 1;
    }
  for (int i = 0; exclude[i] != NULL; i++)
    rf_table_remove_column (real, (guint) rf_table_find_column_index (real, exclude[i]));
  rf_column_set_role (rf_table_find_column (real, "RUL"), RF_ROLE_RUL);

  rf_model_options_init (&options);
  options.train.epochs = 5;
  options.train.seed = 1;
  model = rf_model_train (real, &options, NULL, NULL, NULL, NULL, &error);
  if (model == NULL || (synthetic = rf_model_sample (model, 50000, 2, NULL, 0, NULL, NULL, &error)) == NULL)
    {
      g_printerr ("bench-eval: %s\n", error->message);
      return 1;
    }
  dir = g_dir_make_tmp ("bench-eval-XXXXXX", &error);
  printf ("data: FD001, %" G_GSIZE_FORMAT " real rows x %u columns; 50000 synthetic rows\n",
          rf_table_get_n_rows (real), rf_table_get_n_columns (real));

  for (int run = 0; run < runs; run++)
    {
      RfComparisonInput input = { "synthetic", "bench.safetensors", synthetic };
      g_autoptr(RfComparison) comparison = NULL;
      g_autoptr(RfFidelity) fidelity = NULL;
      g_autoptr(RfAugmentation) aug = NULL;
      g_autofree char *pdf = g_build_filename (dir, "report.pdf", NULL);
      RfAugmentOptions aug_options;
      RfReportInputs in = { 0 };
      RfPrivacy privacy;
      gint64 start;

      start = g_get_monotonic_time ();
      comparison = rf_comparison_compute ("fd001", real, path, &input, 1, NULL, "RUL", 3, NULL, &error);
      t_compare[run] = seconds_since (start);
      start = g_get_monotonic_time ();
      fidelity = rf_fidelity_compute (real, synthetic, NULL, 0, NULL, &error);
      t_fidelity[run] = seconds_since (start);
      start = g_get_monotonic_time ();
      rf_privacy_compute (real, real, synthetic, NULL, RF_COMPARISON_DCR_ROWS, 3, NULL, &privacy, &error);
      t_privacy[run] = seconds_since (start);
      if (comparison == NULL || fidelity == NULL)
        {
          g_printerr ("bench-eval: %s\n", error->message);
          return 1;
        }

      rf_augment_options_init (&aug_options);
      aug_options.seed = (guint64) run;
      start = g_get_monotonic_time ();
      aug = rf_augment (model, real, &aug_options, NULL, NULL, &error);
      if (aug == NULL || !rf_augmentation_write (aug, dir, FALSE, FALSE, "bench", "FD001", NULL, NULL, &error))
        {
          g_printerr ("bench-eval: %s\n", error->message);
          return 1;
        }
      t_augment[run] = seconds_since (start);

      in.machine_id = "fd001";
      in.generated = "2026-01-01T00:00:00Z";
      in.comparison = comparison;
      in.real = real;
      in.real_name = "train_FD001.csv";
      in.synthetic[0] = synthetic;
      in.models[0] = model;
      start = g_get_monotonic_time ();
      if (!rf_pdf_report_write (pdf, &in, NULL, &error))
        {
          g_printerr ("bench-eval: %s\n", error->message);
          return 1;
        }
      t_pdf[run] = seconds_since (start);
      printf ("run %d: compare %.3f s (fidelity %.3f, DCR %.3f), augment %.3f s, pdf %.3f s\n", run + 1,
              t_compare[run], t_fidelity[run], t_privacy[run], t_augment[run], t_pdf[run]);
    }
  printf ("compare: %.3f s median (target < 1 s): fidelity %.3f s, distance to closest record %.3f s\n",
          median (t_compare, runs), median (t_fidelity, runs), median (t_privacy, runs));
  printf ("augment: %.3f s median for 50,000 rows to Parquet with the quality check (target < 1 s)\n",
          median (t_augment, runs));
  printf ("pdf:     %.3f s median (target < 2 s)\n", median (t_pdf, runs));
  {
    g_autoptr(GFile) tmp = g_file_new_for_path (dir);
    g_autoptr(GFileEnumerator) e = g_file_enumerate_children (tmp, G_FILE_ATTRIBUTE_STANDARD_NAME, 0, NULL, NULL);
    GFileInfo *info;

    while (e != NULL && (info = g_file_enumerator_next_file (e, NULL, NULL)) != NULL)
      {
        g_autoptr(GFile) child = g_file_get_child (tmp, g_file_info_get_name (info));
        g_file_delete (child, NULL, NULL);
        g_object_unref (info);
      }
    g_file_delete (tmp, NULL, NULL);
  }
  return 0;
}

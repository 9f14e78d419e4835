/* bench-prep: validation plus cleaning of 1,000,000 rows × 25 columns.
 *
 * The table a year of one-minute SCADA data from a fleet looks like: a
 * timestamp, an integer unit id and 23 double sensors with about 1 %
 * missing values and a few spikes. Times rf_validate_table() and then
 * rf_clean_apply() with the plan the report suggests (interpolation along
 * the time axis, clipping of the spikes, duplicates dropped). Target: both
 * together under 1 s on this 2-core machine.
 *
 * Usage: bench-prep [ROWS]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "rf-clean.h"
#include "rf-rng.h"
#include "rf-validate.h"

#define N_SENSORS 23

static RfTable *
make_table (gsize n_rows)
{
  RfTable *table = rf_table_new ();
  g_autoptr(RfColumn) time = rf_column_new_sized ("time", RF_COLUMN_TIMESTAMP, n_rows);
  g_autoptr(RfColumn) unit = rf_column_new_sized ("unit", RF_COLUMN_INT64, n_rows);
  RfRng rng;

  rf_rng_init (&rng, 42);
  for (gsize r = 0; r < n_rows; r++)
    {
      rf_column_append_timestamp (time, 1704067200000000 + (gint64) r * 60000000);
      rf_column_append_int64 (unit, (gint64) (r / (n_rows / 10 + 1)) + 1);
    }
  rf_table_add_column (table, time);
  rf_table_add_column (table, unit);
  for (int s = 0; s < N_SENSORS; s++)
    {
      g_autofree char *name = g_strdup_printf ("sensor_%02d", s + 1);
      g_autoptr(RfColumn) column = rf_column_new_sized (name, RF_COLUMN_DOUBLE, n_rows);

      for (gsize r = 0; r < n_rows; r++)
        {
          double u = rf_rng_uniform (&rng);
          if (u < 0.01)
            rf_column_append_null (column);
          else if (u > 0.9999)
            rf_column_append_double (column, 1e4);
          else
            rf_column_append_double (column, 50 + 10 * s + rf_rng_normal (&rng));
        }
      rf_table_add_column (table, column);
    }
  return table;
}

int
main (int argc, char **argv)
{
  gsize n_rows = argc > 1 ? (gsize) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(RfValidationReport) report = NULL;
  g_autoptr(RfCleaningPlan) plan = NULL;
  g_autoptr(RfCleanSummary) summary = NULL;
  g_autoptr(RfTable) cleaned = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t0, t1, t2;
  double validate_s, clean_s;

  if (n_rows == 0)
    {
      fprintf (stderr, "bench-prep: ROWS must be a positive number\n");
      return 2;
    }
  table = make_table (n_rows);

  t0 = g_get_monotonic_time ();
  report = rf_validate_table (table, NULL, NULL, &error);
  t1 = g_get_monotonic_time ();
  if (report == NULL)
    {
      fprintf (stderr, "bench-prep: %s\n", error->message);
      return 1;
    }
  plan = rf_cleaning_plan_suggest (report);
  cleaned = rf_clean_apply (table, plan, &summary, NULL, &error);
  t2 = g_get_monotonic_time ();
  if (cleaned == NULL)
    {
      fprintf (stderr, "bench-prep: %s\n", error->message);
      return 1;
    }
  validate_s = (t1 - t0) / 1e6;
  clean_s = (t2 - t1) / 1e6;
  printf ("rows %" G_GSIZE_FORMAT " × %u columns, %u threads\n", n_rows, rf_table_get_n_columns (table),
          g_get_num_processors ());
  printf ("validation: %.3f s (%" G_GSIZE_FORMAT " warnings, %" G_GSIZE_FORMAT " outliers in sensor_01)\n",
          validate_s, (gsize) report->warnings->len,
          rf_validation_report_find_column (report, "sensor_01")->outliers);
  printf ("cleaning:   %.3f s (%" G_GSIZE_FORMAT " rows out; sensor_01: %" G_GSIZE_FORMAT " filled, %"
          G_GSIZE_FORMAT " clipped)\n", clean_s, summary->rows_out,
          g_array_index (summary->columns, RfColumnCleanSummary, 2).filled,
          g_array_index (summary->columns, RfColumnCleanSummary, 2).clipped);
  printf ("validation + cleaning: %.3f s (target < 1 s)\n", validate_s + clean_s);
  return validate_s + clean_s < 1.0 ? 0 : 1;
}

/* bench-csv-read: how fast the CSV reader turns a sensor log into a table.
 *
 * Writes a seeded sensor log (an ISO 8601 timestamp and 24 double columns,
 * one row per second; about 189 bytes a row) unless it is already there,
 * reads it with rf_csv_read, and prints seconds, MB/s, rows/s, the peak
 * resident memory and how it compares with the size of the table. By default
 * it measures 1,000,000 rows (the headline figure) and 100,000 rows.
 *
 *   bench-csv-read [--rows N] [--dir DIR] [--runs N] [--threads N] [--generate-only]
 *
 * Peak memory is the process's high-water mark (VmHWM), reset before each
 * file is read; the file is written with a small buffer.
 */
#define G_LOG_DOMAIN "bench-csv-read"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rf-csv-reader.h"
#include "rf-rng.h"
#include "rf-timestamp.h"

#define N_SENSORS 24
#define SEED 20240301

static gint64 opt_rows = 0;
static char *opt_dir = NULL;
static gint opt_runs = 3;
static gint opt_threads = 0;
static gboolean opt_generate_only = FALSE;

static GOptionEntry entries[] = {
  { "rows", 'n', 0, G_OPTION_ARG_INT64, &opt_rows, "Rows of the file (default: 1000000, then 100000)", "N" },
  { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &opt_dir, "Where the files go (default: the current folder)", "DIR" },
  { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Reads per file; the best time counts (default 3)", "N" },
  { "threads", 't', 0, G_OPTION_ARG_INT, &opt_threads, "Parser threads (default: one per core)", "N" },
  { "generate-only", 'g', 0, G_OPTION_ARG_NONE, &opt_generate_only, "Only write the file(s)", NULL },
  { NULL },
};

/* User + system CPU seconds of this process so far. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

/* Starts a new peak (Linux 4.0+: "5" to clear_refs resets VmHWM). */
static void
reset_peak_rss (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");

  if (file != NULL)
    {
      fputs ("5", file);
      fclose (file);
    }
}

/* Peak resident set size of this process in bytes (VmHWM). */
static guint64
peak_rss (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) * 1024 : 0;
}

/* Sensors of three kinds, as loggers write them: 123.4567, 25.12, 0.512. */
static void
append_value (GString *out,
              guint    sensor,
              double   level)
{
  switch (sensor % 3)
    {
    case 0:
      g_string_append_printf (out, "%.4f", 100.0 + level * 50.0);
      break;
    case 1:
      g_string_append_printf (out, "%.2f", 20.0 + level * 10.0);
      break;
    default:
      g_string_append_printf (out, "%.3f", 0.5 + level * 0.25);
      break;
    }
}

static gboolean
generate (const char  *path,
          gint64       rows,
          GError     **error)
{
  g_autofree char *tmp = g_strconcat (path, ".part", NULL);
  g_autoptr(GString) line = g_string_sized_new (256);
  double level[N_SENSORS] = { 0 };
  gint64 start = rf_timestamp_from_civil (2024, 3, 1, 0, 0, 0, 0);
  RfRng rng;
  FILE *file;

  rf_rng_init (&rng, SEED);
  file = fopen (tmp, "w");
  if (file == NULL)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "Cannot write %s: %s", tmp,
                   g_strerror (errno));
      return FALSE;
    }
  fputs ("timestamp", file);
  for (guint s = 0; s < N_SENSORS; s++)
    fprintf (file, ",sensor_%02u", s + 1);
  fputc ('\n', file);
  for (gint64 r = 0; r < rows; r++)
    {
      g_string_truncate (line, 0);
      rf_timestamp_format (start + r * G_USEC_PER_SEC, line);
      for (guint s = 0; s < N_SENSORS; s++)
        {
          /* a bounded random walk, like a slowly drifting sensor */
          level[s] = CLAMP (level[s] * 0.98 + (rf_rng_uniform (&rng) - 0.5) * 0.2, -1.0, 1.0);
          g_string_append_c (line, ',');
          append_value (line, s, level[s]);
        }
      g_string_append_c (line, '\n');
      fwrite (line->str, 1, line->len, file);
    }
  if (fclose (file) != 0 || g_rename (tmp, path) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "Cannot write %s: %s", path,
                   g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static gboolean
bench_file (gint64   rows,
            GError **error)
{
  g_autofree char *name = g_strdup_printf ("bench-csv-%" G_GINT64_FORMAT ".csv", rows);
  g_autofree char *path = g_build_filename (opt_dir != NULL ? opt_dir : ".", name, NULL);
  RfCsvTuning tuning = { 0 };
  double best = G_MAXDOUBLE;
  gsize table_bytes = 0;
  GStatBuf st;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      gint64 t0 = g_get_monotonic_time ();
      if (!generate (path, rows, error))
        return FALSE;
      g_print ("wrote %s in %.1f s\n", path, (g_get_monotonic_time () - t0) / 1e6);
    }
  if (g_stat (path, &st) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "Cannot stat %s", path);
      return FALSE;
    }
  if (opt_generate_only)
    {
      g_print ("%s: %" G_GINT64_FORMAT " rows, %.1f MB\n", path, rows, st.st_size / 1e6);
      return TRUE;
    }

  tuning.n_threads = (guint) MAX (opt_threads, 0);
  reset_peak_rss ();
  for (gint run = 0; run < MAX (opt_runs, 1); run++)
    {
      g_autoptr(RfTable) table = NULL;
      gint64 t0 = g_get_monotonic_time ();
      double cpu0 = cpu_seconds (), seconds;

      table = rf_csv_read_tuned (path, &tuning, NULL, NULL, NULL, NULL, error);
      seconds = (g_get_monotonic_time () - t0) / 1e6;
      if (table == NULL)
        return FALSE;
      if (rf_table_get_n_rows (table) != (gsize) rows || rf_table_get_n_columns (table) != N_SENSORS + 1 ||
          rf_table_get_column (table, 0)->type != RF_COLUMN_TIMESTAMP ||
          rf_table_get_column (table, 1)->type != RF_COLUMN_DOUBLE)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s read back wrong: %zu rows, %u columns",
                       path, rf_table_get_n_rows (table), rf_table_get_n_columns (table));
          return FALSE;
        }
      table_bytes = rf_table_get_memory_size (table);
      best = MIN (best, seconds);
      g_print ("  run %d: %.3f s (%.3f s of CPU)\n", run + 1, seconds, cpu_seconds () - cpu0);
    }

  {
    guint64 rss = peak_rss ();
    g_print ("%" G_GINT64_FORMAT " rows x %d columns, %.1f MB: %.3f s, %.0f MB/s, %.2f M rows/s; "
             "table %.1f MB, peak RSS %.1f MB (%.2fx the table; table/RSS %.2f); %u threads\n",
             rows, N_SENSORS + 1, st.st_size / 1e6, best, st.st_size / 1e6 / best, rows / best / 1e6,
             table_bytes / 1e6, rss / 1e6, (double) rss / table_bytes, (double) table_bytes / rss,
             tuning.n_threads > 0 ? tuning.n_threads : g_get_num_processors ());
  }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- benchmark the CSV reader");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_rows > 0)
    {
      if (!bench_file (opt_rows, &error))
        goto fail;
    }
  else if (!bench_file (1000000, &error) || !bench_file (100000, &error))
    goto fail;
  g_free (opt_dir);
  return 0;

fail:
  g_printerr ("bench-csv-read: %s\n", error->message);
  g_free (opt_dir);
  return 1;
}

/* bench-parquet: how fast the Parquet writer and reader move a sensor log,
 * and how that compares with DuckDB on the same files in the same run.
 *
 * The table: a timestamp (one row per second) and 24 double sensors
 * (seeded bounded random walks rounded as loggers round them: 123.4567,
 * 25.12, 0.512), 1,000,000 rows by default. For ZSTD and SNAPPY it writes
 * the table (best of --runs), reads the file back (best of --runs), and
 * prints seconds, MB/s of file and of uncompressed values, rows/s and the
 * peak resident memory of each side. Writing and reading run in separate
 * child processes, so each peak is its own (the writer's includes the table
 * it writes; the table's size is printed beside it).
 *
 * Then DuckDB (the parquet-oracle's install of @duckdb/node-api, two threads)
 * reads the same files and writes them again from a table in memory with the
 * same codec (bench/duckdb-parquet-timing.js), and the ratios
 * Refinery / DuckDB are printed. Without node, npm or the npm registry that
 * part is skipped with a loud message.
 *
 *   bench-parquet [--rows N] [--dir DIR] [--runs N] [--threads N] [--no-duckdb]
 */
#define G_LOG_DOMAIN "bench-parquet"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rf-parquet-codec.h"
#include "rf-parquet-reader.h"
#include "rf-parquet-writer.h"
#include "rf-rng.h"
#include "rf-timestamp.h"

#define N_SENSORS 24
#define SEED 20240301

static gint64 opt_rows = 1000000;
static char *opt_dir = NULL;
static gint opt_runs = 3;
static gint opt_threads = 0;
static gboolean opt_no_duckdb = FALSE;

static GOptionEntry entries[] = {
  { "rows", 'n', 0, G_OPTION_ARG_INT64, &opt_rows, "Rows of the table (default 1000000)", "N" },
  { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &opt_dir, "Where the files go (default: a temporary folder)", "DIR" },
  { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Writes and reads per codec; the best time counts (default 3)", "N" },
  { "threads", 't', 0, G_OPTION_ARG_INT, &opt_threads, "Writer threads (default: one per core)", "N" },
  { "no-duckdb", 0, 0, G_OPTION_ARG_NONE, &opt_no_duckdb, "Do not time DuckDB", NULL },
  { NULL },
};

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

static RfTable *
make_table (gsize rows)
{
  RfTable *table = rf_table_new ();
  RfColumn *time = rf_column_new_sized ("timestamp", RF_COLUMN_TIMESTAMP, rows);
  RfColumn *sensors[N_SENSORS];
  double level[N_SENSORS] = { 0 };
  gint64 start = rf_timestamp_from_civil (2024, 3, 1, 0, 0, 0, 0);
  RfRng rng;

  rf_rng_init (&rng, SEED);
  rf_column_set_role (time, RF_ROLE_TIMESTAMP);
  rf_column_append_zeros (time, rows);
  for (guint s = 0; s < N_SENSORS; s++)
    {
      g_autofree char *name = g_strdup_printf ("sensor_%02u", s + 1);

      sensors[s] = rf_column_new_sized (name, RF_COLUMN_DOUBLE, rows);
      rf_column_set_unit (sensors[s], s % 3 == 0 ? "°C" : s % 3 == 1 ? "bar" : "mm/s");
      rf_column_append_zeros (sensors[s], rows);
    }
  for (gsize r = 0; r < rows; r++)
    {
      time->values.i64[r] = start + (gint64) r * G_USEC_PER_SEC;
      for (guint s = 0; s < N_SENSORS; s++)
        {
          /* a bounded random walk, like a slowly drifting sensor */
          level[s] = CLAMP (level[s] * 0.98 + (rf_rng_uniform (&rng) - 0.5) * 0.2, -1.0, 1.0);
          switch (s % 3)
            {
            case 0:
              sensors[s]->values.f64[r] = round ((100.0 + level[s] * 50.0) * 1e4) / 1e4;
              break;
            case 1:
              sensors[s]->values.f64[r] = round ((20.0 + level[s] * 10.0) * 1e2) / 1e2;
              break;
            default:
              sensors[s]->values.f64[r] = round ((0.5 + level[s] * 0.25) * 1e3) / 1e3;
              break;
            }
        }
    }
  rf_table_add_column (table, time);
  rf_column_unref (time);
  for (guint s = 0; s < N_SENSORS; s++)
    {
      rf_table_add_column (table, sensors[s]);
      rf_column_unref (sensors[s]);
    }
  return table;
}

/* What a child measured: best seconds and peak RSS. */
typedef struct
{
  double seconds;
  guint64 peak;
  guint64 table_bytes;
  gboolean ok;
} Measure;

static void
child_write (const char *path,
             RfPqCodec   codec,
             Measure    *m)
{
  g_autoptr(RfTable) table = make_table ((gsize) opt_rows);
  RfParquetWriteOptions options;

  rf_parquet_write_options_init (&options);
  options.codec = codec;
  options.n_threads = (guint) MAX (opt_threads, 0);
  m->table_bytes = rf_table_get_memory_size (table);
  m->seconds = G_MAXDOUBLE;
  reset_peak_rss ();
  for (int run = 0; run < opt_runs; run++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();

      if (!rf_parquet_write (table, path, &options, NULL, NULL, &error))
        {
          g_printerr ("bench-parquet: %s\n", error->message);
          return;
        }
      m->seconds = MIN (m->seconds, (g_get_monotonic_time () - t0) / 1e6);
    }
  m->peak = peak_rss ();
  m->ok = TRUE;
}

static void
child_read (const char *path,
            Measure    *m)
{
  m->seconds = G_MAXDOUBLE;
  reset_peak_rss ();
  for (int run = 0; run < opt_runs; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RfParquetFile) file = NULL;
      g_autoptr(RfTable) table = NULL;
      gint64 t0 = g_get_monotonic_time ();

      file = rf_parquet_file_open (path, &error);
      if (file != NULL)
        table = rf_parquet_file_read (file, NULL, NULL, NULL, NULL, &error);
      if (table == NULL)
        {
          g_printerr ("bench-parquet: %s\n", error->message);
          return;
        }
      m->seconds = MIN (m->seconds, (g_get_monotonic_time () - t0) / 1e6);
      if (rf_table_get_n_rows (table) != (gsize) opt_rows ||
          rf_table_get_n_columns (table) != N_SENSORS + 1)
        {
          g_printerr ("bench-parquet: %s read back as %" G_GSIZE_FORMAT " rows x %u columns\n",
                      path, rf_table_get_n_rows (table), rf_table_get_n_columns (table));
          return;
        }
      m->table_bytes = rf_table_get_memory_size (table);
    }
  m->peak = peak_rss ();
  m->ok = TRUE;
}

static void
die (const char *what)
{
  g_printerr ("bench-parquet: %s: %s\n", what, g_strerror (errno));
  exit (1);
}

/* Runs the write (codec set) or the read (read TRUE) in a child process,
 * which sends its Measure back through a pipe. */
static Measure
in_child (const char *path,
          RfPqCodec   codec,
          gboolean    read_back)
{
  Measure m = { 0 };
  gsize got = 0;
  int fds[2];
  pid_t pid;

  if (pipe (fds) != 0)
    die ("pipe");
  fflush (stdout);
  pid = fork ();
  if (pid < 0)
    die ("fork");
  if (pid == 0)
    {
      close (fds[0]);
      if (read_back)
        child_read (path, &m);
      else
        child_write (path, codec, &m);
      _exit (write (fds[1], &m, sizeof m) == sizeof m ? 0 : 1);
    }
  close (fds[1]);
  while (got < sizeof m)
    {
      gssize n = read (fds[0], (char *) &m + got, sizeof m - got);

      if (n <= 0)
        break;
      got += (gsize) n;
    }
  close (fds[0]);
  waitpid (pid, NULL, 0);
  if (got < sizeof m)
    m.ok = FALSE;
  return m;
}

typedef struct
{
  gboolean ok;
  char *version;
  double read_s;                /* sums over every column */
  double load_s;                /* every value into an in-memory table */
  double write_s;
} DuckTiming;

/* Why DuckDB cannot be timed, or NULL when it can: node, npm, and the
 * oracle's install of DuckDB (which `parquet-oracle check` makes). */
static char *
prepare_duckdb (const char *oracle,
                const char *file)
{
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *npm = g_find_program_in_path ("npm");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { node, oracle, "check", file, NULL };
  int status;

  if (node == NULL || npm == NULL)
    return g_strdup ("node or npm is not installed (apt-get install nodejs npm)");
  if (!g_file_test (oracle, G_FILE_TEST_EXISTS))
    return g_strdup_printf ("the oracle %s is missing (set RF_SHARED_DIR)", oracle);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error))
    return g_strdup (error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    return g_strdup_printf ("parquet-oracle check failed (npm registry unreachable?): %s%s",
                            out, err);
  return NULL;
}

static DuckTiming
time_duckdb (const char *script,
             const char *file,
             const char *codec,
             const char *out_file)
{
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *runs = g_strdup_printf ("%d", opt_runs);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *argv[] = { node, script, file, codec, out_file, runs, "2", NULL };
  DuckTiming timing = { 0 };
  JsonObject *object;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, &error) ||
      !json_parser_load_from_data (parser, out, -1, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_printerr ("bench-parquet: DuckDB timing of %s failed: %s %s\n", file,
                  error != NULL ? error->message : "no JSON object", err != NULL ? err : "");
      return timing;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  timing.version = g_strdup (json_object_get_string_member_with_default (object, "duckdb", "?"));
  timing.read_s = json_object_get_double_member_with_default (object, "read_s", NAN);
  timing.load_s = json_object_get_double_member_with_default (object, "load_s", NAN);
  timing.write_s = json_object_get_double_member_with_default (object, "write_s", NAN);
  timing.ok = TRUE;
  return timing;
}

static guint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (guint64) st.st_size : 0;
}

static void
print_row (const char    *codec,
           const char    *side,
           const Measure *m,
           guint64        size,
           guint64        values)
{
  if (!m->ok)
    {
      g_print ("%-7s %-6s failed\n", codec, side);
      return;
    }
  g_print ("%-7s %-6s %8.3f %10.1f %12.1f %12.0f %9.1f MB %9.1f MB\n", codec, side, m->seconds,
           size / 1e6 / m->seconds, values / 1e6 / m->seconds, opt_rows / m->seconds,
           m->peak / 1e6, m->table_bytes / 1e6);
}

int
main (int    argc,
      char **argv)
{
  static const struct
  {
    RfPqCodec codec;
    const char *name;
  } codecs[] = { { RF_PQ_CODEC_ZSTD, "zstd" }, { RF_PQ_CODEC_SNAPPY, "snappy" } };
  g_autoptr(GOptionContext) context = g_option_context_new ("- time the Parquet writer and reader");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *oracle = NULL;
  g_autofree char *script = g_build_filename (RF_BENCH_SOURCE_DIR, "duckdb-parquet-timing.js", NULL);
  g_autofree char *duck_skip = NULL;
  const char *shared = g_getenv ("RF_SHARED_DIR");
  guint64 values;
  Measure writes[G_N_ELEMENTS (codecs)], reads[G_N_ELEMENTS (codecs)];
  guint64 sizes[G_N_ELEMENTS (codecs)];
  char *paths[G_N_ELEMENTS (codecs)];
  gboolean failed = FALSE;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-parquet: %s\n", error->message);
      return 2;
    }
  if (opt_rows < 1 || opt_runs < 1)
    {
      g_printerr ("bench-parquet: --rows and --runs must be at least 1\n");
      return 2;
    }
  if (opt_dir != NULL)
    dir = g_strdup (opt_dir);
  else if ((dir = g_dir_make_tmp ("bench-parquet-XXXXXX", &error)) == NULL)
    {
      g_printerr ("bench-parquet: %s\n", error->message);
      return 1;
    }
  oracle = shared != NULL ? g_build_filename (shared, "tools", "parquet-oracle", NULL)
                          : g_build_filename (RF_BENCH_SOURCE_DIR, "..", "..", "shared", "tools",
                                              "parquet-oracle", NULL);

  /* The timestamp and the sensors: 8 bytes a value. */
  values = (guint64) opt_rows * (N_SENSORS + 1) * 8;
  g_print ("Refinery Parquet: %" G_GINT64_FORMAT " rows x %d columns (timestamp + %d doubles, "
           "%.1f MB of values), %u writer threads, %u cores, best of %d\n",
           opt_rows, N_SENSORS + 1, N_SENSORS, values / 1e6,
           opt_threads > 0 ? (guint) opt_threads : g_get_num_processors (),
           g_get_num_processors (), opt_runs);
  g_print ("%-7s %-6s %8s %10s %12s %12s %12s %12s\n", "codec", "side", "seconds", "file MB/s",
           "values MB/s", "rows/s", "peak RSS", "table");
  for (guint c = 0; c < G_N_ELEMENTS (codecs); c++)
    {
      g_autofree char *name = g_strdup_printf ("sensors-%s.parquet", codecs[c].name);

      paths[c] = g_build_filename (dir, name, NULL);
      writes[c] = in_child (paths[c], codecs[c].codec, FALSE);
      sizes[c] = file_size (paths[c]);
      print_row (codecs[c].name, "write", &writes[c], sizes[c], values);
      reads[c] = writes[c].ok ? in_child (paths[c], codecs[c].codec, TRUE) : (Measure) { 0 };
      print_row (codecs[c].name, "read", &reads[c], sizes[c], values);
      g_print ("%-7s file   %.1f MB (%.2f of the values' size)\n", codecs[c].name, sizes[c] / 1e6,
               (double) sizes[c] / values);
      failed |= !writes[c].ok || !reads[c].ok;
    }

  if (opt_no_duckdb)
    g_print ("DuckDB: not timed (--no-duckdb)\n");
  else if (failed)
    g_print ("DuckDB: not timed (Refinery's side failed)\n");
  else if ((duck_skip = prepare_duckdb (oracle, paths[0])) != NULL)
    {
      g_printerr ("\n"
                  "**********************************************************************\n"
                  "* bench-parquet: DuckDB NOT TIMED: %s\n"
                  "* The Refinery/DuckDB ratios are missing from this run.\n"
                  "**********************************************************************\n\n",
                  duck_skip);
      g_print ("DuckDB: SKIPPED (%s)\n", duck_skip);
    }
  else
    {
      g_print ("DuckDB on the same files, 2 threads, best of %d; ratio = Refinery / DuckDB\n"
               "  write: COPY from an in-memory table with the same codec\n"
               "  read:  sums over every column (values decoded, no table built)\n"
               "  load:  CREATE TABLE AS SELECT * (every value into a table, as Refinery reads)\n",
               opt_runs);
      for (guint c = 0; c < G_N_ELEMENTS (codecs); c++)
        {
          g_autofree char *name = g_strdup_printf ("duckdb-%s.parquet", codecs[c].name);
          g_autofree char *out = g_build_filename (dir, name, NULL);
          DuckTiming timing = time_duckdb (script, paths[c], codecs[c].name, out);

          if (!timing.ok)
            {
              failed = TRUE;
              continue;
            }
          g_print ("%-7s write  DuckDB %.3f s (%s, %.1f MB)  Refinery %.3f s  ratio %.2f "
                   "(target <= 1.5)\n", codecs[c].name, timing.write_s, timing.version,
                   file_size (out) / 1e6, writes[c].seconds, writes[c].seconds / timing.write_s);
          g_print ("%-7s read   DuckDB %.3f s  Refinery %.3f s  ratio %.2f (target <= 1.0)\n",
                   codecs[c].name, timing.read_s, reads[c].seconds, reads[c].seconds / timing.read_s);
          g_print ("%-7s load   DuckDB %.3f s  Refinery %.3f s  ratio %.2f\n", codecs[c].name,
                   timing.load_s, reads[c].seconds, reads[c].seconds / timing.load_s);
          g_unlink (out);
          g_free (timing.version);
        }
    }

  for (guint c = 0; c < G_N_ELEMENTS (codecs); c++)
    {
      if (opt_dir == NULL)
        g_unlink (paths[c]);
      g_free (paths[c]);
    }
  if (opt_dir == NULL)
    g_rmdir (dir);
  return failed ? 1 : 0;
}

/* test-parquet-oracle.c: Parquet interop with DuckDB, an independent
 * implementation, through ../shared/tools/parquet-oracle.
 *
 *   Refinery writes → DuckDB reads: every column type with missing values,
 *   special doubles, unicode and awkward strings, each codec, several row
 *   groups, dictionary and PLAIN strings; `parquet-oracle csv` must print
 *   exactly what this file's formatter renders from the table (the oracle's
 *   CSV conventions, see its header), and `parquet-oracle schema` must show
 *   the expected DuckDB types, codec and the refinery.schema key.
 *
 *   DuckDB writes → Refinery reads: a CSV made here is written by
 *   `parquet-oracle write` with each codec, data pages v1 and v2, several
 *   row groups, and read back with rf_parquet_read: identical values.
 *
 * The oracle needs node and npm, and the npm registry the first time (it
 * installs @duckdb/node-api). When they are missing the tests skip with a
 * loud message; they never pass without DuckDB having looked. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <json-glib/json-glib.h>

#include "rf-error.h"
#include "rf-parquet-codec.h"
#include "rf-parquet-reader.h"
#include "rf-parquet-writer.h"
#include "rf-rng.h"
#include "rf-test-util.h"
#include "rf-timestamp.h"

/* ---- Running the oracle -------------------------------------------------- */

static char *oracle_path;
static char *node_path;
static char *oracle_unavailable;   /* why the oracle cannot run; NULL: it can */
static gboolean oracle_checked;

static void
skip_loudly (const char *why)
{
  g_printerr ("\n"
              "**********************************************************************\n"
              "* %s: SKIPPED, DuckDB did not check anything:\n"
              "*   %s\n"
              "**********************************************************************\n",
              g_test_get_path (), why);
  g_test_skip (why);
}

/* Runs `node parquet-oracle ARGS`; returns the exit status (-1: no exit). */
static int
run_oracle (char              **out,
            char              **err,
            const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, node_path);
  g_ptr_array_add (argv, oracle_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &status, &error);
  g_assert_no_error (error);
  if (!WIFEXITED (status))
    return -1;
  return WEXITSTATUS (status);
}

#define oracle(out, err, ...) run_oracle (out, err, (const char * const[]) { __VA_ARGS__, NULL })

/* Whether the oracle can run here; skips the current test loudly when not.
 * The first call runs `parquet-oracle check` on a small file Refinery
 * wrote, which installs DuckDB if needed. */
static gboolean
oracle_ready (void)
{
  if (!oracle_checked)
    {
      g_autofree char *path = rf_test_shared_path ("tools/parquet-oracle");
      g_autofree char *npm = g_find_program_in_path ("npm");

      oracle_checked = TRUE;
      node_path = g_find_program_in_path ("node");
      if (path == NULL)
        oracle_unavailable = g_strdup ("the shared folder with tools/parquet-oracle is missing");
      else if (node_path == NULL || npm == NULL)
        oracle_unavailable = g_strdup ("node or npm is not installed (apt-get install nodejs npm)");
      else
        {
          g_autoptr(RfTable) table = rf_table_new ();
          g_autoptr(RfColumn) column = rf_column_new ("x", RF_COLUMN_DOUBLE);
          g_autoptr(GError) error = NULL;
          g_autofree char *dir = rf_test_make_temp_dir ();
          g_autofree char *file = g_build_filename (dir, "probe.parquet", NULL);
          g_autofree char *out = NULL;
          g_autofree char *err = NULL;
          int status;

          oracle_path = g_steal_pointer (&path);
          rf_column_append_double (column, 1.5);
          rf_table_add_column (table, column);
          g_assert_true (rf_parquet_write (table, file, NULL, NULL, NULL, &error));
          g_assert_no_error (error);
          status = oracle (&out, &err, "check", file);
          rf_test_remove_tree (dir);
          /* The oracle says why it could not install DuckDB; anything else
           * failing is a real failure. */
          if (status != 0 && strstr (err, "npm install") != NULL)
            {
              /* Its own line, not npm's many (a skip message is one TAP line). */
              const char *line = strstr (err, "parquet-oracle: npm install");
              g_autofree char *reason = g_strndup (line != NULL ? line : err,
                                                   strcspn (line != NULL ? line : err, "\n"));

              oracle_unavailable = g_strdup_printf ("DuckDB could not be installed: %s", reason);
            }
          else if (status != 0)
            g_error ("parquet-oracle check of a one-value file failed (%d): %s%s", status, out, err);
        }
    }
  if (oracle_unavailable != NULL)
    {
      skip_loudly (oracle_unavailable);
      return FALSE;
    }
  return TRUE;
}

/* ---- The oracle's CSV, rendered from a table ----------------------------- */

/* DuckDB quotes empty strings (an empty unquoted field is NULL) and values
 * holding the delimiter, a quote, a line break or '#'. */
static void
append_csv_text (GString    *out,
                 const char *text,
                 gsize       length)
{
  gboolean quote = length == 0;

  for (gsize i = 0; i < length && !quote; i++)
    quote = strchr (",\"\n\r#", text[i]) != NULL && text[i] != '\0';
  if (!quote)
    {
      g_string_append_len (out, text, (gssize) length);
      return;
    }
  g_string_append_c (out, '"');
  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, text[i]);
    }
  g_string_append_c (out, '"');
}

/* Shortest round-trip digits, laid out as Python's repr does (and DuckDB):
 * fixed notation with ".0" for exponents -4..15, else d.ddde±XX. */
static void
append_csv_double (GString *out,
                   double   value)
{
  char digits[40];
  int precision, exponent, n_digits;
  char mantissa[24];
  const char *e;

  if (isnan (value))
    {
      g_string_append (out, "nan");
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value < 0 ? "-inf" : "inf");
      return;
    }
  for (precision = 0; precision < 17; precision++)
    {
      g_snprintf (digits, sizeof digits, "%.*e", precision, value);
      if (g_ascii_strtod (digits, NULL) == value)
        break;
    }
  /* digits: [-]d[.ddd]e±XX */
  e = strchr (digits, 'e');
  exponent = atoi (e + 1);
  n_digits = 0;
  for (const char *p = digits; p < e; p++)
    if (g_ascii_isdigit (*p))
      mantissa[n_digits++] = *p;
  mantissa[n_digits] = '\0';
  while (n_digits > 1 && mantissa[n_digits - 1] == '0')
    mantissa[--n_digits] = '\0';
  if (signbit (value))
    g_string_append_c (out, '-');
  if (exponent >= -4 && exponent < 16)
    {
      if (exponent < 0)
        {
          g_string_append (out, "0.");
          for (int i = -1; i > exponent; i--)
            g_string_append_c (out, '0');
          g_string_append (out, mantissa);
        }
      else
        {
          for (int i = 0; i <= exponent; i++)
            g_string_append_c (out, i < n_digits ? mantissa[i] : '0');
          g_string_append_c (out, '.');
          if (n_digits > exponent + 1)
            g_string_append (out, mantissa + exponent + 1);
          else
            g_string_append_c (out, '0');
        }
    }
  else
    {
      g_string_append_c (out, mantissa[0]);
      if (n_digits > 1)
        g_string_append_printf (out, ".%s", mantissa + 1);
      g_string_append_printf (out, "e%c%02d", exponent < 0 ? '-' : '+', ABS (exponent));
    }
}

/* 'YYYY-MM-DD HH:MM:SS[.fraction]+00', trailing zeros of the fraction
 * dropped. */
static void
append_csv_timestamp (GString *out,
                      gint64   usec)
{
  int year, month, day, hour, minute, second, micro;

  rf_timestamp_to_civil (usec, &year, &month, &day, &hour, &minute, &second, &micro);
  g_string_append_printf (out, "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute,
                          second);
  if (micro != 0)
    {
      char fraction[8];
      int n = 6;

      g_snprintf (fraction, sizeof fraction, "%06d", micro);
      while (fraction[n - 1] == '0')
        n--;
      fraction[n] = '\0';
      g_string_append_printf (out, ".%s", fraction);
    }
  g_string_append (out, "+00");
}

static char *
expected_csv (const RfTable *table)
{
  GString *out = g_string_new (NULL);
  guint n_columns = rf_table_get_n_columns (table);

  for (guint c = 0; c < n_columns; c++)
    {
      const char *name = rf_table_get_column (table, c)->name;

      if (c > 0)
        g_string_append_c (out, ',');
      append_csv_text (out, name, strlen (name));
    }
  g_string_append_c (out, '\n');
  for (gsize r = 0; r < rf_table_get_n_rows (table); r++)
    {
      for (guint c = 0; c < n_columns; c++)
        {
          const RfColumn *column = rf_table_get_column (table, c);

          if (c > 0)
            g_string_append_c (out, ',');
          if (!rf_column_is_valid (column, r))
            continue;
          switch (column->type)
            {
            case RF_COLUMN_DOUBLE:
              append_csv_double (out, column->values.f64[r]);
              break;
            case RF_COLUMN_INT64:
              g_string_append_printf (out, "%" G_GINT64_FORMAT, column->values.i64[r]);
              break;
            case RF_COLUMN_BOOL:
              g_string_append (out, column->values.u8[r] ? "true" : "false");
              break;
            case RF_COLUMN_TIMESTAMP:
              append_csv_timestamp (out, column->values.i64[r]);
              break;
            case RF_COLUMN_STRING:
              {
                gsize length;
                const char *value = rf_column_get_string (column, r, &length);

                append_csv_text (out, value, length);
              }
              break;
            default:
              g_assert_not_reached ();
            }
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* The formatter itself, on values whose DuckDB rendering was looked up. */
static void
test_formatter (void)
{
  static const struct
  {
    double value;
    const char *text;
  } doubles[] = {
    { 1.0, "1.0" }, { 0.1, "0.1" }, { 1e15, "1000000000000000.0" }, { 1e16, "1e+16" },
    { 123456789012345678.0, "1.2345678901234568e+17" }, { 1e-4, "0.0001" }, { 1e-5, "1e-05" },
    { 0.00012345, "0.00012345" }, { 1.5e-7, "1.5e-07" }, { -0.0, "-0.0" }, { NAN, "nan" },
    { INFINITY, "inf" }, { -INFINITY, "-inf" }, { 1.7976931348623157e308, "1.7976931348623157e+308" },
    { 5e-324, "5e-324" }, { 1.0 / 3.0, "0.3333333333333333" }, { 1234567.0, "1234567.0" },
    { -2.5, "-2.5" }, { 2.5e-300, "2.5e-300" }, { 12.0625, "12.0625" },
  };
  static const struct
  {
    gint64 usec;
    const char *text;
  } timestamps[] = {
    { 0, "1970-01-01 00:00:00+00" }, { -1, "1969-12-31 23:59:59.999999+00" },
    { 1500000, "1970-01-01 00:00:01.5+00" }, { -62135596800000000, "0001-01-01 00:00:00+00" },
    { 253402300799999999, "9999-12-31 23:59:59.999999+00" }, { 120000, "1970-01-01 00:00:00.12+00" },
  };
  static const struct
  {
    const char *value;
    const char *text;
  } texts[] = {
    { "plain", "plain" }, { "", "\"\"" }, { "a,b", "\"a,b\"" }, { "q\"q", "\"q\"\"q\"" },
    { "line\nbreak", "\"line\nbreak\"" }, { " lead", " lead" }, { "x#", "\"x#\"" },
    { "semi;x", "semi;x" }, { "back\\slash", "back\\slash" }, { "cr\rx", "\"cr\rx\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      append_csv_double (out, doubles[i].value);
      g_assert_cmpstr (out->str, ==, doubles[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (timestamps); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      append_csv_timestamp (out, timestamps[i].usec);
      g_assert_cmpstr (out->str, ==, timestamps[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      append_csv_text (out, texts[i].value, strlen (texts[i].value));
      g_assert_cmpstr (out->str, ==, texts[i].text);
    }
}

/* ---- Refinery writes, DuckDB reads -------------------------------------- */

static void
add (RfTable  *table,
     RfColumn *column)
{
  rf_table_add_column (table, column);
  rf_column_unref (column);
}

/* Every type, missing values in every column, the awkward values first. */
static RfTable *
interop_table (gsize   n,
               guint64 seed)
{
  static const double special[] = {
    NAN, INFINITY, -INFINITY, -0.0, 0.0, 1e16, 1e-5, 5e-324, 1.7976931348623157e308, 0.1,
  };
  static const gint64 extremes[] = { G_MININT64, G_MAXINT64, -1, 0 };
  static const gint64 times[] = {
    -62135596800000000, -1, 0, 253402300799999999, -14182940000000, 1709251200123456,
  };
  static const char *texts[] = {
    "", "plain", "a,b", "say \"hi\"", "two\nlines", "日本語のセンサー", "Zürich", "emoji 🌡",
    "#tag", " spaced ", "back\\slash",
  };
  RfTable *table = rf_table_new ();
  RfColumn *d = rf_column_new ("vibration mm/s", RF_COLUMN_DOUBLE);
  RfColumn *i = rf_column_new ("count", RF_COLUMN_INT64);
  RfColumn *b = rf_column_new ("running", RF_COLUMN_BOOL);
  RfColumn *s = rf_column_new ("state, text", RF_COLUMN_STRING);
  RfColumn *t = rf_column_new ("time", RF_COLUMN_TIMESTAMP);
  RfColumn *full = rf_column_new ("required", RF_COLUMN_DOUBLE);
  RfRng rng;

  rf_rng_init (&rng, seed);
  for (gsize r = 0; r < n; r++)
    {
      gboolean gap = rf_rng_below (&rng, 6) == 0;

      if (r < G_N_ELEMENTS (special))
        rf_column_append_double (d, special[r]);
      else if (gap)
        rf_column_append_null (d);
      else
        rf_column_append_double (d, round ((rf_rng_uniform (&rng) - 0.5) * 2e6) / 1e3);
      if (r < G_N_ELEMENTS (extremes))
        rf_column_append_int64 (i, extremes[r]);
      else if (rf_rng_below (&rng, 5) == 0)
        rf_column_append_null (i);
      else
        rf_column_append_int64 (i, (gint64) rf_rng_below (&rng, 2000000) - 1000000);
      if (r % 7 == 3)
        rf_column_append_null (b);
      else
        rf_column_append_bool (b, rf_rng_below (&rng, 2));
      if (r % 5 == 4)
        rf_column_append_null (s);
      else
        rf_column_append_string (s, texts[rf_rng_below (&rng, G_N_ELEMENTS (texts))], -1);
      if (r < G_N_ELEMENTS (times))
        rf_column_append_timestamp (t, times[r]);
      else if (r % 9 == 8)
        rf_column_append_null (t);
      else
        rf_column_append_timestamp (t, 1709251200000000 + (gint64) r * 250000 +
                                       (gint64) rf_rng_below (&rng, 1000));
      rf_column_append_double (full, r * 0.5);
    }
  rf_column_set_unit (d, "mm/s");
  add (table, d);
  add (table, i);
  add (table, b);
  add (table, s);
  add (table, t);
  add (table, full);
  return table;
}

static const char *
duckdb_codec_name (RfPqCodec codec)
{
  return codec == RF_PQ_CODEC_UNCOMPRESSED ? "UNCOMPRESSED" : rf_pq_codec_to_string (codec);
}

/* Writes table, then has DuckDB dump it as CSV and describe it. */
static void
check_duckdb_reads (const RfTable               *table,
                    const RfParquetWriteOptions *options,
                    guint                        n_row_groups)
{
  static const char *duckdb_types[] = {
    [RF_COLUMN_DOUBLE] = "DOUBLE",
    [RF_COLUMN_INT64] = "BIGINT",
    [RF_COLUMN_BOOL] = "BOOLEAN",
    [RF_COLUMN_STRING] = "VARCHAR",
    [RF_COLUMN_TIMESTAMP] = "TIMESTAMP WITH TIME ZONE",
  };
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *file = g_build_filename (dir, "refinery.parquet", NULL);
  g_autofree char *expected = expected_csv (table);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *schema = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *array;
  gboolean has_key = FALSE;

  g_assert_true (rf_parquet_write (table, file, options, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (oracle (&out, &err, "csv", file), ==, 0);
  if (g_strcmp0 (out, expected) != 0)
    {
      g_auto(GStrv) got = g_strsplit (out, "\n", -1);
      g_auto(GStrv) want = g_strsplit (expected, "\n", -1);

      for (guint k = 0; got[k] != NULL && want[k] != NULL; k++)
        if (strcmp (got[k], want[k]) != 0)
          g_error ("DuckDB read %s differently at CSV line %u:\n  DuckDB:   %s\n  expected: %s",
                   rf_pq_codec_to_string (options->codec), k + 1, got[k], want[k]);
      g_error ("DuckDB printed %u lines, expected %u", g_strv_length (got), g_strv_length (want));
    }

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (oracle (&schema, &err, "schema", file), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, schema, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "rows"), ==, rf_table_get_n_rows (table));
  g_assert_cmpint (json_object_get_int_member (root, "row_groups"), ==, n_row_groups);
  g_assert_cmpstr (json_object_get_string_member (root, "created_by"), ==,
                   "refinery version " PACKAGE_VERSION);
  array = json_object_get_array_member (root, "columns");
  g_assert_cmpuint (json_array_get_length (array), ==, rf_table_get_n_columns (table));
  for (guint c = 0; c < rf_table_get_n_columns (table); c++)
    {
      JsonObject *column = json_array_get_object_element (array, c);
      const RfColumn *expected_column = rf_table_get_column (table, c);

      g_assert_cmpstr (json_object_get_string_member (column, "name"), ==, expected_column->name);
      g_assert_cmpstr (json_object_get_string_member (column, "duckdb_type"), ==,
                       duckdb_types[expected_column->type]);
    }
  array = json_object_get_array_member (root, "codecs");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, duckdb_codec_name (options->codec));
  array = json_object_get_array_member (root, "key_value_metadata_keys");
  for (guint k = 0; k < json_array_get_length (array); k++)
    has_key |= g_strcmp0 (json_array_get_string_element (array, k), "refinery.schema") == 0;
  g_assert_true (has_key);
  array = json_object_get_array_member (root, "encodings");
  {
    gboolean dictionary = FALSE;

    for (guint k = 0; k < json_array_get_length (array); k++)
      dictionary |= g_strcmp0 (json_array_get_string_element (array, k), "RLE_DICTIONARY") == 0;
    g_assert_true (dictionary == options->dictionary);
  }
  rf_test_remove_tree (dir);
}

static void
test_duckdb_reads_codecs (void)
{
  static const RfPqCodec codecs[] = {
    RF_PQ_CODEC_ZSTD, RF_PQ_CODEC_SNAPPY, RF_PQ_CODEC_GZIP, RF_PQ_CODEC_UNCOMPRESSED,
    RF_PQ_CODEC_LZ4_RAW, RF_PQ_CODEC_BROTLI,
  };
  g_autoptr(RfTable) table = NULL;

  if (!oracle_ready ())
    return;
  table = interop_table (500, 1);
  for (guint k = 0; k < G_N_ELEMENTS (codecs); k++)
    {
      RfParquetWriteOptions options;

      if (!rf_pq_codec_is_supported (codecs[k]))
        {
          g_test_message ("%s: not in this build", rf_pq_codec_to_string (codecs[k]));
          continue;
        }
      rf_parquet_write_options_init (&options);
      options.codec = codecs[k];
      options.row_group_rows = 150;
      check_duckdb_reads (table, &options, 4);
    }
}

/* PLAIN strings, and pages: one row group of two data pages per column. */
static void
test_duckdb_reads_plain_pages (void)
{
  g_autoptr(RfTable) table = NULL;
  RfParquetWriteOptions options;

  if (!oracle_ready ())
    return;
  table = interop_table (140000, 2);
  rf_parquet_write_options_init (&options);
  options.dictionary = FALSE;
  options.row_group_rows = 140000;
  check_duckdb_reads (table, &options, 1);
}

/* A table of one row, and a table of nothing but missing values. */
static void
test_duckdb_reads_small (void)
{
  g_autoptr(RfTable) one = NULL;
  g_autoptr(RfTable) empty = rf_table_new ();
  RfParquetWriteOptions options;

  if (!oracle_ready ())
    return;
  rf_parquet_write_options_init (&options);
  one = interop_table (1, 3);
  check_duckdb_reads (one, &options, 1);
  for (guint c = 0; c < rf_table_get_n_columns (one); c++)
    {
      RfColumn *column = rf_column_new (rf_table_get_column (one, c)->name,
                                        rf_table_get_column (one, c)->type);

      for (int r = 0; r < 3; r++)
        rf_column_append_null (column);
      add (empty, column);
    }
  options.codec = RF_PQ_CODEC_SNAPPY;
  /* Nothing to put in a dictionary: every chunk is PLAIN. */
  options.dictionary = FALSE;
  check_duckdb_reads (empty, &options, 1);
}

/* ---- DuckDB writes, Refinery reads -------------------------------------- */

typedef struct
{
  RfTable *table;               /* what the CSV holds */
  char *csv;
} DuckSource;

/* A CSV for `parquet-oracle write`, and the table it stands for: doubles
 * printed with 17 digits (exact), NaN and infinities, BIGINT extremes,
 * booleans, strings with quotes, commas, line breaks and unicode, empty
 * strings ("") and NULLs (empty fields), timestamps with and without a
 * zone, before 1970 and with microseconds. */
static void
make_duck_source (DuckSource *source,
                  gsize       n)
{
  static const char *texts[] = {
    "", "plain", "a,b", "say \"hi\"", "two\nlines", "Öl-Temperatur", "日本語", "tab\there",
  };
  GString *csv = g_string_new ("d,i,b,s,t,tz\n");
  RfColumn *d = rf_column_new ("d", RF_COLUMN_DOUBLE);
  RfColumn *i = rf_column_new ("i", RF_COLUMN_INT64);
  RfColumn *b = rf_column_new ("b", RF_COLUMN_BOOL);
  RfColumn *s = rf_column_new ("s", RF_COLUMN_STRING);
  RfColumn *t = rf_column_new ("t", RF_COLUMN_TIMESTAMP);
  RfColumn *tz = rf_column_new ("tz", RF_COLUMN_TIMESTAMP);
  RfRng rng;

  rf_rng_init (&rng, 77);
  source->table = rf_table_new ();
  for (gsize r = 0; r < n; r++)
    {
      double dv = (rf_rng_uniform (&rng) - 0.5) * 1e4;
      gint64 iv = (gint64) rf_rng_next_u64 (&rng);
      gint64 tv = -2000000000000000 + (gint64) rf_rng_below (&rng, G_GINT64_CONSTANT (4000000000000000));

      /* d */
      if (r % 11 == 5)
        rf_column_append_null (d);
      else
        {
          if (r == 1)
            dv = NAN;
          else if (r == 2)
            dv = INFINITY;
          else if (r == 3)
            dv = -INFINITY;
          else if (r == 4)
            dv = -0.0;
          else if (r % 3 == 0)
            dv = round (dv * 100) / 100;
          rf_column_append_double (d, dv);
          if (isnan (dv))
            g_string_append (csv, "nan");
          else if (isinf (dv))
            g_string_append (csv, dv > 0 ? "inf" : "-inf");
          else
            g_string_append_printf (csv, "%.17g", dv);
        }
      g_string_append_c (csv, ',');
      /* i */
      if (r % 13 == 6)
        rf_column_append_null (i);
      else
        {
          if (r == 0)
            iv = G_MININT64;
          else if (r == 1)
            iv = G_MAXINT64;
          else if (r % 2 == 0)
            iv = (gint64) rf_rng_below (&rng, 1000);
          rf_column_append_int64 (i, iv);
          g_string_append_printf (csv, "%" G_GINT64_FORMAT, iv);
        }
      g_string_append_c (csv, ',');
      /* b */
      if (r % 7 == 2)
        rf_column_append_null (b);
      else
        {
          gboolean bv = rf_rng_below (&rng, 2);

          rf_column_append_bool (b, bv);
          g_string_append (csv, bv ? "true" : "false");
        }
      g_string_append_c (csv, ',');
      /* s: mostly a few values (DuckDB uses a dictionary), some distinct */
      if (r % 5 == 1)
        rf_column_append_null (s);
      else
        {
          g_autofree char *value = r % 4 == 0 ? g_strdup_printf ("id-%" G_GSIZE_FORMAT, r)
                                              : g_strdup (texts[rf_rng_below (&rng, G_N_ELEMENTS (texts))]);
          g_autofree char *quoted = NULL;
          g_auto(GStrv) parts = g_strsplit (value, "\"", -1);

          rf_column_append_string (s, value, -1);
          quoted = g_strjoinv ("\"\"", parts);
          g_string_append_printf (csv, "\"%s\"", quoted);
        }
      g_string_append_c (csv, ',');
      /* t: TIMESTAMP */
      if (r % 17 == 9)
        rf_column_append_null (t);
      else
        {
          int year, month, day, hour, minute, second, micro;

          rf_timestamp_to_civil (tv, &year, &month, &day, &hour, &minute, &second, &micro);
          rf_column_append_timestamp (t, tv);
          g_string_append_printf (csv, "%04d-%02d-%02d %02d:%02d:%02d.%06d", year, month, day,
                                  hour, minute, second, micro);
        }
      g_string_append_c (csv, ',');
      /* tz: TIMESTAMPTZ */
      if (r % 19 == 10)
        rf_column_append_null (tz);
      else
        {
          int year, month, day, hour, minute, second, micro;
          gint64 zv = 1709251200000000 + (gint64) r * 1000001;

          rf_timestamp_to_civil (zv, &year, &month, &day, &hour, &minute, &second, &micro);
          rf_column_append_timestamp (tz, zv);
          g_string_append_printf (csv, "%04d-%02d-%02d %02d:%02d:%02d.%06d+00", year, month, day,
                                  hour, minute, second, micro);
        }
      g_string_append_c (csv, '\n');
    }
  add (source->table, d);
  add (source->table, i);
  add (source->table, b);
  add (source->table, s);
  add (source->table, t);
  add (source->table, tz);
  source->csv = g_string_free (csv, FALSE);
}

static void
duck_source_clear (DuckSource *source)
{
  g_clear_pointer (&source->table, rf_table_unref);
  g_clear_pointer (&source->csv, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DuckSource, duck_source_clear)

/* Values equal, bit for bit for doubles (-0.0 and NaN included). */
static void
assert_values_equal (const RfTable *expected,
                     const RfTable *actual,
                     const char    *what)
{
  g_assert_cmpuint (rf_table_get_n_rows (actual), ==, rf_table_get_n_rows (expected));
  g_assert_cmpuint (rf_table_get_n_columns (actual), ==, rf_table_get_n_columns (expected));
  for (guint c = 0; c < rf_table_get_n_columns (expected); c++)
    {
      const RfColumn *e = rf_table_get_column (expected, c);
      const RfColumn *a = rf_table_get_column (actual, c);

      g_assert_cmpstr (a->name, ==, e->name);
      if (a->type != e->type)
        g_error ("%s: column %s read as %s, expected %s", what, e->name,
                 rf_column_type_to_string (a->type), rf_column_type_to_string (e->type));
      for (gsize r = 0; r < e->n_rows; r++)
        {
          gboolean valid = rf_column_is_valid (e, r);
          gboolean same;

          if (rf_column_is_valid (a, r) != valid)
            g_error ("%s: column %s row %" G_GSIZE_FORMAT ": missing is %d, expected %d", what,
                     e->name, r, !rf_column_is_valid (a, r), !valid);
          if (!valid)
            continue;
          switch (e->type)
            {
            case RF_COLUMN_DOUBLE:
              same = memcmp (&a->values.f64[r], &e->values.f64[r], 8) == 0 ||
                     (isnan (a->values.f64[r]) && isnan (e->values.f64[r]));
              break;
            case RF_COLUMN_INT64:
            case RF_COLUMN_TIMESTAMP:
              same = a->values.i64[r] == e->values.i64[r];
              break;
            case RF_COLUMN_BOOL:
              same = a->values.u8[r] == e->values.u8[r];
              break;
            case RF_COLUMN_STRING:
              {
                gsize el, al;
                const char *ev = rf_column_get_string (e, r, &el);
                const char *av = rf_column_get_string (a, r, &al);

                same = el == al && memcmp (ev, av, el) == 0;
              }
              break;
            default:
              g_assert_not_reached ();
            }
          if (!same)
            {
              g_autoptr(GString) got = g_string_new (NULL);
              g_autoptr(GString) want = g_string_new (NULL);

              rf_column_format_value (a, r, got);
              rf_column_format_value (e, r, want);
              g_error ("%s: column %s row %" G_GSIZE_FORMAT ": read %s, expected %s", what,
                       e->name, r, got->str, want->str);
            }
        }
    }
}

static void
test_refinery_reads (void)
{
  static const char *codecs[] = { "uncompressed", "snappy", "gzip", "zstd", "lz4_raw", "brotli" };
  static const char *versions[] = { "v1", "v2" };
  g_auto(DuckSource) source = { 0 };
  g_autofree char *dir = NULL;
  g_autofree char *csv_path = NULL;

  if (!oracle_ready ())
    return;
  make_duck_source (&source, 5000);
  dir = rf_test_make_temp_dir ();
  csv_path = rf_test_write_file (dir, "source.csv", source.csv, -1);
  for (guint k = 0; k < G_N_ELEMENTS (codecs); k++)
    {
      RfPqCodec codec;

      g_assert_true (rf_pq_codec_from_string (codecs[k], &codec));
      if (!rf_pq_codec_is_supported (codec))
        {
          g_test_message ("%s: not in this build", codecs[k]);
          continue;
        }
      for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
        {
          g_autofree char *name = g_strdup_printf ("duckdb-%s-%s.parquet", codecs[k], versions[v]);
          g_autofree char *file = g_build_filename (dir, name, NULL);
          g_autofree char *out = NULL;
          g_autofree char *err = NULL;
          g_autoptr(GError) error = NULL;
          g_autoptr(RfParquetFile) parquet = NULL;
          g_autoptr(RfTable) table = NULL;
          int status;

          status = oracle (&out, &err, "write", csv_path, file, "--codec", codecs[k],
                           "--parquet-version", versions[v], "--row-group-size", "2048",
                           "--types", "d=DOUBLE,i=BIGINT,b=BOOLEAN,s=VARCHAR,t=TIMESTAMP,tz=TIMESTAMPTZ");
          if (status != 0)
            g_error ("parquet-oracle write %s %s failed: %s%s", codecs[k], versions[v], out, err);
          parquet = rf_parquet_file_open (file, &error);
          g_assert_no_error (error);
          /* DuckDB fills row groups by vectors of 2048 rows. */
          g_assert_cmpuint (rf_parquet_file_get_n_row_groups (parquet), >, 1);
          table = rf_parquet_file_read (parquet, NULL, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          assert_values_equal (source.table, table, name);
          g_clear_pointer (&table, rf_table_unref);

          /* The same through the entry point rf_read_file() uses. */
          table = rf_parquet_read (file, NULL, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          assert_values_equal (source.table, table, name);
        }
    }
  rf_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/parquet/oracle/formatter", test_formatter);
  g_test_add_func ("/rf/parquet/oracle/duckdb-reads-codecs", test_duckdb_reads_codecs);
  g_test_add_func ("/rf/parquet/oracle/duckdb-reads-plain-pages", test_duckdb_reads_plain_pages);
  g_test_add_func ("/rf/parquet/oracle/duckdb-reads-small", test_duckdb_reads_small);
  g_test_add_func ("/rf/parquet/oracle/refinery-reads", test_refinery_reads);

  status = g_test_run ();
  g_free (oracle_path);
  g_free (node_path);
  g_free (oracle_unavailable);
  return status;
}

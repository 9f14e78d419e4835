/* test-csv-writer.c: the CSV writer (rf-csv-writer.h): exact output,
 * options, atomic writes, and write → read round trips. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-csv-reader.h"
#include "rf-csv-writer.h"
#include "rf-error.h"
#include "rf-rng.h"
#include "rf-test-util.h"

static char *
write_table (const RfTable            *table,
             const RfCsvWriteOptions  *options,
             gsize                    *length)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (rf_csv_write (table, path, options, NULL, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);
  rf_test_remove_tree (dir);
  return contents;
}

static RfColumn *
strings (const char *name,
         ...)
{
  RfColumn *column = rf_column_new (name, RF_COLUMN_STRING);
  va_list args;
  const char *value;

  va_start (args, name);
  while ((value = va_arg (args, const char *)) != (const char *) 1)
    {
      if (value == NULL)
        rf_column_append_null (column);
      else
        rf_column_append_string (column, value, -1);
    }
  va_end (args);
  return column;
}

static void
add (RfTable  *table,
     RfColumn *column)
{
  rf_table_add_column (table, column);
  rf_column_unref (column);
}

static void
test_quoting (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autofree char *out = NULL;
  gsize length;
  const char *expected =
    "name,\"a,b\",\"say \"\"x\"\"\"\n"
    "plain,1,\n"
    "\"with,comma\",2,\"\"\n"
    "\"with \"\"quote\"\"\",3,\"NA\"\n"
    "\"two\nlines\",4,\"-\"\n"
    "\"cr\rhere\",,ü €\n";

  add (table, strings ("name", "plain", "with,comma", "with \"quote\"", "two\nlines", "cr\rhere", (const char *) 1));
  {
    RfColumn *column = rf_column_new ("a,b", RF_COLUMN_INT64);
    for (int i = 1; i <= 4; i++)
      rf_column_append_int64 (column, i);
    rf_column_append_null (column);
    add (table, column);
  }
  add (table, strings ("say \"x\"", NULL, "", "NA", "-", "ü €", (const char *) 1));

  out = write_table (table, NULL, &length);
  g_assert_cmpstr (out, ==, expected);
  g_assert_cmpuint (length, ==, strlen (expected));
}

static RfTable *
typed_table (void)
{
  RfTable *table = rf_table_new ();
  RfColumn *d = rf_column_new ("d", RF_COLUMN_DOUBLE);
  RfColumn *i = rf_column_new ("i", RF_COLUMN_INT64);
  RfColumn *b = rf_column_new ("b", RF_COLUMN_BOOL);
  RfColumn *t = rf_column_new ("t", RF_COLUMN_TIMESTAMP);
  double doubles[] = { 0.1, 3.0, -0.0, 1e20, 1.5e-7, INFINITY };

  for (gsize k = 0; k < G_N_ELEMENTS (doubles); k++)
    {
      rf_column_append_double (d, doubles[k]);
      rf_column_append_int64 (i, k == 5 ? G_MININT64 : (gint64) k * 1000 - 1);
      rf_column_append_bool (b, k % 2 == 0);
      rf_column_append_timestamp (t, rf_timestamp_from_civil (2024, 3, 1, 12, 0, 0, 0) + (gint64) k * 250000);
    }
  rf_column_append_null (d);
  rf_column_append_null (i);
  rf_column_append_null (b);
  rf_column_append_null (t);
  add (table, d);
  add (table, i);
  add (table, b);
  add (table, t);
  return table;
}

static void
test_types (void)
{
  g_autoptr(RfTable) table = typed_table ();
  g_autofree char *out = write_table (table, NULL, NULL);

  g_assert_cmpstr (out, ==,
                   "d,i,b,t\n"
                   "0.1,-1,true,2024-03-01T12:00:00Z\n"
                   "3.0,999,false,2024-03-01T12:00:00.250Z\n"
                   "-0.0,1999,true,2024-03-01T12:00:00.500Z\n"
                   "1e+20,2999,false,2024-03-01T12:00:00.750Z\n"
                   "1.5e-07,3999,true,2024-03-01T12:00:01Z\n"
                   "inf,-9223372036854775808,false,2024-03-01T12:00:01.250Z\n"
                   ",,,\n");
}

static void
test_options (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autofree char *out = NULL;
  RfCsvWriteOptions options;
  RfColumn *value = rf_column_new ("Wert", RF_COLUMN_DOUBLE);

  rf_column_append_double (value, 21.5);
  rf_column_append_null (value);
  rf_column_append_double (value, 1013.25);
  add (table, value);
  add (table, strings ("Notiz", "a;b", "NA", "x", (const char *) 1));

  rf_csv_write_options_init (&options);
  options.delimiter = ';';
  options.decimal_mark = ',';
  options.header = FALSE;
  options.na_text = "NA";
  options.crlf = TRUE;
  out = write_table (table, &options, NULL);
  g_assert_cmpstr (out, ==, "21,5;\"a;b\"\r\nNA;\"NA\"\r\n1013,25;x\r\n");
  g_clear_pointer (&out, g_free);

  /* a comma decimal mark with a comma delimiter: numbers get quoted */
  options.delimiter = ',';
  options.header = TRUE;
  options.na_text = NULL;
  options.crlf = FALSE;
  out = write_table (table, &options, NULL);
  g_assert_cmpstr (out, ==, "Wert,Notiz\n\"21,5\",a;b\n,\"NA\"\n\"1013,25\",x\n");
}

static void
test_single_column (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTable) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gsize length;
  RfColumn *column = rf_column_new ("v", RF_COLUMN_DOUBLE);

  rf_column_append_double (column, 1.5);
  rf_column_append_null (column);
  rf_column_append_double (column, 2.5);
  add (table, column);
  out = write_table (table, NULL, &length);
  g_assert_cmpstr (out, ==, "v\n1.5\nNA\n2.5\n");
  back = rf_csv_read_bytes ((const guint8 *) out, length, "out.csv", NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (back), ==, 3);
  g_assert_false (rf_column_is_valid (rf_table_get_column (back, 0), 1));
}

static void
test_atomic (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = rf_test_write_file (dir, "keep.csv", "old contents\n", -1);
  g_autofree char *nowhere = g_build_filename (dir, "no", "such", "dir", "x.csv", NULL);
  g_autoptr(RfTable) table = typed_table ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (rf_csv_write (table, path, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "old contents\n");
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);

  g_assert_false (rf_csv_write (table, nowhere, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_IO);
  g_clear_error (&error);

  g_assert_true (rf_csv_write (table, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_true (g_str_has_prefix (contents, "d,i,b,t\n0.1,"));
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);
  rf_test_remove_tree (dir);
}

/* Same names, types, units, missing values and bits. */
static void
assert_same (const RfTable *a,
             const RfTable *b)
{
  g_assert_cmpuint (rf_table_get_n_columns (a), ==, rf_table_get_n_columns (b));
  g_assert_cmpuint (rf_table_get_n_rows (a), ==, rf_table_get_n_rows (b));
  for (guint c = 0; c < rf_table_get_n_columns (a); c++)
    {
      const RfColumn *x = rf_table_get_column (a, c), *y = rf_table_get_column (b, c);

      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpint (x->type, ==, y->type);
      g_assert_cmpuint (x->n_missing, ==, y->n_missing);
      for (gsize r = 0; r < x->n_rows; r++)
        {
          g_assert_cmpint (rf_column_is_valid (x, r), ==, rf_column_is_valid (y, r));
          if (!rf_column_is_valid (x, r))
            continue;
          if (x->type == RF_COLUMN_STRING)
            {
              gsize lx, ly;
              const char *sx = rf_column_get_string (x, r, &lx), *sy = rf_column_get_string (y, r, &ly);
              g_assert_cmpmem (sx, lx, sy, ly);
            }
          else if (x->type == RF_COLUMN_DOUBLE)
            g_assert_cmpmem (&x->values.f64[r], 8, &y->values.f64[r], 8);
          else if (x->type == RF_COLUMN_BOOL)
            g_assert_cmpint (x->values.u8[r], ==, y->values.u8[r]);
          else
            g_assert_cmpint (x->values.i64[r], ==, y->values.i64[r]);
        }
    }
}

static RfTable *
random_table (guint64 seed,
              gsize   rows)
{
  static const char *words[] = { "Pumpe", "valve \"V-7\"", "a,b", "two\nlines", "crlf\r\nhere", "", "NA",
                                 "Kühlwasser °C", "x;y", " padded ", "-", "tab\there", "€ ‰ ™" };
  RfTable *table = rf_table_new ();
  RfColumn *d = rf_column_new ("value [bar]", RF_COLUMN_DOUBLE);
  RfColumn *i = rf_column_new ("count", RF_COLUMN_INT64);
  RfColumn *b = rf_column_new ("ok", RF_COLUMN_BOOL);
  RfColumn *t = rf_column_new ("when", RF_COLUMN_TIMESTAMP);
  RfColumn *s = rf_column_new ("note, free text", RF_COLUMN_STRING);
  RfRng rng;

  rf_rng_init (&rng, seed);
  for (gsize r = 0; r < rows; r++)
    {
      gboolean missing = rf_rng_below (&rng, 10) == 0;
      double v = (rf_rng_uniform (&rng) - 0.5) * pow (10.0, (double) rf_rng_below (&rng, 40) - 20.0);

      if (missing)
        rf_column_append_null (d);
      else
        rf_column_append_double (d, r == 3 ? 42.0 : v);
      if (rf_rng_below (&rng, 10) == 0)
        rf_column_append_null (i);
      else
        rf_column_append_int64 (i, (gint64) rf_rng_next_u64 (&rng) >> (rf_rng_below (&rng, 60)));
      if (rf_rng_below (&rng, 10) == 0)
        rf_column_append_null (b);
      else
        rf_column_append_bool (b, rf_rng_below (&rng, 2));
      if (rf_rng_below (&rng, 10) == 0)
        rf_column_append_null (t);
      else
        rf_column_append_timestamp (t, rf_timestamp_from_civil (2024, 3, 1, 0, 0, 0, 0) +
                                       (gint64) rf_rng_below (&rng, G_GINT64_CONSTANT (86400000000000)));
      if (rf_rng_below (&rng, 10) == 0)
        rf_column_append_null (s);
      else
        rf_column_append_string (s, words[rf_rng_below (&rng, G_N_ELEMENTS (words))], -1);
    }
  add (table, d);
  add (table, i);
  add (table, b);
  add (table, t);
  add (table, s);
  return table;
}

static void
round_trip (const RfTable           *table,
            const RfCsvWriteOptions *options)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "round.csv", NULL);
  g_autoptr(RfReadReport) report = rf_read_report_new (path);
  g_autoptr(RfTable) back = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_csv_write (table, path, options, NULL, NULL, &error));
  g_assert_no_error (error);
  back = rf_csv_read (path, NULL, report, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_same (table, back);
  g_assert_cmpuint (report->warnings->len, ==, 0);
  if (options != NULL)
    {
      g_assert_cmpint (report->delimiter, ==, options->delimiter);
      g_assert_cmpint (report->decimal_mark, ==, options->decimal_mark);
      g_assert_cmpstr (report->line_ending, ==, options->crlf ? "CRLF" : "LF");
    }
  rf_test_remove_tree (dir);
}

static void
test_round_trip (void)
{
  g_autoptr(RfTable) table = random_table (1, 3000);
  g_autoptr(RfTable) typed = typed_table ();
  RfCsvWriteOptions options;
  const char separators[] = { ';', '\t', '|' };

  round_trip (table, NULL);
  round_trip (typed, NULL);

  rf_csv_write_options_init (&options);
  for (gsize k = 0; k < G_N_ELEMENTS (separators); k++)
    {
      options.delimiter = separators[k];
      options.decimal_mark = separators[k] == ';' ? ',' : '.';
      options.crlf = k % 2 == 0;
      options.na_text = k == 1 ? "NA" : "";
      round_trip (table, &options);
    }
}

/* Real data: read, write, read again: the same table. */
static void
test_round_trip_real (void)
{
  const char *files[] = { "corpus/real/train_FD001.csv", "corpus/real/ai4i2020.csv",
                          "corpus/csv/made-here/semicolon_decimal_comma.csv" };

  for (gsize k = 0; k < G_N_ELEMENTS (files); k++)
    {
      g_autofree char *path = rf_test_shared_path (files[k]);
      g_autoptr(RfTable) table = NULL;
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        return;
      table = rf_csv_read (path, NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      round_trip (table, NULL);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/csv/writer/quoting", test_quoting);
  g_test_add_func ("/rf/csv/writer/types", test_types);
  g_test_add_func ("/rf/csv/writer/options", test_options);
  g_test_add_func ("/rf/csv/writer/single-column", test_single_column);
  g_test_add_func ("/rf/csv/writer/atomic", test_atomic);
  g_test_add_func ("/rf/csv/writer/round-trip", test_round_trip);
  g_test_add_func ("/rf/csv/writer/round-trip-real", test_round_trip_real);

  return g_test_run ();
}

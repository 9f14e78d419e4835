/* test-csv-reader.c: the CSV reader on inputs made here (rf-csv-reader.h).
 *
 * Quoting, dialect and header detection, encodings, type inference and its
 * re-reads, options, bad input (each error's code and what its message
 * names), limits, cancellation and progress, and that the result does not
 * depend on the number of threads or the block size.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-csv-reader.h"
#include "rf-error.h"
#include "rf-rng.h"
#include "rf-test-util.h"

/* Small blocks and eager splitting: every block and thread boundary of
 * the reader gets exercised on inputs of a few KB. */
static const RfCsvTuning tiny_blocks = { 512, 3, 64 };

/* The same for a longer text: about 50 blocks. */
static RfCsvTuning
small_blocks_for (gsize length)
{
  RfCsvTuning tuning = tiny_blocks;

  tuning.block_size = MAX (tiny_blocks.block_size, length / 50);
  return tuning;
}

static RfTable *
read_text_tuned (const char          *text,
                 gssize               length,
                 const RfCsvTuning   *tuning,
                 const RfReadOptions *options,
                 RfReadReport       **report_out,
                 GError             **error)
{
  RfReadReport *report = rf_read_report_new ("test.csv");
  RfTable *table;

  if (length < 0)
    length = (gssize) strlen (text);
  table = rf_csv_read_bytes_tuned ((const guint8 *) text, (gsize) length, "test.csv", tuning, options, report,
                                   NULL, NULL, error);
  if (report_out != NULL)
    *report_out = report;
  else
    rf_read_report_free (report);
  return table;
}

/* Reads text twice (default tuning and tiny blocks), checks both agree,
 * and returns the first. */
static RfTable *
read_text (const char          *text,
           const RfReadOptions *options,
           RfReadReport       **report_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) tiny = NULL;
  RfCsvTuning small = small_blocks_for (strlen (text));
  RfTable *table;

  table = read_text_tuned (text, -1, NULL, options, report_out, &error);
  g_assert_no_error (error);
  g_assert_nonnull (table);
  tiny = read_text_tuned (text, -1, &small, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tiny);
  g_assert_cmpuint (rf_table_get_n_rows (tiny), ==, rf_table_get_n_rows (table));
  return table;
}

static GError *
read_error (const char          *text,
            gssize               length,
            const RfReadOptions *options)
{
  GError *error = NULL;
  g_autoptr(GError) tiny_error = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(RfTable) tiny = NULL;
  RfCsvTuning small = small_blocks_for (length < 0 ? strlen (text) : (gsize) length);

  table = read_text_tuned (text, length, NULL, options, NULL, &error);
  g_assert_null (table);
  g_assert_nonnull (error);
  /* the same error whatever the blocks and threads */
  tiny = read_text_tuned (text, length, &small, options, NULL, &tiny_error);
  g_assert_null (tiny);
  g_assert_nonnull (tiny_error);
  g_assert_cmpint (tiny_error->code, ==, error->code);
  g_assert_cmpstr (tiny_error->message, ==, error->message);
  return error;
}

static char *
text_at (const RfTable *table,
         guint          column,
         gsize          row)
{
  const RfColumn *col = rf_table_get_column (table, column);
  gsize length;
  const char *text;

  g_assert_cmpint (col->type, ==, RF_COLUMN_STRING);
  if (!rf_column_is_valid (col, row))
    return NULL;
  text = rf_column_get_string (col, row, &length);
  return g_strndup (text, length);
}

#define assert_text(table, column, row, expected) \
  G_STMT_START { \
    g_autofree char *__text = text_at (table, column, row); \
    g_assert_cmpstr (__text, ==, expected); \
  } G_STMT_END

static void
assert_type (const RfTable *table,
             guint          column,
             RfColumnType   type)
{
  const RfColumn *col = rf_table_get_column (table, column);

  if (col->type != type)
    g_error ("column %u (%s) is %s, not %s", column, col->name, rf_column_type_to_string (col->type),
             rf_column_type_to_string (type));
}

static gboolean
has_warning (const RfReadReport *report,
             const char         *part)
{
  for (guint i = 0; i < report->warnings->len; i++)
    if (strstr (g_ptr_array_index (report->warnings, i), part) != NULL)
      return TRUE;
  return FALSE;
}

/* Cell by cell, bit for bit. */
static void
assert_tables_equal (const RfTable *a,
                     const RfTable *b)
{
  g_assert_cmpuint (rf_table_get_n_columns (a), ==, rf_table_get_n_columns (b));
  g_assert_cmpuint (rf_table_get_n_rows (a), ==, rf_table_get_n_rows (b));
  for (guint c = 0; c < rf_table_get_n_columns (a); c++)
    {
      const RfColumn *x = rf_table_get_column (a, c), *y = rf_table_get_column (b, c);

      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->unit, ==, y->unit);
      g_assert_cmpint (x->type, ==, y->type);
      g_assert_cmpuint (x->n_rows, ==, y->n_rows);
      g_assert_cmpuint (x->n_missing, ==, y->n_missing);
      for (gsize r = 0; r < x->n_rows; r++)
        {
          g_assert_cmpint (rf_column_is_valid (x, r), ==, rf_column_is_valid (y, r));
          if (!rf_column_is_valid (x, r))
            continue;
          switch (x->type)
            {
            case RF_COLUMN_DOUBLE:
              g_assert_cmpmem (&x->values.f64[r], 8, &y->values.f64[r], 8);
              break;
            case RF_COLUMN_INT64:
            case RF_COLUMN_TIMESTAMP:
              g_assert_cmpint (x->values.i64[r], ==, y->values.i64[r]);
              break;
            case RF_COLUMN_BOOL:
              g_assert_cmpint (x->values.u8[r], ==, y->values.u8[r]);
              break;
            case RF_COLUMN_STRING:
            default:
              {
                gsize lx, ly;
                const char *sx = rf_column_get_string (x, r, &lx), *sy = rf_column_get_string (y, r, &ly);
                g_assert_cmpmem (sx, lx, sy, ly);
              }
              break;
            }
        }
    }
}

static void
assert_reports_equal (const RfReadReport *a,
                      const RfReadReport *b)
{
  g_assert_cmpstr (a->encoding, ==, b->encoding);
  g_assert_cmpint (a->delimiter, ==, b->delimiter);
  g_assert_cmpint (a->decimal_mark, ==, b->decimal_mark);
  g_assert_cmpstr (a->line_ending, ==, b->line_ending);
  g_assert_cmpint (a->has_header, ==, b->has_header);
  g_assert_cmpuint (a->columns->len, ==, b->columns->len);
  for (guint i = 0; i < a->columns->len; i++)
    {
      const RfColumnReport *x = g_ptr_array_index (a->columns, i), *y = g_ptr_array_index (b->columns, i);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpint (x->type, ==, y->type);
      g_assert_cmpint (x->timestamp_format, ==, y->timestamp_format);
      g_assert_cmpuint (x->n_unparsed, ==, y->n_unparsed);
    }
  g_assert_cmpuint (a->warnings->len, ==, b->warnings->len);
  for (guint i = 0; i < a->warnings->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a->warnings, i), ==, g_ptr_array_index (b->warnings, i));
}

/* ------------------------------------------------------------------------ */
/* Quoting and structure */

static void
test_quoted_header (void)
{
  g_autoptr(RfTable) table = read_text ("\"a,1\",\"b\"\"2\",\" c \"\n1,2,3\n", NULL, NULL);

  g_assert_cmpuint (rf_table_get_n_columns (table), ==, 3);
  g_assert_cmpstr (rf_table_get_column (table, 0)->name, ==, "a,1");
  g_assert_cmpstr (rf_table_get_column (table, 1)->name, ==, "b\"2");
  g_assert_cmpstr (rf_table_get_column (table, 2)->name, ==, " c ");
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 2), 0), ==, 3);
}

static void
test_quoting (void)
{
  const char *text =
    "id,text\r\n"
    "1,\"a, b\"\r\n"
    "2,\"say \"\"hi\"\"\"\r\n"
    "3,\"two\r\nlines\"\r\n"
    "4,\"lf\nonly\"\r\n"
    "5,12\" pipe\r\n"
    "6,\"ab\"cd\r\n"
    "7,\"\"\r\n"
    "8,\r\n"
    "9,\"\"\"\"\r\n";
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_text (text, NULL, &report);

  g_assert_cmpstr (report->line_ending, ==, "CRLF");
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 9);
  assert_text (table, 1, 0, "a, b");
  assert_text (table, 1, 1, "say \"hi\"");
  assert_text (table, 1, 2, "two\r\nlines");
  assert_text (table, 1, 3, "lf\nonly");
  assert_text (table, 1, 4, "12\" pipe");
  assert_text (table, 1, 5, "abcd");
  assert_text (table, 1, 6, "");        /* quoted: an empty string */
  assert_text (table, 1, 7, NULL);      /* unquoted: missing */
  assert_text (table, 1, 8, "\"");
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 0), 8), ==, 9);
}

static void
test_line_endings (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfReadReport) lf_report = NULL;
  g_autoptr(RfTable) table = read_text ("a|b\r1|x\r2|\"y\rz\"\r3|w", NULL, &report);
  g_autoptr(RfTable) lf = read_text ("a,b\n1,2", NULL, &lf_report);

  g_assert_cmpstr (report->line_ending, ==, "CR");
  g_assert_cmpint (report->delimiter, ==, '|');
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 3);
  assert_text (table, 1, 1, "y\rz");
  assert_text (table, 1, 2, "w");
  g_assert_cmpstr (lf_report->line_ending, ==, "LF");
  g_assert_cmpuint (rf_table_get_n_rows (lf), ==, 1);
}

static void
test_empty_lines (void)
{
  g_autoptr(RfTable) table = read_text ("\n\na,b\n\n1,2\n\r\n\n3,4\n\n\n", NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 2);
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 1), 1), ==, 4);

  /* line numbers count the empty lines */
  error = read_error ("a,b\n\n\n1,2\n\n3,4,5\n", -1, NULL);
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "line 6"));
}

static void
test_ragged_fewer (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_text ("a,b,c\n1,2,3\n4,5\n6\n7,8,9\n", NULL, &report);
  RfColumn *b = rf_table_get_column (table, 1), *c = rf_table_get_column (table, 2);

  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 4);
  g_assert_cmpint (rf_column_get_int64 (b, 1), ==, 5);
  g_assert_false (rf_column_is_valid (c, 1));
  g_assert_false (rf_column_is_valid (b, 2));
  g_assert_false (rf_column_is_valid (c, 2));
  g_assert_cmpint (rf_column_get_int64 (c, 3), ==, 9);
  g_assert_cmpuint (c->n_missing, ==, 2);
  g_assert_true (has_warning (report, "2 rows have fewer fields than the header (first at line 3)"));
}

static void
test_ragged_more (void)
{
  g_autoptr(GError) error = read_error ("a,b,c\n1,2,3\n4,5\n6,7,8,9\n", -1, NULL);

  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "test.csv"));
  g_assert_nonnull (strstr (error->message, "line 4"));
  g_assert_nonnull (strstr (error->message, "4 fields where the header has 3"));
}

static void
test_trailing_delimiter (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_text ("a,b\n1,2,\n3,4,,\n5,6\n", NULL, &report);

  g_assert_cmpuint (rf_table_get_n_columns (table), ==, 2);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 3);
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 1), 1), ==, 4);
  g_assert_true (has_warning (report, "2 rows end with empty extra fields (first at line 2)"));
}

static void
test_unterminated_quote (void)
{
  g_autoptr(GError) error = NULL;

  error = read_error ("a,b\n1,x\n2,\"y\nz\"\n3,\"open\n4,5\n6,7\n", -1, NULL);
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "test.csv"));
  g_assert_nonnull (strstr (error->message, "line 5"));
  g_assert_nonnull (strstr (error->message, "never closed"));
  g_clear_error (&error);

  /* the quote of the header itself */
  error = read_error ("a,\"b\n1,2\n", -1, NULL);
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "line 1"));
  g_clear_error (&error);

  /* far down a file spanning many blocks */
  {
    g_autoptr(GString) text = g_string_new ("a,b\n");
    for (int i = 0; i < 3000; i++)
      g_string_append_printf (text, "%d,\"v\"\n", i);
    g_string_append (text, "3000,\"open\n3001,x\n");
    error = read_error (text->str, (gssize) text->len, NULL);
    g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
    g_assert_nonnull (strstr (error->message, "line 3002"));
  }
}

static void
test_empty (void)
{
  const char *inputs[] = { "", "\n", "\n\r\n\n", "\xEF\xBB\xBF", "\xFF\xFE" };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = read_error (inputs[i], -1, NULL);
      g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
      g_assert_nonnull (strstr (error->message, "test.csv"));
    }
}

static void
test_header_only (void)
{
  const char *inputs[] = { "x,y,z\n", "x,y,z", "x,y,z\r\n\r\n" };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(RfReadReport) report = NULL;
      g_autoptr(RfTable) table = read_text (inputs[i], NULL, &report);

      g_assert_true (report->has_header);
      g_assert_cmpuint (rf_table_get_n_rows (table), ==, 0);
      g_assert_cmpuint (rf_table_get_n_columns (table), ==, 3);
      for (guint c = 0; c < 3; c++)
        assert_type (table, c, RF_COLUMN_STRING);
      g_assert_cmpstr (rf_table_get_column (table, 2)->name, ==, "z");
    }
}

static void
test_binary (void)
{
  static const char garbage[] = "\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0\x10\x10\0\0";
  g_autoptr(GError) error = read_error (garbage, sizeof garbage - 1, NULL);

  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "test.csv"));
  g_assert_nonnull (strstr (error->message, "not a text file"));
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new ("Ort,Wert\nKöln,1\nMünchen,2\n");
  g_autoptr(RfReadOptions) utf8 = rf_read_options_new ();

  /* UTF-8 with a stray Latin-1 byte */
  g_string_append (text, "Qualit\xe4t,3\n");
  error = read_error (text->str, (gssize) text->len, NULL);
  g_assert_error (error, RF_ERROR, RF_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "test.csv"));
  g_assert_nonnull (strstr (error->message, "line 4"));
  g_clear_error (&error);

  /* UTF-8 forced: the same file is refused where the byte is */
  utf8->encoding = g_strdup ("UTF-8");
  error = read_error ("a,b\n1,ok\n2,Gr\xfc\xdf" "e\n", -1, utf8);
  g_assert_error (error, RF_ERROR, RF_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_clear_error (&error);

  /* far down the file (beyond what is sniffed): the stray byte is found
   * while parsing, and named by its line */
  g_string_assign (text, "Ort,Wert\nKöln,1\n");
  for (int i = 0; i < 120000; i++)
    g_string_append_printf (text, "row%d,%d\n", i, i);
  g_string_append (text, "Qualit\xe4t,3\n");
  error = read_error (text->str, (gssize) text->len, NULL);
  g_assert_error (error, RF_ERROR, RF_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "line 120003"));
}

/* ASCII for the first MiB, Latin-1 after: read again as ISO-8859-1. */
static void
test_late_latin1 (void)
{
  g_autoptr(GString) text = g_string_new ("Messstelle,Wert\n");
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 100000; i++)
    g_string_append_printf (text, "Pumpe %d,%d.5\n", i, i);
  g_string_append (text, "K\xfchlwasser,7.25\n");
  table = read_text_tuned (text->str, (gssize) text->len, NULL, NULL, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (report->encoding, ==, "ISO-8859-1");
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 100001);
  assert_text (table, 0, 100000, "Kühlwasser");
  g_assert_true (has_warning (report, "read as ISO-8859-1"));
}

static void
test_utf16 (void)
{
  const char *utf8 = "Zeit\tTemperatur °C\r\n2024-03-01 08:00:00\t21.5\r\n";
  g_autofree char *le = NULL, *be = NULL;
  gsize le_length, be_length;
  g_autoptr(GString) with_bom = g_string_new_len ("\xFF\xFE", 2);
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GError) error = NULL;

  le = g_convert (utf8, -1, "UTF-16LE", "UTF-8", NULL, &le_length, NULL);
  be = g_convert (utf8, -1, "UTF-16BE", "UTF-8", NULL, &be_length, NULL);
  g_string_append_len (with_bom, le, (gssize) le_length);

  table = read_text_tuned (with_bom->str, (gssize) with_bom->len, &tiny_blocks, NULL, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (report->encoding, ==, "UTF-16LE");
  g_assert_true (report->had_bom);
  g_assert_cmpint (report->delimiter, ==, '\t');
  g_assert_cmpstr (rf_table_get_column (table, 1)->name, ==, "Temperatur °C");
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (table, 1), 0), ==, 21.5);
  g_clear_pointer (&table, rf_table_unref);
  g_clear_pointer (&report, rf_read_report_free);

  /* without a BOM: told by the zero bytes */
  table = read_text_tuned (be, (gssize) be_length, NULL, NULL, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (report->encoding, ==, "UTF-16BE");
  g_assert_false (report->had_bom);
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 0), 0), ==,
                   rf_timestamp_from_civil (2024, 3, 1, 8, 0, 0, 0));
}

static void
test_huge_field (void)
{
  gsize size = 10 * 1000 * 1000;
  g_autoptr(GString) text = g_string_sized_new (size + 64);
  g_autoptr(RfTable) table = NULL;
  g_autoptr(RfTable) small_blocks = NULL;
  g_autoptr(GError) error = NULL;
  const RfCsvTuning blocks = { 4096, 2, 1024 };
  const RfColumn *column;
  gsize length;
  const char *value;

  g_string_append (text, "id,text\n1,\"");
  for (gsize i = 0; i < size; i++)
    g_string_append_c (text, i % 1000 == 999 ? '\n' : (char) ('a' + i % 26));
  g_string_append (text, "\"\n2,short\n");

  table = read_text_tuned (text->str, (gssize) text->len, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  column = rf_table_get_column (table, 1);
  value = rf_column_get_string (column, 0, &length);
  g_assert_cmpuint (length, ==, size);
  g_assert_cmpint (value[0], ==, 'a');
  g_assert_cmpint (value[999], ==, '\n');
  g_assert_cmpint (value[size - 2], ==, (char) ('a' + (size - 2) % 26));
  g_assert_cmpint (value[size - 1], ==, '\n');
  assert_text (table, 1, 1, "short");

  /* 4 KiB blocks: the block grows by doubling, so this stays linear */
  small_blocks = read_text_tuned (text->str, (gssize) text->len, &blocks, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_tables_equal (table, small_blocks);

  /* a long value first, then many short rows: room is made for what the
   * rows really take, not for the first one's length */
  g_string_assign (text, "id,text\n0,");
  for (gsize i = 0; i < 300000; i++)
    g_string_append_c (text, 'y');
  g_string_append_c (text, '\n');
  for (int i = 1; i <= 200000; i++)
    g_string_append_printf (text, "%d,z\n", i);
  g_clear_pointer (&table, rf_table_unref);
  table = read_text_tuned (text->str, (gssize) text->len, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 200001);
  assert_text (table, 1, 200000, "z");

  /* an unquoted one, as the first record of a file without a header */
  g_string_truncate (text, 0);
  for (gsize i = 0; i < size; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, "\nshort\n");
  g_clear_pointer (&table, rf_table_unref);
  table = read_text_tuned (text->str, (gssize) text->len, &blocks, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 1);
  g_assert_cmpuint (strlen (rf_table_get_column (table, 0)->name), ==, size);
}

static void
test_max_rows (void)
{
  g_autoptr(RfReadOptions) options = rf_read_options_new ();
  g_autoptr(GString) text = g_string_new ("a,b\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) table = NULL;

  for (int i = 0; i < 1000; i++)
    g_string_append_printf (text, "%d,%d\n", i, i * 2);
  options->max_rows = 1000;
  table = read_text (text->str, options, NULL);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 1000);

  options->max_rows = 999;
  error = read_error (text->str, (gssize) text->len, options);
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "test.csv"));
  g_assert_nonnull (strstr (error->message, "999"));
  g_clear_error (&error);

  /* the row limit is reached before the bad row: that is the error */
  g_string_append (text, "1,2,3\n");
  error = read_error (text->str, (gssize) text->len, options);
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
  g_clear_error (&error);
  options->max_rows = 1001;
  error = read_error (text->str, (gssize) text->len, options);
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
}

static void
cancel_halfway (double      fraction,
                const char *message,
                gpointer    user_data)
{
  if (fraction > 0.3)
    g_cancellable_cancel (user_data);
}

static void
record_progress (double      fraction,
                 const char *message,
                 gpointer    user_data)
{
  GArray *fractions = user_data;
  g_array_append_val (fractions, fraction);
}

static GString *
numbers_text (int rows)
{
  GString *text = g_string_new ("a,b,c\n");

  for (int i = 0; i < rows; i++)
    g_string_append_printf (text, "%d,%d.25,x%d\n", i, i, i);
  return text;
}

static void
test_cancel (void)
{
  g_autoptr(GString) text = numbers_text (20000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  RfTable *table;
  RfProgress progress = rf_progress_init (cancel_halfway, cancellable);
  const RfCsvTuning blocks = { 8192, 2, 1024 };

  /* cancelled before */
  g_cancellable_cancel (cancellable);
  table = rf_csv_read_bytes ((const guint8 *) text->str, text->len, "test.csv", NULL, NULL, NULL, cancellable,
                             &error);
  g_assert_null (table);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* cancelled while reading */
  g_cancellable_reset (cancellable);
  table = rf_csv_read_bytes_tuned ((const guint8 *) text->str, text->len, "test.csv", &blocks, NULL, NULL,
                                   &progress, cancellable, &error);
  g_assert_null (table);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_progress (void)
{
  g_autoptr(GString) text = numbers_text (20000);
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GError) error = NULL;
  RfProgress progress = rf_progress_init (record_progress, fractions);
  const RfCsvTuning blocks = { 8192, 2, 1024 };

  table = rf_csv_read_bytes_tuned ((const guint8 *) text->str, text->len, "test.csv", &blocks, NULL, NULL,
                                   &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fractions->len, >, 10);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, double, i), >, g_array_index (fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);
}

/* ------------------------------------------------------------------------ */
/* Dialect, header, names */

static void
test_delimiters (void)
{
  struct { const char *text; char delimiter; guint columns; } cases[] = {
    { "a;b;c\n1,5;2;x,y\n3,5;4;z\n", ';', 3 },
    { "a|b\n1|2\n", '|', 2 },
    { "a\tb\tc\nx, y\t1\tz\n", '\t', 3 },
    { "\"a;b\",c\n\"1;2\",3\n", ',', 2 },
    { "name,comment\nA,\"x; y; z\"\nB,\"u; v\"\n", ',', 2 },
    { "single\n1\n2\n", ',', 1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RfReadReport) report = NULL;
      g_autoptr(RfTable) table = read_text (cases[i].text, NULL, &report);

      g_assert_cmpint (report->delimiter, ==, cases[i].delimiter);
      g_assert_cmpuint (rf_table_get_n_columns (table), ==, cases[i].columns);
    }
}

static void
test_decimal_comma (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_text ("t;v;w\n1;21,5;1.013,25\n2;-0,004;2.000\n3;7;12\n", NULL, &report);
  g_autoptr(RfReadReport) point_report = NULL;
  g_autoptr(RfTable) point = read_text ("t;v\n1;21.5\n2;0.25\n", NULL, &point_report);

  g_assert_cmpint (report->decimal_mark, ==, ',');
  assert_type (table, 1, RF_COLUMN_DOUBLE);
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (table, 1), 0), ==, 21.5);
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (table, 1), 1), ==, -0.004);
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (table, 1), 2), ==, 7.0);
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (table, 2), 0), ==, 1013.25);
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (table, 2), 1), ==, 2000.0);

  g_assert_cmpint (point_report->decimal_mark, ==, '.');
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (point, 1), 0), ==, 21.5);
}

static void
test_header_detection (void)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_text ("1,2.5,2024-03-01\n3,4.5,2024-03-02\n", NULL, &report);
  g_autoptr(RfReadReport) text_report = NULL;
  g_autoptr(RfTable) text = read_text ("name,city\nAda,London\n", NULL, &text_report);
  g_autoptr(RfReadOptions) options = rf_read_options_new ();
  g_autoptr(RfTable) forced = NULL;
  g_autoptr(RfTable) absent = NULL;

  g_assert_false (report->has_header);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 2);
  g_assert_cmpstr (rf_table_get_column (table, 0)->name, ==, "column_1");
  g_assert_cmpstr (rf_table_get_column (table, 2)->name, ==, "column_3");
  assert_type (table, 2, RF_COLUMN_TIMESTAMP);

  g_assert_true (text_report->has_header);
  g_assert_cmpuint (rf_table_get_n_rows (text), ==, 1);

  /* forced either way */
  options->header = RF_HEADER_PRESENT;
  forced = read_text ("1,2\n3,4\n", options, NULL);
  g_assert_cmpstr (rf_table_get_column (forced, 0)->name, ==, "1");
  g_assert_cmpuint (rf_table_get_n_rows (forced), ==, 1);
  options->header = RF_HEADER_ABSENT;
  absent = read_text ("name,city\nAda,London\n", options, NULL);
  g_assert_cmpuint (rf_table_get_n_rows (absent), ==, 2);
  assert_text (absent, 0, 0, "name");
}

static void
test_names (void)
{
  g_autoptr(RfTable) table = read_text ("a,a,,a,Air temperature [K],temp (°C),Pump (line 2)\n1,2,3,4,5,6,7\n",
                                        NULL, NULL);
  const char *names[] = { "a", "a_2", "column_3", "a_3", "Air temperature [K]", "temp (°C)", "Pump (line 2)" };
  const char *units[] = { NULL, NULL, NULL, NULL, "K", "°C", NULL };

  g_assert_cmpuint (rf_table_get_n_columns (table), ==, G_N_ELEMENTS (names));
  for (guint c = 0; c < G_N_ELEMENTS (names); c++)
    {
      g_assert_cmpstr (rf_table_get_column (table, c)->name, ==, names[c]);
      g_assert_cmpstr (rf_table_get_column (table, c)->unit, ==, units[c]);
    }
}

/* Names made unique the way rf_table_unique_name does it, also when wide. */
static void
test_wide (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(RfTable) table = NULL;
  g_autoptr(RfTable) expected = rf_table_new ();
  g_autoptr(GError) error = NULL;
  const char *header[] = { "a", "a", "a_2", "", "a", "column_4" };

  for (gsize i = 0; i < G_N_ELEMENTS (header); i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "," : "", header[i]);
  g_string_append (text, "\n1,2,3,4,5,6\n");
  table = read_text (text->str, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    {
      g_autofree char *name = rf_table_unique_name (expected, header[i], i);
      g_autoptr(RfColumn) column = rf_column_new (name, RF_COLUMN_STRING);

      rf_table_add_column (expected, column);
      g_assert_cmpstr (rf_table_get_column (table, i)->name, ==, name);
    }
  g_clear_pointer (&table, rf_table_unref);

  /* 5000 columns of the same name */
  g_string_truncate (text, 0);
  for (int i = 0; i < 5000; i++)
    g_string_append (text, i > 0 ? ",x" : "x");
  g_string_append (text, "\n");
  for (int i = 0; i < 5000; i++)
    g_string_append_printf (text, "%s%d", i > 0 ? "," : "", i);
  g_string_append (text, "\n");
  table = read_text_tuned (text->str, (gssize) text->len, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_columns (table), ==, 5000);
  g_assert_cmpstr (rf_table_get_column (table, 4999)->name, ==, "x_5000");
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 4999), 0), ==, 4999);

  /* a wrong delimiter or a binary file can make far too many */
  g_string_truncate (text, 0);
  for (int i = 0; i < 20000; i++)
    g_string_append (text, "c,");
  g_string_append (text, "c\n");
  error = read_error (text->str, (gssize) text->len, NULL);
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "20001 fields"));
}

/* ------------------------------------------------------------------------ */
/* Types */

static void
test_types (void)
{
  const char *text =
    "flag,count,value,big,code,iso,de,us,eu,time_s,time_ms,plain_int,mixed\n"
    "true,1,1.5,1,0123,2024-03-01T12:00:00+01:00,01.03.2024 12:00:00,03/01/2024 01:30:00 PM,13/01/2024 08:00,1709294400,1709294400250,1709294400,1\n"
    "False,-2,2,123456789012345678901234567890,0456,2024-03-01T12:00:00.5Z,02.03.2024 12:00:00,03/02/2024 11:00:00 AM,01/02/2024 08:00,1709294401,1709294400500,1709294401,x\n"
    "yes,,NA,3,,2024-03-01,03.03.2024,03/03/2024,02/02/2024,,,2,2.5\n";
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = read_text (text, NULL, &report);
  RfColumnType types[] = { RF_COLUMN_BOOL, RF_COLUMN_INT64, RF_COLUMN_DOUBLE, RF_COLUMN_DOUBLE, RF_COLUMN_STRING,
                           RF_COLUMN_TIMESTAMP, RF_COLUMN_TIMESTAMP, RF_COLUMN_TIMESTAMP, RF_COLUMN_TIMESTAMP,
                           RF_COLUMN_TIMESTAMP, RF_COLUMN_TIMESTAMP, RF_COLUMN_INT64, RF_COLUMN_STRING };
  RfTimestampFormat formats[] = { 0, 0, 0, 0, 0, RF_TIMESTAMP_FORMAT_ISO, RF_TIMESTAMP_FORMAT_DMY_DOT,
                                  RF_TIMESTAMP_FORMAT_MDY_SLASH, RF_TIMESTAMP_FORMAT_DMY_SLASH,
                                  RF_TIMESTAMP_FORMAT_EPOCH_S, RF_TIMESTAMP_FORMAT_EPOCH_MS, 0, 0 };

  for (guint c = 0; c < G_N_ELEMENTS (types); c++)
    {
      const RfColumnReport *column = g_ptr_array_index (report->columns, c);
      assert_type (table, c, types[c]);
      g_assert_cmpint (column->type, ==, types[c]);
      g_assert_cmpint (column->timestamp_format, ==, formats[c]);
      g_assert_false (column->overridden);
    }

  g_assert_true (rf_column_get_bool (rf_table_get_column (table, 0), 0));
  g_assert_false (rf_column_get_bool (rf_table_get_column (table, 0), 1));
  g_assert_true (rf_column_get_bool (rf_table_get_column (table, 0), 2));
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 1), 1), ==, -2);
  g_assert_false (rf_column_is_valid (rf_table_get_column (table, 1), 2));
  g_assert_false (rf_column_is_valid (rf_table_get_column (table, 2), 2));
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (table, 3), 1), ==, 1.2345678901234568e+29);
  assert_text (table, 4, 0, "0123");
  assert_text (table, 4, 2, NULL);

  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 5), 0), ==,
                   rf_timestamp_from_civil (2024, 3, 1, 11, 0, 0, 0));
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 5), 1), ==,
                   rf_timestamp_from_civil (2024, 3, 1, 12, 0, 0, 500000));
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 5), 2), ==,
                   rf_timestamp_from_civil (2024, 3, 1, 0, 0, 0, 0));
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 6), 1), ==,
                   rf_timestamp_from_civil (2024, 3, 2, 12, 0, 0, 0));
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 7), 0), ==,
                   rf_timestamp_from_civil (2024, 3, 1, 13, 30, 0, 0));
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 7), 1), ==,
                   rf_timestamp_from_civil (2024, 3, 2, 11, 0, 0, 0));
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 8), 1), ==,
                   rf_timestamp_from_civil (2024, 2, 1, 8, 0, 0, 0));
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 9), 1), ==,
                   G_GINT64_CONSTANT (1709294401) * G_USEC_PER_SEC);
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 10), 1), ==,
                   G_GINT64_CONSTANT (1709294400500) * 1000);
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 11), 0), ==, 1709294400);
  assert_text (table, 12, 0, "1");
  assert_text (table, 12, 1, "x");
  assert_text (table, 12, 2, "2.5");
}

/* A value that contradicts the first guess far down the file: the column
 * is read again with the type that fits every value. */
static void
test_type_widening (void)
{
  g_autoptr(GString) text = g_string_new ("n,code,ts,slash,epoch_time\n");
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(RfTable) tiny = NULL;
  g_autoptr(GError) error = NULL;
  int rows = 30000;

  for (int i = 0; i < rows; i++)
    {
      if (i == 25000)
        g_string_append (text, "2.5,00042,n/a yet,13/01/2024,17\n");
      else
        g_string_append_printf (text, "%d,%d,2024-03-01T00:00:%02d,03/01/2024,%d\n", i, 1000 + i, i % 60,
                                1709294400 + i);
    }
  table = read_text_tuned (text->str, (gssize) text->len, NULL, NULL, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, (gsize) rows);

  assert_type (table, 0, RF_COLUMN_DOUBLE);
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (table, 0), 24999), ==, 24999.0);
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (table, 0), 25000), ==, 2.5);
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (table, 0), 29999), ==, 29999.0);

  assert_type (table, 1, RF_COLUMN_STRING);
  assert_text (table, 1, 0, "1000");
  assert_text (table, 1, 25000, "00042");

  assert_type (table, 2, RF_COLUMN_STRING);
  assert_text (table, 2, 1, "2024-03-01T00:00:01");
  assert_text (table, 2, 25000, "n/a yet");

  assert_type (table, 3, RF_COLUMN_TIMESTAMP);
  g_assert_cmpint (((RfColumnReport *) g_ptr_array_index (report->columns, 3))->timestamp_format, ==,
                   RF_TIMESTAMP_FORMAT_DMY_SLASH);
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 3), 0), ==,
                   rf_timestamp_from_civil (2024, 1, 3, 0, 0, 0, 0));

  /* one value out of the epoch range: plain integers */
  assert_type (table, 4, RF_COLUMN_INT64);
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 4), 25000), ==, 17);
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 4), 1), ==, 1709294401);

  {
    RfCsvTuning small = small_blocks_for (text->len);
    tiny = read_text_tuned (text->str, (gssize) text->len, &small, NULL, NULL, &error);
  }
  g_assert_no_error (error);
  assert_tables_equal (table, tiny);
}

static void
test_na_tokens (void)
{
  g_autoptr(RfTable) table = read_text ("v,s\n1.5,a\nNA,NA\nN/A,\"NA\"\n#N/A,\"\"\nNaN,null\nnull,-\n-,None\n,\n",
                                        NULL, NULL);
  const RfColumn *v = rf_table_get_column (table, 0);

  assert_type (table, 0, RF_COLUMN_DOUBLE);
  g_assert_cmpuint (v->n_missing, ==, 7);
  g_assert_cmpfloat (rf_column_get_double (v, 0), ==, 1.5);
  assert_text (table, 1, 0, "a");
  assert_text (table, 1, 1, NULL);
  assert_text (table, 1, 2, "NA");     /* quoted: text */
  assert_text (table, 1, 3, "");
  assert_text (table, 1, 4, NULL);
  assert_text (table, 1, 5, NULL);
  assert_text (table, 1, 6, NULL);
  assert_text (table, 1, 7, NULL);
}

static void
test_all_strings (void)
{
  g_autoptr(RfReadOptions) options = rf_read_options_new ();
  g_autoptr(RfTable) table = NULL;

  options->all_strings = TRUE;
  table = read_text ("a,b,c\n1,NA,\"\"\n 2.50 ,,x\n", options, NULL);
  for (guint c = 0; c < 3; c++)
    assert_type (table, c, RF_COLUMN_STRING);
  assert_text (table, 0, 1, " 2.50 ");
  assert_text (table, 1, 0, "NA");
  assert_text (table, 1, 1, NULL);
  assert_text (table, 2, 0, "");
}

static void
test_column_type_option (void)
{
  g_autoptr(RfReadOptions) options = rf_read_options_new ();
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = NULL;
  const RfColumnReport *value, *code, *when;

  rf_read_options_set_column_type (options, "value", RF_COLUMN_DOUBLE);
  rf_read_options_set_column_type (options, "code", RF_COLUMN_STRING);
  rf_read_options_set_column_type (options, "when", RF_COLUMN_TIMESTAMP);
  rf_read_options_set_column_type (options, "flag", RF_COLUMN_INT64);
  table = read_text ("value,code,when,flag\n1.5,42,01.03.2024 10:00,1\nbroken,7,02.03.2024 10:00,2\n"
                     "3,NA,someday,x\n,1e3,NA,4\n", options, &report);

  value = g_ptr_array_index (report->columns, 0);
  code = g_ptr_array_index (report->columns, 1);
  when = g_ptr_array_index (report->columns, 2);
  g_assert_true (value->overridden);
  g_assert_cmpuint (value->n_unparsed, ==, 1);
  g_assert_cmpint (value->type, ==, RF_COLUMN_DOUBLE);
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (table, 0), 0), ==, 1.5);
  g_assert_false (rf_column_is_valid (rf_table_get_column (table, 0), 1));
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (table, 0), 2), ==, 3.0);
  g_assert_cmpuint (rf_table_get_column (table, 0)->n_missing, ==, 2);
  g_assert_true (has_warning (report, "Column “value”: 1 values are not double (first at line 3)"));

  assert_type (table, 1, RF_COLUMN_STRING);
  g_assert_cmpuint (code->n_unparsed, ==, 0);
  assert_text (table, 1, 0, "42");
  assert_text (table, 1, 2, NULL);
  assert_text (table, 1, 3, "1e3");

  g_assert_cmpint (when->type, ==, RF_COLUMN_TIMESTAMP);
  g_assert_cmpint (when->timestamp_format, ==, RF_TIMESTAMP_FORMAT_DMY_DOT);
  g_assert_cmpuint (when->n_unparsed, ==, 1);
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 2), 1), ==,
                   rf_timestamp_from_civil (2024, 3, 2, 10, 0, 0, 0));

  g_assert_cmpuint (((RfColumnReport *) g_ptr_array_index (report->columns, 3))->n_unparsed, ==, 1);
  g_assert_true (((RfColumnReport *) g_ptr_array_index (report->columns, 3))->overridden);
}

static void
test_forced_dialect (void)
{
  g_autoptr(RfReadOptions) options = rf_read_options_new ();
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(RfTable) table = NULL;

  options->delimiter = ';';
  options->decimal_mark = '.';
  options->encoding = g_strdup ("WINDOWS-1252");
  table = read_text ("a;b\n1,5;\x80\n", options, &report);
  g_assert_cmpint (report->delimiter, ==, ';');
  g_assert_cmpint (report->decimal_mark, ==, '.');
  g_assert_cmpstr (report->encoding, ==, "WINDOWS-1252");
  assert_text (table, 0, 0, "1,5");
  assert_text (table, 1, 0, "€");
}

static void
test_file_errors (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = rf_test_write_file (dir, "big.csv", "a,b\n1,2\n", -1);
  g_autoptr(RfReadOptions) options = rf_read_options_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);

  g_assert_null (rf_csv_read (missing, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "missing.csv"));
  g_clear_error (&error);

  g_assert_null (rf_csv_read (dir, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_IO);
  g_clear_error (&error);

  options->max_bytes = 4;
  g_assert_null (rf_csv_read (path, options, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "big.csv"));

  rf_test_remove_tree (dir);
}

static void
test_fixtures (void)
{
  g_autofree char *types_path = rf_test_source_path ("tests/fixtures/csv/sensor_types.csv");
  g_autofree char *pipe_path = rf_test_source_path ("tests/fixtures/csv/pipe_cr_latin1.csv");
  g_autoptr(RfReadReport) report = rf_read_report_new (types_path);
  g_autoptr(RfReadReport) pipe_report = rf_read_report_new (pipe_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(RfTable) pipe = NULL;
  g_autoptr(RfTable) pipe_tiny = NULL;
  g_autoptr(RfTable) from_memory = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  table = rf_csv_read (types_path, NULL, report, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (table), ==, 6);
  assert_type (table, 0, RF_COLUMN_TIMESTAMP);
  assert_type (table, 1, RF_COLUMN_INT64);
  assert_type (table, 2, RF_COLUMN_DOUBLE);
  assert_type (table, 3, RF_COLUMN_BOOL);
  assert_type (table, 4, RF_COLUMN_STRING);
  g_assert_cmpstr (rf_table_get_column (table, 2)->unit, ==, "bar");
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (table, 0), 5), ==,
                   rf_timestamp_from_civil (2024, 3, 1, 0, 0, 5, 250000));
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (table, 2), 5), ==, 1.0163);
  g_assert_false (rf_column_is_valid (rf_table_get_column (table, 2), 3));
  assert_text (table, 4, 2, "valve \"V-7\", closed");

  /* the same bytes from memory: the same table */
  g_file_get_contents (types_path, &contents, &length, &error);
  g_assert_no_error (error);
  from_memory = rf_csv_read_bytes ((const guint8 *) contents, length, "sensor_types.csv", NULL, NULL, NULL, NULL,
                                   &error);
  g_assert_no_error (error);
  assert_tables_equal (table, from_memory);

  pipe = rf_csv_read (pipe_path, NULL, pipe_report, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pipe_report->delimiter, ==, '|');
  g_assert_cmpstr (pipe_report->line_ending, ==, "CR");
  g_assert_cmpstr (pipe_report->encoding, ==, "ISO-8859-1");
  g_assert_cmpint (pipe_report->decimal_mark, ==, ',');
  g_assert_cmpstr (rf_table_get_column (pipe, 1)->name, ==, "Temperatur [°C]");
  g_assert_cmpstr (rf_table_get_column (pipe, 1)->unit, ==, "°C");
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (pipe, 1), 1), ==, 22.25);
  assert_text (pipe, 2, 2, "Druckstoß");
  pipe_tiny = rf_csv_read_tuned (pipe_path, &tiny_blocks, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_tables_equal (pipe, pipe_tiny);
}

/* ------------------------------------------------------------------------ */
/* Thread and block independence */

/* A messy sensor log: quotes, line breaks in quotes, stray quotes in
 * unquoted fields, CRLF and LF, empty lines, short rows, NA tokens, and
 * values late in the file that change a column's type. */
static GString *
messy_text (guint64 seed,
            int     rows,
            int     bad_row)
{
  g_autoptr(GString) text = g_string_new ("id,value,when,note,code\r\n");
  RfRng rng;

  rf_rng_init (&rng, seed);
  for (int i = 0; i < rows; i++)
    {
      guint64 pick = rf_rng_below (&rng, 100);
      const char *eol = rf_rng_below (&rng, 4) == 0 ? "\n" : "\r\n";

      if (i == bad_row)
        {
          g_string_append_printf (text, "%d,1,2024-03-01T00:00:00Z,x,1,surplus%s", i, eol);
          continue;
        }
      g_string_append_printf (text, "%d,", i);
      if (pick < 5)
        g_string_append (text, "NA,");
      else if (i == rows - 7)
        g_string_append (text, "high,");
      else
        g_string_append_printf (text, "%.4f,", (double) rf_rng_below (&rng, 2000000) / 1000.0 - 1000.0);
      g_string_append_printf (text, "2024-03-01T%02d:%02d:%02d.%03dZ,", i / 3600 % 24, i / 60 % 60, i % 60,
                              (int) rf_rng_below (&rng, 1000));
      if (pick < 10)
        g_string_append_printf (text, "\"line one%sline \"\"two\"\", end\"", eol);
      else if (pick < 15)
        g_string_append (text, "12\" pipe");
      else if (pick < 18)
        g_string_append (text, "\"\"");
      else if (pick < 22 && i != rows / 2)
        {
          /* a short row */
          g_string_append_printf (text, "short%s", eol);
          continue;
        }
      else
        g_string_append_printf (text, "note %d", (int) rf_rng_below (&rng, 1000));
      if (i == rows / 2)
        g_string_append (text, ",0042");
      else
        g_string_append_printf (text, ",%d", (int) rf_rng_below (&rng, 1000) + 1);
      g_string_append (text, eol);
      if (rf_rng_below (&rng, 50) == 0)
        g_string_append (text, eol);
    }
  return g_steal_pointer (&text);
}

static void
test_thread_independence (void)
{
  const RfCsvTuning tunings[] = {
    { 1 << 20, 2, 1 }, { 4096, 2, 256 }, { 10000, 3, 100 }, { 1500, 8, 1 }, { 65536, 4, 4096 }, { 300, 1, 1 },
  };
  g_autoptr(GString) text = messy_text (42, 4000, -1);
  g_autoptr(RfReadReport) reference_report = NULL;
  g_autoptr(RfTable) reference = NULL;
  g_autoptr(GError) error = NULL;
  const RfCsvTuning single = { 0, 1, 0 };
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = rf_test_write_file (dir, "messy.csv", text->str, (gssize) text->len);

  reference = read_text_tuned (text->str, (gssize) text->len, &single, NULL, &reference_report, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (reference), ==, 4000);
  assert_type (reference, 0, RF_COLUMN_INT64);
  assert_type (reference, 1, RF_COLUMN_STRING);     /* "high" near the end */
  assert_type (reference, 2, RF_COLUMN_TIMESTAMP);
  assert_type (reference, 4, RF_COLUMN_STRING);     /* "0042" in the middle */
  g_assert_true (has_warning (reference_report, "rows have fewer fields"));

  for (gsize i = 0; i < G_N_ELEMENTS (tunings); i++)
    {
      g_autoptr(RfReadReport) report = NULL;
      g_autoptr(RfReadReport) file_report = rf_read_report_new (path);
      g_autoptr(RfTable) table = NULL;
      g_autoptr(RfTable) from_file = NULL;

      table = read_text_tuned (text->str, (gssize) text->len, &tunings[i], NULL, &report, &error);
      g_assert_no_error (error);
      assert_tables_equal (reference, table);
      assert_reports_equal (reference_report, report);

      from_file = rf_csv_read_tuned (path, &tunings[i], NULL, file_report, NULL, NULL, &error);
      g_assert_no_error (error);
      assert_tables_equal (reference, from_file);
      assert_reports_equal (reference_report, file_report);
    }

  /* big enough for the table work between blocks to be threaded too */
  {
    g_autoptr(GString) numbers = numbers_text (200000);
    g_autoptr(RfTable) one = read_text_tuned (numbers->str, (gssize) numbers->len, &single, NULL, NULL, &error);
    g_autoptr(RfTable) two = NULL;
    const RfCsvTuning blocks = { 1 << 20, 2, 0 };

    g_assert_no_error (error);
    two = read_text_tuned (numbers->str, (gssize) numbers->len, &blocks, NULL, NULL, &error);
    g_assert_no_error (error);
    assert_tables_equal (one, two);
    g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (two, 1), 199999), ==, 199999.25);
  }

  /* an error late in the file: the same error whatever the threads */
  {
    g_autoptr(GString) bad = messy_text (7, 4000, 3123);
    g_autoptr(GError) first = NULL;
    g_autoptr(RfTable) none = read_text_tuned (bad->str, (gssize) bad->len, &single, NULL, NULL, &first);

    g_assert_null (none);
    g_assert_error (first, RF_ERROR, RF_ERROR_PARSE);
    for (gsize i = 0; i < G_N_ELEMENTS (tunings); i++)
      {
        g_autoptr(GError) other = NULL;
        g_autoptr(RfTable) also_none = read_text_tuned (bad->str, (gssize) bad->len, &tunings[i], NULL, NULL,
                                                        &other);
        g_assert_null (also_none);
        g_assert_error (other, RF_ERROR, RF_ERROR_PARSE);
        g_assert_cmpstr (other->message, ==, first->message);
      }
  }
  rf_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/csv/quoted-header", test_quoted_header);
  g_test_add_func ("/rf/csv/quoting", test_quoting);
  g_test_add_func ("/rf/csv/line-endings", test_line_endings);
  g_test_add_func ("/rf/csv/empty-lines", test_empty_lines);
  g_test_add_func ("/rf/csv/ragged-fewer", test_ragged_fewer);
  g_test_add_func ("/rf/csv/ragged-more", test_ragged_more);
  g_test_add_func ("/rf/csv/trailing-delimiter", test_trailing_delimiter);
  g_test_add_func ("/rf/csv/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/rf/csv/empty", test_empty);
  g_test_add_func ("/rf/csv/header-only", test_header_only);
  g_test_add_func ("/rf/csv/binary", test_binary);
  g_test_add_func ("/rf/csv/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/rf/csv/late-latin1", test_late_latin1);
  g_test_add_func ("/rf/csv/utf16", test_utf16);
  g_test_add_func ("/rf/csv/huge-field", test_huge_field);
  g_test_add_func ("/rf/csv/max-rows", test_max_rows);
  g_test_add_func ("/rf/csv/cancel", test_cancel);
  g_test_add_func ("/rf/csv/progress", test_progress);
  g_test_add_func ("/rf/csv/delimiters", test_delimiters);
  g_test_add_func ("/rf/csv/decimal-comma", test_decimal_comma);
  g_test_add_func ("/rf/csv/header-detection", test_header_detection);
  g_test_add_func ("/rf/csv/names", test_names);
  g_test_add_func ("/rf/csv/wide", test_wide);
  g_test_add_func ("/rf/csv/types", test_types);
  g_test_add_func ("/rf/csv/type-widening", test_type_widening);
  g_test_add_func ("/rf/csv/na-tokens", test_na_tokens);
  g_test_add_func ("/rf/csv/all-strings", test_all_strings);
  g_test_add_func ("/rf/csv/column-type-option", test_column_type_option);
  g_test_add_func ("/rf/csv/forced-dialect", test_forced_dialect);
  g_test_add_func ("/rf/csv/file-errors", test_file_errors);
  g_test_add_func ("/rf/csv/fixtures", test_fixtures);
  g_test_add_func ("/rf/csv/thread-independence", test_thread_independence);

  return g_test_run ();
}

/* test-parquet-corpus: every file of ../shared/corpus/parquet/MANIFEST.tsv.
 *
 *   read    the row count, the column names and the types DuckDB reports
 *           (mapped per rf-parquet-reader.h), and every value of
 *           NAME.expected.csv where it exists, else the null counts and
 *           first/last values of NAME.stats.json;
 *   reject  a clean error with a message that names the file;
 *   either  the expected values, or a clean error.
 *
 * The expected files were made by DuckDB: NULL is an empty unquoted field,
 * "" an empty string, timestamps "YYYY-MM-DD HH:MM:SS[.frac][+00]", floats
 * in shortest form (a FLOAT column's values are compared at float
 * precision), BLOBs with bytes outside 0x20..0x7E (and ' " \) as \xHH.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "refinery.h"
#include "rf-parquet-reader.h"
#include "rf-test-util.h"

typedef struct
{
  char *file;
  char *expected;      /* read, reject, either */
  gint64 rows;         /* -1: not given */
  char *expected_files;
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->file);
  g_free (c->expected);
  g_free (c->expected_files);
  g_free (c);
}

/* One CSV record in DuckDB's conventions: fields, and whether each was
 * quoted (an unquoted empty field is NULL). *p advances past the record. */
static gboolean
next_record (const char **p,
             const char  *end,
             GPtrArray   *fields,
             GArray      *quoted)
{
  const char *s = *p;

  g_ptr_array_set_size (fields, 0);
  g_array_set_size (quoted, 0);
  if (s >= end)
    return FALSE;
  for (;;)
    {
      GString *field = g_string_new (NULL);
      gboolean q = FALSE;

      if (s < end && *s == '"')
        {
          q = TRUE;
          s++;
          while (s < end)
            {
              if (*s == '"')
                {
                  if (s + 1 < end && s[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      s += 2;
                      continue;
                    }
                  s++;
                  break;
                }
              g_string_append_c (field, *s++);
            }
        }
      while (s < end && *s != ',' && *s != '\n' && *s != '\r')
        g_string_append_c (field, *s++);
      g_ptr_array_add (fields, g_string_free (field, FALSE));
      g_array_append_val (quoted, q);
      if (s < end && *s == ',')
        {
          s++;
          continue;
        }
      if (s < end && *s == '\r')
        s++;
      if (s < end && *s == '\n')
        s++;
      break;
    }
  *p = s;
  return TRUE;
}

/* DuckDB's rendering of a BLOB. */
static char *
blob_text (const char *bytes,
           gsize       len)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    {
      guchar b = (guchar) bytes[i];

      /* The reader already wrote bytes that are not UTF-8 as \xHH. */
      if (b == '\\' && i + 3 < len && bytes[i + 1] == 'x' && g_ascii_isxdigit (bytes[i + 2])
          && g_ascii_isxdigit (bytes[i + 3]))
        {
          g_string_append_len (out, bytes + i, 4);
          i += 3;
        }
      else if (b < 0x20 || b > 0x7e || b == '\'' || b == '"' || b == '\\')
        g_string_append_printf (out, "\\x%02X", b);
      else
        g_string_append_c (out, (char) b);
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_expected_timestamp (const char *text,
                          gint64     *usec)
{
  g_autofree char *t = g_strdup (text);
  gsize len = strlen (t);

  if (len > 3 && g_str_has_suffix (t, "+00"))
    t[len - 3] = '\0';
  if (strlen (t) == 10)
    {
      g_autofree char *day = g_strconcat (t, " 00:00:00", NULL);
      return rf_timestamp_parse (day, strlen (day), RF_TIMESTAMP_FORMAT_ISO, usec);
    }
  return rf_timestamp_parse (t, strlen (t), RF_TIMESTAMP_FORMAT_ISO, usec);
}

/* Whether our value at row equals DuckDB's text; why not in *why. */
static gboolean
value_matches (const RfColumn *column,
               gsize           row,
               const char     *duckdb_type,
               const char     *text,
               char          **why)
{
  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      {
        double want = g_ascii_strtod (text, NULL);
        double have = column->values.f64[row];

        if (isnan (want) && isnan (have))
          return TRUE;
        if (want == have && signbit (want) == signbit (have))
          return TRUE;
        /* FLOAT columns: DuckDB prints the float's shortest form. */
        if (g_strcmp0 (duckdb_type, "FLOAT") == 0 && (float) want == (float) have)
          return TRUE;
        *why = g_strdup_printf ("%.17g", have);
        return FALSE;
      }
    case RF_COLUMN_INT64:
      {
        gint64 have = column->values.i64[row];

        if (g_ascii_strtoll (text, NULL, 10) == have)
          return TRUE;
        *why = g_strdup_printf ("%" G_GINT64_FORMAT, have);
        return FALSE;
      }
    case RF_COLUMN_BOOL:
      if ((column->values.u8[row] != 0) == (strcmp (text, "true") == 0))
        return TRUE;
      *why = g_strdup (column->values.u8[row] ? "true" : "false");
      return FALSE;
    case RF_COLUMN_TIMESTAMP:
      {
        gint64 want = 0, have = column->values.i64[row];

        if (parse_expected_timestamp (text, &want))
          {
            if (want == have)
              return TRUE;
          }
        else
          {
            /* Years past 9999 do not parse; compare whole seconds as text. */
            g_autoptr(GString) mine = g_string_new (NULL);
            g_autofree char *theirs = g_strdelimit (g_strdup (text), " ", 'T');

            rf_timestamp_format (have, mine);
            if (g_str_has_suffix (theirs, "+00"))
              theirs[strlen (theirs) - 3] = '\0';
            if (g_str_has_suffix (mine->str, "Z"))
              g_string_truncate (mine, mine->len - 1);
            if (strcmp (mine->str, theirs) == 0)
              return TRUE;
          }
        *why = g_strdup_printf ("%" G_GINT64_FORMAT " µs", have);
        return FALSE;
      }
    case RF_COLUMN_STRING:
    default:
      {
        gsize len;
        const char *bytes = rf_column_get_string (column, row, &len);
        g_autofree char *have = g_strcmp0 (duckdb_type, "BLOB") == 0 ? blob_text (bytes, len)
                                                                      : g_strndup (bytes, len);

        if (strcmp (have, text) == 0)
          return TRUE;
        *why = g_strdup_printf ("“%s”", have);
        return FALSE;
      }
    }
}

/* The RfColumn type a DuckDB type comes back as (rf-parquet-reader.h). */
static gboolean
type_for_duckdb (const char   *duckdb_type,
                 RfColumnType *type)
{
  static const struct { const char *prefix; RfColumnType type; } map[] = {
    { "BOOLEAN", RF_COLUMN_BOOL },
    { "TINYINT", RF_COLUMN_INT64 }, { "SMALLINT", RF_COLUMN_INT64 },
    { "INTEGER", RF_COLUMN_INT64 }, { "BIGINT", RF_COLUMN_INT64 },
    { "UTINYINT", RF_COLUMN_INT64 }, { "USMALLINT", RF_COLUMN_INT64 },
    { "UINTEGER", RF_COLUMN_INT64 },
    { "FLOAT", RF_COLUMN_DOUBLE }, { "DOUBLE", RF_COLUMN_DOUBLE }, { "DECIMAL", RF_COLUMN_DOUBLE },
    { "DATE", RF_COLUMN_TIMESTAMP }, { "TIMESTAMP", RF_COLUMN_TIMESTAMP },
    { "VARCHAR", RF_COLUMN_STRING }, { "BLOB", RF_COLUMN_STRING }, { "UUID", RF_COLUMN_STRING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_has_prefix (duckdb_type, map[i].prefix))
      {
        *type = map[i].type;
        return TRUE;
      }
  return FALSE;   /* UBIGINT (int64 or double), TIME, ...: not checked */
}

static JsonObject *
load_json (const char *path,
           JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* NAME.schema.json → the DuckDB type of each column (NULL when absent). */
static GPtrArray *
duckdb_types (const char *dir,
              const char *base)
{
  g_autofree char *name = g_strconcat (base, ".schema.json", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  GPtrArray *types = g_ptr_array_new_with_free_func (g_free);
  JsonArray *columns;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return types;
  columns = json_object_get_array_member (load_json (path, parser), "columns");
  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonObject *c = json_array_get_object_element (columns, i);
      JsonNode *t = json_object_get_member (c, "duckdb_type");

      g_ptr_array_add (types, t != NULL && JSON_NODE_HOLDS_VALUE (t)
                                ? g_strdup (json_node_get_string (t)) : NULL);
    }
  return types;
}

static void
check_expected_csv (const RfTable *table,
                    const char    *csv_path,
                    GPtrArray     *types,
                    const char    *file)
{
  g_autofree char *text = NULL;
  gsize length;
  const char *p, *end;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) quoted = g_array_new (FALSE, FALSE, sizeof (gboolean));
  gsize row = 0;
  guint bad = 0;

  g_assert_true (g_file_get_contents (csv_path, &text, &length, NULL));
  p = text;
  end = text + length;
  g_assert_true (next_record (&p, end, fields, quoted));
  g_assert_cmpuint (fields->len, ==, rf_table_get_n_columns (table));
  for (guint c = 0; c < fields->len; c++)
    g_assert_cmpstr (rf_table_get_column (table, c)->name, ==, g_ptr_array_index (fields, c));

  while (next_record (&p, end, fields, quoted))
    {
      g_assert_cmpuint (row, <, rf_table_get_n_rows (table));
      g_assert_cmpuint (fields->len, ==, rf_table_get_n_columns (table));
      for (guint c = 0; c < fields->len; c++)
        {
          const RfColumn *column = rf_table_get_column (table, c);
          const char *want = g_ptr_array_index (fields, c);
          gboolean want_null = want[0] == '\0' && !g_array_index (quoted, gboolean, c);
          const char *type = c < types->len ? g_ptr_array_index (types, c) : NULL;
          g_autofree char *why = NULL;

          if (want_null != !rf_column_is_valid (column, row))
            why = g_strdup (want_null ? "a value" : "missing");
          else if (!want_null && value_matches (column, row, type, want, &why))
            continue;
          else if (want_null)
            continue;
          if (bad++ < 5)
            g_test_message ("%s: row %" G_GSIZE_FORMAT ", column %s: expected “%s”, read %s",
                            file, row + 1, column->name, want_null ? "NULL" : want, why);
        }
      row++;
    }
  g_assert_cmpuint (row, ==, rf_table_get_n_rows (table));
  if (bad > 0)
    g_error ("%s: %u values differ from the expected CSV (see the messages)", file, bad);
}

/* NAME.stats.json: null counts and the first and last values. */
static void
check_stats (const RfTable *table,
             const char    *stats_path,
             const char    *file)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = load_json (stats_path, parser);
  JsonArray *columns = json_object_get_array_member (root, "columns");

  g_assert_cmpint (json_object_get_int_member (root, "rows"), ==, (gint64) rf_table_get_n_rows (table));
  g_assert_cmpuint (json_array_get_length (columns), ==, rf_table_get_n_columns (table));
  for (guint c = 0; c < json_array_get_length (columns); c++)
    {
      JsonObject *s = json_array_get_object_element (columns, c);
      const RfColumn *column = rf_table_get_column (table, c);
      const char *type = json_object_get_string_member (s, "duckdb_type");
      gsize last = column->n_rows - 1;
      struct { const char *key; gsize row; } ends[] = { { "first", 0 }, { "last", last } };

      g_assert_cmpstr (column->name, ==, json_object_get_string_member (s, "name"));
      g_assert_cmpint (json_object_get_int_member (s, "nulls"), ==, (gint64) column->n_missing);
      for (guint e = 0; e < G_N_ELEMENTS (ends); e++)
        {
          JsonNode *node = json_object_get_member (s, ends[e].key);
          g_autofree char *why = NULL;

          if (node == NULL || JSON_NODE_HOLDS_NULL (node))
            {
              g_assert_false (rf_column_is_valid (column, ends[e].row));
              continue;
            }
          if (!value_matches (column, ends[e].row, type, json_node_get_string (node), &why))
            g_error ("%s: column %s: %s value “%s”, read %s", file, column->name, ends[e].key,
                     json_node_get_string (node), why);
        }
    }
}

/* What each refused file's error must say: its code and a word of the
 * reason (a file not listed here only needs a clean RF_ERROR). */
static const struct
{
  const char *file;
  int code;
  const char *keyword;
} refusals[] = {
  { "datapage_v2.snappy.parquet", RF_ERROR_FORMAT, "nested" },
  { "large_string_map.brotli.parquet", RF_ERROR_FORMAT, "nested" },
  { "nulls.snappy.parquet", RF_ERROR_FORMAT, "nested" },
  { "list_columns.parquet", RF_ERROR_FORMAT, "nested" },
  { "nested_maps.snappy.parquet", RF_ERROR_FORMAT, "nested" },
  { "repeated_primitive_no_list.parquet", RF_ERROR_FORMAT, "repeated" },
  { "map_no_value.parquet", RF_ERROR_FORMAT, "nested" },
  { "uniform_encryption.parquet.encrypted", RF_ERROR_FORMAT, "encrypted" },
  { "encrypt_columns_plaintext_footer.parquet.encrypted", RF_ERROR_FORMAT, "encrypted" },
  { "PARQUET-1481.parquet", RF_ERROR_PARSE, "footer" },
  { "ARROW-RS-GH-6229-DICTHEADER.parquet", RF_ERROR_PARSE, "page header" },
  { "ARROW-RS-GH-6229-LEVELS.parquet", RF_ERROR_FORMAT, "nested" },
  { "ARROW-GH-41321.parquet", RF_ERROR_FORMAT, "nested" },
  { "ARROW-GH-41317.parquet", RF_ERROR_PARSE, "footer" },
  { "ARROW-GH-45185.parquet", RF_ERROR_FORMAT, "nested" },
  { "ARROW-GH-47662.parquet", RF_ERROR_PARSE, "flba_field" },
  { "empty.parquet", RF_ERROR_FORMAT, "too small" },
  { "magic-only.parquet", RF_ERROR_FORMAT, "too small" },
  { "magic-twice.parquet", RF_ERROR_FORMAT, "too small" },
  { "truncated-half.parquet", RF_ERROR_FORMAT, "PAR1" },
  { "truncated-last-byte.parquet", RF_ERROR_FORMAT, "PAR1" },
  { "bad-trailing-magic.parquet", RF_ERROR_FORMAT, "PAR1" },
  { "footer-length-huge.parquet", RF_ERROR_PARSE, "footer length" },
  { "footer-length-zero.parquet", RF_ERROR_PARSE, "footer length" },
  { "footer-length-negative.parquet", RF_ERROR_PARSE, "footer length" },
  { "footer-garbage.parquet", RF_ERROR_PARSE, "footer" },
  { "footer-zeroed-tail.parquet", RF_ERROR_PARSE, "footer" },
  { "page-header-garbage.parquet", RF_ERROR_PARSE, "page header" },
  { "not-parquet.parquet", RF_ERROR_FORMAT, "PAR1" },
  { "gzip-page-corrupt.parquet", RF_ERROR_PARSE, "GZIP" },
  { "zstd-page-corrupt.parquet", RF_ERROR_PARSE, "ZSTD" },
};

static void
check_refusal (const char   *display,
               const GError *error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (refusals); i++)
    if (strcmp (refusals[i].file, display) == 0)
      {
        if (error->code != refusals[i].code || strstr (error->message, refusals[i].keyword) == NULL)
          g_error ("%s: expected code %d mentioning “%s”, got code %d: %s", display,
                   refusals[i].code, refusals[i].keyword, error->code, error->message);
        return;
      }
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *relative = g_build_filename ("corpus/parquet", c->file, NULL);
  g_autofree char *path = rf_test_shared_path (relative);
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *display = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) types = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *stats = NULL;

  if (path == NULL)
    return;
  dir = g_path_get_dirname (path);
  display = g_path_get_basename (path);
  base = g_strdup (display);
  if (g_str_has_suffix (base, ".parquet"))
    base[strlen (base) - strlen (".parquet")] = '\0';
  else if (g_str_has_suffix (base, ".parquet.encrypted"))
    base[strlen (base) - strlen (".parquet.encrypted")] = '\0';

  report = rf_read_report_new (path);
  table = rf_parquet_read (path, NULL, report, NULL, NULL, &error);

  if (strcmp (c->expected, "reject") == 0)
    {
      if (table != NULL)
        g_error ("%s should be refused, but it read as %" G_GSIZE_FORMAT " rows", c->file,
                 rf_table_get_n_rows (table));
      g_assert_nonnull (error);
      g_assert_true (error->domain == RF_ERROR);
      g_assert_nonnull (strstr (error->message, display));
      check_refusal (display, error);
      g_test_message ("%s: %s", c->file, error->message);
      return;
    }
  if (table == NULL)
    {
      if (strcmp (c->expected, "either") == 0)
        {
          g_assert_nonnull (error);
          g_assert_nonnull (strstr (error->message, display));
          return;
        }
      g_error ("%s should read: %s", c->file, error->message);
    }
  g_assert_no_error (error);

  if (c->rows >= 0)
    g_assert_cmpint ((gint64) rf_table_get_n_rows (table), ==, c->rows);
  types = duckdb_types (dir, base);
  for (guint i = 0; i < types->len && i < rf_table_get_n_columns (table); i++)
    {
      RfColumnType want;
      const char *t = g_ptr_array_index (types, i);

      if (t != NULL && type_for_duckdb (t, &want))
        if (rf_table_get_column (table, i)->type != want)
          g_error ("%s: column %s is %s, expected %s (DuckDB: %s)", c->file,
                   rf_table_get_column (table, i)->name,
                   rf_column_type_to_string (rf_table_get_column (table, i)->type),
                   rf_column_type_to_string (want), t);
    }

  /* The expected values: NAME.expected.csv, or the shared one the
   * manifest names (the scada_types codecs), or NAME.stats.json. */
  {
    g_auto(GStrv) names = g_strsplit (c->expected_files, " ", -1);

    for (guint i = 0; names[i] != NULL && csv == NULL; i++)
      if (g_str_has_suffix (names[i], ".expected.csv"))
        csv = g_build_filename (dir, names[i], NULL);
    for (guint i = 0; names[i] != NULL && stats == NULL; i++)
      if (g_str_has_suffix (names[i], ".stats.json"))
        stats = g_build_filename (dir, names[i], NULL);
  }
  if (csv != NULL)
    check_expected_csv (table, csv, types, c->file);
  else if (stats != NULL)
    check_stats (table, stats, c->file);
}

static void
test_missing_corpus (void)
{
  g_autofree char *path = rf_test_shared_path ("corpus/parquet/MANIFEST.tsv");

  g_assert_null (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *manifest = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (case_free);
  g_auto(GStrv) lines = NULL;

  g_test_init (&argc, &argv, NULL);

  /* The cases come from the manifest, so it is read before any test runs. */
  if (g_getenv ("RF_SHARED_DIR") != NULL)
    manifest = g_build_filename (g_getenv ("RF_SHARED_DIR"), "corpus/parquet/MANIFEST.tsv", NULL);
  if (manifest == NULL || !g_file_get_contents (manifest, &text, NULL, NULL))
    {
      /* rf_test_shared_path skips it loudly. */
      g_test_add_func ("/rf/parquet/corpus/missing", test_missing_corpus);
      return g_test_run ();
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
      Case *c;
      g_autofree char *test_path = NULL;

      if (g_strv_length (f) < 12)
        continue;
      c = g_new0 (Case, 1);
      c->file = g_strdup (f[0]);
      c->rows = f[2][0] != '\0' ? g_ascii_strtoll (f[2], NULL, 10) : -1;
      c->expected = g_strdup (f[10]);
      c->expected_files = g_strdup (f[11]);
      g_ptr_array_add (cases, c);
      test_path = g_strconcat ("/rf/parquet/corpus/", c->file, NULL);
      g_test_add_data_func (test_path, c, test_case);
    }
  g_assert_cmpuint (cases->len, >, 50);
  return g_test_run ();
}

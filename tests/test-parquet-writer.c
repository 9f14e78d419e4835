/* test-parquet-writer.c: the Parquet writer (rf-parquet-writer.h): round
 * trips through rf-parquet-reader.h for every column type with and without
 * missing values, special doubles, extremes, unicode, empty and one-row
 * tables, row groups, codecs, dictionary and PLAIN strings, units and roles;
 * the footer decoded back (schema, encodings, offsets, exact statistics);
 * page sizes; thread-count independence; atomic writes and cancelling. */
#include "config.h"

#include <float.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "rf-error.h"
#include "rf-parquet-codec.h"
#include "rf-parquet-meta.h"
#include "rf-parquet-reader.h"
#include "rf-parquet-writer.h"
#include "rf-rng.h"
#include "rf-test-util.h"

/* ---- Building tables ----------------------------------------------------- */

static void
add (RfTable  *table,
     RfColumn *column)
{
  rf_table_add_column (table, column);
  rf_column_unref (column);
}

/* Missing where missing[i] is TRUE (missing may be NULL). */
static RfColumn *
doubles (const char     *name,
         const double   *values,
         const gboolean *missing,
         gsize           n)
{
  RfColumn *column = rf_column_new (name, RF_COLUMN_DOUBLE);

  for (gsize i = 0; i < n; i++)
    if (missing != NULL && missing[i])
      rf_column_append_null (column);
    else
      rf_column_append_double (column, values[i]);
  return column;
}

static RfColumn *
int64s (const char     *name,
        RfColumnType    type,
        const gint64   *values,
        const gboolean *missing,
        gsize           n)
{
  RfColumn *column = rf_column_new (name, type);

  for (gsize i = 0; i < n; i++)
    if (missing != NULL && missing[i])
      rf_column_append_null (column);
    else if (type == RF_COLUMN_TIMESTAMP)
      rf_column_append_timestamp (column, values[i]);
    else
      rf_column_append_int64 (column, values[i]);
  return column;
}

/* NULL entries are missing values. */
static RfColumn *
strings (const char         *name,
         const char * const *values,
         gsize               n)
{
  RfColumn *column = rf_column_new (name, RF_COLUMN_STRING);

  for (gsize i = 0; i < n; i++)
    if (values[i] == NULL)
      rf_column_append_null (column);
    else
      rf_column_append_string (column, values[i], -1);
  return column;
}

/* bools: 0, 1, or -1 for missing. */
static RfColumn *
bools (const char *name,
       const int  *values,
       gsize       n)
{
  RfColumn *column = rf_column_new (name, RF_COLUMN_BOOL);

  for (gsize i = 0; i < n; i++)
    if (values[i] < 0)
      rf_column_append_null (column);
    else
      rf_column_append_bool (column, values[i]);
  return column;
}

/* A seeded table of every type, n rows; with_missing puts missing values in
 * every column at different rates. */
static RfTable *
mixed_table (gsize    n,
             gboolean with_missing,
             guint64  seed)
{
  RfTable *table = rf_table_new ();
  RfColumn *d = rf_column_new ("temperature", RF_COLUMN_DOUBLE);
  RfColumn *i = rf_column_new ("count", RF_COLUMN_INT64);
  RfColumn *b = rf_column_new ("running", RF_COLUMN_BOOL);
  RfColumn *s = rf_column_new ("state", RF_COLUMN_STRING);
  RfColumn *t = rf_column_new ("time", RF_COLUMN_TIMESTAMP);
  static const char *states[] = { "idle", "run", "fault", "", "wartung läuft", "停止" };
  RfRng rng;

  rf_rng_init (&rng, seed);
  for (gsize r = 0; r < n; r++)
    {
      if (with_missing && rf_rng_below (&rng, 5) == 0)
        rf_column_append_null (d);
      else
        rf_column_append_double (d, (rf_rng_uniform (&rng) - 0.3) * 200.0);
      if (with_missing && rf_rng_below (&rng, 7) == 0)
        rf_column_append_null (i);
      else
        rf_column_append_int64 (i, (gint64) rf_rng_next_u64 (&rng));
      if (with_missing && rf_rng_below (&rng, 3) == 0)
        rf_column_append_null (b);
      else
        rf_column_append_bool (b, rf_rng_below (&rng, 2));
      if (with_missing && rf_rng_below (&rng, 4) == 0)
        rf_column_append_null (s);
      else
        rf_column_append_string (s, states[rf_rng_below (&rng, G_N_ELEMENTS (states))], -1);
      if (with_missing && rf_rng_below (&rng, 11) == 0)
        rf_column_append_null (t);
      else
        rf_column_append_timestamp (t, (gint64) r * 1000000 - (gint64) 3600 * G_USEC_PER_SEC +
                                       (gint64) rf_rng_below (&rng, 1000));
    }
  rf_column_set_unit (d, "°C");
  rf_column_set_role (t, RF_ROLE_TIMESTAMP);
  rf_column_set_role (s, RF_ROLE_CATEGORY);
  add (table, d);
  add (table, i);
  add (table, b);
  add (table, s);
  add (table, t);
  return table;
}

/* ---- Writing and reading back ------------------------------------------- */

static GBytes *
write_bytes (const RfTable               *table,
             const RfParquetWriteOptions *options)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = rf_parquet_write_bytes (table, options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return bytes;
}

static RfTable *
read_bytes (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfParquetFile) file = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  RfTable *table;

  file = rf_parquet_file_open_bytes (data, length, "written.parquet", &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);
  table = rf_parquet_file_read (file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

/* Every name, type, unit, role, missing value and value bit for bit (so
 * that -0.0 and NaN payloads count). */
static void
assert_tables_equal (const RfTable *expected,
                     const RfTable *actual)
{
  g_assert_cmpuint (rf_table_get_n_columns (actual), ==, rf_table_get_n_columns (expected));
  g_assert_cmpuint (rf_table_get_n_rows (actual), ==, rf_table_get_n_rows (expected));
  for (guint c = 0; c < rf_table_get_n_columns (expected); c++)
    {
      const RfColumn *e = rf_table_get_column (expected, c);
      const RfColumn *a = rf_table_get_column (actual, c);

      g_assert_cmpstr (a->name, ==, e->name);
      g_assert_cmpint (a->type, ==, e->type);
      g_assert_cmpstr (a->unit, ==, e->unit);
      g_assert_cmpint (a->role, ==, e->role);
      g_assert_cmpuint (a->n_missing, ==, e->n_missing);
      for (gsize r = 0; r < e->n_rows; r++)
        {
          gboolean valid = rf_column_is_valid (e, r);

          if (rf_column_is_valid (a, r) != valid)
            g_error ("column %s row %" G_GSIZE_FORMAT ": missing differs", e->name, r);
          if (!valid)
            continue;
          switch (e->type)
            {
            case RF_COLUMN_DOUBLE:
              if (memcmp (&a->values.f64[r], &e->values.f64[r], 8) != 0)
                g_error ("column %s row %" G_GSIZE_FORMAT ": %.17g, expected %.17g", e->name, r,
                         a->values.f64[r], e->values.f64[r]);
              break;
            case RF_COLUMN_INT64:
            case RF_COLUMN_TIMESTAMP:
              g_assert_cmpint (a->values.i64[r], ==, e->values.i64[r]);
              break;
            case RF_COLUMN_BOOL:
              g_assert_cmpint (a->values.u8[r], ==, e->values.u8[r]);
              break;
            case RF_COLUMN_STRING:
              {
                gsize el, al;
                const char *ev = rf_column_get_string (e, r, &el);
                const char *av = rf_column_get_string (a, r, &al);

                g_assert_cmpmem (av, al, ev, el);
              }
              break;
            default:
              g_assert_not_reached ();
            }
        }
    }
}

static void
assert_round_trip (const RfTable               *table,
                   const RfParquetWriteOptions *options)
{
  g_autoptr(GBytes) bytes = write_bytes (table, options);
  g_autoptr(RfTable) back = read_bytes (bytes);

  assert_tables_equal (table, back);
}

/* ---- The footer ---------------------------------------------------------- */

typedef struct
{
  RfPqFileMetaData meta;
} Footer;

static void
footer_clear (Footer *footer)
{
  rf_pq_file_meta_data_clear (&footer->meta);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Footer, footer_clear)

static void
decode_footer (GBytes *bytes,
               Footer *footer)
{
  g_autoptr(GError) error = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  guint32 footer_length;

  g_assert_cmpuint (length, >=, 12);
  g_assert_cmpmem (data, 4, "PAR1", 4);
  g_assert_cmpmem (data + length - 4, 4, "PAR1", 4);
  memcpy (&footer_length, data + length - 8, 4);
  footer_length = GUINT32_FROM_LE (footer_length);
  g_assert_cmpuint (footer_length, <=, length - 12);
  memset (footer, 0, sizeof *footer);
  g_assert_true (rf_pq_file_meta_data_decode (data + length - 8 - footer_length, footer_length,
                                              &footer->meta, &error));
  g_assert_no_error (error);
}

static const RfPqColumnMetaData *
chunk_meta (const Footer *footer,
            guint         row_group,
            guint         column)
{
  const RfPqRowGroup *group;
  const RfPqColumnChunk *chunk;

  g_assert_cmpuint (row_group, <, footer->meta.row_groups->len);
  group = &g_array_index (footer->meta.row_groups, RfPqRowGroup, row_group);
  g_assert_cmpuint (column, <, group->columns->len);
  chunk = &g_array_index (group->columns, RfPqColumnChunk, column);
  g_assert_true (chunk->has_meta_data);
  return &chunk->meta_data;
}

static const RfPqSchemaElement *
schema_leaf (const Footer *footer,
             guint         column)
{
  g_assert_cmpuint (column + 1, <, footer->meta.schema->len);
  return &g_array_index (footer->meta.schema, RfPqSchemaElement, column + 1);
}

static gboolean
has_encoding (const RfPqColumnMetaData *meta,
              RfPqEncoding              encoding)
{
  for (guint i = 0; i < meta->encodings->len; i++)
    if (g_array_index (meta->encodings, gint32, i) == (gint32) encoding)
      return TRUE;
  return FALSE;
}

static void
assert_stats_null_count (const RfPqColumnMetaData *meta,
                         gint64                    null_count)
{
  g_assert_true (meta->has_statistics);
  g_assert_true (meta->statistics.has_null_count);
  g_assert_cmpint (meta->statistics.null_count, ==, null_count);
}

static void
assert_no_min_max (const RfPqColumnMetaData *meta)
{
  g_assert_true (meta->has_statistics);
  g_assert_null (meta->statistics.min);
  g_assert_null (meta->statistics.max);
}

static void
assert_stats_bytes (const RfPqColumnMetaData *meta,
                    const void               *min,
                    gsize                     min_length,
                    const void               *max,
                    gsize                     max_length)
{
  g_assert_true (meta->has_statistics);
  g_assert_nonnull (meta->statistics.min);
  g_assert_nonnull (meta->statistics.max);
  g_assert_cmpmem (g_bytes_get_data (meta->statistics.min, NULL),
                   g_bytes_get_size (meta->statistics.min), min, min_length);
  g_assert_cmpmem (g_bytes_get_data (meta->statistics.max, NULL),
                   g_bytes_get_size (meta->statistics.max), max, max_length);
}

static void
assert_stats_double (const RfPqColumnMetaData *meta,
                     double                    min,
                     double                    max)
{
  assert_stats_bytes (meta, &min, 8, &max, 8);
}

static void
assert_stats_int64 (const RfPqColumnMetaData *meta,
                    gint64                    min,
                    gint64                    max)
{
  assert_stats_bytes (meta, &min, 8, &max, 8);
}

static void
assert_stats_string (const RfPqColumnMetaData *meta,
                     const char               *min,
                     const char               *max)
{
  assert_stats_bytes (meta, min, strlen (min), max, strlen (max));
}

/* The data pages of one column chunk, walked through their headers. */
static guint
count_pages (GBytes                   *bytes,
             const RfPqColumnMetaData *meta,
             RfPqPageType              type)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gint64 start = meta->has_dictionary_page_offset ? meta->dictionary_page_offset
                                                  : meta->data_page_offset;
  gint64 end = start + meta->total_compressed_size;
  gint64 pos = start;
  guint n = 0;

  g_assert_cmpint (end, <=, (gint64) length);
  while (pos < end)
    {
      g_autoptr(GError) error = NULL;
      RfPqPageHeader header = { 0 };
      gsize consumed;

      g_assert_true (rf_pq_page_header_decode (data + pos, (gsize) (end - pos), &header,
                                               &consumed, &error));
      g_assert_no_error (error);
      if (header.type == type)
        n++;
      pos += (gint64) consumed + header.compressed_page_size;
      rf_pq_page_header_clear (&header);
    }
  g_assert_cmpint (pos, ==, end);
  return n;
}

/* ---- Tests ----------------------------------------------------------------- */

static void
test_types (void)
{
  g_autoptr(RfTable) table = mixed_table (100, FALSE, 1);
  g_autoptr(GBytes) bytes = write_bytes (table, NULL);
  g_autoptr(RfTable) back = read_bytes (bytes);
  g_auto(Footer) footer;
  static const struct
  {
    RfPqType type;
    RfPqConverted converted;
    RfPqLogicalKind logical;
  } expected[] = {
    { RF_PQ_DOUBLE, RF_PQ_CONVERTED_NONE, RF_PQ_LOGICAL_NONE },
    { RF_PQ_INT64, RF_PQ_CONVERTED_NONE, RF_PQ_LOGICAL_NONE },
    { RF_PQ_BOOLEAN, RF_PQ_CONVERTED_NONE, RF_PQ_LOGICAL_NONE },
    { RF_PQ_BYTE_ARRAY, RF_PQ_CONVERTED_UTF8, RF_PQ_LOGICAL_STRING },
    { RF_PQ_INT64, RF_PQ_CONVERTED_TIMESTAMP_MICROS, RF_PQ_LOGICAL_TIMESTAMP },
  };

  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  g_assert_cmpint (footer.meta.version, ==, 1);
  g_assert_cmpint (footer.meta.num_rows, ==, 100);
  g_assert_cmpstr (footer.meta.created_by, ==, "refinery version " PACKAGE_VERSION);
  g_assert_cmpuint (footer.meta.schema->len, ==, 6);
  g_assert_false (g_array_index (footer.meta.schema, RfPqSchemaElement, 0).has_type);
  g_assert_cmpint (g_array_index (footer.meta.schema, RfPqSchemaElement, 0).num_children, ==, 5);
  for (guint c = 0; c < G_N_ELEMENTS (expected); c++)
    {
      const RfPqSchemaElement *leaf = schema_leaf (&footer, c);
      const RfPqColumnMetaData *meta = chunk_meta (&footer, 0, c);

      g_assert_cmpstr (leaf->name, ==, rf_table_get_column (table, c)->name);
      g_assert_true (leaf->has_type);
      g_assert_cmpint (leaf->type, ==, expected[c].type);
      g_assert_true (leaf->has_repetition);
      g_assert_cmpint (leaf->repetition, ==, RF_PQ_REQUIRED);
      g_assert_cmpint (leaf->converted, ==, expected[c].converted);
      g_assert_cmpint (leaf->logical.kind, ==, expected[c].logical);
      g_assert_cmpint (meta->type, ==, expected[c].type);
      g_assert_cmpint (meta->codec, ==, RF_PQ_CODEC_ZSTD);
      g_assert_cmpint (meta->num_values, ==, 100);
      g_assert_cmpuint (meta->path_in_schema->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (meta->path_in_schema, 0), ==, leaf->name);
      g_assert_true (has_encoding (meta, RF_PQ_PLAIN));
      /* REQUIRED: no levels. */
      g_assert_false (has_encoding (meta, RF_PQ_RLE));
      assert_stats_null_count (meta, 0);
    }
  g_assert_true (schema_leaf (&footer, 4)->logical.adjusted_to_utc);
  g_assert_cmpint (schema_leaf (&footer, 4)->logical.unit, ==, RF_PQ_UNIT_MICROS);
  /* Few distinct strings: a dictionary. */
  g_assert_true (has_encoding (chunk_meta (&footer, 0, 3), RF_PQ_RLE_DICTIONARY));
  g_assert_true (chunk_meta (&footer, 0, 3)->has_dictionary_page_offset);
}

static void
test_missing (void)
{
  g_autoptr(RfTable) table = mixed_table (1000, TRUE, 2);
  g_autoptr(GBytes) bytes = write_bytes (table, NULL);
  g_autoptr(RfTable) back = read_bytes (bytes);
  g_auto(Footer) footer;

  for (guint c = 0; c < rf_table_get_n_columns (table); c++)
    g_assert_cmpuint (rf_table_get_column (table, c)->n_missing, >, 0);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  for (guint c = 0; c < rf_table_get_n_columns (table); c++)
    {
      const RfPqColumnMetaData *meta = chunk_meta (&footer, 0, c);

      g_assert_cmpint (schema_leaf (&footer, c)->repetition, ==, RF_PQ_OPTIONAL);
      g_assert_true (has_encoding (meta, RF_PQ_RLE));
      assert_stats_null_count (meta, (gint64) rf_table_get_column (table, c)->n_missing);
      g_assert_cmpint (meta->num_values, ==, 1000);
    }
}

static void
test_all_missing (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  static const RfColumnType types[] = {
    RF_COLUMN_DOUBLE, RF_COLUMN_INT64, RF_COLUMN_BOOL, RF_COLUMN_STRING, RF_COLUMN_TIMESTAMP,
  };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfTable) back = NULL;
  g_auto(Footer) footer;

  for (guint c = 0; c < G_N_ELEMENTS (types); c++)
    {
      g_autofree char *name = g_strdup_printf ("empty_%s", rf_column_type_to_string (types[c]));
      RfColumn *column = rf_column_new (name, types[c]);

      for (int r = 0; r < 37; r++)
        rf_column_append_null (column);
      add (table, column);
    }
  bytes = write_bytes (table, NULL);
  back = read_bytes (bytes);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  for (guint c = 0; c < G_N_ELEMENTS (types); c++)
    {
      const RfPqColumnMetaData *meta = chunk_meta (&footer, 0, c);

      g_assert_cmpint (schema_leaf (&footer, c)->repetition, ==, RF_PQ_OPTIONAL);
      assert_stats_null_count (meta, 37);
      assert_no_min_max (meta);
      /* Nothing to put in a dictionary. */
      g_assert_false (meta->has_dictionary_page_offset);
    }
}

static void
test_special_doubles (void)
{
  static const double values[] = {
    NAN, INFINITY, -INFINITY, -0.0, 0.0, DBL_MIN, -DBL_MAX, DBL_MAX, 5e-324, 1.0 / 3.0, -NAN,
  };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfTable) back = NULL;
  g_auto(Footer) footer;

  add (table, doubles ("special", values, NULL, G_N_ELEMENTS (values)));
  bytes = write_bytes (table, NULL);
  back = read_bytes (bytes);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  assert_stats_double (chunk_meta (&footer, 0, 0), -INFINITY, INFINITY);
}

/* NaN never becomes the min or max; zeros widen to -0.0 / +0.0. One row
 * group per case. */
static void
test_double_statistics (void)
{
  static const double values[] = {
    NAN, NAN, NAN, NAN,           /* nothing but NaN: no min/max */
    NAN, 2.5, NAN, -1.5,          /* NaN ignored */
    0.0, 0.0, 0.0, 0.0,           /* +0.0 alone: min -0.0, max +0.0 */
    -0.0, -0.0, -0.0, -0.0,       /* -0.0 alone: the same */
    -0.0, 3.0, 0.0, 1.0,          /* zero min: -0.0 */
    -7.0, -0.0, -2.0, NAN,        /* zero max: +0.0 */
    9.0, 4.0, 6.0, 4.0,           /* missing 9.0 and 6.0 ignored */
    NAN, 1.0, NAN, NAN,           /* missing 1.0: nothing left but NaN */
  };
  static const gboolean missing[G_N_ELEMENTS (values)] = {
    [24] = TRUE, [26] = TRUE, [29] = TRUE,
  };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfTable) back = NULL;
  g_auto(Footer) footer;
  RfParquetWriteOptions options;

  add (table, doubles ("x", values, missing, G_N_ELEMENTS (values)));
  rf_parquet_write_options_init (&options);
  options.row_group_rows = 4;
  bytes = write_bytes (table, &options);
  back = read_bytes (bytes);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  g_assert_cmpuint (footer.meta.row_groups->len, ==, 8);
  assert_no_min_max (chunk_meta (&footer, 0, 0));
  assert_stats_double (chunk_meta (&footer, 1, 0), -1.5, 2.5);
  assert_stats_double (chunk_meta (&footer, 2, 0), -0.0, 0.0);
  assert_stats_double (chunk_meta (&footer, 3, 0), -0.0, 0.0);
  assert_stats_double (chunk_meta (&footer, 4, 0), -0.0, 3.0);
  assert_stats_double (chunk_meta (&footer, 5, 0), -7.0, 0.0);
  assert_stats_double (chunk_meta (&footer, 6, 0), 4.0, 4.0);
  assert_stats_null_count (chunk_meta (&footer, 6, 0), 2);
  assert_no_min_max (chunk_meta (&footer, 7, 0));
  assert_stats_null_count (chunk_meta (&footer, 7, 0), 1);
  for (guint g = 0; g < 6; g++)
    assert_stats_null_count (chunk_meta (&footer, g, 0), 0);
}

static void
test_int64_extremes (void)
{
  static const gint64 values[] = { 0, G_MININT64, -1, G_MAXINT64, 1, G_MININT64 + 1 };
  static const gboolean missing[] = { FALSE, FALSE, FALSE, FALSE, TRUE, FALSE };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfTable) back = NULL;
  g_auto(Footer) footer;

  add (table, int64s ("i", RF_COLUMN_INT64, values, NULL, G_N_ELEMENTS (values)));
  add (table, int64s ("j", RF_COLUMN_INT64, values, missing, G_N_ELEMENTS (values)));
  bytes = write_bytes (table, NULL);
  back = read_bytes (bytes);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  assert_stats_int64 (chunk_meta (&footer, 0, 0), G_MININT64, G_MAXINT64);
  assert_stats_int64 (chunk_meta (&footer, 0, 1), G_MININT64, G_MAXINT64);
  assert_stats_null_count (chunk_meta (&footer, 0, 1), 1);
}

static void
test_timestamps (void)
{
  static const gint64 values[] = {
    -62135596800000000,           /* 0001-01-01 */
    -1,                           /* 1969-12-31 23:59:59.999999 */
    0,
    -86400000000 * 365,           /* 1969-01-01 */
    253402300799999999,           /* 9999-12-31 23:59:59.999999 */
    1709251200123456,             /* 2024-03-01 00:00:00.123456 */
  };
  static const gboolean missing[] = { FALSE, FALSE, TRUE, FALSE, FALSE, FALSE };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfTable) back = NULL;
  g_auto(Footer) footer;

  add (table, int64s ("t", RF_COLUMN_TIMESTAMP, values, NULL, G_N_ELEMENTS (values)));
  add (table, int64s ("u", RF_COLUMN_TIMESTAMP, values, missing, G_N_ELEMENTS (values)));
  bytes = write_bytes (table, NULL);
  back = read_bytes (bytes);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  assert_stats_int64 (chunk_meta (&footer, 0, 0), -62135596800000000, 253402300799999999);
  assert_stats_int64 (chunk_meta (&footer, 0, 1), -62135596800000000, 253402300799999999);
  assert_stats_null_count (chunk_meta (&footer, 0, 1), 1);
}

static void
test_strings (void)
{
  static const char *values[] = {
    "Lager", "", "°C", "ß", "日本語のセンサー", "z", "emoji 🌡", NULL, "A", "",
    "a\"b,c\nd", "Zürich", NULL, "\xc3\xa9", "zz",
  };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfTable) back = NULL;
  g_auto(Footer) footer;
  RfParquetWriteOptions options;
  RfColumn *nul;
  RfColumn *empty;

  add (table, strings ("dictionary", values, G_N_ELEMENTS (values)));
  /* A NUL byte inside a value is data like any other. */
  nul = rf_column_new ("with_nul", RF_COLUMN_STRING);
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    rf_column_append_string (nul, "a\0b", i % 2 == 0 ? 3 : 1);
  add (table, nul);
  /* Nothing but empty strings: a column with no bytes at all. */
  empty = rf_column_new ("empty", RF_COLUMN_STRING);
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    rf_column_append_string (empty, "", 0);
  add (table, empty);
  bytes = write_bytes (table, NULL);
  back = read_bytes (bytes);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  /* Unsigned bytes: "" first, the 4-byte emoji and CJK after ASCII and
   * Latin-1. */
  assert_stats_string (chunk_meta (&footer, 0, 0), "", "日本語のセンサー");
  assert_stats_null_count (chunk_meta (&footer, 0, 0), 2);
  assert_stats_bytes (chunk_meta (&footer, 0, 1), "a", 1, "a\0b", 3);
  assert_stats_string (chunk_meta (&footer, 0, 2), "", "");

  /* The same without a dictionary. */
  rf_parquet_write_options_init (&options);
  options.dictionary = FALSE;
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&back, rf_table_unref);
  footer_clear (&footer);
  bytes = write_bytes (table, &options);
  back = read_bytes (bytes);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  for (guint c = 0; c < 3; c++)
    {
      g_assert_false (chunk_meta (&footer, 0, c)->has_dictionary_page_offset);
      g_assert_false (has_encoding (chunk_meta (&footer, 0, c), RF_PQ_RLE_DICTIONARY));
    }
  assert_stats_string (chunk_meta (&footer, 0, 0), "", "日本語のセンサー");
  assert_stats_string (chunk_meta (&footer, 0, 2), "", "");
}

static void
test_long_string_statistics (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autofree char *long_value = g_strnfill (5000, 'x');
  const char *values[] = { "b", long_value, "a" };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfTable) back = NULL;
  g_auto(Footer) footer;

  add (table, strings ("s", values, G_N_ELEMENTS (values)));
  bytes = write_bytes (table, NULL);
  back = read_bytes (bytes);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  /* Too long for the footer: no min/max, the count is still there. */
  assert_no_min_max (chunk_meta (&footer, 0, 0));
  assert_stats_null_count (chunk_meta (&footer, 0, 0), 0);
}

static void
test_bools (void)
{
  static const int values[] = { 1, 0, -1, 1, 1, 1, 0, 0, 1, -1, 0, 1, 1 };
  static const int all_true[] = { 1, 1, -1, 1 };
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTable) table2 = rf_table_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bytes2 = NULL;
  g_autoptr(RfTable) back = NULL;
  g_autoptr(RfTable) back2 = NULL;
  g_auto(Footer) footer;
  g_auto(Footer) footer2;
  RfColumn *long_column = rf_column_new ("long", RF_COLUMN_BOOL);
  RfColumn *required = rf_column_new ("required", RF_COLUMN_BOOL);
  guint8 f = 0, t = 1;

  add (table, bools ("b", values, G_N_ELEMENTS (values)));
  bytes = write_bytes (table, NULL);
  back = read_bytes (bytes);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  assert_stats_bytes (chunk_meta (&footer, 0, 0), &f, 1, &t, 1);
  assert_stats_null_count (chunk_meta (&footer, 0, 0), 2);

  /* Bit packing across many bytes, with and without levels. */
  for (int r = 0; r < 1001; r++)
    {
      if (r % 13 == 5)
        rf_column_append_null (long_column);
      else
        rf_column_append_bool (long_column, (r * 7) % 5 < 2);
      rf_column_append_bool (required, (r % 3) == 0);
    }
  add (table2, long_column);
  add (table2, required);
  assert_round_trip (table2, NULL);

  g_clear_pointer (&table2, rf_table_unref);
  table2 = rf_table_new ();
  add (table2, bools ("t", all_true, G_N_ELEMENTS (all_true)));
  bytes2 = write_bytes (table2, NULL);
  back2 = read_bytes (bytes2);
  assert_tables_equal (table2, back2);
  decode_footer (bytes2, &footer2);
  assert_stats_bytes (chunk_meta (&footer2, 0, 0), &t, 1, &t, 1);
}

static void
test_empty_table (void)
{
  g_autoptr(RfTable) table = mixed_table (0, FALSE, 3);
  g_autoptr(GBytes) bytes = write_bytes (table, NULL);
  g_autoptr(RfTable) back = read_bytes (bytes);
  g_auto(Footer) footer;

  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  g_assert_cmpint (footer.meta.num_rows, ==, 0);
  g_assert_cmpuint (footer.meta.row_groups->len, ==, 0);
  g_assert_cmpuint (footer.meta.schema->len, ==, 6);
}

/* Parquet has no file without columns: refused, nothing written. */
static void
test_no_columns (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "none.parquet", NULL);
  g_autofree char *expected = NULL;

  g_assert_null (rf_parquet_write_bytes (table, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_false (rf_parquet_write (table, path, NULL, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_EMPTY);
  expected = g_strdup_printf ("Cannot write “%s”: the table has no columns, and a Parquet file "
                              "needs at least one", path);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (rf_test_count_files (dir), ==, 0);
  rf_test_remove_tree (dir);
}

static void
test_one_row (void)
{
  g_autoptr(RfTable) table = mixed_table (1, FALSE, 4);
  g_autoptr(RfTable) missing = rf_table_new ();
  g_autoptr(GBytes) bytes = write_bytes (table, NULL);
  g_autoptr(RfTable) back = read_bytes (bytes);
  g_auto(Footer) footer;
  double x = rf_table_get_column (table, 0)->values.f64[0];

  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  g_assert_cmpuint (footer.meta.row_groups->len, ==, 1);
  assert_stats_double (chunk_meta (&footer, 0, 0), x, x);

  for (guint c = 0; c < 5; c++)
    {
      RfColumn *column = rf_column_new (rf_table_get_column (table, c)->name,
                                        rf_table_get_column (table, c)->type);

      rf_column_append_null (column);
      add (missing, column);
    }
  assert_round_trip (missing, NULL);
}

static void
test_row_groups (void)
{
  g_autoptr(RfTable) table = mixed_table (1000, TRUE, 5);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfTable) back = NULL;
  g_auto(Footer) footer;
  RfParquetWriteOptions options;
  const RfColumn *d = rf_table_get_column (table, 0);
  const RfColumn *s = rf_table_get_column (table, 3);

  rf_parquet_write_options_init (&options);
  options.row_group_rows = 64;
  bytes = write_bytes (table, &options);
  back = read_bytes (bytes);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  /* 15 full groups and one of 40 rows. */
  g_assert_cmpuint (footer.meta.row_groups->len, ==, 16);
  for (guint g = 0; g < 16; g++)
    {
      const RfPqRowGroup *group = &g_array_index (footer.meta.row_groups, RfPqRowGroup, g);
      gsize start = g * 64, n = g < 15 ? 64 : 40;
      double lo = INFINITY, hi = -INFINITY;
      gint64 missing = 0, string_missing = 0;
      const char *slo = NULL, *shi = NULL;

      g_assert_cmpint (group->num_rows, ==, (gint64) n);
      g_assert_cmpuint (group->columns->len, ==, 5);
      for (gsize r = start; r < start + n; r++)
        {
          if (!rf_column_is_valid (d, r))
            missing++;
          else
            {
              lo = MIN (lo, d->values.f64[r]);
              hi = MAX (hi, d->values.f64[r]);
            }
          if (!rf_column_is_valid (s, r))
            string_missing++;
          else
            {
              gsize length;
              const char *v = rf_column_get_string (s, r, &length);
              g_autofree char *copy = g_strndup (v, length);

              /* Strings of the set are distinct C strings: strcmp orders them
               * as unsigned bytes do. */
              if (slo == NULL || strcmp (copy, slo) < 0)
                slo = g_intern_string (copy);
              if (shi == NULL || strcmp (copy, shi) > 0)
                shi = g_intern_string (copy);
            }
        }
      assert_stats_double (chunk_meta (&footer, g, 0), lo, hi);
      assert_stats_null_count (chunk_meta (&footer, g, 0), missing);
      assert_stats_string (chunk_meta (&footer, g, 3), slo, shi);
      assert_stats_null_count (chunk_meta (&footer, g, 3), string_missing);
      g_assert_cmpint (chunk_meta (&footer, g, 3)->num_values, ==, (gint64) n);
    }
}

static void
test_codecs (void)
{
  static const RfPqCodec codecs[] = {
    RF_PQ_CODEC_UNCOMPRESSED, RF_PQ_CODEC_SNAPPY, RF_PQ_CODEC_GZIP, RF_PQ_CODEC_ZSTD,
    RF_PQ_CODEC_LZ4_RAW, RF_PQ_CODEC_BROTLI,
  };
  g_autoptr(RfTable) table = mixed_table (3000, TRUE, 6);

  for (guint k = 0; k < G_N_ELEMENTS (codecs); k++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(RfTable) back = NULL;
      g_auto(Footer) footer;
      RfParquetWriteOptions options;

      if (!rf_pq_codec_is_supported (codecs[k]))
        {
          g_test_message ("%s is not in this build", rf_pq_codec_to_string (codecs[k]));
          continue;
        }
      rf_parquet_write_options_init (&options);
      options.codec = codecs[k];
      options.row_group_rows = 1000;
      bytes = write_bytes (table, &options);
      back = read_bytes (bytes);
      assert_tables_equal (table, back);
      decode_footer (bytes, &footer);
      g_assert_cmpuint (footer.meta.row_groups->len, ==, 3);
      for (guint g = 0; g < 3; g++)
        for (guint c = 0; c < 5; c++)
          {
            const RfPqColumnMetaData *meta = chunk_meta (&footer, g, c);

            g_assert_cmpint (meta->codec, ==, codecs[k]);
            if (codecs[k] == RF_PQ_CODEC_UNCOMPRESSED)
              g_assert_cmpint (meta->total_compressed_size, ==, meta->total_uncompressed_size);
          }
    }

  /* Levels are the codecs' business: every level gives the same table. */
  for (int level = 1; level <= 19; level += 9)
    {
      RfParquetWriteOptions options;

      rf_parquet_write_options_init (&options);
      options.level = level;
      assert_round_trip (table, &options);
    }
}

static void
test_unsupported_codec (void)
{
  g_autoptr(RfTable) table = mixed_table (10, FALSE, 7);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "lzo.parquet", NULL);
  RfParquetWriteOptions options;

  rf_parquet_write_options_init (&options);
  options.codec = RF_PQ_CODEC_LZO;
  g_assert_null (rf_parquet_write_bytes (table, &options, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "LZO"));
  g_clear_error (&error);
  g_assert_false (rf_parquet_write (table, path, &options, NULL, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "lzo.parquet"));
  g_assert_cmpuint (rf_test_count_files (dir), ==, 0);
  rf_test_remove_tree (dir);
}

static void
test_dictionary_fallback (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(RfTable) wide_table = rf_table_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) wide_bytes = NULL;
  g_autoptr(RfTable) back = NULL;
  g_autoptr(RfTable) wide_back = NULL;
  g_auto(Footer) footer;
  g_auto(Footer) wide_footer;
  RfParquetWriteOptions options;
  RfColumn *distinct = rf_column_new ("distinct", RF_COLUMN_STRING);
  RfColumn *few = rf_column_new ("few", RF_COLUMN_STRING);
  RfColumn *wide = rf_column_new ("wide", RF_COLUMN_STRING);
  char wide_value[4000];

  /* 70,000 distinct values in each group of 70,000 rows: past the entry
   * limit. */
  for (gsize r = 0; r < 140000; r++)
    {
      char buf[32];

      g_snprintf (buf, sizeof buf, "serial-%07" G_GSIZE_FORMAT, r);
      rf_column_append_string (distinct, buf, -1);
      if (r % 1000 == 999)
        rf_column_append_null (few);
      else
        rf_column_append_string (few, r % 3 == 0 ? "on" : "off", -1);
    }
  add (table, distinct);
  add (table, few);
  rf_parquet_write_options_init (&options);
  options.row_group_rows = 70000;
  options.codec = RF_PQ_CODEC_SNAPPY;
  bytes = write_bytes (table, &options);
  back = read_bytes (bytes);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  for (guint g = 0; g < 2; g++)
    {
      const RfPqColumnMetaData *plain = chunk_meta (&footer, g, 0);
      const RfPqColumnMetaData *dict = chunk_meta (&footer, g, 1);
      g_autofree char *first = g_strdup_printf ("serial-%07u", g * 70000);
      g_autofree char *last = g_strdup_printf ("serial-%07u", g * 70000 + 69999);

      g_assert_false (plain->has_dictionary_page_offset);
      g_assert_false (has_encoding (plain, RF_PQ_RLE_DICTIONARY));
      g_assert_cmpuint (count_pages (bytes, plain, RF_PQ_PAGE_DICTIONARY), ==, 0);
      assert_stats_string (plain, first, last);
      g_assert_true (dict->has_dictionary_page_offset);
      g_assert_true (has_encoding (dict, RF_PQ_RLE_DICTIONARY));
      g_assert_true (has_encoding (dict, RF_PQ_RLE));
      g_assert_cmpuint (count_pages (bytes, dict, RF_PQ_PAGE_DICTIONARY), ==, 1);
      g_assert_cmpint (dict->dictionary_page_offset, <, dict->data_page_offset);
      assert_stats_string (dict, "off", "on");
      assert_stats_null_count (dict, 70);
    }

  /* 300 distinct values of 4000 bytes in each group of 600 rows: past the
   * 1 MiB dictionary page. */
  memset (wide_value, 'w', sizeof wide_value);
  for (gsize r = 0; r < 1200; r++)
    {
      char buf[8];

      g_snprintf (buf, sizeof buf, "%05" G_GSIZE_FORMAT, (r * 7) % 300);
      memcpy (wide_value, buf, 5);
      rf_column_append_string (wide, wide_value, sizeof wide_value);
    }
  add (wide_table, wide);
  options.row_group_rows = 600;
  wide_bytes = write_bytes (wide_table, &options);
  wide_back = read_bytes (wide_bytes);
  assert_tables_equal (wide_table, wide_back);
  decode_footer (wide_bytes, &wide_footer);
  for (guint g = 0; g < 2; g++)
    {
      const RfPqColumnMetaData *meta = chunk_meta (&wide_footer, g, 0);

      g_assert_false (meta->has_dictionary_page_offset);
      g_assert_false (has_encoding (meta, RF_PQ_RLE_DICTIONARY));
      /* A PLAIN page closes once its values pass 1 MiB: 262 values of
       * 4 + 4000 bytes, so 600 values take three pages. */
      g_assert_cmpuint (count_pages (wide_bytes, meta, RF_PQ_PAGE_DATA), ==, 3);
      g_assert_cmpint (meta->statistics.min != NULL ? g_bytes_get_size (meta->statistics.min) : 0,
                       ==, 4000);
      g_assert_cmpmem (g_bytes_get_data (meta->statistics.min, NULL), 5, "00000", 5);
      g_assert_cmpmem (g_bytes_get_data (meta->statistics.max, NULL), 5, "00299", 5);
    }
}

/* Data pages hold at most 128K rows (1 MiB of doubles). */
static void
test_pages (void)
{
  g_autoptr(RfTable) table = rf_table_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfTable) back = NULL;
  g_auto(Footer) footer;
  RfParquetWriteOptions options;
  RfColumn *d = rf_column_new ("d", RF_COLUMN_DOUBLE);
  RfColumn *m = rf_column_new ("m", RF_COLUMN_DOUBLE);
  RfColumn *s = rf_column_new ("s", RF_COLUMN_STRING);
  RfColumn *b = rf_column_new ("b", RF_COLUMN_BOOL);
  gsize n = 300000;

  for (gsize r = 0; r < n; r++)
    {
      char buf[16];

      rf_column_append_double (d, r * 0.25);
      if (r % 10 == 0)
        rf_column_append_null (m);
      else
        rf_column_append_double (m, -(double) r);
      g_snprintf (buf, sizeof buf, "k%" G_GSIZE_FORMAT, r % 17);
      rf_column_append_string (s, buf, -1);
      rf_column_append_bool (b, r % 2);
    }
  add (table, d);
  add (table, m);
  add (table, s);
  add (table, b);
  rf_parquet_write_options_init (&options);
  options.row_group_rows = n;
  bytes = write_bytes (table, &options);
  back = read_bytes (bytes);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  g_assert_cmpuint (footer.meta.row_groups->len, ==, 1);
  for (guint c = 0; c < 4; c++)
    g_assert_cmpuint (count_pages (bytes, chunk_meta (&footer, 0, c), RF_PQ_PAGE_DATA), ==, 3);
  assert_stats_double (chunk_meta (&footer, 0, 0), -0.0, (n - 1) * 0.25);
  assert_stats_double (chunk_meta (&footer, 0, 1), -(double) (n - 1), -1.0);
  assert_stats_null_count (chunk_meta (&footer, 0, 1), 30000);
}

/* Offsets and sizes in the footer describe the bytes exactly: chunks follow
 * each other from byte 4 to the footer. */
static void
test_layout (void)
{
  g_autoptr(RfTable) table = mixed_table (5000, TRUE, 8);
  g_autoptr(GBytes) bytes = NULL;
  g_auto(Footer) footer;
  RfParquetWriteOptions options;
  gint64 pos = 4;
  gsize length;
  const guint8 *data;
  guint32 footer_length;

  rf_parquet_write_options_init (&options);
  options.row_group_rows = 2000;
  bytes = write_bytes (table, &options);
  decode_footer (bytes, &footer);
  data = g_bytes_get_data (bytes, &length);
  memcpy (&footer_length, data + length - 8, 4);
  for (guint g = 0; g < footer.meta.row_groups->len; g++)
    {
      const RfPqRowGroup *group = &g_array_index (footer.meta.row_groups, RfPqRowGroup, g);
      gint64 total = 0;

      for (guint c = 0; c < group->columns->len; c++)
        {
          const RfPqColumnChunk *chunk = &g_array_index (group->columns, RfPqColumnChunk, c);
          const RfPqColumnMetaData *meta = &chunk->meta_data;
          gint64 start = meta->has_dictionary_page_offset ? meta->dictionary_page_offset
                                                          : meta->data_page_offset;

          g_assert_cmpint (chunk->file_offset, ==, 0);
          g_assert_null (chunk->file_path);
          g_assert_cmpint (start, ==, pos);
          g_assert_cmpint (meta->total_compressed_size, >, 0);
          g_assert_cmpint (meta->total_uncompressed_size, >, 0);
          /* Every page is walked to the chunk's end. */
          g_assert_cmpuint (count_pages (bytes, meta, RF_PQ_PAGE_DATA), ==, 1);
          pos += meta->total_compressed_size;
          total += meta->total_uncompressed_size;
        }
      g_assert_cmpint (group->total_byte_size, ==, total);
    }
  /* Then the footer, its length and the magic. */
  g_assert_cmpint (pos + GUINT32_FROM_LE (footer_length) + 8, ==, (gint64) length);
}

static void
test_units_and_roles (void)
{
  g_autoptr(RfTable) table = mixed_table (20, TRUE, 9);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfTable) back = NULL;
  g_auto(Footer) footer;
  const RfPqKeyValue *kv;

  rf_column_set_unit (rf_table_get_column (table, 1), "1/min");
  rf_column_set_role (rf_table_get_column (table, 1), RF_ROLE_RUL);
  rf_column_set_role (rf_table_get_column (table, 2), RF_ROLE_AUX);
  rf_column_set_unit (rf_table_get_column (table, 3), "\"quoted\" ünit");
  rf_column_set_role (rf_table_get_column (table, 3), RF_ROLE_UNIT_ID);
  bytes = write_bytes (table, NULL);
  back = read_bytes (bytes);
  assert_tables_equal (table, back);
  decode_footer (bytes, &footer);
  g_assert_cmpuint (footer.meta.key_value_metadata->len, ==, 1);
  kv = &g_array_index (footer.meta.key_value_metadata, RfPqKeyValue, 0);
  g_assert_cmpstr (kv->key, ==, "refinery.schema");
  g_assert_cmpstr (kv->value, ==,
                   "[{\"name\":\"temperature\",\"type\":\"double\",\"unit\":\"°C\",\"role\":\"sensor\"},"
                   "{\"name\":\"count\",\"type\":\"int64\",\"unit\":\"1/min\",\"role\":\"rul\"},"
                   "{\"name\":\"running\",\"type\":\"bool\",\"unit\":null,\"role\":\"aux\"},"
                   "{\"name\":\"state\",\"type\":\"string\",\"unit\":\"\\\"quoted\\\" ünit\",\"role\":\"unit_id\"},"
                   "{\"name\":\"time\",\"type\":\"timestamp\",\"unit\":null,\"role\":\"timestamp\"}]");
}

/* The bytes do not depend on the number of threads, nor on the run. */
static void
test_threads (void)
{
  g_autoptr(RfTable) table = mixed_table (20000, TRUE, 10);
  g_autoptr(GBytes) reference = NULL;
  RfParquetWriteOptions options;

  rf_parquet_write_options_init (&options);
  options.row_group_rows = 3000;
  options.n_threads = 1;
  reference = write_bytes (table, &options);
  for (guint threads = 1; threads <= 8; threads++)
    {
      g_autoptr(GBytes) bytes = NULL;

      options.n_threads = threads;
      bytes = write_bytes (table, &options);
      g_assert_true (g_bytes_equal (bytes, reference));
    }
  options.n_threads = 0;
  {
    g_autoptr(GBytes) bytes = write_bytes (table, &options);
    g_autoptr(RfTable) back = read_bytes (bytes);

    g_assert_true (g_bytes_equal (bytes, reference));
    assert_tables_equal (table, back);
  }
}

static void
test_file (void)
{
  g_autoptr(RfTable) table = mixed_table (500, TRUE, 11);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "out.parquet", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) expected = write_bytes (table, NULL);
  g_autoptr(RfParquetFile) file = NULL;
  g_autoptr(RfTable) back = NULL;
  gsize length;

  g_assert_true (rf_parquet_write (table, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);
  file = rf_parquet_file_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rf_parquet_file_get_created_by (file), ==, "refinery version " PACKAGE_VERSION);
  g_assert_nonnull (rf_parquet_file_get_metadata (file, "refinery.schema"));
  back = rf_parquet_file_read (file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_tables_equal (table, back);
  g_clear_pointer (&file, rf_parquet_file_free);
  rf_test_remove_tree (dir);
}

typedef struct
{
  GCancellable *cancellable;
  double cancel_at;
  double last;
  guint n_reports;
} ProgressProbe;

static void
on_progress (double      fraction,
             const char *message,
             gpointer    user_data)
{
  ProgressProbe *probe = user_data;

  g_assert_cmpfloat (fraction, >=, probe->last);
  probe->last = fraction;
  probe->n_reports++;
  if (probe->cancellable != NULL && fraction >= probe->cancel_at)
    g_cancellable_cancel (probe->cancellable);
}

static void
test_progress (void)
{
  g_autoptr(RfTable) table = mixed_table (1000, FALSE, 12);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "p.parquet", NULL);
  ProgressProbe probe = { 0 };
  RfProgress progress = rf_progress_init (on_progress, &probe);
  RfParquetWriteOptions options;

  rf_parquet_write_options_init (&options);
  options.row_group_rows = 100;
  g_assert_true (rf_parquet_write (table, path, &options, &progress, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (probe.last, ==, 1.0);
  g_assert_cmpuint (probe.n_reports, >=, 10);
  rf_test_remove_tree (dir);
}

/* A cancelled or failed write leaves an existing file as it was, and no
 * temporary file behind. */
static void
test_atomic (void)
{
  g_autoptr(RfTable) table = mixed_table (1000, TRUE, 13);
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "keep.parquet", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ProgressProbe probe = { 0 };
  RfProgress progress = rf_progress_init (on_progress, &probe);
  RfParquetWriteOptions options;
  const char *old = "an older file that must survive";

  g_assert_true (g_file_set_contents (path, old, -1, &error));

  /* Cancelled before it starts. */
  g_cancellable_cancel (cancellable);
  g_assert_false (rf_parquet_write (table, path, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, old);
  g_clear_pointer (&contents, g_free);
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);

  /* Cancelled between row groups, after some of them were written. */
  g_cancellable_reset (cancellable);
  probe.cancellable = cancellable;
  probe.cancel_at = 0.3;
  rf_parquet_write_options_init (&options);
  options.row_group_rows = 100;
  g_assert_false (rf_parquet_write (table, path, &options, &progress, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpfloat (probe.last, >=, 0.3);
  g_assert_cmpfloat (probe.last, <, 1.0);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, old);
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);

  /* A folder that does not exist: a clear error, nothing written. */
  {
    g_autofree char *missing = g_build_filename (dir, "no", "such", "x.parquet", NULL);

    g_assert_false (rf_parquet_write (table, missing, NULL, NULL, NULL, &error));
    g_assert_error (error, RF_ERROR, RF_ERROR_IO);
    g_assert_nonnull (strstr (error->message, "x.parquet"));
    g_clear_error (&error);
  }
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);
  rf_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/parquet/writer/types", test_types);
  g_test_add_func ("/rf/parquet/writer/missing", test_missing);
  g_test_add_func ("/rf/parquet/writer/all-missing", test_all_missing);
  g_test_add_func ("/rf/parquet/writer/special-doubles", test_special_doubles);
  g_test_add_func ("/rf/parquet/writer/double-statistics", test_double_statistics);
  g_test_add_func ("/rf/parquet/writer/int64-extremes", test_int64_extremes);
  g_test_add_func ("/rf/parquet/writer/timestamps", test_timestamps);
  g_test_add_func ("/rf/parquet/writer/strings", test_strings);
  g_test_add_func ("/rf/parquet/writer/long-string-statistics", test_long_string_statistics);
  g_test_add_func ("/rf/parquet/writer/bools", test_bools);
  g_test_add_func ("/rf/parquet/writer/empty-table", test_empty_table);
  g_test_add_func ("/rf/parquet/writer/no-columns", test_no_columns);
  g_test_add_func ("/rf/parquet/writer/one-row", test_one_row);
  g_test_add_func ("/rf/parquet/writer/row-groups", test_row_groups);
  g_test_add_func ("/rf/parquet/writer/codecs", test_codecs);
  g_test_add_func ("/rf/parquet/writer/unsupported-codec", test_unsupported_codec);
  g_test_add_func ("/rf/parquet/writer/dictionary-fallback", test_dictionary_fallback);
  g_test_add_func ("/rf/parquet/writer/pages", test_pages);
  g_test_add_func ("/rf/parquet/writer/layout", test_layout);
  g_test_add_func ("/rf/parquet/writer/units-and-roles", test_units_and_roles);
  g_test_add_func ("/rf/parquet/writer/threads", test_threads);
  g_test_add_func ("/rf/parquet/writer/file", test_file);
  g_test_add_func ("/rf/parquet/writer/progress", test_progress);
  g_test_add_func ("/rf/parquet/writer/atomic", test_atomic);

  return g_test_run ();
}

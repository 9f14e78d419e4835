/* test-parquet-reader: the reader's API (projection, row groups, progress,
 * cancel, limits) and files damaged where the corpus has no example: page
 * sizes that lie, a page claiming gigabytes, a dictionary index out of
 * range. The damaged files are made from a file Refinery writes, by
 * re-encoding one page header. */
#include "config.h"

#include <string.h>

#include "refinery.h"
#include "rf-parquet-meta.h"
#include "rf-parquet-reader.h"
#include "rf-parquet-writer.h"
#include "rf-test-util.h"

/* rows rows: "id" int64 0.., "value" double id / 4 (every 7th missing),
 * "tag" string from four values. */
static RfTable *
make_table (gsize rows)
{
  RfTable *table = rf_table_new ();
  RfColumn *id = rf_column_new ("id", RF_COLUMN_INT64);
  RfColumn *value = rf_column_new ("value", RF_COLUMN_DOUBLE);
  RfColumn *tag = rf_column_new ("tag", RF_COLUMN_STRING);
  static const char *tags[] = { "pump", "fan", "valve", "motor" };

  for (gsize r = 0; r < rows; r++)
    {
      rf_column_append_int64 (id, (gint64) r);
      if (r % 7 == 3)
        rf_column_append_null (value);
      else
        rf_column_append_double (value, (double) r / 4.0);
      rf_column_append_string (tag, tags[r % 4], -1);
    }
  rf_table_add_column (table, id);
  rf_table_add_column (table, value);
  rf_table_add_column (table, tag);
  rf_column_unref (id);
  rf_column_unref (value);
  rf_column_unref (tag);
  return table;
}

static GBytes *
write_bytes (const RfTable *table,
             gsize          row_group_rows,
             RfPqCodec      codec)
{
  RfParquetWriteOptions options;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  rf_parquet_write_options_init (&options);
  options.row_group_rows = row_group_rows;
  options.codec = codec;
  bytes = rf_parquet_write_bytes (table, &options, &error);
  g_assert_no_error (error);
  return bytes;
}

static void
progress_cb (double      fraction,
             const char *message,
             gpointer    user_data)
{
  GArray *seen = user_data;

  g_array_append_val (seen, fraction);
}

static void
test_api (void)
{
  g_autoptr(RfTable) table = make_table (1000);
  g_autoptr(GBytes) bytes = write_bytes (table, 300, RF_PQ_CODEC_ZSTD);
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfParquetFile) file = rf_parquet_file_open_bytes (data, length, "t.parquet", &error);
  g_autoptr(RfTable) group = NULL;
  g_autoptr(RfTable) chosen = NULL;
  g_autoptr(RfTable) all = NULL;
  const char *columns[] = { "tag", "id", NULL };
  RfParquetReadOptions options = { columns, FALSE, 0 };
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  RfProgress progress = { 0 };

  g_assert_no_error (error);
  g_assert_cmpint (rf_parquet_file_get_n_rows (file), ==, 1000);
  g_assert_cmpuint (rf_parquet_file_get_n_row_groups (file), ==, 4);
  g_assert_cmpint (rf_parquet_file_get_row_group_rows (file, 3), ==, 100);
  g_assert_cmpuint (rf_parquet_file_get_n_columns (file), ==, 3);
  g_assert_cmpstr (rf_parquet_file_get_column_name (file, 2), ==, "tag");
  g_assert_true (g_str_has_prefix (rf_parquet_file_get_created_by (file), "refinery version "));
  g_assert_nonnull (rf_parquet_file_get_metadata (file, "refinery.schema"));
  g_assert_null (rf_parquet_file_get_metadata (file, "no such key"));

  /* One row group, chosen columns in the order asked for. */
  group = rf_parquet_file_read_row_group (file, 2, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (group), ==, 300);
  g_assert_cmpuint (rf_table_get_n_columns (group), ==, 2);
  g_assert_cmpstr (rf_table_get_column (group, 0)->name, ==, "tag");
  g_assert_cmpint (rf_column_get_int64 (rf_table_get_column (group, 1), 0), ==, 600);

  /* The whole file, with progress per row group ending at 1. */
  progress = rf_progress_init (progress_cb, seen);
  all = rf_parquet_file_read (file, NULL, NULL, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_table_get_n_rows (all), ==, 1000);
  g_assert_cmpuint (rf_table_get_column (all, 1)->n_missing, ==, 143);
  g_assert_cmpfloat (rf_column_get_double (rf_table_get_column (all, 1), 999), ==, 249.75);
  g_assert_cmpuint (seen->len, >=, 4);
  g_assert_cmpfloat (g_array_index (seen, double, seen->len - 1), ==, 1.0);

  /* An unknown column names the ones there are. */
  {
    const char *bad[] = { "nope", NULL };
    RfParquetReadOptions o = { bad, FALSE, 0 };

    chosen = rf_parquet_file_read (file, &o, NULL, NULL, NULL, &error);
    g_assert_null (chosen);
    g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "nope"));
    g_assert_nonnull (strstr (error->message, "value"));
    g_clear_error (&error);
  }

  /* The row limit is checked before anything is read. */
  {
    RfParquetReadOptions o = { NULL, FALSE, 999 };

    chosen = rf_parquet_file_read (file, &o, NULL, NULL, NULL, &error);
    g_assert_null (chosen);
    g_assert_error (error, RF_ERROR, RF_ERROR_TOO_LARGE);
    g_clear_error (&error);
  }

  /* A cancelled read stops with G_IO_ERROR_CANCELLED. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    chosen = rf_parquet_file_read (file, NULL, NULL, NULL, cancellable, &error);
    g_assert_null (chosen);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

/* Where a chunk's pages start, from the footer. */
static void
first_pages (const guint8 *data,
             gsize         length,
             guint         column,
             gint64       *dictionary_offset,
             gint64       *data_offset)
{
  guint32 footer;
  RfPqFileMetaData meta = { 0 };
  g_autoptr(GError) error = NULL;
  const RfPqColumnChunk *chunk;

  memcpy (&footer, data + length - 8, 4);
  g_assert_true (rf_pq_file_meta_data_decode (data + length - 8 - footer, footer, &meta, &error));
  g_assert_no_error (error);
  chunk = &g_array_index (g_array_index (meta.row_groups, RfPqRowGroup, 0).columns, RfPqColumnChunk, column);
  *dictionary_offset = chunk->meta_data.has_dictionary_page_offset ? chunk->meta_data.dictionary_page_offset : -1;
  *data_offset = chunk->meta_data.data_page_offset;
  rf_pq_file_meta_data_clear (&meta);
}

typedef void (*HeaderPatch) (RfPqPageHeader *header);

/* The file with the page header at offset changed by patch (the bytes
 * after it move if the new header is longer or shorter; the footer is found
 * from the end, so it still decodes). */
static GBytes *
patch_page (GBytes      *bytes,
            gint64       offset,
            HeaderPatch  patch)
{
  gsize length, consumed;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  RfPqPageHeader header = { 0 };
  g_autoptr(GError) error = NULL;
  GByteArray *out = g_byte_array_new ();

  g_assert_true (rf_pq_page_header_decode (data + offset, length - (gsize) offset, &header,
                                           &consumed, &error));
  g_assert_no_error (error);
  patch (&header);
  g_byte_array_append (out, data, (guint) offset);
  rf_pq_page_header_encode (&header, out);
  g_byte_array_append (out, data + offset + consumed, (guint) (length - (gsize) offset - consumed));
  rf_pq_page_header_clear (&header);
  return g_byte_array_free_to_bytes (out);
}

static void
compressed_beyond_chunk (RfPqPageHeader *header)
{
  header->compressed_page_size += 1 << 20;
}

static void
claims_gigabytes (RfPqPageHeader *header)
{
  header->uncompressed_page_size = G_MAXINT32;
}

static void
smaller_dictionary (RfPqPageHeader *header)
{
  g_assert_cmpint (header->type, ==, RF_PQ_PAGE_DICTIONARY);
  g_assert_cmpint (header->dictionary.num_values, ==, 4);
  /* Keep the bytes: the first two entries are still whole values. */
  header->dictionary.num_values = 2;
}

static void
fewer_values (RfPqPageHeader *header)
{
  header->data.num_values -= 10;
}

static void
assert_refused (GBytes     *bytes,
                const char *keyword)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfParquetFile) file = rf_parquet_file_open_bytes (data, length, "damaged.parquet", &error);
  g_autoptr(RfTable) table = NULL;

  if (file != NULL)
    table = rf_parquet_file_read (file, NULL, NULL, NULL, NULL, &error);
  g_assert_null (table);
  g_assert_nonnull (error);
  g_assert_true (error->domain == RF_ERROR);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "damaged.parquet"));
  if (keyword != NULL && strstr (error->message, keyword) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, keyword);
}

static void
test_damaged_pages (void)
{
  g_autoptr(RfTable) table = make_table (200);
  g_autoptr(GBytes) plain = write_bytes (table, 0, RF_PQ_CODEC_UNCOMPRESSED);
  g_autoptr(GBytes) zstd = write_bytes (table, 0, RF_PQ_CODEC_ZSTD);
  gsize length;
  const guint8 *data = g_bytes_get_data (plain, &length);
  gint64 dict, first;

  /* The "value" column (1): its first data page. */
  first_pages (data, length, 1, &dict, &first);
  {
    g_autoptr(GBytes) b = patch_page (plain, first, compressed_beyond_chunk);
    assert_refused (b, "value");
  }
  {
    g_autoptr(GBytes) b = patch_page (plain, first, claims_gigabytes);
    assert_refused (b, "value");
  }
  {
    g_autoptr(GBytes) b = patch_page (plain, first, fewer_values);
    assert_refused (b, "value");
  }
  data = g_bytes_get_data (zstd, &length);
  first_pages (data, length, 1, &dict, &first);
  {
    g_autoptr(GBytes) b = patch_page (zstd, first, claims_gigabytes);
    assert_refused (b, "value");
  }

  /* The "tag" column (2) is dictionary-encoded: with two entries left,
   * indices 2 and 3 point past the dictionary. */
  data = g_bytes_get_data (plain, &length);
  first_pages (data, length, 2, &dict, &first);
  g_assert_cmpint (dict, >=, 4);
  {
    g_autoptr(GBytes) b = patch_page (plain, dict, smaller_dictionary);
    assert_refused (b, "tag");
  }
}

typedef void (*FooterPatch) (RfPqFileMetaData *meta);

/* The file with its footer decoded, changed by patch and encoded again
 * (the pages stay where they are: only the footer moves). */
static GBytes *
patch_footer (GBytes      *bytes,
              FooterPatch  patch)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  guint32 footer, new_length;
  RfPqFileMetaData meta = { 0 };
  g_autoptr(GError) error = NULL;
  GByteArray *out = g_byte_array_new ();
  gsize start;

  memcpy (&footer, data + length - 8, 4);
  footer = GUINT32_FROM_LE (footer);
  start = length - 8 - footer;
  g_assert_true (rf_pq_file_meta_data_decode (data + start, footer, &meta, &error));
  g_assert_no_error (error);
  patch (&meta);
  g_byte_array_append (out, data, (guint) start);
  rf_pq_file_meta_data_encode (&meta, out);
  new_length = GUINT32_TO_LE ((guint32) (out->len - start));
  g_byte_array_append (out, (const guint8 *) &new_length, 4);
  g_byte_array_append (out, (const guint8 *) "PAR1", 4);
  rf_pq_file_meta_data_clear (&meta);
  return g_byte_array_free_to_bytes (out);
}

static RfPqColumnChunk *
chunk_at (RfPqFileMetaData *meta,
          guint             row_group,
          guint             column)
{
  RfPqRowGroup *rg = &g_array_index (meta->row_groups, RfPqRowGroup, row_group);

  return &g_array_index (rg->columns, RfPqColumnChunk, column);
}

static void
unchanged (RfPqFileMetaData *meta)
{
}

static void
more_file_rows (RfPqFileMetaData *meta)
{
  meta->num_rows += 1;
}

static void
fewer_chunk_values (RfPqFileMetaData *meta)
{
  chunk_at (meta, 1, 2)->meta_data.num_values -= 1;
}

static void
fewer_group_rows (RfPqFileMetaData *meta)
{
  g_array_index (meta->row_groups, RfPqRowGroup, 0).num_rows -= 1;
}

static void
other_chunk_type (RfPqFileMetaData *meta)
{
  chunk_at (meta, 0, 1)->meta_data.type = RF_PQ_INT64;
}

/* Footers whose counts or types disagree: refused when the file is opened,
 * naming the column where there is one. */
static void
test_damaged_footers (void)
{
  g_autoptr(RfTable) table = make_table (100);
  g_autoptr(GBytes) bytes = write_bytes (table, 40, RF_PQ_CODEC_SNAPPY);

  /* Unchanged, the re-encoded footer reads back: the refusals below come
   * from the patches alone. */
  {
    g_autoptr(GBytes) same = patch_footer (bytes, unchanged);
    gsize length;
    const guint8 *data = g_bytes_get_data (same, &length);
    g_autoptr(GError) error = NULL;
    g_autoptr(RfParquetFile) file = rf_parquet_file_open_bytes (data, length, "same.parquet", &error);
    g_autoptr(RfTable) read = NULL;

    g_assert_no_error (error);
    read = rf_parquet_file_read (file, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rf_table_get_n_rows (read), ==, 100);
  }
  {
    g_autoptr(GBytes) b = patch_footer (bytes, more_file_rows);
    assert_refused (b, "101");
  }
  {
    g_autoptr(GBytes) b = patch_footer (bytes, fewer_chunk_values);
    assert_refused (b, "tag");
  }
  {
    g_autoptr(GBytes) b = patch_footer (bytes, fewer_group_rows);
    assert_refused (b, "row group 0");
  }
  {
    g_autoptr(GBytes) b = patch_footer (bytes, other_chunk_type);
    assert_refused (b, "value");
  }
}

/* Bytes that are not a Parquet file, each refused with what is wrong. */
static void
test_damaged_files (void)
{
  g_autoptr(RfTable) table = make_table (50);
  g_autoptr(GBytes) bytes = write_bytes (table, 0, RF_PQ_CODEC_SNAPPY);
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  g_autofree guint8 *copy = g_memdup2 (data, length);

  /* Every truncation: refused, never a crash. */
  for (gsize n = 0; n < length; n++)
    {
      g_autoptr(GBytes) cut = g_bytes_new (data, n);
      assert_refused (cut, NULL);
    }
  /* The footer length beyond the file. */
  copy[length - 8] = 0xff;
  copy[length - 7] = 0xff;
  copy[length - 6] = 0xff;
  copy[length - 5] = 0x0f;
  {
    g_autoptr(GBytes) b = g_bytes_new (copy, length);
    assert_refused (b, "footer");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/parquet/reader/api", test_api);
  g_test_add_func ("/rf/parquet/reader/damaged-pages", test_damaged_pages);
  g_test_add_func ("/rf/parquet/reader/damaged-files", test_damaged_files);
  g_test_add_func ("/rf/parquet/reader/damaged-footers", test_damaged_footers);
  return g_test_run ();
}

/* test-parquet-meta: the Thrift compact protocol (rf-thrift) and the
 * Parquet footer and page header structs (rf-parquet-meta). */
#include "config.h"

#include <string.h>

#include "refinery.h"
#include "rf-parquet-meta.h"
#include "rf-test-util.h"
#include "rf-thrift.h"

#define BYTES(...) ((const guint8[]) { __VA_ARGS__ })
#define N_BYTES(...) sizeof ((const guint8[]) { __VA_ARGS__ })

/* ---- Helpers ------------------------------------------------------------ */

/* A whole corpus file and where its footer metadata lies. */
typedef struct
{
  char         *data;
  gsize         length;
  const guint8 *footer;
  gsize         footer_length;
} CorpusFile;

static void
corpus_file_clear (CorpusFile *file)
{
  g_clear_pointer (&file->data, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CorpusFile, corpus_file_clear)

/* Loads corpus/parquet/<relative> and finds the footer the way the format
 * says: the last 4 bytes are "PAR1", the 4 before them the little-endian
 * length of the FileMetaData just in front. FALSE when the test was
 * skipped (no ../shared). */
static gboolean
load_corpus_file (const char *relative,
                  CorpusFile *file)
{
  g_autofree char *rel = g_strconcat ("corpus/parquet/", relative, NULL);
  g_autofree char *path = rf_test_shared_path (rel);
  g_autoptr(GError) error = NULL;
  guint32 footer_length;

  memset (file, 0, sizeof *file);
  if (path == NULL)
    return FALSE;
  g_assert_true (g_file_get_contents (path, &file->data, &file->length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file->length, >=, 12);
  g_assert_cmpmem (file->data + file->length - 4, 4, "PAR1", 4);
  memcpy (&footer_length, file->data + file->length - 8, 4);
  footer_length = GUINT32_FROM_LE (footer_length);
  g_assert_cmpuint (footer_length, <=, file->length - 8);
  file->footer = (const guint8 *) file->data + file->length - 8 - footer_length;
  file->footer_length = footer_length;
  return TRUE;
}

static void
decode_footer (const CorpusFile *file,
               RfPqFileMetaData *meta)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_pq_file_meta_data_decode (file->footer, file->footer_length, meta, &error));
  g_assert_no_error (error);
}

static void
decode_page_at (const CorpusFile *file,
                gint64            offset,
                RfPqPageHeader   *header,
                gsize            *consumed)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (offset, >=, 0);
  g_assert_cmpint (offset, <, (gint64) file->length);
  g_assert_true (rf_pq_page_header_decode ((const guint8 *) file->data + offset,
                                           file->length - (gsize) offset, header, consumed, &error));
  g_assert_no_error (error);
}

static const RfPqSchemaElement *
schema_at (const RfPqFileMetaData *meta,
           guint                   index)
{
  g_assert_cmpuint (index, <, meta->schema->len);
  return &g_array_index (meta->schema, RfPqSchemaElement, index);
}

static const RfPqColumnChunk *
chunk_at (const RfPqFileMetaData *meta,
          guint                   row_group,
          guint                   column)
{
  const RfPqRowGroup *rg;

  g_assert_cmpuint (row_group, <, meta->row_groups->len);
  rg = &g_array_index (meta->row_groups, RfPqRowGroup, row_group);
  g_assert_cmpuint (column, <, rg->columns->len);
  return &g_array_index (rg->columns, RfPqColumnChunk, column);
}

static gint32
encoding_at (const RfPqColumnMetaData *meta,
             guint                     index)
{
  g_assert_cmpuint (index, <, meta->encodings->len);
  return g_array_index (meta->encodings, gint32, index);
}

static void
assert_bytes (GBytes       *bytes,
              const void   *expected,
              gsize         length)
{
  gsize size;
  gconstpointer data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &size);
  g_assert_cmpmem (data, size, expected, length);
}

/* Decoding must fail with RF_ERROR_PARSE and a message containing what. */
static void
assert_footer_fails (const guint8 *data,
                     gsize         length,
                     const char   *what)
{
  RfPqFileMetaData meta = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (rf_pq_file_meta_data_decode (data, length, &meta, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  if (strstr (error->message, what) == NULL)
    g_error ("expected “%s” in: %s", what, error->message);
  /* Cleared on failure. */
  g_assert_null (meta.schema);
  g_assert_null (meta.row_groups);
  g_assert_null (meta.key_value_metadata);
  g_assert_null (meta.created_by);
}

static void
assert_page_fails (const guint8 *data,
                   gsize         length,
                   const char   *what)
{
  RfPqPageHeader header = { 0 };
  g_autoptr(GError) error = NULL;
  gsize consumed = 12345;

  g_assert_false (rf_pq_page_header_decode (data, length, &header, &consumed, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
  if (strstr (error->message, what) == NULL)
    g_error ("expected “%s” in: %s", what, error->message);
  g_assert_cmpuint (consumed, ==, 12345);
  g_assert_null (header.data.statistics.min);
  g_assert_null (header.data_v2.statistics.min);
}

static void
assert_reader_error (RfThriftReader *reader,
                     const char     *what)
{
  g_assert_true (rf_thrift_reader_failed (reader));
  g_assert_error (reader->error, RF_ERROR, RF_ERROR_PARSE);
  if (strstr (reader->error->message, what) == NULL)
    g_error ("expected “%s” in: %s", what, reader->error->message);
}

/* ---- Compact protocol: primitives --------------------------------------- */

static void
check_varint (const guint8 *bytes,
              gsize         length,
              guint64       expected)
{
  RfThriftReader reader;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RfThriftWriter writer;
  guint64 value = 0;

  rf_thrift_reader_init (&reader, bytes, length);
  g_assert_true (rf_thrift_read_varint (&reader, &value));
  g_assert_cmpuint (value, ==, expected);
  g_assert_cmpuint (reader.pos, ==, length);
  rf_thrift_reader_clear (&reader);

  rf_thrift_writer_init (&writer, out);
  rf_thrift_write_varint (&writer, expected);
  g_assert_cmpmem (out->data, out->len, bytes, length);
}

static void
check_bad_varint (const guint8 *bytes,
                  gsize         length,
                  const char   *what)
{
  RfThriftReader reader;
  guint64 value = 77;

  rf_thrift_reader_init (&reader, bytes, length);
  g_assert_false (rf_thrift_read_varint (&reader, &value));
  g_assert_cmpuint (value, ==, 77);
  assert_reader_error (&reader, what);
  /* A failed reader stays failed. */
  g_assert_false (rf_thrift_read_varint (&reader, &value));
  rf_thrift_reader_clear (&reader);
  g_assert_null (reader.error);
}

static void
test_thrift_varint (void)
{
  check_varint (BYTES (0x00), 1, 0);
  check_varint (BYTES (0x01), 1, 1);
  check_varint (BYTES (0x7f), 1, 127);
  check_varint (BYTES (0x80, 0x01), 2, 128);
  check_varint (BYTES (0xac, 0x02), 2, 300);
  check_varint (BYTES (0xff, 0xff, 0x03), 3, 65535);
  check_varint (BYTES (0xff, 0xff, 0xff, 0xff, 0x0f), 5, G_MAXUINT32);
  check_varint (BYTES (0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), 9, G_MAXINT64);
  check_varint (BYTES (0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), 10,
                G_GUINT64_CONSTANT (1) << 63);
  check_varint (BYTES (0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), 10, G_MAXUINT64);

  /* Truncated, and longer than 64 bits (a tenth byte above 1, or an
   * eleventh byte). */
  check_bad_varint (BYTES (0x80), 1, "the data ends at byte 1 inside the varint that starts at byte 0");
  check_bad_varint (BYTES (0xff, 0xff), 2, "inside the varint");
  check_bad_varint (NULL, 0, "the data ends at byte 0");
  check_bad_varint (BYTES (0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02), 10,
                    "the varint at byte 0 does not fit in 64 bits");
  check_bad_varint (BYTES (0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 11,
                    "does not fit in 64 bits");
}

static void
check_i32 (const guint8 *bytes,
           gsize         length,
           gint32        expected)
{
  RfThriftReader reader;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RfThriftWriter writer;
  gint32 value = 0;

  rf_thrift_reader_init (&reader, bytes, length);
  g_assert_true (rf_thrift_read_i32 (&reader, &value));
  g_assert_cmpint (value, ==, expected);
  g_assert_cmpuint (reader.pos, ==, length);

  rf_thrift_writer_init (&writer, out);
  rf_thrift_write_i32 (&writer, expected);
  g_assert_cmpmem (out->data, out->len, bytes, length);
}

static void
check_i64 (const guint8 *bytes,
           gsize         length,
           gint64        expected)
{
  RfThriftReader reader;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RfThriftWriter writer;
  gint64 value = 0;

  rf_thrift_reader_init (&reader, bytes, length);
  g_assert_true (rf_thrift_read_i64 (&reader, &value));
  g_assert_cmpint (value, ==, expected);
  g_assert_cmpuint (reader.pos, ==, length);

  rf_thrift_writer_init (&writer, out);
  rf_thrift_write_i64 (&writer, expected);
  g_assert_cmpmem (out->data, out->len, bytes, length);
}

static void
test_thrift_zigzag (void)
{
  RfThriftReader reader;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RfThriftWriter writer;
  gint16 i16 = 0;
  gint32 i32 = 0;
  gint8 i8 = 0;
  double d = 0;

  /* Zigzag: 0, -1, 1, -2, 2... are 0, 1, 2, 3, 4... */
  check_i32 (BYTES (0x00), 1, 0);
  check_i32 (BYTES (0x01), 1, -1);
  check_i32 (BYTES (0x02), 1, 1);
  check_i32 (BYTES (0x03), 1, -2);
  check_i32 (BYTES (0x7f), 1, -64);
  check_i32 (BYTES (0x80, 0x01), 2, 64);
  check_i32 (BYTES (0xd8, 0x04), 2, 300);
  check_i32 (BYTES (0xfe, 0xff, 0xff, 0xff, 0x0f), 5, G_MAXINT32);
  check_i32 (BYTES (0xff, 0xff, 0xff, 0xff, 0x0f), 5, G_MININT32);
  check_i64 (BYTES (0x01), 1, -1);
  check_i64 (BYTES (0xfe, 0xff, 0xff, 0xff, 0x1f), 5, G_GINT64_CONSTANT (4294967295));
  check_i64 (BYTES (0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), 10, G_MAXINT64);
  check_i64 (BYTES (0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), 10, G_MININT64);

  /* i16 */
  rf_thrift_reader_init (&reader, BYTES (0xfe, 0xff, 0x03, 0xff, 0xff, 0x03), 6);
  g_assert_true (rf_thrift_read_i16 (&reader, &i16));
  g_assert_cmpint (i16, ==, G_MAXINT16);
  g_assert_true (rf_thrift_read_i16 (&reader, &i16));
  g_assert_cmpint (i16, ==, G_MININT16);
  rf_thrift_reader_clear (&reader);

  /* A varint too wide for its type is an error, not a silent wrap. */
  rf_thrift_reader_init (&reader, BYTES (0x80, 0x80, 0x80, 0x80, 0x10), 5);
  g_assert_false (rf_thrift_read_i32 (&reader, &i32));
  assert_reader_error (&reader, "the value at byte 0 does not fit in an i32");
  rf_thrift_reader_clear (&reader);
  rf_thrift_reader_init (&reader, BYTES (0x80, 0x80, 0x04), 3);
  g_assert_false (rf_thrift_read_i16 (&reader, &i16));
  assert_reader_error (&reader, "does not fit in an i16");
  rf_thrift_reader_clear (&reader);

  /* i8 is a raw byte; double is 8 bytes little-endian. */
  rf_thrift_reader_init (&reader, BYTES (0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0xbf, 0x01), 10);
  g_assert_true (rf_thrift_read_i8 (&reader, &i8));
  g_assert_cmpint (i8, ==, -2);
  g_assert_true (rf_thrift_read_double (&reader, &d));
  g_assert_cmpfloat (d, ==, -1.5);
  g_assert_false (rf_thrift_read_double (&reader, &d));
  assert_reader_error (&reader, "the data ends at byte 10 inside a double (8 bytes needed, 1 left)");
  rf_thrift_reader_clear (&reader);

  rf_thrift_writer_init (&writer, out);
  rf_thrift_write_i8 (&writer, -2);
  rf_thrift_write_double (&writer, -1.5);
  rf_thrift_write_i16 (&writer, G_MININT16);
  g_assert_cmpmem (out->data, out->len,
                   BYTES (0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0xbf, 0xff, 0xff, 0x03), 12);
}

static void
test_thrift_binary (void)
{
  RfThriftReader reader;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RfThriftWriter writer;
  const guint8 *bytes;
  gsize length;

  rf_thrift_reader_init (&reader, BYTES (0x03, 'a', 'b', 'c', 0x00, 0x05, 'x'), 7);
  g_assert_true (rf_thrift_read_binary (&reader, &bytes, &length));
  g_assert_cmpmem (bytes, length, "abc", 3);
  g_assert_true (rf_thrift_read_binary (&reader, &bytes, &length));
  g_assert_cmpuint (length, ==, 0);
  /* A length past the end of the buffer. */
  g_assert_false (rf_thrift_read_binary (&reader, &bytes, &length));
  assert_reader_error (&reader, "the binary value at byte 5 claims 5 bytes but only 1 are left");
  rf_thrift_reader_clear (&reader);

  /* A length near 2^64 must not wrap the bounds check. */
  rf_thrift_reader_init (&reader, BYTES (0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 'x'), 11);
  g_assert_false (rf_thrift_read_binary (&reader, &bytes, &length));
  assert_reader_error (&reader, "claims 18446744073709551615 bytes");
  rf_thrift_reader_clear (&reader);

  rf_thrift_writer_init (&writer, out);
  rf_thrift_write_string (&writer, "abc");
  rf_thrift_write_binary (&writer, NULL, 0);
  g_assert_cmpmem (out->data, out->len, BYTES (0x03, 'a', 'b', 'c', 0x00), 5);
}

/* ---- Compact protocol: structs, fields, lists --------------------------- */

/* A struct with short-form deltas, a boolean in the type nibble, a long
 * form header (id 32, too far for a delta), a delta from there, and a
 * long form for going backwards (id 3 after 33). */
static const guint8 field_bytes[] = {
  0x15, 0x02,                   /* 1: i32 1 */
  0x11,                         /* 2: bool true */
  0x05, 0x40, 0x04,             /* 32: i32 2 (long form: type, zigzag id 64) */
  0x16, 0x01,                   /* 33: i64 -1 */
  0x08, 0x06, 0x02, 'h', 'i',   /* 3: binary "hi" (long form, id zigzag 6) */
  0x12,                         /* 4: bool false */
  0x00,                         /* stop */
};

static void
test_thrift_field_headers (void)
{
  RfThriftReader reader;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RfThriftWriter writer;
  RfThriftType type;
  gint16 id;
  gint32 i32;
  gint64 i64;
  const guint8 *bytes;
  gsize length;

  rf_thrift_reader_init (&reader, field_bytes, sizeof field_bytes);
  g_assert_true (rf_thrift_read_struct_begin (&reader));

  g_assert_true (rf_thrift_read_field_begin (&reader, &type, &id));
  g_assert_cmpint (type, ==, RF_THRIFT_I32);
  g_assert_cmpint (id, ==, 1);
  g_assert_true (rf_thrift_read_i32 (&reader, &i32));
  g_assert_cmpint (i32, ==, 1);

  g_assert_true (rf_thrift_read_field_begin (&reader, &type, &id));
  g_assert_cmpint (type, ==, RF_THRIFT_BOOL_TRUE);
  g_assert_cmpint (id, ==, 2);
  /* Nothing to skip: the value was the type. */
  g_assert_true (rf_thrift_skip (&reader, type));
  g_assert_cmpuint (reader.pos, ==, 3);

  g_assert_true (rf_thrift_read_field_begin (&reader, &type, &id));
  g_assert_cmpint (type, ==, RF_THRIFT_I32);
  g_assert_cmpint (id, ==, 32);
  g_assert_true (rf_thrift_read_i32 (&reader, &i32));
  g_assert_cmpint (i32, ==, 2);

  g_assert_true (rf_thrift_read_field_begin (&reader, &type, &id));
  g_assert_cmpint (type, ==, RF_THRIFT_I64);
  g_assert_cmpint (id, ==, 33);
  g_assert_true (rf_thrift_read_i64 (&reader, &i64));
  g_assert_cmpint (i64, ==, -1);

  g_assert_true (rf_thrift_read_field_begin (&reader, &type, &id));
  g_assert_cmpint (type, ==, RF_THRIFT_BINARY);
  g_assert_cmpint (id, ==, 3);
  g_assert_true (rf_thrift_read_binary (&reader, &bytes, &length));
  g_assert_cmpmem (bytes, length, "hi", 2);

  g_assert_true (rf_thrift_read_field_begin (&reader, &type, &id));
  g_assert_cmpint (type, ==, RF_THRIFT_BOOL_FALSE);
  g_assert_cmpint (id, ==, 4);

  g_assert_true (rf_thrift_read_field_begin (&reader, &type, &id));
  g_assert_cmpint (type, ==, RF_THRIFT_STOP);
  g_assert_true (rf_thrift_read_struct_end (&reader));
  g_assert_cmpuint (reader.pos, ==, sizeof field_bytes);
  g_assert_cmpuint (reader.depth, ==, 0);
  g_assert_false (rf_thrift_reader_failed (&reader));

  /* The writer produces the same bytes. */
  rf_thrift_writer_init (&writer, out);
  rf_thrift_write_struct_begin (&writer);
  rf_thrift_write_field_i32 (&writer, 1, 1);
  rf_thrift_write_field_bool (&writer, 2, TRUE);
  rf_thrift_write_field_i32 (&writer, 32, 2);
  rf_thrift_write_field_i64 (&writer, 33, -1);
  rf_thrift_write_field_string (&writer, 3, "hi");
  rf_thrift_write_field_bool (&writer, 4, FALSE);
  rf_thrift_write_struct_end (&writer);
  g_assert_cmpmem (out->data, out->len, field_bytes, sizeof field_bytes);
  g_assert_cmpuint (writer.depth, ==, 0);

  /* Invalid type nibbles: 14 and 15 are no types; 0 with a delta is no
   * STOP. */
  for (guint i = 0; i < 3; i++)
    {
      static const guint8 bad[] = { 0x1e, 0xff, 0x10 };

      rf_thrift_reader_init (&reader, &bad[i], 1);
      rf_thrift_read_struct_begin (&reader);
      g_assert_false (rf_thrift_read_field_begin (&reader, &type, &id));
      assert_reader_error (&reader, "the field header at byte 0 has the invalid type");
      rf_thrift_reader_clear (&reader);
    }

  /* A struct without its STOP. */
  rf_thrift_reader_init (&reader, BYTES (0x15, 0x02), 2);
  g_assert_false (rf_thrift_skip (&reader, RF_THRIFT_STRUCT));
  assert_reader_error (&reader, "the data ends at byte 2 inside a struct (its STOP byte is missing)");
  g_assert_cmpuint (reader.depth, ==, 0);
  rf_thrift_reader_clear (&reader);
}

static void
test_thrift_list_headers (void)
{
  g_autofree guint8 *buffer = g_malloc0 (300);
  RfThriftReader reader;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  RfThriftWriter writer;
  RfThriftType elem;
  guint32 count;
  gboolean b;

  /* Short form: size in the high nibble. */
  rf_thrift_reader_init (&reader, BYTES (0x35, 0x02, 0x04, 0x06), 4);
  g_assert_true (rf_thrift_read_list_begin (&reader, &elem, &count));
  g_assert_cmpint (elem, ==, RF_THRIFT_I32);
  g_assert_cmpuint (count, ==, 3);
  for (gint32 i = 1; i <= 3; i++)
    {
      gint32 v;

      g_assert_true (rf_thrift_read_i32 (&reader, &v));
      g_assert_cmpint (v, ==, i);
    }
  g_assert_true (rf_thrift_read_list_end (&reader));
  rf_thrift_reader_clear (&reader);

  /* Size 15 and more: 0xF_ then a varint size. */
  buffer[0] = 0xf5;
  buffer[1] = 0x0f;
  rf_thrift_reader_init (&reader, buffer, 17);
  g_assert_true (rf_thrift_read_list_begin (&reader, &elem, &count));
  g_assert_cmpint (elem, ==, RF_THRIFT_I32);
  g_assert_cmpuint (count, ==, 15);
  g_assert_cmpuint (reader.pos, ==, 2);
  rf_thrift_reader_clear (&reader);

  buffer[0] = 0xf8;
  buffer[1] = 0x96;
  buffer[2] = 0x01;
  rf_thrift_reader_init (&reader, buffer, 153);
  g_assert_true (rf_thrift_read_list_begin (&reader, &elem, &count));
  g_assert_cmpint (elem, ==, RF_THRIFT_BINARY);
  g_assert_cmpuint (count, ==, 150);
  rf_thrift_reader_clear (&reader);

  /* ... and 150 elements cannot fit in 149 bytes. */
  rf_thrift_reader_init (&reader, buffer, 152);
  g_assert_false (rf_thrift_read_list_begin (&reader, &elem, &count));
  assert_reader_error (&reader, "the list at byte 0 claims 150 elements but only 149 bytes are left");
  rf_thrift_reader_clear (&reader);

  /* Booleans in a list take a byte each (1 true, 2 false; 0 also false). */
  rf_thrift_reader_init (&reader, BYTES (0x31, 0x01, 0x02, 0x00, 0x21, 0x01, 0x03), 7);
  g_assert_true (rf_thrift_read_list_begin (&reader, &elem, &count));
  g_assert_cmpint (elem, ==, RF_THRIFT_BOOL_TRUE);
  g_assert_cmpuint (count, ==, 3);
  g_assert_true (rf_thrift_read_bool (&reader, &b) && b);
  g_assert_true (rf_thrift_read_bool (&reader, &b) && !b);
  g_assert_true (rf_thrift_read_bool (&reader, &b) && !b);
  g_assert_true (rf_thrift_read_list_end (&reader));
  /* A skipped bool list reads its bytes, and checks them. */
  g_assert_false (rf_thrift_skip (&reader, RF_THRIFT_LIST));
  assert_reader_error (&reader, "the bool at byte 6 has the value 3");
  rf_thrift_reader_clear (&reader);

  /* An empty list may carry no element type. */
  rf_thrift_reader_init (&reader, BYTES (0x00), 1);
  g_assert_true (rf_thrift_skip (&reader, RF_THRIFT_LIST));
  rf_thrift_reader_clear (&reader);
  rf_thrift_reader_init (&reader, BYTES (0x10, 0x00), 2);
  g_assert_false (rf_thrift_skip (&reader, RF_THRIFT_LIST));
  assert_reader_error (&reader, "the list at byte 0 has the invalid element type 0");
  rf_thrift_reader_clear (&reader);

  rf_thrift_writer_init (&writer, out);
  rf_thrift_write_list_begin (&writer, RF_THRIFT_I32, 3);
  rf_thrift_write_list_begin (&writer, RF_THRIFT_I32, 14);
  rf_thrift_write_list_begin (&writer, RF_THRIFT_I32, 15);
  rf_thrift_write_list_begin (&writer, RF_THRIFT_BINARY, 150);
  rf_thrift_write_list_begin (&writer, RF_THRIFT_BOOL_FALSE, 2);
  rf_thrift_write_bool (&writer, TRUE);
  rf_thrift_write_bool (&writer, FALSE);
  g_assert_cmpmem (out->data, out->len,
                   BYTES (0x35, 0xe5, 0xf5, 0x0f, 0xf8, 0x96, 0x01, 0x21, 0x01, 0x02), 10);
}

/* A value of every kind inside a field that the reader skips, then a field
 * it reads: skip must land exactly on it. */
static const guint8 nested_bytes[] = {
  0x15, 0x0e,                                   /* 1: i32 7 */
  0x1c,                                         /* 2: struct { */
  0x19, 0x2c,                                   /*   1: list<struct> of 2 */
  0x18, 0x02, 'a', 'b', 0x00,                   /*     { 1: "ab" } */
  0x00,                                         /*     { } */
  0x1b, 0x01, 0x51, 0x02, 0x01,                 /*   2: map<i32,bool> { 1: true } */
  0x17, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f,           /*   3: double 1.5 */
  0x12,                                         /*   4: bool false */
  0x1d, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, /* 5: uuid */
  0x13, 0x80,                                   /*   6: i8 */
  0x1a, 0x00,                                   /*   7: empty set */
  0x1b, 0x00,                                   /*   8: empty map */
  0x14, 0xfe, 0xff, 0x03,                       /*   9: i16 */
  0x00,                                         /* } */
  0x16, 0x01,                                   /* 3: i64 -1 */
  0x00,
};

static void
test_thrift_skip (void)
{
  RfThriftReader reader;
  RfThriftType type;
  gint16 id;
  gint32 i32;
  gint64 i64;

  rf_thrift_reader_init (&reader, nested_bytes, sizeof nested_bytes);
  g_assert_true (rf_thrift_read_struct_begin (&reader));
  g_assert_true (rf_thrift_read_field_begin (&reader, &type, &id));
  g_assert_cmpint (id, ==, 1);
  g_assert_true (rf_thrift_read_i32 (&reader, &i32));
  g_assert_cmpint (i32, ==, 7);
  g_assert_true (rf_thrift_read_field_begin (&reader, &type, &id));
  g_assert_cmpint (id, ==, 2);
  g_assert_cmpint (type, ==, RF_THRIFT_STRUCT);
  g_assert_true (rf_thrift_skip (&reader, type));
  g_assert_cmpuint (reader.depth, ==, 1);
  /* The field id delta restarts after the nested struct. */
  g_assert_true (rf_thrift_read_field_begin (&reader, &type, &id));
  g_assert_cmpint (id, ==, 3);
  g_assert_true (rf_thrift_read_i64 (&reader, &i64));
  g_assert_cmpint (i64, ==, -1);
  g_assert_true (rf_thrift_read_field_begin (&reader, &type, &id));
  g_assert_cmpint (type, ==, RF_THRIFT_STOP);
  g_assert_true (rf_thrift_read_struct_end (&reader));
  g_assert_cmpuint (reader.pos, ==, sizeof nested_bytes);
  rf_thrift_reader_clear (&reader);

  /* Every prefix fails cleanly, with the levels unwound. */
  for (gsize n = 0; n < sizeof nested_bytes; n++)
    {
      rf_thrift_reader_init (&reader, nested_bytes, n);
      g_assert_false (rf_thrift_skip (&reader, RF_THRIFT_STRUCT));
      g_assert_true (rf_thrift_reader_failed (&reader));
      g_assert_cmpuint (reader.depth, ==, 0);
      rf_thrift_reader_clear (&reader);
    }

  /* A map that claims more entries than the bytes left can hold. */
  rf_thrift_reader_init (&reader, BYTES (0x0a, 0x55, 0x02, 0x02, 0x02), 5);
  g_assert_false (rf_thrift_skip (&reader, RF_THRIFT_MAP));
  assert_reader_error (&reader, "the map at byte 0 claims 10 entries but only 3 bytes are left");
  rf_thrift_reader_clear (&reader);

  /* STOP is no value type. */
  rf_thrift_reader_init (&reader, BYTES (0x00), 1);
  g_assert_false (rf_thrift_skip (&reader, RF_THRIFT_STOP));
  assert_reader_error (&reader, "cannot skip a value of the invalid type 0");
  rf_thrift_reader_clear (&reader);
}

static void
test_thrift_depth (void)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  RfThriftReader reader;

  /* 64 levels are fine (the outer struct and 63 nested)... */
  for (guint i = 0; i < 63; i++)
    g_byte_array_append (bytes, BYTES (0x1c), 1);
  for (guint i = 0; i < 64; i++)
    g_byte_array_append (bytes, BYTES (0x00), 1);
  rf_thrift_reader_init (&reader, bytes->data, bytes->len);
  g_assert_true (rf_thrift_skip (&reader, RF_THRIFT_STRUCT));
  g_assert_cmpuint (reader.pos, ==, bytes->len);
  rf_thrift_reader_clear (&reader);

  /* ... 65 are not. */
  g_byte_array_set_size (bytes, 0);
  for (guint i = 0; i < 64; i++)
    g_byte_array_append (bytes, BYTES (0x1c), 1);
  for (guint i = 0; i < 65; i++)
    g_byte_array_append (bytes, BYTES (0x00), 1);
  rf_thrift_reader_init (&reader, bytes->data, bytes->len);
  g_assert_false (rf_thrift_skip (&reader, RF_THRIFT_STRUCT));
  assert_reader_error (&reader, "the data nests deeper than 64 levels at byte 64");
  g_assert_cmpuint (reader.depth, ==, 0);
  rf_thrift_reader_clear (&reader);

  /* Lists of lists count too. */
  g_byte_array_set_size (bytes, 0);
  for (guint i = 0; i < 100000; i++)
    g_byte_array_append (bytes, BYTES (0x19), 1);
  rf_thrift_reader_init (&reader, bytes->data, bytes->len);
  g_assert_false (rf_thrift_skip (&reader, RF_THRIFT_LIST));
  assert_reader_error (&reader, "nests deeper than 64 levels");
  rf_thrift_reader_clear (&reader);
}

static void
test_thrift_huge_list (void)
{
  RfThriftReader reader;
  RfThriftType elem;
  guint32 count;

  /* 2^31 elements, and 2^31 - 1 (a valid i32 count) in a few bytes. */
  rf_thrift_reader_init (&reader, BYTES (0xfc, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00), 7);
  g_assert_false (rf_thrift_read_list_begin (&reader, &elem, &count));
  assert_reader_error (&reader, "the list at byte 0 claims 2147483648 elements but only 1 bytes are left");
  g_assert_cmpuint (reader.depth, ==, 0);
  rf_thrift_reader_clear (&reader);

  rf_thrift_reader_init (&reader, BYTES (0xfc, 0xff, 0xff, 0xff, 0xff, 0x07), 6);
  g_assert_false (rf_thrift_skip (&reader, RF_THRIFT_LIST));
  assert_reader_error (&reader, "claims 2147483647 elements but only 0 bytes are left");
  rf_thrift_reader_clear (&reader);
}

/* ---- Parquet metadata from corpus files --------------------------------- */

static void
test_alltypes_plain (void)
{
  static const struct { const char *name; RfPqType type; } leaves[] = {
    { "id", RF_PQ_INT32 }, { "bool_col", RF_PQ_BOOLEAN }, { "tinyint_col", RF_PQ_INT32 },
    { "smallint_col", RF_PQ_INT32 }, { "int_col", RF_PQ_INT32 }, { "bigint_col", RF_PQ_INT64 },
    { "float_col", RF_PQ_FLOAT }, { "double_col", RF_PQ_DOUBLE },
    { "date_string_col", RF_PQ_BYTE_ARRAY }, { "string_col", RF_PQ_BYTE_ARRAY },
    { "timestamp_col", RF_PQ_INT96 },
  };
  g_auto(CorpusFile) file = { 0 };
  RfPqFileMetaData meta = { 0 };
  RfPqPageHeader page = { 0 };
  const RfPqSchemaElement *root;
  const RfPqColumnChunk *chunk;
  const RfPqRowGroup *rg;
  gsize consumed = 0;

  if (!load_corpus_file ("parquet-testing/data/alltypes_plain.parquet", &file))
    return;
  g_assert_cmpuint (file.footer_length, ==, 730);
  decode_footer (&file, &meta);

  g_assert_cmpint (meta.version, ==, 1);
  g_assert_cmpint (meta.num_rows, ==, 8);
  g_assert_cmpstr (meta.created_by, ==,
                   "impala version 1.3.0-INTERNAL (build 8a48ddb1eff84592b3fc06bc6f51ec120e1fffc9)");
  g_assert_false (meta.has_encryption_algorithm);
  g_assert_nonnull (meta.key_value_metadata);
  g_assert_cmpuint (meta.key_value_metadata->len, ==, 0);

  g_assert_cmpuint (meta.schema->len, ==, 12);
  root = schema_at (&meta, 0);
  g_assert_cmpstr (root->name, ==, "schema");
  g_assert_false (root->has_type);
  g_assert_false (root->has_repetition);
  g_assert_cmpint (root->num_children, ==, 11);
  for (guint i = 0; i < G_N_ELEMENTS (leaves); i++)
    {
      const RfPqSchemaElement *e = schema_at (&meta, i + 1);

      g_assert_cmpstr (e->name, ==, leaves[i].name);
      g_assert_true (e->has_type);
      g_assert_cmpint (e->type, ==, leaves[i].type);
      g_assert_true (e->has_repetition);
      g_assert_cmpint (e->repetition, ==, RF_PQ_OPTIONAL);
      g_assert_cmpint (e->num_children, ==, 0);
      g_assert_cmpint (e->converted, ==, RF_PQ_CONVERTED_NONE);
      g_assert_cmpint (e->logical.kind, ==, RF_PQ_LOGICAL_NONE);
    }

  g_assert_cmpuint (meta.row_groups->len, ==, 1);
  rg = &g_array_index (meta.row_groups, RfPqRowGroup, 0);
  g_assert_cmpint (rg->num_rows, ==, 8);
  g_assert_cmpint (rg->total_byte_size, ==, 671);
  g_assert_cmpuint (rg->columns->len, ==, 11);
  for (guint i = 0; i < 11; i++)
    {
      chunk = chunk_at (&meta, 0, i);
      g_assert_true (chunk->has_meta_data);
      g_assert_false (chunk->has_crypto_metadata);
      g_assert_null (chunk->file_path);
      g_assert_cmpint (chunk->meta_data.codec, ==, RF_PQ_CODEC_UNCOMPRESSED);
      g_assert_cmpint (chunk->meta_data.type, ==, leaves[i].type);
      g_assert_cmpuint (chunk->meta_data.path_in_schema->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (chunk->meta_data.path_in_schema, 0), ==, leaves[i].name);
      g_assert_cmpint (chunk->meta_data.num_values, ==, 8);
      g_assert_false (chunk->meta_data.has_statistics);
    }

  chunk = chunk_at (&meta, 0, 0);
  g_assert_cmpint (chunk->file_offset, ==, 77);
  g_assert_cmpint (chunk->meta_data.total_uncompressed_size, ==, 73);
  g_assert_cmpint (chunk->meta_data.total_compressed_size, ==, 73);
  g_assert_cmpint (chunk->meta_data.data_page_offset, ==, 49);
  g_assert_true (chunk->meta_data.has_dictionary_page_offset);
  g_assert_cmpint (chunk->meta_data.dictionary_page_offset, ==, 4);
  g_assert_cmpuint (chunk->meta_data.encodings->len, ==, 3);
  g_assert_cmpint (encoding_at (&chunk->meta_data, 0), ==, RF_PQ_RLE);
  g_assert_cmpint (encoding_at (&chunk->meta_data, 1), ==, RF_PQ_PLAIN_DICTIONARY);
  g_assert_cmpint (encoding_at (&chunk->meta_data, 2), ==, RF_PQ_PLAIN);
  chunk = chunk_at (&meta, 0, 10);
  g_assert_cmpint (chunk->meta_data.dictionary_page_offset, ==, 929);
  g_assert_cmpint (chunk->meta_data.data_page_offset, ==, 1040);
  g_assert_cmpint (chunk->meta_data.total_compressed_size, ==, 139);

  /* The first column chunk: a dictionary page, then a data page right
   * after its header and data. */
  decode_page_at (&file, 4, &page, &consumed);
  g_assert_cmpuint (consumed, ==, 13);
  g_assert_cmpint (page.type, ==, RF_PQ_PAGE_DICTIONARY);
  g_assert_cmpint (page.uncompressed_page_size, ==, 32);
  g_assert_cmpint (page.compressed_page_size, ==, 32);
  g_assert_false (page.has_crc);
  g_assert_cmpint (page.dictionary.num_values, ==, 8);
  g_assert_cmpint (page.dictionary.encoding, ==, RF_PQ_PLAIN_DICTIONARY);
  g_assert_false (page.dictionary.is_sorted);
  g_assert_cmpint (4 + consumed + page.compressed_page_size, ==, 49);
  rf_pq_page_header_clear (&page);

  decode_page_at (&file, 49, &page, &consumed);
  g_assert_cmpuint (consumed, ==, 17);
  g_assert_cmpint (page.type, ==, RF_PQ_PAGE_DATA);
  g_assert_cmpint (page.uncompressed_page_size, ==, 11);
  g_assert_cmpint (page.compressed_page_size, ==, 11);
  g_assert_cmpint (page.data.num_values, ==, 8);
  g_assert_cmpint (page.data.encoding, ==, RF_PQ_PLAIN_DICTIONARY);
  g_assert_cmpint (page.data.definition_level_encoding, ==, RF_PQ_RLE);
  g_assert_cmpint (page.data.repetition_level_encoding, ==, RF_PQ_BIT_PACKED);
  g_assert_false (page.data.has_statistics);
  /* The chunk ends where this page does. */
  g_assert_cmpint (49 + consumed + page.compressed_page_size, ==, 4 + 73);
  rf_pq_page_header_clear (&page);

  rf_pq_file_meta_data_clear (&meta);
  g_assert_null (meta.schema);
  rf_pq_file_meta_data_clear (&meta);
}

static void
test_scada_types (void)
{
  static const struct { const char *name; RfPqType type; RfPqConverted converted; } leaves[] = {
    { "id", RF_PQ_INT32, RF_PQ_CONVERTED_INT_32 },
    { "tag", RF_PQ_BYTE_ARRAY, RF_PQ_CONVERTED_UTF8 },
    { "ts", RF_PQ_INT64, RF_PQ_CONVERTED_TIMESTAMP_MICROS },
    { "value", RF_PQ_DOUBLE, RF_PQ_CONVERTED_NONE },
    { "f32", RF_PQ_FLOAT, RF_PQ_CONVERTED_NONE },
    { "quality", RF_PQ_INT32, RF_PQ_CONVERTED_INT_16 },
    { "good", RF_PQ_BOOLEAN, RF_PQ_CONVERTED_NONE },
    { "counter", RF_PQ_INT64, RF_PQ_CONVERTED_INT_64 },
    { "day", RF_PQ_INT32, RF_PQ_CONVERTED_DATE },
    { "setpoint", RF_PQ_INT64, RF_PQ_CONVERTED_DECIMAL },
    { "note", RF_PQ_BYTE_ARRAY, RF_PQ_CONVERTED_UTF8 },
  };
  static const guint8 id_min[] = { 1, 0, 0, 0 }, id_max[] = { 0xe8, 0x03, 0, 0 };
  g_auto(CorpusFile) file = { 0 };
  RfPqFileMetaData meta = { 0 };
  RfPqPageHeader page = { 0 };
  const RfPqSchemaElement *e;
  const RfPqColumnChunk *chunk;
  gsize consumed = 0;

  if (!load_corpus_file ("duckdb-written/scada_types.zstd.v1.parquet", &file))
    return;
  decode_footer (&file, &meta);

  g_assert_cmpint (meta.version, ==, 1);
  g_assert_cmpint (meta.num_rows, ==, 1000);
  g_assert_cmpstr (meta.created_by, ==, "DuckDB version v1.5.6 (build 069cc9f9b5)");
  g_assert_cmpuint (meta.key_value_metadata->len, ==, 0);
  g_assert_cmpuint (meta.schema->len, ==, 12);
  e = schema_at (&meta, 0);
  g_assert_cmpstr (e->name, ==, "duckdb_schema");
  g_assert_cmpint (e->num_children, ==, 11);
  g_assert_true (e->has_repetition);
  g_assert_cmpint (e->repetition, ==, RF_PQ_REQUIRED);
  for (guint i = 0; i < G_N_ELEMENTS (leaves); i++)
    {
      e = schema_at (&meta, i + 1);
      g_assert_cmpstr (e->name, ==, leaves[i].name);
      g_assert_cmpint (e->type, ==, leaves[i].type);
      g_assert_cmpint (e->converted, ==, leaves[i].converted);
      g_assert_cmpint (e->repetition, ==, RF_PQ_OPTIONAL);
    }

  /* ts: TIMESTAMP(isAdjustedToUTC=false, MICROS) */
  e = schema_at (&meta, 3);
  g_assert_cmpint (e->logical.kind, ==, RF_PQ_LOGICAL_TIMESTAMP);
  g_assert_cmpint (e->logical.unit, ==, RF_PQ_UNIT_MICROS);
  g_assert_false (e->logical.adjusted_to_utc);
  /* setpoint: DECIMAL(12, 3), in both the legacy fields and LogicalType */
  e = schema_at (&meta, 10);
  g_assert_cmpint (e->logical.kind, ==, RF_PQ_LOGICAL_DECIMAL);
  g_assert_cmpint (e->logical.decimal_precision, ==, 12);
  g_assert_cmpint (e->logical.decimal_scale, ==, 3);
  g_assert_cmpint (e->precision, ==, 12);
  g_assert_cmpint (e->scale, ==, 3);
  /* day: DATE only as a converted type; id, quality: INT_32, INT_16 only */
  g_assert_cmpint (schema_at (&meta, 9)->logical.kind, ==, RF_PQ_LOGICAL_NONE);
  g_assert_cmpint (schema_at (&meta, 1)->logical.kind, ==, RF_PQ_LOGICAL_NONE);

  /* Statistics of id (1..1000), tag (20 nulls) and value (10 nulls and
   * no min/max: DuckDB leaves them out with NaN in the column). */
  chunk = chunk_at (&meta, 0, 0);
  g_assert_cmpint (chunk->meta_data.codec, ==, RF_PQ_CODEC_ZSTD);
  g_assert_true (chunk->meta_data.has_statistics);
  assert_bytes (chunk->meta_data.statistics.min, id_min, 4);
  assert_bytes (chunk->meta_data.statistics.max, id_max, 4);
  g_assert_true (chunk->meta_data.statistics.has_null_count);
  g_assert_cmpint (chunk->meta_data.statistics.null_count, ==, 0);
  g_assert_false (chunk->meta_data.has_dictionary_page_offset);
  g_assert_cmpint (chunk->meta_data.data_page_offset, ==, 4);
  g_assert_cmpint (chunk->meta_data.total_compressed_size, ==, 1928);
  chunk = chunk_at (&meta, 0, 1);
  g_assert_cmpint (chunk->meta_data.statistics.null_count, ==, 20);
  g_assert_true (chunk->meta_data.has_dictionary_page_offset);
  g_assert_cmpint (chunk->meta_data.dictionary_page_offset, ==, 1932);
  g_assert_cmpint (chunk->meta_data.data_page_offset, ==, 2055);
  g_assert_cmpuint (chunk->meta_data.encodings->len, ==, 1);
  g_assert_cmpint (encoding_at (&chunk->meta_data, 0), ==, RF_PQ_PLAIN_DICTIONARY);
  chunk = chunk_at (&meta, 0, 3);
  g_assert_true (chunk->meta_data.has_statistics);
  g_assert_null (chunk->meta_data.statistics.min);
  g_assert_null (chunk->meta_data.statistics.max);
  g_assert_cmpint (chunk->meta_data.statistics.null_count, ==, 10);

  decode_page_at (&file, 4, &page, &consumed);
  g_assert_cmpuint (consumed, ==, 20);
  g_assert_cmpint (page.type, ==, RF_PQ_PAGE_DATA);
  g_assert_cmpint (page.uncompressed_page_size, ==, 4007);
  g_assert_cmpint (page.compressed_page_size, ==, 1908);
  g_assert_cmpint (page.data.num_values, ==, 1000);
  g_assert_cmpint (page.data.encoding, ==, RF_PQ_PLAIN);
  g_assert_cmpint (page.data.definition_level_encoding, ==, RF_PQ_RLE);
  g_assert_cmpint (4 + consumed + page.compressed_page_size, ==, 4 + 1928);
  rf_pq_page_header_clear (&page);

  rf_pq_file_meta_data_clear (&meta);
}

static void
test_historian_two_row_groups (void)
{
  g_auto(CorpusFile) file = { 0 };
  RfPqFileMetaData meta = { 0 };
  RfPqPageHeader page = { 0 };
  const RfPqSchemaElement *e;
  const RfPqColumnChunk *chunk;
  gsize consumed = 0;

  if (!load_corpus_file ("duckdb-written/scada_historian_long.zstd.2rg.parquet", &file))
    return;
  decode_footer (&file, &meta);

  g_assert_cmpint (meta.num_rows, ==, 3264);
  g_assert_cmpuint (meta.row_groups->len, ==, 2);
  g_assert_cmpint (g_array_index (meta.row_groups, RfPqRowGroup, 0).num_rows, ==, 2048);
  g_assert_cmpint (g_array_index (meta.row_groups, RfPqRowGroup, 1).num_rows, ==, 1216);
  g_assert_cmpint (g_array_index (meta.row_groups, RfPqRowGroup, 0).total_byte_size, ==, 33709);

  e = schema_at (&meta, 2);
  g_assert_cmpstr (e->name, ==, "Timestamp");
  g_assert_cmpint (e->logical.kind, ==, RF_PQ_LOGICAL_TIMESTAMP);
  g_assert_true (e->logical.adjusted_to_utc);
  g_assert_cmpint (e->logical.unit, ==, RF_PQ_UNIT_MICROS);

  /* TagName in the second row group: "AI_17.RAW" .. "TIC205.PV". */
  chunk = chunk_at (&meta, 1, 0);
  assert_bytes (chunk->meta_data.statistics.min, "AI_17.RAW", 9);
  assert_bytes (chunk->meta_data.statistics.max, "TIC205.PV", 9);
  g_assert_true (chunk->meta_data.statistics.has_distinct_count);
  g_assert_cmpint (chunk->meta_data.num_values, ==, 1216);
  g_assert_cmpint (chunk->meta_data.dictionary_page_offset, ==, 13868);
  g_assert_cmpint (chunk->meta_data.data_page_offset, ==, 13958);
  chunk = chunk_at (&meta, 0, 2);
  g_assert_cmpstr (g_ptr_array_index (chunk->meta_data.path_in_schema, 0), ==, "Value");
  g_assert_cmpint (chunk->meta_data.statistics.null_count, ==, 30);

  decode_page_at (&file, 13868, &page, &consumed);
  g_assert_cmpuint (consumed, ==, 15);
  g_assert_cmpint (page.type, ==, RF_PQ_PAGE_DICTIONARY);
  g_assert_cmpint (page.dictionary.num_values, ==, 5);
  g_assert_cmpint (page.dictionary.encoding, ==, RF_PQ_PLAIN);
  g_assert_cmpint (page.uncompressed_page_size, ==, 66);
  g_assert_cmpint (page.compressed_page_size, ==, 75);
  g_assert_cmpint (13868 + consumed + page.compressed_page_size, ==, 13958);
  rf_pq_page_header_clear (&page);

  decode_page_at (&file, 13958, &page, &consumed);
  g_assert_cmpuint (consumed, ==, 20);
  g_assert_cmpint (page.type, ==, RF_PQ_PAGE_DATA);
  g_assert_cmpint (page.data.num_values, ==, 1216);
  g_assert_cmpint (page.data.encoding, ==, RF_PQ_PLAIN_DICTIONARY);
  rf_pq_page_header_clear (&page);

  rf_pq_file_meta_data_clear (&meta);
}

static void
test_key_values_and_unknown_logical (void)
{
  g_auto(CorpusFile) file = { 0 };
  g_auto(CorpusFile) avro = { 0 };
  RfPqFileMetaData meta = { 0 };
  const RfPqKeyValue *kv;

  if (!load_corpus_file ("parquet-testing/data/unknown-logical-type.parquet", &file)
      || !load_corpus_file ("parquet-testing/data/data_index_bloom_encoding_stats.parquet", &avro))
    return;

  decode_footer (&file, &meta);
  g_assert_cmpint (meta.version, ==, 2);
  g_assert_cmpstr (schema_at (&meta, 1)->name, ==, "column with known type");
  g_assert_cmpint (schema_at (&meta, 1)->logical.kind, ==, RF_PQ_LOGICAL_STRING);
  g_assert_cmpstr (schema_at (&meta, 2)->name, ==, "column with unknown type");
  g_assert_cmpint (schema_at (&meta, 2)->logical.kind, ==, RF_PQ_LOGICAL_OTHER);
  g_assert_cmpint (schema_at (&meta, 2)->type, ==, RF_PQ_BYTE_ARRAY);
  g_assert_cmpuint (meta.key_value_metadata->len, ==, 1);
  kv = &g_array_index (meta.key_value_metadata, RfPqKeyValue, 0);
  g_assert_cmpstr (kv->key, ==, "ARROW:schema");
  g_assert_cmpuint (strlen (kv->value), ==, 480);
  g_assert_true (g_str_has_prefix (kv->value, "/////2ABAAAQAAAAAAAKAAwABgAFAAgACgAAAAABBAAM"));
  rf_pq_file_meta_data_clear (&meta);

  decode_footer (&avro, &meta);
  g_assert_cmpuint (meta.key_value_metadata->len, ==, 2);
  kv = &g_array_index (meta.key_value_metadata, RfPqKeyValue, 0);
  g_assert_cmpstr (kv->key, ==, "parquet.avro.schema");
  g_assert_true (g_str_has_prefix (kv->value, "{\"type\":\"record\",\"name\":\"data\""));
  kv = &g_array_index (meta.key_value_metadata, RfPqKeyValue, 1);
  g_assert_cmpstr (kv->key, ==, "writer.model.name");
  g_assert_cmpstr (kv->value, ==, "avro");
  rf_pq_file_meta_data_clear (&meta);
}

static void
test_page_v2_and_crc (void)
{
  g_auto(CorpusFile) v2 = { 0 };
  g_auto(CorpusFile) crc = { 0 };
  RfPqPageHeader page = { 0 };
  gsize consumed = 0;

  if (!load_corpus_file ("parquet-testing/data/datapage_v2.snappy.parquet", &v2)
      || !load_corpus_file ("parquet-testing/data/datapage_v1-snappy-compressed-checksum.parquet", &crc))
    return;

  decode_page_at (&v2, 26, &page, &consumed);
  g_assert_cmpuint (consumed, ==, 35);
  g_assert_cmpint (page.type, ==, RF_PQ_PAGE_DATA_V2);
  g_assert_cmpint (page.uncompressed_page_size, ==, 4);
  g_assert_cmpint (page.compressed_page_size, ==, 6);
  g_assert_cmpint (page.data_v2.num_values, ==, 5);
  g_assert_cmpint (page.data_v2.num_nulls, ==, 1);
  g_assert_cmpint (page.data_v2.num_rows, ==, 5);
  g_assert_cmpint (page.data_v2.encoding, ==, RF_PQ_RLE_DICTIONARY);
  g_assert_cmpint (page.data_v2.definition_levels_byte_length, ==, 2);
  g_assert_cmpint (page.data_v2.repetition_levels_byte_length, ==, 0);
  g_assert_true (page.data_v2.is_compressed);
  g_assert_true (page.data_v2.has_statistics);
  g_assert_true (page.data_v2.statistics.has_null_count);
  g_assert_cmpint (page.data_v2.statistics.null_count, ==, 1);
  rf_pq_page_header_clear (&page);

  decode_page_at (&crc, 4, &page, &consumed);
  g_assert_cmpuint (consumed, ==, 26);
  g_assert_cmpint (page.type, ==, RF_PQ_PAGE_DATA);
  g_assert_true (page.has_crc);
  g_assert_cmpuint (page.crc, ==, 4252644304u);
  g_assert_cmpint (page.data.num_values, ==, 2560);
  g_assert_cmpint (page.uncompressed_page_size, ==, 10240);
  g_assert_cmpint (page.compressed_page_size, ==, 735);
  rf_pq_page_header_clear (&page);
}

/* Every file the manifest expects to be readable has a footer that decodes,
 * with the manifest's row and row group counts (and its leaf column count
 * for flat files); re-encoding gives a footer that decodes the same. */
static void
test_manifest_footers (void)
{
  g_autofree char *manifest_path = rf_test_shared_path ("corpus/parquet/MANIFEST.tsv");
  g_autofree char *manifest = NULL;
  g_auto(GStrv) lines = NULL;
  guint checked = 0;

  if (manifest_path == NULL)
    return;
  g_assert_true (g_file_get_contents (manifest_path, &manifest, NULL, NULL));
  lines = g_strsplit (manifest, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
      g_auto(CorpusFile) file = { 0 };
      RfPqFileMetaData meta = { 0 };
      RfPqFileMetaData again = { 0 };
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autoptr(GError) error = NULL;
      guint leaves = 0;

      if (g_strv_length (f) < 11 || *f[2] == '\0'
          || (strcmp (f[10], "read") != 0 && strcmp (f[10], "either") != 0))
        continue;
      if (!load_corpus_file (f[0], &file))
        return;
      if (!rf_pq_file_meta_data_decode (file.footer, file.footer_length, &meta, &error))
        g_error ("%s: %s", f[0], error->message);
      g_assert_cmpint (meta.num_rows, ==, g_ascii_strtoll (f[2], NULL, 10));
      g_assert_cmpuint (meta.row_groups->len, ==, g_ascii_strtoull (f[4], NULL, 10));
      for (guint s = 0; s < meta.schema->len; s++)
        leaves += schema_at (&meta, s)->has_type;
      if (strcmp (f[8], "no") == 0)
        g_assert_cmpuint (leaves, ==, g_ascii_strtoull (f[3], NULL, 10));

      rf_pq_file_meta_data_encode (&meta, out);
      if (!rf_pq_file_meta_data_decode (out->data, out->len, &again, &error))
        g_error ("%s re-encoded: %s", f[0], error->message);
      g_assert_cmpint (again.num_rows, ==, meta.num_rows);
      g_assert_cmpuint (again.schema->len, ==, meta.schema->len);
      g_assert_cmpuint (again.row_groups->len, ==, meta.row_groups->len);
      rf_pq_file_meta_data_clear (&again);
      rf_pq_file_meta_data_clear (&meta);
      checked++;
    }
  g_test_message ("%u footers decoded", checked);
  g_assert_cmpuint (checked, >=, 40);
}

/* ---- Round trips -------------------------------------------------------- */

static void
add_leaf (RfPqFileMetaData *meta,
          const char       *name,
          RfPqType          type,
          RfPqRepetition    repetition,
          RfPqConverted     converted,
          RfPqLogicalType   logical)
{
  RfPqSchemaElement e;

  rf_pq_schema_element_init (&e);
  e.name = g_strdup (name);
  e.has_type = TRUE;
  e.type = type;
  e.has_repetition = TRUE;
  e.repetition = repetition;
  e.converted = converted;
  e.logical = logical;
  if (type == RF_PQ_FIXED_LEN_BYTE_ARRAY)
    e.type_length = 16;
  if (converted == RF_PQ_CONVERTED_DECIMAL)
    {
      e.scale = logical.decimal_scale;
      e.precision = logical.decimal_precision;
    }
  g_array_append_val (meta->schema, e);
}

static void
add_chunk (RfPqRowGroup *row_group,
           const char   *name,
           RfPqType      type,
           gint64        base)
{
  RfPqColumnChunk chunk;

  rf_pq_column_chunk_init (&chunk);
  chunk.file_offset = base + 1;
  chunk.meta_data.type = type;
  chunk.meta_data.codec = (RfPqCodec) (base % 8);
  g_array_append_vals (chunk.meta_data.encodings, (gint32[]) { RF_PQ_PLAIN, RF_PQ_RLE, 42 }, 3);
  g_ptr_array_add (chunk.meta_data.path_in_schema, g_strdup (name));
  chunk.meta_data.num_values = base * 10;
  chunk.meta_data.total_uncompressed_size = base * 100 + 7;
  chunk.meta_data.total_compressed_size = base * 50 + 3;
  chunk.meta_data.data_page_offset = base + 1000;
  if (base % 2 == 0)
    {
      chunk.meta_data.has_dictionary_page_offset = TRUE;
      chunk.meta_data.dictionary_page_offset = base + 4;
    }
  if (base % 3 != 1)
    {
      chunk.meta_data.has_statistics = TRUE;
      chunk.meta_data.statistics.min = g_bytes_new ("\x01\x02\x03\x04", 4);
      chunk.meta_data.statistics.max = g_bytes_new ("\xff\x00", 2);
      chunk.meta_data.statistics.has_null_count = TRUE;
      chunk.meta_data.statistics.null_count = base;
      chunk.meta_data.statistics.has_distinct_count = base % 3 == 0;
      chunk.meta_data.statistics.distinct_count = base % 3 == 0 ? 1LL << 40 : 0;
    }
  g_array_append_val (row_group->columns, chunk);
}

static void
assert_statistics_equal (const RfPqStatistics *a,
                         const RfPqStatistics *b)
{
  g_assert_true ((a->min == NULL) == (b->min == NULL));
  g_assert_true ((a->max == NULL) == (b->max == NULL));
  if (a->min != NULL)
    g_assert_true (g_bytes_equal (a->min, b->min));
  if (a->max != NULL)
    g_assert_true (g_bytes_equal (a->max, b->max));
  g_assert_cmpint (a->has_null_count, ==, b->has_null_count);
  g_assert_cmpint (a->null_count, ==, b->null_count);
  g_assert_cmpint (a->has_distinct_count, ==, b->has_distinct_count);
  g_assert_cmpint (a->distinct_count, ==, b->distinct_count);
}

static void
assert_file_meta_data_equal (const RfPqFileMetaData *a,
                             const RfPqFileMetaData *b)
{
  g_assert_cmpint (a->version, ==, b->version);
  g_assert_cmpint (a->num_rows, ==, b->num_rows);
  g_assert_cmpstr (a->created_by, ==, b->created_by);
  g_assert_cmpuint (a->schema->len, ==, b->schema->len);
  for (guint i = 0; i < a->schema->len; i++)
    {
      const RfPqSchemaElement *x = schema_at (a, i), *y = schema_at (b, i);

      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpint (x->has_type, ==, y->has_type);
      g_assert_cmpint (x->type, ==, y->type);
      g_assert_cmpint (x->type_length, ==, y->type_length);
      g_assert_cmpint (x->has_repetition, ==, y->has_repetition);
      g_assert_cmpint (x->repetition, ==, y->repetition);
      g_assert_cmpint (x->num_children, ==, y->num_children);
      g_assert_cmpint (x->converted, ==, y->converted);
      g_assert_cmpint (x->scale, ==, y->scale);
      g_assert_cmpint (x->precision, ==, y->precision);
      g_assert_cmpmem (&x->logical, sizeof x->logical, &y->logical, sizeof y->logical);
    }
  g_assert_cmpuint (a->key_value_metadata->len, ==, b->key_value_metadata->len);
  for (guint i = 0; i < a->key_value_metadata->len; i++)
    {
      const RfPqKeyValue *x = &g_array_index (a->key_value_metadata, RfPqKeyValue, i);
      const RfPqKeyValue *y = &g_array_index (b->key_value_metadata, RfPqKeyValue, i);

      g_assert_cmpstr (x->key, ==, y->key);
      g_assert_cmpstr (x->value, ==, y->value);
    }
  g_assert_cmpuint (a->row_groups->len, ==, b->row_groups->len);
  for (guint g = 0; g < a->row_groups->len; g++)
    {
      const RfPqRowGroup *x = &g_array_index (a->row_groups, RfPqRowGroup, g);
      const RfPqRowGroup *y = &g_array_index (b->row_groups, RfPqRowGroup, g);

      g_assert_cmpint (x->num_rows, ==, y->num_rows);
      g_assert_cmpint (x->total_byte_size, ==, y->total_byte_size);
      g_assert_cmpuint (x->columns->len, ==, y->columns->len);
      for (guint c = 0; c < x->columns->len; c++)
        {
          const RfPqColumnChunk *p = chunk_at (a, g, c), *q = chunk_at (b, g, c);

          g_assert_cmpstr (p->file_path, ==, q->file_path);
          g_assert_cmpint (p->file_offset, ==, q->file_offset);
          g_assert_cmpint (p->has_meta_data, ==, q->has_meta_data);
          g_assert_cmpint (p->has_crypto_metadata, ==, q->has_crypto_metadata);
          g_assert_cmpint (p->meta_data.type, ==, q->meta_data.type);
          g_assert_cmpint (p->meta_data.codec, ==, q->meta_data.codec);
          g_assert_cmpmem (p->meta_data.encodings->data, p->meta_data.encodings->len * 4,
                           q->meta_data.encodings->data, q->meta_data.encodings->len * 4);
          g_assert_cmpuint (p->meta_data.path_in_schema->len, ==, q->meta_data.path_in_schema->len);
          for (guint k = 0; k < p->meta_data.path_in_schema->len; k++)
            g_assert_cmpstr (g_ptr_array_index (p->meta_data.path_in_schema, k), ==,
                             g_ptr_array_index (q->meta_data.path_in_schema, k));
          g_assert_cmpint (p->meta_data.num_values, ==, q->meta_data.num_values);
          g_assert_cmpint (p->meta_data.total_uncompressed_size, ==, q->meta_data.total_uncompressed_size);
          g_assert_cmpint (p->meta_data.total_compressed_size, ==, q->meta_data.total_compressed_size);
          g_assert_cmpint (p->meta_data.data_page_offset, ==, q->meta_data.data_page_offset);
          g_assert_cmpint (p->meta_data.has_dictionary_page_offset, ==,
                           q->meta_data.has_dictionary_page_offset);
          g_assert_cmpint (p->meta_data.dictionary_page_offset, ==, q->meta_data.dictionary_page_offset);
          g_assert_cmpint (p->meta_data.has_statistics, ==, q->meta_data.has_statistics);
          assert_statistics_equal (&p->meta_data.statistics, &q->meta_data.statistics);
        }
    }
}

static void
build_full_meta (RfPqFileMetaData *meta)
{
  static const char *names[] = { "flag", "count", "ts", "t", "id", "price", "name", "day", "small" };
  RfPqSchemaElement root, group;
  RfPqKeyValue kv;

  rf_pq_file_meta_data_init (meta);
  meta->version = 2;
  meta->num_rows = G_GINT64_CONSTANT (5000000000);
  meta->created_by = g_strdup ("Refinery test ✓");

  rf_pq_schema_element_init (&root);
  root.name = g_strdup ("schema");
  root.num_children = 9;
  g_array_append_val (meta->schema, root);
  add_leaf (meta, names[0], RF_PQ_BOOLEAN, RF_PQ_REQUIRED, RF_PQ_CONVERTED_NONE,
            (RfPqLogicalType) { 0 });
  add_leaf (meta, names[1], RF_PQ_INT32, RF_PQ_OPTIONAL, RF_PQ_CONVERTED_UINT_16,
            (RfPqLogicalType) { .kind = RF_PQ_LOGICAL_INTEGER, .int_bit_width = 16, .int_signed = FALSE });
  add_leaf (meta, names[2], RF_PQ_INT64, RF_PQ_OPTIONAL, RF_PQ_CONVERTED_TIMESTAMP_MILLIS,
            (RfPqLogicalType) { .kind = RF_PQ_LOGICAL_TIMESTAMP, .unit = RF_PQ_UNIT_MILLIS,
                                .adjusted_to_utc = TRUE });
  add_leaf (meta, names[3], RF_PQ_INT64, RF_PQ_OPTIONAL, RF_PQ_CONVERTED_NONE,
            (RfPqLogicalType) { .kind = RF_PQ_LOGICAL_TIME, .unit = RF_PQ_UNIT_NANOS });
  add_leaf (meta, names[4], RF_PQ_FIXED_LEN_BYTE_ARRAY, RF_PQ_REQUIRED, RF_PQ_CONVERTED_NONE,
            (RfPqLogicalType) { .kind = RF_PQ_LOGICAL_UUID });
  add_leaf (meta, names[5], RF_PQ_INT64, RF_PQ_OPTIONAL, RF_PQ_CONVERTED_DECIMAL,
            (RfPqLogicalType) { .kind = RF_PQ_LOGICAL_DECIMAL, .decimal_scale = 4,
                                .decimal_precision = 18 });
  add_leaf (meta, names[6], RF_PQ_BYTE_ARRAY, RF_PQ_OPTIONAL, RF_PQ_CONVERTED_UTF8,
            (RfPqLogicalType) { .kind = RF_PQ_LOGICAL_STRING });
  add_leaf (meta, names[7], RF_PQ_INT32, RF_PQ_OPTIONAL, RF_PQ_CONVERTED_DATE,
            (RfPqLogicalType) { .kind = RF_PQ_LOGICAL_DATE });
  /* A group with a repeated child, to carry num_children and REPEATED. */
  rf_pq_schema_element_init (&group);
  group.name = g_strdup (names[8]);
  group.has_repetition = TRUE;
  group.repetition = RF_PQ_OPTIONAL;
  group.num_children = 1;
  group.converted = RF_PQ_CONVERTED_LIST;
  group.logical.kind = RF_PQ_LOGICAL_LIST;
  g_array_append_val (meta->schema, group);
  add_leaf (meta, "element", RF_PQ_FLOAT, RF_PQ_REPEATED, RF_PQ_CONVERTED_NONE,
            (RfPqLogicalType) { .kind = RF_PQ_LOGICAL_FLOAT16 });

  for (guint g = 0; g < 2; g++)
    {
      RfPqRowGroup row_group;

      rf_pq_row_group_init (&row_group);
      row_group.num_rows = 2500000000LL + g;
      row_group.total_byte_size = 123456789LL * (g + 1);
      for (guint c = 0; c < 9; c++)
        add_chunk (&row_group, names[c], schema_at (meta, c + 1)->type, g * 9 + c);
      g_array_index (row_group.columns, RfPqColumnChunk, 0).file_path = g_strdup ("other.parquet");
      g_array_append_val (meta->row_groups, row_group);
    }

  kv.key = g_strdup ("refinery.version");
  kv.value = g_strdup ("1.0");
  g_array_append_val (meta->key_value_metadata, kv);
  kv.key = g_strdup ("no value");
  kv.value = NULL;
  g_array_append_val (meta->key_value_metadata, kv);
}

static void
test_round_trip_file (void)
{
  RfPqFileMetaData meta;
  RfPqFileMetaData decoded = { 0 };
  RfPqFileMetaData again = { 0 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) out2 = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  RfThriftReader reader;
  RfThriftType type;
  gint16 id;
  guint32 count = 0;

  build_full_meta (&meta);
  rf_pq_file_meta_data_encode (&meta, out);
  g_assert_true (rf_pq_file_meta_data_decode (out->data, out->len, &decoded, &error));
  g_assert_no_error (error);
  assert_file_meta_data_equal (&meta, &decoded);
  g_assert_cmpint (schema_at (&decoded, 2)->logical.int_bit_width, ==, 16);
  g_assert_cmpint (schema_at (&decoded, 4)->logical.unit, ==, RF_PQ_UNIT_NANOS);
  g_assert_cmpint (g_array_index (chunk_at (&decoded, 1, 0)->meta_data.encodings, gint32, 2), ==, 42);
  g_assert_cmpstr (chunk_at (&decoded, 0, 0)->file_path, ==, "other.parquet");

  /* Encoding is stable. */
  rf_pq_file_meta_data_encode (&decoded, out2);
  g_assert_cmpmem (out->data, out->len, out2->data, out2->len);
  g_assert_true (rf_pq_file_meta_data_decode (out2->data, out2->len, &again, &error));
  assert_file_meta_data_equal (&meta, &again);

  /* With statistics present, column_orders (7) lists TYPE_ORDER for each
   * of the 9 leaves. */
  rf_thrift_reader_init (&reader, out->data, out->len);
  rf_thrift_read_struct_begin (&reader);
  while (rf_thrift_read_field_begin (&reader, &type, &id) && type != RF_THRIFT_STOP)
    {
      RfThriftType elem;

      if (id != 7)
        {
          rf_thrift_skip (&reader, type);
          continue;
        }
      g_assert_cmpint (type, ==, RF_THRIFT_LIST);
      g_assert_true (rf_thrift_read_list_begin (&reader, &elem, &count));
      g_assert_cmpint (elem, ==, RF_THRIFT_STRUCT);
      for (guint i = 0; i < count; i++)
        {
          RfThriftType member_type;
          gint16 member;

          rf_thrift_read_struct_begin (&reader);
          g_assert_true (rf_thrift_read_field_begin (&reader, &member_type, &member));
          g_assert_cmpint (member, ==, 1);
          rf_thrift_skip (&reader, member_type);
          g_assert_true (rf_thrift_read_field_begin (&reader, &member_type, &member));
          g_assert_cmpint (member_type, ==, RF_THRIFT_STOP);
          rf_thrift_read_struct_end (&reader);
        }
      rf_thrift_read_list_end (&reader);
    }
  g_assert_false (rf_thrift_reader_failed (&reader));
  g_assert_cmpuint (count, ==, 9);

  rf_pq_file_meta_data_clear (&again);
  rf_pq_file_meta_data_clear (&decoded);
  rf_pq_file_meta_data_clear (&meta);
  rf_pq_file_meta_data_clear (&meta);
}

static void
test_round_trip_pages (void)
{
  RfPqPageHeader pages[4] = { 0 };
  g_autoptr(GByteArray) out = g_byte_array_new ();

  pages[0].type = RF_PQ_PAGE_DATA;
  pages[0].uncompressed_page_size = 1 << 20;
  pages[0].compressed_page_size = 12345;
  pages[0].has_crc = TRUE;
  pages[0].crc = 0xdeadbeef;
  pages[0].data.num_values = 65536;
  pages[0].data.encoding = RF_PQ_BYTE_STREAM_SPLIT;
  pages[0].data.definition_level_encoding = RF_PQ_RLE;
  pages[0].data.repetition_level_encoding = RF_PQ_BIT_PACKED;
  pages[0].data.has_statistics = TRUE;
  pages[0].data.statistics.min = g_bytes_new ("a", 1);
  pages[0].data.statistics.max = g_bytes_new ("zz", 2);
  pages[0].data.statistics.has_null_count = TRUE;
  pages[0].data.statistics.null_count = 3;

  pages[1].type = RF_PQ_PAGE_DICTIONARY;
  pages[1].uncompressed_page_size = 800;
  pages[1].compressed_page_size = 0;
  pages[1].dictionary.num_values = 100;
  pages[1].dictionary.encoding = RF_PQ_PLAIN;
  pages[1].dictionary.is_sorted = TRUE;

  pages[2].type = RF_PQ_PAGE_DATA_V2;
  pages[2].uncompressed_page_size = 4000;
  pages[2].compressed_page_size = 900;
  pages[2].data_v2.num_values = 500;
  pages[2].data_v2.num_nulls = 20;
  pages[2].data_v2.num_rows = 480;
  pages[2].data_v2.encoding = RF_PQ_DELTA_BINARY_PACKED;
  pages[2].data_v2.definition_levels_byte_length = 64;
  pages[2].data_v2.repetition_levels_byte_length = 8;
  pages[2].data_v2.is_compressed = FALSE;
  pages[2].data_v2.has_statistics = TRUE;
  pages[2].data_v2.statistics.has_distinct_count = TRUE;
  pages[2].data_v2.statistics.distinct_count = 7;

  pages[3].type = RF_PQ_PAGE_INDEX;
  pages[3].uncompressed_page_size = 10;
  pages[3].compressed_page_size = 10;

  /* All four back to back, as pages follow each other in a chunk. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    rf_pq_page_header_encode (&pages[i], out);

  for (gsize offset = 0, i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      RfPqPageHeader decoded = { 0 };
      g_autoptr(GByteArray) single = g_byte_array_new ();
      g_autoptr(GError) error = NULL;
      gsize consumed = 0;

      rf_pq_page_header_encode (&pages[i], single);
      g_assert_true (rf_pq_page_header_decode (out->data + offset, out->len - offset, &decoded,
                                               &consumed, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (consumed, ==, single->len);
      offset += consumed;

      g_assert_cmpint (decoded.type, ==, pages[i].type);
      g_assert_cmpint (decoded.uncompressed_page_size, ==, pages[i].uncompressed_page_size);
      g_assert_cmpint (decoded.compressed_page_size, ==, pages[i].compressed_page_size);
      g_assert_cmpint (decoded.has_crc, ==, pages[i].has_crc);
      g_assert_cmpuint (decoded.crc, ==, pages[i].crc);
      switch (decoded.type)
        {
        case RF_PQ_PAGE_DATA:
          g_assert_cmpint (decoded.data.num_values, ==, pages[i].data.num_values);
          g_assert_cmpint (decoded.data.encoding, ==, pages[i].data.encoding);
          g_assert_cmpint (decoded.data.definition_level_encoding, ==,
                           pages[i].data.definition_level_encoding);
          g_assert_cmpint (decoded.data.repetition_level_encoding, ==,
                           pages[i].data.repetition_level_encoding);
          g_assert_cmpint (decoded.data.has_statistics, ==, pages[i].data.has_statistics);
          assert_statistics_equal (&decoded.data.statistics, &pages[i].data.statistics);
          break;
        case RF_PQ_PAGE_DICTIONARY:
          g_assert_cmpint (decoded.dictionary.num_values, ==, pages[i].dictionary.num_values);
          g_assert_cmpint (decoded.dictionary.encoding, ==, pages[i].dictionary.encoding);
          g_assert_cmpint (decoded.dictionary.is_sorted, ==, pages[i].dictionary.is_sorted);
          break;
        case RF_PQ_PAGE_DATA_V2:
          g_assert_cmpmem (&decoded.data_v2, G_STRUCT_OFFSET (RfPqDataPageHeaderV2, has_statistics),
                           &pages[i].data_v2, G_STRUCT_OFFSET (RfPqDataPageHeaderV2, has_statistics));
          g_assert_true (decoded.data_v2.has_statistics);
          assert_statistics_equal (&decoded.data_v2.statistics, &pages[i].data_v2.statistics);
          break;
        case RF_PQ_PAGE_INDEX:
        default:
          break;
        }
      rf_pq_page_header_clear (&decoded);
      rf_pq_page_header_clear (&decoded);
    }

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    rf_pq_page_header_clear (&pages[i]);
}

/* ---- Malformed input ---------------------------------------------------- */

static void
test_malformed_corpus (void)
{
  g_auto(CorpusFile) garbage = { 0 };
  g_auto(CorpusFile) zeroed = { 0 };
  g_auto(CorpusFile) bad_enum = { 0 };
  g_auto(CorpusFile) dict_header = { 0 };
  g_auto(CorpusFile) page_garbage = { 0 };
  RfPqFileMetaData meta = { 0 };

  if (!load_corpus_file ("derived-malformed/footer-garbage.parquet", &garbage)
      || !load_corpus_file ("derived-malformed/footer-zeroed-tail.parquet", &zeroed)
      || !load_corpus_file ("parquet-testing/bad_data/PARQUET-1481.parquet", &bad_enum)
      || !load_corpus_file ("parquet-testing/bad_data/ARROW-RS-GH-6229-DICTHEADER.parquet", &dict_header)
      || !load_corpus_file ("derived-malformed/page-header-garbage.parquet", &page_garbage))
    return;

  assert_footer_fails (garbage.footer, garbage.footer_length,
                       "the footer metadata (FileMetaData, 730 bytes) is corrupt: "
                       "the field header at byte 0 has the invalid type 15");
  /* Zeros are STOP bytes: structs end early and lose required fields. */
  assert_footer_fails (zeroed.footer, zeroed.footer_length,
                       "row_groups[0]: columns[4]: ColumnMetaData has no path_in_schema (field 3)");
  assert_footer_fails (bad_enum.footer, bad_enum.footer_length,
                       "SchemaElement “Handle”: physical type -7 is not a Parquet type");
  assert_footer_fails (NULL, 0, "the data ends at byte 0 inside a struct");

  /* The dictionary page of the second column claims -26 values. */
  decode_footer (&dict_header, &meta);
  g_assert_cmpint (chunk_at (&meta, 0, 1)->meta_data.data_page_offset, ==, 129);
  assert_page_fails ((const guint8 *) dict_header.data + 129, dict_header.length - 129,
                     "the page header is corrupt: DictionaryPageHeader.num_values is negative (-26)");
  rf_pq_file_meta_data_clear (&meta);

  decode_footer (&page_garbage, &meta);
  g_assert_cmpint (chunk_at (&meta, 0, 0)->meta_data.dictionary_page_offset, ==, 4);
  assert_page_fails ((const guint8 *) page_garbage.data + 4, page_garbage.length - 4,
                     "the page header is corrupt: the field header at byte 0 has the invalid type 15");
  rf_pq_file_meta_data_clear (&meta);
}

/* Every prefix of a valid footer or page header fails cleanly (the last
 * STOP is missing at least), and so do mutations of single bytes: no
 * crash, no leak, no read past the end (run under ASan). */
static void
test_truncated_and_mutated (void)
{
  static const char *files[] = {
    "parquet-testing/data/alltypes_plain.parquet",
    "duckdb-written/scada_types.zstd.v1.parquet",
    "parquet-testing/data/datapage_v2.snappy.parquet",
  };
  guint n_ok = 0, n_failed = 0;

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_auto(CorpusFile) file = { 0 };

      if (!load_corpus_file (files[f], &file))
        return;
      for (gsize n = 0; n < file.footer_length; n++)
        {
          /* A copy of exactly n bytes, so ASan sees any overread. */
          g_autofree guint8 *prefix = g_memdup2 (file.footer, n);
          RfPqFileMetaData meta = { 0 };
          g_autoptr(GError) error = NULL;

          g_assert_false (rf_pq_file_meta_data_decode (prefix, n, &meta, &error));
          g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
          g_assert_null (meta.schema);
        }

      for (gsize n = 0; n < file.footer_length; n++)
        for (guint k = 0; k < 3; k++)
          {
            static const guint8 masks[] = { 0xff, 0x80, 0x01 };
            g_autofree guint8 *copy = g_memdup2 (file.footer, file.footer_length);
            RfPqFileMetaData meta = { 0 };
            g_autoptr(GError) error = NULL;

            copy[n] ^= masks[k];
            if (rf_pq_file_meta_data_decode (copy, file.footer_length, &meta, &error))
              {
                n_ok++;
                rf_pq_file_meta_data_clear (&meta);
              }
            else
              {
                n_failed++;
                g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
              }
          }
    }

  /* Page headers: the first of alltypes_plain (a dictionary page). */
  {
    g_auto(CorpusFile) file = { 0 };
    RfPqPageHeader header = { 0 };
    gsize consumed;

    if (!load_corpus_file ("parquet-testing/data/datapage_v2.snappy.parquet", &file))
      return;
    decode_page_at (&file, 26, &header, &consumed);
    rf_pq_page_header_clear (&header);
    for (gsize n = 0; n < consumed; n++)
      {
        g_autofree guint8 *prefix = g_memdup2 (file.data + 26, n);
        g_autoptr(GError) error = NULL;

        g_assert_false (rf_pq_page_header_decode (prefix, n, &header, NULL, &error));
        g_assert_error (error, RF_ERROR, RF_ERROR_PARSE);
      }
  }
  g_test_message ("mutations: %u decoded, %u rejected", n_ok, n_failed);
  g_assert_cmpuint (n_failed, >, 0);
}

/* A FileMetaData written by hand with the Thrift writer. */
static GByteArray *
file_meta_with (void (*extra) (RfThriftWriter *w))
{
  GByteArray *out = g_byte_array_new ();
  RfThriftWriter w;

  rf_thrift_writer_init (&w, out);
  rf_thrift_write_struct_begin (&w);
  extra (&w);
  rf_thrift_write_struct_end (&w);
  return out;
}

static void
write_minimal_schema (RfThriftWriter *w)
{
  rf_thrift_write_field_i32 (w, 1, 1);
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 2);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, 1);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_string (w, 4, "root");
  rf_thrift_write_struct_end (w);
  rf_thrift_write_field_i64 (w, 3, 0);
}

static void
write_no_schema (RfThriftWriter *w)
{
  rf_thrift_write_field_i32 (w, 1, 1);
  rf_thrift_write_field_i64 (w, 3, 0);
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 4);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, 0);
}

static void
write_deep_unknown_field (RfThriftWriter *w)
{
  write_minimal_schema (w);
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 4);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, 0);
  /* Field 20 (unknown): 100 nested structs. */
  rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, 20);
  for (guint i = 0; i < 100; i++)
    g_byte_array_append (w->out, BYTES (0x1c), 1);
  for (guint i = 0; i < 101; i++)
    g_byte_array_append (w->out, BYTES (0x00), 1);
}

static void
write_huge_schema_list (RfThriftWriter *w)
{
  rf_thrift_write_field_i32 (w, 1, 1);
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 2);
  g_byte_array_append (w->out, BYTES (0xfc, 0x80, 0x80, 0x80, 0x80, 0x08), 6);
}

static void
write_encrypted (RfThriftWriter *w)
{
  write_minimal_schema (w);
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 4);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, 1);
  /* RowGroup { columns: [ ColumnChunk { file_offset, crypto_metadata } ] } */
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 1);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, 2);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_i64 (w, 2, 0);
  rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, 8);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, 1);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_struct_end (w);
  rf_thrift_write_struct_end (w);
  rf_thrift_write_struct_end (w);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_binary (w, 9, "\x01\x02", 2);
  rf_thrift_write_struct_end (w);
  rf_thrift_write_field_i64 (w, 2, 0);
  rf_thrift_write_field_i64 (w, 3, 0);
  rf_thrift_write_struct_end (w);
  /* encryption_algorithm: AES_GCM_V1 {} */
  rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, 8);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, 1);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_struct_end (w);
  rf_thrift_write_struct_end (w);
}

/* 100000 column chunks of 3 bytes each (only an empty
 * encrypted_column_metadata), which would take 168 bytes each in memory. */
static void
write_many_tiny_chunks (RfThriftWriter *w)
{
  write_minimal_schema (w);
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 4);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, 1);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 1);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, 100000);
  for (guint i = 0; i < 100000; i++)
    g_byte_array_append (w->out, BYTES (0x98, 0x00, 0x00), 3);
  rf_thrift_write_field_i64 (w, 2, 0);
  rf_thrift_write_field_i64 (w, 3, 0);
  rf_thrift_write_struct_end (w);
}

static void
write_wrong_field_type (RfThriftWriter *w)
{
  rf_thrift_write_field_string (w, 1, "one");
}

static void
write_negative_rows (RfThriftWriter *w)
{
  write_minimal_schema (w);
  w->out->data[w->out->len - 1] = 0x01;  /* num_rows -1 */
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 4);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, 0);
}

static void
write_bad_repetition (RfThriftWriter *w)
{
  rf_thrift_write_field_i32 (w, 1, 1);
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 2);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, 1);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_i32 (w, 3, 3);
  rf_thrift_write_field_string (w, 4, "vec");
  rf_thrift_write_struct_end (w);
}

static void
write_bad_utf8_name (RfThriftWriter *w)
{
  rf_thrift_write_field_i32 (w, 1, 1);
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 2);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, 1);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_binary (w, 4, "a\xff" "b\0c", 5);
  rf_thrift_write_struct_end (w);
  rf_thrift_write_field_i64 (w, 3, 0);
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 4);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, 0);
}

static void
test_malformed_built (void)
{
  g_autoptr(GByteArray) no_schema = file_meta_with (write_no_schema);
  g_autoptr(GByteArray) no_row_groups = file_meta_with (write_minimal_schema);
  g_autoptr(GByteArray) deep = file_meta_with (write_deep_unknown_field);
  g_autoptr(GByteArray) huge = file_meta_with (write_huge_schema_list);
  g_autoptr(GByteArray) encrypted = file_meta_with (write_encrypted);
  g_autoptr(GByteArray) wrong_type = file_meta_with (write_wrong_field_type);
  g_autoptr(GByteArray) negative = file_meta_with (write_negative_rows);
  g_autoptr(GByteArray) repetition = file_meta_with (write_bad_repetition);
  g_autoptr(GByteArray) utf8 = file_meta_with (write_bad_utf8_name);
  g_autoptr(GByteArray) tiny = file_meta_with (write_many_tiny_chunks);
  RfPqFileMetaData meta = { 0 };
  g_autoptr(GError) error = NULL;

  assert_footer_fails (no_schema->data, no_schema->len, "FileMetaData has no schema (field 2)");
  assert_footer_fails (no_row_groups->data, no_row_groups->len, "FileMetaData has no row_groups (field 4)");
  assert_footer_fails (deep->data, deep->len, "the data nests deeper than 64 levels");
  assert_footer_fails (huge->data, huge->len, "claims 2147483648 elements but only 1 bytes are left");
  assert_footer_fails (wrong_type->data, wrong_type->len,
                       "FileMetaData.version (field 1) has the Thrift type binary instead of i32");
  assert_footer_fails (negative->data, negative->len, "FileMetaData.num_rows is negative (-1)");
  assert_footer_fails (repetition->data, repetition->len,
                       "SchemaElement “vec”: repetition type 3 is not one this reader knows");
  /* The allocation budget (32 times the input) stops it part way. */
  assert_footer_fails (tiny->data, tiny->len, "row_groups[0]: columns[");
  assert_footer_fails (tiny->data, tiny->len,
                       "bytes of data describe more than they can hold "
                       "(decoding them would take too much memory)");

  /* Encrypted columns decode, flagged, without their metadata. */
  g_assert_true (rf_pq_file_meta_data_decode (encrypted->data, encrypted->len, &meta, &error));
  g_assert_no_error (error);
  g_assert_true (meta.has_encryption_algorithm);
  g_assert_true (chunk_at (&meta, 0, 0)->has_crypto_metadata);
  g_assert_false (chunk_at (&meta, 0, 0)->has_meta_data);
  g_assert_true (chunk_at (&meta, 0, 1)->has_crypto_metadata);
  rf_pq_file_meta_data_clear (&meta);

  /* Names are made valid UTF-8: a bad byte or a NUL becomes U+FFFD. */
  g_assert_true (rf_pq_file_meta_data_decode (utf8->data, utf8->len, &meta, &error));
  g_assert_cmpstr (schema_at (&meta, 0)->name, ==, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c");
  rf_pq_file_meta_data_clear (&meta);
}

/* A page header written by hand: DATA_PAGE with the given sub-struct. */
static GByteArray *
page_with (RfPqPageType type,
           gint16       sub_id,
           void       (*sub) (RfThriftWriter *w))
{
  GByteArray *out = g_byte_array_new ();
  RfThriftWriter w;

  rf_thrift_writer_init (&w, out);
  rf_thrift_write_struct_begin (&w);
  rf_thrift_write_field_i32 (&w, 1, type);
  rf_thrift_write_field_i32 (&w, 2, 100);
  rf_thrift_write_field_i32 (&w, 3, 50);
  if (sub != NULL)
    {
      rf_thrift_write_field_begin (&w, RF_THRIFT_STRUCT, sub_id);
      rf_thrift_write_struct_begin (&w);
      sub (&w);
      rf_thrift_write_struct_end (&w);
    }
  rf_thrift_write_struct_end (&w);
  return out;
}

static void
write_data_page_legacy_stats (RfThriftWriter *w)
{
  rf_thrift_write_field_i32 (w, 1, 10);
  rf_thrift_write_field_i32 (w, 2, RF_PQ_PLAIN);
  rf_thrift_write_field_i32 (w, 3, RF_PQ_RLE);
  rf_thrift_write_field_i32 (w, 4, RF_PQ_RLE);
  rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, 5);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_string (w, 1, "old max");
  rf_thrift_write_field_string (w, 2, "old min");
  rf_thrift_write_field_i64 (w, 3, -5);         /* dropped: a count is never negative */
  rf_thrift_write_field_i64 (w, 9, 0);          /* nan_count: skipped */
  rf_thrift_write_struct_end (w);
}

static void
write_data_page_both_stats (RfThriftWriter *w)
{
  rf_thrift_write_field_i32 (w, 1, 10);
  rf_thrift_write_field_i32 (w, 2, RF_PQ_PLAIN);
  rf_thrift_write_field_i32 (w, 3, RF_PQ_RLE);
  rf_thrift_write_field_i32 (w, 4, RF_PQ_RLE);
  rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, 5);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_string (w, 1, "old max");
  rf_thrift_write_field_string (w, 2, "old min");
  rf_thrift_write_field_i64 (w, 3, 4);
  rf_thrift_write_field_string (w, 5, "new max");
  rf_thrift_write_field_string (w, 6, "new min");
  rf_thrift_write_struct_end (w);
}

static void
write_data_page_unknown_encoding (RfThriftWriter *w)
{
  rf_thrift_write_field_i32 (w, 1, 10);
  rf_thrift_write_field_i32 (w, 2, 42);
  rf_thrift_write_field_i32 (w, 3, RF_PQ_RLE);
  rf_thrift_write_field_i32 (w, 4, RF_PQ_RLE);
}

static void
write_v2_levels_too_long (RfThriftWriter *w)
{
  rf_thrift_write_field_i32 (w, 1, 10);
  rf_thrift_write_field_i32 (w, 2, 0);
  rf_thrift_write_field_i32 (w, 3, 10);
  rf_thrift_write_field_i32 (w, 4, RF_PQ_PLAIN);
  rf_thrift_write_field_i32 (w, 5, 40);
  rf_thrift_write_field_i32 (w, 6, 20);
}

static void
write_v2_too_many_nulls (RfThriftWriter *w)
{
  rf_thrift_write_field_i32 (w, 1, 10);
  rf_thrift_write_field_i32 (w, 2, 11);
  rf_thrift_write_field_i32 (w, 3, 10);
  rf_thrift_write_field_i32 (w, 4, RF_PQ_PLAIN);
  rf_thrift_write_field_i32 (w, 5, 0);
  rf_thrift_write_field_i32 (w, 6, 0);
}

static void
write_dictionary_missing_encoding (RfThriftWriter *w)
{
  rf_thrift_write_field_i32 (w, 1, 10);
}

static void
test_page_header_checks (void)
{
  g_autoptr(GByteArray) no_sub = page_with (RF_PQ_PAGE_DATA, 0, NULL);
  g_autoptr(GByteArray) no_dict = page_with (RF_PQ_PAGE_DICTIONARY, 5, write_data_page_both_stats);
  g_autoptr(GByteArray) no_v2 = page_with (RF_PQ_PAGE_DATA_V2, 0, NULL);
  g_autoptr(GByteArray) bad_type = page_with (7, 0, NULL);
  g_autoptr(GByteArray) legacy = page_with (RF_PQ_PAGE_DATA, 5, write_data_page_legacy_stats);
  g_autoptr(GByteArray) both = page_with (RF_PQ_PAGE_DATA, 5, write_data_page_both_stats);
  g_autoptr(GByteArray) unknown = page_with (RF_PQ_PAGE_DATA, 5, write_data_page_unknown_encoding);
  g_autoptr(GByteArray) levels = page_with (RF_PQ_PAGE_DATA_V2, 8, write_v2_levels_too_long);
  g_autoptr(GByteArray) nulls = page_with (RF_PQ_PAGE_DATA_V2, 8, write_v2_too_many_nulls);
  g_autoptr(GByteArray) dict = page_with (RF_PQ_PAGE_DICTIONARY, 7, write_dictionary_missing_encoding);
  RfPqPageHeader header = { 0 };
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;

  assert_page_fails (no_sub->data, no_sub->len,
                     "PageHeader of a DATA_PAGE has no data_page_header (field 5)");
  assert_page_fails (no_dict->data, no_dict->len,
                     "PageHeader of a DICTIONARY_PAGE has no dictionary_page_header (field 7)");
  assert_page_fails (no_v2->data, no_v2->len,
                     "PageHeader of a DATA_PAGE_V2 has no data_page_header_v2 (field 8)");
  assert_page_fails (bad_type->data, bad_type->len, "PageHeader: page type 7 is not a Parquet page type");
  assert_page_fails (unknown->data, unknown->len,
                     "DataPageHeader.encoding: 42 is not a Parquet encoding this reader knows");
  assert_page_fails (levels->data, levels->len,
                     "DataPageHeaderV2: the levels (20 + 40 bytes) are longer than the page (50 bytes)");
  assert_page_fails (nulls->data, nulls->len, "DataPageHeaderV2: num_nulls (11) is more than num_values (10)");
  assert_page_fails (dict->data, dict->len, "DictionaryPageHeader has no encoding (field 2)");

  /* Legacy min/max stand in when the new fields are absent... */
  g_assert_true (rf_pq_page_header_decode (legacy->data, legacy->len, &header, &consumed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, legacy->len);
  g_assert_true (header.data.has_statistics);
  assert_bytes (header.data.statistics.min, "old min", 7);
  assert_bytes (header.data.statistics.max, "old max", 7);
  g_assert_false (header.data.statistics.has_null_count);
  rf_pq_page_header_clear (&header);

  /* ... and give way to them otherwise. */
  g_assert_true (rf_pq_page_header_decode (both->data, both->len, &header, &consumed, &error));
  assert_bytes (header.data.statistics.min, "new min", 7);
  assert_bytes (header.data.statistics.max, "new max", 7);
  g_assert_true (header.data.statistics.has_null_count);
  g_assert_cmpint (header.data.statistics.null_count, ==, 4);
  rf_pq_page_header_clear (&header);
}

/* ---- Small things ------------------------------------------------------- */

static void
test_names_and_init (void)
{
  RfPqFileMetaData meta = { 0 };
  RfPqColumnChunk chunk;
  RfPqSchemaElement element;
  RfPqRowGroup row_group;
  RfPqPageHeader header = { 0 };
  RfPqStatistics stats = { 0 };

  g_assert_cmpstr (rf_pq_type_to_string (RF_PQ_INT32), ==, "INT32");
  g_assert_cmpstr (rf_pq_type_to_string (RF_PQ_FIXED_LEN_BYTE_ARRAY), ==, "FIXED_LEN_BYTE_ARRAY");
  g_assert_cmpstr (rf_pq_type_to_string (8), ==, "UNKNOWN");
  g_assert_cmpstr (rf_pq_encoding_to_string (RF_PQ_RLE_DICTIONARY), ==, "RLE_DICTIONARY");
  g_assert_cmpstr (rf_pq_encoding_to_string (RF_PQ_BYTE_STREAM_SPLIT), ==, "BYTE_STREAM_SPLIT");
  g_assert_cmpstr (rf_pq_encoding_to_string (42), ==, "UNKNOWN");
  g_assert_cmpstr (rf_pq_encoding_to_string (-1), ==, "UNKNOWN");
  g_assert_cmpstr (rf_pq_codec_to_string (RF_PQ_CODEC_ZSTD), ==, "ZSTD");
  g_assert_cmpstr (rf_pq_codec_to_string (RF_PQ_CODEC_LZ4_RAW), ==, "LZ4_RAW");
  g_assert_cmpstr (rf_pq_codec_to_string (8), ==, "UNKNOWN");
  g_assert_cmpstr (rf_pq_page_type_to_string (RF_PQ_PAGE_DATA_V2), ==, "DATA_PAGE_V2");
  g_assert_cmpstr (rf_pq_page_type_to_string (RF_PQ_PAGE_DICTIONARY), ==, "DICTIONARY_PAGE");
  g_assert_cmpstr (rf_thrift_type_to_string (RF_THRIFT_STRUCT), ==, "struct");
  g_assert_cmpstr (rf_thrift_type_to_string (14), ==, "invalid");

  /* Clearing zeroed structs, twice. */
  rf_pq_file_meta_data_clear (&meta);
  rf_pq_file_meta_data_clear (&meta);
  rf_pq_page_header_clear (&header);
  rf_pq_statistics_clear (&stats);
  rf_pq_statistics_clear (&stats);

  rf_pq_file_meta_data_init (&meta);
  g_assert_nonnull (meta.schema);
  g_assert_nonnull (meta.row_groups);
  g_assert_nonnull (meta.key_value_metadata);
  rf_pq_schema_element_init (&element);
  g_assert_cmpint (element.converted, ==, RF_PQ_CONVERTED_NONE);
  element.name = g_strdup ("root");
  g_array_append_val (meta.schema, element);
  rf_pq_row_group_init (&row_group);
  rf_pq_column_chunk_init (&chunk);
  g_assert_true (chunk.has_meta_data);
  g_assert_nonnull (chunk.meta_data.encodings);
  g_assert_cmpuint (g_array_get_element_size (chunk.meta_data.encodings), ==, sizeof (gint32));
  g_ptr_array_add (chunk.meta_data.path_in_schema, g_strdup ("x"));
  chunk.meta_data.statistics.min = g_bytes_new ("m", 1);
  g_array_append_val (row_group.columns, chunk);
  g_array_append_val (meta.row_groups, row_group);
  /* Frees everything appended (checked by ASan/LSan). */
  rf_pq_file_meta_data_clear (&meta);
  rf_pq_file_meta_data_clear (&meta);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/parquet/thrift/varint", test_thrift_varint);
  g_test_add_func ("/rf/parquet/thrift/zigzag", test_thrift_zigzag);
  g_test_add_func ("/rf/parquet/thrift/binary", test_thrift_binary);
  g_test_add_func ("/rf/parquet/thrift/field-headers", test_thrift_field_headers);
  g_test_add_func ("/rf/parquet/thrift/list-headers", test_thrift_list_headers);
  g_test_add_func ("/rf/parquet/thrift/skip", test_thrift_skip);
  g_test_add_func ("/rf/parquet/thrift/depth", test_thrift_depth);
  g_test_add_func ("/rf/parquet/thrift/huge-list", test_thrift_huge_list);

  g_test_add_func ("/rf/parquet/meta/alltypes-plain", test_alltypes_plain);
  g_test_add_func ("/rf/parquet/meta/scada-types", test_scada_types);
  g_test_add_func ("/rf/parquet/meta/historian-two-row-groups", test_historian_two_row_groups);
  g_test_add_func ("/rf/parquet/meta/key-values-unknown-logical", test_key_values_and_unknown_logical);
  g_test_add_func ("/rf/parquet/meta/page-v2-and-crc", test_page_v2_and_crc);
  g_test_add_func ("/rf/parquet/meta/manifest-footers", test_manifest_footers);
  g_test_add_func ("/rf/parquet/meta/round-trip-file", test_round_trip_file);
  g_test_add_func ("/rf/parquet/meta/round-trip-pages", test_round_trip_pages);
  g_test_add_func ("/rf/parquet/meta/malformed-corpus", test_malformed_corpus);
  g_test_add_func ("/rf/parquet/meta/truncated-and-mutated", test_truncated_and_mutated);
  g_test_add_func ("/rf/parquet/meta/malformed-built", test_malformed_built);
  g_test_add_func ("/rf/parquet/meta/page-header-checks", test_page_header_checks);
  g_test_add_func ("/rf/parquet/meta/names-and-init", test_names_and_init);

  return g_test_run ();
}

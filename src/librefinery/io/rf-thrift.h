/* rf-thrift.h: the Thrift compact protocol, as much as Parquet needs.
 *
 * The reader is a cursor over a byte buffer. Every read checks the bytes
 * left, and the first failure is kept in the reader (a GError in RF_ERROR,
 * RF_ERROR_PARSE, naming the byte offset): later reads fail at once, so a
 * decoder can check once per struct rather than after every call. List,
 * set and map sizes are checked against the bytes left before anyone
 * allocates for them (every element takes at least one byte on the wire,
 * booleans included: in a list each is a whole byte), and nesting is
 * limited to RF_THRIFT_MAX_DEPTH.
 *
 * The writer appends to a GByteArray and cannot fail; misuse (unbalanced
 * struct_begin/end, nesting too deep) is a programming error.
 *
 * Wire format (Apache Thrift, "compact protocol"): integers are zigzag
 * varints, a field header is one byte (field id delta << 4 | type) or, when
 * the delta does not fit in 1..15, the type byte then the id as a zigzag
 * varint; boolean fields carry their value in the type (1 true, 2 false);
 * a list header is one byte (size << 4 | element type), size 15 meaning
 * that a varint size follows; a struct ends with a STOP byte (0).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Nesting limit for structs, lists and maps together. Parquet's deepest
 * legitimate nesting (FileMetaData > RowGroup > ColumnChunk >
 * ColumnMetaData > Statistics) is far below it. */
#define RF_THRIFT_MAX_DEPTH 64

/* The compact protocol's type ids (4 bits on the wire). */
typedef enum
{
  RF_THRIFT_STOP = 0,
  RF_THRIFT_BOOL_TRUE = 1,      /* in a list or map: "bool", one byte each */
  RF_THRIFT_BOOL_FALSE = 2,
  RF_THRIFT_I8 = 3,
  RF_THRIFT_I16 = 4,
  RF_THRIFT_I32 = 5,
  RF_THRIFT_I64 = 6,
  RF_THRIFT_DOUBLE = 7,
  RF_THRIFT_BINARY = 8,
  RF_THRIFT_LIST = 9,
  RF_THRIFT_SET = 10,
  RF_THRIFT_MAP = 11,
  RF_THRIFT_STRUCT = 12,
  RF_THRIFT_UUID = 13,
} RfThriftType;

/* "i32", "binary", "struct"...; "invalid" outside the enum. */
const char *rf_thrift_type_to_string (RfThriftType type);

/* ---- Reader ------------------------------------------------------------ */

typedef struct
{
  const guint8 *data;
  gsize         length;
  gsize         pos;            /* next byte to read */
  guint         depth;          /* open structs, lists and maps */
  gint16        last_field_id[RF_THRIFT_MAX_DEPTH]; /* per open level */
  gsize         budget;         /* bytes decoders may still allocate */
  GError       *error;          /* the first failure, or NULL */
} RfThriftReader;

void      rf_thrift_reader_init       (RfThriftReader  *reader,
                                       const guint8    *data,
                                       gsize            length);
/* Frees the kept error, if any. */
void      rf_thrift_reader_clear      (RfThriftReader  *reader);

/* Records a failure (a decoder's own: a missing field, a value out of
 * range) unless one is already recorded; always returns FALSE. */
gboolean  rf_thrift_reader_fail       (RfThriftReader  *reader,
                                       const char      *format,
                                       ...) G_GNUC_PRINTF (2, 3);
/* Prepends "prefix" to the recorded failure's message (a path such as
 * "row_groups[2]: "); does nothing when there is none. */
void      rf_thrift_reader_prefix_error (RfThriftReader *reader,
                                         const char     *format,
                                         ...) G_GNUC_PRINTF (2, 3);
/* Moves the recorded failure to error (which may be NULL). */
void      rf_thrift_reader_propagate_error (RfThriftReader  *reader,
                                            GError         **error);

/* An allocation budget for a decoder that builds structures from the data
 * (none after init). Such a decoder charges what it allocates; going over
 * the budget is a failure like any other, so that a few hostile bytes
 * (a list of a million empty structs) cannot make it allocate far more
 * than a set multiple of their length. */
void      rf_thrift_reader_set_budget (RfThriftReader  *reader,
                                       gsize            bytes);
gboolean  rf_thrift_reader_charge     (RfThriftReader  *reader,
                                       gsize            bytes);

static inline gboolean
rf_thrift_reader_failed (const RfThriftReader *reader)
{
  return reader->error != NULL;
}

static inline gsize
rf_thrift_reader_remaining (const RfThriftReader *reader)
{
  return reader->length - reader->pos;
}

/* Structs. After struct_begin, call field_begin until it yields
 * RF_THRIFT_STOP, reading or skipping each field's value, then
 * struct_end. A boolean field's value is its type: BOOL_TRUE or
 * BOOL_FALSE, with nothing more to read. */
gboolean  rf_thrift_read_struct_begin (RfThriftReader  *reader);
gboolean  rf_thrift_read_struct_end   (RfThriftReader  *reader);
gboolean  rf_thrift_read_field_begin  (RfThriftReader  *reader,
                                       RfThriftType    *type,
                                       gint16          *field_id);

/* Lists and sets (the same on the wire). count is at most the bytes left.
 * For a list of booleans, elem_type is BOOL_TRUE (or BOOL_FALSE, as some
 * writers put it) and each element is read with rf_thrift_read_bool(). */
gboolean  rf_thrift_read_list_begin   (RfThriftReader  *reader,
                                       RfThriftType    *elem_type,
                                       guint32         *count);
gboolean  rf_thrift_read_list_end     (RfThriftReader  *reader);
/* Maps: count entries of key then value; the types are STOP when empty. */
gboolean  rf_thrift_read_map_begin    (RfThriftReader  *reader,
                                       RfThriftType    *key_type,
                                       RfThriftType    *value_type,
                                       guint32         *count);
gboolean  rf_thrift_read_map_end      (RfThriftReader  *reader);

/* Values. Integers are range-checked (a varint for an i32 must fit in 32
 * bits); a varint takes at most 10 bytes. Binary values point into the
 * reader's buffer. */
gboolean  rf_thrift_read_varint       (RfThriftReader  *reader,
                                       guint64         *value);
gboolean  rf_thrift_read_bool         (RfThriftReader  *reader,
                                       gboolean        *value);
gboolean  rf_thrift_read_i8           (RfThriftReader  *reader,
                                       gint8           *value);
gboolean  rf_thrift_read_i16          (RfThriftReader  *reader,
                                       gint16          *value);
gboolean  rf_thrift_read_i32          (RfThriftReader  *reader,
                                       gint32          *value);
gboolean  rf_thrift_read_i64          (RfThriftReader  *reader,
                                       gint64          *value);
gboolean  rf_thrift_read_double       (RfThriftReader  *reader,
                                       double          *value);
gboolean  rf_thrift_read_binary       (RfThriftReader  *reader,
                                       const guint8   **bytes,
                                       gsize           *length);

/* Skips a value of the given type (a whole struct, list or map with what
 * it nests). For a field, pass the type from rf_thrift_read_field_begin;
 * a boolean field has nothing left to skip. */
gboolean  rf_thrift_skip              (RfThriftReader  *reader,
                                       RfThriftType     type);

/* ---- Writer ------------------------------------------------------------ */

typedef struct
{
  GByteArray *out;
  guint       depth;            /* open structs */
  gint16      last_field_id[RF_THRIFT_MAX_DEPTH];
} RfThriftWriter;

void      rf_thrift_writer_init       (RfThriftWriter  *writer,
                                       GByteArray      *out);

void      rf_thrift_write_struct_begin (RfThriftWriter *writer);
/* Writes the STOP byte and closes the struct. */
void      rf_thrift_write_struct_end  (RfThriftWriter  *writer);
/* A field header; for a boolean field use rf_thrift_write_field_bool(). */
void      rf_thrift_write_field_begin (RfThriftWriter  *writer,
                                       RfThriftType     type,
                                       gint16           field_id);
void      rf_thrift_write_list_begin  (RfThriftWriter  *writer,
                                       RfThriftType     elem_type,
                                       guint32          count);

void      rf_thrift_write_varint      (RfThriftWriter  *writer,
                                       guint64          value);
/* A list element; a boolean field is rf_thrift_write_field_bool(). */
void      rf_thrift_write_bool        (RfThriftWriter  *writer,
                                       gboolean         value);
void      rf_thrift_write_i8          (RfThriftWriter  *writer,
                                       gint8            value);
void      rf_thrift_write_i16         (RfThriftWriter  *writer,
                                       gint16           value);
void      rf_thrift_write_i32         (RfThriftWriter  *writer,
                                       gint32           value);
void      rf_thrift_write_i64         (RfThriftWriter  *writer,
                                       gint64           value);
void      rf_thrift_write_double      (RfThriftWriter  *writer,
                                       double           value);
void      rf_thrift_write_binary      (RfThriftWriter  *writer,
                                       const void      *bytes,
                                       gsize            length);
void      rf_thrift_write_string      (RfThriftWriter  *writer,
                                       const char      *text);

/* Header and value together. */
void      rf_thrift_write_field_bool  (RfThriftWriter  *writer,
                                       gint16           field_id,
                                       gboolean         value);
void      rf_thrift_write_field_i32   (RfThriftWriter  *writer,
                                       gint16           field_id,
                                       gint32           value);
void      rf_thrift_write_field_i64   (RfThriftWriter  *writer,
                                       gint16           field_id,
                                       gint64           value);
void      rf_thrift_write_field_binary (RfThriftWriter *writer,
                                        gint16          field_id,
                                        const void     *bytes,
                                        gsize           length);
void      rf_thrift_write_field_string (RfThriftWriter *writer,
                                        gint16          field_id,
                                        const char     *text);

G_END_DECLS

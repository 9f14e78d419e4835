#define G_LOG_DOMAIN "rf-thrift"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "rf-error.h"
#include "rf-thrift.h"

static const char *type_names[] = {
  [RF_THRIFT_STOP] = "stop",
  [RF_THRIFT_BOOL_TRUE] = "bool",
  [RF_THRIFT_BOOL_FALSE] = "bool",
  [RF_THRIFT_I8] = "i8",
  [RF_THRIFT_I16] = "i16",
  [RF_THRIFT_I32] = "i32",
  [RF_THRIFT_I64] = "i64",
  [RF_THRIFT_DOUBLE] = "double",
  [RF_THRIFT_BINARY] = "binary",
  [RF_THRIFT_LIST] = "list",
  [RF_THRIFT_SET] = "set",
  [RF_THRIFT_MAP] = "map",
  [RF_THRIFT_STRUCT] = "struct",
  [RF_THRIFT_UUID] = "uuid",
};

const char *
rf_thrift_type_to_string (RfThriftType type)
{
  if ((guint) type >= G_N_ELEMENTS (type_names))
    return "invalid";
  return type_names[type];
}

static inline gboolean
is_value_type (guint type)
{
  return type >= RF_THRIFT_BOOL_TRUE && type <= RF_THRIFT_UUID;
}

static inline gboolean
is_bool_type (RfThriftType type)
{
  return type == RF_THRIFT_BOOL_TRUE || type == RF_THRIFT_BOOL_FALSE;
}

/* ---- Reader ------------------------------------------------------------ */

void
rf_thrift_reader_init (RfThriftReader *reader,
                       const guint8   *data,
                       gsize           length)
{
  g_return_if_fail (reader != NULL);
  g_return_if_fail (data != NULL || length == 0);

  memset (reader, 0, sizeof *reader);
  reader->data = data;
  reader->length = length;
  reader->budget = G_MAXSIZE;
}

void
rf_thrift_reader_set_budget (RfThriftReader *reader,
                             gsize           bytes)
{
  g_return_if_fail (reader != NULL);
  reader->budget = bytes;
}

gboolean
rf_thrift_reader_charge (RfThriftReader *reader,
                         gsize           bytes)
{
  g_return_val_if_fail (reader != NULL, FALSE);

  if (reader->error != NULL)
    return FALSE;
  if (bytes > reader->budget)
    return rf_thrift_reader_fail (reader,
                                  "at byte %zu, %zu bytes of data describe more than they can hold "
                                  "(decoding them would take too much memory)",
                                  reader->pos, reader->length);
  reader->budget -= bytes;
  return TRUE;
}

void
rf_thrift_reader_clear (RfThriftReader *reader)
{
  g_return_if_fail (reader != NULL);
  g_clear_error (&reader->error);
}

gboolean
rf_thrift_reader_fail (RfThriftReader *reader,
                       const char     *format,
                       ...)
{
  va_list args;

  g_return_val_if_fail (reader != NULL, FALSE);
  if (reader->error != NULL)
    return FALSE;
  va_start (args, format);
  reader->error = g_error_new_valist (RF_ERROR, RF_ERROR_PARSE, format, args);
  va_end (args);
  return FALSE;
}

void
rf_thrift_reader_prefix_error (RfThriftReader *reader,
                               const char     *format,
                               ...)
{
  g_autofree char *prefix = NULL;
  char *message;
  va_list args;

  g_return_if_fail (reader != NULL);
  if (reader->error == NULL)
    return;
  va_start (args, format);
  prefix = g_strdup_vprintf (format, args);
  va_end (args);
  message = g_strconcat (prefix, reader->error->message, NULL);
  g_free (reader->error->message);
  reader->error->message = message;
}

void
rf_thrift_reader_propagate_error (RfThriftReader  *reader,
                                  GError         **error)
{
  g_return_if_fail (reader != NULL);
  if (reader->error != NULL)
    g_propagate_error (error, g_steal_pointer (&reader->error));
}

static gboolean
need (RfThriftReader *reader,
      gsize           bytes,
      const char     *what)
{
  if (reader->error != NULL)
    return FALSE;
  if (bytes > reader->length - reader->pos)
    return rf_thrift_reader_fail (reader,
                                  "the data ends at byte %zu inside %s (%zu bytes needed, %zu left)",
                                  reader->length, what, bytes,
                                  reader->length - reader->pos);
  return TRUE;
}

static gboolean
read_byte (RfThriftReader *reader,
           guint8         *value,
           const char     *what)
{
  if (!need (reader, 1, what))
    return FALSE;
  *value = reader->data[reader->pos++];
  return TRUE;
}

gboolean
rf_thrift_read_varint (RfThriftReader *reader,
                       guint64        *value)
{
  gsize start;
  guint64 result = 0;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (reader->error != NULL)
    return FALSE;
  start = reader->pos;
  for (guint shift = 0; ; shift += 7)
    {
      guint8 byte;

      if (reader->pos >= reader->length)
        return rf_thrift_reader_fail (reader,
                                      "the data ends at byte %zu inside the varint that starts at byte %zu",
                                      reader->length, start);
      byte = reader->data[reader->pos++];
      /* The tenth byte holds bit 63 only; more would overflow 64 bits. */
      if (shift == 63 && byte > 1)
        return rf_thrift_reader_fail (reader,
                                      "the varint at byte %zu does not fit in 64 bits",
                                      start);
      result |= (guint64) (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        break;
    }
  *value = result;
  return TRUE;
}

static inline gint64
zigzag_decode (guint64 n)
{
  return (gint64) (n >> 1) ^ -(gint64) (n & 1);
}

gboolean
rf_thrift_read_bool (RfThriftReader *reader,
                     gboolean       *value)
{
  gsize start;
  guint8 byte;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  start = reader->pos;
  if (!read_byte (reader, &byte, "a bool"))
    return FALSE;
  /* 1 is true and 2 false; some writers put 0 for false. */
  if (byte > 2)
    return rf_thrift_reader_fail (reader, "the bool at byte %zu has the value %u (1 or 2 expected)",
                                  start, byte);
  *value = byte == 1;
  return TRUE;
}

gboolean
rf_thrift_read_i8 (RfThriftReader *reader,
                   gint8          *value)
{
  guint8 byte;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!read_byte (reader, &byte, "an i8"))
    return FALSE;
  *value = (gint8) byte;
  return TRUE;
}

static gboolean
read_zigzag (RfThriftReader *reader,
             guint64         limit,
             const char     *what,
             gint64         *value)
{
  gsize start = reader->pos;
  guint64 n;

  if (!rf_thrift_read_varint (reader, &n))
    return FALSE;
  if (n > limit)
    return rf_thrift_reader_fail (reader, "the value at byte %zu does not fit in an %s", start, what);
  *value = zigzag_decode (n);
  return TRUE;
}

gboolean
rf_thrift_read_i16 (RfThriftReader *reader,
                    gint16         *value)
{
  gint64 v = 0;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!read_zigzag (reader, G_MAXUINT16, "i16", &v))
    return FALSE;
  *value = (gint16) v;
  return TRUE;
}

gboolean
rf_thrift_read_i32 (RfThriftReader *reader,
                    gint32         *value)
{
  gint64 v = 0;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!read_zigzag (reader, G_MAXUINT32, "i32", &v))
    return FALSE;
  *value = (gint32) v;
  return TRUE;
}

gboolean
rf_thrift_read_i64 (RfThriftReader *reader,
                    gint64         *value)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  return read_zigzag (reader, G_MAXUINT64, "i64", value);
}

gboolean
rf_thrift_read_double (RfThriftReader *reader,
                       double         *value)
{
  guint64 bits;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!need (reader, 8, "a double"))
    return FALSE;
  memcpy (&bits, reader->data + reader->pos, 8);
  bits = GUINT64_FROM_LE (bits);
  memcpy (value, &bits, 8);
  reader->pos += 8;
  return TRUE;
}

gboolean
rf_thrift_read_binary (RfThriftReader  *reader,
                       const guint8   **bytes,
                       gsize           *length)
{
  gsize start;
  guint64 n;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (length != NULL, FALSE);

  start = reader->pos;
  if (!rf_thrift_read_varint (reader, &n))
    return FALSE;
  if (n > reader->length - reader->pos)
    return rf_thrift_reader_fail (reader,
                                  "the binary value at byte %zu claims %" G_GUINT64_FORMAT
                                  " bytes but only %zu are left",
                                  start, n, reader->length - reader->pos);
  *bytes = reader->data + reader->pos;
  *length = (gsize) n;
  reader->pos += (gsize) n;
  return TRUE;
}

static gboolean
push_level (RfThriftReader *reader)
{
  if (reader->error != NULL)
    return FALSE;
  if (reader->depth >= RF_THRIFT_MAX_DEPTH)
    return rf_thrift_reader_fail (reader, "the data nests deeper than %d levels at byte %zu",
                                  RF_THRIFT_MAX_DEPTH, reader->pos);
  reader->last_field_id[reader->depth++] = 0;
  return TRUE;
}

static gboolean
pop_level (RfThriftReader *reader)
{
  g_return_val_if_fail (reader->depth > 0, FALSE);
  reader->depth--;
  return reader->error == NULL;
}

gboolean
rf_thrift_read_struct_begin (RfThriftReader *reader)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  return push_level (reader);
}

gboolean
rf_thrift_read_struct_end (RfThriftReader *reader)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  return pop_level (reader);
}

gboolean
rf_thrift_read_field_begin (RfThriftReader *reader,
                            RfThriftType   *type,
                            gint16         *field_id)
{
  gsize start;
  guint8 byte;
  guint delta;
  gint id;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (type != NULL, FALSE);
  g_return_val_if_fail (field_id != NULL, FALSE);
  g_return_val_if_fail (reader->depth > 0, FALSE);

  start = reader->pos;
  if (!read_byte (reader, &byte, "a struct (its STOP byte is missing)"))
    return FALSE;
  if (byte == RF_THRIFT_STOP)
    {
      *type = RF_THRIFT_STOP;
      *field_id = 0;
      return TRUE;
    }
  if (!is_value_type (byte & 0x0f))
    return rf_thrift_reader_fail (reader, "the field header at byte %zu has the invalid type %u",
                                  start, byte & 0x0f);
  delta = byte >> 4;
  if (delta != 0)
    {
      id = reader->last_field_id[reader->depth - 1] + (gint) delta;
      if (id > G_MAXINT16)
        return rf_thrift_reader_fail (reader, "the field id at byte %zu is out of range", start);
    }
  else
    {
      gint16 long_id;

      if (!rf_thrift_read_i16 (reader, &long_id))
        return FALSE;
      id = long_id;
    }
  reader->last_field_id[reader->depth - 1] = (gint16) id;
  *type = byte & 0x0f;
  *field_id = (gint16) id;
  return TRUE;
}

gboolean
rf_thrift_read_list_begin (RfThriftReader *reader,
                           RfThriftType   *elem_type,
                           guint32        *count)
{
  gsize start;
  guint8 byte;
  guint64 size;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (elem_type != NULL, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);

  start = reader->pos;
  if (!read_byte (reader, &byte, "a list header"))
    return FALSE;
  size = byte >> 4;
  if (size == 15 && !rf_thrift_read_varint (reader, &size))
    return FALSE;
  /* Every element takes at least one byte, so a longer list cannot be
   * real; this check is what bounds allocations made from the count. */
  if (size > reader->length - reader->pos || size > G_MAXINT32)
    return rf_thrift_reader_fail (reader,
                                  "the list at byte %zu claims %" G_GUINT64_FORMAT
                                  " elements but only %zu bytes are left",
                                  start, size, reader->length - reader->pos);
  if (!is_value_type (byte & 0x0f) && !(size == 0 && (byte & 0x0f) == 0))
    return rf_thrift_reader_fail (reader, "the list at byte %zu has the invalid element type %u",
                                  start, byte & 0x0f);
  if (!push_level (reader))
    return FALSE;
  *elem_type = byte & 0x0f;
  *count = (guint32) size;
  return TRUE;
}

gboolean
rf_thrift_read_list_end (RfThriftReader *reader)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  return pop_level (reader);
}

gboolean
rf_thrift_read_map_begin (RfThriftReader *reader,
                          RfThriftType   *key_type,
                          RfThriftType   *value_type,
                          guint32        *count)
{
  gsize start;
  guint64 size;
  guint8 types = 0;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (key_type != NULL, FALSE);
  g_return_val_if_fail (value_type != NULL, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);

  start = reader->pos;
  if (!rf_thrift_read_varint (reader, &size))
    return FALSE;
  if (size > 0 && !read_byte (reader, &types, "a map header"))
    return FALSE;
  /* A key and a value take at least a byte each. */
  if (size > (reader->length - reader->pos) / 2 || size > G_MAXINT32)
    return rf_thrift_reader_fail (reader,
                                  "the map at byte %zu claims %" G_GUINT64_FORMAT
                                  " entries but only %zu bytes are left",
                                  start, size, reader->length - reader->pos);
  if (size > 0 && (!is_value_type (types >> 4) || !is_value_type (types & 0x0f)))
    return rf_thrift_reader_fail (reader, "the map at byte %zu has invalid key or value types (%u, %u)",
                                  start, types >> 4, types & 0x0f);
  if (!push_level (reader))
    return FALSE;
  *key_type = types >> 4;
  *value_type = types & 0x0f;
  *count = (guint32) size;
  return TRUE;
}

gboolean
rf_thrift_read_map_end (RfThriftReader *reader)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  return pop_level (reader);
}

/* An element of a list or map: a boolean there is a whole byte. */
static gboolean
skip_element (RfThriftReader *reader,
              RfThriftType    type)
{
  if (is_bool_type (type))
    {
      gboolean ignored;

      return rf_thrift_read_bool (reader, &ignored);
    }
  return rf_thrift_skip (reader, type);
}

gboolean
rf_thrift_skip (RfThriftReader *reader,
                RfThriftType    type)
{
  g_return_val_if_fail (reader != NULL, FALSE);

  if (reader->error != NULL)
    return FALSE;

  switch (type)
    {
    case RF_THRIFT_BOOL_TRUE:
    case RF_THRIFT_BOOL_FALSE:
      return TRUE;

    case RF_THRIFT_I8:
      if (!need (reader, 1, "an i8"))
        return FALSE;
      reader->pos += 1;
      return TRUE;

    case RF_THRIFT_I16:
    case RF_THRIFT_I32:
    case RF_THRIFT_I64:
      {
        guint64 ignored;

        return rf_thrift_read_varint (reader, &ignored);
      }

    case RF_THRIFT_DOUBLE:
      if (!need (reader, 8, "a double"))
        return FALSE;
      reader->pos += 8;
      return TRUE;

    case RF_THRIFT_UUID:
      if (!need (reader, 16, "a uuid"))
        return FALSE;
      reader->pos += 16;
      return TRUE;

    case RF_THRIFT_BINARY:
      {
        const guint8 *bytes;
        gsize length;

        return rf_thrift_read_binary (reader, &bytes, &length);
      }

    case RF_THRIFT_LIST:
    case RF_THRIFT_SET:
      {
        RfThriftType elem_type;
        guint32 count;

        if (!rf_thrift_read_list_begin (reader, &elem_type, &count))
          return FALSE;
        for (guint32 i = 0; i < count; i++)
          if (!skip_element (reader, elem_type))
            break;
        return rf_thrift_read_list_end (reader);
      }

    case RF_THRIFT_MAP:
      {
        RfThriftType key_type, value_type;
        guint32 count;

        if (!rf_thrift_read_map_begin (reader, &key_type, &value_type, &count))
          return FALSE;
        for (guint32 i = 0; i < count; i++)
          if (!skip_element (reader, key_type) || !skip_element (reader, value_type))
            break;
        return rf_thrift_read_map_end (reader);
      }

    case RF_THRIFT_STRUCT:
      {
        if (!rf_thrift_read_struct_begin (reader))
          return FALSE;
        for (;;)
          {
            RfThriftType field_type;
            gint16 field_id;

            if (!rf_thrift_read_field_begin (reader, &field_type, &field_id))
              break;
            if (field_type == RF_THRIFT_STOP)
              break;
            if (!rf_thrift_skip (reader, field_type))
              break;
          }
        return rf_thrift_read_struct_end (reader);
      }

    case RF_THRIFT_STOP:
    default:
      return rf_thrift_reader_fail (reader, "cannot skip a value of the invalid type %u at byte %zu",
                                    (guint) type, reader->pos);
    }
}

/* ---- Writer ------------------------------------------------------------ */

void
rf_thrift_writer_init (RfThriftWriter *writer,
                       GByteArray     *out)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (out != NULL);

  memset (writer, 0, sizeof *writer);
  writer->out = out;
}

static inline void
put_byte (RfThriftWriter *writer,
          guint8          byte)
{
  g_byte_array_append (writer->out, &byte, 1);
}

void
rf_thrift_write_varint (RfThriftWriter *writer,
                        guint64         value)
{
  guint8 buf[10];
  guint n = 0;

  g_return_if_fail (writer != NULL);

  while (value >= 0x80)
    {
      buf[n++] = (guint8) (value | 0x80);
      value >>= 7;
    }
  buf[n++] = (guint8) value;
  g_byte_array_append (writer->out, buf, n);
}

void
rf_thrift_write_struct_begin (RfThriftWriter *writer)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (writer->depth < RF_THRIFT_MAX_DEPTH);

  writer->last_field_id[writer->depth++] = 0;
}

void
rf_thrift_write_struct_end (RfThriftWriter *writer)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (writer->depth > 0);

  put_byte (writer, RF_THRIFT_STOP);
  writer->depth--;
}

void
rf_thrift_write_field_begin (RfThriftWriter *writer,
                             RfThriftType    type,
                             gint16          field_id)
{
  gint delta;

  g_return_if_fail (writer != NULL);
  g_return_if_fail (writer->depth > 0);
  g_return_if_fail (is_value_type (type));

  delta = (gint) field_id - writer->last_field_id[writer->depth - 1];
  if (delta > 0 && delta <= 15)
    put_byte (writer, (guint8) (delta << 4 | type));
  else
    {
      put_byte (writer, (guint8) type);
      rf_thrift_write_i16 (writer, field_id);
    }
  writer->last_field_id[writer->depth - 1] = field_id;
}

void
rf_thrift_write_list_begin (RfThriftWriter *writer,
                            RfThriftType    elem_type,
                            guint32         count)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (is_value_type (elem_type));

  if (is_bool_type (elem_type))
    elem_type = RF_THRIFT_BOOL_TRUE;
  if (count < 15)
    put_byte (writer, (guint8) (count << 4 | elem_type));
  else
    {
      put_byte (writer, (guint8) (0xf0 | elem_type));
      rf_thrift_write_varint (writer, count);
    }
}

void
rf_thrift_write_bool (RfThriftWriter *writer,
                      gboolean        value)
{
  g_return_if_fail (writer != NULL);
  put_byte (writer, value ? RF_THRIFT_BOOL_TRUE : RF_THRIFT_BOOL_FALSE);
}

void
rf_thrift_write_i8 (RfThriftWriter *writer,
                    gint8           value)
{
  g_return_if_fail (writer != NULL);
  put_byte (writer, (guint8) value);
}

void
rf_thrift_write_i16 (RfThriftWriter *writer,
                     gint16          value)
{
  rf_thrift_write_i64 (writer, value);
}

void
rf_thrift_write_i32 (RfThriftWriter *writer,
                     gint32          value)
{
  rf_thrift_write_i64 (writer, value);
}

void
rf_thrift_write_i64 (RfThriftWriter *writer,
                     gint64          value)
{
  /* Zigzag: 0, -1, 1, -2... become 0, 1, 2, 3...; for an i16 or i32 this
   * gives the same bytes as zigzag at the narrower width. */
  guint64 n = ((guint64) value << 1) ^ (guint64) (value >> 63);

  rf_thrift_write_varint (writer, n);
}

void
rf_thrift_write_double (RfThriftWriter *writer,
                        double          value)
{
  guint64 bits;

  g_return_if_fail (writer != NULL);

  memcpy (&bits, &value, 8);
  bits = GUINT64_TO_LE (bits);
  g_byte_array_append (writer->out, (const guint8 *) &bits, 8);
}

void
rf_thrift_write_binary (RfThriftWriter *writer,
                        const void     *bytes,
                        gsize           length)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (bytes != NULL || length == 0);

  rf_thrift_write_varint (writer, length);
  if (length > 0)
    g_byte_array_append (writer->out, bytes, (guint) length);
}

void
rf_thrift_write_string (RfThriftWriter *writer,
                        const char     *text)
{
  g_return_if_fail (text != NULL);
  rf_thrift_write_binary (writer, text, strlen (text));
}

void
rf_thrift_write_field_bool (RfThriftWriter *writer,
                            gint16          field_id,
                            gboolean        value)
{
  rf_thrift_write_field_begin (writer, value ? RF_THRIFT_BOOL_TRUE : RF_THRIFT_BOOL_FALSE, field_id);
}

void
rf_thrift_write_field_i32 (RfThriftWriter *writer,
                           gint16          field_id,
                           gint32          value)
{
  rf_thrift_write_field_begin (writer, RF_THRIFT_I32, field_id);
  rf_thrift_write_i64 (writer, value);
}

void
rf_thrift_write_field_i64 (RfThriftWriter *writer,
                           gint16          field_id,
                           gint64          value)
{
  rf_thrift_write_field_begin (writer, RF_THRIFT_I64, field_id);
  rf_thrift_write_i64 (writer, value);
}

void
rf_thrift_write_field_binary (RfThriftWriter *writer,
                              gint16          field_id,
                              const void     *bytes,
                              gsize           length)
{
  rf_thrift_write_field_begin (writer, RF_THRIFT_BINARY, field_id);
  rf_thrift_write_binary (writer, bytes, length);
}

void
rf_thrift_write_field_string (RfThriftWriter *writer,
                              gint16          field_id,
                              const char     *text)
{
  g_return_if_fail (text != NULL);
  rf_thrift_write_field_binary (writer, field_id, text, strlen (text));
}

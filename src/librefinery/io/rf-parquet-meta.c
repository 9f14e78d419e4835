#define G_LOG_DOMAIN "rf-parquet-meta"

#include "config.h"

#include <string.h>

#include "rf-error.h"
#include "rf-parquet-meta.h"
#include "rf-thrift.h"

/* ---- Names ------------------------------------------------------------- */

const char *
rf_pq_type_to_string (RfPqType type)
{
  static const char *names[] = {
    "BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY",
  };

  if ((guint) type >= G_N_ELEMENTS (names))
    return "UNKNOWN";
  return names[type];
}

const char *
rf_pq_encoding_to_string (RfPqEncoding encoding)
{
  static const char *names[] = {
    [RF_PQ_PLAIN] = "PLAIN",
    [1] = "GROUP_VAR_INT",
    [RF_PQ_PLAIN_DICTIONARY] = "PLAIN_DICTIONARY",
    [RF_PQ_RLE] = "RLE",
    [RF_PQ_BIT_PACKED] = "BIT_PACKED",
    [RF_PQ_DELTA_BINARY_PACKED] = "DELTA_BINARY_PACKED",
    [RF_PQ_DELTA_LENGTH_BYTE_ARRAY] = "DELTA_LENGTH_BYTE_ARRAY",
    [RF_PQ_DELTA_BYTE_ARRAY] = "DELTA_BYTE_ARRAY",
    [RF_PQ_RLE_DICTIONARY] = "RLE_DICTIONARY",
    [RF_PQ_BYTE_STREAM_SPLIT] = "BYTE_STREAM_SPLIT",
  };

  if ((guint) encoding >= G_N_ELEMENTS (names))
    return "UNKNOWN";
  return names[encoding];
}

const char *
rf_pq_codec_to_string (RfPqCodec codec)
{
  static const char *names[] = {
    "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW",
  };

  if ((guint) codec >= G_N_ELEMENTS (names))
    return "UNKNOWN";
  return names[codec];
}

const char *
rf_pq_page_type_to_string (RfPqPageType type)
{
  static const char *names[] = {
    "DATA_PAGE", "INDEX_PAGE", "DICTIONARY_PAGE", "DATA_PAGE_V2",
  };

  if ((guint) type >= G_N_ELEMENTS (names))
    return "UNKNOWN";
  return names[type];
}

/* ---- Clearing and building --------------------------------------------- */

void
rf_pq_statistics_clear (RfPqStatistics *statistics)
{
  g_return_if_fail (statistics != NULL);

  g_clear_pointer (&statistics->min, g_bytes_unref);
  g_clear_pointer (&statistics->max, g_bytes_unref);
  memset (statistics, 0, sizeof *statistics);
}

static void
schema_element_clear (RfPqSchemaElement *element)
{
  g_clear_pointer (&element->name, g_free);
}

static void
key_value_clear (RfPqKeyValue *kv)
{
  g_clear_pointer (&kv->key, g_free);
  g_clear_pointer (&kv->value, g_free);
}

static void
column_meta_data_clear (RfPqColumnMetaData *meta)
{
  g_clear_pointer (&meta->encodings, g_array_unref);
  g_clear_pointer (&meta->path_in_schema, g_ptr_array_unref);
  rf_pq_statistics_clear (&meta->statistics);
}

static void
column_chunk_clear (RfPqColumnChunk *chunk)
{
  g_clear_pointer (&chunk->file_path, g_free);
  column_meta_data_clear (&chunk->meta_data);
}

static void
row_group_clear (RfPqRowGroup *row_group)
{
  g_clear_pointer (&row_group->columns, g_array_unref);
}

static GArray *
new_struct_array (gsize          element_size,
                  guint          reserve,
                  GDestroyNotify clear)
{
  GArray *array = g_array_sized_new (FALSE, TRUE, (guint) element_size, reserve);

  g_array_set_clear_func (array, clear);
  return array;
}

static GArray *
new_schema_array (guint reserve)
{
  return new_struct_array (sizeof (RfPqSchemaElement), reserve, (GDestroyNotify) schema_element_clear);
}

static GArray *
new_row_group_array (guint reserve)
{
  return new_struct_array (sizeof (RfPqRowGroup), reserve, (GDestroyNotify) row_group_clear);
}

static GArray *
new_key_value_array (guint reserve)
{
  return new_struct_array (sizeof (RfPqKeyValue), reserve, (GDestroyNotify) key_value_clear);
}

static GArray *
new_column_chunk_array (guint reserve)
{
  return new_struct_array (sizeof (RfPqColumnChunk), reserve, (GDestroyNotify) column_chunk_clear);
}

void
rf_pq_file_meta_data_clear (RfPqFileMetaData *meta)
{
  g_return_if_fail (meta != NULL);

  g_clear_pointer (&meta->schema, g_array_unref);
  g_clear_pointer (&meta->row_groups, g_array_unref);
  g_clear_pointer (&meta->key_value_metadata, g_array_unref);
  g_clear_pointer (&meta->created_by, g_free);
  memset (meta, 0, sizeof *meta);
}

void
rf_pq_page_header_clear (RfPqPageHeader *header)
{
  g_return_if_fail (header != NULL);

  rf_pq_statistics_clear (&header->data.statistics);
  rf_pq_statistics_clear (&header->data_v2.statistics);
  memset (header, 0, sizeof *header);
}

void
rf_pq_file_meta_data_init (RfPqFileMetaData *meta)
{
  g_return_if_fail (meta != NULL);

  memset (meta, 0, sizeof *meta);
  meta->schema = new_schema_array (0);
  meta->row_groups = new_row_group_array (0);
  meta->key_value_metadata = new_key_value_array (0);
}

void
rf_pq_row_group_init (RfPqRowGroup *row_group)
{
  g_return_if_fail (row_group != NULL);

  memset (row_group, 0, sizeof *row_group);
  row_group->columns = new_column_chunk_array (0);
}

static void
column_meta_data_init_arrays (RfPqColumnMetaData *meta,
                              guint               n_encodings,
                              guint               n_path)
{
  meta->encodings = g_array_sized_new (FALSE, TRUE, sizeof (gint32), n_encodings);
  meta->path_in_schema = g_ptr_array_new_full (n_path, g_free);
}

void
rf_pq_column_chunk_init (RfPqColumnChunk *chunk)
{
  g_return_if_fail (chunk != NULL);

  memset (chunk, 0, sizeof *chunk);
  chunk->has_meta_data = TRUE;
  column_meta_data_init_arrays (&chunk->meta_data, 0, 0);
}

void
rf_pq_schema_element_init (RfPqSchemaElement *element)
{
  g_return_if_fail (element != NULL);

  memset (element, 0, sizeof *element);
  element->converted = RF_PQ_CONVERTED_NONE;
}

/* ---- Decoding ------------------------------------------------------------
 *
 * Each decode_* function reads one struct. Failures are recorded in the
 * reader (see rf-thrift.h); a struct's own messages name the struct and
 * field, and the callers put the path in front ("row_groups[1]: "). Known
 * fields must have the Thrift type the specification gives them; unknown
 * fields are skipped whatever their type. */

typedef RfThriftReader Reader;

#define BIT(id) (G_GUINT64_CONSTANT (1) << (id))

/* What a decoder may allocate for n bytes of input: real footers take
 * 5-15 times their size in memory (wide schemas of short names are the
 * most), so 32 times leaves room while bounding what hostile input gets.
 * Small inputs get a fixed allowance. */
static gsize
decode_budget (gsize length)
{
  if (length > G_MAXSIZE / 64)
    return G_MAXSIZE;
  return 32 * length + 65536;
}

/* Rough malloc overhead per block, charged with each allocation. */
#define BLOCK_OVERHEAD 32

static gboolean
check_type (Reader       *r,
            RfThriftType  got,
            RfThriftType  want,
            const char   *owner,
            const char   *field,
            int           id)
{
  if (got == want || (want == RF_THRIFT_BOOL_TRUE && got == RF_THRIFT_BOOL_FALSE))
    return TRUE;
  return rf_thrift_reader_fail (r, "%s.%s (field %d) has the Thrift type %s instead of %s",
                                owner, field, id, rf_thrift_type_to_string (got),
                                rf_thrift_type_to_string (want));
}

static gboolean
field_i32 (Reader       *r,
           RfThriftType  type,
           const char   *owner,
           const char   *field,
           int           id,
           gint32       *value)
{
  return check_type (r, type, RF_THRIFT_I32, owner, field, id) && rf_thrift_read_i32 (r, value);
}

static gboolean
field_i64 (Reader       *r,
           RfThriftType  type,
           const char   *owner,
           const char   *field,
           int           id,
           gint64       *value)
{
  return check_type (r, type, RF_THRIFT_I64, owner, field, id) && rf_thrift_read_i64 (r, value);
}

static gboolean
field_bool (Reader       *r,
            RfThriftType  type,
            const char   *owner,
            const char   *field,
            int           id,
            gboolean     *value)
{
  if (!check_type (r, type, RF_THRIFT_BOOL_TRUE, owner, field, id))
    return FALSE;
  *value = type == RF_THRIFT_BOOL_TRUE;
  return TRUE;
}

/* Text from the file: invalid UTF-8 (and NUL bytes) become U+FFFD, so the
 * rest of Refinery can treat names and values as ordinary strings. */
static char *
text_from_bytes (const guint8 *bytes,
                 gsize         length)
{
  if (length == 0)
    return g_strdup ("");
  if (g_utf8_validate_len ((const char *) bytes, length, NULL))
    return g_strndup ((const char *) bytes, length);
  return g_utf8_make_valid ((const char *) bytes, (gssize) length);
}

static gboolean
read_text (Reader  *r,
           char   **text)
{
  const guint8 *bytes;
  gsize length;

  if (!rf_thrift_read_binary (r, &bytes, &length)
      || !rf_thrift_reader_charge (r, length + 1 + BLOCK_OVERHEAD))
    return FALSE;
  g_free (*text);
  *text = text_from_bytes (bytes, length);
  return TRUE;
}

static gboolean
field_text (Reader       *r,
            RfThriftType  type,
            const char   *owner,
            const char   *field,
            int           id,
            char        **text)
{
  return check_type (r, type, RF_THRIFT_BINARY, owner, field, id) && read_text (r, text);
}

static gboolean
field_bytes (Reader       *r,
             RfThriftType  type,
             const char   *owner,
             const char   *field,
             int           id,
             GBytes      **value)
{
  const guint8 *bytes;
  gsize length;

  if (!check_type (r, type, RF_THRIFT_BINARY, owner, field, id)
      || !rf_thrift_read_binary (r, &bytes, &length)
      || !rf_thrift_reader_charge (r, length + sizeof (GBytes *) * 4 + 2 * BLOCK_OVERHEAD))
    return FALSE;
  g_clear_pointer (value, g_bytes_unref);
  *value = g_bytes_new (bytes, length);
  return TRUE;
}

/* Opens a list field after checking its element type. */
static gboolean
list_begin (Reader       *r,
            RfThriftType  type,
            RfThriftType  want_elem,
            const char   *owner,
            const char   *field,
            int           id,
            guint32      *count)
{
  RfThriftType elem_type;

  if (!check_type (r, type, RF_THRIFT_LIST, owner, field, id)
      || !rf_thrift_read_list_begin (r, &elem_type, count))
    return FALSE;
  if (elem_type != want_elem && *count > 0)
    {
      rf_thrift_read_list_end (r);
      return rf_thrift_reader_fail (r, "%s.%s (field %d) is a list of %s instead of %s",
                                    owner, field, id, rf_thrift_type_to_string (elem_type),
                                    rf_thrift_type_to_string (want_elem));
    }
  return TRUE;
}

static gboolean
missing (Reader     *r,
         guint64     seen,
         guint64     required,
         const char *owner,
         const char *const *names)
{
  for (guint id = 0; id < 64; id++)
    if ((required & BIT (id)) && !(seen & BIT (id)))
      return rf_thrift_reader_fail (r, "%s has no %s (field %u)", owner, names[id], id);
  return FALSE;
}

static gboolean
check_not_negative (Reader     *r,
                    gint64      value,
                    const char *owner,
                    const char *field)
{
  if (value < 0)
    return rf_thrift_reader_fail (r, "%s.%s is negative (%" G_GINT64_FORMAT ")", owner, field, value);
  return TRUE;
}

static gboolean
is_page_encoding (gint32 value)
{
  return value >= RF_PQ_PLAIN && value <= RF_PQ_BYTE_STREAM_SPLIT && value != 1;
}

static gboolean
check_page_encoding (Reader     *r,
                     gint32      value,
                     const char *owner,
                     const char *field)
{
  if (!is_page_encoding (value))
    return rf_thrift_reader_fail (r, "%s.%s: %d is not a Parquet encoding this reader knows",
                                  owner, field, value);
  return TRUE;
}

static gboolean
decode_statistics (Reader         *r,
                   RfPqStatistics *stats)
{
  static const char *owner = "Statistics";
  g_autoptr(GBytes) legacy_min = NULL;
  g_autoptr(GBytes) legacy_max = NULL;
  RfThriftType type;
  gint16 id;

  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    switch (id)
      {
      case 1:
        field_bytes (r, type, owner, "max", id, &legacy_max);
        break;
      case 2:
        field_bytes (r, type, owner, "min", id, &legacy_min);
        break;
      case 3:
        stats->has_null_count = field_i64 (r, type, owner, "null_count", id, &stats->null_count);
        break;
      case 4:
        stats->has_distinct_count = field_i64 (r, type, owner, "distinct_count", id,
                                               &stats->distinct_count);
        break;
      case 5:
        field_bytes (r, type, owner, "max_value", id, &stats->max);
        break;
      case 6:
        field_bytes (r, type, owner, "min_value", id, &stats->min);
        break;
      default:
        rf_thrift_skip (r, type);
        break;
      }
  if (!rf_thrift_read_struct_end (r))
    return FALSE;

  /* The legacy fields used signed byte order, which is wrong for strings;
   * they only stand in when the writer left out the new ones. */
  if (stats->min == NULL && stats->max == NULL)
    {
      stats->min = g_steal_pointer (&legacy_min);
      stats->max = g_steal_pointer (&legacy_max);
    }
  /* Statistics are advice, never relied on: a negative count is dropped
   * rather than failing the file. */
  if (stats->has_null_count && stats->null_count < 0)
    stats->has_null_count = FALSE;
  if (stats->has_distinct_count && stats->distinct_count < 0)
    stats->has_distinct_count = FALSE;
  return TRUE;
}

/* A union of empty structs (MILLIS, MICROS, NANOS); another member is left
 * as RF_PQ_UNIT_NONE. */
static gboolean
decode_time_unit (Reader       *r,
                  RfPqTimeUnit *unit)
{
  RfThriftType type;
  gint16 id;

  *unit = RF_PQ_UNIT_NONE;
  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    {
      if (id >= RF_PQ_UNIT_MILLIS && id <= RF_PQ_UNIT_NANOS && type == RF_THRIFT_STRUCT)
        *unit = id;
      rf_thrift_skip (r, type);
    }
  return rf_thrift_read_struct_end (r);
}

/* TimeType and TimestampType: isAdjustedToUTC (1), unit (2). */
static gboolean
decode_time_type (Reader          *r,
                  const char      *owner,
                  RfPqLogicalType *logical)
{
  guint64 seen = 0;
  RfThriftType type;
  gint16 id;

  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    {
      if (id == 1)
        field_bool (r, type, owner, "isAdjustedToUTC", id, &logical->adjusted_to_utc);
      else if (id == 2 && check_type (r, type, RF_THRIFT_STRUCT, owner, "unit", id))
        decode_time_unit (r, &logical->unit);
      else
        rf_thrift_skip (r, type);
      if (id >= 0 && id < 64)
        seen |= BIT (id);
    }
  if (!rf_thrift_read_struct_end (r))
    return FALSE;
  if (!(seen & BIT (1)))
    return rf_thrift_reader_fail (r, "%s has no isAdjustedToUTC (field 1)", owner);
  if (!(seen & BIT (2)))
    return rf_thrift_reader_fail (r, "%s has no unit (field 2)", owner);
  /* A unit newer than this reader: the column is read by its physical
   * type, as for any other annotation it does not know. */
  if (logical->unit == RF_PQ_UNIT_NONE)
    logical->kind = RF_PQ_LOGICAL_OTHER;
  return TRUE;
}

static gboolean
decode_decimal_type (Reader          *r,
                     RfPqLogicalType *logical)
{
  static const char *owner = "DecimalType";
  static const char *const names[] = { [1] = "scale", [2] = "precision" };
  guint64 seen = 0;
  RfThriftType type;
  gint16 id;

  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    {
      if (id == 1)
        field_i32 (r, type, owner, "scale", id, &logical->decimal_scale);
      else if (id == 2)
        field_i32 (r, type, owner, "precision", id, &logical->decimal_precision);
      else
        rf_thrift_skip (r, type);
      if (id >= 0 && id < 64)
        seen |= BIT (id);
    }
  if (!rf_thrift_read_struct_end (r))
    return FALSE;
  if (missing (r, seen, BIT (1) | BIT (2), owner, names))
    return FALSE;
  return !rf_thrift_reader_failed (r);
}

static gboolean
decode_int_type (Reader          *r,
                 RfPqLogicalType *logical)
{
  static const char *owner = "IntType";
  static const char *const names[] = { [1] = "bitWidth", [2] = "isSigned" };
  guint64 seen = 0;
  RfThriftType type;
  gint16 id;

  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    {
      if (id == 1 && check_type (r, type, RF_THRIFT_I8, owner, "bitWidth", id))
        rf_thrift_read_i8 (r, &logical->int_bit_width);
      else if (id == 2)
        field_bool (r, type, owner, "isSigned", id, &logical->int_signed);
      else if (id != 1)
        rf_thrift_skip (r, type);
      if (id >= 0 && id < 64)
        seen |= BIT (id);
    }
  if (!rf_thrift_read_struct_end (r))
    return FALSE;
  if (missing (r, seen, BIT (1) | BIT (2), owner, names))
    return FALSE;
  if (logical->int_bit_width != 8 && logical->int_bit_width != 16
      && logical->int_bit_width != 32 && logical->int_bit_width != 64)
    return rf_thrift_reader_fail (r, "IntType.bitWidth is %d (8, 16, 32 or 64 expected)",
                                  logical->int_bit_width);
  return !rf_thrift_reader_failed (r);
}

/* LogicalType is a union of structs; the member's field id is the kind. */
static gboolean
decode_logical_type (Reader          *r,
                     RfPqLogicalType *logical)
{
  RfThriftType type;
  gint16 id;

  memset (logical, 0, sizeof *logical);
  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    {
      switch (id)
        {
        case RF_PQ_LOGICAL_DECIMAL:
          logical->kind = id;
          if (check_type (r, type, RF_THRIFT_STRUCT, "LogicalType", "DECIMAL", id))
            decode_decimal_type (r, logical);
          break;
        case RF_PQ_LOGICAL_TIME:
          logical->kind = id;
          if (check_type (r, type, RF_THRIFT_STRUCT, "LogicalType", "TIME", id))
            decode_time_type (r, "TimeType", logical);
          break;
        case RF_PQ_LOGICAL_TIMESTAMP:
          logical->kind = id;
          if (check_type (r, type, RF_THRIFT_STRUCT, "LogicalType", "TIMESTAMP", id))
            decode_time_type (r, "TimestampType", logical);
          break;
        case RF_PQ_LOGICAL_INTEGER:
          logical->kind = id;
          if (check_type (r, type, RF_THRIFT_STRUCT, "LogicalType", "INTEGER", id))
            decode_int_type (r, logical);
          break;
        case RF_PQ_LOGICAL_STRING:
        case RF_PQ_LOGICAL_MAP:
        case RF_PQ_LOGICAL_LIST:
        case RF_PQ_LOGICAL_ENUM:
        case RF_PQ_LOGICAL_DATE:
        case RF_PQ_LOGICAL_UNKNOWN:
        case RF_PQ_LOGICAL_JSON:
        case RF_PQ_LOGICAL_BSON:
        case RF_PQ_LOGICAL_UUID:
        case RF_PQ_LOGICAL_FLOAT16:
          /* Empty structs (a newer writer may add fields: skipped). */
          logical->kind = id;
          if (check_type (r, type, RF_THRIFT_STRUCT, "LogicalType", "member", id))
            rf_thrift_skip (r, type);
          break;
        default:
          logical->kind = RF_PQ_LOGICAL_OTHER;
          rf_thrift_skip (r, type);
          break;
        }
    }
  return rf_thrift_read_struct_end (r);
}

static gboolean
decode_schema_element (Reader            *r,
                       RfPqSchemaElement *element,
                       guint              index)
{
  static const char *owner = "SchemaElement";
  gint32 type = 0, repetition = 0, converted = 0;
  guint64 seen = 0;
  RfThriftType wire;
  gint16 id;

  element->converted = RF_PQ_CONVERTED_NONE;
  if (!rf_thrift_read_struct_begin (r))
    goto failed;
  while (rf_thrift_read_field_begin (r, &wire, &id) && wire != RF_THRIFT_STOP)
    {
      switch (id)
        {
        case 1:
          field_i32 (r, wire, owner, "type", id, &type);
          break;
        case 2:
          field_i32 (r, wire, owner, "type_length", id, &element->type_length);
          break;
        case 3:
          field_i32 (r, wire, owner, "repetition_type", id, &repetition);
          break;
        case 4:
          field_text (r, wire, owner, "name", id, &element->name);
          break;
        case 5:
          field_i32 (r, wire, owner, "num_children", id, &element->num_children);
          break;
        case 6:
          field_i32 (r, wire, owner, "converted_type", id, &converted);
          break;
        case 7:
          field_i32 (r, wire, owner, "scale", id, &element->scale);
          break;
        case 8:
          field_i32 (r, wire, owner, "precision", id, &element->precision);
          break;
        case 10:
          if (check_type (r, wire, RF_THRIFT_STRUCT, owner, "logicalType", id))
            decode_logical_type (r, &element->logical);
          break;
        default:
          rf_thrift_skip (r, wire);
          break;
        }
      if (id >= 0 && id < 64)
        seen |= BIT (id);
    }
  if (!rf_thrift_read_struct_end (r))
    goto failed;

  if (element->name == NULL)
    {
      rf_thrift_reader_fail (r, "SchemaElement %u has no name (field 4)", index);
      return FALSE;
    }

  /* The rest name the element: "SchemaElement “x”: ...". */
  if (seen & BIT (1))
    {
      if (type < RF_PQ_BOOLEAN || type > RF_PQ_FIXED_LEN_BYTE_ARRAY)
        return rf_thrift_reader_fail (r, "SchemaElement “%s”: physical type %d is not a Parquet type",
                                      element->name, type);
      element->has_type = TRUE;
      element->type = type;
    }
  if (seen & BIT (3))
    {
      if (repetition < RF_PQ_REQUIRED || repetition > RF_PQ_REPEATED)
        return rf_thrift_reader_fail (r, "SchemaElement “%s”: repetition type %d is not one this "
                                      "reader knows (REQUIRED, OPTIONAL or REPEATED)",
                                      element->name, repetition);
      element->has_repetition = TRUE;
      element->repetition = repetition;
    }
  if (seen & BIT (6))
    {
      if (converted < RF_PQ_CONVERTED_UTF8 || converted > RF_PQ_CONVERTED_INTERVAL)
        return rf_thrift_reader_fail (r, "SchemaElement “%s”: converted type %d is not a Parquet "
                                      "converted type", element->name, converted);
      element->converted = converted;
    }
  if (element->num_children < 0)
    return rf_thrift_reader_fail (r, "SchemaElement “%s”: num_children is negative (%d)",
                                  element->name, element->num_children);
  if (element->type_length < 0)
    return rf_thrift_reader_fail (r, "SchemaElement “%s”: type_length is negative (%d)",
                                  element->name, element->type_length);
  return TRUE;

failed:
  rf_thrift_reader_prefix_error (r, "SchemaElement %u: ", index);
  return FALSE;
}

static gboolean
decode_key_value (Reader       *r,
                  RfPqKeyValue *kv,
                  guint         index)
{
  static const char *owner = "KeyValue";
  RfThriftType type;
  gint16 id;

  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    {
      if (id == 1)
        field_text (r, type, owner, "key", id, &kv->key);
      else if (id == 2)
        field_text (r, type, owner, "value", id, &kv->value);
      else
        rf_thrift_skip (r, type);
    }
  if (!rf_thrift_read_struct_end (r))
    return FALSE;
  if (kv->key == NULL)
    return rf_thrift_reader_fail (r, "KeyValue %u has no key (field 1)", index);
  return TRUE;
}

static gboolean
decode_column_meta_data (Reader             *r,
                         RfPqColumnMetaData *meta)
{
  static const char *owner = "ColumnMetaData";
  static const char *const names[] = {
    [1] = "type", [2] = "encodings", [3] = "path_in_schema", [4] = "codec", [5] = "num_values",
    [6] = "total_uncompressed_size", [7] = "total_compressed_size", [9] = "data_page_offset",
  };
  gint32 type = 0, codec = 0;
  guint64 seen = 0;
  RfThriftType wire;
  gint16 id;

  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &wire, &id) && wire != RF_THRIFT_STOP)
    {
      guint32 count;

      switch (id)
        {
        case 1:
          field_i32 (r, wire, owner, "type", id, &type);
          break;
        case 2:
          if (!list_begin (r, wire, RF_THRIFT_I32, owner, "encodings", id, &count)
              || !rf_thrift_reader_charge (r, (gsize) count * sizeof (gint32) + 2 * BLOCK_OVERHEAD))
            break;
          g_clear_pointer (&meta->encodings, g_array_unref);
          meta->encodings = g_array_sized_new (FALSE, TRUE, sizeof (gint32), count);
          /* Values are kept as they are: an encoding newer than this
           * reader only matters if a page uses it (checked there). */
          for (guint32 i = 0; i < count; i++)
            {
              gint32 value;

              if (!rf_thrift_read_i32 (r, &value))
                break;
              g_array_append_val (meta->encodings, value);
            }
          rf_thrift_read_list_end (r);
          break;
        case 3:
          if (!list_begin (r, wire, RF_THRIFT_BINARY, owner, "path_in_schema", id, &count)
              || !rf_thrift_reader_charge (r, (gsize) count * sizeof (char *) + 2 * BLOCK_OVERHEAD))
            break;
          g_clear_pointer (&meta->path_in_schema, g_ptr_array_unref);
          meta->path_in_schema = g_ptr_array_new_full (count, g_free);
          for (guint32 i = 0; i < count; i++)
            {
              char *part = NULL;

              if (!read_text (r, &part))
                break;
              g_ptr_array_add (meta->path_in_schema, part);
            }
          rf_thrift_read_list_end (r);
          break;
        case 4:
          field_i32 (r, wire, owner, "codec", id, &codec);
          break;
        case 5:
          field_i64 (r, wire, owner, "num_values", id, &meta->num_values);
          break;
        case 6:
          field_i64 (r, wire, owner, "total_uncompressed_size", id, &meta->total_uncompressed_size);
          break;
        case 7:
          field_i64 (r, wire, owner, "total_compressed_size", id, &meta->total_compressed_size);
          break;
        case 9:
          field_i64 (r, wire, owner, "data_page_offset", id, &meta->data_page_offset);
          break;
        case 11:
          meta->has_dictionary_page_offset = field_i64 (r, wire, owner, "dictionary_page_offset", id,
                                                        &meta->dictionary_page_offset);
          break;
        case 12:
          if (check_type (r, wire, RF_THRIFT_STRUCT, owner, "statistics", id))
            {
              rf_pq_statistics_clear (&meta->statistics);
              meta->has_statistics = decode_statistics (r, &meta->statistics);
            }
          break;
        default:
          rf_thrift_skip (r, wire);
          break;
        }
      if (id >= 0 && id < 64)
        seen |= BIT (id);
    }
  if (!rf_thrift_read_struct_end (r))
    return FALSE;

  if (missing (r, seen, BIT (1) | BIT (2) | BIT (3) | BIT (4) | BIT (5) | BIT (6) | BIT (7) | BIT (9),
               owner, names))
    return FALSE;
  if (type < RF_PQ_BOOLEAN || type > RF_PQ_FIXED_LEN_BYTE_ARRAY)
    return rf_thrift_reader_fail (r, "ColumnMetaData: physical type %d is not a Parquet type", type);
  meta->type = type;
  if (codec < RF_PQ_CODEC_UNCOMPRESSED || codec > RF_PQ_CODEC_LZ4_RAW)
    return rf_thrift_reader_fail (r, "ColumnMetaData: codec %d is not a Parquet compression codec",
                                  codec);
  meta->codec = codec;
  return check_not_negative (r, meta->num_values, owner, "num_values")
         && check_not_negative (r, meta->total_uncompressed_size, owner, "total_uncompressed_size")
         && check_not_negative (r, meta->total_compressed_size, owner, "total_compressed_size")
         && check_not_negative (r, meta->data_page_offset, owner, "data_page_offset")
         && (!meta->has_dictionary_page_offset
             || check_not_negative (r, meta->dictionary_page_offset, owner, "dictionary_page_offset"));
}

static gboolean
decode_column_chunk (Reader          *r,
                     RfPqColumnChunk *chunk,
                     guint            index)
{
  static const char *owner = "ColumnChunk";
  RfThriftType type;
  gint16 id;

  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    switch (id)
      {
      case 1:
        field_text (r, type, owner, "file_path", id, &chunk->file_path);
        break;
      case 2:
        field_i64 (r, type, owner, "file_offset", id, &chunk->file_offset);
        break;
      case 3:
        if (check_type (r, type, RF_THRIFT_STRUCT, owner, "meta_data", id))
          {
            column_meta_data_clear (&chunk->meta_data);
            chunk->has_meta_data = decode_column_meta_data (r, &chunk->meta_data);
          }
        break;
      case 8:
      case 9:
        chunk->has_crypto_metadata = TRUE;
        rf_thrift_skip (r, type);
        break;
      default:
        rf_thrift_skip (r, type);
        break;
      }
  if (!rf_thrift_read_struct_end (r))
    return FALSE;
  /* file_offset is required by the specification but deprecated and
   * unused here, so its absence is let pass. */
  if (!chunk->has_meta_data && !chunk->has_crypto_metadata)
    return rf_thrift_reader_fail (r, "ColumnChunk has no meta_data (field 3)");
  return TRUE;
}

typedef gboolean (*DecodeElementFunc) (Reader  *r,
                                       gpointer element,
                                       guint    index);

/* A list<struct> field into a GArray; elements that fail leave what they
 * had decoded to the array's clear function. path names the list in
 * messages ("row_groups"), or is NULL when the element names itself. */
static gboolean
decode_struct_list (Reader            *r,
                    RfThriftType       type,
                    const char        *owner,
                    const char        *field,
                    int                id,
                    const char        *path,
                    GArray            *array,
                    DecodeElementFunc  decode)
{
  guint32 count;

  if (!list_begin (r, type, RF_THRIFT_STRUCT, owner, field, id, &count))
    return FALSE;
  g_array_set_size (array, 0);
  for (guint32 i = 0; i < count; i++)
    {
      gboolean ok = rf_thrift_reader_charge (r, g_array_get_element_size (array));

      if (ok)
        {
          g_array_set_size (array, i + 1);
          ok = decode (r, array->data + (gsize) i * g_array_get_element_size (array), i);
        }
      if (!ok)
        {
          if (path != NULL)
            rf_thrift_reader_prefix_error (r, "%s[%u]: ", path, i);
          break;
        }
    }
  return rf_thrift_read_list_end (r);
}

static gboolean
decode_row_group (Reader       *r,
                  RfPqRowGroup *row_group,
                  guint         index)
{
  static const char *owner = "RowGroup";
  static const char *const names[] = {
    [1] = "columns", [2] = "total_byte_size", [3] = "num_rows",
  };
  guint64 seen = 0;
  RfThriftType type;
  gint16 id;

  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    {
      switch (id)
        {
        case 1:
          if (row_group->columns == NULL && rf_thrift_reader_charge (r, 2 * BLOCK_OVERHEAD))
            row_group->columns = new_column_chunk_array (0);
          if (row_group->columns != NULL)
            decode_struct_list (r, type, owner, "columns", id, "columns", row_group->columns,
                                (DecodeElementFunc) decode_column_chunk);
          break;
        case 2:
          field_i64 (r, type, owner, "total_byte_size", id, &row_group->total_byte_size);
          break;
        case 3:
          field_i64 (r, type, owner, "num_rows", id, &row_group->num_rows);
          break;
        default:
          rf_thrift_skip (r, type);
          break;
        }
      if (id >= 0 && id < 64)
        seen |= BIT (id);
    }
  if (!rf_thrift_read_struct_end (r))
    return FALSE;
  if (missing (r, seen, BIT (1) | BIT (2) | BIT (3), owner, names))
    return FALSE;
  return check_not_negative (r, row_group->num_rows, owner, "num_rows")
         && check_not_negative (r, row_group->total_byte_size, owner, "total_byte_size");
}

static gboolean
decode_file_meta_data (Reader           *r,
                       RfPqFileMetaData *meta)
{
  static const char *owner = "FileMetaData";
  static const char *const names[] = {
    [1] = "version", [2] = "schema", [3] = "num_rows", [4] = "row_groups",
  };
  guint64 seen = 0;
  RfThriftType type;
  gint16 id;

  meta->schema = new_schema_array (0);
  meta->row_groups = new_row_group_array (0);
  meta->key_value_metadata = new_key_value_array (0);

  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    {
      switch (id)
        {
        case 1:
          field_i32 (r, type, owner, "version", id, &meta->version);
          break;
        case 2:
          decode_struct_list (r, type, owner, "schema", id, NULL, meta->schema,
                              (DecodeElementFunc) decode_schema_element);
          break;
        case 3:
          field_i64 (r, type, owner, "num_rows", id, &meta->num_rows);
          break;
        case 4:
          decode_struct_list (r, type, owner, "row_groups", id, "row_groups", meta->row_groups,
                              (DecodeElementFunc) decode_row_group);
          break;
        case 5:
          decode_struct_list (r, type, owner, "key_value_metadata", id, NULL,
                              meta->key_value_metadata, (DecodeElementFunc) decode_key_value);
          break;
        case 6:
          field_text (r, type, owner, "created_by", id, &meta->created_by);
          break;
        case 8:
          meta->has_encryption_algorithm = TRUE;
          rf_thrift_skip (r, type);
          break;
        default:
          rf_thrift_skip (r, type);
          break;
        }
      if (id >= 0 && id < 64)
        seen |= BIT (id);
    }
  if (!rf_thrift_read_struct_end (r))
    return FALSE;
  if (missing (r, seen, BIT (1) | BIT (2) | BIT (3) | BIT (4), owner, names))
    return FALSE;
  if (meta->schema->len == 0)
    return rf_thrift_reader_fail (r, "FileMetaData has an empty schema (field 2): not even the root");
  return check_not_negative (r, meta->num_rows, owner, "num_rows");
}

gboolean
rf_pq_file_meta_data_decode (const guint8      *data,
                             gsize              length,
                             RfPqFileMetaData  *meta,
                             GError           **error)
{
  RfThriftReader reader;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (meta != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  rf_thrift_reader_init (&reader, data, length);
  rf_thrift_reader_set_budget (&reader, decode_budget (length));
  if (decode_file_meta_data (&reader, meta) && !rf_thrift_reader_failed (&reader))
    return TRUE;

  rf_pq_file_meta_data_clear (meta);
  if (!rf_thrift_reader_failed (&reader))
    rf_thrift_reader_fail (&reader, "decoding stopped at byte %zu", reader.pos);
  rf_thrift_reader_prefix_error (&reader, "the footer metadata (FileMetaData, %zu bytes) is corrupt: ",
                                 length);
  rf_thrift_reader_propagate_error (&reader, error);
  return FALSE;
}

static gboolean
decode_data_page_header (Reader             *r,
                         RfPqDataPageHeader *header)
{
  static const char *owner = "DataPageHeader";
  static const char *const names[] = {
    [1] = "num_values", [2] = "encoding", [3] = "definition_level_encoding",
    [4] = "repetition_level_encoding",
  };
  gint32 encoding = 0, def_encoding = 0, rep_encoding = 0;
  guint64 seen = 0;
  RfThriftType type;
  gint16 id;

  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    {
      switch (id)
        {
        case 1:
          field_i32 (r, type, owner, "num_values", id, &header->num_values);
          break;
        case 2:
          field_i32 (r, type, owner, "encoding", id, &encoding);
          break;
        case 3:
          field_i32 (r, type, owner, "definition_level_encoding", id, &def_encoding);
          break;
        case 4:
          field_i32 (r, type, owner, "repetition_level_encoding", id, &rep_encoding);
          break;
        case 5:
          if (check_type (r, type, RF_THRIFT_STRUCT, owner, "statistics", id))
            {
              rf_pq_statistics_clear (&header->statistics);
              header->has_statistics = decode_statistics (r, &header->statistics);
            }
          break;
        default:
          rf_thrift_skip (r, type);
          break;
        }
      if (id >= 0 && id < 64)
        seen |= BIT (id);
    }
  if (!rf_thrift_read_struct_end (r))
    return FALSE;
  if (missing (r, seen, BIT (1) | BIT (2) | BIT (3) | BIT (4), owner, names))
    return FALSE;
  if (!check_not_negative (r, header->num_values, owner, "num_values")
      || !check_page_encoding (r, encoding, owner, "encoding")
      || !check_page_encoding (r, def_encoding, owner, "definition_level_encoding")
      || !check_page_encoding (r, rep_encoding, owner, "repetition_level_encoding"))
    return FALSE;
  header->encoding = encoding;
  header->definition_level_encoding = def_encoding;
  header->repetition_level_encoding = rep_encoding;
  return TRUE;
}

static gboolean
decode_dictionary_page_header (Reader                   *r,
                               RfPqDictionaryPageHeader *header)
{
  static const char *owner = "DictionaryPageHeader";
  static const char *const names[] = { [1] = "num_values", [2] = "encoding" };
  gint32 encoding = 0;
  guint64 seen = 0;
  RfThriftType type;
  gint16 id;

  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    {
      if (id == 1)
        field_i32 (r, type, owner, "num_values", id, &header->num_values);
      else if (id == 2)
        field_i32 (r, type, owner, "encoding", id, &encoding);
      else if (id == 3)
        field_bool (r, type, owner, "is_sorted", id, &header->is_sorted);
      else
        rf_thrift_skip (r, type);
      if (id >= 0 && id < 64)
        seen |= BIT (id);
    }
  if (!rf_thrift_read_struct_end (r))
    return FALSE;
  if (missing (r, seen, BIT (1) | BIT (2), owner, names))
    return FALSE;
  if (!check_not_negative (r, header->num_values, owner, "num_values")
      || !check_page_encoding (r, encoding, owner, "encoding"))
    return FALSE;
  header->encoding = encoding;
  return TRUE;
}

static gboolean
decode_data_page_header_v2 (Reader               *r,
                            RfPqDataPageHeaderV2 *header)
{
  static const char *owner = "DataPageHeaderV2";
  static const char *const names[] = {
    [1] = "num_values", [2] = "num_nulls", [3] = "num_rows", [4] = "encoding",
    [5] = "definition_levels_byte_length", [6] = "repetition_levels_byte_length",
  };
  gint32 encoding = 0;
  guint64 seen = 0;
  RfThriftType type;
  gint16 id;

  header->is_compressed = TRUE;
  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    {
      switch (id)
        {
        case 1:
          field_i32 (r, type, owner, "num_values", id, &header->num_values);
          break;
        case 2:
          field_i32 (r, type, owner, "num_nulls", id, &header->num_nulls);
          break;
        case 3:
          field_i32 (r, type, owner, "num_rows", id, &header->num_rows);
          break;
        case 4:
          field_i32 (r, type, owner, "encoding", id, &encoding);
          break;
        case 5:
          field_i32 (r, type, owner, "definition_levels_byte_length", id,
                     &header->definition_levels_byte_length);
          break;
        case 6:
          field_i32 (r, type, owner, "repetition_levels_byte_length", id,
                     &header->repetition_levels_byte_length);
          break;
        case 7:
          field_bool (r, type, owner, "is_compressed", id, &header->is_compressed);
          break;
        case 8:
          if (check_type (r, type, RF_THRIFT_STRUCT, owner, "statistics", id))
            {
              rf_pq_statistics_clear (&header->statistics);
              header->has_statistics = decode_statistics (r, &header->statistics);
            }
          break;
        default:
          rf_thrift_skip (r, type);
          break;
        }
      if (id >= 0 && id < 64)
        seen |= BIT (id);
    }
  if (!rf_thrift_read_struct_end (r))
    return FALSE;
  if (missing (r, seen, BIT (1) | BIT (2) | BIT (3) | BIT (4) | BIT (5) | BIT (6), owner, names))
    return FALSE;
  if (!check_not_negative (r, header->num_values, owner, "num_values")
      || !check_not_negative (r, header->num_nulls, owner, "num_nulls")
      || !check_not_negative (r, header->num_rows, owner, "num_rows")
      || !check_not_negative (r, header->definition_levels_byte_length, owner,
                              "definition_levels_byte_length")
      || !check_not_negative (r, header->repetition_levels_byte_length, owner,
                              "repetition_levels_byte_length")
      || !check_page_encoding (r, encoding, owner, "encoding"))
    return FALSE;
  if (header->num_nulls > header->num_values)
    return rf_thrift_reader_fail (r, "DataPageHeaderV2: num_nulls (%d) is more than num_values (%d)",
                                  header->num_nulls, header->num_values);
  header->encoding = encoding;
  return TRUE;
}

static gboolean
decode_page_header (Reader         *r,
                    RfPqPageHeader *header)
{
  static const char *owner = "PageHeader";
  static const char *const names[] = {
    [1] = "type", [2] = "uncompressed_page_size", [3] = "compressed_page_size",
  };
  gint32 page_type = 0, crc = 0;
  guint64 seen = 0;
  RfThriftType type;
  gint16 id;

  if (!rf_thrift_read_struct_begin (r))
    return FALSE;
  while (rf_thrift_read_field_begin (r, &type, &id) && type != RF_THRIFT_STOP)
    {
      switch (id)
        {
        case 1:
          field_i32 (r, type, owner, "type", id, &page_type);
          break;
        case 2:
          field_i32 (r, type, owner, "uncompressed_page_size", id, &header->uncompressed_page_size);
          break;
        case 3:
          field_i32 (r, type, owner, "compressed_page_size", id, &header->compressed_page_size);
          break;
        case 4:
          if (field_i32 (r, type, owner, "crc", id, &crc))
            {
              header->has_crc = TRUE;
              header->crc = (guint32) crc;
            }
          break;
        case 5:
          if (check_type (r, type, RF_THRIFT_STRUCT, owner, "data_page_header", id))
            {
              rf_pq_statistics_clear (&header->data.statistics);
              decode_data_page_header (r, &header->data);
            }
          break;
        case 7:
          if (check_type (r, type, RF_THRIFT_STRUCT, owner, "dictionary_page_header", id))
            decode_dictionary_page_header (r, &header->dictionary);
          break;
        case 8:
          if (check_type (r, type, RF_THRIFT_STRUCT, owner, "data_page_header_v2", id))
            {
              rf_pq_statistics_clear (&header->data_v2.statistics);
              decode_data_page_header_v2 (r, &header->data_v2);
            }
          break;
        default:
          rf_thrift_skip (r, type);
          break;
        }
      if (id >= 0 && id < 64)
        seen |= BIT (id);
    }
  if (!rf_thrift_read_struct_end (r))
    return FALSE;
  if (missing (r, seen, BIT (1) | BIT (2) | BIT (3), owner, names))
    return FALSE;
  if (page_type < RF_PQ_PAGE_DATA || page_type > RF_PQ_PAGE_DATA_V2)
    return rf_thrift_reader_fail (r, "PageHeader: page type %d is not a Parquet page type", page_type);
  header->type = page_type;
  if (!check_not_negative (r, header->uncompressed_page_size, owner, "uncompressed_page_size")
      || !check_not_negative (r, header->compressed_page_size, owner, "compressed_page_size"))
    return FALSE;

  switch (header->type)
    {
    case RF_PQ_PAGE_DATA:
      if (!(seen & BIT (5)))
        return rf_thrift_reader_fail (r, "PageHeader of a DATA_PAGE has no data_page_header (field 5)");
      break;
    case RF_PQ_PAGE_DICTIONARY:
      if (!(seen & BIT (7)))
        return rf_thrift_reader_fail (r, "PageHeader of a DICTIONARY_PAGE has no "
                                      "dictionary_page_header (field 7)");
      break;
    case RF_PQ_PAGE_DATA_V2:
      if (!(seen & BIT (8)))
        return rf_thrift_reader_fail (r, "PageHeader of a DATA_PAGE_V2 has no "
                                      "data_page_header_v2 (field 8)");
      /* The levels are stored uncompressed in front of the values. */
      if ((gint64) header->data_v2.definition_levels_byte_length
          + header->data_v2.repetition_levels_byte_length > header->compressed_page_size)
        return rf_thrift_reader_fail (r, "DataPageHeaderV2: the levels (%d + %d bytes) are longer "
                                      "than the page (%d bytes)",
                                      header->data_v2.repetition_levels_byte_length,
                                      header->data_v2.definition_levels_byte_length,
                                      header->compressed_page_size);
      break;
    case RF_PQ_PAGE_INDEX:
    default:
      break;
    }
  return TRUE;
}

gboolean
rf_pq_page_header_decode (const guint8    *data,
                          gsize            length,
                          RfPqPageHeader  *header,
                          gsize           *consumed,
                          GError         **error)
{
  RfThriftReader reader;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (header != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  rf_thrift_reader_init (&reader, data, length);
  rf_thrift_reader_set_budget (&reader, decode_budget (length));
  if (decode_page_header (&reader, header) && !rf_thrift_reader_failed (&reader))
    {
      if (consumed != NULL)
        *consumed = reader.pos;
      return TRUE;
    }

  rf_pq_page_header_clear (header);
  if (!rf_thrift_reader_failed (&reader))
    rf_thrift_reader_fail (&reader, "decoding stopped at byte %zu", reader.pos);
  rf_thrift_reader_prefix_error (&reader, "the page header is corrupt: ");
  rf_thrift_reader_propagate_error (&reader, error);
  return FALSE;
}

/* ---- Encoding ------------------------------------------------------------
 *
 * Fields go out in id order, so that every header but the first takes one
 * byte (the delta form). */

typedef RfThriftWriter Writer;

static void
encode_bytes_field (Writer *w,
                    gint16  id,
                    GBytes *bytes)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  rf_thrift_write_field_binary (w, id, data, length);
}

static void
encode_statistics (Writer               *w,
                   gint16                id,
                   const RfPqStatistics *stats)
{
  rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, id);
  rf_thrift_write_struct_begin (w);
  if (stats->has_null_count)
    rf_thrift_write_field_i64 (w, 3, stats->null_count);
  if (stats->has_distinct_count)
    rf_thrift_write_field_i64 (w, 4, stats->distinct_count);
  if (stats->max != NULL)
    encode_bytes_field (w, 5, stats->max);
  if (stats->min != NULL)
    encode_bytes_field (w, 6, stats->min);
  rf_thrift_write_struct_end (w);
}

/* An empty struct as a field: the members of LogicalType and TimeUnit. */
static void
encode_empty_struct (Writer *w,
                     gint16  id)
{
  rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, id);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_struct_end (w);
}

static void
encode_logical_type (Writer                *w,
                     const RfPqLogicalType *logical)
{
  rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, 10);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, (gint16) logical->kind);
  rf_thrift_write_struct_begin (w);
  switch (logical->kind)
    {
    case RF_PQ_LOGICAL_DECIMAL:
      rf_thrift_write_field_i32 (w, 1, logical->decimal_scale);
      rf_thrift_write_field_i32 (w, 2, logical->decimal_precision);
      break;
    case RF_PQ_LOGICAL_TIME:
    case RF_PQ_LOGICAL_TIMESTAMP:
      rf_thrift_write_field_bool (w, 1, logical->adjusted_to_utc);
      rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, 2);
      rf_thrift_write_struct_begin (w);
      if (logical->unit != RF_PQ_UNIT_NONE)
        encode_empty_struct (w, (gint16) logical->unit);
      rf_thrift_write_struct_end (w);
      break;
    case RF_PQ_LOGICAL_INTEGER:
      rf_thrift_write_field_begin (w, RF_THRIFT_I8, 1);
      rf_thrift_write_i8 (w, logical->int_bit_width);
      rf_thrift_write_field_bool (w, 2, logical->int_signed);
      break;
    default:
      break;
    }
  rf_thrift_write_struct_end (w);
  rf_thrift_write_struct_end (w);
}

static void
encode_schema_element (Writer                  *w,
                       const RfPqSchemaElement *element)
{
  gboolean decimal = element->converted == RF_PQ_CONVERTED_DECIMAL;

  rf_thrift_write_struct_begin (w);
  if (element->has_type)
    rf_thrift_write_field_i32 (w, 1, element->type);
  if (element->type_length != 0)
    rf_thrift_write_field_i32 (w, 2, element->type_length);
  if (element->has_repetition)
    rf_thrift_write_field_i32 (w, 3, element->repetition);
  rf_thrift_write_field_string (w, 4, element->name != NULL ? element->name : "");
  /* A group always says how many children it has, even none. */
  if (!element->has_type || element->num_children != 0)
    rf_thrift_write_field_i32 (w, 5, element->num_children);
  if (element->converted != RF_PQ_CONVERTED_NONE)
    rf_thrift_write_field_i32 (w, 6, element->converted);
  if (decimal || element->scale != 0)
    rf_thrift_write_field_i32 (w, 7, element->scale);
  if (decimal || element->precision != 0)
    rf_thrift_write_field_i32 (w, 8, element->precision);
  /* RF_PQ_LOGICAL_OTHER stands for a member we cannot reproduce. */
  if (element->logical.kind != RF_PQ_LOGICAL_NONE && element->logical.kind != RF_PQ_LOGICAL_OTHER)
    encode_logical_type (w, &element->logical);
  rf_thrift_write_struct_end (w);
}

static void
encode_column_meta_data (Writer                   *w,
                         const RfPqColumnMetaData *meta)
{
  guint n_encodings = meta->encodings != NULL ? meta->encodings->len : 0;
  guint n_path = meta->path_in_schema != NULL ? meta->path_in_schema->len : 0;

  rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, 3);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_i32 (w, 1, meta->type);
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 2);
  rf_thrift_write_list_begin (w, RF_THRIFT_I32, n_encodings);
  for (guint i = 0; i < n_encodings; i++)
    rf_thrift_write_i32 (w, g_array_index (meta->encodings, gint32, i));
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 3);
  rf_thrift_write_list_begin (w, RF_THRIFT_BINARY, n_path);
  for (guint i = 0; i < n_path; i++)
    rf_thrift_write_string (w, g_ptr_array_index (meta->path_in_schema, i));
  rf_thrift_write_field_i32 (w, 4, meta->codec);
  rf_thrift_write_field_i64 (w, 5, meta->num_values);
  rf_thrift_write_field_i64 (w, 6, meta->total_uncompressed_size);
  rf_thrift_write_field_i64 (w, 7, meta->total_compressed_size);
  rf_thrift_write_field_i64 (w, 9, meta->data_page_offset);
  if (meta->has_dictionary_page_offset)
    rf_thrift_write_field_i64 (w, 11, meta->dictionary_page_offset);
  if (meta->has_statistics)
    encode_statistics (w, 12, &meta->statistics);
  rf_thrift_write_struct_end (w);
}

static void
encode_row_group (Writer             *w,
                  const RfPqRowGroup *row_group)
{
  guint n_columns = row_group->columns != NULL ? row_group->columns->len : 0;

  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 1);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      const RfPqColumnChunk *chunk = &g_array_index (row_group->columns, RfPqColumnChunk, i);

      rf_thrift_write_struct_begin (w);
      if (chunk->file_path != NULL)
        rf_thrift_write_field_string (w, 1, chunk->file_path);
      rf_thrift_write_field_i64 (w, 2, chunk->file_offset);
      if (chunk->has_meta_data)
        encode_column_meta_data (w, &chunk->meta_data);
      rf_thrift_write_struct_end (w);
    }
  rf_thrift_write_field_i64 (w, 2, row_group->total_byte_size);
  rf_thrift_write_field_i64 (w, 3, row_group->num_rows);
  rf_thrift_write_struct_end (w);
}

static gboolean
has_any_statistics (const RfPqFileMetaData *meta)
{
  for (guint g = 0; meta->row_groups != NULL && g < meta->row_groups->len; g++)
    {
      const RfPqRowGroup *row_group = &g_array_index (meta->row_groups, RfPqRowGroup, g);

      for (guint c = 0; row_group->columns != NULL && c < row_group->columns->len; c++)
        {
          const RfPqColumnChunk *chunk = &g_array_index (row_group->columns, RfPqColumnChunk, c);

          if (chunk->has_meta_data && chunk->meta_data.has_statistics)
            return TRUE;
        }
    }
  return FALSE;
}

void
rf_pq_file_meta_data_encode (const RfPqFileMetaData *meta,
                             GByteArray             *out)
{
  RfThriftWriter writer;
  Writer *w = &writer;
  guint n_schema, n_row_groups, n_kv, n_leaves = 0;

  g_return_if_fail (meta != NULL);
  g_return_if_fail (out != NULL);

  n_schema = meta->schema != NULL ? meta->schema->len : 0;
  n_row_groups = meta->row_groups != NULL ? meta->row_groups->len : 0;
  n_kv = meta->key_value_metadata != NULL ? meta->key_value_metadata->len : 0;

  rf_thrift_writer_init (w, out);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_i32 (w, 1, meta->version);

  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 2);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, n_schema);
  for (guint i = 0; i < n_schema; i++)
    {
      const RfPqSchemaElement *element = &g_array_index (meta->schema, RfPqSchemaElement, i);

      encode_schema_element (w, element);
      if (element->has_type)
        n_leaves++;
    }

  rf_thrift_write_field_i64 (w, 3, meta->num_rows);

  rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 4);
  rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, n_row_groups);
  for (guint i = 0; i < n_row_groups; i++)
    encode_row_group (w, &g_array_index (meta->row_groups, RfPqRowGroup, i));

  if (n_kv > 0)
    {
      rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 5);
      rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, n_kv);
      for (guint i = 0; i < n_kv; i++)
        {
          const RfPqKeyValue *kv = &g_array_index (meta->key_value_metadata, RfPqKeyValue, i);

          rf_thrift_write_struct_begin (w);
          rf_thrift_write_field_string (w, 1, kv->key != NULL ? kv->key : "");
          if (kv->value != NULL)
            rf_thrift_write_field_string (w, 2, kv->value);
          rf_thrift_write_struct_end (w);
        }
    }

  if (meta->created_by != NULL)
    rf_thrift_write_field_string (w, 6, meta->created_by);

  /* Without column_orders the meaning of min_value/max_value is undefined
   * (parquet.thrift), and careful readers ignore them: when any chunk has
   * statistics, every leaf declares TYPE_ORDER (ColumnOrder member 1). */
  if (n_leaves > 0 && has_any_statistics (meta))
    {
      rf_thrift_write_field_begin (w, RF_THRIFT_LIST, 7);
      rf_thrift_write_list_begin (w, RF_THRIFT_STRUCT, n_leaves);
      for (guint i = 0; i < n_leaves; i++)
        {
          rf_thrift_write_struct_begin (w);
          encode_empty_struct (w, 1);
          rf_thrift_write_struct_end (w);
        }
    }
  rf_thrift_write_struct_end (w);
}

void
rf_pq_page_header_encode (const RfPqPageHeader *header,
                          GByteArray           *out)
{
  RfThriftWriter writer;
  Writer *w = &writer;

  g_return_if_fail (header != NULL);
  g_return_if_fail (out != NULL);

  rf_thrift_writer_init (w, out);
  rf_thrift_write_struct_begin (w);
  rf_thrift_write_field_i32 (w, 1, header->type);
  rf_thrift_write_field_i32 (w, 2, header->uncompressed_page_size);
  rf_thrift_write_field_i32 (w, 3, header->compressed_page_size);
  if (header->has_crc)
    rf_thrift_write_field_i32 (w, 4, (gint32) header->crc);

  switch (header->type)
    {
    case RF_PQ_PAGE_DATA:
      rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, 5);
      rf_thrift_write_struct_begin (w);
      rf_thrift_write_field_i32 (w, 1, header->data.num_values);
      rf_thrift_write_field_i32 (w, 2, header->data.encoding);
      rf_thrift_write_field_i32 (w, 3, header->data.definition_level_encoding);
      rf_thrift_write_field_i32 (w, 4, header->data.repetition_level_encoding);
      if (header->data.has_statistics)
        encode_statistics (w, 5, &header->data.statistics);
      rf_thrift_write_struct_end (w);
      break;

    case RF_PQ_PAGE_INDEX:
      encode_empty_struct (w, 6);
      break;

    case RF_PQ_PAGE_DICTIONARY:
      rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, 7);
      rf_thrift_write_struct_begin (w);
      rf_thrift_write_field_i32 (w, 1, header->dictionary.num_values);
      rf_thrift_write_field_i32 (w, 2, header->dictionary.encoding);
      if (header->dictionary.is_sorted)
        rf_thrift_write_field_bool (w, 3, TRUE);
      rf_thrift_write_struct_end (w);
      break;

    case RF_PQ_PAGE_DATA_V2:
      rf_thrift_write_field_begin (w, RF_THRIFT_STRUCT, 8);
      rf_thrift_write_struct_begin (w);
      rf_thrift_write_field_i32 (w, 1, header->data_v2.num_values);
      rf_thrift_write_field_i32 (w, 2, header->data_v2.num_nulls);
      rf_thrift_write_field_i32 (w, 3, header->data_v2.num_rows);
      rf_thrift_write_field_i32 (w, 4, header->data_v2.encoding);
      rf_thrift_write_field_i32 (w, 5, header->data_v2.definition_levels_byte_length);
      rf_thrift_write_field_i32 (w, 6, header->data_v2.repetition_levels_byte_length);
      rf_thrift_write_field_bool (w, 7, header->data_v2.is_compressed);
      if (header->data_v2.has_statistics)
        encode_statistics (w, 8, &header->data_v2.statistics);
      rf_thrift_write_struct_end (w);
      break;

    default:
      g_return_if_reached ();
    }
  rf_thrift_write_struct_end (w);
}

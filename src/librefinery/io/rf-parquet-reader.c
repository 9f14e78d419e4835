#define G_LOG_DOMAIN "rf-parquet-reader"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "rf-error.h"
#include "rf-infer.h"
#include "rf-parquet-codec.h"
#include "rf-parquet-encoding.h"
#include "rf-parquet-meta.h"
#include "rf-parquet-reader.h"

/* Parquet stores numbers little-endian; the reader copies them as they are. */
G_STATIC_ASSERT (G_BYTE_ORDER == G_LITTLE_ENDIAN);

#define MAGIC_LENGTH 4
/* Julian day number of 1970-01-01 (INT96 timestamps count Julian days). */
#define JULIAN_UNIX_EPOCH G_GINT64_CONSTANT (2440588)
#define USEC_PER_DAY G_GINT64_CONSTANT (86400000000)
/* A timestamp that does not fit in gint64 microseconds is written as this
 * while converting and becomes missing afterwards; the value itself is
 * outside the range the reader produces ([G_MININT64 + 1, G_MAXINT64]). */
#define OUT_OF_RANGE G_MININT64
/* Longest DECIMAL magnitude accepted (a 38-digit decimal takes 16 bytes). */
#define MAX_DECIMAL_BYTES 128
/* Text one string column may hold: a dictionary entry repeated by a few
 * bytes of RLE indices could otherwise ask for terabytes. */
#define MAX_COLUMN_TEXT_BYTES ((gsize) 1 << 30)
/* Threads decoding the columns of one row group. */
#define MAX_THREADS 16

typedef enum
{
  KIND_BOOL,
  KIND_INT32,       /* INT32, INT(8|16|32, signed) */
  KIND_UINT32,      /* INT32 as INT(8|16|32, unsigned) */
  KIND_INT64,
  KIND_UINT64,      /* becomes DOUBLE when a value is above G_MAXINT64 */
  KIND_TIME_MILLIS, /* INT32 */
  KIND_TIME_MICROS, /* INT64 */
  KIND_TIME_NANOS,  /* INT64 */
  KIND_DATE,        /* INT32 days */
  KIND_TS_MILLIS,   /* INT64 */
  KIND_TS_MICROS,   /* INT64 */
  KIND_TS_NANOS,    /* INT64 */
  KIND_INT96,
  KIND_FLOAT,
  KIND_DOUBLE,
  KIND_FLOAT16,     /* FIXED_LEN_BYTE_ARRAY(2) */
  KIND_DECIMAL,     /* INT32, INT64, BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY */
  KIND_STRING,      /* BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY */
  KIND_UUID,        /* FIXED_LEN_BYTE_ARRAY(16) */
} Kind;

/* One top-level field of the schema: a flat column, or a nested one that
 * spans several column chunks and is never read. */
typedef struct
{
  char *name;
  guint element;          /* index in the footer's schema */
  guint first_leaf;       /* its first column chunk in every row group */
  guint n_leaves;
  char *unsupported;      /* why it cannot be read, NULL when it can */
  RfPqType physical;
  gsize width;            /* bytes of a PLAIN value (booleans: 1 after
                             decoding); 0 for BYTE_ARRAY */
  Kind kind;
  RfColumnType type;
  guint max_def;          /* 1 for OPTIONAL, 0 for REQUIRED */
  int scale;              /* DECIMAL */
  char *unit;             /* from refinery.schema, else from the name */
  gboolean has_role;      /* role from refinery.schema */
  RfColumnRole role;
} Field;

struct _RfParquetFile
{
  GMappedFile *mapped;    /* NULL when reading bytes in memory */
  const guint8 *data;
  gsize length;
  gsize footer_start;     /* column chunks end before it */
  char *display;
  RfPqFileMetaData meta;
  Field *fields;
  guint n_fields;
  guint n_leaves;
  gint64 n_rows;
  GPtrArray *warnings;    /* char*: found when opening, repeated in reports */
};

/* ------------------------------------------------------------------------
 * Opening: footer, schema, row groups
 */

static void
field_clear (Field *field)
{
  g_free (field->name);
  g_free (field->unsupported);
  g_free (field->unit);
}

void
rf_parquet_file_free (RfParquetFile *file)
{
  if (file == NULL)
    return;
  for (guint i = 0; i < file->n_fields; i++)
    field_clear (&file->fields[i]);
  g_free (file->fields);
  rf_pq_file_meta_data_clear (&file->meta);
  g_clear_pointer (&file->mapped, g_mapped_file_unref);
  g_clear_pointer (&file->warnings, g_ptr_array_unref);
  g_free (file->display);
  g_free (file);
}

static guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static const char *
logical_name (RfPqLogicalKind kind)
{
  switch (kind)
    {
    case RF_PQ_LOGICAL_STRING: return "STRING";
    case RF_PQ_LOGICAL_MAP: return "MAP";
    case RF_PQ_LOGICAL_LIST: return "LIST";
    case RF_PQ_LOGICAL_ENUM: return "ENUM";
    case RF_PQ_LOGICAL_DECIMAL: return "DECIMAL";
    case RF_PQ_LOGICAL_DATE: return "DATE";
    case RF_PQ_LOGICAL_TIME: return "TIME";
    case RF_PQ_LOGICAL_TIMESTAMP: return "TIMESTAMP";
    case RF_PQ_LOGICAL_INTEGER: return "INTEGER";
    case RF_PQ_LOGICAL_UNKNOWN: return "UNKNOWN";
    case RF_PQ_LOGICAL_JSON: return "JSON";
    case RF_PQ_LOGICAL_BSON: return "BSON";
    case RF_PQ_LOGICAL_UUID: return "UUID";
    case RF_PQ_LOGICAL_FLOAT16: return "FLOAT16";
    case RF_PQ_LOGICAL_NONE:
    case RF_PQ_LOGICAL_OTHER:
    default:
      return "an unknown annotation";
    }
}

static const char *
converted_name (RfPqConverted converted)
{
  static const char *const names[] = {
    "UTF8", "MAP", "MAP_KEY_VALUE", "LIST", "ENUM", "DECIMAL", "DATE", "TIME_MILLIS",
    "TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8", "UINT_16", "UINT_32",
    "UINT_64", "INT_8", "INT_16", "INT_32", "INT_64", "JSON", "BSON", "INTERVAL",
  };

  if (converted >= 0 && (gsize) converted < G_N_ELEMENTS (names))
    return names[converted];
  return "an unknown annotation";
}

static gboolean
set_kind (Field        *field,
          Kind          kind,
          RfColumnType  type)
{
  field->kind = kind;
  field->type = type;
  return TRUE;
}

static gboolean
set_unsupported (Field      *field,
                 const char *format,
                 ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_unsupported (Field      *field,
                 const char *format,
                 ...)
{
  va_list args;

  va_start (args, format);
  g_free (field->unsupported);
  field->unsupported = g_strdup_vprintf (format, args);
  va_end (args);
  return FALSE;
}

static gboolean
classify_decimal (Field *field,
                  int    precision,
                  int    scale)
{
  if (precision <= 0 || scale < 0 || scale > precision)
    return set_unsupported (field, "its DECIMAL(%d, %d) annotation is invalid (0 <= scale <= "
                            "precision is required)", precision, scale);
  field->scale = scale;
  return set_kind (field, KIND_DECIMAL, RF_COLUMN_DOUBLE);
}

static gboolean
classify_time_unit (Field        *field,
                    RfPqTimeUnit  unit,
                    Kind          millis,
                    Kind          micros,
                    Kind          nanos,
                    RfColumnType  type)
{
  switch (unit)
    {
    case RF_PQ_UNIT_MILLIS:
      return set_kind (field, millis, type);
    case RF_PQ_UNIT_MICROS:
      return set_kind (field, micros, type);
    case RF_PQ_UNIT_NANOS:
      return set_kind (field, nanos, type);
    case RF_PQ_UNIT_NONE:
    default:
      return set_unsupported (field, "its time annotation has no unit");
    }
}

/* Chooses how a flat leaf is read (the table in rf-parquet-reader.h). The
 * LogicalType wins over the legacy ConvertedType; an annotation this reader
 * does not know falls back to the physical type. */
static gboolean
classify_leaf (Field                   *field,
               const RfPqSchemaElement *element)
{
  const RfPqLogicalType *logical = &element->logical;
  RfPqLogicalKind lk = logical->kind;
  RfPqConverted ct = element->converted;
  RfPqType type = element->type;
  const char *annotation;

  if (lk == RF_PQ_LOGICAL_OTHER || lk == RF_PQ_LOGICAL_UNKNOWN)
    lk = RF_PQ_LOGICAL_NONE;
  annotation = lk != RF_PQ_LOGICAL_NONE ? logical_name (lk) : converted_name (ct);

  field->physical = type;
  switch (type)
    {
    case RF_PQ_BOOLEAN:
      field->width = 1;
      if (lk == RF_PQ_LOGICAL_NONE && ct == RF_PQ_CONVERTED_NONE)
        return set_kind (field, KIND_BOOL, RF_COLUMN_BOOL);
      break;

    case RF_PQ_INT32:
      field->width = 4;
      if (lk == RF_PQ_LOGICAL_DECIMAL)
        return classify_decimal (field, logical->decimal_precision, logical->decimal_scale);
      if (lk == RF_PQ_LOGICAL_DATE)
        return set_kind (field, KIND_DATE, RF_COLUMN_TIMESTAMP);
      if (lk == RF_PQ_LOGICAL_TIME && logical->unit == RF_PQ_UNIT_MILLIS)
        return set_kind (field, KIND_TIME_MILLIS, RF_COLUMN_INT64);
      if (lk == RF_PQ_LOGICAL_INTEGER && logical->int_bit_width <= 32)
        return set_kind (field, logical->int_signed ? KIND_INT32 : KIND_UINT32, RF_COLUMN_INT64);
      if (lk != RF_PQ_LOGICAL_NONE)
        break;
      switch (ct)
        {
        case RF_PQ_CONVERTED_NONE:
        case RF_PQ_CONVERTED_INT_8:
        case RF_PQ_CONVERTED_INT_16:
        case RF_PQ_CONVERTED_INT_32:
          return set_kind (field, KIND_INT32, RF_COLUMN_INT64);
        case RF_PQ_CONVERTED_UINT_8:
        case RF_PQ_CONVERTED_UINT_16:
        case RF_PQ_CONVERTED_UINT_32:
          return set_kind (field, KIND_UINT32, RF_COLUMN_INT64);
        case RF_PQ_CONVERTED_DECIMAL:
          return classify_decimal (field, element->precision, element->scale);
        case RF_PQ_CONVERTED_DATE:
          return set_kind (field, KIND_DATE, RF_COLUMN_TIMESTAMP);
        case RF_PQ_CONVERTED_TIME_MILLIS:
          return set_kind (field, KIND_TIME_MILLIS, RF_COLUMN_INT64);
        default:
          break;
        }
      break;

    case RF_PQ_INT64:
      field->width = 8;
      if (lk == RF_PQ_LOGICAL_DECIMAL)
        return classify_decimal (field, logical->decimal_precision, logical->decimal_scale);
      if (lk == RF_PQ_LOGICAL_TIMESTAMP)
        return classify_time_unit (field, logical->unit, KIND_TS_MILLIS, KIND_TS_MICROS,
                                   KIND_TS_NANOS, RF_COLUMN_TIMESTAMP);
      if (lk == RF_PQ_LOGICAL_TIME && logical->unit != RF_PQ_UNIT_MILLIS)
        return classify_time_unit (field, logical->unit, KIND_TIME_MILLIS, KIND_TIME_MICROS,
                                   KIND_TIME_NANOS, RF_COLUMN_INT64);
      if (lk == RF_PQ_LOGICAL_INTEGER && logical->int_bit_width == 64)
        return set_kind (field, logical->int_signed ? KIND_INT64 : KIND_UINT64, RF_COLUMN_INT64);
      if (lk != RF_PQ_LOGICAL_NONE)
        break;
      switch (ct)
        {
        case RF_PQ_CONVERTED_NONE:
        case RF_PQ_CONVERTED_INT_64:
          return set_kind (field, KIND_INT64, RF_COLUMN_INT64);
        case RF_PQ_CONVERTED_UINT_64:
          return set_kind (field, KIND_UINT64, RF_COLUMN_INT64);
        case RF_PQ_CONVERTED_DECIMAL:
          return classify_decimal (field, element->precision, element->scale);
        case RF_PQ_CONVERTED_TIMESTAMP_MILLIS:
          return set_kind (field, KIND_TS_MILLIS, RF_COLUMN_TIMESTAMP);
        case RF_PQ_CONVERTED_TIMESTAMP_MICROS:
          return set_kind (field, KIND_TS_MICROS, RF_COLUMN_TIMESTAMP);
        case RF_PQ_CONVERTED_TIME_MICROS:
          return set_kind (field, KIND_TIME_MICROS, RF_COLUMN_INT64);
        default:
          break;
        }
      break;

    case RF_PQ_INT96:
      /* Always a timestamp: nanoseconds of the day, then the Julian day. */
      field->width = 12;
      return set_kind (field, KIND_INT96, RF_COLUMN_TIMESTAMP);

    case RF_PQ_FLOAT:
      field->width = 4;
      if (lk == RF_PQ_LOGICAL_NONE && ct == RF_PQ_CONVERTED_NONE)
        return set_kind (field, KIND_FLOAT, RF_COLUMN_DOUBLE);
      break;

    case RF_PQ_DOUBLE:
      field->width = 8;
      if (lk == RF_PQ_LOGICAL_NONE && ct == RF_PQ_CONVERTED_NONE)
        return set_kind (field, KIND_DOUBLE, RF_COLUMN_DOUBLE);
      break;

    case RF_PQ_BYTE_ARRAY:
      field->width = 0;
      if (lk == RF_PQ_LOGICAL_DECIMAL)
        return classify_decimal (field, logical->decimal_precision, logical->decimal_scale);
      if (lk == RF_PQ_LOGICAL_NONE && ct == RF_PQ_CONVERTED_DECIMAL)
        return classify_decimal (field, element->precision, element->scale);
      if (lk == RF_PQ_LOGICAL_STRING || lk == RF_PQ_LOGICAL_ENUM || lk == RF_PQ_LOGICAL_JSON
          || lk == RF_PQ_LOGICAL_BSON)
        return set_kind (field, KIND_STRING, RF_COLUMN_STRING);
      if (lk == RF_PQ_LOGICAL_NONE
          && (ct == RF_PQ_CONVERTED_NONE || ct == RF_PQ_CONVERTED_UTF8 || ct == RF_PQ_CONVERTED_ENUM
              || ct == RF_PQ_CONVERTED_JSON || ct == RF_PQ_CONVERTED_BSON))
        return set_kind (field, KIND_STRING, RF_COLUMN_STRING);
      break;

    case RF_PQ_FIXED_LEN_BYTE_ARRAY:
      if (element->type_length <= 0)
        return set_unsupported (field, "it is a FIXED_LEN_BYTE_ARRAY of length %d",
                                element->type_length);
      field->width = (gsize) element->type_length;
      if (lk == RF_PQ_LOGICAL_DECIMAL)
        return classify_decimal (field, logical->decimal_precision, logical->decimal_scale);
      if (lk == RF_PQ_LOGICAL_FLOAT16 && field->width == 2)
        return set_kind (field, KIND_FLOAT16, RF_COLUMN_DOUBLE);
      if (lk == RF_PQ_LOGICAL_UUID && field->width == 16)
        return set_kind (field, KIND_UUID, RF_COLUMN_STRING);
      if (lk == RF_PQ_LOGICAL_STRING)
        return set_kind (field, KIND_STRING, RF_COLUMN_STRING);
      if (lk != RF_PQ_LOGICAL_NONE)
        break;
      if (ct == RF_PQ_CONVERTED_DECIMAL)
        return classify_decimal (field, element->precision, element->scale);
      if (ct == RF_PQ_CONVERTED_NONE || ct == RF_PQ_CONVERTED_UTF8)
        return set_kind (field, KIND_STRING, RF_COLUMN_STRING);
      break;

    default:
      break;
    }
  return set_unsupported (field, "its type %s with %s is not one Refinery reads",
                          rf_pq_type_to_string (type), annotation);
}

static gboolean
schema_error (RfParquetFile  *file,
              GError        **error,
              const char     *format,
              ...) G_GNUC_PRINTF (3, 4);

static gboolean
schema_error (RfParquetFile  *file,
              GError        **error,
              const char     *format,
              ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
               "“%s” is damaged: %s; write the file again from its source", file->display, what);
  return FALSE;
}

static gboolean
is_group (const RfPqSchemaElement *element)
{
  return element->num_children > 0 || !element->has_type;
}

/* Walks the schema (a depth-first list) into top-level fields, counting
 * the leaves each one spans without recursion. */
static gboolean
read_schema (RfParquetFile  *file,
             GError        **error)
{
  GArray *schema = file->meta.schema;
  const RfPqSchemaElement *root;
  guint pos = 1;

  if (schema == NULL || schema->len == 0)
    return schema_error (file, error, "its footer has no schema");
  root = &g_array_index (schema, RfPqSchemaElement, 0);
  if (root->num_children < 0 || (root->has_type && root->num_children == 0 && schema->len > 1))
    return schema_error (file, error, "the root of its schema is not a group");
  if ((guint) root->num_children > schema->len - 1)
    return schema_error (file, error, "the schema's root has %d fields, but the schema lists "
                         "only %u elements", root->num_children, schema->len - 1);

  file->fields = g_new0 (Field, MAX (root->num_children, 1));
  for (gint32 i = 0; i < root->num_children; i++)
    {
      Field *field = &file->fields[file->n_fields];
      const RfPqSchemaElement *element;

      if (pos >= schema->len)
        return schema_error (file, error, "the schema's root has %d fields, but its elements "
                             "end after %d", root->num_children, i);
      element = &g_array_index (schema, RfPqSchemaElement, pos);
      file->n_fields++;
      field->name = g_strdup (element->name);
      field->element = pos;
      field->first_leaf = file->n_leaves;

      if (is_group (element))
        {
          /* Elements still to visit in this field's subtree. */
          gint64 pending = 1;
          guint n_members = 0;

          while (pending > 0)
            {
              const RfPqSchemaElement *e;

              if (pos >= schema->len)
                return schema_error (file, error, "the group “%s” announces more fields than the "
                                     "schema holds", field->name);
              e = &g_array_index (schema, RfPqSchemaElement, pos);
              if (e->num_children < 0)
                return schema_error (file, error, "“%s” has %d children", e->name, e->num_children);
              pending--;
              pos++;
              n_members++;
              if (is_group (e))
                pending += e->num_children;
              else
                field->n_leaves++;
            }
          set_unsupported (field, "it is nested (a group of %u field%s)", n_members - 1,
                           n_members == 2 ? "" : "s");
        }
      else
        {
          pos++;
          field->n_leaves = 1;
          if (!element->has_repetition || element->repetition == RF_PQ_REPEATED)
            set_unsupported (field, "it is repeated (a list of values in each row), a nested "
                             "structure");
          else
            {
              field->max_def = element->repetition == RF_PQ_OPTIONAL ? 1 : 0;
              classify_leaf (field, element);
            }
        }
      file->n_leaves += field->n_leaves;
    }
  if (pos != schema->len)
    return schema_error (file, error, "the schema lists %u elements, but its root's %d fields "
                         "take only %u", schema->len, root->num_children, pos);
  return TRUE;
}

/* Checks what every read relies on: one chunk per leaf in every row group,
 * chunks of this file only, unencrypted, flat chunks holding one value per
 * row, and the row counts adding up. */
static gboolean
check_row_groups (RfParquetFile  *file,
                  GError        **error)
{
  GArray *row_groups = file->meta.row_groups;
  gint64 total = 0;

  for (guint g = 0; row_groups != NULL && g < row_groups->len; g++)
    {
      const RfPqRowGroup *rg = &g_array_index (row_groups, RfPqRowGroup, g);
      guint n_chunks = rg->columns != NULL ? rg->columns->len : 0;

      if (n_chunks != file->n_leaves)
        return schema_error (file, error, "row group %u has %u column chunks, but the schema "
                             "has %u columns", g, n_chunks, file->n_leaves);
      if (rg->num_rows < 0)
        return schema_error (file, error, "row group %u has %" G_GINT64_FORMAT " rows",
                             g, rg->num_rows);
      for (guint c = 0; c < n_chunks; c++)
        {
          const RfPqColumnChunk *chunk = &g_array_index (rg->columns, RfPqColumnChunk, c);

          if (chunk->has_crypto_metadata)
            {
              g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                           "“%s” has encrypted columns; encrypted Parquet files are not "
                           "supported: write it again without encryption", file->display);
              return FALSE;
            }
          if (chunk->file_path != NULL)
            {
              g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                           "“%s” keeps its data in another file (“%s”); Parquet files with "
                           "external column chunks are not supported: write the data into "
                           "one file", file->display, chunk->file_path);
              return FALSE;
            }
          if (!chunk->has_meta_data)
            return schema_error (file, error, "column chunk %u of row group %u has no metadata",
                                 c, g);
        }
      for (guint f = 0; f < file->n_fields; f++)
        {
          const Field *field = &file->fields[f];
          const RfPqColumnMetaData *meta;

          if (field->unsupported != NULL)
            continue;
          meta = &g_array_index (rg->columns, RfPqColumnChunk, field->first_leaf).meta_data;
          if (meta->num_values != rg->num_rows)
            return schema_error (file, error, "in row group %u, column “%s” holds %" G_GINT64_FORMAT
                                 " values, but the row group has %" G_GINT64_FORMAT " rows",
                                 g, field->name, meta->num_values, rg->num_rows);
          if (meta->type != field->physical)
            return schema_error (file, error, "in row group %u, column “%s” is stored as %s, but "
                                 "the schema says %s", g, field->name,
                                 rf_pq_type_to_string (meta->type),
                                 rf_pq_type_to_string (field->physical));
        }
      if (rg->num_rows > G_MAXINT64 - total)
        return schema_error (file, error, "its row groups hold more rows than can be counted");
      total += rg->num_rows;
    }
  if (total != file->meta.num_rows)
    return schema_error (file, error, "its row groups hold %" G_GINT64_FORMAT " rows, but its "
                         "footer says %" G_GINT64_FORMAT, total, file->meta.num_rows);
  file->n_rows = total;
  return TRUE;
}

static const RfPqKeyValue *
find_key_value (const RfParquetFile *file,
                const char          *key)
{
  GArray *kv = file->meta.key_value_metadata;

  for (guint i = 0; kv != NULL && i < kv->len; i++)
    {
      const RfPqKeyValue *item = &g_array_index (kv, RfPqKeyValue, i);

      if (g_strcmp0 (item->key, key) == 0)
        return item;
    }
  return NULL;
}

/* Whether the type refinery.schema gives can replace the type the Parquet
 * annotations give without changing any value: an INT64 and a TIMESTAMP
 * column both hold int64 microseconds when the file stores them so. */
static gboolean
saved_type_applies (const Field  *field,
                    RfColumnType  saved)
{
  if (saved == field->type)
    return TRUE;
  if (field->kind == KIND_INT64 && saved == RF_COLUMN_TIMESTAMP)
    return TRUE;
  if (field->kind == KIND_TS_MICROS && saved == RF_COLUMN_INT64)
    return TRUE;
  return FALSE;
}

typedef struct
{
  char *name;
  RfColumnType type;
  char *unit;
  RfColumnRole role;
} SavedColumn;

static void
saved_column_clear (SavedColumn *saved)
{
  g_free (saved->name);
  g_free (saved->unit);
}

/* Parses refinery.schema: a JSON array with one object per column,
 * {"name", "type", "unit" (string or null), "role"}. */
static GArray *
parse_saved_schema (const char  *text,
                    char       **problem)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) saved = NULL;
  g_autoptr(GError) local = NULL;
  JsonNode *root;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, text, -1, &local))
    {
      *problem = g_strdup_printf ("it is not JSON (%s)", local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      *problem = g_strdup ("it is not a JSON array");
      return NULL;
    }
  array = json_node_get_array (root);
  saved = g_array_new (FALSE, TRUE, sizeof (SavedColumn));
  g_array_set_clear_func (saved, (GDestroyNotify) saved_column_clear);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *name, *type, *unit, *role;
      SavedColumn column = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          *problem = g_strdup_printf ("element %u is not an object", i);
          return NULL;
        }
      object = json_node_get_object (node);
      name = json_object_get_member (object, "name");
      type = json_object_get_member (object, "type");
      unit = json_object_get_member (object, "unit");
      role = json_object_get_member (object, "role");
      if (name == NULL || json_node_get_value_type (name) != G_TYPE_STRING
          || type == NULL || json_node_get_value_type (type) != G_TYPE_STRING
          || !rf_column_type_from_string (json_node_get_string (type), &column.type)
          || role == NULL || json_node_get_value_type (role) != G_TYPE_STRING
          || !rf_column_role_from_string (json_node_get_string (role), &column.role)
          || (unit != NULL && !JSON_NODE_HOLDS_NULL (unit)
              && json_node_get_value_type (unit) != G_TYPE_STRING))
        {
          *problem = g_strdup_printf ("element %u does not have a name, a known type and role, "
                                      "and a unit (string or null)", i);
          return NULL;
        }
      column.name = g_strdup (json_node_get_string (name));
      if (unit != NULL && !JSON_NODE_HOLDS_NULL (unit))
        column.unit = g_strdup (json_node_get_string (unit));
      g_array_append_val (saved, column);
    }
  return g_steal_pointer (&saved);
}

/* Units and roles from refinery.schema when it describes exactly these
 * columns; else units from the names, as the CSV reader does. */
static void
apply_saved_schema (RfParquetFile *file)
{
  const RfPqKeyValue *kv = find_key_value (file, "refinery.schema");
  g_autoptr(GArray) saved = NULL;
  g_autofree char *problem = NULL;

  if (kv != NULL && kv->value != NULL)
    {
      saved = parse_saved_schema (kv->value, &problem);
      if (saved != NULL && saved->len != file->n_fields)
        problem = g_strdup_printf ("it describes %u columns, the file has %u",
                                   saved->len, file->n_fields);
      for (guint i = 0; saved != NULL && problem == NULL && i < saved->len; i++)
        if (g_strcmp0 (g_array_index (saved, SavedColumn, i).name, file->fields[i].name) != 0)
          problem = g_strdup_printf ("its column %u is “%s”, the file's is “%s”", i + 1,
                                     g_array_index (saved, SavedColumn, i).name,
                                     file->fields[i].name);
      if (problem != NULL)
        {
          g_ptr_array_add (file->warnings,
                           g_strdup_printf ("The Refinery schema stored in the file was ignored "
                                            "(%s): units and roles were not restored", problem));
          g_clear_pointer (&saved, g_array_unref);
        }
    }

  for (guint i = 0; i < file->n_fields; i++)
    {
      Field *field = &file->fields[i];
      const SavedColumn *column;

      if (saved == NULL)
        {
          field->unit = rf_infer_unit_from_name (field->name);
          continue;
        }
      column = &g_array_index (saved, SavedColumn, i);
      field->unit = g_strdup (column->unit);
      field->has_role = TRUE;
      field->role = column->role;
      if (field->unsupported != NULL || column->type == field->type)
        continue;
      if (saved_type_applies (field, column->type))
        field->type = column->type;
      else
        g_ptr_array_add (file->warnings,
                         g_strdup_printf ("Column “%s” was saved as %s but is stored as %s; it "
                                          "was read as %s", field->name,
                                          rf_column_type_to_string (column->type),
                                          rf_pq_type_to_string (field->physical),
                                          rf_column_type_to_string (field->type)));
    }
}

static RfParquetFile *
open_data (const guint8  *data,
           gsize          length,
           GMappedFile   *mapped,
           const char    *display_name,
           GError       **error)
{
  g_autoptr(RfParquetFile) file = g_new0 (RfParquetFile, 1);
  g_autoptr(GError) local = NULL;
  const guint8 *tail;
  guint32 footer_length;

  file->mapped = mapped;
  file->data = data;
  file->length = length;
  file->display = g_strdup (display_name);
  file->warnings = g_ptr_array_new_with_free_func (g_free);

  if (length < 3 * MAGIC_LENGTH)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "“%s” is too small to be a Parquet file (%" G_GSIZE_FORMAT " bytes; one takes "
                   "at least 12): it is empty or truncated", file->display, length);
      return NULL;
    }
  tail = data + length - MAGIC_LENGTH;
  if (memcmp (tail, "PARE", MAGIC_LENGTH) == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "“%s” has an encrypted footer; encrypted Parquet files are not supported: "
                   "write it again without encryption", file->display);
      return NULL;
    }
  if (memcmp (tail, "PAR1", MAGIC_LENGTH) != 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "“%s” is not a Parquet file: it does not end with the magic bytes “PAR1” "
                   "(it may be truncated, e.g. by an interrupted copy)", file->display);
      return NULL;
    }
  footer_length = read_le32 (tail - 4);
  if (footer_length == 0 || footer_length > length - 3 * MAGIC_LENGTH)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "“%s”: footer length %u does not fit in a file of %" G_GSIZE_FORMAT
                   " bytes: the file is truncated or not Parquet", file->display,
                   footer_length, length);
      return NULL;
    }
  /* The specification requires the leading magic too; a file without it
   * was damaged or cut and pasted together, so it is not trusted. */
  if (memcmp (data, "PAR1", MAGIC_LENGTH) != 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "“%s” is not a valid Parquet file: it does not start with the magic bytes "
                   "“PAR1”; write it again from its source", file->display);
      return NULL;
    }
  file->footer_start = length - 2 * MAGIC_LENGTH - footer_length;
  if (!rf_pq_file_meta_data_decode (data + file->footer_start, footer_length, &file->meta,
                                    &local))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                   "“%s”: the footer (file metadata) does not decode: %s. The file is damaged "
                   "or was not written by a Parquet writer", file->display, local->message);
      return NULL;
    }
  if (file->meta.has_encryption_algorithm)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "“%s” is encrypted (with a plaintext footer); encrypted Parquet files are "
                   "not supported: write it again without encryption", file->display);
      return NULL;
    }
  if (!read_schema (file, error) || !check_row_groups (file, error))
    return NULL;
  apply_saved_schema (file);
  return g_steal_pointer (&file);
}

RfParquetFile *
rf_parquet_file_open_bytes (const guint8  *data,
                            gsize          length,
                            const char    *display_name,
                            GError       **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_data (data, length, NULL, display_name != NULL ? display_name : "(memory)", error);
}

RfParquetFile *
rf_parquet_file_open (const char  *path,
                      GError     **error)
{
  g_autofree char *display = NULL;
  g_autoptr(GError) local = NULL;
  GMappedFile *mapped;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);
  mapped = g_mapped_file_new (path, FALSE, &local);
  if (mapped == NULL)
    {
      g_set_error (error, RF_ERROR,
                   g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                   ? RF_ERROR_NOT_FOUND : RF_ERROR_IO,
                   "Cannot open “%s”: %s", display, local->message);
      return NULL;
    }
  return open_data ((const guint8 *) g_mapped_file_get_contents (mapped),
                    g_mapped_file_get_length (mapped), mapped, display, error);
}

gint64
rf_parquet_file_get_n_rows (const RfParquetFile *file)
{
  g_return_val_if_fail (file != NULL, 0);
  return file->n_rows;
}

guint
rf_parquet_file_get_n_row_groups (const RfParquetFile *file)
{
  g_return_val_if_fail (file != NULL, 0);
  return file->meta.row_groups != NULL ? file->meta.row_groups->len : 0;
}

static const RfPqRowGroup *
row_group_at (const RfParquetFile *file,
              guint                index)
{
  return &g_array_index (file->meta.row_groups, RfPqRowGroup, index);
}

gint64
rf_parquet_file_get_row_group_rows (const RfParquetFile *file,
                                    guint                row_group)
{
  g_return_val_if_fail (file != NULL, 0);
  g_return_val_if_fail (row_group < rf_parquet_file_get_n_row_groups (file), 0);
  return row_group_at (file, row_group)->num_rows;
}

guint
rf_parquet_file_get_n_columns (const RfParquetFile *file)
{
  g_return_val_if_fail (file != NULL, 0);
  return file->n_fields;
}

const char *
rf_parquet_file_get_column_name (const RfParquetFile *file,
                                 guint                index)
{
  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (index < file->n_fields, NULL);
  return file->fields[index].name;
}

const char *
rf_parquet_file_get_metadata (const RfParquetFile *file,
                              const char          *key)
{
  const RfPqKeyValue *kv;

  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  kv = find_key_value (file, key);
  return kv != NULL ? kv->value : NULL;
}

const char *
rf_parquet_file_get_created_by (const RfParquetFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);
  return file->meta.created_by;
}

/* ------------------------------------------------------------------------
 * Values: conversions from the physical encodings to the column types
 */

/* Length of the longest valid UTF-8 prefix of s (NUL is a valid
 * character here: values are counted strings, not C strings). */
static gsize
utf8_valid_prefix (const guint8 *s,
                   gsize         length)
{
  gsize i = 0;

  while (i < length)
    {
      guint8 c = s[i];
      guint32 cp;
      gsize need;

      if (i + 8 <= length)
        {
          guint64 word;

          memcpy (&word, s + i, 8);
          if ((word & G_GUINT64_CONSTANT (0x8080808080808080)) == 0)
            {
              i += 8;
              continue;
            }
        }
      if (c < 0x80)
        {
          i++;
          continue;
        }
      if (c >= 0xc2 && c <= 0xdf)
        need = 1, cp = c & 0x1f;
      else if (c >= 0xe0 && c <= 0xef)
        need = 2, cp = c & 0x0f;
      else if (c >= 0xf0 && c <= 0xf4)
        need = 3, cp = c & 0x07;
      else
        return i;
      if (need >= length - i)
        return i;
      for (gsize k = 1; k <= need; k++)
        {
          if ((s[i + k] & 0xc0) != 0x80)
            return i;
          cp = cp << 6 | (s[i + k] & 0x3f);
        }
      if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
          || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
        return i;
      i += need + 1;
    }
  return length;
}

/* value with each byte that is not part of valid UTF-8 written as \xHH. */
static void
escape_invalid_utf8 (const guint8 *value,
                     gsize         length,
                     GString      *out)
{
  gsize pos = 0;

  g_string_truncate (out, 0);
  while (pos < length)
    {
      gsize valid = utf8_valid_prefix (value + pos, length - pos);

      g_string_append_len (out, (const char *) value + pos, (gssize) valid);
      pos += valid;
      if (pos < length)
        {
          g_string_append_printf (out, "\\x%02X", value[pos]);
          pos++;
        }
    }
}

static void
format_uuid (const guint8 *bytes,
             GString      *out)
{
  static const char hex[] = "0123456789abcdef";

  g_string_truncate (out, 0);
  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        g_string_append_c (out, '-');
      g_string_append_c (out, hex[bytes[i] >> 4]);
      g_string_append_c (out, hex[bytes[i] & 15]);
    }
}

static const double exact_powers_of_ten[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* ±magnitude × 10^-scale, correctly rounded: one IEEE division when both
 * operands are exact doubles, else strtod on the decimal digits. */
static double
decimal_from_u64 (gboolean negative,
                  guint64  magnitude,
                  int      scale)
{
  char text[48];

  if (magnitude <= G_GUINT64_CONSTANT (1) << 53 && scale < (int) G_N_ELEMENTS (exact_powers_of_ten))
    {
      double value = (double) magnitude / exact_powers_of_ten[scale];
      return negative ? -value : value;
    }
  g_snprintf (text, sizeof text, "%s%" G_GUINT64_FORMAT "e-%d", negative ? "-" : "",
              magnitude, scale);
  return g_ascii_strtod (text, NULL);
}

static double
decimal_from_i64 (gint64 value,
                  int    scale)
{
  return value < 0 ? decimal_from_u64 (TRUE, -(guint64) value, scale)
                   : decimal_from_u64 (FALSE, (guint64) value, scale);
}

/* A big-endian two's complement integer of any length, as a decimal. */
static gboolean
decimal_from_bytes (const guint8 *bytes,
                    gsize         length,
                    int           scale,
                    double       *result)
{
  guint8 magnitude[MAX_DECIMAL_BYTES];
  gboolean negative;
  guint64 small = 0;
  /* Base 10^9 limbs, least significant first: 128 bytes need 35. */
  guint32 limbs[40];
  guint n_limbs = 0;
  GString *text;
  gsize n;

  if (length == 0)
    {
      *result = 0.0;
      return TRUE;
    }
  negative = (bytes[0] & 0x80) != 0;
  /* Drop the bytes that only extend the sign. */
  while (length > 1 && ((!negative && bytes[0] == 0x00 && !(bytes[1] & 0x80))
                        || (negative && bytes[0] == 0xff && (bytes[1] & 0x80))))
    bytes++, length--;
  if (length > MAX_DECIMAL_BYTES)
    return FALSE;
  memcpy (magnitude, bytes, length);
  if (negative)
    {
      guint carry = 1;

      for (gsize i = length; i-- > 0;)
        {
          guint v = (guint8) ~magnitude[i] + carry;
          magnitude[i] = (guint8) v;
          carry = v >> 8;
        }
    }
  n = 0;
  while (n < length && magnitude[n] == 0)
    n++;
  if (length - n <= 8)
    {
      for (gsize i = n; i < length; i++)
        small = small << 8 | magnitude[i];
      *result = decimal_from_u64 (negative, small, scale);
      return TRUE;
    }

  /* Long division of the base-256 number by 10^9, repeatedly. */
  while (n < length)
    {
      guint64 rem = 0;

      for (gsize i = n; i < length; i++)
        {
          guint64 cur = rem << 8 | magnitude[i];
          magnitude[i] = (guint8) (cur / 1000000000u);
          rem = cur % 1000000000u;
        }
      limbs[n_limbs++] = (guint32) rem;
      while (n < length && magnitude[n] == 0)
        n++;
    }
  text = g_string_sized_new (16 + 9 * n_limbs);
  if (negative)
    g_string_append_c (text, '-');
  g_string_append_printf (text, "%u", limbs[n_limbs - 1]);
  for (guint i = n_limbs - 1; i-- > 0;)
    g_string_append_printf (text, "%09u", limbs[i]);
  g_string_append_printf (text, "e-%d", scale);
  *result = g_ascii_strtod (text->str, NULL);
  g_string_free (text, TRUE);
  return TRUE;
}

static double
half_to_double (guint16 half)
{
  int exponent = (half >> 10) & 0x1f;
  int mantissa = half & 0x3ff;
  double value;

  if (exponent == 0)
    value = ldexp (mantissa, -24);
  else if (exponent == 31)
    value = mantissa != 0 ? NAN : INFINITY;
  else
    value = ldexp (mantissa + 1024, exponent - 25);
  return (half & 0x8000) ? -value : value;
}

static inline gint64
floor_div_1000 (gint64 value)
{
  gint64 q = value / 1000;

  return (value % 1000 < 0) ? q - 1 : q;
}

static inline gint64
scale_or_out_of_range (gint64 value,
                       gint64 factor)
{
  gint64 result;

  if (__builtin_mul_overflow (value, factor, &result) || result == OUT_OF_RANGE)
    return OUT_OF_RANGE;
  return result;
}

static inline gint64
int96_to_usec (const guint8 *p)
{
  gint64 nanos, days, usec;
  gint32 julian;

  memcpy (&nanos, p, 8);
  memcpy (&julian, p + 8, 4);
  days = (gint64) julian - JULIAN_UNIX_EPOCH;
  /* Modulo 2^64, as Spark and Arrow do: Spark writes timestamps beyond
   * 2262 with a day count and nanoseconds that only add up that way
   * (int96_from_spark.parquet's year 290000). */
  usec = (gint64) ((guint64) days * (guint64) USEC_PER_DAY + (guint64) floor_div_1000 (nanos));
  return usec == OUT_OF_RANGE ? OUT_OF_RANGE : usec;
}

/* ------------------------------------------------------------------------
 * Column chunks
 */

/* Buffers one thread reuses from page to page and column to column. */
typedef struct
{
  guint8 *page;
  gsize page_size;
  guint32 *levels;
  gsize levels_size;
  guint32 *indices;
  gsize indices_size;
  guint8 *raw;            /* unsplit BYTE_STREAM_SPLIT values, booleans */
  gsize raw_size;
  guint8 *conv;           /* converted values before nulls are spread in */
  gsize conv_size;
  GString *text;
} Scratch;

static void
scratch_clear (Scratch *s)
{
  g_free (s->page);
  g_free (s->levels);
  g_free (s->indices);
  g_free (s->raw);
  g_free (s->conv);
  if (s->text != NULL)
    g_string_free (s->text, TRUE);
  memset (s, 0, sizeof *s);
}

/* A selected column and what reading it found, across row groups. */
typedef struct
{
  Field *field;
  RfColumn *column;
  gsize n_not_utf8;
  gsize n_out_of_range;
  gboolean big_unsigned;
  GError *error;          /* of the row group being read */
} Output;

/* Where a page's values come from, before conversion. */
typedef enum
{
  SOURCE_FIXED,           /* n values of width bytes, little-endian */
  SOURCE_INT64,           /* DELTA_BINARY_PACKED output */
  SOURCE_ARRAYS,          /* byte arrays */
} SourceForm;

typedef struct
{
  SourceForm form;
  const guint8 *bytes;
  gsize width;
  gint64 *ints;           /* owned */
  RfPqByteArrays arrays;  /* owned */
} Source;

static void
source_clear (Source *src)
{
  g_clear_pointer (&src->ints, g_free);
  rf_pq_byte_arrays_clear (&src->arrays);
}

static inline const guint8 *
source_bytes (const Source *src,
              gsize         i,
              gsize        *length)
{
  if (src->form == SOURCE_FIXED)
    {
      *length = src->width;
      return src->bytes + i * src->width;
    }
  *length = src->arrays.lengths[i];
  return src->arrays.base + src->arrays.starts[i];
}

/* An integer value: INT32 sign-extended, INT64 as it is. */
static inline gint64
source_int (const Source *src,
            gsize         i)
{
  if (src->form == SOURCE_INT64)
    return src->ints[i];
  if (src->width == 4)
    {
      gint32 v;
      memcpy (&v, src->bytes + 4 * i, 4);
      return v;
    }
  else
    {
      gint64 v;
      memcpy (&v, src->bytes + 8 * i, 8);
      return v;
    }
}

typedef struct
{
  const RfParquetFile *file;
  Output *out;
  const Field *field;
  const RfPqColumnMetaData *meta;
  Scratch *s;
  guint row_group;
  guint page;             /* 1-based number of the page being read; 0: none yet */
  gsize row;              /* next row of the column to fill */
  gsize rows_left;        /* values of the chunk not read yet */
  gsize elem_size;        /* bytes per value of a fixed-width column */
  gboolean scan_bad;      /* some written timestamp may be OUT_OF_RANGE */

  gboolean has_dict;
  gsize dict_n;
  guint8 *dict_values;    /* converted, fixed-width columns */
  GByteArray *dict_bytes; /* converted, string columns */
  gsize *dict_offsets;
  guint8 *dict_escaped;
  gboolean dict_has_bad;
} Chunk;

static void
chunk_clear (Chunk *ck)
{
  g_free (ck->dict_values);
  if (ck->dict_bytes != NULL)
    g_byte_array_unref (ck->dict_bytes);
  g_free (ck->dict_offsets);
  g_free (ck->dict_escaped);
}

static gboolean
chunk_fail (Chunk       *ck,
            GError     **error,
            int          code,
            const char  *format,
            ...) G_GNUC_PRINTF (4, 5);

static gboolean
chunk_fail (Chunk       *ck,
            GError     **error,
            int          code,
            const char  *format,
            ...)
{
  g_autofree char *what = NULL;
  g_autofree char *page = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  if (ck->page > 0)
    page = g_strdup_printf (", page %u", ck->page);
  g_set_error (error, RF_ERROR, code, "“%s”, row group %u, column “%s”%s: %s",
               ck->file->display, ck->row_group, ck->field->name, page != NULL ? page : "",
               what);
  return FALSE;
}

/* A parse error with the advice that goes with damaged data. */
#define chunk_corrupt(ck, error, ...) \
  chunk_fail ((ck), (error), RF_ERROR_PARSE, __VA_ARGS__)

static gboolean
chunk_fail_from (Chunk      *ck,
                 GError    **error,
                 GError     *local,
                 const char *what)
{
  int code = local->domain == RF_ERROR ? local->code : RF_ERROR_PARSE;

  return chunk_fail (ck, error, code, "%s: %s", what, local->message);
}

static gboolean
grow (gpointer  *buffer,
      gsize     *size,
      gsize      count,
      gsize      elem,
      Chunk     *ck,
      GError   **error)
{
  gpointer fresh;

  if (count <= *size)
    return TRUE;
  if (count > G_MAXSIZE / 2 / elem)
    return chunk_fail (ck, error, RF_ERROR_TOO_LARGE, "%" G_GSIZE_FORMAT " values do not fit "
                       "in memory", count);
  fresh = g_try_malloc (MAX (count, 64) * elem);
  if (fresh == NULL)
    return chunk_fail (ck, error, RF_ERROR_TOO_LARGE, "cannot allocate %" G_GSIZE_FORMAT
                       " bytes for a page", count * elem);
  g_free (*buffer);
  *buffer = fresh;
  *size = MAX (count, 64);
  return TRUE;
}

#define GROW(ck, field, count, error) \
  grow ((gpointer *) &(ck)->s->field, &(ck)->s->field##_size, (count), \
        sizeof *(ck)->s->field, (ck), (error))

static gboolean
is_string_kind (Kind kind)
{
  return kind == KIND_STRING || kind == KIND_UUID;
}

/* Whether PLAIN values land in the column unchanged (8 bytes in, 8 out). */
static gboolean
is_verbatim_kind (Kind kind)
{
  return kind == KIND_DOUBLE || kind == KIND_INT64 || kind == KIND_UINT64
      || kind == KIND_TS_MICROS || kind == KIND_TIME_MICROS;
}

static void
check_unsigned (Chunk       *ck,
                const gint64 *values,
                gsize         n)
{
  gint64 any = 0;

  for (gsize i = 0; i < n; i++)
    any |= values[i];
  if (any < 0)
    ck->out->big_unsigned = TRUE;
}

/* Converts n values of src into out (n values of the column's type). */
static gboolean
convert_values (Chunk        *ck,
                const Source *src,
                gsize         n,
                guint8       *out,
                GError      **error)
{
  const Field *f = ck->field;
  gint64 *o64 = (gint64 *) out;
  double *of = (double *) out;
  gboolean bad = FALSE;

  /* An empty page or dictionary may have no bytes at all (NULL). */
  if (n == 0)
    return TRUE;
  switch (f->kind)
    {
    case KIND_BOOL:
      memcpy (out, src->bytes, n);
      break;
    case KIND_DOUBLE:
      memcpy (out, src->bytes, n * 8);
      break;
    case KIND_FLOAT:
      for (gsize i = 0; i < n; i++)
        {
          float v;
          memcpy (&v, src->bytes + 4 * i, 4);
          of[i] = v;
        }
      break;
    case KIND_INT64:
    case KIND_UINT64:
    case KIND_TS_MICROS:
    case KIND_TIME_MICROS:
      memcpy (out, src->form == SOURCE_INT64 ? (const guint8 *) src->ints : src->bytes, n * 8);
      if (f->kind == KIND_UINT64)
        check_unsigned (ck, o64, n);
      break;
    case KIND_INT32:
      for (gsize i = 0; i < n; i++)
        o64[i] = (gint32) (guint32) source_int (src, i);
      break;
    case KIND_UINT32:
      for (gsize i = 0; i < n; i++)
        o64[i] = (guint32) source_int (src, i);
      break;
    case KIND_TIME_MILLIS:
      for (gsize i = 0; i < n; i++)
        o64[i] = (gint64) (gint32) (guint32) source_int (src, i) * 1000;
      break;
    case KIND_TIME_NANOS:
    case KIND_TS_NANOS:
      for (gsize i = 0; i < n; i++)
        o64[i] = floor_div_1000 (source_int (src, i));
      break;
    case KIND_DATE:
      for (gsize i = 0; i < n; i++)
        {
          o64[i] = scale_or_out_of_range ((gint32) (guint32) source_int (src, i), USEC_PER_DAY);
          bad |= o64[i] == OUT_OF_RANGE;
        }
      break;
    case KIND_TS_MILLIS:
      for (gsize i = 0; i < n; i++)
        {
          o64[i] = scale_or_out_of_range (source_int (src, i), 1000);
          bad |= o64[i] == OUT_OF_RANGE;
        }
      break;
    case KIND_INT96:
      for (gsize i = 0; i < n; i++)
        {
          o64[i] = int96_to_usec (src->bytes + 12 * i);
          bad |= o64[i] == OUT_OF_RANGE;
        }
      break;
    case KIND_FLOAT16:
      for (gsize i = 0; i < n; i++)
        {
          gsize length;
          const guint8 *p = source_bytes (src, i, &length);

          if (length != 2)
            return chunk_corrupt (ck, error, "a FLOAT16 value has %" G_GSIZE_FORMAT " bytes",
                                  length);
          of[i] = half_to_double ((guint16) (p[0] | p[1] << 8));
        }
      break;
    case KIND_DECIMAL:
      if (f->physical == RF_PQ_INT32)
        for (gsize i = 0; i < n; i++)
          of[i] = decimal_from_i64 ((gint32) (guint32) source_int (src, i), f->scale);
      else if (f->physical == RF_PQ_INT64)
        for (gsize i = 0; i < n; i++)
          of[i] = decimal_from_i64 (source_int (src, i), f->scale);
      else
        for (gsize i = 0; i < n; i++)
          {
            gsize length;
            const guint8 *p = source_bytes (src, i, &length);

            if (!decimal_from_bytes (p, length, f->scale, &of[i]))
              return chunk_corrupt (ck, error, "a DECIMAL value has %" G_GSIZE_FORMAT " bytes; "
                                    "at most %d are read", length, MAX_DECIMAL_BYTES);
          }
      break;
    case KIND_STRING:
    case KIND_UUID:
    default:
      g_assert_not_reached ();
    }
  if (bad)
    ck->scan_bad = TRUE;
  return TRUE;
}

static gboolean
append_text (Chunk         *ck,
             const guint8  *value,
             gsize          length,
             gboolean      *escaped,
             GError       **error)
{
  RfColumn *column = ck->out->column;
  GString *text = ck->s->text;
  const char *bytes = (const char *) value;

  *escaped = FALSE;
  if (ck->field->kind == KIND_UUID)
    {
      if (length != 16)
        return chunk_corrupt (ck, error, "a UUID value has %" G_GSIZE_FORMAT " bytes", length);
      format_uuid (value, text);
      bytes = text->str;
      length = text->len;
    }
  else if (utf8_valid_prefix (value, length) != length)
    {
      escape_invalid_utf8 (value, length, text);
      bytes = text->str;
      length = text->len;
      *escaped = TRUE;
    }
  if (length > MAX_COLUMN_TEXT_BYTES - column->n_bytes)
    return chunk_fail (ck, error, RF_ERROR_TOO_LARGE, "the column would hold more than %"
                       G_GSIZE_FORMAT " MiB of text; Refinery reads at most that much per column",
                       MAX_COLUMN_TEXT_BYTES >> 20);
  rf_column_append_string (column, bytes, (gssize) length);
  return TRUE;
}

/* Appends n rows of a string column: the present ones from src, in order. */
static gboolean
append_strings (Chunk          *ck,
                const Source   *src,
                const guint32  *levels,
                gsize           n,
                GError        **error)
{
  RfColumn *column = ck->out->column;
  gsize j = 0;

  for (gsize i = 0; i < n; i++)
    {
      const guint8 *value;
      gboolean escaped;
      gsize length;

      if (levels != NULL && levels[i] == 0)
        {
          rf_column_append_null (column);
          continue;
        }
      value = source_bytes (src, j++, &length);
      if (!append_text (ck, value, length, &escaped, error))
        return FALSE;
      ck->out->n_not_utf8 += escaped;
    }
  return TRUE;
}

static gboolean
append_dictionary_strings (Chunk          *ck,
                           const guint32  *indices,
                           const guint32  *levels,
                           gsize           n,
                           GError        **error)
{
  RfColumn *column = ck->out->column;
  gsize j = 0;

  for (gsize i = 0; i < n; i++)
    {
      guint32 index;
      gsize length;

      if (levels != NULL && levels[i] == 0)
        {
          rf_column_append_null (column);
          continue;
        }
      index = indices[j++];
      if (index >= ck->dict_n)
        return chunk_corrupt (ck, error, "dictionary index %u is out of range: the dictionary "
                              "has %" G_GSIZE_FORMAT " entries", index, ck->dict_n);
      length = ck->dict_offsets[index + 1] - ck->dict_offsets[index];
      if (length > MAX_COLUMN_TEXT_BYTES - column->n_bytes)
        return chunk_fail (ck, error, RF_ERROR_TOO_LARGE, "the column would hold more than %"
                           G_GSIZE_FORMAT " MiB of text; Refinery reads at most that much per "
                           "column", MAX_COLUMN_TEXT_BYTES >> 20);
      rf_column_append_string (column, (const char *) ck->dict_bytes->data
                               + ck->dict_offsets[index], (gssize) length);
      ck->out->n_not_utf8 += ck->dict_escaped[index];
    }
  return TRUE;
}

static gboolean
gather_dictionary (Chunk          *ck,
                   const guint32  *indices,
                   gsize           n,
                   guint8         *out,
                   GError        **error)
{
  gsize dict_n = ck->dict_n;

  if (ck->elem_size == 8)
    {
      const gint64 *dict = (const gint64 *) ck->dict_values;
      gint64 *o = (gint64 *) out;

      for (gsize i = 0; i < n; i++)
        {
          guint32 index = indices[i];

          if (G_UNLIKELY (index >= dict_n))
            return chunk_corrupt (ck, error, "dictionary index %u is out of range: the "
                                  "dictionary has %" G_GSIZE_FORMAT " entries", index, dict_n);
          o[i] = dict[index];
        }
    }
  else
    {
      const guint8 *dict = ck->dict_values;

      for (gsize i = 0; i < n; i++)
        {
          guint32 index = indices[i];

          if (G_UNLIKELY (index >= dict_n))
            return chunk_corrupt (ck, error, "dictionary index %u is out of range: the "
                                  "dictionary has %" G_GSIZE_FORMAT " entries", index, dict_n);
          out[i] = dict[index];
        }
    }
  if (ck->dict_has_bad)
    ck->scan_bad = TRUE;
  return TRUE;
}

static void
mark_missing (RfColumn *column,
              gsize     row)
{
  if (column->validity == NULL)
    rf_column_prepare_validity (column);
  rf_column_mark_missing_in_place (column, row);
}

/* Spreads the n_present converted values over the page's n rows. */
static void
scatter (Chunk          *ck,
         const guint8   *conv,
         const guint32  *levels,
         gsize           n)
{
  RfColumn *column = ck->out->column;
  gsize row = ck->row, j = 0;

  if (ck->elem_size == 8)
    {
      const gint64 *src = (const gint64 *) conv;
      gint64 *dst = (gint64 *) column->values.data + row;

      for (gsize i = 0; i < n; i++)
        if (levels[i])
          dst[i] = src[j++];
        else
          mark_missing (column, row + i);
    }
  else
    {
      guint8 *dst = column->values.u8 + row;

      for (gsize i = 0; i < n; i++)
        if (levels[i])
          dst[i] = conv[j++];
        else
          mark_missing (column, row + i);
    }
}

/* Timestamps that did not fit become missing. */
static void
clear_out_of_range (Chunk *ck,
                    gsize  n)
{
  RfColumn *column = ck->out->column;
  gint64 *values = column->values.i64;

  for (gsize row = ck->row; row < ck->row + n; row++)
    if (values[row] == OUT_OF_RANGE)
      {
        values[row] = 0;
        mark_missing (column, row);
        ck->out->n_out_of_range++;
      }
  ck->scan_bad = FALSE;
}

/* Turns n PLAIN values of the column's physical type into a source. */
static gboolean
plain_source (Chunk         *ck,
              const guint8  *data,
              gsize          length,
              gsize          n,
              Source        *src,
              GError       **error)
{
  const Field *f = ck->field;
  g_autoptr(GError) local = NULL;

  if (f->physical == RF_PQ_BOOLEAN)
    {
      if (!GROW (ck, raw, n, error))
        return FALSE;
      if (!rf_pq_plain_bool_decode (data, length, ck->s->raw, n, &local))
        return chunk_fail_from (ck, error, local, "PLAIN booleans do not decode");
      src->form = SOURCE_FIXED;
      src->bytes = ck->s->raw;
      src->width = 1;
      return TRUE;
    }
  if (f->physical == RF_PQ_BYTE_ARRAY)
    {
      if (!rf_pq_plain_byte_array_decode (data, length, n, &src->arrays, NULL, &local))
        return chunk_fail_from (ck, error, local, "PLAIN byte arrays do not decode");
      src->form = SOURCE_ARRAYS;
      return TRUE;
    }
  if (n > length / f->width)
    return chunk_corrupt (ck, error, "the page holds %" G_GSIZE_FORMAT " of its %" G_GSIZE_FORMAT
                          " values (%" G_GSIZE_FORMAT " bytes of %" G_GSIZE_FORMAT " each)",
                          length / f->width, n, length, f->width);
  src->form = SOURCE_FIXED;
  src->bytes = data;
  src->width = f->width;
  return TRUE;
}

/* Decodes the n present values of a page in any non-dictionary encoding. */
static gboolean
decode_source (Chunk          *ck,
               RfPqEncoding    encoding,
               const guint8   *data,
               gsize           length,
               gsize           n,
               Source         *src,
               GError        **error)
{
  const Field *f = ck->field;
  g_autoptr(GError) local = NULL;
  RfPqType type = f->physical;

  switch (encoding)
    {
    case RF_PQ_PLAIN:
      return plain_source (ck, data, length, n, src, error);

    case RF_PQ_RLE:
      if (type != RF_PQ_BOOLEAN)
        break;
      {
        guint32 prefix;

        if (length < 4 || (prefix = read_le32 (data)) > length - 4)
          return chunk_corrupt (ck, error, "the RLE booleans' length prefix does not fit the page");
        if (!GROW (ck, indices, n, error) || !GROW (ck, raw, n, error))
          return FALSE;
        if (!rf_pq_rle_decode (data + 4, prefix, 1, ck->s->indices, n, &local))
          return chunk_fail_from (ck, error, local, "RLE booleans do not decode");
        for (gsize i = 0; i < n; i++)
          ck->s->raw[i] = (guint8) ck->s->indices[i];
        src->form = SOURCE_FIXED;
        src->bytes = ck->s->raw;
        src->width = 1;
        return TRUE;
      }

    case RF_PQ_DELTA_BINARY_PACKED:
      if (type != RF_PQ_INT32 && type != RF_PQ_INT64)
        break;
      {
        gsize count = 0;

        src->ints = rf_pq_delta_binary_decode (data, length, n, &count, NULL, &local);
        if (src->ints == NULL)
          return chunk_fail_from (ck, error, local, "DELTA_BINARY_PACKED values do not decode");
        if (count != n)
          return chunk_corrupt (ck, error, "the DELTA_BINARY_PACKED values number %"
                                G_GSIZE_FORMAT ", the page needs %" G_GSIZE_FORMAT, count, n);
        src->form = SOURCE_INT64;
        return TRUE;
      }

    case RF_PQ_DELTA_LENGTH_BYTE_ARRAY:
      if (type != RF_PQ_BYTE_ARRAY)
        break;
      if (!rf_pq_delta_length_decode (data, length, n, &src->arrays, &local))
        return chunk_fail_from (ck, error, local, "DELTA_LENGTH_BYTE_ARRAY values do not decode");
      src->form = SOURCE_ARRAYS;
      return TRUE;

    case RF_PQ_DELTA_BYTE_ARRAY:
      if (type != RF_PQ_BYTE_ARRAY && type != RF_PQ_FIXED_LEN_BYTE_ARRAY)
        break;
      if (!rf_pq_delta_byte_array_decode (data, length, n, RF_PQ_MAX_PAGE_BYTES, &src->arrays,
                                          &local))
        return chunk_fail_from (ck, error, local, "DELTA_BYTE_ARRAY values do not decode");
      src->form = SOURCE_ARRAYS;
      if (type == RF_PQ_FIXED_LEN_BYTE_ARRAY)
        for (gsize i = 0; i < n; i++)
          if (src->arrays.lengths[i] != f->width)
            return chunk_corrupt (ck, error, "a FIXED_LEN_BYTE_ARRAY(%" G_GSIZE_FORMAT ") value "
                                  "has %u bytes", f->width, src->arrays.lengths[i]);
      return TRUE;

    case RF_PQ_BYTE_STREAM_SPLIT:
      if (type != RF_PQ_FLOAT && type != RF_PQ_DOUBLE && type != RF_PQ_INT32
          && type != RF_PQ_INT64 && type != RF_PQ_FIXED_LEN_BYTE_ARRAY)
        break;
      if (n > G_MAXSIZE / f->width || !GROW (ck, raw, n * f->width, error))
        return FALSE;
      if (!rf_pq_byte_stream_split_decode (data, length, f->width, n, ck->s->raw, &local))
        return chunk_fail_from (ck, error, local, "BYTE_STREAM_SPLIT values do not decode");
      src->form = SOURCE_FIXED;
      src->bytes = ck->s->raw;
      src->width = f->width;
      return TRUE;

    case RF_PQ_PLAIN_DICTIONARY:
    case RF_PQ_RLE_DICTIONARY:
    case RF_PQ_BIT_PACKED:
    default:
      break;
    }
  return chunk_fail (ck, error, RF_ERROR_FORMAT, "values encoded as %s are not defined for %s "
                     "columns", rf_pq_encoding_to_string (encoding), rf_pq_type_to_string (type));
}

/* The bytes of a page after decompression (the mapped bytes themselves
 * when the chunk is not compressed). */
static gboolean
page_bytes (Chunk          *ck,
            const guint8   *src,
            gsize           compressed,
            gsize           uncompressed,
            const guint8  **out,
            GError        **error)
{
  g_autoptr(GError) local = NULL;

  if (ck->meta->codec == RF_PQ_CODEC_UNCOMPRESSED)
    {
      *out = src;
      return TRUE;
    }
  if (!GROW (ck, page, uncompressed, error))
    return FALSE;
  if (!rf_pq_decompress (ck->meta->codec, src, compressed, ck->s->page, uncompressed, &local))
    return chunk_fail_from (ck, error, local, "the page does not decompress");
  *out = ck->s->page;
  return TRUE;
}

static gboolean
read_dictionary_page (Chunk                 *ck,
                      const RfPqPageHeader  *header,
                      const guint8          *page,
                      GError               **error)
{
  const RfPqDictionaryPageHeader *dict = &header->dictionary;
  const Field *f = ck->field;
  const guint8 *data;
  Source src = { 0 };
  gsize n;
  gboolean ok = FALSE;

  if (ck->has_dict)
    return chunk_corrupt (ck, error, "the column chunk has a second dictionary page");
  if (ck->rows_left != (gsize) ck->meta->num_values)
    return chunk_corrupt (ck, error, "a dictionary page follows data pages");
  if (dict->num_values < 0)
    return chunk_corrupt (ck, error, "the dictionary page has %d values", dict->num_values);
  if (dict->encoding != RF_PQ_PLAIN && dict->encoding != RF_PQ_PLAIN_DICTIONARY)
    return chunk_fail (ck, error, RF_ERROR_FORMAT, "the dictionary page is encoded as %s; only "
                       "PLAIN is defined", rf_pq_encoding_to_string (dict->encoding));
  n = (gsize) dict->num_values;
  if (!page_bytes (ck, page, (gsize) header->compressed_page_size,
                   (gsize) header->uncompressed_page_size, &data, error)
      || !plain_source (ck, data, (gsize) header->uncompressed_page_size, n, &src, error))
    goto out;

  if (is_string_kind (f->kind))
    {
      ck->dict_bytes = g_byte_array_new ();
      ck->dict_offsets = g_new (gsize, n + 1);
      ck->dict_escaped = g_new0 (guint8, MAX (n, 1));
      ck->dict_offsets[0] = 0;
      for (gsize i = 0; i < n; i++)
        {
          gsize length;
          const guint8 *value = source_bytes (&src, i, &length);

          if (f->kind == KIND_UUID)
            {
              if (length != 16)
                {
                  chunk_corrupt (ck, error, "a UUID value has %" G_GSIZE_FORMAT " bytes", length);
                  goto out;
                }
              format_uuid (value, ck->s->text);
              g_byte_array_append (ck->dict_bytes, (const guint8 *) ck->s->text->str,
                                   (guint) ck->s->text->len);
            }
          else if (utf8_valid_prefix (value, length) == length)
            g_byte_array_append (ck->dict_bytes, value, (guint) length);
          else
            {
              escape_invalid_utf8 (value, length, ck->s->text);
              g_byte_array_append (ck->dict_bytes, (const guint8 *) ck->s->text->str,
                                   (guint) ck->s->text->len);
              ck->dict_escaped[i] = 1;
            }
          ck->dict_offsets[i + 1] = ck->dict_bytes->len;
        }
    }
  else
    {
      ck->dict_values = g_try_malloc (MAX (n, 1) * ck->elem_size);
      if (ck->dict_values == NULL)
        {
          chunk_fail (ck, error, RF_ERROR_TOO_LARGE, "cannot allocate a dictionary of %"
                      G_GSIZE_FORMAT " values", n);
          goto out;
        }
      ck->scan_bad = FALSE;
      if (!convert_values (ck, &src, n, ck->dict_values, error))
        goto out;
      ck->dict_has_bad = ck->scan_bad;
      ck->scan_bad = FALSE;
    }
  ck->dict_n = n;
  ck->has_dict = TRUE;
  ok = TRUE;

out:
  source_clear (&src);
  return ok;
}

/* Definition levels of n rows from an RLE/bit-packed hybrid stream (width
 * 1). *levels is NULL when every row is present, which the common case (a
 * single RLE run of ones) shows without decoding. */
static gboolean
read_levels_rle (Chunk           *ck,
                 const guint8    *data,
                 gsize            length,
                 gsize            n,
                 const guint32  **levels,
                 gsize           *n_present,
                 GError         **error)
{
  g_autoptr(GError) local = NULL;
  guint64 header = 0;
  gsize pos = 0, present = 0;
  guint shift = 0;

  *levels = NULL;
  *n_present = n;
  if (n == 0)
    return TRUE;
  while (pos < length && pos < 10)
    {
      header |= (guint64) (data[pos] & 0x7f) << shift;
      shift += 7;
      if (!(data[pos++] & 0x80))
        {
          if ((header & 1) == 0 && header >> 1 >= n && pos < length && data[pos] == 1)
            return TRUE;
          break;
        }
    }

  if (!GROW (ck, levels, n, error))
    return FALSE;
  if (!rf_pq_rle_decode (data, length, 1, ck->s->levels, n, &local))
    return chunk_fail_from (ck, error, local, "the definition levels do not decode");
  for (gsize i = 0; i < n; i++)
    present += ck->s->levels[i];
  *n_present = present;
  if (present < n)
    *levels = ck->s->levels;
  return TRUE;
}

/* Writes a page's values into rows [ck->row, ck->row + n). */
static gboolean
store_values (Chunk           *ck,
              RfPqEncoding     encoding,
              const guint8    *data,
              gsize            length,
              gsize            n,
              const guint32   *levels,
              gsize            n_present,
              GError         **error)
{
  const Field *f = ck->field;
  RfColumn *column = ck->out->column;
  gboolean strings = is_string_kind (f->kind);
  guint8 *out = NULL;
  Source src = { 0 };
  gboolean ok = FALSE;

  if (!strings)
    {
      if (levels == NULL)
        out = (guint8 *) column->values.data + ck->row * ck->elem_size;
      else if (!GROW (ck, conv, MAX (n_present, 1) * ck->elem_size, error))
        return FALSE;
      else
        out = ck->s->conv;
    }

  if (n_present == 0)
    {
      if (strings)
        for (gsize i = 0; i < n; i++)
          rf_column_append_null (column);
      else if (n > 0)
        scatter (ck, out, levels, n);
      return TRUE;
    }

  if (encoding == RF_PQ_PLAIN_DICTIONARY || encoding == RF_PQ_RLE_DICTIONARY)
    {
      g_autoptr(GError) local = NULL;

      if (!ck->has_dict)
        return chunk_corrupt (ck, error, "the page is dictionary-encoded, but the column chunk "
                              "has no dictionary page");
      if (length < 1)
        return chunk_corrupt (ck, error, "the dictionary indices are missing");
      if (!GROW (ck, indices, n_present, error))
        return FALSE;
      if (!rf_pq_rle_decode (data + 1, length - 1, data[0], ck->s->indices, n_present, &local))
        return chunk_fail_from (ck, error, local, "the dictionary indices do not decode");
      if (strings)
        return append_dictionary_strings (ck, ck->s->indices, levels, n, error);
      if (!gather_dictionary (ck, ck->s->indices, n_present, out, error))
        return FALSE;
    }
  else
    {
      if (!decode_source (ck, encoding, data, length, n_present, &src, error))
        goto out;
      if (strings)
        {
          ok = append_strings (ck, &src, levels, n, error);
          goto out;
        }
      if (!convert_values (ck, &src, n_present, out, error))
        goto out;
    }
  if (levels != NULL)
    scatter (ck, out, levels, n);
  ok = TRUE;

out:
  source_clear (&src);
  return ok;
}

/* PLAIN 8-byte values of a page without nulls, decompressed straight into
 * the column: the common case of sensor data, with no copy in between. */
static gboolean
can_decompress_into_column (Chunk        *ck,
                            RfPqEncoding  encoding,
                            gsize         n,
                            gsize         value_bytes)
{
  return encoding == RF_PQ_PLAIN && is_verbatim_kind (ck->field->kind)
      && ck->meta->codec != RF_PQ_CODEC_UNCOMPRESSED && n <= G_MAXSIZE / 8
      && value_bytes == n * 8;
}

static gboolean
decompress_into_column (Chunk         *ck,
                        const guint8  *src,
                        gsize          compressed,
                        gsize          n,
                        GError       **error)
{
  g_autoptr(GError) local = NULL;
  gint64 *dst = ck->out->column->values.i64 + ck->row;

  if (!rf_pq_decompress (ck->meta->codec, src, compressed, (guint8 *) dst, n * 8, &local))
    return chunk_fail_from (ck, error, local, "the page does not decompress");
  if (ck->field->kind == KIND_UINT64)
    check_unsigned (ck, dst, n);
  return TRUE;
}

static gboolean
read_data_page (Chunk                 *ck,
                const RfPqPageHeader  *header,
                const guint8          *page,
                GError               **error)
{
  const Field *f = ck->field;
  gboolean v2 = header->type == RF_PQ_PAGE_DATA_V2;
  gint64 n_values = v2 ? header->data_v2.num_values : header->data.num_values;
  RfPqEncoding encoding = v2 ? header->data_v2.encoding : header->data.encoding;
  gsize compressed = (gsize) header->compressed_page_size;
  gsize uncompressed = (gsize) header->uncompressed_page_size;
  const guint32 *levels = NULL;
  const guint8 *body;
  gsize n, n_present, body_length;

  if (n_values < 0 || (guint64) n_values > ck->rows_left)
    return chunk_corrupt (ck, error, "the page holds %" G_GINT64_FORMAT " values, but only %"
                          G_GSIZE_FORMAT " of the column chunk's values are left",
                          n_values, ck->rows_left);
  n = (gsize) n_values;
  n_present = n;

  if (v2)
    {
      const RfPqDataPageHeaderV2 *h2 = &header->data_v2;
      gsize rep = (gsize) h2->repetition_levels_byte_length;
      gsize def = (gsize) h2->definition_levels_byte_length;
      gsize value_compressed, value_bytes;
      g_autoptr(GError) local = NULL;

      if (rep + def > compressed || rep + def > uncompressed)
        return chunk_corrupt (ck, error, "the levels (%" G_GSIZE_FORMAT " bytes) are longer than "
                              "the page", rep + def);
      if (f->max_def > 0 && !read_levels_rle (ck, page + rep, def, n, &levels, &n_present, error))
        return FALSE;
      value_compressed = compressed - rep - def;
      value_bytes = uncompressed - rep - def;
      body = page + rep + def;
      body_length = value_bytes;
      if (!h2->is_compressed || ck->meta->codec == RF_PQ_CODEC_UNCOMPRESSED)
        {
          if (value_compressed != value_bytes)
            return chunk_corrupt (ck, error, "the page is not compressed, but its sizes differ "
                                  "(%" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT " bytes)",
                                  compressed, uncompressed);
        }
      else if (levels == NULL && can_decompress_into_column (ck, encoding, n, value_bytes))
        {
          if (!decompress_into_column (ck, body, value_compressed, n, error))
            return FALSE;
          ck->row += n;
          ck->rows_left -= n;
          return TRUE;
        }
      else if (value_compressed > 0 || value_bytes > 0)
        {
          /* A page of nulls may have no value bytes at all: nothing for
           * the codec then (an empty input is not a valid stream). */
          if (!GROW (ck, page, value_bytes, error))
            return FALSE;
          if (!rf_pq_decompress (ck->meta->codec, body, value_compressed, ck->s->page,
                                 value_bytes, &local))
            return chunk_fail_from (ck, error, local, "the page does not decompress");
          body = ck->s->page;
        }
    }
  else
    {
      const RfPqDataPageHeader *h1 = &header->data;
      gsize pos = 0;

      if (f->max_def == 0 && can_decompress_into_column (ck, encoding, n, uncompressed))
        {
          if (!decompress_into_column (ck, page, compressed, n, error))
            return FALSE;
          ck->row += n;
          ck->rows_left -= n;
          return TRUE;
        }
      if (!page_bytes (ck, page, compressed, uncompressed, &body, error))
        return FALSE;
      if (f->max_def > 0)
        {
          if (h1->definition_level_encoding == RF_PQ_RLE)
            {
              guint32 prefix;

              if (uncompressed < 4 || (prefix = read_le32 (body)) > uncompressed - 4)
                return chunk_corrupt (ck, error, "the definition levels' length does not fit "
                                      "the page");
              if (!read_levels_rle (ck, body + 4, prefix, n, &levels, &n_present, error))
                return FALSE;
              pos = 4 + (gsize) prefix;
            }
          else if (h1->definition_level_encoding == RF_PQ_BIT_PACKED)
            {
              g_autoptr(GError) local = NULL;
              gsize bytes = n / 8 + (n % 8 != 0);

              if (!GROW (ck, levels, n, error))
                return FALSE;
              if (!rf_pq_bit_packed_decode (body, uncompressed, 1, ck->s->levels, n, &local))
                return chunk_fail_from (ck, error, local, "the definition levels do not decode");
              n_present = 0;
              for (gsize i = 0; i < n; i++)
                n_present += ck->s->levels[i];
              levels = n_present < n ? ck->s->levels : NULL;
              pos = bytes;
            }
          else
            return chunk_fail (ck, error, RF_ERROR_FORMAT, "definition levels encoded as %s are "
                               "not supported", rf_pq_encoding_to_string
                                 (h1->definition_level_encoding));
        }
      body += pos;
      body_length = uncompressed - pos;
    }

  if (!store_values (ck, encoding, body, body_length, n, levels, n_present, error))
    return FALSE;
  if (ck->scan_bad)
    clear_out_of_range (ck, n);
  ck->row += n;
  ck->rows_left -= n;
  return TRUE;
}

static gboolean
read_page (Chunk   *ck,
           gsize   *pos,
           gsize    end,
           GError **error)
{
  const RfParquetFile *file = ck->file;
  g_autoptr(GError) local = NULL;
  RfPqPageHeader header = { 0 };
  gsize consumed = 0, compressed, uncompressed;
  const guint8 *page;
  gboolean ok = FALSE;

  ck->page++;
  if (*pos >= end)
    return chunk_corrupt (ck, error, "the column chunk ends after %" G_GSIZE_FORMAT " of its %"
                          G_GINT64_FORMAT " values", (gsize) ck->meta->num_values - ck->rows_left,
                          ck->meta->num_values);
  if (!rf_pq_page_header_decode (file->data + *pos, end - *pos, &header, &consumed, &local))
    return chunk_fail_from (ck, error, local, "the page header does not decode");
  *pos += consumed;
  compressed = (gsize) header.compressed_page_size;
  uncompressed = (gsize) header.uncompressed_page_size;
  if (compressed > RF_PQ_MAX_PAGE_BYTES || uncompressed > RF_PQ_MAX_PAGE_BYTES)
    {
      chunk_fail (ck, error, RF_ERROR_TOO_LARGE, "the page claims %" G_GSIZE_FORMAT " bytes (%"
                  G_GSIZE_FORMAT " compressed); Refinery reads pages of at most %" G_GSIZE_FORMAT
                  " MiB", uncompressed, compressed, RF_PQ_MAX_PAGE_BYTES >> 20);
      goto out;
    }
  if (compressed > end - *pos)
    {
      chunk_corrupt (ck, error, "the page claims %" G_GSIZE_FORMAT " bytes, but only %"
                     G_GSIZE_FORMAT " are left in the column chunk", compressed, end - *pos);
      goto out;
    }
  if (ck->meta->codec == RF_PQ_CODEC_UNCOMPRESSED && compressed != uncompressed)
    {
      chunk_corrupt (ck, error, "the page is not compressed, but its sizes differ (%"
                     G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT " bytes)", compressed, uncompressed);
      goto out;
    }
  page = file->data + *pos;
  *pos += compressed;

  switch (header.type)
    {
    case RF_PQ_PAGE_DICTIONARY:
      ok = read_dictionary_page (ck, &header, page, error);
      break;
    case RF_PQ_PAGE_DATA:
    case RF_PQ_PAGE_DATA_V2:
      ok = read_data_page (ck, &header, page, error);
      break;
    case RF_PQ_PAGE_INDEX:
    default:
      ok = TRUE;
      break;
    }

out:
  rf_pq_page_header_clear (&header);
  return ok;
}

/* Reads one column chunk into rows [row, row + its values) of the column. */
static gboolean
read_chunk (Chunk   *ck,
            GError **error)
{
  const RfParquetFile *file = ck->file;
  const RfPqColumnMetaData *meta = ck->meta;
  gint64 start = meta->data_page_offset;
  gsize pos, end;

  if (ck->rows_left == 0)
    return TRUE;
  if (!rf_pq_codec_is_supported (meta->codec))
    return chunk_fail (ck, error, RF_ERROR_FORMAT, "the column is compressed with %s, which "
                       "Refinery cannot read; write the file again with ZSTD, SNAPPY or GZIP",
                       rf_pq_codec_to_string (meta->codec));
  /* Some writers leave a bogus 0 in dictionary_page_offset; a dictionary
   * page that the offset does not announce is found by its page type. */
  if (meta->has_dictionary_page_offset && meta->dictionary_page_offset > 0
      && meta->dictionary_page_offset < start)
    start = meta->dictionary_page_offset;
  if (start < MAGIC_LENGTH || meta->total_compressed_size <= 0
      || (guint64) start > file->footer_start
      || (guint64) meta->total_compressed_size > file->footer_start - (guint64) start)
    return chunk_corrupt (ck, error, "the column chunk (%" G_GINT64_FORMAT " bytes at offset %"
                          G_GINT64_FORMAT ") does not lie in the file's data (%" G_GSIZE_FORMAT
                          " bytes); the file is damaged or truncated",
                          meta->total_compressed_size, start, file->footer_start);
  pos = (gsize) start;
  end = pos + (gsize) meta->total_compressed_size;
  while (ck->rows_left > 0)
    if (!read_page (ck, &pos, end, error))
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------------
 * Row groups: columns decoded in parallel
 */

typedef struct
{
  RfParquetFile *file;
  Output *outputs;
  guint n_outputs;
  guint row_group;
  gsize row_offset;
  GCancellable *cancellable;
  Scratch *scratch;        /* one per thread */
  gint next;               /* atomic: next output to read */
  gint stop;               /* atomic: an error or a cancel */
  GMutex lock;
  GCond done;
  guint running;           /* pool threads still working on the row group */
} Work;

static gboolean
read_output_chunk (Work     *w,
                   Output   *out,
                   Scratch  *s,
                   GError  **error)
{
  const RfPqRowGroup *rg = row_group_at (w->file, w->row_group);
  const RfPqColumnChunk *chunk = &g_array_index (rg->columns, RfPqColumnChunk,
                                                 out->field->first_leaf);
  Chunk ck = { 0 };
  gboolean ok;

  if (s->text == NULL)
    s->text = g_string_new (NULL);
  ck.file = w->file;
  ck.out = out;
  ck.field = out->field;
  ck.meta = &chunk->meta_data;
  ck.s = s;
  ck.row_group = w->row_group;
  ck.row = w->row_offset;
  ck.rows_left = (gsize) rg->num_rows;
  ck.elem_size = out->field->type == RF_COLUMN_BOOL ? 1 : 8;
  ok = read_chunk (&ck, error);
  chunk_clear (&ck);
  return ok;
}

static void
work_run (Work    *w,
          Scratch *s)
{
  for (;;)
    {
      guint i;

      if (g_atomic_int_get (&w->stop))
        break;
      if (g_cancellable_is_cancelled (w->cancellable))
        {
          g_atomic_int_set (&w->stop, 1);
          break;
        }
      i = (guint) g_atomic_int_add (&w->next, 1);
      if (i >= w->n_outputs)
        break;
      /* Columns are handed out in order, so every column before a failing
       * one is read too and the error reported is the same whatever the
       * number of threads. */
      if (!read_output_chunk (w, &w->outputs[i], s, &w->outputs[i].error))
        g_atomic_int_set (&w->stop, 1);
    }
}

static void
pool_func (gpointer data,
           gpointer user_data)
{
  Work *w = user_data;

  work_run (w, &w->scratch[GPOINTER_TO_UINT (data)]);
  g_mutex_lock (&w->lock);
  w->running--;
  g_cond_signal (&w->done);
  g_mutex_unlock (&w->lock);
}

static gboolean
read_one_row_group (Work         *w,
                    GThreadPool  *pool,
                    guint         n_threads,
                    guint         row_group,
                    gsize         row_offset,
                    GError      **error)
{
  w->row_group = row_group;
  w->row_offset = row_offset;
  g_atomic_int_set (&w->next, 0);
  g_atomic_int_set (&w->stop, 0);
  w->running = 0;
  for (guint t = 1; pool != NULL && t < n_threads; t++)
    {
      g_mutex_lock (&w->lock);
      w->running++;
      g_mutex_unlock (&w->lock);
      if (!g_thread_pool_push (pool, GUINT_TO_POINTER (t), NULL))
        {
          /* No thread: this one does the work. */
          g_mutex_lock (&w->lock);
          w->running--;
          g_mutex_unlock (&w->lock);
        }
    }
  work_run (w, &w->scratch[0]);
  g_mutex_lock (&w->lock);
  while (w->running > 0)
    g_cond_wait (&w->done, &w->lock);
  g_mutex_unlock (&w->lock);

  for (guint i = 0; i < w->n_outputs; i++)
    if (w->outputs[i].error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&w->outputs[i].error));
        for (guint j = i + 1; j < w->n_outputs; j++)
          g_clear_error (&w->outputs[j].error);
        return FALSE;
      }
  return !g_cancellable_set_error_if_cancelled (w->cancellable, error);
}

static RfColumn *
new_output_column (const Field *field,
                   gsize        n_rows)
{
  RfColumn *column = rf_column_new (field->name, field->type);

  if (field->type == RF_COLUMN_STRING)
    rf_column_reserve (column, n_rows, 0);
  else
    rf_column_append_zeros (column, n_rows);
  return column;
}

/* A column of unsigned 64-bit values, some above G_MAXINT64, as doubles. */
static RfColumn *
unsigned_to_double (const RfColumn *column)
{
  RfColumn *result = rf_column_new (column->name, RF_COLUMN_DOUBLE);

  rf_column_reserve (result, column->n_rows, 0);
  for (gsize i = 0; i < column->n_rows; i++)
    if (rf_column_is_valid (column, i))
      rf_column_append_double (result, (double) (guint64) column->values.i64[i]);
    else
      rf_column_append_null (result);
  return result;
}

static void
finish_output (Output       *out,
               RfReadReport *report)
{
  const Field *field = out->field;

  if (field->type != RF_COLUMN_STRING)
    rf_column_recount_missing (out->column);
  if (out->big_unsigned)
    {
      RfColumn *doubles = unsigned_to_double (out->column);

      rf_column_unref (out->column);
      out->column = doubles;
      if (report != NULL)
        rf_read_report_add_warning (report, "Column “%s” holds unsigned 64-bit values above %"
                                    G_GINT64_FORMAT "; it was read as DOUBLE (values above 2^53 "
                                    "are rounded)", field->name, G_MAXINT64);
    }
  if (field->unit != NULL)
    rf_column_set_unit (out->column, field->unit);
  if (field->has_role)
    rf_column_set_role (out->column, field->role);
  if (report == NULL)
    return;
  if (out->n_not_utf8 > 0)
    rf_read_report_add_warning (report, "Column “%s”: %" G_GSIZE_FORMAT " value%s not valid "
                                "UTF-8; %s invalid bytes are written as \\xHH", field->name,
                                out->n_not_utf8, out->n_not_utf8 == 1 ? " is" : "s are",
                                out->n_not_utf8 == 1 ? "its" : "their");
  if (out->n_out_of_range > 0)
    rf_read_report_add_warning (report, "Column “%s”: %" G_GSIZE_FORMAT " timestamp%s outside "
                                "the range Refinery holds (about 290,000 years around 1970) and "
                                "%s read as missing", field->name, out->n_out_of_range,
                                out->n_out_of_range == 1 ? " is" : "s are",
                                out->n_out_of_range == 1 ? "was" : "were");
}

static void
outputs_free (Output *outputs,
              guint   n)
{
  for (guint i = 0; i < n; i++)
    {
      g_clear_pointer (&outputs[i].column, rf_column_unref);
      g_clear_error (&outputs[i].error);
    }
  g_free (outputs);
}

static int
find_field (const RfParquetFile *file,
            const char          *name)
{
  for (guint i = 0; i < file->n_fields; i++)
    if (strcmp (file->fields[i].name, name) == 0)
      return (int) i;
  return -1;
}

static gboolean
refuse_field (const RfParquetFile  *file,
              const Field          *field,
              GError              **error)
{
  g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
               "“%s”: column “%s” cannot be read: %s. Refinery reads flat tables: flatten the "
               "column before exporting, leave it out, or ask for unsupported columns to be "
               "skipped", file->display, field->name, field->unsupported);
  return FALSE;
}

/* The fields to read, in table order (indices into file->fields). */
static GArray *
select_fields (const RfParquetFile         *file,
               const RfParquetReadOptions  *options,
               GPtrArray                   *warnings,
               GError                     **error)
{
  g_autoptr(GArray) selected = g_array_new (FALSE, FALSE, sizeof (guint));

  if (options != NULL && options->columns != NULL)
    {
      for (guint i = 0; options->columns[i] != NULL; i++)
        {
          const char *name = options->columns[i];
          int index = find_field (file, name);

          if (index < 0)
            {
              g_autoptr(GString) names = g_string_new (NULL);

              for (guint k = 0; k < file->n_fields; k++)
                g_string_append_printf (names, "%s“%s”", k > 0 ? ", " : "",
                                        file->fields[k].name);
              g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                           "“%s” has no column “%s”; its columns are %s", file->display, name,
                           file->n_fields > 0 ? names->str : "(none)");
              return NULL;
            }
          for (guint k = 0; k < selected->len; k++)
            if (g_array_index (selected, guint, k) == (guint) index)
              {
                g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                             "Column “%s” of “%s” was asked for twice", name, file->display);
                return NULL;
              }
          if (file->fields[index].unsupported != NULL)
            {
              refuse_field (file, &file->fields[index], error);
              return NULL;
            }
          g_array_append_val (selected, index);
        }
    }
  else
    {
      for (guint i = 0; i < file->n_fields; i++)
        {
          const Field *field = &file->fields[i];

          if (field->unsupported == NULL)
            g_array_append_val (selected, i);
          else if (options != NULL && options->skip_unsupported)
            g_ptr_array_add (warnings, g_strdup_printf ("Column “%s” was skipped: %s", field->name,
                                                        field->unsupported));
          else
            {
              refuse_field (file, field, error);
              return NULL;
            }
        }
    }
  if (selected->len == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY, "“%s” has no column Refinery can read",
                   file->display);
      return NULL;
    }
  return g_steal_pointer (&selected);
}

/* Reads row groups [first, first + count) into one table. */
static RfTable *
read_row_groups (RfParquetFile               *file,
                 guint                        first,
                 guint                        count,
                 const RfParquetReadOptions  *options,
                 RfReadReport                *report,
                 RfProgress                  *progress,
                 GCancellable                *cancellable,
                 GError                     **error)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) selected = NULL;
  g_autoptr(RfTable) table = NULL;
  gsize max_rows = options != NULL && options->max_rows > 0 ? options->max_rows
                                                            : RF_DEFAULT_MAX_ROWS;
  GThreadPool *pool = NULL;
  Output *outputs;
  Work work = { 0 };
  guint64 total = 0;
  gsize row = 0;
  guint n_threads;
  gboolean ok = TRUE;

  selected = select_fields (file, options, warnings, error);
  if (selected == NULL)
    return NULL;
  for (guint g = first; g < first + count; g++)
    total += (guint64) row_group_at (file, g)->num_rows;
  if (total > max_rows)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "“%s” has %" G_GUINT64_FORMAT " rows, more than the limit of %" G_GSIZE_FORMAT
                   "; split the file, or raise the row limit in the preferences (--max-rows on "
                   "the command line)", file->display, total, max_rows);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  outputs = g_new0 (Output, selected->len);
  for (guint i = 0; i < selected->len; i++)
    {
      outputs[i].field = &file->fields[g_array_index (selected, guint, i)];
      outputs[i].column = new_output_column (outputs[i].field, (gsize) total);
    }

  n_threads = CLAMP (g_get_num_processors (), 1, MAX_THREADS);
  n_threads = MIN (n_threads, selected->len);
  if (n_threads > 1)
    pool = g_thread_pool_new (pool_func, &work, (int) n_threads - 1, FALSE, NULL);
  if (pool == NULL)
    n_threads = 1;
  work.file = file;
  work.outputs = outputs;
  work.n_outputs = selected->len;
  work.cancellable = cancellable;
  work.scratch = g_new0 (Scratch, n_threads);
  g_mutex_init (&work.lock);
  g_cond_init (&work.done);

  rf_progress_report (progress, 0.0, NULL);
  for (guint g = first; ok && g < first + count; g++)
    {
      gsize rows = (gsize) row_group_at (file, g)->num_rows;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
      else
        ok = read_one_row_group (&work, pool, n_threads, g, row, error);
      row += rows;
      rf_progress_report (progress, total > 0 ? (double) row / (double) total
                                              : (double) (g - first + 1) / count, NULL);
    }

  if (pool != NULL)
    g_thread_pool_free (pool, FALSE, TRUE);
  for (guint t = 0; t < n_threads; t++)
    scratch_clear (&work.scratch[t]);
  g_free (work.scratch);
  g_mutex_clear (&work.lock);
  g_cond_clear (&work.done);
  if (!ok)
    {
      outputs_free (outputs, selected->len);
      return NULL;
    }

  if (report != NULL)
    {
      report->format = RF_FORMAT_PARQUET;
      g_ptr_array_set_size (report->columns, 0);
      for (guint i = 0; i < file->warnings->len; i++)
        rf_read_report_add_warning (report, "%s", (const char *) g_ptr_array_index (file->warnings, i));
      for (guint i = 0; i < warnings->len; i++)
        rf_read_report_add_warning (report, "%s", (const char *) g_ptr_array_index (warnings, i));
    }
  table = rf_table_new ();
  for (guint i = 0; i < selected->len; i++)
    {
      g_autofree char *name = NULL;

      finish_output (&outputs[i], report);
      name = rf_table_unique_name (table, outputs[i].field->name, i);
      rf_column_set_name (outputs[i].column, name);
      rf_table_add_column (table, outputs[i].column);
      if (report != NULL)
        rf_read_report_add_column (report, name, outputs[i].column->type);
    }
  if (report != NULL)
    report->n_rows = (gsize) total;
  outputs_free (outputs, selected->len);
  rf_progress_report (progress, 1.0, NULL);
  return g_steal_pointer (&table);
}

RfTable *
rf_parquet_file_read_row_group (RfParquetFile               *file,
                                guint                        row_group,
                                const RfParquetReadOptions  *options,
                                RfReadReport                *report,
                                GCancellable                *cancellable,
                                GError                     **error)
{
  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (row_group < rf_parquet_file_get_n_row_groups (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return read_row_groups (file, row_group, 1, options, report, NULL, cancellable, error);
}

RfTable *
rf_parquet_file_read (RfParquetFile               *file,
                      const RfParquetReadOptions  *options,
                      RfReadReport                *report,
                      RfProgress                  *progress,
                      GCancellable                *cancellable,
                      GError                     **error)
{
  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return read_row_groups (file, 0, rf_parquet_file_get_n_row_groups (file), options, report,
                          progress, cancellable, error);
}

RfTable *
rf_parquet_read (const char           *path,
                 const RfReadOptions  *options,
                 RfReadReport         *report,
                 RfProgress           *progress,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autoptr(RfParquetFile) file = NULL;
  g_autofree char *display = NULL;
  RfParquetReadOptions read_options = { 0 };
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, RF_ERROR, saved == ENOENT ? RF_ERROR_NOT_FOUND : RF_ERROR_IO,
                   "Cannot open “%s”: %s", display, g_strerror (saved));
      return NULL;
    }
  if (!rf_format_check_size (RF_FORMAT_PARQUET, display, (guint64) st.st_size,
                             options != NULL ? options->max_bytes : 0, error))
    return NULL;
  file = rf_parquet_file_open (path, error);
  if (file == NULL)
    return NULL;
  read_options.max_rows = options != NULL ? options->max_rows : 0;
  return rf_parquet_file_read (file, &read_options, report, progress, cancellable, error);
}

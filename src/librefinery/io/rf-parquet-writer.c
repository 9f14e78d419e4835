#define G_LOG_DOMAIN "rf-parquet-writer"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "rf-atomic-file.h"
#include "rf-error.h"
#include "rf-json-build.h"
#include "rf-parquet-codec.h"
#include "rf-parquet-encoding.h"
#include "rf-parquet-writer.h"

/* PLAIN values are the column arrays' own bytes (memcpy'd or compressed in
 * place), which are little-endian only on little-endian machines. */
G_STATIC_ASSERT (G_BYTE_ORDER == G_LITTLE_ENDIAN);

static const guint8 magic[4] = { 'P', 'A', 'R', '1' };

/* A data page holds at most this many rows (1 MiB of doubles), and a page
 * of PLAIN strings is closed once its values pass PAGE_BYTES. */
#define PAGE_BYTES ((gsize) 1 << 20)
#define PAGE_ROWS (PAGE_BYTES / 8)

/* Strings fall back to PLAIN when their dictionary page would pass 1 MiB or
 * hold more entries than this (indices would no longer be small). */
#define DICTIONARY_MAX_BYTES ((gsize) 1 << 20)
#define DICTIONARY_MAX_ENTRIES ((gsize) 1 << 16)

/* Longer string minima and maxima are left out of the statistics rather
 * than bloat the footer (as parquet-mr does). */
#define STATISTICS_MAX_BYTES 4096

#define SCHEMA_KEY "refinery.schema"

/* ---- Output: a file or memory ------------------------------------------ */

typedef struct
{
  RfAtomicFile *file;           /* NULL: into memory */
  GByteArray *memory;
  guint64 offset;               /* bytes written so far */
} Sink;

static gboolean
sink_write (Sink        *sink,
            const void  *data,
            gsize        length,
            GError     **error)
{
  if (length == 0)
    return TRUE;
  if (sink->file != NULL)
    {
      if (!rf_atomic_file_write (sink->file, data, length, error))
        return FALSE;
    }
  else
    {
      if (length > G_MAXUINT - sink->memory->len)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                       "The Parquet file does not fit in memory (over 4 GiB); write it to a file");
          return FALSE;
        }
      g_byte_array_append (sink->memory, data, (guint) length);
    }
  sink->offset += length;
  return TRUE;
}

/* ---- Columns ------------------------------------------------------------ */

typedef struct
{
  const RfColumn *column;
  RfPqType type;
  gboolean optional;            /* has missing values: definition levels */
} ColumnPlan;

static RfPqType
physical_type (RfColumnType type)
{
  switch (type)
    {
    case RF_COLUMN_DOUBLE:
      return RF_PQ_DOUBLE;
    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      return RF_PQ_INT64;
    case RF_COLUMN_BOOL:
      return RF_PQ_BOOLEAN;
    case RF_COLUMN_STRING:
      return RF_PQ_BYTE_ARRAY;
    default:
      g_assert_not_reached ();
    }
}

static void
append_schema_element (GArray           *schema,
                       const ColumnPlan *plan)
{
  RfPqSchemaElement element;

  rf_pq_schema_element_init (&element);
  element.name = g_strdup (plan->column->name);
  element.has_type = TRUE;
  element.type = plan->type;
  element.has_repetition = TRUE;
  element.repetition = plan->optional ? RF_PQ_OPTIONAL : RF_PQ_REQUIRED;
  /* The logical type for current readers, the converted type for older
   * ones. */
  switch (plan->column->type)
    {
    case RF_COLUMN_STRING:
      element.converted = RF_PQ_CONVERTED_UTF8;
      element.logical.kind = RF_PQ_LOGICAL_STRING;
      break;
    case RF_COLUMN_TIMESTAMP:
      element.converted = RF_PQ_CONVERTED_TIMESTAMP_MICROS;
      element.logical.kind = RF_PQ_LOGICAL_TIMESTAMP;
      element.logical.adjusted_to_utc = TRUE;
      element.logical.unit = RF_PQ_UNIT_MICROS;
      break;
    default:
      break;
    }
  g_array_append_val (schema, element);
}

static char *
schema_json (const RfTable *table)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint c = 0; c < rf_table_get_n_columns (table); c++)
    {
      const RfColumn *column = rf_table_get_column (table, c);

      json_builder_begin_object (builder);
      rf_json_add_string (builder, "name", column->name);
      rf_json_add_string (builder, "type", rf_column_type_to_string (column->type));
      rf_json_add_string (builder, "unit", column->unit);
      rf_json_add_string (builder, "role", rf_column_role_to_string (column->role));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static inline gboolean
is_valid (const guint8 *validity,
          gsize         row)
{
  return validity == NULL || (validity[row >> 3] >> (row & 7)) & 1;
}

/* ---- Encoding one column chunk -------------------------------------------
 *
 * A worker turns rows [start, start + n) of one column into the bytes of a
 * column chunk (dictionary page, then data pages, each header + compressed
 * body) with everything its ColumnMetaData needs but the file offsets. */

typedef struct
{
  GByteArray *bytes;            /* kept from one row group to the next */
  gsize dictionary_length;      /* bytes of the dictionary page; 0: none */
  gint64 uncompressed_size;     /* headers + uncompressed bodies */
  RfPqStatistics statistics;
  GError *error;
} ChunkResult;

static void
chunk_result_clear (ChunkResult *result)
{
  g_clear_pointer (&result->bytes, g_byte_array_unref);
  rf_pq_statistics_clear (&result->statistics);
  g_clear_error (&result->error);
}

/* One worker's buffers, reused from page to page and chunk to chunk. */
typedef struct
{
  GByteArray *body;             /* an uncompressed page body */
  GByteArray *compressed;
  GByteArray *header;
  guint32 *u32;                 /* levels, then dictionary indices */
  gsize u32_capacity;
  guint32 *indices;             /* dictionary index of every row of a chunk */
  gsize indices_capacity;
  guint32 *slots;               /* dictionary hash table: entry + 1, 0 free */
  gsize n_slots;
} Scratch;

static void
scratch_init (Scratch *scratch)
{
  memset (scratch, 0, sizeof *scratch);
  scratch->body = g_byte_array_sized_new (PAGE_BYTES + 4096);
  scratch->compressed = g_byte_array_new ();
  scratch->header = g_byte_array_sized_new (64);
}

static void
scratch_clear (Scratch *scratch)
{
  g_clear_pointer (&scratch->body, g_byte_array_unref);
  g_clear_pointer (&scratch->compressed, g_byte_array_unref);
  g_clear_pointer (&scratch->header, g_byte_array_unref);
  g_clear_pointer (&scratch->u32, g_free);
  g_clear_pointer (&scratch->indices, g_free);
  g_clear_pointer (&scratch->slots, g_free);
}

static guint32 *
scratch_u32 (Scratch *scratch,
             gsize    n)
{
  if (n > scratch->u32_capacity)
    {
      g_free (scratch->u32);
      scratch->u32_capacity = MAX (n, (gsize) 1024);
      scratch->u32 = g_new (guint32, scratch->u32_capacity);
    }
  return scratch->u32;
}

typedef struct
{
  const ColumnPlan *plan;
  gsize start;                  /* first row of the chunk */
  gsize n_rows;
  RfPqCodec codec;
  int level;
  gboolean dictionary;
  ChunkResult *result;
  Scratch *scratch;
} Chunk;

/* Besides a codec's own errors, what can go wrong in a chunk is a size
 * that Parquet (or a GByteArray) cannot hold. */
static gboolean
too_large (GError    **error,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static gboolean
too_large (GError    **error,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE, "%s", message);
  return FALSE;
}

/* Grows a byte array by length bytes and returns where they start; FALSE
 * when a GByteArray cannot hold that much. */
static gboolean
grow (GByteArray *array,
      gsize       length,
      guint8    **out)
{
  guint old = array->len;

  if (length > G_MAXUINT - old)
    return FALSE;
  g_byte_array_set_size (array, old + (guint) length);
  *out = array->data + old;
  return TRUE;
}

/* The same for page bodies, whose size is bounded by PAGE_ROWS. */
static guint8 *
extend (GByteArray *array,
        gsize       length)
{
  guint old = array->len;

  g_assert (length <= G_MAXUINT - old);
  g_byte_array_set_size (array, old + (guint) length);
  return array->data + old;
}

static inline void
put_u32_le (guint8  *p,
            guint32  value)
{
  value = GUINT32_TO_LE (value);
  memcpy (p, &value, 4);
}

/* The v1 definition levels of rows [row, row + n): a 4-byte length, then
 * the RLE / bit-packed hybrid of 0 (missing) and 1 (present). */
static void
append_levels (Chunk      *chunk,
               gsize       row,
               gsize       n,
               GByteArray *body)
{
  const guint8 *validity = chunk->plan->column->validity;
  guint32 *levels = scratch_u32 (chunk->scratch, n);
  guint length_at = body->len;
  guint8 *length;

  for (gsize i = 0; i < n; i++)
    levels[i] = is_valid (validity, row + i);
  g_byte_array_set_size (body, length_at + 4);
  rf_pq_rle_encode (levels, n, 1, body);
  length = body->data + length_at;
  put_u32_le (length, body->len - length_at - 4);
}

/* Compresses one page body and appends header + compressed bytes to the
 * chunk. */
static gboolean
emit_page (Chunk          *chunk,
           RfPqPageHeader *header,
           const guint8   *body,
           gsize           body_length,
           GError        **error)
{
  ChunkResult *result = chunk->result;
  GByteArray *compressed = chunk->scratch->compressed;
  GByteArray *header_bytes = chunk->scratch->header;
  const guint8 *payload = body;
  gsize payload_length = body_length;
  guint8 *dst;

  if (body_length > G_MAXINT32)
    return too_large (error, "a page of %" G_GSIZE_FORMAT " bytes is larger than "
                      "Parquet allows (2 GiB)", body_length);
  if (chunk->codec != RF_PQ_CODEC_UNCOMPRESSED)
    {
      g_byte_array_set_size (compressed, 0);
      if (!rf_pq_compress (chunk->codec, chunk->level, body, body_length, compressed, error))
        return FALSE;
      payload = compressed->data;
      payload_length = compressed->len;
      if (payload_length > G_MAXINT32)
        return too_large (error, "a compressed page of %" G_GSIZE_FORMAT " bytes is "
                          "larger than Parquet allows (2 GiB)", payload_length);
    }
  header->uncompressed_page_size = (gint32) body_length;
  header->compressed_page_size = (gint32) payload_length;
  g_byte_array_set_size (header_bytes, 0);
  rf_pq_page_header_encode (header, header_bytes);

  if (!grow (result->bytes, header_bytes->len + payload_length, &dst))
    return too_large (error, "the column chunk passes 4 GiB; write smaller row groups");
  memcpy (dst, header_bytes->data, header_bytes->len);
  if (payload_length > 0)
    memcpy (dst + header_bytes->len, payload, payload_length);
  result->uncompressed_size += header_bytes->len + body_length;
  return TRUE;
}

static gboolean
emit_data_page (Chunk         *chunk,
                gsize          n_values,
                RfPqEncoding   encoding,
                const guint8  *body,
                gsize          body_length,
                GError       **error)
{
  RfPqPageHeader header = { 0 };

  header.type = RF_PQ_PAGE_DATA;
  header.data.num_values = (gint32) n_values;
  header.data.encoding = encoding;
  header.data.definition_level_encoding = RF_PQ_RLE;
  header.data.repetition_level_encoding = RF_PQ_RLE;
  return emit_page (chunk, &header, body, body_length, error);
}

/* Values of 8 bytes: DOUBLE, INT64, TIMESTAMP. Without missing values the
 * page body is the column's own memory. */
static gboolean
encode_fixed8 (Chunk   *chunk,
               GError **error)
{
  const RfColumn *column = chunk->plan->column;
  const guint8 *values = (const guint8 *) column->values.data;
  GByteArray *body = chunk->scratch->body;

  for (gsize done = 0; done < chunk->n_rows; )
    {
      gsize row = chunk->start + done;
      gsize n = MIN (chunk->n_rows - done, PAGE_ROWS);

      if (!chunk->plan->optional)
        {
          if (!emit_data_page (chunk, n, RF_PQ_PLAIN, values + row * 8, n * 8, error))
            return FALSE;
        }
      else
        {
          const guint8 *validity = column->validity;
          guint8 *dst;

          g_byte_array_set_size (body, 0);
          append_levels (chunk, row, n, body);
          dst = extend (body, n * 8);
          for (gsize i = row; i < row + n; i++)
            if (is_valid (validity, i))
              {
                memcpy (dst, values + i * 8, 8);
                dst += 8;
              }
          g_byte_array_set_size (body, (guint) (dst - body->data));
          if (!emit_data_page (chunk, n, RF_PQ_PLAIN, body->data, body->len, error))
            return FALSE;
        }
      done += n;
    }
  return TRUE;
}

static gboolean
encode_bool (Chunk   *chunk,
             GError **error)
{
  const RfColumn *column = chunk->plan->column;
  GByteArray *body = chunk->scratch->body;

  for (gsize done = 0; done < chunk->n_rows; )
    {
      gsize row = chunk->start + done;
      gsize n = MIN (chunk->n_rows - done, PAGE_ROWS);
      gsize bit = 0;
      guint8 *dst;

      g_byte_array_set_size (body, 0);
      if (chunk->plan->optional)
        append_levels (chunk, row, n, body);
      dst = extend (body, (n + 7) / 8);
      memset (dst, 0, (n + 7) / 8);
      /* PLAIN BOOLEAN: the present values one bit each, LSB first. */
      for (gsize i = row; i < row + n; i++)
        if (is_valid (column->validity, i))
          {
            dst[bit >> 3] |= (guint8) ((column->values.u8[i] != 0) << (bit & 7));
            bit++;
          }
      g_byte_array_set_size (body, (guint) (dst - body->data + (bit + 7) / 8));
      if (!emit_data_page (chunk, n, RF_PQ_PLAIN, body->data, body->len, error))
        return FALSE;
      done += n;
    }
  return TRUE;
}

static inline const guint8 *
string_at (const RfColumn *column,
           gsize           row,
           gsize          *length)
{
  *length = column->offsets[row + 1] - column->offsets[row];
  /* A column of empty strings may have no bytes at all. */
  if (column->bytes == NULL)
    return (const guint8 *) "";
  return (const guint8 *) column->bytes + column->offsets[row];
}

/* Appends a PLAIN BYTE_ARRAY value (4-byte length + bytes). */
static gboolean
append_byte_array (GByteArray   *body,
                   const guint8 *value,
                   gsize         length,
                   GError      **error)
{
  guint8 *dst;

  if (length > G_MAXINT32 || !grow (body, 4 + length, &dst))
    return too_large (error, "a string of %" G_GSIZE_FORMAT " bytes is larger than "
                      "a Parquet page can hold", length);
  put_u32_le (dst, (guint32) length);
  if (length > 0)
    memcpy (dst + 4, value, length);
  return TRUE;
}

static gboolean
encode_plain_strings (Chunk   *chunk,
                      GError **error)
{
  const RfColumn *column = chunk->plan->column;
  GByteArray *body = chunk->scratch->body;
  gsize end = chunk->start + chunk->n_rows;

  for (gsize row = chunk->start; row < end; )
    {
      gsize n = 0, value_bytes = 0;

      /* A page holds at most PAGE_ROWS rows and stops once its values
       * pass PAGE_BYTES. */
      while (row + n < end && n < PAGE_ROWS && value_bytes < PAGE_BYTES)
        {
          if (is_valid (column->validity, row + n))
            value_bytes += 4 + column->offsets[row + n + 1] - column->offsets[row + n];
          n++;
        }
      g_byte_array_set_size (body, 0);
      if (chunk->plan->optional)
        append_levels (chunk, row, n, body);
      for (gsize i = row; i < row + n; i++)
        if (is_valid (column->validity, i))
          {
            gsize length;
            const guint8 *value = string_at (column, i, &length);

            if (!append_byte_array (body, value, length, error))
              return FALSE;
          }
      if (!emit_data_page (chunk, n, RF_PQ_PLAIN, body->data, body->len, error))
        return FALSE;
      row += n;
    }
  return TRUE;
}

/* A 64-bit multiply-xorshift hash over 8-byte words: strings here are
 * short, and the table only needs a good spread of the low bits. */
static inline guint64
hash_bytes (const guint8 *data,
            gsize         length)
{
  guint64 h = 0x9e3779b97f4a7c15u ^ (length * 0xff51afd7ed558ccdu);
  gsize i = 0;

  for (; i + 8 <= length; i += 8)
    {
      guint64 word;

      memcpy (&word, data + i, 8);
      h = (h ^ word) * 0xc4ceb9fe1a85ec53u;
      h ^= h >> 29;
    }
  if (i < length)
    {
      guint64 word = 0;

      memcpy (&word, data + i, length - i);
      h = (h ^ word) * 0xc4ceb9fe1a85ec53u;
    }
  h ^= h >> 32;
  h *= 0xff51afd7ed558ccdu;
  h ^= h >> 29;
  return h;
}

/* The dictionary of one string chunk: entries in first-seen order, each
 * the row where it first appears. */
typedef struct
{
  gsize *rows;
  gsize n_entries;
  gsize page_bytes;             /* PLAIN size of the dictionary page */
} Dictionary;

static void
dictionary_clear (Dictionary *dictionary)
{
  g_clear_pointer (&dictionary->rows, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Dictionary, dictionary_clear)

static gboolean
slot_matches (const RfColumn *column,
              gsize           entry_row,
              const guint8   *value,
              gsize           length)
{
  gsize entry_length;
  const guint8 *entry = string_at (column, entry_row, &entry_length);

  return entry_length == length && (length == 0 || memcmp (entry, value, length) == 0);
}

static void
rehash (Scratch          *scratch,
        const Dictionary *dictionary,
        const RfColumn   *column,
        gsize             n_slots)
{
  gsize mask = n_slots - 1;

  g_free (scratch->slots);
  scratch->slots = g_new0 (guint32, n_slots);
  scratch->n_slots = n_slots;
  for (gsize e = 0; e < dictionary->n_entries; e++)
    {
      gsize length;
      const guint8 *value = string_at (column, dictionary->rows[e], &length);
      gsize s = hash_bytes (value, length) & mask;

      while (scratch->slots[s] != 0)
        s = (s + 1) & mask;
      scratch->slots[s] = (guint32) e + 1;
    }
}

/* Fills scratch->indices with the dictionary index of every present row;
 * FALSE when the dictionary grows past its limits (the chunk is then
 * written PLAIN). */
static gboolean
build_dictionary (Chunk      *chunk,
                  Dictionary *dictionary)
{
  const RfColumn *column = chunk->plan->column;
  Scratch *scratch = chunk->scratch;
  gsize capacity = 1024;
  gsize mask;

  if (chunk->n_rows > scratch->indices_capacity)
    {
      g_free (scratch->indices);
      scratch->indices_capacity = chunk->n_rows;
      scratch->indices = g_new (guint32, chunk->n_rows);
    }
  dictionary->rows = g_new (gsize, capacity);
  dictionary->n_entries = 0;
  dictionary->page_bytes = 0;
  /* Slots stay at most half full. */
  rehash (scratch, dictionary, column, 2048);
  mask = scratch->n_slots - 1;

  for (gsize i = 0; i < chunk->n_rows; i++)
    {
      gsize row = chunk->start + i;
      gsize length, s;
      const guint8 *value;
      guint32 entry;

      if (!is_valid (column->validity, row))
        {
          scratch->indices[i] = 0;
          continue;
        }
      value = string_at (column, row, &length);
      s = hash_bytes (value, length) & mask;
      while ((entry = scratch->slots[s]) != 0 &&
             !slot_matches (column, dictionary->rows[entry - 1], value, length))
        s = (s + 1) & mask;
      if (entry == 0)
        {
          if (dictionary->n_entries == DICTIONARY_MAX_ENTRIES ||
              dictionary->page_bytes + 4 + length > DICTIONARY_MAX_BYTES)
            return FALSE;
          if (dictionary->n_entries == capacity)
            {
              capacity *= 2;
              dictionary->rows = g_renew (gsize, dictionary->rows, capacity);
            }
          dictionary->rows[dictionary->n_entries++] = row;
          dictionary->page_bytes += 4 + length;
          entry = (guint32) dictionary->n_entries;
          scratch->slots[s] = entry;
          if (dictionary->n_entries * 2 > scratch->n_slots)
            {
              rehash (scratch, dictionary, column, scratch->n_slots * 2);
              mask = scratch->n_slots - 1;
            }
        }
      scratch->indices[i] = entry - 1;
    }
  return TRUE;
}

static gboolean
encode_dictionary_strings (Chunk            *chunk,
                           const Dictionary *dictionary,
                           GError          **error)
{
  const RfColumn *column = chunk->plan->column;
  Scratch *scratch = chunk->scratch;
  GByteArray *body = scratch->body;
  RfPqPageHeader header = { 0 };
  /* One entry still takes one bit: some readers do not take width 0. */
  guint bit_width = MAX (rf_pq_bit_width (dictionary->n_entries - 1), 1u);

  g_byte_array_set_size (body, 0);
  for (gsize e = 0; e < dictionary->n_entries; e++)
    {
      gsize length;
      const guint8 *value = string_at (column, dictionary->rows[e], &length);

      if (!append_byte_array (body, value, length, error))
        return FALSE;
    }
  header.type = RF_PQ_PAGE_DICTIONARY;
  header.dictionary.num_values = (gint32) dictionary->n_entries;
  header.dictionary.encoding = RF_PQ_PLAIN;
  if (!emit_page (chunk, &header, body->data, body->len, error))
    return FALSE;
  chunk->result->dictionary_length = chunk->result->bytes->len;

  for (gsize done = 0; done < chunk->n_rows; )
    {
      gsize row = chunk->start + done;
      gsize n = MIN (chunk->n_rows - done, PAGE_ROWS);
      const guint32 *indices = scratch->indices + done;
      gsize n_present = n;
      guint8 width_byte;

      g_byte_array_set_size (body, 0);
      if (chunk->plan->optional)
        {
          guint32 *present;

          append_levels (chunk, row, n, body);
          /* Levels are encoded: their scratch now holds the indices of the
           * present rows. */
          present = scratch_u32 (scratch, n);
          n_present = 0;
          for (gsize i = 0; i < n; i++)
            if (is_valid (column->validity, row + i))
              present[n_present++] = indices[i];
          indices = present;
        }
      width_byte = (guint8) bit_width;
      g_byte_array_append (body, &width_byte, 1);
      rf_pq_rle_encode (indices, n_present, bit_width, body);
      if (!emit_data_page (chunk, n, RF_PQ_RLE_DICTIONARY, body->data, body->len, error))
        return FALSE;
      done += n;
    }
  return TRUE;
}

/* ---- Statistics --------------------------------------------------------- */

static void
set_min_max (RfPqStatistics *statistics,
             const void     *min,
             gsize           min_length,
             const void     *max,
             gsize           max_length)
{
  statistics->min = g_bytes_new (min, min_length);
  statistics->max = g_bytes_new (max, max_length);
}

static void
statistics_double (Chunk *chunk)
{
  const RfColumn *column = chunk->plan->column;
  const double *values = column->values.f64 + chunk->start;
  double lo = INFINITY, hi = -INFINITY;

  /* NaN compares false both ways, so it never becomes the min or max. */
  if (column->validity == NULL)
    {
      for (gsize i = 0; i < chunk->n_rows; i++)
        {
          lo = values[i] < lo ? values[i] : lo;
          hi = values[i] > hi ? values[i] : hi;
        }
    }
  else
    {
      for (gsize i = 0; i < chunk->n_rows; i++)
        if (is_valid (column->validity, chunk->start + i))
          {
            lo = values[i] < lo ? values[i] : lo;
            hi = values[i] > hi ? values[i] : hi;
          }
    }
  /* Nothing but NaN and missing values: no min or max. */
  if (!(lo <= hi))
    return;
  /* -0.0 and +0.0 compare equal: the spec wants the widest pair. */
  if (lo == 0.0)
    lo = -0.0;
  if (hi == 0.0)
    hi = 0.0;
  set_min_max (&chunk->result->statistics, &lo, 8, &hi, 8);
}

static void
statistics_int64 (Chunk *chunk)
{
  const RfColumn *column = chunk->plan->column;
  const gint64 *values = column->values.i64 + chunk->start;
  gint64 lo = G_MAXINT64, hi = G_MININT64;
  gboolean any = FALSE;

  if (column->validity == NULL)
    {
      for (gsize i = 0; i < chunk->n_rows; i++)
        {
          lo = values[i] < lo ? values[i] : lo;
          hi = values[i] > hi ? values[i] : hi;
        }
      any = chunk->n_rows > 0;
    }
  else
    {
      for (gsize i = 0; i < chunk->n_rows; i++)
        if (is_valid (column->validity, chunk->start + i))
          {
            lo = values[i] < lo ? values[i] : lo;
            hi = values[i] > hi ? values[i] : hi;
            any = TRUE;
          }
    }
  if (any)
    set_min_max (&chunk->result->statistics, &lo, 8, &hi, 8);
}

static void
statistics_bool (Chunk *chunk)
{
  const RfColumn *column = chunk->plan->column;
  gboolean seen[2] = { FALSE, FALSE };

  for (gsize i = chunk->start; i < chunk->start + chunk->n_rows && !(seen[0] && seen[1]); i++)
    if (is_valid (column->validity, i))
      seen[column->values.u8[i] != 0] = TRUE;
  if (seen[0] || seen[1])
    {
      guint8 lo = seen[0] ? 0 : 1;
      guint8 hi = seen[1] ? 1 : 0;

      set_min_max (&chunk->result->statistics, &lo, 1, &hi, 1);
    }
}

/* Unsigned bytewise order, a prefix before its extensions. */
static int
compare_bytes (const guint8 *a,
               gsize         a_length,
               const guint8 *b,
               gsize         b_length)
{
  gsize common = MIN (a_length, b_length);
  int c = common > 0 ? memcmp (a, b, common) : 0;

  if (c != 0)
    return c;
  return a_length < b_length ? -1 : a_length > b_length;
}

/* Over the dictionary's entries when there is one (each value once),
 * else over every present row. */
static void
statistics_string (Chunk            *chunk,
                   const Dictionary *dictionary)
{
  const RfColumn *column = chunk->plan->column;
  const guint8 *lo = NULL, *hi = NULL;
  gsize lo_length = 0, hi_length = 0;
  gsize n = dictionary != NULL ? dictionary->n_entries : chunk->n_rows;

  for (gsize i = 0; i < n; i++)
    {
      gsize row = dictionary != NULL ? dictionary->rows[i] : chunk->start + i;
      gsize length;
      const guint8 *value;

      if (dictionary == NULL && !is_valid (column->validity, row))
        continue;
      value = string_at (column, row, &length);
      if (lo == NULL || compare_bytes (value, length, lo, lo_length) < 0)
        {
          lo = value;
          lo_length = length;
        }
      if (hi == NULL || compare_bytes (value, length, hi, hi_length) > 0)
        {
          hi = value;
          hi_length = length;
        }
    }
  if (lo != NULL && lo_length <= STATISTICS_MAX_BYTES && hi_length <= STATISTICS_MAX_BYTES)
    set_min_max (&chunk->result->statistics, lo, lo_length, hi, hi_length);
}

static gsize
count_missing (const RfColumn *column,
               gsize           start,
               gsize           n)
{
  gsize missing = 0;

  if (column->validity == NULL)
    return 0;
  for (gsize i = start; i < start + n; i++)
    missing += !is_valid (column->validity, i);
  return missing;
}

static gboolean
encode_chunk (Chunk   *chunk,
              GError **error)
{
  const ColumnPlan *plan = chunk->plan;
  ChunkResult *result = chunk->result;
  g_auto(Dictionary) dictionary = { 0 };
  gboolean use_dictionary = FALSE;

  /* The buffer of the column's previous chunk is reused: its pages are
   * already mapped. */
  if (result->bytes == NULL)
    result->bytes = g_byte_array_new ();
  g_byte_array_set_size (result->bytes, 0);
  result->dictionary_length = 0;
  result->uncompressed_size = 0;
  rf_pq_statistics_clear (&result->statistics);
  result->statistics.has_null_count = TRUE;
  result->statistics.null_count = (gint64) count_missing (plan->column, chunk->start, chunk->n_rows);

  switch (plan->column->type)
    {
    case RF_COLUMN_DOUBLE:
      statistics_double (chunk);
      return encode_fixed8 (chunk, error);

    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      statistics_int64 (chunk);
      return encode_fixed8 (chunk, error);

    case RF_COLUMN_BOOL:
      statistics_bool (chunk);
      return encode_bool (chunk, error);

    case RF_COLUMN_STRING:
      /* A chunk of nothing but missing values has no dictionary to write. */
      if (chunk->dictionary && (gsize) result->statistics.null_count < chunk->n_rows)
        use_dictionary = build_dictionary (chunk, &dictionary);
      statistics_string (chunk, use_dictionary ? &dictionary : NULL);
      if (use_dictionary)
        return encode_dictionary_strings (chunk, &dictionary, error);
      return encode_plain_strings (chunk, error);

    default:
      g_assert_not_reached ();
    }
}

/* ---- Row groups ----------------------------------------------------------
 *
 * The chunks of a row group are encoded by n_threads workers (the calling
 * thread is one of them), each taking the next column not yet taken; the
 * calling thread then writes them in column order, so the bytes do not
 * depend on which thread encoded what. */

typedef struct
{
  const char *display;          /* the file's name in messages */
  const ColumnPlan *plans;
  guint n_columns;
  const RfParquetWriteOptions *options;
  GCancellable *cancellable;
  Scratch *scratch;             /* one per worker */

  ChunkResult *results;         /* one per column */

  /* the row group under way */
  gsize start;
  gsize n_rows;
  gint next;                    /* atomic: the next column to take */
} RowGroupJob;

typedef struct
{
  RowGroupJob *job;
  guint index;
} Worker;

static gpointer
worker_run (gpointer data)
{
  Worker *worker = data;
  RowGroupJob *job = worker->job;

  for (;;)
    {
      guint c = (guint) g_atomic_int_add (&job->next, 1);
      Chunk chunk;

      if (c >= job->n_columns)
        break;
      /* Cancelled: leave the rest; the caller reports it. */
      if (g_cancellable_is_cancelled (job->cancellable))
        continue;
      chunk.plan = &job->plans[c];
      chunk.start = job->start;
      chunk.n_rows = job->n_rows;
      chunk.codec = job->options->codec;
      chunk.level = job->options->level;
      chunk.dictionary = job->options->dictionary;
      chunk.result = &job->results[c];
      chunk.scratch = &job->scratch[worker->index];
      encode_chunk (&chunk, &job->results[c].error);
    }
  return NULL;
}

static void
encode_row_group (RowGroupJob *job,
                  guint        n_threads)
{
  GThread *threads[64];
  Worker workers[64];
  guint n_started = 0;

  g_atomic_int_set (&job->next, 0);
  for (guint t = 0; t < n_threads; t++)
    workers[t] = (Worker) { job, t };
  for (guint t = 1; t < n_threads; t++)
    {
      /* Fewer threads only make it slower. */
      threads[n_started] = g_thread_try_new ("rf-parquet-writer", worker_run, &workers[t], NULL);
      if (threads[n_started] != NULL)
        n_started++;
    }
  worker_run (&workers[0]);
  for (guint t = 0; t < n_started; t++)
    g_thread_join (threads[t]);
}

static void
add_encoding (GArray       *encodings,
              RfPqEncoding  encoding)
{
  gint32 value = encoding;

  g_array_append_val (encodings, value);
}

/* The ColumnChunk of a written chunk that starts at offset. */
static void
append_column_chunk (GArray           *columns,
                     const ColumnPlan *plan,
                     ChunkResult      *result,
                     RfPqCodec         codec,
                     gsize             n_rows,
                     guint64           offset)
{
  RfPqColumnChunk chunk;
  RfPqColumnMetaData *meta = &chunk.meta_data;
  gboolean dictionary = result->dictionary_length > 0;

  rf_pq_column_chunk_init (&chunk);
  /* Deprecated; the specification asks for 0 when no ColumnMetaData is
   * written outside the footer. */
  chunk.file_offset = 0;
  meta->type = plan->type;
  /* In the specification's enum order. */
  add_encoding (meta->encodings, RF_PQ_PLAIN);
  if (plan->optional)
    add_encoding (meta->encodings, RF_PQ_RLE);
  if (dictionary)
    add_encoding (meta->encodings, RF_PQ_RLE_DICTIONARY);
  g_ptr_array_add (meta->path_in_schema, g_strdup (plan->column->name));
  meta->codec = codec;
  meta->num_values = (gint64) n_rows;
  meta->total_uncompressed_size = result->uncompressed_size;
  meta->total_compressed_size = result->bytes->len;
  meta->data_page_offset = (gint64) (offset + result->dictionary_length);
  meta->has_dictionary_page_offset = dictionary;
  meta->dictionary_page_offset = dictionary ? (gint64) offset : 0;
  meta->has_statistics = TRUE;
  meta->statistics = result->statistics;
  memset (&result->statistics, 0, sizeof result->statistics);
  g_array_append_val (columns, chunk);
}

static gboolean
write_row_group (RowGroupJob      *job,
                 guint             n_threads,
                 guint             index,
                 RfPqFileMetaData *meta,
                 Sink             *sink,
                 GError          **error)
{
  ChunkResult *results = job->results;
  RfPqRowGroup row_group;
  gboolean ok = TRUE;

  encode_row_group (job, n_threads);

  rf_pq_row_group_init (&row_group);
  row_group.num_rows = (gint64) job->n_rows;
  for (guint c = 0; c < job->n_columns && ok; c++)
    {
      ChunkResult *result = &results[c];

      if (g_cancellable_set_error_if_cancelled (job->cancellable, error))
        ok = FALSE;
      else if (result->error != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&result->error),
                                      "Cannot write %s: column “%s”, row group %u: ",
                                      job->display, job->plans[c].column->name, index + 1);
          ok = FALSE;
        }
      else
        {
          guint64 offset = sink->offset;

          ok = sink_write (sink, result->bytes->data, result->bytes->len, error);
          if (ok)
            {
              append_column_chunk (row_group.columns, &job->plans[c], result,
                                   job->options->codec, job->n_rows, offset);
              row_group.total_byte_size += result->uncompressed_size;
            }
        }
    }
  if (!ok)
    {
      g_clear_pointer (&row_group.columns, g_array_unref);
      return FALSE;
    }
  g_array_append_val (meta->row_groups, row_group);
  return TRUE;
}

/* ---- The file ----------------------------------------------------------- */

static gboolean
write_footer (RfPqFileMetaData *meta,
              Sink             *sink,
              GError          **error)
{
  g_autoptr(GByteArray) footer = g_byte_array_new ();
  guint8 length[4];

  rf_pq_file_meta_data_encode (meta, footer);
  put_u32_le (length, footer->len);
  return sink_write (sink, footer->data, footer->len, error) &&
         sink_write (sink, length, 4, error) &&
         sink_write (sink, magic, 4, error);
}

static gboolean
write_parquet_with (const RfTable               *table,
                    const char                  *display,
                    const RfParquetWriteOptions *options,
                    RfPqFileMetaData            *meta,
                    Sink                        *sink,
                    RfProgress                  *progress,
                    GCancellable                *cancellable,
                    GError                     **error)
{
  guint n_columns = rf_table_get_n_columns (table);
  gsize n_rows = rf_table_get_n_rows (table);
  gsize group_rows = options->row_group_rows > 0 ? options->row_group_rows
                                                 : RF_PQ_DEFAULT_ROW_GROUP_ROWS;
  guint n_threads = options->n_threads > 0 ? options->n_threads : g_get_num_processors ();
  g_autofree ColumnPlan *plans = g_new0 (ColumnPlan, MAX (n_columns, 1u));
  g_autofree Scratch *scratch = NULL;
  g_autofree ChunkResult *results = g_new0 (ChunkResult, MAX (n_columns, 1u));
  RfPqSchemaElement root;
  RfPqKeyValue kv;
  RowGroupJob job = { 0 };
  gboolean ok = TRUE;
  guint index = 0;

  n_threads = CLAMP (n_threads, 1u, MIN (MAX (n_columns, 1u), 64u));

  meta->version = 1;
  meta->num_rows = (gint64) n_rows;
  meta->created_by = g_strdup ("refinery version " PACKAGE_VERSION);
  rf_pq_schema_element_init (&root);
  root.name = g_strdup ("schema");
  root.num_children = (gint32) n_columns;
  g_array_append_val (meta->schema, root);
  for (guint c = 0; c < n_columns; c++)
    {
      const RfColumn *column = rf_table_get_column (table, c);

      plans[c].column = column;
      plans[c].type = physical_type (column->type);
      plans[c].optional = column->n_missing > 0;
      append_schema_element (meta->schema, &plans[c]);
    }
  kv.key = g_strdup (SCHEMA_KEY);
  kv.value = schema_json (table);
  g_array_append_val (meta->key_value_metadata, kv);

  if (!sink_write (sink, magic, 4, error))
    return FALSE;

  scratch = g_new0 (Scratch, n_threads);
  for (guint t = 0; t < n_threads; t++)
    scratch_init (&scratch[t]);
  job.display = display;
  job.plans = plans;
  job.n_columns = n_columns;
  job.options = options;
  job.cancellable = cancellable;
  job.scratch = scratch;
  job.results = results;
  for (gsize start = 0; start < n_rows && ok; start += group_rows, index++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      job.start = start;
      job.n_rows = MIN (group_rows, n_rows - start);
      ok = write_row_group (&job, n_threads, index, meta, sink, error);
      if (ok)
        rf_progress_report (progress, (double) (start + job.n_rows) / n_rows, NULL);
    }
  for (guint t = 0; t < n_threads; t++)
    scratch_clear (&scratch[t]);
  for (guint c = 0; c < n_columns; c++)
    chunk_result_clear (&results[c]);

  if (!ok || !write_footer (meta, sink, error))
    return FALSE;
  rf_progress_report (progress, 1.0, NULL);
  return TRUE;
}

/* display: how messages name the output ("“out.parquet”"). */
static gboolean
write_parquet (const RfTable               *table,
               const char                  *display,
               const RfParquetWriteOptions *options,
               Sink                        *sink,
               RfProgress                  *progress,
               GCancellable                *cancellable,
               GError                     **error)
{
  RfParquetWriteOptions defaults;
  RfPqFileMetaData meta;
  gboolean ok;

  if (options == NULL)
    {
      rf_parquet_write_options_init (&defaults);
      options = &defaults;
    }
  /* Parquet has no table without columns (readers refuse the file). */
  if (rf_table_get_n_columns (table) == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "Cannot write %s: the table has no columns, and a Parquet file needs at "
                   "least one", display);
      return FALSE;
    }
  if (!rf_pq_codec_is_supported (options->codec))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "Cannot write %s: this build of Refinery has no %s compression; choose "
                   "ZSTD, SNAPPY, GZIP or none", display, rf_pq_codec_to_string (options->codec));
      return FALSE;
    }
  rf_pq_file_meta_data_init (&meta);
  ok = write_parquet_with (table, display, options, &meta, sink, progress, cancellable, error);
  rf_pq_file_meta_data_clear (&meta);
  return ok;
}

void
rf_parquet_write_options_init (RfParquetWriteOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->codec = RF_PQ_CODEC_ZSTD;
  options->row_group_rows = RF_PQ_DEFAULT_ROW_GROUP_ROWS;
  options->dictionary = TRUE;
}

gboolean
rf_parquet_write (const RfTable               *table,
                  const char                  *path,
                  const RfParquetWriteOptions *options,
                  RfProgress                  *progress,
                  GCancellable                *cancellable,
                  GError                     **error)
{
  g_autoptr(RfAtomicFile) file = NULL;
  g_autofree char *name = NULL;
  g_autofree char *display = NULL;
  Sink sink = { 0 };

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Errors of the atomic file name the path themselves. */
  file = rf_atomic_file_new (path, error);
  if (file == NULL)
    return FALSE;
  name = g_filename_display_name (path);
  display = g_strdup_printf ("“%s”", name);
  sink.file = file;
  return write_parquet (table, display, options, &sink, progress, cancellable, error) &&
         rf_atomic_file_commit (file, error);
}

GBytes *
rf_parquet_write_bytes (const RfTable               *table,
                        const RfParquetWriteOptions *options,
                        GError                     **error)
{
  g_autoptr(GByteArray) memory = g_byte_array_new ();
  Sink sink = { 0 };

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sink.memory = memory;
  if (!write_parquet (table, "the Parquet data", options, &sink, NULL, NULL, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&memory));
}

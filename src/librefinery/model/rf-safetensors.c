#define G_LOG_DOMAIN "rf-safetensors"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "rf-atomic-file.h"
#include "rf-error.h"
#include "rf-safetensors.h"

#define METADATA_KEY "__metadata__"
#define F32 "F32"

/* dtypes of the safetensors spec that we recognise but do not read, so the
 * error can say "unsupported" rather than "unknown". */
static const char *const other_dtypes[] = {
  "BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16",
  "I32", "U32", "F64", "I64", "U64",
};

/* Writer ------------------------------------------------------------------ */

typedef struct
{
  char  *name;
  guint  rank;
  gsize  shape[RF_SAFETENSORS_MAX_RANK];
  gsize  n_elements;
  float *data;
} WriterTensor;

struct _RfSafetensorsWriter
{
  GPtrArray  *tensors;    /* WriterTensor*, in the order added */
  GHashTable *names;      /* borrowed names of tensors */
  GHashTable *metadata;   /* owned key → owned value */
};

static void
writer_tensor_free (gpointer data)
{
  WriterTensor *t = data;

  g_free (t->name);
  g_free (t->data);
  g_free (t);
}

RfSafetensorsWriter *
rf_safetensors_writer_new (void)
{
  RfSafetensorsWriter *writer = g_new0 (RfSafetensorsWriter, 1);

  writer->tensors = g_ptr_array_new_with_free_func (writer_tensor_free);
  writer->names = g_hash_table_new (g_str_hash, g_str_equal);
  writer->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return writer;
}

void
rf_safetensors_writer_free (RfSafetensorsWriter *writer)
{
  if (writer == NULL)
    return;
  g_hash_table_unref (writer->names);
  g_ptr_array_unref (writer->tensors);
  g_hash_table_unref (writer->metadata);
  g_free (writer);
}

void
rf_safetensors_writer_add_tensor_f32 (RfSafetensorsWriter *writer,
                                      const char          *name,
                                      const float         *data,
                                      const gsize         *shape,
                                      guint                rank)
{
  WriterTensor *t;
  gsize n = 1;

  g_return_if_fail (writer != NULL);
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (g_utf8_validate (name, -1, NULL));
  g_return_if_fail (strcmp (name, METADATA_KEY) != 0);
  g_return_if_fail (!g_hash_table_contains (writer->names, name));
  g_return_if_fail (rank <= RF_SAFETENSORS_MAX_RANK);
  g_return_if_fail (rank == 0 || shape != NULL);

  for (guint i = 0; i < rank; i++)
    g_return_if_fail (g_size_checked_mul (&n, n, shape[i]));
  g_return_if_fail (n <= G_MAXSIZE / sizeof (float));
  g_return_if_fail (n == 0 || data != NULL);

  t = g_new0 (WriterTensor, 1);
  t->name = g_strdup (name);
  t->rank = rank;
  for (guint i = 0; i < rank; i++)
    t->shape[i] = shape[i];
  t->n_elements = n;
  t->data = n > 0 ? g_memdup2 (data, n * sizeof (float)) : NULL;
  g_ptr_array_add (writer->tensors, t);
  g_hash_table_add (writer->names, t->name);
}

void
rf_safetensors_writer_set_metadata (RfSafetensorsWriter *writer,
                                    const char          *key,
                                    const char          *value)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (key != NULL && g_utf8_validate (key, -1, NULL));
  g_return_if_fail (value != NULL && g_utf8_validate (value, -1, NULL));

  g_hash_table_replace (writer->metadata, g_strdup (key), g_strdup (value));
}

/* A JSON string literal; the input is valid UTF-8, which JSON carries as is. */
static void
append_json_string (GString    *out,
                    const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) *p);
        }
      else if (*p < 0x20)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  g_string_append_c (out, '"');
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GBytes *
rf_safetensors_writer_to_bytes (RfSafetensorsWriter *writer)
{
  g_autoptr(GString) header = g_string_new ("{");
  g_autoptr(GByteArray) out = NULL;
  guint n_keys = 0;
  g_autofree gpointer *keys = NULL;
  gsize offset = 0;
  guint64 header_len_le;

  g_return_val_if_fail (writer != NULL, NULL);

  keys = g_hash_table_get_keys_as_array (writer->metadata, &n_keys);
  if (n_keys > 0)
    {
      /* Sorted keys make the file a pure function of its contents. */
      qsort (keys, n_keys, sizeof (gpointer), compare_strings);
      append_json_string (header, METADATA_KEY);
      g_string_append (header, ":{");
      for (guint i = 0; i < n_keys; i++)
        {
          if (i > 0)
            g_string_append_c (header, ',');
          append_json_string (header, keys[i]);
          g_string_append_c (header, ':');
          append_json_string (header, g_hash_table_lookup (writer->metadata, keys[i]));
        }
      g_string_append_c (header, '}');
    }

  for (guint i = 0; i < writer->tensors->len; i++)
    {
      const WriterTensor *t = g_ptr_array_index (writer->tensors, i);
      gsize bytes = t->n_elements * sizeof (float);

      if (n_keys > 0 || i > 0)
        g_string_append_c (header, ',');
      append_json_string (header, t->name);
      g_string_append (header, ":{\"dtype\":\"" F32 "\",\"shape\":[");
      for (guint d = 0; d < t->rank; d++)
        g_string_append_printf (header, "%s%" G_GSIZE_FORMAT, d > 0 ? "," : "", t->shape[d]);
      g_string_append_printf (header,
                              "],\"data_offsets\":[%" G_GSIZE_FORMAT ",%" G_GSIZE_FORMAT "]}",
                              offset, offset + bytes);
      offset += bytes;
    }
  g_string_append_c (header, '}');

  /* Spaces (valid trailing JSON whitespace) align the data to 8 bytes, so a
   * reader that maps the file can use the tensors in place. */
  while ((8 + header->len) % 8 != 0)
    g_string_append_c (header, ' ');

  out = g_byte_array_sized_new (8 + header->len + offset);
  header_len_le = GUINT64_TO_LE ((guint64) header->len);
  g_byte_array_append (out, (const guint8 *) &header_len_le, 8);
  g_byte_array_append (out, (const guint8 *) header->str, header->len);

  for (guint i = 0; i < writer->tensors->len; i++)
    {
      const WriterTensor *t = g_ptr_array_index (writer->tensors, i);

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
      if (t->n_elements > 0)
        g_byte_array_append (out, (const guint8 *) t->data, t->n_elements * sizeof (float));
#else
      for (gsize k = 0; k < t->n_elements; k++)
        {
          guint32 bits;

          memcpy (&bits, &t->data[k], sizeof bits);
          bits = GUINT32_TO_LE (bits);
          g_byte_array_append (out, (const guint8 *) &bits, sizeof bits);
        }
#endif
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

gboolean
rf_safetensors_writer_save (RfSafetensorsWriter *writer,
                            const char          *path,
                            GError             **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  const void *data;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = rf_safetensors_writer_to_bytes (writer);
  data = g_bytes_get_data (bytes, &length);
  return rf_atomic_write_contents (path, data, length, error);
}

/* Reader ------------------------------------------------------------------ */

struct _RfSafetensors
{
  gatomicrefcount      ref_count;
  RfSafetensorsTensor *tensors;     /* n_tensors, by data offset */
  guint                n_tensors;
  float               *block;       /* all tensor data, host order */
  GHashTable          *by_name;     /* borrowed name → RfSafetensorsTensor* */
  GHashTable          *metadata;    /* owned key → owned value */
};

/* What the header says about one tensor, before the layout is checked. */
typedef struct
{
  const char *name;     /* borrowed from the JSON tree */
  guint       rank;
  gsize       shape[RF_SAFETENSORS_MAX_RANK];
  gsize       n_elements;
  guint64     begin;
  guint64     end;
} Entry;

static void G_GNUC_PRINTF (3, 4)
fail (GError    **error,
      const char *display_name,
      const char *format,
      ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
               "%s: %s. The file is damaged or is not a safetensors model file: "
               "save or export the model again.",
               display_name, what);
}

static const char *
node_kind (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
    }
}

/* A JSON integer >= 0: json-glib gives integers written without a fraction or
 * exponent as gint64, everything else as double. */
static gboolean
get_count (JsonNode *node,
           guint64  *value)
{
  gint64 v;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  v = json_node_get_int (node);
  if (v < 0)
    return FALSE;
  *value = (guint64) v;
  return TRUE;
}

static gboolean
parse_metadata (JsonNode    *node,
                GHashTable  *metadata,
                const char  *display_name,
                GError     **error)
{
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, display_name, "the header's \"" METADATA_KEY "\" is %s, not an object of strings",
            node_kind (node));
      return FALSE;
    }
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (object, l->data);

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          fail (error, display_name, "metadata value of key \"%s\" is %s, not a string",
                (const char *) l->data, node_kind (value));
          return FALSE;
        }
      g_hash_table_replace (metadata, g_strdup (l->data), g_strdup (json_node_get_string (value)));
    }
  return TRUE;
}

static gboolean
parse_entry (const char  *name,
             JsonNode    *node,
             Entry       *entry,
             const char  *display_name,
             GError     **error)
{
  JsonObject *object;
  JsonNode *dtype, *shape, *offsets;
  JsonArray *array;
  const char *dtype_name;
  guint64 n = 1;

  entry->name = name;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, display_name, "tensor \"%s\" is %s in the header, not an object", name,
            node_kind (node));
      return FALSE;
    }
  object = json_node_get_object (node);

  dtype = json_object_get_member (object, "dtype");
  if (dtype == NULL || !JSON_NODE_HOLDS_VALUE (dtype) ||
      json_node_get_value_type (dtype) != G_TYPE_STRING)
    {
      fail (error, display_name, "tensor \"%s\" has %s \"dtype\" field (a string is needed)", name,
            dtype == NULL ? "no" : "an ill-typed");
      return FALSE;
    }
  dtype_name = json_node_get_string (dtype);
  if (strcmp (dtype_name, F32) != 0)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (other_dtypes); i++)
        known |= strcmp (dtype_name, other_dtypes[i]) == 0;
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "%s: tensor \"%s\" has dtype \"%.32s\", %s; Refinery reads only F32 "
                   "tensors: export the model with float32 weights.",
                   display_name, name, dtype_name,
                   known ? "which is not supported" : "which is not a safetensors dtype");
      return FALSE;
    }

  shape = json_object_get_member (object, "shape");
  if (shape == NULL || !JSON_NODE_HOLDS_ARRAY (shape))
    {
      fail (error, display_name, "tensor \"%s\" has %s \"shape\" field (an array of sizes is needed)",
            name, shape == NULL ? "no" : "an ill-typed");
      return FALSE;
    }
  array = json_node_get_array (shape);
  if (json_array_get_length (array) > RF_SAFETENSORS_MAX_RANK)
    {
      fail (error, display_name, "tensor \"%s\" has %u dimensions, more than the %d Refinery reads",
            name, json_array_get_length (array), RF_SAFETENSORS_MAX_RANK);
      return FALSE;
    }
  entry->rank = json_array_get_length (array);
  for (guint i = 0; i < entry->rank; i++)
    {
      guint64 size;

      if (!get_count (json_array_get_element (array, i), &size) || size > G_MAXSIZE)
        {
          fail (error, display_name, "tensor \"%s\": shape entry %u is not a size (an integer >= 0)",
                name, i);
          return FALSE;
        }
      entry->shape[i] = size;
      if (!g_uint64_checked_mul (&n, n, size))
        {
          fail (error, display_name, "tensor \"%s\": the product of its shape overflows", name);
          return FALSE;
        }
    }
  if (n > G_MAXUINT64 / sizeof (float) || n > G_MAXSIZE)
    {
      fail (error, display_name, "tensor \"%s\": the product of its shape overflows", name);
      return FALSE;
    }
  entry->n_elements = n;

  offsets = json_object_get_member (object, "data_offsets");
  if (offsets == NULL || !JSON_NODE_HOLDS_ARRAY (offsets) ||
      json_array_get_length (json_node_get_array (offsets)) != 2 ||
      !get_count (json_array_get_element (json_node_get_array (offsets), 0), &entry->begin) ||
      !get_count (json_array_get_element (json_node_get_array (offsets), 1), &entry->end))
    {
      fail (error, display_name, "tensor \"%s\" has %s \"data_offsets\" field "
            "(an array [begin, end] of two integers >= 0 is needed)",
            name, offsets == NULL ? "no" : "an ill-typed");
      return FALSE;
    }
  if (entry->begin > entry->end)
    {
      fail (error, display_name, "tensor \"%s\": data_offsets [%" G_GUINT64_FORMAT ", %"
            G_GUINT64_FORMAT "] end before they begin", name, entry->begin, entry->end);
      return FALSE;
    }
  if (entry->end - entry->begin != n * sizeof (float))
    {
      fail (error, display_name, "tensor \"%s\": its shape holds %" G_GUINT64_FORMAT
            " F32 values (%" G_GUINT64_FORMAT " bytes) but data_offsets cover %" G_GUINT64_FORMAT
            " bytes", name, n, n * (guint64) sizeof (float), entry->end - entry->begin);
      return FALSE;
    }
  return TRUE;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *x = a, *y = b;

  if (x->begin != y->begin)
    return x->begin < y->begin ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return 0;
}

/* json-glib keeps only the last of duplicate members, so duplicates are
 * caught as the parser reports each member of each object. */
typedef struct
{
  GHashTable *seen;        /* "object-pointer:name" */
  char       *duplicate;   /* the first name seen twice in one object */
} DuplicateCheck;

static void
on_object_member (JsonParser *parser,
                  JsonObject *object,
                  const char *name,
                  gpointer    user_data)
{
  DuplicateCheck *check = user_data;
  char *key = g_strdup_printf ("%p:%s", (void *) object, name);

  if (!g_hash_table_add (check->seen, key) && check->duplicate == NULL)
    check->duplicate = g_strdup (name);
}

RfSafetensors *
rf_safetensors_ref (RfSafetensors *st)
{
  g_return_val_if_fail (st != NULL, NULL);
  g_atomic_ref_count_inc (&st->ref_count);
  return st;
}

void
rf_safetensors_unref (RfSafetensors *st)
{
  g_return_if_fail (st != NULL);
  if (!g_atomic_ref_count_dec (&st->ref_count))
    return;
  for (guint i = 0; i < st->n_tensors; i++)
    g_free ((char *) st->tensors[i].name);
  g_free (st->tensors);
  g_free (st->block);
  g_hash_table_unref (st->by_name);
  g_hash_table_unref (st->metadata);
  g_free (st);
}

RfSafetensors *
rf_safetensors_load_bytes (const guint8  *data,
                           gsize          length,
                           const char    *display_name,
                           GError       **error)
{
  g_autoptr(RfSafetensors) st = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(GArray) entries = NULL;
  DuplicateCheck check = { NULL, NULL };
  const char *header;
  guint64 header_len, data_len, expected = 0;
  JsonNode *root;
  JsonObject *object;
  gboolean parsed;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 8)
    {
      fail (error, display_name, "it is %" G_GSIZE_FORMAT " bytes long, too short for the "
            "8-byte header length that starts a safetensors file", length);
      return NULL;
    }
  memcpy (&header_len, data, 8);
  header_len = GUINT64_FROM_LE (header_len);
  if (header_len > RF_SAFETENSORS_MAX_HEADER)
    {
      fail (error, display_name, "its header claims %" G_GUINT64_FORMAT " bytes, more than "
            "the %d MB limit", header_len, RF_SAFETENSORS_MAX_HEADER / (1024 * 1024));
      return NULL;
    }
  if (header_len > length - 8)
    {
      fail (error, display_name, "its header claims %" G_GUINT64_FORMAT " bytes but only %"
            G_GSIZE_FORMAT " follow the header length (the file is truncated)",
            header_len, length - 8);
      return NULL;
    }
  header = (const char *) data + 8;
  data_len = length - 8 - header_len;
  if (header_len == 0)
    {
      fail (error, display_name, "its header is empty");
      return NULL;
    }
  if (!g_utf8_validate (header, header_len, NULL))
    {
      fail (error, display_name, "its header is not valid UTF-8 text");
      return NULL;
    }

  parser = json_parser_new_immutable ();
  check.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &check);
  parsed = json_parser_load_from_data (parser, header, header_len, &json_error);
  g_hash_table_unref (check.seen);
  if (!parsed)
    {
      g_free (check.duplicate);
      fail (error, display_name, "its header is not valid JSON (%s)", json_error->message);
      return NULL;
    }
  if (check.duplicate != NULL)
    {
      fail (error, display_name, "its header names \"%s\" twice", check.duplicate);
      g_free (check.duplicate);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, display_name, "its header is %s, not a JSON object",
            root == NULL ? "empty" : node_kind (root));
      return NULL;
    }

  st = g_new0 (RfSafetensors, 1);
  g_atomic_ref_count_init (&st->ref_count);
  st->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  st->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  object = json_node_get_object (root);
  members = json_object_get_members (object);
  entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (object, name);
      Entry entry = { 0 };

      if (strcmp (name, METADATA_KEY) == 0)
        {
          if (!parse_metadata (node, st->metadata, display_name, error))
            return NULL;
          continue;
        }
      if (!parse_entry (name, node, &entry, display_name, error))
        return NULL;
      if (entry.end > data_len)
        {
          fail (error, display_name, "tensor \"%s\": data_offsets [%" G_GUINT64_FORMAT ", %"
                G_GUINT64_FORMAT "] go beyond the %" G_GUINT64_FORMAT " data bytes",
                name, entry.begin, entry.end, data_len);
          return NULL;
        }
      g_array_append_val (entries, entry);
    }

  /* Tensors must tile the data exactly: no overlap, no unused byte. */
  g_array_sort (entries, compare_entries);
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *e = &g_array_index (entries, Entry, i);

      if (e->begin < expected)
        {
          fail (error, display_name, "tensors \"%s\" and \"%s\" overlap in the data",
                g_array_index (entries, Entry, i - 1).name, e->name);
          return NULL;
        }
      if (e->begin > expected)
        {
          fail (error, display_name, "data bytes %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                " belong to no tensor (a gap before tensor \"%s\")", expected, e->begin, e->name);
          return NULL;
        }
      expected = e->end;
    }
  if (expected != data_len)
    {
      fail (error, display_name, "data bytes %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
            " belong to no tensor (unused bytes at the end)", expected, data_len);
      return NULL;
    }

  /* One aligned host-order copy of all the data; every F32 tensor starts at
   * a multiple of 4 because the tensors before it tile the data. */
  if (data_len > 0)
    {
      st->block = g_malloc (data_len);
      memcpy (st->block, (const guint8 *) header + header_len, data_len);
#if G_BYTE_ORDER != G_LITTLE_ENDIAN
      for (gsize k = 0; k < data_len / sizeof (float); k++)
        {
          guint32 bits;

          memcpy (&bits, &st->block[k], sizeof bits);
          bits = GUINT32_FROM_LE (bits);
          memcpy (&st->block[k], &bits, sizeof bits);
        }
#endif
    }

  st->n_tensors = entries->len;
  st->tensors = g_new0 (RfSafetensorsTensor, MAX (entries->len, 1));
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *e = &g_array_index (entries, Entry, i);
      RfSafetensorsTensor *t = &st->tensors[i];

      t->name = g_strdup (e->name);
      t->dtype = F32;
      t->rank = e->rank;
      memcpy (t->shape, e->shape, sizeof t->shape);
      t->n_elements = e->n_elements;
      t->data = e->n_elements > 0 ? st->block + e->begin / sizeof (float) : NULL;
      g_hash_table_insert (st->by_name, (gpointer) t->name, t);
    }

  return g_steal_pointer (&st);
}

RfSafetensors *
rf_safetensors_load (const char  *path,
                     GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display_name = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display_name = g_filename_display_name (path);
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO,
                   "Could not read the model file %s: %s. Check that it exists and is readable.",
                   display_name, local_error->message);
      return NULL;
    }
  return rf_safetensors_load_bytes ((const guint8 *) g_mapped_file_get_contents (mapped),
                                    g_mapped_file_get_length (mapped),
                                    display_name, error);
}

guint
rf_safetensors_get_n_tensors (RfSafetensors *st)
{
  g_return_val_if_fail (st != NULL, 0);
  return st->n_tensors;
}

const RfSafetensorsTensor *
rf_safetensors_get_tensor (RfSafetensors *st,
                           guint          index)
{
  g_return_val_if_fail (st != NULL, NULL);
  g_return_val_if_fail (index < st->n_tensors, NULL);
  return &st->tensors[index];
}

const RfSafetensorsTensor *
rf_safetensors_find_tensor (RfSafetensors *st,
                            const char    *name)
{
  g_return_val_if_fail (st != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return g_hash_table_lookup (st->by_name, name);
}

const char *
rf_safetensors_get_metadata (RfSafetensors *st,
                             const char    *key)
{
  g_return_val_if_fail (st != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  return g_hash_table_lookup (st->metadata, key);
}

const char **
rf_safetensors_list_metadata (RfSafetensors *st,
                              guint         *n_keys)
{
  const char **keys;
  guint n = 0;

  g_return_val_if_fail (st != NULL, NULL);

  keys = (const char **) g_hash_table_get_keys_as_array (st->metadata, &n);
  qsort (keys, n, sizeof (char *), compare_strings);
  if (n_keys != NULL)
    *n_keys = n;
  return keys;
}

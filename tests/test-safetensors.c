#include "config.h"

#include <math.h>
#include <string.h>

#include "refinery.h"
#include "rf-safetensors.h"
#include "rf-test-util.h"

static guint32
float_bits (float f)
{
  guint32 bits;

  memcpy (&bits, &f, sizeof bits);
  return bits;
}

static float
bits_float (guint32 bits)
{
  float f;

  memcpy (&f, &bits, sizeof f);
  return f;
}

/* The whole file is pinned: the header below was counted by hand.
 *   {"__metadata__":{"k":"v"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}
 * is 79 bytes; 8 + 79 = 87, so one space pads it to N = 80 and the data
 * starts at byte 88: 1.0f = 0x3f800000 and -2.0f = 0xc0000000, little-endian. */
static void
test_pinned_bytes (void)
{
  static const char header[] =
    "{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],"
    "\"data_offsets\":[0,8]}} ";
  static const guint8 tail[] = { 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0 };
  static const guint8 length[] = { 80, 0, 0, 0, 0, 0, 0, 0 };
  g_autoptr(RfSafetensorsWriter) writer = rf_safetensors_writer_new ();
  g_autoptr(GBytes) bytes = NULL;
  const float values[] = { 1.0f, -2.0f };
  const gsize shape[] = { 2 };
  const guint8 *data;
  gsize size;

  g_assert_cmpuint (strlen (header), ==, 80);
  rf_safetensors_writer_add_tensor_f32 (writer, "w", values, shape, 1);
  rf_safetensors_writer_set_metadata (writer, "k", "v");
  bytes = rf_safetensors_writer_to_bytes (writer);
  data = g_bytes_get_data (bytes, &size);

  g_assert_cmpuint (size, ==, 96);
  g_assert_cmpmem (data, 8, length, 8);
  g_assert_cmpmem (data + 8, 80, header, 80);
  g_assert_cmpmem (data + 88, 8, tail, 8);
}

/* No tensors and no metadata: "{}" padded with six spaces to N = 8. */
static void
test_pinned_empty (void)
{
  static const guint8 expected[16] = { 8, 0, 0, 0, 0, 0, 0, 0,
                                       '{', '}', ' ', ' ', ' ', ' ', ' ', ' ' };
  g_autoptr(RfSafetensorsWriter) writer = rf_safetensors_writer_new ();
  g_autoptr(GBytes) bytes = rf_safetensors_writer_to_bytes (writer);
  g_autoptr(RfSafetensors) st = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize size;

  data = g_bytes_get_data (bytes, &size);
  g_assert_cmpmem (data, size, expected, sizeof expected);

  st = rf_safetensors_load_bytes (data, size, "empty.safetensors", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_safetensors_get_n_tensors (st), ==, 0);
  g_assert_null (rf_safetensors_find_tensor (st, "w"));
  g_assert_null (rf_safetensors_get_metadata (st, "k"));
}

/* Every float bit pattern that could be mangled on the way: signed zero,
 * infinities, a NaN payload, subnormals, extremes. */
static const guint32 awkward_bits[] = {
  0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00001, 0xffa12345,
  0x00000001, 0x807fffff, 0x7f7fffff, 0x3eaaaaab, 0xc2f6e979, 0x00800000,
};

static RfSafetensorsWriter *
sample_writer (void)
{
  RfSafetensorsWriter *writer = rf_safetensors_writer_new ();
  float awkward[G_N_ELEMENTS (awkward_bits)];
  float matrix[2 * 3 * 2];
  const float scalar = 0.1f;
  const gsize shape_awkward[] = { 12 };
  const gsize shape_matrix[] = { 2, 3, 2 };
  const gsize shape_empty[] = { 0, 3 };

  for (guint i = 0; i < G_N_ELEMENTS (awkward_bits); i++)
    awkward[i] = bits_float (awkward_bits[i]);
  for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
    matrix[i] = (float) i * 0.25f - 1.0f;

  rf_safetensors_writer_add_tensor_f32 (writer, "encoder.0.weight", matrix, shape_matrix, 3);
  rf_safetensors_writer_add_tensor_f32 (writer, "awkward", awkward, shape_awkward, 1);
  rf_safetensors_writer_add_tensor_f32 (writer, "empty", NULL, shape_empty, 2);
  rf_safetensors_writer_add_tensor_f32 (writer, "sigma \"q\"\\\xce\xbc", &scalar, NULL, 0);
  rf_safetensors_writer_set_metadata (writer, "unit", "\xc2\xb0" "C / m\xc2\xb3/h \xe2\x9c\x93 \xf0\x9f\x94\xa7");
  rf_safetensors_writer_set_metadata (writer, "json", "{\"a\": [1, 2]}\n\t\x01 end");
  rf_safetensors_writer_set_metadata (writer, "empty", "");
  rf_safetensors_writer_set_metadata (writer, "unit", "K");  /* replaced */
  rf_safetensors_writer_set_metadata (writer, "format", "pt");
  return writer;
}

static void
check_sample (RfSafetensors *st)
{
  const RfSafetensorsTensor *t;
  const char **keys;
  guint n_keys = 0;

  g_assert_cmpuint (rf_safetensors_get_n_tensors (st), ==, 4);

  /* File order is the order added. */
  g_assert_cmpstr (rf_safetensors_get_tensor (st, 0)->name, ==, "encoder.0.weight");
  g_assert_cmpstr (rf_safetensors_get_tensor (st, 1)->name, ==, "awkward");
  g_assert_cmpstr (rf_safetensors_get_tensor (st, 2)->name, ==, "empty");
  g_assert_cmpstr (rf_safetensors_get_tensor (st, 3)->name, ==, "sigma \"q\"\\\xce\xbc");

  t = rf_safetensors_find_tensor (st, "encoder.0.weight");
  g_assert_nonnull (t);
  g_assert_cmpstr (t->dtype, ==, "F32");
  g_assert_cmpuint (t->rank, ==, 3);
  g_assert_cmpuint (t->shape[0], ==, 2);
  g_assert_cmpuint (t->shape[1], ==, 3);
  g_assert_cmpuint (t->shape[2], ==, 2);
  g_assert_cmpuint (t->shape[3], ==, 0);
  g_assert_cmpuint (t->n_elements, ==, 12);
  g_assert_true (((guintptr) t->data) % sizeof (float) == 0);
  for (guint i = 0; i < 12; i++)
    g_assert_cmpfloat (t->data[i], ==, (float) i * 0.25f - 1.0f);

  t = rf_safetensors_find_tensor (st, "awkward");
  g_assert_nonnull (t);
  g_assert_cmpuint (t->rank, ==, 1);
  g_assert_cmpuint (t->shape[0], ==, 12);
  for (guint i = 0; i < G_N_ELEMENTS (awkward_bits); i++)
    g_assert_cmphex (float_bits (t->data[i]), ==, awkward_bits[i]);

  t = rf_safetensors_find_tensor (st, "empty");
  g_assert_nonnull (t);
  g_assert_cmpuint (t->rank, ==, 2);
  g_assert_cmpuint (t->shape[0], ==, 0);
  g_assert_cmpuint (t->shape[1], ==, 3);
  g_assert_cmpuint (t->n_elements, ==, 0);
  g_assert_null (t->data);

  t = rf_safetensors_find_tensor (st, "sigma \"q\"\\\xce\xbc");
  g_assert_nonnull (t);
  g_assert_cmpuint (t->rank, ==, 0);
  g_assert_cmpuint (t->n_elements, ==, 1);
  g_assert_cmphex (float_bits (t->data[0]), ==, float_bits (0.1f));

  g_assert_null (rf_safetensors_find_tensor (st, "missing"));

  g_assert_cmpstr (rf_safetensors_get_metadata (st, "unit"), ==, "K");
  g_assert_cmpstr (rf_safetensors_get_metadata (st, "json"), ==, "{\"a\": [1, 2]}\n\t\x01 end");
  g_assert_cmpstr (rf_safetensors_get_metadata (st, "empty"), ==, "");
  g_assert_cmpstr (rf_safetensors_get_metadata (st, "format"), ==, "pt");
  g_assert_null (rf_safetensors_get_metadata (st, "missing"));

  keys = rf_safetensors_list_metadata (st, &n_keys);
  g_assert_cmpuint (n_keys, ==, 4);
  g_assert_cmpstr (keys[0], ==, "empty");
  g_assert_cmpstr (keys[1], ==, "format");
  g_assert_cmpstr (keys[2], ==, "json");
  g_assert_cmpstr (keys[3], ==, "unit");
  g_free (keys);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "model.safetensors", NULL);
  g_autoptr(RfSafetensorsWriter) writer = sample_writer ();
  g_autoptr(RfSafetensors) st = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize size = 0;
  guint64 header_len;

  g_assert_true (rf_safetensors_writer_save (writer, path, &error));
  g_assert_no_error (error);
  /* The atomic writer leaves only the target behind. */
  g_assert_cmpuint (rf_test_count_files (dir), ==, 1);

  /* The saved file is exactly what to_bytes gives, data 8-byte aligned. */
  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  bytes = rf_safetensors_writer_to_bytes (writer);
  g_assert_cmpmem (contents, size, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  memcpy (&header_len, contents, 8);
  header_len = GUINT64_FROM_LE (header_len);
  g_assert_cmpuint ((8 + header_len) % 8, ==, 0);
  g_assert_cmpuint (size, ==, 8 + header_len + (12 + 12 + 0 + 1) * 4);

  st = rf_safetensors_load (path, &error);
  g_assert_no_error (error);
  check_sample (st);

  /* A reference outlives the caller's. */
  {
    RfSafetensors *again = rf_safetensors_ref (st);

    g_clear_pointer (&st, rf_safetensors_unref);
    check_sample (again);
    rf_safetensors_unref (again);
  }

  rf_test_remove_tree (dir);
}

static void
test_load_missing (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "absent.safetensors", NULL);
  g_autoptr(GError) error = NULL;
  RfSafetensors *st = rf_safetensors_load (path, &error);

  g_assert_null (st);
  g_assert_error (error, RF_ERROR, RF_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "absent.safetensors"));
  rf_test_remove_tree (dir);
}

/* Hand-crafted damaged files: a header (used as the JSON text), optionally a
 * forced header length, and the number of data bytes after it. */
typedef struct
{
  const char *path;
  const char *header;
  gssize      header_len;   /* -1: strlen (header) */
  guint64     claimed_len;  /* 0: the real header length */
  gsize       data_len;
  const char *expect;       /* substring of the message */
} Refusal;

static const Refusal refusals[] = {
  { "/rf/safetensors/refuse/too-short", "abc", -1, 0, 0, "3 bytes long, too short" },
  { "/rf/safetensors/refuse/header-beyond-file", "{}", -1, 100, 10,
    "claims 100 bytes but only 12 follow" },
  { "/rf/safetensors/refuse/header-too-large", "{}", -1, 100 * 1024 * 1024 + 1, 6,
    "claims 104857601 bytes, more than the 100 MB limit" },
  { "/rf/safetensors/refuse/header-empty", "", -1, 0, 4, "header is empty" },
  { "/rf/safetensors/refuse/not-json", "{nope", -1, 0, 0, "not valid JSON" },
  { "/rf/safetensors/refuse/not-utf8", "{\"\xff\":1}", -1, 0, 0, "not valid UTF-8" },
  { "/rf/safetensors/refuse/nul-in-header", "{}\0  ", 5, 0, 0, "not valid UTF-8" },
  { "/rf/safetensors/refuse/not-object", "[1,2]", -1, 0, 0, "header is an array, not a JSON object" },
  { "/rf/safetensors/refuse/tensor-not-object", "{\"w\":3}", -1, 0, 0,
    "tensor \"w\" is a number in the header, not an object" },
  { "/rf/safetensors/refuse/dtype-missing", "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", -1, 0, 4,
    "tensor \"w\" has no \"dtype\" field" },
  { "/rf/safetensors/refuse/dtype-ill-typed",
    "{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", -1, 0, 4,
    "tensor \"w\" has an ill-typed \"dtype\" field" },
  { "/rf/safetensors/refuse/dtype-unsupported",
    "{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", -1, 0, 4,
    "tensor \"w\" has dtype \"F16\", which is not supported; Refinery reads only F32" },
  { "/rf/safetensors/refuse/dtype-unknown",
    "{\"w\":{\"dtype\":\"float\",\"shape\":[1],\"data_offsets\":[0,4]}}", -1, 0, 4,
    "dtype \"float\", which is not a safetensors dtype" },
  { "/rf/safetensors/refuse/shape-missing", "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", -1, 0, 4,
    "tensor \"w\" has no \"shape\" field" },
  { "/rf/safetensors/refuse/shape-ill-typed",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]}}", -1, 0, 4,
    "tensor \"w\" has an ill-typed \"shape\" field" },
  { "/rf/safetensors/refuse/shape-negative",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":[1,-1],\"data_offsets\":[0,4]}}", -1, 0, 4,
    "shape entry 1 is not a size" },
  { "/rf/safetensors/refuse/shape-fraction",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", -1, 0, 4,
    "shape entry 0 is not a size" },
  { "/rf/safetensors/refuse/shape-string",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":[\"1\"],\"data_offsets\":[0,4]}}", -1, 0, 4,
    "shape entry 0 is not a size" },
  { "/rf/safetensors/refuse/shape-overflow",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,16],\"data_offsets\":[0,4]}}",
    -1, 0, 4, "the product of its shape overflows" },
  { "/rf/safetensors/refuse/shape-bytes-overflow",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,4]}}",
    -1, 0, 4, "the product of its shape overflows" },
  { "/rf/safetensors/refuse/rank-too-high",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,4]}}", -1, 0, 4,
    "tensor \"w\" has 9 dimensions, more than the 8" },
  { "/rf/safetensors/refuse/shape-mismatch",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", -1, 0, 8,
    "its shape holds 3 F32 values (12 bytes) but data_offsets cover 8 bytes" },
  { "/rf/safetensors/refuse/offsets-missing", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", -1, 0, 4,
    "tensor \"w\" has no \"data_offsets\" field" },
  { "/rf/safetensors/refuse/offsets-three",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", -1, 0, 4,
    "has an ill-typed \"data_offsets\" field" },
  { "/rf/safetensors/refuse/offsets-string",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":\"0-4\"}}", -1, 0, 4,
    "has an ill-typed \"data_offsets\" field" },
  { "/rf/safetensors/refuse/offsets-negative",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", -1, 0, 4,
    "has an ill-typed \"data_offsets\" field" },
  { "/rf/safetensors/refuse/offsets-reversed",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", -1, 0, 4,
    "data_offsets [4, 0] end before they begin" },
  { "/rf/safetensors/refuse/offsets-out-of-range",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", -1, 0, 4,
    "data_offsets [0, 8] go beyond the 4 data bytes" },
  { "/rf/safetensors/refuse/offsets-overlap",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
    "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", -1, 0, 12,
    "tensors \"a\" and \"b\" overlap" },
  { "/rf/safetensors/refuse/offsets-gap",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
    "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", -1, 0, 12,
    "data bytes 4 to 8 belong to no tensor (a gap before tensor \"b\")" },
  { "/rf/safetensors/refuse/offsets-gap-at-start",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", -1, 0, 8,
    "data bytes 0 to 4 belong to no tensor" },
  { "/rf/safetensors/refuse/trailing-bytes",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", -1, 0, 8,
    "data bytes 4 to 8 belong to no tensor (unused bytes at the end)" },
  { "/rf/safetensors/refuse/data-without-tensors", "{}", -1, 0, 4,
    "data bytes 0 to 4 belong to no tensor" },
  { "/rf/safetensors/refuse/metadata-not-object", "{\"__metadata__\":[\"a\"]}", -1, 0, 0,
    "\"__metadata__\" is an array, not an object of strings" },
  { "/rf/safetensors/refuse/metadata-number", "{\"__metadata__\":{\"epochs\":300}}", -1, 0, 0,
    "metadata value of key \"epochs\" is a number, not a string" },
  { "/rf/safetensors/refuse/metadata-null", "{\"__metadata__\":{\"a\":\"x\",\"b\":null}}", -1, 0, 0,
    "metadata value of key \"b\" is null, not a string" },
  { "/rf/safetensors/refuse/metadata-object", "{\"__metadata__\":{\"cfg\":{\"lr\":\"1\"}}}", -1, 0, 0,
    "metadata value of key \"cfg\" is an object, not a string" },
  { "/rf/safetensors/refuse/duplicate-tensor",
    "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
    "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", -1, 0, 4,
    "its header names \"w\" twice" },
  { "/rf/safetensors/refuse/duplicate-metadata", "{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", -1, 0, 0,
    "its header names \"k\" twice" },
  { "/rf/safetensors/refuse/duplicate-field",
    "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", -1, 0, 4,
    "its header names \"dtype\" twice" },
};

static GBytes *
craft (const Refusal *r)
{
  gsize header_len = r->header_len < 0 ? strlen (r->header) : (gsize) r->header_len;
  guint64 claimed = r->claimed_len != 0 ? r->claimed_len : header_len;
  GByteArray *out = g_byte_array_new ();
  guint64 le = GUINT64_TO_LE (claimed);

  /* "too-short" is the only case that is not a header at all. */
  if (strcmp (r->header, "abc") == 0)
    {
      g_byte_array_append (out, (const guint8 *) "abc", 3);
      return g_byte_array_free_to_bytes (out);
    }
  g_byte_array_append (out, (const guint8 *) &le, 8);
  g_byte_array_append (out, (const guint8 *) r->header, header_len);
  for (gsize i = 0; i < r->data_len; i++)
    g_byte_array_append (out, (const guint8 *) "\x11", 1);
  return g_byte_array_free_to_bytes (out);
}

static void
test_refusal (gconstpointer user_data)
{
  const Refusal *r = user_data;
  g_autoptr(GBytes) bytes = craft (r);
  g_autoptr(GError) error = NULL;
  gsize size;
  /* An exact-size copy, so a sanitizer sees any read past the end. */
  g_autofree guint8 *data = g_bytes_unref_to_data (g_bytes_ref (bytes), &size);
  RfSafetensors *st = rf_safetensors_load_bytes (data, size, "bad.safetensors", &error);

  g_assert_null (st);
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "bad.safetensors: "));
  if (strstr (error->message, r->expect) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, r->expect);
}

/* The same file through rf_safetensors_load: the message names the path. */
static void
test_refusal_names_file (void)
{
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = rf_test_write_file (dir, "broken.safetensors", "\x05\0\0\0\0\0\0\0{\"a\":", 13);
  g_autoptr(GError) error = NULL;
  RfSafetensors *st = rf_safetensors_load (path, &error);

  g_assert_null (st);
  g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, "not valid JSON"));
  rf_test_remove_tree (dir);
}

/* A real file cut at every length is refused, never read past its end. */
static void
test_truncated (void)
{
  g_autoptr(RfSafetensorsWriter) writer = sample_writer ();
  g_autoptr(GBytes) bytes = rf_safetensors_writer_to_bytes (writer);
  gsize size;
  const guint8 *full = g_bytes_get_data (bytes, &size);

  for (gsize len = 0; len < size; len++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *copy = g_memdup2 (full, MAX (len, 1));
      RfSafetensors *st = rf_safetensors_load_bytes (len > 0 ? copy : NULL, len, "cut.safetensors",
                                                     &error);

      if (st != NULL)
        g_error ("a file cut to %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes was accepted",
                 len, size);
      g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
    }

  /* And the uncut file loads. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RfSafetensors) st = rf_safetensors_load_bytes (full, size, "whole.safetensors", &error);

    g_assert_no_error (error);
    check_sample (st);
  }
}

/* Every byte of a real file replaced by a few values: either a clean load or
 * a FORMAT error, never a crash or a read out of bounds. */
static void
test_corrupt_bytes (void)
{
  static const guint8 values[] = { 0x00, 0x20, 0x22, 0x2c, 0x5b, 0x7d, 0x39, 0xff };
  g_autoptr(RfSafetensorsWriter) writer = sample_writer ();
  g_autoptr(GBytes) bytes = rf_safetensors_writer_to_bytes (writer);
  gsize size;
  const guint8 *full = g_bytes_get_data (bytes, &size);
  guint refused = 0;

  for (gsize pos = 0; pos < size; pos++)
    for (guint v = 0; v < G_N_ELEMENTS (values); v++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree guint8 *copy = g_memdup2 (full, size);
        RfSafetensors *st;

        copy[pos] = values[v];
        st = rf_safetensors_load_bytes (copy, size, "flip.safetensors", &error);
        if (st != NULL)
          {
            g_assert_no_error (error);
            rf_safetensors_unref (st);
          }
        else
          {
            g_assert_error (error, RF_ERROR, RF_ERROR_FORMAT);
            refused++;
          }
      }
  /* Any change to the length prefix or the JSON punctuation breaks the file. */
  g_assert_cmpuint (refused, >, size);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rf/safetensors/pinned-bytes", test_pinned_bytes);
  g_test_add_func ("/rf/safetensors/pinned-empty", test_pinned_empty);
  g_test_add_func ("/rf/safetensors/round-trip", test_round_trip);
  g_test_add_func ("/rf/safetensors/load-missing", test_load_missing);
  g_test_add_func ("/rf/safetensors/refuse/names-file", test_refusal_names_file);
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    g_test_add_data_func (refusals[i].path, &refusals[i], test_refusal);
  g_test_add_func ("/rf/safetensors/truncated", test_truncated);
  g_test_add_func ("/rf/safetensors/corrupt-bytes", test_corrupt_bytes);

  return g_test_run ();
}

/* rf-safetensors.h: model files in the safetensors format.
 *
 * A safetensors file is an 8-byte little-endian u64 N, then N bytes of UTF-8
 * JSON header, then the raw tensor bytes. The header maps each tensor name to
 * {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]} (offsets
 * relative to the start of the data) and may hold "__metadata__", an object
 * of string → string. Refinery writes the header without insignificant
 * whitespace, metadata keys sorted, tensors in the order they were added and
 * laid out back to back, the header padded with spaces so that the data
 * starts at a multiple of 8 bytes. Tensor bytes are always little-endian.
 *
 * Only F32 tensors are read and written for now. Loading checks the whole
 * file (header size, JSON, every field, dtype, shape against byte range,
 * offsets contiguous and covering the data exactly, duplicate names) and
 * refuses anything damaged or foreign with RF_ERROR_FORMAT naming the file.
 *
 * PyTorch users load a Refinery model as it is:
 *
 *   from safetensors.torch import load_file
 *   tensors = load_file ("models/motor/tvae.safetensors")   # dict name → tensor
 *
 * and read the metadata with safetensors.safe_open (path, "pt").metadata ().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest tensor rank this reader and writer handle. */
#define RF_SAFETENSORS_MAX_RANK 8
/* Headers above this size are refused before they are parsed. */
#define RF_SAFETENSORS_MAX_HEADER (100 * 1024 * 1024)

typedef struct
{
  const char  *name;
  const char  *dtype;                            /* "F32" */
  guint        rank;                             /* 0 is a scalar */
  gsize        shape[RF_SAFETENSORS_MAX_RANK];   /* unused entries are 0 */
  gsize        n_elements;                       /* product of the shape */
  const float *data;                             /* host order, aligned; NULL when empty */
} RfSafetensorsTensor;

/* Writing ---------------------------------------------------------------- */

typedef struct _RfSafetensorsWriter RfSafetensorsWriter;

RfSafetensorsWriter *rf_safetensors_writer_new          (void);
void                 rf_safetensors_writer_free         (RfSafetensorsWriter *writer);

/* Copies data (the product of shape[0..rank-1] floats, row-major). The name
 * must be valid UTF-8, non-empty, not "__metadata__" and not already added;
 * rank at most RF_SAFETENSORS_MAX_RANK. */
void                 rf_safetensors_writer_add_tensor_f32 (RfSafetensorsWriter *writer,
                                                           const char          *name,
                                                           const float         *data,
                                                           const gsize         *shape,
                                                           guint                rank);
/* Key and value: valid UTF-8. Setting a key again replaces its value. */
void                 rf_safetensors_writer_set_metadata (RfSafetensorsWriter *writer,
                                                         const char          *key,
                                                         const char          *value);
/* The whole file, as it would be saved. */
GBytes              *rf_safetensors_writer_to_bytes     (RfSafetensorsWriter *writer);
/* Writes through rf-atomic-file: the target is replaced only on success. */
gboolean             rf_safetensors_writer_save         (RfSafetensorsWriter *writer,
                                                         const char          *path,
                                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfSafetensorsWriter, rf_safetensors_writer_free)

/* Reading ---------------------------------------------------------------- */

typedef struct _RfSafetensors RfSafetensors;

RfSafetensors *rf_safetensors_load         (const char    *path,
                                            GError       **error);
/* display_name names the data in error messages (a file name, usually). */
RfSafetensors *rf_safetensors_load_bytes   (const guint8  *data,
                                            gsize          length,
                                            const char    *display_name,
                                            GError       **error);
RfSafetensors *rf_safetensors_ref          (RfSafetensors *st);
void           rf_safetensors_unref        (RfSafetensors *st);

guint          rf_safetensors_get_n_tensors (RfSafetensors *st);
/* Tensors in file order (by data offset). */
const RfSafetensorsTensor *rf_safetensors_get_tensor  (RfSafetensors *st,
                                                       guint          index);
/* NULL when there is no tensor of that name. */
const RfSafetensorsTensor *rf_safetensors_find_tensor (RfSafetensors *st,
                                                       const char    *name);
/* NULL when the key is absent. */
const char    *rf_safetensors_get_metadata  (RfSafetensors *st,
                                             const char    *key);
/* The metadata keys, sorted; free the array (not the strings) with g_free. */
const char   **rf_safetensors_list_metadata (RfSafetensors *st,
                                             guint         *n_keys);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfSafetensors, rf_safetensors_unref)

G_END_DECLS

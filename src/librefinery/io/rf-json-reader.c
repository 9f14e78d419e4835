#define G_LOG_DOMAIN "rf-json-reader"

#include "config.h"

#include "rf-error.h"
#include "rf-json-reader.h"

RfTable *
rf_json_read_bytes (const guint8        *data,
               gsize                length,
               const char          *display_name,
               const RfReadOptions *options,
               RfReadReport        *report,
               RfProgress          *progress,
               GCancellable        *cancellable,
               GError             **error)
{
  g_set_error (error, RF_ERROR, RF_ERROR_FAILED, "the json reader is being written");
  return NULL;
}

RfTable *
rf_json_read (const char          *path,
         const RfReadOptions *options,
         RfReadReport        *report,
         RfProgress          *progress,
         GCancellable        *cancellable,
         GError             **error)
{
  return rf_json_read_bytes (NULL, 0, path, options, report, progress, cancellable, error);
}

/* libFuzzer target for the Parquet reader: any bytes must give a table or a
 * GError, never a crash, a hang, a leak or an allocation the bytes cannot
 * justify (libFuzzer's -rss_limit_mb catches those). Each input is opened,
 * then read whole, and also read one row group at a time. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "refinery.h"
#include "rf-parquet-reader.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Every failure is explained in the library's domain. */
static void
check_error (const GError *error)
{
  if (error == NULL || error->domain != RF_ERROR || error->message[0] == '\0')
    __builtin_trap ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfParquetFile) file = rf_parquet_file_open_bytes (data, size, "fuzz.parquet", &error);
  g_autoptr(RfTable) table = NULL;
  RfParquetReadOptions options = { NULL, TRUE, 100000 };

  if (file == NULL)
    {
      check_error (error);
      return 0;
    }
  table = rf_parquet_file_read (file, &options, NULL, NULL, NULL, &error);
  if (table == NULL)
    check_error (error);
  g_clear_error (&error);

  for (guint g = 0; g < rf_parquet_file_get_n_row_groups (file); g++)
    {
      g_autoptr(RfTable) part = rf_parquet_file_read_row_group (file, g, &options, NULL, NULL, &error);

      if (part == NULL)
        {
          check_error (error);
          g_clear_error (&error);
        }
    }
  return 0;
}

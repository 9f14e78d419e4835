/* libFuzzer target for the JSON reader: any bytes must give a table or a
 * GError, never a crash, a hang or a leak. Each input is read twice, as a
 * .json and as a .jsonl file (the name decides the layout of a lone
 * object). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "refinery.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
read_as (const uint8_t *data,
         size_t         size,
         const char    *name)
{
  g_autoptr(RfReadReport) report = rf_read_report_new (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTable) table = NULL;

  table = rf_json_read_bytes (data, size, name, NULL, report, NULL, NULL, &error);
  if (table == NULL)
    {
      /* Every failure is explained in the library's domain. */
      if (error == NULL || error->domain != RF_ERROR || error->message[0] == '\0')
        __builtin_trap ();
      return;
    }
  if (error != NULL || rf_table_get_n_rows (table) == 0 || rf_table_get_n_columns (table) == 0 ||
      report->columns->len != rf_table_get_n_columns (table) ||
      report->n_rows != rf_table_get_n_rows (table))
    __builtin_trap ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  read_as (data, size, "fuzz.json");
  read_as (data, size, "fuzz.jsonl");
  return 0;
}

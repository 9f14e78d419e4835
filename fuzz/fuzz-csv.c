/* fuzz-csv: libFuzzer target for the CSV reader.
 *
 * Every input goes through rf_csv_read_bytes with default options, then once
 * more with small blocks and three threads (so block and thread boundaries
 * get fuzzed too, on inputs of a few hundred bytes), which must give the
 * same table or the same error, and once as all-strings. Everything is
 * freed. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "rf-csv-reader.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Row counts and the first column's type, which every read must agree on. */
static void
check_same (const RfTable *a,
            const RfTable *b)
{
  if (a == NULL || b == NULL)
    {
      if ((a == NULL) != (b == NULL))
        __builtin_trap ();
      return;
    }
  if (rf_table_get_n_rows (a) != rf_table_get_n_rows (b) ||
      rf_table_get_n_columns (a) != rf_table_get_n_columns (b))
    __builtin_trap ();
  for (guint c = 0; c < rf_table_get_n_columns (a); c++)
    if (rf_table_get_column (a, c)->type != rf_table_get_column (b, c)->type ||
        rf_table_get_column (a, c)->n_missing != rf_table_get_column (b, c)->n_missing)
      __builtin_trap ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* about 8 blocks whatever the size, each split between 3 threads */
  const RfCsvTuning small = { MAX (size / 8, 16), 3, 8 };
  g_autoptr(RfReadOptions) strings = rf_read_options_new ();
  g_autoptr(RfReadReport) report = rf_read_report_new ("fuzz.csv");
  g_autoptr(RfTable) table = NULL;
  g_autoptr(RfTable) tuned = NULL;
  g_autoptr(RfTable) text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) tuned_error = NULL;
  g_autoptr(GError) text_error = NULL;

  table = rf_csv_read_bytes (data, size, "fuzz.csv", NULL, report, NULL, NULL, &error);
  tuned = rf_csv_read_bytes_tuned (data, size, "fuzz.csv", &small, NULL, NULL, NULL, NULL, &tuned_error);
  check_same (table, tuned);
  if (error != NULL && tuned_error != NULL && strcmp (error->message, tuned_error->message) != 0)
    __builtin_trap ();

  strings->all_strings = TRUE;
  text = rf_csv_read_bytes (data, size, "fuzz.csv", strings, NULL, NULL, NULL, &text_error);
  return 0;
}

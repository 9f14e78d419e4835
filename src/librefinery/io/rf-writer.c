#define G_LOG_DOMAIN "rf-writer"

#include "config.h"

#include "rf-csv-writer.h"
#include "rf-json-writer.h"
#include "rf-writer.h"
#include "rf-xlsx-writer.h"

static const struct
{
  const char *name;
  const char *extensions[3];
} formats[RF_OUTPUT_N_FORMATS] = {
  [RF_OUTPUT_CSV] = { "csv", { ".csv", NULL } },
  [RF_OUTPUT_TSV] = { "tsv", { ".tsv", ".tab", NULL } },
  [RF_OUTPUT_JSON] = { "json", { ".json", NULL } },
  [RF_OUTPUT_JSONL] = { "jsonl", { ".jsonl", ".ndjson", NULL } },
  [RF_OUTPUT_PARQUET] = { "parquet", { ".parquet", ".pq", NULL } },
  [RF_OUTPUT_XLSX] = { "xlsx", { ".xlsx", NULL } },
};

const char *
rf_output_format_to_string (RfOutputFormat format)
{
  g_return_val_if_fail (format < RF_OUTPUT_N_FORMATS, NULL);
  return formats[format].name;
}

gboolean
rf_output_format_from_string (const char     *name,
                              RfOutputFormat *format)
{
  g_return_val_if_fail (name != NULL, FALSE);
  for (guint i = 0; i < RF_OUTPUT_N_FORMATS; i++)
    if (g_ascii_strcasecmp (name, formats[i].name) == 0)
      {
        *format = (RfOutputFormat) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
rf_output_format_from_path (const char     *path,
                            RfOutputFormat *format)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  lower = g_ascii_strdown (path, -1);
  for (guint i = 0; i < RF_OUTPUT_N_FORMATS; i++)
    for (guint k = 0; formats[i].extensions[k] != NULL; k++)
      if (g_str_has_suffix (lower, formats[i].extensions[k]))
        {
          *format = (RfOutputFormat) i;
          return TRUE;
        }
  return FALSE;
}

gboolean
rf_write_file (const RfTable               *table,
               const char                  *path,
               RfOutputFormat               format,
               const RfParquetWriteOptions *parquet,
               RfProgress                  *progress,
               GCancellable                *cancellable,
               GError                     **error)
{
  RfCsvWriteOptions csv;

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (format < RF_OUTPUT_N_FORMATS, FALSE);

  switch (format)
    {
    case RF_OUTPUT_TSV:
      rf_csv_write_options_init (&csv);
      csv.delimiter = '\t';
      return rf_csv_write (table, path, &csv, progress, cancellable, error);
    case RF_OUTPUT_JSON:
      return rf_json_write (table, path, RF_JSON_LAYOUT_RECORDS, progress, cancellable, error);
    case RF_OUTPUT_JSONL:
      return rf_json_write (table, path, RF_JSON_LAYOUT_LINES, progress, cancellable, error);
    case RF_OUTPUT_PARQUET:
      return rf_parquet_write (table, path, parquet, progress, cancellable, error);
    case RF_OUTPUT_XLSX:
      return rf_xlsx_write_table (table, path, progress, cancellable, error);
    case RF_OUTPUT_CSV:
    default:
      return rf_csv_write (table, path, NULL, progress, cancellable, error);
    }
}

#define G_LOG_DOMAIN "rf-reader"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "rf-csv-reader.h"
#include "rf-error.h"
#include "rf-json-reader.h"
#include "rf-parquet-reader.h"
#include "rf-reader.h"

RfReadOptions *
rf_read_options_new (void)
{
  RfReadOptions *options = g_new0 (RfReadOptions, 1);

  options->column_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return options;
}

void
rf_read_options_free (RfReadOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->encoding);
  g_clear_pointer (&options->column_types, g_hash_table_unref);
  g_free (options);
}

void
rf_read_options_set_column_type (RfReadOptions *options,
                                 const char    *column,
                                 RfColumnType   type)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (column != NULL);
  g_return_if_fail (type < RF_COLUMN_N_TYPES);
  g_hash_table_insert (options->column_types, g_strdup (column), GINT_TO_POINTER (type + 1));
}

gboolean
rf_read_options_get_column_type (const RfReadOptions *options,
                                 const char          *column,
                                 RfColumnType        *type)
{
  gpointer value;

  if (options == NULL || options->column_types == NULL || column == NULL)
    return FALSE;
  value = g_hash_table_lookup (options->column_types, column);
  if (value == NULL)
    return FALSE;
  if (type != NULL)
    *type = GPOINTER_TO_INT (value) - 1;
  return TRUE;
}

static void
column_report_free (RfColumnReport *column)
{
  g_free (column->name);
  g_free (column);
}

RfReadReport *
rf_read_report_new (const char *path)
{
  RfReadReport *report = g_new0 (RfReadReport, 1);

  report->path = g_strdup (path);
  report->decimal_mark = '.';
  report->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_report_free);
  report->warnings = g_ptr_array_new_with_free_func (g_free);
  return report;
}

void
rf_read_report_free (RfReadReport *report)
{
  if (report == NULL)
    return;
  g_free (report->path);
  g_free (report->encoding);
  g_free (report->line_ending);
  g_free (report->layout);
  g_ptr_array_unref (report->columns);
  g_ptr_array_unref (report->warnings);
  g_free (report);
}

RfColumnReport *
rf_read_report_add_column (RfReadReport *report,
                           const char   *name,
                           RfColumnType  type)
{
  RfColumnReport *column;

  g_return_val_if_fail (report != NULL, NULL);
  column = g_new0 (RfColumnReport, 1);
  column->name = g_strdup (name);
  column->type = type;
  g_ptr_array_add (report->columns, column);
  return column;
}

void
rf_read_report_add_warning (RfReadReport *report,
                            const char   *format,
                            ...)
{
  va_list args;

  g_return_if_fail (report != NULL);
  va_start (args, format);
  g_ptr_array_add (report->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
rf_read_report_add_detection_json (const RfReadReport *report,
                                   JsonBuilder        *builder)
{
  char delimiter[2] = { report->delimiter, '\0' };
  char decimal_mark[2] = { report->decimal_mark, '\0' };

  g_return_if_fail (report != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  add_nullable_string (builder, "format", rf_format_to_string (report->format));
  add_nullable_string (builder, "encoding", report->encoding);
  json_builder_set_member_name (builder, "bom");
  json_builder_add_boolean_value (builder, report->had_bom);
  add_nullable_string (builder, "delimiter", report->delimiter != 0 ? delimiter : NULL);
  add_nullable_string (builder, "decimal_mark", report->decimal_mark != 0 ? decimal_mark : NULL);
  add_nullable_string (builder, "line_ending", report->line_ending);
  json_builder_set_member_name (builder, "header");
  json_builder_add_boolean_value (builder, report->has_header);
  add_nullable_string (builder, "layout", report->layout);
}

const char *
rf_delimiter_to_string (char delimiter)
{
  switch (delimiter)
    {
    case ',':
      return ",";
    case ';':
      return ";";
    case '\t':
      return "TAB";
    case '|':
      return "|";
    case ' ':
      return "SPACE";
    case 0:
      return "";
    default:
      return "?";
    }
}

RfTable *
rf_read_file (const char           *path,
              const RfReadOptions  *options,
              RfReadReport        **report_out,
              RfProgress           *progress,
              GCancellable         *cancellable,
              GError              **error)
{
  g_autoptr(RfReadReport) report = NULL;
  g_autofree char *display = NULL;
  RfTable *table = NULL;
  RfFormat format;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);

  if (report_out != NULL)
    *report_out = NULL;
  display = g_filename_display_name (path);

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, RF_ERROR, saved == ENOENT ? RF_ERROR_NOT_FOUND : RF_ERROR_IO,
                   "Cannot open “%s”: %s", display, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "“%s” is not a regular file", display);
      return NULL;
    }

  format = options != NULL ? options->format : RF_FORMAT_UNKNOWN;
  if (format == RF_FORMAT_UNKNOWN)
    {
      format = rf_format_detect_file (path, error);
      if (format == RF_FORMAT_UNKNOWN)
        return NULL;
    }

  if (!rf_format_check_size (format, display, (guint64) st.st_size,
                             options != NULL ? options->max_bytes : 0, error))
    return NULL;

  report = rf_read_report_new (path);
  report->format = format;

  switch (format)
    {
    case RF_FORMAT_CSV:
      table = rf_csv_read (path, options, report, progress, cancellable, error);
      break;
    case RF_FORMAT_JSON:
      table = rf_json_read (path, options, report, progress, cancellable, error);
      break;
    case RF_FORMAT_PARQUET:
      table = rf_parquet_read (path, options, report, progress, cancellable, error);
      break;
    case RF_FORMAT_XLSX:
    case RF_FORMAT_XLS:
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "“%s” is a %s file; this version of Refinery reads CSV/TSV, JSON and Parquet "
                   "only: export the data as CSV", display, rf_format_to_string (format));
      break;
    case RF_FORMAT_UNKNOWN:
    default:
      g_assert_not_reached ();
    }

  if (table != NULL)
    report->n_rows = rf_table_get_n_rows (table);
  if (report_out != NULL)
    *report_out = g_steal_pointer (&report);
  return table;
}

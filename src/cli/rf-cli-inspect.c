#define G_LOG_DOMAIN "rf-cli-inspect"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rf-cli-private.h"
#include "rf-json-build.h"
#include "rf-cli-progress.h"
#include "rf-reader.h"

/* Version of the `inspect --json` object (docs/cli-json.md). */
#define INSPECT_SCHEMA_VERSION 1
/* Text preview cells longer than this are cut with "…". */
#define MAX_CELL_CHARS 32

typedef struct
{
  const char *path;
  const RfReadOptions *options;
  RfProgress *progress;
  RfReadReport *report;
} ReadJob;

static gpointer
read_job (gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  ReadJob *job = data;

  return rf_read_file (job->path, job->options, &job->report, job->progress, cancellable, error);
}

/* Min, max and mean of a column, exact for integers and timestamps. */
typedef struct
{
  gboolean has;
  RfColumnType type;
  double min, max, mean;        /* DOUBLE */
  gint64 imin, imax;            /* INT64, TIMESTAMP */
} Summary;

static Summary
summarise (const RfColumn *column)
{
  Summary s = { FALSE, column->type, 0, 0, 0, 0, 0 };

  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      s.has = rf_column_numeric_summary (column, &s.min, &s.max, &s.mean);
      break;
    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      {
        /* Exact: int64 values beyond 2^53 do not survive a trip through double. */
        double sum = 0;
        gsize n = 0;

        for (gsize i = 0; i < column->n_rows; i++)
          {
            gint64 v;

            if (!rf_column_is_valid (column, i))
              continue;
            v = column->values.i64[i];
            if (n == 0 || v < s.imin)
              s.imin = v;
            if (n == 0 || v > s.imax)
              s.imax = v;
            sum += (double) v;
            n++;
          }
        s.has = n > 0;
        s.mean = n > 0 ? sum / (double) n : 0;
      }
      break;
    case RF_COLUMN_BOOL:
    case RF_COLUMN_STRING:
    default:
      break;
    }
  return s;
}

static void
append_timestamp (GString *out,
                  double   usec)
{
  rf_timestamp_format ((gint64) llround (usec), out);
}

/* Text of min (which 0), max (1) or mean (2) for the text table. */
static char *
summary_text (const Summary *s,
              int            which)
{
  GString *out = g_string_new (NULL);

  if (!s->has)
    g_string_append (out, "-");
  else if (s->type == RF_COLUMN_TIMESTAMP)
    append_timestamp (out, which == 0 ? (double) s->imin
                           : which == 1 ? (double) s->imax
                           : s->mean);
  else if (which == 2)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.6g", s->mean));
    }
  else if (s->type == RF_COLUMN_INT64)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, which == 0 ? s->imin : s->imax);
  else
    _rf_cli_append_double (out, which == 0 ? s->min : s->max);
  return g_string_free (out, FALSE);
}

static void
add_summary_member (JsonBuilder   *builder,
                    const char    *name,
                    const Summary *s,
                    int            which)
{
  json_builder_set_member_name (builder, name);
  if (!s->has)
    json_builder_add_null_value (builder);
  else if (s->type == RF_COLUMN_TIMESTAMP)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      append_timestamp (text, which == 0 ? (double) s->imin
                              : which == 1 ? (double) s->imax
                              : s->mean);
      json_builder_add_string_value (builder, text->str);
    }
  else if (which == 2)
    json_builder_add_double_value (builder, s->mean);
  else if (s->type == RF_COLUMN_INT64)
    json_builder_add_int_value (builder, which == 0 ? s->imin : s->imax);
  else
    json_builder_add_double_value (builder, which == 0 ? s->min : s->max);
}

static const RfColumnReport *
find_column_report (const RfReadReport *report,
                    guint               index,
                    const char         *name)
{
  if (index < report->columns->len)
    {
      const RfColumnReport *column = g_ptr_array_index (report->columns, index);
      if (g_strcmp0 (column->name, name) == 0)
        return column;
    }
  for (guint i = 0; i < report->columns->len; i++)
    {
      const RfColumnReport *column = g_ptr_array_index (report->columns, i);
      if (g_strcmp0 (column->name, name) == 0)
        return column;
    }
  return NULL;
}

static void
add_cell (JsonBuilder    *builder,
          const RfColumn *column,
          gsize           row)
{
  if (!rf_column_is_valid (column, row))
    {
      json_builder_add_null_value (builder);
      return;
    }
  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      json_builder_add_double_value (builder, column->values.f64[row]);
      break;
    case RF_COLUMN_INT64:
      json_builder_add_int_value (builder, column->values.i64[row]);
      break;
    case RF_COLUMN_BOOL:
      json_builder_add_boolean_value (builder, column->values.u8[row] != 0);
      break;
    case RF_COLUMN_TIMESTAMP:
    case RF_COLUMN_STRING:
    default:
      {
        g_autoptr(GString) text = g_string_new (NULL);
        rf_column_format_value (column, row, text);
        json_builder_add_string_value (builder, text->str);
      }
      break;
    }
}

static JsonNode *
build_json (const char         *path,
            RfTable            *table,
            const RfReadReport *report,
            gsize               preview_rows)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *display = g_filename_display_name (path);
  guint n_columns = rf_table_get_n_columns (table);
  gsize n_rows = rf_table_get_n_rows (table);

  json_builder_begin_object (builder);
  rf_json_add_string (builder, "schema", "refinery-cli/inspect");
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, INSPECT_SCHEMA_VERSION);
  rf_json_add_string (builder, "path", display);
  rf_read_report_add_detection_json (report, builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, (gint64) n_rows);

  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_columns; i++)
    {
      RfColumn *column = rf_table_get_column (table, i);
      const RfColumnReport *column_report = find_column_report (report, i, column->name);
      Summary s = summarise (column);
      RfTimestampFormat ts_format = column_report != NULL ? column_report->timestamp_format
                                                          : RF_TIMESTAMP_FORMAT_UNKNOWN;

      json_builder_begin_object (builder);
      rf_json_add_string (builder, "name", column->name);
      rf_json_add_string (builder, "type", rf_column_type_to_string (column->type));
      rf_json_add_string (builder, "unit", column->unit);
      rf_json_add_string (builder, "role", rf_column_role_to_string (column->role));
      json_builder_set_member_name (builder, "missing");
      json_builder_add_int_value (builder, (gint64) column->n_missing);
      add_summary_member (builder, "min", &s, 0);
      add_summary_member (builder, "max", &s, 1);
      add_summary_member (builder, "mean", &s, 2);
      rf_json_add_string (builder, "timestamp_format",
                    column->type == RF_COLUMN_TIMESTAMP && ts_format != RF_TIMESTAMP_FORMAT_UNKNOWN
                      ? rf_timestamp_format_to_string (ts_format) : NULL);
      json_builder_set_member_name (builder, "type_overridden");
      json_builder_add_boolean_value (builder, column_report != NULL && column_report->overridden);
      json_builder_set_member_name (builder, "unparsed");
      json_builder_add_int_value (builder,
                                  column_report != NULL ? (gint64) column_report->n_unparsed : 0);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->warnings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (report->warnings, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "preview");
  json_builder_begin_array (builder);
  for (gsize row = 0; row < MIN (preview_rows, n_rows); row++)
    {
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_columns; i++)
        add_cell (builder, rf_table_get_column (table, i), row);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* A cell for the text table: one line, at most MAX_CELL_CHARS characters. */
static char *
cell_text (const RfColumn *column,
           gsize           row)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (!rf_column_is_valid (column, row))
    return g_strdup ("NA");
  rf_column_format_value (column, row, text);
  for (gsize i = 0; i < text->len; i++)
    if ((guchar) text->str[i] < 0x20 || text->str[i] == 0x7f)
      text->str[i] = ' ';
  if (!g_utf8_validate (text->str, (gssize) text->len, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text->str, (gssize) text->len);
      g_string_assign (text, valid);
    }
  if (g_utf8_strlen (text->str, -1) > MAX_CELL_CHARS)
    {
      const char *end = g_utf8_offset_to_pointer (text->str, MAX_CELL_CHARS - 1);
      g_string_truncate (text, (gsize) (end - text->str));
      g_string_append (text, "…");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
append_padded (GString    *line,
               const char *text,
               guint       width,
               gboolean    right)
{
  guint len = (guint) g_utf8_strlen (text, -1);

  if (right)
    for (guint i = len; i < width; i++)
      g_string_append_c (line, ' ');
  g_string_append (line, text);
  if (!right)
    for (guint i = len; i < width; i++)
      g_string_append_c (line, ' ');
}

/* Prints rows of cells as columns separated by two spaces, without trailing
 * blanks; right[c] aligns column c (header included) to the right, as
 * numbers are. cells is rows × n_columns, row 0 the header. */
static void
print_table (GPtrArray      *cells,
             guint           n_columns,
             const gboolean *right)
{
  g_autofree guint *widths = g_new0 (guint, n_columns);
  guint n_rows = cells->len / n_columns;

  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_columns; c++)
      {
        const char *text = g_ptr_array_index (cells, r * n_columns + c);
        widths[c] = MAX (widths[c], (guint) g_utf8_strlen (text, -1));
      }

  for (guint r = 0; r < n_rows; r++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < n_columns; c++)
        {
          if (c > 0)
            g_string_append (line, "  ");
          append_padded (line, g_ptr_array_index (cells, r * n_columns + c), widths[c],
                         right != NULL && right[c]);
        }
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_print ("%s\n", line->str);
    }
}

static void
print_text (const char         *path,
            RfTable            *table,
            const RfReadReport *report,
            gsize               preview_rows)
{
  static const char *summary_headers[] = {
    "#", "column", "type", "unit", "missing", "min", "max", "mean",
  };
  static const gboolean summary_right[] = { TRUE, FALSE, FALSE, FALSE, TRUE, TRUE, TRUE, TRUE };
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autofree gboolean *right = NULL;
  g_autofree char *display = g_filename_display_name (path);
  guint n_columns = rf_table_get_n_columns (table);
  gsize n_rows = rf_table_get_n_rows (table);
  gsize shown = MIN (preview_rows, n_rows);

  g_print ("File          %s\n", display);
  g_print ("Format        %s\n", rf_format_to_string (report->format));
  if (report->encoding != NULL)
    g_print ("Encoding      %s%s\n", report->encoding, report->had_bom ? " (with BOM)" : "");
  if (report->format == RF_FORMAT_CSV)
    {
      g_print ("Delimiter     %s\n", rf_delimiter_to_string (report->delimiter));
      g_print ("Decimal mark  %c\n", report->decimal_mark);
      if (report->line_ending != NULL)
        g_print ("Line ending   %s\n", report->line_ending);
      g_print ("Header        %s\n", report->has_header ? "yes" : "no");
    }
  if (report->layout != NULL)
    g_print ("Layout        %s\n", report->layout);
  g_print ("Rows          %" G_GSIZE_FORMAT "\n", n_rows);
  g_print ("Columns       %u\n", n_columns);

  if (n_columns > 0)
    {
      g_print ("\n");
      for (guint c = 0; c < G_N_ELEMENTS (summary_headers); c++)
        g_ptr_array_add (cells, g_strdup (summary_headers[c]));
      for (guint i = 0; i < n_columns; i++)
        {
          RfColumn *column = rf_table_get_column (table, i);
          Summary s = summarise (column);

          g_ptr_array_add (cells, g_strdup_printf ("%u", i + 1));
          g_ptr_array_add (cells, g_utf8_make_valid (column->name, -1));
          g_ptr_array_add (cells, g_strdup (rf_column_type_to_string (column->type)));
          g_ptr_array_add (cells, g_strdup (column->unit != NULL ? column->unit : "-"));
          g_ptr_array_add (cells, g_strdup_printf ("%" G_GSIZE_FORMAT, column->n_missing));
          g_ptr_array_add (cells, summary_text (&s, 0));
          g_ptr_array_add (cells, summary_text (&s, 1));
          g_ptr_array_add (cells, summary_text (&s, 2));
        }
      print_table (cells, G_N_ELEMENTS (summary_headers), summary_right);
    }

  if (report->warnings->len > 0)
    {
      g_print ("\nWarnings:\n");
      for (guint i = 0; i < report->warnings->len; i++)
        g_print ("  - %s\n", (const char *) g_ptr_array_index (report->warnings, i));
    }

  if (shown == 0 || n_columns == 0)
    return;
  g_print ("\nFirst %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " rows:\n", shown, n_rows);
  g_ptr_array_set_size (cells, 0);
  right = g_new0 (gboolean, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      RfColumn *column = rf_table_get_column (table, i);

      g_ptr_array_add (cells, g_utf8_make_valid (column->name, -1));
      right[i] = column->type == RF_COLUMN_DOUBLE || column->type == RF_COLUMN_INT64;
    }
  for (gsize row = 0; row < shown; row++)
    for (guint i = 0; i < n_columns; i++)
      g_ptr_array_add (cells, cell_text (rf_table_get_column (table, i), row));
  print_table (cells, n_columns, right);
}

int
rf_cli_inspect (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RfReadOptions) options = NULL;
  g_autoptr(RfCliProgress) bar = NULL;
  g_autoptr(RfTable) table = NULL;
  g_autoptr(RfReadReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  RfCliReadArgs read_args = { 0 };
  gboolean json = FALSE;
  int rows = 10;
  ReadJob job = { 0 };
  int status = RF_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print one JSON object instead of text (see docs/cli-json.md)", NULL },
    { "rows", 'n', 0, G_OPTION_ARG_INT, &rows,
      "Show the first N rows (default: 10)", "N" },
    { NULL }
  };

  context = g_option_context_new ("FILE");
  g_option_context_set_summary (context,
                                "Reads the whole data file FILE and reports its format,\n"
                                "encoding, delimiter, decimal mark, header and row\n"
                                "count, then per column its name, type, unit, missing\n"
                                "values, min, max and mean, then the first rows.\n"
                                "Nothing is written anywhere.");
  g_option_context_add_main_entries (context, entries, NULL);
  _rf_cli_read_args_add (context, &read_args);
  if (!_rf_cli_parse_options (context, "inspect", &argc, &argv))
    {
      _rf_cli_read_args_clear (&read_args);
      return RF_CLI_EXIT_USAGE;
    }
  options = _rf_cli_read_args_to_options (&read_args, "inspect");
  _rf_cli_read_args_clear (&read_args);
  if (options == NULL)
    return RF_CLI_EXIT_USAGE;
  if (argc != 2)
    return _rf_cli_usage_error ("inspect", argc < 2 ? "the data file FILE is missing"
                                                    : "give exactly one data file");
  if (rows < 0)
    return _rf_cli_usage_error ("inspect", "--rows must be 0 or more");

  label = g_strdup_printf ("Reading %s", argv[1]);
  bar = rf_cli_progress_new (label);
  job.path = argv[1];
  job.options = options;
  job.progress = rf_cli_progress_get (bar);
  table = _rf_cli_run_job (read_job, &job, &error);
  rf_cli_progress_finish (bar);
  report = g_steal_pointer (&job.report);
  if (table == NULL)
    return _rf_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) root = build_json (argv[1], table, report, (gsize) rows);
      g_autoptr(GString) out = g_string_new (NULL);

      _rf_cli_json_write (root, out);
      fwrite (out->str, 1, out->len, stdout);
    }
  else
    print_text (argv[1], table, report, (gsize) rows);
  if (fflush (stdout) != 0)
    status = RF_CLI_EXIT_FAILURE;
  return status;
}

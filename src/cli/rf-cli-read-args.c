#define G_LOG_DOMAIN "rf-cli-read-args"

#include "config.h"

#include <string.h>

#include "rf-cli-private.h"

void
_rf_cli_read_args_add (GOptionContext *context,
                       RfCliReadArgs  *args)
{
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &args->format,
      "The file's format: csv or json (default: detected from the content)", "FORMAT" },
    { "delimiter", 0, 0, G_OPTION_ARG_STRING, &args->delimiter,
      "CSV field delimiter: , ; | tab (default: sniffed)", "D" },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &args->encoding,
      "Text encoding, e.g. UTF-8, UTF-16LE, ISO-8859-1, WINDOWS-1252 (default: detected)", "ENC" },
    { "decimal", 0, 0, G_OPTION_ARG_STRING, &args->decimal,
      "Decimal mark: . or , (default: detected)", "C" },
    { "header", 0, 0, G_OPTION_ARG_NONE, &args->header,
      "The first row is a header (default: detected)", NULL },
    { "no-header", 0, 0, G_OPTION_ARG_NONE, &args->no_header,
      "The first row is data, not a header", NULL },
    { "type", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args->types,
      "Force the type of column COL: double, int64, bool, string or timestamp (repeatable)",
      "COL=TYPE" },
    { "all-strings", 0, 0, G_OPTION_ARG_NONE, &args->all_strings,
      "Read every column as text (no type inference)", NULL },
    { "max-mb", 0, 0, G_OPTION_ARG_DOUBLE, &args->max_mb,
      "Refuse files larger than N megabytes (default: 500 for CSV, 100 for JSON)", "N" },
    { NULL }
  };

  /* Main entries, so that --help lists them with the command's own. */
  g_option_context_add_main_entries (context, entries, NULL);
}

static gboolean
parse_delimiter (const char *text,
                 char       *delimiter)
{
  static const struct { const char *name; char c; } names[] = {
    { "tab", '\t' }, { "\\t", '\t' }, { "comma", ',' }, { "semicolon", ';' },
    { "pipe", '|' }, { "space", ' ' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i].name) == 0)
      {
        *delimiter = names[i].c;
        return TRUE;
      }
  /* One printable ASCII character that cannot be part of quoting or a line end. */
  if (strlen (text) == 1 && g_ascii_isprint (text[0]) && text[0] != '"' &&
      !g_ascii_isalnum (text[0]))
    {
      *delimiter = text[0];
      return TRUE;
    }
  if (strcmp (text, "\t") == 0)
    {
      *delimiter = '\t';
      return TRUE;
    }
  return FALSE;
}

RfReadOptions *
_rf_cli_read_args_to_options (RfCliReadArgs *args,
                              const char    *command)
{
  g_autoptr(RfReadOptions) options = rf_read_options_new ();

  if (args->format != NULL &&
      (!rf_format_from_string (args->format, &options->format) ||
       options->format == RF_FORMAT_UNKNOWN))
    {
      _rf_cli_usage_error (command, "--format “%s” is not a format; use csv or json", args->format);
      return NULL;
    }
  if (args->delimiter != NULL && !parse_delimiter (args->delimiter, &options->delimiter))
    {
      _rf_cli_usage_error (command, "--delimiter “%s” is not a delimiter; use , ; | or tab",
                           args->delimiter);
      return NULL;
    }
  if (args->encoding != NULL)
    {
      GIConv converter = g_iconv_open ("UTF-8", args->encoding);

      if (converter == (GIConv) -1)
        {
          _rf_cli_usage_error (command, "--encoding “%s” is not an encoding this system knows; "
                               "try UTF-8, UTF-16LE, ISO-8859-1 or WINDOWS-1252", args->encoding);
          return NULL;
        }
      g_iconv_close (converter);
      options->encoding = g_strdup (args->encoding);
    }
  if (args->decimal != NULL)
    {
      if (strcmp (args->decimal, ".") != 0 && strcmp (args->decimal, ",") != 0)
        {
          _rf_cli_usage_error (command, "--decimal “%s” is not a decimal mark; use . or ,",
                               args->decimal);
          return NULL;
        }
      options->decimal_mark = args->decimal[0];
    }
  if (args->header && args->no_header)
    {
      _rf_cli_usage_error (command, "--header and --no-header contradict each other; give one");
      return NULL;
    }
  options->header = args->header ? RF_HEADER_PRESENT : args->no_header ? RF_HEADER_ABSENT
                                                                       : RF_HEADER_AUTO;
  for (guint i = 0; args->types != NULL && args->types[i] != NULL; i++)
    {
      const char *equals = strrchr (args->types[i], '=');
      g_autofree char *column = NULL;
      RfColumnType type;

      if (equals == NULL || equals == args->types[i] ||
          !rf_column_type_from_string (equals + 1, &type))
        {
          _rf_cli_usage_error (command, "--type “%s” is not COL=TYPE with TYPE one of double, "
                               "int64, bool, string, timestamp", args->types[i]);
          return NULL;
        }
      column = g_strndup (args->types[i], (gsize) (equals - args->types[i]));
      rf_read_options_set_column_type (options, column, type);
    }
  options->all_strings = args->all_strings;
  if (args->max_mb < 0 || (args->max_mb > 0 && args->max_mb * 1e6 < 1))
    {
      _rf_cli_usage_error (command, "--max-mb must be a positive number of megabytes");
      return NULL;
    }
  if (args->max_mb > 1e9)
    {
      _rf_cli_usage_error (command, "--max-mb %g is more than any file can be", args->max_mb);
      return NULL;
    }
  options->max_bytes = (guint64) (args->max_mb * 1e6);
  return g_steal_pointer (&options);
}

void
_rf_cli_read_args_clear (RfCliReadArgs *args)
{
  g_clear_pointer (&args->format, g_free);
  g_clear_pointer (&args->delimiter, g_free);
  g_clear_pointer (&args->encoding, g_free);
  g_clear_pointer (&args->decimal, g_free);
  g_clear_pointer (&args->types, g_strfreev);
}

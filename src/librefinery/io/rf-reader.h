/* rf-reader.h: read any supported file into an RfTable.
 *
 * rf_read_file() detects the format (rf-format.h), checks the size limit
 * before parsing, and hands the file to the format's reader. What the reader
 * detected (encoding, delimiter, decimal mark, header, per-column types) is
 * returned in an RfReadReport so the user can see it and override any of it
 * through RfReadOptions on the next read.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-column.h"
#include "rf-format.h"
#include "rf-progress.h"
#include "rf-table.h"
#include "rf-timestamp.h"

G_BEGIN_DECLS

typedef enum
{
  RF_HEADER_AUTO,     /* detect whether the first row is a header */
  RF_HEADER_PRESENT,
  RF_HEADER_ABSENT,
} RfHeaderMode;

typedef struct
{
  RfFormat format;          /* UNKNOWN: detect from the content */
  char *encoding;           /* NULL: detect (BOM, UTF-8 check, uchardet); else an iconv name */
  char delimiter;           /* 0: sniff among , ; TAB | */
  char decimal_mark;        /* 0: detect; '.' or ',' */
  RfHeaderMode header;
  gboolean all_strings;     /* no inference: every column is a string column */
  guint64 max_bytes;        /* 0: rf_format_default_max_bytes (format) */
  gsize max_rows;           /* 0: RF_DEFAULT_MAX_ROWS */
  /*< private >*/
  GHashTable *column_types; /* column name → GINT_TO_POINTER (type + 1) */
} RfReadOptions;

RfReadOptions *rf_read_options_new              (void);
void           rf_read_options_free             (RfReadOptions       *options);
/* Force the type of a column (by its name in the file, after renaming of
 * duplicate names). Values that do not parse as that type become missing
 * and are counted in the report's warnings. */
void           rf_read_options_set_column_type  (RfReadOptions       *options,
                                                 const char          *column,
                                                 RfColumnType         type);
gboolean       rf_read_options_get_column_type  (const RfReadOptions *options,
                                                 const char          *column,
                                                 RfColumnType        *type);

/* How one column was read. */
typedef struct
{
  char *name;
  RfColumnType type;
  RfTimestampFormat timestamp_format;  /* for TIMESTAMP columns read from text */
  gboolean overridden;                 /* type came from the options */
  gsize n_unparsed;                    /* values that did not fit the type → missing */
} RfColumnReport;

typedef struct
{
  char *path;               /* as given */
  RfFormat format;
  char *encoding;           /* "UTF-8", "UTF-16LE", "ISO-8859-1", ...; NULL for binary formats */
  gboolean had_bom;
  char delimiter;           /* CSV: the delimiter used; else 0 */
  char decimal_mark;        /* '.' or ',' */
  char *line_ending;        /* CSV: "LF", "CRLF" or "CR"; else NULL */
  gboolean has_header;
  char *layout;             /* JSON: "records", "columns", "split" or "lines"; else NULL */
  gsize n_rows;
  GPtrArray *columns;       /* RfColumnReport */
  GPtrArray *warnings;      /* char*: things the user should know (padded rows, ...) */
} RfReadReport;

RfReadReport  *rf_read_report_new               (const char          *path);
void           rf_read_report_free              (RfReadReport        *report);
RfColumnReport *rf_read_report_add_column       (RfReadReport        *report,
                                                 const char          *name,
                                                 RfColumnType         type);
void           rf_read_report_add_warning       (RfReadReport        *report,
                                                 const char          *format,
                                                 ...) G_GNUC_PRINTF (2, 3);
/* Adds what was detected, as members of the object being built: format,
 * encoding, bom, delimiter, decimal_mark, line_ending, header, layout
 * (null where a format has no such thing). Shared by `inspect --json` and
 * upload_metadata.json so both describe a file the same way. */
void           rf_read_report_add_detection_json (const RfReadReport *report,
                                                  JsonBuilder        *builder);
/* A short UTF-8 description of a delimiter: ",", ";", "TAB", "|". */
const char    *rf_delimiter_to_string           (char                 delimiter);

/* Reads path. options may be NULL (detect everything). report, if not NULL,
 * receives a new RfReadReport (also on most errors, with what was detected
 * before the failure, or NULL). */
RfTable       *rf_read_file                     (const char          *path,
                                                 const RfReadOptions *options,
                                                 RfReadReport       **report,
                                                 RfProgress          *progress,
                                                 GCancellable        *cancellable,
                                                 GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfReadOptions, rf_read_options_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfReadReport, rf_read_report_free)

G_END_DECLS

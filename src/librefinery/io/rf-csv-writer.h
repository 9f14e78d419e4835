/* rf-csv-writer.h: an RfTable as delimited text.
 *
 * UTF-8 without a BOM, one header row (unless turned off), RFC 4180
 * quoting only where needed: a field is quoted when it holds the delimiter,
 * a quote or a line break, and a string is also quoted when it is empty or
 * reads as a missing-value token ("", "NA", "-"), so that rf_csv_read()
 * gives back text, not a missing value. Missing values are written as
 * na_text (an empty field by default; a line that would be empty, a missing
 * value in a one-column table, is written NA, as empty lines are skipped). Doubles are in shortest round-trip
 * form, with ".0" added to whole numbers so they read back as doubles;
 * timestamps in ISO 8601 UTC ("2024-03-01T12:00:00.250Z"); booleans
 * true/false.
 *
 * Reading a written file gives the same values and types, except where the
 * text alone cannot tell: a string column whose every value looks like a
 * number or a timestamp comes back typed, an all-missing column comes back
 * as strings, NaN comes back missing, and an integer column named like a
 * time whose values are all 2000..2100 epoch seconds comes back as
 * timestamps (rf-infer.h).
 *
 * The file is written through rf-atomic-file.h: until it is complete, an
 * existing file at path is untouched, and an error or a cancel leaves no
 * partial file behind.
 */
#pragma once

#include <gio/gio.h>

#include "rf-progress.h"
#include "rf-table.h"

G_BEGIN_DECLS

typedef struct
{
  char delimiter;          /* ',' ';' '\t' '|' ... (not a quote or a line break) */
  char decimal_mark;       /* '.' or ',' (then a ',' delimiter makes number fields quoted) */
  gboolean header;         /* write the column names first */
  const char *na_text;     /* for missing values; NULL or "" for an empty field */
  gboolean crlf;           /* end lines with CR LF instead of LF */
} RfCsvWriteOptions;

/* ',' '.' header, empty NA, LF: what NULL options mean. */
void      rf_csv_write_options_init (RfCsvWriteOptions       *options);

gboolean  rf_csv_write              (const RfTable           *table,
                                     const char              *path,
                                     const RfCsvWriteOptions *options,
                                     RfProgress              *progress,
                                     GCancellable            *cancellable,
                                     GError                 **error);

G_END_DECLS

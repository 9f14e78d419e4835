/* rf-json-writer.h: an RfTable as JSON.
 *
 * Rows are streamed to the file through rf-atomic-file.h (no document is
 * built in memory), so a cancel or an error leaves any previous file intact.
 *
 *   RECORDS  [{"a":1,"b":"x"},      one record per line inside an array
 *             {"a":2,"b":null}]
 *   LINES    {"a":1,"b":"x"}        JSON Lines: one object per line
 *   COLUMNS  {"a":[1,2],            one array per column (pandas orient='list')
 *             "b":["x",null]}
 *
 * Values: missing → null; int64 as integers; doubles in their shortest form
 * that reads back to the same double, always with a '.' or an exponent so
 * that they read back as doubles ("2.0", not "2"); NaN and ±infinity → null,
 * since JSON has no such numbers; bools as true/false; timestamps as ISO 8601
 * UTC strings ("2024-03-01T12:00:00.250Z"). Column names are written as they
 * are ("a.b" stays one key: nothing is re-nested).
 *
 * rf_json_read() reads every layout back with the same values and types
 * (NaN and infinities excepted, which come back missing), with the caveats
 * of type inference: a string column whose every value reads as a number,
 * a bool or a timestamp, or an int64 column named like a time whose values
 * all look like epoch seconds or milliseconds of 2000..2100, comes back
 * typed accordingly unless the read forces its type (RfReadOptions).
 */
#pragma once

#include <gio/gio.h>

#include "rf-progress.h"
#include "rf-table.h"

G_BEGIN_DECLS

typedef enum
{
  RF_JSON_LAYOUT_RECORDS,
  RF_JSON_LAYOUT_LINES,
  RF_JSON_LAYOUT_COLUMNS,
} RfJsonLayout;

#define RF_JSON_N_LAYOUTS (RF_JSON_LAYOUT_COLUMNS + 1)

/* "records", "lines", "columns" (as in RfReadReport.layout). */
const char *rf_json_layout_to_string   (RfJsonLayout   layout);
gboolean    rf_json_layout_from_string (const char    *text,
                                        RfJsonLayout  *layout);

gboolean    rf_json_write              (const RfTable *table,
                                        const char    *path,
                                        RfJsonLayout   layout,
                                        RfProgress    *progress,
                                        GCancellable  *cancellable,
                                        GError       **error);

/* Appends text[0..length) as a JSON string literal, quotes included:
 * '"', '\\' and control characters escaped, invalid UTF-8 replaced by
 * U+FFFD. length -1: NUL-terminated. */
void        rf_json_append_string      (GString       *out,
                                        const char    *text,
                                        gssize         length);

G_END_DECLS

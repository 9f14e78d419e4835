/* rf-json-reader.h: JSON into an RfTable.
 *
 * Layouts, detected from the content (report->layout):
 * - "records": an array of objects. Nested objects are flattened as "a.b";
 *   arrays (of scalars or of objects) are kept as compact JSON text in a
 *   string column ("[1,2,3]"); an empty object adds no column.
 * - "columns": an object of equal-length arrays ({"temp": [1, 2]}, pandas
 *   orient='list'), or an object of objects ({"temp": {"0": 1, "1": 2}},
 *   pandas orient='columns'), whose inner keys are the index: rows follow
 *   their first appearance and the index becomes a first column "index"
 *   unless it is just 0, 1, ..., n-1.
 * - "split": {"columns": [...], "data": [[...], ...]} with an optional
 *   "index" (kept as for "columns"), members in any order.
 * - "lines": JSON Lines, one object per line (blank lines allowed), each
 *   read as a record. A file named .jsonl/.ndjson is always read so; a
 *   single object of plain values is read as one record, with a warning.
 *
 * Columns come in order of first appearance; a key missing from a record
 * is a missing value, a key given twice keeps its last value (one warning).
 * Types follow the CSV rules (rf-infer.h): JSON numbers are int64 when all
 * are integers that fit, else double; true/false are bool; strings are
 * classed by their text, so a column whose every string reads as a number
 * ("21.5") is numeric, as a timestamp in one format is a timestamp, and
 * anything else (or any nested value, or numbers mixed with other text) is
 * a string column holding the text, numbers in their JSON form ("1.50").
 * Integers in a column named like a time (time, date, ...) that all lie in
 * 2000..2100 as epoch seconds or milliseconds are timestamps, as pandas
 * writes them. A unit in a key ("temp [°C]") becomes the column's unit.
 *
 * Missing: null, absent keys and NaN (which Python's json writes; Infinity
 * and -Infinity are read as doubles). NA strings ("", "NA", "n/a", ...) are
 * missing in typed columns; in a string column a JSON string is always text,
 * as a quoted CSV field is. options->all_strings makes every column a string
 * column; rf_read_options_set_column_type() forces one column's type, values
 * that do not fit become missing and are counted (n_unparsed, a warning).
 * Forced timestamps read numbers as epoch seconds, or milliseconds when any
 * is 1e11 or more.
 *
 * Encoding: UTF-8 (a BOM is dropped); UTF-16 and UTF-32 with a BOM, or
 * recognised by the zero bytes of the first character, are converted; an
 * encoding named in the options is converted from. Anything else that is
 * not valid UTF-8 is RF_ERROR_ENCODING with its line and column.
 *
 * Errors name the file, line and column: RF_ERROR_PARSE for invalid JSON;
 * RF_ERROR_INVALID for JSON that is not a table (a top-level scalar, an
 * array of scalars, ragged column arrays, split rows of the wrong length, a
 * JSON Lines line that is not an object); RF_ERROR_EMPTY for an empty file,
 * "[]", "{}" and any layout with no rows or no columns (an empty table
 * cannot go through the workflow, so it is refused rather than returned);
 * RF_ERROR_TOO_LARGE over options->max_bytes or max_rows, for nesting
 * deeper than 512 levels (checked as it parses, so no input can overflow
 * the stack), and for records whose keys are so scattered that keys × rows
 * would far exceed the values in the file.
 *
 * Memory: no document tree is built; every value costs 8 bytes until its
 * column is built (the input itself stays in memory while it is read).
 * rf_json_read_bytes() reads from memory (tests, fuzzer); display_name is
 * what messages call the input, and its extension counts as the file's.
 */
#pragma once

#include "rf-reader.h"

G_BEGIN_DECLS

RfTable *rf_json_read       (const char          *path,
                             const RfReadOptions *options,
                             RfReadReport        *report,
                             RfProgress          *progress,
                             GCancellable        *cancellable,
                             GError             **error);
RfTable *rf_json_read_bytes (const guint8        *data,
                             gsize                length,
                             const char          *display_name,
                             const RfReadOptions *options,
                             RfReadReport        *report,
                             RfProgress          *progress,
                             GCancellable        *cancellable,
                             GError             **error);

G_END_DECLS

/* rf-csv-reader.h: delimited text (CSV, TSV, ';', '|') into an RfTable.
 *
 * See rf-reader.h for the options and the report. rf_csv_read_bytes() reads
 * from memory (used by tests and the fuzzer); display_name is what error
 * messages call the input.
 *
 * What the reader detects (each can be forced through RfReadOptions):
 * - encoding: a BOM (UTF-8, UTF-16LE/BE), else rf-text-decode.h's sniffer
 *   on the first MiB; text that turns out not to be UTF-8 further down is
 *   re-read in the encoding the whole file shows;
 * - delimiter: among , ; TAB |, the one that splits the first 100 records
 *   into the most consistent number (> 1) of fields, quotes respected;
 * - decimal mark: ',' when the delimiter is not ',' and more sampled values
 *   read as "21,5" / "1.013,25" than as "21.5";
 * - header: the first record is a header unless one of its fields is a
 *   number or a timestamp;
 * - column types: rf-infer.h, over every value of the file (the first
 *   1000 records give a starting guess, every row is then checked; when a
 *   later value does not fit, the column is re-read with the wider type,
 *   so nothing is lost and the result does not depend on the sample).
 *
 * Values: RFC 4180 quoting ("" is a quote, delimiters and line breaks may
 * be quoted). A quote inside an unquoted field is an ordinary character;
 * text after a closing quote ("ab"c) is kept. NA tokens (rf_value_is_na)
 * are missing in every column, except that in string columns a quoted
 * field is always text ("" is an empty string, "NA" the word). With
 * options->all_strings only an empty unquoted field is missing and every
 * other value is kept verbatim. Header names are kept in full ("Air
 * temperature [K]"), and a unit in them becomes the column's unit;
 * duplicate or empty names become unique by rf_table_unique_name's rule
 * (value, value_2, column_3).
 *
 * Structure: empty lines are skipped. A row with fewer fields than the
 * header is padded with missing values (one warning counts them). A row
 * with more fields is an RF_ERROR_PARSE naming the file, its line and its
 * field count, unless the extra fields are all empty (a trailing
 * delimiter), which are dropped with a warning: data is never silently
 * cut off. An unterminated quote is an RF_ERROR_PARSE naming the line
 * where the quote opened. No header and no rows is RF_ERROR_EMPTY; a
 * header alone gives a 0-row table of string columns. More rows than
 * options->max_rows is RF_ERROR_TOO_LARGE, and so are more than 16384
 * columns and a single record over 1 GB (a wrong delimiter, a lost quote).
 * Binary data is RF_ERROR_FORMAT; text that is not valid in its encoding,
 * or that no encoding explains, RF_ERROR_ENCODING with its line.
 *
 * Speed and memory: the text is read in blocks (16 MiB), each block is cut
 * at record boundaries (found by quote parity, then checked) and parsed by
 * one thread per core, numbers in the same pass that finds the field ends.
 * Only the table and about two blocks are in memory at any time. The
 * result does not depend on the number of threads or the block size.
 */
#pragma once

#include "rf-reader.h"

G_BEGIN_DECLS

RfTable *rf_csv_read              (const char          *path,
                                   const RfReadOptions *options,
                                   RfReadReport        *report,
                                   RfProgress          *progress,
                                   GCancellable        *cancellable,
                                   GError             **error);
RfTable *rf_csv_read_bytes        (const guint8        *data,
                                   gsize                length,
                                   const char          *display_name,
                                   const RfReadOptions *options,
                                   RfReadReport        *report,
                                   RfProgress          *progress,
                                   GCancellable        *cancellable,
                                   GError             **error);

/* How the reader splits its work; 0 in a field means the default. Tests
 * use tiny blocks to exercise block and thread boundaries on small inputs;
 * the benchmark compares thread counts. */
typedef struct
{
  gsize block_size;       /* bytes of text parsed per step (16 MiB) */
  guint n_threads;        /* parser threads (number of processors, at most 8) */
  gsize min_split;        /* smallest block that is split between threads (1 MiB) */
} RfCsvTuning;

RfTable *rf_csv_read_tuned        (const char          *path,
                                   const RfCsvTuning   *tuning,
                                   const RfReadOptions *options,
                                   RfReadReport        *report,
                                   RfProgress          *progress,
                                   GCancellable        *cancellable,
                                   GError             **error);
RfTable *rf_csv_read_bytes_tuned  (const guint8        *data,
                                   gsize                length,
                                   const char          *display_name,
                                   const RfCsvTuning   *tuning,
                                   const RfReadOptions *options,
                                   RfReadReport        *report,
                                   RfProgress          *progress,
                                   GCancellable        *cancellable,
                                   GError             **error);

G_END_DECLS

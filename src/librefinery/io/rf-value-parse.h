/* rf-value-parse.h: text → typed values, shared by the text readers.
 *
 * All functions take a (pointer, length) span (not NUL-terminated) and
 * accept surrounding blanks. They never allocate.
 *
 * The rf_value_scan_* functions are the readers' hot path: they read a
 * plain number at the start of a span (no blanks, no thousands separators)
 * and return where it ends, so a reader can parse and find the end of a
 * field in one pass. For any span they accept, the value is exactly what
 * the rf_value_parse_* function gives for the same text.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The missing-value tokens SCADA, Excel and pandas write: empty, NA, N/A,
 * #N/A, NaN, null, NULL, None, nan, - (case-insensitive where sensible). */
gboolean    rf_value_is_na          (const char *text,
                                     gsize       length);

/* A decimal or scientific number with '.' or ',' as decimal mark
 * (decimal_mark ','), optional sign, "inf"/"infinity". With decimal_mark ','
 * a '.' is accepted as a thousands separator between groups of three digits
 * in the integer part ("1.013,25", "12.345.678"). Correctly rounded. */
gboolean    rf_value_parse_double   (const char *text,
                                     gsize       length,
                                     char        decimal_mark,
                                     double     *value);

/* A whole number that fits in int64 (no decimal mark, no exponent). */
gboolean    rf_value_parse_int64    (const char *text,
                                     gsize       length,
                                     gint64     *value);

/* true/false, yes/no, TRUE/FALSE, True/False (not 0/1: those are numbers). */
gboolean    rf_value_parse_bool     (const char *text,
                                     gsize       length,
                                     gboolean   *value);

/* Reads the longest number of the form [+-]digits[<mark>digits][e[+-]digits]
 * at text (at least one digit before or after the mark) and returns the
 * first byte after it, or NULL when text does not start with one (or it is
 * 128 bytes or longer). */
const char *rf_value_scan_double    (const char *text,
                                     const char *end,
                                     char        decimal_mark,
                                     double     *value);

/* Reads [+-]digits at text; NULL when there is none or it overflows int64. */
const char *rf_value_scan_int64     (const char *text,
                                     const char *end,
                                     gint64     *value);

G_END_DECLS

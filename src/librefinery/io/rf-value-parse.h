/* rf-value-parse.h: text → typed values, shared by the text readers.
 *
 * All functions take a (pointer, length) span (not NUL-terminated) and
 * accept surrounding blanks. They never allocate.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The missing-value tokens SCADA, Excel and pandas write: empty, NA, N/A,
 * #N/A, NaN, null, NULL, None, nan, - (case-insensitive where sensible). */
gboolean rf_value_is_na          (const char *text,
                                  gsize       length);

/* A decimal or scientific number with '.' or ',' as decimal mark
 * (decimal_mark ','), optional sign, "inf"/"infinity". With decimal_mark ','
 * a '.' is accepted as a thousands separator between groups of three digits
 * ("1.013,25"). */
gboolean rf_value_parse_double   (const char *text,
                                  gsize       length,
                                  char        decimal_mark,
                                  double     *value);

/* A whole number that fits in int64 (no decimal mark, no exponent). */
gboolean rf_value_parse_int64    (const char *text,
                                  gsize       length,
                                  gint64     *value);

/* true/false, yes/no, TRUE/FALSE, True/False (not 0/1: those are numbers). */
gboolean rf_value_parse_bool     (const char *text,
                                  gsize       length,
                                  gboolean   *value);

G_END_DECLS

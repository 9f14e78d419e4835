/* rf-timestamp.h: timestamps as int64 microseconds since 1970-01-01T00:00:00Z.
 *
 * Parses the forms SCADA and historian tools write. Text without a zone is
 * taken as UTC (we never guess the machine's local zone); an explicit offset
 * (Z, +01:00, -0500) is applied. Years 1..9999 are accepted.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RF_TIMESTAMP_FORMAT_UNKNOWN,
  RF_TIMESTAMP_FORMAT_ISO,        /* 2024-03-01, 2024-03-01T12:00, 2024-03-01 12:00:00.250+01:00, 2024/03/01 12:00:00 */
  RF_TIMESTAMP_FORMAT_DMY_DOT,    /* 01.03.2024 12:00:00[,mmm | .mmm] */
  RF_TIMESTAMP_FORMAT_MDY_SLASH,  /* 03/01/2024 12:00:00[.mmm] [AM|PM] */
  RF_TIMESTAMP_FORMAT_DMY_SLASH,  /* 01/03/2024 12:00:00[.mmm] */
  RF_TIMESTAMP_FORMAT_EPOCH_S,    /* 1709294400 or 1709294400.25 */
  RF_TIMESTAMP_FORMAT_EPOCH_MS,   /* 1709294400250 */
} RfTimestampFormat;

#define RF_TIMESTAMP_N_FORMATS (RF_TIMESTAMP_FORMAT_EPOCH_MS + 1)

/* Parses text[0..len) in the given format; surrounding blanks are allowed.
 * Returns FALSE (and leaves *usec alone) when it does not match. */
gboolean           rf_timestamp_parse              (const char        *text,
                                                    gsize              len,
                                                    RfTimestampFormat  format,
                                                    gint64            *usec);

/* The textual format text matches: ISO, DMY_DOT, or MDY_SLASH/DMY_SLASH
 * (MDY unless the first field is > 12). Never returns an EPOCH format:
 * whether a number is a time is decided per column, by its name and range. */
RfTimestampFormat  rf_timestamp_detect             (const char        *text,
                                                    gsize              len);

/* ISO 8601 in UTC: "2024-03-01T12:00:00Z", with ".250" or ".250125" when the
 * value has a fraction of a second. */
void               rf_timestamp_format             (gint64             usec,
                                                    GString           *out);

/* Proleptic Gregorian civil time (UTC) to microseconds since the epoch.
 * Fields are not range-checked here; rf_timestamp_parse checks them. */
gint64             rf_timestamp_from_civil         (int                year,
                                                    int                month,
                                                    int                day,
                                                    int                hour,
                                                    int                minute,
                                                    int                second,
                                                    int                microsecond);
void               rf_timestamp_to_civil           (gint64             usec,
                                                    int               *year,
                                                    int               *month,
                                                    int               *day,
                                                    int               *hour,
                                                    int               *minute,
                                                    int               *second,
                                                    int               *microsecond);

const char        *rf_timestamp_format_to_string   (RfTimestampFormat  format);
gboolean           rf_timestamp_format_from_string (const char        *text,
                                                    RfTimestampFormat *format);

G_END_DECLS

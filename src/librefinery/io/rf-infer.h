/* rf-infer.h: the type of a text column, inferred from its values.
 *
 * Each value falls in a class; a column's class is the join of its values'
 * classes in this lattice (NA is the bottom, STRING the top):
 *
 *   NA < BOOL < STRING
 *   NA < INT < DOUBLE < STRING
 *   NA < ISO, DMY_DOT < STRING
 *   NA < SLASH < MDY_SLASH, DMY_SLASH < STRING
 *
 * (SLASH is "03/01/2024", which reads month-first and day-first; a value
 * whose first field is over 12 makes the column day-first.) The join is
 * commutative and associative, so the class of a column does not depend on
 * the order its values are seen in, how a reader splits the file between
 * threads, or how many rows it samples first. A value fits a column of
 * class K exactly when its class is <= K, and the readers test "fits" by
 * parsing it as K's column type.
 *
 * Integers with a leading zero ("01234", a code, not a number) are STRING.
 * Integers beyond int64 are DOUBLE: a value is kept (rounded) rather than
 * turning the column into text. An INT column whose name suggests time
 * (time, timestamp, date, epoch, zeit) and whose every value lies within
 * 2000..2100 as epoch seconds (or every value as epoch milliseconds) is a
 * TIMESTAMP column; that condition is another commutative join
 * (RfEpochState), so it is thread-independent too.
 */
#pragma once

#include <glib.h>

#include "rf-column.h"
#include "rf-timestamp.h"

G_BEGIN_DECLS

typedef enum
{
  RF_VALUE_CLASS_NA,
  RF_VALUE_CLASS_BOOL,
  RF_VALUE_CLASS_INT,
  RF_VALUE_CLASS_DOUBLE,
  RF_VALUE_CLASS_ISO,
  RF_VALUE_CLASS_DMY_DOT,
  RF_VALUE_CLASS_SLASH,
  RF_VALUE_CLASS_MDY_SLASH,
  RF_VALUE_CLASS_DMY_SLASH,
  RF_VALUE_CLASS_STRING,
} RfValueClass;

typedef enum
{
  RF_EPOCH_UNSEEN,         /* no integer yet: the identity of the join */
  RF_EPOCH_SECONDS,
  RF_EPOCH_MILLISECONDS,
  RF_EPOCH_NONE,           /* absorbing */
} RfEpochState;

/* Epoch values count as plausible between these instants (2000..2100). */
#define RF_EPOCH_MIN_SECONDS G_GINT64_CONSTANT (946684800)
#define RF_EPOCH_MAX_SECONDS G_GINT64_CONSTANT (4102444800)

/* The class of text[0..length) (surrounding blanks ignored); NA tokens
 * (rf_value_is_na) are NA. */
RfValueClass  rf_value_class_of         (const char        *text,
                                         gsize              length,
                                         char               decimal_mark);
RfValueClass  rf_value_class_join       (RfValueClass       a,
                                         RfValueClass       b);
const char   *rf_value_class_to_string  (RfValueClass       klass);

/* Whether an all-digit value has a leading zero ("0123", "-007"; not "0"). */
gboolean      rf_value_is_code          (const char        *text,
                                         gsize              length);

RfEpochState  rf_epoch_state_of         (gint64             value);
RfEpochState  rf_epoch_state_join       (RfEpochState       a,
                                         RfEpochState       b);

/* Whether a column name suggests a time (case-insensitive: time, date,
 * epoch, zeit, datum anywhere in it). */
gboolean      rf_infer_name_is_time     (const char        *name);

/* The column type a column of class klass is stored as; *format receives
 * the timestamp format of TIMESTAMP columns (else UNKNOWN). time_name and
 * epoch decide whether an INT column holds epoch times. NA (no value at
 * all) is STRING. */
RfColumnType  rf_infer_column_type      (RfValueClass       klass,
                                         gboolean           time_name,
                                         RfEpochState       epoch,
                                         RfTimestampFormat *format);

/* The unit written in a header name: "Air temperature [K]" → "K",
 * "temp (°C)" → "°C", "Flow (m³/h)" → "m³/h"; NULL when there is none.
 * Square brackets take anything short; parentheses only unit-like text
 * (no blanks, at least one letter or symbol), so "Pump (line 2)" has none. */
char         *rf_infer_unit_from_name   (const char        *name);

G_END_DECLS

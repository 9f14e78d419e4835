/* rf-units.h: physical units of sensor data, and conversions between them.
 *
 * Every unit has a canonical symbol, the one profiles use ("degC", "psi",
 * "mm/s", "l/min", "m3/h", "um", "%", ...), a dimension, and an affine map to
 * its dimension's base unit, so every conversion within a dimension is
 * affine (RfUnitConversion).
 *
 * rf_unit_lookup() is tolerant of the ways exports write units: a degree
 * sign or "deg" ("°F", "deg F", "degF", "Fahrenheit", "F"), superscripts and
 * "^" ("m³/h", "m^3/h"), "µ"/"μ"/"u"/"micron", "per" for "/" ("mm per min"),
 * plant abbreviations ("ips" for in/s, "lpm", "gpm", "psig", "amps"), and any
 * case where that is unambiguous ("MW" is a megawatt, "mW" is unknown).
 *
 * Units are static data: never freed, safe to share between threads.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RF_DIMENSION_NONE = 0,          /* not a unit we know */
  RF_DIMENSION_TEMPERATURE,       /* base K */
  RF_DIMENSION_PRESSURE,          /* base Pa */
  RF_DIMENSION_VELOCITY,          /* base m/s: vibration velocity, feed rate, speed */
  RF_DIMENSION_ACCELERATION,      /* base m/s2 */
  RF_DIMENSION_FLOW,              /* base m3/s (volume flow) */
  RF_DIMENSION_POWER,             /* base W */
  RF_DIMENSION_ENERGY,            /* base J */
  RF_DIMENSION_CURRENT,           /* base A */
  RF_DIMENSION_VOLTAGE,           /* base V */
  RF_DIMENSION_ROTATIONAL_SPEED,  /* base 1/s (Hz): rpm, Hz, rad/s */
  RF_DIMENSION_LENGTH,            /* base m: displacement, wear, level */
  RF_DIMENSION_TIME,              /* base s */
  RF_DIMENSION_RATIO,             /* base 1: %, ppm */
  RF_DIMENSION_COUNT,             /* cycles */
  RF_DIMENSION_TORQUE,            /* base N·m */
  RF_DIMENSION_FORCE,             /* base N */
  RF_DIMENSION_MASS,              /* base kg */
} RfDimension;

typedef struct _RfUnit RfUnit;

/* The unit text names, or NULL when it is not a unit we know. */
const RfUnit *rf_unit_lookup          (const char    *text);
/* The canonical symbol, e.g. "degF", "m3/h". */
const char   *rf_unit_get_symbol      (const RfUnit  *unit);
/* A name for people, e.g. "degree Fahrenheit". */
const char   *rf_unit_get_name        (const RfUnit  *unit);
RfDimension   rf_unit_get_dimension   (const RfUnit  *unit);
/* e.g. "temperature", "vibration velocity, feed or speed"; "none". */
const char   *rf_dimension_to_string  (RfDimension    dimension);

/* A conversion: value_to = (value_from × mul + add) / div. The three
 * numbers are exact integers wherever the units' definitions allow (185 degF
 * → 85 degC, 1 in/s → 25.4 mm/s and 100 psi → 6.894757293168361 bar come
 * out correctly rounded), which a precomputed scale and offset would not. */
typedef struct
{
  double mul;
  double add;
  double div;
} RfUnitConversion;

/* TRUE when both units measure the same dimension. */
gboolean      rf_unit_can_convert     (const RfUnit  *from,
                                       const RfUnit  *to);
/* Different dimensions → RF_ERROR_INVALID naming both units and their
 * dimensions. */
gboolean      rf_unit_get_conversion  (const RfUnit      *from,
                                       const RfUnit      *to,
                                       RfUnitConversion  *conversion,
                                       GError           **error);
static inline double
rf_unit_conversion_apply (const RfUnitConversion *conversion,
                          double                  value)
{
  /* A pure shift (K ↔ degC) adds the offset itself: 273.15 K is 0 degC,
   * though the double nearest 273.15 times 100 is not 27315. */
  if (conversion->mul == conversion->div)
    return value + conversion->add / conversion->div;
  return (value * conversion->mul + conversion->add) / conversion->div;
}
/* The inverse: value_from from value_to. */
static inline double
rf_unit_conversion_invert (const RfUnitConversion *conversion,
                           double                  value)
{
  if (conversion->mul == conversion->div)
    return value - conversion->add / conversion->div;
  return (value * conversion->div - conversion->add) / conversion->mul;
}
/* value in from → value in to; NAN when the dimensions differ. */
double        rf_unit_convert         (const RfUnit  *from,
                                       const RfUnit  *to,
                                       double         value);

/* The canonical symbols of all known units, in table order; NULL-terminated,
 * owned by the library. */
const char * const *rf_unit_list_symbols (void);

G_END_DECLS

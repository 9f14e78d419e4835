#define G_LOG_DOMAIN "rf-units"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-error.h"
#include "rf-units.h"

/* A unit maps to its dimension's base unit as base = (x × num + off) / den.
 * num, off and den are exact integers whenever the unit's definition is a
 * finite decimal, so conversions between two such units are computed from
 * exact integers (see RfUnitConversion). */
struct _RfUnit
{
  const char *symbol;
  const char *name;
  RfDimension dimension;
  double num;
  double off;
  double den;
  /* Other spellings, compared after normalise_unit_text(); NULL-terminated. */
  const char *aliases[8];
};

#define TWO_PI 6.283185307179586

static const RfUnit units[] = {
  /* temperature, base K */
  { "degC", "degree Celsius", RF_DIMENSION_TEMPERATURE, 100, 27315, 100,
    { "C", "Celsius", "degreesC", "degreeC", "Cel", "centigrade", NULL } },
  { "degF", "degree Fahrenheit", RF_DIMENSION_TEMPERATURE, 500, 229835, 900,
    { "F", "Fahrenheit", "degreesF", "degreeF", NULL } },
  { "K", "kelvin", RF_DIMENSION_TEMPERATURE, 1, 0, 1, { "kelvin", "degK", NULL } },
  { "degR", "degree Rankine", RF_DIMENSION_TEMPERATURE, 5, 0, 9,
    { "R", "Rankine", "degreesR", NULL } },
  /* pressure, base Pa */
  { "bar", "bar", RF_DIMENSION_PRESSURE, 100000, 0, 1, { "bara", "barg", NULL } },
  { "mbar", "millibar", RF_DIMENSION_PRESSURE, 100, 0, 1, { "millibar", "mbara", "mbarg", NULL } },
  { "Pa", "pascal", RF_DIMENSION_PRESSURE, 1, 0, 1, { "pascal", NULL } },
  { "hPa", "hectopascal", RF_DIMENSION_PRESSURE, 100, 0, 1, { NULL } },
  { "kPa", "kilopascal", RF_DIMENSION_PRESSURE, 1000, 0, 1, { "kPaa", "kPag", NULL } },
  { "MPa", "megapascal", RF_DIMENSION_PRESSURE, 1000000, 0, 1, { "MPaa", "MPag", NULL } },
  /* lbf / in² = 0.45359237 kg × 9.80665 m/s² / (0.0254 m)² */
  { "psi", "pound per square inch", RF_DIMENSION_PRESSURE, 44482216152605.0, 0, 6451600000.0,
    { "psia", "psig", "psid", "lb/in2", "lbf/in2", NULL } },
  { "inH2O", "inch of water (4 °C)", RF_DIMENSION_PRESSURE, 24908891, 0, 100000,
    { "inWC", "inWG", "inchH2O", "inchesH2O", NULL } },
  { "inHg", "inch of mercury (0 °C)", RF_DIMENSION_PRESSURE, 3386389, 0, 1000, { NULL } },
  { "mmHg", "millimetre of mercury", RF_DIMENSION_PRESSURE, 133322387415.0, 0, 1000000000,
    { "torr", NULL } },
  { "atm", "standard atmosphere", RF_DIMENSION_PRESSURE, 101325, 0, 1, { NULL } },
  /* velocity, base m/s */
  { "m/s", "metre per second", RF_DIMENSION_VELOCITY, 1, 0, 1, { NULL } },
  { "mm/s", "millimetre per second", RF_DIMENSION_VELOCITY, 1, 0, 1000, { NULL } },
  { "in/s", "inch per second", RF_DIMENSION_VELOCITY, 254, 0, 10000,
    { "ips", "inch/s", "inches/s", "inps", NULL } },
  { "ft/s", "foot per second", RF_DIMENSION_VELOCITY, 3048, 0, 10000, { NULL } },
  { "km/h", "kilometre per hour", RF_DIMENSION_VELOCITY, 1000, 0, 3600, { "kph", "kmh", NULL } },
  { "mph", "mile per hour", RF_DIMENSION_VELOCITY, 1609344, 0, 3600000, { NULL } },
  { "mm/min", "millimetre per minute", RF_DIMENSION_VELOCITY, 1, 0, 60000, { NULL } },
  { "m/min", "metre per minute", RF_DIMENSION_VELOCITY, 1, 0, 60, { "mpm", NULL } },
  { "in/min", "inch per minute", RF_DIMENSION_VELOCITY, 254, 0, 600000, { "ipm", NULL } },
  /* acceleration, base m/s² */
  { "m/s2", "metre per second squared", RF_DIMENSION_ACCELERATION, 1, 0, 1, { "m/s/s", NULL } },
  { "mm/s2", "millimetre per second squared", RF_DIMENSION_ACCELERATION, 1, 0, 1000, { NULL } },
  { "g", "standard gravity", RF_DIMENSION_ACCELERATION, 980665, 0, 100000,
    { "gn", "grms", "gpk", NULL } },
  /* volume flow, base m³/s */
  { "l/min", "litre per minute", RF_DIMENSION_FLOW, 1, 0, 60000, { "lpm", "l/m", NULL } },
  { "l/s", "litre per second", RF_DIMENSION_FLOW, 1, 0, 1000, { "lps", NULL } },
  { "l/h", "litre per hour", RF_DIMENSION_FLOW, 1, 0, 3600000, { "lph", NULL } },
  { "m3/h", "cubic metre per hour", RF_DIMENSION_FLOW, 1, 0, 3600, { "m3/hr", "cmh", NULL } },
  { "m3/min", "cubic metre per minute", RF_DIMENSION_FLOW, 1, 0, 60, { NULL } },
  { "m3/s", "cubic metre per second", RF_DIMENSION_FLOW, 1, 0, 1, { NULL } },
  /* US gallon = 3.785411784 l */
  { "gpm", "US gallon per minute", RF_DIMENSION_FLOW, 3785411784.0, 0, 60000000000000.0,
    { "USgpm", "gal/min", "usgal/min", NULL } },
  /* cubic foot = 0.028316846592 m³ */
  { "cfm", "cubic foot per minute", RF_DIMENSION_FLOW, 28316846592.0, 0, 60000000000000.0,
    { "ft3/min", "scfm", "acfm", NULL } },
  /* power, base W */
  { "W", "watt", RF_DIMENSION_POWER, 1, 0, 1, { "watt", "watts", NULL } },
  { "kW", "kilowatt", RF_DIMENSION_POWER, 1000, 0, 1, { "kilowatt", "kilowatts", NULL } },
  { "MW", "megawatt", RF_DIMENSION_POWER, 1000000, 0, 1, { "megawatt", "megawatts", NULL } },
  /* mechanical horsepower: 550 ft·lbf/s */
  { "hp", "horsepower", RF_DIMENSION_POWER, 745.69987158227022, 0, 1, { "bhp", NULL } },
  /* energy, base J */
  { "J", "joule", RF_DIMENSION_ENERGY, 1, 0, 1, { "joule", NULL } },
  { "kJ", "kilojoule", RF_DIMENSION_ENERGY, 1000, 0, 1, { NULL } },
  { "MJ", "megajoule", RF_DIMENSION_ENERGY, 1000000, 0, 1, { NULL } },
  { "Wh", "watt hour", RF_DIMENSION_ENERGY, 3600, 0, 1, { NULL } },
  { "kWh", "kilowatt hour", RF_DIMENSION_ENERGY, 3600000, 0, 1, { NULL } },
  { "MWh", "megawatt hour", RF_DIMENSION_ENERGY, 3600000000.0, 0, 1, { NULL } },
  /* current, base A */
  { "A", "ampere", RF_DIMENSION_CURRENT, 1, 0, 1, { "amp", "amps", "ampere", "amperes", "Arms", NULL } },
  { "mA", "milliampere", RF_DIMENSION_CURRENT, 1, 0, 1000, { NULL } },
  { "kA", "kiloampere", RF_DIMENSION_CURRENT, 1000, 0, 1, { NULL } },
  /* voltage, base V */
  { "V", "volt", RF_DIMENSION_VOLTAGE, 1, 0, 1, { "volt", "volts", "Vac", "Vdc", "Vrms", NULL } },
  { "mV", "millivolt", RF_DIMENSION_VOLTAGE, 1, 0, 1000, { NULL } },
  { "kV", "kilovolt", RF_DIMENSION_VOLTAGE, 1000, 0, 1, { NULL } },
  /* rotational speed and frequency, base 1/s */
  { "rpm", "revolution per minute", RF_DIMENSION_ROTATIONAL_SPEED, 1, 0, 60,
    { "r/min", "rev/min", "1/min", "U/min", NULL } },
  { "Hz", "hertz", RF_DIMENSION_ROTATIONAL_SPEED, 1, 0, 1, { "hertz", "1/s", NULL } },
  { "kHz", "kilohertz", RF_DIMENSION_ROTATIONAL_SPEED, 1000, 0, 1, { NULL } },
  { "rad/s", "radian per second", RF_DIMENSION_ROTATIONAL_SPEED, 1, 0, TWO_PI, { NULL } },
  /* length, base m */
  { "m", "metre", RF_DIMENSION_LENGTH, 1, 0, 1, { "meter", "metre", "meters", "metres", NULL } },
  { "cm", "centimetre", RF_DIMENSION_LENGTH, 1, 0, 100, { NULL } },
  { "mm", "millimetre", RF_DIMENSION_LENGTH, 1, 0, 1000, { NULL } },
  { "um", "micrometre", RF_DIMENSION_LENGTH, 1, 0, 1000000,
    { "micron", "microns", "micrometer", "micrometre", "micrometers", NULL } },
  { "in", "inch", RF_DIMENSION_LENGTH, 254, 0, 10000, { "inch", "inches", NULL } },
  { "ft", "foot", RF_DIMENSION_LENGTH, 3048, 0, 10000, { "feet", "foot", NULL } },
  { "mil", "thousandth of an inch", RF_DIMENSION_LENGTH, 254, 0, 10000000, { "mils", "thou", NULL } },
  /* time, base s */
  { "s", "second", RF_DIMENSION_TIME, 1, 0, 1, { "sec", "secs", "second", "seconds", NULL } },
  { "ms", "millisecond", RF_DIMENSION_TIME, 1, 0, 1000, { "msec", NULL } },
  { "min", "minute", RF_DIMENSION_TIME, 60, 0, 1, { "mins", "minute", "minutes", NULL } },
  { "h", "hour", RF_DIMENSION_TIME, 3600, 0, 1, { "hr", "hrs", "hour", "hours", NULL } },
  { "d", "day", RF_DIMENSION_TIME, 86400, 0, 1, { "day", "days", NULL } },
  /* ratios, base 1 */
  { "%", "percent", RF_DIMENSION_RATIO, 1, 0, 100, { "pct", "percent", "%RH", NULL } },
  { "ppm", "part per million", RF_DIMENSION_RATIO, 1, 0, 1000000, { NULL } },
  /* counts */
  { "cycles", "cycle", RF_DIMENSION_COUNT, 1, 0, 1, { "cycle", "cyc", NULL } },
  /* torque, base N·m */
  { "N.m", "newton metre", RF_DIMENSION_TORQUE, 1, 0, 1, { "Nm", NULL } },
  { "kN.m", "kilonewton metre", RF_DIMENSION_TORQUE, 1000, 0, 1, { "kNm", NULL } },
  /* lbf × ft = 4.4482216152605 N × 0.3048 m */
  { "lbf.ft", "pound-force foot", RF_DIMENSION_TORQUE, 13558179483314004.0, 0, 10000000000000000.0,
    { "ftlb", "ftlbf", "lbft", NULL } },
  /* force, base N */
  { "N", "newton", RF_DIMENSION_FORCE, 1, 0, 1, { "newton", "newtons", NULL } },
  { "kN", "kilonewton", RF_DIMENSION_FORCE, 1000, 0, 1, { NULL } },
  { "lbf", "pound-force", RF_DIMENSION_FORCE, 44482216152605.0, 0, 10000000000000.0, { NULL } },
  /* mass, base kg */
  { "kg", "kilogram", RF_DIMENSION_MASS, 1, 0, 1, { NULL } },
  { "lb", "pound", RF_DIMENSION_MASS, 45359237, 0, 100000000, { "lbs", NULL } },
};

static const char * const dimension_names[] = {
  [RF_DIMENSION_NONE] = "none",
  [RF_DIMENSION_TEMPERATURE] = "temperature",
  [RF_DIMENSION_PRESSURE] = "pressure",
  [RF_DIMENSION_VELOCITY] = "velocity",
  [RF_DIMENSION_ACCELERATION] = "acceleration",
  [RF_DIMENSION_FLOW] = "volume flow",
  [RF_DIMENSION_POWER] = "power",
  [RF_DIMENSION_ENERGY] = "energy",
  [RF_DIMENSION_CURRENT] = "electric current",
  [RF_DIMENSION_VOLTAGE] = "voltage",
  [RF_DIMENSION_ROTATIONAL_SPEED] = "rotational speed or frequency",
  [RF_DIMENSION_LENGTH] = "length",
  [RF_DIMENSION_TIME] = "time",
  [RF_DIMENSION_RATIO] = "ratio",
  [RF_DIMENSION_COUNT] = "count",
  [RF_DIMENSION_TORQUE] = "torque",
  [RF_DIMENSION_FORCE] = "force",
  [RF_DIMENSION_MASS] = "mass",
};

/* Longest text worth looking at: no unit spelling is longer. */
#define MAX_UNIT_TEXT 40

static gboolean
starts_with (const char *s,
             const char *prefix)
{
  return strncmp (s, prefix, strlen (prefix)) == 0;
}

/* Brings the spellings of a unit to one form: no spaces, brackets, "^",
 * "·" or "*"; a degree sign, "º" or "deg"/"degree(s)" before a letter
 * becomes "deg"; superscript 2 and 3 become digits; micro signs become "u";
 * " per " becomes "/"; the letters ℃ and ℉ become degC and degF. Returns
 * FALSE when text is too long or holds something no unit has. */
static gboolean
normalise_unit_text (const char *text,
                     char       *out,
                     gsize       out_size)
{
  gsize n = 0;
  const char *p = text;

#define PUT(str) G_STMT_START {                         \
    const char *s_ = (str);                             \
    gsize l_ = strlen (s_);                             \
    if (n + l_ >= out_size)                             \
      return FALSE;                                     \
    memcpy (out + n, s_, l_);                           \
    n += l_;                                            \
  } G_STMT_END

  while (*p != '\0')
    {
      if (*p == ' ' || *p == '\t' || *p == '(' || *p == ')' || *p == '[' || *p == ']' ||
          *p == '{' || *p == '}' || *p == '^' || *p == '*' || *p == '_' || *p == '.' || *p == '-')
        p++;
      else if (starts_with (p, "°") || starts_with (p, "º") || starts_with (p, "˚"))
        {
          p += starts_with (p, "˚") ? strlen ("˚") : 2;
          PUT ("deg");
        }
      else if (starts_with (p, "℃"))
        {
          p += strlen ("℃");
          PUT ("degC");
        }
      else if (starts_with (p, "℉"))
        {
          p += strlen ("℉");
          PUT ("degF");
        }
      else if (starts_with (p, "²"))
        {
          p += strlen ("²");
          PUT ("2");
        }
      else if (starts_with (p, "³"))
        {
          p += strlen ("³");
          PUT ("3");
        }
      else if (starts_with (p, "µ") || starts_with (p, "μ"))
        {
          p += 2;
          PUT ("u");
        }
      else if (starts_with (p, "·"))
        p += strlen ("·");
      else if ((p == text || p[-1] == ' ' || p[-1] == '_') &&
               (g_ascii_strncasecmp (p, "per ", 4) == 0 || g_ascii_strncasecmp (p, "per_", 4) == 0))
        {
          p += 4;
          PUT ("/");
        }
      else if ((guchar) *p >= 0x80 || !g_ascii_isprint (*p))
        return FALSE;
      else
        {
          char c[2] = { *p, '\0' };
          p++;
          PUT (c);
        }
    }
  out[n] = '\0';
#undef PUT

  /* "degrees F", "degree C", "Deg.F" → "degF" */
  if (g_ascii_strncasecmp (out, "degrees", 7) == 0 && out[7] != '\0' && out[8] == '\0')
    memmove (out + 3, out + 7, 2);
  else if (g_ascii_strncasecmp (out, "degree", 6) == 0 && out[6] != '\0' && out[7] == '\0')
    memmove (out + 3, out + 6, 2);
  if (g_ascii_strncasecmp (out, "deg", 3) == 0)
    memcpy (out, "deg", 3);
  return n > 0;
}

/* "mW" written with care means a milliwatt, not the megawatt "MW": when the
 * text has capitals, a leading m/M must keep its case. All lower or all
 * upper case text ("mw", "MPA") carries no such intent. */
static gboolean
contradicts_prefix (const char *wanted,
                    const char *candidate)
{
  gboolean has_upper = FALSE;
  gboolean has_lower = FALSE;

  for (const char *p = wanted; *p != '\0'; p++)
    {
      has_upper |= g_ascii_isupper (*p);
      has_lower |= g_ascii_islower (*p);
    }
  return has_upper && has_lower && (wanted[0] == 'm' || wanted[0] == 'M') && wanted[0] != candidate[0];
}

const RfUnit *
rf_unit_lookup (const char *text)
{
  char wanted[MAX_UNIT_TEXT + 1];
  const RfUnit *folded = NULL;
  gboolean folded_ambiguous = FALSE;

  if (text == NULL || strlen (text) > MAX_UNIT_TEXT)
    return NULL;
  if (!normalise_unit_text (text, wanted, sizeof wanted))
    return NULL;

  /* Exact spelling first; then any case, when only one unit matches so
   * ("MW" and "mw" find the megawatt, but case decides between units that
   * differ only by it). */
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    {
      const RfUnit *unit = &units[i];

      for (int a = -1; a < (int) G_N_ELEMENTS (unit->aliases); a++)
        {
          const char *spelling = a < 0 ? unit->symbol : unit->aliases[a];
          char candidate[MAX_UNIT_TEXT + 1];

          if (spelling == NULL)
            break;
          if (!normalise_unit_text (spelling, candidate, sizeof candidate))
            continue;
          if (strcmp (candidate, wanted) == 0)
            return unit;
          if (g_ascii_strcasecmp (candidate, wanted) == 0 && !contradicts_prefix (wanted, candidate))
            {
              if (folded != NULL && folded != unit)
                folded_ambiguous = TRUE;
              folded = unit;
            }
        }
    }
  return folded_ambiguous ? NULL : folded;
}

const char *
rf_unit_get_symbol (const RfUnit *unit)
{
  g_return_val_if_fail (unit != NULL, NULL);
  return unit->symbol;
}

const char *
rf_unit_get_name (const RfUnit *unit)
{
  g_return_val_if_fail (unit != NULL, NULL);
  return unit->name;
}

RfDimension
rf_unit_get_dimension (const RfUnit *unit)
{
  g_return_val_if_fail (unit != NULL, RF_DIMENSION_NONE);
  return unit->dimension;
}

const char *
rf_dimension_to_string (RfDimension dimension)
{
  if ((guint) dimension >= G_N_ELEMENTS (dimension_names))
    return "none";
  return dimension_names[dimension];
}

gboolean
rf_unit_can_convert (const RfUnit *from,
                     const RfUnit *to)
{
  g_return_val_if_fail (from != NULL && to != NULL, FALSE);
  return from->dimension == to->dimension && from->dimension != RF_DIMENSION_NONE;
}

gboolean
rf_unit_get_conversion (const RfUnit      *from,
                        const RfUnit      *to,
                        RfUnitConversion  *conversion,
                        GError           **error)
{
  g_return_val_if_fail (from != NULL && to != NULL, FALSE);
  g_return_val_if_fail (conversion != NULL, FALSE);

  if (!rf_unit_can_convert (from, to))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "Cannot convert %s (%s) to %s (%s): they measure different things. "
                   "Check the unit of the column and the unit of the sensor it is mapped to.",
                   from->symbol, rf_dimension_to_string (from->dimension),
                   to->symbol, rf_dimension_to_string (to->dimension));
      return FALSE;
    }
  if (from == to)
    {
      *conversion = (RfUnitConversion) { 1, 0, 1 };
      return TRUE;
    }
  /* base = (x·nf + of) / df and y = (base·dt − ot) / nt, so
   * y = (x·nf·dt + of·dt − ot·df) / (df·nt). */
  conversion->mul = from->num * to->den;
  conversion->add = from->off * to->den - to->off * from->den;
  conversion->div = from->den * to->num;
  return TRUE;
}

double
rf_unit_convert (const RfUnit *from,
                 const RfUnit *to,
                 double        value)
{
  RfUnitConversion conversion;

  if (!rf_unit_get_conversion (from, to, &conversion, NULL))
    return NAN;
  return rf_unit_conversion_apply (&conversion, value);
}

const char * const *
rf_unit_list_symbols (void)
{
  static const char *symbols[G_N_ELEMENTS (units) + 1];
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
        symbols[i] = units[i].symbol;
      g_once_init_leave (&initialised, 1);
    }
  return symbols;
}

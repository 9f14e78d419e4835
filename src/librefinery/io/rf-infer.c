#define G_LOG_DOMAIN "rf-infer"

#include "config.h"

#include <string.h>

#include "rf-infer.h"
#include "rf-value-parse.h"

static const char *class_names[] = {
  [RF_VALUE_CLASS_NA] = "na",
  [RF_VALUE_CLASS_BOOL] = "bool",
  [RF_VALUE_CLASS_INT] = "int",
  [RF_VALUE_CLASS_DOUBLE] = "double",
  [RF_VALUE_CLASS_ISO] = "iso8601",
  [RF_VALUE_CLASS_DMY_DOT] = "dd.mm.yyyy",
  [RF_VALUE_CLASS_SLASH] = "nn/nn/yyyy",
  [RF_VALUE_CLASS_MDY_SLASH] = "mm/dd/yyyy",
  [RF_VALUE_CLASS_DMY_SLASH] = "dd/mm/yyyy",
  [RF_VALUE_CLASS_STRING] = "string",
};

const char *
rf_value_class_to_string (RfValueClass klass)
{
  g_return_val_if_fail (klass <= RF_VALUE_CLASS_STRING, NULL);
  return class_names[klass];
}

static void
trim (const char **text,
      gsize       *length)
{
  const char *p = *text;
  const char *end = p + *length;

  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  *text = p;
  *length = (gsize) (end - p);
}

gboolean
rf_value_is_code (const char *text,
                  gsize       length)
{
  const char *p, *end;

  trim (&text, &length);
  p = text;
  end = text + length;
  if (p < end && (*p == '+' || *p == '-'))
    p++;
  if (end - p < 2 || p[0] != '0')
    return FALSE;
  for (; p < end; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

RfValueClass
rf_value_class_of (const char *text,
                   gsize       length,
                   char        decimal_mark)
{
  gint64 i;
  double d;
  gboolean b;

  trim (&text, &length);
  if (rf_value_is_na (text, length))
    return RF_VALUE_CLASS_NA;
  if (rf_value_is_code (text, length))
    return RF_VALUE_CLASS_STRING;
  if (rf_value_parse_int64 (text, length, &i))
    return RF_VALUE_CLASS_INT;
  if (rf_value_parse_double (text, length, decimal_mark, &d))
    return RF_VALUE_CLASS_DOUBLE;
  if (rf_value_parse_bool (text, length, &b))
    return RF_VALUE_CLASS_BOOL;

  switch (rf_timestamp_detect (text, length))
    {
    case RF_TIMESTAMP_FORMAT_ISO:
      return RF_VALUE_CLASS_ISO;
    case RF_TIMESTAMP_FORMAT_DMY_DOT:
      return RF_VALUE_CLASS_DMY_DOT;
    case RF_TIMESTAMP_FORMAT_MDY_SLASH:
      {
        gint64 usec;
        return rf_timestamp_parse (text, length, RF_TIMESTAMP_FORMAT_DMY_SLASH, &usec)
               ? RF_VALUE_CLASS_SLASH : RF_VALUE_CLASS_MDY_SLASH;
      }
    case RF_TIMESTAMP_FORMAT_DMY_SLASH:
      return RF_VALUE_CLASS_DMY_SLASH;
    case RF_TIMESTAMP_FORMAT_UNKNOWN:
    case RF_TIMESTAMP_FORMAT_EPOCH_S:
    case RF_TIMESTAMP_FORMAT_EPOCH_MS:
    default:
      return RF_VALUE_CLASS_STRING;
    }
}

static gboolean
class_leq (RfValueClass a,
           RfValueClass b)
{
  return a == b || a == RF_VALUE_CLASS_NA || b == RF_VALUE_CLASS_STRING ||
         (a == RF_VALUE_CLASS_INT && b == RF_VALUE_CLASS_DOUBLE) ||
         (a == RF_VALUE_CLASS_SLASH && (b == RF_VALUE_CLASS_MDY_SLASH || b == RF_VALUE_CLASS_DMY_SLASH));
}

RfValueClass
rf_value_class_join (RfValueClass a,
                     RfValueClass b)
{
  if (class_leq (a, b))
    return b;
  if (class_leq (b, a))
    return a;
  return RF_VALUE_CLASS_STRING;
}

RfEpochState
rf_epoch_state_of (gint64 value)
{
  if (value >= RF_EPOCH_MIN_SECONDS && value < RF_EPOCH_MAX_SECONDS)
    return RF_EPOCH_SECONDS;
  if (value >= RF_EPOCH_MIN_SECONDS * 1000 && value < RF_EPOCH_MAX_SECONDS * 1000)
    return RF_EPOCH_MILLISECONDS;
  return RF_EPOCH_NONE;
}

RfEpochState
rf_epoch_state_join (RfEpochState a,
                     RfEpochState b)
{
  if (a == RF_EPOCH_UNSEEN)
    return b;
  if (b == RF_EPOCH_UNSEEN || a == b)
    return a;
  return RF_EPOCH_NONE;
}

gboolean
rf_infer_name_is_time (const char *name)
{
  static const char *words[] = { "time", "date", "epoch", "zeit", "datum" };
  g_autofree char *lower = NULL;

  if (name == NULL)
    return FALSE;
  lower = g_ascii_strdown (name, -1);
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

RfColumnType
rf_infer_column_type (RfValueClass       klass,
                      gboolean           time_name,
                      RfEpochState       epoch,
                      RfTimestampFormat *format)
{
  RfTimestampFormat f = RF_TIMESTAMP_FORMAT_UNKNOWN;
  RfColumnType type;

  switch (klass)
    {
    case RF_VALUE_CLASS_BOOL:
      type = RF_COLUMN_BOOL;
      break;
    case RF_VALUE_CLASS_INT:
      if (time_name && (epoch == RF_EPOCH_SECONDS || epoch == RF_EPOCH_MILLISECONDS))
        {
          type = RF_COLUMN_TIMESTAMP;
          f = epoch == RF_EPOCH_SECONDS ? RF_TIMESTAMP_FORMAT_EPOCH_S : RF_TIMESTAMP_FORMAT_EPOCH_MS;
        }
      else
        type = RF_COLUMN_INT64;
      break;
    case RF_VALUE_CLASS_DOUBLE:
      type = RF_COLUMN_DOUBLE;
      break;
    case RF_VALUE_CLASS_ISO:
      type = RF_COLUMN_TIMESTAMP;
      f = RF_TIMESTAMP_FORMAT_ISO;
      break;
    case RF_VALUE_CLASS_DMY_DOT:
      type = RF_COLUMN_TIMESTAMP;
      f = RF_TIMESTAMP_FORMAT_DMY_DOT;
      break;
    case RF_VALUE_CLASS_SLASH:
    case RF_VALUE_CLASS_MDY_SLASH:
      type = RF_COLUMN_TIMESTAMP;
      f = RF_TIMESTAMP_FORMAT_MDY_SLASH;
      break;
    case RF_VALUE_CLASS_DMY_SLASH:
      type = RF_COLUMN_TIMESTAMP;
      f = RF_TIMESTAMP_FORMAT_DMY_SLASH;
      break;
    case RF_VALUE_CLASS_NA:
    case RF_VALUE_CLASS_STRING:
    default:
      type = RF_COLUMN_STRING;
      break;
    }
  if (format != NULL)
    *format = f;
  return type;
}

/* Characters of a unit in parentheses: ASCII letters and digits, a few
 * symbols, and any non-ASCII character (°, µ, ², ³, Ω ...). */
static gboolean
unit_like (const char *text,
           gsize       length)
{
  gboolean symbolic = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) text[i];
      if (c >= 0x80 || g_ascii_isalpha (c) || c == '%')
        symbolic = TRUE;
      else if (!g_ascii_isdigit (c) && strchr ("/^*.-_", c) == NULL)
        return FALSE;
    }
  return symbolic;
}

char *
rf_infer_unit_from_name (const char *name)
{
  const char *end, *open, *inner;
  gsize length;
  char close;

  if (name == NULL)
    return NULL;
  end = name + strlen (name);
  while (end > name && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  if (end == name || (end[-1] != ']' && end[-1] != ')'))
    return NULL;
  close = end[-1];
  for (open = end - 1; open > name && *(open - 1) != (close == ']' ? '[' : '('); open--)
    if (*(open - 1) == close)
      return NULL;
  /* a unit follows a name: "[K]" alone is a name */
  if (open == name || open - 1 == name)
    return NULL;
  inner = open;
  length = (gsize) (end - 1 - inner);
  trim (&inner, &length);
  if (length == 0)
    return NULL;
  if (close == ']')
    {
      if (length > 32)
        return NULL;
    }
  else if (length > 16 || !unit_like (inner, length))
    return NULL;
  if (!g_utf8_validate_len (inner, length, NULL))
    return NULL;
  return g_strndup (inner, length);
}

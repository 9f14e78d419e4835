#define G_LOG_DOMAIN "rf-timestamp"

#include "config.h"

#include <string.h>

#include "rf-timestamp.h"

static const char *format_names[RF_TIMESTAMP_N_FORMATS] = {
  [RF_TIMESTAMP_FORMAT_UNKNOWN] = "unknown",
  [RF_TIMESTAMP_FORMAT_ISO] = "iso8601",
  [RF_TIMESTAMP_FORMAT_DMY_DOT] = "DD.MM.YYYY hh:mm:ss",
  [RF_TIMESTAMP_FORMAT_MDY_SLASH] = "MM/DD/YYYY hh:mm:ss",
  [RF_TIMESTAMP_FORMAT_DMY_SLASH] = "DD/MM/YYYY hh:mm:ss",
  [RF_TIMESTAMP_FORMAT_EPOCH_S] = "epoch-seconds",
  [RF_TIMESTAMP_FORMAT_EPOCH_MS] = "epoch-milliseconds",
};

/* Days since 1970-01-01 of a proleptic Gregorian date (the era-based
 * algorithm: 400-year eras of 146097 days, years starting in March). */
static gint64
days_from_civil (gint64 y,
                 int    m,
                 int    d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void
civil_from_days (gint64  z,
                 int    *year,
                 int    *month,
                 int    *day)
{
  gint64 era, doe, yoe, y, doy, mp;
  int d, m;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d = (int) (doy - (153 * mp + 2) / 5 + 1);
  m = (int) (mp < 10 ? mp + 3 : mp - 9);
  *year = (int) (y + (m <= 2));
  *month = m;
  *day = d;
}

gint64
rf_timestamp_from_civil (int year,
                         int month,
                         int day,
                         int hour,
                         int minute,
                         int second,
                         int microsecond)
{
  gint64 days = days_from_civil (year, month, day);
  gint64 secs = days * 86400 + hour * 3600 + minute * 60 + second;
  return secs * G_USEC_PER_SEC + microsecond;
}

void
rf_timestamp_to_civil (gint64  usec,
                       int    *year,
                       int    *month,
                       int    *day,
                       int    *hour,
                       int    *minute,
                       int    *second,
                       int    *microsecond)
{
  gint64 secs = usec / G_USEC_PER_SEC;
  gint64 frac = usec % G_USEC_PER_SEC;
  gint64 days, sod;

  if (frac < 0)
    {
      frac += G_USEC_PER_SEC;
      secs -= 1;
    }
  days = secs / 86400;
  sod = secs % 86400;
  if (sod < 0)
    {
      sod += 86400;
      days -= 1;
    }
  civil_from_days (days, year, month, day);
  *hour = (int) (sod / 3600);
  *minute = (int) (sod / 60 % 60);
  *second = (int) (sod % 60);
  *microsecond = (int) frac;
}

void
rf_timestamp_format (gint64   usec,
                     GString *out)
{
  int y, mo, d, h, mi, s, us;

  rf_timestamp_to_civil (usec, &y, &mo, &d, &h, &mi, &s, &us);
  g_string_append_printf (out, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s);
  if (us % 1000 == 0 && us != 0)
    g_string_append_printf (out, ".%03d", us / 1000);
  else if (us != 0)
    g_string_append_printf (out, ".%06d", us);
  g_string_append_c (out, 'Z');
}

/* A tiny cursor over the text being parsed. */
typedef struct
{
  const char *p;
  const char *end;
} Cursor;

static gboolean
at_end (const Cursor *c)
{
  return c->p >= c->end;
}

static gboolean
take_char (Cursor *c,
           char    ch)
{
  if (c->p < c->end && *c->p == ch)
    {
      c->p++;
      return TRUE;
    }
  return FALSE;
}

/* Exactly min..max digits. */
static gboolean
take_digits (Cursor *c,
             int     min,
             int     max,
             int    *value)
{
  int n = 0, v = 0;

  while (c->p < c->end && n < max && g_ascii_isdigit (*c->p))
    {
      v = v * 10 + (*c->p - '0');
      c->p++;
      n++;
    }
  if (n < min)
    return FALSE;
  *value = v;
  return TRUE;
}

/* ".250" or ",250": up to 9 digits, kept to microseconds. */
static gboolean
take_fraction (Cursor *c,
               int    *usec)
{
  int n = 0, v = 0;

  if (!(take_char (c, '.') || take_char (c, ',')))
    return TRUE;
  while (c->p < c->end && g_ascii_isdigit (*c->p))
    {
      if (n < 6)
        {
          v = v * 10 + (*c->p - '0');
          n++;
        }
      else if (n++ >= 9)
        return FALSE;
      c->p++;
    }
  if (n == 0)
    return FALSE;
  for (int i = MIN (n, 6); i < 6; i++)
    v *= 10;
  *usec = v;
  return TRUE;
}

static void
skip_blanks (Cursor *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
    c->p++;
}

static gboolean
valid_date (int y,
            int m,
            int d)
{
  static const int days_in_month[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  int dim;

  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
    return FALSE;
  dim = days_in_month[m - 1];
  if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
    dim = 29;
  return d <= dim;
}

/* "hh:mm[:ss[.fff]]" after a date; hour 24 is not accepted. A time is
 * optional when allow_missing is set (date-only values). */
static gboolean
take_time (Cursor *c,
           int    *h,
           int    *mi,
           int    *s,
           int    *us)
{
  *h = *mi = *s = *us = 0;
  if (!take_digits (c, 1, 2, h) || !take_char (c, ':') || !take_digits (c, 2, 2, mi))
    return FALSE;
  if (take_char (c, ':'))
    {
      if (!take_digits (c, 2, 2, s) || !take_fraction (c, us))
        return FALSE;
    }
  /* 60 allows a leap second to pass as :59 + 1 s rather than failing a column. */
  return *h <= 23 && *mi <= 59 && *s <= 60;
}

/* "Z", "+01:00", "+0100", "+01" or nothing; result in seconds east of UTC. */
static gboolean
take_zone (Cursor *c,
           int    *offset_seconds)
{
  int sign, hh = 0, mm = 0;

  *offset_seconds = 0;
  skip_blanks (c);
  if (take_char (c, 'Z') || take_char (c, 'z'))
    return TRUE;
  if (at_end (c))
    return TRUE;
  if (take_char (c, '+'))
    sign = 1;
  else if (take_char (c, '-'))
    sign = -1;
  else
    return TRUE;
  if (!take_digits (c, 2, 2, &hh))
    return FALSE;
  take_char (c, ':');
  if (!at_end (c) && !take_digits (c, 2, 2, &mm))
    return FALSE;
  if (hh > 18 || mm > 59)
    return FALSE;
  *offset_seconds = sign * (hh * 3600 + mm * 60);
  return TRUE;
}

static gboolean
parse_iso (Cursor *c,
           gint64 *usec)
{
  int y, mo, d, h = 0, mi = 0, s = 0, us = 0, offset = 0;
  char sep;

  if (!take_digits (c, 4, 4, &y))
    return FALSE;
  if (at_end (c) || (*c->p != '-' && *c->p != '/'))
    return FALSE;
  sep = *c->p++;
  if (!take_digits (c, 1, 2, &mo) || !take_char (c, sep) || !take_digits (c, 1, 2, &d))
    return FALSE;
  if (!valid_date (y, mo, d))
    return FALSE;
  if (!at_end (c) && (*c->p == 'T' || *c->p == 't' || *c->p == ' '))
    {
      c->p++;
      skip_blanks (c);
      if (!take_time (c, &h, &mi, &s, &us))
        return FALSE;
      if (!take_zone (c, &offset))
        return FALSE;
    }
  *usec = rf_timestamp_from_civil (y, mo, d, h, mi, s, us) - (gint64) offset * G_USEC_PER_SEC;
  return TRUE;
}

/* "dd.mm.yyyy[ hh:mm[:ss[,fff]]]" */
static gboolean
parse_dmy_dot (Cursor *c,
               gint64 *usec)
{
  int y, mo, d, h = 0, mi = 0, s = 0, us = 0;

  if (!take_digits (c, 1, 2, &d) || !take_char (c, '.') || !take_digits (c, 1, 2, &mo) ||
      !take_char (c, '.') || !take_digits (c, 4, 4, &y))
    return FALSE;
  if (!valid_date (y, mo, d))
    return FALSE;
  skip_blanks (c);
  if (!at_end (c) && !take_time (c, &h, &mi, &s, &us))
    return FALSE;
  *usec = rf_timestamp_from_civil (y, mo, d, h, mi, s, us);
  return TRUE;
}

/* "mm/dd/yyyy[ hh:mm[:ss[.fff]][ AM|PM]]" or day first. */
static gboolean
parse_slash (Cursor   *c,
             gboolean  month_first,
             gint64   *usec)
{
  int a, b, y, mo, d, h = 0, mi = 0, s = 0, us = 0;

  if (!take_digits (c, 1, 2, &a) || !take_char (c, '/') || !take_digits (c, 1, 2, &b) ||
      !take_char (c, '/') || !take_digits (c, 4, 4, &y))
    return FALSE;
  mo = month_first ? a : b;
  d = month_first ? b : a;
  if (!valid_date (y, mo, d))
    return FALSE;
  skip_blanks (c);
  if (!at_end (c))
    {
      if (!take_time (c, &h, &mi, &s, &us))
        return FALSE;
      skip_blanks (c);
      if (!at_end (c))
        {
          gboolean pm;

          if (c->end - c->p < 2 || (c->p[1] != 'M' && c->p[1] != 'm'))
            return FALSE;
          if (c->p[0] == 'P' || c->p[0] == 'p')
            pm = TRUE;
          else if (c->p[0] == 'A' || c->p[0] == 'a')
            pm = FALSE;
          else
            return FALSE;
          c->p += 2;
          if (h < 1 || h > 12)
            return FALSE;
          h = (h % 12) + (pm ? 12 : 0);
        }
    }
  *usec = rf_timestamp_from_civil (y, mo, d, h, mi, s, us);
  return TRUE;
}

/* Whole or fractional seconds / milliseconds since the epoch. */
static gboolean
parse_epoch (Cursor *c,
             gint64  scale,
             gint64 *usec)
{
  gboolean negative = take_char (c, '-');
  gint64 whole = 0, frac = 0, frac_scale = 1;
  int n = 0;

  while (!at_end (c) && g_ascii_isdigit (*c->p))
    {
      if (whole > (G_MAXINT64 / 10 - 10) / scale)
        return FALSE;
      whole = whole * 10 + (*c->p++ - '0');
      n++;
    }
  if (n == 0)
    return FALSE;
  if (take_char (c, '.'))
    {
      while (!at_end (c) && g_ascii_isdigit (*c->p))
        {
          if (frac_scale < scale)
            {
              frac = frac * 10 + (*c->p - '0');
              frac_scale *= 10;
            }
          c->p++;
        }
    }
  *usec = whole * scale + frac * (scale / frac_scale);
  if (negative)
    *usec = -*usec;
  return TRUE;
}

gboolean
rf_timestamp_parse (const char        *text,
                    gsize              len,
                    RfTimestampFormat  format,
                    gint64            *usec)
{
  Cursor c = { text, text + len };
  gint64 value = 0;
  gboolean ok;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (usec != NULL, FALSE);

  skip_blanks (&c);
  while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\t'))
    c.end--;
  if (at_end (&c))
    return FALSE;

  switch (format)
    {
    case RF_TIMESTAMP_FORMAT_ISO:
      ok = parse_iso (&c, &value);
      break;
    case RF_TIMESTAMP_FORMAT_DMY_DOT:
      ok = parse_dmy_dot (&c, &value);
      break;
    case RF_TIMESTAMP_FORMAT_MDY_SLASH:
      ok = parse_slash (&c, TRUE, &value);
      break;
    case RF_TIMESTAMP_FORMAT_DMY_SLASH:
      ok = parse_slash (&c, FALSE, &value);
      break;
    case RF_TIMESTAMP_FORMAT_EPOCH_S:
      ok = parse_epoch (&c, G_USEC_PER_SEC, &value);
      break;
    case RF_TIMESTAMP_FORMAT_EPOCH_MS:
      ok = parse_epoch (&c, 1000, &value);
      break;
    case RF_TIMESTAMP_FORMAT_UNKNOWN:
    default:
      return FALSE;
    }
  if (!ok || !at_end (&c))
    return FALSE;
  *usec = value;
  return TRUE;
}

RfTimestampFormat
rf_timestamp_detect (const char *text,
                     gsize       len)
{
  gint64 ignored;

  if (rf_timestamp_parse (text, len, RF_TIMESTAMP_FORMAT_ISO, &ignored))
    return RF_TIMESTAMP_FORMAT_ISO;
  if (rf_timestamp_parse (text, len, RF_TIMESTAMP_FORMAT_DMY_DOT, &ignored))
    return RF_TIMESTAMP_FORMAT_DMY_DOT;
  if (rf_timestamp_parse (text, len, RF_TIMESTAMP_FORMAT_MDY_SLASH, &ignored))
    return RF_TIMESTAMP_FORMAT_MDY_SLASH;
  if (rf_timestamp_parse (text, len, RF_TIMESTAMP_FORMAT_DMY_SLASH, &ignored))
    return RF_TIMESTAMP_FORMAT_DMY_SLASH;
  return RF_TIMESTAMP_FORMAT_UNKNOWN;
}

const char *
rf_timestamp_format_to_string (RfTimestampFormat format)
{
  g_return_val_if_fail (format < RF_TIMESTAMP_N_FORMATS, NULL);
  return format_names[format];
}

gboolean
rf_timestamp_format_from_string (const char        *text,
                                 RfTimestampFormat *format)
{
  g_return_val_if_fail (text != NULL, FALSE);
  for (guint i = 0; i < RF_TIMESTAMP_N_FORMATS; i++)
    if (g_ascii_strcasecmp (text, format_names[i]) == 0)
      {
        if (format != NULL)
          *format = i;
        return TRUE;
      }
  return FALSE;
}

#define G_LOG_DOMAIN "rf-value-parse"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rf-value-parse.h"

/* Longest number text we hand to g_ascii_strtod (copied to the stack). */
#define MAX_NUMBER_LENGTH 128

/* Powers of ten that are exact doubles (10^22 < 2^53 * 2^22 and 5^22 < 2^53). */
static const double exact_powers_of_ten[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

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

static gboolean
equals_ci (const char *text,
           gsize       length,
           const char *word)
{
  return strlen (word) == length && g_ascii_strncasecmp (text, word, length) == 0;
}

static inline gboolean
is_digit (char c)
{
  return (unsigned char) (c - '0') <= 9;
}

gboolean
rf_value_is_na (const char *text,
                gsize       length)
{
  static const char *tokens[] = { "NA", "N/A", "#N/A", "NaN", "null", "None", "-", "n.a.", "#NV" };

  trim (&text, &length);
  if (length == 0)
    return TRUE;
  if (length > 4)
    return FALSE;
  /* Every token starts with one of these: most values leave here. */
  if (text[0] != 'n' && text[0] != 'N' && text[0] != '#' && text[0] != '-')
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (tokens); i++)
    if (equals_ci (text, length, tokens[i]))
      return TRUE;
  return FALSE;
}

const char *
rf_value_scan_int64 (const char *text,
                     const char *end,
                     gint64     *value)
{
  const char *p = text;
  gboolean negative = FALSE;
  guint64 acc = 0;

  if (p < end && (*p == '+' || *p == '-'))
    negative = *p++ == '-';
  if (p == end || !is_digit (*p))
    return NULL;
  for (; p < end && is_digit (*p); p++)
    {
      unsigned d = (unsigned char) *p - '0';
      if (acc > (G_MAXUINT64 - d) / 10)
        return NULL;
      acc = acc * 10 + d;
    }
  if (negative ? acc > (guint64) G_MAXINT64 + 1 : acc > (guint64) G_MAXINT64)
    return NULL;
  *value = negative ? (gint64) (0 - acc) : (gint64) acc;
  return p;
}

gboolean
rf_value_parse_int64 (const char *text,
                      gsize       length,
                      gint64     *value)
{
  const char *end;
  gint64 v;

  trim (&text, &length);
  end = text + length;
  if (length == 0 || rf_value_scan_int64 (text, end, &v) != end)
    return FALSE;
  *value = v;
  return TRUE;
}

/* The exact decimal value of text[0..length) (a number in the scanner's
 * form), rounded once: g_ascii_strtod on a '.' copy. */
static gboolean
slow_strtod (const char *text,
             gsize       length,
             char        decimal_mark,
             double     *value)
{
  char buf[MAX_NUMBER_LENGTH];
  char *stop = NULL;

  if (length >= sizeof buf)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    buf[i] = text[i] == decimal_mark ? '.' : text[i];
  buf[length] = '\0';
  *value = g_ascii_strtod (buf, &stop);
  return stop == buf + length;
}

/* Reads "e[+-]digits" at p (added to *exp10) and returns the end; p itself
 * when no digits follow, as the exponent then is not part of the number. */
static const char *
scan_exponent (const char *p,
               const char *end,
               int        *exp10)
{
  const char *q = p + 1;
  gboolean negative = FALSE;
  int e = 0;

  if (p >= end || (*p != 'e' && *p != 'E'))
    return p;
  if (q < end && (*q == '+' || *q == '-'))
    negative = *q++ == '-';
  if (q == end || !is_digit (*q))
    return p;
  for (; q < end && is_digit (*q); q++)
    if (e < 100000)
      e = e * 10 + (*q - '0');
  *exp10 += negative ? -e : e;
  return q;
}

/* The general case: any number of digits, leading zeros not counted. */
static const char *
scan_double_long (const char *text,
                  const char *end,
                  char        decimal_mark,
                  double     *value)
{
  const char *p = text;
  gboolean negative = FALSE, any_digit = FALSE, inexact = FALSE;
  guint64 mantissa = 0;
  int n_digits = 0;   /* significant digits held in mantissa */
  int exp10 = 0;      /* value = mantissa * 10^exp10 (when exact) */

  if (p < end && (*p == '+' || *p == '-'))
    negative = *p++ == '-';

  for (; p < end && is_digit (*p); p++)
    {
      unsigned d = (unsigned char) *p - '0';
      any_digit = TRUE;
      if (mantissa == 0 && d == 0)
        continue;
      if (n_digits < 19)
        {
          mantissa = mantissa * 10 + d;
          n_digits++;
        }
      else
        {
          exp10++;
          inexact = TRUE;
        }
    }
  if (p < end && *p == decimal_mark)
    {
      p++;
      for (; p < end && is_digit (*p); p++)
        {
          unsigned d = (unsigned char) *p - '0';
          any_digit = TRUE;
          if (mantissa == 0 && d == 0)
            {
              exp10--;
              continue;
            }
          if (n_digits < 19)
            {
              mantissa = mantissa * 10 + d;
              n_digits++;
              exp10--;
            }
          else
            inexact = TRUE;
        }
    }
  if (!any_digit)
    return NULL;
  p = scan_exponent (p, end, &exp10);
  if (p - text >= MAX_NUMBER_LENGTH)
    return NULL;

  if (mantissa == 0)
    {
      *value = negative ? -0.0 : 0.0;
      return p;
    }
  if (!inexact && mantissa <= (G_GUINT64_CONSTANT (1) << 53) && exp10 >= -22 && exp10 <= 22)
    {
      double v = (double) mantissa;

      v = exp10 < 0 ? v / exact_powers_of_ten[-exp10] : v * exact_powers_of_ten[exp10];
      *value = negative ? -v : v;
      return p;
    }
  if (!slow_strtod (text, (gsize) (p - text), decimal_mark, value))
    return NULL;
  return p;
}

const char *
rf_value_scan_double (const char *text,
                      const char *end,
                      char        decimal_mark,
                      double     *value)
{
  const char *p = text, *digits, *fraction = NULL;
  gboolean negative = FALSE;
  guint64 mantissa = 0;
  int n_digits, exp10 = 0;

  /* The common case first: at most 19 digits, which cannot overflow. */
  if (p < end && (*p == '+' || *p == '-'))
    negative = *p++ == '-';
  digits = p;
  for (; p < end && is_digit (*p); p++)
    mantissa = mantissa * 10 + (unsigned) (*p - '0');
  n_digits = (int) (p - digits);
  if (p < end && *p == decimal_mark)
    {
      fraction = ++p;
      for (; p < end && is_digit (*p); p++)
        mantissa = mantissa * 10 + (unsigned) (*p - '0');
      exp10 = -(int) (p - fraction);
      n_digits -= exp10;
    }
  if (n_digits == 0 || n_digits > 19)
    return n_digits == 0 ? NULL : scan_double_long (text, end, decimal_mark, value);
  p = scan_exponent (p, end, &exp10);
  if (p - text >= MAX_NUMBER_LENGTH)
    return NULL;

  /* Clinger's fast path: both operands are exact doubles, so the one
   * rounding of the multiply or divide is the correct rounding. */
  if (mantissa <= (G_GUINT64_CONSTANT (1) << 53) && exp10 >= -22 && exp10 <= 22)
    {
      double v = (double) mantissa;

      v = exp10 < 0 ? v / exact_powers_of_ten[-exp10] : v * exact_powers_of_ten[exp10];
      *value = negative ? -v : v;
      return p;
    }
  return scan_double_long (text, end, decimal_mark, value);
}

/* "1.013,25" with decimal_mark ',': drops the thousands separators of the
 * integer part (first group 1-3 digits, then groups of exactly 3) and
 * parses the rest. */
static gboolean
parse_with_thousands (const char *text,
                      gsize       length,
                      char        decimal_mark,
                      double     *value)
{
  char buf[MAX_NUMBER_LENGTH];
  const char *p = text, *end = text + length;
  gsize n = 0;
  int group = 0, n_groups = 0;
  double v;

  if (length >= sizeof buf)
    return FALSE;
  if (p < end && (*p == '+' || *p == '-'))
    buf[n++] = *p++;
  for (; p < end; p++)
    {
      if (is_digit (*p))
        {
          buf[n++] = *p;
          group++;
        }
      else if (*p == '.')
        {
          if (n_groups == 0 ? (group < 1 || group > 3) : group != 3)
            return FALSE;
          n_groups++;
          group = 0;
        }
      else
        break;
    }
  if (n_groups == 0 || group != 3)
    return FALSE;
  for (; p < end; p++)
    buf[n++] = *p;
  if (rf_value_scan_double (buf, buf + n, decimal_mark, &v) != buf + n)
    return FALSE;
  *value = v;
  return TRUE;
}

gboolean
rf_value_parse_double (const char *text,
                       gsize       length,
                       char        decimal_mark,
                       double     *value)
{
  const char *p, *end, *stop;
  double v;

  trim (&text, &length);
  if (length == 0 || length >= MAX_NUMBER_LENGTH)
    return FALSE;
  p = text;
  end = text + length;

  stop = rf_value_scan_double (p, end, decimal_mark, &v);
  if (stop == end)
    {
      *value = v;
      return TRUE;
    }

  if (*p == '+' || *p == '-')
    p++;
  if (equals_ci (p, (gsize) (end - p), "inf") || equals_ci (p, (gsize) (end - p), "infinity"))
    {
      *value = text[0] == '-' ? -INFINITY : INFINITY;
      return TRUE;
    }

  if (decimal_mark == ',' && stop != NULL && *stop == '.')
    return parse_with_thousands (text, length, decimal_mark, value);
  return FALSE;
}

gboolean
rf_value_parse_bool (const char *text,
                     gsize       length,
                     gboolean   *value)
{
  trim (&text, &length);
  if (equals_ci (text, length, "true") || equals_ci (text, length, "yes"))
    {
      *value = TRUE;
      return TRUE;
    }
  if (equals_ci (text, length, "false") || equals_ci (text, length, "no"))
    {
      *value = FALSE;
      return TRUE;
    }
  return FALSE;
}

#define G_LOG_DOMAIN "rf-value-parse"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rf-value-parse.h"

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
  for (gsize i = 0; i < G_N_ELEMENTS (tokens); i++)
    if (equals_ci (text, length, tokens[i]))
      return TRUE;
  return FALSE;
}

gboolean
rf_value_parse_int64 (const char *text,
                      gsize       length,
                      gint64     *value)
{
  const char *p, *end;
  gboolean negative = FALSE;
  guint64 acc = 0;

  trim (&text, &length);
  p = text;
  end = text + length;
  if (p < end && (*p == '+' || *p == '-'))
    negative = *p++ == '-';
  if (p == end)
    return FALSE;
  for (; p < end; p++)
    {
      unsigned d = (unsigned char) *p - '0';
      if (d > 9)
        return FALSE;
      if (acc > (G_MAXUINT64 - d) / 10)
        return FALSE;
      acc = acc * 10 + d;
    }
  if (negative ? acc > (guint64) G_MAXINT64 + 1 : acc > (guint64) G_MAXINT64)
    return FALSE;
  *value = negative ? (gint64) (0 - acc) : (gint64) acc;
  return TRUE;
}

gboolean
rf_value_parse_double (const char *text,
                       gsize       length,
                       char        decimal_mark,
                       double     *value)
{
  char buf[128];
  gsize n = 0;
  const char *p, *end;
  gboolean digits = FALSE;
  char *stop = NULL;
  double v;

  trim (&text, &length);
  if (length == 0 || length >= sizeof buf)
    return FALSE;
  p = text;
  end = text + length;

  /* Copy into a canonical "C locale" form: sign, digits, '.', exponent. */
  if (*p == '+' || *p == '-')
    buf[n++] = *p++;
  if (end - p >= 3 && (equals_ci (p, (gsize) (end - p), "inf") || equals_ci (p, (gsize) (end - p), "infinity")))
    {
      *value = (n > 0 && buf[0] == '-') ? -INFINITY : INFINITY;
      return TRUE;
    }
  for (; p < end; p++)
    {
      char c = *p;
      if (g_ascii_isdigit (c))
        {
          buf[n++] = c;
          digits = TRUE;
        }
      else if (c == decimal_mark)
        buf[n++] = '.';
      else if (decimal_mark == ',' && c == '.')
        {
          /* thousands separator: exactly three digits must follow */
          if (end - p < 4 || !g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]) || !g_ascii_isdigit (p[3]) ||
              (end - p > 4 && g_ascii_isdigit (p[4])) || !digits)
            return FALSE;
        }
      else if (c == 'e' || c == 'E')
        {
          if (!digits)
            return FALSE;
          buf[n++] = 'e';
          if (p + 1 < end && (p[1] == '+' || p[1] == '-'))
            buf[n++] = *++p;
        }
      else
        return FALSE;
    }
  if (!digits)
    return FALSE;
  buf[n] = '\0';
  v = g_ascii_strtod (buf, &stop);
  if (stop == NULL || *stop != '\0')
    return FALSE;
  *value = v;
  return TRUE;
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

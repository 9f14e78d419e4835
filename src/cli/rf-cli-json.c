#define G_LOG_DOMAIN "rf-cli-json"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rf-cli-private.h"
#include "rf-json-writer.h"

void
_rf_cli_append_double (GString *out,
                       double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    {
      g_string_append (out, "nan");
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value > 0 ? "inf" : "-inf");
      return;
    }
  /* The fewest digits that read back to the same double: 641.82, not
   * 641.82000000000005. g_ascii_formatd ignores the locale. */
  for (int digits = 1; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  /* %g switches to an exponent as soon as the digits run out: 100 with one
   * digit is "1e+02". Below 1e16 write the integer digits in full instead. */
  if (strchr (buffer, 'e') != NULL && fabs (value) >= 1 && fabs (value) < 1e16)
    {
      char format[8];
      int exponent = atoi (strchr (buffer, 'e') + 1);

      g_snprintf (format, sizeof format, "%%.%dg", exponent + 1);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
    }
  g_string_append (out, buffer);
}

static void
indent (GString *out,
        guint    depth)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/* Arrays of scalars (a preview row) stay on one line: a 2,000-row preview is
 * then 2,000 lines, not 50,000. */
static gboolean
array_is_flat (JsonArray *array)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_OBJECT (element) || JSON_NODE_HOLDS_ARRAY (element))
        return FALSE;
    }
  return TRUE;
}

static void
write_node (JsonNode *node,
            GString  *out,
            guint     depth)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          {
            double value = json_node_get_double (node);
            if (isfinite (value))
              _rf_cli_append_double (out, value);
            else
              {
                g_autoptr(GString) text = g_string_new (NULL);
                _rf_cli_append_double (text, value);
                rf_json_append_string (out, text->str, -1);
              }
          }
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else
          rf_json_append_string (out, json_node_get_string (node), -1);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        gboolean flat = array_is_flat (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append (out, flat ? ", " : ",");
            if (!flat)
              indent (out, depth + 1);
            write_node (json_array_get_element (array, i), out, depth + 1);
          }
        if (!flat && n > 0)
          indent (out, depth);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            indent (out, depth + 1);
            rf_json_append_string (out, name, -1);
            g_string_append (out, ": ");
            write_node (member, out, depth + 1);
          }
        if (!first)
          indent (out, depth);
        g_string_append_c (out, '}');
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

void
_rf_cli_json_write (JsonNode *node,
                    GString  *out)
{
  g_return_if_fail (node != NULL);
  g_return_if_fail (out != NULL);

  write_node (node, out, 0);
  g_string_append_c (out, '\n');
}

#define G_LOG_DOMAIN "rf-json-read"

#include "config.h"

#include <math.h>

#include "rf-json-read.h"

/* NULL for an absent member and for null. */
static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) ? NULL : node;
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
rf_json_member_string (JsonObject  *object,
                       const char  *name,
                       const char **out)
{
  JsonNode *node = member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!holds (node, G_TYPE_STRING))
    return FALSE;
  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
rf_json_member_number (JsonObject *object,
                       const char *name,
                       double     *out)
{
  JsonNode *node = member (object, name);

  if (node == NULL)
    return TRUE;
  if (!holds (node, G_TYPE_DOUBLE) && !holds (node, G_TYPE_INT64))
    return FALSE;
  if (!isfinite (json_node_get_double (node)))
    return FALSE;
  *out = json_node_get_double (node);
  return TRUE;
}

gboolean
rf_json_member_int (JsonObject *object,
                    const char *name,
                    gint64     *out)
{
  JsonNode *node = member (object, name);

  if (node == NULL)
    return TRUE;
  if (!holds (node, G_TYPE_INT64))
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
rf_json_member_bool (JsonObject *object,
                     const char *name,
                     gboolean   *out)
{
  JsonNode *node = member (object, name);

  if (node == NULL)
    return TRUE;
  if (!holds (node, G_TYPE_BOOLEAN))
    return FALSE;
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* rf-json-read.h: typed members of a json-glib object, for the files
 * Refinery reads back (mapping.json, cleaning_plan.json, transform.json).
 *
 * Each returns FALSE when the member has the wrong type, so the caller can
 * name it in its error. An absent member or a JSON null leaves *out as it
 * was (strings: sets it to NULL) and returns TRUE.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean rf_json_member_string  (JsonObject   *object,
                                 const char   *name,
                                 const char  **out);
/* A finite number (integer or not). */
gboolean rf_json_member_number  (JsonObject   *object,
                                 const char   *name,
                                 double       *out);
/* A whole number. */
gboolean rf_json_member_int     (JsonObject   *object,
                                 const char   *name,
                                 gint64       *out);
gboolean rf_json_member_bool    (JsonObject   *object,
                                 const char   *name,
                                 gboolean     *out);

G_END_DECLS

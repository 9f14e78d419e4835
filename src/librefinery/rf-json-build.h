/* rf-json-build.h: one call per member of a json-glib JsonBuilder object.
 *
 * What every JSON document Refinery writes (model metadata, the CLI's
 * --json summaries, project files) repeats: set the member name, then add
 * the value; a NULL string becomes null. Doubles are left to their callers,
 * which disagree on purpose about NaN (null in files, "nan" in the CLI's
 * output, see docs/cli-json.md).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void rf_json_add_string (JsonBuilder *builder,
                         const char  *name,
                         const char  *value);
void rf_json_add_int    (JsonBuilder *builder,
                         const char  *name,
                         gint64       value);
void rf_json_add_bool   (JsonBuilder *builder,
                         const char  *name,
                         gboolean     value);

G_END_DECLS

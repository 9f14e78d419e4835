/* bench-mapping: top-1 accuracy of the column-mapping suggestions on
 * ../shared/corpus/mapping/cases.json.
 *
 * Each case lists column names as real exports write them and the sensor a
 * domain expert maps each to (null: no sensor); the case's "profile" names
 * the sensor list in "profiles". Every column counts: a column is right when
 * the suggestion equals the expert's choice, null included. The target is
 * 95 % (the original plan asked for 80 %). Prints every miss, and the time
 * per suggestion.
 *
 * Usage: bench-mapping [CASES.json]   (default: $RF_SHARED_DIR/corpus/mapping/cases.json)
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "rf-mapping.h"
#include "rf-profile.h"

static RfProfile *
profile_from_cases (JsonObject  *profiles,
                    const char  *name,
                    GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  JsonNode *sensors = json_object_get_member (profiles, name);

  if (sensors == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no profile “%s” in the cases", name);
      return NULL;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "machine_id");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "sensors");
  json_builder_add_value (builder, json_node_copy (sensors));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  bytes = g_bytes_new (text, strlen (text));
  return rf_profile_load_bytes (bytes, name, error);
}

int
main (int argc, char **argv)
{
  const char *shared = g_getenv ("RF_SHARED_DIR");
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *profiles;
  JsonArray *cases;
  guint total = 0, right = 0;
  gint64 t0, elapsed = 0;
  guint calls = 0;

  if (argc > 1)
    path = g_strdup (argv[1]);
  else
    path = g_build_filename (shared != NULL ? shared : "../shared", "corpus", "mapping", "cases.json", NULL);
  if (!json_parser_load_from_file (parser, path, &error))
    {
      fprintf (stderr, "bench-mapping: cannot read %s: %s\n", path, error->message);
      return 1;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  profiles = json_object_get_object_member (root, "profiles");
  cases = json_object_get_array_member (root, "cases");

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonObject *columns = json_object_get_object_member (c, "columns");
      const char *profile_name = json_object_get_string_member (c, "profile");
      g_autoptr(RfProfile) profile = profile_from_cases (profiles, profile_name, &error);
      g_autoptr(GList) names = NULL;
      g_autofree RfMappingInput *inputs = NULL;
      g_autoptr(RfMapping) mapping = NULL;
      guint n, k = 0;

      if (profile == NULL)
        {
          fprintf (stderr, "bench-mapping: case %u: %s\n", i, error->message);
          return 1;
        }
      names = json_object_get_members (columns);
      n = g_list_length (names);
      inputs = g_new0 (RfMappingInput, MAX (n, 1));
      for (GList *l = names; l != NULL; l = l->next)
        inputs[k++].name = l->data;

      t0 = g_get_monotonic_time ();
      mapping = rf_mapping_suggest_names (inputs, n, profile, -1);
      elapsed += g_get_monotonic_time () - t0;
      calls++;

      for (guint j = 0; j < n; j++)
        {
          JsonNode *want = json_object_get_member (columns, inputs[j].name);
          const char *expected = JSON_NODE_HOLDS_NULL (want) ? NULL : json_node_get_string (want);
          const RfColumnMapping *got = rf_mapping_find_column (mapping, inputs[j].name);

          total++;
          if (g_strcmp0 (expected, got->sensor) == 0)
            right++;
          else
            printf ("miss: case %u (%s) “%s”: expected %s, suggested %s (score %d)\n", i, profile_name,
                    inputs[j].name, expected != NULL ? expected : "null",
                    got->sensor != NULL ? got->sensor : "null", got->score);
        }
    }

  printf ("mapping top-1 accuracy: %u / %u columns = %.1f %% (target >= 95 %%; the original plan asked 80 %%)\n",
          right, total, total > 0 ? 100.0 * right / total : 0.0);
  printf ("time per suggestion: %.0f µs (%u cases)\n", calls > 0 ? (double) elapsed / calls : 0.0, calls);
  return total > 0 && right * 100 >= total * 95 ? 0 : 1;
}

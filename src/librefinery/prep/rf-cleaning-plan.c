#define G_LOG_DOMAIN "rf-cleaning-plan"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-atomic-file.h"
#include "rf-cleaning-plan.h"
#include "rf-error.h"
#include "rf-json-build.h"
#include "rf-json-read.h"
#include "rf-value-parse.h"

#define MAX_PLAN_BYTES (16 * 1024 * 1024)

static const char * const missing_names[] = {
  "none", "drop_rows", "ffill", "bfill", "interpolate", "mean", "median", "constant",
};
static const char * const outlier_names[] = {
  "none", "flag", "clip_iqr", "clip_sigma", "drop",
};

const char *
rf_missing_strategy_to_string (RfMissingStrategy strategy)
{
  g_return_val_if_fail ((guint) strategy < G_N_ELEMENTS (missing_names), NULL);
  return missing_names[strategy];
}

gboolean
rf_missing_strategy_from_string (const char        *text,
                                 RfMissingStrategy *strategy)
{
  for (guint i = 0; i < G_N_ELEMENTS (missing_names); i++)
    if (g_strcmp0 (text, missing_names[i]) == 0)
      {
        *strategy = (RfMissingStrategy) i;
        return TRUE;
      }
  return FALSE;
}

const char *
rf_outlier_strategy_to_string (RfOutlierStrategy strategy)
{
  g_return_val_if_fail ((guint) strategy < G_N_ELEMENTS (outlier_names), NULL);
  return outlier_names[strategy];
}

gboolean
rf_outlier_strategy_from_string (const char        *text,
                                 RfOutlierStrategy *strategy)
{
  for (guint i = 0; i < G_N_ELEMENTS (outlier_names); i++)
    if (g_strcmp0 (text, outlier_names[i]) == 0)
      {
        *strategy = (RfOutlierStrategy) i;
        return TRUE;
      }
  return FALSE;
}

static void
column_cleaning_free (RfColumnCleaning *c)
{
  g_free (c->column);
  g_free (c->constant_text);
  g_free (c);
}

RfCleaningPlan *
rf_cleaning_plan_new (void)
{
  RfCleaningPlan *plan = g_new0 (RfCleaningPlan, 1);

  plan->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_cleaning_free);
  return plan;
}

void
rf_cleaning_plan_free (RfCleaningPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->timestamp_column);
  g_ptr_array_unref (plan->columns);
  g_free (plan);
}

const RfColumnCleaning *
rf_cleaning_plan_find_column (const RfCleaningPlan *plan,
                              const char           *column)
{
  g_return_val_if_fail (plan != NULL, NULL);

  for (guint i = 0; i < plan->columns->len; i++)
    {
      const RfColumnCleaning *c = g_ptr_array_index (plan->columns, i);
      if (strcmp (c->column, column) == 0)
        return c;
    }
  return NULL;
}

RfColumnCleaning *
rf_cleaning_plan_get_column (RfCleaningPlan *plan,
                             const char     *column)
{
  RfColumnCleaning *c = (RfColumnCleaning *) rf_cleaning_plan_find_column (plan, column);

  if (c != NULL)
    return c;
  c = g_new0 (RfColumnCleaning, 1);
  c->column = g_strdup (column);
  c->iqr_k = 1.5;
  c->sigma = 3;
  g_ptr_array_add (plan->columns, c);
  return c;
}

RfCleaningPlan *
rf_cleaning_plan_suggest (const RfValidationReport *report)
{
  RfCleaningPlan *plan = rf_cleaning_plan_new ();

  g_return_val_if_fail (report != NULL, plan);

  plan->drop_duplicates = TRUE;
  plan->sort_by_time = report->timestamp_column != NULL;
  plan->timestamp_column = g_strdup (report->timestamp_column);
  for (guint i = 0; i < report->columns->len; i++)
    {
      const RfColumnValidation *r = g_ptr_array_index (report->columns, i);
      RfColumnCleaning *c = rf_cleaning_plan_get_column (plan, r->name);

      rf_missing_strategy_from_string (r->suggest_missing, &c->missing);
      rf_outlier_strategy_from_string (r->suggest_outliers, &c->outliers);
      c->iqr_k = report->options.iqr_k;
      c->sigma = report->options.z_threshold;
    }
  return plan;
}

gboolean
rf_cleaning_plan_set (RfCleaningPlan  *plan,
                      const char      *assignment,
                      GError         **error)
{
  const char *eq;
  g_autofree char *column = NULL;
  const char *strategy;
  RfColumnCleaning *c;

  g_return_val_if_fail (plan != NULL, FALSE);
  g_return_val_if_fail (assignment != NULL, FALSE);

  eq = strrchr (assignment, '=');
  if (eq == NULL || eq == assignment || eq[1] == '\0')
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "“%s” is not COLUMN=STRATEGY (e.g. temp=interpolate, temp=clip_iqr, temp=constant:0).",
                   assignment);
      return FALSE;
    }
  /* "constant:VALUE" may hold '=' in its value: split at the first '=' then */
  if (strstr (assignment, "=constant:") != NULL)
    eq = strstr (assignment, "=constant:");
  column = g_strndup (assignment, (gsize) (eq - assignment));
  strategy = eq + 1;
  c = rf_cleaning_plan_get_column (plan, column);
  if (strcmp (strategy, "none") == 0)
    {
      c->missing = RF_MISSING_NONE;
      c->outliers = RF_OUTLIER_NONE;
    }
  else if (g_str_has_prefix (strategy, "constant:"))
    {
      const char *value = strategy + strlen ("constant:");
      double number;

      c->missing = RF_MISSING_CONSTANT;
      g_clear_pointer (&c->constant_text, g_free);
      c->constant_is_text = !rf_value_parse_double (value, strlen (value), '.', &number);
      if (c->constant_is_text)
        c->constant_text = g_strdup (value);
      else
        c->constant_number = number;
    }
  else if (!rf_missing_strategy_from_string (strategy, &c->missing) &&
           !rf_outlier_strategy_from_string (strategy, &c->outliers))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "“%s” is not a cleaning strategy. For missing values: none, drop_rows, ffill, bfill, "
                   "interpolate, mean, median, constant:VALUE; for outliers: flag, clip_iqr, clip_sigma, drop.",
                   strategy);
      return FALSE;
    }
  return TRUE;
}

gboolean
rf_cleaning_plan_check (const RfCleaningPlan *plan,
                        RfTable              *table,
                        GError              **error)
{
  g_return_val_if_fail (plan != NULL, FALSE);
  g_return_val_if_fail (table != NULL, FALSE);

  if (plan->timestamp_column != NULL)
    {
      const RfColumn *time = rf_table_find_column (table, plan->timestamp_column);
      if (time == NULL || time->type != RF_COLUMN_TIMESTAMP)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                       time == NULL ? "The cleaning plan's timestamp column “%s” is not in the data. Make the "
                                      "plan again for this file (refinery-cli clean without --plan)."
                                    : "The cleaning plan's timestamp column “%s” holds no timestamps. Make the "
                                      "plan again for this file (refinery-cli clean without --plan).",
                       plan->timestamp_column);
          return FALSE;
        }
    }
  for (guint i = 0; i < plan->columns->len; i++)
    {
      const RfColumnCleaning *c = g_ptr_array_index (plan->columns, i);
      const RfColumn *column = rf_table_find_column (table, c->column);
      gboolean numeric;
      const char *bad = NULL;

      if (column == NULL)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                       "The cleaning plan names the column “%s”, which the data does not have. Make the plan "
                       "again for this file (refinery-cli clean without --plan), or remove the column from it.",
                       c->column);
          return FALSE;
        }
      numeric = column->type == RF_COLUMN_DOUBLE || column->type == RF_COLUMN_INT64;
      if ((c->missing == RF_MISSING_MEAN || c->missing == RF_MISSING_MEDIAN) && !numeric)
        bad = rf_missing_strategy_to_string (c->missing);
      else if (c->missing == RF_MISSING_INTERPOLATE && !numeric && column->type != RF_COLUMN_TIMESTAMP)
        bad = "interpolate";
      else if (c->outliers != RF_OUTLIER_NONE && !numeric)
        bad = rf_outlier_strategy_to_string (c->outliers);
      else if (c->missing == RF_MISSING_CONSTANT && c->constant_is_text != (column->type == RF_COLUMN_STRING))
        bad = "constant";
      if (bad != NULL)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                       "The column “%s” holds %s values: “%s” does not apply to it%s. Choose another "
                       "strategy for it.",
                       c->column, rf_column_type_to_string (column->type), bad,
                       strcmp (bad, "constant") == 0 ? " (the constant must be of the column's type)" : "");
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- JSON ------------------------------------------------------------------ */

JsonNode *
rf_cleaning_plan_to_json (const RfCleaningPlan *plan)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (plan != NULL, NULL);

  json_builder_begin_object (builder);
  rf_json_add_string (builder, "format", RF_CLEANING_PLAN_FORMAT);
  rf_json_add_int (builder, "format_version", RF_CLEANING_PLAN_FORMAT_VERSION);
  rf_json_add_bool (builder, "drop_duplicates", plan->drop_duplicates);
  rf_json_add_bool (builder, "sort_by_time", plan->sort_by_time);
  rf_json_add_string (builder, "timestamp_column", plan->timestamp_column);
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_object (builder);
  for (guint i = 0; i < plan->columns->len; i++)
    {
      const RfColumnCleaning *c = g_ptr_array_index (plan->columns, i);

      json_builder_set_member_name (builder, c->column);
      json_builder_begin_object (builder);
      rf_json_add_string (builder, "missing", rf_missing_strategy_to_string (c->missing));
      if (c->missing == RF_MISSING_CONSTANT)
        {
          json_builder_set_member_name (builder, "constant");
          if (c->constant_is_text)
            json_builder_add_string_value (builder, c->constant_text);
          else
            json_builder_add_double_value (builder, c->constant_number);
        }
      rf_json_add_string (builder, "outliers", rf_outlier_strategy_to_string (c->outliers));
      json_builder_set_member_name (builder, "iqr_k");
      json_builder_add_double_value (builder, c->iqr_k);
      json_builder_set_member_name (builder, "sigma");
      json_builder_add_double_value (builder, c->sigma);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static RfCleaningPlan *
invalid (GError    **error,
         const char *display_name,
         const char *what)
{
  g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
               "%s: %s. Make the plan again (refinery-cli clean without --plan writes the suggested one).",
               display_name, what);
  return NULL;
}

RfCleaningPlan *
rf_cleaning_plan_from_json (JsonNode    *node,
                            const char  *display_name,
                            GError     **error)
{
  g_autoptr(RfCleaningPlan) plan = rf_cleaning_plan_new ();
  JsonObject *o, *columns;
  const char *text;
  JsonNode *member;
  gint64 version;
  GList *names;

  g_return_val_if_fail (display_name != NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, display_name, "not a JSON object");
  o = json_node_get_object (node);
  if (!rf_json_member_string (o, "format", &text) || g_strcmp0 (text, RF_CLEANING_PLAN_FORMAT) != 0)
    return invalid (error, display_name, "“format” is not “" RF_CLEANING_PLAN_FORMAT "”: not a cleaning plan");
  member = json_object_get_member (o, "format_version");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64 ||
      (version = json_node_get_int (member)) < 1)
    return invalid (error, display_name, "“format_version” must be a positive integer");
  if (version > RF_CLEANING_PLAN_FORMAT_VERSION)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                   "%s: format version %" G_GINT64_FORMAT " is newer than this Refinery reads (%d). Update "
                   "Refinery, or make the plan again.", display_name, version, RF_CLEANING_PLAN_FORMAT_VERSION);
      return NULL;
    }
  if (!rf_json_member_bool (o, "drop_duplicates", &plan->drop_duplicates) ||
      !rf_json_member_bool (o, "sort_by_time", &plan->sort_by_time))
    return invalid (error, display_name, "“drop_duplicates” and “sort_by_time” must be true or false");
  if (!rf_json_member_string (o, "timestamp_column", &text))
    return invalid (error, display_name, "“timestamp_column” must be a column name or null");
  plan->timestamp_column = g_strdup (text);
  member = json_object_get_member (o, "columns");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return g_steal_pointer (&plan);
  if (!JSON_NODE_HOLDS_OBJECT (member))
    return invalid (error, display_name, "“columns” must be an object");
  columns = json_node_get_object (member);
  names = json_object_get_members (columns);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *entry = json_object_get_member (columns, l->data);
      RfColumnCleaning *c = rf_cleaning_plan_get_column (plan, l->data);
      JsonObject *e;
      JsonNode *constant;
      const char *missing, *outliers;
      g_autofree char *what = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        {
          what = g_strdup_printf ("columns.“%s” must be an object", (char *) l->data);
          g_list_free (names);
          return invalid (error, display_name, what);
        }
      e = json_node_get_object (entry);
      if (!rf_json_member_string (e, "missing", &missing) ||
          (missing != NULL && !rf_missing_strategy_from_string (missing, &c->missing)))
        what = g_strdup_printf ("columns.“%s”.missing must be none, drop_rows, ffill, bfill, interpolate, mean, "
                                "median or constant", (char *) l->data);
      else if (!rf_json_member_string (e, "outliers", &outliers) ||
               (outliers != NULL && !rf_outlier_strategy_from_string (outliers, &c->outliers)))
        what = g_strdup_printf ("columns.“%s”.outliers must be none, flag, clip_iqr, clip_sigma or drop",
                                (char *) l->data);
      else if (!rf_json_member_number (e, "iqr_k", &c->iqr_k) || !rf_json_member_number (e, "sigma", &c->sigma) ||
               c->iqr_k < 0 || c->sigma <= 0)
        what = g_strdup_printf ("columns.“%s”: “iqr_k” must be a number ≥ 0 and “sigma” a number > 0",
                                (char *) l->data);
      else if (c->missing == RF_MISSING_CONSTANT)
        {
          constant = json_object_get_member (e, "constant");
          if (constant != NULL && JSON_NODE_HOLDS_VALUE (constant) &&
              json_node_get_value_type (constant) == G_TYPE_STRING)
            {
              c->constant_is_text = TRUE;
              c->constant_text = g_strdup (json_node_get_string (constant));
            }
          else if (!rf_json_member_number (e, "constant", &c->constant_number) || constant == NULL ||
                   JSON_NODE_HOLDS_NULL (constant))
            what = g_strdup_printf ("columns.“%s”: “constant” must be a number or a text", (char *) l->data);
        }
      if (what != NULL)
        {
          g_list_free (names);
          return invalid (error, display_name, what);
        }
    }
  g_list_free (names);
  return g_steal_pointer (&plan);
}

RfCleaningPlan *
rf_cleaning_plan_load_file (const char  *path,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_basename (path);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, RF_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? RF_ERROR_NOT_FOUND : RF_ERROR_IO,
                   "Cannot read the cleaning plan: %s", local_error->message);
      return NULL;
    }
  if (length > MAX_PLAN_BYTES)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE, "%s: %" G_GSIZE_FORMAT " bytes is too large for a "
                   "cleaning plan.", display, length);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, contents, (gssize) length, &local_error))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_PARSE, "%s: not valid JSON (%s).", display, local_error->message);
      return NULL;
    }
  return rf_cleaning_plan_from_json (json_parser_get_root (parser), display, error);
}

gboolean
rf_cleaning_plan_save_file (const RfCleaningPlan *plan,
                            const char           *path,
                            GError              **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (plan != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  root = rf_cleaning_plan_to_json (plan);
  return rf_atomic_write_json (path, root, error);
}

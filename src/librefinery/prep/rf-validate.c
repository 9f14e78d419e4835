#define G_LOG_DOMAIN "rf-validate"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-duplicates.h"
#include "rf-error.h"
#include "rf-json-build.h"
#include "rf-validate.h"
#include "rf-value-parse.h"

static const char * const outlier_method_names[] = { "iqr", "zscore" };

void
rf_validation_options_init (RfValidationOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->missing_threshold_pct = 30;
  options->outlier_method = RF_OUTLIERS_IQR;
  options->iqr_k = 1.5;
  options->z_threshold = 3;
  options->min_rows = 100;
}

const char *
rf_outlier_method_to_string (RfOutlierMethod method)
{
  g_return_val_if_fail ((guint) method < G_N_ELEMENTS (outlier_method_names), NULL);
  return outlier_method_names[method];
}

gboolean
rf_outlier_method_from_string (const char      *text,
                               RfOutlierMethod *method)
{
  for (guint i = 0; i < G_N_ELEMENTS (outlier_method_names); i++)
    if (g_strcmp0 (text, outlier_method_names[i]) == 0)
      {
        *method = (RfOutlierMethod) i;
        return TRUE;
      }
  return FALSE;
}

static void
column_report_free (RfColumnValidation *c)
{
  g_free (c->name);
  g_free (c->suggest_missing);
  g_free (c->suggest_outliers);
  g_free (c->reason);
  g_free (c);
}

void
rf_validation_report_free (RfValidationReport *report)
{
  if (report == NULL)
    return;
  g_free (report->machine_id);
  g_free (report->file_name);
  g_free (report->timestamp_column);
  g_ptr_array_unref (report->errors);
  g_ptr_array_unref (report->warnings);
  g_ptr_array_unref (report->columns);
  g_free (report);
}

const RfColumnValidation *
rf_validation_report_find_column (const RfValidationReport *report,
                                  const char               *name)
{
  g_return_val_if_fail (report != NULL, NULL);

  for (guint i = 0; i < report->columns->len; i++)
    {
      const RfColumnValidation *c = g_ptr_array_index (report->columns, i);
      if (strcmp (c->name, name) == 0)
        return c;
    }
  return NULL;
}

/* ---- per column (on worker threads) -------------------------------------- */

typedef struct
{
  RfTable *table;
  const RfValidationOptions *options;
  gboolean has_timestamp;
  RfColumnValidation **reports;
  gint next;
} ColumnWork;

static gsize
count_numbers_in_text (const RfColumn *column)
{
  gsize numbers = 0;

  for (gsize r = 0; r < column->n_rows; r++)
    {
      gsize length;
      const char *text;
      double value;

      if (!rf_column_is_valid (column, r))
        continue;
      text = rf_column_get_string (column, r, &length);
      if (rf_value_parse_double (text, length, '.', &value))
        numbers++;
    }
  return numbers;
}

static void
check_column (ColumnWork *work,
              guint       index)
{
  const RfColumn *column = rf_table_get_column (work->table, index);
  const RfValidationOptions *options = work->options;
  RfColumnValidation *report = g_new0 (RfColumnValidation, 1);
  g_autofree double *sorted = NULL;
  gsize n_sorted = 0;
  GString *reason = g_string_new (NULL);
  gboolean is_timestamp = options->timestamp_column != NULL
                          ? strcmp (column->name, options->timestamp_column) == 0
                          : column->type == RF_COLUMN_TIMESTAMP;

  report->name = g_strdup (column->name);
  report->type = column->type;
  report->lower_bound = report->upper_bound = NAN;
  rf_column_stats_compute_sorted (column, &report->stats, &sorted, &n_sorted);

  /* outliers: doubles and integers that measure something (not ids, times
   * or flags) */
  if ((column->type == RF_COLUMN_DOUBLE || column->type == RF_COLUMN_INT64) && n_sorted > 0 && !is_timestamp)
    {
      if (options->outlier_method == RF_OUTLIERS_IQR)
        {
          double q1 = rf_quantile_of_sorted (sorted, n_sorted, 0.25);
          double q3 = rf_quantile_of_sorted (sorted, n_sorted, 0.75);
          report->lower_bound = q1 - options->iqr_k * (q3 - q1);
          report->upper_bound = q3 + options->iqr_k * (q3 - q1);
        }
      else if (isfinite (report->stats.std))
        {
          report->lower_bound = report->stats.mean - options->z_threshold * report->stats.std;
          report->upper_bound = report->stats.mean + options->z_threshold * report->stats.std;
        }
      if (!isnan (report->lower_bound))
        for (gsize i = 0; i < n_sorted; i++)
          report->outliers += sorted[i] < report->lower_bound || sorted[i] > report->upper_bound;
    }

  /* what to do about it */
  if (report->stats.missing == 0)
    report->suggest_missing = g_strdup ("none");
  else if (report->stats.missing_pct > options->missing_threshold_pct)
    {
      report->suggest_missing = g_strdup ("none");
      g_string_append_printf (reason, "%.1f%% missing is too much to fill: review the column, or leave "
                              "it out. ", report->stats.missing_pct);
    }
  else if (is_timestamp)
    {
      report->suggest_missing = g_strdup ("drop_rows");
      g_string_append (reason, "Rows without a time cannot be placed: drop them. ");
    }
  else if (column->type == RF_COLUMN_DOUBLE || column->type == RF_COLUMN_INT64)
    {
      report->suggest_missing = g_strdup (work->has_timestamp ? "interpolate" : "median");
      g_string_append (reason, work->has_timestamp
                       ? "Sensor readings change smoothly in time: interpolate the gaps. "
                       : "No timestamp to interpolate along: fill with the median. ");
    }
  else
    {
      report->suggest_missing = g_strdup ("ffill");
      g_string_append (reason, "Carry the last known value forward. ");
    }
  if (report->outliers > 0 && (column->type == RF_COLUMN_DOUBLE || column->type == RF_COLUMN_INT64))
    {
      report->suggest_outliers = g_strdup (options->outlier_method == RF_OUTLIERS_IQR ? "clip_iqr" : "clip_sigma");
      g_string_append_printf (reason, "%" G_GSIZE_FORMAT " values outside [%g, %g]: clip them to those bounds.",
                              report->outliers, report->lower_bound, report->upper_bound);
    }
  else
    report->suggest_outliers = g_strdup ("none");
  if (reason->len > 0 && reason->str[reason->len - 1] == ' ')
    g_string_truncate (reason, reason->len - 1);
  report->reason = g_string_free (reason, FALSE);
  work->reports[index] = report;
}

static gpointer
column_worker (gpointer data)
{
  ColumnWork *work = data;
  guint n = rf_table_get_n_columns (work->table);

  for (;;)
    {
      guint index = (guint) g_atomic_int_add (&work->next, 1);
      if (index >= n)
        break;
      check_column (work, index);
    }
  return NULL;
}

/* ---- the whole table ------------------------------------------------------- */

static void
add_message (GPtrArray  *list,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_message (GPtrArray  *list,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (list, g_strdup_vprintf (format, args));
  va_end (args);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
check_timestamps (RfValidationReport *report,
                  const RfColumn     *time,
                  double              interval_s)
{
  g_autofree gint64 *instants = NULL;
  g_autofree double *intervals = NULL;
  gsize n = 0;

  report->timestamp_sorted = TRUE;
  report->largest_gap_s = NAN;
  report->median_interval_s = NAN;
  if (time->type != RF_COLUMN_TIMESTAMP)
    {
      add_message (report->errors, "The timestamp column '%s' holds %s values, not timestamps: read the file "
                   "with --types '%s=timestamp' or choose another column.",
                   time->name, rf_column_type_to_string (time->type), time->name);
      report->timestamp_sorted = FALSE;
      return;
    }
  instants = g_new (gint64, MAX (time->n_rows, 1));
  for (gsize r = 0; r < time->n_rows; r++)
    if (rf_column_is_valid (time, r))
      {
        if (n > 0 && time->values.i64[r] < instants[n - 1])
          report->timestamp_sorted = FALSE;
        instants[n++] = time->values.i64[r];
      }
  if (!report->timestamp_sorted)
    {
      qsort (instants, n, sizeof (gint64), compare_gint64);
      add_message (report->warnings, "Timestamps in '%s' are not sorted: sort them when cleaning.", time->name);
    }
  if (n < 2)
    return;
  intervals = g_new (double, n - 1);
  for (gsize i = 1; i < n; i++)
    {
      double gap = (double) (instants[i] - instants[i - 1]) / 1e6;
      intervals[i - 1] = gap;
      report->timestamp_duplicates += instants[i] == instants[i - 1];
      if (isnan (report->largest_gap_s) || gap > report->largest_gap_s)
        report->largest_gap_s = gap;
      if (interval_s > 0 && gap > 1.5 * interval_s)
        report->timestamp_gaps++;
    }
  rf_sort_doubles (intervals, n - 1);
  report->median_interval_s = rf_quantile_of_sorted (intervals, n - 1, 0.5);
  if (report->timestamp_duplicates > 0)
    add_message (report->warnings, "%" G_GSIZE_FORMAT " rows repeat the previous instant in '%s'.",
                 report->timestamp_duplicates, time->name);
  if (report->timestamp_gaps > 0)
    add_message (report->warnings, "%" G_GSIZE_FORMAT " gaps in '%s' are longer than 1.5 × the sampling "
                 "interval (%g s); the largest is %g s.",
                 report->timestamp_gaps, time->name, interval_s, report->largest_gap_s);
}

RfValidationReport *
rf_validate_table (RfTable                   *table,
                   const RfValidationOptions *options,
                   GCancellable              *cancellable,
                   GError                   **error)
{
  RfValidationOptions defaults;
  g_autoptr(RfValidationReport) report = g_new0 (RfValidationReport, 1);
  g_autofree gboolean *duplicate = NULL;
  g_autofree RfColumnValidation **reports = NULL;
  const RfColumn *time = NULL;
  guint n_columns, n_threads;
  gsize n_rows;
  ColumnWork work;

  g_return_val_if_fail (table != NULL, NULL);

  if (options == NULL)
    {
      rf_validation_options_init (&defaults);
      options = &defaults;
    }
  n_rows = rf_table_get_n_rows (table);
  n_columns = rf_table_get_n_columns (table);
  report->options = *options;
  report->options.profile = NULL;
  report->options.timestamp_column = NULL;
  report->options.machine_id = NULL;
  report->options.file_name = NULL;
  report->machine_id = g_strdup (options->machine_id != NULL ? options->machine_id
                                 : options->profile != NULL ? rf_profile_get_machine_id (options->profile) : NULL);
  report->file_name = g_strdup (options->file_name);
  report->total_rows = n_rows;
  report->total_columns = n_columns;
  report->errors = g_ptr_array_new_with_free_func (g_free);
  report->warnings = g_ptr_array_new_with_free_func (g_free);
  report->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_report_free);
  report->timestamp_sorted = TRUE;
  report->largest_gap_s = NAN;
  report->median_interval_s = NAN;

  /* the timestamp */
  if (options->timestamp_column != NULL)
    {
      time = rf_table_find_column (table, options->timestamp_column);
      if (time == NULL)
        add_message (report->errors, "There is no timestamp column '%s'.", options->timestamp_column);
    }
  else
    for (guint c = 0; c < n_columns && time == NULL; c++)
      if (rf_table_get_column (table, c)->type == RF_COLUMN_TIMESTAMP)
        time = rf_table_get_column (table, c);

  /* the columns, one thread per core */
  reports = g_new0 (RfColumnValidation *, MAX (n_columns, 1));
  work.table = table;
  work.options = options;
  work.has_timestamp = time != NULL;
  work.reports = reports;
  work.next = 0;
  n_threads = MIN (MAX (g_get_num_processors (), 1), MAX (n_columns, 1));
  {
    g_autofree GThread **threads = g_new0 (GThread *, n_threads);
    RfValidationOptions copy = *options;

    /* the workers see the caller's timestamp choice or the one found */
    copy.timestamp_column = time != NULL ? time->name : NULL;
    work.options = &copy;
    for (guint t = 1; t < n_threads; t++)
      threads[t] = g_thread_new ("rf-validate", column_worker, &work);
    column_worker (&work);
    for (guint t = 1; t < n_threads; t++)
      g_thread_join (threads[t]);
  }
  for (guint c = 0; c < n_columns; c++)
    g_ptr_array_add (report->columns, reports[c]);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  /* rows */
  if (n_rows < options->min_rows)
    add_message (report->errors, "Only %" G_GSIZE_FORMAT " row%s: at least %" G_GSIZE_FORMAT " are needed to "
                 "learn from the data.", n_rows, n_rows == 1 ? "" : "s", options->min_rows);
  duplicate = g_new (gboolean, MAX (n_rows, 1));
  report->duplicate_rows = rf_table_mark_duplicates (table, duplicate);
  if (report->duplicate_rows > 0)
    add_message (report->warnings, "%" G_GSIZE_FORMAT " duplicate rows detected", report->duplicate_rows);

  /* columns, in table order */
  for (guint c = 0; c < n_columns; c++)
    {
      const RfColumnValidation *r = reports[c];
      const RfColumn *column = rf_table_get_column (table, c);

      if (n_rows > 0 && r->stats.missing_pct > options->missing_threshold_pct)
        add_message (report->errors, "Column '%s' has %.1f%% missing values", r->name, r->stats.missing_pct);
      if (r->outliers > 0)
        add_message (report->warnings, "%" G_GSIZE_FORMAT " outliers detected in '%s'", r->outliers, r->name);
      if (r->stats.count > 1 && r->stats.distinct == 1)
        add_message (report->warnings, "Column '%s' is constant: it will be reproduced, not modelled", r->name);
      if (column->type == RF_COLUMN_STRING && r->stats.count > 0 && column != time)
        {
          gsize numbers = count_numbers_in_text (column);
          if (numbers * 2 >= r->stats.count)
            add_message (report->warnings, "Column '%s' holds numbers stored as text (%" G_GSIZE_FORMAT " of %"
                         G_GSIZE_FORMAT " values are numbers): read it with --types '%s=double' to use them",
                         r->name, numbers, r->stats.count, r->name);
        }
    }

  /* the profile */
  if (options->profile != NULL)
    {
      guint sensors = rf_profile_get_n_sensors (options->profile);
      if (n_columns != sensors)
        add_message (report->warnings, "The data has %u columns; the profile '%s' has %u sensors: map the "
                     "columns to see which are missing or extra", n_columns,
                     rf_profile_get_machine_id (options->profile), sensors);
    }

  if (time != NULL)
    {
      double interval = options->profile != NULL ? rf_profile_get_sampling_interval (options->profile) : NAN;
      report->timestamp_column = g_strdup (time->name);
      check_timestamps (report, time, isnan (interval) ? 0 : interval);
    }

  report->validation_passed = report->errors->len == 0;
  return g_steal_pointer (&report);
}

/* ---- JSON ---------------------------------------------------------------------- */

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_strings (JsonBuilder *builder,
             const char  *name,
             GPtrArray   *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, i));
  json_builder_end_array (builder);
}

JsonNode *
rf_validation_report_to_json (const RfValidationReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (report != NULL, NULL);

  json_builder_begin_object (builder);
  rf_json_add_string (builder, "machine_id", report->machine_id);
  rf_json_add_string (builder, "file_name", report->file_name);
  rf_json_add_int (builder, "total_rows", (gint64) report->total_rows);
  rf_json_add_int (builder, "total_columns", report->total_columns);
  json_builder_set_member_name (builder, "missing_values");
  json_builder_begin_object (builder);
  for (guint i = 0; i < report->columns->len; i++)
    {
      const RfColumnValidation *c = g_ptr_array_index (report->columns, i);
      if (c->stats.missing > 0)
        add_number (builder, c->name, c->stats.missing_pct);
    }
  json_builder_end_object (builder);
  rf_json_add_int (builder, "duplicate_rows", (gint64) report->duplicate_rows);
  json_builder_set_member_name (builder, "outliers");
  json_builder_begin_object (builder);
  for (guint i = 0; i < report->columns->len; i++)
    {
      const RfColumnValidation *c = g_ptr_array_index (report->columns, i);
      if (c->outliers > 0)
        rf_json_add_int (builder, c->name, (gint64) c->outliers);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "timestamp_sorted");
  if (report->timestamp_column != NULL)
    json_builder_add_boolean_value (builder, report->timestamp_sorted);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "data_types");
  json_builder_begin_object (builder);
  for (guint i = 0; i < report->columns->len; i++)
    {
      const RfColumnValidation *c = g_ptr_array_index (report->columns, i);
      rf_json_add_string (builder, c->name, rf_column_type_to_string (c->type));
    }
  json_builder_end_object (builder);
  rf_json_add_bool (builder, "validation_passed", report->validation_passed);
  add_strings (builder, "errors", report->errors);
  add_strings (builder, "warnings", report->warnings);

  json_builder_set_member_name (builder, "timestamp");
  json_builder_begin_object (builder);
  rf_json_add_string (builder, "column", report->timestamp_column);
  rf_json_add_int (builder, "duplicates", (gint64) report->timestamp_duplicates);
  rf_json_add_int (builder, "gaps", (gint64) report->timestamp_gaps);
  add_number (builder, "largest_gap_s", report->largest_gap_s);
  add_number (builder, "median_interval_s", report->median_interval_s);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->columns->len; i++)
    {
      const RfColumnValidation *c = g_ptr_array_index (report->columns, i);

      json_builder_begin_object (builder);
      rf_json_add_string (builder, "name", c->name);
      rf_json_add_string (builder, "type", rf_column_type_to_string (c->type));
      rf_json_add_int (builder, "count", (gint64) c->stats.count);
      rf_json_add_int (builder, "missing", (gint64) c->stats.missing);
      add_number (builder, "missing_pct", c->stats.missing_pct);
      add_number (builder, "min", c->stats.min);
      add_number (builder, "max", c->stats.max);
      add_number (builder, "mean", c->stats.mean);
      add_number (builder, "std", c->stats.std);
      json_builder_set_member_name (builder, "quantiles");
      json_builder_begin_object (builder);
      for (int q = 0; q < RF_STATS_N_QUANTILES; q++)
        {
          g_autofree char *key = g_strdup_printf ("p%g", rf_stats_quantile_levels[q] * 100);
          add_number (builder, key, c->stats.quantiles[q]);
        }
      json_builder_end_object (builder);
      rf_json_add_int (builder, "distinct", (gint64) c->stats.distinct);
      rf_json_add_int (builder, "outliers", (gint64) c->outliers);
      add_number (builder, "outlier_lower", c->lower_bound);
      add_number (builder, "outlier_upper", c->upper_bound);
      json_builder_set_member_name (builder, "suggested_cleaning");
      json_builder_begin_object (builder);
      rf_json_add_string (builder, "missing", c->suggest_missing);
      rf_json_add_string (builder, "outliers", c->suggest_outliers);
      rf_json_add_string (builder, "reason", c->reason);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "options");
  json_builder_begin_object (builder);
  add_number (builder, "missing_threshold_pct", report->options.missing_threshold_pct);
  rf_json_add_string (builder, "outlier_method", rf_outlier_method_to_string (report->options.outlier_method));
  add_number (builder, "iqr_k", report->options.iqr_k);
  add_number (builder, "z_threshold", report->options.z_threshold);
  rf_json_add_int (builder, "min_rows", (gint64) report->options.min_rows);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

#define G_LOG_DOMAIN "rf-xlsx-report"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-xlsx-report.h"
#include "rf-xlsx-writer.h"

/* Columns are filled first and joined to the table at the end: a table
 * takes its row count from the columns as they join. */
typedef struct
{
  GPtrArray *columns;
} Builder;

static RfColumn *
builder_column (Builder      *b,
                const char   *name,
                RfColumnType  type)
{
  RfColumn *column = rf_column_new (name, type);

  g_ptr_array_add (b->columns, column);
  return column;
}

static RfTable *
builder_finish (Builder *b)
{
  RfTable *table = rf_table_new ();

  for (guint i = 0; i < b->columns->len; i++)
    rf_table_add_column (table, g_ptr_array_index (b->columns, i));
  g_ptr_array_unref (b->columns);
  return table;
}

static void
append_number (RfColumn *column,
               double    value)
{
  if (isfinite (value))
    rf_column_append_double (column, value);
  else
    rf_column_append_null (column);
}

static void
append_text (RfColumn   *column,
             const char *text)
{
  rf_column_append_string (column, text, strlen (text));
}

static RfTable *
summary_table (const RfReportInputs *in,
               const char           *note)
{
  RfComparison *c = in->comparison;
  guint n = rf_comparison_get_n_sets (c);
  Builder b = { g_ptr_array_new_with_free_func ((GDestroyNotify) rf_column_unref) };
  RfColumn *figure = builder_column (&b, "figure", RF_COLUMN_STRING);
  RfColumn *values[2];
  static const char * const names[] = {
    "quality score (overall)", "column shapes", "pair trends", "mean KS", "mean KL divergence",
    "mean Wasserstein-1 (share of range)", "correlation error (mean |dr|)", "correlation error (Frobenius)",
    "exact copies (share)", "DCR median", "holdout DCR median", "RUL R2 trained on synthetic",
    "RUL R2 trained on real", "synthetic rows",
  };

  for (guint s = 0; s < n; s++)
    values[s] = builder_column (&b, rf_comparison_get_set (c, s)->key, RF_COLUMN_DOUBLE);
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      append_text (figure, names[k]);
      for (guint s = 0; s < n; s++)
        {
          const RfComparedSet *set = rf_comparison_get_set (c, s);
          const RfFidelity *f = set->fidelity;
          double v[] = {
            f->quality.overall, f->quality.column_shapes, f->quality.pair_trends, f->mean_ks, f->mean_kl,
            f->mean_wasserstein, f->correlation.mean_abs_error, f->correlation.frobenius,
            set->privacy.exact_copy_fraction, set->privacy.synthetic_median, set->privacy.holdout_median,
            set->has_utility ? set->utility.r2_synthetic : NAN, set->has_utility ? set->utility.r2_real : NAN,
            (double) set->rows,
          };
          append_number (values[s], v[k]);
        }
    }
  /* The recommendation and notes as text rows, figures left empty. */
  append_text (figure, "recommendation");
  for (guint s = 0; s < n; s++)
    rf_column_append_null (values[s]);
  append_text (figure, rf_comparison_get_recommendation (c));
  for (guint s = 0; s < n; s++)
    rf_column_append_null (values[s]);
  if (note != NULL)
    {
      append_text (figure, note);
      for (guint s = 0; s < n; s++)
        rf_column_append_null (values[s]);
    }
  return builder_finish (&b);
}

static RfTable *
metrics_table (const RfReportInputs *in)
{
  RfComparison *c = in->comparison;
  guint n = rf_comparison_get_n_sets (c);
  const RfFidelity *first = rf_comparison_get_set (c, 0)->fidelity;
  Builder b = { g_ptr_array_new_with_free_func ((GDestroyNotify) rf_column_unref) };
  RfColumn *name = builder_column (&b, "column", RF_COLUMN_STRING);
  RfColumn *metric[5][2];
  static const char * const metrics[] = { "KS", "KL", "W1", "mean error", "std error" };

  for (guint k = 0; k < 5; k++)
    for (guint s = 0; s < n; s++)
      {
        g_autofree char *header = g_strdup_printf ("%s %s", metrics[k], rf_comparison_get_set (c, s)->key);
        metric[k][s] = builder_column (&b, header, RF_COLUMN_DOUBLE);
      }
  for (guint i = 0; i < first->n_columns; i++)
    {
      append_text (name, first->columns[i].name);
      for (guint s = 0; s < n; s++)
        {
          const RfColumnMetrics *m = rf_fidelity_find_column (rf_comparison_get_set (c, s)->fidelity,
                                                              first->columns[i].name);
          append_number (metric[0][s], m != NULL ? m->ks : NAN);
          append_number (metric[1][s], m != NULL ? m->kl_divergence : NAN);
          append_number (metric[2][s], m != NULL ? m->wasserstein : NAN);
          append_number (metric[3][s], m != NULL ? m->mean_error : NAN);
          append_number (metric[4][s], m != NULL ? m->std_error : NAN);
        }
    }
  return builder_finish (&b);
}

/* Epochs 1 .. the longest history; a refined model's rows are its own
 * epochs, after its base's. */
static RfTable *
loss_table (const RfReportInputs *in)
{
  RfComparison *c = in->comparison;
  guint n = rf_comparison_get_n_sets (c), longest = 0;
  Builder b = { g_ptr_array_new_with_free_func ((GDestroyNotify) rf_column_unref) };
  RfColumn *epoch = builder_column (&b, "epoch", RF_COLUMN_INT64);
  RfColumn *train[2], *val[2];
  const RfModelEpoch *history[2];
  guint n_epochs[2];

  for (guint s = 0; s < n; s++)
    {
      g_autofree char *t = g_strdup_printf ("%s training", rf_comparison_get_set (c, s)->key);
      g_autofree char *v = g_strdup_printf ("%s validation", rf_comparison_get_set (c, s)->key);

      train[s] = builder_column (&b, t, RF_COLUMN_DOUBLE);
      val[s] = builder_column (&b, v, RF_COLUMN_DOUBLE);
      history[s] = rf_model_get_history (in->models[s], &n_epochs[s]);
      longest = MAX (longest, n_epochs[s]);
    }
  for (guint e = 0; e < longest; e++)
    {
      rf_column_append_int64 (epoch, e + 1);
      for (guint s = 0; s < n; s++)
        {
          append_number (train[s], e < n_epochs[s] ? history[s][e].report.train_loss : NAN);
          append_number (val[s], e < n_epochs[s] ? history[s][e].report.validation_loss : NAN);
        }
    }
  return builder_finish (&b);
}

/* At most Excel's rows: the first ones. */
static RfTable *
fitting (const RfTable *table,
         gboolean      *cut)
{
  gsize n = rf_table_get_n_rows (table), keep = MIN (n, (gsize) RF_XLSX_MAX_ROWS - 1);
  g_autofree gsize *rows = NULL;

  *cut = keep < n;
  if (!*cut)
    return rf_table_ref ((RfTable *) table);
  rows = g_new (gsize, keep);
  for (gsize i = 0; i < keep; i++)
    rows[i] = i;
  return rf_table_take_rows (table, rows, keep);
}

gboolean
rf_xlsx_report_write (const char           *path,
                      const RfReportInputs *in,
                      GCancellable         *cancellable,
                      GError              **error)
{
  g_autoptr(RfXlsxBook) book = NULL;
  g_autoptr(RfTable) summary = NULL, metrics = NULL, loss = NULL, real = NULL;
  RfTable *synthetic[2] = { NULL, NULL };
  guint n, value_columns[4], loss_columns[4];
  gboolean cut = FALSE, any_cut = FALSE, ok = FALSE;
  RfXlsxChart ks_chart = { RF_XLSX_CHART_BAR, "KS statistic per column (lower is better)", "KS statistic", NULL,
                           0, value_columns, 0, 1, 0 };
  RfXlsxChart loss_chart = { RF_XLSX_CHART_LINE, "Loss per epoch", "epoch", "loss", 0, loss_columns, 0, 1, 0 };

  g_return_val_if_fail (path != NULL && in != NULL && in->comparison != NULL, FALSE);

  n = rf_comparison_get_n_sets (in->comparison);
  real = fitting (in->real, &cut);
  any_cut = cut;
  for (guint s = 0; s < n; s++)
    {
      synthetic[s] = fitting (in->synthetic[s], &cut);
      any_cut = any_cut || cut;
    }
  summary = summary_table (in, any_cut ? "note: data sheets keep their first 1048575 rows (Excel's limit)" : NULL);
  metrics = metrics_table (in);
  loss = loss_table (in);

  /* KS columns are 1 .. n of the metrics sheet; the losses 1 .. 2n. */
  for (guint s = 0; s < n; s++)
    value_columns[s] = 1 + s;
  ks_chart.n_value_columns = n;
  ks_chart.anchor_column = rf_table_get_n_columns (metrics) + 1;
  for (guint k = 0; k < 2 * n; k++)
    loss_columns[k] = 1 + k;
  loss_chart.n_value_columns = 2 * n;
  loss_chart.anchor_column = rf_table_get_n_columns (loss) + 1;

  book = rf_xlsx_book_new (path, error);
  if (book != NULL &&
      rf_xlsx_book_add_table (book, "summary", summary, NULL, 0, NULL, cancellable, error) &&
      rf_xlsx_book_add_table (book, "metrics", metrics, &ks_chart, 1, NULL, cancellable, error) &&
      rf_xlsx_book_add_table (book, "loss", loss, &loss_chart, rf_table_get_n_rows (loss) > 0 ? 1 : 0, NULL,
                              cancellable, error) &&
      rf_xlsx_book_add_table (book, "real", real, NULL, 0, NULL, cancellable, error))
    {
      ok = TRUE;
      for (guint s = 0; s < n && ok; s++)
        {
          const char *key = rf_comparison_get_set (in->comparison, s)->key;
          g_autofree char *name = strcmp (key, "synthetic") == 0 ? g_strdup (key)
                                                                 : g_strdup_printf ("%s_synthetic", key);
          ok = rf_xlsx_book_add_table (book, name, synthetic[s], NULL, 0, NULL, cancellable, error);
        }
      if (ok)
        ok = rf_xlsx_book_commit (g_steal_pointer (&book), error);
    }
  for (guint s = 0; s < n; s++)
    g_clear_pointer (&synthetic[s], rf_table_unref);
  return ok;
}

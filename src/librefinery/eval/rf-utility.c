#define G_LOG_DOMAIN "rf-utility"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-error.h"
#include "rf-utility.h"

/* A fitted ridge model: standardisation and weights per feature. */
typedef struct
{
  guint   n;           /* features */
  double *mean, *std;  /* of the training rows; std 0: the feature is dropped */
  double *w;
  double  intercept;
} Ridge;

static void
ridge_clear (Ridge *r)
{
  g_clear_pointer (&r->mean, g_free);
  g_clear_pointer (&r->std, g_free);
  g_clear_pointer (&r->w, g_free);
}

/* Solves A x = b for a symmetric positive definite A (n × n, destroyed) by
 * Cholesky; FALSE when A is not positive definite. */
static gboolean
cholesky_solve (double *a,
                double *b,
                guint   n)
{
  for (guint j = 0; j < n; j++)
    {
      double d = a[j * n + j];

      for (guint k = 0; k < j; k++)
        d -= a[j * n + k] * a[j * n + k];
      if (!(d > 0.0))
        return FALSE;
      a[j * n + j] = sqrt (d);
      for (guint i = j + 1; i < n; i++)
        {
          double s = a[i * n + j];

          for (guint k = 0; k < j; k++)
            s -= a[i * n + k] * a[j * n + k];
          a[i * n + j] = s / a[j * n + j];
        }
    }
  for (guint i = 0; i < n; i++)         /* L y = b */
    {
      for (guint k = 0; k < i; k++)
        b[i] -= a[i * n + k] * b[k];
      b[i] /= a[i * n + i];
    }
  for (guint i = n; i-- > 0;)           /* Lᵀ x = y */
    {
      for (guint k = i + 1; k < n; k++)
        b[i] -= a[k * n + i] * b[k];
      b[i] /= a[i * n + i];
    }
  return TRUE;
}

/* The standardised value of feature k at row r. */
static double
feature (const Ridge    *m,
         const RfColumn *column,
         guint           k,
         gsize           r)
{
  double v = rf_column_get_as_double (column, r);

  if (m->std[k] == 0.0 || !isfinite (v))
    return 0.0;
  return (v - m->mean[k]) / m->std[k];
}

static gboolean
ridge_fit (Ridge           *m,
           const RfTable   *table,
           char * const    *features,
           guint            n,
           const RfColumn  *target,
           double           alpha,
           gsize           *n_rows)
{
  gsize rows = rf_table_get_n_rows (table), used = 0;
  g_autofree double *xtx = g_new0 (double, MAX (n * n, 1));
  g_autofree double *xty = g_new0 (double, MAX (n, 1));
  g_autofree double *x = g_new (double, MAX (n, 1));
  g_autofree const RfColumn **columns = g_new (const RfColumn *, MAX (n, 1));
  double ymean = 0.0;

  m->n = n;
  m->mean = g_new0 (double, MAX (n, 1));
  m->std = g_new0 (double, MAX (n, 1));
  m->w = g_new0 (double, MAX (n, 1));
  for (guint k = 0; k < n; k++)
    columns[k] = rf_table_find_column (table, features[k]);

  /* Means and standard deviations over the rows with a target. */
  for (gsize r = 0; r < rows; r++)
    {
      if (!isfinite (rf_column_get_as_double (target, r)))
        continue;
      used++;
      ymean += rf_column_get_as_double (target, r);
    }
  *n_rows = used;
  if (used == 0)
    return FALSE;
  ymean /= (double) used;
  for (guint k = 0; k < n; k++)
    {
      double sum = 0.0, ss = 0.0;
      gsize count = 0;

      for (gsize r = 0; r < rows; r++)
        {
          double v = rf_column_get_as_double (columns[k], r);
          if (isfinite (v) && isfinite (rf_column_get_as_double (target, r)))
            {
              sum += v;
              count++;
            }
        }
      m->mean[k] = count > 0 ? sum / (double) count : 0.0;
      for (gsize r = 0; r < rows; r++)
        {
          double v = rf_column_get_as_double (columns[k], r);
          if (isfinite (v) && isfinite (rf_column_get_as_double (target, r)))
            ss += (v - m->mean[k]) * (v - m->mean[k]);
        }
      m->std[k] = count > 1 ? sqrt (ss / (double) (count - 1)) : 0.0;
    }

  for (gsize r = 0; r < rows; r++)
    {
      double y = rf_column_get_as_double (target, r);

      if (!isfinite (y))
        continue;
      for (guint k = 0; k < n; k++)
        x[k] = feature (m, columns[k], k, r);
      for (guint i = 0; i < n; i++)
        {
          xty[i] += x[i] * (y - ymean);
          for (guint j = 0; j <= i; j++)
            xtx[i * n + j] += x[i] * x[j];
        }
    }
  for (guint i = 0; i < n; i++)
    {
      for (guint j = 0; j < i; j++)
        xtx[j * n + i] = xtx[i * n + j];
      /* Dropped features: a lone 1 keeps the system definite, weight 0. */
      xtx[i * n + i] += m->std[i] == 0.0 ? 1.0 : alpha;
    }
  if (!cholesky_solve (xtx, xty, n))
    return FALSE;
  memcpy (m->w, xty, n * sizeof (double));
  m->intercept = ymean;
  return TRUE;
}

static void
ridge_score (const Ridge    *m,
             const RfTable  *table,
             char * const   *features,
             const RfColumn *target,
             double         *r2,
             double         *mae,
             gsize          *n_rows)
{
  gsize rows = rf_table_get_n_rows (table), used = 0;
  double ymean = 0.0, ss_res = 0.0, ss_tot = 0.0, abs_sum = 0.0;
  g_autofree const RfColumn **columns = g_new (const RfColumn *, MAX (m->n, 1));

  for (guint k = 0; k < m->n; k++)
    columns[k] = rf_table_find_column (table, features[k]);
  for (gsize r = 0; r < rows; r++)
    if (isfinite (rf_column_get_as_double (target, r)))
      {
        ymean += rf_column_get_as_double (target, r);
        used++;
      }
  *n_rows = used;
  if (used == 0)
    {
      *r2 = *mae = NAN;
      return;
    }
  ymean /= (double) used;
  for (gsize r = 0; r < rows; r++)
    {
      double y = rf_column_get_as_double (target, r), p = m->intercept;

      if (!isfinite (y))
        continue;
      for (guint k = 0; k < m->n; k++)
        p += m->w[k] * feature (m, columns[k], k, r);
      ss_res += (y - p) * (y - p);
      ss_tot += (y - ymean) * (y - ymean);
      abs_sum += fabs (y - p);
    }
  *r2 = ss_tot > 0.0 ? 1.0 - ss_res / ss_tot : NAN;
  *mae = abs_sum / (double) used;
}

static const RfColumn *
numeric_column (const RfTable *table,
                const char    *name)
{
  const RfColumn *column = rf_table_find_column (table, name);

  return column != NULL && rf_column_type_is_numeric (column->type) ? column : NULL;
}

gboolean
rf_utility_compute (const RfTable      *real_train,
                    const RfTable      *real_test,
                    const RfTable      *synthetic,
                    const char         *target,
                    const char * const *exclude,
                    double              alpha,
                    RfUtility          *out,
                    GError            **error)
{
  const RfTable *tables[3] = { real_train, real_test, synthetic };
  g_autoptr(GPtrArray) features = g_ptr_array_new ();
  Ridge real_model = { 0 }, syn_model = { 0 };
  gsize n_test;
  gboolean fitted;

  g_return_val_if_fail (real_train != NULL && real_test != NULL && synthetic != NULL, FALSE);
  g_return_val_if_fail (target != NULL && out != NULL && alpha >= 0.0, FALSE);

  memset (out, 0, sizeof *out);
  out->target = g_strdup (target);
  for (guint t = 0; t < 3; t++)
    if (numeric_column (tables[t], target) == NULL)
      {
        g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                     "The %s data has no numeric column “%s” to predict",
                     t == 2 ? "synthetic" : "real", target);
        return FALSE;
      }
  for (guint c = 0; c < rf_table_get_n_columns (real_train); c++)
    {
      const char *name = rf_table_get_column (real_train, c)->name;

      if (strcmp (name, target) != 0 && !(exclude != NULL && g_strv_contains (exclude, name)) &&
          numeric_column (real_train, name) && numeric_column (real_test, name) && numeric_column (synthetic, name))
        g_ptr_array_add (features, (gpointer) name);
    }
  out->n_features = features->len;
  if (features->len == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "There is no numeric column besides “%s” to predict it from", target);
      return FALSE;
    }

  fitted = ridge_fit (&real_model, real_train, (char * const *) features->pdata, features->len,
                      rf_table_find_column (real_train, target), alpha, &out->n_train_real) &&
           ridge_fit (&syn_model, synthetic, (char * const *) features->pdata, features->len,
                      rf_table_find_column (synthetic, target), alpha, &out->n_train_synthetic);
  if (fitted)
    {
      ridge_score (&real_model, real_test, (char * const *) features->pdata,
                   rf_table_find_column (real_test, target), &out->r2_real, &out->mae_real, &n_test);
      ridge_score (&syn_model, real_test, (char * const *) features->pdata,
                   rf_table_find_column (real_test, target), &out->r2_synthetic, &out->mae_synthetic, &out->n_test);
    }
  ridge_clear (&real_model);
  ridge_clear (&syn_model);
  if (!fitted || out->n_test == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "Cannot fit or score a regression of “%s”: a table has no row with a value of it",
                   target);
      return FALSE;
    }
  return TRUE;
}

void
rf_utility_clear (RfUtility *utility)
{
  if (utility != NULL)
    g_clear_pointer (&utility->target, g_free);
}

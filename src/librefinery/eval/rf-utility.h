/* rf-utility.h: train on synthetic, test on real (TSTR) — is the synthetic
 * data useful for the job it is made for, predicting the RUL?
 *
 * A ridge regression of the target on every other numeric column the
 * tables share (minus exclude), closed form: features standardised with the
 * training set's means and standard deviations (a constant feature is
 * dropped; a missing value becomes the training mean), the intercept
 * unpenalised, weights solving (XᵀX + αI) w = Xᵀ (y − ȳ) by Cholesky. It is
 * trained once on the synthetic rows and once on real training rows, and
 * both are scored on the same real test rows: R² (1 − SS_res / SS_tot
 * around the test mean) and mean absolute error. Rows without a target are
 * left out.
 */
#pragma once

#include <gio/gio.h>

#include "rf-table.h"

G_BEGIN_DECLS

#define RF_UTILITY_DEFAULT_ALPHA 1.0

typedef struct
{
  char  *target;
  guint  n_features;
  gsize  n_train_real, n_train_synthetic, n_test;
  double r2_real, mae_real;
  double r2_synthetic, mae_synthetic;
} RfUtility;

/* Errors: RF_ERROR_NOT_FOUND when a table lacks the numeric target,
 * RF_ERROR_EMPTY when a table has no row with a target or there is no
 * feature. out->target is allocated (rf_utility_clear). */
gboolean rf_utility_compute (const RfTable      *real_train,
                             const RfTable      *real_test,
                             const RfTable      *synthetic,
                             const char         *target,
                             const char * const *exclude,
                             double              alpha,
                             RfUtility          *out,
                             GError            **error);
void     rf_utility_clear   (RfUtility          *utility);

G_END_DECLS

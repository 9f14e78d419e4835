#define G_LOG_DOMAIN "rf-error"

#include "config.h"

#include "rf-error.h"

G_DEFINE_QUARK (rf-error-quark, rf_error)

/* rf-seed.h: physics-inspired seed data from a machine profile.
 *
 * For a machine with no data yet (or too little), seed data gives the model
 * something shaped like the real thing. The profile's "seed" settings split
 * the rows into run-to-failure series ("units"); in each, a health index
 * falls from 1 to 0 and a load wanders around its mean (an AR(1) process,
 * spread "load_variation", within [−1, 1]). Each sensor (its "physics") is
 *
 *   nominal + degradation × d(wear) + load_sensitivity × load
 *           + noise × (1 + wear) × N(0, 1)
 *
 * with wear = 1 − health and d linear (d = wear) or exponential
 * (d = (e^{4·wear} − 1) / (e^4 − 1)), clipped to [min, max]. A sensor
 * counted in cycles without physics is the series' cycle number. The
 * timestamp starts at 2024-01-01T00:00:00Z and steps by the sampling
 * interval (60 s when the profile has none); the RUL is the time (in its
 * unit) or the cycles left; the unit id numbers the series from 1.
 * Columns are named, typed, united and given roles as the profile says.
 * Same profile, rows and seed → the same table.
 */
#pragma once

#include <glib.h>

#include "rf-profile.h"
#include "rf-table.h"

G_BEGIN_DECLS

#define RF_SEED_DEFAULT_ROWS  10000
#define RF_SEED_DATA_FILE     "seed_data.parquet"

/* n_rows ≥ 1. */
RfTable   *rf_seed_generate   (RfProfile  *profile,
                               gsize       n_rows,
                               guint64     seed);

G_END_DECLS

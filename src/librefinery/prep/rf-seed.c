#define G_LOG_DOMAIN "rf-seed"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-rng.h"
#include "rf-seed.h"
#include "rf-units.h"

#define SEED_START_USEC   G_GINT64_CONSTANT (1704067200000000)   /* 2024-01-01T00:00:00Z */
#define LOAD_MEMORY       0.95                                   /* AR(1) coefficient */
#define EXPONENTIAL_RATE  4.0

static gboolean
counts_cycles (const RfSensor *sensor)
{
  const RfUnit *unit = sensor->unit != NULL ? rf_unit_lookup (sensor->unit) : NULL;
  return unit != NULL && rf_unit_get_dimension (unit) == RF_DIMENSION_COUNT;
}

static double
degradation_curve (const RfSensorPhysics *p,
                   double                 wear)
{
  if (!p->exponential)
    return wear;
  return (exp (EXPONENTIAL_RATE * wear) - 1) / (exp (EXPONENTIAL_RATE) - 1);
}

RfTable *
rf_seed_generate (RfProfile *profile,
                  gsize      n_rows,
                  guint64    seed)
{
  guint n_sensors = rf_profile_get_n_sensors (profile);
  guint units = MAX (1, MIN (rf_profile_get_seed_units (profile), (guint) MIN (n_rows, G_MAXUINT)));
  double interval = rf_profile_get_sampling_interval (profile);
  double variation = rf_profile_get_load_variation (profile);
  g_autofree RfColumn **columns = g_new0 (RfColumn *, n_sensors);
  RfTable *table;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (n_rows >= 1, NULL);

  if (isnan (interval))
    interval = 60;
  for (guint s = 0; s < n_sensors; s++)
    {
      const RfSensor *sensor = rf_profile_get_sensor (profile, s);
      RfColumnType type = RF_COLUMN_DOUBLE;

      if (sensor->role == RF_ROLE_TIMESTAMP)
        type = RF_COLUMN_TIMESTAMP;
      else if (sensor->role == RF_ROLE_UNIT_ID ||
               (sensor->role == RF_ROLE_SENSOR && counts_cycles (sensor) && !sensor->has_physics) ||
               (sensor->role == RF_ROLE_RUL && counts_cycles (sensor)))
        type = RF_COLUMN_INT64;
      columns[s] = rf_column_new_sized (sensor->name, type, n_rows);
      rf_column_set_role (columns[s], sensor->role);
      if (sensor->unit != NULL)
        rf_column_set_unit (columns[s], sensor->unit);
    }

  for (guint u = 0; u < units; u++)
    {
      /* units share the rows; the first ones take the remainder */
      gsize life = n_rows / units + (u < n_rows % units ? 1 : 0);
      double load = 0;
      RfRng rng;

      rf_rng_init_stream (&rng, seed, u);
      for (gsize t = 0; t < life; t++)
        {
          double wear = life > 1 ? (double) t / (double) (life - 1) : 1.0;
          double left = (double) (life - 1 - t);

          load = LOAD_MEMORY * load + sqrt (1 - LOAD_MEMORY * LOAD_MEMORY) * rf_rng_normal (&rng);
          for (guint s = 0; s < n_sensors; s++)
            {
              const RfSensor *sensor = rf_profile_get_sensor (profile, s);
              const RfSensorPhysics *p = &sensor->physics;
              RfColumn *column = columns[s];
              double value;

              switch (sensor->role)
                {
                case RF_ROLE_TIMESTAMP:
                  rf_column_append_timestamp (column, SEED_START_USEC + (gint64) llround ((double) t * interval * 1e6));
                  continue;
                case RF_ROLE_UNIT_ID:
                  rf_column_append_int64 (column, (gint64) u + 1);
                  continue;
                case RF_ROLE_RUL:
                  if (column->type == RF_COLUMN_INT64)
                    rf_column_append_int64 (column, (gint64) left);
                  else
                    {
                      const RfUnit *unit = sensor->unit != NULL ? rf_unit_lookup (sensor->unit) : NULL;
                      double seconds = left * interval;
                      rf_column_append_double (column, unit != NULL && rf_unit_get_dimension (unit) == RF_DIMENSION_TIME
                                                       ? rf_unit_convert (rf_unit_lookup ("s"), unit, seconds)
                                                       : seconds / 3600);
                    }
                  continue;
                case RF_ROLE_SENSOR:
                case RF_ROLE_CATEGORY:
                case RF_ROLE_AUX:
                default:
                  break;
                }
              if (column->type == RF_COLUMN_INT64)
                {
                  rf_column_append_int64 (column, (gint64) t + 1);
                  continue;
                }
              /* the load is the same for every sensor of the row; the
               * noise its own draw (in sensor order: reproducible) */
              value = p->nominal + p->degradation * degradation_curve (p, wear)
                      + p->load_sensitivity * CLAMP (load * variation, -1.0, 1.0)
                      + p->noise * (1 + wear) * rf_rng_normal (&rng);
              if (!isnan (sensor->min))
                value = MAX (value, sensor->min);
              if (!isnan (sensor->max))
                value = MIN (value, sensor->max);
              rf_column_append_double (column, value);
            }
        }
    }

  table = rf_table_new ();
  for (guint s = 0; s < n_sensors; s++)
    {
      rf_table_add_column (table, columns[s]);
      rf_column_unref (columns[s]);
    }
  return table;
}

/* rf-profile.h: a machine profile, the description of one machine's sensors.
 *
 * A profile is a JSON object (format version 1):
 *
 *   {
 *     "profile_version": 1,                optional; a newer version is refused
 *     "machine_id": "pump_1",              required; [a-z0-9_-], 1..64 chars
 *     "name": "Cooling water pump 1",      optional string
 *     "machine_type": "centrifugal_pump",  optional string
 *     "description": "...",                optional string
 *     "sampling_interval_s": 1.0,          optional number > 0
 *     "sensors": [                         required, at least one
 *       {
 *         "name": "bearing_temp",          required, unique within the profile
 *         "unit": "degC",                  optional string
 *         "min": -20, "max": 120,          optional numbers, min <= max
 *         "required": true,                optional; default true for role
 *                                          "sensor", false for the other roles
 *         "role": "sensor",                sensor | timestamp | rul | unit_id;
 *                                          default sensor; at most one
 *                                          timestamp, rul and unit_id each
 *         "description": "...",            optional string
 *         "physics": {                     optional; how seed data behaves
 *           "nominal": 65,                 value of a healthy machine at mean
 *                                          load; default the middle of
 *                                          [min, max], else 0
 *           "noise": 0.8,                  std of the measurement noise (≥ 0);
 *                                          default 2 % of max − min, else 1 %
 *                                          of |nominal| (0.01 when that is 0)
 *           "degradation": 15,             drift at the end of life, in the
 *                                          sensor's unit (signed); default 0
 *           "degradation_shape": "exponential",  or "linear" (default
 *                                          exponential: wear shows late)
 *           "load_sensitivity": 5          change per unit of load deviation
 *                                          (load varies in [−1, 1]); default 0
 *         }
 *       }
 *     ],
 *     "seed": {                            optional; seed-data settings
 *       "units": 4,                        run-to-failure series (≥ 1; default 4)
 *       "load_variation": 0.3              spread of the load (0..1; default 0.3)
 *     }
 *   }
 *
 * The smallest valid profile is {"machine_id": "m1", "sensors": [{"name": "x"}]}.
 * A null value counts as absent. Keys this version does not know are ignored
 * here and kept: a project stores the profile byte for byte (see
 * rf_profile_get_bytes), so later versions can add keys (physics parameters
 * for seed data, ...) without breaking this one.
 *
 * Errors are RF_ERROR_INVALID (RF_ERROR_PARSE for malformed JSON) and name the
 * file and the field: “pump.json: sensors[3].min: must be a number”.
 */
#pragma once

#include <gio/gio.h>

#include "rf-column.h"

G_BEGIN_DECLS

#define RF_PROFILE_VERSION          1
#define RF_PROFILE_MAX_ID_LENGTH    64
/* Profiles are small hand-written files; anything bigger is not one. */
#define RF_PROFILE_MAX_BYTES        (16 * 1024 * 1024)

typedef struct _RfProfile RfProfile;

/* One sensor (or timestamp, RUL, unit id column) of a profile. Owned by the
 * profile. */
/* How a sensor behaves in seed data (defaults filled in, see above). */
typedef struct
{
  double nominal;
  double noise;
  double degradation;
  gboolean exponential;  /* degradation_shape "exponential" (else linear) */
  double load_sensitivity;
} RfSensorPhysics;

typedef struct
{
  char *name;
  char *unit;            /* NULL when not given */
  char *description;     /* NULL when not given */
  double min;            /* NAN when not given */
  double max;            /* NAN when not given */
  gboolean required;
  RfColumnRole role;     /* SENSOR, TIMESTAMP, RUL or UNIT_ID */
  RfSensorPhysics physics;
  gboolean has_physics;  /* the profile gave a "physics" object */
} RfSensor;

/* display_name names the input in error messages (a file name). */
RfProfile      *rf_profile_load_bytes            (GBytes       *bytes,
                                                  const char   *display_name,
                                                  GError      **error);
RfProfile      *rf_profile_load_file             (const char   *path,
                                                  GError      **error);

RfProfile      *rf_profile_ref                   (RfProfile    *profile);
void            rf_profile_unref                 (RfProfile    *profile);

/* The exact bytes the profile was loaded from. */
GBytes         *rf_profile_get_bytes             (RfProfile    *profile);
const char     *rf_profile_get_machine_id        (RfProfile    *profile);
/* NULL when absent. */
const char     *rf_profile_get_name              (RfProfile    *profile);
const char     *rf_profile_get_machine_type      (RfProfile    *profile);
const char     *rf_profile_get_description       (RfProfile    *profile);
/* NAN when absent. */
double          rf_profile_get_sampling_interval (RfProfile    *profile);
/* "seed": the number of run-to-failure series, the load variation. */
guint           rf_profile_get_seed_units        (RfProfile    *profile);
double          rf_profile_get_load_variation    (RfProfile    *profile);

guint           rf_profile_get_n_sensors         (RfProfile    *profile);
const RfSensor *rf_profile_get_sensor            (RfProfile    *profile,
                                                  guint         index);
/* Exact (case-sensitive) name; NULL when there is none. */
const RfSensor *rf_profile_find_sensor           (RfProfile    *profile,
                                                  const char   *name);
/* The sensor with that role (TIMESTAMP, RUL or UNIT_ID), or NULL. */
const RfSensor *rf_profile_find_role             (RfProfile    *profile,
                                                  RfColumnRole  role);

/* TRUE when id is a valid machine id: 1 to RF_PROFILE_MAX_ID_LENGTH
 * characters from [a-z0-9_-]. Such an id is safe as a folder name (no '/',
 * no '.', so no ".."). */
gboolean        rf_profile_id_is_valid           (const char   *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfProfile, rf_profile_unref)

G_END_DECLS

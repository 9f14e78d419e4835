/* rf-transform.h: a machine's data in the profile's terms.
 *
 * The second half of step 4 ("clean + transform"). rf_transform_apply()
 * takes the (cleaned) data, the profile and the column mapping and
 *   1. renames mapped columns to their sensors' names, sets their units and
 *      roles (sensor, timestamp, rul, unit_id) and puts them in profile
 *      order; unmapped columns follow as role "aux", or are dropped;
 *   2. converts units to the profile's (rf-units.h: °F → °C, psi → bar,
 *      in/s → mm/s, gpm → m³/h, ...), integer columns becoming doubles;
 *   3. sorts the rows by unit id then time (the timestamp, else a cycle
 *      column: a sensor whose unit is "cycles"), stably, missing keys last;
 *   4. recalculates RUL per unit as last − current: from the timestamp in
 *      the RUL entry's unit (s, min, h, d; h when it has none), or for a
 *      RUL in cycles from the cycle column, else from the row count;
 *   5. optionally normalises the sensor columns (min-max to [0, 1] or
 *      z-score), recording offset and scale so rf_transform_denormalise()
 *      can undo it.
 * What was done is an RfTransformRecord, serialised into transform.json by
 * the project step (rf-prepare.h).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-mapping.h"
#include "rf-profile.h"
#include "rf-table.h"

G_BEGIN_DECLS

typedef enum
{
  RF_RUL_KEEP,          /* leave the RUL column as it is (or absent) */
  RF_RUL_FILL,          /* compute it when absent, fill its missing values */
  RF_RUL_RECALCULATE,   /* compute it for every row */
} RfRulMode;

typedef enum
{
  RF_NORMALISE_NONE,
  RF_NORMALISE_MINMAX,  /* (x − min) / (max − min) */
  RF_NORMALISE_ZSCORE,  /* (x − mean) / std (population std) */
} RfNormalisation;

typedef struct
{
  gboolean keep_unmapped;     /* TRUE (default): unmapped columns stay, role aux */
  gboolean convert_units;     /* default TRUE */
  gboolean sort_by_time;      /* default TRUE */
  RfRulMode rul;              /* default RF_RUL_FILL */
  RfNormalisation normalise;  /* default RF_NORMALISE_NONE */
} RfTransformOptions;

typedef struct _RfTransformRecord RfTransformRecord;

void            rf_transform_options_init       (RfTransformOptions  *options);
const char     *rf_rul_mode_to_string           (RfRulMode            mode);
gboolean        rf_rul_mode_from_string         (const char          *text,
                                                 RfRulMode           *mode);
const char     *rf_normalisation_to_string      (RfNormalisation      normalisation);
gboolean        rf_normalisation_from_string    (const char          *text,
                                                 RfNormalisation     *normalisation);
JsonNode       *rf_transform_options_to_json    (const RfTransformOptions *options);
/* Members absent or null keep their defaults; wrong types or names →
 * RF_ERROR_INVALID naming the member. */
gboolean        rf_transform_options_from_json  (JsonNode            *node,
                                                 RfTransformOptions  *options,
                                                 const char          *display_name,
                                                 GError             **error);

/* mapping NULL: columns whose names are the profile's sensor names are
 * taken as mapped to them. Errors: a mapping made for other columns or
 * another profile (RF_ERROR_INVALID, saying to map again), a unit that
 * cannot convert (RF_ERROR_INVALID naming column and units), a mapped
 * column that cannot play its role (a text column as a sensor to convert,
 * a timestamp that is not a timestamp), cancellation. */
RfTable        *rf_transform_apply              (RfTable                  *table,
                                                 RfProfile                *profile,
                                                 RfMapping                *mapping,
                                                 const RfTransformOptions *options,
                                                 RfTransformRecord       **record_out,
                                                 GCancellable             *cancellable,
                                                 GError                  **error);

/* Undoes the normalisation the record holds, in place, on the columns of
 * table that have those names (e.g. synthetic data sampled from a model
 * trained on normalised data). */
void            rf_transform_denormalise        (const RfTransformRecord  *record,
                                                 RfTable                  *table);

void            rf_transform_record_free        (RfTransformRecord        *record);
/* {"rows_in", "rows_out", "renamed": [{"from", "to"}], "converted": [{"column",
 *  "unit_from", "unit_to", "mul", "add", "div"}], "dropped": [...],
 *  "auxiliary": [...], "missing_sensors": [...], "sorted_by": [...],
 *  "rul": {"column", "mode", "from", "unit", "values_computed"},
 *  "normalisation": {"method", "columns": {"<name>": {"offset", "scale"}}},
 *  "warnings": [...]} */
JsonNode       *rf_transform_record_to_json     (const RfTransformRecord  *record);
RfTransformRecord *rf_transform_record_from_json (JsonNode                *node,
                                                 const char               *display_name,
                                                 GError                  **error);
guint           rf_transform_record_get_n_warnings (const RfTransformRecord *record);
const char     *rf_transform_record_get_warning    (const RfTransformRecord *record,
                                                    guint                    index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfTransformRecord, rf_transform_record_free)

G_END_DECLS

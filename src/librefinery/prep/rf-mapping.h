/* rf-mapping.h: which column of a data file is which sensor of a profile.
 *
 * Step 3 of the workflow. rf_mapping_suggest() scores every (column, sensor)
 * pair from 0 to 100 and solves a one-to-one assignment over all columns at
 * once (rf-assignment.h); a column whose best possible pairing scores below
 * the threshold (default 60) stays unmapped. A score combines:
 *   - the similarity of the names' concepts (rf-name-tokens.h: tokens,
 *     abbreviations and plant-tag synonyms expanded),
 *   - the units: the column's unit, or one recognised in its name ("(°F)",
 *     "_PSI", "in/s"), against the sensor's: the same dimension adds, a
 *     different one rules the pair out,
 *   - behaviour, when a table is given: a timestamp-typed column for the
 *     timestamp entry, a column that decreases to zero per unit for RUL, a
 *     small set of integer runs for the unit id.
 * The user's choices (rf_mapping_set_column) have score 100, are marked
 * user_set and survive a new suggestion (rf_mapping_keep_user_choices).
 *
 * mapping.json (format version 1), written through rf-atomic-file.h:
 *
 *   {
 *     "format": "refinery-mapping",
 *     "format_version": 1,
 *     "machine_id": "pump_1",              the profile's machine id
 *     "source": "export.csv",              the data file's name, or null
 *     "threshold": 60,
 *     "mappings": {                        one entry per data column, in order
 *       "P_SUCTION_PSI": {"sensor": "suction_pressure_bar", "score": 92,
 *                         "user_set": false, "unit_from": "psi",
 *                         "unit_to": "bar"},
 *       "Operator": {"sensor": null, "score": 0, "user_set": false,
 *                    "unit_from": null, "unit_to": null}
 *     },
 *     "unmapped_required": ["seal_temp_C"]
 *   }
 *
 * "score" of an unmapped column is its best candidate's score (what fell
 * short of the threshold). Unknown keys are ignored when loading.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-profile.h"
#include "rf-table.h"

G_BEGIN_DECLS

#define RF_MAPPING_FORMAT             "refinery-mapping"
#define RF_MAPPING_FORMAT_VERSION     1
#define RF_MAPPING_FILE               "mapping.json"
#define RF_MAPPING_DEFAULT_THRESHOLD  60

typedef struct
{
  char *column;       /* the data column's name */
  char *sensor;       /* the profile entry's name (timestamp, RUL, unit id
                       * entries included); NULL: unmapped */
  int score;          /* 0..100; 100 for a user's choice */
  gboolean user_set;  /* the user chose this (a sensor or "unmapped") */
  char *unit_from;    /* canonical unit of the data (the column's unit or one
                       * recognised in its name); NULL when unknown */
  char *unit_to;      /* the sensor's canonical unit; NULL when it has none */
} RfColumnMapping;

typedef struct _RfMapping RfMapping;

/* One column to map when there is no table (names only, e.g. a header).
 * unit may be NULL. */
typedef struct
{
  const char *name;
  const char *unit;
} RfMappingInput;

RfMapping   *rf_mapping_ref                (RfMapping        *mapping);
void         rf_mapping_unref              (RfMapping        *mapping);

/* Suggests a mapping of every column of table onto profile. threshold < 0:
 * the default. */
RfMapping   *rf_mapping_suggest            (RfTable          *table,
                                            RfProfile        *profile,
                                            int               threshold);
/* The same from names (and units) alone: no behaviour to go by. */
RfMapping   *rf_mapping_suggest_names      (const RfMappingInput *columns,
                                            guint             n_columns,
                                            RfProfile        *profile,
                                            int               threshold);
/* The score of one pair, 0..100, as the suggestion computes it (names and
 * units only). */
int          rf_mapping_score_pair         (const char       *column,
                                            const char       *column_unit,
                                            RfProfile        *profile,
                                            const RfSensor   *sensor);

guint                  rf_mapping_get_n_columns (RfMapping   *mapping);
const RfColumnMapping *rf_mapping_get_column    (RfMapping   *mapping,
                                                 guint        index);
/* NULL when the mapping has no such column. */
const RfColumnMapping *rf_mapping_find_column   (RfMapping   *mapping,
                                                 const char  *column);
/* The column mapped to sensor, or NULL. */
const RfColumnMapping *rf_mapping_find_sensor   (RfMapping   *mapping,
                                                 const char  *sensor);
const char  *rf_mapping_get_machine_id     (RfMapping        *mapping);
/* The data file the mapping was made for (a base name), or NULL. */
const char  *rf_mapping_get_source         (RfMapping        *mapping);
void         rf_mapping_set_source         (RfMapping        *mapping,
                                            const char       *source);
int          rf_mapping_get_threshold      (RfMapping        *mapping);

/* The user's choice: column → sensor (NULL: unmapped). A sensor another
 * column had is taken from it (that column becomes unmapped, not user_set).
 * Unknown column or sensor → RF_ERROR_NOT_FOUND listing the known names. */
gboolean     rf_mapping_set_column         (RfMapping        *mapping,
                                            RfProfile        *profile,
                                            const char       *column,
                                            const char       *sensor,
                                            GError          **error);
/* Copies the user's choices of previous onto mapping, for the columns both
 * have, in previous's order; choices of columns mapping lacks are dropped. */
void         rf_mapping_keep_user_choices  (RfMapping        *mapping,
                                            RfProfile        *profile,
                                            RfMapping        *previous);

/* The required sensors of profile no column is mapped to (names in profile
 * order); an empty, NULL-terminated array when none. */
GStrv        rf_mapping_get_unmapped_required (RfMapping     *mapping,
                                               RfProfile     *profile);

/* Checks that mapping was made for table: the same column names, in any
 * order. Otherwise RF_ERROR_INVALID naming the columns that differ and
 * saying to map again. */
gboolean     rf_mapping_check_table        (RfMapping        *mapping,
                                            RfTable          *table,
                                            GError          **error);
/* Checks that every sensor the mapping names exists in profile
 * (RF_ERROR_INVALID otherwise). */
gboolean     rf_mapping_check_profile      (RfMapping        *mapping,
                                            RfProfile        *profile,
                                            GError          **error);

/* mapping.json. to_json includes unmapped_required (profile may be NULL:
 * then it is left out). */
JsonNode    *rf_mapping_to_json            (RfMapping        *mapping,
                                            RfProfile        *profile);
RfMapping   *rf_mapping_load_file          (const char       *path,
                                            GError          **error);
RfMapping   *rf_mapping_load_bytes         (GBytes           *bytes,
                                            const char       *display_name,
                                            GError          **error);
gboolean     rf_mapping_save_file          (RfMapping        *mapping,
                                            RfProfile        *profile,
                                            const char       *path,
                                            GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfMapping, rf_mapping_unref)

G_END_DECLS

/* rf-augment.h: augmented train/val/test sets from a model (workflow step 7).
 *
 * rf_augment samples n_rows rows from a model and splits them, after a
 * seeded shuffle, into train, validation and test sets (70/15/15 by
 * default: 35,000/7,500/7,500 of 50,000). Each set is made separately, so
 * no synthetic unit crosses two sets.
 *
 * Run-to-failure trajectories: when the source data has a RUL column (role
 * RUL), a TVAE sample is a bag of independent rows, not a time series. Each
 * set is then assembled into synthetic units:
 *   - the unit length L is the median number of rows per unit of the source
 *     (per distinct unit id; the whole source when it has none), and a set
 *     of n rows makes max(1, round(n / L)) units;
 *   - the set's rows are sorted by RUL, largest first (ties keep the
 *     sample's order), and dealt to the units in turn, so every unit spans
 *     the RUL range and its RUL never increases;
 *   - the unit id column (role UNIT_ID; added as "unit_id" when the model
 *     has none) numbers the units 1, 2, … across the three sets, so ids
 *     are unique over train, val and test;
 *   - when the source has a timestamp column, each unit's rows are stamped
 *     from the source's first timestamp at the source's median interval
 *     (the median of the positive steps between consecutive rows of a
 *     unit).
 *
 * The quality check compares every numeric column of the sets with the
 * source (see RfAugmentQuality): share of values outside the source range,
 * how much of that range the synthetic values cover, missing rate, and
 * correlation with the RUL; and, for trajectories, that RUL never increases
 * and timestamps always increase within a unit. Tolerances are in
 * RfAugmentOptions and recorded in quality.json.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-model.h"
#include "rf-progress.h"
#include "rf-table.h"

G_BEGIN_DECLS

typedef enum
{
  RF_SPLIT_TRAIN,
  RF_SPLIT_VAL,
  RF_SPLIT_TEST,
} RfSplit;

#define RF_N_SPLITS (RF_SPLIT_TEST + 1)

#define RF_AUGMENT_DEFAULT_ROWS 50000

typedef struct
{
  gsize    n_rows;             /* rows sampled in all (RF_AUGMENT_DEFAULT_ROWS) */
  double   train_fraction;     /* 0.70 */
  double   val_fraction;       /* 0.15; test gets the rest */
  guint64  seed;               /* sampling, shuffle: same seed, same sets */
  gboolean trajectories;       /* assemble units when the source has a RUL (TRUE) */
  RfDecodeOptions decode;      /* rf_decode_options_init */
  guint    n_threads;          /* 0: one per core */
  /* Tolerances of the quality check, per column: */
  double   max_outside_range;  /* share of values outside the source range (0.01) */
  double   min_range_coverage; /* synthetic range / source range (0.5) */
  double   max_missing_delta;  /* |missing rate difference| (0.05) */
  double   max_rul_corr_delta; /* |difference of the correlation with RUL| (0.15) */
} RfAugmentOptions;

/* One numeric column's check. NAN where a figure does not apply. */
typedef struct
{
  char    *name;
  double   source_min, source_max;
  double   synthetic_min, synthetic_max;
  double   outside_range;      /* share of present synthetic values */
  double   range_coverage;
  double   missing_source, missing_synthetic;
  double   rul_corr_source, rul_corr_synthetic;
  gboolean passed;
  char    *problems;           /* "; "-separated, NULL when passed */
} RfAugmentColumnCheck;

typedef struct
{
  gsize    rows[RF_N_SPLITS];
  gboolean has_trajectories;
  guint    units[RF_N_SPLITS];
  double   unit_length;        /* source median rows per unit */
  double   interval_s;         /* NAN without timestamps */
  gsize    rul_increases;      /* steps where RUL rises within a unit (0) */
  gsize    time_not_increasing;/* steps where time does not rise within a unit (0) */
  char    *rul_column;         /* NULL without trajectories */
  char    *unit_column;
  char    *time_column;        /* NULL without timestamps */
  guint    n_columns;
  RfAugmentColumnCheck *columns;
  gboolean passed;
} RfAugmentQuality;

typedef struct _RfAugmentation RfAugmentation;

void             rf_augment_options_init   (RfAugmentOptions       *options);

/* Samples options->n_rows rows from model and makes the three sets; source
 * is the data the model was trained on (or the real data it should match),
 * for trajectories and the quality check. Errors: RF_ERROR_INVALID for
 * fractions that are not in (0, 1) or leave no test rows, RF_ERROR_EMPTY
 * for fewer rows than sets or an empty source, the sampler's errors,
 * G_IO_ERROR_CANCELLED. */
RfAugmentation  *rf_augment                (RfModel                *model,
                                            const RfTable          *source,
                                            const RfAugmentOptions *options,
                                            RfProgress             *progress,
                                            GCancellable           *cancellable,
                                            GError                **error);
void             rf_augmentation_free      (RfAugmentation         *augmentation);

RfTable         *rf_augmentation_get_set   (RfAugmentation         *augmentation,
                                            RfSplit                 split);
const RfAugmentQuality *rf_augmentation_get_quality (RfAugmentation *augmentation);
/* "train", "val", "test". */
const char      *rf_split_to_string        (RfSplit                 split);

/* quality.json: the options (rows, fractions, seed, tolerances), model and
 * source names as given (may be NULL), and the quality fields. */
JsonNode        *rf_augmentation_quality_to_json (RfAugmentation   *augmentation,
                                            const char             *model_name,
                                            const char             *source_name);

/* Writes dir/{train,val,test}.parquet, each set also as .csv and .xlsx when
 * asked, then dir/quality.json, each through rf-atomic-file (an existing
 * file is replaced only by a complete one). dir is created. */
gboolean         rf_augmentation_write     (RfAugmentation         *augmentation,
                                            const char             *dir,
                                            gboolean                csv,
                                            gboolean                xlsx,
                                            const char             *model_name,
                                            const char             *source_name,
                                            RfProgress             *progress,
                                            GCancellable           *cancellable,
                                            GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfAugmentation, rf_augmentation_free)

G_END_DECLS

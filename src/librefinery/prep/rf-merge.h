/* rf-merge.h: step 5 of the workflow, real data with or without seed data.
 *
 * Strategies (the original plan's 3.7.6.3.1):
 *   replace    the real data alone, and only when it is large enough: fewer
 *              than 5,000 rows are refused unless forced;
 *   merge      seed rows then real rows, columns matched by name (a column
 *              one side lacks is missing there; numeric columns of
 *              different types become doubles), exact duplicate rows
 *              dropped, rows shuffled (seeded), and a "source" column
 *              saying "seed" or "real";
 *   real-only  the real data as it is (a new machine, no seed data).
 * Optional RUL balancing: the rows are put in four bins by RUL (0–25 %,
 * 25–50 %, 50–75 %, 75–100 % of the largest RUL) and every non-empty bin is
 * sampled down, without replacement and seeded, to the size of the smallest
 * non-empty one, keeping row order. Rows without a RUL are dropped then.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rf-profile.h"
#include "rf-table.h"

G_BEGIN_DECLS

#define RF_MERGE_MIN_REPLACE_ROWS 5000
#define RF_MERGED_DATA_FILE       "merged.parquet"
#define RF_MERGE_REPORT_FILE      "merge_report.json"

typedef enum
{
  RF_MERGE_REPLACE,
  RF_MERGE_MERGE,
  RF_MERGE_REAL_ONLY,
} RfMergeStrategy;

typedef struct
{
  RfMergeStrategy strategy;
  gboolean force;          /* replace with fewer than 5,000 real rows */
  gboolean balance_rul;
  guint64 seed;            /* shuffle and balancing */
} RfMergeOptions;

typedef struct
{
  RfMergeStrategy strategy;
  gsize real_rows;
  gsize seed_rows;         /* 0 unless merge */
  gsize duplicates_dropped;
  gsize rows_out;
  char *rul_column;        /* NULL without balancing */
  gsize bins_before[4];
  gsize bins_after[4];
  gsize rul_missing_dropped;
  GPtrArray *warnings;     /* char * */
} RfMergeReport;

const char    *rf_merge_strategy_to_string   (RfMergeStrategy    strategy);
/* "replace", "merge", "real-only" (also "real_only"). */
gboolean       rf_merge_strategy_from_string (const char        *text,
                                              RfMergeStrategy   *strategy);
void           rf_merge_options_init         (RfMergeOptions    *options);

/* seed may be NULL except for merge. profile gives the RUL column for
 * balancing (its RUL entry); may be NULL without balancing. Errors
 * (RF_ERROR_INVALID): replace with too few rows, balancing without a RUL
 * column, merge without seed data, columns whose types cannot be merged. */
RfTable       *rf_merge_tables               (RfTable               *real,
                                              RfTable               *seed,
                                              RfProfile             *profile,
                                              const RfMergeOptions  *options,
                                              RfMergeReport        **report_out,
                                              GError               **error);
void           rf_merge_report_free          (RfMergeReport         *report);
JsonNode      *rf_merge_report_to_json       (const RfMergeReport   *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfMergeReport, rf_merge_report_free)

G_END_DECLS

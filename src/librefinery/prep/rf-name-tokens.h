/* rf-name-tokens.h: what a column or sensor name says, as words and a unit.
 *
 * Plant exports name the same measurement in many ways: "BRG_DE_TEMP",
 * "Temp_Bearing_DE", "DE bearing temperature (°F)", "bearing_de_temp_C". To
 * compare them, a name is
 *   1. split into tokens: separators (_ - . / space # and brackets), camelCase
 *      and ALLCAPS boundaries ("SpindleTemp", "PLCTemp"), letters and digits
 *      ("temp1"), keeping unit spellings whole ("m3", "°F", "%");
 *   2. searched for a unit: a bracketed one ("(°F)", "[psi]"), a rate written
 *      as tokens ("mm_s", "feed_mm_per_min", "l_min"), a unit word anywhere
 *      ("PSI", "GPM", "amps", "rpm", "days"), or a one-letter unit at the end
 *      ("TEMP_F", "Current_A", "acc_rms_g") when nothing in the name
 *      contradicts it ("Voltage_Phase_C" has no unit);
 *   3. turned into concepts through a vocabulary of plant-tag words and
 *      abbreviations (temp/tmp/t → temperature, brg → bearing, DE/NDE,
 *      CHWS → chilled water + supply, ...). Words outside the vocabulary are
 *      kept (stemmed); they still match a concept they abbreviate by dropping
 *      letters ("clnt" → coolant, "spdl" → spindle, "wdg" → winding).
 * Each word has a weight: what the measurement is or where (1), qualifiers
 * such as "phase", "rms", "motor" (0.3–0.5), filler such as "to", "of" (0).
 * The unit's dimension adds its quantity ("rpm" → speed, "kW" → power) when
 * the words do not name one.
 */
#pragma once

#include <glib.h>

#include "rf-units.h"

G_BEGIN_DECLS

typedef struct
{
  char *word;         /* a concept ("temperature", "drive_end") or, when
                       * known is FALSE, the stemmed token itself */
  double weight;
  gboolean known;     /* from the vocabulary */
  gboolean implied;   /* added from the unit's dimension */
} RfNameWord;

typedef struct
{
  GArray *words;      /* RfNameWord, in name order, each concept once */
  const RfUnit *unit; /* the unit the name gives, or NULL */
} RfNameAnalysis;

/* The raw tokens of name, lower case (step 1 only). */
GStrv           rf_name_tokenise          (const char           *name);
RfNameAnalysis *rf_name_analyse           (const char           *name);
void            rf_name_analysis_free     (RfNameAnalysis       *analysis);
/* Adds the concept of a quantity (a unit dimension's word) when the words
 * name no quantity yet: used for a column's or sensor's declared unit. */
void            rf_name_analysis_add_unit (RfNameAnalysis       *analysis,
                                           const RfUnit         *unit);
/* TRUE when the analysis holds that concept. */
gboolean        rf_name_analysis_has      (const RfNameAnalysis *analysis,
                                           const char           *concept);

/* 0..1: 1 for the same concept, less for related concepts ("acceleration"
 * and "vibration") and abbreviations, 0 for unrelated words. */
double          rf_name_word_similarity   (const RfNameWord     *a,
                                           const RfNameWord     *b);
/* 0..1: each word of a and of b, by weight, matched to its best partner in
 * the other name. */
double          rf_name_similarity        (const RfNameAnalysis *a,
                                           const RfNameAnalysis *b);
/* The quantity a concept names that a unit can measure (temperature →
 * RF_DIMENSION_TEMPERATURE), else RF_DIMENSION_NONE. */
RfDimension     rf_name_concept_dimension (const char           *concept);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfNameAnalysis, rf_name_analysis_free)

G_END_DECLS

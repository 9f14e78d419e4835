#define G_LOG_DOMAIN "rf-name-tokens"

#include "config.h"

#include <string.h>

#include "rf-name-tokens.h"

/* The vocabulary: a token (lower case, singular) and the concepts it stands
 * for. Concepts are English words; a token may stand for several
 * ("chws" is chilled water and supply). Written from the terms of plant
 * instrumentation (ISA tag letters, HVAC, rotating machinery, machine
 * tools), in English and the German that turns up in European exports. */
typedef struct
{
  const char *token;
  const char *concepts;
} VocabularyEntry;

static const VocabularyEntry vocabulary[] = {
  /* quantities */
  { "temperature", "temperature" }, { "temp", "temperature" }, { "tmp", "temperature" },
  { "tempr", "temperature" }, { "t", "temperature" }, { "tc", "temperature" },
  { "temperatur", "temperature" }, { "thermo", "temperature" },
  { "pressure", "pressure" }, { "press", "pressure" }, { "pres", "pressure" }, { "prs", "pressure" },
  { "p", "pressure" }, { "druck", "pressure" },
  { "vibration", "vibration" }, { "vib", "vibration" }, { "vibe", "vibration" }, { "vibr", "vibration" },
  { "vibro", "vibration" }, { "schwingung", "vibration" },
  { "acceleration", "acceleration" }, { "acc", "acceleration" }, { "accel", "acceleration" },
  { "velocity", "velocity" }, { "vel", "velocity" },
  { "displacement", "displacement" }, { "disp", "displacement" },
  { "current", "current" }, { "cur", "current" }, { "curr", "current" }, { "strom", "current" },
  { "voltage", "voltage" }, { "volt", "voltage" }, { "spannung", "voltage" },
  { "speed", "speed" }, { "spd", "speed" }, { "rev", "speed" }, { "drehzahl", "speed" },
  { "rotation", "speed" },
  { "power", "power" }, { "pwr", "power" }, { "leistung", "power" },
  { "energy", "energy" }, { "consumption", "energy" },
  { "flow", "flow" }, { "flw", "flow" }, { "flowrate", "flow" }, { "durchfluss", "flow" },
  { "level", "level" }, { "lvl", "level" },
  { "torque", "torque" }, { "trq", "torque" },
  { "frequency", "frequency" }, { "freq", "frequency" },
  { "humidity", "humidity" }, { "rh", "humidity" },
  { "position", "position" }, { "pos", "position" },
  { "load", "load" }, { "ld", "load" }, { "last", "load" },
  { "wear", "wear" },
  { "force", "force" },
  /* where, or of what */
  { "bearing", "bearing" }, { "brg", "bearing" }, { "brng", "bearing" }, { "lager", "bearing" },
  { "de", "drive_end" }, { "as", "drive_end" }, { "driveend", "drive_end" }, { "nde", "non_drive_end" },
  { "ode", "non_drive_end" }, { "bs", "non_drive_end" }, { "nondriveend", "non_drive_end" },
  { "winding", "winding" }, { "wdg", "winding" }, { "wicklung", "winding" },
  { "stator", "stator" },
  { "ambient", "ambient" }, { "amb", "ambient" }, { "environment", "ambient" }, { "env", "ambient" },
  { "outdoor", "ambient" }, { "outside", "ambient" }, { "room", "ambient" }, { "umgebung", "ambient" },
  { "spindle", "spindle" }, { "spdl", "spindle" }, { "spindel", "spindle" },
  { "coolant", "coolant" }, { "clnt", "coolant" }, { "kuehlmittel", "coolant" },
  { "feed", "feed" }, { "feedrate", "feed rate" }, { "vorschub", "feed" },
  { "tool", "tool" }, { "werkzeug", "tool" },
  { "supply", "supply" }, { "sup", "supply" }, { "sply", "supply" }, { "vorlauf", "supply" },
  { "return", "return" }, { "ret", "return" }, { "rtn", "return" }, { "ruecklauf", "return" },
  { "chw", "chilled_water" }, { "chilled", "chilled_water" },
  { "cw", "condenser_water" }, { "cdw", "condenser_water" }, { "cnw", "condenser_water" },
  { "hw", "hot_water" },
  { "evaporator", "evaporator" }, { "evap", "evaporator" }, { "evp", "evaporator" },
  { "condenser", "condenser" }, { "cond", "condenser" }, { "cnd", "condenser" },
  { "compressor", "compressor" }, { "comp", "compressor" }, { "cmp", "compressor" },
  { "compr", "compressor" }, { "kompressor", "compressor" },
  { "oil", "oil" }, { "lube", "oil" }, { "oel", "oil" },
  { "suction", "suction" }, { "suct", "suction" }, { "suc", "suction" }, { "inlet", "inlet" },
  { "intake", "inlet" }, { "discharge", "discharge" }, { "disch", "discharge" }, { "dis", "discharge" },
  { "dsch", "discharge" }, { "outlet", "outlet" },
  { "seal", "seal" }, { "gearbox", "gearbox" }, { "gear", "gearbox" }, { "fan", "fan" },
  { "valve", "valve" }, { "impeller", "impeller" }, { "casing", "casing" }, { "housing", "casing" },
  { "water", "water" }, { "air", "air" }, { "gas", "gas" }, { "refrigerant", "refrigerant" },
  { "filter", "filter" }, { "differential", "differential" }, { "diff", "differential" },
  { "dp", "differential pressure" },
  /* the special columns */
  { "timestamp", "timestamp" }, { "time", "timestamp" }, { "date", "timestamp" },
  { "datetime", "timestamp" }, { "ts", "timestamp" }, { "stamp", "timestamp" },
  { "zeit", "timestamp" }, { "datum", "timestamp" }, { "zeitstempel", "timestamp" },
  { "rul", "rul" }, { "remaining", "rul" }, { "ttf", "rul" }, { "failure", "rul" },
  { "eol", "rul" }, { "restlebensdauer", "rul" },
  { "unit", "unit_id" }, { "engine", "unit_id" }, { "asset", "unit_id" }, { "serial", "unit_id" },
  { "setpoint", "setpoint" }, { "sp", "setpoint" }, { "sollwert", "setpoint" },
  /* qualifiers */
  { "motor", "motor" }, { "mtr", "motor" }, { "mot", "motor" }, { "pump", "pump" }, { "pmp", "pump" },
  { "phase", "phase" }, { "ph", "phase" }, { "line", "line" }, { "shaft", "shaft" },
  { "rms", "rms" }, { "peak", "peak" }, { "pk", "peak" }, { "avg", "average" },
  { "average", "average" }, { "mean", "average" }, { "actual", "actual" }, { "act", "actual" },
  { "pv", "actual" }, { "value", "actual" }, { "val", "actual" }, { "measured", "actual" },
  { "meas", "actual" }, { "rate", "rate" }, { "id", "id" }, { "nr", "id" }, { "no", "id" },
  { "number", "id" }, { "sensor", "sensor" }, { "transmitter", "sensor" },
  /* filler */
  { "to", "" }, { "of", "" }, { "the", "" }, { "at", "" }, { "and", "" }, { "per", "" },
  { "a", "" }, { "in", "" }, { "on", "" }, { "for", "" }, { "until", "" }, { "till", "" },
  { "before", "" }, { "from", "" },
};

/* Concepts that qualify rather than name a measurement weigh less. */
static const struct { const char *concept; double weight; } concept_weights[] = {
  { "motor", 0.4 }, { "pump", 0.4 }, { "phase", 0.3 }, { "line", 0.3 }, { "shaft", 0.4 },
  { "rms", 0.3 }, { "peak", 0.3 }, { "average", 0.3 }, { "actual", 0.2 }, { "rate", 0.3 },
  { "id", 0.5 }, { "sensor", 0.2 }, { "stator", 0.5 }, { "water", 0.5 },
};

/* Related concepts: how much one stands for the other. */
static const struct { const char *a; const char *b; double similarity; } related[] = {
  { "vibration", "acceleration", 0.7 }, { "vibration", "velocity", 0.6 },
  { "vibration", "displacement", 0.6 }, { "speed", "velocity", 0.4 }, { "speed", "frequency", 0.5 },
  { "stator", "winding", 0.7 }, { "suction", "inlet", 0.8 }, { "discharge", "outlet", 0.8 },
  { "power", "energy", 0.3 }, { "load", "power", 0.3 }, { "unit_id", "id", 0.6 },
  { "chilled_water", "water", 0.5 }, { "condenser_water", "water", 0.5 },
  { "condenser_water", "condenser", 0.5 },
};

/* The quantities a unit's dimension names. */
static const struct { const char *concept; RfDimension dimension; } quantities[] = {
  { "temperature", RF_DIMENSION_TEMPERATURE }, { "pressure", RF_DIMENSION_PRESSURE },
  { "velocity", RF_DIMENSION_VELOCITY }, { "acceleration", RF_DIMENSION_ACCELERATION },
  { "flow", RF_DIMENSION_FLOW }, { "power", RF_DIMENSION_POWER }, { "energy", RF_DIMENSION_ENERGY },
  { "current", RF_DIMENSION_CURRENT }, { "voltage", RF_DIMENSION_VOLTAGE },
  { "speed", RF_DIMENSION_ROTATIONAL_SPEED }, { "frequency", RF_DIMENSION_ROTATIONAL_SPEED },
  { "displacement", RF_DIMENSION_LENGTH }, { "level", RF_DIMENSION_LENGTH },
  { "wear", RF_DIMENSION_LENGTH }, { "torque", RF_DIMENSION_TORQUE },
  { "force", RF_DIMENSION_FORCE }, { "humidity", RF_DIMENSION_RATIO },
};

/* Unit spellings that are also ordinary tag words ("min" is a minimum,
 * "HP" high pressure, "MA" a moving average): units only in brackets. */
static const char * const ambiguous_unit_words[] = {
  "in", "min", "max", "ms", "hp", "ma", "am", "pm", "id", "no", "nr", "sp", "pa", "cm", "mm2",
  "rate", "cyc", "sec", "deg", "n", "j",
};

/* Words outside the vocabulary may matter or not: they weigh less than
 * known ones; a lone letter or an index number less still. */
#define UNKNOWN_WEIGHT 0.7
#define LETTER_WEIGHT  0.3
#define INDEX_WEIGHT   0.3

/* One-letter units, accepted only as the last token of a longer name. */
static const char one_letter_units[] = "cfkavwg";
/* ... and, after a remaining life ("RUL_h", "TTF_d"), time units. */
static const char time_letter_units[] = "hds";

/* Tokens before a last letter that make it a label, not a unit
 * ("Phase_A", "Pump_B", "Line_C"). */
static const char * const label_words[] = {
  "phase", "ph", "line", "pump", "motor", "bearing", "brg", "unit", "zone", "side", "stage",
  "channel", "ch", "train", "tank", "bus", "feeder", "circuit", "section", "group", "point",
};

/* Water circuits written with S (supply) or R (return) appended: CHWS,
 * CWR, HWS, CDWR. */
static const struct { const char *prefix; const char *concept; } circuits[] = {
  { "chw", "chilled_water" }, { "cdw", "condenser_water" }, { "cw", "condenser_water" },
  { "hw", "hot_water" },
};

static gboolean
in_list (const char         *word,
         const char * const *list,
         gsize               n)
{
  for (gsize i = 0; i < n; i++)
    if (strcmp (word, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* ---- step 1: tokens ---------------------------------------------------- */

static gboolean
keeps_its_digits (const char *chunk_lower)
{
  static const char * const whole[] = { "m3", "m2", "h2o", "inh2o", "co2", "o2", "s2", "nox" };

  return in_list (chunk_lower, whole, G_N_ELEMENTS (whole));
}

/* Splits one run of ASCII letters and digits at camelCase, ALLCAPS→Word
 * and letter/digit boundaries. */
static void
split_chunk (const char *chunk,
             GPtrArray  *tokens)
{
  gsize n = strlen (chunk);
  gsize start = 0;
  g_autofree char *lower = g_ascii_strdown (chunk, -1);

  if (keeps_its_digits (lower))
    {
      g_ptr_array_add (tokens, g_steal_pointer (&lower));
      return;
    }
  for (gsize i = 1; i <= n; i++)
    {
      gboolean boundary = i == n;

      if (!boundary)
        {
          char prev = chunk[i - 1], cur = chunk[i];

          boundary = (g_ascii_islower (prev) && g_ascii_isupper (cur)) ||
                     (g_ascii_isdigit (prev) != g_ascii_isdigit (cur)) ||
                     (g_ascii_isupper (prev) && g_ascii_isupper (cur) && i + 1 < n &&
                      g_ascii_islower (chunk[i + 1]));
        }
      if (boundary)
        {
          g_ptr_array_add (tokens, g_ascii_strdown (chunk + start, (gssize) (i - start)));
          start = i;
        }
    }
}

/* Tokenises text (no brackets in it) into tokens; "°X" becomes the token
 * "degX", "%" a token of its own, micro signs "u", superscripts digits. */
static void
tokenise_into (const char *text,
               GPtrArray  *tokens)
{
  GString *chunk = g_string_new (NULL);
  const char *p = text;

  while (TRUE)
    {
      gboolean flush = *p == '\0';
      const char *emit = NULL;
      char deg[5];
      gsize skip = 1;

      if (!flush)
        {
          if (g_ascii_isalnum (*p))
            {
              g_string_append_c (chunk, *p);
              p++;
              continue;
            }
          if (g_str_has_prefix (p, "°") || g_str_has_prefix (p, "º"))
            {
              skip = 2;
              flush = TRUE;
              if (g_ascii_isalpha (p[2]) && !g_ascii_isalnum (p[3]))
                {
                  deg[0] = 'd'; deg[1] = 'e'; deg[2] = 'g';
                  deg[3] = g_ascii_tolower (p[2]); deg[4] = '\0';
                  emit = deg;
                  skip = 3;
                }
            }
          else if (g_str_has_prefix (p, "µ") || g_str_has_prefix (p, "μ"))
            {
              g_string_append_c (chunk, 'u');
              p += 2;
              continue;
            }
          else if (g_str_has_prefix (p, "³") || g_str_has_prefix (p, "²"))
            {
              g_string_append_c (chunk, g_str_has_prefix (p, "³") ? '3' : '2');
              p += 2;
              continue;
            }
          else if (*p == '%')
            {
              flush = TRUE;
              emit = "%";
            }
          else
            {
              flush = TRUE;
              /* skip a whole UTF-8 sequence */
              if ((guchar) *p >= 0x80)
                {
                  const char *next = g_utf8_find_next_char (p, NULL);
                  skip = next != NULL && next > p ? (gsize) (next - p) : 1;
                }
            }
        }
      if (flush && chunk->len > 0)
        {
          split_chunk (chunk->str, tokens);
          g_string_truncate (chunk, 0);
        }
      if (emit != NULL)
        g_ptr_array_add (tokens, g_strdup (emit));
      if (*p == '\0')
        break;
      for (gsize k = 0; k < skip && *p != '\0'; k++)
        p++;
    }
  g_string_free (chunk, TRUE);
}

/* Separates bracketed parts ("(°F)", "[psi]") from the rest of the name. */
static void
split_brackets (const char  *name,
                GString     *outside,
                GPtrArray   *bracketed)
{
  const char *p = name;

  while (*p != '\0')
    {
      const char *close = NULL;

      if (*p == '(' || *p == '[' || *p == '{')
        {
          char want = *p == '(' ? ')' : *p == '[' ? ']' : '}';
          close = strchr (p + 1, want);
        }
      if (close != NULL)
        {
          g_ptr_array_add (bracketed, g_strndup (p + 1, (gsize) (close - p - 1)));
          g_string_append_c (outside, ' ');
          p = close + 1;
        }
      else
        {
          g_string_append_c (outside, *p);
          p++;
        }
    }
}

GStrv
rf_name_tokenise (const char *name)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) outside = g_string_new (NULL);
  g_autoptr(GPtrArray) bracketed = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (name != NULL, NULL);

  split_brackets (name, outside, bracketed);
  tokenise_into (outside->str, tokens);
  for (guint i = 0; i < bracketed->len; i++)
    tokenise_into (g_ptr_array_index (bracketed, i), tokens);
  g_ptr_array_add (tokens, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&tokens), FALSE);
}

/* ---- step 3: words ------------------------------------------------------ */

static const VocabularyEntry *
find_vocabulary (const char *token)
{
  for (gsize i = 0; i < G_N_ELEMENTS (vocabulary); i++)
    if (strcmp (vocabulary[i].token, token) == 0)
      return &vocabulary[i];
  return NULL;
}

/* The token's vocabulary entry, trying its singular too. */
static const VocabularyEntry *
lookup_token (const char *token)
{
  const VocabularyEntry *entry = find_vocabulary (token);
  gsize n = strlen (token);

  if (entry == NULL && n > 3 && token[n - 1] == 's' && token[n - 2] != 's')
    {
      g_autofree char *singular = g_strndup (token, n - 1);
      entry = find_vocabulary (singular);
      if (entry == NULL && n > 4 && token[n - 2] == 'e')
        {
          singular[n - 2] = '\0';
          entry = find_vocabulary (singular);
        }
    }
  return entry;
}

static double
concept_weight (const char *concept)
{
  for (gsize i = 0; i < G_N_ELEMENTS (concept_weights); i++)
    if (strcmp (concept_weights[i].concept, concept) == 0)
      return concept_weights[i].weight;
  return 1.0;
}

RfDimension
rf_name_concept_dimension (const char *concept)
{
  for (gsize i = 0; i < G_N_ELEMENTS (quantities); i++)
    if (strcmp (quantities[i].concept, concept) == 0)
      return quantities[i].dimension;
  return RF_DIMENSION_NONE;
}

gboolean
rf_name_analysis_has (const RfNameAnalysis *analysis,
                      const char           *concept)
{
  for (guint i = 0; i < analysis->words->len; i++)
    {
      const RfNameWord *w = &g_array_index (analysis->words, RfNameWord, i);
      if (w->known && strcmp (w->word, concept) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
add_word (RfNameAnalysis *analysis,
          const char     *word,
          gboolean        known,
          double          weight)
{
  RfNameWord w;

  for (guint i = 0; i < analysis->words->len; i++)
    {
      RfNameWord *old = &g_array_index (analysis->words, RfNameWord, i);
      if (old->known == known && strcmp (old->word, word) == 0)
        {
          old->weight = MAX (old->weight, weight);
          return;
        }
    }
  w.word = g_strdup (word);
  w.weight = weight;
  w.known = known;
  w.implied = FALSE;
  g_array_append_val (analysis->words, w);
}

static void
add_concepts (RfNameAnalysis *analysis,
              const char     *concepts)
{
  g_auto(GStrv) list = g_strsplit (concepts, " ", -1);

  for (guint i = 0; list[i] != NULL; i++)
    if (list[i][0] != '\0')
      add_word (analysis, list[i], TRUE, concept_weight (list[i]));
}

/* "chws" → chilled water + supply; FALSE when token is not such a name. */
static gboolean
add_circuit (RfNameAnalysis *analysis,
             const char     *token)
{
  for (gsize i = 0; i < G_N_ELEMENTS (circuits); i++)
    {
      gsize n = strlen (circuits[i].prefix);
      const char *rest = token + n;

      if (strncmp (token, circuits[i].prefix, n) != 0)
        continue;
      if (strcmp (rest, "s") == 0 || strcmp (rest, "st") == 0 || strcmp (rest, "r") == 0 ||
          strcmp (rest, "rt") == 0)
        {
          add_word (analysis, circuits[i].concept, TRUE, 1.0);
          add_word (analysis, rest[0] == 's' ? "supply" : "return", TRUE, 1.0);
          if (rest[1] == 't')
            add_word (analysis, "temperature", TRUE, 1.0);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
names_quantity (const RfNameAnalysis *analysis)
{
  for (guint i = 0; i < analysis->words->len; i++)
    {
      const RfNameWord *w = &g_array_index (analysis->words, RfNameWord, i);
      if (w->known && rf_name_concept_dimension (w->word) != RF_DIMENSION_NONE)
        return TRUE;
    }
  return FALSE;
}

void
rf_name_analysis_add_unit (RfNameAnalysis *analysis,
                           const RfUnit   *unit)
{
  RfDimension dimension;
  RfNameWord w;

  g_return_if_fail (analysis != NULL);

  if (unit == NULL)
    return;
  dimension = rf_unit_get_dimension (unit);
  for (gsize i = 0; i < G_N_ELEMENTS (quantities); i++)
    {
      if (quantities[i].dimension != dimension)
        continue;
      if (rf_name_analysis_has (analysis, quantities[i].concept))
        return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (quantities); i++)
    {
      if (quantities[i].dimension != dimension)
        continue;
      /* the unit is the only word for the quantity ("kw", "PUMP_RPM"): it
       * counts in full; beside a quantity word, as a hint */
      w.word = g_strdup (quantities[i].concept);
      w.weight = names_quantity (analysis) ? 0.5 : 1.0;
      w.known = TRUE;
      w.implied = TRUE;
      g_array_append_val (analysis->words, w);
      return;
    }
}

/* ISA 5.1 instrument tags: a measured-variable letter then function
 * letters ("TT" temperature transmitter, "PIT", "FIC", "VE"). Not as the
 * last token, where "ft" is more likely feet. */
static const char *
isa_concepts (const char *token,
              gboolean    last)
{
  static const struct { char letter; const char *concept; } variables[] = {
    { 't', "temperature" }, { 'p', "pressure" }, { 'f', "flow" }, { 'v', "vibration" },
    { 's', "speed" }, { 'i', "current" }, { 'e', "voltage" }, { 'j', "power" }, { 'l', "level" },
    { 'z', "position" },
  };
  static const char * const functions[] = {
    "t", "i", "e", "it", "ic", "ir", "y", "ix", "iy",
  };
  gsize n = strlen (token);

  if (last || n < 2 || n > 3)
    return NULL;
  if (!in_list (token + 1, functions, G_N_ELEMENTS (functions)))
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (variables); i++)
    if (token[0] == variables[i].letter)
      return variables[i].concept;
  return NULL;
}

/* ---- step 2: units ------------------------------------------------------ */

/* A unit written as a word ("psi", "GPM", "amps"); ambiguous words and
 * single letters are not. */
static const RfUnit *
word_unit (const char *token,
           gboolean    last)
{
  if (strlen (token) < 2 && strcmp (token, "%") != 0)
    return NULL;
  if (in_list (token, ambiguous_unit_words, G_N_ELEMENTS (ambiguous_unit_words)))
    return NULL;
  if (find_vocabulary (token) != NULL || isa_concepts (token, last) != NULL)
    return NULL;
  return rf_unit_lookup (token);
}

/* A rate written as tokens: "mm s", "mm per min", "l min", "m3 h". */
static const RfUnit *
rate_unit (char **tokens,
           guint  i,
           guint  n,
           guint *consumed)
{
  guint j = i + 1;
  const RfUnit *unit;
  g_autofree char *joined = NULL;

  if (j < n && strcmp (tokens[j], "per") == 0)
    j++;
  if (j >= n)
    return NULL;
  joined = g_strdup_printf ("%s/%s", tokens[i], tokens[j]);
  unit = rf_unit_lookup (joined);
  if (unit == NULL || strchr (rf_unit_get_symbol (unit), '/') == NULL)
    return NULL;
  *consumed = j - i + 1;
  return unit;
}

static gboolean
conflicts_with_words (const RfNameAnalysis *analysis,
                      const RfUnit         *unit)
{
  RfDimension dimension = rf_unit_get_dimension (unit);

  for (guint i = 0; i < analysis->words->len; i++)
    {
      const RfNameWord *w = &g_array_index (analysis->words, RfNameWord, i);
      RfDimension named = w->known ? rf_name_concept_dimension (w->word) : RF_DIMENSION_NONE;

      if (named == RF_DIMENSION_NONE || named == dimension)
        continue;
      /* vibration and speed words measure with several dimensions */
      if (strcmp (w->word, "velocity") == 0 || strcmp (w->word, "displacement") == 0)
        continue;
      return TRUE;
    }
  return FALSE;
}

RfNameAnalysis *
rf_name_analyse (const char *name)
{
  g_autoptr(GString) outside = g_string_new (NULL);
  g_autoptr(GPtrArray) bracketed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autofree gboolean *used = NULL;
  RfNameAnalysis *analysis;
  gboolean about_failure = FALSE;
  const RfUnit *unit = NULL;
  guint n;

  g_return_val_if_fail (name != NULL, NULL);

  analysis = g_new0 (RfNameAnalysis, 1);
  analysis->words = g_array_new (FALSE, FALSE, sizeof (RfNameWord));

  /* a bracketed unit is the surest; other bracketed text is words */
  split_brackets (name, outside, bracketed);
  for (guint i = 0; i < bracketed->len; i++)
    {
      const RfUnit *u = rf_unit_lookup (g_ptr_array_index (bracketed, i));
      if (u != NULL && unit == NULL)
        unit = u;
      else
        g_string_append_printf (outside, " %s", (char *) g_ptr_array_index (bracketed, i));
    }
  tokenise_into (outside->str, tokens);
  n = tokens->len;
  used = g_new0 (gboolean, MAX (n, 1));

  /* rates written as tokens, anywhere */
  for (guint i = 0; i < n && unit == NULL; i++)
    {
      guint consumed = 0;
      const RfUnit *u = rate_unit ((char **) tokens->pdata, i, n, &consumed);
      if (u != NULL)
        {
          unit = u;
          for (guint k = i; k < i + consumed; k++)
            used[k] = TRUE;
        }
    }
  /* unit words anywhere ("PSI", "degf" from "°F", "amps") */
  for (guint i = 0; i < n; i++)
    {
      const RfUnit *u;

      if (used[i])
        continue;
      u = word_unit (g_ptr_array_index (tokens, i), i == n - 1);
      if (u == NULL)
        continue;
      used[i] = TRUE;
      if (unit == NULL)
        unit = u;
    }

  for (guint i = 0; i < n; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);
      if (!used[i] && (strcmp (token, "failure") == 0 || strcmp (token, "remaining") == 0 ||
                       strcmp (token, "rul") == 0 || strcmp (token, "ttf") == 0))
        about_failure = TRUE;
    }

  /* words; the last token may still be a one-letter unit */
  for (guint i = 0; i < n; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);
      const VocabularyEntry *entry;
      const char *concepts;

      if (used[i])
        continue;
      if (i == n - 1 && n > 1 && strlen (token) == 1 &&
          (strchr (one_letter_units, token[0]) != NULL ||
           (about_failure && strchr (time_letter_units, token[0]) != NULL)) &&
          !in_list (g_ptr_array_index (tokens, i - 1), label_words, G_N_ELEMENTS (label_words)) &&
          unit == NULL)
        {
          const RfUnit *u = rf_unit_lookup (token);
          if (u != NULL && !conflicts_with_words (analysis, u))
            {
              unit = u;
              continue;
            }
        }
      /* "time to failure": the time is the RUL's, not a timestamp */
      if (about_failure && (strcmp (token, "time") == 0 || strcmp (token, "life") == 0 ||
                            strcmp (token, "useful") == 0))
        continue;
      if (g_ascii_isdigit (token[0]))
        {
          g_autofree char *index = g_strdup_printf ("#%s", token);
          add_word (analysis, index, FALSE, INDEX_WEIGHT);
          continue;
        }
      /* "chws" is a circuit before it is the plural of "chw" */
      entry = find_vocabulary (token);
      if (entry == NULL && add_circuit (analysis, token))
        continue;
      if (entry == NULL)
        entry = lookup_token (token);
      if (entry != NULL)
        add_concepts (analysis, entry->concepts);
      else if ((concepts = isa_concepts (token, i == n - 1)) != NULL)
        add_concepts (analysis, concepts);
      else
        add_word (analysis, token, FALSE, token[1] == '\0' ? LETTER_WEIGHT : UNKNOWN_WEIGHT);
    }

  analysis->unit = unit;
  rf_name_analysis_add_unit (analysis, unit);
  return analysis;
}

void
rf_name_analysis_free (RfNameAnalysis *analysis)
{
  if (analysis == NULL)
    return;
  for (guint i = 0; i < analysis->words->len; i++)
    g_free (g_array_index (analysis->words, RfNameWord, i).word);
  g_array_unref (analysis->words);
  g_free (analysis);
}

/* ---- similarity --------------------------------------------------------- */

/* TRUE when abbr is word with letters dropped: the same first letter, the
 * rest in order ("clnt" in "coolant", "spdl" in "spindle"). */
static gboolean
abbreviates (const char *abbr,
             const char *word)
{
  gsize na = strlen (abbr);

  if (na < 3 || na >= strlen (word) || abbr[0] != word[0])
    return FALSE;
  for (const char *w = word + 1, *a = abbr + 1; *a != '\0'; w++)
    {
      if (*w == '\0')
        return FALSE;
      if (*w == *a)
        a++;
    }
  return TRUE;
}

/* 1 − Levenshtein distance / length of the longer word: 0.91 for
 * "temprature" and "temperature". */
static double
spelling_similarity (const char *a,
                     const char *b)
{
  gsize na = strlen (a), nb = strlen (b);
  g_autofree gsize *row = NULL;

  if (na == 0 || nb == 0 || na > 64 || nb > 64)
    return 0;
  row = g_new (gsize, nb + 1);
  for (gsize j = 0; j <= nb; j++)
    row[j] = j;
  for (gsize i = 1; i <= na; i++)
    {
      gsize diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= nb; j++)
        {
          gsize above = row[j];
          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] != b[j - 1]));
          diagonal = above;
        }
    }
  return 1.0 - (double) row[nb] / (double) MAX (na, nb);
}

double
rf_name_word_similarity (const RfNameWord *a,
                         const RfNameWord *b)
{
  if (strcmp (a->word, b->word) == 0)
    return 1.0;
  if (a->known && b->known)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (related); i++)
        if ((strcmp (related[i].a, a->word) == 0 && strcmp (related[i].b, b->word) == 0) ||
            (strcmp (related[i].b, a->word) == 0 && strcmp (related[i].a, b->word) == 0))
          return related[i].similarity;
      return 0.0;
    }
  /* an unknown token against a word it may abbreviate, or a prefix */
  if (!a->known && abbreviates (a->word, b->word))
    return g_str_has_prefix (b->word, a->word) ? 0.9 : 0.8;
  if (!b->known && abbreviates (b->word, a->word))
    return g_str_has_prefix (a->word, b->word) ? 0.9 : 0.8;
  /* a misspelling of a long word ("temprature", "vibraton") */
  if (strlen (a->word) >= 6 && strlen (b->word) >= 6)
    {
      double spelling = spelling_similarity (a->word, b->word);
      if (spelling >= 0.8)
        return 0.9 * spelling;
    }
  return 0.0;
}

static double
side_score (const RfNameAnalysis *from,
            const RfNameAnalysis *to,
            double               *weight_out)
{
  double sum = 0, weight = 0;

  for (guint i = 0; i < from->words->len; i++)
    {
      const RfNameWord *w = &g_array_index (from->words, RfNameWord, i);
      double best = 0;

      for (guint j = 0; j < to->words->len; j++)
        best = MAX (best, rf_name_word_similarity (w, &g_array_index (to->words, RfNameWord, j)));
      sum += w->weight * best;
      weight += w->weight;
    }
  *weight_out = weight;
  return sum;
}

double
rf_name_similarity (const RfNameAnalysis *a,
                    const RfNameAnalysis *b)
{
  double wa, wb;
  double sa = side_score (a, b, &wa);
  double sb = side_score (b, a, &wb);

  if (wa + wb <= 0)
    return 0.0;
  return (sa + sb) / (wa + wb);
}

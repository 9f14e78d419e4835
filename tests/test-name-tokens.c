#include "config.h"

#include <string.h>

#include "rf-name-tokens.h"

static char *
joined_tokens (const char *name)
{
  g_auto(GStrv) tokens = rf_name_tokenise (name);
  return g_strjoinv (" ", tokens);
}

static void
test_tokenise (void)
{
  static const char * const cases[][2] = {
    { "Temp_Bearing_DE", "temp bearing de" },
    { "SpindleSpeed", "spindle speed" },
    { "PLCTemp", "plc temp" },
    { "BRG_NDE_TEMP", "brg nde temp" },
    { "temp1", "temp 1" },
    { "s_21", "s 21" },
    { "Flow m³/h", "flow m3 h" },
    { "DE bearing temperature (°F)", "de bearing temperature degf" },
    { "spdl_load_%", "spdl load %" },
    { "Tool Wear (µm)", "tool wear um" },
    { "Pump1/Discharge Pressure", "pump 1 discharge pressure" },
    { "M101.TT-BRG#2", "m 101 tt brg 2" },
    { "CH-1 CHWST", "ch 1 chwst" },
    { "H2O level", "h2o level" },
    { "", "" },
    { "___", "" },
    { "Température", "temp rature" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = joined_tokens (cases[i][0]);
      g_test_message ("“%s”", cases[i][0]);
      g_assert_cmpstr (got, ==, cases[i][1]);
    }
}

/* "concept:weight" of every word, in order, then "| unit". */
static char *
describe (const char *name)
{
  g_autoptr(RfNameAnalysis) a = rf_name_analyse (name);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < a->words->len; i++)
    {
      const RfNameWord *w = &g_array_index (a->words, RfNameWord, i);
      g_string_append_printf (out, "%s%s%s:%g", i > 0 ? " " : "", w->known ? "" : "?", w->word, w->weight);
    }
  g_string_append_printf (out, " | %s", a->unit != NULL ? rf_unit_get_symbol (a->unit) : "-");
  return g_string_free (out, FALSE);
}

static void
test_analyse (void)
{
  static const char * const cases[][2] = {
    /* vocabulary and abbreviations */
    { "BRG_DE_TEMP", "bearing:1 drive_end:1 temperature:1 | -" },
    { "spdl_tmp", "spindle:1 temperature:1 | -" },
    { "clnt_flow_lpm", "coolant:1 flow:1 | l/min" },
    { "lubr_tmp", "?lubr:0.7 temperature:1 | -" },
    { "CHWS Temp", "chilled_water:1 supply:1 temperature:1 | -" },
    { "CDWRT", "condenser_water:1 return:1 temperature:1 | -" },
    /* units in brackets, as rates, as words, as a last letter */
    { "Vibration velocity (in/s)", "vibration:1 velocity:1 | in/s" },
    { "Vib_mm_s", "vibration:1 velocity:1 | mm/s" },
    { "feed_mm_per_min", "feed:1 velocity:1 | mm/min" },
    { "P_SUCTION_PSI", "pressure:1 suction:1 | psi" },
    { "BRG_TEMP_F", "bearing:1 temperature:1 | degF" },
    { "Current_A", "current:1 | A" },
    { "acc_rms_g", "acceleration:1 rms:0.3 | g" },
    /* a unit alone names its quantity in full; beside one, as a hint */
    { "kw", "power:1 | kW" },
    { "PUMP_RPM", "pump:0.4 speed:1 | rpm" },
    { "Motor Amps", "motor:0.4 current:1 | A" },
    /* labels, not units */
    { "Voltage_Phase_C", "voltage:1 phase:0.3 ?c:0.3 | -" },
    { "Current_L1", "current:1 ?l:0.3 ?#1:0.3 | -" },
    /* a one-letter unit that contradicts the name is not one */
    { "Pressure_C", "pressure:1 ?c:0.3 | -" },
    /* ISA tags; "ft" last is feet */
    { "FT-101", "flow:1 ?#101:0.3 | -" },
    { "Tank_Level_ft", "?tank:0.7 level:1 | ft" },
    /* RUL and time */
    { "DAYS_TO_FAILURE", "rul:1 | d" },
    { "Time to failure (h)", "rul:1 | h" },
    { "RemainingUsefulLife_h", "rul:1 | h" },
    { "TIME_STAMP", "timestamp:1 | -" },
    { "Date/Time", "timestamp:1 | -" },
    /* unknown words, plurals */
    { "Operator", "?operator:0.7 | -" },
    { "Bearings Temps", "bearing:1 temperature:1 | -" },
    { "", " | -" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = describe (cases[i][0]);
      g_test_message ("“%s”", cases[i][0]);
      g_assert_cmpstr (got, ==, cases[i][1]);
    }
}

static double
similarity (const char *a,
            const char *b)
{
  g_autoptr(RfNameAnalysis) x = rf_name_analyse (a);
  g_autoptr(RfNameAnalysis) y = rf_name_analyse (b);
  return rf_name_similarity (x, y);
}

static void
test_similarity (void)
{
  RfNameWord clnt = { (char *) "clnt", 1, FALSE, FALSE };
  RfNameWord coolant = { (char *) "coolant", 1, TRUE, FALSE };
  RfNameWord evap = { (char *) "evapo", 1, FALSE, FALSE };
  RfNameWord evaporator = { (char *) "evaporator", 1, TRUE, FALSE };
  RfNameWord vib = { (char *) "vibration", 1, TRUE, FALSE };
  RfNameWord acc = { (char *) "acceleration", 1, TRUE, FALSE };
  RfNameWord de = { (char *) "de", 1, FALSE, FALSE };
  RfNameWord discharge = { (char *) "discharge", 1, TRUE, FALSE };

  g_assert_cmpfloat (rf_name_word_similarity (&clnt, &coolant), ==, 0.8);
  g_assert_cmpfloat (rf_name_word_similarity (&evap, &evaporator), ==, 0.9);
  g_assert_cmpfloat (rf_name_word_similarity (&vib, &acc), ==, 0.7);
  g_assert_cmpfloat (rf_name_word_similarity (&acc, &vib), ==, 0.7);
  /* a misspelling of a long word: 0.9 × (1 − 2/11) */
  {
    RfNameWord typo = { (char *) "temperatrue", 1, FALSE, FALSE };
    RfNameWord temperature = { (char *) "temperature", 1, TRUE, FALSE };
    RfNameWord bearing = { (char *) "bearing", 1, TRUE, FALSE };
    g_assert_cmpfloat_with_epsilon (rf_name_word_similarity (&typo, &temperature), 0.9 * 9 / 11, 1e-12);
    g_assert_cmpfloat (rf_name_word_similarity (&typo, &bearing), ==, 0);
  }
  /* two letters are too few to abbreviate */
  g_assert_cmpfloat (rf_name_word_similarity (&de, &discharge), ==, 0.0);

  g_assert_cmpfloat (similarity ("Temp_Bearing_DE", "bearing_de_temp_C"), ==, 1.0);
  g_assert_cmpfloat_with_epsilon (similarity ("Temp_Bearing_DE", "bearing_nde_temp_C"), 4.0 / 6.0, 1e-12);
  g_assert_cmpfloat (similarity ("Operator", "bearing_de_temp_C"), ==, 0.0);
  g_assert_cmpfloat (similarity ("", "x"), ==, 0.0);
  g_assert_cmpfloat (similarity ("", ""), ==, 0.0);
}

static void
test_concept_dimension (void)
{
  g_assert_cmpint (rf_name_concept_dimension ("temperature"), ==, RF_DIMENSION_TEMPERATURE);
  g_assert_cmpint (rf_name_concept_dimension ("speed"), ==, RF_DIMENSION_ROTATIONAL_SPEED);
  g_assert_cmpint (rf_name_concept_dimension ("bearing"), ==, RF_DIMENSION_NONE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/name-tokens/tokenise", test_tokenise);
  g_test_add_func ("/rf/name-tokens/analyse", test_analyse);
  g_test_add_func ("/rf/name-tokens/similarity", test_similarity);
  g_test_add_func ("/rf/name-tokens/concept-dimension", test_concept_dimension);
  return g_test_run ();
}

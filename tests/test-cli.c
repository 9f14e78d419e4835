#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "refinery.h"
#include "rf-test-util.h"

static char *
sample_csv (void)
{
  return rf_test_source_path ("data/sample/incoming/cmapss_fd001_excerpt.csv");
}

static void
test_version_and_usage (void)
{
  g_auto(RfTestRun) run = { 0 };

  rf_test_run_cli (&run, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "refinery-cli " PACKAGE_VERSION "\n");

  rf_test_run_cli (&run, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "Usage:\n  refinery-cli [--version] [--help] COMMAND"));

  rf_test_run_cli (&run, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Usage:\n  refinery-cli [--version] [--help] COMMAND"));
  g_assert_nonnull (strstr (run.out, "\n  inspect FILE "));
  g_assert_nonnull (strstr (run.out, "\n  project init DIR "));
  g_assert_nonnull (strstr (run.out, "\n  machine add PROJECT --profile FILE [--id ID]\n"));
  g_assert_nonnull (strstr (run.out, "\n  machine list PROJECT "));
  g_assert_nonnull (strstr (run.out, "\n  ingest PROJECT --machine ID FILE\n"));
  g_assert_nonnull (strstr (run.out, "\n  help [COMMAND] "));

  rf_test_run_cli (&run, "help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Usage:\n  refinery-cli [--version]"));

  rf_test_run_cli (&run, "frobnicate", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.err, ==, "refinery-cli: unknown command “frobnicate”\n"
                                "Try “refinery-cli --help” for more information.\n");

  rf_test_run_cli (&run, "--frobnicate", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_true (g_str_has_prefix (run.err, "refinery-cli: unknown option “--frobnicate”"));

  rf_test_run_cli (&run, "help", "frobnicate", NULL);
  g_assert_cmpint (run.status, ==, 2);
}

static void
test_command_help (void)
{
  static const struct { const char *args[3]; const char *usage; } cases[] = {
    { { "inspect", "--help" }, "Usage:\n  refinery-cli inspect [OPTION…] FILE\n" },
    { { "project", "init", "--help" }, "Usage:\n  refinery-cli project init [OPTION…] DIR\n" },
    { { "machine", "add", "--help" }, "Usage:\n  refinery-cli machine add [OPTION…] PROJECT\n" },
    { { "machine", "list", "--help" }, "Usage:\n  refinery-cli machine list [OPTION…] PROJECT\n" },
    { { "ingest", "--help" }, "Usage:\n  refinery-cli ingest [OPTION…] PROJECT FILE\n" },
    { { "help", "inspect" }, "Usage:\n  refinery-cli inspect [OPTION…] FILE\n" },
    { { "help", "machine", "add" }, "Usage:\n  refinery-cli machine add [OPTION…] PROJECT\n" },
    { { "project", "--help" }, "Usage:\n  refinery-cli project SUBCOMMAND …\n" },
    { { "machine", "-h" }, "Usage:\n  refinery-cli machine SUBCOMMAND …\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RfTestRun) run = { 0 };

      rf_test_run_cli (&run, cases[i].args[0], cases[i].args[1], cases[i].args[2], NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.err, ==, "");
      if (!g_str_has_prefix (run.out, cases[i].usage))
        g_error ("help case %u starts “%.80s”", i, run.out);
    }

  {
    g_auto(RfTestRun) run = { 0 };

    /* the read options are listed with inspect's own */
    rf_test_run_cli (&run, "inspect", "--help", NULL);
    for (const char *option = "--json\0--rows=N\0--format=FORMAT\0--delimiter=D\0--encoding=ENC\0"
                              "--decimal=C\0--header\0--no-header\0--type=COL=TYPE\0--all-strings\0"
                              "--max-mb=N\0";
         *option != '\0'; option += strlen (option) + 1)
      {
        if (strstr (run.out, option) == NULL)
          g_error ("inspect --help does not list %s", option);
      }
    rf_test_run_cli (&run, "ingest", "--help", NULL);
    g_assert_nonnull (strstr (run.out, "--machine=ID"));
    g_assert_nonnull (strstr (run.out, "--delimiter=D"));
    rf_test_run_cli (&run, "machine", "add", "--help", NULL);
    g_assert_nonnull (strstr (run.out, "--profile=FILE"));
    g_assert_nonnull (strstr (run.out, "--id=ID"));
  }
}

static void
test_usage_errors (void)
{
  g_autofree char *csv = sample_csv ();
  static const char *expected_prefix = "refinery-cli: ";
  const char *cases[][8] = {
    { "inspect", NULL },
    { "inspect", "a.csv", "b.csv", NULL },
    { "inspect", "--bogus", "a.csv", NULL },
    { "inspect", "--rows", "-1", "a.csv", NULL },
    { "inspect", "--rows", "ten", "a.csv", NULL },
    { "inspect", "--delimiter", "ab", "a.csv", NULL },
    { "inspect", "--decimal", ";", "a.csv", NULL },
    { "inspect", "--format", "docx", "a.csv", NULL },
    { "inspect", "--type", "temp", "a.csv", NULL },
    { "inspect", "--type", "temp=float128", "a.csv", NULL },
    { "inspect", "--header", "--no-header", "a.csv", NULL },
    { "inspect", "--encoding", "NO-SUCH-CHARSET-X", "a.csv", NULL },
    { "inspect", "--max-mb", "-5", "a.csv", NULL },
    { "project", NULL },
    { "project", "destroy", NULL },
    { "project", "init", NULL },
    { "project", "init", "a", "b", NULL },
    { "machine", NULL },
    { "machine", "add", "proj", NULL },
    { "machine", "add", "--profile", "p.json", NULL },
    { "machine", "list", NULL },
    { "ingest", "proj", "file.csv", NULL },
    { "ingest", "--machine", "m1", "proj", NULL },
    { "ingest", "--machine", "m1", "--delimiter", "", "proj", "a.csv", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RfTestRun) run = { 0 };

      rf_test_run_cli (&run, cases[i][0], cases[i][1], cases[i][2], cases[i][3], cases[i][4],
                       cases[i][5], cases[i][6], NULL);
      if (run.status != 2)
        g_error ("usage case %u (%s %s) exited %d: %s", i, cases[i][0],
                 cases[i][1] ? cases[i][1] : "", run.status, run.err);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, expected_prefix));
      g_assert_nonnull (strstr (run.err, "--help” for more information.\n"));
    }

  /* a valid option set on the real file is fine: only the bad ones are usage errors */
  {
    g_auto(RfTestRun) run = { 0 };
    rf_test_run_cli (&run, "inspect", "--rows", "0", "--delimiter", "comma", "--decimal", ".",
             "--format", "csv", csv, NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
}

static void
test_failures (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *missing = g_build_filename (tmp, "missing.csv", NULL);
  g_autofree char *garbage = rf_test_write_file (tmp, "garbage.csv", "\x00\x01\x02\x03\xff", 5);
  g_autofree char *expected = NULL;
  g_auto(RfTestRun) run = { 0 };

  rf_test_run_cli (&run, "inspect", missing, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  expected = g_strdup_printf ("refinery-cli: Cannot open “%s”: No such file or directory\n", missing);
  g_assert_cmpstr (run.err, ==, expected);

  rf_test_run_cli (&run, "inspect", garbage, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "refinery-cli: "));

  rf_test_run_cli (&run, "machine", "list", tmp, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_suffix (run.err, "is not a Refinery project (it has no project.json); "
                                            "create one with “refinery-cli project init FOLDER” "
                                            "or open the project's folder\n"));
  rf_test_remove_tree (tmp);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_inspect_json_sample (void)
{
  static const char *names[] = {
    "unit", "cycle", "setting_1", "setting_2", "setting_3",
    "s_1", "s_2", "s_3", "s_4", "s_5", "s_6", "s_7", "s_8", "s_9", "s_10", "s_11",
    "s_12", "s_13", "s_14", "s_15", "s_16", "s_17", "s_18", "s_19", "s_20", "s_21", "RUL",
  };
  static const char *keys[] = {
    "schema", "schema_version", "path", "format", "encoding", "bom", "delimiter",
    "decimal_mark", "line_ending", "header", "layout", "rows", "columns", "warnings", "preview",
  };
  static const char *column_keys[] = {
    "name", "type", "unit", "role", "missing", "min", "max", "mean",
    "timestamp_format", "type_overridden", "unparsed",
  };
  g_autofree char *csv = sample_csv ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RfTestRun) run = { 0 };
  JsonObject *root;
  JsonObject *column;
  JsonArray *columns;
  JsonArray *preview;
  JsonArray *row;

  rf_test_run_cli (&run, "inspect", "--json", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  root = parse_object (parser, run.out);

  g_assert_cmpuint (json_object_get_size (root), ==, G_N_ELEMENTS (keys));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (root, keys[i]));
  g_assert_cmpstr (json_object_get_string_member (root, "schema"), ==, "refinery-cli/inspect");
  g_assert_cmpint (json_object_get_int_member (root, "schema_version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "path"), ==, csv);
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "csv");
  g_assert_cmpstr (json_object_get_string_member (root, "encoding"), ==, "UTF-8");
  g_assert_false (json_object_get_boolean_member (root, "bom"));
  g_assert_cmpstr (json_object_get_string_member (root, "delimiter"), ==, ",");
  g_assert_cmpstr (json_object_get_string_member (root, "decimal_mark"), ==, ".");
  g_assert_cmpstr (json_object_get_string_member (root, "line_ending"), ==, "LF");
  g_assert_true (json_object_get_boolean_member (root, "header"));
  g_assert_true (json_object_get_null_member (root, "layout"));
  g_assert_cmpint (json_object_get_int_member (root, "rows"), ==, 2136);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "warnings")), ==, 0);

  columns = json_object_get_array_member (root, "columns");
  g_assert_cmpuint (json_array_get_length (columns), ==, 27);
  for (guint i = 0; i < 27; i++)
    {
      const char *name = names[i];
      gboolean integer = strcmp (name, "unit") == 0 || strcmp (name, "cycle") == 0 ||
                         strcmp (name, "s_17") == 0 || strcmp (name, "s_18") == 0 ||
                         strcmp (name, "RUL") == 0;

      column = json_array_get_object_element (columns, i);
      g_assert_cmpuint (json_object_get_size (column), ==, G_N_ELEMENTS (column_keys));
      for (guint k = 0; k < G_N_ELEMENTS (column_keys); k++)
        g_assert_true (json_object_has_member (column, column_keys[k]));
      g_assert_cmpstr (json_object_get_string_member (column, "name"), ==, name);
      g_assert_cmpstr (json_object_get_string_member (column, "type"), ==, integer ? "int64" : "double");
      g_assert_cmpint (json_object_get_int_member (column, "missing"), ==, 0);
      g_assert_false (json_object_get_boolean_member (column, "type_overridden"));
      g_assert_cmpint (json_object_get_int_member (column, "unparsed"), ==, 0);
      g_assert_true (json_object_get_null_member (column, "timestamp_format"));
    }

  /* exact summaries: integers stay integers */
  column = json_array_get_object_element (columns, 0);
  g_assert_true (json_node_get_value_type (json_object_get_member (column, "min")) == G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (column, "min"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (column, "max"), ==, 10);
  g_assert_cmpfloat (json_object_get_double_member (column, "mean"), ==, 11574.0 / 2136.0);
  column = json_array_get_object_element (columns, 1);
  g_assert_cmpint (json_object_get_int_member (column, "max"), ==, 287);
  column = json_array_get_object_element (columns, 6);   /* s_2 */
  g_assert_cmpfloat (json_object_get_double_member (column, "min"), ==, 641.27);
  g_assert_cmpfloat (json_object_get_double_member (column, "max"), ==, 644.53);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (column, "mean"),
                                  642.5771207865163, 1e-9);
  column = json_array_get_object_element (columns, 26);  /* RUL */
  g_assert_cmpint (json_object_get_int_member (column, "min"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (column, "max"), ==, 286);
  /* doubles are written in their shortest form */
  g_assert_nonnull (strstr (run.out, "\"min\": 641.27,"));

  preview = json_object_get_array_member (root, "preview");
  g_assert_cmpuint (json_array_get_length (preview), ==, 10);
  row = json_array_get_array_element (preview, 0);
  g_assert_cmpuint (json_array_get_length (row), ==, 27);
  g_assert_cmpint (json_array_get_int_element (row, 0), ==, 1);
  g_assert_cmpint (json_array_get_int_element (row, 1), ==, 1);
  g_assert_cmpfloat (json_array_get_double_element (row, 2), ==, -0.0007);
  g_assert_cmpfloat (json_array_get_double_element (row, 4), ==, 100.0);
  g_assert_cmpfloat (json_array_get_double_element (row, 6), ==, 641.82);
  g_assert_cmpint (json_array_get_int_element (row, 21), ==, 392);
  g_assert_cmpint (json_array_get_int_element (row, 26), ==, 191);
  g_assert_nonnull (strstr (run.out, "\n    [1, 1, -0.0007, -0.0004, 100, 518.67, 641.82, 1589.7,"));

  rf_test_run_cli (&run, "inspect", "--json", "--rows", "3", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_object (parser, run.out);
  preview = json_object_get_array_member (root, "preview");
  g_assert_cmpuint (json_array_get_length (preview), ==, 3);
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (preview, 2), 1), ==, 3);

  /* a forced type */
  rf_test_run_cli (&run, "inspect", "--json", "--rows", "0", "--type", "unit=string", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_object (parser, run.out);
  column = json_array_get_object_element (json_object_get_array_member (root, "columns"), 0);
  g_assert_cmpstr (json_object_get_string_member (column, "type"), ==, "string");
  g_assert_true (json_object_get_boolean_member (column, "type_overridden"));
  g_assert_true (json_object_get_null_member (column, "min"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "preview")), ==, 0);
}

/* The reading options reach the reader. */
static void
test_inspect_options (void)
{
  g_autofree char *csv = sample_csv ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RfTestRun) run = { 0 };
  JsonObject *root;
  JsonArray *columns;

  rf_test_run_cli (&run, "inspect", "--json", "--rows", "1", "--all-strings", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_object (parser, run.out);
  columns = json_object_get_array_member (root, "columns");
  g_assert_cmpuint (json_array_get_length (columns), ==, 27);
  for (guint i = 0; i < 27; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (columns, i),
                                                    "type"), ==, "string");
  g_assert_cmpstr (json_array_get_string_element (
                     json_array_get_array_element (json_object_get_array_member (root, "preview"),
                                                   0), 14), ==, "1.30");

  rf_test_run_cli (&run, "inspect", "--json", "--rows", "1", "--no-header", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_object (parser, run.out);
  g_assert_false (json_object_get_boolean_member (root, "header"));
  g_assert_cmpint (json_object_get_int_member (root, "rows"), ==, 2137);
  columns = json_object_get_array_member (root, "columns");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (columns, 0),
                                                  "name"), ==, "column_1");

  rf_test_run_cli (&run, "inspect", "--json", "--rows", "0", "--delimiter", ";", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_object (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (root, "delimiter"), ==, ";");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "columns")), ==, 1);

  /* 365,501 bytes over a 0.2 MB limit: refused before parsing */
  rf_test_run_cli (&run, "inspect", "--max-mb", "0.2", csv, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "refinery-cli: "));
  g_assert_nonnull (strstr (run.err, "limit"));

  rf_test_run_cli (&run, "inspect", "--rows", "0", "--max-mb", "1", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_inspect_text (void)
{
  g_autofree char *csv = sample_csv ();
  g_autofree char *head = NULL;
  g_auto(RfTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  rf_test_run_cli (&run, "inspect", "--rows", "2", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  head = g_strdup_printf ("File          %s\n"
                          "Format        csv\n"
                          "Encoding      UTF-8\n"
                          "Delimiter     ,\n"
                          "Decimal mark  .\n"
                          "Line ending   LF\n"
                          "Header        yes\n"
                          "Rows          2136\n"
                          "Columns       27\n"
                          "\n", csv);
  g_assert_true (g_str_has_prefix (run.out, head));
  lines = g_strsplit (run.out + strlen (head), "\n", -1);
  g_assert_cmpstr (lines[0], ==, " #  column     type    unit  missing      min      max         mean");
  g_assert_cmpstr (lines[1], ==, " 1  unit       int64   -           0        1       10      5.41854");
  g_assert_cmpstr (lines[3], ==, " 3  setting_1  double  -           0  -0.0074   0.0076  8.38015e-06");
  g_assert_cmpstr (lines[5], ==, " 5  setting_3  double  -           0      100      100          100");
  g_assert_cmpstr (lines[7], ==, " 7  s_2        double  -           0   641.27   644.53      642.577");
  g_assert_cmpstr (lines[27], ==, "27  RUL        int64   -           0        0      286      110.447");
  g_assert_cmpstr (lines[28], ==, "");
  g_assert_cmpstr (lines[29], ==, "First 2 of 2136 rows:");
  g_assert_true (g_str_has_prefix (lines[30],
                                   "unit  cycle  setting_1  setting_2  setting_3     s_1     s_2"));
  g_assert_true (g_str_has_suffix (lines[30], "   s_21  RUL"));
  g_assert_true (g_str_has_prefix (lines[31],
                                   "   1      1    -0.0007    -0.0004        100  518.67  641.82"));
  g_assert_true (g_str_has_suffix (lines[31], "  23.419  191"));
  g_assert_true (g_str_has_prefix (lines[32],
                                   "   1      2     0.0019    -0.0003        100  518.67  642.15"));
  g_assert_cmpstr (lines[33], ==, "");
  g_assert_null (lines[34]);
}

static void
test_inspect_json_file (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *path = rf_test_write_file (
    tmp, "records.json",
    "[{\"time\": \"2024-03-01T00:00:00Z\", \"temp\": 20.5, \"ok\": true},\n"
    " {\"time\": \"2024-03-01T00:00:10Z\", \"temp\": null, \"ok\": false}]\n", -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RfTestRun) run = { 0 };
  JsonObject *root;
  JsonObject *column;
  JsonArray *row;

  rf_test_run_cli (&run, "inspect", "--json", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_object (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "json");
  g_assert_cmpstr (json_object_get_string_member (root, "layout"), ==, "records");
  g_assert_true (json_object_get_null_member (root, "delimiter"));
  g_assert_cmpint (json_object_get_int_member (root, "rows"), ==, 2);
  column = json_array_get_object_element (json_object_get_array_member (root, "columns"), 0);
  g_assert_cmpstr (json_object_get_string_member (column, "type"), ==, "timestamp");
  g_assert_cmpstr (json_object_get_string_member (column, "min"), ==, "2024-03-01T00:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (column, "max"), ==, "2024-03-01T00:00:10Z");
  g_assert_cmpstr (json_object_get_string_member (column, "mean"), ==, "2024-03-01T00:00:05Z");
  column = json_array_get_object_element (json_object_get_array_member (root, "columns"), 1);
  g_assert_cmpstr (json_object_get_string_member (column, "type"), ==, "double");
  g_assert_cmpint (json_object_get_int_member (column, "missing"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (column, "mean"), ==, 20.5);
  column = json_array_get_object_element (json_object_get_array_member (root, "columns"), 2);
  g_assert_cmpstr (json_object_get_string_member (column, "type"), ==, "bool");
  g_assert_true (json_object_get_null_member (column, "mean"));
  row = json_array_get_array_element (json_object_get_array_member (root, "preview"), 1);
  g_assert_cmpstr (json_array_get_string_element (row, 0), ==, "2024-03-01T00:00:10Z");
  g_assert_true (json_array_get_null_element (row, 1));
  g_assert_false (json_array_get_boolean_element (row, 2));
  rf_test_remove_tree (tmp);
}

static void
test_end_to_end (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "plant", NULL);
  g_autofree char *profile = rf_test_source_path ("data/profiles/turbofan.json");
  g_autofree char *csv = sample_csv ();
  g_autofree char *stored = g_build_filename (dir, "raw", "turbofan_fd001",
                                             "cmapss_fd001_excerpt.csv", NULL);
  g_autofree char *bad = rf_test_write_file (tmp, "bad.csv", "a,b\n1,\"never closed\n", -1);
  g_autofree char *expected = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gsize la, lb;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RfTestRun) run = { 0 };
  JsonArray *machines;
  guint files;

  rf_test_run_cli (&run, "project", "init", dir, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Created the project “plant” in "));
  g_assert_true (rf_project_is_project_dir (dir));

  rf_test_run_cli (&run, "project", "init", dir, NULL);
  g_assert_cmpint (run.status, ==, 1);
  expected = g_strdup_printf ("refinery-cli: “%s” is already a Refinery project; open it instead of "
                              "creating it again\n", dir);
  g_assert_cmpstr (run.err, ==, expected);

  rf_test_run_cli (&run, "machine", "list", dir, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "The project “plant” has no machines yet; add one with "
                                "“refinery-cli machine add”.\n");

  rf_test_run_cli (&run, "machine", "add", dir, "--profile", profile, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Added the machine “turbofan_fd001” (Turbofan engine "
                                            "(NASA C-MAPSS FD001)) to the project “plant”\n"));

  rf_test_run_cli (&run, "machine", "add", dir, "--profile", profile, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==, "refinery-cli: The project “plant” already has a machine "
                                "“turbofan_fd001”; give the new one another id (--id on the "
                                "command line)\n");

  rf_test_run_cli (&run, "machine", "add", "--id", "engine_b", dir, "--profile", profile, NULL);
  g_assert_cmpint (run.status, ==, 0);

  rf_test_run_cli (&run, "machine", "list", dir, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "turbofan_fd001\tTurbofan engine (NASA C-MAPSS FD001)\tturbofan_engine\n"
                   "engine_b\tTurbofan engine (NASA C-MAPSS FD001)\tturbofan_engine\n");

  rf_test_run_cli (&run, "machine", "list", "--json", dir, NULL);
  g_assert_cmpint (run.status, ==, 0);
  machines = json_object_get_array_member (parse_object (parser, run.out), "machines");
  g_assert_cmpuint (json_array_get_length (machines), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (machines, 1), "id"),
                   ==, "engine_b");

  rf_test_run_cli (&run, "ingest", dir, "--machine", "turbofan_fd001", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_prefix (
    run.out,
    "Ingested cmapss_fd001_excerpt.csv for the machine “turbofan_fd001”: "
    "2136 rows × 27 columns (csv, UTF-8, delimiter ,)\n"
    "Stored as raw/turbofan_fd001/cmapss_fd001_excerpt.csv (365501 bytes, "
    "sha256 6a87b0bbc91cac7f8587f3e9e475b2401b4610a7f09f371dfa370a5978ba7634)\n"));
  g_assert_true (g_file_get_contents (csv, &a, &la, NULL));
  g_assert_true (g_file_get_contents (stored, &b, &lb, NULL));
  g_assert_cmpmem (a, la, b, lb);
  files = rf_test_count_files (dir);
  g_assert_cmpuint (files, ==, 5);   /* project.json, 2 profiles, the copy, upload_metadata.json */

  rf_test_run_cli (&run, "ingest", dir, "--machine", "turbofan_fd001", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "cmapss_fd001_excerpt.csv: already ingested as "
                                "raw/turbofan_fd001/cmapss_fd001_excerpt.csv (sha256 "
                                "6a87b0bbc91cac7f8587f3e9e475b2401b4610a7f09f371dfa370a5978ba7634); "
                                "nothing was copied\n");
  g_assert_cmpuint (rf_test_count_files (dir), ==, files);

  rf_test_run_cli (&run, "ingest", dir, "--machine", "pump", csv, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==, "refinery-cli: The project “plant” has no machine “pump” (known "
                                "machines: turbofan_fd001, engine_b); add it with “refinery-cli "
                                "machine add” or pick a known id\n");

  rf_test_run_cli (&run, "ingest", dir, "--machine", "engine_b", bad, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "refinery-cli: "));
  g_assert_cmpuint (rf_test_count_files (dir), ==, files);
  rf_test_remove_tree (tmp);
}

/* Whether process pid has a handler for SIGINT (Linux: SigCgt in
 * /proc/PID/status is the mask of caught signals). */
static gboolean
catches_sigint (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return FALSE;
  line = strstr (status, "\nSigCgt:");
  if (line == NULL)
    return FALSE;
  return (g_ascii_strtoull (line + strlen ("\nSigCgt:"), NULL, 16) >> (SIGINT - 1)) & 1;
}

/* Ctrl-C during a long ingest: the command stops with status 1 and leaves
 * nothing in the project, or (on a very fast machine) it finished first. */
static void
test_interrupt (void)
{
  g_autofree char *tmp = rf_test_make_temp_dir ();
  g_autofree char *dir = g_build_filename (tmp, "plant", NULL);
  g_autofree char *big = g_build_filename (tmp, "big.csv", NULL);
  g_autofree char *profile = rf_test_source_path ("tests/fixtures/profiles/minimal.json");
  g_autofree char *err_text = NULL;
  g_autoptr(GString) content = g_string_new ("time,a,b,c,d\n");
  g_autoptr(GError) error = NULL;
  g_auto(RfTestRun) run = { 0 };
  const char *argv[8];
  GPid pid;
  int err_fd;
  int wait_status;
  gsize length;

  for (int i = 0; i < 400000; i++)
    g_string_append_printf (content, "2024-01-01T%02d:%02d:%02dZ,%d.5,%d,%d.25,x%d\n",
                            (i / 3600) % 24, (i / 60) % 60, i % 60, i, i * 7, i % 1000, i % 13);
  g_assert_true (g_file_set_contents (big, content->str, (gssize) content->len, NULL));

  rf_test_run_cli (&run, "project", "init", dir, NULL);
  g_assert_cmpint (run.status, ==, 0);
  rf_test_run_cli (&run, "machine", "add", dir, "--profile", profile, NULL);
  g_assert_cmpint (run.status, ==, 0);

  argv[0] = rf_test_cli_path ();
  argv[1] = "ingest";
  argv[2] = dir;
  argv[3] = "--machine";
  argv[4] = "m1";
  argv[5] = big;
  argv[6] = NULL;
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                            &pid, NULL, NULL, &err_fd, &error);
  g_assert_no_error (error);
  /* Interrupt only once the command catches SIGINT, or the default action
   * would kill it before it could cancel cleanly. */
  for (int i = 0; i < 500 && !catches_sigint (pid); i++)
    g_usleep (G_USEC_PER_SEC / 100);
  kill (pid, SIGINT);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  {
    GIOChannel *channel = g_io_channel_unix_new (err_fd);
    g_io_channel_set_close_on_unref (channel, TRUE);
    g_io_channel_read_to_end (channel, &err_text, &length, NULL);
    g_io_channel_unref (channel);
  }

  g_assert_true (WIFEXITED (wait_status));
  if (WEXITSTATUS (wait_status) == 1)
    {
      g_assert_nonnull (strstr (err_text, "refinery-cli: cancelled; nothing was changed\n"));
      g_assert_cmpuint (rf_test_count_files (dir), ==, 2);
    }
  else
    {
      g_test_message ("the ingest finished before the interrupt arrived");
      g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
      g_assert_cmpuint (rf_test_count_files (dir), ==, 4);
    }
  rf_test_remove_tree (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/cli/version-and-usage", test_version_and_usage);
  g_test_add_func ("/rf/cli/command-help", test_command_help);
  g_test_add_func ("/rf/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/rf/cli/failures", test_failures);
  g_test_add_func ("/rf/cli/inspect-json-sample", test_inspect_json_sample);
  g_test_add_func ("/rf/cli/inspect-options", test_inspect_options);
  g_test_add_func ("/rf/cli/inspect-text", test_inspect_text);
  g_test_add_func ("/rf/cli/inspect-json-file", test_inspect_json_file);
  g_test_add_func ("/rf/cli/end-to-end", test_end_to_end);
  g_test_add_func ("/rf/cli/interrupt", test_interrupt);
  return g_test_run ();
}

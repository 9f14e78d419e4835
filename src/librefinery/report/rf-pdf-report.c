#define G_LOG_DOMAIN "rf-pdf-report"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "rf-atomic-file.h"
#include "rf-error.h"
#include "rf-pdf-report.h"
#include "rf-plot.h"

/* A4 in points, and the text block. */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN 50.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - 18.0)
#define BODY_SIZE 9.5
#define SMALL_SIZE 7.5

/* The page being written ------------------------------------------------------- */

typedef struct
{
  cairo_t *cr;
  double   y;
  guint    page;
  char    *footer;
} Doc;

static PangoLayout *
text_layout (Doc        *doc,
             const char *text,
             double      size,
             gboolean    bold,
             double      width)
{
  PangoLayout *layout = pango_cairo_create_layout (doc->cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static void
show_text (Doc        *doc,
           const char *text,
           double      x,
           double      y,
           double      size,
           gboolean    bold,
           double      width,
           double      align)   /* 0 left, 0.5 centre, 1 right */
{
  PangoLayout *layout = text_layout (doc, text, size, bold, width);

  if (align > 0)
    pango_layout_set_alignment (layout, align >= 1 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_CENTER);
  cairo_move_to (doc->cr, x, y);
  pango_cairo_show_layout (doc->cr, layout);
  g_object_unref (layout);
}

static void
new_page (Doc *doc)
{
  char number[32];

  if (doc->page > 0)
    cairo_show_page (doc->cr);
  doc->page++;
  doc->y = MARGIN;
  g_snprintf (number, sizeof number, "Page %u", doc->page);
  cairo_set_source_rgb (doc->cr, 0.45, 0.45, 0.45);
  show_text (doc, doc->footer, MARGIN, PAGE_H - MARGIN + 6, SMALL_SIZE, FALSE, CONTENT_W * 0.8, 0);
  show_text (doc, number, MARGIN, PAGE_H - MARGIN + 6, SMALL_SIZE, FALSE, CONTENT_W, 1);
  cairo_set_source_rgb (doc->cr, 0.1, 0.1, 0.1);
}

static void
need (Doc    *doc,
      double  height)
{
  if (doc->y + height > BOTTOM && doc->y > MARGIN)
    new_page (doc);
}

static void
heading (Doc        *doc,
         const char *text,
         gboolean    major)
{
  double size = major ? 15.0 : 11.5;
  PangoLayout *layout = text_layout (doc, text, size, TRUE, CONTENT_W);
  double h = layout_height (layout);

  /* Keep a heading with what follows it. */
  need (doc, h + (major ? 120 : 80));
  doc->y += major ? 10 : 6;
  cairo_set_source_rgb (doc->cr, 0.10, 0.20, 0.30);
  cairo_move_to (doc->cr, MARGIN, doc->y);
  pango_cairo_show_layout (doc->cr, layout);
  g_object_unref (layout);
  doc->y += h + (major ? 8 : 4);
  cairo_set_source_rgb (doc->cr, 0.1, 0.1, 0.1);
}

static void
paragraph (Doc        *doc,
           const char *text,
           double      size,
           gboolean    bold)
{
  PangoLayout *layout = text_layout (doc, text, size, bold, CONTENT_W);
  double h = layout_height (layout);

  need (doc, h);
  cairo_move_to (doc->cr, MARGIN, doc->y);
  pango_cairo_show_layout (doc->cr, layout);
  g_object_unref (layout);
  doc->y += h + 4;
}

/* A table: widths as shares of the text block; cells wrap; the header
 * comes again on every page the table runs to. */
typedef struct
{
  guint        n_columns;
  const double *widths;
  GPtrArray   *cells;      /* char *, row-major, header first */
  double       size;
} Table;

static void
table_init (Table        *t,
            guint         n_columns,
            const double *widths,
            double        size)
{
  t->n_columns = n_columns;
  t->widths = widths;
  t->cells = g_ptr_array_new_with_free_func (g_free);
  t->size = size;
}

static void
table_add (Table      *t,
           const char *text)
{
  g_ptr_array_add (t->cells, g_strdup (text != NULL ? text : ""));
}

static void
table_addf (Table      *t,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static void
table_addf (Table      *t,
            const char *format,
            ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (t->cells, g_strdup_vprintf (format, args));
  va_end (args);
}

static double
row_height (Doc   *doc,
            Table *t,
            guint  row)
{
  double h = 0;

  for (guint c = 0; c < t->n_columns; c++)
    {
      PangoLayout *layout = text_layout (doc, g_ptr_array_index (t->cells, row * t->n_columns + c), t->size,
                                         row == 0, t->widths[c] * CONTENT_W - 6);
      h = MAX (h, layout_height (layout));
      g_object_unref (layout);
    }
  return h + 5;
}

static void
draw_row (Doc   *doc,
          Table *t,
          guint  row,
          double h,
          gboolean shaded)
{
  double x = MARGIN;

  if (row == 0 || shaded)
    {
      cairo_set_source_rgb (doc->cr, row == 0 ? 0.88 : 0.96, row == 0 ? 0.91 : 0.96, row == 0 ? 0.94 : 0.96);
      cairo_rectangle (doc->cr, MARGIN, doc->y, CONTENT_W, h);
      cairo_fill (doc->cr);
    }
  cairo_set_source_rgb (doc->cr, 0.1, 0.1, 0.1);
  for (guint c = 0; c < t->n_columns; c++)
    {
      show_text (doc, g_ptr_array_index (t->cells, row * t->n_columns + c), x + 3, doc->y + 2.5, t->size, row == 0,
                 t->widths[c] * CONTENT_W - 6, 0);
      x += t->widths[c] * CONTENT_W;
    }
  doc->y += h;
}

static void
table_finish (Doc   *doc,
              Table *t)
{
  guint n_rows = t->cells->len / t->n_columns;
  double header = row_height (doc, t, 0);

  need (doc, header + (n_rows > 1 ? row_height (doc, t, 1) : 0));
  draw_row (doc, t, 0, header, FALSE);
  for (guint r = 1; r < n_rows; r++)
    {
      double h = row_height (doc, t, r);

      if (doc->y + h > BOTTOM)
        {
          new_page (doc);
          draw_row (doc, t, 0, header, FALSE);
        }
      draw_row (doc, t, r, h, r % 2 == 0);
    }
  cairo_set_source_rgb (doc->cr, 0.7, 0.7, 0.7);
  cairo_set_line_width (doc->cr, 0.5);
  cairo_move_to (doc->cr, MARGIN, doc->y);
  cairo_line_to (doc->cr, MARGIN + CONTENT_W, doc->y);
  cairo_stroke (doc->cr);
  cairo_set_source_rgb (doc->cr, 0.1, 0.1, 0.1);
  doc->y += 8;
  g_ptr_array_unref (t->cells);
}

static void
chart (Doc            *doc,
       double          height,
       RfPlotDrawFunc  draw,
       gpointer        data)
{
  cairo_rectangle_t area = { MARGIN, 0, CONTENT_W, height };

  need (doc, height);
  area.y = doc->y;
  draw (doc->cr, &area, data);
  doc->y += height + 6;
}

/* Figures as text ---------------------------------------------------------------- */

static char *
number (double value,
        int    decimals)
{
  if (!isfinite (value))
    return g_strdup ("–");
  return g_strdup_printf ("%.*f", decimals, value);
}

static const char *
json_string (JsonObject *o,
             const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static double
json_number (JsonObject *o,
             const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) != G_TYPE_STRING
         ? json_node_get_double (node) : NAN;
}

static JsonObject *
json_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
set_title (const RfComparedSet *set)
{
  if (strcmp (set->key, "seed") == 0)
    return "original model";
  if (strcmp (set->key, "refined") == 0)
    return "refined model";
  return "model";
}

static RfPlotRole
set_role (const RfComparedSet *set)
{
  return strcmp (set->key, "seed") == 0 ? RF_PLOT_ROLE_SEED : RF_PLOT_ROLE_REFINED;
}

/* Sections ----------------------------------------------------------------------- */

static void
summary_section (Doc                  *doc,
                 const RfReportInputs *in)
{
  RfComparison *c = in->comparison;
  guint n = rf_comparison_get_n_sets (c);
  g_autofree char *title = g_strdup_printf ("Synthetic data report: %s",
                                            in->machine_name != NULL ? in->machine_name : in->machine_id);
  g_autofree char *subtitle = g_strdup_printf ("%s%s%smachine %s · generated %s",
                                               in->project_name != NULL ? "Project " : "",
                                               in->project_name != NULL ? in->project_name : "",
                                               in->project_name != NULL ? " · " : "", in->machine_id, in->generated);
  static const double two[] = { 0.46, 0.27, 0.27 }, one[] = { 0.6, 0.4 };
  PangoLayout *layout;
  double h;
  Table t;

  cairo_set_source_rgb (doc->cr, 0.10, 0.20, 0.30);
  paragraph (doc, title, 20.0, TRUE);
  cairo_set_source_rgb (doc->cr, 0.35, 0.35, 0.35);
  paragraph (doc, subtitle, BODY_SIZE, FALSE);
  doc->y += 10;

  /* The recommendation, boxed. */
  layout = text_layout (doc, rf_comparison_get_recommendation (c), 13.0, TRUE, CONTENT_W - 24);
  h = layout_height (layout);
  {
    double box = h + 20;

    for (const char * const *r = rf_comparison_get_reasons (c); *r != NULL; r++)
      {
        PangoLayout *reason = text_layout (doc, *r, BODY_SIZE, FALSE, CONTENT_W - 24);
        box += layout_height (reason) + 3;
        g_object_unref (reason);
      }
    cairo_set_source_rgb (doc->cr, rf_comparison_get_action (c) == RF_ACTION_RETRAIN ? 0.99 : 0.93,
                          rf_comparison_get_action (c) == RF_ACTION_RETRAIN ? 0.93 : 0.97, 0.94);
    cairo_rectangle (doc->cr, MARGIN, doc->y, CONTENT_W, box);
    cairo_fill (doc->cr);
    cairo_set_source_rgb (doc->cr, 0.05, 0.25, 0.15);
    cairo_move_to (doc->cr, MARGIN + 12, doc->y + 10);
    pango_cairo_show_layout (doc->cr, layout);
    doc->y += h + 14;
    cairo_set_source_rgb (doc->cr, 0.15, 0.15, 0.15);
    for (const char * const *r = rf_comparison_get_reasons (c); *r != NULL; r++)
      {
        PangoLayout *reason = text_layout (doc, *r, BODY_SIZE, FALSE, CONTENT_W - 24);
        cairo_move_to (doc->cr, MARGIN + 12, doc->y);
        pango_cairo_show_layout (doc->cr, reason);
        doc->y += layout_height (reason) + 3;
        g_object_unref (reason);
      }
    doc->y += 12;
  }
  g_object_unref (layout);

  heading (doc, "Key figures", FALSE);
  table_init (&t, n + 1, n == 2 ? two : one, BODY_SIZE);
  table_add (&t, "Real data compared with");
  for (guint s = 0; s < n; s++)
    table_add (&t, set_title (rf_comparison_get_set (c, s)));
#define ROW(label, expr, decimals)                                              \
  do {                                                                          \
    table_add (&t, label);                                                      \
    for (guint s = 0; s < n; s++)                                               \
      {                                                                         \
        const RfComparedSet *set = rf_comparison_get_set (c, s);                \
        g_autofree char *text = number ((expr), decimals);                      \
        (void) set;                                                             \
        table_add (&t, text);                                                   \
      }                                                                         \
  } while (0)
  ROW ("Quality score, overall (1 is perfect)", set->fidelity->quality.overall, 3);
  ROW ("Column shapes (mean 1 − KS)", set->fidelity->quality.column_shapes, 3);
  ROW ("Pair trends (mean 1 − |Δr| / 2)", set->fidelity->quality.pair_trends, 3);
  ROW ("Mean KL divergence (nats)", set->fidelity->mean_kl, 4);
  ROW ("Mean Wasserstein-1 (share of the real range)", set->fidelity->mean_wasserstein, 4);
  ROW ("Correlation error (mean |Δr|)", set->fidelity->correlation.mean_abs_error, 4);
  ROW ("Exact copies of real rows (%)", 100.0 * set->privacy.exact_copy_fraction, 2);
  ROW ("Distance to closest real row, median", set->privacy.synthetic_median, 4);
  ROW ("  the same for real holdout rows", set->privacy.holdout_median, 4);
  ROW ("RUL R², trained on synthetic, tested on real", set->has_utility ? set->utility.r2_synthetic : NAN, 3);
  ROW ("  trained on real data", set->has_utility ? set->utility.r2_real : NAN, 3);
#undef ROW
  table_finish (doc, &t);
}

static void
provenance_section (Doc                  *doc,
                    const RfReportInputs *in)
{
  RfComparison *c = in->comparison;
  JsonObject *upload = json_object (in->upload);
  static const double kv[] = { 0.3, 0.7 };
  static const double models[] = { 0.16, 0.42, 0.42 };
  Table t;

  heading (doc, "Data provenance", TRUE);
  table_init (&t, 2, kv, BODY_SIZE);
  table_add (&t, "Real data");
  table_add (&t, "");
  table_add (&t, "File");
  table_add (&t, in->real_name);
  if (json_string (upload, "original_name") != NULL)
    {
      table_add (&t, "Uploaded as");
      table_addf (&t, "%s (%s, %s)", json_string (upload, "original_name"),
                  json_string (upload, "format") != NULL ? json_string (upload, "format") : "?",
                  json_string (upload, "encoding") != NULL ? json_string (upload, "encoding") : "?");
      table_add (&t, "Upload SHA-256");
      table_add (&t, json_string (upload, "sha256"));
    }
  if (in->real_sha256 != NULL)
    {
      table_add (&t, "SHA-256");
      table_add (&t, in->real_sha256);
    }
  table_add (&t, "Rows × columns");
  table_addf (&t, "%" G_GSIZE_FORMAT " × %u", rf_table_get_n_rows (in->real), rf_table_get_n_columns (in->real));
  table_finish (doc, &t);

  table_init (&t, 3, models, BODY_SIZE);
  table_add (&t, "Models");
  table_add (&t, "File and SHA-256");
  table_add (&t, "Trained on");
  for (guint s = 0; s < rf_comparison_get_n_sets (c); s++)
    {
      const RfComparedSet *set = rf_comparison_get_set (c, s);
      const RfModelLineage *l = rf_model_get_lineage (in->models[s]);
      const char *sha = rf_model_get_sha256 (in->models[s]);

      table_add (&t, set_title (set));
      table_addf (&t, "%s\n%s", set->model, sha != NULL ? sha : "");
      table_addf (&t, "%s, %" G_GSIZE_FORMAT " rows%s%s%s\ncreated %s%s%s",
                  l->data_name != NULL ? l->data_name : "unknown data", l->data_rows,
                  l->data_sha256 != NULL ? " (" : "", l->data_sha256 != NULL ? l->data_sha256 : "",
                  l->data_sha256 != NULL ? ")" : "", l->created != NULL ? l->created : "?",
                  l->parent_name != NULL ? "; refined from " : "", l->parent_name != NULL ? l->parent_name : "");
    }
  table_finish (doc, &t);
}

static void
validation_section (Doc                  *doc,
                    const RfReportInputs *in)
{
  JsonObject *v = json_object (in->validation), *plan = json_object (in->cleaning);
  static const double cols[] = { 0.22, 0.12, 0.12, 0.12, 0.42 };
  static const double clean_cols[] = { 0.34, 0.33, 0.33 };
  Table t;

  if (v == NULL && plan == NULL)
    return;
  heading (doc, "Validation and cleaning", TRUE);
  if (v != NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      JsonNode *errors = json_object_get_member (v, "errors"), *warnings = json_object_get_member (v, "warnings");
      JsonNode *columns = json_object_get_member (v, "columns");

      g_string_append_printf (text, "Validation %s: %.0f rows × %.0f columns, %.0f duplicate rows.",
                              json_object_get_boolean_member_with_default (v, "validation_passed", FALSE)
                              ? "passed" : "failed",
                              json_number (v, "total_rows"), json_number (v, "total_columns"),
                              json_number (v, "duplicate_rows"));
      paragraph (doc, text->str, BODY_SIZE, FALSE);
      for (guint k = 0; k < 2; k++)
        {
          JsonNode *list = k == 0 ? errors : warnings;

          if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
            continue;
          for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
            {
              JsonNode *item = json_array_get_element (json_node_get_array (list), i);
              g_autofree char *line = g_strdup_printf ("%s: %s", k == 0 ? "Error" : "Warning",
                                                       JSON_NODE_HOLDS_VALUE (item) ? json_node_get_string (item) : "");
              paragraph (doc, line, BODY_SIZE, FALSE);
            }
        }
      if (columns != NULL && JSON_NODE_HOLDS_ARRAY (columns))
        {
          table_init (&t, 5, cols, SMALL_SIZE);
          table_add (&t, "Column");
          table_add (&t, "Type");
          table_add (&t, "Missing %");
          table_add (&t, "Outliers");
          table_add (&t, "Suggested cleaning");
          for (guint i = 0; i < json_array_get_length (json_node_get_array (columns)); i++)
            {
              JsonObject *col = json_object (json_array_get_element (json_node_get_array (columns), i));
              JsonObject *sug = col != NULL ? json_object (json_object_get_member (col, "suggested_cleaning")) : NULL;
              g_autofree char *missing = number (json_number (col, "missing_pct"), 1);
              g_autofree char *outliers = number (json_number (col, "outliers"), 0);

              table_add (&t, json_string (col, "name"));
              table_add (&t, json_string (col, "type"));
              table_add (&t, missing);
              table_add (&t, outliers);
              table_addf (&t, "missing %s, outliers %s%s%s",
                          json_string (sug, "missing") != NULL ? json_string (sug, "missing") : "–",
                          json_string (sug, "outliers") != NULL ? json_string (sug, "outliers") : "–",
                          json_string (sug, "reason") != NULL && *json_string (sug, "reason") ? ": " : "",
                          json_string (sug, "reason") != NULL ? json_string (sug, "reason") : "");
            }
          table_finish (doc, &t);
        }
    }
  if (plan != NULL && json_object (json_object_get_member (plan, "columns")) != NULL)
    {
      JsonObject *columns = json_object (json_object_get_member (plan, "columns"));
      g_autoptr(GList) names = json_object_get_members (columns);
      g_autofree char *line = g_strdup_printf ("Cleaning plan: duplicates %s, rows %s sorted by time.",
                                               json_object_get_boolean_member_with_default (plan, "drop_duplicates", FALSE)
                                               ? "dropped" : "kept",
                                               json_object_get_boolean_member_with_default (plan, "sort_by_time", FALSE)
                                               ? "" : "not");

      paragraph (doc, line, BODY_SIZE, FALSE);
      table_init (&t, 3, clean_cols, SMALL_SIZE);
      table_add (&t, "Column");
      table_add (&t, "Missing values");
      table_add (&t, "Outliers");
      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonObject *col = json_object (json_object_get_member (columns, l->data));

          table_add (&t, l->data);
          table_add (&t, json_string (col, "missing"));
          table_add (&t, json_string (col, "outliers"));
        }
      table_finish (doc, &t);
    }
}

static void
mapping_section (Doc                  *doc,
                 const RfReportInputs *in)
{
  JsonObject *m = json_object (in->mapping), *mappings;
  static const double cols[] = { 0.32, 0.32, 0.12, 0.24 };
  g_autoptr(GList) names = NULL;
  Table t;

  mappings = m != NULL ? json_object (json_object_get_member (m, "mappings")) : NULL;
  if (mappings == NULL)
    return;
  heading (doc, "Column mapping", TRUE);
  table_init (&t, 4, cols, SMALL_SIZE);
  table_add (&t, "Data column");
  table_add (&t, "Sensor");
  table_add (&t, "Score");
  table_add (&t, "Unit");
  names = json_object_get_members (mappings);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *e = json_object (json_object_get_member (mappings, l->data));
      g_autofree char *score = number (json_number (e, "score"), 0);
      const char *from = json_string (e, "unit_from"), *to = json_string (e, "unit_to");

      table_add (&t, l->data);
      table_add (&t, json_string (e, "sensor") != NULL ? json_string (e, "sensor") : "(not mapped)");
      table_add (&t, score);
      if (from != NULL && to != NULL && strcmp (from, to) != 0)
        table_addf (&t, "%s → %s", from, to);
      else
        table_add (&t, from != NULL ? from : to);
    }
  table_finish (doc, &t);
}

static void
metrics_section (Doc                  *doc,
                 const RfReportInputs *in)
{
  RfComparison *c = in->comparison;
  guint n = rf_comparison_get_n_sets (c);
  const RfFidelity *first = rf_comparison_get_set (c, 0)->fidelity;
  static const double one[] = { 0.25, 0.15, 0.15, 0.15, 0.15, 0.15 };
  static const double two[] = { 0.19, 0.081, 0.081, 0.081, 0.081, 0.081, 0.081, 0.081, 0.081, 0.081, 0.081 };
  static const char * const names[] = { "KS", "KL", "W1", "Mean err.", "Std err." };
  Table t;

  heading (doc, "Metrics per column", TRUE);
  paragraph (doc, n == 2 ? "For each column, the original model's figure, then the refined model's; lower is "
                           "better. W1 is the Wasserstein-1 distance as a share of the real range; the mean and "
                           "standard deviation errors are in the column's unit."
                         : "For each column; lower is better. W1 is the Wasserstein-1 distance as a share of the "
                           "real range; the mean and standard deviation errors are in the column's unit.",
             BODY_SIZE, FALSE);
  table_init (&t, 1 + 5 * n, n == 2 ? two : one, n == 2 ? 6.5 : SMALL_SIZE);
  table_add (&t, "Column");
  for (guint k = 0; k < 5; k++)
    for (guint s = 0; s < n; s++)
      table_addf (&t, "%s%s", names[k], n == 2 ? (s == 0 ? " (o)" : " (r)") : "");
  for (guint i = 0; i < first->n_columns; i++)
    {
      const char *name = first->columns[i].name;

      table_add (&t, name);
      for (guint k = 0; k < 5; k++)
        for (guint s = 0; s < n; s++)
          {
            const RfColumnMetrics *m = rf_fidelity_find_column (rf_comparison_get_set (c, s)->fidelity, name);
            double v = m == NULL ? NAN : k == 0 ? m->ks : k == 1 ? m->kl_divergence : k == 2 ? m->wasserstein
                                     : k == 3 ? m->mean_error : m->std_error;
            g_autofree char *text = number (v, k < 3 ? 4 : 3);

            table_add (&t, text);
          }
    }
  table_finish (doc, &t);
}

/* Charts --------------------------------------------------------------------- */

typedef struct
{
  const RfReportInputs *in;
  const char *column;
  const double *matrix;
  const char * const *labels;
  guint n;
  const char *title;
  double range;
} ChartData;

static void
draw_ks_bars (cairo_t                 *cr,
              const cairo_rectangle_t *area,
              gpointer                 data)
{
  ChartData *d = data;
  RfComparison *c = d->in->comparison;
  const RfFidelity *first = rf_comparison_get_set (c, 0)->fidelity;
  guint n = rf_comparison_get_n_sets (c);
  g_autofree const char **names = g_new (const char *, MAX (first->n_columns, 1));
  g_autofree double *values = g_new (double, (gsize) MAX (first->n_columns, 1) * n);
  RfPlotBarSeries series[2];

  for (guint i = 0; i < first->n_columns; i++)
    names[i] = first->columns[i].name;
  for (guint s = 0; s < n; s++)
    {
      const RfComparedSet *set = rf_comparison_get_set (c, s);

      for (guint i = 0; i < first->n_columns; i++)
        {
          const RfColumnMetrics *m = rf_fidelity_find_column (set->fidelity, names[i]);
          values[s * first->n_columns + i] = m != NULL ? m->ks : NAN;
        }
      series[s].label = set_title (set);
      series[s].values = values + s * first->n_columns;
      series[s].role = set_role (set);
    }
  rf_plot_bars (cr, area, "KS statistic per column (lower is better)", "KS statistic", names, first->n_columns,
                series, n, NAN);
}

static void
draw_heatmap (cairo_t                 *cr,
              const cairo_rectangle_t *area,
              gpointer                 data)
{
  ChartData *d = data;

  rf_plot_heatmap (cr, area, d->title, d->labels, d->n, d->matrix, -d->range, d->range);
}

static void
draw_histogram (cairo_t                 *cr,
                const cairo_rectangle_t *area,
                gpointer                 data)
{
  ChartData *d = data;
  const RfReportInputs *in = d->in;
  guint n = rf_comparison_get_n_sets (in->comparison);
  RfPlotSeries series[3];
  RfPlotRole roles[3];
  double *values[3] = { NULL, NULL, NULL };
  const RfTable *tables[3] = { in->real, in->synthetic[0], in->synthetic[1] };
  const RfColumn *real_column = rf_table_find_column (in->real, d->column);

  for (guint s = 0; s <= n; s++)
    {
      const RfColumn *column = rf_table_find_column (tables[s], d->column);
      gsize rows = column != NULL ? column->n_rows : 0;

      values[s] = g_new (double, MAX (rows, 1));
      for (gsize r = 0; r < rows; r++)
        values[s][r] = rf_column_get_as_double (column, r);
      series[s].label = s == 0 ? "real" : set_title (rf_comparison_get_set (in->comparison, s - 1));
      series[s].values = values[s];
      series[s].n_values = rows;
      roles[s] = s == 0 ? RF_PLOT_ROLE_REAL : set_role (rf_comparison_get_set (in->comparison, s - 1));
    }
  rf_plot_histogram (cr, area, d->column, real_column != NULL ? real_column->unit : NULL, series, roles, n + 1, 0);
  for (guint s = 0; s <= n; s++)
    g_free (values[s]);
}

static void
draw_losses (cairo_t                 *cr,
             const cairo_rectangle_t *area,
             gpointer                 data)
{
  ChartData *d = data;
  const RfReportInputs *in = d->in;
  guint n = rf_comparison_get_n_sets (in->comparison);
  RfPlotCurve curves[4];
  double *buffers[4] = { NULL, NULL, NULL, NULL };
  char *labels[4] = { NULL, NULL, NULL, NULL };
  guint k = 0;

  for (guint s = 0; s < n; s++)
    {
      guint n_epochs, generation = rf_model_get_generation (in->models[s]), first = 0, count = 0;
      const RfModelEpoch *history = rf_model_get_history (in->models[s], &n_epochs);
      const RfComparedSet *set = rf_comparison_get_set (in->comparison, s);

      /* A refined model's own epochs continue after its base's. */
      for (guint i = 0; i < n_epochs; i++)
        if (history[i].generation < generation)
          first++;
      count = n_epochs - first;
      for (guint v = 0; v < 2; v++, k++)
        {
          buffers[k] = g_new (double, MAX (count, 1));
          for (guint i = 0; i < count; i++)
            buffers[k][i] = v == 0 ? history[first + i].report.train_loss : history[first + i].report.validation_loss;
          labels[k] = g_strdup_printf ("%s, %s", set_title (set), v == 0 ? "training" : "validation");
          curves[k].label = labels[k];
          curves[k].values = buffers[k];
          curves[k].n_values = count;
          curves[k].first_epoch = first;
          curves[k].dashed = v == 1;
          curves[k].role = set_role (set);
        }
    }
  rf_plot_loss_curves (cr, area, "Training and validation loss (dashed) per epoch", curves, k);
  for (guint i = 0; i < k; i++)
    {
      g_free (buffers[i]);
      g_free (labels[i]);
    }
}

static void
charts_section (Doc                  *doc,
                const RfReportInputs *in)
{
  RfComparison *c = in->comparison;
  guint n = rf_comparison_get_n_sets (c);
  const RfComparedSet *cand = rf_comparison_get_set (c, n - 1);
  const RfCorrelationComparison *cc = &cand->fidelity->correlation;
  const RfFidelity *first = rf_comparison_get_set (c, 0)->fidelity;
  g_autofree double *diff = g_new (double, MAX ((gsize) cc->n_columns * cc->n_columns, 1));
  g_autofree char *synthetic_title = g_strdup_printf ("Correlations: %s", set_title (cand));
  ChartData d = { in };
  double height, largest = 0.0;
  guint in_row = 0;

  heading (doc, "Charts", TRUE);
  height = MIN (BOTTOM - MARGIN - 40, 70 + 13.0 * first->n_columns * n);
  chart (doc, height, draw_ks_bars, &d);

  for (gsize i = 0; i < (gsize) cc->n_columns * cc->n_columns; i++)
    {
      diff[i] = cc->synthetic[i] - cc->real[i];
      if (isfinite (diff[i]))
        largest = MAX (largest, fabs (diff[i]));
    }
  d.labels = (const char * const *) cc->names;
  d.n = cc->n_columns;
  if (cc->n_columns >= 2)
    {
      d.range = 1.0;
      d.matrix = cc->real;
      d.title = "Correlations: real data";
      chart (doc, 340, draw_heatmap, &d);
      d.matrix = cc->synthetic;
      d.title = synthetic_title;
      chart (doc, 340, draw_heatmap, &d);
      d.matrix = diff;
      d.title = "Difference: synthetic − real";
      d.range = CLAMP (ceil (largest * 10.0) / 10.0, 0.1, 2.0);
      chart (doc, 340, draw_heatmap, &d);
    }

  /* A histogram per numeric column, two to a row. */
  heading (doc, "Distributions: real and synthetic", FALSE);
  paragraph (doc, n == 2 ? "Filled grey: the real data. Orange line: the original model's synthetic data. Green "
                           "line: the refined model's. Each as a density, so that samples of different sizes compare."
                         : "Filled grey: the real data. Green line: the model's synthetic data. Each as a density, "
                           "so that samples of different sizes compare.", BODY_SIZE, FALSE);
  for (guint i = 0; i < first->n_columns; i++)
    {
      cairo_rectangle_t area;

      if (first->columns[i].categorical)
        continue;
      if (in_row == 0)
        need (doc, 175);
      area.x = MARGIN + in_row * (CONTENT_W / 2);
      area.y = doc->y;
      area.width = CONTENT_W / 2 - 6;
      area.height = 170;
      d.column = first->columns[i].name;
      draw_histogram (doc->cr, &area, &d);
      if (++in_row == 2)
        {
          in_row = 0;
          doc->y += 176;
        }
    }
  if (in_row != 0)
    doc->y += 176;

  heading (doc, "Training", FALSE);
  chart (doc, 280, draw_losses, &d);
}

static void
lineage_section (Doc                  *doc,
                 const RfReportInputs *in)
{
  RfComparison *c = in->comparison;
  static const double kv[] = { 0.38, 0.62 };

  heading (doc, "Model lineage and training configuration", TRUE);
  for (guint s = 0; s < rf_comparison_get_n_sets (c); s++)
    {
      RfModel *model = in->models[s];
      const RfTrainConfig *cfg = rf_model_get_config (model);
      const RfTvaeArch *arch = rf_model_get_arch (model);
      const RfModelLineage *l = rf_model_get_lineage (model);
      g_autofree char *excluded = g_strjoinv (", ", l->excluded_columns);
      guint n_epochs, generation = rf_model_get_generation (model), own = 0;
      const RfModelEpoch *history = rf_model_get_history (model, &n_epochs);
      double last_train = NAN, last_val = NAN;
      Table t;

      for (guint i = 0; i < n_epochs; i++)
        if (history[i].generation == generation)
          {
            own++;
            last_train = history[i].report.train_loss;
            last_val = history[i].report.validation_loss;
          }
      table_init (&t, 2, kv, BODY_SIZE);
      table_add (&t, set_title (rf_comparison_get_set (c, s)));
      table_add (&t, rf_comparison_get_set (c, s)->model);
      table_add (&t, "Generation");
      table_addf (&t, "%u (%s)", generation, generation == 0 ? "trained from scratch" : "refined");
      table_add (&t, "Parent model");
      table_addf (&t, "%s%s%s", l->parent_name != NULL ? l->parent_name : "none",
                  l->parent_sha256 != NULL ? "\n" : "", l->parent_sha256 != NULL ? l->parent_sha256 : "");
      table_add (&t, "Network");
      table_addf (&t, "encoder %u→%u→%u, latent %u, decoder %u→%u→%u, σ from %.2g",
                  arch->compress_dims[0], arch->compress_dims[0], arch->compress_dims[1], arch->embedding_dim,
                  arch->decompress_dims[0], arch->decompress_dims[1], arch->decompress_dims[1], arch->sigma_init);
      table_add (&t, "Epochs (run / at most)");
      table_addf (&t, "%u / %u", own, cfg->epochs);
      table_add (&t, "Batch, learning rate, weight decay");
      table_addf (&t, "%u, %g, %g", cfg->batch_size, cfg->learning_rate, cfg->weight_decay);
      table_add (&t, "Loss factor, validation share, patience");
      table_addf (&t, "%g, %g, %u", cfg->loss_factor, cfg->validation_fraction, cfg->patience);
      table_add (&t, "Frozen encoder, seed");
      table_addf (&t, "%s, %" G_GUINT64_FORMAT, cfg->freeze_encoder ? "yes" : "no", cfg->seed);
      table_add (&t, "Last losses (train, validation)");
      {
        g_autofree char *a = number (last_train, 3), *b = number (last_val, 3);
        table_addf (&t, "%s, %s", a, b);
      }
      table_add (&t, "Training data");
      table_addf (&t, "%s, %" G_GSIZE_FORMAT " rows%s%s", l->data_name != NULL ? l->data_name : "unknown",
                  l->data_rows, l->data_sha256 != NULL ? "\nSHA-256 " : "", l->data_sha256 != NULL ? l->data_sha256 : "");
      table_add (&t, "Columns left out");
      table_add (&t, *excluded != '\0' ? excluded : "none");
      table_add (&t, "Created, by Refinery");
      table_addf (&t, "%s, %s", l->created != NULL ? l->created : "?",
                  l->refinery_version != NULL ? l->refinery_version : "?");
      table_finish (doc, &t);
    }
}

/* PNG files --------------------------------------------------------------------- */

static gboolean
write_chart (const char     *dir,
             const char     *name,
             int             width,
             int             height,
             double          scale,
             RfPlotDrawFunc  draw,
             ChartData      *d,
             guint          *n_written,
             GError        **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (!rf_plot_write_png (path, width, height, scale, draw, d, error))
    return FALSE;
  (*n_written)++;
  return TRUE;
}

gboolean
rf_report_write_charts (const char           *dir,
                        const RfReportInputs *in,
                        int                   width,
                        int                   height,
                        double                scale,
                        guint                *n_written,
                        GError              **error)
{
  RfComparison *c;
  const RfComparedSet *cand;
  const RfCorrelationComparison *cc;
  const RfFidelity *first;
  g_autofree double *diff = NULL;
  g_autofree char *synthetic_title = NULL;
  ChartData d = { in };
  guint count = 0, n;
  double largest = 0.0;

  g_return_val_if_fail (dir != NULL && in != NULL && in->comparison != NULL, FALSE);

  c = in->comparison;
  n = rf_comparison_get_n_sets (c);
  cand = rf_comparison_get_set (c, n - 1);
  cc = &cand->fidelity->correlation;
  first = rf_comparison_get_set (c, 0)->fidelity;
  if (n_written == NULL)
    n_written = &count;
  *n_written = 0;
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (dir);
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot create the folder %s: %s", display, g_strerror (saved));
      return FALSE;
    }
  if (!write_chart (dir, "ks_per_column.png", width, MAX (height, (int) (70 + 13.0 * first->n_columns * n)), scale,
                    draw_ks_bars, &d, n_written, error) ||
      !write_chart (dir, "loss.png", width, height, scale, draw_losses, &d, n_written, error))
    return FALSE;

  diff = g_new (double, MAX ((gsize) cc->n_columns * cc->n_columns, 1));
  for (gsize i = 0; i < (gsize) cc->n_columns * cc->n_columns; i++)
    {
      diff[i] = cc->synthetic[i] - cc->real[i];
      if (isfinite (diff[i]))
        largest = MAX (largest, fabs (diff[i]));
    }
  synthetic_title = g_strdup_printf ("Correlations: %s", set_title (cand));
  d.labels = (const char * const *) cc->names;
  d.n = cc->n_columns;
  if (cc->n_columns >= 2)
    {
      d.range = 1.0;
      d.matrix = cc->real;
      d.title = "Correlations: real data";
      if (!write_chart (dir, "correlation_real.png", width, width, scale, draw_heatmap, &d, n_written, error))
        return FALSE;
      d.matrix = cc->synthetic;
      d.title = synthetic_title;
      if (!write_chart (dir, "correlation_synthetic.png", width, width, scale, draw_heatmap, &d, n_written, error))
        return FALSE;
      d.matrix = diff;
      d.title = "Difference: synthetic − real";
      d.range = CLAMP (ceil (largest * 10.0) / 10.0, 0.1, 2.0);
      if (!write_chart (dir, "correlation_difference.png", width, width, scale, draw_heatmap, &d, n_written, error))
        return FALSE;
    }
  for (guint i = 0; i < first->n_columns; i++)
    {
      g_autofree char *safe = g_strdup (first->columns[i].name);
      g_autofree char *name = NULL;

      if (first->columns[i].categorical)
        continue;
      for (char *p = safe; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
          *p = '_';
      name = g_strdup_printf ("histogram_%s.png", safe);
      d.column = first->columns[i].name;
      if (!write_chart (dir, name, width, height, scale, draw_histogram, &d, n_written, error))
        return FALSE;
    }
  return TRUE;
}

/* Writing ---------------------------------------------------------------------- */

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

gboolean
rf_pdf_report_write (const char           *path,
                     const RfReportInputs *in,
                     GCancellable         *cancellable,
                     GError              **error)
{
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  g_autofree char *display = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  Doc doc = { 0 };

  g_return_val_if_fail (path != NULL && in != NULL && in->comparison != NULL && in->real != NULL, FALSE);
  for (guint s = 0; s < rf_comparison_get_n_sets (in->comparison); s++)
    g_return_val_if_fail (in->models[s] != NULL && in->synthetic[s] != NULL, FALSE);

  display = g_filename_display_name (path);
  surface = cairo_pdf_surface_create_for_stream (append_bytes, pdf, PAGE_W, PAGE_H);
  {
    g_autofree char *title = g_strdup_printf ("Refinery report: %s", in->machine_id);
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Refinery " PACKAGE_VERSION);
  }
  doc.cr = cairo_create (surface);
  doc.footer = g_strdup_printf ("Refinery · %s · %s", in->machine_id, in->generated);
  new_page (&doc);

  summary_section (&doc, in);
  provenance_section (&doc, in);
  validation_section (&doc, in);
  mapping_section (&doc, in);
  if (!g_cancellable_is_cancelled (cancellable))
    {
      metrics_section (&doc, in);
      charts_section (&doc, in);
      lineage_section (&doc, in);
    }
  cairo_show_page (doc.cr);
  status = cairo_status (doc.cr);
  cairo_destroy (doc.cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  g_free (doc.footer);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FAILED, "Cannot draw the report %s: %s", display,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return rf_atomic_write_contents (path, pdf->data, pdf->len, error);
}

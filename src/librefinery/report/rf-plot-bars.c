#define G_LOG_DOMAIN "rf-plot-bars"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "rf-plot-private.h"

#define MAX_SERIES 4

void
rf_plot_bars (cairo_t                 *cr,
              const cairo_rectangle_t *area,
              const char              *title,
              const char              *value_label,
              const char * const      *categories,
              guint                    n_categories,
              const RfPlotBarSeries   *series,
              guint                    n_series,
              double                   reference)
{
  RfPlotAxes axes = { 0 };
  double top, lo = 0.0, hi = -INFINITY, label_w = 0, w, h, group, bar, size, value_w;
  const char *labels[MAX_SERIES];
  RfPlotRole roles[MAX_SERIES];
  gboolean filled[MAX_SERIES] = { TRUE, TRUE, TRUE, TRUE };
  char buffer[64];

  g_return_if_fail (cr != NULL && (series != NULL || n_series == 0));

  if (!_rf_plot_begin (cr, area, title, &top))
    return;
  n_series = MIN (n_series, MAX_SERIES);
  for (guint s = 0; s < n_series; s++)
    for (guint c = 0; c < n_categories; c++)
      if (isfinite (series[s].values[c]))
        {
          lo = MIN (lo, series[s].values[c]);
          hi = MAX (hi, series[s].values[c]);
        }
  if (isfinite (reference))
    hi = MAX (hi, reference);
  if (n_categories == 0 || n_series == 0 || !(hi >= lo))
    {
      _rf_plot_empty (cr, area->x, top, area->width, area->y + area->height - top);
      _rf_plot_end (cr);
      return;
    }
  if (!(hi > lo))
    hi = lo + 1.0;

  /* Category labels shrink with the rows, down to 6 units. */
  group = (area->y + area->height - top - 40) / n_categories;
  size = CLAMP (group * 0.75, 6.0, RF_PLOT_FONT_SIZE);
  for (guint c = 0; c < n_categories; c++)
    {
      _rf_plot_text_size (cr, categories != NULL && categories[c] != NULL ? categories[c] : "", size, FALSE, &w, &h);
      label_w = MAX (label_w, w);
    }
  label_w = MIN (label_w, area->width * 0.3) + 6;
  _rf_plot_text_size (cr, "0.000", size, FALSE, &value_w, &h);

  axes.xmin = lo;
  /* Room for the value labels at the bars' ends. */
  axes.xmax = hi + (hi - lo) * 0.18;
  axes.ymin = 0;
  axes.ymax = 1;
  axes.no_yticks = TRUE;
  _rf_plot_axes (cr, &axes, area->x + RF_PLOT_MARGIN + label_w, top, area->x + area->width - RF_PLOT_MARGIN,
                 area->y + area->height - RF_PLOT_MARGIN, value_label, NULL);
  if (axes.right - axes.left < 10 || axes.bottom - axes.top < 10)
    {
      _rf_plot_end (cr);
      return;
    }
  group = (axes.bottom - axes.top) / n_categories;
  bar = group * 0.8 / n_series;

  for (guint c = 0; c < n_categories; c++)
    {
      double y0 = axes.top + c * group + group * 0.1;

      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      _rf_plot_text (cr, categories != NULL && categories[c] != NULL ? categories[c] : "", axes.left - 6,
                     y0 + group * 0.4, size, FALSE, 1.0, 0.5, 0.0, label_w);
      for (guint s = 0; s < n_series; s++)
        {
          double v = series[s].values[c], x0 = _rf_plot_x (&axes, 0.0), x1;

          if (!isfinite (v))
            continue;
          x1 = _rf_plot_x (&axes, v);
          _rf_plot_set_role (cr, series[s].role, 0.85);
          cairo_rectangle (cr, MIN (x0, x1), y0 + s * bar, fabs (x1 - x0), MAX (bar - 1, 1));
          cairo_fill (cr);
          if (bar >= 7)
            {
              g_snprintf (buffer, sizeof buffer, "%.3g", v);
              cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
              _rf_plot_text (cr, buffer, MAX (x0, x1) + 3, y0 + (s + 0.5) * bar, MIN (size, bar), FALSE, 0.0, 0.5,
                             0.0, 0);
            }
        }
    }
  if (isfinite (reference))
    {
      const double dashes[] = { 4.0, 3.0 };
      double x = round (_rf_plot_x (&axes, reference)) + 0.5;

      cairo_set_source_rgb (cr, 0.55, 0.1, 0.1);
      cairo_set_line_width (cr, 1.2);
      cairo_set_dash (cr, dashes, 2, 0);
      cairo_move_to (cr, x, axes.top);
      cairo_line_to (cr, x, axes.bottom);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  for (guint s = 0; s < n_series; s++)
    {
      labels[s] = series[s].label;
      roles[s] = series[s].role;
    }
  _rf_plot_legend (cr, &axes, labels, roles, NULL, filled, n_series);
  _rf_plot_end (cr);
}

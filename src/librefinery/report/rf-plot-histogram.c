#define G_LOG_DOMAIN "rf-plot-histogram"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rf-plot-private.h"

#define MAX_SERIES 4

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Freedman–Diaconis on the finite values of s: 2 IQR n^(-1/3) wide bins
 * across [lo, hi], from 10 to 60 of them. */
static guint
automatic_bins (const RfPlotSeries *s,
                double              lo,
                double              hi)
{
  g_autofree double *v = g_new (double, MAX (s->n_values, 1));
  gsize n = 0;
  double iqr, width;

  for (gsize i = 0; i < s->n_values; i++)
    if (isfinite (s->values[i]))
      v[n++] = s->values[i];
  if (n < 4)
    return 10;
  qsort (v, n, sizeof (double), compare_doubles);
  iqr = v[(3 * n) / 4] - v[n / 4];
  width = 2.0 * iqr * pow ((double) n, -1.0 / 3.0);
  if (!(width > 0.0))
    return 10;
  return (guint) CLAMP (ceil ((hi - lo) / width), 10.0, 60.0);
}

void
rf_plot_histogram (cairo_t                 *cr,
                   const cairo_rectangle_t *area,
                   const char              *title,
                   const char              *unit,
                   const RfPlotSeries      *series,
                   const RfPlotRole        *roles,
                   guint                    n_series,
                   guint                    n_bins)
{
  RfPlotAxes axes = { 0 };
  double lo = INFINITY, hi = -INFINITY, top, width, peak = 0.0;
  g_autofree double *density = NULL;
  const char *labels[MAX_SERIES];
  gboolean filled[MAX_SERIES] = { TRUE, FALSE, FALSE, FALSE };
  gsize counted[MAX_SERIES] = { 0 };

  g_return_if_fail (cr != NULL && (series != NULL || n_series == 0));

  if (!_rf_plot_begin (cr, area, title, &top))
    return;
  n_series = MIN (n_series, MAX_SERIES);
  for (guint s = 0; s < n_series; s++)
    for (gsize i = 0; i < series[s].n_values; i++)
      if (isfinite (series[s].values[i]))
        {
          lo = MIN (lo, series[s].values[i]);
          hi = MAX (hi, series[s].values[i]);
        }
  if (!(lo <= hi))
    {
      _rf_plot_empty (cr, area->x, top, area->width, area->y + area->height - top);
      _rf_plot_end (cr);
      return;
    }
  if (!(hi > lo))
    {
      /* One value: a narrow band around it. */
      double pad = MAX (fabs (lo) * 0.01, 0.5);
      lo -= pad;
      hi += pad;
    }
  if (n_bins == 0)
    n_bins = automatic_bins (&series[0], lo, hi);
  n_bins = CLAMP (n_bins, 1, 1000);
  width = (hi - lo) / n_bins;

  density = g_new0 (double, (gsize) n_series * n_bins);
  for (guint s = 0; s < n_series; s++)
    {
      for (gsize i = 0; i < series[s].n_values; i++)
        {
          double v = series[s].values[i];
          guint bin;

          if (!isfinite (v))
            continue;
          bin = (guint) MIN ((v - lo) / width, (double) (n_bins - 1));
          density[s * n_bins + bin] += 1.0;
          counted[s]++;
        }
      for (guint b = 0; b < n_bins; b++)
        {
          if (counted[s] > 0)
            density[s * n_bins + b] /= (double) counted[s] * width;
          peak = MAX (peak, density[s * n_bins + b]);
        }
    }

  axes.xmin = lo;
  axes.xmax = hi;
  axes.ymin = 0.0;
  axes.ymax = peak > 0 ? peak * 1.08 : 1.0;
  _rf_plot_axes (cr, &axes, area->x + RF_PLOT_MARGIN, top, area->x + area->width - RF_PLOT_MARGIN,
                 area->y + area->height - RF_PLOT_MARGIN, unit != NULL ? unit : "value", "density");
  if (axes.right - axes.left < 10 || axes.bottom - axes.top < 10)
    {
      _rf_plot_end (cr);
      return;
    }

  cairo_save (cr);
  cairo_rectangle (cr, axes.left, axes.top - 1, axes.right - axes.left, axes.bottom - axes.top + 1);
  cairo_clip (cr);
  for (guint s = 0; s < n_series; s++)
    {
      RfPlotRole role = roles != NULL ? roles[s] : (RfPlotRole) MIN (s, RF_PLOT_ROLE_OTHER);

      /* A step outline along the bin tops. */
      cairo_move_to (cr, _rf_plot_x (&axes, lo), _rf_plot_y (&axes, 0.0));
      for (guint b = 0; b < n_bins; b++)
        {
          double y = _rf_plot_y (&axes, density[s * n_bins + b]);
          cairo_line_to (cr, _rf_plot_x (&axes, lo + b * width), y);
          cairo_line_to (cr, _rf_plot_x (&axes, lo + (b + 1) * width), y);
        }
      cairo_line_to (cr, _rf_plot_x (&axes, hi), _rf_plot_y (&axes, 0.0));
      if (s == 0)
        {
          cairo_close_path (cr);
          _rf_plot_set_role (cr, role, 0.35);
          cairo_fill_preserve (cr);
        }
      _rf_plot_set_role (cr, role, 1.0);
      cairo_set_line_width (cr, s == 0 ? 1.0 : 1.8);
      cairo_stroke (cr);
      labels[s] = series[s].label;
    }
  cairo_restore (cr);

  /* In a small chart a legend would hide the bars: a caption says it. */
  if (axes.right - axes.left >= 300)
    {
      RfPlotRole legend_roles[MAX_SERIES];

      for (guint s = 0; s < n_series; s++)
        legend_roles[s] = roles != NULL ? roles[s] : (RfPlotRole) MIN (s, RF_PLOT_ROLE_OTHER);
      _rf_plot_legend (cr, &axes, labels, legend_roles, NULL, filled, n_series);
    }
  _rf_plot_end (cr);
}

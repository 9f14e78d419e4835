#define G_LOG_DOMAIN "rf-plot-loss"

#include "config.h"

#include <math.h>

#include "rf-plot-private.h"

#define MAX_CURVES 8

void
rf_plot_loss_curves (cairo_t                 *cr,
                     const cairo_rectangle_t *area,
                     const char              *title,
                     const RfPlotCurve       *curves,
                     guint                    n_curves)
{
  RfPlotAxes axes = { 0 };
  double top, lo = INFINITY, hi = -INFINITY, first = INFINITY, last = -INFINITY;
  const double dashes[] = { 6.0, 4.0 };
  const char *labels[MAX_CURVES];
  RfPlotRole roles[MAX_CURVES];
  gboolean dashed[MAX_CURVES];
  gboolean all_positive = TRUE;

  g_return_if_fail (cr != NULL && (curves != NULL || n_curves == 0));

  if (!_rf_plot_begin (cr, area, title, &top))
    return;
  n_curves = MIN (n_curves, MAX_CURVES);
  for (guint c = 0; c < n_curves; c++)
    for (guint i = 0; i < curves[c].n_values; i++)
      if (isfinite (curves[c].values[i]))
        {
          double epoch = curves[c].first_epoch + i + 1.0;

          lo = MIN (lo, curves[c].values[i]);
          hi = MAX (hi, curves[c].values[i]);
          first = MIN (first, epoch);
          last = MAX (last, epoch);
          all_positive = all_positive && curves[c].values[i] > 0;
        }
  if (!(lo <= hi))
    {
      _rf_plot_empty (cr, area->x, top, area->width, area->y + area->height - top);
      _rf_plot_end (cr);
      return;
    }
  axes.xmin = first;
  axes.xmax = last > first ? last : first + 1;
  axes.ylog = all_positive && hi / lo > 100.0;
  if (axes.ylog)
    {
      axes.ymin = pow (10.0, floor (log10 (lo)));
      axes.ymax = pow (10.0, ceil (log10 (hi)));
    }
  else
    {
      double pad = hi > lo ? (hi - lo) * 0.05 : MAX (fabs (lo) * 0.05, 0.5);
      axes.ymin = lo - pad;
      axes.ymax = hi + pad;
    }
  _rf_plot_axes (cr, &axes, area->x + RF_PLOT_MARGIN, top, area->x + area->width - RF_PLOT_MARGIN,
                 area->y + area->height - RF_PLOT_MARGIN, "epoch", "loss");
  if (axes.right - axes.left < 10 || axes.bottom - axes.top < 10)
    {
      _rf_plot_end (cr);
      return;
    }

  cairo_save (cr);
  cairo_rectangle (cr, axes.left, axes.top, axes.right - axes.left, axes.bottom - axes.top);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint c = 0; c < n_curves; c++)
    {
      gboolean pen_down = FALSE;

      for (guint i = 0; i < curves[c].n_values; i++)
        {
          double v = curves[c].values[i], x = _rf_plot_x (&axes, curves[c].first_epoch + i + 1.0);

          if (!isfinite (v))
            {
              pen_down = FALSE;
              continue;
            }
          if (pen_down)
            cairo_line_to (cr, x, _rf_plot_y (&axes, v));
          else
            cairo_move_to (cr, x, _rf_plot_y (&axes, v));
          pen_down = TRUE;
        }
      _rf_plot_set_role (cr, curves[c].role, 1.0);
      cairo_set_line_width (cr, 1.8);
      cairo_set_dash (cr, dashes, curves[c].dashed ? 2 : 0, 0);
      cairo_stroke (cr);
      labels[c] = curves[c].label;
      roles[c] = curves[c].role;
      dashed[c] = curves[c].dashed;
    }
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_restore (cr);
  _rf_plot_legend (cr, &axes, labels, roles, dashed, NULL, n_curves);
  _rf_plot_end (cr);
}

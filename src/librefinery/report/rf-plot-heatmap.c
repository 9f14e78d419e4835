#define G_LOG_DOMAIN "rf-plot-heatmap"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "rf-plot-private.h"

/* Diverging map: blue at 0, light grey at 0.5, red at 1 (ColorBrewer's
 * RdBu ends). */
static void
diverging (double  t,
           double *r,
           double *g,
           double *b)
{
  static const double low[3] = { 0.13, 0.40, 0.67 }, mid[3] = { 0.95, 0.95, 0.95 }, high[3] = { 0.70, 0.09, 0.17 };
  const double *from = t < 0.5 ? low : mid, *to = t < 0.5 ? mid : high;
  double u = t < 0.5 ? t / 0.5 : (t - 0.5) / 0.5;

  u = CLAMP (u, 0.0, 1.0);
  *r = from[0] + (to[0] - from[0]) * u;
  *g = from[1] + (to[1] - from[1]) * u;
  *b = from[2] + (to[2] - from[2]) * u;
}

static double
position (double value,
          double vmin,
          double vmax)
{
  return vmax > vmin ? CLAMP ((value - vmin) / (vmax - vmin), 0.0, 1.0) : 0.5;
}

void
rf_plot_heatmap (cairo_t                 *cr,
                 const cairo_rectangle_t *area,
                 const char              *title,
                 const char * const      *labels,
                 guint                    n,
                 const double            *matrix,
                 double                   vmin,
                 double                   vmax)
{
  double top, label_w = 0, w, h, text_h, cell, grid_x, grid_y, bar_x, bar_w = 12, bar_label_w = 0;
  double avail_w, avail_h, ticks[RF_PLOT_MAX_TICKS], step;
  double bottom = area != NULL ? area->y + area->height - RF_PLOT_MARGIN : 0;
  guint n_ticks;
  char buffer[64];

  g_return_if_fail (cr != NULL && (matrix != NULL || n == 0));

  if (!_rf_plot_begin (cr, area, title, &top))
    return;
  if (n == 0 || !isfinite (vmin) || !isfinite (vmax))
    {
      _rf_plot_empty (cr, area->x, top, area->width, bottom - top);
      _rf_plot_end (cr);
      return;
    }
  if (!(vmax > vmin))
    {
      vmin -= 1.0;
      vmax += 1.0;
    }

  /* Labels take at most a quarter of the width each way. */
  _rf_plot_text_size (cr, "Mg", RF_PLOT_FONT_SIZE, FALSE, &w, &text_h);
  for (guint i = 0; i < n; i++)
    {
      _rf_plot_text_size (cr, labels != NULL && labels[i] != NULL ? labels[i] : "", RF_PLOT_FONT_SIZE, FALSE, &w, &h);
      label_w = MAX (label_w, w);
    }
  label_w = MIN (label_w, area->width * 0.25) + 4;
  n_ticks = rf_plot_nice_ticks (vmin, vmax, 5, ticks, &step);
  for (guint i = 0; i < n_ticks; i++)
    {
      _rf_plot_format_tick (ticks[i], step, buffer, sizeof buffer);
      _rf_plot_text_size (cr, buffer, RF_PLOT_FONT_SIZE, FALSE, &w, &h);
      bar_label_w = MAX (bar_label_w, w);
    }
  avail_w = area->width - 2 * RF_PLOT_MARGIN - label_w - (bar_w + bar_label_w + 18);
  /* Column labels run at 45°: they need about 0.72 of their width below. */
  avail_h = bottom - top - label_w * 0.72 - 4;
  cell = floor (MIN (avail_w, avail_h) / n);
  if (cell < 2)
    {
      _rf_plot_end (cr);
      return;
    }
  grid_x = area->x + RF_PLOT_MARGIN + label_w;
  grid_y = top;

  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      {
        double v = matrix[(gsize) i * n + j], x = grid_x + j * cell, y = grid_y + i * cell, r, g, b;

        if (!isfinite (v))
          {
            /* Hatched grey: undefined, e.g. a constant column. */
            cairo_set_source_rgb (cr, 0.85, 0.85, 0.85);
            cairo_rectangle (cr, x, y, cell, cell);
            cairo_fill (cr);
            cairo_save (cr);
            cairo_rectangle (cr, x, y, cell, cell);
            cairo_clip (cr);
            cairo_set_source_rgb (cr, 0.65, 0.65, 0.65);
            cairo_set_line_width (cr, 1.0);
            for (double d = -cell; d < cell; d += 5)
              {
                cairo_move_to (cr, x + d, y + cell);
                cairo_line_to (cr, x + d + cell, y);
              }
            cairo_stroke (cr);
            cairo_restore (cr);
            continue;
          }
        diverging (position (v, vmin, vmax), &r, &g, &b);
        cairo_set_source_rgb (cr, r, g, b);
        cairo_rectangle (cr, x, y, cell, cell);
        cairo_fill (cr);
        if (cell >= 30 && cell >= text_h * 1.6)
          {
            double luminance = 0.3 * r + 0.59 * g + 0.11 * b;

            g_snprintf (buffer, sizeof buffer, "%.2f", v);
            cairo_set_source_rgb (cr, luminance < 0.5 ? 1 : 0.1, luminance < 0.5 ? 1 : 0.1, luminance < 0.5 ? 1 : 0.1);
            _rf_plot_text (cr, buffer, x + cell / 2, y + cell / 2, MIN (RF_PLOT_FONT_SIZE, cell / 3), FALSE, 0.5, 0.5,
                           0.0, cell - 2);
          }
      }
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, grid_x + 0.5, grid_y + 0.5, n * cell - 1, n * cell - 1);
  cairo_stroke (cr);

  /* Labels, smaller when the cells are small. */
  {
    double size = MIN (RF_PLOT_FONT_SIZE, MAX (cell * 0.8, 5.0));

    cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
    for (guint i = 0; i < n; i++)
      {
        const char *label = labels != NULL && labels[i] != NULL ? labels[i] : "";

        _rf_plot_text (cr, label, grid_x - 4, grid_y + (i + 0.5) * cell, size, FALSE, 1.0, 0.5, 0.0, label_w - 4);
        _rf_plot_text (cr, label, grid_x + (i + 0.5) * cell + size * 0.3, grid_y + n * cell + 3, size, FALSE, 1.0, 0.0,
                       G_PI / 4, label_w - 4);
      }
  }

  /* Colour bar with ticks. */
  bar_x = grid_x + n * cell + 14;
  for (int k = 0; k < 100; k++)
    {
      double r, g, b, y = grid_y + n * cell * (1.0 - (k + 1) / 100.0);

      diverging ((k + 0.5) / 100.0, &r, &g, &b);
      cairo_set_source_rgb (cr, r, g, b);
      cairo_rectangle (cr, bar_x, y, bar_w, n * cell / 100.0 + 0.5);
      cairo_fill (cr);
    }
  cairo_set_source_rgb (cr, 0.5, 0.5, 0.5);
  cairo_rectangle (cr, bar_x + 0.5, grid_y + 0.5, bar_w - 1, n * cell - 1);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
  for (guint i = 0; i < n_ticks; i++)
    {
      double y = grid_y + n * cell * (1.0 - position (ticks[i], vmin, vmax));

      cairo_move_to (cr, bar_x + bar_w, round (y) + 0.5);
      cairo_line_to (cr, bar_x + bar_w + 3, round (y) + 0.5);
      cairo_stroke (cr);
      _rf_plot_format_tick (ticks[i], step, buffer, sizeof buffer);
      _rf_plot_text (cr, buffer, bar_x + bar_w + 5, y, RF_PLOT_FONT_SIZE, FALSE, 0.0, 0.5, 0.0, 0);
    }
  _rf_plot_end (cr);
}

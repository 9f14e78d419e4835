#define G_LOG_DOMAIN "rf-plot-frame"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "rf-plot-private.h"

/* Okabe–Ito: blue-grey stands in for black so that filled areas stay light. */
static const double role_colors[][3] = {
  [RF_PLOT_ROLE_REAL] = { 0.20, 0.29, 0.37 },
  [RF_PLOT_ROLE_SEED] = { 0.90, 0.62, 0.00 },
  [RF_PLOT_ROLE_REFINED] = { 0.00, 0.62, 0.45 },
  [RF_PLOT_ROLE_OTHER] = { 0.84, 0.37, 0.00 },
};

void
rf_plot_role_color (RfPlotRole  role,
                    double     *r,
                    double     *g,
                    double     *b)
{
  if ((guint) role > RF_PLOT_ROLE_OTHER)
    role = RF_PLOT_ROLE_OTHER;
  *r = role_colors[role][0];
  *g = role_colors[role][1];
  *b = role_colors[role][2];
}

void
_rf_plot_set_role (cairo_t    *cr,
                   RfPlotRole  role,
                   double      alpha)
{
  double r, g, b;

  rf_plot_role_color (role, &r, &g, &b);
  cairo_set_source_rgba (cr, r, g, b, alpha);
}

/* Text ------------------------------------------------------------------------- */

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *text,
             double      size,
             gboolean    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");

  /* Absolute size: in the surface's units, whatever its resolution. */
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_font_description_free (font);
  return layout;
}

void
_rf_plot_text_size (cairo_t    *cr,
                    const char *text,
                    double      size,
                    gboolean    bold,
                    double     *width,
                    double     *height)
{
  PangoLayout *layout = make_layout (cr, text, size, bold);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  *width = (double) logical.width / PANGO_SCALE;
  *height = (double) logical.height / PANGO_SCALE;
  g_object_unref (layout);
}

void
_rf_plot_text (cairo_t    *cr,
               const char *text,
               double      x,
               double      y,
               double      size,
               gboolean    bold,
               double      halign,
               double      valign,
               double      angle,
               double      max_width)
{
  PangoLayout *layout = make_layout (cr, text, size, bold);
  PangoRectangle logical;

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_extents (layout, NULL, &logical);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, -angle);
  cairo_move_to (cr, -halign * logical.width / PANGO_SCALE - (double) logical.x / PANGO_SCALE,
                 -valign * logical.height / PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
  g_object_unref (layout);
}

/* Ticks --------------------------------------------------------------------- */

guint
rf_plot_nice_ticks (double  lo,
                    double  hi,
                    guint   max_ticks,
                    double *ticks,
                    double *step)
{
  double range, rough, magnitude, norm, s, first;
  guint n = 0;

  *step = NAN;
  if (!isfinite (lo) || !isfinite (hi) || max_ticks < 2)
    return 0;
  if (hi < lo)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  range = hi - lo;
  /* A single value: a band around it. */
  if (!(range > fabs (hi) * 1e-12) || !isfinite (range))
    {
      double pad = MAX (fabs (lo) * 0.1, 1.0);
      lo -= pad;
      hi += pad;
      range = hi - lo;
      if (!isfinite (range))
        return 0;
    }
  rough = range / (max_ticks - 1);
  magnitude = pow (10.0, floor (log10 (rough)));
  norm = rough / magnitude;
  s = (norm <= 1.0 ? 1.0 : norm <= 2.0 ? 2.0 : norm <= 5.0 ? 5.0 : 10.0) * magnitude;
  first = ceil (lo / s - 1e-9) * s;
  for (double t = first; t <= hi + s * 1e-9 && n < max_ticks; t = first + n * s)
    ticks[n++] = fabs (t) < s * 1e-9 ? 0.0 : t;
  *step = s;
  return n;
}

void
_rf_plot_format_tick (double  value,
                      double  step,
                      char   *buffer,
                      gsize   size)
{
  int decimals = isfinite (step) && step > 0 ? (int) MAX (0.0, -floor (log10 (step) + 1e-9)) : 0;

  if (fabs (value) >= 1e6 || (value != 0.0 && fabs (value) < 1e-4) || decimals > 6)
    g_snprintf (buffer, size, "%.3g", value);
  else
    g_snprintf (buffer, size, "%.*f", decimals, value);
}

/* Frame ----------------------------------------------------------------------- */

gboolean
_rf_plot_begin (cairo_t                 *cr,
                const cairo_rectangle_t *area,
                const char              *title,
                double                  *top)
{
  if (area == NULL || !(area->width >= 80.0) || !(area->height >= 60.0))
    return FALSE;
  cairo_save (cr);
  cairo_rectangle (cr, area->x, area->y, area->width, area->height);
  cairo_clip (cr);
  cairo_new_path (cr);
  *top = area->y + RF_PLOT_MARGIN;
  if (title != NULL && *title != '\0')
    {
      double w, h;

      _rf_plot_text_size (cr, title, RF_PLOT_TITLE_SIZE, TRUE, &w, &h);
      cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
      _rf_plot_text (cr, title, area->x + area->width / 2, *top, RF_PLOT_TITLE_SIZE, TRUE, 0.5, 0.0, 0.0,
                     area->width - 2 * RF_PLOT_MARGIN);
      *top += h + RF_PLOT_MARGIN;
    }
  return TRUE;
}

void
_rf_plot_end (cairo_t *cr)
{
  cairo_restore (cr);
}

void
_rf_plot_empty (cairo_t *cr,
                double   x,
                double   y,
                double   width,
                double   height)
{
  cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
  _rf_plot_text (cr, "No data", x + width / 2, y + height / 2, RF_PLOT_FONT_SIZE, FALSE, 0.5, 0.5, 0.0, width);
}

double
_rf_plot_x (const RfPlotAxes *a,
            double            value)
{
  return a->left + (value - a->xmin) / (a->xmax - a->xmin) * (a->right - a->left);
}

double
_rf_plot_y (const RfPlotAxes *a,
            double            value)
{
  if (a->ylog)
    return a->bottom - (log10 (value) - log10 (a->ymin)) / (log10 (a->ymax) - log10 (a->ymin)) * (a->bottom - a->top);
  return a->bottom - (value - a->ymin) / (a->ymax - a->ymin) * (a->bottom - a->top);
}

/* Decades (and 2, 5 between them when there are few) in [lo, hi]. */
static guint
log_ticks (double  lo,
           double  hi,
           double *ticks)
{
  guint n = 0;
  int first = (int) floor (log10 (lo)), last = (int) ceil (log10 (hi));
  gboolean fine = last - first <= 2;

  for (int e = first; e <= last && n < RF_PLOT_MAX_TICKS; e++)
    for (int m = 1; m <= 5 && n < RF_PLOT_MAX_TICKS; m += (fine ? (m == 1 ? 1 : 3) : 10))
      {
        double t = m * pow (10.0, e);
        if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9))
          ticks[n++] = t;
      }
  return n;
}

void
_rf_plot_axes (cairo_t    *cr,
               RfPlotAxes *a,
               double      left,
               double      top,
               double      right,
               double      bottom,
               const char *xlabel,
               const char *ylabel)
{
  double xt[RF_PLOT_MAX_TICKS], yt[RF_PLOT_MAX_TICKS], xstep, ystep, label_w = 0, w, h, text_h;
  guint nx, ny, max_x;
  char buffer[64];

  _rf_plot_text_size (cr, "0", RF_PLOT_FONT_SIZE, FALSE, &w, &text_h);
  if (a->no_yticks)
    {
      ny = 0;
      ystep = NAN;
    }
  else if (a->ylog)
    {
      ny = log_ticks (a->ymin, a->ymax, yt);
      ystep = NAN;
    }
  else
    {
      ny = rf_plot_nice_ticks (a->ymin, a->ymax, 6, yt, &ystep);
      /* Let the range end on ticks. */
      if (ny > 0)
        {
          a->ymin = MIN (a->ymin, yt[0]);
          a->ymax = MAX (a->ymax, yt[ny - 1]);
        }
    }
  for (guint i = 0; i < ny; i++)
    {
      _rf_plot_format_tick (yt[i], a->ylog ? yt[i] : ystep, buffer, sizeof buffer);
      _rf_plot_text_size (cr, buffer, RF_PLOT_FONT_SIZE, FALSE, &w, &h);
      label_w = MAX (label_w, w);
    }
  a->left = left + (ylabel != NULL ? text_h + 4 : 0) + label_w + 6;
  a->right = right - 4;
  a->top = top + 4;
  a->bottom = bottom - text_h - 6 - (xlabel != NULL ? text_h + 4 : 0);
  if (a->right - a->left < 10 || a->bottom - a->top < 10)
    return;

  /* As many x ticks as fit their labels. */
  _rf_plot_format_tick (a->xmax, (a->xmax - a->xmin) / 5, buffer, sizeof buffer);
  _rf_plot_text_size (cr, buffer, RF_PLOT_FONT_SIZE, FALSE, &w, &h);
  max_x = (guint) CLAMP ((a->right - a->left) / (w + 14), 2, 10);
  nx = rf_plot_nice_ticks (a->xmin, a->xmax, max_x, xt, &xstep);

  cairo_set_line_width (cr, 1.0);
  /* Grid */
  cairo_set_source_rgb (cr, 0.90, 0.90, 0.90);
  for (guint i = 0; i < ny; i++)
    {
      double y = round (_rf_plot_y (a, yt[i])) + 0.5;
      cairo_move_to (cr, a->left, y);
      cairo_line_to (cr, a->right, y);
    }
  cairo_stroke (cr);
  /* Axes */
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  cairo_move_to (cr, a->left + 0.5, a->top);
  cairo_line_to (cr, a->left + 0.5, a->bottom + 0.5);
  cairo_line_to (cr, a->right, a->bottom + 0.5);
  cairo_stroke (cr);
  /* Labels */
  cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
  for (guint i = 0; i < ny; i++)
    {
      _rf_plot_format_tick (yt[i], a->ylog ? yt[i] : ystep, buffer, sizeof buffer);
      _rf_plot_text (cr, buffer, a->left - 5, _rf_plot_y (a, yt[i]), RF_PLOT_FONT_SIZE, FALSE, 1.0, 0.5, 0.0, 0);
    }
  for (guint i = 0; i < nx; i++)
    {
      double x = _rf_plot_x (a, xt[i]);

      if (x < a->left - 1 || x > a->right + 1)
        continue;
      cairo_move_to (cr, round (x) + 0.5, a->bottom);
      cairo_line_to (cr, round (x) + 0.5, a->bottom + 4);
      cairo_stroke (cr);
      _rf_plot_format_tick (xt[i], xstep, buffer, sizeof buffer);
      _rf_plot_text (cr, buffer, x, a->bottom + 5, RF_PLOT_FONT_SIZE, FALSE, 0.5, 0.0, 0.0, 0);
    }
  if (xlabel != NULL)
    _rf_plot_text (cr, xlabel, (a->left + a->right) / 2, bottom, RF_PLOT_FONT_SIZE, FALSE, 0.5, 1.0, 0.0,
                   a->right - a->left);
  if (ylabel != NULL)
    _rf_plot_text (cr, ylabel, left, (a->top + a->bottom) / 2, RF_PLOT_FONT_SIZE, FALSE, 0.5, 0.0, G_PI / 2,
                   a->bottom - a->top);
}

void
_rf_plot_legend (cairo_t            *cr,
                 const RfPlotAxes   *a,
                 const char * const *labels,
                 const RfPlotRole   *roles,
                 const gboolean     *dashed,
                 const gboolean     *filled,
                 guint               n)
{
  double width = 0, w, h = 0, x, y;
  const double dashes[] = { 5.0, 3.0 };

  for (guint i = 0; i < n; i++)
    {
      _rf_plot_text_size (cr, labels[i] != NULL ? labels[i] : "", RF_PLOT_FONT_SIZE, FALSE, &w, &h);
      width = MAX (width, w);
    }
  width = MIN (width + 26, (a->right - a->left) * 0.6);
  x = a->right - width - 6;
  y = a->top + 4;
  cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
  cairo_rectangle (cr, x - 4, y - 2, width + 8, n * (h + 2) + 4);
  cairo_fill (cr);
  for (guint i = 0; i < n; i++)
    {
      double cy = y + i * (h + 2) + h / 2;

      if (filled != NULL && filled[i])
        {
          _rf_plot_set_role (cr, roles[i], 0.45);
          cairo_rectangle (cr, x, cy - 5, 16, 10);
          cairo_fill_preserve (cr);
          _rf_plot_set_role (cr, roles[i], 1.0);
          cairo_set_line_width (cr, 1.0);
          cairo_stroke (cr);
        }
      else
        {
          _rf_plot_set_role (cr, roles[i], 1.0);
          cairo_set_line_width (cr, 2.0);
          cairo_set_dash (cr, dashes, dashed != NULL && dashed[i] ? 2 : 0, 0);
          cairo_move_to (cr, x, cy);
          cairo_line_to (cr, x + 16, cy);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      _rf_plot_text (cr, labels[i] != NULL ? labels[i] : "", x + 22, cy, RF_PLOT_FONT_SIZE, FALSE, 0.0, 0.5, 0.0,
                     width - 22);
    }
}

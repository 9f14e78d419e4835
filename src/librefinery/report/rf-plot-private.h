/* rf-plot-private.h: what the chart files share: text, ticks, axes, legend,
 * the chart frame. Sizes are in the surface's units. */
#pragma once

#include <pango/pangocairo.h>

#include "rf-plot.h"

G_BEGIN_DECLS

#define RF_PLOT_FONT_SIZE   11.0   /* tick labels, legends */
#define RF_PLOT_TITLE_SIZE  13.0
#define RF_PLOT_MARGIN       6.0
#define RF_PLOT_MAX_TICKS   16

/* Text at (x, y) aligned by halign/valign (0 left/top, 0.5 centre, 1
 * right/bottom), rotated by angle (radians, counter-clockwise about the
 * anchor); max_width > 0 ellipsises at the end. */
void     _rf_plot_text       (cairo_t    *cr,
                              const char *text,
                              double      x,
                              double      y,
                              double      size,
                              gboolean    bold,
                              double      halign,
                              double      valign,
                              double      angle,
                              double      max_width);
void     _rf_plot_text_size  (cairo_t    *cr,
                              const char *text,
                              double      size,
                              gboolean    bold,
                              double     *width,
                              double     *height);

/* A tick value as text, with the decimals the step needs. */
void     _rf_plot_format_tick (double     value,
                              double      step,
                              char       *buffer,
                              gsize       size);

void     _rf_plot_set_role   (cairo_t    *cr,
                              RfPlotRole  role,
                              double      alpha);

/* A chart's frame: the data range and where it lands. */
typedef struct
{
  double   left, top, right, bottom;   /* the plotting area, in units */
  double   xmin, xmax, ymin, ymax;
  gboolean ylog;
  gboolean no_yticks;                  /* categories instead (bar charts) */
} RfPlotAxes;

double   _rf_plot_x          (const RfPlotAxes *axes,
                              double            value);
double   _rf_plot_y          (const RfPlotAxes *axes,
                              double            value);

/* Saves the state, clips to area and draws the title; FALSE (nothing
 * drawn, state restored) when area is too small for a chart. *top: where
 * the content starts. Pair with _rf_plot_end. */
gboolean _rf_plot_begin      (cairo_t                 *cr,
                              const cairo_rectangle_t *area,
                              const char              *title,
                              double                  *top);
void     _rf_plot_end        (cairo_t                 *cr);

/* Places the plotting area inside [area left .. right, top .. bottom],
 * leaving room for tick labels and axis labels, then draws grid, ticks and
 * labels. ylog: decades as ticks. */
void     _rf_plot_axes       (cairo_t          *cr,
                              RfPlotAxes       *axes,
                              double            left,
                              double            top,
                              double            right,
                              double            bottom,
                              const char       *xlabel,
                              const char       *ylabel);

/* A legend of n entries in the top right corner of the plotting area:
 * a filled box or a line (dashed or not) in the role's colour. */
void     _rf_plot_legend     (cairo_t            *cr,
                              const RfPlotAxes   *axes,
                              const char * const *labels,
                              const RfPlotRole   *roles,
                              const gboolean     *dashed,
                              const gboolean     *filled,
                              guint               n);

/* "No data" centred in the area. */
void     _rf_plot_empty      (cairo_t    *cr,
                              double      x,
                              double      y,
                              double      width,
                              double      height);

G_END_DECLS

/* rf-plot.h: the charts of Refinery, drawn once for every surface.
 *
 * Each function draws one chart into a rectangle of any cairo context: the
 * app's chart widgets call them from their snapshot, the PDF report and the
 * PNG exports on surfaces of their own (DESIGN.md "Layers"). They save and
 * restore the cairo state, clip to the rectangle, draw no background (the
 * caller's shows through) and draw nothing at all in a rectangle too small
 * to hold a readable chart. Text goes through PangoCairo in the size of the
 * surface's units (1/96 inch on screen, 1/72 inch in a PDF: the same look).
 *
 * Colours come by role, from the Okabe–Ito palette, which stays apart for
 * colour-blind readers and in grey print: real data dark blue-grey, seed
 * synthetic orange, refined synthetic bluish green, other vermillion.
 * Values that are NaN or infinite are left out; an empty chart says so.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  RF_PLOT_ROLE_REAL,
  RF_PLOT_ROLE_SEED,
  RF_PLOT_ROLE_REFINED,
  RF_PLOT_ROLE_OTHER,
} RfPlotRole;

typedef struct
{
  const char   *label;
  const double *values;
  gsize         n_values;
} RfPlotSeries;

/* Overlaid histograms of 1 to 4 series on shared bins, as densities so that
 * samples of different sizes compare; n_bins 0: Freedman–Diaconis on the
 * first series, from 10 to 60 bins. The first series is filled, the others
 * drawn as outlined steps. unit labels the x axis (NULL: "value"). The
 * legend is left out when the plot is narrower than 300 units, where it
 * would hide the bars: say which is which beside such a chart. */
void     rf_plot_histogram   (cairo_t                 *cr,
                              const cairo_rectangle_t *area,
                              const char              *title,
                              const char              *unit,
                              const RfPlotSeries      *series,
                              const RfPlotRole        *roles,
                              guint                    n_series,
                              guint                    n_bins);

/* An n × n matrix (row-major) with row and column labels, on a diverging
 * colour map from vmin (blue) through the middle (light grey) to vmax
 * (red), with a colour bar; NaN cells hatched; values written in the cells
 * when they fit. */
void     rf_plot_heatmap     (cairo_t                 *cr,
                              const cairo_rectangle_t *area,
                              const char              *title,
                              const char * const      *labels,
                              guint                    n,
                              const double            *matrix,
                              double                   vmin,
                              double                   vmax);

/* Loss curves over epochs: curve k's value i belongs to epoch first_epoch
 * + i + 1 (a refinement continues after its base's last epoch). Dashed
 * curves are validation losses. The y axis is logarithmic when every value
 * is positive and they span more than two decades. */
typedef struct
{
  const char   *label;
  const double *values;
  guint         n_values;
  guint         first_epoch;
  gboolean      dashed;
  RfPlotRole    role;
} RfPlotCurve;

void     rf_plot_loss_curves (cairo_t                 *cr,
                              const cairo_rectangle_t *area,
                              const char              *title,
                              const RfPlotCurve       *curves,
                              guint                    n_curves);

/* Grouped horizontal bars: one group per category, one bar per series, the
 * value at the end of each bar; reference (NaN: none) draws a dashed line,
 * e.g. a threshold. */
typedef struct
{
  const char   *label;
  const double *values;     /* n_categories values */
  RfPlotRole    role;
} RfPlotBarSeries;

void     rf_plot_bars        (cairo_t                 *cr,
                              const cairo_rectangle_t *area,
                              const char              *title,
                              const char              *value_label,
                              const char * const      *categories,
                              guint                    n_categories,
                              const RfPlotBarSeries   *series,
                              guint                    n_series,
                              double                   reference);

/* Draws a chart into a PNG of width × height units at scale (2 for a HiDPI
 * image of the same layout) on white, written through rf-atomic-file.
 * Errors name the path. */
typedef void (*RfPlotDrawFunc) (cairo_t                 *cr,
                                const cairo_rectangle_t *area,
                                gpointer                 data);

gboolean rf_plot_write_png   (const char              *path,
                              int                      width,
                              int                      height,
                              double                   scale,
                              RfPlotDrawFunc           draw,
                              gpointer                 data,
                              GError                 **error);

/* The colour of a role, components 0..1. */
void     rf_plot_role_color  (RfPlotRole               role,
                              double                  *r,
                              double                  *g,
                              double                  *b);

/* Up to max_ticks "nice" tick values (steps of 1, 2 or 5 × 10^k) covering
 * [lo, hi]; returns the count (0 for a non-finite range) and the step. */
guint    rf_plot_nice_ticks  (double                   lo,
                              double                   hi,
                              guint                    max_ticks,
                              double                  *ticks,
                              double                  *step);

G_END_DECLS

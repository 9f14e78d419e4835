/* Charts: tick choice, colours where the values put them, nothing outside
 * the rectangle, PNG round trips, and degenerate input. Pixels are checked,
 * never glyphs (fonts differ between machines). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-plot.h"
#include "rf-test-util.h"

typedef struct
{
  cairo_surface_t *surface;
  cairo_t *cr;
} Canvas;

static void
canvas_init (Canvas *c,
             int     width,
             int     height)
{
  c->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  c->cr = cairo_create (c->surface);
  cairo_set_source_rgb (c->cr, 1, 1, 1);
  cairo_paint (c->cr);
}

static void
canvas_clear (Canvas *c)
{
  g_assert_cmpint (cairo_status (c->cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (c->cr);
  cairo_surface_destroy (c->surface);
}

/* Pixel (x, y) as 0..255 components. */
static void
pixel (cairo_surface_t *s,
       int              x,
       int              y,
       int             *r,
       int             *g,
       int             *b,
       int             *a)
{
  const guint8 *row;
  guint32 p;

  cairo_surface_flush (s);
  row = cairo_image_surface_get_data (s) + (gsize) y * cairo_image_surface_get_stride (s);
  p = ((const guint32 *) row)[x];
  *a = (p >> 24) & 0xff;
  *r = (p >> 16) & 0xff;
  *g = (p >> 8) & 0xff;
  *b = p & 0xff;
}

static gboolean
near_color (cairo_surface_t *s,
            int              x,
            int              y,
            double           r,
            double           g,
            double           b,
            int              tolerance)
{
  int pr, pg, pb, pa;

  pixel (s, x, y, &pr, &pg, &pb, &pa);
  return abs (pr - (int) lround (r * 255)) <= tolerance && abs (pg - (int) lround (g * 255)) <= tolerance &&
         abs (pb - (int) lround (b * 255)) <= tolerance;
}

static guint
count_color (cairo_surface_t *s,
             double           r,
             double           g,
             double           b,
             int              tolerance)
{
  guint n = 0;

  for (int y = 0; y < cairo_image_surface_get_height (s); y++)
    for (int x = 0; x < cairo_image_surface_get_width (s); x++)
      n += near_color (s, x, y, r, g, b, tolerance);
  return n;
}

/* Ticks ------------------------------------------------------------------------ */

static void
assert_ticks (double        lo,
              double        hi,
              guint         max,
              const double *expected,
              guint         n_expected,
              double        expected_step)
{
  double ticks[32], step;
  guint n = rf_plot_nice_ticks (lo, hi, max, ticks, &step);

  g_assert_cmpuint (n, ==, n_expected);
  g_assert_cmpfloat (fabs (step - expected_step), <=, 1e-12 * expected_step);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (ticks[i] - expected[i]), <=, 1e-9 * expected_step);
}

static void
test_nice_ticks (void)
{
  const double unit[] = { 0, 0.2, 0.4, 0.6, 0.8, 1.0 };
  const double hundred[] = { 0, 20, 40, 60, 80, 100 };
  const double mixed[] = { 0, 5, 10 };
  const double negative[] = { -50, -40, -30, -20 };
  const double band[] = { 4, 4.5, 5, 5.5, 6 };
  const double tiny[] = { 1e-300, 1.5e-300, 2e-300 };
  double ticks[32], step;

  assert_ticks (0, 1, 6, unit, 6, 0.2);
  assert_ticks (0, 100, 6, hundred, 6, 20);
  assert_ticks (-3.7, 12.2, 6, mixed, 3, 5);
  assert_ticks (-52, -17, 6, negative, 4, 10);
  assert_ticks (-17, -52, 6, negative, 4, 10);       /* reversed */
  assert_ticks (5, 5, 6, band, 5, 0.5);              /* one value: a band of ±10 %, at least 1 */
  assert_ticks (1e-300, 2e-300, 3, tiny, 3, 5e-301);
  g_assert_cmpuint (rf_plot_nice_ticks (NAN, 1, 6, ticks, &step), ==, 0);
  g_assert_cmpuint (rf_plot_nice_ticks (0, INFINITY, 6, ticks, &step), ==, 0);
  g_assert_cmpuint (rf_plot_nice_ticks (-1e308, 1e308, 6, ticks, &step), ==, 0);   /* the range overflows */
  g_assert_cmpuint (rf_plot_nice_ticks (0, 1, 1, ticks, &step), ==, 0);
  g_assert_cmpuint (rf_plot_nice_ticks (-1e300, 1e300, 6, ticks, &step), <=, 6);
}

/* Histogram -------------------------------------------------------------------- */

static double uniform[1000];

static void
test_histogram_fill (void)
{
  Canvas c;
  cairo_rectangle_t area = { 0, 0, 400, 300 };
  RfPlotSeries s = { "real", uniform, 1000 };
  RfPlotRole role = RF_PLOT_ROLE_REAL;
  double r, g, b;

  for (int i = 0; i < 1000; i++)
    uniform[i] = (i + 0.5) / 1000.0;
  canvas_init (&c, 400, 300);
  rf_plot_histogram (c.cr, &area, NULL, "bar", &s, &role, 1, 10);
  /* Every bin holds a tenth: one flat block. Its inside is the role's
   * colour at 35 % over white. */
  rf_plot_role_color (RF_PLOT_ROLE_REAL, &r, &g, &b);
  g_assert_true (near_color (c.surface, 200, 200, 1 - 0.35 * (1 - r), 1 - 0.35 * (1 - g), 1 - 0.35 * (1 - b), 2));
  g_assert_true (near_color (c.surface, 300, 150, 1 - 0.35 * (1 - r), 1 - 0.35 * (1 - g), 1 - 0.35 * (1 - b), 2));
  /* Above the block (the density axis runs 8 % higher): white. */
  g_assert_true (near_color (c.surface, 200, 12, 1, 1, 1, 0));
  canvas_clear (&c);
}

static void
draw_histogram (cairo_t                 *cr,
                const cairo_rectangle_t *area,
                gpointer                 data)
{
  RfPlotSeries s[2] = { { "real", uniform, 1000 }, { "synthetic", uniform + 300, 700 } };
  RfPlotRole roles[2] = { RF_PLOT_ROLE_REAL, RF_PLOT_ROLE_REFINED };

  rf_plot_histogram (cr, area, "Title", "°C", s, roles, 2, 0);
}

/* A chart in a smaller rectangle leaves everything around it untouched. */
static void
test_stays_inside (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cairo_t *cr = cairo_create (s);
  cairo_rectangle_t area = { 50, 40, 300, 200 };
  guint touched_inside = 0;

  draw_histogram (cr, &area, NULL);
  for (int y = 0; y < 300; y++)
    for (int x = 0; x < 400; x++)
      {
        int r, g, b, a;
        gboolean inside = x >= 50 && x < 350 && y >= 40 && y < 240;

        pixel (s, x, y, &r, &g, &b, &a);
        if (!inside)
          g_assert_cmpint (a, ==, 0);
        else
          touched_inside += a != 0;
      }
  g_assert_cmpuint (touched_inside, >, 5000);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

/* Heatmap ------------------------------------------------------------------------ */

static void
test_heatmap_colors (void)
{
  Canvas c;
  cairo_rectangle_t area = { 0, 0, 500, 400 };
  const char *labels[] = { "a", "b" };
  const double m[] = { -1.0, 0.0, 1.0, NAN };

  canvas_init (&c, 500, 400);
  rf_plot_heatmap (c.cr, &area, "r", labels, 2, m, -1.0, 1.0);
  /* vmin: blue, the middle: light grey, vmax: red, NaN: hatched grey;
   * each cell is over 100 × 100 units (the colour bar adds a few). */
  g_assert_cmpuint (count_color (c.surface, 0.13, 0.40, 0.67, 1), >, 10000);
  g_assert_cmpuint (count_color (c.surface, 0.70, 0.09, 0.17, 1), >, 10000);
  g_assert_cmpuint (count_color (c.surface, 0.95, 0.95, 0.95, 1), >, 10000);
  g_assert_cmpuint (count_color (c.surface, 0.85, 0.85, 0.85, 1), >, 3000);
  g_assert_cmpuint (count_color (c.surface, 0.75, 0.75, 0.75, 23), >, 1000);   /* the hatching (antialiased) */
  canvas_clear (&c);
}

/* Loss curves ----------------------------------------------------------------------- */

static void
test_loss_rises (void)
{
  Canvas c;
  cairo_rectangle_t area = { 0, 0, 400, 300 };
  double rising[50], r, g, b, left = 0, right = 0;
  guint n_left = 0, n_right = 0;
  RfPlotCurve curve = { "train", rising, 50, 0, FALSE, RF_PLOT_ROLE_SEED };

  for (int i = 0; i < 50; i++)
    rising[i] = i;
  canvas_init (&c, 400, 300);
  rf_plot_loss_curves (c.cr, &area, NULL, &curve, 1);
  rf_plot_role_color (RF_PLOT_ROLE_SEED, &r, &g, &b);
  /* The curve's pixels (left of the legend's rows) lie lower on the left. */
  for (int y = 40; y < 300; y++)
    for (int x = 0; x < 400; x++)
      if (near_color (c.surface, x, y, r, g, b, 10))
        {
          if (x < 200)
            {
              left += y;
              n_left++;
            }
          else
            {
              right += y;
              n_right++;
            }
        }
  g_assert_cmpuint (n_left, >, 50);
  g_assert_cmpuint (n_right, >, 50);
  g_assert_cmpfloat (left / n_left, >, right / n_right + 50);
  canvas_clear (&c);
}

/* Bars ------------------------------------------------------------------------------ */

/* The longest run of the role's colour on row y. */
static int
run_length (cairo_surface_t *s,
            int              y,
            double           r,
            double           g,
            double           b)
{
  int best = 0, run = 0;

  for (int x = 0; x < cairo_image_surface_get_width (s); x++)
    {
      run = near_color (s, x, y, r, g, b, 3) ? run + 1 : 0;
      best = MAX (best, run);
    }
  return best;
}

static void
test_bar_lengths (void)
{
  Canvas c;
  cairo_rectangle_t area = { 0, 0, 500, 300 };
  const char *categories[] = { "one", "two" };
  const double values[] = { 1.0, 2.0 };
  RfPlotBarSeries series = { "value", values, RF_PLOT_ROLE_REFINED };
  double r, g, b;
  int first = 0, second = 0;

  canvas_init (&c, 500, 300);
  rf_plot_bars (c.cr, &area, NULL, "value", categories, 2, &series, 1, NAN);
  rf_plot_role_color (RF_PLOT_ROLE_REFINED, &r, &g, &b);
  /* 85 % of the colour over white. */
  r = 1 - 0.85 * (1 - r);
  g = 1 - 0.85 * (1 - g);
  b = 1 - 0.85 * (1 - b);
  for (int y = 0; y < 300; y++)
    {
      int length = run_length (c.surface, y, r, g, b);

      /* Each bar fills 80 % of its half of the plot, centred. */
      if (y < 120)
        first = MAX (first, length);
      else if (y >= 170)
        second = MAX (second, length);
    }
  g_test_message ("bars: %d and %d units", first, second);
  g_assert_cmpint (first, >, 50);
  g_assert_cmpint (abs (second - 2 * first), <=, 2);
  canvas_clear (&c);
}

/* PNG ---------------------------------------------------------------------------------- */

static void
test_png_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = rf_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "histogram.png", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "histogram.png", NULL);
  cairo_surface_t *back;
  Canvas c;
  cairo_rectangle_t area = { 0, 0, 320, 200 };

  g_assert_true (rf_plot_write_png (path, 320, 200, 1.0, draw_histogram, NULL, &error));
  g_assert_no_error (error);
  back = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (back), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (back), ==, 320);
  g_assert_cmpint (cairo_image_surface_get_height (back), ==, 200);
  canvas_init (&c, 320, 200);
  draw_histogram (c.cr, &area, NULL);
  for (int y = 0; y < 200; y += 7)
    for (int x = 0; x < 320; x += 5)
      {
        int r1, g1, b1, a1, r2, g2, b2, a2;

        pixel (back, x, y, &r1, &g1, &b1, &a1);
        pixel (c.surface, x, y, &r2, &g2, &b2, &a2);
        g_assert_cmpint (r1, ==, r2);
        g_assert_cmpint (g1, ==, g2);
        g_assert_cmpint (b1, ==, b2);
      }
  canvas_clear (&c);
  cairo_surface_destroy (back);

  /* HiDPI: twice the pixels. */
  g_assert_true (rf_plot_write_png (path, 320, 200, 2.0, draw_histogram, NULL, &error));
  back = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_image_surface_get_width (back), ==, 640);
  cairo_surface_destroy (back);

  g_assert_false (rf_plot_write_png (bad, 320, 200, 1.0, draw_histogram, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (rf_plot_write_png (path, 0, 200, 1.0, draw_histogram, NULL, &error));
  g_assert_nonnull (error);
  rf_test_remove_tree (dir);
}

/* Degenerate input --------------------------------------------------------------------- */

static void
test_degenerate (void)
{
  Canvas c;
  cairo_rectangle_t area = { 0, 0, 300, 200 }, tiny = { 10, 10, 30, 20 };
  const double nan_values[] = { NAN, INFINITY, -INFINITY };
  const double one[] = { 42.0 }, constant[] = { 7, 7, 7, 7 }, huge[] = { -1e300, 1e300 };
  const double matrix[] = { 1.0 };
  const char *label[] = { "a very long column name that does not fit anywhere at all" };
  RfPlotSeries empty = { "x", NULL, 0 }, all_nan = { "x", nan_values, 3 }, single = { "x", one, 1 };
  RfPlotSeries flat = { "x", constant, 4 }, wide = { "x", huge, 2 };
  RfPlotCurve curve = { "c", nan_values, 3, 0, TRUE, RF_PLOT_ROLE_OTHER };
  RfPlotCurve point = { "c", one, 1, 5, FALSE, RF_PLOT_ROLE_OTHER };
  RfPlotBarSeries bars = { "b", nan_values, RF_PLOT_ROLE_SEED };
  int r, g, b, a;

  canvas_init (&c, 300, 200);
  rf_plot_histogram (c.cr, &area, "t", NULL, &empty, NULL, 1, 0);
  rf_plot_histogram (c.cr, &area, "t", NULL, &all_nan, NULL, 1, 0);
  rf_plot_histogram (c.cr, &area, "t", NULL, &single, NULL, 1, 0);
  rf_plot_histogram (c.cr, &area, "t", NULL, &flat, NULL, 1, 5);
  rf_plot_histogram (c.cr, &area, "t", NULL, &wide, NULL, 1, 0);
  rf_plot_histogram (c.cr, &area, "t", NULL, NULL, NULL, 0, 0);
  rf_plot_heatmap (c.cr, &area, "t", label, 1, matrix, -1, 1);
  rf_plot_heatmap (c.cr, &area, "t", NULL, 0, NULL, -1, 1);
  rf_plot_heatmap (c.cr, &area, "t", label, 1, matrix, 3, 3);
  rf_plot_heatmap (c.cr, &area, "t", label, 1, matrix, NAN, 1);
  rf_plot_loss_curves (c.cr, &area, "t", &curve, 1);
  rf_plot_loss_curves (c.cr, &area, "t", &point, 1);
  rf_plot_loss_curves (c.cr, &area, "t", NULL, 0);
  rf_plot_bars (c.cr, &area, "t", "v", label, 1, &bars, 1, NAN);
  rf_plot_bars (c.cr, &area, "t", "v", NULL, 0, NULL, 0, 0.5);
  g_assert_cmpint (cairo_status (c.cr), ==, CAIRO_STATUS_SUCCESS);
  canvas_clear (&c);

  /* Too small to be readable: nothing at all. */
  canvas_init (&c, 60, 40);
  cairo_set_operator (c.cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (c.cr);
  cairo_set_operator (c.cr, CAIRO_OPERATOR_OVER);
  rf_plot_histogram (c.cr, &tiny, "t", NULL, &single, NULL, 1, 0);
  rf_plot_heatmap (c.cr, &tiny, "t", label, 1, matrix, -1, 1);
  rf_plot_loss_curves (c.cr, &tiny, "t", &point, 1);
  for (int y = 0; y < 40; y++)
    for (int x = 0; x < 60; x++)
      {
        pixel (c.surface, x, y, &r, &g, &b, &a);
        g_assert_cmpint (a, ==, 0);
      }
  canvas_clear (&c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rf/plot/nice-ticks", test_nice_ticks);
  g_test_add_func ("/rf/plot/histogram-fill", test_histogram_fill);
  g_test_add_func ("/rf/plot/stays-inside", test_stays_inside);
  g_test_add_func ("/rf/plot/heatmap-colors", test_heatmap_colors);
  g_test_add_func ("/rf/plot/loss-rises", test_loss_rises);
  g_test_add_func ("/rf/plot/bar-lengths", test_bar_lengths);
  g_test_add_func ("/rf/plot/png-round-trip", test_png_round_trip);
  g_test_add_func ("/rf/plot/degenerate", test_degenerate);
  return g_test_run ();
}

#define G_LOG_DOMAIN "rf-plot-png"

#include "config.h"

#include "rf-atomic-file.h"
#include "rf-error.h"
#include "rf-plot.h"

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

gboolean
rf_plot_write_png (const char     *path,
                   int             width,
                   int             height,
                   double          scale,
                   RfPlotDrawFunc  draw,
                   gpointer        data,
                   GError        **error)
{
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autofree char *display = NULL;
  cairo_rectangle_t area = { 0, 0, width, height };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (path != NULL && draw != NULL, FALSE);

  display = g_filename_display_name (path);
  if (width < 1 || height < 1 || !(scale >= 0.25 && scale <= 8) || width * scale > 16384 || height * scale > 16384)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID,
                   "Cannot draw %s: %d × %d at scale %g is not a picture size (1 to 16384 pixels a side)",
                   display, width, height, scale);
      return FALSE;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) (width * scale), (int) (height * scale));
  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  draw (cr, &area, data);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, png);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FAILED, "Cannot draw %s: %s", display,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return rf_atomic_write_contents (path, png->data, png->len, error);
}

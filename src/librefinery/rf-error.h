/* rf-error.h: the one error domain of the core library.
 *
 * Every recoverable failure (bad input, I/O, limits) is a GError in RF_ERROR
 * whose message says what went wrong, where (file, row, column) and what the
 * user can do about it. Cancellation uses G_IO_ERROR / G_IO_ERROR_CANCELLED,
 * as GCancellable does everywhere in GLib.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RF_ERROR (rf_error_quark ())

typedef enum
{
  RF_ERROR_FAILED,      /* anything that fits no better code */
  RF_ERROR_IO,          /* a file could not be opened, read or written */
  RF_ERROR_PARSE,       /* the content is malformed (quote, syntax, structure) */
  RF_ERROR_ENCODING,    /* text is not valid in its (detected) encoding */
  RF_ERROR_FORMAT,      /* the file is not in a format we read, or its extension lies */
  RF_ERROR_TOO_LARGE,   /* over a configured size or row limit */
  RF_ERROR_EMPTY,       /* no data where data is required */
  RF_ERROR_INVALID,     /* a value or a document is well-formed but not acceptable */
  RF_ERROR_NOT_FOUND,   /* a named thing (machine, column, file) does not exist */
  RF_ERROR_EXISTS,      /* a thing that must be new already exists */
} RfError;

GQuark rf_error_quark (void);

G_END_DECLS

/* rf-column.h: one typed column of an RfTable.
 *
 * The layout is close to Arrow's, so that Parquet I/O and numeric code can
 * work on flat arrays:
 *
 *   DOUBLE     values.f64[n_rows]
 *   INT64      values.i64[n_rows]
 *   TIMESTAMP  values.i64[n_rows]   microseconds since 1970-01-01T00:00:00Z
 *   BOOL       values.u8[n_rows]    0 or 1 (one byte per value, not bit-packed)
 *   STRING     offsets[n_rows + 1] into bytes[]; value i is
 *              bytes[offsets[i] .. offsets[i+1]), UTF-8, not NUL-terminated
 *
 * Missing values are a validity bitmap (bit i of validity[i / 8], LSB first,
 * set = present). validity == NULL means "no value is missing": most sensor
 * columns never pay for it. The value slot of a missing entry is zero (or an
 * empty string) and means nothing.
 *
 * The struct is public so that hot loops (readers, the model) can read the
 * arrays directly; change a column only through the functions below, which
 * keep the invariants (capacity, offsets, bitmap, n_missing).
 *
 * RfColumn is reference counted and not thread-safe to mutate; readers that
 * work in parallel build one column per thread and join them with
 * rf_column_append_column().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RF_COLUMN_DOUBLE,
  RF_COLUMN_INT64,
  RF_COLUMN_BOOL,
  RF_COLUMN_STRING,
  RF_COLUMN_TIMESTAMP,
} RfColumnType;

#define RF_COLUMN_N_TYPES (RF_COLUMN_TIMESTAMP + 1)

/* What a column means to the workflow (set by mapping, kept in files). */
typedef enum
{
  RF_ROLE_SENSOR,
  RF_ROLE_TIMESTAMP,
  RF_ROLE_RUL,
  RF_ROLE_UNIT_ID,
  RF_ROLE_CATEGORY,
  RF_ROLE_AUX,
} RfColumnRole;

#define RF_COLUMN_N_ROLES (RF_ROLE_AUX + 1)

typedef struct _RfColumn RfColumn;

struct _RfColumn
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public, read-only >*/
  char *name;          /* never NULL */
  char *unit;          /* NULL when unknown */
  RfColumnType type;
  RfColumnRole role;
  gsize n_rows;
  gsize n_missing;     /* number of cleared validity bits */

  union
  {
    double *f64;
    gint64 *i64;
    guint8 *u8;
    gpointer data;
  } values;            /* NULL for STRING */

  guint64 *offsets;    /* STRING only: n_rows + 1 entries, offsets[0] == 0 */
  char *bytes;         /* STRING only */
  gsize n_bytes;       /* STRING only: == offsets[n_rows] */

  guint8 *validity;    /* NULL while nothing is missing */

  /*< private >*/
  gsize capacity;       /* rows the arrays can hold */
  gsize bytes_capacity; /* STRING only */
  gsize values_mapped;  /* bytes of the values' own mapping; 0: from malloc */
};

RfColumn     *rf_column_new             (const char   *name,
                                         RfColumnType  type);
RfColumn     *rf_column_new_sized       (const char   *name,
                                         RfColumnType  type,
                                         gsize         reserve_rows);
RfColumn     *rf_column_ref             (RfColumn     *column);
void          rf_column_unref           (RfColumn     *column);
RfColumn     *rf_column_copy            (const RfColumn *column);

void          rf_column_set_name        (RfColumn     *column,
                                         const char   *name);
void          rf_column_set_unit        (RfColumn     *column,
                                         const char   *unit);
void          rf_column_set_role        (RfColumn     *column,
                                         RfColumnRole  role);

/* Grow capacity so that n_rows + extra_rows fit (and, for strings,
 * n_bytes + extra_bytes) without further allocation. */
void          rf_column_reserve         (RfColumn     *column,
                                         gsize         extra_rows,
                                         gsize         extra_bytes);

/* Appending. The typed appends must match the column's type (programming
 * error otherwise); append_null works for every type. */
void          rf_column_append_double   (RfColumn     *column,
                                         double        value);
void          rf_column_append_int64    (RfColumn     *column,
                                         gint64        value);
void          rf_column_append_bool     (RfColumn     *column,
                                         gboolean      value);
void          rf_column_append_timestamp(RfColumn     *column,
                                         gint64        usec_since_epoch);
void          rf_column_append_string   (RfColumn     *column,
                                         const char   *value,
                                         gssize        length);
void          rf_column_append_null     (RfColumn     *column);
/* Append n present values at once: doubles to a DOUBLE column, int64
 * values to an INT64 or TIMESTAMP column (what hot loops that make whole
 * blocks of values use). */
void          rf_column_append_doubles  (RfColumn     *column,
                                         const double *values,
                                         gsize         n);
void          rf_column_append_int64s   (RfColumn     *column,
                                         const gint64 *values,
                                         gsize         n);
/* Filling a column in place, from several threads at once: append n
 * present rows with zero values (strings: empty) first, then write
 * values.f64 / i64 / u8 of disjoint row ranges directly; nothing moves
 * until the next append. On a new column the memory comes zeroed from the
 * system and is not touched here, so the writers take the page faults, in
 * parallel. */
void          rf_column_append_zeros    (RfColumn     *column,
                                         gsize         n);
/* Creates the validity bitmap now (every row present), so that in-place
 * writers can mark rows missing with rf_column_mark_missing_in_place();
 * threads must then own whole bitmap bytes (row ranges starting at a
 * multiple of 8). Afterwards rf_column_recount_missing() sets n_missing
 * and drops a bitmap with nothing missing. */
void          rf_column_prepare_validity(RfColumn     *column);
void          rf_column_recount_missing (RfColumn     *column);

/* The value slot must be zeroed by the caller, as for every missing row. */
static inline void
rf_column_mark_missing_in_place (RfColumn *column,
                                 gsize     row)
{
  column->validity[row >> 3] &= (guint8) ~(1u << (row & 7));
}

/* A new column (same name, type, unit, role) holding src's rows
 * rows[0], rows[1], ... rows[n - 1], in that order; rows may repeat. Every
 * index must be < src->n_rows. What sorting, filtering and shuffling use. */
RfColumn     *rf_column_take_rows       (const RfColumn *src,
                                         const gsize  *rows,
                                         gsize         n);

/* Append every row of src (same type) to column. */
void          rf_column_append_column   (RfColumn     *column,
                                         const RfColumn *src);

/* Marks row i missing (sets its value slot to zero; strings keep their bytes
 * but are reported missing). */
void          rf_column_set_null        (RfColumn     *column,
                                         gsize         row);

static inline gboolean
rf_column_is_valid (const RfColumn *column,
                    gsize           row)
{
  return column->validity == NULL || (column->validity[row >> 3] >> (row & 7)) & 1;
}

/* Typed getters: row must be < n_rows; a missing row returns 0 / "". */
double        rf_column_get_double      (const RfColumn *column,
                                         gsize           row);
gint64        rf_column_get_int64       (const RfColumn *column,
                                         gsize           row);
gboolean      rf_column_get_bool        (const RfColumn *column,
                                         gsize           row);
/* Not NUL-terminated: use *length. */
const char   *rf_column_get_string      (const RfColumn *column,
                                         gsize           row,
                                         gsize          *length);
/* Any numeric type (double, int64, bool, timestamp as seconds) as a double;
 * NAN for missing rows and strings. */
double        rf_column_get_as_double   (const RfColumn *column,
                                         gsize           row);

/* Human-readable text of one value, appended to out ("" for missing):
 * doubles in shortest round-trip form, timestamps as ISO 8601 UTC. */
void          rf_column_format_value    (const RfColumn *column,
                                         gsize           row,
                                         GString        *out);

/* Summary over present values of a numeric column (double, int64, bool,
 * timestamp: the latter in microseconds). Returns FALSE when there are none
 * or the column is a string column. */
gboolean      rf_column_numeric_summary (const RfColumn *column,
                                         double         *min,
                                         double         *max,
                                         double         *mean);

gboolean      rf_column_type_is_numeric (RfColumnType  type);
const char   *rf_column_type_to_string  (RfColumnType  type);
gboolean      rf_column_type_from_string(const char   *text,
                                         RfColumnType *type);
const char   *rf_column_role_to_string  (RfColumnRole  role);
gboolean      rf_column_role_from_string(const char   *text,
                                         RfColumnRole *role);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfColumn, rf_column_unref)

G_END_DECLS

#define G_LOG_DOMAIN "rf-column"

#include "config.h"

#include <sys/mman.h>

#include <math.h>
#include <string.h>

#include "rf-column.h"
#include "rf-timestamp.h"

static const char *type_names[RF_COLUMN_N_TYPES] = {
  [RF_COLUMN_DOUBLE] = "double",
  [RF_COLUMN_INT64] = "int64",
  [RF_COLUMN_BOOL] = "bool",
  [RF_COLUMN_STRING] = "string",
  [RF_COLUMN_TIMESTAMP] = "timestamp",
};

static const char *role_names[RF_COLUMN_N_ROLES] = {
  [RF_ROLE_SENSOR] = "sensor",
  [RF_ROLE_TIMESTAMP] = "timestamp",
  [RF_ROLE_RUL] = "rul",
  [RF_ROLE_UNIT_ID] = "unit_id",
  [RF_ROLE_CATEGORY] = "category",
  [RF_ROLE_AUX] = "aux",
};

static void free_values (RfColumn *column);

static gsize
value_size (RfColumnType type)
{
  switch (type)
    {
    case RF_COLUMN_DOUBLE:
      return sizeof (double);
    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      return sizeof (gint64);
    case RF_COLUMN_BOOL:
      return 1;
    case RF_COLUMN_STRING:
    default:
      return 0;
    }
}

RfColumn *
rf_column_new_sized (const char   *name,
                     RfColumnType  type,
                     gsize         reserve_rows)
{
  RfColumn *column;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (type < RF_COLUMN_N_TYPES, NULL);

  column = g_new0 (RfColumn, 1);
  g_atomic_ref_count_init (&column->ref_count);
  column->name = g_strdup (name);
  column->type = type;
  column->role = type == RF_COLUMN_TIMESTAMP ? RF_ROLE_TIMESTAMP
               : type == RF_COLUMN_STRING ? RF_ROLE_CATEGORY
               : RF_ROLE_SENSOR;
  if (type == RF_COLUMN_STRING)
    {
      column->offsets = g_new0 (guint64, 1);
      column->capacity = 0;
    }
  if (reserve_rows > 0)
    rf_column_reserve (column, reserve_rows, 0);
  return column;
}

RfColumn *
rf_column_new (const char   *name,
               RfColumnType  type)
{
  return rf_column_new_sized (name, type, 0);
}

RfColumn *
rf_column_ref (RfColumn *column)
{
  g_return_val_if_fail (column != NULL, NULL);
  g_atomic_ref_count_inc (&column->ref_count);
  return column;
}

void
rf_column_unref (RfColumn *column)
{
  g_return_if_fail (column != NULL);
  if (!g_atomic_ref_count_dec (&column->ref_count))
    return;
  g_free (column->name);
  g_free (column->unit);
  free_values (column);
  g_free (column->offsets);
  g_free (column->bytes);
  g_free (column->validity);
  g_free (column);
}

RfColumn *
rf_column_copy (const RfColumn *column)
{
  RfColumn *copy;

  g_return_val_if_fail (column != NULL, NULL);
  copy = rf_column_new_sized (column->name, column->type, column->n_rows);
  rf_column_set_unit (copy, column->unit);
  copy->role = column->role;
  rf_column_append_column (copy, column);
  return copy;
}

void
rf_column_set_name (RfColumn   *column,
                    const char *name)
{
  g_return_if_fail (column != NULL);
  g_return_if_fail (name != NULL);
  if (column->name != name)
    {
      g_free (column->name);
      column->name = g_strdup (name);
    }
}

void
rf_column_set_unit (RfColumn   *column,
                    const char *unit)
{
  g_return_if_fail (column != NULL);
  if (column->unit != unit)
    {
      g_free (column->unit);
      column->unit = (unit && *unit) ? g_strdup (unit) : NULL;
    }
}

void
rf_column_set_role (RfColumn     *column,
                    RfColumnRole  role)
{
  g_return_if_fail (column != NULL);
  g_return_if_fail (role < RF_COLUMN_N_ROLES);
  column->role = role;
}

/* Large arrays ask for transparent huge pages: filling a 200 MB table
 * otherwise takes 50,000 page faults, and on a virtual machine those cost a
 * fifth of the time of sampling a million rows. Advice only: it may be
 * ignored. */
static void
advise_huge_pages (gpointer data,
                   gsize    bytes)
{
#ifdef MADV_HUGEPAGE
  const guintptr huge = 2 * 1024 * 1024;
  guintptr start = ((guintptr) data + huge - 1) & ~(huge - 1);
  guintptr end = ((guintptr) data + bytes) & ~(huge - 1);

  if (bytes >= 4 * huge && end > start)
    madvise ((gpointer) start, end - start, MADV_HUGEPAGE);
#endif
}

/* Value arrays of 2 MiB and more get a mapping of their own, aligned to
 * 2 MiB and advised as huge pages: a 1M-row double column then costs 4
 * page faults instead of 2,000, which halves the time to read a large
 * Parquet file or sample a million rows on this kind of machine. (malloc
 * maps such sizes too, but 16 bytes off alignment and without advice.) The
 * memory comes zeroed, as new pages do. NULL when the system refuses. */
#define HUGE_PAGE ((gsize) 2 * 1024 * 1024)

static gpointer
map_values (gsize bytes)
{
  gsize span = bytes + HUGE_PAGE;
  guint8 *raw, *start;

  raw = mmap (NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED)
    return NULL;
  /* Keep the aligned part; give the head and the tail back. */
  start = (guint8 *) (((guintptr) raw + HUGE_PAGE - 1) & ~(guintptr) (HUGE_PAGE - 1));
  if (start > raw)
    munmap (raw, (gsize) (start - raw));
  if (raw + span > start + bytes)
    munmap (start + bytes, (gsize) (raw + span - (start + bytes)));
#ifdef MADV_HUGEPAGE
  madvise (start, bytes, MADV_HUGEPAGE);
#endif
  return start;
}

static void
free_values (RfColumn *column)
{
  if (column->values_mapped > 0)
    munmap (column->values.data, column->values_mapped);
  else
    g_free (column->values.data);
  column->values.data = NULL;
  column->values_mapped = 0;
}

/* Room for cap values, keeping the first column->n_rows; new memory is
 * zeroed when zeroed is TRUE. Large arrays go to their own mapping. */
static void
resize_values (RfColumn *column,
               gsize     cap,
               gboolean  zeroed)
{
  gsize size = value_size (column->type);
  gsize bytes = cap * size;

  if (bytes >= HUGE_PAGE)
    {
      gsize mapped = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
      gpointer values = map_values (mapped);

      if (values != NULL)
        {
          if (column->n_rows > 0)
            memcpy (values, column->values.data, column->n_rows * size);
          free_values (column);
          column->values.data = values;
          column->values_mapped = mapped;
          return;
        }
    }
  if (column->values_mapped > 0 || zeroed)
    {
      gpointer values = g_malloc0_n (cap, size);

      if (column->n_rows > 0)
        memcpy (values, column->values.data, column->n_rows * size);
      free_values (column);
      column->values.data = values;
      return;
    }
  column->values.data = g_realloc_n (column->values.data, cap, size);
}

static gsize
grown (gsize have,
       gsize need)
{
  gsize cap = MAX (have, 16);
  while (cap < need)
    cap = cap < G_MAXSIZE / 2 ? cap * 2 : need;
  return cap;
}

void
rf_column_reserve (RfColumn *column,
                   gsize     extra_rows,
                   gsize     extra_bytes)
{
  gsize need_rows, need_bytes;

  g_return_if_fail (column != NULL);

  need_rows = column->n_rows + extra_rows;
  if (need_rows > column->capacity)
    {
      gsize cap = grown (column->capacity, need_rows);
      if (column->type == RF_COLUMN_STRING)
        {
          column->offsets = g_renew (guint64, column->offsets, cap + 1);
          advise_huge_pages (column->offsets, (cap + 1) * sizeof (guint64));
        }
      else
        {
          resize_values (column, cap, FALSE);
        }
      if (column->validity != NULL)
        {
          gsize old_len = (column->capacity + 7) / 8;
          gsize new_len = (cap + 7) / 8;
          column->validity = g_realloc (column->validity, new_len);
          /* New rows are valid until marked otherwise. */
          memset (column->validity + old_len, 0xff, new_len - old_len);
        }
      column->capacity = cap;
    }

  if (column->type == RF_COLUMN_STRING)
    {
      need_bytes = column->n_bytes + extra_bytes;
      if (need_bytes > column->bytes_capacity)
        {
          gsize cap = grown (column->bytes_capacity, need_bytes);
          column->bytes = g_realloc (column->bytes, cap);
          advise_huge_pages (column->bytes, cap);
          column->bytes_capacity = cap;
        }
    }
}

static void
ensure_validity (RfColumn *column)
{
  if (column->validity == NULL)
    {
      gsize len = (MAX (column->capacity, 1) + 7) / 8;
      column->validity = g_malloc (len);
      memset (column->validity, 0xff, len);
    }
}

static inline void
make_room (RfColumn *column)
{
  if (G_UNLIKELY (column->n_rows == column->capacity))
    rf_column_reserve (column, 1, 0);
}

void
rf_column_append_double (RfColumn *column,
                         double    value)
{
  g_return_if_fail (column->type == RF_COLUMN_DOUBLE);
  make_room (column);
  column->values.f64[column->n_rows++] = value;
}

void
rf_column_append_int64 (RfColumn *column,
                        gint64    value)
{
  g_return_if_fail (column->type == RF_COLUMN_INT64);
  make_room (column);
  column->values.i64[column->n_rows++] = value;
}

void
rf_column_append_timestamp (RfColumn *column,
                            gint64    usec_since_epoch)
{
  g_return_if_fail (column->type == RF_COLUMN_TIMESTAMP);
  make_room (column);
  column->values.i64[column->n_rows++] = usec_since_epoch;
}

void
rf_column_append_zeros (RfColumn *column,
                        gsize     n)
{
  gsize size;

  g_return_if_fail (column != NULL);
  if (n == 0)
    return;

  size = value_size (column->type);
  if (column->type != RF_COLUMN_STRING && column->n_rows == 0 && column->capacity < n)
    {
      /* Fresh zeroed memory: large blocks are new pages the system zeroes
       * when first written, so nothing is touched twice. */
      resize_values (column, n, TRUE);
      if (column->validity != NULL)
        {
          column->validity = g_realloc (column->validity, (n + 7) / 8);
          memset (column->validity, 0xff, (n + 7) / 8);
        }
      column->capacity = n;
    }
  else
    {
      rf_column_reserve (column, n, 0);
      if (column->type == RF_COLUMN_STRING)
        for (gsize i = 1; i <= n; i++)
          column->offsets[column->n_rows + i] = column->n_bytes;
      else
        memset ((guint8 *) column->values.data + column->n_rows * size, 0, n * size);
    }
  column->n_rows += n;
}

/* Creates the bitmap (all present) the first time a value goes missing. */
static void ensure_validity (RfColumn *column);

void
rf_column_prepare_validity (RfColumn *column)
{
  g_return_if_fail (column != NULL);
  ensure_validity (column);
}

void
rf_column_recount_missing (RfColumn *column)
{
  gsize missing = 0;

  g_return_if_fail (column != NULL);
  if (column->validity == NULL)
    return;
  for (gsize byte = 0; byte < column->n_rows / 8; byte++)
    missing += 8 - (gsize) __builtin_popcount (column->validity[byte]);
  for (gsize row = column->n_rows & ~(gsize) 7; row < column->n_rows; row++)
    missing += !rf_column_is_valid (column, row);
  column->n_missing = missing;
  if (missing == 0)
    g_clear_pointer (&column->validity, g_free);
}

/* New rows past n_rows are valid in the bitmap already (rf_column_reserve
 * fills new capacity with present bits), so a block copy is all it takes. */
void
rf_column_append_doubles (RfColumn     *column,
                          const double *values,
                          gsize         n)
{
  g_return_if_fail (column->type == RF_COLUMN_DOUBLE);
  g_return_if_fail (values != NULL || n == 0);
  rf_column_reserve (column, n, 0);
  if (n > 0)
    memcpy (column->values.f64 + column->n_rows, values, n * sizeof (double));
  column->n_rows += n;
}

void
rf_column_append_int64s (RfColumn     *column,
                         const gint64 *values,
                         gsize         n)
{
  g_return_if_fail (column->type == RF_COLUMN_INT64 || column->type == RF_COLUMN_TIMESTAMP);
  g_return_if_fail (values != NULL || n == 0);
  rf_column_reserve (column, n, 0);
  if (n > 0)
    memcpy (column->values.i64 + column->n_rows, values, n * sizeof (gint64));
  column->n_rows += n;
}

void
rf_column_append_bool (RfColumn *column,
                       gboolean  value)
{
  g_return_if_fail (column->type == RF_COLUMN_BOOL);
  make_room (column);
  column->values.u8[column->n_rows++] = value ? 1 : 0;
}

void
rf_column_append_string (RfColumn   *column,
                         const char *value,
                         gssize      length)
{
  gsize len;

  g_return_if_fail (column->type == RF_COLUMN_STRING);
  len = value == NULL ? 0 : length < 0 ? strlen (value) : (gsize) length;
  rf_column_reserve (column, 1, len);
  if (len > 0)
    memcpy (column->bytes + column->n_bytes, value, len);
  column->n_bytes += len;
  column->n_rows++;
  column->offsets[column->n_rows] = column->n_bytes;
}

void
rf_column_set_null (RfColumn *column,
                    gsize     row)
{
  g_return_if_fail (column != NULL);
  g_return_if_fail (row < column->n_rows);

  if (!rf_column_is_valid (column, row))
    return;
  ensure_validity (column);
  column->validity[row >> 3] &= (guint8) ~(1u << (row & 7));
  column->n_missing++;
  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      column->values.f64[row] = 0.0;
      break;
    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      column->values.i64[row] = 0;
      break;
    case RF_COLUMN_BOOL:
      column->values.u8[row] = 0;
      break;
    case RF_COLUMN_STRING:
    default:
      break;
    }
}

void
rf_column_append_null (RfColumn *column)
{
  g_return_if_fail (column != NULL);

  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      rf_column_append_double (column, 0.0);
      break;
    case RF_COLUMN_INT64:
      rf_column_append_int64 (column, 0);
      break;
    case RF_COLUMN_TIMESTAMP:
      rf_column_append_timestamp (column, 0);
      break;
    case RF_COLUMN_BOOL:
      rf_column_append_bool (column, FALSE);
      break;
    case RF_COLUMN_STRING:
    default:
      rf_column_append_string (column, "", 0);
      break;
    }
  rf_column_set_null (column, column->n_rows - 1);
}

void
rf_column_append_column (RfColumn       *column,
                         const RfColumn *src)
{
  gsize base;

  g_return_if_fail (column != NULL);
  g_return_if_fail (src != NULL);
  g_return_if_fail (column->type == src->type);

  if (src->n_rows == 0)
    return;

  base = column->n_rows;
  rf_column_reserve (column, src->n_rows, src->n_bytes);

  if (column->type == RF_COLUMN_STRING)
    {
      guint64 shift = column->n_bytes;
      memcpy (column->bytes + column->n_bytes, src->bytes, src->n_bytes);
      for (gsize i = 1; i <= src->n_rows; i++)
        column->offsets[base + i] = src->offsets[i] + shift;
      column->n_bytes += src->n_bytes;
    }
  else
    {
      gsize size = value_size (column->type);
      memcpy ((char *) column->values.data + base * size, src->values.data, src->n_rows * size);
    }
  column->n_rows += src->n_rows;

  if (src->validity != NULL && src->n_missing > 0)
    {
      ensure_validity (column);
      for (gsize i = 0; i < src->n_rows; i++)
        if (!rf_column_is_valid (src, i))
          {
            gsize row = base + i;
            column->validity[row >> 3] &= (guint8) ~(1u << (row & 7));
          }
      column->n_missing += src->n_missing;
    }
}

RfColumn *
rf_column_take_rows (const RfColumn *src,
                     const gsize    *rows,
                     gsize           n)
{
  RfColumn *column;

  g_return_val_if_fail (src != NULL, NULL);
  g_return_val_if_fail (n == 0 || rows != NULL, NULL);

  column = rf_column_new_sized (src->name, src->type, n);
  rf_column_set_unit (column, src->unit);
  rf_column_set_role (column, src->role);
  if (src->type == RF_COLUMN_STRING)
    {
      gsize bytes = 0;

      for (gsize i = 0; i < n; i++)
        {
          g_return_val_if_fail (rows[i] < src->n_rows, column);
          bytes += src->offsets[rows[i] + 1] - src->offsets[rows[i]];
        }
      rf_column_reserve (column, n, bytes);
      for (gsize i = 0; i < n; i++)
        {
          guint64 start = src->offsets[rows[i]], end = src->offsets[rows[i] + 1];
          memcpy (column->bytes + column->n_bytes, src->bytes + start, end - start);
          column->n_bytes += end - start;
          column->offsets[i + 1] = column->n_bytes;
        }
    }
  else
    {
      gsize size = value_size (src->type);

      rf_column_reserve (column, n, 0);
      for (gsize i = 0; i < n; i++)
        {
          g_return_val_if_fail (rows[i] < src->n_rows, column);
          memcpy ((char *) column->values.data + i * size, (const char *) src->values.data + rows[i] * size, size);
        }
    }
  column->n_rows = n;
  if (src->validity != NULL && src->n_missing > 0)
    {
      ensure_validity (column);
      for (gsize i = 0; i < n; i++)
        if (!rf_column_is_valid (src, rows[i]))
          {
            column->validity[i >> 3] &= (guint8) ~(1u << (i & 7));
            column->n_missing++;
          }
      if (column->n_missing == 0)
        g_clear_pointer (&column->validity, g_free);
    }
  return column;
}

double
rf_column_get_double (const RfColumn *column,
                      gsize           row)
{
  g_return_val_if_fail (column->type == RF_COLUMN_DOUBLE, 0.0);
  g_return_val_if_fail (row < column->n_rows, 0.0);
  return column->values.f64[row];
}

gint64
rf_column_get_int64 (const RfColumn *column,
                     gsize           row)
{
  g_return_val_if_fail (column->type == RF_COLUMN_INT64 || column->type == RF_COLUMN_TIMESTAMP, 0);
  g_return_val_if_fail (row < column->n_rows, 0);
  return column->values.i64[row];
}

gboolean
rf_column_get_bool (const RfColumn *column,
                    gsize           row)
{
  g_return_val_if_fail (column->type == RF_COLUMN_BOOL, FALSE);
  g_return_val_if_fail (row < column->n_rows, FALSE);
  return column->values.u8[row] != 0;
}

const char *
rf_column_get_string (const RfColumn *column,
                      gsize           row,
                      gsize          *length)
{
  g_return_val_if_fail (column->type == RF_COLUMN_STRING, NULL);
  g_return_val_if_fail (row < column->n_rows, NULL);
  if (length != NULL)
    *length = column->offsets[row + 1] - column->offsets[row];
  return column->bytes != NULL ? column->bytes + column->offsets[row] : "";
}

double
rf_column_get_as_double (const RfColumn *column,
                         gsize           row)
{
  g_return_val_if_fail (row < column->n_rows, NAN);
  if (!rf_column_is_valid (column, row))
    return NAN;
  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      return column->values.f64[row];
    case RF_COLUMN_INT64:
      return (double) column->values.i64[row];
    case RF_COLUMN_TIMESTAMP:
      return (double) column->values.i64[row] / G_USEC_PER_SEC;
    case RF_COLUMN_BOOL:
      return column->values.u8[row];
    case RF_COLUMN_STRING:
    default:
      return NAN;
    }
}

/* The shortest "%.Ng" that reads back to the same double. */
static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    {
      g_string_append (out, "nan");
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value > 0 ? "inf" : "-inf");
      return;
    }
  for (int precision = 15; precision <= 17; precision++)
    {
      g_ascii_formatd (buf, sizeof buf, precision == 15 ? "%.15g" : precision == 16 ? "%.16g" : "%.17g",
                       value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

void
rf_column_format_value (const RfColumn *column,
                        gsize           row,
                        GString        *out)
{
  g_return_if_fail (column != NULL);
  g_return_if_fail (row < column->n_rows);
  g_return_if_fail (out != NULL);

  if (!rf_column_is_valid (column, row))
    return;

  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      append_double (out, column->values.f64[row]);
      break;
    case RF_COLUMN_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, column->values.i64[row]);
      break;
    case RF_COLUMN_TIMESTAMP:
      rf_timestamp_format (column->values.i64[row], out);
      break;
    case RF_COLUMN_BOOL:
      g_string_append (out, column->values.u8[row] ? "true" : "false");
      break;
    case RF_COLUMN_STRING:
    default:
      {
        gsize len;
        const char *s = rf_column_get_string (column, row, &len);
        g_string_append_len (out, s, len);
      }
      break;
    }
}

gboolean
rf_column_numeric_summary (const RfColumn *column,
                           double         *min,
                           double         *max,
                           double         *mean)
{
  double lo = INFINITY, hi = -INFINITY, sum = 0.0;
  gsize n = 0;

  g_return_val_if_fail (column != NULL, FALSE);

  if (!rf_column_type_is_numeric (column->type))
    return FALSE;

  for (gsize i = 0; i < column->n_rows; i++)
    {
      double v;

      if (!rf_column_is_valid (column, i))
        continue;
      v = column->type == RF_COLUMN_TIMESTAMP ? (double) column->values.i64[i]
                                              : rf_column_get_as_double (column, i);
      if (isnan (v))
        continue;
      lo = MIN (lo, v);
      hi = MAX (hi, v);
      sum += v;
      n++;
    }
  if (n == 0)
    return FALSE;
  if (min != NULL)
    *min = lo;
  if (max != NULL)
    *max = hi;
  if (mean != NULL)
    *mean = sum / (double) n;
  return TRUE;
}

gboolean
rf_column_type_is_numeric (RfColumnType type)
{
  return type != RF_COLUMN_STRING;
}

const char *
rf_column_type_to_string (RfColumnType type)
{
  g_return_val_if_fail (type < RF_COLUMN_N_TYPES, NULL);
  return type_names[type];
}

gboolean
rf_column_type_from_string (const char   *text,
                            RfColumnType *type)
{
  g_return_val_if_fail (text != NULL, FALSE);
  for (guint i = 0; i < RF_COLUMN_N_TYPES; i++)
    if (g_ascii_strcasecmp (text, type_names[i]) == 0)
      {
        if (type != NULL)
          *type = i;
        return TRUE;
      }
  return FALSE;
}

const char *
rf_column_role_to_string (RfColumnRole role)
{
  g_return_val_if_fail (role < RF_COLUMN_N_ROLES, NULL);
  return role_names[role];
}

gboolean
rf_column_role_from_string (const char   *text,
                            RfColumnRole *role)
{
  g_return_val_if_fail (text != NULL, FALSE);
  for (guint i = 0; i < RF_COLUMN_N_ROLES; i++)
    if (g_ascii_strcasecmp (text, role_names[i]) == 0)
      {
        if (role != NULL)
          *role = i;
        return TRUE;
      }
  return FALSE;
}

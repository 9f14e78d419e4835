#define G_LOG_DOMAIN "rf-duplicates"

#include "config.h"

#include <math.h>
#include <string.h>

#include "rf-duplicates.h"

static inline guint64
mix (guint64 h,
     guint64 v)
{
  /* a 64-bit multiply-xorshift step (the finaliser of splitmix64) */
  h ^= v + G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) + (h << 6) + (h >> 2);
  h ^= h >> 30;
  h *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  h ^= h >> 27;
  h *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return h ^ (h >> 31);
}

static inline guint64
double_bits (double value)
{
  guint64 bits;

  if (value == 0)
    value = 0;             /* −0 hashes as 0 */
  if (isnan (value))
    return G_GUINT64_CONSTANT (0x7ff8000000000000);
  memcpy (&bits, &value, sizeof bits);
  return bits;
}

static void
hash_column (const RfColumn *column,
             guint64        *hashes,
             gsize           start,
             gsize           end)
{
  for (gsize r = start; r < end; r++)
    {
      guint64 v;

      if (!rf_column_is_valid (column, r))
        v = G_GUINT64_CONSTANT (0x5bd1e9955bd1e995);
      else
        switch (column->type)
          {
          case RF_COLUMN_DOUBLE:
            v = double_bits (column->values.f64[r]);
            break;
          case RF_COLUMN_INT64:
          case RF_COLUMN_TIMESTAMP:
            v = (guint64) column->values.i64[r];
            break;
          case RF_COLUMN_BOOL:
            v = column->values.u8[r];
            break;
          case RF_COLUMN_STRING:
          default:
            {
              gsize length;
              const char *text = rf_column_get_string (column, r, &length);
              v = 1469598103934665603u;
              for (gsize i = 0; i < length; i++)
                v = (v ^ (guchar) text[i]) * 1099511628211u;
            }
            break;
          }
      hashes[r] = mix (hashes[r], v);
    }
}

static gboolean
values_equal (const RfColumn *column,
              gsize           a,
              gsize           b)
{
  gboolean va = rf_column_is_valid (column, a), vb = rf_column_is_valid (column, b);

  if (!va || !vb)
    return va == vb;
  switch (column->type)
    {
    case RF_COLUMN_DOUBLE:
      {
        double x = column->values.f64[a], y = column->values.f64[b];
        return x == y || (isnan (x) && isnan (y));
      }
    case RF_COLUMN_INT64:
    case RF_COLUMN_TIMESTAMP:
      return column->values.i64[a] == column->values.i64[b];
    case RF_COLUMN_BOOL:
      return column->values.u8[a] == column->values.u8[b];
    case RF_COLUMN_STRING:
    default:
      {
        gsize la, lb;
        const char *sa = rf_column_get_string (column, a, &la);
        const char *sb = rf_column_get_string (column, b, &lb);
        return la == lb && memcmp (sa, sb, la) == 0;
      }
    }
}

static gboolean
rows_equal (const RfTable *table,
            gsize          a,
            gsize          b)
{
  for (guint c = 0; c < rf_table_get_n_columns (table); c++)
    if (!values_equal (rf_table_get_column (table, c), a, b))
      return FALSE;
  return TRUE;
}

/* A row and the top half of its hash: 8 bytes, so the sort moves little.
 * Rows whose top halves agree are compared by full hash, then exactly. */
typedef struct
{
  guint32 hash_hi;
  guint32 row;
} Entry;

#define DIGIT_BITS 11
#define DIGIT_SIZE (1 << DIGIT_BITS)

/* Stable LSD radix sort of entries by hash_hi: three passes of 11 bits. */
static void
sort_entries (Entry *entries,
              gsize  n)
{
  g_autofree Entry *tmp = g_new (Entry, n);
  g_autofree gsize *counts = g_new0 (gsize, 3 * DIGIT_SIZE);
  Entry *src = entries, *dst = tmp;

  for (gsize i = 0; i < n; i++)
    for (int pass = 0; pass < 3; pass++)
      counts[pass * DIGIT_SIZE + ((entries[i].hash_hi >> (DIGIT_BITS * pass)) & (DIGIT_SIZE - 1))]++;
  for (int pass = 0; pass < 3; pass++)
    {
      gsize *c = counts + pass * DIGIT_SIZE, sum = 0;
      Entry *swap;

      for (gsize b = 0; b < DIGIT_SIZE; b++)
        {
          gsize v = c[b];
          c[b] = sum;
          sum += v;
        }
      for (gsize i = 0; i < n; i++)
        dst[c[(src[i].hash_hi >> (DIGIT_BITS * pass)) & (DIGIT_SIZE - 1)]++] = src[i];
      swap = src;
      src = dst;
      dst = swap;
    }
  if (src != entries)
    memcpy (entries, src, n * sizeof (Entry));
}

typedef struct
{
  const RfTable *table;
  guint64 *hashes;
  gsize n;
  gint next;
} HashWork;

/* Rows are hashed in blocks, each block through every column, so two
 * threads share the work; the hashes do not depend on how. */
#define HASH_BLOCK 65536

static gpointer
hash_worker (gpointer data)
{
  HashWork *work = data;

  for (;;)
    {
      gsize block = (gsize) g_atomic_int_add (&work->next, 1);
      gsize start = block * HASH_BLOCK, end;

      if (start >= work->n)
        return NULL;
      end = MIN (start + HASH_BLOCK, work->n);
      for (guint c = 0; c < rf_table_get_n_columns (work->table); c++)
        hash_column (rf_table_get_column (work->table, c), work->hashes, start, end);
    }
}

gsize
rf_table_mark_duplicates (const RfTable *table,
                          gboolean      *is_duplicate)
{
  gsize n = rf_table_get_n_rows (table);
  g_autofree guint64 *hashes = NULL;
  g_autofree Entry *entries = NULL;
  gsize duplicates = 0;

  g_return_val_if_fail (table != NULL, 0);
  g_return_val_if_fail (n == 0 || is_duplicate != NULL, 0);

  for (gsize r = 0; r < n; r++)
    is_duplicate[r] = FALSE;
  if (n < 2 || rf_table_get_n_columns (table) == 0)
    return 0;

  g_return_val_if_fail (n < G_MAXUINT32, 0);
  hashes = g_new0 (guint64, n);
  {
    HashWork work = { table, hashes, n, 0 };
    guint n_threads = MIN (MAX (g_get_num_processors (), 1), (guint) (n / HASH_BLOCK + 1));
    g_autofree GThread **threads = g_new0 (GThread *, n_threads);

    for (guint t = 1; t < n_threads; t++)
      threads[t] = g_thread_new ("rf-duplicates", hash_worker, &work);
    hash_worker (&work);
    for (guint t = 1; t < n_threads; t++)
      g_thread_join (threads[t]);
  }
  entries = g_new (Entry, n);
  for (gsize r = 0; r < n; r++)
    entries[r] = (Entry) { (guint32) (hashes[r] >> 32), (guint32) r };
  sort_entries (entries, n);

  /* within a run of equal hashes (rows ascending: the sort is stable),
   * compare each row with the run's earlier distinct rows */
  for (gsize start = 0; start < n;)
    {
      gsize end = start + 1;

      while (end < n && entries[end].hash_hi == entries[start].hash_hi)
        end++;
      for (gsize i = start + 1; i < end; i++)
        for (gsize j = start; j < i; j++)
          {
            if (is_duplicate[entries[j].row] || hashes[entries[j].row] != hashes[entries[i].row])
              continue;
            if (rows_equal (table, entries[j].row, entries[i].row))
              {
                is_duplicate[entries[i].row] = TRUE;
                duplicates++;
                break;
              }
          }
      start = end;
    }
  return duplicates;
}

#define G_LOG_DOMAIN "rf-csv-reader"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rf-csv-reader.h"
#include "rf-error.h"
#include "rf-infer.h"
#include "rf-text-decode.h"
#include "rf-value-parse.h"

#define DEFAULT_BLOCK_SIZE ((gsize) 16 << 20)
#define DEFAULT_MIN_SPLIT ((gsize) 1 << 20)
#define MAX_THREADS 8
#define HEAD_BYTES ((gsize) 1 << 20)   /* sniffed for encoding, dialect and types */
#define SNIFF_RECORDS 100               /* records that vote on the delimiter */
#define SAMPLE_RECORDS 1000             /* records that give the first type guess */
#define SAMPLE_FIELDS (1 << 20)         /* ... or fewer, for wide files */
#define PASS1_SHARE 0.9                 /* progress share of the first pass */
#define MAX_RECORD_BYTES ((gsize) 1 << 30)   /* one record, as the window grows to hold it */
#define MAX_COLUMNS 16384

/* ------------------------------------------------------------------------ */
/* Tokenizing */

typedef struct
{
  char delimiter;
  char decimal_mark;
  gboolean stop[256];     /* bytes that end an unquoted field */
} Dialect;

enum
{
  FIELD_QUOTED = 1 << 0,
  FIELD_ESCAPED = 1 << 1,   /* quoted, with "" inside */
  FIELD_RAW = 1 << 2,       /* "quoted" then more text: text..length is all of it */
};

typedef struct
{
  const char *text;
  gsize length;
  guint flags;
} Field;

typedef enum
{
  SCAN_OK,
  SCAN_NEED_MORE,        /* the field or record may go on past the text we have */
  SCAN_UNTERMINATED,     /* a quote opened and the text ended */
} ScanResult;

static void
dialect_init (Dialect *dialect,
              char     delimiter,
              char     decimal_mark)
{
  memset (dialect, 0, sizeof *dialect);
  dialect->delimiter = delimiter;
  dialect->decimal_mark = decimal_mark;
  dialect->stop[(guchar) delimiter] = TRUE;
  dialect->stop['\n'] = TRUE;
  dialect->stop['\r'] = TRUE;
}

/* Line breaks in text: LF, CRLF and a lone CR each count once. */
static guint64
count_breaks (const char *text,
              gsize       length)
{
  guint64 n = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '\n')
        n++;
      else if (text[i] == '\r' && (i + 1 == length || text[i + 1] != '\n'))
        n++;
    }
  return n;
}

/* Reads the field at *pp. On SCAN_OK *pp is at the delimiter or line break
 * after it, or at end (only when eof); line breaks inside quotes are added
 * to *breaks. */
static ScanResult
scan_field (const Dialect  *dialect,
            const char    **pp,
            const char     *end,
            gboolean        eof,
            Field          *field,
            guint64        *breaks)
{
  const char *p = *pp, *q;

  if (p < end && *p == '"')
    {
      const char *close;
      guint flags = FIELD_QUOTED;

      for (q = p + 1;;)
        {
          close = memchr (q, '"', (gsize) (end - q));
          if (close == NULL)
            return eof ? SCAN_UNTERMINATED : SCAN_NEED_MORE;
          if (close + 1 < end && close[1] == '"')
            {
              flags |= FIELD_ESCAPED;
              q = close + 2;
              continue;
            }
          if (close + 1 == end && !eof)
            return SCAN_NEED_MORE;   /* it may be the first half of "" */
          break;
        }
      *breaks += count_breaks (p + 1, (gsize) (close - (p + 1)));
      q = close + 1;
      if (q < end && !dialect->stop[(guchar) *q])
        {
          /* "ab"c: keep the text after the closing quote too */
          while (q < end && !dialect->stop[(guchar) *q])
            q++;
          if (q == end && !eof)
            return SCAN_NEED_MORE;
          field->text = p;
          field->length = (gsize) (q - p);
          field->flags = FIELD_RAW;
          *pp = q;
          return SCAN_OK;
        }
      field->text = p + 1;
      field->length = (gsize) (close - (p + 1));
      field->flags = flags;
      *pp = q;
      return SCAN_OK;
    }

  q = p;
  while (q < end && !dialect->stop[(guchar) *q])
    q++;
  if (q == end && !eof)
    return SCAN_NEED_MORE;
  field->text = p;
  field->length = (gsize) (q - p);
  field->flags = 0;
  *pp = q;
  return SCAN_OK;
}

/* The value of an escaped or raw field, appended to out. */
static void
append_unescaped (const Field *field,
                  GString     *out)
{
  const char *p = field->text, *end = p + field->length, *q;

  if (field->flags & FIELD_RAW)
    {
      for (p++;;)
        {
          q = memchr (p, '"', (gsize) (end - p));
          if (q == NULL)
            {
              g_string_append_len (out, p, end - p);
              return;
            }
          g_string_append_len (out, p, q - p);
          if (q + 1 < end && q[1] == '"')
            {
              g_string_append_c (out, '"');
              p = q + 2;
              continue;
            }
          g_string_append_len (out, q + 1, end - (q + 1));
          return;
        }
    }
  if (field->flags & FIELD_ESCAPED)
    {
      while (p < end)
        {
          q = memchr (p, '"', (gsize) (end - p));
          if (q == NULL)
            {
              g_string_append_len (out, p, end - p);
              return;
            }
          g_string_append_len (out, p, q + 1 - p);   /* one quote of the pair */
          p = q + 2;
        }
      return;
    }
  g_string_append_len (out, p, end - p);
}

/* Consumes the line break at *pp (if any) after a record. Text may go on
 * up to limit (>= end): a CR at end is a whole line break when the byte
 * after it is known not to be LF. */
static ScanResult
take_line_break (const char **pp,
                 const char  *end,
                 const char  *limit,
                 gboolean     eof,
                 guint64     *breaks)
{
  const char *p = *pp;

  if (p == end)
    return SCAN_OK;
  if (*p == '\r')
    {
      p++;
      if (p == end && (p < limit ? *p == '\n' : !eof))
        return SCAN_NEED_MORE;   /* CR, maybe of a CRLF */
      if (p < end && *p == '\n')
        p++;
    }
  else
    p++;
  (*breaks)++;
  *pp = p;
  return SCAN_OK;
}

/* Splits one record into fields (spans into the text): at most
 * MAX_COLUMNS + 1 of them are kept, *n_fields counts them all. */
static ScanResult
tokenize_record (const Dialect  *dialect,
                 const char    **pp,
                 const char     *end,
                 gboolean        eof,
                 GArray         *fields,
                 guint          *n_fields,
                 guint64        *breaks)
{
  const char *p = *pp;
  ScanResult result;

  g_array_set_size (fields, 0);
  *n_fields = 0;
  for (;;)
    {
      Field field;

      result = scan_field (dialect, &p, end, eof, &field, breaks);
      if (result != SCAN_OK)
        return result;
      if (fields->len <= MAX_COLUMNS)
        g_array_append_val (fields, field);
      if (*n_fields < G_MAXUINT)
        (*n_fields)++;
      if (p < end && *p == dialect->delimiter)
        {
          p++;
          continue;
        }
      break;
    }
  result = take_line_break (&p, end, end, eof, breaks);
  if (result == SCAN_OK)
    *pp = p;
  return result;
}

/* Skips empty lines; FALSE when more text is needed to tell. */
static gboolean
skip_empty_lines (const char **pp,
                  const char  *end,
                  gboolean     eof,
                  guint64     *breaks)
{
  while (*pp < end && (**pp == '\n' || **pp == '\r'))
    if (take_line_break (pp, end, end, eof, breaks) != SCAN_OK)
      return FALSE;
  return TRUE;
}

/* "2024-03-01T12:00:00[.fff][Z]" (or a blank for the T): the form data
 * loggers write, parsed in one go; NULL for anything else, which the caller
 * hands to rf_timestamp_parse (whose result this matches). */
static const char *
scan_iso_timestamp (const char *p,
                    const char *end,
                    gint64     *usec)
{
  static const int days_in_month[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  int y, mo, d, h, mi, s, us = 0, dim;
  const char *q;

#define DIGIT(i) ((unsigned) (p[i] - '0') <= 9)
#define VALUE2(i) ((p[i] - '0') * 10 + (p[i + 1] - '0'))
  if (end - p < 19 || !DIGIT (0) || !DIGIT (1) || !DIGIT (2) || !DIGIT (3) || p[4] != '-' ||
      !DIGIT (5) || !DIGIT (6) || p[7] != '-' || !DIGIT (8) || !DIGIT (9) ||
      (p[10] != 'T' && p[10] != ' ') || !DIGIT (11) || !DIGIT (12) || p[13] != ':' ||
      !DIGIT (14) || !DIGIT (15) || p[16] != ':' || !DIGIT (17) || !DIGIT (18))
    return NULL;
  y = VALUE2 (0) * 100 + VALUE2 (2);
  mo = VALUE2 (5);
  d = VALUE2 (8);
  h = VALUE2 (11);
  mi = VALUE2 (14);
  s = VALUE2 (17);
#undef DIGIT
#undef VALUE2

  q = p + 19;
  if (q < end && *q == '.')
    {
      int n = 0;
      for (q++; q < end && (unsigned) (*q - '0') <= 9; q++, n++)
        if (n < 6)
          us = us * 10 + (*q - '0');
      if (n == 0 || n > 9)
        return NULL;
      for (; n < 6; n++)
        us *= 10;
    }
  if (q < end && *q == 'Z')
    q++;

  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60)
    return NULL;
  dim = days_in_month[mo - 1];
  if (mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
    dim = 29;
  if (d > dim)
    return NULL;
  *usec = rf_timestamp_from_civil (y, mo, d, h, mi, s, us);
  return q;
}

/* ------------------------------------------------------------------------ */
/* Memory */

/* A big read writes a few hundred MB it has never touched, and where page
 * faults trap to a hypervisor one fault per 4 KiB costs more than the
 * parsing. So the reader asks for 2 MiB pages for its big arrays (512 times
 * fewer faults, zeroed in bulk) and maps the pages it is about to write in
 * one call. Advice only: no content changes, an old kernel ignores it. */
static void
advise_huge (const void *data,
             gsize       length)
{
#ifdef MADV_HUGEPAGE
  const guintptr huge_page = (guintptr) 2 << 20;
  guintptr start = ((guintptr) data + huge_page - 1) & ~(huge_page - 1);
  guintptr end = ((guintptr) data + length) & ~(huge_page - 1);

  if (data != NULL && end > start)
    madvise ((void *) start, end - start, MADV_HUGEPAGE);
#endif
}

static void
populate (const void *data,
          gsize       length)
{
#ifdef MADV_POPULATE_WRITE
  const guintptr page = 4096;
  guintptr start = (guintptr) data & ~(page - 1);
  guintptr end = ((guintptr) data + length + page - 1) & ~(page - 1);

  /* for a few pages, the faults cost less than the call */
  if (data != NULL && length >= 64 * 1024)
    madvise ((void *) start, end - start, MADV_POPULATE_WRITE);
#endif
}

static void
prefault (const void *data,
          gsize       length)
{
  advise_huge (data, length);
  populate (data, length);
}

/* ------------------------------------------------------------------------ */
/* Input: the file or the memory, decoded to UTF-8, as a window of text */

typedef struct
{
  const char *display;
  int fd;                   /* -1 for memory input */
  const guint8 *data;       /* memory input */
  guint64 size;             /* input bytes */
  gsize bom_length;
  char *encoding;           /* NULL: the input is UTF-8 */
  gsize block;

  RfTextDecoder *decoder;
  guint64 offset;           /* zero-copy: window start; else next input byte to take */
  gboolean input_done;
  GByteArray *raw;          /* file bytes waiting for the decoder */
  GByteArray *text;         /* decoded text; the window is its start */

  const char *window;
  gsize window_length;
  gboolean eof;             /* the window reaches the end of the text */
} Source;

static gboolean
read_at (Source   *source,
         guint8   *buffer,
         gsize     count,
         guint64   offset,
         gsize    *got,
         GError  **error)
{
  *got = 0;
  if (source->fd < 0)
    {
      if (offset < source->size)
        {
          *got = (gsize) MIN ((guint64) count, source->size - offset);
          memcpy (buffer, source->data + offset, *got);
        }
      return TRUE;
    }
  while (*got < count)
    {
      gssize n = pread (source->fd, buffer + *got, count - *got, (off_t) (offset + *got));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_IO, "Cannot read “%s”: %s",
                       source->display, g_strerror (errno));
          return FALSE;
        }
      if (n == 0)
        break;
      *got += (gsize) n;
    }
  return TRUE;
}

static gboolean
source_is_zero_copy (const Source *source)
{
  return source->fd < 0 && source->encoding == NULL;
}

static void
source_clear (Source *source)
{
  g_clear_pointer (&source->decoder, rf_text_decoder_free);
  g_clear_pointer (&source->raw, g_byte_array_unref);
  g_clear_pointer (&source->text, g_byte_array_unref);
  g_clear_pointer (&source->encoding, g_free);
}

/* Back to the start of the text (after the BOM), decoding from encoding
 * (NULL or UTF-8: none). */
static gboolean
source_rewind (Source      *source,
               const char  *encoding,
               gsize        bom_length,
               GError     **error)
{
  g_clear_pointer (&source->decoder, rf_text_decoder_free);
  g_clear_pointer (&source->encoding, g_free);
  if (encoding != NULL && g_ascii_strcasecmp (encoding, "UTF-8") != 0)
    {
      source->decoder = rf_text_decoder_new (encoding, error);
      if (source->decoder == NULL)
        return FALSE;
      source->encoding = g_strdup (encoding);
    }
  source->bom_length = bom_length;
  source->offset = MIN ((guint64) bom_length, source->size);
  source->input_done = FALSE;
  if (source->raw == NULL)
    source->raw = g_byte_array_new ();
  if (source->text == NULL)
    source->text = g_byte_array_new ();
  g_byte_array_set_size (source->raw, 0);
  g_byte_array_set_size (source->text, 0);
  source->window = NULL;
  source->window_length = 0;
  source->eof = FALSE;
  return TRUE;
}

/* How much to ask the input for at most: what is left of it (as it was
 * when opened), plus a little so that the end shows as a short read. */
static gsize
source_left (const Source *source)
{
  return (gsize) (source->size > source->offset ? source->size - source->offset : 0) + 4096;
}

/* Drops the first consume bytes of the window and makes it at least want
 * bytes long (or as long as the rest of the text). Errors: I/O, or
 * RF_ERROR_ENCODING (without a location: the caller adds the line). */
static gboolean
source_fill (Source  *source,
             gsize    consume,
             gsize    want,
             GError **error)
{
  if (source_is_zero_copy (source))
    {
      guint64 available;

      source->offset += consume;
      available = source->size - source->offset;
      source->window = (const char *) source->data + source->offset;
      source->window_length = (gsize) MIN ((guint64) want, available);
      source->eof = source->window_length == available;
      return TRUE;
    }

  g_byte_array_remove_range (source->text, 0, (guint) consume);
  while (source->text->len < want && !source->input_done)
    {
      if (source->decoder == NULL)
        {
          gsize old = source->text->len, count = MIN (MAX (source->block, want - old), source_left (source)), got;

          g_byte_array_set_size (source->text, (guint) (old + count));
          prefault (source->text->data + old, count);
          if (!read_at (source, source->text->data + old, count, source->offset, &got, error))
            {
              g_byte_array_set_size (source->text, (guint) old);
              return FALSE;
            }
          g_byte_array_set_size (source->text, (guint) (old + got));
          source->offset += got;
          if (got < count)
            source->input_done = TRUE;
        }
      else
        {
          gsize old = source->raw->len, got = 0, used;
          gsize count = MIN (old < source->block ? source->block - old : 0, source_left (source));
          gboolean at_end;

          if (count > 0)
            {
              g_byte_array_set_size (source->raw, (guint) (old + count));
              if (!read_at (source, source->raw->data + old, count, source->offset, &got, error))
                {
                  g_byte_array_set_size (source->raw, (guint) old);
                  return FALSE;
                }
              g_byte_array_set_size (source->raw, (guint) (old + got));
              source->offset += got;
            }
          at_end = got < count;
          if (!rf_text_decoder_convert (source->decoder, source->raw->data, source->raw->len, at_end,
                                        source->text, &used, error))
            return FALSE;
          g_byte_array_remove_range (source->raw, 0, (guint) used);
          if (at_end)
            source->input_done = TRUE;
        }
    }
  source->window = (const char *) source->text->data;
  source->window_length = source->text->len;
  source->eof = source->input_done;
  return TRUE;
}

/* Input bytes not yet in the window (about the text still to come). */
static gsize
source_remaining (const Source *source)
{
  guint64 taken = source->offset + (source_is_zero_copy (source) ? source->window_length : 0);

  return (gsize) (source->size > taken ? source->size - taken : 0);
}

static double
source_fraction (const Source *source)
{
  guint64 done = source->offset;

  if (source_is_zero_copy (source))
    done += source->window_length;
  return source->size > 0 ? (double) done / (double) source->size : 1.0;
}

/* ------------------------------------------------------------------------ */
/* The reader */

typedef enum
{
  FAST_NONE,
  FAST_DOUBLE,
  FAST_INT,
  FAST_ISO,
  FAST_EPOCH_S,
  FAST_EPOCH_MS,
} FastKind;

typedef struct
{
  char *name;
  char *unit;
  RfColumnType type;            /* type of the column being filled */
  RfTimestampFormat format;     /* TIMESTAMP: the text (or epoch) format */
  gboolean forced;              /* type from the options */
  gboolean text;                /* all_strings: verbatim text */
  gboolean time_name;
  gboolean parse;               /* filled in the current pass */
  RfValueClass klass;           /* inferred: join of the values seen */
  RfEpochState epoch;
  double sample_bytes;          /* average text length in the sample */
  gsize n_unparsed;             /* forced types: values that did not fit */
  guint64 first_unparsed_line;
} ColumnPlan;

typedef enum
{
  PART_OK,
  PART_UNTERMINATED,
  PART_TOO_MANY_FIELDS,
  PART_INVALID_TEXT,
  PART_TOO_MANY_ROWS,
} PartStatus;

typedef enum
{
  CELL_NULL,
  CELL_VALUE,
  CELL_TEXT,        /* span in the window */
  CELL_SCRATCH,     /* span in the part's scratch buffer (unescaped) */
  CELL_SKIP,        /* column not read in this pass */
} CellKind;

typedef union
{
  double f;
  gint64 i;
  const char *text;     /* CELL_TEXT */
  gsize offset;         /* CELL_SCRATCH */
} CellValue;

typedef struct
{
  CellValue v;
  gsize length;
  guint8 kind;
  guint8 unparsed;
} Cell;

/* The rows of a part other than the first, kept column by column until the
 * parts before it are in the table. Reused from block to block, so its
 * memory is touched once per pass, not once per block. */
typedef struct
{
  gsize n_rows;
  gsize capacity;
  guint8 **kinds;          /* [column][row] */
  CellValue **values;
  gsize **lengths;         /* string columns only */
} Stage;

typedef struct _Reader Reader;

/* One thread's share of a block of text. Lines are counted from the part's
 * start and made absolute when parts are merged in order. */
typedef struct
{
  const Reader *reader;
  const char *start;
  const char *end;
  const char *limit;        /* end of the block: bytes up to it may be peeked at */
  gboolean eof;
  gboolean staged;          /* rows go to the stage, not to the table */
  Stage stage;
  RfValueClass *klass;
  RfEpochState *epoch;
  FastKind *fast;
  gsize *n_unparsed;
  guint64 *first_unparsed;
  Cell *cells;
  GString *scratch;

  const char *stop;         /* end of the last complete record */
  gsize n_rows;
  guint64 n_lines;
  gsize n_padded, n_trimmed;
  guint64 first_padded, first_trimmed;
  PartStatus status;
  guint64 error_line;
  guint error_fields;
  gboolean error_nul;
} Part;

struct _Reader
{
  const char *display;
  const RfReadOptions *options;
  gsize max_rows;
  gsize block_size;
  guint n_threads;
  gsize min_split;
  Source source;

  /* what was detected */
  char *encoding;            /* decoded from */
  gboolean encoding_detected;
  gboolean had_bom;
  char *reread_encoding;     /* set when a first attempt found it was not UTF-8 */
  Dialect dialect;
  const char *line_ending;
  gboolean has_header;
  gsize data_start;          /* offset in the text where the rows begin */
  guint64 data_line;         /* line of the first row */
  gsize estimated_rows;
  double estimated_row_bytes;

  guint n_columns;
  ColumnPlan *plans;
  RfValueClass *klass;       /* merged over the parts */
  RfEpochState *epoch;
  RfColumn **columns;        /* the result */
  RfColumn **fill;           /* filled by the current pass (NULL: column not read) */
  const void **advised;      /* value arrays given the huge page advice */

  /* progress of a pass */
  gsize n_rows;
  guint64 line;
  gsize n_padded, n_trimmed;
  guint64 first_padded, first_trimmed;

  Part parts[MAX_THREADS];
};

static gboolean
stores_as_planned (const Reader *reader,
                  guint         c,
                  RfValueClass  klass,
                  RfEpochState  epoch)
{
  const ColumnPlan *plan = &reader->plans[c];
  RfTimestampFormat format;
  RfColumnType type = rf_infer_column_type (klass, plan->time_name, epoch, &format);

  return type == plan->type && format == plan->format;
}

static FastKind
fast_kind (const Reader *reader,
           guint         c,
           RfValueClass  klass,
           RfEpochState  epoch)
{
  const ColumnPlan *plan = &reader->plans[c];

  if (plan->text || !plan->parse)
    return FAST_NONE;
  if (!plan->forced && !stores_as_planned (reader, c, klass, epoch))
    return FAST_NONE;
  switch (plan->type)
    {
    case RF_COLUMN_DOUBLE:
      return FAST_DOUBLE;
    case RF_COLUMN_INT64:
      /* inferred time-named integers must be checked for epoch values */
      return plan->forced || !plan->time_name ? FAST_INT : FAST_NONE;
    case RF_COLUMN_TIMESTAMP:
      if (plan->format == RF_TIMESTAMP_FORMAT_ISO)
        return FAST_ISO;
      if (plan->forced)
        return FAST_NONE;
      return plan->format == RF_TIMESTAMP_FORMAT_EPOCH_S ? FAST_EPOCH_S
           : plan->format == RF_TIMESTAMP_FORMAT_EPOCH_MS ? FAST_EPOCH_MS : FAST_NONE;
    case RF_COLUMN_BOOL:
    case RF_COLUMN_STRING:
    default:
      return FAST_NONE;
    }
}

static gboolean
set_text (Part        *part,
          Cell        *cell,
          const char  *text,
          gsize        length,
          gboolean     in_scratch,
          gsize        scratch_offset,
          guint64      field_line)
{
  if (!rf_text_is_utf8 (text, length))
    {
      const char *valid_end = text;

      g_utf8_validate_len (text, length, &valid_end);
      part->status = PART_INVALID_TEXT;
      part->error_line = field_line + count_breaks (text, (gsize) (valid_end - text));
      part->error_nul = memchr (text, '\0', length) != NULL;
      return FALSE;
    }
  if (in_scratch)
    {
      cell->kind = CELL_SCRATCH;
      cell->v.offset = scratch_offset;
    }
  else
    {
      cell->kind = CELL_TEXT;
      cell->v.text = text;
    }
  cell->length = length;
  return TRUE;
}

/* A value of a forced type; FALSE when it does not fit. */
static gboolean
parse_forced (const ColumnPlan *plan,
              char              decimal_mark,
              const char       *text,
              gsize             length,
              Cell             *cell)
{
  gboolean b;

  switch (plan->type)
    {
    case RF_COLUMN_DOUBLE:
      return rf_value_parse_double (text, length, decimal_mark, &cell->v.f);
    case RF_COLUMN_INT64:
      return rf_value_parse_int64 (text, length, &cell->v.i);
    case RF_COLUMN_TIMESTAMP:
      return rf_timestamp_parse (text, length, plan->format, &cell->v.i);
    case RF_COLUMN_BOOL:
      if (!rf_value_parse_bool (text, length, &b))
        return FALSE;
      cell->v.i = b;
      return TRUE;
    case RF_COLUMN_STRING:
    default:
      return FALSE;
    }
}

/* Turns a field into a cell of column c, and for inferred columns joins
 * the value's class into the part's view of the column. FALSE (with the
 * part's status set) on text that is not UTF-8. */
static gboolean
convert_field (Part        *part,
               guint        c,
               const Field *field,
               Cell        *cell,
               guint64      field_line)
{
  const Reader *reader = part->reader;
  const ColumnPlan *plan = &reader->plans[c];
  char decimal_mark = reader->dialect.decimal_mark;
  const char *text = field->text;
  gsize length = field->length, offset = 0;
  gboolean quoted = field->flags != 0, in_scratch = FALSE;

  cell->unparsed = FALSE;
  if (reader->fill[c] == NULL)
    {
      cell->kind = CELL_SKIP;
      return TRUE;
    }
  if (field->flags & (FIELD_ESCAPED | FIELD_RAW))
    {
      offset = part->scratch->len;
      append_unescaped (field, part->scratch);
      text = part->scratch->str + offset;
      length = part->scratch->len - offset;
      in_scratch = TRUE;
    }

  if (plan->text)
    {
      if (!quoted && length == 0)
        {
          cell->kind = CELL_NULL;
          return TRUE;
        }
      return set_text (part, cell, text, length, in_scratch, offset, field_line);
    }

  if (plan->forced)
    {
      if (plan->type == RF_COLUMN_STRING)
        {
          if (!quoted && rf_value_is_na (text, length))
            {
              cell->kind = CELL_NULL;
              return TRUE;
            }
          return set_text (part, cell, text, length, in_scratch, offset, field_line);
        }
      if (rf_value_is_na (text, length))
        cell->kind = CELL_NULL;
      else if (parse_forced (plan, decimal_mark, text, length, cell))
        cell->kind = CELL_VALUE;
      else
        {
          cell->kind = CELL_NULL;
          cell->unparsed = TRUE;
        }
      return TRUE;
    }

  /* Inferred: parse as the type of the column's class so far; a value that
   * does not fit widens the class (each round strictly, so this ends). */
  for (;;)
    {
      RfTimestampFormat format;
      RfColumnType type = rf_infer_column_type (part->klass[c], plan->time_name, part->epoch[c], &format);
      gboolean store = type == plan->type && format == plan->format;
      RfValueClass joined;
      gboolean b;

      cell->kind = CELL_NULL;
      switch (type)
        {
        case RF_COLUMN_STRING:
          if (part->klass[c] != RF_VALUE_CLASS_STRING && !rf_value_is_na (text, length))
            break;
          if (!store || (!quoted && rf_value_is_na (text, length)))
            return TRUE;
          return set_text (part, cell, text, length, in_scratch, offset, field_line);

        case RF_COLUMN_DOUBLE:
          if (rf_value_parse_double (text, length, decimal_mark, &cell->v.f) && !rf_value_is_code (text, length))
            {
              cell->kind = store ? CELL_VALUE : CELL_NULL;
              return TRUE;
            }
          if (rf_value_is_na (text, length))
            return TRUE;
          break;

        case RF_COLUMN_INT64:
        case RF_COLUMN_TIMESTAMP:
          if (format == RF_TIMESTAMP_FORMAT_UNKNOWN || format == RF_TIMESTAMP_FORMAT_EPOCH_S ||
              format == RF_TIMESTAMP_FORMAT_EPOCH_MS)
            {
              if (rf_value_parse_int64 (text, length, &cell->v.i) && !rf_value_is_code (text, length))
                {
                  if (plan->time_name)
                    {
                      RfEpochState epoch = rf_epoch_state_join (part->epoch[c], rf_epoch_state_of (cell->v.i));
                      if (epoch != part->epoch[c])
                        {
                          part->epoch[c] = epoch;
                          part->fast[c] = fast_kind (reader, c, part->klass[c], epoch);
                          continue;
                        }
                    }
                  if (format == RF_TIMESTAMP_FORMAT_EPOCH_S)
                    cell->v.i *= G_USEC_PER_SEC;
                  else if (format == RF_TIMESTAMP_FORMAT_EPOCH_MS)
                    cell->v.i *= 1000;
                  cell->kind = store ? CELL_VALUE : CELL_NULL;
                  return TRUE;
                }
            }
          else if (rf_timestamp_parse (text, length, format, &cell->v.i))
            {
              cell->kind = store ? CELL_VALUE : CELL_NULL;
              return TRUE;
            }
          if (rf_value_is_na (text, length))
            return TRUE;
          break;

        case RF_COLUMN_BOOL:
        default:
          if (rf_value_parse_bool (text, length, &b))
            {
              cell->v.i = b;
              cell->kind = store ? CELL_VALUE : CELL_NULL;
              return TRUE;
            }
          if (rf_value_is_na (text, length))
            return TRUE;
          break;
        }

      joined = rf_value_class_join (part->klass[c], rf_value_class_of (text, length, decimal_mark));
      /* Parsing and classifying agree, so the class grows; should they not,
       * STRING (which takes everything) still ends the loop. */
      if (joined == part->klass[c])
        joined = RF_VALUE_CLASS_STRING;
      part->klass[c] = joined;
      part->fast[c] = fast_kind (reader, c, joined, part->epoch[c]);
    }
}

/* Makes room for capacity rows; keep says whether the rows held so far
 * matter (within a part) or not (at its start). */
static void
stage_reserve (Stage        *stage,
               const Reader *reader,
               gsize         capacity,
               gboolean      keep)
{
  guint n = reader->n_columns;

  if (stage->kinds == NULL)
    {
      stage->kinds = g_new0 (guint8 *, n);
      stage->values = g_new0 (CellValue *, n);
      stage->lengths = g_new0 (gsize *, n);
    }
  for (guint c = 0; c < n; c++)
    {
      gboolean text = reader->plans[c].type == RF_COLUMN_STRING;

      if (!keep)
        {
          g_clear_pointer (&stage->kinds[c], g_free);
          g_clear_pointer (&stage->values[c], g_free);
          g_clear_pointer (&stage->lengths[c], g_free);
        }
      stage->kinds[c] = g_renew (guint8, stage->kinds[c], capacity);
      stage->values[c] = g_renew (CellValue, stage->values[c], capacity);
      if (text || stage->lengths[c] != NULL)
        stage->lengths[c] = g_renew (gsize, stage->lengths[c], capacity);
      prefault (stage->kinds[c], capacity);
      prefault (stage->values[c], capacity * sizeof (CellValue));
      if (stage->lengths[c] != NULL)
        prefault (stage->lengths[c], capacity * sizeof (gsize));
    }
  stage->capacity = capacity;
}

static void
stage_free (Stage *stage,
            guint  n)
{
  if (stage->kinds != NULL)
    for (guint c = 0; c < n; c++)
      {
        g_free (stage->kinds[c]);
        g_free (stage->values[c]);
        g_free (stage->lengths[c]);
      }
  g_free (stage->kinds);
  g_free (stage->values);
  g_free (stage->lengths);
  memset (stage, 0, sizeof *stage);
}

static void
append_cell (RfColumn        *column,
             guint8           kind,
             const CellValue *value,
             gsize            length,
             const GString   *scratch)
{
  switch (kind)
    {
    case CELL_VALUE:
      switch (column->type)
        {
        case RF_COLUMN_DOUBLE:
          rf_column_append_double (column, value->f);
          break;
        case RF_COLUMN_INT64:
          rf_column_append_int64 (column, value->i);
          break;
        case RF_COLUMN_TIMESTAMP:
          rf_column_append_timestamp (column, value->i);
          break;
        case RF_COLUMN_BOOL:
          rf_column_append_bool (column, value->i != 0);
          break;
        case RF_COLUMN_STRING:
        default:
          g_assert_not_reached ();
        }
      break;
    case CELL_TEXT:
      rf_column_append_string (column, value->text, (gssize) length);
      break;
    case CELL_SCRATCH:
      rf_column_append_string (column, scratch->str + value->offset, (gssize) length);
      break;
    case CELL_NULL:
    case CELL_SKIP:
    default:
      rf_column_append_null (column);
      break;
    }
}

static void
commit_row (Part *part,
            guint n_columns)
{
  const Reader *reader = part->reader;
  Stage *stage = &part->stage;

  if (part->staged && stage->n_rows == stage->capacity)
    stage_reserve (stage, reader, MAX (stage->capacity * 2, 1024), TRUE);
  for (guint c = 0; c < n_columns; c++)
    {
      const Cell *cell = &part->cells[c];
      RfColumn *column = reader->fill[c];

      if (column == NULL)
        continue;
      if (cell->unparsed && part->n_unparsed[c]++ == 0)
        part->first_unparsed[c] = part->n_lines;
      if (part->staged)
        {
          stage->kinds[c][stage->n_rows] = cell->kind;
          stage->values[c][stage->n_rows] = cell->v;
          if (stage->lengths[c] != NULL)
            stage->lengths[c][stage->n_rows] = cell->length;
        }
      else
        append_cell (column, cell->kind, &cell->v, cell->length, part->scratch);
    }
  if (part->staged)
    stage->n_rows++;
}

/* Appends a part's staged rows of column c to the table. */
static void
stage_flush_column (const Part *part,
                    guint       c)
{
  const Reader *reader = part->reader;
  const Stage *stage = &part->stage;
  RfColumn *column = reader->fill[c];
  const guint8 *kinds;
  const CellValue *values;

  if (column == NULL || stage->n_rows == 0)
    return;
  kinds = stage->kinds[c];
  values = stage->values[c];
  rf_column_reserve (column, stage->n_rows, 0);
  if (column->type == RF_COLUMN_DOUBLE)
    {
      for (gsize r = 0; r < stage->n_rows; r++)
        if (kinds[r] == CELL_VALUE)
          rf_column_append_double (column, values[r].f);
        else
          rf_column_append_null (column);
    }
  else
    for (gsize r = 0; r < stage->n_rows; r++)
      append_cell (column, kinds[r], &values[r], stage->lengths[c] != NULL ? stage->lengths[c][r] : 0,
                   part->scratch);
}

/* The fast path: a plain number or timestamp that ends at a delimiter or
 * line break, parsed while its end is found. NULL: use the general path. */
static inline const char *
scan_fast (const Part *part,
           FastKind    kind,
           const char *p,
           const char *end,
           Cell       *cell)
{
  const Dialect *dialect = &part->reader->dialect;
  const char *q, *digits;

  switch (kind)
    {
    case FAST_DOUBLE:
      q = rf_value_scan_double (p, end, dialect->decimal_mark, &cell->v.f);
      break;
    case FAST_INT:
    case FAST_EPOCH_S:
    case FAST_EPOCH_MS:
      q = rf_value_scan_int64 (p, end, &cell->v.i);
      if (q != NULL && kind != FAST_INT)
        {
          RfEpochState want = kind == FAST_EPOCH_S ? RF_EPOCH_SECONDS : RF_EPOCH_MILLISECONDS;
          if (rf_epoch_state_of (cell->v.i) != want)
            return NULL;
          cell->v.i *= kind == FAST_EPOCH_S ? G_USEC_PER_SEC : 1000;
        }
      break;
    case FAST_ISO:
      return (q = scan_iso_timestamp (p, end, &cell->v.i)) != NULL &&
             (q < end ? dialect->stop[(guchar) *q] : part->eof) ? q : NULL;
    case FAST_NONE:
    default:
      return NULL;
    }
  if (q == NULL || (q < end ? !dialect->stop[(guchar) *q] : !part->eof))
    return NULL;
  /* "0123" is a code, not a number: the general path decides */
  digits = p + (*p == '-' || *p == '+');
  if (digits[0] == '0' && digits + 1 < q && (unsigned) (digits[1] - '0') <= 9)
    return NULL;
  return q;
}

static void
parse_part (Part *part)
{
  const Reader *reader = part->reader;
  const Dialect *dialect = &reader->dialect;
  guint n_columns = reader->n_columns;
  const char *p = part->start, *end = part->end;
  gboolean eof = part->eof;

  part->stop = p;
  while (p < end)
    {
      guint64 breaks = 0;
      gboolean trimmed = FALSE;
      guint c;
      ScanResult result;
      Field field;

      if (*p == '\n' || *p == '\r')
        {
          if (take_line_break (&p, end, part->limit, eof, &breaks) != SCAN_OK)
            return;
          part->n_lines += breaks;
          part->stop = p;
          continue;
        }

      if (!part->staged)
        g_string_truncate (part->scratch, 0);
      for (c = 0;; c++)
        {
          Cell *cell = &part->cells[c];
          const char *q = NULL;

          if (part->fast[c] != FAST_NONE)
            q = scan_fast (part, part->fast[c], p, end, cell);
          if (q != NULL)
            {
              cell->kind = CELL_VALUE;
              cell->unparsed = FALSE;
              p = q;
            }
          else
            {
              guint64 field_line = part->n_lines + breaks;

              result = scan_field (dialect, &p, end, eof, &field, &breaks);
              if (result == SCAN_NEED_MORE)
                return;
              if (result == SCAN_UNTERMINATED)
                {
                  part->status = PART_UNTERMINATED;
                  part->error_line = field_line;
                  return;
                }
              if (!convert_field (part, c, &field, cell, field_line))
                return;
            }
          if (p == end || *p != dialect->delimiter)
            break;
          p++;
          if (c + 1 < n_columns)
            continue;

          /* More fields than columns: fine if they are all empty. */
          for (guint extra = 1;; extra++)
            {
              guint64 field_line = part->n_lines + breaks;

              result = scan_field (dialect, &p, end, eof, &field, &breaks);
              if (result == SCAN_NEED_MORE)
                return;
              if (result == SCAN_UNTERMINATED)
                {
                  part->status = PART_UNTERMINATED;
                  part->error_line = field_line;
                  return;
                }
              if (field.length > 0)
                {
                  /* count them all for the message */
                  while (p < end && *p == dialect->delimiter)
                    {
                      p++;
                      result = scan_field (dialect, &p, end, eof, &field, &breaks);
                      if (result == SCAN_NEED_MORE)
                        return;
                      if (result != SCAN_OK)
                        break;
                      extra++;
                    }
                  part->status = PART_TOO_MANY_FIELDS;
                  part->error_line = part->n_lines;
                  part->error_fields = n_columns + extra;
                  return;
                }
              if (p == end || *p != dialect->delimiter)
                break;
              p++;
            }
          trimmed = TRUE;
          break;
        }

      for (guint k = c + 1; k < n_columns; k++)
        {
          part->cells[k].kind = reader->fill[k] != NULL ? CELL_NULL : CELL_SKIP;
          part->cells[k].unparsed = FALSE;
        }
      if (take_line_break (&p, end, part->limit, eof, &breaks) != SCAN_OK)
        return;

      if (c + 1 < n_columns && part->n_padded++ == 0)
        part->first_padded = part->n_lines;
      if (trimmed && part->n_trimmed++ == 0)
        part->first_trimmed = part->n_lines;
      commit_row (part, n_columns);
      part->n_rows++;
      part->n_lines += breaks;
      part->stop = p;
      if (part->n_rows > reader->max_rows)
        {
          part->status = PART_TOO_MANY_ROWS;
          return;
        }
    }
}

static gpointer
part_thread (gpointer data)
{
  parse_part (data);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Sniffing: encoding, dialect, header and a first guess of the types, from
 * the head of the text */

typedef struct
{
  GByteArray *raw;          /* file input: the bytes read */
  const guint8 *raw_data;
  gsize raw_length;
  gboolean raw_complete;    /* raw holds all the input */
  GByteArray *decoded;
  const char *text;         /* UTF-8 head, after the BOM */
  gsize length;
  gsize from_bytes;         /* input bytes the text came from */
  gboolean complete;        /* text is all of it */
} Head;

typedef struct
{
  guint first_field;        /* index in the sample's fields */
  guint n_fields;
  const char *start;
  const char *end;          /* after the line break */
  guint64 line;
} SampleRecord;

static void
head_clear (Head *head)
{
  g_clear_pointer (&head->raw, g_byte_array_unref);
  g_clear_pointer (&head->decoded, g_byte_array_unref);
}

static gboolean
same_encoding (const char *a,
               const char *b)
{
  g_autoptr(GString) x = g_string_new (NULL);
  g_autoptr(GString) y = g_string_new (NULL);

  for (const char *p = a; *p; p++)
    if (*p != '-' && *p != '_')
      g_string_append_c (x, g_ascii_tolower (*p));
  for (const char *p = b; *p; p++)
    if (*p != '-' && *p != '_')
      g_string_append_c (y, g_ascii_tolower (*p));
  /* "UTF-16" given, "UTF-16LE" announced by the BOM */
  return g_str_has_prefix (y->str, x->str) && x->len >= 4;
}

static gboolean
is_utf8_name (const char *encoding)
{
  return encoding == NULL || same_encoding (encoding, "UTF-8");
}

/* Reads the first max_bytes of input, settles the encoding and decodes. */
static gboolean
load_head (Reader   *reader,
           gsize     max_bytes,
           Head     *head,
           GError  **error)
{
  Source *source = &reader->source;
  const RfReadOptions *options = reader->options;
  const char *bom;
  gsize bom_length, skip = 0;
  g_autofree char *encoding = NULL;

  head->raw_length = (gsize) MIN ((guint64) max_bytes, source->size);
  head->raw_complete = head->raw_length == source->size;
  if (source->fd < 0)
    head->raw_data = source->data;
  else
    {
      gsize got;

      head->raw = g_byte_array_sized_new ((guint) head->raw_length);
      g_byte_array_set_size (head->raw, (guint) head->raw_length);
      if (!read_at (source, head->raw->data, head->raw_length, 0, &got, error))
        return FALSE;
      g_byte_array_set_size (head->raw, (guint) got);
      head->raw_data = head->raw->data;
      head->raw_length = got;
      head->raw_complete = got < max_bytes || got == source->size;
    }

  bom = rf_text_detect_bom (head->raw_data, head->raw_length, &bom_length);
  reader->encoding_detected = FALSE;
  if (options != NULL && options->encoding != NULL)
    {
      encoding = g_strdup (options->encoding);
      if (bom != NULL && same_encoding (encoding, bom))
        {
          g_free (encoding);
          encoding = g_strdup (bom);
          skip = bom_length;
        }
    }
  else if (reader->reread_encoding != NULL)
    {
      encoding = g_strdup (reader->reread_encoding);
      reader->encoding_detected = TRUE;
    }
  else if (bom != NULL)
    {
      encoding = g_strdup (bom);
      skip = bom_length;
    }
  else
    {
      g_autoptr(RfTextSniffer) sniffer = rf_text_sniffer_new ();

      rf_text_sniffer_feed (sniffer, head->raw_data, head->raw_length);
      encoding = rf_text_sniffer_finish (sniffer, head->raw_complete, reader->display, error);
      if (encoding == NULL)
        return FALSE;
      reader->encoding_detected = TRUE;
    }
  reader->had_bom = skip > 0;
  g_free (reader->encoding);
  reader->encoding = g_steal_pointer (&encoding);

  head->from_bytes = head->raw_length - skip;
  if (is_utf8_name (reader->encoding))
    {
      head->text = (const char *) head->raw_data + skip;
      head->length = head->from_bytes;
      head->complete = head->raw_complete;
    }
  else
    {
      g_autoptr(RfTextDecoder) decoder = rf_text_decoder_new (reader->encoding, error);
      gsize used;

      if (decoder == NULL)
        return FALSE;
      head->decoded = g_byte_array_new ();
      if (!rf_text_decoder_convert (decoder, head->raw_data + skip, head->from_bytes, head->raw_complete,
                                    head->decoded, &used, error))
        {
          g_prefix_error (error, "“%s” line %" G_GUINT64_FORMAT ": ", reader->display,
                          count_breaks ((const char *) head->decoded->data, head->decoded->len) + 1);
          return FALSE;
        }
      head->text = (const char *) head->decoded->data;
      head->length = head->decoded->len;
      head->from_bytes = used;
      head->complete = head->raw_complete;
    }
  reader->source.bom_length = skip;
  return TRUE;
}

static const char *
detect_line_ending (const char *text,
                    gsize       length)
{
  gboolean in_quotes = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];
      if (c == '"')
        in_quotes = !in_quotes;
      else if (!in_quotes && c == '\n')
        return "LF";
      else if (!in_quotes && c == '\r')
        return i + 1 < length && text[i + 1] == '\n' ? "CRLF" : "CR";
    }
  return "LF";
}

/* The delimiter that splits the first records most consistently into more
 * than one field; ',' when none does. */
static char
sniff_delimiter (const Head *head)
{
  static const char candidates[] = { ',', ';', '\t', '|' };
  g_autoptr(GArray) fields = g_array_new (FALSE, FALSE, sizeof (Field));
  char best = ',';
  double best_score = -1.0;

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      Dialect dialect;
      const char *p = head->text, *end = head->text + head->length;
      guint counts[SNIFF_RECORDS];
      guint n = 0, mode = 0, mode_count = 0;
      guint64 breaks = 0;
      double score;

      dialect_init (&dialect, candidates[i], '.');
      while (n < SNIFF_RECORDS)
        {
          if (!skip_empty_lines (&p, end, head->complete, &breaks) || p == end)
            break;
          if (tokenize_record (&dialect, &p, end, head->complete, fields, &counts[n], &breaks) != SCAN_OK)
            break;
          n++;
        }
      for (guint a = 0; a < n; a++)
        {
          guint same = 0;
          for (guint b = 0; b < n; b++)
            same += counts[b] == counts[a];
          if (same > mode_count || (same == mode_count && counts[a] > mode))
            {
              mode = counts[a];
              mode_count = same;
            }
        }
      if (n == 0 || mode < 2)
        continue;
      /* consistency first, then the number of fields */
      score = (double) mode_count / n * 1000.0 + MIN (mode, 999u);
      if (score > best_score)
        {
          best_score = score;
          best = candidates[i];
        }
    }
  return best;
}

/* +1 for "21,5" or "1.013,25", -1 for "21.5", 0 for anything else or both. */
static int
decimal_vote (const char *text,
              gsize       length)
{
  double value;
  gboolean comma, point;

  comma = memchr (text, ',', length) != NULL && rf_value_parse_double (text, length, ',', &value);
  point = memchr (text, '.', length) != NULL && rf_value_parse_double (text, length, '.', &value);
  if (comma && !rf_value_parse_double (text, length, '.', &value))
    return 1;
  if (point && !rf_value_parse_double (text, length, ',', &value))
    return -1;
  return 0;
}

/* The text of a sample field (unescaped into scratch when needed). */
static const char *
field_text (const Field *field,
            GString     *scratch,
            gsize       *length)
{
  if (field->flags & (FIELD_ESCAPED | FIELD_RAW))
    {
      g_string_truncate (scratch, 0);
      append_unescaped (field, scratch);
      *length = scratch->len;
      return scratch->str;
    }
  *length = field->length;
  return field->text;
}

static gboolean
class_is_data (RfValueClass klass)
{
  return klass == RF_VALUE_CLASS_INT || klass == RF_VALUE_CLASS_DOUBLE || klass == RF_VALUE_CLASS_ISO ||
         klass == RF_VALUE_CLASS_DMY_DOT || klass == RF_VALUE_CLASS_SLASH ||
         klass == RF_VALUE_CLASS_MDY_SLASH || klass == RF_VALUE_CLASS_DMY_SLASH;
}

/* The format of a column forced to TIMESTAMP: the one most of its sample
 * values are in (counts per value class; ties go to ISO 8601). */
static RfTimestampFormat
forced_timestamp_format (const guint *counts,
                         RfEpochState epoch)
{
  guint slash = counts[RF_VALUE_CLASS_SLASH] + counts[RF_VALUE_CLASS_MDY_SLASH] + counts[RF_VALUE_CLASS_DMY_SLASH];
  guint best = MAX (MAX (counts[RF_VALUE_CLASS_ISO], counts[RF_VALUE_CLASS_DMY_DOT]),
                    MAX (slash, counts[RF_VALUE_CLASS_INT]));

  if (best == 0 || counts[RF_VALUE_CLASS_ISO] == best)
    return RF_TIMESTAMP_FORMAT_ISO;
  if (counts[RF_VALUE_CLASS_DMY_DOT] == best)
    return RF_TIMESTAMP_FORMAT_DMY_DOT;
  if (slash == best)
    return counts[RF_VALUE_CLASS_DMY_SLASH] > counts[RF_VALUE_CLASS_MDY_SLASH] ? RF_TIMESTAMP_FORMAT_DMY_SLASH
                                                                               : RF_TIMESTAMP_FORMAT_MDY_SLASH;
  return epoch == RF_EPOCH_MILLISECONDS ? RF_TIMESTAMP_FORMAT_EPOCH_MS : RF_TIMESTAMP_FORMAT_EPOCH_S;
}

static void
plans_free (Reader *reader)
{
  for (guint c = 0; c < reader->n_columns && reader->plans != NULL; c++)
    {
      g_free (reader->plans[c].name);
      g_free (reader->plans[c].unit);
    }
  g_clear_pointer (&reader->plans, g_free);
  g_clear_pointer (&reader->klass, g_free);
  g_clear_pointer (&reader->epoch, g_free);
  reader->n_columns = 0;
}

/* rf_table_unique_name's rule (name, name_2, name_3, ...; an empty name is
 * column_<index+1>) against a set, which stays fast for wide files. */
static char *
unique_name (GHashTable *taken,
             const char *name,
             guint       index)
{
  g_autofree char *base = (name == NULL || *name == '\0') ? g_strdup_printf ("column_%u", index + 1)
                                                           : g_strdup (name);
  char *candidate;

  if (!g_hash_table_contains (taken, base))
    candidate = g_steal_pointer (&base);
  else
    for (guint n = 2;; n++)
      {
        candidate = g_strdup_printf ("%s_%u", base, n);
        if (!g_hash_table_contains (taken, candidate))
          break;
        g_free (candidate);
      }
  g_hash_table_add (taken, g_strdup (candidate));
  return candidate;
}

/* Column names, types to start from, and the estimates, from the sample. */
static gboolean
plan_columns (Reader       *reader,
              const Head   *head,
              GArray       *fields,
              GArray       *records,
              GError      **error)
{
  const RfReadOptions *options = reader->options;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) scratch = g_string_new (NULL);
  guint first_data = reader->has_header ? 1 : 0;
  guint n_columns = 0;
  gsize data_bytes = 0;
  guint n_data = records->len - first_data;

  if (reader->has_header)
    n_columns = g_array_index (records, SampleRecord, 0).n_fields;
  else
    for (guint r = 0; r < records->len; r++)
      n_columns = MAX (n_columns, g_array_index (records, SampleRecord, r).n_fields);
  if (n_columns > MAX_COLUMNS)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                   "“%s” line 1: %u fields, more than the %u columns Refinery reads; check that “%s” is the "
                   "delimiter (choose another in the import options), or split the file",
                   reader->display, n_columns, MAX_COLUMNS, rf_delimiter_to_string (reader->dialect.delimiter));
      return FALSE;
    }

  reader->n_columns = n_columns;
  reader->plans = g_new0 (ColumnPlan, n_columns);
  reader->klass = g_new0 (RfValueClass, n_columns);
  reader->epoch = g_new0 (RfEpochState, n_columns);

  for (guint c = 0; c < n_columns; c++)
    {
      ColumnPlan *plan = &reader->plans[c];
      g_autofree char *header_text = NULL;
      RfColumnType forced;
      gsize text_bytes = 0;
      guint counts[RF_VALUE_CLASS_STRING + 1] = { 0 };

      if (reader->has_header)
        {
          const SampleRecord *record = &g_array_index (records, SampleRecord, 0);
          const Field *field = &g_array_index (fields, Field, record->first_field + c);
          gsize length;
          const char *text = field_text (field, scratch, &length);

          /* the sniffer passed the head as UTF-8 unless the encoding was forced */
          if (!rf_text_is_utf8 (text, length))
            header_text = g_utf8_make_valid (text, (gssize) length);
          else
            header_text = g_strndup (text, length);
        }
      plan->name = unique_name (names, header_text, c);
      plan->unit = rf_infer_unit_from_name (header_text);
      plan->time_name = rf_infer_name_is_time (plan->name);
      plan->parse = TRUE;
      plan->klass = RF_VALUE_CLASS_NA;
      plan->epoch = RF_EPOCH_UNSEEN;

      for (guint r = first_data; r < records->len; r++)
        {
          const SampleRecord *record = &g_array_index (records, SampleRecord, r);
          const Field *field;
          const char *text;
          gsize length;
          RfValueClass klass;

          if (c >= record->n_fields)
            continue;
          field = &g_array_index (fields, Field, record->first_field + c);
          text = field_text (field, scratch, &length);
          text_bytes += length;
          klass = rf_value_class_of (text, length, reader->dialect.decimal_mark);
          plan->klass = rf_value_class_join (plan->klass, klass);
          counts[klass]++;
          if (klass == RF_VALUE_CLASS_INT)
            {
              gint64 value;
              if (rf_value_parse_int64 (text, length, &value))
                plan->epoch = rf_epoch_state_join (plan->epoch, rf_epoch_state_of (value));
            }
        }
      plan->sample_bytes = n_data > 0 ? (double) text_bytes / n_data : 8.0;

      if (options != NULL && options->all_strings)
        {
          plan->text = TRUE;
          plan->type = RF_COLUMN_STRING;
        }
      else if (rf_read_options_get_column_type (options, plan->name, &forced))
        {
          plan->forced = TRUE;
          plan->type = forced;
          if (forced == RF_COLUMN_TIMESTAMP)
            plan->format = forced_timestamp_format (counts, plan->epoch);
        }
      else
        plan->type = rf_infer_column_type (plan->klass, plan->time_name, plan->epoch, &plan->format);
      reader->klass[c] = plan->klass;
      reader->epoch[c] = plan->epoch;
    }

  /* How many rows to make room for: the rest of the text over the sample's
   * bytes per row (what is not used is never touched, so costs no memory). */
  if (n_data > 0)
    {
      const SampleRecord *first = &g_array_index (records, SampleRecord, first_data);
      const SampleRecord *last = &g_array_index (records, SampleRecord, records->len - 1);
      data_bytes = (gsize) (last->end - first->start);
      reader->estimated_row_bytes = MAX (1.0, (double) data_bytes / n_data);
    }
  else
    reader->estimated_row_bytes = 64.0;
  {
    double scale = head->from_bytes > 0 ? (double) head->length / head->from_bytes : 1.0;
    double text_bytes = (double) (reader->source.size - reader->source.bom_length) * scale;
    double rows = MAX (0.0, text_bytes - reader->data_start) / reader->estimated_row_bytes * 1.02 + 16;

    reader->estimated_rows = (gsize) MIN (rows, (double) reader->max_rows + 1);
  }
  return TRUE;
}

/* Fills in encoding, dialect, header, columns and estimates. */
static gboolean
sniff (Reader  *reader,
       GError **error)
{
  const RfReadOptions *options = reader->options;
  gsize head_bytes = HEAD_BYTES;

  for (;;)
    {
      Head head = { 0 };
      g_autoptr(GArray) fields = g_array_new (FALSE, FALSE, sizeof (Field));
      g_autoptr(GArray) record_fields = g_array_new (FALSE, FALSE, sizeof (Field));
      g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (SampleRecord));
      g_autoptr(GString) scratch = g_string_new (NULL);
      const char *p, *end;
      guint64 line = 1;
      char delimiter, decimal_mark;
      gboolean ok;

      if (!load_head (reader, head_bytes, &head, error))
        {
          head_clear (&head);
          return FALSE;
        }
      p = head.text;
      end = head.text + head.length;

      reader->line_ending = detect_line_ending (head.text, head.length);
      delimiter = options != NULL && options->delimiter != 0 ? options->delimiter : sniff_delimiter (&head);
      dialect_init (&reader->dialect, delimiter, '.');

      while (records->len < SAMPLE_RECORDS && fields->len < SAMPLE_FIELDS)
        {
          SampleRecord record;
          guint64 breaks = 0;
          ScanResult result;

          if (!skip_empty_lines (&p, end, head.complete, &breaks))
            break;
          line += breaks;
          breaks = 0;
          if (p == end)
            break;
          record.start = p;
          record.line = line;
          result = tokenize_record (&reader->dialect, &p, end, head.complete, record_fields, &record.n_fields,
                                    &breaks);
          if (result == SCAN_UNTERMINATED && records->len == 0)
            {
              g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                           "“%s” line %" G_GUINT64_FORMAT ": a quoted field opened here is never closed; "
                           "add the closing \" (a quote inside a field is written \"\")",
                           reader->display, line + breaks);
              head_clear (&head);
              return FALSE;
            }
          if (result != SCAN_OK)
            break;
          record.first_field = fields->len;
          if (record.n_fields > MAX_COLUMNS)
            {
              g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                           "“%s” line %" G_GUINT64_FORMAT ": %u fields, more than the %u columns Refinery reads; "
                           "check that “%s” is the delimiter (choose another in the import options), or split "
                           "the file", reader->display, line, record.n_fields, MAX_COLUMNS,
                           rf_delimiter_to_string (delimiter));
              head_clear (&head);
              return FALSE;
            }
          record.end = p;
          g_array_append_vals (fields, record_fields->data, record_fields->len);
          g_array_append_val (records, record);
          line += breaks;
        }

      if (records->len == 0 && !head.complete)
        {
          /* the first record is longer than the head: look further */
          head_clear (&head);
          if (head_bytes >= MAX_RECORD_BYTES)
            {
              g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                           "“%s”: the first record is longer than %u MB; check that this is a CSV file and that "
                           "its quotes are balanced", reader->display, (guint) (MAX_RECORD_BYTES >> 20));
              return FALSE;
            }
          head_bytes *= 4;
          continue;
        }
      if (records->len == 0)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                       "“%s” is empty: it has no header and no rows; export the data again", reader->display);
          head_clear (&head);
          return FALSE;
        }

      if (options != NULL && options->decimal_mark != 0)
        decimal_mark = options->decimal_mark;
      else
        {
          int votes = 0;
          for (guint i = 0; i < fields->len && delimiter != ','; i++)
            {
              gsize length;
              const char *text = field_text (&g_array_index (fields, Field, i), scratch, &length);
              votes += decimal_vote (text, length);
            }
          decimal_mark = votes > 0 ? ',' : '.';
        }
      dialect_init (&reader->dialect, delimiter, decimal_mark);

      if (options != NULL && options->header != RF_HEADER_AUTO)
        reader->has_header = options->header == RF_HEADER_PRESENT;
      else
        {
          const SampleRecord *first = &g_array_index (records, SampleRecord, 0);
          reader->has_header = TRUE;
          for (guint i = 0; i < first->n_fields; i++)
            {
              gsize length;
              const char *text = field_text (&g_array_index (fields, Field, first->first_field + i),
                                             scratch, &length);
              if (class_is_data (rf_value_class_of (text, length, decimal_mark)))
                reader->has_header = FALSE;
            }
        }

      if (reader->has_header)
        {
          const SampleRecord *first = &g_array_index (records, SampleRecord, 0);
          reader->data_start = (gsize) (first->end - head.text);
          reader->data_line = first->line + count_breaks (first->start, (gsize) (first->end - first->start));
        }
      else
        {
          reader->data_start = 0;
          reader->data_line = 1;
        }

      ok = plan_columns (reader, &head, fields, records, error);
      head_clear (&head);
      return ok;
    }
}

/* ------------------------------------------------------------------------ */
/* Passes over the text */

/* Where to cut text[0..length) for n parts: after a line break outside
 * quotes (quote parity counted from the start, which is a record start).
 * Returns the number of parts; splits[0..n] are their bounds. Parity is
 * fooled by a stray quote in an unquoted field: the parts check that each
 * one ends where the next begins. */
static guint
find_splits (const char *text,
             gsize       length,
             guint       n_parts,
             char        eol,
             gsize      *splits)
{
  gboolean in_quotes = FALSE;
  gsize pos = 0;
  guint n = 1;

  splits[0] = 0;
  for (guint i = 1; i < n_parts; i++)
    {
      gsize target = length / n_parts * i;

      if (target > pos)
        {
          const char *q = text + pos, *t = text + target;
          while ((q = memchr (q, '"', (gsize) (t - q))) != NULL)
            {
              in_quotes = !in_quotes;
              q++;
            }
          pos = target;
        }
      for (;;)
        {
          const char *e = memchr (text + pos, eol, length - pos);
          const char *q;

          if (e == NULL)
            goto done;
          q = memchr (text + pos, '"', (gsize) (e - (text + pos)));
          if (q != NULL)
            {
              in_quotes = !in_quotes;
              pos = (gsize) (q - text) + 1;
              continue;
            }
          pos = (gsize) (e - text) + 1;
          if (!in_quotes)
            {
              if (eol == '\r' && pos < length && text[pos] == '\n')
                pos++;
              break;
            }
        }
      if (pos >= length)
        break;
      splits[n++] = pos;
    }
done:
  splits[n] = length;
  return n;
}

static void
part_init (Reader *reader,
           Part   *part,
           guint   index)
{
  guint n = reader->n_columns;

  memset (part, 0, sizeof *part);
  part->reader = reader;
  part->staged = index > 0;
  part->klass = g_new0 (RfValueClass, n);
  part->epoch = g_new0 (RfEpochState, n);
  part->fast = g_new0 (FastKind, n);
  part->n_unparsed = g_new0 (gsize, n);
  part->first_unparsed = g_new0 (guint64, n);
  part->cells = g_new0 (Cell, MAX (n, 1));
  part->scratch = g_string_new (NULL);
}

static void
part_clear (Part *part,
            guint n)
{
  if (part->reader == NULL)
    return;
  stage_free (&part->stage, n);
  g_free (part->klass);
  g_free (part->epoch);
  g_free (part->fast);
  g_free (part->n_unparsed);
  g_free (part->first_unparsed);
  g_free (part->cells);
  g_string_free (part->scratch, TRUE);
  memset (part, 0, sizeof *part);
}

static void
part_start (Part       *part,
            const char *start,
            const char *end,
            const char *limit,
            gboolean    eof)
{
  const Reader *reader = part->reader;
  guint n = reader->n_columns;

  part->start = start;
  part->end = end;
  part->limit = limit;
  part->eof = eof;
  part->stop = start;
  part->n_rows = 0;
  part->n_lines = 0;
  part->n_padded = part->n_trimmed = 0;
  part->first_padded = part->first_trimmed = 0;
  part->status = PART_OK;
  part->error_line = 0;
  part->error_fields = 0;
  part->error_nul = FALSE;
  part->stage.n_rows = 0;
  g_string_truncate (part->scratch, 0);
  memcpy (part->klass, reader->klass, n * sizeof (RfValueClass));
  memcpy (part->epoch, reader->epoch, n * sizeof (RfEpochState));
  memset (part->n_unparsed, 0, n * sizeof (gsize));
  for (guint c = 0; c < n; c++)
    part->fast[c] = fast_kind (reader, c, reader->klass[c], reader->epoch[c]);
  if (part->staged)
    {
      gsize rows = (gsize) ((double) (end - start) / reader->estimated_row_bytes * 1.1) + 64;
      if (rows > part->stage.capacity)
        stage_reserve (&part->stage, reader, MAX (rows, part->stage.capacity * 3 / 2), FALSE);
    }
}

typedef enum
{
  PASS_OK,
  PASS_FAILED,
  PASS_INVALID_TEXT,     /* text that is not UTF-8: maybe another encoding */
} PassResult;

static void
set_too_many_rows (Reader  *reader,
                   GError **error)
{
  g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
               "“%s” has more than %" G_GSIZE_FORMAT " rows, the limit; split the file, or raise the "
               "row limit in the preferences (--max-rows on the command line)",
               reader->display, reader->max_rows);
}

/* Takes the parts' results in file order. Returns the bytes of the block
 * consumed, or -1 with error set (and *result). */
static gssize
merge_parts (Reader      *reader,
             const char  *text,
             guint        n_parts,
             gboolean     second,
             guint       *n_merged,
             PassResult  *result,
             GError     **error)
{
  gssize consumed = 0;

  *n_merged = 0;

  for (guint i = 0; i < n_parts; i++)
    {
      Part *part = &reader->parts[i];
      guint64 base = reader->line;

      if (part->status != PART_OK && part->status != PART_TOO_MANY_ROWS &&
          reader->n_rows + part->n_rows <= reader->max_rows)
        {
          *result = PASS_FAILED;
          switch (part->status)
            {
            case PART_UNTERMINATED:
              g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                           "“%s” line %" G_GUINT64_FORMAT ": a quoted field opened here is never closed; "
                           "add the closing \" (a quote inside a field is written \"\")",
                           reader->display, base + part->error_line);
              break;
            case PART_TOO_MANY_FIELDS:
              g_set_error (error, RF_ERROR, RF_ERROR_PARSE,
                           "“%s” line %" G_GUINT64_FORMAT ": %u fields where the %s has %u; quote the "
                           "fields that contain “%s”, or choose the right delimiter",
                           reader->display, base + part->error_line, part->error_fields,
                           reader->has_header ? "header" : "first row", reader->n_columns,
                           rf_delimiter_to_string (reader->dialect.delimiter));
              break;
            case PART_INVALID_TEXT:
            case PART_OK:
            case PART_TOO_MANY_ROWS:
            default:
              if (part->error_nul)
                g_set_error (error, RF_ERROR, RF_ERROR_FORMAT,
                             "“%s” line %" G_GUINT64_FORMAT ": the text holds a zero byte, so this is not a "
                             "text file; choose the CSV export of the data",
                             reader->display, base + part->error_line);
              else
                {
                  g_set_error (error, RF_ERROR, RF_ERROR_ENCODING,
                               "“%s” line %" G_GUINT64_FORMAT ": the text is not valid %s; choose the file's "
                               "encoding in the import options, or re-save it as UTF-8",
                               reader->display, base + part->error_line, reader->encoding);
                  *result = PASS_INVALID_TEXT;
                }
              break;
            }
          return -1;
        }
      if (part->status != PART_OK || reader->n_rows + part->n_rows > reader->max_rows)
        {
          *result = PASS_FAILED;
          set_too_many_rows (reader, error);
          return -1;
        }

      for (guint c = 0; c < reader->n_columns; c++)
        {
          ColumnPlan *plan = &reader->plans[c];

          if (part->n_unparsed[c] > 0)
            {
              if (plan->n_unparsed == 0)
                plan->first_unparsed_line = base + part->first_unparsed[c];
              plan->n_unparsed += part->n_unparsed[c];
            }
          if (!plan->forced && !plan->text)
            {
              RfValueClass klass = rf_value_class_join (reader->klass[c], part->klass[c]);
              RfEpochState epoch = rf_epoch_state_join (reader->epoch[c], part->epoch[c]);

              if (second && (klass != reader->klass[c] || epoch != reader->epoch[c]))
                {
                  *result = PASS_FAILED;
                  g_set_error (error, RF_ERROR, RF_ERROR_IO,
                               "“%s” changed while it was being read; read it again", reader->display);
                  return -1;
                }
              reader->klass[c] = klass;
              reader->epoch[c] = epoch;
            }
        }
      if (part->n_padded > 0)
        {
          if (reader->n_padded == 0)
            reader->first_padded = base + part->first_padded;
          reader->n_padded += part->n_padded;
        }
      if (part->n_trimmed > 0)
        {
          if (reader->n_trimmed == 0)
            reader->first_trimmed = base + part->first_trimmed;
          reader->n_trimmed += part->n_trimmed;
        }
      reader->n_rows += part->n_rows;
      reader->line += part->n_lines;
      consumed = part->stop - text;
      *n_merged = i + 1;
      /* the next part started inside a record (a stray quote fooled the
       * parity): drop it, its text comes again in the next block */
      if (part->stop != part->end)
        break;
    }
  return consumed;
}

/* Room in column c for the rows of text_length more bytes of text, with
 * the pages they will be written to mapped. */
static void
prepare_column (Reader *reader,
                guint   c,
                gsize   text_length)
{
  gsize rows = (gsize) ((double) text_length / reader->estimated_row_bytes * 1.1) + 16;
  RfColumn *column = reader->fill[c];
  gsize n, room;

  if (column == NULL || text_length == 0)
    return;
  n = column->n_rows;
  /* what the column holds room for (it was made for estimated_rows) */
  room = MAX (n + rows, reader->estimated_rows);
  if (column->type == RF_COLUMN_STRING)
    {
      /* a column's text is part of the block's */
      gsize bytes = (gsize) MIN (rows * reader->plans[c].sample_bytes, (double) text_length) * 1.1 + 64;

      rf_column_reserve (column, rows, bytes);
      if (column->offsets != reader->advised[c])
        {
          advise_huge (column->offsets, (room + 1) * sizeof (guint64));
          reader->advised[c] = column->offsets;
        }
      populate (column->offsets + n + 1, rows * sizeof (guint64));
      populate (column->bytes + column->n_bytes, bytes);
    }
  else
    {
      gsize size = column->type == RF_COLUMN_BOOL ? 1 : 8;

      rf_column_reserve (column, rows, 0);
      if (column->values.data != reader->advised[c])
        {
          advise_huge (column->values.data, room * size);
          reader->advised[c] = column->values.data;
        }
      populate ((const char *) column->values.data + n * size, rows * size);
    }
}

/* Work on the table between blocks, split by columns between threads:
 * the staged rows of parts 1..n_parts-1 in order, then room for the next
 * text_length bytes. */
typedef struct
{
  Reader *reader;
  guint first;
  guint step;
  guint n_parts;
  gsize text_length;
} ColumnTask;

static gpointer
column_task (gpointer data)
{
  ColumnTask *task = data;
  Reader *reader = task->reader;

  for (guint c = task->first; c < reader->n_columns; c += task->step)
    {
      for (guint i = 1; i < task->n_parts; i++)
        stage_flush_column (&reader->parts[i], c);
      prepare_column (reader, c, task->text_length);
    }
  return NULL;
}

static void
run_column_tasks (Reader *reader,
                  guint   n_threads,
                  guint   n_parts,
                  gsize   text_length)
{
  ColumnTask tasks[MAX_THREADS];
  GThread *threads[MAX_THREADS] = { NULL };

  gsize staged = 0;

  for (guint i = 1; i < n_parts; i++)
    staged += reader->parts[i].stage.n_rows;
  /* threads only pay off for real work */
  if (staged < 16384 && text_length < DEFAULT_MIN_SPLIT)
    n_threads = 1;
  n_threads = MAX (1, MIN (n_threads, reader->n_columns));
  for (guint t = 0; t < n_threads; t++)
    tasks[t] = (ColumnTask) { reader, t, n_threads, n_parts, text_length };
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_try_new ("rf-csv-columns", column_task, &tasks[t], NULL);
  column_task (&tasks[0]);
  for (guint t = 1; t < n_threads; t++)
    {
      if (threads[t] != NULL)
        g_thread_join (threads[t]);
      else
        column_task (&tasks[t]);
    }
}

static PassResult
run_pass (Reader        *reader,
          gboolean       second,
          RfProgress    *progress,
          GCancellable  *cancellable,
          GError       **error)
{
  Source *source = &reader->source;
  guint n_threads = MAX (1, MIN (reader->n_threads, MAX_THREADS));
  char eol = g_strcmp0 (reader->line_ending, "CR") == 0 ? '\r' : '\n';
  PassResult result = PASS_OK;
  gsize skip = reader->data_start, want = reader->data_start + reader->block_size;
  gboolean first_block = TRUE, single = FALSE;
  gsize parsed_bytes = 0;

  reader->n_rows = 0;
  reader->line = reader->data_line;
  reader->n_padded = reader->n_trimmed = 0;
  for (guint c = 0; c < reader->n_columns; c++)
    reader->plans[c].n_unparsed = 0;
  for (guint i = 0; i < n_threads; i++)
    part_init (reader, &reader->parts[i], i);

  if (!source_rewind (source, reader->encoding, source->bom_length, error))
    {
      result = PASS_FAILED;
      goto out;
    }

  for (;;)
    {
      const char *text;
      gsize length, splits[MAX_THREADS + 1];
      guint n_parts = 1;
      gssize consumed;
      guint n_merged;
      GThread *threads[MAX_THREADS] = { NULL };

      if (!source_fill (source, 0, want, error))
        {
          if (g_error_matches (*error, RF_ERROR, RF_ERROR_ENCODING))
            g_prefix_error (error, "“%s” line %" G_GUINT64_FORMAT ": ", reader->display,
                            reader->line + count_breaks (source->window != NULL ? source->window : "",
                                                         source->window_length));
          result = PASS_FAILED;
          goto out;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          result = PASS_FAILED;
          goto out;
        }
      if (skip > source->window_length)
        skip = source->window_length;
      text = source->window + skip;
      length = source->window_length - skip;
      if (length == 0 && source->eof)
        break;

      if (first_block)
        run_column_tasks (reader, n_threads, 0, length);
      first_block = FALSE;
      splits[0] = 0;
      splits[1] = length;
      if (n_threads > 1 && length >= reader->min_split && !single)
        n_parts = find_splits (text, length, n_threads, eol, splits);
      single = FALSE;
      for (guint i = 0; i < n_parts; i++)
        part_start (&reader->parts[i], text + splits[i], text + splits[i + 1], text + length,
                    i + 1 == n_parts ? source->eof : FALSE);
      for (guint i = 1; i < n_parts; i++)
        threads[i] = g_thread_try_new ("rf-csv", part_thread, &reader->parts[i], NULL);
      parse_part (&reader->parts[0]);
      for (guint i = 1; i < n_parts; i++)
        {
          if (threads[i] != NULL)
            g_thread_join (threads[i]);
          else
            parse_part (&reader->parts[i]);
        }

      consumed = merge_parts (reader, text, n_parts, second, &n_merged, &result, error);
      if (consumed < 0)
        goto out;
      /* what the rows so far really took, for the room to make next */
      parsed_bytes += (gsize) consumed;
      if (reader->n_rows > 0)
        reader->estimated_row_bytes = MAX (1.0, (double) parsed_bytes / reader->n_rows);
      run_column_tasks (reader, n_threads, n_merged,
                        source->eof ? 0 : MIN (reader->block_size,
                                               source_remaining (source) + (length - (gsize) consumed)));
      if (consumed == 0 && n_parts > 1)
        {
          /* the first part did not end where the second began, and had no
           * whole record before: read this block in one piece */
          single = TRUE;
          continue;
        }
      if (consumed == 0 && source->eof)
        {
          /* cannot happen: at the end every record completes or fails */
          g_set_error (error, RF_ERROR, RF_ERROR_FAILED,
                       "“%s” line %" G_GUINT64_FORMAT ": the CSV reader stopped making progress here; please "
                       "report this file", reader->display, reader->line);
          result = PASS_FAILED;
          goto out;
        }
      if (source->eof && (gsize) consumed == length)
        break;
      /* no complete record in the block: take a bigger one (doubling keeps
       * a huge field linear), within reason */
      if (consumed == 0 && source->window_length >= MAX_RECORD_BYTES)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_TOO_LARGE,
                       "“%s” line %" G_GUINT64_FORMAT ": a record longer than %u MB; check that this is a CSV "
                       "file and that its quotes are balanced", reader->display, reader->line,
                       (guint) (MAX_RECORD_BYTES >> 20));
          result = PASS_FAILED;
          goto out;
        }
      want = consumed == 0 ? MAX (want, source->window_length) * 2 : reader->block_size;
      if (!source_fill (source, skip + (gsize) consumed, 0, error))
        {
          result = PASS_FAILED;
          goto out;
        }
      skip = 0;
      rf_progress_report (progress, source_fraction (source), NULL);
    }

out:
  for (guint i = 0; i < n_threads; i++)
    part_clear (&reader->parts[i], reader->n_columns);
  return result;
}

/* ------------------------------------------------------------------------ */
/* Reading */

static void
columns_free (Reader *reader)
{
  if (reader->columns != NULL)
    for (guint c = 0; c < reader->n_columns; c++)
      g_clear_pointer (&reader->columns[c], rf_column_unref);
  g_clear_pointer (&reader->columns, g_free);
  g_clear_pointer (&reader->fill, g_free);
  g_clear_pointer (&reader->advised, g_free);
}

static void
reader_reset (Reader *reader)
{
  columns_free (reader);
  plans_free (reader);
}

static void
reader_clear (Reader *reader)
{
  reader_reset (reader);
  source_clear (&reader->source);
  g_clear_pointer (&reader->encoding, g_free);
  g_clear_pointer (&reader->reread_encoding, g_free);
}

static RfColumn *
new_column (const ColumnPlan *plan,
            gsize             rows)
{
  RfColumn *column = rf_column_new_sized (plan->name, plan->type, rows);

  if (plan->type == RF_COLUMN_STRING)
    rf_column_reserve (column, 0, (gsize) (rows * plan->sample_bytes * 1.05));
  return column;
}

/* The whole file through the sniffer, after UTF-8 failed further down than
 * the head: the encoding to read it in, or FALSE (error set when the
 * sniffer has a better message than the pass). */
static gboolean
reencode (Reader  *reader,
          GError **error)
{
  Source *source = &reader->source;
  g_autoptr(RfTextSniffer) sniffer = rf_text_sniffer_new ();
  g_autofree guint8 *buffer = NULL;
  g_autofree char *encoding = NULL;
  guint64 offset = 0;

  if (source->fd < 0)
    rf_text_sniffer_feed (sniffer, source->data, source->size);
  else
    {
      buffer = g_malloc (HEAD_BYTES);
      for (;;)
        {
          gsize got;
          if (!read_at (source, buffer, HEAD_BYTES, offset, &got, error))
            return FALSE;
          rf_text_sniffer_feed (sniffer, buffer, got);
          offset += got;
          if (got < HEAD_BYTES)
            break;
        }
    }
  encoding = rf_text_sniffer_finish (sniffer, TRUE, reader->display, error);
  if (encoding == NULL || is_utf8_name (encoding))
    return FALSE;
  reader->reread_encoding = g_steal_pointer (&encoding);
  return TRUE;
}

static const char *
reported_encoding (const Reader *reader)
{
  /* the table decoder has now seen every byte */
  if (reader->encoding_detected && rf_text_encoding_is_latin (reader->encoding) && reader->source.decoder != NULL)
    return rf_text_decoder_saw_c1 (reader->source.decoder) ? "WINDOWS-1252" : "ISO-8859-1";
  return reader->encoding;
}

static void
report_detection (const Reader *reader,
                  RfReadReport *report)
{
  if (report == NULL)
    return;
  report->format = RF_FORMAT_CSV;
  g_free (report->encoding);
  report->encoding = g_strdup (reported_encoding (reader));
  report->had_bom = reader->had_bom;
  report->delimiter = reader->dialect.delimiter;
  report->decimal_mark = reader->dialect.decimal_mark;
  g_free (report->line_ending);
  report->line_ending = g_strdup (reader->line_ending);
  report->has_header = reader->has_header;
}

static RfTable *
read_all (Reader        *reader,
          RfReadReport  *report,
          RfProgress    *progress,
          GCancellable  *cancellable,
          GError       **error)
{
  RfProgress first = rf_progress_range (progress, 0.0, PASS1_SHARE);
  RfProgress second = rf_progress_range (progress, PASS1_SHARE, 1.0);
  g_autoptr(RfTable) table = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  gboolean reparse = FALSE;
  gsize n_rows;

  for (;;)
    {
      g_autoptr(GError) local = NULL;
      PassResult result;

      reader_reset (reader);
      if (!sniff (reader, error))
        {
          if (reader->encoding != NULL)
            report_detection (reader, report);
          return NULL;
        }
      report_detection (reader, report);
      reader->columns = g_new0 (RfColumn *, MAX (reader->n_columns, 1));
      reader->fill = g_new0 (RfColumn *, MAX (reader->n_columns, 1));
      reader->advised = g_new0 (const void *, MAX (reader->n_columns, 1));
      for (guint c = 0; c < reader->n_columns; c++)
        reader->fill[c] = reader->columns[c] = new_column (&reader->plans[c], reader->estimated_rows);

      result = run_pass (reader, FALSE, &first, cancellable, &local);
      if (result == PASS_OK)
        break;
      if (result == PASS_INVALID_TEXT && reader->encoding_detected && reader->reread_encoding == NULL &&
          is_utf8_name (reader->encoding))
        {
          g_autoptr(GError) sniffed = NULL;
          guint64 line = reader->line;

          if (reencode (reader, &sniffed))
            {
              g_ptr_array_add (warnings,
                               g_strdup_printf ("The text is not UTF-8 (from line %" G_GUINT64_FORMAT "): the "
                                                "file was read as %s", line, reader->reread_encoding));
              continue;
            }
          if (sniffed != NULL)
            g_propagate_error (error, g_steal_pointer (&sniffed));
          else
            g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  n_rows = reader->n_rows;

  /* Columns whose values did not all fit the first guess: read them again
   * with the type that fits every value. */
  for (guint c = 0; c < reader->n_columns; c++)
    {
      ColumnPlan *plan = &reader->plans[c];
      RfTimestampFormat format;
      RfColumnType type;

      plan->parse = FALSE;
      reader->fill[c] = NULL;
      if (plan->forced || plan->text)
        continue;
      type = rf_infer_column_type (reader->klass[c], plan->time_name, reader->epoch[c], &format);
      plan->klass = reader->klass[c];
      plan->epoch = reader->epoch[c];
      if (type == plan->type && format == plan->format)
        continue;
      plan->type = type;
      plan->format = format;
      plan->parse = TRUE;
      rf_column_unref (reader->columns[c]);
      reader->fill[c] = reader->columns[c] = new_column (plan, n_rows);
      reparse = TRUE;
    }
  if (reparse)
    {
      gsize n_padded = reader->n_padded, n_trimmed = reader->n_trimmed;
      guint64 first_padded = reader->first_padded, first_trimmed = reader->first_trimmed;

      reader->estimated_rows = n_rows;
      if (run_pass (reader, TRUE, &second, cancellable, error) != PASS_OK)
        return NULL;
      if (reader->n_rows != n_rows)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_IO,
                       "“%s” changed while it was being read; read it again", reader->display);
          return NULL;
        }
      reader->n_padded = n_padded;
      reader->n_trimmed = n_trimmed;
      reader->first_padded = first_padded;
      reader->first_trimmed = first_trimmed;
    }

  table = rf_table_new ();
  for (guint c = 0; c < reader->n_columns; c++)
    {
      RfColumn *column = reader->columns[c];
      ColumnPlan *plan = &reader->plans[c];

      rf_column_set_unit (column, plan->unit);
      rf_table_add_column (table, column);
      if (plan->n_unparsed > 0)
        g_ptr_array_add (warnings,
                         g_strdup_printf ("Column “%s”: %" G_GSIZE_FORMAT " values are not %s (first at line %"
                                          G_GUINT64_FORMAT "); they were read as missing",
                                          plan->name, plan->n_unparsed, rf_column_type_to_string (plan->type),
                                          plan->first_unparsed_line));
    }
  if (reader->n_padded > 0)
    g_ptr_array_add (warnings,
                     g_strdup_printf ("%" G_GSIZE_FORMAT " rows have fewer fields than the %s (first at line %"
                                      G_GUINT64_FORMAT "); the missing fields were read as missing values",
                                      reader->n_padded, reader->has_header ? "header" : "first row",
                                      reader->first_padded));
  if (reader->n_trimmed > 0)
    g_ptr_array_add (warnings,
                     g_strdup_printf ("%" G_GSIZE_FORMAT " rows end with empty extra fields (first at line %"
                                      G_GUINT64_FORMAT "); they were dropped",
                                      reader->n_trimmed, reader->first_trimmed));

  if (report != NULL)
    {
      report_detection (reader, report);
      g_ptr_array_set_size (report->columns, 0);
      for (guint c = 0; c < reader->n_columns; c++)
        {
          const ColumnPlan *plan = &reader->plans[c];
          RfColumnReport *column = rf_read_report_add_column (report, plan->name, plan->type);

          column->timestamp_format = plan->type == RF_COLUMN_TIMESTAMP ? plan->format : RF_TIMESTAMP_FORMAT_UNKNOWN;
          column->overridden = plan->forced;
          column->n_unparsed = plan->n_unparsed;
        }
      for (guint i = 0; i < warnings->len; i++)
        rf_read_report_add_warning (report, "%s", (const char *) g_ptr_array_index (warnings, i));
      report->n_rows = rf_table_get_n_rows (table);
    }
  rf_progress_report (progress, 1.0, NULL);
  return g_steal_pointer (&table);
}

static void
reader_init (Reader              *reader,
             const char          *display,
             const RfCsvTuning   *tuning,
             const RfReadOptions *options)
{
  memset (reader, 0, sizeof *reader);
  reader->display = display;
  reader->options = options;
  reader->max_rows = options != NULL && options->max_rows > 0 ? options->max_rows : RF_DEFAULT_MAX_ROWS;
  reader->block_size = tuning != NULL && tuning->block_size > 0 ? tuning->block_size : DEFAULT_BLOCK_SIZE;
  reader->n_threads = tuning != NULL && tuning->n_threads > 0 ? tuning->n_threads
                    : MIN ((guint) g_get_num_processors (), MAX_THREADS);
  reader->n_threads = CLAMP (reader->n_threads, 1, MAX_THREADS);
  reader->min_split = tuning != NULL && tuning->min_split > 0 ? tuning->min_split : DEFAULT_MIN_SPLIT;
  reader->source.display = display;
  reader->source.fd = -1;
  reader->source.block = reader->block_size;
}

static gboolean
check_size (const char          *display,
            guint64              size,
            const RfReadOptions *options,
            GError             **error)
{
  return rf_format_check_size (RF_FORMAT_CSV, display, size, options != NULL ? options->max_bytes : 0, error);
}

RfTable *
rf_csv_read_bytes_tuned (const guint8        *data,
                         gsize                length,
                         const char          *display_name,
                         const RfCsvTuning   *tuning,
                         const RfReadOptions *options,
                         RfReadReport        *report,
                         RfProgress          *progress,
                         GCancellable        *cancellable,
                         GError             **error)
{
  Reader reader;
  RfTable *table;
  const char *display = display_name != NULL ? display_name : "(data)";

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_size (display, length, options, error))
    return NULL;
  reader_init (&reader, display, tuning, options);
  reader.source.data = data != NULL ? data : (const guint8 *) "";
  reader.source.size = length;
  table = read_all (&reader, report, progress, cancellable, error);
  reader_clear (&reader);
  return table;
}

RfTable *
rf_csv_read_bytes (const guint8        *data,
                   gsize                length,
                   const char          *display_name,
                   const RfReadOptions *options,
                   RfReadReport        *report,
                   RfProgress          *progress,
                   GCancellable        *cancellable,
                   GError             **error)
{
  return rf_csv_read_bytes_tuned (data, length, display_name, NULL, options, report, progress, cancellable,
                                  error);
}

RfTable *
rf_csv_read_tuned (const char          *path,
                   const RfCsvTuning   *tuning,
                   const RfReadOptions *options,
                   RfReadReport        *report,
                   RfProgress          *progress,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autofree char *display = NULL;
  Reader reader;
  RfTable *table;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, RF_ERROR, saved == ENOENT ? RF_ERROR_NOT_FOUND : RF_ERROR_IO,
                   "Cannot open “%s”: %s", display, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "“%s” is not a regular file", display);
      close (fd);
      return NULL;
    }
  if (!check_size (display, (guint64) st.st_size, options, error))
    {
      close (fd);
      return NULL;
    }
#ifdef POSIX_FADV_SEQUENTIAL
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif

  reader_init (&reader, display, tuning, options);
  reader.source.fd = fd;
  reader.source.size = (guint64) st.st_size;
  table = read_all (&reader, report, progress, cancellable, error);
  reader_clear (&reader);
  close (fd);
  return table;
}

RfTable *
rf_csv_read (const char          *path,
             const RfReadOptions *options,
             RfReadReport        *report,
             RfProgress          *progress,
             GCancellable        *cancellable,
             GError             **error)
{
  return rf_csv_read_tuned (path, NULL, options, report, progress, cancellable, error);
}

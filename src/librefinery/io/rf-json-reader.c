#define G_LOG_DOMAIN "rf-json-reader"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "rf-error.h"
#include "rf-infer.h"
#include "rf-json-reader.h"
#include "rf-json-writer.h"
#include "rf-value-parse.h"

/* How it works. A small strict tokenizer walks the (UTF-8) text once and
 * files every value as an 8-byte cell under its column: a kind plus an
 * offset and length into the input, or into an arena for strings with
 * escapes and for nested arrays (kept as compact JSON text). No document
 * tree is built: json-glib's DOM of a 50 MB records file takes 760 MB before
 * any conversion, this reader 77 MB at its peak, input and table included.
 * Once every value is filed, each column gets its type from its cells (or
 * from the options) and is converted; its cells are freed as it is done.
 *
 * Nesting is limited to MAX_DEPTH, which bounds the recursion of the parser:
 * a file of 100000 '[' is refused, not a stack overflow. */

#define MAX_DEPTH 512

/* Rows between two cancellation checks and progress reports. */
#define CHUNK_ROWS 4096

/* Parsing is this share of the progress; building the columns the rest. */
#define PARSE_SHARE 0.9

#define PROGRESS_MESSAGE "Reading JSON"

#define EXPECTED_VALUE "a value (a number, a string, true, false, null, an array or an object)"

typedef enum
{
  CELL_MISSING,       /* the key is absent from this record */
  CELL_NULL,
  CELL_FALSE,
  CELL_TRUE,
  CELL_NAN,           /* NaN, as Python's json module writes it: missing */
  CELL_INTEGER,       /* a number without fraction or exponent; text in the input */
  CELL_REAL,          /* any other number, or ±Infinity; text in the input */
  CELL_STRING,        /* a string without escapes; text in the input */
  CELL_STRING_ARENA,  /* a string with escapes, decoded into the arena */
  CELL_NESTED,        /* an array or object as compact JSON, in the arena */
} CellKind;

#define CELL_KIND_BITS 4
#define CELL_MAX_LENGTH (G_MAXUINT32 >> CELL_KIND_BITS)

typedef struct
{
  guint32 offset;
  guint32 packed;     /* length << CELL_KIND_BITS | kind */
} Cell;

static inline Cell
cell_make (CellKind kind,
           gsize    offset,
           gsize    length)
{
  Cell cell = { (guint32) offset, (guint32) (length << CELL_KIND_BITS) | kind };
  return cell;
}

static inline CellKind
cell_kind (Cell cell)
{
  return cell.packed & ((1u << CELL_KIND_BITS) - 1);
}

typedef struct
{
  char *name;
  GArray *cells;      /* Cell, one per row so far */
} Builder;

static Builder *
builder_new (const char *name)
{
  Builder *builder = g_new0 (Builder, 1);

  builder->name = g_strdup (name);
  /* Cleared: a zeroed cell is CELL_MISSING, so growing pads with missing. */
  builder->cells = g_array_new (FALSE, TRUE, sizeof (Cell));
  return builder;
}

static void
builder_free (Builder *builder)
{
  g_free (builder->name);
  if (builder->cells != NULL)
    g_array_unref (builder->cells);
  g_free (builder);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Builder, builder_free)

static void
builder_pad (Builder *builder,
             gsize    n_rows)
{
  G_STATIC_ASSERT (CELL_MISSING == 0);
  if (builder->cells->len < n_rows)
    g_array_set_size (builder->cells, n_rows);
}

/* A top-level object member, found by the first pass over a single-object
 * document (column layout, split layout or a lone record). */
typedef struct
{
  char *key;
  gsize value_pos;
  char first;         /* first character of the value */
} Member;

static void
member_clear (Member *member)
{
  g_free (member->key);
}

typedef struct
{
  const char *text;   /* valid UTF-8, no NUL bytes */
  gsize length;
  gsize pos;
  const char *display;
  guint depth;

  GString *arena;     /* decoded strings and nested values */
  GString *scratch;   /* a string being decoded for nested copy */

  GPtrArray *builders;    /* Builder, in column order */
  GHashTable *by_name;    /* name → Builder (records and lines) */
  GPtrArray *slots;       /* Builder of the n-th value of the previous record */
  gsize n_rows;
  gsize max_rows;
  guint64 max_cells;

  gsize n_duplicate_rows;     /* records naming a key twice */
  gsize last_duplicate_row;
  gsize first_duplicate_row;
  char *first_duplicate_key;

  const RfReadOptions *options;
  RfReadReport *report;
  RfProgress *progress;
  GCancellable *cancellable;
  GError *error;
} Reader;

/* --- messages ------------------------------------------------------------ */

static void
locate (const Reader *r,
        gsize         pos,
        gsize        *line,
        gsize        *column)
{
  gsize line_start = 0;
  const char *p, *end;

  pos = MIN (pos, r->length);
  *line = 1;
  p = r->text;
  end = r->text + pos;
  while (p < end && (p = memchr (p, '\n', end - p)) != NULL)
    {
      (*line)++;
      p++;
      line_start = p - r->text;
    }
  *column = (gsize) g_utf8_strlen (r->text + line_start, pos - line_start) + 1;
}

/* What stands at pos, quoted for a message: ‘]’, ‘undefined’, U+0001 or
 * “the end of the file”. */
static char *
describe_at (const Reader *r,
             gsize         pos)
{
  static const char delimiters[] = " \t\r\n{}[],:\"";
  gsize end;
  guchar c;

  if (pos >= r->length)
    return g_strdup ("the end of the file");
  c = (guchar) r->text[pos];
  if (c < 0x20)
    return g_strdup_printf ("the control character U+%04X", c);
  if (memchr (delimiters, c, sizeof delimiters - 1) != NULL)
    return g_strdup_printf ("‘%c’", c);
  end = pos;
  while (end < r->length && end - pos < 24 && (guchar) r->text[end] >= 0x20 &&
         memchr (delimiters, r->text[end], sizeof delimiters - 1) == NULL)
    end++;
  /* Never cut a character in two. */
  while (end < r->length && end > pos + 1 && ((guchar) r->text[end] & 0xC0) == 0x80)
    end--;
  return g_strdup_printf ("‘%.*s’", (int) (end - pos), r->text + pos);
}

static gboolean fail (Reader     *r,
                      gsize       pos,
                      RfError     code,
                      const char *format,
                      ...) G_GNUC_PRINTF (4, 5);

/* Sets r->error to “file”, line L, column C: <message>. Always FALSE. */
static gboolean
fail (Reader     *r,
      gsize       pos,
      RfError     code,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  gsize line, column;
  va_list args;

  if (r->error != NULL)
    return FALSE;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  locate (r, pos, &line, &column);
  g_set_error (&r->error, RF_ERROR, code,
               "“%s”, line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT ": %s",
               r->display, line, column, message);
  return FALSE;
}

static gboolean
fail_syntax (Reader     *r,
             gsize       pos,
             const char *expected)
{
  g_autofree char *found = describe_at (r, pos);

  return fail (r, pos, RF_ERROR_PARSE,
               "invalid JSON: expected %s, found %s; correct the file or export it again",
               expected, found);
}

static gboolean
fail_row_limit (Reader *r)
{
  return fail (r, r->pos, RF_ERROR_TOO_LARGE,
               "the data has more than %" G_GSIZE_FORMAT " rows, the row limit; split the file, "
               "or raise the limit in the preferences (--max-rows on the command line)",
               r->max_rows);
}

static gboolean
fail_depth (Reader *r)
{
  return fail (r, r->pos, RF_ERROR_TOO_LARGE,
               "the data is nested more than %d levels deep; Refinery reads tables (records, "
               "columns or JSON Lines), flatten the data before importing it", MAX_DEPTH);
}

/* "a number", "an array", ... for the value starting at pos. */
static const char *
value_noun (const Reader *r,
            gsize         pos)
{
  if (pos >= r->length)
    return "nothing";
  switch (r->text[pos])
    {
    case '{':
      return "an object";
    case '[':
      return "an array";
    case '"':
      return "a string";
    case 't':
    case 'f':
      return "a boolean";
    case 'n':
      return "null";
    default:
      return "a number";
    }
}

/* --- tokens -------------------------------------------------------------- */

static inline void
skip_blanks (Reader *r)
{
  while (r->pos < r->length)
    {
      char c = r->text[r->pos];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
        break;
      r->pos++;
    }
}

/* The next significant character (blanks skipped), or -1 at the end. */
static inline int
peek (Reader *r)
{
  skip_blanks (r);
  return r->pos < r->length ? (guchar) r->text[r->pos] : -1;
}

/* After an element of an array or object: ',' means another follows,
 * close ends the container, anything else is a syntax error. */
typedef enum
{
  SEPARATOR_MORE,
  SEPARATOR_CLOSE,
  SEPARATOR_ERROR,
} Separator;

static Separator
take_separator (Reader     *r,
                int         close,
                const char *expected)
{
  int c = peek (r);

  if (c == ',' || c == close)
    {
      r->pos++;
      return c == ',' ? SEPARATOR_MORE : SEPARATOR_CLOSE;
    }
  fail_syntax (r, r->pos, expected);
  return SEPARATOR_ERROR;
}

static inline int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gunichar
hex4 (const char *p)
{
  return (gunichar) (hex_value (p[0]) << 12 | hex_value (p[1]) << 8 |
                     hex_value (p[2]) << 4 | hex_value (p[3]));
}

/* At a '"': checks the string and moves past it. [*start, *end) is the raw
 * text between the quotes; *escaped tells whether it holds escapes. */
static gboolean
scan_string (Reader   *r,
             gsize    *start,
             gsize    *end,
             gboolean *escaped)
{
  gsize open = r->pos;

  *escaped = FALSE;
  *start = ++r->pos;
  while (r->pos < r->length)
    {
      guchar c = (guchar) r->text[r->pos];

      if (c == '"')
        {
          *end = r->pos++;
          if (*end - *start > CELL_MAX_LENGTH)
            return fail (r, open, RF_ERROR_TOO_LARGE,
                         "a string of %" G_GSIZE_FORMAT " bytes is longer than Refinery "
                         "reads (%u bytes)", *end - *start, CELL_MAX_LENGTH);
          return TRUE;
        }
      if (c == '\\')
        {
          char e;

          *escaped = TRUE;
          if (r->pos + 1 >= r->length)
            break;
          e = r->text[r->pos + 1];
          if (e == 'u')
            {
              for (int i = 2; i < 6; i++)
                if (r->pos + i >= r->length || hex_value (r->text[r->pos + i]) < 0)
                  return fail (r, r->pos, RF_ERROR_PARSE,
                               "invalid JSON: ‘\\u’ in a string must be followed by four hex "
                               "digits; correct the file or export it again");
              r->pos += 6;
            }
          else if (e != '\0' && strchr ("\"\\/bfnrt", e) != NULL)
            r->pos += 2;
          else
            {
              g_autofree char *found = describe_at (r, r->pos + 1);
              return fail (r, r->pos, RF_ERROR_PARSE,
                           "invalid JSON: unknown escape ‘\\’ followed by %s in a string "
                           "(JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX); "
                           "correct the file or export it again", found);
            }
          continue;
        }
      if (c < 0x20)
        return fail (r, r->pos, RF_ERROR_PARSE,
                     "invalid JSON: the control character U+%04X inside a string must be "
                     "written as \\u%04X (is a closing ‘\"’ missing?); correct the file or "
                     "export it again", c, c);
      r->pos++;
    }
  return fail (r, open, RF_ERROR_PARSE,
               "invalid JSON: the string starting here is never closed (a ‘\"’ is missing); "
               "correct the file or export it again");
}

/* Appends the decoded text of a scanned string. Lone surrogates become
 * U+FFFD; everything else was checked by scan_string(). */
static void
decode_string (const char *text,
               gsize       start,
               gsize       end,
               GString    *out)
{
  gsize i = start;

  while (i < end)
    {
      const char *backslash = memchr (text + i, '\\', end - i);
      gsize run_end = backslash != NULL ? (gsize) (backslash - text) : end;
      gunichar ch;

      g_string_append_len (out, text + i, run_end - i);
      i = run_end;
      if (i >= end)
        break;
      switch (text[i + 1])
        {
        case 'b':
          g_string_append_c (out, '\b');
          break;
        case 'f':
          g_string_append_c (out, '\f');
          break;
        case 'n':
          g_string_append_c (out, '\n');
          break;
        case 'r':
          g_string_append_c (out, '\r');
          break;
        case 't':
          g_string_append_c (out, '\t');
          break;
        case 'u':
          ch = hex4 (text + i + 2);
          i += 6;
          if (ch >= 0xD800 && ch <= 0xDBFF && i + 6 <= end && text[i] == '\\' && text[i + 1] == 'u')
            {
              gunichar low = hex4 (text + i + 2);
              if (low >= 0xDC00 && low <= 0xDFFF)
                {
                  ch = 0x10000 + ((ch - 0xD800) << 10) + (low - 0xDC00);
                  i += 6;
                }
            }
          if (ch >= 0xD800 && ch <= 0xDFFF)
            ch = 0xFFFD;
          g_string_append_unichar (out, ch);
          continue;
        default:
          /* '"', '\\' and '/' stand for themselves */
          g_string_append_c (out, text[i + 1]);
          break;
        }
      i += 2;
    }
}

static gboolean
take_word (Reader     *r,
           const char *word)
{
  gsize n = strlen (word);

  if (r->length - r->pos < n || memcmp (r->text + r->pos, word, n) != 0)
    return fail_syntax (r, r->pos, EXPECTED_VALUE);
  r->pos += n;
  return TRUE;
}

/* At a '-' or a digit: checks the number's syntax and moves past it. Also
 * takes -Infinity. */
static gboolean
scan_number (Reader   *r,
             CellKind *kind)
{
  gsize start = r->pos;
  const char *t = r->text;

  *kind = CELL_INTEGER;
  if (t[r->pos] == '-')
    {
      r->pos++;
      if (r->pos < r->length && t[r->pos] == 'I')
        {
          *kind = CELL_REAL;
          return take_word (r, "Infinity");
        }
    }
  if (r->pos >= r->length || !g_ascii_isdigit (t[r->pos]))
    return fail_syntax (r, r->pos, "a digit");
  if (t[r->pos] == '0')
    {
      r->pos++;
      if (r->pos < r->length && g_ascii_isdigit (t[r->pos]))
        return fail (r, start, RF_ERROR_PARSE,
                     "invalid JSON: a number must not start with 0 (leading zeros); "
                     "correct the file or export it again");
    }
  else
    while (r->pos < r->length && g_ascii_isdigit (t[r->pos]))
      r->pos++;
  if (r->pos < r->length && t[r->pos] == '.')
    {
      *kind = CELL_REAL;
      r->pos++;
      if (r->pos >= r->length || !g_ascii_isdigit (t[r->pos]))
        return fail_syntax (r, r->pos, "a digit after the decimal point");
      while (r->pos < r->length && g_ascii_isdigit (t[r->pos]))
        r->pos++;
    }
  if (r->pos < r->length && (t[r->pos] == 'e' || t[r->pos] == 'E'))
    {
      *kind = CELL_REAL;
      r->pos++;
      if (r->pos < r->length && (t[r->pos] == '+' || t[r->pos] == '-'))
        r->pos++;
      if (r->pos >= r->length || !g_ascii_isdigit (t[r->pos]))
        return fail_syntax (r, r->pos, "a digit in the exponent");
      while (r->pos < r->length && g_ascii_isdigit (t[r->pos]))
        r->pos++;
    }
  if (r->pos - start > CELL_MAX_LENGTH)
    return fail (r, start, RF_ERROR_TOO_LARGE,
                 "a number of %" G_GSIZE_FORMAT " digits is too long to read", r->pos - start);
  return TRUE;
}

static gboolean
expect_colon (Reader *r)
{
  if (peek (r) != ':')
    return fail_syntax (r, r->pos, "‘:’ after the member name");
  r->pos++;
  return TRUE;
}

/* Copies the value at pos as compact JSON into out (NULL: only checks and
 * skips it). Recursion is bounded by MAX_DEPTH. */
static gboolean
copy_value (Reader  *r,
            GString *out)
{
  int c = peek (r);
  gsize start = r->pos;
  CellKind kind;

  switch (c)
    {
    case '[':
    case '{':
      {
        gboolean object = c == '{';
        char close = object ? '}' : ']';

        if (++r->depth > MAX_DEPTH)
          return fail_depth (r);
        r->pos++;
        if (out != NULL)
          g_string_append_c (out, (char) c);
        if (peek (r) == close)
          {
            r->pos++;
            if (out != NULL)
              g_string_append_c (out, close);
            r->depth--;
            return TRUE;
          }
        for (;;)
          {
            if (object)
              {
                if (peek (r) != '"')
                  return fail_syntax (r, r->pos, "a member name in double quotes");
                if (!copy_value (r, out) || !expect_colon (r))
                  return FALSE;
                if (out != NULL)
                  g_string_append_c (out, ':');
              }
            if (!copy_value (r, out))
              return FALSE;
            c = peek (r);
            if (c == ',')
              {
                r->pos++;
                if (out != NULL)
                  g_string_append_c (out, ',');
                continue;
              }
            if (c == close)
              {
                r->pos++;
                if (out != NULL)
                  g_string_append_c (out, close);
                break;
              }
            return fail_syntax (r, r->pos, object ? "‘,’ or ‘}’ in an object"
                                                  : "‘,’ or ‘]’ in an array");
          }
        r->depth--;
        return TRUE;
      }
    case '"':
      {
        gsize s, e;
        gboolean escaped;

        if (!scan_string (r, &s, &e, &escaped))
          return FALSE;
        if (out == NULL)
          return TRUE;
        if (!escaped)
          {
            g_string_append_len (out, r->text + start, r->pos - start);
            return TRUE;
          }
        g_string_truncate (r->scratch, 0);
        decode_string (r->text, s, e, r->scratch);
        rf_json_append_string (out, r->scratch->str, (gssize) r->scratch->len);
        return TRUE;
      }
    case 't':
      if (!take_word (r, "true"))
        return FALSE;
      break;
    case 'f':
      if (!take_word (r, "false"))
        return FALSE;
      break;
    case 'n':
      if (!take_word (r, "null"))
        return FALSE;
      break;
    case 'N':
      if (!take_word (r, "NaN"))
        return FALSE;
      break;
    case 'I':
      if (!take_word (r, "Infinity"))
        return FALSE;
      break;
    default:
      if (c == '-' || (c >= '0' && c <= '9'))
        {
          if (!scan_number (r, &kind))
            return FALSE;
          break;
        }
      return fail_syntax (r, r->pos, EXPECTED_VALUE);
    }
  if (out != NULL)
    g_string_append_len (out, r->text + start, r->pos - start);
  return TRUE;
}

static gboolean
check_arena (Reader *r,
             gsize   start)
{
  if (r->arena->len > G_MAXUINT32 || r->arena->len - start > CELL_MAX_LENGTH)
    return fail (r, r->pos, RF_ERROR_TOO_LARGE,
                 "the nested values and strings of this file are too large to read");
  return TRUE;
}

/* Parses one value into a cell: scalars as they are, arrays and objects as
 * compact JSON text. */
static gboolean
parse_cell (Reader *r,
            Cell   *cell)
{
  int c = peek (r);
  gsize start = r->pos;
  CellKind kind;

  switch (c)
    {
    case '"':
      {
        gsize s, e;
        gboolean escaped;

        if (!scan_string (r, &s, &e, &escaped))
          return FALSE;
        if (!escaped)
          {
            *cell = cell_make (CELL_STRING, s, e - s);
            return TRUE;
          }
        start = r->arena->len;
        decode_string (r->text, s, e, r->arena);
        if (!check_arena (r, start))
          return FALSE;
        *cell = cell_make (CELL_STRING_ARENA, start, r->arena->len - start);
        return TRUE;
      }
    case '[':
    case '{':
      start = r->arena->len;
      if (!copy_value (r, r->arena) || !check_arena (r, start))
        return FALSE;
      *cell = cell_make (CELL_NESTED, start, r->arena->len - start);
      return TRUE;
    case 't':
      *cell = cell_make (CELL_TRUE, 0, 0);
      return take_word (r, "true");
    case 'f':
      *cell = cell_make (CELL_FALSE, 0, 0);
      return take_word (r, "false");
    case 'n':
      *cell = cell_make (CELL_NULL, 0, 0);
      return take_word (r, "null");
    case 'N':
      *cell = cell_make (CELL_NAN, 0, 0);
      return take_word (r, "NaN");
    case 'I':
      if (!take_word (r, "Infinity"))
        return FALSE;
      *cell = cell_make (CELL_REAL, start, r->pos - start);
      return TRUE;
    default:
      if (c == '-' || (c >= '0' && c <= '9'))
        {
          if (!scan_number (r, &kind))
            return FALSE;
          *cell = cell_make (kind, start, r->pos - start);
          return TRUE;
        }
      return fail_syntax (r, r->pos, EXPECTED_VALUE);
    }
}

/* Text of a cell (not NUL-terminated). */
static const char *
cell_text (const Reader *r,
           Cell          cell,
           gsize        *length)
{
  *length = cell.packed >> CELL_KIND_BITS;
  switch (cell_kind (cell))
    {
    case CELL_INTEGER:
    case CELL_REAL:
    case CELL_STRING:
      return r->text + cell.offset;
    case CELL_STRING_ARENA:
    case CELL_NESTED:
      return r->arena->str + cell.offset;
    case CELL_TRUE:
      *length = 4;
      return "true";
    case CELL_FALSE:
      *length = 5;
      return "false";
    case CELL_NAN:
      *length = 3;
      return "NaN";
    case CELL_MISSING:
    case CELL_NULL:
    default:
      *length = 0;
      return "";
    }
}

/* --- rows ---------------------------------------------------------------- */

static gboolean
check_cells (Reader *r,
             guint64 n_columns,
             guint64 n_rows)
{
  if (n_columns * n_rows <= r->max_cells)
    return TRUE;
  return fail (r, r->pos, RF_ERROR_TOO_LARGE,
               "%" G_GUINT64_FORMAT " different keys over %" G_GUINT64_FORMAT " rows would make "
               "a table of %" G_GUINT64_FORMAT " cells, most of them empty, far more than this "
               "file holds values; give the records the same keys (one key per sensor) or "
               "convert the data to a long CSV (timestamp, sensor, value)",
               n_columns, n_rows, n_columns * n_rows);
}

/* Every CHUNK_ROWS rows: cancellation and progress. */
static gboolean
checkpoint (Reader *r)
{
  if (g_cancellable_set_error_if_cancelled (r->cancellable, &r->error))
    return FALSE;
  rf_progress_report (r->progress, PARSE_SHARE * (double) r->pos / (double) MAX (r->length, 1),
                      PROGRESS_MESSAGE);
  return TRUE;
}

/* Before row r->n_rows: limits, cancellation, progress. */
static gboolean
begin_row (Reader *r)
{
  if (r->n_rows >= r->max_rows)
    return fail_row_limit (r);
  if (!check_cells (r, r->builders->len, r->n_rows + 1))
    return FALSE;
  return r->n_rows % CHUNK_ROWS != 0 || checkpoint (r);
}

static Builder *
add_builder (Reader     *r,
             const char *name)
{
  Builder *builder = builder_new (name);

  g_ptr_array_add (r->builders, builder);
  return builder;
}

/* Files the value of `name` in row `row`, the `ordinal`-th value of the
 * record. Records usually repeat their keys in the same order, so the
 * column of the previous record's value at this position is tried first. */
static gboolean
store_cell (Reader     *r,
            const char *name,
            gsize       row,
            guint       ordinal,
            Cell        cell)
{
  Builder *builder = NULL;

  if (ordinal < r->slots->len)
    {
      builder = g_ptr_array_index (r->slots, ordinal);
      if (strcmp (builder->name, name) != 0)
        builder = NULL;
    }
  if (builder == NULL)
    {
      builder = g_hash_table_lookup (r->by_name, name);
      if (builder == NULL)
        {
          if (!check_cells (r, (guint64) r->builders->len + 1, row + 1))
            return FALSE;
          builder = add_builder (r, name);
          g_hash_table_insert (r->by_name, builder->name, builder);
        }
      if (ordinal < r->slots->len)
        g_ptr_array_index (r->slots, ordinal) = builder;
      else if (ordinal == r->slots->len)
        g_ptr_array_add (r->slots, builder);
    }

  if (builder->cells->len == row + 1)
    {
      /* The same key twice in one record: the last value wins, as in
       * most JSON parsers. */
      if (r->n_duplicate_rows == 0 || r->last_duplicate_row != row)
        {
          if (r->n_duplicate_rows++ == 0)
            {
              r->first_duplicate_row = row;
              r->first_duplicate_key = g_strdup (name);
            }
          r->last_duplicate_row = row;
        }
      g_array_index (builder->cells, Cell, row) = cell;
      return TRUE;
    }
  builder_pad (builder, row);
  g_array_append_val (builder->cells, cell);
  return TRUE;
}

/* At a '{': files every value of the object in row `row`, nested objects
 * flattened into "outer.inner" names. path holds the name prefix. */
static gboolean
parse_record (Reader  *r,
              GString *path,
              gsize    row,
              guint   *ordinal)
{
  if (++r->depth > MAX_DEPTH)
    return fail_depth (r);
  r->pos++;
  if (peek (r) == '}')
    {
      r->pos++;
      r->depth--;
      return TRUE;
    }
  for (;;)
    {
      gsize prefix_length = path->len;
      gsize s, e;
      gboolean escaped;
      Separator sep;

      if (peek (r) != '"')
        return fail_syntax (r, r->pos, "a member name in double quotes");
      if (!scan_string (r, &s, &e, &escaped))
        return FALSE;
      if (prefix_length > 0)
        g_string_append_c (path, '.');
      if (escaped)
        decode_string (r->text, s, e, path);
      else
        g_string_append_len (path, r->text + s, e - s);
      if (!expect_colon (r))
        return FALSE;

      if (peek (r) == '{')
        {
          if (!parse_record (r, path, row, ordinal))
            return FALSE;
        }
      else
        {
          Cell cell;
          if (!parse_cell (r, &cell) || !store_cell (r, path->str, row, (*ordinal)++, cell))
            return FALSE;
        }
      g_string_truncate (path, prefix_length);

      sep = take_separator (r, '}', "‘,’ or ‘}’ after a member of the record");
      if (sep == SEPARATOR_ERROR)
        return FALSE;
      if (sep == SEPARATOR_CLOSE)
        break;
    }
  r->depth--;
  return TRUE;
}

static gboolean
expect_end (Reader *r)
{
  if (peek (r) < 0)
    return TRUE;
  return fail_syntax (r, r->pos, "the end of the file after the JSON document");
}

/* [ {...}, {...} ] */
static gboolean
parse_records (Reader *r)
{
  g_autoptr(GString) path = g_string_new (NULL);

  r->depth = 1;
  r->pos++;
  if (peek (r) == ']')
    {
      r->pos++;
      return expect_end (r);
    }
  for (;;)
    {
      guint ordinal = 0;
      int c = peek (r);
      Separator sep;

      if (c != '{')
        {
          if (c == '[' || c == '"' || c == '-' || c == 't' || c == 'f' || c == 'n' ||
              (c >= '0' && c <= '9'))
            return fail (r, r->pos, RF_ERROR_INVALID,
                         "element %" G_GSIZE_FORMAT " of the top-level array is %s, not an "
                         "object; Refinery reads an array of records like "
                         "[{\"temp\": 21.5, \"rpm\": 1500}, ...], an object of columns, "
                         "{\"columns\": [...], \"data\": [[...]]} or JSON Lines",
                         r->n_rows + 1, value_noun (r, r->pos));
          return fail_syntax (r, r->pos, "an object (a record)");
        }
      if (!begin_row (r))
        return FALSE;
      g_string_truncate (path, 0);
      if (!parse_record (r, path, r->n_rows, &ordinal))
        return FALSE;
      r->n_rows++;
      sep = take_separator (r, ']', "‘,’ or ‘]’ after a record");
      if (sep == SEPARATOR_ERROR)
        return FALSE;
      if (sep == SEPARATOR_CLOSE)
        break;
    }
  r->depth = 0;
  return expect_end (r);
}

/* {...}\n{...}\n: one object per line, blank lines allowed. Streams: each
 * line's values are filed as it is read. */
static gboolean
parse_lines (Reader *r)
{
  g_autoptr(GString) path = g_string_new (NULL);

  for (;;)
    {
      guint ordinal = 0;
      int c = peek (r);

      if (c < 0)
        return TRUE;
      if (c != '{')
        {
          if (c == '[' || c == '"' || c == '-' || c == 't' || c == 'f' || c == 'n' ||
              (c >= '0' && c <= '9'))
            return fail (r, r->pos, RF_ERROR_INVALID,
                         "record %" G_GSIZE_FORMAT " is %s, not an object; every line of a "
                         "JSON Lines file must hold one object like "
                         "{\"temp\": 21.5, \"rpm\": 1500}",
                         r->n_rows + 1, value_noun (r, r->pos));
          return fail_syntax (r, r->pos, "an object (one record per line)");
        }
      if (!begin_row (r))
        return FALSE;
      r->depth = 0;
      g_string_truncate (path, 0);
      if (!parse_record (r, path, r->n_rows, &ordinal))
        return FALSE;
      r->n_rows++;
    }
}

/* At a '[': parses the array's elements into builder; *count receives how
 * many there were. rows: the elements are rows (the row limit applies). */
static gboolean
parse_array_into (Reader   *r,
                  Builder  *builder,
                  gboolean  rows,
                  gsize    *count)
{
  gsize n = 0;

  *count = 0;
  if (++r->depth > MAX_DEPTH)
    return fail_depth (r);
  r->pos++;
  if (peek (r) == ']')
    {
      r->pos++;
      r->depth--;
      return TRUE;
    }
  for (;;)
    {
      Cell cell;
      Separator sep;

      if (rows && n >= r->max_rows)
        return fail_row_limit (r);
      if (n % CHUNK_ROWS == 0 && !checkpoint (r))
        return FALSE;
      if (!parse_cell (r, &cell))
        return FALSE;
      g_array_append_val (builder->cells, cell);
      n++;
      sep = take_separator (r, ']', "‘,’ or ‘]’ in an array");
      if (sep == SEPARATOR_ERROR)
        return FALSE;
      if (sep == SEPARATOR_CLOSE)
        break;
    }
  r->depth--;
  *count = n;
  return TRUE;
}

/* First pass over a single top-level object: checks all of it and lists its
 * members with where their values start. */
static gboolean
scan_members (Reader *r,
              GArray *members)
{
  r->depth = 1;
  r->pos++;
  if (peek (r) == '}')
    {
      r->pos++;
      r->depth = 0;
      return TRUE;
    }
  for (;;)
    {
      Member member = { NULL, 0, 0 };
      gsize s, e;
      gboolean escaped;
      Separator sep;

      if (peek (r) != '"')
        return fail_syntax (r, r->pos, "a member name in double quotes");
      if (!scan_string (r, &s, &e, &escaped))
        return FALSE;
      g_string_truncate (r->scratch, 0);
      decode_string (r->text, s, e, r->scratch);
      if (!expect_colon (r))
        return FALSE;
      peek (r);
      member.value_pos = r->pos;
      member.first = r->pos < r->length ? r->text[r->pos] : 0;
      if (!copy_value (r, NULL))
        return FALSE;
      member.key = g_strndup (r->scratch->str, r->scratch->len);
      g_array_append_val (members, member);

      sep = take_separator (r, '}', "‘,’ or ‘}’ after a member of the object");
      if (sep == SEPARATOR_ERROR)
        return FALSE;
      if (sep == SEPARATOR_CLOSE)
        break;
    }
  r->depth = 0;
  return TRUE;
}

static const Member *
find_member (GArray     *members,
             const char *key)
{
  for (guint i = 0; i < members->len; i++)
    {
      const Member *member = &g_array_index (members, Member, i);
      if (strcmp (member->key, key) == 0)
        return member;
    }
  return NULL;
}

/* {"temp": [1, 2], "rpm": [3, 4]} (pandas orient='list'). */
static gboolean
parse_column_arrays (Reader *r,
                     GArray *members)
{
  const Member *first = NULL;

  for (guint i = 0; i < members->len; i++)
    {
      const Member *member = &g_array_index (members, Member, i);
      Builder *builder = add_builder (r, member->key);
      gsize count;

      r->pos = member->value_pos;
      r->depth = 1;
      if (!parse_array_into (r, builder, TRUE, &count))
        return FALSE;
      if (first == NULL)
        {
          first = member;
          r->n_rows = count;
        }
      else if (count != r->n_rows)
        return fail (r, member->value_pos, RF_ERROR_INVALID,
                     "column “%s” has %" G_GSIZE_FORMAT " values but column “%s” has "
                     "%" G_GSIZE_FORMAT "; in the column layout every array must have the "
                     "same length (one value per row)",
                     member->key, count, first->key, r->n_rows);
    }
  return TRUE;
}

/* An index whose entries are exactly 0, 1, ..., n-1 (integers, or their
 * text) says nothing a row number does not: it is dropped. */
static gboolean
index_is_trivial (const Reader  *r,
                  const Builder *index)
{
  for (guint i = 0; i < index->cells->len; i++)
    {
      Cell cell = g_array_index (index->cells, Cell, i);
      CellKind kind = cell_kind (cell);
      const char *text;
      gsize length;
      gint64 value;

      if (kind != CELL_INTEGER && kind != CELL_STRING)
        return FALSE;
      text = cell_text (r, cell, &length);
      if (length == 0 || length > 20 || !g_ascii_isdigit (text[0]) ||
          !rf_value_parse_int64 (text, length, &value) || value != (gint64) i)
        return FALSE;
    }
  return TRUE;
}

static void
keep_index (Reader  *r,
            Builder *index)
{
  if (index_is_trivial (r, index))
    {
      builder_free (index);
      return;
    }
  g_ptr_array_insert (r->builders, 0, index);
}

/* {"temp": {"0": 1, "1": 2}, "rpm": {"0": 3, "1": 4}} (pandas
 * orient='columns'): the inner keys are the index; rows are the index
 * entries in order of first appearance. */
static gboolean
parse_column_objects (Reader *r,
                      GArray *members)
{
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(Builder) index = builder_new ("index");

  for (guint i = 0; i < members->len; i++)
    {
      const Member *member = &g_array_index (members, Member, i);
      Builder *builder = add_builder (r, member->key);

      r->pos = member->value_pos + 1;
      r->depth = 2;
      if (peek (r) == '}')
        continue;
      for (;;)
        {
          Cell key, value;
          gsize length, row;
          const char *text;
          gpointer found;
          int c;

          if (!parse_cell (r, &key))
            return FALSE;
          text = cell_text (r, key, &length);
          g_string_truncate (r->scratch, 0);
          g_string_append_len (r->scratch, text, length);
          found = g_hash_table_lookup (rows, r->scratch->str);
          if (found != NULL)
            row = GPOINTER_TO_SIZE (found) - 1;
          else
            {
              if (!begin_row (r) || !check_cells (r, (guint64) members->len + 1, r->n_rows + 1))
                return FALSE;
              row = r->n_rows++;
              g_hash_table_insert (rows, g_strdup (r->scratch->str), GSIZE_TO_POINTER (row + 1));
              g_array_append_val (index->cells, key);
            }
          if (!expect_colon (r) || !parse_cell (r, &value))
            return FALSE;
          builder_pad (builder, row + 1);
          g_array_index (builder->cells, Cell, row) = value;
          c = peek (r);
          r->pos++;
          if (c == '}')
            break;
          /* The first pass checked the syntax: this is a ','. */
        }
    }
  keep_index (r, g_steal_pointer (&index));
  return TRUE;
}

/* {"columns": ["a", "b"], "index": [...], "data": [[1, 2], [3, 4]]}
 * (pandas orient='split'). */
static gboolean
parse_split (Reader       *r,
             const Member *columns,
             const Member *data,
             const Member *index_member)
{
  g_autoptr(Builder) names = builder_new ("columns");
  guint n_columns;
  gsize count;

  r->pos = columns->value_pos;
  r->depth = 1;
  if (!parse_array_into (r, names, FALSE, &count))
    return FALSE;
  for (guint j = 0; j < names->cells->len; j++)
    {
      Cell cell = g_array_index (names->cells, Cell, j);
      const char *text;
      gsize length;

      if (cell_kind (cell) == CELL_NESTED)
        return fail (r, columns->value_pos, RF_ERROR_INVALID,
                     "column name %u in “columns” is an array or an object; the names of "
                     "the split layout must be strings", j + 1);
      text = cell_text (r, cell, &length);
      g_string_truncate (r->scratch, 0);
      g_string_append_len (r->scratch, text, length);
      add_builder (r, r->scratch->str);
    }
  n_columns = r->builders->len;

  r->pos = data->value_pos + 1;
  r->depth = 2;
  if (peek (r) == ']')
    r->pos++;
  else
    for (;;)
      {
        guint j = 0;
        gsize row_pos;
        int c = peek (r);

        row_pos = r->pos;
        if (c != '[')
          return fail (r, r->pos, RF_ERROR_INVALID,
                       "row %" G_GSIZE_FORMAT " of “data” is %s, not an array of %u values "
                       "(one per column)", r->n_rows + 1, value_noun (r, r->pos), n_columns);
        if (!begin_row (r))
          return FALSE;
        r->pos++;
        r->depth = 3;
        if (peek (r) == ']')
          r->pos++;
        else
          for (;;)
            {
              Cell cell;

              if (!parse_cell (r, &cell))
                return FALSE;
              if (j >= n_columns)
                return fail (r, row_pos, RF_ERROR_INVALID,
                             "row %" G_GSIZE_FORMAT " of “data” has more values than the %u "
                             "columns named in “columns”; every row must have one value per "
                             "column", r->n_rows + 1, n_columns);
              g_array_append_val (((Builder *) g_ptr_array_index (r->builders, j))->cells, cell);
              j++;
              c = peek (r);
              r->pos++;
              if (c == ']')
                break;
            }
        if (j != n_columns)
          return fail (r, row_pos, RF_ERROR_INVALID,
                       "row %" G_GSIZE_FORMAT " of “data” has %u values but “columns” names "
                       "%u; every row must have one value per column", r->n_rows + 1, j, n_columns);
        r->n_rows++;
        c = peek (r);
        r->pos++;
        if (c == ']')
          break;
      }

  if (index_member != NULL && index_member->first == '[')
    {
      g_autoptr(Builder) index = builder_new ("index");

      r->pos = index_member->value_pos;
      r->depth = 1;
      if (!parse_array_into (r, index, TRUE, &count))
        return FALSE;
      if (count != r->n_rows)
        return fail (r, index_member->value_pos, RF_ERROR_INVALID,
                     "“index” has %" G_GSIZE_FORMAT " entries but “data” has "
                     "%" G_GSIZE_FORMAT " rows; they must match", count, r->n_rows);
      keep_index (r, g_steal_pointer (&index));
    }
  return TRUE;
}

static gboolean
name_says_lines (const char *display)
{
  const char *dot = display != NULL ? strrchr (display, '.') : NULL;

  return dot != NULL && (g_ascii_strcasecmp (dot, ".jsonl") == 0 ||
                         g_ascii_strcasecmp (dot, ".ndjson") == 0);
}

static void
set_layout (Reader     *r,
            const char *layout)
{
  g_free (r->report->layout);
  r->report->layout = g_strdup (layout);
}

/* A document starting with '{': one object (columns, split, or a single
 * record) or a sequence of objects (JSON Lines). */
static gboolean
parse_object_document (Reader *r)
{
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (Member));
  gsize start = r->pos;
  const Member *columns, *data;
  gboolean all_arrays = TRUE, all_objects = TRUE;

  g_array_set_clear_func (members, (GDestroyNotify) member_clear);

  if (name_says_lines (r->display))
    {
      set_layout (r, "lines");
      return parse_lines (r);
    }

  if (!scan_members (r, members))
    return FALSE;
  if (peek (r) >= 0)
    {
      /* More after the first object: JSON Lines. */
      set_layout (r, "lines");
      r->pos = start;
      return parse_lines (r);
    }
  if (members->len == 0)
    return fail (r, start, RF_ERROR_EMPTY,
                 "the file holds an empty object {}, no data; export the data again");

  columns = find_member (members, "columns");
  data = find_member (members, "data");
  if (columns != NULL && data != NULL && columns->first == '[' && data->first == '[')
    {
      gsize pos = data->value_pos + 1;

      /* "data" must be an array of arrays (or empty): a column layout may
       * have columns named "columns" and "data". */
      while (pos < r->length && strchr (" \t\r\n", r->text[pos]) != NULL)
        pos++;
      if (pos < r->length && (r->text[pos] == '[' || r->text[pos] == ']'))
        {
          set_layout (r, "split");
          return parse_split (r, columns, data, find_member (members, "index"));
        }
    }

  for (guint i = 0; i < members->len; i++)
    {
      char first = g_array_index (members, Member, i).first;
      all_arrays = all_arrays && first == '[';
      all_objects = all_objects && first == '{';
    }
  if (all_arrays)
    {
      set_layout (r, "columns");
      return parse_column_arrays (r, members);
    }
  if (all_objects)
    {
      set_layout (r, "columns");
      return parse_column_objects (r, members);
    }

  /* One object of values: a JSON Lines file of one line. */
  set_layout (r, "lines");
  rf_read_report_add_warning (r->report,
                              "The file holds a single object; it was read as one record (one "
                              "row). If it should be a table, export it as an array of records "
                              "or as columns.");
  r->pos = start;
  return parse_lines (r);
}

/* --- types --------------------------------------------------------------- */

static const RfTimestampFormat text_formats[] = {
  RF_TIMESTAMP_FORMAT_ISO,
  RF_TIMESTAMP_FORMAT_DMY_DOT,
  RF_TIMESTAMP_FORMAT_MDY_SLASH,
  RF_TIMESTAMP_FORMAT_DMY_SLASH,
};

static gboolean
is_string (CellKind kind)
{
  return kind == CELL_STRING || kind == CELL_STRING_ARENA;
}

/* Missing in a typed column: null, NaN, an absent key, an NA string. In a
 * string column a JSON string is always text (as a quoted CSV field is):
 * only null, NaN and absent keys are missing there. */
static gboolean
cell_is_missing (const Reader *r,
                 Cell          cell,
                 RfColumnType  type)
{
  CellKind kind = cell_kind (cell);
  const char *text;
  gsize length;

  if (kind == CELL_MISSING || kind == CELL_NULL || kind == CELL_NAN)
    return TRUE;
  if (type == RF_COLUMN_STRING || !is_string (kind))
    return FALSE;
  text = cell_text (r, cell, &length);
  return rf_value_is_na (text, length);
}

/* A JSON number's value; ±Infinity included. */
static double
number_value (const char *text,
              gsize       length)
{
  char buf[64];
  g_autofree char *heap = NULL;
  const char *nul_terminated;

  if (text[length - 1] == 'y')
    return text[0] == '-' ? -INFINITY : INFINITY;
  if (length < sizeof buf)
    {
      memcpy (buf, text, length);
      buf[length] = '\0';
      nul_terminated = buf;
    }
  else
    nul_terminated = heap = g_strndup (text, length);
  return g_ascii_strtod (nul_terminated, NULL);
}

/* The type a column's values agree on, by the rules CSV columns follow
 * (rf-infer.h): each value has a class and the column takes their join.
 * JSON adds what its syntax says: a number is INT when it is an integer
 * that fits int64, else DOUBLE; true/false are BOOL; an array or object is
 * STRING; null and NaN are NA. Strings are classed by their text, so
 * "21.5" is a number, "2024-03-01" a timestamp and "007" a code (text). */
static RfColumnType
infer_type (const Reader      *r,
            const Builder     *builder,
            const char        *name,
            RfTimestampFormat *timestamp_format)
{
  RfValueClass klass = RF_VALUE_CLASS_NA;
  RfEpochState epoch = RF_EPOCH_UNSEEN;

  for (guint i = 0; i < builder->cells->len && klass != RF_VALUE_CLASS_STRING; i++)
    {
      Cell cell = g_array_index (builder->cells, Cell, i);
      RfValueClass value = RF_VALUE_CLASS_STRING;
      const char *text;
      gsize length;
      gint64 i64;

      switch (cell_kind (cell))
        {
        case CELL_MISSING:
        case CELL_NULL:
        case CELL_NAN:
          continue;
        case CELL_TRUE:
        case CELL_FALSE:
          value = RF_VALUE_CLASS_BOOL;
          break;
        case CELL_INTEGER:
          text = cell_text (r, cell, &length);
          value = RF_VALUE_CLASS_DOUBLE;
          if (rf_value_parse_int64 (text, length, &i64))
            {
              value = RF_VALUE_CLASS_INT;
              epoch = rf_epoch_state_join (epoch, rf_epoch_state_of (i64));
            }
          break;
        case CELL_STRING:
        case CELL_STRING_ARENA:
          text = cell_text (r, cell, &length);
          value = rf_value_class_of (text, length, '.');
          if (value == RF_VALUE_CLASS_INT && rf_value_parse_int64 (text, length, &i64))
            epoch = rf_epoch_state_join (epoch, rf_epoch_state_of (i64));
          break;
        case CELL_REAL:
          value = RF_VALUE_CLASS_DOUBLE;
          break;
        case CELL_NESTED:
        default:
          value = RF_VALUE_CLASS_STRING;
          break;
        }
      klass = rf_value_class_join (klass, value);
    }
  return rf_infer_column_type (klass, rf_infer_name_is_time (name), epoch, timestamp_format);
}

/* For a forced TIMESTAMP column: the text format most strings parse in
 * (*any_text: whether any does), and whether numbers are epoch milliseconds
 * (any |value| >= 1e11, i.e. past the year 5138 if they were seconds) rather
 * than seconds. */
static void
choose_timestamp_format (const Reader      *r,
                         const Builder     *builder,
                         RfTimestampFormat *text_format,
                         gboolean          *milliseconds,
                         gboolean          *any_text)
{
  gsize counts[G_N_ELEMENTS (text_formats)] = { 0 };
  gsize best = 0;

  *text_format = RF_TIMESTAMP_FORMAT_ISO;
  *milliseconds = FALSE;
  *any_text = FALSE;
  for (guint i = 0; i < builder->cells->len; i++)
    {
      Cell cell = g_array_index (builder->cells, Cell, i);
      CellKind kind = cell_kind (cell);
      const char *text;
      gsize length;

      if (cell_is_missing (r, cell, RF_COLUMN_TIMESTAMP))
        continue;
      text = cell_text (r, cell, &length);
      if (kind == CELL_INTEGER || kind == CELL_REAL)
        {
          if (fabs (number_value (text, length)) >= 1e11)
            *milliseconds = TRUE;
        }
      else if (is_string (kind))
        {
          gint64 usec;

          for (guint f = 0; f < G_N_ELEMENTS (text_formats); f++)
            if (rf_timestamp_parse (text, length, text_formats[f], &usec))
              counts[f]++;
        }
    }
  for (guint f = 0; f < G_N_ELEMENTS (text_formats); f++)
    if (counts[f] > best)
      {
        best = counts[f];
        *text_format = text_formats[f];
      }
  *any_text = best > 0;
}

static gboolean
integral_double_to_int64 (double  value,
                          gint64 *out)
{
  /* [-2^63, 2^63): the doubles that fit an int64 */
  if (!isfinite (value) || value != floor (value) || value < -9223372036854775808.0 ||
      value >= 9223372036854775808.0)
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

/* Converts one present cell; FALSE when it does not fit the type. */
static gboolean
append_converted (const Reader      *r,
                  RfColumn          *column,
                  Cell               cell,
                  RfTimestampFormat  text_format,
                  gboolean           milliseconds)
{
  CellKind kind = cell_kind (cell);
  gsize length;
  const char *text = cell_text (r, cell, &length);
  gboolean number = kind == CELL_INTEGER || kind == CELL_REAL;
  gint64 i64;
  double f64;
  gboolean b;

  switch (column->type)
    {
    case RF_COLUMN_INT64:
      if (kind == CELL_INTEGER)
        {
          if (!rf_value_parse_int64 (text, length, &i64))
            return FALSE;
        }
      else if (kind == CELL_REAL)
        {
          if (!integral_double_to_int64 (number_value (text, length), &i64))
            return FALSE;
        }
      else if (is_string (kind))
        {
          if (!rf_value_parse_int64 (text, length, &i64) &&
              !(rf_value_parse_double (text, length, '.', &f64) &&
                integral_double_to_int64 (f64, &i64)))
            return FALSE;
        }
      else
        return FALSE;
      rf_column_append_int64 (column, i64);
      return TRUE;

    case RF_COLUMN_DOUBLE:
      if (number)
        f64 = number_value (text, length);
      else if (!is_string (kind) || !rf_value_parse_double (text, length, '.', &f64))
        return FALSE;
      rf_column_append_double (column, f64);
      return TRUE;

    case RF_COLUMN_BOOL:
      if (kind == CELL_TRUE || kind == CELL_FALSE)
        b = kind == CELL_TRUE;
      else if (kind == CELL_INTEGER && length == 1 && (text[0] == '0' || text[0] == '1'))
        b = text[0] == '1';
      else if (!is_string (kind) || !rf_value_parse_bool (text, length, &b))
        return FALSE;
      rf_column_append_bool (column, b);
      return TRUE;

    case RF_COLUMN_TIMESTAMP:
      if (number)
        {
          double usec = number_value (text, length) * (milliseconds ? 1e3 : 1e6);
          if (!isfinite (usec) || fabs (usec) >= 9.2e18)
            return FALSE;
          i64 = (gint64) llround (usec);
        }
      else if (!is_string (kind) || !rf_timestamp_parse (text, length, text_format, &i64))
        return FALSE;
      rf_column_append_timestamp (column, i64);
      return TRUE;

    case RF_COLUMN_STRING:
    default:
      rf_column_append_string (column, text, (gssize) length);
      return TRUE;
    }
}

static RfColumn *
build_column (Reader            *r,
              const Builder     *builder,
              const char        *name,
              RfColumnType       type,
              gboolean           inferred,
              RfTimestampFormat *timestamp_format,
              gsize             *n_unparsed)
{
  g_autoptr(RfColumn) column = rf_column_new_sized (name, type, r->n_rows);
  RfTimestampFormat text_format = *timestamp_format;
  gboolean milliseconds = FALSE, any_text = TRUE;
  gsize first_bad = 0;

  if (type == RF_COLUMN_TIMESTAMP && !inferred)
    {
      choose_timestamp_format (r, builder, &text_format, &milliseconds, &any_text);
      *timestamp_format = any_text ? text_format
                        : milliseconds ? RF_TIMESTAMP_FORMAT_EPOCH_MS : RF_TIMESTAMP_FORMAT_EPOCH_S;
    }
  else
    milliseconds = text_format == RF_TIMESTAMP_FORMAT_EPOCH_MS;

  *n_unparsed = 0;
  for (gsize row = 0; row < r->n_rows; row++)
    {
      Cell cell = g_array_index (builder->cells, Cell, row);

      if (cell_is_missing (r, cell, type))
        rf_column_append_null (column);
      else if (!append_converted (r, column, cell, text_format, milliseconds))
        {
          if ((*n_unparsed)++ == 0)
            first_bad = row;
          rf_column_append_null (column);
        }
    }

  if (*n_unparsed > 0)
    {
      Cell cell = g_array_index (builder->cells, Cell, first_bad);
      gsize length;
      const char *text = cell_text (r, cell, &length);
      g_autofree char *shown = g_utf8_make_valid (text, MIN (length, 40));

      rf_read_report_add_warning (r->report,
                                  "Column “%s”: %" G_GSIZE_FORMAT " values are not %s and were "
                                  "read as missing (the first in row %" G_GSIZE_FORMAT ": “%s”).",
                                  name, *n_unparsed, rf_column_type_to_string (type),
                                  first_bad + 1, shown);
    }
  return g_steal_pointer (&column);
}

static RfTable *
build_table (Reader *r)
{
  g_autoptr(RfTable) table = rf_table_new ();
  guint n_columns = r->builders->len;

  for (guint i = 0; i < n_columns; i++)
    {
      Builder *builder = g_ptr_array_index (r->builders, i);
      g_autofree char *name = rf_table_unique_name (table, builder->name, i);
      g_autoptr(RfColumn) column = NULL;
      g_autofree char *unit = NULL;
      RfTimestampFormat timestamp_format = RF_TIMESTAMP_FORMAT_UNKNOWN;
      RfColumnType type;
      RfColumnReport *column_report;
      gboolean overridden;
      gsize n_unparsed;

      if (g_cancellable_set_error_if_cancelled (r->cancellable, &r->error))
        return NULL;
      builder_pad (builder, r->n_rows);
      overridden = rf_read_options_get_column_type (r->options, name, &type);
      if (!overridden)
        type = r->options != NULL && r->options->all_strings ? RF_COLUMN_STRING
             : infer_type (r, builder, name, &timestamp_format);
      column = build_column (r, builder, name, type, !overridden, &timestamp_format, &n_unparsed);
      unit = rf_infer_unit_from_name (name);
      rf_column_set_unit (column, unit);
      rf_table_add_column (table, column);

      column_report = rf_read_report_add_column (r->report, name, type);
      column_report->timestamp_format = type == RF_COLUMN_TIMESTAMP ? timestamp_format
                                                                     : RF_TIMESTAMP_FORMAT_UNKNOWN;
      column_report->overridden = overridden;
      column_report->n_unparsed = n_unparsed;

      /* The cells are done with: give their memory back now. */
      g_clear_pointer (&builder->cells, g_array_unref);
      rf_progress_report (r->progress, PARSE_SHARE + (1.0 - PARSE_SHARE) * (i + 1) / n_columns,
                          PROGRESS_MESSAGE);
    }
  return g_steal_pointer (&table);
}

/* --- input --------------------------------------------------------------- */

static gboolean
is_utf8_name (const char *encoding)
{
  return g_ascii_strcasecmp (encoding, "UTF-8") == 0 || g_ascii_strcasecmp (encoding, "UTF8") == 0;
}

/* UTF-16 or UTF-32, by BOM or by the zero bytes around the first
 * character (which JSON keeps ASCII); NULL for anything else. */
static const char *
detect_unicode (const guint8 *data,
                gsize         length,
                gsize        *skip)
{
  *skip = 0;
  if (length >= 4 && memcmp (data, "\xFF\xFE\0\0", 4) == 0)
    return *skip = 4, "UTF-32LE";
  if (length >= 4 && memcmp (data, "\0\0\xFE\xFF", 4) == 0)
    return *skip = 4, "UTF-32BE";
  if (length >= 2 && memcmp (data, "\xFF\xFE", 2) == 0)
    return *skip = 2, "UTF-16LE";
  if (length >= 2 && memcmp (data, "\xFE\xFF", 2) == 0)
    return *skip = 2, "UTF-16BE";
  if (length >= 4 && data[0] == 0 && data[1] == 0 && data[2] == 0 && data[3] != 0)
    return "UTF-32BE";
  if (length >= 4 && data[0] != 0 && data[1] == 0 && data[2] == 0 && data[3] == 0)
    return "UTF-32LE";
  if (length >= 2 && data[0] == 0 && data[1] != 0)
    return "UTF-16BE";
  if (length >= 2 && data[0] != 0 && data[1] == 0)
    return "UTF-16LE";
  return NULL;
}

/* The text as UTF-8: a BOM is dropped; UTF-16 and UTF-32 (by BOM, or by the
 * zero bytes of the first character as RFC 4627 describes) are converted;
 * anything else must be valid UTF-8 unless options name the encoding. */
static gboolean
decode_input (const guint8         *data,
              gsize                 length,
              const char           *display,
              const RfReadOptions  *options,
              RfReadReport         *report,
              char                **converted,
              const char          **text,
              gsize                *text_length,
              GError              **error)
{
  const char *encoding = NULL;
  gsize skip = 0;

  if (options != NULL && options->encoding != NULL && !is_utf8_name (options->encoding))
    encoding = options->encoding;
  else if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    skip = 3;
  else if (options == NULL || options->encoding == NULL)
    encoding = detect_unicode (data, length, &skip);

  g_free (report->encoding);
  report->encoding = g_strdup (encoding != NULL ? encoding : "UTF-8");
  report->had_bom = skip > 0;

  if (encoding != NULL)
    {
      g_autoptr(GError) local = NULL;
      gsize bytes_read = 0, written = 0;

      *converted = g_convert ((const char *) data + skip, length - skip, "UTF-8", encoding,
                              &bytes_read, &written, &local);
      /* With bytes_read given, g_convert() stops quietly at a character
       * cut short at the end: that is an error here. */
      if (*converted != NULL && bytes_read != length - skip)
        g_clear_pointer (converted, g_free);
      if (*converted == NULL)
        {
          if (g_error_matches (local, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION))
            g_set_error (error, RF_ERROR, RF_ERROR_ENCODING,
                         "“%s”: the encoding “%s” is unknown; choose another one, or save the "
                         "file as UTF-8", display, encoding);
          else
            g_set_error (error, RF_ERROR, RF_ERROR_ENCODING,
                         "“%s” is not valid %s text (at byte %" G_GSIZE_FORMAT "); save the "
                         "file as UTF-8 and import it again",
                         display, encoding, bytes_read + skip);
          return FALSE;
        }
      *text = *converted;
      *text_length = written;
      /* A BOM that came through the conversion (named encoding) */
      if (*text_length >= 3 && memcmp (*text, "\xEF\xBB\xBF", 3) == 0)
        {
          *text += 3;
          *text_length -= 3;
          report->had_bom = TRUE;
        }
    }
  else
    {
      *text = (const char *) data + skip;
      *text_length = length - skip;
    }

  if (!g_utf8_validate_len (*text, *text_length, NULL))
    {
      const char *end = NULL;
      gsize line = 1, column = 1;
      gboolean nul;

      g_utf8_validate (*text, (gssize) *text_length, &end);
      for (const char *p = *text; p < end; p = g_utf8_next_char (p))
        if (*p == '\n')
          line++, column = 1;
        else
          column++;
      nul = end != NULL && end < *text + *text_length && *end == '\0';
      g_set_error (error, RF_ERROR, RF_ERROR_ENCODING,
                   "“%s”, line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT ": the text is not "
                   "valid %s (%s); JSON must be UTF-8: save the file as UTF-8, or choose its "
                   "encoding when importing", display, line, column,
                   encoding != NULL ? encoding : "UTF-8",
                   nul ? "a NUL byte" : "a bad byte sequence");
      return FALSE;
    }
  return TRUE;
}

static RfTable *
read_text (Reader *r)
{
  int c = peek (r);

  if (c < 0)
    {
      fail (r, r->pos, RF_ERROR_EMPTY,
            "the file holds no data (it is empty or only blanks); export the data again");
      return NULL;
    }
  if (c == '[')
    {
      set_layout (r, "records");
      if (!parse_records (r))
        return NULL;
    }
  else if (c == '{')
    {
      if (!parse_object_document (r))
        return NULL;
    }
  else
    {
      Cell cell;
      gsize start = r->pos;

      if (!parse_cell (r, &cell))
        return NULL;
      fail (r, start, RF_ERROR_INVALID,
            "the file holds only %s, not a table; Refinery reads an array of records "
            "([{\"temp\": 21.5}, ...]), an object of columns ({\"temp\": [21.5, 22.0]}), "
            "{\"columns\": [...], \"data\": [[...]]} or JSON Lines", value_noun (r, start));
      return NULL;
    }

  if (r->n_rows == 0)
    {
      fail (r, 0, RF_ERROR_EMPTY,
            "the data has no rows (an empty array or empty columns); export the data again");
      return NULL;
    }
  if (r->builders->len == 0)
    {
      fail (r, 0, RF_ERROR_EMPTY,
            "the data has no columns (the records have no keys, or “columns” is empty); "
            "export the data again");
      return NULL;
    }
  if (r->n_duplicate_rows > 0)
    rf_read_report_add_warning (r->report,
                                "%" G_GSIZE_FORMAT " records name a key more than once (the "
                                "first: “%s” in record %" G_GSIZE_FORMAT "); the last value was "
                                "kept.", r->n_duplicate_rows, r->first_duplicate_key,
                                r->first_duplicate_row + 1);
  return build_table (r);
}

static guint64
max_bytes_of (const RfReadOptions *options)
{
  return rf_format_max_bytes (RF_FORMAT_JSON, options != NULL ? options->max_bytes : 0);
}

RfTable *
rf_json_read_bytes (const guint8        *data,
                    gsize                length,
                    const char          *display_name,
                    const RfReadOptions *options,
                    RfReadReport        *report,
                    RfProgress          *progress,
                    GCancellable        *cancellable,
                    GError             **error)
{
  g_autoptr(RfReadReport) own_report = NULL;
  g_autofree char *converted = NULL;
  const char *display = display_name != NULL ? display_name : "JSON data";
  guint64 max_bytes = max_bytes_of (options);
  Reader r = { 0 };
  RfTable *table;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (report == NULL)
    report = own_report = rf_read_report_new (display_name);
  report->format = RF_FORMAT_JSON;
  report->has_header = TRUE;
  report->decimal_mark = '.';

  /* Cells address the text with 32-bit offsets. */
  if (!rf_format_check_size (RF_FORMAT_JSON, display, length, MIN (max_bytes, (guint64) G_MAXUINT32),
                             error))
    return NULL;
  if (length == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_EMPTY,
                   "“%s” is empty (0 bytes): export the data again and check the file was saved",
                   display);
      return NULL;
    }
  if (!decode_input (data, length, display, options, report, &converted, &r.text, &r.length, error))
    return NULL;

  r.display = display;
  r.arena = g_string_new (NULL);
  r.scratch = g_string_new (NULL);
  r.builders = g_ptr_array_new_with_free_func ((GDestroyNotify) builder_free);
  r.by_name = g_hash_table_new (g_str_hash, g_str_equal);
  r.slots = g_ptr_array_new ();
  r.max_rows = options != NULL && options->max_rows > 0 ? options->max_rows : RF_DEFAULT_MAX_ROWS;
  /* A dense table has at most one value per two bytes ("1,"): allow sparse
   * records a few times that, but not a blow-up of keys × rows. */
  r.max_cells = 2 * (guint64) r.length + (1u << 20);
  r.options = options;
  r.report = report;
  r.progress = progress;
  r.cancellable = cancellable;

  rf_progress_report (progress, 0.0, PROGRESS_MESSAGE);
  table = read_text (&r);
  if (table != NULL)
    {
      report->n_rows = r.n_rows;
      rf_progress_report (progress, 1.0, PROGRESS_MESSAGE);
    }
  else
    {
      g_assert (r.error != NULL);
      g_propagate_error (error, g_steal_pointer (&r.error));
    }

  g_string_free (r.arena, TRUE);
  g_string_free (r.scratch, TRUE);
  g_ptr_array_unref (r.builders);
  g_hash_table_unref (r.by_name);
  g_ptr_array_unref (r.slots);
  g_free (r.first_duplicate_key);
  return table;
}

RfTable *
rf_json_read (const char          *path,
              const RfReadOptions *options,
              RfReadReport        *report,
              RfProgress          *progress,
              GCancellable        *cancellable,
              GError             **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *display = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, RF_ERROR, saved == ENOENT ? RF_ERROR_NOT_FOUND : RF_ERROR_IO,
                   "Cannot open “%s”: %s", display, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "“%s” is not a regular file", display);
      return NULL;
    }
  /* Refuse before reading a byte. */
  if (!rf_format_check_size (RF_FORMAT_JSON, display, (guint64) st.st_size, max_bytes_of (options), error))
    return NULL;
  if (!g_file_get_contents (path, &contents, &length, &local))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IO, "%s", local->message);
      return NULL;
    }
  return rf_json_read_bytes ((const guint8 *) contents, length, display, options, report, progress,
                             cancellable, error);
}

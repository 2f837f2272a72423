/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A strict JSON reader for untrusted text (the server's answers, request bodies). It is
 * stricter than json-glib, which takes comments, single quotes, hexadecimal and leading zeros,
 * raw control characters and unknown escapes in strings, a byte-order mark, and wraps integers
 * past 64 bits. Here:
 *
 * - RFC 8259's grammar only: whitespace is space, tab, LF and CR; one value, then only
 *   whitespace.
 * - Strings are UTF-8 (no overlong forms, no surrogates); an escaped surrogate must be half of a
 *   pair; \u0000 is refused, because the document holds NUL-terminated text (json-glib
 *   silently cut the text there).
 * - An integer (no fraction, no exponent) must fit in 64 bits, and any other number must be a
 *   finite double: json-glib wrapped 2^63 to a negative number and read 1e400 as infinity.
 * - A member name may come once per object: RFC 8259 leaves a repeated name's meaning open
 *   (json-glib keeps the last value, other readers the first), and two readers of one text
 *   must not see two different records.
 * - Nesting is limited (a top-level object or array counts as 1) and the reader never recurses
 *   deeper than the limit.
 *
 * The document: every value in one array in text order, a container followed by its members
 * or elements, each value knowing the index after everything inside it; every string decoded
 * into one block. A string never decodes longer than its quoted text, so that block is sized
 * once from the text and never moves.
 */
#include "config.h"

#include "core/koers-json-doc-private.h"
#include "core/koers-utf8.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (koers-json-parser-error-quark, koers_json_parser_error)

/* Far beyond any answer we take (64): keeps the recursion bounded whatever the caller asks. */
#define MAX_DEPTH_CAP 512
/* An object with more members than this finds a repeated name through a hash table. */
#define LINEAR_NAME_CHECK 16

typedef struct {
  const guchar *start;
  const guchar *p;
  const guchar *end;
  guint         max_depth;
  GError      **error;
  guint         loose;              /* how often text not written compactly was seen */
  KoersJsonDoc *doc;
  char         *out;                /* where the string being decoded goes */
} Parser;

static gboolean G_GNUC_PRINTF (3, 4)
fail (Parser *parser, KoersJsonParserError code, const char *format, ...)
{
  g_autofree char *what = NULL;
  guint line = 1, column = 1;
  va_list args;

  for (const guchar *q = parser->start; q < parser->p && q < parser->end; q++)
    {
      if (*q == '\n')
        {
          line++;
          column = 1;
        }
      else
        column++;
    }
  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (parser->error, KOERS_JSON_PARSER_ERROR, code, "line %u, column %u: %s", line,
               column, what);
  return FALSE;
}

/* "'x'" for a printable ASCII character, else the byte in hex. */
static const char *
describe (const guchar *p, char buffer[16])
{
  if (*p >= 0x21 && *p < 0x7f)
    g_snprintf (buffer, 16, "'%c'", *p);
  else
    g_snprintf (buffer, 16, "byte 0x%02x", *p);
  return buffer;
}

static gboolean
unexpected (Parser *parser, const char *expected)
{
  char buffer[16];

  if (parser->p >= parser->end)
    return fail (parser, KOERS_JSON_PARSER_ERROR_SYNTAX, "the text ends where %s was expected",
                 expected);
  return fail (parser, KOERS_JSON_PARSER_ERROR_SYNTAX, "unexpected %s where %s was expected",
               describe (parser->p, buffer), expected);
}

static inline void
skip_space (Parser *parser)
{
  const guchar *from = parser->p;

  while (parser->p < parser->end
         && (*parser->p == ' ' || *parser->p == '\n' || *parser->p == '\r' || *parser->p == '\t'))
    parser->p++;
  if (parser->p != from)
    parser->loose++;
}

static gboolean
read_hex4 (Parser *parser, const guchar *p, gunichar *out)
{
  gunichar value = 0;

  if (parser->end - p < 4)
    {
      parser->p = p;
      return fail (parser, KOERS_JSON_PARSER_ERROR_SYNTAX, "a \\u escape needs four hex digits");
    }
  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        {
          parser->p = p;
          return fail (parser, KOERS_JSON_PARSER_ERROR_SYNTAX,
                       "a \\u escape needs four hex digits");
        }
      value = value * 16 + (gunichar) digit;
    }
  *out = value;
  return TRUE;
}

/* One escape after its backslash at parser->p; writes the character at parser->out. */
static gboolean
read_escape (Parser *parser)
{
  const guchar *p = parser->p + 1;
  gunichar c, low;

  if (p >= parser->end)
    {
      parser->p = p;
      return fail (parser, KOERS_JSON_PARSER_ERROR_SYNTAX, "the text ends inside a string");
    }
  switch (*p)
    {
    case '"':  *parser->out++ = '"'; break;
    case '\\': *parser->out++ = '\\'; break;
    case '/':  *parser->out++ = '/'; parser->loose++; break;
    case 'b':  *parser->out++ = '\b'; parser->loose++; break;
    case 'f':  *parser->out++ = '\f'; parser->loose++; break;
    case 'n':  *parser->out++ = '\n'; break;
    case 'r':  *parser->out++ = '\r'; break;
    case 't':  *parser->out++ = '\t'; break;
    case 'u':
      parser->loose++;
      if (!read_hex4 (parser, p + 1, &c))
        return FALSE;
      if (c == 0)
        return fail (parser, KOERS_JSON_PARSER_ERROR_ENCODING,
                     "\\u0000 is not accepted (text cannot hold NUL)");
      if (c >= 0xdc00 && c <= 0xdfff)
        return fail (parser, KOERS_JSON_PARSER_ERROR_ENCODING,
                     "\\u%04X is the second half of a surrogate pair without its first", c);
      if (c >= 0xd800 && c <= 0xdbff)
        {
          if (parser->end - (p + 5) < 2 || p[5] != '\\' || p[6] != 'u')
            return fail (parser, KOERS_JSON_PARSER_ERROR_ENCODING,
                         "\\u%04X is the first half of a surrogate pair without its second", c);
          if (!read_hex4 (parser, p + 7, &low))
            return FALSE;
          if (low < 0xdc00 || low > 0xdfff)
            return fail (parser, KOERS_JSON_PARSER_ERROR_ENCODING,
                         "\\u%04X is the first half of a surrogate pair without its second", c);
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          p += 6;
        }
      /* Six escaped bytes (twelve for a pair) never make more than three (four). */
      parser->out += g_unichar_to_utf8 (c, parser->out);
      p += 4;
      break;
    default:
      {
        char buffer[16];

        parser->p = p;
        return fail (parser, KOERS_JSON_PARSER_ERROR_SYNTAX, "unknown escape \\%s",
                     describe (p, buffer));
      }
    }
  parser->p = p + 1;
  return TRUE;
}

/* The string whose opening quote is at parser->p, decoded into the document's strings;
 * its offset there in *@out_offset. */
static gboolean
read_string (Parser *parser, guint32 *out_offset)
{
  KoersJsonDoc *doc = parser->doc;
  const guchar *p = parser->p + 1;

  parser->out = doc->strings + doc->strings_used;
  for (;;)
    {
      const guchar *run = p;
      guint n;

      while (p < parser->end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
        p++;
      if (p > run)
        {
          memcpy (parser->out, run, p - run);
          parser->out += p - run;
        }
      if (p >= parser->end)
        {
          parser->p = p;
          return fail (parser, KOERS_JSON_PARSER_ERROR_SYNTAX, "the text ends inside a string");
        }
      if (*p == '"')
        {
          parser->p = p + 1;
          *parser->out++ = '\0';
          *out_offset = (guint32) doc->strings_used;
          doc->strings_used = parser->out - doc->strings;
          return TRUE;
        }
      if (*p == '\\')
        {
          parser->p = p;
          if (!read_escape (parser))
            return FALSE;
          p = parser->p;
          continue;
        }
      if (*p < 0x20)
        {
          parser->p = p;
          return fail (parser, KOERS_JSON_PARSER_ERROR_SYNTAX,
                       "control character 0x%02x inside a string (it must be escaped)", *p);
        }
      n = koers_utf8_sequence_length (p, parser->end);
      if (n == 0)
        {
          parser->p = p;
          return fail (parser, KOERS_JSON_PARSER_ERROR_ENCODING,
                       "byte 0x%02x is not UTF-8 text", *p);
        }
      memcpy (parser->out, p, n);
      parser->out += n;
      p += n;
    }
}

/* A new value at the end of the document; its index. */
static guint
push_value (Parser *parser, KoersJsonKind kind, guint32 name)
{
  KoersJsonDoc *doc = parser->doc;
  KoersJsonSlot *value;

  if (doc->n_values == doc->n_allocated)
    {
      doc->n_allocated *= 2;
      doc->values = g_renew (KoersJsonSlot, doc->values, doc->n_allocated);
    }
  value = &doc->values[doc->n_values];
  memset (value, 0, sizeof *value);
  value->kind = kind;
  value->name = name;
  value->next = doc->n_values + 1;   /* a container moves it past its contents when closed */
  return doc->n_values++;
}

static gboolean
is_digit (const guchar *p, const guchar *end)
{
  return p < end && *p >= '0' && *p <= '9';
}

static gboolean
read_number (Parser *parser, guint32 name)
{
  const guchar *begin = parser->p, *p = parser->p;
  gboolean negative = FALSE, integer = TRUE;
  guint index;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (!is_digit (p, parser->end))
    {
      parser->p = p;
      return unexpected (parser, "a digit");
    }
  if (*p == '0' && is_digit (p + 1, parser->end))
    {
      parser->p = p;
      return fail (parser, KOERS_JSON_PARSER_ERROR_SYNTAX,
                   "a number cannot start with 0 and a digit");
    }
  while (is_digit (p, parser->end))
    p++;
  if (p < parser->end && *p == '.')
    {
      integer = FALSE;
      if (!is_digit (++p, parser->end))
        {
          parser->p = p;
          return unexpected (parser, "a digit after the decimal point");
        }
      while (is_digit (p, parser->end))
        p++;
    }
  if (p < parser->end && (*p == 'e' || *p == 'E'))
    {
      integer = FALSE;
      p++;
      if (p < parser->end && (*p == '+' || *p == '-'))
        p++;
      if (!is_digit (p, parser->end))
        {
          parser->p = p;
          return unexpected (parser, "a digit in the exponent");
        }
      while (is_digit (p, parser->end))
        p++;
    }

  if (integer)
    {
      /* The magnitude of G_MININT64 is one more than G_MAXINT64. */
      guint64 limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
      guint64 number = 0;

      for (const guchar *q = begin + (negative ? 1 : 0); q < p; q++)
        {
          guint digit = *q - '0';

          if (number > (limit - digit) / 10)
            return fail (parser, KOERS_JSON_PARSER_ERROR_RANGE,
                         "the integer %.*s does not fit in 64 bits", (int) MIN (p - begin, 40),
                         (const char *) begin);
          number = number * 10 + digit;
        }
      if (negative && number == 0)
        parser->loose++;    /* "-0" is written "0" */
      index = push_value (parser, KOERS_JSON_INTEGER, name);
      parser->doc->values[index].u.integer = negative ? (gint64) (0 - number) : (gint64) number;
    }
  else
    {
      g_autofree char *copy = g_strndup ((const char *) begin, p - begin);
      double number = g_ascii_strtod (copy, NULL);

      parser->loose++;      /* a writer spells a double its own way */
      if (!isfinite (number))
        return fail (parser, KOERS_JSON_PARSER_ERROR_RANGE, "the number %.*s is out of range",
                     (int) MIN (p - begin, 40), (const char *) begin);
      index = push_value (parser, KOERS_JSON_DOUBLE, name);
      parser->doc->values[index].u.number = number;
    }
  parser->p = p;
  return TRUE;
}

static gboolean
read_word (Parser *parser, const char *word, gsize length)
{
  if ((gsize) (parser->end - parser->p) < length || memcmp (parser->p, word, length) != 0)
    return unexpected (parser, "a value");
  parser->p += length;
  return TRUE;
}

static gboolean read_value (Parser *parser, guint depth, guint32 name);

/* Whether the member name at offset @name was seen before in the object at @object, whose
 * members so far end before @end. */
static gboolean
repeated_name (Parser *parser, guint object, guint end, guint32 name, GHashTable **seen)
{
  KoersJsonDoc *doc = parser->doc;
  const char *text = doc->strings + name;

  if (doc->values[object].size < LINEAR_NAME_CHECK)
    {
      for (guint i = object + 1; i < end; i = doc->values[i].next)
        if (strcmp (doc->strings + doc->values[i].name, text) == 0)
          return TRUE;
      return FALSE;
    }
  /* Many members: a hostile text of 100,000 one-letter names must not cost their square. */
  if (*seen == NULL)
    {
      *seen = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = object + 1; i < end; i = doc->values[i].next)
        g_hash_table_add (*seen, doc->strings + doc->values[i].name);
    }
  return !g_hash_table_add (*seen, (gpointer) text);
}

/* Closes the container at @index whose last member or element is @last (or none). */
static void
close_container (Parser *parser, guint index, guint last, guint loose, const guchar *start)
{
  KoersJsonSlot *value = &parser->doc->values[index];

  value->next = parser->doc->n_values;
  value->start = (guint32) (start - parser->start);
  value->end = (guint32) (parser->p - parser->start);
  if (parser->loose == loose)
    value->flags |= FLAG_COMPACT;
  if (last != G_MAXUINT)
    parser->doc->values[last].flags |= FLAG_LAST;
}

/* The object whose '{' is at parser->p; @depth is its own nesting level. */
static gboolean
read_object (Parser *parser, guint depth, guint32 name)
{
  const guchar *start = parser->p;
  guint loose = parser->loose;
  guint index = push_value (parser, KOERS_JSON_OBJECT, name);
  guint last = G_MAXUINT;
  g_autoptr(GHashTable) seen = NULL;

  parser->p++;
  skip_space (parser);
  if (parser->p < parser->end && *parser->p == '}')
    parser->p++;
  else
    for (;;)
      {
        const guchar *name_at = parser->p;
        guint32 member;

        if (parser->p >= parser->end || *parser->p != '"')
          return unexpected (parser, "a member name");
        if (!read_string (parser, &member))
          return FALSE;
        if (repeated_name (parser, index, parser->doc->n_values, member, &seen))
          {
            parser->p = name_at;
            return fail (parser, KOERS_JSON_PARSER_ERROR_REPEATED,
                         "a member name comes twice in one object");
          }
        skip_space (parser);
        if (parser->p >= parser->end || *parser->p != ':')
          return unexpected (parser, "':'");
        parser->p++;
        last = parser->doc->n_values;
        if (!read_value (parser, depth, member))
          return FALSE;
        parser->doc->values[index].size++;
        skip_space (parser);
        if (parser->p < parser->end && *parser->p == ',')
          {
            parser->p++;
            skip_space (parser);
            continue;
          }
        if (parser->p < parser->end && *parser->p == '}')
          {
            parser->p++;
            break;
          }
        return unexpected (parser, "',' or '}'");
      }
  close_container (parser, index, last, loose, start);
  return TRUE;
}

static gboolean
read_array (Parser *parser, guint depth, guint32 name)
{
  const guchar *start = parser->p;
  guint loose = parser->loose;
  guint index = push_value (parser, KOERS_JSON_ARRAY, name);
  guint last = G_MAXUINT;

  parser->p++;
  skip_space (parser);
  if (parser->p < parser->end && *parser->p == ']')
    parser->p++;
  else
    for (;;)
      {
        last = parser->doc->n_values;
        if (!read_value (parser, depth, G_MAXUINT32))
          return FALSE;
        parser->doc->values[index].size++;
        skip_space (parser);
        if (parser->p < parser->end && *parser->p == ',')
          {
            parser->p++;
            continue;
          }
        if (parser->p < parser->end && *parser->p == ']')
          {
            parser->p++;
            break;
          }
        return unexpected (parser, "',' or ']'");
      }
  close_container (parser, index, last, loose, start);
  return TRUE;
}

/* A value inside a container of nesting level @depth (0 at the top), named @name in it. */
static gboolean
read_value (Parser *parser, guint depth, guint32 name)
{
  guint index;

  skip_space (parser);
  if (parser->p >= parser->end)
    return unexpected (parser, "a value");
  switch (*parser->p)
    {
    case '{':
    case '[':
      if (depth + 1 > parser->max_depth)
        return fail (parser, KOERS_JSON_PARSER_ERROR_DEPTH, "nested deeper than %u levels",
                     parser->max_depth);
      if (*parser->p == '[')
        return read_array (parser, depth + 1, name);
      return read_object (parser, depth + 1, name);
    case '"':
      {
        guint32 offset;

        if (!read_string (parser, &offset))
          return FALSE;
        index = push_value (parser, KOERS_JSON_STRING, name);
        parser->doc->values[index].u.string = offset;
        return TRUE;
      }
    case 't':
    case 'f':
      {
        gboolean is_true = *parser->p == 't';

        if (!read_word (parser, is_true ? "true" : "false", is_true ? 4 : 5))
          return FALSE;
        index = push_value (parser, KOERS_JSON_BOOLEAN, name);
        parser->doc->values[index].u.boolean = is_true;
        return TRUE;
      }
    case 'n':
      if (!read_word (parser, "null", 4))
        return FALSE;
      push_value (parser, KOERS_JSON_NULL, name);
      return TRUE;
    default:
      if (*parser->p == '-' || (*parser->p >= '0' && *parser->p <= '9'))
        return read_number (parser, name);
      return unexpected (parser, "a value");
    }
}

/**
 * koers_json_doc_parse:
 * @text: the JSON text (not necessarily NUL-terminated); the document keeps a reference
 * @max_depth: the deepest nesting allowed; a top-level object or array counts as 1 (at most 512)
 * @error: a %KOERS_JSON_PARSER_ERROR naming the line, the column (in bytes) and the reason
 *
 * Reads one JSON value by RFC 8259 (see the top of koers-json-doc.c for what it refuses).
 *
 * Returns: (transfer full) (nullable): the document, or %NULL with @error
 */
KoersJsonDoc *
koers_json_doc_parse (GBytes *text, guint max_depth, GError **error)
{
  g_autoptr(KoersJsonDoc) doc = NULL;
  gsize length = 0;
  const char *data;
  Parser parser = { 0 };

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (text, &length);
  doc = g_new0 (KoersJsonDoc, 1);
  g_atomic_ref_count_init (&doc->ref);
  doc->text = g_bytes_ref (text);
  /* Every string needs its two quotes in the text, and decodes to at most the bytes between
   * them plus a NUL: the block never grows. */
  doc->strings = g_malloc (length + 1);
  doc->n_allocated = CLAMP (length / 16, 16, 1 << 20);
  doc->values = g_new (KoersJsonSlot, doc->n_allocated);
  parser.start = parser.p = (const guchar *) data;
  parser.end = (const guchar *) data + length;
  parser.max_depth = MIN (max_depth, MAX_DEPTH_CAP);
  parser.error = error;
  parser.doc = doc;
  if (data == NULL && length > 0)
    return NULL;
  if (!read_value (&parser, 0, G_MAXUINT32))
    return NULL;
  skip_space (&parser);
  if (parser.p < parser.end)
    {
      unexpected (&parser, "the end of the text");
      return NULL;
    }
  return g_steal_pointer (&doc);
}

KoersJsonDoc *
koers_json_doc_ref (KoersJsonDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  g_atomic_ref_count_inc (&doc->ref);
  return doc;
}

void
koers_json_doc_unref (KoersJsonDoc *doc)
{
  if (doc == NULL || !g_atomic_ref_count_dec (&doc->ref))
    return;
  g_bytes_unref (doc->text);
  g_free (doc->values);
  g_free (doc->strings);
  g_free (doc);
}

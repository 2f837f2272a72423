/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A strict JSON reader for the server's answers. json-glib 1.6.6 scans through GScanner, a
 * function call and often a GString append per character; with the tree it builds that was a
 * quarter of the client's instructions in a first sync. This reader builds the same tree
 * (JsonObject members in order, a repeated name keeps its first place and its last value, as
 * json_object_set_member() does; integers as G_TYPE_INT64, other numbers as doubles; the root
 * sealed as json_parser_new_immutable() seals it) and is stricter than json-glib, which takes
 * comments, single quotes, hexadecimal and leading zeros, raw control characters and unknown
 * escapes in strings, a byte-order mark, and wraps integers past 64 bits. Here:
 *
 * - RFC 8259's grammar only: whitespace is space, tab, LF and CR; one value, then only
 *   whitespace.
 * - Strings are UTF-8 (no overlong forms, no surrogates); an escaped surrogate must be half of a
 *   pair; \u0000 is refused, because the tree holds NUL-terminated text and json-glib silently
 *   cut the text there.
 * - An integer (no fraction, no exponent) must fit in 64 bits, and any other number must be a
 *   finite double: json-glib wrapped 2^63 to a negative number and read 1e400 as infinity.
 * - Nesting is limited (a top-level object or array counts as 1) and never recurses deeper
 *   than the limit; callers still count the depth on the raw bytes first (koers-json-guard.h).
 */
#include "config.h"

#include "core/koers-json-parser.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (koers-json-parser-error-quark, koers_json_parser_error)

/* Far beyond any answer we take (64): keeps the recursion bounded whatever the caller asks. */
#define MAX_DEPTH_CAP 512

typedef struct {
  const guchar *start;
  const guchar *p;
  const guchar *end;
  guint         max_depth;
  GString      *text;               /* the string being decoded */
  GString      *scratch;            /* a string value, or a number's text for g_ascii_strtod */
  GPtrArray    *names;              /* GString per nesting level: the member name in hand */
  GError      **error;
  guint         loose;              /* how often text not written compactly was seen */
  guint         text_depth;         /* objects at this level keep their text, when compact */
  GHashTable   *texts;              /* JsonNode * -> its text */
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

/* The length of the UTF-8 sequence at @p (RFC 3629: no overlong forms, no surrogates, nothing
 * past U+10FFFF), or 0 when it is not one. */
static guint
utf8_sequence (const guchar *p, const guchar *end)
{
  guchar lo = 0x80, hi = 0xbf;
  guint n;

  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    n = 2;
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
    {
      n = 3;
      if (p[0] == 0xe0)
        lo = 0xa0;
      else if (p[0] == 0xed)
        hi = 0x9f;
    }
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
    {
      n = 4;
      if (p[0] == 0xf0)
        lo = 0x90;
      else if (p[0] == 0xf4)
        hi = 0x8f;
    }
  else
    return 0;
  if ((gsize) (end - p) < n || p[1] < lo || p[1] > hi)
    return 0;
  for (guint i = 2; i < n; i++)
    if (p[i] < 0x80 || p[i] > 0xbf)
      return 0;
  return n;
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

/* One escape after its backslash at parser->p; appends the character to parser->text. */
static gboolean
read_escape (Parser *parser)
{
  const guchar *p = parser->p + 1;
  gunichar c, low;
  char utf8[8];

  if (p >= parser->end)
    {
      parser->p = p;
      return fail (parser, KOERS_JSON_PARSER_ERROR_SYNTAX, "the text ends inside a string");
    }
  switch (*p)
    {
    case '"':  g_string_append_c (parser->text, '"'); break;
    case '\\': g_string_append_c (parser->text, '\\'); break;
    case '/':  g_string_append_c (parser->text, '/'); parser->loose++; break;
    case 'b':  g_string_append_c (parser->text, '\b'); parser->loose++; break;
    case 'f':  g_string_append_c (parser->text, '\f'); parser->loose++; break;
    case 'n':  g_string_append_c (parser->text, '\n'); break;
    case 'r':  g_string_append_c (parser->text, '\r'); break;
    case 't':  g_string_append_c (parser->text, '\t'); break;
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
      g_string_append_len (parser->text, utf8, g_unichar_to_utf8 (c, utf8));
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

/* The string whose opening quote is at parser->p, decoded into @out. */
static gboolean
read_string (Parser *parser, GString *out)
{
  const guchar *p = parser->p + 1;

  g_string_truncate (out, 0);
  parser->text = out;
  for (;;)
    {
      const guchar *run = p;
      guint n;

      while (p < parser->end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
        p++;
      if (p > run)
        g_string_append_len (out, (const char *) run, p - run);
      if (p >= parser->end)
        {
          parser->p = p;
          return fail (parser, KOERS_JSON_PARSER_ERROR_SYNTAX, "the text ends inside a string");
        }
      if (*p == '"')
        {
          parser->p = p + 1;
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
      n = utf8_sequence (p, parser->end);
      if (n == 0)
        {
          parser->p = p;
          return fail (parser, KOERS_JSON_PARSER_ERROR_ENCODING,
                       "byte 0x%02x is not UTF-8 text", *p);
        }
      g_string_append_len (out, (const char *) p, n);
      p += n;
    }
}

static gboolean
is_digit (const guchar *p, const guchar *end)
{
  return p < end && *p >= '0' && *p <= '9';
}

static JsonNode *
read_number (Parser *parser)
{
  const guchar *begin = parser->p, *p = parser->p;
  gboolean negative = FALSE, integer = TRUE;
  JsonNode *node;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (!is_digit (p, parser->end))
    {
      parser->p = p;
      unexpected (parser, "a digit");
      return NULL;
    }
  if (*p == '0' && is_digit (p + 1, parser->end))
    {
      parser->p = p;
      fail (parser, KOERS_JSON_PARSER_ERROR_SYNTAX, "a number cannot start with 0 and a digit");
      return NULL;
    }
  while (is_digit (p, parser->end))
    p++;
  if (p < parser->end && *p == '.')
    {
      integer = FALSE;
      if (!is_digit (++p, parser->end))
        {
          parser->p = p;
          unexpected (parser, "a digit after the decimal point");
          return NULL;
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
          unexpected (parser, "a digit in the exponent");
          return NULL;
        }
      while (is_digit (p, parser->end))
        p++;
    }

  if (integer)
    {
      /* The magnitude of G_MININT64 is one more than G_MAXINT64. */
      guint64 limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
      guint64 value = 0;

      for (const guchar *q = begin + (negative ? 1 : 0); q < p; q++)
        {
          guint digit = *q - '0';

          if (value > (limit - digit) / 10)
            {
              fail (parser, KOERS_JSON_PARSER_ERROR_RANGE,
                    "the integer %.*s does not fit in 64 bits", (int) MIN (p - begin, 40),
                    (const char *) begin);
              return NULL;
            }
          value = value * 10 + digit;
        }
      if (negative && value == 0)
        parser->loose++;    /* "-0" is written "0" */
      node = json_node_alloc ();
      json_node_init_int (node, negative ? (gint64) (0 - value) : (gint64) value);
    }
  else
    {
      double value;

      parser->loose++;      /* a writer spells a double its own way */
      g_string_truncate (parser->scratch, 0);
      g_string_append_len (parser->scratch, (const char *) begin, p - begin);
      value = g_ascii_strtod (parser->scratch->str, NULL);
      if (!isfinite (value))
        {
          fail (parser, KOERS_JSON_PARSER_ERROR_RANGE, "the number %.*s is out of range",
                (int) MIN (p - begin, 40), (const char *) begin);
          return NULL;
        }
      node = json_node_alloc ();
      json_node_init_double (node, value);
    }
  parser->p = p;
  return node;
}

static gboolean
read_word (Parser *parser, const char *word, gsize length)
{
  if ((gsize) (parser->end - parser->p) < length || memcmp (parser->p, word, length) != 0)
    return unexpected (parser, "a value");
  parser->p += length;
  return TRUE;
}

static JsonNode *read_value (Parser *parser, guint depth);

/* The member name buffer of nesting level @depth, kept across the page's objects. */
static GString *
name_buffer (Parser *parser, guint depth)
{
  if (parser->names->len <= depth)
    g_ptr_array_set_size (parser->names, depth + 1);
  if (parser->names->pdata[depth] == NULL)
    parser->names->pdata[depth] = g_string_sized_new (32);
  return parser->names->pdata[depth];
}

/* The object whose '{' is at parser->p; @depth is its own nesting level. */
static JsonNode *
read_object (Parser *parser, guint depth)
{
  JsonObject *object = json_object_new ();
  GString *name = name_buffer (parser, depth);
  JsonNode *node;
  guint size;

  parser->p++;
  skip_space (parser);
  if (parser->p < parser->end && *parser->p == '}')
    parser->p++;
  else
    for (;;)
      {
        JsonNode *value;

        if (parser->p >= parser->end || *parser->p != '"')
          {
            unexpected (parser, "a member name");
            goto failed;
          }
        if (!read_string (parser, name))
          goto failed;
        skip_space (parser);
        if (parser->p >= parser->end || *parser->p != ':')
          {
            unexpected (parser, "':'");
            goto failed;
          }
        parser->p++;
        value = read_value (parser, depth);
        if (value == NULL)
          goto failed;
        /* A repeated name frees the value before it, which may hold objects whose texts were
         * kept (only above the kept level). Texts are keyed by node, and a freed node's
         * address can come back for another node: then no text is kept from this answer. */
        if (parser->texts != NULL && depth < parser->text_depth)
          {
            JsonNode *before = json_object_get_member (object, name->str);

            if (before != NULL && (JSON_NODE_HOLDS_OBJECT (before)
                                   || JSON_NODE_HOLDS_ARRAY (before)))
              {
                g_hash_table_remove_all (parser->texts);
                parser->text_depth = 0;
              }
          }
        size = json_object_get_size (object);
        json_object_set_member (object, name->str, value);
        if (json_object_get_size (object) == size)
          parser->loose++;  /* a repeated name: the tree keeps one */
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
        unexpected (parser, "',' or '}'");
        goto failed;
      }
  node = json_node_alloc ();
  json_node_init_object (node, object);
  json_object_unref (object);
  return node;

failed:
  json_object_unref (object);
  return NULL;
}

static JsonNode *
read_array (Parser *parser, guint depth)
{
  JsonArray *array = json_array_new ();
  JsonNode *node;

  parser->p++;
  skip_space (parser);
  if (parser->p < parser->end && *parser->p == ']')
    parser->p++;
  else
    for (;;)
      {
        JsonNode *value = read_value (parser, depth);

        if (value == NULL)
          goto failed;
        json_array_add_element (array, value);
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
        unexpected (parser, "',' or ']'");
        goto failed;
      }
  node = json_node_alloc ();
  json_node_init_array (node, array);
  json_array_unref (array);
  return node;

failed:
  json_array_unref (array);
  return NULL;
}

/* A value inside a container of nesting level @depth (0 at the top). */
static JsonNode *
read_value (Parser *parser, guint depth)
{
  JsonNode *node;

  skip_space (parser);
  if (parser->p >= parser->end)
    {
      unexpected (parser, "a value");
      return NULL;
    }
  switch (*parser->p)
    {
    case '{':
    case '[':
      if (depth + 1 > parser->max_depth)
        {
          fail (parser, KOERS_JSON_PARSER_ERROR_DEPTH, "nested deeper than %u levels",
                parser->max_depth);
          return NULL;
        }
      if (*parser->p == '[')
        return read_array (parser, depth + 1);
      if (depth + 1 == parser->text_depth)
        {
          const guchar *start = parser->p;
          guint loose = parser->loose;

          node = read_object (parser, depth + 1);
          if (node != NULL && parser->loose == loose)
            g_hash_table_insert (parser->texts, node,
                                 g_strndup ((const char *) start, parser->p - start));
          return node;
        }
      return read_object (parser, depth + 1);
    case '"':
      {
        GString *text = parser->scratch;

        if (!read_string (parser, text))
          return NULL;
        node = json_node_alloc ();
        json_node_init_string (node, text->str);
        return node;
      }
    case 't':
    case 'f':
    case 'n':
      {
        gboolean is_true = *parser->p == 't';
        gboolean is_false = *parser->p == 'f';

        if (!read_word (parser, is_true ? "true" : is_false ? "false" : "null",
                        is_false ? 5 : 4))
          return NULL;
        node = json_node_alloc ();
        if (is_true || is_false)
          json_node_init_boolean (node, is_true);
        else
          json_node_init_null (node);
        return node;
      }
    default:
      if (*parser->p == '-' || (*parser->p >= '0' && *parser->p <= '9'))
        return read_number (parser);
      unexpected (parser, "a value");
      return NULL;
    }
}

static void
free_name (gpointer data)
{
  if (data != NULL)
    g_string_free (data, TRUE);
}

/**
 * koers_json_parse:
 * @data: (array length=length): the JSON text, not necessarily NUL-terminated
 * @length: the number of bytes in @data
 * @max_depth: the deepest nesting allowed; a top-level object or array counts as 1 (at most 512)
 * @error: a %KOERS_JSON_PARSER_ERROR naming the line, the column (in bytes) and the reason
 *
 * Reads one JSON value by RFC 8259 (see the top of koers-json-parser.c for what it refuses
 * that json-glib takes) into the tree json-glib's immutable parser makes.
 *
 * Returns: (transfer full) (nullable): the sealed root, or %NULL with @error
 */
JsonNode *
koers_json_parse (const char *data, gsize length, guint max_depth, GError **error)
{
  return koers_json_parse_keeping_texts (data, length, max_depth, 0, NULL, error);
}

/**
 * koers_json_parse_keeping_texts:
 * @data: (array length=length): the JSON text, not necessarily NUL-terminated
 * @length: the number of bytes in @data
 * @max_depth: as for koers_json_parse()
 * @text_depth: the nesting level of the objects whose text to keep (a top-level object is 1)
 * @out_texts: (out) (optional) (transfer full) (element-type JsonNode utf8): for each object
 *   at @text_depth written compactly, its node and its text
 * @error: as for koers_json_parse()
 *
 * koers_json_parse(), and the text of the objects at one level that were written compactly:
 * no white space, strings escaped only as \" \\ \n \r \t, integers but no other numbers
 * and no "-0", no repeated member names. That is exactly what a compact writer of the tree
 * writes (koers_sync_json_to_string()), so a caller that would write the object again can
 * take its text instead. The texts are keyed by node: they live as long as the tree.
 *
 * Returns: (transfer full) (nullable): the sealed root, or %NULL with @error
 */
JsonNode *
koers_json_parse_keeping_texts (const char *data, gsize length, guint max_depth,
                                guint text_depth, GHashTable **out_texts, GError **error)
{
  Parser parser = {
    .start = (const guchar *) data,
    .p = (const guchar *) data,
    .end = (const guchar *) data + length,
    .max_depth = MIN (max_depth, MAX_DEPTH_CAP),
    .scratch = g_string_sized_new (256),
    .names = g_ptr_array_new_with_free_func (free_name),
    .error = error,
    .text_depth = out_texts != NULL ? text_depth : 0,
    .texts = out_texts != NULL ? g_hash_table_new_full (NULL, NULL, NULL, g_free) : NULL,
  };
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = read_value (&parser, 0);
  if (root != NULL)
    {
      skip_space (&parser);
      if (parser.p < parser.end)
        {
          unexpected (&parser, "the end of the text");
          g_clear_pointer (&root, json_node_unref);
        }
    }
  if (root != NULL)
    json_node_seal (root);
  g_string_free (parser.scratch, TRUE);
  g_ptr_array_unref (parser.names);
  if (out_texts != NULL)
    {
      if (root == NULL)
        g_clear_pointer (&parser.texts, g_hash_table_unref);
      *out_texts = parser.texts;
    }
  return root;
}

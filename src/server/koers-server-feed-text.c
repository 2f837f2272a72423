/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The changes feed's items written as text (koers-server-engine-feed.c). A page of 500 records
 * was a tree of some 15,000 json-glib nodes: the stored fields parsed, every item built, the
 * whole written out again by json-glib's generator and freed, about two thirds of the
 * server's instructions for a first sync. The fields are stored as JSON text the engine wrote,
 * so an item is that text as it is, inside the record's metadata written here.
 *
 * Stored text goes out as it is only when it reads as one JSON object that the clients' strict
 * reader takes (fields_text_ok): a damaged row must not make a page no client can read.
 * Anything else is read by json-glib (engine_object_parse: what it cannot read becomes {})
 * and written by the sync's own writer, which escapes every control character.
 */
#include "config.h"

#include "server/koers-server-engine-private.h"
#include "sync/koers-sync-json.h"

#include "core/koers-utf8.h"

#include <string.h>

#define FIELDS_MAX_DEPTH 64

typedef struct {
  const char *p;
  const char *end;
  guint       depth;
} Check;

static gboolean check_value (Check *check);

static void
skip_space (Check *check)
{
  while (check->p < check->end
         && (*check->p == ' ' || *check->p == '\n' || *check->p == '\r' || *check->p == '\t'))
    check->p++;
}

/* The value of the four hex digits at @p, or -1. */
static int
hex4 (const char *p)
{
  int value = 0;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* The bytes that end a string's plain run: the quote, the backslash, the control characters
 * (refused) and any byte past ASCII (its UTF-8 sequence is checked where it is met). */
static const gboolean ends_plain_run[256] = {
  [0x00] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0x10] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  ['"'] = 1, ['\\'] = 1,
  [0x80] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0x90] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0xa0] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0xb0] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0xc0] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0xd0] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0xe0] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0xf0] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* A string at check->p (its opening quote). What Koers' strict reader refuses is refused
 * here too (koers-json-doc.c): a raw control character (json-glib's generator writes U+001F
 * raw), text that is not UTF-8, an escape JSON does not have, \u0000 and a surrogate that is
 * not a high one followed by a low one. UTF-8 is checked here, in the one pass over the
 * string: outside strings any byte past ASCII breaks the grammar anyway. */
static gboolean
check_string (Check *check)
{
  const guchar *p = (const guchar *) check->p + 1;
  const guchar *end = (const guchar *) check->end;

  for (;;)
    {
      int value, low;
      guint n;

      /* Eight plain ASCII bytes at a time, then byte by byte. */
      for (guint64 word; end - p >= 8; p += 8)
        {
          memcpy (&word, p, 8);
          if (!koers_sync_json_word_is_plain (word)
              || (word & G_GUINT64_CONSTANT (0x8080808080808080)) != 0)
            break;
        }
      while (p < end && !ends_plain_run[*p])
        p++;
      if (p >= end || *p < 0x20)
        return FALSE;
      if (*p == '"')
        break;
      if (*p >= 0x80)
        {
          n = koers_utf8_sequence_length (p, end);
          if (n == 0)
            return FALSE;
          p += n;
          continue;
        }
      if (p + 1 >= end)
        return FALSE;
      switch (p[1])
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          p += 2;
          break;
        case 'u':
          if (p + 6 > end || (value = hex4 ((const char *) p + 2)) <= 0
              || (value >= 0xdc00 && value <= 0xdfff))
            return FALSE;
          p += 6;
          if (value >= 0xd800 && value <= 0xdbff)
            {
              if (p + 6 > end || p[0] != '\\' || p[1] != 'u'
                  || (low = hex4 ((const char *) p + 2)) < 0xdc00 || low > 0xdfff)
                return FALSE;
              p += 6;
            }
          break;
        default:
          return FALSE;
        }
    }
  check->p = (const char *) p + 1;
  return TRUE;
}

static gboolean
check_digits (Check *check)
{
  const char *start = check->p;

  while (check->p < check->end && g_ascii_isdigit (*check->p))
    check->p++;
  return check->p > start;
}

/* JSON's number grammar; json-glib's generator never writes one longer than this. */
static gboolean
check_number (Check *check)
{
  const char *start = check->p;

  if (*check->p == '-')
    check->p++;
  if (check->p >= check->end || !g_ascii_isdigit (*check->p))
    return FALSE;
  if (*check->p == '0')
    check->p++;
  else
    check_digits (check);
  if (check->p < check->end && *check->p == '.')
    {
      check->p++;
      if (!check_digits (check))
        return FALSE;
    }
  if (check->p < check->end && (*check->p == 'e' || *check->p == 'E'))
    {
      check->p++;
      if (check->p < check->end && (*check->p == '+' || *check->p == '-'))
        check->p++;
      if (!check_digits (check))
        return FALSE;
    }
  return check->p - start < 64;
}

static gboolean
check_word (Check *check, const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (check->end - check->p) < n || strncmp (check->p, word, n) != 0)
    return FALSE;
  check->p += n;
  return TRUE;
}

/* The members of an object or the elements of an array, check->p just after its opening
 * bracket. */
static gboolean
check_container (Check *check, char close)
{
  skip_space (check);
  if (check->p < check->end && *check->p == close)
    {
      check->p++;
      return TRUE;
    }
  for (;;)
    {
      skip_space (check);
      if (close == '}')
        {
          if (check->p >= check->end || *check->p != '"' || !check_string (check))
            return FALSE;
          skip_space (check);
          if (check->p >= check->end || *check->p != ':')
            return FALSE;
          check->p++;
        }
      if (!check_value (check))
        return FALSE;
      skip_space (check);
      if (check->p < check->end && *check->p == ',')
        {
          check->p++;
          continue;
        }
      if (check->p < check->end && *check->p == close)
        {
          check->p++;
          return TRUE;
        }
      return FALSE;
    }
}

static gboolean
check_value (Check *check)
{
  gboolean ok;

  skip_space (check);
  if (check->p >= check->end)
    return FALSE;
  switch (*check->p)
    {
    case '{':
    case '[':
      if (++check->depth > FIELDS_MAX_DEPTH)
        return FALSE;
      check->p++;
      ok = check_container (check, check->p[-1] == '{' ? '}' : ']');
      check->depth--;
      return ok;
    case '"':
      return check_string (check);
    case 't':
      return check_word (check, "true");
    case 'f':
      return check_word (check, "false");
    case 'n':
      return check_word (check, "null");
    default:
      return check_number (check);
    }
}

/* TRUE when @text (nullable) is one JSON object, UTF-8, nothing around it but white space. */
static gboolean
fields_text_ok (const char *text, gsize length)
{
  Check check = { text, text + length, 0 };

  if (text == NULL)
    return FALSE;
  skip_space (&check);
  if (check.p >= check.end || *check.p != '{' || !check_value (&check))
    return FALSE;
  skip_space (&check);
  return check.p == check.end;
}

/* @text (nullable) of @length as a JSON string, or null; up to a NUL if a damaged row has one:
 * the clients' strict reader refuses \u0000. */
static void
append_text (GString *out, const EngineFeedText *text)
{
  if (text->text != NULL)
    koers_sync_json_append_string_len (out, text->text, text->length);
  else
    koers_sync_json_append_literal (out, "null");
}

static void
append_member (GString *out, const char *name, gsize name_length, const EngineFeedText *text)
{
  koers_sync_json_append_len (out, name, name_length);
  append_text (out, text);
}

/* @name: the member's name with its quotes, the comma before it and the colon after. */
#define APPEND_MEMBER(out, name, text) \
  append_member ((out), name, sizeof (name) - 1, (text))

/* The text of @column with the length the back end knows (SQLite's row has it; a strlen of
 * each text was 2% of serving a page there). */
static EngineFeedText
row_text (KoersSqlRow *row, guint column)
{
  EngineFeedText text = { NULL, 0 };

  text.text = koers_sql_row_get_text (row, column, &text.length);
  return text;
}

static void
append_flag (GString *out, const char *name, gsize name_length, gboolean value)
{
  koers_sync_json_append_len (out, name, name_length);
  if (value)
    koers_sync_json_append_literal (out, "true");
  else
    koers_sync_json_append_literal (out, "false");
}

#define APPEND_FLAG(out, name, value) append_flag ((out), name, sizeof (name) - 1, (value))

/* printf was a sixth of writing an item. */
static void
append_int (GString *out, gint64 value)
{
  char digits[24];
  guint n = sizeof digits;
  guint64 magnitude = value < 0 ? (guint64) -(value + 1) + 1 : (guint64) value;

  do
    {
      digits[--n] = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    digits[--n] = '-';
  koers_sync_json_append_len (out, digits + n, sizeof digits - n);
}

void
engine_feed_append_item (GString *out, const EngineFeedItem *item)
{
  /* The members and their order of engine_record_to_wire (). */
  koers_sync_json_append_literal (out, "{\"id\":");
  append_text (out, &item->id);
  APPEND_MEMBER (out, ",\"entiteit\":", &item->entity);
  koers_sync_json_append_literal (out, ",\"versie\":");
  append_int (out, item->version);
  APPEND_FLAG (out, ",\"verwijderd\":", item->deleted);
  APPEND_FLAG (out, ",\"gewist\":", item->erased);
  APPEND_MEMBER (out, ",\"aangemaaktOp\":", &item->created_at);
  APPEND_MEMBER (out, ",\"aangemaaktDoor\":", &item->created_by);
  APPEND_MEMBER (out, ",\"gewijzigdOp\":", &item->updated_at);
  APPEND_MEMBER (out, ",\"gewijzigdDoor\":", &item->updated_by);
  koers_sync_json_append_literal (out, ",\"gegevens\":");
  if (item->fields.text != NULL && fields_text_ok (item->fields.text, item->fields.length))
    koers_sync_json_append_len (out, item->fields.text, item->fields.length);
  else
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;

      json_node_take_object (node, engine_object_parse (item->fields.text));
      text = koers_sync_json_to_string (node);
      g_string_append (out, text);
    }
  g_string_append_c (out, '}');
}

void
engine_feed_append_record (GString *out, KoersSqlRow *row)
{
  EngineFeedItem item = {
    .id = row_text (row, 1),
    .entity = row_text (row, 0),
    .version = koers_sql_row_get_int (row, 2),
    .deleted = koers_sql_row_get_int (row, 5) != 0,
    .erased = koers_sql_row_get_int (row, 6) != 0,
    .created_at = row_text (row, 8),
    .created_by = row_text (row, 9),
    .updated_at = row_text (row, 10),
    .updated_by = row_text (row, 11),
    .fields = row_text (row, 7),
  };

  engine_feed_append_item (out, &item);
}

static EngineFeedText
plain_text (const char *text)
{
  EngineFeedText value = { text, text != NULL ? strlen (text) : 0 };

  return value;
}

char *
engine_feed_item_text (const EngineRecord *record, const char *fields_text)
{
  GString *out = g_string_sized_new (256 + (fields_text != NULL ? strlen (fields_text) : 0));
  EngineFeedItem item = {
    .id = plain_text (record->id),
    .entity = plain_text (record->entity),
    .version = record->version,
    .deleted = record->deleted,
    .erased = record->erased,
    .created_at = plain_text (record->created_at),
    .created_by = plain_text (record->created_by),
    .updated_at = plain_text (record->updated_at),
    .updated_by = plain_text (record->updated_by),
    .fields = plain_text (fields_text),
  };

  engine_feed_append_item (out, &item);
  return g_string_free (out, FALSE);
}

/* Eight bytes at @p as a little-endian number, the same on every machine: the check is
 * stored. */
static inline guint64
read_le64 (const guchar *p)
{
  guint64 word;

  memcpy (&word, p, 8);
  return GUINT64_FROM_LE (word);
}

static inline guint64
mix (guint64 h, guint64 word)
{
  h = (h ^ word) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  return h ^ (h >> 29);
}

gint64
engine_feed_item_check (const char *text, gsize length, gint64 version)
{
  const guchar *p = (const guchar *) text;
  guint64 a = G_GUINT64_CONSTANT (0x6b6f657273666565) ^ length;   /* "koersfee" */
  guint64 b = mix (G_GUINT64_CONSTANT (0x645f6974656d3031),       /* "d_item01" */
                   (guint64) version);
  guint64 tail = 0;
  gsize i = 0;

  /* Two lanes, so the multiplications of one do not wait for the other's. */
  for (; i + 16 <= length; i += 16)
    {
      a = mix (a, read_le64 (p + i));
      b = mix (b, read_le64 (p + i + 8));
    }
  for (; i + 8 <= length; i += 8)
    a = mix (a, read_le64 (p + i));
  for (guint k = 0; i + k < length; k++)
    tail |= (guint64) p[i + k] << (8 * k);
  b = mix (b, tail);
  return (gint64) mix (a, b ^ (b >> 32));
}

void
engine_feed_append_gone (GString *out, KoersSqlRow *row)
{
  EngineFeedText entity = row_text (row, 0), id = row_text (row, 1);

  koers_sync_json_append_literal (out, "{\"entiteit\":");
  append_text (out, &entity);
  APPEND_MEMBER (out, ",\"id\":", &id);
  koers_sync_json_append_literal (out, ",\"versie\":");
  append_int (out, koers_sql_row_get_int (row, 2));
  koers_sync_json_append_literal (out, ",\"buitenBereik\":true}");
}

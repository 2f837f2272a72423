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

/* A string at check->p (its opening quote). What Koers' strict reader refuses is refused
 * here too (koers-json-parser.c): a raw control character (json-glib's generator writes
 * U+001F raw), an escape JSON does not have, \u0000 and a surrogate that is not a high one
 * followed by a low one. */
static gboolean
check_string (Check *check)
{
  const char *p = check->p + 1;

  for (;;)
    {
      int value, low;

      while (p < check->end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
        p++;
      if (p >= check->end || (guchar) *p < 0x20)
        return FALSE;
      if (*p == '"')
        break;
      if (p + 1 >= check->end)
        return FALSE;
      switch (p[1])
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          p += 2;
          break;
        case 'u':
          if (p + 6 > check->end || (value = hex4 (p + 2)) <= 0
              || (value >= 0xdc00 && value <= 0xdfff))
            return FALSE;
          p += 6;
          if (value >= 0xd800 && value <= 0xdbff)
            {
              if (p + 6 > check->end || p[0] != '\\' || p[1] != 'u'
                  || (low = hex4 (p + 2)) < 0xdc00 || low > 0xdfff)
                return FALSE;
              p += 6;
            }
          break;
        default:
          return FALSE;
        }
    }
  check->p = p + 1;
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

  if (text == NULL || !g_utf8_validate_len (text, length, NULL))
    return FALSE;
  skip_space (&check);
  if (check.p >= check.end || *check.p != '{' || !check_value (&check))
    return FALSE;
  skip_space (&check);
  return check.p == check.end;
}

static void
append_member (GString *out, const char *name, const char *value)
{
  g_string_append_c (out, ',');
  koers_sync_json_append_string (out, name);
  g_string_append_c (out, ':');
  koers_sync_json_append_string (out, value);
}

static void
append_flag (GString *out, const char *name, gboolean value)
{
  g_string_append (out, ",\"");
  g_string_append (out, name);
  g_string_append (out, value ? "\":true" : "\":false");
}

/* printf was a sixth of writing an item. */
static void
append_int (GString *out, gint64 value)
{
  char digits[24];
  guint n = 0;
  guint64 magnitude = value < 0 ? (guint64) -(value + 1) + 1 : (guint64) value;

  do
    {
      digits[n++] = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    g_string_append_c (out, '-');
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

void
engine_feed_append_record (GString *out, KoersSqlRow *row)
{
  gsize fields_length = 0;
  const char *fields = koers_sql_row_get_text (row, 7, &fields_length);

  /* The members and their order of engine_record_to_wire (). */
  g_string_append (out, "{\"id\":");
  koers_sync_json_append_string (out, koers_sql_row_get_text (row, 1, NULL));
  append_member (out, "entiteit", koers_sql_row_get_text (row, 0, NULL));
  g_string_append (out, ",\"versie\":");
  append_int (out, koers_sql_row_get_int (row, 2));
  append_flag (out, "verwijderd", koers_sql_row_get_int (row, 5) != 0);
  append_flag (out, "gewist", koers_sql_row_get_int (row, 6) != 0);
  append_member (out, "aangemaaktOp", koers_sql_row_get_text (row, 8, NULL));
  append_member (out, "aangemaaktDoor", koers_sql_row_get_text (row, 9, NULL));
  append_member (out, "gewijzigdOp", koers_sql_row_get_text (row, 10, NULL));
  append_member (out, "gewijzigdDoor", koers_sql_row_get_text (row, 11, NULL));
  g_string_append (out, ",\"gegevens\":");
  if (fields != NULL && fields_text_ok (fields, fields_length))
    g_string_append_len (out, fields, (gssize) fields_length);
  else
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;

      json_node_take_object (node, engine_object_parse (fields));
      text = koers_sync_json_to_string (node);
      g_string_append (out, text);
    }
  g_string_append_c (out, '}');
}

void
engine_feed_append_gone (GString *out, KoersSqlRow *row)
{
  g_string_append (out, "{\"entiteit\":");
  koers_sync_json_append_string (out, koers_sql_row_get_text (row, 0, NULL));
  append_member (out, "id", koers_sql_row_get_text (row, 1, NULL));
  g_string_append (out, ",\"versie\":");
  append_int (out, koers_sql_row_get_int (row, 2));
  g_string_append (out, ",\"buitenBereik\":true}");
}

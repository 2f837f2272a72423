/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sync/koers-sync-json.h"

#include "core/koers-json-parser.h"
#include "sync/koers-sync-private.h"

#include <string.h>

G_DEFINE_QUARK (koers-sync-error-quark, koers_sync_error)

/* The answer's bytes as a strict JSON document whose root is an object. The reader checks
 * UTF-8 and nesting as it goes (it never recurses past the limit), so nothing reads the bytes
 * before it. */
static KoersJsonDoc *
parse_checked (GBytes *body, GError **error)
{
  g_autoptr(KoersJsonDoc) doc = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (body != NULL, NULL);

  g_bytes_get_data (body, &length);
  if (length > KOERS_SYNC_RESPONSE_LIMIT)
    {
      g_set_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                   "The server's answer is larger than %d bytes", KOERS_SYNC_RESPONSE_LIMIT);
      return NULL;
    }
  if (length == 0)
    {
      g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                           "The server's answer is empty");
      return NULL;
    }
  doc = koers_json_doc_parse (body, KOERS_SYNC_JSON_MAX_DEPTH, &local_error);
  if (doc == NULL)
    {
      if (g_error_matches (local_error, KOERS_JSON_PARSER_ERROR, KOERS_JSON_PARSER_ERROR_DEPTH))
        g_set_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                     "The server's answer nests deeper than %d levels (%s)",
                     KOERS_SYNC_JSON_MAX_DEPTH, local_error->message);
      else
        g_set_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                     "The server's answer is not valid JSON: %s", local_error->message);
      return NULL;
    }
  if (koers_json_doc_kind (doc, 0) != KOERS_JSON_OBJECT)
    {
      g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                           "The server's answer is not a JSON object");
      return NULL;
    }
  return g_steal_pointer (&doc);
}

JsonNode *
koers_sync_json_parse_response (GBytes *body, GError **error)
{
  g_autoptr(KoersJsonDoc) doc = parse_checked (body, error);
  JsonNode *root;

  if (doc == NULL)
    return NULL;
  root = koers_json_doc_to_node (doc, 0);
  json_node_seal (root);
  return root;
}

KoersJsonDoc *
koers_sync_json_parse_page (GBytes *body, GError **error)
{
  return parse_checked (body, error);
}

static JsonNode *
member_value (JsonObject *object, const char *member, GType type)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return NULL;
  return node;
}

const char *
koers_sync_json_string (JsonObject *object, const char *member)
{
  JsonNode *node = member_value (object, member, G_TYPE_STRING);

  return node != NULL ? json_node_get_string (node) : NULL;
}

JsonObject *
koers_sync_json_object (JsonObject *object, const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
koers_sync_json_array (JsonObject *object, const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gboolean
koers_sync_json_int (JsonObject *object, const char *member, gint64 *out_value)
{
  JsonNode *node = member_value (object, member, G_TYPE_INT64);

  if (node == NULL)
    return FALSE;
  *out_value = json_node_get_int (node);
  return TRUE;
}

gboolean
koers_sync_json_bool (JsonObject *object, const char *member, gboolean fallback,
                      gboolean *out_ok)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL)
    return fallback;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      *out_ok = FALSE;
      return fallback;
    }
  return json_node_get_boolean (node);
}

/* The same type-checking accessors on a document's object @object. */
const char *
koers_sync_doc_string (KoersJsonDoc *doc, KoersJsonRef object, const char *member)
{
  return koers_json_doc_get_string (doc, koers_json_doc_member (doc, object, member));
}

KoersJsonRef
koers_sync_doc_object (KoersJsonDoc *doc, KoersJsonRef object, const char *member)
{
  KoersJsonRef value = koers_json_doc_member (doc, object, member);

  return koers_json_doc_kind (doc, value) == KOERS_JSON_OBJECT ? value : KOERS_JSON_NONE;
}

KoersJsonRef
koers_sync_doc_array (KoersJsonDoc *doc, KoersJsonRef object, const char *member)
{
  KoersJsonRef value = koers_json_doc_member (doc, object, member);

  return koers_json_doc_kind (doc, value) == KOERS_JSON_ARRAY ? value : KOERS_JSON_NONE;
}

gboolean
koers_sync_doc_int (KoersJsonDoc *doc, KoersJsonRef object, const char *member,
                    gint64 *out_value)
{
  KoersJsonRef value = koers_json_doc_member (doc, object, member);

  if (koers_json_doc_kind (doc, value) != KOERS_JSON_INTEGER)
    return FALSE;
  *out_value = koers_json_doc_get_int (doc, value);
  return TRUE;
}

gboolean
koers_sync_doc_bool (KoersJsonDoc *doc, KoersJsonRef object, const char *member,
                     gboolean fallback, gboolean *out_ok)
{
  KoersJsonRef value = koers_json_doc_member (doc, object, member);

  if (value == KOERS_JSON_NONE)
    return fallback;
  if (koers_json_doc_kind (doc, value) != KOERS_JSON_BOOLEAN)
    {
      *out_ok = FALSE;
      return fallback;
    }
  return koers_json_doc_get_boolean (doc, value);
}

/* The bytes a JSON string cannot hold as they are (a table: this runs over every string of
 * every feed page), NUL among them. */
static const gboolean needs_escape[256] = {
  [0x00] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  [0x10] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  ['"'] = 1, ['\\'] = 1,
};

void
koers_sync_json_append_string (GString *out, const char *text)
{
  if (text == NULL)
    koers_sync_json_append_literal (out, "null");
  else
    koers_sync_json_append_string_len (out, text, strlen (text));
}

void
koers_sync_json_append_string_len (GString *out, const char *text, gsize length)
{
  gsize run = 0, i = 0;

  g_string_append_c (out, '"');
  for (;;)
    {
      guchar c;

      /* Eight plain bytes at a time, then byte by byte up to the one to escape. */
      for (guint64 word; i + 8 <= length; i += 8)
        {
          memcpy (&word, text + i, 8);
          if (!koers_sync_json_word_is_plain (word))
            break;
        }
      while (i < length && !needs_escape[(guchar) text[i]])
        i++;
      if (i >= length)
        break;
      koers_sync_json_append_len (out, text + run, i - run);
      c = (guchar) text[i];
      if (c == '\0')
        {
          run = length = i;
          break;
        }
      switch (c)
        {
        case '"':  koers_sync_json_append_literal (out, "\\\""); break;
        case '\\': koers_sync_json_append_literal (out, "\\\\"); break;
        case '\n': koers_sync_json_append_literal (out, "\\n"); break;
        case '\r': koers_sync_json_append_literal (out, "\\r"); break;
        case '\t': koers_sync_json_append_literal (out, "\\t"); break;
        default:   g_string_append_printf (out, "\\u%04x", c); break;
        }
      run = ++i;
    }
  koers_sync_json_append_len (out, text + run, length - run);
  g_string_append_c (out, '"');
}

static void
write_node (GString *out, JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            koers_sync_json_append_string (out, name);
            g_string_append_c (out, ':');
            write_node (out, member);
          }
        g_string_append_c (out, '}');
        break;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        break;
      }
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          koers_sync_json_append_string (out, json_node_get_string (node));
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_DOUBLE:
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];
            const char *digits;

            /* Text that reads back as the same double, in the C locale; an integral one keeps
             * its ".0", or it would read back as an integer (1.0 as 1). */
            digits = g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node));
            g_string_append (out, digits);
            if (strpbrk (digits, ".eEn") == NULL)
              g_string_append (out, ".0");
            break;
          }
        default:
          g_string_append (out, "null");
          break;
        }
      break;
    default:
      g_string_append (out, "null");
      break;
    }
}

/* Compact JSON text of @node. json-glib's generator escapes text a character at a time and
 * copies the root; writing the shadow text of each pulled record with it was 7% of a first
 * sync. Text is written as is (UTF-8) with what JSON requires escaped. */
char *
koers_sync_json_to_string (JsonNode *node)
{
  GString *out;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_sized_new (1024);
  write_node (out, node);
  return g_string_free (out, FALSE);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sync/koers-sync-json.h"

#include "core/koers-json-guard.h"
#include "core/koers-json-parser.h"
#include "sync/koers-sync-private.h"

#include <string.h>

G_DEFINE_QUARK (koers-sync-error-quark, koers_sync_error)

/* Kept for callers of the sync API; the check itself is shared with the server. */
gboolean
koers_sync_json_depth_ok (const char *data, gsize length, guint max_depth)
{
  return koers_json_depth_ok (data, length, max_depth);
}

static JsonNode *
parse_checked (GBytes *body, guint text_depth, GHashTable **out_texts, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize length = 0;

  g_return_val_if_fail (body != NULL, NULL);

  data = g_bytes_get_data (body, &length);
  if (length > KOERS_SYNC_RESPONSE_LIMIT)
    {
      g_set_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                   "The server's answer is larger than %d bytes", KOERS_SYNC_RESPONSE_LIMIT);
      return NULL;
    }
  if (length == 0 || !g_utf8_validate (data, (gssize) length, NULL))
    {
      g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                           "The server's answer is empty or not UTF-8 text");
      return NULL;
    }
  if (!koers_sync_json_depth_ok (data, length, KOERS_SYNC_JSON_MAX_DEPTH))
    {
      g_set_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                   "The server's answer nests deeper than %d levels", KOERS_SYNC_JSON_MAX_DEPTH);
      return NULL;
    }
  /* Our own strict reader: json-glib's GScanner was a quarter of a first sync's instructions
   * (koers-json-parser.c); the tree is the one json_parser_new_immutable() made. */
  root = koers_json_parse_keeping_texts (data, length, KOERS_SYNC_JSON_MAX_DEPTH, text_depth,
                                         out_texts, &local_error);
  if (root == NULL)
    {
      g_set_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                   "The server's answer is not valid JSON: %s", local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      if (out_texts != NULL)
        g_clear_pointer (out_texts, g_hash_table_unref);
      g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                           "The server's answer is not a JSON object");
      return NULL;
    }
  return g_steal_pointer (&root);
}

JsonNode *
koers_sync_json_parse_response (GBytes *body, GError **error)
{
  return parse_checked (body, 0, NULL, error);
}

/* A pull page's items are the objects in its top-level lists (level 3). */
#define PAGE_ITEM_DEPTH 3

JsonNode *
koers_sync_json_parse_page (GBytes *body, GHashTable **out_texts, GError **error)
{
  g_return_val_if_fail (out_texts != NULL, NULL);

  *out_texts = NULL;
  return parse_checked (body, PAGE_ITEM_DEPTH, out_texts, error);
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

gboolean
koers_sync_is_uuid (const char *text)
{
  return text != NULL && g_uuid_string_is_valid (text)
         && strspn (text, "0123456789abcdef-") == strlen (text);
}

void
koers_sync_json_append_string (GString *out, const char *text)
{
  const char *run = text;

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, p - run);
      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:   g_string_append_printf (out, "\\u%04x", c); break;
        }
      run = p + 1;
    }
  g_string_append (out, run);
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

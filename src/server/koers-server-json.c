/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-json.h"

#include "core/koers-json-guard.h"
#include "core/koers-json-parser.h"
#include "sync/koers-sync-json.h"

#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (koers-server-json-error-quark, koers_server_json_error)

gboolean
koers_server_json_is_json_type (const char *content_type)
{
  g_autofree char *lower = NULL;
  g_auto (GStrv) parts = NULL;

  if (content_type == NULL)
    return FALSE;

  lower = g_ascii_strdown (content_type, -1);
  parts = g_strsplit (lower, ";", -1);
  if (g_strcmp0 (g_strstrip (parts[0]), "application/json") != 0)
    return FALSE;

  for (guint i = 1; parts[i] != NULL; i++)
    {
      const char *param = g_strstrip (parts[i]);

      /* RFC 8259 JSON is UTF-8 only; a charset parameter may say so but nothing else. */
      if (g_strcmp0 (param, "charset=utf-8") != 0 && g_strcmp0 (param, "charset=\"utf-8\"") != 0)
        return FALSE;
    }

  return TRUE;
}

JsonNode *
koers_server_json_parse_body (const char *content_type,
                              GBytes     *body,
                              GError    **error)
{
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (JsonNode) root = NULL;
  const char *data;
  gsize length = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!koers_server_json_is_json_type (content_type))
    {
      g_set_error_literal (error, KOERS_SERVER_JSON_ERROR, KOERS_SERVER_JSON_ERROR_MEDIA_TYPE,
                           "De body moet application/json zijn.");
      return NULL;
    }

  data = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  if (length > KOERS_SERVER_BODY_LIMIT)
    {
      g_set_error_literal (error, KOERS_SERVER_JSON_ERROR, KOERS_SERVER_JSON_ERROR_TOO_LARGE,
                           "De body is groter dan 1 MiB.");
      return NULL;
    }
  if (length == 0)
    {
      g_set_error_literal (error, KOERS_SERVER_JSON_ERROR, KOERS_SERVER_JSON_ERROR_INVALID,
                           "De body ontbreekt; verwacht wordt een JSON-object.");
      return NULL;
    }
  /* g_utf8_validate() also stops at an embedded NUL, which JSON never contains. */
  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error_literal (error, KOERS_SERVER_JSON_ERROR, KOERS_SERVER_JSON_ERROR_INVALID,
                           "De body is geen geldige UTF-8.");
      return NULL;
    }
  if (!koers_json_depth_ok (data, length, KOERS_SERVER_JSON_MAX_DEPTH))
    {
      g_set_error (error, KOERS_SERVER_JSON_ERROR, KOERS_SERVER_JSON_ERROR_INVALID,
                   "De JSON is dieper genest dan %d niveaus.", KOERS_SERVER_JSON_MAX_DEPTH);
      return NULL;
    }

  /* The strict reader the clients use (RFC 8259 only): json-glib took comments, single
   * quotes and trailing text, and wrapped 2^63 to a negative number. */
  root = koers_json_parse (data, length, KOERS_SERVER_JSON_MAX_DEPTH, &parse_error);
  if (root == NULL)
    {
      guint line = 0, column = 0;

      /* Its message quotes the text at the place: only the place goes on the wire. */
      if (sscanf (parse_error->message, "line %u, column %u", &line, &column) != 2)
        line = column = 0;
      /* The text is UTF-8 (checked above): an encoding error is an escape that is no
       * character. json-glib ended a string at an escaped NUL and passed a lone surrogate on
       * as invalid UTF-8; both are refused rather than storing something else than was sent. */
      if (g_error_matches (parse_error, KOERS_JSON_PARSER_ERROR,
                           KOERS_JSON_PARSER_ERROR_ENCODING))
        g_set_error_literal (error, KOERS_SERVER_JSON_ERROR, KOERS_SERVER_JSON_ERROR_INVALID,
                             "De JSON bevat een \\u0000 of een ongepaarde \\uD800-\\uDFFF; "
                             "zulke tekens worden niet opgeslagen.");
      else if (g_error_matches (parse_error, KOERS_JSON_PARSER_ERROR,
                                KOERS_JSON_PARSER_ERROR_RANGE))
        g_set_error (error, KOERS_SERVER_JSON_ERROR, KOERS_SERVER_JSON_ERROR_INVALID,
                     "De JSON bevat op regel %u, kolom %u een getal dat niet past: gehele "
                     "getallen liggen tussen -2^63 en 2^63-1.", line, column);
      else if (g_error_matches (parse_error, KOERS_JSON_PARSER_ERROR,
                                KOERS_JSON_PARSER_ERROR_REPEATED))
        g_set_error (error, KOERS_SERVER_JSON_ERROR, KOERS_SERVER_JSON_ERROR_INVALID,
                     "De JSON noemt op regel %u, kolom %u een naam die het object al had; "
                     "welke waarde dan telt is niet vastgelegd.", line, column);
      else
        g_set_error (error, KOERS_SERVER_JSON_ERROR, KOERS_SERVER_JSON_ERROR_INVALID,
                     "De body is geen geldige JSON (regel %u, kolom %u).", line, column);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, KOERS_SERVER_JSON_ERROR, KOERS_SERVER_JSON_ERROR_INVALID,
                           "De body moet een JSON-object zijn.");
      return NULL;
    }
  /* As json_parser_new_immutable()'s root was handed out before: a copy. */
  return json_node_copy (root);
}

GBytes *
koers_server_json_to_bytes (JsonNode *node)
{
  char *text;

  g_return_val_if_fail (node != NULL, NULL);

  /* The sync's writer, not json-glib's generator: that writes U+001F raw, which the clients'
   * strict reader (koers-json-parser.c) refuses. */
  text = koers_sync_json_to_string (node);
  return g_bytes_new_take (text, strlen (text));
}

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  if (object == NULL || member == NULL)
    return NULL;

  return json_object_get_member (object, member);
}

const char *
koers_server_json_get_string (JsonObject *object,
                              const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

JsonObject *
koers_server_json_get_object (JsonObject *object,
                              const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

JsonArray *
koers_server_json_get_array (JsonObject *object,
                             const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

gboolean
koers_server_json_get_int (JsonObject *object,
                           const char *member,
                           gint64     *out_value)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  if (out_value != NULL)
    *out_value = json_node_get_int (node);

  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mutation engine's JSON helpers: null and absent are one value, records and results
 * go to and from text. (Ids are checked with koers_uuid_is_valid, the client's own check.)
 */
#include "config.h"

#include "server/koers-server-engine-private.h"

static gboolean
is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

gboolean
engine_json_equal (JsonNode *a, JsonNode *b)
{
  if (is_null (a) || is_null (b))
    return is_null (a) && is_null (b);
  return json_node_equal (a, b);
}

char *
engine_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) null_node = NULL;

  if (node == NULL)
    node = null_node = json_node_new (JSON_NODE_NULL);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

char *
engine_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return engine_json_to_string (node);
}

JsonNode *
engine_json_parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL)
      || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/* Returns (transfer full): the object in @text, or an empty object for anything else. */
JsonObject *
engine_object_parse (const char *text)
{
  g_autoptr(JsonNode) node = engine_json_parse (text);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return json_object_new ();
  return json_object_ref (json_node_get_object (node));
}

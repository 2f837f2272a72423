/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * json-glib trees from the strict reader's documents (koers-json-doc.c says what it takes).
 */
#include "config.h"

#include "core/koers-json-parser.h"

/**
 * koers_json_doc_to_node:
 * @doc: a document
 * @value: a value in it
 *
 * Returns: (transfer full): @value as a json-glib tree (not sealed); a JSON null for
 *   %KOERS_JSON_NONE
 */
JsonNode *
koers_json_doc_to_node (KoersJsonDoc *doc, KoersJsonRef value)
{
  JsonNode *node = json_node_alloc ();

  switch (koers_json_doc_kind (doc, value))
    {
    case KOERS_JSON_BOOLEAN:
      json_node_init_boolean (node, koers_json_doc_get_boolean (doc, value));
      break;
    case KOERS_JSON_INTEGER:
      json_node_init_int (node, koers_json_doc_get_int (doc, value));
      break;
    case KOERS_JSON_DOUBLE:
      json_node_init_double (node, koers_json_doc_get_double (doc, value));
      break;
    case KOERS_JSON_STRING:
      json_node_init_string (node, koers_json_doc_get_string (doc, value));
      break;
    case KOERS_JSON_OBJECT:
      {
        JsonObject *object = json_object_new ();

        /* Depth is bounded by the document's own limit. */
        for (KoersJsonRef m = koers_json_doc_first (doc, value); m != KOERS_JSON_NONE;
             m = koers_json_doc_next (doc, m))
          json_object_set_member (object, koers_json_doc_name (doc, m),
                                  koers_json_doc_to_node (doc, m));
        json_node_init_object (node, object);
        json_object_unref (object);
      }
      break;
    case KOERS_JSON_ARRAY:
      {
        JsonArray *array = json_array_sized_new (koers_json_doc_size (doc, value));

        for (KoersJsonRef e = koers_json_doc_first (doc, value); e != KOERS_JSON_NONE;
             e = koers_json_doc_next (doc, e))
          json_array_add_element (array, koers_json_doc_to_node (doc, e));
        json_node_init_array (node, array);
        json_array_unref (array);
      }
      break;
    case KOERS_JSON_NULL:
    default:
      json_node_init_null (node);
      break;
    }
  return node;
}

/**
 * koers_json_parse:
 * @data: (array length=length): the JSON text, not necessarily NUL-terminated
 * @length: the number of bytes in @data
 * @max_depth: the deepest nesting allowed; a top-level object or array counts as 1 (at most 512)
 * @error: a %KOERS_JSON_PARSER_ERROR naming the line, the column (in bytes) and the reason
 *
 * koers_json_doc_parse() into the tree json_parser_new_immutable() makes.
 *
 * Returns: (transfer full) (nullable): the sealed root, or %NULL with @error
 */
JsonNode *
koers_json_parse (const char *data, gsize length, guint max_depth, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KoersJsonDoc) doc = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  bytes = g_bytes_new_static (data, length);
  doc = koers_json_doc_parse (bytes, max_depth, error);
  if (doc == NULL)
    return NULL;
  root = koers_json_doc_to_node (doc, 0);
  json_node_seal (root);
  return root;
}

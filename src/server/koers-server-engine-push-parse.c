/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * POST /v1/mutaties: the request's structure, checked whole before anything is written
 * (400 naming the place). Content is checked when each mutation applies.
 */
#include "config.h"

#include "server/koers-server-engine-private.h"

#define MAX_MUTATIONS 100

static gboolean
invalid (GError **error, const char *place, const char *reason)
{
  g_set_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_INVALID, "%s: %s",
               place, reason);
  return FALSE;
}

/* json-glib 1.6 answers 0/NULL on a wrong type without a word, so every member's type is
 * checked here first. */
static JsonNode *
member_of_type (JsonObject *object, const char *name, GType type)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return NULL;
  return node;
}

static EngineMutation *
parse_mutation (JsonNode *node, guint index, GError **error)
{
  g_autoptr(EngineMutation) m = g_new0 (EngineMutation, 1);
  g_autofree char *place = g_strdup_printf ("mutaties[%u]", index);
  g_autofree char *sub = NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *object;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, place, "moet een object zijn"), NULL;
  object = json_node_get_object (node);

  value = member_of_type (object, "mutatieId", G_TYPE_STRING);
  if (value == NULL || !koers_uuid_is_valid (json_node_get_string (value)))
    {
      sub = g_strconcat (place, ".mutatieId", NULL);
      return invalid (error, sub, "moet een UUID in kleine letters zijn"), NULL;
    }
  m->mutation_id = g_strdup (json_node_get_string (value));

  value = member_of_type (object, "volgnummer", G_TYPE_INT64);
  if (value == NULL || json_node_get_int (value) < 1)
    {
      sub = g_strconcat (place, ".volgnummer", NULL);
      return invalid (error, sub, "moet een geheel getal vanaf 1 zijn"), NULL;
    }
  m->device_sequence = json_node_get_int (value);

#define REQUIRE_STRING(member, target) \
  value = member_of_type (object, member, G_TYPE_STRING); \
  if (value == NULL) \
    { \
      sub = g_strconcat (place, "." member, NULL); \
      return invalid (error, sub, "moet tekst zijn"), NULL; \
    } \
  target = g_strdup (json_node_get_string (value));
  REQUIRE_STRING ("entiteit", m->entity_name)
  REQUIRE_STRING ("recordId", m->record_id)
  REQUIRE_STRING ("actie", sub)
#undef REQUIRE_STRING
  /* Unknown entities and actions can never apply: afgewezen, so a newer client's queue does
   * not block on an older server. */
  m->action = engine_action_from_name (sub);
  g_clear_pointer (&sub, g_free);
  m->entity = koers_sync_entity_lookup (m->entity_name);

  value = json_object_get_member (object, "basisVersie");
  if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64
          || json_node_get_int (value) < 0)
        {
          sub = g_strconcat (place, ".basisVersie", NULL);
          return invalid (error, sub, "moet een geheel getal of null zijn"), NULL;
        }
      m->has_base = TRUE;
      m->base_version = json_node_get_int (value);
    }

  value = json_object_get_member (object, "velden");
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      m->fields = json_object_new ();
      return g_steal_pointer (&m);
    }
  if (!JSON_NODE_HOLDS_OBJECT (value))
    {
      sub = g_strconcat (place, ".velden", NULL);
      return invalid (error, sub, "moet een object zijn"), NULL;
    }
  m->fields = json_object_ref (json_node_get_object (value));
  names = json_object_get_members (m->fields);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *change = json_object_get_member (m->fields, l->data);

      if (!JSON_NODE_HOLDS_OBJECT (change)
          || !json_object_has_member (json_node_get_object (change), "wordt"))
        {
          sub = g_strdup_printf ("%s.velden.%s", place, (const char *) l->data);
          return invalid (error, sub, "moet een object met \"was\" en \"wordt\" zijn"), NULL;
        }
    }
  return g_steal_pointer (&m);
}

GPtrArray *
engine_push_parse_request (JsonNode *request, GError **error)
{
  g_autoptr(GPtrArray) mutations = g_ptr_array_new_with_free_func (
    (GDestroyNotify) engine_mutation_free);
  JsonNode *list;
  JsonArray *array;

  if (request == NULL || !JSON_NODE_HOLDS_OBJECT (request))
    return invalid (error, "verzoek", "moet een object zijn"), NULL;
  {
    g_autoptr(GList) names = json_object_get_members (json_node_get_object (request));

    for (GList *l = names; l != NULL; l = l->next)
      if (!g_str_equal (l->data, "mutaties"))
        return invalid (error, "verzoek", "bevat een onbekend veld; alleen mutaties is "
                        "toegestaan"), NULL;
  }
  list = json_object_get_member (json_node_get_object (request), "mutaties");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return invalid (error, "mutaties", "moet een lijst zijn"), NULL;
  array = json_node_get_array (list);
  if (json_array_get_length (array) > MAX_MUTATIONS)
    return invalid (error, "mutaties", "mag hoogstens 100 mutaties bevatten"), NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      EngineMutation *m = parse_mutation (json_array_get_element (array, i), i, error);

      if (m == NULL)
        return NULL;
      g_ptr_array_add (mutations, m);
    }
  return g_steal_pointer (&mutations);
}

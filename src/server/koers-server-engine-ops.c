/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mutation engine's larger operations: resolving a conflict, erasing a participant
 * (AVG), and moving a participant with everything it holds to another coach's caseload.
 */
#include "config.h"

#include "server/koers-server-engine-ops.h"

static const char * const choices[] = { "mijn", "hun", "bewerkt", NULL };

static void
copy_refusal (EngineResult *result, EngineResult *sub)
{
  result->status = "afgewezen";
  result->version = 0;
  result->reject = sub->reject;
  result->refusal = sub->refusal;
  g_free (result->reason);
  result->reason = g_steal_pointer (&sub->reason);
  g_free (result->reject_field);
  result->reject_field = g_steal_pointer (&sub->reject_field);
}

/* Writes the chosen value to the conflict's record as a normal change. "_verwijderd"
 * conflicts choose between the tombstone (null) and a live record (an object whose members
 * are set on it). */
static gboolean
write_choice (EngineTxn *txn, EngineMutation *m, EngineRecord *target, const char *field,
              JsonNode *chosen, EngineResult *sub, GError **error)
{
  EngineMutation change = { 0 };
  g_autoptr(JsonObject) changes = json_object_new ();

  change.mutation_id = m->mutation_id;
  change.entity = koers_sync_entity_lookup (target->entity);
  change.entity_name = target->entity;
  change.record_id = target->id;
  change.action = ENGINE_ACTION_CHANGE;
  change.fields = changes;
  if (change.entity == NULL)
    return engine_reject (sub, KOERS_SYNC_REFUSAL_MALFORMED, NULL,
                          g_strdup ("het record van dit conflict is onbekend"));

  if (g_str_equal (field, "_verwijderd"))
    {
      g_autoptr(GList) names = NULL;

      if (chosen == NULL || JSON_NODE_HOLDS_NULL (chosen))
        return target->deleted ? TRUE : engine_apply_delete (txn, &change, target, sub, error);
      if (!JSON_NODE_HOLDS_OBJECT (chosen))
        return engine_reject (sub, KOERS_SYNC_REFUSAL_MALFORMED, "waarde",
                              g_strdup ("moet null (verwijderd) of een object met velden zijn"));
      /* Check the values before the tombstone is lifted (the savepoint of the mutation undoes
       * a restore whose change is refused anyway, but nothing need be written then). */
      names = json_object_get_members (json_node_get_object (chosen));
      for (GList *l = names; l != NULL; l = l->next)
        {
          const KoersSyncField *f = koers_sync_entity_field (change.entity, l->data);
          char *reason = NULL;

          if (f == NULL || f->merge == KOERS_SYNC_MERGE_SERVER)
            return engine_reject (sub, KOERS_SYNC_REFUSAL_UNKNOWN_FIELD, l->data,
                                  g_strdup ("is geen bekend veld"));
          if (!koers_sync_field_check (f, json_object_get_member (
                                         json_node_get_object (chosen), l->data), &reason))
            return engine_reject (sub, KOERS_SYNC_REFUSAL_INVALID_VALUE, l->data, reason);
        }
      g_clear_pointer (&names, g_list_free);
      if (target->deleted && !engine_apply_restore (txn, &change, target, sub, error))
        return FALSE;
      if (sub->reject != ENGINE_REJECT_NONE)
        return TRUE;
      names = json_object_get_members (json_node_get_object (chosen));
      for (GList *l = names; l != NULL; l = l->next)
        engine_diff_add (changes, l->data, json_object_get_member (target->fields, l->data),
                         json_object_get_member (json_node_get_object (chosen), l->data));
      if (json_object_get_size (changes) == 0)
        return TRUE;
      return engine_apply_change (txn, &change, target, sub, error);
    }

  if (target->deleted)
    return engine_reject (sub, KOERS_SYNC_REFUSAL_DELETED, NULL,
                          g_strdup ("het record is verwijderd; herstel het eerst"));
  /* The choice is deliberate: "was" is what the server holds now, so it always applies. */
  engine_diff_add (changes, field, json_object_get_member (target->fields, field), chosen);
  return engine_apply_change (txn, &change, target, sub, error);
}

/* A choice about the coach moves the participant, and this conflict with it: engine_reassign
 * stored the conflict anew in the other caseload. Resolved as it was read, it would go back to
 * the caseload it just left, at a later version than the exit that caseload's feed gives. */
static gboolean
follow_move (EngineTxn *txn, EngineRecord *conflict, GError **error)
{
  g_autoptr(EngineRecord) stored = NULL;

  if (!engine_record_load (txn->db, txn->org, conflict->entity, conflict->id, &stored, error))
    return FALSE;
  if (stored != NULL && g_strcmp0 (stored->scope_coach_id, conflict->scope_coach_id) != 0)
    {
      g_free (conflict->scope_coach_id);
      conflict->scope_coach_id = g_strdup (stored->scope_coach_id);
    }
  return TRUE;
}

gboolean
engine_apply_resolve (EngineTxn *txn, EngineMutation *m, EngineRecord *conflict,
                      EngineResult *result, GError **error)
{
  g_autoptr(EngineRecord) target = NULL;
  g_autoptr(JsonObject) diff = json_object_new ();
  g_autoptr(GList) names = NULL;
  JsonNode *choice_node = engine_change_member (m->fields, "keuze", "wordt");
  JsonNode *edited = engine_change_member (m->fields, "waarde", "wordt");
  JsonNode *resolved;
  JsonNode *chosen;
  const char *choice = NULL;
  EngineResult sub;
  gboolean ok;

  if (m->entity->kind != KOERS_SYNC_ENTITY_SERVER_MADE)
    return engine_reject (result, KOERS_SYNC_REFUSAL_ACTION, NULL,
                          g_strdup ("alleen een conflict wordt opgelost"));
  if (conflict == NULL)
    return engine_reject (result, KOERS_SYNC_REFUSAL_NOT_FOUND, NULL,
                          g_strdup ("het conflict bestaat niet of valt buiten uw bereik"));
  names = json_object_get_members (m->fields);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "keuze") && !g_str_equal (l->data, "waarde"))
      return engine_reject (result, KOERS_SYNC_REFUSAL_MALFORMED, l->data,
                            g_strdup ("is geen veld van een oplossing"));
  if (choice_node != NULL && json_node_get_value_type (choice_node) == G_TYPE_STRING)
    choice = json_node_get_string (choice_node);
  if (choice == NULL || !g_strv_contains (choices, choice))
    return engine_reject (result, KOERS_SYNC_REFUSAL_MALFORMED, "keuze",
                          g_strdup ("moet mijn, hun of bewerkt zijn"));

  resolved = json_object_get_member (conflict->fields, "opgelost");
  if (resolved != NULL && json_node_get_value_type (resolved) == G_TYPE_BOOLEAN
      && json_node_get_boolean (resolved))
    {
      JsonNode *earlier = json_object_get_member (conflict->fields, "keuze");

      if (engine_json_equal (earlier, choice_node))
        {
          result->version = conflict->version;
          return TRUE;
        }
      return engine_reject (result, KOERS_SYNC_REFUSAL_RESOLVED, NULL,
                            g_strdup ("het conflict is al anders opgelost"));
    }

  if (!engine_record_load (txn->db, txn->org,
                           json_object_get_string_member_with_default (conflict->fields,
                                                                       "entiteit", ""),
                           json_object_get_string_member_with_default (conflict->fields,
                                                                       "recordId", ""),
                           &target, error))
    return FALSE;
  if (target != NULL && target->erased && engine_record_in_scope (txn->caller, target))
    return engine_reject (result, KOERS_SYNC_REFUSAL_ERASED, NULL,
                          g_strdup ("het record van dit conflict is gewist"));
  if (target == NULL || target->erased || !engine_record_in_scope (txn->caller, target))
    return engine_reject (result, KOERS_SYNC_REFUSAL_NOT_FOUND, NULL,
                          g_strdup ("het record van dit conflict bestaat niet meer"));

  /* "mijn" is the conflict's client value (the edit that lost), "hun" the server's. */
  if (g_str_equal (choice, "mijn"))
    chosen = json_object_get_member (conflict->fields, "client");
  else if (g_str_equal (choice, "hun"))
    chosen = json_object_get_member (conflict->fields, "server");
  else
    chosen = edited;

  engine_result_init (&sub);
  ok = write_choice (txn, m, target,
                     json_object_get_string_member_with_default (conflict->fields, "veld", ""),
                     chosen, &sub, error);
  if (ok && sub.reject != ENGINE_REJECT_NONE)
    copy_refusal (result, &sub);
  engine_result_clear (&sub);
  if (!ok || result->reject != ENGINE_REJECT_NONE)
    return ok;
  if (!follow_move (txn, conflict, error))
    return FALSE;

  engine_diff_add (diff, "keuze", json_object_get_member (conflict->fields, "keuze"),
                   choice_node);
  {
    g_autoptr(JsonNode) was = json_node_new (JSON_NODE_VALUE);
    g_autoptr(JsonNode) becomes = json_node_new (JSON_NODE_VALUE);

    json_node_set_boolean (was, FALSE);
    json_node_set_boolean (becomes, TRUE);
    engine_diff_add (diff, "opgelost", was, becomes);
  }
  json_object_set_boolean_member (conflict->fields, "opgelost", TRUE);
  json_object_set_string_member (conflict->fields, "keuze", choice);
  if (!engine_record_save (txn, conflict, "oplossen", diff, error))
    return FALSE;
  result->version = conflict->version;
  return TRUE;
}

static KoersSqlRows *
participant_records (EngineTxn *txn, const char *participant_id, gboolean children_only,
                     GError **error)
{
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (txn->org), KOERS_SQL_TEXT_VALUE (participant_id),
  };

  return koers_server_db_query (txn->db,
                                children_only
                                ? "SELECT " ENGINE_RECORD_COLUMNS " FROM records "
                                  "WHERE organisation_id = $1 AND participant_id = $2 "
                                  "AND entity <> 'deelnemers' ORDER BY entity, id"
                                : "SELECT " ENGINE_RECORD_COLUMNS " FROM records "
                                  "WHERE organisation_id = $1 AND participant_id = $2 "
                                  "ORDER BY entity, id",
                                params, G_N_ELEMENTS (params), error);
}

gboolean
engine_apply_erase (EngineTxn *txn, EngineMutation *m, EngineRecord *participant,
                    EngineResult *result, GError **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (txn->org), KOERS_SQL_TEXT_VALUE (m->record_id),
  };

  if (txn->caller->role != KOERS_SERVER_ROLE_ONDERSTEUNER)
    return engine_reject (result, KOERS_SYNC_REFUSAL_SUPPORT_ONLY, NULL,
                          g_strdup ("alleen een ondersteuner mag gegevens wissen"));
  if (m->entity->parent_field != NULL)
    return engine_reject (result, KOERS_SYNC_REFUSAL_MALFORMED, NULL,
                          g_strdup ("alleen een deelnemer wordt gewist, met alles wat bij "
                                    "hem hoort"));
  if (participant == NULL)
    return engine_reject (result, KOERS_SYNC_REFUSAL_NOT_FOUND, NULL,
                          g_strdup ("het record bestaat niet of valt buiten uw bereik"));

  rows = participant_records (txn, m->record_id, FALSE, error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
    {
      g_autoptr(EngineRecord) record = engine_record_from_row (rows, i, 0);

      json_object_unref (record->fields);
      record->fields = json_object_new ();
      record->erased = TRUE;
      record->deleted = TRUE;
      if (!engine_record_save (txn, record, "wissen", NULL, error))
        return FALSE;
      if (g_str_equal (record->entity, KOERS_SYNC_PARTICIPANTS))
        result->version = record->version;
    }
  /* History keeps that something happened and who did it, not what it said; the audit trail
   * keeps who touched the participant, not the purpose someone typed about them. */
  return koers_server_db_exec (txn->db,
                               "UPDATE history SET diff = '{}' WHERE organisation_id = $1 "
                               "AND id IN (SELECT id FROM records WHERE organisation_id = $1 "
                               "AND participant_id = $2)",
                               params, G_N_ELEMENTS (params), NULL, error)
         && koers_server_db_exec (txn->db,
                                  "UPDATE audit SET purpose = NULL WHERE organisation_id = $1 "
                                  "AND purpose IS NOT NULL AND (participant_id = $2 "
                                  "OR record_id IN (SELECT id FROM records "
                                  "WHERE organisation_id = $1 AND participant_id = $2))",
                                  params, G_N_ELEMENTS (params), NULL, error);
}

static gboolean
move_in_feeds (EngineTxn *txn, const EngineRecord *record, const char *old_coach,
               GError **error)
{
  if (old_coach != NULL)
    {
      KoersSqlValue params[] = {
        KOERS_SQL_TEXT_VALUE (txn->org), KOERS_SQL_TEXT_VALUE (old_coach),
        KOERS_SQL_TEXT_VALUE (record->entity), KOERS_SQL_TEXT_VALUE (record->id),
        KOERS_SQL_INT_VALUE (record->version),
      };

      if (!koers_server_db_exec (txn->db,
                                 "INSERT INTO scope_exits (organisation_id, coach_id, entity, "
                                 "id, version) VALUES ($1, $2, $3, $4, $5) "
                                 "ON CONFLICT (organisation_id, coach_id, entity, id) "
                                 "DO UPDATE SET version = excluded.version",
                                 params, G_N_ELEMENTS (params), NULL, error))
        return FALSE;
    }
  if (record->scope_coach_id != NULL)
    {
      /* Back in a caseload it once left: the record itself now tells that coach. */
      KoersSqlValue params[] = {
        KOERS_SQL_TEXT_VALUE (txn->org), KOERS_SQL_TEXT_VALUE (record->scope_coach_id),
        KOERS_SQL_TEXT_VALUE (record->entity), KOERS_SQL_TEXT_VALUE (record->id),
      };

      if (!koers_server_db_exec (txn->db,
                                 "DELETE FROM scope_exits WHERE organisation_id = $1 "
                                 "AND coach_id = $2 AND entity = $3 AND id = $4",
                                 params, G_N_ELEMENTS (params), NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
engine_reassign (EngineTxn *txn, EngineRecord *participant, const char *old_coach,
                 GError **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;

  if (!move_in_feeds (txn, participant, old_coach, error))
    return FALSE;
  rows = participant_records (txn, participant->id, TRUE, error);
  if (rows == NULL)
    return FALSE;
  /* Every child gets a new version, so the new coach's feed delivers the participant whole
   * even to a device whose cursor is past the children's old versions. */
  for (guint i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
    {
      g_autoptr(EngineRecord) child = engine_record_from_row (rows, i, 0);

      g_free (child->scope_coach_id);
      child->scope_coach_id = g_strdup (participant->scope_coach_id);
      if (!engine_record_save (txn, child, "verplaatsen", NULL, error)
          || !move_in_feeds (txn, child, old_coach, error))
        return FALSE;
    }
  return TRUE;
}

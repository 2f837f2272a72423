/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one mutation engine: create, change (per-field three-way merge), delete and restore.
 * Resolve, erase and reassignment are in koers-server-engine-ops.c. Push and entity writes
 * both come here, inside their transaction.
 */
#include "config.h"

#include "server/koers-server-engine-private.h"

#include "core/koers-status.h"
#include "server/koers-server-engine-ops.h"

static const char * const action_names[ENGINE_N_ACTIONS] = {
  "aanmaken", "wijzigen", "verwijderen", "herstellen", "oplossen", "wissen",
};

const char *
engine_action_name (EngineAction action)
{
  g_return_val_if_fail ((guint) action < ENGINE_N_ACTIONS, NULL);
  return action_names[action];
}

int
engine_action_from_name (const char *name)
{
  for (guint i = 0; name != NULL && i < ENGINE_N_ACTIONS; i++)
    if (g_str_equal (action_names[i], name))
      return (int) i;
  return -1;
}

JsonNode *
engine_change_member (JsonObject *changes, const char *name, const char *which)
{
  JsonNode *change = json_object_get_member (changes, name);

  if (change == NULL || !JSON_NODE_HOLDS_OBJECT (change))
    return NULL;
  return json_object_get_member (json_node_get_object (change), which);
}

/* Records keep no null members: absent and null are the same value. */
void
engine_object_set (JsonObject *object, const char *name, JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    json_object_remove_member (object, name);
  else
    json_object_set_member (object, name, json_node_copy (value));
}

/* json_node_copy() shares objects; the merge needs its own top level to change. */
JsonObject *
engine_object_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            json_node_copy (json_object_get_member (object, l->data)));
  return copy;
}

void
engine_diff_add (JsonObject *diff, const char *name, JsonNode *was, JsonNode *becomes)
{
  JsonObject *change = json_object_new ();

  json_object_set_member (change, "was",
                          was != NULL ? json_node_copy (was) : json_node_new (JSON_NODE_NULL));
  json_object_set_member (change, "wordt", becomes != NULL ? json_node_copy (becomes)
                                                           : json_node_new (JSON_NODE_NULL));
  json_object_set_object_member (diff, name, change);
}

static const char *
string_member (JsonObject *fields, const char *name)
{
  JsonNode *node = json_object_get_member (fields, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
same_content (JsonObject *a, JsonObject *b)
{
  g_autoptr(GList) names = json_object_get_members (a);

  if (json_object_get_size (a) != json_object_get_size (b))
    return FALSE;
  for (GList *l = names; l != NULL; l = l->next)
    if (!engine_json_equal (json_object_get_member (a, l->data),
                            json_object_get_member (b, l->data)))
      return FALSE;
  return TRUE;
}

/* A participant's coach must be a coach of the same organisation. */
static gboolean
is_coach (EngineTxn *txn, const char *user_id, gboolean *out_ok, GError **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (user_id), KOERS_SQL_TEXT_VALUE (txn->org) };

  rows = koers_server_db_query (txn->db,
                                "SELECT 1 FROM users WHERE id = $1 AND organisation_id = $2 "
                                "AND role = 'coach'", params, 2, error);
  if (rows == NULL)
    return FALSE;
  *out_ok = koers_sql_rows_get_n_rows (rows) > 0;
  return TRUE;
}

/* Where a new record belongs: a participant in its coach's caseload; a child in its
 * participant's. FALSE only on a storage error; a refusal is put in @result. */
static gboolean
place_new_record (EngineTxn *txn, EngineRecord *record, EngineResult *result, GError **error)
{
  const KoersServerCaller *caller = txn->caller;

  if (g_str_equal (record->entity, KOERS_SYNC_PARTICIPANTS))
    {
      const char *coach = string_member (record->fields, KOERS_SYNC_COACH_FIELD);
      gboolean ok = TRUE;

      if (caller->role == KOERS_SERVER_ROLE_COACH && g_strcmp0 (coach, caller->user_id) != 0)
        return engine_reject (result, KOERS_SYNC_REFUSAL_OWN_CASELOAD, KOERS_SYNC_COACH_FIELD,
                              g_strdup ("een coach maakt alleen deelnemers in de eigen "
                                        "caseload aan"));
      if (coach != NULL && !is_coach (txn, coach, &ok, error))
        return FALSE;
      if (!ok)
        return engine_reject (result, KOERS_SYNC_REFUSAL_NOT_A_COACH, KOERS_SYNC_COACH_FIELD,
                              g_strdup ("is geen coach van deze organisatie"));
      return TRUE;
    }
  else
    {
      g_autoptr(EngineRecord) parent = NULL;
      const char *parent_id = string_member (record->fields, "deelnemerId");

      if (!engine_record_load (txn->db, txn->org, KOERS_SYNC_PARTICIPANTS, parent_id, &parent,
                               error))
        return FALSE;
      if (parent == NULL || parent->erased || !engine_record_in_scope (caller, parent))
        return engine_reject (result, KOERS_SYNC_REFUSAL_NOT_FOUND, "deelnemerId",
                              g_strdup ("de deelnemer bestaat niet of valt buiten uw bereik"));
      record->participant_id = g_strdup (parent->id);
      record->scope_coach_id = g_strdup (parent->scope_coach_id);
      if (g_str_equal (record->entity, KOERS_SYNC_NOTES)
          && string_member (record->fields, "revisieVan") != NULL)
        {
          g_autoptr(EngineRecord) original = NULL;

          if (!engine_record_load (txn->db, txn->org, KOERS_SYNC_NOTES,
                                   string_member (record->fields, "revisieVan"), &original,
                                   error))
            return FALSE;
          if (original == NULL || original->erased
              || g_strcmp0 (original->participant_id, parent->id) != 0)
            return engine_reject (result, KOERS_SYNC_REFUSAL_MALFORMED, "revisieVan",
                                  g_strdup ("verwijst niet naar een notitie van deze "
                                            "deelnemer"));
        }
      return TRUE;
    }
}

/* koers_sync_record_check() names the field it stopped at: one the entity does not have, or
 * one whose value breaks its rules. */
static KoersSyncRefusal
record_check_refusal (const KoersSyncEntity *entity, const char *bad_field)
{
  return bad_field != NULL && koers_sync_entity_field (entity, bad_field) == NULL
         ? KOERS_SYNC_REFUSAL_UNKNOWN_FIELD : KOERS_SYNC_REFUSAL_INVALID_VALUE;
}

static gboolean
apply_create (EngineTxn *txn, EngineMutation *m, EngineRecord *existing, EngineResult *result,
              GError **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) diff = json_object_new ();
  g_autoptr(EngineRecord) record = NULL;
  g_autoptr(GList) names = NULL;
  const char *bad_field = NULL;
  char *reason = NULL;

  if (m->entity->kind == KOERS_SYNC_ENTITY_SERVER_MADE)
    return engine_reject (result, KOERS_SYNC_REFUSAL_ACTION, NULL,
                          g_strdup ("conflicten worden alleen door de server gemaakt"));
  names = json_object_get_members (m->fields);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *value = engine_change_member (m->fields, l->data, "wordt");

      engine_object_set (fields, l->data, value);
      if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
        engine_diff_add (diff, l->data, NULL, value);
    }
  if (!koers_sync_record_check (m->entity, fields, &bad_field, &reason))
    return engine_reject (result, record_check_refusal (m->entity, bad_field), bad_field, reason);
  if (existing != NULL)
    {
      /* A retried create whose first answer was lost: the same content is the same record. */
      if (!existing->deleted && same_content (existing->fields, fields))
        {
          result->version = existing->version;
          return TRUE;
        }
      return engine_reject (result, KOERS_SYNC_REFUSAL_ID_TAKEN, NULL,
                            g_strdup ("er bestaat al een record met dit id en andere inhoud"));
    }

  record = g_new0 (EngineRecord, 1);
  record->entity = g_strdup (m->entity->name);
  record->id = g_strdup (m->record_id);
  record->fields = json_object_ref (fields);
  if (!place_new_record (txn, record, result, error))
    return FALSE;
  if (result->reject != ENGINE_REJECT_NONE)
    return TRUE;
  if (!engine_record_save (txn, record, "aanmaken", diff, error))
    return FALSE;
  result->version = record->version;
  return TRUE;
}

/* Checks one requested field change before anything merges. */
static gboolean
check_change (EngineTxn *txn, EngineMutation *m, EngineRecord *existing, const char *name,
              EngineResult *result)
{
  const KoersSyncField *field = koers_sync_entity_field (m->entity, name);
  JsonNode *becomes = engine_change_member (m->fields, name, "wordt");
  JsonNode *was = engine_change_member (m->fields, name, "was");
  JsonNode *current = json_object_get_member (existing->fields, name);
  char *reason = NULL;

  if (field == NULL)
    return engine_reject (result, KOERS_SYNC_REFUSAL_UNKNOWN_FIELD, name,
                          g_strdup ("is geen bekend veld"));
  if (field->merge == KOERS_SYNC_MERGE_SERVER)
    return engine_reject (result, KOERS_SYNC_REFUSAL_SERVER_FIELD, name,
                          g_strdup ("wordt alleen door de server geschreven"));
  if (field->merge == KOERS_SYNC_MERGE_FIXED && !engine_json_equal (becomes, current))
    return engine_reject (result, KOERS_SYNC_REFUSAL_FIXED_FIELD, name,
                          g_strdup ("kan na het aanmaken niet meer veranderen"));
  if (!koers_sync_field_check (field, becomes, &reason))
    return engine_reject (result, KOERS_SYNC_REFUSAL_INVALID_VALUE, name, reason);
  /* "was" may become a conflict's basis: it is held to the field's rules too (null allowed). */
  if (was != NULL && !JSON_NODE_HOLDS_NULL (was) && !koers_sync_field_check (field, was, &reason))
    {
      char *full = g_strdup_printf ("de vorige waarde (was) %s", reason);

      g_free (reason);
      return engine_reject (result, KOERS_SYNC_REFUSAL_INVALID_VALUE, name, full);
    }
  /* Decided: moving a participant to another caseload is the ondersteuner's work; a coach
   * who tries gets afgewezen, never a conflict. */
  if (g_str_equal (name, KOERS_SYNC_COACH_FIELD)
      && txn->caller->role != KOERS_SERVER_ROLE_ONDERSTEUNER
      && !engine_json_equal (becomes, current))
    return engine_reject (result, KOERS_SYNC_REFUSAL_SUPPORT_ONLY, name,
                          g_strdup ("alleen een ondersteuner mag een deelnemer aan een andere "
                                    "coach toewijzen"));
  return TRUE;
}

static gboolean
check_status (JsonObject *before, JsonObject *after, EngineResult *result)
{
  KoersStatus from, to;
  KoersOutcome outcome = KOERS_OUTCOME_UNKNOWN;
  guint n_next = 0;
  const KoersStatus *next;

  /* A participant without a status is at the start of the workflow: it cannot jump past
   * the steps (or to completed without an outcome) by having had none. */
  if (string_member (before, KOERS_SYNC_STATUS_FIELD) == NULL)
    from = KOERS_STATUS_REGISTERED;
  else if (!koers_status_from_id (string_member (before, KOERS_SYNC_STATUS_FIELD), &from))
    return TRUE;
  if (!koers_status_from_id (string_member (after, KOERS_SYNC_STATUS_FIELD), &to))
    return TRUE;
  koers_outcome_from_id (string_member (after, "uitkomst"), &outcome);
  if (koers_status_check_transition (from, to, outcome, NULL))
    return TRUE;
  next = koers_status_next (from, &n_next);
  for (guint i = 0; i < n_next; i++)
    if (next[i] == to)
      return engine_reject (result, KOERS_SYNC_REFUSAL_OUTCOME_MISSING, KOERS_SYNC_STATUS_FIELD,
                            g_strdup ("een traject wordt pas afgerond als de uitkomst is "
                                      "vastgelegd"));
  if (koers_status_is_final (from))
    return engine_reject (result, KOERS_SYNC_REFUSAL_CLOSED, KOERS_SYNC_STATUS_FIELD,
                          g_strdup ("een afgerond of beëindigd traject verandert niet meer van "
                                    "status"));
  return engine_reject (result, KOERS_SYNC_REFUSAL_TRANSITION, KOERS_SYNC_STATUS_FIELD,
                        g_strdup ("deze statusovergang is niet toegestaan in de werkwijze"));
}

gboolean
engine_apply_change (EngineTxn *txn, EngineMutation *m, EngineRecord *existing,
                     EngineResult *result, GError **error)
{
  g_autoptr(GList) names = NULL;
  g_autoptr(JsonObject) merged = NULL;
  g_autoptr(JsonObject) diff = json_object_new ();
  g_autoptr(GPtrArray) clashes = g_ptr_array_new ();
  g_autofree char *old_coach = NULL;
  const char *bad_field = NULL;
  char *reason = NULL;

  if (m->entity->kind == KOERS_SYNC_ENTITY_APPEND_ONLY)
    return engine_reject (result, KOERS_SYNC_REFUSAL_APPEND_ONLY, NULL,
                          g_strdup ("dit record kan niet worden gewijzigd: een wijziging is een "
                                    "nieuwe revisie"));
  if (m->entity->kind == KOERS_SYNC_ENTITY_SERVER_MADE)
    return engine_reject (result, KOERS_SYNC_REFUSAL_ACTION, NULL,
                          g_strdup ("een conflict wordt opgelost met de actie oplossen"));
  if (existing == NULL)
    return engine_reject (result, KOERS_SYNC_REFUSAL_NOT_FOUND, NULL,
                          g_strdup ("het record bestaat niet of valt buiten uw bereik"));
  names = json_object_get_members (m->fields);
  for (GList *l = names; l != NULL; l = l->next)
    {
      check_change (txn, m, existing, l->data, result);
      if (result->reject != ENGINE_REJECT_NONE)
        return TRUE;
    }
  /* Nothing that differs from the server: converged, whatever the base. */
  {
    gboolean differs = FALSE;

    for (GList *l = names; l != NULL && !differs; l = l->next)
      differs = !engine_json_equal (engine_change_member (m->fields, l->data, "wordt"),
                                    json_object_get_member (existing->fields, l->data));
    if (!differs)
      {
        result->version = existing->version;
        return TRUE;
      }
  }

  if (existing->deleted)
    {
      /* Edit after delete: the tombstone stays and the edit is kept in a conflict, from
       * which it can be restored. */
      g_autoptr(JsonNode) edit = json_node_new (JSON_NODE_OBJECT);
      JsonObject *values = json_object_new ();
      char *id;

      for (GList *l = names; l != NULL; l = l->next)
        engine_object_set (values, l->data, engine_change_member (m->fields, l->data, "wordt"));
      json_node_take_object (edit, values);
      id = engine_conflict_create (txn, existing, "_verwijderd", NULL, NULL, edit, error);
      if (id == NULL)
        return FALSE;
      g_ptr_array_add (result->conflicts, id);
      result->status = "conflict";
      result->version = existing->version;
      return TRUE;
    }

  merged = engine_object_copy (existing->fields);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *base = engine_change_member (m->fields, l->data, "was");
      JsonNode *mine = engine_change_member (m->fields, l->data, "wordt");
      JsonNode *theirs = json_object_get_member (existing->fields, l->data);

      if (engine_json_equal (theirs, mine))
        continue;                                 /* converged */
      if (engine_json_equal (theirs, base))
        {
          engine_object_set (merged, l->data, mine);
          engine_diff_add (diff, l->data, theirs, mine);
        }
      else
        g_ptr_array_add (clashes, l->data);       /* keep theirs, record a conflict */
    }
  if (!check_status (existing->fields, merged, result))
    return FALSE;
  if (result->reject != ENGINE_REJECT_NONE)
    return TRUE;
  if (!koers_sync_record_check (m->entity, merged, &bad_field, &reason))
    return engine_reject (result, record_check_refusal (m->entity, bad_field), bad_field, reason);
  if (json_object_has_member (diff, KOERS_SYNC_COACH_FIELD)
      && string_member (merged, KOERS_SYNC_COACH_FIELD) != NULL)
    {
      gboolean ok = TRUE;

      if (!is_coach (txn, string_member (merged, KOERS_SYNC_COACH_FIELD), &ok, error))
        return FALSE;
      if (!ok)
        return engine_reject (result, KOERS_SYNC_REFUSAL_NOT_A_COACH, KOERS_SYNC_COACH_FIELD,
                              g_strdup ("is geen coach van deze organisatie"));
    }

  /* Conflicts first, so they name the author and time of the value the server keeps. */
  for (guint i = 0; i < clashes->len; i++)
    {
      const char *name = g_ptr_array_index (clashes, i);
      char *id = engine_conflict_create (txn, existing, name,
                                         engine_change_member (m->fields, name, "was"),
                                         json_object_get_member (existing->fields, name),
                                         engine_change_member (m->fields, name, "wordt"),
                                         error);
      if (id == NULL)
        return FALSE;
      g_ptr_array_add (result->conflicts, id);
      result->status = "conflict";
    }
  if (json_object_get_size (diff) > 0)
    {
      old_coach = g_strdup (existing->scope_coach_id);
      json_object_unref (existing->fields);
      existing->fields = json_object_ref (merged);
      if (!engine_record_save (txn, existing, "wijzigen", diff, error))
        return FALSE;
      if (g_str_equal (existing->entity, KOERS_SYNC_PARTICIPANTS)
          && g_strcmp0 (old_coach, existing->scope_coach_id) != 0
          && !engine_reassign (txn, existing, old_coach, error))
        return FALSE;
    }
  result->version = existing->version;
  return TRUE;
}

/* Did anyone but this device change the record after @base? Then a delete keeps their work
 * in a conflict. Moves (reassignments) are not work. */
static gboolean
changed_by_others (EngineTxn *txn, EngineRecord *record, gint64 base, gboolean *out_changed,
                   GError **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (txn->org), KOERS_SQL_TEXT_VALUE (record->entity),
    KOERS_SQL_TEXT_VALUE (record->id), KOERS_SQL_INT_VALUE (base),
    KOERS_SQL_TEXT_VALUE (txn->device_id),
  };

  rows = koers_server_db_query (txn->db,
                                "SELECT 1 FROM history WHERE organisation_id = $1 "
                                "AND entity = $2 AND id = $3 AND version > $4 "
                                "AND action IN ('aanmaken', 'wijzigen', 'herstellen') "
                                "AND device_id IS DISTINCT FROM $5 LIMIT 1",
                                params, G_N_ELEMENTS (params), error);
  if (rows == NULL)
    return FALSE;
  *out_changed = koers_sql_rows_get_n_rows (rows) > 0;
  return TRUE;
}

gboolean
engine_apply_delete (EngineTxn *txn, EngineMutation *m, EngineRecord *existing,
                     EngineResult *result, GError **error)
{
  g_autoptr(JsonObject) diff = json_object_new ();
  g_autoptr(JsonNode) was = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonNode) becomes = json_node_new (JSON_NODE_VALUE);
  gboolean changed = FALSE;

  if (m->entity->kind != KOERS_SYNC_ENTITY_MERGEABLE)
    return engine_reject (result, KOERS_SYNC_REFUSAL_ACTION, NULL,
                          g_strdup ("dit soort record kan niet worden verwijderd"));
  if (existing == NULL)
    return engine_reject (result, KOERS_SYNC_REFUSAL_NOT_FOUND, NULL,
                          g_strdup ("het record bestaat niet of valt buiten uw bereik"));
  if (existing->deleted)
    {
      result->version = existing->version;
      return TRUE;
    }
  if (m->has_base && existing->version > m->base_version
      && !changed_by_others (txn, existing, m->base_version, &changed, error))
    return FALSE;
  if (changed)
    {
      /* The tombstone wins; their values stay restorable through the conflict. */
      g_autoptr(JsonNode) theirs = json_node_new (JSON_NODE_OBJECT);
      char *id;

      json_node_set_object (theirs, existing->fields);
      id = engine_conflict_create (txn, existing, "_verwijderd", NULL, theirs, NULL, error);
      if (id == NULL)
        return FALSE;
      g_ptr_array_add (result->conflicts, id);
      result->status = "conflict";
    }
  json_node_set_boolean (was, FALSE);
  json_node_set_boolean (becomes, TRUE);
  engine_diff_add (diff, "_verwijderd", was, becomes);
  existing->deleted = TRUE;
  if (!engine_record_save (txn, existing, "verwijderen", diff, error))
    return FALSE;
  result->version = existing->version;
  return TRUE;
}

gboolean
engine_apply_restore (EngineTxn *txn, EngineMutation *m, EngineRecord *existing,
                      EngineResult *result, GError **error)
{
  g_autoptr(JsonObject) diff = json_object_new ();
  g_autoptr(JsonNode) was = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonNode) becomes = json_node_new (JSON_NODE_VALUE);

  if (m->entity->kind != KOERS_SYNC_ENTITY_MERGEABLE)
    return engine_reject (result, KOERS_SYNC_REFUSAL_ACTION, NULL,
                          g_strdup ("dit soort record kan niet worden hersteld"));
  if (existing == NULL)
    return engine_reject (result, KOERS_SYNC_REFUSAL_NOT_FOUND, NULL,
                          g_strdup ("het record bestaat niet of valt buiten uw bereik"));
  if (!existing->deleted)
    {
      result->version = existing->version;
      return TRUE;
    }
  json_node_set_boolean (was, TRUE);
  json_node_set_boolean (becomes, FALSE);
  engine_diff_add (diff, "_verwijderd", was, becomes);
  existing->deleted = FALSE;
  if (!engine_record_save (txn, existing, "herstellen", diff, error))
    return FALSE;
  result->version = existing->version;
  return TRUE;
}

gboolean
engine_apply (EngineTxn *txn, EngineMutation *m, EngineResult *result, GError **error)
{
  g_autoptr(EngineRecord) existing = NULL;

  txn->mutation_id = m->mutation_id;
  if (m->entity == NULL)
    return engine_reject (result, KOERS_SYNC_REFUSAL_MALFORMED, "entiteit",
                          g_strdup ("is geen bekende entiteit"));
  if (m->action < 0)
    return engine_reject (result, KOERS_SYNC_REFUSAL_MALFORMED, "actie",
                          g_strdup ("is geen bekende actie"));
  if (!koers_uuid_is_valid (m->record_id))
    return engine_reject (result, KOERS_SYNC_REFUSAL_MALFORMED, "recordId",
                          g_strdup ("moet een UUID in kleine letters zijn"));
  if (!engine_txn_record_load (txn, m->entity->name, m->record_id, &existing, error))
    return FALSE;
  if (existing != NULL && !engine_record_in_scope (txn->caller, existing))
    return engine_reject (result, KOERS_SYNC_REFUSAL_NOT_FOUND, NULL,
                          g_strdup ("het record bestaat niet of valt buiten uw bereik"));
  /* Erasure always wins: nothing applies to an erased record any more. */
  if (existing != NULL && existing->erased)
    {
      if (m->action == ENGINE_ACTION_ERASE)
        {
          result->version = existing->version;
          return TRUE;
        }
      return engine_reject (result, KOERS_SYNC_REFUSAL_ERASED, NULL,
                            g_strdup ("het record is gewist"));
    }

  switch ((EngineAction) m->action)
    {
    case ENGINE_ACTION_CREATE:
      return apply_create (txn, m, existing, result, error);
    case ENGINE_ACTION_CHANGE:
      return engine_apply_change (txn, m, existing, result, error);
    case ENGINE_ACTION_DELETE:
      return engine_apply_delete (txn, m, existing, result, error);
    case ENGINE_ACTION_RESTORE:
      return engine_apply_restore (txn, m, existing, result, error);
    case ENGINE_ACTION_RESOLVE:
      return engine_apply_resolve (txn, m, existing, result, error);
    case ENGINE_ACTION_ERASE:
      return engine_apply_erase (txn, m, existing, result, error);
    case ENGINE_N_ACTIONS:
    default:
      g_assert_not_reached ();
    }
}

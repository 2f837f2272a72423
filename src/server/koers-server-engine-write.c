/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Entity resources (POST/PUT/DELETE /v1/<entity>...): each write becomes one mutation and runs
 * through engine_apply, the same validation, merge and history code as /v1/mutaties. If-Match
 * makes "was" the server's current value, so a write never merges: it applies or is refused.
 */
#include "config.h"

#include "server/koers-server-engine-private.h"

#include "core/koers-uuid.h"

#include "server/koers-server-engine-ops.h"

#define NOT_FOUND_MESSAGE "Het record bestaat niet of valt buiten uw bereik"

static JsonNode *
fail (GError **error, KoersServerEngineError code, const char *message)
{
  g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR, (int) code, message);
  return NULL;
}

/* A refusal decided before engine_apply, with the code a mutation would get for it. */
static JsonNode *
refuse (GError **error, KoersServerRefusal *out_refusal, KoersServerEngineError code,
        KoersSyncRefusal refusal, const char *message)
{
  if (out_refusal != NULL)
    out_refusal->code = refusal;
  return fail (error, code, message);
}

void
koers_server_refusal_clear (KoersServerRefusal *refusal)
{
  g_return_if_fail (refusal != NULL);

  refusal->code = KOERS_SYNC_REFUSAL_UNKNOWN;
  g_clear_pointer (&refusal->field, g_free);
}

static KoersServerEngineError
refusal_code (EngineReject reject)
{
  switch (reject)
    {
    case ENGINE_REJECT_FORBIDDEN:
      return KOERS_SERVER_ENGINE_ERROR_FORBIDDEN;
    case ENGINE_REJECT_NOT_FOUND:
      return KOERS_SERVER_ENGINE_ERROR_NOT_FOUND;
    case ENGINE_REJECT_CONFLICT:
      return KOERS_SERVER_ENGINE_ERROR_CONFLICT;
    case ENGINE_REJECT_INVALID:
    case ENGINE_REJECT_NONE:
    default:
      return KOERS_SERVER_ENGINE_ERROR_INVALID;
    }
}

/* {veld: {"was": current, "wordt": new}} for the members a write touches. A replace sets
 * every client-written field (omitted = null) except the fixed ones, which keep their value. */
static JsonObject *
build_changes (const KoersSyncEntity *entity, EngineRecord *existing, JsonObject *fields,
               KoersServerWriteKind kind)
{
  JsonObject *changes = json_object_new ();
  g_autoptr(GList) names = fields != NULL ? json_object_get_members (fields) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    engine_diff_add (changes, l->data,
                     existing != NULL ? json_object_get_member (existing->fields, l->data) : NULL,
                     json_object_get_member (fields, l->data));
  if (kind == KOERS_SERVER_WRITE_REPLACE)
    for (guint i = 0; i < entity->n_fields; i++)
      {
        const KoersSyncField *field = &entity->fields[i];

        if (field->merge == KOERS_SYNC_MERGE_FIXED || field->merge == KOERS_SYNC_MERGE_SERVER
            || json_object_has_member (changes, field->name))
          continue;
        engine_diff_add (changes, field->name,
                         json_object_get_member (existing->fields, field->name), NULL);
      }
  return changes;
}

static gboolean
load_target (KoersServerEngine *engine, const KoersServerCaller *caller, const char *entity,
             const char *id, EngineRecord **out_record, GError **error)
{
  GError *db_error = NULL;

  if (!engine_record_load (engine->db, caller->organisation_id, entity, id, out_record,
                           &db_error))
    {
      engine_propagate_db_error (error, db_error);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
write_record (KoersServerEngine *engine, const KoersServerCaller *caller,
              const char *entity_name, const char *id, KoersServerWriteKind kind,
              JsonObject *fields, gint64 if_match, const char *audit_action,
              const char *purpose, KoersServerRefusal *out_refusal, GError **error)
{
  const KoersSyncEntity *entity;
  g_autoptr(EngineRecord) existing = NULL;
  g_autoptr(EngineRecord) after = NULL;
  g_autoptr(EngineMutation) m = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *now = NULL;
  GError *db_error = NULL;
  EngineTxn txn = { 0 };
  EngineResult result;
  gboolean ok;

  if (caller->role == KOERS_SERVER_ROLE_PROGRAMMAMANAGER)
    return fail (error, KOERS_SERVER_ENGINE_ERROR_FORBIDDEN,
                 "Een programmamanager wijzigt geen deelnemergegevens");
  entity = koers_sync_entity_lookup (entity_name);
  if (entity == NULL)
    return refuse (error, out_refusal, KOERS_SERVER_ENGINE_ERROR_NOT_FOUND,
                   KOERS_SYNC_REFUSAL_NOT_FOUND, NOT_FOUND_MESSAGE);
  if (kind == KOERS_SERVER_WRITE_CREATE && id == NULL)
    id = new_id = koers_uuid_new_time_ordered ();
  /* A malformed id or body is the request's form, like unreadable JSON: no refusal code. */
  if (kind == KOERS_SERVER_WRITE_CREATE && !koers_uuid_is_valid (id))
    return fail (error, KOERS_SERVER_ENGINE_ERROR_INVALID,
                 "id: moet een UUID in kleine letters zijn");
  if (!koers_uuid_is_valid (id))
    return refuse (error, out_refusal, KOERS_SERVER_ENGINE_ERROR_NOT_FOUND,
                   KOERS_SYNC_REFUSAL_NOT_FOUND, NOT_FOUND_MESSAGE);
  if (kind != KOERS_SERVER_WRITE_DELETE && fields == NULL)
    return fail (error, KOERS_SERVER_ENGINE_ERROR_INVALID, "gegevens: ontbreken");

  now = engine_now_iso (engine);
  txn.engine = engine;
  txn.db = engine->db;
  txn.caller = caller;
  txn.org = caller->organisation_id;
  txn.now = now;
  txn.device_id = caller->device_id;

  if (!koers_server_db_begin (engine->db, caller->organisation_id, &db_error))
    return engine_propagate_db_error (error, db_error), NULL;
  if (!load_target (engine, caller, entity->name, id, &existing, error))
    goto rollback;
  if (kind == KOERS_SERVER_WRITE_CREATE)
    {
      if (existing != NULL)
        {
          refuse (error, out_refusal, KOERS_SERVER_ENGINE_ERROR_CONFLICT,
                  KOERS_SYNC_REFUSAL_ID_TAKEN, "id: er bestaat al een record met dit id");
          goto rollback;
        }
    }
  else
    {
      /* nietGevonden whatever the reason (not gewist for an erased record): the code says no
       * more than the 404 itself, which never confirms that a record exists. */
      if (existing == NULL || existing->deleted || existing->erased
          || !engine_record_in_scope (caller, existing))
        {
          refuse (error, out_refusal, KOERS_SERVER_ENGINE_ERROR_NOT_FOUND,
                  KOERS_SYNC_REFUSAL_NOT_FOUND, NOT_FOUND_MESSAGE);
          goto rollback;
        }
      if (existing->version != if_match)
        {
          fail (error, KOERS_SERVER_ENGINE_ERROR_PRECONDITION,
                "If-Match: het record is intussen gewijzigd; haal het opnieuw op");
          goto rollback;
        }
    }

  m = g_new0 (EngineMutation, 1);
  m->mutation_id = koers_uuid_new_time_ordered ();
  m->entity_name = g_strdup (entity->name);
  m->entity = entity;
  m->record_id = g_strdup (id);
  m->action = kind == KOERS_SERVER_WRITE_CREATE ? ENGINE_ACTION_CREATE
              : kind == KOERS_SERVER_WRITE_DELETE ? ENGINE_ACTION_DELETE
              : ENGINE_ACTION_CHANGE;
  m->fields = kind == KOERS_SERVER_WRITE_DELETE ? json_object_new ()
              : build_changes (entity, existing, fields, kind);

  engine_result_init (&result);
  ok = engine_apply (&txn, m, &result, &db_error);
  if (ok && result.reject != ENGINE_REJECT_NONE)
    {
      if (out_refusal != NULL)
        {
          out_refusal->code = result.refusal;
          out_refusal->field = g_strdup (result.reject_field);
        }
      fail (error, refusal_code (result.reject), result.reason);
    }
  else if (!ok)
    engine_propagate_db_error (error, g_steal_pointer (&db_error));
  ok = ok && result.reject == ENGINE_REJECT_NONE;
  engine_result_clear (&result);
  if (!ok)
    goto rollback;
  /* The audit row commits with the write or not at all: a write is never answered 503
   * after it committed, and never commits unaudited. Deferred, it goes with the commit, which
   * fails (503) when it cannot be written. */
  if (!engine_record_load (engine->db, caller->organisation_id, entity->name, id, &after,
                           &db_error)
      || (audit_action != NULL
          && !engine_audit_insert_deferred (engine, caller, audit_action, entity->name, id,
                                            after != NULL ? after->participant_id : NULL,
                                            purpose, TRUE, &db_error))
      || !koers_server_db_commit (engine->db, &db_error))
    {
      engine_propagate_db_error (error, db_error);
      goto rollback;
    }
  return engine_record_to_wire (after);

rollback:
  koers_server_db_rollback (engine->db);
  return NULL;
}

/**
 * koers_server_engine_write:
 *
 * See koers-server-engine.h. @id (nullable) for CREATE: a new id is made. The DELETE answer
 * is the tombstone.
 *
 * Returns: (transfer full) (nullable): the record on the wire after the write.
 */
JsonNode *
koers_server_engine_write (KoersServerEngine *engine, const KoersServerCaller *caller,
                           const char *entity_name, const char *id, KoersServerWriteKind kind,
                           JsonObject *fields, gint64 if_match, KoersServerRefusal *out_refusal,
                           GError **error)
{
  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (caller != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_refusal != NULL)
    koers_server_refusal_clear (out_refusal);
  return write_record (engine, caller, entity_name, id, kind, fields, if_match, NULL, NULL,
                       out_refusal, error);
}

/**
 * koers_server_engine_write_audited:
 *
 * See koers-server-engine.h.
 *
 * Returns: (transfer full) (nullable): the record on the wire after the write.
 */
JsonNode *
koers_server_engine_write_audited (KoersServerEngine *engine, const KoersServerCaller *caller,
                                   const char *entity_name, const char *id,
                                   KoersServerWriteKind kind, JsonObject *fields,
                                   gint64 if_match, const char *audit_action,
                                   const char *purpose, KoersServerRefusal *out_refusal,
                                   GError **error)
{
  JsonNode *record;

  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (caller != NULL, NULL);
  g_return_val_if_fail (audit_action != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_refusal != NULL)
    koers_server_refusal_clear (out_refusal);
  record = write_record (engine, caller, entity_name, id, kind, fields, if_match, audit_action,
                         purpose, out_refusal, error);
  if (record == NULL)
    {
      engine_audit_failure (engine, caller, audit_action, entity_name, id, purpose, error);
      /* Without its "mislukt" row the refusal is answered 503, which refuses nothing. */
      if (out_refusal != NULL && error != NULL && *error != NULL
          && ((*error)->domain != KOERS_SERVER_ENGINE_ERROR
              || (*error)->code == KOERS_SERVER_ENGINE_ERROR_UNAVAILABLE))
        koers_server_refusal_clear (out_refusal);
    }
  return record;
}

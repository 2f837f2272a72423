/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * POST /v1/mutaties: a device's batch. The whole request is checked before anything is
 * written (koers-server-engine-push-parse.c); then device numbers are checked against the
 * device's last processed number inside the organisation's write transaction, and every
 * mutation runs through engine_apply.
 */
#include "config.h"

#include "server/koers-server-engine-private.h"

#include <stdlib.h>

/* A named crash point for the crash-safety tests (like the client's named crash points,
 * issue 5): with KOERS_SERVER_CRASH_POINT=push-mid-batch the server aborts after half of a
 * batch is written and before the commit, so a test can show that a server killed mid-batch
 * leaves nothing of it. Read once, so the hot path costs a load and a compare. */
static gboolean
crash_mid_batch (void)
{
  static gsize once = 0;
  static gboolean wanted = FALSE;

  if (g_once_init_enter (&once))
    {
      wanted = g_strcmp0 (g_getenv ("KOERS_SERVER_CRASH_POINT"), "push-mid-batch") == 0;
      g_once_init_leave (&once, 1);
    }
  return wanted;
}

typedef enum { PLAN_NEW, PLAN_REPLAY, PLAN_REPEAT } PlanKind;

typedef struct {
  PlanKind  kind;
  char     *stored;     /* PLAN_REPLAY: the stored result */
  guint     earlier;    /* PLAN_REPEAT: index of the same mutation earlier in this batch */
} Plan;

static void
plan_clear (gpointer data)
{
  g_free (((Plan *) data)->stored);
}

static gboolean
sequence_gap (gint64 expected, gint64 *out_expected, GError **error)
{
  if (out_expected != NULL)
    *out_expected = expected;
  g_set_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_SEQUENCE_GAP,
               "volgnummer: het apparaat verwacht volgnummer %" G_GINT64_FORMAT, expected);
  return FALSE;
}

/* What plan_batch asks of processed_mutations, for every mutation before it decides on any:
 * for a number the device used before, what was processed under it; for a newer number,
 * whether the mutation id was processed already. Nothing is written before the plan, so
 * asking up front is asking the same; PostgreSQL answers each kind for the whole batch in one
 * round trip (koers_server_db_query_each) instead of one per mutation. @out_rows gets the rows
 * for each mutation (transfer full). */
static gboolean
look_up_processed (EngineTxn *txn, GPtrArray *mutations, gint64 last, KoersSqlRows **out_rows,
                   GError **error)
{
  static const char * const sql[] = {
    "SELECT mutation_id, result FROM processed_mutations "
    "WHERE device_id = $1 AND device_sequence = $2",
    "SELECT 1 FROM processed_mutations WHERE device_id = $1 AND mutation_id = $2",
  };

  for (guint kind = 0; kind < G_N_ELEMENTS (sql); kind++)
    {
      g_autofree KoersSqlValue *params = g_new0 (KoersSqlValue, 2 * mutations->len);
      g_autofree guint *which = g_new0 (guint, mutations->len);
      g_autofree KoersSqlRows **rows = g_new0 (KoersSqlRows *, mutations->len);
      guint n = 0;

      for (guint i = 0; i < mutations->len; i++)
        {
          EngineMutation *m = g_ptr_array_index (mutations, i);
          gboolean used_before = m->device_sequence <= last;

          if (used_before != (kind == 0))
            continue;
          params[2 * n] = KOERS_SQL_TEXT_VALUE (txn->device_id);
          params[2 * n + 1] = used_before ? KOERS_SQL_INT_VALUE (m->device_sequence)
                                          : KOERS_SQL_TEXT_VALUE (m->mutation_id);
          which[n++] = i;
        }
      if (!koers_server_db_query_each (txn->db, sql[kind], params, 2, n, rows, error))
        return FALSE;
      for (guint k = 0; k < n; k++)
        out_rows[which[k]] = rows[k];
    }
  return TRUE;
}

static void
free_rows (KoersSqlRows **rows, guint n)
{
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&rows[i], koers_sql_rows_free);
  g_free (rows);
}

/* Decides for each mutation: new, a replay of a processed one, or a repeat within the
 * batch, from what look_up_processed found (@looked_up: rows per mutation). Any gap or reuse
 * stops everything. */
static gboolean
plan_from_rows (GPtrArray *mutations, gint64 last, KoersSqlRows **looked_up, GArray *plans,
                gint64 *out_expected, GError **error)
{
  gint64 next = last + 1;

  for (guint i = 0; i < mutations->len; i++)
    {
      EngineMutation *m = g_ptr_array_index (mutations, i);
      KoersSqlRows *rows = looked_up[i];
      Plan plan = { PLAN_NEW, NULL, 0 };

      if (m->device_sequence <= last)
        {
          if (koers_sql_rows_get_n_rows (rows) == 0
              || g_strcmp0 (koers_sql_rows_get_text (rows, 0, 0), m->mutation_id) != 0)
            return sequence_gap (last + 1, out_expected, error);
          plan.kind = PLAN_REPLAY;
          plan.stored = g_strdup (koers_sql_rows_get_text (rows, 0, 1));
        }
      else if (m->device_sequence < next)
        {
          guint j;

          for (j = 0; j < i; j++)
            if (((EngineMutation *) g_ptr_array_index (mutations, j))->device_sequence
                == m->device_sequence)
              break;
          if (j == i || !g_str_equal (((EngineMutation *) g_ptr_array_index (mutations, j))
                                      ->mutation_id, m->mutation_id))
            return sequence_gap (last + 1, out_expected, error);
          plan.kind = PLAN_REPEAT;
          plan.earlier = j;
        }
      else if (m->device_sequence == next)
        {
          for (guint j = 0; j < i; j++)
            if (g_str_equal (((EngineMutation *) g_ptr_array_index (mutations, j))->mutation_id,
                             m->mutation_id))
              return sequence_gap (last + 1, out_expected, error);
          if (koers_sql_rows_get_n_rows (rows) > 0)
            return sequence_gap (last + 1, out_expected, error);
          next++;
        }
      else
        return sequence_gap (last + 1, out_expected, error);
      g_array_append_val (plans, plan);
    }
  return TRUE;
}

static gboolean
plan_batch (EngineTxn *txn, GPtrArray *mutations, gint64 last, GArray *plans,
            gint64 *out_expected, GError **error)
{
  KoersSqlRows **looked_up = g_new0 (KoersSqlRows *, MAX (mutations->len, 1));
  gboolean ok;

  ok = look_up_processed (txn, mutations, last, looked_up, error)
       && plan_from_rows (mutations, last, looked_up, plans, out_expected, error);
  free_rows (looked_up, mutations->len);
  return ok;
}

static gboolean
store_processed (EngineTxn *txn, EngineMutation *m, JsonNode *result, GError **error)
{
  g_autofree char *text = engine_json_to_string (result);
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (txn->org), KOERS_SQL_TEXT_VALUE (txn->device_id),
    KOERS_SQL_INT_VALUE (m->device_sequence), KOERS_SQL_TEXT_VALUE (m->mutation_id),
    KOERS_SQL_TEXT_VALUE (text), KOERS_SQL_TEXT_VALUE (txn->now),
  };

  return koers_server_db_exec_deferred (txn->db,
                                        "INSERT INTO processed_mutations (organisation_id, "
                                        "device_id, device_sequence, mutation_id, result, "
                                        "processed_at) VALUES ($1, $2, $3, $4, $5, $6)",
                                        params, G_N_ELEMENTS (params), NULL, error);
}

/* One audit row per new mutation, in the batch's transaction: who changed (or tried to
 * change) which record of which participant. */
static gboolean
audit_mutation (EngineTxn *txn, EngineMutation *m, EngineResult *result, GError **error)
{
  const char *action = "synchroniseren";

  if (!txn->audit)
    return TRUE;
  if (m->action >= 0 && m->action != ENGINE_ACTION_RESOLVE)
    action = engine_action_name ((EngineAction) m->action);
  else if (m->action == ENGINE_ACTION_RESOLVE)
    action = "wijzigen";
  return engine_audit_insert_deferred (txn->engine, txn->caller, action,
                                       m->entity != NULL ? m->entity->name : NULL,
                                       koers_uuid_is_valid (m->record_id) ? m->record_id : NULL,
                                       NULL, txn->audit_purpose,
                                       result->reject == ENGINE_REJECT_NONE, error);
}

/* A real copy: json_node_copy() would share the object with the first answer. */
static JsonNode *
mark_repeated (JsonNode *result)
{
  g_autofree char *text = engine_json_to_string (result);
  JsonNode *copy = engine_json_parse (text);

  if (JSON_NODE_HOLDS_OBJECT (copy))
    json_object_set_boolean_member (json_node_get_object (copy), "herhaald", TRUE);
  return copy;
}

/* Reads the records the new mutations are about, in one round trip on PostgreSQL
 * (koers_server_db_query_each), into txn->read_ahead: otherwise each mutation would wait for
 * its own record. A record that an earlier mutation of the batch writes is read again
 * (engine_record_save drops it). */
static gboolean
read_ahead (EngineTxn *txn, GPtrArray *mutations, GArray *plans, GError **error)
{
  g_autofree KoersSqlValue *params = g_new0 (KoersSqlValue, 3 * mutations->len);
  g_autofree KoersSqlRows **rows = g_new0 (KoersSqlRows *, MAX (mutations->len, 1));
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);

  txn->read_ahead = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) koers_sql_rows_free);
  for (guint i = 0; i < mutations->len; i++)
    {
      EngineMutation *m = g_ptr_array_index (mutations, i);
      char *key;
      guint n = keys->len;

      if (g_array_index (plans, Plan, i).kind != PLAN_NEW || m->entity == NULL
          || m->action < 0 || !koers_uuid_is_valid (m->record_id))
        continue;
      key = engine_record_key (m->entity->name, m->record_id);
      if (g_ptr_array_find_with_equal_func (keys, key, g_str_equal, NULL))
        {
          g_free (key);
          continue;
        }
      params[3 * n] = KOERS_SQL_TEXT_VALUE (txn->org);
      params[3 * n + 1] = KOERS_SQL_TEXT_VALUE (m->entity->name);
      params[3 * n + 2] = KOERS_SQL_TEXT_VALUE (m->record_id);
      g_ptr_array_add (keys, key);
    }
  if (!koers_server_db_query_each (txn->db,
                                   "SELECT " ENGINE_RECORD_COLUMNS " FROM records "
                                   "WHERE organisation_id = $1 AND entity = $2 AND id = $3",
                                   params, 3, keys->len, rows, error))
    return FALSE;
  for (guint k = 0; k < keys->len; k++)
    g_hash_table_insert (txn->read_ahead, g_strdup (g_ptr_array_index (keys, k)), rows[k]);
  return TRUE;
}

static gboolean
run_batch (EngineTxn *txn, GPtrArray *mutations, gint64 *io_last, JsonArray *results,
           gboolean *io_erased, gint64 *out_expected, GError **error)
{
  g_autoptr(GArray) plans = g_array_new (FALSE, TRUE, sizeof (Plan));
  gint64 last = *io_last;

  g_array_set_clear_func (plans, plan_clear);
  if (!plan_batch (txn, mutations, last, plans, out_expected, error)
      || !read_ahead (txn, mutations, plans, error))
    return FALSE;
  for (guint i = 0; i < mutations->len; i++)
    {
      EngineMutation *m = g_ptr_array_index (mutations, i);
      Plan *plan = &g_array_index (plans, Plan, i);
      g_autoptr(JsonNode) stored = NULL;
      EngineResult result;
      gint64 sequence = txn->sequence;
      gboolean ok;

      switch (plan->kind)
        {
        case PLAN_REPLAY:
          stored = engine_json_parse (plan->stored);
          if (stored != NULL && JSON_NODE_HOLDS_OBJECT (stored))
            json_object_set_boolean_member (json_node_get_object (stored), "herhaald", TRUE);
          json_array_add_element (results, g_steal_pointer (&stored));
          continue;
        case PLAN_REPEAT:
          json_array_add_element (results,
                                  mark_repeated (json_array_get_element (results, plan->earlier)));
          continue;
        case PLAN_NEW:
        default:
          break;
        }
      engine_result_init (&result);
      /* An afgewezen mutation leaves nothing behind but its processed row: whatever it wrote
       * before it was refused (a restore before a refused change) goes back to the savepoint.
       * On PostgreSQL only a savepoint lets the transaction go on after that. These
       * statements, like the mutation's writes and its audit and processed rows, are
       * deferred: on PostgreSQL they go with the mutation's next query or the next
       * mutation's first, and any error among them fails the batch there, as it did here. */
      ok = koers_server_db_exec_deferred (txn->db, "SAVEPOINT koers_mutation", NULL, 0, NULL,
                                          error)
           && engine_apply (txn, m, &result, error);
      if (ok && result.reject != ENGINE_REJECT_NONE)
        {
          ok = koers_server_db_exec_deferred (txn->db, "ROLLBACK TO SAVEPOINT koers_mutation",
                                              NULL, 0, NULL, error);
          /* The volgnummers the refused mutation took are given back with its rows. */
          txn->sequence = sequence;
        }
      if (ok)
        ok = koers_server_db_exec_deferred (txn->db, "RELEASE SAVEPOINT koers_mutation", NULL,
                                            0, NULL, error);
      if (ok && result.reject == ENGINE_REJECT_NONE && m->action == ENGINE_ACTION_ERASE)
        *io_erased = TRUE;
      if (ok)
        ok = audit_mutation (txn, m, &result, error);
      if (ok)
        {
          stored = engine_result_to_json (m, &result);
          ok = store_processed (txn, m, stored, error);
        }
      engine_result_clear (&result);
      if (!ok)
        return FALSE;
      json_array_add_element (results, g_steal_pointer (&stored));
      last = m->device_sequence;
      if (i + 1 == mutations->len / 2 && crash_mid_batch ())
        abort ();
    }
  if (last != *io_last)
    {
      KoersSqlValue params[] = {
        KOERS_SQL_INT_VALUE (last), KOERS_SQL_TEXT_VALUE (txn->now),
        KOERS_SQL_TEXT_VALUE (txn->device_id),
      };

      if (!koers_server_db_exec_deferred (txn->db,
                                          "UPDATE devices SET last_sequence = $1, "
                                          "last_seen_at = $2 WHERE id = $3", params, 3, NULL,
                                          error))
        return FALSE;
    }
  *io_last = last;
  return TRUE;
}

/* The device must be the caller's own and not revoked. */
static gboolean
load_device (EngineTxn *txn, gint64 *out_last, gboolean *out_ok, GError **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (txn->device_id), KOERS_SQL_TEXT_VALUE (txn->org),
    KOERS_SQL_TEXT_VALUE (txn->caller->user_id),
  };

  rows = koers_server_db_query (txn->db,
                                "SELECT last_sequence FROM devices WHERE id = $1 "
                                "AND organisation_id = $2 AND user_id = $3 "
                                "AND revoked_at IS NULL", params, 3, error);
  if (rows == NULL)
    return FALSE;
  *out_ok = koers_sql_rows_get_n_rows (rows) == 1;
  *out_last = *out_ok ? koers_sql_rows_get_int (rows, 0, 0) : 0;
  return TRUE;
}

/* After a committed erasure on SQLite: the erased text must not linger in the write-ahead
 * log (the freed pages are zeroed by secure_delete). Outside any transaction; a checkpoint
 * that cannot finish now (a reader) is no error: the next one truncates. */
static void
checkpoint_after_erasure (KoersServerEngine *engine)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;

  if (koers_server_db_get_backend (engine->db) != KOERS_SERVER_DB_SQLITE)
    return;
  rows = koers_server_db_query (engine->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, 0, &error);
  if (rows == NULL)
    g_message ("koers-server: checkpoint after erasure failed: %s", error->message);
}

static JsonNode *
push_batch (KoersServerEngine *engine, const KoersServerCaller *caller, JsonNode *request,
            const char *audit_action, const char *purpose, gint64 *out_expected,
            GError **error)
{
  gboolean erased = FALSE;
  g_autoptr(GPtrArray) mutations = NULL;
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *now = NULL;
  GError *db_error = NULL;
  EngineTxn txn = { 0 };
  gint64 last = 0;
  gboolean device_ok = FALSE;
  gboolean ok;
  JsonNode *root;

  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (caller != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_expected != NULL)
    *out_expected = 0;
  if (caller->role == KOERS_SERVER_ROLE_PROGRAMMAMANAGER)
    {
      g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_FORBIDDEN,
                           "Een programmamanager wijzigt geen deelnemergegevens");
      return NULL;
    }
  if (caller->device_id == NULL)
    {
      g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_FORBIDDEN,
                           "Mutaties komen alleen van een geregistreerd apparaat");
      return NULL;
    }
  mutations = engine_push_parse_request (request, error);
  if (mutations == NULL)
    return NULL;
  txn.audit = audit_action != NULL;
  txn.audit_purpose = purpose;

  now = engine_now_iso (engine);
  txn.engine = engine;
  txn.db = engine->db;
  txn.caller = caller;
  txn.org = caller->organisation_id;
  txn.now = now;
  txn.device_id = caller->device_id;
  results = json_array_new ();

  if (!koers_server_db_begin (engine->db, caller->organisation_id, &db_error))
    {
      engine_propagate_db_error (error, db_error);
      return NULL;
    }
  if (!load_device (&txn, &last, &device_ok, &db_error))
    goto db_failed;
  if (!device_ok)
    {
      koers_server_db_rollback (engine->db);
      g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_FORBIDDEN,
                           "Dit apparaat is onbekend of ingetrokken");
      return NULL;
    }
  ok = run_batch (&txn, mutations, &last, results, &erased, out_expected, &db_error);
  g_clear_pointer (&txn.read_ahead, g_hash_table_unref);
  if (!ok)
    {
      if (db_error != NULL && db_error->domain == KOERS_SERVER_ENGINE_ERROR)
        {
          koers_server_db_rollback (engine->db);
          g_propagate_error (error, db_error);
          return NULL;
        }
      goto db_failed;
    }
  /* The batch's audit row and whatever is still deferred go with the commit. */
  if ((audit_action != NULL
       && !engine_audit_insert_deferred (engine, caller, audit_action, NULL, NULL, NULL,
                                         purpose, TRUE, &db_error))
      || !koers_server_db_commit (engine->db, &db_error))
    goto db_failed;
  if (erased)
    checkpoint_after_erasure (engine);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "laatsteVolgnummer");
  json_builder_add_int_value (builder, last);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_object_set_array_member (json_node_get_object (root), "resultaten",
                                g_steal_pointer (&results));
  return root;

db_failed:
  koers_server_db_rollback (engine->db);
  engine_propagate_db_error (error, db_error);
  return NULL;
}

/**
 * koers_server_engine_push_batch:
 *
 * See koers-server-engine.h. Returns: (transfer full) (nullable): the 200 body.
 */
JsonNode *
koers_server_engine_push_batch (KoersServerEngine *engine, const KoersServerCaller *caller,
                                JsonNode *request, gint64 *out_expected, GError **error)
{
  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (caller != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return push_batch (engine, caller, request, NULL, NULL, out_expected, error);
}

/**
 * koers_server_engine_push_batch_audited:
 *
 * See koers-server-engine.h. Returns: (transfer full) (nullable): the 200 body.
 */
JsonNode *
koers_server_engine_push_batch_audited (KoersServerEngine *engine,
                                        const KoersServerCaller *caller, JsonNode *request,
                                        const char *audit_action, const char *purpose,
                                        gint64 *out_expected, GError **error)
{
  JsonNode *result;

  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (caller != NULL, NULL);
  g_return_val_if_fail (audit_action != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  result = push_batch (engine, caller, request, audit_action, purpose, out_expected, error);
  if (result == NULL)
    engine_audit_failure (engine, caller, audit_action, NULL, NULL, purpose, error);
  return result;
}

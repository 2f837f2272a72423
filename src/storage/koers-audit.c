/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-audit.h"

#include "storage/koers-repository-private.h"

#include <string.h>

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define ORIGIN_KEY "koers-audit-origin"

static const char *const action_ids[] = {
  "open", "search", "create", "change", "delete", "restore", "export",
};
G_STATIC_ASSERT (G_N_ELEMENTS (action_ids) == KOERS_N_AUDIT_ACTIONS);

static const char *const result_ids[] = { "success", "failure" };

void
koers_audit_event_free (KoersAuditEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->id);
  g_free (event->occurred_at);
  g_free (event->actor);
  g_free (event->object_type);
  g_free (event->object_id);
  g_free (event->purpose);
  g_free (event->origin);
  g_free (event);
}

const char *
koers_audit_action_to_id (KoersAuditAction action)
{
  g_return_val_if_fail ((guint) action < KOERS_N_AUDIT_ACTIONS, "");

  return action_ids[action];
}

static gboolean
action_from_id (const char *id, KoersAuditAction *out_action)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_ids); i++)
    if (g_strcmp0 (id, action_ids[i]) == 0)
      {
        *out_action = i;
        return TRUE;
      }
  return FALSE;
}

void
koers_audit_set_origin (KoersDatabase *db, const char *origin)
{
  g_return_if_fail (KOERS_IS_DATABASE (db));
  g_return_if_fail (origin != NULL);

  g_object_set_data_full (G_OBJECT (db), ORIGIN_KEY, g_strdup (origin), g_free);
}

const char *
koers_audit_get_origin (KoersDatabase *db)
{
  const char *origin;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);

  origin = g_object_get_data (G_OBJECT (db), ORIGIN_KEY);
  return origin != NULL ? origin : KOERS_AUDIT_ORIGIN_DESKTOP;
}

/* Each field is written with its length, and NULL differently from "", so no two different
 * events can hash the same input. */
static void
hash_field (GChecksum *checksum, const char *value)
{
  g_autofree char *prefix = NULL;

  if (value == NULL)
    {
      g_checksum_update (checksum, (const guchar *) "-;", 2);
      return;
    }
  prefix = g_strdup_printf ("%zu:", strlen (value));
  g_checksum_update (checksum, (const guchar *) prefix, -1);
  g_checksum_update (checksum, (const guchar *) value, -1);
  g_checksum_update (checksum, (const guchar *) ";", 1);
}

static char *
compute_hash (const char *prev_hash, const char *id, const char *occurred_at, const char *actor,
              const char *action, const char *object_type, const char *object_id,
              const char *purpose, const char *result, const char *origin)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  hash_field (checksum, prev_hash);
  hash_field (checksum, id);
  hash_field (checksum, occurred_at);
  hash_field (checksum, actor);
  hash_field (checksum, action);
  hash_field (checksum, object_type);
  hash_field (checksum, object_id);
  hash_field (checksum, purpose);
  hash_field (checksum, result);
  hash_field (checksum, origin);
  return g_strdup (g_checksum_get_string (checksum));
}

static gboolean
record_in_transaction (KoersDatabase *db, const char *actor, KoersAuditAction action,
                       const char *object_type, const char *object_id, const char *purpose,
                       KoersAuditResult result, GError **error)
{
  g_autofree char *id = koers_database_new_id (db);
  g_autofree char *now = koers_database_now (db);
  g_autofree char *prev_hash = NULL;
  g_autofree char *hash = NULL;
  const char *origin = koers_audit_get_origin (db);
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  stmt = koers_database_prepare (db, "SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1",
                                 error);
  if (stmt == NULL || !koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  prev_hash = g_strdup (has_row ? koers_column_text (stmt, 0) : GENESIS_HASH);
  sqlite3_reset (stmt);

  hash = compute_hash (prev_hash, id, now, actor, action_ids[action], object_type, object_id,
                       purpose, result_ids[result], origin);

  stmt = koers_database_prepare (db,
                                 "INSERT INTO audit_event (id, occurred_at, actor, action, "
                                 "object_type, object_id, purpose, result, origin, prev_hash, "
                                 "hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, id);
  koers_bind_text (stmt, 2, now);
  koers_bind_text (stmt, 3, actor);
  koers_bind_text (stmt, 4, action_ids[action]);
  koers_bind_text (stmt, 5, object_type);
  koers_bind_text (stmt, 6, object_id);
  koers_bind_text (stmt, 7, purpose);
  koers_bind_text (stmt, 8, result_ids[result]);
  koers_bind_text (stmt, 9, origin);
  koers_bind_text (stmt, 10, prev_hash);
  koers_bind_text (stmt, 11, hash);
  return koers_database_step (db, stmt, NULL, error);
}

gboolean
koers_audit_record (KoersDatabase *db, const char *actor, KoersAuditAction action,
                    const char *object_type, const char *object_id, const char *purpose,
                    KoersAuditResult result, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail ((guint) action < KOERS_N_AUDIT_ACTIONS, FALSE);
  g_return_val_if_fail (object_type != NULL, FALSE);
  g_return_val_if_fail (result == KOERS_AUDIT_RESULT_SUCCESS
                        || result == KOERS_AUDIT_RESULT_FAILURE, FALSE);

  /* The read of the last hash and the insert must not interleave with another connection's
   * event, or the chain would fork: the (IMMEDIATE) transaction holds the write lock. */
  if (!koers_database_begin (db, error))
    return FALSE;
  if (!record_in_transaction (db, actor, action, object_type, object_id, purpose, result, error))
    {
      koers_database_rollback (db);
      return FALSE;
    }
  return koers_database_commit (db, error);
}

gboolean
koers_audit_verify_chain (KoersDatabase *db, GError **error)
{
  g_autofree char *expected_prev = g_strdup (GENESIS_HASH);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *handle;
  int rc;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  /* Not the statement cache: the loop may run long and must not be reset by a nested prepare. */
  handle = koers_database_get_handle (db);
  rc = sqlite3_prepare_v2 (handle,
                           "SELECT seq, id, occurred_at, actor, action, object_type, object_id, "
                           "purpose, result, origin, prev_hash, hash FROM audit_event "
                           "ORDER BY seq", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  for (; rc == SQLITE_ROW; rc = sqlite3_step (stmt))
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *prev_hash = koers_column_text (stmt, 10);
      const char *hash = koers_column_text (stmt, 11);
      g_autofree char *computed = NULL;

      computed = compute_hash (prev_hash, koers_column_text (stmt, 1),
                               koers_column_text (stmt, 2), koers_column_text (stmt, 3),
                               koers_column_text (stmt, 4), koers_column_text (stmt, 5),
                               koers_column_text (stmt, 6), koers_column_text (stmt, 7),
                               koers_column_text (stmt, 8), koers_column_text (stmt, 9));
      if (g_strcmp0 (prev_hash, expected_prev) != 0 || g_strcmp0 (hash, computed) != 0)
        {
          g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT,
                       _("The audit trail was tampered with: event %lld does not match the chain"),
                       (long long) seq);
          sqlite3_finalize (stmt);
          return FALSE;
        }
      g_free (expected_prev);
      expected_prev = g_strdup (hash);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_SQL,
                   "audit chain: %s", sqlite3_errmsg (handle));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
koers_audit_list_for_object (KoersDatabase *db, const char *object_type, const char *object_id,
                             GError **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (
    (GDestroyNotify) koers_audit_event_free);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (object_type != NULL, NULL);

  stmt = koers_database_prepare (db,
                                 "SELECT seq, id, occurred_at, actor, action, object_type, "
                                 "object_id, purpose, result, origin FROM audit_event "
                                 "WHERE object_type = ?1 AND object_id IS ?2 ORDER BY seq",
                                 error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, object_type);
  koers_bind_text (stmt, 2, object_id);
  while (koers_database_step (db, stmt, &has_row, &local_error) && has_row)
    {
      KoersAuditEvent *event = g_new0 (KoersAuditEvent, 1);

      event->seq = koers_column_int64 (stmt, 0);
      event->id = g_strdup (koers_column_text (stmt, 1));
      event->occurred_at = g_strdup (koers_column_text (stmt, 2));
      event->actor = g_strdup (koers_column_text (stmt, 3));
      action_from_id (koers_column_text (stmt, 4), &event->action);
      event->object_type = g_strdup (koers_column_text (stmt, 5));
      event->object_id = g_strdup (koers_column_text (stmt, 6));
      event->purpose = g_strdup (koers_column_text (stmt, 7));
      event->result = g_strcmp0 (koers_column_text (stmt, 8), "success") == 0
                      ? KOERS_AUDIT_RESULT_SUCCESS : KOERS_AUDIT_RESULT_FAILURE;
      event->origin = g_strdup (koers_column_text (stmt, 9));
      g_ptr_array_add (events, event);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&events);
}

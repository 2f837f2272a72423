/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Undoing a participant's last status change (the page's "Undo" toast). Kept apart from
 * koers-participant-repository.c to keep that file under the house size limit. */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-participant-repository.h"

#include "core/koers-status.h"
#include "storage/koers-audit.h"
#include "storage/koers-participant-private.h"
#include "storage/koers-repository-private.h"

/* The newest live history row of a participant. Inserted rows are never reordered, so the
 * insertion order (rowid) breaks a tie between changes made within the same second; changed_on
 * is no guide because a coach may backdate a change. */
typedef struct {
  char       *id;
  char       *from_status;  /* NULL for the first row (the registration) */
  KoersStatus to_status;
} LastChange;

static void
last_change_clear (LastChange *change)
{
  g_clear_pointer (&change->id, g_free);
  g_clear_pointer (&change->from_status, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LastChange, last_change_clear)

static gboolean
load_last_change (KoersDatabase *db, const char *participant_id, gboolean *out_found,
                  LastChange *out_change, GError **error)
{
  sqlite3_stmt *stmt;

  stmt = koers_database_prepare (db, "SELECT id, from_status, to_status "
                                     "FROM participant_status_change "
                                     "WHERE participant_id = ?1 AND deleted = 0 "
                                     "ORDER BY changed_at DESC, rowid DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, participant_id);
  if (!koers_database_step (db, stmt, out_found, error))
    return FALSE;
  if (*out_found)
    {
      out_change->id = g_strdup (koers_column_text (stmt, 0));
      out_change->from_status = g_strdup (koers_column_text (stmt, 1));
      koers_status_from_id (koers_column_text (stmt, 2), &out_change->to_status);
      sqlite3_reset (stmt);
    }
  return TRUE;
}

/* Checks everything before anything is written; fills @change with the row to undo. */
static gboolean
check_undo (KoersDatabase *db, const char *participant_id, KoersStatus expected_current,
            LastChange *change, KoersStatus *out_previous, GError **error)
{
  KoersStatus current = 0;
  gboolean deleted = FALSE;
  gboolean found = FALSE;

  if (!koers_participant_load_status (db, participant_id, &current, &deleted, error))
    return FALSE;
  if (deleted)
    {
      koers_repository_set_invalid (error, "deleted",
                                    _("The participant was deleted; restore them first"));
      return FALSE;
    }
  if (current != expected_current)
    {
      koers_repository_set_invalid (error, "status",
                                    /* Translators: %s is a status, e.g. "Intake" */
                                    _("The status is no longer “%s”: someone changed it "
                                      "since, so this change cannot be undone"),
                                    koers_status_label (expected_current));
      return FALSE;
    }
  if (!load_last_change (db, participant_id, &found, change, error))
    return FALSE;
  if (!found || change->to_status != current)
    {
      koers_repository_set_invalid (error, "status",
                                    _("The status history does not end in the current status, "
                                      "so the last change cannot be undone"));
      return FALSE;
    }
  if (change->from_status == NULL || !koers_status_from_id (change->from_status, out_previous))
    {
      koers_repository_set_invalid (error, "status",
                                    _("This is the status the participant was registered with; "
                                      "there is no earlier status to go back to"));
      return FALSE;
    }
  return TRUE;
}

/**
 * koers_participant_repository_undo_status_change:
 * @db: the database
 * @participant_id: the participant
 * @expected_current: the status the caller saw after the change it wants to undo
 * @actor: who undoes it
 * @error: return location for a #GError
 *
 * Undoes the participant's most recent status change: tombstones its history row (the history
 * is never erased), sets the status back to where it came from and audits a CHANGE with
 * purpose "undo status change". Leaving a final status also resets the outcome to unknown,
 * since the outcome is recorded with the ending. Refused with KOERS_DATABASE_ERROR_INVALID,
 * nothing changed, when the status is no longer @expected_current, when the newest history row
 * does not lead to it, or when only the registration row is left.
 *
 * Returns: %TRUE when undone
 */
gboolean
koers_participant_repository_undo_status_change (KoersDatabase *db,
                                                 const char    *participant_id,
                                                 KoersStatus    expected_current,
                                                 const char    *actor,
                                                 GError       **error)
{
  g_auto(LastChange) change = { 0 };
  g_autofree char *now = NULL;
  KoersStatus previous = 0;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (participant_id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!check_undo (db, participant_id, expected_current, &change, &previous, error))
    return FALSE;

  now = koers_database_now (db);
  if (!koers_database_begin (db, error))
    return FALSE;

  /* Checked again inside the transaction: another connection may have written in between. */
  g_clear_pointer (&change.id, g_free);
  g_clear_pointer (&change.from_status, g_free);
  if (!check_undo (db, participant_id, expected_current, &change, &previous, error))
    goto failed;

  stmt = koers_database_prepare (db, "UPDATE participant_status_change SET deleted = 1, "
                                     "updated_at = ?2, updated_by = ?3 WHERE id = ?1", error);
  if (stmt == NULL)
    goto failed;
  koers_bind_text (stmt, 1, change.id);
  koers_bind_text (stmt, 2, now);
  koers_bind_text (stmt, 3, actor);
  if (!koers_database_step (db, stmt, NULL, error))
    goto failed;

  /* The outcome is recorded with the ending (the status dialog), so it goes with it. */
  stmt = koers_database_prepare (db, "UPDATE participant SET status = ?2, updated_at = ?3, "
                                     "updated_by = ?4, "
                                     "outcome = CASE WHEN ?5 THEN ?6 ELSE outcome END, "
                                     "outcome_date = CASE WHEN ?5 THEN NULL "
                                     "ELSE outcome_date END "
                                     "WHERE id = ?1", error);
  if (stmt == NULL)
    goto failed;
  koers_bind_text (stmt, 1, participant_id);
  koers_bind_text (stmt, 2, koers_status_to_id (previous));
  koers_bind_text (stmt, 3, now);
  koers_bind_text (stmt, 4, actor);
  koers_bind_bool (stmt, 5, koers_status_is_final (change.to_status));
  koers_bind_text (stmt, 6, koers_outcome_to_id (KOERS_OUTCOME_UNKNOWN));
  if (!koers_database_step (db, stmt, NULL, error))
    goto failed;

  if (!koers_audit_record (db, actor, KOERS_AUDIT_ACTION_CHANGE, "participant", participant_id,
                           "undo status change", KOERS_AUDIT_RESULT_SUCCESS, error)
      || !koers_database_commit (db, error))
    goto failed;
  return TRUE;

failed:
  koers_database_rollback (db);
  return FALSE;
}

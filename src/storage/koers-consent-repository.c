/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-consent-repository.h"

#include "storage/koers-repository-private.h"

#define CONSENT_COLUMNS KOERS_META_COLUMNS ", participant_id, scope, given_on, withdrawn_on"

KoersConsent *
koers_consent_new (void)
{
  return g_new0 (KoersConsent, 1);
}

void
koers_consent_free (KoersConsent *consent)
{
  if (consent == NULL)
    return;
  koers_record_meta_clear (&consent->meta);
  g_free (consent->participant_id);
  g_free (consent->given_on);
  g_free (consent->withdrawn_on);
  g_free (consent);
}

static gpointer
consent_from_row (sqlite3_stmt *stmt)
{
  KoersConsent *consent = koers_consent_new ();

  koers_repository_read_meta (stmt, 0, &consent->meta);
  consent->participant_id = g_strdup (koers_column_text (stmt, 8));
  koers_consent_scope_from_id (koers_column_text (stmt, 9), &consent->scope);
  consent->given_on = g_strdup (koers_column_text (stmt, 10));
  consent->withdrawn_on = g_strdup (koers_column_text (stmt, 11));
  return consent;
}

KoersConsent *
koers_consent_repository_current (KoersDatabase *db, const char *participant_id,
                                  KoersConsentScope scope, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  KoersConsent *consent;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (participant_id != NULL, NULL);

  stmt = koers_database_prepare (db, "SELECT " CONSENT_COLUMNS " FROM consent "
                                     "WHERE participant_id = ?1 AND scope = ?2 AND deleted = 0 "
                                     "AND withdrawn_on IS NULL ORDER BY given_on DESC LIMIT 1",
                                 error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, participant_id);
  koers_bind_text (stmt, 2, koers_consent_scope_to_id (scope));
  if (!koers_database_step (db, stmt, &has_row, error) || !has_row)
    return NULL;
  consent = consent_from_row (stmt);
  sqlite3_reset (stmt);
  return consent;
}

gboolean
koers_consent_repository_give (KoersDatabase *db, KoersConsent *consent, const char *actor,
                               GError **error)
{
  g_autoptr(KoersConsent) current = NULL;
  g_autoptr(GError) local_error = NULL;
  KoersRecordMeta meta = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (consent != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if ((guint) consent->scope >= KOERS_N_CONSENT_SCOPES)
    {
      koers_repository_set_invalid (error, "scope", _("Unknown consent scope"));
      return FALSE;
    }
  if (!koers_repository_check_date ("given-on", consent->given_on, TRUE, error)
      || !koers_repository_require_participant (db, "participant-id", consent->participant_id,
                                                error))
    return FALSE;
  current = koers_consent_repository_current (db, consent->participant_id, consent->scope,
                                              &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (current != NULL)
    {
      koers_repository_set_invalid (error, "scope",
                                    _("Consent for this scope was already given on %s"),
                                    current->given_on);
      return FALSE;
    }

  koers_record_meta_copy (&meta, &consent->meta);
  koers_repository_stamp_new (db, &meta, actor);
  if (!koers_database_begin (db, error))
    goto failed;
  stmt = koers_database_prepare (db, "INSERT INTO consent (" CONSENT_COLUMNS ") VALUES (?1, ?2, "
                                     "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULL)", error);
  if (stmt == NULL)
    {
      koers_database_rollback (db);
      goto failed;
    }
  koers_repository_bind_meta (stmt, 1, &meta);
  koers_bind_text (stmt, 9, consent->participant_id);
  koers_bind_text (stmt, 10, koers_consent_scope_to_id (consent->scope));
  koers_bind_text (stmt, 11, consent->given_on);
  if (!koers_repository_write (db, stmt, FALSE, "consent", meta.id, actor, error))
    goto failed;

  koers_record_meta_clear (&consent->meta);
  consent->meta = meta;
  g_clear_pointer (&consent->withdrawn_on, g_free);
  return TRUE;

failed:
  koers_record_meta_clear (&meta);
  return FALSE;
}

gboolean
koers_consent_repository_withdraw (KoersDatabase *db, const char *participant_id,
                                   KoersConsentScope scope, const char *withdrawn_on,
                                   const char *actor, GError **error)
{
  g_autoptr(KoersConsent) current = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (participant_id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!koers_repository_check_date ("withdrawn-on", withdrawn_on, TRUE, error))
    return FALSE;
  current = koers_consent_repository_current (db, participant_id, scope, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (current == NULL)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND,
                   _("There is no consent in force for this scope"));
      return FALSE;
    }
  if (g_strcmp0 (withdrawn_on, current->given_on) < 0)
    {
      koers_repository_set_invalid (error, "withdrawn-on",
                                    _("Consent cannot be withdrawn before it was given (%s)"),
                                    current->given_on);
      return FALSE;
    }

  now = koers_database_now (db);
  if (!koers_database_begin (db, error))
    return FALSE;
  stmt = koers_database_prepare (db, "UPDATE consent SET withdrawn_on = ?2, updated_at = ?3, "
                                     "updated_by = ?4 WHERE id = ?1", error);
  if (stmt == NULL)
    {
      koers_database_rollback (db);
      return FALSE;
    }
  koers_bind_text (stmt, 1, current->meta.id);
  koers_bind_text (stmt, 2, withdrawn_on);
  koers_bind_text (stmt, 3, now);
  koers_bind_text (stmt, 4, actor);
  return koers_repository_write (db, stmt, TRUE, "consent", current->meta.id, actor, error);
}

GPtrArray *
koers_consent_repository_list (KoersDatabase *db, const char *participant_id, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (participant_id != NULL, NULL);

  stmt = koers_database_prepare (db, "SELECT " CONSENT_COLUMNS " FROM consent "
                                     "WHERE participant_id = ?1 AND deleted = 0 "
                                     "ORDER BY given_on DESC, created_at DESC", error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, participant_id);
  return koers_repository_collect (db, stmt, consent_from_row,
                                   (GDestroyNotify) koers_consent_free, error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-repository-private.h"

#include "core/koers-date.h"
#include "core/koers-text.h"
#include "storage/koers-audit.h"

#include <string.h>

void
koers_record_meta_clear (KoersRecordMeta *meta)
{
  g_return_if_fail (meta != NULL);

  g_free (meta->id);
  g_free (meta->organisation_id);
  g_free (meta->created_at);
  g_free (meta->created_by);
  g_free (meta->updated_at);
  g_free (meta->updated_by);
  memset (meta, 0, sizeof *meta);
}

void
koers_record_meta_copy (KoersRecordMeta *dest, const KoersRecordMeta *src)
{
  g_return_if_fail (dest != NULL);
  g_return_if_fail (src != NULL);

  dest->id = g_strdup (src->id);
  dest->organisation_id = g_strdup (src->organisation_id);
  dest->version = src->version;
  dest->created_at = g_strdup (src->created_at);
  dest->created_by = g_strdup (src->created_by);
  dest->updated_at = g_strdup (src->updated_at);
  dest->updated_by = g_strdup (src->updated_by);
  dest->deleted = src->deleted;
}

void
koers_repository_set_invalid (GError **error, const char *field, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID, "%s: %s", field,
               reason);
}

gboolean
koers_repository_check_text (const char *field, const char *value, gboolean required,
                             guint max_chars, gboolean multi_line, GError **error)
{
  g_autofree char *reason = NULL;
  g_autofree char *trimmed = NULL;
  glong length;

  if (value == NULL || *(trimmed = koers_text_normalize (value)) == '\0')
    {
      if (!required)
        return TRUE;
      koers_repository_set_invalid (error, field, _("This field is required"));
      return FALSE;
    }
  if (!g_utf8_validate (value, -1, NULL))
    {
      koers_repository_set_invalid (error, field, _("The text is not valid UTF-8"));
      return FALSE;
    }
  if (!koers_text_check_participant_text (value, multi_line, &reason))
    {
      koers_repository_set_invalid (error, field, "%s", reason);
      return FALSE;
    }
  length = g_utf8_strlen (value, -1);
  if (length > (glong) max_chars)
    {
      koers_repository_set_invalid (error, field,
                                    _("Too long: %ld characters, at most %u are allowed"),
                                    length, max_chars);
      return FALSE;
    }
  return TRUE;
}

gboolean
koers_repository_check_date (const char *field, const char *value, gboolean required,
                             GError **error)
{
  if (value == NULL || *value == '\0')
    {
      if (!required)
        return TRUE;
      koers_repository_set_invalid (error, field, _("Enter a date"));
      return FALSE;
    }
  if (!koers_date_is_valid_iso (value))
    {
      koers_repository_set_invalid (error, field,
                                    _("“%s” is not a date of the form YYYY-MM-DD that exists"),
                                    value);
      return FALSE;
    }
  return TRUE;
}

char *
koers_repository_fold (const char *text)
{
  g_autofree char *folded = koers_text_fold (text);
  GString *key;
  gboolean space = FALSE;
  gsize n = 0;

  /* An ASCII key has no white space but single spaces between words: it is the key already. */
  while (folded[n] != '\0' && (guchar) folded[n] < 0x80)
    n++;
  if (folded[n] == '\0')
    return g_steal_pointer (&folded);
  key = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = key->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (key, ' ');
      space = FALSE;
      g_string_append_unichar (key, c);
    }
  return g_string_free (key, FALSE);
}

void
koers_repository_stamp_new (KoersDatabase *db, KoersRecordMeta *meta, const char *actor)
{
  g_autofree char *now = koers_database_now (db);

  if (meta->id == NULL || *meta->id == '\0')
    {
      g_free (meta->id);
      meta->id = koers_database_new_id (db);
    }
  meta->version = 0;
  g_free (meta->created_at);
  meta->created_at = g_strdup (now);
  g_free (meta->created_by);
  meta->created_by = g_strdup (actor);
  g_free (meta->updated_at);
  meta->updated_at = g_strdup (now);
  g_free (meta->updated_by);
  meta->updated_by = g_strdup (actor);
  meta->deleted = FALSE;
}

void
koers_repository_stamp_update (KoersDatabase *db, KoersRecordMeta *meta, const char *actor)
{
  g_free (meta->updated_at);
  meta->updated_at = koers_database_now (db);
  g_free (meta->updated_by);
  meta->updated_by = g_strdup (actor);
}

void
koers_repository_bind_meta (sqlite3_stmt *stmt, int first, const KoersRecordMeta *meta)
{
  koers_bind_text (stmt, first, meta->id);
  koers_bind_text (stmt, first + 1, meta->organisation_id);
  koers_bind_int64 (stmt, first + 2, meta->version);
  koers_bind_text (stmt, first + 3, meta->created_at);
  koers_bind_text (stmt, first + 4, meta->created_by);
  koers_bind_text (stmt, first + 5, meta->updated_at);
  koers_bind_text (stmt, first + 6, meta->updated_by);
  koers_bind_bool (stmt, first + 7, meta->deleted);
}

void
koers_repository_read_meta (sqlite3_stmt *stmt, int first, KoersRecordMeta *meta)
{
  meta->id = g_strdup (koers_column_text (stmt, first));
  meta->organisation_id = g_strdup (koers_column_text (stmt, first + 1));
  meta->version = koers_column_int64 (stmt, first + 2);
  meta->created_at = g_strdup (koers_column_text (stmt, first + 3));
  meta->created_by = g_strdup (koers_column_text (stmt, first + 4));
  meta->updated_at = g_strdup (koers_column_text (stmt, first + 5));
  meta->updated_by = g_strdup (koers_column_text (stmt, first + 6));
  meta->deleted = koers_column_bool (stmt, first + 7);
}

gboolean
koers_repository_row_exists (KoersDatabase *db, const char *table, const char *id,
                             gboolean *out_exists, gboolean *out_deleted, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT deleted FROM %s WHERE id = ?1", table);
  sqlite3_stmt *stmt = koers_database_prepare (db, sql, error);
  gboolean has_row = FALSE;

  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, id);
  if (!koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  *out_exists = has_row;
  if (out_deleted != NULL)
    *out_deleted = has_row && koers_column_bool (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
koers_repository_require_participant (KoersDatabase *db, const char *field, const char *id,
                                      GError **error)
{
  gboolean exists = FALSE;
  gboolean deleted = FALSE;

  if (id == NULL || *id == '\0')
    {
      koers_repository_set_invalid (error, field, _("No participant given"));
      return FALSE;
    }
  if (!koers_repository_row_exists (db, "participant", id, &exists, &deleted, error))
    return FALSE;
  if (!exists || deleted)
    {
      koers_repository_set_invalid (error, field, exists ? _("The participant was deleted")
                                                         : _("No participant with this id"));
      return FALSE;
    }
  return TRUE;
}

/* A whole sentence per record type rather than the type's English name inside one sentence:
 * in Dutch and Arabic the noun changes the words around it. Each call keeps its literal format,
 * so the compiler still checks it. */
void
koers_repository_set_not_found (GError **error, const char *object_type, const char *id,
                                gboolean or_deleted)
{
#define NOT_FOUND(plain, or_gone) \
  g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND, \
               or_deleted ? (or_gone) : (plain), id)
  if (g_str_equal (object_type, "participant"))
    NOT_FOUND (_("There is no participant with id %s"),
               _("There is no participant with id %s (or it was deleted)"));
  else if (g_str_equal (object_type, "activity"))
    NOT_FOUND (_("There is no activity with id %s"),
               _("There is no activity with id %s (or it was deleted)"));
  else if (g_str_equal (object_type, "skill"))
    NOT_FOUND (_("There is no skill with id %s"),
               _("There is no skill with id %s (or it was deleted)"));
  else if (g_str_equal (object_type, "consent"))
    NOT_FOUND (_("There is no consent with id %s"),
               _("There is no consent with id %s (or it was deleted)"));
  else if (g_str_equal (object_type, "organisation"))
    NOT_FOUND (_("There is no organisation with id %s"),
               _("There is no organisation with id %s (or it was deleted)"));
  else if (g_str_equal (object_type, "coach"))
    NOT_FOUND (_("There is no coach with id %s"),
               _("There is no coach with id %s (or it was deleted)"));
  else
    NOT_FOUND (_("There is no record with id %s"),
               _("There is no record with id %s (or it was deleted)"));
#undef NOT_FOUND
}

gboolean
koers_repository_set_deleted (KoersDatabase *db, const char *table, const char *object_type,
                              const char *id, gboolean deleted, const char *actor,
                              GError **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *now = NULL;
  gboolean exists = FALSE;
  gboolean was_deleted = FALSE;
  sqlite3_stmt *stmt;

  if (!koers_repository_row_exists (db, table, id, &exists, &was_deleted, error))
    return FALSE;
  if (!exists)
    {
      koers_repository_set_not_found (error, object_type, id, FALSE);
      return FALSE;
    }
  if (was_deleted == (deleted != FALSE))
    return TRUE; /* a retried request changes nothing */

  now = koers_database_now (db);
  sql = g_strdup_printf ("UPDATE %s SET deleted = ?2, updated_at = ?3, updated_by = ?4 "
                         "WHERE id = ?1", table);
  if (!koers_database_begin (db, error))
    return FALSE;
  stmt = koers_database_prepare (db, sql, error);
  if (stmt == NULL)
    goto failed;
  koers_bind_text (stmt, 1, id);
  koers_bind_bool (stmt, 2, deleted);
  koers_bind_text (stmt, 3, now);
  koers_bind_text (stmt, 4, actor);
  if (!koers_database_step (db, stmt, NULL, error)
      || !koers_audit_record (db, actor,
                              deleted ? KOERS_AUDIT_ACTION_DELETE : KOERS_AUDIT_ACTION_RESTORE,
                              object_type, id, NULL, KOERS_AUDIT_RESULT_SUCCESS, error)
      || !koers_database_commit (db, error))
    goto failed;
  return TRUE;

failed:
  koers_database_rollback (db);
  return FALSE;
}

GPtrArray *
koers_repository_collect (KoersDatabase *db, sqlite3_stmt *stmt, KoersRowReader reader,
                          GDestroyNotify free_func, GError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (free_func);
  g_autoptr(GError) local_error = NULL;
  gboolean has_row = FALSE;

  while (koers_database_step (db, stmt, &has_row, &local_error) && has_row)
    g_ptr_array_add (items, reader (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&items);
}

gboolean
koers_repository_write (KoersDatabase *db, sqlite3_stmt *stmt, gboolean is_update,
                        const char *object_type, const char *id, const char *actor,
                        GError **error)
{
  if (!koers_database_step (db, stmt, NULL, error))
    goto failed;
  if (is_update && sqlite3_changes (koers_database_get_handle (db)) == 0)
    {
      koers_repository_set_not_found (error, object_type, id, TRUE);
      goto failed;
    }
  if (!koers_audit_record (db, actor,
                           is_update ? KOERS_AUDIT_ACTION_CHANGE : KOERS_AUDIT_ACTION_CREATE,
                           object_type, id, NULL, KOERS_AUDIT_RESULT_SUCCESS, error)
      || !koers_database_commit (db, error))
    goto failed;
  return TRUE;

failed:
  koers_database_rollback (db);
  return FALSE;
}

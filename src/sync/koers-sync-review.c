/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading open conflicts and the quarantine for the Conflicts page (the writes are in
 * koers-sync-review-write.c; views hold no SQL). See koers-sync-review.h.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-sync-review.h"

#include "core/koers-sync-entities.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-private.h"
#include "sync/koers-sync-schema.h"
#include "sync/koers-sync-staff.h"

#include <string.h>

void
koers_sync_conflict_free (KoersSyncConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->id);
  g_free (conflict->entity);
  g_free (conflict->record_id);
  g_free (conflict->participant_id);
  g_free (conflict->participant_name);
  g_free (conflict->field);
  g_clear_pointer (&conflict->base, json_node_unref);
  g_clear_pointer (&conflict->theirs, json_node_unref);
  g_clear_pointer (&conflict->mine, json_node_unref);
  g_free (conflict->theirs_by);
  g_free (conflict->mine_by);
  g_free (conflict->theirs_at);
  g_free (conflict->mine_at);
  g_free (conflict);
}

void
koers_sync_quarantined_free (KoersSyncQuarantined *item)
{
  if (item == NULL)
    return;
  g_free (item->mutation_id);
  g_free (item->entity);
  g_free (item->record_id);
  g_free (item->participant_id);
  g_free (item->participant_name);
  g_free (item->action);
  g_clear_pointer (&item->diff, json_object_unref);
  g_free (item->reason);
  g_free (item->field);
  g_free (item->quarantined_at);
  g_free (item);
}

void
koers_sync_review_free (KoersSyncReview *review)
{
  if (review == NULL)
    return;
  g_clear_pointer (&review->conflicts, g_ptr_array_unref);
  g_clear_pointer (&review->quarantined, g_ptr_array_unref);
  g_clear_pointer (&review->people, g_hash_table_unref);
  g_free (review);
}

/* Local rows are untrusted too (an older version, a damaged file): the same guards as a
 * server answer (depth before json-glib, an object at the top). NULL when it does not decode. */
static JsonObject *
decode_object (const char *text)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (text == NULL)
    return NULL;
  bytes = g_bytes_new (text, strlen (text));
  root = koers_sync_json_parse_response (bytes, NULL);
  if (root == NULL)
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static JsonNode *
member_or_null (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL ? json_node_copy (node) : json_node_new (JSON_NODE_NULL);
}

static char *
dup_string (JsonObject *object, const char *member)
{
  return g_strdup (koers_sync_json_string (object, member));
}

static gboolean
has_sync_tables (KoersDatabase *db, gboolean *out_present, GError **error)
{
  gint64 n = 0;

  if (!koers_database_query_int64 (db, "SELECT count(*) FROM sqlite_schema WHERE type = "
                                       "'table' AND name IN ('sync_shadow', 'sync_outbox', "
                                       "'sync_quarantine')", &n, error))
    return FALSE;
  *out_present = n == 3;
  return TRUE;
}

static gboolean
count_pending (KoersDatabase *db, gint64 *out_pending, GError **error)
{
  return koers_database_query_int64 (db, "SELECT count(*) FROM sync_outbox", out_pending,
                                     error);
}

static gboolean
load_people (KoersDatabase *db, GHashTable *people, GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, "SELECT id, name FROM coach", error);
  gboolean has_row = FALSE;

  if (stmt == NULL)
    return FALSE;
  while (koers_database_step (db, stmt, &has_row, error) && has_row)
    if (koers_column_text (stmt, 1) != NULL)
      g_hash_table_insert (people, g_strdup (koers_column_text (stmt, 0)),
                           g_strdup (koers_column_text (stmt, 1)));
  return error == NULL || *error == NULL;
}

/* The participant's name as this device knows it: the working row, else the shadow. */
static char *
participant_name (KoersDatabase *db, const char *participant_id, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  char *name = NULL;

  if (participant_id == NULL)
    return NULL;
  stmt = koers_database_prepare (db,
    "SELECT coalesce((SELECT name FROM participant WHERE id = ?1), "
    "(SELECT CASE WHEN json_valid(record) THEN record ->> '$.gegevens.naam' END "
    " FROM sync_shadow WHERE entity = 'deelnemers' AND id = ?1))", error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, participant_id);
  if (koers_database_step (db, stmt, &has_row, error) && has_row)
    name = g_strdup (koers_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return name;
}

gboolean
koers_sync_conflict_mine_is_server (const KoersSyncConflictSides *sides,
                                    const KoersSyncSelf          *self)
{
  /* One person on two laptops is both sides; the devices tell which value this one typed. */
  if (self->device_id != NULL && g_strcmp0 (sides->server_device, self->device_id) == 0)
    return TRUE;
  if (self->device_id != NULL && g_strcmp0 (sides->client_device, self->device_id) == 0)
    return FALSE;
  return self->user_id != NULL && g_strcmp0 (sides->server_by, self->user_id) == 0
         && g_strcmp0 (sides->client_by, self->user_id) != 0;
}

gboolean
koers_sync_self_read (KoersDatabase *db, KoersSyncSelf *self, GError **error)
{
  memset (self, 0, sizeof *self);
  /* Known once the profile was read after signing in; before that nothing is swapped. */
  self->user_id = koers_sync_state_get (db, KOERS_SYNC_STATE_USER_ID, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  self->device_id = koers_sync_state_get (db, KOERS_SYNC_STATE_DEVICE_ID, error);
  return error == NULL || *error == NULL;
}

void
koers_sync_self_clear (KoersSyncSelf *self)
{
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->device_id, g_free);
}

gboolean
koers_sync_conflict_read_stored (KoersDatabase *db, const char *conflict_id, char **out_entity,
                                 char **out_field, gboolean *out_mine_is_server,
                                 GError **error)
{
  g_auto(KoersSyncSelf) self = { 0 };
  KoersSyncConflictSides sides;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  *out_entity = *out_field = NULL;
  *out_mine_is_server = FALSE;
  if (!koers_sync_self_read (db, &self, error))
    return FALSE;
  stmt = koers_database_prepare (db,
    "SELECT g ->> 'entiteit', g ->> 'veld', g ->> 'serverDoor', g ->> 'clientDoor', "
    "g ->> 'serverApparaat', g ->> 'clientApparaat' "
    "FROM (SELECT CASE WHEN json_valid(record) AND json_type(record, '$.gegevens') = 'object' "
    "             THEN record -> '$.gegevens' END AS g "
    "      FROM sync_shadow WHERE entity = 'conflicten' AND id = ?1)", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, conflict_id);
  if (!koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      sides.server_by = koers_column_text (stmt, 2);
      sides.client_by = koers_column_text (stmt, 3);
      sides.server_device = koers_column_text (stmt, 4);
      sides.client_device = koers_column_text (stmt, 5);
      *out_entity = g_strdup (koers_column_text (stmt, 0));
      *out_field = g_strdup (koers_column_text (stmt, 1));
      *out_mine_is_server = koers_sync_conflict_mine_is_server (&sides, &self);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static KoersSyncConflict *
decode_conflict (const char *id, gint64 version, const char *parent_id, const char *text,
                 const KoersSyncSelf *self)
{
  KoersSyncConflictSides sides;
  g_autoptr(JsonObject) record = decode_object (text);
  g_autoptr(KoersSyncConflict) conflict = NULL;
  JsonObject *fields;
  gboolean ok = TRUE;

  fields = record != NULL ? koers_sync_json_object (record, "gegevens") : NULL;
  if (fields == NULL || koers_sync_json_string (fields, "entiteit") == NULL
      || koers_sync_json_string (fields, "recordId") == NULL
      || koers_sync_json_string (fields, "veld") == NULL)
    return NULL;
  if (koers_sync_json_bool (fields, "opgelost", FALSE, &ok) || !ok)
    return NULL;

  conflict = g_new0 (KoersSyncConflict, 1);
  conflict->id = g_strdup (id);
  conflict->version = version;
  conflict->entity = dup_string (fields, "entiteit");
  conflict->record_id = dup_string (fields, "recordId");
  conflict->field = dup_string (fields, "veld");
  conflict->participant_id = g_strdup (parent_id != NULL ? parent_id
                                       : koers_sync_json_string (fields, "deelnemerId"));
  conflict->base = member_or_null (fields, "basis");
  conflict->theirs = member_or_null (fields, "server");
  conflict->mine = member_or_null (fields, "client");
  conflict->theirs_by = dup_string (fields, "serverDoor");
  conflict->mine_by = dup_string (fields, "clientDoor");
  conflict->theirs_at = dup_string (fields, "serverOp");
  conflict->mine_at = dup_string (fields, "clientOp");
  sides.server_by = conflict->theirs_by;
  sides.client_by = conflict->mine_by;
  sides.server_device = koers_sync_json_string (fields, "serverApparaat");
  sides.client_device = koers_sync_json_string (fields, "clientApparaat");
  if (koers_sync_conflict_mine_is_server (&sides, self))
    {
      JsonNode *node = conflict->mine;
      char *text_swap;

      conflict->mine = conflict->theirs;
      conflict->theirs = node;
      text_swap = conflict->mine_by;
      conflict->mine_by = conflict->theirs_by;
      conflict->theirs_by = text_swap;
      text_swap = conflict->mine_at;
      conflict->mine_at = conflict->theirs_at;
      conflict->theirs_at = text_swap;
      conflict->mine_is_server = TRUE;
    }
  return g_steal_pointer (&conflict);
}

static gboolean
load_conflicts (KoersDatabase *db, const char *participant_id, GPtrArray *out, GError **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (
                                 (GDestroyNotify) koers_sync_conflict_free);
  g_auto(KoersSyncSelf) self = { 0 };
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  if (!koers_sync_self_read (db, &self, error))
    return FALSE;

  /* `opgelost` is read in C, not with json_extract: one damaged record must not make the
   * whole list fail. */
  stmt = koers_database_prepare (db,
    "SELECT s.id, s.version, s.parent_id, s.record, EXISTS (SELECT 1 FROM sync_outbox o "
    "  WHERE o.entity = 'conflicten' AND o.record_id = s.id AND o.action = 'oplossen') "
    "FROM sync_shadow s WHERE s.entity = 'conflicten' AND s.deleted = 0 AND s.erased = 0 "
    "AND (?1 IS NULL OR s.parent_id = ?1)", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, participant_id);
  while (koers_database_step (db, stmt, &has_row, error) && has_row)
    {
      KoersSyncConflict *conflict = decode_conflict (koers_column_text (stmt, 0),
                                                     koers_column_int64 (stmt, 1),
                                                     koers_column_text (stmt, 2),
                                                     koers_column_text (stmt, 3),
                                                     &self);

      if (conflict == NULL)
        {
          g_debug ("Conflict record %s does not decode; left out", koers_column_text (stmt, 0));
          continue;
        }
      conflict->waiting = koers_column_bool (stmt, 4);
      g_ptr_array_add (found, conflict);
    }
  if (error != NULL && *error != NULL)
    return FALSE;

  for (guint i = 0; i < found->len; i++)
    {
      KoersSyncConflict *conflict = g_ptr_array_index (found, i);

      conflict->participant_name = participant_name (db, conflict->participant_id, error);
      if (error != NULL && *error != NULL)
        return FALSE;
    }
  g_ptr_array_extend_and_steal (out, g_steal_pointer (&found));
  return TRUE;
}

/* Which participant a quarantined change concerns: the record itself, its working row's or
 * shadow's parent, or the parent named in the change. */
static char *
quarantined_participant (KoersDatabase *db, KoersSyncQuarantined *item, GError **error)
{
  const KoersSyncEntity *entity = koers_sync_entity_lookup (item->entity);
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  char *id = NULL;

  if (g_strcmp0 (item->entity, KOERS_SYNC_PARTICIPANTS) == 0)
    return g_strdup (item->record_id);
  if (entity != NULL && entity->table != NULL && entity->parent_field != NULL)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT participant_id FROM \"%s\" WHERE id = ?1",
                                              entity->table);

      stmt = koers_database_prepare (db, sql, error);
      if (stmt == NULL)
        return NULL;
      koers_bind_text (stmt, 1, item->record_id);
      if (koers_database_step (db, stmt, &has_row, error) && has_row)
        id = g_strdup (koers_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (id != NULL || (error != NULL && *error != NULL))
        return id;
    }
  stmt = koers_database_prepare (db, "SELECT parent_id FROM sync_shadow "
                                     "WHERE entity = ?1 AND id = ?2", error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, item->entity);
  koers_bind_text (stmt, 2, item->record_id);
  if (koers_database_step (db, stmt, &has_row, error) && has_row)
    id = g_strdup (koers_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (id == NULL && item->diff != NULL)
    {
      JsonObject *parent = koers_sync_json_object (item->diff, "deelnemerId");

      if (parent != NULL)
        id = g_strdup (koers_sync_json_string (parent, "wordt"));
    }
  return id;
}

/* A refused resolution is listed with the choice it sent, and the wire's "mijn" is always the
 * conflict's client value. On the side whose own value the server kept, the Conflicts page
 * calls that value "Mine" (decode_conflict), so the choice is shown in the same terms: "mijn"
 * and "hun" trade places. */
static gboolean
show_choice_as_user_saw_it (KoersDatabase *db, KoersSyncQuarantined *item, GError **error)
{
  g_autofree char *entity = NULL, *field = NULL;
  JsonObject *change;
  const char *sent;
  gboolean swapped = FALSE;

  change = g_strcmp0 (item->entity, "conflicten") == 0
           ? koers_sync_json_object (item->diff, "keuze") : NULL;
  sent = koers_sync_json_string (change, "wordt");
  if (sent == NULL || !(g_str_equal (sent, "mijn") || g_str_equal (sent, "hun")))
    return TRUE;
  if (!koers_sync_conflict_read_stored (db, item->record_id, &entity, &field, &swapped, error))
    return FALSE;
  if (swapped)
    {
      /* The parsed diff is sealed (koers_sync_json_parse_response): a copy says it the other
       * way round. */
      JsonObject *shown = json_object_new ();
      JsonObject *shown_change = json_object_new ();
      g_autoptr(GList) names = json_object_get_members (item->diff);

      for (GList *l = names; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "keuze"))
          json_object_set_member (shown, l->data,
                                  json_node_copy (json_object_get_member (item->diff, l->data)));
      if (json_object_has_member (change, "was"))
        json_object_set_member (shown_change, "was",
                                json_node_copy (json_object_get_member (change, "was")));
      json_object_set_string_member (shown_change, "wordt",
                                     g_str_equal (sent, "mijn") ? "hun" : "mijn");
      json_object_set_object_member (shown, "keuze", shown_change);
      json_object_unref (item->diff);
      item->diff = shown;
    }
  return TRUE;
}

static gboolean
load_quarantine (KoersDatabase *db, const char *participant_id, GPtrArray *out, GError **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (
                                 (GDestroyNotify) koers_sync_quarantined_free);
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  stmt = koers_database_prepare (db, "SELECT seq, mutation_id, entity, record_id, action, diff, "
                                     "reason, quarantined_at, reason_code, field "
                                     "FROM sync_quarantine ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  while (koers_database_step (db, stmt, &has_row, error) && has_row)
    {
      KoersSyncQuarantined *item = g_new0 (KoersSyncQuarantined, 1);

      item->seq = koers_column_int64 (stmt, 0);
      item->mutation_id = g_strdup (koers_column_text (stmt, 1));
      item->entity = g_strdup (koers_column_text (stmt, 2));
      item->record_id = g_strdup (koers_column_text (stmt, 3));
      item->action = g_strdup (koers_column_text (stmt, 4));
      item->diff = decode_object (koers_column_text (stmt, 5));
      item->reason = g_strdup (koers_column_text (stmt, 6));
      item->quarantined_at = g_strdup (koers_column_text (stmt, 7));
      item->refusal = koers_sync_refusal_from_code (koers_column_text (stmt, 8));
      item->field = g_strdup (koers_column_text (stmt, 9));
      g_ptr_array_add (found, item);
    }
  if (error != NULL && *error != NULL)
    return FALSE;

  for (guint i = 0; i < found->len; i++)
    {
      KoersSyncQuarantined *item = g_ptr_array_index (found, i);

      if (!show_choice_as_user_saw_it (db, item, error))
        return FALSE;
      item->participant_id = quarantined_participant (db, item, error);
      if (error != NULL && *error != NULL)
        return FALSE;
      if (participant_id != NULL && g_strcmp0 (item->participant_id, participant_id) != 0)
        continue;
      item->participant_name = participant_name (db, item->participant_id, error);
      if (error != NULL && *error != NULL)
        return FALSE;
      g_ptr_array_add (out, g_steal_pointer (&found->pdata[i]));
    }
  return TRUE;
}

static int
compare_conflicts (gconstpointer a, gconstpointer b)
{
  const KoersSyncConflict *x = *(KoersSyncConflict * const *) a;
  const KoersSyncConflict *y = *(KoersSyncConflict * const *) b;
  int order;

  if ((order = g_utf8_collate (x->participant_name != NULL ? x->participant_name : "",
                               y->participant_name != NULL ? y->participant_name : "")) != 0)
    return order;
  if ((order = g_strcmp0 (x->participant_id, y->participant_id)) != 0)
    return order;
  if ((order = g_strcmp0 (x->entity, y->entity)) != 0)
    return order;
  if ((order = g_strcmp0 (x->record_id, y->record_id)) != 0)
    return order;
  if ((order = g_strcmp0 (x->field, y->field)) != 0)
    return order;
  return g_strcmp0 (x->id, y->id);
}

KoersSyncReview *
koers_sync_review_load (KoersDatabase *db, const char *participant_id, GError **error)
{
  g_autoptr(KoersSyncReview) review = g_new0 (KoersSyncReview, 1);
  gboolean present = FALSE;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  review->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_sync_conflict_free);
  review->quarantined = g_ptr_array_new_with_free_func (
                          (GDestroyNotify) koers_sync_quarantined_free);
  review->people = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!koers_database_begin (db, error))
    return NULL;
  ok = has_sync_tables (db, &present, error);
  if (ok && present)
    ok = count_pending (db, &review->pending, error)
         && load_people (db, review->people, error)
         && load_conflicts (db, participant_id, review->conflicts, error)
         && load_quarantine (db, participant_id, review->quarantined, error);
  if (!ok)
    {
      koers_database_rollback (db);
      return NULL;
    }
  if (!koers_database_commit (db, error))
    return NULL;
  g_ptr_array_sort (review->conflicts, compare_conflicts);
  return g_steal_pointer (&review);
}

guint
koers_sync_review_count_attention (KoersSyncReview *review)
{
  guint n = 0;

  g_return_val_if_fail (review != NULL, 0);

  for (guint i = 0; i < review->conflicts->len; i++)
    if (!((KoersSyncConflict *) g_ptr_array_index (review->conflicts, i))->waiting)
      n++;
  return n + review->quarantined->len;
}

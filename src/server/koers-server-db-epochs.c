/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Epochs: a restore from an older backup, declared by an administrator, and what each
 * organisation's volgnummers still share with the epochs before it.
 *
 * The volgnummers of an organisation count on from the restored backup, so numbers given out
 * after the backup was taken are given out again, for other changes. A device that pulled
 * under an older epoch compares its records' versions with the server's; it may only compare
 * numbers up to the last one both histories share (SYNC.md, docs/api-protocol.md "Tijdperk").
 * Declaring a new epoch records, per organisation, its volgnummer at that moment: everything
 * up to it is the backup's, which the old epoch gave out too.
 *
 * The history is one JSON text in meta ('epoch_history'): a list, oldest first, of
 * {"tijdperk": id, "gedeeld": {organisation id: last shared volgnummer}}; the first epoch has
 * no "gedeeld". meta has no row-level security, so this works on both back ends without a
 * schema change.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "server/koers-server-db.h"
#include "server/koers-server-db-private.h"

#define EPOCH_HISTORY_KEY "epoch_history"

static JsonArray *
read_history (KoersServerDb *db, GError **error)
{
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (EPOCH_HISTORY_KEY) };
  g_autoptr(KoersSqlRows) rows = koers_server_db_query (db, "SELECT value FROM meta WHERE "
                                                            "key = $1", params, 1, error);
  g_autoptr(JsonNode) node = NULL;

  if (rows == NULL)
    return NULL;
  if (koers_sql_rows_get_n_rows (rows) == 0)
    return json_array_new ();
  /* Our own text; anything else is a damaged database, said as such. */
  node = json_from_string (koers_sql_rows_get_text (rows, 0, 0), NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                   _("The database's list of epochs cannot be read"));
      return NULL;
    }
  return json_array_ref (json_node_get_array (node));
}

static gboolean
new_epoch_in_transaction (KoersServerDb *db, const char *epoch, GError **error)
{
  g_autoptr(JsonArray) history = read_history (db, error);
  g_autoptr(KoersSqlRows) organisations = NULL;
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(JsonObject) shared = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;
  KoersSqlValue params[2];
  guint64 changes = 0;

  if (history == NULL)
    return FALSE;
  organisations = koers_server_db_query (db, "SELECT id, sequence FROM organisations", NULL, 0,
                                         error);
  if (organisations == NULL)
    return FALSE;
  /* A history begun now starts with the epoch being left, so its devices are known. */
  if (json_array_get_length (history) == 0)
    {
      JsonObject *first = json_object_new ();

      json_object_set_string_member (first, "tijdperk", db->epoch);
      json_array_add_object_element (history, first);
    }
  for (guint i = 0; i < koers_sql_rows_get_n_rows (organisations); i++)
    json_object_set_int_member (shared, koers_sql_rows_get_text (organisations, i, 0),
                                koers_sql_rows_get_int (organisations, i, 1));
  entry = json_object_new ();
  json_object_set_string_member (entry, "tijdperk", epoch);
  json_object_set_object_member (entry, "gedeeld", g_steal_pointer (&shared));
  json_array_add_object_element (history, g_steal_pointer (&entry));
  json_node_set_array (node, history);
  text = json_to_string (node, FALSE);

  params[0] = KOERS_SQL_TEXT_VALUE (EPOCH_HISTORY_KEY);
  params[1] = KOERS_SQL_TEXT_VALUE (text);
  if (!koers_server_db_exec (db, "INSERT INTO meta (key, value) VALUES ($1, $2) "
                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             params, 2, NULL, error))
    return FALSE;
  params[0] = KOERS_SQL_TEXT_VALUE (epoch);
  if (!koers_server_db_exec (db, "UPDATE meta SET value = $1 WHERE key = 'epoch'",
                             params, 1, &changes, error))
    return FALSE;
  if (changes != 1)
    {
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                   _("The database has no epoch to replace"));
      return FALSE;
    }
  return TRUE;
}

/* Other koers-server processes on the same database keep the epoch they read at start:
 * declare a restore while the servers are stopped, then start them again. */
gboolean
koers_server_db_new_epoch (KoersServerDb *db, GError **error)
{
  g_autofree char *epoch = g_uuid_string_random ();

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!koers_server_db_begin (db, NULL, error))
    return FALSE;
  if (!new_epoch_in_transaction (db, epoch, error))
    {
      koers_server_db_rollback (db);
      return FALSE;
    }
  if (!koers_server_db_commit (db, error))
    return FALSE;
  g_free (db->epoch);
  db->epoch = g_steal_pointer (&epoch);
  return TRUE;
}

/* The organisation's last shared number in one entry of the history: 0 when the organisation
 * did not exist yet when that epoch began. */
static gint64
entry_shared (JsonArray *history, guint index, const char *organisation_id)
{
  JsonNode *element = json_array_get_element (history, index);
  JsonObject *entry = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
  JsonNode *shared = entry != NULL ? json_object_get_member (entry, "gedeeld") : NULL;
  JsonNode *value;

  if (shared == NULL || !JSON_NODE_HOLDS_OBJECT (shared))
    return G_MAXINT64;
  value = json_object_get_member (json_node_get_object (shared), organisation_id);
  if (value == NULL || json_node_get_value_type (value) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (value);
}

gboolean
koers_server_db_shared_history (KoersServerDb *db, const char *organisation_id,
                                const char *epoch, gint64 *out_last, GError **error)
{
  g_autoptr(JsonArray) history = NULL;
  guint n, start;
  gint64 last = G_MAXINT64;

  g_return_val_if_fail (db != NULL && organisation_id != NULL && epoch != NULL, FALSE);
  g_return_val_if_fail (out_last != NULL, FALSE);

  *out_last = -1;
  if (g_strcmp0 (epoch, db->epoch) == 0)
    return TRUE;
  history = read_history (db, error);
  if (history == NULL)
    return FALSE;
  n = json_array_get_length (history);
  /* The epochs after @epoch each went back to a backup: the numbers all of them share. An
   * epoch this database never knew (one that began after the restored backup was taken)
   * shares with the current one what the current one took over. */
  for (start = 0; start < n; start++)
    {
      JsonNode *element = json_array_get_element (history, start);

      if (JSON_NODE_HOLDS_OBJECT (element)
          && g_strcmp0 (json_object_get_string_member_with_default (
                          json_node_get_object (element), "tijdperk", NULL), epoch) == 0)
        break;
    }
  if (start == n)
    start = n >= 2 ? n - 2 : n;
  for (guint i = start + 1; i < n; i++)
    last = MIN (last, entry_shared (history, i, organisation_id));
  if (last != G_MAXINT64)
    *out_last = last;
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-kpi-repository.h"

#include "storage/koers-repository-private.h"

#include <string.h>

/* Guidance starts the first time the status became active; a trajectory ends when it became
 * completed or dropped out (final, so at most once).
 *
 * Three sequential passes, joined here by participant id, instead of three correlated
 * subqueries per participant: at 100,000 participants those made 300,000 index searches, each
 * followed by a read of the row for its `deleted` column, scattered over the file (1.3 s warm,
 * 4-20 s from a cold disk); the passes read each table once, in order (about 0.2 s). */
static const char participants_sql[] =
  "SELECT id, target_group, status, outcome, deleted FROM participant ORDER BY seq";
static const char status_changes_sql[] =
  "SELECT participant_id, to_status = ?1, changed_on FROM participant_status_change "
  "WHERE deleted = 0 AND (to_status = ?1 OR to_status = ?2 OR to_status = ?3)";
static const char proeverijen_sql[] =
  "SELECT participant_id, started_on FROM activity "
  "WHERE kind = ?1 AND deleted = 0 AND started_on >= ?2";

static const char *
keep (GStringChunk *strings, const char *value)
{
  return value != NULL ? g_string_chunk_insert_const (strings, value) : NULL;
}

/* The fact of @participant_id, or NULL for a row of a participant not read (none: the foreign
 * key holds, but a stray row must not crash the count). */
static KoersKpiFacts *
fact_for (GArray *facts, GHashTable *index, const char *participant_id)
{
  gpointer position;

  if (participant_id == NULL
      || !g_hash_table_lookup_extended (index, participant_id, NULL, &position))
    return NULL;
  return &g_array_index (facts, KoersKpiFacts, GPOINTER_TO_UINT (position));
}

static gboolean
step_all (KoersDatabase *db, sqlite3_stmt *stmt, GError **error,
          void (*row) (sqlite3_stmt *stmt, gpointer data), gpointer data)
{
  g_autoptr(GError) local_error = NULL;
  gboolean has_row = FALSE;

  while (koers_database_step (db, stmt, &has_row, &local_error) && has_row)
    row (stmt, data);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GArray       *facts;
  GHashTable   *index;    /* participant id (in strings) -> position in facts */
  GStringChunk *strings;
} FactsLoad;

static void
participant_row (sqlite3_stmt *stmt, gpointer data)
{
  FactsLoad *load = data;
  KoersKpiFacts fact = { 0 };
  const char *text = koers_column_text (stmt, 0);
  /* Ids are unique: copied, without keep()'s look-up for an equal string. */
  const char *id = text != NULL ? g_string_chunk_insert (load->strings, text) : NULL;

  koers_target_group_from_id (koers_column_text (stmt, 1), &fact.target_group);
  koers_status_from_id (koers_column_text (stmt, 2), &fact.status);
  koers_outcome_from_id (koers_column_text (stmt, 3), &fact.outcome);
  fact.deleted = koers_column_bool (stmt, 4);
  if (id != NULL)
    g_hash_table_insert (load->index, (gpointer) id, GUINT_TO_POINTER (load->facts->len));
  g_array_append_val (load->facts, fact);
}

static void
status_change_row (sqlite3_stmt *stmt, gpointer data)
{
  FactsLoad *load = data;
  KoersKpiFacts *fact = fact_for (load->facts, load->index, koers_column_text (stmt, 0));
  gboolean to_active = koers_column_bool (stmt, 1);
  const char *on = koers_column_text (stmt, 2);

  if (fact == NULL || on == NULL)
    return;
  if (to_active)
    {
      if (fact->guidance_started_on == NULL || strcmp (on, fact->guidance_started_on) < 0)
        fact->guidance_started_on = keep (load->strings, on);
    }
  /* An end date only for a participant whose trajectory really ended. */
  else if (fact->status == KOERS_STATUS_COMPLETED || fact->status == KOERS_STATUS_DROPPED_OUT)
    {
      if (fact->ended_on == NULL || strcmp (on, fact->ended_on) > 0)
        fact->ended_on = keep (load->strings, on);
    }
}

static void
proeverij_row (sqlite3_stmt *stmt, gpointer data)
{
  FactsLoad *load = data;
  KoersKpiFacts *fact = fact_for (load->facts, load->index, koers_column_text (stmt, 0));
  const char *on = koers_column_text (stmt, 1);

  if (fact == NULL || on == NULL)
    return;
  if (fact->first_proeverij_on == NULL || strcmp (on, fact->first_proeverij_on) < 0)
    fact->first_proeverij_on = keep (load->strings, on);
}

GArray *
koers_kpi_repository_load_facts (KoersDatabase *db, const char *window_start,
                                 GStringChunk *strings, GError **error)
{
  g_autoptr(GArray) facts = g_array_new (FALSE, TRUE, sizeof (KoersKpiFacts));
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  FactsLoad load = { facts, index, strings };
  sqlite3_stmt *stmt;
  gboolean own_transaction;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (window_start != NULL, NULL);
  g_return_val_if_fail (strings != NULL, NULL);

  /* One read transaction (deferred: it takes no write lock), so the three passes see the same
   * caseload; inside a caller's transaction they share that one. */
  own_transaction = sqlite3_get_autocommit (koers_database_get_handle (db));
  if (own_transaction && !koers_database_exec (db, "BEGIN", error))
    return NULL;

  stmt = koers_database_prepare (db, participants_sql, error);
  ok = stmt != NULL && step_all (db, stmt, error, participant_row, &load);

  if (ok)
    {
      stmt = koers_database_prepare (db, status_changes_sql, error);
      ok = stmt != NULL;
    }
  if (ok)
    {
      koers_bind_text (stmt, 1, koers_status_to_id (KOERS_STATUS_ACTIVE));
      koers_bind_text (stmt, 2, koers_status_to_id (KOERS_STATUS_COMPLETED));
      koers_bind_text (stmt, 3, koers_status_to_id (KOERS_STATUS_DROPPED_OUT));
      ok = step_all (db, stmt, error, status_change_row, &load);
    }

  if (ok)
    {
      stmt = koers_database_prepare (db, proeverijen_sql, error);
      ok = stmt != NULL;
    }
  if (ok)
    {
      koers_bind_text (stmt, 1, koers_activity_kind_to_id (KOERS_ACTIVITY_PROEVERIJ));
      koers_bind_text (stmt, 2, window_start);
      ok = step_all (db, stmt, error, proeverij_row, &load);
    }

  if (own_transaction)
    koers_database_exec (db, "COMMIT", NULL);
  if (!ok)
    return NULL;
  return g_steal_pointer (&facts);
}

gboolean
koers_kpi_repository_compute (KoersDatabase *db, const char *window_start,
                              const char *window_end, KoersKpiResult *out_result,
                              GError **error)
{
  GStringChunk *strings;
  g_autoptr(GArray) facts = NULL;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (window_start != NULL && window_end != NULL, FALSE);
  g_return_val_if_fail (out_result != NULL, FALSE);

  strings = g_string_chunk_new (4096);
  facts = koers_kpi_repository_load_facts (db, window_start, strings, error);
  if (facts == NULL)
    {
      g_string_chunk_free (strings);
      return FALSE;
    }
  koers_kpi_compute ((const KoersKpiFacts *) (gpointer) facts->data, facts->len, window_start,
                     window_end, out_result);
  g_string_chunk_free (strings);
  return TRUE;
}

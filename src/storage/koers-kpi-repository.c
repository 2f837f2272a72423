/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-kpi-repository.h"

#include "storage/koers-repository-private.h"

/* Guidance starts the first time the status became active; a trajectory ends when it became
 * completed or dropped out (final, so at most once). Correlated subqueries on the
 * (participant_id, changed_on) and (participant_id, started_on) indexes keep this one pass. */
static const char facts_sql[] =
  "SELECT p.target_group, p.status, p.outcome, p.deleted, "
  "  (SELECT min(c.changed_on) FROM participant_status_change c "
  "     WHERE c.participant_id = p.id AND c.to_status = ?1 AND c.deleted = 0), "
  "  (SELECT max(c.changed_on) FROM participant_status_change c "
  "     WHERE c.participant_id = p.id AND c.to_status IN (?2, ?3) AND c.deleted = 0 "
  "     AND p.status IN (?2, ?3)), "
  "  (SELECT min(a.started_on) FROM activity a "
  "     WHERE a.participant_id = p.id AND a.kind = ?4 AND a.deleted = 0 "
  "     AND a.started_on >= ?5) "
  "FROM participant p ORDER BY p.seq";

static const char *
keep (GStringChunk *strings, const char *value)
{
  return value != NULL ? g_string_chunk_insert_const (strings, value) : NULL;
}

GArray *
koers_kpi_repository_load_facts (KoersDatabase *db, const char *window_start,
                                 GStringChunk *strings, GError **error)
{
  g_autoptr(GArray) facts = g_array_new (FALSE, TRUE, sizeof (KoersKpiFacts));
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (window_start != NULL, NULL);
  g_return_val_if_fail (strings != NULL, NULL);

  stmt = koers_database_prepare (db, facts_sql, error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, koers_status_to_id (KOERS_STATUS_ACTIVE));
  koers_bind_text (stmt, 2, koers_status_to_id (KOERS_STATUS_COMPLETED));
  koers_bind_text (stmt, 3, koers_status_to_id (KOERS_STATUS_DROPPED_OUT));
  koers_bind_text (stmt, 4, koers_activity_kind_to_id (KOERS_ACTIVITY_PROEVERIJ));
  koers_bind_text (stmt, 5, window_start);

  while (koers_database_step (db, stmt, &has_row, &local_error) && has_row)
    {
      KoersKpiFacts fact = { 0 };

      koers_target_group_from_id (koers_column_text (stmt, 0), &fact.target_group);
      koers_status_from_id (koers_column_text (stmt, 1), &fact.status);
      koers_outcome_from_id (koers_column_text (stmt, 2), &fact.outcome);
      fact.deleted = koers_column_bool (stmt, 3);
      fact.guidance_started_on = keep (strings, koers_column_text (stmt, 4));
      fact.ended_on = keep (strings, koers_column_text (stmt, 5));
      fact.first_proeverij_on = keep (strings, koers_column_text (stmt, 6));
      g_array_append_val (facts, fact);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "app/koers-caseload-query-job.h"

#include "storage/koers-participant-repository.h"

static gboolean
has_search (const KoersCaseloadQuery *query)
{
  return query->search != NULL && query->search[0] != '\0';
}

void
koers_caseload_query_copy_without_search (KoersCaseloadQuery       *dest,
                                          const KoersCaseloadQuery *query)
{
  koers_caseload_query_copy (dest, query);
  g_clear_pointer (&dest->search, g_free);
}

KoersCaseloadQueryJob *
koers_caseload_query_job_new (const KoersCaseloadQuery *query,
                              GArray                   *base,
                              const KoersCaseloadQuery *base_query)
{
  KoersCaseloadQueryJob *job = g_new0 (KoersCaseloadQueryJob, 1);

  koers_caseload_query_init (&job->query);
  koers_caseload_query_copy (&job->query, query);
  if (base != NULL && base_query != NULL && has_search (query))
    {
      KoersCaseloadQuery plain;

      koers_caseload_query_init (&plain);
      koers_caseload_query_copy_without_search (&plain, query);
      if (koers_caseload_query_equal (&plain, base_query))
        job->base = g_array_ref (base);
      koers_caseload_query_clear (&plain);
    }
  return job;
}

void
koers_caseload_query_job_free (gpointer data)
{
  KoersCaseloadQueryJob *job = data;

  koers_caseload_query_clear (&job->query);
  g_clear_pointer (&job->base, g_array_unref);
  g_clear_pointer (&job->refresh, g_array_unref);
  g_free (job);
}

void
koers_caseload_query_result_free (gpointer data)
{
  KoersCaseloadQueryResult *result = data;

  if (result == NULL)
    return;
  g_clear_pointer (&result->rowids, g_array_unref);
  g_clear_pointer (&result->base, g_array_unref);
  g_clear_pointer (&result->refreshed_ids, g_array_unref);
  g_clear_pointer (&result->refreshed_rows, g_ptr_array_unref);
  koers_caseload_query_clear (&result->base_query);
  g_free (result);
}

/* The rowids of @base that are among @matches, in @base's order. Rowids are the participants'
 * INTEGER PRIMARY KEY, dense from 1, so a byte per rowid marks the matches. */
static GArray *
keep_matches (GArray *base,
              GArray *matches)
{
  GArray *kept = g_array_sized_new (FALSE, FALSE, sizeof (gint64), matches->len);
  g_autofree guint8 *marked = NULL;
  gint64 max = 0;

  for (guint i = 0; i < matches->len; i++)
    max = MAX (max, g_array_index (matches, gint64, i));
  if (matches->len == 0 || max <= 0)
    return kept;

  marked = g_malloc0 ((gsize) max + 1);
  for (guint i = 0; i < matches->len; i++)
    {
      gint64 rowid = g_array_index (matches, gint64, i);

      if (rowid > 0)
        marked[rowid] = 1;
    }
  for (guint i = 0; i < base->len; i++)
    {
      gint64 rowid = g_array_index (base, gint64, i);

      if (rowid > 0 && rowid <= max && marked[rowid])
        g_array_append_val (kept, rowid);
    }
  return kept;
}

/* The rows the model holds, read again after a change. A step of a first sync re-read up to
 * 512 of them: 12-45 ms of SQLite that ran on the UI thread (bench-sync-window). */
static gboolean
read_again (KoersDatabase            *db,
            KoersCaseloadQueryJob    *job,
            KoersCaseloadQueryResult *result,
            GError                  **error)
{
  if (job->refresh == NULL)
    return TRUE;
  result->refreshed_ids = g_array_ref (job->refresh);
  result->refreshed_rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint start = 0; start < job->refresh->len; start += 64)
    {
      guint n = MIN (64, job->refresh->len - start);
      g_autoptr(GPtrArray) loaded = NULL;

      loaded = koers_participant_repository_load_rows (db, &g_array_index (job->refresh, gint64,
                                                                            start), n, error);
      if (loaded == NULL)
        return FALSE;
      /* One row per rowid, a missing one with an empty id (koers-participant-repository.h). */
      g_return_val_if_fail (loaded->len == n, FALSE);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (result->refreshed_rows, g_object_ref (g_ptr_array_index (loaded, i)));
    }
  return TRUE;
}

gpointer
koers_caseload_query_job_run (KoersDatabase  *db,
                              gpointer        data,
                              GCancellable   *cancellable,
                              GError        **error)
{
  KoersCaseloadQueryJob *job = data;
  KoersCaseloadQueryResult *result = g_new0 (KoersCaseloadQueryResult, 1);
  g_autoptr(GArray) matches = NULL;

  koers_caseload_query_init (&result->base_query);
  koers_caseload_query_copy_without_search (&result->base_query, &job->query);

  /* A LIMIT and a count(*): a held model shows the count, and the first rows only while it
   * has none. */
  if (job->first_only > 0)
    {
      result->first_only = TRUE;
      result->rowids = koers_participant_repository_query_first_rowids (db, &job->query,
                                                                        job->first_only,
                                                                        &result->n_matches,
                                                                        error);
      if (result->rowids == NULL)
        goto failed;
      return result;
    }

  if (!has_search (&job->query))
    {
      result->rowids = koers_participant_repository_query_rowids (db, &job->query, error);
      if (result->rowids == NULL)
        goto failed;
      result->base = g_array_ref (result->rowids);
      result->n_matches = result->rowids->len;
      if (!read_again (db, job, result, error))
        goto failed;
      return result;
    }

  /* The first keystroke of a search reads the list without it once, like an empty search. */
  if (job->base != NULL)
    result->base = g_array_ref (job->base);
  else
    result->base = koers_participant_repository_query_rowids (db, &result->base_query, error);
  if (result->base == NULL)
    goto failed;
  matches = koers_participant_repository_search_rowids (db, job->query.search, error);
  if (matches == NULL)
    goto failed;
  result->rowids = keep_matches (result->base, matches);
  result->n_matches = result->rowids->len;
  if (!read_again (db, job, result, error))
    goto failed;
  return result;

failed:
  koers_caseload_query_result_free (result);
  return NULL;
}

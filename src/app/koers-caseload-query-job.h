/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-caseload-query-job.h: the worker-thread side of KoersCaseloadModel's queries.
 *
 * A query with a search runs as "the list without the search, kept by the model" intersected
 * with the search index's matches, in the list's order. At 100,000 participants the SQL way
 * (ORDER BY over the matches) walked the whole name index or read a participant row per match:
 * 40-130 ms a keystroke. The list without the search is the model's previous result for the same
 * filters and sort, so a keystroke costs one search-index read and a pass over an array.
 */
#pragma once

#include "app/koers-store.h"
#include "core/koers-caseload-query.h"

G_BEGIN_DECLS

typedef struct {
  KoersCaseloadQuery  query;
  GArray             *base;    /* (nullable): rowids of query without its search, in order */
  GArray             *refresh; /* (nullable): rowids whose rows the model holds and wants read
                                * again after a change (read here, not on the UI thread) */
  guint               first_only; /* > 0: only this many first rowids and the count of matches
                                   * (a held model, koers-caseload-model-fill.c) */
} KoersCaseloadQueryJob;

typedef struct {
  GArray             *rowids;     /* the result, in display order */
  GArray             *base;       /* rowids of base_query, for the next keystroke */
  KoersCaseloadQuery  base_query; /* the query without its search */
  GArray             *refreshed_ids;  /* (nullable): the job's refresh rowids ... */
  GPtrArray          *refreshed_rows; /* ... and their rows, read again (KoersCaseloadRow) */
  gboolean            first_only; /* rowids holds only the first rows; base is NULL */
  guint               n_matches;  /* how many rows match in all */
} KoersCaseloadQueryResult;

/* (transfer full): a job for @query; @base (nullable) is used when it belongs to @base_query
 * and @base_query is @query without its search. */
KoersCaseloadQueryJob *koers_caseload_query_job_new (const KoersCaseloadQuery *query,
                                                     GArray                   *base,
                                                     const KoersCaseloadQuery *base_query);
void                   koers_caseload_query_job_free (gpointer job);
void                   koers_caseload_query_result_free (gpointer result);

/* A KoersStoreJobFunc: returns (transfer full) a KoersCaseloadQueryResult. */
gpointer               koers_caseload_query_job_run (KoersDatabase *db, gpointer job,
                                                     GCancellable *cancellable, GError **error);

/* Copies @query into @dest (initialised) without its search. */
void                   koers_caseload_query_copy_without_search (KoersCaseloadQuery       *dest,
                                                                 const KoersCaseloadQuery *query);

G_END_DECLS

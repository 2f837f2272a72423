/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-participant-repository.h: SQL for the participant aggregate (participant, consent,
 * notes, activities, skills, status history). Every write validates first, then writes in
 * one transaction, stamps the sync metadata (UUID, updated-at/by, version 0 = not yet synced)
 * and leaves an audit event through koers-audit.h.
 */
#pragma once

#include "core/koers-participant.h"
#include "core/koers-caseload-query.h"
#include "storage/koers-activity-repository.h"
#include "storage/koers-database.h"
#include "storage/koers-note-repository.h"

G_BEGIN_DECLS

/* Inserts @participant (id made when empty, created/updated stamped, status history row for its
 * first status). Fails with KOERS_DATABASE_ERROR_INVALID naming the first invalid field. */
gboolean koers_participant_repository_insert (KoersDatabase *db, KoersParticipant *participant,
                                              const char *actor, GError **error);
/* The keys the caseload sorts and searches by (the name_key and search_key columns) of a
 * participant named @name (and @preferred_name, nullable), as every write stores them. */
void     koers_participant_repository_keys (const char *name, const char *preferred_name,
                                            char **out_name_key, char **out_search_key);
/* A batch of inserts in one transaction, for an import: the same rows, status history and search
 * index entries as koers_participant_repository_insert() per row, at a fraction of the cost (the
 * search index is filled once at the end; see the .c file). */
typedef struct _KoersParticipantBulk KoersParticipantBulk;

/* Begins a batch (a transaction, nested in the caller's if any). @audit_each: one CREATE audit
 * event per participant; FALSE when the caller records one event for the whole batch. */
KoersParticipantBulk *koers_participant_repository_bulk_begin (KoersDatabase *db,
                                                               gboolean audit_each,
                                                               GError **error);
/* Inserts one participant as koers_participant_repository_insert() does. @validated: the caller
 * has just run koers_participant_validate() on this object and found no problem, so only the
 * references (coach, organisation) are checked again. On failure the caller must free the
 * batch, which rolls it back. */
gboolean koers_participant_repository_bulk_insert (KoersParticipantBulk *bulk,
                                                   KoersParticipant *participant,
                                                   gboolean validated, const char *actor,
                                                   GError **error);
/* The same, for a batch of about @n_expected participants: one that at least doubles a table
 * rebuilds that table's secondary indexes once at the end instead of row by row.
 * @history_at_end: every participant's first status row is written by bulk_end, all at once;
 * only for a batch that records no other status change of its participants (the history is
 * read in the order it was written). */
KoersParticipantBulk *koers_participant_repository_bulk_begin_sized (KoersDatabase *db,
                                                                     gboolean audit_each,
                                                                     guint n_expected,
                                                                     gboolean history_at_end,
                                                                     GError **error);
/* The batch's participants get no search index entries at its end: they join the search
 * backlog (koers-search-backlog.h), for koers_search_backlog_index() to index with others. */
void        koers_participant_repository_bulk_defer_search (KoersParticipantBulk *bulk);
/* (transfer none): the timestamp every row of the batch is stamped with. */
const char *koers_participant_repository_bulk_get_now (KoersParticipantBulk *bulk);
/* Adds a note (revision and revision_of as given, so a thread imports whole) without an audit
 * event of its own: the batch's caller records one for the batch. The id is kept when set;
 * created_by is the note's when set (the writer of an imported note), else @actor. The
 * participant must exist. */
gboolean koers_participant_repository_bulk_add_note (KoersParticipantBulk *bulk,
                                                     KoersNote *note, const char *actor,
                                                     GError **error);
/* Adds an activity the caller validated, likewise (created by @actor, id kept when set). */
gboolean koers_participant_repository_bulk_add_activity (KoersParticipantBulk *bulk,
                                                         KoersActivity *activity,
                                                         const char *actor, GError **error);
/* While bulk_end builds the indexes and first statuses, a cancellation of @cancellable stops
 * the statement running (bulk_end then fails, rolled back); the commit is never stopped. */
void     koers_participant_repository_bulk_set_cancellable (KoersParticipantBulk *bulk,
                                                            GCancellable *cancellable);
/* Indexes the batch for search (or adds it to the backlog) and commits its transaction; rolls
 * back on failure. */
gboolean koers_participant_repository_bulk_end (KoersParticipantBulk *bulk, GError **error);
/* Frees the batch; one not ended is rolled back, with everything written in it. */
void     koers_participant_repository_bulk_free (KoersParticipantBulk *bulk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersParticipantBulk, koers_participant_repository_bulk_free)

/* Updates every field. A status change must be allowed by koers_status_check_transition()
 * (else KOERS_DATABASE_ERROR_INVALID with the reason) and is recorded in the history. */
gboolean koers_participant_repository_update (KoersDatabase *db, KoersParticipant *participant,
                                              const char *actor, GError **error);
/* The same, recording a status change as of @status_changed_on (ISO date; %NULL = today): a
 * coach often enters an intake that happened last week, and the KPIs count from that date. */
gboolean koers_participant_repository_update_full (KoersDatabase *db,
                                                   KoersParticipant *participant,
                                                   const char *status_changed_on,
                                                   const char *actor, GError **error);
/* Undoes the participant's most recent status change if the status is still
 * @expected_current: tombstones that history row and restores the status it came from (and the
 * outcome to unknown when the undone step was final). Refused with KOERS_DATABASE_ERROR_INVALID,
 * nothing changed, when the status moved on or only the registration is left. See the .c file. */
gboolean koers_participant_repository_undo_status_change (KoersDatabase *db,
                                                          const char *participant_id,
                                                          KoersStatus expected_current,
                                                          const char *actor, GError **error);
/* Reads one participant (tombstoned ones too, with "deleted" set) and audits the opening
 * with @purpose. Returns (transfer full) (nullable). */
KoersParticipant *koers_participant_repository_get (KoersDatabase *db, const char *id,
                                                    const char *actor, const char *purpose,
                                                    GError **error);
/* Re-reads a participant whose file this session already opened with _get() (and so audited),
 * e.g. to refresh the open page after a change. Not for a first read: that must be audited.
 * Returns (transfer full) (nullable). */
KoersParticipant *koers_participant_repository_reload (KoersDatabase *db, const char *id,
                                                       GError **error);
/* Tombstones (deleted = 1) or restores a participant; both audited. */
gboolean koers_participant_repository_set_deleted (KoersDatabase *db, const char *id,
                                                   gboolean deleted, const char *actor,
                                                   GError **error);

/* Likely duplicates of @candidate: same normalised name, birth year and municipality, not
 * deleted, other id. Returns (transfer full) (element-type KoersParticipant). */
GPtrArray *koers_participant_repository_find_duplicates (KoersDatabase *db,
                                                         KoersParticipant *candidate,
                                                         GError **error);

/**
 * koers_participant_repository_query_rowids:
 * Runs the caseload query (filters, folded search, sort) in SQL and returns the matching
 * participants' rowids in display order. It writes nothing: search-as-you-type would otherwise
 * write an audit row per keystroke, so the caller audits a search once the query settles
 * (koers_audit_record() with KOERS_AUDIT_ACTION_SEARCH).
 * Returns: (transfer full): a GArray of gint64.
 */
GArray *koers_participant_repository_query_rowids (KoersDatabase *db,
                                                   const KoersCaseloadQuery *query,
                                                   GError **error);

/**
 * koers_participant_repository_query_first_rowids:
 * @limit: how many rowids to return at most
 * @out_total: (out): how many participants match @query in all
 *
 * The first @limit rowids of koers_participant_repository_query_rowids() and the number of
 * matches, read by a LIMIT and a count(*) instead of every rowid: the caseload's first frame
 * needs a screenful and an honest count, not 100,000 rowids.
 * Returns: (transfer full): a GArray of gint64.
 */
GArray *koers_participant_repository_query_first_rowids (KoersDatabase *db,
                                                         const KoersCaseloadQuery *query,
                                                         guint limit, guint *out_total,
                                                         GError **error);

/**
 * koers_participant_repository_search_rowids:
 * The rowids whose folded name matches @search by the caseload search's rules (a word start
 * for one or two letters, any part of the name from three), straight from the search index:
 * unordered, unfiltered, tombstoned participants included. The caseload model orders and
 * filters them against a list it already has, so search-as-you-type at 100,000 participants
 * does not read a participant row per match.
 * Returns: (transfer full): a GArray of gint64.
 */
GArray *koers_participant_repository_search_rowids (KoersDatabase *db, const char *search,
                                                    GError **error);

/**
 * koers_participant_repository_load_rows:
 * Loads the caseload columns for @n_rowids rowids, one KoersCaseloadRow each in the same order
 * (a missing rowid gives a row with an empty id). Fast enough to run on the UI thread for a
 * page of rows: it reads by primary key only.
 * Returns: (transfer full) (element-type KoersCaseloadRow).
 */
GPtrArray *koers_participant_repository_load_rows (KoersDatabase *db, const gint64 *rowids,
                                                   guint n_rowids, GError **error);

G_END_DECLS

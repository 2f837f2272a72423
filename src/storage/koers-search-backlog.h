/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-search-backlog.h: participants written without their search index entries, to be
 * indexed later in one go.
 *
 * A first sync writes 100,000 participants in a few hundred transactions. Indexing each
 * transaction's rows for search (two FTS5 indexes) cost about a fifth of storing them: FTS5
 * writes a segment per statement and merges them as they pile up. Written all at once at the
 * end, the same entries cost half as much. Until then the rows are in the backlog: every
 * participant row whose seq is at least the backlog's first seq may lack its index entries,
 * every row below it has them. The searches read the backlog's rows by their key instead
 * (koers-participant-query.c), so a search during a first sync still finds what has arrived.
 *
 * Rows with and without entries live side by side for a while, and local edits can change or
 * delete either kind. The search triggers that remove a row's entries therefore only act when
 * the row has them (migration 11 guards them with the row's entry in the index's docsize
 * table): FTS5 corrupts an external-content index told to delete entries it never had.
 */
#pragma once

#include "storage/koers-database.h"

G_BEGIN_DECLS

/* Adds koers_word_prefix(key, word) to a connection: the searches' test of a backlog row. */
void     koers_search_backlog_add_functions (sqlite3 *handle);

/**
 * koers_search_backlog_migrate:
 *
 * Migration 11: the backlog table and the guarded update and delete triggers. Call inside the
 * migration's transaction.
 */
gboolean koers_search_backlog_migrate (KoersDatabase *db, GError **error);

/**
 * koers_search_backlog_extend:
 * @first_seq: the seq of the first row written without its index entries
 *
 * Adds the rows from @first_seq on to the backlog (a backlog that starts lower stays as it
 * is). Call in the transaction that writes those rows.
 */
gboolean koers_search_backlog_extend (KoersDatabase *db, gint64 first_seq, GError **error);

/**
 * koers_search_backlog_first_seq:
 * @out_first_seq: (out): the backlog's first seq, or 0 when there is no backlog
 *
 * Returns: %FALSE with @error when the database could not be read.
 */
gboolean koers_search_backlog_first_seq (KoersDatabase *db, gint64 *out_first_seq,
                                         GError **error);

/**
 * koers_search_backlog_index:
 *
 * Gives every backlog row its index entries, with one statement per index, and empties the
 * backlog; nothing to do without one. All or nothing (a transaction, nested in the caller's
 * when there is one).
 */
gboolean koers_search_backlog_index (KoersDatabase *db, GError **error);

G_END_DECLS

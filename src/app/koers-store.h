/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-store.h: the asynchronous facade over the database.
 *
 * KoersStore owns the writing connection on one worker thread (SQLite connections are never
 * shared across threads) and runs jobs there one at a time, so the window never blocks on disk.
 * After a job that writes succeeds it emits "changed" on the main thread with the name of what
 * changed ("participants", "notes", ...), and models requery.
 *
 * The caseload model reads a page of rows by primary key synchronously through
 * koers_store_get_reader(): a read-only WAL connection on the main thread, used only for
 * sub-millisecond indexed reads, because GListModel.get_item() must answer at once.
 *
 * Long reads over the whole caseload (the KPIs) go to koers_store_read_async(): a second worker
 * with a read-only connection of its own, so they never delay the caseload's queries and
 * writes queued on the first.
 */
#pragma once

#include <gio/gio.h>

#include "storage/koers-database.h"

G_BEGIN_DECLS

#define KOERS_TYPE_STORE (koers_store_get_type ())
G_DECLARE_FINAL_TYPE (KoersStore, koers_store, KOERS, STORE, GObject)

/* Runs on the worker thread with the writing connection. Returns (transfer full) a result
 * (NULL is a valid result when @error is unset). */
typedef gpointer (*KoersStoreJobFunc) (KoersDatabase *db,
                                       gpointer       data,
                                       GCancellable  *cancellable,
                                       GError       **error);

/**
 * koers_store_new:
 * @path: the database file (opened, checked and migrated before this returns)
 * @actor: who works in this session (audit events name them)
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set.
 */
KoersStore    *koers_store_new (const char *path, const char *actor, GError **error);
/**
 * koers_store_new_unchecked:
 * Like koers_store_new(), but leaves PRAGMA quick_check to koers_store_check_async(), so the
 * window can show the caseload while a large file is checked on another thread (the check
 * reads the whole file: about half a second at 100 MB).
 * Returns: (transfer full) (nullable)
 */
KoersStore    *koers_store_new_unchecked (const char *path, const char *actor, GError **error);
/* Runs PRAGMA quick_check on a connection of its own in another thread; finishes with
 * KOERS_DATABASE_ERROR_CORRUPT when the file is damaged. */
void           koers_store_check_async (KoersStore          *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean       koers_store_check_finish (KoersStore *self, GAsyncResult *result, GError **error);
const char    *koers_store_get_path (KoersStore *self);
const char    *koers_store_get_actor (KoersStore *self);
/* (transfer none): the main-thread read-only connection, for page reads only. */
KoersDatabase *koers_store_get_reader (KoersStore *self);

/**
 * koers_store_run_async:
 * @changes: (nullable): when not %NULL the job writes, and "changed" is emitted with this
 *   detail after it succeeds
 * @result_destroy: frees the result when nobody finishes the task
 */
void     koers_store_run_async (KoersStore          *self,
                                KoersStoreJobFunc    func,
                                gpointer             data,
                                GDestroyNotify       data_destroy,
                                GDestroyNotify       result_destroy,
                                const char          *changes,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
gpointer koers_store_run_finish (KoersStore *self, GAsyncResult *result, GError **error);

/**
 * koers_store_read_async:
 * Runs @func on the aggregate-read worker, with a read-only connection (opened on the first
 * call) that sees every write committed before the call. For reads that take long and write
 * nothing; they run one at a time, beside the jobs of koers_store_run_async(), never before or
 * after them. Finish with koers_store_read_finish().
 */
void     koers_store_read_async (KoersStore          *self,
                                 KoersStoreJobFunc    func,
                                 gpointer             data,
                                 GDestroyNotify       data_destroy,
                                 GDestroyNotify       result_destroy,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
gpointer koers_store_read_finish (KoersStore *self, GAsyncResult *result, GError **error);

/* Tests only: while @hold is TRUE, aggregate reads wait before they start (deterministically
 * "slow"); FALSE lets them go. koers_store_close() lets them go too. */
void     koers_store_hold_aggregates_for_testing (KoersStore *self, gboolean hold);

/**
 * koers_store_close:
 * Finishes the queued jobs and closes every connection, the writing one last, so SQLite
 * checkpoints and removes the write-ahead log; a running integrity check is interrupted. No
 * job may be started afterwards. Also done when the store is finalized; the application calls
 * it at shutdown, whoever still holds the store.
 */
void     koers_store_close (KoersStore *self);

/* Runs a job on the worker and waits for it: for the CLI and for tests only, never the UI. */
gpointer koers_store_run_sync (KoersStore *self, KoersStoreJobFunc func, gpointer data,
                               const char *changes, GError **error);

/* Emits "changed" for @what (main thread). Used after runs and by tests. */
void     koers_store_emit_changed (KoersStore *self, const char *what);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-schema.h: the client's sync tables (docs/sync-client.md, "Local tables") and the
 * change-capture triggers generated from the entity declaration (src/core/koers-sync-entities.c).
 *
 * The tables: sync_state (key/value: cursor, epoch, initial sync flag, device numbers, clock
 * offset), sync_shadow (the last server state of every record, the whole object as received),
 * sync_outbox (local changes waiting for the server, `seq` never reused), sync_quarantine
 * (changes the server refused or that lost their record, each with a reason) and
 * sync_apply_guard (holds a row only inside a pull's transaction: the triggers stay silent
 * while working rows are rebuilt from the shadow).
 *
 * Capture is on only after koers_sync_schema_set_capture (TRUE): a database that never signed
 * in to a server queues nothing (an import of 100,000 rows must not fill an outbox nobody
 * sends), and a coach who signs in later decides what goes up (koers_sync_schema_enqueue_all).
 */
#pragma once

#include "storage/koers-database.h"

G_BEGIN_DECLS

/* Keys of sync_state. */
#define KOERS_SYNC_STATE_CURSOR            "cursor"
#define KOERS_SYNC_STATE_EPOCH             "epoch"
#define KOERS_SYNC_STATE_INITIAL_PULL      "initial_pull_active"
#define KOERS_SYNC_STATE_INITIAL_COMPLETE  "initial_sync_complete"
#define KOERS_SYNC_STATE_LAST_SYNC         "last_sync"
#define KOERS_SYNC_STATE_CLOCK_OFFSET      "server_clock_offset"
#define KOERS_SYNC_STATE_DEVICE_NUMBER     "last_device_number"
#define KOERS_SYNC_STATE_CAPTURE           "capture"
#define KOERS_SYNC_STATE_SERVER_URL        "server_url"
/* The participant table's secondary indexes while a first sync defers them (a JSON list of
 * their CREATE INDEX statements; see koers-sync-apply.c). */
#define KOERS_SYNC_STATE_DEFERRED_INDEXES  "deferred_indexes"
/* After a 410 from a restored server: the last volgnummer the kept shadow versions share with
 * the restored server's (its gedeeldTot; see koers-sync-recover.c). */
#define KOERS_SYNC_STATE_REPULL_SHARED     "repull_shared_until"

/**
 * koers_sync_schema_get_sql:
 *
 * The whole schema as one SQL text (tables, indexes, generated triggers, and the notes'
 * append-only triggers recreated so a pull may remove a note that left the caseload). Meant
 * for the lead to register as the next migration step; it drops and recreates every trigger
 * it owns, so running it twice is harmless.
 *
 * Returns: (transfer full): the SQL.
 */
char     *koers_sync_schema_get_sql (void);

/**
 * koers_sync_schema_install:
 * @db: a migrated Koers database
 *
 * Creates or refreshes the sync tables and triggers in one transaction. Idempotent: the
 * tables are kept (with their rows), the triggers are regenerated from the declaration.
 *
 * Returns: %FALSE with @error set when any statement failed (nothing changed).
 */
gboolean  koers_sync_schema_install (KoersDatabase *db, GError **error);

/* Schema 9: sync_shadow from a WITHOUT ROWID table to a rowid table with a unique (entity, id)
 * index, rows kept; does nothing to a table that has the new layout. Call in a transaction. */
gboolean  koers_sync_schema_upgrade_shadow (KoersDatabase *db, GError **error);

/* Turns change capture on or off (sync_state "capture"). */
gboolean  koers_sync_schema_set_capture (KoersDatabase *db, gboolean enabled, GError **error);

/**
 * koers_sync_schema_enqueue_all:
 * @out_n: (out) (optional): how many records were queued
 *
 * Queues an `aanmaken` for every working row that the server has never seen (no shadow row,
 * no pending outbox row): the "push my local data" step after the first sign-in. One
 * transaction.
 */
gboolean  koers_sync_schema_enqueue_all (KoersDatabase *db, guint *out_n, GError **error);

/**
 * koers_sync_schema_enqueue_lost:
 * @out_n: (out) (optional): how many records were queued
 *
 * After a full pull that a 410 started (a server restored from an older backup): queues an
 * `aanmaken` (and a `verwijderen` for a tombstone) for every record this device held from the
 * server before the 410 that the server no longer has, with the working row's values, so the
 * devices give back what the restored server lost. Does nothing unless a 410 reset listed
 * records (koers_sync_reset_for_full_pull); clears the list. One transaction.
 */
gboolean  koers_sync_schema_enqueue_lost (KoersDatabase *db, guint *out_n, GError **error);

/* sync_state access. (transfer full) (nullable) value; NULL when unset. */
char     *koers_sync_state_get (KoersDatabase *db, const char *key, GError **error);
gboolean  koers_sync_state_set (KoersDatabase *db, const char *key, const char *value,
                                GError **error);
gint64    koers_sync_state_get_int (KoersDatabase *db, const char *key, gint64 fallback);

/* Rows waiting in the outbox (-1 on a database error). */
gint64    koers_sync_schema_count_pending (KoersDatabase *db);
gint64    koers_sync_schema_count_quarantined (KoersDatabase *db);

G_END_DECLS

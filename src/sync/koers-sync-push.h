/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-push.h: the outbox side of POST /v1/mutaties (docs/api-protocol.md, "Push"),
 * as database steps the client runs between requests. Each step is one small transaction.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "storage/koers-database.h"

G_BEGIN_DECLS

/* The server takes at most this many mutations per request. */
#define KOERS_SYNC_PUSH_BATCH 100
/* ... and a body of at most 1 MiB (413 above it, KOERS_SERVER_BODY_LIMIT). A batch stops
 * before its mutations' stored fields pass this, which leaves room for what the request adds
 * around them: 100 notes of 10,000 characters in Arabic script are about 2 MB. */
#define KOERS_SYNC_PUSH_MAX_BYTES (768 * 1024)

typedef struct {
  guint n_sent;         /* results processed (applied, conflict or refused) */
  guint n_conflicts;    /* results with status "conflict" */
  guint n_quarantined;  /* results with status "afgewezen" */
  guint n_replayed;     /* results marked "herhaald" (a resend of a processed mutation) */
} KoersSyncPushStats;

/* Gives every unnumbered outbox row, in order, the next device number and a mutation id;
 * numbers are kept for every resend. Compacts the unnumbered rows first
 * (koers_sync_outbox_compact). One transaction. */
gboolean  koers_sync_push_number (KoersDatabase *db, GError **error);
/* Inside an open transaction: removes or merges unnumbered outbox rows that cancel out on
 * this device (koers-sync-compact.c). */
gboolean  koers_sync_outbox_compact (KoersDatabase *db, GError **error);

/**
 * koers_sync_push_next_batch:
 * @max: at most this many rows (1..100)
 * @out_n: (out): rows in the batch
 *
 * The oldest numbered rows, as many as fit in KOERS_SYNC_PUSH_MAX_BYTES (the first always
 * goes: one mutation is far smaller than the limit, a field holding at most 10,000
 * characters).
 *
 * Returns: (transfer full) (nullable): the request body {"mutaties": [...]}, or %NULL with
 * *@out_n 0 when nothing is waiting (no error set).
 */
JsonNode *koers_sync_push_next_batch (KoersDatabase *db, guint max, guint *out_n,
                                      GError **error);

/**
 * koers_sync_push_apply_results:
 * @batch: the request body that was sent
 * @response: the parsed 200 body
 *
 * Checks that the answer matches the batch (same mutations, in order, known statuses), then in
 * one transaction: applied and conflict rows leave the outbox, refused rows move to quarantine
 * with the server's reason, and the working rows of records with a conflict or a refusal are
 * rebuilt from the shadow (the server kept its value; the client's value is in the conflict or
 * the quarantine). Stats are added to @stats.
 */
gboolean  koers_sync_push_apply_results (KoersDatabase *db, JsonNode *batch, JsonNode *response,
                                         KoersSyncPushStats *stats, GError **error);

/* After a 409 (device-number gap): renumbers every pending row, in order, from @expected. */
gboolean  koers_sync_push_renumber (KoersDatabase *db, gint64 expected, GError **error);

/* After a 410 on pull (another server epoch): forgets the cursor and the shadow so the next
 * pull starts from 0; the outbox is kept, and the records the shadow held are listed for
 * koers_sync_schema_enqueue_lost() at the end of that pull. @shared_until: the 410's
 * gedeeldTot (the last volgnummer the old and the new epoch share), -1 without one. One
 * transaction. */
gboolean  koers_sync_reset_for_full_pull (KoersDatabase *db, gint64 shared_until,
                                          GError **error);

G_END_DECLS

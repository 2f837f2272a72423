/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-apply.h: one page of GET /v1/wijzigingen into the local database, in one
 * transaction (docs/sync-client.md, "Applying a pull page").
 */
#pragma once

#include "core/koers-json-doc.h"

#include "storage/koers-database.h"

G_BEGIN_DECLS

typedef struct {
  guint    n_records;    /* records stored (shadow, and working row where there is a table) */
  guint    n_removed;    /* records that left the caller's scope (buitenBereik) */
  guint    n_erased;     /* records erased on the server (gewist) */
  guint    n_skipped;    /* items older than what the shadow already holds */
  gboolean more;         /* meerBeschikbaar */
  char    *server_time;  /* serverTijd, (nullable) */
} KoersSyncApplyResult;

void     koers_sync_apply_result_clear (KoersSyncApplyResult *result);

/* What koers_sync_apply_check() found in a page. */
typedef struct {
  KoersJsonRef items;          /* the wijzigingen list */
  guint        n_participants;
  gboolean     distinct;       /* no record twice (an untrusted answer might send one twice) */
} KoersSyncPageCheck;

/**
 * koers_sync_apply_page:
 * @db: a database with the sync schema installed
 * @page: the body of a 200 answer of /v1/wijzigingen as koers_sync_json_parse_page() read it,
 *   asked with the cursor held in sync_state (none: from 0)
 * @out_result: (out caller-allocates) (optional): what happened
 *
 * Checks the whole page first (shape, types, every declared field with
 * koers_sync_field_check_value); a page with any record this client cannot store is refused with
 * KOERS_SYNC_ERROR_REFUSED naming the entity, record and field, and nothing changes. Then, in
 * one transaction: shadow rows, working rows rebuilt as shadow + pending outbox rows (capture
 * silenced by the apply guard), records out of scope removed (their unsent changes to
 * quarantine), erased records emptied, the cursor and epoch advanced, and
 * initial_sync_complete set when a pull that started from 0 reaches the end.
 */
gboolean koers_sync_apply_page (KoersDatabase        *db,
                                KoersJsonDoc         *page,
                                KoersSyncApplyResult *out_result,
                                GError              **error);
gboolean koers_sync_apply_check (KoersJsonDoc         *page,
                                 KoersSyncPageCheck   *out_check,
                                 GError              **error);
gboolean koers_sync_apply_checked (KoersDatabase            *db,
                                   KoersJsonDoc             *page,
                                   const KoersSyncPageCheck *check,
                                   KoersSyncApplyResult     *out_result,
                                   GError                  **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-conflicts.h: resolving a field conflict the server recorded (the `conflicten`
 * records in sync_shadow). The resolution is itself a mutation (`oplossen`) that goes up with
 * the next push; the chosen value reaches every device through the feed.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "storage/koers-database.h"

G_BEGIN_DECLS

/**
 * koers_sync_resolve_conflict:
 * @conflict_id: a `conflicten` record this device holds
 * @choice: "mijn" (the value that lost), "hun" (the server's) or "bewerkt" (@value)
 * @value: (nullable): the edited value, for "bewerkt" only
 *
 * Queues the `oplossen` mutation in one transaction. Fails with KOERS_DATABASE_ERROR_INVALID
 * for an unknown choice, an edited value with another choice, or an edited value the field's
 * check (koers_sync_field_check) refuses; KOERS_DATABASE_ERROR_NOT_FOUND for an unknown
 * conflict. Nothing is queued on failure. The Conflicts page goes through
 * koers_sync_review_resolve(), which parses what the user typed and says why in their words.
 */
gboolean koers_sync_resolve_conflict (KoersDatabase *db,
                                      const char    *conflict_id,
                                      const char    *choice,
                                      JsonNode      *value,
                                      GError       **error);

G_END_DECLS

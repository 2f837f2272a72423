/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-staff.h: the organisation's staff (GET /v1/medewerkers) into the local `coach`
 * table, so a participant's coach shows by name instead of the placeholder ("Coach 1a2b3c4d")
 * a pull makes for a coach this device has not seen yet.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "storage/koers-database.h"

G_BEGIN_DECLS

/* The path the sync run fetches after a pull. */
#define KOERS_SYNC_STAFF_PATH "/v1/medewerkers"

/* sync_state keys: who is signed in (from GET /v1/profiel), so a coach's new participants
 * get their own server id as coachId (the server refuses anything else from a coach), and
 * whether the staff list was ever applied. */
#define KOERS_SYNC_STATE_USER_ID      "user_id"
/* This device's id on the server (set at sign-in): a conflict between two devices of one user
 * is told apart by it. */
#define KOERS_SYNC_STATE_DEVICE_ID    "device_id"
#define KOERS_SYNC_STATE_USER_ROLE    "user_role"
#define KOERS_SYNC_STATE_STAFF_SYNCED "staff_synced"

/**
 * koers_sync_staff_apply:
 * @db: the local database
 * @answer: the parsed answer of GET /v1/medewerkers
 *
 * Checks the whole answer first (an object with `items`: each a lowercase UUID `id`, a
 * single-line `naam` of 1-200 characters, a known `rol`, a boolean `actief`); one bad item
 * refuses the answer with KOERS_SYNC_ERROR_RESPONSE naming it and changes nothing. Then, in one
 * transaction, adds every user as a coach row or renames the existing one (placeholders
 * included). Rows are never removed: participants may still point at a user who left.
 *
 * Returns: %TRUE on success
 */
gboolean koers_sync_staff_apply (KoersDatabase *db,
                                 JsonNode      *answer,
                                 GError       **error);

/**
 * koers_sync_staff_set_self:
 * @db: the local database
 * @user_id: the signed-in user's id (a lowercase UUID)
 * @name: their display name (single line, 1-200 characters)
 * @role: "coach", "ondersteuner" or "programmamanager"
 *
 * Records who is signed in (sync_state user_id and user_role) and makes sure they exist as a
 * coach row by name, in one transaction. Refuses what koers_sync_staff_apply() would refuse.
 *
 * Returns: %TRUE on success
 */
gboolean koers_sync_staff_set_self (KoersDatabase *db,
                                    const char    *user_id,
                                    const char    *name,
                                    const char    *role,
                                    GError       **error);

/* The staff list is fetched again after this long (renames reach the laptop within it). */
#define KOERS_SYNC_STAFF_MAX_AGE_S (60 * 60)

/* TRUE when the staff list should be fetched: never fetched, older than
 * KOERS_SYNC_STAFF_MAX_AGE_S, or a placeholder coach waits for its name. */
gboolean koers_sync_staff_is_due (KoersDatabase *db);

/* (transfer full) (nullable): the coach id a new participant gets by default: the
 * signed-in user's when they are a coach, else %NULL. */
char    *koers_sync_staff_dup_default_coach (KoersDatabase *db);

G_END_DECLS

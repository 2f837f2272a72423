/* SPDX-License-Identifier: GPL-3.0-or-later */
/* storage-test-util.h: fixtures the storage tests share. */
#pragma once

#include "core/koers-participant.h"
#include "storage/koers-database.h"

G_BEGIN_DECLS

#define TEST_ACTOR "coach@test"

/* Returns (transfer full): a migrated database in a fresh temporary file; *out_path set when
 * not NULL. */
KoersDatabase    *storage_test_open (char **out_path);
/* Returns (transfer full): a valid participant (not stored). */
KoersParticipant *storage_test_participant (const char *name);
/* Returns (transfer full): the id of a stored participant named @name. */
char             *storage_test_insert_participant (KoersDatabase *db, const char *name);
/* Returns (transfer full): the id of a stored coach named @name. */
char             *storage_test_insert_coach (KoersDatabase *db, const char *name);
/* The integer a one-value query returns. */
gint64            storage_test_query_int (KoersDatabase *db, const char *sql);

G_END_DECLS

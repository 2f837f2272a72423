/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The server schema. The common part is the same SQL for SQLite and PostgreSQL; each back end
 * adds what only it has (PostgreSQL: row-level security policies on the organisation) and
 * records the version in meta ('schema_version') and the epoch ('epoch').
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KOERS_SERVER_SCHEMA_VERSION 9

/* PostgreSQL, since version 8: the numbers of the audit lists that name the participant in
 * parameter $2, through the GIN index of audit_participant_index. That table has no
 * row-level security (a policy would keep @> from the index), so its list numbers are only
 * ever joined to audit_participant_lists, which has. The audit list asks it this way, and the
 * tests check this text's plan. */
#define KOERS_SERVER_PG_LISTS_NAMING \
  "SELECT list_id FROM audit_participant_index " \
  "WHERE participant_ids @> ARRAY[CAST($2 AS uuid)]"

/* The first schema's tables, the same SQL for both back ends. */
const char *koers_server_schema_common_v1 (void);
/* What takes a database from @version - 1 to @version on one back end (for 1: what that back
 * end adds to the common first schema), run in the schema's transaction. A new database runs
 * every step, so it is the same as one migrated from any earlier version. */
const char *koers_server_schema_step (guint version, gboolean postgresql);

G_END_DECLS

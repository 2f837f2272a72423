/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The server schema. The common part is the same SQL for SQLite and PostgreSQL; each back end
 * adds what only it has (PostgreSQL: row-level security policies on the organisation) and
 * records the version in meta ('schema_version') and the epoch ('epoch').
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KOERS_SERVER_SCHEMA_VERSION 8

/* The first schema's tables, the same SQL for both back ends. */
const char *koers_server_schema_common_v1 (void);
/* What takes a database from @version - 1 to @version on one back end (for 1: what that back
 * end adds to the common first schema), run in the schema's transaction. A new database runs
 * every step, so it is the same as one migrated from any earlier version. */
const char *koers_server_schema_step (guint version, gboolean postgresql);

G_END_DECLS

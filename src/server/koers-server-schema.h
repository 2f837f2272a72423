/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The server schema. The common part is the same SQL for SQLite and PostgreSQL; each back end
 * adds what only it has (PostgreSQL: row-level security policies on the organisation) and
 * records the version in meta ('schema_version') and the epoch ('epoch').
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KOERS_SERVER_SCHEMA_VERSION 1

const char *koers_server_schema_common_v1 (void);
/* What only one back end has, run after the common part in the same transaction. */
const char *koers_server_schema_postgresql_v1 (void);
const char *koers_server_schema_sqlite_v1 (void);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What test-server-db.c and test-server-db-connections.c share: two organisation ids and
 * statements that fail the test when the storage interface refuses them.
 */
#pragma once

#include "server/koers-server-db.h"

G_BEGIN_DECLS

#define ORG_A "0f6c1e0a-0000-4000-8000-00000000000a"
#define ORG_B "0f6c1e0a-0000-4000-8000-00000000000b"

static inline void
exec_ok (KoersServerDb *db, const char *sql, const KoersSqlValue *params, guint n_params)
{
  g_autoptr(GError) error = NULL;

  koers_server_db_exec (db, sql, params, n_params, NULL, &error);
  g_assert_no_error (error);
}

static inline gint64
query_int (KoersServerDb *db, const char *sql, const KoersSqlValue *params, guint n_params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = koers_server_db_query (db, sql, params, n_params, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (koers_sql_rows_get_n_rows (rows), ==, 1);
  return koers_sql_rows_get_int (rows, 0, 0);
}

static inline void
add_organisation (KoersServerDb *db, const char *id)
{
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (id), KOERS_SQL_TEXT_VALUE ("Gemeente"),
    KOERS_SQL_TEXT_VALUE ("2026-11-28T09:00:00Z"),
  };

  exec_ok (db, "INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)",
           params, G_N_ELEMENTS (params));
}

static inline KoersServerDb *
open_ok (const char *location)
{
  g_autoptr(GError) error = NULL;
  KoersServerDb *db = koers_server_db_open (location, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

G_END_DECLS

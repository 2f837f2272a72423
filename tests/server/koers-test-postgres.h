/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Test harness for koers-server's two storage back ends.
 *
 * PostgreSQL: the first use in a test process makes a throwaway cluster (initdb into a
 * temporary directory, postgres on a free 127.0.0.1 port, fsync off) and a login role that is
 * neither superuser nor BYPASSRLS, so row-level security really applies. Each location is a new
 * schema in a test database (the URI sets search_path), so tests never see each other's rows;
 * koers_test_postgres_new_database() makes a whole new database (CREATE DATABASE, about 0.4 s)
 * when a test needs one. When the process exits, or
 * dies on a failed assertion, the cluster stops and its directory is removed (a watchdog shell
 * waits on a pipe only this process holds). Run as root, initdb and postgres run as "nobody"
 * through setpriv, since PostgreSQL refuses to run as root.
 *
 * KOERS_TEST_POSTGRES_URI (e.g. "postgresql://koers:secret@127.0.0.1:5432/postgres") reuses a
 * running server instead: its role must be able to CREATE DATABASE; the databases the tests
 * made are dropped at exit.
 *
 * Running one body on both back ends:
 *
 *   static void
 *   test_roundtrip (KoersServerDbBackend backend)
 *   {
 *     g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
 *     ...
 *   }
 *
 *   koers_test_server_db_add ("/server-db/roundtrip", test_roundtrip);
 *
 * registers "/server-db/roundtrip/sqlite" and "/server-db/roundtrip/postgresql". When
 * PostgreSQL cannot start (binaries missing, initdb failing), the PostgreSQL cases fail with
 * the reason; they are never skipped, since the issue requires both back ends to pass.
 */
#pragma once

#include <glib.h>

#include "server/koers-server-db.h"

G_BEGIN_DECLS

/* Starts the cluster if it is not running yet and returns (transfer full) the URI of a new,
 * empty database in it, owned by the test role. NULL and @error when PostgreSQL cannot start;
 * the message says what is missing. */
char *koers_test_postgres_start (GError **error);
/* Stops the cluster and removes its directory (also registered with atexit()). */
void  koers_test_postgres_stop  (void);
/* (transfer full) the URI of one more new database; starts the cluster when needed. */
char *koers_test_postgres_new_database (GError **error);

/* (transfer full) the URI of a new, empty schema in the cluster's test database (the URI sets
 * search_path to it): what koers_test_server_db_location() hands out. */
char *koers_test_postgres_new_schema (GError **error);
/* (transfer full) the URI of database @database of the test cluster as its superuser (over the
 * cluster's private socket), to show that koers-server refuses one; NULL when the tests use
 * KOERS_TEST_POSTGRES_URI or the cluster has not started. */
char *koers_test_postgres_superuser_uri (const char *database);

/* (transfer full) a fresh, empty location for @backend: for SQLite a file path in a temporary
 * directory removed after the current test, for PostgreSQL a URI of a new schema. Fails the
 * test with the reason when the back end is not available. */
char          *koers_test_server_db_location (KoersServerDbBackend backend);
/* Opens (and so creates the schema in) a fresh location for @backend, asserting success.
 * @out_location (nullable, transfer full) gets the location, to open it a second time. */
KoersServerDb *koers_test_server_db_open     (KoersServerDbBackend backend,
                                              char               **out_location);
/* (transfer full) one fresh location per back end: SQLite first, then PostgreSQL. */
GStrv          koers_test_server_db_backends (void);

typedef void (*KoersTestServerDbFunc) (KoersServerDbBackend backend);

/* Registers @func as "@path/sqlite" and "@path/postgresql". */
void           koers_test_server_db_add      (const char           *path,
                                              KoersTestServerDbFunc func);
/* "sqlite" or "postgresql". */
const char    *koers_test_server_db_backend_name (KoersServerDbBackend backend);

G_END_DECLS

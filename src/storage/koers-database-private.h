/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-database-private.h: helpers the repositories share; not for use outside src/storage. */
#pragma once

#include "storage/koers-database.h"

G_BEGIN_DECLS

/* Sets @error from SQLite result @rc (CONSTRAINT, CORRUPT, OPEN or SQL), prefixed by @context. */
void koers_database_set_error (KoersDatabase *self, int rc, GError **error, const char *context);

/* Mode of every file that holds the caseload (database, its -wal/-shm, backups): personal
 * data, so owner only. SQLite gives -wal and -shm the mode of their database file. */
#define KOERS_DATABASE_FILE_MODE 0600

/* Creates @path as an empty file with KOERS_DATABASE_FILE_MODE, so an SQLite file written into
 * it (a new database, VACUUM INTO) is never readable by others, not even for a moment. Fails
 * with KOERS_DATABASE_ERROR_OPEN when it exists already or cannot be created. */
gboolean koers_database_create_private_file (const char *path, GError **error);

G_END_DECLS

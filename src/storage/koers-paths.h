/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-paths.h: where the database and its backups live. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns (transfer full): $KOERS_DATABASE when set, else <user data dir>/koers/koers.db. */
char *koers_paths_default_database (void);
/* Returns (transfer full): "<directory of @db_path>/backups". */
char *koers_paths_backup_dir (const char *db_path);
/* Removes the SQLite database at @path with its write-ahead log and shared-memory file, those
 * that exist; a file that cannot be removed is left. */
void  koers_paths_remove_database (const char *path);
/* TRUE when @path is a file of 0 bytes, which SQLite opens as a new, empty database (and
 * deletes a write-ahead log beside it); koers_backup_database_is_emptied() tells whether it
 * was a caseload. */
gboolean koers_paths_database_is_empty (const char *path);
/* TRUE when the write-ahead log beside the database @path holds anything. */
gboolean koers_paths_database_has_log (const char *path);

G_END_DECLS

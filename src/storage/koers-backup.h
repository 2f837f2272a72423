/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-backup.h: daily backups with VACUUM INTO (RELIABILITY.md, "Storage"): one file a day,
 * "koers-YYYY-MM-DD.db", each checked with quick_check before it counts, the 7 newest kept; and
 * the way back when the live file is damaged.
 */
#pragma once

#include "storage/koers-database.h"

G_BEGIN_DECLS

#define KOERS_BACKUP_KEEP 7

/**
 * koers_backup_run:
 * @backup_dir: created when missing
 * @today_iso: the day the backup is named after
 *
 * Writes today's backup (a consistent snapshot, even while @db is in use), checks it, and
 * removes all but the KOERS_BACKUP_KEEP newest. When today's backup already exists it is left as
 * it is (running twice a day is harmless).
 *
 * Returns: (transfer full) (nullable): the backup's path, or %NULL with @error set (a backup that
 * fails its check is deleted: KOERS_DATABASE_ERROR_CORRUPT).
 */
char      *koers_backup_run (KoersDatabase *db, const char *backup_dir, const char *today_iso,
                             GError **error);
/* TRUE when @backup_dir holds no backup of @today_iso yet. */
gboolean   koers_backup_is_due (const char *backup_dir, const char *today_iso);
/* Returns (transfer full) (element-type filename): the backups in @backup_dir, newest first. */
GPtrArray *koers_backup_list (const char *backup_dir);
/* TRUE when @db_path is a file of 0 bytes with backups or a write-ahead log holding anything
 * beside it: a caseload something emptied (a copy or sync tool, a full disk). That is damage:
 * opened, SQLite would make it a new, empty database and delete the log. A 0-byte file with
 * neither is a database nobody has written yet. */
gboolean   koers_backup_database_is_emptied (const char *db_path);
/* TRUE when @path is an SQLite file that passes quick_check and holds a Koers schema
 * (user_version above 0: a file of 0 bytes passes quick_check too). */
gboolean   koers_backup_check_file (const char *path, GError **error);

/**
 * koers_backup_restore_latest_good:
 * @db_path: the live (damaged) database; must not be open
 * @out_restored_from: (out) (optional) (transfer full): the backup used
 *
 * Moves the damaged file (and its -wal) aside as "<db_path>.corrupt-<timestamp>" and copies the
 * newest backup that passes quick_check into its place. Fails with
 * KOERS_DATABASE_ERROR_NOT_FOUND, changing nothing, when there is no good backup.
 */
gboolean   koers_backup_restore_latest_good (const char *db_path, const char *backup_dir,
                                             char **out_restored_from, GError **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared test helpers: temporary directories and databases that clean up after themselves. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns (transfer full): a new empty temporary directory, removed with its contents at the end
 * of the current test (g_test_queue_destroy). */
char *koers_test_make_temp_dir (void);
/* Returns (transfer full): a path for a database file in a fresh temporary directory. */
char *koers_test_make_temp_db_path (void);
/* Returns (transfer full): what the sqlite3 shell prints for @sql on @path, run as another
 * process (as koers-cli or an administrator would open the database beside a running Koers);
 * NULL, with the test marked skipped, when the shell is not installed (Debian: sqlite3). */
char *koers_test_sqlite_shell (const char *path, const char *sql);

G_END_DECLS

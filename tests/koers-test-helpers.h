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

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the CLI and bulk-data tests. */
#pragma once

#include "storage/koers-database.h"

G_BEGIN_DECLS

/* Returns (transfer full): SHA-256 over every ordinary table, every row and every column, in a
 * fixed order. Virtual tables are skipped only because their content lives in their shadow
 * tables, which count. Equal checksums mean equal database content: "nothing changed". */
char *koers_test_content_checksum (KoersDatabase *db);

/* The first column of the one row @sql returns, as an integer (asserts there is a row). */
gint64 koers_test_query_int (KoersDatabase *db, const char *sql);

/* (transfer full) A new migrated database in a temporary directory. */
KoersDatabase *koers_test_open_temp_db (void);

/* (transfer full) @contents written as @name in a new temporary directory. */
GFile *koers_test_write_csv (const char *name, const char *contents);

/* (transfer full) A participant CSV of @n valid rows, each with a note ("notitie N"):
 * "Persoon;Nummer N;19xx;Winterswijk;statushouder;notitie N". */
char *koers_test_participant_rows_csv (guint n);

G_END_DECLS

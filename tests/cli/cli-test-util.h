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

G_END_DECLS

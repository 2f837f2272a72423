/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-table-indexes.h: dropping a table's secondary indexes for a large write and making
 * them again afterwards. CREATE INDEX sorts the table once; a row-by-row insert walks every
 * index at a random place, which for the participant table (nine indexes) is most of what a
 * large insert costs. Used by the import's bulk batch (one transaction) and by a first sync
 * (many transactions: the statements are kept in sync_state between them).
 */
#pragma once

#include "storage/koers-database.h"

G_BEGIN_DECLS

/**
 * koers_table_indexes_drop:
 * @table: a table name
 * @out_sql: the CREATE INDEX statement of each dropped index is appended here
 *
 * Drops @table's plain secondary indexes: named, written in the schema, not UNIQUE (a unique
 * index is a constraint and stays). Call inside a transaction.
 */
gboolean koers_table_indexes_drop (KoersDatabase *db, const char *table, GPtrArray *out_sql,
                                   GError **error);

/**
 * koers_table_indexes_create:
 * @sql: CREATE INDEX statements as koers_table_indexes_drop() gave them
 *
 * Creates each index again; one whose name exists already (made meanwhile, e.g. by a
 * migration) is left as it is.
 */
gboolean koers_table_indexes_create (KoersDatabase *db, const char *const *sql, guint n_sql,
                                     GError **error);

G_END_DECLS

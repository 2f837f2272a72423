/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "storage/koers-database.h"

gboolean
koers_database_query_int64 (KoersDatabase *self, const char *sql, gint64 *out_value,
                            GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  g_return_val_if_fail (KOERS_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (sql != NULL && out_value != NULL, FALSE);

  *out_value = 0;
  stmt = koers_database_prepare (self, sql, error);
  if (stmt == NULL || !koers_database_step (self, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    *out_value = koers_column_int64 (stmt, 0);
  /* A statement left at its row would pin a read snapshot. */
  sqlite3_reset (stmt);
  return TRUE;
}

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

/* SQLite's progress handler: non-zero stops the running statement with SQLITE_INTERRUPT. */
static int
cancelled_progress (void *cancellable)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (cancellable));
}

/**
 * koers_database_set_cancellable:
 * @cancellable: (nullable) (transfer none): %NULL to stop watching one
 *
 * Until this is called again with %NULL, a statement on this connection that is running, or
 * starts, while @cancellable is cancelled stops within a few thousand of SQLite's steps and
 * fails (KOERS_DATABASE_ERROR_SQL, "interrupted"). For long statements a caller cannot
 * otherwise stop, such as building an index. The caller keeps @cancellable alive meanwhile.
 */
void
koers_database_set_cancellable (KoersDatabase *self, GCancellable *cancellable)
{
  g_return_if_fail (KOERS_IS_DATABASE (self));

  /* Every 4,096 steps: a check a few microseconds apart, unmeasurable beside the work. */
  sqlite3_progress_handler (koers_database_get_handle (self), cancellable != NULL ? 4096 : 0,
                            cancellable != NULL ? cancelled_progress : NULL, cancellable);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "storage/koers-table-indexes.h"

#include <string.h>

gboolean
koers_table_indexes_drop (KoersDatabase *db, const char *table, GPtrArray *out_sql,
                          GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  gboolean ok = TRUE;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (table != NULL && out_sql != NULL, FALSE);

  stmt = koers_database_prepare (db, "SELECT name, sql FROM sqlite_master "
                                     "WHERE type = 'index' AND tbl_name = ?1 "
                                     "AND sql IS NOT NULL "
                                     "AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, table);
  while ((ok = koers_database_step (db, stmt, &has_row, error)) && has_row)
    {
      g_ptr_array_add (names, g_strdup (koers_column_text (stmt, 0)));
      g_ptr_array_add (out_sql, g_strdup (koers_column_text (stmt, 1)));
    }
  if (!ok)
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      char *drop = sqlite3_mprintf ("DROP INDEX \"%w\"", (const char *) names->pdata[i]);

      ok = koers_database_exec (db, drop, error);
      sqlite3_free (drop);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

gboolean
koers_table_indexes_create (KoersDatabase *db, const char *const *sql, guint n_sql,
                            GError **error)
{
  static const char plain[] = "CREATE INDEX ";

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  for (guint i = 0; i < n_sql; i++)
    {
      g_autofree char *statement = NULL;

      /* SQLite keeps the statement as written; the migrations write "CREATE INDEX name". */
      if (g_ascii_strncasecmp (sql[i], plain, strlen (plain)) == 0
          && g_ascii_strncasecmp (sql[i] + strlen (plain), "IF ", 3) != 0)
        statement = g_strconcat ("CREATE INDEX IF NOT EXISTS ", sql[i] + strlen (plain), NULL);
      else
        statement = g_strdup (sql[i]);
      if (!koers_database_exec (db, statement, error))
        return FALSE;
    }
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cli-test-util.h"

#include "koers-test-helpers.h"

char *
koers_test_content_checksum (KoersDatabase *db)
{
  sqlite3 *handle = koers_database_get_handle (db);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                       "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpuint (tables->len, >, 5);

  for (guint t = 0; t < tables->len; t++)
    {
      const char *table = g_ptr_array_index (tables, t);
      g_autofree char *probe = g_strdup_printf ("SELECT * FROM \"%s\"", table);
      g_autoptr(GString) sql = g_string_new (probe);
      int n_columns;

      g_assert_cmpint (sqlite3_prepare_v2 (handle, probe, -1, &stmt, NULL), ==, SQLITE_OK);
      n_columns = sqlite3_column_count (stmt);
      sqlite3_finalize (stmt);
      g_string_append (sql, " ORDER BY 1");
      for (int c = 2; c <= n_columns; c++)
        g_string_append_printf (sql, ", %d", c);

      g_checksum_update (checksum, (const guchar *) table, -1);
      g_assert_cmpint (sqlite3_prepare_v2 (handle, sql->str, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < n_columns; c++)
          {
            char type = '0' + (char) sqlite3_column_type (stmt, c);
            const void *bytes = sqlite3_column_blob (stmt, c);
            int n_bytes = sqlite3_column_bytes (stmt, c);

            g_checksum_update (checksum, (const guchar *) &type, 1);
            g_checksum_update (checksum, (const guchar *) &n_bytes, sizeof n_bytes);
            if (n_bytes > 0)
              g_checksum_update (checksum, bytes, (gssize) n_bytes);
          }
      sqlite3_finalize (stmt);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

gint64
koers_test_query_int (KoersDatabase *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (koers_database_get_handle (db), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

KoersDatabase *
koers_test_open_temp_db (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  KoersDatabase *db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

GFile *
koers_test_write_csv (const char *name, const char *contents)
{
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

char *
koers_test_participant_rows_csv (guint n)
{
  GString *s = g_string_new ("Voornaam;Achternaam;Geboortejaar;Gemeente;Doelgroep;Notities\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "Persoon;Nummer %u;%u;Winterswijk;statushouder;notitie %u\n", i,
                            1950 + i % 50, i);
  return g_string_free (s, FALSE);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-search-backlog.c: participants waiting for their search index entries (see the
 * header).
 */
#include "config.h"

#include "storage/koers-search-backlog.h"

#include "storage/koers-repository-private.h"

#include <string.h>

/* One row at most. A seq, not a list: the rows written without entries are always the newest
 * (a batch writes above the largest seq it found), so "from here on" names them all. */
static const char migration_11[] =
  "CREATE TABLE participant_search_backlog (\n"
  "  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
  "  first_seq INTEGER NOT NULL CHECK (first_seq >= 1)\n"
  ");\n"
  /* The same triggers as migrations 3 and 4, acting only on rows the index has. */
  "DROP TRIGGER participant_search_update;\n"
  "DROP TRIGGER participant_search_delete;\n"
  "DROP TRIGGER participant_words_update;\n"
  "DROP TRIGGER participant_words_delete;\n"
  "CREATE TRIGGER participant_search_update AFTER UPDATE OF search_key ON participant\n"
  "WHEN EXISTS (SELECT 1 FROM participant_search_docsize WHERE id = old.seq)\n"
  "BEGIN\n"
  "  INSERT INTO participant_search (participant_search, rowid, search_key)\n"
  "    VALUES ('delete', old.seq, old.search_key);\n"
  "  INSERT INTO participant_search (rowid, search_key) VALUES (new.seq, new.search_key);\n"
  "END;\n"
  "CREATE TRIGGER participant_search_delete AFTER DELETE ON participant\n"
  "WHEN EXISTS (SELECT 1 FROM participant_search_docsize WHERE id = old.seq)\n"
  "BEGIN\n"
  "  INSERT INTO participant_search (participant_search, rowid, search_key)\n"
  "    VALUES ('delete', old.seq, old.search_key);\n"
  "END;\n"
  "CREATE TRIGGER participant_words_update AFTER UPDATE OF search_key ON participant\n"
  "WHEN EXISTS (SELECT 1 FROM participant_words_docsize WHERE id = old.seq)\n"
  "BEGIN\n"
  "  INSERT INTO participant_words (participant_words, rowid, search_key)\n"
  "    VALUES ('delete', old.seq, old.search_key);\n"
  "  INSERT INTO participant_words (rowid, search_key) VALUES (new.seq, new.search_key);\n"
  "END;\n"
  "CREATE TRIGGER participant_words_delete AFTER DELETE ON participant\n"
  "WHEN EXISTS (SELECT 1 FROM participant_words_docsize WHERE id = old.seq)\n"
  "BEGIN\n"
  "  INSERT INTO participant_words (participant_words, rowid, search_key)\n"
  "    VALUES ('delete', old.seq, old.search_key);\n"
  "END;\n";

/* A row in the backlog may have its entries after all (written while no batch was open, its
 * insert trigger in place), so each index takes only the rows it lacks. */
static const char *const index_backlog_sql[] = {
  "INSERT INTO participant_search (rowid, search_key) SELECT p.seq, p.search_key "
  "FROM participant p WHERE p.seq >= ?1 AND NOT EXISTS "
  "(SELECT 1 FROM participant_search_docsize d WHERE d.id = p.seq)",
  "INSERT INTO participant_words (rowid, search_key) SELECT p.seq, p.search_key "
  "FROM participant p WHERE p.seq >= ?1 AND NOT EXISTS "
  "(SELECT 1 FROM participant_words_docsize d WHERE d.id = p.seq)",
};

/* koers_word_prefix(key, word): whether a word of @key starts with @word, words being runs of
 * letters and digits as FTS5's unicode61 tokenizer makes them. An empty @word matches nothing,
 * as an empty FTS5 phrase does. */
static void
sql_word_prefix (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  const char *key = (const char *) sqlite3_value_text (argv[0]);
  const char *word = (const char *) sqlite3_value_text (argv[1]);
  gboolean in_word = FALSE;
  gsize word_len;

  if (key == NULL || word == NULL || *word == '\0')
    {
      sqlite3_result_int (context, 0);
      return;
    }
  word_len = strlen (word);
  for (const char *p = key; *p != '\0'; p = g_utf8_next_char (p))
    {
      gboolean alnum = g_unichar_isalnum (g_utf8_get_char (p));

      if (alnum && !in_word && strncmp (p, word, word_len) == 0)
        {
          sqlite3_result_int (context, 1);
          return;
        }
      in_word = alnum;
    }
  sqlite3_result_int (context, 0);
}

void
koers_search_backlog_add_functions (sqlite3 *handle)
{
  sqlite3_create_function (handle, "koers_word_prefix", 2,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                           sql_word_prefix, NULL, NULL);
}

gboolean
koers_search_backlog_migrate (KoersDatabase *db, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  return koers_database_exec (db, migration_11, error);
}

gboolean
koers_search_backlog_extend (KoersDatabase *db, gint64 first_seq, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (first_seq >= 1, FALSE);

  stmt = koers_database_prepare (db, "INSERT INTO participant_search_backlog (id, first_seq) "
                                     "VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET "
                                     "first_seq = min (first_seq, excluded.first_seq)", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_int64 (stmt, 1, first_seq);
  return koers_database_step (db, stmt, NULL, error);
}

gboolean
koers_search_backlog_first_seq (KoersDatabase *db, gint64 *out_first_seq, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (out_first_seq != NULL, FALSE);

  return koers_database_query_int64 (db, "SELECT first_seq FROM participant_search_backlog "
                                         "WHERE id = 1", out_first_seq, error);
}

gboolean
koers_search_backlog_index (KoersDatabase *db, GError **error)
{
  gint64 first_seq = 0;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  if (!koers_search_backlog_first_seq (db, &first_seq, error))
    return FALSE;
  if (first_seq == 0)
    return TRUE;
  if (!koers_database_begin (db, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (index_backlog_sql); i++)
    {
      sqlite3_stmt *stmt = koers_database_prepare (db, index_backlog_sql[i], error);

      if (stmt == NULL)
        goto failed;
      koers_bind_int64 (stmt, 1, first_seq);
      if (!koers_database_step (db, stmt, NULL, error))
        goto failed;
    }
  if (!koers_database_exec (db, "DELETE FROM participant_search_backlog", error))
    goto failed;
  return koers_database_commit (db, error);

failed:
  koers_database_rollback (db);
  return FALSE;
}

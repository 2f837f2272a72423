/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-audit-index: how long koers-server's migration of the audit lists' index takes on an
 * audit trail of N feed pages, and whether the new index finds what the old one did.
 *
 * Makes a database at the current schema, puts the lists' index back to an older version's,
 * writes N lists of 500 participant ids as that version did, then times `koers-server admin
 * gebruikers`, whose start migrates the database, in a process of its own. SQLite: --from 3
 * (text lists, an "ascii" index reading them from the table) or 4 (the default: lists of 16
 * bytes an id, an "ascii" index over their text); wall, CPU and peak RSS are the migration's.
 * PostgreSQL (the tests' throwaway cluster): --from 7 (text lists, a side-table row per
 * participant); there the work is the PostgreSQL backend's, so only the wall time counts.
 * Afterwards it asks the new index for a few ids and compares with the lists it wrote.
 *
 *   _build/benchmarks/bench-audit-index [--lists 20000] [--from 4|3|7] [--server PATH]
 */
#include "config.h"

#include "server/koers-server-db.h"
#include "server/koers-server-schema.h"

#include "bench-db.h"
#include "koers-test-postgres.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#define IDS_PER_LIST  500
#define PEOPLE        10000
#define ORGANISATION  "0f6c1e0a-0000-4000-8000-00000000000a"

static int opt_lists = 20000;
static int opt_from = 4;
static char *opt_server = NULL;

/* Each a list of statements (the storage interface runs one at a time). What versions 5 and
 * later added, taken away: */
static const char *const undo_current[] = {
  "DROP TRIGGER records_feed_item_stale",               /* version 6's stored feed items */
  "ALTER TABLE records DROP COLUMN feed_item",
  "ALTER TABLE records DROP COLUMN feed_item_check",
  "DROP TRIGGER audit_participant_lists_insert",       /* the index and its triggers */
  "DROP TRIGGER audit_participant_lists_delete",
  "DROP TABLE audit_participant_index",
  NULL
};

/* then the index as version 3 (text lists the index reads from the table) */
static const char *const v3_index[] = {
  "CREATE VIRTUAL TABLE audit_participant_index USING fts5 (participant_ids, "
  "  content = 'audit_participant_lists', content_rowid = 'list_id', "
  "  detail = none, columnsize = 0, tokenize = \"ascii tokenchars '-'\")",
  "CREATE TRIGGER audit_participant_lists_insert AFTER INSERT ON audit_participant_lists "
  "BEGIN INSERT INTO audit_participant_index (rowid, participant_ids) "
  "  VALUES (new.list_id, new.participant_ids); END",
  "CREATE TRIGGER audit_participant_lists_delete AFTER DELETE ON audit_participant_lists "
  "BEGIN INSERT INTO audit_participant_index (audit_participant_index, rowid, "
  "  participant_ids) VALUES ('delete', old.list_id, old.participant_ids); END",
  NULL
};

/* or as version 4 (16 bytes an id, the "ascii" tokenizer over their text) made it. */
static const char *const v4_index[] = {
  "CREATE VIRTUAL TABLE audit_participant_index USING fts5 (participant_ids, "
  "  content = '', detail = none, columnsize = 0, tokenize = \"ascii tokenchars '-'\")",
  "CREATE TRIGGER audit_participant_lists_insert AFTER INSERT ON audit_participant_lists "
  "BEGIN INSERT INTO audit_participant_index (rowid, participant_ids) "
  "  VALUES (new.list_id, koers_uuid_list (new.participant_ids)); END",
  "CREATE TRIGGER audit_participant_lists_delete AFTER DELETE ON audit_participant_lists "
  "BEGIN INSERT INTO audit_participant_index (audit_participant_index, rowid, "
  "  participant_ids) VALUES ('delete', old.list_id, "
  "  koers_uuid_list (old.participant_ids)); END",
  NULL
};

/* PostgreSQL: what versions 9 and 8 did, taken back (its lists as text, found through
 * version 3's side table). */
static const char *const undo_postgresql_v8[] = {
  "ALTER TABLE audit_participant_lists ADD COLUMN participant_ids uuid[] NOT NULL",
  "ALTER TABLE audit_participant_lists ALTER COLUMN participant_ids SET STORAGE EXTERNAL",
  "DROP TABLE audit_participant_index",
  "DROP TRIGGER audit_participant_lists_update ON audit_participant_lists",
  "DROP FUNCTION audit_lists_append_only ()",
  "ALTER TABLE audit_participant_lists DROP COLUMN list_id",
  "ALTER TABLE audit_participant_lists ALTER COLUMN participant_ids TYPE TEXT "
  "  USING array_to_string (participant_ids, ' ')",
  "CREATE TABLE audit_participants (organisation_id TEXT NOT NULL, "
  "  participant_id uuid NOT NULL, audit_id TEXT NOT NULL)",
  "CREATE INDEX audit_participants_participant ON audit_participants (participant_id)",
  "ALTER TABLE audit_participants ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE audit_participants FORCE ROW LEVEL SECURITY",
  "CREATE POLICY audit_participants_organisation ON audit_participants "
  "  USING (organisation_id = current_setting('koers.organisation', true))",
  NULL
};

/* The first list starts at person 0, each next one 500 further on, around PEOPLE - 500: how
 * many of @n_lists name person @who. */
static gint64
lists_naming (guint who, guint n_lists)
{
  gint64 n = 0;

  for (guint i = 0; i < n_lists; i++)
    {
      guint start = (i * IDS_PER_LIST) % (PEOPLE - IDS_PER_LIST);

      n += who >= start && who < start + IDS_PER_LIST;
    }
  return n;
}

static void
write_old_trail (const char *location, GPtrArray *people)
{
  g_autoptr(GError) error = NULL;
  KoersServerDb *db = koers_server_db_open (location, &error);
  g_autoptr(GString) list = g_string_new (NULL);
  const char *pack = opt_from == 4 ? "koers_uuid_list_pack ($3)" : "$3";
  g_autofree char *insert_list = g_strdup_printf ("INSERT INTO audit_participant_lists "
                                                  "(organisation_id, audit_id, "
                                                  "participant_ids) VALUES ($1, $2, %s)",
                                                  pack);
  const char *const *undo = opt_from == 7 ? undo_postgresql_v8 : undo_current;
  const char *const *old_index = opt_from == 3 ? v3_index : opt_from == 4 ? v4_index : NULL;

  if (db == NULL)
    bench_die ("open", error);
  bench_exec_or_die (db, "INSERT INTO organisations (id, name, created_at) "
                   "VALUES ('" ORGANISATION "', 'Proef', '2026-11-29T09:00:00Z')", NULL, 0);
  if (!koers_server_db_begin (db, ORGANISATION, &error))
    bench_die ("begin", error);
  for (const char *const *step = undo; *step != NULL; step++)
    bench_exec_or_die (db, *step, NULL, 0);
  for (const char *const *step = old_index; step != NULL && *step != NULL; step++)
    bench_exec_or_die (db, *step, NULL, 0);
  {
    KoersSqlValue version[] = { KOERS_SQL_INT_VALUE (opt_from) };

    bench_exec_or_die (db, "UPDATE meta SET value = CAST($1 AS TEXT) WHERE key = 'schema_version'",
                 version, 1);
  }
  for (guint i = 0; i < (guint) opt_lists; i++)
    {
      g_autofree char *audit_id = g_uuid_string_random ();
      guint start = (i * IDS_PER_LIST) % (PEOPLE - IDS_PER_LIST);
      KoersSqlValue row[] = { KOERS_SQL_TEXT_VALUE (audit_id) };

      g_string_truncate (list, 0);
      for (guint k = start; k < start + IDS_PER_LIST; k++)
        {
          if (k > start)
            g_string_append_c (list, ' ');
          g_string_append (list, g_ptr_array_index (people, k));
        }
      bench_exec_or_die (db, "INSERT INTO audit (id, organisation_id, occurred_at, user_id, action, "
                       "result, origin) VALUES ($1, '" ORGANISATION "', "
                       "'2026-11-29T09:00:00Z', 'u', 'synchroniseren', 'gelukt', 'server')",
                   row, 1);
      {
        KoersSqlValue params[] = {
          KOERS_SQL_TEXT_VALUE (ORGANISATION), KOERS_SQL_TEXT_VALUE (audit_id),
          KOERS_SQL_TEXT_VALUE (list->str),
        };

        bench_exec_or_die (db, insert_list, params, G_N_ELEMENTS (params));
        if (opt_from == 7)
          bench_exec_or_die (db, "INSERT INTO audit_participants (organisation_id, participant_id, "
                           "audit_id) SELECT $1, CAST(p AS uuid), $2 "
                           "FROM unnest (string_to_array ($3, ' ')) AS p",
                       params, G_N_ELEMENTS (params));
      }
    }
  if (!koers_server_db_commit (db, &error))
    bench_die ("commit", error);
  koers_server_db_free (db);
}

int
main (int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "lists", 0, 0, G_OPTION_ARG_INT, &opt_lists, "Feed pages' lists of 500 ids (20000)", "N" },
    { "from", 0, 0, G_OPTION_ARG_INT, &opt_from,
      "Schema version to migrate from: 3 or 4 (SQLite, 4), 7 (PostgreSQL)", "V" },
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "koers-server binary", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  g_autofree char *location = NULL;
  struct rusage before, after;
  const char *spawn_argv[7];
  KoersServerDb *db;
  gint64 started, ended;
  int wait_status;
  gboolean all_found = TRUE;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    bench_die ("options", error);
  if (opt_lists < 1 || (opt_from != 3 && opt_from != 4 && opt_from != 7))
    {
      g_printerr ("bench-audit-index: --lists must be >= 1 and --from 3, 4 or 7\n");
      return 2;
    }
  if (opt_server == NULL)
    opt_server = g_strdup (KOERS_SERVER_PATH);

  directory = g_dir_make_tmp ("koers-audit-index-XXXXXX", &error);
  if (directory == NULL)
    bench_die ("temporary directory", error);
  path = g_build_filename (directory, "trail.db", NULL);
  location = opt_from == 7 ? koers_test_postgres_new_database (&error) : g_strdup (path);
  if (location == NULL)
    bench_die ("PostgreSQL", error);
  for (guint i = 0; i < PEOPLE; i++)
    g_ptr_array_add (people, g_uuid_string_random ());
  write_old_trail (location, people);

  spawn_argv[0] = opt_server;
  spawn_argv[1] = "--database";
  spawn_argv[2] = location;
  spawn_argv[3] = "admin";
  spawn_argv[4] = "gebruikers";
  spawn_argv[5] = ORGANISATION;
  spawn_argv[6] = NULL;
  getrusage (RUSAGE_CHILDREN, &before);
  started = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) spawn_argv, NULL,
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
                     NULL, &wait_status, &error)
      || !g_spawn_check_wait_status (wait_status, &error))
    bench_die (opt_server, error);
  ended = g_get_monotonic_time ();
  getrusage (RUSAGE_CHILDREN, &after);

  db = koers_server_db_open (location, &error);
  if (db == NULL)
    bench_die ("open", error);
  if (opt_from == 7)
    g_print ("%d lists of %d ids (schema 7, PostgreSQL) migrated to schema %d in %.2f s wall "
             "(the PostgreSQL backend's work)\n", opt_lists, IDS_PER_LIST,
             KOERS_SERVER_SCHEMA_VERSION, (double) (ended - started) / G_USEC_PER_SEC);
  else
    g_print ("%d lists of %d ids (schema %d) migrated to schema %d in %.2f s wall, %.2f s CPU, "
             "peak RSS %ld MiB\n", opt_lists, IDS_PER_LIST, opt_from, KOERS_SERVER_SCHEMA_VERSION,
             (double) (ended - started) / G_USEC_PER_SEC,
             (double) (after.ru_utime.tv_sec - before.ru_utime.tv_sec
                       + after.ru_stime.tv_sec - before.ru_stime.tv_sec)
             + (double) (after.ru_utime.tv_usec - before.ru_utime.tv_usec
                         + after.ru_stime.tv_usec - before.ru_stime.tv_usec) / G_USEC_PER_SEC,
             after.ru_maxrss / 1024);
  for (guint who = 0; who < PEOPLE; who += PEOPLE / 8)
    {
      g_autofree char *match = g_strdup_printf ("\"%s\"",
                                                (char *) g_ptr_array_index (people, who));
      KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (match) };
      gint64 asked = g_get_monotonic_time ();
      gint64 found;

      if (opt_from == 7)
        {
          params[0] = KOERS_SQL_TEXT_VALUE (g_ptr_array_index (people, who));
          found = bench_count_or_die (db, "SELECT count(*) FROM audit_participant_index "
                                    "WHERE participant_ids @> ARRAY[CAST($1 AS uuid)]",
                                params, 1);
        }
      else
        found = bench_count_or_die (db, "SELECT count(*) FROM audit_participant_index "
                                  "WHERE audit_participant_index MATCH $1", params, 1);
      gint64 expected = lists_naming (who, (guint) opt_lists);

      g_print ("  person %5u: %" G_GINT64_FORMAT " lists found in %.1f ms, %" G_GINT64_FORMAT
               " written\n", who, found, (double) (g_get_monotonic_time () - asked) / 1000,
               expected);
      all_found &= found == expected;
    }
  koers_server_db_free (db);
  koers_paths_remove_database (path);
  g_rmdir (directory);
  return all_found ? 0 : 1;
}

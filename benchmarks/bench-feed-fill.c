/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-feed-fill: how long koers-server's first start after an upgrade to schema 6 or later
 * takes before it serves, when N records have no stored feed item yet (rows written before
 * schema 6 get theirs then: koers_server_engine_fill_feed_items).
 *
 * Each run makes a new database at the current schema (SQLite, or the tests' throwaway
 * PostgreSQL) with one organisation and N participant records without items, analyses it as
 * a database in use would be, then times `koers-server --database ... --listen
 * 127.0.0.1:PORT` from the spawn until the port accepts connections, stops it, and checks
 * that every record got its item.
 *
 *   _build/benchmarks/bench-feed-fill [--records 100000] [--backend sqlite|postgresql]
 *                                     [--runs 3] [--server PATH]
 */
#include "config.h"

#include "server/koers-server-db.h"

#include "bench-db.h"
#include "bench-net.h"
#include "koers-test-postgres.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>

#define ORGANISATION "0f6c1e0a-0000-4000-8000-00000000000a"

static int opt_records = 100000;
static int opt_runs = 3;
static char *opt_backend = NULL;
static char *opt_server = NULL;

/* A new database at @location with the organisation and its records, none with an item. */
static void
write_records (const char *location)
{
  g_autoptr(GError) error = NULL;
  KoersServerDb *db = koers_server_db_open (location, &error);
  KoersSqlValue count[] = { KOERS_SQL_INT_VALUE (opt_records) };

  if (db == NULL)
    bench_die ("open", error);
  bench_exec_or_die (db, "INSERT INTO organisations (id, name, created_at) "
                   "VALUES ('" ORGANISATION "', 'Proef', '2026-11-29T09:00:00Z')", NULL, 0);
  if (!koers_server_db_begin (db, ORGANISATION, &error))
    bench_die ("begin", error);
  /* The same SQL on both back ends; the fields are those of a plain participant. */
  bench_exec_or_die (db, "WITH RECURSIVE g (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g "
                   "WHERE n < CAST($1 AS BIGINT)) INSERT INTO records (organisation_id, entity, "
                   "id, version, scope_coach_id, fields, created_at, created_by, updated_at, "
                   "updated_by) SELECT '" ORGANISATION "', 'deelnemers', 'deelnemer-' || n, n, "
                   "'coach', '{\"naam\": \"Deelnemer Proef\", \"gemeente\": \"Aalten\", "
                   "\"geboortejaar\": 1984, \"status\": \"actief\", \"telefoon\": "
                   "\"0612345678\", \"email\": \"deelnemer@example.org\"}', "
                   "'2026-11-29T09:00:00Z', 'u', '2026-11-29T09:00:00Z', 'u' FROM g",
               count, 1);
  if (!koers_server_db_commit (db, &error))
    bench_die ("commit", error);
  bench_exec_or_die (db, "ANALYZE records", NULL, 0);
  koers_server_db_free (db);
}

static gint64
records_without_item (const char *location)
{
  g_autoptr(GError) error = NULL;
  KoersServerDb *db = koers_server_db_open (location, &error);
  gint64 n;

  if (db == NULL || !koers_server_db_begin_read (db, ORGANISATION, &error))
    bench_die ("open", error);
  n = bench_count_or_die (db, "SELECT count(*) FROM records WHERE organisation_id = '"
                              ORGANISATION "' AND feed_item IS NULL", NULL, 0);
  koers_server_db_rollback (db);
  koers_server_db_free (db);
  return n;
}

/* Spawns koers-server on @location and returns the microseconds until it accepts. */
static gint64
time_start (const char *location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  guint port = bench_free_port ();
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  gint64 started, serving;

  if (port == 0)
    bench_die ("no free port", NULL);
  started = g_get_monotonic_time ();
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, opt_server,
                             "--database", location, "--listen", listen, NULL);
  if (server == NULL)
    bench_die (opt_server, error);
  /* bench_wait_for_server gives up after 15 s; a big fill may take longer. */
  while (!bench_wait_for_server (port))
    if (g_subprocess_get_identifier (server) == NULL   /* it ended */
        || g_get_monotonic_time () - started > 600 * G_USEC_PER_SEC)
      bench_die ("koers-server did not start to serve", NULL);
  serving = g_get_monotonic_time ();
  g_subprocess_send_signal (server, SIGTERM);
  if (!g_subprocess_wait (server, NULL, &error))
    bench_die ("wait", error);
  return serving - started;
}

static int
compare_times (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "records", 0, 0, G_OPTION_ARG_INT, &opt_records, "Records without an item (100000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs, "Runs, each on a new database (3)", "R" },
    { "backend", 0, 0, G_OPTION_ARG_STRING, &opt_backend, "sqlite or postgresql (sqlite)", "B" },
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "koers-server binary", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *directory = NULL;
  gboolean postgresql;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    bench_die ("options", error);
  postgresql = g_strcmp0 (opt_backend, "postgresql") == 0;
  if (opt_records < 1 || opt_runs < 1 || (opt_backend != NULL && !postgresql
                                          && g_strcmp0 (opt_backend, "sqlite") != 0))
    {
      g_printerr ("bench-feed-fill: --records and --runs must be >= 1, --backend sqlite or "
                  "postgresql\n");
      return 2;
    }
  if (opt_server == NULL)
    opt_server = g_strdup (KOERS_SERVER_PATH);
  directory = g_dir_make_tmp ("koers-feed-fill-XXXXXX", &error);
  if (directory == NULL)
    bench_die ("temporary directory", error);

  for (int run = 0; run < opt_runs; run++)
    {
      g_autofree char *path = g_build_filename (directory, "fill.db", NULL);
      g_autofree char *location = postgresql ? koers_test_postgres_new_database (&error)
                                             : g_strdup (path);
      gint64 took;
      gint64 left;

      if (location == NULL)
        bench_die ("PostgreSQL", error);
      write_records (location);
      took = time_start (location);
      left = records_without_item (location);
      g_print ("run %d: %d records filled, start to serving %.2f s, %" G_GINT64_FORMAT
               " left without an item\n", run + 1, opt_records,
               (double) took / G_USEC_PER_SEC, left);
      if (left != 0)
        return 1;
      g_array_append_val (times, took);
      if (!postgresql)
        koers_paths_remove_database (path);
    }
  g_array_sort (times, compare_times);
  g_print ("%s, %d records: median start to serving %.2f s of %d runs\n",
           postgresql ? "postgresql" : "sqlite", opt_records,
           (double) g_array_index (times, gint64, times->len / 2) / G_USEC_PER_SEC, opt_runs);
  g_rmdir (directory);
  return 0;
}

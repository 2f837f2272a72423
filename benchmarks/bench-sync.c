/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-sync: the sync client against a real koers-server on loopback (issue 5, "Benchmarks"):
 * a first sync of 100,000 participants at >= 20,000 records/s with the client's peak RSS
 * <= 150 MiB, and an incremental sync of 100 local changes (push and pull) in <= 150 ms.
 *
 * Per back end (SQLite: a temporary file; PostgreSQL: the tests' throwaway cluster,
 * tests/server/koers-test-postgres.c) the server database gets one organisation and a coach, and
 * N participants in the coach's caseload written straight into `records` and `history` in one
 * transaction, in the shape the engine stores (the point is the sync, not the seeding). Then
 * `koers-server --database ... --listen 127.0.0.1:PORT` runs as a child process, and each run
 * alternates, in this order:
 *   - floor "HTTP+JSON": every feed page fetched with a plain SoupSession and parsed with
 *     json-glib, nothing applied (the server's feed, audit and HTTP, and the parse);
 *   - floor "SQLite INSERT": the same N participants as plain prepared INSERTs in one transaction
 *     into a new local database with the same schema (plus the shadow rows: what a synced record
 *     needs at least), values bound from memory;
 *   - Koers: `koers-cli --database NEW sync` as a separate process (a fresh database and device
 *     each run): wall time, its user + system CPU from wait4(), its peak RSS (VmHWM, sampled),
 *     the server's CPU from /proc/PID/stat (a PostgreSQL backend's own CPU is not in it); the
 *     client database is then checked: every participant there, both search indexes whole.
 * After the runs: a first sync killed (SIGKILL) once its cursor passes 40% and run again to the
 * end; and on the database of the last run, R rounds of C local edits (one transaction of
 * UPDATEs, captured by the triggers) each followed by one timed sync of an in-process
 * KoersSyncClient (push, then pull of the new versions), then the same through `koers-cli sync`
 * (which adds the process start and the database open).
 *
 *   bench-sync [--participants 100000] [--runs 3] [--page-size 500] [--changes 100]
 *              [--rounds 20] [--cli-rounds 5] [--interrupt 0.4] [--backend sqlite|postgresql|both]
 *              [--wrap-cli "perf record -g -o FILE --"] [--wrap-server CMD]
 * The wrappers are for profiling (valgrind --tool=callgrind --callgrind-out-file=F.%p works for
 * both); the interrupted sync never runs behind one (the kill would hit the wrapper).
 */
#include "config.h"

#include "bench-net.h"

#include "bench-sync.h"

#include "koers-test-postgres.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

static guint opt_participants = 100000;
static guint opt_runs = 3;
static guint opt_page_size = 500;
static gboolean opt_random_ids = FALSE;
static guint opt_changes = 100;
static guint opt_rounds = 20;
static guint opt_cli_rounds = 5;
static double opt_interrupt = 0.4;
static char *opt_backend = NULL;
static char *opt_server = NULL;
static char *opt_cli = NULL;
static char *opt_wrap_cli = NULL;
static char *opt_wrap_server = NULL;

/* ---- small helpers ---------------------------------------------------------------------- */

static double
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The value at fraction @q (0.5: median) of @values, nearest rank; sorts @values. */
static double
quantile (GArray *values,
          double  q)
{
  guint rank;

  if (values->len == 0)
    return -1;
  g_array_sort (values, compare_double);
  rank = (guint) (q * values->len + 0.999999);
  return g_array_index (values, double, CLAMP (rank, 1, values->len) - 1);
}

/* ---- one back end ----------------------------------------------------------------------- */

enum { HTTP_FLOOR, SQL_FLOOR, SQL_SHADOW_FLOOR, KOERS, N_KINDS };

static const char *const kind_names[N_KINDS] = {
  "floor HTTP+JSON (no apply)", "floor SQLite INSERT participant",
  "floor SQLite INSERT + shadow", "koers-cli sync (first sync)",
};

typedef struct {
  const char *backend;
  double      seed_s;
  GArray     *runs[N_KINDS];     /* Measure */
  Measure     cut;               /* the interrupted first sync up to the kill */
  Measure     resumed;
  gint64      killed_at;
  GArray     *incremental_ms;    /* double */
  GArray     *cli_ms;
  double      incremental_server_ms;
  double      incremental_client_ms;
  gboolean    ok;
} Result;

static double
median_of (GArray *measures, gsize offset)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < measures->len; i++)
    g_array_append_val (values,
                        G_STRUCT_MEMBER (double, &g_array_index (measures, Measure, i), offset));
  return quantile (values, 0.5);
}

static void
print_measure (const char *backend, const char *what, const Measure *m)
{
  g_print ("%-10s %-32s %8.0f ms %7.0f rec/s  cpu %6.0f ms  server cpu %6.0f ms", backend, what,
           m->wall_ms, m->records * 1e3 / MAX (m->wall_ms, 1), m->cpu_ms, m->server_cpu_ms);
  if (m->pages > 0)
    g_print ("  %u pages", m->pages);
  if (m->peak_rss_mib > 0)
    g_print ("  peak RSS %.1f MiB", m->peak_rss_mib);
  g_print ("\n");
}

static gboolean
first_syncs (Bench *b, Result *res, char **out_last_db)
{
  guint pages = 0;

  for (guint run = 0; run < opt_runs; run++)
    {
      g_autofree char *db_path = g_strdup_printf ("%s/client-%u.db", b->tmp_dir, run);

      for (guint kind = 0; kind < N_KINDS; kind++)
        {
          Measure m = { 0 };
          g_autofree char *label = g_strdup_printf ("%s, run %u", res->backend, run + 1);
          gboolean ok;

          if (kind == HTTP_FLOOR)
            ok = floor_http (b, &m);
          else if (kind == KOERS)
            ok = run_cli (b, db_path, NULL, NULL, NULL, TRUE, &m, NULL);
          else
            ok = floor_sqlite (b, kind == SQL_SHADOW_FLOOR, &m);
          if (!ok)
            return FALSE;
          if (kind == HTTP_FLOOR)
            pages = m.pages;
          else if (kind == KOERS)
            {
              gint64 stored = count_participants (db_path);

              m.pages = pages;    /* the same feed as the floor's */
              if (stored != opt_participants || m.records != opt_participants)
                {
                  g_printerr ("bench-sync: the client holds %" G_GINT64_FORMAT " participants "
                              "and pulled %u, not %u\n", stored, m.records, opt_participants);
                  return FALSE;
                }
            }
          print_measure (label, kind_names[kind], &m);
          g_array_append_val (res->runs[kind], m);
        }
      if (run + 1 < opt_runs)
        koers_paths_remove_database (db_path);
      else
        *out_last_db = g_steal_pointer (&db_path);
    }
  return TRUE;
}

static gboolean
interrupted (Bench *b, Result *res)
{
  g_autofree char *db_path = g_build_filename (b->tmp_dir, "client-interrupted.db", NULL);
  Interrupt in = { db_path, (gint64) (opt_interrupt * opt_participants), 0, 0 };
  gboolean killed = FALSE;

  if (!run_cli (b, db_path, NULL, cursor_reached, &in, FALSE, &res->cut, &killed))
    return FALSE;
  if (!killed)
    {
      g_printerr ("bench-sync: the first sync ended before its cursor reached %" G_GINT64_FORMAT
                  "\n", in.threshold);
      return FALSE;
    }
  res->killed_at = in.reached;
  if (!run_cli (b, db_path, NULL, NULL, NULL, TRUE, &res->resumed, NULL))
    return FALSE;
  if (count_participants (db_path) != opt_participants)
    {
      g_printerr ("bench-sync: after the resumed sync the client holds %" G_GINT64_FORMAT
                  " participants, not %u\n", count_participants (db_path), opt_participants);
      return FALSE;
    }
  koers_paths_remove_database (db_path);
  return TRUE;
}

static gboolean
run_backend (KoersServerDbBackend backend, Result *res)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *last_db = NULL;
  Bench b = { 0 };
  gint64 start;
  gboolean ok = FALSE;

  res->backend = backend == KOERS_SERVER_DB_SQLITE ? "sqlite" : "postgresql";
  b.backend = res->backend;
  b.n_people = opt_participants;
  b.page_size = opt_page_size;
  b.random_ids = opt_random_ids;
  b.changes = opt_changes;
  b.rounds = opt_rounds;
  b.cli_rounds = opt_cli_rounds;
  b.cli = opt_cli;
  b.wrap_cli = opt_wrap_cli;
  b.tmp_dir = g_dir_make_tmp ("bench-sync-XXXXXX", &error);
  if (b.tmp_dir == NULL)
    goto out;
  b.location = backend == KOERS_SERVER_DB_SQLITE
               ? g_build_filename (b.tmp_dir, "server.db", NULL)
               : koers_test_postgres_new_database (&error);
  if (b.location == NULL || (b.db = koers_server_db_open (b.location, &error)) == NULL)
    goto out;
  if (!add_coach (&b, &error))
    goto out;
  g_print ("%s: seeding %u participants ...\n", res->backend, opt_participants);
  start = g_get_monotonic_time ();
  if (!seed (&b, &error))
    goto out;
  res->seed_s = (g_get_monotonic_time () - start) / 1e6;
  if (!start_server (&b, opt_server, opt_wrap_server, &server))
    goto out;
  g_print ("%s: seeded in %.1f s; koers-server pid %s, load average %.2f\n", res->backend,
           res->seed_s, b.server_pid, load_average ());

  if (!first_syncs (&b, res, &last_db))
    goto out;
  g_print ("%s: first sync killed at %.0f%%, then run again ...\n", res->backend,
           opt_interrupt * 100);
  if (!interrupted (&b, res))
    goto out;
  g_print ("%s: %u rounds of %u local changes ...\n", res->backend,
           opt_rounds + opt_cli_rounds, opt_changes);
  ok = incremental (&b, last_db, res->incremental_ms, res->cli_ms,
                    &res->incremental_server_ms, &res->incremental_client_ms);

out:
  if (error != NULL)
    g_printerr ("bench-sync: %s: %s\n", res->backend, error->message);
  if (server != NULL)
    {
      g_subprocess_send_signal (server, SIGTERM);
      g_subprocess_wait (server, NULL, NULL);
    }
  if (last_db != NULL)
    koers_paths_remove_database (last_db);
  g_clear_pointer (&b.people, g_ptr_array_unref);
  g_clear_pointer (&b.auth, koers_server_auth_free);
  g_clear_pointer (&b.db, koers_server_db_free);
  if (backend == KOERS_SERVER_DB_SQLITE && b.location != NULL)
    koers_paths_remove_database (b.location);
  if (b.tmp_dir != NULL)
    {
      g_autofree char *token = g_build_filename (b.tmp_dir, "token", NULL);
      g_autofree char *token_inc = g_build_filename (b.tmp_dir, "token-incremental", NULL);

      g_unlink (token);
      g_unlink (token_inc);
      g_rmdir (b.tmp_dir);
    }
  g_free (b.tmp_dir);
  g_free (b.location);
  g_free (b.org);
  g_free (b.coach_id);
  g_free (b.base);
  g_free (b.server_pid);
  res->ok = ok;
  return ok;
}

static void
print_summary (const Result *r)
{
  double wall[N_KINDS], cpu[N_KINDS];
  double koers_rate, rss, uninterrupted;
  g_autoptr(GArray) inc = g_array_copy (r->incremental_ms);
  g_autoptr(GArray) cli = g_array_copy (r->cli_ms);

  if (r->runs[KOERS]->len == 0)
    {
      g_print ("%-10s no result\n", r->backend);
      return;
    }
  for (guint k = 0; k < N_KINDS; k++)
    {
      wall[k] = median_of (r->runs[k], G_STRUCT_OFFSET (Measure, wall_ms));
      cpu[k] = median_of (r->runs[k], G_STRUCT_OFFSET (Measure, cpu_ms));
      g_print ("%-10s %-32s median %8.0f ms %7.0f rec/s  cpu %6.0f ms  server cpu %6.0f ms\n",
               r->backend, kind_names[k], wall[k], opt_participants * 1e3 / MAX (wall[k], 1),
               cpu[k], median_of (r->runs[k], G_STRUCT_OFFSET (Measure, server_cpu_ms)));
    }
  koers_rate = opt_participants * 1e3 / MAX (wall[KOERS], 1);
  rss = median_of (r->runs[KOERS], G_STRUCT_OFFSET (Measure, peak_rss_mib));
  g_print ("%-10s first sync: %.0f records/s (target >= 20000: %s), client peak RSS %.1f MiB "
           "(target <= 150: %s), %u pages of %u\n", r->backend, koers_rate,
           koers_rate >= 20000 ? "met" : "NOT MET", rss, rss <= 150 ? "met" : "NOT MET",
           g_array_index (r->runs[KOERS], Measure, 0).pages, opt_page_size);
  g_print ("%-10s ratio koers / HTTP+JSON floor: %.2f wall; koers / SQLite+shadow floor: %.2f "
           "wall, %.2f CPU\n", r->backend, wall[KOERS] / MAX (wall[HTTP_FLOOR], 1),
           wall[KOERS] / MAX (wall[SQL_SHADOW_FLOOR], 1),
           cpu[KOERS] / MAX (cpu[SQL_SHADOW_FLOOR], 1));
  if (r->resumed.wall_ms > 0)
    {
      uninterrupted = wall[KOERS];
      g_print ("%-10s interrupted at cursor %" G_GINT64_FORMAT ": %.0f ms until the kill + %.0f "
               "ms resumed = %.0f ms, %.2fx the uninterrupted median; cpu %.0f + %.0f ms = "
               "%.2fx (peak RSS %.1f / %.1f MiB)\n", r->backend, r->killed_at, r->cut.wall_ms,
               r->resumed.wall_ms, r->cut.wall_ms + r->resumed.wall_ms,
               (r->cut.wall_ms + r->resumed.wall_ms) / MAX (uninterrupted, 1), r->cut.cpu_ms,
               r->resumed.cpu_ms, (r->cut.cpu_ms + r->resumed.cpu_ms) / MAX (cpu[KOERS], 1),
               r->cut.peak_rss_mib, r->resumed.peak_rss_mib);
    }
  if (inc->len > 0)
    g_print ("%-10s incremental, %u changes, in-process client: median %.1f ms, p95 %.1f ms, "
             "min %.1f, max %.1f (n %u; target <= 150: median %s, p95 %s); cpu a round: client "
             "%.1f ms, server %.1f ms\n", r->backend, opt_changes, quantile (inc, 0.5),
             quantile (inc, 0.95), quantile (inc, 0), quantile (inc, 1), inc->len,
             quantile (inc, 0.5) <= 150 ? "met" : "NOT MET",
             quantile (inc, 0.95) <= 150 ? "met" : "NOT MET", r->incremental_client_ms,
             r->incremental_server_ms);
  if (cli->len > 0)
    g_print ("%-10s incremental, %u changes, koers-cli process: median %.1f ms, max %.1f ms "
             "(n %u; includes start-up and the open's quick_check)\n", r->backend, opt_changes,
             quantile (cli, 0.5), quantile (cli, 1), cli->len);
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "participants", 0, 0, G_OPTION_ARG_INT, &opt_participants,
      "Participants (100000, a multiple of 100)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs, "First syncs, each with its floors (3)", "N" },
    { "page-size", 0, 0, G_OPTION_ARG_INT, &opt_page_size, "Records per pull page (500)", "N" },
    { "changes", 0, 0, G_OPTION_ARG_INT, &opt_changes, "Local changes per round (100)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &opt_rounds, "In-process incremental rounds (20)",
      "N" },
    { "cli-rounds", 0, 0, G_OPTION_ARG_INT, &opt_cli_rounds,
      "Incremental rounds through koers-cli (5)", "N" },
    { "interrupt", 0, 0, G_OPTION_ARG_DOUBLE, &opt_interrupt,
      "Kill the interrupted first sync at this fraction (0.4)", "F" },
    { "random-ids", 0, 0, G_OPTION_ARG_NONE, &opt_random_ids,
      "Version-4 (random) ids instead of Koers' time-ordered ones", NULL },
    { "backend", 0, 0, G_OPTION_ARG_STRING, &opt_backend, "sqlite, postgresql or both", "B" },
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "koers-server binary", "PATH" },
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &opt_cli, "koers-cli binary", "PATH" },
    { "wrap-cli", 0, 0, G_OPTION_ARG_STRING, &opt_wrap_cli,
      "Run koers-cli behind this command (profiling: \"perf record -g -o FILE --\")", "CMD" },
    { "wrap-server", 0, 0, G_OPTION_ARG_STRING, &opt_wrap_server,
      "Run koers-server behind this command (its CPU figures are then the wrapper's)", "CMD" },
    { NULL }
  };
  Result results[2] = { { 0 } };
  gboolean all_ok = TRUE;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-sync: %s\n", error->message);
      return 2;
    }
  if (opt_participants < SEED_ROWS || opt_participants % SEED_ROWS != 0 || opt_runs == 0
      || opt_page_size < 1 || opt_page_size > 500 || opt_changes < 1
      || opt_changes > opt_participants || opt_interrupt <= 0 || opt_interrupt >= 1)
    {
      g_printerr ("bench-sync: --participants must be a multiple of %d, --runs >= 1, "
                  "--page-size 1-500, --changes 1-participants, --interrupt between 0 and 1\n",
                  SEED_ROWS);
      return 2;
    }
  if (opt_backend == NULL)
    opt_backend = g_strdup ("sqlite");
  if (opt_server == NULL)
    opt_server = g_strdup (KOERS_SERVER_PATH);
  if (opt_cli == NULL)
    opt_cli = g_strdup (KOERS_CLI_PATH);
  if (strcmp (opt_backend, "both") != 0 && strcmp (opt_backend, "sqlite") != 0
      && strcmp (opt_backend, "postgresql") != 0)
    {
      g_printerr ("bench-sync: --backend wants sqlite, postgresql or both\n");
      return 2;
    }

  g_print ("load average at start: %.2f; %u participants, page size %u, %u runs, %s ids\n",
           load_average (), opt_participants, opt_page_size, opt_runs,
           opt_random_ids ? "random (v4)" : "time-ordered (v7)");
  for (guint i = 0; i < 2; i++)
    {
      KoersServerDbBackend backend = i == 0 ? KOERS_SERVER_DB_SQLITE : KOERS_SERVER_DB_POSTGRESQL;

      for (guint k = 0; k < N_KINDS; k++)
        results[i].runs[k] = g_array_new (FALSE, TRUE, sizeof (Measure));
      results[i].incremental_ms = g_array_new (FALSE, FALSE, sizeof (double));
      results[i].cli_ms = g_array_new (FALSE, FALSE, sizeof (double));
      if (strcmp (opt_backend, "both") == 0
          || strcmp (opt_backend, i == 0 ? "sqlite" : "postgresql") == 0)
        all_ok &= run_backend (backend, &results[i]);
    }

  g_print ("\nsummary (medians of %u runs; load average now %.2f)\n", opt_runs, load_average ());
  for (guint i = 0; i < 2; i++)
    {
      if (results[i].backend != NULL)
        print_summary (&results[i]);
      for (guint k = 0; k < N_KINDS; k++)
        g_array_unref (results[i].runs[k]);
      g_array_unref (results[i].incremental_ms);
      g_array_unref (results[i].cli_ms);
    }
  return all_ok ? 0 : 1;
}

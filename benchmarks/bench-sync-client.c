/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-sync: koers-cli as a measured child process, and the incremental rounds (see
 * bench-sync.c).
 */
#include "config.h"

#include "bench-sync.h"

#include "storage/koers-database.h"
#include "sync/koers-sync-client.h"
#include "sync/koers-token-source.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- a child process, measured ---------------------------------------------------------- */

/* VmHWM of process @pid in MiB, or 0. */
static double
process_hwm_mib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL)
      || (line = strstr (text, "\nVmHWM:")) == NULL)
    return 0;
  return g_ascii_strtod (line + strlen ("\nVmHWM:"), NULL) / 1024.0;
}

static gboolean
run_child (const char * const *argv, PollFunc poll, gpointer data, Measure *m,
           char **out_text, gboolean *out_killed)
{
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "LC_ALL", "C", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  struct rusage usage;
  int out_fd = -1, status = 0;
  gboolean killed = FALSE;
  GPid pid;
  gint64 start = g_get_monotonic_time ();
  char chunk[4096];
  gssize n;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, env,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 &pid, NULL, &out_fd, NULL, &error))
    {
      g_printerr ("bench-sync: cannot start %s: %s\n", argv[0], error->message);
      return FALSE;
    }
  memset (&usage, 0, sizeof usage);
  /* Peak RSS is the child's VmHWM, sampled until it exits: wait4's ru_maxrss also counts the
   * copy of this (large) process the child was between fork and exec. */
  while (wait4 (pid, &status, WNOHANG, &usage) == 0)
    {
      m->peak_rss_mib = MAX (m->peak_rss_mib, process_hwm_mib (pid));
      if (poll != NULL && !killed && poll (data))
        {
          kill (pid, SIGKILL);
          killed = TRUE;
        }
      g_usleep (2000);
    }
  m->wall_ms = (g_get_monotonic_time () - start) / 1e3;
  m->cpu_ms = usage.ru_utime.tv_sec * 1e3 + usage.ru_utime.tv_usec / 1e3
              + usage.ru_stime.tv_sec * 1e3 + usage.ru_stime.tv_usec / 1e3;
  while ((n = read (out_fd, chunk, sizeof chunk)) > 0)
    g_string_append_len (text, chunk, n);
  close (out_fd);
  g_spawn_close_pid (pid);
  if (out_killed != NULL)
    *out_killed = killed;
  if (!killed && !(WIFEXITED (status) && WEXITSTATUS (status) == 0))
    {
      g_printerr ("bench-sync: %s failed (status %d):\n%s\n", argv[0], status, text->str);
      return FALSE;
    }
  if (out_text != NULL)
    *out_text = g_string_free (g_steal_pointer (&text), FALSE);
  return TRUE;
}

/* koers-cli --database @db_path sync with a new device's token (or @token_file). */
gboolean
run_cli (Bench *b, const char *db_path, const char *token_file, PollFunc poll, gpointer data,
         gboolean wrap, Measure *m, gboolean *out_killed)
{
  g_autofree char *own_token = NULL;
  g_autofree char *token_path = g_build_filename (b->tmp_dir, "token", NULL);
  g_autofree char *page_size = g_strdup_printf ("%u", b->page_size);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *pulled;
  const char *args[] = { b->cli, "--database", db_path, "sync", "--server", b->base,
                         "--token-file", token_file != NULL ? token_file : token_path,
                         "--page-size", page_size, NULL };
  g_autoptr(GPtrArray) argv = wrapped (wrap ? b->wrap_cli : NULL, args);
  double server_before;
  gboolean killed = FALSE;

  if (token_file == NULL && (own_token = new_token (b, token_path, &error)) == NULL)
    {
      g_printerr ("bench-sync: no token: %s\n", error->message);
      return FALSE;
    }
  server_before = process_cpu_ms (b->server_pid);
  m->ok = run_child ((const char * const *) argv->pdata, poll, data, m, &out, &killed);
  m->server_cpu_ms = process_cpu_ms (b->server_pid) - server_before;
  if (out_killed != NULL)
    *out_killed = killed;
  if (!m->ok || killed)
    return m->ok;
  pulled = strstr (out, "pulled: ");
  m->records = pulled != NULL ? (guint) g_ascii_strtoull (pulled + 8, NULL, 10) : 0;
  if (poll == NULL && token_file == NULL && strstr (out, "initial sync complete: yes") == NULL)
    {
      g_printerr ("bench-sync: the first sync did not complete:\n%s", out);
      m->ok = FALSE;
    }
  return m->ok;
}

/* ---- interrupted, incremental ----------------------------------------------------------- */

/* Reads the client's cursor from its database (another connection; WAL lets it read while
 * the client writes). */
gboolean
cursor_reached (gpointer data)
{
  Interrupt *in = data;
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean reached = FALSE;
  gint64 now = g_get_monotonic_time ();

  /* Every 20 ms: a reader opening the file every poll would slow the writer it watches. */
  if (now - in->last_look < 20000 || !g_file_test (in->path, G_FILE_TEST_EXISTS))
    return FALSE;
  in->last_look = now;
  if (sqlite3_open_v2 (in->path, &handle, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (handle, "SELECT value FROM sync_state WHERE key = 'cursor'", -1,
                             &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    {
      const char *dot = strrchr ((const char *) sqlite3_column_text (stmt, 0), '.');

      in->reached = dot != NULL ? g_ascii_strtoll (dot + 1, NULL, 10) : 0;
      reached = in->reached >= in->threshold;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return reached;
}

typedef struct {
  gboolean           done;
  KoersSyncRunStats  stats;
  GError            *error;
} SyncWait;

static void
sync_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SyncWait *wait = user_data;

  koers_sync_client_sync_finish (KOERS_SYNC_CLIENT (object), result, &wait->stats,
                                 &wait->error);
  wait->done = TRUE;
}

static gboolean
sync_once (KoersSyncClient *client, KoersSyncRunStats *out_stats, GError **error)
{
  SyncWait wait = { 0 };

  koers_sync_client_sync_async (client, NULL, sync_done_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  *out_stats = wait.stats;
  if (wait.error != NULL)
    {
      g_propagate_error (error, wait.error);
      return FALSE;
    }
  return TRUE;
}

/* Round @round's local edits: --changes participants get a new next action, one transaction
 * (the capture triggers queue one outbox row each). */
static gboolean
edit (Bench *b, KoersDatabase *db, guint round, GError **error)
{
  g_autofree char *value = g_strdup_printf ("Terugbellen, ronde %u", round);
  sqlite3_stmt *stmt;

  if (!koers_database_begin (db, error))
    return FALSE;
  stmt = koers_database_prepare (db, "UPDATE participant SET next_action = ?1, "
                                     "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
                                     "updated_by = 'bench' WHERE id = ?2", error);
  for (guint c = 0; stmt != NULL && c < b->changes; c++)
    {
      Person *p = g_ptr_array_index (b->people, (round * b->changes + c) % b->people->len);

      sqlite3_reset (stmt);
      koers_bind_text (stmt, 1, value);
      koers_bind_text (stmt, 2, p->id);
      if (!koers_database_step (db, stmt, NULL, error))
        stmt = NULL;
    }
  if (stmt == NULL)
    {
      koers_database_rollback (db);
      return FALSE;
    }
  return koers_database_commit (db, error);
}

/* --rounds of --changes edits, each followed by one timed sync of a KoersSyncClient in this
 * process; then --cli-rounds through koers-cli. @db_path: a database after a first sync. */
gboolean
incremental (Bench *b, const char *db_path, GArray *inproc_ms, GArray *cli_ms,
             double *out_server_ms, double *out_client_ms)
{
  g_autofree char *token_path = g_build_filename (b->tmp_dir, "token-incremental", NULL);
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(KoersMemoryTokenSource) tokens = NULL;
  g_autoptr(KoersSyncClient) client = NULL;
  KoersSyncRunStats stats;
  double server, own, before, edit_ms = 0;

  token = new_token (b, token_path, &error);
  db = token != NULL ? koers_database_open (db_path, KOERS_DATABASE_OPEN_DEFAULT, &error) : NULL;
  if (db == NULL)
    goto failed;
  tokens = koers_memory_token_source_new (token, NULL);
  client = koers_sync_client_new (db, b->base, KOERS_TOKEN_SOURCE (tokens));
  koers_sync_client_set_page_size (client, b->page_size);
  if (!sync_once (client, &stats, &error))    /* nothing to do: warms the connection path */
    goto failed;
  server = process_cpu_ms (b->server_pid);
  own = self_cpu_ms ();
  for (guint r = 0; r < b->rounds; r++)
    {
      gint64 start;
      double ms;

      before = self_cpu_ms ();
      if (!edit (b, db, r, &error))
        goto failed;
      edit_ms += self_cpu_ms () - before;
      start = g_get_monotonic_time ();
      if (!sync_once (client, &stats, &error))
        goto failed;
      ms = (g_get_monotonic_time () - start) / 1e3;
      if (stats.pushed != b->changes || stats.pulled != b->changes)
        {
          g_printerr ("bench-sync: round %u pushed %u and pulled %u, not %u\n", r, stats.pushed,
                      stats.pulled, b->changes);
          return FALSE;
        }
      g_array_append_val (inproc_ms, ms);
    }
  *out_server_ms = b->rounds > 0 ? (process_cpu_ms (b->server_pid) - server) / b->rounds : 0;
  *out_client_ms = b->rounds > 0 ? (self_cpu_ms () - own - edit_ms) / b->rounds : 0;
  /* koers-cli opens the database itself: this process lets go of it between rounds. */
  g_clear_object (&client);
  g_clear_object (&db);
  for (guint r = b->rounds; r < b->rounds + b->cli_rounds; r++)
    {
      Measure m = { 0 };

      db = koers_database_open (db_path, KOERS_DATABASE_OPEN_DEFAULT, &error);
      if (db == NULL || !edit (b, db, r, &error))
        goto failed;
      g_clear_object (&db);
      if (!run_cli (b, db_path, token_path, NULL, NULL, TRUE, &m, NULL))
        return FALSE;
      g_array_append_val (cli_ms, m.wall_ms);
    }
  return TRUE;

failed:
  g_printerr ("bench-sync: incremental: %s\n", error->message);
  return FALSE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-auth-private.h"

/* Failed logins (docs/api-protocol.md): counted per username and per client address; after
 * 5 failures of one username (50 from one address) within 15 minutes the next attempts wait
 * 30 s, and each failure after a wait doubles it, up to 15 minutes. A counter whose last
 * activity is 15 minutes old starts over, and a successful login clears both counters.
 * Counting unknown usernames too keeps the answers the same whether or not an account exists.
 *
 * The outcome of an attempt is only known after its password check (queued on a worker
 * thread, up to 8 at once), so attempts under way count as failures when the next one is
 * checked: else 8 parallel guesses would all pass a counter that allows one more. */
#define WINDOW_SECONDS   (15 * 60)
#define FIRST_WAIT       30
#define MAX_WAIT         (15 * 60)

static void
collect_keys (const char *username,
              const char *address,
              char      **keys)
{
  keys[0] = username != NULL && koers_server_auth_is_valid_username (username)
            ? g_strconcat ("gebruiker:", username, NULL) : NULL;
  keys[1] = address != NULL ? g_strconcat ("adres:", address, NULL) : NULL;
}

static gint64
free_failures (const char *key)
{
  return g_str_has_prefix (key, "adres:") ? KOERS_AUTH_FREE_FAILURES_ADDRESS
                                          : KOERS_AUTH_FREE_FAILURES_USER;
}

static guint
in_flight (KoersServerAuth *auth,
           const char      *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (auth->logins_in_flight, key));
}

static gint64
seconds_until (GDateTime  *now,
               const char *timestamp)
{
  g_autoptr(GDateTime) then = NULL;
  GTimeSpan span;

  if (timestamp == NULL)
    return 0;
  then = g_date_time_new_from_iso8601 (timestamp, NULL);
  if (then == NULL)
    return 0;
  span = g_date_time_difference (then, now);
  if (span <= 0)
    return 0;
  return (span + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND;
}

gint64
koers_server_auth_backoff_wait (KoersServerAuth *auth,
                                const char      *username,
                                const char      *address)
{
  g_autoptr(GDateTime) now = koers_server_auth_now (auth);
  g_autofree char *window_start = koers_server_auth_timestamp (auth, -WINDOW_SECONDS);
  char *keys[2];
  gint64 wait = 0;

  collect_keys (username, address, keys);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *key = keys[i];
      g_autoptr(KoersSqlRows) rows = NULL;
      g_autoptr(GError) db_error = NULL;
      KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (key) };
      gint64 failures = 0;
      guint pending;

      if (key == NULL)
        continue;
      pending = in_flight (auth, key);
      rows = koers_server_db_query (auth->db,
                                    "SELECT blocked_until, failures, "
                                    "COALESCE(blocked_until, first_failure_at) "
                                    "FROM login_attempts WHERE key = $1",
                                    params, G_N_ELEMENTS (params), &db_error);
      /* Fails open on storage trouble: the password check after it needs the database too,
       * so nobody gets in while it is down. */
      if (rows == NULL)
        g_message ("koers-server auth: back-off lookup failed: %s", db_error->message);
      else if (koers_sql_rows_get_n_rows (rows) == 1)
        {
          wait = MAX (wait, seconds_until (now, koers_sql_rows_get_text (rows, 0, 0)));
          /* A counter quiet for the whole window starts over (record_failure deletes it). */
          if (g_strcmp0 (koers_sql_rows_get_text (rows, 0, 2), window_start) >= 0)
            failures = koers_sql_rows_get_int (rows, 0, 1);
        }
      if (pending > 0 && failures + pending >= free_failures (key))
        wait = MAX (wait, KOERS_AUTH_IN_FLIGHT_WAIT);
    }
  return wait;
}

static void
change_in_flight (KoersServerAuth *auth,
                  const char      *username,
                  const char      *address,
                  int              delta)
{
  char *keys[2];

  collect_keys (username, address, keys);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *key = keys[i];
      guint count;

      if (key == NULL)
        continue;
      count = in_flight (auth, key);
      if (delta < 0 && count == 0)
        continue;   /* not begun: nothing to end */
      count = (guint) ((int) count + delta);
      if (count == 0)
        g_hash_table_remove (auth->logins_in_flight, key);
      else
        g_hash_table_replace (auth->logins_in_flight, g_steal_pointer (&key),
                              GUINT_TO_POINTER (count));
    }
}

void
koers_server_auth_backoff_begin (KoersServerAuth *auth,
                                 const char      *username,
                                 const char      *address)
{
  change_in_flight (auth, username, address, 1);
}

void
koers_server_auth_backoff_end (KoersServerAuth *auth,
                               const char      *username,
                               const char      *address)
{
  change_in_flight (auth, username, address, -1);
}

static gboolean
record_failure (KoersServerAuth *auth,
                const char      *key,
                GError         **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autofree char *now = koers_server_auth_timestamp (auth, 0);
  g_autofree char *window_start = koers_server_auth_timestamp (auth, -WINDOW_SECONDS);
  g_autofree char *first_failure_at = NULL;
  g_autofree char *blocked_until = NULL;
  gint64 failures = 1;

  {
    KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (window_start) };

    /* Forget counters nobody touched within the window, so the table stays small. */
    if (!koers_server_db_exec (auth->db,
                               "DELETE FROM login_attempts "
                               "WHERE COALESCE(blocked_until, first_failure_at) < $1",
                               params, G_N_ELEMENTS (params), NULL, error))
      return FALSE;
  }
  {
    KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (key) };

    rows = koers_server_db_query (auth->db,
                                  "SELECT failures, first_failure_at FROM login_attempts "
                                  "WHERE key = $1",
                                  params, G_N_ELEMENTS (params), error);
    if (rows == NULL)
      return FALSE;
  }
  if (koers_sql_rows_get_n_rows (rows) == 1)
    {
      failures = koers_sql_rows_get_int (rows, 0, 0) + 1;
      first_failure_at = g_strdup (koers_sql_rows_get_text (rows, 0, 1));
    }
  else
    first_failure_at = g_strdup (now);

  if (failures >= free_failures (key))
    {
      gint64 doublings = failures - free_failures (key);
      gint64 wait = doublings >= 5 ? MAX_WAIT : MIN (FIRST_WAIT << doublings, MAX_WAIT);

      blocked_until = koers_server_auth_timestamp (auth, wait);
    }

  {
    KoersSqlValue params[] = {
      KOERS_SQL_TEXT_VALUE (key), KOERS_SQL_INT_VALUE (failures),
      KOERS_SQL_TEXT_VALUE (first_failure_at), KOERS_SQL_TEXT_VALUE (blocked_until),
    };

    return koers_server_db_exec (auth->db,
                                 "INSERT INTO login_attempts (key, failures, first_failure_at, "
                                 "blocked_until) VALUES ($1, $2, $3, $4) "
                                 "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
                                 "first_failure_at = excluded.first_failure_at, "
                                 "blocked_until = excluded.blocked_until",
                                 params, G_N_ELEMENTS (params), NULL, error);
  }
}

void
koers_server_auth_backoff_fail (KoersServerAuth *auth,
                                const char      *username,
                                const char      *address)
{
  g_autoptr(GError) error = NULL;
  char *keys[2];
  gboolean ok;

  collect_keys (username, address, keys);
  ok = koers_server_db_begin (auth->db, NULL, &error);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (ok && keys[i] != NULL)
        ok = record_failure (auth, keys[i], &error);
      g_free (keys[i]);
    }
  if (ok)
    ok = koers_server_db_commit (auth->db, &error);
  if (!ok)
    {
      koers_server_db_rollback (auth->db);
      g_message ("koers-server auth: could not count a failed login: %s", error->message);
    }
}

void
koers_server_auth_backoff_reset (KoersServerAuth *auth,
                                 const char      *username,
                                 const char      *address)
{
  g_autoptr(GError) error = NULL;
  char *keys[2];

  collect_keys (username, address, keys);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *key = keys[i];
      KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (key) };

      if (key != NULL && error == NULL
          && !koers_server_db_exec (auth->db, "DELETE FROM login_attempts WHERE key = $1",
                                    params, G_N_ELEMENTS (params), NULL, &error))
        g_message ("koers-server auth: could not reset failed logins: %s", error->message);
    }
}

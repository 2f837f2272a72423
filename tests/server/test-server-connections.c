/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-server's connections, on both back ends: a connection is kept open for the next
 * request (keep-alive: a client does not pay a TCP handshake per request), yet no connection
 * is held for ever: the header deadline (a client that trickles its headers, or an idle
 * kept-alive connection, is disconnected), the whole-request deadline (a body trickled a byte
 * at a time) and the connection cap.
 */
#include "config.h"

#include "koers-test-server.h"

#include "koers-test-postgres.h"
#include "koers-test-raw-client.h"

#include <string.h>

/* ---- keep-alive ------------------------------------------------------------------------- */

static char *
profile_request (const char *token,
                 gboolean    close)
{
  return g_strdup_printf ("GET /v1/profiel HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\n%s\r\n", token,
                          close ? "Connection: close\r\n" : "");
}

static void
test_keep_alive (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autofree char *first = profile_request (coach, FALSE);
  g_autofree char *last = profile_request (coach, TRUE);
  RawClient *client;
  gint64 start;

  koers_server_set_header_timeout (f->server, 1);

  /* Three requests, one connection: each answered, the connection still open after the
   * first two (HTTP/1.1 keeps it unless someone says close). */
  client = raw_connect (f);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (raw_write (client, first, strlen (first)));
      g_assert_true (raw_wait_response (client, 3000));
      g_assert_cmpuint (raw_check_response (f, client, "GET", "/v1/profiel"), ==, 200);
      g_assert_false (client->closed);
    }
  g_assert_true (raw_write (client, last, strlen (last)));
  g_assert_true (raw_wait_closed (client, 3000));
  g_assert_cmpuint (raw_check_response (f, client, "GET", "/v1/profiel"), ==, 200);
  raw_free (client);

  /* A kept-alive connection that then stays silent gets the header deadline again: it is
   * closed after a second, unanswered, not held open for ever. */
  client = raw_connect (f);
  g_assert_true (raw_write (client, first, strlen (first)));
  g_assert_true (raw_wait_response (client, 3000));
  g_assert_cmpuint (raw_check_response (f, client, "GET", "/v1/profiel"), ==, 200);
  start = g_get_monotonic_time ();
  g_assert_true (raw_wait_closed (client, 4000));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 500 * 1000);
  g_assert_cmpuint (client->received->len, ==, 0);
  raw_free (client);
}

/* ---- header deadline -------------------------------------------------------------------- */

static void
test_slow_headers (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autoptr (JsonNode) node = NULL;
  RawClient *client;
  gint64 start;
  gint64 elapsed;
  guint status = 0;
  guint lines = 0;

  g_assert_cmpuint (koers_server_get_header_timeout (f->server), ==, 10);
  koers_server_set_header_timeout (f->server, 1);

  /* Slowloris: a header line every 200 ms keeps the connection busy but never finishes. The
   * deadline is total, so the trickle does not extend it. */
  client = raw_connect (f);
  start = g_get_monotonic_time ();
  g_assert_true (raw_write (client, "GET /v1/profiel HTTP/1.1\r\n", 26));
  while (!client->closed && g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
    {
      if (raw_wait_closed (client, 200))
        break;
      if (!raw_write (client, "X-Langzaam: ja\r\n", 16))
        break;
      lines++;
    }
  elapsed = g_get_monotonic_time () - start;
  g_assert_true (raw_wait_closed (client, 3000));
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpint (elapsed, >=, 900 * 1000);
  g_assert_cmpint (elapsed, <, 4 * G_USEC_PER_SEC);
  g_assert_cmpuint (lines, >=, 3);
  /* Dropped, not answered: nothing was sent back. */
  g_assert_cmpuint (client->received->len, ==, 0);
  raw_free (client);

  /* A connection that sends nothing at all is dropped too. */
  client = raw_connect (f);
  start = g_get_monotonic_time ();
  g_assert_true (raw_wait_closed (client, 4000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  raw_free (client);

  /* A request whose headers come in time is served as usual. */
  client = raw_connect (f);
  {
    g_autofree char *request = g_strdup_printf ("GET /v1/profiel HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                "Authorization: Bearer %s\r\n"
                                                "Connection: close\r\n\r\n", coach);

    g_assert_true (raw_write (client, request, strlen (request)));
  }
  g_assert_true (raw_wait_closed (client, 3000));
  g_assert_cmpuint (raw_check_response (f, client, "GET", "/v1/profiel"), ==, 200);
  raw_free (client);

  node = koers_test_server_request (f, "GET", "/v1/profiel", coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
}

/* ---- body deadline ---------------------------------------------------------------------- */

static void
test_slow_body (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autofree char *head = g_strdup_printf ("POST /v1/mutaties HTTP/1.1\r\n"
                                           "Host: 127.0.0.1\r\n"
                                           "Authorization: Bearer %s\r\n"
                                           "Content-Type: application/json\r\n"
                                           "Content-Length: 100000\r\n\r\n{", coach);
  g_autoptr (JsonNode) node = NULL;
  RawClient *client;
  gint64 start;
  gint64 elapsed;
  guint status = 0;
  guint bytes = 0;

  g_assert_cmpuint (koers_server_get_request_timeout (f->server), ==, 60);
  koers_server_set_header_timeout (f->server, 1);
  koers_server_set_request_timeout (f->server, 2);

  /* The headers come at once; then the body trickles, a byte every 200 ms: the connection
   * is dropped when the request deadline (2 s from the start) passes, not kept for ever. */
  client = raw_connect (f);
  start = g_get_monotonic_time ();
  g_assert_true (raw_write (client, head, strlen (head)));
  while (!client->closed && g_get_monotonic_time () - start < 6 * G_USEC_PER_SEC)
    {
      if (raw_wait_closed (client, 200))
        break;
      if (!raw_write (client, " ", 1))
        break;
      bytes++;
    }
  g_assert_true (raw_wait_closed (client, 3000));
  elapsed = g_get_monotonic_time () - start;
  g_assert_cmpint (elapsed, >=, 1800 * 1000);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  /* Past the 1 s header deadline: that one no longer applied once the headers were in. */
  g_assert_cmpuint (bytes, >=, 6);
  g_assert_cmpuint (client->received->len, ==, 0);
  raw_free (client);

  /* A request whose body comes in time is served as usual. */
  node = koers_test_server_request (f, "POST", "/v1/mutaties", coach, "{\"mutaties\": []}",
                                    &status, NULL);
  g_assert_cmpuint (status, ==, 200);
}

/* ---- connection cap --------------------------------------------------------------------- */

static void
test_connection_cap (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autoptr (JsonNode) node = NULL;
  RawClient *held[2];
  RawClient *extra;
  guint status = 0;

  g_assert_cmpuint (koers_server_get_max_connections (f->server), ==, 512);
  koers_server_set_max_connections (f->server, 2);

  /* Two idle connections fill the cap (the fixture's client has none open yet). */
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      held[i] = raw_connect (f);
      g_assert_false (raw_wait_closed (held[i], 200));
    }
  /* One more is closed at once, unanswered. */
  extra = raw_connect (f);
  g_assert_true (raw_wait_closed (extra, 2000));
  g_assert_cmpuint (extra->received->len, ==, 0);
  raw_free (extra);
  /* The two held are still open. */
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    g_assert_false (raw_wait_closed (held[i], 50));

  /* Once they close, there is room again. */
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    raw_free (held[i]);
  koers_test_server_spin (300);
  node = koers_test_server_request (f, "GET", "/v1/profiel", coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
}

/* ---- answers held for their audit rows ------------------------------------------------- */

static char *
record_request (const char *path,
                const char *token)
{
  return g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\n\r\n", path, token);
}

/* A read's answer waits until its audit row is on disk, written by another thread: while
 * another process holds the database's write lock, no answer goes out; a client that hangs
 * up meanwhile disturbs nobody, and once the lock is free the other reads are answered and
 * every read is audited. (libsoup does not always notice such a hang-up while the message
 * waits; when it does, as at the end of a wrk run, the queue must not touch the message
 * again: koers-server-audit-queue.c.) SQLite only: the lock is the database file's own,
 * which another connection can take in a test. */
static void
test_gone_while_audited (void)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (KOERS_SERVER_DB_SQLITE);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autofree char *participant = koers_test_server_add_participant (f, KOERS_TEST_A_COACH,
                                                                    f->users[KOERS_TEST_A_COACH]
                                                                    .user_id, "Noor Visser");
  g_autofree char *path = g_strdup_printf ("/v1/deelnemers/%s", participant);
  g_autofree char *request = record_request (path, coach);
  g_autofree char *profile = profile_request (coach, FALSE);
  g_autoptr (KoersServerDb) blocker = NULL;
  g_autoptr (KoersSqlRows) rows = NULL;
  g_autoptr (GError) error = NULL;
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (participant) };
  RawClient *leaving;
  RawClient *staying;

  blocker = koers_server_db_connect (f->location, &error);
  g_assert_no_error (error);
  koers_server_db_begin (blocker, f->organisation_a, &error);
  g_assert_no_error (error);

  /* The leaving client pipelines a request behind one whose answer it never reads, so its
   * hang-up is a reset, as when a load generator stops. */
  leaving = raw_connect (f);
  staying = raw_connect (f);
  g_assert_true (raw_write (leaving, profile, strlen (profile)));
  g_assert_true (raw_write (leaving, request, strlen (request)));
  g_assert_true (raw_write (staying, request, strlen (request)));
  g_assert_false (raw_wait_response (staying, 400));
  raw_free (leaving);
  koers_test_server_spin (200);

  koers_server_db_commit (blocker, &error);
  g_assert_no_error (error);
  g_assert_true (raw_wait_response (staying, 5000));
  g_assert_cmpuint (raw_check_response (f, staying, "GET", path), ==, 200);
  raw_free (staying);

  /* Both reads left their row, the answered one and the one nobody waited for. */
  rows = koers_server_db_query (f->db, "SELECT count(*) FROM audit WHERE record_id = $1 "
                                "AND action = 'lezen'", params, G_N_ELEMENTS (params), &error);
  g_assert_no_error (error);
  g_assert_cmpint (koers_sql_rows_get_int (rows, 0, 0), ==, 2);
}

/* ---- feed pages read on reader threads (koers-server-readers.c) ----------------------- */

/* A connection that holds every record locked, as a long write would: PostgreSQL only, where
 * a lock can hold a reader back (SQLite's readers never wait). */
static KoersServerDb *
lock_records (KoersTestServer *f)
{
  g_autoptr (GError) error = NULL;
  KoersServerDb *blocker = koers_server_db_connect (f->location, &error);

  g_assert_no_error (error);
  koers_server_db_begin (blocker, f->organisation_a, &error);
  g_assert_no_error (error);
  koers_server_db_exec (blocker, "LOCK TABLE records IN ACCESS EXCLUSIVE MODE", NULL, 0, NULL,
                        &error);
  g_assert_no_error (error);
  return blocker;
}

/* Waits until a reader waits for @blocker's lock: the request is being read. */
static void
wait_for_waiting_reader (KoersServerDb *blocker)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gint64 waiting = 0;

  while (waiting == 0 && g_get_monotonic_time () < end)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KoersSqlRows) rows = koers_server_db_query (blocker, "SELECT count(*) "
                                                                      "FROM pg_locks "
                                                                      "WHERE NOT granted",
                                                             NULL, 0, &error);

      g_assert_no_error (error);
      waiting = koers_sql_rows_get_int (rows, 0, 0);
      koers_test_server_spin (10);
    }
  g_assert_cmpint (waiting, >, 0);
}

static gint64
count_feed_audits (KoersTestServer *f, const char *result)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersSqlRows) rows = NULL;
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (result) };
  gint64 count;

  koers_server_db_begin (f->db, f->organisation_a, &error);
  g_assert_no_error (error);
  rows = koers_server_db_query (f->db, "SELECT count(*) FROM audit "
                                "WHERE action = 'synchroniseren' AND result = $1",
                                params, G_N_ELEMENTS (params), &error);
  g_assert_no_error (error);
  count = koers_sql_rows_get_int (rows, 0, 0);
  koers_server_db_rollback (f->db);
  return count;
}

/* The coach's caseload gets one participant (her id returned), *out_request a full feed
 * request for a raw client, and *out_blocker a connection that holds the records locked. */
static char *
prepare_locked_feed (KoersTestServer *f, char **out_request, KoersServerDb **out_blocker)
{
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  char *participant = koers_test_server_add_participant (f, KOERS_TEST_A_COACH,
                                                         f->users[KOERS_TEST_A_COACH].user_id,
                                                         "Noor Visser");

  *out_request = record_request ("/v1/wijzigingen?limiet=500", coach);
  *out_blocker = lock_records (f);
  return participant;
}

/* While another connection holds a lock on the records, a page's read waits at most the lock
 * timeout and the client gets 503 to try again; once the lock is gone the feed is served
 * again (the reader connects anew after a busy read) and audited. */
static void
test_feed_busy (void)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (KOERS_SERVER_DB_POSTGRESQL);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autofree char *request = NULL;
  g_autoptr (KoersServerDb) blocker = NULL;
  g_autofree char *participant = prepare_locked_feed (f, &request, &blocker);
  g_autoptr (JsonNode) page = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  RawClient *client;
  guint status = 0;

  client = raw_connect (f);
  g_assert_true (raw_write (client, request, strlen (request)));
  g_assert_true (raw_wait_response (client, 5000));
  g_assert_cmpuint (raw_check_response (f, client, "GET", "/v1/wijzigingen"), ==, 503);
  raw_free (client);

  koers_server_db_commit (blocker, &error);
  g_assert_no_error (error);
  page = koers_test_server_request (f, "GET", "/v1/wijzigingen?limiet=500", coach, NULL,
                                    &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  text = json_to_string (page, FALSE);
  g_assert_nonnull (strstr (text, participant));
  g_assert_cmpint (count_feed_audits (f, "gelukt"), ==, 1);
}

/* A page whose client is gone by the time it has been read is not sent (nor audited: no
 * participant's data left the server), and nothing touches the dead message: here the
 * server drops every connection while the read waits for a lock. */
static void
test_gone_while_reading (void)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (KOERS_SERVER_DB_POSTGRESQL);
  g_autofree char *request = NULL;
  g_autoptr (KoersServerDb) blocker = NULL;
  g_autofree char *participant = prepare_locked_feed (f, &request, &blocker);
  g_autoptr (GError) error = NULL;
  RawClient *client;

  client = raw_connect (f);
  g_assert_true (raw_write (client, request, strlen (request)));
  wait_for_waiting_reader (blocker);
  koers_server_disconnect (f->server);
  g_assert_true (raw_wait_closed (client, 5000));
  g_assert_cmpuint (client->received->len, ==, 0);
  raw_free (client);
  /* The read fails after the lock timeout (250 ms) and comes back to nobody: touching the
   * dropped message (unpausing it, answering it) would be a critical, fatal in a test. */
  koers_test_server_spin (800);
  koers_server_db_commit (blocker, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_feed_audits (f, "gelukt"), ==, 0);
}

/* ---- answers libsoup writes itself ------------------------------------------------------ */

/* Requests libsoup 3.2 refuses before any handler runs: each answer is still problem+json
 * with the common headers (checked as every response is), and nothing of the request. */
static void
test_unreadable_requests (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestServer) f = koers_test_server_new (backend);
  const struct {
    const char *request;
    guint       status;
  } cases[] = {
    { "BLAH /v1/profiel?naam=Fatima\r\n\r\n", 400 },
    /* libsoup 3.2 itself leaks the path of a request it refuses for its Transfer-Encoding
     * (the copy soup_headers_parse_request made), which the sanitizer build's leak check cannot
     * tell from a leak of ours (libglib's frames hide the caller); the answer is written by the
     * same code as the other three, so that build leaves this case out. */
#ifndef __SANITIZE_ADDRESS__
    { "GET /v1/profiel HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501 },
#endif
    { "GET /v1/profiel HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 200-ok\r\n\r\n", 417 },
    { "GET /v1/profiel HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", 505 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RawClient *client = raw_connect (f);
      const char *data;

      g_assert_true (raw_write (client, cases[i].request, strlen (cases[i].request)));
      /* The answer has no length: it ends where libsoup closes the connection. */
      g_assert_true (raw_wait_closed (client, 3000));
      data = (const char *) client->received->data;
      g_assert_null (g_strstr_len (data, client->received->len, "Fatima"));
      g_assert_cmpuint (raw_check_response (f, client, "GET", "/v1/profiel"), ==,
                        cases[i].status);
      raw_free (client);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-connections/keep-alive", test_keep_alive);
  koers_test_server_db_add ("/server-connections/slow-headers", test_slow_headers);
  koers_test_server_db_add ("/server-connections/slow-body", test_slow_body);
  koers_test_server_db_add ("/server-connections/connection-cap", test_connection_cap);
  koers_test_server_db_add ("/server-connections/unreadable-requests",
                            test_unreadable_requests);
  g_test_add_func ("/server-connections/sqlite/gone-while-audited", test_gone_while_audited);
  g_test_add_func ("/server-connections/postgresql/feed-busy", test_feed_busy);
  g_test_add_func ("/server-connections/postgresql/gone-while-reading",
                   test_gone_while_reading);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-server: koers-server under load (issue 4, "Benchmarks"): no errors and p99 <= 50 ms for
 * an authorised read and a changes-feed page with 50 connections, on SQLite and PostgreSQL.
 *
 * Per back end: a new database (SQLite: a temporary file; PostgreSQL: a throwaway cluster on
 * loopback with a role that is neither superuser nor BYPASSRLS, tests/server/koers-test-postgres.c)
 * with one organisation, a coach and an ondersteuner, N participants created through
 * koers_server_engine_push_batch() in batches of 100; then
 *   - the median time of a 100-mutation batch (100 new participants) through the engine,
 *   - koers-server --database ... --listen 127.0.0.1:PORT started as a child process,
 *   - the median time of a 100-mutation POST /v1/mutaties (audited, as the server does it),
 *   - wrk against GET /v1/deelnemers/<id> and GET /v1/wijzigingen?vanaf=<mid>&limiet=500,
 * and a table at the end. Tokens come from koers_server_auth_issue_tokens(): there is no CLI
 * path to a token without the browser flow. Every read writes its audit rows: that is part of
 * what is measured. "socket" counts wrk's socket errors (connect, read, write, timeout): a read
 * error is a connection the server closed after answering, a timeout a request without an
 * answer within wrk's 2 s. Run with --verbose for wrk's own output.
 *
 *   bench-server [--participants 10000] [--batches 20] [--duration 20s] [--connections 50]
 *                [--threads 2] [--backend sqlite|postgresql|both] [--verbose]
 */
#include "config.h"

#include "bench-net.h"

#include "server/koers-server-auth.h"
#include "server/koers-server-engine.h"

#include "koers-test-postgres.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 100

static guint opt_participants = 10000;
static guint opt_batches = 20;
static char *opt_duration = NULL;
static guint opt_connections = 50;
static guint opt_threads = 2;
static char *opt_backend = NULL;
static char *opt_server = NULL;
static char *opt_wrk = NULL;
static gboolean opt_verbose = FALSE;

typedef struct {
  double   requests_per_s;
  double   p50_ms;
  double   p99_ms;
  guint64  requests;
  guint64  non_2xx;
  guint64  socket_errors;
  double   load;
  double   cpu_ms;     /* the server's user + system CPU per request */
  double   cpu_share;  /* of one core, over the run */
  gboolean ok;
} WrkResult;

typedef struct {
  const char *backend;
  double      setup_s;
  double      engine_batch_ms;
  double      http_batch_ms;
  WrkResult   get;
  WrkResult   feed;
} BackendResult;

typedef struct {
  KoersServerDb     *db;
  KoersServerEngine *engine;
  KoersServerCaller *caller;   /* the coach on the set-up device */
  char              *coach_id;
  gint64             number;   /* the set-up device's last volgnummer */
} Setup;

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

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  if (values->len == 0)
    return -1;
  return g_array_index (values, double, values->len / 2);
}

/* {"mutaties": [...]}: @n new participants in @coach_id's caseload, numbered after *number. */
static char *
batch_body (const char *coach_id,
            gint64     *number,
            guint       n,
            char      **out_first_id)
{
  static const char *const municipalities[] = { "aalten", "berkelland", "doetinchem",
                                                "winterswijk" };
  GString *body = g_string_new ("{\"mutaties\": [");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *mutation_id = g_uuid_string_random ();

      *number += 1;
      g_string_append_printf (body,
                              "%s{\"mutatieId\": \"%s\", \"volgnummer\": %" G_GINT64_FORMAT ", "
                              "\"entiteit\": \"deelnemers\", \"recordId\": \"%s\", "
                              "\"actie\": \"aanmaken\", \"basisVersie\": null, \"velden\": {"
                              "\"naam\": {\"was\": null, \"wordt\": \"Deelnemer %" G_GINT64_FORMAT
                              "\"}, \"gemeente\": {\"was\": null, \"wordt\": \"%s\"}, "
                              "\"doelgroep\": {\"was\": null, \"wordt\": \"nug\"}, "
                              "\"status\": {\"was\": null, \"wordt\": \"registered\"}, "
                              "\"coachId\": {\"was\": null, \"wordt\": \"%s\"}}}",
                              i > 0 ? ", " : "", mutation_id, *number, id, *number,
                              municipalities[*number % G_N_ELEMENTS (municipalities)], coach_id);
      if (i == 0 && out_first_id != NULL)
        *out_first_id = g_strdup (id);
    }
  g_string_append (body, "]}");
  return g_string_free (body, FALSE);
}

/* TRUE when every result of the push response is "toegepast". */
static gboolean
all_applied (JsonNode *response,
             guint     expected)
{
  JsonArray *results = json_object_get_array_member (json_node_get_object (response),
                                                     "resultaten");

  if (results == NULL || json_array_get_length (results) != expected)
    return FALSE;
  for (guint i = 0; i < expected; i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (results, i),
                                                  "status"), "toegepast") != 0)
      return FALSE;
  return TRUE;
}

/* One engine batch; returns its time in ms, or < 0 on failure. */
static double
engine_batch (Setup  *setup,
              char  **out_first_id)
{
  g_autofree char *body = batch_body (setup->coach_id, &setup->number, BATCH, out_first_id);
  g_autoptr(JsonNode) request = json_from_string (body, NULL);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  response = koers_server_engine_push_batch (setup->engine, setup->caller, request, NULL, &error);
  if (response == NULL || !all_applied (response, BATCH))
    {
      g_printerr ("bench-server: engine batch failed: %s\n",
                  error != NULL ? error->message : "not every mutation applied");
      return -1;
    }
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* The organisation, users, tokens, participants and engine batches. Fills the token and the
 * ids the HTTP part needs. */
static gboolean
prepare (const char    *location,
         BackendResult *result,
         char         **out_token,
         char         **out_participant,
         char         **out_mid_cursor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *org = NULL;
  g_autofree char *support_id = NULL;
  g_autofree char *setup_device = NULL;
  g_autofree char *http_device = NULL;
  g_autofree char *access = NULL;
  g_autofree char *unused_access = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *unused_refresh = NULL;
  g_autofree char *cursor = NULL;
  KoersServerAuth *auth;
  Setup setup = { 0 };
  gint64 start = g_get_monotonic_time ();
  gboolean ok = FALSE;

  setup.db = koers_server_db_open (location, &error);
  if (setup.db == NULL)
    {
      g_printerr ("bench-server: cannot open %s: %s\n", location, error->message);
      return FALSE;
    }
  auth = koers_server_auth_new (setup.db);
  setup.engine = koers_server_engine_new (setup.db);

  org = koers_server_auth_add_organisation (auth, "Bench Achterhoek", &error);
  if (org != NULL)
    setup.coach_id = koers_server_auth_add_user (auth, org, "coach", "Coach Bench",
                                                 KOERS_SERVER_ROLE_COACH, "bench-wachtwoord-1",
                                                 &error);
  if (setup.coach_id != NULL)
    support_id = koers_server_auth_add_user (auth, org, "ondersteuner", "Ondersteuner Bench",
                                             KOERS_SERVER_ROLE_ONDERSTEUNER,
                                             "bench-wachtwoord-2", &error);
  if (support_id != NULL)
    setup_device = koers_server_auth_issue_tokens (auth, setup.coach_id, "bench set-up",
                                                   &unused_access, &unused_refresh, &error);
  if (setup_device != NULL)
    http_device = koers_server_auth_issue_tokens (auth, setup.coach_id, "bench wrk", &access,
                                                  &refresh, &error);
  if (http_device == NULL)
    {
      g_printerr ("bench-server: set-up failed: %s\n", error->message);
      goto out;
    }
  setup.caller = koers_server_caller_new (setup.coach_id, org, "Coach Bench",
                                          KOERS_SERVER_ROLE_COACH, setup_device);

  for (guint done = 0; done < opt_participants; done += BATCH)
    {
      g_autofree char *first = NULL;

      if (engine_batch (&setup, &first) < 0)
        goto out;
      /* A participant from the middle of the caseload for the reads. */
      if (done == (opt_participants / 2 / BATCH) * BATCH)
        *out_participant = g_steal_pointer (&first);
    }
  result->setup_s = (g_get_monotonic_time () - start) / 1e6;

  for (guint i = 0; i < opt_batches; i++)
    {
      double ms = engine_batch (&setup, NULL);

      if (ms < 0)
        goto out;
      g_array_append_val (times, ms);
    }
  result->engine_batch_ms = median (times);

  /* A cursor half-way through the feed: a page of 500 that a client mid-sync asks for. */
  for (guint i = 0; i < MAX (1, opt_participants / 2 / 500); i++)
    {
      g_autoptr(JsonNode) page = koers_server_engine_pull (setup.engine, setup.caller, cursor,
                                                           500, &error);

      if (page == NULL)
        {
          g_printerr ("bench-server: pull failed: %s\n", error->message);
          goto out;
        }
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (json_node_get_object (page),
                                                        "volgendeCursor"));
    }
  *out_mid_cursor = g_steal_pointer (&cursor);
  *out_token = g_steal_pointer (&access);
  ok = TRUE;

out:
  g_clear_pointer (&setup.caller, koers_server_caller_free);
  g_free (setup.coach_id);
  koers_server_engine_free (setup.engine);
  koers_server_auth_free (auth);
  koers_server_db_free (setup.db);
  return ok;
}

/* Sends one request; returns the status and (nullable) the body. */
static guint
http (SoupSession  *session,
      const char   *method,
      const char   *url,
      const char   *token,
      const char   *body,
      GBytes      **out_body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autofree char *authorization = g_strdup_printf ("Bearer %s", token);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;

  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization",
                               authorization);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  if (answer == NULL)
    {
      g_printerr ("bench-server: %s %s: %s\n", method, url, error->message);
      return 0;
    }
  if (out_body != NULL)
    *out_body = g_steal_pointer (&answer);
  return soup_message_get_status (msg);
}

/* Median time of POST /v1/mutaties with 100 new participants on the wrk token's device. */
static double
http_batches (SoupSession *session,
              const char  *base,
              const char  *token,
              const char  *coach_id)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *url = g_strdup_printf ("%s/v1/mutaties", base);
  gint64 number = 0;

  for (guint i = 0; i < opt_batches; i++)
    {
      g_autofree char *body = batch_body (coach_id, &number, BATCH, NULL);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(JsonNode) response = NULL;
      gint64 start = g_get_monotonic_time ();
      guint status = http (session, "POST", url, token, body, &answer);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      if (status == 200)
        response = json_from_string (g_bytes_get_data (answer, NULL), NULL);
      if (response == NULL || !all_applied (response, BATCH))
        {
          g_printerr ("bench-server: POST /v1/mutaties answered %u\n", status);
          return -1;
        }
      g_array_append_val (times, ms);
    }
  return median (times);
}

/* "12.34ms" -> 12.34; units us, ms, s, m. */
static double
parse_duration_ms (const char *text)
{
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);

  if (g_str_has_prefix (end, "us"))
    return value / 1000.0;
  if (g_str_has_prefix (end, "ms"))
    return value;
  if (g_str_has_prefix (end, "s"))
    return value * 1000.0;
  if (g_str_has_prefix (end, "m"))
    return value * 60000.0;
  return -1;
}

static void
parse_wrk (const char *output,
           WrkResult  *result)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  gboolean have_rate = FALSE, have_p99 = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);
      guint64 a = 0, b = 0, c = 0, d = 0;

      if (g_str_has_prefix (line, "Requests/sec:"))
        {
          result->requests_per_s = g_ascii_strtod (line + strlen ("Requests/sec:"), NULL);
          have_rate = TRUE;
        }
      else if (g_str_has_prefix (line, "50%"))
        result->p50_ms = parse_duration_ms (g_strchug ((char *) line + 3));
      else if (g_str_has_prefix (line, "99%"))
        {
          result->p99_ms = parse_duration_ms (g_strchug ((char *) line + 3));
          have_p99 = result->p99_ms >= 0;
        }
      else if (g_str_has_prefix (line, "Non-2xx or 3xx responses:"))
        result->non_2xx = g_ascii_strtoull (line + strlen ("Non-2xx or 3xx responses:"),
                                            NULL, 10);
      else if (sscanf (line, "Socket errors: connect %" G_GUINT64_FORMAT ", read %"
                       G_GUINT64_FORMAT ", write %" G_GUINT64_FORMAT ", timeout %"
                       G_GUINT64_FORMAT, &a, &b, &c, &d) == 4)
        result->socket_errors = a + b + c + d;
      else if (strstr (line, " requests in ") != NULL)
        result->requests = g_ascii_strtoull (line, NULL, 10);
    }
  result->ok = have_rate && have_p99;
}

/* User + system CPU seconds of process @pid so far (/proc/PID/stat), or < 0. */
static double
process_cpu_s (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid != NULL ? pid : "self");
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (pid == NULL || !g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  /* The name in parentheses may hold spaces: count fields after its closing parenthesis. */
  after_name = strrchr (text, ')');
  if (after_name == NULL)
    return -1;
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return -1;
  /* Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the name. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / sysconf (_SC_CLK_TCK);
}

static void
run_wrk (const char *url,
         const char *token,
         const char *server_pid,
         WrkResult  *result)
{
  double cpu_before = process_cpu_s (server_pid);
  gint64 start = g_get_monotonic_time ();
  g_autofree char *header = g_strdup_printf ("Authorization: Bearer %s", token);
  g_autofree char *connections = g_strdup_printf ("%u", opt_connections);
  g_autofree char *threads = g_strdup_printf ("%u", opt_threads);
  const char *argv[] = { opt_wrk, "-c", connections, "-d", opt_duration, "-t", threads,
                         "--latency", "-H", header, url, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  result->load = load_average ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &wait_status, &error)
      || !g_spawn_check_wait_status (wait_status, &error))
    {
      g_printerr ("bench-server: wrk: %s %s\n", error->message, err != NULL ? err : "");
      return;
    }
  if (opt_verbose)
    g_print ("%s", out);
  parse_wrk (out, result);
  if (cpu_before >= 0 && result->requests > 0)
    {
      double cpu = process_cpu_s (server_pid) - cpu_before;

      result->cpu_ms = cpu * 1000.0 / result->requests;
      result->cpu_share = cpu / ((g_get_monotonic_time () - start) / 1e6);
    }
  if (!result->ok)
    g_printerr ("bench-server: could not read wrk's output:\n%s\n", out);
}

static gboolean
run_backend (KoersServerDbBackend backend,
             BackendResult       *result)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *location = NULL;
  g_autofree char *token = NULL;
  g_autofree char *participant = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *base = NULL;
  g_autofree char *get_url = NULL;
  g_autofree char *feed_url = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *coach_id = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GBytes) answer = NULL;
  guint port;
  guint status;
  gboolean ok = FALSE;

  result->backend = backend == KOERS_SERVER_DB_SQLITE ? "sqlite" : "postgresql";
  if (backend == KOERS_SERVER_DB_SQLITE)
    {
      tmp_dir = g_dir_make_tmp ("bench-server-XXXXXX", &error);
      if (tmp_dir != NULL)
        location = g_build_filename (tmp_dir, "server.db", NULL);
    }
  else
    location = koers_test_postgres_new_database (&error);
  if (location == NULL)
    {
      g_printerr ("bench-server: no %s database: %s\n", result->backend, error->message);
      return FALSE;
    }

  g_print ("%s: creating %u participants ...\n", result->backend, opt_participants);
  if (!prepare (location, result, &token, &participant, &cursor))
    goto out;

  port = bench_free_port ();
  listen = g_strdup_printf ("127.0.0.1:%u", port);
  base = g_strdup_printf ("http://127.0.0.1:%u", port);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, opt_server,
                             "--database", location, "--listen", listen, NULL);
  if (server == NULL || !bench_wait_for_server (port))
    {
      g_printerr ("bench-server: koers-server did not start: %s\n",
                  error != NULL ? error->message : "no answer on its port");
      goto out;
    }

  session = soup_session_new ();
  get_url = g_strdup_printf ("%s/v1/deelnemers/%s", base, participant);
  status = http (session, "GET", get_url, token, NULL, &answer);
  if (status != 200)
    {
      g_printerr ("bench-server: GET %s answered %u\n", get_url, status);
      goto out;
    }
  /* The coach id for the HTTP batches, as the server shows it. */
  {
    g_autoptr(JsonNode) record = json_from_string (g_bytes_get_data (answer, NULL), NULL);
    JsonObject *fields = json_object_get_object_member (json_node_get_object (record),
                                                        "gegevens");

    coach_id = g_strdup (json_object_get_string_member (fields, "coachId"));
  }
  escaped = g_uri_escape_string (cursor, NULL, FALSE);
  feed_url = g_strdup_printf ("%s/v1/wijzigingen?vanaf=%s&limiet=500", base, escaped);
  status = http (session, "GET", feed_url, token, NULL, NULL);
  if (status != 200)
    {
      g_printerr ("bench-server: GET %s answered %u\n", feed_url, status);
      goto out;
    }

  g_print ("%s: %u HTTP batches ...\n", result->backend, opt_batches);
  result->http_batch_ms = http_batches (session, base, token, coach_id);
  if (result->http_batch_ms < 0)
    goto out;

  g_print ("%s: wrk GET /v1/deelnemers/{id} ...\n", result->backend);
  run_wrk (get_url, token, g_subprocess_get_identifier (server), &result->get);
  g_print ("%s: wrk GET /v1/wijzigingen?vanaf=<mid>&limiet=500 ...\n", result->backend);
  run_wrk (feed_url, token, g_subprocess_get_identifier (server), &result->feed);
  ok = result->get.ok && result->feed.ok;

out:
  if (server != NULL)
    {
      g_subprocess_send_signal (server, SIGTERM);
      g_subprocess_wait (server, NULL, NULL);
    }
  if (tmp_dir != NULL)
    {
      g_autofree char *wal = g_strconcat (location, "-wal", NULL);
      g_autofree char *shm = g_strconcat (location, "-shm", NULL);

      g_unlink (wal);
      g_unlink (shm);
      g_unlink (location);
      g_rmdir (tmp_dir);
    }
  return ok;
}

static void
print_wrk_row (const char      *backend,
               const char      *what,
               const WrkResult *r)
{
  g_print ("%-10s %-20s %7.0f %8.1f %8.1f %9" G_GUINT64_FORMAT " %7" G_GUINT64_FORMAT
           " %7" G_GUINT64_FORMAT " %7.2f %5.0f%% %5.2f %s\n",
           backend, what, r->requests_per_s, r->p50_ms, r->p99_ms, r->requests, r->non_2xx,
           r->socket_errors, r->cpu_ms, r->cpu_share * 100, r->load,
           !r->ok ? "NO RESULT"
           : r->non_2xx == 0 && r->socket_errors == 0 && r->p99_ms <= 50 ? "met" : "NOT MET");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) results = g_array_new (FALSE, TRUE, sizeof (BackendResult));
  GOptionEntry entries[] = {
    { "participants", 0, 0, G_OPTION_ARG_INT, &opt_participants, "Participants (10000)", "N" },
    { "batches", 0, 0, G_OPTION_ARG_INT, &opt_batches, "Timed 100-mutation batches (20)", "N" },
    { "duration", 0, 0, G_OPTION_ARG_STRING, &opt_duration, "wrk -d (20s)", "D" },
    { "connections", 0, 0, G_OPTION_ARG_INT, &opt_connections, "wrk -c (50)", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &opt_threads, "wrk -t (2)", "N" },
    { "backend", 0, 0, G_OPTION_ARG_STRING, &opt_backend, "sqlite, postgresql or both", "B" },
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "koers-server binary", "PATH" },
    { "wrk", 0, 0, G_OPTION_ARG_FILENAME, &opt_wrk, "wrk binary (wrk)", "PATH" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Print wrk's output", NULL },
    { NULL }
  };
  gboolean all_ok = TRUE;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-server: %s\n", error->message);
      return 2;
    }
  if (opt_participants < BATCH || opt_batches == 0)
    {
      g_printerr ("bench-server: --participants must be >= %d and --batches >= 1\n", BATCH);
      return 2;
    }
  if (opt_duration == NULL)
    opt_duration = g_strdup ("20s");
  if (opt_backend == NULL)
    opt_backend = g_strdup ("both");
  if (opt_server == NULL)
    opt_server = g_strdup (KOERS_SERVER_PATH);
  if (opt_wrk == NULL)
    opt_wrk = g_find_program_in_path ("wrk");
  if (opt_wrk == NULL)
    {
      g_printerr ("bench-server: wrk not found (apt install wrk, or --wrk PATH)\n");
      return 2;
    }
  if (strcmp (opt_backend, "both") != 0 && strcmp (opt_backend, "sqlite") != 0
      && strcmp (opt_backend, "postgresql") != 0)
    {
      g_printerr ("bench-server: --backend wants sqlite, postgresql or both\n");
      return 2;
    }

  g_print ("load average at start: %.2f\n", load_average ());
  for (guint b = 0; b < 2; b++)
    {
      KoersServerDbBackend backend = b == 0 ? KOERS_SERVER_DB_SQLITE : KOERS_SERVER_DB_POSTGRESQL;
      BackendResult result = { 0 };

      if (strcmp (opt_backend, "both") != 0
          && strcmp (opt_backend, b == 0 ? "sqlite" : "postgresql") != 0)
        continue;
      all_ok &= run_backend (backend, &result);
      g_array_append_val (results, result);
    }

  g_print ("\n%u participants, wrk -c %u -t %u -d %s --latency, %u batches of %d\n",
           opt_participants, opt_connections, opt_threads, opt_duration, opt_batches, BATCH);
  g_print ("%-10s %-22s %9s %9s %9s\n", "back end", "set-up", "seconds", "engine", "HTTP");
  for (guint i = 0; i < results->len; i++)
    {
      BackendResult *r = &g_array_index (results, BackendResult, i);

      g_print ("%-10s %-22s %9.1f %6.1f ms %6.1f ms  (median 100-mutation batch)\n",
               r->backend, "participants", r->setup_s, r->engine_batch_ms, r->http_batch_ms);
    }
  /* cpu/req: the server's own CPU per request; cpu: its share of one core over the run (on a
   * loaded machine the single-threaded server gets less than a core). */
  g_print ("%-10s %-20s %7s %8s %8s %9s %7s %7s %7s %6s %5s %s\n", "back end", "request",
           "req/s", "p50 ms", "p99 ms", "requests", "non-2xx", "socket", "cpu/req", "cpu",
           "load", "goal");
  for (guint i = 0; i < results->len; i++)
    {
      BackendResult *r = &g_array_index (results, BackendResult, i);

      print_wrk_row (r->backend, "GET deelnemers/{id}", &r->get);
      print_wrk_row (r->backend, "GET wijzigingen 500", &r->feed);
    }
  g_print ("load average at end: %.2f\n", load_average ());
  return all_ok ? 0 : 1;
}

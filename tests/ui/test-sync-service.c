/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * KoersSyncService against the real in-process koers-server (tests/server/koers-test-server.h)
 * on loopback: a participant written through the store reaches the server by itself (3 s
 * after the write), a participant made on the server shows in the caseload model, records
 * made before the sign-in are asked about and go up only on "send", the sign-in is kept in
 * the key store and resumed after a restart, a key store that fails leaves Koers signed out
 * (fail closed), a sign-out erases the token and keeps the outbox, and every shutdown joins
 * the sync thread (LeakSanitizer checks what it leaves).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "koers-test-helpers.h"
#include "sync/koers-test-key-store.h"
#include "koers-test-server.h"
#include "koers-ui-test-helpers.h"

#include "app/koers-caseload-model.h"
#include "app/koers-sync-service.h"
#include "core/koers-participant.h"
#include "storage/koers-participant-repository.h"
#include "sync/koers-key-store.h"
#include "sync/koers-sync-schema.h"

#define WAIT_MS 20000

/* --- the fixture ------------------------------------------------------------------------ */

typedef struct
{
  KoersTestServer  *server;
  char             *url;
  KoersStore       *store;
  KoersSyncService *service;
  KoersTestKeyStore *key_store;
  guint             n_unsent;
  gboolean          unsent_demo;
  guint             n_unsent_signals;
  guint             n_changed;
} Fixture;

static void
unsent_cb (KoersSyncService *service,
           guint             n,
           gboolean          demo,
           Fixture          *f)
{
  f->n_unsent = n;
  f->unsent_demo = demo;
  f->n_unsent_signals++;
}

static void
changed_cb (KoersStore *store,
            const char *what,
            Fixture    *f)
{
  f->n_changed++;
}

static void
new_service (Fixture *f)
{
  f->service = koers_sync_service_new (f->store);
  koers_sync_service_set_key_store (f->service, KOERS_KEY_STORE (f->key_store));
  g_signal_connect (f->service, "unsent-records", G_CALLBACK (unsent_cb), f);
  koers_sync_service_start (f->service);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = koers_test_server_new (KOERS_SERVER_DB_SQLITE);
  f->url = g_strdup_printf ("http://127.0.0.1:%u", f->server->port);
  f->store = koers_test_make_store ();
  f->key_store = koers_test_key_store_new ();
  g_signal_connect (f->store, "changed::participants", G_CALLBACK (changed_cb), f);
  new_service (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->service != NULL)
    koers_sync_service_shutdown (f->service);
  g_clear_object (&f->service);
  koers_store_close (f->store);
  g_clear_object (&f->store);
  g_clear_object (&f->key_store);
  /* Late answers to requests the shutdown cancelled. */
  koers_test_server_spin (50);
  g_clear_pointer (&f->server, koers_test_server_free);
  g_free (f->url);
}

static gboolean
service_signed_in (gpointer data)
{
  Fixture *f = data;

  return koers_sync_service_get_signed_in (f->service);
}

static gboolean
service_idle_and_synced (gpointer data)
{
  Fixture *f = data;
  const KoersSyncStatus *s = koers_sync_service_get_status (f->service);

  return s->signed_in && s->state == KOERS_SYNC_CLIENT_IDLE && s->last_sync != NULL
         && s->pending_count == 0;
}

static void
wait_synced (Fixture *f)
{
  const KoersSyncStatus *s;

  if (!koers_test_wait_until (service_idle_and_synced, f, WAIT_MS))
    {
      s = koers_sync_service_get_status (f->service);
      g_error ("no sync: state %d, pending %" G_GINT64_FORMAT ", error %s", s->state,
               s->pending_count, s->last_error);
    }
}

/* Signs in as the test organisation's coach with tokens from the server (no key store). */
static void
sign_in_with_tokens (Fixture *f)
{
  KoersServerAuth *auth = koers_server_get_auth (f->server->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *device = NULL;
  g_autoptr(KoersMemoryTokenSource) tokens = NULL;

  device = koers_server_auth_issue_tokens (auth, f->server->users[KOERS_TEST_A_COACH].user_id,
                                           "Koers test", &access, &refresh, &error);
  g_assert_no_error (error);
  tokens = koers_memory_token_source_new (access, refresh);
  koers_sync_service_sign_in_with_tokens (f->service, f->url, device,
                                          KOERS_TOKEN_SOURCE (tokens));
  g_assert_true (koers_test_wait_until (service_signed_in, f, WAIT_MS));
}

static gboolean
profile_known (gpointer data)
{
  Fixture *f = data;

  return koers_sync_service_get_status (f->service)->organisation != NULL;
}

static KoersTokenGrant *
grant_for_coach (Fixture *f)
{
  KoersServerAuth *auth = koers_server_get_auth (f->server->server);
  KoersTokenGrant *grant = g_new0 (KoersTokenGrant, 1);
  g_autoptr(GError) error = NULL;

  grant->device_id = koers_server_auth_issue_tokens (auth,
                                                     f->server->users[KOERS_TEST_A_COACH].user_id,
                                                     "Koers test", &grant->access_token,
                                                     &grant->refresh_token, &error);
  g_assert_no_error (error);
  grant->expires_in = 900;
  return grant;
}

static void
bool_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  g_assert_true (koers_test_wait_until (result_arrived, slot, WAIT_MS));
  return *slot;
}

typedef struct
{
  const char *name;
  const char *coach_id;
} NewParticipant;

static gpointer
insert_job (KoersDatabase  *db,
            gpointer        data,
            GCancellable   *cancellable,
            GError        **error)
{
  NewParticipant *p = data;
  g_autoptr(KoersParticipant) participant = koers_participant_new ();
  char *coach_sql;
  gboolean ok;

  /* The coach as the server knows them (the window gets the list from the server later). */
  coach_sql = sqlite3_mprintf ("INSERT OR IGNORE INTO coach (id, created_at, created_by, "
                               "updated_at, updated_by, name) VALUES (%Q, "
                               "'2026-11-28T08:00:00Z', 'test', '2026-11-28T08:00:00Z', "
                               "'test', 'Coach A')", p->coach_id);
  ok = koers_database_exec (db, coach_sql, error);
  sqlite3_free (coach_sql);
  if (!ok)
    return NULL;
  koers_participant_set_name (participant, p->name);
  koers_participant_set_municipality (participant, KOERS_MUNICIPALITY_WINTERSWIJK);
  koers_participant_set_target_group (participant, KOERS_TARGET_GROUP_STATUSHOLDER);
  koers_participant_set_coach_id (participant, p->coach_id);
  if (!koers_participant_repository_insert (db, participant, "test-coach", error))
    return NULL;
  return g_strdup (koers_participant_get_id (participant));
}

/* Writes a participant as the window does: through the store, which announces it. */
static char *
write_participant (Fixture    *f,
                   const char *name)
{
  NewParticipant p = { name, f->server->users[KOERS_TEST_A_COACH].user_id };
  g_autoptr(GError) error = NULL;
  char *id = koers_store_run_sync (f->store, insert_job, &p, "participants", &error);

  g_assert_no_error (error);
  return id;
}

typedef struct
{
  Fixture    *f;
  const char *id;
} OnServer;

static gboolean
on_server (gpointer data)
{
  OnServer *o = data;

  return koers_test_server_version (o->f->server, KOERS_TEST_A_COACH, "deelnemers", o->id) > 0;
}

typedef struct
{
  KoersCaseloadModel *model;
  guint               n;
} ModelCount;

static gboolean
model_has (gpointer data)
{
  ModelCount *c = data;

  return !koers_caseload_model_get_loading (c->model)
         && g_list_model_get_n_items (G_LIST_MODEL (c->model)) == c->n;
}

/* --- the cases ---------------------------------------------------------------------------- */

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KoersCaseloadModel) model = koers_caseload_model_new (f->store);
  g_autofree char *pulled_id = NULL;
  g_autofree char *written_id = NULL;
  OnServer written = { f, NULL };
  ModelCount count = { model, 0 };
  const KoersSyncStatus *s;
  gint64 started;

  g_assert_true (koers_test_wait_until (model_has, &count, WAIT_MS));
  /* A colleague's work that is on the server before this laptop signs in. */
  pulled_id = koers_test_server_add_participant (f->server, KOERS_TEST_A_COACH,
                                                 f->server->users[KOERS_TEST_A_COACH].user_id,
                                                 "Fatima Server");

  sign_in_with_tokens (f);
  wait_synced (f);
  s = koers_sync_service_get_status (f->service);
  g_assert_true (s->initial_sync_complete);
  g_assert_cmpuint (s->records_received, >=, 1);
  g_assert_cmpstr (s->server_url, ==, f->url);
  /* Who is signed in, from GET /v1/profiel. */
  {
    g_autofree char *user = NULL;

    g_assert_true (koers_test_wait_until (profile_known, f, WAIT_MS));
    g_object_get (f->service, "user-name", &user, NULL);
    g_assert_cmpstr (user, ==, "Gebruiker coach.a");
    g_assert_cmpstr (koers_sync_service_get_status (f->service)->organisation, ==,
                     "Werkplein Achterhoek");
  }

  /* The window's model sees the pulled participant: the service announced the change. */
  count.n = 1;
  g_assert_true (koers_test_wait_until (model_has, &count, WAIT_MS));
  g_assert_cmpuint (f->n_changed, >=, 1);
  /* Nothing was made here before the sign-in. */
  g_assert_cmpuint (f->n_unsent_signals, ==, 0);

  /* A write through the store goes up by itself, a few seconds later. */
  started = g_get_monotonic_time ();
  written_id = write_participant (f, "Noor Lokaal");
  written.id = written_id;
  g_assert_true (koers_test_wait_until (on_server, &written, WAIT_MS));
  /* Not at once: the debounce lets a burst of typing go up as one sync. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=,
                   (KOERS_SYNC_DEBOUNCE_MS - 500) * 1000);
  wait_synced (f);
  count.n = 2;
  g_assert_true (koers_test_wait_until (model_has, &count, WAIT_MS));
}

static void
test_unsent_asked (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *id = write_participant (f, "Piet Vooraf");
  OnServer before = { f, id };
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  sign_in_with_tokens (f);
  wait_synced (f);
  /* Asked once, and nothing went up without the answer. */
  g_assert_cmpuint (f->n_unsent_signals, ==, 1);
  g_assert_cmpuint (f->n_unsent, ==, 1);
  g_assert_false (f->unsent_demo);
  g_assert_false (on_server (&before));

  koers_sync_service_send_unsent_async (f->service, NULL, bool_done, &result);
  g_assert_true (koers_sync_service_send_unsent_finish (f->service, wait_result (&result), &n,
                                                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, >=, 1);
  g_clear_object (&result);
  g_assert_true (koers_test_wait_until (on_server, &before, WAIT_MS));
}

/* A read on the writer as the Conflicts page makes them: sync_state and the engine's counts
 * stop at their one row. */
static gpointer
read_state_job (KoersDatabase  *db,
                gpointer        data,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autofree char *cursor = koers_sync_state_get (db, KOERS_SYNC_STATE_CURSOR, NULL);
  g_autoptr(KoersParticipant) participant = koers_participant_repository_reload (db, data,
                                                                                  error);

  koers_sync_schema_count_pending (db);
  return NULL;
}

/* The store's writer and the sync thread's connection take turns on one file: a read on the
 * writer, a pull committed by the sync thread, then a coach's edit must still save. */
static void
test_store_writes_after_sync (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GError) error = NULL;
  const char *coach = f->server->users[KOERS_TEST_A_COACH].user_id;

  sign_in_with_tokens (f);
  first = write_participant (f, "Eerste Lokaal");
  koers_sync_service_sync_now (f->service);
  wait_synced (f);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *pulled = NULL;
      g_autofree char *name = g_strdup_printf ("Van De Server %u", i);

      koers_store_run_sync (f->store, read_state_job, first, NULL, &error);
      g_assert_no_error (error);
      pulled = koers_test_server_add_participant (f->server, KOERS_TEST_A_COACH, coach, name);
      koers_sync_service_sync_now (f->service);
      koers_test_spin (200);
      wait_synced (f);
      g_free (second);
      second = write_participant (f, "Na De Pull");
    }
}

/* Sign-in through the key store, a restart that resumes it, a sign-out that erases it. */
static void
test_key_store_resume_sign_out (Fixture       *f,
                                gconstpointer  data)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *stored_url = NULL;
  g_autofree char *user = NULL;
  guint saves;

  koers_sync_service_sign_in_async (f->service, f->url, grant_for_coach (f), NULL, bool_done,
                                    &result);
  g_assert_true (koers_sync_service_sign_in_finish (f->service, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (koers_test_key_store_count (f->key_store), ==, 1);
  wait_synced (f);

  /* A restart: a new service on the same caseload resumes, refreshing from the key store. */
  koers_sync_service_shutdown (f->service);
  g_clear_object (&f->service);
  saves = koers_test_key_store_n_saves (f->key_store);
  new_service (f);
  koers_sync_service_resume (f->service);
  g_assert_true (koers_test_wait_until (service_signed_in, f, WAIT_MS));
  g_assert_true (koers_test_wait_until (profile_known, f, WAIT_MS));
  g_object_get (f->service, "user-name", &user, NULL);
  g_assert_cmpstr (user, ==, "Gebruiker coach.a");
  id = write_participant (f, "Na Herstart");
  koers_sync_service_sync_now (f->service);
  {
    OnServer up = { f, id };

    g_assert_true (koers_test_wait_until (on_server, &up, WAIT_MS));
  }
  /* The first request had no access token: the refresh rotated the token in the key store. */
  g_assert_cmpuint (koers_test_key_store_n_saves (f->key_store), >, saves);

  /* Offline changes stay through a sign-out; the token does not. */
  koers_sync_service_shutdown (f->service);
  g_clear_object (&f->service);
  new_service (f);
  g_assert_true (koers_test_wait_until (service_signed_in, f, WAIT_MS));
  g_free (write_participant (f, "Niet Verstuurd"));
  koers_sync_service_sign_out_async (f->service, NULL, bool_done, &result);
  g_assert_true (koers_sync_service_sign_out_finish (f->service, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_false (koers_sync_service_get_signed_in (f->service));
  g_assert_cmpuint (koers_test_key_store_count (f->key_store), ==, 0);
  /* The participant and its first status, waiting for the next sign-in. */
  g_assert_cmpint (koers_sync_service_get_status (f->service)->pending_count, >, 0);
  g_assert_cmpint (koers_sync_service_get_status (f->service)->pending_count, ==,
                   koers_sync_schema_count_pending (koers_store_get_reader (f->store)));
  stored_url = koers_sync_state_get (koers_store_get_reader (f->store),
                                     KOERS_SYNC_STATE_SERVER_URL, NULL);
  g_assert_null (stored_url);

  /* Signed out, an edit still queues and the window's count follows. */
  {
    gint64 before = koers_sync_service_get_status (f->service)->pending_count;
    g_autofree char *later = write_participant (f, "Na Afmelden");

    for (gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
         koers_sync_service_get_status (f->service)->pending_count == before
         && g_get_monotonic_time () < end;)
      koers_test_spin (20);
    g_assert_cmpint (koers_sync_service_get_status (f->service)->pending_count, >, before);
  }

  /* A restart after the sign-out stays signed out. */
  koers_sync_service_shutdown (f->service);
  g_clear_object (&f->service);
  new_service (f);
  koers_sync_service_resume (f->service);
  koers_test_spin (300);
  g_assert_false (koers_sync_service_get_signed_in (f->service));
}

static gboolean
service_needs_sign_in (gpointer data)
{
  Fixture *f = data;

  return koers_sync_service_get_needs_sign_in (f->service);
}

/* Fail closed: no key store, no sign-in, and a clear reason. */
static void
test_key_store_fails (Fixture       *f,
                      gconstpointer  data)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const KoersSyncStatus *s;

  koers_test_key_store_fail (f->key_store, KOERS_TEST_KEY_STORE_ALL,
                             KOERS_KEY_STORE_ERROR_UNAVAILABLE);
  koers_sync_service_sign_in_async (f->service, f->url, grant_for_coach (f), NULL, bool_done,
                                    &result);
  g_assert_false (koers_sync_service_sign_in_finish (f->service, wait_result (&result),
                                                     &error));
  g_assert_error (error, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "key store"));
  g_clear_object (&result);
  g_clear_error (&error);
  koers_test_spin (100);
  g_assert_false (koers_sync_service_get_signed_in (f->service));
  url = koers_sync_state_get (koers_store_get_reader (f->store), KOERS_SYNC_STATE_SERVER_URL,
                              NULL);
  g_assert_null (url);

  /* Signed in earlier; at this start the key store is locked. */
  koers_test_key_store_fail (f->key_store, 0, 0);
  koers_sync_service_sign_in_async (f->service, f->url, grant_for_coach (f), NULL, bool_done,
                                    &result);
  g_assert_true (koers_sync_service_sign_in_finish (f->service, wait_result (&result), &error));
  g_clear_object (&result);
  wait_synced (f);
  koers_sync_service_shutdown (f->service);
  g_clear_object (&f->service);
  koers_test_key_store_fail (f->key_store, KOERS_TEST_KEY_STORE_ALL,
                             KOERS_KEY_STORE_ERROR_UNAVAILABLE);
  new_service (f);
  koers_sync_service_resume (f->service);
  g_assert_true (koers_test_wait_until (service_needs_sign_in, f, WAIT_MS));
  s = koers_sync_service_get_status (f->service);
  g_assert_true (s->signed_in);
  g_assert_nonnull (strstr (s->last_error, "key store"));
  /* Stopped, not retrying on a timer against a key store that said no. */
  koers_test_spin (1500);
  g_assert_true (koers_sync_service_get_needs_sign_in (f->service));
  g_assert_cmpint (koers_sync_service_get_state (f->service), ==, KOERS_SYNC_CLIENT_ERROR);
}

/* Shutting down while a sync waits on the server: the thread ends, nothing is left. */
static void
test_shutdown_during_sync (Fixture       *f,
                           gconstpointer  data)
{
  gint64 started;

  sign_in_with_tokens (f);
  /* The server answers only while this thread spins: the sync is in flight now. */
  koers_sync_service_sync_now (f->service);
  started = g_get_monotonic_time ();
  koers_sync_service_shutdown (f->service);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 6 * G_USEC_PER_SEC);
  /* Calls after the shutdown are harmless. */
  koers_sync_service_sync_now (f->service);
  koers_sync_service_shutdown (f->service);
}

/* A caseload that never signed in stays quiet: nothing queued, no key store touched. */
static void
test_never_signed_in (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = write_participant (f, "Alleen Lokaal");

  koers_sync_service_resume (f->service);
  koers_test_spin (3500);
  g_assert_false (koers_sync_service_get_signed_in (f->service));
  g_assert_cmpint (koers_sync_service_get_status (f->service)->pending_count, ==, 0);
  g_assert_cmpuint (koers_test_key_store_n_saves (f->key_store), ==, 0);
}

/* While an undo is on offer the window holds every sync run, the one a write starts and
 * "Sync now" alike: the write stays on this computer (an undo can still cancel it), counted
 * as pending, until the hold is released, and then goes up by itself. */
static void
test_hold (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *held_id = NULL;
  OnServer held = { f, NULL };

  sign_in_with_tokens (f);
  wait_synced (f);

  koers_sync_service_hold (f->service);
  held_id = write_participant (f, "Anouk Wachtend");
  held.id = held_id;
  koers_sync_service_sync_now (f->service);
  /* Longer than the debounce: without the hold it would be on the server by now. */
  koers_test_spin (KOERS_SYNC_DEBOUNCE_MS + 1500);
  g_assert_false (on_server (&held));
  g_assert_cmpint (koers_sync_service_get_status (f->service)->pending_count, >=, 1);

  koers_sync_service_release (f->service);
  g_assert_true (koers_test_wait_until (on_server, &held, WAIT_MS));
  wait_synced (f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sync-service/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("unsent-asked", test_unsent_asked);
  ADD ("store-writes-after-sync", test_store_writes_after_sync);
  ADD ("hold", test_hold);
  ADD ("key-store-resume-sign-out", test_key_store_resume_sign_out);
  ADD ("key-store-fails", test_key_store_fails);
  ADD ("shutdown-during-sync", test_shutdown_during_sync);
  ADD ("never-signed-in", test_never_signed_in);
#undef ADD
  return g_test_run ();
}

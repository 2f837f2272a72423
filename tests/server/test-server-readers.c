/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The reader threads (koers-server-readers.c), on both back ends: reads run side by side on
 * connections of their own, at most as many as there are threads, while the server's thread
 * goes on; every answer comes back on the server's thread, with the page the server's own
 * engine would have written (its clock, its epoch, also after a declared restore); freeing
 * waits for the reads under way and answers them; a connection that cannot be made is an
 * error for that read, not a crash; a read held by a lock fails as busy (and the next one
 * connects anew); a server makes one reader per processor unless told otherwise.
 */
#include "config.h"

#include "koers-test-engine.h"
#include "koers-test-postgres.h"

#include "server/koers-server.h"
#include "server/koers-server-readers.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  EngineFixture *fx;
  GThread       *main_thread;
  /* The gate holds reads until the test opens it; active/most count them meanwhile. */
  GMutex         lock;
  GCond          changed;
  gboolean       open;
  guint          active;
  guint          most;
  /* Answers, in the order they arrived. */
  GPtrArray     *texts;
  GPtrArray     *errors;
  guint          answers;
  guint          off_thread_answers;
  guint          busy_answers;
} Readers;

static GDateTime *
pinned_clock (gpointer user_data)
{
  (void) user_data;
  return g_date_time_new_utc (2026, 11, 29, 12, 0, 0.0);
}

static Readers *
readers_fixture_new (KoersServerDbBackend backend)
{
  Readers *r = g_new0 (Readers, 1);

  r->fx = fx_new (backend);
  /* The fixture's own clock counts its calls: not for several threads at once. */
  koers_server_engine_set_clock (r->fx->engine, pinned_clock, NULL);
  r->main_thread = g_thread_self ();
  g_mutex_init (&r->lock);
  g_cond_init (&r->changed);
  r->texts = g_ptr_array_new_with_free_func (g_free);
  r->errors = g_ptr_array_new_with_free_func (g_free);
  return r;
}

static void
readers_fixture_free (Readers *r)
{
  g_ptr_array_unref (r->texts);
  g_ptr_array_unref (r->errors);
  g_cond_clear (&r->changed);
  g_mutex_clear (&r->lock);
  fx_free (r->fx);
  g_free (r);
}

static void
open_gate (Readers *r)
{
  g_mutex_lock (&r->lock);
  r->open = TRUE;
  g_cond_broadcast (&r->changed);
  g_mutex_unlock (&r->lock);
}

/* A coach's first page, read after the gate opens. */
static gpointer
gated_page (KoersServerEngine *engine, gpointer data, GError **error)
{
  Readers *r = data;
  KoersServerFeedPage *page;

  g_mutex_lock (&r->lock);
  r->active++;
  r->most = MAX (r->most, r->active);
  g_cond_broadcast (&r->changed);
  while (!r->open)
    g_cond_wait (&r->changed, &r->lock);
  g_mutex_unlock (&r->lock);

  page = koers_server_engine_pull_page (engine, r->fx->coach, NULL, 500, error);

  g_mutex_lock (&r->lock);
  r->active--;
  g_mutex_unlock (&r->lock);
  return page;
}

static void
page_done (gpointer result, const GError *error, gboolean busy, gpointer data)
{
  Readers *r = data;
  KoersServerFeedPage *page = result;

  if (g_thread_self () != r->main_thread)
    r->off_thread_answers++;
  r->answers++;
  if (busy)
    r->busy_answers++;
  if (page != NULL)
    g_ptr_array_add (r->texts, g_strdup (page->text));
  else
    g_ptr_array_add (r->errors, g_strdup (error != NULL ? error->message : "(no error)"));
}

static void
spin_until_answers (Readers *r, guint n)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (r->answers < n && g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_cmpuint (r->answers, ==, n);
}

/* The page the server's own engine writes now. */
static char *
page_on_server_thread (Readers *r)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersServerFeedPage) page = koers_server_engine_pull_page (r->fx->engine,
                                                                        r->fx->coach, NULL,
                                                                        500, &error);

  g_assert_no_error (error);
  return g_steal_pointer (&page->text);
}

/* Two threads, five reads: two at a time, the rest wait; all answered on this thread with
 * the page this thread's engine writes. */
static void
test_side_by_side (KoersServerDbBackend backend)
{
  Readers *r = readers_fixture_new (backend);
  KoersServerReaders *readers = koers_server_readers_new (r->fx->engine, 2);
  g_autofree char *expected = NULL;
  gint64 end;

  for (guint i = 0; i < 3; i++)
    g_free (fx_participant (r->fx, r->fx->coach, r->fx->coach->user_id,
                                  "Amina Haddad"));
  expected = page_on_server_thread (r);
  g_assert_nonnull (strstr (expected, "Amina Haddad"));

  for (guint i = 0; i < 5; i++)
    koers_server_readers_run (readers, gated_page, page_done, r, NULL,
                              (GDestroyNotify) koers_server_feed_page_free);

  /* Both threads are in a read at once, and no more than both. */
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_mutex_lock (&r->lock);
  while (r->active < 2 && g_get_monotonic_time () < end)
    g_cond_wait_until (&r->changed, &r->lock, end);
  g_mutex_unlock (&r->lock);
  g_assert_cmpuint (r->active, ==, 2);
  /* Nothing is answered while the reads wait, and this thread is free meanwhile. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (r->answers, ==, 0);

  open_gate (r);
  spin_until_answers (r, 5);
  g_assert_cmpuint (r->most, ==, 2);
  g_assert_cmpuint (r->off_thread_answers, ==, 0);
  g_assert_cmpuint (r->errors->len, ==, 0);
  for (guint i = 0; i < r->texts->len; i++)
    g_assert_cmpstr (g_ptr_array_index (r->texts, i), ==, expected);

  koers_server_readers_free (readers);
  readers_fixture_free (r);
}

/* A restore declared on the server's connection (a new epoch) reaches the readers' cursors
 * at once, on connections they already had. */
static void
test_new_epoch (KoersServerDbBackend backend)
{
  Readers *r = readers_fixture_new (backend);
  KoersServerReaders *readers = koers_server_readers_new (r->fx->engine, 1);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr (GError) error = NULL;

  g_free (fx_participant (r->fx, r->fx->coach, r->fx->coach->user_id,
                                  "Ruben Bos"));
  open_gate (r);
  koers_server_readers_run (readers, gated_page, page_done, r, NULL,
                            (GDestroyNotify) koers_server_feed_page_free);
  spin_until_answers (r, 1);
  before = page_on_server_thread (r);
  g_assert_cmpstr (g_ptr_array_index (r->texts, 0), ==, before);

  g_assert_true (koers_server_db_new_epoch (r->fx->db, &error));
  g_assert_no_error (error);
  koers_server_readers_run (readers, gated_page, page_done, r, NULL,
                            (GDestroyNotify) koers_server_feed_page_free);
  spin_until_answers (r, 2);
  after = page_on_server_thread (r);
  g_assert_cmpstr (after, !=, before);
  g_assert_nonnull (strstr (after, koers_server_db_get_epoch (r->fx->db)));
  g_assert_cmpstr (g_ptr_array_index (r->texts, 1), ==, after);

  koers_server_readers_free (readers);
  readers_fixture_free (r);
}

static gpointer
open_gate_later (gpointer data)
{
  g_usleep (200 * 1000);
  open_gate (data);
  return NULL;
}

/* Freeing waits for the reads under way and those still queued, and answers each. */
static void
test_free_answers_all (KoersServerDbBackend backend)
{
  Readers *r = readers_fixture_new (backend);
  KoersServerReaders *readers = koers_server_readers_new (r->fx->engine, 2);
  GThread *opener;

  g_free (fx_participant (r->fx, r->fx->coach, r->fx->coach->user_id,
                                  "Noor Visser"));
  for (guint i = 0; i < 4; i++)
    koers_server_readers_run (readers, gated_page, page_done, r, NULL,
                              (GDestroyNotify) koers_server_feed_page_free);
  opener = g_thread_new ("opener", open_gate_later, r);
  koers_server_readers_free (readers);
  g_assert_cmpuint (r->answers, ==, 4);
  g_assert_cmpuint (r->texts->len, ==, 4);
  g_assert_cmpuint (r->off_thread_answers, ==, 0);
  g_thread_join (opener);
  /* Nothing arrives afterwards from the callbacks that were on their way. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (r->answers, ==, 4);

  readers_fixture_free (r);
}

/* A reader that cannot connect answers its read with the reason; the server's thread and
 * its connection carry on. */
static void
test_cannot_connect (void)
{
  Readers *r = readers_fixture_new (KOERS_SERVER_DB_SQLITE);
  KoersServerReaders *readers = koers_server_readers_new (r->fx->engine, 1);
  g_autofree char *dir = g_path_get_dirname (r->fx->location);
  g_autofree char *moved = g_strconcat (dir, "-weg", NULL);

  /* The file's folder (the test's own) goes away under the open connection: a new
   * connection cannot be made. */
  g_assert_nonnull (strstr (dir, "koers-test-"));
  g_assert_cmpint (g_rename (dir, moved), ==, 0);
  open_gate (r);
  koers_server_readers_run (readers, gated_page, page_done, r, NULL,
                            (GDestroyNotify) koers_server_feed_page_free);
  spin_until_answers (r, 1);
  g_assert_cmpint (g_rename (moved, dir), ==, 0);
  g_assert_cmpuint (r->errors->len, ==, 1);
  g_assert_cmpuint (r->texts->len, ==, 0);
  g_assert_cmpuint (r->busy_answers, ==, 0);
  g_free (page_on_server_thread (r));
  koers_server_readers_free (readers);
  readers_fixture_free (r);
}

/* A read that waits for a lock held elsewhere fails after the lock timeout as busy, so the
 * server's follow-up (the failure's audit row) does not wait again; once the lock is gone the
 * next read, on a new connection, succeeds. PostgreSQL: there a lock can hold a reader. */
static void
test_busy (void)
{
  Readers *r = readers_fixture_new (KOERS_SERVER_DB_POSTGRESQL);
  g_autoptr (KoersServerDb) blocker = NULL;
  g_autoptr (GError) error = NULL;
  KoersServerReaders *readers;

  koers_server_db_set_lock_timeout (r->fx->db, 200);
  readers = koers_server_readers_new (r->fx->engine, 1);
  g_free (fx_participant (r->fx, r->fx->coach, r->fx->coach->user_id, "Sara Bakker"));
  blocker = koers_server_db_connect (r->fx->location, &error);
  g_assert_no_error (error);
  g_assert_true (koers_server_db_begin (blocker, r->fx->org, &error));
  g_assert_no_error (error);
  g_assert_true (koers_server_db_exec (blocker, "LOCK TABLE records IN ACCESS EXCLUSIVE MODE",
                                       NULL, 0, NULL, &error));
  g_assert_no_error (error);

  open_gate (r);
  koers_server_readers_run (readers, gated_page, page_done, r, NULL,
                            (GDestroyNotify) koers_server_feed_page_free);
  spin_until_answers (r, 1);
  g_assert_cmpuint (r->busy_answers, ==, 1);
  g_assert_cmpuint (r->errors->len, ==, 1);

  g_assert_true (koers_server_db_commit (blocker, &error));
  g_assert_no_error (error);
  koers_server_readers_run (readers, gated_page, page_done, r, NULL,
                            (GDestroyNotify) koers_server_feed_page_free);
  spin_until_answers (r, 2);
  g_assert_cmpuint (r->busy_answers, ==, 1);
  g_assert_cmpuint (r->texts->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (r->texts, 0), "Sara Bakker"));

  koers_server_readers_free (readers);
  readers_fixture_free (r);
}

/* A server reads on one thread per processor (at most 8) unless told otherwise; 0 reads on
 * its own thread. (GLib 2.74 counts online processors, not this process's affinity, so a
 * test cannot pretend to have fewer.) */
static void
test_default_count (void)
{
  g_autoptr (EngineFixture) fx = NULL;
  g_autoptr (KoersServer) automatic = NULL;
  g_autoptr (KoersServer) inline_reads = NULL;
  g_autoptr (KoersServer) three = NULL;
  int count = 0;

  fx = fx_new (KOERS_SERVER_DB_SQLITE);
  automatic = koers_server_new (fx->db);
  inline_reads = g_object_new (KOERS_TYPE_SERVER, "db", fx->db, "reader-threads", 0, NULL);
  three = g_object_new (KOERS_TYPE_SERVER, "db", fx->db, "reader-threads", 3, NULL);
  g_object_get (automatic, "reader-threads", &count, NULL);
  g_assert_cmpint (count, ==, CLAMP ((int) g_get_num_processors (), 1,
                                     KOERS_SERVER_MAX_AUTO_READERS));
  g_object_get (inline_reads, "reader-threads", &count, NULL);
  g_assert_cmpint (count, ==, 0);
  g_object_get (three, "reader-threads", &count, NULL);
  g_assert_cmpint (count, ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-readers/side-by-side", test_side_by_side);
  koers_test_server_db_add ("/server-readers/new-epoch", test_new_epoch);
  koers_test_server_db_add ("/server-readers/free-answers-all", test_free_answers_all);
  g_test_add_func ("/server-readers/sqlite/cannot-connect", test_cannot_connect);
  g_test_add_func ("/server-readers/postgresql/busy", test_busy);
  g_test_add_func ("/server-readers/sqlite/default-count", test_default_count);

  return g_test_run ();
}

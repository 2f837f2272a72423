/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A GThreadPool of at most n threads runs the reads; n connections, each with an engine of its
 * own, wait in a queue between reads. A read takes a free connection (or makes one: with at
 * most n reads at once there are never more than n), and puts it back afterwards unless the
 * read failed on it as busy (it may be gone; the next read connects again). A read takes the
 * server engine's clock and its connection's epoch along (a test pins the one, a declared
 * restore changes the other).
 *
 * Answers go back the way koers-server-audit-queue.c sends its rounds back: finished reads
 * wait in a queue that a callback on the server's main context empties, and the structure
 * lives until the last of those callbacks lets go (g_atomic_rc_box). Freeing waits for the
 * reads under way and delivers their answers itself, so none arrives after the server is gone.
 */
#include "config.h"

#include "server/koers-server-readers.h"

#include "server/koers-server-db-private.h"
#include "server/koers-server-engine-private.h"

typedef struct {
  KoersServerDb     *db;
  KoersServerEngine *engine;
} Connection;

typedef struct {
  KoersServerReadFunc     read;
  KoersServerReadDoneFunc done;
  gpointer                data;
  GDestroyNotify          data_free;
  GDestroyNotify          result_free;
  /* The server engine's clock when the read was asked for. */
  GDateTime            *(*clock) (gpointer user_data);
  gpointer                clock_data;
  char                   *epoch;   /* the server connection's, when it was asked for */
  gpointer                result;
  GError                 *error;
  gboolean                busy;
} Read;

struct _KoersServerReaders
{
  KoersServerEngine *engine;   /* borrowed; server thread only */
  KoersServerDb     *db;       /* borrowed; server thread only, but for its location */
  guint              lock_timeout_ms; /* the server connection's, when the readers began */
  GMainContext      *context;  /* where answers are delivered */
  GThreadPool       *pool;
  GAsyncQueue       *idle;     /* (element-type Connection) */
  GAsyncQueue       *finished; /* (element-type Read) */
};

static void
connection_free (Connection *connection)
{
  koers_server_engine_free (connection->engine);
  koers_server_db_free (connection->db);
  g_free (connection);
}

static void
read_free (Read *read)
{
  if (read->result != NULL && read->result_free != NULL)
    read->result_free (read->result);
  if (read->data_free != NULL)
    read->data_free (read->data);
  g_clear_error (&read->error);
  g_free (read->epoch);
  g_free (read);
}

static void
readers_clear (KoersServerReaders *readers)
{
  Connection *connection;

  while ((connection = g_async_queue_try_pop (readers->idle)) != NULL)
    connection_free (connection);
  g_async_queue_unref (readers->idle);
  g_async_queue_unref (readers->finished);
  g_main_context_unref (readers->context);
}

static void
readers_release (KoersServerReaders *readers)
{
  g_atomic_rc_box_release_full (readers, (GDestroyNotify) readers_clear);
}

/* ---- the server thread ------------------------------------------------------------------ */

static void
deliver_finished (KoersServerReaders *readers)
{
  Read *read;

  while ((read = g_async_queue_try_pop (readers->finished)) != NULL)
    {
      read->done (read->result, read->error, read->busy, read->data);
      read_free (read);
    }
}

static gboolean
deliver_finished_cb (gpointer user_data)
{
  deliver_finished (user_data);
  return G_SOURCE_REMOVE;
}

/* ---- the reader threads ----------------------------------------------------------------- */

static Connection *
take_connection (KoersServerReaders *readers, GError **error)
{
  Connection *connection = g_async_queue_try_pop (readers->idle);
  KoersServerDb *db;

  if (connection != NULL)
    return connection;
  db = koers_server_db_connect (koers_server_db_get_location (readers->db), error);
  if (db == NULL)
    return NULL;
  /* As the server's own connection (koers-server.c): a read waits this long for a lock. Not
   * read off that connection here: the server's thread shortens it for a moment at times. */
  koers_server_db_set_lock_timeout (db, readers->lock_timeout_ms);
  connection = g_new0 (Connection, 1);
  connection->db = db;
  connection->engine = koers_server_engine_new (db);
  return connection;
}

static void
run_read (gpointer item, gpointer user_data)
{
  KoersServerReaders *readers = user_data;
  Read *read = item;
  Connection *connection = take_connection (readers, &read->error);

  if (connection != NULL)
    {
      koers_server_engine_set_clock (connection->engine, read->clock, read->clock_data);
      koers_server_db_set_shared_epoch (connection->db, read->epoch);
      read->result = read->read (connection->engine, read->data, &read->error);
      read->busy = read->result == NULL && koers_server_db_last_was_busy (connection->db);
      /* A busy connection may be a lost one: the next read connects anew. */
      if (read->busy)
        connection_free (connection);
      else
        g_async_queue_push (readers->idle, connection);
    }
  g_async_queue_push (readers->finished, read);
  koers_server_post_to_context (readers->context, deliver_finished_cb,
                                g_atomic_rc_box_acquire (readers),
                                (GDestroyNotify) readers_release);
}

/* ---- API -------------------------------------------------------------------------------- */

/* A source, not g_main_context_invoke(): that runs @func at once on the calling thread when
 * it can acquire @context (when nobody iterates it at that moment, as between a test's
 * iterations), and what comes back from a worker must run on the server's thread. */
void
koers_server_post_to_context (GMainContext   *context,
                              GSourceFunc     func,
                              gpointer        data,
                              GDestroyNotify  data_free)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, data_free);
  g_source_attach (source, context);
  g_source_unref (source);
}

KoersServerReaders *
koers_server_readers_new (KoersServerEngine *engine,
                          guint              n_threads)
{
  KoersServerReaders *readers;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (engine != NULL && n_threads > 0, NULL);

  readers = g_atomic_rc_box_new0 (KoersServerReaders);
  readers->engine = engine;
  readers->db = koers_server_engine_get_db (engine);
  readers->lock_timeout_ms = koers_server_db_get_lock_timeout (readers->db);
  readers->context = g_main_context_ref_thread_default ();
  readers->idle = g_async_queue_new ();
  readers->finished = g_async_queue_new ();
  /* Not exclusive: the threads start when the first reads come and go when idle. */
  readers->pool = g_thread_pool_new (run_read, readers, (int) n_threads, FALSE, &error);
  /* Only an exclusive pool can fail to start its threads. */
  g_assert_no_error (error);
  return readers;
}

void
koers_server_readers_run (KoersServerReaders     *readers,
                          KoersServerReadFunc     read_func,
                          KoersServerReadDoneFunc done,
                          gpointer                data,
                          GDestroyNotify          data_free,
                          GDestroyNotify          result_free)
{
  Read *read;

  g_return_if_fail (readers != NULL && readers->pool != NULL);
  g_return_if_fail (read_func != NULL && done != NULL);

  read = g_new0 (Read, 1);
  read->read = read_func;
  read->done = done;
  read->data = data;
  read->data_free = data_free;
  read->result_free = result_free;
  read->clock = readers->engine->clock;
  read->clock_data = readers->engine->clock_data;
  read->epoch = g_strdup (koers_server_db_get_epoch (readers->db));
  g_thread_pool_push (readers->pool, read, NULL);
}

void
koers_server_readers_free (KoersServerReaders *readers)
{
  Connection *connection;

  if (readers == NULL)
    return;

  /* Every read queued runs to its end; then their answers go out from here. */
  g_thread_pool_free (g_steal_pointer (&readers->pool), FALSE, TRUE);
  deliver_finished (readers);
  /* Closed now, not when the last delivery source lets go: that waits for the context to
   * run again, which after a server stops it may never do. */
  while ((connection = g_async_queue_try_pop (readers->idle)) != NULL)
    connection_free (connection);
  readers_release (readers);
}

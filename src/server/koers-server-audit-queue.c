/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-audit-queue.h"

#include "server/koers-server-audit-batch.h"
#include "server/koers-server-http-private.h"

/* What the server thread hands the writer: the batches of one round and the messages that
 * wait for them. The writer fills in which organisations' batches failed. */
typedef struct {
  GPtrArray  *batches;   /* (element-type KoersServerAuditBatch) one per organisation */
  GPtrArray  *messages;  /* (element-type SoupServerMessage) paused */
  GPtrArray  *organisations; /* (element-type utf8) parallel to messages */
  GHashTable *failed;    /* organisation ids whose batch was not written */
} Round;

/* The queue is shared with the writer thread and with the callbacks that carry finished
 * rounds back, so it lives until the last of them lets go (g_atomic_rc_box). */
struct _KoersServerAuditQueue
{
  KoersServerEngine *engine;   /* borrowed; server thread only */
  char              *location; /* where the writer connects */
  GMainContext      *context;  /* where messages are let go */

  /* Server thread only. */
  Round             *gathering;
  gboolean           writing;  /* a round is with the writer */
  gboolean           closed;
  guint              flush_id;

  /* Between the threads: rounds to write (or the stop marker), rounds written. */
  GThread           *writer;
  GAsyncQueue       *to_write;
  GAsyncQueue       *written;
};

/* Pushed to stop the writer. */
static Round stop_marker;

static Round *
round_new (void)
{
  Round *round = g_new0 (Round, 1);

  round->batches = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                   koers_server_audit_batch_free);
  round->messages = g_ptr_array_new_with_free_func (g_object_unref);
  round->organisations = g_ptr_array_new_with_free_func (g_free);
  round->failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return round;
}

static void
round_free (Round *round)
{
  g_ptr_array_unref (round->batches);
  g_ptr_array_unref (round->messages);
  g_ptr_array_unref (round->organisations);
  g_hash_table_unref (round->failed);
  g_free (round);
}

static KoersServerAuditBatch *
round_batch_for (Round *round, const char *organisation_id)
{
  KoersServerAuditBatch *batch;

  /* A handful of organisations at most in one round: a scan beats a table. */
  for (guint i = 0; i < round->batches->len; i++)
    {
      batch = g_ptr_array_index (round->batches, i);
      if (g_str_equal (koers_server_audit_batch_get_organisation (batch), organisation_id))
        return batch;
    }
  batch = koers_server_audit_batch_new (organisation_id);
  g_ptr_array_add (round->batches, batch);
  return batch;
}

/* ---- the writer thread ------------------------------------------------------------------ */

static void
queue_clear (KoersServerAuditQueue *queue)
{
  g_free (queue->location);
  g_main_context_unref (queue->context);
  g_async_queue_unref (queue->to_write);
  g_async_queue_unref (queue->written);
}

static void
queue_release (KoersServerAuditQueue *queue)
{
  g_atomic_rc_box_release_full (queue, (GDestroyNotify) queue_clear);
}

static gboolean deliver_written_cb (gpointer user_data);

static void
write_round (KoersServerDb **db, const char *location, Round *round)
{
  g_autoptr (GError) open_error = NULL;

  /* Connected on first use, and again after a failed round (the server may have gone). */
  if (*db == NULL)
    {
      *db = koers_server_db_connect (location, &open_error);
      if (*db != NULL)
        koers_server_db_defer_checkpoints (*db);
    }
  for (guint i = 0; i < round->batches->len; i++)
    {
      KoersServerAuditBatch *batch = g_ptr_array_index (round->batches, i);
      const char *organisation_id = koers_server_audit_batch_get_organisation (batch);
      g_autoptr (GError) error = NULL;

      if (*db != NULL && koers_server_audit_batch_write (batch, *db, &error))
        continue;
      g_message ("koers-server: audit failed, %u rows refused: %s",
                 koers_server_audit_batch_get_n_rows (batch),
                 error != NULL ? error->message
                 : open_error != NULL ? open_error->message : "no reason given");
      g_hash_table_add (round->failed, g_strdup (organisation_id));
    }
  if (g_hash_table_size (round->failed) > 0)
    g_clear_pointer (db, koers_server_db_free);
}

static gpointer
writer_main (gpointer data)
{
  KoersServerAuditQueue *queue = data;
  KoersServerDb *db = NULL;

  for (;;)
    {
      Round *round = g_async_queue_pop (queue->to_write);

      if (round == &stop_marker)
        break;
      write_round (&db, queue->location, round);
      g_async_queue_push (queue->written, round);
      koers_server_post_to_context (queue->context, deliver_written_cb,
                                    g_atomic_rc_box_acquire (queue),
                                    (GDestroyNotify) queue_release);
      /* Its answers are on their way: the log is copied back while the next round gathers
       * (a checkpoint in the commit held up every read of the round: p99 of a feed page
       * 55 against 50 ms). */
      if (db != NULL)
        koers_server_db_checkpoint_if_due (db);
    }
  g_clear_pointer (&db, koers_server_db_free);
  return NULL;
}

/* ---- the server thread ------------------------------------------------------------------ */

/* The answer was ready but its audit row could not be written: nothing of it may go out. */
static void
refuse (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_remove (headers, "ETag");
  soup_message_headers_remove (headers, "Link");
  soup_message_headers_remove (headers, "Location");
  /* set_response appends to a body already set; the read's body must go first. */
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  koers_server_http_send_unavailable (msg);
}

static void
hand_over (KoersServerAuditQueue *queue)
{
  if (queue->writing || queue->gathering->messages->len == 0)
    return;
  queue->writing = TRUE;
  g_async_queue_push (queue->to_write, g_steal_pointer (&queue->gathering));
  queue->gathering = round_new ();
}

/* The client went away while its message waited: libsoup dropped the message's I/O
 * ("disconnected") or finished it, and it must not be unpaused again. */
static void
message_finished_cb (SoupServerMessage *msg)
{
  g_object_set_data (G_OBJECT (msg), "koers-audit-finished", GINT_TO_POINTER (TRUE));
}

static void
let_go (Round *round)
{
  for (guint i = 0; i < round->messages->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (round->messages, i);

      g_signal_handlers_disconnect_by_func (msg, message_finished_cb, NULL);
      if (g_object_get_data (G_OBJECT (msg), "koers-audit-finished") != NULL)
        continue;
      if (g_hash_table_contains (round->failed, g_ptr_array_index (round->organisations, i)))
        refuse (msg);
      soup_server_message_unpause (msg);
    }
}

/* Lets go of the messages of every round written so far; then the next round goes. */
static void
deliver_written (KoersServerAuditQueue *queue)
{
  Round *round;

  while ((round = g_async_queue_try_pop (queue->written)) != NULL)
    {
      queue->writing = FALSE;
      /* Unpausing may run code that queues the next reads: into the next round. */
      let_go (round);
      round_free (round);
    }
  if (!queue->closed)
    hand_over (queue);
}

static gboolean
deliver_written_cb (gpointer user_data)
{
  deliver_written (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
flush_cb (gpointer user_data)
{
  KoersServerAuditQueue *queue = user_data;

  queue->flush_id = 0;
  hand_over (queue);
  return G_SOURCE_REMOVE;
}

KoersServerAuditQueue *
koers_server_audit_queue_new (KoersServerEngine *engine,
                              KoersServerDb     *db)
{
  KoersServerAuditQueue *queue;

  g_return_val_if_fail (engine != NULL && db != NULL, NULL);
  g_return_val_if_fail (koers_server_db_get_location (db) != NULL, NULL);

  queue = g_atomic_rc_box_new0 (KoersServerAuditQueue);
  queue->engine = engine;
  queue->location = g_strdup (koers_server_db_get_location (db));
  queue->context = g_main_context_ref_thread_default ();
  queue->gathering = round_new ();
  queue->to_write = g_async_queue_new ();
  queue->written = g_async_queue_new ();
  queue->writer = g_thread_new ("koers-audit", writer_main, g_atomic_rc_box_acquire (queue));
  return queue;
}

void
koers_server_audit_queue_free (KoersServerAuditQueue *queue)
{
  if (queue == NULL)
    return;

  /* What gathered is written and answered before the clients go; the writer finishes the
   * round it has, then this one, then stops. */
  queue->closed = TRUE;
  g_clear_handle_id (&queue->flush_id, g_source_remove);
  if (queue->gathering->messages->len > 0)
    g_async_queue_push (queue->to_write, g_steal_pointer (&queue->gathering));
  g_clear_pointer (&queue->gathering, round_free);
  g_async_queue_push (queue->to_write, &stop_marker);
  g_thread_join (g_steal_pointer (&queue->writer));
  queue_release (queue);   /* the writer's reference */
  deliver_written (queue);
  queue_release (queue);
}

static void
queue_message (KoersServerAuditQueue *queue, SoupServerMessage *msg,
               const char *organisation_id)
{
  g_ptr_array_add (queue->gathering->messages, g_object_ref (msg));
  g_ptr_array_add (queue->gathering->organisations, g_strdup (organisation_id));
  g_signal_connect (msg, "disconnected", G_CALLBACK (message_finished_cb), NULL);
  g_signal_connect (msg, "finished", G_CALLBACK (message_finished_cb), NULL);
  soup_server_message_pause (msg);
  /* At the I/O's own priority: it runs in the next main-loop iteration, after the handlers
   * of every request that was ready in this one, so the requests that arrived together share
   * one commit (and while the writer is busy, everything that arrives meanwhile does). */
  if (queue->flush_id == 0 && !queue->writing)
    queue->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT, flush_cb, queue, NULL);
}

void
koers_server_audit_queue_add (KoersServerAuditQueue   *queue,
                              SoupServerMessage       *msg,
                              const KoersServerCaller *caller,
                              const char              *action,
                              const char              *entity,
                              const char              *record_id,
                              gboolean                 success)
{
  g_return_if_fail (queue != NULL && !queue->closed);
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (caller != NULL && action != NULL);

  koers_server_audit_batch_add (round_batch_for (queue->gathering, caller->organisation_id),
                                queue->engine, caller, action, entity, record_id, success);
  queue_message (queue, msg, caller->organisation_id);
}

void
koers_server_audit_queue_add_participants (KoersServerAuditQueue   *queue,
                                           SoupServerMessage       *msg,
                                           const KoersServerCaller *caller,
                                           const char              *action,
                                           const char              *entity,
                                           KoersServerParticipantSet *participants)
{
  g_return_if_fail (queue != NULL && !queue->closed);
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (caller != NULL && action != NULL && participants != NULL);

  koers_server_audit_batch_add_participants (round_batch_for (queue->gathering,
                                                              caller->organisation_id),
                                             queue->engine, caller, action, entity,
                                             participants, TRUE);
  queue_message (queue, msg, caller->organisation_id);
}

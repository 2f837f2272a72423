/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-audit-queue.h"

#include "server/koers-server-http-private.h"

typedef struct {
  SoupServerMessage *msg;
  KoersServerCaller *caller;
  char              *action;
  char              *entity;
  char              *record_id;
  gboolean           success;
} QueuedRead;

struct _KoersServerAuditQueue
{
  KoersServerEngine *engine;   /* borrowed */
  GPtrArray         *reads;    /* (element-type QueuedRead) in arrival order */
  guint              flush_id;
};

static void
queued_read_free (gpointer data)
{
  QueuedRead *read = data;

  g_object_unref (read->msg);
  koers_server_caller_free (read->caller);
  g_free (read->action);
  g_free (read->entity);
  g_free (read->record_id);
  g_free (read);
}

KoersServerAuditQueue *
koers_server_audit_queue_new (KoersServerEngine *engine)
{
  KoersServerAuditQueue *queue = g_new0 (KoersServerAuditQueue, 1);

  queue->engine = engine;
  queue->reads = g_ptr_array_new_with_free_func (queued_read_free);
  return queue;
}

void
koers_server_audit_queue_free (KoersServerAuditQueue *queue)
{
  if (queue == NULL)
    return;

  koers_server_audit_queue_flush (queue);
  g_ptr_array_unref (queue->reads);
  g_free (queue);
}

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

/* One transaction for the rows of @organisation_id; marks their reads done in @done. */
static void
flush_organisation (KoersServerAuditQueue *queue,
                    const char            *organisation_id,
                    gboolean              *done)
{
  g_autoptr (GPtrArray) callers = g_ptr_array_new ();
  g_autoptr (GPtrArray) actions = g_ptr_array_new ();
  g_autoptr (GPtrArray) entities = g_ptr_array_new ();
  g_autoptr (GPtrArray) record_ids = g_ptr_array_new ();
  g_autoptr (GArray) successes = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr (GArray) members = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < queue->reads->len; i++)
    {
      QueuedRead *read = g_ptr_array_index (queue->reads, i);

      if (done[i] || !g_str_equal (read->caller->organisation_id, organisation_id))
        continue;
      g_ptr_array_add (callers, read->caller);
      g_ptr_array_add (actions, read->action);
      g_ptr_array_add (entities, read->entity);
      g_ptr_array_add (record_ids, read->record_id);
      g_array_append_val (successes, read->success);
      g_array_append_val (members, i);
      done[i] = TRUE;
    }

  if (koers_server_engine_audit_many (queue->engine,
                                      (const KoersServerCaller **) callers->pdata,
                                      (const char **) actions->pdata,
                                      (const char **) entities->pdata,
                                      (const char **) record_ids->pdata,
                                      (const gboolean *) successes->data, callers->len,
                                      &error))
    return;

  g_message ("koers-server: audit failed, %u reads refused: %s", members->len, error->message);
  for (guint j = 0; j < members->len; j++)
    {
      QueuedRead *read = g_ptr_array_index (queue->reads, g_array_index (members, guint, j));

      refuse (read->msg);
    }
}

void
koers_server_audit_queue_flush (KoersServerAuditQueue *queue)
{
  g_autoptr (GPtrArray) reads = NULL;
  g_autofree gboolean *done = NULL;

  g_return_if_fail (queue != NULL);

  g_clear_handle_id (&queue->flush_id, g_source_remove);
  if (queue->reads->len == 0)
    return;

  done = g_new0 (gboolean, queue->reads->len);
  for (guint i = 0; i < queue->reads->len; i++)
    {
      QueuedRead *read = g_ptr_array_index (queue->reads, i);

      if (!done[i])
        flush_organisation (queue, read->caller->organisation_id, done);
    }

  /* Taken out first: unpausing may run code that queues the next reads. */
  reads = g_steal_pointer (&queue->reads);
  queue->reads = g_ptr_array_new_with_free_func (queued_read_free);
  for (guint i = 0; i < reads->len; i++)
    {
      QueuedRead *read = g_ptr_array_index (reads, i);

      soup_server_message_unpause (read->msg);
    }
}

static gboolean
flush_cb (gpointer user_data)
{
  KoersServerAuditQueue *queue = user_data;

  queue->flush_id = 0;
  koers_server_audit_queue_flush (queue);
  return G_SOURCE_REMOVE;
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
  QueuedRead *read;

  g_return_if_fail (queue != NULL);
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (caller != NULL && action != NULL);

  read = g_new0 (QueuedRead, 1);
  read->msg = g_object_ref (msg);
  read->caller = koers_server_caller_copy (caller);
  read->action = g_strdup (action);
  read->entity = g_strdup (entity);
  read->record_id = g_strdup (record_id);
  read->success = success;
  g_ptr_array_add (queue->reads, read);
  soup_server_message_pause (msg);

  if (queue->reads->len >= KOERS_SERVER_AUDIT_QUEUE_MAX)
    {
      /* Not from inside this handler: the message must be paused and answered first. */
      g_clear_handle_id (&queue->flush_id, g_source_remove);
      queue->flush_id = g_idle_add_full (G_PRIORITY_HIGH, flush_cb, queue, NULL);
      return;
    }
  /* At the I/O's own priority: it runs in the next main-loop iteration, after the handlers
   * of every request that was ready in this one, so the requests that arrived together share
   * one commit. */
  if (queue->flush_id == 0)
    queue->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT, flush_cb, queue, NULL);
}

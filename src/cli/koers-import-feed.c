/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-import-feed.c: the rows of an import's writing pass, read and mapped on a thread of
 * their own (koers-import-private.h, KoersImportFeed).
 *
 * Why: the writing pass reads every row again, maps it to a participant and checks it (about
 * a sixth of an import's time), and only then hands it to SQLite, which works on one thread.
 * With the reading and mapping on a second thread, the database thread does nothing but
 * write: on two cores the two overlap. The rows arrive in the file's order, in chunks, and at
 * most FEED_MAX_CHUNKS chunks wait, so the memory stays bounded whatever the file's length.
 * The thread reads with a cancellable of its own, cancelled by the caller's and by
 * koers_import_feed_free(), and looks at it before every row: a consumer that stops never
 * waits for more than the row being read, even when a read blocks (a file on a network
 * share).
 *
 * The thread owns the reader and the mapper from koers_import_feed_start() until
 * koers_import_feed_free(), which stops it within the row it is reading and waits for it: a
 * failed write or a cancellation never leaves it running.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-import-private.h"

#include "core/koers-csv-record.h"

/* Rows a chunk carries, and chunks waiting at most: ~2,000 mapped participants, a few MiB. */
#define FEED_CHUNK_ROWS 256
#define FEED_MAX_CHUNKS 8

typedef struct {
  GArray  *rows;   /* (element-type KoersImportRow) */
  GError  *error;  /* set on the last chunk when the file could not be read to its end */
  gboolean last;   /* no chunk follows */
} FeedChunk;

struct _KoersImportFeed {
  GThread           *thread;
  GMutex             lock;
  GCond              changed;
  GQueue             ready;     /* (element-type FeedChunk) written by the thread */
  gboolean           stopping;  /* the consumer is done: nothing more is queued */
  GCancellable      *stop;      /* cancelled by the caller's cancellable and on stopping */
  GCancellable      *cancellable;
  gulong             cancelled_handler;
  /* The thread's alone while it runs. */
  KoersCsvReader    *reader;
  KoersImportMapper *mapper;
  int                today_year;
  /* The consumer's alone. */
  FeedChunk         *current;
  guint              position;  /* the next row of current */
};

static FeedChunk *
feed_chunk_new (void)
{
  FeedChunk *chunk = g_new0 (FeedChunk, 1);

  chunk->rows = g_array_sized_new (FALSE, TRUE, sizeof (KoersImportRow), FEED_CHUNK_ROWS);
  g_array_set_clear_func (chunk->rows, (GDestroyNotify) koers_import_row_clear);
  return chunk;
}

static void
feed_chunk_free (FeedChunk *chunk)
{
  if (chunk == NULL)
    return;
  g_array_unref (chunk->rows);
  g_clear_error (&chunk->error);
  g_free (chunk);
}

/* Hands @chunk to the consumer, waiting while FEED_MAX_CHUNKS wait already. FALSE when the
 * consumer stopped (then @chunk is freed). */
static gboolean
feed_push (KoersImportFeed *feed, FeedChunk *chunk)
{
  gboolean stopping;

  g_mutex_lock (&feed->lock);
  while (!feed->stopping && feed->ready.length >= FEED_MAX_CHUNKS)
    g_cond_wait (&feed->changed, &feed->lock);
  stopping = feed->stopping;
  if (!stopping)
    {
      g_queue_push_tail (&feed->ready, chunk);
      g_cond_broadcast (&feed->changed);
    }
  g_mutex_unlock (&feed->lock);
  if (stopping)
    feed_chunk_free (chunk);
  return !stopping;
}

/* Reads and maps one row into @chunk; FALSE when @chunk is the last (end of file, or an
 * error set on it). */
static gboolean
feed_read_row (KoersImportFeed *feed, FeedChunk *chunk, GPtrArray *issues)
{
  g_autoptr(KoersCsvRecord) record = NULL;
  g_autoptr(GError) local = NULL;
  KoersImportRow row = { NULL, NULL, NULL };

  if (g_cancellable_set_error_if_cancelled (feed->stop, &local)
      || !koers_csv_reader_next (feed->reader, &record, feed->stop, &local))
    {
      chunk->error = g_steal_pointer (&local);
      return FALSE;
    }
  g_ptr_array_set_size (issues, 0);
  if (!koers_import_mapper_map (feed->mapper, feed->reader, record, feed->today_year, &row,
                                issues))
    {
      const KoersCsvIssue *issue = g_ptr_array_index (issues, 0);

      /* The checking pass found no problem in this row: the file changed since. */
      g_set_error (&chunk->error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED,
                   _("the file changed while it was imported: %s"), issue->message);
      return FALSE;
    }
  g_array_append_val (chunk->rows, row);
  return TRUE;
}

static gpointer
feed_thread (gpointer data)
{
  KoersImportFeed *feed = data;
  g_autoptr(GPtrArray) issues = NULL;

  issues = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_csv_issue_free);
  for (;;)
    {
      FeedChunk *chunk = feed_chunk_new ();

      while (chunk->rows->len < FEED_CHUNK_ROWS)
        {
          if (!feed_read_row (feed, chunk, issues))
            {
              chunk->last = TRUE;
              feed_push (feed, chunk);
              return NULL;
            }
        }
      if (!feed_push (feed, chunk))
        return NULL;
    }
}

/* The caller's cancellable was cancelled (on whichever thread cancelled it). */
static void
cancel_stop (GCancellable *cancellable, gpointer stop)
{
  g_cancellable_cancel (G_CANCELLABLE (stop));
}

/**
 * koers_import_feed_start:
 * @reader: (transfer full): a reader positioned before the first row
 * @mapper: (transfer none): the thread's until koers_import_feed_free()
 *
 * Returns: (transfer full) (nullable): the feed, or %NULL with @error when no thread could be
 * made (then @reader is released).
 */
KoersImportFeed *
koers_import_feed_start (KoersCsvReader    *reader,
                         KoersImportMapper *mapper,
                         int                today_year,
                         GCancellable      *cancellable,
                         GError           **error)
{
  KoersImportFeed *feed = g_new0 (KoersImportFeed, 1);

  g_mutex_init (&feed->lock);
  g_cond_init (&feed->changed);
  g_queue_init (&feed->ready);
  feed->reader = reader;
  feed->mapper = mapper;
  feed->today_year = today_year;
  feed->stop = g_cancellable_new ();
  if (cancellable != NULL)
    {
      feed->cancellable = g_object_ref (cancellable);
      /* Runs at once when @cancellable is cancelled already. */
      feed->cancelled_handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_stop),
                                                       g_object_ref (feed->stop),
                                                       g_object_unref);
    }
  feed->thread = g_thread_try_new ("koers-import-feed", feed_thread, feed, error);
  if (feed->thread == NULL)
    {
      koers_import_feed_free (feed);
      return NULL;
    }
  return feed;
}

/**
 * koers_import_feed_next:
 * @out_row: (out caller-allocates): the next row, the caller's to clear
 *
 * Returns: TRUE with the next row in the file's order; FALSE at the end of the file (@error
 * unset) or when it could not be read or mapped (@error set: an I/O error, a cancellation, or
 * KOERS_IMPORT_ERROR_REFUSED for a file that changed).
 */
gboolean
koers_import_feed_next (KoersImportFeed *feed,
                        KoersImportRow  *out_row,
                        GError         **error)
{
  while (feed->current == NULL || feed->position >= feed->current->rows->len)
    {
      if (feed->current != NULL && feed->current->last)
        {
          /* Every call after a failure fails the same way: never read as the end. */
          if (feed->current->error != NULL)
            g_propagate_error (error, g_error_copy (feed->current->error));
          return FALSE;
        }
      g_clear_pointer (&feed->current, feed_chunk_free);
      g_mutex_lock (&feed->lock);
      while (g_queue_is_empty (&feed->ready))
        g_cond_wait (&feed->changed, &feed->lock);
      feed->current = g_queue_pop_head (&feed->ready);
      g_cond_broadcast (&feed->changed);
      g_mutex_unlock (&feed->lock);
      feed->position = 0;
    }
  /* The row moves to the caller: its place in the chunk must not clear it again. */
  *out_row = g_array_index (feed->current->rows, KoersImportRow, feed->position);
  g_array_index (feed->current->rows, KoersImportRow, feed->position) =
    (KoersImportRow) { NULL, NULL, NULL };
  feed->position++;
  return TRUE;
}

void
koers_import_feed_free (KoersImportFeed *feed)
{
  if (feed == NULL)
    return;
  if (feed->thread != NULL)
    {
      g_mutex_lock (&feed->lock);
      feed->stopping = TRUE;
      g_cond_broadcast (&feed->changed);
      g_mutex_unlock (&feed->lock);
      g_cancellable_cancel (feed->stop);
      g_thread_join (feed->thread);
    }
  if (feed->cancelled_handler != 0)
    g_cancellable_disconnect (feed->cancellable, feed->cancelled_handler);
  g_queue_clear_full (&feed->ready, (GDestroyNotify) feed_chunk_free);
  feed_chunk_free (feed->current);
  g_clear_object (&feed->reader);
  g_clear_object (&feed->cancellable);
  g_clear_object (&feed->stop);
  g_mutex_clear (&feed->lock);
  g_cond_clear (&feed->changed);
  g_free (feed);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reads that run off the server's thread: a few threads, each with a database connection of
 * its own, take the heavy reads (a changes-feed page is reading 500 records and writing
 * ~200 KB of JSON) so that the server's thread keeps parsing requests and writing answers and
 * both cores of a small machine serve the feed. Writes stay on the server's thread.
 */
#pragma once

#include "server/koers-server-engine.h"

G_BEGIN_DECLS

/* The most reader threads a server starts on its own (one per processor up to this). */
#define KOERS_SERVER_MAX_AUTO_READERS 8

typedef struct _KoersServerReaders KoersServerReaders;

/* Runs on a reader thread with that thread's engine (its own connection, the server engine's
 * clock and epoch). Returns the result (transfer full), or NULL with @error set. */
typedef gpointer (*KoersServerReadFunc)     (KoersServerEngine *engine,
                                             gpointer           data,
                                             GError           **error);
/* Runs on the server's thread with what the read returned: @result (transfer none: it is
 * freed with the result_free given to koers_server_readers_run() afterwards) or @error;
 * @busy when the read failed because the database was busy (a lock held elsewhere), so what
 * follows need not wait for the same lock again. */
typedef void     (*KoersServerReadDoneFunc) (gpointer           result,
                                             const GError      *error,
                                             gboolean           busy,
                                             gpointer           data);

/* @engine: the server's engine (borrowed; its database names where the readers connect, and
 * its clock is theirs). Must be called on the server's thread, which must run its main
 * context for the answers to arrive. */
KoersServerReaders *koers_server_readers_new  (KoersServerEngine      *engine,
                                               guint                   n_threads);
/* Waits for the reads under way and delivers their answers before it returns. */
void                koers_server_readers_free (KoersServerReaders     *readers);
void                koers_server_readers_run  (KoersServerReaders     *readers,
                                               KoersServerReadFunc     read,
                                               KoersServerReadDoneFunc done,
                                               gpointer                data,
                                               GDestroyNotify          data_free,
                                               GDestroyNotify          result_free);

/* Runs @func on @context's own thread, in its next iteration, from any thread. */
void                koers_server_post_to_context (GMainContext   *context,
                                                  GSourceFunc     func,
                                                  gpointer        data,
                                                  GDestroyNotify  data_free);

G_END_DECLS

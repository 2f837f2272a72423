/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-server-audit-queue.h: group commit of the audit rows of reads.
 *
 * Every read of participant data leaves an audit row, and no data goes out before its row is
 * on disk. Written one by one, each read pays its own commit (a disk flush with SQLite's
 * synchronous=FULL, round trips with PostgreSQL), and the one server thread waits for it
 * while every other request waits behind. Instead a read's row is queued and its message
 * paused with the answer ready; once per main-loop iteration (when the requests that arrived
 * together have all been handled) the queue is written, one transaction per organisation, and
 * the messages are let go. If a transaction fails, its messages answer 503 instead and carry
 * nothing of what they read.
 */
#pragma once

#include <libsoup/soup.h>

#include "server/koers-server-caller.h"
#include "server/koers-server-engine.h"

G_BEGIN_DECLS

typedef struct _KoersServerAuditQueue KoersServerAuditQueue;

/* Flushed at once when this many rows wait (bounds the memory and the wait). */
#define KOERS_SERVER_AUDIT_QUEUE_MAX 256

KoersServerAuditQueue *koers_server_audit_queue_new   (KoersServerEngine     *engine);
/* Writes what waits and lets its messages go, then frees the queue. */
void                   koers_server_audit_queue_free  (KoersServerAuditQueue *queue);
/* Pauses @msg until its row is written. @record_id nullable. */
void                   koers_server_audit_queue_add   (KoersServerAuditQueue   *queue,
                                                       SoupServerMessage       *msg,
                                                       const KoersServerCaller *caller,
                                                       const char              *action,
                                                       const char              *entity,
                                                       const char              *record_id,
                                                       gboolean                 success);
/* Writes what waits now. */
void                   koers_server_audit_queue_flush (KoersServerAuditQueue *queue);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-server-audit-queue.h: group commit of the audit rows of reads, off the server thread.
 *
 * Every read of participant data leaves an audit row, and no data goes out before its row is
 * on disk. Written one by one on the server thread, each read paid its own commit (a disk
 * flush with SQLite's synchronous=FULL, round trips with PostgreSQL) while every other request
 * waited behind it. Instead a read's rows are queued (koers-server-audit-batch.h) and its
 * message paused with the answer ready; a writer thread with a connection of its own commits
 * what has gathered, one transaction per organisation, and the messages are let go on the
 * server's main context. While it writes, the next reads gather for the next commit, so the
 * busier the server, the more rows share one flush. If a transaction fails, its messages
 * answer 503 instead and carry nothing of what they read.
 */
#pragma once

#include <libsoup/soup.h>

#include "server/koers-server-caller.h"
#include "server/koers-server-db.h"
#include "server/koers-server-engine.h"

G_BEGIN_DECLS

typedef struct _KoersServerAuditQueue KoersServerAuditQueue;

/* @engine (its clock times the rows) and @db (whose location the writer connects to) are
 * borrowed and must outlive the queue. Messages are let go on the thread-default main
 * context of the caller. */
KoersServerAuditQueue *koers_server_audit_queue_new      (KoersServerEngine *engine,
                                                          KoersServerDb     *db);
/* Writes what waits, lets its messages go and stops the writer, then frees the queue. */
void                   koers_server_audit_queue_free     (KoersServerAuditQueue *queue);
/* Pauses @msg until its row is written. @entity, @record_id nullable. */
void                   koers_server_audit_queue_add      (KoersServerAuditQueue   *queue,
                                                          SoupServerMessage       *msg,
                                                          const KoersServerCaller *caller,
                                                          const char              *action,
                                                          const char              *entity,
                                                          const char              *record_id,
                                                          gboolean                 success);
/* Pauses @msg until the row(s) of a page that carried @participants' data (none: one row
 * naming nobody) are written. */
void                   koers_server_audit_queue_add_participants (KoersServerAuditQueue   *queue,
                                                                  SoupServerMessage       *msg,
                                                                  const KoersServerCaller *caller,
                                                                  const char              *action,
                                                                  const char              *entity,
                                                                  KoersServerParticipantSet *participants);

G_END_DECLS

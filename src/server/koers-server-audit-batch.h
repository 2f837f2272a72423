/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-server-audit-batch.h: the audit rows of reads, gathered where the reads are served and
 * written later, in one statement, on whichever connection writes them.
 *
 * The rows are complete when added (their ids and times are taken then, on the serving
 * thread, with the engine's clock), so writing a batch needs nothing but a connection: the
 * audit queue writes batches on a thread of its own (koers-server-audit-queue.c) while the
 * server thread goes on serving.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "server/koers-server-caller.h"
#include "server/koers-server-db.h"
#include "server/koers-server-engine.h"
#include "server/koers-server-participant-set.h"

G_BEGIN_DECLS

typedef struct _KoersServerAuditBatch KoersServerAuditBatch;

/* Rows of @organisation_id only. */
KoersServerAuditBatch *koers_server_audit_batch_new         (const char *organisation_id);
void                   koers_server_audit_batch_free        (KoersServerAuditBatch *batch);
const char            *koers_server_audit_batch_get_organisation (KoersServerAuditBatch *batch);
guint                  koers_server_audit_batch_get_n_rows  (KoersServerAuditBatch *batch);

/* One row, timed now by @engine's clock. @entity and @record_id nullable; the row's
 * participant is found from the record when it is written (a participant is its own). */
void                   koers_server_audit_batch_add         (KoersServerAuditBatch   *batch,
                                                             KoersServerEngine       *engine,
                                                             const KoersServerCaller *caller,
                                                             const char              *action,
                                                             const char              *entity,
                                                             const char              *record_id,
                                                             gboolean                 success);
/* (transfer full) The participants whose data @page's "items" or "wijzigingen" carry, each
 * once, in order (@page nullable: none). */
KoersServerParticipantSet *koers_server_audit_page_participants (JsonNode *page);
/* One row for a read of several records that names @participants (nullable) in its list
 * (audit_participant_lists); none gives one row naming nobody. */
void                   koers_server_audit_batch_add_participants (KoersServerAuditBatch     *batch,
                                                                  KoersServerEngine         *engine,
                                                                  const KoersServerCaller   *caller,
                                                                  const char                *action,
                                                                  const char                *entity,
                                                                  KoersServerParticipantSet *participants,
                                                                  gboolean                   success);
/* Writes every row in one transaction of its own on @db, or none (then FALSE, @error set). */
gboolean               koers_server_audit_batch_write       (KoersServerAuditBatch *batch,
                                                             KoersServerDb         *db,
                                                             GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersServerAuditBatch, koers_server_audit_batch_free)

G_END_DECLS

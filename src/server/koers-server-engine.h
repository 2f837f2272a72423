/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The server's one way to read and write records: the mutation engine (push, entity writes),
 * the changes feed (pull), entity reads, aggregates and the server audit trail. Every write,
 * from /v1/mutaties or an entity resource, goes through koers_server_engine_push_batch() or
 * koers_server_engine_write(), which share the validation, merge, history and sequence code.
 * No HTTP here: the HTTP layer (koers-server.c) maps errors to status codes and JSON to bodies.
 * Wire formats: docs/api-protocol.md.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "core/koers-sync-refusal.h"
#include "server/koers-server-caller.h"
#include "server/koers-server-db.h"
#include "server/koers-server-participant-set.h"

G_BEGIN_DECLS

#define KOERS_SERVER_ENGINE_ERROR (koers_server_engine_error_quark ())

/* Each maps to one HTTP status; messages are Dutch, name the place ("mutaties[3].velden.naam")
 * and never contain field values. */
typedef enum {
  KOERS_SERVER_ENGINE_ERROR_INVALID,        /* 400 */
  KOERS_SERVER_ENGINE_ERROR_FORBIDDEN,      /* 403: the role may never do this */
  KOERS_SERVER_ENGINE_ERROR_NOT_FOUND,      /* 404: missing or outside the caller's scope */
  KOERS_SERVER_ENGINE_ERROR_SEQUENCE_GAP,   /* 409: see *out_expected of push_batch */
  KOERS_SERVER_ENGINE_ERROR_CONFLICT,       /* 409: entity write refused (e.g. already exists) */
  KOERS_SERVER_ENGINE_ERROR_CURSOR_EXPIRED, /* 410 */
  KOERS_SERVER_ENGINE_ERROR_PRECONDITION,   /* 412: If-Match does not match the version */
  KOERS_SERVER_ENGINE_ERROR_UNAVAILABLE,    /* 503: transient, nothing was written */
} KoersServerEngineError;

GQuark koers_server_engine_error_quark (void);

typedef struct _KoersServerEngine KoersServerEngine;

/* @db is borrowed and must outlive the engine. */
KoersServerEngine *koers_server_engine_new  (KoersServerDb     *db);
void               koers_server_engine_free (KoersServerEngine *engine);
KoersServerDb     *koers_server_engine_get_db (KoersServerEngine *engine);
/* The one clock of every timestamp the engine writes; tests pin it. @now returns (transfer full)
 * the current time; NULL restores the real clock. */
void               koers_server_engine_set_clock (KoersServerEngine *engine,
                                                  GDateTime *      (*now) (gpointer user_data),
                                                  gpointer           user_data);

/* Gives every record that has no stored feed item (schema version 6: written before it, or by
 * another program) the item its columns make, in transactions of 500 per organisation; run by
 * koers-server before it serves. *out_filled (nullable): how many. Until then such a record's
 * page is written from its columns, which is slower, not different. */
gboolean koers_server_engine_fill_feed_items (KoersServerEngine *engine,
                                              guint64           *out_filled,
                                              GError           **error);

/* POST /v1/mutaties. @request is the parsed body {"mutaties": [...]}. Returns (transfer full)
 * the 200 body {"resultaten": [...], "laatsteVolgnummer": n}. On a device-number gap sets
 * KOERS_SERVER_ENGINE_ERROR_SEQUENCE_GAP and *out_expected (nullable) to the number the server
 * expects next (the device's last processed number + 1: nothing of the batch is written);
 * a number already processed under another mutatieId is a gap too. The batch is one
 * transaction. Storage errors: BUSY becomes UNAVAILABLE; any other keeps the
 * KOERS_SERVER_DB_ERROR domain (500, nothing written). */
JsonNode *koers_server_engine_push_batch (KoersServerEngine       *engine,
                                          const KoersServerCaller *caller,
                                          JsonNode                *request,
                                          gint64                  *out_expected,
                                          GError                 **error);

/* As koers_server_engine_push_batch(), audited: one @audit_action row for the batch and one
 * row per new mutation (its action, record and participant) are written in the batch's own
 * transaction, so the batch commits only with its audit trail; a refused request gets one
 * "mislukt" row. When the audit cannot be written nothing is committed (UNAVAILABLE). */
JsonNode *koers_server_engine_push_batch_audited (KoersServerEngine       *engine,
                                                  const KoersServerCaller *caller,
                                                  JsonNode                *request,
                                                  const char              *audit_action,
                                                  const char              *purpose,
                                                  gint64                  *out_expected,
                                                  GError                 **error);

typedef enum {
  KOERS_SERVER_WRITE_CREATE,    /* POST /v1/<entity>: @fields are the new record's fields */
  KOERS_SERVER_WRITE_REPLACE,   /* PUT: @fields replace the record's fields (omitted = null) */
  KOERS_SERVER_WRITE_PATCH,     /* PUT .../uitkomst: only the members of @fields change */
  KOERS_SERVER_WRITE_DELETE,    /* DELETE: tombstone */
} KoersServerWriteKind;

/* Why the engine refused an entity write, beside the error that gives its status: the
 * `redenCode` and `veld` of an afgewezen MutatieResultaat, so an entity resource's answer says
 * as much as the sync path does. */
typedef struct {
  KoersSyncRefusal  code;     /* KOERS_SYNC_REFUSAL_UNKNOWN: the error is not a refusal */
  char             *field;    /* (nullable) the field the refusal is about */
} KoersServerRefusal;

void      koers_server_refusal_clear (KoersServerRefusal *refusal);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KoersServerRefusal, koers_server_refusal_clear)

/* One write from an entity resource. @if_match is the version from If-Match (ignored for
 * CREATE; PRECONDITION when it is not the current version). A field error is INVALID naming
 * the field. A CREATE of an existing id is CONFLICT; a write to a missing, tombstoned, erased
 * or out-of-scope record is NOT_FOUND. REPLACE keeps the fixed fields (deelnemerId, note
 * fields) when they are omitted. Returns (transfer full) the record as on the wire after the
 * write (for DELETE: the tombstone).
 *
 * @out_refusal (nullable, caller-allocated, cleared first): on failure, the refusal's code and
 * field when the engine refused the write (INVALID, FORBIDDEN, NOT_FOUND, CONFLICT), including
 * `nietGevonden` for the NOT_FOUND of a missing or out-of-scope record and `idInGebruik` for
 * the CONFLICT of an existing id; code UNKNOWN for every other error (If-Match, a malformed id
 * or body, storage, the programme manager's role). */
JsonNode *koers_server_engine_write (KoersServerEngine       *engine,
                                     const KoersServerCaller *caller,
                                     const char              *entity,
                                     const char              *id,
                                     KoersServerWriteKind     kind,
                                     JsonObject              *fields,
                                     gint64                   if_match,
                                     KoersServerRefusal      *out_refusal,
                                     GError                 **error);

/* As koers_server_engine_write(), audited: the @audit_action row (record and participant)
 * commits in the write's transaction, or nothing commits; a refused write gets one "mislukt"
 * row in its own transaction (UNAVAILABLE, and no refusal, when even that fails). */
JsonNode *koers_server_engine_write_audited (KoersServerEngine       *engine,
                                             const KoersServerCaller *caller,
                                             const char              *entity,
                                             const char              *id,
                                             KoersServerWriteKind     kind,
                                             JsonObject              *fields,
                                             gint64                   if_match,
                                             const char              *audit_action,
                                             const char              *purpose,
                                             KoersServerRefusal      *out_refusal,
                                             GError                 **error);

/* GET /v1/wijzigingen as the route sends it. */
typedef struct {
  char      *text;          /* the 200 body, JSON */
  gsize      text_length;
  char      *next_cursor;   /* volgendeCursor */
  gboolean   more;          /* meerBeschikbaar */
  KoersServerParticipantSet *participants; /* whose data the page carries, for the audit */
} KoersServerFeedPage;

void      koers_server_feed_page_free (KoersServerFeedPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersServerFeedPage, koers_server_feed_page_free)

/* GET /v1/wijzigingen. @cursor (nullable): NULL or "0" = from the beginning. @limit 1..500.
 * Returns (transfer full) the page, or NULL with @error set. */
KoersServerFeedPage *koers_server_engine_pull_page (KoersServerEngine       *engine,
                                                    const KoersServerCaller *caller,
                                                    const char              *cursor,
                                                    guint                    limit,
                                                    GError                 **error);
/* The same page as a tree. Returns (transfer full) the 200 body. */
JsonNode *koers_server_engine_pull (KoersServerEngine       *engine,
                                    const KoersServerCaller *caller,
                                    const char              *cursor,
                                    guint                    limit,
                                    GError                 **error);

/* GET /v1/<entity>/{id}: (transfer full) the record on the wire; NOT_FOUND when missing,
 * outside the caller's scope, tombstoned or erased; FORBIDDEN for the programme manager. */
JsonNode *koers_server_engine_get (KoersServerEngine       *engine,
                                   const KoersServerCaller *caller,
                                   const char              *entity,
                                   const char              *id,
                                   GError                 **error);

typedef struct {
  const char *participant_id;   /* (nullable) deelnemerId filter for child entities */
  int         resolved;         /* conflicten: -1 any, 0 open, 1 resolved */
  const char *search;           /* (nullable) deelnemers/_zoek: folded name search */
  const char *cursor;           /* (nullable) opaque, from volgendeCursor */
  guint       limit;            /* 1..500 */
} KoersServerListQuery;

/* GET /v1/<entity> and POST /v1/deelnemers/_zoek: (transfer full) {"items": [...],
 * "volgendeCursor": "..." | null}. Tombstoned records are left out. */
JsonNode *koers_server_engine_list (KoersServerEngine          *engine,
                                    const KoersServerCaller    *caller,
                                    const char                 *entity,
                                    const KoersServerListQuery *query,
                                    GError                    **error);

/* GET /v1/kengetallen: counts per status, target group and outcome in the caller's scope
 * (region-wide for the programme manager, without any personal field). */
JsonNode *koers_server_engine_counts (KoersServerEngine       *engine,
                                      const KoersServerCaller *caller,
                                      GError                 **error);

/* The server audit trail: one row per request that reads or changes participant data.
 * @action: "lezen", "zoeken", "aanmaken", "wijzigen", "verwijderen", "wissen",
 * "synchroniseren", "exporteren". @entity/@record_id nullable; never field values. Audit
 * failures are returned, and the caller answers 503 rather than serve unaudited data. */
gboolean  koers_server_engine_audit (KoersServerEngine       *engine,
                                     const KoersServerCaller *caller,
                                     const char              *action,
                                     const char              *entity,
                                     const char              *record_id,
                                     const char              *purpose,
                                     gboolean                 success,
                                     GError                 **error);

/* The audit of a read that returned a page (@page nullable: the read failed): one row per
 * participant whose data the page's "items" or "wijzigingen" carry (participant_id set), all
 * in one statement; a page that carries nobody's data leaves one row without a record. */
gboolean  koers_server_engine_audit_page (KoersServerEngine       *engine,
                                          const KoersServerCaller *caller,
                                          const char              *action,
                                          const char              *entity,
                                          JsonNode                *page,
                                          gboolean                 success,
                                          GError                 **error);

/* The same for a page that carried @participants' data (nullable: none). */
gboolean  koers_server_engine_audit_participants (KoersServerEngine       *engine,
                                                  const KoersServerCaller *caller,
                                                  const char              *action,
                                                  const char              *entity,
                                                  KoersServerParticipantSet *participants,
                                                  gboolean                 success,
                                                  GError                 **error);

/* GET /v1/audit-gebeurtenissen?recordId= (ondersteuner): {"items": [...], ...}. */
JsonNode *koers_server_engine_list_audit (KoersServerEngine          *engine,
                                          const KoersServerCaller    *caller,
                                          const char                 *record_id,
                                          const KoersServerListQuery *query,
                                          GError                    **error);

/* POST /v1/audit-gebeurtenissen: a client's local audit events, stored as they came
 * (validated: known actions, ids, timestamps; at most 500 per request). */
gboolean  koers_server_engine_upload_audit (KoersServerEngine       *engine,
                                            const KoersServerCaller *caller,
                                            JsonNode                *request,
                                            guint                   *out_n_stored,
                                            GError                 **error);

G_END_DECLS

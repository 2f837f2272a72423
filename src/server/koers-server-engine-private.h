/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Inside the mutation engine: the parts shared by push, entity writes, the feed and reads.
 * Everything here runs inside one transaction opened by the caller of these functions.
 */
#pragma once

#include "server/koers-server-engine.h"

#include "core/koers-sync-entities.h"
#include "core/koers-sync-refusal.h"
#include "core/koers-uuid.h"        /* koers_uuid_is_valid: the id check, the client's too */
#include "sync/koers-sync-json.h"

G_BEGIN_DECLS

struct _KoersServerEngine
{
  KoersServerDb *db;
  GDateTime   *(*clock) (gpointer user_data);
  gpointer       clock_data;
};

/* Pages of the feed and of lists stop once their items reach this many bytes serialized
 * (always at least one item): a record can hold ~100 kB of text, and 500 of them would pass
 * the client's 16 MiB response limit (docs/api-protocol.md, Limits). */
#define ENGINE_PAGE_BYTES (4 * 1024 * 1024)

/* The mutation actions, in wire order (action_names in koers-server-engine-apply.c). */
typedef enum {
  ENGINE_ACTION_CREATE,
  ENGINE_ACTION_CHANGE,
  ENGINE_ACTION_DELETE,
  ENGINE_ACTION_RESTORE,
  ENGINE_ACTION_RESOLVE,
  ENGINE_ACTION_ERASE,
  ENGINE_N_ACTIONS
} EngineAction;

/* One write transaction: who, when, through which device and mutation. */
typedef struct {
  KoersServerEngine       *engine;
  KoersServerDb           *db;
  const KoersServerCaller *caller;
  const char              *org;
  char                    *now;          /* ISO timestamp, one per transaction */
  const char              *device_id;    /* (nullable) */
  const char              *mutation_id;  /* (nullable) for history */
  const char              *audit_purpose; /* (nullable) */
  gboolean                 audit;        /* write an audit row per mutation */
  /* The organisation's volgnummer as this transaction last set it; 0: not read yet. Only
   * this transaction can change it until commit (the organisation's write lock), so after
   * the first save the next numbers are known without asking (engine_record_save). Whoever
   * rolls back to a savepoint puts back the value it had there. */
  gint64                   sequence;
  /* (nullable) Records a push read ahead for its mutations, all in one round trip:
   * engine_record_key () -> KoersSqlRows (none or one row, ENGINE_RECORD_COLUMNS). Each is
   * used once (engine_txn_record_load); engine_record_save drops the entry of the record it
   * writes, so a record written since is read again. Every write of a record goes through
   * engine_record_save: only the organisation's own transaction writes its records. */
  GHashTable              *read_ahead;
} EngineTxn;

/* A parsed mutation. Structure was checked (400); content is checked when applied. */
typedef struct {
  char                  *mutation_id;
  gint64                 device_sequence;
  char                  *entity_name;
  const KoersSyncEntity *entity;         /* NULL: unknown entity (afgewezen) */
  char                  *record_id;
  int                    action;         /* EngineAction, or -1: unknown (afgewezen) */
  gboolean               has_base;
  gint64                 base_version;
  JsonObject            *fields;         /* {veld: {"was": .., "wordt": ..}}, owned ref */
} EngineMutation;

/* Why a mutation cannot apply; entity writes map it to an error code. */
typedef enum {
  ENGINE_REJECT_NONE,
  ENGINE_REJECT_INVALID,
  ENGINE_REJECT_FORBIDDEN,
  ENGINE_REJECT_NOT_FOUND,
  ENGINE_REJECT_CONFLICT,
} EngineReject;

typedef struct {
  const char   *status;       /* "toegepast", "conflict", "afgewezen" (static) */
  gint64        version;      /* 0: null */
  GPtrArray    *conflicts;    /* char *: ids of conflict records made */
  char         *reason;       /* Dutch, without values */
  EngineReject  reject;
  KoersSyncRefusal refusal;   /* the reason as a code ("redenCode") */
  char         *reject_field; /* (nullable) the field the reason is about */
} EngineResult;

/* A row of records. */
typedef struct {
  char       *entity;
  char       *id;
  gint64      version;        /* 0: not stored yet */
  char       *scope_coach_id;
  char       *participant_id;
  gboolean    deleted;
  gboolean    erased;
  JsonObject *fields;
  char       *created_at;
  char       *created_by;
  char       *updated_at;
  char       *updated_by;
} EngineRecord;

void          engine_record_free (EngineRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EngineRecord, engine_record_free)

void          engine_mutation_free (EngineMutation *mutation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EngineMutation, engine_mutation_free)

void          engine_result_init  (EngineResult *result);
void          engine_result_clear (EngineResult *result);
/* Sets a refusal (its EngineReject follows from the code); @field nullable; takes @reason.
 * Returns TRUE (a refusal is not a storage error). */
gboolean      engine_reject       (EngineResult *result, KoersSyncRefusal refusal,
                                   const char *field, char *reason);
JsonNode     *engine_result_to_json (const EngineMutation *mutation, const EngineResult *result);

char         *engine_now_iso      (KoersServerEngine *engine);
/* Maps a storage error: BUSY -> UNAVAILABLE; the rest keeps the KOERS_SERVER_DB_ERROR domain
 * (the HTTP layer answers 500 without details). */
void          engine_propagate_db_error (GError **dest, GError *src);

/* Columns of the SELECTs below, in this order. */
#define ENGINE_RECORD_COLUMNS \
  "entity, id, version, scope_coach_id, participant_id, deleted, erased, fields, " \
  "created_at, created_by, updated_at, updated_by"
EngineRecord *engine_record_from_row (KoersSqlRows *rows, guint row, guint first_column);
/* One record by organisation ($1), entity ($2) and id ($3). */
#define ENGINE_RECORD_SELECT \
  "SELECT " ENGINE_RECORD_COLUMNS " FROM records " \
  "WHERE organisation_id = $1 AND entity = $2 AND id = $3"
/* *out_record NULL when there is no such record in @org. */
gboolean      engine_record_load  (KoersServerDb *db, const char *org, const char *entity,
                                   const char *id, EngineRecord **out_record, GError **error);
/* (transfer full) the key of a record in EngineTxn.read_ahead. */
char         *engine_record_key   (const char *entity, const char *id);
/* engine_record_load for the mutation's own record: taken from txn->read_ahead when it is
 * there (and dropped from it), else read. */
gboolean      engine_txn_record_load (EngineTxn *txn, const char *entity, const char *id,
                                      EngineRecord **out_record, GError **error);
gboolean      engine_record_in_scope (const KoersServerCaller *caller,
                                      const EngineRecord      *record);
/* Gives @record the next volgnummer of the organisation, stores it (participants: scope and
 * search key from the fields) and writes history (@action, @diff: nullable, {} when NULL).
 * The writes are deferred (koers_server_db_exec_deferred): their errors may come from a later
 * statement of the transaction, which then fails as a whole. */
gboolean      engine_record_save  (EngineTxn *txn, EngineRecord *record, const char *action,
                                   JsonObject *diff, GError **error);
JsonNode     *engine_record_to_wire (const EngineRecord *record);

/* Creates a conflict record about @field of @target; returns its id (transfer full). */
char         *engine_conflict_create (EngineTxn *txn, const EngineRecord *target,
                                      const char *field, JsonNode *base, JsonNode *server,
                                      JsonNode *client, GError **error);

/* (transfer full) the mutations of a push request (EngineMutation), or NULL with an INVALID
 * error naming the place when its structure is wrong. */
GPtrArray    *engine_push_parse_request (JsonNode *request, GError **error);

/* Applies one mutation inside the transaction. FALSE only on a storage error (the whole
 * transaction is then rolled back); a refusal is a result with status "afgewezen". */
gboolean      engine_apply        (EngineTxn *txn, EngineMutation *mutation,
                                   EngineResult *result, GError **error);
const char   *engine_action_name  (EngineAction action);
int           engine_action_from_name (const char *name);

/* TRUE for the actions an audit row may name ("lezen", "zoeken", ...). */
gboolean      engine_audit_action_is_known (const char *action);
/* One server audit row inside the open transaction. @participant_id (nullable): NULL takes
 * the participant of the record @entity/@record_id. */
gboolean      engine_audit_insert (KoersServerEngine *engine, const KoersServerCaller *caller,
                                   const char *action, const char *entity,
                                   const char *record_id, const char *participant_id,
                                   const char *purpose, gboolean success, GError **error);
/* The same row, deferred (koers_server_db_exec_deferred) inside a write transaction that ends
 * in a commit: when it cannot be written, the call that sends it (a later statement, the
 * commit) fails with KOERS_SERVER_ENGINE_ERROR_UNAVAILABLE, as engine_audit_insert would. */
gboolean      engine_audit_insert_deferred (KoersServerEngine *engine,
                                            const KoersServerCaller *caller,
                                            const char *action, const char *entity,
                                            const char *record_id, const char *participant_id,
                                            const char *purpose, gboolean success,
                                            GError **error);
/* The SQL both audit writers share (engine_audit_insert, one row; koers_server_audit_batch_write,
 * a batch of read rows): the columns of an audit row in the order they fill them, and the
 * row's participant: @participant, or when that is NULL the participant of record
 * @entity/@record_id of @organisation (a participant is its own), so "who touched this
 * participant" finds child records too. Each argument is an SQL expression, pasted in. */
#define ENGINE_AUDIT_INSERT_SQL \
  "INSERT INTO audit (id, organisation_id, occurred_at, user_id, device_id, action, entity, " \
  "record_id, participant_id, purpose, result, origin) "
#define ENGINE_AUDIT_PARTICIPANT_SQL(participant, organisation, entity, record_id) \
  "COALESCE(" participant ", (SELECT x.participant_id FROM records x " \
  "WHERE x.organisation_id = " organisation " AND x.entity = " entity \
  " AND x.id = " record_id "))"
/* After a failed request was rolled back: one "mislukt" row in its own transaction. When
 * that fails too, *error becomes UNAVAILABLE (503). Storage errors are left alone. */
void          engine_audit_failure (KoersServerEngine *engine, const KoersServerCaller *caller,
                                    const char *action, const char *entity,
                                    const char *record_id, const char *purpose,
                                    GError **error);

/* JSON helpers. NULL and JSON null are the same value. */
gboolean      engine_json_equal   (JsonNode *a, JsonNode *b);
char         *engine_json_to_string (JsonNode *node);
char         *engine_object_to_string (JsonObject *object);
JsonNode     *engine_json_parse   (const char *text);
JsonObject   *engine_object_parse (const char *text);

/* koers-server-feed-text.c: a record as its feed item (the members of engine_record_to_wire),
 * its stored fields as they are when they read as one JSON object; one row of the feed's
 * query (ENGINE_RECORD_COLUMNS) the same way; an item of a record that left the caller's
 * bucket (entity, id, version). */
typedef struct {
  const char *text;     /* nullable: null */
  gsize       length;
} EngineFeedText;
typedef struct {
  EngineFeedText id, entity;
  gint64         version;
  gboolean       deleted, erased;
  EngineFeedText created_at, created_by, updated_at, updated_by;
  EngineFeedText fields;
} EngineFeedItem;
void          engine_feed_append_item   (GString *out, const EngineFeedItem *item);
void          engine_feed_append_record (GString *out, KoersSqlRow *row);
void          engine_feed_append_gone   (GString *out, KoersSqlRow *row);
/* (transfer full) @record's item as the feed sends it, @fields_text its stored fields. */
char         *engine_feed_item_text     (const EngineRecord *record, const char *fields_text);
/* A 64-bit check of an item's bytes and the version of the row it belongs to, stored beside it
 * (schema version 6): not cryptographic, it tells an item as the engine wrote it for this
 * version of the row from one damaged or copied to another row since. Fixed for good:
 * changing it would send every stored item through the records' columns. */
gint64        engine_feed_item_check    (const char *text, gsize length, gint64 version);

/* The ids of every organisation into @orgs (element-type utf8), in id order. */
gboolean      engine_list_organisations (KoersServerDb *db, GPtrArray *orgs, GError **error);

G_END_DECLS

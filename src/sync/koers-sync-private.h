/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the sync engine's files share and nobody else uses: the local column mapping of the
 * entity declaration, type-checking JSON accessors for untrusted responses, and the working
 * row rebuild that both a pull and a push result need.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "core/koers-sync-entities.h"
#include "core/koers-sync-refusal.h"
#include "storage/koers-database.h"
#include "sync/koers-sync-json.h"

G_BEGIN_DECLS

/* A declared field that has a local column, and the local value that stands for "no value"
 * (an SQL literal): the working tables cannot hold NULL in some columns the server may leave
 * empty. BOOL: 0; INT: 0 (or the minimum when 0 is out of range); an ENUM with an "unknown"
 * id: 'unknown'; the status: its first id (the workflow's start); anything else: NULL. */
typedef struct {
  const KoersSyncField *field;
  char                 *fallback;
} KoersSyncLocalColumn;

/* (transfer full) (element-type KoersSyncLocalColumn): the fields of @entity with a column. */
GPtrArray  *koers_sync_local_columns (const KoersSyncEntity *entity);
/* Who wrote the two sides of a conflict (serverDoor, clientDoor, serverApparaat,
 * clientApparaat; each nullable), and who this computer is (the signed-in user and this
 * device, from sync_state; nullable before the first sign-in). */
typedef struct {
  const char *server_by;
  const char *client_by;
  const char *server_device;
  const char *client_device;
} KoersSyncConflictSides;

typedef struct {
  char *user_id;
  char *device_id;
} KoersSyncSelf;

/* TRUE when "mine" on this computer is the conflict's server value: this device wrote it;
 * or, when neither side came from this device, the signed-in user wrote the server's value
 * and someone else the client's. Otherwise (and when nothing is known) FALSE: "mine" is the
 * value that could not be applied. */
gboolean    koers_sync_conflict_mine_is_server (const KoersSyncConflictSides *sides,
                                                const KoersSyncSelf          *self);
/* Reads the signed-in user and this device from sync_state into @self, whose strings the
 * caller frees with koers_sync_self_clear(). */
gboolean    koers_sync_self_read (KoersDatabase *db, KoersSyncSelf *self, GError **error);
void        koers_sync_self_clear (KoersSyncSelf *self);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KoersSyncSelf, koers_sync_self_clear)
/* The stored conflict @conflict_id: its entity and field (both NULL when it is not on this
 * computer or its record does not read) and whether "mine" here is its server value. */
gboolean    koers_sync_conflict_read_stored (KoersDatabase *db, const char *conflict_id,
                                             char **out_entity, char **out_field,
                                             gboolean *out_mine_is_server, GError **error);
/* (transfer full) An SQL expression for the local value that a wire value is stored as;
 * @json: an SQL expression of JSON text (NULL: no value), @fallback: the column's "no value". */
char       *koers_sync_sql_decode (const KoersSyncField *field, const char *json,
                                   const char *fallback);

/* Type-checking accessors (json-glib 1.6 returns 0/NULL silently, or logs criticals, on a
 * wrong type). Each returns NULL/FALSE when the member is missing or of another type. */
const char *koers_sync_json_string (JsonObject *object, const char *member);
JsonObject *koers_sync_json_object (JsonObject *object, const char *member);
JsonArray  *koers_sync_json_array (JsonObject *object, const char *member);
gboolean    koers_sync_json_int (JsonObject *object, const char *member, gint64 *out_value);
/* Missing counts as @fallback; a member of another type is FALSE with *out_ok FALSE. */
gboolean    koers_sync_json_bool (JsonObject *object, const char *member, gboolean fallback,
                                  gboolean *out_ok);
/* The same on a document's object @object (KOERS_JSON_NONE for "no such object"). */
const char  *koers_sync_doc_string (KoersJsonDoc *doc, KoersJsonRef object, const char *member);
KoersJsonRef koers_sync_doc_object (KoersJsonDoc *doc, KoersJsonRef object, const char *member);
KoersJsonRef koers_sync_doc_array (KoersJsonDoc *doc, KoersJsonRef object, const char *member);
gboolean     koers_sync_doc_int (KoersJsonDoc *doc, KoersJsonRef object, const char *member,
                                 gint64 *out_value);
gboolean     koers_sync_doc_bool (KoersJsonDoc *doc, KoersJsonRef object, const char *member,
                                  gboolean fallback, gboolean *out_ok);

/* Rebuilds the working row of one record from its shadow and its pending outbox rows (the
 * apply guard must be set by the caller): inserted, updated, or removed when neither exists.
 * A child whose participant is not stored locally stays in the shadow only. */
gboolean    koers_sync_rebuild_record (KoersDatabase *db, const KoersSyncEntity *entity,
                                       const char *id, GError **error);
/* What the apply of one pull page knows across its records (koers_sync_apply_page). */
typedef struct {
  gboolean    initial;      /* an initial pull: almost every working row is new */
  gboolean    outbox_empty; /* nothing pending: no record's state needs the outbox read */
  GHashTable *coaches;      /* coach ids whose row this page's transaction has made sure of */
} KoersSyncPageContext;

/* The same, from @record in @doc: the record the caller has just stored as the shadow (its
 * whole object as received), which saves reading it back. */
gboolean    koers_sync_rebuild_record_from (KoersDatabase *db, const KoersSyncEntity *entity,
                                            const char *id, KoersJsonDoc *doc,
                                            KoersJsonRef record, KoersSyncPageContext *page,
                                            GError **error);
/* Rebuilds the children held back in the shadow (see above) of the participants @ids. */
gboolean    koers_sync_rebuild_children (KoersDatabase *db, GPtrArray *ids, GError **error);
/* Deletes one working row and the rows of other tables that refer to it (koers-sync-remove.c). */
gboolean    koers_sync_delete_working_row (KoersDatabase *db, const char *table, const char *id,
                                           GError **error);
/* Removes a record and, for a participant, its children from the working tables and the
 * shadow; their pending outbox rows move to quarantine with @reason (values dropped when
 * @erased: an erasure leaves nothing behind). Guard set by the caller. */
gboolean    koers_sync_remove_record (KoersDatabase *db, const KoersSyncEntity *entity,
                                      const char *id, const char *reason, gboolean erased,
                                      gboolean keep_shadow, GError **error);
/* Moves one outbox row to quarantine with @reason, its code and the field it is about
 * (@field nullable). */
gboolean    koers_sync_quarantine_row (KoersDatabase *db, gint64 outbox_seq, const char *reason,
                                       KoersSyncRefusal refusal, const char *field,
                                       gboolean drop_values, GError **error);
/* Sets / clears the apply guard (inside the caller's transaction). */
gboolean    koers_sync_guard (KoersDatabase *db, gboolean on, GError **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-review.h: what the Conflicts page shows and does, without GTK.
 *
 * Open conflicts are the `conflicten` records in sync_shadow that the server has not marked
 * `opgelost`; a resolution queued on this device keeps its conflict listed ("waiting") until
 * the pull that brings `opgelost: true`. Quarantined changes are the sync_quarantine rows
 * (the server's `reden`, or a local reason when the record left this device).
 *
 * "Fix and resend" never reuses the refused mutation: the fixed change becomes a new outbox
 * row (a new sequence number, and a new mutation id and device number when it is sent); the
 * server keeps its answer to the old id. Values are read from untrusted records: a shadow
 * record that does not decode is left out, never fatal.
 *
 * The SQL is in koers-sync-review.c (reads) and koers-sync-review-write.c (resolve, resend,
 * discard); the value helpers (labels, display text, parsing what the user typed) in
 * koers-sync-review-values.c, and a refusal's reason in words in koers-sync-refusal-text.c,
 * without SQL.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "core/koers-sync-refusal.h"
#include "storage/koers-database.h"

G_BEGIN_DECLS

/* The wire "field" of a delete-against-edit conflict (docs/api-protocol.md). */
#define KOERS_SYNC_DELETED_FIELD "_verwijderd"

typedef struct {
  char     *id;                /* the conflict record */
  gint64    version;
  char     *entity;            /* the record in conflict: "deelnemers", "activiteiten", ... */
  char     *record_id;
  char     *participant_id;    /* (nullable) */
  char     *participant_name;  /* (nullable) as this device knows it */
  char     *field;             /* wire name, or KOERS_SYNC_DELETED_FIELD */
  JsonNode *base;              /* "was": never NULL (JSON null for no value) */
  /* Seen from this computer: "mine" is the value typed here. On the device whose change
   * could not be applied that is the conflict's client value; on the device that wrote the
   * value the server kept (serverApparaat) the two are swapped (mine_is_server). On any other
   * device the user decides: swapped when the signed-in user wrote the server's value
   * (serverDoor) and someone else the client's; otherwise, for someone who typed neither,
   * "mine" is the client value. */
  JsonNode *theirs;
  JsonNode *mine;
  char     *theirs_by;         /* (nullable) user ids and ISO timestamps */
  char     *mine_by;
  char     *theirs_at;
  char     *mine_at;
  gboolean  mine_is_server;    /* the server kept the value typed here */
  gboolean  waiting;           /* a resolution is queued here and not yet confirmed */
} KoersSyncConflict;

typedef struct {
  gint64      seq;
  char       *mutation_id;       /* (nullable) the refused mutation's id, when it was sent */
  char       *entity;
  char       *record_id;
  char       *participant_id;    /* (nullable) */
  char       *participant_name;  /* (nullable) */
  char       *action;            /* "aanmaken", "wijzigen", ... */
  JsonObject *diff;              /* (nullable) {field: {was, wordt}}; NULL after an erasure */
  char       *reason;            /* the server's (Dutch) sentence, or a local one */
  KoersSyncRefusal refusal;      /* the reason as a code; UNKNOWN for an older row or server */
  char       *field;             /* (nullable) the declared field the reason is about */
  char       *quarantined_at;
} KoersSyncQuarantined;

typedef struct {
  GPtrArray  *conflicts;    /* (element-type KoersSyncConflict) by participant, entity, field */
  GPtrArray  *quarantined;  /* (element-type KoersSyncQuarantined) oldest first */
  GHashTable *people;       /* user id -> display name, from the local coach list */
  gint64      pending;      /* outbox rows not yet accepted by the server */
} KoersSyncReview;

void koers_sync_conflict_free (KoersSyncConflict *conflict);
void koers_sync_quarantined_free (KoersSyncQuarantined *item);
void koers_sync_review_free (KoersSyncReview *review);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersSyncConflict, koers_sync_conflict_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersSyncQuarantined, koers_sync_quarantined_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersSyncReview, koers_sync_review_free)

/**
 * koers_sync_review_load:
 * @db: a Koers database (without the sync tables the review is empty)
 * @participant_id: (nullable): only what concerns this participant
 *
 * Reads the open conflicts and the quarantine in one read transaction. Records that do not
 * decode (not JSON, not an object, members of the wrong type) are skipped.
 *
 * Returns: (transfer full) (nullable): the review, or %NULL with @error on a database error.
 */
KoersSyncReview *koers_sync_review_load (KoersDatabase *db,
                                         const char    *participant_id,
                                         GError       **error);

/* Open conflicts without a queued resolution, plus quarantined changes: what needs a person. */
guint     koers_sync_review_count_attention (KoersSyncReview *review);

/**
 * koers_sync_review_resolve:
 * @choice: "mijn" (keep the value shown as mine), "hun" (the other) or "bewerkt"
 * @edited_text: (nullable): for "bewerkt": what the user typed, parsed and checked as
 *   koers_sync_review_parse_value() does
 *
 * Queues the resolution (koers_sync_resolve_conflict). A value that does not pass the
 * field's checks fails with KOERS_DATABASE_ERROR_INVALID and a translated message naming the
 * field and the reason; nothing is written.
 */
gboolean  koers_sync_review_resolve (KoersDatabase *db,
                                     const char    *conflict_id,
                                     const char    *choice,
                                     const char    *edited_text,
                                     GError       **error);

/* TRUE when the quarantined change can be fixed and sent again (a create or a change whose
 * values were kept); deletions, restores, resolutions and erased values can only be discarded. */
gboolean  koers_sync_quarantined_can_resend (KoersSyncQuarantined *item);

/**
 * koers_sync_quarantine_resend:
 * @seq: the sync_quarantine row
 * @values: (nullable): wire field -> new value, for fields of the refused change; fields not
 *   named keep the value that was refused
 *
 * Checks every value of the fixed change (koers_sync_field_check; a create also as a whole
 * record), then in one transaction queues a new outbox row with the fixed diff (`was` is what
 * this device now holds: the newest pending value, else the server's), removes the quarantine
 * row and rebuilds the record's working row, so the fixed value shows at once. Fails with
 * KOERS_DATABASE_ERROR_NOT_FOUND or _INVALID (translated, naming the field); nothing changes
 * then.
 */
gboolean  koers_sync_quarantine_resend (KoersDatabase *db,
                                        gint64         seq,
                                        JsonObject    *values,
                                        GError       **error);

/* Removes a quarantined change for good (the user decided it should not be sent). */
gboolean  koers_sync_quarantine_discard (KoersDatabase *db, gint64 seq, GError **error);

/* --- refusals (koers-sync-refusal-text.c): no SQL, translated -------------------------- */

/* (transfer full) (nullable) Why @item was refused, in the user's language; NULL when its
 * code is unknown or says too little here: show @item->reason, the server's own sentence. */
char       *koers_sync_quarantined_reason_text (const KoersSyncQuarantined *item);
/* (transfer none) (nullable) The `wordt` a refused change's @diff gives @field. */
JsonNode   *koers_sync_review_refused_value (JsonObject *diff, const char *field);

/* --- values (koers-sync-review-values.c): no SQL, translated ---------------------------- */

/* Translated labels; an unknown name comes back as is. (transfer none) */
const char *koers_sync_review_entity_label (const char *entity);
const char *koers_sync_review_field_label (const char *entity, const char *field);
const char *koers_sync_review_action_label (const char *action);

/* (transfer full): @value as a person reads it: vocabulary labels, dates in the user's style,
 * Yes/No, coach names from @people (nullable), "Not recorded" for no value. */
char       *koers_sync_review_value_label (const char *entity,
                                           const char *field,
                                           JsonNode   *value,
                                           GHashTable *people);

/* How a value of @field is edited. */
typedef enum {
  KOERS_SYNC_EDIT_NONE,      /* only "mine" or "theirs" (yes/no, coach, deletion) */
  KOERS_SYNC_EDIT_TEXT,      /* typed: text, numbers, dates */
  KOERS_SYNC_EDIT_LONG_TEXT, /* typed, several lines */
  KOERS_SYNC_EDIT_CHOICE,    /* one of the vocabulary's ids */
} KoersSyncEditKind;

KoersSyncEditKind koers_sync_review_edit_kind (const char *entity, const char *field);
/* (transfer none) (nullable): the vocabulary ids of a CHOICE field, NULL-terminated. */
const char * const *koers_sync_review_choices (const char *entity, const char *field);
/* (transfer full): @value as the text an editor starts from ("" for no value; dates in the
 * user's style; a CHOICE field's id). */
char       *koers_sync_review_value_to_text (const char *entity,
                                             const char *field,
                                             JsonNode   *value);
/**
 * koers_sync_review_parse_value:
 * @text: what the user typed (trimmed and NFC-normalised first; "" is no value)
 *
 * Returns: (transfer full) (nullable): the wire value, or %NULL with
 * KOERS_DATABASE_ERROR_INVALID and a translated message naming the field when the value is
 * refused by the participant rules (phone, e-mail, birth year, ...) or the field's sync checks.
 */
JsonNode   *koers_sync_review_parse_value (const char *entity,
                                           const char *field,
                                           const char *text,
                                           GError    **error);

/* The field check of the engine with a translated message (label + reason); TRUE when @value
 * may be sent. */
gboolean    koers_sync_review_check_value (const char *entity,
                                           const char *field,
                                           JsonNode   *value,
                                           GError    **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-audit.h: the audit trail (RELIABILITY.md, "Privacy and security"; BIO2 8.15.01 fields).
 *
 * Every read, search, change, export and print of a participant file leaves one event: who,
 * what, which record, when, why (purpose), with what result and from which program. Events are
 * append-only and hash-chained: each stores SHA-256 over the previous event's hash and its own
 * fields, so a changed or removed event breaks the chain from there on.
 */
#pragma once

#include "storage/koers-database.h"

G_BEGIN_DECLS

typedef enum {
  KOERS_AUDIT_ACTION_OPEN,
  KOERS_AUDIT_ACTION_SEARCH,
  KOERS_AUDIT_ACTION_CREATE,
  KOERS_AUDIT_ACTION_CHANGE,
  KOERS_AUDIT_ACTION_DELETE,
  KOERS_AUDIT_ACTION_RESTORE,
  KOERS_AUDIT_ACTION_EXPORT,
  KOERS_N_AUDIT_ACTIONS
} KoersAuditAction;

typedef enum {
  KOERS_AUDIT_RESULT_SUCCESS,
  KOERS_AUDIT_RESULT_FAILURE,
} KoersAuditResult;

/* The origins Koers writes; any short text is accepted. */
#define KOERS_AUDIT_ORIGIN_DESKTOP "koers-desktop"
#define KOERS_AUDIT_ORIGIN_CLI     "koers-cli"

typedef struct {
  gint64           seq;
  char            *id;
  char            *occurred_at; /* ISO-8601 UTC */
  char            *actor;
  KoersAuditAction action;
  char            *object_type; /* "participant", "note", "caseload", ... */
  char            *object_id;   /* nullable */
  char            *purpose;     /* nullable */
  KoersAuditResult result;
  char            *origin;
} KoersAuditEvent;

void koers_audit_event_free (KoersAuditEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersAuditEvent, koers_audit_event_free)

/* Stable identifiers ("open", "search", ...) as stored. */
const char *koers_audit_action_to_id (KoersAuditAction action);

/* Sets the program name stored with @db's events (default "koers-desktop"). */
void        koers_audit_set_origin (KoersDatabase *db, const char *origin);
const char *koers_audit_get_origin (KoersDatabase *db);

/**
 * koers_audit_record:
 * @actor: who did it (the session's user)
 * @object_type: the kind of record ("participant", "caseload" for a search)
 * @object_id: (nullable): the record's id
 * @purpose: (nullable): why, as the user gave it
 *
 * Appends one event to the chain. Runs inside the caller's transaction when there is one, so a
 * write and its event are stored together or not at all.
 */
gboolean    koers_audit_record (KoersDatabase *db, const char *actor, KoersAuditAction action,
                                const char *object_type, const char *object_id,
                                const char *purpose, KoersAuditResult result, GError **error);

/* Recomputes the chain; FALSE with KOERS_DATABASE_ERROR_CORRUPT naming the first event that does
 * not match (changed, inserted or removed before it). */
gboolean    koers_audit_verify_chain (KoersDatabase *db, GError **error);

/* Returns (transfer full) (element-type KoersAuditEvent): the events about one record, oldest
 * first: a participant may ask who looked at their file and why. */
GPtrArray  *koers_audit_list_for_object (KoersDatabase *db, const char *object_type,
                                         const char *object_id, GError **error);

G_END_DECLS

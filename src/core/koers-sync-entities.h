/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one declaration of what syncs: every entity the regional API carries, its fields, their
 * types and limits, and how each merges. The server validates and merges with it; the client
 * sync engine (issue 5) maps working tables with it. A new area (mentoring, vouchers, budget)
 * joins sync by adding rows here, not by new sync code. Wire names are Dutch (docs/api-protocol.md).
 */
#pragma once

#include "core/koers-json-doc.h"

G_BEGIN_DECLS

typedef enum {
  KOERS_SYNC_FIELD_TEXT,     /* string, NFC, single line unless multi_line */
  KOERS_SYNC_FIELD_INT,      /* integer in [min, max] */
  KOERS_SYNC_FIELD_BOOL,
  KOERS_SYNC_FIELD_DATE,     /* "YYYY-MM-DD", a real calendar date */
  KOERS_SYNC_FIELD_ENUM,     /* one of a Koers vocabulary's ids (enum_ids) */
  KOERS_SYNC_FIELD_UUID,     /* lowercase UUID */
  KOERS_SYNC_FIELD_JSON,     /* any JSON value (conflict records' base/server/client) */
} KoersSyncFieldType;

typedef enum {
  KOERS_SYNC_MERGE_FIELD,    /* per-field three-way merge, conflicts on a clash */
  KOERS_SYNC_MERGE_STATE,    /* three-way merge, and the result must be an allowed transition */
  KOERS_SYNC_MERGE_FIXED,    /* set at creation, never changed (parent ids, note text) */
  KOERS_SYNC_MERGE_SERVER,   /* written by the server only (conflict records) */
} KoersSyncMerge;

typedef enum {
  KOERS_SYNC_ENTITY_MERGEABLE,   /* create, change, delete, restore */
  KOERS_SYNC_ENTITY_APPEND_ONLY, /* create only: an edit is a new row (notes, status changes) */
  KOERS_SYNC_ENTITY_SERVER_MADE, /* made by the server; clients only resolve (conflicts) */
} KoersSyncEntityKind;

typedef struct {
  const char          *name;        /* wire name, camelCase Dutch: "naam" */
  const char          *column;      /* local SQLite column: "name" (NULL: not stored locally) */
  KoersSyncFieldType   type;
  KoersSyncMerge       merge;
  gboolean             required;    /* must be present and non-null on create */
  gboolean             multi_line;  /* TEXT: newlines allowed */
  gint64               min;         /* TEXT: min length in characters; INT: min value */
  gint64               max;         /* TEXT: max length in characters; INT: max value */
  const char * const  *enum_ids;    /* ENUM: NULL-terminated ids */
} KoersSyncField;

typedef struct {
  const char            *name;          /* wire/path name: "deelnemers" */
  const char            *table;         /* local SQLite table: "participant" (NULL: none yet) */
  KoersSyncEntityKind    kind;
  const char            *parent_field;  /* "deelnemerId" for children; NULL for participants */
  const KoersSyncField  *fields;
  guint                  n_fields;
} KoersSyncEntity;

/* Names of the entities the protocol knows. */
#define KOERS_SYNC_PARTICIPANTS   "deelnemers"
#define KOERS_SYNC_NOTES          "notities"
#define KOERS_SYNC_ACTIVITIES     "activiteiten"
#define KOERS_SYNC_SKILLS         "vaardigheden"
#define KOERS_SYNC_CONSENTS       "toestemmingen"
#define KOERS_SYNC_STATUS_CHANGES "statuswijzigingen"
#define KOERS_SYNC_CONFLICTS      "conflicten"

/* The field that places a participant in a coach's caseload (the scope of the coach bucket). */
#define KOERS_SYNC_COACH_FIELD  "coachId"
#define KOERS_SYNC_STATUS_FIELD "status"

const KoersSyncEntity *koers_sync_entities (guint *out_n);
/* (nullable): NULL when @name is not an entity. */
const KoersSyncEntity *koers_sync_entity_lookup (const char *name);
/* (nullable): NULL when @entity has no field @name. */
const KoersSyncField  *koers_sync_entity_field (const KoersSyncEntity *entity,
                                                const char            *name);

/* Checks one value against its field (NULL node or JSON null = "no value": allowed unless
 * required). On failure returns FALSE and sets *out_reason to a Dutch sentence for the API
 * (transfer full), e.g. "mag hoogstens 200 tekens zijn". */
gboolean koers_sync_field_check (const KoersSyncField *field,
                                 JsonNode             *value,
                                 char                **out_reason);

/* One wire value as the checks see it, whichever reader read it. */
typedef struct {
  KoersJsonKind kind;     /* KOERS_JSON_NULL also for "no value" */
  const char   *string;   /* KOERS_JSON_STRING */
  gint64        integer;  /* KOERS_JSON_INTEGER */
  gboolean      boolean;  /* KOERS_JSON_BOOLEAN */
} KoersSyncValue;

void     koers_sync_value_from_node   (KoersSyncValue       *out,
                                       JsonNode             *node);
void     koers_sync_value_from_doc    (KoersSyncValue       *out,
                                       KoersJsonDoc         *doc,
                                       KoersJsonRef          value);
gboolean koers_sync_field_check_value (const KoersSyncField *field,
                                       const KoersSyncValue *value,
                                       char                **out_reason);

/* Checks a whole record's fields for a create: every member is a known field, every value
 * passes koers_sync_field_check, every required field is present, and cross-field rules hold
 * (sector only for a proeverij; end date not before start date; withdrawal not before
 * consent). On failure returns FALSE with *out_field (transfer none, the member name or
 * NULL for a record-level rule) and *out_reason (transfer full). */
gboolean koers_sync_record_check (const KoersSyncEntity *entity,
                                  JsonObject            *fields,
                                  const char           **out_field,
                                  char                 **out_reason);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fixture of the mutation engine tests: a fresh database on one back end with two
 * organisations, their users and devices made directly in SQL (auth is not under test here),
 * an engine with a pinned clock, and helpers that build mutations with the next device number.
 * JSON in the tests is written with single quotes; fx_json() turns them into double quotes.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "server/koers-server-engine.h"

G_BEGIN_DECLS

typedef struct {
  KoersServerDbBackend  backend;
  char                 *location;      /* the database file (SQLite) or URI */
  KoersServerDb        *db;
  KoersServerEngine    *engine;
  char                 *org;
  char                 *org_b;
  KoersServerCaller    *coach;         /* coach A, laptop */
  KoersServerCaller    *coach_tablet;  /* coach A, second device */
  KoersServerCaller    *colleague;     /* coach B, same organisation */
  KoersServerCaller    *support;       /* ondersteuner */
  KoersServerCaller    *manager;       /* programmamanager */
  KoersServerCaller    *stranger;      /* a coach of organisation B */
  GHashTable           *numbers;       /* device id -> next device number */
  guint                 tick;
} EngineFixture;

EngineFixture *fx_new  (KoersServerDbBackend backend);
void           fx_free (EngineFixture *fx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EngineFixture, fx_free)

/* (transfer full) @single_quoted with ' replaced by ". */
char       *fx_json (const char *single_quoted);
/* (transfer full) */
JsonNode   *fx_parse (const char *json);
char       *fx_to_string (JsonNode *node);

/* One mutation as JSON text with the device's next number (or @number when > 0).
 * @base < 0: null. @fields_sq: the velden object, single-quoted, or NULL. */
char       *fx_mutation (EngineFixture *fx, const KoersServerCaller *caller, gint64 number,
                         const char *mutation_id, const char *action, const char *entity,
                         const char *record_id, gint64 base, const char *fields_sq);
/* Pushes {"mutaties": [@mutations...]} (NULL-terminated JSON texts). */
JsonNode   *fx_push  (EngineFixture *fx, const KoersServerCaller *caller,
                      const char * const *mutations, gint64 *out_expected, GError **error);
/* Pushes one mutation with the next number and asserts success; returns (transfer full) its
 * result object. */
JsonObject *fx_push1 (EngineFixture *fx, const KoersServerCaller *caller, const char *action,
                      const char *entity, const char *record_id, gint64 base,
                      const char *fields_sq);
/* Creates a participant in @coach_id's caseload through @caller; returns its id. */
char       *fx_participant (EngineFixture *fx, const KoersServerCaller *caller,
                            const char *coach_id, const char *name);
/* (transfer full) (nullable) the record on the wire, NULL when NOT_FOUND. */
JsonObject *fx_get (EngineFixture *fx, const KoersServerCaller *caller, const char *entity,
                    const char *id);
/* TRUE when @caller may read the record (get answers it). */
gboolean    fx_visible (EngineFixture *fx, const KoersServerCaller *caller, const char *entity,
                        const char *id);
/* Pulls from @cursor to the end; returns (transfer full) all items; *out_cursor (nullable)
 * the last volgendeCursor. */
JsonArray  *fx_pull_all (EngineFixture *fx, const KoersServerCaller *caller,
                         const char *cursor, guint limit, char **out_cursor);
/* (transfer none) (nullable) the item of @id in @items (the last one). */
JsonObject *fx_find (JsonArray *items, const char *id);

gint64      fx_sequence (EngineFixture *fx, const char *org);
/* One integer from @sql with $1 = @org, run inside a read transaction of @org. */
gint64      fx_count (EngineFixture *fx, const char *org, const char *sql);
/* Asserts the organisation's versions are exactly 1..sequence, each in history once. */
void        fx_assert_gap_free (EngineFixture *fx, const char *org);
/* A text dump of the organisation's records (id, version, flags, fields), to compare states. */
char       *fx_dump (EngineFixture *fx, const char *org);

const char *fx_string (JsonObject *object, const char *member);

G_END_DECLS

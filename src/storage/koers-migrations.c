/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-migrations.h"

#include "core/koers-enums.h"
#include "storage/koers-database-private.h"
#include "storage/koers-migrations-private.h"
#include "storage/koers-search-backlog.h"
#include "sync/koers-sync-schema.h"

#include <string.h>

/*
 * Columns every synced table carries (ARCHITECTURE.md, "Data model"): a client-made UUID, the
 * tenant, the server's sequence (0 = never synced), who made and changed the row, a tombstone
 * instead of DELETE so the deletion can reach the server, and the server's fields this version
 * does not know yet, kept verbatim as JSON so a sync round trip loses nothing.
 */
#define SYNC_COLUMNS \
  "  version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),\n" \
  "  created_at TEXT NOT NULL,\n" \
  "  created_by TEXT NOT NULL,\n" \
  "  updated_at TEXT NOT NULL,\n" \
  "  updated_by TEXT NOT NULL,\n" \
  "  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),\n" \
  "  extra TEXT CHECK (extra IS NULL OR json_valid(extra)),\n"

#define DATE_CHECK(column) \
  "CHECK (" column " IS NULL OR (length(" column ") = 10 AND date(" column ") = " column "))"

/* v1: who works (organisations, coaches) and for whom (participants and their status history).
 * Participants keep an INTEGER PRIMARY KEY besides the UUID: VACUUM (and so every backup) may
 * renumber implicit rowids, and the caseload list and the search index address rows by rowid. */
static const char migration_1[] =
  "CREATE TABLE organisation (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  organisation_id TEXT,\n"
  SYNC_COLUMNS
  "  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200)\n"
  ");\n"
  "CREATE TABLE coach (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  organisation_id TEXT REFERENCES organisation (id),\n"
  SYNC_COLUMNS
  "  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),\n"
  "  email TEXT CHECK (email IS NULL OR length(email) <= 200)\n"
  ");\n"
  "CREATE INDEX coach_organisation ON coach (organisation_id);\n"
  "CREATE TABLE participant (\n"
  "  seq INTEGER PRIMARY KEY,\n"
  "  id TEXT NOT NULL UNIQUE,\n"
  "  organisation_id TEXT REFERENCES organisation (id),\n"
  SYNC_COLUMNS
  "  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),\n"
  "  preferred_name TEXT CHECK (preferred_name IS NULL OR length(preferred_name) <= 200),\n"
  "  birth_year INTEGER NOT NULL DEFAULT 0\n"
  "    CHECK (birth_year = 0 OR birth_year BETWEEN 1900 AND 2200),\n"
  "  municipality TEXT NOT NULL CHECK (municipality IN (@MUNICIPALITY@)),\n"
  "  phone TEXT CHECK (phone IS NULL OR length(phone) <= 200),\n"
  "  email TEXT CHECK (email IS NULL OR length(email) <= 200),\n"
  "  languages TEXT CHECK (languages IS NULL OR length(languages) <= 200),\n"
  "  preferred_language TEXT\n"
  "    CHECK (preferred_language IS NULL OR length(preferred_language) <= 200),\n"
  "  dutch_level TEXT NOT NULL CHECK (dutch_level IN (@CEFR@)),\n"
  "  digital_skills_need INTEGER NOT NULL DEFAULT 0 CHECK (digital_skills_need IN (0, 1)),\n"
  "  basic_skills_need INTEGER NOT NULL DEFAULT 0 CHECK (basic_skills_need IN (0, 1)),\n"
  "  target_group TEXT NOT NULL CHECK (target_group IN (@TARGET_GROUP@)),\n"
  "  civic_integration_duty INTEGER NOT NULL DEFAULT 0\n"
  "    CHECK (civic_integration_duty IN (0, 1)),\n"
  "  interests TEXT CHECK (interests IS NULL OR length(interests) <= 10000),\n"
  "  ambitions TEXT CHECK (ambitions IS NULL OR length(ambitions) <= 10000),\n"
  "  coach_id TEXT REFERENCES coach (id),\n"
  "  project_line INTEGER NOT NULL DEFAULT 0 CHECK (project_line BETWEEN 0 AND 7),\n"
  "  status TEXT NOT NULL CHECK (status IN (@STATUS@)),\n"
  "  registered_on TEXT " DATE_CHECK ("registered_on") ",\n"
  "  next_action TEXT CHECK (next_action IS NULL OR length(next_action) <= 200),\n"
  "  next_action_date TEXT " DATE_CHECK ("next_action_date") ",\n"
  "  outcome TEXT NOT NULL CHECK (outcome IN (@OUTCOME@)),\n"
  "  outcome_date TEXT " DATE_CHECK ("outcome_date") ",\n"
  /* Workflow and plan order for sorting, indexable although the stored value is an id. */
  "  status_rank INTEGER GENERATED ALWAYS AS (@STATUS_RANK@) VIRTUAL,\n"
  "  target_group_rank INTEGER GENERATED ALWAYS AS (@TARGET_GROUP_RANK@) VIRTUAL\n"
  ");\n"
  "CREATE INDEX participant_status ON participant (deleted, status_rank);\n"
  "CREATE INDEX participant_target_group ON participant (deleted, target_group_rank);\n"
  "CREATE INDEX participant_municipality ON participant (deleted, municipality);\n"
  "CREATE INDEX participant_coach ON participant (coach_id);\n"
  "CREATE INDEX participant_project_line ON participant (deleted, project_line);\n"
  "CREATE INDEX participant_next_action ON participant (deleted, next_action_date);\n"
  "CREATE INDEX participant_organisation ON participant (organisation_id);\n"
  "CREATE TABLE participant_status_change (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  organisation_id TEXT REFERENCES organisation (id),\n"
  SYNC_COLUMNS
  "  participant_id TEXT NOT NULL REFERENCES participant (id),\n"
  "  from_status TEXT CHECK (from_status IS NULL OR from_status IN (@STATUS@)),\n"
  "  to_status TEXT NOT NULL CHECK (to_status IN (@STATUS@)),\n"
  "  changed_on TEXT NOT NULL " DATE_CHECK ("changed_on") ",\n"
  "  changed_at TEXT NOT NULL,\n"
  "  changed_by TEXT NOT NULL\n"
  ");\n"
  /* One index serves both the history of a participant and the KPI facts (first "active",
   * last ending): an index on to_status alone tempts the planner into scanning every
   * participant's rows per participant, which took minutes at 10,000 participants. */
  "CREATE INDEX participant_status_change_participant\n"
  "  ON participant_status_change (participant_id, to_status, changed_on);\n";

/* v2: what happens in a trajectory. Notes are append-only (an edit is a new revision, so what
 * a coach once wrote about a person can always be shown to that person). */
static const char migration_2[] =
  "CREATE TABLE note (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  organisation_id TEXT REFERENCES organisation (id),\n"
  SYNC_COLUMNS
  "  participant_id TEXT NOT NULL REFERENCES participant (id),\n"
  "  kind TEXT NOT NULL CHECK (kind IN (@NOTE_KIND@)),\n"
  "  occurred_on TEXT NOT NULL " DATE_CHECK ("occurred_on") ",\n"
  "  body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),\n"
  "  revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),\n"
  "  revision_of TEXT REFERENCES note (id),\n"
  "  CHECK ((revision = 1) = (revision_of IS NULL))\n"
  ");\n"
  "CREATE INDEX note_participant ON note (participant_id, occurred_on);\n"
  "CREATE UNIQUE INDEX note_thread ON note (coalesce(revision_of, id), revision);\n"
  "CREATE TRIGGER note_no_delete BEFORE DELETE ON note\n"
  "BEGIN SELECT RAISE (ABORT, 'notes are append-only: they cannot be deleted'); END;\n"
  "CREATE TRIGGER note_no_update\n"
  "  BEFORE UPDATE OF id, participant_id, kind, occurred_on, body, revision, revision_of,\n"
  "                   created_at, created_by ON note\n"
  "BEGIN SELECT RAISE (ABORT, 'notes are append-only: an edit adds a revision'); END;\n"
  "CREATE TABLE activity (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  organisation_id TEXT REFERENCES organisation (id),\n"
  SYNC_COLUMNS
  "  participant_id TEXT NOT NULL REFERENCES participant (id),\n"
  "  kind TEXT NOT NULL CHECK (kind IN (@ACTIVITY_KIND@)),\n"
  "  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),\n"
  "  sector TEXT CHECK (sector IS NULL OR (sector IN (@SECTOR@) AND kind = @PROEVERIJ@)),\n"
  "  provider TEXT CHECK (provider IS NULL OR length(provider) <= 200),\n"
  "  employer TEXT CHECK (employer IS NULL OR length(employer) <= 200),\n"
  "  nlqf_level INTEGER NOT NULL DEFAULT 0 CHECK (nlqf_level BETWEEN 0 AND 8),\n"
  "  started_on TEXT " DATE_CHECK ("started_on") ",\n"
  "  ended_on TEXT " DATE_CHECK ("ended_on") ",\n"
  "  CHECK (nlqf_level = 0 OR kind IN (@CREDENTIAL_KIND@)),\n"
  "  CHECK (ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on)\n"
  ");\n"
  "CREATE INDEX activity_participant ON activity (participant_id, started_on);\n"
  /* The KPI's first proeverij per participant; see participant_status_change_participant. */
  "CREATE INDEX activity_participant_kind ON activity (participant_id, kind, started_on);\n"
  "CREATE TABLE skill (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  organisation_id TEXT REFERENCES organisation (id),\n"
  SYNC_COLUMNS
  "  participant_id TEXT NOT NULL REFERENCES participant (id),\n"
  "  label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),\n"
  "  competentnl_code TEXT CHECK (competentnl_code IS NULL OR length(competentnl_code) <= 200),\n"
  "  isco_code TEXT CHECK (isco_code IS NULL\n"
  "                        OR (length(isco_code) = 4 AND isco_code NOT GLOB '*[^0-9]*')),\n"
  "  nlqf_level INTEGER NOT NULL DEFAULT 0 CHECK (nlqf_level BETWEEN 0 AND 8),\n"
  "  evidence TEXT CHECK (evidence IS NULL OR length(evidence) <= 10000),\n"
  "  validated_by TEXT CHECK (validated_by IS NULL OR length(validated_by) <= 200)\n"
  ");\n"
  "CREATE INDEX skill_participant ON skill (participant_id);\n"
  "CREATE TABLE consent (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  organisation_id TEXT REFERENCES organisation (id),\n"
  SYNC_COLUMNS
  "  participant_id TEXT NOT NULL REFERENCES participant (id),\n"
  "  scope TEXT NOT NULL CHECK (scope IN (@CONSENT_SCOPE@)),\n"
  "  given_on TEXT NOT NULL " DATE_CHECK ("given_on") ",\n"
  "  withdrawn_on TEXT " DATE_CHECK ("withdrawn_on") ",\n"
  "  CHECK (withdrawn_on IS NULL OR withdrawn_on >= given_on)\n"
  ");\n"
  "CREATE INDEX consent_participant ON consent (participant_id, scope, given_on);\n";

/* v3: the audit trail (hash-chained, append-only) and the folded search keys with a trigram
 * index, so "Ozdemir" finds "Özdemir" and a part of a name finds the person among 100,000. */
static const char migration_3[] =
  "CREATE TABLE audit_event (\n"
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,\n"
  "  id TEXT NOT NULL UNIQUE,\n"
  "  occurred_at TEXT NOT NULL,\n"
  "  actor TEXT NOT NULL,\n"
  "  action TEXT NOT NULL\n"
  "    CHECK (action IN ('open', 'search', 'create', 'change', 'delete', 'restore', 'export')),\n"
  "  object_type TEXT NOT NULL,\n"
  "  object_id TEXT,\n"
  "  purpose TEXT,\n"
  "  result TEXT NOT NULL CHECK (result IN ('success', 'failure')),\n"
  "  origin TEXT NOT NULL,\n"
  "  prev_hash TEXT NOT NULL,\n"
  "  hash TEXT NOT NULL UNIQUE,\n"
  "  uploaded INTEGER NOT NULL DEFAULT 0 CHECK (uploaded IN (0, 1))\n"
  ");\n"
  "CREATE INDEX audit_event_object ON audit_event (object_type, object_id, seq);\n"
  "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event\n"
  "BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;\n"
  "CREATE TRIGGER audit_event_no_update\n"
  "  BEFORE UPDATE OF seq, id, occurred_at, actor, action, object_type, object_id, purpose,\n"
  "                   result, origin, prev_hash, hash ON audit_event\n"
  "BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;\n"
  "ALTER TABLE participant ADD COLUMN name_key TEXT NOT NULL DEFAULT '';\n"
  "ALTER TABLE participant ADD COLUMN search_key TEXT NOT NULL DEFAULT '';\n"
  "UPDATE participant SET\n"
  "  name_key = koers_fold(name),\n"
  "  search_key = koers_fold(name) || char(10) || koers_fold(coalesce(preferred_name, ''));\n"
  "CREATE INDEX participant_name ON participant (deleted, name_key);\n"
  "CREATE INDEX participant_duplicate ON participant (name_key, birth_year, municipality);\n"
  "CREATE VIRTUAL TABLE participant_search USING fts5 (\n"
  "  search_key, content = 'participant', content_rowid = 'seq', tokenize = 'trigram');\n"
  "INSERT INTO participant_search (participant_search) VALUES ('rebuild');\n"
  "CREATE TRIGGER participant_search_insert AFTER INSERT ON participant\n"
  "BEGIN\n"
  "  INSERT INTO participant_search (rowid, search_key) VALUES (new.seq, new.search_key);\n"
  "END;\n"
  "CREATE TRIGGER participant_search_update AFTER UPDATE OF search_key ON participant\n"
  "BEGIN\n"
  "  INSERT INTO participant_search (participant_search, rowid, search_key)\n"
  "    VALUES ('delete', old.seq, old.search_key);\n"
  "  INSERT INTO participant_search (rowid, search_key) VALUES (new.seq, new.search_key);\n"
  "END;\n"
  "CREATE TRIGGER participant_search_delete AFTER DELETE ON participant\n"
  "BEGIN\n"
  "  INSERT INTO participant_search (participant_search, rowid, search_key)\n"
  "    VALUES ('delete', old.seq, old.search_key);\n"
  "END;\n";

/* v4: search-as-you-type for one or two letters. The trigram index needs three; a LIKE scan
 * for shorter queries took 15-20 ms at 10,000 participants (more than a frame) and grows with
 * the caseload. One or two letters now match the start of any word of the name ("j" finds
 * Jansen and Daan Jansen, "oz" finds Özdemir), through an FTS5 word index with prefix
 * indexes for exactly those lengths. */
static const char migration_4[] =
  "CREATE VIRTUAL TABLE participant_words USING fts5 (\n"
  "  search_key, content = 'participant', content_rowid = 'seq',\n"
  "  tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2');\n"
  "INSERT INTO participant_words (participant_words) VALUES ('rebuild');\n"
  "CREATE TRIGGER participant_words_insert AFTER INSERT ON participant\n"
  "BEGIN\n"
  "  INSERT INTO participant_words (rowid, search_key) VALUES (new.seq, new.search_key);\n"
  "END;\n"
  "CREATE TRIGGER participant_words_update AFTER UPDATE OF search_key ON participant\n"
  "BEGIN\n"
  "  INSERT INTO participant_words (participant_words, rowid, search_key)\n"
  "    VALUES ('delete', old.seq, old.search_key);\n"
  "  INSERT INTO participant_words (rowid, search_key) VALUES (new.seq, new.search_key);\n"
  "END;\n"
  "CREATE TRIGGER participant_words_delete AFTER DELETE ON participant\n"
  "BEGIN\n"
  "  INSERT INTO participant_words (participant_words, rowid, search_key)\n"
  "    VALUES ('delete', old.seq, old.search_key);\n"
  "END;\n";

/* v5: the import identity of every imported CSV row (koers-import.h), so importing the same
 * file twice changes nothing the second time. Local bookkeeping, not synced: it records what
 * this database already took in. */
static const char migration_5[] =
  "CREATE TABLE import_row (\n"
  "  key TEXT PRIMARY KEY NOT NULL CHECK (length(key) = 64),\n"
  "  participant_id TEXT NOT NULL REFERENCES participant (id),\n"
  "  imported_at TEXT NOT NULL\n"
  ");\n"
  "CREATE INDEX import_row_participant ON import_row (participant_id);\n";

/* v6: the same tables with the same guarantees, checked faster. SQLite 3.40 evaluates a
 * `CHECK (x IN ('a', 'b', 'c', ...))` of more than two values by building an ephemeral index of
 * the list on every execution of the statement: about 3 µs per list per inserted row, some 16 µs
 * of the ~38 µs a participant row cost, and the import inserts 100,000 of them in one go. The
 * same test written as `(x = 'a' OR x = 'b' OR ...)` refuses and accepts exactly the same
 * values (a NULL passes both, as before) at a few comparisons' cost. SQLite cannot change a
 * CHECK in place, so each table is rebuilt (rebuild_table()), keeping its rows, rowids, indexes
 * and triggers. The audit trail keeps its lists: it is written once per import, and its
 * hash-chained rows are not copied for a few microseconds. */
static const char participant_v6[] =
  "CREATE TABLE participant_v6 (\n"
  "  seq INTEGER PRIMARY KEY,\n"
  "  id TEXT NOT NULL UNIQUE,\n"
  "  organisation_id TEXT REFERENCES organisation (id),\n"
  SYNC_COLUMNS
  "  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),\n"
  "  preferred_name TEXT CHECK (preferred_name IS NULL OR length(preferred_name) <= 200),\n"
  "  birth_year INTEGER NOT NULL DEFAULT 0\n"
  "    CHECK (birth_year = 0 OR birth_year BETWEEN 1900 AND 2200),\n"
  "  municipality TEXT NOT NULL CHECK @MUNICIPALITY:municipality@,\n"
  "  phone TEXT CHECK (phone IS NULL OR length(phone) <= 200),\n"
  "  email TEXT CHECK (email IS NULL OR length(email) <= 200),\n"
  "  languages TEXT CHECK (languages IS NULL OR length(languages) <= 200),\n"
  "  preferred_language TEXT\n"
  "    CHECK (preferred_language IS NULL OR length(preferred_language) <= 200),\n"
  "  dutch_level TEXT NOT NULL CHECK @CEFR:dutch_level@,\n"
  "  digital_skills_need INTEGER NOT NULL DEFAULT 0 CHECK (digital_skills_need IN (0, 1)),\n"
  "  basic_skills_need INTEGER NOT NULL DEFAULT 0 CHECK (basic_skills_need IN (0, 1)),\n"
  "  target_group TEXT NOT NULL CHECK @TARGET_GROUP:target_group@,\n"
  "  civic_integration_duty INTEGER NOT NULL DEFAULT 0\n"
  "    CHECK (civic_integration_duty IN (0, 1)),\n"
  "  interests TEXT CHECK (interests IS NULL OR length(interests) <= 10000),\n"
  "  ambitions TEXT CHECK (ambitions IS NULL OR length(ambitions) <= 10000),\n"
  "  coach_id TEXT REFERENCES coach (id),\n"
  "  project_line INTEGER NOT NULL DEFAULT 0 CHECK (project_line BETWEEN 0 AND 7),\n"
  "  status TEXT NOT NULL CHECK @STATUS:status@,\n"
  "  registered_on TEXT " DATE_CHECK ("registered_on") ",\n"
  "  next_action TEXT CHECK (next_action IS NULL OR length(next_action) <= 200),\n"
  "  next_action_date TEXT " DATE_CHECK ("next_action_date") ",\n"
  "  outcome TEXT NOT NULL CHECK @OUTCOME:outcome@,\n"
  "  outcome_date TEXT " DATE_CHECK ("outcome_date") ",\n"
  "  status_rank INTEGER GENERATED ALWAYS AS (@STATUS_RANK@) VIRTUAL,\n"
  "  target_group_rank INTEGER GENERATED ALWAYS AS (@TARGET_GROUP_RANK@) VIRTUAL,\n"
  "  name_key TEXT NOT NULL DEFAULT '',\n"
  "  search_key TEXT NOT NULL DEFAULT ''\n"
  ")";

static const char participant_status_change_v6[] =
  "CREATE TABLE participant_status_change_v6 (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  organisation_id TEXT REFERENCES organisation (id),\n"
  SYNC_COLUMNS
  "  participant_id TEXT NOT NULL REFERENCES participant (id),\n"
  "  from_status TEXT CHECK (from_status IS NULL OR @STATUS:from_status@),\n"
  "  to_status TEXT NOT NULL CHECK @STATUS:to_status@,\n"
  "  changed_on TEXT NOT NULL " DATE_CHECK ("changed_on") ",\n"
  "  changed_at TEXT NOT NULL,\n"
  "  changed_by TEXT NOT NULL\n"
  ")";

static const char note_v6[] =
  "CREATE TABLE note_v6 (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  organisation_id TEXT REFERENCES organisation (id),\n"
  SYNC_COLUMNS
  "  participant_id TEXT NOT NULL REFERENCES participant (id),\n"
  "  kind TEXT NOT NULL CHECK @NOTE_KIND:kind@,\n"
  "  occurred_on TEXT NOT NULL " DATE_CHECK ("occurred_on") ",\n"
  "  body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),\n"
  "  revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),\n"
  "  revision_of TEXT REFERENCES note (id),\n"
  "  CHECK ((revision = 1) = (revision_of IS NULL))\n"
  ")";

static const char activity_v6[] =
  "CREATE TABLE activity_v6 (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  organisation_id TEXT REFERENCES organisation (id),\n"
  SYNC_COLUMNS
  "  participant_id TEXT NOT NULL REFERENCES participant (id),\n"
  "  kind TEXT NOT NULL CHECK @ACTIVITY_KIND:kind@,\n"
  "  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),\n"
  "  sector TEXT CHECK (sector IS NULL OR (@SECTOR:sector@ AND kind = @PROEVERIJ@)),\n"
  "  provider TEXT CHECK (provider IS NULL OR length(provider) <= 200),\n"
  "  employer TEXT CHECK (employer IS NULL OR length(employer) <= 200),\n"
  "  nlqf_level INTEGER NOT NULL DEFAULT 0 CHECK (nlqf_level BETWEEN 0 AND 8),\n"
  "  started_on TEXT " DATE_CHECK ("started_on") ",\n"
  "  ended_on TEXT " DATE_CHECK ("ended_on") ",\n"
  "  CHECK (nlqf_level = 0 OR @CREDENTIAL_KIND:kind@),\n"
  "  CHECK (ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on)\n"
  ")";

static const char consent_v6[] =
  "CREATE TABLE consent_v6 (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  organisation_id TEXT REFERENCES organisation (id),\n"
  SYNC_COLUMNS
  "  participant_id TEXT NOT NULL REFERENCES participant (id),\n"
  "  scope TEXT NOT NULL CHECK @CONSENT_SCOPE:scope@,\n"
  "  given_on TEXT NOT NULL " DATE_CHECK ("given_on") ",\n"
  "  withdrawn_on TEXT " DATE_CHECK ("withdrawn_on") ",\n"
  "  CHECK (withdrawn_on IS NULL OR withdrawn_on >= given_on)\n"
  ")";

static const struct {
  const char *table;
  const char *create;  /* creates "<table>_v6" */
} tables_v6[] = {
  { "participant", participant_v6 },
  { "participant_status_change", participant_status_change_v6 },
  { "note", note_v6 },
  { "activity", activity_v6 },
  { "consent", consent_v6 },
};

static gboolean migrate_6 (KoersDatabase *db, GError **error);

/* v7: the offline-sync tables (shadow, outbox, quarantine, state) and the change-capture
 * triggers, generated from the entity declaration in src/core/koers-sync-entities.c. The
 * triggers are what they are at this version: a later change to the declaration adds a step
 * that calls koers_sync_schema_install() again (it regenerates them and keeps the rows). */
static gboolean
migrate_7 (KoersDatabase  *db,
           GError        **error)
{
  return koers_sync_schema_install (db, error);
}

/* v8: sync_repull_known, the ids a full re-pull after a server restore expects back (the
 * laptop re-sends what the restored server lost). Installing again adds it and regenerates
 * the triggers; every statement of the install is idempotent and keeps the rows. */
static gboolean
migrate_8 (KoersDatabase  *db,
           GError        **error)
{
  return koers_sync_schema_install (db, error);
}

/* v9: sync_shadow keeps its records in arrival order with a unique (entity, id) index, instead
 * of in (entity, id) order; see koers-sync-schema.c. */
static gboolean
migrate_9 (KoersDatabase  *db,
           GError        **error)
{
  return koers_sync_schema_upgrade_shadow (db, error);
}

/* v10: sync_repull_shadow, the shadow rows a 410 keeps so that values a restored server lost
 * go back up (koers-sync-recover.c). Installing again adds it; idempotent as in v8. */
static gboolean
migrate_10 (KoersDatabase  *db,
            GError        **error)
{
  return koers_sync_schema_install (db, error);
}

/* v11: participants may wait for their search index entries (koers-search-backlog.h); the
 * search triggers that remove entries only act on rows that have them. */
static gboolean
migrate_11 (KoersDatabase  *db,
            GError        **error)
{
  return koers_search_backlog_migrate (db, error);
}

/* v12: sync_quarantine keeps a refusal's code and field (koers-sync-refusal.h); installing
 * again adds the two columns, idempotent as in v8. */
static gboolean
migrate_12 (KoersDatabase  *db,
            GError        **error)
{
  return koers_sync_schema_install (db, error);
}

/* v13: the caseload's sort columns indexed with the name after them, the list's own tie
 * order. Sorting 100,000 participants by municipality, target group, status or next action
 * read each group from the index and then sorted it by name through the table (0.2-0.4 s a
 * click, and up to 50 ms for a remembered sort's first screenful before the window shows);
 * with the name in the index the ordered list is read from the index alone (10-60 ms). The
 * four indexes cost an import about 0.1 s more to build per 100,000 rows
 * (docs/performance.md).
 *
 * "IF EXISTS": a first sync cut short leaves the plain indexes dropped, their statements kept
 * in sync_state until a later pull ends (koers-sync-apply.c, defer_indexes()). Such a
 * database gets the new index now; the old statement waiting for it is then skipped, as the
 * pull's end creates "IF NOT EXISTS" (koers_table_indexes_create()). Migration 14 likewise,
 * and so must any later step that changes a participant index: the deferred list still holds
 * the old statement, made only for a name that does not exist by then. */
static const char migration_13[] =
  "DROP INDEX IF EXISTS participant_status;\n"
  "CREATE INDEX participant_status ON participant (deleted, status_rank, name_key);\n"
  "DROP INDEX IF EXISTS participant_target_group;\n"
  "CREATE INDEX participant_target_group ON participant (deleted, target_group_rank, name_key);\n"
  "DROP INDEX IF EXISTS participant_municipality;\n"
  "CREATE INDEX participant_municipality ON participant (deleted, municipality, name_key);\n"
  "DROP INDEX IF EXISTS participant_next_action;\n"
  "CREATE INDEX participant_next_action ON participant (deleted, next_action_date, name_key);\n";

/* v14: the two other filters of the caseload likewise: one coach's caseload or one project
 * line, in name order, read from one index (at 100,000 participants 0.14 s each through the
 * name index, testing every row, before). participant_coach keeps coach_id first, so it still
 * serves the foreign-key look-ups it was made for. */
static const char migration_14[] =
  "DROP INDEX IF EXISTS participant_coach;\n"
  "CREATE INDEX participant_coach ON participant (coach_id, deleted, name_key);\n"
  "DROP INDEX IF EXISTS participant_project_line;\n"
  "CREATE INDEX participant_project_line ON participant (deleted, project_line, name_key);\n";

static const KoersMigrationStep builtin_steps[] = {
  { 1, migration_1, NULL, FALSE },
  { 2, migration_2, NULL, FALSE },
  { 3, migration_3, NULL, FALSE },
  { 4, migration_4, NULL, FALSE },
  { 5, migration_5, NULL, FALSE },
  { 6, "", migrate_6, TRUE },
  { 7, "", migrate_7, FALSE },
  { 8, "", migrate_8, FALSE },
  { 9, "", migrate_9, FALSE },
  { 10, "", migrate_10, FALSE },
  { 11, "", migrate_11, FALSE },
  { 12, "", migrate_12, FALSE },
  { 13, migration_13, NULL, FALSE },
  { 14, migration_14, NULL, FALSE },
};

int
koers_migrations_latest_version (void)
{
  return builtin_steps[G_N_ELEMENTS (builtin_steps) - 1].version;
}

const KoersMigrationStep *
koers_migrations_get_steps (guint *out_n)
{
  g_return_val_if_fail (out_n != NULL, NULL);

  *out_n = G_N_ELEMENTS (builtin_steps);
  return builtin_steps;
}

/* Rebuilds @table from @create (which makes "<table>_v6"), SQLite's twelve steps: the rows
 * are copied with their rowids (the search indexes address participants by seq), the table is
 * replaced, and its indexes and triggers are recreated from their stored text. Runs with
 * foreign keys off (see KoersMigrationStep.rebuilds_tables). */
static gboolean
rebuild_table (KoersDatabase *db, const char *table, const char *create, GError **error)
{
  g_autoptr(GPtrArray) schema = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) columns = g_string_new (NULL);
  g_autofree char *sql = koers_migrations_expand_placeholders (create);
  g_autofree char *copy = NULL;
  g_autofree char *drop = NULL;
  g_autofree char *rename = NULL;
  sqlite3 *handle = koers_database_get_handle (db);
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* The columns as stored (generated ones are computed, not copied). */
  rc = sqlite3_prepare_v2 (handle, "SELECT name FROM pragma_table_xinfo (?1) WHERE hidden = 0 "
                                   "ORDER BY cid", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          char *quoted = sqlite3_mprintf ("%w", (const char *) sqlite3_column_text (stmt, 0));

          g_string_append_printf (columns, "%s\"%s\"", columns->len > 0 ? ", " : "", quoted);
          sqlite3_free (quoted);
        }
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    {
      koers_database_set_error (db, rc, error, table);
      return FALSE;
    }
  rc = sqlite3_prepare_v2 (handle, "SELECT sql FROM sqlite_schema WHERE tbl_name = ?1 "
                                   "AND type IN ('index', 'trigger') AND sql IS NOT NULL "
                                   "ORDER BY type, name", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (schema, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_database_set_error (db, rc, error, table);
      return FALSE;
    }

  copy = g_strdup_printf ("INSERT INTO %s_v6 (%s) SELECT %s FROM %s", table, columns->str,
                          columns->str, table);
  drop = g_strdup_printf ("DROP TABLE %s", table);
  rename = g_strdup_printf ("ALTER TABLE %s_v6 RENAME TO %s", table, table);
  if (!koers_database_exec (db, sql, error) || !koers_database_exec (db, copy, error)
      || !koers_database_exec (db, drop, error) || !koers_database_exec (db, rename, error))
    return FALSE;
  for (guint i = 0; i < schema->len; i++)
    if (!koers_database_exec (db, g_ptr_array_index (schema, i), error))
      return FALSE;
  return TRUE;
}

static gboolean
migrate_6 (KoersDatabase *db, GError **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (tables_v6); i++)
    if (!rebuild_table (db, tables_v6[i].table, tables_v6[i].create, error))
      return FALSE;
  return TRUE;
}

/* Fails when any row refers to a row that is not there. */
static gboolean
check_foreign_keys (KoersDatabase *db, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (koers_database_get_handle (db), "PRAGMA foreign_key_check", -1,
                               &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CONSTRAINT,
                 "a row of %s refers to a missing row of %s",
                 (const char *) sqlite3_column_text (stmt, 0),
                 (const char *) sqlite3_column_text (stmt, 2));
  else if (rc != SQLITE_DONE)
    koers_database_set_error (db, rc, error, "foreign_key_check");
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static gboolean
run_step (KoersDatabase *db, const KoersMigrationStep *step, int from_version, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sql = koers_migrations_expand_placeholders (step->sql);
  g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %d", step->version);
  gboolean ok;

  /* Outside the transaction: SQLite ignores this pragma inside one. */
  if (step->rebuilds_tables && !koers_database_exec (db, "PRAGMA foreign_keys = OFF",
                                                     &local_error))
    goto failed;
  ok = koers_database_begin (db, &local_error);
  if (ok && (!koers_database_exec (db, sql, &local_error)
             || (step->func != NULL && !step->func (db, &local_error))
             || (step->rebuilds_tables && !check_foreign_keys (db, &local_error))
             || !koers_database_exec (db, pragma, &local_error)))
    {
      koers_database_rollback (db);
      ok = FALSE;
    }
  if (ok)
    ok = koers_database_commit (db, &local_error);
  if (step->rebuilds_tables)
    koers_database_exec (db, "PRAGMA foreign_keys = ON", ok ? &local_error : NULL);
  if (ok && local_error == NULL)
    return TRUE;

failed:
  g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_MIGRATION,
               _("Could not upgrade the database %s to schema %d (it stays at schema %d): %s"),
               koers_database_get_path (db), step->version, from_version,
               local_error != NULL ? local_error->message : "?");
  return FALSE;
}

gboolean
koers_migrations_apply (KoersDatabase *db, const KoersMigrationStep *steps, guint n_steps,
                        int target, GError **error)
{
  int current;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (steps != NULL || n_steps == 0, FALSE);

  current = koers_database_get_user_version (db);
  if (current < 0)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_MIGRATION,
                   _("Could not read the schema version of %s"), koers_database_get_path (db));
      return FALSE;
    }

  for (guint i = 0; i < n_steps; i++)
    {
      if (steps[i].version <= current || steps[i].version > target)
        continue;
      if (!run_step (db, &steps[i], current, error))
        return FALSE;
      current = steps[i].version;
    }
  return TRUE;
}

gboolean
koers_migrations_run_to (KoersDatabase *db, int target, GError **error)
{
  return koers_migrations_apply (db, builtin_steps, G_N_ELEMENTS (builtin_steps), target, error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-migrations.h"

#include "core/koers-enums.h"

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

static const KoersMigrationStep builtin_steps[] = {
  { 1, migration_1, NULL },
  { 2, migration_2, NULL },
  { 3, migration_3, NULL },
  { 4, migration_4, NULL },
  { 5, migration_5, NULL },
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

static void
append_id (GString *list, guint i, const char *id)
{
  char *quoted = sqlite3_mprintf ("%Q", id);

  g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", quoted);
  sqlite3_free (quoted);
}

static void
append_rank (GString *list, const char *column, guint i, guint n, const char *id)
{
  char *quoted = sqlite3_mprintf ("%Q", id);

  if (i == 0)
    g_string_append_printf (list, "CASE %s", column);
  g_string_append_printf (list, " WHEN %s THEN %u", quoted, i);
  if (i + 1 == n)
    g_string_append (list, " END");
  sqlite3_free (quoted);
}

static void
replace (GString *sql, const char *placeholder, GString *value)
{
  g_string_replace (sql, placeholder, value->str, 0);
  g_string_free (value, TRUE);
}

/* The CHECK lists come from the vocabularies so the identifiers are spelled in one place
 * (koers-enums.c); a vocabulary only ever grows, so a re-run of an old step stays valid. */
static char *
expand_placeholders (const char *template)
{
  GString *sql = g_string_new (template);
  GString *list;
  guint i;

#define ID_LIST(placeholder, to_id, n) \
  list = g_string_new (NULL); \
  for (i = 0; i < (n); i++) \
    append_id (list, i, to_id (i)); \
  replace (sql, placeholder, list)

  ID_LIST ("@STATUS@", koers_status_to_id, KOERS_N_STATUSES);
  ID_LIST ("@TARGET_GROUP@", koers_target_group_to_id, KOERS_N_TARGET_GROUPS);
  ID_LIST ("@MUNICIPALITY@", koers_municipality_to_id, KOERS_N_MUNICIPALITIES);
  ID_LIST ("@OUTCOME@", koers_outcome_to_id, KOERS_N_OUTCOMES);
  ID_LIST ("@ACTIVITY_KIND@", koers_activity_kind_to_id, KOERS_N_ACTIVITY_KINDS);
  ID_LIST ("@SECTOR@", koers_sector_to_id, KOERS_N_SECTORS);
  ID_LIST ("@CEFR@", koers_cefr_level_to_id, KOERS_N_CEFR_LEVELS);
  ID_LIST ("@CONSENT_SCOPE@", koers_consent_scope_to_id, KOERS_N_CONSENT_SCOPES);
  ID_LIST ("@NOTE_KIND@", koers_note_kind_to_id, KOERS_N_NOTE_KINDS);
#undef ID_LIST

  list = g_string_new (NULL);
  for (i = 0; i < KOERS_N_STATUSES; i++)
    append_rank (list, "status", i, KOERS_N_STATUSES, koers_status_to_id (i));
  replace (sql, "@STATUS_RANK@", list);

  list = g_string_new (NULL);
  for (i = 0; i < KOERS_N_TARGET_GROUPS; i++)
    append_rank (list, "target_group", i, KOERS_N_TARGET_GROUPS, koers_target_group_to_id (i));
  replace (sql, "@TARGET_GROUP_RANK@", list);

  list = g_string_new (NULL);
  for (i = 0; i < KOERS_N_ACTIVITY_KINDS; i++)
    if (koers_activity_kind_is_credential (i))
      append_id (list, list->len > 0 ? 1 : 0, koers_activity_kind_to_id (i));
  replace (sql, "@CREDENTIAL_KIND@", list);

  list = g_string_new (NULL);
  append_id (list, 0, koers_activity_kind_to_id (KOERS_ACTIVITY_PROEVERIJ));
  replace (sql, "@PROEVERIJ@", list);

  return g_string_free (sql, FALSE);
}

static gboolean
run_step (KoersDatabase *db, const KoersMigrationStep *step, int from_version, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sql = expand_placeholders (step->sql);
  g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %d", step->version);

  if (!koers_database_begin (db, &local_error))
    goto failed;
  if (!koers_database_exec (db, sql, &local_error)
      || (step->func != NULL && !step->func (db, &local_error))
      || !koers_database_exec (db, pragma, &local_error))
    {
      koers_database_rollback (db);
      goto failed;
    }
  if (!koers_database_commit (db, &local_error))
    goto failed;
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

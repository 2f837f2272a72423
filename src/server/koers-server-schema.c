/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-schema.h"

/* The server schema, version 1, in the SQL both back ends share (see koers-server-db.h).
 *
 * records is at once the data and the compacted changes index: one row per record holding its
 * latest state and the volgnummer of its last change, so a pull is one indexed range scan.
 * scope_coach_id is the coach whose caseload holds the record (for child records: their
 * participant's coach), kept on every row so a coach's feed needs no join. */
static const char schema_common_v1[] =
  "CREATE TABLE organisations (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  name TEXT NOT NULL,\n"
  "  sequence BIGINT NOT NULL DEFAULT 0,\n"
  "  created_at TEXT NOT NULL\n"
  ");\n"
  "CREATE TABLE users (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  organisation_id TEXT NOT NULL REFERENCES organisations (id),\n"
  "  username TEXT NOT NULL UNIQUE,\n"
  "  display_name TEXT NOT NULL,\n"
  "  role TEXT NOT NULL CHECK (role IN ('coach', 'ondersteuner', 'programmamanager')),\n"
  "  password_hash TEXT NOT NULL,\n"
  "  disabled INTEGER NOT NULL DEFAULT 0,\n"
  "  created_at TEXT NOT NULL\n"
  ");\n"
  "CREATE INDEX users_organisation ON users (organisation_id);\n"
  "CREATE TABLE devices (\n"
  "  id TEXT PRIMARY KEY NOT NULL,\n"
  "  user_id TEXT NOT NULL REFERENCES users (id),\n"
  "  organisation_id TEXT NOT NULL REFERENCES organisations (id),\n"
  "  name TEXT NOT NULL,\n"
  "  last_sequence BIGINT NOT NULL DEFAULT 0,\n"
  "  registered_at TEXT NOT NULL,\n"
  "  last_seen_at TEXT,\n"
  "  revoked_at TEXT\n"
  ");\n"
  "CREATE INDEX devices_user ON devices (user_id);\n"
  "CREATE TABLE auth_codes (\n"
  "  code_hash TEXT PRIMARY KEY NOT NULL,\n"
  "  user_id TEXT NOT NULL REFERENCES users (id),\n"
  "  client_id TEXT NOT NULL,\n"
  "  redirect_uri TEXT NOT NULL,\n"
  "  code_challenge TEXT NOT NULL,\n"
  "  device_name TEXT NOT NULL,\n"
  "  expires_at TEXT NOT NULL,\n"
  "  used INTEGER NOT NULL DEFAULT 0\n"
  ");\n"
  "CREATE TABLE tokens (\n"
  "  token_hash TEXT PRIMARY KEY NOT NULL,\n"
  "  kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),\n"
  "  user_id TEXT NOT NULL REFERENCES users (id),\n"
  "  device_id TEXT NOT NULL REFERENCES devices (id),\n"
  "  family_id TEXT NOT NULL,\n"
  "  expires_at TEXT NOT NULL,\n"
  "  used_at TEXT,\n"
  "  revoked_at TEXT\n"
  ");\n"
  "CREATE INDEX tokens_family ON tokens (family_id);\n"
  "CREATE INDEX tokens_device ON tokens (device_id);\n"
  "CREATE TABLE login_attempts (\n"
  "  key TEXT PRIMARY KEY NOT NULL,\n"
  "  failures INTEGER NOT NULL DEFAULT 0,\n"
  "  first_failure_at TEXT,\n"
  "  blocked_until TEXT\n"
  ");\n"
  "CREATE TABLE records (\n"
  "  organisation_id TEXT NOT NULL REFERENCES organisations (id),\n"
  "  entity TEXT NOT NULL,\n"
  "  id TEXT NOT NULL,\n"
  "  version BIGINT NOT NULL,\n"
  "  scope_coach_id TEXT,\n"
  "  participant_id TEXT,\n"
  "  deleted INTEGER NOT NULL DEFAULT 0,\n"
  "  erased INTEGER NOT NULL DEFAULT 0,\n"
  "  fields TEXT NOT NULL,\n"
  "  search_key TEXT,\n"
  "  created_at TEXT NOT NULL,\n"
  "  created_by TEXT NOT NULL,\n"
  "  updated_at TEXT NOT NULL,\n"
  "  updated_by TEXT NOT NULL,\n"
  "  PRIMARY KEY (organisation_id, entity, id)\n"
  ");\n"
  "CREATE UNIQUE INDEX records_feed ON records (organisation_id, version);\n"
  "CREATE INDEX records_scope ON records (organisation_id, scope_coach_id, version);\n"
  "CREATE INDEX records_participant ON records (organisation_id, participant_id);\n"
  "CREATE INDEX records_entity ON records (organisation_id, entity, id);\n"
  /* A record that left a coach's caseload: the old coach's feed says buitenBereik once. */
  "CREATE TABLE scope_exits (\n"
  "  organisation_id TEXT NOT NULL REFERENCES organisations (id),\n"
  "  coach_id TEXT NOT NULL,\n"
  "  entity TEXT NOT NULL,\n"
  "  id TEXT NOT NULL,\n"
  "  version BIGINT NOT NULL,\n"
  "  PRIMARY KEY (organisation_id, coach_id, entity, id)\n"
  ");\n"
  "CREATE INDEX scope_exits_feed ON scope_exits (organisation_id, coach_id, version);\n"
  /* Every change ever made: what changed (a field diff, never scrubbed except by erasure),
   * by whom, through which mutation. */
  "CREATE TABLE history (\n"
  "  organisation_id TEXT NOT NULL REFERENCES organisations (id),\n"
  "  version BIGINT NOT NULL,\n"
  "  entity TEXT NOT NULL,\n"
  "  id TEXT NOT NULL,\n"
  "  action TEXT NOT NULL,\n"
  "  mutation_id TEXT,\n"
  "  user_id TEXT NOT NULL,\n"
  "  device_id TEXT,\n"
  "  diff TEXT NOT NULL,\n"
  "  changed_at TEXT NOT NULL,\n"
  "  PRIMARY KEY (organisation_id, version, entity, id)\n"
  ");\n"
  "CREATE INDEX history_record ON history (organisation_id, entity, id, version);\n"
  /* Idempotency: a replayed mutation returns the result stored here. */
  "CREATE TABLE processed_mutations (\n"
  "  organisation_id TEXT NOT NULL REFERENCES organisations (id),\n"
  "  device_id TEXT NOT NULL REFERENCES devices (id),\n"
  "  device_sequence BIGINT NOT NULL,\n"
  "  mutation_id TEXT NOT NULL,\n"
  "  result TEXT NOT NULL,\n"
  "  processed_at TEXT NOT NULL,\n"
  "  PRIMARY KEY (device_id, device_sequence)\n"
  ");\n"
  "CREATE UNIQUE INDEX processed_mutations_id ON processed_mutations (device_id, mutation_id);\n"
  /* participant_id: whose data was read or changed (for child records their participant; for
   * a list or the feed one row per participant carried), so the trail answers "who looked at
   * this participant". Ids are unique per organisation: uploaded ids are chosen by clients. */
  "CREATE TABLE audit (\n"
  "  id TEXT NOT NULL,\n"
  "  organisation_id TEXT NOT NULL REFERENCES organisations (id),\n"
  "  occurred_at TEXT NOT NULL,\n"
  "  user_id TEXT NOT NULL,\n"
  "  device_id TEXT,\n"
  "  action TEXT NOT NULL,\n"
  "  entity TEXT,\n"
  "  record_id TEXT,\n"
  "  purpose TEXT,\n"
  "  result TEXT NOT NULL CHECK (result IN ('gelukt', 'mislukt')),\n"
  "  origin TEXT NOT NULL CHECK (origin IN ('server', 'client')),\n"
  "  participant_id TEXT,\n"
  "  PRIMARY KEY (organisation_id, id)\n"
  ");\n"
  "CREATE INDEX audit_record ON audit (organisation_id, record_id, occurred_at);\n"
  "CREATE INDEX audit_participant ON audit (organisation_id, participant_id, occurred_at);\n"
  "CREATE TABLE meta (\n"
  "  key TEXT PRIMARY KEY NOT NULL,\n"
  "  value TEXT NOT NULL\n"
  ");\n";

/* PostgreSQL only: row-level security on every table that holds an organisation's data, as
 * defence in depth behind the organisation filter every query has anyway. The policy reads the
 * setting koers_server_db_begin() makes for the transaction; without it no row is visible.
 * FORCE makes the policies apply to the tables' owner too, which is the role koers-server
 * connects as (it created the tables). A superuser (or a role with BYPASSRLS) always bypasses
 * row-level security, so koers-server refuses to run as one.
 *
 * The tables for signing in (organisations, users, devices, tokens, auth_codes,
 * login_attempts) and meta stay without row-level security: the token or user name is looked
 * up before the organisation is known, so no organisation could be set yet. */
static const char schema_postgresql_v1[] =
  "ALTER TABLE records ENABLE ROW LEVEL SECURITY;\n"
  "ALTER TABLE records FORCE ROW LEVEL SECURITY;\n"
  "CREATE POLICY records_organisation ON records\n"
  "  USING (organisation_id = current_setting('koers.organisation', true));\n"
  "ALTER TABLE scope_exits ENABLE ROW LEVEL SECURITY;\n"
  "ALTER TABLE scope_exits FORCE ROW LEVEL SECURITY;\n"
  "CREATE POLICY scope_exits_organisation ON scope_exits\n"
  "  USING (organisation_id = current_setting('koers.organisation', true));\n"
  "ALTER TABLE history ENABLE ROW LEVEL SECURITY;\n"
  "ALTER TABLE history FORCE ROW LEVEL SECURITY;\n"
  "CREATE POLICY history_organisation ON history\n"
  "  USING (organisation_id = current_setting('koers.organisation', true));\n"
  "ALTER TABLE processed_mutations ENABLE ROW LEVEL SECURITY;\n"
  "ALTER TABLE processed_mutations FORCE ROW LEVEL SECURITY;\n"
  "CREATE POLICY processed_mutations_organisation ON processed_mutations\n"
  "  USING (organisation_id = current_setting('koers.organisation', true));\n"
  "ALTER TABLE audit ENABLE ROW LEVEL SECURITY;\n"
  "ALTER TABLE audit FORCE ROW LEVEL SECURITY;\n"
  "CREATE POLICY audit_organisation ON audit\n"
  "  USING (organisation_id = current_setting('koers.organisation', true));\n";

/* Version 2: a read of several records (a list, a search, a feed page) leaves one audit row
 * with the list of participants whose data it carried, instead of a row per participant. A
 * feed page of 500 wrote 500 rows, each into the audit table and its three indexes at a
 * random place of the participant index: that was most of what serving a page cost (5 of
 * its 6 ms of server CPU on SQLite). The list is the row's; what makes it searchable per
 * participant ("who looked at this participant") is each back end's own. */
static const char schema_sqlite_v2[] =
  /* list_id is an INTEGER PRIMARY KEY, so it survives a VACUUM (the index refers to it). */
  "CREATE TABLE audit_participant_lists (\n"
  "  list_id INTEGER PRIMARY KEY,\n"
  "  organisation_id TEXT NOT NULL,\n"
  "  audit_id TEXT NOT NULL,\n"
  "  participant_ids TEXT NOT NULL,\n"
  "  UNIQUE (organisation_id, audit_id),\n"
  "  FOREIGN KEY (organisation_id, audit_id) REFERENCES audit (organisation_id, id)\n"
  "    ON DELETE CASCADE\n"
  ");\n"
  /* An inverted index written once per list: FTS5 writes a transaction's lists as one sorted
   * segment and merges segments later, where a B-tree index took 500 random inserts. Ids are
   * lower-case UUIDs separated by spaces, so each id is one token. */
  "CREATE VIRTUAL TABLE audit_participant_index USING fts5 (\n"
  "  participant_ids, content = 'audit_participant_lists', content_rowid = 'list_id',\n"
  "  detail = none, columnsize = 0, tokenize = \"ascii tokenchars '-'\"\n"
  ");\n"
  "CREATE TRIGGER audit_participant_lists_insert AFTER INSERT ON audit_participant_lists\n"
  "BEGIN\n"
  "  INSERT INTO audit_participant_index (rowid, participant_ids)\n"
  "    VALUES (new.list_id, new.participant_ids);\n"
  "END;\n"
  "CREATE TRIGGER audit_participant_lists_delete AFTER DELETE ON audit_participant_lists\n"
  "BEGIN\n"
  "  INSERT INTO audit_participant_index (audit_participant_index, rowid, participant_ids)\n"
  "    VALUES ('delete', old.list_id, old.participant_ids);\n"
  "END;\n"
  /* A list is written once; a changed one would leave the index naming the old ids. */
  "CREATE TRIGGER audit_participant_lists_update BEFORE UPDATE ON audit_participant_lists\n"
  "BEGIN\n"
  "  SELECT RAISE (ABORT, 'audit_participant_lists is append-only');\n"
  "END;\n";

/* PostgreSQL: a row per participant in a narrow table, because row-level security keeps an
 * operator that is not leakproof (a GIN index's @> on an array, full-text @@) from using an
 * index. It has no foreign key: a key's check on each of a feed page's 500 rows is the cost
 * this table is here to avoid. Its rows are only ever read joined to their audit row, so a
 * row whose audit row is gone finds nothing; whatever deletes audit rows one day (retention)
 * deletes these by audit_id too. */
static const char schema_postgresql_v2[] =
  "CREATE TABLE audit_participant_lists (\n"
  "  organisation_id TEXT NOT NULL,\n"
  "  audit_id TEXT NOT NULL,\n"
  "  participant_ids TEXT NOT NULL,\n"
  "  PRIMARY KEY (organisation_id, audit_id),\n"
  "  FOREIGN KEY (organisation_id, audit_id) REFERENCES audit (organisation_id, id)\n"
  "    ON DELETE CASCADE\n"
  ");\n"
  "CREATE TABLE audit_participants (\n"
  "  organisation_id TEXT NOT NULL,\n"
  "  participant_id TEXT NOT NULL,\n"
  "  audit_id TEXT NOT NULL,\n"
  "  PRIMARY KEY (organisation_id, participant_id, audit_id)\n"
  ");\n"
  "ALTER TABLE audit_participant_lists ENABLE ROW LEVEL SECURITY;\n"
  "ALTER TABLE audit_participant_lists FORCE ROW LEVEL SECURITY;\n"
  "CREATE POLICY audit_participant_lists_organisation ON audit_participant_lists\n"
  "  USING (organisation_id = current_setting('koers.organisation', true));\n"
  "ALTER TABLE audit_participants ENABLE ROW LEVEL SECURITY;\n"
  "ALTER TABLE audit_participants FORCE ROW LEVEL SECURITY;\n"
  "CREATE POLICY audit_participants_organisation ON audit_participants\n"
  "  USING (organisation_id = current_setting('koers.organisation', true));\n";

/* Version 3, PostgreSQL only: the side table keyed by participant alone, as a uuid, without a
 * key over all three columns. Its primary key over three text columns was most of the audit
 * writer's time for a feed page (500 rows into a B-tree at random places, each insert
 * speculative for ON CONFLICT): 5-6 ms of the backend a page, against ~3 ms now. A list names
 * each participant once; were one to do so twice, a second row harms nothing. */
static const char schema_postgresql_v3[] =
  "ALTER TABLE audit_participants DROP CONSTRAINT audit_participants_pkey;\n"
  "ALTER TABLE audit_participants ALTER COLUMN participant_id TYPE uuid\n"
  "  USING CAST(participant_id AS uuid);\n"
  "CREATE INDEX audit_participants_participant ON audit_participants (participant_id);\n";

/* Version 4, SQLite: a list is stored as its ids' 16 bytes each (koers_uuid_list_pack) where
 * it was their text, 37 bytes each with the space: 8 KB instead of 18.5 for a feed page,
 * written twice (the log, then the file) and kept for good. The index cannot
 * read its text from the table any more, so it keeps none (content = '') and the triggers
 * hand it the text (koers_uuid_list, which takes a list of either form: lists written
 * before stay as they are). Both functions are koers-server's own (koers-server-db-sqlite.c):
 * another program cannot add or remove a list, which an audit trail does not mind, and a
 * koers-server of version 3 still running cannot either (docs/api-protocol.md: stop every
 * server before the first start of a new version). */
static const char schema_sqlite_v4[] =
  "DROP TRIGGER audit_participant_lists_insert;\n"
  "DROP TRIGGER audit_participant_lists_delete;\n"
  "DROP TABLE audit_participant_index;\n"
  "CREATE VIRTUAL TABLE audit_participant_index USING fts5 (\n"
  "  participant_ids, content = '', detail = none, columnsize = 0,\n"
  "  tokenize = \"ascii tokenchars '-'\"\n"
  ");\n"
  "INSERT INTO audit_participant_index (rowid, participant_ids)\n"
  "  SELECT list_id, koers_uuid_list (participant_ids) FROM audit_participant_lists;\n"
  "CREATE TRIGGER audit_participant_lists_insert AFTER INSERT ON audit_participant_lists\n"
  "BEGIN\n"
  "  INSERT INTO audit_participant_index (rowid, participant_ids)\n"
  "    VALUES (new.list_id, koers_uuid_list (new.participant_ids));\n"
  "END;\n"
  "CREATE TRIGGER audit_participant_lists_delete AFTER DELETE ON audit_participant_lists\n"
  "BEGIN\n"
  "  INSERT INTO audit_participant_index (audit_participant_index, rowid, participant_ids)\n"
  "    VALUES ('delete', old.list_id, koers_uuid_list (old.participant_ids));\n"
  "END;\n";

/* Version 5, SQLite: the index reads each list's 16 bytes an id itself, through a tokenizer of
 * koers-server's own ("koers_ids", koers-server-sqlite-lists.c), one token of 22 characters
 * an id. Version 4 formatted each list as text for the "ascii" tokenizer, which then read its
 * 18.5 KB character by character into tokens of 36: that, and hashing the longer tokens, was
 * most of what the audit writer spent on a feed page. Lists written as text before version 4
 * are packed on their way into the index, so both kinds give the same tokens. */
static const char schema_sqlite_v5[] =
  "DROP TRIGGER audit_participant_lists_insert;\n"
  "DROP TRIGGER audit_participant_lists_delete;\n"
  "DROP TABLE audit_participant_index;\n"
  "CREATE VIRTUAL TABLE audit_participant_index USING fts5 (\n"
  "  participant_ids, content = '', detail = none, columnsize = 0, tokenize = 'koers_ids'\n"
  ");\n"
  "INSERT INTO audit_participant_index (rowid, participant_ids)\n"
  "  SELECT list_id, koers_uuid_list_pack (participant_ids) FROM audit_participant_lists;\n"
  "CREATE TRIGGER audit_participant_lists_insert AFTER INSERT ON audit_participant_lists\n"
  "BEGIN\n"
  "  INSERT INTO audit_participant_index (rowid, participant_ids)\n"
  "    VALUES (new.list_id, koers_uuid_list_pack (new.participant_ids));\n"
  "END;\n"
  "CREATE TRIGGER audit_participant_lists_delete AFTER DELETE ON audit_participant_lists\n"
  "BEGIN\n"
  "  INSERT INTO audit_participant_index (audit_participant_index, rowid, participant_ids)\n"
  "    VALUES ('delete', old.list_id, koers_uuid_list_pack (old.participant_ids));\n"
  "END;\n";

/* Version 6, both back ends: each record keeps its changes-feed item as the feed sends it
 * (engine_feed_item_text, written with the record by the engine's one upsert). A page of 500
 * read 13 columns a record and wrote the item around its stored fields each time, for every
 * device that pulled it: now it reads the item and copies it. A row without one (written
 * before, or by something other than koers-server) is written out from its columns as before
 * (koers-server-engine-feed.c) until koers-server fills it in at its next start
 * (koers_server_engine_fill_feed_items). So that the item never says other than the row, a
 * change to the row that does not also write the item (an operator's UPDATE) drops it: a
 * trigger on each back end. feed_item_check is a 64-bit check of the item's bytes and the
 * row's version (engine_feed_item_check): an item whose check fails is not sent either (one
 * copied to another row, say), and the check costs a page a tenth of what reading every item
 * against JSON's grammar did. */
static const char schema_sqlite_v6[] =
  "ALTER TABLE records ADD COLUMN feed_item TEXT;\n"
  "ALTER TABLE records ADD COLUMN feed_item_check BIGINT;\n"
  "CREATE TRIGGER records_feed_item_stale AFTER UPDATE OF entity, id, version, deleted, "
  "erased, fields, created_at, created_by, updated_at, updated_by ON records\n"
  "WHEN new.feed_item IS old.feed_item AND new.feed_item IS NOT NULL\n"
  "BEGIN\n"
  "  UPDATE records SET feed_item = NULL WHERE rowid = new.rowid;\n"
  "END;\n";
static const char schema_postgresql_v6[] =
  "ALTER TABLE records ADD COLUMN feed_item TEXT;\n"
  "ALTER TABLE records ADD COLUMN feed_item_check BIGINT;\n"
  "CREATE FUNCTION records_feed_item_stale () RETURNS trigger LANGUAGE plpgsql AS $$\n"
  "BEGIN\n"
  "  IF NEW.feed_item IS NOT DISTINCT FROM OLD.feed_item THEN\n"
  "    NEW.feed_item := NULL;\n"
  "  END IF;\n"
  "  RETURN NEW;\n"
  "END\n"
  "$$;\n"
  "CREATE TRIGGER records_feed_item_stale BEFORE UPDATE OF entity, id, version, deleted, "
  "erased, fields, created_at, created_by, updated_at, updated_by ON records\n"
  "  FOR EACH ROW EXECUTE FUNCTION records_feed_item_stale ();\n";

/* Version 7, PostgreSQL: an audit list (18.5 KB of ids as text for a feed page) is stored
 * out of line as it is, not compressed: pglz compressing every list was a seventh of
 * PostgreSQL's CPU while it served feed pages (docs/performance.md, Server, session 14).
 * Lists written before stay as they are. */
static const char schema_postgresql_v7[] =
  "ALTER TABLE audit_participant_lists ALTER COLUMN participant_ids SET STORAGE EXTERNAL;\n";

/* Version 8, PostgreSQL: the lists are found per participant through a GIN index, which the
 * side table of version 2 stood in for. That table took a row per participant a list named,
 * 500 for a feed page, each a random insert into its B-tree: most of what the audit writer
 * spent on a page, and every read waits for its audit row (docs/performance.md, Server,
 * session 15). A GIN index takes a list as one row and gathers new entries in its pending
 * list, merged in sorted runs. Row-level security keeps an operator that is not leakproof
 * (the array's @>) from using an index on a table that has a policy, so the index is on a
 * table of its own without one, audit_participant_index: a list's number and its ids, no
 * organisation, no audit row, no name, like SQLite's FTS5 index. It is only ever read for
 * list numbers that are then joined to audit_participant_lists, under its policy. A list is
 * now an array of uuids in both tables (parsed once, stored as 16 bytes an id where its
 * text took 37); lists written before are converted. The copy runs with the policy lifted
 * for the migration's transaction only (the owner runs it; FORCE is set again before the
 * end). Both tables are append-only, as SQLite's lists are: a changed list would leave the
 * index naming the old ids. */
static const char schema_postgresql_v8[] =
  /* One statement, so the table is rewritten once, its lists already stored as EXTERNAL
   * (a change of type resets the column's storage to the type's). */
  "ALTER TABLE audit_participant_lists\n"
  "  ADD COLUMN list_id BIGINT GENERATED ALWAYS AS IDENTITY,\n"
  "  ALTER COLUMN participant_ids TYPE uuid[]\n"
  "    USING CAST(string_to_array (participant_ids, ' ') AS uuid[]),\n"
  "  ALTER COLUMN participant_ids SET STORAGE EXTERNAL;\n"
  "ALTER TABLE audit_participant_lists ADD CONSTRAINT audit_participant_lists_list_id\n"
  "  UNIQUE (list_id);\n"
  "CREATE TABLE audit_participant_index (\n"
  "  list_id BIGINT PRIMARY KEY REFERENCES audit_participant_lists (list_id)\n"
  "    ON DELETE CASCADE,\n"
  "  participant_ids uuid[] NOT NULL\n"
  ");\n"
  "ALTER TABLE audit_participant_index ALTER COLUMN participant_ids SET STORAGE EXTERNAL;\n"
  "ALTER TABLE audit_participant_lists NO FORCE ROW LEVEL SECURITY;\n"
  "INSERT INTO audit_participant_index (list_id, participant_ids)\n"
  "  SELECT list_id, participant_ids FROM audit_participant_lists;\n"
  "ALTER TABLE audit_participant_lists FORCE ROW LEVEL SECURITY;\n"
  "CREATE INDEX audit_participant_index_ids ON audit_participant_index\n"
  "  USING gin (participant_ids);\n"
  "DROP TABLE audit_participants;\n"
  "CREATE FUNCTION audit_lists_append_only () RETURNS trigger LANGUAGE plpgsql AS $$\n"
  "BEGIN\n"
  "  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;\n"
  "END\n"
  "$$;\n"
  "CREATE TRIGGER audit_participant_lists_update BEFORE UPDATE ON audit_participant_lists\n"
  "  FOR EACH ROW EXECUTE FUNCTION audit_lists_append_only ();\n"
  "CREATE TRIGGER audit_participant_index_update BEFORE UPDATE ON audit_participant_index\n"
  "  FOR EACH ROW EXECUTE FUNCTION audit_lists_append_only ();\n";

/* Version 9, PostgreSQL: a list's ids are kept once, in audit_participant_index, where the
 * GIN index reads them; audit_participant_lists keeps the list's number, its audit row and
 * organisation. Version 8 wrote every list into both tables: two out-of-line copies of 16
 * bytes an id (8 KB for a feed page), written while the page's reader waits for the audit
 * commit. The index's table is only ever read through list numbers joined to
 * audit_participant_lists under its policy, so one copy there is what the other guarded. The
 * column is dropped without rewriting the table: lists written before keep their bytes until
 * the table is rewritten (VACUUM FULL), which a region schedules when it likes. */
static const char schema_postgresql_v9[] =
  "ALTER TABLE audit_participant_lists DROP COLUMN participant_ids;\n";

const char *
koers_server_schema_step (guint version, gboolean postgresql)
{
  switch (version)
    {
    case 1:
      return postgresql ? schema_postgresql_v1 : "";
    case 2:
      return postgresql ? schema_postgresql_v2 : schema_sqlite_v2;
    case 3:
      return postgresql ? schema_postgresql_v3 : "";
    case 4:
      return postgresql ? "" : schema_sqlite_v4;
    case 5:
      return postgresql ? "" : schema_sqlite_v5;
    case 6:
      return postgresql ? schema_postgresql_v6 : schema_sqlite_v6;
    case 7:
      return postgresql ? schema_postgresql_v7 : "";
    case 8:
      return postgresql ? schema_postgresql_v8 : "";
    case 9:
      return postgresql ? schema_postgresql_v9 : "";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
koers_server_schema_common_v1 (void)
{
  return schema_common_v1;
}

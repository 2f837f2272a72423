#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""How long koers-server's schema 4 migration (SQLite) takes on an audit trail of N feed pages.

Makes a database with `koers-server admin`, puts its audit lists' index and triggers back to
version 3's (text lists, an index that reads them from the table), writes N lists of 500
participant ids as version 3 did, then times the `admin` command that migrates it and checks
that the new index finds the same lists for an id as the old one and as a scan of the text.

    benchmarks/bench-schema4-migration.py _build/src/koers-server [--lists 20000]
"""
import argparse, os, resource, sqlite3, subprocess, sys, tempfile, time, uuid

V3_INDEX = """
DROP TRIGGER audit_participant_lists_insert;
DROP TRIGGER audit_participant_lists_delete;
DROP TABLE audit_participant_index;
CREATE VIRTUAL TABLE audit_participant_index USING fts5 (participant_ids,
  content = 'audit_participant_lists', content_rowid = 'list_id',
  detail = none, columnsize = 0, tokenize = "ascii tokenchars '-'");
CREATE TRIGGER audit_participant_lists_insert AFTER INSERT ON audit_participant_lists
BEGIN INSERT INTO audit_participant_index (rowid, participant_ids)
  VALUES (new.list_id, new.participant_ids); END;
CREATE TRIGGER audit_participant_lists_delete AFTER DELETE ON audit_participant_lists
BEGIN INSERT INTO audit_participant_index (audit_participant_index, rowid, participant_ids)
  VALUES ('delete', old.list_id, old.participant_ids); END;
UPDATE meta SET value = '3' WHERE key = 'schema_version';
"""


def found(path, participant):
    db = sqlite3.connect(path)
    by_index = db.execute("SELECT count(*) FROM audit_participant_index "
                          "WHERE audit_participant_index MATCH ?",
                          ('"%s"' % participant,)).fetchone()[0]
    db.close()
    return by_index


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("--lists", type=int, default=20000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "trail.db")
        organisation = subprocess.run([args.server, "--database", path, "admin",
                                       "organisatie-toevoegen", "Proef"], check=True,
                                      capture_output=True, text=True).stdout.strip()
        db = sqlite3.connect(path)
        db.executescript(V3_INDEX)
        people = [str(uuid.uuid4()) for _ in range(10000)]
        db.execute("BEGIN")
        for i in range(args.lists):
            audit_id = str(uuid.uuid4())
            db.execute("INSERT INTO audit (id, organisation_id, occurred_at, user_id, action, "
                       "result, origin) VALUES (?, ?, '2026-11-29T09:00:00Z', 'u', "
                       "'synchroniseren', 'gelukt', 'server')", (audit_id, organisation))
            start = (i * 500) % 9500
            db.execute("INSERT INTO audit_participant_lists (organisation_id, audit_id, "
                       "participant_ids) VALUES (?, ?, ?)",
                       (organisation, audit_id, " ".join(people[start:start + 500])))
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        before = found(path, people[0])

        started = time.monotonic()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([args.server, "--database", path, "admin", "gebruikers", organisation],
                       check=True, capture_output=True)
        wall = time.monotonic() - started
        after_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after_usage.ru_utime - usage.ru_utime) + (after_usage.ru_stime - usage.ru_stime)

        db = sqlite3.connect(path)
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        scanned = db.execute("SELECT count(*) FROM audit_participant_lists "
                             "WHERE instr (participant_ids, ?) > 0", (people[0],)).fetchone()[0]
        db.close()
        after = found(path, people[0])
        print("%d lists of 500 ids: migration to schema %s in %.2f s wall, %.2f s CPU, "
              "peak RSS %.0f MiB; lists found for one id: %d before, %d after, %d by a scan"
              % (args.lists, version, wall, cpu, after_usage.ru_maxrss / 1024, before, after,
                 scanned))
        return 0 if before == after == scanned and version == "4" else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What the import's key table costs in SQLite alone (docs/performance.md, "Import", session
# 18): 100,000 import_row inserts with the schema's key, check and foreign key, in the file's
# order (random keys) or sorted by key first, in a new WAL database with the import's 8 MiB
# cache. Uses the system SQLite through python3's sqlite3 module; no Koers code.
#
#   /usr/bin/python3 benchmarks/import-keys.py none random sorted random sorted

import hashlib
import os
import sqlite3
import sys
import tempfile
import time

N = 100000


def run(run_number, mode, directory):
    path = os.path.join(directory, 'keys-%d-%s.db' % (run_number, mode))
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ('journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON',
                   'cache_size = -8192'):
        db.execute('PRAGMA ' + pragma)
    db.execute('CREATE TABLE participant (id TEXT PRIMARY KEY NOT NULL, name TEXT)')
    db.execute('CREATE TABLE import_row (key TEXT PRIMARY KEY NOT NULL CHECK (length(key) = 64), '
               'participant_id TEXT NOT NULL REFERENCES participant (id), '
               'imported_at TEXT NOT NULL)')
    # Time-ordered ids, as Koers makes them (UUID version 7).
    ids = ['%08x-0000-7000-8000-%012x' % (i // 1000, i) for i in range(N)]
    keys = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(N)]
    db.execute('BEGIN')
    for i in range(N):
        db.execute('INSERT INTO participant VALUES (?, ?)', (ids[i], 'x'))
    cpu = time.process_time()
    if mode == 'random':
        order = range(N)
    elif mode == 'sorted':
        order = [i for _, i in sorted((keys[i], i) for i in range(N))]
    else:
        order = []
    for i in order:
        db.execute('INSERT INTO import_row VALUES (?, ?, ?)',
                   (keys[i], ids[i], '2026-11-30T00:00:00Z'))
    cpu = time.process_time() - cpu
    db.execute('COMMIT')
    db.close()
    print('%-6s cpu %4.0f ms, %.2f us a row' % (mode, cpu * 1000, cpu * 1e6 / N))


with tempfile.TemporaryDirectory() as directory:
    for number, mode in enumerate(sys.argv[1:] or ['none', 'random', 'sorted']):
        run(number, mode, directory)

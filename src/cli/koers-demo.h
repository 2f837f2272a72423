/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-demo.h: realistic made-up data for trying Koers, demonstrating it and measuring it.
 *
 * The same seed always gives the same database, byte for byte in every table, UUIDs and
 * timestamps included: the generator draws everything from one seeded GRand and dates every
 * event between KOERS_DEMO_FIRST_DATE and KOERS_DEMO_LAST_DATE, never from the clock. So a bug
 * report can say "koers-cli demo --seed 7" and the developer sees the same caseload.
 *
 * Everything is written in one transaction, as a bulk load: participants through the
 * participant repository's bulk path (search indexes filled once at the end), their records
 * with the columns the repositories write, and ONE audit event of object type "demo" for the
 * whole generated set instead of one per record (see koers-demo.c for why). A failure or a
 * cancellation leaves the database as it was. 100,000 participants with 1,000,000 notes take
 * about a minute of CPU time (docs/performance.md).
 */
#pragma once

#include <gio/gio.h>

#include "storage/koers-database.h"

G_BEGIN_DECLS

/* Documented limits (koers-cli help demo). */
#define KOERS_DEMO_MAX_PARTICIPANTS 1000000
#define KOERS_DEMO_MAX_NOTES        10000000
#define KOERS_DEMO_DEFAULT_PARTICIPANTS 200
#define KOERS_DEMO_DEFAULT_SEED 1

/* The programme's first working Monday and the last day demo events may fall on. */
#define KOERS_DEMO_FIRST_DATE "2026-01-05"
#define KOERS_DEMO_LAST_DATE  "2026-11-20"

typedef struct {
  guint    n_notes;
  guint    n_status_changes;
  guint    n_activities;
  guint    n_skills;
  guint    n_consents;
  guint    n_coaches;
  guint    n_organisations;
} KoersDemoStats;

typedef struct {
  guint           n_participants; /* 0 .. KOERS_DEMO_MAX_PARTICIPANTS */
  guint32         seed;
  int             n_notes;        /* total, 0 .. KOERS_DEMO_MAX_NOTES; -1: 2-6 per participant */
  gboolean        append;         /* add to a database that already has participants */
  const char     *actor;          /* who made the data, for the audit trail; NULL: "demo" */
  KoersDemoStats *out_stats;      /* (out) (optional): what was made */
} KoersDemoOptions;

/* Fills @options with the defaults: 200 participants, seed 1, 2-6 notes each, no append. */
void koers_demo_options_init (KoersDemoOptions *options);

/* Called every few participants and once at the end, on the generating thread. */
typedef void (*KoersDemoProgressFunc) (guint done, guint total, gpointer user_data);

/**
 * koers_demo_generate:
 * @db: an open, migrated database
 * @options: what to make
 * @cancellable: (nullable): stops the run; nothing is kept then
 * @progress: (nullable) (scope call): progress callback
 * @progress_data: (closure progress): its data
 *
 * Makes the organisations, coaches and participants described in @options, with status
 * history, consent, notes, activities and skills, in one transaction, and records one audit
 * event (action "create", object type "demo") for all of it.
 *
 * Returns: %TRUE on success; %FALSE with @error set (KOERS_DATABASE_ERROR_INVALID when
 * @options are out of range or the database already has participants and @append is not set;
 * G_IO_ERROR_CANCELLED when cancelled; any storage error otherwise), the database unchanged.
 */
gboolean koers_demo_generate (KoersDatabase          *db,
                              const KoersDemoOptions *options,
                              GCancellable           *cancellable,
                              KoersDemoProgressFunc   progress,
                              gpointer                progress_data,
                              GError                **error);

G_END_DECLS

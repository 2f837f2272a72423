/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-demo-private.h: what the demo generator's files share. Not for use outside src/cli. */
#pragma once

#include "cli/koers-demo.h"

#include "storage/koers-participant-repository.h"

G_BEGIN_DECLS

typedef struct {
  char *id;
  char *name;
  char *organisation_id;
} KoersDemoCoach;

typedef struct {
  KoersDatabase          *db;
  KoersParticipantBulk   *bulk;      /* participants are inserted through it */
  const KoersDemoOptions *options;
  const char             *actor;
  GRand                  *rand;      /* every content choice */
  GRand                  *id_rand;   /* UUIDs only, so content and ids do not shift each other */
  GPtrArray              *organisation_ids;  /* char * */
  GPtrArray              *coaches;           /* KoersDemoCoach * */
  guint                   notes_left;        /* with a fixed --notes total */
  guint32                 municipality_start; /* see koers_demo_pick_municipality() */
  KoersDemoStats          stats;
} KoersDemoGenerator;

/* Returns (transfer full): the next version-4 UUID of the generator's id stream. */
char *koers_demo_next_uuid (KoersDemoGenerator *gen);
/* Writes the ISO date @day days after KOERS_DEMO_FIRST_DATE into @out (11 bytes). */
void  koers_demo_day_to_iso (int day, char out[11]);
/* Returns (transfer full): a working-hours UTC timestamp on @day. */
char *koers_demo_timestamp (KoersDemoGenerator *gen, int day);
/* Pins the storage clock to a working-hours moment on @day, so every row and audit event
 * written next carries a time derived from the seed, never the wall clock. */
void  koers_demo_pin_clock (KoersDemoGenerator *gen, int day);
/* Gives the storage clock back to the wall clock. */
void  koers_demo_unpin_clock (KoersDemoGenerator *gen);

/* Days from KOERS_DEMO_FIRST_DATE to KOERS_DEMO_LAST_DATE. */
#define KOERS_DEMO_SPAN_DAYS 319

/* Makes participant number @index with all that belongs to them. */
gboolean koers_demo_make_participant (KoersDemoGenerator *gen, guint index, GError **error);

G_END_DECLS

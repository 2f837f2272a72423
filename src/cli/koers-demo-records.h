/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-demo-records.h: the demo generator's writes. Participants go through the participant
 * repository's bulk path; everything else is written with the same columns the repositories
 * write (seed-derived ids, the clock pinned to the record's demo day), but without an audit
 * event per record: the whole generated set gets one (see koers-demo.c).
 */
#pragma once

#include "cli/koers-demo-private.h"
#include "cli/koers-demo-content.h"

G_BEGIN_DECLS

typedef struct {
  KoersActivityKind kind;
  const char       *title;
  int               sector;     /* KoersSector, or -1 */
  const char       *provider;   /* nullable */
  const char       *employer;   /* nullable */
  int               nlqf_level; /* 0 = not known */
  int               started;    /* demo day */
  int               ended;      /* demo day, or -1 while it goes on */
} KoersDemoActivity;

/* Each returns (transfer full) the new record's id through @out_id when that is not NULL. */
gboolean koers_demo_write_organisation (KoersDemoGenerator *gen, const char *name,
                                        char **out_id, GError **error);
gboolean koers_demo_write_coach (KoersDemoGenerator *gen, const char *name,
                                 const char *organisation_id, char **out_id, GError **error);
gboolean koers_demo_write_note (KoersDemoGenerator *gen, const char *participant_id,
                                const char *organisation_id, KoersNoteKind kind, int day,
                                const char *body, const char *author, GError **error);
gboolean koers_demo_write_consent (KoersDemoGenerator *gen, const char *participant_id,
                                   const char *organisation_id, KoersConsentScope scope,
                                   int given, int withdrawn, const char *author,
                                   GError **error);
gboolean koers_demo_write_activity (KoersDemoGenerator *gen, const char *participant_id,
                                    const char *organisation_id,
                                    const KoersDemoActivity *activity, const char *author,
                                    GError **error);
gboolean koers_demo_write_skill (KoersDemoGenerator *gen, const char *participant_id,
                                 const char *organisation_id, const KoersDemoSkill *skill,
                                 int day, const char *validator, const char *author,
                                 GError **error);
/* One step of a participant's status history, as of @changed_on (ISO date), stamped "now"
 * (the pinned clock). */
gboolean koers_demo_write_status_change (KoersDemoGenerator *gen, KoersParticipant *p,
                                         KoersStatus from, KoersStatus to,
                                         const char *changed_on, const char *author,
                                         GError **error);
/* Stores where @p's trajectory ended (status, outcome, next action), stamped "now". The
 * search key is not touched, so the search index stays as the bulk insert left it. */
gboolean koers_demo_write_trajectory_state (KoersDemoGenerator *gen, KoersParticipant *p,
                                            const char *author, GError **error);

/* Reads the organisations and coaches already in the database into @gen (for --append). */
gboolean koers_demo_load_existing (KoersDemoGenerator *gen, GError **error);

G_END_DECLS

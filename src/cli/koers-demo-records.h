/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-demo-records.h: the demo generator's writes, each through the storage repository the
 * window uses, with a seed-derived id and the clock pinned to the record's demo day.
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

/* Reads the organisations and coaches already in the database into @gen (for --append). */
gboolean koers_demo_load_existing (KoersDemoGenerator *gen, GError **error);

G_END_DECLS

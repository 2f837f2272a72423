/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-activity-repository.h: what a participant does in the trajectory: proeverijen (with
 * their opportunity sector), training (provider), work-learning places (employer) and
 * credentials (certificate, praktijkverklaring, microcredential: with an NLQF level when known).
 */
#pragma once

#include "core/koers-enums.h"
#include "storage/koers-database.h"
#include "storage/koers-record.h"

G_BEGIN_DECLS

typedef struct {
  KoersRecordMeta   meta;
  char             *participant_id;
  KoersActivityKind kind;
  char             *title;
  int               sector;      /* KoersSector for a proeverij (required there), else -1 */
  char             *provider;    /* nullable */
  char             *employer;    /* nullable */
  int               nlqf_level;  /* 1..8 for credentials when known; 0 = none/unknown */
  char             *started_on;  /* ISO date or NULL */
  char             *ended_on;    /* ISO date or NULL, not before started_on */
} KoersActivity;

KoersActivity *koers_activity_new (void);
void           koers_activity_free (KoersActivity *activity);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersActivity, koers_activity_free)

/* Each write validates first (field named in KOERS_DATABASE_ERROR_INVALID), then writes and
 * audits in one transaction. */
gboolean   koers_activity_repository_insert (KoersDatabase *db, KoersActivity *activity,
                                             const char *actor, GError **error);
gboolean   koers_activity_repository_update (KoersDatabase *db, KoersActivity *activity,
                                             const char *actor, GError **error);
gboolean   koers_activity_repository_set_deleted (KoersDatabase *db, const char *id,
                                                  gboolean deleted, const char *actor,
                                                  GError **error);
/* Returns (transfer full) (element-type KoersActivity): not-deleted activities, by start date
 * (undated last). */
GPtrArray *koers_activity_repository_list (KoersDatabase *db, const char *participant_id,
                                           GError **error);

G_END_DECLS

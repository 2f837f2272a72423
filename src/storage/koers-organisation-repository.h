/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-organisation-repository.h: the tenants (Werkcentrum, a municipality, Opijver, ...) and
 * the coaches who work for them. Plain records.
 */
#pragma once

#include "storage/koers-database.h"
#include "storage/koers-record.h"

G_BEGIN_DECLS

typedef struct {
  KoersRecordMeta meta;  /* meta.organisation_id is the organisation's own id */
  char           *name;
} KoersOrganisation;

typedef struct {
  KoersRecordMeta meta;  /* meta.organisation_id: the employer (nullable) */
  char           *name;
  char           *email; /* nullable */
} KoersCoach;

KoersOrganisation *koers_organisation_new (void);
void               koers_organisation_free (KoersOrganisation *organisation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersOrganisation, koers_organisation_free)
KoersCoach        *koers_coach_new (void);
void               koers_coach_free (KoersCoach *coach);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersCoach, koers_coach_free)

gboolean           koers_organisation_repository_insert (KoersDatabase *db,
                                                         KoersOrganisation *organisation,
                                                         const char *actor, GError **error);
/* Returns (transfer full) (element-type KoersOrganisation): not deleted, by name. */
GPtrArray         *koers_organisation_repository_list (KoersDatabase *db, GError **error);
/* Returns (transfer full) (nullable): NOT_FOUND when missing. */
KoersOrganisation *koers_organisation_repository_get (KoersDatabase *db, const char *id,
                                                      GError **error);

gboolean           koers_coach_repository_insert (KoersDatabase *db, KoersCoach *coach,
                                                  const char *actor, GError **error);
/* Returns (transfer full) (element-type KoersCoach): not deleted, by name. */
GPtrArray         *koers_coach_repository_list (KoersDatabase *db, GError **error);
KoersCoach        *koers_coach_repository_get (KoersDatabase *db, const char *id,
                                               GError **error);
/* Returns (transfer full) (element-type utf8 guint): coach id -> number of open participants
 * (not deleted, status not final) each coach guides; coaches with none are absent. Values are
 * GUINT_TO_POINTER. */
GHashTable        *koers_coach_repository_caseload_sizes (KoersDatabase *db, GError **error);

G_END_DECLS

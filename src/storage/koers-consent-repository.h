/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-consent-repository.h: consent for data sharing, per scope. Consent is never edited
 * away: giving it adds a row, withdrawing it dates that row, so the history shows what was
 * allowed on any day.
 */
#pragma once

#include "core/koers-enums.h"
#include "storage/koers-database.h"
#include "storage/koers-record.h"

G_BEGIN_DECLS

typedef struct {
  KoersRecordMeta   meta;
  char             *participant_id;
  KoersConsentScope scope;
  char             *given_on;     /* ISO date */
  char             *withdrawn_on; /* ISO date or NULL while in force */
} KoersConsent;

KoersConsent *koers_consent_new (void);
void          koers_consent_free (KoersConsent *consent);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersConsent, koers_consent_free)

/* Records consent for @consent->scope as of given_on. Refused (INVALID, field "scope") while a
 * consent for that scope is still in force. */
gboolean   koers_consent_repository_give (KoersDatabase *db, KoersConsent *consent,
                                          const char *actor, GError **error);
/* Withdraws the consent in force for @scope as of @withdrawn_on (NOT_FOUND when none is). */
gboolean   koers_consent_repository_withdraw (KoersDatabase *db, const char *participant_id,
                                              KoersConsentScope scope, const char *withdrawn_on,
                                              const char *actor, GError **error);
/* Returns (transfer full) (element-type KoersConsent): the whole history, newest first. */
GPtrArray *koers_consent_repository_list (KoersDatabase *db, const char *participant_id,
                                          GError **error);
/* Returns (transfer full) (nullable): the consent in force for @scope, or %NULL (no error) when
 * there is none. */
KoersConsent *koers_consent_repository_current (KoersDatabase *db, const char *participant_id,
                                                KoersConsentScope scope, GError **error);

G_END_DECLS

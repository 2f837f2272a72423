/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-consent-dialog.h: records consent for a scope as of a date, or withdraws the consent
 * in force for a scope as of a date. Consent is never edited away: the history stays.
 */
#pragma once

#include "participant/koers-form-dialog.h"
#include "storage/koers-consent-repository.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CONSENT_DIALOG (koers_consent_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KoersConsentDialog, koers_consent_dialog, KOERS, CONSENT_DIALOG,
                      KoersFormDialog)

/* Records new consent; the user picks the scope. */
GtkWindow *koers_consent_dialog_new_give (GtkWindow    *parent,
                                          KoersContext *context,
                                          const char   *participant_id);
/* Withdraws the consent in force for @scope. */
GtkWindow *koers_consent_dialog_new_withdraw (GtkWindow         *parent,
                                              KoersContext      *context,
                                              const char        *participant_id,
                                              KoersConsentScope  scope);

G_END_DECLS

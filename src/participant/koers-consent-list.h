/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-consent-list.h: the participant's consent, with an add button and per-row actions. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KOERS_TYPE_CONSENT_LIST (koers_consent_list_get_type ())
G_DECLARE_FINAL_TYPE (KoersConsentList, koers_consent_list, KOERS, CONSENT_LIST, AdwBin)

GtkWidget *koers_consent_list_new (void);
/* @items: (element-type KoersConsent): shown in the given order; not kept. */
/* @conflicts: (nullable) (element-type KoersSyncConflict): the participant's open conflicts;
 * a consent record with one gets a badge that leads to it. */
void       koers_consent_list_set_items (KoersConsentList *self, GPtrArray *items,
                                         GPtrArray *conflicts);
guint      koers_consent_list_get_n_items (KoersConsentList *self);

G_END_DECLS

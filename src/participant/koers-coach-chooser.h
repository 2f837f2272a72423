/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-coach-chooser.h: fills an AdwComboRow with "Unassigned" and the organisation's coaches,
 * loaded through the store, and keeps the chosen coach's id. Emits "loaded" once the list is in.
 */
#pragma once

#include <adwaita.h>

#include "app/koers-context.h"

G_BEGIN_DECLS

#define KOERS_TYPE_COACH_CHOOSER (koers_coach_chooser_get_type ())
G_DECLARE_FINAL_TYPE (KoersCoachChooser, koers_coach_chooser, KOERS, COACH_CHOOSER, GObject)

/* @selected_id: (nullable): the coach to select, kept even before the list has loaded. */
KoersCoachChooser *koers_coach_chooser_new (AdwComboRow  *row,
                                            KoersContext *context,
                                            const char   *selected_id);
/* For a participant being made: when signed in as a coach, that coach is chosen at first
 * (a coach's new participants must be their own on the server); otherwise "Unassigned". */
KoersCoachChooser *koers_coach_chooser_new_for_new_participant (AdwComboRow  *row,
                                                                KoersContext *context);
/* Returns (nullable): the chosen coach's id, %NULL for unassigned. */
const char        *koers_coach_chooser_get_selected_id (KoersCoachChooser *self);

G_END_DECLS

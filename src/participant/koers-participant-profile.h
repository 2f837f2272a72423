/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-participant-profile.h: the read-only profile and trajectory facts of a participant,
 * with a warning badge on each fact that has an open sync conflict. */
#pragma once

#include <adwaita.h>

#include "core/koers-participant.h"

G_BEGIN_DECLS

#define KOERS_TYPE_PARTICIPANT_PROFILE (koers_participant_profile_get_type ())
G_DECLARE_FINAL_TYPE (KoersParticipantProfile, koers_participant_profile,
                      KOERS, PARTICIPANT_PROFILE, AdwBin)

GtkWidget *koers_participant_profile_new (void);
/* @coach_name: (nullable): the assigned coach's name, %NULL when unassigned. */
void       koers_participant_profile_set_participant (KoersParticipantProfile *self,
                                                      KoersParticipant        *participant,
                                                      const char              *coach_name);
/* @conflicts: (nullable) (element-type KoersSyncConflict): the participant's open conflicts;
 * a fact whose field has one (and no resolution queued) shows a badge leading to it. */
void       koers_participant_profile_set_conflicts (KoersParticipantProfile *self,
                                                    GPtrArray               *conflicts);

G_END_DECLS

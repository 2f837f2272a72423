/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-participant-page-private.h: shared between the page, its actions and its writes. */
#pragma once

#include "participant/koers-participant-page.h"

#include "core/koers-participant.h"
#include "core/koers-status.h"
#include "participant/koers-activities-list.h"
#include "participant/koers-consent-list.h"
#include "participant/koers-notes-timeline.h"
#include "participant/koers-participant-profile.h"
#include "participant/koers-skills-list.h"

G_BEGIN_DECLS

/* Everything the page shows, read in one store job. */
typedef struct {
  KoersParticipant *participant;
  char             *coach_name;    /* nullable */
  GPtrArray        *note_threads;  /* (element-type GPtrArray<KoersNote>) */
  GPtrArray        *activities;    /* (element-type KoersActivity) */
  GPtrArray        *skills;        /* (element-type KoersSkill) */
  GPtrArray        *consents;      /* (element-type KoersConsent) */
  GPtrArray        *conflicts;     /* (element-type KoersSyncConflict) open sync conflicts */
} KoersParticipantFile;

void koers_participant_file_free (KoersParticipantFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersParticipantFile, koers_participant_file_free)

struct _KoersParticipantPage
{
  AdwBin                   parent_instance;

  KoersContext            *context;
  char                    *participant_id;
  GCancellable            *cancellable;
  KoersParticipantFile    *file;
  gboolean                 loaded;
  gboolean                 busy;
  gboolean                 reload_pending;

  GtkStack                *stack;
  AdwStatusPage           *error_status;
  GtkLabel                *name_label;
  AdwBin                  *name_badge_bin;
  GtkWidget               *name_badge;
  GtkLabel                *summary_label;
  GtkLabel                *status_message;
  GtkMenuButton           *status_button;
  KoersParticipantProfile *profile;
  KoersNotesTimeline      *notes;
  KoersActivitiesList     *activities;
  KoersSkillsList         *skills;
  KoersConsentList        *consents;
};

/* koers-participant-page.c */
void koers_participant_page_update_actions (KoersParticipantPage *self);
void koers_participant_page_show_message (KoersParticipantPage *self, const char *message);
void koers_participant_page_emit_deleted (KoersParticipantPage *self, const char *id,
                                          const char *name);
void koers_participant_page_emit_closed (KoersParticipantPage *self);
void koers_participant_page_emit_toast (KoersParticipantPage *self, AdwToast *toast);
void koers_participant_page_emit_open_participant (KoersParticipantPage *self, const char *id);
GtkWindow *koers_participant_page_get_window (KoersParticipantPage *self);

/* koers-participant-page-actions.c */
void koers_participant_page_class_init_actions (GtkWidgetClass *widget_class);

/* koers-participant-page-writes.c: written at once, without asking. Deleting the participant
 * emits "deleted" (the window offers the undo); a removal or a status step offers its own
 * Undo in a toast, and a status step holds the sync back until that toast is gone. */
void koers_participant_page_delete_participant (KoersParticipantPage *self);
void koers_participant_page_remove_activity (KoersParticipantPage *self, const char *id,
                                             const char *title);
void koers_participant_page_remove_skill (KoersParticipantPage *self, const char *id,
                                          const char *title);
/* @to must be a step koers_status_check_transition() allows. */
void koers_participant_page_write_status (KoersParticipantPage *self, KoersStatus to);
/* The Undo toast of a status step already written (by the status dialog). */
void koers_participant_page_offer_status_undo (KoersParticipantPage *self, KoersStatus to);

G_END_DECLS

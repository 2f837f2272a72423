/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-participant-page-private.h: shared between the page and its actions. */
#pragma once

#include "participant/koers-participant-page.h"

#include "core/koers-participant.h"
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

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-participant-page.h: one participant's file: profile, trajectory status with only the
 * allowed next steps, notes timeline, activities, skills, outcome and consent.
 *
 * Opening the page reads the file through the store, audited as an OPEN with the purpose from
 * the "audit-purpose" setting (default "Guidance"). Actions (group "participant"): edit,
 * delete, close, add-note, edit-note(s id), add-activity, edit-activity(s), remove-activity(s),
 * add-skill, edit-skill(s), remove-skill(s), give-consent, withdraw-consent(s scope),
 * change-status(s status id).
 *
 * Signals: "deleted" (const char *id, const char *name) after the tombstone is written, so the
 * window can offer undo; "closed" when the user closes the file; "open-participant"
 * (const char *id) when the editor's duplicate warning sends the user to another file;
 * "add-toast" (AdwToast *toast, transfer none) for the window to show, e.g. the undo after an
 * activity or a skill was removed.
 */
#pragma once

#include <adwaita.h>

#include "app/koers-context.h"

G_BEGIN_DECLS

#define KOERS_TYPE_PARTICIPANT_PAGE (koers_participant_page_get_type ())
G_DECLARE_FINAL_TYPE (KoersParticipantPage, koers_participant_page,
                      KOERS, PARTICIPANT_PAGE, AdwBin)

KoersParticipantPage *koers_participant_page_new (KoersContext *context,
                                                  const char   *participant_id);
const char           *koers_participant_page_get_participant_id (KoersParticipantPage *self);
/* TRUE once the file has been read (successfully or not). */
gboolean              koers_participant_page_get_loaded (KoersParticipantPage *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-participant-editor.h: the modal form that creates or edits a participant.
 *
 * Signals: "saved" (const char *id) after the store wrote the participant;
 * "open-existing" (const char *id) when the user chose to open a likely duplicate instead of
 * creating a new participant. The editor closes itself after either.
 */
#pragma once

#include <adwaita.h>

#include "app/koers-context.h"
#include "core/koers-participant.h"

G_BEGIN_DECLS

#define KOERS_TYPE_PARTICIPANT_EDITOR (koers_participant_editor_get_type ())
G_DECLARE_FINAL_TYPE (KoersParticipantEditor, koers_participant_editor,
                      KOERS, PARTICIPANT_EDITOR, AdwWindow)

/* @participant_or_null: (nullable): the participant to edit (copied; the original is never
 * touched), or %NULL to create one. */
GtkWindow *koers_participant_editor_new (GtkWindow        *parent,
                                         KoersContext     *context,
                                         KoersParticipant *participant_or_null);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-note-dialog.h: writes a contact note (kind, date, multi-line text). Given an existing
 * note it adds a revision: notes are append-only, the earlier text stays.
 */
#pragma once

#include "participant/koers-form-dialog.h"
#include "storage/koers-note-repository.h"

G_BEGIN_DECLS

#define KOERS_TYPE_NOTE_DIALOG (koers_note_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KoersNoteDialog, koers_note_dialog, KOERS, NOTE_DIALOG, KoersFormDialog)

/* @note: (nullable): the current revision to edit, or %NULL for a new note. Copied. */
GtkWindow *koers_note_dialog_new (GtkWindow       *parent,
                                  KoersContext    *context,
                                  const char      *participant_id,
                                  const KoersNote *note);

G_END_DECLS

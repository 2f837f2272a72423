/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-activity-dialog.h: adds or edits an activity. The form follows the kind: a proeverij
 * asks for its sector, a work-learning place for the employer, training and credentials for
 * the provider, and only credentials carry an NLQF level.
 */
#pragma once

#include "participant/koers-form-dialog.h"
#include "storage/koers-activity-repository.h"

G_BEGIN_DECLS

#define KOERS_TYPE_ACTIVITY_DIALOG (koers_activity_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KoersActivityDialog, koers_activity_dialog, KOERS, ACTIVITY_DIALOG,
                      KoersFormDialog)

/* @activity: (nullable): the activity to edit (copied), or %NULL to add one. */
GtkWindow *koers_activity_dialog_new (GtkWindow           *parent,
                                      KoersContext        *context,
                                      const char          *participant_id,
                                      const KoersActivity *activity);

G_END_DECLS

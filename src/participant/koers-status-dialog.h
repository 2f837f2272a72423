/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-status-dialog.h: ends a trajectory (completed or dropped out) with its outcome and the
 * date it was reached. Completing needs a recorded outcome: the 60% flow-on KPI is computed
 * from it.
 */
#pragma once

#include "core/koers-participant.h"
#include "participant/koers-form-dialog.h"

G_BEGIN_DECLS

#define KOERS_TYPE_STATUS_DIALOG (koers_status_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KoersStatusDialog, koers_status_dialog, KOERS, STATUS_DIALOG,
                      KoersFormDialog)

/* @participant: copied; @to: KOERS_STATUS_COMPLETED or KOERS_STATUS_DROPPED_OUT. */
GtkWindow *koers_status_dialog_new (GtkWindow        *parent,
                                    KoersContext     *context,
                                    KoersParticipant *participant,
                                    KoersStatus       to);

G_END_DECLS

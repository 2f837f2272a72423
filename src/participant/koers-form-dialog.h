/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-form-dialog.h: the frame every small participant dialog shares (note, activity, skill,
 * consent, status): a modal window with Cancel and Save (Save is the default, Ctrl+Enter saves,
 * Escape cancels), one boxed group of rows, a line for problems that belong to no single
 * field, and the store round trip: the subclass validates, then hands over a job; the frame
 * runs it, shows a failure in words and keeps the dialog open, or emits "saved" and closes.
 */
#pragma once

#include <adwaita.h>

#include "app/koers-context.h"
#include "participant/koers-form.h"

G_BEGIN_DECLS

#define KOERS_TYPE_FORM_DIALOG (koers_form_dialog_get_type ())
G_DECLARE_DERIVABLE_TYPE (KoersFormDialog, koers_form_dialog, KOERS, FORM_DIALOG, AdwWindow)

struct _KoersFormDialogClass
{
  AdwWindowClass parent_class;

  /* Shows each field's problem; returns TRUE when the form can be saved. */
  gboolean (*validate) (KoersFormDialog *self);
  /* Starts the write with koers_form_dialog_run (). */
  void     (*save)     (KoersFormDialog *self);
};

KoersContext *koers_form_dialog_get_context (KoersFormDialog *self);
/* The group rows go into; its title is the dialog's subject. */
AdwPreferencesGroup *koers_form_dialog_get_group (KoersFormDialog *self);
/* Adds a row to the group; returns it (transfer none). */
GtkWidget *koers_form_dialog_add_row (KoersFormDialog *self, GtkWidget *row);
/* Adds any widget below the group (a multi-line text area). */
void       koers_form_dialog_add_extra (KoersFormDialog *self, GtkWidget *widget);
/* Call once the subclass built its rows: validation runs from then on. */
void       koers_form_dialog_ready (KoersFormDialog *self);
/* Re-runs validate and updates Save; connect every field's change to it. */
void       koers_form_dialog_changed (KoersFormDialog *self);
/* @message: (nullable): a problem that belongs to no single field. */
void       koers_form_dialog_set_message (KoersFormDialog *self, const char *message);

/* Runs @func on the store's worker; NULL with an error keeps the dialog open with the error
 * shown; success emits "saved" and closes. @changes: what the store reports as changed. */
void       koers_form_dialog_run (KoersFormDialog *self, KoersStoreJobFunc func, gpointer data,
                                  GDestroyNotify data_destroy, const char *changes);

/* Fills an AdwComboRow with @n labels. */
void       koers_form_dialog_set_choices (AdwComboRow *row, const char *(*label) (int value),
                                          int n);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-status-dialog.h"

#include "core/koers-date.h"
#include "core/koers-status.h"
#include "storage/koers-participant-repository.h"

struct _KoersStatusDialog
{
  KoersFormDialog   parent_instance;

  KoersParticipant *participant;
  KoersStatus       to;
  AdwComboRow      *outcome_row;
  AdwEntryRow      *date_row;
  KoersFormField    outcome_field;
  KoersFormField    date_field;
};

G_DEFINE_FINAL_TYPE (KoersStatusDialog, koers_status_dialog, KOERS_TYPE_FORM_DIALOG)

static const char *
outcome_label (int value)
{
  return koers_outcome_label (value);
}

static gboolean
koers_status_dialog_validate (KoersFormDialog *dialog)
{
  KoersStatusDialog *self = KOERS_STATUS_DIALOG (dialog);
  KoersOutcome outcome = adw_combo_row_get_selected (self->outcome_row);
  g_autoptr(GHashTable) messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
  g_autofree char *iso = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *today = koers_date_today_iso ();

  if (!koers_status_check_transition (koers_participant_get_status (self->participant), self->to,
                                      outcome, &reason))
    g_hash_table_insert (messages, g_strdup ("outcome"), g_steal_pointer (&reason));

  if (koers_form_parse_date (self->date_row, &iso, messages, "outcome-date"))
    {
      if (iso == NULL && outcome != KOERS_OUTCOME_UNKNOWN)
        g_hash_table_insert (messages, g_strdup ("outcome-date"),
                             g_strdup (_("Date is required: when was the outcome reached?")));
      else if (iso != NULL && g_strcmp0 (iso, today) > 0)
        g_hash_table_insert (messages, g_strdup ("outcome-date"),
                             g_strdup (_("Date cannot be in the future")));
    }

  koers_form_field_set_message (&self->outcome_field, g_hash_table_lookup (messages, "outcome"));
  koers_form_field_set_message (&self->date_field, g_hash_table_lookup (messages, "outcome-date"));
  return g_hash_table_size (messages) == 0;
}

typedef struct {
  KoersParticipant *participant;
  char             *actor;
} StatusJob;

static void
status_job_free (gpointer data)
{
  StatusJob *job = data;

  g_clear_object (&job->participant);
  g_free (job->actor);
  g_free (job);
}

static gpointer
status_job_run (KoersDatabase *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  StatusJob *job = data;

  if (!koers_participant_repository_update (db, job->participant, job->actor, error))
    return NULL;
  return g_strdup (koers_participant_get_id (job->participant));
}

static void
koers_status_dialog_save (KoersFormDialog *dialog)
{
  KoersStatusDialog *self = KOERS_STATUS_DIALOG (dialog);
  StatusJob *job = g_new0 (StatusJob, 1);
  KoersOutcome outcome = adw_combo_row_get_selected (self->outcome_row);
  g_autofree char *iso = NULL;

  koers_form_parse_date (self->date_row, &iso, NULL, NULL);
  job->participant = koers_participant_copy (self->participant);
  koers_participant_set_status (job->participant, self->to);
  koers_participant_set_outcome (job->participant, outcome);
  koers_participant_set_outcome_date (job->participant,
                                      outcome != KOERS_OUTCOME_UNKNOWN ? iso : NULL);
  job->actor = g_strdup (koers_context_get_actor (koers_form_dialog_get_context (dialog)));
  koers_form_dialog_run (dialog, status_job_run, job, status_job_free, "participants");
}

static void
koers_status_dialog_dispose (GObject *object)
{
  KoersStatusDialog *self = KOERS_STATUS_DIALOG (object);

  g_clear_object (&self->participant);

  G_OBJECT_CLASS (koers_status_dialog_parent_class)->dispose (object);
}

static void
koers_status_dialog_class_init (KoersStatusDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KoersFormDialogClass *dialog_class = KOERS_FORM_DIALOG_CLASS (klass);

  object_class->dispose = koers_status_dialog_dispose;
  dialog_class->validate = koers_status_dialog_validate;
  dialog_class->save = koers_status_dialog_save;
}

static void
koers_status_dialog_init (KoersStatusDialog *self)
{
  KoersFormDialog *dialog = KOERS_FORM_DIALOG (self);
  g_autofree char *today = koers_date_today_iso ();

  self->outcome_row = ADW_COMBO_ROW (koers_form_dialog_add_row (dialog, adw_combo_row_new ()));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->outcome_row), _("Outcome"));
  koers_form_dialog_set_choices (self->outcome_row, outcome_label, KOERS_N_OUTCOMES);
  koers_form_field_init (&self->outcome_field, GTK_WIDGET (self->outcome_row));

  self->date_row = ADW_ENTRY_ROW (koers_form_dialog_add_row (dialog, adw_entry_row_new ()));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->date_row), _("Outcome date"));
  koers_form_set_date (self->date_row, today);
  koers_form_field_init (&self->date_field, GTK_WIDGET (self->date_row));

  g_signal_connect_object (self->outcome_row, "notify::selected",
                           G_CALLBACK (koers_form_dialog_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->date_row, "changed",
                           G_CALLBACK (koers_form_dialog_changed), self, G_CONNECT_SWAPPED);
}

GtkWindow *
koers_status_dialog_new (GtkWindow        *parent,
                         KoersContext     *context,
                         KoersParticipant *participant,
                         KoersStatus       to)
{
  KoersStatusDialog *self;
  AdwPreferencesGroup *group;
  gboolean completing = to == KOERS_STATUS_COMPLETED;

  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (KOERS_IS_PARTICIPANT (participant), NULL);
  g_return_val_if_fail (to == KOERS_STATUS_COMPLETED || to == KOERS_STATUS_DROPPED_OUT, NULL);

  self = g_object_new (KOERS_TYPE_STATUS_DIALOG,
                       "transient-for", parent,
                       "context", context,
                       "title", completing ? _("Complete Trajectory") : _("End Trajectory"),
                       NULL);
  self->participant = koers_participant_copy (participant);
  self->to = to;
  group = koers_form_dialog_get_group (KOERS_FORM_DIALOG (self));
  adw_preferences_group_set_title (group, koers_status_label (to));
  adw_preferences_group_set_description (group,
      completing ? _("Record where the trajectory led. The flow-on rate counts work, "
                     "education and work-learning places.")
                 : _("Record an outcome if the participant found one anyway; the flow-on "
                     "rate counts participants who dropped out too."));
  adw_combo_row_set_selected (self->outcome_row,
                              completing ? KOERS_OUTCOME_WORK : KOERS_OUTCOME_UNKNOWN);
  koers_form_dialog_ready (KOERS_FORM_DIALOG (self));
  return GTK_WINDOW (self);
}

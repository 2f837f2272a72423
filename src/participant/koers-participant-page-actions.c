/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The participant page's actions: the editor and the record dialogs open from here; deleting,
 * removing and status steps are written by koers-participant-page-writes.c.
 */
#include "config.h"

#include "participant/koers-participant-page-private.h"

#include "core/koers-status.h"
#include "participant/koers-activity-dialog.h"
#include "participant/koers-consent-dialog.h"
#include "participant/koers-note-dialog.h"
#include "participant/koers-participant-editor.h"
#include "participant/koers-skill-dialog.h"
#include "participant/koers-status-dialog.h"

/* --- lookups in the loaded file ------------------------------------------------------------ */

static GPtrArray *
find_thread (KoersParticipantPage *self,
             const char           *first_id)
{
  for (guint i = 0; i < self->file->note_threads->len; i++)
    {
      GPtrArray *thread = g_ptr_array_index (self->file->note_threads, i);
      const KoersNote *first = g_ptr_array_index (thread, 0);

      if (g_strcmp0 (first->meta.id, first_id) == 0)
        return thread;
    }
  return NULL;
}

static gpointer
find_record (GPtrArray  *records,
             const char *id)
{
  for (guint i = 0; i < records->len; i++)
    {
      /* Every storage record starts with its KoersRecordMeta. */
      KoersRecordMeta *meta = g_ptr_array_index (records, i);

      if (g_strcmp0 (meta->id, id) == 0)
        return meta;
    }
  return NULL;
}

static void
present (GtkWindow *window)
{
  gtk_window_present (window);
}

/* --- actions ------------------------------------------------------------------------------ */

static void
on_open_existing (KoersParticipantPage *self,
                  const char           *id)
{
  koers_participant_page_emit_open_participant (self, id);
}

static void
action_edit (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (widget);
  GtkWindow *editor;

  editor = koers_participant_editor_new (koers_participant_page_get_window (self), self->context,
                                         self->file->participant);
  g_signal_connect_object (editor, "open-existing", G_CALLBACK (on_open_existing), self,
                           G_CONNECT_SWAPPED);
  present (editor);
}

static void
action_delete (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  /* No confirmation: the window offers undo, which restores the tombstoned record. */
  koers_participant_page_delete_participant (KOERS_PARTICIPANT_PAGE (widget));
}

static void
action_close (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  koers_participant_page_emit_closed (KOERS_PARTICIPANT_PAGE (widget));
}

static void
action_add_note (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (widget);

  present (koers_note_dialog_new (koers_participant_page_get_window (self), self->context,
                                  self->participant_id, NULL));
}

static void
action_edit_note (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (widget);
  GPtrArray *thread = find_thread (self, g_variant_get_string (parameter, NULL));

  if (thread == NULL)
    return;
  present (koers_note_dialog_new (koers_participant_page_get_window (self), self->context,
                                  self->participant_id,
                                  g_ptr_array_index (thread, thread->len - 1)));
}

static void
action_add_activity (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (widget);

  present (koers_activity_dialog_new (koers_participant_page_get_window (self), self->context,
                                      self->participant_id, NULL));
}

static void
action_edit_activity (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (widget);
  KoersActivity *activity = find_record (self->file->activities,
                                         g_variant_get_string (parameter, NULL));

  if (activity != NULL)
    present (koers_activity_dialog_new (koers_participant_page_get_window (self), self->context,
                                        self->participant_id, activity));
}

static void
action_remove_activity (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  KoersActivity *activity = find_record (self->file->activities, id);

  if (activity != NULL)
    koers_participant_page_remove_activity (self, id, activity->title);
}

static void
action_add_skill (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (widget);

  present (koers_skill_dialog_new (koers_participant_page_get_window (self), self->context,
                                   self->participant_id, NULL));
}

static void
action_edit_skill (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (widget);
  KoersSkill *skill = find_record (self->file->skills, g_variant_get_string (parameter, NULL));

  if (skill != NULL)
    present (koers_skill_dialog_new (koers_participant_page_get_window (self), self->context,
                                     self->participant_id, skill));
}

static void
action_remove_skill (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  KoersSkill *skill = find_record (self->file->skills, id);

  if (skill != NULL)
    koers_participant_page_remove_skill (self, id, skill->label);
}

static void
action_give_consent (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (widget);

  present (koers_consent_dialog_new_give (koers_participant_page_get_window (self),
                                          self->context, self->participant_id));
}

static void
action_withdraw_consent (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (widget);
  KoersConsentScope scope;

  if (!koers_consent_scope_from_id (g_variant_get_string (parameter, NULL), &scope))
    return;
  present (koers_consent_dialog_new_withdraw (koers_participant_page_get_window (self),
                                              self->context, self->participant_id, scope));
}

static gboolean
status_is_next (KoersStatus from,
                KoersStatus to)
{
  guint n = 0;
  const KoersStatus *next = koers_status_next (from, &n);

  for (guint i = 0; i < n; i++)
    {
      if (next[i] == to)
        return TRUE;
    }
  return FALSE;
}

static void
on_status_dialog_saved (GtkWindow            *dialog,
                        KoersParticipantPage *self)
{
  KoersStatus to = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "koers-status-to"));

  if (self->context != NULL)
    koers_participant_page_offer_status_undo (self, to);
}

static void
action_change_status (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (widget);
  KoersParticipant *p = self->file->participant;
  KoersStatus from = koers_participant_get_status (p);
  KoersStatus to;
  g_autofree char *reason = NULL;

  if (!koers_status_from_id (g_variant_get_string (parameter, NULL), &to))
    return;

  /* Ending a trajectory records where it led, so it asks before it writes. */
  if ((to == KOERS_STATUS_COMPLETED || to == KOERS_STATUS_DROPPED_OUT) && status_is_next (from, to))
    {
      GtkWindow *dialog;

      koers_participant_page_show_message (self, NULL);
      dialog = koers_status_dialog_new (koers_participant_page_get_window (self), self->context,
                                        p, to);
      g_object_set_data (G_OBJECT (dialog), "koers-status-to", GINT_TO_POINTER (to));
      /* Not held while the dialog is open (a coach may leave it for long): its step is
       * written on save, and the Undo toast's hold comes right after, well within the 3 s a
       * write waits before its sync starts. */
      g_signal_connect_object (dialog, "saved", G_CALLBACK (on_status_dialog_saved), self, 0);
      present (dialog);
      return;
    }

  if (!koers_status_check_transition (from, to, koers_participant_get_outcome (p), &reason))
    {
      koers_participant_page_show_message (self, reason);
      return;
    }

  koers_participant_page_write_status (self, to);
}

void
koers_participant_page_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "participant.edit", NULL, action_edit);
  gtk_widget_class_install_action (widget_class, "participant.delete", NULL, action_delete);
  gtk_widget_class_install_action (widget_class, "participant.close", NULL, action_close);
  gtk_widget_class_install_action (widget_class, "participant.add-note", NULL, action_add_note);
  gtk_widget_class_install_action (widget_class, "participant.edit-note", "s",
                                   action_edit_note);
  gtk_widget_class_install_action (widget_class, "participant.add-activity", NULL,
                                   action_add_activity);
  gtk_widget_class_install_action (widget_class, "participant.edit-activity", "s",
                                   action_edit_activity);
  gtk_widget_class_install_action (widget_class, "participant.remove-activity", "s",
                                   action_remove_activity);
  gtk_widget_class_install_action (widget_class, "participant.add-skill", NULL,
                                   action_add_skill);
  gtk_widget_class_install_action (widget_class, "participant.edit-skill", "s",
                                   action_edit_skill);
  gtk_widget_class_install_action (widget_class, "participant.remove-skill", "s",
                                   action_remove_skill);
  gtk_widget_class_install_action (widget_class, "participant.give-consent", NULL,
                                   action_give_consent);
  gtk_widget_class_install_action (widget_class, "participant.withdraw-consent", "s",
                                   action_withdraw_consent);
  gtk_widget_class_install_action (widget_class, "participant.change-status", "s",
                                   action_change_status);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "participant.edit", NULL);
}

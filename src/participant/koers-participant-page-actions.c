/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-participant-page-private.h"

#include "app/koers-sync-service.h"
#include "core/koers-i18n.h"
#include "core/koers-status.h"
#include "participant/koers-activity-dialog.h"
#include "participant/koers-consent-dialog.h"
#include "participant/koers-note-dialog.h"
#include "participant/koers-participant-display.h"
#include "participant/koers-participant-editor.h"
#include "participant/koers-skill-dialog.h"
#include "participant/koers-status-dialog.h"
#include "storage/koers-activity-repository.h"
#include "storage/koers-participant-repository.h"
#include "storage/koers-skill-repository.h"

/* --- small store jobs ------------------------------------------------------------------- */

typedef struct {
  char             *id;
  char             *actor;
  KoersParticipant *participant;  /* for a status update */
  int               table;        /* for a removal */
  gboolean          restore;      /* undoes the removal instead */
  KoersStatus       status;       /* for undoing a status change: the status it led to */
} PageJob;

enum {
  REMOVE_PARTICIPANT,
  REMOVE_ACTIVITY,
  REMOVE_SKILL,
  UNDO_STATUS,    /* not a removal: the Undo of a status change */
};

static void
page_job_free (gpointer data)
{
  PageJob *job = data;

  g_free (job->id);
  g_free (job->actor);
  g_clear_object (&job->participant);
  g_free (job);
}

static PageJob *
page_job_new (KoersParticipantPage *self,
              const char           *id)
{
  PageJob *job = g_new0 (PageJob, 1);

  job->id = g_strdup (id);
  job->actor = g_strdup (koers_context_get_actor (self->context));
  return job;
}

static gpointer
remove_job_run (KoersDatabase *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  PageJob *job = data;
  gboolean deleted = !job->restore;
  gboolean ok = FALSE;

  switch (job->table)
    {
    case REMOVE_PARTICIPANT:
      ok = koers_participant_repository_set_deleted (db, job->id, deleted, job->actor, error);
      break;
    case REMOVE_ACTIVITY:
      ok = koers_activity_repository_set_deleted (db, job->id, deleted, job->actor, error);
      break;
    case REMOVE_SKILL:
      ok = koers_skill_repository_set_deleted (db, job->id, deleted, job->actor, error);
      break;
    default:
      g_assert_not_reached ();
    }
  return ok ? g_strdup (job->id) : NULL;
}

static gpointer
update_job_run (KoersDatabase *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  PageJob *job = data;

  if (!koers_participant_repository_update (db, job->participant, job->actor, error))
    return NULL;
  return g_strdup (job->id);
}

static gpointer
undo_status_job_run (KoersDatabase *db,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  PageJob *job = data;

  if (!koers_participant_repository_undo_status_change (db, job->id, job->status, job->actor,
                                                        error))
    return NULL;
  return g_strdup (job->id);
}

static void
delete_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KoersParticipantPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = koers_store_run_finish (KOERS_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->context == NULL)
    return;
  if (id == NULL)
    {
      koers_participant_page_show_message (self, error->message);
      return;
    }
  koers_participant_page_emit_deleted (self, id,
                                       koers_participant_get_name (self->file->participant));
}

static void
run_job (KoersParticipantPage *self,
         KoersStoreJobFunc     func,
         PageJob              *job,
         const char           *changes,
         GAsyncReadyCallback   callback)
{
  koers_participant_page_show_message (self, NULL);
  koers_store_run_async (koers_context_get_store (self->context), func, job, page_job_free,
                         g_free, changes, self->cancellable, callback, g_object_ref (self));
}

/* --- removing an activity or a skill, with undo --------------------------------------------- */

/* What the toast's Undo needs, kept by the toast: the page may be closed before it is clicked. */
typedef struct {
  KoersContext *context;
  GWeakRef      page;
  int           table;
  char         *id;
  char         *actor;
  KoersStatus   status;  /* UNDO_STATUS: the status the change led to */
  gboolean      holding; /* holds the sync back while the toast shows (hold_sync) */
} Undo;

/* A status step cannot be undone on the server (its workflow has no step back), only on this
 * computer before it was sent: while its Undo is on offer no sync run starts, and an undo then
 * cancels the step in the outbox (koers_sync_outbox_compact). */
static gboolean
hold_sync (KoersContext *context)
{
  KoersSyncService *sync = koers_context_get_sync_service (context);

  if (sync == NULL)
    return FALSE;
  koers_sync_service_hold (sync);
  return TRUE;
}

static void
release_sync (KoersContext *context)
{
  KoersSyncService *sync = koers_context_get_sync_service (context);

  if (sync != NULL)
    koers_sync_service_release (sync);
}

/* The toast went (timed out, closed, or its Undo was clicked and the undo is on its way): the
 * step, or the undo that cancels it, may go. */
static void
undo_toast_dismissed (AdwToast *toast,
                      Undo     *undo)
{
  if (!undo->holding)
    return;
  undo->holding = FALSE;
  release_sync (undo->context);
}

static void
undo_free (gpointer  data,
           GClosure *closure)
{
  Undo *undo = data;

  if (undo->holding)
    release_sync (undo->context);
  g_clear_object (&undo->context);
  g_weak_ref_clear (&undo->page);
  g_free (undo->id);
  g_free (undo->actor);
  g_free (undo);
}

static void
restore_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GWeakRef *page_ref = user_data;
  g_autoptr(KoersParticipantPage) self = g_weak_ref_get (page_ref);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_weak_ref_clear (page_ref);
  g_free (page_ref);
  id = koers_store_run_finish (KOERS_STORE (source), result, &error);
  if (id == NULL && self != NULL && self->context != NULL)
    koers_participant_page_show_message (self, error->message);
}

static void
undo_clicked (AdwToast *toast,
              Undo     *undo)
{
  g_autoptr(KoersParticipantPage) page = g_weak_ref_get (&undo->page);
  PageJob *job = g_new0 (PageJob, 1);
  GWeakRef *page_ref = g_new0 (GWeakRef, 1);
  const char *changes;

  job->id = g_strdup (undo->id);
  job->actor = g_strdup (undo->actor);
  job->table = undo->table;
  job->restore = TRUE;
  job->status = undo->status;
  g_weak_ref_init (page_ref, page);
  if (undo->table == UNDO_STATUS)
    changes = "participants";
  else
    changes = undo->table == REMOVE_ACTIVITY ? "activities" : "skills";
  koers_store_run_async (koers_context_get_store (undo->context),
                         undo->table == UNDO_STATUS ? undo_status_job_run : remove_job_run, job,
                         page_job_free, g_free, changes, NULL, restore_done, page_ref);
}

static Undo *
attach_undo (KoersParticipantPage *self,
             AdwToast             *toast,
             int                   table,
             const char           *id)
{
  Undo *undo = g_new0 (Undo, 1);

  adw_toast_set_button_label (toast, _("_Undo"));
  undo->context = g_object_ref (self->context);
  g_weak_ref_init (&undo->page, self);
  undo->table = table;
  undo->id = g_strdup (id);
  undo->actor = g_strdup (koers_context_get_actor (self->context));
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (undo_clicked), undo, undo_free, 0);
  return undo;
}

static void
offer_undo (KoersParticipantPage *self,
            int                   table,
            const char           *id,
            const char           *title)
{
  g_autoptr(AdwToast) toast = NULL;
  g_autofree char *escaped = g_markup_escape_text (title != NULL ? title : "", -1);
  g_autofree char *isolated = g_strconcat (KOERS_FSI, escaped, KOERS_PDI, NULL);
  g_autofree char *text = NULL;

  /* The title is the user's text: isolated so an Arabic title keeps the sentence in order,
   * and escaped because a toast title is markup in libadwaita 1.2. */
  if (table == REMOVE_ACTIVITY)
    /* Translators: toast after removing an activity; %s is its title */
    text = g_strdup_printf (_("Activity “%s” removed"), isolated);
  else
    /* Translators: toast after removing a skill; %s is the skill */
    text = g_strdup_printf (_("Skill “%s” removed"), isolated);
  toast = adw_toast_new (text);
  attach_undo (self, toast, table, id);
  koers_participant_page_emit_toast (self, toast);
}

/* A status step is written at once and the workflow only goes forward; a coach who picked the
 * wrong step takes it back here. The undo is refused if the status moved on in the meantime. */
static void
offer_status_undo (KoersParticipantPage *self,
                   KoersStatus           to)
{
  g_autoptr(AdwToast) toast = NULL;
  g_autofree char *escaped = g_markup_escape_text (koers_status_label (to), -1);
  g_autofree char *text = NULL;
  Undo *undo;

  /* Translators: toast after a status change; %s is the new status, e.g. "Intake" */
  text = g_strdup_printf (_("Status changed to %s"), escaped);
  toast = adw_toast_new (text);
  undo = attach_undo (self, toast, UNDO_STATUS, self->participant_id);
  undo->status = to;
  undo->holding = hold_sync (self->context);
  g_signal_connect (toast, "dismissed", G_CALLBACK (undo_toast_dismissed), undo);
  koers_participant_page_emit_toast (self, toast);
}

typedef struct {
  KoersParticipantPage *page;
  KoersContext         *context;  /* held the sync from before the write (hold_sync) */
  KoersStatus           to;
} StatusCall;

/* Shows what went wrong beside the status, where the user looks after acting; on success offers
 * to undo the step. */
static void
status_changed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  StatusCall *call = user_data;
  g_autoptr(KoersParticipantPage) self = call->page;
  g_autoptr(KoersContext) context = call->context;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  KoersStatus to = call->to;

  g_free (call);
  id = koers_store_run_finish (KOERS_STORE (source), result, &error);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->context != NULL)
    {
      if (id == NULL)
        koers_participant_page_show_message (self, error->message);
      else
        offer_status_undo (self, to);
    }
  /* The toast holds the sync now (or there is nothing to hold it for). */
  release_sync (context);
}

typedef struct {
  KoersParticipantPage *page;
  int                   table;
  char                 *title;
} RemoveCall;

static void
record_removed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RemoveCall *call = user_data;
  g_autoptr(KoersParticipantPage) self = call->page;
  g_autofree char *title = call->title;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  int table = call->table;

  g_free (call);
  id = koers_store_run_finish (KOERS_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->context == NULL)
    return;
  if (id == NULL)
    koers_participant_page_show_message (self, error->message);
  else
    offer_undo (self, table, id, title);
}

/* Removes at once, without asking: the toast that follows offers to undo it. */
static void
remove_record (KoersParticipantPage *self,
               int                   table,
               const char           *id,
               const char           *title)
{
  PageJob *job = page_job_new (self, id);
  RemoveCall *call = g_new0 (RemoveCall, 1);

  job->table = table;
  call->page = g_object_ref (self);
  call->table = table;
  call->title = g_strdup (title);
  koers_participant_page_show_message (self, NULL);
  koers_store_run_async (koers_context_get_store (self->context), remove_job_run, job,
                         page_job_free, g_free, table == REMOVE_ACTIVITY ? "activities" : "skills",
                         self->cancellable, record_removed, call);
}

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
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (widget);
  PageJob *job = page_job_new (self, self->participant_id);

  /* No confirmation: the window offers undo, which restores the tombstoned record. */
  job->table = REMOVE_PARTICIPANT;
  run_job (self, remove_job_run, job, "participants", delete_done);
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
    remove_record (self, REMOVE_ACTIVITY, id, activity->title);
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
    remove_record (self, REMOVE_SKILL, id, skill->label);
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
  if (self->context != NULL)
    offer_status_undo (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog),
                                                                 "koers-status-to")));
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
  StatusCall *call;
  PageJob *job;

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

  job = page_job_new (self, self->participant_id);
  job->participant = koers_participant_copy (p);
  koers_participant_set_status (job->participant, to);
  call = g_new0 (StatusCall, 1);
  call->page = g_object_ref (self);
  call->to = to;
  /* Held from before the write, so no run can slip in between the write and its toast. */
  call->context = g_object_ref (self->context);
  hold_sync (call->context);
  koers_participant_page_show_message (self, NULL);
  koers_store_run_async (koers_context_get_store (self->context), update_job_run, job,
                         page_job_free, g_free, "participants", self->cancellable,
                         status_changed, call);
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

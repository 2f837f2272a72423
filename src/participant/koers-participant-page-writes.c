/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The participant page's own writes through the store: deleting the participant (the window
 * offers its undo), removing an activity or a skill, and a status step. A removal or a step
 * is written at once and its toast offers to undo it; a status step holds the sync back
 * until that toast is gone. The actions that lead here are in koers-participant-page-actions.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-participant-page-private.h"

#include "app/koers-sync-service.h"
#include "core/koers-i18n.h"
#include "core/koers-status.h"
#include "participant/koers-participant-display.h"
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
void
koers_participant_page_offer_status_undo (KoersParticipantPage *self,
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
        koers_participant_page_offer_status_undo (self, to);
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

/* --- what the actions call --------------------------------------------------------------- */

void
koers_participant_page_delete_participant (KoersParticipantPage *self)
{
  PageJob *job = page_job_new (self, self->participant_id);

  job->table = REMOVE_PARTICIPANT;
  run_job (self, remove_job_run, job, "participants", delete_done);
}

void
koers_participant_page_remove_activity (KoersParticipantPage *self,
                                        const char           *id,
                                        const char           *title)
{
  remove_record (self, REMOVE_ACTIVITY, id, title);
}

void
koers_participant_page_remove_skill (KoersParticipantPage *self,
                                     const char           *id,
                                     const char           *title)
{
  remove_record (self, REMOVE_SKILL, id, title);
}

void
koers_participant_page_write_status (KoersParticipantPage *self,
                                     KoersStatus           to)
{
  PageJob *job = page_job_new (self, self->participant_id);
  StatusCall *call;

  job->participant = koers_participant_copy (self->file->participant);
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

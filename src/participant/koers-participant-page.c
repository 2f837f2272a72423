/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-participant-page.h"
#include "participant/koers-participant-page-private.h"

#include "core/koers-status.h"
#include "participant/koers-conflict-badge.h"
#include "participant/koers-participant-display.h"
#include "storage/koers-activity-repository.h"
#include "storage/koers-organisation-repository.h"
#include "storage/koers-consent-repository.h"
#include "storage/koers-note-repository.h"
#include "storage/koers-participant-repository.h"
#include "storage/koers-skill-repository.h"
#include "sync/koers-sync-review.h"
#include "window/koers-loading-spinner.h"

G_DEFINE_FINAL_TYPE (KoersParticipantPage, koers_participant_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_PARTICIPANT_ID,
  PROP_LOADED,
  N_PROPS
};

enum {
  DELETED,
  CLOSED,
  OPEN_PARTICIPANT,
  ADD_TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void koers_participant_page_reload (KoersParticipantPage *self);

void
koers_participant_file_free (KoersParticipantFile *file)
{
  if (file == NULL)
    return;
  g_clear_object (&file->participant);
  g_free (file->coach_name);
  g_clear_pointer (&file->note_threads, g_ptr_array_unref);
  g_clear_pointer (&file->activities, g_ptr_array_unref);
  g_clear_pointer (&file->skills, g_ptr_array_unref);
  g_clear_pointer (&file->consents, g_ptr_array_unref);
  g_clear_pointer (&file->conflicts, g_ptr_array_unref);
  g_free (file);
}

/* --- reading the file on the store's worker ---------------------------------------------- */

typedef struct {
  char *id;
  char *actor;
  char *purpose;
  /* Only the first read of the page is an opening of the file (audited); later reads refresh
   * what this session already opened, so they leave no second OPEN event. */
  gboolean opening;
} LoadJob;

static void
load_job_free (gpointer data)
{
  LoadJob *job = data;

  g_free (job->id);
  g_free (job->actor);
  g_free (job->purpose);
  g_free (job);
}

static GPtrArray *
load_note_threads (KoersDatabase *db,
                   const char    *participant_id,
                   GError       **error)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) threads =
    g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  notes = koers_note_repository_list_for_participant (db, participant_id, error);
  if (notes == NULL)
    return NULL;
  /* Each note moves into its thread or is freed here. */
  g_ptr_array_set_free_func (notes, NULL);

  for (guint i = 0; i < notes->len; i++)
    {
      KoersNote *note = g_ptr_array_index (notes, i);
      GPtrArray *thread;

      if (note->revision > 1)
        {
          thread = koers_note_repository_list_revisions (db, note->meta.id, error);
          koers_note_free (note);
          if (thread == NULL)
            {
              for (guint j = i + 1; j < notes->len; j++)
                koers_note_free (g_ptr_array_index (notes, j));
              return NULL;
            }
        }
      else
        {
          thread = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_note_free);
          g_ptr_array_add (thread, note);
        }
      g_ptr_array_add (threads, thread);
    }
  return g_steal_pointer (&threads);
}

static gpointer
load_job_run (KoersDatabase *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  LoadJob *job = data;
  g_autoptr(KoersParticipantFile) file = g_new0 (KoersParticipantFile, 1);
  const char *coach_id;

  if (job->opening)
    file->participant = koers_participant_repository_get (db, job->id, job->actor, job->purpose,
                                                          error);
  else
    file->participant = koers_participant_repository_reload (db, job->id, error);
  if (file->participant == NULL)
    return NULL;

  coach_id = koers_participant_get_coach_id (file->participant);
  if (coach_id != NULL)
    {
      g_autoptr(KoersCoach) coach = koers_coach_repository_get (db, coach_id, error);

      if (coach == NULL)
        return NULL;
      file->coach_name = g_strdup (coach->name);
    }

  file->note_threads = load_note_threads (db, job->id, error);
  if (file->note_threads == NULL)
    return NULL;
  file->activities = koers_activity_repository_list (db, job->id, error);
  if (file->activities == NULL)
    return NULL;
  file->skills = koers_skill_repository_list (db, job->id, error);
  if (file->skills == NULL)
    return NULL;
  file->consents = koers_consent_repository_list (db, job->id, error);
  if (file->consents == NULL)
    return NULL;
  /* Fields changed here and on another device show a badge (issue 5). */
  {
    g_autoptr(KoersSyncReview) review = koers_sync_review_load (db, job->id, error);

    if (review == NULL)
      return NULL;
    file->conflicts = g_ptr_array_ref (review->conflicts);
  }
  return g_steal_pointer (&file);
}

/* --- showing it ----------------------------------------------------------------------------- */

static void
rebuild_status_menu (KoersParticipantPage *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  KoersStatus status = koers_participant_get_status (self->file->participant);
  const KoersStatus *next;
  guint n_next = 0;

  next = koers_status_next (status, &n_next);
  for (guint i = 0; i < n_next; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (koers_status_label (next[i]), NULL);

      g_menu_item_set_action_and_target_value (item, "participant.change-status",
                                               g_variant_new_string (koers_status_to_id (next[i])));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->status_button, G_MENU_MODEL (menu));
}

static void
show_name_badge (KoersParticipantPage *self)
{
  const char *conflict_id = NULL;

  for (guint i = 0; i < self->file->conflicts->len && conflict_id == NULL; i++)
    {
      KoersSyncConflict *conflict = g_ptr_array_index (self->file->conflicts, i);

      if (!conflict->waiting && g_strcmp0 (conflict->entity, "deelnemers") == 0
          && (g_strcmp0 (conflict->field, "naam") == 0
              || g_strcmp0 (conflict->field, "roepnaam") == 0))
        conflict_id = conflict->id;
    }
  koers_conflict_badge_set_conflict (self->name_badge, conflict_id);
}

static void
koers_participant_page_show_file (KoersParticipantPage *self)
{
  KoersParticipant *p = self->file->participant;
  g_autofree char *name = koers_display_participant_name (p);
  g_autofree char *summary = NULL;
  g_autofree char *coach = NULL;
  g_autofree char *next_date = NULL;

  gtk_label_set_text (self->name_label, name);
  /* The facts a coach looks for first sit under the name; the full profile follows the
   * notes, which are what the page is mostly used for. */
  coach = self->file->coach_name != NULL ? koers_display_isolate (self->file->coach_name)
                                         : g_strdup (_("no coach assigned"));
  next_date = koers_display_date (koers_participant_get_next_action_date (p), NULL);
  if (next_date != NULL)
    /* Translators: under a participant's name: status · target group · municipality ·
     * coach · date of the next action */
    summary = g_strdup_printf (_("%s · %s · %s · %s · next action %s"),
                               koers_status_label (koers_participant_get_status (p)),
                               koers_target_group_label (koers_participant_get_target_group (p)),
                               koers_municipality_label (koers_participant_get_municipality (p)),
                               coach, next_date);
  else
    /* Translators: under a participant's name: status · target group · municipality · coach */
    summary = g_strdup_printf (_("%s · %s · %s · %s"),
                               koers_status_label (koers_participant_get_status (p)),
                               koers_target_group_label (koers_participant_get_target_group (p)),
                               koers_municipality_label (koers_participant_get_municipality (p)),
                               coach);
  gtk_label_set_text (self->summary_label, summary);

  koers_participant_profile_set_participant (self->profile, p, self->file->coach_name);
  koers_participant_profile_set_conflicts (self->profile, self->file->conflicts);
  show_name_badge (self);
  koers_notes_timeline_set_notes (self->notes, self->file->note_threads);
  koers_activities_list_set_items (self->activities, self->file->activities,
                                   self->file->conflicts);
  koers_skills_list_set_items (self->skills, self->file->skills, self->file->conflicts);
  koers_consent_list_set_items (self->consents, self->file->consents, self->file->conflicts);
  rebuild_status_menu (self);

  gtk_stack_set_visible_child_name (self->stack, "content");
  koers_participant_page_update_actions (self);
}

static void
load_job_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KoersParticipantPage) self = user_data;
  g_autoptr(GError) error = NULL;
  KoersParticipantFile *file;

  file = koers_store_run_finish (KOERS_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->context == NULL)
    {
      koers_participant_file_free (file);
      return;
    }

  self->busy = FALSE;
  if (file == NULL)
    {
      adw_status_page_set_description (self->error_status, error->message);
      if (self->file == NULL)
        gtk_stack_set_visible_child_name (self->stack, "error");
      else
        koers_participant_page_show_message (self, error->message);
    }
  else
    {
      koers_participant_file_free (self->file);
      self->file = file;
      koers_participant_page_show_file (self);
    }

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  if (self->reload_pending)
    koers_participant_page_reload (self);
  else
    koers_participant_page_update_actions (self);
}

static void
koers_participant_page_reload (KoersParticipantPage *self)
{
  LoadJob *job;
  GSettings *settings = koers_context_get_settings (self->context);
  g_autofree char *purpose = NULL;

  if (self->busy)
    {
      /* A change landed while reading: read once more when this read is done. */
      self->reload_pending = TRUE;
      return;
    }
  self->reload_pending = FALSE;

  if (settings != NULL)
    purpose = g_settings_get_string (settings, "audit-purpose");
  if (purpose == NULL || *purpose == '\0')
    {
      g_free (purpose);
      /* The purpose recorded with every opening of a file (AVG purpose limitation). */
      purpose = g_strdup (_("Guidance"));
    }

  job = g_new0 (LoadJob, 1);
  job->id = g_strdup (self->participant_id);
  job->actor = g_strdup (koers_context_get_actor (self->context));
  job->purpose = g_steal_pointer (&purpose);
  job->opening = !self->loaded;

  self->busy = TRUE;
  koers_participant_page_update_actions (self);
  koers_store_run_async (koers_context_get_store (self->context), load_job_run, job,
                         load_job_free, (GDestroyNotify) koers_participant_file_free,
                         NULL, self->cancellable, load_job_done, g_object_ref (self));
}

static void
on_store_changed (KoersParticipantPage *self,
                  const char           *what,
                  KoersStore           *store)
{
  koers_participant_page_reload (self);
}

/* --- helpers for the actions ------------------------------------------------------------- */

void
koers_participant_page_update_actions (KoersParticipantPage *self)
{
  gboolean have = self->file != NULL;
  gboolean live = have && !koers_participant_get_deleted (self->file->participant);
  gboolean can_move = live && !koers_status_is_final (koers_participant_get_status (
                                                       self->file->participant));
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "participant.edit", live);
  gtk_widget_action_set_enabled (widget, "participant.delete", live);
  gtk_widget_action_set_enabled (widget, "participant.add-note", live);
  gtk_widget_action_set_enabled (widget, "participant.edit-note", live);
  gtk_widget_action_set_enabled (widget, "participant.add-activity", live);
  gtk_widget_action_set_enabled (widget, "participant.edit-activity", live);
  gtk_widget_action_set_enabled (widget, "participant.remove-activity", live);
  gtk_widget_action_set_enabled (widget, "participant.add-skill", live);
  gtk_widget_action_set_enabled (widget, "participant.edit-skill", live);
  gtk_widget_action_set_enabled (widget, "participant.remove-skill", live);
  gtk_widget_action_set_enabled (widget, "participant.give-consent", live);
  gtk_widget_action_set_enabled (widget, "participant.withdraw-consent", live);
  gtk_widget_action_set_enabled (widget, "participant.change-status", can_move);
  gtk_widget_set_sensitive (GTK_WIDGET (self->status_button), can_move);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_button),
                               can_move || !live
                               ? _("Move the trajectory to its next step")
                               : _("The trajectory has ended; its status is final"));
}

void
koers_participant_page_show_message (KoersParticipantPage *self,
                                     const char           *message)
{
  gtk_label_set_text (self->status_message, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_message), message != NULL && *message != '\0');
}

void
koers_participant_page_emit_deleted (KoersParticipantPage *self,
                                     const char           *id,
                                     const char           *name)
{
  g_signal_emit (self, signals[DELETED], 0, id, name);
}

void
koers_participant_page_emit_toast (KoersParticipantPage *self,
                                   AdwToast             *toast)
{
  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

void
koers_participant_page_emit_closed (KoersParticipantPage *self)
{
  g_signal_emit (self, signals[CLOSED], 0);
}

void
koers_participant_page_emit_open_participant (KoersParticipantPage *self,
                                              const char           *id)
{
  g_signal_emit (self, signals[OPEN_PARTICIPANT], 0, id);
}

GtkWindow *
koers_participant_page_get_window (KoersParticipantPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* --- GObject ------------------------------------------------------------------------------ */

static void
koers_participant_page_constructed (GObject *object)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (object);

  G_OBJECT_CLASS (koers_participant_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  g_assert (self->participant_id != NULL);

  g_signal_connect_object (koers_context_get_store (self->context), "changed",
                           G_CALLBACK (on_store_changed), self, G_CONNECT_SWAPPED);
  koers_participant_page_reload (self);
}

static void
koers_participant_page_dispose (GObject *object)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  /* The bin\'s child is a template child too: let the bin drop it first, once. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_PARTICIPANT_PAGE);
  g_clear_object (&self->context);
  g_clear_pointer (&self->file, koers_participant_file_free);

  G_OBJECT_CLASS (koers_participant_page_parent_class)->dispose (object);
}

static void
koers_participant_page_finalize (GObject *object)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->participant_id);

  G_OBJECT_CLASS (koers_participant_page_parent_class)->finalize (object);
}

static void
koers_participant_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_PARTICIPANT_ID:
      g_value_set_string (value, self->participant_id);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_participant_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  KoersParticipantPage *self = KOERS_PARTICIPANT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_PARTICIPANT_ID:
      self->participant_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_participant_page_class_init (KoersParticipantPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = koers_participant_page_constructed;
  object_class->dispose = koers_participant_page_dispose;
  object_class->finalize = koers_participant_page_finalize;
  object_class->get_property = koers_participant_page_get_property;
  object_class->set_property = koers_participant_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, KOERS_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PARTICIPANT_ID] =
    g_param_spec_string ("participant-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DELETED] = g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   G_TYPE_STRING, G_TYPE_STRING);
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[OPEN_PARTICIPANT] = g_signal_new ("open-participant", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  g_type_ensure (KOERS_TYPE_PARTICIPANT_PROFILE);
  g_type_ensure (KOERS_TYPE_NOTES_TIMELINE);
  g_type_ensure (KOERS_TYPE_ACTIVITIES_LIST);
  g_type_ensure (KOERS_TYPE_SKILLS_LIST);
  g_type_ensure (KOERS_TYPE_CONSENT_LIST);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/nl/achterhoek/Koers/participant/koers-participant-page.ui");
  koers_loading_spinner_bind_callbacks (widget_class);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantPage, name_badge_bin);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantPage, status_message);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantPage, status_button);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantPage, profile);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantPage, notes);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantPage, activities);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantPage, skills);
  gtk_widget_class_bind_template_child (widget_class, KoersParticipantPage, consents);

  koers_participant_page_class_init_actions (widget_class);
}

static void
koers_participant_page_init (KoersParticipantPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->name_badge = koers_conflict_badge_new ();
  adw_bin_set_child (self->name_badge_bin, self->name_badge);
  self->cancellable = g_cancellable_new ();
  koers_participant_page_update_actions (self);
}

KoersParticipantPage *
koers_participant_page_new (KoersContext *context,
                            const char   *participant_id)
{
  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (participant_id != NULL, NULL);

  return g_object_new (KOERS_TYPE_PARTICIPANT_PAGE,
                       "context", context,
                       "participant-id", participant_id,
                       NULL);
}

const char *
koers_participant_page_get_participant_id (KoersParticipantPage *self)
{
  g_return_val_if_fail (KOERS_IS_PARTICIPANT_PAGE (self), NULL);

  return self->participant_id;
}

gboolean
koers_participant_page_get_loaded (KoersParticipantPage *self)
{
  g_return_val_if_fail (KOERS_IS_PARTICIPANT_PAGE (self), FALSE);

  return self->loaded;
}

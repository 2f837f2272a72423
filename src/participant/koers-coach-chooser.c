/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-coach-chooser.h"

#include "participant/koers-participant-display.h"
#include "storage/koers-organisation-repository.h"
#include "sync/koers-sync-staff.h"

struct _KoersCoachChooser
{
  GObject       parent_instance;

  AdwComboRow  *row;          /* weak */
  KoersContext *context;
  GCancellable *cancellable;
  GPtrArray    *ids;          /* ids[i] for row i; ids[0] is NULL = unassigned */
  char         *selected_id;  /* until the list is in */
  gboolean      loaded;
  gboolean      default_to_self;
};

/* What the list job finds: the coaches, and the signed-in coach a new participant gets. */
typedef struct {
  GPtrArray *coaches;
  char      *self_id;   /* (nullable) */
} CoachList;

static void
coach_list_free (gpointer data)
{
  CoachList *list = data;

  g_clear_pointer (&list->coaches, g_ptr_array_unref);
  g_free (list->self_id);
  g_free (list);
}

G_DEFINE_FINAL_TYPE (KoersCoachChooser, koers_coach_chooser, G_TYPE_OBJECT)

enum {
  LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gpointer
list_coaches_run (KoersDatabase *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  CoachList *list = g_new0 (CoachList, 1);

  list->coaches = koers_coach_repository_list (db, error);
  if (list->coaches == NULL)
    {
      coach_list_free (list);
      return NULL;
    }
  /* Signed in as a coach: the server takes new participants from a coach only in their own
   * caseload, so that is the default. */
  if (GPOINTER_TO_INT (data))
    list->self_id = koers_sync_staff_dup_default_coach (db);
  return list;
}

static void
list_coaches_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KoersCoachChooser) self = user_data;
  g_autoptr(GError) error = NULL;
  CoachList *list = NULL;
  GPtrArray *coaches;
  g_autoptr(GtkStringList) labels = NULL;
  guint selected = 0;

  list = koers_store_run_finish (KOERS_STORE (source), result, &error);
  if (self->row == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&list, coach_list_free);
      return;
    }
  if (list == NULL)
    {
      /* The participant can still be saved; the coach stays as it was. */
      g_warning ("Could not load coaches: %s", error->message);
      return;
    }

  coaches = list->coaches;
  if (self->selected_id == NULL && list->self_id != NULL)
    self->selected_id = g_strdup (list->self_id);
  labels = gtk_string_list_new (NULL);
  gtk_string_list_append (labels, _("Unassigned"));
  g_ptr_array_set_size (self->ids, 0);
  g_ptr_array_add (self->ids, NULL);
  for (guint i = 0; i < coaches->len; i++)
    {
      KoersCoach *coach = g_ptr_array_index (coaches, i);
      g_autofree char *name = koers_display_isolate (coach->name);

      gtk_string_list_append (labels, name);
      g_ptr_array_add (self->ids, g_strdup (coach->meta.id));
      if (g_strcmp0 (coach->meta.id, self->selected_id) == 0)
        selected = i + 1;
    }

  self->loaded = TRUE;
  adw_combo_row_set_model (self->row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->row, selected);
  coach_list_free (list);
  g_signal_emit (self, signals[LOADED], 0);
}

static void
koers_coach_chooser_dispose (GObject *object)
{
  KoersCoachChooser *self = KOERS_COACH_CHOOSER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->row);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (koers_coach_chooser_parent_class)->dispose (object);
}

static void
koers_coach_chooser_finalize (GObject *object)
{
  KoersCoachChooser *self = KOERS_COACH_CHOOSER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->ids, g_ptr_array_unref);
  g_free (self->selected_id);

  G_OBJECT_CLASS (koers_coach_chooser_parent_class)->finalize (object);
}

static void
koers_coach_chooser_class_init (KoersCoachChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = koers_coach_chooser_dispose;
  object_class->finalize = koers_coach_chooser_finalize;

  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
koers_coach_chooser_init (KoersCoachChooser *self)
{
  self->cancellable = g_cancellable_new ();
  self->ids = g_ptr_array_new_with_free_func (g_free);
}

static KoersCoachChooser *
coach_chooser_new (AdwComboRow  *row,
                   KoersContext *context,
                   const char   *selected_id,
                   gboolean      default_to_self)
{
  KoersCoachChooser *self;
  g_autoptr(GtkStringList) labels = NULL;

  self = g_object_new (KOERS_TYPE_COACH_CHOOSER, NULL);
  g_set_weak_pointer (&self->row, row);
  self->context = g_object_ref (context);
  self->selected_id = g_strdup (selected_id);
  self->default_to_self = default_to_self;

  labels = gtk_string_list_new (NULL);
  gtk_string_list_append (labels, selected_id != NULL || default_to_self ? _("Loading…")
                                                                           : _("Unassigned"));
  adw_combo_row_set_model (row, G_LIST_MODEL (labels));

  koers_store_run_async (koers_context_get_store (context), list_coaches_run,
                         GINT_TO_POINTER (default_to_self), NULL, coach_list_free, NULL,
                         self->cancellable, list_coaches_done, g_object_ref (self));
  return self;
}

KoersCoachChooser *
koers_coach_chooser_new (AdwComboRow  *row,
                         KoersContext *context,
                         const char   *selected_id)
{
  g_return_val_if_fail (ADW_IS_COMBO_ROW (row), NULL);
  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);

  return coach_chooser_new (row, context, selected_id, FALSE);
}

KoersCoachChooser *
koers_coach_chooser_new_for_new_participant (AdwComboRow  *row,
                                             KoersContext *context)
{
  g_return_val_if_fail (ADW_IS_COMBO_ROW (row), NULL);
  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);

  return coach_chooser_new (row, context, NULL, TRUE);
}

const char *
koers_coach_chooser_get_selected_id (KoersCoachChooser *self)
{
  guint selected;

  g_return_val_if_fail (KOERS_IS_COACH_CHOOSER (self), NULL);

  if (!self->loaded || self->row == NULL)
    return self->selected_id;
  selected = adw_combo_row_get_selected (self->row);
  if (selected >= self->ids->len)
    return NULL;
  return g_ptr_array_index (self->ids, selected);
}

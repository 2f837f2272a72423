/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "caseload/koers-caseload-page-private.h"
#include "storage/koers-organisation-repository.h"

/* Every dropdown starts with "All ..." at position 0; the vocabularies follow in their enum
 * order, so position - 1 is the enum value. */

static GListModel *
vocabulary_model (const char  *all,
                  guint        n,
                  const char *(*label) (int value))
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, all);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, label (i));
  return G_LIST_MODEL (list);
}

static const char *
status_label (int value)
{
  return koers_status_label (value);
}

static const char *
target_group_label (int value)
{
  return koers_target_group_label (value);
}

static const char *
municipality_label (int value)
{
  return koers_municipality_label (value);
}

static const char *
project_line_label (int value)
{
  return koers_project_line_label (value + 1);
}

static void
set_model (GtkDropDown *dropdown,
           GListModel  *model)
{
  gtk_drop_down_set_model (dropdown, model);
  gtk_drop_down_set_selected (dropdown, 0);
  g_object_unref (model);
}

/* --- coaches ---------------------------------------------------------------------------- */

static gpointer
list_coaches_job (KoersDatabase  *db,
                  gpointer        data,
                  GCancellable   *cancellable,
                  GError        **error)
{
  return koers_coach_repository_list (db, error);
}

static void
list_coaches_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KoersCaseloadPage) self = user_data;
  g_autoptr(GPtrArray) coaches = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) list = NULL;
  g_autofree char *selected_id = NULL;
  guint selected = 0;

  coaches = koers_store_run_finish (KOERS_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      g_warning ("Could not list the coaches: %s", error->message);
      return;
    }

  /* Keep the coach the user picked when the list is rebuilt after a write. */
  selected = gtk_drop_down_get_selected (self->coach_dropdown);
  if (selected > 0 && selected - 1 < self->coach_ids->len)
    selected_id = g_strdup (g_ptr_array_index (self->coach_ids, selected - 1));
  selected = 0;

  list = gtk_string_list_new (NULL);
  gtk_string_list_append (list, _("All Coaches"));
  g_ptr_array_set_size (self->coach_ids, 0);
  for (guint i = 0; i < coaches->len; i++)
    {
      KoersCoach *coach = g_ptr_array_index (coaches, i);

      gtk_string_list_append (list, coach->name);
      g_ptr_array_add (self->coach_ids, g_strdup (coach->meta.id));
      if (g_strcmp0 (coach->meta.id, selected_id) == 0)
        selected = i + 1;
    }

  self->updating_filters = TRUE;
  gtk_drop_down_set_model (self->coach_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->coach_dropdown, selected);
  self->updating_filters = FALSE;
}

static void
load_coaches (KoersCaseloadPage *self)
{
  if (self->coach_cancellable != NULL)
    g_cancellable_cancel (self->coach_cancellable);
  g_clear_object (&self->coach_cancellable);
  self->coach_cancellable = g_cancellable_new ();

  koers_store_run_async (koers_context_get_store (self->context), list_coaches_job, NULL, NULL,
                         (GDestroyNotify) g_ptr_array_unref, NULL, self->coach_cancellable,
                         list_coaches_done, g_object_ref (self));
}

static void
coaches_changed_cb (KoersCaseloadPage *self,
                    const char        *what,
                    KoersStore        *store)
{
  load_coaches (self);
}

/* --- filters ---------------------------------------------------------------------------- */

void
koers_caseload_page_setup_filters (KoersCaseloadPage *self)
{
  GtkStringList *coaches = gtk_string_list_new (NULL);

  self->coach_ids = g_ptr_array_new_with_free_func (g_free);

  self->updating_filters = TRUE;
  set_model (self->status_dropdown,
             vocabulary_model (_("All Statuses"), KOERS_N_STATUSES, status_label));
  set_model (self->target_group_dropdown,
             vocabulary_model (_("All Target Groups"), KOERS_N_TARGET_GROUPS,
                               target_group_label));
  set_model (self->municipality_dropdown,
             vocabulary_model (_("All Municipalities"), KOERS_N_MUNICIPALITIES,
                               municipality_label));
  set_model (self->project_line_dropdown,
             vocabulary_model (_("All Project Lines"), KOERS_N_PROJECT_LINES,
                               project_line_label));
  gtk_string_list_append (coaches, _("All Coaches"));
  set_model (self->coach_dropdown, G_LIST_MODEL (coaches));
  self->updating_filters = FALSE;

  g_signal_connect_object (koers_context_get_store (self->context), "changed::coaches",
                           G_CALLBACK (coaches_changed_cb), self, G_CONNECT_SWAPPED);
  load_coaches (self);
}

void
koers_caseload_page_dispose_filters (KoersCaseloadPage *self)
{
  if (self->coach_cancellable != NULL)
    g_cancellable_cancel (self->coach_cancellable);
  g_clear_object (&self->coach_cancellable);
  g_clear_pointer (&self->coach_ids, g_ptr_array_unref);
}

void
koers_caseload_page_reset_filters (KoersCaseloadPage *self)
{
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  gtk_drop_down_set_selected (self->coach_dropdown, 0);
  gtk_drop_down_set_selected (self->target_group_dropdown, 0);
  gtk_drop_down_set_selected (self->municipality_dropdown, 0);
  gtk_drop_down_set_selected (self->project_line_dropdown, 0);
}

static int
selected_value (GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  return selected == 0 || selected == GTK_INVALID_LIST_POSITION ? -1 : (int) selected - 1;
}

void
koers_caseload_page_read_filters (KoersCaseloadPage  *self,
                                  KoersCaseloadQuery *query)
{
  int coach = selected_value (self->coach_dropdown);
  int line = selected_value (self->project_line_dropdown);

  query->status = selected_value (self->status_dropdown);
  query->target_group = selected_value (self->target_group_dropdown);
  query->municipality = selected_value (self->municipality_dropdown);
  query->project_line = line < 0 ? 0 : line + 1;
  g_free (query->coach_id);
  query->coach_id = coach >= 0 && (guint) coach < self->coach_ids->len
                    ? g_strdup (g_ptr_array_index (self->coach_ids, coach))
                    : NULL;
}

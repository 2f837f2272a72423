/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-activities-list.h"

#include "participant/koers-participant-display.h"
#include "participant/koers-section-util.h"
#include "core/koers-sync-entities.h"
#include "storage/koers-activity-repository.h"

struct _KoersActivitiesList
{
  AdwBin               parent_instance;

  AdwPreferencesGroup *group;
  GtkListBox          *list;
  guint                n_items;
};

G_DEFINE_FINAL_TYPE (KoersActivitiesList, koers_activities_list, ADW_TYPE_BIN)

/* "Proeverij · Zorg · 01-11-2026 – 15-11-2026": kind, what makes it this kind, when. */
static char *
activity_subtitle (const KoersActivity *activity)
{
  GString *out = g_string_new (koers_activity_kind_label (activity->kind));
  g_autofree char *started = koers_display_date (activity->started_on, NULL);
  g_autofree char *ended = koers_display_date (activity->ended_on, NULL);

  if (activity->kind == KOERS_ACTIVITY_PROEVERIJ && activity->sector >= 0)
    g_string_append_printf (out, " · %s", koers_sector_label (activity->sector));
  if (activity->provider != NULL)
    {
      g_autofree char *provider = koers_display_isolate (activity->provider);

      g_string_append_printf (out, " · %s", provider);
    }
  if (activity->employer != NULL)
    {
      g_autofree char *employer = koers_display_isolate (activity->employer);

      g_string_append_printf (out, " · %s", employer);
    }
  if (koers_activity_kind_is_credential (activity->kind) && activity->nlqf_level > 0)
    {
      /* Translators: the level of a credential in the Dutch qualifications framework */
      g_autofree char *level = g_strdup_printf (_("NLQF %d"), activity->nlqf_level);

      g_string_append_printf (out, " · %s", level);
    }
  if (started != NULL && ended != NULL)
    g_string_append_printf (out, " · %s – %s", started, ended);
  else if (started != NULL)
    g_string_append_printf (out, " · %s", started);
  return g_string_free (out, FALSE);
}

void
koers_activities_list_set_items (KoersActivitiesList *self,
                                 GPtrArray           *items,
                                 GPtrArray           *conflicts)
{
  g_return_if_fail (KOERS_IS_ACTIVITIES_LIST (self));
  g_return_if_fail (items != NULL);

  koers_section_clear (self->list);
  self->n_items = items->len;
  if (items->len == 0)
    {
      koers_section_add_empty (self->list, _("No activities yet"));
      return;
    }
  for (guint i = 0; i < items->len; i++)
    {
      const KoersActivity *activity = g_ptr_array_index (items, i);
      g_autofree char *title = koers_display_isolate (activity->title);
      g_autofree char *subtitle = activity_subtitle (activity);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      koers_section_add_conflict_badge (ADW_ACTION_ROW (row), conflicts, KOERS_SYNC_ACTIVITIES,
                                        activity->meta.id);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 koers_section_button ("document-edit-symbolic",
                                                       _("Edit Activity"),
                                                       "participant.edit-activity",
                                                       activity->meta.id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 koers_section_button ("user-trash-symbolic",
                                                       _("Remove Activity"),
                                                       "participant.remove-activity",
                                                       activity->meta.id));
      gtk_list_box_append (self->list, row);
    }
}

guint
koers_activities_list_get_n_items (KoersActivitiesList *self)
{
  g_return_val_if_fail (KOERS_IS_ACTIVITIES_LIST (self), 0);

  return self->n_items;
}

static void
koers_activities_list_dispose (GObject *object)
{
  /* The bin\'s child is a template child too: let the bin drop it first, once. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_ACTIVITIES_LIST);

  G_OBJECT_CLASS (koers_activities_list_parent_class)->dispose (object);
}

static void
koers_activities_list_class_init (KoersActivitiesListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_activities_list_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
      "/nl/achterhoek/Koers/participant/koers-activities-list.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersActivitiesList, group);
  gtk_widget_class_bind_template_child (widget_class, KoersActivitiesList, list);
}

static void
koers_activities_list_init (KoersActivitiesList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  koers_section_add_empty (self->list, _("No activities yet"));
}

GtkWidget *
koers_activities_list_new (void)
{
  return g_object_new (KOERS_TYPE_ACTIVITIES_LIST, NULL);
}

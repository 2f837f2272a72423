/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-section-util.h"

#include "participant/koers-conflict-badge.h"
#include "sync/koers-sync-review.h"

void
koers_section_clear (GtkListBox *list)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_LIST_BOX (list));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

void
koers_section_add_empty (GtkListBox *list,
                         const char *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  g_return_if_fail (GTK_IS_LIST_BOX (list));

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_name (row, "empty");
  gtk_list_box_append (list, row);
}

void
koers_section_add_conflict_badge (AdwActionRow *row,
                                  GPtrArray    *conflicts,
                                  const char   *entity,
                                  const char   *record_id)
{
  GtkWidget *badge;

  g_return_if_fail (ADW_IS_ACTION_ROW (row));

  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      KoersSyncConflict *conflict = g_ptr_array_index (conflicts, i);

      /* A conflict the user already decided here waits for the server: no badge. */
      if (conflict->waiting || g_strcmp0 (conflict->entity, entity) != 0
          || g_strcmp0 (conflict->record_id, record_id) != 0)
        continue;
      badge = koers_conflict_badge_new ();
      koers_conflict_badge_set_conflict (badge, conflict->id);
      adw_action_row_add_suffix (row, badge);
      return;
    }
}

GtkWidget *
koers_section_button (const char *icon_name,
                      const char *label,
                      const char *action_name,
                      const char *id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (id));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  return button;
}

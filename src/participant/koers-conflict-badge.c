/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "participant/koers-conflict-badge.h"

GtkWidget *
koers_conflict_badge_new (void)
{
  GtkWidget *badge = gtk_button_new_from_icon_name ("dialog-warning-symbolic");

  gtk_widget_add_css_class (badge, "flat");
  gtk_widget_add_css_class (badge, "circular");
  gtk_widget_add_css_class (badge, "warning");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (badge, _("Conflict: also changed on another device"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (badge), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Show the conflict"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Conflict: also changed on another device"), -1);
  gtk_widget_set_visible (badge, FALSE);
  return badge;
}

void
koers_conflict_badge_set_conflict (GtkWidget *badge, const char *conflict_id)
{
  g_return_if_fail (GTK_IS_BUTTON (badge));

  /* The action is named only with its target: a window action taking a string would warn
   * about a badge that names it without one. */
  if (conflict_id != NULL)
    {
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (badge),
                                              g_variant_new_string (conflict_id));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (badge), KOERS_SHOW_CONFLICTS_ACTION);
    }
  else
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (badge), NULL);
    }
  gtk_widget_set_visible (badge, conflict_id != NULL);
}

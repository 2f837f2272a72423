/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's sync side: "Sync now", sign-in and sign-out, and the Conflicts area, which is
 * built only once the computer signs in (a caseload that never synced starts as before).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "window/koers-window-private.h"

#include "conflicts/koers-conflicts-page.h"
#include "window/koers-sign-in-dialog.h"

/* --- conflicts ------------------------------------------------------------------------- */

static void
update_conflicts_badge (KoersWindow *self)
{
  guint count = koers_conflicts_page_get_attention_count (KOERS_CONFLICTS_PAGE (
                                                            self->conflicts_page));
  g_autofree char *text = g_strdup_printf ("%u", count);
  /* Translators: the accessible name of the number beside "Conflicts" in the sidebar */
  g_autofree char *label = g_strdup_printf (ngettext ("%u conflict or refused change",
                                                      "%u conflicts or refused changes",
                                                      count), count);

  gtk_label_set_label (self->conflicts_badge, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->conflicts_badge),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_badge), count > 0);
  if (count > 0)
    gtk_widget_set_visible (GTK_WIDGET (self->conflicts_row), TRUE);
}

/* The Conflicts area exists once sync is in use: not built for a caseload that never synced
 * (start-up stays as it was), built when the computer signs in. */
static void
ensure_conflicts_page (KoersWindow *self)
{
  if (self->conflicts_page != NULL)
    return;

  self->conflicts_page = koers_conflicts_page_new (self->context);
  g_signal_connect_object (self->conflicts_page, "notify::attention-count",
                           G_CALLBACK (update_conflicts_badge), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->content_stack, self->conflicts_page, "conflicts");
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_row), TRUE);
  update_conflicts_badge (self);
}

static void
sync_signed_in_cb (KoersWindow *self)
{
  KoersSyncService *sync = koers_context_get_sync_service (self->context);

  if (sync != NULL && koers_sync_service_get_signed_in (sync))
    ensure_conflicts_page (self);
}

void
koers_window_show_conflicts (KoersWindow *self,
                             const char  *conflict_id)
{
  ensure_conflicts_page (self);
  gtk_stack_set_visible_child (self->content_stack, self->conflicts_page);
  adw_window_title_set_title (self->content_title, _("Conflicts"));
  gtk_list_box_select_row (self->sidebar_list, self->conflicts_row);
  koers_window_drop_participant_page (self);
  if (conflict_id != NULL && *conflict_id != '\0')
    koers_conflicts_page_show_conflict (KOERS_CONFLICTS_PAGE (self->conflicts_page),
                                        conflict_id);
  koers_window_update_actions (self);
}

static void
show_conflicts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  koers_window_show_conflicts (KOERS_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KoersWindow *self = KOERS_WINDOW (widget);

  koers_sync_service_sync_now (koers_context_get_sync_service (self->context));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KoersWindow *self = KOERS_WINDOW (widget);
  GListModel *toplevels = gtk_window_get_toplevels ();
  KoersSyncService *sync = koers_context_get_sync_service (self->context);

  /* One sign-in at a time: its answer from the browser belongs to one attempt. */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) open = g_list_model_get_item (toplevels, i);

      if (KOERS_IS_SIGN_IN_DIALOG (open)
          && gtk_window_get_transient_for (open) == GTK_WINDOW (self))
        {
          gtk_window_present (open);
          return;
        }
    }
  gtk_window_present (koers_sign_in_dialog_new (GTK_WINDOW (self), sync));
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  koers_sync_indicator_confirm_sign_out (KOERS_WINDOW (widget)->sync_indicator);
}

void
koers_window_init_sync (KoersWindow *self)
{
  KoersSyncService *sync = koers_context_get_sync_service (self->context);

  koers_sync_indicator_set_service (self->sync_indicator, sync);
  if (sync == NULL)
    return;
  g_signal_connect_object (sync, "notify", G_CALLBACK (koers_window_update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "notify::signed-in", G_CALLBACK (sync_signed_in_cb), self,
                           G_CONNECT_SWAPPED);
  sync_signed_in_cb (self);
}

void
koers_window_class_init_sync (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  /* With a conflict id from a field's badge, or "" for the page as it is. */
  gtk_widget_class_install_action (widget_class, "win.show-conflicts", "s",
                                   show_conflicts_action);
}

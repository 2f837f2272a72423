/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "window/koers-window.h"
#include "window/koers-window-private.h"
#include "window/koers-sync-indicator.h"
#include "caseload/koers-caseload-page.h"
#include "participant/koers-participant-editor.h"
#include "participant/koers-participant-page.h"
#include "storage/koers-participant-repository.h"


G_DEFINE_FINAL_TYPE (KoersWindow, koers_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
koers_window_update_actions (KoersWindow *self)
{
  gboolean on_participant = self->participant_page != NULL;

  gboolean bulk_busy = FALSE;

  if (self->caseload_page != NULL)
    g_object_get (self->caseload_page, "busy", &bulk_busy, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", on_participant);
  /* One import or export at a time: greyed out in the menu while a dialog is open. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", !bulk_busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", !bulk_busy);
  {
    KoersSyncService *sync = koers_context_get_sync_service (self->context);
    gboolean signed_in = sync != NULL && koers_sync_service_get_signed_in (sync);

    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync-now",
                                   signed_in && !koers_sync_service_get_needs_sign_in (sync));
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", signed_in);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-in", sync != NULL);
  }
  /* Ctrl+F always works: from a participant's file it returns to the caseload's search. */
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), on_participant);
}

/* --- participant pages ------------------------------------------------------------------ */

void
koers_window_drop_participant_page (KoersWindow *self)
{
  GtkWidget *page = g_steal_pointer (&self->participant_page);

  if (page != NULL)
    gtk_stack_remove (self->content_stack, page);
}

void
koers_window_show_caseload (KoersWindow *self)
{
  g_return_if_fail (KOERS_IS_WINDOW (self));

  gtk_stack_set_visible_child (self->content_stack, self->caseload_page);
  adw_window_title_set_title (self->content_title, _("Participants"));
  gtk_list_box_select_row (self->sidebar_list, self->participants_row);
  /* Removed after the transition would look nicer, but a closed file should be gone from the
   * widget tree at once: nothing may keep reading it. */
  koers_window_drop_participant_page (self);
  koers_window_update_actions (self);
}

typedef struct
{
  char *id;
  char *actor;
} RestoreJob;

static void
restore_job_free (gpointer data)
{
  RestoreJob *job = data;

  g_free (job->id);
  g_free (job->actor);
  g_free (job);
}

static gpointer
restore_job (KoersDatabase  *db,
             gpointer        data,
             GCancellable   *cancellable,
             GError        **error)
{
  RestoreJob *job = data;

  koers_participant_repository_set_deleted (db, job->id, FALSE, job->actor, error);
  return NULL;
}

static void
restore_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KoersWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  koers_store_run_finish (KOERS_STORE (object), result, &error);
  if (error != NULL)
    {
      g_autofree char *reason = g_markup_escape_text (error->message, -1);
      /* Translators: shown when undoing a deletion failed; %s is the reason */
      g_autofree char *title = g_strdup_printf (_("Could not restore: %s"), reason);

      koers_window_add_toast (self, adw_toast_new (title));
    }
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KoersWindow *self = KOERS_WINDOW (widget);
  RestoreJob *job = g_new0 (RestoreJob, 1);

  job->id = g_variant_dup_string (parameter, NULL);
  job->actor = g_strdup (koers_context_get_actor (self->context));
  koers_store_run_async (koers_context_get_store (self->context), restore_job, job,
                         restore_job_free, NULL, "participants", NULL, restore_done,
                         g_object_ref (self));
}

static void
participant_deleted_cb (KoersWindow *self,
                        const char  *id,
                        const char  *name,
                        GtkWidget   *page)
{
  g_autofree char *escaped = NULL;
  g_autofree char *isolated = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  koers_window_show_caseload (self);

  /* The name is the user's text: isolated so an Arabic name keeps the sentence in order, and
   * escaped because a toast title is markup in libadwaita 1.2. */
  escaped = g_markup_escape_text (name, -1);
  isolated = g_strconcat ("\xe2\x81\xa8", escaped, "\xe2\x81\xa9", NULL);
  /* Translators: toast after deleting a participant; %s is their name */
  title = g_strdup_printf (_("“%s” deleted"), isolated);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete");
  adw_toast_set_action_target_value (toast, g_variant_new_string (id));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  koers_window_add_toast (self, toast);
}

static void
page_toast_cb (KoersWindow *self,
               AdwToast    *toast,
               GtkWidget   *page)
{
  koers_window_add_toast (self, g_object_ref (toast));
}

static void
open_participant_cb (KoersWindow *self,
                     const char  *id,
                     GtkWidget   *page)
{
  /* Not from inside the old page's signal emission: opening replaces that page. */
  g_autofree char *copy = g_strdup (id);

  koers_window_open_participant (self, copy);
}

void
koers_window_open_participant (KoersWindow *self,
                               const char  *participant_id)
{
  GtkWidget *page;

  g_return_if_fail (KOERS_IS_WINDOW (self));
  g_return_if_fail (participant_id != NULL);

  koers_window_drop_participant_page (self);

  page = GTK_WIDGET (koers_participant_page_new (self->context, participant_id));
  g_signal_connect_object (page, "deleted", G_CALLBACK (participant_deleted_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "closed", G_CALLBACK (koers_window_show_caseload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "add-toast", G_CALLBACK (page_toast_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "open-participant", G_CALLBACK (open_participant_cb), self,
                           G_CONNECT_SWAPPED);
  self->participant_page = page;
  gtk_stack_add_named (self->content_stack, page, "participant");
  gtk_stack_set_visible_child (self->content_stack, page);
  adw_window_title_set_title (self->content_title, _("Participant"));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  koers_window_update_actions (self);
}

static void
participant_activated_cb (KoersWindow *self,
                          const char  *id,
                          GtkWidget   *page)
{
  koers_window_open_participant (self, id);
}

static void
editor_saved_cb (KoersWindow *self,
                 const char  *id,
                 GtkWindow   *editor)
{
  koers_window_open_participant (self, id);
}

/* --- actions ---------------------------------------------------------------------------- */

static void
new_participant_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KoersWindow *self = KOERS_WINDOW (widget);
  GtkWindow *editor = koers_participant_editor_new (GTK_WINDOW (self), self->context, NULL);

  /* A new participant's file opens once it is stored, so the coach can go on with it. */
  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (editor, "open-existing", G_CALLBACK (editor_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (editor);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersWindow *self = KOERS_WINDOW (widget);

  koers_window_show_caseload (self);
  koers_caseload_page_focus_search (KOERS_CASELOAD_PAGE (self->caseload_page));
}

/* The caseload page owns import and export (its list is what "the current list" means); the
 * primary menu and the shortcuts reach them from anywhere in the window. */
static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersWindow *self = KOERS_WINDOW (widget);

  koers_window_show_caseload (self);
  gtk_widget_activate_action (self->caseload_page, "caseload.import", NULL);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersWindow *self = KOERS_WINDOW (widget);

  koers_window_show_caseload (self);
  gtk_widget_activate_action (self->caseload_page, "caseload.export", NULL);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  koers_window_show_caseload (KOERS_WINDOW (widget));
}

static void
sidebar_row_activated_cb (KoersWindow   *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  if (row == self->participants_row)
    koers_window_show_caseload (self);
  else if (row == self->conflicts_row)
    koers_window_show_conflicts (self, NULL);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* --- window state ----------------------------------------------------------------------- */

static void
restore_window_state (KoersWindow *self)
{
  GSettings *settings = koers_context_get_settings (self->context);

  if (settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
koers_window_close_request (GtkWindow *window)
{
  KoersWindow *self = KOERS_WINDOW (window);
  GSettings *settings = koers_context_get_settings (self->context);

  if (settings != NULL)
    {
      int width = 0;
      int height = 0;

      /* The default size follows the window while it is not maximized, so a maximized
       * window remembers the size it returns to. */
      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (settings);
      if (width > 0 && height > 0)
        {
          g_settings_set_int (settings, "window-width", width);
          g_settings_set_int (settings, "window-height", height);
        }
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      g_settings_apply (settings);
    }

  return GTK_WINDOW_CLASS (koers_window_parent_class)->close_request (window);
}

/* The primary menu's popover and its rows are made when the menu first opens (a click, F10),
 * not for the window's first frame, which does not show them. */
static void
create_primary_menu (GtkMenuButton *button,
                     gpointer       user_data)
{
  KoersWindow *self = KOERS_WINDOW (user_data);

  gtk_menu_button_set_menu_model (button, self->primary_menu);
  gtk_menu_button_set_create_popup_func (button, NULL, NULL, NULL);
}

/* --- GObject ---------------------------------------------------------------------------- */

static void
koers_window_constructed (GObject *object)
{
  KoersWindow *self = KOERS_WINDOW (object);

  G_OBJECT_CLASS (koers_window_parent_class)->constructed (object);

  g_assert (self->context != NULL);

  restore_window_state (self);
  gtk_menu_button_set_create_popup_func (self->primary_menu_button, create_primary_menu, self,
                                         NULL);

  self->caseload_page = koers_caseload_page_new (self->context);
  g_signal_connect_object (self->caseload_page, "participant-activated",
                           G_CALLBACK (participant_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->caseload_page, "add-toast", G_CALLBACK (page_toast_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->caseload_page, "notify::busy", G_CALLBACK (koers_window_update_actions),
                           self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->content_stack, self->caseload_page, "caseload");
  gtk_stack_set_visible_child (self->content_stack, self->caseload_page);
  gtk_list_box_select_row (self->sidebar_list, self->participants_row);
  g_signal_connect_object (self->sync_indicator, "add-toast", G_CALLBACK (page_toast_cb), self,
                           G_CONNECT_SWAPPED);
  koers_window_init_sync (self);
  /* A narrow window folds the sidebar away: the coach lands on the caseload, not on a list
   * with one area in it (the back button leads to the sidebar). */
  adw_leaflet_set_visible_child_name (self->leaflet, "content");

#ifdef DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  koers_window_update_actions (self);
}

static void
koers_window_dispose (GObject *object)
{
  KoersWindow *self = KOERS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_WINDOW);
  self->caseload_page = NULL;
  self->participant_page = NULL;
  self->conflicts_page = NULL;
  g_clear_object (&self->context);

  G_OBJECT_CLASS (koers_window_parent_class)->dispose (object);
}

static void
koers_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KoersWindow *self = KOERS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  KoersWindow *self = KOERS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_window_class_init (KoersWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = koers_window_constructed;
  object_class->dispose = koers_window_dispose;
  object_class->get_property = koers_window_get_property;
  object_class->set_property = koers_window_set_property;
  window_class->close_request = koers_window_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, KOERS_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KOERS_TYPE_SYNC_INDICATOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/achterhoek/Koers/window/koers-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, participants_row);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, conflicts_row);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, conflicts_badge);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, new_button);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, KoersWindow, sync_indicator);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.new-participant", NULL,
                                   new_participant_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "s", undo_delete_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  koers_window_class_init_sync (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-participant", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  /* Ctrl+E edits a participant's file; export takes Ctrl+Shift+E. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.export", NULL);
  /* Refresh, as in other GNOME apps. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.sync-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.sync-now", NULL);
}

static void
koers_window_init (KoersWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

KoersWindow *
koers_window_new (GtkApplication *application,
                  KoersContext   *context)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (KOERS_IS_CONTEXT (context), NULL);

  return g_object_new (KOERS_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

KoersContext *
koers_window_get_context (KoersWindow *self)
{
  g_return_val_if_fail (KOERS_IS_WINDOW (self), NULL);

  return self->context;
}

GtkWidget *
koers_window_get_caseload_page (KoersWindow *self)
{
  g_return_val_if_fail (KOERS_IS_WINDOW (self), NULL);

  return self->caseload_page;
}

void
koers_window_add_toast (KoersWindow *self,
                        AdwToast    *toast)
{
  g_return_if_fail (KOERS_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

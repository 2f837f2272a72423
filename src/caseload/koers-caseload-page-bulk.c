/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-caseload-page-bulk.c: the caseload's bulk data actions (issue 3): "caseload.import"
 * (a CSV file chosen, then the import dialog) and "caseload.export" (the list as shown, or a
 * whole table). Both are off while one of their dialogs is open, so two jobs never race.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "caseload/koers-caseload-page-private.h"
#include "caseload/koers-export-dialog.h"
#include "caseload/koers-import-dialog.h"

gboolean
koers_caseload_page_get_busy (KoersCaseloadPage *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_PAGE (self), FALSE);

  return self->import_dialog != NULL || self->export_dialog != NULL ||
         self->import_chooser != NULL;
}

static void
update_bulk_actions (KoersCaseloadPage *self)
{
  gboolean busy = koers_caseload_page_get_busy (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "caseload.import", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "caseload.export", !busy);
  g_object_notify (G_OBJECT (self), "busy");
}

static GtkWindow *
parent_window (KoersCaseloadPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* --- import ----------------------------------------------------------------------------- */

static void
import_dialog_destroyed_cb (KoersCaseloadPage *self)
{
  self->import_dialog = NULL;
  update_bulk_actions (self);
}

GtkWindow *
koers_caseload_page_import_file (KoersCaseloadPage *self,
                                 GFile             *file)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_PAGE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (self->import_dialog != NULL)
    return self->import_dialog;
  self->import_dialog = koers_import_dialog_new (parent_window (self), self->context, file);
  /* "unrealize", not "destroy": gtk_window_destroy() unrealizes a window at once but disposes
   * of it only when its job has returned. */
  g_signal_connect_object (self->import_dialog, "unrealize",
                           G_CALLBACK (import_dialog_destroyed_cb), self, G_CONNECT_SWAPPED);
  update_bulk_actions (self);
  gtk_window_present (self->import_dialog);
  return self->import_dialog;
}

static void
import_chooser_response_cb (KoersCaseloadPage    *self,
                            int                   response,
                            GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->import_chooser);
  update_bulk_actions (self);
  if (file != NULL)
    koers_caseload_page_import_file (self, file);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersCaseloadPage *self = KOERS_CASELOAD_PAGE (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (koers_caseload_page_get_busy (self))
    return;
  /* GtkFileChooserNative, not GtkFileDialog (GTK 4.10): the portal's dialog in a sandbox. */
  self->import_chooser = gtk_file_chooser_native_new (_("Import Participants from CSV"),
                                                      parent_window (self),
                                                      GTK_FILE_CHOOSER_ACTION_OPEN,
                                                      _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_suffix (csv, "txt");
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->import_chooser), csv);
  /* A partner's file may come without a suffix; the reader says what it is. */
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->import_chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->import_chooser), TRUE);
  g_signal_connect_object (self->import_chooser, "response",
                           G_CALLBACK (import_chooser_response_cb), self, G_CONNECT_SWAPPED);
  update_bulk_actions (self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->import_chooser));
}

/* --- export ----------------------------------------------------------------------------- */

static void
export_dialog_destroyed_cb (KoersCaseloadPage *self)
{
  self->export_dialog = NULL;
  update_bulk_actions (self);
}

static void
open_folder_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Nothing to show a toast on any more; a missing file manager is not an error to report. */
  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_debug ("Could not open the export folder: %s", error->message);
}

static void
open_folder_cb (AdwToast *toast,
                GFile    *folder)
{
  g_autofree char *uri = g_file_get_uri (folder);

  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, open_folder_done, NULL);
}

static void
exported_cb (KoersCaseloadPage *self,
             GFile             *file,
             const char        *summary,
             GtkWindow         *dialog)
{
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *escaped = g_markup_escape_text (summary, -1);
  AdwToast *toast = adw_toast_new (escaped);

  if (folder != NULL)
    {
      adw_toast_set_button_label (toast, _("Open _Folder"));
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (open_folder_cb),
                             g_steal_pointer (&folder), (GClosureNotify) (void (*) (void))
                             g_object_unref, 0);
    }
  g_signal_emit_by_name (self, "add-toast", toast);
  g_object_unref (toast);
}

GtkWindow *
koers_caseload_page_export (KoersCaseloadPage *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_PAGE (self), NULL);

  if (self->export_dialog != NULL)
    return self->export_dialog;
  self->export_dialog = koers_export_dialog_new (parent_window (self), self->context,
                                                 koers_caseload_model_get_query (self->model),
                                                 g_list_model_get_n_items (
                                                   G_LIST_MODEL (self->model)));
  g_signal_connect_object (self->export_dialog, "exported", G_CALLBACK (exported_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->export_dialog, "unrealize",
                           G_CALLBACK (export_dialog_destroyed_cb), self, G_CONNECT_SWAPPED);
  update_bulk_actions (self);
  gtk_window_present (self->export_dialog);
  return self->export_dialog;
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersCaseloadPage *self = KOERS_CASELOAD_PAGE (widget);

  if (!koers_caseload_page_get_busy (self))
    koers_caseload_page_export (self);
}

void
koers_caseload_page_dispose_bulk (KoersCaseloadPage *self)
{
  if (self->import_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->import_chooser));
  g_clear_object (&self->import_chooser);
  /* The dialogs are windows of their own; they go with the page's window. */
  if (self->import_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->import_dialog, self);
      gtk_window_destroy (g_steal_pointer (&self->import_dialog));
    }
  if (self->export_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->export_dialog, self);
      gtk_window_destroy (g_steal_pointer (&self->export_dialog));
    }
}

void
koers_caseload_page_class_init_bulk (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "caseload.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "caseload.export", NULL, export_action);
}

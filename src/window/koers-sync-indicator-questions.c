/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-indicator-questions.c: what the sync indicator asks in the window: whether the
 * participants made before the first sign-in go to the server (demo records said to be
 * demo), and "Sign out?".
 */
#include "config.h"

#include <glib/gi18n.h>

#include "window/koers-sync-indicator.h"
#include "window/koers-sync-indicator-private.h"

static GtkWindow *
parent_window (KoersSyncIndicator *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
send_unsent_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KoersSyncIndicator) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;
  guint n = 0;

  if (!koers_sync_service_send_unsent_finish (KOERS_SYNC_SERVICE (object), result, &n, &error))
    {
      /* Translators: %s is the reason */
      text = g_strdup_printf (_("The caseload could not be queued for sending: %s"),
                              error->message);
      koers_sync_indicator_toast (self, text);
      return;
    }
  count = koers_sync_indicator_format_count (n);
  /* Translators: %s is a number of records (participants, notes, activities, ...) */
  text = g_strdup_printf (ngettext ("%s record queued to send to the server",
                                    "%s records queued to send to the server", n), count);
  koers_sync_indicator_toast (self, text);
}

static void
unsent_response_cb (AdwMessageDialog   *dialog,
                    const char         *response,
                    KoersSyncIndicator *self)
{
  KoersSyncService *service = koers_sync_indicator_get_service (self);

  if (g_strcmp0 (response, "send") != 0 || service == NULL)
    return;
  koers_sync_service_send_unsent_async (service, NULL, send_unsent_done, g_object_ref (self));
}

/* Nothing made before the sign-in goes up without this answer. */
void
koers_sync_indicator_ask_unsent (KoersSyncIndicator *self,
                                 guint               n_participants,
                                 gboolean            demo,
                                 KoersSyncService   *service)
{
  g_autofree char *count = koers_sync_indicator_format_count (n_participants);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (demo)
    /* Translators: %s is a number of participants */
    body = g_strdup_printf (ngettext ("This caseload holds %s participant the server has never "
                                      "seen. These are made-up demo records: sending them puts "
                                      "made-up people in your organisation’s shared caseload. "
                                      "Keep them on this computer unless you are testing.",
                                      "This caseload holds %s participants the server has never "
                                      "seen. These are made-up demo records: sending them puts "
                                      "made-up people in your organisation’s shared caseload. "
                                      "Keep them on this computer unless you are testing.",
                                      n_participants), count);
  else
    body = g_strdup_printf (ngettext ("This caseload holds %s participant the server has never "
                                      "seen. Send it, with its notes and activities, so your "
                                      "colleagues see it and it is kept safe on the server?",
                                      "This caseload holds %s participants the server has never "
                                      "seen. Send them, with their notes and activities, so "
                                      "your colleagues see them and they are kept safe on the "
                                      "server?", n_participants), count);

  dialog = adw_message_dialog_new (parent_window (self),
                                   demo ? _("Send Demo Records to the Server?")
                                        : _("Send Your Caseload to the Server?"),
                                   body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep on This Computer"),
                                    "send", demo ? _("_Send Demo Records") : _("_Send"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send",
                                              demo ? ADW_RESPONSE_DESTRUCTIVE
                                                   : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), demo ? "keep" : "send");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (unsent_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sign_out_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KoersSyncIndicator) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!koers_sync_service_sign_out_finish (KOERS_SYNC_SERVICE (object), result, &error))
    koers_sync_indicator_toast (self, error->message);
  else
    koers_sync_indicator_toast (self, _("Signed out"));
}

static void
sign_out_response_cb (AdwMessageDialog   *dialog,
                      const char         *response,
                      KoersSyncIndicator *self)
{
  KoersSyncService *service = koers_sync_indicator_get_service (self);

  if (g_strcmp0 (response, "sign-out") != 0 || service == NULL)
    return;
  koers_sync_service_sign_out_async (service, NULL, sign_out_done, g_object_ref (self));
}

void
koers_sync_indicator_confirm_sign_out (KoersSyncIndicator *self)
{
  KoersSyncService *service;
  const KoersSyncStatus *s;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_if_fail (KOERS_IS_SYNC_INDICATOR (self));

  service = koers_sync_indicator_get_service (self);
  if (service == NULL)
    return;
  s = koers_sync_service_get_status (service);
  if (s->pending_count > 0)
    {
      g_autofree char *count = koers_sync_indicator_format_count ((guint64) s->pending_count);

      /* Translators: %s is a number of changes */
      body = g_strdup_printf (ngettext ("The caseload stays on this computer. %s change has not "
                                        "been sent yet: it stays too and goes to the server "
                                        "when you sign in again.",
                                        "The caseload stays on this computer. %s changes have "
                                        "not been sent yet: they stay too and go to the server "
                                        "when you sign in again.", (gulong) s->pending_count),
                              count);
    }
  else
    body = g_strdup (_("The caseload stays on this computer. Koers stops syncing until you sign "
                       "in again."));

  dialog = adw_message_dialog_new (parent_window (self), _("Sign Out?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-out",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

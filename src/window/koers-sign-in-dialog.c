/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "window/koers-sign-in-dialog.h"

#include "sync/koers-sign-in.h"

struct _KoersSignInDialog
{
  AdwWindow               parent_instance;

  KoersSyncService       *service;
  KoersSignIn            *sign_in;       /* (nullable) the attempt waiting for its answer */
  SoupSession            *session;       /* the code's exchange at /oauth/token */
  GCancellable           *cancellable;
  KoersSignInOpenUriFunc  open_uri;
  gpointer                open_uri_data;

  GtkStack               *stack;
  AdwEntryRow            *server_row;
  GtkLabel               *address_error;
  AdwEntryRow            *paste_row;
  GtkLabel               *waiting_error;
  GtkSpinner             *spinner;
};

G_DEFINE_FINAL_TYPE (KoersSignInDialog, koers_sign_in_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- pages and errors --------------------------------------------------------------------- */

static void
show_error (GtkLabel   *label,
            const char *text)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

static void
show_page (KoersSignInDialog *self,
           const char        *page)
{
  gboolean waiting = g_str_equal (page, "waiting");
  gboolean finishing = g_str_equal (page, "finishing");

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_spinner_set_spinning (self->spinner, finishing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.start", g_str_equal (page,
                                                                                  "address"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.open-browser", waiting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.cancel", waiting);
  if (g_str_equal (page, "address"))
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
}

/* Back to the address with the reason: the attempt is spent, a new one starts afresh. */
static void
fail (KoersSignInDialog *self,
      const char        *text)
{
  g_clear_object (&self->sign_in);
  show_error (self->waiting_error, NULL);
  show_error (self->address_error, text);
  show_page (self, "address");
}

/* --- the browser -------------------------------------------------------------------------- */

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KoersSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (g_app_info_launch_default_for_uri_finish (result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Translators: %s is the reason the browser did not open */
  text = g_strdup_printf (_("The browser could not be opened (%s). Open a browser yourself "
                            "and try again, or ask your administrator."), error->message);
  show_error (self->waiting_error, text);
}

static void
open_browser (KoersSignInDialog *self)
{
  const char *uri = koers_sign_in_get_authorize_uri (self->sign_in);
  g_autoptr(GdkAppLaunchContext) context = NULL;

  show_error (self->waiting_error, NULL);
  if (self->open_uri != NULL)
    {
      self->open_uri (self, uri, self->open_uri_data);
      return;
    }
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context),
                                           self->cancellable, launched_cb,
                                           g_object_ref (self));
}

/* --- completing ----------------------------------------------------------------------------- */

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KoersSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!koers_sync_service_sign_in_finish (KOERS_SYNC_SERVICE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error->message);
      return;
    }
  g_clear_object (&self->sign_in);
  gtk_window_close (GTK_WINDOW (self));
}

static void
completed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KoersSignInDialog) self = user_data;
  KoersSignIn *sign_in = KOERS_SIGN_IN (object);
  g_autoptr(GError) error = NULL;
  KoersTokenGrant *grant;

  grant = koers_sign_in_complete_finish (sign_in, result, &error);
  if (grant == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, error->message);
      return;
    }
  koers_sync_service_sign_in_async (self->service, koers_sign_in_get_server_url (sign_in),
                                    grant, self->cancellable, signed_in_cb,
                                    g_object_ref (self));
}

static void
complete (KoersSignInDialog *self,
          const char        *redirect)
{
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("timeout", 60, NULL);
  show_error (self->waiting_error, NULL);
  show_page (self, "finishing");
  koers_sign_in_complete_async (self->sign_in, self->session, redirect, self->cancellable,
                                completed_cb, g_object_ref (self));
}

gboolean
koers_sign_in_dialog_handle_redirect (KoersSignInDialog *self,
                                      const char        *uri)
{
  g_return_val_if_fail (KOERS_IS_SIGN_IN_DIALOG (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  /* A browser tab from an earlier attempt, or someone else's answer: not ours to spend. */
  if (self->sign_in == NULL
      || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "waiting") != 0
      || !koers_sign_in_owns_redirect (self->sign_in, uri))
    return FALSE;
  complete (self, uri);
  gtk_window_present (GTK_WINDOW (self));
  return TRUE;
}

static void
paste_apply_cb (KoersSignInDialog *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->paste_row))));

  if (*text == '\0')
    return;
  if (!koers_sign_in_dialog_handle_redirect (self, text))
    show_error (self->waiting_error,
                _("This is not the address Koers waits for. Paste the whole address from the "
                  "browser’s address bar after signing in; it starts with "
                  "“nl.achterhoek.koers:/oauth/terug”. If you signed in from another sign-in "
                  "window, cancel and start again."));
}

/* --- actions -------------------------------------------------------------------------------- */

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KoersSignInDialog *self = KOERS_SIGN_IN_DIALOG (widget);
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  g_autofree char *device = NULL;
  g_autoptr(GError) error = NULL;

  /* Translators: the device name the server lists for this computer; %s is its host name.
   * No direction marks: the name is sent to the server, which refuses invisible characters
   * (koers_sign_in_new() drops them as well). */
  device = g_strdup_printf (_("Koers on %s"), g_get_host_name ());
  g_clear_object (&self->sign_in);
  self->sign_in = koers_sign_in_new (address, device, &error);
  if (self->sign_in == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->server_row), "error");
      show_error (self->address_error, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }
  show_error (self->address_error, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->paste_row), "");
  show_page (self, "waiting");
  open_browser (self);
}

static void
open_browser_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KoersSignInDialog *self = KOERS_SIGN_IN_DIALOG (widget);

  if (self->sign_in != NULL)
    open_browser (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KoersSignInDialog *self = KOERS_SIGN_IN_DIALOG (widget);

  /* An answer that arrives later belongs to no attempt any more. */
  g_clear_object (&self->sign_in);
  show_error (self->waiting_error, NULL);
  show_page (self, "address");
}

static void
server_changed_cb (KoersSignInDialog *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->server_row), "error");
}

static void
server_activated_cb (KoersSignInDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.start", NULL);
}

/* --- public ------------------------------------------------------------------------------- */

GtkWindow *
koers_sign_in_dialog_new (GtkWindow        *parent,
                          KoersSyncService *service)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (KOERS_IS_SYNC_SERVICE (service), NULL);

  return g_object_new (KOERS_TYPE_SIGN_IN_DIALOG,
                       "transient-for", parent,
                       "service", service,
                       NULL);
}

void
koers_sign_in_dialog_set_open_uri_func (KoersSignInDialog      *self,
                                        KoersSignInOpenUriFunc  func,
                                        gpointer                user_data)
{
  g_return_if_fail (KOERS_IS_SIGN_IN_DIALOG (self));

  self->open_uri = func;
  self->open_uri_data = user_data;
}

const char *
koers_sign_in_dialog_get_page (KoersSignInDialog *self)
{
  g_return_val_if_fail (KOERS_IS_SIGN_IN_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
koers_sign_in_dialog_get_error (KoersSignInDialog *self)
{
  GtkLabel *label;

  g_return_val_if_fail (KOERS_IS_SIGN_IN_DIALOG (self), NULL);

  label = g_strcmp0 (koers_sign_in_dialog_get_page (self), "waiting") == 0
          ? self->waiting_error : self->address_error;
  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_label (label) : NULL;
}

/* --- GObject ------------------------------------------------------------------------------ */

static void
koers_sign_in_dialog_constructed (GObject *object)
{
  KoersSignInDialog *self = KOERS_SIGN_IN_DIALOG (object);
  const char *url;

  G_OBJECT_CLASS (koers_sign_in_dialog_parent_class)->constructed (object);

  g_assert (self->service != NULL);
  /* Signing in again (a sign-in that stopped working): the same server. */
  url = koers_sync_service_get_server_url (self->service);
  if (url != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), url);
  show_page (self, "address");
}

static void
koers_sign_in_dialog_dispose (GObject *object)
{
  KoersSignInDialog *self = KOERS_SIGN_IN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_SIGN_IN_DIALOG);
  g_clear_object (&self->sign_in);
  g_clear_object (&self->session);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (koers_sign_in_dialog_parent_class)->dispose (object);
}

static void
koers_sign_in_dialog_finalize (GObject *object)
{
  KoersSignInDialog *self = KOERS_SIGN_IN_DIALOG (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (koers_sign_in_dialog_parent_class)->finalize (object);
}

static void
koers_sign_in_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  KoersSignInDialog *self = KOERS_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_sign_in_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  KoersSignInDialog *self = KOERS_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_sign_in_dialog_class_init (KoersSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = koers_sign_in_dialog_constructed;
  object_class->dispose = koers_sign_in_dialog_dispose;
  object_class->finalize = koers_sign_in_dialog_finalize;
  object_class->get_property = koers_sign_in_dialog_get_property;
  object_class->set_property = koers_sign_in_dialog_set_property;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, KOERS_TYPE_SYNC_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/nl/achterhoek/Koers/window/koers-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersSignInDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, KoersSignInDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, KoersSignInDialog, address_error);
  gtk_widget_class_bind_template_child (widget_class, KoersSignInDialog, paste_row);
  gtk_widget_class_bind_template_child (widget_class, KoersSignInDialog, waiting_error);
  gtk_widget_class_bind_template_child (widget_class, KoersSignInDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, paste_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_activated_cb);

  gtk_widget_class_install_action (widget_class, "sign-in.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "sign-in.open-browser", NULL,
                                   open_browser_action);
  gtk_widget_class_install_action (widget_class, "sign-in.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
koers_sign_in_dialog_init (KoersSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sign-in-dialog.h: signing in to the regional API from the window (issue 5, "Sign-in
 * and secrets"): the server address, "Sign in with the browser" (OAuth PKCE in the system
 * browser), a waiting state with Cancel, and a field for the address the browser shows after
 * signing in, for systems where the nl.achterhoek.koers: scheme does not come back to Koers.
 * The redirect that does come back (GApplication::open) is handed to
 * koers_sign_in_dialog_handle_redirect(). Success hands the grant to the sync service and
 * closes the dialog; every failure is said in the dialog.
 */
#pragma once

#include <adwaita.h>

#include "app/koers-sync-service.h"

G_BEGIN_DECLS

#define KOERS_TYPE_SIGN_IN_DIALOG (koers_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KoersSignInDialog, koers_sign_in_dialog, KOERS, SIGN_IN_DIALOG, AdwWindow)

/* Opens @uri in the browser; tests give their own. */
typedef void (*KoersSignInOpenUriFunc) (KoersSignInDialog *dialog,
                                        const char        *uri,
                                        gpointer           user_data);

/* @parent: (nullable) */
GtkWindow *koers_sign_in_dialog_new (GtkWindow        *parent,
                                     KoersSyncService *service);
/* TRUE when @uri is the answer this dialog waits for (its state matches); it then completes
 * the sign-in. Any other URI is left alone (FALSE). */
gboolean   koers_sign_in_dialog_handle_redirect (KoersSignInDialog *self,
                                                 const char        *uri);
/* Tests: replaces the browser. */
void       koers_sign_in_dialog_set_open_uri_func (KoersSignInDialog      *self,
                                                   KoersSignInOpenUriFunc  func,
                                                   gpointer                user_data);
/* Tests: the page shown ("address", "waiting", "finishing") and the error shown there
 * (nullable). */
const char *koers_sign_in_dialog_get_page (KoersSignInDialog *self);
const char *koers_sign_in_dialog_get_error (KoersSignInDialog *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-indicator.h: the sync button in the window's header and its popover: offline,
 * syncing, last synced, changes waiting, the sync error, first-sync progress (it never blocks
 * the window) and a warning when this computer's clock is more than 5 minutes off the
 * server's; "Sync now", "Sign in…" and "Sign out…" (the window's actions win.sync-now,
 * win.sign-in, win.sign-out). It also asks, after a first sign-in, whether the participants
 * made before it go to the server.
 */
#pragma once

#include <adwaita.h>

#include "app/koers-sync-service.h"

G_BEGIN_DECLS

#define KOERS_TYPE_SYNC_INDICATOR (koers_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (KoersSyncIndicator, koers_sync_indicator, KOERS, SYNC_INDICATOR, AdwBin)

/* @service: (nullable): without one the indicator is hidden. */
GtkWidget        *koers_sync_indicator_new (KoersSyncService *service);
KoersSyncService *koers_sync_indicator_get_service (KoersSyncIndicator *self);
void              koers_sync_indicator_set_service (KoersSyncIndicator *self,
                                                    KoersSyncService   *service);
/* Opens the popover (the header button's click). */
void              koers_sync_indicator_popup (KoersSyncIndicator *self);
/* Asks "Sign out?" in the window and signs out on yes (win.sign-out). */
void              koers_sync_indicator_confirm_sign_out (KoersSyncIndicator *self);

/* Tests: (transfer none) the popover, the header button and a label of the popover by its
 * name: "title", "detail", "account", "pending", "first-sync", "clock". */
GtkWidget        *koers_sync_indicator_get_popover (KoersSyncIndicator *self);
GtkWidget        *koers_sync_indicator_get_button (KoersSyncIndicator *self);
GtkLabel         *koers_sync_indicator_get_label (KoersSyncIndicator *self, const char *name);

G_END_DECLS

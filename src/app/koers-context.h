/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-context.h: what every page needs, handed to widgets as a construct-only "context"
 * property so any page can be built in a test on a temporary database. Only
 * KoersApplication calls g_application_get_default().
 */
#pragma once

#include <gio/gio.h>

#include "app/koers-store.h"
#include "app/koers-sync-service.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CONTEXT (koers_context_get_type ())
G_DECLARE_FINAL_TYPE (KoersContext, koers_context, KOERS, CONTEXT, GObject)

/* @settings: (nullable) the app's GSettings (window state, preferences); tests pass their own. */
KoersContext *koers_context_new (KoersStore *store, GSettings *settings);
/* @sync_service: (nullable) the app's sync; without one the window shows no sync. */
KoersContext *koers_context_new_full (KoersStore *store, GSettings *settings,
                                      KoersSyncService *sync_service);
KoersStore   *koers_context_get_store (KoersContext *self);
/* (transfer none) (nullable) */
KoersSyncService *koers_context_get_sync_service (KoersContext *self);
GSettings    *koers_context_get_settings (KoersContext *self);
/* Who works in this session; audit events and updated-by name them. */
const char   *koers_context_get_actor (KoersContext *self);

G_END_DECLS

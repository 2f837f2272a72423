/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-indicator-private.h: shared by koers-sync-indicator.c and -questions.c. */
#pragma once

#include "window/koers-sync-indicator.h"

G_BEGIN_DECLS

/* "12,000" in the locale's style; isolated left-to-right inside Arabic text. (transfer full) */
char *koers_sync_indicator_format_count (guint64 n);
/* Emits "add-toast" with @text (plain text, escaped here). */
void  koers_sync_indicator_toast (KoersSyncIndicator *self, const char *text);
/* The service's "unsent-records": asks whether to send them. */
void  koers_sync_indicator_ask_unsent (KoersSyncIndicator *self, guint n_participants,
                                       gboolean demo, KoersSyncService *service);

G_END_DECLS

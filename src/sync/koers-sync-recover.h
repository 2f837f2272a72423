/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Values a server restored from an older backup lost, given back by the devices that had them
 * (see koers-sync-recover.c for the rule and its limit). Used by the sync engine only.
 */
#pragma once

#include "storage/koers-database.h"

G_BEGIN_DECLS

/* At a 410, before the shadow is emptied: keeps the shadow rows of the mergeable entities
 * (the first 410's, if a second one comes during the pull from 0). Inside the caller's
 * transaction. */
gboolean koers_sync_recover_keep_shadow (KoersDatabase *db, GError **error);

/* At the end of the pull from 0: puts the kept values of every record the server now holds at
 * a lower version back into the working rows where no unsent edit touches them, which queues
 * them through the change-capture triggers, and forgets what was kept. @out_n: the outbox rows
 * this added. Inside the caller's transaction. */
gboolean koers_sync_recover_values (KoersDatabase *db, guint *out_n, GError **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-hold.h: a hold on numbering changes for the push that any thread takes and
 * releases at once (an atomic count).
 *
 * The window holds the sync while it offers to undo a status step, which only works before the
 * step is numbered (koers_sync_outbox_compact). A hold sent to the sync thread as a message
 * reaches it only when that thread gets to it: a run already going could number the step
 * first. A KoersSyncHold shared with the client is taken before the step is written, and a run
 * looks at it at the moment it numbers (koers_sync_client_set_hold).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KoersSyncHold KoersSyncHold;

KoersSyncHold *koers_sync_hold_new      (void);
KoersSyncHold *koers_sync_hold_ref      (KoersSyncHold *hold);
void           koers_sync_hold_unref    (KoersSyncHold *hold);
/* Takes one hold; each is released once. Any thread. */
void           koers_sync_hold_take     (KoersSyncHold *hold);
void           koers_sync_hold_release  (KoersSyncHold *hold);
/* TRUE while any hold is taken. Any thread. */
gboolean       koers_sync_hold_is_taken (KoersSyncHold *hold);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersSyncHold, koers_sync_hold_unref)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sync/koers-sync-hold.h"

struct _KoersSyncHold
{
  gint taken;  /* (atomic) */
};

KoersSyncHold *
koers_sync_hold_new (void)
{
  return g_atomic_rc_box_new0 (KoersSyncHold);
}

KoersSyncHold *
koers_sync_hold_ref (KoersSyncHold *hold)
{
  g_return_val_if_fail (hold != NULL, NULL);

  return g_atomic_rc_box_acquire (hold);
}

void
koers_sync_hold_unref (KoersSyncHold *hold)
{
  g_return_if_fail (hold != NULL);

  g_atomic_rc_box_release (hold);
}

void
koers_sync_hold_take (KoersSyncHold *hold)
{
  g_return_if_fail (hold != NULL);

  g_atomic_int_inc (&hold->taken);
}

void
koers_sync_hold_release (KoersSyncHold *hold)
{
  g_return_if_fail (hold != NULL);
  g_return_if_fail (g_atomic_int_get (&hold->taken) > 0);

  g_atomic_int_dec_and_test (&hold->taken);
}

gboolean
koers_sync_hold_is_taken (KoersSyncHold *hold)
{
  g_return_val_if_fail (hold != NULL, FALSE);

  return g_atomic_int_get (&hold->taken) > 0;
}

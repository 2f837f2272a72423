/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "caseload/koers-transfer-dialog-util.h"

/* gtk_window_destroy() unrealizes the window but disposes of it only at its last reference,
 * and a job's callback holds one: the job stops now, not when it would have finished, and
 * *closed tells that callback the dialog is gone. */
void
koers_transfer_dialog_stop_on_unrealize (GCancellable *cancellable,
                                         gboolean     *closed)
{
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (closed != NULL);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  *closed = TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-transfer-dialog-util.h: what the import and the export dialog do alike around their
 * store job.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void koers_transfer_dialog_stop_on_unrealize (GCancellable *cancellable,
                                              gboolean     *closed);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-export-dialog-private.h: for the screenshot tests only, which need the dialog as it
 * looks half-way through an export without racing a real one. */
#pragma once

#include "caseload/koers-export-dialog.h"

G_BEGIN_DECLS

/* Shows @self as during an export that has written @n_done of @n_total rows; no job runs. */
void koers_export_dialog_show_progress (KoersExportDialog *self,
                                        guint              n_done,
                                        guint              n_total);

G_END_DECLS

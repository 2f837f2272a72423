/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-export-dialog.h: exporting from the window (issue 3, "Export"): the caseload as shown
 * (its filters and search) or a whole table, as CSV for Excel or as an XLSX workbook, through
 * the same koers_export_*() functions as `koers-cli export` (which leave the audit event). The
 * dialog asks what and how, then where (a save dialog), writes the file on the store's worker
 * with a progress bar ("12,000 of 100,000 rows") and emits "exported" (GFile *file,
 * const char *summary) before it closes; a failure stays in the dialog, in words. Cancel (or
 * Escape) during the export stops it, leaves no file and lets the user export again; closing the
 * dialog during the export cancels it too.
 */
#pragma once

#include <adwaita.h>

#include "app/koers-context.h"
#include "core/koers-caseload-query.h"

G_BEGIN_DECLS

#define KOERS_TYPE_EXPORT_DIALOG (koers_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KoersExportDialog, koers_export_dialog, KOERS, EXPORT_DIALOG, AdwWindow)

/* @query: the caseload's query (copied); @n_current: how many participants it shows now. */
GtkWindow *koers_export_dialog_new (GtkWindow                *parent,
                                    KoersContext             *context,
                                    const KoersCaseloadQuery *query,
                                    guint                     n_current);
/* (nullable): where to write without asking; set by tests, which cannot answer a file chooser. */
void       koers_export_dialog_set_file (KoersExportDialog *self, GFile *file);
GFile     *koers_export_dialog_get_file (KoersExportDialog *self);
gboolean   koers_export_dialog_get_busy (KoersExportDialog *self);

G_END_DECLS

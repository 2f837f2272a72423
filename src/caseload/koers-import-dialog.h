/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-import-dialog.h: importing a partner's CSV file from the window (issue 3, "Import"). The
 * dialog checks the whole file off the main thread (koers_import_csv() with dry_run), shows what
 * it found (encoding, separator, the first rows under the field each column is imported as, the
 * mapping to change by hand, every problem), asks to confirm spreadsheet-damage warnings, then
 * imports in one transaction with progress and Cancel. The same core function as
 * `koers-cli import`, so the window and the command line say the same things.
 *
 * Property "busy": TRUE while a check or the import runs. Signal "imported" (guint
 * n_imported) after an import that wrote or skipped rows; the store has announced
 * "participants" by then.
 */
#pragma once

#include <adwaita.h>

#include "app/koers-context.h"

G_BEGIN_DECLS

#define KOERS_TYPE_IMPORT_DIALOG (koers_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KoersImportDialog, koers_import_dialog, KOERS, IMPORT_DIALOG, AdwWindow)

/* @parent: (nullable); starts checking @file at once (the file chooser stays with the caller,
 * so tests hand a file straight in). */
GtkWindow *koers_import_dialog_new (GtkWindow *parent, KoersContext *context, GFile *file);
GFile     *koers_import_dialog_get_file (KoersImportDialog *self);
gboolean   koers_import_dialog_get_busy (KoersImportDialog *self);

G_END_DECLS

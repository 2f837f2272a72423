/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-import-preview.h: the first rows of a partner's CSV file as the reader sees them, for the
 * window's import preview (issue 3: "a preview dialog shows the first rows"). The values are
 * shown as written; whether they can be imported is koers_import_csv()'s dry run to say.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The most rows a preview reads: enough to recognise the columns, cheap to lay out. */
#define KOERS_IMPORT_PREVIEW_MAX_ROWS 20

typedef struct {
  GStrv      headers;  /* the columns, as written */
  GPtrArray *rows;     /* (element-type GStrv): one value per header */
  GArray    *lines;    /* (element-type guint): the physical line each row starts on */
} KoersImportPreview;

void koers_import_preview_free (KoersImportPreview *preview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersImportPreview, koers_import_preview_free)

/**
 * koers_import_preview_read:
 * @file: the CSV file
 * @max_rows: how many data rows to read at most (0 for KOERS_IMPORT_PREVIEW_MAX_ROWS)
 * @cancellable: (nullable): to stop reading
 * @error: the reader's error when the file cannot be read as a participant list at all
 *
 * Reads the header and up to @max_rows good rows; a row the reader refuses is left out (the dry
 * run lists it), an error that ends the file ends the preview early.
 *
 * Returns: (transfer full) (nullable): the preview, or %NULL with @error set.
 */
KoersImportPreview *koers_import_preview_read (GFile         *file,
                                               guint          max_rows,
                                               GCancellable  *cancellable,
                                               GError       **error);

G_END_DECLS

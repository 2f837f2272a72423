/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-export-writer-private.h: the two file formats behind koers-export.h, one row at a time.
 * Not for use outside src/cli/koers-export*.c.
 */
#pragma once

#include "cli/koers-export.h"

G_BEGIN_DECLS

typedef enum {
  KOERS_EXPORT_CELL_TEXT,    /* neutralised in CSV, a string cell in XLSX */
  KOERS_EXPORT_CELL_NUMBER,  /* an integer Koers wrote: as is in CSV, a number in XLSX */
  KOERS_EXPORT_CELL_DATE,    /* ISO "YYYY-MM-DD": as is in CSV, a dd-mm-yyyy date in XLSX */
} KoersExportCellType;

typedef struct {
  const char          *name;   /* the header: a stable field identifier */
  KoersExportCellType  type;
} KoersExportColumn;

typedef struct _KoersExportWriter KoersExportWriter;

/* Opens a private (0600) temporary file next to @path; the rows go there until _finish(). */
KoersExportWriter *koers_export_writer_new (KoersExportFormat        format,
                                            const char              *path,
                                            const KoersExportColumn *columns,
                                            guint                    n_columns,
                                            GError                 **error);
/* Writes one row of n_columns values (NULL = empty cell). */
gboolean           koers_export_writer_row (KoersExportWriter  *writer,
                                            const char * const *values,
                                            GError            **error);
/* Completes the file and moves it to its name (replacing what was there). */
gboolean           koers_export_writer_finish (KoersExportWriter *writer, GError **error);
/* Frees @writer; an unfinished file is removed. */
void               koers_export_writer_free (KoersExportWriter *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersExportWriter, koers_export_writer_free)

G_END_DECLS

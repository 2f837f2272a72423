/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-export.h: the caseload or a whole table out to CSV or XLSX for partners and the
 * accountant (issue 3, "Export"; RELIABILITY.md, "CSV/XLSX export"). `koers-cli export` and the
 * window call the same functions.
 *
 * CSV is written the way Dutch Excel opens it without asking: UTF-8 with a BOM, ";" between
 * cells, CRLF line ends, RFC 4180 quoting. Every text cell that starts with = + - @ TAB CR or
 * NUL gets a single quote in front (OWASP "CSV injection"): a spreadsheet would otherwise run
 * "=HYPERLINK(...)" typed into a name as a formula. A phone number "+31 6 ..." is text too and
 * is prefixed as well. Koers's own importer strips exactly that one quote again when it is
 * followed by one of those characters, so an export imports back unchanged.
 *
 * XLSX (libxlsxwriter): text is written as string cells (never numbers, so phone numbers and ids
 * keep their leading zeros and "+"), dates as real dates shown dd-mm-yyyy; the header row is
 * bold and frozen. String cells are never evaluated, so XLSX needs no quote prefix.
 *
 * Both stream: one row at a time from SQLite to the file (the caseload's rowids, 8 bytes a row,
 * are the only thing held for the whole export). The file appears under its name only when it
 * is complete; on any failure or a cancellation nothing is left behind and a file that was
 * already there stays as it was. Each export leaves one audit event (KOERS_AUDIT_ACTION_EXPORT)
 * naming what was exported and how many rows, or why it stopped.
 *
 * Column headers are the stable field identifiers ("name", "birth-year", ...), in every
 * language, so a file exported under an Arabic or Dutch desktop imports back the same way.
 */
#pragma once

#include <gio/gio.h>

#include "core/koers-caseload-query.h"
#include "storage/koers-database.h"

G_BEGIN_DECLS

typedef enum {
  KOERS_EXPORT_FORMAT_CSV,
  KOERS_EXPORT_FORMAT_XLSX,
} KoersExportFormat;

typedef enum {
  KOERS_EXPORT_TABLE_PARTICIPANTS,
  KOERS_EXPORT_TABLE_NOTES,
  KOERS_EXPORT_TABLE_ACTIVITIES,
  KOERS_EXPORT_TABLE_SKILLS,
  KOERS_EXPORT_TABLE_CONSENT,
  KOERS_N_EXPORT_TABLES
} KoersExportTable;

/* "csv" / "xlsx"; _from_id is FALSE for anything else. */
const char *koers_export_format_to_id (KoersExportFormat format);
gboolean    koers_export_format_from_id (const char *id, KoersExportFormat *out_format);
/* "participants", "notes", "activities", "skills", "consent". */
const char *koers_export_table_to_id (KoersExportTable table);
gboolean    koers_export_table_from_id (const char *id, KoersExportTable *out_table);

/**
 * koers_export_neutralise:
 * @text: a text cell
 *
 * Returns: (transfer full): @text with a single quote in front when it starts with = + - @
 * TAB or CR (a NUL cannot occur in a C string; the CSV writer checks the length instead).
 */
char       *koers_export_neutralise (const char *text);
/* TRUE when @text is an exported cell koers_export_neutralise() prefixed: a quote followed by
 * one of its characters. The importer then drops the quote. */
gboolean    koers_export_is_neutralised (const char *text);

/**
 * koers_export_csv_append_cell:
 * @line: the line being built
 * @text: (nullable): the cell; NULL is an empty cell
 * @is_text: TRUE for text (neutralised); FALSE for numbers and ISO dates Koers itself wrote
 *
 * Appends one cell, neutralised and quoted (RFC 4180: quoted when it holds ; " CR or LF,
 * quotes doubled). The caller writes the separators.
 */
void        koers_export_csv_append_cell (GString *line, const char *text, gboolean is_text);

/**
 * koers_export_caseload:
 * @db: the database
 * @query: the caseload's filters, search and sort, as shown
 * @format: CSV or XLSX
 * @path: the file to write (replaced when it exists)
 * @actor: who exports, for the audit event
 * @out_n_rows: (out) (optional): rows written (without the header)
 * @error: an I/O error, KOERS_DATABASE_ERROR, or G_IO_ERROR_FAILED from libxlsxwriter
 *
 * Writes the participants @query finds, in its order, one row each.
 * Returns: TRUE when the file is complete and the export audited.
 */
gboolean koers_export_caseload (KoersDatabase            *db,
                                const KoersCaseloadQuery *query,
                                KoersExportFormat         format,
                                const char               *path,
                                const char               *actor,
                                guint                    *out_n_rows,
                                GError                  **error);

/**
 * koers_export_table:
 * Like koers_export_caseload() for every row of @table that is not deleted (nor belongs to a
 * deleted participant), ordered by participant.
 */
gboolean koers_export_table (KoersDatabase     *db,
                             KoersExportTable   table,
                             KoersExportFormat  format,
                             const char        *path,
                             const char        *actor,
                             guint             *out_n_rows,
                             GError           **error);

/* How often the progress callback is called and a cancellation is noticed: every this many
 * rows. A row costs microseconds, so a cancel stops the writing within milliseconds. */
#define KOERS_EXPORT_PROGRESS_STEP 250

/**
 * KoersExportProgressFunc:
 * @n_done: rows written so far
 * @n_total: rows the export holds (counted before the first row is written)
 * @user_data: the data given with the callback
 *
 * Called on the exporting thread: once with @n_done 0 when the rows are counted, every
 * %KOERS_EXPORT_PROGRESS_STEP rows, and once after the last row with @n_done == @n_total.
 * @n_done never goes down; the file is complete only when the export function returns %TRUE.
 */
typedef void (*KoersExportProgressFunc) (guint n_done, guint n_total, gpointer user_data);

/**
 * koers_export_caseload_full:
 * @db: the database
 * @query: the caseload's filters, search and sort, as shown
 * @format: CSV or XLSX
 * @path: the file to write (replaced when it exists)
 * @actor: who exports, for the audit event
 * @cancellable: (nullable): stops the export; no file is written then and a file already at
 *   @path stays as it was
 * @progress: (nullable) (scope call): progress callback
 * @progress_data: (closure progress): its data
 * @out_n_rows: (out) (optional): rows written (without the header)
 * @error: as koers_export_caseload(), or G_IO_ERROR_CANCELLED
 *
 * koers_export_caseload() with progress and cancellation, for the window and `koers-cli export`.
 * A cancelled export is on the audit trail as a failed one ("cancelled after N of M rows").
 * Returns: TRUE when the file is complete and the export audited.
 */
gboolean koers_export_caseload_full (KoersDatabase            *db,
                                     const KoersCaseloadQuery *query,
                                     KoersExportFormat         format,
                                     const char               *path,
                                     const char               *actor,
                                     GCancellable             *cancellable,
                                     KoersExportProgressFunc   progress,
                                     gpointer                  progress_data,
                                     guint                    *out_n_rows,
                                     GError                  **error);

/**
 * koers_export_table_full:
 * @cancellable: (nullable): as koers_export_caseload_full()
 * @progress: (nullable) (scope call): progress callback; the total is a count(*) of the rows
 *   the export holds
 * @progress_data: (closure progress): its data
 *
 * koers_export_table() with progress and cancellation.
 * Returns: TRUE when the file is complete and the export audited.
 */
gboolean koers_export_table_full (KoersDatabase           *db,
                                  KoersExportTable         table,
                                  KoersExportFormat        format,
                                  const char              *path,
                                  const char              *actor,
                                  GCancellable            *cancellable,
                                  KoersExportProgressFunc  progress,
                                  gpointer                 progress_data,
                                  guint                   *out_n_rows,
                                  GError                 **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-import.h: importing participants from a partner's CSV file (issue 3, "Import";
 * RELIABILITY.md, "Bad input"). `koers-cli import` and the window's import dialog call the same
 * function, so both show the same messages.
 *
 * All or nothing, in two passes over the file (the reader streams, so the file is read twice
 * rather than held in memory): pass 1 reads and checks every row, as the CSV reader sees it and
 * as a participant (koers_participant_validate); any error refuses the file, and so do Excel
 * damage warnings unless the user accepted them. Pass 2 writes every row (read and mapped on a
 * second thread, so the database thread only writes: koers-import-feed.c). Both passes run in
 * one transaction (the key look-ups of pass 1 and the writes of pass 2 see the same database);
 * a refusal, any failure or a cancellation rolls it back, so a refused or stopped import
 * changes nothing. The import is audited as one event naming the file and the counts.
 *
 * The file written is the file checked: pass 1 notes the file's identity as it opens it
 * (GIO's etag, the modification time, with the size, the file's id and its change time), and
 * the import commits only when the identity is the same after pass 2. The window has checked
 * the file already for its preview: it passes that report (KoersImportOptions.checked), and
 * pass 1 is skipped while the identity and the columns as mapped are what the preview saw.
 * Should a row the preview passed not map then (a coach removed since, a new year), the
 * import checks the file again and refuses it with the rows named.
 *
 * Every row gets an import key: SHA-256 over its mapped values, normalised. The keys are stored
 * (table import_row), and a row whose key is already there is skipped: importing the same file
 * twice changes nothing the second time.
 *
 * What `koers-cli export` writes imports back unchanged: a row whose id column holds a Koers id
 * (a UUID) keeps it, and counts as already imported when a participant with that id exists;
 * the coach column is matched by name (ignoring case, accents and punctuation) to a coach
 * already in Koers, whose organisation the participant joins, and a name Koers does not know
 * (or two coaches share) refuses the row; outcome, outcome date, next action and its date are
 * read like the other columns. Their notes and activities follow with
 * koers_import_table_csv().
 */
#pragma once

#include <gio/gio.h>

#include "core/koers-csv-types.h"
#include "storage/koers-database.h"

G_BEGIN_DECLS

#define KOERS_IMPORT_ERROR (koers_import_error_quark ())

typedef enum {
  KOERS_IMPORT_ERROR_REFUSED,  /* the file has errors, or warnings not accepted: see the report */
  KOERS_IMPORT_ERROR_MAPPING,  /* a manual mapping names an unknown column or field */
} KoersImportError;

GQuark koers_import_error_quark (void);

/* The default for KoersImportOptions.max_issues. */
#define KOERS_IMPORT_DEFAULT_MAX_ISSUES 1000

typedef struct {
  const char         *actor;            /* who imports: stamped on every row and audit event */
  gboolean            dry_run;          /* check only (pass 1), write nothing */
  gboolean            accept_warnings;  /* the user confirmed the Excel damage warnings */
  /* (nullable) (array zero-terminated=1): manual mapping, "COLUMN=FIELD": COLUMN a header as
   * written (matched ignoring case, accents and punctuation) or a 1-based column number, FIELD
   * a koers_csv_field_to_string() identifier or "none" */
  const char * const *mapping;
  guint               max_issues;       /* errors and warnings kept; 0 = the default */
  int                 today_year;       /* for the birth-year rule; 0 = the real year */
  /* (nullable): the report of a dry run of the same file with the same mapping (the window's
   * preview). While the file is unchanged since (its identity, its columns as mapped), the
   * import takes that check's verdict instead of reading the whole file twice more. */
  const struct _KoersImportReport *checked;
} KoersImportOptions;

void koers_import_options_init (KoersImportOptions *options);

typedef struct _KoersImportReport {
  KoersCsvEncoding encoding;
  char             separator;
  GStrv            headers;        /* the columns, as written */
  KoersCsvField   *mapping;        /* one per header, as used */
  guint            n_rows;         /* data rows read, good or bad */
  guint            n_errors;       /* all of them */
  guint            n_warnings;
  GPtrArray       *errors;         /* (element-type KoersCsvIssue): the first max_issues */
  GPtrArray       *warnings;       /* (element-type KoersCsvIssue): the first max_issues */
  guint            n_imported;     /* participants written (0 for a dry run or a refusal) */
  guint            n_already;      /* rows skipped because an earlier import stored them */
  guint            n_notes;        /* notes written */
  guint            n_to_import;    /* after pass 1: rows that would be written */
  char            *file_etag;      /* (nullable) the file's identity as the check opened it
                                    * (GIO's etag, size, file id, change time) */
} KoersImportReport;

KoersImportReport *koers_import_report_new (void);
void               koers_import_report_free (KoersImportReport *report);
KoersImportReport *koers_import_report_copy (const KoersImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersImportReport, koers_import_report_free)

typedef enum {
  KOERS_IMPORT_PHASE_CHECKING,
  KOERS_IMPORT_PHASE_WRITING,
  KOERS_IMPORT_PHASE_FINISHING,  /* every row written: the indexes are built, then the commit */
} KoersImportPhase;

/* Called every few hundred rows; @n_total is 0 while checking (the length is not known yet).
 * The participant import reports FINISHING once, after the last row, with no progress of its
 * own to follow (a second or so at 100,000 rows). */
typedef void (*KoersImportProgressFunc) (KoersImportPhase phase,
                                         guint            n_done,
                                         guint            n_total,
                                         gpointer         user_data);

/**
 * koers_import_csv:
 * @db: the database to write to
 * @file: the CSV file (read twice, or once after a preview's check)
 * @options: (nullable): NULL for the defaults (actor "koers", no dry run)
 * @report: (out caller-allocates) (optional): filled with what was found and done, also when
 *   the import is refused (a #KoersImportReport from koers_import_report_new())
 * @cancellable: (nullable): stops the import, the statement running too (also while the
 *   indexes are built at the end); nothing is written then
 * @progress: (nullable) (scope call): progress callback
 * @user_data: for @progress
 * @error: KOERS_IMPORT_ERROR_REFUSED (the report lists why), _MAPPING, a KOERS_CSV_ERROR when the
 *   file cannot be read as a participant list at all (a workbook, a BSN column, ...), an I/O
 *   error, G_IO_ERROR_CANCELLED or a KOERS_DATABASE_ERROR
 *
 * Returns: TRUE when the file was imported (or, for a dry run, would be); on FALSE the database
 * is unchanged.
 */
gboolean koers_import_csv (KoersDatabase            *db,
                           GFile                    *file,
                           const KoersImportOptions *options,
                           KoersImportReport        *report,
                           GCancellable             *cancellable,
                           KoersImportProgressFunc   progress,
                           gpointer                  user_data,
                           GError                  **error);

/* What a CSV file holds: participants (koers_import_csv()), or their notes or activities in
 * the shape `koers-cli export --table notes|activities` writes them. */
typedef enum {
  KOERS_IMPORT_TABLE_PARTICIPANTS,
  KOERS_IMPORT_TABLE_NOTES,
  KOERS_IMPORT_TABLE_ACTIVITIES,
} KoersImportTable;

/* "participants", "notes", "activities" (the export's table names); _from_id FALSE for any
 * other. */
const char *koers_import_table_to_id (KoersImportTable table);
gboolean    koers_import_table_from_id (const char *id, KoersImportTable *out_table);

/**
 * koers_import_table_csv:
 * @table: what the file holds; KOERS_IMPORT_TABLE_PARTICIPANTS is koers_import_csv()
 *
 * Imports notes or activities, each naming its participant by Koers id (the participant-id
 * column of an export), with the same rules and arguments as koers_import_csv(): both passes
 * in one transaction, every problem located, one audit event. Each row keeps its Koers id (a
 * row without one gets an id made from its content), so a second import of the same file
 * finds every row present (counted in n_already) and changes nothing. The participants must
 * be in the database already (import them first); a note's writer (written-by) is kept.
 * report->n_imported counts the rows written (n_notes too for notes).
 *
 * Returns: TRUE when the file was imported (or, for a dry run, would be).
 */
gboolean koers_import_table_csv (KoersDatabase            *db,
                                 KoersImportTable          table,
                                 GFile                    *file,
                                 const KoersImportOptions *options,
                                 KoersImportReport        *report,
                                 GCancellable             *cancellable,
                                 KoersImportProgressFunc   progress,
                                 gpointer                  user_data,
                                 GError                  **error);

G_END_DECLS

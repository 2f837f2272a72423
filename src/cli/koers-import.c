/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-import.c: the two passes of a CSV import (see koers-import.h). Pass 1 checks the whole
 * file without keeping rows; pass 2 reads it again and writes it in one transaction, its rows
 * read and mapped on a second thread (koers-import-feed.c).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-import.h"

#include "cli/koers-import-private.h"
#include "core/koers-csv-reader.h"
#include "core/koers-csv-record.h"
#include "core/koers-date.h"
#include "storage/koers-audit.h"
#include "storage/koers-participant-repository.h"

/* Progress is reported every this many rows: often enough for a progress bar, rarely enough
 * to cost nothing. */
#define PROGRESS_EVERY 256

G_DEFINE_QUARK (koers-import-error-quark, koers_import_error)

void
koers_import_options_init (KoersImportOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (KoersImportOptions) { 0 };
  options->actor = "koers";
  options->max_issues = KOERS_IMPORT_DEFAULT_MAX_ISSUES;
}

/**
 * koers_import_report_new:
 *
 * Returns: (transfer full): an empty report.
 */
KoersImportReport *
koers_import_report_new (void)
{
  KoersImportReport *report = g_new0 (KoersImportReport, 1);

  report->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_csv_issue_free);
  report->warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_csv_issue_free);
  return report;
}

void
koers_import_report_free (KoersImportReport *report)
{
  if (report == NULL)
    return;
  g_strfreev (report->headers);
  g_free (report->mapping);
  g_clear_pointer (&report->errors, g_ptr_array_unref);
  g_clear_pointer (&report->warnings, g_ptr_array_unref);
  g_free (report->file_etag);
  g_free (report);
}

static void
copy_issues (GPtrArray *to, GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, koers_csv_issue_copy (g_ptr_array_index (from, i)));
}

/* Copies everything of @from into @to, which holds nothing (new or just reset). */
static void
copy_report_into (KoersImportReport *to, const KoersImportReport *from)
{
  guint n_headers = from->headers != NULL ? g_strv_length (from->headers) : 0;

  to->encoding = from->encoding;
  to->separator = from->separator;
  to->headers = g_strdupv (from->headers);
  if (from->mapping != NULL)
    to->mapping = g_memdup2 (from->mapping, sizeof (KoersCsvField) * MAX (n_headers, 1));
  to->n_rows = from->n_rows;
  to->n_errors = from->n_errors;
  to->n_warnings = from->n_warnings;
  copy_issues (to->errors, from->errors);
  copy_issues (to->warnings, from->warnings);
  to->n_imported = from->n_imported;
  to->n_already = from->n_already;
  to->n_notes = from->n_notes;
  to->n_to_import = from->n_to_import;
  to->file_etag = g_strdup (from->file_etag);
}

/**
 * koers_import_report_copy:
 * @report: a report
 *
 * Returns: (transfer full): a deep copy, e.g. of a preview's check for an import on another
 *   thread (KoersImportOptions.checked)
 */
KoersImportReport *
koers_import_report_copy (const KoersImportReport *report)
{
  KoersImportReport *copy;

  g_return_val_if_fail (report != NULL, NULL);

  copy = koers_import_report_new ();
  copy_report_into (copy, report);
  return copy;
}

/* Empties @report for a new import, keeping its arrays. */
void
koers_import_report_reset (KoersImportReport *report)
{
  g_clear_pointer (&report->headers, g_strfreev);
  g_clear_pointer (&report->mapping, g_free);
  g_ptr_array_set_size (report->errors, 0);
  g_ptr_array_set_size (report->warnings, 0);
  g_clear_pointer (&report->file_etag, g_free);
  report->encoding = KOERS_CSV_ENCODING_ASCII;
  report->separator = '\0';
  report->n_rows = report->n_errors = report->n_warnings = 0;
  report->n_imported = report->n_already = report->n_notes = report->n_to_import = 0;
}

static void
add_error (KoersImportReport *report, guint max_issues, KoersCsvIssue *issue)
{
  report->n_errors++;
  if (report->errors->len < max_issues)
    g_ptr_array_add (report->errors, issue);
  else
    koers_csv_issue_free (issue);
}

/* What tells one version of a file from another: GIO's etag (the modification time, to the
 * microsecond on a local file) with the size, and, where the file system has them, the file's
 * own id (device and inode) and its change time, which no program sets back (a copy that
 * keeps the modification time, `touch -r`, a coarse clock on a share). */
#define FILE_IDENTITY_ATTRIBUTES \
  G_FILE_ATTRIBUTE_ETAG_VALUE "," G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_ID_FILE "," \
  G_FILE_ATTRIBUTE_TIME_CHANGED "," G_FILE_ATTRIBUTE_TIME_CHANGED_USEC

/* (transfer full) (nullable): NULL when the file system gives no etag; then no check is
 * reused and no change is detected by it. */
static char *
file_identity (GFileInfo *info)
{
  const char *etag = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_ETAG_VALUE);
  const char *id = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_ID_FILE);

  if (etag == NULL || *etag == '\0')
    return NULL;
  return g_strdup_printf ("%s/%" G_GUINT64_FORMAT "/%s/%" G_GUINT64_FORMAT ".%u", etag,
                          g_file_info_get_attribute_uint64 (info,
                                                            G_FILE_ATTRIBUTE_STANDARD_SIZE),
                          id != NULL ? id : "",
                          g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_CHANGED),
                          g_file_info_get_attribute_uint32 (info,
                                                            G_FILE_ATTRIBUTE_TIME_CHANGED_USEC));
}

/* Opens the file and a reader on it with the mapping of @options applied; @out_identity
 * (nullable) gets the identity of the file opened, read from the open file itself. */
static KoersCsvReader *
open_reader (GFile                    *file,
             const KoersImportOptions *options,
             char                    **out_identity,
             GCancellable             *cancellable,
             GError                  **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  g_autoptr(KoersCsvReader) reader = NULL;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;
  if (out_identity != NULL)
    {
      g_autoptr(GFileInfo) info = g_file_input_stream_query_info (stream,
                                                                  FILE_IDENTITY_ATTRIBUTES,
                                                                  cancellable, NULL);

      *out_identity = info != NULL ? file_identity (info) : NULL;
    }
  /* The reader keeps a reference to the stream it reads. */
  buffered = g_buffered_input_stream_new_sized (G_INPUT_STREAM (stream), 64 * 1024);
  reader = koers_csv_reader_new (buffered, cancellable, error);
  if (reader == NULL)
    return NULL;
  if (!koers_import_apply_mapping (reader, options->mapping, error))
    return NULL;
  return g_steal_pointer (&reader);
}

/* TRUE in @out_exists when an earlier import stored @row: its import key, or (a row of a Koers
 * export) a participant with its id. */
static gboolean
row_exists (KoersDatabase *db, const KoersImportRow *row, gboolean *out_exists, GError **error)
{
  const char *id = koers_participant_get_id (row->participant);
  sqlite3_stmt *stmt = koers_database_prepare (db, "SELECT 1 FROM import_row WHERE key = ?",
                                               error);

  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, row->key);
  if (!koers_database_step (db, stmt, out_exists, error))
    return FALSE;
  sqlite3_reset (stmt);
  if (*out_exists || id == NULL)
    return TRUE;
  stmt = koers_database_prepare (db, "SELECT 1 FROM participant WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, id);
  if (!koers_database_step (db, stmt, out_exists, error))
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

static void
describe_file (KoersCsvReader *reader, KoersImportReport *report)
{
  guint n = koers_csv_reader_get_n_columns (reader);
  GStrvBuilder *headers = g_strv_builder_new ();

  report->encoding = koers_csv_reader_get_encoding (reader);
  report->separator = koers_csv_reader_get_separator (reader);
  report->mapping = g_new0 (KoersCsvField, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      g_strv_builder_add (headers, koers_csv_reader_get_header (reader, i));
      report->mapping[i] = koers_csv_reader_get_mapping (reader, i);
    }
  report->headers = g_strv_builder_end (headers);
  g_strv_builder_unref (headers);
}

/* TRUE when @checked (a dry run's report) still holds for @file as it is now: the same file
 * (koers-import.h) with the same columns mapped the same way. */
static gboolean
check_still_holds (GFile                    *file,
                   const KoersImportOptions *options,
                   const KoersImportReport  *checked,
                   GCancellable             *cancellable)
{
  g_autofree char *identity = NULL;
  g_autoptr(KoersCsvReader) reader = NULL;
  guint n;

  if (checked->file_etag == NULL || checked->headers == NULL || checked->mapping == NULL)
    return FALSE;
  /* The reader reads the header and a sample of the first rows (the encoding, the separator,
   * the BSN guard), not the file. */
  reader = open_reader (file, options, &identity, cancellable, NULL);
  if (reader == NULL || g_strcmp0 (identity, checked->file_etag) != 0)
    return FALSE;
  n = koers_csv_reader_get_n_columns (reader);
  if (n != g_strv_length (checked->headers))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (koers_csv_reader_get_header (reader, i), checked->headers[i]) != 0
        || koers_csv_reader_get_mapping (reader, i) != checked->mapping[i])
      return FALSE;
  return TRUE;
}

/* The verdict of @checked as this import's own pass 1 (the counts of what is already there
 * are made again as the rows are written). */
static void
take_check (KoersImportReport *report, const KoersImportReport *checked)
{
  koers_import_report_reset (report);
  copy_report_into (report, checked);
  report->n_imported = report->n_already = report->n_notes = 0;
}

/* Pass 1: every row read and checked, nothing kept but the problems and the counts. */
static gboolean
check_file (KoersDatabase            *db,
            KoersImportMapper        *mapper,
            GFile                    *file,
            const KoersImportOptions *options,
            int                       today_year,
            KoersImportReport        *report,
            GCancellable             *cancellable,
            KoersImportProgressFunc   progress,
            gpointer                  user_data,
            GError                  **error)
{
  g_autoptr(KoersCsvReader) reader = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  GPtrArray *warnings;

  /* From the file as opened, before its rows are read: a change while the passes read is a
   * change. */
  reader = open_reader (file, options, &report->file_etag, cancellable, error);
  if (reader == NULL)
    return FALSE;
  issues = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_csv_issue_free);
  koers_import_check_mapping (reader, issues);
  for (guint i = 0; i < issues->len; i++)
    add_error (report, options->max_issues, g_ptr_array_steal_index (issues, i--));

  for (;;)
    {
      g_autoptr(KoersCsvRecord) record = NULL;
      g_autoptr(GError) local = NULL;
      KoersImportRow row = { NULL, NULL, NULL };

      if (!koers_csv_reader_next (reader, &record, cancellable, &local))
        {
          const KoersCsvIssue *issue;

          if (local == NULL)
            break;
          issue = koers_csv_reader_get_error_issue (reader);
          if (issue == NULL)
            {
              /* I/O error or cancellation: no verdict on the file. */
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          add_error (report, options->max_issues, koers_csv_issue_copy (issue));
          if (!koers_csv_error_is_row_error (local))
            break;
          continue;
        }

      if (koers_import_mapper_map (mapper, reader, record, today_year, &row, issues))
        {
          gboolean exists = FALSE;

          if (!row_exists (db, &row, &exists, error))
            {
              koers_import_row_clear (&row);
              return FALSE;
            }
          if (exists)
            report->n_already++;
          else
            report->n_to_import++;
          koers_import_row_clear (&row);
        }
      for (guint i = 0; i < issues->len; i++)
        add_error (report, options->max_issues, g_ptr_array_steal_index (issues, i--));

      if (progress != NULL && koers_csv_reader_get_n_rows (reader) % PROGRESS_EVERY == 0)
        progress (KOERS_IMPORT_PHASE_CHECKING, koers_csv_reader_get_n_rows (reader), 0,
                  user_data);
    }

  describe_file (reader, report);
  report->n_rows = koers_csv_reader_get_n_rows (reader);
  report->n_warnings = koers_csv_reader_get_n_warnings (reader);
  warnings = koers_csv_reader_get_warnings (reader);
  for (guint i = 0; i < warnings->len && i < options->max_issues; i++)
    g_ptr_array_add (report->warnings, koers_csv_issue_copy (g_ptr_array_index (warnings, i)));
  return TRUE;
}

static gboolean
write_row (KoersDatabase *db, KoersParticipantBulk *bulk, KoersImportRow *row, const char *actor,
           const char *today, KoersImportReport *report, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  const char *participant_id;

  /* koers_import_map_record() has just validated this participant (validated = TRUE). */
  if (!koers_participant_repository_bulk_insert (bulk, row->participant, TRUE, actor, error))
    return FALSE;
  participant_id = koers_participant_get_id (row->participant);
  if (row->note != NULL)
    {
      g_autoptr(KoersNote) note = koers_note_new ();

      /* No event per note: the import's one event counts them. */
      note->participant_id = g_strdup (participant_id);
      note->kind = KOERS_NOTE_KIND_OTHER;
      note->occurred_on = g_strdup (today);
      note->body = g_strdup (row->note);
      if (!koers_participant_repository_bulk_add_note (bulk, note, actor, error))
        return FALSE;
      report->n_notes++;
    }
  stmt = koers_database_prepare (db, "INSERT INTO import_row (key, participant_id, imported_at) "
                                     "VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, row->key);
  koers_bind_text (stmt, 2, participant_id);
  koers_bind_text (stmt, 3, koers_participant_repository_bulk_get_now (bulk));
  if (!koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  report->n_imported++;
  return TRUE;
}

/* Pass 2, inside the caller's transaction, with the rows read and mapped on the feed's thread.
 * The file was checked, so any problem now means it changed between the passes: the whole
 * import stops. */
static gboolean
write_file (KoersDatabase            *db,
            KoersImportMapper        *mapper,
            GFile                    *file,
            const KoersImportOptions *options,
            int                       today_year,
            KoersImportReport        *report,
            GCancellable             *cancellable,
            KoersImportProgressFunc   progress,
            gpointer                  user_data,
            GError                  **error)
{
  g_autoptr(KoersImportFeed) feed = NULL;
  g_autoptr(KoersParticipantBulk) bulk = NULL;
  g_autofree char *today = koers_database_today (db);
  KoersCsvReader *reader = open_reader (file, options, NULL, cancellable, error);
  guint n_done = 0;

  if (reader == NULL)
    return FALSE;
  feed = koers_import_feed_start (reader, mapper, today_year, cancellable, error);
  if (feed == NULL)
    return FALSE;
  /* One audit event for the whole import (audit_import()), naming the file and the counts;
   * the participants it created are the ones with its import_row keys. */
  /* Nothing but the first status is recorded for an imported participant: the batch writes
   * those at its end. */
  bulk = koers_participant_repository_bulk_begin_sized (db, FALSE, report->n_to_import, TRUE,
                                                        error);
  if (bulk == NULL)
    return FALSE;
  /* The end of a large import is a few long statements (the indexes, the first statuses):
   * a cancellation stops the one running, not only the next row. */
  koers_participant_repository_bulk_set_cancellable (bulk, cancellable);
  report->n_already = 0;
  for (;;)
    {
      g_autoptr(GError) local = NULL;
      KoersImportRow row = { NULL, NULL, NULL };
      gboolean exists = FALSE;
      gboolean ok;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!koers_import_feed_next (feed, &row, &local))
        {
          if (local != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          if (progress != NULL)
            progress (KOERS_IMPORT_PHASE_FINISHING, n_done, report->n_rows, user_data);
          return koers_participant_repository_bulk_end (bulk, error);
        }
      ok = row_exists (db, &row, &exists, error);
      if (ok && exists)
        report->n_already++;
      else if (ok)
        ok = write_row (db, bulk, &row, options->actor, today, report, error);
      koers_import_row_clear (&row);
      if (!ok)
        return FALSE;

      if (progress != NULL && ++n_done % PROGRESS_EVERY == 0)
        progress (KOERS_IMPORT_PHASE_WRITING, n_done, report->n_rows, user_data);
    }
}

gboolean
koers_import_refuse (KoersImportReport *report, gboolean accept_warnings, GError **error)
{
  if (report->n_errors > 0)
    {
      g_set_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "the file has %u error: nothing was imported",
                                "the file has %u errors: nothing was imported",
                                report->n_errors),
                   report->n_errors);
      return TRUE;
    }
  if (report->n_warnings > 0 && !accept_warnings)
    {
      g_set_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "the file has %u warning to confirm or fix: nothing was imported",
                                "the file has %u warnings to confirm or fix: nothing was "
                                "imported",
                                report->n_warnings),
                   report->n_warnings);
      return TRUE;
    }
  return FALSE;
}

/* The file written is the file checked: a file saved again while it was imported (its rows
 * may all still map) refuses the import. */
static gboolean
file_unchanged (GFile *file, const KoersImportReport *report, GCancellable *cancellable,
                GError **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *identity = NULL;

  if (report->file_etag == NULL)
    return TRUE;
  info = g_file_query_info (file, FILE_IDENTITY_ATTRIBUTES, G_FILE_QUERY_INFO_NONE, cancellable,
                            &local);
  if (info == NULL)
    {
      /* Gone, renamed, a share that dropped: say so, not "changed". */
      g_set_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED,
                   _("the file could not be looked at again after it was read (%s): nothing "
                     "was imported"), local->message);
      return FALSE;
    }
  identity = file_identity (info);
  if (g_strcmp0 (identity, report->file_etag) == 0)
    return TRUE;
  g_set_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED,
               _("the file changed while it was imported: nothing was imported; check it "
                 "again"));
  return FALSE;
}

static gboolean
audit_import (KoersDatabase *db, GFile *file, const KoersImportOptions *options,
              const KoersImportReport *report, GError **error)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *purpose = NULL;

  /* Not translated: the audit trail is read by auditors and by the server, in one language. */
  purpose = g_strdup_printf ("CSV import of %s: %u participants, %u already imported, %u notes",
                             name, report->n_imported, report->n_already, report->n_notes);
  return koers_audit_record (db, options->actor, KOERS_AUDIT_ACTION_CREATE, "import", NULL,
                             purpose, KOERS_AUDIT_RESULT_SUCCESS, error);
}

/* The page cache during an import, in KiB. With SQLite's default 2 MiB cache a 100,000-row
 * import spent a tenth of its time writing pages out and reading them back, when its ids were
 * random; with time-ordered ids and the indexes built at the end, 8 MiB does as well as 64
 * did (100,000 and 1,000,000 rows, docs/performance.md) at 80 to 120 MiB less peak memory.
 * The cache is allocated only as pages are used, and given back when the import ends. */
#define IMPORT_CACHE_KIB 8192

/* Returns the cache_size setting before. */
static gint64
set_import_cache (KoersDatabase *db)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, "PRAGMA cache_size", NULL);
  gboolean has_row = FALSE;
  gint64 before = -2000;  /* SQLite's default */
  g_autofree char *set = NULL;

  if (stmt != NULL && koers_database_step (db, stmt, &has_row, NULL) && has_row)
    before = koers_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  set = g_strdup_printf ("PRAGMA cache_size = %d", -IMPORT_CACHE_KIB);
  /* Only speed depends on it: a failure is not the import's. */
  koers_database_exec (db, set, NULL);
  return before;
}

static void
restore_cache (KoersDatabase *db, gint64 cache_size)
{
  g_autofree char *set = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, cache_size);

  koers_database_exec (db, set, NULL);
}

/* A statement the cancellation interrupted (the end of write_file()'s batch) fails as a
 * database error: the caller is told it was the cancellation. */
static void
tell_cancelled (GCancellable *cancellable, GError **error)
{
  if (!g_cancellable_is_cancelled (cancellable) || error == NULL
      || g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_error (error);
  g_cancellable_set_error_if_cancelled (cancellable, error);
}

gboolean
koers_import_csv (KoersDatabase            *db,
                  GFile                    *file,
                  const KoersImportOptions *options,
                  KoersImportReport        *report,
                  GCancellable             *cancellable,
                  KoersImportProgressFunc   progress,
                  gpointer                  user_data,
                  GError                  **error)
{
  g_autoptr(KoersImportReport) own_report = NULL;
  g_autoptr(KoersImportMapper) mapper = NULL;
  KoersImportOptions defaults;
  KoersImportOptions opts;
  g_autoptr(GError) local = NULL;
  gboolean reused;
  gboolean written;
  gint64 cache_size;
  int today_year;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  koers_import_options_init (&defaults);
  opts = options != NULL ? *options : defaults;
  if (opts.actor == NULL)
    opts.actor = defaults.actor;
  if (opts.max_issues == 0)
    opts.max_issues = KOERS_IMPORT_DEFAULT_MAX_ISSUES;
  today_year = opts.today_year > 0 ? opts.today_year : koers_date_today_year ();

  if (report == NULL)
    report = own_report = koers_import_report_new ();
  koers_import_report_reset (report);

  /* Both passes in one transaction: pass 1's look-ups of the import keys then share one read
   * lock instead of taking one each, and no other writer can store a key between the passes.
   * A refusal or a dry run rolls it back, having written nothing. */
  if (!koers_database_begin (db, error))
    return FALSE;
  cache_size = set_import_cache (db);
  mapper = koers_import_mapper_new ();
  if (!koers_import_mapper_load_coaches (mapper, db, error))
    {
      restore_cache (db, cache_size);
      koers_database_rollback (db);
      return FALSE;
    }
  /* A preview's check of this very file stands in for pass 1 (not for a dry run: that is
   * the check itself). */
  reused = !opts.dry_run && opts.checked != NULL
           && check_still_holds (file, &opts, opts.checked, cancellable);
  if (reused)
    take_check (report, opts.checked);
  else if (!check_file (db, mapper, file, &opts, today_year, report, cancellable, progress,
                        user_data, error))
    {
      restore_cache (db, cache_size);
      koers_database_rollback (db);
      return FALSE;
    }
  if (koers_import_refuse (report, opts.accept_warnings, error))
    {
      restore_cache (db, cache_size);
      koers_database_rollback (db);
      return FALSE;
    }
  if (opts.dry_run)
    {
      restore_cache (db, cache_size);
      koers_database_rollback (db);
      return TRUE;
    }

  written = write_file (db, mapper, file, &opts, today_year, report, cancellable, progress,
                        user_data, &local);
  if (!written && reused
      && g_error_matches (local, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED))
    {
      /* A row the preview passed does not map now, in the same file: what changed is the
       * database (a coach removed since) or the year. Check the file again as things are
       * now, so the refusal names the rows and the real reason. */
      KoersImportOptions again = opts;

      restore_cache (db, cache_size);
      koers_database_rollback (db);
      again.checked = NULL;
      return koers_import_csv (db, file, &again, report, cancellable, progress, user_data,
                               error);
    }
  if (!written)
    g_propagate_error (error, g_steal_pointer (&local));
  if (!written
      || g_cancellable_set_error_if_cancelled (cancellable, error)
      || !file_unchanged (file, report, cancellable, error)
      /* Nothing new (the same file again): nothing is written, not even an audit event. */
      || (report->n_imported > 0 && !audit_import (db, file, &opts, report, error)))
    {
      restore_cache (db, cache_size);
      koers_database_rollback (db);
      report->n_imported = report->n_notes = 0;
      tell_cancelled (cancellable, error);
      return FALSE;
    }
  restore_cache (db, cache_size);
  /* A failed commit has rolled back already. */
  if (!koers_database_commit (db, error))
    {
      report->n_imported = report->n_notes = 0;
      return FALSE;
    }
  return TRUE;
}

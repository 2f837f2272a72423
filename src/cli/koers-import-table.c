/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-import-table.c: importing a participant's notes and activities from CSV, in the shape
 * `koers-cli export --table notes|activities` writes them (koers-export.c): one row per note or
 * activity, naming its participant by Koers id (participant-id). The same rules as the
 * participant import (koers-import.h): two passes, all or nothing, located messages, Excel
 * damage to confirm, one audit event for the whole file, and a second import of the same file
 * changes nothing: a row keeps its id when it has one, and a row without gets an id made from
 * its content, so it is found the second time.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-import.h"

#include "cli/koers-import-private.h"
#include "core/koers-bsn.h"
#include "core/koers-csv-damage.h"
#include "core/koers-csv-header.h"
#include "core/koers-csv-reader.h"
#include "core/koers-csv-record.h"
#include "core/koers-participant.h"
#include "core/koers-text.h"
#include "storage/koers-audit.h"
#include "storage/koers-participant-repository.h"

#include <stdlib.h>
#include <string.h>

#define PROGRESS_EVERY 256

typedef enum {
  COL_ID,
  COL_PARTICIPANT_ID,
  COL_KIND,
  COL_OCCURRED_ON,
  COL_BODY,
  COL_REVISION,
  COL_REVISION_OF,
  COL_WRITTEN_BY,
  COL_TITLE,
  COL_SECTOR,
  COL_PROVIDER,
  COL_EMPLOYER,
  COL_NLQF_LEVEL,
  COL_STARTED_ON,
  COL_ENDED_ON,
  N_COLS
} Col;

/* Header keys (koers_csv_header_key): the export's identifiers first, then Dutch. */
static const struct {
  const char *key;
  Col         col;
} col_aliases[] = {
  { "id", COL_ID },
  { "participantid", COL_PARTICIPANT_ID },
  { "deelnemerid", COL_PARTICIPANT_ID },
  { "kind", COL_KIND },
  { "soort", COL_KIND },
  { "occurredon", COL_OCCURRED_ON },
  { "datum", COL_OCCURRED_ON },
  { "body", COL_BODY },
  { "tekst", COL_BODY },
  { "notitie", COL_BODY },
  { "revision", COL_REVISION },
  { "versie", COL_REVISION },
  { "revisionof", COL_REVISION_OF },
  { "writtenby", COL_WRITTEN_BY },
  { "auteur", COL_WRITTEN_BY },
  { "title", COL_TITLE },
  { "titel", COL_TITLE },
  { "sector", COL_SECTOR },
  { "provider", COL_PROVIDER },
  { "aanbieder", COL_PROVIDER },
  { "employer", COL_EMPLOYER },
  { "werkgever", COL_EMPLOYER },
  { "nlqflevel", COL_NLQF_LEVEL },
  { "nlqfniveau", COL_NLQF_LEVEL },
  { "startedon", COL_STARTED_ON },
  { "startdatum", COL_STARTED_ON },
  { "begindatum", COL_STARTED_ON },
  { "endedon", COL_ENDED_ON },
  { "einddatum", COL_ENDED_ON },
};

typedef struct {
  KoersImportTable  table;
  KoersDatabase    *db;
  KoersCsvReader   *reader;
  int               columns[N_COLS];
  guint             max_issues;
  KoersImportReport *report;
  GPtrArray        *issues;   /* this row's errors */
  GPtrArray        *warnings; /* this row's warnings */
  char             *today;
} Context;

typedef struct {
  KoersNote     *note;
  KoersActivity *activity;
} TableRow;

static void
table_row_clear (TableRow *row)
{
  g_clear_pointer (&row->note, koers_note_free);
  g_clear_pointer (&row->activity, koers_activity_free);
}

const char *
koers_import_table_to_id (KoersImportTable table)
{
  switch (table)
    {
    case KOERS_IMPORT_TABLE_NOTES:
      return "notes";
    case KOERS_IMPORT_TABLE_ACTIVITIES:
      return "activities";
    case KOERS_IMPORT_TABLE_PARTICIPANTS:
    default:
      return "participants";
    }
}

gboolean
koers_import_table_from_id (const char *id, KoersImportTable *out_table)
{
  g_return_val_if_fail (out_table != NULL, FALSE);

  for (int t = KOERS_IMPORT_TABLE_PARTICIPANTS; t <= KOERS_IMPORT_TABLE_ACTIVITIES; t++)
    if (id != NULL && g_ascii_strcasecmp (id, koers_import_table_to_id (t)) == 0)
      {
        *out_table = (KoersImportTable) t;
        return TRUE;
      }
  return FALSE;
}

static void
add_issue (Context *ctx, const KoersCsvRecord *record, Col col, const char *reason,
           gboolean warning)
{
  int index = ctx->columns[col];
  KoersCsvIssue *issue;

  if (index >= 0)
    issue = koers_csv_issue_new (koers_csv_record_get_value_line (record, (guint) index),
                                 koers_csv_record_get_value_column (record, (guint) index),
                                 index, koers_csv_reader_get_header (ctx->reader, (guint) index),
                                 reason);
  else
    issue = koers_csv_issue_new (koers_csv_record_get_line (record), 1, -1, NULL, reason);
  g_ptr_array_add (warning ? ctx->warnings : ctx->issues, issue);
}

static const char *
cell (Context *ctx, const KoersCsvRecord *record, Col col)
{
  const char *value;

  if (ctx->columns[col] < 0)
    return NULL;
  value = koers_csv_record_get_value (record, (guint) ctx->columns[col]);
  /* The quote Koers's export puts before = + - @ TAB CR (koers-export.h). */
  if (value[0] == '\'' && strchr ("=+-@\t\r", value[1]) != NULL && value[1] != '\0')
    value++;
  return *value != '\0' ? value : NULL;
}

/* Text of at most @max characters; multi-line for a note's body. */
static char *
text_cell (Context *ctx, const KoersCsvRecord *record, Col col, gboolean required,
           gboolean multi_line, int max, const char *missing)
{
  const char *value = cell (ctx, record, col);
  g_autofree char *reason = NULL;

  if (value == NULL)
    {
      if (required)
        add_issue (ctx, record, col, missing, FALSE);
      return NULL;
    }
  if (multi_line ? !koers_text_check_multi_line (value, &reason)
                 : !koers_text_check_single_line (value, &reason))
    add_issue (ctx, record, col, reason, FALSE);
  else if (g_utf8_strlen (value, -1) > max)
    {
      reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "at most %d character",
                                             "at most %d characters", max), max);
      add_issue (ctx, record, col, reason, FALSE);
    }
  else if (koers_text_find_bsn_like (value) != NULL)
    add_issue (ctx, record, col, _("contains a number that passes the elfproef, like a citizen "
                                   "service number (BSN); Koers may not store BSNs: remove it"),
               FALSE);
  else
    return g_strdup (value);
  return NULL;
}

static char *
date_cell (Context *ctx, const KoersCsvRecord *record, Col col)
{
  const char *value = cell (ctx, record, col);
  gboolean reinterpreted = FALSE;
  char *iso = NULL;

  if (value == NULL)
    return NULL;
  if (!koers_csv_parse_date (value, &iso, &reinterpreted))
    {
      g_autofree char *reason =
        g_strdup_printf (_("“%s” is not a date: write it as YYYY-MM-DD"), value);
      add_issue (ctx, record, col, reason, FALSE);
      return NULL;
    }
  if (reinterpreted)
    {
      g_autofree char *reason =
        g_strdup_printf (_("“%s” may be a date a spreadsheet rewrote: Koers reads it as %s"),
                         value, iso);
      add_issue (ctx, record, col, reason, TRUE);
    }
  return iso;
}

static int
number_cell (Context *ctx, const KoersCsvRecord *record, Col col, int min, int max, int unset)
{
  const char *value = cell (ctx, record, col);
  guint64 number = 0;

  if (value == NULL)
    return unset;
  if (!g_ascii_string_to_unsigned (value, 10, (guint64) min, (guint64) max, &number, NULL))
    {
      g_autofree char *reason =
        g_strdup_printf (_("“%s” is not a whole number from %d to %d"), value, min, max);
      add_issue (ctx, record, col, reason, FALSE);
      return unset;
    }
  return (int) number;
}

/* A vocabulary cell, matched on its key against the identifiers and labels. */
static int
vocabulary_cell (Context *ctx, const KoersCsvRecord *record, Col col, guint n,
                 const char *(*to_id) (int), const char *(*label) (int), const char *problem)
{
  const char *value = cell (ctx, record, col);
  g_autofree char *key = NULL;

  if (value == NULL)
    return -1;
  key = koers_csv_header_key (value);
  for (guint i = 0; i < n && *key != '\0'; i++)
    {
      g_autofree char *id_key = koers_csv_header_key (to_id ((int) i));
      g_autofree char *label_key = koers_csv_header_key (label ((int) i));

      if (g_str_equal (key, id_key) || g_str_equal (key, label_key))
        return (int) i;
    }
  {
    g_autofree char *reason = g_strdup_printf (problem, value);

    add_issue (ctx, record, col, reason, FALSE);
  }
  return -2;
}

static const char *note_kind_id (int v) { return koers_note_kind_to_id (v); }
static const char *note_kind_label (int v) { return koers_note_kind_label (v); }
static const char *activity_kind_id (int v) { return koers_activity_kind_to_id (v); }
static const char *activity_kind_label (int v) { return koers_activity_kind_label (v); }
static const char *sector_id (int v) { return koers_sector_to_id (v); }
static const char *sector_label (int v) { return koers_sector_label (v); }

/* A Koers id in the cell, lower case, or NULL (with an error when @required_uuid). */
static char *
uuid_cell (Context *ctx, const KoersCsvRecord *record, Col col, const char *not_an_id)
{
  const char *value = cell (ctx, record, col);

  if (value == NULL)
    return NULL;
  if (!g_uuid_string_is_valid (value))
    {
      if (not_an_id != NULL)
        {
          g_autofree char *reason = g_strdup_printf (not_an_id, value);

          add_issue (ctx, record, col, reason, FALSE);
        }
      return NULL;
    }
  return g_ascii_strdown (value, -1);
}

/* An id made from the row's content (RFC 9562 version 8 layout), for a row that has none: the
 * same row in a second import gets the same id and is found already there. */
static char *
content_id (Context *ctx, const KoersCsvRecord *record)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) koers_import_table_to_id (ctx->table), -1);
  for (int col = COL_PARTICIPANT_ID; col < N_COLS; col++)
    {
      const char *value = cell (ctx, record, (Col) col);

      g_checksum_update (checksum, (const guchar *) "\x1e", 1);
      if (value != NULL)
        g_checksum_update (checksum, (const guchar *) value, -1);
    }
  g_checksum_get_digest (checksum, digest, &length);
  digest[6] = (guint8) ((digest[6] & 0x0f) | 0x80);
  digest[8] = (guint8) ((digest[8] & 0x3f) | 0x80);
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

static gboolean
exists (KoersDatabase *db, const char *sql, const char *id, gboolean *out_deleted,
        gboolean *out_exists, GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, id);
  if (!koers_database_step (db, stmt, out_exists, error))
    return FALSE;
  if (*out_exists && out_deleted != NULL)
    *out_deleted = koers_column_bool (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static void
map_note (Context *ctx, const KoersCsvRecord *record, KoersNote *note)
{
  int kind = vocabulary_cell (ctx, record, COL_KIND, KOERS_N_NOTE_KINDS, note_kind_id,
                              note_kind_label,
                              _("“%s” is not a kind of note (conversation, phone, e-mail, home "
                                "visit or other)"));

  note->kind = kind >= 0 ? (KoersNoteKind) kind : KOERS_NOTE_KIND_OTHER;
  note->occurred_on = date_cell (ctx, record, COL_OCCURRED_ON);
  if (note->occurred_on == NULL && cell (ctx, record, COL_OCCURRED_ON) == NULL)
    note->occurred_on = g_strdup (ctx->today);
  note->body = text_cell (ctx, record, COL_BODY, TRUE, TRUE, KOERS_LONG_TEXT_MAX_CHARS,
                          _("the note's text is missing"));
  note->revision = number_cell (ctx, record, COL_REVISION, 1, G_MAXINT, 1);
  note->revision_of = uuid_cell (ctx, record, COL_REVISION_OF,
                                 _("“%s” is not the Koers id of a note"));
  note->meta.created_by = text_cell (ctx, record, COL_WRITTEN_BY, FALSE, FALSE,
                                     KOERS_SHORT_TEXT_MAX_CHARS, NULL);
  /* A later revision revises the first; the first revises nothing (the table's rule). */
  if ((note->revision == 1) != (note->revision_of == NULL) && ctx->issues->len == 0)
    add_issue (ctx, record, note->revision_of == NULL ? COL_REVISION_OF : COL_REVISION,
               _("a note's first revision revises no other note, every later one names the "
                 "note it revises"), FALSE);
}

static void
map_activity (Context *ctx, const KoersCsvRecord *record, KoersActivity *a)
{
  int kind = vocabulary_cell (ctx, record, COL_KIND, KOERS_N_ACTIVITY_KINDS, activity_kind_id,
                              activity_kind_label,
                              _("“%s” is not a kind of activity (proeverij, training, "
                                "work-learning place, certificate, praktijkverklaring or "
                                "microcredential)"));
  int sector = vocabulary_cell (ctx, record, COL_SECTOR, KOERS_N_SECTORS, sector_id,
                                sector_label, _("“%s” is not an opportunity sector"));

  if (kind == -1)
    add_issue (ctx, record, COL_KIND, _("the kind of activity is missing"), FALSE);
  a->kind = kind >= 0 ? (KoersActivityKind) kind : KOERS_ACTIVITY_TRAINING;
  a->sector = sector >= 0 ? sector : -1;
  a->title = text_cell (ctx, record, COL_TITLE, TRUE, FALSE, KOERS_SHORT_TEXT_MAX_CHARS,
                        _("the title is missing"));
  a->provider = text_cell (ctx, record, COL_PROVIDER, FALSE, FALSE, KOERS_SHORT_TEXT_MAX_CHARS,
                           NULL);
  a->employer = text_cell (ctx, record, COL_EMPLOYER, FALSE, FALSE, KOERS_SHORT_TEXT_MAX_CHARS,
                           NULL);
  a->nlqf_level = number_cell (ctx, record, COL_NLQF_LEVEL, 1, 8, 0);
  a->started_on = date_cell (ctx, record, COL_STARTED_ON);
  a->ended_on = date_cell (ctx, record, COL_ENDED_ON);
  if (kind < 0 || sector == -2)
    return;
  /* The activity rules (koers-activity-repository.c), located at their cells. */
  if (a->kind == KOERS_ACTIVITY_PROEVERIJ && a->sector < 0)
    add_issue (ctx, record, COL_SECTOR, _("Choose the sector of the proeverij"), FALSE);
  else if (a->kind != KOERS_ACTIVITY_PROEVERIJ && a->sector >= 0)
    add_issue (ctx, record, COL_SECTOR, _("Only a proeverij has a sector"), FALSE);
  if (a->nlqf_level > 0 && !koers_activity_kind_is_credential (a->kind))
    add_issue (ctx, record, COL_NLQF_LEVEL, _("Only a certificate, praktijkverklaring or "
                                              "microcredential has an NLQF level"), FALSE);
  if (a->started_on != NULL && a->ended_on != NULL && strcmp (a->ended_on, a->started_on) < 0)
    add_issue (ctx, record, COL_ENDED_ON, _("The end date is before the start date"), FALSE);
}

/* Reads @record into @out_row. FALSE with ctx->issues when the row is refused; @out_already
 * when an earlier import stored it. */
static gboolean
map_row (Context *ctx, const KoersCsvRecord *record, TableRow *out_row, gboolean *out_already,
         GError **error)
{
  g_autofree char *participant_id = NULL;
  g_autofree char *id = NULL;
  gboolean found = FALSE;
  gboolean deleted = FALSE;
  KoersRecordMeta *meta;
  const char *sql;

  participant_id = uuid_cell (ctx, record, COL_PARTICIPANT_ID,
                              _("“%s” is not the Koers id of a participant"));
  if (participant_id == NULL && cell (ctx, record, COL_PARTICIPANT_ID) == NULL)
    add_issue (ctx, record, COL_PARTICIPANT_ID, _("the participant's Koers id is missing"),
               FALSE);
  if (participant_id != NULL)
    {
      if (!exists (ctx->db, "SELECT deleted FROM participant WHERE id = ?1", participant_id,
                   &deleted, &found, error))
        return FALSE;
      if (!found || deleted)
        add_issue (ctx, record, COL_PARTICIPANT_ID,
                   _("Koers has no participant with this id: import the participants first"),
                   FALSE);
    }
  if (ctx->table == KOERS_IMPORT_TABLE_NOTES)
    {
      out_row->note = koers_note_new ();
      map_note (ctx, record, out_row->note);
      meta = &out_row->note->meta;
      out_row->note->participant_id = g_strdup (participant_id);
      sql = "SELECT 0 FROM note WHERE id = ?1";
    }
  else
    {
      out_row->activity = koers_activity_new ();
      map_activity (ctx, record, out_row->activity);
      meta = &out_row->activity->meta;
      out_row->activity->participant_id = g_strdup (participant_id);
      sql = "SELECT 0 FROM activity WHERE id = ?1";
    }
  id = uuid_cell (ctx, record, COL_ID, NULL);
  if (id == NULL)
    id = content_id (ctx, record);
  if (!exists (ctx->db, sql, id, NULL, out_already, error))
    return FALSE;
  meta->id = g_steal_pointer (&id);
  return TRUE;
}

static void
flush_issues (Context *ctx, GPtrArray *issues, GPtrArray *kept, guint *count)
{
  for (guint i = 0; i < issues->len; i++)
    {
      (*count)++;
      if (kept->len < ctx->max_issues)
        g_ptr_array_add (kept, g_ptr_array_steal_index (issues, i--));
    }
  g_ptr_array_set_size (issues, 0);
}

static KoersCsvReader *
open_table_reader (Context *ctx, GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr(GFileInputStream) stream = g_file_read (file, cancellable, error);
  g_autoptr(GInputStream) buffered = NULL;
  KoersCsvReader *reader;
  guint n;

  if (stream == NULL)
    return NULL;
  buffered = g_buffered_input_stream_new_sized (G_INPUT_STREAM (stream), 64 * 1024);
  reader = koers_csv_reader_new (buffered, cancellable, error);
  if (reader == NULL)
    return NULL;
  for (int c = 0; c < N_COLS; c++)
    ctx->columns[c] = -1;
  n = koers_csv_reader_get_n_columns (reader);
  /* These columns are not a participant's: the participant checks stay off, this file's own
   * apply (text, dates, numbers, vocabularies). */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = koers_csv_header_key (koers_csv_reader_get_header (reader, i));

      koers_csv_reader_set_mapping (reader, i, KOERS_CSV_FIELD_NONE);
      for (gsize a = 0; a < G_N_ELEMENTS (col_aliases); a++)
        if (g_str_equal (key, col_aliases[a].key) && ctx->columns[col_aliases[a].col] < 0)
          ctx->columns[col_aliases[a].col] = (int) i;
    }
  return reader;
}

/* One pass: pass 1 (@bulk NULL) checks and counts; pass 2 writes. */
static gboolean
run_pass (Context *ctx, GFile *file, KoersParticipantBulk *bulk, const char *actor,
          GCancellable *cancellable, KoersImportProgressFunc progress, gpointer user_data,
          GError **error)
{
  g_autoptr(KoersCsvReader) reader = open_table_reader (ctx, file, cancellable, error);
  KoersImportReport *report = ctx->report;
  guint line;

  if (reader == NULL)
    return FALSE;
  ctx->reader = reader;
  line = koers_csv_reader_get_header_line (reader);
  if (bulk == NULL && ctx->columns[COL_PARTICIPANT_ID] < 0)
    g_ptr_array_add (ctx->issues, koers_csv_issue_new (line, 1, -1, NULL,
                                                       _("no column holds the participant's "
                                                         "Koers id (participant-id)")));
  report->n_already = 0;
  for (;;)
    {
      g_autoptr(KoersCsvRecord) record = NULL;
      g_autoptr(GError) local = NULL;
      TableRow row = { NULL, NULL };
      gboolean already = FALSE;
      gboolean ok = TRUE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!koers_csv_reader_next (reader, &record, cancellable, &local))
        {
          const KoersCsvIssue *issue = koers_csv_reader_get_error_issue (reader);

          if (local == NULL)
            break;
          if (issue == NULL || bulk != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          g_ptr_array_add (ctx->issues, koers_csv_issue_copy (issue));
          flush_issues (ctx, ctx->issues, report->errors, &report->n_errors);
          if (!koers_csv_error_is_row_error (local))
            break;
          continue;
        }
      if (!map_row (ctx, record, &row, &already, error))
        {
          table_row_clear (&row);
          return FALSE;
        }
      if (bulk != NULL && ctx->issues->len > 0)
        {
          const KoersCsvIssue *issue = g_ptr_array_index (ctx->issues, 0);

          g_set_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED,
                       _("the file changed while it was imported: %s"), issue->message);
          table_row_clear (&row);
          return FALSE;
        }
      if (ctx->issues->len == 0 && already)
        report->n_already++;
      else if (ctx->issues->len == 0 && bulk == NULL)
        report->n_to_import++;
      else if (ctx->issues->len == 0 && row.note != NULL)
        ok = koers_participant_repository_bulk_add_note (bulk, row.note, actor, error);
      else if (ctx->issues->len == 0)
        ok = koers_participant_repository_bulk_add_activity (bulk, row.activity, actor, error);
      if (ok && bulk != NULL && !already)
        {
          report->n_imported++;
          if (row.note != NULL)
            report->n_notes++;
        }
      table_row_clear (&row);
      if (!ok)
        return FALSE;
      flush_issues (ctx, ctx->issues, report->errors, &report->n_errors);
      if (bulk == NULL)
        flush_issues (ctx, ctx->warnings, report->warnings, &report->n_warnings);
      g_ptr_array_set_size (ctx->warnings, 0);
      if (progress != NULL && koers_csv_reader_get_n_rows (reader) % PROGRESS_EVERY == 0)
        progress (bulk == NULL ? KOERS_IMPORT_PHASE_CHECKING : KOERS_IMPORT_PHASE_WRITING,
                  koers_csv_reader_get_n_rows (reader), bulk == NULL ? 0 : report->n_rows,
                  user_data);
    }
  if (bulk == NULL)
    {
      GStrvBuilder *headers = g_strv_builder_new ();
      guint n = koers_csv_reader_get_n_columns (reader);

      flush_issues (ctx, ctx->issues, report->errors, &report->n_errors);
      report->encoding = koers_csv_reader_get_encoding (reader);
      report->separator = koers_csv_reader_get_separator (reader);
      report->n_rows = koers_csv_reader_get_n_rows (reader);
      report->mapping = g_new0 (KoersCsvField, MAX (n, 1));
      for (guint i = 0; i < n; i++)
        g_strv_builder_add (headers, koers_csv_reader_get_header (reader, i));
      report->headers = g_strv_builder_end (headers);
      g_strv_builder_unref (headers);
    }
  ctx->reader = NULL;
  return TRUE;
}

/* A revision names a note that must be in the file or the database: found once every row is
 * in, so the order of the rows does not matter. */
static gboolean
check_revisions (KoersDatabase *db, GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, "SELECT n.id, n.revision_of FROM note AS n "
                                                   "WHERE n.revision_of IS NOT NULL AND NOT "
                                                   "EXISTS (SELECT 1 FROM note AS o "
                                                   "WHERE o.id = n.revision_of) LIMIT 1",
                                               error);
  gboolean has_row = FALSE;

  if (stmt == NULL || !koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      g_set_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED,
                   _("note %s revises note %s, which is neither in the file nor in Koers: "
                     "nothing was imported"), koers_column_text (stmt, 0),
                   koers_column_text (stmt, 1));
      sqlite3_reset (stmt);
      return FALSE;
    }
  return TRUE;
}

gboolean
koers_import_table_csv (KoersDatabase            *db,
                        KoersImportTable          table,
                        GFile                    *file,
                        const KoersImportOptions *options,
                        KoersImportReport        *report,
                        GCancellable             *cancellable,
                        KoersImportProgressFunc   progress,
                        gpointer                  user_data,
                        GError                  **error)
{
  g_autoptr(KoersImportReport) own_report = NULL;
  g_autoptr(KoersParticipantBulk) bulk = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autofree char *today = NULL;
  g_autofree char *name = NULL;
  g_autofree char *purpose = NULL;
  KoersImportOptions opts;
  Context ctx = { 0 };

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (table == KOERS_IMPORT_TABLE_PARTICIPANTS)
    return koers_import_csv (db, file, options, report, cancellable, progress, user_data,
                             error);
  koers_import_options_init (&opts);
  if (options != NULL)
    opts = *options;
  if (opts.actor == NULL)
    opts.actor = "koers";
  if (opts.max_issues == 0)
    opts.max_issues = KOERS_IMPORT_DEFAULT_MAX_ISSUES;
  if (report == NULL)
    report = own_report = koers_import_report_new ();
  koers_import_report_reset (report);
  issues = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_csv_issue_free);
  warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_csv_issue_free);
  today = koers_database_today (db);
  ctx = (Context) { table, db, NULL, { 0 }, opts.max_issues, report, issues, warnings, today };

  if (!koers_database_begin (db, error))
    return FALSE;
  if (!run_pass (&ctx, file, NULL, opts.actor, cancellable, progress, user_data, error)
      || koers_import_refuse (report, opts.accept_warnings, error))
    {
      koers_database_rollback (db);
      return FALSE;
    }
  if (opts.dry_run)
    {
      koers_database_rollback (db);
      return TRUE;
    }
  /* A revision may come before the note it revises: the reference is checked at the end. */
  if (!koers_database_exec (db, "PRAGMA defer_foreign_keys = ON", error))
    goto failed;
  bulk = koers_participant_repository_bulk_begin (db, FALSE, error);
  name = g_file_get_basename (file);
  /* Not translated: the audit trail is read by auditors and by the server, in one language. */
  if (bulk == NULL
      || !run_pass (&ctx, file, bulk, opts.actor, cancellable, progress, user_data, error)
      || (table == KOERS_IMPORT_TABLE_NOTES && !check_revisions (db, error))
      || !koers_participant_repository_bulk_end (bulk, error)
      || g_cancellable_set_error_if_cancelled (cancellable, error))
    goto failed;
  purpose = g_strdup_printf ("CSV import of %s: %u %s, %u already imported", name,
                             report->n_imported, koers_import_table_to_id (table),
                             report->n_already);
  if (report->n_imported > 0
      && !koers_audit_record (db, opts.actor, KOERS_AUDIT_ACTION_CREATE, "import", NULL, purpose,
                              KOERS_AUDIT_RESULT_SUCCESS, error))
    goto failed;
  if (!koers_database_commit (db, error))
    {
      report->n_imported = report->n_notes = 0;
      return FALSE;
    }
  return TRUE;

failed:
  g_clear_pointer (&bulk, koers_participant_repository_bulk_free);
  koers_database_rollback (db);
  report->n_imported = report->n_notes = 0;
  return FALSE;
}

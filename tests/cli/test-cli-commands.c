/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli as scripts see it: exit codes 0/1/2, messages on stderr that name the problem. */
#include "config.h"

#include <glib/gi18n.h>

#include "koers-test-helpers.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs koers-cli with the NULL-terminated arguments; $KOERS_DATABASE is cleared so only
 * --database decides, unless @database_env is given; @data_home replaces $XDG_DATA_HOME. */
static void
run_cli_env (Run *run, const char *database_env, const char *data_home, ...)
{
  const char *cli = g_getenv ("KOERS_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_assert_nonnull (cli);
  g_assert_true (g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE));

  g_ptr_array_add (argv, (gpointer) cli);
  va_start (args, data_home);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (database_env != NULL)
    g_subprocess_launcher_setenv (launcher, "KOERS_DATABASE", database_env, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "KOERS_DATABASE");
  if (data_home != NULL)
    g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

#define run_cli(run, ...) run_cli_env (run, NULL, NULL, __VA_ARGS__, NULL)

static void
assert_contains (const char *haystack, const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

/* A database with a few demo participants, made through the executable. */
static char *
make_demo_db (void)
{
  char *path = koers_test_make_temp_db_path ();
  g_auto(Run) run = { 0 };

  run_cli (&run, "--database", path, "demo", "--participants", "15", "--seed", "4");
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "Made 15 participants");
  return path;
}

static void
test_cli_help (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) demo = { 0 };

  run_cli (&run, "--help");
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "demo");
  assert_contains (run.out, "check");
  assert_contains (run.out, "backup");

  run_cli (&demo, "help", "demo");
  g_assert_cmpint (demo.status, ==, 0);
  assert_contains (demo.out, "--participants");
  assert_contains (demo.out, "--seed");
}

static void
test_cli_usage_errors (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  struct {
    const char *args[6];
    const char *message;
  } cases[] = {
    { { "demo", "--participants", "-5", NULL }, "--participants" },
    { { "demo", "--participants", "abc", NULL }, "“abc”" },
    { { "demo", "--participants", "1000001", NULL }, "0 to 1,000,000" },
    { { "demo", "--seed", "seven", NULL }, "--seed" },
    { { "demo", "--notes", "-1", NULL }, "--notes" },
    { { "demo", "--bogus", NULL }, "--bogus" },
    { { "demo", "stray", NULL }, "stray" },
    { { "frobnicate", NULL }, "frobnicate" },
    { { "help", "frobnicate", NULL }, "frobnicate" },
    { { "--database", NULL }, "--database" },
    { { "import", NULL }, "CSV file" },
    { { "import", "a.csv", "b.csv", NULL }, "one file" },
    /* "" is no file name, not the current folder. */
    { { "import", "", NULL }, "CSV file" },
    { { "backup", "--dir", "", NULL }, "--dir needs a folder" },
    /* 0 is outside 1 to 7 like 8, not "any project line". */
    { { "export", "-o", "x.csv", "--project-line", "0", NULL }, "1 to 7" },
    { { "export", "-o", "x.csv", "--project-line", "1e3", NULL }, "1 to 7" },
    /* The server address is checked before the database is opened (and changed). */
    { { "sync", "--server", "abc", "--token-file", "t", NULL }, "--server" },
    { { "sync", "--server", "ftp://x", "--token-file", "t", NULL }, "https://" },
    { { "sync", "--server", "http://api.example.nl", "--token-file", "t", NULL }, "http://" },
    { { NULL }, "no command" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };
      const char **a = cases[i].args;

      /* The database must stay untouched by a refused command line. */
      run_cli (&run, "--database", path, a[0], a[1], a[2], a[3], a[4]);
      g_assert_cmpint (run.status, ==, 2);
      assert_contains (run.err, cases[i].message);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }
}

static void
test_cli_demo_refuses_second_run (void)
{
  g_autofree char *path = make_demo_db ();
  g_auto(Run) again = { 0 };
  g_auto(Run) append = { 0 };

  run_cli (&again, "--database", path, "demo", "--participants", "5");
  g_assert_cmpint (again.status, ==, 1);
  assert_contains (again.err, "already has 15 participants");

  /* --database may also follow the subcommand. */
  run_cli (&append, "demo", "--participants", "5", "--append", "--database", path);
  g_assert_cmpint (append.status, ==, 0);
  assert_contains (append.out, "Made 5 participants");
}

static void
test_cli_database_from_environment (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_auto(Run) run = { 0 };

  run_cli_env (&run, path, NULL, "demo", "--participants", "2", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, path);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* Without --database or $KOERS_DATABASE: the app's own database, folder made when missing. */
static void
test_cli_default_database (void)
{
  g_autofree char *data_home = koers_test_make_temp_dir ();
  g_autofree char *expected = g_build_filename (data_home, "koers", "koers.db", NULL);
  g_auto(Run) run = { 0 };
  g_auto(Run) check = { 0 };

  run_cli_env (&run, NULL, data_home, "demo", "--participants", "2", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, expected);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));

  run_cli_env (&check, NULL, data_home, "check", NULL);
  g_assert_cmpint (check.status, ==, 0);
}

static void
test_cli_check_good (void)
{
  g_autofree char *path = make_demo_db ();
  g_auto(Run) run = { 0 };
  g_auto(Run) full = { 0 };

  run_cli (&run, "--database", path, "check");
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "OK      quick check");
  assert_contains (run.out, "OK      schema version is current");
  assert_contains (run.out, "OK      audit trail hash chain is intact");
  g_assert_cmpstr (run.err, ==, "");

  run_cli (&full, "--database", path, "check", "--full");
  g_assert_cmpint (full.status, ==, 0);
  assert_contains (full.out, "OK      integrity check");
}

static void
test_cli_check_missing (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_auto(Run) run = { 0 };

  run_cli (&run, "--database", path, "check");
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.err, path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_cli_check_not_a_database (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };

  g_file_set_contents (path, "naam;geboortejaar\nJansen;1970\n", -1, &error);
  g_assert_no_error (error);
  run_cli (&run, "--database", path, "check");
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.err, path);
}

/* Overwrites the b-tree pages after the first few with garbage, as a failing disk would. */
static void
corrupt_pages (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 8 * 4096);
  for (gsize i = 3 * 4096; i < length - 4096; i += 4096)
    memset (contents + i + 8, 0xA5, 600);
  g_file_set_contents (path, contents, (gssize) length, &error);
  g_assert_no_error (error);
}

static void
test_cli_check_corrupt (void)
{
  g_autofree char *path = make_demo_db ();
  g_auto(Run) run = { 0 };

  corrupt_pages (path);
  run_cli (&run, "--database", path, "check");
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.err, path);
  /* The way back, for the same file. */
  assert_contains (run.err, "--database");
  assert_contains (run.err, "backup --restore-latest");
}

/* Overwrites the participant table's first page, as a failing disk would; the rest of the
 * file (its schema too) stays readable. */
static void
corrupt_participant_table (const char *path)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gint64 root, page_size;

  g_assert_cmpint (sqlite3_open (path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT rootpage, (SELECT page_size FROM "
                                               "pragma_page_size) FROM sqlite_schema WHERE "
                                               "name = 'participant'", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  root = sqlite3_column_int64 (stmt, 0);
  page_size = sqlite3_column_int64 (stmt, 1);
  sqlite3_finalize (stmt);
  /* Everything in the main file, so the bytes below are what SQLite reads. */
  g_assert_cmpint (sqlite3_exec (handle, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (handle);
  g_assert_cmpint (root, >, 1);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, (gsize) (root * page_size));
  memset (contents + (root - 1) * page_size + 8, 0xA5, 600);
  g_file_set_contents (path, contents, (gssize) length, &error);
  g_assert_no_error (error);
}

/* An export does not check the whole file first (that reads every table for the few it
 * exports): a damaged page among the rows it reads stops it all the same. Either way the
 * user is told the database is damaged and how to get it back, and no file is written. */
static void
test_cli_export_corrupt (void)
{
  for (guint damage = 0; damage < 2; damage++)
    {
      g_autofree char *path = make_demo_db ();
      g_autofree char *dir = koers_test_make_temp_dir ();
      g_autofree char *csv = g_build_filename (dir, "deelnemers.csv", NULL);
      g_auto(Run) run = { 0 };

      if (damage == 0)
        corrupt_pages (path);
      else
        corrupt_participant_table (path);
      run_cli (&run, "--database", path, "export", "--output", csv);
      g_assert_cmpint (run.status, ==, 1);
      assert_contains (run.err, "koers-cli export: ");
      assert_contains (run.err, path);
      assert_contains (run.err, "damaged");
      assert_contains (run.err, "backup --restore-latest");
      g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));
      g_assert_null (strstr (run.out, "Exported"));
    }
}

/* Someone edits an audit event behind Koers's back (dropping the guard trigger first): the
 * demo's one event for the data set it made. */
static void
test_cli_check_tampered_audit (void)
{
  g_autofree char *path = make_demo_db ();
  g_auto(Run) run = { 0 };
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open (path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "DROP TRIGGER audit_event_no_update;"
                                         "UPDATE audit_event SET actor = 'someone else' "
                                         "WHERE object_type = 'demo'", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (handle), ==, 1);
  sqlite3_close (handle);

  run_cli (&run, "--database", path, "check");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_null (strstr (run.out, "hash chain is intact"));
  assert_contains (run.err, path);
  assert_contains (run.out, "OK      quick check");
}

static char *
quick_check (const char *path)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result;

  g_assert_cmpint (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "PRAGMA quick_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return result;
}

static void
test_cli_backup_makes_checked_file (void)
{
  g_autofree char *path = make_demo_db ();
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *expected = g_build_filename (dir, "koers-2026-11-20.db", NULL);
  g_autofree char *check = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) list = { 0 };

  g_setenv ("KOERS_TODAY", "2026-11-20", TRUE);
  run_cli (&run, "--database", path, "backup", "--dir", dir);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, expected);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
  check = quick_check (expected);
  g_assert_cmpstr (check, ==, "ok");

  /* Twice a day is harmless and says so. */
  run_cli (&again, "--database", path, "backup", "--dir", dir);
  g_assert_cmpint (again.status, ==, 0);
  assert_contains (again.out, "already");

  run_cli (&list, "--database", path, "backup", "--dir", dir, "--list");
  g_assert_cmpint (list.status, ==, 0);
  assert_contains (list.out, "OK");
  assert_contains (list.out, expected);
  g_unsetenv ("KOERS_TODAY");
}

static void
test_cli_backup_restore_latest (void)
{
  g_autofree char *path = make_demo_db ();
  g_auto(Run) backup = { 0 };
  g_auto(Run) refused = { 0 };
  g_auto(Run) restore = { 0 };
  g_auto(Run) check = { 0 };
  g_auto(Run) both = { 0 };

  /* Default place: "backups" beside the database. */
  run_cli (&backup, "--database", path, "backup");
  g_assert_cmpint (backup.status, ==, 0);

  /* A sound database is never replaced. */
  run_cli (&refused, "--database", path, "backup", "--restore-latest");
  g_assert_cmpint (refused.status, ==, 1);
  assert_contains (refused.err, "not damaged");

  corrupt_pages (path);
  run_cli (&restore, "--database", path, "backup", "--restore-latest");
  g_assert_cmpint (restore.status, ==, 0);
  assert_contains (restore.out, "Restored");
  assert_contains (restore.out, ".corrupt-");

  run_cli (&check, "--database", path, "check");
  g_assert_cmpint (check.status, ==, 0);

  run_cli (&both, "--database", path, "backup", "--list", "--restore-latest");
  g_assert_cmpint (both.status, ==, 2);
}

/* A caseload file emptied to 0 bytes (a copy or sync tool, a full disk) is damage: check says
 * so with the way back, no backup is made of it (it would count as the newest good one), and
 * --restore-latest puts the newest good backup in its place. */
static void
test_cli_empty_database_file (void)
{
  g_autofree char *path = make_demo_db ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *first = g_build_filename (folder, "backups", "koers-2026-11-20.db", NULL);
  g_autofree char *second = g_build_filename (folder, "backups", "koers-2026-11-21.db", NULL);
  g_autofree char *csv = g_build_filename (folder, "out.csv", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  g_auto(Run) backup = { 0 };
  g_auto(Run) check = { 0 };
  g_auto(Run) demo = { 0 };
  g_auto(Run) export = { 0 };
  g_auto(Run) refused = { 0 };
  g_auto(Run) restore = { 0 };
  g_auto(Run) after = { 0 };

  g_setenv ("KOERS_TODAY", "2026-11-20", TRUE);
  run_cli (&backup, "--database", path, "backup");
  g_assert_cmpint (backup.status, ==, 0);
  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_no_error (error);

  run_cli (&check, "--database", path, "check");
  g_assert_cmpint (check.status, ==, 1);
  assert_contains (check.err, "empty");
  assert_contains (check.err, "backup --restore-latest");

  /* Nothing else opens it as a new database. */
  run_cli (&demo, "--database", path, "demo", "--participants", "5");
  g_assert_cmpint (demo.status, ==, 1);
  assert_contains (demo.err, "damaged");
  assert_contains (demo.err, "backup --restore-latest");
  run_cli (&export, "--database", path, "export", "-o", csv);
  g_assert_cmpint (export.status, ==, 1);
  assert_contains (export.err, "damaged");
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_cmpuint (length, ==, 0);
  g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));

  /* Another day's backup of it is refused. */
  g_setenv ("KOERS_TODAY", "2026-11-21", TRUE);
  run_cli (&refused, "--database", path, "backup");
  g_assert_cmpint (refused.status, ==, 1);
  assert_contains (refused.err, "nothing to back up");
  g_assert_true (g_file_test (first, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (second, G_FILE_TEST_EXISTS));

  run_cli (&restore, "--database", path, "backup", "--restore-latest");
  g_assert_cmpint (restore.status, ==, 0);
  assert_contains (restore.out, "koers-2026-11-20.db");
  run_cli (&after, "--database", path, "check");
  g_assert_cmpint (after.status, ==, 0);
  g_unsetenv ("KOERS_TODAY");
}

/* Emptied with only its log beside it (no backups): refused, and told to keep the log, not
 * sent to a restore that has nothing to restore. The log stays. */
static void
test_cli_emptied_with_log (void)
{
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "k.db", NULL);
  g_autofree char *wal = g_build_filename (dir, "k.db-wal", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Run) import = { 0 };
  g_auto(Run) check = { 0 };

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_true (g_file_set_contents (wal, "pages of the caseload", -1, &error));
  g_assert_no_error (error);
  run_cli (&import, "--database", path, "import", wal);
  g_assert_cmpint (import.status, ==, 1);
  assert_contains (import.err, "damaged");
  assert_contains (import.err, "k.db-wal");
  g_assert_null (strstr (import.err, "restore-latest"));
  run_cli (&check, "--database", path, "check");
  g_assert_cmpint (check.status, ==, 1);
  assert_contains (check.err, "keep both files");
  g_assert_true (g_file_test (wal, G_FILE_TEST_IS_REGULAR));
}

/* A file of 0 bytes nobody wrote (mktemp's) is a new database, as before: demo fills it. */
static void
test_cli_new_empty_file (void)
{
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "new.db", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Run) demo = { 0 };

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_no_error (error);
  run_cli (&demo, "--database", path, "demo", "--participants", "5");
  g_assert_cmpint (demo.status, ==, 0);
}

/* True when a "<name>.corrupt-…" file sits beside @path: a restore moved the file aside. */
static gboolean
has_moved_aside (const char *path)
{
  g_autofree char *dir_name = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".corrupt-", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_name, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      return TRUE;
  return FALSE;
}

/* A healthy file from a newer Koers is not damaged: a restore would throw its data away. */
static void
test_cli_backup_restore_refuses_too_new (void)
{
  g_autofree char *path = make_demo_db ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length = 0, after_length = 0;
  g_auto(Run) backup = { 0 };
  g_auto(Run) restore = { 0 };
  sqlite3 *handle = NULL;

  run_cli (&backup, "--database", path, "backup");
  g_assert_cmpint (backup.status, ==, 0);

  /* What a newer Koers would do: a schema this build does not know, and new data in it. */
  g_assert_cmpint (sqlite3_open (path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "CREATE TABLE future (x); INSERT INTO future VALUES (1);"
                                         "PRAGMA user_version = 999", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (handle);
  g_assert_true (g_file_get_contents (path, &before, &before_length, &error));
  g_assert_no_error (error);

  run_cli (&restore, "--database", path, "backup", "--restore-latest");
  g_assert_cmpint (restore.status, ==, 1);
  assert_contains (restore.err, "newer version");
  assert_contains (restore.err, "not replaced");
  g_assert_null (strstr (restore.out, "Restored"));

  g_assert_true (g_file_get_contents (path, &after, &after_length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (before, before_length, after, after_length);
  g_assert_false (has_moved_aside (path));
}

static void
test_cli_backup_missing_database (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_auto(Run) run = { 0 };

  run_cli (&run, "--database", path, "backup");
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.err, path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
write_file (const char *path, const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* participant, note and audit_event rows: what an import adds to. */
static char *
row_counts (const char *path)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result;

  g_assert_cmpint (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT (SELECT count(*) FROM participant) || '/' || "
                                       "(SELECT count(*) FROM note) || '/' || "
                                       "(SELECT count(*) FROM audit_event)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return result;
}

static const char import_csv[] =
  "Voornaam;Achternaam;Geboortejaar;Gemeente;Doelgroep;Notities\n"
  "Jan;Jansen;1980;Doetinchem;statushouder;eerste gesprek\n"
  "Fatima;El Amrani;1992;Oost-Gelre;arbeidsmigrant;\n";

static void
test_cli_import_ok (void)
{
  g_autofree char *path = make_demo_db ();
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *csv = g_build_filename (dir, "deelnemers.csv", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };

  write_file (csv, import_csv);
  run_cli (&run, "--database", path, "import", csv);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "separator: “;”");
  assert_contains (run.out, "Gemeente → Municipality (municipality)");
  assert_contains (run.out, "Imported 2 participants (0 already imported, 1 note)");

  before = row_counts (path);
  run_cli (&again, "--database", path, "import", csv);
  g_assert_cmpint (again.status, ==, 0);
  assert_contains (again.out, "Imported 0 participants (2 already imported, 0 notes)");
  after = row_counts (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_cli_import_refused (void)
{
  g_autofree char *path = make_demo_db ();
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *csv = g_build_filename (dir, "fout.csv", NULL);
  g_autofree char *before = row_counts (path);
  g_autofree char *after = NULL;
  g_auto(Run) run = { 0 };

  write_file (csv, "Voornaam;Achternaam;Geboortejaar;Gemeente;Doelgroep\n"
                   "Jan;Jansen;1980;Doetinchem;statushouder\n"
                   "Piet;Bakker;1850;Aalten;statushouder\n");
  run_cli (&run, "--database", path, "import", csv);
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.err, "3:13 (Geboortejaar): ");
  assert_contains (run.err, "nothing was imported");
  g_assert_null (strstr (run.out, "Imported"));
  after = row_counts (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_cli_import_dry_run (void)
{
  g_autofree char *path = make_demo_db ();
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *csv = g_build_filename (dir, "deelnemers.csv", NULL);
  g_autofree char *before = row_counts (path);
  g_autofree char *after = NULL;
  g_auto(Run) run = { 0 };

  write_file (csv, import_csv);
  run_cli (&run, "--database", path, "import", "--dry-run", csv);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "nothing written: 2 participants would be imported");
  after = row_counts (path);
  g_assert_cmpstr (before, ==, after);
}

/* A mistyped --database: export refuses instead of creating an empty database and "exporting"
 * its 0 rows with status 0. */
static void
test_cli_export_missing_database (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *csv = g_build_filename (dir, "deelnemers.csv", NULL);
  g_auto(Run) run = { 0 };

  run_cli (&run, "--database", path, "export", "-o", csv);
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.err, "there is no database at");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));
}

/* A folder as --database is named as one, not as SQLite's "disk I/O error". */
static void
test_cli_database_is_folder (void)
{
  g_autofree char *dir = koers_test_make_temp_dir ();
  const char *commands[] = { "check", "backup", "demo" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli (&run, "--database", dir, commands[i]);
      g_assert_cmpint (run.status, ==, 1);
      assert_contains (run.err, "it is a folder");
      g_assert_null (strstr (run.err, "I/O"));
    }
}

/* Importing into a database that does not exist yet creates it, but only when rows are
 * imported: a refused file or a dry run leaves no empty database behind. */
static void
test_cli_import_new_database (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *bad = g_build_filename (dir, "fout.csv", NULL);
  g_autofree char *good = g_build_filename (dir, "deelnemers.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "bestaat-niet.csv", NULL);
  g_autofree char *db_dir = g_path_get_dirname (path);
  g_auto(Run) refused = { 0 };
  g_auto(Run) absent = { 0 };
  g_auto(Run) dry_run = { 0 };
  g_auto(Run) run = { 0 };
  g_autoptr(GDir) listing = NULL;

  write_file (bad, "Voornaam;Achternaam\nJan;Jansen\n");
  write_file (good, import_csv);
  run_cli (&refused, "--database", path, "import", bad);
  g_assert_cmpint (refused.status, ==, 1);
  run_cli (&absent, "--database", path, "import", missing);
  g_assert_cmpint (absent.status, ==, 1);
  run_cli (&dry_run, "--database", path, "import", "--dry-run", good);
  g_assert_cmpint (dry_run.status, ==, 0);
  /* Not the database, nor its -wal or -shm. */
  listing = g_dir_open (db_dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));

  run_cli (&run, "--database", path, "import", good);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "Imported 2 participants");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* A token file that is a folder is named as such, not as one "others may read". */
static void
test_cli_sync_token_not_a_file (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_auto(Run) run = { 0 };

  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
  run_cli (&run, "--database", path, "sync", "--server", "http://127.0.0.1:9",
           "--token-file", dir);
  g_assert_cmpint (run.status, ==, 1);
  assert_contains (run.err, "is not a file");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/help", test_cli_help);
  g_test_add_func ("/cli/usage-errors", test_cli_usage_errors);
  g_test_add_func ("/cli/demo/refuses-second-run", test_cli_demo_refuses_second_run);
  g_test_add_func ("/cli/database-from-environment", test_cli_database_from_environment);
  g_test_add_func ("/cli/default-database", test_cli_default_database);
  g_test_add_func ("/cli/check/good", test_cli_check_good);
  g_test_add_func ("/cli/check/missing", test_cli_check_missing);
  g_test_add_func ("/cli/check/not-a-database", test_cli_check_not_a_database);
  g_test_add_func ("/cli/check/corrupt", test_cli_check_corrupt);
  g_test_add_func ("/cli/empty-database-file", test_cli_empty_database_file);
  g_test_add_func ("/cli/new-empty-file", test_cli_new_empty_file);
  g_test_add_func ("/cli/emptied-with-log", test_cli_emptied_with_log);
  g_test_add_func ("/cli/check/tampered-audit", test_cli_check_tampered_audit);
  g_test_add_func ("/cli/export/corrupt", test_cli_export_corrupt);
  g_test_add_func ("/cli/backup/makes-checked-file", test_cli_backup_makes_checked_file);
  g_test_add_func ("/cli/backup/restore-latest", test_cli_backup_restore_latest);
  g_test_add_func ("/cli/backup/restore-refuses-too-new",
                   test_cli_backup_restore_refuses_too_new);
  g_test_add_func ("/cli/backup/missing-database", test_cli_backup_missing_database);
  g_test_add_func ("/cli/import/ok", test_cli_import_ok);
  g_test_add_func ("/cli/import/refused", test_cli_import_refused);
  g_test_add_func ("/cli/import/dry-run", test_cli_import_dry_run);
  g_test_add_func ("/cli/import/new-database", test_cli_import_new_database);
  g_test_add_func ("/cli/export/missing-database", test_cli_export_missing_database);
  g_test_add_func ("/cli/database-is-folder", test_cli_database_is_folder);
  g_test_add_func ("/cli/sync/token-not-a-file", test_cli_sync_token_not_a_file);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo generator: deterministic per seed, covering every value, consistent histories. */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-demo.h"

#include "core/koers-enums.h"
#include "core/koers-status.h"
#include "storage/koers-audit.h"
#include "storage/koers-database.h"
#include "cli-test-util.h"
#include "koers-test-helpers.h"

#include <string.h>

static void
generate (KoersDatabase *db, guint n, guint32 seed, int notes)
{
  g_autoptr(GError) error = NULL;
  KoersDemoOptions options;

  koers_demo_options_init (&options);
  options.n_participants = n;
  options.seed = seed;
  options.n_notes = notes;
  g_assert_true (koers_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}


static void
test_demo_same_seed_same_content (void)
{
  g_autoptr(KoersDatabase) a = koers_test_open_temp_db ();
  g_autoptr(KoersDatabase) b = koers_test_open_temp_db ();
  g_autofree char *sum_a = NULL;
  g_autofree char *sum_b = NULL;

  generate (a, 40, 7, -1);
  generate (b, 40, 7, -1);
  sum_a = koers_test_content_checksum (a);
  sum_b = koers_test_content_checksum (b);
  g_assert_cmpstr (sum_a, ==, sum_b);
}

static void
test_demo_other_seed_other_content (void)
{
  g_autoptr(KoersDatabase) a = koers_test_open_temp_db ();
  g_autoptr(KoersDatabase) b = koers_test_open_temp_db ();
  g_autofree char *sum_a = NULL;
  g_autofree char *sum_b = NULL;

  generate (a, 40, 1, -1);
  generate (b, 40, 2, -1);
  sum_a = koers_test_content_checksum (a);
  sum_b = koers_test_content_checksum (b);
  g_assert_cmpstr (sum_a, !=, sum_b);
  /* Not only ids: the people differ. */
  g_assert_cmpint (koers_test_query_int (a, "SELECT count(*) FROM participant"), ==, 40);
  g_assert_cmpint (koers_test_query_int (b, "SELECT count(*) FROM participant"), ==, 40);
}

static gboolean
has_script (const char *text, gunichar first, gunichar last)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= first && c <= last)
        return TRUE;
    }
  return FALSE;
}

static void
test_demo_covers_everything (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  sqlite3_stmt *stmt = NULL;
  guint arabic = 0, geez = 0, latin_accents = 0, non_nfc = 0;

  generate (db, 200, 1, -1);

  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 200);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(DISTINCT target_group) FROM participant"), ==,
                   KOERS_N_TARGET_GROUPS);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(DISTINCT status) FROM participant"), ==,
                   KOERS_N_STATUSES);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(DISTINCT municipality) FROM participant"), ==,
                   KOERS_N_MUNICIPALITIES);
  /* Weighted by population: Doetinchem has the most participants. */
  g_assert_cmpint (koers_test_query_int (db, "SELECT municipality = 'doetinchem' FROM participant "
                                  "GROUP BY municipality ORDER BY count(*) DESC LIMIT 1"), ==, 1);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant WHERE birth_year "
                                  "NOT BETWEEN 1960 AND 2007"), ==, 0);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant WHERE project_line = 1"),
                   >, 150);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM coach"), >=, 6);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM coach"), <=, 12);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM organisation WHERE name = "
                                  "'Werkcentrum Achterhoek'"), ==, 1);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(DISTINCT kind) FROM activity"), ==,
                   KOERS_N_ACTIVITY_KINDS);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(DISTINCT sector) FROM activity "
                                  "WHERE kind = 'proeverij'"), >=, 5);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM skill WHERE evidence IS NOT NULL"), >, 0);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(DISTINCT participant_id) FROM consent "
                                  "WHERE scope = 'programme'"), ==, 200);
  /* 2-6 notes each by default. */
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM note"), >=, 400);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM note"), <=, 1200);
  /* Open cases have a next action; closed ones none. */
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant WHERE status IN "
                                  "('completed', 'dropped_out') = (next_action_date IS NOT NULL)"),
                   ==, 0);

  g_assert_cmpint (sqlite3_prepare_v2 (koers_database_get_handle (db),
                                       "SELECT name FROM participant", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *nfc = g_utf8_normalize (name, -1, G_NORMALIZE_NFC);

      arabic += has_script (name, 0x0600, 0x06FF);
      geez += has_script (name, 0x1200, 0x137F);
      latin_accents += has_script (name, 0x00C0, 0x024F);
      non_nfc += g_strcmp0 (nfc, name) != 0;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (arabic, >, 0);
  g_assert_cmpuint (geez, >, 0);
  g_assert_cmpuint (latin_accents, >, 0);
  g_assert_cmpuint (non_nfc, ==, 0);
}

static void
test_demo_histories_consistent (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(GHashTable) last_status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             g_free);
  g_autoptr(GHashTable) last_day = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
  sqlite3_stmt *stmt = NULL;
  guint checked = 0;

  generate (db, 200, 3, -1);

  /* A completed trajectory has an outcome with a date: the flow-on KPI counts it. */
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant WHERE status = 'completed' "
                                  "AND (outcome = 'unknown' OR outcome_date IS NULL)"), ==, 0);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant WHERE status = 'completed'"),
                   >, 0);

  /* Walk every participant's history in the order it was written. */
  g_assert_cmpint (sqlite3_prepare_v2 (koers_database_get_handle (db),
                                       "SELECT participant_id, from_status, to_status, "
                                       "changed_on FROM participant_status_change "
                                       "ORDER BY rowid", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *from = (const char *) sqlite3_column_text (stmt, 1);
      const char *to = (const char *) sqlite3_column_text (stmt, 2);
      const char *on = (const char *) sqlite3_column_text (stmt, 3);
      const char *previous = g_hash_table_lookup (last_status, id);
      const char *previous_day = g_hash_table_lookup (last_day, id);
      KoersStatus from_status, to_status;

      g_assert_cmpstr (on, >=, KOERS_DEMO_FIRST_DATE);
      g_assert_cmpstr (on, <=, KOERS_DEMO_LAST_DATE);
      if (previous == NULL)
        {
          g_assert_null (from);
          g_assert_cmpstr (to, ==, "registered");
        }
      else
        {
          g_assert_cmpstr (from, ==, previous);
          g_assert_cmpstr (on, >=, previous_day);
          g_assert_true (koers_status_from_id (from, &from_status));
          g_assert_true (koers_status_from_id (to, &to_status));
          /* completed needs an outcome; pass one so only the workflow order is judged. */
          g_assert_true (koers_status_check_transition (from_status, to_status,
                                                        KOERS_OUTCOME_WORK, NULL));
        }
      g_hash_table_insert (last_status, g_strdup (id), g_strdup (to));
      g_hash_table_insert (last_day, g_strdup (id), g_strdup (on));
    }
  sqlite3_finalize (stmt);

  /* The history ends where the participant is now, and an outcome is dated on completion. */
  g_assert_cmpint (sqlite3_prepare_v2 (koers_database_get_handle (db),
                                       "SELECT id, status, outcome_date FROM participant",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *status = (const char *) sqlite3_column_text (stmt, 1);
      const char *outcome_date = (const char *) sqlite3_column_text (stmt, 2);

      g_assert_cmpstr (g_hash_table_lookup (last_status, id), ==, status);
      if (g_str_equal (status, "completed"))
        g_assert_cmpstr (outcome_date, ==, g_hash_table_lookup (last_day, id));
      checked++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (checked, ==, 200);
}

/* The bulk path: one audit event for the whole generated set (not one per record), and the
 * participants' search indexes complete although they were filled once at the end. */
static void
test_demo_bulk_audit_and_index (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;

  generate (db, 120, 2, -1);

  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM audit_event"), ==, 1);
  g_assert_cmpint (sqlite3_prepare_v2 (koers_database_get_handle (db),
                                       "SELECT action, object_type, purpose FROM audit_event",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "create");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "demo");
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 2),
                            "seed 2: 120 participants"));
  sqlite3_finalize (stmt);
  g_assert_true (koers_audit_verify_chain (db, &error));
  g_assert_no_error (error);

  /* Every participant is in both search indexes, and the indexes match the table. */
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant_search"), ==, 120);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant_words"), ==, 120);
  g_assert_true (koers_database_exec (db, "INSERT INTO participant_search (participant_search) "
                                          "VALUES ('integrity-check');"
                                          "INSERT INTO participant_words (participant_words) "
                                          "VALUES ('integrity-check')", &error));
  g_assert_no_error (error);
  /* The triggers are back: a participant added later is indexed at once. */
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM sqlite_master WHERE "
                                             "type = 'trigger' AND name IN "
                                             "('participant_search_insert', "
                                             "'participant_words_insert')"), ==, 2);
  /* Note bodies are stored NFC, as the note repository stores them. */
  g_assert_cmpint (sqlite3_prepare_v2 (koers_database_get_handle (db), "SELECT body FROM note",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *body = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *nfc = g_utf8_normalize (body, -1, G_NORMALIZE_NFC);

      g_assert_cmpstr (body, ==, nfc);
    }
  sqlite3_finalize (stmt);
}

static void
test_demo_refuses_existing_unless_append (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(GError) error = NULL;
  KoersDemoOptions options;

  generate (db, 10, 1, -1);

  koers_demo_options_init (&options);
  options.n_participants = 10;
  g_assert_false (koers_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already has 10 participants"));
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 10);
  g_clear_error (&error);

  /* The same seed again, appended: new people, no id clashes, the same coaches. */
  options.append = TRUE;
  g_assert_true (koers_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 20);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM organisation WHERE name = "
                                  "'Werkcentrum Achterhoek'"), ==, 1);
}

static void
test_demo_note_total (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();

  generate (db, 10, 5, 37);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM note"), ==, 37);
  /* Spread evenly: nobody gets more than one note above anybody else. */
  g_assert_cmpint (koers_test_query_int (db, "SELECT max(n) - min(n) FROM (SELECT count(*) AS n FROM note "
                                  "GROUP BY participant_id)"), <=, 1);
}

static void
cancel_on_progress (guint done, guint total, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_demo_cancel_keeps_nothing (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  KoersDemoOptions options;

  koers_demo_options_init (&options);
  options.n_participants = 1200; /* progress is reported every 500: cancelled after that */
  g_assert_false (koers_demo_generate (db, &options, cancellable, cancel_on_progress,
                                       cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 0);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM note"), ==, 0);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM organisation"), ==, 0);
}

static void
test_demo_limits (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(GError) error = NULL;
  KoersDemoOptions options;

  koers_demo_options_init (&options);
  options.n_participants = KOERS_DEMO_MAX_PARTICIPANTS + 1;
  g_assert_false (koers_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "participants"));
  g_clear_error (&error);

  koers_demo_options_init (&options);
  options.n_notes = KOERS_DEMO_MAX_NOTES + 1;
  g_assert_false (koers_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "notes"));
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 0);
  g_clear_error (&error);

  /* Zero is allowed: organisations and coaches only. */
  generate (db, 0, 1, -1);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 0);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM coach"), >=, 6);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/same-seed-same-content", test_demo_same_seed_same_content);
  g_test_add_func ("/demo/other-seed-other-content", test_demo_other_seed_other_content);
  g_test_add_func ("/demo/covers-everything", test_demo_covers_everything);
  g_test_add_func ("/demo/histories-consistent", test_demo_histories_consistent);
  g_test_add_func ("/demo/bulk-audit-and-index", test_demo_bulk_audit_and_index);
  g_test_add_func ("/demo/refuses-existing-unless-append",
                   test_demo_refuses_existing_unless_append);
  g_test_add_func ("/demo/note-total", test_demo_note_total);
  g_test_add_func ("/demo/cancel-keeps-nothing", test_demo_cancel_keeps_nothing);
  g_test_add_func ("/demo/limits", test_demo_limits);

  return g_test_run ();
}

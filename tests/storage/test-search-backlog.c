/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Participants written without their search index entries (koers-search-backlog.h): the
 * caseload's searches find them all the same, local edits of them and of indexed rows leave
 * both FTS5 indexes sound, and indexing the backlog gives the index a new database has.
 */
#include "config.h"

#include "storage/koers-participant-repository.h"
#include "storage/koers-search-backlog.h"

#include "storage-test-util.h"

/* Written one by one (their insert triggers index them) and in a batch that defers. */
static const char *const indexed_names[] = { "Daan Jansen", "Maja de Boer" };
static const char *const deferred_names[] = { "Gert-Jan Rouwhorst", "Özlem Yılmaz",
                                              "رهف درويش", "Anja Majoor" };

/* Writes @names as one batch whose rows join the backlog; their ids go to @out_ids. */
static void
insert_deferred (KoersDatabase *db, const char *const *names, guint n_names, GPtrArray *out_ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersParticipantBulk) bulk = koers_participant_repository_bulk_begin_sized (db,
                                                                                       FALSE, 0,
                                                                                       FALSE,
                                                                                       &error);

  g_assert_no_error (error);
  koers_participant_repository_bulk_defer_search (bulk);
  for (guint i = 0; i < n_names; i++)
    {
      g_autoptr(KoersParticipant) p = storage_test_participant (names[i]);

      g_assert_true (koers_participant_repository_bulk_insert (bulk, p, FALSE, TEST_ACTOR,
                                                               &error));
      g_assert_no_error (error);
      if (out_ids != NULL)
        g_ptr_array_add (out_ids, g_strdup (koers_participant_get_id (p)));
    }
  g_assert_true (koers_participant_repository_bulk_end (bulk, &error));
  g_assert_no_error (error);
}

static gint64
backlog_first_seq (KoersDatabase *db)
{
  g_autoptr(GError) error = NULL;
  gint64 first_seq = -1;

  g_assert_true (koers_search_backlog_first_seq (db, &first_seq, &error));
  g_assert_no_error (error);
  return first_seq;
}

/* How many participants each of the three searches finds for @text: the list's query, its
 * count (a LIMIT of 1 makes it count) and the search the list model intersects with. */
static void
assert_finds (KoersDatabase *db, const char *text, guint n)
{
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  KoersCaseloadQuery query;
  guint total = 0;

  g_test_message ("search \"%s\"", text);
  koers_caseload_query_init (&query);
  query.search = g_strdup (text);
  rowids = koers_participant_repository_query_rowids (db, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, ==, n);
  first = koers_participant_repository_query_first_rowids (db, &query, 1, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, n);
  matches = koers_participant_repository_search_rowids (db, text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, n);
  koers_caseload_query_clear (&query);
}

/* FTS5 checks each index; @whole: against the participant table too, which only holds once
 * the backlog is empty (until then its rows are missing from the index by design). */
static void
assert_indexes_sound (KoersDatabase *db, gboolean whole)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("INSERT INTO participant_search (participant_search, "
                                          "rank) VALUES ('integrity-check', %d);"
                                          "INSERT INTO participant_words (participant_words, "
                                          "rank) VALUES ('integrity-check', %d)",
                                          whole, whole);

  g_assert_true (koers_database_exec (db, sql, &error));
  g_assert_no_error (error);
}

/* How many participants have their entries in each of the two indexes. */
static void
assert_indexed (KoersDatabase *db, gint64 n)
{
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM "
                                               "participant_search_docsize"), ==, n);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM "
                                               "participant_words_docsize"), ==, n);
}

/* Indexes the backlog: none is left, and the indexes hold exactly the participant table. */
static void
index_backlog (KoersDatabase *db)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_search_backlog_index (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (backlog_first_seq (db), ==, 0);
  assert_indexes_sound (db, TRUE);
}

static void
assert_searches (KoersDatabase *db)
{
  assert_finds (db, "jan", 2);      /* Jansen, Gert-Jan: a substring */
  assert_finds (db, "ja", 2);       /* the start of a word: not Maja, not Anja */
  assert_finds (db, "ma", 2);       /* Maja, Majoor */
  assert_finds (db, "yilmaz", 1);
  assert_finds (db, "درويش", 1);
  assert_finds (db, "Ö", 1);        /* folded: the word ozlem */
  assert_finds (db, "-", 0);        /* no word at all, as FTS5 has it */
  assert_finds (db, "x", 0);
}

static void
hard_delete (KoersDatabase *db, const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("DELETE FROM participant_status_change "
                                          "WHERE participant_id = '%s';"
                                          "DELETE FROM participant WHERE id = '%s'", id, id);

  g_assert_true (koers_database_exec (db, sql, &error));
  g_assert_no_error (error);
}

static void
rename_participant (KoersDatabase *db, const char *id, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersParticipant) p = koers_participant_repository_get (db, id, TEST_ACTOR, "test",
                                                                    &error);

  g_assert_no_error (error);
  koers_participant_set_name (p, name);
  g_assert_true (koers_participant_repository_update (db, p, TEST_ACTOR, &error));
  g_assert_no_error (error);
}

static void
test_found_before_and_after_indexing (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *daan = storage_test_insert_participant (db, indexed_names[0]);
  g_autofree char *maja = storage_test_insert_participant (db, indexed_names[1]);

  g_assert_cmpint (backlog_first_seq (db), ==, 0);
  insert_deferred (db, deferred_names, G_N_ELEMENTS (deferred_names), ids);
  g_assert_cmpint (backlog_first_seq (db), ==, 3);
  assert_indexed (db, 2);
  assert_searches (db);
  assert_indexes_sound (db, FALSE);

  /* Edits of rows with and without entries: each index only changes rows it has. */
  rename_participant (db, g_ptr_array_index (ids, 1), "Özlem Kaya");
  rename_participant (db, daan, "Daan Jansma");
  hard_delete (db, g_ptr_array_index (ids, 3));
  hard_delete (db, maja);
  assert_indexes_sound (db, FALSE);
  assert_finds (db, "yilmaz", 0);
  assert_finds (db, "kaya", 1);
  assert_finds (db, "jansma", 1);
  assert_finds (db, "ma", 0);

  index_backlog (db);
  assert_indexed (db, 4);
  assert_finds (db, "kaya", 1);
  assert_finds (db, "jansma", 1);
  assert_finds (db, "ja", 2);
  assert_finds (db, "درويش", 1);

  /* Nothing left: indexing again changes nothing. */
  index_backlog (db);
  assert_indexed (db, 4);
}

/* The backlog names its rows by where they start, so it only ever grows downwards: a later
 * batch above it keeps its start, and one written below it (the newest rows were deleted, so
 * SQLite hands out their seqs again) lowers it. */
static void
test_start_only_moves_down (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *daan = storage_test_insert_participant (db, indexed_names[0]);
  g_autofree char *maja = storage_test_insert_participant (db, indexed_names[1]);

  insert_deferred (db, deferred_names, 2, first);                 /* seqs 3 and 4 */
  g_assert_cmpint (backlog_first_seq (db), ==, 3);
  insert_deferred (db, deferred_names + 2, 2, second);            /* seqs 5 and 6 */
  g_assert_cmpint (backlog_first_seq (db), ==, 3);
  assert_searches (db);

  for (guint i = 0; i < second->len; i++)
    hard_delete (db, g_ptr_array_index (second, i));
  for (guint i = 0; i < first->len; i++)
    hard_delete (db, g_ptr_array_index (first, i));
  hard_delete (db, maja);
  /* The largest seq is now 1: the next batch starts at 2, below the backlog. */
  g_ptr_array_set_size (second, 0);
  insert_deferred (db, deferred_names + 2, 2, second);
  g_assert_cmpint (backlog_first_seq (db), ==, 2);
  assert_finds (db, "درويش", 1);
  assert_finds (db, "ma", 1);

  index_backlog (db);
  assert_indexed (db, 3);
  assert_finds (db, "درويش", 1);
  assert_finds (db, "ma", 1);
  assert_finds (db, "daan", 1);
}

/* A batch that does not defer indexes its rows at its end, backlog or not. */
static void
test_plain_batch_indexes (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersParticipantBulk) bulk = NULL;
  g_autoptr(KoersParticipant) p = storage_test_participant ("Noor Haddad");

  insert_deferred (db, deferred_names, 1, NULL);
  bulk = koers_participant_repository_bulk_begin (db, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (koers_participant_repository_bulk_insert (bulk, p, FALSE, TEST_ACTOR, &error));
  g_assert_true (koers_participant_repository_bulk_end (bulk, &error));
  g_assert_no_error (error);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM participant_search "
                                               "WHERE participant_search MATCH 'haddad'"), ==, 1);
  g_assert_cmpint (backlog_first_seq (db), ==, 1);
  index_backlog (db);
  assert_indexed (db, 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("KOERS_TODAY", "2026-06-15", TRUE);

  g_test_add_func ("/search-backlog/found-before-and-after-indexing",
                   test_found_before_and_after_indexing);
  g_test_add_func ("/search-backlog/start-only-moves-down", test_start_only_moves_down);
  g_test_add_func ("/search-backlog/plain-batch-indexes", test_plain_batch_indexes);

  return g_test_run ();
}

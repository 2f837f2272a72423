/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "storage/koers-note-repository.h"

#include "storage-test-util.h"

static KoersNote *
make_note (const char *participant_id, const char *occurred_on, const char *body)
{
  KoersNote *note = koers_note_new ();

  note->participant_id = g_strdup (participant_id);
  note->kind = KOERS_NOTE_KIND_CONVERSATION;
  note->occurred_on = g_strdup (occurred_on);
  note->body = g_strdup (body);
  return note;
}

static void
test_append_only (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = storage_test_insert_participant (db, "Amina");
  g_autoptr(KoersNote) note = make_note (pid, "2026-03-01", "Eerste gesprek\nmet tolk");
  g_autofree char *update = NULL;
  g_autofree char *delete = NULL;

  g_assert_true (koers_note_repository_add (db, note, TEST_ACTOR, &error));
  g_assert_no_error (error);

  update = g_strdup_printf ("UPDATE note SET body = 'rewritten' WHERE id = '%s'", note->meta.id);
  g_assert_false (koers_database_exec (db, update, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  delete = g_strdup_printf ("DELETE FROM note WHERE id = '%s'", note->meta.id);
  g_assert_false (koers_database_exec (db, delete, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM note "
                                               "WHERE body = 'Eerste gesprek\nmet tolk'"),
                   ==, 1);
}

static void
test_revise_keeps_history (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = storage_test_insert_participant (db, "Amina");
  g_autoptr(KoersNote) first = make_note (pid, "2026-03-01", "Versie 1");
  g_autoptr(KoersNote) later = make_note (pid, "2026-03-05", "Later gesprek");
  g_autoptr(KoersNote) edit = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autofree char *first_id = NULL;
  KoersNote *n;

  g_assert_true (koers_note_repository_add (db, first, TEST_ACTOR, &error));
  g_assert_true (koers_note_repository_add (db, later, TEST_ACTOR, &error));
  first_id = g_strdup (first->meta.id);

  edit = make_note (NULL, "2026-03-01", "Versie 2");
  edit->meta.id = g_strdup (first_id);
  g_assert_true (koers_note_repository_revise (db, edit, "editor@test", &error));
  g_assert_no_error (error);
  g_assert_cmpint (edit->revision, ==, 2);
  g_assert_cmpstr (edit->revision_of, ==, first_id);
  g_assert_cmpstr (edit->participant_id, ==, pid);

  /* Revising through the second revision's id still chains to the first. */
  g_free (edit->body);
  edit->body = g_strdup ("Versie 3");
  g_assert_true (koers_note_repository_revise (db, edit, "editor@test", &error));
  g_assert_cmpint (edit->revision, ==, 3);
  g_assert_cmpstr (edit->revision_of, ==, first_id);

  list = koers_note_repository_list_for_participant (db, pid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  n = g_ptr_array_index (list, 0);
  g_assert_cmpstr (n->body, ==, "Later gesprek"); /* newest contact first */
  n = g_ptr_array_index (list, 1);
  g_assert_cmpstr (n->body, ==, "Versie 3");
  g_assert_cmpint (n->revision, ==, 3);

  revisions = koers_note_repository_list_revisions (db, edit->meta.id, &error);
  g_assert_cmpuint (revisions->len, ==, 3);
  g_assert_cmpstr (((KoersNote *) g_ptr_array_index (revisions, 0))->body, ==, "Versie 1");
  g_assert_cmpstr (((KoersNote *) g_ptr_array_index (revisions, 1))->body, ==, "Versie 2");
  g_assert_cmpstr (((KoersNote *) g_ptr_array_index (revisions, 2))->meta.created_by, ==,
                   "editor@test");
}

static void
test_invalid_note (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = storage_test_insert_participant (db, "Amina");
  g_autoptr(KoersNote) note = make_note (pid, "2026-13-01", "Tekst");
  g_autofree char *huge = g_strnfill (10001, 'x');

  g_assert_false (koers_note_repository_add (db, note, TEST_ACTOR, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "occurred-on: "));
  g_clear_error (&error);

  g_free (note->occurred_on);
  note->occurred_on = g_strdup ("2026-03-01");
  g_free (note->body);
  note->body = g_strdup (huge);
  g_assert_false (koers_note_repository_add (db, note, TEST_ACTOR, &error));
  g_assert_true (g_str_has_prefix (error->message, "body: "));
  g_clear_error (&error);

  g_free (note->body);
  note->body = g_strdup ("ok");
  g_free (note->participant_id);
  note->participant_id = g_strdup ("nobody");
  g_assert_false (koers_note_repository_add (db, note, TEST_ACTOR, &error));
  g_assert_true (g_str_has_prefix (error->message, "participant-id: "));
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM note"), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("KOERS_TODAY", "2026-06-15", TRUE);

  g_test_add_func ("/notes/append-only", test_append_only);
  g_test_add_func ("/notes/revise-keeps-history", test_revise_keeps_history);
  g_test_add_func ("/notes/invalid", test_invalid_note);

  return g_test_run ();
}

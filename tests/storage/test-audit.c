/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "storage/koers-activity-repository.h"
#include "storage/koers-audit.h"
#include "storage/koers-consent-repository.h"
#include "storage/koers-note-repository.h"
#include "storage/koers-participant-repository.h"
#include "storage/koers-skill-repository.h"

#include "storage-test-util.h"

#include <string.h>

static char *
actions_for (KoersDatabase *db, const char *type, const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = koers_audit_list_for_object (db, type, id, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      KoersAuditEvent *e = g_ptr_array_index (events, i);

      g_string_append_printf (out, "%s%s", i > 0 ? "," : "", koers_audit_action_to_id (e->action));
    }
  return g_string_free (out, FALSE);
}

static void
test_every_write_and_get (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = storage_test_insert_participant (db, "Amina");
  g_autoptr(KoersParticipant) p = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(KoersNote) note = koers_note_new ();
  g_autoptr(KoersActivity) activity = koers_activity_new ();
  g_autoptr(KoersSkill) skill = koers_skill_new ();
  g_autoptr(KoersConsent) consent = koers_consent_new ();
  g_autofree char *actions = NULL;
  KoersAuditEvent *open;

  koers_audit_set_origin (db, KOERS_AUDIT_ORIGIN_CLI);
  p = koers_participant_repository_get (db, pid, "reader@test", "Intake preparation", &error);
  koers_participant_set_status (p, KOERS_STATUS_INTAKE);
  g_assert_true (koers_participant_repository_update (db, p, TEST_ACTOR, &error));
  g_assert_true (koers_participant_repository_set_deleted (db, pid, TRUE, TEST_ACTOR, &error));
  g_assert_true (koers_participant_repository_set_deleted (db, pid, FALSE, TEST_ACTOR, &error));
  g_assert_no_error (error);

  actions = actions_for (db, "participant", pid);
  g_assert_cmpstr (actions, ==, "create,open,change,delete,restore");

  /* Who looked and why: the open event carries the reader, purpose and origin. */
  events = koers_audit_list_for_object (db, "participant", pid, &error);
  open = g_ptr_array_index (events, 1);
  g_assert_cmpstr (open->actor, ==, "reader@test");
  g_assert_cmpstr (open->purpose, ==, "Intake preparation");
  g_assert_cmpstr (open->origin, ==, "koers-cli");
  g_assert_cmpint (open->result, ==, KOERS_AUDIT_RESULT_SUCCESS);
  g_assert_nonnull (open->occurred_at);

  note->participant_id = g_strdup (pid);
  note->occurred_on = g_strdup ("2026-03-01");
  note->body = g_strdup ("Gesprek");
  g_assert_true (koers_note_repository_add (db, note, TEST_ACTOR, &error));
  g_clear_pointer (&actions, g_free);
  actions = actions_for (db, "note", note->meta.id);
  g_assert_cmpstr (actions, ==, "create");

  activity->participant_id = g_strdup (pid);
  activity->kind = KOERS_ACTIVITY_TRAINING;
  activity->title = g_strdup ("VCA");
  g_assert_true (koers_activity_repository_insert (db, activity, TEST_ACTOR, &error));
  g_assert_true (koers_activity_repository_update (db, activity, TEST_ACTOR, &error));
  g_assert_true (koers_activity_repository_set_deleted (db, activity->meta.id, TRUE, TEST_ACTOR,
                                                        &error));
  g_clear_pointer (&actions, g_free);
  actions = actions_for (db, "activity", activity->meta.id);
  g_assert_cmpstr (actions, ==, "create,change,delete");

  skill->participant_id = g_strdup (pid);
  skill->label = g_strdup ("Lassen");
  g_assert_true (koers_skill_repository_insert (db, skill, TEST_ACTOR, &error));
  g_clear_pointer (&actions, g_free);
  actions = actions_for (db, "skill", skill->meta.id);
  g_assert_cmpstr (actions, ==, "create");

  consent->participant_id = g_strdup (pid);
  consent->scope = KOERS_CONSENT_SCOPE_PARTNERS;
  consent->given_on = g_strdup ("2026-03-01");
  g_assert_true (koers_consent_repository_give (db, consent, TEST_ACTOR, &error));
  g_assert_true (koers_consent_repository_withdraw (db, pid, KOERS_CONSENT_SCOPE_PARTNERS,
                                                    "2026-04-01", TEST_ACTOR, &error));
  g_assert_no_error (error);
  g_clear_pointer (&actions, g_free);
  actions = actions_for (db, "consent", consent->meta.id);
  g_assert_cmpstr (actions, ==, "create,change");

  /* A refused write leaves no event. */
  koers_participant_set_name (p, "");
  g_assert_false (koers_participant_repository_update (db, p, TEST_ACTOR, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&actions, g_free);
  actions = actions_for (db, "participant", pid);
  g_assert_cmpstr (actions, ==, "create,open,change,delete,restore");

  g_assert_true (koers_audit_verify_chain (db, &error));
  g_assert_no_error (error);
}

static void
test_tampering_detected (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = storage_test_insert_participant (db, "Amina");

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(KoersParticipant) p = koers_participant_repository_get (db, pid, TEST_ACTOR,
                                                                        "check", &error);
      g_assert_nonnull (p);
    }
  g_assert_true (koers_audit_verify_chain (db, &error));

  /* The trail refuses edits through SQL ... */
  g_assert_false (koers_database_exec (db, "UPDATE audit_event SET actor = 'someone' "
                                           "WHERE seq = 3", &error));
  g_clear_error (&error);
  g_assert_false (koers_database_exec (db, "DELETE FROM audit_event WHERE seq = 3", &error));
  g_clear_error (&error);

  /* ... and one who drops the guard and hides who read the file is found out. */
  g_assert_true (koers_database_exec (db, "DROP TRIGGER audit_event_no_update; "
                                          "UPDATE audit_event SET purpose = 'other' "
                                          "WHERE seq = 3", &error));
  g_assert_false (koers_audit_verify_chain (db, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "3"));
}

static void
test_removed_event_detected (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = storage_test_insert_participant (db, "Amina");

  for (guint i = 0; i < 3; i++)
    g_assert_true (koers_audit_record (db, TEST_ACTOR, KOERS_AUDIT_ACTION_SEARCH, "caseload",
                                       NULL, NULL, KOERS_AUDIT_RESULT_SUCCESS, &error));
  g_assert_true (koers_audit_verify_chain (db, &error));
  g_assert_true (koers_database_exec (db, "DROP TRIGGER audit_event_no_delete; "
                                          "DELETE FROM audit_event WHERE seq = 2", &error));
  g_assert_false (koers_audit_verify_chain (db, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("KOERS_TODAY", "2026-06-15", TRUE);

  g_test_add_func ("/audit/every-write-and-get", test_every_write_and_get);
  g_test_add_func ("/audit/tampering-detected", test_tampering_detected);
  g_test_add_func ("/audit/removed-event-detected", test_removed_event_detected);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sync engine end to end against the real koers-server on loopback: the scenarios of
 * SYNC.md that need no process kills, each ending with the oracle, each on both back ends
 * (SQLite and a throwaway PostgreSQL).
 */
#include "config.h"

#include "koers-test-sync.h"

#include "koers-test-postgres.h"

#include "core/koers-status.h"
#include "storage/koers-note-repository.h"
#include "storage/koers-participant-repository.h"
#include "sync/koers-sync-conflicts.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-push.h"
#include "sync/koers-sync-schema.h"

#include <string.h>

static const char *
user_id (KoersTestSync *sync, KoersTestUserId user)
{
  return sync->server->users[user].user_id;
}

/* A participant made on one laptop reaches a colleague's second laptop of the same coach and
 * the ondersteuner; nobody in the other organisation sees it. */
static void
test_create_push_pull (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *a2 = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *support = koers_test_sync_add_peer (sync, KOERS_TEST_A_ONDERSTEUNER);
  KoersTestPeer *other = koers_test_sync_add_peer (sync, KOERS_TEST_B_COACH);
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *seen_by_support = NULL;
  g_autofree char *seen_by_other = NULL;
  KoersSyncRunStats stats;

  id = koers_test_peer_create_participant (sync, a, "Amina Haddou");
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), >=, 1);
  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.pushed, >=, 1);
  g_assert_cmpuint (stats.quarantined, ==, 0);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 0);
  g_assert_true (koers_sync_client_get_initial_sync_complete (a->client));

  koers_test_peer_sync_ok (a2);
  name = koers_test_peer_get_text (a2, "participant", id, "name");
  g_assert_cmpstr (name, ==, "Amina Haddou");
  /* The rebuild wrote nothing back to the outbox. */
  g_assert_cmpint (koers_sync_schema_count_pending (a2->db), ==, 0);
  koers_test_peer_sync_ok (support);
  seen_by_support = koers_test_peer_get_text (support, "participant", id, "name");
  g_assert_cmpstr (seen_by_support, ==, "Amina Haddou");
  koers_test_peer_sync_ok (other);
  seen_by_other = koers_test_peer_get_text (other, "participant", id, "name");
  g_assert_null (seen_by_other);

  koers_test_sync_check_invariants (sync);
}

/* A coach writes 100 long notes in Arabic script offline (10,000 characters of two bytes
 * each): about 2 MB of mutations, twice what the server takes in one request (413). They go
 * in several requests, none over the limit, and every note arrives on the second laptop. */
static void
test_push_splits_large_batch (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *a2 = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *id = koers_test_peer_create_participant (sync, a, "Amina Haddou");
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *count_sql = NULL;
  KoersSyncRunStats stats;

  koers_test_peer_sync_ok (a);
  for (guint i = 3; i < KOERS_LONG_TEXT_MAX_CHARS; i++)
    g_string_append (body, "ع");
  for (guint i = 0; i < KOERS_SYNC_PUSH_BATCH; i++)
    {
      g_autoptr(KoersNote) note = koers_note_new ();
      g_autoptr(GError) error = NULL;

      note->participant_id = g_strdup (id);
      note->kind = KOERS_NOTE_KIND_CONVERSATION;
      note->occurred_on = g_strdup ("2026-11-20");
      /* Three digits of its own in front: 10,000 characters, and no two notes alike. */
      note->body = g_strdup_printf ("%03u%s", i, body->str);
      g_assert_true (koers_note_repository_add (a->db, note, user_id (sync, KOERS_TEST_A_COACH),
                                                &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, KOERS_SYNC_PUSH_BATCH);

  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.pushed, ==, KOERS_SYNC_PUSH_BATCH);
  g_assert_cmpuint (stats.quarantined, ==, 0);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 0);

  koers_test_peer_sync_ok (a2);
  count_sql = g_strdup_printf ("SELECT count(*) FROM note WHERE participant_id = '%s' "
                               "AND length(body) = %d", id, KOERS_LONG_TEXT_MAX_CHARS);
  g_assert_cmpint (koers_test_peer_count (a2, count_sql), ==, KOERS_SYNC_PUSH_BATCH);
  koers_test_sync_check_invariants (sync);
}

/* Two laptops of one coach edit different fields offline: both values end up everywhere. */
static void
test_merge_different_fields (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *b = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *id = koers_test_peer_create_participant (sync, a, "Daan Jansen");
  g_autofree char *phone_a = NULL, *phone_b = NULL, *mail_a = NULL, *mail_b = NULL;

  koers_test_peer_sync_ok (a);
  koers_test_peer_sync_ok (b);
  /* Offline on both. */
  koers_test_peer_set_text (sync, a, "participant", id, "phone", "0612345678");
  koers_test_peer_set_text (sync, b, "participant", id, "email", "daan@example.nl");
  koers_test_peer_sync_ok (a);
  koers_test_peer_sync_ok (b);
  koers_test_peer_sync_ok (a);

  phone_a = koers_test_peer_get_text (a, "participant", id, "phone");
  phone_b = koers_test_peer_get_text (b, "participant", id, "phone");
  mail_a = koers_test_peer_get_text (a, "participant", id, "email");
  mail_b = koers_test_peer_get_text (b, "participant", id, "email");
  g_assert_cmpstr (phone_a, ==, "0612345678");
  g_assert_cmpstr (phone_b, ==, "0612345678");
  g_assert_cmpstr (mail_a, ==, "daan@example.nl");
  g_assert_cmpstr (mail_b, ==, "daan@example.nl");
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_shadow "
                                             "WHERE entity = 'conflicten'"), ==, 0);
  koers_test_sync_check_invariants (sync);
}

/* Same field on both: the server keeps the first value that arrived, the second becomes a
 * conflict record both devices receive, holding the second value. */
static void
test_same_field_conflict (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *b = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *id = koers_test_peer_create_participant (sync, a, "Fatima Zahra");
  g_autofree char *on_a = NULL, *on_b = NULL, *on_server = NULL;
  KoersSyncRunStats stats;

  koers_test_peer_sync_ok (a);
  koers_test_peer_sync_ok (b);
  koers_test_peer_set_text (sync, a, "participant", id, "next_action", "Bellen over taalcursus");
  koers_test_peer_set_text (sync, b, "participant", id, "next_action", "Intake plannen");
  koers_test_peer_sync_ok (a);
  stats = koers_test_peer_sync_ok (b);
  g_assert_cmpuint (stats.conflicts, ==, 1);
  koers_test_peer_sync_ok (a);

  on_server = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", id,
                                       "volgendeActie");
  on_a = koers_test_peer_get_text (a, "participant", id, "next_action");
  on_b = koers_test_peer_get_text (b, "participant", id, "next_action");
  g_assert_cmpstr (on_server, ==, "Bellen over taalcursus");
  g_assert_cmpstr (on_a, ==, on_server);
  g_assert_cmpstr (on_b, ==, on_server);
  /* The losing value is in a conflict record on both devices. */
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_shadow WHERE "
                                             "entity = 'conflicten' AND "
                                             "record ->> '$.gegevens.client' = "
                                             "'Intake plannen'"), ==, 1);
  g_assert_cmpint (koers_test_peer_count (b, "SELECT count(*) FROM sync_shadow WHERE "
                                             "entity = 'conflicten' AND "
                                             "record ->> '$.gegevens.client' = "
                                             "'Intake plannen'"), ==, 1);

  /* B keeps its own value: the resolution goes up as a mutation and reaches A. */
  {
    g_autofree char *conflict = koers_test_peer_get_text_sql (b, "SELECT id FROM sync_shadow "
                                                                 "WHERE entity = 'conflicten'");
    g_autofree char *resolved_a = NULL, *resolved_server = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (koers_sync_resolve_conflict (b->db, conflict, "mijn", NULL, &error));
    g_assert_no_error (error);
    g_assert_false (koers_sync_resolve_conflict (b->db, conflict, "iets", NULL, &error));
    g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
    koers_test_peer_sync_ok (b);
    koers_test_peer_sync_ok (a);
    resolved_server = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers",
                                               id, "volgendeActie");
    resolved_a = koers_test_peer_get_text (a, "participant", id, "next_action");
    g_assert_cmpstr (resolved_server, ==, "Intake plannen");
    g_assert_cmpstr (resolved_a, ==, "Intake plannen");
    g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_shadow WHERE "
                                               "entity = 'conflicten' AND "
                                               "record ->> '$.gegevens.opgelost' = 1"), ==, 1);
  }
  koers_test_sync_check_invariants (sync);
}

/* One laptop deletes, the other edits: the tombstone wins and the edit stays restorable in a
 * conflict. */
static void
test_delete_vs_edit (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *b = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *id = koers_test_peer_create_participant (sync, a, "Piet de Vries");
  g_autofree char *deleted_b = NULL;

  koers_test_peer_sync_ok (a);
  koers_test_peer_sync_ok (b);
  koers_test_peer_set_deleted (a, "participant", id, TRUE);
  koers_test_peer_set_text (sync, b, "participant", id, "phone", "0687654321");
  koers_test_peer_sync_ok (a);
  koers_test_peer_sync_ok (b);
  koers_test_peer_sync_ok (a);
  deleted_b = koers_test_peer_get_text (b, "participant", id, "deleted");
  g_assert_cmpstr (deleted_b, ==, "1");
  koers_test_sync_check_invariants (sync);
}


/* The answer to a push is lost; the laptop sends the same batch again: the server answers from
 * its record of processed mutations and nothing is applied twice. */
static void
test_replay_after_lost_answer (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *id = koers_test_peer_create_participant (sync, a, "Joost Bakker");
  g_autofree char *token = koers_token_source_dup_access_token (KOERS_TOKEN_SOURCE (a->tokens));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) batch = NULL;
  g_autoptr(JsonNode) lost = NULL;
  g_autofree char *body = NULL;
  KoersSyncRunStats stats;
  guint status = 0, n = 0;

  g_assert_true (koers_sync_push_number (a->db, &error));
  batch = koers_sync_push_next_batch (a->db, KOERS_SYNC_PUSH_BATCH, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, >=, 1);
  body = json_to_string (batch, FALSE);
  lost = koers_test_server_request (sync->server, "POST", "/v1/mutaties", token, body, &status,
                                    NULL);
  g_assert_cmpuint (status, ==, 200);
  /* The answer never arrived: the outbox still holds the rows, with the same numbers. */
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, n);
  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.replayed, ==, n);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 0);
  koers_test_sync_check_invariants (sync);
}

/* @peer's laptop knows the colleague (a participant's coach must exist locally). */
static void
knows_colleague (KoersTestSync *sync, KoersTestPeer *peer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("INSERT OR IGNORE INTO coach (id, created_at, "
                                          "created_by, updated_at, updated_by, name) VALUES "
                                          "('%s', 'x', 'x', 'x', 'x', 'Collega')",
                                          user_id (sync, KOERS_TEST_A_COLLEAGUE));

  koers_database_exec (peer->db, sql, &error);
  g_assert_no_error (error);
}

/* One change the server can never apply sits between two good ones: it goes to quarantine
 * with the server's reason, the others are applied, and the queue does not block. */
static void
test_poison_mutation (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *p1 = koers_test_peer_create_participant (sync, a, "Eva Smit");
  g_autofree char *p2 = koers_test_peer_create_participant (sync, a, "Sven Mulder");
  g_autofree char *p3 = koers_test_peer_create_participant (sync, a, "Noor Visser");
  g_autofree char *coach_after = NULL, *phone1 = NULL, *phone3 = NULL;
  KoersSyncRunStats stats;

  koers_test_peer_sync_ok (a);
  knows_colleague (sync, a);
  koers_test_peer_set_text (sync, a, "participant", p1, "phone", "0611111111");
  /* A coach may not move a participant to another caseload: afgewezen. */
  koers_test_peer_set_text (sync, a, "participant", p2, "coach_id",
                            user_id (sync, KOERS_TEST_A_COLLEAGUE));
  koers_test_peer_set_text (sync, a, "participant", p3, "phone", "0633333333");
  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.pushed, ==, 3);
  g_assert_cmpuint (stats.quarantined, ==, 1);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 0);
  g_assert_cmpint (koers_sync_schema_count_quarantined (a->db), ==, 1);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_quarantine "
                                             "WHERE action = 'wijzigen' AND "
                                             "length(reason) > 0 AND "
                                             "reason_code = 'alleenOndersteuner' AND "
                                             "field = 'coachId' AND "
                                             "diff ->> '$.coachId.wordt' IS NOT NULL"), ==, 1);
  /* The working row shows the server's value again. */
  coach_after = koers_test_peer_get_text (a, "participant", p2, "coach_id");
  g_assert_cmpstr (coach_after, ==, user_id (sync, KOERS_TEST_A_COACH));
  phone1 = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", p1,
                                    "telefoon");
  phone3 = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", p3,
                                    "telefoon");
  g_assert_cmpstr (phone1, ==, "0611111111");
  g_assert_cmpstr (phone3, ==, "0633333333");
  koers_test_sync_check_invariants (sync);
}

/* The ondersteuner moves a participant to a colleague while the old coach has an unsent edit:
 * the edit is refused by the server (out of scope) and kept in quarantine; the old coach's
 * next pull removes the participant and its children locally; the colleague gets it whole. */
static void
test_reassignment_with_pending_edit (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *coach = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *support = koers_test_sync_add_peer (sync, KOERS_TEST_A_ONDERSTEUNER);
  KoersTestPeer *colleague = koers_test_sync_add_peer (sync, KOERS_TEST_A_COLLEAGUE);
  g_autofree char *id = koers_test_peer_create_participant (sync, coach, "Lotte Kok");
  g_autofree char *note_id = NULL;
  g_autofree char *gone = NULL, *arrived = NULL;
  KoersSyncRunStats stats;

  koers_test_peer_sync_ok (coach);
  note_id = koers_test_server_add_child (sync->server, KOERS_TEST_A_COACH, "notities", id);
  koers_test_peer_sync_ok (coach);
  g_assert_cmpint (koers_test_peer_count (coach, "SELECT count(*) FROM note"), ==, 1);
  koers_test_peer_sync_ok (support);
  koers_test_peer_sync_ok (colleague);

  koers_test_peer_set_text (sync, coach, "participant", id, "phone", "0655555555");
  knows_colleague (sync, support);
  koers_test_peer_set_text (sync, support, "participant", id, "coach_id",
                            user_id (sync, KOERS_TEST_A_COLLEAGUE));
  stats = koers_test_peer_sync_ok (support);
  g_assert_cmpuint (stats.quarantined, ==, 0);

  stats = koers_test_peer_sync_ok (coach);
  g_assert_cmpuint (stats.quarantined, ==, 1);
  gone = koers_test_peer_get_text (coach, "participant", id, "name");
  g_assert_null (gone);
  g_assert_cmpint (koers_test_peer_count (coach, "SELECT count(*) FROM note"), ==, 0);
  /* Pushed before the pull that says buitenBereik: the server no longer finds it for us. */
  g_assert_cmpint (koers_test_peer_count (coach, "SELECT count(*) FROM sync_quarantine WHERE "
                                                 "diff ->> '$.telefoon.wordt' = "
                                                 "'0655555555' AND reason_code = "
                                                 "'nietGevonden' AND field IS NULL"), ==, 1);
  koers_test_peer_sync_ok (colleague);
  arrived = koers_test_peer_get_text (colleague, "participant", id, "name");
  g_assert_cmpstr (arrived, ==, "Lotte Kok");
  g_assert_cmpint (koers_test_peer_count (colleague, "SELECT count(*) FROM note"), ==, 1);
  koers_test_sync_check_invariants (sync);
}

/* A laptop of the coach deletes a participant from an old version: the tombstone wins and the
 * other laptop's edit is kept in a conflict, which both laptops get. The first laptop goes
 * offline; the ondersteuner restores the participant and moves it to a colleague (the conflict
 * goes with it and the coach's feed says it left), then resolves the conflict with "theirs":
 * the values from before the delete, the coach among them, so the participant and the
 * conflict come back to the coach. The laptop that was offline must not keep the conflict if
 * it is not in its coach's feed, nor miss it if it is. */
static void
test_resolution_moves_back (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a1 = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *a2 = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *support = koers_test_sync_add_peer (sync, KOERS_TEST_A_ONDERSTEUNER);
  g_autofree char *id = koers_test_peer_create_participant (sync, a1, "Ilse Bos");
  g_autofree char *conflict = NULL;
  g_autofree char *coach = NULL, *name = NULL;
  g_autoptr(GError) error = NULL;

  knows_colleague (sync, support);
  koers_test_peer_sync_ok (a1);
  koers_test_peer_sync_ok (a2);
  koers_test_peer_set_text (sync, a2, "participant", id, "phone", "0612121212");
  koers_test_peer_sync_ok (a2);
  /* a1 has not seen the edit: its delete meets a change by another device. */
  koers_test_peer_set_deleted (a1, "participant", id, TRUE);
  koers_test_peer_sync_ok (a1);
  conflict = koers_test_peer_get_text_sql (a1, "SELECT id FROM sync_shadow "
                                               "WHERE entity = 'conflicten'");
  g_assert_nonnull (conflict);

  /* a1 is offline from here. */
  koers_test_peer_sync_ok (support);
  koers_test_peer_set_deleted (support, "participant", id, FALSE);
  koers_test_peer_sync_ok (support);
  koers_test_peer_set_text (sync, support, "participant", id, "coach_id",
                            user_id (sync, KOERS_TEST_A_COLLEAGUE));
  koers_test_peer_sync_ok (support);
  koers_sync_resolve_conflict (support->db, conflict, "hun", NULL, &error);
  g_assert_no_error (error);
  koers_test_peer_sync_ok (support);
  g_assert_cmpint (koers_sync_schema_count_quarantined (support->db), ==, 0);
  coach = koers_test_server_field (sync->server, KOERS_TEST_A_ONDERSTEUNER, "deelnemers", id,
                                   "coachId");
  g_assert_cmpstr (coach, ==, user_id (sync, KOERS_TEST_A_COACH));
  koers_test_sync_check_invariants (sync);
  /* Back with the coach: the laptop that was offline holds the participant and the conflict,
   * resolved. */
  g_assert_cmpint (koers_test_peer_count (a1, "SELECT count(*) FROM sync_shadow WHERE "
                                              "entity = 'conflicten' AND "
                                              "record ->> '$.gegevens.opgelost' = 1"), ==, 1);
  name = koers_test_peer_get_text (a1, "participant", id, "name");
  g_assert_cmpstr (name, ==, "Ilse Bos");
}

/* The mirror image: the ondersteuner, not yet aware that a laptop of the coach deleted a
 * participant, moves it to a colleague; the move is kept in a conflict about the tombstone.
 * Resolved with "mine", the participant comes back and goes to the colleague, and the
 * conflict with it: the coach's laptops must not keep it, nor the coach's caseload on the
 * server. */
static void
test_resolution_moves_away (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a1 = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *support = koers_test_sync_add_peer (sync, KOERS_TEST_A_ONDERSTEUNER);
  g_autofree char *id = koers_test_peer_create_participant (sync, a1, "Ruben Jansen");
  g_autofree char *conflict = NULL;
  g_autofree char *coach = NULL;
  g_autoptr(GError) error = NULL;

  knows_colleague (sync, support);
  koers_test_peer_sync_ok (a1);
  koers_test_peer_sync_ok (support);
  koers_test_peer_set_deleted (a1, "participant", id, TRUE);
  koers_test_peer_sync_ok (a1);
  koers_test_peer_set_text (sync, support, "participant", id, "coach_id",
                            user_id (sync, KOERS_TEST_A_COLLEAGUE));
  koers_test_peer_sync_ok (support);
  conflict = koers_test_peer_get_text_sql (support, "SELECT id FROM sync_shadow "
                                                    "WHERE entity = 'conflicten'");
  g_assert_nonnull (conflict);
  koers_test_peer_sync_ok (a1);
  g_assert_cmpint (koers_test_peer_count (a1, "SELECT count(*) FROM sync_shadow "
                                              "WHERE entity = 'conflicten'"), ==, 1);

  koers_sync_resolve_conflict (support->db, conflict, "mijn", NULL, &error);
  g_assert_no_error (error);
  koers_test_peer_sync_ok (support);
  g_assert_cmpint (koers_sync_schema_count_quarantined (support->db), ==, 0);
  coach = koers_test_server_field (sync->server, KOERS_TEST_A_ONDERSTEUNER, "deelnemers", id,
                                   "coachId");
  g_assert_cmpstr (coach, ==, user_id (sync, KOERS_TEST_A_COLLEAGUE));
  koers_test_sync_check_invariants (sync);
  g_assert_cmpint (koers_test_peer_count (a1, "SELECT count(*) FROM sync_shadow "
                                              "WHERE entity = 'conflicten'"), ==, 0);
}

/* The server restored from a backup answers 410: the client pulls everything again from 0 and
 * keeps its unsent changes. */
static void
test_epoch_change_keeps_outbox (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *id = koers_test_peer_create_participant (sync, a, "Ruben Bos");
  g_autofree char *phone = NULL;
  g_autoptr(GError) error = NULL;
  KoersSyncRunStats stats;

  koers_test_peer_sync_ok (a);
  g_assert_true (koers_server_db_new_epoch (sync->server->db, &error));
  g_assert_no_error (error);
  koers_test_peer_set_text (sync, a, "participant", id, "phone", "0677777777");
  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.full_repulls, ==, 1);
  g_assert_true (koers_sync_client_get_initial_sync_complete (a->client));
  phone = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", id,
                                   "telefoon");
  g_assert_cmpstr (phone, ==, "0677777777");

  /* The reset itself: shadow and cursor go, the outbox stays. */
  koers_test_peer_set_text (sync, a, "participant", id, "email", "ruben@example.nl");
  g_assert_true (koers_sync_reset_for_full_pull (a->db, -1, &error));
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 1);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_shadow"), ==, 0);
  koers_test_sync_check_invariants (sync);
}

/* An expired access token: one refresh through /oauth/token, then the run goes on. */
static void
test_token_refresh (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *id = koers_test_peer_create_participant (sync, a, "Ilse de Boer");
  g_autoptr(GError) error = NULL;

  koers_memory_token_source_set_access_token (a->tokens, "verlopen-token");
  koers_test_peer_sync_ok (a);
  g_assert_cmpuint (koers_memory_token_source_get_n_refreshes (a->tokens), ==, 1);

  /* With a refresh token that no longer works the run stops with an auth error; the outbox
   * is kept. */
  koers_test_peer_set_text (sync, a, "participant", id, "phone", "0699999999");
  g_object_unref (a->tokens);
  a->tokens = koers_memory_token_source_new ("verlopen-token", "ook-verlopen");
  g_object_unref (a->client);
  {
    g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", sync->server->port);
    const char *device = NULL;

    a->client = koers_sync_client_new (a->db, url, KOERS_TOKEN_SOURCE (a->tokens));
    (void) device;
  }
  g_assert_false (koers_test_peer_sync (a, NULL, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH);
  g_assert_cmpint (koers_sync_client_get_state (a->client), ==, KOERS_SYNC_CLIENT_ERROR);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 1);
}

/* The server is down and nobody touches the laptop: the retry timer drains the outbox once it
 * is back, without a new local write. */
static void
test_outbox_drains_by_itself (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autoptr(KoersServer) later = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  guint port = 0;
  guint delay;

  /* A port where nothing listens yet: taken by a server that is closed again at once. */
  {
    g_autoptr(KoersServer) probe = koers_server_new (sync->server->db);

    koers_server_listen (probe, "127.0.0.1", 0, &port, &error);
    g_assert_no_error (error);
    koers_server_disconnect (probe);
  }
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  koers_test_peer_set_url (a, url);
  id = koers_test_peer_create_participant (sync, a, "Hanna Peters");
  koers_sync_client_start (a->client);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (koers_sync_client_get_state (a->client) != KOERS_SYNC_CLIENT_OFFLINE)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  delay = koers_sync_client_get_retry_delay (a->client);
  g_assert_cmpuint (delay, >=, KOERS_SYNC_BACKOFF_MIN_MS);
  g_assert_cmpuint (delay, <=, 2 * KOERS_SYNC_BACKOFF_MIN_MS);
  g_assert_cmpint (koers_sync_client_get_pending_count (a->client), >, 0);

  /* The server comes up; nobody touches the laptop. */
  later = koers_server_new (sync->server->db);
  koers_server_listen (later, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (koers_sync_client_get_pending_count (a->client) > 0
         || koers_sync_client_get_state (a->client) != KOERS_SYNC_CLIENT_IDLE)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  koers_sync_client_stop (a->client);
  g_assert_nonnull (koers_sync_client_get_last_sync (a->client));
  koers_test_sync_check_invariants (sync);
  koers_server_disconnect (later);
}

static GDateTime *
ten_minutes_ahead (gpointer user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  (void) user_data;
  return g_date_time_add_minutes (now, 10);
}

/* A server clock 10 minutes ahead is reported. */
static void
test_clock_skew_reported (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);

  koers_test_peer_sync_ok (a);
  g_assert_false (koers_sync_client_get_clock_skewed (a->client));
  koers_server_engine_set_clock (koers_server_get_engine (sync->server->server),
                                 ten_minutes_ahead, NULL);
  koers_test_peer_sync_ok (a);
  g_assert_true (koers_sync_client_get_clock_skewed (a->client));
  g_assert_cmpint (koers_sync_client_get_clock_offset (a->client), >=, 590);
  g_assert_cmpint (koers_sync_client_get_clock_offset (a->client), <=, 610);
  koers_server_engine_set_clock (koers_server_get_engine (sync->server->server), NULL, NULL);
}

/* The oracle itself: a value that was typed but reached nowhere, and a device holding a row
 * its user may not see, each fail it (a check that cannot fail proves nothing). */
static void
test_oracle_catches_lost_write (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(KoersTestSync) sync = koers_test_sync_new (KOERS_SERVER_DB_SQLITE);
      KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
      g_autofree char *id = koers_test_peer_create_participant (sync, a, "Echt Getypt");

      koers_test_sync_typed (sync, "deelnemers", id, "telefoon", "0600000000");
      koers_test_sync_check_invariants (sync);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*invariant 2 (no lost write)*0600000000*");
}

static void
test_oracle_catches_isolation_breach (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(KoersTestSync) sync = koers_test_sync_new (KOERS_SERVER_DB_SQLITE);
      KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
      KoersTestPeer *b = koers_test_sync_add_peer (sync, KOERS_TEST_B_COACH);
      g_autofree char *id = koers_test_peer_create_participant (sync, a, "Alleen Voor A");
      g_autoptr(GError) error = NULL;

      koers_test_peer_sync_ok (a);
      koers_test_peer_sync_ok (b);
      /* Organisation B's device gets A's row behind the engine's back. */
      koers_database_exec (b->db, "INSERT INTO sync_shadow (entity, id, version, record) "
                                  "VALUES ('deelnemers', 'x', 1, '{}')", &error);
      g_assert_no_error (error);
      koers_test_sync_check_invariants (sync);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*invariant 5 (isolation)*");
}

static gpointer
take_hold (gpointer hold)
{
  koers_sync_hold_take (hold);
  return NULL;
}

/* A status step taken back before anything was sent sends nothing: the status change and its
 * undo cancel out on the laptop. Sent as they are, the server would refuse both (a status
 * change is append-only and the workflow has no step back) and the undo would land in
 * quarantine. A step taken back after it was sent is not compacted away: it goes, and is
 * refused with its reason. SQLite only: the outbox is the client's. */
static void
test_undo_before_send (void)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (KOERS_SERVER_DB_SQLITE);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *id = koers_test_peer_create_participant (sync, a, "Ilse Bosman");
  g_autoptr(KoersParticipant) participant = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  const char *coach = sync->server->users[KOERS_TEST_A_COACH].user_id;
  const KoersStatus *next;
  guint n_next = 0;
  KoersSyncRunStats stats;
  gint64 changes_on_server;

  koers_test_peer_sync_ok (a);
  changes_on_server = koers_test_peer_count (a, "SELECT count(*) FROM sync_shadow "
                                                "WHERE entity = 'statuswijzigingen'");

  /* Offline: registered -> intake, then Undo. */
  participant = koers_participant_repository_get (a->db, id, coach, "status change", &error);
  g_assert_no_error (error);
  koers_participant_set_status (participant, KOERS_STATUS_INTAKE);
  g_assert_true (koers_participant_repository_update (a->db, participant, coach, &error));
  g_assert_no_error (error);
  g_assert_true (koers_participant_repository_undo_status_change (a->db, id, KOERS_STATUS_INTAKE,
                                                                  coach, &error));
  g_assert_no_error (error);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), >=, 3);

  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.pushed, ==, 0);
  g_assert_cmpuint (stats.quarantined, ==, 0);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 0);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_quarantine"), ==, 0);
  status = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", id,
                                    "status");
  g_assert_cmpstr (status, ==, koers_status_to_id (KOERS_STATUS_REGISTERED));
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_shadow "
                                             "WHERE entity = 'statuswijzigingen'"),
                   ==, changes_on_server);

  /* Sent first, taken back after: both steps go, and the server's refusal says why. */
  g_clear_object (&participant);
  participant = koers_participant_repository_get (a->db, id, coach, "status change", &error);
  koers_participant_set_status (participant, KOERS_STATUS_INTAKE);
  g_assert_true (koers_participant_repository_update (a->db, participant, coach, &error));
  g_assert_true (koers_sync_push_number (a->db, &error));
  g_assert_no_error (error);
  g_assert_true (koers_participant_repository_undo_status_change (a->db, id, KOERS_STATUS_INTAKE,
                                                                  coach, &error));
  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.quarantined, >=, 1);

  /* A run while the undo is on offer (one already going, or asked for directly) sends
   * nothing written since the hold; the undo then cancels the step, and nothing is sent. */
  g_clear_object (&participant);
  koers_sync_client_set_held (a->client, TRUE);
  participant = koers_participant_repository_get (a->db, id, coach, "status change", &error);
  g_assert_no_error (error);
  /* The server kept the step to intake; the next step on from there. */
  next = koers_status_next (koers_participant_get_status (participant), &n_next);
  g_assert_cmpuint (n_next, >, 0);
  koers_participant_set_status (participant, next[0]);
  g_assert_true (koers_participant_repository_update (a->db, participant, coach, &error));
  g_assert_no_error (error);
  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.pushed, ==, 0);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), >=, 2);
  g_assert_true (koers_participant_repository_undo_status_change (a->db, id, next[0], coach,
                                                                  &error));
  g_assert_no_error (error);
  koers_sync_client_set_held (a->client, FALSE);
  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.pushed, ==, 0);
  g_assert_cmpuint (stats.quarantined, ==, 0);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 0);

  /* The same with the window's hold, taken on its own thread and never told to the client
   * (koers_sync_client_set_held is not called): a run numbers nothing written after it was
   * taken, though no message reached the client's thread. */
  {
    g_autoptr(KoersSyncHold) hold = koers_sync_hold_new ();
    GThread *window = g_thread_new ("window", take_hold, hold);

    g_thread_join (window);
    koers_sync_client_set_hold (a->client, hold);
    g_assert_true (koers_sync_client_get_held (a->client));
    g_clear_object (&participant);
    participant = koers_participant_repository_get (a->db, id, coach, "status change", &error);
    g_assert_no_error (error);
    koers_participant_set_status (participant, next[0]);
    g_assert_true (koers_participant_repository_update (a->db, participant, coach, &error));
    stats = koers_test_peer_sync_ok (a);
    g_assert_cmpuint (stats.pushed, ==, 0);
    g_assert_true (koers_participant_repository_undo_status_change (a->db, id, next[0], coach,
                                                                    &error));
    g_assert_no_error (error);
    koers_sync_hold_release (hold);
    g_assert_false (koers_sync_client_get_held (a->client));
    stats = koers_test_peer_sync_ok (a);
    g_assert_cmpuint (stats.pushed, ==, 0);
    g_assert_cmpuint (stats.quarantined, ==, 0);
    g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 0);
  }
  koers_test_sync_check_invariants (sync);
}

/* A listener that takes connections and never answers: the request waits for its answer as
 * long as the client's I/O timeout, then fails as a network error. */
static gboolean
hold_connection_cb (GSocketService *service, GSocketConnection *connection, GObject *source,
                    gpointer user_data)
{
  GPtrArray *held = user_data;

  (void) service;
  (void) source;
  g_ptr_array_add (held, g_object_ref (connection));
  return TRUE;
}

/* A listening socket whose queue of connections nobody accepts is full after @n_fill of them:
 * Linux then drops the next connection's SYN, so its connect hangs. */
static GSocket *
full_listener (guint *out_port, GPtrArray *fillers)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                    G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (listener, address, TRUE, &error));
  g_socket_set_listen_backlog (listener, 0);
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  for (guint i = 0; i < 4; i++)
    {
      GSocket *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL);

      g_socket_set_blocking (filler, FALSE);
      g_socket_connect (filler, bound, NULL, NULL);   /* pending or done: either fills */
      g_ptr_array_add (fillers, filler);
    }
  return listener;
}

/* The client's two timeouts (docs/api-protocol.md, Limits), shortened to one and three
 * seconds: a server that does not take the connection, and one that takes it and never
 * answers. Each run fails
 * as a network error within a few seconds, and the outbox is kept for the next run. */
static void
test_timeouts (void)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (KOERS_SERVER_DB_SQLITE);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocketService) silent = g_socket_service_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = koers_test_peer_create_participant (sync, a, "Tijd Uit");
  g_autofree char *url = NULL;
  gint64 pending = koers_sync_schema_count_pending (a->db);
  guint16 port = 0;
  guint full_port = 0;
  gint64 started;

  g_assert_cmpint (pending, >=, 1);

  listener = full_listener (&full_port, fillers);
  url = g_strdup_printf ("http://127.0.0.1:%u", full_port);
  koers_test_peer_set_url (a, url);   /* a new client: the timeouts after it */
  koers_sync_client_set_timeouts (a->client, 1, 3);
  started = g_get_monotonic_time ();
  g_assert_false (koers_test_peer_sync (a, NULL, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "did not answer within 1 second"));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 8 * G_USEC_PER_SEC);
  g_clear_error (&error);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, pending);

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (silent), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (silent, "incoming", G_CALLBACK (hold_connection_cb), held);
  g_socket_service_start (silent);
  g_free (url);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  koers_test_peer_set_url (a, url);
  koers_sync_client_set_timeouts (a->client, 1, 3);
  started = g_get_monotonic_time ();
  g_assert_false (koers_test_peer_sync (a, NULL, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NETWORK);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 8 * G_USEC_PER_SEC);
  g_assert_cmpuint (held->len, >=, 1);
  g_clear_error (&error);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, pending);
  g_socket_service_stop (silent);

  /* The real server again: the kept change goes. */
  g_free (url);
  url = g_strdup_printf ("http://127.0.0.1:%u", sync->server->port);
  koers_test_peer_set_url (a, url);
  koers_test_peer_sync_ok (a);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  koers_test_server_db_add ("/sync/client/create-push-pull", test_create_push_pull);
  koers_test_server_db_add ("/sync/client/push-splits-large-batch",
                            test_push_splits_large_batch);
  koers_test_server_db_add ("/sync/client/merge-different-fields",
                            test_merge_different_fields);
  koers_test_server_db_add ("/sync/client/same-field-conflict", test_same_field_conflict);
  koers_test_server_db_add ("/sync/client/delete-vs-edit", test_delete_vs_edit);
  koers_test_server_db_add ("/sync/client/replay-after-lost-answer",
                            test_replay_after_lost_answer);
  koers_test_server_db_add ("/sync/client/poison-mutation", test_poison_mutation);
  koers_test_server_db_add ("/sync/client/reassignment-with-pending-edit",
                            test_reassignment_with_pending_edit);
  koers_test_server_db_add ("/sync/client/resolution-moves-back", test_resolution_moves_back);
  koers_test_server_db_add ("/sync/client/resolution-moves-away", test_resolution_moves_away);
  koers_test_server_db_add ("/sync/client/epoch-change-keeps-outbox",
                            test_epoch_change_keeps_outbox);
  koers_test_server_db_add ("/sync/client/token-refresh", test_token_refresh);
  koers_test_server_db_add ("/sync/client/outbox-drains-by-itself",
                            test_outbox_drains_by_itself);
  koers_test_server_db_add ("/sync/client/clock-skew-reported", test_clock_skew_reported);
  g_test_add_func ("/sync/client/sqlite/undo-before-send", test_undo_before_send);
  g_test_add_func ("/sync/client/sqlite/timeouts", test_timeouts);
  g_test_add_func ("/sync/oracle/catches-lost-write", test_oracle_catches_lost_write);
  g_test_add_func ("/sync/oracle/catches-isolation-breach",
                   test_oracle_catches_isolation_breach);
  return g_test_run ();
}

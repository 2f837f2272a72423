/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the Conflicts page reads and does (src/sync/koers-sync-review.c), against the real
 * koers-server on loopback on both back ends: open conflicts only, resolving (an edited value
 * checked first), fixing and resending a refused change under a new mutation id, discarding;
 * and damaged local records skipped without a warning.
 */
#include "config.h"

#include "koers-test-sync.h"

#include "koers-test-helpers.h"
#include "koers-test-postgres.h"

#include "sync/koers-sync-push.h"
#include "sync/koers-sync-review.h"
#include "sync/koers-sync-schema.h"
#include "sync/koers-sync-staff.h"

#include <string.h>

/* A number of nine digits passing the elfproef: the server refuses free text holding one. */
#define BSN_LIKE "111222333"

static KoersSyncReview *
load_ok (KoersTestPeer *peer)
{
  g_autoptr(GError) error = NULL;
  KoersSyncReview *review = koers_sync_review_load (peer->db, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (review);
  return review;
}

static void
set_raw (KoersTestPeer *peer, const char *id, const char *column, const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE participant SET \"%s\" = ?2 WHERE id = ?1",
                                          column);
  sqlite3_stmt *stmt = koers_database_prepare (peer->db, sql, &error);

  g_assert_no_error (error);
  koers_bind_text (stmt, 1, id);
  koers_bind_text (stmt, 2, value);
  koers_database_step (peer->db, stmt, NULL, &error);
  g_assert_no_error (error);
}

/* Two laptops change the same field: both list one open conflict with base, theirs and mine;
 * a bad edited value is refused without writing; "theirs" waits until the next pull, after
 * which the conflict is gone everywhere. */
static void
test_open_conflicts_only (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *b = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *id = koers_test_peer_create_participant (sync, a, "Fatima Zahra");
  g_autoptr(KoersSyncReview) on_a = NULL;
  g_autoptr(KoersSyncReview) on_b = NULL;
  g_autoptr(KoersSyncReview) waiting = NULL;
  g_autoptr(KoersSyncReview) after_a = NULL;
  g_autoptr(KoersSyncReview) after_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *too_long = g_strnfill (201, 'x');
  g_autofree char *server_value = NULL;
  KoersSyncConflict *conflict;
  gint64 pending;

  koers_test_peer_sync_ok (a);
  koers_test_peer_sync_ok (b);
  koers_test_peer_set_text (sync, a, "participant", id, "next_action", "Bellen over taalcursus");
  koers_test_peer_set_text (sync, b, "participant", id, "next_action", "Intake plannen");
  koers_test_peer_sync_ok (a);
  koers_test_peer_sync_ok (b);
  koers_test_peer_sync_ok (a);

  on_a = load_ok (a);
  on_b = load_ok (b);
  g_assert_cmpuint (on_a->conflicts->len, ==, 1);
  g_assert_cmpuint (on_b->conflicts->len, ==, 1);
  g_assert_cmpuint (koers_sync_review_count_attention (on_b), ==, 1);
  conflict = g_ptr_array_index (on_b->conflicts, 0);
  g_assert_cmpstr (conflict->entity, ==, "deelnemers");
  g_assert_cmpstr (conflict->record_id, ==, id);
  g_assert_cmpstr (conflict->participant_id, ==, id);
  g_assert_cmpstr (conflict->participant_name, ==, "Fatima Zahra");
  g_assert_cmpstr (conflict->field, ==, "volgendeActie");
  g_assert_cmpstr (koers_sync_review_field_label (conflict->entity, conflict->field), ==,
                   "Next action");
  g_assert_true (JSON_NODE_HOLDS_NULL (conflict->base));
  g_assert_cmpstr (json_node_get_string (conflict->theirs), ==, "Bellen over taalcursus");
  g_assert_cmpstr (json_node_get_string (conflict->mine), ==, "Intake plannen");
  g_assert_nonnull (conflict->theirs_at);
  g_assert_nonnull (conflict->mine_by);
  g_assert_false (conflict->waiting);

  /* An edited value the server would refuse is refused here, naming the field; no row. */
  pending = koers_sync_schema_count_pending (b->db);
  g_assert_false (koers_sync_review_resolve (b->db, conflict->id, "bewerkt", too_long, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Next action"));
  g_clear_error (&error);
  g_assert_false (koers_sync_review_resolve (b->db, conflict->id, "bewerkt",
                                             "Bel " BSN_LIKE " terug", &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (koers_sync_schema_count_pending (b->db), ==, pending);

  g_assert_true (koers_sync_review_resolve (b->db, conflict->id, "hun", NULL, &error));
  g_assert_no_error (error);
  waiting = load_ok (b);
  g_assert_cmpuint (waiting->conflicts->len, ==, 1);
  g_assert_true (((KoersSyncConflict *) g_ptr_array_index (waiting->conflicts, 0))->waiting);
  g_assert_cmpuint (koers_sync_review_count_attention (waiting), ==, 0);

  koers_test_peer_sync_ok (b);
  koers_test_peer_sync_ok (a);
  after_a = load_ok (a);
  after_b = load_ok (b);
  g_assert_cmpuint (after_a->conflicts->len, ==, 0);
  g_assert_cmpuint (after_b->conflicts->len, ==, 0);
  /* Resolved records stay in the shadow, marked: the list filters, nothing was deleted. */
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_shadow WHERE "
                                             "entity = 'conflicten'"), ==, 1);
  server_value = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", id,
                                          "volgendeActie");
  g_assert_cmpstr (server_value, ==, "Bellen over taalcursus");
  koers_test_sync_check_invariants (sync);
}

static void
set_self (KoersTestSync *sync, KoersTestPeer *peer, const char *name, const char *role)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_sync_staff_set_self (peer->db, sync->server->users[peer->user].user_id,
                                            name, role, &error));
  g_assert_no_error (error);
}

/* Both peers type a next action for @id offline; @first's reaches the server first, @second's
 * becomes a conflict, and @first pulls it. */
static void
type_clashing_next_actions (KoersTestSync *sync, KoersTestPeer *first, KoersTestPeer *second,
                            const char *id, const char *first_value, const char *second_value)
{
  koers_test_peer_sync_ok (first);
  koers_test_peer_sync_ok (second);
  koers_test_peer_set_text (sync, first, "participant", id, "next_action", first_value);
  koers_test_peer_set_text (sync, second, "participant", id, "next_action", second_value);
  koers_test_peer_sync_ok (first);
  koers_test_peer_sync_ok (second);
  koers_test_peer_sync_ok (first);
}

/* (transfer none) The one open conflict of @review, checked: which side is "mine" here and
 * what it says. */
static KoersSyncConflict *
only_conflict (KoersSyncReview *review, gboolean mine_is_server, const char *mine)
{
  KoersSyncConflict *conflict;

  g_assert_cmpuint (review->conflicts->len, ==, 1);
  conflict = g_ptr_array_index (review->conflicts, 0);
  g_assert_cmpint (conflict->mine_is_server, ==, mine_is_server);
  g_assert_cmpstr (json_node_get_string (conflict->mine), ==, mine);
  return conflict;
}

/* "Keep Mine" for @conflict_id on @resolver: after both sync, the server holds @expected for
 * the next action of @id, @other has no open conflict, and the invariants hold. */
static void
keep_mine (KoersTestSync *sync, KoersTestPeer *resolver, KoersTestPeer *other,
           const char *conflict_id, const char *id, const char *expected)
{
  g_autoptr(KoersSyncReview) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_value = NULL;

  g_assert_true (koers_sync_review_resolve (resolver->db, conflict_id, "mijn", NULL, &error));
  g_assert_no_error (error);
  koers_test_peer_sync_ok (resolver);
  koers_test_peer_sync_ok (other);
  server_value = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", id,
                                          "volgendeActie");
  g_assert_cmpstr (server_value, ==, expected);
  after = load_ok (other);
  g_assert_cmpuint (after->conflicts->len, ==, 0);
  koers_test_sync_check_invariants (sync);
}

/* This laptop's device id, as signing in stores it. */
static void
set_device (KoersTestPeer *peer)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_sync_state_set (peer->db, KOERS_SYNC_STATE_DEVICE_ID,
                                       g_object_get_data (G_OBJECT (peer->client), "device-id"),
                                       &error));
  g_assert_no_error (error);
}

/* A coach and the ondersteuner type different next actions; the coach's reaches the server
 * first. Each sees their own value as "mine", and "keep mine" on the coach's laptop keeps the
 * coach's value (the server's), which on that side is the wire's "hun". */
static void
test_mine_is_own_value (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *coach = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *support = koers_test_sync_add_peer (sync, KOERS_TEST_A_ONDERSTEUNER);
  g_autofree char *id = koers_test_peer_create_participant (sync, coach, "Yohannes Tesfaye");
  g_autoptr(KoersSyncReview) on_coach = NULL;
  g_autoptr(KoersSyncReview) on_support = NULL;
  KoersSyncConflict *conflict;

  set_self (sync, coach, "Coach A", "coach");
  set_self (sync, support, "Ondersteuner A", "ondersteuner");
  type_clashing_next_actions (sync, coach, support, id, "Van de coach", "Van de ondersteuner");

  on_coach = load_ok (coach);
  conflict = only_conflict (on_coach, TRUE, "Van de coach");
  g_assert_cmpstr (json_node_get_string (conflict->theirs), ==, "Van de ondersteuner");
  g_assert_cmpstr (conflict->mine_by, ==, sync->server->users[KOERS_TEST_A_COACH].user_id);
  g_assert_cmpstr (conflict->theirs_by, ==,
                   sync->server->users[KOERS_TEST_A_ONDERSTEUNER].user_id);

  on_support = load_ok (support);
  only_conflict (on_support, FALSE, "Van de ondersteuner");

  keep_mine (sync, coach, support, conflict->id, id, "Van de coach");
}

/* One coach on two laptops types two next actions offline; the first laptop's reaches the
 * server first. Each laptop calls the value typed on it "mine" (the user alone cannot tell
 * them apart), and "keep mine" on the first laptop keeps its value. */
static void
test_mine_on_two_devices (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *first = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *second = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *id = koers_test_peer_create_participant (sync, first, "Yohannes Tesfaye");
  g_autoptr(KoersSyncReview) on_first = NULL;
  g_autoptr(KoersSyncReview) on_second = NULL;
  KoersSyncConflict *conflict;

  set_self (sync, first, "Coach A", "coach");
  set_self (sync, second, "Coach A", "coach");
  set_device (first);
  set_device (second);
  type_clashing_next_actions (sync, first, second, id, "Op de laptop", "Op de desktop");

  on_first = load_ok (first);
  conflict = only_conflict (on_first, TRUE, "Op de laptop");
  g_assert_cmpstr (json_node_get_string (conflict->theirs), ==, "Op de desktop");

  on_second = load_ok (second);
  only_conflict (on_second, FALSE, "Op de desktop");

  keep_mine (sync, first, second, conflict->id, id, "Op de laptop");
}

/* Both sides keep their own value: the ondersteuner's resolution reaches the server first, the
 * coach's is refused ("al anders opgelost"). The coach's refused change lists the choice as the
 * coach made it, "Keep Mine", although the wire said "hun" (the server's value). */
static void
test_refused_choice_as_seen (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *coach = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *support = koers_test_sync_add_peer (sync, KOERS_TEST_A_ONDERSTEUNER);
  g_autofree char *id = koers_test_peer_create_participant (sync, coach, "Yohannes Tesfaye");
  g_autoptr(KoersSyncReview) on_coach = NULL;
  g_autoptr(KoersSyncReview) on_support = NULL;
  g_autoptr(KoersSyncReview) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  KoersSyncConflict *conflict;
  KoersSyncQuarantined *refused;
  JsonObject *choice;
  KoersSyncRunStats stats;

  set_self (sync, coach, "Coach A", "coach");
  set_self (sync, support, "Ondersteuner A", "ondersteuner");
  type_clashing_next_actions (sync, coach, support, id, "Van de coach", "Van de ondersteuner");

  on_support = load_ok (support);
  conflict = only_conflict (on_support, FALSE, "Van de ondersteuner");
  g_assert_true (koers_sync_review_resolve (support->db, conflict->id, "mijn", NULL, &error));
  g_assert_no_error (error);
  koers_test_peer_sync_ok (support);

  on_coach = load_ok (coach);
  conflict = only_conflict (on_coach, TRUE, "Van de coach");
  g_assert_true (koers_sync_review_resolve (coach->db, conflict->id, "mijn", NULL, &error));
  g_assert_no_error (error);
  stats = koers_test_peer_sync_ok (coach);
  g_assert_cmpuint (stats.quarantined, ==, 1);

  after = load_ok (coach);
  g_assert_cmpuint (after->quarantined->len, ==, 1);
  refused = g_ptr_array_index (after->quarantined, 0);
  g_assert_cmpstr (refused->entity, ==, "conflicten");
  choice = json_object_get_object_member (refused->diff, "keuze");
  g_assert_cmpstr (json_object_get_string_member (choice, "wordt"), ==, "mijn");
  label = koers_sync_review_value_label ("conflicten", "keuze",
                                         json_object_get_member (choice, "wordt"), NULL);
  g_assert_cmpstr (label, ==, "Mine");
  /* What the wire said is unchanged in the database. */
  g_assert_cmpint (koers_test_peer_count (coach, "SELECT count(*) FROM sync_quarantine "
                                                 "WHERE diff ->> '$.keuze.wordt' = 'hun'"), ==, 1);
}

/* Poison: free text with a BSN-like number is refused by the server. A fix that is still bad
 * changes nothing; the good fix is queued as a new row, shows locally at once and is applied
 * by the next sync under a new mutation id. */
static void
test_resend_fixed (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *id = koers_test_peer_create_participant (sync, a, "Eva Smit");
  g_autoptr(KoersSyncReview) review = NULL;
  g_autoptr(KoersSyncReview) after = NULL;
  g_autoptr(JsonObject) bad = json_object_new ();
  g_autoptr(JsonObject) good = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *old_mutation = NULL, *new_mutation = NULL;
  g_autofree char *local = NULL, *on_server = NULL, *sql = NULL;
  KoersSyncQuarantined *item;
  KoersSyncRunStats stats;
  gint64 old_seq;

  koers_test_peer_sync_ok (a);
  /* Typed past the editor (an older version, an import): not registered as typed, since the
   * user replaces it below. */
  set_raw (a, id, "next_action", "Bel " BSN_LIKE " terug");
  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.quarantined, ==, 1);

  review = load_ok (a);
  g_assert_cmpuint (review->quarantined->len, ==, 1);
  g_assert_cmpuint (koers_sync_review_count_attention (review), ==, 1);
  item = g_ptr_array_index (review->quarantined, 0);
  g_assert_cmpstr (item->entity, ==, "deelnemers");
  g_assert_cmpstr (item->action, ==, "wijzigen");
  g_assert_cmpstr (item->participant_name, ==, "Eva Smit");
  g_assert_nonnull (item->reason);
  g_assert_cmpuint (strlen (item->reason), >, 0);
  /* The server's code and field: said with the field's label and the client's own check. */
  g_assert_cmpint (item->refusal, ==, KOERS_SYNC_REFUSAL_INVALID_VALUE);
  g_assert_cmpstr (item->field, ==, "volgendeActie");
  {
    g_autofree char *text = koers_sync_quarantined_reason_text (item);

    g_assert_true (g_str_has_prefix (text, "Next action: "));
    g_assert_nonnull (strstr (text, "citizen service number"));
    g_assert_null (strstr (text, BSN_LIKE));
  }
  g_assert_nonnull (item->mutation_id);
  g_assert_true (koers_sync_quarantined_can_resend (item));
  old_mutation = g_strdup (item->mutation_id);
  old_seq = koers_test_peer_count (a, "SELECT max(outbox_seq) FROM sync_quarantine");

  /* Still a BSN: refused, the row stays, nothing queued. */
  json_object_set_string_member (bad, "volgendeActie", "Bel " BSN_LIKE " morgen");
  g_assert_false (koers_sync_quarantine_resend (a->db, item->seq, bad, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Next action"));
  g_clear_error (&error);
  /* A field that was not part of the change is refused too. */
  json_object_set_string_member (bad, "telefoon", "0611111111");
  json_object_set_string_member (bad, "volgendeActie", "Bel terug");
  g_assert_false (koers_sync_quarantine_resend (a->db, item->seq, bad, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (koers_sync_schema_count_quarantined (a->db), ==, 1);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 0);

  json_object_set_string_member (good, "volgendeActie", "Bel terug over de taalcursus");
  g_assert_true (koers_sync_quarantine_resend (a->db, item->seq, good, &error));
  g_assert_no_error (error);
  koers_test_sync_typed (sync, "deelnemers", id, "volgendeActie", "Bel terug over de taalcursus");
  g_assert_cmpint (koers_sync_schema_count_quarantined (a->db), ==, 0);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_outbox WHERE "
                                             "mutation_id IS NULL AND action = 'wijzigen'"),
                   ==, 1);
  sql = g_strdup_printf ("SELECT count(*) FROM sync_outbox WHERE seq > %" G_GINT64_FORMAT,
                         old_seq);
  g_assert_cmpint (koers_test_peer_count (a, sql), ==, 1);
  local = koers_test_peer_get_text (a, "participant", id, "next_action");
  g_assert_cmpstr (local, ==, "Bel terug over de taalcursus");
  /* The refused row is gone: it cannot be sent a second time. */
  g_assert_false (koers_sync_quarantine_resend (a->db, item->seq, good, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (koers_sync_push_number (a->db, &error));
  g_assert_no_error (error);
  new_mutation = koers_test_peer_get_text_sql (a, "SELECT mutation_id FROM sync_outbox");
  g_assert_nonnull (new_mutation);
  g_assert_cmpstr (new_mutation, !=, old_mutation);

  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.quarantined, ==, 0);
  on_server = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", id,
                                       "volgendeActie");
  g_assert_cmpstr (on_server, ==, "Bel terug over de taalcursus");
  after = load_ok (a);
  g_assert_cmpuint (koers_sync_review_count_attention (after), ==, 0);
  koers_test_sync_check_invariants (sync);
}

/* Discard removes the refused change for good; the working row keeps the server's value. */
static void
test_discard (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *id = koers_test_peer_create_participant (sync, a, "Noor Visser");
  g_autoptr(KoersSyncReview) review = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *local = NULL;
  gint64 seq;

  koers_test_peer_sync_ok (a);
  set_raw (a, id, "phone", BSN_LIKE);
  koers_test_peer_sync_ok (a);
  review = load_ok (a);
  g_assert_cmpuint (review->quarantined->len, ==, 1);
  seq = ((KoersSyncQuarantined *) g_ptr_array_index (review->quarantined, 0))->seq;

  g_assert_true (koers_sync_quarantine_discard (a->db, seq, &error));
  g_assert_no_error (error);
  g_assert_cmpint (koers_sync_schema_count_quarantined (a->db), ==, 0);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 0);
  g_assert_false (koers_sync_quarantine_discard (a->db, seq, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND);
  local = koers_test_peer_get_text (a, "participant", id, "phone");
  g_assert_null (local);
  koers_test_sync_check_invariants (sync);
}

static void
exec_ok (KoersDatabase *db, const char *sql)
{
  g_autoptr(GError) error = NULL;

  koers_database_exec (db, sql, &error);
  g_assert_no_error (error);
}

/* Damaged conflict records (not JSON, not an object, wrong member types, nesting json-glib
 * cannot take) are left out; the good one is listed; no warning (fatal in tests). */
static void
test_bad_records_skipped (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_autoptr(KoersSyncReview) review = NULL;
  g_autoptr(KoersSyncReview) empty = NULL;
  GString *deep = g_string_new ("INSERT INTO sync_shadow (entity, id, version, record) VALUES "
                                "('conflicten', 'deep', 1, '{\"gegevens\": {\"entiteit\": "
                                "\"deelnemers\", \"recordId\": \"r\", \"veld\": \"naam\", "
                                "\"basis\": ");
  KoersSyncConflict *conflict;

  g_assert_no_error (error);
  /* Without the sync tables (never signed in) the review is simply empty. */
  empty = koers_sync_review_load (db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->conflicts->len + empty->quarantined->len, ==, 0);

  g_assert_true (koers_sync_schema_install (db, &error));
  for (guint i = 0; i < 500; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 500; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, "}}')");
  exec_ok (db, deep->str);
  g_string_free (deep, TRUE);
  exec_ok (db, "INSERT INTO sync_shadow (entity, id, version, record) VALUES "
               "('conflicten', 'array', 1, '[1, 2]'), "
               "('conflicten', 'number', 1, '{\"gegevens\": 5}'), "
               "('conflicten', 'types', 1, '{\"gegevens\": {\"entiteit\": \"deelnemers\", "
               "  \"recordId\": \"r\", \"veld\": 7}}'), "
               "('conflicten', 'flag', 1, '{\"gegevens\": {\"entiteit\": \"deelnemers\", "
               "  \"recordId\": \"r\", \"veld\": \"naam\", \"opgelost\": \"ja\"}}'), "
               "('conflicten', 'done', 1, '{\"gegevens\": {\"entiteit\": \"deelnemers\", "
               "  \"recordId\": \"r\", \"veld\": \"naam\", \"opgelost\": true}}'), "
               "('conflicten', 'good', 1, '{\"gegevens\": {\"entiteit\": \"deelnemers\", "
               "  \"recordId\": \"r\", \"veld\": \"telefoon\", \"basis\": null, "
               "  \"server\": \"0611\", \"client\": \"0622\", \"opgelost\": false}}')");
  /* Below the table's own check: text that is not JSON at all, in a record and in a diff. */
  exec_ok (db, "PRAGMA ignore_check_constraints = ON");
  exec_ok (db, "INSERT INTO sync_shadow (entity, id, version, record) VALUES "
               "('conflicten', 'broken', 1, '{\"gegevens\": {')");
  exec_ok (db, "INSERT INTO sync_quarantine (outbox_seq, entity, record_id, action, diff, "
               "reason, created_at, quarantined_at) VALUES (1, 'deelnemers', 'r', "
               "'wijzigen', '{\"naam\": ', 'kapot', 'x', 'x')");
  exec_ok (db, "PRAGMA ignore_check_constraints = OFF");

  review = koers_sync_review_load (db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (review->conflicts->len, ==, 1);
  conflict = g_ptr_array_index (review->conflicts, 0);
  g_assert_cmpstr (conflict->id, ==, "good");
  g_assert_cmpstr (json_node_get_string (conflict->mine), ==, "0622");
  g_assert_null (conflict->participant_name);
  /* The undecodable refused change is listed (its reason is readable) but cannot be resent. */
  g_assert_cmpuint (review->quarantined->len, ==, 1);
  g_assert_null (((KoersSyncQuarantined *) g_ptr_array_index (review->quarantined, 0))->diff);
  g_assert_false (koers_sync_quarantined_can_resend (g_ptr_array_index (review->quarantined,
                                                                        0)));
  g_assert_false (koers_sync_quarantine_resend (db, 1, NULL, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
}

/* What the user types is parsed and checked with the editor's own rules, in their words. */
static void
test_parse_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) year = NULL;
  g_autoptr(JsonNode) date = NULL;
  g_autoptr(JsonNode) empty = NULL;
  g_autoptr(JsonNode) trimmed = NULL;
  JsonNode *refused;

  year = koers_sync_review_parse_value ("deelnemers", "geboortejaar", "1990", &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_int (year), ==, 1990);
  refused = koers_sync_review_parse_value ("deelnemers", "geboortejaar", "1850", &error);
  g_assert_null (refused);
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Birth year"));
  g_clear_error (&error);
  refused = koers_sync_review_parse_value ("deelnemers", "telefoon", "bel me", &error);
  g_assert_null (refused);
  g_assert_nonnull (strstr (error->message, "Phone"));
  g_clear_error (&error);
  refused = koers_sync_review_parse_value ("deelnemers", "naam", "", &error);
  g_assert_null (refused);
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_clear_error (&error);
  refused = koers_sync_review_parse_value ("deelnemers", "gemeente", "Parijs", &error);
  g_assert_null (refused);
  g_clear_error (&error);
  refused = koers_sync_review_parse_value ("deelnemers", "coachId", "x", &error);
  g_assert_null (refused);
  g_clear_error (&error);
  date = koers_sync_review_parse_value ("deelnemers", "volgendeActieDatum", "3-12-2026",
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (date), ==, "2026-12-03");
  empty = koers_sync_review_parse_value ("deelnemers", "telefoon", "  ", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_NULL (empty));
  trimmed = koers_sync_review_parse_value ("deelnemers", "volgendeActie", " Bellen ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (trimmed), ==, "Bellen");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  koers_test_server_db_add ("/sync/review/open-conflicts-only", test_open_conflicts_only);
  koers_test_server_db_add ("/sync/review/mine-is-own-value", test_mine_is_own_value);
  koers_test_server_db_add ("/sync/review/refused-choice-as-seen", test_refused_choice_as_seen);
  koers_test_server_db_add ("/sync/review/mine-on-two-devices", test_mine_on_two_devices);
  koers_test_server_db_add ("/sync/review/resend-fixed", test_resend_fixed);
  koers_test_server_db_add ("/sync/review/discard", test_discard);
  g_test_add_func ("/sync/review/bad-records-skipped", test_bad_records_skipped);
  g_test_add_func ("/sync/review/parse-values", test_parse_values);
  return g_test_run ();
}

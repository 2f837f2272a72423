/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A refused write to an entity resource says why the way a refused mutation does: its
 * problem+json carries the engine's `redenCode` and `veld` (docs/api-protocol.md), so a client
 * tells eigenCaseload from alleenOndersteuner on a 403, or statusovergang from
 * trajectAfgesloten on a 400, without reading the Dutch sentence. Errors that are no refusal
 * (If-Match, the request's form, the role's policy) carry neither. Both back ends; every answer
 * also passes the spec checker, whose Probleem schema allows no member it does not list.
 */
#include "config.h"

#include "koers-test-server.h"

#include "koers-test-postgres.h"

#include <string.h>

#define IF_MATCH_STALE "\"999999\""

/* (transfer full) the reply to a write with If-Match "@version" (@version 0: @if_match as is,
 * NULL: none) and @body (nullable). */
static KoersTestReply *
send_write (KoersTestServer *f,
            const char      *method,
            const char      *path,
            KoersTestUserId  user,
            gint64           version,
            const char      *if_match,
            const char      *body)
{
  g_autofree char *header = NULL;
  g_autoptr (GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;
  const char *extra[] = { NULL, NULL };

  if (version > 0)
    header = g_strdup_printf ("If-Match: \"%" G_GINT64_FORMAT "\"", version);
  else if (if_match != NULL)
    header = g_strdup_printf ("If-Match: %s", if_match);
  extra[0] = header;
  return koers_test_server_send (f, method, path, koers_test_server_token (f, user), extra, NULL,
                                 bytes);
}

/* A participant's whole record for a PUT (a replace: what it leaves out becomes null). */
static char *
participant_body (const char *coach_id,
                  const char *status,
                  const char *outcome)
{
  g_autofree char *with_outcome = outcome != NULL
                                  ? g_strdup_printf (", \"uitkomst\": \"%s\", "
                                                     "\"uitkomstDatum\": \"2026-11-20\"", outcome)
                                  : g_strdup ("");

  return g_strdup_printf ("{\"naam\": \"Sanne Bosman\", \"gemeente\": \"winterswijk\", "
                          "\"doelgroep\": \"statusholder\", \"status\": \"%s\", "
                          "\"coachId\": \"%s\"%s}", status, coach_id, with_outcome);
}

/* The problem of a refused entity write: @status, @code and the field it is about (@field
 * NULL: null), the Dutch sentence still in detail; a 400 names the same field in
 * ongeldigeVelden. */
static void
assert_refusal (KoersTestReply *reply,
                guint           status,
                const char     *code,
                const char     *field)
{
  JsonObject *problem;

  g_assert_cmpuint (reply->status, ==, status);
  problem = koers_test_object_of (reply->json);
  g_assert_cmpstr (json_object_get_string_member_with_default (problem, "redenCode", NULL), ==,
                   code);
  g_assert_true (json_object_has_member (problem, "veld"));
  if (field == NULL)
    {
      g_assert_true (json_object_get_null_member (problem, "veld"));
      g_assert_false (json_object_has_member (problem, "ongeldigeVelden"));
      return;
    }
  g_assert_cmpstr (json_object_get_string_member (problem, "veld"), ==, field);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (problem, "detail"), field));
  if (status == 400)
    {
      JsonArray *fields = json_object_get_array_member (problem, "ongeldigeVelden");
      JsonObject *entry = json_array_get_object_element (fields, 0);

      g_assert_cmpuint (json_array_get_length (fields), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (entry, "naam"), ==, field);
      g_assert_cmpstr (json_object_get_string_member (entry, "reden"), !=, "");
    }
  else
    g_assert_false (json_object_has_member (problem, "ongeldigeVelden"));
}

/* An error that is no refusal: a problem with neither member. */
static void
assert_no_refusal (KoersTestReply *reply,
                   guint           status)
{
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_false (json_object_has_member (koers_test_object_of (reply->json), "redenCode"));
  g_assert_false (json_object_has_member (koers_test_object_of (reply->json), "veld"));
}

/* ---- 400: the content of the write ------------------------------------------------------ */

static void
test_invalid (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach_id = f->users[KOERS_TEST_A_COACH].user_id;
  g_autofree char *id = koers_test_server_add_participant (f, KOERS_TEST_A_COACH, coach_id,
                                                           "Sanne Bosman");
  g_autofree char *path = g_strdup_printf ("/v1/deelnemers/%s", id);
  g_autofree char *outcome_path = g_strdup_printf ("/v1/deelnemers/%s/uitkomst", id);
  g_autofree char *skip = participant_body (coach_id, "active", NULL);
  g_autofree char *bad_place = g_strdup_printf ("{\"naam\": \"Sanne Bosman\", "
                                                "\"gemeente\": \"parijs\", "
                                                "\"doelgroep\": \"statusholder\", "
                                                "\"coachId\": \"%s\"}", coach_id);
  static const char * const steps[] = { "intake", "active", "completed" };
  g_autoptr (KoersTestReply) reply = NULL;
  gint64 version = koers_test_server_version (f, KOERS_TEST_A_COACH, "deelnemers", id);

  reply = send_write (f, "POST", "/v1/deelnemers", KOERS_TEST_A_COACH, 0, NULL, bad_place);
  assert_refusal (reply, 400, "ongeldigeWaarde", "gemeente");
  g_clear_pointer (&reply, koers_test_reply_free);

  /* registered -> active skips intake: a step the workflow does not have. */
  reply = send_write (f, "PUT", path, KOERS_TEST_A_COACH, version, NULL, skip);
  assert_refusal (reply, 400, "statusovergang", "status");
  g_clear_pointer (&reply, koers_test_reply_free);

  /* Through the steps to completed; from there no status is a step any more. */
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *body = participant_body (coach_id, steps[i],
                                                i + 1 == G_N_ELEMENTS (steps) ? "work" : NULL);

      reply = send_write (f, "PUT", path, KOERS_TEST_A_COACH, version, NULL, body);
      g_assert_cmpuint (reply->status, ==, 200);
      version = json_object_get_int_member (koers_test_object_of (reply->json), "versie");
      g_clear_pointer (&reply, koers_test_reply_free);
    }
  {
    g_autofree char *back = participant_body (coach_id, "active", "work");

    reply = send_write (f, "PUT", path, KOERS_TEST_A_COACH, version, NULL, back);
    assert_refusal (reply, 400, "trajectAfgesloten", "status");
    g_clear_pointer (&reply, koers_test_reply_free);
  }

  /* The request's form is checked before the engine sees it: no code. */
  reply = send_write (f, "POST", "/v1/deelnemers", KOERS_TEST_A_COACH, 0, NULL, "{\"naam\": ");
  assert_no_refusal (reply, 400);
  g_clear_pointer (&reply, koers_test_reply_free);
  reply = send_write (f, "PUT", outcome_path, KOERS_TEST_A_COACH, version, NULL,
                      "{\"naam\": \"x\"}");
  assert_no_refusal (reply, 400);
  g_clear_pointer (&reply, koers_test_reply_free);
  reply = send_write (f, "PUT", path, KOERS_TEST_A_COACH, 0, "W/\"1\"", skip);
  assert_no_refusal (reply, 400);
}

/* ---- 403 and 404: who may write what ---------------------------------------------------- */

static void
test_forbidden_and_missing (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach_id = f->users[KOERS_TEST_A_COACH].user_id;
  const char *colleague_id = f->users[KOERS_TEST_A_COLLEAGUE].user_id;
  g_autofree char *own = koers_test_server_add_participant (f, KOERS_TEST_A_COACH, coach_id,
                                                            "Sanne Bosman");
  g_autofree char *theirs = koers_test_server_add_participant (f, KOERS_TEST_A_COLLEAGUE,
                                                               colleague_id, "Joost Hendriks");
  g_autofree char *own_path = g_strdup_printf ("/v1/deelnemers/%s", own);
  g_autofree char *their_path = g_strdup_printf ("/v1/deelnemers/%s", theirs);
  g_autofree char *in_theirs = participant_body (colleague_id, "registered", NULL);
  g_autofree char *note = g_strdup_printf ("{\"deelnemerId\": \"%s\", \"soort\": \"phone\", "
                                           "\"datum\": \"2026-11-20\", \"tekst\": \"Gebeld.\"}",
                                           theirs);
  g_autoptr (KoersTestReply) reply = NULL;
  gint64 version = koers_test_server_version (f, KOERS_TEST_A_COACH, "deelnemers", own);

  /* A coach creates only in the own caseload, and only an ondersteuner moves a participant
   * to another coach: two 403s a client can tell apart only by their code. */
  reply = send_write (f, "POST", "/v1/deelnemers", KOERS_TEST_A_COACH, 0, NULL, in_theirs);
  assert_refusal (reply, 403, "eigenCaseload", "coachId");
  g_clear_pointer (&reply, koers_test_reply_free);
  reply = send_write (f, "PUT", own_path, KOERS_TEST_A_COACH, version, NULL, in_theirs);
  assert_refusal (reply, 403, "alleenOndersteuner", "coachId");
  g_clear_pointer (&reply, koers_test_reply_free);
  /* The programme manager's 403 is the route's policy, before any write: no code. */
  reply = send_write (f, "POST", "/v1/deelnemers", KOERS_TEST_A_MANAGER, 0, NULL, in_theirs);
  assert_no_refusal (reply, 403);
  g_clear_pointer (&reply, koers_test_reply_free);

  /* A note for a participant out of scope names the field that points there; a write to a
   * record out of scope, or deleted, names none. Neither says the record exists. */
  reply = send_write (f, "POST", "/v1/notities", KOERS_TEST_A_COACH, 0, NULL, note);
  assert_refusal (reply, 404, "nietGevonden", "deelnemerId");
  g_clear_pointer (&reply, koers_test_reply_free);
  reply = send_write (f, "PUT", their_path, KOERS_TEST_A_COACH, 1, NULL, in_theirs);
  assert_refusal (reply, 404, "nietGevonden", NULL);
  g_clear_pointer (&reply, koers_test_reply_free);
  reply = send_write (f, "DELETE", own_path, KOERS_TEST_A_COACH, version, NULL, NULL);
  g_assert_cmpuint (reply->status, ==, 204);
  {
    g_autofree char *tombstone = g_strdup (soup_message_headers_get_one (reply->headers, "ETag"));

    g_clear_pointer (&reply, koers_test_reply_free);
    reply = send_write (f, "DELETE", own_path, KOERS_TEST_A_COACH, 0, tombstone, NULL);
    assert_refusal (reply, 404, "nietGevonden", NULL);
  }
}

/* ---- 412 and 428: the version, not the content ------------------------------------------ */

static void
test_preconditions (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach_id = f->users[KOERS_TEST_A_COACH].user_id;
  g_autofree char *id = koers_test_server_add_participant (f, KOERS_TEST_A_COACH, coach_id,
                                                           "Sanne Bosman");
  g_autofree char *path = g_strdup_printf ("/v1/deelnemers/%s", id);
  /* A body the engine would refuse (statusovergang) had the version matched. */
  g_autofree char *skip = participant_body (coach_id, "active", NULL);
  g_autoptr (KoersTestReply) reply = NULL;

  reply = send_write (f, "PUT", path, KOERS_TEST_A_COACH, 0, IF_MATCH_STALE, skip);
  assert_no_refusal (reply, 412);
  g_clear_pointer (&reply, koers_test_reply_free);
  reply = send_write (f, "PUT", path, KOERS_TEST_A_COACH, 0, NULL, skip);
  assert_no_refusal (reply, 428);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-http-refusals/invalid", test_invalid);
  koers_test_server_db_add ("/server-http-refusals/forbidden-and-missing",
                            test_forbidden_and_missing);
  koers_test_server_db_add ("/server-http-refusals/preconditions", test_preconditions);

  return g_test_run ();
}

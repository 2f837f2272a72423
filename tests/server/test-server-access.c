/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The access matrix, generated from one declarative policy table: for every endpoint and
 * method, what each caller gets for each kind of record. Callers: the coach, the
 * ondersteuner and the programme manager of organisation A, no token, and a coach of
 * organisation B. Records: the coach's own (A, the coach's caseload), a colleague's (A,
 * another coach's caseload), organisation B's (that coach's caseload) and a missing one.
 *
 * A cell is the expected HTTP status, or for a collection "200+" / "200-" (200, and the
 * record is / is not among the items), or for POST /v1/mutaties the mutation's result status
 * ("toegepast" / "afgewezen", with 200). Every request also passes the specification checker
 * in the fixture. The test fails on the first cell that differs and reports how many matched.
 */
#include "config.h"

#include "koers-test-server.h"

#include "koers-test-postgres.h"

#include <string.h>

typedef enum {
  CALLER_COACH,
  CALLER_ONDERSTEUNER,
  CALLER_MANAGER,
  CALLER_NONE,
  CALLER_OTHER_ORG,
  N_CALLERS
} Caller;

typedef enum {
  RECORD_OWN,
  RECORD_COLLEAGUE,
  RECORD_OTHER_ORG,
  RECORD_MISSING,
  N_RECORDS
} Record;

static const char * const caller_names[N_CALLERS] = {
  "coach", "ondersteuner", "programmamanager", "geen token", "coach andere organisatie"
};
static const char * const record_names[N_RECORDS] = {
  "eigen", "collega", "andere organisatie", "ontbrekend"
};

/* What the {id}, the body or the query of a row points at. */
typedef enum {
  TARGET_NONE,              /* no record involved: same expectation for every record */
  TARGET_PARTICIPANT,       /* /{id} is the participant */
  TARGET_CHILD,             /* /{id} is the row entity's child record of the participant */
  TARGET_CONFLICT,          /* /{id} is a conflict about the participant */
  TARGET_DEVICE,            /* /{id} is a device of the record's coach */
  TARGET_CREATE_PARTICIPANT,/* POST body coachId = the record's coach */
  TARGET_CREATE_CHILD,      /* POST body deelnemerId = the participant */
  TARGET_LIST,              /* GET collection: is the record among the items? */
  TARGET_CHILD_LIST,        /* GET ?deelnemerId=: is the child among the items? */
  TARGET_SEARCH,            /* POST _zoek on the participant's name */
  TARGET_FEED,              /* GET /v1/wijzigingen: is the participant in the feed? */
  TARGET_AUDIT_LIST,        /* GET ?recordId=: any audit rows about the participant? */
  TARGET_MUTATION,          /* POST /v1/mutaties: a "wijzigen" of the participant */
} Target;

typedef struct {
  const char *method;
  const char *path;          /* {id} replaced by the target's id */
  const char *entity;        /* the record kind for CHILD/CREATE_CHILD/CHILD_LIST */
  Target      target;
  gboolean    writes;        /* changes the record: every case gets fresh records */
  const char *expected[N_CALLERS][N_RECORDS];
} PolicyRow;

/* Grids used by many rows, spelled out once.
 * OWN_SCOPE(s): a coach reaches the own caseload, an ondersteuner the organisation, the
 * programme manager no personal data at all, no token nothing, organisation B only its own. */
#define OWN_SCOPE(s) { \
    { s, "404", "404", "404" }, \
    { s, s, "404", "404" }, \
    { "403", "403", "403", "403" }, \
    { "401", "401", "401", "401" }, \
    { "404", "404", s, "404" } }
#define LISTED { \
    { "200+", "200-", "200-", "200-" }, \
    { "200+", "200+", "200-", "200-" }, \
    { "403", "403", "403", "403" }, \
    { "401", "401", "401", "401" }, \
    { "200-", "200-", "200+", "200-" } }
#define ANYONE(s) { \
    { s, s, s, s }, { s, s, s, s }, { s, s, s, s }, \
    { "401", "401", "401", "401" }, { s, s, s, s } }

static const PolicyRow policy[] = {
  /* No login, no record. */
  { "GET", "/v1/openapi.json", NULL, TARGET_NONE, FALSE,
    { { "200", "200", "200", "200" }, { "200", "200", "200", "200" },
      { "200", "200", "200", "200" }, { "200", "200", "200", "200" },
      { "200", "200", "200", "200" } } },
  { "GET", "/v1/profiel", NULL, TARGET_NONE, FALSE, ANYONE ("200") },
  { "GET", "/v1/apparaten", NULL, TARGET_NONE, FALSE, ANYONE ("200") },
  { "GET", "/v1/medewerkers", NULL, TARGET_NONE, FALSE, ANYONE ("200") },
  { "GET", "/v1/kengetallen", NULL, TARGET_NONE, FALSE, ANYONE ("200") },
  { "POST", "/v1/audit-gebeurtenissen", NULL, TARGET_NONE, TRUE, ANYONE ("200") },

  /* The changes feed: the programme manager's feed carries no personal records. */
  { "GET", "/v1/wijzigingen", NULL, TARGET_FEED, FALSE,
    { { "200+", "200-", "200-", "200-" }, { "200+", "200+", "200-", "200-" },
      { "200-", "200-", "200-", "200-" }, { "401", "401", "401", "401" },
      { "200-", "200-", "200+", "200-" } } },
  /* A mutation out of scope is refused inside a 200 (and still counts as processed). */
  { "POST", "/v1/mutaties", NULL, TARGET_MUTATION, TRUE,
    { { "toegepast", "afgewezen", "afgewezen", "afgewezen" },
      { "toegepast", "toegepast", "afgewezen", "afgewezen" },
      { "403", "403", "403", "403" }, { "401", "401", "401", "401" },
      { "afgewezen", "afgewezen", "toegepast", "afgewezen" } } },
  { "GET", "/v1/conflicten", "conflicten", TARGET_LIST, FALSE, LISTED },
  { "GET", "/v1/conflicten/{id}", NULL, TARGET_CONFLICT, FALSE, OWN_SCOPE ("200") },

  /* Participants. A coach creates only in the own caseload (403 otherwise); an ondersteuner
   * for any coach of the organisation (a coach elsewhere is not one: 400). */
  { "GET", "/v1/deelnemers", "deelnemers", TARGET_LIST, FALSE, LISTED },
  { "POST", "/v1/deelnemers", NULL, TARGET_CREATE_PARTICIPANT, TRUE,
    { { "201", "403", "403", "403" }, { "201", "201", "400", "400" },
      { "403", "403", "403", "403" }, { "401", "401", "401", "401" },
      { "403", "403", "201", "403" } } },
  { "POST", "/v1/deelnemers/_zoek", NULL, TARGET_SEARCH, FALSE, LISTED },
  { "GET", "/v1/deelnemers/{id}", NULL, TARGET_PARTICIPANT, FALSE, OWN_SCOPE ("200") },
  { "PUT", "/v1/deelnemers/{id}", NULL, TARGET_PARTICIPANT, TRUE, OWN_SCOPE ("200") },
  { "DELETE", "/v1/deelnemers/{id}", NULL, TARGET_PARTICIPANT, TRUE, OWN_SCOPE ("204") },
  { "GET", "/v1/deelnemers/{id}/uitkomst", NULL, TARGET_PARTICIPANT, FALSE,
    OWN_SCOPE ("200") },
  { "PUT", "/v1/deelnemers/{id}/uitkomst", NULL, TARGET_PARTICIPANT, TRUE, OWN_SCOPE ("200") },

  /* Child records: creating under a participant one cannot see is 404. */
#define CHILD_READ_ROWS(name) \
  { "GET", "/v1/" name, name, TARGET_CHILD_LIST, FALSE, LISTED }, \
  { "POST", "/v1/" name, name, TARGET_CREATE_CHILD, TRUE, OWN_SCOPE ("201") }, \
  { "GET", "/v1/" name "/{id}", name, TARGET_CHILD, FALSE, OWN_SCOPE ("200") }
#define CHILD_WRITE_ROWS(name) \
  { "PUT", "/v1/" name "/{id}", name, TARGET_CHILD, TRUE, OWN_SCOPE ("200") }, \
  { "DELETE", "/v1/" name "/{id}", name, TARGET_CHILD, TRUE, OWN_SCOPE ("204") }
  CHILD_READ_ROWS ("notities"),
  CHILD_READ_ROWS ("activiteiten"),
  CHILD_WRITE_ROWS ("activiteiten"),
  CHILD_READ_ROWS ("vaardigheden"),
  CHILD_WRITE_ROWS ("vaardigheden"),
  CHILD_READ_ROWS ("toestemmingen"),
  CHILD_WRITE_ROWS ("toestemmingen"),
  CHILD_READ_ROWS ("statuswijzigingen"),

  /* The audit trail: ondersteuners only, their own organisation's rows only ("200+": the
   * row the record's organisation wrote about it is listed). */
  { "GET", "/v1/audit-gebeurtenissen", NULL, TARGET_AUDIT_LIST, FALSE,
    { { "403", "403", "403", "403" }, { "200+", "200+", "200-", "200-" },
      { "403", "403", "403", "403" }, { "401", "401", "401", "401" },
      { "403", "403", "403", "403" } } },

  /* Devices: one's own, or (ondersteuner) the organisation's; revoking is 204. */
  { "DELETE", "/v1/apparaten/{id}", NULL, TARGET_DEVICE, TRUE,
    { { "204", "404", "404", "404" }, { "204", "204", "404", "404" },
      { "404", "404", "404", "404" }, { "401", "401", "401", "401" },
      { "404", "404", "204", "404" } } },
};

static const char * const child_entities[] = {
  "notities", "activiteiten", "vaardigheden", "toestemmingen", "statuswijzigingen"
};

/* The records one case works on. */
typedef struct {
  char *coach_id;
  char *participant;
  char *name;
  char *children[G_N_ELEMENTS (child_entities)];
  char *conflict;
} RecordSet;

typedef struct {
  KoersTestServer   *f;
  KoersServerCaller *setup[2];          /* ondersteuner A / B on a device of their own */
  gint64             setup_next[2];     /* next device number of those devices */
  gint64             next_number[KOERS_TEST_N_USERS];
  RecordSet          shared[N_RECORDS];
  guint              n_names;
} Matrix;

static KoersTestUserId
user_of (Caller caller)
{
  switch (caller)
    {
    case CALLER_COACH: return KOERS_TEST_A_COACH;
    case CALLER_ONDERSTEUNER: return KOERS_TEST_A_ONDERSTEUNER;
    case CALLER_MANAGER: return KOERS_TEST_A_MANAGER;
    case CALLER_OTHER_ORG: return KOERS_TEST_B_COACH;
    case CALLER_NONE:
    case N_CALLERS:
    default: g_assert_not_reached ();
    }
}

static void
record_set_clear (RecordSet *set)
{
  g_clear_pointer (&set->coach_id, g_free);
  g_clear_pointer (&set->participant, g_free);
  g_clear_pointer (&set->name, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (set->children); i++)
    g_clear_pointer (&set->children[i], g_free);
  g_clear_pointer (&set->conflict, g_free);
}

static guint
child_index (const char *entity)
{
  for (guint i = 0; i < G_N_ELEMENTS (child_entities); i++)
    if (g_str_equal (child_entities[i], entity))
      return i;
  g_assert_not_reached ();
}

/* A conflict about the participant: the organisation's ondersteuner pushes a change whose
 * "was" is not the server's value. */
static char *
make_conflict (Matrix     *m,
               guint       org,
               const char *participant)
{
  g_autofree char *mutation_id = g_uuid_string_random ();
  g_autofree char *json = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonNode) result = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *first;
  JsonArray *conflicts;

  json = g_strdup_printf ("{\"mutaties\": [{\"mutatieId\": \"%s\", \"volgnummer\": %"
                          G_GINT64_FORMAT ", \"entiteit\": \"deelnemers\", \"recordId\": "
                          "\"%s\", \"actie\": \"wijzigen\", \"basisVersie\": 1, \"velden\": "
                          "{\"volgendeActie\": {\"was\": \"Bellen\", \"wordt\": "
                          "\"Mailen\"}}}]}", mutation_id, m->setup_next[org]++, participant);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  result = koers_server_engine_push_batch (koers_server_get_engine (m->f->server),
                                           m->setup[org], json_parser_get_root (parser), NULL,
                                           &error);
  g_assert_no_error (error);
  first = json_array_get_object_element (json_object_get_array_member (
                                           json_node_get_object (result), "resultaten"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "conflict");
  conflicts = json_object_get_array_member (first, "conflicten");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  return g_strdup (json_array_get_string_element (conflicts, 0));
}

/* Fresh records of one kind: with @children and @conflict as the row needs them. */
static void
record_set_make (Matrix    *m,
                 Record     record,
                 RecordSet *set,
                 gboolean   children,
                 gboolean   conflict)
{
  KoersTestServer *f = m->f;
  KoersTestUserId creator = record == RECORD_OTHER_ORG ? KOERS_TEST_B_ONDERSTEUNER
                                                       : KOERS_TEST_A_ONDERSTEUNER;
  guint org = record == RECORD_OTHER_ORG ? 1 : 0;

  set->name = g_strdup_printf ("Deelnemer Zoeknaam%03u", m->n_names++);
  if (record == RECORD_MISSING)
    {
      set->coach_id = g_uuid_string_random ();
      set->participant = g_uuid_string_random ();
      for (guint i = 0; i < G_N_ELEMENTS (set->children); i++)
        set->children[i] = g_uuid_string_random ();
      set->conflict = g_uuid_string_random ();
      return;
    }

  set->coach_id = g_strdup (f->users[record == RECORD_OWN ? KOERS_TEST_A_COACH
                                     : record == RECORD_COLLEAGUE ? KOERS_TEST_A_COLLEAGUE
                                     : KOERS_TEST_B_COACH].user_id);
  set->participant = koers_test_server_add_participant (f, creator, set->coach_id, set->name);
  if (children)
    for (guint i = 0; i < G_N_ELEMENTS (set->children); i++)
      set->children[i] = koers_test_server_add_child (f, creator, child_entities[i],
                                                      set->participant);
  if (conflict)
    set->conflict = make_conflict (m, org, set->participant);
  /* Someone read this participant: the audit trail has a row about it. */
  g_assert_true (koers_server_engine_audit (koers_server_get_engine (f->server),
                                            m->setup[org], "lezen", "deelnemers",
                                            set->participant, NULL, TRUE, NULL));
}

static gint64
current_version (Matrix     *m,
                 Record      record,
                 const char *entity,
                 const char *id)
{
  KoersTestUserId reader = record == RECORD_OTHER_ORG ? KOERS_TEST_B_ONDERSTEUNER
                                                      : KOERS_TEST_A_ONDERSTEUNER;
  gint64 version;

  if (record == RECORD_MISSING)
    return 1;
  version = koers_test_server_version (m->f, reader, entity, id);
  g_assert_cmpint (version, >, 0);
  return version;
}

static gboolean
items_hold (JsonNode   *node,
            const char *member,
            const char *id)
{
  JsonArray *items;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  items = json_object_get_array_member (json_node_get_object (node), member);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (item, "id", ""), id) == 0)
        return TRUE;
      if (g_strcmp0 (json_object_get_string_member_with_default (item, "recordId", ""), id) == 0)
        return TRUE;
    }
  return FALSE;
}

static char *
body_for (Matrix          *m,
          const PolicyRow *row,
          Record           record,
          RecordSet       *set,
          Caller           caller)
{
  if (row->target == TARGET_CREATE_PARTICIPANT
      || (row->target == TARGET_PARTICIPANT && g_str_equal (row->method, "PUT")
          && !g_str_has_suffix (row->path, "/uitkomst")))
    return g_strdup_printf ("{\"naam\": \"%s\", \"gemeente\": \"aalten\", \"doelgroep\": "
                            "\"nug\", \"status\": \"registered\", \"coachId\": \"%s\"}",
                            set->name, set->coach_id);
  if (row->target == TARGET_PARTICIPANT && g_str_equal (row->method, "PUT"))
    return g_strdup ("{\"uitkomst\": \"education\", \"uitkomstDatum\": \"2026-11-25\"}");
  if (row->target == TARGET_CREATE_CHILD || row->target == TARGET_CHILD)
    {
      const char *e = row->entity;

      if (g_str_equal (e, "notities"))
        return g_strdup_printf ("{\"deelnemerId\": \"%s\", \"soort\": \"email\", \"datum\": "
                                "\"2026-11-24\", \"tekst\": \"Mail gestuurd.\"}",
                                set->participant);
      if (g_str_equal (e, "activiteiten"))
        return g_strdup_printf ("{\"deelnemerId\": \"%s\", \"soort\": \"certificate\", "
                                "\"titel\": \"VCA\"}", set->participant);
      if (g_str_equal (e, "vaardigheden"))
        return g_strdup_printf ("{\"deelnemerId\": \"%s\", \"label\": \"Heftruck\"}",
                                set->participant);
      if (g_str_equal (e, "toestemmingen"))
        return g_strdup_printf ("{\"deelnemerId\": \"%s\", \"reikwijdte\": \"monitoring\", "
                                "\"gegevenDatum\": \"2026-11-24\"}", set->participant);
      if (g_str_equal (e, "statuswijzigingen"))
        return g_strdup_printf ("{\"deelnemerId\": \"%s\", \"vanStatus\": \"registered\", "
                                "\"naarStatus\": \"intake\", \"datum\": \"2026-11-24\"}",
                                set->participant);
      g_assert_not_reached ();
    }
  if (row->target == TARGET_SEARCH)
    return g_strdup_printf ("{\"zoekterm\": \"%s\"}", set->name);
  if (row->target == TARGET_MUTATION)
    {
      g_autofree char *mutation_id = g_uuid_string_random ();
      gint64 number = caller == CALLER_NONE ? 1 : m->next_number[user_of (caller)];
      gint64 base = record == RECORD_MISSING ? 1 : current_version (m, record, "deelnemers",
                                                                    set->participant);

      return g_strdup_printf ("{\"mutaties\": [{\"mutatieId\": \"%s\", \"volgnummer\": %"
                              G_GINT64_FORMAT ", \"entiteit\": \"deelnemers\", \"recordId\": "
                              "\"%s\", \"actie\": \"wijzigen\", \"basisVersie\": %"
                              G_GINT64_FORMAT ", \"velden\": {\"volgendeActie\": {\"was\": "
                              "null, \"wordt\": \"Terugbellen\"}}}]}",
                              mutation_id, number, set->participant, base);
    }
  if (g_str_equal (row->path, "/v1/audit-gebeurtenissen") && g_str_equal (row->method, "POST"))
    {
      g_autofree char *event = g_uuid_string_random ();

      return g_strdup_printf ("{\"gebeurtenissen\": [{\"id\": \"%s\", \"plaatsgevondenOp\": "
                              "\"2026-11-24T10:00:00Z\", \"actie\": \"lezen\", \"entiteit\": "
                              "\"deelnemers\", \"recordId\": \"%s\", \"resultaat\": "
                              "\"gelukt\"}]}", event, set->participant);
    }
  return NULL;
}

/* Runs one cell; returns what happened, in the table's vocabulary (transfer full). */
static char *
run_case (Matrix          *m,
          const PolicyRow *row,
          Caller           caller,
          Record           record)
{
  KoersTestServer *f = m->f;
  RecordSet fresh = { 0 };
  RecordSet *set = &m->shared[record];
  const char *token = caller == CALLER_NONE ? NULL : koers_test_server_token (f, user_of (caller));
  g_autofree char *target_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *if_match = NULL;
  g_autoptr (KoersTestReply) reply = NULL;
  g_autoptr (GBytes) bytes = NULL;
  const char *extra[2] = { NULL, NULL };
  const char *template_end;
  char *outcome = NULL;

  if (row->writes)
    {
      record_set_make (m, record, &fresh, row->target == TARGET_CHILD, FALSE);
      set = &fresh;
    }

  switch (row->target)
    {
    case TARGET_PARTICIPANT:
      target_id = g_strdup (set->participant);
      break;
    case TARGET_CHILD:
      target_id = g_strdup (set->children[child_index (row->entity)]);
      break;
    case TARGET_CONFLICT:
      target_id = g_strdup (set->conflict);
      break;
    case TARGET_DEVICE:
      if (record == RECORD_MISSING)
        target_id = g_uuid_string_random ();
      else
        {
          g_autofree char *access = NULL, *refresh = NULL;
          KoersTestUserId owner = record == RECORD_OWN ? KOERS_TEST_A_COACH
                                  : record == RECORD_COLLEAGUE ? KOERS_TEST_A_COLLEAGUE
                                  : KOERS_TEST_B_COACH;

          target_id = koers_server_auth_issue_tokens (koers_server_get_auth (f->server),
                                                      f->users[owner].user_id, "tweede laptop",
                                                      &access, &refresh, NULL);
          g_assert_nonnull (target_id);
        }
      break;
    default:
      break;
    }

  template_end = strstr (row->path, "{id}");
  if (template_end != NULL)
    path = g_strdup_printf ("%.*s%s%s", (int) (template_end - row->path), row->path, target_id,
                            template_end + 4);
  else if (row->target == TARGET_CHILD_LIST)
    path = g_strdup_printf ("%s?deelnemerId=%s&limiet=500", row->path, set->participant);
  else if (row->target == TARGET_AUDIT_LIST)
    path = g_strdup_printf ("%s?recordId=%s&limiet=500", row->path, set->participant);
  else if (row->target == TARGET_LIST || row->target == TARGET_FEED)
    path = g_strdup_printf ("%s?limiet=500", row->path);
  else
    path = g_strdup (row->path);

  if (g_str_equal (row->method, "PUT") || g_str_equal (row->method, "DELETE"))
    {
      if (row->target == TARGET_PARTICIPANT || row->target == TARGET_CHILD)
        {
          const char *entity = row->target == TARGET_CHILD ? row->entity : "deelnemers";

          if_match = g_strdup_printf ("If-Match: \"%" G_GINT64_FORMAT "\"",
                                      current_version (m, record, entity, target_id));
          extra[0] = if_match;
        }
    }

  body = body_for (m, row, record, set, caller);
  if (body != NULL)
    bytes = g_bytes_new (body, strlen (body));
  reply = koers_test_server_send (f, row->method, path, token, extra, NULL, bytes);

  if (reply->status == 200 && row->target == TARGET_MUTATION)
    {
      JsonObject *answer = json_node_get_object (reply->json);
      JsonObject *first = json_array_get_object_element (
                            json_object_get_array_member (answer, "resultaten"), 0);

      m->next_number[user_of (caller)] = json_object_get_int_member (answer,
                                                                     "laatsteVolgnummer") + 1;
      outcome = g_strdup (json_object_get_string_member (first, "status"));
    }
  else if (reply->status == 200
           && (row->target == TARGET_LIST || row->target == TARGET_CHILD_LIST
               || row->target == TARGET_SEARCH || row->target == TARGET_FEED
               || row->target == TARGET_AUDIT_LIST))
    {
      gboolean seen = FALSE;
      const char *member = row->target == TARGET_FEED ? "wijzigingen" : "items";
      const char *wanted = row->target == TARGET_CHILD_LIST
                           ? set->children[child_index (row->entity)]
                           : row->entity != NULL && g_str_equal (row->entity, "conflicten")
                           ? set->conflict : set->participant;

      if (row->target == TARGET_AUDIT_LIST)
        {
          /* The trail holds the caller's own attempts on any id (a refused read is audited
           * too); what must not show is the row written in the record's organisation, on
           * that organisation's set-up device. */
          JsonArray *items = json_object_get_array_member (json_node_get_object (reply->json),
                                                           "items");
          const char *device = m->setup[record == RECORD_OTHER_ORG ? 1 : 0]->device_id;

          for (guint i = 0; i < json_array_get_length (items); i++)
            {
              JsonObject *item = json_array_get_object_element (items, i);

              seen |= g_strcmp0 (json_object_get_string_member_with_default (item, "apparaatId",
                                                                             ""), device) == 0;
            }
        }
      else
        seen = items_hold (reply->json, member, wanted);
      outcome = g_strdup (seen ? "200+" : "200-");
    }
  else
    outcome = g_strdup_printf ("%u", reply->status);

  record_set_clear (&fresh);
  return outcome;
}

static void
test_access_matrix (KoersServerDbBackend backend)
{
  Matrix m = { 0 };
  KoersServerAuth *auth;
  guint n_cases = 0, n_matched = 0;
  g_autoptr (GString) mismatches = g_string_new (NULL);

  m.f = koers_test_server_new (backend);
  auth = koers_server_get_auth (m.f->server);
  for (guint org = 0; org < 2; org++)
    {
      KoersTestUserId supporter = org == 0 ? KOERS_TEST_A_ONDERSTEUNER
                                           : KOERS_TEST_B_ONDERSTEUNER;
      g_autofree char *access = NULL, *refresh = NULL, *bearer = NULL, *device = NULL;
      g_autoptr (GError) error = NULL;

      device = koers_server_auth_issue_tokens (auth, m.f->users[supporter].user_id, "opzet",
                                               &access, &refresh, &error);
      g_assert_no_error (error);
      bearer = g_strconcat ("Bearer ", access, NULL);
      m.setup[org] = koers_server_auth_check_bearer (auth, bearer, &error);
      g_assert_no_error (error);
      m.setup_next[org] = 1;
    }
  for (guint i = 0; i < KOERS_TEST_N_USERS; i++)
    m.next_number[i] = 1;
  for (guint r = 0; r < N_RECORDS; r++)
    record_set_make (&m, r, &m.shared[r], TRUE, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (policy); i++)
    {
      const PolicyRow *row = &policy[i];

      for (guint c = 0; c < N_CALLERS; c++)
        for (guint r = 0; r < N_RECORDS; r++)
          {
            g_autofree char *got = NULL;

            /* A row without a record is one case per caller. */
            if (row->target == TARGET_NONE && r > 0)
              continue;
            got = run_case (&m, row, c, r);
            n_cases++;
            if (g_strcmp0 (got, row->expected[c][r]) == 0)
              n_matched++;
            else
              g_string_append_printf (mismatches, "  %s %s | %s | %s record: expected %s, got %s\n",
                                      row->method, row->path, caller_names[c],
                                      record_names[r], row->expected[c][r], got);
          }
    }

  g_test_message ("access matrix (%s): %u of %u cases as the policy says",
                  koers_test_server_db_backend_name (backend), n_matched, n_cases);
  if (n_matched != n_cases)
    g_error ("access matrix (%s): %u of %u cases differ from the policy:\n%s",
             koers_test_server_db_backend_name (backend), n_cases - n_matched, n_cases,
             mismatches->str);

  for (guint r = 0; r < N_RECORDS; r++)
    record_set_clear (&m.shared[r]);
  for (guint org = 0; org < 2; org++)
    koers_server_caller_free (m.setup[org]);
  koers_test_server_free (m.f);
}

/* Every operation of the specification has a row: an endpoint added to the spec without a
 * policy fails here. */
static void
test_policy_covers_spec (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("KOERS_TEST_SOURCE_ROOT"), "data", "api",
                                            "openapi.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersSpecCheck) check = koers_spec_check_new_from_file (path, &error);
  g_autoptr (GPtrArray) operations = NULL;

  g_assert_no_error (error);
  operations = koers_spec_check_list_operations (check);
  g_assert_cmpuint (operations->len, >, 0);
  for (guint i = 0; i < operations->len; i++)
    {
      const char *operation = g_ptr_array_index (operations, i);
      gboolean found = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (policy) && !found; j++)
        {
          g_autofree char *name = g_strdup_printf ("%s %s", policy[j].method, policy[j].path);

          found = g_str_equal (name, operation);
        }
      if (!found)
        g_error ("the policy table has no row for %s", operation);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-access/policy-covers-spec", test_policy_covers_spec);
  koers_test_server_db_add ("/server-access/matrix", test_access_matrix);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The local side of sync without a server: the capture triggers generated from the entity
 * declaration, applying pull pages (JSON fixtures) to shadow and working rows, and the checks
 * on untrusted answers (size, depth, field values) that refuse a page whole.
 */
#include "config.h"

#include "koers-test-helpers.h"

#include "core/koers-participant.h"
#include "storage/koers-participant-repository.h"
#include "sync/koers-sync-apply.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-private.h"
#include "sync/koers-sync-schema.h"

#include <string.h>

#define COACH "0b9a4c1e-1f7a-4c7e-9d0e-3b7d2a1c5e01"

typedef struct {
  char          *path;
  KoersDatabase *db;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  (void) data;
  f->path = koers_test_make_temp_db_path ();
  f->db = koers_database_open (f->path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (koers_sync_schema_install (f->db, &error));
  /* Idempotent: a second install keeps tables and rows and regenerates the triggers. */
  g_assert_true (koers_sync_schema_install (f->db, &error));
  g_assert_no_error (error);
  koers_database_exec (f->db, "INSERT INTO coach (id, created_at, created_by, updated_at, "
                              "updated_by, name) VALUES ('" COACH "', 'x', 'x', 'x', 'x', "
                              "'Coach')", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  (void) data;
  g_clear_object (&f->db);
  g_free (f->path);
}

static gint64
count (Fixture *f, const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = koers_database_prepare (f->db, sql, &error);
  gboolean has_row = FALSE;

  g_assert_no_error (error);
  koers_database_step (f->db, stmt, &has_row, &error);
  g_assert_no_error (error);
  g_assert_true (has_row);
  return koers_column_int64 (stmt, 0);
}

static char *
text (Fixture *f, const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = koers_database_prepare (f->db, sql, &error);
  gboolean has_row = FALSE;

  g_assert_no_error (error);
  koers_database_step (f->db, stmt, &has_row, &error);
  g_assert_no_error (error);
  return has_row ? g_strdup (koers_column_text (stmt, 0)) : NULL;
}

static void
exec (Fixture *f, const char *sql)
{
  g_autoptr(GError) error = NULL;

  koers_database_exec (f->db, sql, &error);
  g_assert_no_error (error);
}

static char *
insert_participant (Fixture *f, const char *name)
{
  g_autoptr(KoersParticipant) p = koers_participant_new ();
  g_autoptr(GError) error = NULL;

  koers_participant_set_name (p, name);
  koers_participant_set_municipality (p, KOERS_MUNICIPALITY_AALTEN);
  koers_participant_set_target_group (p, KOERS_TARGET_GROUP_STATUSHOLDER);
  koers_participant_set_coach_id (p, COACH);
  koers_participant_repository_insert (f->db, p, COACH, &error);
  g_assert_no_error (error);
  return g_strdup (koers_participant_get_id (p));
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  JsonNode *node = koers_sync_json_parse_response (bytes, &error);

  g_assert_no_error (error);
  return node;
}

static char *
record (const char *entity, const char *id, gint64 version, const char *fields)
{
  return g_strdup_printf ("{\"id\": \"%s\", \"entiteit\": \"%s\", \"versie\": %" G_GINT64_FORMAT
                          ", \"verwijderd\": false, \"gewist\": false, "
                          "\"aangemaaktOp\": \"2026-11-20T09:00:00Z\", \"aangemaaktDoor\": \""
                          COACH "\", \"gewijzigdOp\": \"2026-11-21T09:00:00Z\", "
                          "\"gewijzigdDoor\": \"" COACH "\", \"gegevens\": {%s}}",
                          id, entity, version, fields);
}

static char *
page (const char *items, gint64 cursor, gboolean more)
{
  return g_strdup_printf ("{\"wijzigingen\": [%s], \"volgendeCursor\": \"e1.%" G_GINT64_FORMAT
                          "\", \"meerBeschikbaar\": %s, \"tijdperk\": \"e1\", "
                          "\"serverTijd\": \"2026-11-28T09:00:00Z\"}", items, cursor,
                          more ? "true" : "false");
}

static gboolean
apply (Fixture *f, const char *json, GError **error)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(KoersJsonDoc) doc = koers_sync_json_parse_page (body, &parse_error);

  g_assert_no_error (parse_error);
  return koers_sync_apply_page (f->db, doc, NULL, error);
}

static char *
participant_fields (const char *name, const char *extra)
{
  return g_strdup_printf ("\"naam\": \"%s\", \"gemeente\": \"aalten\", \"doelgroep\": "
                          "\"statusholder\", \"status\": \"intake\", \"coachId\": \"" COACH "\""
                          "%s", name, extra != NULL ? extra : "");
}

/* Nothing is queued before the database is signed in to a server. */
static void
test_capture_off_by_default (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;

  (void) data;
  id = insert_participant (f, "Zonder Server");
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_outbox"), ==, 0);
}

/* Signing in with data already there: one explicit step queues what the server never saw,
 * once. */
static void
test_enqueue_existing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  guint n = 0;

  (void) data;
  id = insert_participant (f, "Van Voor De Server");
  g_assert_true (koers_sync_schema_set_capture (f->db, TRUE, &error));
  g_assert_true (koers_sync_schema_enqueue_all (f->db, &n, &error));
  g_assert_no_error (error);
  /* The participant and its first status history row, parent first. */
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_outbox WHERE action = 'aanmaken' "
                             "AND entity = 'deelnemers' AND seq = (SELECT min(seq) "
                             "FROM sync_outbox)"), ==, 1);
  g_assert_true (koers_sync_schema_enqueue_all (f->db, &n, &error));
  g_assert_cmpuint (n, ==, 0);
}

/* Every write path is captured in the edit's own transaction: a create with every field, an
 * update with only what changed, JSON-typed as the declaration says, delete and restore. */
static void
test_capture_triggers (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *diff = NULL;
  g_autofree char *sql = NULL;

  (void) data;
  g_assert_true (koers_sync_schema_set_capture (f->db, TRUE, &error));
  id = insert_participant (f, "Amira Saleh");
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_outbox WHERE action = 'aanmaken' "
                             "AND entity = 'deelnemers'"), ==, 1);
  /* The repository writes the first status history row too: it is captured as well. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_outbox WHERE action = 'aanmaken' "
                             "AND entity = 'statuswijzigingen'"), ==, 1);
  diff = text (f, "SELECT diff FROM sync_outbox WHERE entity = 'deelnemers'");
  g_assert_nonnull (strstr (diff, "\"naam\":{\"was\":null,\"wordt\":\"Amira Saleh\"}"));
  g_assert_nonnull (strstr (diff, "\"inburgeringsplicht\":{\"was\":null,\"wordt\":false}"));
  g_assert_nonnull (strstr (diff, "\"geboortejaar\":{\"was\":null,\"wordt\":0}"));
  g_assert_null (strstr (diff, "telefoon"));      /* no value: not sent */
  g_clear_pointer (&diff, g_free);

  sql = g_strdup_printf ("UPDATE participant SET phone = '0612345678', "
                         "digital_skills_need = 1, updated_at = 'y' WHERE id = '%s'", id);
  exec (f, sql);
  diff = text (f, "SELECT diff FROM sync_outbox WHERE action = 'wijzigen'");
  g_assert_cmpstr (diff, ==, "{\"telefoon\":{\"was\":null,\"wordt\":\"0612345678\"},"
                             "\"digitaleVaardighedenNodig\":{\"was\":false,\"wordt\":true}}");
  g_clear_pointer (&sql, g_free);
  /* A write that changes no declared field queues nothing. */
  sql = g_strdup_printf ("UPDATE participant SET updated_at = 'z' WHERE id = '%s'", id);
  exec (f, sql);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_outbox WHERE action = 'wijzigen'"), ==,
                   1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE participant SET deleted = 1 WHERE id = '%s'", id);
  exec (f, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE participant SET deleted = 0 WHERE id = '%s'", id);
  exec (f, sql);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_outbox WHERE action = 'verwijderen'"),
                   ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_outbox WHERE action = 'herstellen' "
                             "AND seq > (SELECT seq FROM sync_outbox "
                             "WHERE action = 'verwijderen')"), ==, 1);
  /* A failed edit leaves no outbox row: the trigger is part of the same statement. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE participant SET birth_year = 1500 WHERE id = '%s'", id);
  g_assert_false (koers_database_exec (f->db, sql, &error));
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_outbox"), ==, 5);
}

/* A pulled record becomes a working row without touching the outbox; its unknown fields are
 * kept; a local edit afterwards is based on what the server said ("no value" for a field the
 * server left empty, not the local placeholder 'unknown'). */
static void
test_apply_and_base (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *fields = participant_fields ("Yusuf Demir", ", \"toekomstVeld\": 7");
  g_autofree char *item = record ("deelnemers", id, 12, fields);
  g_autofree char *json = page (item, 12, FALSE);
  g_autofree char *extra = NULL, *level = NULL, *diff = NULL, *sql = NULL, *shadow = NULL;

  (void) data;
  g_assert_true (koers_sync_schema_set_capture (f->db, TRUE, &error));
  g_assert_true (apply (f, json, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_outbox"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM participant WHERE name = 'Yusuf Demir' "
                             "AND version = 12 AND status = 'intake'"), ==, 1);
  level = text (f, "SELECT dutch_level FROM participant");
  g_assert_cmpstr (level, ==, "unknown");
  extra = text (f, "SELECT extra FROM participant");
  g_assert_cmpstr (extra, ==, "{\"toekomstVeld\":7}");
  shadow = text (f, "SELECT record ->> '$.gegevens.toekomstVeld' FROM sync_shadow");
  g_assert_cmpstr (shadow, ==, "7");
  g_assert_cmpint (count (f, "SELECT value = '1' FROM sync_state "
                             "WHERE key = 'initial_sync_complete'"), ==, 1);

  sql = g_strdup_printf ("UPDATE participant SET dutch_level = 'b1' WHERE id = '%s'", id);
  exec (f, sql);
  diff = text (f, "SELECT diff FROM sync_outbox");
  g_assert_cmpstr (diff, ==, "{\"niveauNederlands\":{\"was\":null,\"wordt\":\"b1\"}}");
}

/* Working row = shadow + pending changes: a pull that brings someone else's change keeps this
 * device's unsent edit on top. */
static void
test_rebuild_keeps_pending (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *fields1 = participant_fields ("Sara Kaya", NULL);
  g_autofree char *fields2 = participant_fields ("Sara Kaya", ", \"email\": \"sara@example.nl\"");
  g_autofree char *item1 = record ("deelnemers", id, 3, fields1);
  g_autofree char *item2 = record ("deelnemers", id, 9, fields2);
  g_autofree char *page1 = page (item1, 3, FALSE);
  g_autofree char *page2 = page (item2, 9, FALSE);
  g_autofree char *sql = NULL, *phone = NULL, *email = NULL;

  (void) data;
  g_assert_true (koers_sync_schema_set_capture (f->db, TRUE, &error));
  g_assert_true (apply (f, page1, &error));
  sql = g_strdup_printf ("UPDATE participant SET phone = '0600000001' WHERE id = '%s'", id);
  exec (f, sql);
  g_assert_true (apply (f, page2, &error));
  g_assert_no_error (error);
  phone = text (f, "SELECT phone FROM participant");
  email = text (f, "SELECT email FROM participant");
  g_assert_cmpstr (phone, ==, "0600000001");
  g_assert_cmpstr (email, ==, "sara@example.nl");
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_outbox"), ==, 1);
}

/* A page with one record this client cannot store is refused whole with a message naming the
 * record and field; nothing of it is applied, not even the good records or the cursor. */
static void
test_bad_record_refuses_page (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good_id = g_uuid_string_random ();
  g_autofree char *bad_id = g_uuid_string_random ();
  g_autofree char *good_fields = participant_fields ("Goed Record", NULL);
  g_autofree char *bad_fields = participant_fields ("Slecht Record",
                                                    ", \"geboortejaar\": 1800");
  g_autofree char *good = record ("deelnemers", good_id, 1, good_fields);
  g_autofree char *bad = record ("deelnemers", bad_id, 2, bad_fields);
  g_autofree char *items = g_strconcat (good, ", ", bad, NULL);
  g_autofree char *json = page (items, 2, FALSE);
  g_autofree char *wrong_type = NULL;

  (void) data;
  g_assert_false (apply (f, json, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, bad_id));
  g_assert_nonnull (strstr (error->message, "geboortejaar"));
  g_assert_cmpint (count (f, "SELECT count(*) FROM participant"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_shadow"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_state WHERE key = 'cursor'"), ==, 0);
  g_clear_error (&error);

  /* Wrong JSON types are refused, never read as 0 or NULL. */
  wrong_type = g_strdup_printf ("{\"wijzigingen\": [{\"id\": \"%s\", \"entiteit\": "
                                "\"deelnemers\", \"versie\": \"7\", \"gegevens\": {}}], "
                                "\"volgendeCursor\": \"e1.7\", \"meerBeschikbaar\": false, "
                                "\"tijdperk\": \"e1\"}", good_id);
  g_assert_false (apply (f, wrong_type, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "versie"));
}

/* The compacted feed may deliver a child before its participant (the participant changed
 * later): the child waits in the shadow and appears with its participant. */
static void
test_child_before_parent (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *participant = g_uuid_string_random ();
  g_autofree char *note = g_uuid_string_random ();
  g_autofree char *note_fields = g_strdup_printf ("\"deelnemerId\": \"%s\", \"soort\": "
                                                  "\"conversation\", \"datum\": \"2026-11-02\", "
                                                  "\"tekst\": \"Eerste gesprek.\"", participant);
  g_autofree char *fields = participant_fields ("Ahmed Benali", NULL);
  g_autofree char *note_item = record ("notities", note, 4, note_fields);
  g_autofree char *participant_item = record ("deelnemers", participant, 30, fields);
  g_autofree char *page1 = page (note_item, 4, TRUE);
  g_autofree char *page2 = page (participant_item, 30, FALSE);

  (void) data;
  g_assert_true (apply (f, page1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM note"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_shadow WHERE entity = 'notities'"), ==,
                   1);
  /* Not complete until the pull from 0 reaches the end. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_state WHERE "
                             "key = 'initial_sync_complete' AND value = '1'"), ==, 0);
  g_assert_true (apply (f, page2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM note"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_state WHERE "
                             "key = 'initial_sync_complete' AND value = '1'"), ==, 1);
  /* Notes stay append-only for the app: only a pull (guard set) may remove one. */
  g_assert_false (koers_database_exec (f->db, "DELETE FROM note", &error));
  g_clear_error (&error);
}

/* Answers that are too deep or too large never reach json-glib. */
static void
test_untrusted_limits (void)
{
  g_autoptr(GError) error = NULL;
  GString *deep = g_string_new ("{\"a\": ");
  g_autoptr(GBytes) deep_bytes = NULL;
  g_autoptr(GBytes) huge = NULL;
  g_autoptr(GBytes) not_object = g_bytes_new_static ("[1, 2]", 6);
  g_autoptr(GBytes) lax = g_bytes_new_static ("{\"versie\": 9223372036854775808}", 31);
  char *big;

  for (guint i = 0; i < 5000; i++)
    g_string_append_c (deep, '[');
  deep_bytes = g_string_free_to_bytes (deep);
  g_assert_null (koers_sync_json_parse_response (deep_bytes, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE);
  g_clear_error (&error);

  big = g_malloc (KOERS_SYNC_RESPONSE_LIMIT + 2);
  memset (big, ' ', KOERS_SYNC_RESPONSE_LIMIT + 2);
  big[0] = '{';
  big[KOERS_SYNC_RESPONSE_LIMIT + 1] = '}';
  huge = g_bytes_new_take (big, KOERS_SYNC_RESPONSE_LIMIT + 2);
  g_assert_null (koers_sync_json_parse_response (huge, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE);
  g_clear_error (&error);
  g_assert_null (koers_sync_json_parse_response (not_object, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE);
  g_clear_error (&error);
  /* Strict JSON only (json-glib took comments, leading zeros and wrapped big integers). */
  g_assert_null (koers_sync_json_parse_response (lax, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE);
  g_assert_cmpstr (error->message, ==, "The server's answer is not valid JSON: line 1, column 12: "
                                       "the integer 9223372036854775808 does not fit in 64 bits");
}

/* What koers_sync_json_append_string_len() must write, a byte at a time: up to a NUL. */
static char *
escape_slowly (const char *text, gsize length)
{
  GString *out = g_string_new ("\"");

  for (gsize i = 0; i < length && text[i] != '\0'; i++)
    {
      guchar c = (guchar) text[i];

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* The writer tests eight bytes at a time: every byte that needs escaping, at every place in
 * and around a word, in texts of every length up to three words, among plain ASCII and
 * UTF-8 (whose bytes are all >= 0x80, next to the control characters' < 0x20). */
static void
test_json_escape_every_place (void)
{
  static const char special[] = { '"', '\\', '\n', '\r', '\t', '\0', 0x01, 0x1f, 0x7f, '/',
                                  ' ', '!', '#', '[', ']' };
  static const char *const fillers[] = { "abcdefghijklmnopqrstuvwxyz", "\xd8\xa7\xd8\xad"
                                         "\xd9\x85\xd8\xaf\xf0\x9f\x98\x80\xc3\xab" };

  for (guint f = 0; f < G_N_ELEMENTS (fillers); f++)
    for (gsize length = 0; length <= 24; length++)
      for (gsize at = 0; at < MAX (length, 1); at++)
        for (guint k = 0; k < G_N_ELEMENTS (special); k++)
          {
            char text[32];
            g_autoptr(GString) out = g_string_new ("x");
            g_autofree char *expected = NULL;

            for (gsize i = 0; i < length; i++)
              text[i] = fillers[f][i % strlen (fillers[f])];
            if (length > 0)
              text[at] = special[k];
            text[length] = '\0';
            expected = escape_slowly (text, length);
            koers_sync_json_append_string_len (out, text, length);
            g_assert_cmpstr (out->str + 1, ==, expected);
            g_assert_cmpuint (out->len, ==, 1 + strlen (expected));
          }
  {
    g_autoptr(GString) out = g_string_new (NULL);

    koers_sync_json_append_string (out, NULL);
    koers_sync_json_append_string (out, "a\"b");
    g_assert_cmpstr (out->str, ==, "null\"a\\\"b\"");
  }
}

/* The shadow's text of a record reads back as the same record: text with quotes, backslashes,
 * control characters, Arabic and an emoji; numbers (an integral double stays a double),
 * truth values, null, nesting; the members in the order the server sent them. */
static void
test_json_text_round_trip (void)
{
  static const char source[] =
    "{\"naam\":\"Sara \\\"Saar\\\" \\\\ \u0645\u0631\u064a\u0645 \\ud83d\\ude00\","
    "\"notitie\":\"regel 1\\nregel 2\\tmet tab\\r\\u0001\\u001f einde\","
    "\"versie\":-9007199254740993,\"verwijderd\":false,\"gewist\":true,\"leeg\":null,"
    "\"bedrag\":2.5,\"rond\":3.0,\"klein\":-1e-7,\"lijst\":[1,\"twee\",[],{}],"
    "\"a\":{\"z\":1,\"b\":2}}";
  static const char expected[] =
    "{\"naam\":\"Sara \\\"Saar\\\" \\\\ \u0645\u0631\u064a\u0645 \U0001F600\","
    "\"notitie\":\"regel 1\\nregel 2\\tmet tab\\r\\u0001\\u001f einde\","
    "\"versie\":-9007199254740993,\"verwijderd\":false,\"gewist\":true,\"leeg\":null,"
    "\"bedrag\":2.5,\"rond\":3.0,\"klein\":-9.9999999999999995e-08,"
    "\"lijst\":[1,\"twee\",[],{}],\"a\":{\"z\":1,\"b\":2}}";
  g_autoptr(JsonNode) node = parse (source);
  g_autofree char *text = koers_sync_json_to_string (node);
  g_autoptr(JsonNode) again = parse (text);

  g_assert_cmpstr (text, ==, expected);
  g_assert_true (json_node_equal (node, again));
}

/* The shadow holds the text koers_sync_json_to_string() writes for an item, whether the item
 * came written that way (its own text is kept: koers_sync_json_parse_page) or not (white
 * space, an escaped "é": written again). */
static void
test_shadow_text_as_sent (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id1 = g_uuid_string_random ();
  g_autofree char *id2 = g_uuid_string_random ();
  g_autofree char *fields1 = participant_fields ("Anna Kok", ", \"toekomstVeld\": [1, true]");
  g_autofree char *fields2 = participant_fields ("Ren\\u00e9 Smit", NULL);
  g_autofree char *spaced1 = record ("deelnemers", id1, 4, fields1);
  g_autofree char *spaced2 = record ("deelnemers", id2, 5, fields2);
  g_autoptr(JsonNode) item1 = parse (spaced1);
  g_autoptr(JsonNode) item2 = parse (spaced2);
  g_autofree char *compact1 = koers_sync_json_to_string (item1);
  g_autofree char *written2 = koers_sync_json_to_string (item2);
  g_autofree char *items = g_strconcat (compact1, ",", spaced2, NULL);
  g_autofree char *json = page (items, 5, FALSE);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(KoersJsonDoc) doc = koers_sync_json_parse_page (body, &error);
  KoersJsonRef list = KOERS_JSON_NONE;
  gsize length = 0;
  g_autofree char *sql1 = g_strdup_printf ("SELECT record FROM sync_shadow WHERE id = '%s'", id1);
  g_autofree char *sql2 = g_strdup_printf ("SELECT record FROM sync_shadow WHERE id = '%s'", id2);
  g_autofree char *shadow1 = NULL, *shadow2 = NULL;

  (void) data;
  g_assert_no_error (error);
  g_assert_nonnull (strstr (compact1, "\"toekomstVeld\":[1,true]"));
  g_assert_nonnull (strstr (written2, "Ren\xc3\xa9 Smit"));
  /* Only the compact item keeps its text. */
  list = koers_json_doc_member (doc, 0, "wijzigingen");
  g_assert_nonnull (koers_json_doc_compact_text (doc, koers_json_doc_first (doc, list),
                                                 &length));
  g_assert_null (koers_json_doc_compact_text (doc, koers_json_doc_next (
                   doc, koers_json_doc_first (doc, list)), &length));
  g_assert_true (koers_sync_apply_page (f->db, doc, NULL, &error));
  g_assert_no_error (error);
  shadow1 = text (f, sql1);
  shadow2 = text (f, sql2);
  g_assert_cmpstr (shadow1, ==, compact1);
  g_assert_cmpstr (shadow2, ==, written2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM participant"), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync/schema/capture-off-by-default", test_capture_off_by_default);
  ADD ("/sync/schema/capture-triggers", test_capture_triggers);
  ADD ("/sync/schema/enqueue-existing", test_enqueue_existing);
  ADD ("/sync/schema/apply-and-base", test_apply_and_base);
  ADD ("/sync/schema/rebuild-keeps-pending", test_rebuild_keeps_pending);
  ADD ("/sync/schema/bad-record-refuses-page", test_bad_record_refuses_page);
  ADD ("/sync/schema/child-before-parent", test_child_before_parent);
  ADD ("/sync/schema/shadow-text-as-sent", test_shadow_text_as_sent);
#undef ADD
  g_test_add_func ("/sync/schema/untrusted-limits", test_untrusted_limits);
  g_test_add_func ("/sync/schema/json-text-round-trip", test_json_text_round_trip);
  g_test_add_func ("/sync/schema/json-escape-every-place", test_json_escape_every_place);
  return g_test_run ();
}

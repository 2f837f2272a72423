/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The changes feed's page as text (koers-server-feed-text.c, koers-server-engine-feed.c):
 * items as a read says them, stored items and their check (schema version 6), damaged rows;
 * both back ends. */
#include "config.h"

#include "core/koers-json-parser.h"
#include "server/koers-server-engine.h"
#include "server/koers-server-engine-private.h"
#include "server/koers-server-participant-set.h"

#include "koers-test-engine.h"
#include "koers-test-postgres.h"

#include <string.h>

static char *
stored_name_as_fed (EngineFixture *fx, const char *record, const char *stored)
{
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (stored), KOERS_SQL_TEXT_VALUE (record) };
  g_autoptr(KoersServerFeedPage) page = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *fields;
  JsonArray *items;

  g_assert_true (koers_server_db_begin (fx->db, fx->org, &error));
  g_assert_true (koers_server_db_exec (fx->db, "UPDATE records SET fields = $1 WHERE id = $2",
                                       params, 2, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (koers_server_db_commit (fx->db, &error));
  page = koers_server_engine_pull_page (fx->engine, fx->coach, NULL, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->text_length, ==, strlen (page->text));
  parsed = koers_json_parse (page->text, page->text_length, 64, &error);
  g_assert_no_error (error);
  items = json_object_get_array_member (json_node_get_object (parsed), "wijzigingen");
  fields = json_object_get_object_member (json_array_get_object_element (items, 1), "gegevens");
  g_assert_nonnull (fields);
  return g_strdup (json_object_get_string_member_with_default (fields, "naam", NULL));
}

/* The feed page is written as text around the stored fields: each item says what a read of
 * the record says, the participants it names are each read participant once, and a stored
 * row that is not one JSON object still leaves a page every client can read. */
static void
test_feed_text (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *first = fx_participant (fx, fx->coach, fx->coach->user_id,
                                           "Zoë \\\\ Aïcha \\\"Mo\\\" احمد 😀");
  g_autofree char *second = fx_participant (fx, fx->coach, fx->coach->user_id, "Ruud Jansen");
  g_autofree char *fields_sq = g_strdup_printf ("{'deelnemerId': '%s', 'soort': 'phone', "
                                                "'datum': '2026-11-27', 'tekst': 'Gebeld'}",
                                                first);
  g_autofree char *note_json = fx_json (fields_sq);
  g_autoptr(JsonNode) note_node = fx_parse (note_json);
  JsonObject *note_fields = json_node_get_object (note_node);
  g_autoptr(KoersServerFeedPage) page = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonNode) note = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  note = koers_server_engine_write_audited (fx->engine, fx->coach, "notities", NULL,
                                            KOERS_SERVER_WRITE_CREATE, note_fields, 0,
                                            "aanmaken", NULL, NULL, &error);
  g_assert_no_error (error);
  page = koers_server_engine_pull_page (fx->engine, fx->coach, NULL, 500, &error);
  g_assert_no_error (error);
  parsed = koers_json_parse (page->text, strlen (page->text), 64, &error);
  g_assert_no_error (error);
  items = json_object_get_array_member (json_node_get_object (parsed), "wijzigingen");
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      g_autoptr(JsonObject) read = fx_get (fx, fx->coach, fx_string (item, "entiteit"),
                                           fx_string (item, "id"));
      g_autoptr(JsonNode) item_node = json_node_init_object (json_node_alloc (), item);
      g_autoptr(JsonNode) read_node = json_node_init_object (json_node_alloc (), read);

      g_assert_true (json_node_equal (item_node, read_node));
    }
  g_assert_cmpstr (fx_string (json_object_get_object_member (json_array_get_object_element (
                                items, 0), "gegevens"), "naam"), ==,
                   "Zoë \\ Aïcha \"Mo\" احمد 😀");
  /* The note names its participant, who is named once. */
  {
    g_autofree char *expected = g_strconcat (first, " ", second, NULL);
    g_autofree char *list = koers_server_participant_set_dup_list (page->participants);

    g_assert_cmpuint (koers_server_participant_set_get_size (page->participants), ==, 2);
    g_assert_cmpstr (list, ==, expected);
  }
  g_assert_false (page->more);
  g_clear_pointer (&page, koers_server_feed_page_free);
  g_clear_pointer (&parsed, json_node_unref);

  /* A stored item that is not as the engine wrote it (damaged, or changed behind its back:
   * its check fails) is not sent: the page is written from the records' columns, each item
   * as a read says it. */
  {
    static const char *const damaged[] = {
      "{\"id\": \"kapot",
      "{\"id\": \"5c1e7a2b-0000-4000-8000-000000000001\", \"gegevens\": {}}",
    };

    for (guint k = 0; k < G_N_ELEMENTS (damaged); k++)
      {
        KoersSqlValue params[] = {
          KOERS_SQL_TEXT_VALUE (damaged[k]), KOERS_SQL_TEXT_VALUE (second),
        };
        JsonObject *item;

        g_assert_true (koers_server_db_begin (fx->db, fx->org, &error));
        g_assert_true (koers_server_db_exec (fx->db, "UPDATE records SET feed_item = $1 "
                                                     "WHERE id = $2", params, 2, NULL, &error));
        g_assert_true (koers_server_db_commit (fx->db, &error));
        g_assert_no_error (error);
        page = koers_server_engine_pull_page (fx->engine, fx->coach, NULL, 500, &error);
        g_assert_no_error (error);
        parsed = koers_json_parse (page->text, page->text_length, 64, &error);
        g_assert_no_error (error);
        items = json_object_get_array_member (json_node_get_object (parsed), "wijzigingen");
        g_assert_cmpuint (json_array_get_length (items), ==, 3);
        item = json_array_get_object_element (items, 1);
        g_assert_cmpstr (fx_string (item, "id"), ==, second);
        g_assert_cmpstr (fx_string (json_object_get_object_member (item, "gegevens"), "naam"),
                         ==, "Ruud Jansen");
        g_assert_cmpuint (koers_server_participant_set_get_size (page->participants), ==, 2);
        g_clear_pointer (&page, koers_server_feed_page_free);
        g_clear_pointer (&parsed, json_node_unref);
      }
  }

  /* Damaged rows still give a page a client can read: their fields go through json-glib
   * (what it cannot read becomes {}); stored text that is one JSON object goes as it is. */
  {
    static const char *const stored[] = {
      "{\"naam\": \"Ruud",                  /* cut short */
      "{\"naam\": \"\\ud800\"}",            /* a lone surrogate */
      "{\"naam\": \"R\\u0000\"}",           /* an escaped NUL */
      "[1, 2]",                            /* not an object */
      "{\"naam\": \"Ruud\"} x",             /* something after it */
      "{\"naam\": \"R\x1fx\"}",              /* a raw control character */
      " { \"naam\" : \"R\\u00e9\\ud83d\\ude00\" } ", /* fine, if not as written */
    };
    /* json-glib ends a string at an escaped NUL. */
    static const char *const read_back[] = { NULL, NULL, "R", NULL, NULL, "R\x1fx", "Ré😀" };

    for (guint k = 0; k < G_N_ELEMENTS (stored); k++)
      {
        g_autofree char *name = stored_name_as_fed (fx, second, stored[k]);

        g_assert_cmpstr (name, ==, read_back[k]);
      }
  }
  /* SQLite keeps bytes that are not UTF-8 (PostgreSQL refuses them): such a row is read by
   * json-glib too, which takes none of it, and the page stays UTF-8. Sequences of every
   * length that are UTF-8 go as they are. */
  if (backend == KOERS_SERVER_DB_SQLITE)
    {
      static const char *const stored_bytes[] = {
        "{\"naam\": \"R\xff\"}",                          /* not UTF-8 at all */
        "{\"naam\": \"R\xc0\xaf\"}",                      /* an overlong '/' */
        "{\"naam\": \"R\xed\xa0\x80\"}",                  /* a surrogate, encoded */
        "{\"naam\": \"R\xf4\x90\x80\x80\"}",              /* past U+10FFFF */
        "{\"naam\": \"R\xe2\x82\"}",                      /* cut short */
        "{\"naam\": \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}", /* e-acute, euro, emoji */
        /* Past the eight-byte steps over plain ASCII: */
        "{\"naam\": \"Rrrrrrrrrrrrrrrrrrr\xff\"}",
        "{\"naam\": \"Rrrrrrrrrrrrrrrrrrr\xc3(rrrrrrrrrrrrrrrrr\"}",
        "{\"naam\": \"Rrrrrrrrrrrrrrrrrrr\xc3\xa9rrrrrrrrrrrrrrrrr\"}",
      };
      static const char *const bytes_read_back[] = {
        NULL, NULL, NULL, NULL, NULL, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
        NULL, NULL, "Rrrrrrrrrrrrrrrrrrr\xc3\xa9rrrrrrrrrrrrrrrrr",
      };

      for (guint k = 0; k < G_N_ELEMENTS (stored_bytes); k++)
        {
          g_autofree char *name = stored_name_as_fed (fx, second, stored_bytes[k]);

          g_assert_cmpstr (name, ==, bytes_read_back[k]);
        }
    }
}

/* The check is stored beside every item: the same bytes and version give the same check on
 * every machine and in every version of Koers, or every stored item would go out the slow
 * way. Each byte counts, and so do the length and the version. */
static void
test_item_check_is_fixed (void)
{
  static const char text[] = "{\"id\":\"5c1e7a2b-0000-4000-8000-000000000001\",\"versie\":7}";
  const gsize length = strlen (text);

  g_assert_cmpint (engine_feed_item_check ("", 0, 0), ==, G_GINT64_CONSTANT (3089644637333904299));
  g_assert_cmpint (engine_feed_item_check (text, length, 7), ==, G_GINT64_CONSTANT (3073465727612349931));
  /* 55 bytes: three rounds of sixteen and seven left over. */
  g_assert_cmpint (engine_feed_item_check (text, length - 1, 7), ==, G_GINT64_CONSTANT (-3071125163411361584));
  for (gsize i = 0; i < length; i++)
    {
      g_autofree char *changed = g_strdup (text);

      changed[i] ^= 0x01;
      g_assert_cmpint (engine_feed_item_check (changed, length, 7), !=,
                       engine_feed_item_check (text, length, 7));
    }
  g_assert_cmpint (engine_feed_item_check (text, length, 8), !=,
                   engine_feed_item_check (text, length, 7));
}

/* The stored items of @fx's records, "id item" per record in id order, after asserting that
 * every record has one whose check matches. */
static char *
stored_items (EngineFixture *fx)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_server_db_begin (fx->db, fx->org, &error));
  rows = koers_server_db_query (fx->db, "SELECT id, feed_item, feed_item_check, version "
                                        "FROM records WHERE organisation_id = $1 ORDER BY id",
                                (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE (fx->org) }, 1,
                                &error);
  g_assert_no_error (error);
  koers_server_db_rollback (fx->db);
  g_assert_cmpuint (koers_sql_rows_get_n_rows (rows), >, 0);
  for (guint i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
    {
      const char *item = koers_sql_rows_get_text (rows, i, 1);

      g_assert_nonnull (item);
      g_assert_cmpint (koers_sql_rows_get_int (rows, i, 2), ==,
                       engine_feed_item_check (item, strlen (item),
                                               koers_sql_rows_get_int (rows, i, 3)));
      g_string_append_printf (all, "%s %s\n", koers_sql_rows_get_text (rows, i, 0), item);
    }
  return g_string_free (g_steal_pointer (&all), FALSE);
}

static void
exec_in_org (EngineFixture *fx, const char *sql, const KoersSqlValue *params, guint n_params)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_server_db_begin (fx->db, fx->org, &error));
  g_assert_true (koers_server_db_exec (fx->db, sql, params, n_params, NULL, &error));
  g_assert_true (koers_server_db_commit (fx->db, &error));
  g_assert_no_error (error);
}

/* The name in the feed item of @id, on a page of everything. */
static char *
fed_name (EngineFixture *fx, const char *id)
{
  g_autoptr(KoersServerFeedPage) page = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  page = koers_server_engine_pull_page (fx->engine, fx->coach, NULL, 500, &error);
  g_assert_no_error (error);
  parsed = koers_json_parse (page->text, page->text_length, 64, &error);
  g_assert_no_error (error);
  items = json_object_get_array_member (json_node_get_object (parsed), "wijzigingen");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (fx_string (item, "id"), id) == 0)
        return g_strdup (fx_string (json_object_get_object_member (item, "gegevens"), "naam"));
    }
  g_assert_not_reached ();
}

/* Every record the engine writes keeps its item with a matching check, and a page sends the
 * stored item as it is: one changed with its check made again goes out changed (what tells
 * that pages do use them). Copied to another version of the row, it does not. */
static void
test_stored_items_are_sent (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Ruud Jansen");
  g_autofree char *items = stored_items (fx);   /* asserts every item is there and checks */
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *changed = NULL;
  gint64 version;

  g_assert_true (koers_server_db_begin (fx->db, fx->org, &error));
  rows = koers_server_db_query (fx->db, "SELECT feed_item, version FROM records WHERE id = $1",
                                (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE (id) }, 1, &error);
  g_assert_no_error (error);
  koers_server_db_rollback (fx->db);
  version = koers_sql_rows_get_int (rows, 0, 1);
  {
    g_auto(GStrv) parts = g_strsplit (koers_sql_rows_get_text (rows, 0, 0), "Ruud Jansen", 2);

    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    changed = g_strjoinv ("Ruud Anders", parts);
  }
  {
    KoersSqlValue params[] = {
      KOERS_SQL_TEXT_VALUE (changed),
      KOERS_SQL_INT_VALUE (engine_feed_item_check (changed, strlen (changed), version)),
      KOERS_SQL_TEXT_VALUE (id),
    };

    exec_in_org (fx, "UPDATE records SET feed_item = $1, feed_item_check = $2 WHERE id = $3",
                 params, G_N_ELEMENTS (params));
  }
  {
    g_autofree char *name = fed_name (fx, id);

    g_assert_cmpstr (name, ==, "Ruud Anders");
  }
  /* Another row's item and check copied onto this one (another version): written from the
   * row. */
  {
    g_autofree char *other = fx_participant (fx, fx->coach, fx->coach->user_id, "Ans Ander");
    KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (id), KOERS_SQL_TEXT_VALUE (other) };

    exec_in_org (fx, "UPDATE records SET feed_item = (SELECT feed_item FROM records "
                     "WHERE id = $2), feed_item_check = (SELECT feed_item_check FROM records "
                     "WHERE id = $2) WHERE id = $1", params, 2);
    g_autofree char *other_name = fed_name (fx, other);
    g_autofree char *name = fed_name (fx, id);

    g_assert_cmpstr (other_name, ==, "Ans Ander");
    g_assert_cmpstr (name, ==, "Ruud Jansen");
  }
}

/* Records without a stored item (from before schema version 6) get the item their columns
 * make, the same one the engine stores, and pages send it. */
static void
test_fill_feed_items (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint64 filled = 99;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("Deelnemer %u", i);
      g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, name);
    }
  before = stored_items (fx);
  g_assert_true (koers_server_engine_fill_feed_items (fx->engine, &filled, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (filled, ==, 0);

  exec_in_org (fx, "UPDATE records SET feed_item = NULL, feed_item_check = NULL", NULL, 0);
  g_assert_true (koers_server_engine_fill_feed_items (fx->engine, &filled, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (filled, ==, 3);
  after = stored_items (fx);
  g_assert_cmpstr (after, ==, before);
}

/* Many rows, some of them with an item already and in among those without: every row
 * without one is filled exactly once, over several batches (500 a batch, updates sent 64 a
 * call), and a second fill finds nothing left. */
static void
test_fill_many (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Model Rij");
  KoersSqlValue model[] = { KOERS_SQL_TEXT_VALUE (id) };
  g_autoptr(GError) error = NULL;
  guint64 filled = 0;
  gint64 kept;

  /* 1,199 copies at versions 1001-2199, no item; every seventh then gets one. */
  exec_in_org (fx, "WITH RECURSIVE g (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g "
                   "WHERE n < 1199) INSERT INTO records (organisation_id, entity, id, version, "
                   "scope_coach_id, participant_id, fields, created_at, created_by, "
                   "updated_at, updated_by) SELECT organisation_id, entity, id || '-' || n, "
                   "1000 + n, scope_coach_id, participant_id, fields, created_at, created_by, "
                   "updated_at, updated_by FROM records, g WHERE id = $1", model, 1);
  exec_in_org (fx, "UPDATE records SET feed_item = 'x', feed_item_check = 0 "
                   "WHERE version > 1000 AND version % 7 = 0", NULL, 0);
  kept = fx_count (fx, fx->org, "SELECT count(*) FROM records WHERE organisation_id = $1 "
                                          "AND feed_item = 'x'");
  g_assert_cmpint (kept, ==, 172);
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM records "
                                          "WHERE organisation_id = $1 AND feed_item IS NULL"), ==, 1199 - kept);

  g_assert_true (koers_server_engine_fill_feed_items (fx->engine, &filled, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (filled, ==, 1199 - kept);
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM records "
                                          "WHERE organisation_id = $1 AND feed_item IS NULL"), ==, 0);
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM records "
                                          "WHERE organisation_id = $1 AND feed_item = 'x'"), ==, kept);
  g_assert_true (koers_server_engine_fill_feed_items (fx->engine, &filled, &error));
  g_assert_cmpuint (filled, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-feed-text/page", test_feed_text);
  koers_test_server_db_add ("/server-feed-text/stored-items-are-sent",
                            test_stored_items_are_sent);
  koers_test_server_db_add ("/server-feed-text/fill", test_fill_feed_items);
  koers_test_server_db_add ("/server-feed-text/fill-many", test_fill_many);
  g_test_add_func ("/server-feed-text/item-check-is-fixed", test_item_check_is_fixed);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The strict JSON reader against json-glib (whose tree it replaces) and SQLite's json_valid()
 * (an RFC 8259 judge), on a corpus and on a bounded, seeded run of mutations of it:
 *
 * - what the reader takes, json_valid() takes too, and json-glib takes it into the same tree
 *   (node types, value types, values to the bit, members in the same order);
 * - what the reader refuses and json_valid() takes is one of the limits it documents
 *   (integers past 64 bits, numbers past a double, \u0000 and unpaired surrogates, depth,
 *   a member name twice in one object);
 * - text that is not UTF-8 is always refused;
 * - an object's text kept as written compactly (koers_json_doc_compact_text) is exactly what
 *   koers_sync_json_to_string() writes for it, at every level.
 *
 * KOERS_JSON_MUTATION_SEED=N replays a run; KOERS_JSON_MUTATIONS=N changes its length.
 */
#include "config.h"

#include "core/koers-json-guard.h"
#include "core/koers-json-parser.h"
#include "sync/koers-sync-private.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

static gboolean
same_tree (JsonNode *a, JsonNode *b)
{
  if (json_node_get_node_type (a) != json_node_get_node_type (b))
    return FALSE;
  switch (json_node_get_node_type (a))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *oa = json_node_get_object (a), *ob = json_node_get_object (b);
        g_autoptr(GList) na = json_object_get_members (oa);
        g_autoptr(GList) nb = json_object_get_members (ob);
        GList *la = na, *lb = nb;

        for (; la != NULL && lb != NULL; la = la->next, lb = lb->next)
          if (strcmp (la->data, lb->data) != 0
              || !same_tree (json_object_get_member (oa, la->data),
                             json_object_get_member (ob, lb->data)))
            return FALSE;
        return la == NULL && lb == NULL;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *aa = json_node_get_array (a), *ab = json_node_get_array (b);

        if (json_array_get_length (aa) != json_array_get_length (ab))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (aa); i++)
          if (!same_tree (json_array_get_element (aa, i), json_array_get_element (ab, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_VALUE:
    default:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return FALSE;
      switch (json_node_get_value_type (a))
        {
        case G_TYPE_STRING:
          return strcmp (json_node_get_string (a), json_node_get_string (b)) == 0;
        case G_TYPE_INT64:
          return json_node_get_int (a) == json_node_get_int (b);
        case G_TYPE_BOOLEAN:
          return json_node_get_boolean (a) == json_node_get_boolean (b);
        case G_TYPE_DOUBLE:
          {
            double x = json_node_get_double (a), y = json_node_get_double (b);

            return memcmp (&x, &y, sizeof x) == 0;
          }
        default:
          return FALSE;
        }
    }
}

typedef struct {
  sqlite3      *db;
  sqlite3_stmt *valid;
  guint         n_taken;
  guint         n_refused_both;
  guint         n_limits;     /* RFC 8259 takes it, our documented limits do not */
  guint         n_texts;      /* objects whose text was kept */
} Judge;

static gboolean
rfc_valid (Judge *judge, const char *text, gsize length)
{
  gboolean valid;

  sqlite3_bind_text (judge->valid, 1, text, (int) length, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (judge->valid), ==, SQLITE_ROW);
  valid = sqlite3_column_int (judge->valid, 0) == 1;
  sqlite3_reset (judge->valid);
  return valid;
}

/* Every object under @value (itself included) whose text the document kept is exactly what
 * the writer writes for it. */
static void
judge_kept_texts (Judge *judge, KoersJsonDoc *doc, KoersJsonRef value, const char *what)
{
  gsize length = 0;
  const char *kept = koers_json_doc_compact_text (doc, value, &length);

  if (kept != NULL)
    {
      g_autoptr(JsonNode) node = koers_json_doc_to_node (doc, value);
      g_autofree char *written = koers_sync_json_to_string (node);

      if (strlen (written) != length || memcmp (written, kept, length) != 0)
        g_error ("%s: kept text %.*s, but the writer writes %s", what, (int) length, kept,
                 written);
      judge->n_texts++;
    }
  for (KoersJsonRef child = koers_json_doc_first (doc, value); child != KOERS_JSON_NONE;
       child = koers_json_doc_next (doc, child))
    judge_kept_texts (judge, doc, child, what);
}

/* Checks the three-way agreement on one text; @what names it in a failure. */
static void
judge_text (Judge *judge, const char *text, gsize length, const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ours = koers_json_parse (text, length, MAX_DEPTH, &error);
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *shown = NULL;
  gboolean theirs_ok;

  if (!g_utf8_validate (text, (gssize) length, NULL))
    {
      if (ours != NULL)
        g_error ("%s: not UTF-8 but taken: %.*s", what, (int) length, text);
      judge->n_refused_both++;
      return;
    }
  if (!koers_json_depth_ok (text, length, MAX_DEPTH))
    {
      if (ours != NULL)
        g_error ("%s: deeper than %d but taken", what, MAX_DEPTH);
      judge->n_limits++;
      return;
    }
  shown = g_strescape (length < 400 ? text : "(long)", NULL);
  if (ours != NULL)
    {
      /* json-glib only for what we took: 1.6.6 leaks on some texts it refuses (a scanned
       * string and a node on its error paths), which the sanitizer build would count. */
      parser = json_parser_new_immutable ();
      theirs_ok = json_parser_load_from_data (parser, text, (gssize) length, NULL)
                  && json_parser_get_root (parser) != NULL;
      if (!rfc_valid (judge, text, length))
        g_error ("%s: taken, but not RFC 8259 by json_valid(): %s", what, shown);
      if (!theirs_ok)
        g_error ("%s: taken, but json-glib refuses it: %s", what, shown);
      if (!same_tree (ours, json_parser_get_root (parser)))
        g_error ("%s: not the tree json-glib makes: %s", what, shown);
      judge->n_taken++;
      {
        g_autoptr(GBytes) bytes = g_bytes_new_static (text, length);
        g_autoptr(KoersJsonDoc) doc = koers_json_doc_parse (bytes, MAX_DEPTH, NULL);

        g_assert_nonnull (doc);
        judge_kept_texts (judge, doc, 0, what);
      }
      return;
    }
  g_assert_true (error->domain == KOERS_JSON_PARSER_ERROR);
  if (!rfc_valid (judge, text, length))
    {
      judge->n_refused_both++;
      return;
    }
  if (error->code == KOERS_JSON_PARSER_ERROR_SYNTAX)
    g_error ("%s: RFC 8259 text refused as a syntax error (%s): %s", what, error->message, shown);
  judge->n_limits++;
}

static void
judge_init (Judge *judge)
{
  memset (judge, 0, sizeof *judge);
  g_assert_cmpint (sqlite3_open (":memory:", &judge->db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (judge->db, "SELECT json_valid(?1)", -1, &judge->valid,
                                       NULL), ==, SQLITE_OK);
}

static void
judge_clear (Judge *judge)
{
  sqlite3_finalize (judge->valid);
  sqlite3_close (judge->db);
}

/* A pull page as the server writes it (json-glib's generator), with the text a caseload holds:
 * accents, Arabic, an emoji, quotes, backslashes, control characters; and every kind of
 * number the wire may carry. */
static char *
pull_page (guint n_items)
{
  static const char *const names[] = { "Zo\xc3\xab de Vries", "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85",
                                       "Jan \"Bram\" Jansen", "back\\slash\t tab",
                                       "emoji \xf0\x9f\x98\x80", "line\nbreak\x01", "" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "wijzigingen");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *id = g_strdup_printf ("0190f6a2-0000-7000-8000-%012u", i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "entiteit");
      json_builder_add_string_value (builder, "deelnemers");
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "versie");
      json_builder_add_int_value (builder, (gint64) i * 7919 + 1);
      json_builder_set_member_name (builder, "verwijderd");
      json_builder_add_boolean_value (builder, i % 5 == 0);
      json_builder_set_member_name (builder, "gewijzigdOp");
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "gegevens");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "naam");
      json_builder_add_string_value (builder, names[i % G_N_ELEMENTS (names)]);
      json_builder_set_member_name (builder, "geboortejaar");
      json_builder_add_int_value (builder, i % 3 == 0 ? G_MININT64 + i : 1950 + (gint64) i);
      if (i % 3 == 0)
        {
          json_builder_set_member_name (builder, "score");
          json_builder_add_double_value (builder, i % 2 == 0 ? 0.1 * i : -1.5e-7 * i);
        }
      json_builder_set_member_name (builder, "vaardigheden");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "lassen");
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
      json_builder_add_int_value (builder, G_MAXINT64 - i);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "volgendeCursor");
  json_builder_add_string_value (builder, "e1.42");
  json_builder_set_member_name (builder, "meerBeschikbaar");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, n_items % 2 == 1);
}

/* Hand-written texts for what a generator never writes. */
static const char *const corpus[] = {
  "{}", "[]", "0", "-0", "\"\"", "null", "true", "false", " [ 1 , -2 , 3.25 ] ",
  "{\"a\":{\"b\":{\"c\":[[[]]]}}}", "[1e5, 1E-5, 2.5e+3, -0.0, 0.5, 123456789.125]",
  "[9223372036854775807, -9223372036854775808, 4.9e-324, 1.7976931348623157e308]",
  "[\"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\\uffff\", \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
  "{\"a\":1,\"b\":2,\"c\":3}", "{\"\":\"\",\"\\u00e9\":[null]}", "[\"\x7f\xc3\xa9\"]",
  "\r\n\t{\"x\" :\t[ true,false ,null ] }\n",
};

static void
test_corpus (void)
{
  Judge judge;

  judge_init (&judge);
  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    judge_text (&judge, corpus[i], strlen (corpus[i]), corpus[i]);
  for (guint n = 0; n < 12; n++)
    {
      g_autofree char *page = pull_page (n * 7);

      judge_text (&judge, page, strlen (page), "pull page");
    }
  /* All of them are RFC 8259 and within the limits, and the compact pages' items keep their
   * text. */
  g_assert_cmpuint (judge.n_taken, ==, G_N_ELEMENTS (corpus) + 12);
  /* A name twice in one object is RFC 8259 (a SHOULD) but one of the reader's limits. */
  judge_text (&judge, "{\"a\":1,\"b\":2,\"a\":3}", 19, "repeated name");
  g_assert_cmpuint (judge.n_limits, ==, 1);
  g_assert_cmpuint (judge.n_texts, >, 100);
  judge_clear (&judge);
}

/* Pieces a mutation drops in: JSON's own characters, what json-glib takes and RFC 8259 does
 * not, the documented limits, and broken UTF-8. */
static const char *const pieces[] = {
  "{", "}", "[", "]", ":", ",", "\"", "\\", " ", "\n", "\t", "\r", "\f", "\v", "-", "+", ".",
  "e", "E", "0", "1", "9", "a", "u", "x", "/", "'", "true", "false", "null", "nul", "True",
  "01", "-0", ".5", "1.", "0x1F", "1e400", "-1e400", "1e-400", "9223372036854775807",
  "9223372036854775808", "-9223372036854775809", "18446744073709551616", "\\u0000",
  "\\ud83d", "\\ude00", "\\ud83d\\ude00", "\\u00e9", "\\uZZZZ", "\\x41", "\\/", "/* c */",
  "// c\n", "\xef\xbb\xbf", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc3", "\xc0\xaf",
  "\xed\xa0\x80", "\xff", "\x01", "\x7f", "\"a\":1", "{\"k\":[]}", "[[[[", "]]]]",
};

static void
mutate (GRand *rand, GString *text)
{
  guint ops = g_rand_int_range (rand, 1, 4);

  for (guint k = 0; k < ops; k++)
    {
      guint at = text->len > 0 ? g_rand_int_range (rand, 0, (gint32) text->len) : 0;
      guint span = g_rand_int_range (rand, 1, 9);
      const char *piece = pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))];

      span = MIN (span, text->len - at);
      switch (g_rand_int_range (rand, 0, 6))
        {
        case 0:  /* replace bytes with a piece */
          g_string_erase (text, at, span);
          G_GNUC_FALLTHROUGH;
        case 1:  /* insert a piece */
          g_string_insert (text, at, piece);
          break;
        case 2:  /* delete */
          g_string_erase (text, at, span);
          break;
        case 3:  /* repeat a span */
          {
            g_autofree char *copy = g_strndup (text->str + at, span);

            g_string_insert (text, at, copy);
            break;
          }
        case 4:  /* cut the text short */
          g_string_truncate (text, at);
          break;
        default: /* flip one byte */
          if (text->len > 0)
            text->str[at] = (char) g_rand_int_range (rand, 0, 256);
          break;
        }
    }
}

static void
test_mutations (void)
{
  const char *seed_env = g_getenv ("KOERS_JSON_MUTATION_SEED");
  const char *count_env = g_getenv ("KOERS_JSON_MUTATIONS");
  guint32 seed = seed_env != NULL ? (guint32) strtoul (seed_env, NULL, 10) : g_random_int ();
  guint count = count_env != NULL ? (guint) strtoul (count_env, NULL, 10) : 100000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) bases = g_ptr_array_new_with_free_func (g_free);
  Judge judge;

  g_test_message ("KOERS_JSON_MUTATION_SEED=%u KOERS_JSON_MUTATIONS=%u", seed, count);
  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    g_ptr_array_add (bases, g_strdup (corpus[i]));
  g_ptr_array_add (bases, pull_page (2));
  g_ptr_array_add (bases, pull_page (3));
  judge_init (&judge);
  for (guint i = 0; i < count; i++)
    {
      const char *base = bases->pdata[g_rand_int_range (rand, 0, (gint32) bases->len)];
      g_autoptr(GString) text = g_string_new (base);
      g_autofree char *what = g_strdup_printf ("mutation %u (seed %u)", i, seed);

      mutate (rand, text);
      judge_text (&judge, text->str, text->len, what);
    }
  g_test_message ("taken %u, refused (not RFC 8259) %u, our limits %u, texts kept %u",
                  judge.n_taken, judge.n_refused_both, judge.n_limits, judge.n_texts);
  /* The run reaches every side of the comparison, or it proves little. */
  if (count >= 1000)
    {
      g_assert_cmpuint (judge.n_taken, >, count / 50);
      g_assert_cmpuint (judge.n_refused_both, >, count / 50);
      g_assert_cmpuint (judge.n_limits, >, count / 500);
      g_assert_cmpuint (judge.n_texts, >, count / 50);
    }
  judge_clear (&judge);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-parser-diff/corpus", test_corpus);
  g_test_add_func ("/json-parser-diff/mutations", test_mutations);

  return g_test_run ();
}

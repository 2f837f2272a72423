/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The strict JSON reader (core/koers-json-doc.h, core/koers-json-parser.h): every kind of error
 * with its message and place, the limits (depth, 64-bit integers, doubles), escapes and
 * surrogates, repeated member names, the document and the tree it builds. The comparison with json-glib on a corpus and on mutated text
 * is in test-json-parser-diff.c.
 */
#include "config.h"

#include "core/koers-json-parser.h"

#include <math.h>
#include <string.h>

static JsonNode *
parse (const char *text, GError **error)
{
  return koers_json_parse (text, strlen (text), 64, error);
}

/* @text is refused with @code and a message that is exactly @message. */
static void
assert_refused (const char *text, KoersJsonParserError code, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse (text, &error);

  g_assert_null (node);
  g_assert_error (error, KOERS_JSON_PARSER_ERROR, (int) code);
  g_assert_cmpstr (error->message, ==, message);
}

static JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* The single element of the array @text. */
static JsonNode *
element (const char *text)
{
  g_autoptr(JsonNode) root = parse_ok (text);
  JsonArray *array;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  return json_node_copy (json_array_get_element (array, 0));
}

static void
assert_string (const char *text, const char *expected)
{
  g_autoptr(JsonNode) node = element (text);

  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

static void
assert_int (const char *text, gint64 expected)
{
  g_autoptr(JsonNode) node = element (text);

  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, expected);
}

static void
assert_double (const char *text, double expected)
{
  g_autoptr(JsonNode) node = element (text);

  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_true (json_node_get_double (node) == expected);
  g_assert_cmpint (signbit (json_node_get_double (node)), ==, signbit (expected));
}

static void
test_values (void)
{
  g_autoptr(JsonNode) root = parse_ok (" \t\r\n{\"a\": [true, false, null, {}, []], \"b\": \"x\"}"
                                       " \n");
  JsonObject *object = json_node_get_object (root);
  JsonArray *array = json_object_get_array_member (object, "a");
  g_autoptr(JsonNode) top_string = parse_ok ("\"top\"");
  g_autoptr(JsonNode) top_null = parse_ok ("null");

  g_assert_cmpuint (json_array_get_length (array), ==, 5);
  g_assert_true (json_array_get_boolean_element (array, 0));
  g_assert_false (json_array_get_boolean_element (array, 1));
  g_assert_true (json_array_get_null_element (array, 2));
  g_assert_cmpuint (json_object_get_size (json_array_get_object_element (array, 3)), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (array, 4)), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "b"), ==, "x");
  /* Any value may be the text (RFC 8259); callers that want an object say so. */
  g_assert_cmpstr (json_node_get_string (top_string), ==, "top");
  g_assert_true (JSON_NODE_HOLDS_NULL (top_null));
  /* The tree is sealed, as json_parser_new_immutable() leaves it. */
  g_assert_true (json_node_is_immutable (root));
  g_assert_true (json_node_is_immutable (json_array_get_element (array, 3)));
}

static void
test_member_order_and_repeats (void)
{
  g_autoptr(JsonNode) root = parse_ok ("{\"z\": 1, \"a\": 2, \"m\": 3, \"\": 5}");
  JsonObject *object = json_node_get_object (root);
  g_autoptr(GList) names = json_object_get_members (object);
  const char *expected[] = { "z", "a", "m", "" };
  g_autoptr(GString) many = g_string_new ("{");
  guint i = 0;

  for (GList *l = names; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, expected[i]);
  g_assert_cmpuint (i, ==, 4);
  g_assert_cmpint (json_object_get_int_member (object, ""), ==, 5);

  /* A name twice in one object is refused where it comes the second time (json-glib kept the
   * last value, other readers keep the first); in different objects it is fine. */
  assert_refused ("{\"z\": 1, \"a\": 2, \"m\": 3, \"a\": 4}", KOERS_JSON_PARSER_ERROR_REPEATED,
                  "line 1, column 26: a member name comes twice in one object");
  assert_refused ("[{\"a\": {\"b\": 1, \"b\": 1}}]", KOERS_JSON_PARSER_ERROR_REPEATED,
                  "line 1, column 17: a member name comes twice in one object");
  json_node_unref (parse_ok ("[{\"a\": 1}, {\"a\": 2, \"b\": {\"a\": 3}}]"));
  /* Past 16 members the check goes through a hash table: the same answer. */
  for (i = 0; i < 40; i++)
    g_string_append_printf (many, "%s\"m%u\":%u", i > 0 ? "," : "", i, i);
  g_string_append (many, "}");
  json_node_unref (parse_ok (many->str));
  g_string_truncate (many, many->len - 1);
  g_string_append (many, ",\"m7\":0}");
  assert_refused (many->str, KOERS_JSON_PARSER_ERROR_REPEATED,
                  "line 1, column 342: a member name comes twice in one object");
}

static void
test_numbers (void)
{
  assert_int ("[0]", 0);
  assert_int ("[-0]", 0);
  assert_int ("[42]", 42);
  assert_int ("[-17]", -17);
  assert_int ("[9223372036854775807]", G_MAXINT64);
  assert_int ("[-9223372036854775808]", G_MININT64);
  assert_double ("[0.5]", 0.5);
  assert_double ("[-0.0]", -0.0);
  assert_double ("[1e5]", 100000.0);
  assert_double ("[1E+2]", 100.0);
  assert_double ("[25e-1]", 2.5);
  assert_double ("[0.1]", 0.1);
  assert_double ("[1.0]", 1.0);
  assert_double ("[1e-400]", 0.0);
  assert_double ("[1.7976931348623157e308]", 1.7976931348623157e308);
  assert_double ("[4.9e-324]", 4.9e-324);
  /* json-glib wraps these (2^63 becomes -2^63, 2^64 becomes -1) and reads 1e400 as infinity. */
  assert_refused ("[9223372036854775808]", KOERS_JSON_PARSER_ERROR_RANGE,
                  "line 1, column 2: the integer 9223372036854775808 does not fit in 64 bits");
  assert_refused ("[-9223372036854775809]", KOERS_JSON_PARSER_ERROR_RANGE,
                  "line 1, column 2: the integer -9223372036854775809 does not fit in 64 bits");
  assert_refused ("[18446744073709551616]", KOERS_JSON_PARSER_ERROR_RANGE,
                  "line 1, column 2: the integer 18446744073709551616 does not fit in 64 bits");
  assert_refused ("{\"n\":\n 1e400}", KOERS_JSON_PARSER_ERROR_RANGE,
                  "line 2, column 2: the number 1e400 is out of range");
  assert_refused ("[-1e400]", KOERS_JSON_PARSER_ERROR_RANGE,
                  "line 1, column 2: the number -1e400 is out of range");
  /* What json-glib takes and RFC 8259 does not. */
  assert_refused ("[01]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 2: a number cannot start with 0 and a digit");
  assert_refused ("[-01]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 3: a number cannot start with 0 and a digit");
  assert_refused ("[.5]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 2: unexpected '.' where a value was expected");
  assert_refused ("[1.]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 4: unexpected ']' where a digit after the decimal point was "
                  "expected");
  assert_refused ("[1e]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 4: unexpected ']' where a digit in the exponent was expected");
  assert_refused ("[1e+]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 5: unexpected ']' where a digit in the exponent was expected");
  assert_refused ("[0x10]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 3: unexpected 'x' where ',' or ']' was expected");
  assert_refused ("[+1]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 2: unexpected '+' where a value was expected");
  assert_refused ("[- 1]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 3: unexpected byte 0x20 where a digit was expected");
  assert_refused ("[-", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 3: the text ends where a digit was expected");
}

static void
test_strings (void)
{
  assert_string ("[\"\"]", "");
  assert_string ("[\"plain\"]", "plain");
  assert_string ("[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"]", "\" \\ / \b \f \n \r \t");
  assert_string ("[\"\\u0041\\u00e9\\u20AC\"]", "A\xc3\xa9\xe2\x82\xac");
  assert_string ("[\"\\ud83d\\ude00\"]", "\xf0\x9f\x98\x80");
  assert_string ("[\"\\uDBFF\\uDFFF\"]", "\xf4\x8f\xbf\xbf");
  assert_string ("[\"Zo\xc3\xab \xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 \xf0\x9f\x98\x80\"]",
                 "Zo\xc3\xab \xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 \xf0\x9f\x98\x80");
  assert_string ("[\"a\x7f" "b\"]", "a\x7f" "b");
  /* Escaped member names are decoded too. */
  {
    g_autoptr(JsonNode) root = parse_ok ("{\"\\u0061\\n\": 1}");

    g_assert_true (json_object_has_member (json_node_get_object (root), "a\n"));
  }
  assert_refused ("[\"\\ud83d\"]", KOERS_JSON_PARSER_ERROR_ENCODING,
                  "line 1, column 3: \\uD83D is the first half of a surrogate pair without its "
                  "second");
  assert_refused ("[\"\\ud83dx\"]", KOERS_JSON_PARSER_ERROR_ENCODING,
                  "line 1, column 3: \\uD83D is the first half of a surrogate pair without its "
                  "second");
  assert_refused ("[\"\\ud83d\\u0041\"]", KOERS_JSON_PARSER_ERROR_ENCODING,
                  "line 1, column 3: \\uD83D is the first half of a surrogate pair without its "
                  "second");
  assert_refused ("[\"\\ude00\"]", KOERS_JSON_PARSER_ERROR_ENCODING,
                  "line 1, column 3: \\uDE00 is the second half of a surrogate pair without its "
                  "first");
  assert_refused ("[\"a\\u0000b\"]", KOERS_JSON_PARSER_ERROR_ENCODING,
                  "line 1, column 4: \\u0000 is not accepted (text cannot hold NUL)");
  assert_refused ("[\"\\u00e\"]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 5: a \\u escape needs four hex digits");
  assert_refused ("[\"\\ud83d\\u12\"]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 11: a \\u escape needs four hex digits");
  assert_refused ("[\"\\u12", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 5: a \\u escape needs four hex digits");
  assert_refused ("[\"\\x41\"]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 4: unknown escape \\'x'");
  assert_refused ("[\"\\'\"]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 4: unknown escape \\'''");
  assert_refused ("[\"a\tb\"]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 4: control character 0x09 inside a string (it must be "
                  "escaped)");
  assert_refused ("{\"a\":\n\"b\nc\"}", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 2, column 3: control character 0x0a inside a string (it must be "
                  "escaped)");
  assert_refused ("[\"abc", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 6: the text ends inside a string");
  assert_refused ("[\"abc\\", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 7: the text ends inside a string");
  assert_refused ("['a']", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 2: unexpected ''' where a value was expected");
}

static void
test_encoding (void)
{
  static const char *const bad[] = {
    "[\"\xc3\"]",             /* cut short */
    "[\"\xc0\xaf\"]",         /* overlong '/' */
    "[\"\xe0\x80\xaf\"]",     /* overlong, three bytes */
    "[\"\xed\xa0\x80\"]",     /* a surrogate written out */
    "[\"\xf4\x90\x80\x80\"]", /* past U+10FFFF */
    "[\"\xff\"]",
    "[\"\x80\"]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = parse (bad[i], &error);
      g_autofree char *expected = g_strdup_printf ("line 1, column 3: byte 0x%02x is not UTF-8 "
                                                   "text", (guchar) bad[i][2]);

      g_assert_null (node);
      g_assert_error (error, KOERS_JSON_PARSER_ERROR, KOERS_JSON_PARSER_ERROR_ENCODING);
      g_assert_cmpstr (error->message, ==, expected);
    }
  /* Outside a string a byte past ASCII is no JSON at all; a byte-order mark neither. */
  assert_refused ("\xef\xbb\xbf{}", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 1: unexpected byte 0xef where a value was expected");
  assert_refused ("[1,\xc3\xa9]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 4: unexpected byte 0xc3 where a value was expected");
  /* A NUL byte in the text, inside or outside a string. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (koers_json_parse ("[\"a\0b\"]", 7, 64, &error));
    g_assert_error (error, KOERS_JSON_PARSER_ERROR, KOERS_JSON_PARSER_ERROR_SYNTAX);
    g_assert_cmpstr (error->message, ==, "line 1, column 4: control character 0x00 inside a "
                                         "string (it must be escaped)");
    g_clear_error (&error);
    g_assert_null (koers_json_parse ("[1]\0", 4, 64, &error));
    g_assert_cmpstr (error->message, ==, "line 1, column 4: unexpected byte 0x00 where the end "
                                         "of the text was expected");
  }
}

static void
test_grammar (void)
{
  assert_refused ("", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 1: the text ends where a value was expected");
  assert_refused (" \n ", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 2, column 2: the text ends where a value was expected");
  assert_refused ("{} x", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 4: unexpected 'x' where the end of the text was expected");
  assert_refused ("{}{}", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 3: unexpected '{' where the end of the text was expected");
  assert_refused ("[1,]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 4: unexpected ']' where a value was expected");
  assert_refused ("[,1]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 2: unexpected ',' where a value was expected");
  assert_refused ("[1 2]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 4: unexpected '2' where ',' or ']' was expected");
  assert_refused ("{\"a\":1,}", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 8: unexpected '}' where a member name was expected");
  assert_refused ("{\"a\" 1}", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 6: unexpected '1' where ':' was expected");
  assert_refused ("{\"a\":}", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 6: unexpected '}' where a value was expected");
  assert_refused ("{\"a\":1 \"b\":2}", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 8: unexpected '\"' where ',' or '}' was expected");
  assert_refused ("{1:2}", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 2: unexpected '1' where a member name was expected");
  assert_refused ("{\"a\":1", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 7: the text ends where ',' or '}' was expected");
  assert_refused ("[true", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 6: the text ends where ',' or ']' was expected");
  assert_refused ("[tru]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 2: unexpected 't' where a value was expected");
  assert_refused ("[True]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 2: unexpected 'T' where a value was expected");
  assert_refused ("[truex]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 6: unexpected 'x' where ',' or ']' was expected");
  assert_refused ("[NaN]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 2: unexpected 'N' where a value was expected");
  assert_refused ("[/* c */ 1]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 2: unexpected '/' where a value was expected");
  /* Only space, tab, LF and CR are whitespace. */
  assert_refused ("[1\f]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 3: unexpected byte 0x0c where ',' or ']' was expected");
  assert_refused ("\v[1]", KOERS_JSON_PARSER_ERROR_SYNTAX,
                  "line 1, column 1: unexpected byte 0x0b where a value was expected");
}

/* Arrays and objects nested @depth deep around a 1. */
static char *
nested (guint depth)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, i % 2 == 0 ? "[" : "{\"k\":");
  g_string_append_c (text, '1');
  for (guint i = depth; i > 0; i--)
    g_string_append_c (text, (i - 1) % 2 == 0 ? ']' : '}');
  return g_string_free (text, FALSE);
}

static void
test_depth (void)
{
  g_autofree char *at_limit = nested (64);
  g_autofree char *past_limit = nested (65);
  g_autofree char *hostile = g_malloc (200000);
  g_autoptr(JsonNode) node = parse_ok (at_limit);
  g_autoptr(GError) error = NULL;

  assert_refused (past_limit, KOERS_JSON_PARSER_ERROR_DEPTH,
                  "line 1, column 193: nested deeper than 64 levels");
  g_assert_null (koers_json_parse ("[[1]]", 5, 1, &error));
  g_assert_error (error, KOERS_JSON_PARSER_ERROR, KOERS_JSON_PARSER_ERROR_DEPTH);
  g_clear_error (&error);
  /* A value outside any container has depth 0. */
  g_clear_pointer (&node, json_node_unref);
  node = koers_json_parse ("1", 1, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  /* Whatever the caller allows, the recursion stays bounded (512 levels). */
  memset (hostile, '[', 200000);
  g_assert_null (koers_json_parse (hostile, 200000, G_MAXUINT, &error));
  g_assert_error (error, KOERS_JSON_PARSER_ERROR, KOERS_JSON_PARSER_ERROR_DEPTH);
  g_assert_cmpstr (error->message, ==, "line 1, column 513: nested deeper than 512 levels");
}

static KoersJsonDoc *
doc_ok (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  KoersJsonDoc *doc = koers_json_doc_parse (bytes, 64, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

/* The document read directly: kinds, values, members by name and in order, elements, and
 * what it answers for a value that is not there or of another kind. */
static void
test_document (void)
{
  g_autoptr(KoersJsonDoc) doc = doc_ok ("{\"n\": null, \"t\": true, \"i\": -3, \"d\": 2.5, "
                                        "\"s\": \"\\u00e9\", \"o\": {\"x\": [1, [], {}], \"y\": 2}, "
                                        "\"a\": []}");
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  KoersJsonRef object, list, member;
  const char *names[] = { "n", "t", "i", "d", "s", "o", "a" };
  guint i = 0;

  g_assert_cmpint (koers_json_doc_kind (doc, 0), ==, KOERS_JSON_OBJECT);
  g_assert_cmpuint (koers_json_doc_size (doc, 0), ==, 7);
  for (member = koers_json_doc_first (doc, 0); member != KOERS_JSON_NONE;
       member = koers_json_doc_next (doc, member), i++)
    g_assert_cmpstr (koers_json_doc_name (doc, member), ==, names[i]);
  g_assert_cmpuint (i, ==, 7);
  g_assert_cmpint (koers_json_doc_kind (doc, koers_json_doc_member (doc, 0, "n")), ==,
                   KOERS_JSON_NULL);
  g_assert_true (koers_json_doc_get_boolean (doc, koers_json_doc_member (doc, 0, "t")));
  g_assert_cmpint (koers_json_doc_get_int (doc, koers_json_doc_member (doc, 0, "i")), ==, -3);
  g_assert_cmpfloat (koers_json_doc_get_double (doc, koers_json_doc_member (doc, 0, "d")), ==,
                     2.5);
  g_assert_cmpstr (koers_json_doc_get_string (doc, koers_json_doc_member (doc, 0, "s")), ==,
                   "\xc3\xa9");
  object = koers_json_doc_member (doc, 0, "o");
  g_assert_cmpint (koers_json_doc_get_int (doc, koers_json_doc_member (doc, object, "y")), ==, 2);
  list = koers_json_doc_member (doc, object, "x");
  g_assert_cmpuint (koers_json_doc_size (doc, list), ==, 3);
  member = koers_json_doc_next (doc, koers_json_doc_first (doc, list));
  g_assert_cmpint (koers_json_doc_kind (doc, member), ==, KOERS_JSON_ARRAY);
  g_assert_cmpuint (koers_json_doc_first (doc, member), ==, KOERS_JSON_NONE);
  member = koers_json_doc_next (doc, member);
  g_assert_cmpint (koers_json_doc_kind (doc, member), ==, KOERS_JSON_OBJECT);
  g_assert_cmpuint (koers_json_doc_next (doc, member), ==, KOERS_JSON_NONE);
  g_assert_null (koers_json_doc_name (doc, member));
  /* Missing, of another kind, out of range: nothing, never a crash or a critical. */
  g_assert_cmpuint (koers_json_doc_member (doc, 0, "missing"), ==, KOERS_JSON_NONE);
  g_assert_cmpuint (koers_json_doc_member (doc, list, "x"), ==, KOERS_JSON_NONE);
  g_assert_null (koers_json_doc_get_string (doc, koers_json_doc_member (doc, 0, "i")));
  g_assert_cmpint (koers_json_doc_get_int (doc, koers_json_doc_member (doc, 0, "s")), ==, 0);
  g_assert_cmpint (koers_json_doc_kind (doc, KOERS_JSON_NONE), ==, KOERS_JSON_NULL);
  g_assert_cmpuint (koers_json_doc_first (doc, koers_json_doc_member (doc, 0, "a")), ==,
                    KOERS_JSON_NONE);
  g_assert_null (koers_json_doc_parse (empty, 64, &error));
  g_assert_error (error, KOERS_JSON_PARSER_ERROR, KOERS_JSON_PARSER_ERROR_SYNTAX);
}

/* An object keeps its text when it is what a compact writer writes: no white space, no escape
 * but \" \\ \n \r \t, integers only (no "-0"). */
static void
test_kept_texts (void)
{
  static const char text[] =
    "{\"items\":[{\"a\":1,\"b\":\"x\\\"y\\n\",\"c\":[true,null,{}]},{ \"a\":1},"
    "{\"a\":\"\\u0041\"},{\"a\":\"\\/\"},{\"a\":-0},{\"a\":1.5},{\"a\":1,\"b\":2},"
    "{\"a\":{\"b\" :1}},{\"z\":-7,\"\xc3\xa9\":\"\xf0\x9f\x98\x80\"}], \"n\": {\"a\":1}}";
  static const char * const expected[] = {
    "{\"a\":1,\"b\":\"x\\\"y\\n\",\"c\":[true,null,{}]}", NULL, NULL, NULL, NULL, NULL,
    "{\"a\":1,\"b\":2}", NULL, "{\"z\":-7,\"\xc3\xa9\":\"\xf0\x9f\x98\x80\"}",
  };
  g_autoptr(KoersJsonDoc) doc = doc_ok (text);
  KoersJsonRef items = koers_json_doc_member (doc, 0, "items");
  KoersJsonRef item = koers_json_doc_first (doc, items);
  gsize length = 0;
  const char *kept;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++, item = koers_json_doc_next (doc, item))
    {
      g_autofree char *copy = NULL;

      kept = koers_json_doc_compact_text (doc, item, &length);
      copy = kept != NULL ? g_strndup (kept, length) : NULL;
      g_assert_cmpstr (copy, ==, expected[i]);
    }
  g_assert_cmpuint (item, ==, KOERS_JSON_NONE);
  /* The root had white space; the "n" object did not. */
  g_assert_null (koers_json_doc_compact_text (doc, 0, &length));
  kept = koers_json_doc_compact_text (doc, koers_json_doc_member (doc, 0, "n"), &length);
  g_assert_cmpmem (kept, length, "{\"a\":1}", 7);
  /* Only objects have one. */
  g_assert_null (koers_json_doc_compact_text (doc, items, &length));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-parser/values", test_values);
  g_test_add_func ("/json-parser/member-order-and-repeats", test_member_order_and_repeats);
  g_test_add_func ("/json-parser/numbers", test_numbers);
  g_test_add_func ("/json-parser/strings", test_strings);
  g_test_add_func ("/json-parser/encoding", test_encoding);
  g_test_add_func ("/json-parser/grammar", test_grammar);
  g_test_add_func ("/json-parser/depth", test_depth);
  g_test_add_func ("/json-parser/document", test_document);
  g_test_add_func ("/json-parser/kept-texts", test_kept_texts);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/koers-json-guard.h"

#include <string.h>

/* @depth nested arrays, opened and closed: "[[...]]". */
static char *
nested (guint depth, char open, char close)
{
  GString *text = g_string_sized_new (2 * depth);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, open);
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, close);
  return g_string_free (text, FALSE);
}

static gboolean
depth_ok (const char *text, guint max_depth)
{
  return koers_json_depth_ok (text, strlen (text), max_depth);
}

static void
test_limit (void)
{
  g_autofree char *arrays64 = nested (64, '[', ']');
  g_autofree char *arrays65 = nested (65, '[', ']');
  g_autofree char *objects65 = nested (65, '{', '}');

  g_assert_true (depth_ok (arrays64, 64));
  g_assert_false (depth_ok (arrays65, 64));
  g_assert_false (depth_ok (objects65, 64));
  g_assert_true (depth_ok ("{\"a\": [1, {\"b\": []}], \"c\": {}}", 4));
  g_assert_false (depth_ok ("{\"a\": [1, {\"b\": []}], \"c\": {}}", 3));
  /* Siblings do not add up: only the nesting counts. */
  g_assert_true (depth_ok ("[[], [], [], []]", 2));
  g_assert_true (koers_json_depth_ok (NULL, 0, 1));
}

static void
test_strings_not_counted (void)
{
  g_assert_true (depth_ok ("{\"a\": \"[[[[[[{{{{\"}", 1));
  g_assert_true (depth_ok ("{\"a\": \"]]]]\", \"b\": {}}", 2));
  /* A closing bracket inside a string must not lower the count either. */
  g_assert_false (depth_ok ("[\"]]]\", [[]]]", 2));
}

static void
test_escaped_quotes (void)
{
  /* \" does not end the string, so the brackets after it are still text. */
  g_assert_true (depth_ok ("{\"a\": \"x\\\"[[[[\"}", 1));
  /* \\ ends in a backslash; the quote after it does end the string. */
  g_assert_false (depth_ok ("{\"a\": \"x\\\\\", \"b\": [[]]}", 2));
  g_assert_true (depth_ok ("{\"a\": \"x\\\\\", \"b\": [[]]}", 3));
}

static void
test_hostile_depth (void)
{
  g_autofree char *text = g_malloc (100000);

  memset (text, '[', 100000);
  /* Refused on the raw bytes, without recursion: json-glib would overflow the stack here. */
  g_assert_false (koers_json_depth_ok (text, 100000, 64));
  g_assert_true (koers_json_depth_ok (text, 100000, 100000));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-guard/limit", test_limit);
  g_test_add_func ("/json-guard/strings-not-counted", test_strings_not_counted);
  g_test_add_func ("/json-guard/escaped-quotes", test_escaped_quotes);
  g_test_add_func ("/json-guard/hostile-depth", test_hostile_depth);

  return g_test_run ();
}

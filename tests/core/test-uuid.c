/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/koers-uuid.h"

#include <string.h>

/* A valid lowercase UUID of version 7, variant 10, that GLib reads as a UUID too. */
static void
test_shape (void)
{
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *id = koers_uuid_new_time_ordered ();

      g_assert_cmpuint (strlen (id), ==, 36);
      g_assert_true (g_uuid_string_is_valid (id));
      g_assert_cmpint (id[14], ==, '7');
      g_assert_nonnull (strchr ("89ab", id[19]));
      for (const char *p = id; *p != '\0'; p++)
        g_assert_true (*p == '-' || g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));
    }
}

/* The first 48 bits are the clock in milliseconds: an id made later sorts later, and the
 * random part makes ids of one millisecond differ. */
static void
test_time_ordered (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 before = g_get_real_time () / 1000;
  g_autofree char *first = koers_uuid_new_time_ordered ();
  g_autofree char *second = NULL;
  g_autofree char *hex = g_strndup (first, 8);
  guint64 stamp;

  g_assert_true (g_ascii_string_to_unsigned (hex, 16, 0, G_MAXUINT32, &stamp, NULL));
  stamp = (stamp << 16) | g_ascii_strtoull (first + 9, NULL, 16);
  g_assert_cmpuint (stamp, >=, (guint64) before);
  g_assert_cmpuint (stamp, <=, (guint64) (g_get_real_time () / 1000));
  g_usleep (2000);
  second = koers_uuid_new_time_ordered ();
  g_assert_cmpint (strcmp (first, second), <, 0);
  for (guint i = 0; i < 10000; i++)
    g_assert_true (g_hash_table_add (seen, koers_uuid_new_time_ordered ()));
}

/* Ids on the wire are lower-case UUIDs and nothing else: the one check, for the client and
 * the server alike. */
static void
test_is_valid (void)
{
  g_assert_true (koers_uuid_is_valid ("0b8f8c2e-1d2a-4c3b-8e4f-5a6b7c8d9e0f"));
  g_assert_false (koers_uuid_is_valid (NULL));
  g_assert_false (koers_uuid_is_valid (""));
  g_assert_false (koers_uuid_is_valid ("0B8F8C2E-1D2A-4C3B-8E4F-5A6B7C8D9E0F"));
  g_assert_false (koers_uuid_is_valid ("0b8f8c2e-1d2a-4c3b-8e4f-5a6b7c8d9e0"));
  g_assert_false (koers_uuid_is_valid ("0b8f8c2e-1d2a-4c3b-8e4f-5a6b7c8d9e0f0"));
  g_assert_false (koers_uuid_is_valid ("0b8f8c2e1d2a-4c3b-8e4f-5a6b7c8d9e0f-"));
  g_assert_false (koers_uuid_is_valid ("0b8f8c2e-1d2a-4c3b-8e4f-5a6b7c8d9e0g"));
  g_assert_false (koers_uuid_is_valid ("0b8f8c2e-1d2a-4c3b-8e4f 5a6b7c8d9e0f"));
  g_assert_false (koers_uuid_is_valid ("0b8f8c2e-1d2a-4c3b-8e4f-5a6b7c8d9e0f "));
}

/* An id's 16 bytes and back; only the 36 characters count, a short or malformed text is
 * refused. */
static void
test_parse_and_format (void)
{
  static const char *const refused[] = {
    "", "0b8f8c2e-1d2a-4c3b-8e4f-5a6b7c8d9e0", "0B8F8C2E-1D2A-4C3B-8E4F-5A6B7C8D9E0F",
    "0b8f8c2e1d2a-4c3b-8e4f-5a6b7c8d9e0f-", "0b8f8c2e-1d2a-4c3b-8e4f-5a6b7c8d9e0g",
  };
  guint8 bytes[16];
  char text[37] = { 0 };

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *id = i % 2 == 0 ? g_uuid_string_random () : koers_uuid_new_time_ordered ();

      g_assert_true (koers_uuid_parse (id, bytes));
      koers_uuid_format (bytes, text);
      g_assert_cmpstr (text, ==, id);
    }
  g_assert_true (koers_uuid_parse ("00000000-0000-0000-0000-000000000001 and more", bytes));
  for (guint i = 0; i < 15; i++)
    g_assert_cmpuint (bytes[i], ==, 0);
  g_assert_cmpuint (bytes[15], ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    g_assert_false (koers_uuid_parse (refused[i], bytes));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/uuid/shape", test_shape);
  g_test_add_func ("/uuid/time-ordered", test_time_ordered);
  g_test_add_func ("/uuid/is-valid", test_is_valid);
  g_test_add_func ("/uuid/parse-and-format", test_parse_and_format);
  return g_test_run ();
}

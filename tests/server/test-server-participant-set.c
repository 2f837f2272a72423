/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The participants a read carried, as the audit names them (koers-server-participant-set.h). */
#include "config.h"

#include "server/koers-server-participant-set.h"

#include "core/koers-uuid.h"

static const char first[] = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b";
static const char second[] = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2c";
static const char third[] = "ffffffff-ffff-ffff-ffff-ffffffffffff";

/* The set's list as text, freed when the test ends. */
static const char *
list_of (KoersServerParticipantSet *set)
{
  char *list = koers_server_participant_set_dup_list (set);

  g_test_queue_free (list);
  return list;
}

static void
test_once_in_order (void)
{
  g_autoptr(KoersServerParticipantSet) set = koers_server_participant_set_new (4);
  g_autofree char *expected = g_strjoin (" ", second, first, third, NULL);

  g_assert_cmpstr (list_of (set), ==, "");
  koers_server_participant_set_add (set, second);
  koers_server_participant_set_add (set, NULL);
  koers_server_participant_set_add (set, first);
  koers_server_participant_set_add (set, second);
  koers_server_participant_set_add (set, third);
  koers_server_participant_set_add (set, first);
  g_assert_cmpuint (koers_server_participant_set_get_size (set), ==, 3);
  g_assert_cmpstr (list_of (set), ==, expected);
  g_assert_cmpuint (koers_server_participant_set_get_others (set)->len, ==, 0);

  /* The same as 16 bytes an id, as SQLite's audit trail stores the list. */
  {
    const char *const in_order[] = { second, first, third };
    gsize length;
    const guint8 *ids = koers_server_participant_set_get_ids (set, &length);

    g_assert_cmpuint (length, ==, 3 * 16);
    for (guint i = 0; i < G_N_ELEMENTS (in_order); i++)
      {
        guint8 parsed[16];

        g_assert_true (koers_uuid_parse (in_order[i], parsed));
        g_assert_cmpmem (ids + 16 * i, 16, parsed, 16);
      }
  }

  /* One added after the text was asked for is in the next text too. */
  koers_server_participant_set_add (set, "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2d");
  g_assert_false (g_str_has_suffix (list_of (set), third));
  g_assert_true (g_str_has_suffix (list_of (set),
                                   " 0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2d"));
}

/* Only a lower-case UUID joins the list (its ids are the audit index's tokens); anything else
 * is kept apart, once each, in order. */
static void
test_others_apart (void)
{
  static const char *const others[] = {
    "0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B",   /* upper case */
    "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2",    /* 35 characters */
    "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2bb",  /* 37 */
    "0190a1b2c-3d4-7e5f-8a6b-7c8d9e0f1a2b",   /* a dash out of place */
    "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2g",   /* not a hex digit */
    "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2 ",   /* a space: a second token in the list */
    "",
    "deelnemer-1",
  };
  g_autoptr(KoersServerParticipantSet) set = koers_server_participant_set_new (4);
  GPtrArray *kept;

  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (others); i++)
      {
        koers_server_participant_set_add (set, others[i]);
        koers_server_participant_set_add (set, first);
      }
  g_assert_cmpstr (list_of (set), ==, first);
  g_assert_cmpuint (koers_server_participant_set_get_size (set), ==, G_N_ELEMENTS (others) + 1);
  kept = koers_server_participant_set_get_others (set);
  g_assert_cmpuint (kept->len, ==, G_N_ELEMENTS (others));
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    g_assert_cmpstr (g_ptr_array_index (kept, i), ==, others[i]);
}

/* Many more than a page, twice each, and ids made to fall into one slot (both halves equal):
 * each still named once, in the order first met. */
static void
test_many_and_colliding (void)
{
  g_autoptr(KoersServerParticipantSet) set = koers_server_participant_set_new (4);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *expected = NULL;

  for (guint i = 0; i < 3000; i++)
    g_ptr_array_add (ids, g_uuid_string_random ());
  for (guint i = 0; i < 700; i++)
    {
      g_autofree char *half = g_strdup_printf ("%016x", i * 2654435761u);

      g_ptr_array_add (ids, g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.4s%.8s", half, half + 8,
                                             half + 12, half, half + 4, half + 8));
    }
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < ids->len; i++)
      koers_server_participant_set_add (set, g_ptr_array_index (ids, i));
  g_ptr_array_add (ids, NULL);
  expected = g_strjoinv (" ", (char **) ids->pdata);
  g_assert_cmpuint (koers_server_participant_set_get_size (set), ==, 3700);
  g_assert_cmpstr (list_of (set), ==, expected);
  g_assert_cmpuint (koers_server_participant_set_get_others (set)->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-participant-set/once-in-order", test_once_in_order);
  g_test_add_func ("/server-participant-set/others-apart", test_others_apart);
  g_test_add_func ("/server-participant-set/many-and-colliding", test_many_and_colliding);
  return g_test_run ();
}

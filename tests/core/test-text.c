/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-text.h"

#include "storage/koers-repository-private.h"

#include <string.h>

static void
assert_fold_equal (const char *a, const char *b)
{
  g_autofree char *fa = koers_text_fold (a);
  g_autofree char *fb = koers_text_fold (b);

  g_assert_cmpstr (fa, ==, fb);
}

static void
test_normalize_nfc_and_trim (void)
{
  /* "Özdemir" typed with a combining diaeresis (NFD), surrounded by a no-break space. */
  g_autofree char *n = koers_text_normalize ("\xc2\xa0O\xcc\x88zdemir \t");

  g_assert_cmpstr (n, ==, "\xc3\x96zdemir");
  g_assert_null (koers_text_normalize (NULL));
}

static void
test_fold_latin (void)
{
  g_autofree char *celik = koers_text_fold ("ÇELİK");
  g_autofree char *strasse = koers_text_fold ("Straße");
  g_autofree char *spaces = koers_text_fold ("  Anna \t  de   Vries ");
  g_autofree char *empty = koers_text_fold (NULL);

  assert_fold_equal ("O\xcc\x88zdemir", "\xc3\x96zdemir"); /* NFD vs NFC */
  assert_fold_equal ("Özdemir", "ozdemir");
  assert_fold_equal ("Yıldız", "yildiz");
  assert_fold_equal ("Ｍｏｈａｍｅｄ", "mohamed"); /* full-width, from some keyboards */
  g_assert_cmpstr (celik, ==, "celik");
  g_assert_cmpstr (strasse, ==, "strasse");
  g_assert_cmpstr (spaces, ==, "anna de vries");
  g_assert_cmpstr (empty, ==, "");
}

static void
test_fold_distinct_names_stay_distinct (void)
{
  g_autofree char *a = koers_text_fold ("Jansen");
  g_autofree char *b = koers_text_fold ("Janssen");
  g_autofree char *c = koers_text_fold ("محمد");
  g_autofree char *d = koers_text_fold ("محمود");

  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (c, !=, d);
}

static void
test_fold_arabic (void)
{
  /* Muhammad with and without harakat (damma, fatha, shadda) and with tatweel. */
  assert_fold_equal ("مُحَمَّد", "محمد");
  assert_fold_equal ("محـــمد", "محمد");
  /* Hamza-alef variants: Ahmad, Islam, Amal, alef wasla. */
  assert_fold_equal ("أحمد", "احمد");
  assert_fold_equal ("إسلام", "اسلام");
  assert_fold_equal ("آمال", "امال");
  assert_fold_equal ("ٱلله", "الله");
  /* Alef maksura and ta marbuta: Mustafa, Fatima. */
  assert_fold_equal ("مصطفى", "مصطفي");
  assert_fold_equal ("فاطمة", "فاطمه");
  /* Superscript alef (U+0670) as in "هٰذا". */
  assert_fold_equal ("هٰذا", "هذا");
}

static void
assert_refused_with (const char *text, const char *code_point)
{
  char *reason = NULL;

  g_assert_false (koers_text_check_single_line (text, &reason));
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, code_point));
  g_free (reason);
}

static void
test_check_refuses_invisible (void)
{
  char *reason = NULL;

  assert_refused_with ("Anna\xe2\x80\xae" "reV", "U+202E");   /* right-to-left override */
  assert_refused_with ("Anna\xe2\x80\xaa", "U+202A");         /* left-to-right embedding */
  assert_refused_with ("\xe2\x81\xa7" "Anna", "U+2067");      /* right-to-left isolate */
  assert_refused_with ("\xe2\x81\xa9", "U+2069");             /* pop directional isolate */
  assert_refused_with ("An\xe2\x80\x8bna", "U+200B");         /* zero-width space */
  assert_refused_with ("An\xe2\x80\x8fna", "U+200F");         /* right-to-left mark */
  assert_refused_with ("\xef\xbb\xbf" "Anna", "U+FEFF");      /* BOM */
  assert_refused_with ("An\x01na", "U+0001");
  assert_refused_with ("An\xc2\x85na", "U+0085");             /* C1 next line */
  assert_refused_with ("Anna\nde Vries", "U+000A");
  assert_refused_with ("Anna\tde Vries", "U+0009");

  g_assert_false (koers_text_check_single_line ("An\xe2\x80\xaena", &reason));
  g_assert_nonnull (strstr (reason, "direction"));
  g_clear_pointer (&reason, g_free);

  g_assert_false (koers_text_check_single_line ("Anna\xff", &reason));
  g_assert_nonnull (strstr (reason, "UTF-8"));
  g_clear_pointer (&reason, g_free);
}

static void
test_check_accepts_real_names (void)
{
  const char *names[] = {
    "Anna de Vries", "Özdemir", "ÇELİK", "محمد الأحمد", "مُحَمَّد", "ሰላም ተስፋይ",
    "Nguyễn Thị Minh", "O’Brien-Smith", "Zoë", "Дмитрий", "ئارام",
  };
  char *reason = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (koers_text_check_single_line (names[i], &reason));
      g_assert_null (reason);
    }
  g_assert_true (koers_text_check_single_line (NULL, NULL));
}

static void
test_check_multi_line (void)
{
  char *reason = NULL;

  g_assert_true (koers_text_check_multi_line ("Gesprek gehad.\nVolgende week\tbellen.\r\n",
                                              &reason));
  g_assert_null (reason);
  g_assert_false (koers_text_check_multi_line ("Notitie\xe2\x80\xae", &reason));
  g_assert_nonnull (strstr (reason, "U+202E"));
  g_clear_pointer (&reason, g_free);
  g_assert_false (koers_text_check_multi_line ("bel\x07", &reason));
  g_assert_nonnull (strstr (reason, "U+0007"));
  g_clear_pointer (&reason, g_free);
}

/* The quick answer (no copy for ASCII) agrees with comparing against the normalized copy. */
static void
test_is_normalized (void)
{
  static const char *const texts[] = {
    "", "Jan", "Jan de Vries", " Jan", "Jan ", "\tJan", "Jan\n", "\r", " ", "a\vb",
    "Ay\xc5\x9f" "e", "Ayse\xcc\xa7" /* NFD */, "Jan\xc2\xa0" /* NBSP at the end */,
    "\xe2\x80\x83Jan" /* em space */, "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf",
    "Nguye\xcc\x82\xcc\x83n", "Nguy\xe1\xbb\x85n", "0612345678", "a  b",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *normalized = koers_text_normalize (texts[i]);

      g_test_message ("%s", texts[i]);
      g_assert_cmpint (koers_text_is_normalized (texts[i]), ==,
                       g_str_equal (normalized, texts[i]));
    }
  g_assert_true (koers_text_is_normalized ("Jan de Vries"));
  g_assert_false (koers_text_is_normalized ("Jan "));
  g_assert_false (koers_text_is_normalized ("Ayse\xcc\xa7"));
}

/* Plain ASCII takes a short route (fold_ascii); it must make the key the Unicode route makes.
 * "é" at the end sends the same text down the Unicode route and adds an "e" to its key; the
 * "Z" before it keeps white space at the end from adding a space. Every ASCII character, in
 * seeded random runs of white space, controls, letters and punctuation. */
static void
test_fold_ascii_route (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);

  assert_fold_equal ("  Anna\t\x01" "de \x0b\x7f Vries\r\n", "anna de vries");
  for (guint i = 0; i < 20000; i++)
    {
      GString *text = g_string_new (NULL);
      guint length = g_rand_int_range (rand, 0, 24);
      g_autofree char *plain = NULL;
      g_autofree char *accented = NULL;
      g_autofree char *short_key = NULL;
      g_autofree char *unicode_key = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *repository_short = NULL;
      g_autofree char *repository_unicode = NULL;

      for (guint k = 0; k < length; k++)
        {
          /* Half of them white space, controls or an upper-case letter; the rest any ASCII. */
          static const char common[] = " \t\n\f\r\x0b\x01\x1f\x7f" "AZ";

          if (g_rand_boolean (rand))
            g_string_append_c (text, common[g_rand_int_range (rand, 0, sizeof common - 1)]);
          else
            g_string_append_c (text, (char) g_rand_int_range (rand, 1, 128));
        }
      g_string_append_c (text, 'Z');
      plain = g_string_free (text, FALSE);
      accented = g_strconcat (plain, "\xc3\xa9", NULL);
      short_key = koers_text_fold (plain);
      unicode_key = koers_text_fold (accented);
      expected = g_strconcat (short_key, "e", NULL);
      g_assert_cmpstr (unicode_key, ==, expected);
      repository_short = koers_repository_fold (plain);
      repository_unicode = koers_repository_fold (accented);
      g_free (expected);
      expected = g_strconcat (repository_short, "e", NULL);
      g_assert_cmpstr (repository_unicode, ==, expected);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/normalize", test_normalize_nfc_and_trim);
  g_test_add_func ("/text/is-normalized", test_is_normalized);
  g_test_add_func ("/text/fold/latin", test_fold_latin);
  g_test_add_func ("/text/fold/distinct", test_fold_distinct_names_stay_distinct);
  g_test_add_func ("/text/fold/arabic", test_fold_arabic);
  g_test_add_func ("/text/fold/ascii-route", test_fold_ascii_route);
  g_test_add_func ("/text/check/refuses-invisible", test_check_refuses_invisible);
  g_test_add_func ("/text/check/accepts-names", test_check_accepts_real_names);
  g_test_add_func ("/text/check/multi-line", test_check_multi_line);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-i18n.h"

static void
assert_style (const char *language, KoersLocaleStyle expected)
{
  g_setenv ("LANGUAGE", language, TRUE);
  g_assert_cmpint (koers_locale_style_current (), ==, expected);
}

static void
test_style_from_languages (void)
{
  assert_style ("nl_NL", KOERS_LOCALE_STYLE_NL);
  assert_style ("ar_SY:en", KOERS_LOCALE_STYLE_AR);
  assert_style ("en_GB:nl", KOERS_LOCALE_STYLE_EN);
  /* A language Koers has no style for falls through to the next the user listed. */
  assert_style ("de_DE:nl_BE", KOERS_LOCALE_STYLE_NL);
  assert_style ("ti_ER", KOERS_LOCALE_STYLE_EN);
  g_unsetenv ("LANGUAGE");
}

static void
test_init_binds_localedir (void)
{
  g_setenv ("KOERS_LOCALEDIR", "/tmp/koers-test-locale", TRUE);
  koers_i18n_init ();
  g_assert_cmpstr (bindtextdomain (GETTEXT_PACKAGE, NULL), ==, "/tmp/koers-test-locale");
  g_assert_cmpstr (textdomain (NULL), ==, GETTEXT_PACKAGE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/i18n/style", test_style_from_languages);
  g_test_add_func ("/i18n/init", test_init_binds_localedir);

  return g_test_run ();
}

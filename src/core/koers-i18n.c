/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-i18n.h"

#include <locale.h>

void
koers_i18n_init (void)
{
  const char *localedir = g_getenv ("KOERS_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

KoersLocaleStyle
koers_locale_style_current (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_has_prefix (names[i], "nl"))
        return KOERS_LOCALE_STYLE_NL;
      if (g_str_has_prefix (names[i], "ar"))
        return KOERS_LOCALE_STYLE_AR;
      /* "C" and "POSIX" say nothing about the user's language; keep looking. */
      if (g_str_equal (names[i], "C") || g_str_equal (names[i], "POSIX"))
        continue;
      if (g_str_has_prefix (names[i], "en"))
        return KOERS_LOCALE_STYLE_EN;
    }
  return KOERS_LOCALE_STYLE_EN;
}

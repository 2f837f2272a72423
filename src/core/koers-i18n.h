/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-i18n.h: gettext set-up and the three display styles Koers formats numbers and dates in.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The plan's participant languages. Arabic uses the English digits and separators, isolated
 * (U+2066 ... U+2069) so they keep their order inside right-to-left text. */
typedef enum {
  KOERS_LOCALE_STYLE_NL,
  KOERS_LOCALE_STYLE_EN,
  KOERS_LOCALE_STYLE_AR,
} KoersLocaleStyle;

/* setlocale (LC_ALL, ""), binds the "koers" text domain to $KOERS_LOCALEDIR (tests, uninstalled
 * runs) or the installed LOCALEDIR, UTF-8. Call once, first thing in main(). */
void             koers_i18n_init (void);
/* The style of the first of the user's languages (g_get_language_names ()) that is nl* or ar*;
 * English otherwise. */
KoersLocaleStyle koers_locale_style_current (void);

/* Left-to-right isolate and pop directional isolate, for wrapping numbers in Arabic text. */
#define KOERS_LRI "\xe2\x81\xa6"
#define KOERS_PDI "\xe2\x81\xa9"

G_END_DECLS

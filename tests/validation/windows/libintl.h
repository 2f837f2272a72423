/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * <glib/gi18n.h> includes <libintl.h>. On Windows it comes from GNU gettext, which Debian does
 * not package for MinGW; these are GNU gettext's declarations of the functions GLib's and
 * Koers' translation macros call, so _() and friends are type-checked as on Windows.
 * Used only by tests/validation/check-windows-compile.py.
 */
#pragma once

char *gettext (const char *msgid);
char *dgettext (const char *domainname, const char *msgid);
char *dcgettext (const char *domainname, const char *msgid, int category);
char *ngettext (const char *msgid1, const char *msgid2, unsigned long int n);
char *dngettext (const char *domainname, const char *msgid1, const char *msgid2,
                 unsigned long int n);
char *dcngettext (const char *domainname, const char *msgid1, const char *msgid2,
                  unsigned long int n, int category);
char *textdomain (const char *domainname);
char *bindtextdomain (const char *domainname, const char *dirname);
char *bind_textdomain_codeset (const char *domainname, const char *codeset);

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-date.h: calendar dates as ISO "YYYY-MM-DD" strings (sortable text in SQLite) and
 * timestamps as ISO-8601 UTC "YYYY-MM-DDTHH:MM:SSZ".
 */
#pragma once

#include <glib.h>

#include "core/koers-i18n.h"

G_BEGIN_DECLS

#define KOERS_DATE_ERROR (koers_date_error_quark ())
typedef enum {
  KOERS_DATE_ERROR_EMPTY,
  KOERS_DATE_ERROR_MALFORMED,
  KOERS_DATE_ERROR_TWO_DIGIT_YEAR,
  KOERS_DATE_ERROR_IMPOSSIBLE,
} KoersDateError;

GQuark   koers_date_error_quark (void);

/* TRUE when @str is exactly "YYYY-MM-DD" and names a day that exists (year 1..9999). */
gboolean koers_date_is_valid_iso (const char *str);
/* TRUE when @str is exactly "YYYY-MM-DDTHH:MM:SSZ" with a valid date and time. */
gboolean koers_timestamp_is_valid_iso (const char *str);
/* Returns (transfer full): today's local date, or $KOERS_TODAY when that is a valid ISO date
 * (tests and screenshots pin the clock with it). */
char    *koers_date_today_iso (void);
/* The year of koers_date_today_iso (). */
int      koers_date_today_year (void);
/* Returns (transfer full): the current time in UTC, "YYYY-MM-DDTHH:MM:SSZ". */
char    *koers_timestamp_now_iso (void);
/* Returns (transfer full) (nullable): @iso for display: nl "28-11-2026", en "28/11/2026",
 * ar "28/11/2026" isolated left-to-right. NULL for NULL; an invalid @iso comes back as is. */
char    *koers_date_format (const char *iso, KoersLocaleStyle style);
/**
 * koers_date_parse_user:
 * @text: what the user typed: "28-11-2026", "28/11/2026", "28.11.2026", "2026-11-28"
 *   (day first whatever the style; the plan's users write dates day first)
 * @style: the display style (reserved; all styles accept the same forms)
 * @out_iso: (out) (transfer full): the ISO date
 *
 * Two-digit years are refused (is "26" 1926 or 2026?), as are days that do not exist, each
 * with a specific translated message.
 */
gboolean koers_date_parse_user (const char *text, KoersLocaleStyle style, char **out_iso,
                                GError **error);
/* Returns the translated month name, 1..12. */
const char *koers_date_month_name (int month);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-date.h"

#include <string.h>

G_DEFINE_QUARK (koers-date-error-quark, koers_date_error)

static const char * const month_names[] = {
  N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
  N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
};

const char *
koers_date_month_name (int month)
{
  g_return_val_if_fail (month >= 1 && month <= 12, "");
  return _(month_names[month - 1]);
}

static gboolean
all_digits (const char *s, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static int
parse_digits (const char *s, gsize n)
{
  int v = 0;

  for (gsize i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

static gboolean
dmy_valid (int day, int month, int year)
{
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1
         && day <= g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);
}

gboolean
koers_date_is_valid_iso (const char *str)
{
  if (str == NULL || strlen (str) != 10 || str[4] != '-' || str[7] != '-')
    return FALSE;
  if (!all_digits (str, 4) || !all_digits (str + 5, 2) || !all_digits (str + 8, 2))
    return FALSE;
  return dmy_valid (parse_digits (str + 8, 2), parse_digits (str + 5, 2), parse_digits (str, 4));
}

gboolean
koers_timestamp_is_valid_iso (const char *str)
{
  g_autofree char *date = NULL;

  if (str == NULL || strlen (str) != 20 || str[10] != 'T' || str[13] != ':' || str[16] != ':'
      || str[19] != 'Z')
    return FALSE;
  if (!all_digits (str + 11, 2) || !all_digits (str + 14, 2) || !all_digits (str + 17, 2))
    return FALSE;
  if (parse_digits (str + 11, 2) > 23 || parse_digits (str + 14, 2) > 59
      || parse_digits (str + 17, 2) > 59)
    return FALSE;
  date = g_strndup (str, 10);
  return koers_date_is_valid_iso (date);
}

char *
koers_date_today_iso (void)
{
  const char *pinned = g_getenv ("KOERS_TODAY");
  g_autoptr(GDateTime) now = NULL;

  if (pinned != NULL && koers_date_is_valid_iso (pinned))
    return g_strdup (pinned);
  now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%d");
}

int
koers_date_today_year (void)
{
  g_autofree char *today = koers_date_today_iso ();

  return parse_digits (today, 4);
}

char *
koers_timestamp_now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

char *
koers_date_format (const char *iso, KoersLocaleStyle style)
{
  if (iso == NULL)
    return NULL;
  if (!koers_date_is_valid_iso (iso))
    return g_strdup (iso);

  switch (style)
    {
    case KOERS_LOCALE_STYLE_NL:
      return g_strdup_printf ("%.2s-%.2s-%.4s", iso + 8, iso + 5, iso);
    case KOERS_LOCALE_STYLE_AR:
      return g_strdup_printf (KOERS_LRI "%.2s/%.2s/%.4s" KOERS_PDI, iso + 8, iso + 5, iso);
    case KOERS_LOCALE_STYLE_EN:
    default:
      return g_strdup_printf ("%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    }
}

/* Splits "a<sep>b<sep>c" into three runs of ASCII digits; the separator is one of - / . and
 * must be the same twice. */
static gboolean
split_three (const char *s, char parts[3][8], gsize lengths[3])
{
  char sep = '\0';
  guint part = 0;
  gsize len = 0;

  for (const char *p = s; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (len >= 7)
            return FALSE;
          parts[part][len++] = *p;
          continue;
        }
      if (*p != '-' && *p != '/' && *p != '.')
        return FALSE;
      if (sep == '\0')
        sep = *p;
      else if (sep != *p)
        return FALSE;
      if (len == 0 || part == 2)
        return FALSE;
      parts[part][len] = '\0';
      lengths[part++] = len;
      len = 0;
    }
  if (part != 2 || len == 0)
    return FALSE;
  parts[2][len] = '\0';
  lengths[2] = len;
  return TRUE;
}

gboolean
koers_date_parse_user (const char *text, KoersLocaleStyle style, char **out_iso, GError **error)
{
  g_autofree char *trimmed = NULL;
  char parts[3][8];
  gsize lengths[3];
  int day, month, year;

  g_return_val_if_fail (out_iso != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_iso = NULL;
  trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, KOERS_DATE_ERROR, KOERS_DATE_ERROR_EMPTY, _("Enter a date"));
      return FALSE;
    }
  if (!g_utf8_validate (trimmed, -1, NULL) || !split_three (trimmed, parts, lengths))
    {
      g_set_error (error, KOERS_DATE_ERROR, KOERS_DATE_ERROR_MALFORMED,
                   _("“%s” is not a date; write it as day-month-year, for example 28-11-2026"),
                   g_utf8_validate (trimmed, -1, NULL) ? trimmed : "?");
      return FALSE;
    }

  if (lengths[0] == 4 && lengths[1] <= 2 && lengths[2] <= 2)
    {
      year = parse_digits (parts[0], 4);
      month = parse_digits (parts[1], lengths[1]);
      day = parse_digits (parts[2], lengths[2]);
    }
  else if (lengths[0] <= 2 && lengths[1] <= 2 && lengths[2] == 4)
    {
      day = parse_digits (parts[0], lengths[0]);
      month = parse_digits (parts[1], lengths[1]);
      year = parse_digits (parts[2], 4);
    }
  else if (lengths[0] <= 2 && lengths[1] <= 2 && lengths[2] <= 2)
    {
      g_set_error (error, KOERS_DATE_ERROR, KOERS_DATE_ERROR_TWO_DIGIT_YEAR,
                   _("“%s”: write the year in full, for example 2026 instead of 26"), trimmed);
      return FALSE;
    }
  else
    {
      g_set_error (error, KOERS_DATE_ERROR, KOERS_DATE_ERROR_MALFORMED,
                   _("“%s” is not a date; write it as day-month-year, for example 28-11-2026"),
                   trimmed);
      return FALSE;
    }

  if (year < 1)
    {
      g_set_error (error, KOERS_DATE_ERROR, KOERS_DATE_ERROR_IMPOSSIBLE,
                   _("“%s”: there is no year 0"), trimmed);
      return FALSE;
    }
  if (month < 1 || month > 12)
    {
      g_set_error (error, KOERS_DATE_ERROR, KOERS_DATE_ERROR_IMPOSSIBLE,
                   _("“%s”: there is no month %d; months run from 1 to 12"), trimmed, month);
      return FALSE;
    }
  if (day < 1 || !dmy_valid (day, month, year))
    {
      int days = g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);

      g_set_error (error, KOERS_DATE_ERROR, KOERS_DATE_ERROR_IMPOSSIBLE,
                   /* TRANSLATORS: the date as typed, a month name, a year and the number of
                    * days in that month: "31-02-2026: February 2026 has 28 days" */
                   _("%s: %s %d has %d days"), trimmed, koers_date_month_name (month), year,
                   days);
      return FALSE;
    }

  *out_iso = g_strdup_printf ("%04d-%02d-%02d", year, month, day);
  return TRUE;
}

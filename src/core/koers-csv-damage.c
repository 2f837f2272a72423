/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-csv-damage.h"

#include "core/koers-csv-header.h"

#include <stdlib.h>
#include <string.h>

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static const char *
skip_digits (const char *s)
{
  while (g_ascii_isdigit (*s))
    s++;
  return s;
}

/* 6,12346E+08, 1.23457E+11, 6E8: what a spreadsheet shows for a number too wide for its cell. */
static gboolean
is_scientific (const char *value)
{
  const char *p = value;
  const char *q;

  if (*p == '+' || *p == '-')
    p++;
  q = skip_digits (p);
  if (q == p)
    return FALSE;
  p = q;
  if (*p == ',' || *p == '.')
    {
      q = skip_digits (p + 1);
      if (q == p + 1)
        return FALSE;
      p = q;
    }
  if (*p != 'E' && *p != 'e')
    return FALSE;
  p++;
  if (*p == '+' || *p == '-')
    p++;
  q = skip_digits (p);
  return q > p && *q == '\0';
}

/* "1990,0", "3,5": digits on both sides of one comma. */
static gboolean
has_decimal_comma (const char *value)
{
  const char *p = value;
  const char *q;

  if (*p == '-')
    p++;
  q = skip_digits (p);
  if (q == p || *q != ',')
    return FALSE;
  p = q + 1;
  q = skip_digits (p);
  return q > p && *q == '\0';
}

static char *
format_iso (int year, int month, int day)
{
  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

static gboolean
valid_dmy (int day, int month, int year)
{
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1
         && day <= g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);
}

/* Parses "D-M-YYYY" (also with '/' or '.'); *two_digit_year when the year has two digits. */
static gboolean
parse_dmy (const char *value, int *day, int *month, int *year, gboolean *two_digit_year)
{
  const char *p = value;
  const char *q;
  char sep;
  gsize year_len;

  q = skip_digits (p);
  if (q == p || q - p > 2 || (*q != '-' && *q != '/' && *q != '.'))
    return FALSE;
  sep = *q;
  *day = atoi (p);
  p = q + 1;
  q = skip_digits (p);
  if (q == p || q - p > 2 || *q != sep)
    return FALSE;
  *month = atoi (p);
  p = q + 1;
  q = skip_digits (p);
  year_len = (gsize) (q - p);
  if (*q != '\0' || (year_len != 4 && year_len != 2))
    return FALSE;
  *year = atoi (p);
  *two_digit_year = year_len == 2;
  return TRUE;
}

static gboolean
parse_iso (const char *value, int *year, int *month, int *day)
{
  if (strlen (value) != 10 || value[4] != '-' || value[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (value[i]))
      return FALSE;
  *year = atoi (value);
  *month = atoi (value + 5);
  *day = atoi (value + 8);
  return valid_dmy (*day, *month, *year);
}

/* Excel counts days from 1900-01-01 = 1 and treats 1900 as a leap year, so from serial 61 on
 * the day is 1899-12-30 plus the serial. Five digits span 1927-2173: every plausible date. */
static gboolean
parse_serial (const char *value, int *year, int *month, int *day)
{
  g_autoptr(GDateTime) epoch = NULL;
  g_autoptr(GDateTime) date = NULL;

  if (strlen (value) != 5 || !all_digits (value))
    return FALSE;
  epoch = g_date_time_new_utc (1899, 12, 30, 0, 0, 0);
  date = g_date_time_add_days (epoch, atoi (value));
  if (date == NULL)
    return FALSE;
  g_date_time_get_ymd (date, year, month, day);
  return TRUE;
}

gboolean
koers_csv_parse_date (const char *value, char **out_iso, gboolean *out_reinterpreted)
{
  int year, month, day;
  gboolean two_digit = FALSE;

  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (out_iso != NULL, FALSE);

  *out_iso = NULL;
  if (out_reinterpreted != NULL)
    *out_reinterpreted = FALSE;
  if (parse_iso (value, &year, &month, &day))
    {
      *out_iso = format_iso (year, month, day);
      return TRUE;
    }
  if ((parse_dmy (value, &day, &month, &year, &two_digit) && !two_digit
       && valid_dmy (day, month, year))
      || parse_serial (value, &year, &month, &day))
    {
      *out_iso = format_iso (year, month, day);
      if (out_reinterpreted != NULL)
        *out_reinterpreted = TRUE;
      return TRUE;
    }
  return FALSE;
}

static char *
check_phone (const char *value)
{
  gsize n = strlen (value);

  if (!all_digits (value))
    return NULL;
  /* Dutch numbers are ten digits with the trunk zero: 06 mobile, 0314 Doetinchem. */
  if (n == 9 && value[0] != '0')
    return g_strdup_printf (_("looks like 0%s that lost its leading zero in a spreadsheet; "
                              "confirm or correct it"), value);
  if (n == 11 && g_str_has_prefix (value, "31"))
    return g_strdup_printf (_("looks like +%s that lost its plus sign in a spreadsheet; "
                              "confirm or correct it"), value);
  return NULL;
}

static char *
check_date (KoersCsvField field, const char *value)
{
  g_autofree char *iso = NULL;
  gboolean reinterpreted = FALSE;
  int day, month, year;
  gboolean two_digit = FALSE;

  /* A bare year in a date-of-birth column is all Koers keeps anyway. */
  if (field == KOERS_CSV_FIELD_BIRTH_DATE && strlen (value) == 4 && all_digits (value))
    return NULL;
  if (parse_dmy (value, &day, &month, &year, &two_digit) && two_digit)
    return g_strdup_printf (_("the date \"%s\" has a two-digit year; write the year in full"),
                            value);
  if (!koers_csv_parse_date (value, &iso, &reinterpreted))
    return g_strdup_printf (_("\"%s\" is not a date Koers can read; write it as YYYY-MM-DD"),
                            value);
  if (!reinterpreted)
    return NULL;
  if (all_digits (value))
    return g_strdup_printf (_("%s looks like an Excel date serial number; it reads as %s: "
                              "confirm or correct it"), value, iso);
  /* Dutch offices write day-month-year; an American file would be month-day-year, and a
   * spreadsheet may have swapped them: the user must look. */
  return g_strdup_printf (_("the date \"%s\" is read as day-month-year: %s; confirm or "
                            "correct it"), value, iso);
}

char *
koers_csv_check_damage (KoersCsvField field, const char *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  if (*value == '\0' || field == KOERS_CSV_FIELD_NONE)
    return NULL;
  if (is_scientific (value))
    return g_strdup_printf (_("%s is in scientific notation: a spreadsheet shortened a long "
                              "number and digits are lost; take the value from the source"),
                            value);
  if (field == KOERS_CSV_FIELD_PHONE)
    return check_phone (value);
  if (koers_csv_field_is_date (field))
    return check_date (field, value);
  if (koers_csv_field_is_number (field) && has_decimal_comma (value))
    return g_strdup_printf (_("\"%s\" has a decimal comma, but this column holds whole "
                              "numbers; confirm or correct it"), value);
  if (value[0] == '=' && field != KOERS_CSV_FIELD_NOTES)
    return g_strdup_printf (_("\"%s\" looks like a spreadsheet formula; it is kept as text, "
                              "exactly as written"), value);
  return NULL;
}

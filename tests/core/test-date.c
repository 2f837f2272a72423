/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-date.h"

#include <string.h>

static void
test_is_valid_iso (void)
{
  g_assert_true (koers_date_is_valid_iso ("2026-11-28"));
  g_assert_true (koers_date_is_valid_iso ("2028-02-29"));
  g_assert_false (koers_date_is_valid_iso ("2026-02-29"));
  g_assert_false (koers_date_is_valid_iso ("2026-13-01"));
  g_assert_false (koers_date_is_valid_iso ("2026-00-10"));
  g_assert_false (koers_date_is_valid_iso ("2026-1-28"));
  g_assert_false (koers_date_is_valid_iso ("28-11-2026"));
  g_assert_false (koers_date_is_valid_iso ("2026-11-28T00:00:00Z"));
  g_assert_false (koers_date_is_valid_iso (""));
  g_assert_false (koers_date_is_valid_iso (NULL));

  g_assert_true (koers_timestamp_is_valid_iso ("2026-11-28T23:59:59Z"));
  g_assert_false (koers_timestamp_is_valid_iso ("2026-11-28T24:00:00Z"));
  g_assert_false (koers_timestamp_is_valid_iso ("2026-11-28 12:00:00"));
}

static void
test_today_pinned (void)
{
  g_autofree char *today = NULL;
  g_autofree char *now = koers_timestamp_now_iso ();

  g_setenv ("KOERS_TODAY", "2026-11-28", TRUE);
  today = koers_date_today_iso ();
  g_assert_cmpstr (today, ==, "2026-11-28");
  g_assert_cmpint (koers_date_today_year (), ==, 2026);
  g_clear_pointer (&today, g_free);

  /* A malformed pin is ignored: the real date is used. */
  g_setenv ("KOERS_TODAY", "tomorrow", TRUE);
  today = koers_date_today_iso ();
  g_assert_true (koers_date_is_valid_iso (today));
  g_unsetenv ("KOERS_TODAY");

  g_assert_true (koers_timestamp_is_valid_iso (now));
}

static void
test_format (void)
{
  g_autofree char *nl = koers_date_format ("2026-11-28", KOERS_LOCALE_STYLE_NL);
  g_autofree char *en = koers_date_format ("2026-11-28", KOERS_LOCALE_STYLE_EN);
  g_autofree char *ar = koers_date_format ("2026-01-02", KOERS_LOCALE_STYLE_AR);
  g_autofree char *bad = koers_date_format ("soon", KOERS_LOCALE_STYLE_NL);

  g_assert_cmpstr (nl, ==, "28-11-2026");
  g_assert_cmpstr (en, ==, "28/11/2026");
  g_assert_cmpstr (ar, ==, KOERS_LRI "02/01/2026" KOERS_PDI);
  g_assert_cmpstr (bad, ==, "soon");
  g_assert_null (koers_date_format (NULL, KOERS_LOCALE_STYLE_NL));
}

static void
assert_parses (const char *text, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = NULL;

  if (!koers_date_parse_user (text, KOERS_LOCALE_STYLE_NL, &iso, &error))
    g_error ("“%s” refused: %s", text, error->message);
  g_assert_cmpstr (iso, ==, expected);
}

static void
assert_refused (const char *text, KoersDateError code, const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = NULL;

  g_assert_false (koers_date_parse_user (text, KOERS_LOCALE_STYLE_EN, &iso, &error));
  g_assert_null (iso);
  g_assert_error (error, KOERS_DATE_ERROR, (int) code);
  if (strstr (error->message, in_message) == NULL)
    g_error ("“%s”: message “%s” lacks “%s”", text, error->message, in_message);
}

static void
test_parse_user (void)
{
  assert_parses ("28-11-2026", "2026-11-28");
  assert_parses ("28/11/2026", "2026-11-28");
  assert_parses ("28.11.2026", "2026-11-28");
  assert_parses ("2026-11-28", "2026-11-28");
  assert_parses (" 1-2-2026 ", "2026-02-01");
  assert_parses ("29-02-2028", "2028-02-29");

  assert_refused ("", KOERS_DATE_ERROR_EMPTY, "date");
  assert_refused ("28-11-26", KOERS_DATE_ERROR_TWO_DIGIT_YEAR, "2026");
  assert_refused ("31-02-2026", KOERS_DATE_ERROR_IMPOSSIBLE,
                  "31-02-2026: February 2026 has 28 days");
  assert_refused ("31-04-2026", KOERS_DATE_ERROR_IMPOSSIBLE, "April 2026 has 30 days");
  assert_refused ("00-04-2026", KOERS_DATE_ERROR_IMPOSSIBLE, "April");
  assert_refused ("12-13-2026", KOERS_DATE_ERROR_IMPOSSIBLE, "month 13");
  assert_refused ("28-11/2026", KOERS_DATE_ERROR_MALFORMED, "28-11/2026");
  assert_refused ("tomorrow", KOERS_DATE_ERROR_MALFORMED, "day-month-year");
  assert_refused ("45323", KOERS_DATE_ERROR_MALFORMED, "45323");  /* an Excel serial */
  assert_refused ("2026-11", KOERS_DATE_ERROR_MALFORMED, "2026-11");
  assert_refused ("28-11-20261", KOERS_DATE_ERROR_MALFORMED, "28-11-20261");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/date/is-valid-iso", test_is_valid_iso);
  g_test_add_func ("/date/today", test_today_pinned);
  g_test_add_func ("/date/format", test_format);
  g_test_add_func ("/date/parse-user", test_parse_user);

  return g_test_run ();
}

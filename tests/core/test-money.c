/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-money.h"

#include <string.h>

static void
assert_format (gint64 cents, KoersLocaleStyle style, const char *expected)
{
  g_autofree char *s = koers_money_format (cents, style);

  g_assert_cmpstr (s, ==, expected);
}

static void
test_format_nl (void)
{
  assert_format (0, KOERS_LOCALE_STYLE_NL, "€ 0,00");
  assert_format (1, KOERS_LOCALE_STYLE_NL, "€ 0,01");
  assert_format (123456, KOERS_LOCALE_STYLE_NL, "€ 1.234,56");
  assert_format (-123456, KOERS_LOCALE_STYLE_NL, "€ -1.234,56");
  assert_format (-1, KOERS_LOCALE_STYLE_NL, "€ -0,01");
  assert_format (91575000, KOERS_LOCALE_STYLE_NL, "€ 915.750,00");
  assert_format (100000, KOERS_LOCALE_STYLE_NL, "€ 1.000,00");
  assert_format (99999, KOERS_LOCALE_STYLE_NL, "€ 999,99");
  assert_format (G_MAXINT64, KOERS_LOCALE_STYLE_NL, "€ 92.233.720.368.547.758,07");
  assert_format (G_MININT64, KOERS_LOCALE_STYLE_NL, "€ -92.233.720.368.547.758,08");
}

static void
test_format_en_ar (void)
{
  assert_format (0, KOERS_LOCALE_STYLE_EN, "€0.00");
  assert_format (1, KOERS_LOCALE_STYLE_EN, "€0.01");
  assert_format (123456, KOERS_LOCALE_STYLE_EN, "€1,234.56");
  assert_format (-123456, KOERS_LOCALE_STYLE_EN, "-€1,234.56");
  assert_format (G_MAXINT64, KOERS_LOCALE_STYLE_EN, "€92,233,720,368,547,758.07");
  assert_format (G_MININT64, KOERS_LOCALE_STYLE_EN, "-€92,233,720,368,547,758.08");
  assert_format (123456, KOERS_LOCALE_STYLE_AR, KOERS_LRI "€1,234.56" KOERS_PDI);
  assert_format (-5, KOERS_LOCALE_STYLE_AR, KOERS_LRI "-€0.05" KOERS_PDI);
}

static gint64
parse_ok (const char *text, KoersLocaleStyle style)
{
  g_autoptr(GError) error = NULL;
  gint64 cents = -42;

  if (!koers_money_parse (text, style, &cents, &error))
    g_error ("“%s” refused: %s", text, error->message);
  return cents;
}

static void
assert_refused (const char *text, KoersLocaleStyle style, KoersMoneyError code)
{
  g_autoptr(GError) error = NULL;
  gint64 cents = 42;

  g_assert_false (koers_money_parse (text, style, &cents, &error));
  g_assert_error (error, KOERS_MONEY_ERROR, (int) code);
  g_assert_cmpint (cents, ==, 0);
}

static void
test_parse_nl (void)
{
  KoersLocaleStyle nl = KOERS_LOCALE_STYLE_NL;

  g_assert_cmpint (parse_ok ("1234", nl), ==, 123400);
  g_assert_cmpint (parse_ok ("1.234,56", nl), ==, 123456);
  g_assert_cmpint (parse_ok ("€ 12,5", nl), ==, 1250);
  g_assert_cmpint (parse_ok ("€12,05", nl), ==, 1205);
  g_assert_cmpint (parse_ok ("-3,10", nl), ==, -310);
  g_assert_cmpint (parse_ok ("€ -3,10", nl), ==, -310);
  g_assert_cmpint (parse_ok ("-€ 3,10", nl), ==, -310);
  g_assert_cmpint (parse_ok ("  1.000.000 ", nl), ==, 100000000);
  g_assert_cmpint (parse_ok (",50", nl), ==, 50);
  g_assert_cmpint (parse_ok ("0", nl), ==, 0);
  g_assert_cmpint (parse_ok ("EUR 10", nl), ==, 1000);
}

static void
test_parse_en (void)
{
  KoersLocaleStyle en = KOERS_LOCALE_STYLE_EN;

  g_assert_cmpint (parse_ok ("1,234.56", en), ==, 123456);
  g_assert_cmpint (parse_ok ("€12.5", en), ==, 1250);
  g_assert_cmpint (parse_ok ("-€1,234.56", en), ==, -123456);
  g_assert_cmpint (parse_ok ("١٢٣٤٫٥٠", KOERS_LOCALE_STYLE_AR), ==, 123450);
  g_assert_cmpint (parse_ok (KOERS_LRI "€1,234.56" KOERS_PDI, KOERS_LOCALE_STYLE_AR), ==,
                   123456);
}

static void
test_parse_refuses (void)
{
  KoersLocaleStyle nl = KOERS_LOCALE_STYLE_NL;
  KoersLocaleStyle en = KOERS_LOCALE_STYLE_EN;
  g_autoptr(GError) error = NULL;
  gint64 cents;

  assert_refused ("", nl, KOERS_MONEY_ERROR_EMPTY);
  assert_refused ("   ", nl, KOERS_MONEY_ERROR_EMPTY);
  assert_refused ("abc", nl, KOERS_MONEY_ERROR_MALFORMED);
  assert_refused ("12 euro", nl, KOERS_MONEY_ERROR_MALFORMED);
  assert_refused ("€", nl, KOERS_MONEY_ERROR_MALFORMED);
  assert_refused ("-", nl, KOERS_MONEY_ERROR_MALFORMED);
  assert_refused ("1-2", nl, KOERS_MONEY_ERROR_MALFORMED);
  assert_refused ("1,2,3", nl, KOERS_MONEY_ERROR_MALFORMED);
  assert_refused ("12,", nl, KOERS_MONEY_ERROR_MALFORMED);
  assert_refused ("1.5", nl, KOERS_MONEY_ERROR_AMBIGUOUS);        /* a decimal point in Dutch */
  assert_refused ("1,234.56", nl, KOERS_MONEY_ERROR_AMBIGUOUS);   /* English-style in Dutch */
  assert_refused ("12,5", en, KOERS_MONEY_ERROR_AMBIGUOUS);
  assert_refused ("1.234,56", en, KOERS_MONEY_ERROR_AMBIGUOUS);
  assert_refused ("12,345", nl, KOERS_MONEY_ERROR_TOO_MANY_DECIMALS);
  assert_refused ("1.2345.678", nl, KOERS_MONEY_ERROR_AMBIGUOUS);
  assert_refused ("92233720368547758,08", nl, KOERS_MONEY_ERROR_OVERFLOW);
  assert_refused ("99999999999999999999999", nl, KOERS_MONEY_ERROR_OVERFLOW);

  /* The message quotes the input and says what to write. */
  g_assert_false (koers_money_parse ("1.5", nl, &cents, &error));
  g_assert_nonnull (strstr (error->message, "“1.5”"));
  g_assert_nonnull (strstr (error->message, "12,50"));
}

static void
test_round_trip (void)
{
  const gint64 values[] = { 0, 1, -1, 99, 100, 123456, -123456, 91575000, 540269605,
                            G_MAXINT64, G_MININT64, G_MAXINT64 - 1, G_MININT64 + 1 };

  for (guint s = 0; s <= KOERS_LOCALE_STYLE_AR; s++)
    for (guint i = 0; i < G_N_ELEMENTS (values); i++)
      {
        g_autofree char *text = koers_money_format (values[i], s);

        g_assert_cmpint (parse_ok (text, s), ==, values[i]);
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/format/nl", test_format_nl);
  g_test_add_func ("/money/format/en-ar", test_format_en_ar);
  g_test_add_func ("/money/parse/nl", test_parse_nl);
  g_test_add_func ("/money/parse/en", test_parse_en);
  g_test_add_func ("/money/parse/refuses", test_parse_refuses);
  g_test_add_func ("/money/round-trip", test_round_trip);

  return g_test_run ();
}

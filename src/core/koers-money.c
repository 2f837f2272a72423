/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-money.h"

#include <string.h>

G_DEFINE_QUARK (koers-money-error-quark, koers_money_error)

#define EURO "\xe2\x82\xac"

static char
group_separator (KoersLocaleStyle style)
{
  return style == KOERS_LOCALE_STYLE_NL ? '.' : ',';
}

static char
decimal_separator (KoersLocaleStyle style)
{
  return style == KOERS_LOCALE_STYLE_NL ? ',' : '.';
}

char *
koers_money_format (gint64 cents, KoersLocaleStyle style)
{
  /* Magnitude as unsigned so G_MININT64 has one too. */
  guint64 magnitude = cents < 0 ? (guint64) 0 - (guint64) cents : (guint64) cents;
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude / 100);
  gsize n = strlen (digits);
  g_autoptr(GString) number = g_string_new (NULL);
  gboolean negative = cents < 0;

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (number, group_separator (style));
      g_string_append_c (number, digits[i]);
    }
  g_string_append_printf (number, "%c%02u", decimal_separator (style),
                          (guint) (magnitude % 100));

  switch (style)
    {
    case KOERS_LOCALE_STYLE_NL:
      return g_strdup_printf (EURO " %s%s", negative ? "-" : "", number->str);
    case KOERS_LOCALE_STYLE_AR:
      return g_strdup_printf (KOERS_LRI "%s" EURO "%s" KOERS_PDI, negative ? "-" : "",
                              number->str);
    case KOERS_LOCALE_STYLE_EN:
    default:
      return g_strdup_printf ("%s" EURO "%s", negative ? "-" : "", number->str);
    }
}

/* Rewrites @text to ASCII the parser understands: Arabic-Indic and extended Arabic-Indic digits
 * become 0-9, the Arabic decimal and thousands separators become . and ,, the minus sign
 * U+2212 becomes '-', all white space (no-break space included) and the LRI/PDI isolates
 * koers_money_format () adds are dropped, "EUR" and "€" are dropped once. */
static char *
simplify (const char *text, gboolean *out_had_other)
{
  GString *out = g_string_new (NULL);

  *out_had_other = FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x2066 || c == 0x2069 || c == 0x200E || c == 0x200F
          || c == 0x20AC)
        continue;
      if (c >= 0x0660 && c <= 0x0669)
        g_string_append_c (out, (char) ('0' + (c - 0x0660)));
      else if (c >= 0x06F0 && c <= 0x06F9)
        g_string_append_c (out, (char) ('0' + (c - 0x06F0)));
      else if (c == 0x066B)
        g_string_append_c (out, '.');
      else if (c == 0x066C)
        g_string_append_c (out, ',');
      else if (c == 0x2212)
        g_string_append_c (out, '-');
      else if (c < 0x80 && (g_ascii_isdigit ((char) c) || strchr ("+-.,", (int) c) != NULL))
        g_string_append_c (out, (char) c);
      else if (c == 'E' || c == 'e')
        {
          if (g_ascii_strncasecmp (p, "EUR", 3) != 0)
            *out_had_other = TRUE;
          else
            p += 2;
        }
      else
        *out_had_other = TRUE;
    }
  return g_string_free (out, FALSE);
}

static gboolean
fail (GError **error, KoersMoneyError code, const char *text, const char *why)
{
  /* TRANSLATORS: "“1.5” is not an amount: <why>" */
  g_set_error (error, KOERS_MONEY_ERROR, code, _("“%s” is not an amount: %s"), text, why);
  return FALSE;
}

/* Checks thousands separators in @integer (digits and @group only): groups of three after the
 * first group of one to three digits. */
static gboolean
groups_valid (const char *integer, char group)
{
  g_auto(GStrv) parts = g_strsplit (integer, (char[]) { group, '\0' }, -1);
  guint n = g_strv_length (parts);

  for (guint i = 0; i < n; i++)
    {
      gsize len = strlen (parts[i]);

      if (i == 0 ? (len < 1 || len > 3) : len != 3)
        return FALSE;
    }
  return TRUE;
}

gboolean
koers_money_parse (const char *text, KoersLocaleStyle style, gint64 *out_cents, GError **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *simple = NULL;
  g_autofree char *integer = NULL;
  const char *p;
  const char *decimal;
  const char *fraction = "";
  char group = group_separator (style);
  char dec = decimal_separator (style);
  gboolean negative = FALSE;
  gboolean had_other = FALSE;
  guint64 magnitude = 0;
  guint64 limit;

  g_return_val_if_fail (out_cents != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_cents = 0;
  trimmed = g_strstrip (g_utf8_make_valid (text != NULL ? text : "", -1));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, KOERS_MONEY_ERROR, KOERS_MONEY_ERROR_EMPTY,
                           _("Enter an amount"));
      return FALSE;
    }

  simple = simplify (trimmed, &had_other);
  if (had_other)
    return fail (error, KOERS_MONEY_ERROR_MALFORMED, trimmed,
                 _("use only digits, a sign, separators and €"));

  p = simple;
  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  if (*p == '\0')
    return fail (error, KOERS_MONEY_ERROR_MALFORMED, trimmed, _("there are no digits"));
  if (strpbrk (p, "+-") != NULL)
    return fail (error, KOERS_MONEY_ERROR_MALFORMED, trimmed,
                 _("a sign may only stand at the start"));

  decimal = strrchr (p, dec);
  if (decimal != NULL)
    {
      fraction = decimal + 1;
      if (strchr (p, dec) != decimal)
        return fail (error, KOERS_MONEY_ERROR_MALFORMED, trimmed,
                     style == KOERS_LOCALE_STYLE_NL
                       ? _("it has more than one decimal comma")
                       : _("it has more than one decimal point"));
      if (strchr (fraction, group) != NULL)
        return fail (error, KOERS_MONEY_ERROR_AMBIGUOUS, trimmed,
                     style == KOERS_LOCALE_STYLE_NL
                       ? _("write thousands with a point and cents after a comma, as in 1.234,56")
                       : _("write thousands with a comma and cents after a point, as in 1,234.56"));
      if (*fraction == '\0')
        return fail (error, KOERS_MONEY_ERROR_MALFORMED, trimmed,
                     _("write the cents after the separator or leave it out"));
      if (strlen (fraction) > 2)
        return fail (error, KOERS_MONEY_ERROR_TOO_MANY_DECIMALS, trimmed,
                     _("an amount has at most two decimals (cents)"));
      integer = g_strndup (p, (gsize) (decimal - p));
    }
  else
    integer = g_strdup (p);

  /* ",50" is fifty cents: an empty integer part is zero and the loop below adds nothing. */
  if (strchr (integer, group) != NULL && !groups_valid (integer, group))
    /* "1.5" in Dutch or "12,5" in English: the user probably meant a decimal, but it is a
     * thousands separator in this style, so refuse rather than guess a factor of 1000. */
    return fail (error, KOERS_MONEY_ERROR_AMBIGUOUS, trimmed,
                 style == KOERS_LOCALE_STYLE_NL
                   ? _("a point separates thousands in groups of three; write cents after a "
                       "comma, as in 12,50")
                   : _("a comma separates thousands in groups of three; write cents after a "
                       "point, as in 12.50"));

  /* Negative amounts may reach G_MININT64, one more than G_MAXINT64. */
  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
  for (const char *q = integer; *q != '\0'; q++)
    {
      if (*q == group)
        continue;
      if (magnitude > (limit - (guint64) (*q - '0')) / 10)
        goto overflow;
      magnitude = magnitude * 10 + (guint64) (*q - '0');
    }
  if (magnitude > limit / 100)
    goto overflow;
  magnitude *= 100;
  {
    guint64 cents = 0;

    if (fraction[0] != '\0')
      cents = (guint64) (fraction[0] - '0') * 10;
    if (fraction[0] != '\0' && fraction[1] != '\0')
      cents += (guint64) (fraction[1] - '0');
    if (magnitude > limit - cents)
      goto overflow;
    magnitude += cents;
  }

  *out_cents = negative ? (gint64) ((guint64) 0 - magnitude) : (gint64) magnitude;
  return TRUE;

overflow:
  return fail (error, KOERS_MONEY_ERROR_OVERFLOW, trimmed, _("the amount is too large"));
}

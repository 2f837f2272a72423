/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-csv-privacy.h"

#include "core/koers-bsn.h"
#include "core/koers-csv-header.h"

#include <string.h>

/* Words (after koers_csv_header_key on each word) that mark a BSN column on their own. */
static const char *const bsn_words[] = {
  "bsn", "bsnnummer", "bsnnr", "burgerservicenummer", "burgerservicenr", "sofi",
  "sofinummer", "sofinr", "citizenservicenumber", "socialsecuritynumber", "ssn",
};

static gboolean
is_bsn_word (const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bsn_words); i++)
    if (strcmp (key, bsn_words[i]) == 0)
      return TRUE;
  return g_str_has_prefix (key, "burgerservice");
}

gboolean
koers_csv_header_is_bsn (const char *header)
{
  g_autofree char *whole = NULL;
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (header != NULL, FALSE);

  /* The whole header with spacing removed ("Burger service nummer"), then each word, so "BSN
   * deelnemer" is caught but "Jobsnelheid" (which contains "bsn") is not. */
  whole = koers_csv_header_key (header);
  if (is_bsn_word (whole))
    return TRUE;
  words = g_regex_split_simple ("[^[:alnum:]]+", header, G_REGEX_OPTIMIZE, 0);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *key = koers_csv_header_key (words[i]);

      if (*key != '\0' && is_bsn_word (key))
        return TRUE;
    }
  return FALSE;
}

/* Writes the digits of @value to @digits (10 bytes) when it is 8 or 9 digits with at most
 * spaces, dots or dashes between them; FALSE otherwise. */
static gboolean
collect_digits (const char *value, char digits[10])
{
  gsize n = 0;
  const char *p = value;

  while (*p == ' ')
    p++;
  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (n == 9)
            return FALSE;
          digits[n++] = *p;
        }
      else if (*p != ' ' && *p != '.' && *p != '-')
        return FALSE;
    }
  if (n == 8)
    {
      memmove (digits + 1, digits, 8);
      digits[0] = '0';
      n = 9;
    }
  digits[n] = '\0';
  return n == 9;
}

gboolean
koers_csv_value_is_bsn (const char *value)
{
  char digits[10];

  g_return_val_if_fail (value != NULL, FALSE);

  return collect_digits (value, digits) && koers_bsn_is_elfproef (digits);
}

void
koers_csv_bsn_count_add (KoersCsvBsnCount *count, const char *value)
{
  char digits[10];

  g_return_if_fail (count != NULL);
  g_return_if_fail (value != NULL);

  if (!collect_digits (value, digits))
    return;
  count->n_numbers++;
  if (koers_bsn_is_elfproef (digits))
    count->n_valid++;
}

gboolean
koers_csv_bsn_count_is_bsn_column (const KoersCsvBsnCount *count)
{
  g_return_val_if_fail (count != NULL, FALSE);

  return count->n_valid > KOERS_CSV_BSN_MIN_ROWS && count->n_valid * 2 >= count->n_numbers;
}

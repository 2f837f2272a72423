/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-bsn.h"

static gboolean
elfproef (const char *digits)
{
  int sum = 0;
  gboolean all_zero = TRUE;

  for (int i = 0; i < 9; i++)
    {
      int d;

      if (!g_ascii_isdigit (digits[i]))
        return FALSE;
      d = digits[i] - '0';
      if (d != 0)
        all_zero = FALSE;
      sum += (i < 8 ? 9 - i : -1) * d;
    }
  return !all_zero && sum % 11 == 0;
}

gboolean
koers_bsn_is_elfproef (const char *nine_digits)
{
  g_return_val_if_fail (nine_digits != NULL, FALSE);

  for (int i = 0; i < 9; i++)
    if (!g_ascii_isdigit (nine_digits[i]))
      return FALSE;
  return nine_digits[9] == '\0' && elfproef (nine_digits);
}

const char *
koers_text_find_bsn_like (const char *text)
{
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  p = text;
  while (*p != '\0')
    {
      const char *run = p;
      gsize n = 0;

      if (!g_ascii_isdigit (*p))
        {
          p++;
          continue;
        }
      while (g_ascii_isdigit (run[n]))
        n++;
      if (n == 9 && elfproef (run))
        return run;
      p = run + n;
    }
  return NULL;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/koers-uuid.h"

char *
koers_uuid_new_time_ordered (void)
{
  guint64 ms = (guint64) (g_get_real_time () / 1000);
  guint8 b[16];

  for (guint i = 0; i < 6; i++)
    b[i] = (guint8) (ms >> (8 * (5 - i)));
  for (guint i = 6; i < 16; i += 2)
    {
      guint32 r = g_random_int ();

      b[i] = (guint8) r;
      b[i + 1] = (guint8) (r >> 8);
    }
  b[6] = (guint8) (0x70 | (b[6] & 0x0f));   /* version 7 */
  b[8] = (guint8) (0x80 | (b[8] & 0x3f));   /* variant 10 */
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                          b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* One pass over the characters: this runs over every id of every request. */
gboolean
koers_uuid_is_valid (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      char c = text[i];

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (c != '-')
            return FALSE;
        }
      else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
        return FALSE;
    }
  return text[36] == '\0';
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

gboolean
koers_uuid_parse (const char *text, guint8 bytes[16])
{
  guint n = 0;

  g_return_val_if_fail (text != NULL && bytes != NULL, FALSE);

  /* Character by character, so a text that ends early stops at its NUL. */
  for (guint i = 0; i < 36; i++)
    {
      int high, low;

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
          continue;
        }
      high = hex_digit (text[i]);
      if (high < 0)
        return FALSE;
      low = hex_digit (text[++i]);
      if (low < 0)
        return FALSE;
      bytes[n++] = (guint8) (high << 4 | low);
    }
  return TRUE;
}

void
koers_uuid_format (const guint8 bytes[16], char text[36])
{
  static const char digits[] = "0123456789abcdef";
  guint at = 0;

  g_return_if_fail (bytes != NULL && text != NULL);

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        text[at++] = '-';
      text[at++] = digits[bytes[i] >> 4];
      text[at++] = digits[bytes[i] & 0xf];
    }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/koers-uuid.h"

#include <string.h>

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

/* A hex digit's value with 0x10 set; 0 for any other byte (lower-case digits only, as the
 * wire has them). */
static const guint8 hex_value[256] = {
  ['0'] = 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19,
  ['a'] = 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

/* Where an id's 32 digits stand. */
static const guint8 digit_at[32] = {
  0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17,
  19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
};

/* Without a branch a digit: this runs for every id of every request and every item of every
 * feed page (the server's audit reads them into their bytes). */
gboolean
koers_uuid_parse (const char *text, guint8 bytes[16])
{
  const guchar *p = (const guchar *) text;
  guint8 all = 0x10;

  g_return_val_if_fail (text != NULL && bytes != NULL, FALSE);

  /* 36 bytes before any NUL (memchr stops at the first one, C11 7.24.5.1). */
  if (memchr (text, '\0', 36) != NULL
      || p[8] != '-' || p[13] != '-' || p[18] != '-' || p[23] != '-')
    return FALSE;
  for (guint i = 0; i < 16; i++)
    {
      guint8 high = hex_value[p[digit_at[2 * i]]];
      guint8 low = hex_value[p[digit_at[2 * i + 1]]];

      all &= high & low;
      bytes[i] = (guint8) ((high & 0xf) << 4 | (low & 0xf));
    }
  return all != 0;
}

gboolean
koers_uuid_is_valid (const char *text)
{
  guint8 bytes[16];

  return text != NULL && koers_uuid_parse (text, bytes) && text[36] == '\0';
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

void
koers_uuid_format_list (const guint8 *ids, gsize n_ids, char *text)
{
  g_return_if_fail (n_ids == 0 || (ids != NULL && text != NULL));

  for (gsize i = 0; i < n_ids; i++)
    {
      koers_uuid_format (ids + 16 * i, text + 37 * i);
      if (i + 1 < n_ids)
        text[37 * i + 36] = ' ';
    }
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-utf8.h: UTF-8 checked inline, for the scanners that already look at every byte (the
 * strict JSON reader, the server's check of stored fields) and would pay for a second pass.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The length of the UTF-8 sequence at @p (a byte >= 0x80; @end past the last byte that may be
 * read), or 0 when it is not one: RFC 3629, so no overlong forms, no surrogates, nothing past
 * U+10FFFF. */
static inline guint
koers_utf8_sequence_length (const guchar *p, const guchar *end)
{
  guchar lo = 0x80, hi = 0xbf;
  guint n;

  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    n = 2;
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
    {
      n = 3;
      if (p[0] == 0xe0)
        lo = 0xa0;
      else if (p[0] == 0xed)
        hi = 0x9f;
    }
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
    {
      n = 4;
      if (p[0] == 0xf0)
        lo = 0x90;
      else if (p[0] == 0xf4)
        hi = 0x8f;
    }
  else
    return 0;
  if ((gsize) (end - p) < n || p[1] < lo || p[1] > hi)
    return 0;
  for (guint i = 2; i < n; i++)
    if (p[i] < 0x80 || p[i] > 0xbf)
      return 0;
  return n;
}

G_END_DECLS

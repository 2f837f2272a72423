/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/koers-json-guard.h"

/**
 * koers_json_depth_ok:
 * @data: (array length=length) (nullable): raw JSON text, not necessarily NUL-terminated
 * @length: the number of bytes in @data
 * @max_depth: the deepest allowed nesting; a top-level object or array counts as 1
 *
 * Checks that no array or object in @data nests deeper than @max_depth. Brackets inside
 * strings do not count, and an escaped character is skipped whole so \" never ends a string.
 * Linear and never recursive, so it is safe on hostile input of any depth.
 *
 * Returns: %TRUE when the nesting stays within @max_depth.
 */
gboolean
koers_json_depth_ok (const char *data,
                     gsize       length,
                     guint       max_depth)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;   /* the escaped character can never end the string */
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

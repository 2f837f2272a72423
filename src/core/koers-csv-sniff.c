/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/koers-csv-sniff.h"

/* Rows compared per candidate: enough to tell, few enough to stay within the first chunk. */
#define SNIFF_ROWS 30

gsize
koers_csv_sniff_sep_line (const char *text, gsize len, char *out_separator)
{
  gsize i = 0;
  char sep;

  if (len > 0 && text[0] == '"')
    i++;
  if (len < i + 5 || g_ascii_strncasecmp (text + i, "sep=", 4) != 0)
    return 0;
  i += 4;
  sep = text[i];
  if ((guchar) sep >= 0x80 || sep == '"' || sep == '\r' || sep == '\n' || sep == '\0'
      || (sep != '\t' && !g_ascii_isprint (sep)))
    return 0;
  i++;
  while (i < len && text[i] == sep)
    i++;
  if (i < len && text[i] == '"')
    i++;
  if (i == len)
    {
      *out_separator = sep;
      return i;
    }
  if (text[i] == '\r')
    {
      i++;
      if (i < len && text[i] == '\n')
        i++;
    }
  else if (text[i] == '\n')
    i++;
  else
    return 0;
  *out_separator = sep;
  return i;
}

/* Field counts of the first non-blank rows when split by @sep; returns how many were counted. */
static guint
count_fields (const char *text, gsize len, gboolean complete, char sep, guint counts[SNIFF_ROWS])
{
  guint n_rows = 0;
  guint fields = 1;
  gboolean content = FALSE;
  gboolean in_quotes = FALSE;

  for (gsize i = 0; i < len && n_rows < SNIFF_ROWS; i++)
    {
      char c = text[i];

      if (in_quotes)
        {
          if (c == '"')
            {
              if (i + 1 < len && text[i + 1] == '"')
                i++;
              else
                in_quotes = FALSE;
            }
          continue;
        }
      if (c == '"')
        {
          in_quotes = TRUE;
          content = TRUE;
        }
      else if (c == sep)
        fields++;
      else if (c == '\r' || c == '\n')
        {
          if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
            i++;
          if (content)
            counts[n_rows++] = fields;
          fields = 1;
          content = FALSE;
        }
      else if (c != ' ')
        content = TRUE;
    }
  if (complete && content && !in_quotes && n_rows < SNIFF_ROWS)
    counts[n_rows++] = fields;
  return n_rows;
}

char
koers_csv_sniff_separator (const char *text, gsize len, gboolean complete)
{
  static const char candidates[] = { ';', '\t', ',' };
  char best = ';';
  guint best_consistent = 0;
  guint best_header = 0;

  for (gsize c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      guint counts[SNIFF_ROWS];
      guint n = count_fields (text, len, complete, candidates[c], counts);
      guint consistent = 0;

      if (n == 0 || counts[0] < 2)
        continue;
      for (guint r = 1; r < n; r++)
        if (counts[r] == counts[0])
          consistent++;
      if (best_header == 0 || consistent > best_consistent
          || (consistent == best_consistent && counts[0] > best_header))
        {
          best = candidates[c];
          best_consistent = consistent;
          best_header = counts[0];
        }
    }
  return best;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-text.h"

#include "core/koers-bsn.h"

#include <string.h>

/* Trims Unicode white space (no-break space and ideographic space included, which arrive from
 * copy-paste and CSV files), not only ASCII. */
static char *
trim_unicode (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, (gsize) (end - start));
}

char *
koers_text_normalize (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfc = NULL;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  nfc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  return trim_unicode (nfc != NULL ? nfc : valid);
}

gboolean
koers_text_is_normalized (const char *text)
{
  g_autofree char *normalized = NULL;
  gsize n = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  while (text[n] != '\0' && (guchar) text[n] < 0x80)
    n++;
  if (text[n] == '\0')
    return n == 0 || (!g_unichar_isspace ((gunichar) (guchar) text[0])
                      && !g_unichar_isspace ((gunichar) (guchar) text[n - 1]));
  normalized = koers_text_normalize (text);
  return g_str_equal (normalized, text);
}

static gboolean
is_mark (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK
         || type == G_UNICODE_ENCLOSING_MARK;
}

/* Arabic names are written with or without vowel signs (harakat), with decorative tatweel and
 * with several spellings of alef, ya and ta marbuta; a coach types the plain form. */
static gboolean
is_arabic_ignorable (gunichar c)
{
  return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640;
}

static gunichar
fold_letter (gunichar c)
{
  switch (c)
    {
    case 0x0623: /* alef with hamza above */
    case 0x0625: /* alef with hamza below */
    case 0x0622: /* alef with madda */
    case 0x0671: /* alef wasla */
      return 0x0627;
    case 0x0649: /* alef maksura */
      return 0x064A;
    case 0x0629: /* ta marbuta */
      return 0x0647;
    case 0x0131: /* Turkish dotless i: "Yildiz" must find "Yıldız" */
      return 'i';
    default:
      return c;
    }
}

/* The key of plain ASCII text, as the Unicode route below makes it: NFKD leaves ASCII as it
 * is, case folding lowers A-Z only, no ASCII character is a mark or a format character, the
 * controls but tab, LF, FF and CR are dropped and those four are white space. Most names are
 * ASCII, and the Unicode route (three copies, two normalisations) cost about 10,000
 * instructions a name: with four folds per participant a first sync spent 6% of its time
 * here. */
static char *
fold_ascii (const char *text, gsize length)
{
  GString *out = g_string_sized_new (length);
  gboolean pending_space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      char c = *p;

      if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r')
        {
          pending_space = out->len > 0;
          continue;
        }
      if ((guchar) c < 0x20 || c == 0x7f)
        continue;
      if (pending_space)
        {
          g_string_append_c (out, ' ');
          pending_space = FALSE;
        }
      g_string_append_c (out, g_ascii_tolower (c));
    }
  return g_string_free (out, FALSE);
}

char *
koers_text_fold (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *compat = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *decomposed = NULL;
  GString *out;
  gboolean pending_space = FALSE;
  gsize n = 0;

  if (text == NULL)
    return g_strdup ("");
  while (text[n] != '\0' && (guchar) text[n] < 0x80)
    n++;
  if (text[n] == '\0')
    return fold_ascii (text, n);

  valid = g_utf8_make_valid (text, -1);
  /* NFKD both sides of the casefold: compatibility forms may decompose to capitals ("㎒" ->
   * "MHz") and casefolding may produce letters that decompose further (İ -> i + dot above). */
  compat = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKD);
  folded = g_utf8_casefold (compat, -1);
  decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  out = g_string_sized_new (strlen (decomposed));

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (is_mark (c) || is_arabic_ignorable (c) || g_unichar_type (c) == G_UNICODE_FORMAT
          || g_unichar_type (c) == G_UNICODE_CONTROL)
        continue;
      if (pending_space)
        {
          g_string_append_c (out, ' ');
          pending_space = FALSE;
        }
      g_string_append_unichar (out, fold_letter (c));
    }
  return g_string_free (out, FALSE);
}

typedef enum {
  CHECK_SINGLE_LINE,
  CHECK_MULTI_LINE,
} CheckMode;

static char *
describe_refused (gunichar c, CheckMode mode, guint position)
{
  if (c == '\n' || c == '\r' || c == '\t' || c == 0x2028 || c == 0x2029)
    {
      if (mode == CHECK_SINGLE_LINE)
        return g_strdup_printf (_("Contains a line break or tab (U+%04X) at character %u; "
                                  "this field is a single line"), c, position);
      return g_strdup_printf (_("Contains a Unicode line separator (U+%04X) at character %u; "
                                "use an ordinary line break"), c, position);
    }
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
    return g_strdup_printf (_("Contains an invisible control character (U+%04X) at "
                              "character %u"), c, position);
  if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E
      || c == 0x200F || c == 0x061C)
    return g_strdup_printf (_("Contains an invisible direction control (U+%04X) at "
                              "character %u"), c, position);
  if ((c >= 0x200B && c <= 0x200D) || c == 0xFEFF || c == 0x2060)
    return g_strdup_printf (_("Contains an invisible zero-width character (U+%04X) at "
                            "character %u"), c, position);
  return g_strdup_printf (_("Contains an invisible formatting character (U+%04X) at "
                            "character %u"), c, position);
}

static gboolean
is_refused (gunichar c, CheckMode mode)
{
  if (mode == CHECK_MULTI_LINE && (c == '\n' || c == '\r' || c == '\t'))
    return FALSE;
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
    return TRUE;
  if (c == 0x2028 || c == 0x2029)
    return TRUE;
  /* Every format character (Cf) is invisible: bidi embeddings, overrides and isolates,
   * zero-width (non-)joiners, word joiner, BOM, interlinear annotation, tags. Such a character
   * in a name makes two records look the same or one record look like another. */
  return g_unichar_type (c) == G_UNICODE_FORMAT;
}

static gboolean
check_text (const char *text, CheckMode mode, char **out_reason)
{
  guint position = 1;

  if (out_reason != NULL)
    *out_reason = NULL;
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    {
      if (out_reason != NULL)
        *out_reason = g_strdup (_("Is not valid UTF-8 text; save the file as UTF-8 and try again"));
      return FALSE;
    }
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), position++)
    {
      gunichar c = g_utf8_get_char (p);

      if (is_refused (c, mode))
        {
          if (out_reason != NULL)
            *out_reason = describe_refused (c, mode, position);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
koers_text_check_single_line (const char *text, char **out_reason)
{
  return check_text (text, CHECK_SINGLE_LINE, out_reason);
}

gboolean
koers_text_check_multi_line (const char *text, char **out_reason)
{
  return check_text (text, CHECK_MULTI_LINE, out_reason);
}

gboolean
koers_text_check_participant_text (const char *text, gboolean multi_line, char **out_reason)
{
  if (multi_line ? !koers_text_check_multi_line (text, out_reason)
                 : !koers_text_check_single_line (text, out_reason))
    return FALSE;
  if (koers_text_find_bsn_like (text) != NULL)
    {
      if (out_reason != NULL)
        *out_reason = g_strdup (_("Contains what looks like a citizen service number (BSN), "
                                  "which Koers may not store; leave the number out"));
      return FALSE;
    }
  return TRUE;
}

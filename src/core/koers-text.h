/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-text.h: Unicode rules for names and search (RELIABILITY.md, "Unicode").
 * Text is stored NFC; search runs on a folded key (NFKD, marks removed, casefolded, Arabic
 * diacritics and tatweel removed, alef/ya/ta-marbuta variants unified) so "Ozdemir" finds
 * "Özdemir" and "محمد" finds "مُحَمَّد".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns (transfer full): @text in NFC with surrounding white space trimmed. */
char    *koers_text_normalize (const char *text);
/* TRUE when koers_text_normalize (@text) would return @text unchanged; without copying for
 * plain ASCII (already NFC: only the trim can change it), which most stored values are. */
gboolean koers_text_is_normalized (const char *text);
/* Returns (transfer full): the search key for @text (see above); "" for NULL. */
char    *koers_text_fold (const char *text);
/* FALSE with a translated, specific *out_reason (transfer full) when @text holds C0/C1 control
 * characters (TAB and newline included), bidi embeddings/overrides/isolates (U+202A-202E,
 * U+2066-2069), zero-width or other invisible format characters (U+200B-200F, U+FEFF),
 * or is not valid UTF-8. Used for names and other single-line fields. */
gboolean koers_text_check_single_line (const char *text, char **out_reason);
/* Same for multi-line text (notes): newlines and TAB allowed, the rest refused. */
gboolean koers_text_check_multi_line (const char *text, char **out_reason);
/* The check for text typed about a participant (names, notes, next actions, activities,
 * skills): single- or multi-line as above, and no BSN-like number (koers-bsn.h), which the
 * server refuses too: said while typing, not days later in the Conflicts page. The reason
 * never repeats the number. */
gboolean koers_text_check_participant_text (const char *text, gboolean multi_line,
                                            char **out_reason);

G_END_DECLS

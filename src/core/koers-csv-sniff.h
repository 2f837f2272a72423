/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-csv-sniff.h: finding the separator of a CSV file (internal to the reader).
 *
 * Dutch Excel writes `;` (the nl-NL list separator), other tools `,`, Excel's "Unicode text"
 * TAB. Excel also honours a first line `sep=;`, which names it outright.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* When @text starts with a `sep=X` line (optionally quoted, X repeated as Excel does after a
 * round trip), returns the length in bytes of that line with its line break and sets
 * *out_separator; 0 otherwise. */
gsize koers_csv_sniff_sep_line (const char *text, gsize len, char *out_separator);

/* The separator among `;` TAB `,` that splits the first rows of @text most consistently
 * (quoted fields respected): the most rows with as many fields as the first non-blank row, that
 * row having at least two; ties go to `;`, then TAB. @complete: @text is the whole file (else its
 * cut-off last row is not counted). `;` when no candidate splits the header. */
char  koers_csv_sniff_separator (const char *text, gsize len, gboolean complete);

G_END_DECLS

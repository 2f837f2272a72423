/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-csv-privacy.h: the BSN guard of the CSV import. The programme has no legal ground to
 * process citizen service numbers (BSN, formerly sofinummer; RELIABILITY.md, "Privacy"), so a
 * file with a BSN column is refused as a whole, before anything is imported: by its header, or
 * by its values when a column holds nine-digit numbers that pass the elfproef (11-test).
 *
 * Values: random nine-digit numbers pass the elfproef about one time in eleven (so a phone column
 * that lost its leading zeros has a few); real BSNs always pass. A column counts as a BSN column
 * once more than KOERS_CSV_BSN_MIN_ROWS of its values pass and they are at least half of its
 * nine-digit values. An eight-digit value is read as a BSN whose leading zero Excel dropped;
 * spaces, dots and dashes between the digits ("1234.56.782") are ignored.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "More than a couple of rows". */
#define KOERS_CSV_BSN_MIN_ROWS 2

typedef struct {
  guint n_numbers;  /* values that are eight or nine digits */
  guint n_valid;    /* of those, passing the elfproef */
} KoersCsvBsnCount;

/* TRUE when @header names a BSN column ("BSN", "Burgerservicenummer", "sofi-nummer",
 * "BSN nummer", "citizen service number", ...). */
gboolean koers_csv_header_is_bsn (const char *header);
/* TRUE when @value alone is a BSN-like number (see above). */
gboolean koers_csv_value_is_bsn (const char *value);
/* Counts @value into @count. */
void     koers_csv_bsn_count_add (KoersCsvBsnCount *count, const char *value);
/* TRUE when the values counted so far make the column a BSN column. */
gboolean koers_csv_bsn_count_is_bsn_column (const KoersCsvBsnCount *count);

G_END_DECLS

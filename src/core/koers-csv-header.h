/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-csv-header.h: recognising the columns of a partner's spreadsheet.
 *
 * Headers are matched on a key that ignores case, accents, spaces and punctuation, so
 * "E-mailadres", "e-mail adres" and "EMAIL" are one header, in Dutch or English. Anything not
 * recognised stays unmapped (KOERS_CSV_FIELD_NONE) for the manual mapping step.
 */
#pragma once

#include <glib.h>

#include "core/koers-csv-types.h"

G_BEGIN_DECLS

/* Returns (transfer full): the matching key of @header: NFKD, marks removed, lower case,
 * letters and digits only ("Geboorte-datum " -> "geboortedatum"). */
char         *koers_csv_header_key (const char *header);
/* The field a header names, or KOERS_CSV_FIELD_NONE. */
KoersCsvField koers_csv_field_from_header (const char *header);

/* Returns (transfer none): a stable identifier ("first-name"), for saved mappings and tests. */
const char   *koers_csv_field_to_string (KoersCsvField field);
/* KOERS_CSV_FIELD_NONE when @id is unknown. */
KoersCsvField koers_csv_field_from_string (const char *id);
/* Returns (transfer none): the translated label for the mapping step ("First name"). */
const char   *koers_csv_field_get_label (KoersCsvField field);
/* Returns (transfer none) (nullable): a translated note on how the field is imported, e.g. that
 * only the year of a birth date is kept. */
const char   *koers_csv_field_get_note (KoersCsvField field);

/* Parts of a person's name: checked as single-line text with no invisible characters. */
gboolean      koers_csv_field_is_name (KoersCsvField field);
gboolean      koers_csv_field_is_date (KoersCsvField field);
/* Whole numbers (birth year, project line). */
gboolean      koers_csv_field_is_number (KoersCsvField field);

G_END_DECLS

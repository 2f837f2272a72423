/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-csv-record.h: one data row of a CSV file as the reader hands it out: its values (NFC,
 * white space trimmed), where each starts in the file, the column mapping in force when it was
 * read, and the warnings found in it.
 */
#pragma once

#include <glib.h>

#include "core/koers-csv-types.h"

G_BEGIN_DECLS

typedef struct _KoersCsvRecord KoersCsvRecord;

void           koers_csv_record_free (KoersCsvRecord *record);

/* The physical line the row starts on. */
guint          koers_csv_record_get_line (const KoersCsvRecord *record);
/* The number of columns (the header's). */
guint          koers_csv_record_get_n_values (const KoersCsvRecord *record);
/* Returns (transfer none): the value in column @index ("" when the row stopped short of an
 * ignored trailing column). */
const char    *koers_csv_record_get_value (const KoersCsvRecord *record, guint index);
/* Where the value in column @index starts: physical line and 1-based character column (of the
 * opening quote for a quoted value). */
guint          koers_csv_record_get_value_line (const KoersCsvRecord *record, guint index);
guint          koers_csv_record_get_value_column (const KoersCsvRecord *record, guint index);
/* Returns (transfer none) (nullable): the value of the column mapped to @field, or NULL when no
 * column is. */
const char    *koers_csv_record_get_field (const KoersCsvRecord *record, KoersCsvField field);
/* The column mapped to @field, or -1. */
int            koers_csv_record_get_field_index (const KoersCsvRecord *record,
                                                 KoersCsvField         field);

/* Returns (transfer full): the person's name: the full-name column when it has a value, else
 * first name, name prefix (tussenvoegsel) and last name joined with single spaces ("Jan",
 * "de", "Vries" -> "Jan de Vries"); "" when there is none. */
char          *koers_csv_record_dup_name (const KoersCsvRecord *record);
/* The birth year from the birth-year column, else the year of the date-of-birth column (Koers
 * stores only the year); 0 when unknown or unreadable (a warning says so). */
int            koers_csv_record_get_birth_year (const KoersCsvRecord *record);

/* The warnings for this row (Excel damage), for the user to confirm or fix. */
guint          koers_csv_record_get_n_warnings (const KoersCsvRecord *record);
/* Returns (transfer none): warning @index (< koers_csv_record_get_n_warnings). */
const KoersCsvIssue *koers_csv_record_get_warning (const KoersCsvRecord *record, guint index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersCsvRecord, koers_csv_record_free)

G_END_DECLS

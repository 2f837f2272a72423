/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-csv-damage.h: what Excel does to a participant list on its way to CSV, recognised so the
 * user can confirm or fix it. Nothing here changes a value: the import shows the warning and
 * the reading Koers would make, and stores nothing silently (issue 3, "Excel damage").
 *
 * - Phone numbers saved as numbers lose their leading zero (612345678) or their plus (31612...).
 * - Long numbers become scientific notation (6,12346E+08; 1,23457E+11), losing digits.
 * - Dates come out in the locale's short form (1-2-2024, 01-02-2024, 1/2/2024) or as the serial
 *   number behind them (45323 = 2024-02-01). ISO dates (2024-02-01) are Koers's own format and
 *   unambiguous, so they are read without a warning.
 * - Numbers get a decimal comma (1990,0; 3,5) in a column that holds whole numbers.
 * - Values that look like formulas (=SUM(...)) are kept exactly as written; "+31 6 ..." in a
 *   phone column is simply a phone number.
 */
#pragma once

#include <glib.h>

#include "core/koers-csv-types.h"

G_BEGIN_DECLS

/* Returns (transfer full) (nullable): a translated warning when @value, in a column mapped to
 * @field, looks damaged by a spreadsheet; NULL when it looks fine. */
char    *koers_csv_check_damage (KoersCsvField field, const char *value);

/* Reads @value as a date: ISO YYYY-MM-DD, day-month-year with '-', '/' or '.', or an Excel
 * serial number. TRUE with *out_iso (transfer full) "YYYY-MM-DD" when it is a real date;
 * *out_reinterpreted (nullable) TRUE when it was not written in ISO form. */
gboolean koers_csv_parse_date (const char *value,
                               char      **out_iso,
                               gboolean   *out_reinterpreted);

G_END_DECLS

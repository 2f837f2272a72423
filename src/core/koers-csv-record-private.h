/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-csv-record-private.h: how the reader builds a KoersCsvRecord. */
#pragma once

#include "core/koers-csv-lexer.h"
#include "core/koers-csv-record.h"

G_BEGIN_DECLS

/* Returns (transfer full): a record of @n_values columns from the first @n_cells lexed cells
 * (the rest empty, located at @end_line:@end_column), values NFC-normalised and trimmed, with
 * @mapping (n_values entries) frozen into it. */
KoersCsvRecord *koers_csv_record_new (guint               line,
                                      guint               n_values,
                                      const KoersCsvCell *cells,
                                      guint               n_cells,
                                      const char         *data,
                                      guint               end_line,
                                      guint               end_column,
                                      const KoersCsvField *mapping);
/* Takes ownership of @issue. */
void            koers_csv_record_add_warning (KoersCsvRecord *record, KoersCsvIssue *issue);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-column-sorter.h: the sorter of one caseload column. It never sorts anything itself:
 * sorting happens in SQL. GTK 4.8 cannot tell which column the user clicked, so the page asks
 * the column view's sorter to compare two items once; each column sorter records its key in
 * the shared probe and answers "smaller", so the first recorded key is the primary column and
 * a "larger" overall answer means descending.
 */
#pragma once

#include <gtk/gtk.h>

#include "core/koers-caseload-query.h"

G_BEGIN_DECLS

#define KOERS_TYPE_COLUMN_SORTER (koers_column_sorter_get_type ())
G_DECLARE_FINAL_TYPE (KoersColumnSorter, koers_column_sorter, KOERS, COLUMN_SORTER, GtkSorter)

/* Where the sorters of one view record the first key they are asked about; -1 = none yet. */
typedef struct {
  int key;
} KoersColumnSorterProbe;

KoersColumnSorter *koers_column_sorter_new (KoersCaseloadSort key);
KoersCaseloadSort  koers_column_sorter_get_key (KoersColumnSorter *self);
void               koers_column_sorter_set_key (KoersColumnSorter *self, KoersCaseloadSort key);
void               koers_column_sorter_set_probe (KoersColumnSorter      *self,
                                                  KoersColumnSorterProbe *probe);

/**
 * koers_column_sorter_probe_view:
 * @view_sorter: the GtkColumnView's sorter
 * @out_key: (out): the primary column's key
 * @out_descending: (out)
 *
 * Returns: FALSE when no column is sorted.
 */
gboolean koers_column_sorter_probe_view (GtkSorter              *view_sorter,
                                         KoersColumnSorterProbe *probe,
                                         KoersCaseloadSort      *out_key,
                                         gboolean               *out_descending);

G_END_DECLS

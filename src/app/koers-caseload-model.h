/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-caseload-model.h: the caseload as a GListModel of KoersCaseloadRow, built for 100,000
 * participants. The query (filters, search, sort) runs in SQL on the store's worker and yields
 * only rowids; rows are read lazily, a page at a time, when the view asks for them. A requery
 * emits one minimal "items-changed" (none when nothing moved), plus one per row whose shown
 * content changed after a write.
 */
#pragma once

#include <gio/gio.h>

#include "app/koers-store.h"
#include "core/koers-caseload-query.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CASELOAD_MODEL (koers_caseload_model_get_type ())
G_DECLARE_FINAL_TYPE (KoersCaseloadModel, koers_caseload_model, KOERS, CASELOAD_MODEL, GObject)

/* Reads the first list (everything, sorted by name) at once. */
KoersCaseloadModel       *koers_caseload_model_new (KoersStore *store);
/* Reads only the first @first_rows rows (in the order of @sort) and the number of matches at
 * once, for a window's first frame; the model stays "loading" (with n-items <= @first_rows and the true count in
 * "n-matches") until koers_caseload_model_load_rest() or any new query reads the whole list,
 * which then arrives as one items-changed after the rows already there. */
KoersCaseloadModel       *koers_caseload_model_new_first_rows (KoersStore        *store,
                                                               guint              first_rows,
                                                               KoersCaseloadSort  sort,
                                                               gboolean           descending);
/* Reads the rest of a model made by koers_caseload_model_new_first_rows(); does nothing when
 * the whole list is read or being read. */
void                      koers_caseload_model_load_rest (KoersCaseloadModel *self);
/* How many participants match the query ("n-matches"): the count to show, also while only the
 * first rows are in the model. */
guint                     koers_caseload_model_get_n_matches (KoersCaseloadModel *self);
KoersStore               *koers_caseload_model_get_store (KoersCaseloadModel *self);
/* (transfer none): the query the model shows (or is about to show). */
const KoersCaseloadQuery *koers_caseload_model_get_query (KoersCaseloadModel *self);
/* Copies @query and requeries when it differs from the current one. */
void                      koers_caseload_model_set_query (KoersCaseloadModel       *self,
                                                          const KoersCaseloadQuery *query);
void                      koers_caseload_model_set_search (KoersCaseloadModel *self,
                                                           const char         *search);
void                      koers_caseload_model_set_sort (KoersCaseloadModel *self,
                                                         KoersCaseloadSort   sort,
                                                         gboolean            descending);
/* Runs the current query again (after a write the store did not announce). */
void                      koers_caseload_model_requery (KoersCaseloadModel *self);
/* TRUE while a query runs or its list is being shown in steps; "loading" notifies when it
 * settles. */
gboolean                  koers_caseload_model_get_loading (KoersCaseloadModel *self);
/* While held (a first sync is bringing the caseload), a change in the store leaves the rows in
 * the list alone and only counts the matches again ("n-matches"); an empty list shows its
 * first screenful. Released, the model reads the whole list again and adds it a few rows a
 * frame up to the rows GTK makes widgets for, then the rest at once (koers-caseload-model-fill.c).
 * A search, filter or sort chosen while held is shown as always. */
void                      koers_caseload_model_set_held (KoersCaseloadModel *self,
                                                         gboolean            held);
gboolean                  koers_caseload_model_get_held (KoersCaseloadModel *self);

G_END_DECLS

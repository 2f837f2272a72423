/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-caseload-page.h: the coach's caseload: KPI strip, search, filters, result count and the
 * sortable list. Signal "participant-activated" (const char *id) when a line is opened.
 */
#pragma once

#include <adwaita.h>

#include "app/koers-caseload-model.h"
#include "app/koers-context.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CASELOAD_PAGE (koers_caseload_page_get_type ())
G_DECLARE_FINAL_TYPE (KoersCaseloadPage, koers_caseload_page, KOERS, CASELOAD_PAGE, AdwBin)

GtkWidget          *koers_caseload_page_new (KoersContext *context);
KoersContext       *koers_caseload_page_get_context (KoersCaseloadPage *self);
/* (transfer none): the list the page shows. */
KoersCaseloadModel *koers_caseload_page_get_model (KoersCaseloadPage *self);
void                koers_caseload_page_focus_search (KoersCaseloadPage *self);

G_END_DECLS

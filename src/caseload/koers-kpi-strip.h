/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-kpi-strip.h: the row of programme targets over the caseload ("Migrants 12 / 75", ...),
 * each card with its definition in a tooltip. Recomputed on the store's aggregate-read worker
 * at start and after every write. Until the first computation arrives each card shows "…"
 * ("Migrants: counting…" to a screen reader), never a 0 nobody counted; a recomputation that
 * takes a while dims the last numbers ("updating").
 */
#pragma once

#include <adwaita.h>

#include "app/koers-context.h"
#include "core/koers-kpi.h"

G_BEGIN_DECLS

#define KOERS_TYPE_KPI_STRIP (koers_kpi_strip_get_type ())
G_DECLARE_FINAL_TYPE (KoersKpiStrip, koers_kpi_strip, KOERS, KPI_STRIP, AdwBin)

GtkWidget    *koers_kpi_strip_new (KoersContext *context);
KoersContext *koers_kpi_strip_get_context (KoersKpiStrip *self);
/* Set once, by the page that holds the strip in its template. */
void          koers_kpi_strip_set_context (KoersKpiStrip *self, KoersContext *context);
/* Shows @result (also what the worker's answer goes through). */
void          koers_kpi_strip_set_result (KoersKpiStrip *self, const KoersKpiResult *result);
/* TRUE once the first computation arrived. */
gboolean      koers_kpi_strip_get_ready (KoersKpiStrip *self);
/* TRUE while the numbers shown wait for a recomputation that has run for a while. */
gboolean      koers_kpi_strip_get_updating (KoersKpiStrip *self);

G_END_DECLS

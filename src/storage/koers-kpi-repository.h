/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-kpi-repository.h: the facts koers_kpi_compute() needs, read for every participant in
 * one query from the status history and the activities.
 */
#pragma once

#include "core/koers-kpi.h"
#include "storage/koers-database.h"

G_BEGIN_DECLS

/**
 * koers_kpi_repository_load_facts:
 * @window_start: proeverijen before this date are skipped, so first_proeverij_on is the first
 *   one that can count
 * @strings: holds the facts' date strings; free it after the facts
 *
 * Returns: (transfer full) (element-type KoersKpiFacts): one entry per participant, tombstoned
 * ones included (with deleted set; koers_kpi_compute() skips them).
 */
GArray  *koers_kpi_repository_load_facts (KoersDatabase *db, const char *window_start,
                                          GStringChunk *strings, GError **error);

/* Loads the facts and computes the plan's KPIs for the window. */
gboolean koers_kpi_repository_compute (KoersDatabase *db, const char *window_start,
                                       const char *window_end, KoersKpiResult *out_result,
                                       GError **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-caseload-query.h: what the caseload list asks the database for, and one row of the answer.
 */
#pragma once

#include <glib-object.h>

#include "core/koers-enums.h"

G_BEGIN_DECLS

typedef enum {
  KOERS_CASELOAD_SORT_NAME,
  KOERS_CASELOAD_SORT_MUNICIPALITY,
  KOERS_CASELOAD_SORT_TARGET_GROUP,
  KOERS_CASELOAD_SORT_STATUS,
  KOERS_CASELOAD_SORT_COACH,
  KOERS_CASELOAD_SORT_NEXT_ACTION,
} KoersCaseloadSort;

/* -1 in an enum filter means "any"; NULL coach_id means any coach; project_line 0 any. */
typedef struct {
  int               status;        /* KoersStatus or -1 */
  int               target_group;  /* KoersTargetGroup or -1 */
  int               municipality;  /* KoersMunicipality or -1 */
  int               project_line;  /* 1..7 or 0 */
  char             *coach_id;      /* or NULL */
  char             *search;        /* as typed; folded by the repository; NULL or "" = none */
  KoersCaseloadSort sort;
  gboolean          descending;
} KoersCaseloadQuery;

void koers_caseload_query_init (KoersCaseloadQuery *query);
void koers_caseload_query_clear (KoersCaseloadQuery *query);
void koers_caseload_query_copy (KoersCaseloadQuery *dest, const KoersCaseloadQuery *src);
gboolean koers_caseload_query_equal (const KoersCaseloadQuery *a, const KoersCaseloadQuery *b);

/* One caseload line, only the columns the list shows. Properties: "id", "name",
 * "municipality" (KoersMunicipality as int), "target-group", "status", "coach-name",
 * "next-action-date" (ISO date or NULL), "rowid". Immutable after construction. */
#define KOERS_TYPE_CASELOAD_ROW (koers_caseload_row_get_type ())
G_DECLARE_FINAL_TYPE (KoersCaseloadRow, koers_caseload_row, KOERS, CASELOAD_ROW, GObject)

KoersCaseloadRow *koers_caseload_row_new (gint64 rowid, const char *id, const char *name,
                                          KoersMunicipality municipality,
                                          KoersTargetGroup target_group, KoersStatus status,
                                          const char *coach_name, const char *next_action_date);
gint64            koers_caseload_row_get_rowid (KoersCaseloadRow *self);
const char       *koers_caseload_row_get_id (KoersCaseloadRow *self);
const char       *koers_caseload_row_get_name (KoersCaseloadRow *self);
KoersMunicipality koers_caseload_row_get_municipality (KoersCaseloadRow *self);
KoersTargetGroup  koers_caseload_row_get_target_group (KoersCaseloadRow *self);
KoersStatus       koers_caseload_row_get_status (KoersCaseloadRow *self);
const char       *koers_caseload_row_get_coach_name (KoersCaseloadRow *self);
const char       *koers_caseload_row_get_next_action_date (KoersCaseloadRow *self);

G_END_DECLS

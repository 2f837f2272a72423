/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-status.h: the trajectory workflow.
 *   registered -> intake -> active -> aftercare -> completed
 *   any non-final status -> dropped_out;   active -> completed (no aftercare needed)
 * completed and dropped_out are final. Completing needs a recorded outcome (the 60% flow-on
 * KPI is computed from it).
 */
#pragma once

#include "core/koers-enums.h"

G_BEGIN_DECLS

gboolean koers_status_is_final (KoersStatus status);
/* The statuses reachable from @from, in workflow order; *out_n set. (transfer none) */
const KoersStatus *koers_status_next (KoersStatus from, guint *out_n);
/* TRUE when @from -> @to is allowed given @outcome; else FALSE and *out_reason (transfer full,
 * translated) says why, e.g. "A participant who dropped out cannot become active again". */
gboolean koers_status_check_transition (KoersStatus from, KoersStatus to, KoersOutcome outcome,
                                        char **out_reason);

G_END_DECLS

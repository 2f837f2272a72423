/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-kpi.h"
#include "core/koers-date.h"
#include "core/koers-status.h"

#include <string.h>

/* ISO dates sort as text, so the inclusive window test is two string comparisons. A missing
 * or malformed date is outside every window. */
static gboolean
in_window (const char *date, const char *start, const char *end)
{
  return date != NULL && koers_date_is_valid_iso (date) && strcmp (date, start) >= 0
         && strcmp (date, end) <= 0;
}

/**
 * koers_kpi_compute:
 * @facts: (array length=n_facts): one entry per participant
 * @n_facts: number of entries
 * @window_start: first day counted (inclusive), ISO date
 * @window_end: last day counted (inclusive), ISO date
 * @out_result: (out caller-allocates): the counts
 *
 * Computes line 1's KPIs as koers-kpi.h defines them. Each entry is one participant, so
 * each counts at most once per KPI.
 */
void
koers_kpi_compute (const KoersKpiFacts *facts, guint n_facts, const char *window_start,
                   const char *window_end, KoersKpiResult *out_result)
{
  g_return_if_fail (facts != NULL || n_facts == 0);
  g_return_if_fail (koers_date_is_valid_iso (window_start));
  g_return_if_fail (koers_date_is_valid_iso (window_end));
  g_return_if_fail (out_result != NULL);

  memset (out_result, 0, sizeof *out_result);

  for (guint i = 0; i < n_facts; i++)
    {
      const KoersKpiFacts *f = &facts[i];

      if (f->deleted)
        continue;
      if ((guint) f->target_group >= KOERS_N_TARGET_GROUPS)
        {
          g_warning ("KPI facts %u: unknown target group %d", i, (int) f->target_group);
          continue;
        }

      /* Guided once guidance started, whatever happened next: a participant who dropped out
       * was still guided. */
      if (in_window (f->guidance_started_on, window_start, window_end))
        out_result->guided[koers_target_group_plan_group (f->target_group)]++;

      /* Only trajectories that really ended count: an end date on a participant whose status
       * is not final would be stale data. */
      if (koers_status_is_final (f->status)
          && in_window (f->ended_on, window_start, window_end))
        {
          out_result->ended++;
          if (koers_outcome_is_flow_on (f->outcome))
            out_result->flowed_on++;
        }

      if (in_window (f->first_proeverij_on, window_start, window_end))
        out_result->proeverijen++;
    }
}

int
koers_kpi_target_for_plan_group (KoersPlanGroup group)
{
  switch (group)
    {
    case KOERS_PLAN_GROUP_MIGRANTS:
      return KOERS_KPI_TARGET_MIGRANTS;
    case KOERS_PLAN_GROUP_DISTANCE:
      return KOERS_KPI_TARGET_DISTANCE;
    case KOERS_PLAN_GROUP_RESKILLING:
      return KOERS_KPI_TARGET_RESKILLING;
    case KOERS_N_PLAN_GROUPS:
    default:
      g_return_val_if_reached (0);
    }
}

int
koers_kpi_flow_on_percent (const KoersKpiResult *result)
{
  g_return_val_if_fail (result != NULL, -1);

  if (result->ended == 0)
    return -1;
  return (int) (((guint64) result->flowed_on * 100) / result->ended);
}

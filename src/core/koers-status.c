/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-status.h"

static const KoersStatus from_registered[] = { KOERS_STATUS_INTAKE, KOERS_STATUS_DROPPED_OUT };
static const KoersStatus from_intake[] = { KOERS_STATUS_ACTIVE, KOERS_STATUS_DROPPED_OUT };
/* Active may complete directly: not every trajectory needs aftercare. */
static const KoersStatus from_active[] = {
  KOERS_STATUS_AFTERCARE, KOERS_STATUS_COMPLETED, KOERS_STATUS_DROPPED_OUT
};
static const KoersStatus from_aftercare[] = { KOERS_STATUS_COMPLETED, KOERS_STATUS_DROPPED_OUT };

gboolean
koers_status_is_final (KoersStatus status)
{
  return status == KOERS_STATUS_COMPLETED || status == KOERS_STATUS_DROPPED_OUT;
}

/**
 * koers_status_next:
 * @from: the current status
 * @out_n: (out): how many statuses the array holds
 *
 * Returns: (transfer none) (array length=out_n) (nullable): the reachable statuses, NULL with
 *   *out_n 0 for a final status.
 */
const KoersStatus *
koers_status_next (KoersStatus from, guint *out_n)
{
  g_return_val_if_fail (out_n != NULL, NULL);
  *out_n = 0;
  g_return_val_if_fail ((guint) from < KOERS_N_STATUSES, NULL);

  switch (from)
    {
    case KOERS_STATUS_REGISTERED:
      *out_n = G_N_ELEMENTS (from_registered);
      return from_registered;
    case KOERS_STATUS_INTAKE:
      *out_n = G_N_ELEMENTS (from_intake);
      return from_intake;
    case KOERS_STATUS_ACTIVE:
      *out_n = G_N_ELEMENTS (from_active);
      return from_active;
    case KOERS_STATUS_AFTERCARE:
      *out_n = G_N_ELEMENTS (from_aftercare);
      return from_aftercare;
    case KOERS_STATUS_COMPLETED:
    case KOERS_STATUS_DROPPED_OUT:
    case KOERS_N_STATUSES:
    default:
      return NULL;
    }
}

static gboolean
is_reachable (KoersStatus from, KoersStatus to)
{
  guint n = 0;
  const KoersStatus *next = koers_status_next (from, &n);

  for (guint i = 0; i < n; i++)
    if (next[i] == to)
      return TRUE;
  return FALSE;
}

static char *
step_reason (KoersStatus from)
{
  switch (from)
    {
    case KOERS_STATUS_REGISTERED:
      return g_strdup (_("From registered the next step is intake or dropped out"));
    case KOERS_STATUS_INTAKE:
      return g_strdup (_("From intake the next step is active or dropped out"));
    case KOERS_STATUS_ACTIVE:
      return g_strdup (_("From active the next step is aftercare, completed or dropped out"));
    case KOERS_STATUS_AFTERCARE:
      return g_strdup (_("From aftercare the next step is completed or dropped out"));
    case KOERS_STATUS_COMPLETED:
      return g_strdup (_("A completed trajectory cannot change status"));
    case KOERS_STATUS_DROPPED_OUT:
      return g_strdup (_("A participant who dropped out cannot change status; register a new "
                         "trajectory instead"));
    case KOERS_N_STATUSES:
    default:
      g_assert_not_reached ();
    }
}

/**
 * koers_status_check_transition:
 * @from: the stored status
 * @to: the requested status
 * @outcome: the outcome recorded with the change
 * @out_reason: (out) (optional) (transfer full): why not, translated; NULL when allowed
 *
 * Keeping the same status is not a transition and is always allowed, so a save that changes
 * other fields of a completed participant passes.
 *
 * Returns: TRUE when allowed.
 */
gboolean
koers_status_check_transition (KoersStatus from, KoersStatus to, KoersOutcome outcome,
                               char **out_reason)
{
  char *reason = NULL;

  if (out_reason != NULL)
    *out_reason = NULL;
  g_return_val_if_fail ((guint) from < KOERS_N_STATUSES, FALSE);
  g_return_val_if_fail ((guint) to < KOERS_N_STATUSES, FALSE);
  g_return_val_if_fail ((guint) outcome < KOERS_N_OUTCOMES, FALSE);

  if (from == to)
    return TRUE;
  if (!is_reachable (from, to))
    reason = step_reason (from);
  /* The 60% flow-on KPI is computed from the outcome, so a trajectory cannot end as completed
   * without one; "no flow-on" is a recorded outcome and is enough. */
  else if (to == KOERS_STATUS_COMPLETED && outcome == KOERS_OUTCOME_UNKNOWN)
    reason = g_strdup (_("Record an outcome before completing"));

  if (reason == NULL)
    return TRUE;
  if (out_reason != NULL)
    *out_reason = reason;
  else
    g_free (reason);
  return FALSE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/koers-sync-refusal.h"

/* Wire names, camelCase Dutch like the rest of the API; indexed by KoersSyncRefusal. */
static const char *const codes[KOERS_SYNC_REFUSAL_N] = {
  [KOERS_SYNC_REFUSAL_UNKNOWN] = NULL,
  [KOERS_SYNC_REFUSAL_INVALID_VALUE] = "ongeldigeWaarde",
  [KOERS_SYNC_REFUSAL_UNKNOWN_FIELD] = "onbekendVeld",
  [KOERS_SYNC_REFUSAL_SERVER_FIELD] = "serverVeld",
  [KOERS_SYNC_REFUSAL_FIXED_FIELD] = "vastVeld",
  [KOERS_SYNC_REFUSAL_NOT_A_COACH] = "geenCoach",
  [KOERS_SYNC_REFUSAL_OWN_CASELOAD] = "eigenCaseload",
  [KOERS_SYNC_REFUSAL_SUPPORT_ONLY] = "alleenOndersteuner",
  [KOERS_SYNC_REFUSAL_NOT_FOUND] = "nietGevonden",
  [KOERS_SYNC_REFUSAL_ERASED] = "gewist",
  [KOERS_SYNC_REFUSAL_DELETED] = "verwijderd",
  [KOERS_SYNC_REFUSAL_OUTCOME_MISSING] = "uitkomstOntbreekt",
  [KOERS_SYNC_REFUSAL_CLOSED] = "trajectAfgesloten",
  [KOERS_SYNC_REFUSAL_TRANSITION] = "statusovergang",
  [KOERS_SYNC_REFUSAL_APPEND_ONLY] = "alleenToevoegen",
  [KOERS_SYNC_REFUSAL_ACTION] = "actieNietToegestaan",
  [KOERS_SYNC_REFUSAL_ID_TAKEN] = "idInGebruik",
  [KOERS_SYNC_REFUSAL_RESOLVED] = "conflictOpgelost",
  [KOERS_SYNC_REFUSAL_MALFORMED] = "ongeldigeMutatie",
  [KOERS_SYNC_REFUSAL_OUT_OF_SCOPE] = "buitenBereik",
  [KOERS_SYNC_REFUSAL_ERASED_HERE] = "gewistOntvangen",
};

/**
 * koers_sync_refusal_to_code:
 * @refusal: a reason
 *
 * Returns: (nullable) (transfer none): the wire code, or %NULL for
 * %KOERS_SYNC_REFUSAL_UNKNOWN
 */
const char *
koers_sync_refusal_to_code (KoersSyncRefusal refusal)
{
  g_return_val_if_fail (refusal < KOERS_SYNC_REFUSAL_N, NULL);

  return codes[refusal];
}

/**
 * koers_sync_refusal_from_code:
 * @code: (nullable): a wire code, from the server or the local database
 *
 * Returns: the reason, or %KOERS_SYNC_REFUSAL_UNKNOWN for %NULL or a code this build does
 *   not know (a newer server's)
 */
KoersSyncRefusal
koers_sync_refusal_from_code (const char *code)
{
  if (code == NULL)
    return KOERS_SYNC_REFUSAL_UNKNOWN;
  for (guint i = 1; i < KOERS_SYNC_REFUSAL_N; i++)
    if (g_str_equal (codes[i], code))
      return (KoersSyncRefusal) i;
  return KOERS_SYNC_REFUSAL_UNKNOWN;
}

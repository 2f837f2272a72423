/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Why a change never reached the server's records: the reason codes of a refused mutation
 * (`redenCode` in a MutatieResultaat, docs/api-protocol.md) and the two reasons a client gives
 * itself when a record leaves the device. The server writes the code beside its Dutch sentence;
 * the client shows the code in the user's language and keeps the sentence for what it does not
 * know (a newer server may add codes).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  KOERS_SYNC_REFUSAL_UNKNOWN,          /* no code, or one this build does not know */
  KOERS_SYNC_REFUSAL_INVALID_VALUE,    /* ongeldigeWaarde: the field's value breaks its rules */
  KOERS_SYNC_REFUSAL_UNKNOWN_FIELD,    /* onbekendVeld */
  KOERS_SYNC_REFUSAL_SERVER_FIELD,     /* serverVeld: only the server writes it */
  KOERS_SYNC_REFUSAL_FIXED_FIELD,      /* vastVeld: set at creation, never changed */
  KOERS_SYNC_REFUSAL_NOT_A_COACH,      /* geenCoach: the coach is not one of the organisation */
  KOERS_SYNC_REFUSAL_OWN_CASELOAD,     /* eigenCaseload: a coach creates only in their own */
  KOERS_SYNC_REFUSAL_SUPPORT_ONLY,     /* alleenOndersteuner: reassigning, erasing */
  KOERS_SYNC_REFUSAL_NOT_FOUND,        /* nietGevonden: no such record in the caller's scope */
  KOERS_SYNC_REFUSAL_ERASED,           /* gewist: erased (AVG), nothing applies any more */
  KOERS_SYNC_REFUSAL_DELETED,          /* verwijderd: restore it first */
  KOERS_SYNC_REFUSAL_OUTCOME_MISSING,  /* uitkomstOntbreekt: completing needs an outcome */
  KOERS_SYNC_REFUSAL_CLOSED,           /* trajectAfgesloten: a final status does not change */
  KOERS_SYNC_REFUSAL_TRANSITION,       /* statusovergang: not a step of the workflow */
  KOERS_SYNC_REFUSAL_APPEND_ONLY,      /* alleenToevoegen: an edit is a new revision */
  KOERS_SYNC_REFUSAL_ACTION,           /* actieNietToegestaan: not for this kind of record */
  KOERS_SYNC_REFUSAL_ID_TAKEN,         /* idInGebruik: the id holds other content */
  KOERS_SYNC_REFUSAL_RESOLVED,         /* conflictOpgelost: already resolved another way */
  KOERS_SYNC_REFUSAL_MALFORMED,        /* ongeldigeMutatie: the mutation itself is wrong */
  KOERS_SYNC_REFUSAL_OUT_OF_SCOPE,     /* buitenBereik (client): moved out of the caseload */
  KOERS_SYNC_REFUSAL_ERASED_HERE,      /* gewistOntvangen (client): erased before it was sent */
  KOERS_SYNC_REFUSAL_N
} KoersSyncRefusal;

const char       *koers_sync_refusal_to_code (KoersSyncRefusal refusal);
KoersSyncRefusal  koers_sync_refusal_from_code (const char *code);

G_END_DECLS

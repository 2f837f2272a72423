/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-caseload-model-audit.h: KoersCaseloadModel's audit of searches. A search is recorded
 * once the coach stopped typing for a moment, so search-as-you-type leaves one audit event per
 * search, not one per keystroke (RELIABILITY.md: who searched, when; never what).
 */
#pragma once

#include "app/koers-store.h"

G_BEGIN_DECLS

typedef struct _KoersCaseloadSearchAudit KoersCaseloadSearchAudit;

/* (transfer full): audits searches in @store's audit log, as its actor. */
KoersCaseloadSearchAudit *koers_caseload_search_audit_new (KoersStore *store);
void                      koers_caseload_search_audit_free (KoersCaseloadSearchAudit *self);
/* The list now shows @search (nullable): restarts the wait before it is recorded; an empty
 * search records nothing. */
void                      koers_caseload_search_audit_schedule (KoersCaseloadSearchAudit *self,
                                                                const char *search);
/* A new query is on its way: the search shown so far was not the one the coach settled on. */
void                      koers_caseload_search_audit_cancel (KoersCaseloadSearchAudit *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersCaseloadSearchAudit, koers_caseload_search_audit_free)

G_END_DECLS

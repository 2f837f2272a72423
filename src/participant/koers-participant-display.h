/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-participant-display.h: how the participant screens show user-written text and dates.
 * Every user string is wrapped in a first-strong isolate so an Arabic name cannot reorder the
 * label it sits in (RELIABILITY.md, "Unicode").
 */
#pragma once

#include "core/koers-participant.h"

G_BEGIN_DECLS

/* U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE. */
#define KOERS_FSI "\xe2\x81\xa8"

/* Returns (transfer full): @text isolated; "" for NULL. */
char *koers_display_isolate (const char *text);
/* Returns (transfer full): "Name (Preferred)" or "Name", each part isolated. */
char *koers_display_participant_name (KoersParticipant *participant);
/* Returns (transfer full): @iso in the user's date style; @fallback (may be NULL) when unset. */
char *koers_display_date (const char *iso, const char *fallback);
/* Returns (transfer full): the date part of an ISO timestamp in the user's date style. */
char *koers_display_timestamp_date (const char *timestamp);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-server-participant-set.h: the participants whose data a read carried, each once, in
 * the order first met, as the audit names them.
 *
 * A feed page names up to 500. They are gathered where the page is read (a reader thread) and
 * come out as the audit row's list at once: the UUIDs checked, 16 bytes each. An id
 * that is not a lower-case UUID (never written by this server, but the store is not ours
 * alone) stays out of the list, whose ids are tokens of the index that finds a row by
 * participant, and is kept apart for a row of its own.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KoersServerParticipantSet KoersServerParticipantSet;

/* Room for @expected at once (it grows past that); a feed page expects its limit. */
KoersServerParticipantSet *koers_server_participant_set_new  (guint expected);
void         koers_server_participant_set_free      (KoersServerParticipantSet *set);

/* Adds @participant (nullable: nothing) unless the set has it already. */
void         koers_server_participant_set_add       (KoersServerParticipantSet *set,
                                                     const char                *participant);
/* How many distinct participants were added, in the list or not. */
guint        koers_server_participant_set_get_size  (KoersServerParticipantSet *set);
/* (transfer none) The UUIDs among them, 16 bytes each in the order first met (their
 * *@out_length / 16; NULL or not when there are none), as koers_uuid_parse() reads them. */
const guint8 *koers_server_participant_set_get_ids  (KoersServerParticipantSet *set,
                                                     gsize                     *out_length);
/* (transfer full) The same as text: space-separated, "" for none. */
char        *koers_server_participant_set_dup_list  (KoersServerParticipantSet *set);
/* (transfer none) (element-type utf8) The others, in order. */
GPtrArray   *koers_server_participant_set_get_others (KoersServerParticipantSet *set);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersServerParticipantSet, koers_server_participant_set_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-uuid.h: the ids Koers gives new records, mutations and audit rows.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * koers_uuid_new_time_ordered:
 *
 * A version-7 UUID (RFC 9562), lowercase: the time in milliseconds first, then 74 random
 * bits. Records made one after another get ids that sort one after another, so every table
 * and index keyed by id grows at its end instead of at a random page per row (a first sync
 * of 100,000 records with random ids rewrote each index page it touched hundreds of times;
 * docs/performance.md, "Sync", session 5). The id tells when it was made, to the
 * millisecond, and nothing else: every record carries its creation time anyway.
 *
 * Returns: (transfer full): the id.
 */
char *koers_uuid_new_time_ordered (void);

/* TRUE for an id as Koers writes it and the wire carries it: a UUID in lower case (36
 * characters, hyphens at 8, 13, 18 and 23), any version. The one check, for the client, the
 * server and their tests alike: koers_uuid_parse() and a NUL after the 36. */
gboolean koers_uuid_is_valid (const char *text);

/* The 16 bytes of the id in @text's first 36 characters, by the rule above (what follows them
 * is not looked at; a shorter text is refused at its end). FALSE when they are no such id. */
gboolean koers_uuid_parse (const char *text, guint8 bytes[16]);
/* The id of @bytes as koers_uuid_is_valid() takes it, into @text's first 36 characters (no
 * NUL written). */
void     koers_uuid_format (const guint8 bytes[16], char text[36]);
/* The @n_ids ids of 16 bytes each at @ids as text separated by single spaces, into @text's
 * first KOERS_UUID_LIST_TEXT_LENGTH (@n_ids) characters (no NUL written): how the server's
 * audit keeps and shows a list of participants. */
#define KOERS_UUID_LIST_TEXT_LENGTH(n_ids) ((n_ids) > 0 ? (gsize) (n_ids) * 37 - 1 : 0)
void     koers_uuid_format_list (const guint8 *ids, gsize n_ids, char *text);

G_END_DECLS

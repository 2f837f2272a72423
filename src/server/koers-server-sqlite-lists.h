/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-server-sqlite-lists.h: what koers-server adds to each of its SQLite connections for the
 * audit trail's participant lists (schema versions 4 and 5, koers-server-schema.c).
 *
 * - koers_uuid_list_pack (list): a list of lower-case UUIDs separated by single spaces as
 *   their 16 bytes each; a list that is 16 bytes an id already comes back as it is. Anything
 *   else is an error, so nothing but ids is stored.
 * - koers_uuid_list (list): a list as text, its ids separated by spaces; a list stored as
 *   text (before version 4) comes back as it is.
 * - the FTS5 tokenizer "koers_ids": a list of 16 bytes an id into one token an id, and a
 *   query (one or more ids as text, separated by spaces) into the same tokens. A token is the
 *   id's 128 bits, six to a character: 22 characters, where the id's text is 36 that the
 *   "ascii" tokenizer had to read one by one (docs/performance.md, Server, session 14).
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Registers the two functions and the tokenizer on @handle. Returns an SQLite result code. */
int koers_server_sqlite_add_list_functions (sqlite3 *handle);

G_END_DECLS

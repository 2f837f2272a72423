/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-json-parser.h: the strict reader of koers-json-doc.h, for code that wants json-glib's
 * tree: the same tree json_parser_new_immutable() makes (members in order, integers as
 * G_TYPE_INT64, other numbers as doubles, the root sealed), at a fraction of json-glib's cost
 * (1.6.6 scans with GScanner a character at a time), and stricter.
 */
#pragma once

#include "core/koers-json-doc.h"

G_BEGIN_DECLS

JsonNode *koers_json_parse       (const char   *data,
                                  gsize         length,
                                  guint         max_depth,
                                  GError      **error);
JsonNode *koers_json_doc_to_node (KoersJsonDoc *doc,
                                  KoersJsonRef  value);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-json-parser.h: a strict RFC 8259 reader for untrusted JSON that builds the same
 * json-glib tree as json_parser_new_immutable() would, at a fraction of its cost (json-glib
 * 1.6.6 scans with GScanner a character at a time: a quarter of a first sync's instructions).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KOERS_JSON_PARSER_ERROR (koers_json_parser_error_quark ())

typedef enum {
  KOERS_JSON_PARSER_ERROR_SYNTAX,   /* not JSON text by RFC 8259's grammar */
  KOERS_JSON_PARSER_ERROR_ENCODING, /* not UTF-8, or a \u escape that is no character */
  KOERS_JSON_PARSER_ERROR_RANGE,    /* an integer outside 64 bits, a number beyond a double */
  KOERS_JSON_PARSER_ERROR_DEPTH,    /* nested deeper than allowed */
} KoersJsonParserError;

GQuark    koers_json_parser_error_quark (void);

JsonNode *koers_json_parse (const char *data,
                            gsize       length,
                            guint       max_depth,
                            GError    **error);
JsonNode *koers_json_parse_keeping_texts (const char  *data,
                                          gsize        length,
                                          guint        max_depth,
                                          guint        text_depth,
                                          GHashTable **out_texts,
                                          GError     **error);

G_END_DECLS

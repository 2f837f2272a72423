/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Request bodies of koers-server: the limits every JSON body passes before json-glib sees it.
 * json-glib 1.6.6 recurses without bound on nested arrays/objects (a few thousand '[' crash
 * the process) and has no size cap, so size and nesting are checked on the raw bytes first.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Request bodies above this many bytes are refused with 413 (docs/api-protocol.md, Limits). */
#define KOERS_SERVER_BODY_LIMIT     (1024 * 1024)
/* Deepest allowed nesting of arrays and objects; the top-level object counts as 1. */
#define KOERS_SERVER_JSON_MAX_DEPTH 64

#define KOERS_SERVER_JSON_ERROR (koers_server_json_error_quark ())

typedef enum {
  KOERS_SERVER_JSON_ERROR_INVALID,     /* 400: not UTF-8, not JSON, too deep, not an object */
  KOERS_SERVER_JSON_ERROR_TOO_LARGE,   /* 413 */
  KOERS_SERVER_JSON_ERROR_MEDIA_TYPE,  /* 415: not application/json */
} KoersServerJsonError;

GQuark    koers_server_json_error_quark      (void);

/* TRUE when @content_type (nullable, a Content-Type header value) is application/json, with
 * no parameter but an optional charset=utf-8. */
gboolean  koers_server_json_is_json_type     (const char *content_type);

/* Parses a request body: checks the media type, the size, UTF-8 and the depth, then parses
 * with the strict reader (koers_json_parse: no \u0000, surrogates paired) and requires a JSON
 * object at the top. Returns (transfer full) the root node, or NULL with a
 * KOERS_SERVER_JSON_ERROR whose message is a Dutch sentence fit for a problem detail. */
JsonNode *koers_server_json_parse_body       (const char *content_type,
                                              GBytes     *body,
                                              GError    **error);

/* Returns (transfer full) @node serialised compactly as UTF-8. */
GBytes   *koers_server_json_to_bytes         (JsonNode   *node);

/* Type-checking accessors: json-glib's plain getters log criticals (fatal in the tests) or
 * return 0/NULL silently on a wrong type. Each returns NULL/FALSE when the member is missing
 * or has another type. */
const char *koers_server_json_get_string     (JsonObject *object,
                                              const char *member);
JsonObject *koers_server_json_get_object     (JsonObject *object,
                                              const char *member);
JsonArray  *koers_server_json_get_array      (JsonObject *object,
                                              const char *member);
gboolean    koers_server_json_get_int        (JsonObject *object,
                                              const char *member,
                                              gint64     *out_value);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The contract test's runtime half: checks one HTTP response of koers-server against
 * data/api/openapi.json. The operation is found from the method and the concrete request path
 * (the spec's paths are relative to the path of its server URL, "/v1"); the status must be
 * documented for it; the headers every response carries (API-Version and the security headers
 * of docs/api-protocol.md) must be there with their values; the body must have the documented
 * media type and match the documented schema. Every 4xx/5xx must be problem+json and must not
 * leak SQL, paths, stack traces or (see koers_spec_check_forbid_text) personal data.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define KOERS_SPEC_CHECK_ERROR (koers_spec_check_error_quark ())

typedef enum {
  KOERS_SPEC_CHECK_ERROR_SPEC,      /* the specification itself cannot be read or used */
  KOERS_SPEC_CHECK_ERROR_MISMATCH,  /* the response does not match the specification */
} KoersSpecCheckError;

GQuark koers_spec_check_error_quark (void);

typedef struct _KoersSpecCheck KoersSpecCheck;

KoersSpecCheck *koers_spec_check_new_from_file  (const char          *path,
                                                 GError             **error);
KoersSpecCheck *koers_spec_check_new_from_bytes (GBytes              *spec,
                                                 GError             **error);
void            koers_spec_check_free           (KoersSpecCheck      *check);

/* Adds a string that must never appear in an error body (a participant's name or e-mail a test
 * stored), so "no personal data in errors" is checked with the data the test knows. */
void            koers_spec_check_forbid_text    (KoersSpecCheck      *check,
                                                 const char          *text);

/* @request_path: the concrete path, e.g. "/v1/deelnemers/3f0c...", a query string is ignored.
 * @body: (nullable): the response body; NULL or empty for none. On a mismatch returns FALSE
 * with KOERS_SPEC_CHECK_ERROR_MISMATCH; the message names the operation, the place ("header
 * ETag", "body $.items[2].gegevens.naam") and the rule broken. An unknown path must answer 404,
 * a method the path does not have 405, both as problem+json. */
gboolean        koers_spec_check_response       (KoersSpecCheck      *check,
                                                 const char          *method,
                                                 const char          *request_path,
                                                 guint                status,
                                                 SoupMessageHeaders  *headers,
                                                 GBytes              *body,
                                                 GError             **error);

/* Validates @instance against the schema at @pointer ("#/components/schemas/Profiel"); for
 * request bodies and fixtures. */
gboolean        koers_spec_check_instance       (KoersSpecCheck      *check,
                                                 const char          *pointer,
                                                 JsonNode            *instance,
                                                 GError             **error);

/* The base path of the first server URL ("/v1"). (transfer none) */
const char     *koers_spec_check_get_base_path  (KoersSpecCheck      *check);

/* Every operation as "METHOD /v1/path/{template}", in the spec's order, e.g. for an access
 * matrix that must cover every endpoint. (transfer full) (element-type utf8) */
GPtrArray      *koers_spec_check_list_operations (KoersSpecCheck     *check);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersSpecCheck, koers_spec_check_free)

G_END_DECLS

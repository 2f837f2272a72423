/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The OpenAPI document (data/api/openapi.json) as served at GET /v1/openapi.json: compiled
 * into koers-server as a GResource, so the spec a server serves is the one it was built and
 * tested against.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The resource path of the document. */
#define KOERS_SERVER_SPEC_RESOURCE_PATH "/nl/achterhoek/Koers/server/openapi.json"

GBytes *koers_server_spec_get_bytes (void);

G_END_DECLS

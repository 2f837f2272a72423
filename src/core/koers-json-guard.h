/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-json-guard.h: checks on raw JSON bytes before json-glib sees them. json-glib 1.6.6
 * recurses without bound on nested arrays/objects (a few thousand '[' crash the process), so
 * both the server (request bodies) and the sync client (server answers) check nesting first.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean koers_json_depth_ok (const char *data,
                              gsize       length,
                              guint       max_depth);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-spec.h"

#include "server/koers-server-spec-resources.h"

#include <gio/gio.h>

/**
 * koers_server_spec_get_bytes:
 *
 * The OpenAPI document, byte for byte as data/api/openapi.json (UTF-8 JSON).
 *
 * The resource is looked up in its own GResource rather than through the global registry:
 * from a static library the linker drops an object nothing refers to, and with it the
 * constructor that would register the resource.
 *
 * Returns: (transfer full): the document.
 */
GBytes *
koers_server_spec_get_bytes (void)
{
  g_autoptr (GError) error = NULL;
  GBytes *bytes;

  bytes = g_resource_lookup_data (koers_server_spec_get_resource (),
                                  KOERS_SERVER_SPEC_RESOURCE_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  /* Built in at compile time: a failure here is a build defect, not a runtime condition. */
  if (bytes == NULL)
    g_error ("The built-in OpenAPI document is missing: %s", error->message);
  return bytes;
}

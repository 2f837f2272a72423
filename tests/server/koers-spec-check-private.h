/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The schema half of the spec checker: the subset of OpenAPI 3.0 schema objects that
 * data/api/openapi.json uses ($ref, type with nullable, properties, required,
 * additionalProperties, items, enum, format, pattern, lengths, bounds, oneOf/anyOf/allOf).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  JsonNode   *root;         /* the whole document, for $ref */
  GHashTable *regex_cache;  /* pattern -> GRegex */
} KoersSpecSchemaContext;

/* (transfer none) (nullable): the node at a local JSON pointer "#/a/b", or NULL. */
JsonNode   *koers_spec_resolve_pointer (JsonNode   *root,
                                        const char *pointer);

/* Follows $ref until an object without one. (transfer none) (nullable) with @error set. */
JsonObject *koers_spec_deref           (JsonNode   *root,
                                        JsonNode   *node,
                                        GError    **error);

/* Validates @value against @schema; @where is the JSON path of @value ("$"), named in the
 * error with the rule broken. */
gboolean    koers_spec_validate        (KoersSpecSchemaContext *context,
                                        JsonNode               *schema,
                                        JsonNode               *value,
                                        const char             *where,
                                        GError                **error);

G_END_DECLS

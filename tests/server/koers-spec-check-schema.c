/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "koers-spec-check-private.h"

#include "koers-spec-check.h"

#include <string.h>

/* A $ref chain longer than this is a loop in the document, not a deep schema. */
#define MAX_REF_HOPS 32

static gboolean
mismatch (GError **error, const char *where, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
mismatch (GError **error, const char *where, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, KOERS_SPEC_CHECK_ERROR, KOERS_SPEC_CHECK_ERROR_MISMATCH, "%s: %s", where,
               message);
  return FALSE;
}

JsonNode *
koers_spec_resolve_pointer (JsonNode *root, const char *pointer)
{
  g_auto (GStrv) parts = NULL;
  JsonNode *node = root;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (pointer != NULL, NULL);

  if (!g_str_has_prefix (pointer, "#/"))
    return NULL;
  parts = g_strsplit (pointer + 2, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *tilde1 = NULL;
      g_auto (GStrv) ones = NULL;
      g_auto (GStrv) zeros = NULL;
      g_autofree char *name = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      /* RFC 6901: "~1" is "/", then "~0" is "~". */
      ones = g_strsplit (parts[i], "~1", -1);
      tilde1 = g_strjoinv ("/", ones);
      zeros = g_strsplit (tilde1, "~0", -1);
      name = g_strjoinv ("~", zeros);
      node = json_object_get_member (json_node_get_object (node), name);
      if (node == NULL)
        return NULL;
    }
  return node;
}

JsonObject *
koers_spec_deref (JsonNode *root, JsonNode *node, GError **error)
{
  for (guint hops = 0; hops < MAX_REF_HOPS; hops++)
    {
      JsonObject *object;
      const char *ref;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, KOERS_SPEC_CHECK_ERROR, KOERS_SPEC_CHECK_ERROR_SPEC,
                       "the specification has a non-object where a schema or object belongs");
          return NULL;
        }
      object = json_node_get_object (node);
      ref = json_object_get_string_member_with_default (object, "$ref", NULL);
      if (ref == NULL)
        return object;
      node = koers_spec_resolve_pointer (root, ref);
      if (node == NULL)
        {
          g_set_error (error, KOERS_SPEC_CHECK_ERROR, KOERS_SPEC_CHECK_ERROR_SPEC,
                       "the specification refers to %s, which does not exist", ref);
          return NULL;
        }
    }
  g_set_error (error, KOERS_SPEC_CHECK_ERROR, KOERS_SPEC_CHECK_ERROR_SPEC,
               "the specification has a $ref loop");
  return NULL;
}

static const char *
describe_node (JsonNode *value)
{
  switch (json_node_get_node_type (value))
    {
    case JSON_NODE_OBJECT:
      return "object";
    case JSON_NODE_ARRAY:
      return "array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (value))
    {
    case G_TYPE_STRING:
      return "string";
    case G_TYPE_INT64:
      return "integer";
    case G_TYPE_DOUBLE:
      return "number";
    case G_TYPE_BOOLEAN:
      return "boolean";
    default:
      return "unknown value";
    }
}

static gboolean
has_type (JsonNode *value, const char *type)
{
  GType value_type;

  if (g_str_equal (type, "object"))
    return JSON_NODE_HOLDS_OBJECT (value);
  if (g_str_equal (type, "array"))
    return JSON_NODE_HOLDS_ARRAY (value);
  if (!JSON_NODE_HOLDS_VALUE (value))
    return FALSE;
  value_type = json_node_get_value_type (value);
  if (g_str_equal (type, "string"))
    return value_type == G_TYPE_STRING;
  if (g_str_equal (type, "integer"))
    return value_type == G_TYPE_INT64;
  if (g_str_equal (type, "number"))
    return value_type == G_TYPE_INT64 || value_type == G_TYPE_DOUBLE;
  if (g_str_equal (type, "boolean"))
    return value_type == G_TYPE_BOOLEAN;
  return FALSE;
}

static gboolean
enum_contains (JsonArray *values, JsonNode *value)
{
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonNode *candidate = json_array_get_element (values, i);

      if (JSON_NODE_HOLDS_NULL (candidate) || JSON_NODE_HOLDS_NULL (value))
        {
          if (JSON_NODE_HOLDS_NULL (candidate) && JSON_NODE_HOLDS_NULL (value))
            return TRUE;
          continue;
        }
      if (json_node_equal (candidate, value))
        return TRUE;
    }
  return FALSE;
}

static GRegex *
get_regex (KoersSpecSchemaContext *context, const char *pattern, GError **error)
{
  GRegex *regex = g_hash_table_lookup (context->regex_cache, pattern);

  if (regex == NULL)
    {
      regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, error);
      if (regex == NULL)
        return NULL;
      g_hash_table_insert (context->regex_cache, g_strdup (pattern), regex);
    }
  return regex;
}

/* @text's first ten bytes are a real calendar date "YYYY-MM-DD". */
static gboolean
is_iso_date_prefix (const char *text)
{
  int year, month, day;

  if (strlen (text) < 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  year = (int) g_ascii_strtoll (text, NULL, 10);
  month = (int) g_ascii_strtoll (text + 5, NULL, 10);
  day = (int) g_ascii_strtoll (text + 8, NULL, 10);
  return year >= 1 && g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

/* The protocol sends UTC only ("2026-11-28T09:15:00Z"); an offset is a mismatch. */
static gboolean
is_utc_timestamp (const char *text)
{
  g_autoptr (GDateTime) parsed = NULL;
  gsize length = strlen (text);

  if (length < 20 || text[10] != 'T' || text[length - 1] != 'Z' || !is_iso_date_prefix (text))
    return FALSE;
  parsed = g_date_time_new_from_iso8601 (text, NULL);
  return parsed != NULL;
}

static gboolean
check_format (const char *format, const char *text, const char *where, GError **error)
{
  if (g_str_equal (format, "date"))
    {
      if (strlen (text) != 10 || !is_iso_date_prefix (text))
        return mismatch (error, where, "format date: \"%s\" is not a real date YYYY-MM-DD",
                         text);
    }
  else if (g_str_equal (format, "date-time"))
    {
      if (!is_utc_timestamp (text))
        return mismatch (error, where,
                         "format date-time: \"%s\" is not an ISO 8601 UTC timestamp "
                         "(YYYY-MM-DDTHH:MM:SSZ)", text);
    }
  else if (g_str_equal (format, "uuid"))
    {
      /* Ids on the wire are lowercase UUIDs. */
      if (!g_uuid_string_is_valid (text) || strspn (text, "0123456789abcdef-") != strlen (text))
        return mismatch (error, where, "format uuid: \"%s\" is not a lowercase UUID", text);
    }
  else if (g_str_equal (format, "uri"))
    {
      g_autofree char *scheme = g_uri_parse_scheme (text);

      if (scheme == NULL || strchr (text, ' ') != NULL)
        return mismatch (error, where, "format uri: \"%s\" is not an absolute URI", text);
    }
  else if (g_str_equal (format, "uri-reference"))
    {
      for (const char *p = text; *p != '\0'; p++)
        if ((guchar) *p <= ' ')
          return mismatch (error, where, "format uri-reference: contains a space or control "
                           "character");
    }
  return TRUE;
}

static gboolean
validate_string (KoersSpecSchemaContext *context, JsonObject *schema, const char *text,
                 const char *where, GError **error)
{
  glong length;
  const char *format = json_object_get_string_member_with_default (schema, "format", NULL);
  const char *pattern = json_object_get_string_member_with_default (schema, "pattern", NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return mismatch (error, where, "string is not valid UTF-8");
  length = g_utf8_strlen (text, -1);
  if (json_object_has_member (schema, "minLength")
      && length < json_object_get_int_member (schema, "minLength"))
    return mismatch (error, where, "minLength %" G_GINT64_FORMAT ": has %ld characters",
                     json_object_get_int_member (schema, "minLength"), length);
  if (json_object_has_member (schema, "maxLength")
      && length > json_object_get_int_member (schema, "maxLength"))
    return mismatch (error, where, "maxLength %" G_GINT64_FORMAT ": has %ld characters",
                     json_object_get_int_member (schema, "maxLength"), length);
  if (format != NULL && !check_format (format, text, where, error))
    return FALSE;
  if (pattern != NULL)
    {
      GError *regex_error = NULL;
      GRegex *regex = get_regex (context, pattern, &regex_error);

      if (regex == NULL)
        {
          g_set_error (error, KOERS_SPEC_CHECK_ERROR, KOERS_SPEC_CHECK_ERROR_SPEC,
                       "the specification's pattern %s does not compile: %s", pattern,
                       regex_error->message);
          g_error_free (regex_error);
          return FALSE;
        }
      if (!g_regex_match (regex, text, 0, NULL))
        return mismatch (error, where, "pattern %s: \"%s\" does not match", pattern, text);
    }
  return TRUE;
}

static gboolean
validate_number (JsonObject *schema, JsonNode *value, const char *where, GError **error)
{
  double number = json_node_get_value_type (value) == G_TYPE_INT64
                  ? (double) json_node_get_int (value) : json_node_get_double (value);

  if (json_object_has_member (schema, "minimum")
      && number < json_object_get_double_member (schema, "minimum"))
    return mismatch (error, where, "minimum %g: is %g",
                     json_object_get_double_member (schema, "minimum"), number);
  if (json_object_has_member (schema, "maximum")
      && number > json_object_get_double_member (schema, "maximum"))
    return mismatch (error, where, "maximum %g: is %g",
                     json_object_get_double_member (schema, "maximum"), number);
  return TRUE;
}

static gboolean
validate_array (KoersSpecSchemaContext *context, JsonObject *schema, JsonArray *array,
                const char *where, GError **error)
{
  guint length = json_array_get_length (array);
  JsonNode *items = json_object_get_member (schema, "items");

  if (json_object_has_member (schema, "minItems")
      && length < json_object_get_int_member (schema, "minItems"))
    return mismatch (error, where, "minItems %" G_GINT64_FORMAT ": has %u items",
                     json_object_get_int_member (schema, "minItems"), length);
  if (json_object_has_member (schema, "maxItems")
      && length > json_object_get_int_member (schema, "maxItems"))
    return mismatch (error, where, "maxItems %" G_GINT64_FORMAT ": has %u items",
                     json_object_get_int_member (schema, "maxItems"), length);
  if (items == NULL)
    return TRUE;
  for (guint i = 0; i < length; i++)
    {
      g_autofree char *item_where = g_strdup_printf ("%s[%u]", where, i);

      if (!koers_spec_validate (context, items, json_array_get_element (array, i), item_where,
                                error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
validate_object (KoersSpecSchemaContext *context, JsonObject *schema, JsonObject *object,
                 const char *where, GError **error)
{
  JsonObject *properties = NULL;
  JsonNode *additional = json_object_get_member (schema, "additionalProperties");
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (json_object_has_member (schema, "properties"))
    properties = json_object_get_object_member (schema, "properties");
  if (json_object_has_member (schema, "required"))
    {
      JsonArray *required = json_object_get_array_member (schema, "required");

      for (guint i = 0; i < json_array_get_length (required); i++)
        {
          const char *wanted = json_array_get_string_element (required, i);

          if (!json_object_has_member (object, wanted))
            return mismatch (error, where, "required: member \"%s\" is missing", wanted);
        }
    }

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      g_autofree char *member_where = g_strdup_printf ("%s.%s", where, name);
      JsonNode *member_schema = NULL;

      if (properties != NULL)
        member_schema = json_object_get_member (properties, name);
      if (member_schema == NULL && additional != NULL)
        {
          if (JSON_NODE_HOLDS_VALUE (additional)
              && json_node_get_value_type (additional) == G_TYPE_BOOLEAN)
            {
              if (!json_node_get_boolean (additional))
                return mismatch (error, member_where,
                                 "additionalProperties false: member \"%s\" is not in the "
                                 "schema", name);
            }
          else
            member_schema = additional;
        }
      if (member_schema != NULL
          && !koers_spec_validate (context, member_schema, member, member_where, error))
        return FALSE;
    }
  return TRUE;
}

/* oneOf (exactly one) and anyOf (at least one): says why each alternative failed. */
static gboolean
validate_alternatives (KoersSpecSchemaContext *context, JsonArray *alternatives,
                       gboolean exactly_one, JsonNode *value, const char *where,
                       GError **error)
{
  g_autoptr (GString) reasons = g_string_new (NULL);
  guint n_matched = 0;

  for (guint i = 0; i < json_array_get_length (alternatives); i++)
    {
      g_autoptr (GError) branch_error = NULL;

      if (koers_spec_validate (context, json_array_get_element (alternatives, i), value, where,
                               &branch_error))
        n_matched++;
      else if (branch_error->code == KOERS_SPEC_CHECK_ERROR_SPEC)
        {
          g_propagate_error (error, g_steal_pointer (&branch_error));
          return FALSE;
        }
      else
        g_string_append_printf (reasons, "%s[%u] %s", reasons->len > 0 ? "; " : "", i,
                                branch_error->message);
    }
  if (n_matched == 0)
    return mismatch (error, where, "%s: matches none of the alternatives (%s)",
                     exactly_one ? "oneOf" : "anyOf", reasons->str);
  if (exactly_one && n_matched > 1)
    return mismatch (error, where, "oneOf: matches %u alternatives, must match exactly one",
                     n_matched);
  return TRUE;
}

gboolean
koers_spec_validate (KoersSpecSchemaContext *context, JsonNode *schema_node, JsonNode *value,
                     const char *where, GError **error)
{
  JsonObject *schema;
  const char *type;

  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  schema = koers_spec_deref (context->root, schema_node, error);
  if (schema == NULL)
    return FALSE;
  type = json_object_get_string_member_with_default (schema, "type", NULL);

  /* OpenAPI 3.0: null is a value only where the schema says nullable (or lists null). */
  if (JSON_NODE_HOLDS_NULL (value))
    {
      if (json_object_get_boolean_member_with_default (schema, "nullable", FALSE))
        return TRUE;
      if (json_object_has_member (schema, "enum")
          && enum_contains (json_object_get_array_member (schema, "enum"), value))
        return TRUE;
      if (!json_object_has_member (schema, "oneOf") && !json_object_has_member (schema, "anyOf")
          && !json_object_has_member (schema, "allOf"))
        return mismatch (error, where, "nullable: null is not allowed here%s%s",
                         type != NULL ? ", expected type " : "", type != NULL ? type : "");
    }

  if (json_object_has_member (schema, "allOf"))
    {
      JsonArray *all = json_object_get_array_member (schema, "allOf");

      for (guint i = 0; i < json_array_get_length (all); i++)
        if (!koers_spec_validate (context, json_array_get_element (all, i), value, where, error))
          return FALSE;
    }
  if (json_object_has_member (schema, "oneOf")
      && !validate_alternatives (context, json_object_get_array_member (schema, "oneOf"), TRUE,
                                 value, where, error))
    return FALSE;
  if (json_object_has_member (schema, "anyOf")
      && !validate_alternatives (context, json_object_get_array_member (schema, "anyOf"), FALSE,
                                 value, where, error))
    return FALSE;

  if (type != NULL && !has_type (value, type))
    return mismatch (error, where, "type: expected %s, got %s", type, describe_node (value));
  if (json_object_has_member (schema, "enum")
      && !enum_contains (json_object_get_array_member (schema, "enum"), value))
    {
      g_autofree char *shown = json_to_string (value, FALSE);

      return mismatch (error, where, "enum: %s is not one of the allowed values", shown);
    }

  switch (json_node_get_node_type (value))
    {
    case JSON_NODE_OBJECT:
      return validate_object (context, schema, json_node_get_object (value), where, error);
    case JSON_NODE_ARRAY:
      return validate_array (context, schema, json_node_get_array (value), where, error);
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (value) == G_TYPE_STRING)
        return validate_string (context, schema, json_node_get_string (value), where, error);
      if (json_node_get_value_type (value) == G_TYPE_INT64
          || json_node_get_value_type (value) == G_TYPE_DOUBLE)
        return validate_number (schema, value, where, error);
      return TRUE;
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

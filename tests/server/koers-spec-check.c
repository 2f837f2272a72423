/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "koers-spec-check.h"

#include "koers-spec-check-private.h"

#include <string.h>

struct _KoersSpecCheck {
  KoersSpecSchemaContext context;
  char                  *base_path;   /* "/v1": the path of the first server URL */
  char                  *version;     /* info.version: the value of API-Version */
  GPtrArray             *forbidden;   /* extra texts no error body may contain */
};

/* docs/api-protocol.md, "General": on every response, errors included. API-Version is
 * checked against info.version. */
static const struct {
  const char *name;
  const char *value;
} security_headers[] = {
  { "Cache-Control", "no-store" },
  { "X-Content-Type-Options", "nosniff" },
  { "X-Frame-Options", "DENY" },
  { "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'" },
  { "Referrer-Policy", "no-referrer" },
  { "Strict-Transport-Security", "max-age=31536000" },
};

/* What an error body must never show: SQL, database engines, file paths, source locations,
 * stack traces. Compared case-insensitively. */
static const char * const leak_markers[] = {
  "SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "sqlite", "postgres", "/home/", "/tmp/",
  "/usr/", "/work/", ".c:", "Traceback", "backtrace", "g_assert", "Segmentation",
};

static const char * const methods[] = { "get", "put", "post", "delete", "patch", "head",
                                        "options" };

G_DEFINE_QUARK (koers-spec-check-error-quark, koers_spec_check_error)

static gboolean
spec_error (GError **error, const char *message)
{
  g_set_error_literal (error, KOERS_SPEC_CHECK_ERROR, KOERS_SPEC_CHECK_ERROR_SPEC, message);
  return FALSE;
}

static gboolean fail (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (KOERS_SPEC_CHECK_ERROR,
                                                KOERS_SPEC_CHECK_ERROR_MISMATCH, format, args));
  va_end (args);
  return FALSE;
}

/* "https://{host}/v1" -> "/v1"; "/v1/" -> "/v1"; no servers -> "". */
static char *
server_base_path (JsonObject *root)
{
  JsonArray *servers;
  JsonObject *server;
  const char *url;
  const char *scheme_end;
  const char *path;
  gsize length;

  if (!json_object_has_member (root, "servers"))
    return g_strdup ("");
  servers = json_object_get_array_member (root, "servers");
  if (servers == NULL || json_array_get_length (servers) == 0)
    return g_strdup ("");
  server = json_array_get_object_element (servers, 0);
  url = json_object_get_string_member_with_default (server, "url", "");
  scheme_end = strstr (url, "://");
  path = scheme_end != NULL ? strchr (scheme_end + 3, '/') : url;
  if (path == NULL)
    return g_strdup ("");
  length = strlen (path);
  while (length > 0 && path[length - 1] == '/')
    length--;
  return g_strndup (path, length);
}

KoersSpecCheck *
koers_spec_check_new_from_bytes (GBytes *spec, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (KoersSpecCheck) check = NULL;
  JsonObject *root;
  gsize size;
  const char *data;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (spec, &size);
  if (!json_parser_load_from_data (parser, data, (gssize) size, error))
    {
      g_prefix_error (error, "OpenAPI document: ");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      spec_error (error, "OpenAPI document: the root is not an object");
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (!g_str_has_prefix (json_object_get_string_member_with_default (root, "openapi", ""),
                         "3.0.")
      || !json_object_has_member (root, "paths")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "paths")))
    {
      spec_error (error, "OpenAPI document: not OpenAPI 3.0 with paths");
      return NULL;
    }

  check = g_new0 (KoersSpecCheck, 1);
  check->context.root = json_node_copy (json_parser_get_root (parser));
  check->context.regex_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) g_regex_unref);
  check->forbidden = g_ptr_array_new_with_free_func (g_free);
  root = json_node_get_object (check->context.root);
  check->base_path = server_base_path (root);
  if (json_object_has_member (root, "info"))
    check->version = g_strdup (json_object_get_string_member_with_default (
                                 json_object_get_object_member (root, "info"), "version", ""));
  return g_steal_pointer (&check);
}

KoersSpecCheck *
koers_spec_check_new_from_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr (GBytes) bytes = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  return koers_spec_check_new_from_bytes (bytes, error);
}

void
koers_spec_check_free (KoersSpecCheck *check)
{
  if (check == NULL)
    return;
  g_clear_pointer (&check->context.root, json_node_unref);
  g_clear_pointer (&check->context.regex_cache, g_hash_table_unref);
  g_clear_pointer (&check->forbidden, g_ptr_array_unref);
  g_free (check->base_path);
  g_free (check->version);
  g_free (check);
}

void
koers_spec_check_forbid_text (KoersSpecCheck *check, const char *text)
{
  g_return_if_fail (check != NULL);
  g_return_if_fail (text != NULL && *text != '\0');

  g_ptr_array_add (check->forbidden, g_strdup (text));
}

const char *
koers_spec_check_get_base_path (KoersSpecCheck *check)
{
  g_return_val_if_fail (check != NULL, NULL);

  return check->base_path;
}

static JsonObject *
get_paths (KoersSpecCheck *check)
{
  return json_object_get_object_member (json_node_get_object (check->context.root), "paths");
}

GPtrArray *
koers_spec_check_list_operations (KoersSpecCheck *check)
{
  GPtrArray *operations;
  JsonObjectIter iter;
  const char *template;
  JsonNode *item;

  g_return_val_if_fail (check != NULL, NULL);

  operations = g_ptr_array_new_with_free_func (g_free);
  json_object_iter_init_ordered (&iter, get_paths (check));
  while (json_object_iter_next_ordered (&iter, &template, &item))
    {
      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
        if (json_object_has_member (json_node_get_object (item), methods[i]))
          {
            g_autofree char *upper = g_ascii_strup (methods[i], -1);

            g_ptr_array_add (operations, g_strdup_printf ("%s %s%s", upper, check->base_path,
                                                          template));
          }
    }
  return operations;
}

/* The path item whose template matches @path (no query, relative to the base path). Literal
 * segments win over parameters, so "/deelnemers/_zoek" is not "/deelnemers/{id}". */
static JsonObject *
find_path_item (KoersSpecCheck *check, const char *path, const char **out_template)
{
  g_auto (GStrv) segments = g_strsplit (path, "/", -1);
  guint n_segments = g_strv_length (segments);
  JsonObject *best = NULL;
  int best_score = -1;
  JsonObjectIter iter;
  const char *template;
  JsonNode *item;

  json_object_iter_init (&iter, get_paths (check));
  while (json_object_iter_next (&iter, &template, &item))
    {
      g_auto (GStrv) parts = g_strsplit (template, "/", -1);
      int score = 0;
      guint i;

      if (g_strv_length (parts) != n_segments || !JSON_NODE_HOLDS_OBJECT (item))
        continue;
      for (i = 0; i < n_segments; i++)
        {
          if (parts[i][0] == '{' && segments[i][0] != '\0')
            continue;
          if (!g_str_equal (parts[i], segments[i]))
            break;
          score++;
        }
      if (i == n_segments && score > best_score)
        {
          best = json_node_get_object (item);
          best_score = score;
          *out_template = template;
        }
    }
  return best;
}

static gboolean
check_common_headers (KoersSpecCheck *check, SoupMessageHeaders *headers, GError **error)
{
  const char *version = soup_message_headers_get_one (headers, "API-Version");

  if (version == NULL)
    return fail (error, "header API-Version is missing");
  if (check->version != NULL && !g_str_equal (version, check->version))
    return fail (error, "header API-Version is \"%s\", the spec's info.version is \"%s\"",
                 version, check->version);
  for (guint i = 0; i < G_N_ELEMENTS (security_headers); i++)
    {
      const char *value = soup_message_headers_get_one (headers, security_headers[i].name);

      if (value == NULL || !g_str_equal (value, security_headers[i].value))
        {
          g_set_error (error, KOERS_SPEC_CHECK_ERROR, KOERS_SPEC_CHECK_ERROR_MISMATCH,
                       "security header %s is %s%s%s, must be \"%s\"", security_headers[i].name,
                       value != NULL ? "\"" : "missing", value != NULL ? value : "",
                       value != NULL ? "\"" : "", security_headers[i].value);
          return FALSE;
        }
    }
  return TRUE;
}

/* Headers the response object documents: required ones must be there, and each present one
 * must match its schema (a header value is text; integer schemas parse it first). */
static gboolean
check_documented_headers (KoersSpecCheck *check, JsonObject *response,
                          SoupMessageHeaders *headers, GError **error)
{
  JsonObject *documented;
  JsonObjectIter iter;
  const char *name;
  JsonNode *header_node;

  if (!json_object_has_member (response, "headers"))
    return TRUE;
  documented = json_object_get_object_member (response, "headers");
  json_object_iter_init (&iter, documented);
  while (json_object_iter_next (&iter, &name, &header_node))
    {
      JsonObject *header = koers_spec_deref (check->context.root, header_node, error);
      const char *value;
      g_autoptr (JsonNode) value_node = NULL;
      g_autofree char *where = NULL;
      JsonObject *schema;
      const char *type;

      if (header == NULL)
        return FALSE;
      value = soup_message_headers_get_one (headers, name);
      if (value == NULL)
        {
          if (json_object_get_boolean_member_with_default (header, "required", FALSE))
            {
              g_set_error (error, KOERS_SPEC_CHECK_ERROR, KOERS_SPEC_CHECK_ERROR_MISMATCH,
                           "header %s is required for this response and missing", name);
              return FALSE;
            }
          continue;
        }
      if (!json_object_has_member (header, "schema"))
        continue;
      schema = koers_spec_deref (check->context.root, json_object_get_member (header, "schema"),
                                 error);
      if (schema == NULL)
        return FALSE;
      type = json_object_get_string_member_with_default (schema, "type", "string");
      value_node = json_node_new (JSON_NODE_VALUE);
      if (g_str_equal (type, "integer"))
        {
          gint64 number;

          if (!g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &number, NULL))
            {
              g_set_error (error, KOERS_SPEC_CHECK_ERROR, KOERS_SPEC_CHECK_ERROR_MISMATCH,
                           "header %s: type: expected an integer, got \"%s\"", name, value);
              return FALSE;
            }
          json_node_set_int (value_node, number);
        }
      else
        json_node_set_string (value_node, value);
      where = g_strdup_printf ("header %s", name);
      if (!koers_spec_validate (&check->context, json_object_get_member (header, "schema"),
                                value_node, where, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
contains_folded (const char *haystack_lower, const char *needle)
{
  g_autofree char *needle_lower = g_ascii_strdown (needle, -1);

  return strstr (haystack_lower, needle_lower) != NULL;
}

static gboolean
check_no_leaks (KoersSpecCheck *check, const char *text, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  for (guint i = 0; i < G_N_ELEMENTS (leak_markers); i++)
    if (contains_folded (lower, leak_markers[i]))
      {
        g_set_error (error, KOERS_SPEC_CHECK_ERROR, KOERS_SPEC_CHECK_ERROR_MISMATCH,
                     "error body leaks internals: it contains \"%s\"", leak_markers[i]);
        return FALSE;
      }
  for (guint i = 0; i < check->forbidden->len; i++)
    if (contains_folded (lower, g_ptr_array_index (check->forbidden, i)))
      {
        /* The forbidden text itself is personal data: do not repeat it. */
        g_set_error (error, KOERS_SPEC_CHECK_ERROR, KOERS_SPEC_CHECK_ERROR_MISMATCH,
                     "error body contains forbidden text number %u (personal data)", i + 1);
        return FALSE;
      }
  return TRUE;
}

/* The media type, the body's JSON and its schema; @media_types is the response's "content". */
static gboolean
check_body (KoersSpecCheck *check, guint status, JsonObject *media_types,
            SoupMessageHeaders *headers, GBytes *body, JsonNode **out_parsed, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) parse_error = NULL;
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autofree char *text = NULL;
  JsonObject *media;
  JsonNode *parsed;
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;

  if (content_type == NULL)
    return fail (error, "header Content-Type is missing");
  if (status >= 400 && g_ascii_strcasecmp (content_type, "application/problem+json") != 0)
    return fail (error, "Content-Type of an error is %s, must be application/problem+json",
                 content_type);
  if (!json_object_has_member (media_types, content_type))
    return fail (error, "Content-Type %s is not documented for this response", content_type);
  if (size == 0)
    return fail (error, "body is empty, the spec documents %s", content_type);

  text = g_strndup (data, size);
  if (strlen (text) != size || !g_utf8_validate (text, -1, NULL))
    return fail (error, "body is not UTF-8 text");
  if (status >= 400 && !check_no_leaks (check, text, error))
    return FALSE;
  if (!json_parser_load_from_data (parser, text, -1, &parse_error))
    return fail (error, "body is not JSON: %s", parse_error->message);
  parsed = json_parser_get_root (parser);
  media = json_object_get_object_member (media_types, content_type);
  if (json_object_has_member (media, "schema")
      && !koers_spec_validate (&check->context, json_object_get_member (media, "schema"), parsed,
                               "body $", error))
    return FALSE;
  /* RFC 9457: the status member repeats the HTTP status. */
  if (status >= 400 && JSON_NODE_HOLDS_OBJECT (parsed))
    {
      JsonObject *problem = json_node_get_object (parsed);

      if (json_object_get_int_member_with_default (problem, "status", 0) != status)
        return fail (error, "body $.status: is %" G_GINT64_FORMAT ", the HTTP status is %u",
                     json_object_get_int_member_with_default (problem, "status", 0), status);
    }
  if (out_parsed != NULL)
    *out_parsed = json_node_copy (parsed);
  return TRUE;
}

/* Cursor pagination: a page with a next page links to it (rel="next", carrying the body's
 * cursor), the last page does not. The feed says so in meerBeschikbaar, lists in a non-null
 * volgendeCursor. */
static gboolean
check_next_link (JsonNode *parsed, SoupMessageHeaders *headers, GError **error)
{
  const char *link = soup_message_headers_get_one (headers, "Link");
  JsonObject *page;
  JsonNode *cursor_node;
  const char *cursor = NULL;
  gboolean more;

  if (!JSON_NODE_HOLDS_OBJECT (parsed))
    return TRUE;
  page = json_node_get_object (parsed);
  cursor_node = json_object_get_member (page, "volgendeCursor");
  if (cursor_node != NULL && JSON_NODE_HOLDS_VALUE (cursor_node)
      && json_node_get_value_type (cursor_node) == G_TYPE_STRING)
    cursor = json_node_get_string (cursor_node);
  if (json_object_has_member (page, "meerBeschikbaar"))
    more = json_object_get_boolean_member_with_default (page, "meerBeschikbaar", FALSE);
  else if (cursor_node != NULL)
    more = cursor != NULL;
  else
    return TRUE;

  if (!more)
    {
      if (link != NULL)
        return fail (error, "header Link: must be absent on the last page, is \"%s\"", link);
      return TRUE;
    }
  if (link == NULL || strstr (link, "rel=\"next\"") == NULL)
    return fail (error, "header Link: a page with a next page needs Link with rel=\"next\"");
  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
      g_autofree char *as_cursor = g_strconcat ("cursor=", escaped, NULL);
      g_autofree char *as_vanaf = g_strconcat ("vanaf=", escaped, NULL);

      if (strstr (link, as_cursor) == NULL && strstr (link, as_vanaf) == NULL)
        return fail (error, "header Link: does not carry the body's volgendeCursor");
    }
  return TRUE;
}

/* An unknown path (404) or method (405) has no operation: it must still be a proper problem. */
static gboolean
check_unrouted (KoersSpecCheck *check, guint status, SoupMessageHeaders *headers, GBytes *body,
                GError **error)
{
  g_autoptr (JsonNode) media_types = json_from_string (
    "{\"application/problem+json\": {\"schema\": {\"$ref\": \"#/components/schemas/Probleem\"}}}",
    NULL);

  return check_common_headers (check, headers, error)
         && check_body (check, status, json_node_get_object (media_types), headers, body, NULL,
                        error);
}

gboolean
koers_spec_check_response (KoersSpecCheck *check, const char *method, const char *request_path,
                           guint status, SoupMessageHeaders *headers, GBytes *body,
                           GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *lower_method = NULL;
  g_autofree char *status_key = NULL;
  const char *template = NULL;
  JsonObject *item;
  JsonObject *operation;
  JsonObject *responses;
  JsonNode *response_node;
  JsonObject *response;
  gboolean ok;
  gsize body_size = 0;

  g_return_val_if_fail (check != NULL, FALSE);
  g_return_val_if_fail (method != NULL, FALSE);
  g_return_val_if_fail (request_path != NULL, FALSE);
  g_return_val_if_fail (headers != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_strndup (request_path, strcspn (request_path, "?#"));
  if (body != NULL)
    body_size = g_bytes_get_size (body);

  /* Refusals of the HTTP layer, before any operation is chosen (an unknown Transfer-Encoding,
   * an Expect the server does not do, another HTTP version): no operation documents them, and
   * they must still be a proper problem. */
  if (status == SOUP_STATUS_EXPECTATION_FAILED || status == SOUP_STATUS_NOT_IMPLEMENTED
      || status == SOUP_STATUS_HTTP_VERSION_NOT_SUPPORTED)
    {
      ok = check_unrouted (check, status, headers, body, error);
      if (!ok)
        g_prefix_error (error, "%s %s -> %u (refused by the HTTP layer): ", method, path, status);
      return ok;
    }

  item = NULL;
  if (g_str_has_prefix (path, check->base_path)
      && path[strlen (check->base_path)] == '/')
    item = find_path_item (check, path + strlen (check->base_path), &template);
  if (item == NULL)
    {
      if (status != SOUP_STATUS_NOT_FOUND)
        return fail (error, "%s %s -> %u: no path in the spec matches, so the answer must be "
                     "404", method, path, status);
      ok = check_unrouted (check, status, headers, body, error);
      if (!ok)
        g_prefix_error (error, "%s %s -> %u (unknown path): ", method, path, status);
      return ok;
    }

  lower_method = g_ascii_strdown (method, -1);
  if (!json_object_has_member (item, lower_method))
    {
      if (status != SOUP_STATUS_METHOD_NOT_ALLOWED)
        return fail (error, "%s %s%s -> %u: the spec has no %s here, so the answer must be 405",
                     method, check->base_path, template, status, method);
      ok = check_unrouted (check, status, headers, body, error);
      if (!ok)
        g_prefix_error (error, "%s %s%s -> %u (method not in the spec): ", method,
                        check->base_path, template, status);
      return ok;
    }

  operation = json_object_get_object_member (item, lower_method);
  responses = json_object_get_object_member (operation, "responses");
  status_key = g_strdup_printf ("%u", status);
  response_node = json_object_get_member (responses, status_key);
  if (response_node == NULL)
    response_node = json_object_get_member (responses, "default");
  if (response_node == NULL)
    {
      g_autoptr (GList) codes = json_object_get_members (responses);
      g_autoptr (GString) listed = g_string_new (NULL);

      for (GList *l = codes; l != NULL; l = l->next)
        g_string_append_printf (listed, "%s%s", listed->len > 0 ? ", " : "",
                                (const char *) l->data);
      return fail (error, "%s %s%s -> %u: status %u is not documented for this operation "
                   "(documented: %s)", method, check->base_path, template, status, status,
                   listed->str);
    }
  response = koers_spec_deref (check->context.root, response_node, error);
  ok = response != NULL
       && check_common_headers (check, headers, error)
       && check_documented_headers (check, response, headers, error);
  if (ok && json_object_has_member (response, "content"))
    {
      g_autoptr (JsonNode) parsed = NULL;

      ok = check_body (check, status, json_object_get_object_member (response, "content"),
                       headers, body, &parsed, error);
      if (ok && status < 300 && json_object_has_member (response, "headers")
          && json_object_has_member (json_object_get_object_member (response, "headers"),
                                     "Link"))
        ok = check_next_link (parsed, headers, error);
    }
  else if (ok && body_size > 0)
    {
      ok = fail (error, "the spec documents no body for this status, got %" G_GSIZE_FORMAT
                 " bytes", body_size);
    }
  if (!ok)
    g_prefix_error (error, "%s %s%s -> %u: ", method, check->base_path, template, status);
  return ok;
}

gboolean
koers_spec_check_instance (KoersSpecCheck *check, const char *pointer, JsonNode *instance,
                           GError **error)
{
  JsonNode *schema;

  g_return_val_if_fail (check != NULL, FALSE);
  g_return_val_if_fail (pointer != NULL, FALSE);
  g_return_val_if_fail (instance != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  schema = koers_spec_resolve_pointer (check->context.root, pointer);
  if (schema == NULL)
    {
      g_set_error (error, KOERS_SPEC_CHECK_ERROR, KOERS_SPEC_CHECK_ERROR_SPEC,
                   "the spec has nothing at %s", pointer);
      return FALSE;
    }
  return koers_spec_validate (&check->context, schema, instance, "$", error);
}

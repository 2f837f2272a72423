/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-auth-private.h"

#include <string.h>

/* Responses of the auth endpoints: the API's headers on every one, HTML for the browser,
 * RFC 6749 JSON for the token endpoint, and the bounded form reader both share. */

void
koers_server_auth_set_headers (SoupServerMessage *msg,
                               gboolean           login_page)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "API-Version", "1.0.0");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  /* The login page needs its inline style and its own form. Chrome applies form-action to
   * the redirect after the POST as well, so the app's scheme has to be allowed there too. */
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                login_page
                                ? "default-src 'none'; style-src 'unsafe-inline'; "
                                  "form-action 'self' nl.achterhoek.koers:; "
                                  "frame-ancestors 'none'"
                                : "default-src 'none'; frame-ancestors 'none'");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Strict-Transport-Security", "max-age=31536000");
}

void
koers_auth_respond_html (SoupServerMessage *msg,
                         guint              status,
                         char              *html)
{
  koers_server_auth_set_headers (msg, TRUE);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    html, strlen (html));
}

void
koers_auth_respond_error_page (SoupServerMessage *msg,
                               guint              status,
                               const char        *message)
{
  koers_auth_respond_html (msg, status,
                           koers_server_auth_render_error_page ("Inloggen is niet mogelijk",
                                                                message));
}

void
koers_auth_respond_json (SoupServerMessage *msg,
                         guint              status,
                         const char        *content_type,
                         JsonNode          *node)
{
  g_autofree char *body = json_to_string (node, FALSE);
  gsize length = strlen (body);

  koers_server_auth_set_headers (msg, FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Pragma",
                                "no-cache");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&body), length);
}

void
koers_auth_respond_not_found (SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "https://koers.achterhoek.nl/problemen/niet-gevonden");
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, "Niet gevonden");
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, 404);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  koers_auth_respond_json (msg, SOUP_STATUS_NOT_FOUND, "application/problem+json", node);
}

/* RFC 6749 5.2 error body. */
void
koers_auth_respond_oauth_error (SoupServerMessage *msg,
                                guint              status,
                                const char        *code,
                                const char        *description)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "error_description");
  json_builder_add_string_value (builder, description);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  koers_auth_respond_json (msg, status, "application/json", node);
}

/* Reads an application/x-www-form-urlencoded body; NULL after answering with an error. */
GHashTable *
koers_auth_read_form (SoupServerMessage *msg,
                      gboolean           html)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  if (g_strcmp0 (content_type, "application/x-www-form-urlencoded") != 0)
    {
      if (html)
        koers_auth_respond_error_page (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                       "Het formulier is niet goed verstuurd.");
      else
        koers_auth_respond_oauth_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                        "invalid_request",
                                        "Content-Type moet "
                                        "application/x-www-form-urlencoded zijn.");
      return NULL;
    }
  if (body->length > KOERS_AUTH_MAX_FORM_BYTES)
    {
      if (html)
        koers_auth_respond_error_page (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                       "Het formulier is te groot.");
      else
        koers_auth_respond_oauth_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                        "invalid_request", "De aanvraag is groter dan 16 KiB.");
      return NULL;
    }
  bytes = soup_message_body_flatten (body);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_form_decode (text);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-token-source-private.h"

#include "core/koers-uuid.h"
#include "sync/koers-key-store-private.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-private.h"

#include <string.h>

#define READ_CHUNK 8192
#define MAX_TOKEN_LENGTH 2048

typedef struct {
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *buffer;
} Request;

static void
wipe_buffer (GByteArray *buffer)
{
  volatile guint8 *p = buffer->data;

  for (guint i = 0; i < buffer->len; i++)
    p[i] = 0;
  g_byte_array_unref (buffer);
}

static void
request_free (gpointer data)
{
  Request *request = data;

  g_clear_object (&request->msg);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->buffer, wipe_buffer);
  g_free (request);
}

/* Tokens end up in an Authorization header: only the characters of RFC 6750's b64token. */
static gboolean
is_token (const char *text)
{
  gsize length;

  if (text == NULL)
    return FALSE;
  length = strlen (text);
  if (length == 0 || length > MAX_TOKEN_LENGTH)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && strchr ("-._~+/=", text[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* The OAuth "error" member of a refusal, when it looks like one ("invalid_grant"): the only
 * part of the server's answer that goes into our message. */
static char *
oauth_error_code (GBytes *body)
{
  g_autoptr(JsonNode) root = koers_sync_json_parse_response (body, NULL);
  const char *code;

  if (root == NULL)
    return NULL;
  code = koers_sync_json_string (json_node_get_object (root), "error");
  if (code == NULL || *code == '\0' || strlen (code) > 40
      || strspn (code, "abcdefghijklmnopqrstuvwxyz_") != strlen (code))
    return NULL;
  return g_strdup (code);
}

static KoersTokenGrant *
read_grant (GBytes  *body,
            GError **error)
{
  g_autoptr(JsonNode) root = koers_sync_json_parse_response (body, error);
  g_autoptr(KoersTokenGrant) grant = NULL;
  JsonObject *object;
  const char *type;
  const char *device;
  gint64 expires_in = 0;

  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);
  type = koers_sync_json_string (object, "token_type");
  if (!is_token (koers_sync_json_string (object, "access_token"))
      || !is_token (koers_sync_json_string (object, "refresh_token")))
    {
      g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                           _("The server's token answer has no usable tokens"));
      return NULL;
    }
  if (json_object_has_member (object, "token_type")
      && (type == NULL || g_ascii_strcasecmp (type, "Bearer") != 0))
    {
      g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                           _("The server's token answer is not for a bearer token"));
      return NULL;
    }
  device = koers_sync_json_string (object, "apparaat_id");
  if (json_object_has_member (object, "apparaat_id") && !koers_uuid_is_valid (device))
    {
      g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                           _("The server's token answer has an invalid device id"));
      return NULL;
    }
  if (json_object_has_member (object, "expires_in")
      && (!koers_sync_json_int (object, "expires_in", &expires_in) || expires_in < 0))
    {
      g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                           _("The server's token answer has an invalid lifetime"));
      return NULL;
    }

  grant = g_new0 (KoersTokenGrant, 1);
  grant->access_token = g_strdup (koers_sync_json_string (object, "access_token"));
  grant->refresh_token = g_strdup (koers_sync_json_string (object, "refresh_token"));
  grant->device_id = g_strdup (device);
  grant->expires_in = expires_in;
  return g_steal_pointer (&grant);
}

static void
answer_complete (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  guint status = soup_message_get_status (request->msg);
  g_autoptr(GBytes) body = g_bytes_new_static (request->buffer->data, request->buffer->len);
  g_autofree char *code = NULL;
  GError *error = NULL;
  KoersTokenGrant *grant;

  if (status == 429 || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    {
      g_task_return_new_error (task, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RETRY,
                               _("The server is busy (HTTP %u); try again later"), status);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      code = oauth_error_code (body);
      if (code != NULL)
        g_task_return_new_error (task, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH,
                                 _("The server refused the sign-in (HTTP %u, %s)"), status,
                                 code);
      else
        g_task_return_new_error (task, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH,
                                 _("The server refused the sign-in (HTTP %u)"), status);
      return;
    }
  grant = read_grant (body, &error);
  if (grant == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, grant, (GDestroyNotify) koers_token_grant_free);
}

static void
return_transport_error (GTask  *task,
                        GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, error);
  else
    {
      g_task_return_new_error (task, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NETWORK,
                               _("The server cannot be reached: %s"), error->message);
      g_error_free (error);
    }
}

static void read_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* Takes @task. */
static void
read_next (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      return_transport_error (task, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      answer_complete (task);
      return;
    }
  /* libsoup decompresses without a limit: the cap is on what arrives decoded. */
  if (request->buffer->len + g_bytes_get_size (chunk) > KOERS_TOKEN_RESPONSE_LIMIT)
    {
      g_task_return_new_error (task, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                               _("The server's token answer is larger than %d KiB"),
                               KOERS_TOKEN_RESPONSE_LIMIT / 1024);
      return;
    }
  g_byte_array_append (request->buffer, g_bytes_get_data (chunk, NULL),
                       g_bytes_get_size (chunk));
  read_next (g_steal_pointer (&task));
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->stream == NULL)
    {
      return_transport_error (task, error);
      return;
    }
  request->buffer = g_byte_array_new ();
  read_next (g_steal_pointer (&task));
}

void
koers_token_request_async (SoupSession         *session,
                           const char          *server_url,
                           const char          *form,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *url = NULL;
  g_autoptr(GBytes) body = NULL;
  Request *request;
  char *copy;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (form != NULL);

  g_task_set_source_tag (task, koers_token_request_async);
  url = g_strconcat (server_url, "/oauth/token", NULL);
  request = g_new0 (Request, 1);
  g_task_set_task_data (task, request, request_free);
  request->msg = soup_message_new ("POST", url);
  if (request->msg == NULL)
    {
      g_task_return_new_error (task, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NETWORK,
                               _("The server address is not a valid URL"));
      return;
    }
  /* A token request is answered where it was sent; a redirect is a refusal, never followed
   * with the code or refresh token to somewhere else. */
  soup_message_add_flags (request->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (request->msg), "Accept",
                                "application/json");
  /* The form holds the code verifier or the refresh token: wiped when libsoup lets go. */
  copy = g_strdup (form);
  body = g_bytes_new_with_free_func (copy, strlen (copy), (GDestroyNotify) koers_secret_free,
                                     copy);
  soup_message_set_request_body_from_bytes (request->msg, "application/x-www-form-urlencoded",
                                            body);
  soup_session_send_async (session, request->msg, G_PRIORITY_DEFAULT, cancellable, sent_cb,
                           g_steal_pointer (&task));
}

KoersTokenGrant *
koers_token_request_finish (GAsyncResult  *result,
                            guint         *out_status,
                            GError       **error)
{
  Request *request;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  request = g_task_get_task_data (G_TASK (result));
  if (out_status != NULL)
    *out_status = request != NULL && request->msg != NULL
                  ? soup_message_get_status (request->msg) : 0;
  return g_task_propagate_pointer (G_TASK (result), error);
}

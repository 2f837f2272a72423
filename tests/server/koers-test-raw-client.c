/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A raw HTTP client for the server tests: for what SoupSession will not send (trickled
 * headers, oversized chunked bodies, idle connections) and to see what the server does with
 * one TCP connection.
 */
#include "config.h"

#include "koers-test-raw-client.h"

#include <string.h>


static void
raw_read_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RawClient *client = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  client->reading = FALSE;
  if (n <= 0)
    {
      client->closed = TRUE;
      return;
    }
  g_byte_array_append (client->received, (const guint8 *) client->buffer, (guint) n);
}

RawClient *
raw_connect (KoersTestServer *f)
{
  g_autoptr (GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr (GError) error = NULL;
  RawClient *client = g_new0 (RawClient, 1);

  client->connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", f->port,
                                                        NULL, &error);
  g_assert_no_error (error);
  client->received = g_byte_array_new ();
  return client;
}

void
raw_free (RawClient *client)
{
  g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
  /* A read may still be pending; let it finish against the closed stream. */
  while (client->reading)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (client->connection);
  g_byte_array_unref (client->received);
  g_free (client);
}

/* Writes while the server runs on the same main context (blocking writes of more than the
 * socket buffer would wait for a server that cannot run). */
gboolean
raw_write (RawClient  *client,
           const void *data,
           gsize       length)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (client->connection));
  gsize written = 0;

  while (written < length)
    {
      g_autoptr (GError) error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (out),
                                                             (const char *) data + written,
                                                             length - written, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_main_context_iteration (NULL, FALSE);
          continue;
        }
      if (n < 0)
        return FALSE;
      written += (gsize) n;
    }
  return TRUE;
}

/* Pumps the main context until the server closed the connection or @ms passed; reads what
 * arrives. Returns TRUE when the connection was closed. */
gboolean
raw_wait_closed (RawClient *client,
                 guint      ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (client->connection));

  while (!client->closed && g_get_monotonic_time () < end)
    {
      if (!client->reading)
        {
          client->reading = TRUE;
          g_input_stream_read_async (in, client->buffer, sizeof client->buffer,
                                     G_PRIORITY_DEFAULT, NULL, raw_read_cb, client);
        }
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return client->closed;
}

/* Where the first response in @client's bytes ends (headers plus Content-Length body), or 0
 * while it is incomplete. */
static gsize
first_response_length (RawClient *client)
{
  const char *data = (const char *) client->received->data;
  const char *end;
  g_autoptr (SoupMessageHeaders) headers = NULL;
  gsize head_length;
  goffset body_length;

  if (client->received->len == 0)
    return 0;
  end = g_strstr_len (data, client->received->len, "\r\n\r\n");
  if (end == NULL)
    return 0;
  head_length = (gsize) (end - data) + 4;
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  if (!soup_headers_parse_response (data, (int) head_length - 2, headers, NULL, NULL, NULL))
    return 0;
  /* No length (a refusal libsoup writes itself): the body ends with the connection. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_EOF)
    return client->closed ? client->received->len : 0;
  body_length = soup_message_headers_get_content_length (headers);
  if (client->received->len < head_length + (gsize) body_length)
    return 0;
  return head_length + (gsize) body_length;
}

gboolean
raw_wait_response (RawClient *client,
                   guint      ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (client->connection));

  while (first_response_length (client) == 0 && !client->closed
         && g_get_monotonic_time () < end)
    {
      if (!client->reading)
        {
          client->reading = TRUE;
          g_input_stream_read_async (in, client->buffer, sizeof client->buffer,
                                     G_PRIORITY_DEFAULT, NULL, raw_read_cb, client);
        }
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return first_response_length (client) > 0;
}

guint
raw_check_response (KoersTestServer *f,
                    RawClient       *client,
                    const char      *method,
                    const char      *path)
{
  const char *data = (const char *) client->received->data;
  const char *end = g_strstr_len (data, client->received->len, "\r\n\r\n");
  g_autoptr (SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr (GBytes) body = NULL;
  gsize length = first_response_length (client);
  guint status = 0;

  g_assert_nonnull (end);
  g_assert_true (soup_headers_parse_response (data, (int) (end - data) + 2, headers, NULL,
                                              &status, NULL));
  /* A response cut short by a close has no complete length: take what came. */
  if (length == 0)
    length = client->received->len;
  body = g_bytes_new (end + 4, length - (gsize) (end + 4 - data));
  koers_test_server_check (f, method, path, status, headers, body);
  g_byte_array_remove_range (client->received, 0, (guint) length);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Why koers-server accepts connections itself: libsoup 3.2's own listener never releases the
 * GSocket of an accepted connection (about 350 bytes lost per connection, for the life of the
 * process; LeakSanitizer and valgrind show it in g_socket_accept). Connections handed over
 * with soup_server_accept_iostream() are released properly. Doing the accepting also gives
 * the guards (koers-server-guard.c) the connection's socket, which libsoup then does not.
 *
 * One catch: libsoup 3.2 keeps a connection open for the next request only while the
 * SoupServer has a listener of its own (request_finished() tests priv->listeners). Without
 * one every response closed its connection, so each request paid a new TCP handshake and
 * clients that reuse connections (wrk, libsoup's own session) saw them die under them. So the
 * SoupServer gets a listener nobody can reach: a Unix socket whose file is removed as soon as
 * it listens. It never accepts anything; it only switches keep-alive on.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "server/koers-server-accept-private.h"

#include <gio/gnetworking.h>
#include <glib/gstdio.h>

#ifdef G_OS_UNIX
#include <gio/gunixsocketaddress.h>
#endif

struct _KoersServerAcceptor
{
  SoupServer     *soup;          /* borrowed */
  GSocketService *service;
  GHashTable     *connections;   /* "address#port" of the peer -> GSocketConnection (weak) */
  guint           max_connections;
  gboolean        keep_alive_anchored;
};

static char *
peer_key (GSocketAddress *address)
{
  GInetSocketAddress *inet;
  g_autofree char *host = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;

  inet = G_INET_SOCKET_ADDRESS (address);
  host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
  return g_strdup_printf ("%s#%u", host, g_inet_socket_address_get_port (inet));
}

static void
connection_gone_cb (gpointer  data,
                    GObject  *where_the_object_was)
{
  KoersServerAcceptor *acceptor = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, acceptor->connections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (value == (gpointer) where_the_object_was)
        {
          g_hash_table_iter_remove (&iter);
          break;
        }
    }
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  KoersServerAcceptor *acceptor = user_data;
  g_autoptr (GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr (GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *key = NULL;

  if (local == NULL || remote == NULL)
    return TRUE;   /* the peer left already; dropping the connection closes it */

  /* Every open connection costs a socket and buffers; past the cap a flood of idle
   * connections would exhaust the process's file descriptors and starve real clients. */
  if (g_hash_table_size (acceptor->connections) >= acceptor->max_connections)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  /* libsoup writes a response's headers and its body as separate sends. With Nagle's
   * algorithm on, the body's last short segment waits for the client's ACK of the headers,
   * which the client delays (~40 ms on Linux): every answer would take 40 ms. Measured with
   * wrk: p50 48 ms with Nagle, see docs/performance.md. */
  if (G_IS_TCP_CONNECTION (connection)
      && !g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP,
                               TCP_NODELAY, 1, &error))
    {
      g_message ("koers-server: could not switch Nagle's algorithm off: %s", error->message);
      g_clear_error (&error);
    }

  key = peer_key (remote);
  if (key != NULL)
    {
      GObject *previous = g_hash_table_lookup (acceptor->connections, key);

      if (previous != NULL)
        g_object_weak_unref (previous, connection_gone_cb, acceptor);
      g_hash_table_replace (acceptor->connections, g_steal_pointer (&key), connection);
      g_object_weak_ref (G_OBJECT (connection), connection_gone_cb, acceptor);
    }

  if (!soup_server_accept_iostream (acceptor->soup, G_IO_STREAM (connection), local, remote,
                                    &error))
    g_message ("koers-server: could not take a connection: %s", error->message);

  return TRUE;
}

/* See the top of this file. Failing here costs speed, not correctness: without the anchor
 * every response closes its connection, as it did before. */
static void
anchor_keep_alive (KoersServerAcceptor *acceptor)
{
#ifdef G_OS_UNIX
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  if (acceptor->keep_alive_anchored)
    return;

  dir = g_dir_make_tmp ("koers-server-XXXXXX", &error);
  if (dir == NULL)
    goto failed;
  path = g_build_filename (dir, "anker", NULL);
  address = g_unix_socket_address_new (path);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                         &error);
  if (socket == NULL
      || !g_socket_bind (socket, address, FALSE, &error)
      || !g_socket_listen (socket, &error))
    {
      g_remove (path);
      g_rmdir (dir);
      goto failed;
    }
  /* Unreachable from here on: nobody can connect to a socket without a name. */
  g_remove (path);
  g_rmdir (dir);

  if (!soup_server_listen_socket (acceptor->soup, socket, 0, &error))
    goto failed;
  acceptor->keep_alive_anchored = TRUE;
  return;

failed:
  g_message ("koers-server: connections will not be kept open: %s", error->message);
#else
  (void) acceptor;
#endif
}

KoersServerAcceptor *
koers_server_acceptor_new (SoupServer *soup,
                           guint       max_connections)
{
  KoersServerAcceptor *acceptor = g_new0 (KoersServerAcceptor, 1);

  acceptor->soup = soup;
  acceptor->max_connections = max_connections;
  acceptor->connections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  return acceptor;
}

void
koers_server_acceptor_stop (KoersServerAcceptor *acceptor)
{
  if (acceptor->service != NULL)
    {
      g_socket_service_stop (acceptor->service);
      g_socket_listener_close (G_SOCKET_LISTENER (acceptor->service));
    }
}

void
koers_server_acceptor_free (KoersServerAcceptor *acceptor)
{
  GHashTableIter iter;
  gpointer value;

  if (acceptor == NULL)
    return;

  koers_server_acceptor_stop (acceptor);
  if (acceptor->service != NULL)
    g_signal_handlers_disconnect_by_data (acceptor->service, acceptor);
  g_clear_object (&acceptor->service);

  g_hash_table_iter_init (&iter, acceptor->connections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_object_weak_unref (value, connection_gone_cb, acceptor);
      g_hash_table_iter_remove (&iter);
    }
  g_hash_table_unref (acceptor->connections);
  g_free (acceptor);
}

void
koers_server_acceptor_set_max_connections (KoersServerAcceptor *acceptor,
                                           guint                count)
{
  acceptor->max_connections = count;
}

gboolean
koers_server_acceptor_listen (KoersServerAcceptor *acceptor,
                              GSocketAddress      *address,
                              guint               *out_port,
                              GError             **error)
{
  g_autoptr (GSocketAddress) effective = NULL;

  if (acceptor->service == NULL)
    {
      acceptor->service = g_socket_service_new ();
      /* GLib's default of 10 pending connections drops connects under a burst of clients. */
      g_socket_listener_set_backlog (G_SOCKET_LISTENER (acceptor->service), 128);
      g_signal_connect (acceptor->service, "incoming", G_CALLBACK (incoming_cb), acceptor);
    }
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (acceptor->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, error))
    return FALSE;
  anchor_keep_alive (acceptor);
  g_socket_service_start (acceptor->service);

  if (out_port != NULL)
    *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));

  return TRUE;
}

GSocket *
koers_server_acceptor_lookup_socket (KoersServerAcceptor *acceptor,
                                     SoupServerMessage   *msg)
{
  g_autofree char *key = peer_key (soup_server_message_get_remote_address (msg));
  GSocketConnection *connection;

  connection = key != NULL ? g_hash_table_lookup (acceptor->connections, key) : NULL;

  return connection != NULL ? g_socket_connection_get_socket (connection) : NULL;
}

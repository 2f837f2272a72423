/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-server-accept-private.h: how koers-server takes TCP connections and hands them to
 * libsoup (koers-server-accept.c says why it does not let libsoup listen itself).
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _KoersServerAcceptor KoersServerAcceptor;

/* @soup (transfer none) must outlive the acceptor. */
KoersServerAcceptor *koers_server_acceptor_new        (SoupServer          *soup,
                                                       guint                max_connections);
void                 koers_server_acceptor_free       (KoersServerAcceptor *acceptor);
void                 koers_server_acceptor_set_max_connections (KoersServerAcceptor *acceptor,
                                                                guint                count);
/* Listens on @address (an IP address) and @port (0: a free one). */
gboolean             koers_server_acceptor_listen     (KoersServerAcceptor *acceptor,
                                                       GSocketAddress      *address,
                                                       guint               *out_port,
                                                       GError             **error);
/* Stops listening; open connections stay until libsoup closes them. */
void                 koers_server_acceptor_stop       (KoersServerAcceptor *acceptor);
/* (transfer none) (nullable): the socket of the connection @msg arrived on. */
GSocket             *koers_server_acceptor_lookup_socket (KoersServerAcceptor *acceptor,
                                                          SoupServerMessage   *msg);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Connection guards of koers-server: the header deadline and the early body-size refusal. */
#pragma once

#include <libsoup/soup.h>

#include "server/koers-server.h"

G_BEGIN_DECLS

/* Watches every request @soup starts, for @self's header timeout and the body limit. */
void koers_server_guard_attach (KoersServer *self,
                                SoupServer  *soup);

/* (transfer none) (nullable) the socket of the connection @msg arrived on (koers-server.c). */
GSocket *koers_server_lookup_socket (KoersServer       *self,
                                     SoupServerMessage *msg);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-test-raw-client.h: a raw HTTP/1.1 client over one TCP connection to the test server.
 * Everything runs on the default main context, which the server shares.
 */
#pragma once

#include "koers-test-server.h"

G_BEGIN_DECLS

typedef struct {
  GSocketConnection *connection;
  GByteArray        *received;
  gboolean           closed;
  gboolean           reading;
  char               buffer[4096];
} RawClient;

RawClient *raw_connect        (KoersTestServer *f);
void       raw_free           (RawClient       *client);
/* Writes while the server runs on the same main context. FALSE when the write failed. */
gboolean   raw_write          (RawClient       *client,
                               const void      *data,
                               gsize            length);
/* Reads until the server closed the connection or @ms passed; TRUE when closed. */
gboolean   raw_wait_closed    (RawClient       *client,
                               guint            ms);
/* Reads until one whole response (headers and Content-Length body) is in or @ms passed;
 * TRUE when it is. */
gboolean   raw_wait_response  (RawClient       *client,
                               guint            ms);
/* Parses the first response received, checks it like any other response, removes it from
 * the received bytes and returns its status. */
guint      raw_check_response (KoersTestServer *f,
                               RawClient       *client,
                               const char      *method,
                               const char      *path);

G_END_DECLS

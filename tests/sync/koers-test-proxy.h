/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A fault-injecting HTTP proxy for the sync tests (issue 5: "duplicated, dropped and
 * reordered requests through a fault-injecting proxy"): a SoupServer on 127.0.0.1 that
 * forwards every request to the real server with a SoupSession, on the test's main context.
 * Faults apply to the API (/v1/...) only; the OAuth endpoints always pass, since replaying a
 * refresh would rightly revoke the token family.
 *
 * Which fault a request gets: a rule queued with koers_test_proxy_add_rule() for its method
 * and path, else a draw from a GRand seeded by the test (koers_test_proxy_set_random), so a
 * failing seed replays the same faults for the same request order. Everything the proxy did
 * is in its log (koers_test_proxy_get_log), and each fault is also printed with
 * g_test_message, so it is in the test's output next to a failure.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  KOERS_TEST_PROXY_PASS,
  KOERS_TEST_PROXY_DROP_REQUEST,   /* never forwarded; the connection is closed unanswered */
  KOERS_TEST_PROXY_DROP_ANSWER,    /* forwarded (the server commits), then the connection is
                                    * closed before the answer: the client sees a failure */
  KOERS_TEST_PROXY_DUPLICATE,      /* forwarded twice at once; one of the answers (drawn) is
                                    * returned */
  KOERS_TEST_PROXY_DUPLICATE_LATE, /* forwarded and answered; a copy follows 50-300 ms later,
                                    * possibly after the client's next requests */
  KOERS_TEST_PROXY_HOLD,           /* held until another request overtook it (or 300 ms) */
  KOERS_TEST_PROXY_DELAY,          /* forwarded after 10-200 ms */
  KOERS_TEST_PROXY_N_FAULTS
} KoersTestProxyFault;

#define KOERS_TEST_PROXY_ALL_FAULTS 0x7e   /* every kind but PASS */
#define KOERS_TEST_PROXY_FAULT_BIT(fault) (1u << (fault))

typedef struct _KoersTestProxy KoersTestProxy;

/* A proxy in front of http://127.0.0.1:@upstream_port, passing everything until told
 * otherwise. */
KoersTestProxy *koers_test_proxy_new       (guint           upstream_port,
                                            guint32         seed);
void            koers_test_proxy_free      (KoersTestProxy *proxy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersTestProxy, koers_test_proxy_free)

/* (transfer none) "http://127.0.0.1:PORT", for koers_test_peer_set_url(). */
const char     *koers_test_proxy_get_url   (KoersTestProxy *proxy);

/* Each API request gets a fault with probability @rate (0 turns random faults off), its kind
 * drawn evenly from @kinds (KOERS_TEST_PROXY_FAULT_BIT ORed). */
void            koers_test_proxy_set_random (KoersTestProxy *proxy,
                                             double          rate,
                                             guint           kinds);

/* The next API request with @method whose path starts with @path_prefix gets @fault (rules
 * are used once, in the order they were added). */
void            koers_test_proxy_add_rule  (KoersTestProxy      *proxy,
                                            const char          *method,
                                            const char          *path_prefix,
                                            KoersTestProxyFault  fault);

/* The answer to the next API request with @method whose path starts with @path_prefix is
 * padded with spaces (JSON allows them after the value) to @decoded_size bytes and sent
 * gzip-compressed (Content-Encoding: gzip), so a few KiB on the wire unpack to
 * @decoded_size: what a client's cap on a decoded answer must catch. */
void            koers_test_proxy_pad_answer (KoersTestProxy *proxy,
                                             const char     *method,
                                             const char     *path_prefix,
                                             gsize           decoded_size);

/* How often @fault was applied so far. */
guint           koers_test_proxy_count     (KoersTestProxy      *proxy,
                                            KoersTestProxyFault  fault);
/* Requests with @method and @path_prefix the server received from the proxy (copies
 * included). */
guint           koers_test_proxy_forwarded (KoersTestProxy *proxy,
                                            const char     *method,
                                            const char     *path_prefix);

/* Spins the main context until nothing is held, delayed or in flight (at most 10 s). */
void            koers_test_proxy_settle    (KoersTestProxy *proxy);

/* (transfer none) one line per request: number, method, path, fault, upstream status. */
const char     *koers_test_proxy_get_log   (KoersTestProxy *proxy);
const char     *koers_test_proxy_fault_name (KoersTestProxyFault fault);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-net.h: loopback helpers the server and sync benchmarks share for the koers-server
 * process they start.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A TCP port on 127.0.0.1 that was free a moment ago (0 when none could be found). */
guint    bench_free_port       (void);
/* Polls until something accepts connections on 127.0.0.1:@port (at most 15 s). */
gboolean bench_wait_for_server (guint port);

G_END_DECLS

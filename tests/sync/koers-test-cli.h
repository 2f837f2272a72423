/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `koers-cli sync` as a separate process on a test device's database (tests/sync): the
 * device's access token in a private token file, optionally a crash point
 * (KOERS_SYNC_CRASH_POINT, src/sync/koers-sync-crash.h) or a fake clock (`faketime -f`). The
 * test's main context keeps serving the in-process server meanwhile. Needs KOERS_CLI in the
 * environment (meson sets it).
 */
#pragma once

#include "koers-test-sync.h"

G_BEGIN_DECLS

typedef struct {
  char    *out;
  char    *err;
  gboolean exited;     /* ended by exit (status set), else by a signal (term_sig) */
  int      status;
  int      term_sig;
  gboolean done;
} KoersTestCliRun;

/* Starts the command against @url; @crash_point and @faketime nullable. @run (zeroed, kept
 * alive by the caller) gets the outcome; run->done says when it ended. */
void koers_test_cli_sync_start (KoersTestPeer   *peer,
                                const char      *url,
                                const char      *crash_point,
                                const char      *faketime,
                                guint            page_size,
                                KoersTestCliRun *run);
/* The same, waiting (at most 60 s) until the command ended. */
void koers_test_cli_sync       (KoersTestPeer   *peer,
                                const char      *url,
                                const char      *crash_point,
                                const char      *faketime,
                                guint            page_size,
                                KoersTestCliRun *run);
void koers_test_cli_run_clear  (KoersTestCliRun *run);

/* Ends the read snapshot the test's own connection to @peer's database may hold (a cached
 * statement that stopped at a row), so it sees what the command wrote. */
void koers_test_peer_release_snapshot (KoersTestPeer *peer);

G_END_DECLS

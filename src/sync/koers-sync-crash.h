/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-crash.h: named crash points for the kill -9 tests of issue 5 (SYNC.md: "kill -9
 * of the client at named crash points"). With KOERS_SYNC_CRASH_POINT=NAME in the environment
 * the process ends at once, as by `kill -9`, the first time it reaches the point NAME; with
 * NAME@K, the K-th time (K >= 1), so a test can stop after a given number of items. Without
 * the variable a crash point costs one comparison.
 *
 * Points: "before-send" (the outbox is numbered, the push not sent yet), "after-send" (the
 * server committed the push, its answer is not processed yet), "mid-pull-page" (inside the
 * transaction that applies a pull page, before an item; NAME@K stops after K-1 items).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Ends the process without any cleanup (SIGKILL; TerminateProcess on Windows) when the
 * environment names @name as the crash point and this is the chosen call. */
void koers_sync_crash_point (const char *name);

G_END_DECLS

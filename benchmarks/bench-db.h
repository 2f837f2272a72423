/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-db.h: the storage calls the server benchmarks make while they set a database up, each
 * ending the program with a message when it fails (a benchmark on a half-made database
 * measures nothing).
 */
#pragma once

#include "server/koers-server-db.h"
#include "storage/koers-paths.h"

G_BEGIN_DECLS

/* Prints "PROGRAM: @what: the error" and exits with 1. */
G_NORETURN void bench_die           (const char *what, GError *error);
void            bench_exec_or_die   (KoersServerDb *db, const char *sql,
                                     const KoersSqlValue *params, guint n_params);
/* The first column of the first row of @sql, an integer. */
gint64          bench_count_or_die  (KoersServerDb *db, const char *sql,
                                     const KoersSqlValue *params, guint n_params);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bench-db.h"

#include <stdlib.h>

void
bench_die (const char *what, GError *error)
{
  g_printerr ("%s: %s: %s\n", g_get_prgname (), what,
              error != NULL ? error->message : "failed");
  exit (1);
}

void
bench_exec_or_die (KoersServerDb *db, const char *sql, const KoersSqlValue *params,
                   guint n_params)
{
  g_autoptr(GError) error = NULL;

  if (!koers_server_db_exec (db, sql, params, n_params, NULL, &error))
    bench_die (sql, error);
}

gint64
bench_count_or_die (KoersServerDb *db, const char *sql, const KoersSqlValue *params,
                    guint n_params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = koers_server_db_query (db, sql, params, n_params, &error);

  if (rows == NULL)
    bench_die (sql, error);
  return koers_sql_rows_get_int (rows, 0, 0);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running one test body on both server back ends (see koers-test-postgres.h). */
#include "config.h"

#include "koers-test-postgres.h"

#include "koers-test-helpers.h"

const char *
koers_test_server_db_backend_name (KoersServerDbBackend backend)
{
  return backend == KOERS_SERVER_DB_POSTGRESQL ? "postgresql" : "sqlite";
}

char *
koers_test_server_db_location (KoersServerDbBackend backend)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  char *uri;

  if (backend == KOERS_SERVER_DB_SQLITE)
    {
      dir = koers_test_make_temp_dir ();
      return g_build_filename (dir, "server.db", NULL);
    }
  uri = koers_test_postgres_new_schema (&error);
  if (uri == NULL)
    g_error ("The PostgreSQL back end cannot be tested: %s", error->message);
  return uri;
}

KoersServerDb *
koers_test_server_db_open (KoersServerDbBackend backend, char **out_location)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *location = koers_test_server_db_location (backend);
  KoersServerDb *db = koers_server_db_open (location, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_cmpint (koers_server_db_get_backend (db), ==, backend);
  if (out_location != NULL)
    *out_location = g_steal_pointer (&location);
  return db;
}

GStrv
koers_test_server_db_backends (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  char *location;

  location = koers_test_server_db_location (KOERS_SERVER_DB_SQLITE);
  g_strv_builder_add (builder, location);
  g_free (location);
  location = koers_test_server_db_location (KOERS_SERVER_DB_POSTGRESQL);
  g_strv_builder_add (builder, location);
  g_free (location);
  return g_strv_builder_end (builder);
}

typedef struct {
  KoersTestServerDbFunc func;
  KoersServerDbBackend  backend;
} Case;

static void
run_case (gconstpointer data)
{
  const Case *test_case = data;

  test_case->func (test_case->backend);
}

void
koers_test_server_db_add (const char *path, KoersTestServerDbFunc func)
{
  static const KoersServerDbBackend backends[] = {
    KOERS_SERVER_DB_SQLITE, KOERS_SERVER_DB_POSTGRESQL,
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (backends); i++)
    {
      Case *test_case = g_new0 (Case, 1);
      g_autofree char *full = g_strdup_printf ("%s/%s", path,
                                               koers_test_server_db_backend_name (backends[i]));

      test_case->func = func;
      test_case->backend = backends[i];
      g_test_add_data_func_full (full, test_case, run_case, g_free);
    }
}

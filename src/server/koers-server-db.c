/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "server/koers-server-db.h"
#include "server/koers-server-db-private.h"

#include "server/koers-server-schema.h"

#include <string.h>

G_DEFINE_QUARK (koers-server-db-error-quark, koers_server_db_error)

gboolean
koers_server_db_location_is_postgresql (const char *location)
{
  g_return_val_if_fail (location != NULL, FALSE);

  return g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://");
}

char *
koers_server_db_describe_location (const char *location)
{
  if (location == NULL)
    return g_strdup ("");
  if (koers_server_db_location_is_postgresql (location))
    return koers_server_db_pg_describe (location);
  return g_strdup (location);
}

/* Remembers whether @local_error (nullable) says "busy", then hands it on to @error. An error
 * of a deferred statement is first given the meaning its caller gave it (its on_error), as if
 * the statement had failed when it was queued; "busy" is what the storage said. */
static void
note_error (KoersServerDb *db, GError *local_error, GError **error)
{
  KoersServerDbErrorFunc rewrite = db->deferred_error_func;

  db->deferred_error_func = NULL;
  db->last_busy = g_error_matches (local_error, KOERS_SERVER_DB_ERROR,
                                   KOERS_SERVER_DB_ERROR_BUSY);
  if (local_error != NULL && rewrite != NULL)
    rewrite (&local_error);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
}

/* Runs the steps that take a database at @from to the current version and records it. */
static gboolean
migrate (KoersServerDb *db, gint64 from, GError **error)
{
  g_autofree char *version = g_strdup_printf ("%d", KOERS_SERVER_SCHEMA_VERSION);
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (version), KOERS_SQL_TEXT_VALUE ("schema_version"),
  };

  if (from >= KOERS_SERVER_SCHEMA_VERSION)
    return TRUE;
  for (guint step = (guint) from + 1; step <= KOERS_SERVER_SCHEMA_VERSION; step++)
    {
      const char *script = koers_server_schema_step (step,
                                                     db->backend == KOERS_SERVER_DB_POSTGRESQL);

      if (script == NULL)
        {
          g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN,
                       "No step to schema version %u", step);
          return FALSE;
        }
      if (*script != '\0' && !db->klass->exec_script (db, script, error))
        return FALSE;
    }
  return db->klass->exec (db, "UPDATE meta SET value = $1 WHERE key = $2", params,
                          G_N_ELEMENTS (params), NULL, error);
}

/* A new database gets the first schema, its version and a new epoch, then every later step,
 * all in the one transaction of check_and_migrate(): a crash half-way leaves an empty
 * database that the next start creates again. */
static gboolean
create_schema (KoersServerDb *db, GError **error)
{
  g_autofree char *epoch = g_uuid_string_random ();
  static const char insert_meta[] = "INSERT INTO meta (key, value) VALUES ($1, $2)";
  KoersSqlValue params[2];

  if (!db->klass->exec_script (db, koers_server_schema_common_v1 (), error))
    return FALSE;
  params[0] = KOERS_SQL_TEXT_VALUE ("schema_version");
  params[1] = KOERS_SQL_TEXT_VALUE ("0");
  if (!db->klass->exec (db, insert_meta, params, 2, NULL, error))
    return FALSE;
  params[0] = KOERS_SQL_TEXT_VALUE ("epoch");
  params[1] = KOERS_SQL_TEXT_VALUE (epoch);
  if (!db->klass->exec (db, insert_meta, params, 2, NULL, error))
    return FALSE;
  return migrate (db, 0, error);
}

static gboolean
check_and_migrate_locked (KoersServerDb *db, const char *raw_location, GError **error)
{
  /* Messages reach logs and the terminal: never a PostgreSQL URI's password. */
  g_autofree char *location = koers_server_db_describe_location (raw_location);
  g_autoptr(KoersSqlRows) rows = NULL;
  const char *version_text = NULL;
  const char *epoch = NULL;
  gint64 version;
  guint n_meta = 0;
  guint n_tables = 0;
  guint i;

  if (!db->klass->count_tables (db, "meta", &n_meta, error))
    return FALSE;
  if (n_meta == 0)
    {
      /* Tables but no meta: some other database, never ours to change. */
      if (!db->klass->count_tables (db, NULL, &n_tables, error))
        return FALSE;
      if (n_tables > 0)
        {
          g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN,
                       _("The database %s is not a koers-server database (it has tables but no "
                         "schema version); it was not changed"), location);
          return FALSE;
        }
      if (!create_schema (db, error))
        return FALSE;
    }

  rows = db->klass->query (db, "SELECT key, value FROM meta WHERE key IN ($1, $2)",
                           (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE ("schema_version"),
                                               KOERS_SQL_TEXT_VALUE ("epoch") },
                           2, error);
  if (rows == NULL)
    return FALSE;
  for (i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
    {
      const char *key = koers_sql_rows_get_text (rows, i, 0);

      if (g_strcmp0 (key, "schema_version") == 0)
        version_text = koers_sql_rows_get_text (rows, i, 1);
      else if (g_strcmp0 (key, "epoch") == 0)
        epoch = koers_sql_rows_get_text (rows, i, 1);
    }

  if (version_text == NULL || epoch == NULL
      || !g_ascii_string_to_signed (version_text, 10, 1, G_MAXINT, &version, NULL))
    {
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN,
                   _("The database %s has no valid schema version or epoch; it was not changed"),
                   location);
      return FALSE;
    }
  if (version > KOERS_SERVER_SCHEMA_VERSION)
    {
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN,
                   _("The database %s was written by a newer koers-server (schema %d, this "
                     "version knows %d); it was not changed"),
                   location, (int) version, KOERS_SERVER_SCHEMA_VERSION);
      return FALSE;
    }
  /* Every step runs inside this same transaction: a failed step leaves the old version. */
  if (!migrate (db, version, error))
    return FALSE;

  g_free (db->epoch);
  db->epoch = g_strdup (epoch);
  return TRUE;
}

static gboolean
check_and_migrate (KoersServerDb *db, const char *location, GError **error)
{
  if (!db->klass->begin_schema (db, error))
    return FALSE;
  db->in_transaction = TRUE;
  if (!check_and_migrate_locked (db, location, error))
    {
      koers_server_db_rollback (db);
      return FALSE;
    }
  return koers_server_db_commit (db, error);
}

/**
 * koers_server_db_connect:
 * @location: as for koers_server_db_open()
 * @error: return location for a #GError
 *
 * Another connection to a database this process has already opened with
 * koers_server_db_open(), for work on another thread: it connects and sets up the session
 * but leaves the schema alone (it was checked and migrated then). No epoch is read.
 *
 * Returns: (transfer full) (nullable): the connection, or %NULL with @error set
 */
KoersServerDb *
koers_server_db_connect (const char *location, GError **error)
{
  KoersServerDb *db;

  g_return_val_if_fail (location != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (koers_server_db_location_is_postgresql (location))
    db = koers_server_db_pg_open (location, error);
  else
    db = koers_server_db_sqlite_open (location, error);
  if (db == NULL)
    return NULL;
  /* Both back ends start with this (SQLite busy_timeout, PostgreSQL lock_timeout). */
  db->lock_timeout_ms = 5000;
  db->location = g_strdup (location);
  return db;
}

KoersServerDb *
koers_server_db_open (const char *location, GError **error)
{
  KoersServerDb *db;

  g_return_val_if_fail (location != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = koers_server_db_connect (location, error);
  if (db == NULL)
    return NULL;
  if (!check_and_migrate (db, location, error))
    {
      /* Whatever failed here, the database cannot be used: report it as an open error, keeping
       * the reason (BUSY too: a server must not start half-ready). */
      if (error != NULL && *error != NULL && (*error)->domain == KOERS_SERVER_DB_ERROR)
        (*error)->code = KOERS_SERVER_DB_ERROR_OPEN;
      koers_server_db_free (db);
      return NULL;
    }
  return db;
}

const char *
koers_server_db_get_location (KoersServerDb *db)
{
  g_return_val_if_fail (db != NULL, NULL);

  return db->location;
}

void
koers_server_db_free (KoersServerDb *db)
{
  char *epoch;
  char *location;

  if (db == NULL)
    return;
  if (db->in_transaction)
    koers_server_db_rollback (db);
  epoch = db->epoch;
  location = db->location;
  db->klass->close (db);   /* frees the back end's struct, db with it */
  g_free (epoch);
  g_free (location);
}

KoersServerDbBackend
koers_server_db_get_backend (KoersServerDb *db)
{
  g_return_val_if_fail (db != NULL, KOERS_SERVER_DB_SQLITE);

  return db->backend;
}

const char *
koers_server_db_get_epoch (KoersServerDb *db)
{
  g_return_val_if_fail (db != NULL, NULL);

  return db->epoch;
}

void
koers_server_db_set_shared_epoch (KoersServerDb *db, const char *epoch)
{
  g_return_if_fail (db != NULL);

  if (g_strcmp0 (db->epoch, epoch) == 0)
    return;
  g_free (db->epoch);
  db->epoch = g_strdup (epoch);
}

gboolean
koers_server_db_exec (KoersServerDb       *db,
                      const char          *sql,
                      const KoersSqlValue *params,
                      guint                n_params,
                      guint64             *out_changes,
                      GError             **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (params != NULL || n_params == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_changes != NULL)
    *out_changes = 0;
  {
    GError *local_error = NULL;
    gboolean ok = db->klass->exec (db, sql, params, n_params, out_changes, &local_error);

    note_error (db, local_error, error);
    return ok;
  }
}

KoersSqlRows *
koers_server_db_query (KoersServerDb       *db,
                       const char          *sql,
                       const KoersSqlValue *params,
                       guint                n_params,
                       GError             **error)
{
  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);
  g_return_val_if_fail (params != NULL || n_params == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  {
    GError *local_error = NULL;
    KoersSqlRows *rows = db->klass->query (db, sql, params, n_params, &local_error);

    note_error (db, local_error, error);
    return rows;
  }
}

static const char *
rows_row_get_text (KoersSqlRow *row, guint column, gsize *out_length)
{
  const char *text = koers_sql_rows_get_text (row->source, row->index, column);

  if (out_length != NULL)
    *out_length = text != NULL ? strlen (text) : 0;
  return text;
}

static gint64
rows_row_get_int (KoersSqlRow *row, guint column)
{
  return koers_sql_rows_get_int (row->source, row->index, column);
}

gboolean
koers_server_db_query_foreach (KoersServerDb       *db,
                               const char          *sql,
                               const KoersSqlValue *params,
                               guint                n_params,
                               KoersSqlRowFunc      func,
                               gpointer             user_data,
                               GError             **error)
{
  GError *local_error = NULL;
  KoersSqlRows *rows;
  KoersSqlRow row = { rows_row_get_text, rows_row_get_int, NULL, 0 };
  gboolean ok;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (params != NULL || n_params == 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (db->klass->query_foreach != NULL)
    {
      ok = db->klass->query_foreach (db, sql, params, n_params, func, user_data,
                                     &local_error);
      note_error (db, local_error, error);
      return ok;
    }
  rows = db->klass->query (db, sql, params, n_params, &local_error);
  note_error (db, local_error, error);
  if (rows == NULL)
    return FALSE;
  row.source = rows;
  for (row.index = 0; row.index < koers_sql_rows_get_n_rows (rows); row.index++)
    if (!func (&row, user_data))
      break;
  koers_sql_rows_free (rows);
  return TRUE;
}

const char *
koers_sql_row_get_text (KoersSqlRow *row, guint column, gsize *out_length)
{
  g_return_val_if_fail (row != NULL, NULL);

  return row->get_text (row, column, out_length);
}

gint64
koers_sql_row_get_int (KoersSqlRow *row, guint column)
{
  g_return_val_if_fail (row != NULL, 0);

  return row->get_int (row, column);
}

gboolean
koers_server_db_query_each (KoersServerDb        *db,
                            const char           *sql,
                            const KoersSqlValue  *params,
                            guint                 n_params,
                            guint                 n_calls,
                            KoersSqlRows        **out_rows,
                            GError              **error)
{
  GError *local_error = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (params != NULL || n_params == 0 || n_calls == 0, FALSE);
  g_return_val_if_fail (out_rows != NULL || n_calls == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_calls; i++)
    out_rows[i] = NULL;
  if (n_calls == 0)
    return TRUE;
  if (db->klass->query_each != NULL)
    ok = db->klass->query_each (db, sql, params, n_params, n_calls, out_rows, &local_error);
  else
    for (guint i = 0; ok && i < n_calls; i++)
      {
        const KoersSqlValue *call = n_params > 0 ? params + (gsize) i * n_params : NULL;

        out_rows[i] = db->klass->query (db, sql, call, n_params, &local_error);
        ok = out_rows[i] != NULL;
      }
  if (!ok)
    for (guint i = 0; i < n_calls; i++)
      g_clear_pointer (&out_rows[i], koers_sql_rows_free);
  note_error (db, local_error, error);
  return ok;
}

gboolean
koers_server_db_exec_deferred (KoersServerDb          *db,
                               const char             *sql,
                               const KoersSqlValue    *params,
                               guint                   n_params,
                               KoersServerDbErrorFunc  on_error,
                               GError                **error)
{
  GError *local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (params != NULL || n_params == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (db->klass->exec_deferred != NULL)
    ok = db->klass->exec_deferred (db, sql, params, n_params, on_error, &local_error);
  else
    {
      ok = db->klass->exec (db, sql, params, n_params, NULL, &local_error);
      if (!ok)
        db->deferred_error_func = on_error;
    }
  note_error (db, local_error, error);
  return ok;
}

gboolean
koers_server_db_flush (KoersServerDb *db, GError **error)
{
  GError *local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (db->klass->flush == NULL)
    return TRUE;
  ok = db->klass->flush (db, &local_error);
  note_error (db, local_error, error);
  return ok;
}

static gboolean
begin_common (KoersServerDb *db, const char *organisation_id, gboolean for_write,
              GError **error)
{
  if (db->in_transaction && db->klass->in_transaction (db))
    {
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                   _("A transaction is already open on this connection"));
      return FALSE;
    }
  db->in_transaction = FALSE;
  {
    GError *local_error = NULL;
    gboolean ok = db->klass->begin (db, organisation_id, for_write, &local_error);

    note_error (db, local_error, error);
    if (!ok)
      return FALSE;
  }
  db->in_transaction = TRUE;
  return TRUE;
}

gboolean
koers_server_db_begin (KoersServerDb *db, const char *organisation_id, GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return begin_common (db, organisation_id, TRUE, error);
}

gboolean
koers_server_db_begin_read (KoersServerDb *db, const char *organisation_id, GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return begin_common (db, organisation_id, FALSE, error);
}

KoersSqlRows *
koers_server_db_query_read (KoersServerDb        *db,
                            const char           *organisation_id,
                            const char           *sql,
                            const KoersSqlValue  *params,
                            guint                 n_params,
                            GError              **error)
{
  KoersSqlRows *rows;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (organisation_id != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);
  g_return_val_if_fail (params != NULL || n_params == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (db->klass->query_read != NULL && !(db->in_transaction && db->klass->in_transaction (db)))
    {
      GError *local_error = NULL;

      db->in_transaction = FALSE;
      rows = db->klass->query_read (db, organisation_id, sql, params, n_params, &local_error);
      note_error (db, local_error, error);
      return rows;
    }
  if (!koers_server_db_begin_read (db, organisation_id, error))
    return NULL;
  rows = koers_server_db_query (db, sql, params, n_params, error);
  if (rows == NULL || !koers_server_db_commit (db, error))
    {
      g_clear_pointer (&rows, koers_sql_rows_free);
      koers_server_db_rollback (db);
    }
  return rows;
}

gboolean
koers_server_db_commit (KoersServerDb *db, GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!db->in_transaction)
    {
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                   _("There is no transaction to commit"));
      return FALSE;
    }
  {
    GError *local_error = NULL;
    gboolean ok = db->klass->commit (db, &local_error);

    note_error (db, local_error, error);
    if (ok)
      {
        db->in_transaction = FALSE;
        return TRUE;
      }
  }
  /* SQLite keeps the transaction open after some failed commits; the caller rolls back. */
  db->in_transaction = db->klass->in_transaction (db);
  return FALSE;
}

void
koers_server_db_rollback (KoersServerDb *db)
{
  g_return_if_fail (db != NULL);

  if (db->in_transaction || db->klass->in_transaction (db))
    db->klass->rollback (db);
  db->in_transaction = FALSE;
}

gboolean
koers_server_db_in_transaction (KoersServerDb *db)
{
  g_return_val_if_fail (db != NULL, FALSE);

  return db->in_transaction;
}

void
koers_server_db_set_lock_timeout (KoersServerDb *db, guint milliseconds)
{
  g_return_if_fail (db != NULL);

  db->klass->set_lock_timeout (db, milliseconds);
  db->lock_timeout_ms = milliseconds;
}

void
koers_server_db_defer_checkpoints (KoersServerDb *db)
{
  g_return_if_fail (db != NULL);

  if (db->klass->defer_checkpoints != NULL)
    db->klass->defer_checkpoints (db);
}

void
koers_server_db_checkpoint_if_due (KoersServerDb *db)
{
  g_return_if_fail (db != NULL);
  g_return_if_fail (!db->in_transaction);

  if (db->klass->checkpoint_if_due != NULL)
    db->klass->checkpoint_if_due (db);
}

guint
koers_server_db_get_lock_timeout (KoersServerDb *db)
{
  g_return_val_if_fail (db != NULL, 0);

  return db->lock_timeout_ms;
}

gboolean
koers_server_db_last_was_busy (KoersServerDb *db)
{
  g_return_val_if_fail (db != NULL, FALSE);

  return db->last_busy;
}

char *
koers_server_db_describe_sql (const char *sql)
{
  const char *start = sql;
  const char *end;
  gsize length;

  while (g_ascii_isspace (*start))
    start++;
  end = strchr (start, '\n');
  length = end != NULL ? (gsize) (end - start) : strlen (start);
  if (length > 60)
    return g_strdup_printf ("%.*s...", 57, start);
  return g_strndup (start, length);
}

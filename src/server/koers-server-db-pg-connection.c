/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The PostgreSQL back end's connection: statements are prepared once per session and then
 * executed by name, with every parameter as text (integers in decimal); a read transaction's
 * BEGIN goes out with its first statement in one pipeline; a connection PostgreSQL dropped while idle is renewed and the statement sent
 * once more, never inside a transaction; and libpq's errors become KoersServerDb errors that
 * name no value (koers-server-db-pg.c has the rest of the back end).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "server/koers-server-db-pg-private.h"

/* A statement that runs longer than this is a bug or an overload; better a 503 than a
 * connection held for minutes. */
#define STATEMENT_TIMEOUT "30s"

/* Prepared statements a session keeps. The server's statements are a fixed set of texts (a
 * few dozen); the bound is for text built at run time, which then goes unprepared. */
#define MAX_PREPARED 512

static void
ignore_notice (void *data, const char *message)
{
}

static void
set_busy (GError **error, const char *sqlstate)
{
  if (sqlstate != NULL)
    g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_BUSY,
                 _("The database is busy or unreachable; try again later (SQLSTATE %s)"),
                 sqlstate);
  else
    g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_BUSY,
                 _("The connection to the database was lost; try again later"));
}

static gboolean
is_transient (const char *sqlstate)
{
  return g_str_equal (sqlstate, "40001")        /* serialization_failure */
         || g_str_equal (sqlstate, "40P01")     /* deadlock_detected */
         || g_str_equal (sqlstate, "55P03")     /* lock_not_available: lock_timeout */
         || g_str_equal (sqlstate, "57014")     /* query_canceled: statement_timeout */
         || g_str_has_prefix (sqlstate, "57P")  /* shutting down, cannot connect now */
         || g_str_has_prefix (sqlstate, "53")   /* insufficient resources, too many clients */
         || (g_str_has_prefix (sqlstate, "08")  /* connection exceptions, except a protocol */
             && !g_str_equal (sqlstate, "08P01")); /* violation, which is a bug of ours */
}

/* The message names the SQLSTATE, constraint, table and the start of the statement, never the
 * server's own message for bad data: PostgreSQL quotes the offending value there ("invalid input
 * syntax for type bigint: ..."), and its DETAIL repeats key values. */
void
koers_server_db_pg_set_error (PgDb *self, PGresult *result, const char *sql, GError **error)
{
  const char *sqlstate = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  g_autofree char *where = sql != NULL ? koers_server_db_describe_sql (sql) : g_strdup ("");

  if (PQstatus (self->conn) == CONNECTION_BAD)
    {
      set_busy (error, NULL);
      return;
    }
  if (sqlstate == NULL)
    {
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                   "PostgreSQL: %s (in \"%s\")", PQerrorMessage (self->conn), where);
      return;
    }
  if (is_transient (sqlstate))
    {
      set_busy (error, sqlstate);
      return;
    }
  if (g_str_has_prefix (sqlstate, "23"))
    {
      const char *constraint = PQresultErrorField (result, PG_DIAG_CONSTRAINT_NAME);
      const char *table = PQresultErrorField (result, PG_DIAG_TABLE_NAME);
      const char *column = PQresultErrorField (result, PG_DIAG_COLUMN_NAME);

      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_CONSTRAINT,
                   "PostgreSQL: constraint %s failed on %s%s%s (SQLSTATE %s)",
                   constraint != NULL ? constraint : "(unnamed)",
                   table != NULL ? table : "(unknown table)",
                   column != NULL ? "." : "", column != NULL ? column : "", sqlstate);
      return;
    }
  if (g_str_has_prefix (sqlstate, "22"))
    {
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                   "PostgreSQL: a value is not valid here (SQLSTATE %s, in \"%s\")",
                   sqlstate, where);
      return;
    }
  g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
               "PostgreSQL: %s (SQLSTATE %s, in \"%s\")",
               PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY), sqlstate, where);
}

gboolean
koers_server_db_pg_exec_simple (PgDb *self, const char *sql, GError **error)
{
  gboolean idle = PQtransactionStatus (self->conn) == PQTRANS_IDLE
                  && !self->parent.in_transaction;
  PGresult *result = PQexec (self->conn, sql);
  ExecStatusType status = PQresultStatus (result);
  gboolean ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;

  /* As in run(): a dropped idle connection is renewed and the statement (a BEGIN, say) sent
   * once more; never inside a transaction. */
  if (!ok && idle && !self->reconnecting && PQstatus (self->conn) == CONNECTION_BAD)
    {
      PQclear (result);
      if (!koers_server_db_pg_ensure_connected (self, error))
        return FALSE;
      result = PQexec (self->conn, sql);
      status = PQresultStatus (result);
      ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    }

  if (!ok)
    koers_server_db_pg_set_error (self, result, sql, error);
  PQclear (result);
  return ok;
}

gboolean
koers_server_db_pg_setup_session (PgDb *self, GError **error)
{
  g_autofree char *settings = NULL;

  /* A new session knows none of the old one's prepared statements. */
  if (self->prepared == NULL)
    self->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_remove_all (self->prepared);

  PQsetNoticeProcessor (self->conn, ignore_notice, NULL);
  settings = g_strdup_printf ("SET statement_timeout = '" STATEMENT_TIMEOUT "';"
                              "SET lock_timeout = %u;"
                              "SET TIME ZONE 'UTC'",
                              self->lock_timeout_ms);
  return koers_server_db_pg_exec_simple (self, settings, error);
}

/* Connects again and sets the new session up as the old one was; BUSY when PostgreSQL is not
 * reachable (yet). The caller knows no transaction is lost by it. */
static gboolean
renew_connection (PgDb *self, GError **error)
{
  gboolean ok;

  PQreset (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      set_busy (error, NULL);
      return FALSE;
    }
  self->reconnecting = TRUE;
  ok = koers_server_db_pg_setup_session (self, error);
  self->reconnecting = FALSE;
  return ok;
}

/* After a lost connection, the next statement outside a transaction reconnects. Inside a
 * transaction it must not: the statement would run outside the transaction its caller began. */
gboolean
koers_server_db_pg_ensure_connected (PgDb *self, GError **error)
{
  if (PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;
  if (self->parent.in_transaction)
    {
      set_busy (error, NULL);
      return FALSE;
    }
  return renew_connection (self, error);
}

/* Sends BEGIN, the organisation setting and @sql together (libpq's pipeline mode): a read
 * transaction costs the round trip of its first statement only, where BEGIN went alone before
 * (a record read was four round trips on the server's one thread: token, BEGIN, SELECT,
 * COMMIT). The setting and @sql are prepared statements too, a text new to the session being
 * prepared in the same pipeline. (transfer full) @sql's result, or NULL with @error set; the
 * results of BEGIN, the setting and any preparation are checked here. */
static PGresult *
send_pipeline (PgDb *self, const char *organisation, const char *sql,
               const char * const *values, guint n_params, gboolean *out_connection_lost,
               GError **error)
{
  const char *setting[] = { organisation };
  const struct {
    const char         *sql;
    const char * const *values;
    guint               n_params;
  } pieces[] = {
    { "SELECT set_config('koers.organisation', $1, true)", setting, 1 },
    { sql, values, n_params },
  };
  /* What each result answers (its SQL), in the order they come; at most BEGIN and, for each
   * piece, its preparation and itself. */
  const char *answers[1 + 2 * G_N_ELEMENTS (pieces)];
  PGresult *results[G_N_ELEMENTS (answers)] = { NULL };
  char *new_names[G_N_ELEMENTS (pieces)] = { NULL };
  guint n_answers = 0;
  PGresult *extra;
  gboolean sent;
  guint failed;

  *out_connection_lost = FALSE;
  if (!PQenterPipelineMode (self->conn))
    {
      *out_connection_lost = PQstatus (self->conn) == CONNECTION_BAD;
      koers_server_db_pg_set_error (self, NULL, "BEGIN", error);
      return NULL;
    }
  sent = PQsendQueryParams (self->conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0);
  answers[n_answers++] = "BEGIN";
  /* Prepared as exec_statement() does, the preparation in the same pipeline. */
  for (guint i = 0; sent && i < G_N_ELEMENTS (pieces); i++)
    {
      const char *name = g_hash_table_lookup (self->prepared, pieces[i].sql);

      if (name == NULL && g_hash_table_size (self->prepared) + i < MAX_PREPARED)
        {
          new_names[i] = g_strdup_printf ("koers_%u", ++self->n_prepared);
          name = new_names[i];
          sent = PQsendPrepare (self->conn, name, pieces[i].sql, (int) pieces[i].n_params,
                                NULL);
          answers[n_answers++] = pieces[i].sql;
        }
      if (sent && name != NULL)
        sent = PQsendQueryPrepared (self->conn, name, (int) pieces[i].n_params,
                                    pieces[i].values, NULL, NULL, 0);
      else if (sent)
        sent = PQsendQueryParams (self->conn, pieces[i].sql, (int) pieces[i].n_params, NULL,
                                  pieces[i].values, NULL, NULL, 0);
      answers[n_answers++] = pieces[i].sql;
    }
  sent = sent && PQpipelineSync (self->conn);
  failed = n_answers;
  for (guint i = 0; sent && i < n_answers; i++)
    {
      ExecStatusType status;

      results[i] = PQgetResult (self->conn);
      status = PQresultStatus (results[i]);
      if (failed == n_answers && status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        failed = i;
      /* Each statement's results end with a NULL. */
      while ((extra = PQgetResult (self->conn)) != NULL)
        PQclear (extra);
    }
  if (sent)
    {
      while ((extra = PQgetResult (self->conn)) != NULL
             && PQresultStatus (extra) != PGRES_PIPELINE_SYNC)
        PQclear (extra);
      PQclear (extra);
    }
  PQexitPipelineMode (self->conn);

  if (!sent || failed < n_answers)
    {
      *out_connection_lost = PQstatus (self->conn) == CONNECTION_BAD;
      koers_server_db_pg_set_error (self, sent ? results[failed] : NULL,
                                    sent ? answers[failed] : "BEGIN", error);
      for (guint i = 0; i < n_answers; i++)
        PQclear (results[i]);
      /* A preparation that did go through stays unnamed here; the next one takes a new
       * name, so no two texts ever share one. */
      for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
        g_free (new_names[i]);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    if (new_names[i] != NULL)
      g_hash_table_insert (self->prepared, g_strdup (pieces[i].sql), new_names[i]);
  for (guint i = 0; i + 1 < n_answers; i++)
    PQclear (results[i]);
  return results[n_answers - 1];
}

/* The first statement of a read transaction (pg_begin deferred its BEGIN). A connection that
 * turns out dropped before anything ran is renewed and the lot sent once more, as a lone
 * BEGIN was before. */
static PGresult *
run_after_begin (PgDb *self, const char *sql, const char * const *values, guint n_params,
                 GError **error)
{
  g_autofree char *organisation = g_steal_pointer (&self->read_organisation);
  g_autoptr(GError) first_error = NULL;
  gboolean lost = FALSE;
  PGresult *result;

  result = send_pipeline (self, organisation, sql, values, n_params, &lost, &first_error);
  if (result != NULL || !lost || self->reconnecting)
    {
      if (first_error != NULL)
        g_propagate_error (error, g_steal_pointer (&first_error));
      return result;
    }
  /* Nothing of the transaction had run: renewing the connection loses none of it. */
  if (!renew_connection (self, error))
    return NULL;
  return send_pipeline (self, organisation, sql, values, n_params, &lost, error);
}

/* Runs @sql as its prepared statement, preparing it the first time this session sees it:
 * PostgreSQL then parses and plans each text once per connection instead of for every call
 * (a push of 100 changes is about 900 statements). A failed preparation is returned as the
 * statement's result. */
static PGresult *
exec_statement (PgDb *self, const char *sql, const char * const *values, guint n_params)
{
  const char *name = g_hash_table_lookup (self->prepared, sql);

  if (name == NULL && g_hash_table_size (self->prepared) < MAX_PREPARED)
    {
      g_autofree char *new_name = g_strdup_printf ("koers_%u", ++self->n_prepared);
      PGresult *prepared = PQprepare (self->conn, new_name, sql, (int) n_params, NULL);

      if (PQresultStatus (prepared) != PGRES_COMMAND_OK)
        return prepared;
      PQclear (prepared);
      name = new_name;
      g_hash_table_insert (self->prepared, g_strdup (sql), g_steal_pointer (&new_name));
    }
  if (name == NULL)
    return PQexecParams (self->conn, sql, (int) n_params, NULL, values, NULL, NULL, 0);
  return PQexecPrepared (self->conn, name, (int) n_params, values, NULL, NULL, 0);
}

PGresult *
koers_server_db_pg_run (PgDb *self, const char *sql, const KoersSqlValue *params, guint n_params,
                        GError **error)
{
  g_autofree const char **values = NULL;
  g_autofree char *numbers = NULL;
  PGresult *result;
  ExecStatusType status;
  gboolean idle;
  guint k;

  /* A pending read transaction renews a dropped connection itself (run_after_begin). */
  if (self->read_organisation == NULL && !koers_server_db_pg_ensure_connected (self, error))
    return NULL;

  values = g_new0 (const char *, MAX (n_params, 1));
  numbers = g_malloc0 ((gsize) MAX (n_params, 1) * 24);
  for (k = 0; k < n_params; k++)
    {
      switch (params[k].type)
        {
        case KOERS_SQL_INT:
          g_snprintf (numbers + k * 24, 24, "%" G_GINT64_FORMAT, params[k].i);
          values[k] = numbers + k * 24;
          break;
        case KOERS_SQL_TEXT:
          values[k] = params[k].s;
          break;
        case KOERS_SQL_NULL:
        default:
          values[k] = NULL;
          break;
        }
    }

  if (self->read_organisation != NULL)
    return run_after_begin (self, sql, values, n_params, error);

  idle = PQtransactionStatus (self->conn) == PQTRANS_IDLE && !self->parent.in_transaction;
  result = exec_statement (self, sql, values, n_params);
  status = PQresultStatus (result);
  /* PostgreSQL (or a proxy, or a failover) dropped an idle connection: libpq only notices
   * when the next statement fails. Outside a transaction that statement ran alone, so it is
   * sent once more on a new connection; inside one it must not be (the rest of the
   * transaction is gone), and the caller gets BUSY. */
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && idle && !self->reconnecting
      && PQstatus (self->conn) == CONNECTION_BAD)
    {
      PQclear (result);
      if (!koers_server_db_pg_ensure_connected (self, error))
        return NULL;
      result = exec_statement (self, sql, values, n_params);
      status = PQresultStatus (result);
    }
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      koers_server_db_pg_set_error (self, result, sql, error);
      PQclear (result);
      return NULL;
    }
  return result;
}

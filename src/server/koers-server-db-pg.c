/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The PostgreSQL back end (libpq). The server's SQL already uses PostgreSQL's $n parameters, so
 * statements are prepared unchanged, with every parameter as text (integers in decimal) but
 * id lists, which go as a binary uuid[] (PgParams): the server infers each parameter's type
 * from where it is used. Results come back as text;
 * integer columns are read into integers here and booleans into 0/1, as SQLite gives them.
 *
 * Row-level security only protects anything when koers-server connects as an ordinary role:
 * a superuser, or a role with BYPASSRLS, ignores every policy. The tables' owner (the role
 * that ran the migration, normally koers-server's own) is held to the policies by FORCE ROW
 * LEVEL SECURITY (koers-server-schema.c). So opening refuses a superuser or BYPASSRLS role.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "server/koers-server-db-pg-private.h"

#include <string.h>

/* The usual PostgreSQL type oids (pg_type.h is not part of libpq's public headers). */
#define BOOLOID 16
#define INT8OID 20
#define INT2OID 21
#define INT4OID 23

/* Taken for the migration transaction, so two koers-server processes starting on a new
 * database do not both create the schema. Any constant works; this one spells nothing. */
#define SCHEMA_LOCK_KEY "7450315"

/* How long a writer waits for another writer of its organisation, unless set otherwise. */
#define DEFAULT_LOCK_TIMEOUT_MS 5000

static gboolean
pg_exec (KoersServerDb *db, const char *sql, const KoersSqlValue *params, guint n_params,
         guint64 *out_changes, GError **error)
{
  PGresult *result = koers_server_db_pg_run ((PgDb *) db, sql, params, n_params, error);

  if (result == NULL)
    return FALSE;
  /* PQcmdTuples counts the rows a SELECT returned too; a query changes nothing. */
  if (out_changes != NULL && !g_str_has_prefix (PQcmdStatus (result), "SELECT"))
    *out_changes = g_ascii_strtoull (PQcmdTuples (result), NULL, 10);
  PQclear (result);
  return TRUE;
}

/* PostgreSQL's text of an integer column: an optional minus and decimal digits, nothing else
 * (g_ascii_strtoll's generality was 2% of the machine while serving feed pages: three
 * integers a row). */
static gint64
integer_from_text (const char *text)
{
  gboolean negative = *text == '-';
  guint64 value = 0;

  for (text += negative; *text >= '0' && *text <= '9'; text++)
    value = value * 10 + (guint64) (*text - '0');
  return negative ? (gint64) (0 - value) : (gint64) value;
}

/* (transfer full) @result's rows, which take @result: they read its texts where libpq put
 * them (a feed page's 500 items, ~450 KB, are not copied again) and free it with them. */
static KoersSqlRows *
rows_from_result (PGresult *result)
{
  KoersSqlRows *rows;
  int n_rows, n_columns, r, c;

  n_rows = PQntuples (result);
  n_columns = PQnfields (result);
  rows = koers_sql_rows_new ((guint) n_columns);
  koers_sql_rows_reserve (rows, (guint) n_rows);
  for (r = 0; r < n_rows; r++)
    for (c = 0; c < n_columns; c++)
      {
        const char *value = PQgetvalue (result, r, c);

        if (PQgetisnull (result, r, c))
          {
            koers_sql_rows_add_null (rows);
            continue;
          }
        switch (PQftype (result, c))
          {
          case INT2OID:
          case INT4OID:
          case INT8OID:
            koers_sql_rows_add_int (rows, integer_from_text (value));
            break;
          case BOOLOID:
            koers_sql_rows_add_int (rows, value[0] == 't' ? 1 : 0);
            break;
          default:
            koers_sql_rows_add_borrowed_text (rows, value);
            break;
          }
      }
  koers_sql_rows_keep (rows, result, (GDestroyNotify) PQclear);
  return rows;
}

static KoersSqlRows *
pg_query (KoersServerDb *db, const char *sql, const KoersSqlValue *params, guint n_params,
          GError **error)
{
  PGresult *result = koers_server_db_pg_run ((PgDb *) db, sql, params, n_params, error);

  if (result == NULL)
    return NULL;
  return rows_from_result (result);
}

/* Inside a sent transaction all calls go out in one pipeline, after what is queued; else
 * (a read transaction's first statement, no transaction) one by one. */
static gboolean
pg_query_each (KoersServerDb *db, const char *sql, const KoersSqlValue *params,
               guint n_params, guint n_calls, KoersSqlRows **out_rows, GError **error)
{
  PgDb *self = (PgDb *) db;
  g_auto(PgParams) values = { NULL };
  g_autofree PGresult **results = NULL;

  if (self->read_organisation != NULL || PQstatus (self->conn) != CONNECTION_OK
      || PQtransactionStatus (self->conn) != PQTRANS_INTRANS)
    {
      for (guint i = 0; i < n_calls; i++)
        {
          out_rows[i] = pg_query (db, sql, n_params > 0 ? params + (gsize) i * n_params : NULL,
                                  n_params, error);
          if (out_rows[i] == NULL)
            {
              for (guint j = 0; j < i; j++)
                g_clear_pointer (&out_rows[j], koers_sql_rows_free);
              return FALSE;
            }
        }
      return TRUE;
    }
  koers_server_db_pg_params_init (&values, params, n_params * n_calls);
  results = g_new0 (PGresult *, MAX (n_calls, 1));
  if (!koers_server_db_pg_run_queued_each (self, sql, &values, n_params, n_calls, FALSE, results,
                                           error))
    return FALSE;
  for (guint i = 0; i < n_calls; i++)
    out_rows[i] = rows_from_result (results[i]);
  return TRUE;
}

static void
pg_rollback (KoersServerDb *db)
{
  PgDb *self = (PgDb *) db;

  g_clear_pointer (&self->read_organisation, g_free);
  /* What was queued never ran; the rollback takes back everything else. */
  koers_server_db_pg_drop_queued (self);
  if (PQstatus (self->conn) == CONNECTION_OK
      && PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    PQclear (PQexec (self->conn, "ROLLBACK"));
}

/* Queued only where it can wait: inside a transaction that was sent. Before a read
 * transaction's BEGIN went out it runs at once (with that BEGIN), and outside a transaction
 * nothing would send it. */
static gboolean
pg_exec_deferred (KoersServerDb *db, const char *sql, const KoersSqlValue *params,
                  guint n_params, KoersServerDbErrorFunc on_error, GError **error)
{
  PgDb *self = (PgDb *) db;
  PGresult *result;

  if (self->read_organisation == NULL && PQstatus (self->conn) == CONNECTION_OK
      && PQtransactionStatus (self->conn) == PQTRANS_INTRANS)
    return koers_server_db_pg_queue (self, sql, params, n_params, on_error, error);
  result = koers_server_db_pg_run (self, sql, params, n_params, error);
  if (result == NULL)
    {
      db->deferred_error_func = on_error;
      return FALSE;
    }
  PQclear (result);
  return TRUE;
}

static gboolean
pg_flush (KoersServerDb *db, GError **error)
{
  return koers_server_db_pg_run_queued_each ((PgDb *) db, NULL, NULL, 0, 0, FALSE, NULL,
                                             error);
}

/* Before a transaction begins: a read begun and never ended (nothing ran in it) must not ride
 * on it, nor anything queued in a transaction that was never ended; a dropped connection is
 * renewed (no transaction is open to lose). */
static gboolean
start_transaction (PgDb *self, GError **error)
{
  g_clear_pointer (&self->read_organisation, g_free);
  koers_server_db_pg_drop_queued (self);
  return koers_server_db_pg_ensure_connected (self, error);
}

/* The whole read transaction in one round trip (koers_server_db_pg_run_read_once). */
static KoersSqlRows *
pg_query_read (KoersServerDb *db, const char *organisation_id, const char *sql,
               const KoersSqlValue *params, guint n_params, GError **error)
{
  PgDb *self = (PgDb *) db;
  g_auto(PgParams) values = { NULL };
  PGresult *result;

  if (!start_transaction (self, error))
    return NULL;
  koers_server_db_pg_params_init (&values, params, n_params);
  result = koers_server_db_pg_run_read_once (self, organisation_id, sql, &values, n_params,
                                             error);
  if (result == NULL)
    {
      pg_rollback (db);
      return NULL;
    }
  return rows_from_result (result);
}

/* A write: one round trip, the simple-query protocol runs the statements in order and stops at
 * the first error. A read sends nothing yet: its BEGIN goes with its first statement
 * (koers_server_db_pg_run_after_begin). The organisation id is quoted by libpq;
 * only the organisation's own rows are visible for the rest of the transaction
 * (set_config(..., true) is transaction-local). With @for_write, the organisation's row lock
 * serialises its writers until commit; another organisation's writers do not wait. */
static gboolean
pg_begin (KoersServerDb *db, const char *organisation_id, gboolean for_write, GError **error)
{
  PgDb *self = (PgDb *) db;
  g_autofree char *sql = NULL;
  char *literal;

  if (!start_transaction (self, error))
    return FALSE;
  if (organisation_id == NULL)
    return koers_server_db_pg_exec_simple (self, "BEGIN", error);

  literal = PQescapeLiteral (self->conn, organisation_id, strlen (organisation_id));
  if (literal == NULL)
    {
      koers_server_db_pg_set_error (self, NULL, "BEGIN", error);
      return FALSE;
    }
  if (!for_write)
    {
      /* Sent with the transaction's first statement (koers_server_db_pg_run). */
      PQfreemem (literal);
      g_free (self->read_organisation);
      self->read_organisation = g_strdup (organisation_id);
      return TRUE;
    }
  sql = g_strdup_printf ("BEGIN;"
                         "SELECT set_config('koers.organisation', %s, true);"
                         "SELECT sequence FROM organisations WHERE id = %s FOR UPDATE",
                         literal, literal);
  PQfreemem (literal);

  if (!koers_server_db_pg_exec_simple (self, sql, error))
    {
      pg_rollback (db);
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_commit (KoersServerDb *db, GError **error)
{
  PgDb *self = (PgDb *) db;

  /* A read transaction in which nothing ran was never sent: nothing to end. */
  if (self->read_organisation != NULL)
    {
      g_clear_pointer (&self->read_organisation, g_free);
      return TRUE;
    }
  /* COMMIT of a failed transaction "succeeds" as a ROLLBACK: say so instead. */
  if (PQtransactionStatus (self->conn) == PQTRANS_INERROR)
    {
      pg_rollback (db);
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                   "PostgreSQL: a statement of this transaction failed; it was rolled back");
      return FALSE;
    }
  /* The deferred statements and COMMIT in one round trip. One of them failing leaves the
   * transaction failed and open (PostgreSQL skips the COMMIT): the caller rolls back. */
  if (koers_server_db_pg_has_queued (self))
    {
      PGresult *result = koers_server_db_pg_run_queued (self, "COMMIT", NULL, 0, TRUE, error);

      if (result == NULL)
        return FALSE;
      PQclear (result);
      return TRUE;
    }
  return koers_server_db_pg_exec_simple (self, "COMMIT", error);
}

static gboolean
pg_in_transaction (KoersServerDb *db)
{
  PgDb *self = (PgDb *) db;

  if (self->read_organisation != NULL)
    return TRUE;
  if (PQstatus (self->conn) != CONNECTION_OK)
    return FALSE;
  return PQtransactionStatus (self->conn) != PQTRANS_IDLE;
}

static void
pg_set_lock_timeout (KoersServerDb *db, guint milliseconds)
{
  PgDb *self = (PgDb *) db;
  g_autofree char *sql = g_strdup_printf ("SET lock_timeout = %u", milliseconds);

  self->lock_timeout_ms = milliseconds;
  /* Not connected now: koers_server_db_pg_setup_session() applies it on reconnecting. */
  if (PQstatus (self->conn) == CONNECTION_OK)
    PQclear (PQexec (self->conn, sql));
}

static gboolean
pg_begin_schema (KoersServerDb *db, GError **error)
{
  PgDb *self = (PgDb *) db;

  /* No statement timeout for the schema's transaction: a migration may rewrite whole tables
   * (version 8: about 1 ms for each feed page ever audited), far longer than the 30 s any
   * request may take, and a migration that times out would fail every start the same way.
   * SET LOCAL ends with the transaction. */
  if (!koers_server_db_pg_exec_simple (self,
                                       "BEGIN; SET LOCAL statement_timeout = 0; "
                                       "SELECT pg_advisory_xact_lock(" SCHEMA_LOCK_KEY ")",
                                       error))
    {
      pg_rollback (db);
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_exec_script (KoersServerDb *db, const char *script, GError **error)
{
  /* A script goes by the simple-query protocol, which cannot join a pipeline. */
  if (!pg_flush (db, error))
    return FALSE;
  return koers_server_db_pg_exec_simple ((PgDb *) db, script, error);
}

static gboolean
pg_count_tables (KoersServerDb *db, const char *name, guint *out_count, GError **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (name) };

  if (name != NULL)
    rows = pg_query (db, "SELECT count(*) FROM pg_tables "
                         "WHERE schemaname = current_schema() AND tablename = $1",
                     params, G_N_ELEMENTS (params), error);
  else
    rows = pg_query (db, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
                     NULL, 0, error);
  if (rows == NULL)
    return FALSE;
  *out_count = (guint) koers_sql_rows_get_int (rows, 0, 0);
  return TRUE;
}

static void
pg_close (KoersServerDb *db)
{
  PgDb *self = (PgDb *) db;

  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->prepared, g_hash_table_unref);
  g_clear_pointer (&self->queue, g_ptr_array_unref);
  g_free (self->read_organisation);
  g_free (self->uri);
  g_free (self);
}

static const KoersServerDbClass pg_class = {
  .close = pg_close,
  .exec = pg_exec,
  .query = pg_query,
  .query_each = pg_query_each,
  .exec_deferred = pg_exec_deferred,
  .flush = pg_flush,
  .query_read = pg_query_read,
  .begin = pg_begin,
  .commit = pg_commit,
  .rollback = pg_rollback,
  .in_transaction = pg_in_transaction,
  .set_lock_timeout = pg_set_lock_timeout,
  .begin_schema = pg_begin_schema,
  .exec_script = pg_exec_script,
  .count_tables = pg_count_tables,
};

/* (transfer full) libpq's @message with every occurrence of the URI's password (nullable)
 * masked: libpq quotes option values it rejects. */
static char *
scrub_password (const char *message,
                const char *password)
{
  g_autoptr(GString) text = g_string_new (message);

  if (password != NULL && *password != '\0')
    g_string_replace (text, password, "***", 0);
  return g_strdup (g_strchomp (text->str));
}

char *
koers_server_db_pg_describe (const char *uri)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  const char *host = NULL;
  const char *port = NULL;
  const char *dbname = NULL;
  const char *password = NULL;
  g_autofree char *raw = NULL;
  char *text;

  /* Unparseable: nothing of it is shown, since where the password ends is unknown. */
  if (options == NULL)
    return g_strdup (_("(a PostgreSQL URI that is not valid)"));
  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    {
      if (option->val == NULL)
        continue;
      if (g_str_equal (option->keyword, "host"))
        host = option->val;
      else if (g_str_equal (option->keyword, "port"))
        port = option->val;
      else if (g_str_equal (option->keyword, "dbname"))
        dbname = option->val;
      else if (g_str_equal (option->keyword, "password"))
        password = option->val;
    }
  raw = g_strdup_printf ("postgresql://%s%s%s/%s", host != NULL ? host : "",
                         port != NULL ? ":" : "", port != NULL ? port : "",
                         dbname != NULL ? dbname : "");
  /* A mistyped URI can put the password where the host or port belongs. */
  text = scrub_password (raw, password);
  PQconninfoFree (options);
  return text;
}

/* The URI may hold a password: messages name the database only by host, port and name. */
KoersServerDb *
koers_server_db_pg_open (const char *uri, GError **error)
{
  /* Later entries win over the URI's, earlier ones give way to it: a connect timeout unless
   * the URI names one (else a reconnect to an unreachable host blocks without end), and always
   * UTF-8. */
  static const char *const keywords[] = {
    "connect_timeout", "dbname", "fallback_application_name", "client_encoding", NULL,
  };
  const char *values[] = { "10", uri, "koers-server", "UTF8", NULL };
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *password = NULL;
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  PgDb *self;

  /* libpq's own parse message may quote a piece of the URI, password included. */
  if (options == NULL)
    {
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN,
                   _("Cannot connect to PostgreSQL: the URI is not valid "
                     "(postgresql://USER:PASSWORD@HOST:PORT/DATABASE)"));
      return NULL;
    }
  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    if (g_str_equal (option->keyword, "password") && option->val != NULL)
      password = g_strdup (option->val);
  PQconninfoFree (options);

  self = g_new0 (PgDb, 1);
  self->parent.klass = &pg_class;
  self->parent.backend = KOERS_SERVER_DB_POSTGRESQL;
  self->uri = g_strdup (uri);
  self->lock_timeout_ms = DEFAULT_LOCK_TIMEOUT_MS;
  koers_server_db_pg_init_queue (self);

  self->conn = PQconnectdbParams (keywords, values, 1);
  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = scrub_password (self->conn != NULL
                                                 ? PQerrorMessage (self->conn)
                                                 : "out of memory", password);
      g_autofree char *where = koers_server_db_pg_describe (uri);

      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN,
                   _("Cannot connect to PostgreSQL at %s: %s"), where, message);
      pg_close (&self->parent);
      return NULL;
    }
  if (!koers_server_db_pg_setup_session (self, &local_error))
    {
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN,
                   _("Cannot set up the PostgreSQL session: %s"), local_error->message);
      pg_close (&self->parent);
      return NULL;
    }

  rows = pg_query (&self->parent, "SELECT rolsuper OR rolbypassrls FROM pg_roles "
                                  "WHERE rolname = current_user", NULL, 0, &local_error);
  if (rows == NULL || koers_sql_rows_get_n_rows (rows) != 1
      || koers_sql_rows_get_int (rows, 0, 0) != 0)
    {
      if (rows == NULL)
        g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN,
                     _("Cannot check the PostgreSQL role: %s"), local_error->message);
      else
        g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN,
                     _("koers-server does not run as the PostgreSQL role %s: a superuser or "
                       "BYPASSRLS role ignores row-level security; connect as an ordinary "
                       "role that owns the database"), PQuser (self->conn));
      pg_close (&self->parent);
      return NULL;
    }
  return &self->parent;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The PostgreSQL back end's connection: statements are prepared once per session and then
 * executed by name, with every parameter as text (integers in decimal) but id lists, sent as
 * a binary uuid[] (PgParams); a connection PostgreSQL dropped while idle is renewed and the
 * statement sent once more, never inside a transaction; and libpq's errors become
 * KoersServerDb errors that name no value. Statements sent together in one pipeline are in
 * koers-server-db-pg-pipeline.c, the rest of the back end in koers-server-db-pg.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "server/koers-server-db-pg-private.h"

#include <string.h>

/* A statement that runs longer than this is a bug or an overload; better a 503 than a
 * connection held for minutes. */
#define STATEMENT_TIMEOUT "30s"

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
gboolean
koers_server_db_pg_renew_connection (PgDb *self, GError **error)
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
  return koers_server_db_pg_renew_connection (self, error);
}

/* Runs @sql as its prepared statement, preparing it the first time this session sees it:
 * PostgreSQL then parses and plans each text once per connection instead of for every call
 * (a push of 100 changes is about 900 statements). A failed preparation is returned as the
 * statement's result. */
static PGresult *
exec_statement (PgDb *self, const char *sql, const PgParams *params, guint n_params)
{
  const char *name = g_hash_table_lookup (self->prepared, sql);

  if (name == NULL && g_hash_table_size (self->prepared) < KOERS_SERVER_DB_PG_MAX_PREPARED)
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
    return PQexecParams (self->conn, sql, (int) n_params, NULL, params->values,
                         params->lengths, params->formats, 0);
  return PQexecPrepared (self->conn, name, (int) n_params, params->values, params->lengths,
                         params->formats, 0);
}

/* The usual oid of uuid (pg_type.h is not part of libpq's public headers). */
#define UUIDOID 2950

/* Room for an integer's text, a blob's in bytea's hex form ("\\x" and two digits a byte), and
 * an id list's binary uuid[]: five 32-bit numbers, then each id's length and its 16 bytes. */
#define NUMBER_TEXT 24
#define BLOB_TEXT(length) (2 + 2 * (gsize) (length) + 1)
#define UUID_ARRAY_SIZE(length) (20 + (gsize) (length) / 16 * 20)

static void
blob_text (const KoersSqlValue *blob, char *out)
{
  static const char digits[] = "0123456789abcdef";
  const guint8 *bytes = (const guint8 *) blob->s;

  *out++ = '\\';
  *out++ = 'x';
  for (gint64 i = 0; i < blob->i; i++)
    {
      *out++ = digits[bytes[i] >> 4];
      *out++ = digits[bytes[i] & 0xf];
    }
  *out = '\0';
}

static guint8 *
put_be32 (guint8 *out, guint32 value)
{
  value = GUINT32_TO_BE (value);
  memcpy (out, &value, sizeof value);
  return out + sizeof value;
}

/* An id list as array_recv reads a one-dimensional uuid[]: the number of dimensions, a flag
 * for NULLs (none), the element type, each dimension's size and lower bound, then each
 * element's length and bytes (a uuid's binary form is its 16 bytes). No ids: no dimensions.
 * Returns the bytes written. */
static gsize
write_uuid_array (const KoersSqlValue *list, guint8 *out)
{
  gsize n = (gsize) list->i / 16;
  guint8 *at = out;

  g_assert (list->i % 16 == 0 && n <= (G_MAXINT - 20) / 20);
  at = put_be32 (at, n > 0 ? 1 : 0);
  at = put_be32 (at, 0);
  at = put_be32 (at, UUIDOID);
  if (n > 0)
    {
      at = put_be32 (at, (guint32) n);
      at = put_be32 (at, 1);
    }
  for (gsize k = 0; k < n; k++)
    {
      at = put_be32 (at, 16);
      memcpy (at, list->s + 16 * k, 16);
      at += 16;
    }
  return (gsize) (at - out);
}

void
koers_server_db_pg_params_init (PgParams *out, const KoersSqlValue *params, guint n_params)
{
  gboolean binary = FALSE;
  gsize size = 1, at = 0;

  memset (out, 0, sizeof *out);
  out->values = g_new0 (const char *, MAX (n_params, 1));
  for (guint k = 0; k < n_params; k++)
    {
      if (params[k].type == KOERS_SQL_INT)
        size += NUMBER_TEXT;
      else if (params[k].type == KOERS_SQL_BLOB)
        size += BLOB_TEXT (params[k].i);
      else if (params[k].type == KOERS_SQL_UUID_LIST)
        {
          size += UUID_ARRAY_SIZE (params[k].i);
          binary = TRUE;
        }
    }
  out->data = g_malloc0 (size);
  if (binary)
    {
      out->lengths = g_new0 (int, n_params);
      out->formats = g_new0 (int, n_params);
    }
  for (guint k = 0; k < n_params; k++)
    {
      switch (params[k].type)
        {
        case KOERS_SQL_INT:
          g_snprintf (out->data + at, NUMBER_TEXT, "%" G_GINT64_FORMAT, params[k].i);
          out->values[k] = out->data + at;
          at += NUMBER_TEXT;
          break;
        case KOERS_SQL_TEXT:
          out->values[k] = params[k].s;
          break;
        case KOERS_SQL_BLOB:
          blob_text (&params[k], out->data + at);
          out->values[k] = out->data + at;
          at += BLOB_TEXT (params[k].i);
          break;
        case KOERS_SQL_UUID_LIST:
          out->values[k] = out->data + at;
          out->lengths[k] = (int) write_uuid_array (&params[k], (guint8 *) out->data + at);
          out->formats[k] = 1;
          at += (gsize) out->lengths[k];
          break;
        case KOERS_SQL_NULL:
        default:
          out->values[k] = NULL;
          break;
        }
    }
}

/* The bytes of value @k: a binary one's length, a text's without its NUL. */
static gsize
value_length (const PgParams *params, guint k)
{
  return params->formats != NULL && params->formats[k] == 1 ? (gsize) params->lengths[k]
                                                             : strlen (params->values[k]);
}

/* One block for every value, each followed by a NUL (binary ones too: harmless, and a
 * value of no bytes still has a place to point). */
void
koers_server_db_pg_params_copy (PgParams *out, const PgParams *params, guint n_params)
{
  gsize size = 1, at = 0;

  memset (out, 0, sizeof *out);
  out->values = g_new0 (const char *, MAX (n_params, 1));
  for (guint k = 0; k < n_params; k++)
    if (params->values[k] != NULL)
      size += value_length (params, k) + 1;
  out->data = g_malloc0 (size);
  if (params->formats != NULL)
    {
      out->lengths = g_memdup2 (params->lengths, sizeof (int) * MAX (n_params, 1));
      out->formats = g_memdup2 (params->formats, sizeof (int) * MAX (n_params, 1));
    }
  for (guint k = 0; k < n_params; k++)
    {
      gsize length;

      if (params->values[k] == NULL)
        continue;
      length = value_length (params, k);
      memcpy (out->data + at, params->values[k], length);
      out->values[k] = out->data + at;
      at += length + 1;
    }
}

void
koers_server_db_pg_params_clear (PgParams *params)
{
  g_clear_pointer (&params->values, g_free);
  g_clear_pointer (&params->lengths, g_free);
  g_clear_pointer (&params->formats, g_free);
  g_clear_pointer (&params->data, g_free);
}

PGresult *
koers_server_db_pg_run (PgDb *self, const char *sql, const KoersSqlValue *params, guint n_params,
                        GError **error)
{
  g_auto(PgParams) values = { NULL };
  PGresult *result;
  ExecStatusType status;
  gboolean idle;

  /* A pending read transaction renews a dropped connection itself (run_after_begin). */
  if (self->read_organisation == NULL && !koers_server_db_pg_ensure_connected (self, error))
    return NULL;

  koers_server_db_pg_params_init (&values, params, n_params);

  if (self->read_organisation != NULL)
    return koers_server_db_pg_run_after_begin (self, sql, &values, n_params, error);
  /* Deferred statements go first, in the same round trip (inside a transaction: no retry). */
  if (koers_server_db_pg_has_queued (self))
    return koers_server_db_pg_run_queued (self, sql, &values, n_params, FALSE, error);

  idle = PQtransactionStatus (self->conn) == PQTRANS_IDLE && !self->parent.in_transaction;
  result = exec_statement (self, sql, &values, n_params);
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
      result = exec_statement (self, sql, &values, n_params);
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

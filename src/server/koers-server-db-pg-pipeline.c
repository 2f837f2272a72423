/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The PostgreSQL back end's pipelines (libpq's pipeline mode): several statements sent
 * together and answered in one round trip. Two uses: a read transaction's BEGIN and setting go
 * out with its first statement, and statements whose outcome nobody reads
 * (koers_server_db_exec_deferred) wait in a queue for the next statement that is answered, or
 * for the commit. On the server's one thread every round trip is time no other request gets:
 * a push of 100 changes was about 900 of them, most for history, audit and bookkeeping rows.
 */
#include "config.h"

#include "server/koers-server-db-pg-private.h"

/* A queue this long is sent on its own. Results of the statements queued are a few bytes
 * each, so a pipeline of this many never fills the socket buffers both ways (which would
 * block libpq's blocking writes while the server waits for us to read); and a transaction
 * that queues thousands of rows (an erasure) still gets them in far fewer round trips. */
#define MAX_QUEUED 64

typedef struct {
  char                   *sql;
  PgParams                params;    /* n_params of them, borrowing nothing */
  guint                   n_params;
  KoersServerDbErrorFunc  on_error;
} Queued;

/* One statement of a pipeline. */
typedef struct {
  const char             *sql;
  const char * const     *values;
  const int              *lengths;     /* (nullable) as PgParams */
  const int              *formats;     /* (nullable) as PgParams */
  guint                   n_params;
  gboolean                unprepared;  /* BEGIN, COMMIT: nothing to plan, sent as they are */
  KoersServerDbErrorFunc  on_error;    /* (nullable) given to the error it causes */
} Step;

static void
queued_free (gpointer data)
{
  Queued *queued = data;

  koers_server_db_pg_params_clear (&queued->params);
  g_free (queued->sql);
  g_free (queued);
}

/* A step of @sql with @n_params of @params (nullable: none) from the @first on. */
static Step
step_of (const char *sql, const PgParams *params, gsize first, guint n_params,
         gboolean unprepared, KoersServerDbErrorFunc on_error)
{
  Step step = { sql, NULL, NULL, NULL, n_params, unprepared, on_error };

  if (params != NULL && n_params > 0)
    {
      step.values = params->values + first;
      step.lengths = params->lengths != NULL ? params->lengths + first : NULL;
      step.formats = params->formats != NULL ? params->formats + first : NULL;
    }
  return step;
}

/* Sends @steps in one pipeline, each as its prepared statement (a text new to the session is
 * prepared in the same pipeline), and reads every answer. TRUE with the results of the steps
 * from @keep_from on in @out_results (transfer full, n_steps - keep_from of them), or FALSE
 * with @error set from the first step that failed (its preparation or itself): PostgreSQL
 * skips the rest of a pipeline after an error, so nothing after it ran. */
static gboolean
send_steps (PgDb *self, const Step *steps, guint n_steps, guint keep_from,
            PGresult **out_results, gboolean *out_connection_lost, GError **error)
{
  /* For each result, in the order they come, the step it answers: at most a preparation
   * and the statement itself per step. */
  g_autofree const Step **answers = g_new0 (const Step *, 2 * n_steps);
  g_autofree gboolean *is_preparation = g_new0 (gboolean, 2 * n_steps);
  g_autofree PGresult **results = g_new0 (PGresult *, 2 * n_steps);
  /* Preparations sent in this pipeline: SQL text -> name. They join self->prepared only
   * when the whole pipeline went through; a preparation that did not stays unnamed, and the
   * next one takes a new name, so no two texts ever share one. */
  g_autoptr(GHashTable) new_names = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                           g_free);
  const Step *sending = &steps[0];
  guint n_answers = 0;
  PGresult *extra;
  gboolean sent;
  guint failed;

  *out_connection_lost = FALSE;
  if (!PQenterPipelineMode (self->conn))
    {
      *out_connection_lost = PQstatus (self->conn) == CONNECTION_BAD;
      koers_server_db_pg_set_error (self, NULL, steps[0].sql, error);
      return FALSE;
    }
  sent = TRUE;
  for (guint i = 0; sent && i < n_steps; i++)
    {
      const Step *step = &steps[i];
      const char *name = NULL;

      sending = step;
      if (!step->unprepared)
        {
          name = g_hash_table_lookup (self->prepared, step->sql);
          if (name == NULL)
            name = g_hash_table_lookup (new_names, step->sql);
          if (name == NULL
              && g_hash_table_size (self->prepared) + g_hash_table_size (new_names)
                 < KOERS_SERVER_DB_PG_MAX_PREPARED)
            {
              char *new_name = g_strdup_printf ("koers_%u", ++self->n_prepared);

              g_hash_table_insert (new_names, (gpointer) step->sql, new_name);
              name = new_name;
              sent = PQsendPrepare (self->conn, name, step->sql, (int) step->n_params, NULL);
              is_preparation[n_answers] = TRUE;
              answers[n_answers++] = step;
            }
        }
      if (sent && name != NULL)
        sent = PQsendQueryPrepared (self->conn, name, (int) step->n_params, step->values,
                                    step->lengths, step->formats, 0);
      else if (sent)
        sent = PQsendQueryParams (self->conn, step->sql, (int) step->n_params, NULL,
                                  step->values, step->lengths, step->formats, 0);
      answers[n_answers++] = step;
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
      const Step *culprit = sent ? answers[failed] : sending;

      *out_connection_lost = PQstatus (self->conn) == CONNECTION_BAD;
      koers_server_db_pg_set_error (self, sent ? results[failed] : NULL, culprit->sql, error);
      self->parent.deferred_error_func = culprit->on_error;
      for (guint i = 0; i < n_answers; i++)
        PQclear (results[i]);
      return FALSE;
    }
  {
    GHashTableIter iter;
    gpointer sql, name;

    g_hash_table_iter_init (&iter, new_names);
    while (g_hash_table_iter_next (&iter, &sql, &name))
      {
        g_hash_table_insert (self->prepared, g_strdup (sql), name);
        g_hash_table_iter_steal (&iter);
      }
  }
  for (guint i = 0; i < n_answers; i++)
    {
      guint step = (guint) (answers[i] - steps);

      if (!is_preparation[i] && step >= keep_from && out_results != NULL)
        out_results[step - keep_from] = results[i];
      else
        PQclear (results[i]);
    }
  return TRUE;
}

/* BEGIN, the organisation setting and @sql together: a read transaction costs the round
 * trip of its first statement only, where BEGIN went alone before (a record read was four
 * round trips on the server's one thread: token, BEGIN, SELECT, COMMIT). */
static PGresult *
send_begin_pipeline (PgDb *self, const char *organisation, const char *sql,
                     const PgParams *params, guint n_params, gboolean *out_connection_lost,
                     GError **error)
{
  const char *setting_value[] = { organisation };
  const PgParams setting = { setting_value, NULL, NULL, NULL };
  const Step steps[] = {
    step_of ("BEGIN", NULL, 0, 0, TRUE, NULL),
    step_of ("SELECT set_config('koers.organisation', $1, true)", &setting, 0, 1, FALSE, NULL),
    step_of (sql, params, 0, n_params, FALSE, NULL),
  };
  PGresult *result = NULL;

  if (!send_steps (self, steps, G_N_ELEMENTS (steps), G_N_ELEMENTS (steps) - 1, &result,
                   out_connection_lost, error))
    return NULL;
  return result;
}

/* The first statement of a read transaction (pg_begin deferred its BEGIN). A connection that
 * turns out dropped before anything ran is renewed and the lot sent once more, as a lone
 * BEGIN was before. */
PGresult *
koers_server_db_pg_run_after_begin (PgDb *self, const char *sql, const PgParams *params,
                                    guint n_params, GError **error)
{
  g_autofree char *organisation = g_steal_pointer (&self->read_organisation);
  g_autoptr(GError) first_error = NULL;
  gboolean lost = FALSE;
  PGresult *result;

  /* Nothing is queued before a read transaction sent its BEGIN (pg_exec_deferred). */
  g_assert (self->queue->len == 0);
  result = send_begin_pipeline (self, organisation, sql, params, n_params, &lost, &first_error);
  if (result != NULL || !lost || self->reconnecting)
    {
      if (first_error != NULL)
        g_propagate_error (error, g_steal_pointer (&first_error));
      return result;
    }
  /* Nothing of the transaction had run: renewing the connection loses none of it. */
  if (!koers_server_db_pg_renew_connection (self, error))
    return NULL;
  return send_begin_pipeline (self, organisation, sql, params, n_params, &lost, error);
}

/* BEGIN, the organisation setting, @sql and COMMIT in one pipeline: a read transaction of one
 * statement costs one round trip. A statement that fails stops the pipeline before COMMIT
 * (the caller rolls back); a connection found dropped before anything ran is renewed and the
 * lot sent once more, as for run_after_begin. */
PGresult *
koers_server_db_pg_run_read_once (PgDb *self, const char *organisation, const char *sql,
                                  const PgParams *params, guint n_params, GError **error)
{
  const char *setting_value[] = { organisation };
  const PgParams setting = { setting_value, NULL, NULL, NULL };
  const Step steps[] = {
    step_of ("BEGIN", NULL, 0, 0, TRUE, NULL),
    step_of ("SELECT set_config('koers.organisation', $1, true)", &setting, 0, 1, FALSE, NULL),
    step_of (sql, params, 0, n_params, FALSE, NULL),
    step_of ("COMMIT", NULL, 0, 0, TRUE, NULL),
  };
  PGresult *results[2] = { NULL, NULL };
  g_autoptr(GError) first_error = NULL;
  gboolean lost = FALSE;

  g_assert (self->queue->len == 0);
  if (!send_steps (self, steps, G_N_ELEMENTS (steps), 2, results, &lost, &first_error))
    {
      if (!lost || self->reconnecting)
        {
          g_propagate_error (error, g_steal_pointer (&first_error));
          return NULL;
        }
      if (!koers_server_db_pg_renew_connection (self, error)
          || !send_steps (self, steps, G_N_ELEMENTS (steps), 2, results, &lost, error))
        return NULL;
    }
  PQclear (results[1]);
  return results[0];
}

/* What is queued, then @sql @n_calls times (each with the next @n_params of @values; none
 * with @n_calls 0, a flush) in one pipeline; the queue is empty afterwards whatever happened.
 * Inside a transaction, so a lost connection is never sent again: the caller gets BUSY and
 * rolls back. */
gboolean
koers_server_db_pg_run_queued_each (PgDb *self, const char *sql, const PgParams *params,
                                    guint n_params, guint n_calls, gboolean unprepared,
                                    PGresult **out_results, GError **error)
{
  g_autoptr(GPtrArray) queue = g_steal_pointer (&self->queue);
  g_autofree Step *steps = g_new0 (Step, queue->len + n_calls);
  guint n_steps = 0;
  gboolean lost;

  self->queue = g_ptr_array_new_with_free_func (queued_free);
  for (guint i = 0; i < queue->len; i++)
    {
      const Queued *queued = g_ptr_array_index (queue, i);

      steps[n_steps++] = step_of (queued->sql, &queued->params, 0, queued->n_params, FALSE,
                                  queued->on_error);
    }
  for (guint i = 0; i < n_calls; i++)
    steps[n_steps++] = step_of (sql, params, (gsize) i * n_params, n_params, unprepared, NULL);
  if (n_steps == 0)
    return TRUE;
  return send_steps (self, steps, n_steps, queue->len, out_results, &lost, error);
}

/* What is queued, then @sql in one pipeline. (transfer full) @sql's result, or NULL with
 * @error set. */
PGresult *
koers_server_db_pg_run_queued (PgDb *self, const char *sql, const PgParams *params,
                               guint n_params, gboolean unprepared, GError **error)
{
  PGresult *result = NULL;

  if (!koers_server_db_pg_run_queued_each (self, sql, params, n_params, 1, unprepared, &result,
                                           error))
    return NULL;
  return result;
}

gboolean
koers_server_db_pg_has_queued (PgDb *self)
{
  return self->queue->len > 0;
}

void
koers_server_db_pg_drop_queued (PgDb *self)
{
  g_ptr_array_set_size (self->queue, 0);
}

/* Queues @sql, its parameters copied as they are sent. A full queue is sent first. FALSE
 * with @error set when that failed. */
gboolean
koers_server_db_pg_queue (PgDb *self, const char *sql, const KoersSqlValue *params,
                          guint n_params, KoersServerDbErrorFunc on_error, GError **error)
{
  g_auto(PgParams) borrowed = { NULL };
  Queued *queued;

  if (self->queue->len >= MAX_QUEUED
      && !koers_server_db_pg_run_queued_each (self, NULL, NULL, 0, 0, FALSE, NULL, error))
    return FALSE;
  queued = g_new0 (Queued, 1);
  queued->sql = g_strdup (sql);
  queued->n_params = n_params;
  queued->on_error = on_error;
  koers_server_db_pg_params_init (&borrowed, params, n_params);
  koers_server_db_pg_params_copy (&queued->params, &borrowed, n_params);
  g_ptr_array_add (self->queue, queued);
  return TRUE;
}

void
koers_server_db_pg_init_queue (PgDb *self)
{
  self->queue = g_ptr_array_new_with_free_func (queued_free);
}

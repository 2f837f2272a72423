/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sync routes: the changes feed (pull), the mutation batches (push) and the conflict
 * records the merge leaves for people to resolve. docs/api-protocol.md, "Pull" and "Push".
 */
#include "config.h"

#include "server/koers-server-http-private.h"

#include "server/koers-server-json.h"

#include <string.h>

/* A 410 for a cursor of an older epoch says up to which volgnummer the two histories are the
 * same (gedeeldTot): the client compares its records' versions only that far. */
static void
send_cursor_expired (KoersServerRequest *request, const char *cursor, const GError *error)
{
  g_autoptr (JsonObject) problem = koers_server_http_problem_new (410, error->message, NULL);
  const char *dot = cursor != NULL ? strrchr (cursor, '.') : NULL;
  g_autofree char *epoch = dot != NULL ? g_strndup (cursor, (gsize) (dot - cursor)) : NULL;
  g_autoptr (GError) db_error = NULL;
  gint64 shared = -1;

  if (epoch != NULL
      && !koers_server_db_shared_history (koers_server_engine_get_db (request->engine),
                                          request->caller->organisation_id, epoch, &shared,
                                          &db_error))
    {
      koers_server_http_send_error (request->msg, db_error);
      return;
    }
  if (shared >= 0)
    json_object_set_int_member (problem, "gedeeldTot", shared);
  koers_server_http_send_problem_object (request->msg, problem);
}

/* Audits and sends a page of the changes feed, or the error that came instead. */
static void
answer_changes (KoersServerRequest *request, const char *cursor, guint limit,
                KoersServerFeedPage *page, const GError *error)
{
  if (!koers_server_http_audit_participants (request, "synchroniseren", NULL,
                                             page != NULL ? page->participants : NULL,
                                             page != NULL))
    return;
  if (page == NULL && g_error_matches (error, KOERS_SERVER_ENGINE_ERROR,
                                       KOERS_SERVER_ENGINE_ERROR_CURSOR_EXPIRED))
    {
      send_cursor_expired (request, cursor, error);
      return;
    }
  if (page == NULL)
    {
      koers_server_http_send_error (request->msg, error);
      return;
    }
  if (page->more)
    koers_server_http_set_next_link (request->msg, request->path, "vanaf", page->next_cursor,
                                     limit, NULL, NULL);
  koers_server_http_send_json_text (request->msg, 200, g_steal_pointer (&page->text),
                                    page->text_length);
}

/* A page read on a reader thread (koers-server-readers.h) while the message waits. */
typedef struct {
  KoersServer       *server;  /* borrowed: freeing the server waits for its reads */
  SoupServerMessage *msg;
  char              *path;
  KoersServerCaller *caller;
  char              *cursor;
  guint              limit;
  gboolean           gone;   /* the client went away meanwhile: nothing to answer */
} ChangesRead;

static void
changes_read_gone_cb (SoupServerMessage *msg, ChangesRead *changes)
{
  changes->gone = TRUE;
}

static void
changes_read_free (ChangesRead *changes)
{
  g_signal_handlers_disconnect_by_data (changes->msg, changes);
  g_object_unref (changes->msg);
  g_free (changes->path);
  koers_server_caller_free (changes->caller);
  g_free (changes->cursor);
  g_free (changes);
}

static gpointer
changes_read (KoersServerEngine *engine, gpointer data, GError **error)
{
  ChangesRead *changes = data;

  return koers_server_engine_pull_page (engine, changes->caller, changes->cursor,
                                        changes->limit, error);
}

static void
changes_read_done (gpointer result, const GError *error, gboolean busy, gpointer data)
{
  ChangesRead *changes = data;
  KoersServerRequest request = { 0 };

  if (changes->gone)
    return;
  request.server = changes->server;
  request.engine = koers_server_get_engine (changes->server);
  request.msg = changes->msg;
  request.path = changes->path;
  request.caller = changes->caller;
  request.failed_busy = busy;
  /* Unpaused first: when the audit queue holds the answer back it pauses the message again,
   * which cancels this unpause (libsoup resumes a message from an idle source). */
  soup_server_message_unpause (changes->msg);
  answer_changes (&request, changes->cursor, changes->limit, result, error);
}

static void
get_changes (KoersServerRequest *request)
{
  const char *cursor = koers_server_http_query_get (request, "vanaf");
  KoersServerReaders *readers = koers_server_get_readers (request->server);
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersServerFeedPage) page = NULL;
  ChangesRead *changes;
  guint limit;

  if (!koers_server_http_parse_limit (request->query, KOERS_SERVER_LIMIT_DEFAULT_FEED, &limit))
    {
      koers_server_http_send_invalid (request->msg, "limiet",
                                      "moet een geheel getal van 1 tot en met 500 zijn");
      return;
    }

  if (readers == NULL)
    {
      /* Written as text by the engine: a tree of the page was most of a feed request's cost. */
      page = koers_server_engine_pull_page (request->engine, request->caller, cursor, limit,
                                            &error);
      answer_changes (request, cursor, limit, page, error);
      return;
    }

  changes = g_new0 (ChangesRead, 1);
  changes->server = request->server;
  changes->msg = g_object_ref (request->msg);
  changes->path = g_strdup (request->path);
  changes->caller = koers_server_caller_copy (request->caller);
  changes->cursor = g_strdup (cursor);
  changes->limit = limit;
  g_signal_connect (request->msg, "disconnected", G_CALLBACK (changes_read_gone_cb), changes);
  g_signal_connect (request->msg, "finished", G_CALLBACK (changes_read_gone_cb), changes);
  soup_server_message_pause (request->msg);
  request->answer_later = TRUE;
  koers_server_readers_run (readers, changes_read, changes_read_done, changes,
                            (GDestroyNotify) changes_read_free,
                            (GDestroyNotify) koers_server_feed_page_free);
}

static void
push_mutations (KoersServerRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) result = NULL;
  gint64 expected = 0;

  /* The batch and its audit rows commit together (or neither does). */
  result = koers_server_engine_push_batch_audited (request->engine, request->caller,
                                                   request->body, "synchroniseren", NULL,
                                                   &expected, &error);
  if (result != NULL)
    {
      koers_server_http_send_json (request->msg, 200, result);
      return;
    }

  if (g_error_matches (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_SEQUENCE_GAP))
    {
      g_autoptr (JsonObject) problem = koers_server_http_problem_new (409, error->message,
                                                                      request->path);

      json_object_set_string_member (problem, "type",
                                     KOERS_SERVER_PROBLEM_BASE "volgnummer-gat");
      json_object_set_string_member (problem, "title", "Volgnummers sluiten niet aan");
      json_object_set_int_member (problem, "verwachtVolgnummer", expected);
      koers_server_http_send_problem_object (request->msg, problem);
      return;
    }
  koers_server_http_send_error (request->msg, error);
}

static void
list_conflicts (KoersServerRequest *request)
{
  const char *resolved = koers_server_http_query_get (request, "opgelost");
  KoersServerListQuery query = { .resolved = -1 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) page = NULL;

  if (resolved != NULL)
    {
      if (g_strcmp0 (resolved, "true") == 0)
        query.resolved = 1;
      else if (g_strcmp0 (resolved, "false") == 0)
        query.resolved = 0;
      else
        {
          koers_server_http_send_invalid (request->msg, "opgelost", "moet true of false zijn");
          return;
        }
    }
  if (!koers_server_http_parse_limit (request->query, KOERS_SERVER_LIMIT_DEFAULT_LIST,
                                      &query.limit))
    {
      koers_server_http_send_invalid (request->msg, "limiet",
                                      "moet een geheel getal van 1 tot en met 500 zijn");
      return;
    }
  query.cursor = koers_server_http_query_get (request, "cursor");

  page = koers_server_engine_list (request->engine, request->caller, "conflicten", &query,
                                   &error);
  if (!koers_server_http_audit_page (request, "lezen", "conflicten", page))
    return;
  if (page == NULL)
    {
      koers_server_http_send_error (request->msg, error);
      return;
    }
  koers_server_http_send_page (request, page, query.limit, resolved != NULL ? "opgelost" : NULL,
                               resolved);
}

static void
get_conflict (KoersServerRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) record = NULL;
  gint64 version = 0;

  record = koers_server_engine_get (request->engine, request->caller, "conflicten", request->id,
                                    &error);
  if (!koers_server_http_audit (request, "lezen", "conflicten", request->id, record != NULL))
    return;
  if (record == NULL)
    {
      koers_server_http_send_error (request->msg, error);
      return;
    }

  if (koers_server_json_get_int (json_node_get_object (record), "versie", &version))
    koers_server_http_set_etag (request->msg, version);
  koers_server_http_send_json (request->msg, 200, record);
}

static const char * const changes_keys[] = { "vanaf", "limiet", NULL };
static const char * const conflict_keys[] = { "opgelost", "cursor", "limiet", NULL };

static const KoersServerRoute sync_routes[] = {
  { "GET", "/v1/wijzigingen", changes_keys, 0, get_changes, NULL },
  { "POST", "/v1/mutaties", NULL, KOERS_ROUTE_JSON_BODY | KOERS_ROUTE_PERSONAL,
    push_mutations, NULL },
  { "GET", "/v1/conflicten", conflict_keys, KOERS_ROUTE_PERSONAL, list_conflicts, NULL },
  { "GET", "/v1/conflicten/{id}", NULL, KOERS_ROUTE_PERSONAL, get_conflict, NULL },
};

const KoersServerRoute *
koers_server_routes_sync (guint *out_n)
{
  *out_n = G_N_ELEMENTS (sync_routes);
  return sync_routes;
}

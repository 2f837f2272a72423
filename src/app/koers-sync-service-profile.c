/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "app/koers-sync-service-private.h"

#include "sync/koers-sync-json.h"
#include "sync/koers-sync-staff.h"
#include "sync/koers-sync-schema.h"

/*
 * Who is signed in (GET /v1/profiel), to show in the window: asked once after a sign-in, and
 * after the first run of a restart that came before the answer. Only the names are kept
 * (sync_state), nothing else of the answer.
 */

/* A profile is a few hundred bytes; the answer is untrusted (SYNC.md, Limits). */
#define PROFILE_LIMIT (64 * 1024)

typedef struct
{
  KoersSyncWorker *worker;
  SoupMessage     *msg;
  GInputStream    *stream;
  guint8          *buffer;
  guint            generation;
} ProfileOp;

static void
profile_op_free (ProfileOp *op)
{
  op->worker->n_ops--;
  g_clear_object (&op->msg);
  g_clear_object (&op->stream);
  g_free (op->buffer);
  g_free (op);
}

static const char *
json_string_member (JsonObject *object,
                    const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
profile_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ProfileOp *op = user_data;
  KoersSyncWorker *worker = op->worker;
  gsize n_read = 0;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *organisation = NULL;
  const char *name;
  const char *org_name = NULL;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &n_read, NULL)
      || n_read > PROFILE_LIMIT || op->generation != worker->generation)
    goto out;
  bytes = g_bytes_new (op->buffer, n_read);
  root = koers_sync_json_parse_response (bytes, NULL);
  if (root == NULL)
    goto out;
  name = json_string_member (json_node_get_object (root), "naam");
  {
    JsonNode *node = json_object_get_member (json_node_get_object (root), "organisatie");

    if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
      organisation = json_node_get_object (node);
  }
  org_name = json_string_member (organisation, "naam");

  /* Who signed in, as a coach row by name: a coach's new participants get this id as their
   * coach (the server refuses another from a coach). A profile that does not check out
   * leaves the previous one. */
  {
    JsonObject *profile = json_node_get_object (root);
    g_autoptr(GError) error = NULL;

    if (!koers_sync_staff_set_self (worker->db, json_string_member (profile, "gebruikerId"),
                                    name, json_string_member (profile, "rol"), &error))
      g_debug ("sync: profile not kept: %s", error->message);
  }
  /* Only to show; a failure to keep them costs nothing but the name after a restart. */
  koers_sync_state_set (worker->db, KOERS_SYNC_STATE_USER_NAME, name, NULL);
  koers_sync_state_set (worker->db, KOERS_SYNC_STATE_ORGANISATION, org_name, NULL);
  koers_sync_worker_set_string (&worker->status.user_name, name);
  koers_sync_worker_set_string (&worker->status.organisation, org_name);
  koers_sync_worker_post_status (worker);

out:
  profile_op_free (op);
}

static void
profile_sent_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ProfileOp *op = user_data;

  op->stream = soup_session_send_finish (SOUP_SESSION (object), result, NULL);
  if (op->stream == NULL || soup_message_get_status (op->msg) != SOUP_STATUS_OK)
    {
      profile_op_free (op);
      return;
    }
  /* One byte more than allowed tells a too-large answer from one that just fits. */
  op->buffer = g_malloc (PROFILE_LIMIT + 1);
  g_input_stream_read_all_async (op->stream, op->buffer, PROFILE_LIMIT + 1, G_PRIORITY_LOW,
                                 op->worker->cancellable, profile_read_cb, op);
}

void
koers_sync_worker_fetch_profile (KoersSyncWorker *worker)
{
  g_autofree char *token = koers_token_source_dup_access_token (worker->tokens);
  g_autofree char *url = NULL;
  g_autofree char *bearer = NULL;
  ProfileOp *op;

  /* After a restart the access token comes with the first refresh; the names are on
   * record then anyway. */
  if (token == NULL)
    return;
  worker->profile_asked = TRUE;
  url = g_strconcat (worker->status.server_url, "/v1/profiel", NULL);
  op = g_new0 (ProfileOp, 1);
  op->worker = worker;
  op->generation = worker->generation;
  op->msg = soup_message_new ("GET", url);
  worker->n_ops++;
  if (op->msg == NULL)
    {
      profile_op_free (op);
      return;
    }
  bearer = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (op->msg), "Authorization",
                                bearer);
  if (worker->session == NULL)
    worker->session = soup_session_new_with_options ("timeout", 60, NULL);
  soup_session_send_async (worker->session, op->msg, G_PRIORITY_LOW, worker->cancellable,
                           profile_sent_cb, op);
}

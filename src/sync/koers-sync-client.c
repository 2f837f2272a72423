/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-sync-client.h"

#include "sync/koers-sync-client-private.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-schema.h"

#include <libsoup/soup.h>

#include <string.h>

G_DEFINE_ENUM_TYPE (KoersSyncClientState, koers_sync_client_state,
                    G_DEFINE_ENUM_VALUE (KOERS_SYNC_CLIENT_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (KOERS_SYNC_CLIENT_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (KOERS_SYNC_CLIENT_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (KOERS_SYNC_CLIENT_ERROR, "error"))

struct _KoersSyncClient
{
  GObject               parent_instance;

  KoersDatabase        *db;
  char                 *url;
  KoersTokenSource     *tokens;
  SoupSession          *session;
  GMainContext         *context;
  guint                 page_size;
  guint                 connect_timeout_s;

  KoersSyncClientState  state;
  gint64                pending_count;
  char                 *last_sync;
  gboolean              initial_complete;
  gint64                clock_offset;
  gboolean              clock_offset_unsaved;
  gboolean              clock_skewed;
  char                 *last_error;

  gboolean              started;
  gboolean              running;
  gboolean              again;
  gboolean              held;         /* koers_sync_client_set_held */
  gboolean              held_wanted;  /* a run was asked for while held */
  KoersSyncHold        *hold;         /* (nullable) koers_sync_client_set_hold */
  GCancellable         *run_cancellable;
  guint                 failures;
  guint                 retry_delay;
  GSource              *debounce_source;
  GSource              *retry_source;
  GSource              *period_source;
  GNetworkMonitor      *monitor;
  gulong                monitor_handler;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_PENDING_COUNT,
  PROP_LAST_SYNC,
  PROP_INITIAL_SYNC_COMPLETE,
  PROP_CLOCK_OFFSET,
  PROP_CLOCK_SKEWED,
  PROP_LAST_ERROR,
  N_PROPS
};

enum {
  SIGNAL_PAGE_APPLIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KoersSyncClient, koers_sync_client, G_TYPE_OBJECT)

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_source_unref (*source);
  *source = NULL;
}

static void
koers_sync_client_dispose (GObject *object)
{
  KoersSyncClient *self = KOERS_SYNC_CLIENT (object);

  koers_sync_client_stop (self);
  g_clear_object (&self->session);
  g_clear_object (&self->tokens);
  g_clear_object (&self->db);
  G_OBJECT_CLASS (koers_sync_client_parent_class)->dispose (object);
}

static void
koers_sync_client_finalize (GObject *object)
{
  KoersSyncClient *self = KOERS_SYNC_CLIENT (object);

  g_free (self->url);
  g_free (self->last_sync);
  g_free (self->last_error);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->hold, koers_sync_hold_unref);
  G_OBJECT_CLASS (koers_sync_client_parent_class)->finalize (object);
}

static void
koers_sync_client_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  KoersSyncClient *self = KOERS_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PENDING_COUNT:
      g_value_set_int64 (value, self->pending_count);
      break;
    case PROP_LAST_SYNC:
      g_value_set_string (value, self->last_sync);
      break;
    case PROP_INITIAL_SYNC_COMPLETE:
      g_value_set_boolean (value, self->initial_complete);
      break;
    case PROP_CLOCK_OFFSET:
      g_value_set_int64 (value, self->clock_offset);
      break;
    case PROP_CLOCK_SKEWED:
      g_value_set_boolean (value, self->clock_skewed);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_sync_client_class_init (KoersSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = koers_sync_client_dispose;
  object_class->finalize = koers_sync_client_finalize;
  object_class->get_property = koers_sync_client_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, KOERS_TYPE_SYNC_CLIENT_STATE,
                       KOERS_SYNC_CLIENT_IDLE, flags);
  properties[PROP_PENDING_COUNT] =
    g_param_spec_int64 ("pending-count", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LAST_SYNC] = g_param_spec_string ("last-sync", NULL, NULL, NULL, flags);
  properties[PROP_INITIAL_SYNC_COMPLETE] =
    g_param_spec_boolean ("initial-sync-complete", NULL, NULL, FALSE, flags);
  properties[PROP_CLOCK_OFFSET] =
    g_param_spec_int64 ("clock-offset", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_CLOCK_SKEWED] =
    g_param_spec_boolean ("clock-skewed", NULL, NULL, FALSE, flags);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A pull page was committed (progress of a first sync); @n_items records in it. */
  signals[SIGNAL_PAGE_APPLIED] =
    g_signal_new ("page-applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
koers_sync_client_init (KoersSyncClient *self)
{
  self->state = KOERS_SYNC_CLIENT_IDLE;
  self->page_size = 500;
  self->connect_timeout_s = KOERS_SYNC_CONNECT_TIMEOUT_S;
}

/* ---- property setters ---------------------------------------------------------------------- */

static void
set_state (KoersSyncClient *self, KoersSyncClientState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_string (KoersSyncClient *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
refresh_from_db (KoersSyncClient *self)
{
  gint64 pending = koers_sync_schema_count_pending (self->db);
  gboolean complete = koers_sync_state_get_int (self->db, KOERS_SYNC_STATE_INITIAL_COMPLETE,
                                                0) == 1;
  g_autofree char *last = koers_sync_state_get (self->db, KOERS_SYNC_STATE_LAST_SYNC, NULL);

  if (pending >= 0 && pending != self->pending_count)
    {
      self->pending_count = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_COUNT]);
    }
  if (complete != self->initial_complete)
    {
      self->initial_complete = complete;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INITIAL_SYNC_COMPLETE]);
    }
  set_string (self, &self->last_sync, last, PROP_LAST_SYNC);
}

/* ---- construction and accessors ------------------------------------------------------------ */

KoersSyncClient *
koers_sync_client_new (KoersDatabase *db, const char *server_url, KoersTokenSource *tokens)
{
  KoersSyncClient *self;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (KOERS_IS_TOKEN_SOURCE (tokens), NULL);

  self = g_object_new (KOERS_TYPE_SYNC_CLIENT, NULL);
  self->db = g_object_ref (db);
  self->url = g_strdup (server_url);
  if (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  self->tokens = g_object_ref (tokens);
  self->context = g_main_context_ref_thread_default ();
  /* docs/api-protocol.md, Limits: connect 10 s, request 60 s. No SoupLogger: it would print
   * the Authorization header. */
  self->session = soup_session_new_with_options ("timeout", KOERS_SYNC_IO_TIMEOUT_S,
                                                 "idle-timeout", 60, NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *offset = koers_sync_state_get (db, KOERS_SYNC_STATE_CLOCK_OFFSET, &error);

    if (offset != NULL)
      self->clock_offset = g_ascii_strtoll (offset, NULL, 10);
    self->clock_skewed = ABS (self->clock_offset) > KOERS_SYNC_CLOCK_SKEW_LIMIT;
  }
  refresh_from_db (self);
  return self;
}

KoersDatabase *
koers_sync_client_get_db (KoersSyncClient *self)
{
  return self->db;
}

SoupSession *
koers_sync_client_get_session (KoersSyncClient *self)
{
  return self->session;
}

KoersTokenSource *
koers_sync_client_get_tokens (KoersSyncClient *self)
{
  return self->tokens;
}

const char *
koers_sync_client_get_url (KoersSyncClient *self)
{
  return self->url;
}

guint
koers_sync_client_get_page_size (KoersSyncClient *self)
{
  return self->page_size;
}

void
koers_sync_client_set_page_size (KoersSyncClient *self, guint limit)
{
  g_return_if_fail (KOERS_IS_SYNC_CLIENT (self));
  self->page_size = CLAMP (limit, 1, 500);
}

guint
koers_sync_client_get_connect_timeout (KoersSyncClient *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_CLIENT (self), 0);

  return self->connect_timeout_s;
}

void
koers_sync_client_set_timeouts (KoersSyncClient *self, guint connect_s, guint io_s)
{
  g_return_if_fail (KOERS_IS_SYNC_CLIENT (self));
  g_return_if_fail (connect_s >= 1 && io_s >= 1);

  self->connect_timeout_s = connect_s;
  g_object_set (self->session, "timeout", io_s, NULL);
}

KoersSyncClientState
koers_sync_client_get_state (KoersSyncClient *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_CLIENT (self), KOERS_SYNC_CLIENT_IDLE);
  return self->state;
}

gint64
koers_sync_client_get_pending_count (KoersSyncClient *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_CLIENT (self), 0);
  return self->pending_count;
}

const char *
koers_sync_client_get_last_sync (KoersSyncClient *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_CLIENT (self), NULL);
  return self->last_sync;
}

gboolean
koers_sync_client_get_initial_sync_complete (KoersSyncClient *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_CLIENT (self), FALSE);
  return self->initial_complete;
}

gint64
koers_sync_client_get_clock_offset (KoersSyncClient *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_CLIENT (self), 0);
  return self->clock_offset;
}

gboolean
koers_sync_client_get_clock_skewed (KoersSyncClient *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_CLIENT (self), FALSE);
  return self->clock_skewed;
}

const char *
koers_sync_client_get_last_error (KoersSyncClient *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_CLIENT (self), NULL);
  return self->last_error;
}

guint
koers_sync_client_get_retry_delay (KoersSyncClient *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_CLIENT (self), 0);
  return self->retry_source != NULL ? self->retry_delay : 0;
}

/* ---- runs -------------------------------------------------------------------------------- */

static void trigger_run (KoersSyncClient *self);

static GSource *
add_timeout (KoersSyncClient *self, guint ms, GSourceFunc func)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

static gboolean
retry_cb (gpointer user_data)
{
  KoersSyncClient *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  trigger_run (self);
  return G_SOURCE_REMOVE;
}

/* Exponential from 1 s, doubled per failure up to 5 min, with "equal jitter" (half fixed,
 * half random) so many laptops coming back online do not all knock at once. A Retry-After
 * from the server is a floor. */
static void
schedule_retry (KoersSyncClient *self, guint retry_after_s)
{
  guint64 base = KOERS_SYNC_BACKOFF_MIN_MS;
  guint delay;

  for (guint i = 1; i < self->failures && base < KOERS_SYNC_BACKOFF_MAX_MS; i++)
    base *= 2;
  base = MIN (base, KOERS_SYNC_BACKOFF_MAX_MS);
  delay = (guint) (base / 2 + (guint64) g_random_int_range (0, (gint32) (base / 2) + 1));
  delay = MAX (delay, KOERS_SYNC_BACKOFF_MIN_MS);
  if (retry_after_s > 0)
    delay = MAX (delay, MIN (retry_after_s, 3600u) * 1000u);
  clear_source (&self->retry_source);
  self->retry_delay = delay;
  self->retry_source = add_timeout (self, delay, retry_cb);
}

/* The server clock's offset as last seen, for the next start (written when this connection
 * writes anyway: see koers_sync_client_page_applied). */
static void
save_clock_offset (KoersSyncClient *self)
{
  g_autofree char *text = NULL;

  if (!self->clock_offset_unsaved)
    return;
  text = g_strdup_printf ("%" G_GINT64_FORMAT, self->clock_offset);
  if (koers_sync_state_set (self->db, KOERS_SYNC_STATE_CLOCK_OFFSET, text, NULL))
    self->clock_offset_unsaved = FALSE;
}

/* @refresh: read the pending count and the sync state again. The run asks for it when the page
 * could have changed them; a page applied through another connection makes this one read the
 * schema again at its next statement (the first-sync pages change it), which cost more than
 * applying a tenth of the page. */
void
koers_sync_client_page_applied (KoersSyncClient *self, guint n_items, const char *server_time,
                                gboolean refresh)
{
  g_autoptr(GDateTime) server = server_time != NULL ? g_date_time_new_from_iso8601 (server_time,
                                                                                  NULL)
                                                    : NULL;

  if (server != NULL)
    {
      gint64 offset = g_date_time_to_unix (server) - g_get_real_time () / G_USEC_PER_SEC;
      gboolean skewed = ABS (offset) > KOERS_SYNC_CLOCK_SKEW_LIMIT;

      if (offset != self->clock_offset)
        {
          self->clock_offset = offset;
          self->clock_offset_unsaved = TRUE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_OFFSET]);
        }
      if (skewed != self->clock_skewed)
        {
          self->clock_skewed = skewed;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_SKEWED]);
        }
    }
  if (refresh)
    {
      save_clock_offset (self);
      refresh_from_db (self);
    }
  g_signal_emit (self, signals[SIGNAL_PAGE_APPLIED], 0, n_items);
}

void
koers_sync_client_run_done (KoersSyncClient *self, const KoersSyncRunStats *stats,
                            const GError *error, guint retry_after_s)
{
  (void) stats;
  self->running = FALSE;
  g_clear_object (&self->run_cancellable);
  save_clock_offset (self);
  if (error == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

      koers_sync_state_set (self->db, KOERS_SYNC_STATE_LAST_SYNC, stamp, NULL);
      self->failures = 0;
      clear_source (&self->retry_source);
      set_string (self, &self->last_error, NULL, PROP_LAST_ERROR);
      set_state (self, KOERS_SYNC_CLIENT_IDLE);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, KOERS_SYNC_CLIENT_IDLE);
  else
    {
      self->failures++;
      set_string (self, &self->last_error, error->message, PROP_LAST_ERROR);
      set_state (self, g_error_matches (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NETWORK)
                       ? KOERS_SYNC_CLIENT_OFFLINE : KOERS_SYNC_CLIENT_ERROR);
      /* Retries run on a timer, never only after the next local write. */
      if (self->started)
        schedule_retry (self, retry_after_s);
    }
  refresh_from_db (self);
}

void
koers_sync_client_sync_async (KoersSyncClient *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (KOERS_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, koers_sync_client_sync_async);
  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A sync is already running"));
      g_object_unref (task);
      return;
    }
  self->running = TRUE;
  self->run_cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  /* The run's own task carries a cancellable even when the caller gave none, so stop() can
   * end a run the triggers started. */
  g_object_unref (task);
  task = g_task_new (self, self->run_cancellable, callback, user_data);
  g_task_set_source_tag (task, koers_sync_client_sync_async);
  set_state (self, KOERS_SYNC_CLIENT_SYNCING);
  koers_sync_run_start (task);
}

gboolean
koers_sync_client_sync_finish (KoersSyncClient *self, GAsyncResult *result,
                               KoersSyncRunStats *out_stats, GError **error)
{
  g_autofree KoersSyncRunStats *stats = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  stats = g_task_propagate_pointer (G_TASK (result), error);
  if (out_stats != NULL)
    {
      if (stats != NULL)
        *out_stats = *stats;
      else
        memset (out_stats, 0, sizeof *out_stats);
    }
  return stats != NULL;
}

static void
internal_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KoersSyncClient *self = KOERS_SYNC_CLIENT (object);
  g_autoptr(GError) error = NULL;

  (void) user_data;
  koers_sync_client_sync_finish (self, result, NULL, &error);
  if (self->again && self->started)
    {
      self->again = FALSE;
      trigger_run (self);
    }
}

static void
trigger_run (KoersSyncClient *self)
{
  if (self->held)
    {
      self->held_wanted = TRUE;
      return;
    }
  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  clear_source (&self->retry_source);
  koers_sync_client_sync_async (self, NULL, internal_done_cb, NULL);
}

/* ---- triggers ------------------------------------------------------------------------------ */

static gboolean
debounce_cb (gpointer user_data)
{
  KoersSyncClient *self = user_data;

  g_clear_pointer (&self->debounce_source, g_source_unref);
  trigger_run (self);
  return G_SOURCE_REMOVE;
}

static gboolean
period_cb (gpointer user_data)
{
  trigger_run (KOERS_SYNC_CLIENT (user_data));
  return G_SOURCE_CONTINUE;
}

static void
network_changed_cb (GNetworkMonitor *monitor, gboolean available, gpointer user_data)
{
  KoersSyncClient *self = user_data;

  (void) monitor;
  if (!available)
    {
      if (!self->running)
        set_state (self, KOERS_SYNC_CLIENT_OFFLINE);
      return;
    }
  if (self->state == KOERS_SYNC_CLIENT_OFFLINE || self->state == KOERS_SYNC_CLIENT_ERROR)
    trigger_run (self);
}

void
koers_sync_client_start (KoersSyncClient *self)
{
  g_return_if_fail (KOERS_IS_SYNC_CLIENT (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->monitor_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (network_changed_cb), self);
  self->period_source = add_timeout (self, KOERS_SYNC_PERIOD_MS, period_cb);
  trigger_run (self);
}

void
koers_sync_client_stop (KoersSyncClient *self)
{
  g_return_if_fail (KOERS_IS_SYNC_CLIENT (self));

  self->started = FALSE;
  self->again = FALSE;
  clear_source (&self->debounce_source);
  clear_source (&self->retry_source);
  clear_source (&self->period_source);
  if (self->monitor != NULL)
    {
      g_clear_signal_handler (&self->monitor_handler, self->monitor);
      g_clear_object (&self->monitor);
    }
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
}

void
koers_sync_client_schedule_soon (KoersSyncClient *self)
{
  g_return_if_fail (KOERS_IS_SYNC_CLIENT (self));

  refresh_from_db (self);
  clear_source (&self->debounce_source);
  self->debounce_source = add_timeout (self, KOERS_SYNC_DEBOUNCE_MS, debounce_cb);
}

/**
 * koers_sync_client_set_held:
 * @held: %TRUE: no run starts (a run already going finishes); %FALSE: a run asked for in
 *   the meantime starts after the debounce
 *
 * For the window while it offers an undo that only works before the change is sent
 * (koers_sync_outbox_compact): every trigger waits, the timers, the network and "Sync now"
 * alike. koers_sync_client_sync_async() itself is not held, but no run, one already going
 * included, sends a change written while held: its push sends only what was numbered before
 * (koers-sync-run.c).
 */
void
koers_sync_client_set_held (KoersSyncClient *self, gboolean held)
{
  g_return_if_fail (KOERS_IS_SYNC_CLIENT (self));

  if (self->held == !!held)
    return;
  self->held = !!held;
  if (!self->held && self->held_wanted)
    {
      self->held_wanted = FALSE;
      koers_sync_client_schedule_soon (self);
    }
}

void
koers_sync_client_set_hold (KoersSyncClient *self, KoersSyncHold *hold)
{
  g_return_if_fail (KOERS_IS_SYNC_CLIENT (self));

  if (hold != NULL)
    koers_sync_hold_ref (hold);
  g_clear_pointer (&self->hold, koers_sync_hold_unref);
  self->hold = hold;
}

gboolean
koers_sync_client_get_held (KoersSyncClient *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_CLIENT (self), FALSE);

  return self->held || (self->hold != NULL && koers_sync_hold_is_taken (self->hold));
}

void
koers_sync_client_sync_now (KoersSyncClient *self)
{
  g_return_if_fail (KOERS_IS_SYNC_CLIENT (self));

  clear_source (&self->debounce_source);
  trigger_run (self);
}

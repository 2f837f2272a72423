/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-sync-window: does the window stay responsive while a first sync runs (issue 5)?
 *
 * Seeds a koers-server with N participants (as bench-sync does), starts it on loopback, opens
 * Koers' main window on an empty caseload with the app's own KoersSyncService, signs in and
 * lets the first sync run while the caseload glides down a quarter page every frame, as a
 * coach scrolling while the data arrives (before the list shows, the frames still run). Once
 * the sync says the data is complete, "settling" counts the frames until the caseload holds
 * every participant (and half a second more); then the floor runs in the same window:
 * the same glide over the same, now complete, caseload for as many frames, with no sync.
 * A frame's time is the main thread's work from the frame clock's before-paint to the end of
 * after-paint; the interval between frames shows a main thread blocked anywhere (Xvfb paces
 * frames at 60 Hz, 16.7 ms; a late frame is one more than 25 ms after the one before). A
 * second line per phase gives the main thread's own CPU time a frame: the work without the
 * moments other threads and processes had the core (the sync's threads, the bench's own
 * koers-server on the same two cores), so what the window itself did in the frame.
 *
 *   xvfb-run -a -s "-screen 0 1920x1080x24" dbus-run-session -- env GSK_RENDERER=cairo \
 *     bench-sync-window [--participants 100000] [--glide]
 *
 * BENCH_FRAME_LOG=MS in the environment prints every frame with at least MS of work: when it
 * came in its phase and how many rows the caseload held.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "app/koers-caseload-model.h"
#include "app/koers-context.h"
#include "app/koers-store.h"
#include "app/koers-sync-service.h"
#include "caseload/koers-caseload-page.h"
#include "core/koers-i18n.h"
#include "sync/koers-token-source.h"
#include "window/koers-window.h"

#include "bench-demo-db.h"
#include "bench-net.h"
#include "bench-sync.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#ifdef G_OS_UNIX
#include <time.h>
#endif

#define WIDTH 1280
#define HEIGHT 800
#define GLIDE_STEPS_PER_PAGE 4
#define LATE_MS 25.0

typedef struct {
  GtkWidget     *window;
  GtkWidget     *view;
  GtkAdjustment *adjustment;
  gint64         frame_start;
  gint64         frame_cpu_start;  /* the main thread's CPU time then, µs */
  gint64         last_start;
  GArray        *work;        /* double, ms */
  GArray        *cpu;         /* double, ms: of that, the main thread's own CPU time */
  GArray        *intervals;   /* double, ms */
  guint          frames_left; /* the floor stops after as many frames as the sync had */
  gboolean       counting;
  gboolean       glide;       /* scroll the list every frame (else the window stays still) */
  double         log_over;    /* BENCH_FRAME_LOG: print each frame with more work (ms), 0 none */
  gint64         phase_start;
  GListModel    *caseload;    /* what the list shows, for the log */
} Frames;

/* The main thread's CPU time in µs: a frame's wall time also counts the moments another
 * process or thread had the core (on two cores the bench's own koers-server and the sync's
 * threads take turns with the window), its CPU time only what the window itself did. 0 where
 * the clock is not there. */
static gint64
thread_cpu_us (void)
{
#ifdef G_OS_UNIX
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
    return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
#endif
  return 0;
}

static void
before_paint_cb (GdkFrameClock *clock, Frames *frames)
{
  gint64 now = g_get_monotonic_time ();

  if (frames->counting && frames->last_start != 0)
    {
      double interval = (now - frames->last_start) / 1000.0;

      g_array_append_val (frames->intervals, interval);
    }
  frames->last_start = now;
  frames->frame_start = now;
  frames->frame_cpu_start = thread_cpu_us ();
}

static void
after_paint_cb (GdkFrameClock *clock, Frames *frames)
{
  double ms, cpu;

  if (!frames->counting || frames->frame_start == 0)
    return;
  ms = (g_get_monotonic_time () - frames->frame_start) / 1000.0;
  cpu = (thread_cpu_us () - frames->frame_cpu_start) / 1000.0;
  g_array_append_val (frames->work, ms);
  g_array_append_val (frames->cpu, cpu);
  /* Which moment a long frame belongs to: when it came, and what the list held then. */
  if (frames->log_over > 0 && ms >= frames->log_over)
    g_print ("  frame at %7.1f ms: work %6.2f ms (cpu %6.2f), list %u items "
             "(monotonic %.6f s)\n", (frames->frame_start - frames->phase_start) / 1000.0, ms, cpu,
             g_list_model_get_n_items (frames->caseload), frames->frame_start / 1e6);
  if (frames->frames_left > 0)
    frames->frames_left--;
}

/* With --glide, one glide step a frame once the list shows (an empty caseload shows its empty
 * state). The
 * tick callback alone keeps the frame clock running, so there is a frame every refresh
 * whether or not the list moves; what changes in the window is drawn, as it would be. */
static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Frames *frames = data;

  if (frames->glide && gtk_widget_get_mapped (frames->view))
    {
      GtkAdjustment *adj = frames->adjustment;
      double page = gtk_adjustment_get_page_size (adj);
      double top = gtk_adjustment_get_upper (adj) - page;
      double value = gtk_adjustment_get_value (adj) + page / GLIDE_STEPS_PER_PAGE;

      gtk_adjustment_set_value (adj, value > top ? 0 : value);
    }
  return G_SOURCE_CONTINUE;
}

static guint
count_over (GArray *values, double limit)
{
  guint n = 0;

  for (guint i = 0; i < values->len; i++)
    n += g_array_index (values, double, i) > limit;
  return n;
}

static void
report (const char *name, Frames *frames, double seconds)
{
  guint late = 0;
  double longest = bench_percentile (frames->intervals, 1);

  for (guint i = 0; i < frames->intervals->len; i++)
    late += g_array_index (frames->intervals, double, i) > LATE_MS;
  g_print ("%-11s %6.1f s %5u frames: work p50 %5.2f p99 %6.2f max %6.2f ms | interval p50 "
           "%5.1f p99 %6.1f max %6.1f ms | %u late (> %.0f ms)\n",
           name, seconds, frames->work->len, bench_percentile (frames->work, 0.5),
           bench_percentile (frames->work, 0.99), bench_percentile (frames->work, 1),
           bench_percentile (frames->intervals, 0.5), bench_percentile (frames->intervals, 0.99),
           longest, late, LATE_MS);
  g_print ("%-11s main thread's own CPU a frame: p50 %5.2f p99 %6.2f max %6.2f ms, %u frames "
           "over 16 ms\n", "", bench_percentile (frames->cpu, 0.5),
           bench_percentile (frames->cpu, 0.99), bench_percentile (frames->cpu, 1),
           count_over (frames->cpu, 16.0));
  g_array_set_size (frames->work, 0);
  g_array_set_size (frames->cpu, 0);
  g_array_set_size (frames->intervals, 0);
}

static gboolean
sync_complete (KoersSyncService *service)
{
  const KoersSyncStatus *status = koers_sync_service_get_status (service);

  return status->initial_sync_complete && status->state == KOERS_SYNC_CLIENT_IDLE;
}

/* The window, the sign-in and the two phases. */
static gboolean
measure (Bench *b, const char *client_db, gboolean glide)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersStore) store = NULL;
  g_autoptr(KoersSyncService) service = NULL;
  g_autoptr(KoersContext) context = NULL;
  g_autoptr(KoersMemoryTokenSource) tokens = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *device = NULL;
  Frames frames = { .glide = glide };
  GdkFrameClock *clock;
  KoersWindow *window;
  KoersCaseloadModel *model;
  GtkWidget *page;
  gulong before_id, after_id;
  gint64 start;
  double sync_s;
  guint sync_frames;

  store = koers_store_new_unchecked (client_db, "benchmark", &error);
  if (store == NULL)
    return g_printerr ("bench-sync-window: %s\n", error->message), FALSE;
  service = koers_sync_service_new (store);
  context = koers_context_new_full (store, NULL, service);
  window = koers_window_new (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  page = koers_window_get_caseload_page (window);
  frames.window = GTK_WIDGET (window);
  frames.view = GTK_WIDGET (gtk_widget_get_template_child (page, KOERS_TYPE_CASELOAD_PAGE,
                                                           "column_view"));
  while (!gtk_widget_get_mapped (frames.window))
    g_main_context_iteration (NULL, TRUE);
  bench_spin_for (500);

  frames.adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (frames.view));
  frames.caseload = G_LIST_MODEL (koers_caseload_page_get_model (KOERS_CASELOAD_PAGE (page)));
  if (g_getenv ("BENCH_FRAME_LOG") != NULL)
    frames.log_over = g_ascii_strtod (g_getenv ("BENCH_FRAME_LOG"), NULL);
  frames.work = g_array_new (FALSE, FALSE, sizeof (double));
  frames.cpu = g_array_new (FALSE, FALSE, sizeof (double));
  frames.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  clock = gtk_widget_get_frame_clock (frames.window);
  before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &frames);
  after_id = g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb),
                                     &frames);
  gtk_widget_add_tick_callback (frames.window, tick_cb, &frames, NULL);

  device = koers_server_auth_issue_tokens (b->auth, b->coach_id, "bench-sync-window", &access,
                                           &refresh, &error);
  if (device == NULL)
    return g_printerr ("bench-sync-window: %s\n", error->message), FALSE;
  tokens = koers_memory_token_source_new (access, refresh);
  koers_sync_service_start (service);

  /* Phase 1: the first sync. */
  frames.counting = TRUE;
  start = frames.phase_start = g_get_monotonic_time ();
  koers_sync_service_sign_in_with_tokens (service, b->base, device, KOERS_TOKEN_SOURCE (tokens));
  while (!sync_complete (service))
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () - start > 900 * G_USEC_PER_SEC)
        return g_printerr ("bench-sync-window: the first sync took over 15 minutes\n"), FALSE;
    }
  sync_s = (g_get_monotonic_time () - start) / 1e6;
  sync_frames = frames.work->len;
  g_print ("first sync of %u participants: %.1f s, %" G_GUINT64_FORMAT " records\n",
           b->n_people, sync_s, koers_sync_service_get_status (service)->records_received);
  report ("first sync", &frames, sync_s);

  /* Settling: from "complete" until the caseload holds every participant, and half a second
   * more. The last refresh lands here, after the sync says complete: the window still owes
   * the coach that work. */
  model = koers_caseload_page_get_model (KOERS_CASELOAD_PAGE (page));
  frames.last_start = 0;
  start = frames.phase_start = g_get_monotonic_time ();
  while (koers_caseload_model_get_loading (model)
         || g_list_model_get_n_items (G_LIST_MODEL (model)) < b->n_people)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () - start > 60 * G_USEC_PER_SEC)
        return g_printerr ("bench-sync-window: the caseload did not fill in a minute\n"), FALSE;
    }
  g_print ("caseload complete %.0f ms after the sync\n", (g_get_monotonic_time () - start) / 1e3);
  bench_spin_for (500);
  report ("settling", &frames, (g_get_monotonic_time () - start) / 1e6);

  /* Then the floor: as many frames as the sync had, no sync. */
  frames.counting = FALSE;
  bench_spin_for (1500);
  frames.frames_left = MAX (sync_frames, 60);
  frames.last_start = 0;
  frames.counting = TRUE;
  start = frames.phase_start = g_get_monotonic_time ();
  while (frames.frames_left > 0)
    g_main_context_iteration (NULL, TRUE);
  report ("floor", &frames, (g_get_monotonic_time () - start) / 1e6);

  g_signal_handler_disconnect (clock, before_id);
  g_signal_handler_disconnect (clock, after_id);
  koers_sync_service_shutdown (service);
  gtk_window_destroy (GTK_WINDOW (window));
  bench_spin_for (200);
  g_array_unref (frames.work);
  g_array_unref (frames.cpu);
  g_array_unref (frames.intervals);
  return TRUE;
}

int
main (int argc, char *argv[])
{
  int participants = 100000;
  gboolean glide = FALSE;
  GOptionEntry entries[] = {
    { "participants", 0, 0, G_OPTION_ARG_INT, &participants,
      "Participants on the server (100000, a multiple of 100)", "N" },
    { "glide", 0, 0, G_OPTION_ARG_NONE, &glide,
      "Scroll the caseload a quarter page every frame in both phases", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- window during a first sync");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *client_db = NULL;
  Bench b = { 0 };
  gboolean ok = FALSE;

  koers_i18n_init ();
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    return g_printerr ("%s\n", error->message), 2;
  if (participants < SEED_ROWS || participants % SEED_ROWS != 0)
    return g_printerr ("--participants must be a multiple of %d\n", SEED_ROWS), 2;

  adw_init ();
  b.backend = "sqlite";
  b.n_people = (guint) participants;
  b.page_size = 500;
  b.tmp_dir = g_dir_make_tmp ("bench-sync-window-XXXXXX", &error);
  if (b.tmp_dir == NULL)
    goto out;
  b.location = g_build_filename (b.tmp_dir, "server.db", NULL);
  client_db = g_build_filename (b.tmp_dir, "client.db", NULL);
  if ((b.db = koers_server_db_open (b.location, &error)) == NULL)
    goto out;
  if (!add_coach (&b, &error))
    goto out;
  g_print ("seeding %u participants ...\n", b.n_people);
  if (!seed (&b, &error) || !start_server (&b, KOERS_SERVER_PATH, NULL, &server))
    goto out;
  ok = measure (&b, client_db, glide);

out:
  if (error != NULL)
    g_printerr ("bench-sync-window: %s\n", error->message);
  if (server != NULL)
    {
      g_subprocess_send_signal (server, SIGTERM);
      g_subprocess_wait (server, NULL, NULL);
    }
  g_clear_pointer (&b.people, g_ptr_array_unref);
  g_clear_pointer (&b.auth, koers_server_auth_free);
  g_clear_pointer (&b.db, koers_server_db_free);
  if (client_db != NULL)
    koers_paths_remove_database (client_db);
  if (b.location != NULL)
    koers_paths_remove_database (b.location);
  if (b.tmp_dir != NULL)
    g_rmdir (b.tmp_dir);
  g_free (b.tmp_dir);
  g_free (b.location);
  g_free (b.org);
  g_free (b.coach_id);
  g_free (b.base);
  return ok ? 0 : 1;
}

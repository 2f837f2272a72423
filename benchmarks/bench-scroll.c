/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-scroll: frame times while the caseload scrolls, Koers against a plain list, side by side.
 *
 * Opens Koers' main window on a populated database, waits until the whole list and the KPI
 * strip are loaded, then scrolls the caseload's column view from the frame clock: every frame
 * moves the vertical adjustment by a quarter page ("glide", --pages pages in all), then every
 * frame jumps to a random place ("jump", --jumps frames; what dragging the scrollbar does, each
 * frame showing rows never seen before, read from SQLite a 64-row page at a time). The floor is
 * the same two phases on a GtkListView of as many GtkLabels (a GtkStringList) in a window of
 * the same size, in the same process. A frame's time is the main thread's work from the frame
 * clock's before-paint to the end of after-paint (one frame = 16.7 ms at 60 Hz); the interval
 * between frames is reported too (Xvfb paces frames at 60 Hz, so a slow frame shows as a long
 * interval).
 *
 *   xvfb-run -a -s "-screen 0 1920x1080x24" dbus-run-session -- \
 *     bench-scroll (--database demo.db | --participants N [--notes M]) [--pages 100] [--jumps 100]
 */
#include "config.h"

#include <glib/gi18n.h>

#include "app/koers-caseload-model.h"
#include "app/koers-context.h"
#include "app/koers-store.h"
#include "caseload/koers-caseload-page.h"
#include "core/koers-i18n.h"
#include "window/koers-window.h"

#include "bench-demo-db.h"

#include <adwaita.h>

#define WIDTH 1280
#define HEIGHT 800
/* A glide moves a quarter page a frame: about 15 rows a second at 60 frames, a brisk scroll. */
#define GLIDE_STEPS_PER_PAGE 4

typedef struct {
  const char    *name;
  GtkAdjustment *adjustment;
  GRand         *rand;
  guint          glide_frames;   /* left to do */
  guint          jump_frames;
  gboolean       gliding;
  gint64         frame_start;
  gint64         last_start;
  GArray        *glide_work;     /* double, ms */
  GArray        *jump_work;
  GArray        *intervals;
  gboolean       done;
} Scroll;

/* before-paint is the first phase GTK 4.8 runs in every frame (flush-events only with events
 * pending). */
static void
before_paint_cb (GdkFrameClock *clock,
                 Scroll        *scroll)
{
  gint64 now = g_get_monotonic_time ();

  if (scroll->frame_start != 0 && scroll->last_start != 0)
    {
      double interval = (now - scroll->last_start) / 1000.0;

      g_array_append_val (scroll->intervals, interval);
    }
  scroll->last_start = now;
  scroll->frame_start = now;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Scroll        *scroll)
{
  double ms;

  if (scroll->frame_start == 0)
    return;
  ms = (g_get_monotonic_time () - scroll->frame_start) / 1000.0;
  g_array_append_val (scroll->gliding ? scroll->glide_work : scroll->jump_work, ms);
}

/* Runs in the frame clock's update phase: one step of the scroll per frame. */
static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Scroll *scroll = data;
  GtkAdjustment *adj = scroll->adjustment;
  double page = gtk_adjustment_get_page_size (adj);
  double top = gtk_adjustment_get_upper (adj) - page;

  if (scroll->glide_frames > 0)
    {
      double value = gtk_adjustment_get_value (adj) + page / GLIDE_STEPS_PER_PAGE;

      scroll->gliding = TRUE;
      scroll->glide_frames--;
      gtk_adjustment_set_value (adj, value > top ? 0 : value);
      return G_SOURCE_CONTINUE;
    }
  if (scroll->jump_frames > 0)
    {
      scroll->gliding = FALSE;
      scroll->jump_frames--;
      gtk_adjustment_set_value (adj, g_rand_double_range (scroll->rand, 0, MAX (top, 0)));
      return G_SOURCE_CONTINUE;
    }
  scroll->done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_until (gboolean (*ready) (gpointer), gpointer data, double seconds, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (!ready (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s did not happen within %.0f s", what, seconds);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
scroll_done (gpointer data)
{
  return ((Scroll *) data)->done;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
run_scroll (Scroll *scroll, GtkWidget *view, guint pages, guint jumps)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (view);
  gulong flush_id, paint_id;

  scroll->adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  scroll->rand = g_rand_new_with_seed (7);
  scroll->glide_frames = pages * GLIDE_STEPS_PER_PAGE;
  scroll->jump_frames = jumps;
  scroll->glide_work = g_array_new (FALSE, FALSE, sizeof (double));
  scroll->jump_work = g_array_new (FALSE, FALSE, sizeof (double));
  scroll->intervals = g_array_new (FALSE, FALSE, sizeof (double));

  flush_id = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), scroll);

  paint_id = g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb), scroll);
  gtk_widget_add_tick_callback (view, tick_cb, scroll, NULL);
  spin_until (scroll_done, scroll, 600, "the scroll");
  g_signal_handler_disconnect (clock, flush_id);
  g_signal_handler_disconnect (clock, paint_id);
}

static void
report (Scroll *scroll)
{
  guint over = 0;

  for (guint i = 0; i < scroll->intervals->len; i++)
    over += g_array_index (scroll->intervals, double, i) > 16.7 * 1.5;
  g_print ("%-6s glide %u frames: work p50 %.2f ms, p99 %.2f ms, max %.2f ms | "
           "jump %u frames: work p50 %.2f ms, p99 %.2f ms, max %.2f ms | "
           "interval p50 %.1f ms, p99 %.1f ms, %u of %u frames late (> 25 ms)\n",
           scroll->name,
           scroll->glide_work->len, bench_percentile (scroll->glide_work, 0.5),
           bench_percentile (scroll->glide_work, 0.99), bench_percentile (scroll->glide_work, 1),
           scroll->jump_work->len, bench_percentile (scroll->jump_work, 0.5),
           bench_percentile (scroll->jump_work, 0.99), bench_percentile (scroll->jump_work, 1),
           bench_percentile (scroll->intervals, 0.5), bench_percentile (scroll->intervals, 0.99),
           over, scroll->intervals->len);
}

static void
scroll_clear (Scroll *scroll)
{
  g_clear_pointer (&scroll->rand, g_rand_free);
  g_clear_pointer (&scroll->glide_work, g_array_unref);
  g_clear_pointer (&scroll->jump_work, g_array_unref);
  g_clear_pointer (&scroll->intervals, g_array_unref);
}

/* --- the floor: a plain GtkListView of labels ------------------------------------------ */

static void
setup_label (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
bind_label (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (string));
}

static void
scroll_floor (guint n_rows, guint pages, guint jumps)
{
  GtkStringList *strings = gtk_string_list_new (NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *window = adw_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view;
  Scroll scroll = { .name = "floor" };

  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *text = g_strdup_printf ("Participant %06u", i);

      gtk_string_list_append (strings, text);
    }
  g_signal_connect (factory, "setup", G_CALLBACK (setup_label), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label), NULL);
  view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (strings))),
                            factory);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  adw_window_set_content (ADW_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  spin_until (widget_mapped, view, 30, "the floor's window");
  bench_spin_for (500);

  run_scroll (&scroll, view, pages, jumps);
  report (&scroll);
  scroll_clear (&scroll);
  gtk_window_destroy (GTK_WINDOW (window));
  bench_spin_for (200);
}

/* --- Koers ------------------------------------------------------------------------------ */

static gboolean
model_settled (gpointer data)
{
  return !koers_caseload_model_get_loading (data);
}

static gboolean
kpi_ready (gpointer data)
{
  gboolean ready = FALSE;

  g_object_get (data, "ready", &ready, NULL);
  return ready;
}

static guint
scroll_koers (const char *database, guint pages, guint jumps)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersStore) store = NULL;
  g_autoptr(KoersContext) context = NULL;
  g_autoptr(GSettings) settings = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  KoersWindow *window;
  GtkWidget *page;
  GtkWidget *view;
  KoersCaseloadModel *model;
  Scroll scroll = { .name = "koers" };
  guint n;

  store = koers_store_new_unchecked (database, "benchmark", &error);
  if (store == NULL)
    g_error ("%s", error->message);
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL)
    {
      settings = g_settings_new (APPLICATION_ID);
      g_settings_set_int (settings, "window-width", WIDTH);
      g_settings_set_int (settings, "window-height", HEIGHT);
    }
  context = koers_context_new (store, settings);
  window = koers_window_new (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));

  page = koers_window_get_caseload_page (window);
  model = koers_caseload_page_get_model (KOERS_CASELOAD_PAGE (page));
  view = GTK_WIDGET (gtk_widget_get_template_child (page, KOERS_TYPE_CASELOAD_PAGE,
                                                    "column_view"));
  spin_until (widget_mapped, view, 30, "Koers' window");
  /* The whole list is read after the first frame, the KPIs after that: neither may compete
   * with the scroll. */
  spin_until (model_settled, model, 60, "the whole caseload list");
  spin_until (kpi_ready, gtk_widget_get_template_child (page, KOERS_TYPE_CASELOAD_PAGE,
                                                        "kpi_strip"),
              300, "the KPI strip");
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  bench_spin_for (500);

  run_scroll (&scroll, view, pages, jumps);
  report (&scroll);
  scroll_clear (&scroll);
  gtk_window_destroy (GTK_WINDOW (window));
  bench_spin_for (200);
  return n;
}

int
main (int argc, char *argv[])
{
  g_autofree char *database = NULL;
  g_autofree char *cache_dir = NULL;
  int participants = -1;
  int notes = -1;
  int seed = 1;
  int pages = 100;
  int jumps = 100;
  int rounds = 3;
  GOptionEntry entries[] = {
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, "Populated database", "FILE" },
    { "participants", 0, 0, G_OPTION_ARG_INT, &participants,
      "Instead of --database: a demo database of N participants (made once, cached)", "N" },
    { "notes", 0, 0, G_OPTION_ARG_INT, &notes, "Its notes in total (default 2-6 each)", "M" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Its seed (default 1)", "S" },
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir,
      "Where demo databases are kept (default ~/.cache/koers-bench)", "DIR" },
    { "pages", 0, 0, G_OPTION_ARG_INT, &pages, "Pages to glide through (default 100)", "N" },
    { "jumps", 0, 0, G_OPTION_ARG_INT, &jumps, "Frames that jump (default 100)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Alternating rounds of each (default 3)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- scrolling benchmark");
  g_autoptr(GError) error = NULL;

  koers_i18n_init ();
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if ((database == NULL) == (participants < 0) || seed < 0 || pages < 0 || jumps < 0
      || pages + jumps < 2 || rounds < 1)
    {
      g_printerr ("one of --database or --participants is required\n");
      return 2;
    }
  if (database == NULL)
    database = bench_demo_database (NULL, cache_dir, (guint) participants, notes, (guint) seed);

  adw_init ();
  for (int round = 0; round < rounds; round++)
    {
      guint n = scroll_koers (database, (guint) pages, (guint) jumps);

      scroll_floor (n, (guint) pages, (guint) jumps);
      if (round == 0)
        g_print ("(%u rows each; target: koers p99 frame <= 16 ms, one frame)\n", n);
    }
  return 0;
}

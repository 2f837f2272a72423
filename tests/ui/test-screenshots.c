/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Renders the main window on demo data (seed 1, 60 participants) at 1200x800 and saves
 * $KOERS_SCREENSHOT_DIR/caseload-<lang>.png. Run once per language: test-screenshots --lang nl.
 * The PNGs are for people to look at (README, metainfo, review of right-to-left Arabic); the
 * test asserts what it can: the caseload is populated and Arabic runs right-to-left.
 */
#include "config.h"

#include <adwaita.h>

#include "app/koers-context.h"
#include "caseload/koers-caseload-page.h"
#include "caseload/koers-kpi-strip.h"
#include "cli/koers-demo.h"
#include "core/koers-i18n.h"
#include "koers-test-helpers.h"
#include "koers-screenshot-helpers.h"
#include "koers-ui-test-helpers.h"
#include "window/koers-window.h"

static const char *language;

static gpointer
demo_job (KoersDatabase  *db,
          gpointer        data,
          GCancellable   *cancellable,
          GError        **error)
{
  KoersDemoOptions options;

  koers_demo_options_init (&options);
  options.n_participants = 60;
  options.seed = 1;
  if (!koers_demo_generate (db, &options, cancellable, NULL, NULL, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
test_screenshot_caseload (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(KoersContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  KoersWindow *window;
  KoersCaseloadPage *page;
  KoersCaseloadModel *model;

  koers_store_run_sync (store, demo_job, NULL, "participants", &error);
  g_assert_no_error (error);

  g_settings_set_int (settings, "window-width", 1200);
  g_settings_set_int (settings, "window-height", 800);
  g_settings_set_boolean (settings, "show-kpi-strip", TRUE);
  context = koers_context_new (store, settings);
  /* First the strip while its count runs (held in the store), then with the numbers. */
  koers_store_hold_aggregates_for_testing (store, TRUE);
  window = koers_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));

  page = KOERS_CASELOAD_PAGE (koers_window_get_caseload_page (window));
  model = koers_caseload_page_get_model (page);
  g_assert_true (koers_test_wait_for_boolean (model, "loading", FALSE, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 60);
  koers_test_spin (700);
  g_assert_false (koers_kpi_strip_get_ready (KOERS_KPI_STRIP (gtk_widget_get_template_child (
    GTK_WIDGET (page), KOERS_TYPE_CASELOAD_PAGE, "kpi_strip"))));
  name = g_strdup_printf ("caseload-kpi-pending-%s", language);
  path = koers_test_save_screenshot (GTK_WIDGET (window), name);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&path, g_free);
  koers_store_hold_aggregates_for_testing (store, FALSE);

  g_assert_true (koers_test_wait_for_boolean (
    gtk_widget_get_template_child (GTK_WIDGET (page), KOERS_TYPE_CASELOAD_PAGE, "kpi_strip"),
    "ready", TRUE, 10000));

  if (g_str_equal (language, "ar"))
    g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (window)), ==, GTK_TEXT_DIR_RTL);
  else
    g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (window)), ==, GTK_TEXT_DIR_LTR);

  /* Let the list lay out and draw its rows. */
  koers_test_spin (700);

name = g_strdup_printf ("caseload-%s", language);
  path = koers_test_save_screenshot (GTK_WIDGET (window), name);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The five filters sit on one line, each as wide as its text, not all as wide as the widest
 * (which put the Arabic project-line filter alone on a second line at 1100 px). */
static GtkWidget *
find_filter_box (GtkWidget *root)
{
  if (GTK_IS_FLOW_BOX (root) && gtk_widget_has_css_class (root, "caseload-filters"))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_filter_box (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
assert_filters_on_one_line (GtkWidget *page)
{
  GtkWidget *box = find_filter_box (page);
  guint n = 0;
  double first_y = -1;

  g_assert_nonnull (box);
  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      double x, y;

      if (!gtk_widget_get_visible (child))
        continue;
      g_assert_true (gtk_widget_translate_coordinates (child, box, 0, 0, &x, &y));
      if (n++ == 0)
        first_y = y;
      g_assert_cmpfloat (y, ==, first_y);
    }
  g_assert_cmpuint (n, ==, 5);
}

/* The caseload shrinks with the window: at 1100 px the sidebar still stands beside it, in
 * every language (the Arabic and Dutch words are longer than the English). */
static void
test_not_folded (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(KoersContext) context = NULL;
  g_autoptr(GError) error = NULL;
  KoersWindow *window;
  KoersCaseloadPage *page;
  GtkWidget *leaflet;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  int minimum;

  koers_store_run_sync (store, demo_job, NULL, "participants", &error);
  g_assert_no_error (error);
  g_settings_set_int (settings, "window-width", 1100);
  g_settings_set_int (settings, "window-height", 720);
  g_settings_set_boolean (settings, "window-maximized", FALSE);
  g_settings_set_boolean (settings, "show-kpi-strip", TRUE);
  context = koers_context_new (store, settings);
  window = koers_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));

  page = KOERS_CASELOAD_PAGE (koers_window_get_caseload_page (window));
  g_assert_true (koers_test_wait_for_boolean (koers_caseload_page_get_model (page), "loading",
                                              FALSE, 10000));
  g_assert_true (koers_test_wait_for_boolean (
    gtk_widget_get_template_child (GTK_WIDGET (page), KOERS_TYPE_CASELOAD_PAGE, "kpi_strip"),
    "ready", TRUE, 10000));
  koers_test_spin (300);

  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  g_test_message ("caseload page minimum width in %s: %d px", language, minimum);
  /* 1100 wide less what the frame takes. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >=, 1080);
  leaflet = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), KOERS_TYPE_WINDOW,
                                                       "leaflet"));
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (leaflet)));
  assert_filters_on_one_line (GTK_WIDGET (page));

  /* For people to check that it still reads well that narrow. */
  name = g_strdup_printf ("caseload-1100-%s", language);
  path = koers_test_save_screenshot (GTK_WIDGET (window), name);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  language = koers_test_language_from_args (&argc, &argv);
  koers_test_init_like_app (&argc, &argv);

  g_test_add_func ("/screenshots/caseload", test_screenshot_caseload);
  g_test_add_func ("/screenshots/not-folded-at-1100", test_not_folded);
  return g_test_run ();
}

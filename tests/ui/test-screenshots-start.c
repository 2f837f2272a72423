/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Renders what a coach sees around the caseload (the first start's welcome window and the
 * preferences) and saves $KOERS_SCREENSHOT_DIR/welcome-<lang>.png and preferences-<lang>.png.
 * Run once per language, as test-screenshots is: test-screenshots-start --lang ar. The PNGs are
 * for people to review (cut-off text, untranslated strings, right-to-left Arabic); the test
 * asserts what it can: the windows draw at their size and Arabic runs right-to-left.
 */
#include "config.h"

#include <adwaita.h>

#include "core/koers-i18n.h"
#include "koers-ui-test-helpers.h"
#include "window/koers-preferences-window.h"
#include "window/koers-welcome-window.h"

static char *language = NULL;

/* As in test-screenshots.c: the window through its own renderer, at its own size. */
static void
save_png (GtkWidget  *widget,
          const char *what)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = g_strdup (g_getenv ("KOERS_SCREENSHOT_DIR"));
  g_autofree char *name = g_strdup_printf ("%s-%s.png", what, language);
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (widget));

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  if (dir == NULL)
    dir = g_get_current_dir ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

static void
assert_direction (GtkWidget *widget)
{
  GtkTextDirection expected = g_str_equal (language, "ar") ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR;

  g_assert_cmpint (gtk_widget_get_direction (widget), ==, expected);
}

static void
test_screenshot_welcome (void)
{
  KoersWelcomeWindow *welcome = koers_welcome_window_new (NULL);

  gtk_window_present (GTK_WINDOW (welcome));
  koers_test_spin (500);
  assert_direction (GTK_WIDGET (welcome));
  save_png (GTK_WIDGET (welcome), "welcome");

  /* The demo data's progress, as a first start shows it. */
  koers_welcome_window_set_progress (welcome, 120, 200);
  koers_test_spin (500);
  save_png (GTK_WIDGET (welcome), "welcome-progress");
  gtk_window_destroy (GTK_WINDOW (welcome));
}

static void
test_screenshot_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkWindow *preferences = koers_preferences_window_new (NULL, settings);

  gtk_window_present (preferences);
  koers_test_spin (500);
  assert_direction (GTK_WIDGET (preferences));
  save_png (GTK_WIDGET (preferences), "preferences");
  gtk_window_destroy (preferences);
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &language, "en, nl or ar", "LANG" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(GtkCssProvider) css = NULL;

  g_option_context_set_ignore_unknown_options (options, TRUE);
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, NULL);
  g_option_context_parse (options, &argc, &argv, NULL);
  if (language == NULL)
    language = g_strdup ("en");

  /* As a user with that language would start Koers: the language before gettext and GTK. */
  g_setenv ("LANGUAGE", language, TRUE);
  g_setenv ("KOERS_TODAY", "2026-11-28", TRUE);
  koers_i18n_init ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* What KoersApplication's startup does. */
  if (koers_locale_style_current () == KOERS_LOCALE_STYLE_AR)
    gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  else
    gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
  /* What AdwApplication would load for the real windows. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/nl/achterhoek/Koers/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add_func ("/screenshots/welcome", test_screenshot_welcome);
  g_test_add_func ("/screenshots/preferences", test_screenshot_preferences);
  return g_test_run ();
}

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
#include "koers-screenshot-helpers.h"
#include "koers-ui-test-helpers.h"
#include "window/koers-preferences-window.h"
#include "window/koers-welcome-window.h"

static const char *language;

/* Saves $KOERS_SCREENSHOT_DIR/<what>-<language>.png. */
static void
save_png (GtkWidget  *widget,
          const char *what)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", what, language);
  g_autofree char *path = koers_test_save_screenshot (widget, name);
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
  language = koers_test_language_from_args (&argc, &argv);
  koers_test_init_like_app (&argc, &argv);

  g_test_add_func ("/screenshots/welcome", test_screenshot_welcome);
  g_test_add_func ("/screenshots/preferences", test_screenshot_preferences);
  return g_test_run ();
}

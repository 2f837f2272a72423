/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "koers-screenshot-helpers.h"

#include "core/koers-i18n.h"

static char *language;

const char *
koers_test_language_from_args (int    *argc,
                               char ***argv)
{
  const GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &language, "en, nl or ar", "LANG" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);

  /* The rest of the arguments belong to GTest. */
  g_option_context_set_ignore_unknown_options (options, TRUE);
  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, NULL);
  g_option_context_parse (options, argc, argv, NULL);
  if (language == NULL)
    language = g_strdup ("en");

  g_setenv ("LANGUAGE", language, TRUE);
  return language;
}

void
koers_test_init_like_app (int    *argc,
                          char ***argv)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  g_setenv ("KOERS_TODAY", "2026-11-28", TRUE);
  koers_i18n_init ();
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  if (koers_locale_style_current () == KOERS_LOCALE_STYLE_AR)
    gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  else
    gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
  /* What AdwApplication loads for the real windows. */
  gtk_css_provider_load_from_resource (css, "/nl/achterhoek/Koers/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Until a frame is painted after everything queued so far (at most 10 s): a widget waiting
 * for its size gives an empty picture, which happened once on a loaded machine after the
 * export dialog switched to its progress. */
static void
wait_for_painted_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean painted = FALSE;
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  while (!painted && g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_signal_handler_disconnect (clock, handler);
  g_assert_true (painted);
}

char *
koers_test_save_screenshot (GtkWidget  *widget,
                            const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = g_strdup (g_getenv ("KOERS_SCREENSHOT_DIR"));
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path;
  int width, height;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  wait_for_painted_frame (widget);
  paintable = gtk_widget_paintable_new (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  if (dir == NULL)
    dir = g_get_current_dir ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, file, NULL);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

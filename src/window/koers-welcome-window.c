/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "window/koers-welcome-window.h"

struct _KoersWelcomeWindow
{
  AdwApplicationWindow  parent_instance;

  GtkStack             *stack;
  GtkProgressBar       *progress_bar;
};

G_DEFINE_FINAL_TYPE (KoersWelcomeWindow, koers_welcome_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  START,
  CANCEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_actions (KoersWelcomeWindow *self)
{
  gboolean busy = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "progress") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.start-demo", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.start-empty", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.cancel", busy);
}

static void
start_demo_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KoersWelcomeWindow *self = KOERS_WELCOME_WINDOW (widget);

  koers_welcome_window_set_progress (self, 0, 0);
  g_signal_emit (self, signals[START], 0, TRUE);
}

static void
start_empty_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_signal_emit (widget, signals[START], 0, FALSE);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[CANCEL], 0);
}

static void
koers_welcome_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KOERS_TYPE_WELCOME_WINDOW);

  G_OBJECT_CLASS (koers_welcome_window_parent_class)->dispose (object);
}

static void
koers_welcome_window_class_init (KoersWelcomeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_welcome_window_dispose;

  signals[START] =
    g_signal_new ("start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[CANCEL] =
    g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/nl/achterhoek/Koers/window/koers-welcome-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersWelcomeWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, KoersWelcomeWindow, progress_bar);

  gtk_widget_class_install_action (widget_class, "welcome.start-demo", NULL, start_demo_action);
  gtk_widget_class_install_action (widget_class, "welcome.start-empty", NULL,
                                   start_empty_action);
  gtk_widget_class_install_action (widget_class, "welcome.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "welcome.cancel", NULL);
}

static void
koers_welcome_window_init (KoersWelcomeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

KoersWelcomeWindow *
koers_welcome_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (KOERS_TYPE_WELCOME_WINDOW, "application", application, NULL);
}

void
koers_welcome_window_set_progress (KoersWelcomeWindow *self,
                                   guint               done,
                                   guint               total)
{
  g_autofree char *text = NULL;

  g_return_if_fail (KOERS_IS_WELCOME_WINDOW (self));

  gtk_stack_set_visible_child_name (self->stack, "progress");
  if (total == 0)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
    }
  else
    {
      gtk_progress_bar_set_fraction (self->progress_bar, (double) MIN (done, total) / total);
      /* Translators: demo data progress, "120 of 200 participants" */
      text = g_strdup_printf (_("%u of %u participants"), done, total);
      gtk_progress_bar_set_text (self->progress_bar, text);
    }
  update_actions (self);
}

void
koers_welcome_window_show_choice (KoersWelcomeWindow *self)
{
  g_return_if_fail (KOERS_IS_WELCOME_WINDOW (self));

  gtk_stack_set_visible_child_name (self->stack, "choose");
  update_actions (self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "window/koers-preferences-window.h"

struct _KoersPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkSwitch            *kpi_switch;
  GtkSwitch            *backup_switch;
  AdwEntryRow          *purpose_row;
};

G_DEFINE_FINAL_TYPE (KoersPreferencesWindow, koers_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
koers_preferences_window_constructed (GObject *object)
{
  KoersPreferencesWindow *self = KOERS_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (koers_preferences_window_parent_class)->constructed (object);

  g_assert (self->settings != NULL);
  g_settings_bind (self->settings, "show-kpi-strip", self->kpi_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "daily-backup", self->backup_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "audit-purpose", self->purpose_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
koers_preferences_window_dispose (GObject *object)
{
  KoersPreferencesWindow *self = KOERS_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (koers_preferences_window_parent_class)->dispose (object);
}

static void
koers_preferences_window_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  KoersPreferencesWindow *self = KOERS_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_preferences_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  KoersPreferencesWindow *self = KOERS_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_preferences_window_class_init (KoersPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = koers_preferences_window_constructed;
  object_class->dispose = koers_preferences_window_dispose;
  object_class->get_property = koers_preferences_window_get_property;
  object_class->set_property = koers_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/nl/achterhoek/Koers/window/koers-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, kpi_switch);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, backup_switch);
  gtk_widget_class_bind_template_child (widget_class, KoersPreferencesWindow, purpose_row);
}

static void
koers_preferences_window_init (KoersPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWindow *
koers_preferences_window_new (GtkWindow *parent,
                              GSettings *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (KOERS_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
}

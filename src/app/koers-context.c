/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "app/koers-context.h"

struct _KoersContext
{
  GObject     parent_instance;

  KoersStore       *store;
  GSettings        *settings;
  KoersSyncService *sync_service;
};

G_DEFINE_FINAL_TYPE (KoersContext, koers_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_SYNC_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
koers_context_dispose (GObject *object)
{
  KoersContext *self = KOERS_CONTEXT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->sync_service);

  G_OBJECT_CLASS (koers_context_parent_class)->dispose (object);
}

static void
koers_context_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KoersContext *self = KOERS_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_SYNC_SERVICE:
      g_value_set_object (value, self->sync_service);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_context_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KoersContext *self = KOERS_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_SYNC_SERVICE:
      self->sync_service = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_context_class_init (KoersContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = koers_context_dispose;
  object_class->get_property = koers_context_get_property;
  object_class->set_property = koers_context_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KOERS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC_SERVICE] =
    g_param_spec_object ("sync-service", NULL, NULL, KOERS_TYPE_SYNC_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
koers_context_init (KoersContext *self)
{
}

KoersContext *
koers_context_new (KoersStore *store,
                   GSettings  *settings)
{
  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (KOERS_TYPE_CONTEXT,
                       "store", store,
                       "settings", settings,
                       NULL);
}

KoersContext *
koers_context_new_full (KoersStore       *store,
                        GSettings        *settings,
                        KoersSyncService *sync_service)
{
  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (sync_service == NULL || KOERS_IS_SYNC_SERVICE (sync_service), NULL);

  return g_object_new (KOERS_TYPE_CONTEXT,
                       "store", store,
                       "settings", settings,
                       "sync-service", sync_service,
                       NULL);
}

KoersStore *
koers_context_get_store (KoersContext *self)
{
  g_return_val_if_fail (KOERS_IS_CONTEXT (self), NULL);

  return self->store;
}

GSettings *
koers_context_get_settings (KoersContext *self)
{
  g_return_val_if_fail (KOERS_IS_CONTEXT (self), NULL);

  return self->settings;
}

KoersSyncService *
koers_context_get_sync_service (KoersContext *self)
{
  g_return_val_if_fail (KOERS_IS_CONTEXT (self), NULL);

  return self->sync_service;
}

const char *
koers_context_get_actor (KoersContext *self)
{
  g_return_val_if_fail (KOERS_IS_CONTEXT (self), NULL);

  return koers_store_get_actor (self->store);
}

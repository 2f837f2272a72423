/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "caseload/koers-column-sorter.h"

struct _KoersColumnSorter
{
  GtkSorter               parent_instance;

  KoersCaseloadSort       key;
  KoersColumnSorterProbe *probe;
};

G_DEFINE_FINAL_TYPE (KoersColumnSorter, koers_column_sorter, GTK_TYPE_SORTER)

enum {
  PROP_0,
  PROP_SORT_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkOrdering
koers_column_sorter_compare (GtkSorter *sorter,
                             gpointer   item1,
                             gpointer   item2)
{
  KoersColumnSorter *self = KOERS_COLUMN_SORTER (sorter);

  if (self->probe == NULL)
    return GTK_ORDERING_EQUAL;

  if (self->probe->key < 0)
    self->probe->key = self->key;
  return GTK_ORDERING_SMALLER;
}

static GtkSorterOrder
koers_column_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
koers_column_sorter_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KoersColumnSorter *self = KOERS_COLUMN_SORTER (object);

  switch (prop_id)
    {
    case PROP_SORT_KEY:
      g_value_set_int (value, self->key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_column_sorter_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  KoersColumnSorter *self = KOERS_COLUMN_SORTER (object);

  switch (prop_id)
    {
    case PROP_SORT_KEY:
      koers_column_sorter_set_key (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_column_sorter_class_init (KoersColumnSorterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  object_class->get_property = koers_column_sorter_get_property;
  object_class->set_property = koers_column_sorter_set_property;
  sorter_class->compare = koers_column_sorter_compare;
  sorter_class->get_order = koers_column_sorter_get_order;

  /* An int, not an enum: core has no GTypes, and .ui files name the key by number. */
  properties[PROP_SORT_KEY] =
    g_param_spec_int ("sort-key", NULL, NULL,
                      KOERS_CASELOAD_SORT_NAME, KOERS_CASELOAD_SORT_NEXT_ACTION,
                      KOERS_CASELOAD_SORT_NAME,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
koers_column_sorter_init (KoersColumnSorter *self)
{
}

KoersColumnSorter *
koers_column_sorter_new (KoersCaseloadSort key)
{
  return g_object_new (KOERS_TYPE_COLUMN_SORTER, "sort-key", (int) key, NULL);
}

KoersCaseloadSort
koers_column_sorter_get_key (KoersColumnSorter *self)
{
  g_return_val_if_fail (KOERS_IS_COLUMN_SORTER (self), KOERS_CASELOAD_SORT_NAME);

  return self->key;
}

void
koers_column_sorter_set_key (KoersColumnSorter *self,
                             KoersCaseloadSort  key)
{
  g_return_if_fail (KOERS_IS_COLUMN_SORTER (self));

  if (self->key == key)
    return;

  self->key = key;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_KEY]);
}

void
koers_column_sorter_set_probe (KoersColumnSorter      *self,
                               KoersColumnSorterProbe *probe)
{
  g_return_if_fail (KOERS_IS_COLUMN_SORTER (self));

  self->probe = probe;
}

gboolean
koers_column_sorter_probe_view (GtkSorter              *view_sorter,
                                KoersColumnSorterProbe *probe,
                                KoersCaseloadSort      *out_key,
                                gboolean               *out_descending)
{
  g_autoptr(GObject) other = NULL;
  GtkOrdering ordering;

  g_return_val_if_fail (GTK_IS_SORTER (view_sorter), FALSE);
  g_return_val_if_fail (probe != NULL, FALSE);

  /* Any two distinct objects do (gtk_sorter_compare() calls an item equal to itself without
   * asking the sorter): the column sorters never look at them. */
  other = g_object_new (G_TYPE_OBJECT, NULL);
  probe->key = -1;
  ordering = gtk_sorter_compare (view_sorter, view_sorter, other);
  if (probe->key < 0)
    return FALSE;

  *out_key = probe->key;
  *out_descending = ordering == GTK_ORDERING_LARGER;
  probe->key = -1;
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the caseload remembers between starts (GSettings, window state only): the column it is
 * sorted by, the direction, and the widths of the columns the coach resized. A coach who works
 * through the list by next action every morning should not have to sort it again each day.
 */
#include "config.h"

#include "caseload/koers-caseload-page-private.h"

/* A remembered width outside these is ignored: a hand-edited or damaged setting must not
 * make a column vanish or push the others out of the window. */
#define MIN_REMEMBERED_WIDTH 40
#define MAX_REMEMBERED_WIDTH 2000
/* Resizing by dragging sets the width many times a second; it is saved once it settles. */
#define SAVE_WIDTHS_DELAY_MS 500

/* The settings' names of the columns, by KoersCaseloadSort (each column's sorter knows its
 * key); the same nicks as the "caseload-sort" enum. */
static const char * const column_names[] = {
  [KOERS_CASELOAD_SORT_NAME] = "name",
  [KOERS_CASELOAD_SORT_MUNICIPALITY] = "municipality",
  [KOERS_CASELOAD_SORT_TARGET_GROUP] = "target-group",
  [KOERS_CASELOAD_SORT_STATUS] = "status",
  [KOERS_CASELOAD_SORT_COACH] = "coach",
  [KOERS_CASELOAD_SORT_NEXT_ACTION] = "next-action",
};

static gboolean
column_key (GtkColumnViewColumn *column,
            KoersCaseloadSort   *out_key)
{
  GtkSorter *sorter = gtk_column_view_column_get_sorter (column);

  if (!KOERS_IS_COLUMN_SORTER (sorter))
    return FALSE;
  *out_key = koers_column_sorter_get_key (KOERS_COLUMN_SORTER (sorter));
  return *out_key < G_N_ELEMENTS (column_names);
}

void
koers_caseload_page_get_remembered_sort (KoersCaseloadPage *self,
                                         KoersCaseloadSort *out_key,
                                         gboolean          *out_descending)
{
  GSettings *settings = koers_context_get_settings (self->context);
  int key;

  *out_key = KOERS_CASELOAD_SORT_NAME;
  *out_descending = FALSE;
  if (settings == NULL)
    return;
  key = g_settings_get_enum (settings, "caseload-sort");
  if (key < 0 || key > KOERS_CASELOAD_SORT_NEXT_ACTION)
    return;
  *out_key = (KoersCaseloadSort) key;
  *out_descending = g_settings_get_boolean (settings, "caseload-sort-descending");
}

void
koers_caseload_page_remember_sort (KoersCaseloadPage *self,
                                   KoersCaseloadSort  key,
                                   gboolean           descending)
{
  GSettings *settings = koers_context_get_settings (self->context);

  if (settings == NULL)
    return;
  g_settings_set_enum (settings, "caseload-sort", (int) key);
  g_settings_set_boolean (settings, "caseload-sort-descending", descending);
}

/* Only widths that differ from the page's own (the .ui's) are kept, so a column nobody
 * touched follows what a newer Koers sets. */
static void
save_widths (KoersCaseloadPage *self)
{
  GSettings *settings = koers_context_get_settings (self->context);
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{si}"));

  g_clear_handle_id (&self->save_widths_source, g_source_remove);
  if (settings == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      KoersCaseloadSort key;
      int width = gtk_column_view_column_get_fixed_width (column);

      if (column_key (column, &key) && width != self->default_widths[key]
          && width >= MIN_REMEMBERED_WIDTH && width <= MAX_REMEMBERED_WIDTH)
        g_variant_builder_add (&builder, "{si}", column_names[key], width);
    }
  g_settings_set_value (settings, "caseload-column-widths", g_variant_builder_end (&builder));
}

static gboolean
save_widths_cb (gpointer data)
{
  KoersCaseloadPage *self = data;

  self->save_widths_source = 0;
  save_widths (self);
  return G_SOURCE_REMOVE;
}

static void
column_width_changed_cb (KoersCaseloadPage *self)
{
  g_clear_handle_id (&self->save_widths_source, g_source_remove);
  self->save_widths_source = g_timeout_add (SAVE_WIDTHS_DELAY_MS, save_widths_cb, self);
}

/* A resize still waiting to be saved is saved when the page goes off screen: closing the
 * window right after dragging a column must not lose it. */
static void
page_unmap_cb (KoersCaseloadPage *self)
{
  if (self->save_widths_source != 0)
    save_widths (self);
}

void
koers_caseload_page_setup_state (KoersCaseloadPage *self)
{
  GSettings *settings = koers_context_get_settings (self->context);
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  g_autoptr(GVariant) widths = NULL;
  /* The model was made in the remembered order (koers_caseload_page_get_remembered_sort());
   * the view's header shows the order the model has. */
  const KoersCaseloadQuery *query = koers_caseload_model_get_query (self->model);

  if (settings != NULL)
    widths = g_settings_get_value (settings, "caseload-column-widths");
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      KoersCaseloadSort key;
      int width;

      if (!column_key (column, &key))
        continue;
      if (key == query->sort)
        gtk_column_view_sort_by_column (self->column_view, column,
                                        query->descending ? GTK_SORT_DESCENDING
                                                          : GTK_SORT_ASCENDING);
      self->default_widths[key] = gtk_column_view_column_get_fixed_width (column);
      if (widths != NULL && g_variant_lookup (widths, column_names[key], "i", &width)
          && width >= MIN_REMEMBERED_WIDTH && width <= MAX_REMEMBERED_WIDTH)
        gtk_column_view_column_set_fixed_width (column, width);
      g_signal_connect_object (column, "notify::fixed-width",
                               G_CALLBACK (column_width_changed_cb), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect (self, "unmap", G_CALLBACK (page_unmap_cb), NULL);
}

/* Likewise for a page destroyed without being shown. */
void
koers_caseload_page_dispose_state (KoersCaseloadPage *self)
{
  if (self->save_widths_source != 0 && self->column_view != NULL)
    save_widths (self);
  g_clear_handle_id (&self->save_widths_source, g_source_remove);
}

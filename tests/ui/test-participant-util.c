/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "test-participant-util.h"

#include "koers-screenshot-helpers.h"

#include "core/koers-i18n.h"
#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"

#include <string.h>

void
ptest_init (int    *argc,
            char ***argv)
{
  koers_test_init_like_app (argc, argv);
}

KoersContext *
ptest_make_context (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  return koers_context_new (store, settings);
}

typedef gboolean (*Match) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find (GtkWidget     *root,
      Match          match,
      gconstpointer  data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
match_title (GtkWidget     *widget,
             gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
match_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, *(const GType *) data);
}

static gboolean
match_label (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
match_action (GtkWidget     *widget,
              gconstpointer  data)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

GtkWidget *
ptest_find_row (GtkWidget  *root,
                const char *title)
{
  return find (root, match_title, title);
}

GtkWidget *
ptest_find_type (GtkWidget *root,
                 GType      type)
{
  return find (root, match_type, &type);
}

GtkWidget *
ptest_find_label (GtkWidget  *root,
                  const char *text)
{
  return find (root, match_label, text);
}

GtkWidget *
ptest_find_action (GtkWidget  *root,
                   const char *action_name)
{
  return find (root, match_action, action_name);
}

GtkWidget *
ptest_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }
  return NULL;
}

static gboolean
toplevel_open (gpointer data)
{
  return ptest_find_toplevel (*(GType *) data) != NULL;
}

GtkWidget *
ptest_wait_toplevel (GType type)
{
  koers_test_wait_until (toplevel_open, &type, 5000);
  return ptest_find_toplevel (type);
}

const char *
ptest_row_message (GtkWidget *row)
{
  GtkWidget *next = gtk_widget_get_next_sibling (row);
  GtkWidget *label;

  /* The form puts a message line (an untitled row holding one label) right below the row. */
  if (next == NULL || !gtk_widget_get_visible (next) || !ADW_IS_PREFERENCES_ROW (next))
    return NULL;
  label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (next));
  if (!GTK_IS_LABEL (label) || !gtk_widget_has_css_class (label, "error"))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}

void
ptest_set_text (GtkWidget  *root,
                const char *title,
                const char *text)
{
  GtkWidget *row = ptest_find_row (root, title);

  g_assert_nonnull (row);
  g_assert_true (GTK_IS_EDITABLE (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

gpointer
ptest_run (KoersContext *context,
           gpointer    (*func) (KoersDatabase *db, gpointer data, GCancellable *c,
                                GError **error),
           gpointer      data)
{
  g_autoptr(GError) error = NULL;
  gpointer result;

  result = koers_store_run_sync (koers_context_get_store (context), func, data, NULL, &error);
  g_assert_no_error (error);
  return result;
}

void
ptest_screenshot (GtkWidget  *widget,
                  const char *name)
{
  g_autofree char *path = koers_test_save_screenshot (widget, name);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "app/koers-context.h"
#include "caseload/koers-caseload-page.h"
#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"
#include "participant/koers-note-dialog.h"
#include "participant/koers-participant-editor.h"
#include "participant/koers-participant-page.h"
#include "window/koers-preferences-window.h"
#include "window/koers-welcome-window.h"
#include "window/koers-window.h"

typedef struct
{
  KoersStore   *store;
  GSettings    *settings;
  KoersContext *context;
  KoersWindow  *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = koers_test_make_store ();
  f->settings = g_settings_new (APPLICATION_ID);
  g_settings_reset (f->settings, "window-width");
  g_settings_reset (f->settings, "window-height");
  g_settings_reset (f->settings, "window-maximized");
  f->context = koers_context_new (f->store, f->settings);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->context);
  g_clear_object (&f->settings);
  g_clear_object (&f->store);
}

static gpointer
child (Fixture    *f,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (f->window), KOERS_TYPE_WINDOW,
                                                   name);

  g_assert_nonnull (object);
  return object;
}

static void
show_window (Fixture *f)
{
  f->window = koers_window_new (NULL, f->context);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (koers_test_wait_for_boolean (
    koers_caseload_page_get_model (KOERS_CASELOAD_PAGE (koers_window_get_caseload_page (
      f->window))), "loading", FALSE, 5000));
}

static gboolean
class_has_action (GType       type,
                  const char *name)
{
  GtkWidgetClass *klass = g_type_class_peek (type);
  const char *action_name;
  const GVariantType *parameter_type;
  const char *property_name;
  GType owner;

  /* GTK 4.8 writes every out argument. */
  for (guint i = 0; gtk_widget_class_query_action (klass, i, &owner, &action_name,
                                                   &parameter_type, &property_name);
       i++)
    {
      if (g_str_equal (action_name, name))
        return TRUE;
    }
  return FALSE;
}

static void
test_window_create_destroy (Fixture       *f,
                            gconstpointer  data)
{
  show_window (f);
  g_assert_true (koers_window_get_context (f->window) == f->context);
  g_assert_true (KOERS_IS_CASELOAD_PAGE (koers_window_get_caseload_page (f->window)));

  for (guint i = 0; i < 3; i++)
    {
      GtkWidget *other = GTK_WIDGET (koers_window_new (NULL, f->context));

      gtk_window_present (GTK_WINDOW (other));
      koers_test_spin (50);
      gtk_window_destroy (GTK_WINDOW (other));
    }
}

/* The Conflicts area is not there for a caseload that never synced; a field's conflict badge
 * (win.show-conflicts) brings it up, in the sidebar and as the page shown. */
static void
test_window_conflicts_area (Fixture       *f,
                            gconstpointer  data)
{
  GtkStack *stack;

  show_window (f);
  g_assert_true (class_has_action (KOERS_TYPE_WINDOW, "win.show-conflicts"));
  g_assert_false (gtk_widget_get_visible (child (f, "conflicts_row")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-conflicts", "s",
                                             ""));
  stack = child (f, "content_stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "conflicts");
  g_assert_cmpstr (adw_window_title_get_title (child (f, "content_title")), ==, "Conflicts");
  g_assert_true (gtk_widget_get_visible (child (f, "conflicts_row")));
  g_assert_true (gtk_list_box_get_selected_row (child (f, "sidebar_list"))
                 == child (f, "conflicts_row"));
  /* Nothing open: no number beside it. */
  koers_test_spin (200);
  g_assert_false (gtk_widget_get_visible (child (f, "conflicts_badge")));

  /* Back to the caseload through the sidebar's first row. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "caseload");
  g_assert_true (gtk_list_box_get_selected_row (child (f, "sidebar_list"))
                 == child (f, "participants_row"));
}

static void
test_window_actions (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *focus;
  GtkWidget *search_entry;

  show_window (f);
  g_assert_true (class_has_action (KOERS_TYPE_WINDOW, "win.new-participant"));
  g_assert_true (class_has_action (KOERS_TYPE_WINDOW, "win.search"));
  g_assert_true (class_has_action (KOERS_TYPE_WINDOW, "win.back"));
  g_assert_true (class_has_action (KOERS_TYPE_WINDOW, "win.undo-delete"));

  /* An actionable follows its action's enabled state. */
  g_assert_true (gtk_widget_get_sensitive (child (f, "new_button")));
  g_assert_false (gtk_widget_get_sensitive (child (f, "back_button")));
  g_assert_false (gtk_widget_get_visible (child (f, "back_button")));

  /* Ctrl+F's action puts the cursor in the search entry. */
  search_entry = GTK_WIDGET (gtk_widget_get_template_child (
    koers_window_get_caseload_page (f->window), KOERS_TYPE_CASELOAD_PAGE, "search_entry"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (focus == search_entry || gtk_widget_is_ancestor (focus, search_entry));
}

static void
test_window_size_restored (Fixture       *f,
                           gconstpointer  data)
{
  int width = 0;
  int height = 0;

  g_settings_set_int (f->settings, "window-width", 917);
  g_settings_set_int (f->settings, "window-height", 643);
  show_window (f);
  gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
  g_assert_cmpint (width, ==, 917);
  g_assert_cmpint (height, ==, 643);

  /* Closing saves the size the window has then (GTK 4.8 cannot resize a shown window from
   * code, so the settings are changed behind its back instead). */
  koers_test_spin (100);
  g_settings_set_int (f->settings, "window-width", 1001);
  g_settings_set_int (f->settings, "window-height", 702);
  g_settings_set_boolean (f->settings, "window-maximized", TRUE);
  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;
  g_assert_cmpint (g_settings_get_int (f->settings, "window-width"), ==, 917);
  g_assert_cmpint (g_settings_get_int (f->settings, "window-height"), ==, 643);
  g_assert_false (g_settings_get_boolean (f->settings, "window-maximized"));
}

static gboolean
page_count_is_one (gpointer data)
{
  KoersCaseloadModel *model = data;

  return !koers_caseload_model_get_loading (model) &&
         g_list_model_get_n_items (G_LIST_MODEL (model)) == 1;
}

static gboolean
page_count_is_zero (gpointer data)
{
  KoersCaseloadModel *model = data;

  return !koers_caseload_model_get_loading (model) &&
         g_list_model_get_n_items (G_LIST_MODEL (model)) == 0;
}

static void
test_window_participant_and_undo (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *id = NULL;
  GtkStack *stack;
  KoersCaseloadModel *model;
  GtkWidget *page;

  id = koers_test_add_participant (f->store, "Amal Haddad", KOERS_MUNICIPALITY_BERKELLAND,
                                   KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_ACTIVE);
  show_window (f);
  stack = child (f, "content_stack");
  model = koers_caseload_page_get_model (KOERS_CASELOAD_PAGE (
    koers_window_get_caseload_page (f->window)));
  g_assert_true (koers_test_wait_until (page_count_is_one, model, 5000));

  /* Opening a file pushes its page; back returns to the caseload. */
  koers_window_open_participant (f->window, id);
  page = gtk_stack_get_visible_child (stack);
  g_assert_true (page != koers_window_get_caseload_page (f->window));
  g_assert_true (gtk_widget_get_visible (child (f, "back_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL));
  g_assert_true (gtk_stack_get_visible_child (stack) == koers_window_get_caseload_page (f->window));
  g_assert_false (gtk_widget_get_visible (child (f, "back_button")));

  /* The page deletes (tombstones) and says so; the window offers undo, which restores. */
  koers_window_open_participant (f->window, id);
  page = gtk_stack_get_visible_child (stack);
  koers_test_delete_participant (f->store, id);
  g_signal_emit_by_name (page, "deleted", id, "Amal Haddad");
  g_assert_true (gtk_stack_get_visible_child (stack) == koers_window_get_caseload_page (f->window));
  g_assert_true (koers_test_wait_until (page_count_is_zero, model, 5000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-delete", "s", id));
  g_assert_true (koers_test_wait_until (page_count_is_one, model, 5000));
}

static void
test_preferences_window (Fixture       *f,
                         gconstpointer  data)
{
  GtkWindow *prefs;
  GtkSwitch *kpi_switch;

  g_settings_set_boolean (f->settings, "show-kpi-strip", TRUE);
  prefs = koers_preferences_window_new (NULL, f->settings);
  gtk_window_present (prefs);
  kpi_switch = GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (prefs),
                                                          KOERS_TYPE_PREFERENCES_WINDOW,
                                                          "kpi_switch"));
  g_assert_true (gtk_switch_get_active (kpi_switch));
  gtk_switch_set_active (kpi_switch, FALSE);
  g_assert_false (g_settings_get_boolean (f->settings, "show-kpi-strip"));
  g_settings_reset (f->settings, "show-kpi-strip");
  g_assert_true (gtk_switch_get_active (kpi_switch));
  gtk_window_destroy (prefs);
}

typedef struct
{
  guint    n_starts;
  gboolean with_demo;
  guint    n_cancels;
} WelcomeRecord;

static void
welcome_start_cb (KoersWelcomeWindow *welcome,
                  gboolean            with_demo,
                  WelcomeRecord      *record)
{
  record->n_starts++;
  record->with_demo = with_demo;
}

static void
welcome_cancel_cb (KoersWelcomeWindow *welcome,
                   WelcomeRecord      *record)
{
  record->n_cancels++;
}

static void
test_welcome_window (Fixture       *f,
                     gconstpointer  data)
{
  KoersWelcomeWindow *welcome = koers_welcome_window_new (NULL);
  WelcomeRecord record = { 0 };
  GtkStack *stack;
  GtkProgressBar *bar;

  stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (welcome),
                                                    KOERS_TYPE_WELCOME_WINDOW, "stack"));
  bar = GTK_PROGRESS_BAR (gtk_widget_get_template_child (GTK_WIDGET (welcome),
                                                         KOERS_TYPE_WELCOME_WINDOW,
                                                         "progress_bar"));
  g_signal_connect (welcome, "start", G_CALLBACK (welcome_start_cb), &record);
  g_signal_connect (welcome, "cancel", G_CALLBACK (welcome_cancel_cb), &record);
  gtk_window_present (GTK_WINDOW (welcome));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "choose");

  gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.start-empty", NULL);
  g_assert_cmpuint (record.n_starts, ==, 1);
  g_assert_false (record.with_demo);

  /* Demo data shows its progress with a way out. */
  gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.start-demo", NULL);
  g_assert_cmpuint (record.n_starts, ==, 2);
  g_assert_true (record.with_demo);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "progress");
  koers_welcome_window_set_progress (welcome, 50, 200);
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (bar), 0.25, 1e-9);
  g_assert_cmpstr (gtk_progress_bar_get_text (bar), ==, "50 of 200 participants");
  gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.cancel", NULL);
  g_assert_cmpuint (record.n_cancels, ==, 1);

  koers_welcome_window_show_choice (welcome);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "choose");
  gtk_window_destroy (GTK_WINDOW (welcome));
}

/* A window too narrow for sidebar and caseload side by side shows the caseload, not a sidebar
 * with nothing else in it. */
static void
test_window_narrow_shows_caseload (Fixture       *f,
                                   gconstpointer  data)
{
  AdwLeaflet *leaflet;

  g_settings_set_int (f->settings, "window-width", 600);
  show_window (f);
  leaflet = child (f, "leaflet");
  g_assert_true (koers_test_wait_for_boolean (leaflet, "folded", TRUE, 5000));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
}

/* Every control of the window, on the caseload and on an open file, has a name a screen reader
 * can say: a tooltip is not one in GTK 4.8. */
static void
test_window_accessible_names (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *id = NULL;
  GtkWidget *page;

  id = koers_test_add_participant (f->store, "Amal Haddad", KOERS_MUNICIPALITY_BERKELLAND,
                                   KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_ACTIVE);
  show_window (f);
  koers_test_assert_accessible_names (GTK_WIDGET (f->window));

  koers_window_open_participant (f->window, id);
  page = gtk_stack_get_visible_child (GTK_STACK (child (f, "content_stack")));
  g_assert_true (koers_test_wait_for_boolean (page, "loaded", TRUE, 5000));
  koers_test_assert_accessible_names (GTK_WIDGET (f->window));
}

/* "<ctrl>e" as a key and modifiers, so "<Control>e" and "<ctrl>E" compare equal. The keypad's
 * Enter is bound beside Return and listed as Return. */
static char *
key_name (guint           keyval,
          GdkModifierType mods)
{
  keyval = gdk_keyval_to_lower (keyval);
  if (keyval == GDK_KEY_KP_Enter)
    keyval = GDK_KEY_Return;
  return gtk_accelerator_name (keyval, mods);
}

static void
collect_listed (GtkWidget  *widget,
                GHashTable *listed)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accelerator = NULL;
      guint keyval;
      GdkModifierType mods;

      g_object_get (widget, "accelerator", &accelerator, NULL);
      g_assert_true (gtk_accelerator_parse (accelerator, &keyval, &mods));
      g_hash_table_add (listed, key_name (keyval, mods));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_listed (c, listed);
}

/* The keys @widget's class binds to its own actions (not GTK's built-in ones). */
static void
assert_bindings_listed (GtkWidget  *widget,
                        GHashTable *listed,
                        guint      *n_checked)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          g_autofree char *name = NULL;
          const char *action_name;

          if (!GTK_IS_NAMED_ACTION (action) || !GTK_IS_KEYVAL_TRIGGER (trigger))
            continue;
          action_name = gtk_named_action_get_action_name (GTK_NAMED_ACTION (action));
          if (!g_str_has_prefix (action_name, "win.") && !g_str_has_prefix (action_name, "window.")
              && !g_str_has_prefix (action_name, "participant.")
              && !g_str_has_prefix (action_name, "editor.")
              && !g_str_has_prefix (action_name, "form."))
            continue;
          name = key_name (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
                           gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)));
          if (!g_hash_table_contains (listed, name))
            g_error ("%s binds %s to %s, but the Keyboard Shortcuts window does not list it",
                     G_OBJECT_TYPE_NAME (widget), name, action_name);
          (*n_checked)++;
        }
    }
}

/* The Keyboard Shortcuts window lists every key the window, a participant's file and the forms
 * bind. */
static void
test_shortcuts_window_complete (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkWindow *shortcuts;
  GtkWidget *page;
  GtkWindow *editor;
  GtkWindow *dialog;
  guint n_checked = 0;

  builder = gtk_builder_new_from_resource ("/nl/achterhoek/Koers/window/koers-shortcuts-window.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  collect_listed (GTK_WIDGET (shortcuts), listed);
  g_assert_true (g_hash_table_contains (listed, "<Control>e"));

  show_window (f);
  page = GTK_WIDGET (g_object_ref_sink (koers_participant_page_new (f->context, "no-such-id")));
  editor = koers_participant_editor_new (NULL, f->context, NULL);
  dialog = koers_note_dialog_new (NULL, f->context, "no-such-id", NULL);
  assert_bindings_listed (GTK_WIDGET (f->window), listed, &n_checked);
  assert_bindings_listed (page, listed, &n_checked);
  assert_bindings_listed (GTK_WIDGET (editor), listed, &n_checked);
  assert_bindings_listed (GTK_WIDGET (dialog), listed, &n_checked);
  /* Ctrl+N, Ctrl+F, Alt+Left, Ctrl+W; Ctrl+E; Ctrl+Return, Ctrl+KP_Enter, Escape twice. */
  g_assert_cmpuint (n_checked, >=, 11);

  gtk_window_destroy (dialog);
  gtk_window_destroy (editor);
  gtk_window_destroy (shortcuts);
  g_object_unref (page);
  /* The page's read of the unknown file ends before the store goes. */
  koers_test_spin (200);
}

/* The primary menu is made when it first opens, not for the first frame; it opens with its
 * entries (import, export, preferences, shortcuts, about) all the same. */
static void
test_window_primary_menu (Fixture       *f,
                          gconstpointer  data)
{
  GtkMenuButton *button;
  GMenuModel *menu;
  guint n_items = 0;

  show_window (f);
  button = GTK_MENU_BUTTON (child (f, "primary_menu_button"));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  g_assert_null (gtk_menu_button_get_popover (button));

  gtk_menu_button_popup (button);
  g_assert_true (GTK_IS_POPOVER_MENU (gtk_menu_button_get_popover (button)));
  menu = gtk_menu_button_get_menu_model (button);
  g_assert_nonnull (menu);
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      n_items += g_menu_model_get_n_items (section);
    }
  g_assert_cmpuint (n_items, ==, 5);
  gtk_menu_button_popdown (button);
  koers_test_spin (50);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("KOERS_TODAY", "2026-11-28", TRUE);
  /* The test accessibility backend, so the accessible-names test can read labels back. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/window/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("create-destroy", test_window_create_destroy);
  ADD ("actions", test_window_actions);
  ADD ("conflicts-area", test_window_conflicts_area);
  ADD ("size-restored", test_window_size_restored);
  ADD ("participant-and-undo", test_window_participant_and_undo);
  ADD ("preferences", test_preferences_window);
  ADD ("welcome", test_welcome_window);
  ADD ("narrow-shows-caseload", test_window_narrow_shows_caseload);
  ADD ("accessible-names", test_window_accessible_names);
  ADD ("shortcuts-window-complete", test_shortcuts_window_complete);
  ADD ("primary-menu", test_window_primary_menu);
#undef ADD

  return g_test_run ();
}

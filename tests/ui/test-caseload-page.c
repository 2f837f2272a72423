/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "app/koers-context.h"
#include "caseload/koers-caseload-page.h"
#include "caseload/koers-kpi-strip.h"
#include "storage/koers-participant-repository.h"
#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"

typedef struct
{
  KoersStore        *store;
  KoersContext      *context;
  GSettings         *settings;
  GtkWindow         *window;
  KoersCaseloadPage *page;
} Fixture;

static gpointer
child (Fixture    *f,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                   KOERS_TYPE_CASELOAD_PAGE, name);

  g_assert_nonnull (object);
  return object;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = koers_test_make_store ();
  f->settings = g_settings_new (APPLICATION_ID);
  /* The memory backend keeps what an earlier test in this process left. */
  g_settings_reset (f->settings, "show-kpi-strip");
  g_settings_reset (f->settings, "caseload-sort");
  g_settings_reset (f->settings, "caseload-sort-descending");
  g_settings_reset (f->settings, "caseload-column-widths");
}

static void
fixture_show (Fixture *f)
{
  f->context = koers_context_new (f->store, f->settings);
  f->page = KOERS_CASELOAD_PAGE (koers_caseload_page_new (f->context));
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1100, 700);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  g_assert_true (koers_test_wait_for_boolean (koers_caseload_page_get_model (f->page), "loading",
                                              FALSE, 5000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  g_clear_object (&f->context);
  g_clear_object (&f->settings);
  g_clear_object (&f->store);
}

typedef struct
{
  Fixture    *f;
  const char *text;
} LabelWait;

static gboolean
count_is (gpointer data)
{
  LabelWait *wait = data;
  KoersCaseloadModel *model = koers_caseload_page_get_model (wait->f->page);

  return !koers_caseload_model_get_loading (model) &&
         g_strcmp0 (gtk_label_get_text (child (wait->f, "count_label")), wait->text) == 0;
}

static void
assert_count (Fixture    *f,
              const char *text)
{
  LabelWait wait = { f, text };

  if (!koers_test_wait_until (count_is, &wait, 5000))
    g_error ("count label says “%s”, expected “%s”",
             gtk_label_get_text (child (f, "count_label")), text);
}

/* The caseload list the page shows. */
static GListModel *
rows (Fixture *f)
{
  return G_LIST_MODEL (koers_caseload_page_get_model (f->page));
}

static void
type_search (Fixture    *f,
             const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (f, "search_entry")), text);
}

static void
add_caseload (Fixture *f)
{
  g_free (koers_test_add_participant (f->store, "Yusuf Özdemir", KOERS_MUNICIPALITY_DOETINCHEM,
                                      KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_ACTIVE));
  g_free (koers_test_add_participant (f->store, "محمد العلي", KOERS_MUNICIPALITY_AALTEN,
                                      KOERS_TARGET_GROUP_ASYLUM_SEEKER, KOERS_STATUS_INTAKE));
  g_free (koers_test_add_participant (f->store, "Anna de Vries", KOERS_MUNICIPALITY_WINTERSWIJK,
                                      KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED));
  g_free (koers_test_add_participant (f->store, "Piotr Kowalski", KOERS_MUNICIPALITY_MONTFERLAND,
                                      KOERS_TARGET_GROUP_LABOUR_MIGRANT, KOERS_STATUS_ACTIVE));
}

static void
test_page_create_destroy (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GtkWidget) page = NULL;

  f->context = koers_context_new (f->store, f->settings);
  page = g_object_ref_sink (koers_caseload_page_new (f->context));
  g_assert_true (KOERS_IS_CASELOAD_PAGE (page));
  g_assert_true (koers_caseload_page_get_context (KOERS_CASELOAD_PAGE (page)) == f->context);
}

static void
test_page_search (Fixture       *f,
                  gconstpointer  data)
{
  add_caseload (f);
  fixture_show (f);
  assert_count (f, "4 participants");
  koers_test_assert_first_row (rows (f), "Anna de Vries");

  /* Partial and without the accent. */
  type_search (f, "ozdem");
  assert_count (f, "1 participant");
  koers_test_assert_first_row (rows (f), "Yusuf Özdemir");

  /* Arabic script, without the vowel marks a coach would not type. */
  type_search (f, "محمد");
  assert_count (f, "1 participant");
  koers_test_assert_first_row (rows (f), "محمد العلي");

  /* Nothing matches: the empty state says so and offers to clear. */
  type_search (f, "zzzz");
  assert_count (f, "0 participants");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (f, "content_stack")), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (child (f, "empty_status")), ==, "No Matches");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "caseload.clear-filters", NULL);
  assert_count (f, "4 participants");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (f, "content_stack")), ==, "list");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, "search_entry"))), ==, "");
}

static void
test_page_filters (Fixture       *f,
                   gconstpointer  data)
{
  add_caseload (f);
  fixture_show (f);
  assert_count (f, "4 participants");

  /* "All ..." comes first, then the vocabulary in its order. */
  gtk_drop_down_set_selected (child (f, "status_dropdown"), KOERS_STATUS_ACTIVE + 1);
  assert_count (f, "2 participants");
  koers_test_assert_first_row (rows (f), "Piotr Kowalski");

  gtk_drop_down_set_selected (child (f, "municipality_dropdown"),
                              KOERS_MUNICIPALITY_DOETINCHEM + 1);
  assert_count (f, "1 participant");
  koers_test_assert_first_row (rows (f), "Yusuf Özdemir");

  gtk_drop_down_set_selected (child (f, "target_group_dropdown"),
                              KOERS_TARGET_GROUP_NUG + 1);
  assert_count (f, "0 participants");

  gtk_widget_activate_action (GTK_WIDGET (f->page), "caseload.clear-filters", NULL);
  assert_count (f, "4 participants");
  g_assert_cmpuint (gtk_drop_down_get_selected (child (f, "status_dropdown")), ==, 0);
}

/* The coach sorted by municipality, high to low, yesterday: today's first list comes in that
 * order, and the header shows it (the page reads its order back from the header). */
static void
test_page_remembers_sort (Fixture       *f,
                          gconstpointer  data)
{
  GtkColumnView *view;
  g_autoptr(GtkColumnViewColumn) status = NULL;
  g_autofree char *remembered = NULL;
  const KoersCaseloadQuery *query;

  add_caseload (f);
  g_settings_set_string (f->settings, "caseload-sort", "municipality");
  g_settings_set_boolean (f->settings, "caseload-sort-descending", TRUE);
  fixture_show (f);
  assert_count (f, "4 participants");
  query = koers_caseload_model_get_query (koers_caseload_page_get_model (f->page));
  g_assert_cmpint (query->sort, ==, KOERS_CASELOAD_SORT_MUNICIPALITY);
  g_assert_true (query->descending);
  koers_test_assert_first_row (rows (f), "Anna de Vries");  /* Winterswijk */

  view = child (f, "column_view");
  gtk_sorter_changed (gtk_column_view_get_sorter (view), GTK_SORTER_CHANGE_DIFFERENT);
  g_assert_cmpint (query->sort, ==, KOERS_CASELOAD_SORT_MUNICIPALITY);
  g_assert_true (query->descending);

  /* Sorting by another column is remembered for the next start. */
  status = g_list_model_get_item (gtk_column_view_get_columns (view), 3);
  gtk_column_view_sort_by_column (view, status, GTK_SORT_ASCENDING);
  g_assert_cmpint (query->sort, ==, KOERS_CASELOAD_SORT_STATUS);
  remembered = g_settings_get_string (f->settings, "caseload-sort");
  g_assert_cmpstr (remembered, ==, "status");
  g_assert_false (g_settings_get_boolean (f->settings, "caseload-sort-descending"));
  assert_count (f, "4 participants");
}

static int
column_width (Fixture *f,
              guint    position)
{
  g_autoptr(GtkColumnViewColumn) column =
    g_list_model_get_item (gtk_column_view_get_columns (child (f, "column_view")), position);

  return gtk_column_view_column_get_fixed_width (column);
}

/* Widths the coach dragged come back at the next start; a damaged setting changes nothing. */
static void
test_page_remembers_column_widths (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GVariant) saved = NULL;
  g_autoptr(GtkColumnViewColumn) coach = NULL;
  int width;

  g_settings_set_value (f->settings, "caseload-column-widths",
                        g_variant_new_parsed ("{'municipality': 230, 'status': 5, "
                                              "'coach': 99999, 'no-such-column': 300}"));
  fixture_show (f);
  g_assert_cmpint (column_width (f, 1), ==, 230);   /* municipality */
  g_assert_cmpint (column_width (f, 3), ==, 120);   /* status: the page's own width */
  g_assert_cmpint (column_width (f, 4), ==, 150);   /* coach: likewise */

  /* A drag sets the width many times; it is saved once it settles, and closing the window
   * at once saves it too. */
  coach = g_list_model_get_item (gtk_column_view_get_columns (child (f, "column_view")), 4);
  gtk_column_view_column_set_fixed_width (coach, 180);
  gtk_column_view_column_set_fixed_width (coach, 210);
  gtk_window_destroy (f->window);
  f->window = NULL;
  saved = g_settings_get_value (f->settings, "caseload-column-widths");
  g_assert_true (g_variant_lookup (saved, "coach", "i", &width));
  g_assert_cmpint (width, ==, 210);
  g_assert_true (g_variant_lookup (saved, "municipality", "i", &width));
  g_assert_cmpint (width, ==, 230);
  /* Columns at the page's own width, and what was damaged, are not kept. */
  g_assert_cmpuint (g_variant_n_children (saved), ==, 2);

  g_clear_object (&f->context);
  fixture_show (f);
  g_assert_cmpint (column_width (f, 4), ==, 210);
  g_assert_cmpint (column_width (f, 1), ==, 230);
}

static void
test_page_sort (Fixture       *f,
                gconstpointer  data)
{
  GtkColumnView *view;
  GListModel *columns;
  g_autoptr(GtkColumnViewColumn) municipality = NULL;
  const KoersCaseloadQuery *query;

  add_caseload (f);
  fixture_show (f);
  assert_count (f, "4 participants");
  view = child (f, "column_view");
  columns = gtk_column_view_get_columns (view);
  municipality = g_list_model_get_item (columns, 1);
  query = koers_caseload_model_get_query (koers_caseload_page_get_model (f->page));

  gtk_column_view_sort_by_column (view, municipality, GTK_SORT_ASCENDING);
  g_assert_cmpint (query->sort, ==, KOERS_CASELOAD_SORT_MUNICIPALITY);
  g_assert_false (query->descending);
  assert_count (f, "4 participants");
  koers_test_assert_first_row (rows (f), "محمد العلي");  /* Aalten */

  gtk_column_view_sort_by_column (view, municipality, GTK_SORT_DESCENDING);
  g_assert_cmpint (query->sort, ==, KOERS_CASELOAD_SORT_MUNICIPALITY);
  g_assert_true (query->descending);
  assert_count (f, "4 participants");
  koers_test_assert_first_row (rows (f), "Anna de Vries");  /* Winterswijk */

  /* No sorted column: back to names. */
  gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);
  g_assert_cmpint (query->sort, ==, KOERS_CASELOAD_SORT_NAME);
  assert_count (f, "4 participants");
  koers_test_assert_first_row (rows (f), "Anna de Vries");
}

static void
test_page_empty_caseload (Fixture       *f,
                          gconstpointer  data)
{
  fixture_show (f);
  assert_count (f, "0 participants");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (f, "content_stack")), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (child (f, "empty_status")), ==,
                   "No Participants Yet");
  g_assert_cmpstr (gtk_actionable_get_action_name (child (f, "empty_button")), ==,
                   "win.new-participant");

  /* The first participant replaces the empty state. */
  g_free (koers_test_add_participant (f->store, "Anna de Vries", KOERS_MUNICIPALITY_AALTEN,
                                      KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED));
  assert_count (f, "1 participant");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (f, "content_stack")), ==, "list");
}

typedef struct
{
  GtkLabel   *label;
  const char *text;
} TextWait;

static gboolean
label_is (gpointer data)
{
  TextWait *wait = data;

  return g_strcmp0 (gtk_label_get_text (wait->label), wait->text) == 0;
}

static void
assert_kpi (Fixture    *f,
            const char *value_name,
            const char *text)
{
  KoersKpiStrip *strip = child (f, "kpi_strip");
  TextWait wait = {
    GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (strip), KOERS_TYPE_KPI_STRIP,
                                              value_name)),
    text
  };

  if (!koers_test_wait_until (label_is, &wait, 5000))
    g_error ("%s says “%s”, expected “%s”", value_name, gtk_label_get_text (wait.label),
             text);
}

static void
test_page_kpi_strip (Fixture       *f,
                     gconstpointer  data)
{
  KoersKpiStrip *strip;

  fixture_show (f);
  strip = child (f, "kpi_strip");
  g_assert_true (koers_test_wait_for_boolean (strip, "ready", TRUE, 5000));
  assert_kpi (f, "migrants_value", "0 / 75");
  assert_kpi (f, "flow_on_value", "– / 60%");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (strip)));
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (gtk_widget_get_template_child (
    GTK_WIDGET (strip), KOERS_TYPE_KPI_STRIP, "migrants_card"))));

  /* Guidance starts when a participant becomes active (today, 2026-11-28: in the window). */
  add_caseload (f);
  /* The active statusholder and the active labour migrant; the asylum seeker in intake and
   * the registered NUG have not started guidance. */
  assert_kpi (f, "migrants_value", "2 / 75");
  assert_kpi (f, "distance_value", "0 / 75");
  assert_kpi (f, "reskilling_value", "0 / 50");
  assert_kpi (f, "proeverijen_value", "0 / 50");

  /* The preference hides the strip. */
  g_settings_set_boolean (f->settings, "show-kpi-strip", FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (strip)));
  g_settings_set_boolean (f->settings, "show-kpi-strip", TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (strip)));
}

static const char *
strip_text (GtkWidget  *strip,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (strip,
                                                                       KOERS_TYPE_KPI_STRIP,
                                                                       name)));
}

/* The strip on its own: it computes once from the store, then shows what it is given. */
static void
test_kpi_strip_create_destroy (Fixture       *f,
                               gconstpointer  data)
{
  GtkWidget *strip;
  gpointer watch;
  KoersKpiResult result = { 0 };

  f->context = koers_context_new (f->store, f->settings);
  strip = koers_kpi_strip_new (f->context);
  watch = strip;
  g_object_add_weak_pointer (G_OBJECT (strip), &watch);
  g_assert_true (koers_kpi_strip_get_context (KOERS_KPI_STRIP (strip)) == f->context);
  /* Nothing counted yet: no number. */
  g_assert_cmpstr (strip_text (strip, "migrants_value"), ==, "…");
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (f->window, strip);
  gtk_window_present (f->window);
  g_assert_true (koers_test_wait_for_boolean (strip, "ready", TRUE, 5000));
  g_assert_cmpstr (strip_text (strip, "migrants_value"), ==, "0 / 75");

  result.guided[KOERS_PLAN_GROUP_MIGRANTS] = 12;
  result.guided[KOERS_PLAN_GROUP_RESKILLING] = 80;
  result.ended = 10;
  result.flowed_on = 6;
  result.proeverijen = 3;
  koers_kpi_strip_set_result (KOERS_KPI_STRIP (strip), &result);
  g_assert_cmpstr (strip_text (strip, "migrants_value"), ==, "12 / 75");
  /* Past the target the count still shows as it is. */
  g_assert_cmpstr (strip_text (strip, "reskilling_value"), ==, "80 / 50");
  g_assert_cmpstr (strip_text (strip, "flow_on_value"), ==, "60% / 60%");
  g_assert_cmpstr (strip_text (strip, "proeverijen_value"), ==, "3 / 50");

  gtk_window_destroy (f->window);
  f->window = NULL;
  koers_test_spin (10);
  g_assert_null (watch);
}

static gboolean
card_says (GtkWidget  *strip,
           const char *card,
           const char *description)
{
  GtkWidget *widget = GTK_WIDGET (gtk_widget_get_template_child (strip, KOERS_TYPE_KPI_STRIP,
                                                                 card));
  /* NULL when the accessible label is @description, else the label it has. */
  g_autofree char *differs = gtk_test_accessible_check_property (
    GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, description);

  if (differs != NULL)
    g_test_message ("%s is described as “%s”, expected “%s”", card, differs, description);
  return differs == NULL;
}

/* Until the KPIs are counted the strip says so ("…", "counting…"), never a 0 nobody counted;
 * a search typed meanwhile does not wait for the count; the numbers then replace the dots, and
 * after a write the last numbers stay, marked as updating, until the new ones arrive. The
 * computation is held in the store (as slow as the test wants it), not timed. */
static void
test_page_kpi_pending (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *strip;

  add_caseload (f);
  koers_store_hold_aggregates_for_testing (f->store, TRUE);
  fixture_show (f);
  strip = GTK_WIDGET (child (f, "kpi_strip"));
  koers_test_spin (100);

  g_assert_false (koers_kpi_strip_get_ready (KOERS_KPI_STRIP (strip)));
  g_assert_cmpstr (strip_text (strip, "migrants_value"), ==, "…");
  g_assert_cmpstr (strip_text (strip, "distance_value"), ==, "…");
  g_assert_cmpstr (strip_text (strip, "reskilling_value"), ==, "…");
  g_assert_cmpstr (strip_text (strip, "flow_on_value"), ==, "…");
  g_assert_cmpstr (strip_text (strip, "proeverijen_value"), ==, "…");
  g_assert_true (card_says (strip, "migrants_card", "Migrants: counting…"));
  g_assert_true (card_says (strip, "flow_on_card", "Flow-on: counting…"));

  /* The KPI computation is still running: the search is answered before it. */
  type_search (f, "ozdem");
  assert_count (f, "1 participant");
  koers_test_assert_first_row (rows (f), "Yusuf Özdemir");
  type_search (f, "");
  assert_count (f, "4 participants");
  g_assert_false (koers_kpi_strip_get_ready (KOERS_KPI_STRIP (strip)));
  g_assert_cmpstr (strip_text (strip, "migrants_value"), ==, "…");

  koers_store_hold_aggregates_for_testing (f->store, FALSE);
  g_assert_true (koers_test_wait_for_boolean (strip, "ready", TRUE, 5000));
  assert_kpi (f, "migrants_value", "2 / 75");
  assert_kpi (f, "flow_on_value", "– / 60%");
  g_assert_true (card_says (strip, "migrants_card", "Migrants: 2 of 75"));
  g_assert_false (koers_kpi_strip_get_updating (KOERS_KPI_STRIP (strip)));

  /* A write: the count runs again, held; the last numbers stay, marked as updating. */
  koers_store_hold_aggregates_for_testing (f->store, TRUE);
  g_free (koers_test_add_participant (f->store, "Fatima Haddad", KOERS_MUNICIPALITY_AALTEN,
                                      KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_ACTIVE));
  assert_count (f, "5 participants");
  g_assert_true (koers_test_wait_for_boolean (strip, "updating", TRUE, 5000));
  g_assert_cmpstr (strip_text (strip, "migrants_value"), ==, "2 / 75");
  g_assert_true (card_says (strip, "migrants_card", "Migrants: 2 of 75"));

  koers_store_hold_aggregates_for_testing (f->store, FALSE);
  assert_kpi (f, "migrants_value", "3 / 75");
  g_assert_false (koers_kpi_strip_get_updating (KOERS_KPI_STRIP (strip)));
  g_assert_true (card_says (strip, "migrants_card", "Migrants: 3 of 75"));
}

/* Writes that come while a count runs do not throw it away: its numbers show, still marked as
 * updating, and one more count after a pause covers what was written meanwhile. (A sync
 * announces its writes every 2 s; a count at 100,000 can take longer: a count per write, each
 * dropped by the next, could keep a core busy and show no number until the writes stopped.) */
static void
test_page_kpi_during_writes (Fixture       *f,
                             gconstpointer  data)
{
  static const char *const names[] = { "Fatima Haddad", "Omar Said", "Sara Tesfay" };
  GtkWidget *strip;

  add_caseload (f);
  fixture_show (f);
  strip = GTK_WIDGET (child (f, "kpi_strip"));
  g_assert_true (koers_test_wait_for_boolean (strip, "ready", TRUE, 5000));
  assert_kpi (f, "migrants_value", "2 / 75");

  /* The first write starts a count (held before it reads); the others come while it runs. */
  koers_store_hold_aggregates_for_testing (f->store, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_free (koers_test_add_participant (f->store, names[i], KOERS_MUNICIPALITY_AALTEN,
                                        KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_ACTIVE));
  assert_count (f, "7 participants");
  g_assert_cmpstr (strip_text (strip, "migrants_value"), ==, "2 / 75");

  koers_store_hold_aggregates_for_testing (f->store, FALSE);
  assert_kpi (f, "migrants_value", "5 / 75");
  g_assert_true (koers_kpi_strip_get_updating (KOERS_KPI_STRIP (strip)));
  g_assert_true (koers_test_wait_for_boolean (strip, "updating", FALSE, 5000));
  g_assert_cmpstr (strip_text (strip, "migrants_value"), ==, "5 / 75");
  g_assert_true (card_says (strip, "migrants_card", "Migrants: 5 of 75"));
}

static void
remember_id (KoersCaseloadPage  *page,
             const char         *id,
             char              **out_id)
{
  g_free (*out_id);
  *out_id = g_strdup (id);
}

static void
test_page_activate_row (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *opened = NULL;
  g_autofree char *anna = NULL;

  anna = koers_test_add_participant (f->store, "Anna de Vries", KOERS_MUNICIPALITY_AALTEN,
                                     KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED);
  fixture_show (f);
  assert_count (f, "1 participant");

  g_signal_connect (f->page, "participant-activated", G_CALLBACK (remember_id), &opened);
  g_signal_emit_by_name (child (f, "column_view"), "activate", 0);
  g_assert_cmpstr (opened, ==, anna);
}

static void
test_page_accessible_names (Fixture       *f,
                            gconstpointer  data)
{
  static const char *dropdowns[] = {
    "status_dropdown", "coach_dropdown", "target_group_dropdown", "municipality_dropdown",
    "project_line_dropdown",
  };

  fixture_show (f);
  /* A dropdown shows only its choice ("All Statuses"); the tooltip says what it filters. GTK
   * 4.8 cannot read accessible labels back, so the .ui's labels are not checked here. */
  for (guint i = 0; i < G_N_ELEMENTS (dropdowns); i++)
    g_assert_nonnull (gtk_widget_get_tooltip_text (child (f, dropdowns[i])));
}

typedef struct
{
  const char *text;
  GtkWidget  *found;
} FindLabel;

/* A caseload cell's text after the direction mark that lines it up. */
static gboolean
inscription_says (GtkInscription *cell,
                  const char     *text)
{
  const char *shown = gtk_inscription_get_text (cell);

  if (shown != NULL && (g_str_has_prefix (shown, "\xe2\x80\x8e") ||
                        g_str_has_prefix (shown, "\xe2\x80\x8f")))
    shown += 3;
  return g_strcmp0 (shown, text) == 0;
}

static void
find_label (GtkWidget *widget,
            FindLabel *find)
{
  if (find->found != NULL)
    return;
  /* Caseload cells are GtkInscriptions; other text is in labels. */
  if ((GTK_IS_LABEL (widget)
       && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), find->text) == 0)
      || (GTK_IS_INSCRIPTION (widget) && inscription_says (GTK_INSCRIPTION (widget), find->text)))
    {
      find->found = widget;
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    find_label (c, find);
}

static gboolean
query_tooltip (GtkWidget *label)
{
  g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  g_signal_emit_by_name (label, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  return shown;
}

static void
test_page_cut_off_tooltip (Fixture       *f,
                           gconstpointer  data)
{
  const char *long_group = koers_target_group_label (KOERS_TARGET_GROUP_LOW_BASIC_SKILLS);
  const char *short_group = koers_target_group_label (KOERS_TARGET_GROUP_STATUSHOLDER);
  g_autoptr(GtkColumnViewColumn) column = NULL;
  FindLabel cut = { long_group, NULL };
  FindLabel whole = { short_group, NULL };

  g_free (koers_test_add_participant (f->store, "Anna de Vries", KOERS_MUNICIPALITY_AALTEN,
                                      KOERS_TARGET_GROUP_LOW_BASIC_SKILLS,
                                      KOERS_STATUS_ACTIVE));
  g_free (koers_test_add_participant (f->store, "Bram Jansen", KOERS_MUNICIPALITY_AALTEN,
                                      KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_ACTIVE));
  fixture_show (f);
  assert_count (f, "2 participants");

  /* The column made narrower than the long group (as in a narrow window). */
  column = g_list_model_get_item (gtk_column_view_get_columns (child (f, "column_view")), 2);
  gtk_column_view_column_set_expand (column, FALSE);
  gtk_column_view_column_set_fixed_width (column, 110);
  koers_test_spin (200);
  find_label (child (f, "column_view"), &cut);
  find_label (child (f, "column_view"), &whole);
  g_assert_nonnull (cut.found);
  g_assert_nonnull (whole.found);

  /* Only the cut-off cell offers its whole text, and without a tooltip text set per row. */
  g_assert_true (query_tooltip (cut.found));
  g_assert_false (query_tooltip (whole.found));
  g_assert_null (gtk_widget_get_tooltip_text (cut.found));
}

static gpointer
insert_overdue_job (KoersDatabase *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(KoersParticipant) participant = koers_participant_new ();

  koers_participant_set_name (participant, "Cas Overdijk");
  koers_participant_set_municipality (participant, KOERS_MUNICIPALITY_AALTEN);
  koers_participant_set_status (participant, KOERS_STATUS_INTAKE);
  koers_participant_set_registered_on (participant, "2026-02-02");
  /* KOERS_TODAY is 2026-11-28: the next step is overdue. */
  koers_participant_set_next_action_date (participant, "2026-11-20");
  if (!koers_participant_repository_insert (db, participant, "test-coach", error))
    return NULL;
  return g_strdup (koers_participant_get_id (participant));
}

/* An open trajectory whose next step lies in the past is marked, and says why on hover. */
static void
test_page_overdue (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  FindLabel date = { "20-11-2026", NULL };

  id = koers_store_run_sync (f->store, insert_overdue_job, NULL, "participants", &error);
  g_assert_no_error (error);
  fixture_show (f);
  assert_count (f, "1 participant");
  koers_test_spin (200);
  find_label (child (f, "column_view"), &date);
  if (date.found == NULL)
    {
      /* The date's format follows the locale; the C locale writes it the English way. */
      date.text = "20/11/2026";
      find_label (child (f, "column_view"), &date);
    }
  g_assert_nonnull (date.found);
  g_assert_true (gtk_widget_has_css_class (date.found, "error"));
  g_assert_true (query_tooltip (date.found));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("KOERS_TODAY", "2026-11-28", TRUE);
  /* GTK's test accessibility context records what a screen reader would be told (the KPI
   * cards' descriptions); "none", the suite's default, records nothing. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/caseload-page/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("create-destroy", test_page_create_destroy);
  ADD ("search", test_page_search);
  ADD ("filters", test_page_filters);
  ADD ("sort", test_page_sort);
  ADD ("remembers-sort", test_page_remembers_sort);
  ADD ("remembers-column-widths", test_page_remembers_column_widths);
  ADD ("empty-caseload", test_page_empty_caseload);
  ADD ("kpi-strip", test_page_kpi_strip);
  ADD ("kpi-strip-create-destroy", test_kpi_strip_create_destroy);
  ADD ("kpi-pending", test_page_kpi_pending);
  ADD ("kpi-during-writes", test_page_kpi_during_writes);
  ADD ("activate-row", test_page_activate_row);
  ADD ("accessible-names", test_page_accessible_names);
  ADD ("cut-off-tooltip", test_page_cut_off_tooltip);
  ADD ("overdue", test_page_overdue);
#undef ADD

  return g_test_run ();
}

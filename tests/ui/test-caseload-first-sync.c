/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The caseload in the main window while a first sync brings it, as a coach sees it: a status
 * page that says the participants are on their way (not "No Participants Yet"), then the first
 * screenful with a hint that the rest follows and a count that follows the data, the rows on
 * screen left alone while pages land (koers_caseload_model_set_held), and the whole list once
 * the sync says complete or stops. The sync service is never started: the test plays its
 * thread (koers_sync_service_set_status_for_testing) and writes the pages itself. Runs once
 * per language (--lang en|nl|ar): texts are checked in English, and each stage is saved as
 * first-sync-<stage>-<lang>.png.
 */
#include "config.h"

#include <adwaita.h>

#include "app/koers-context.h"
#include "app/koers-sync-service.h"
#include "caseload/koers-caseload-page.h"
#include "koers-screenshot-helpers.h"
#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"
#include "window/koers-window.h"

static const char *language;

typedef struct
{
  KoersStore       *store;
  KoersSyncService *service;
  KoersContext     *context;
  KoersWindow      *window;
  GtkWidget        *page;
  KoersSyncStatus   status;
} Fixture;

static gboolean
english (void)
{
  return g_str_equal (language, "en");
}

static gpointer
child (Fixture    *f,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (f->page, KOERS_TYPE_CASELOAD_PAGE, name);

  g_assert_nonnull (object);
  return object;
}

static KoersCaseloadModel *
model (Fixture *f)
{
  return koers_caseload_page_get_model (KOERS_CASELOAD_PAGE (f->page));
}

static void
apply (Fixture *f)
{
  koers_sync_service_set_status_for_testing (f->service, &f->status);
  koers_test_spin (50);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = koers_test_make_store ();
  f->service = koers_sync_service_new (f->store);
  f->context = koers_context_new_full (f->store, NULL, f->service);
  f->window = koers_window_new (NULL, f->context);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 700);
  gtk_window_present (GTK_WINDOW (f->window));
  f->page = koers_window_get_caseload_page (f->window);
  koers_test_spin (300);

  /* Just signed in on an empty caseload: the first sync starts. */
  f->status.signed_in = TRUE;
  f->status.server_url = g_strdup ("https://api.werkplein-achterhoek.nl");
  f->status.user_name = g_strdup ("Sanne Hulshof");
  f->status.organisation = g_strdup ("Werkplein Achterhoek");
  f->status.state = KOERS_SYNC_CLIENT_SYNCING;
  apply (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  koers_test_spin (50);
  koers_sync_status_clear (&f->status);
  g_clear_object (&f->context);
  g_clear_object (&f->service);
  g_clear_object (&f->store);
}

/* A page of the first sync: @n participants "@prefix NNN" in one write, then the count the
 * sync indicator shows. */
static void
sync_page (Fixture    *f,
           const char *prefix,
           guint       n)
{
  koers_test_add_participants (f->store, prefix, 0, n);
  f->status.records_received += n;
  apply (f);
}

typedef struct
{
  Fixture *f;
  guint    n_matches;
  guint    n_items;   /* 0: any */
} Settled;

static gboolean
settled (gpointer data)
{
  Settled *wait = data;
  KoersCaseloadModel *m = model (wait->f);

  return !koers_caseload_model_get_loading (m)
         && koers_caseload_model_get_n_matches (m) == wait->n_matches
         && (wait->n_items == 0
             || g_list_model_get_n_items (G_LIST_MODEL (m)) == wait->n_items);
}

static void
wait_settled (Fixture *f,
              guint    n_matches,
              guint    n_items)
{
  Settled wait = { f, n_matches, n_items };

  if (!koers_test_wait_until (settled, &wait, 5000))
    g_error ("the caseload did not settle at %u matches, %u rows: it has %u and %u", n_matches,
             n_items, koers_caseload_model_get_n_matches (model (f)),
             g_list_model_get_n_items (G_LIST_MODEL (model (f))));
  koers_test_spin (100);
}

static void
screenshot (Fixture    *f,
            const char *stage)
{
  g_autofree char *name = g_strdup_printf ("first-sync-%s-%s", stage, language);
  g_autofree char *path = koers_test_save_screenshot (GTK_WIDGET (f->window), name);

  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_first_sync (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *hint = child (f, "first_sync_hint");
  guint first_rows;

  /* Before the first page: not "No Participants Yet" with a button to add one. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (f, "content_stack")), ==, "empty");
  g_assert_false (gtk_widget_get_visible (child (f, "empty_button")));
  g_assert_false (gtk_widget_get_visible (hint));
  if (english ())
    g_assert_cmpstr (adw_status_page_get_title (child (f, "empty_status")), ==,
                     "First Sync in Progress");
  screenshot (f, "waiting");

  /* The first page: a screenful of it, the count of all of it, and the hint. */
  sync_page (f, "Noor", 150);
  wait_settled (f, 150, 0);
  first_rows = g_list_model_get_n_items (G_LIST_MODEL (model (f)));
  g_assert_cmpuint (first_rows, >, 0);
  g_assert_cmpuint (first_rows, <, 150);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (f, "content_stack")), ==, "list");
  g_assert_true (gtk_widget_get_visible (hint));
  koers_test_assert_first_row (G_LIST_MODEL (model (f)), "Noor 000");
  if (english ())
    {
      g_assert_cmpstr (gtk_label_get_text (child (f, "count_label")), ==, "150 participants");
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (hint)), ==,
                       "First sync in progress: the whole list shows when it is complete");
    }
  screenshot (f, "progress");

  /* More pages, some sorting first: the rows on screen stay, the count follows. */
  sync_page (f, "Anna", 200);
  wait_settled (f, 350, first_rows);
  koers_test_assert_first_row (G_LIST_MODEL (model (f)), "Noor 000");
  g_assert_true (gtk_widget_get_visible (hint));
  if (english ())
    g_assert_cmpstr (gtk_label_get_text (child (f, "count_label")), ==, "350 participants");

  /* Complete: the whole list, in order, and no hint. */
  f->status.initial_sync_complete = TRUE;
  f->status.state = KOERS_SYNC_CLIENT_IDLE;
  f->status.last_sync = g_strdup ("2026-11-28T10:42:00Z");
  apply (f);
  wait_settled (f, 350, 350);
  koers_test_assert_first_row (G_LIST_MODEL (model (f)), "Anna 000");
  {
    g_autofree char *last = koers_test_row_name (G_LIST_MODEL (model (f)), 349);

    g_assert_cmpstr (last, ==, "Noor 149");
  }
  g_assert_false (gtk_widget_get_visible (hint));
  g_assert_false (koers_caseload_model_get_held (model (f)));
  screenshot (f, "complete");
}

/* A first sync that stops before the end (offline) shows what it brought: the sync indicator
 * says the caseload is not complete yet, and a list the coach cannot scroll would hide it. */
static void
test_first_sync_paused (Fixture       *f,
                        gconstpointer  data)
{
  sync_page (f, "Noor", 150);
  wait_settled (f, 150, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model (f))), <, 150);

  f->status.state = KOERS_SYNC_CLIENT_OFFLINE;
  apply (f);
  wait_settled (f, 150, 150);
  g_assert_false (gtk_widget_get_visible (child (f, "first_sync_hint")));

  /* It goes on: held again, the rows stay. */
  f->status.state = KOERS_SYNC_CLIENT_SYNCING;
  apply (f);
  g_assert_true (koers_caseload_model_get_held (model (f)));
  sync_page (f, "Anna", 10);
  wait_settled (f, 160, 150);
  koers_test_assert_first_row (G_LIST_MODEL (model (f)), "Noor 000");
  g_assert_true (gtk_widget_get_visible (child (f, "first_sync_hint")));
}

int
main (int   argc,
      char *argv[])
{
  language = koers_test_language_from_args (&argc, &argv);
  koers_test_init_like_app (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/caseload-first-sync/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("progress", test_first_sync);
  ADD ("paused", test_first_sync_paused);
#undef ADD

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "app/koers-caseload-model.h"
#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"
#include "storage/koers-participant-repository.h"

#include <sqlite3.h>

/* Every items-changed the model emits, as (position, removed, added) triples. */
typedef struct
{
  GArray *changes;  /* guint[3] per emission */
  guint   n_items_notifies;
} Recorder;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Recorder   *recorder)
{
  guint change[3] = { position, removed, added };

  g_array_append_vals (recorder->changes, change, 3);
}

static void
n_items_cb (GObject    *object,
            GParamSpec *pspec,
            Recorder   *recorder)
{
  recorder->n_items_notifies++;
}

static void
recorder_watch (Recorder           *recorder,
                KoersCaseloadModel *model)
{
  recorder->changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), recorder);
  g_signal_connect (model, "notify::n-items", G_CALLBACK (n_items_cb), recorder);
}

static void
recorder_unwatch (Recorder           *recorder,
                  KoersCaseloadModel *model)
{
  g_signal_handlers_disconnect_by_data (model, recorder);
  g_clear_pointer (&recorder->changes, g_array_unref);
}

/* Asserts that exactly the listed changes (triples, terminated by G_MAXUINT) happened since the
 * last check, then forgets them. */
static void
assert_changes (Recorder *recorder,
                ...)
{
  va_list args;
  guint i = 0;
  guint value;

  va_start (args, recorder);
  while ((value = va_arg (args, guint)) != G_MAXUINT)
    {
      if (i >= recorder->changes->len)
        g_error ("expected more items-changed: only %u values recorded", recorder->changes->len);
      g_assert_cmpuint (g_array_index (recorder->changes, guint, i), ==, value);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (recorder->changes->len, ==, i);
  g_array_set_size (recorder->changes, 0);
}

static void
settle (KoersCaseloadModel *model)
{
  g_assert_true (koers_test_wait_for_boolean (model, "loading", FALSE, 5000));
}

static void
assert_names (KoersCaseloadModel *model,
              const char * const *names)
{
  guint n = g_strv_length ((char **) names);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = koers_test_row_name (G_LIST_MODEL (model), i);

      g_assert_cmpstr (name, ==, names[i]);
    }
}

static gpointer
rename_job (KoersDatabase  *db,
            gpointer        data,
            GCancellable   *cancellable,
            GError        **error)
{
  char **args = data;
  g_autoptr(KoersParticipant) participant = NULL;

  participant = koers_participant_repository_get (db, args[0], "test-coach", "test", error);
  if (participant == NULL)
    return NULL;
  koers_participant_set_name (participant, args[1]);
  koers_participant_repository_update (db, participant, "test-coach", error);
  return NULL;
}

static void
rename_participant (KoersStore *store,
                    const char *id,
                    const char *name)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { id, name };

  koers_store_run_sync (store, rename_job, args, "participants", &error);
  g_assert_no_error (error);
}

static void
test_model_items_changed (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(KoersCaseloadModel) model = NULL;
  g_autofree char *anna = NULL;
  g_autofree char *bram = NULL;
  g_autofree char *chloe = NULL;
  g_autofree char *berend = NULL;
  g_autoptr(KoersCaseloadRow) held = NULL;
  KoersCaseloadQuery query;
  Recorder recorder = { 0 };

  anna = koers_test_add_participant (store, "Anna de Vries", KOERS_MUNICIPALITY_AALTEN,
                                     KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED);
  bram = koers_test_add_participant (store, "Bram Jansen", KOERS_MUNICIPALITY_DOETINCHEM,
                                     KOERS_TARGET_GROUP_CAREER_SWITCHER, KOERS_STATUS_INTAKE);
  chloe = koers_test_add_participant (store, "Chloé Peeters", KOERS_MUNICIPALITY_WINTERSWIJK,
                                      KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_REGISTERED);

  /* The first list is there as soon as the model exists, sorted by name, so the window's
   * first frame already shows the caseload; nothing is loading and nothing changes after. */
  model = koers_caseload_model_new (store);
  recorder_watch (&recorder, model);
  g_assert_false (koers_caseload_model_get_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  assert_names (model, (const char *[]) { "Anna de Vries", "Bram Jansen", "Chloé Peeters",
                                          NULL });
  koers_test_spin (50);
  assert_changes (&recorder, G_MAXUINT);
  g_assert_cmpuint (recorder.n_items_notifies, ==, 0);

  /* Insert: one addition at its sorted place. */
  berend = koers_test_add_participant (store, "Berend Smit", KOERS_MUNICIPALITY_AALTEN,
                                       KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED);
  settle (model);
  assert_changes (&recorder, 1, 0, 1, G_MAXUINT);
  assert_names (model, (const char *[]) { "Anna de Vries", "Berend Smit", "Bram Jansen",
                                          "Chloé Peeters", NULL });

  /* Tombstone: one removal. */
  koers_test_delete_participant (store, bram);
  settle (model);
  assert_changes (&recorder, 2, 1, 0, G_MAXUINT);
  assert_names (model, (const char *[]) { "Anna de Vries", "Berend Smit", "Chloé Peeters",
                                          NULL });

  /* Filter: only Aalten. */
  koers_caseload_query_init (&query);
  query.municipality = KOERS_MUNICIPALITY_AALTEN;
  koers_caseload_model_set_query (model, &query);
  settle (model);
  assert_changes (&recorder, 2, 1, 0, G_MAXUINT);
  assert_names (model, (const char *[]) { "Anna de Vries", "Berend Smit", NULL });

  /* Filter off again, then a search that narrows: accent-less, partial, any case. */
  query.municipality = -1;
  koers_caseload_model_set_query (model, &query);
  settle (model);
  assert_changes (&recorder, 2, 0, 1, G_MAXUINT);
  koers_caseload_model_set_search (model, "CHLOE");
  settle (model);
  assert_changes (&recorder, 0, 2, 0, G_MAXUINT);
  assert_names (model, (const char *[]) { "Chloé Peeters", NULL });
  koers_caseload_model_set_search (model, "");
  settle (model);
  assert_changes (&recorder, 0, 0, 2, G_MAXUINT);

  /* Re-sort: name descending. */
  koers_caseload_model_set_sort (model, KOERS_CASELOAD_SORT_NAME, TRUE);
  settle (model);
  assert_changes (&recorder, 0, 3, 3, G_MAXUINT);
  assert_names (model, (const char *[]) { "Chloé Peeters", "Berend Smit", "Anna de Vries",
                                          NULL });

  /* No-op: the same query again, a requery, a write announced that changed no row. */
  koers_caseload_model_set_sort (model, KOERS_CASELOAD_SORT_NAME, TRUE);
  koers_caseload_model_requery (model);
  settle (model);
  koers_store_emit_changed (store, "participants");
  settle (model);
  assert_changes (&recorder, G_MAXUINT);

  /* A row on screen whose content changed but kept its place is redrawn alone. */
  held = g_list_model_get_item (G_LIST_MODEL (model), 2);
  rename_participant (store, anna, "Anke de Vries");
  settle (model);
  assert_changes (&recorder, 2, 1, 1, G_MAXUINT);
  assert_names (model, (const char *[]) { "Chloé Peeters", "Berend Smit", "Anke de Vries",
                                          NULL });
  g_assert_cmpstr (koers_caseload_row_get_name (held), ==, "Anna de Vries");

  recorder_unwatch (&recorder, model);
  koers_caseload_query_clear (&query);
}

static void
test_model_lazy_rows (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(KoersCaseloadModel) model = NULL;
  g_autoptr(KoersCaseloadRow) first = NULL;
  g_autoptr(KoersCaseloadRow) again = NULL;

  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *name = g_strdup_printf ("Participant %03u", i);
      g_autofree char *id = koers_test_add_participant (store, name,
                                                        i % KOERS_N_MUNICIPALITIES,
                                                        i % KOERS_N_TARGET_GROUPS,
                                                        KOERS_STATUS_REGISTERED);
    }

  model = koers_caseload_model_new (store);
  settle (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 150);

  /* Rows beyond the first page come from their own page read, in display order. */
  for (int i = 149; i >= 0; i -= 37)
    {
      g_autofree char *expected = g_strdup_printf ("Participant %03d", i);
      g_autofree char *name = koers_test_row_name (G_LIST_MODEL (model), i);

      g_assert_cmpstr (name, ==, expected);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 150));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == KOERS_TYPE_CASELOAD_ROW);

  /* The same row object answers twice while it is cached. */
  first = g_list_model_get_item (G_LIST_MODEL (model), 70);
  again = g_list_model_get_item (G_LIST_MODEL (model), 70);
  g_assert_true (first == again);
  g_assert_cmpint (koers_caseload_row_get_municipality (first), ==,
                   70 % KOERS_N_MUNICIPALITIES);
}

static void
n_matches_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* The model a window opens with: a screenful of rows and the true count at once, the rest in
 * one addition after them when asked (after the first frame). */
static void
test_model_first_rows (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(KoersCaseloadModel) model = NULL;
  g_autoptr(KoersCaseloadModel) small = NULL;
  g_autoptr(KoersCaseloadModel) searched = NULL;
  Recorder recorder = { 0 };
  guint n_matches_notifies = 0;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("Participant %03u", i);
      g_autofree char *id = koers_test_add_participant (store, name,
                                                        i % KOERS_N_MUNICIPALITIES,
                                                        i % KOERS_N_TARGET_GROUPS,
                                                        KOERS_STATUS_REGISTERED);
    }

  model = koers_caseload_model_new_first_rows (store, 12, KOERS_CASELOAD_SORT_NAME, FALSE);
  recorder_watch (&recorder, model);
  g_signal_connect (model, "notify::n-matches", G_CALLBACK (n_matches_cb), &n_matches_notifies);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 12);
  g_assert_cmpuint (koers_caseload_model_get_n_matches (model), ==, 50);
  g_assert_true (koers_caseload_model_get_loading (model));
  {
    g_autofree char *first = koers_test_row_name (G_LIST_MODEL (model), 0);
    g_autofree char *last = koers_test_row_name (G_LIST_MODEL (model), 11);

    g_assert_cmpstr (first, ==, "Participant 000");
    g_assert_cmpstr (last, ==, "Participant 011");
  }
  /* Nothing more until the rest is asked for. */
  koers_test_spin (50);
  assert_changes (&recorder, G_MAXUINT);

  koers_caseload_model_load_rest (model);
  settle (model);
  assert_changes (&recorder, 12, 0, 38, G_MAXUINT);
  g_assert_cmpuint (recorder.n_items_notifies, ==, 1);
  g_assert_cmpuint (n_matches_notifies, ==, 0);
  g_assert_cmpuint (koers_caseload_model_get_n_matches (model), ==, 50);
  {
    g_autofree char *name = koers_test_row_name (G_LIST_MODEL (model), 49);

    g_assert_cmpstr (name, ==, "Participant 049");
  }
  /* Everything is read: asking again changes nothing. */
  koers_caseload_model_load_rest (model);
  koers_test_spin (50);
  g_assert_false (koers_caseload_model_get_loading (model));
  assert_changes (&recorder, G_MAXUINT);
  recorder_unwatch (&recorder, model);

  /* A caseload that fits is read whole and is not loading. */
  small = koers_caseload_model_new_first_rows (store, 60, KOERS_CASELOAD_SORT_NAME, FALSE);
  g_assert_false (koers_caseload_model_get_loading (small));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (small)), ==, 50);
  g_assert_cmpuint (koers_caseload_model_get_n_matches (small), ==, 50);

  /* A search typed before the rest was read replaces the first rows with its own list. */
  searched = koers_caseload_model_new_first_rows (store, 12, KOERS_CASELOAD_SORT_NAME, FALSE);
  recorder_watch (&recorder, searched);
  koers_caseload_model_set_search (searched, "participant 04");
  settle (searched);
  assert_changes (&recorder, 0, 12, 10, G_MAXUINT);
  g_assert_cmpuint (koers_caseload_model_get_n_matches (searched), ==, 10);
  {
    g_autofree char *name = koers_test_row_name (G_LIST_MODEL (searched), 0);

    g_assert_cmpstr (name, ==, "Participant 040");
  }
  recorder_unwatch (&recorder, searched);
}

/* A search narrows the list under the filters and sort already chosen, letter by letter, and
 * a write between two keystrokes shows up in the next result. */
static void
test_model_search_within_filters (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(KoersCaseloadModel) model = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;
  g_autofree char *e = NULL;
  KoersCaseloadQuery query;
  Recorder recorder = { 0 };

  a = koers_test_add_participant (store, "Jan Jansen", KOERS_MUNICIPALITY_AALTEN,
                                  KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED);
  b = koers_test_add_participant (store, "Janneke Smit", KOERS_MUNICIPALITY_DOETINCHEM,
                                  KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED);
  c = koers_test_add_participant (store, "Pieter Jansma", KOERS_MUNICIPALITY_AALTEN,
                                  KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED);
  d = koers_test_add_participant (store, "Anna Bos", KOERS_MUNICIPALITY_AALTEN,
                                  KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED);

  model = koers_caseload_model_new (store);
  recorder_watch (&recorder, model);
  koers_caseload_query_init (&query);
  query.municipality = KOERS_MUNICIPALITY_AALTEN;
  query.descending = TRUE;
  koers_caseload_model_set_query (model, &query);
  settle (model);
  assert_changes (&recorder, 0, 4, 3, G_MAXUINT);
  assert_names (model, (const char *[]) { "Pieter Jansma", "Jan Jansen", "Anna Bos", NULL });

  /* One letter matches word starts, three any part; Janneke lives elsewhere. */
  koers_caseload_model_set_search (model, "j");
  settle (model);
  assert_changes (&recorder, 2, 1, 0, G_MAXUINT);
  assert_names (model, (const char *[]) { "Pieter Jansma", "Jan Jansen", NULL });
  koers_caseload_model_set_search (model, "jans");
  settle (model);
  assert_changes (&recorder, G_MAXUINT);
  koers_caseload_model_set_search (model, "jansen");
  settle (model);
  assert_changes (&recorder, 0, 1, 0, G_MAXUINT);
  assert_names (model, (const char *[]) { "Jan Jansen", NULL });

  /* A new match written meanwhile is found. */
  e = koers_test_add_participant (store, "Els Jansen", KOERS_MUNICIPALITY_AALTEN,
                                  KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED);
  settle (model);
  assert_changes (&recorder, 1, 0, 1, G_MAXUINT);
  assert_names (model, (const char *[]) { "Jan Jansen", "Els Jansen", NULL });
  koers_caseload_model_set_search (model, "jan");
  settle (model);
  assert_changes (&recorder, 0, 0, 1, G_MAXUINT);
  assert_names (model, (const char *[]) { "Pieter Jansma", "Jan Jansen", "Els Jansen", NULL });

  recorder_unwatch (&recorder, model);
  koers_caseload_query_clear (&query);
}

static gint64
count_search_audits (KoersStore *store)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  g_autoptr(GError) error = NULL;
  KoersDatabase *reader = koers_store_get_reader (store);

  stmt = koers_database_prepare (reader,
                                 "SELECT count(*) FROM audit_event WHERE action = 'search'",
                                 &error);
  g_assert_no_error (error);
  g_assert_true (koers_database_step (reader, stmt, &has_row, &error));
  g_assert_no_error (error);
  g_assert_true (has_row);
  return koers_column_int64 (stmt, 0);
}

static void
test_model_search_audited_once (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(KoersCaseloadModel) model = NULL;
  g_autofree char *id = NULL;

  id = koers_test_add_participant (store, "Mohammed El Amrani", KOERS_MUNICIPALITY_OOST_GELRE,
                                   KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_ACTIVE);
  model = koers_caseload_model_new (store);
  settle (model);
  g_assert_cmpint (count_search_audits (store), ==, 0);

  /* Typing letter by letter is one search, audited once it settled. */
  koers_caseload_model_set_search (model, "moh");
  koers_caseload_model_set_search (model, "moha");
  settle (model);
  koers_caseload_model_set_search (model, "mohamm");
  settle (model);
  koers_test_spin (500);
  g_assert_cmpint (count_search_audits (store), ==, 0);
  koers_test_spin (1500);
  g_assert_cmpint (count_search_audits (store), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
}

/* A change all through a long list (a sync's pages landing between the rows already there, or
 * a search cleared) goes out as a removal and then an insertion, not as one large replace:
 * GTK 4.8's list view would look through every added row for the removed rows' widgets,
 * reading the rows from disk on the main thread. At every signal the model holds the list
 * the signals so far describe. */
typedef struct
{
  guint    n_items;
  gboolean consistent;
} CountCheck;

static void
count_check_cb (GListModel *model,
                guint       position,
                guint       removed,
                guint       added,
                CountCheck *check)
{
  check->n_items = check->n_items - removed + added;
  if (g_list_model_get_n_items (model) != check->n_items)
    check->consistent = FALSE;
}

static void
test_model_large_change (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(KoersCaseloadModel) model = NULL;
  Recorder recorder = { 0 };
  CountCheck check = { 0, TRUE };

  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *name = g_strdup_printf ("Noor %03u %s", i, i % 2 == 0 ? "Jansen" : "Visser");
      g_autofree char *id = koers_test_add_participant (store, name,
                                                        i % KOERS_N_MUNICIPALITIES,
                                                        i % KOERS_N_TARGET_GROUPS,
                                                        KOERS_STATUS_REGISTERED);
    }
  model = koers_caseload_model_new (store);
  koers_caseload_model_set_search (model, "jansen");
  settle (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 300);

  recorder_watch (&recorder, model);
  check.n_items = 300;
  g_signal_connect (model, "items-changed", G_CALLBACK (count_check_cb), &check);
  koers_caseload_model_set_search (model, "");
  settle (model);
  /* "Noor 000 Jansen" stays first; everything after it is replaced. */
  assert_changes (&recorder, 1, 299, 0, 1, 0, 599, G_MAXUINT);
  g_assert_true (check.consistent);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 600);
  {
    g_autofree char *second = koers_test_row_name (G_LIST_MODEL (model), 1);
    g_autofree char *last = koers_test_row_name (G_LIST_MODEL (model), 599);

    g_assert_cmpstr (second, ==, "Noor 001 Visser");
    g_assert_cmpstr (last, ==, "Noor 599 Visser");
  }

  /* A small change stays one replace (a renamed row keeps its place in the view). */
  koers_caseload_model_set_search (model, "noor 00");
  settle (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10);
  g_array_set_size (recorder.changes, 0);
  koers_caseload_model_set_search (model, "noor 01");
  settle (model);
  assert_changes (&recorder, 0, 10, 10, G_MAXUINT);
  g_signal_handlers_disconnect_by_func (model, count_check_cb, &check);
  recorder_unwatch (&recorder, model);
}

static gboolean
has_changes (Recorder *recorder)
{
  return recorder->changes->len > 0;
}

static gboolean
n_matches_is_400 (KoersCaseloadModel *model)
{
  return koers_caseload_model_get_n_matches (model) == 400
         && !koers_caseload_model_get_loading (model);
}

/* While a first sync brings the caseload the window's list is held: the count follows the data
 * but the rows on screen stay (each refresh that replaced them cost GTK 4.8 100-150 ms of a
 * frozen window at 100,000); released, the whole list shows, a few rows a frame up to the rows
 * GTK makes widgets for and the rest at once, the count right from the start. */
static void
test_model_held (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(KoersCaseloadModel) model = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GError) error = NULL;
  Recorder recorder = { 0 };
  CountCheck check = { 0, TRUE };
  guint biggest_step = 0;
  guint steps = 0;

  model = koers_caseload_model_new_first_rows (store, 12, KOERS_CASELOAD_SORT_NAME, FALSE);
  g_assert_false (koers_caseload_model_get_loading (model));
  koers_caseload_model_set_held (model, TRUE);
  g_assert_true (koers_caseload_model_get_held (model));
  recorder_watch (&recorder, model);
  g_signal_connect (model, "items-changed", G_CALLBACK (count_check_cb), &check);

  /* The first page: a screenful of it shows, in steps, and the count is all of it. */
  koers_test_add_participants (store, "Noor", 0, 150);
  g_assert_true (koers_test_wait_for_boolean (model, "loading", FALSE, 5000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 12);
  g_assert_cmpuint (koers_caseload_model_get_n_matches (model), ==, 150);
  assert_changes (&recorder, 0, 0, 4, 4, 0, 4, 8, 0, 4, G_MAXUINT);
  {
    g_autofree char *first = koers_test_row_name (G_LIST_MODEL (model), 0);

    g_assert_cmpstr (first, ==, "Noor 000");
  }

  /* More pages, some sorting before the rows shown: the rows stay, the count follows. */
  koers_test_add_participants (store, "Anna", 0, 100);
  koers_test_add_participants (store, "Noor", 150, 150);
  g_assert_true (koers_test_wait_until ((KoersTestCondition) n_matches_is_400, model, 5000));
  koers_test_spin (100);
  assert_changes (&recorder, G_MAXUINT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 12);
  {
    g_autofree char *first = koers_test_row_name (G_LIST_MODEL (model), 0);

    g_assert_cmpstr (first, ==, "Noor 000");
  }

  /* Released: everything, in order, no row missing; the count is right from the first step. */
  koers_caseload_model_set_held (model, FALSE);
  g_assert_true (koers_test_wait_for_boolean (model, "loading", TRUE, 5000));
  g_assert_true (koers_test_wait_for_boolean (model, "loading", FALSE, 5000));
  g_assert_true (check.consistent);
  for (guint i = 0; i < recorder.changes->len; i += 3)
    {
      guint position = g_array_index (recorder.changes, guint, i);
      guint added = g_array_index (recorder.changes, guint, i + 2);

      steps++;
      /* Rows GTK 4.8 makes widgets for (the first 200) come at most 4 a step. */
      if (position < 200)
        biggest_step = MAX (biggest_step, MIN (position + added, 200) - position);
    }
  g_assert_cmpuint (biggest_step, ==, 4);
  /* The 12 held rows are replaced in place, 4 a step from the top (GTK unmakes their widgets
   * as slowly as it makes new ones); 46 more steps reach 196, the last adds the other 204. */
  g_assert_cmpuint (steps, ==, 50);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (g_array_index (recorder.changes, guint, 3 * i), ==, 4 * i);
      g_assert_cmpuint (g_array_index (recorder.changes, guint, 3 * i + 1), ==, 4);
      g_assert_cmpuint (g_array_index (recorder.changes, guint, 3 * i + 2), ==, 4);
    }
  g_assert_cmpuint (g_array_index (recorder.changes, guint, 10), ==, 0);
  g_assert_cmpuint (g_array_index (recorder.changes, guint, recorder.changes->len - 1), ==, 204);
  g_assert_cmpuint (koers_caseload_model_get_n_matches (model), ==, 400);

  expected = koers_participant_repository_query_rowids (koers_store_get_reader (store),
                                                        koers_caseload_model_get_query (model),
                                                        &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected->len);
  {
    g_autofree char *first = koers_test_row_name (G_LIST_MODEL (model), 0);
    g_autofree char *last = koers_test_row_name (G_LIST_MODEL (model), 399);

    g_assert_cmpstr (first, ==, "Anna 000");
    g_assert_cmpstr (last, ==, "Noor 299");
  }

  /* Not held, a change shows at once, as always. */
  g_array_set_size (recorder.changes, 0);
  koers_test_add_participants (store, "Aaron", 0, 1);
  settle (model);
  assert_changes (&recorder, 0, 0, 1, G_MAXUINT);

  /* A change that lands while the list is still being shown in steps (the sync's last refresh
   * right after the release's) goes on in steps. */
  koers_caseload_model_set_held (model, TRUE);
  koers_caseload_model_set_search (model, "aaron");
  settle (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  koers_caseload_model_set_search (model, "");
  koers_caseload_model_set_held (model, FALSE);
  g_array_set_size (recorder.changes, 0);
  g_assert_true (koers_test_wait_until ((KoersTestCondition) has_changes, &recorder, 5000));
  koers_test_add_participants (store, "Zora", 0, 5);
  settle (model);
  g_assert_true (check.consistent);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 406);
  for (guint i = 0; i < recorder.changes->len; i += 3)
    {
      guint position = g_array_index (recorder.changes, guint, i);
      guint added = g_array_index (recorder.changes, guint, i + 2);

      if (position < 200)
        g_assert_cmpuint (MIN (position + added, 200) - position, <=, 4);
    }
  g_signal_handlers_disconnect_by_func (model, count_check_cb, &check);
  recorder_unwatch (&recorder, model);
}

/* Each participant once in the list, at every signal. */
static void
unique_check_cb (GListModel *list,
                 guint       position,
                 guint       removed,
                 guint       added,
                 gboolean   *unique)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(KoersCaseloadRow) row = g_list_model_get_item (list, i);

      if (!g_hash_table_add (seen, (gpointer) koers_caseload_row_get_id (row)))
        *unique = FALSE;
    }
}

/* Held rows replaced in place a step at a time would show a row twice when rows above it went
 * away (a participant deleted meanwhile): then they all go at the first step. */
static void
test_model_held_rows_go (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(KoersCaseloadModel) model = NULL;
  g_autofree char *first_id = NULL;
  Recorder recorder = { 0 };
  gboolean unique = TRUE;

  first_id = koers_test_add_participant (store, "Aafke 000", 0, 0, KOERS_STATUS_REGISTERED);
  koers_test_add_participants (store, "Bram", 0, 40);
  model = koers_caseload_model_new_first_rows (store, 12, KOERS_CASELOAD_SORT_NAME, FALSE);
  koers_caseload_model_set_held (model, TRUE);
  recorder_watch (&recorder, model);
  g_signal_connect (model, "items-changed", G_CALLBACK (unique_check_cb), &unique);

  koers_test_delete_participant (store, first_id);
  settle (model);
  assert_changes (&recorder, G_MAXUINT);
  koers_caseload_model_set_held (model, FALSE);
  g_assert_true (koers_test_wait_for_boolean (model, "loading", TRUE, 5000));
  settle (model);
  g_assert_true (unique);
  g_assert_cmpuint (g_array_index (recorder.changes, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (recorder.changes, guint, 1), ==, 12);
  g_assert_cmpuint (g_array_index (recorder.changes, guint, 2), ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 40);
  g_signal_handlers_disconnect_by_func (model, unique_check_cb, &unique);
  recorder_unwatch (&recorder, model);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/caseload-model/items-changed", test_model_items_changed);
  g_test_add_func ("/caseload-model/lazy-rows", test_model_lazy_rows);
  g_test_add_func ("/caseload-model/large-change", test_model_large_change);
  g_test_add_func ("/caseload-model/first-rows", test_model_first_rows);
  g_test_add_func ("/caseload-model/held", test_model_held);
  g_test_add_func ("/caseload-model/held-rows-go", test_model_held_rows_go);
  g_test_add_func ("/caseload-model/search-within-filters", test_model_search_within_filters);
  g_test_add_func ("/caseload-model/search-audited-once", test_model_search_audited_once);

  return g_test_run ();
}

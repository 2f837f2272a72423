/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-search: search-as-you-type latency on a populated database.
 *
 * Types queries one character at a time into the same KoersCaseloadModel the caseload page
 * uses and times each keystroke from koers_caseload_model_set_search() until the model has
 * settled ("loading" FALSE, items-changed emitted) and the first 40 rows (a screenful) have
 * been materialised, as the view would. The target is one frame: p99 <= 16 ms.
 *
 *   bench-search (--database demo.db | --participants N [--notes M] [--seed S]) [--rounds 5]
 *                [--during-kpi | --during-kpi-on-writer | --sort | --filters]
 *
 * --during-kpi keeps the KPI strip's computation running the whole time (a new one as soon as
 * one ends, on the store's aggregate-read worker, as the strip does after every write), so the
 * figures show what a coach feels typing while the KPIs are recomputed.
 * --during-kpi-on-writer does the same on the store's one writing worker, where the KPIs ran
 * before: each keystroke queues behind the computation in flight.
 *
 * --sort times a click on each column header instead (each column up, then down, --rounds
 * times): from koers_caseload_model_set_sort() until the model has settled with the whole
 * list in the new order and the first screenful materialised. There is no frame target for
 * it (the list stays responsive while the worker reads); the figures say how long the coach
 * waits for the new order.
 *
 * --filters times choosing a value in each of the five filter dropdowns the same way (the
 * list sorted by name, then by next action), each from the whole list.
 *
 * With --participants the database is made once by koers-cli demo and cached
 * (bench-demo-db.h), as bench-startup does.
 */
#include "config.h"

#include "app/koers-caseload-model.h"
#include "app/koers-store.h"
#include "core/koers-i18n.h"
#include "storage/koers-database.h"
#include "storage/koers-kpi-repository.h"

#include "bench-demo-db.h"

#define SCREENFUL 40
/* Between keystrokes when typing beside the KPIs. */
#define KEY_INTERVAL_MS 50

/* --- the KPIs, computed over and over beside the typing ------------------------------------ */

typedef struct
{
  KoersStore *store;
  gboolean    on_writer;
  gboolean    stop;
  gint64      started;
  GArray     *durations;   /* double ms */
  KoersKpiResult last;
} KpiLoop;

static gpointer
kpi_job (KoersDatabase  *db,
         gpointer        data,
         GCancellable   *cancellable,
         GError        **error)
{
  KoersKpiResult *result = g_new0 (KoersKpiResult, 1);

  if (!koers_kpi_repository_compute (db, KOERS_KPI_WINDOW_START, KOERS_KPI_WINDOW_END, result,
                                     error))
    g_clear_pointer (&result, g_free);
  return result;
}

static void kpi_loop_next (KpiLoop *loop);

static void
kpi_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  KpiLoop *loop = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree KoersKpiResult *kpi = NULL;
  double ms = (g_get_monotonic_time () - loop->started) / 1000.0;

  kpi = loop->on_writer ? koers_store_run_finish (KOERS_STORE (object), result, &error)
                        : koers_store_read_finish (KOERS_STORE (object), result, &error);
  if (kpi == NULL)
    g_error ("KPI computation failed: %s", error->message);
  loop->last = *kpi;
  g_array_append_val (loop->durations, ms);
  if (!loop->stop)
    kpi_loop_next (loop);
}

static void
kpi_loop_next (KpiLoop *loop)
{
  loop->started = g_get_monotonic_time ();
  if (loop->on_writer)
    koers_store_run_async (loop->store, kpi_job, NULL, NULL, g_free, NULL, NULL, kpi_done, loop);
  else
    koers_store_read_async (loop->store, kpi_job, NULL, NULL, g_free, NULL, kpi_done, loop);
}

static void
wait_until_settled (KoersCaseloadModel *model)
{
  GMainContext *context = g_main_context_default ();
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (koers_caseload_model_get_loading (model))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the model did not settle within 10 s");
      g_main_context_iteration (context, TRUE);
    }
}

/* Milliseconds from @start until @model has settled and the view's first screenful of rows is
 * materialised, as the view would. */
static double
settled_after (KoersCaseloadModel *model, gint64 start)
{
  guint n;

  wait_until_settled (model);
  n = MIN (g_list_model_get_n_items (G_LIST_MODEL (model)), SCREENFUL);
  for (guint i = 0; i < n; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Each column's header clicked, up then down, @rounds times; prints the median and the
 * slowest click per column. */
static void
time_sorts (KoersCaseloadModel *model, int rounds)
{
  static const struct {
    KoersCaseloadSort sort;
    const char       *name;
  } columns[] = {
    { KOERS_CASELOAD_SORT_NAME, "name" },
    { KOERS_CASELOAD_SORT_MUNICIPALITY, "municipality" },
    { KOERS_CASELOAD_SORT_TARGET_GROUP, "target group" },
    { KOERS_CASELOAD_SORT_STATUS, "status" },
    { KOERS_CASELOAD_SORT_COACH, "coach" },
    { KOERS_CASELOAD_SORT_NEXT_ACTION, "next action" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    for (int descending = 0; descending <= 1; descending++)
      {
        g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

        for (int round = 0; round < rounds; round++)
          {
            gint64 start;
            double ms;

            /* From another order each time, as a click is. */
            koers_caseload_model_set_sort (model, columns[(c + 1) % G_N_ELEMENTS (columns)].sort,
                                           FALSE);
            wait_until_settled (model);
            start = g_get_monotonic_time ();
            koers_caseload_model_set_sort (model, columns[c].sort, descending);
            ms = settled_after (model, start);
            g_array_append_val (times, ms);
          }
        g_print ("sort by %-12s %-4s: median %7.1f ms, max %7.1f ms (%d clicks)\n",
                 columns[c].name, descending ? "down" : "up", bench_percentile (times, 0.5),
                 bench_percentile (times, 1.0), rounds);
      }
}

/* (transfer full) the id of the first coach by name, for the coach filter. */
static char *
first_coach_id (KoersStore *store)
{
  KoersDatabase *db = koers_store_get_reader (store);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = koers_database_prepare (db, "SELECT id FROM coach WHERE deleted = 0 "
                                                   "ORDER BY name LIMIT 1", &error);
  gboolean has_row = FALSE;
  char *id = NULL;

  if (stmt != NULL && koers_database_step (db, stmt, &has_row, &error) && has_row)
    id = g_strdup (koers_column_text (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  if (id == NULL)
    g_error ("no coach in the database");
  return id;
}

/* Each filter chosen from the whole list, @rounds times, in two orders; prints the median and
 * the slowest choice per filter. */
static void
time_filters (KoersStore *store, KoersCaseloadModel *model, int rounds)
{
  static const KoersCaseloadSort orders[] = {
    KOERS_CASELOAD_SORT_NAME, KOERS_CASELOAD_SORT_NEXT_ACTION,
  };
  g_autofree char *coach_id = first_coach_id (store);

  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    for (guint f = 0; f < 5; f++)
      {
        static const char *const names[] = {
          "status active", "target group", "municipality", "project line 1", "one coach",
        };
        g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
        guint matches = 0;

        for (int round = 0; round < rounds; round++)
          {
            KoersCaseloadQuery query;
            gint64 start;
            double ms;

            koers_caseload_query_init (&query);
            query.sort = orders[o];
            koers_caseload_model_set_query (model, &query);
            wait_until_settled (model);
            switch (f)
              {
              case 0: query.status = KOERS_STATUS_ACTIVE; break;
              case 1: query.target_group = KOERS_TARGET_GROUP_STATUSHOLDER; break;
              case 2: query.municipality = KOERS_MUNICIPALITY_DOETINCHEM; break;
              case 3: query.project_line = 1; break;
              default: query.coach_id = g_strdup (coach_id); break;
              }
            start = g_get_monotonic_time ();
            koers_caseload_model_set_query (model, &query);
            ms = settled_after (model, start);
            g_array_append_val (times, ms);
            matches = g_list_model_get_n_items (G_LIST_MODEL (model));
            koers_caseload_query_clear (&query);
          }
        g_print ("filter %-15s by %-11s: median %7.1f ms, max %7.1f ms (%u rows, %d times)\n",
                 names[f], orders[o] == KOERS_CASELOAD_SORT_NAME ? "name" : "next action",
                 bench_percentile (times, 0.5), bench_percentile (times, 1.0), matches, rounds);
      }
}

int
main (int argc, char *argv[])
{
  /* A mix a coach would type: Dutch surnames, an accent-less Turkish one, Arabic script,
   * Polish, a short prefix and a miss. */
  static const char *queries[] = {
    "jansen", "de vries", "ozdemir", "محمد", "wisniewski", "tesfay", "bus", "zzzz",
  };
  g_autofree char *database = NULL;
  g_autofree char *cache_dir = NULL;
  int rounds = 5;
  int participants = -1;
  int notes = -1;
  int seed = 1;
  gboolean during_kpi = FALSE;
  gboolean during_kpi_on_writer = FALSE;
  gboolean sort = FALSE;
  gboolean filters = FALSE;
  KpiLoop loop = { 0 };
  GOptionEntry entries[] = {
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, "Populated database", "FILE" },
    { "participants", 0, 0, G_OPTION_ARG_INT, &participants,
      "Instead of --database: a demo database of N participants (made once, cached)", "N" },
    { "notes", 0, 0, G_OPTION_ARG_INT, &notes, "Its notes in total (default 2-6 each)", "M" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Its seed (default 1)", "S" },
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir,
      "Where demo databases are kept (default ~/.cache/koers-bench)", "DIR" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Times each query is typed (default 5)", "N" },
    { "during-kpi", 0, 0, G_OPTION_ARG_NONE, &during_kpi,
      "Type while the KPIs are computed again and again (aggregate-read worker)", NULL },
    { "during-kpi-on-writer", 0, 0, G_OPTION_ARG_NONE, &during_kpi_on_writer,
      "The same on the writing worker (how the KPIs ran before)", NULL },
    { "sort", 0, 0, G_OPTION_ARG_NONE, &sort,
      "Time a click on each column header instead of typing", NULL },
    { "filters", 0, 0, G_OPTION_ARG_NONE, &filters,
      "Time choosing each filter instead of typing", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- search-as-you-type benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersStore) store = NULL;
  g_autoptr(KoersCaseloadModel) model = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GHashTable) worst = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  koers_i18n_init ();
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if ((database == NULL) == (participants < 0) || seed < 0 || rounds < 1 || rounds > 1000)
    {
      g_printerr ("one of --database or --participants is required; --rounds 1..1000\n");
      return 2;
    }
  if (database == NULL)
    database = bench_demo_database (NULL, cache_dir, (guint) participants, notes, (guint) seed);

  store = koers_store_new (database, "benchmark", &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  model = koers_caseload_model_new (store);
  wait_until_settled (model);
  g_print ("%u participants in the caseload\n", g_list_model_get_n_items (G_LIST_MODEL (model)));
  if (sort)
    {
      time_sorts (model, rounds);
      return 0;
    }
  if (filters)
    {
      time_filters (store, model, rounds);
      return 0;
    }

  if (during_kpi || during_kpi_on_writer)
    {
      loop.store = store;
      loop.on_writer = during_kpi_on_writer;
      loop.durations = g_array_new (FALSE, FALSE, sizeof (double));
      kpi_loop_next (&loop);
      /* Typing starts with a computation in flight, as after a write. */
      g_usleep (20 * 1000);
    }

  for (int round = 0; round < rounds; round++)
    for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
      {
        const char *query = queries[q];
        const char *end = query;

        while (*end != '\0')
          {
            g_autofree char *typed = NULL;
            gint64 start;
            double ms;

            end = g_utf8_next_char (end);
            typed = g_strndup (query, end - query);
            /* Beside the KPIs, keys come at a fast typist's pace, so they fall all over the
             * computations instead of all before the first one ends. */
            if (loop.durations != NULL)
              {
                gint64 next = g_get_monotonic_time () + KEY_INTERVAL_MS * 1000;

                while (g_get_monotonic_time () < next)
                  {
                    g_main_context_iteration (NULL, FALSE);
                    g_usleep (1000);
                  }
              }
            start = g_get_monotonic_time ();
            koers_caseload_model_set_search (model, typed);
            ms = settled_after (model, start);
            g_array_append_val (latencies, ms);
            {
              double *previous = g_hash_table_lookup (worst, typed);

              if (previous == NULL || *previous < ms)
                g_hash_table_insert (worst, g_strdup (typed), g_memdup2 (&ms, sizeof ms));
            }
          }
        koers_caseload_model_set_search (model, "");
        wait_until_settled (model);
      }

  /* Which prefixes cost the most, so a slow p99 points at its cause. */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, worst);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (*(double *) value > 8.0)
        g_print ("  slowest for \"%s\": %.2f ms\n", (char *) key, *(double *) value);
  }

  if (loop.durations != NULL)
    {
      guint before = loop.durations->len;

      /* The computation in flight ends before the store does. */
      loop.stop = TRUE;
      while (loop.durations->len == before)
        g_main_context_iteration (NULL, TRUE);
      g_print ("KPIs computed %u times beside the typing (%s): p50 %.0f ms, max %.0f ms; "
               "guided %u/%u/%u, ended %u, flowed on %u, proeverijen %u\n",
               loop.durations->len, loop.on_writer ? "writing worker" : "aggregate-read worker",
               bench_percentile (loop.durations, 0.5), bench_percentile (loop.durations, 1.0),
               loop.last.guided[0], loop.last.guided[1], loop.last.guided[2], loop.last.ended,
               loop.last.flowed_on, loop.last.proeverijen);
      g_array_unref (loop.durations);
    }

  g_print ("%u keystrokes: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms "
           "(target: p99 <= 16 ms, one frame)\n",
           latencies->len, bench_percentile (latencies, 0.5), bench_percentile (latencies, 0.9),
           bench_percentile (latencies, 0.99), bench_percentile (latencies, 1.0));
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-search: search-as-you-type latency on a populated database.
 *
 * Types queries one character at a time into the same KoersCaseloadModel the caseload page
 * uses and times each keystroke from koers_caseload_model_set_search() until the model has
 * settled ("loading" FALSE, items-changed emitted) and the first 40 rows (a screenful) have
 * been materialised, as the view would. The target is one frame: p99 <= 16 ms.
 *
 *   bench-search --database demo.db [--rounds 5]
 */
#include "config.h"

#include "app/koers-caseload-model.h"
#include "app/koers-store.h"
#include "core/koers-i18n.h"

#define SCREENFUL 40

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

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted, double p)
{
  guint index = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, index);
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
  int rounds = 5;
  GOptionEntry entries[] = {
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, "Populated database", "FILE" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Times each query is typed (default 5)", "N" },
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
  if (database == NULL || rounds < 1 || rounds > 1000)
    {
      g_printerr ("--database is required; --rounds 1..1000\n");
      return 2;
    }

  store = koers_store_new (database, "benchmark", &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  model = koers_caseload_model_new (store);
  wait_until_settled (model);
  g_print ("%u participants in the caseload\n", g_list_model_get_n_items (G_LIST_MODEL (model)));

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
            guint n;

            end = g_utf8_next_char (end);
            typed = g_strndup (query, end - query);
            start = g_get_monotonic_time ();
            koers_caseload_model_set_search (model, typed);
            wait_until_settled (model);
            n = MIN (g_list_model_get_n_items (G_LIST_MODEL (model)), SCREENFUL);
            for (guint i = 0; i < n; i++)
              g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
            ms = (g_get_monotonic_time () - start) / 1000.0;
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

  g_array_sort (latencies, compare_doubles);
  g_print ("%u keystrokes: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms "
           "(target: p99 <= 16 ms, one frame)\n",
           latencies->len, percentile (latencies, 0.5), percentile (latencies, 0.9),
           percentile (latencies, 0.99), g_array_index (latencies, double, latencies->len - 1));
  return 0;
}

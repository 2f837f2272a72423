/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-startup: cold start to first frame, Koers against the bare-window floor, side by side.
 *
 * Runs the two programs alternately (so machine noise hits both alike), timing from just before
 * the spawn to the moment the child prints its marker line ("first-frame" for the floor,
 * "first-populated-frame" for koers, which prints it when KOERS_BENCHMARK=first-populated-frame
 * and the first frame showing caseload rows is painted). Peak RSS (the kernel's high-water
 * mark of the whole process, VmHWM) comes from wait4(). Benchmarks are a Linux development tool:
 * POSIX calls are fine here, never in src/.
 *
 *   bench-startup --koers _build/src/koers --bare _build/benchmarks/bench-bare-window \
 *                 (--database demo.db | --participants N [--notes M] [--seed S]) [--runs 7]
 *
 * With --participants the database is made once by `koers-cli demo` (the --cli next to
 * --koers unless given) and kept in ~/.cache/koers-bench, named by its size, seed and schema
 * version, so later runs and the other benchmarks reuse it.
 */
#include "config.h"

#include <glib.h>

#include "bench-demo-db.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct {
  double seconds;
  double cpu_seconds;   /* user + system of the whole process: steadier than wall time on a busy machine */
  long   max_rss_kib;
  gboolean ok;
} RunResult;

static RunResult
run_once (const char *program, const char *marker, const char *database)
{
  RunResult result = { 0 };
  int fds[2];
  posix_spawn_file_actions_t actions;
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  char *argv[] = { (char *) program, NULL };
  pid_t pid;
  gint64 start;
  g_autoptr(GString) line = g_string_new (NULL);
  char c;
  int status;
  struct rusage usage;

  for (char **e = environ; *e != NULL; e++)
    if (!g_str_has_prefix (*e, "KOERS_DATABASE=") && !g_str_has_prefix (*e, "KOERS_BENCHMARK="))
      g_ptr_array_add (env, g_strdup (*e));
  g_ptr_array_add (env, g_strdup_printf ("KOERS_DATABASE=%s", database));
  g_ptr_array_add (env, g_strdup ("KOERS_BENCHMARK=first-populated-frame"));
  g_ptr_array_add (env, NULL);

  if (pipe (fds) != 0)
    g_error ("pipe: %s", g_strerror (errno));
  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_adddup2 (&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose (&actions, fds[0]);

  start = g_get_monotonic_time ();
  if (posix_spawn (&pid, program, &actions, NULL, argv, (char **) env->pdata) != 0)
    g_error ("cannot start %s: %s", program, g_strerror (errno));
  close (fds[1]);
  posix_spawn_file_actions_destroy (&actions);

  while (read (fds[0], &c, 1) == 1)
    {
      if (c != '\n')
        {
          g_string_append_c (line, c);
          continue;
        }
      if (g_str_equal (line->str, marker))
        {
          result.seconds = (g_get_monotonic_time () - start) / 1e6;
          result.ok = TRUE;
          break;
        }
      g_string_truncate (line, 0);
    }
  close (fds[0]);

  /* The child quits by itself after the marker; a stuck one is stopped. */
  for (int waited = 0; waited < 100; waited++)
    {
      if (wait4 (pid, &status, WNOHANG, &usage) == pid)
        goto reaped;
      g_usleep (50000);
    }
  kill (pid, SIGKILL);
  wait4 (pid, &status, 0, &usage);
reaped:
  result.max_rss_kib = usage.ru_maxrss;
  result.cpu_seconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                       usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  return result;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

int
main (int argc, char *argv[])
{
  g_autofree char *koers = NULL;
  g_autofree char *bare = NULL;
  g_autofree char *database = NULL;
  g_autofree char *cli = NULL;
  g_autofree char *cache_dir = NULL;
  int runs = 7;
  int participants = -1;
  int notes = -1;
  int seed = 1;
  GOptionEntry entries[] = {
    { "koers", 0, 0, G_OPTION_ARG_FILENAME, &koers, "Path to the koers executable", "PATH" },
    { "bare", 0, 0, G_OPTION_ARG_FILENAME, &bare, "Path to bench-bare-window", "PATH" },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database, "Populated database", "FILE" },
    { "participants", 0, 0, G_OPTION_ARG_INT, &participants,
      "Instead of --database: a demo database of N participants (made once, cached)", "N" },
    { "notes", 0, 0, G_OPTION_ARG_INT, &notes, "Its notes in total (default 2-6 each)", "M" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Its seed (default 1)", "S" },
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &cli, "koers-cli (default: next to --koers)", "PATH" },
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir,
      "Where demo databases are kept (default ~/.cache/koers-bench)", "DIR" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of each (odd; default 7)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- start-up benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) koers_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) koers_rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare_rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) koers_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  double koers_median, bare_median;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (koers == NULL || bare == NULL || (database == NULL) == (participants < 0) || seed < 0
      || runs < 1 || runs > 101)
    {
      g_printerr ("--koers, --bare and one of --database or --participants are required; "
                  "--runs 1..101\n");
      return 2;
    }
  if (database == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (koers);

      if (cli == NULL)
        cli = g_build_filename (dir, "koers-cli", NULL);
      database = bench_demo_database (cli, cache_dir, (guint) participants, notes, (guint) seed);
    }
  g_print ("database %s (%ld MiB)\n", database, bench_file_size_mib (database));

  /* One warm-up of each so both start from a warm page cache: we compare the programs, not
   * the disk. */
  run_once (bare, "first-frame", database);
  run_once (koers, "first-populated-frame", database);

  for (int i = 0; i < runs; i++)
    {
      RunResult b = run_once (bare, "first-frame", database);
      RunResult k = run_once (koers, "first-populated-frame", database);
      double brss = b.max_rss_kib / 1024.0, krss = k.max_rss_kib / 1024.0;

      if (!b.ok || !k.ok)
        {
          g_printerr ("run %d: %s did not report its first frame\n", i + 1,
                      !b.ok ? "bare window" : "koers");
          return 1;
        }
      g_array_append_val (bare_times, b.seconds);
      g_array_append_val (koers_times, k.seconds);
      g_array_append_val (bare_rss, brss);
      g_array_append_val (koers_rss, krss);
      g_array_append_val (bare_cpu, b.cpu_seconds);
      g_array_append_val (koers_cpu, k.cpu_seconds);
      g_print ("run %d: bare %.0f ms (cpu %.0f ms, %.0f MiB)  koers %.0f ms (cpu %.0f ms, "
               "%.0f MiB)\n", i + 1, b.seconds * 1000, b.cpu_seconds * 1000, brss,
               k.seconds * 1000, k.cpu_seconds * 1000, krss);
    }

  bare_median = median (bare_times);
  koers_median = median (koers_times);
  g_print ("median of %d: bare window %.0f ms, koers %.0f ms, ratio %.2f (target <= 1.25); "
           "peak RSS median bare %.0f MiB, koers %.0f MiB (target <= 150 MiB)\n",
           runs, bare_median * 1000, koers_median * 1000, koers_median / bare_median,
           median (bare_rss), median (koers_rss));
  /* CPU time runs to the process's exit, a little past the first frame, for both alike. */
  g_print ("median CPU time to exit: bare window %.0f ms, koers %.0f ms, ratio %.2f\n",
           median (bare_cpu) * 1000, median (koers_cpu) * 1000,
           median (koers_cpu) / median (bare_cpu));
  return 0;
}

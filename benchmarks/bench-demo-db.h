/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-demo-db.h: what the benchmarks share: a demo database made once by `koers-cli demo`
 * and kept in a cache, percentiles, letting a window settle, and timing a child process.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns (transfer full) the path of a demo database of @participants and @notes (-1: the
 * demo's default of 2-6 each) made with @seed by @cli on first use and kept in @cache_dir
 * (NULL: ~/.cache/koers-bench), named by its size, seed and the schema version, so a run never
 * migrates it. @cli NULL: the koers-cli of this build. */
char   *bench_demo_database (const char *cli, const char *cache_dir, guint participants,
                             int notes, guint seed);
/* The file's size in MiB, -1 when it cannot be read. */
long    bench_file_size_mib (const char *path);
/* Sorts @values (double) and returns the @p quantile (0..1), nearest rank. */
double  bench_percentile (GArray *values, double p);
/* Sorts @values and returns their median (the mean of the middle two for an even @n). */
double  bench_median     (double *values, guint n);
/* Runs the default main context for @ms (a window's first frames, idle work). */
void    bench_spin_for (guint ms);

typedef struct {
  double wall_ms;
  double cpu_ms;    /* user + system, of the child and the descendants it waited for */
  double peak_mib;  /* ru_maxrss: the largest of those processes */
} BenchChildRun;

/* Runs @argv (searched in PATH, output to /dev/null) to its end and ends the program when it
 * fails; wall time from just before the spawn, CPU time and peak RSS from wait4(). */
BenchChildRun bench_run_child (const char *const *argv);
/* Each field's median over @n runs (bench_median()). */
BenchChildRun bench_child_runs_median (const BenchChildRun *runs, guint n);

G_END_DECLS

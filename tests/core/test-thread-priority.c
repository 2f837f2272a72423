/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Background work yields to the window (core/koers-thread-priority.h): on Linux the calling
 * thread's niceness goes up, the rest of the process keeps its own, and a thread started
 * afterwards inherits it (the sync's applier thread relies on that).
 */
#include "config.h"

#include "core/koers-thread-priority.h"

#ifdef __linux__
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static int
own_nice (void)
{
  errno = 0;
  return getpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid));
}

static gpointer
report_nice (gpointer data)
{
  return GINT_TO_POINTER (own_nice ());
}

static gpointer
lower_then_start (gpointer data)
{
  g_autoptr(GError) error = NULL;
  int *seen = data;

  g_assert_true (koers_thread_lower_priority (&error));
  g_assert_no_error (error);
  seen[0] = own_nice ();
  seen[1] = GPOINTER_TO_INT (g_thread_join (g_thread_new ("child", report_nice, NULL)));
  return NULL;
}
#endif

static void
test_lower (void)
{
#ifdef __linux__
  int before = own_nice ();
  int seen[2] = { 0, 0 };

  g_thread_join (g_thread_new ("background", lower_then_start, seen));
  g_assert_cmpint (seen[0], >, before);
  g_assert_cmpint (seen[1], ==, seen[0]);
  /* Only that thread and what it started: this one is as it was. */
  g_assert_cmpint (own_nice (), ==, before);
#else
  g_assert_true (koers_thread_lower_priority (NULL));
#endif
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/thread-priority/lower", test_lower);
  return g_test_run ();
}

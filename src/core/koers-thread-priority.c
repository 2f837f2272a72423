/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/koers-thread-priority.h"

#include <gio/gio.h>

#ifdef G_OS_WIN32
#include <windows.h>
#elif defined(__linux__)
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/* Linux: the niceness of one thread (it is per thread there, and a thread this one starts
 * inherits it). 10 leaves the work a core the window does not use and makes it yield when the
 * window needs one. */
#define BACKGROUND_NICE 10

/**
 * koers_thread_lower_priority:
 * @error: why the platform refused (a sandbox may)
 *
 * Lowers the calling thread's scheduling priority for long background work (a first sync keeps
 * a core busy for seconds to minutes: on a two-core laptop the window's thread and the display
 * server then wait their turn behind it). Threads the calling thread starts afterwards inherit
 * it on Linux; elsewhere it is the calling thread's only. Best effort: callers go on without.
 *
 * Returns: TRUE when lowered (or nothing to do on this platform)
 */
gboolean
koers_thread_lower_priority (GError **error)
{
#ifdef G_OS_WIN32
  if (!SetThreadPriority (GetCurrentThread (), THREAD_PRIORITY_BELOW_NORMAL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SetThreadPriority failed (%lu)",
                   (unsigned long) GetLastError ());
      return FALSE;
    }
  return TRUE;
#elif defined(__linux__)
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), BACKGROUND_NICE) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s",
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
#else
  (void) error;
  return TRUE;
#endif
}

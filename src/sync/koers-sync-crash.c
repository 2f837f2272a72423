/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sync/koers-sync-crash.h"

#ifdef G_OS_WIN32
#include <windows.h>
#else
#include <signal.h>
#endif

#include <string.h>

typedef struct {
  char   *name;    /* NULL: no crash point set */
  guint64 nth;     /* the call that crashes, from 1 */
} CrashPoint;

static CrashPoint *
crash_point_get (void)
{
  static CrashPoint *point = NULL;

  /* Read once: the environment is not to be consulted on every call of a hot loop. */
  if (g_once_init_enter (&point))
    {
      CrashPoint *found = g_new0 (CrashPoint, 1);
      const char *value = g_getenv ("KOERS_SYNC_CRASH_POINT");

      found->nth = 1;
      if (value != NULL && *value != '\0')
        {
          const char *at = strchr (value, '@');
          guint64 nth = 0;

          found->name = at != NULL ? g_strndup (value, (gsize) (at - value)) : g_strdup (value);
          if (at != NULL && g_ascii_string_to_unsigned (at + 1, 10, 1, G_MAXUINT64, &nth, NULL))
            found->nth = nth;
        }
      g_once_init_leave (&point, found);
    }
  return point;
}

void
koers_sync_crash_point (const char *name)
{
  static guint64 reached = 0;
  CrashPoint *point = crash_point_get ();

  if (point->name == NULL || name == NULL || strcmp (point->name, name) != 0)
    return;
  if (++reached < point->nth)
    return;
#ifdef G_OS_WIN32
  TerminateProcess (GetCurrentProcess (), 137);
#else
  raise (SIGKILL);
#endif
}

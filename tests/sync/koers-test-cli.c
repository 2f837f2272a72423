/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "koers-test-cli.h"

#include "koers-test-helpers.h"

#include <string.h>

void
koers_test_cli_run_clear (KoersTestCliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  memset (run, 0, sizeof *run);
}

void
koers_test_peer_release_snapshot (KoersTestPeer *peer)
{
  sqlite3 *handle = koers_database_get_handle (peer->db);

  for (sqlite3_stmt *stmt = sqlite3_next_stmt (handle, NULL); stmt != NULL;
       stmt = sqlite3_next_stmt (handle, stmt))
    sqlite3_reset (stmt);
}

static void
communicate_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KoersTestCliRun *run = user_data;
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->exited = g_subprocess_get_if_exited (process);
  run->status = run->exited ? g_subprocess_get_exit_status (process) : -1;
  run->term_sig = g_subprocess_get_if_signaled (process) ? g_subprocess_get_term_sig (process)
                                                         : 0;
  run->done = TRUE;
}

void
koers_test_cli_sync_start (KoersTestPeer *peer, const char *url, const char *crash_point,
                           const char *faketime, guint page_size, KoersTestCliRun *run)
{
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *token_file = g_build_filename (dir, "token", NULL);
  g_autofree char *token = koers_token_source_dup_access_token (KOERS_TOKEN_SOURCE (peer->tokens));
  g_autofree char *pages = g_strdup_printf ("%u", page_size);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("KOERS_CLI");

  g_assert_nonnull (cli);
  g_assert_true (g_file_set_contents_full (token_file, token, -1, G_FILE_SET_CONTENTS_NONE,
                                           0600, &error));
  g_assert_no_error (error);
  koers_test_peer_release_snapshot (peer);
  if (faketime != NULL)
    {
      g_autofree char *program = g_find_program_in_path ("faketime");

      if (program == NULL)
        g_error ("faketime is not installed (Debian package faketime; .ci/run installs it)");
      g_ptr_array_add (argv, (gpointer) "faketime");
      g_ptr_array_add (argv, (gpointer) "-f");
      g_ptr_array_add (argv, (gpointer) faketime);
    }
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, peer->path);
  g_ptr_array_add (argv, (gpointer) "sync");
  g_ptr_array_add (argv, (gpointer) "--server");
  g_ptr_array_add (argv, (gpointer) url);
  g_ptr_array_add (argv, (gpointer) "--token-file");
  g_ptr_array_add (argv, token_file);
  g_ptr_array_add (argv, (gpointer) "--page-size");
  g_ptr_array_add (argv, pages);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (crash_point != NULL)
    g_subprocess_launcher_setenv (launcher, "KOERS_SYNC_CRASH_POINT", crash_point, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "KOERS_SYNC_CRASH_POINT");
  if (faketime != NULL)
    {
      /* libfaketime is preloaded ahead of the sanitizer runtime in sanitizer builds. */
      const char *asan = g_getenv ("ASAN_OPTIONS");
      g_autofree char *options = g_strdup_printf ("%s%sverify_asan_link_order=0",
                                                  asan != NULL ? asan : "",
                                                  asan != NULL && *asan != '\0' ? ":" : "");

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, run);
}

void
koers_test_cli_sync (KoersTestPeer *peer, const char *url, const char *crash_point,
                     const char *faketime, guint page_size, KoersTestCliRun *run)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  koers_test_cli_sync_start (peer, url, crash_point, faketime, page_size, run);
  while (!run->done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  koers_test_peer_release_snapshot (peer);
}

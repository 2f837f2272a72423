/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `koers-cli sync` as a script runs it: a separate process against the in-process server
 * (the test's main context serves while the command runs).
 */
#include "config.h"

#include "koers-test-server.h"

#include "koers-test-helpers.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  char    *out;
  char    *err;
  int      status;
  gboolean done;
} CliRun;

static void
communicate_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CliRun *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  run->done = TRUE;
}

static void
run_cli (CliRun *run, const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                     | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, run);
  while (!run->done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_cli_sync (void)
{
  g_autoptr(KoersTestServer) server = koers_test_server_new (KOERS_SERVER_DB_SQLITE);
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *db = g_build_filename (dir, "koers.db", NULL);
  g_autofree char *token_file = g_build_filename (dir, "token", NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("KOERS_CLI");
  const char *argv[] = { cli, "--database", db, "sync", "--server", url, "--token-file",
                         token_file, NULL };
  CliRun first = { 0 }, leaky = { 0 };

  g_assert_nonnull (cli);
  id = koers_test_server_add_participant (server, KOERS_TEST_A_COACH,
                                          server->users[KOERS_TEST_A_COACH].user_id,
                                          "Cli Deelnemer");
  g_assert_true (g_file_set_contents_full (token_file,
                                           koers_test_server_token (server, KOERS_TEST_A_COACH),
                                           -1, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_no_error (error);
  run_cli (&first, argv);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_nonnull (strstr (first.out, "pulled: 1\n"));
  g_assert_nonnull (strstr (first.out, "initial sync complete: yes"));
  /* The token never appears in what the command prints. */
  g_assert_null (strstr (first.out, koers_test_server_token (server, KOERS_TEST_A_COACH)));

  /* A token file others may read is refused before anything is sent. */
  g_assert_cmpint (g_chmod (token_file, 0644), ==, 0);
  run_cli (&leaky, argv);
  g_assert_cmpint (leaky.status, ==, 1);
  g_assert_nonnull (strstr (leaky.err, "chmod 600"));

  /* At most 16 KiB: the token on its first line, then padding to the limit, is read; one
   * byte more is refused before anything is sent. */
  g_assert_cmpint (g_chmod (token_file, 0600), ==, 0);
  for (guint extra = 0; extra < 2; extra++)
    {
      g_autoptr(GString) contents = g_string_new (koers_test_server_token (server,
                                                                           KOERS_TEST_A_COACH));
      CliRun padded = { 0 };

      g_string_append_c (contents, '\n');
      while (contents->len < 16 * 1024 + extra)
        g_string_append_c (contents, '#');
      g_assert_true (g_file_set_contents_full (token_file, contents->str,
                                               (gssize) contents->len,
                                               G_FILE_SET_CONTENTS_NONE, 0600, &error));
      g_assert_no_error (error);
      run_cli (&padded, argv);
      g_assert_cmpint (padded.status, ==, extra == 0 ? 0 : 1);
      if (extra == 1)
        g_assert_nonnull (strstr (padded.err, "larger than 16 KiB"));
      g_free (padded.out);
      g_free (padded.err);
    }

  g_free (first.out);
  g_free (first.err);
  g_free (leaky.out);
  g_free (leaky.err);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/cli/sync", test_cli_sync);
  return g_test_run ();
}

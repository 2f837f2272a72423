/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-cli sync: one sync run against a regional server, headless (tests, scripts, the
 * benchmark). The bearer token comes from a file only its owner can read: on the command line
 * it would show in `ps` and in shell history.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cli/koers-cli-commands.h"

#include "storage/koers-database.h"
#include "sync/koers-sign-in.h"
#include "sync/koers-sync-client.h"
#include "sync/koers-sync-schema.h"

#include <errno.h>
#include <sys/stat.h>
#include <string.h>

/* A token file holds one access token (Koers's are 43 characters, other servers' signed
 * tokens a few KiB); anything bigger is not a token file and is not read. */
#define TOKEN_FILE_MAX_BYTES (16 * 1024)

/* Reads the first line of @path; refuses a file others may read. (transfer full) */
static char *
read_token_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  GStatBuf info;
  char *newline;

  if (g_stat (path, &info) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot read the token file %s: %s"), path, g_strerror (saved));
      return NULL;
    }
  /* A folder or a device would otherwise be refused as "may be read by others", or read on
   * without end (/dev/zero). */
  if (!S_ISREG (info.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("The token file %s is not a file"), path);
      return NULL;
    }
#ifndef G_OS_WIN32
  if ((info.st_mode & 077) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                   _("The token file %s may be read by others; make it private first "
                     "(chmod 600)"), path);
      return NULL;
    }
#endif
  if (info.st_size > TOKEN_FILE_MAX_BYTES)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("The token file %s is larger than %d KiB: it should hold one access token"),
                   path, TOKEN_FILE_MAX_BYTES / 1024);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  newline = strpbrk (contents, "\r\n");
  if (newline != NULL)
    *newline = '\0';
  g_strstrip (contents);
  if (*contents == '\0')
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("The token file %s is empty"),
                   path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

typedef struct {
  GMainLoop         *loop;
  KoersSyncRunStats  stats;
  GError            *error;
} SyncRun;

static void
sync_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SyncRun *run = user_data;

  koers_sync_client_sync_finish (KOERS_SYNC_CLIENT (object), result, &run->stats, &run->error);
  g_main_loop_quit (run->loop);
}

int
koers_cli_sync (KoersCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersMemoryTokenSource) tokens = NULL;
  g_autoptr(KoersSyncClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *server = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *token = NULL;
  g_autofree char *pending = NULL;
  gboolean upload_local = FALSE;
  int page_size = 500;
  SyncRun run = { 0 };
  guint queued = 0;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("Address of the regional server, e.g. https://api.example.nl"), N_("URL") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file,
      N_("File (mode 600) whose first line is the access token"), N_("FILE") },
    { "upload-local", 0, 0, G_OPTION_ARG_NONE, &upload_local,
      N_("Also send the records this database holds that the server has never seen"), NULL },
    { "page-size", 0, 0, G_OPTION_ARG_INT, &page_size,
      N_("Records per pull page (1-500)"), N_("N") },
    { NULL },
  };

  g_return_val_if_fail (cli != NULL, KOERS_CLI_EXIT_USAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Runs one sync with the regional server: sends the changes "
                                  "waiting in the outbox, then fetches what changed on the "
                                  "server. Prints how many changes went up and came down, "
                                  "conflicts and refused changes."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  koers_cli_add_common_options (cli, context);
  if (!koers_cli_parse (context, "sync", &argc, &argv))
    return KOERS_CLI_EXIT_USAGE;
  if (server == NULL || token_file == NULL)
    return koers_cli_fail ("sync", KOERS_CLI_EXIT_USAGE, "%s",
                           _("--server and --token-file are required"));
  if (page_size < 1 || page_size > 500)
    return koers_cli_fail ("sync", KOERS_CLI_EXIT_USAGE, "%s",
                           _("--page-size must be between 1 and 500"));
  /* The window's rules (https; http only to this computer, as the token would travel in the
   * clear; no password in it), checked before the database is opened and changed. */
  server_url = koers_sign_in_normalize_server_url (server, &error);
  if (server_url == NULL)
    return koers_cli_fail ("sync", KOERS_CLI_EXIT_USAGE, "--server: %s", error->message);
  token = read_token_file (token_file, &error);
  if (token == NULL)
    return koers_cli_fail ("sync", KOERS_CLI_EXIT_FAILURE, "%s", error->message);

  if (koers_cli_refuse_emptied (cli, "sync"))
    return KOERS_CLI_EXIT_FAILURE;
  db = koers_database_open (koers_cli_get_database_path (cli), KOERS_DATABASE_OPEN_DEFAULT,
                            &error);
  if (db == NULL
      || !koers_sync_schema_install (db, &error)
      || !koers_sync_schema_set_capture (db, TRUE, &error)
      || (upload_local && !koers_sync_schema_enqueue_all (db, &queued, &error)))
    return koers_cli_fail ("sync", KOERS_CLI_EXIT_FAILURE, "%s", error->message);

  tokens = koers_memory_token_source_new (token, NULL);
  client = koers_sync_client_new (db, server_url, KOERS_TOKEN_SOURCE (tokens));
  koers_sync_client_set_page_size (client, (guint) page_size);
  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  koers_sync_client_sync_async (client, NULL, sync_done_cb, &run);
  g_main_loop_run (loop);
  if (run.error != NULL)
    {
      int code = koers_cli_fail ("sync", KOERS_CLI_EXIT_FAILURE, "%s", run.error->message);

      g_error_free (run.error);
      return code;
    }

  if (upload_local)
    g_print (_("queued from this database: %u\n"), queued);
  g_print (_("pushed: %u\npulled: %u\nconflicts: %u\nquarantined: %u\n"), run.stats.pushed,
           run.stats.pulled, run.stats.conflicts, run.stats.quarantined);
  /* Numbers as text first: xgettext cannot expand G_GINT64_FORMAT inside a msgid. */
  pending = g_strdup_printf ("%" G_GINT64_FORMAT, koers_sync_client_get_pending_count (client));
  g_print (_("still waiting: %s\ninitial sync complete: %s\n"), pending,
           koers_sync_client_get_initial_sync_complete (client) ? _("yes") : _("no"));
  if (koers_sync_client_get_clock_skewed (client))
    {
      g_autofree char *offset = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 koers_sync_client_get_clock_offset (client));

      g_printerr (_("koers-cli sync: this computer's clock differs from the server's by %s "
                    "seconds\n"), offset);
    }
  return KOERS_CLI_EXIT_OK;
}

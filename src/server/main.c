/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-server: the reference regional API.
 *
 *   koers-server [--database FILE.db|postgresql://...] [--listen ADDRESS:PORT]
 *                [--vertrouwde-proxy ADDRESS ...]
 *   koers-server [--database ...] admin SUBCOMMAND ...
 *
 * Serves plain HTTP on loopback by default: in production a reverse proxy terminates TLS in
 * front of one or more koers-server processes. Name that proxy with --vertrouwde-proxy so the
 * failed-login back-off counts the client it forwards (X-Forwarded-For), not the proxy: else
 * every login shares the proxy's address (docs/api-protocol.md, "Deployment").
 */
#include "config.h"

#include <glib/gi18n.h>
#ifdef G_OS_UNIX
#include <glib-unix.h>
#endif

#include "server/koers-server.h"
#include "server/koers-server-admin.h"
#include "server/koers-server-engine.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_DATABASE "koers-server.db"
#define DEFAULT_LISTEN   "127.0.0.1:8080"

/* Splits "127.0.0.1:8080" or "[::1]:8080" into address and port. */
static gboolean
parse_listen (const char  *text,
              char       **out_address,
              guint       *out_port,
              GError     **error)
{
  const char *colon = strrchr (text, ':');
  g_autofree char *address = NULL;
  guint64 port = 0;

  if (colon == NULL || colon == text
      || !g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &port, NULL))
    goto bad;

  if (text[0] == '[')
    {
      if (colon[-1] != ']' || colon - text < 3)
        goto bad;
      address = g_strndup (text + 1, colon - text - 2);
    }
  else
    address = g_strndup (text, colon - text);

  *out_address = g_steal_pointer (&address);
  *out_port = (guint) port;
  return TRUE;

bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--listen wants ADDRESS:PORT, e.g. 127.0.0.1:8080, not “%s”"), text);
  return FALSE;
}

#ifdef G_OS_UNIX
static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}
#endif

/* Each --vertrouwde-proxy must be an IP address as the peer address is written (that is what
 * koers_server_auth_set_trusted_proxies compares): a host name would never match. */
static gboolean
check_proxies (char   **proxies,
               GError **error)
{
  for (guint i = 0; proxies != NULL && proxies[i] != NULL; i++)
    {
      g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (proxies[i]);
      g_autofree char *canonical = NULL;

      if (inet == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--vertrouwde-proxy wants an IP address, e.g. 127.0.0.1, not “%s”"),
                       proxies[i]);
          return FALSE;
        }
      /* "::0001" and "::1" are the same peer: compare in the form the peer is printed. */
      canonical = g_inet_address_to_string (inet);
      g_free (proxies[i]);
      proxies[i] = g_steal_pointer (&canonical);
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *address = NULL;
  g_auto (GStrv) proxies = NULL;
  /* -1 is the server's "one per processor"; G_MININT tells that --lezers was not given, so a
   * typed -1 is refused like any other count outside 0 to 64. */
  int readers = G_MININT;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  KoersServerDb *db;
  guint port = 0;
  guint bound_port = 0;
  int status = EXIT_SUCCESS;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_STRING, &database,
      N_("SQLite file or postgresql:// URI (default koers-server.db)"), N_("LOCATION") },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Address and port to listen on (default 127.0.0.1:8080)"), N_("ADDRESS:PORT") },
    { "vertrouwde-proxy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &proxies,
      N_("Reverse proxy whose X-Forwarded-For is believed (repeatable)"), N_("ADDRESS") },
    { "lezers", 0, 0, G_OPTION_ARG_INT, &readers,
      N_("Threads that read changes-feed pages, 0 to 64 (default one per processor, at most 8; "
         "0 reads them on the main thread)"), N_("N") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("[admin SUBCOMMAND ...]"));
  g_option_context_set_summary (context, _("The reference server of the Koers regional API."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Stop at "admin": what follows are the subcommand's own options. */
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("koers-server: %s\n", error->message);
      return 2;
    }
  if (argc > 1 && strcmp (argv[1], "admin") != 0)
    {
      g_printerr (_("koers-server: unknown argument “%s” (try --help)\n"), argv[1]);
      return 2;
    }
  if (readers == G_MININT)
    readers = -1;
  else if (readers < 0 || readers > 64)
    {
      g_printerr (_("koers-server: --lezers: must be a number from 0 to 64\n"));
      return 2;
    }
  if (!parse_listen (listen != NULL ? listen : DEFAULT_LISTEN, &address, &port, &error)
      || !check_proxies (proxies, &error))
    {
      g_printerr ("koers-server: %s\n", error->message);
      return 2;
    }

  db = koers_server_db_open (database != NULL ? database : DEFAULT_DATABASE, &error);
  if (db == NULL)
    {
      g_printerr (_("koers-server: cannot open the database: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  if (argc > 1)
    {
      status = koers_server_admin_main (db, argc - 1, argv + 1);
      koers_server_db_free (db);
      return status;
    }

  /* Records from before schema version 6 get their stored feed items now, once, not on every
   * page that carries them. */
  {
    KoersServerEngine *engine = koers_server_engine_new (db);
    guint64 filled = 0;
    gboolean filled_ok = koers_server_engine_fill_feed_items (engine, &filled, &error);

    koers_server_engine_free (engine);
    if (!filled_ok)
      {
        g_printerr (_("koers-server: cannot prepare the changes feed: %s\n"), error->message);
        koers_server_db_free (db);
        return EXIT_FAILURE;
      }
    if (filled > 0)
      {
        g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, filled);

        g_print (_("koers-server: records given their stored feed item: %s\n"), count);
      }
  }
  server = g_object_new (KOERS_TYPE_SERVER, "db", db, "reader-threads", readers, NULL);
  koers_server_auth_set_trusted_proxies (koers_server_get_auth (server),
                                         (const char * const *) proxies);
  if (!koers_server_listen (server, address, port, &bound_port, &error))
    {
      g_printerr (_("koers-server: cannot listen on %s:%u: %s\n"), address, port, error->message);
      g_clear_object (&server);
      koers_server_db_free (db);
      return EXIT_FAILURE;
    }
  if (strchr (address, ':') != NULL)
    g_print (_("koers-server: serving on http://[%s]:%u/v1/\n"), address, bound_port);
  else
    g_print (_("koers-server: serving on http://%s:%u/v1/\n"), address, bound_port);

  loop = g_main_loop_new (NULL, FALSE);
#ifdef G_OS_UNIX
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
#endif
  /* Elsewhere (Windows) Ctrl+C ends the process outright; every write is one transaction,
   * so the database stays consistent, only the open connections are cut. */
  g_main_loop_run (loop);

  koers_server_disconnect (server);
  g_clear_object (&server);
  koers_server_db_free (db);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "koers-test-postgres.h"

#include "koers-test-helpers.h"

#include <gio/gio.h>

#include <arpa/inet.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROLE_NAME "koers_test"
#define START_TIMEOUT_US (20 * G_USEC_PER_SEC)
#define STOP_TIMEOUT_US (10 * G_USEC_PER_SEC)

/* The watchdog, started as soon as the cluster's directory exists: when the pipe on its
 * standard input (whose only writer is the test process) closes, because the test stopped the
 * cluster, exited or was killed, even half-way through initdb, it stops postgres (SIGQUIT:
 * immediate shutdown), waits for it to go and removes the directory. */
static const char watchdog_script[] =
  "dir=$1\n"
  "read -r _\n"
  "pid=$(head -n 1 \"$dir/data/postmaster.pid\" 2>/dev/null)\n"
  "if [ -n \"$pid\" ] && kill -QUIT \"$pid\" 2>/dev/null; then\n"
  "  n=0\n"
  "  while kill -0 \"$pid\" 2>/dev/null && [ $n -lt 200 ]; do sleep 0.05; n=$((n+1)); done\n"
  "fi\n"
  "rm -rf \"$dir\"\n";

/* postgres itself, its output into the log in the cluster's directory. */
static const char postgres_script[] =
  "log=$1; shift\n"
  "exec \"$@\" </dev/null >>\"$log\" 2>&1\n";

typedef struct {
  gboolean  started;
  gboolean  external;      /* KOERS_TEST_POSTGRES_URI */
  char     *dir;
  GPid      watchdog;
  int       watchdog_fd;   /* write end of the watchdog's pipe */
  GPid      postgres;
  char     *host;
  char     *port;
  char     *user;
  char     *password;
  PGconn   *admin;         /* the test role, connected to an existing database */
  char     *shared;        /* the database holding one schema per test location */
  PGconn   *shared_admin;  /* the test role, connected to it */
  GPtrArray *databases;    /* names made, dropped at the end when external */
  guint     counter;
  char     *start_error;   /* a failed start is not retried in the same process */
} Cluster;

static Cluster cluster = { .watchdog_fd = -1 };

/* @schema (nullable): the schema the connection works in (its search_path). */
static char *
uri_for (const char *database, const char *schema)
{
  g_autofree char *host = g_uri_escape_string (cluster.host, NULL, FALSE);
  g_autofree char *user = g_uri_escape_string (cluster.user, NULL, FALSE);
  g_autofree char *password = g_uri_escape_string (cluster.password != NULL
                                                   ? cluster.password : "", NULL, FALSE);
  g_autofree char *options = NULL;

  if (schema != NULL)
    {
      g_autofree char *option = g_strdup_printf ("-c search_path=%s", schema);

      options = g_uri_escape_string (option, NULL, FALSE);
    }
  return g_strdup_printf ("postgresql:///%s?host=%s&port=%s&user=%s&password=%s%s%s",
                          database, host, cluster.port, user, password,
                          options != NULL ? "&options=" : "", options != NULL ? options : "");
}

static char *
find_bindir (GError **error)
{
  const char *env = g_getenv ("KOERS_TEST_POSTGRES_BINDIR");
  g_autoptr(GDir) dir = NULL;
  g_autofree char *best = NULL;
  gint64 best_version = -1;
  const char *name;

  if (env != NULL && *env != '\0')
    {
      g_autofree char *initdb = g_build_filename (env, "initdb", NULL);

      if (!g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "KOERS_TEST_POSTGRES_BINDIR=%s has no initdb", env);
          return NULL;
        }
      return g_strdup (env);
    }

  dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *bindir = g_build_filename ("/usr/lib/postgresql", name, "bin", NULL);
      g_autofree char *initdb = g_build_filename (bindir, "initdb", NULL);
      g_autofree char *postgres = g_build_filename (bindir, "postgres", NULL);
      gint64 version = g_ascii_strtoll (name, NULL, 10);

      if (g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE)
          && g_file_test (postgres, G_FILE_TEST_IS_EXECUTABLE) && version > best_version)
        {
          best_version = version;
          g_free (best);
          best = g_steal_pointer (&bindir);
        }
    }
  if (best == NULL)
    {
      g_autofree char *initdb = g_find_program_in_path ("initdb");

      if (initdb != NULL)
        best = g_path_get_dirname (initdb);
    }
  if (best == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "The PostgreSQL server programs (initdb, postgres) were not found in "
                   "/usr/lib/postgresql/*/bin or PATH: install the Debian package "
                   "'postgresql' (or set KOERS_TEST_POSTGRES_URI)");
      return NULL;
    }
  return g_steal_pointer (&best);
}

static int
free_port (GError **error)
{
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  int port = -1;

  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd >= 0 && bind (fd, (struct sockaddr *) &address, sizeof address) == 0
      && getsockname (fd, (struct sockaddr *) &address, &length) == 0)
    port = ntohs (address.sin_port);
  if (fd >= 0)
    close (fd);
  if (port < 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No free loopback port: %s",
                 g_strerror (errno));
  return port;
}

/* As root, everything PostgreSQL runs is started through setpriv as "nobody". */
static GPtrArray *
new_argv (gboolean as_root, struct passwd *nobody)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  if (as_root)
    {
      g_ptr_array_add (argv, g_strdup ("setpriv"));
      g_ptr_array_add (argv, g_strdup_printf ("--reuid=%u", (guint) nobody->pw_uid));
      g_ptr_array_add (argv, g_strdup_printf ("--regid=%u", (guint) nobody->pw_gid));
      g_ptr_array_add (argv, g_strdup ("--clear-groups"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  return argv;
}

static char *
log_tail (void)
{
  g_autofree char *path = g_build_filename (cluster.dir, "postgres.log", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_strdup ("(no log)");
  return g_strdup (length > 800 ? contents + length - 800 : contents);
}

/* The postmaster stopped, or gave up; our own pings meanwhile log "FATAL: the database system
 * is starting up", which is no failure. */
static gboolean
startup_failed (const char *log)
{
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  guint i;

  for (i = 0; lines[i] != NULL; i++)
    if ((strstr (lines[i], "FATAL:") != NULL && strstr (lines[i], "starting up") == NULL)
        || strstr (lines[i], "PANIC:") != NULL
        || strstr (lines[i], "database system is shut down") != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
exec_admin (PGconn *conn, const char *sql, GError **error)
{
  PGresult *result = PQexec (conn, sql);
  gboolean ok = PQresultStatus (result) == PGRES_COMMAND_OK
                || PQresultStatus (result) == PGRES_TUPLES_OK;

  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PostgreSQL (%s): %s", sql,
                 PQerrorMessage (conn));
  PQclear (result);
  return ok;
}

/* As root, the cluster runs as nobody, who must be able to reach its directory. */
static gboolean
reachable_by_others (const char *dir, GError **error)
{
  g_autofree char *path = g_path_get_dirname (dir);

  while (TRUE)
    {
      GStatBuf info;
      char *parent;

      if (g_stat (path, &info) != 0 || (info.st_mode & S_IXOTH) == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                       "PostgreSQL runs as nobody, who cannot enter %s: set TMPDIR to a "
                       "directory everyone may enter (such as /tmp)", path);
          return FALSE;
        }
      parent = g_path_get_dirname (path);
      if (g_str_equal (parent, path))
        {
          g_free (parent);
          return TRUE;
        }
      g_free (path);
      path = parent;
    }
}

/* Runs @args (NULL-terminated) to the end, as nobody when root. */
static gboolean
run_sync (gboolean as_root, struct passwd *nobody, const char *const *args, GError **error)
{
  g_autoptr(GPtrArray) argv = new_argv (as_root, nobody);
  g_autofree char *output = NULL;
  g_autoptr(GError) local_error = NULL;
  int status = 0;
  guint i;

  for (i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync ("/", (char **) argv->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                     &output, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed (%s): %s", args[0],
                   local_error->message, output != NULL ? output : "");
      return FALSE;
    }
  return TRUE;
}

/* initdb takes two seconds of a test's start; a copy of a data directory it made takes a tenth.
 * So the first cluster's fresh data directory is kept in the user's cache (the build tree's,
 * under meson) for the next test processes, named by the PostgreSQL major version and by how
 * it was made ("v2": change it when the initdb options change). */
static char *
template_path (const char *bindir)
{
  g_autofree char *parent = g_path_get_dirname (bindir);
  g_autofree char *major = g_path_get_basename (parent);
  g_autofree char *name = g_strdup_printf ("data-%s-v2", major);

  return g_build_filename (g_get_user_cache_dir (), "koers-test-postgres", name, NULL);
}

static void
save_template (gboolean as_root, struct passwd *nobody, const char *data, const char *template)
{
  g_autofree char *parent = g_path_get_dirname (template);
  g_autofree char *partial = g_strdup_printf ("%s.%d", template, (int) getpid ());
  /* Copied aside, then renamed, so a test process never copies a half-made template. */
  const char *const args[] = {
    "/bin/sh", "-c", "cp -a \"$1\" \"$2\" && mv -T \"$2\" \"$3\" || rm -rf \"$2\"",
    "sh", data, partial, template, NULL,
  };

  if (g_mkdir_with_parents (parent, 0755) != 0)
    return;
  if (as_root && chown (parent, nobody->pw_uid, nobody->pw_gid) != 0)
    return;
  run_sync (as_root, nobody, args, NULL);
}

/* The cluster's data directory: initdb with no fsync, C locale (byte order, as SQLite
 * compares text), UTF-8; over the local socket (in our private directory) anyone may connect
 * as the superuser, over TCP only with a password. */
static gboolean
make_data_dir (gboolean as_root, struct passwd *nobody, const char *bindir, const char *data,
               GError **error)
{
  g_autofree char *template = template_path (bindir);
  g_autofree char *template_version = g_build_filename (template, "PG_VERSION", NULL);
  g_autofree char *initdb = g_build_filename (bindir, "initdb", NULL);
  const char *const initdb_args[] = {
    initdb, "--no-sync", "--encoding=UTF8", "--locale=C", "--username=postgres",
    "--auth-local=trust", "--auth-host=scram-sha-256", "--wal-segsize=1", "-D", data, NULL,
  };

  if (g_file_test (template_version, G_FILE_TEST_EXISTS))
    {
      const char *const copy_args[] = { "cp", "-a", template, data, NULL };
      const char *const remove_args[] = { "rm", "-rf", data, NULL };

      if (run_sync (as_root, nobody, copy_args, NULL))
        return TRUE;
      run_sync (as_root, nobody, remove_args, NULL);
    }

  if (!run_sync (as_root, nobody, initdb_args, error))
    return FALSE;
  if (!g_file_test (template_version, G_FILE_TEST_EXISTS))
    save_template (as_root, nobody, data, template);
  return TRUE;
}

/* Reaps @pid, waiting a bounded time: a cluster that does not stop must not hang the tests. */
static void
wait_for (GPid *pid)
{
  gint64 deadline = g_get_monotonic_time () + STOP_TIMEOUT_US;
  int status;

  if (*pid <= 0)
    return;
  while (waitpid (*pid, &status, WNOHANG) == 0 && g_get_monotonic_time () < deadline)
    g_usleep (5000);
  g_spawn_close_pid (*pid);
  *pid = 0;
}

/* Starts postgres on a free port and waits until it answers. */
static gboolean
spawn_postgres (gboolean as_root, struct passwd *nobody, const char *postgres, const char *data,
                const char *log, GError **error)
{
  static const char *const settings[] = {
    "listen_addresses=127.0.0.1", "fsync=off", "synchronous_commit=off",
    "full_page_writes=off", "max_connections=60", "shared_buffers=32MB",
    "max_wal_size=1GB", "log_min_messages=warning", "log_checkpoints=off",
  };
  g_autoptr(GPtrArray) argv = NULL;
  g_autofree char *superuser_info = NULL;
  gint64 deadline;
  int status = 0;
  int port;
  guint i;

  port = free_port (error);
  if (port < 0)
    return FALSE;
  /* A failed attempt's log must not fail the next one. */
  if (truncate (log, 0) != 0 && errno != ENOENT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot empty %s: %s", log,
                   g_strerror (errno));
      return FALSE;
    }
  g_free (cluster.port);
  cluster.port = g_strdup_printf ("%d", port);

  argv = new_argv (as_root, nobody);
  g_ptr_array_add (argv, g_strdup ("/bin/sh"));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup (postgres_script));
  g_ptr_array_add (argv, g_strdup ("sh"));
  g_ptr_array_add (argv, g_strdup (log));
  g_ptr_array_add (argv, g_strdup (postgres));
  g_ptr_array_add (argv, g_strdup ("-D"));
  g_ptr_array_add (argv, g_strdup (data));
  g_ptr_array_add (argv, g_strdup ("-p"));
  g_ptr_array_add (argv, g_strdup (cluster.port));
  g_ptr_array_add (argv, g_strdup ("-k"));
  g_ptr_array_add (argv, g_strdup (cluster.dir));
  for (i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_ptr_array_add (argv, g_strdup ("-c"));
      g_ptr_array_add (argv, g_strdup (settings[i]));
    }
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_async (cluster.dir, (char **) argv->pdata, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
                      | G_SPAWN_STDIN_FROM_DEV_NULL | G_SPAWN_STDOUT_TO_DEV_NULL
                      | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &cluster.postgres, error))
    return FALSE;

  superuser_info = g_strdup_printf ("host=%s port=%s user=postgres dbname=postgres",
                                    cluster.dir, cluster.port);
  deadline = g_get_monotonic_time () + START_TIMEOUT_US;
  while (PQping (superuser_info) != PQPING_OK)
    {
      g_autofree char *tail = log_tail ();
      gboolean exited = waitpid (cluster.postgres, &status, WNOHANG) == cluster.postgres;

      if (exited || startup_failed (tail) || g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "PostgreSQL did not start on port %s: %s", cluster.port, tail);
          if (exited)
            {
              g_spawn_close_pid (cluster.postgres);
              cluster.postgres = 0;
            }
          else
            {
              kill (cluster.postgres, SIGQUIT);
              wait_for (&cluster.postgres);
            }
          return FALSE;
        }
      g_usleep (10000);
    }
  return TRUE;
}

static gboolean
start_cluster (GError **error)
{
  gboolean as_root = getuid () == 0;
  struct passwd *nobody = NULL;
  g_autofree char *bindir = NULL;
  g_autofree char *data = NULL;
  g_autofree char *postgres = NULL;
  g_autofree char *log = NULL;
  g_autofree char *superuser_info = NULL;
  g_autofree char *role_sql = NULL;
  g_autofree char *admin_info = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  guint attempt;
  PGconn *superuser;

  bindir = find_bindir (error);
  if (bindir == NULL)
    return FALSE;
  postgres = g_build_filename (bindir, "postgres", NULL);

  if (as_root)
    {
      g_autofree char *setpriv = g_find_program_in_path ("setpriv");

      nobody = getpwnam ("nobody");
      if (nobody == NULL || setpriv == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "Running as root, PostgreSQL must run as another user: %s",
                       nobody == NULL ? "there is no user 'nobody'"
                                      : "setpriv (util-linux) was not found");
          return FALSE;
        }
    }

  cluster.dir = g_dir_make_tmp ("koers-pg-XXXXXX", error);
  if (cluster.dir == NULL)
    return FALSE;
  if (as_root && !reachable_by_others (cluster.dir, error))
    return FALSE;
  if (as_root && chown (cluster.dir, nobody->pw_uid, nobody->pw_gid) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not hand %s to nobody: %s",
                   cluster.dir, g_strerror (errno));
      return FALSE;
    }
  data = g_build_filename (cluster.dir, "data", NULL);
  log = g_build_filename (cluster.dir, "postgres.log", NULL);

  argv = new_argv (as_root, nobody);
  g_ptr_array_add (argv, g_strdup ("/bin/sh"));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup (watchdog_script));
  g_ptr_array_add (argv, g_strdup ("sh"));
  g_ptr_array_add (argv, g_strdup (cluster.dir));
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_async_with_pipes ("/", (char **) argv->pdata, NULL,
                                 G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
                                 | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, &cluster.watchdog, &cluster.watchdog_fd, NULL, NULL,
                                 error))
    return FALSE;
  g_clear_pointer (&argv, g_ptr_array_unref);

  if (!make_data_dir (as_root, nobody, bindir, data, error))
    return FALSE;

  /* The free port may be taken by someone else before postgres binds it: then try another. */
  for (attempt = 0; !spawn_postgres (as_root, nobody, postgres, data, log, error); attempt++)
    {
      g_autofree char *tail = log_tail ();

      if (attempt >= 2 || strstr (tail, "could not bind") == NULL)
        return FALSE;
      g_clear_error (error);
    }

  /* The role koers-server runs as in production: an ordinary login role that owns its
   * database, so FORCE ROW LEVEL SECURITY applies to it. */
  superuser_info = g_strdup_printf ("host=%s port=%s user=postgres dbname=postgres",
                                    cluster.dir, cluster.port);
  {
    g_autofree char *uuid = g_uuid_string_random ();
    g_auto(GStrv) parts = g_strsplit (uuid, "-", -1);

    cluster.password = g_strjoinv ("", parts);
  }
  role_sql = g_strdup_printf ("CREATE ROLE " ROLE_NAME " LOGIN CREATEDB NOSUPERUSER "
                              "NOBYPASSRLS PASSWORD '%s'", cluster.password);
  superuser = PQconnectdb (superuser_info);
  if (PQstatus (superuser) != CONNECTION_OK || !exec_admin (superuser, role_sql, error))
    {
      if (PQstatus (superuser) != CONNECTION_OK)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PostgreSQL: %s",
                     PQerrorMessage (superuser));
      PQfinish (superuser);
      return FALSE;
    }
  PQfinish (superuser);

  g_free (cluster.host);
  g_free (cluster.user);
  cluster.host = g_strdup ("127.0.0.1");
  cluster.user = g_strdup (ROLE_NAME);
  admin_info = g_strdup_printf ("host=127.0.0.1 port=%s user=" ROLE_NAME " password=%s "
                                "dbname=postgres", cluster.port, cluster.password);
  cluster.admin = PQconnectdb (admin_info);
  if (PQstatus (cluster.admin) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PostgreSQL: %s",
                   PQerrorMessage (cluster.admin));
      return FALSE;
    }
  return TRUE;
}

/* KOERS_TEST_POSTGRES_URI: take host, port, user and password from it and connect. */
static gboolean
use_external (const char *uri, GError **error)
{
  char *message = NULL;
  PQconninfoOption *options = PQconninfoParse (uri, &message);
  PQconninfoOption *option;

  if (options == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "KOERS_TEST_POSTGRES_URI cannot be read: %s", message != NULL ? message : "");
      PQfreemem (message);
      return FALSE;
    }
  for (option = options; option->keyword != NULL; option++)
    {
      if (option->val == NULL)
        continue;
      if (strcmp (option->keyword, "host") == 0)
        cluster.host = g_strdup (option->val);
      else if (strcmp (option->keyword, "port") == 0)
        cluster.port = g_strdup (option->val);
      else if (strcmp (option->keyword, "user") == 0)
        cluster.user = g_strdup (option->val);
      else if (strcmp (option->keyword, "password") == 0)
        cluster.password = g_strdup (option->val);
    }
  PQconninfoFree (options);
  if (cluster.host == NULL)
    cluster.host = g_strdup ("127.0.0.1");
  if (cluster.port == NULL)
    cluster.port = g_strdup ("5432");
  if (cluster.user == NULL)
    cluster.user = g_strdup (g_get_user_name ());
  cluster.external = TRUE;
  cluster.admin = PQconnectdb (uri);
  if (PQstatus (cluster.admin) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Cannot connect to KOERS_TEST_POSTGRES_URI: %s", PQerrorMessage (cluster.admin));
      return FALSE;
    }
  return TRUE;
}

static gboolean
ensure_started (GError **error)
{
  const char *external = g_getenv ("KOERS_TEST_POSTGRES_URI");
  gboolean ok;

  if (cluster.started)
    return TRUE;
  if (cluster.start_error != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, cluster.start_error);
      return FALSE;
    }

  atexit (koers_test_postgres_stop);
  cluster.databases = g_ptr_array_new_with_free_func (g_free);
  if (external != NULL && *external != '\0')
    ok = use_external (external, error);
  else
    ok = start_cluster (error);
  if (!ok)
    {
      cluster.start_error = g_strdup (error != NULL && *error != NULL ? (*error)->message
                                                                      : "PostgreSQL failed");
      koers_test_postgres_stop ();
      return FALSE;
    }
  cluster.started = TRUE;
  return TRUE;
}

char *
koers_test_postgres_new_database (GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *sql = NULL;

  if (!ensure_started (error))
    return NULL;

  /* The pid keeps names apart when several test processes share one external server. */
  name = g_strdup_printf ("koers_test_%d_%u", (int) getpid (), ++cluster.counter);
  sql = g_strdup_printf ("CREATE DATABASE %s", name);
  if (!exec_admin (cluster.admin, sql, error))
    return NULL;
  g_ptr_array_add (cluster.databases, g_strdup (name));
  return uri_for (name, NULL);
}

/* A new schema in the shared database: as isolated as a database for koers-server (its tables,
 * policies and meta all live in the schema of its search_path), and made in milliseconds where
 * CREATE DATABASE copies a template for half a second. */
char *
koers_test_postgres_new_schema (GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *sql = NULL;

  if (!ensure_started (error))
    return NULL;
  if (cluster.shared_admin == NULL)
    {
      g_autofree char *uri = koers_test_postgres_new_database (error);

      if (uri == NULL)
        return NULL;
      cluster.shared = g_strdup (cluster.databases->pdata[cluster.databases->len - 1]);
      cluster.shared_admin = PQconnectdb (uri);
      if (PQstatus (cluster.shared_admin) != CONNECTION_OK)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PostgreSQL: %s",
                       PQerrorMessage (cluster.shared_admin));
          g_clear_pointer (&cluster.shared_admin, PQfinish);
          return NULL;
        }
    }
  name = g_strdup_printf ("test_%u", ++cluster.counter);
  sql = g_strdup_printf ("CREATE SCHEMA %s", name);
  if (!exec_admin (cluster.shared_admin, sql, error))
    return NULL;
  return uri_for (cluster.shared, name);
}

char *
koers_test_postgres_start (GError **error)
{
  return koers_test_postgres_new_database (error);
}

char *
koers_test_postgres_superuser_uri (const char *database)
{
  g_autofree char *host = NULL;

  if (!cluster.started || cluster.external)
    return NULL;
  host = g_uri_escape_string (cluster.dir, NULL, FALSE);
  return g_strdup_printf ("postgresql:///%s?host=%s&port=%s&user=postgres", database, host,
                          cluster.port);
}

void
koers_test_postgres_stop (void)
{
  guint i;

  /* Connections to a database must be gone before it can be dropped. */
  g_clear_pointer (&cluster.shared_admin, PQfinish);
  if (cluster.admin != NULL && cluster.external && cluster.databases != NULL)
    for (i = 0; i < cluster.databases->len; i++)
      {
        g_autofree char *sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)",
                                                (char *) cluster.databases->pdata[i]);
        PQclear (PQexec (cluster.admin, sql));
      }
  g_clear_pointer (&cluster.shared_admin, PQfinish);
  g_clear_pointer (&cluster.shared, g_free);
  g_clear_pointer (&cluster.admin, PQfinish);

  if (cluster.watchdog_fd >= 0)
    {
      /* Closing the pipe tells the watchdog to stop postgres and remove the directory. */
      close (cluster.watchdog_fd);
      cluster.watchdog_fd = -1;
    }
  wait_for (&cluster.postgres);
  wait_for (&cluster.watchdog);
  /* The watchdog removed it, unless it never started. */
  if (cluster.dir != NULL && g_file_test (cluster.dir, G_FILE_TEST_EXISTS))
    {
      const char *argv[] = { "rm", "-rf", cluster.dir, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL,
                    G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                    | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    }
  g_clear_pointer (&cluster.dir, g_free);
  g_clear_pointer (&cluster.host, g_free);
  g_clear_pointer (&cluster.port, g_free);
  g_clear_pointer (&cluster.user, g_free);
  g_clear_pointer (&cluster.password, g_free);
  g_clear_pointer (&cluster.databases, g_ptr_array_unref);
  cluster.started = FALSE;
  cluster.external = FALSE;
}

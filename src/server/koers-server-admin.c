/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "server/koers-server-admin.h"

#include "server/koers-server-auth.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#ifdef G_OS_UNIX
#include <termios.h>
#include <unistd.h>
#endif

/* A password line longer than this is refused rather than read on without end. */
#define MAX_PASSWORD_LINE 4096

enum {
  EXIT_DONE = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
};

typedef char *(*PasswordReader) (gpointer user_data, GError **error);

typedef struct {
  KoersServerDb   *db;
  KoersServerAuth *auth;
  PasswordReader   read_password;
  gpointer         reader_data;
  GString         *out;
  GString         *err;
} Admin;

static const char usage_text[] =
  N_("Usage: koers-server --database LOCATION admin SUBCOMMAND ...\n"
     "\n"
     "  organisatie-toevoegen NAME\n"
     "  gebruiker-toevoegen --organisatie ID --gebruikersnaam USERNAME --naam NAME\n"
     "                      --rol coach|ondersteuner|programmamanager\n"
     "                      (the password is read from standard input)\n"
     "  gebruikers ORGANISATION_ID\n"
     "  gebruiker-uitschakelen USER_ID\n"
     "  gebruiker-inschakelen USER_ID\n"
     "  apparaat-intrekken DEVICE_ID\n"
     "  tijdperk-vernieuwen\n");

static int
usage (Admin      *admin,
       const char *problem)
{
  if (problem != NULL)
    g_string_append_printf (admin->err, "%s\n\n", problem);
  g_string_append (admin->err, _(usage_text));
  return EXIT_USAGE;
}

static int
failed (Admin        *admin,
        const GError *error)
{
  g_string_append_printf (admin->err, "%s\n", error->message);
  return EXIT_FAILED;
}

/* Subcommands taking exactly one positional argument. */
static gboolean
one_argument (Admin       *admin,
              int          argc,
              char       **argv,
              const char **out_value,
              int         *out_status)
{
  if (argc != 2 || argv[1] == NULL)
    {
      g_autofree char *problem = g_strdup_printf (_("%s takes exactly one argument"), argv[0]);

      *out_status = usage (admin, problem);
      return FALSE;
    }
  *out_value = argv[1];
  return TRUE;
}

static int
add_organisation (Admin  *admin,
                  int     argc,
                  char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *name = NULL;
  int status;

  if (!one_argument (admin, argc, argv, &name, &status))
    return status;
  id = koers_server_auth_add_organisation (admin->auth, name, &error);
  if (id == NULL)
    return failed (admin, error);
  g_string_append_printf (admin->out, "%s\n", id);
  return EXIT_DONE;
}

/* gebruiker-toevoegen's options. GOption keeps the last of a repeated option without a word;
 * "--rol coach ... --rol programmamanager" would quietly make the regional role, so each may be
 * given once. */
typedef struct {
  char *organisation;
  char *username;
  char *name;
  char *role_name;
} UserOptions;

static gboolean
user_option_cb (const char  *option_name,
                const char  *value,
                gpointer     data,
                GError     **error)
{
  UserOptions *options = data;
  char **field = g_str_equal (option_name, "--organisatie") ? &options->organisation
                 : g_str_equal (option_name, "--gebruikersnaam") ? &options->username
                 : g_str_equal (option_name, "--naam") ? &options->name
                 : &options->role_name;

  if (*field != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("%s is given more than once"), option_name);
      return FALSE;
    }
  *field = g_strdup (value);
  return TRUE;
}

/* @n_args: what is left of the command line after the options (the subcommand itself). */
static int
add_user_with (Admin             *admin,
               guint              n_args,
               const UserOptions *options)
{
  g_autofree char *password = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  KoersServerRole role;

  if (n_args != 1)
    return usage (admin, _("gebruiker-toevoegen takes only options; the password is read "
                           "from standard input"));
  if (options->organisation == NULL || options->username == NULL || options->name == NULL
      || options->role_name == NULL)
    return usage (admin, _("gebruiker-toevoegen needs --organisatie, --gebruikersnaam, "
                           "--naam and --rol"));
  if (!koers_server_role_from_string (options->role_name, &role))
    {
      g_string_append (admin->err, _("role: must be coach, ondersteuner or programmamanager\n"));
      return EXIT_FAILED;
    }

  password = admin->read_password (admin->reader_data, &error);
  if (password == NULL)
    return failed (admin, error);
  id = koers_server_auth_add_user (admin->auth, options->organisation, options->username,
                                   options->name, role, password, &error);
  memset (password, 0, strlen (password));
  if (id == NULL)
    return failed (admin, error);
  g_string_append_printf (admin->out, "%s\n", id);
  return EXIT_DONE;
}

static int
add_user (Admin  *admin,
          int     argc,
          char  **argv)
{
  UserOptions options = { NULL, NULL, NULL, NULL };
  g_auto(GStrv) args = g_strdupv (argv);
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GOptionGroup) group = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  GOptionEntry entries[] = {
    { "organisatie", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer) user_option_cb, NULL, NULL },
    { "gebruikersnaam", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer) user_option_cb, NULL, NULL },
    { "naam", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer) user_option_cb, NULL, NULL },
    { "rol", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer) user_option_cb, NULL, NULL },
    { NULL },
  };

  g_option_context_set_help_enabled (context, FALSE);
  group = g_option_group_new (NULL, NULL, NULL, &options, NULL);
  g_option_group_add_entries (group, entries);
  g_option_context_set_main_group (context, g_option_group_ref (group));
  if (!g_option_context_parse_strv (context, &args, &error))
    status = usage (admin, error->message);
  else
    status = add_user_with (admin, g_strv_length (args), &options);
  g_free (options.organisation);
  g_free (options.username);
  g_free (options.name);
  g_free (options.role_name);
  return status;
}

static int
list_users (Admin  *admin,
            int     argc,
            char  **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) users = NULL;
  const char *organisation = NULL;
  JsonArray *array;
  int status;

  if (!one_argument (admin, argc, argv, &organisation, &status))
    return status;
  users = koers_server_auth_list_users (admin->auth, organisation, &error);
  if (users == NULL)
    return failed (admin, error);

  array = json_node_get_array (users);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *user = json_array_get_object_element (array, i);

      /* Tab-separated so scripts can cut it; the name last, as it may contain spaces. */
      g_string_append_printf (admin->out, "%s\t%s\t%s\t%s\t%s\n",
                              json_object_get_string_member (user, "id"),
                              json_object_get_string_member (user, "gebruikersnaam"),
                              json_object_get_string_member (user, "rol"),
                              json_object_get_boolean_member (user, "uitgeschakeld")
                              ? _("disabled") : _("enabled"),
                              json_object_get_string_member (user, "naam"));
    }
  if (json_array_get_length (array) == 0)
    g_string_append (admin->err, _("This organisation has no users yet.\n"));
  return EXIT_DONE;
}

static int
set_user_disabled (Admin    *admin,
                   int       argc,
                   char    **argv,
                   gboolean  disabled)
{
  g_autoptr(GError) error = NULL;
  const char *user_id = NULL;
  int status;

  if (!one_argument (admin, argc, argv, &user_id, &status))
    return status;
  if (!koers_server_auth_set_user_disabled (admin->auth, user_id, disabled, &error))
    return failed (admin, error);
  g_string_append (admin->out, disabled ? _("The user can no longer log in.\n")
                                        : _("The user can log in again.\n"));
  return EXIT_DONE;
}

static int
revoke_device (Admin  *admin,
               int     argc,
               char  **argv)
{
  g_autoptr(GError) error = NULL;
  const char *device_id = NULL;
  int status;

  if (!one_argument (admin, argc, argv, &device_id, &status))
    return status;
  if (!koers_server_auth_admin_revoke_device (admin->auth, device_id, &error))
    return failed (admin, error);
  g_string_append (admin->out, _("The device and all its tokens are revoked.\n"));
  return EXIT_DONE;
}

static int
new_epoch (Admin  *admin,
           int     argc,
           char  **argv)
{
  g_autoptr(GError) error = NULL;

  if (argc != 1)
    return usage (admin, _("tijdperk-vernieuwen takes no arguments"));
  if (!koers_server_db_new_epoch (admin->db, &error))
    return failed (admin, error);
  g_string_append_printf (admin->out, _("New epoch %s: every client pulls again from the "
                                        "start and keeps its unsent changes.\n"),
                          koers_server_db_get_epoch (admin->db));
  return EXIT_DONE;
}

static int
admin_run (Admin  *admin,
           int     argc,
           char  **argv)
{
  const char *command;

  if (argc > 0 && g_strcmp0 (argv[0], "admin") == 0)
    {
      argc--;
      argv++;
    }
  if (argc < 1 || argv[0] == NULL)
    return usage (admin, NULL);

  command = argv[0];
  if (g_str_equal (command, "organisatie-toevoegen"))
    return add_organisation (admin, argc, argv);
  if (g_str_equal (command, "gebruiker-toevoegen"))
    return add_user (admin, argc, argv);
  if (g_str_equal (command, "gebruikers"))
    return list_users (admin, argc, argv);
  if (g_str_equal (command, "gebruiker-uitschakelen"))
    return set_user_disabled (admin, argc, argv, TRUE);
  if (g_str_equal (command, "gebruiker-inschakelen"))
    return set_user_disabled (admin, argc, argv, FALSE);
  if (g_str_equal (command, "apparaat-intrekken"))
    return revoke_device (admin, argc, argv);
  if (g_str_equal (command, "tijdperk-vernieuwen"))
    return new_epoch (admin, argc, argv);
  if (g_str_equal (command, "--help") || g_str_equal (command, "-h")
      || g_str_equal (command, "help"))
    {
      g_string_append (admin->out, _(usage_text));
      return EXIT_DONE;
    }
  {
    g_autofree char *problem = g_strdup_printf (_("Unknown subcommand “%s”"), command);

    return usage (admin, problem);
  }
}

/* The first line, without its line end. */
static char *
finish_line (GString  *line,
             gboolean  too_long,
             GError  **error)
{
  if (too_long)
    {
      memset (line->str, 0, line->len);
      g_string_free (line, TRUE);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("password: the line on standard input is too long"));
      return NULL;
    }
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (line, FALSE);
}

static char *
read_password_from_stream (gpointer   user_data,
                           GError   **error)
{
  GInputStream *input = user_data;
  GString *line = g_string_new (NULL);

  if (input == NULL)
    {
      g_string_free (line, TRUE);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("password: nothing on standard input"));
      return NULL;
    }
  for (;;)
    {
      char c;
      gssize n = g_input_stream_read (input, &c, 1, NULL, error);

      if (n < 0)
        {
          g_string_free (line, TRUE);
          return NULL;
        }
      if (n == 0 || c == '\n')
        break;
      if (line->len >= MAX_PASSWORD_LINE)
        return finish_line (line, TRUE, error);
      g_string_append_c (line, c);
    }
  return finish_line (line, FALSE, error);
}

/* Terminal echo: only where termios exists. Elsewhere (Windows) the password is read with
 * echo on; a script pipes it in anyway, and an administrator typing it sees it once. */
typedef struct {
#ifdef G_OS_UNIX
  struct termios saved;
#endif
  gboolean       echo_off;
} EchoState;

static void
echo_disable (EchoState *state)
{
  state->echo_off = FALSE;
#ifdef G_OS_UNIX
  if (isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &state->saved) == 0)
    {
      struct termios quiet = state->saved;

      fputs (_("Password (at least 12 characters): "), stderr);
      fflush (stderr);
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      state->echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
#endif
}

static void
echo_restore (EchoState *state)
{
#ifdef G_OS_UNIX
  if (state->echo_off)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &state->saved);
#endif
}

/* One byte of stdin: 1, 0 at the end, -1 on an error (EINTR is retried). Unbuffered on Unix
 * so nothing after the password line is consumed. */
static int
read_stdin_byte (char *c)
{
#ifdef G_OS_UNIX
  for (;;)
    {
      ssize_t n = read (STDIN_FILENO, c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      return n < 0 ? -1 : (int) n;
    }
#else
  int ch = getc (stdin);

  if (ch == EOF)
    return ferror (stdin) ? -1 : 0;
  *c = (char) ch;
  return 1;
#endif
}

static char *
read_password_from_stdin (gpointer   user_data,
                          GError   **error)
{
  GString *line = g_string_new (NULL);
  EchoState echo;

  echo_disable (&echo);
  for (;;)
    {
      char c = 0;

      if (read_stdin_byte (&c) <= 0 || c == '\n')
        break;
      if (line->len >= MAX_PASSWORD_LINE)
        {
          echo_restore (&echo);
          return finish_line (line, TRUE, error);
        }
      g_string_append_c (line, c);
    }
  if (echo.echo_off)
    {
      echo_restore (&echo);
      fputc ('\n', stderr);
    }
  return finish_line (line, FALSE, error);
}

static int
run_with_reader (KoersServerDb  *db,
                 int             argc,
                 char          **argv,
                 PasswordReader  reader,
                 gpointer        reader_data,
                 GString        *out,
                 GString        *err)
{
  Admin admin = { db, koers_server_auth_new (db), reader, reader_data, out, err };
  int status = admin_run (&admin, argc, argv);

  koers_server_auth_free (admin.auth);
  return status;
}

int
koers_server_admin_run (KoersServerDb  *db,
                        int             argc,
                        char          **argv,
                        GInputStream   *password_input,
                        GString        *out,
                        GString        *err)
{
  g_return_val_if_fail (db != NULL, EXIT_FAILED);
  g_return_val_if_fail (argc == 0 || argv != NULL, EXIT_FAILED);
  g_return_val_if_fail (password_input == NULL || G_IS_INPUT_STREAM (password_input),
                        EXIT_FAILED);
  g_return_val_if_fail (out != NULL && err != NULL, EXIT_FAILED);

  return run_with_reader (db, argc, argv, read_password_from_stream, password_input, out, err);
}

int
koers_server_admin_main (KoersServerDb  *db,
                         int             argc,
                         char          **argv)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  int status;

  g_return_val_if_fail (db != NULL, EXIT_FAILED);

  status = run_with_reader (db, argc, argv, read_password_from_stdin, NULL, out, err);
  fputs (out->str, stdout);
  fputs (err->str, stderr);
  fflush (stdout);
  return status;
}

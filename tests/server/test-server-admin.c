/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `koers-server admin`: organisations, users (password from standard input only), listing,
 * disabling, device revocation and a new epoch, with valid and invalid input, on SQLite and
 * PostgreSQL. */
#include "config.h"

#include "server/koers-server-admin.h"
#include "server/koers-server-auth.h"

#include "koers-test-postgres.h"

#include <string.h>

#define PASSWORD "een lange wachtzin"

typedef struct {
  KoersServerDb   *db;
  KoersServerAuth *auth;
  GString         *out;
  GString         *err;
} Admin;

static void
admin_setup (Admin               *a,
             KoersServerDbBackend backend)
{
  a->db = koers_test_server_db_open (backend, NULL);
  a->auth = koers_server_auth_new (a->db);
  a->out = g_string_new (NULL);
  a->err = g_string_new (NULL);
}

static void
admin_teardown (Admin *a)
{
  koers_server_auth_free (a->auth);
  koers_server_db_free (a->db);
  g_string_free (a->out, TRUE);
  g_string_free (a->err, TRUE);
}

/* Runs one subcommand; @stdin_text (nullable) is what the administrator pipes in. */
static int
run (Admin       *a,
     const char  *stdin_text,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GInputStream) input = NULL;
  va_list ap;
  const char *arg;

  g_string_truncate (a->out, 0);
  g_string_truncate (a->err, 0);
  va_start (ap, stdin_text);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  if (stdin_text != NULL)
    input = g_memory_input_stream_new_from_data (g_strdup (stdin_text), -1, g_free);
  return koers_server_admin_run (a->db, (int) args->len - 1, (char **) args->pdata, input,
                                 a->out, a->err);
}

/* The id printed on the one line of stdout. */
static char *
printed_id (Admin *a)
{
  g_autofree char *id = g_strdup (a->out->str);

  g_strchomp (id);
  g_assert_true (g_uuid_string_is_valid (id));
  g_assert_cmpstr (a->err->str, ==, "");
  return g_steal_pointer (&id);
}

static char *
add_organisation (Admin *a)
{
  g_assert_cmpint (run (a, NULL, "organisatie-toevoegen", "Gemeente Aalten", NULL), ==, 0);
  return printed_id (a);
}

static void
test_add_organisation (KoersServerDbBackend backend)
{
  Admin a;
  g_autofree char *id = NULL;
  g_autofree char *long_name = g_strnfill (201, 'x');
  static const char *const bad_names[] = { "", "   ", "Twee\nregels", "Stil\u202Eteken" };

  admin_setup (&a, backend);
  /* "admin" itself may lead, as in `koers-server admin organisatie-toevoegen ...`. */
  g_assert_cmpint (run (&a, NULL, "admin", "organisatie-toevoegen", "Gemeente Aalten", NULL),
                   ==, 0);
  id = printed_id (&a);
  g_assert_cmpint (run (&a, NULL, "gebruikers", id, NULL), ==, 0);
  g_assert_cmpstr (a.out->str, ==, "");

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_assert_cmpint (run (&a, NULL, "organisatie-toevoegen", bad_names[i], NULL), ==, 1);
      g_assert_true (g_str_has_prefix (a.err->str, "name: "));
      g_assert_cmpstr (a.out->str, ==, "");
    }
  g_assert_cmpint (run (&a, NULL, "organisatie-toevoegen", long_name, NULL), ==, 1);
  g_assert_true (g_str_has_prefix (a.err->str, "name: "));
  g_assert_cmpint (run (&a, NULL, "organisatie-toevoegen", NULL), ==, 2);
  g_assert_cmpint (run (&a, NULL, "organisatie-toevoegen", "A", "B", NULL), ==, 2);
  admin_teardown (&a);
}

static void
test_add_user (KoersServerDbBackend backend)
{
  Admin a;
  g_autofree char *organisation = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *device_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) users = NULL;
  JsonObject *user;

  admin_setup (&a, backend);
  organisation = add_organisation (&a);
  /* The password arrives as a line on stdin, with a Windows line end even. */
  g_assert_cmpint (run (&a, PASSWORD "\r\n", "gebruiker-toevoegen", "--organisatie", organisation,
                        "--gebruikersnaam", "anna.dejong", "--naam", "Anna de Jong",
                        "--rol", "ondersteuner", NULL), ==, 0);
  user_id = printed_id (&a);

  users = koers_server_auth_list_users (a.auth, organisation, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (users)), ==, 1);
  user = json_array_get_object_element (json_node_get_array (users), 0);
  g_assert_cmpstr (json_object_get_string_member (user, "id"), ==, user_id);
  g_assert_cmpstr (json_object_get_string_member (user, "gebruikersnaam"), ==, "anna.dejong");
  g_assert_cmpstr (json_object_get_string_member (user, "naam"), ==, "Anna de Jong");
  g_assert_cmpstr (json_object_get_string_member (user, "rol"), ==, "ondersteuner");
  g_assert_false (json_object_get_boolean_member (user, "uitgeschakeld"));

  /* The listing shows it too; the hash never leaves the database. */
  g_assert_cmpint (run (&a, NULL, "gebruikers", organisation, NULL), ==, 0);
  g_assert_nonnull (strstr (a.out->str, "anna.dejong\tondersteuner\t"));
  g_assert_nonnull (strstr (a.out->str, "\tAnna de Jong\n"));
  g_assert_null (strstr (a.out->str, "argon2"));

  /* The user can really be issued tokens, and the same username cannot be added twice. */
  device_id = koers_server_auth_issue_tokens (a.auth, user_id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run (&a, PASSWORD "\n", "gebruiker-toevoegen", "--organisatie", organisation,
                        "--gebruikersnaam", "anna.dejong", "--naam", "Een ander",
                        "--rol", "coach", NULL), ==, 1);
  g_assert_cmpstr (a.err->str, ==, "username: is already taken\n");
  admin_teardown (&a);
}

static void
test_add_user_invalid (KoersServerDbBackend backend)
{
  Admin a;
  g_autofree char *organisation = NULL;
  /* One byte over each limit: the password itself (1024 bytes) and the line it is read from
   * (4096 bytes). */
  g_autofree char *long_password = g_strnfill (1025, 'p');
  g_autofree char *long_line = g_strnfill (4097, 'p');
  g_autofree char *longest_password = g_strnfill (1024, 'p');
  struct {
    const char *stdin_text;
    const char *organisation;   /* NULL: the real one */
    const char *username;
    const char *name;
    const char *role;
    const char *error_prefix;
  } cases[] = {
    { PASSWORD, NULL, "Anna", "Anna", "coach", "username: " },
    { PASSWORD, NULL, "an", "Anna", "coach", "username: " },
    { PASSWORD, NULL, "anna de jong", "Anna", "coach", "username: " },
    { PASSWORD, NULL, "anna", "", "coach", "name: " },
    { PASSWORD, NULL, "anna", "Anna\tJong", "coach", "name: " },
    { PASSWORD, NULL, "anna", "Anna", "directeur", "role: " },
    { "elf tekens!", NULL, "anna", "Anna", "coach", "password: " },
    { "", NULL, "anna", "Anna", "coach", "password: " },
    { NULL, NULL, "anna", "Anna", "coach", "password: " },
    { long_password, NULL, "anna", "Anna", "coach", "password: must be at most 1024" },
    { long_line, NULL, "anna", "Anna", "coach", "password: the line on standard input is too" },
    { PASSWORD, "geen-organisatie", "anna", "Anna", "coach", "organisation: " },
  };

  admin_setup (&a, backend);
  organisation = add_organisation (&a);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) users = NULL;

      g_assert_cmpint (run (&a, cases[i].stdin_text, "gebruiker-toevoegen",
                            "--organisatie", cases[i].organisation != NULL
                                             ? cases[i].organisation : organisation,
                            "--gebruikersnaam", cases[i].username, "--naam", cases[i].name,
                            "--rol", cases[i].role, NULL), ==, 1);
      if (!g_str_has_prefix (a.err->str, cases[i].error_prefix))
        g_error ("case %u: expected “%s...”, got “%s”", i, cases[i].error_prefix, a.err->str);
      g_assert_cmpstr (a.out->str, ==, "");
      /* Nothing was written. */
      users = koers_server_auth_list_users (a.auth, organisation, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (json_array_get_length (json_node_get_array (users)), ==, 0);
    }

  /* A password of exactly 1024 bytes is taken. */
  g_assert_cmpint (run (&a, longest_password, "gebruiker-toevoegen", "--organisatie",
                        organisation, "--gebruikersnaam", "anna", "--naam", "Anna", "--rol",
                        "coach", NULL), ==, 0);

  /* Usage errors: the password never comes from the command line, options are required. */
  g_assert_cmpint (run (&a, PASSWORD, "gebruiker-toevoegen", "--organisatie", organisation,
                        "--gebruikersnaam", "anna", "--naam", "Anna", "--rol", "coach",
                        "--wachtwoord", PASSWORD, NULL), ==, 2);
  g_assert_cmpint (run (&a, PASSWORD, "gebruiker-toevoegen", "--organisatie", organisation,
                        "--gebruikersnaam", "anna", "--naam", "Anna", "--rol", "coach",
                        PASSWORD, NULL), ==, 2);
  g_assert_cmpint (run (&a, PASSWORD, "gebruiker-toevoegen", "--organisatie", organisation,
                        "--naam", "Anna", "--rol", "coach", NULL), ==, 2);
  g_assert_nonnull (strstr (a.err->str, "--gebruikersnaam"));
  /* An option given twice is refused, not settled by the last one: a second --rol would
   * otherwise quietly make the regional role. Nothing is written. */
  g_assert_cmpint (run (&a, PASSWORD, "gebruiker-toevoegen", "--organisatie", organisation,
                        "--gebruikersnaam", "bram", "--naam", "Bram", "--rol", "coach",
                        "--rol", "programmamanager", NULL), ==, 2);
  g_assert_nonnull (strstr (a.err->str, "--rol is given more than once"));
  g_assert_cmpint (run (&a, PASSWORD, "gebruiker-toevoegen", "--organisatie", organisation,
                        "--gebruikersnaam", "bram", "--gebruikersnaam=bram2", "--naam", "Bram",
                        "--rol", "coach", NULL), ==, 2);
  g_assert_nonnull (strstr (a.err->str, "--gebruikersnaam is given more than once"));
  g_assert_cmpint (run (&a, NULL, "gebruikers", organisation, NULL), ==, 0);
  g_assert_null (strstr (a.out->str, "bram"));
  admin_teardown (&a);
}

static void
test_disable_and_revoke (KoersServerDbBackend backend)
{
  Admin a;
  g_autofree char *organisation = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *access = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *header = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersServerCaller) before = NULL;
  g_autoptr(KoersServerCaller) after = NULL;

  admin_setup (&a, backend);
  organisation = add_organisation (&a);
  g_assert_cmpint (run (&a, PASSWORD, "gebruiker-toevoegen", "--organisatie", organisation,
                        "--gebruikersnaam", "coach.een", "--naam", "Coach Een", "--rol", "coach",
                        NULL), ==, 0);
  user_id = printed_id (&a);

  g_assert_cmpint (run (&a, NULL, "gebruiker-uitschakelen", user_id, NULL), ==, 0);
  g_assert_cmpint (run (&a, NULL, "gebruikers", organisation, NULL), ==, 0);
  g_assert_nonnull (strstr (a.out->str, "\tdisabled\t"));
  g_assert_cmpint (run (&a, NULL, "gebruiker-inschakelen", user_id, NULL), ==, 0);
  g_assert_cmpint (run (&a, NULL, "gebruiker-uitschakelen", "onbekend", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (a.err->str, "user: "));

  device_id = koers_server_auth_issue_tokens (a.auth, user_id, "Laptop", &access, NULL, &error);
  g_assert_no_error (error);
  header = g_strconcat ("Bearer ", access, NULL);
  before = koers_server_auth_check_bearer (a.auth, header, &error);
  g_assert_no_error (error);
  g_assert_nonnull (before);

  g_assert_cmpint (run (&a, NULL, "apparaat-intrekken", device_id, NULL), ==, 0);
  after = koers_server_auth_check_bearer (a.auth, header, &error);
  g_assert_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED);
  g_assert_null (after);
  g_assert_cmpint (run (&a, NULL, "apparaat-intrekken", "onbekend", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (a.err->str, "device: "));
  g_assert_cmpint (run (&a, NULL, "gebruikers", "onbekend", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (a.err->str, "organisation: "));
  admin_teardown (&a);
}

static void
test_new_epoch_and_usage (KoersServerDbBackend backend)
{
  Admin a;
  g_autofree char *before = NULL;

  admin_setup (&a, backend);
  before = g_strdup (koers_server_db_get_epoch (a.db));
  g_assert_cmpint (run (&a, NULL, "tijdperk-vernieuwen", NULL), ==, 0);
  g_assert_cmpstr (koers_server_db_get_epoch (a.db), !=, before);
  g_assert_nonnull (strstr (a.out->str, koers_server_db_get_epoch (a.db)));
  g_assert_cmpint (run (&a, NULL, "tijdperk-vernieuwen", "nu", NULL), ==, 2);

  g_assert_cmpint (run (&a, NULL, NULL), ==, 2);
  g_assert_nonnull (strstr (a.err->str, "organisatie-toevoegen"));
  g_assert_cmpint (run (&a, NULL, "wachtwoord-tonen", NULL), ==, 2);
  g_assert_nonnull (strstr (a.err->str, "wachtwoord-tonen"));
  g_assert_cmpint (run (&a, NULL, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (a.out->str, "gebruiker-toevoegen"));
  admin_teardown (&a);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-admin/add-organisation", test_add_organisation);
  koers_test_server_db_add ("/server-admin/add-user", test_add_user);
  koers_test_server_db_add ("/server-admin/add-user-invalid", test_add_user_invalid);
  koers_test_server_db_add ("/server-admin/disable-and-revoke", test_disable_and_revoke);
  koers_test_server_db_add ("/server-admin/new-epoch-and-usage", test_new_epoch_and_usage);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The platform key store (libsecret here) against a real GNOME Keyring: run through
 * tests/sync/run-with-keyring.sh, which gives the test its own D-Bus session, keyring daemon
 * and XDG directories. Without that script the keyring cases skip rather than touch the
 * developer's own keyring; the "no key store" cases need nothing and always run.
 */
#include "config.h"

#include "sync/koers-key-store.h"

#include "koers-test-key-store.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

static gboolean
have_test_keyring (void)
{
  if (g_getenv ("KOERS_TEST_KEYRING_DIR") != NULL)
    return TRUE;
  g_test_skip ("not run under tests/sync/run-with-keyring.sh: the real keyring is off limits");
  return FALSE;
}

static char *
unique (const char *prefix)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat (prefix, uuid, NULL);
}

/* TRUE when some file under @path holds @needle. */
static gboolean
tree_contains (const char *path,
               const char *needle)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        return FALSE;
      for (gsize i = 0; i + strlen (needle) <= length; i++)
        if (memcmp (contents + i, needle, strlen (needle)) == 0)
          return TRUE;
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      /* Sockets and the like cannot be read and hold nothing. */
      if (!g_file_test (child, G_FILE_TEST_IS_DIR | G_FILE_TEST_IS_REGULAR))
        continue;
      if (tree_contains (child, needle))
        return TRUE;
    }
  return FALSE;
}

/* Names of everything under @path that is not a directory. */
static void
collect_files (const char *path,
               GPtrArray  *found)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        collect_files (child, found);
      else
        g_ptr_array_add (found, g_steal_pointer (&child));
    }
}

static void
test_round_trip (void)
{
  g_autoptr(KoersKeyStore) store = NULL;
  g_autofree char *account = unique ("https://api.example.nl ");
  g_autofree char *first = unique ("eerste-geheim-");
  g_autofree char *second = unique ("tweede-geheim-");
  g_autofree char *found = NULL;
  g_autofree char *keyring = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_test_keyring ())
    return;
  store = koers_key_store_new_default ();

  g_assert_true (koers_test_key_store_save_sync (store, account, "Koers: test", first, &error));
  g_assert_no_error (error);
  found = koers_test_key_store_lookup_sync (store, account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, first);
  g_clear_pointer (&found, g_free);

  /* Saving again replaces: the rotated refresh token, never a second item. */
  g_assert_true (koers_test_key_store_save_sync (store, account, "Koers: test", second,
                                                 &error));
  g_assert_no_error (error);
  found = koers_test_key_store_lookup_sync (store, account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, second);
  g_clear_pointer (&found, g_free);

  /* The keyring file exists and holds the secret encrypted, not as text. */
  keyring = g_build_filename (g_getenv ("XDG_DATA_HOME"), "keyrings", "login.keyring", NULL);
  g_assert_true (g_file_test (keyring, G_FILE_TEST_IS_REGULAR));
  g_assert_false (tree_contains (g_getenv ("KOERS_TEST_KEYRING_DIR"), second));

  g_assert_true (koers_test_key_store_erase_sync (store, account, &error));
  g_assert_no_error (error);
  found = koers_test_key_store_lookup_sync (store, account, &error);
  g_assert_no_error (error);
  g_assert_null (found);
}

/* Other tools (seahorse, secret-tool) and later versions of Koers find the token by this
 * schema and attribute; the label is what the user sees there. */
static void
test_schema_and_label (void)
{
  static const SecretSchema schema = {
    "nl.achterhoek.Koers.Token", SECRET_SCHEMA_NONE,
    { { "account", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };
  g_autoptr(KoersKeyStore) store = NULL;
  g_autofree char *account = unique ("https://api.example.nl ");
  g_autofree char *secret = unique ("geheim-");
  g_autofree char *found = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  GList *items;

  if (!have_test_keyring ())
    return;
  store = koers_key_store_new_default ();
  g_assert_true (koers_test_key_store_save_sync (store, account,
                                                 "Koers: aanmelding bij api.example.nl",
                                                 secret, &error));
  g_assert_no_error (error);

  found = secret_password_lookup_sync (&schema, NULL, &error, "account", account, NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, secret);

  g_hash_table_insert (attributes, (gpointer) "account", account);
  items = secret_password_searchv_sync (&schema, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_retrievable_get_label (items->data);
  g_assert_cmpstr (label, ==, "Koers: aanmelding bij api.example.nl");
  g_list_free_full (items, g_object_unref);

  g_assert_true (koers_test_key_store_erase_sync (store, account, &error));
  g_assert_no_error (error);
}

static void
test_missing_account (void)
{
  g_autoptr(KoersKeyStore) store = NULL;
  g_autofree char *account = unique ("https://api.example.nl ");
  g_autofree char *found = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_test_keyring ())
    return;
  store = koers_key_store_new_default ();
  found = koers_test_key_store_lookup_sync (store, account, &error);
  g_assert_no_error (error);
  g_assert_null (found);
  g_assert_true (koers_test_key_store_erase_sync (store, account, &error));
  g_assert_no_error (error);
}

static void
test_accounts_apart (void)
{
  g_autoptr(KoersKeyStore) store = NULL;
  g_autofree char *anna = unique ("https://api.example.nl ");
  g_autofree char *bert = unique ("https://api.example.nl ");
  g_autofree char *found = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_test_keyring ())
    return;
  store = koers_key_store_new_default ();
  g_assert_true (koers_test_key_store_save_sync (store, anna, "Koers: test", "geheim-anna",
                                                 &error));
  g_assert_true (koers_test_key_store_save_sync (store, bert, "Koers: test", "geheim-bert",
                                                 &error));
  g_assert_no_error (error);

  found = koers_test_key_store_lookup_sync (store, anna, &error);
  g_assert_cmpstr (found, ==, "geheim-anna");
  g_clear_pointer (&found, g_free);
  found = koers_test_key_store_lookup_sync (store, bert, &error);
  g_assert_cmpstr (found, ==, "geheim-bert");
  g_clear_pointer (&found, g_free);

  /* Signing one device out leaves the other signed in. */
  g_assert_true (koers_test_key_store_erase_sync (store, anna, &error));
  found = koers_test_key_store_lookup_sync (store, anna, &error);
  g_assert_null (found);
  found = koers_test_key_store_lookup_sync (store, bert, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "geheim-bert");
  g_assert_true (koers_test_key_store_erase_sync (store, bert, &error));
}

/* In the child: no Secret Service reachable, fresh XDG directories. Every call fails with
 * UNAVAILABLE, the secret is in no message, and not one file appears anywhere (there is no
 * plaintext fallback). */
static void
run_without_key_store (gboolean dead_bus)
{
  static const char * const subdirs[] = { "home", "data", "config", "cache", "state", "runtime" };
  static const char * const variables[] = {
    "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
    "XDG_RUNTIME_DIR"
  };
  const char *secret = "geheim-dat-nergens-mag-landen";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("koers-no-keyring-XXXXXX", &error);
  g_autoptr(KoersKeyStore) store = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *found = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (dir, subdirs[i], NULL);

      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      g_setenv (variables[i], path, TRUE);
    }
  g_unsetenv ("DISPLAY");
  if (dead_bus)
    {
      g_autofree char *address = g_strdup_printf ("unix:path=%s/runtime/bus-die-er-niet-is",
                                                  dir);

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
    }
  else
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");

  store = koers_key_store_new_default ();
  g_assert_nonnull (store);
  g_assert_false (koers_test_key_store_save_sync (store, "https://api.example.nl apparaat",
                                                  "Koers: test", secret, &error));
  g_assert_error (error, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_UNAVAILABLE);
  g_assert_null (strstr (error->message, secret));
  g_clear_error (&error);

  found = koers_test_key_store_lookup_sync (store, "https://api.example.nl apparaat", &error);
  g_assert_error (error, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_UNAVAILABLE);
  g_assert_null (found);
  g_clear_error (&error);

  g_assert_false (koers_test_key_store_erase_sync (store, "https://api.example.nl apparaat",
                                                   &error));
  g_assert_error (error, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  collect_files (dir, files);
  for (guint i = 0; i < files->len; i++)
    g_test_message ("written without a key store: %s", (char *) g_ptr_array_index (files, i));
  g_assert_cmpuint (files->len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (dir, subdirs[i], NULL);

      g_rmdir (path);
    }
  g_rmdir (dir);
}

static void
test_unavailable_dead_bus (void)
{
  if (g_test_subprocess ())
    {
      run_without_key_store (TRUE);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_unavailable_no_bus (void)
{
  if (g_test_subprocess ())
    {
      run_without_key_store (FALSE);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/key-store/round-trip", test_round_trip);
  g_test_add_func ("/key-store/schema-and-label", test_schema_and_label);
  g_test_add_func ("/key-store/missing-account", test_missing_account);
  g_test_add_func ("/key-store/accounts-apart", test_accounts_apart);
  g_test_add_func ("/key-store/unavailable/dead-bus", test_unavailable_dead_bus);
  g_test_add_func ("/key-store/unavailable/no-bus", test_unavailable_no_bus);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-sign-in.h"

#include "sync/koers-key-store-private.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-token-source-private.h"

#include <string.h>
#ifdef G_OS_WIN32
#include <windows.h>
#include <bcrypt.h>
#else
#include <errno.h>
#include <sys/random.h>
#endif

/* RFC 7636 4.1: 32 random octets give a 43-character verifier. */
#define VERIFIER_BYTES 32
#define STATE_BYTES 24
/* The server's limit for a device name (docs/api-protocol.md); longer ones are cut here
 * rather than refused there. */
#define MAX_DEVICE_NAME 200
#define MAX_DESCRIPTION 300

G_DEFINE_QUARK (koers-sign-in-error-quark, koers_sign_in_error)

struct _KoersSignIn
{
  GObject parent_instance;

  char     *server_url;
  char     *verifier;
  char     *state;
  char     *authorize_uri;
  gboolean  spent;      /* a redirect carrying our state was taken: one exchange per attempt */
};

G_DEFINE_FINAL_TYPE (KoersSignIn, koers_sign_in, G_TYPE_OBJECT)

void
koers_token_grant_free (KoersTokenGrant *grant)
{
  if (grant == NULL)
    return;
  koers_secret_free (grant->access_token);
  koers_secret_free (grant->refresh_token);
  g_free (grant->device_id);
  g_free (grant);
}

/* PKCE and state need unpredictable bytes; GLib's g_random is not meant for that. */
static void
random_bytes (guint8 *buffer,
              gsize   length)
{
#ifdef G_OS_WIN32
  if (!BCRYPT_SUCCESS (BCryptGenRandom (NULL, buffer, (ULONG) length,
                                        BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
    g_error ("The system's random number generator failed");
#else
  gsize done = 0;

  while (done < length)
    {
      gssize n = getrandom (buffer + done, length - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("The system's random number generator failed: %s", g_strerror (errno));
      done += (gsize) n;
    }
#endif
}

/* base64url without padding (RFC 7636 appendix A). */
static char *
base64url (const guint8 *data,
           gsize         length)
{
  char *text = g_base64_encode (data, length);

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return text;
}

static char *
random_text (gsize n_bytes)
{
  guint8 buffer[64];
  char *text;

  g_assert (n_bytes <= sizeof buffer);
  random_bytes (buffer, n_bytes);
  text = base64url (buffer, n_bytes);
  memset (buffer, 0, sizeof buffer);
  return text;
}

static char *
s256_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) verifier, (gssize) strlen (verifier));
  g_checksum_get_digest (checksum, digest, &length);
  return base64url (digest, length);
}

/* Compares without stopping at the first difference, so the time taken does not tell an
 * attacker how much of a guessed state was right. */
static gboolean
equal_secret (const char *expected,
              const char *given)
{
  gsize expected_length = strlen (expected);
  gsize given_length = strlen (given);
  guint8 difference = expected_length != given_length;

  for (gsize i = 0; i < expected_length; i++)
    difference |= (guint8) expected[i] ^ (guint8) (i < given_length ? given[i] : 0);
  return difference == 0;
}

static gboolean
is_loopback_host (const char *host)
{
  return g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "::1") == 0
         || g_strcmp0 (host, "localhost") == 0;
}

/**
 * koers_sign_in_normalize_server_url:
 * @server_url: what the user typed as the server address
 * @error: KOERS_SIGN_IN_ERROR_INVALID_SERVER naming the reason
 *
 * Checks an API base URL: https (http only for 127.0.0.1, ::1 and localhost), a host, no
 * user name or password, no query or fragment. Surrounding spaces, a default port and
 * trailing slashes are dropped; scheme and host are lowercased.
 *
 * Returns: (transfer full) (nullable): the normalized URL, without a trailing slash.
 */
char *
koers_sign_in_normalize_server_url (const char  *server_url,
                                    GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GUri) uri = NULL;
  gint port;
  gsize length;

  if (server_url == NULL || !g_utf8_validate (server_url, -1, NULL))
    {
      g_set_error_literal (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_INVALID_SERVER,
                           _("Server address: not a valid URL"));
      return NULL;
    }
  trimmed = g_strstrip (g_strdup (server_url));
  for (const char *p = trimmed; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p) || *p == ' ')
      {
        g_set_error_literal (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_INVALID_SERVER,
                             _("Server address: must not contain spaces"));
        return NULL;
      }
  /* GLib's parse error can quote the URL, and a URL can hold a password: never shown. */
  uri = g_uri_parse (trimmed, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_scheme (uri) == NULL)
    {
      g_set_error_literal (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_INVALID_SERVER,
                           _("Server address: not a valid URL"));
      return NULL;
    }
  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_uri_get_host (uri) != NULL ? g_ascii_strdown (g_uri_get_host (uri), -1) : NULL;
  if (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
    {
      g_set_error_literal (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_INVALID_SERVER,
                           _("Server address: must start with https://"));
      return NULL;
    }
  if (host == NULL || *host == '\0')
    {
      g_set_error_literal (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_INVALID_SERVER,
                           _("Server address: has no host name"));
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_INVALID_SERVER,
                           _("Server address: must not contain a user name or password"));
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_INVALID_SERVER,
                           _("Server address: must not contain \"?\" or \"#\""));
      return NULL;
    }
  /* Tokens and passwords in clear text only where they never leave this computer. */
  if (g_strcmp0 (scheme, "http") == 0 && !is_loopback_host (host))
    {
      g_set_error_literal (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_INVALID_SERVER,
                           _("Server address: must start with https:// (http:// only for "
                             "this computer)"));
      return NULL;
    }

  port = g_uri_get_port (uri);
  if ((port == 443 && g_strcmp0 (scheme, "https") == 0)
      || (port == 80 && g_strcmp0 (scheme, "http") == 0))
    port = -1;
  path = g_strdup (g_uri_get_path (uri));
  length = strlen (path);
  while (length > 0 && path[length - 1] == '/')
    path[--length] = '\0';
  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, NULL, host, port, path, NULL, NULL);
}

static void
koers_sign_in_finalize (GObject *object)
{
  KoersSignIn *self = KOERS_SIGN_IN (object);

  g_free (self->server_url);
  koers_secret_free (self->verifier);
  koers_secret_free (self->state);
  g_free (self->authorize_uri);
  G_OBJECT_CLASS (koers_sign_in_parent_class)->finalize (object);
}

static void
koers_sign_in_class_init (KoersSignInClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = koers_sign_in_finalize;
}

static void
koers_sign_in_init (KoersSignIn *self)
{
  (void) self;
}

/* One line of at most MAX_DEVICE_NAME characters, or NULL: the server would refuse the
 * whole attempt over a long or multi-line host name. */
static char *
clean_device_name (const char *device_name)
{
  g_autofree char *valid = NULL;
  g_autofree char *cut = NULL;

  if (device_name == NULL)
    return NULL;
  valid = g_utf8_make_valid (device_name, -1);
  {
    /* Control characters become spaces; format characters (a translation's direction marks,
     * zero-width ones) go: the server refuses a name that holds either. */
    GString *clean = g_string_sized_new (strlen (valid));

    for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);

        if (g_unichar_type (c) == G_UNICODE_FORMAT)
          continue;
        if (g_unichar_iscntrl (c))
          g_string_append_c (clean, ' ');
        else
          g_string_append_unichar (clean, c);
      }
    g_free (valid);
    valid = g_string_free (clean, FALSE);
  }
  g_strstrip (valid);
  if (*valid == '\0')
    return NULL;
  cut = g_utf8_substring (valid, 0, MIN (g_utf8_strlen (valid, -1), MAX_DEVICE_NAME));
  return g_strstrip (g_steal_pointer (&cut));
}

static void
append_parameter (GString    *uri,
                  const char *name,
                  const char *value)
{
  if (uri->str[uri->len - 1] != '?')
    g_string_append_c (uri, '&');
  g_string_append (uri, name);
  g_string_append_c (uri, '=');
  /* Everything but RFC 3986's unreserved characters is escaped: a device name with "&",
   * "#" or spaces cannot add or cut parameters. */
  g_string_append_uri_escaped (uri, value, NULL, FALSE);
}

KoersSignIn *
koers_sign_in_new (const char  *server_url,
                   const char  *device_name,
                   GError     **error)
{
  g_autoptr(KoersSignIn) self = NULL;
  g_autofree char *url = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *device = NULL;
  GString *uri;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  url = koers_sign_in_normalize_server_url (server_url, error);
  if (url == NULL)
    return NULL;

  self = g_object_new (KOERS_TYPE_SIGN_IN, NULL);
  self->server_url = g_steal_pointer (&url);
  self->verifier = random_text (VERIFIER_BYTES);
  self->state = random_text (STATE_BYTES);
  challenge = s256_challenge (self->verifier);
  device = clean_device_name (device_name);

  uri = g_string_new (self->server_url);
  g_string_append (uri, "/oauth/autoriseren?");
  append_parameter (uri, "response_type", "code");
  append_parameter (uri, "client_id", KOERS_SIGN_IN_CLIENT_ID);
  append_parameter (uri, "redirect_uri", KOERS_SIGN_IN_REDIRECT_URI);
  append_parameter (uri, "code_challenge", challenge);
  append_parameter (uri, "code_challenge_method", "S256");
  append_parameter (uri, "state", self->state);
  if (device != NULL)
    append_parameter (uri, "apparaat", device);
  self->authorize_uri = g_string_free (uri, FALSE);
  return g_steal_pointer (&self);
}

const char *
koers_sign_in_get_server_url (KoersSignIn *self)
{
  g_return_val_if_fail (KOERS_IS_SIGN_IN (self), NULL);
  return self->server_url;
}

const char *
koers_sign_in_get_authorize_uri (KoersSignIn *self)
{
  g_return_val_if_fail (KOERS_IS_SIGN_IN (self), NULL);
  return self->authorize_uri;
}

/* The decoded query of a redirect to KOERS_SIGN_IN_REDIRECT_URI, or NULL when @uri is not
 * one or repeats a parameter (which of two states would count?). */
static GHashTable *
redirect_parameters (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) parameters = NULL;
  g_autoptr(GError) error = NULL;
  GUriParamsIter iter;
  char *name = NULL;
  char *value = NULL;

  if (uri == NULL)
    return NULL;
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL
      || g_ascii_strcasecmp (g_uri_get_scheme (parsed), KOERS_SIGN_IN_URI_SCHEME) != 0
      || g_uri_get_host (parsed) != NULL || g_uri_get_userinfo (parsed) != NULL
      || g_strcmp0 (g_uri_get_path (parsed), "/oauth/terug") != 0
      || g_uri_get_query (parsed) == NULL)
    return NULL;

  parameters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_uri_params_iter_init (&iter, g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_WWW_FORM);
  while (g_uri_params_iter_next (&iter, &name, &value, &error))
    {
      if (g_hash_table_contains (parameters, name))
        {
          g_free (name);
          g_free (value);
          return NULL;
        }
      g_hash_table_insert (parameters, name, value);
    }
  /* A malformed escape ends the loop early with an error: not ours either. */
  if (error != NULL)
    return NULL;
  return g_steal_pointer (&parameters);
}

static gboolean
carries_state (KoersSignIn *self,
               GHashTable  *parameters)
{
  const char *state = parameters != NULL ? g_hash_table_lookup (parameters, "state") : NULL;

  return state != NULL && equal_secret (self->state, state);
}

gboolean
koers_sign_in_is_redirect (const char *uri)
{
  g_autoptr(GHashTable) parameters = redirect_parameters (uri);

  return parameters != NULL;
}

gboolean
koers_sign_in_owns_redirect (KoersSignIn *self,
                             const char  *uri)
{
  g_autoptr(GHashTable) parameters = NULL;

  g_return_val_if_fail (KOERS_IS_SIGN_IN (self), FALSE);

  parameters = redirect_parameters (uri);
  return carries_state (self, parameters);
}

/* The server's error_description as one short line of text, or NULL. */
static char *
clean_description (const char *text)
{
  g_autofree char *line = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  line = g_strdup (text);
  for (char *p = line; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      *p = ' ';
  g_strstrip (line);
  if (*line == '\0')
    return NULL;
  return g_utf8_substring (line, 0, MIN (g_utf8_strlen (line, -1), MAX_DESCRIPTION));
}

static void
exchanged_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(KoersTokenGrant) grant = NULL;
  g_autoptr(GError) error = NULL;

  (void) object;
  grant = koers_token_request_finish (result, NULL, &error);
  if (grant == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NETWORK))
        g_task_return_new_error (task, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_NETWORK,
                                 "%s", error->message);
      else
        g_task_return_new_error (task, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_EXCHANGE,
                                 _("The server did not accept the sign-in: %s"),
                                 error->message);
      return;
    }
  if (grant->device_id == NULL)
    {
      g_task_return_new_error (task, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_EXCHANGE,
                               _("The server's token answer has no device id"));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&grant), (GDestroyNotify) koers_token_grant_free);
}

void
koers_sign_in_complete_async (KoersSignIn         *self,
                              SoupSession         *session,
                              const char          *redirect_uri,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) parameters = NULL;
  g_autofree char *description = NULL;
  const char *denied;
  const char *code;
  char *form;

  g_return_if_fail (KOERS_IS_SIGN_IN (self));
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (redirect_uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, koers_sign_in_complete_async);

  /* Checked before anything is sent: a code that arrives with another state was not asked
   * for by this attempt (an old tab, or someone planting their own account) and is not spent. */
  parameters = redirect_parameters (redirect_uri);
  if (!carries_state (self, parameters))
    {
      g_task_return_new_error (task, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_STATE_MISMATCH,
                               _("This answer does not belong to the current sign-in; "
                                 "start signing in again"));
      return;
    }
  /* The server revokes every token of a code that is presented twice, so a redirect the
   * browser delivers again must not undo the sign-in that just worked. */
  if (self->spent)
    {
      g_task_return_new_error (task, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_STATE_MISMATCH,
                               _("This sign-in has already been completed; start signing "
                                 "in again"));
      return;
    }
  self->spent = TRUE;

  denied = g_hash_table_lookup (parameters, "error");
  if (denied != NULL)
    {
      description = clean_description (g_hash_table_lookup (parameters, "error_description"));
      if (description == NULL)
        description = clean_description (denied);
      g_task_return_new_error (task, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_DENIED,
                               _("The server refused the sign-in: %s"),
                               description != NULL ? description : _("no reason given"));
      return;
    }
  code = g_hash_table_lookup (parameters, "code");
  if (code == NULL || *code == '\0')
    {
      g_task_return_new_error (task, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_EXCHANGE,
                               _("The server's answer carries no sign-in code"));
      return;
    }

  form = soup_form_encode ("grant_type", "authorization_code",
                           "code", code,
                           "code_verifier", self->verifier,
                           "redirect_uri", KOERS_SIGN_IN_REDIRECT_URI,
                           "client_id", KOERS_SIGN_IN_CLIENT_ID,
                           NULL);
  koers_token_request_async (session, self->server_url, form, cancellable, exchanged_cb,
                             g_steal_pointer (&task));
  koers_secret_free (form);
}

KoersTokenGrant *
koers_sign_in_complete_finish (KoersSignIn   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (KOERS_IS_SIGN_IN (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
koers_sign_in_account_for (const char *server_url,
                           const char *device_id)
{
  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (device_id != NULL, NULL);

  return g_strconcat (server_url, " ", device_id, NULL);
}

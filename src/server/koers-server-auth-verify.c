/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "server/koers-server-auth-private.h"
#include "server/koers-server-password.h"

#include <string.h>

/* Password checks of the login form. One Argon2id verification takes a few hundred
 * milliseconds and 64 MiB; on the server's single main loop that would stall every API
 * request behind each login. So the database work stays on the main loop and only the hash
 * runs on one worker thread: one at a time (memory stays at 64 MiB), a short queue, and
 * beyond that a 503 instead of an ever-growing backlog. */
#define MAX_QUEUED 8

/* Verified against when the username is unknown, so that a wrong username costs as much as a
 * wrong password (no user enumeration by timing). The hash of 32 random bytes nobody kept,
 * with the same parameters as real hashes; nothing can match it, and no account has it. */
static const char dummy_hash[] =
  "$argon2id$v=19$m=65536,t=2,p=1$VTgsWQegim+z3sCJXdi+qg$"
  "YypV7w99JKScxcHH/Y2PV2PVH8nRpeD23WeWJpm9qNQ";

struct _KoersAuthAlive {
  KoersServerAuth *auth;   /* NULL once the auth object is freed */
};

typedef struct {
  KoersAuthAlive    *alive;
  GMainContext      *context;
  char              *user_id;       /* NULL: unknown username */
  char              *hash;
  char              *password;
  gboolean           usable;        /* the account exists and is enabled */
  gboolean           matches;
  char              *new_hash;      /* set when the stored hash has outdated parameters */
  KoersAuthVerifyHook hook;
  gpointer           hook_data;
  KoersAuthVerified  done;
  gpointer           user_data;
  GDestroyNotify     destroy;
} VerifyJob;

static void
erase_and_free (char *secret)
{
  if (secret == NULL)
    return;
  memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
verify_job_free (VerifyJob *job)
{
  if (job->destroy != NULL)
    job->destroy (job->user_data);
  g_atomic_rc_box_release (job->alive);
  g_main_context_unref (job->context);
  g_free (job->user_id);
  g_free (job->hash);
  erase_and_free (job->password);
  g_free (job->new_hash);
  g_free (job);
}

static void
store_new_hash (KoersServerAuth *auth,
                VerifyJob       *job)
{
  g_autoptr(GError) db_error = NULL;
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (job->new_hash), KOERS_SQL_TEXT_VALUE (job->user_id),
  };

  /* Best effort: the old hash still works, so a failure only postpones the upgrade. */
  if (!koers_server_db_exec (auth->db, "UPDATE users SET password_hash = $1 WHERE id = $2",
                             params, G_N_ELEMENTS (params), NULL, &db_error))
    g_message ("koers-server auth: could not upgrade a password hash: %s", db_error->message);
}

/* Back on the main loop. */
static gboolean
verify_finish (gpointer data)
{
  VerifyJob *job = data;
  KoersServerAuth *auth = job->alive->auth;

  if (auth != NULL)
    {
      gboolean accepted = job->usable && job->matches;

      auth->verify_queued--;
      if (accepted && job->new_hash != NULL)
        store_new_hash (auth, job);
      job->done (auth, accepted ? job->user_id : NULL, job->user_data);
    }
  return G_SOURCE_REMOVE;
}

static void
verify_in_thread (gpointer data,
                  gpointer pool_data)
{
  VerifyJob *job = data;
  GSource *source;

  if (job->hook != NULL)
    job->hook (job->hash, job->hook_data);
  job->matches = koers_server_password_verify (job->hash, job->password);
  if (job->matches && job->usable && koers_server_password_needs_rehash (job->hash))
    job->new_hash = koers_server_password_hash (job->password);

  source = g_idle_source_new ();
  g_source_set_callback (source, verify_finish, job, (GDestroyNotify) verify_job_free);
  g_source_set_static_name (source, "[koers-server] password verified");
  g_source_attach (source, job->context);
  g_source_unref (source);
}

static gboolean
look_up (KoersServerAuth *auth,
         const char      *username,
         VerifyJob       *job,
         GError         **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autoptr(GError) db_error = NULL;
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (username) };

  if (!koers_server_auth_is_valid_username (username))
    return TRUE;
  rows = koers_server_db_query (auth->db,
                                "SELECT id, password_hash, disabled FROM users "
                                "WHERE username = $1",
                                params, G_N_ELEMENTS (params), &db_error);
  if (rows == NULL)
    {
      koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
      return FALSE;
    }
  if (koers_sql_rows_get_n_rows (rows) == 1)
    {
      job->user_id = g_strdup (koers_sql_rows_get_text (rows, 0, 0));
      job->hash = g_strdup (koers_sql_rows_get_text (rows, 0, 1));
      /* A disabled account is still verified, so it answers exactly like a wrong password. */
      job->usable = koers_sql_rows_get_int (rows, 0, 2) == 0;
    }
  return TRUE;
}

gboolean
koers_server_auth_verify_password_async (KoersServerAuth   *auth,
                                         const char        *username,
                                         const char        *password,
                                         KoersAuthVerified  done,
                                         gpointer           user_data,
                                         GDestroyNotify     destroy,
                                         GError           **error)
{
  VerifyJob *job;

  if (auth->verify_queued >= MAX_QUEUED)
    {
      g_set_error_literal (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAVAILABLE,
                           _("Too many logins at once"));
      return FALSE;
    }

  job = g_new0 (VerifyJob, 1);
  if (!look_up (auth, username, job, error))
    {
      g_free (job);
      return FALSE;
    }
  if (job->hash == NULL)
    job->hash = g_strdup (dummy_hash);
  job->password = g_strdup (password != NULL ? password : "");
  job->context = g_main_context_ref_thread_default ();
  job->hook = auth->verify_hook;
  job->hook_data = auth->verify_hook_data;
  job->done = done;
  job->user_data = user_data;
  job->destroy = destroy;

  if (auth->alive == NULL)
    {
      auth->alive = g_atomic_rc_box_new0 (KoersAuthAlive);
      auth->alive->auth = auth;
    }
  job->alive = g_atomic_rc_box_acquire (auth->alive);
  if (auth->verify_pool == NULL)
    {
      /* Cannot fail: a non-exclusive pool starts its threads on demand. */
      auth->verify_pool = g_thread_pool_new (verify_in_thread, NULL, 1, FALSE, NULL);
    }
  auth->verify_queued++;
  g_thread_pool_push (auth->verify_pool, job, NULL);
  return TRUE;
}

void
koers_server_auth_set_verify_hook (KoersServerAuth     *auth,
                                   KoersAuthVerifyHook  hook,
                                   gpointer             user_data)
{
  auth->verify_hook = hook;
  auth->verify_hook_data = user_data;
}

void
koers_server_auth_stop_verifying (KoersServerAuth *auth)
{
  /* Lets running and queued checks finish (each posts its answer to the main loop, where
   * verify_finish sees the auth object is gone and only cleans up). */
  if (auth->verify_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&auth->verify_pool), FALSE, TRUE);
  if (auth->alive != NULL)
    {
      auth->alive->auth = NULL;
      g_atomic_rc_box_release (g_steal_pointer (&auth->alive));
    }
}

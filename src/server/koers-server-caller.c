/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-caller.h"

static const char * const role_names[] = { "coach", "ondersteuner", "programmamanager" };

const char *
koers_server_role_to_string (KoersServerRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);
  return role_names[role];
}

gboolean
koers_server_role_from_string (const char *name, KoersServerRole *out_role)
{
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (g_str_equal (role_names[i], name))
      {
        if (out_role != NULL)
          *out_role = (KoersServerRole) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * koers_server_caller_new:
 * @user_id: the user's id
 * @organisation_id: the user's organisation, from the server's tables
 * @display_name: (nullable): the user's name
 * @role: the user's role, from the server's tables
 * @device_id: (nullable): the token's device
 *
 * Returns: (transfer full): a new caller.
 */
KoersServerCaller *
koers_server_caller_new (const char *user_id, const char *organisation_id,
                         const char *display_name, KoersServerRole role, const char *device_id)
{
  KoersServerCaller *caller;

  g_return_val_if_fail (user_id != NULL, NULL);
  g_return_val_if_fail (organisation_id != NULL, NULL);
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);

  caller = g_new0 (KoersServerCaller, 1);
  caller->user_id = g_strdup (user_id);
  caller->organisation_id = g_strdup (organisation_id);
  caller->display_name = g_strdup (display_name != NULL ? display_name : "");
  caller->role = role;
  caller->device_id = g_strdup (device_id);
  return caller;
}

/* Returns: (transfer full): a copy of @caller. */
KoersServerCaller *
koers_server_caller_copy (const KoersServerCaller *caller)
{
  g_return_val_if_fail (caller != NULL, NULL);
  return koers_server_caller_new (caller->user_id, caller->organisation_id,
                                  caller->display_name, caller->role, caller->device_id);
}

void
koers_server_caller_free (KoersServerCaller *caller)
{
  if (caller == NULL)
    return;
  g_free (caller->user_id);
  g_free (caller->organisation_id);
  g_free (caller->display_name);
  g_free (caller->device_id);
  g_free (caller);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Who is asking: made by the auth layer from a valid access token (or by koers-server admin
 * and the tests), borrowed by everything that decides scope. Organisation and role always come
 * from the server's own tables, never from the request.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  KOERS_SERVER_ROLE_COACH,            /* own caseload: participants whose coachId is the user */
  KOERS_SERVER_ROLE_ONDERSTEUNER,     /* the whole organisation; reassigns and erases */
  KOERS_SERVER_ROLE_PROGRAMMAMANAGER, /* regional aggregates only, no personal records */
} KoersServerRole;

typedef struct {
  char            *user_id;
  char            *organisation_id;
  char            *display_name;
  KoersServerRole  role;
  char            *device_id;        /* (nullable): the token's device */
} KoersServerCaller;

/* Wire names "coach", "ondersteuner", "programmamanager". */
const char *koers_server_role_to_string   (KoersServerRole  role);
gboolean    koers_server_role_from_string (const char      *name,
                                           KoersServerRole *out_role);

KoersServerCaller *koers_server_caller_new  (const char        *user_id,
                                             const char        *organisation_id,
                                             const char        *display_name,
                                             KoersServerRole    role,
                                             const char        *device_id);
KoersServerCaller *koers_server_caller_copy (const KoersServerCaller *caller);
void               koers_server_caller_free (KoersServerCaller *caller);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersServerCaller, koers_server_caller_free)

G_END_DECLS

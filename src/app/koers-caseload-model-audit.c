/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "app/koers-caseload-model-audit.h"
#include "storage/koers-audit.h"

/* A search is audited once the coach stopped typing for this long. */
#define SEARCH_AUDIT_DELAY_MS 1500

struct _KoersCaseloadSearchAudit
{
  KoersStore *store;
  guint       source;
};

typedef struct
{
  char  *actor;
} SearchAudit;

static void
search_audit_free (gpointer data)
{
  SearchAudit *audit = data;

  g_free (audit->actor);
  g_free (audit);
}

static gpointer
search_audit_job (KoersDatabase  *db,
                  gpointer        data,
                  GCancellable   *cancellable,
                  GError        **error)
{
  SearchAudit *audit = data;

  /* The search text itself is not kept: it may hold a name, and the audit log outlives the
   * participant files it points to. */
  koers_audit_record (db, audit->actor, KOERS_AUDIT_ACTION_SEARCH, "participant", NULL, NULL,
                      KOERS_AUDIT_RESULT_SUCCESS, error);
  return NULL;
}

static void
search_audit_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  koers_store_run_finish (KOERS_STORE (object), result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not record the search in the audit log: %s", error->message);
}

static gboolean
search_audit_timeout (gpointer user_data)
{
  KoersCaseloadSearchAudit *self = user_data;
  SearchAudit *audit = g_new0 (SearchAudit, 1);

  self->source = 0;
  audit->actor = g_strdup (koers_store_get_actor (self->store));
  koers_store_run_async (self->store, search_audit_job, audit, search_audit_free, NULL, NULL,
                         NULL, search_audit_done, NULL);
  return G_SOURCE_REMOVE;
}

KoersCaseloadSearchAudit *
koers_caseload_search_audit_new (KoersStore *store)
{
  KoersCaseloadSearchAudit *self;

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);

  self = g_new0 (KoersCaseloadSearchAudit, 1);
  self->store = g_object_ref (store);
  return self;
}

void
koers_caseload_search_audit_free (KoersCaseloadSearchAudit *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->source, g_source_remove);
  g_clear_object (&self->store);
  g_free (self);
}

void
koers_caseload_search_audit_schedule (KoersCaseloadSearchAudit *self,
                                      const char               *search)
{
  g_return_if_fail (self != NULL);

  g_clear_handle_id (&self->source, g_source_remove);
  if (search == NULL || search[0] == '\0')
    return;

  self->source = g_timeout_add (SEARCH_AUDIT_DELAY_MS, search_audit_timeout, self);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->source),
                            "[koers] search audit");
}

void
koers_caseload_search_audit_cancel (KoersCaseloadSearchAudit *self)
{
  g_return_if_fail (self != NULL);

  g_clear_handle_id (&self->source, g_source_remove);
}

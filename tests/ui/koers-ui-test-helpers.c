/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "koers-ui-test-helpers.h"
#include "koers-test-helpers.h"
#include "core/koers-participant.h"
#include "storage/koers-participant-repository.h"

static gboolean
timeout_reached (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
koers_test_wait_until (KoersTestCondition condition,
                       gpointer           data,
                       guint              timeout_ms)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add (timeout_ms, timeout_reached, &timed_out);
  gboolean result;

  while (!(result = condition (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (source);
  return result;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
koers_test_spin (guint ms)
{
  koers_test_wait_until (never, NULL, ms);
}

typedef struct
{
  GObject    *object;
  const char *property;
  gboolean    value;
} BooleanWait;

static gboolean
boolean_matches (gpointer data)
{
  BooleanWait *wait = data;
  gboolean value = FALSE;

  g_object_get (wait->object, wait->property, &value, NULL);
  return !value == !wait->value;
}

gboolean
koers_test_wait_for_boolean (gpointer    object,
                             const char *property,
                             gboolean    value,
                             guint       timeout_ms)
{
  BooleanWait wait = { G_OBJECT (object), property, value };

  return koers_test_wait_until (boolean_matches, &wait, timeout_ms);
}

KoersStore *
koers_test_make_store (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  KoersStore *store = koers_store_new (path, "test-coach", &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static gpointer
insert_job (KoersDatabase  *db,
            gpointer        data,
            GCancellable   *cancellable,
            GError        **error)
{
  KoersParticipant *participant = data;

  if (!koers_participant_repository_insert (db, participant, "test-coach", error))
    return NULL;
  return g_strdup (koers_participant_get_id (participant));
}

char *
koers_test_add_participant (KoersStore        *store,
                            const char        *name,
                            KoersMunicipality  municipality,
                            KoersTargetGroup   group,
                            KoersStatus        status)
{
  g_autoptr(KoersParticipant) participant = koers_participant_new ();
  g_autoptr(GError) error = NULL;
  char *id;

  koers_participant_set_name (participant, name);
  koers_participant_set_municipality (participant, municipality);
  koers_participant_set_target_group (participant, group);
  koers_participant_set_status (participant, status);
  koers_participant_set_registered_on (participant, "2026-02-02");

  id = koers_store_run_sync (store, insert_job, participant, "participants", &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static gpointer
delete_job (KoersDatabase  *db,
            gpointer        data,
            GCancellable   *cancellable,
            GError        **error)
{
  koers_participant_repository_set_deleted (db, data, TRUE, "test-coach", error);
  return NULL;
}

void
koers_test_delete_participant (KoersStore *store,
                               const char *id)
{
  g_autoptr(GError) error = NULL;

  koers_store_run_sync (store, delete_job, (gpointer) id, "participants", &error);
  g_assert_no_error (error);
}

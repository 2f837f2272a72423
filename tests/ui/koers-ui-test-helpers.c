/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "koers-ui-test-helpers.h"
#include "koers-test-helpers.h"
#include "core/koers-caseload-query.h"
#include "core/koers-participant.h"
#include "storage/koers-participant-repository.h"

#include <string.h>

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

typedef struct
{
  const char *prefix;
  guint       first;
  guint       n;
} Batch;

static gpointer
insert_batch_job (KoersDatabase  *db,
                  gpointer        data,
                  GCancellable   *cancellable,
                  GError        **error)
{
  Batch *batch = data;

  for (guint i = batch->first; i < batch->first + batch->n; i++)
    {
      g_autoptr(KoersParticipant) participant = koers_participant_new ();
      g_autofree char *name = g_strdup_printf ("%s %03u", batch->prefix, i);

      koers_participant_set_name (participant, name);
      koers_participant_set_municipality (participant, i % KOERS_N_MUNICIPALITIES);
      koers_participant_set_target_group (participant, i % KOERS_N_TARGET_GROUPS);
      koers_participant_set_status (participant, KOERS_STATUS_REGISTERED);
      koers_participant_set_registered_on (participant, "2026-02-02");
      if (!koers_participant_repository_insert (db, participant, "test-coach", error))
        return NULL;
    }
  return NULL;
}

void
koers_test_add_participants (KoersStore *store,
                             const char *prefix,
                             guint       first,
                             guint       n)
{
  g_autoptr(GError) error = NULL;
  Batch batch = { prefix, first, n };

  koers_store_run_sync (store, insert_batch_job, &batch, "participants", &error);
  g_assert_no_error (error);
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

/* GTK 4.8 sets a labelled button's accessible label to its text as written, "_Edit" with the
 * underscore a screen reader then reads; and it relates an icon button to its image, which has
 * no name. So only a label property without an underscore counts. */
static gboolean
has_accessible_label (GtkWidget *widget)
{
  g_autofree char *value = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                         GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;
  /* The value itself when it differs from "", NULL when it is "". */
  value = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, "");
  return value != NULL && strchr (value, '_') == NULL;
}

/* A visible text a screen reader reads as it is: one with a mnemonic would be read with its
 * underscore in GTK 4.8. */
static gboolean
has_plain_text_label (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c))
        {
          const char *text = gtk_label_get_text (GTK_LABEL (c));

          if (text != NULL && *text != '\0' && !gtk_label_get_use_underline (GTK_LABEL (c)))
            return TRUE;
        }
      else if (has_plain_text_label (c))
        {
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
is_named_control (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_DROP_DOWN (widget)
         || GTK_IS_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_SWITCH (widget);
}

static void
collect_unnamed (GtkWidget *widget,
                 GString   *unnamed)
{
  /* What is not shown (another stack page, a hidden button) is not announced either. */
  if (!gtk_widget_get_mapped (widget))
    return;
  if (is_named_control (widget))
    {
      gboolean labelled = gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                            GTK_ACCESSIBLE_PROPERTY_LABEL);

      if (labelled ? !has_accessible_label (widget) : !has_plain_text_label (widget))
        {
          const char *tooltip = gtk_widget_get_tooltip_text (widget);
          const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

          g_string_append_printf (unnamed, " %s \"%s\" (tooltip \"%s\", in %s)",
                                  G_OBJECT_TYPE_NAME (widget), id != NULL ? id : "",
                                  tooltip != NULL ? tooltip : "",
                                  G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));
        }
      /* Its parts (a dropdown's button, an entry's text) are announced as the control. */
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_unnamed (c, unnamed);
}

void
koers_test_assert_accessible_names (GtkWidget *root)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);

  g_assert_cmpstr (g_getenv ("GTK_A11Y"), ==, "test");
  collect_unnamed (root, unnamed);
  /* Lists every control without a name, so one run shows them all. */
  g_assert_cmpstr (unnamed->str, ==, "");
}

char *
koers_test_row_name (GListModel *caseload, guint position)
{
  g_autoptr(KoersCaseloadRow) row = g_list_model_get_item (caseload, position);

  g_assert_nonnull (row);
  return g_strdup (koers_caseload_row_get_name (row));
}

void
koers_test_assert_first_row (GListModel *caseload, const char *name)
{
  g_autofree char *first = koers_test_row_name (caseload, 0);

  g_assert_cmpstr (first, ==, name);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-caseload-query.h"

void
koers_caseload_query_init (KoersCaseloadQuery *query)
{
  g_return_if_fail (query != NULL);

  query->status = -1;
  query->target_group = -1;
  query->municipality = -1;
  query->project_line = 0;
  query->coach_id = NULL;
  query->search = NULL;
  query->sort = KOERS_CASELOAD_SORT_NAME;
  query->descending = FALSE;
}

/* Frees the strings and leaves @query as after init, so it can be reused. */
void
koers_caseload_query_clear (KoersCaseloadQuery *query)
{
  g_return_if_fail (query != NULL);

  g_clear_pointer (&query->coach_id, g_free);
  g_clear_pointer (&query->search, g_free);
  koers_caseload_query_init (query);
}

/* @dest must be initialised (or cleared); its strings are freed first. */
void
koers_caseload_query_copy (KoersCaseloadQuery *dest, const KoersCaseloadQuery *src)
{
  g_return_if_fail (dest != NULL);
  g_return_if_fail (src != NULL);

  if (dest == src)
    return;
  koers_caseload_query_clear (dest);
  *dest = *src;
  dest->coach_id = g_strdup (src->coach_id);
  dest->search = g_strdup (src->search);
}

static gboolean
search_equal (const char *a, const char *b)
{
  /* NULL and "" both mean "no search". */
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

gboolean
koers_caseload_query_equal (const KoersCaseloadQuery *a, const KoersCaseloadQuery *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return a->status == b->status && a->target_group == b->target_group
         && a->municipality == b->municipality && a->project_line == b->project_line
         && g_strcmp0 (a->coach_id, b->coach_id) == 0 && search_equal (a->search, b->search)
         && a->sort == b->sort && !a->descending == !b->descending;
}

struct _KoersCaseloadRow
{
  GObject parent_instance;

  gint64 rowid;
  char *id;
  char *name;
  KoersMunicipality municipality;
  KoersTargetGroup target_group;
  KoersStatus status;
  char *coach_name;
  char *next_action_date;
};

G_DEFINE_FINAL_TYPE (KoersCaseloadRow, koers_caseload_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_ROWID,
  ROW_PROP_ID,
  ROW_PROP_NAME,
  ROW_PROP_MUNICIPALITY,
  ROW_PROP_TARGET_GROUP,
  ROW_PROP_STATUS,
  ROW_PROP_COACH_NAME,
  ROW_PROP_NEXT_ACTION_DATE,
  ROW_N_PROPS
};

static GParamSpec *row_properties[ROW_N_PROPS];

static void
koers_caseload_row_finalize (GObject *object)
{
  KoersCaseloadRow *self = KOERS_CASELOAD_ROW (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->coach_name);
  g_free (self->next_action_date);
  G_OBJECT_CLASS (koers_caseload_row_parent_class)->finalize (object);
}

static void
koers_caseload_row_get_property (GObject *object, guint prop_id, GValue *value,
                                 GParamSpec *pspec)
{
  KoersCaseloadRow *self = KOERS_CASELOAD_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_ROWID:
      g_value_set_int64 (value, self->rowid);
      break;
    case ROW_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case ROW_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case ROW_PROP_MUNICIPALITY:
      g_value_set_int (value, self->municipality);
      break;
    case ROW_PROP_TARGET_GROUP:
      g_value_set_int (value, self->target_group);
      break;
    case ROW_PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case ROW_PROP_COACH_NAME:
      g_value_set_string (value, self->coach_name);
      break;
    case ROW_PROP_NEXT_ACTION_DATE:
      g_value_set_string (value, self->next_action_date);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_caseload_row_set_property (GObject *object, guint prop_id, const GValue *value,
                                 GParamSpec *pspec)
{
  KoersCaseloadRow *self = KOERS_CASELOAD_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_ROWID:
      self->rowid = g_value_get_int64 (value);
      break;
    case ROW_PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case ROW_PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case ROW_PROP_MUNICIPALITY:
      self->municipality = g_value_get_int (value);
      break;
    case ROW_PROP_TARGET_GROUP:
      self->target_group = g_value_get_int (value);
      break;
    case ROW_PROP_STATUS:
      self->status = g_value_get_int (value);
      break;
    case ROW_PROP_COACH_NAME:
      self->coach_name = g_value_dup_string (value);
      break;
    case ROW_PROP_NEXT_ACTION_DATE:
      self->next_action_date = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_caseload_row_class_init (KoersCaseloadRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS
                      | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = koers_caseload_row_finalize;
  object_class->get_property = koers_caseload_row_get_property;
  object_class->set_property = koers_caseload_row_set_property;

  row_properties[ROW_PROP_ROWID] =
    g_param_spec_int64 ("rowid", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  row_properties[ROW_PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_MUNICIPALITY] =
    g_param_spec_int ("municipality", NULL, NULL, 0, KOERS_N_MUNICIPALITIES - 1, 0, flags);
  row_properties[ROW_PROP_TARGET_GROUP] =
    g_param_spec_int ("target-group", NULL, NULL, 0, KOERS_N_TARGET_GROUPS - 1, 0, flags);
  row_properties[ROW_PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL, 0, KOERS_N_STATUSES - 1, 0, flags);
  row_properties[ROW_PROP_COACH_NAME] =
    g_param_spec_string ("coach-name", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_NEXT_ACTION_DATE] =
    g_param_spec_string ("next-action-date", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
koers_caseload_row_init (KoersCaseloadRow *self)
{
}

/**
 * koers_caseload_row_new:
 *
 * Returns: (transfer full): an immutable caseload row.
 */
KoersCaseloadRow *
koers_caseload_row_new (gint64 rowid, const char *id, const char *name,
                        KoersMunicipality municipality, KoersTargetGroup target_group,
                        KoersStatus status, const char *coach_name, const char *next_action_date)
{
  g_return_val_if_fail ((guint) municipality < KOERS_N_MUNICIPALITIES, NULL);
  g_return_val_if_fail ((guint) target_group < KOERS_N_TARGET_GROUPS, NULL);
  g_return_val_if_fail ((guint) status < KOERS_N_STATUSES, NULL);

  return g_object_new (KOERS_TYPE_CASELOAD_ROW,
                       "rowid", rowid,
                       "id", id,
                       "name", name,
                       "municipality", (int) municipality,
                       "target-group", (int) target_group,
                       "status", (int) status,
                       "coach-name", coach_name,
                       "next-action-date", next_action_date,
                       NULL);
}

gint64
koers_caseload_row_get_rowid (KoersCaseloadRow *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_ROW (self), 0);
  return self->rowid;
}

const char *
koers_caseload_row_get_id (KoersCaseloadRow *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_ROW (self), NULL);
  return self->id;
}

const char *
koers_caseload_row_get_name (KoersCaseloadRow *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_ROW (self), NULL);
  return self->name;
}

KoersMunicipality
koers_caseload_row_get_municipality (KoersCaseloadRow *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_ROW (self), 0);
  return self->municipality;
}

KoersTargetGroup
koers_caseload_row_get_target_group (KoersCaseloadRow *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_ROW (self), 0);
  return self->target_group;
}

KoersStatus
koers_caseload_row_get_status (KoersCaseloadRow *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_ROW (self), 0);
  return self->status;
}

const char *
koers_caseload_row_get_coach_name (KoersCaseloadRow *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_ROW (self), NULL);
  return self->coach_name;
}

const char *
koers_caseload_row_get_next_action_date (KoersCaseloadRow *self)
{
  g_return_val_if_fail (KOERS_IS_CASELOAD_ROW (self), NULL);
  return self->next_action_date;
}

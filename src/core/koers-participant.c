/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-participant.h"

/* Properties are described once in a table (name, kind, field offset, range) that drives the
 * GParamSpecs, get/set_property and copy, so adding a field cannot forget one of them. The
 * typed setters below are the public API; set_property forwards to the same code path. */

struct _KoersParticipant
{
  GObject parent_instance;

  char *id;
  char *organisation_id;
  gint64 version;
  char *created_at;
  char *created_by;
  char *updated_at;
  char *updated_by;
  gboolean deleted;

  char *name;
  char *preferred_name;
  int birth_year;
  int municipality;
  char *phone;
  char *email;
  char *languages;
  char *preferred_language;
  int dutch_level;
  gboolean digital_skills_need;
  gboolean basic_skills_need;
  int target_group;
  gboolean civic_integration_duty;
  char *interests;
  char *ambitions;

  char *coach_id;
  int project_line;
  int status;
  char *registered_on;
  char *next_action;
  char *next_action_date;
  int outcome;
  char *outcome_date;
};

G_DEFINE_FINAL_TYPE (KoersParticipant, koers_participant, G_TYPE_OBJECT)

typedef enum {
  PROP_0,
  PROP_ID,
  PROP_ORGANISATION_ID,
  PROP_VERSION,
  PROP_CREATED_AT,
  PROP_CREATED_BY,
  PROP_UPDATED_AT,
  PROP_UPDATED_BY,
  PROP_DELETED,
  PROP_NAME,
  PROP_PREFERRED_NAME,
  PROP_BIRTH_YEAR,
  PROP_MUNICIPALITY,
  PROP_PHONE,
  PROP_EMAIL,
  PROP_LANGUAGES,
  PROP_PREFERRED_LANGUAGE,
  PROP_DUTCH_LEVEL,
  PROP_DIGITAL_SKILLS_NEED,
  PROP_BASIC_SKILLS_NEED,
  PROP_TARGET_GROUP,
  PROP_CIVIC_INTEGRATION_DUTY,
  PROP_INTERESTS,
  PROP_AMBITIONS,
  PROP_COACH_ID,
  PROP_PROJECT_LINE,
  PROP_STATUS,
  PROP_REGISTERED_ON,
  PROP_NEXT_ACTION,
  PROP_NEXT_ACTION_DATE,
  PROP_OUTCOME,
  PROP_OUTCOME_DATE,
  N_PROPS
} KoersParticipantProperty;

typedef enum {
  KIND_STRING,
  KIND_INT,
  KIND_INT64,
  KIND_BOOLEAN,
} PropertyKind;

typedef struct {
  const char  *name;
  PropertyKind kind;
  gsize        offset;
  int          min;   /* KIND_INT only */
  int          max;
} PropertyInfo;

#define STR(prop_name, field) \
  { prop_name, KIND_STRING, G_STRUCT_OFFSET (KoersParticipant, field), 0, 0 }
#define BOOL(prop_name, field) \
  { prop_name, KIND_BOOLEAN, G_STRUCT_OFFSET (KoersParticipant, field), 0, 0 }
#define INT(prop_name, field, lo, hi) \
  { prop_name, KIND_INT, G_STRUCT_OFFSET (KoersParticipant, field), lo, hi }

/* birth-year and project-line accept any int: an importer sets what the file says and
 * koers_participant_validate () explains what is wrong, instead of a critical warning. */
static const PropertyInfo property_info[N_PROPS] = {
  [PROP_0] = { NULL, KIND_STRING, 0, 0, 0 },
  [PROP_ID] = STR ("id", id),
  [PROP_ORGANISATION_ID] = STR ("organisation-id", organisation_id),
  [PROP_VERSION] = { "version", KIND_INT64, G_STRUCT_OFFSET (KoersParticipant, version), 0, 0 },
  [PROP_CREATED_AT] = STR ("created-at", created_at),
  [PROP_CREATED_BY] = STR ("created-by", created_by),
  [PROP_UPDATED_AT] = STR ("updated-at", updated_at),
  [PROP_UPDATED_BY] = STR ("updated-by", updated_by),
  [PROP_DELETED] = BOOL ("deleted", deleted),
  [PROP_NAME] = STR ("name", name),
  [PROP_PREFERRED_NAME] = STR ("preferred-name", preferred_name),
  [PROP_BIRTH_YEAR] = INT ("birth-year", birth_year, G_MININT, G_MAXINT),
  [PROP_MUNICIPALITY] = INT ("municipality", municipality, 0, KOERS_N_MUNICIPALITIES - 1),
  [PROP_PHONE] = STR ("phone", phone),
  [PROP_EMAIL] = STR ("email", email),
  [PROP_LANGUAGES] = STR ("languages", languages),
  [PROP_PREFERRED_LANGUAGE] = STR ("preferred-language", preferred_language),
  [PROP_DUTCH_LEVEL] = INT ("dutch-level", dutch_level, 0, KOERS_N_CEFR_LEVELS - 1),
  [PROP_DIGITAL_SKILLS_NEED] = BOOL ("digital-skills-need", digital_skills_need),
  [PROP_BASIC_SKILLS_NEED] = BOOL ("basic-skills-need", basic_skills_need),
  [PROP_TARGET_GROUP] = INT ("target-group", target_group, 0, KOERS_N_TARGET_GROUPS - 1),
  [PROP_CIVIC_INTEGRATION_DUTY] = BOOL ("civic-integration-duty", civic_integration_duty),
  [PROP_INTERESTS] = STR ("interests", interests),
  [PROP_AMBITIONS] = STR ("ambitions", ambitions),
  [PROP_COACH_ID] = STR ("coach-id", coach_id),
  [PROP_PROJECT_LINE] = INT ("project-line", project_line, G_MININT, G_MAXINT),
  [PROP_STATUS] = INT ("status", status, 0, KOERS_N_STATUSES - 1),
  [PROP_REGISTERED_ON] = STR ("registered-on", registered_on),
  [PROP_NEXT_ACTION] = STR ("next-action", next_action),
  [PROP_NEXT_ACTION_DATE] = STR ("next-action-date", next_action_date),
  [PROP_OUTCOME] = INT ("outcome", outcome, 0, KOERS_N_OUTCOMES - 1),
  [PROP_OUTCOME_DATE] = STR ("outcome-date", outcome_date),
};

#undef STR
#undef BOOL
#undef INT

static GParamSpec *properties[N_PROPS];

#define FIELD(self, type, prop) \
  ((type *) (gpointer) ((guint8 *) (self) + property_info[prop].offset))

static void
set_string_prop (KoersParticipant *self, KoersParticipantProperty prop, const char *value)
{
  char **field = FIELD (self, char *, prop);

  g_assert (property_info[prop].kind == KIND_STRING);
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int_prop (KoersParticipant *self, KoersParticipantProperty prop, int value)
{
  int *field = FIELD (self, int, prop);

  g_assert (property_info[prop].kind == KIND_INT);
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_boolean_prop (KoersParticipant *self, KoersParticipantProperty prop, gboolean value)
{
  gboolean *field = FIELD (self, gboolean, prop);

  g_assert (property_info[prop].kind == KIND_BOOLEAN);
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
koers_participant_finalize (GObject *object)
{
  KoersParticipant *self = KOERS_PARTICIPANT (object);

  for (guint prop = 1; prop < N_PROPS; prop++)
    if (property_info[prop].kind == KIND_STRING)
      g_free (*FIELD (self, char *, prop));

  G_OBJECT_CLASS (koers_participant_parent_class)->finalize (object);
}

static void
koers_participant_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  KoersParticipant *self = KOERS_PARTICIPANT (object);

  if (prop_id == 0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  switch (property_info[prop_id].kind)
    {
    case KIND_STRING:
      g_value_set_string (value, *FIELD (self, char *, prop_id));
      break;
    case KIND_INT:
      g_value_set_int (value, *FIELD (self, int, prop_id));
      break;
    case KIND_INT64:
      g_value_set_int64 (value, *FIELD (self, gint64, prop_id));
      break;
    case KIND_BOOLEAN:
      g_value_set_boolean (value, *FIELD (self, gboolean, prop_id));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
koers_participant_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  KoersParticipant *self = KOERS_PARTICIPANT (object);

  if (prop_id == 0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  switch (property_info[prop_id].kind)
    {
    case KIND_STRING:
      set_string_prop (self, prop_id, g_value_get_string (value));
      break;
    case KIND_INT:
      set_int_prop (self, prop_id, g_value_get_int (value));
      break;
    case KIND_INT64:
      koers_participant_set_version (self, g_value_get_int64 (value));
      break;
    case KIND_BOOLEAN:
      set_boolean_prop (self, prop_id, g_value_get_boolean (value));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
koers_participant_class_init (KoersParticipantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = koers_participant_finalize;
  object_class->get_property = koers_participant_get_property;
  object_class->set_property = koers_participant_set_property;

  for (guint prop = 1; prop < N_PROPS; prop++)
    {
      const PropertyInfo *info = &property_info[prop];

      switch (info->kind)
        {
        case KIND_STRING:
          properties[prop] = g_param_spec_string (info->name, NULL, NULL, NULL, flags);
          break;
        case KIND_INT:
          properties[prop] = g_param_spec_int (info->name, NULL, NULL, info->min, info->max,
                                               0, flags);
          break;
        case KIND_INT64:
          properties[prop] = g_param_spec_int64 (info->name, NULL, NULL, 0, G_MAXINT64, 0,
                                                 flags);
          break;
        case KIND_BOOLEAN:
          properties[prop] = g_param_spec_boolean (info->name, NULL, NULL, FALSE, flags);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
koers_participant_init (KoersParticipant *self)
{
  /* Zero is the right default for every field: registered, outcome unknown, Dutch level
   * unknown, no project line, birth year unknown. */
}

/**
 * koers_participant_new:
 *
 * Returns: (transfer full): an empty participant, status registered.
 */
KoersParticipant *
koers_participant_new (void)
{
  return g_object_new (KOERS_TYPE_PARTICIPANT, NULL);
}

/**
 * koers_participant_copy:
 * @self: a participant
 *
 * Returns: (transfer full): a deep copy with every property.
 */
KoersParticipant *
koers_participant_copy (KoersParticipant *self)
{
  KoersParticipant *copy;

  g_return_val_if_fail (KOERS_IS_PARTICIPANT (self), NULL);

  copy = koers_participant_new ();
  for (guint prop = 1; prop < N_PROPS; prop++)
    {
      switch (property_info[prop].kind)
        {
        case KIND_STRING:
          *FIELD (copy, char *, prop) = g_strdup (*FIELD (self, char *, prop));
          break;
        case KIND_INT:
          *FIELD (copy, int, prop) = *FIELD (self, int, prop);
          break;
        case KIND_INT64:
          *FIELD (copy, gint64, prop) = *FIELD (self, gint64, prop);
          break;
        case KIND_BOOLEAN:
          *FIELD (copy, gboolean, prop) = *FIELD (self, gboolean, prop);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return copy;
}

#define STRING_ACCESSORS(name, PROP) \
  const char * \
  koers_participant_get_##name (KoersParticipant *self) \
  { \
    g_return_val_if_fail (KOERS_IS_PARTICIPANT (self), NULL); \
    return *FIELD (self, char *, PROP); \
  } \
  void \
  koers_participant_set_##name (KoersParticipant *self, const char *value) \
  { \
    g_return_if_fail (KOERS_IS_PARTICIPANT (self)); \
    set_string_prop (self, PROP, value); \
  }

#define BOOLEAN_ACCESSORS(name, PROP) \
  gboolean \
  koers_participant_get_##name (KoersParticipant *self) \
  { \
    g_return_val_if_fail (KOERS_IS_PARTICIPANT (self), FALSE); \
    return *FIELD (self, gboolean, PROP); \
  } \
  void \
  koers_participant_set_##name (KoersParticipant *self, gboolean value) \
  { \
    g_return_if_fail (KOERS_IS_PARTICIPANT (self)); \
    set_boolean_prop (self, PROP, value); \
  }

/* Enum setters refuse values outside the vocabulary: those are programming errors, not input
 * (input arrives as identifiers, which koers_*_from_id () checks). */
#define ENUM_ACCESSORS(Type, name, PROP, N) \
  Type \
  koers_participant_get_##name (KoersParticipant *self) \
  { \
    g_return_val_if_fail (KOERS_IS_PARTICIPANT (self), 0); \
    return (Type) *FIELD (self, int, PROP); \
  } \
  void \
  koers_participant_set_##name (KoersParticipant *self, Type value) \
  { \
    g_return_if_fail (KOERS_IS_PARTICIPANT (self)); \
    g_return_if_fail ((guint) value < (N)); \
    set_int_prop (self, PROP, (int) value); \
  }

#define INT_ACCESSORS(name, PROP) \
  int \
  koers_participant_get_##name (KoersParticipant *self) \
  { \
    g_return_val_if_fail (KOERS_IS_PARTICIPANT (self), 0); \
    return *FIELD (self, int, PROP); \
  } \
  void \
  koers_participant_set_##name (KoersParticipant *self, int value) \
  { \
    g_return_if_fail (KOERS_IS_PARTICIPANT (self)); \
    set_int_prop (self, PROP, value); \
  }

STRING_ACCESSORS (id, PROP_ID)
STRING_ACCESSORS (organisation_id, PROP_ORGANISATION_ID)
STRING_ACCESSORS (created_at, PROP_CREATED_AT)
STRING_ACCESSORS (created_by, PROP_CREATED_BY)
STRING_ACCESSORS (updated_at, PROP_UPDATED_AT)
STRING_ACCESSORS (updated_by, PROP_UPDATED_BY)
BOOLEAN_ACCESSORS (deleted, PROP_DELETED)

STRING_ACCESSORS (name, PROP_NAME)
STRING_ACCESSORS (preferred_name, PROP_PREFERRED_NAME)
INT_ACCESSORS (birth_year, PROP_BIRTH_YEAR)
ENUM_ACCESSORS (KoersMunicipality, municipality, PROP_MUNICIPALITY, KOERS_N_MUNICIPALITIES)
STRING_ACCESSORS (phone, PROP_PHONE)
STRING_ACCESSORS (email, PROP_EMAIL)
STRING_ACCESSORS (languages, PROP_LANGUAGES)
STRING_ACCESSORS (preferred_language, PROP_PREFERRED_LANGUAGE)
ENUM_ACCESSORS (KoersCefrLevel, dutch_level, PROP_DUTCH_LEVEL, KOERS_N_CEFR_LEVELS)
BOOLEAN_ACCESSORS (digital_skills_need, PROP_DIGITAL_SKILLS_NEED)
BOOLEAN_ACCESSORS (basic_skills_need, PROP_BASIC_SKILLS_NEED)
ENUM_ACCESSORS (KoersTargetGroup, target_group, PROP_TARGET_GROUP, KOERS_N_TARGET_GROUPS)
BOOLEAN_ACCESSORS (civic_integration_duty, PROP_CIVIC_INTEGRATION_DUTY)
STRING_ACCESSORS (interests, PROP_INTERESTS)
STRING_ACCESSORS (ambitions, PROP_AMBITIONS)

STRING_ACCESSORS (coach_id, PROP_COACH_ID)
INT_ACCESSORS (project_line, PROP_PROJECT_LINE)
ENUM_ACCESSORS (KoersStatus, status, PROP_STATUS, KOERS_N_STATUSES)
STRING_ACCESSORS (registered_on, PROP_REGISTERED_ON)
STRING_ACCESSORS (next_action, PROP_NEXT_ACTION)
STRING_ACCESSORS (next_action_date, PROP_NEXT_ACTION_DATE)
ENUM_ACCESSORS (KoersOutcome, outcome, PROP_OUTCOME, KOERS_N_OUTCOMES)
STRING_ACCESSORS (outcome_date, PROP_OUTCOME_DATE)

gint64
koers_participant_get_version (KoersParticipant *self)
{
  g_return_val_if_fail (KOERS_IS_PARTICIPANT (self), 0);
  return self->version;
}

/* 0 means "never synced"; the server hands out higher versions. */
void
koers_participant_set_version (KoersParticipant *self, gint64 version)
{
  g_return_if_fail (KOERS_IS_PARTICIPANT (self));
  g_return_if_fail (version >= 0);

  if (self->version == version)
    return;
  self->version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
}

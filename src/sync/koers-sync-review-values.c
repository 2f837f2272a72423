/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The values of the Conflicts page: labels a coach knows (the ones the participant page and
 * its dialogs use, so the same field has the same name everywhere), display text, and parsing
 * what the user typed with the rules the editor and the server apply. No SQL here.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-sync-review.h"

#include "core/koers-bsn.h"
#include "core/koers-date.h"
#include "core/koers-enums.h"
#include "core/koers-i18n.h"
#include "core/koers-participant.h"
#include "core/koers-sync-entities.h"
#include "core/koers-text.h"

#include <string.h>

typedef struct {
  const char *entity;   /* NULL: any entity */
  const char *field;
  const char *label;
  const char *property; /* KoersParticipant property the editor validates, or NULL */
} FieldLabel;

static const FieldLabel field_labels[] = {
  { "deelnemers", "naam", N_("Name"), "name" },
  { "deelnemers", "roepnaam", N_("Preferred name"), "preferred-name" },
  { "deelnemers", "geboortejaar", N_("Birth year"), "birth-year" },
  { "deelnemers", "gemeente", N_("Municipality"), NULL },
  { "deelnemers", "telefoon", N_("Phone"), "phone" },
  { "deelnemers", "email", N_("Email"), "email" },
  { "deelnemers", "talen", N_("Languages"), "languages" },
  { "deelnemers", "voorkeurstaal", N_("Preferred language"), "preferred-language" },
  { "deelnemers", "niveauNederlands", N_("Dutch level"), NULL },
  { "deelnemers", "digitaleVaardighedenNodig", N_("Needs digital skills support"), NULL },
  { "deelnemers", "basisvaardighedenNodig", N_("Needs basic skills support"), NULL },
  { "deelnemers", "inburgeringsplicht", N_("Civic-integration duty"), NULL },
  { "deelnemers", "doelgroep", N_("Target group"), NULL },
  { "deelnemers", "interesses", N_("Interests"), "interests" },
  { "deelnemers", "ambities", N_("Ambitions"), "ambitions" },
  { "deelnemers", "coachId", N_("Coach"), NULL },
  { "deelnemers", "projectlijn", N_("Project line"), "project-line" },
  { "deelnemers", "status", N_("Status"), NULL },
  { "deelnemers", "aanmeldDatum", N_("Registered on"), NULL },
  { "deelnemers", "volgendeActieDatum", N_("Next action date"), NULL },
  { "deelnemers", "volgendeActie", N_("Next action"), "next-action" },
  { "deelnemers", "uitkomst", N_("Outcome"), NULL },
  { "deelnemers", "uitkomstDatum", N_("Outcome date"), NULL },
  { "activiteiten", "soort", N_("Kind"), NULL },
  { "activiteiten", "titel", N_("Title"), NULL },
  { "activiteiten", "sector", N_("Sector"), NULL },
  { "activiteiten", "aanbieder", N_("Provider"), NULL },
  { "activiteiten", "werkgever", N_("Employer"), NULL },
  { "activiteiten", "startDatum", N_("Start date"), NULL },
  { "activiteiten", "eindDatum", N_("End date"), NULL },
  { "vaardigheden", "label", N_("Skill"), NULL },
  { "vaardigheden", "competentnlCode", N_("CompetentNL code"), NULL },
  { "vaardigheden", "iscoCode", N_("ISCO-08 code"), NULL },
  { "vaardigheden", "bewijs", N_("Evidence"), NULL },
  { "vaardigheden", "gevalideerdDoor", N_("Validated by"), NULL },
  { "toestemmingen", "reikwijdte", N_("Scope"), NULL },
  { "toestemmingen", "gegevenDatum", N_("Given on"), NULL },
  { "toestemmingen", "ingetrokkenDatum", N_("Withdrawn on"), NULL },
  { "notities", "soort", N_("Kind"), NULL },
  { "notities", "datum", N_("Date"), NULL },
  { "notities", "tekst", N_("Text"), NULL },
  { "statuswijzigingen", "vanStatus", N_("From status"), NULL },
  { "statuswijzigingen", "naarStatus", N_("To status"), NULL },
  { "statuswijzigingen", "datum", N_("Date"), NULL },
  { "conflicten", "keuze", N_("Choice"), NULL },
  { "conflicten", "waarde", N_("Value"), NULL },
  { NULL, "nlqfNiveau", N_("NLQF level"), NULL },
  { NULL, "deelnemerId", N_("Participant"), NULL },
  /* Translators: a conflict where one device deleted a record another device changed */
  { NULL, KOERS_SYNC_DELETED_FIELD, N_("Deleted or kept"), NULL },
};

static const FieldLabel *
find_label (const char *entity, const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if ((field_labels[i].entity == NULL || g_strcmp0 (field_labels[i].entity, entity) == 0)
        && g_strcmp0 (field_labels[i].field, field) == 0)
      return &field_labels[i];
  return NULL;
}

const char *
koers_sync_review_entity_label (const char *entity)
{
  static const struct { const char *name; const char *label; } labels[] = {
    { "deelnemers", N_("Participant") },
    { "notities", N_("Note") },
    { "activiteiten", N_("Activity") },
    { "vaardigheden", N_("Skill") },
    { "toestemmingen", N_("Consent") },
    { "statuswijzigingen", N_("Status change") },
    { "conflicten", N_("Conflict resolution") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].name, entity) == 0)
      return _(labels[i].label);
  return entity != NULL ? entity : "";
}

const char *
koers_sync_review_field_label (const char *entity, const char *field)
{
  const FieldLabel *label = find_label (entity, field);

  return label != NULL ? _(label->label) : field != NULL ? field : "";
}

const char *
koers_sync_review_action_label (const char *action)
{
  static const struct { const char *name; const char *label; } labels[] = {
    { "aanmaken", N_("Added") },
    { "wijzigen", N_("Changed") },
    { "verwijderen", N_("Deleted") },
    { "herstellen", N_("Restored") },
    { "oplossen", N_("Conflict resolved") },
    { "wissen", N_("Erased") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].name, action) == 0)
      return _(labels[i].label);
  return action != NULL ? action : "";
}

/* The label of a vocabulary id, or NULL when @field has no vocabulary or @id is unknown. */
static const char *
choice_label (const char *entity, const char *field, const char *id)
{
#define TRY(vocab, Type) \
  G_STMT_START { \
    Type value_; \
    if (koers_##vocab##_from_id (id, &value_)) \
      return koers_##vocab##_label (value_); \
    return NULL; \
  } G_STMT_END

  if (g_str_equal (field, "gemeente"))
    TRY (municipality, KoersMunicipality);
  if (g_str_equal (field, "niveauNederlands"))
    TRY (cefr_level, KoersCefrLevel);
  if (g_str_equal (field, "doelgroep"))
    TRY (target_group, KoersTargetGroup);
  if (g_str_equal (field, "status") || g_str_equal (field, "vanStatus")
      || g_str_equal (field, "naarStatus"))
    TRY (status, KoersStatus);
  if (g_str_equal (field, "uitkomst"))
    TRY (outcome, KoersOutcome);
  if (g_str_equal (field, "sector"))
    TRY (sector, KoersSector);
  if (g_str_equal (field, "reikwijdte"))
    TRY (consent_scope, KoersConsentScope);
  if (g_str_equal (field, "soort") && g_strcmp0 (entity, "notities") == 0)
    TRY (note_kind, KoersNoteKind);
  if (g_str_equal (field, "soort"))
    TRY (activity_kind, KoersActivityKind);
  if (g_str_equal (field, "keuze"))
    return g_str_equal (id, "mijn") ? _("Mine") : g_str_equal (id, "hun") ? _("Theirs")
                                                                           : _("Edited");
  return NULL;
#undef TRY
}

static const KoersSyncField *
lookup_field (const char *entity, const char *field)
{
  const KoersSyncEntity *declared = koers_sync_entity_lookup (entity);

  return declared != NULL ? koers_sync_entity_field (declared, field) : NULL;
}

char *
koers_sync_review_value_label (const char *entity, const char *field, JsonNode *value,
                               GHashTable *people)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (g_str_equal (field, KOERS_SYNC_DELETED_FIELD))
    /* null keeps the tombstone; an object restores the record with those values */
    return g_strdup (value == NULL || JSON_NODE_HOLDS_NULL (value) ? _("Deleted")
                                                                   : _("Kept, with its changes"));
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup (g_str_equal (field, "coachId") ? _("Unassigned") : _("Not recorded"));
  if (!JSON_NODE_HOLDS_VALUE (value))
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_root (generator, value);
      return json_generator_to_data (generator, NULL);
    }

  switch (json_node_get_value_type (value))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (value) ? _("Yes") : _("No"));
    case G_TYPE_INT64:
      {
        gint64 number = json_node_get_int (value);

        if (g_str_equal (field, "projectlijn"))
          return g_strdup (number > 0 && number <= KOERS_N_PROJECT_LINES
                           ? koers_project_line_label ((int) number) : _("None"));
        if (g_str_equal (field, "geboortejaar") && number == 0)
          return g_strdup (_("Not recorded"));
        return g_strdup_printf ("%" G_GINT64_FORMAT, number);
      }
    case G_TYPE_DOUBLE:
      return g_strdup_printf ("%g", json_node_get_double (value));
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (value);
        const KoersSyncField *declared = lookup_field (entity, field);
        const char *label = choice_label (entity, field, text);

        if (label != NULL)
          return g_strdup (label);
        if (declared != NULL && declared->type == KOERS_SYNC_FIELD_DATE
            && koers_date_is_valid_iso (text))
          return koers_date_format (text, koers_locale_style_current ());
        if (declared != NULL && declared->type == KOERS_SYNC_FIELD_UUID && people != NULL
            && g_hash_table_contains (people, text))
          return g_strdup (g_hash_table_lookup (people, text));
        return g_strdup (text);
      }
    default:
      return g_strdup ("");
    }
}

KoersSyncEditKind
koers_sync_review_edit_kind (const char *entity, const char *field)
{
  const KoersSyncField *declared = lookup_field (entity, field);

  /* Only what a person can type or pick: a coach or parent id, yes/no (mine and theirs are
   * the only two values) and fields fixed at creation or written by the server are not. */
  if (declared == NULL || declared->column == NULL
      || (declared->merge != KOERS_SYNC_MERGE_FIELD && declared->merge != KOERS_SYNC_MERGE_STATE))
    return KOERS_SYNC_EDIT_NONE;
  switch (declared->type)
    {
    case KOERS_SYNC_FIELD_TEXT:
      return declared->multi_line ? KOERS_SYNC_EDIT_LONG_TEXT : KOERS_SYNC_EDIT_TEXT;
    case KOERS_SYNC_FIELD_INT:
    case KOERS_SYNC_FIELD_DATE:
      return KOERS_SYNC_EDIT_TEXT;
    case KOERS_SYNC_FIELD_ENUM:
      return declared->enum_ids != NULL ? KOERS_SYNC_EDIT_CHOICE : KOERS_SYNC_EDIT_NONE;
    case KOERS_SYNC_FIELD_BOOL:
    case KOERS_SYNC_FIELD_UUID:
    case KOERS_SYNC_FIELD_JSON:
    default:
      return KOERS_SYNC_EDIT_NONE;
    }
}

const char * const *
koers_sync_review_choices (const char *entity, const char *field)
{
  const KoersSyncField *declared = lookup_field (entity, field);

  if (declared == NULL || declared->type != KOERS_SYNC_FIELD_ENUM)
    return NULL;
  return (const char * const *) declared->enum_ids;
}

char *
koers_sync_review_value_to_text (const char *entity, const char *field, JsonNode *value)
{
  const KoersSyncField *declared = lookup_field (entity, field);

  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value))
    return g_strdup ("");
  switch (json_node_get_value_type (value))
    {
    case G_TYPE_INT64:
      if (g_strcmp0 (field, "geboortejaar") == 0 && json_node_get_int (value) == 0)
        return g_strdup ("");
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (value) ? "true" : "false");
    case G_TYPE_STRING:
      if (declared != NULL && declared->type == KOERS_SYNC_FIELD_DATE
          && koers_date_is_valid_iso (json_node_get_string (value)))
        {
          /* The user's style, stripped of the isolates the display adds: this is edited. */
          g_autofree char *shown = koers_date_format (json_node_get_string (value),
                                                      koers_locale_style_current ());
          GString *plain = g_string_new (NULL);

          for (const char *p = shown; *p != '\0'; p = g_utf8_next_char (p))
            if (g_unichar_type (g_utf8_get_char (p)) != G_UNICODE_FORMAT)
              g_string_append_unichar (plain, g_utf8_get_char (p));
          return g_string_free (plain, FALSE);
        }
      return g_strdup (json_node_get_string (value));
    default:
      return g_strdup ("");
    }
}

static gboolean
invalid (GError **error, const char *label, const char *reason)
{
  /* Translators: a field's name and why its value was refused, "Phone: A phone number ..." */
  g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID, _("%s: %s"), label,
               reason);
  return FALSE;
}

/* The participant editor's own checks (translated, specific) for the one field edited. */
static gboolean
check_participant_rules (const FieldLabel *label, JsonNode *value, GError **error)
{
  g_autoptr(KoersParticipant) scratch = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  GParamSpec *pspec;

  if (label == NULL || label->property == NULL || value == NULL || JSON_NODE_HOLDS_NULL (value))
    return TRUE;
  scratch = koers_participant_new ();
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (scratch), label->property);
  g_assert (pspec != NULL);
  if (G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_STRING
      && json_node_get_value_type (value) == G_TYPE_STRING)
    g_object_set (scratch, label->property, json_node_get_string (value), NULL);
  else if (G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_INT
           && json_node_get_value_type (value) == G_TYPE_INT64
           && json_node_get_int (value) >= G_MININT && json_node_get_int (value) <= G_MAXINT)
    g_object_set (scratch, label->property, (int) json_node_get_int (value), NULL);
  else
    return TRUE;

  problems = koers_participant_validate (scratch, koers_date_today_year ());
  for (guint i = 0; i < problems->len; i++)
    {
      KoersFieldError *problem = g_ptr_array_index (problems, i);

      /* The scratch record has no other values: only this field's own problems count. */
      if (g_str_equal (problem->field, label->property))
        return invalid (error, _(label->label), problem->message);
    }
  return TRUE;
}

gboolean
koers_sync_review_check_value (const char *entity, const char *field, JsonNode *value,
                               GError **error)
{
  const KoersSyncField *declared = lookup_field (entity, field);
  const char *label = koers_sync_review_field_label (entity, field);
  g_autofree char *reason = NULL;

  if (declared == NULL)
    return invalid (error, label, _("this field cannot be changed here"));
  if (koers_sync_field_check (declared, value, &reason))
    return TRUE;
  /* The engine's reasons are the server's Dutch words; say the common ones in the user's
   * language and quote the rest. */
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return invalid (error, label, _("a value is required"));
  if (declared->type == KOERS_SYNC_FIELD_TEXT && JSON_NODE_HOLDS_VALUE (value)
      && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (value);
      glong length = g_utf8_validate (text, -1, NULL) ? g_utf8_strlen (text, -1) : 0;
      g_autofree char *text_reason = NULL;

      if (koers_text_find_bsn_like (text) != NULL)
        return invalid (error, label,
                        _("it looks like a citizen service number (BSN), which Koers may not "
                          "store"));
      if (!(declared->multi_line ? koers_text_check_multi_line (text, &text_reason)
                                 : koers_text_check_single_line (text, &text_reason)))
        return invalid (error, label, text_reason);
      if (length > declared->max)
        {
          g_autofree char *limit = g_strdup_printf (_("at most %d characters are allowed"),
                                                    (int) declared->max);
          return invalid (error, label, limit);
        }
      if (length < declared->min)
        {
          g_autofree char *limit = g_strdup_printf (_("at least %d characters are needed"),
                                                    (int) declared->min);
          return invalid (error, label, limit);
        }
    }
  if (declared->type == KOERS_SYNC_FIELD_INT)
    {
      g_autofree char *range = g_strdup_printf (_("enter a whole number from %d to %d"),
                                                (int) MAX (declared->min, G_MININT),
                                                (int) MIN (declared->max, G_MAXINT));
      return invalid (error, label, range);
    }
  if (declared->type == KOERS_SYNC_FIELD_DATE)
    return invalid (error, label, _("enter a real date, such as 28-11-2026"));
  if (declared->type == KOERS_SYNC_FIELD_ENUM)
    return invalid (error, label, _("choose one of the listed values"));
  {
    /* Translators: %s is the server's reason, in Dutch */
    g_autofree char *quoted = g_strdup_printf (_("the server would refuse it (“%s”)"), reason);
    return invalid (error, label, quoted);
  }
}

JsonNode *
koers_sync_review_parse_value (const char *entity, const char *field, const char *text,
                               GError **error)
{
  const KoersSyncField *declared = lookup_field (entity, field);
  const char *label = koers_sync_review_field_label (entity, field);
  g_autofree char *normalized = NULL;
  g_autoptr(JsonNode) value = NULL;

  g_return_val_if_fail (field != NULL, NULL);

  if (declared == NULL || koers_sync_review_edit_kind (entity, field) == KOERS_SYNC_EDIT_NONE)
    {
      invalid (error, label, _("this field cannot be changed here"));
      return NULL;
    }
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      invalid (error, label, _("the text is not valid UTF-8"));
      return NULL;
    }
  normalized = koers_text_normalize (text != NULL ? text : "");
  if (normalized == NULL || *normalized == '\0')
    value = json_node_new (JSON_NODE_NULL);
  else if (declared->type == KOERS_SYNC_FIELD_INT)
    {
      gint64 number = 0;

      /* Any whole number parses: the range is said by the rules below, the participant's
       * own first ("Birth year must be between 1900 and 2012"). */
      if (!g_ascii_string_to_signed (normalized, 10, G_MININT64, G_MAXINT64, &number, NULL))
        {
          g_autofree char *range = g_strdup_printf (_("enter a whole number from %d to %d"),
                                                    (int) declared->min, (int) declared->max);
          invalid (error, label, range);
          return NULL;
        }
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (value, number);
    }
  else if (declared->type == KOERS_SYNC_FIELD_DATE)
    {
      g_autofree char *iso = NULL;
      g_autoptr(GError) date_error = NULL;

      if (!koers_date_parse_user (normalized, koers_locale_style_current (), &iso, &date_error))
        {
          invalid (error, label, date_error->message);
          return NULL;
        }
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (value, iso);
    }
  else
    {
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (value, normalized);
    }

  if (g_strcmp0 (entity, "deelnemers") == 0
      && !check_participant_rules (find_label (entity, field), value, error))
    return NULL;
  if (!koers_sync_review_check_value (entity, field, value, error))
    return NULL;
  return g_steal_pointer (&value);
}

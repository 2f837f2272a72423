/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/koers-sync-entities.h"

#include "core/koers-bsn.h"
#include "core/koers-date.h"
#include "core/koers-enums.h"
#include "core/koers-text.h"
#include "core/koers-uuid.h"

#include <string.h>

/* Vocabulary id lists, built once from koers-enums.c so the wire always speaks the same ids as
 * the local database. */
#define DEFINE_IDS(fn, name, n_values, Type) \
  static const char * const * \
  fn (void) \
  { \
    static const char *ids[(n_values) + 1]; \
    static gsize done = 0; \
    if (g_once_init_enter (&done)) \
      { \
        for (guint i = 0; i < (n_values); i++) \
          ids[i] = koers_##name##_to_id ((Type) i); \
        ids[n_values] = NULL; \
        g_once_init_leave (&done, 1); \
      } \
    return ids; \
  }

DEFINE_IDS (status_ids, status, KOERS_N_STATUSES, KoersStatus)
DEFINE_IDS (target_group_ids, target_group, KOERS_N_TARGET_GROUPS, KoersTargetGroup)
DEFINE_IDS (municipality_ids, municipality, KOERS_N_MUNICIPALITIES, KoersMunicipality)
DEFINE_IDS (outcome_ids, outcome, KOERS_N_OUTCOMES, KoersOutcome)
DEFINE_IDS (activity_kind_ids, activity_kind, KOERS_N_ACTIVITY_KINDS, KoersActivityKind)
DEFINE_IDS (sector_ids, sector, KOERS_N_SECTORS, KoersSector)
DEFINE_IDS (cefr_ids, cefr_level, KOERS_N_CEFR_LEVELS, KoersCefrLevel)
DEFINE_IDS (consent_scope_ids, consent_scope, KOERS_N_CONSENT_SCOPES, KoersConsentScope)
DEFINE_IDS (note_kind_ids, note_kind, KOERS_N_NOTE_KINDS, KoersNoteKind)

static const char * const resolution_ids[] = { "mijn", "hun", "bewerkt", NULL };

/* The tables hold a placeholder for enum lists (they are not compile-time constants) that
 * entities_init() fills in. */
#define F_TEXT(n, c, req, lo, hi) \
  { n, c, KOERS_SYNC_FIELD_TEXT, KOERS_SYNC_MERGE_FIELD, req, FALSE, lo, hi, NULL }
#define F_LONG(n, c, req, lo, hi) \
  { n, c, KOERS_SYNC_FIELD_TEXT, KOERS_SYNC_MERGE_FIELD, req, TRUE, lo, hi, NULL }
#define F_INT(n, c, lo, hi) \
  { n, c, KOERS_SYNC_FIELD_INT, KOERS_SYNC_MERGE_FIELD, FALSE, FALSE, lo, hi, NULL }
#define F_BOOL(n, c) \
  { n, c, KOERS_SYNC_FIELD_BOOL, KOERS_SYNC_MERGE_FIELD, FALSE, FALSE, 0, 0, NULL }
#define F_DATE(n, c, req) \
  { n, c, KOERS_SYNC_FIELD_DATE, KOERS_SYNC_MERGE_FIELD, req, FALSE, 0, 0, NULL }
#define F_ENUM(n, c, req) \
  { n, c, KOERS_SYNC_FIELD_ENUM, KOERS_SYNC_MERGE_FIELD, req, FALSE, 0, 0, NULL }
#define F_PARENT(c) \
  { "deelnemerId", c, KOERS_SYNC_FIELD_UUID, KOERS_SYNC_MERGE_FIXED, TRUE, FALSE, 0, 0, NULL }
#define F_SERVER(n, t) \
  { n, NULL, t, KOERS_SYNC_MERGE_SERVER, FALSE, FALSE, 0, 0, NULL }
/* Server-written text (entity and field names, timestamps): short, but not empty-limited. */
#define F_SERVER_TEXT(n) \
  { n, NULL, KOERS_SYNC_FIELD_TEXT, KOERS_SYNC_MERGE_SERVER, FALSE, FALSE, 1, 200, NULL }

static KoersSyncField participant_fields[] = {
  F_TEXT ("naam", "name", TRUE, 1, 200),
  F_TEXT ("roepnaam", "preferred_name", FALSE, 0, 200),
  /* 0 = not known; else 1900..2200 (see check_special). */
  F_INT ("geboortejaar", "birth_year", 0, 2200),
  F_ENUM ("gemeente", "municipality", TRUE),
  F_TEXT ("telefoon", "phone", FALSE, 0, 200),
  F_TEXT ("email", "email", FALSE, 0, 200),
  F_TEXT ("talen", "languages", FALSE, 0, 200),
  F_TEXT ("voorkeurstaal", "preferred_language", FALSE, 0, 200),
  F_ENUM ("niveauNederlands", "dutch_level", FALSE),
  F_BOOL ("digitaleVaardighedenNodig", "digital_skills_need"),
  F_BOOL ("basisvaardighedenNodig", "basic_skills_need"),
  F_BOOL ("inburgeringsplicht", "civic_integration_duty"),
  F_ENUM ("doelgroep", "target_group", TRUE),
  F_LONG ("interesses", "interests", FALSE, 0, 10000),
  F_LONG ("ambities", "ambitions", FALSE, 0, 10000),
  { "coachId", "coach_id", KOERS_SYNC_FIELD_UUID, KOERS_SYNC_MERGE_FIELD, FALSE, FALSE, 0, 0,
    NULL },
  F_INT ("projectlijn", "project_line", 0, KOERS_N_PROJECT_LINES),
  { "status", "status", KOERS_SYNC_FIELD_ENUM, KOERS_SYNC_MERGE_STATE, FALSE, FALSE, 0, 0,
    NULL },
  F_DATE ("aanmeldDatum", "registered_on", FALSE),
  F_DATE ("volgendeActieDatum", "next_action_date", FALSE),
  F_TEXT ("volgendeActie", "next_action", FALSE, 0, 200),
  F_ENUM ("uitkomst", "outcome", FALSE),
  F_DATE ("uitkomstDatum", "outcome_date", FALSE),
};

/* Notes are append-only: every field is fixed at creation. */
#define F_FIXED(n, c, t, req, ml, lo, hi) { n, c, t, KOERS_SYNC_MERGE_FIXED, req, ml, lo, hi, NULL }
static KoersSyncField note_fields[] = {
  F_PARENT ("participant_id"),
  F_FIXED ("soort", "kind", KOERS_SYNC_FIELD_ENUM, TRUE, FALSE, 0, 0),
  F_FIXED ("datum", "occurred_on", KOERS_SYNC_FIELD_DATE, TRUE, FALSE, 0, 0),
  F_FIXED ("tekst", "body", KOERS_SYNC_FIELD_TEXT, TRUE, TRUE, 1, 10000),
  F_FIXED ("revisie", "revision", KOERS_SYNC_FIELD_INT, FALSE, FALSE, 1, G_MAXINT32),
  F_FIXED ("revisieVan", "revision_of", KOERS_SYNC_FIELD_UUID, FALSE, FALSE, 0, 0),
};

static KoersSyncField activity_fields[] = {
  F_PARENT ("participant_id"),
  F_ENUM ("soort", "kind", TRUE),
  F_TEXT ("titel", "title", TRUE, 1, 200),
  F_ENUM ("sector", "sector", FALSE),
  F_TEXT ("aanbieder", "provider", FALSE, 0, 200),
  F_TEXT ("werkgever", "employer", FALSE, 0, 200),
  F_INT ("nlqfNiveau", "nlqf_level", 0, 8),
  F_DATE ("startDatum", "started_on", FALSE),
  F_DATE ("eindDatum", "ended_on", FALSE),
};

static KoersSyncField skill_fields[] = {
  F_PARENT ("participant_id"),
  F_TEXT ("label", "label", TRUE, 1, 200),
  F_TEXT ("competentnlCode", "competentnl_code", FALSE, 0, 200),
  /* Four digits (see check_special). */
  F_TEXT ("iscoCode", "isco_code", FALSE, 4, 4),
  F_INT ("nlqfNiveau", "nlqf_level", 0, 8),
  F_LONG ("bewijs", "evidence", FALSE, 0, 10000),
  F_TEXT ("gevalideerdDoor", "validated_by", FALSE, 0, 200),
};

static KoersSyncField consent_fields[] = {
  F_PARENT ("participant_id"),
  F_ENUM ("reikwijdte", "scope", TRUE),
  F_DATE ("gegevenDatum", "given_on", TRUE),
  F_DATE ("ingetrokkenDatum", "withdrawn_on", FALSE),
};

static KoersSyncField status_change_fields[] = {
  F_PARENT ("participant_id"),
  F_FIXED ("vanStatus", "from_status", KOERS_SYNC_FIELD_ENUM, FALSE, FALSE, 0, 0),
  F_FIXED ("naarStatus", "to_status", KOERS_SYNC_FIELD_ENUM, TRUE, FALSE, 0, 0),
  F_FIXED ("datum", "changed_on", KOERS_SYNC_FIELD_DATE, TRUE, FALSE, 0, 0),
};

static const char * const conflict_choices[] = { "mijn", "hun", "bewerkt", NULL };

static KoersSyncField conflict_fields[] = {
  F_PARENT (NULL),
  F_SERVER_TEXT ("entiteit"),
  F_SERVER ("recordId", KOERS_SYNC_FIELD_UUID),
  F_SERVER_TEXT ("veld"),
  F_SERVER ("basis", KOERS_SYNC_FIELD_JSON),
  F_SERVER ("server", KOERS_SYNC_FIELD_JSON),
  F_SERVER ("client", KOERS_SYNC_FIELD_JSON),
  F_SERVER ("serverDoor", KOERS_SYNC_FIELD_UUID),
  F_SERVER ("clientDoor", KOERS_SYNC_FIELD_UUID),
  F_SERVER ("serverApparaat", KOERS_SYNC_FIELD_UUID),
  F_SERVER ("clientApparaat", KOERS_SYNC_FIELD_UUID),
  F_SERVER_TEXT ("serverOp"),
  F_SERVER_TEXT ("clientOp"),
  F_SERVER ("opgelost", KOERS_SYNC_FIELD_BOOL),
  { "keuze", NULL, KOERS_SYNC_FIELD_ENUM, KOERS_SYNC_MERGE_SERVER, FALSE, FALSE, 0, 0,
    conflict_choices },
};
/* Conflicts are merged by the server alone; the parent id is set by it too. */

#define ENTITY(n, t, k, p, f) { n, t, k, p, f, G_N_ELEMENTS (f) }
static const KoersSyncEntity entities[] = {
  ENTITY (KOERS_SYNC_PARTICIPANTS, "participant", KOERS_SYNC_ENTITY_MERGEABLE, NULL,
          participant_fields),
  ENTITY (KOERS_SYNC_NOTES, "note", KOERS_SYNC_ENTITY_APPEND_ONLY, "deelnemerId", note_fields),
  ENTITY (KOERS_SYNC_ACTIVITIES, "activity", KOERS_SYNC_ENTITY_MERGEABLE, "deelnemerId",
          activity_fields),
  ENTITY (KOERS_SYNC_SKILLS, "skill", KOERS_SYNC_ENTITY_MERGEABLE, "deelnemerId", skill_fields),
  ENTITY (KOERS_SYNC_CONSENTS, "consent", KOERS_SYNC_ENTITY_MERGEABLE, "deelnemerId",
          consent_fields),
  ENTITY (KOERS_SYNC_STATUS_CHANGES, "participant_status_change",
          KOERS_SYNC_ENTITY_APPEND_ONLY, "deelnemerId", status_change_fields),
  ENTITY (KOERS_SYNC_CONFLICTS, NULL, KOERS_SYNC_ENTITY_SERVER_MADE, "deelnemerId",
          conflict_fields),
};

static void
set_enum (KoersSyncField *fields, guint n, const char *name, const char * const *ids)
{
  for (guint i = 0; i < n; i++)
    if (g_str_equal (fields[i].name, name))
      {
        fields[i].enum_ids = ids;
        return;
      }
  g_assert_not_reached ();
}

static void
entities_init (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
#define SET(f, name, ids) set_enum (f, G_N_ELEMENTS (f), name, ids)
  SET (participant_fields, "gemeente", municipality_ids ());
  SET (participant_fields, "niveauNederlands", cefr_ids ());
  SET (participant_fields, "doelgroep", target_group_ids ());
  SET (participant_fields, "status", status_ids ());
  SET (participant_fields, "uitkomst", outcome_ids ());
  SET (note_fields, "soort", note_kind_ids ());
  SET (activity_fields, "soort", activity_kind_ids ());
  SET (activity_fields, "sector", sector_ids ());
  SET (consent_fields, "reikwijdte", consent_scope_ids ());
  SET (status_change_fields, "vanStatus", status_ids ());
  SET (status_change_fields, "naarStatus", status_ids ());
  SET (conflict_fields, "keuze", resolution_ids);
#undef SET
  g_once_init_leave (&done, 1);
}

/**
 * koers_sync_entities:
 * @out_n: (out) (optional): how many entities
 *
 * Returns: (transfer none) (array length=out_n): every entity the protocol carries.
 */
const KoersSyncEntity *
koers_sync_entities (guint *out_n)
{
  entities_init ();
  if (out_n != NULL)
    *out_n = G_N_ELEMENTS (entities);
  return entities;
}

const KoersSyncEntity *
koers_sync_entity_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  entities_init ();
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (g_str_equal (entities[i].name, name))
      return &entities[i];
  return NULL;
}

/* Each entity's fields by name, made once: a pull asks for every member of every record
 * (about 15 a participant), and comparing it with each declared name in turn was 2% of a
 * first sync. */
static GHashTable *
field_index (const KoersSyncEntity *entity)
{
  static GHashTable *indexes[G_N_ELEMENTS (entities)];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
        {
          indexes[i] = g_hash_table_new (g_str_hash, g_str_equal);
          for (guint f = 0; f < entities[i].n_fields; f++)
            g_hash_table_insert (indexes[i], (gpointer) entities[i].fields[f].name,
                                 (gpointer) &entities[i].fields[f]);
        }
      g_once_init_leave (&done, 1);
    }
  if (entity >= entities && entity < entities + G_N_ELEMENTS (entities))
    return indexes[entity - entities];
  return NULL;
}

const KoersSyncField *
koers_sync_entity_field (const KoersSyncEntity *entity, const char *name)
{
  GHashTable *index;

  g_return_val_if_fail (entity != NULL, NULL);

  if (name == NULL)
    return NULL;
  index = field_index (entity);
  if (index != NULL)
    return g_hash_table_lookup (index, name);
  /* An entity declared elsewhere (tests): the same answer, the slow way. */
  for (guint i = 0; i < entity->n_fields; i++)
    if (g_str_equal (entity->fields[i].name, name))
      return &entity->fields[i];
  return NULL;
}

static gboolean
fail (char **out_reason, char *reason)
{
  if (out_reason != NULL)
    *out_reason = reason;
  else
    g_free (reason);
  return FALSE;
}

/* Rules a plain min/max cannot say. */
static gboolean
check_special (const KoersSyncField *field, const KoersSyncValue *value, char **out_reason)
{
  if (g_str_equal (field->name, "geboortejaar"))
    {
      gint64 year = value->integer;

      if (year != 0 && year < 1900)
        return fail (out_reason, g_strdup ("moet 0 (onbekend) of een jaar vanaf 1900 zijn"));
    }
  else if (g_str_equal (field->name, "iscoCode"))
    {
      const char *code = value->string;

      if (strspn (code, "0123456789") != strlen (code))
        return fail (out_reason, g_strdup ("moet uit vier cijfers bestaan"));
    }
  return TRUE;
}

static gboolean
check_text (const KoersSyncField *field, const char *text, char **out_reason)
{
  g_autofree char *text_reason = NULL;
  glong length;

  if (!g_utf8_validate (text, -1, NULL))
    return fail (out_reason, g_strdup ("is geen geldige UTF-8-tekst"));
  if (field->multi_line ? !koers_text_check_multi_line (text, &text_reason)
                        : !koers_text_check_single_line (text, &text_reason))
    return fail (out_reason,
                 g_strdup (field->multi_line
                           ? "bevat onzichtbare of niet-toegestane tekens"
                           : "bevat regeleinden, onzichtbare of niet-toegestane tekens"));
  /* Stored NFC and trimmed: a value that is not is refused rather than silently changed, so
   * the three-way merge compares what the client really holds. */
  if (!koers_text_is_normalized (text))
    return fail (out_reason, g_strdup ("moet in Unicode-NFC zonder witruimte aan begin of eind"));
  /* Koers has no ground to process a BSN (RELIABILITY.md): free text carrying one is refused
   * like the import refuses it; the reason never repeats the number. */
  if (koers_text_find_bsn_like (text) != NULL)
    return fail (out_reason, g_strdup ("mag geen burgerservicenummer (BSN) bevatten"));
  length = g_utf8_strlen (text, -1);
  if (length < field->min)
    return fail (out_reason, field->min == 1
                             ? g_strdup ("mag niet leeg zijn")
                             : g_strdup_printf ("moet minstens %" G_GINT64_FORMAT " tekens zijn",
                                                field->min));
  if (length > field->max)
    return fail (out_reason, g_strdup_printf ("mag hoogstens %" G_GINT64_FORMAT " tekens zijn",
                                              field->max));
  return TRUE;
}

/**
 * koers_sync_value_from_node:
 * @out: (out caller-allocates): the value
 * @node: (nullable): a json-glib value
 *
 * @node as the checks see it (NULL or JSON null: "no value"); valid while @node lives.
 */
void
koers_sync_value_from_node (KoersSyncValue *out, JsonNode *node)
{
  memset (out, 0, sizeof *out);
  out->kind = KOERS_JSON_NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node))
    {
      out->kind = JSON_NODE_HOLDS_OBJECT (node) ? KOERS_JSON_OBJECT : KOERS_JSON_ARRAY;
      return;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      out->kind = KOERS_JSON_STRING;
      out->string = json_node_get_string (node);
      break;
    case G_TYPE_INT64:
      out->kind = KOERS_JSON_INTEGER;
      out->integer = json_node_get_int (node);
      break;
    case G_TYPE_BOOLEAN:
      out->kind = KOERS_JSON_BOOLEAN;
      out->boolean = json_node_get_boolean (node);
      break;
    default:
      out->kind = KOERS_JSON_DOUBLE;
      break;
    }
}

/**
 * koers_sync_value_from_doc:
 * @out: (out caller-allocates): the value
 * @doc: a document
 * @value: a value in it, or KOERS_JSON_NONE
 *
 * As koers_sync_value_from_node(), for a document's value; valid while @doc lives.
 */
void
koers_sync_value_from_doc (KoersSyncValue *out, KoersJsonDoc *doc, KoersJsonRef value)
{
  memset (out, 0, sizeof *out);
  out->kind = koers_json_doc_kind (doc, value);
  out->string = koers_json_doc_get_string (doc, value);
  out->integer = koers_json_doc_get_int (doc, value);
  out->boolean = koers_json_doc_get_boolean (doc, value);
}

/**
 * koers_sync_field_check:
 * @field: the field
 * @value: (nullable): the value; NULL or JSON null means "no value"
 * @out_reason: (out) (optional) (transfer full): a Dutch reason without the value
 *
 * Returns: TRUE when @value may be stored in @field.
 */
gboolean
koers_sync_field_check (const KoersSyncField *field, JsonNode *value, char **out_reason)
{
  KoersSyncValue checked;

  koers_sync_value_from_node (&checked, value);
  return koers_sync_field_check_value (field, &checked, out_reason);
}

/**
 * koers_sync_field_check_value:
 * @field: the field
 * @value: the value as koers_sync_value_from_node() or koers_sync_value_from_doc() made it
 * @out_reason: (out) (optional) (transfer full): a Dutch reason without the value
 *
 * Returns: TRUE when @value may be stored in @field.
 */
gboolean
koers_sync_field_check_value (const KoersSyncField *field, const KoersSyncValue *value,
                              char **out_reason)
{
  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (out_reason != NULL)
    *out_reason = NULL;
  if (value->kind == KOERS_JSON_NULL)
    return field->required ? fail (out_reason, g_strdup ("is verplicht")) : TRUE;
  if (field->type == KOERS_SYNC_FIELD_JSON)
    return TRUE;
  if (value->kind == KOERS_JSON_OBJECT || value->kind == KOERS_JSON_ARRAY)
    return fail (out_reason, g_strdup ("moet een enkele waarde zijn"));

  switch (field->type)
    {
    case KOERS_SYNC_FIELD_TEXT:
      if (value->kind != KOERS_JSON_STRING)
        return fail (out_reason, g_strdup ("moet tekst zijn"));
      if (!check_text (field, value->string, out_reason))
        return FALSE;
      break;
    case KOERS_SYNC_FIELD_INT:
      if (value->kind != KOERS_JSON_INTEGER)
        return fail (out_reason, g_strdup ("moet een geheel getal zijn"));
      if (value->integer < field->min || value->integer > field->max)
        return fail (out_reason,
                     g_strdup_printf ("moet tussen %" G_GINT64_FORMAT " en %" G_GINT64_FORMAT
                                      " liggen", field->min, field->max));
      break;
    case KOERS_SYNC_FIELD_BOOL:
      if (value->kind != KOERS_JSON_BOOLEAN)
        return fail (out_reason, g_strdup ("moet true of false zijn"));
      break;
    case KOERS_SYNC_FIELD_DATE:
      if (value->kind != KOERS_JSON_STRING || !koers_date_is_valid_iso (value->string))
        return fail (out_reason, g_strdup ("moet een bestaande datum JJJJ-MM-DD zijn"));
      break;
    case KOERS_SYNC_FIELD_ENUM:
      if (value->kind != KOERS_JSON_STRING
          || !g_strv_contains ((const char * const *) field->enum_ids, value->string))
        return fail (out_reason, g_strdup ("is geen toegestane waarde"));
      break;
    case KOERS_SYNC_FIELD_UUID:
      if (value->kind != KOERS_JSON_STRING || !koers_uuid_is_valid (value->string))
        return fail (out_reason, g_strdup ("moet een UUID in kleine letters zijn"));
      break;
    case KOERS_SYNC_FIELD_JSON:
    default:
      break;
    }
  return check_special (field, value, out_reason);
}

static const char *
get_string (JsonObject *fields, const char *name)
{
  JsonNode *node = json_object_get_member (fields, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
get_int (JsonObject *fields, const char *name)
{
  JsonNode *node = json_object_get_member (fields, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static gboolean
fail_field (const char **out_field, const char *field, char **out_reason, char *reason)
{
  if (out_field != NULL)
    *out_field = field;
  return fail (out_reason, reason);
}

/* Rules between fields; the same as the CHECK constraints of the local database, so a record
 * the server accepts can always be stored by a client. */
static gboolean
check_cross (const KoersSyncEntity *entity, JsonObject *fields, const char **out_field,
             char **out_reason)
{
  if (g_str_equal (entity->name, KOERS_SYNC_ACTIVITIES))
    {
      const char *kind = get_string (fields, "soort");
      KoersActivityKind activity_kind = KOERS_ACTIVITY_TRAINING;
      const char *start = get_string (fields, "startDatum");
      const char *end = get_string (fields, "eindDatum");

      koers_activity_kind_from_id (kind, &activity_kind);
      if (get_string (fields, "sector") != NULL && activity_kind != KOERS_ACTIVITY_PROEVERIJ)
        return fail_field (out_field, "sector", out_reason,
                           g_strdup ("hoort alleen bij een proeverij"));
      if (get_int (fields, "nlqfNiveau") != 0 && !koers_activity_kind_is_credential (activity_kind))
        return fail_field (out_field, "nlqfNiveau", out_reason,
                           g_strdup ("hoort alleen bij een certificaat, praktijkverklaring of "
                                     "microcredential"));
      if (start != NULL && end != NULL && strcmp (end, start) < 0)
        return fail_field (out_field, "eindDatum", out_reason,
                           g_strdup ("mag niet voor de startdatum liggen"));
    }
  else if (g_str_equal (entity->name, KOERS_SYNC_CONSENTS))
    {
      const char *given = get_string (fields, "gegevenDatum");
      const char *withdrawn = get_string (fields, "ingetrokkenDatum");

      if (given != NULL && withdrawn != NULL && strcmp (withdrawn, given) < 0)
        return fail_field (out_field, "ingetrokkenDatum", out_reason,
                           g_strdup ("mag niet voor de datum van de toestemming liggen"));
    }
  else if (g_str_equal (entity->name, KOERS_SYNC_PARTICIPANTS))
    {
      const char *status = get_string (fields, "status");
      const char *outcome = get_string (fields, "uitkomst");

      /* As koers_status_check_transition(): a completed trajectory has a recorded outcome
       * ("unknown" is not one; "none" is), whatever way the record got there. */
      if (g_strcmp0 (status, koers_status_to_id (KOERS_STATUS_COMPLETED)) == 0
          && (outcome == NULL
              || g_str_equal (outcome, koers_outcome_to_id (KOERS_OUTCOME_UNKNOWN))))
        return fail_field (out_field, "uitkomst", out_reason,
                           g_strdup ("moet zijn vastgelegd zolang het traject is afgerond"));
    }
  else if (g_str_equal (entity->name, KOERS_SYNC_NOTES))
    {
      gint64 revision = json_object_has_member (fields, "revisie")
                        ? get_int (fields, "revisie") : 1;
      gboolean has_origin = get_string (fields, "revisieVan") != NULL;

      if ((revision == 1) == has_origin)
        return fail_field (out_field, "revisieVan", out_reason,
                           g_strdup ("is leeg bij revisie 1 en verplicht bij een latere "
                                     "revisie"));
    }
  return TRUE;
}

/**
 * koers_sync_record_check:
 * @entity: the entity
 * @fields: the record's fields
 * @out_field: (out) (optional) (transfer none) (nullable): the failing member
 * @out_reason: (out) (optional) (transfer full): a Dutch reason without the value
 *
 * Returns: TRUE when @fields form a valid record of @entity.
 */
gboolean
koers_sync_record_check (const KoersSyncEntity *entity, JsonObject *fields,
                         const char **out_field, char **out_reason)
{
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (entity != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  if (out_field != NULL)
    *out_field = NULL;
  if (out_reason != NULL)
    *out_reason = NULL;

  members = json_object_get_members (fields);
  for (GList *l = members; l != NULL; l = l->next)
    if (koers_sync_entity_field (entity, l->data) == NULL)
      return fail_field (out_field, l->data, out_reason, g_strdup ("is geen bekend veld"));
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const KoersSyncField *field = &entity->fields[i];
      char *reason = NULL;

      if (!koers_sync_field_check (field, json_object_get_member (fields, field->name),
                                   &reason))
        return fail_field (out_field, field->name, out_reason, reason);
    }
  return check_cross (entity, fields, out_field, out_reason);
}

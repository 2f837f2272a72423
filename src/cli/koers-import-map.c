/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-import-map.c: one CSV record -> one participant (and its note), every problem located
 * at its cell. Partners write the closed vocabularies in Dutch or English, with any case,
 * accents or punctuation ("Oost-Gelre", "OUDE IJSSELSTREEK", "Statushouder", "afgerond"), so
 * values are matched on the same key as headers (koers_csv_header_key).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-import-private.h"

#include "cli/koers-export.h"
#include "core/koers-csv-damage.h"
#include "core/koers-csv-header.h"
#include "core/koers-csv-record.h"
#include "core/koers-enums.h"
#include "core/koers-text.h"

#include <string.h>

void
koers_import_row_clear (KoersImportRow *row)
{
  if (row == NULL)
    return;
  g_clear_object (&row->participant);
  g_clear_pointer (&row->note, g_free);
  g_clear_pointer (&row->key, g_free);
}

static gboolean
keys_equal (const char *key, const char *text)
{
  g_autofree char *other = koers_csv_header_key (text);

  return g_str_equal (key, other);
}

static void
add_issue (KoersCsvReader       *reader,
           const KoersCsvRecord *record,
           int                   index,
           const char           *reason,
           GPtrArray            *issues)
{
  if (index >= 0)
    g_ptr_array_add (issues,
                     koers_csv_issue_new (koers_csv_record_get_value_line (record, (guint) index),
                                          koers_csv_record_get_value_column (record,
                                                                             (guint) index),
                                          index,
                                          koers_csv_reader_get_header (reader, (guint) index),
                                          reason));
  else
    g_ptr_array_add (issues, koers_csv_issue_new (koers_csv_record_get_line (record), 1, -1,
                                                  NULL, reason));
}

static gboolean
has_value (const KoersCsvRecord *record, KoersCsvField field)
{
  const char *value = koers_csv_record_get_field (record, field);

  return value != NULL && *value != '\0';
}

/* The cell to point at for a problem with the name: the column the name came from. */
static int
name_column (const KoersCsvRecord *record)
{
  static const KoersCsvField order[] = {
    KOERS_CSV_FIELD_FULL_NAME, KOERS_CSV_FIELD_FIRST_NAME, KOERS_CSV_FIELD_NAME_PREFIX,
    KOERS_CSV_FIELD_LAST_NAME,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    if (has_value (record, order[i]))
      return koers_csv_record_get_field_index (record, order[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    if (koers_csv_record_get_field_index (record, order[i]) >= 0)
      return koers_csv_record_get_field_index (record, order[i]);
  return -1;
}

/* The column a koers_participant_validate() problem belongs to, by property name. */
static int
column_for_property (const KoersCsvRecord *record, const char *property)
{
  static const struct {
    const char   *property;
    KoersCsvField field;
  } simple[] = {
    { "preferred-name", KOERS_CSV_FIELD_PREFERRED_NAME },
    { "phone", KOERS_CSV_FIELD_PHONE },
    { "email", KOERS_CSV_FIELD_EMAIL },
    { "languages", KOERS_CSV_FIELD_LANGUAGES },
    { "preferred-language", KOERS_CSV_FIELD_PREFERRED_LANGUAGE },
    { "project-line", KOERS_CSV_FIELD_PROJECT_LINE },
    { "registered-on", KOERS_CSV_FIELD_REGISTERED_ON },
    { "status", KOERS_CSV_FIELD_STATUS },
    { "next-action", KOERS_CSV_FIELD_NEXT_ACTION },
    { "next-action-date", KOERS_CSV_FIELD_NEXT_ACTION_DATE },
  };

  if (g_str_equal (property, "name"))
    return name_column (record);
  if (g_str_equal (property, "birth-year"))
    {
      int index = koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_BIRTH_YEAR);

      if (index >= 0 && has_value (record, KOERS_CSV_FIELD_BIRTH_YEAR))
        return index;
      index = koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_BIRTH_DATE);
      return index >= 0 ? index : koers_csv_record_get_field_index (record,
                                                                     KOERS_CSV_FIELD_BIRTH_YEAR);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (simple); i++)
    if (g_str_equal (property, simple[i].property))
      return koers_csv_record_get_field_index (record, simple[i].field);
  /* The outcome's rules concern the status too ("completed" needs one): point at the outcome
   * column when the file has one, else at the status. */
  if (g_str_equal (property, "outcome") || g_str_equal (property, "outcome-date"))
    {
      KoersCsvField field = g_str_equal (property, "outcome") ? KOERS_CSV_FIELD_OUTCOME
                                                             : KOERS_CSV_FIELD_OUTCOME_DATE;
      int index = koers_csv_record_get_field_index (record, field);

      if (index < 0)
        index = koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_OUTCOME);
      return index >= 0 ? index : koers_csv_record_get_field_index (record,
                                                                     KOERS_CSV_FIELD_STATUS);
    }
  return -1;
}

/* TRUE when the reader already warned about the cell: the user confirms or fixes it there. */
static gboolean
cell_has_warning (const KoersCsvRecord *record, int index)
{
  for (guint i = 0; i < koers_csv_record_get_n_warnings (record); i++)
    if (koers_csv_record_get_warning (record, i)->column_index == index)
      return TRUE;
  return FALSE;
}

/* Also drops the quote Koers's own CSV export puts before a cell starting with = + - @ TAB
 * or CR (koers-export.h), so an exported file imports back unchanged. */
static const char *
nonempty (const char *value)
{
  if (koers_export_is_neutralised (value))
    value++;
  return value != NULL && *value != '\0' ? value : NULL;
}

static char *
municipality_choices (void)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (int i = 0; i < KOERS_N_MUNICIPALITIES; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", koers_municipality_label (i));
  return g_strdup (text->str);
}

static void
map_municipality (KoersImportMapper *mapper, KoersCsvReader *reader,
                  const KoersCsvRecord *record, KoersParticipant *participant, GPtrArray *issues)
{
  const char *value = koers_csv_record_get_field (record, KOERS_CSV_FIELD_MUNICIPALITY);
  int index = koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_MUNICIPALITY);
  g_autofree char *choices = NULL;
  g_autofree char *reason = NULL;
  int found;

  if (index < 0)
    return;  /* reported once for the file by koers_import_check_mapping() */
  if (value != NULL && *value != '\0'
      && (found = koers_import_mapper_match (mapper, KOERS_IMPORT_VOCABULARY_MUNICIPALITY,
                                             value)) >= 0)
    {
      koers_participant_set_municipality (participant, (KoersMunicipality) found);
      return;
    }
  choices = municipality_choices ();
  if (value == NULL || *value == '\0')
    /* Translators: %s lists the eight municipalities */
    reason = g_strdup_printf (_("the municipality is missing: enter one of %s"), choices);
  else
    /* Translators: the first %s is the value in the file, the second lists the municipalities */
    reason = g_strdup_printf (_("“%s” is not one of the Achterhoek municipalities: %s"),
                              value, choices);
  add_issue (reader, record, index, reason, issues);
}

static void
map_target_group (KoersImportMapper *mapper, KoersCsvReader *reader,
                  const KoersCsvRecord *record, KoersParticipant *participant, GPtrArray *issues)
{
  const char *value = koers_csv_record_get_field (record, KOERS_CSV_FIELD_TARGET_GROUP);
  int index = koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_TARGET_GROUP);
  g_autofree char *reason = NULL;
  int found;

  if (index < 0)
    return;
  if (value == NULL || *value == '\0')
    reason = g_strdup (_("the target group is missing"));
  else if ((found = koers_import_mapper_match (mapper, KOERS_IMPORT_VOCABULARY_TARGET_GROUP,
                                               value)) < 0)
    reason = g_strdup_printf (_("“%s” is not a target group of the programme"), value);
  else
    koers_participant_set_target_group (participant, (KoersTargetGroup) found);
  if (reason != NULL)
    add_issue (reader, record, index, reason, issues);
}

static void
map_status (KoersImportMapper *mapper, KoersCsvReader *reader, const KoersCsvRecord *record,
            KoersParticipant *participant, GPtrArray *issues)
{
  const char *value = nonempty (koers_csv_record_get_field (record, KOERS_CSV_FIELD_STATUS));
  g_autofree char *reason = NULL;
  int found;

  /* No status means the person was just registered, the start of every trajectory. */
  if (value == NULL)
    return;
  found = koers_import_mapper_match (mapper, KOERS_IMPORT_VOCABULARY_STATUS, value);
  if (found >= 0)
    {
      koers_participant_set_status (participant, (KoersStatus) found);
      return;
    }
  reason = g_strdup_printf (_("“%s” is not a status (registered, intake, active, aftercare, "
                              "completed or dropped out)"), value);
  add_issue (reader, record, koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_STATUS),
             reason, issues);
}

static void
map_level (KoersImportMapper *mapper, KoersCsvReader *reader, const KoersCsvRecord *record,
           KoersParticipant *participant, GPtrArray *issues)
{
  const char *value = nonempty (koers_csv_record_get_field (record,
                                                            KOERS_CSV_FIELD_DUTCH_LEVEL));
  g_autofree char *reason = NULL;
  int found;

  if (value == NULL)
    return;
  found = koers_import_mapper_match (mapper, KOERS_IMPORT_VOCABULARY_LEVEL, value);
  if (found >= 0)
    {
      koers_participant_set_dutch_level (participant, (KoersCefrLevel) found);
      return;
    }
  reason = g_strdup_printf (_("“%s” is not a language level (A0, A1, A2, B1, B2, C1 or C2)"),
                            value);
  add_issue (reader, record,
             koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_DUTCH_LEVEL),
             reason, issues);
}

static void
map_numbers_and_dates (KoersCsvReader *reader, const KoersCsvRecord *record,
                       KoersParticipant *participant, GPtrArray *issues)
{
  const char *line = nonempty (koers_csv_record_get_field (record,
                                                           KOERS_CSV_FIELD_PROJECT_LINE));
  const char *registered = nonempty (koers_csv_record_get_field (record,
                                                                 KOERS_CSV_FIELD_REGISTERED_ON));
  const char *year = nonempty (koers_csv_record_get_field (record, KOERS_CSV_FIELD_BIRTH_YEAR));
  const char *birth_date = nonempty (koers_csv_record_get_field (record,
                                                                 KOERS_CSV_FIELD_BIRTH_DATE));
  int birth_year = koers_csv_record_get_birth_year (record);

  if (line != NULL)
    {
      guint64 number = 0;
      int index = koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_PROJECT_LINE);

      if (g_ascii_string_to_unsigned (line, 10, 0, KOERS_N_PROJECT_LINES, &number, NULL))
        koers_participant_set_project_line (participant, (int) number);
      else if (!cell_has_warning (record, index))
        {
          g_autofree char *reason =
            g_strdup_printf (_("“%s” is not a project line: enter a number from 1 to %d"),
                             line, KOERS_N_PROJECT_LINES);
          add_issue (reader, record, index, reason, issues);
        }
    }

  if (registered != NULL)
    {
      g_autofree char *iso = NULL;
      int index = koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_REGISTERED_ON);

      if (koers_csv_parse_date (registered, &iso, NULL))
        koers_participant_set_registered_on (participant, iso);
      else if (!cell_has_warning (record, index))
        {
          g_autofree char *reason =
            g_strdup_printf (_("“%s” is not a date: write it as YYYY-MM-DD"), registered);
          add_issue (reader, record, index, reason, issues);
        }
    }

  koers_participant_set_birth_year (participant, birth_year);
  /* A value Koers cannot read as a year is an error, unless the reader already flagged it as
   * Excel damage: then the user confirms that the year stays unknown. */
  if (birth_year == 0 && (year != NULL || birth_date != NULL))
    {
      KoersCsvField field = year != NULL ? KOERS_CSV_FIELD_BIRTH_YEAR : KOERS_CSV_FIELD_BIRTH_DATE;
      int index = koers_csv_record_get_field_index (record, field);

      if (!cell_has_warning (record, index))
        {
          g_autofree char *reason =
            g_strdup_printf (_("“%s” is not a birth year"), year != NULL ? year : birth_date);
          add_issue (reader, record, index, reason, issues);
        }
    }
}

/* A date column: ISO or what Excel made of it (the reader warned about the damaged forms). */
static void
map_date (KoersCsvReader *reader, const KoersCsvRecord *record, KoersCsvField field,
          KoersParticipant *participant, void (*set) (KoersParticipant *, const char *),
          GPtrArray *issues)
{
  const char *value = nonempty (koers_csv_record_get_field (record, field));
  int index = koers_csv_record_get_field_index (record, field);
  g_autofree char *iso = NULL;

  if (value == NULL)
    return;
  if (koers_csv_parse_date (value, &iso, NULL))
    set (participant, iso);
  else if (!cell_has_warning (record, index))
    {
      g_autofree char *reason =
        g_strdup_printf (_("“%s” is not a date: write it as YYYY-MM-DD"), value);
      add_issue (reader, record, index, reason, issues);
    }
}

static void
map_trajectory (KoersImportMapper *mapper, KoersCsvReader *reader,
                const KoersCsvRecord *record, KoersParticipant *participant, GPtrArray *issues)
{
  const char *outcome = nonempty (koers_csv_record_get_field (record, KOERS_CSV_FIELD_OUTCOME));
  const char *action = nonempty (koers_csv_record_get_field (record,
                                                             KOERS_CSV_FIELD_NEXT_ACTION));

  if (action != NULL)
    koers_participant_set_next_action (participant, action);
  map_date (reader, record, KOERS_CSV_FIELD_NEXT_ACTION_DATE, participant,
            koers_participant_set_next_action_date, issues);
  map_date (reader, record, KOERS_CSV_FIELD_OUTCOME_DATE, participant,
            koers_participant_set_outcome_date, issues);
  if (outcome != NULL)
    {
      int found = koers_import_mapper_match (mapper, KOERS_IMPORT_VOCABULARY_OUTCOME, outcome);

      if (found >= 0)
        koers_participant_set_outcome (participant, (KoersOutcome) found);
      else
        {
          g_autofree char *reason =
            g_strdup_printf (_("“%s” is not an outcome (work, education, work-learning place "
                               "or none)"), outcome);
          add_issue (reader, record,
                     koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_OUTCOME),
                     reason, issues);
        }
    }
}

/* The coach by name (see koers_import_mapper_load_coaches()): a coach already in Koers, whose
 * organisation the participant joins. A name Koers does not know refuses the row rather than
 * making a coach: a coach is a professional with an account and an organisation, which a
 * spelling in a partner's spreadsheet cannot stand for. */
static void
map_coach (KoersImportMapper *mapper, KoersCsvReader *reader, const KoersCsvRecord *record,
           KoersParticipant *participant, GPtrArray *issues)
{
  const char *name = nonempty (koers_csv_record_get_field (record, KOERS_CSV_FIELD_COACH));
  int index = koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_COACH);
  const char *id = NULL;
  const char *organisation_id = NULL;
  g_autofree char *reason = NULL;

  if (name == NULL)
    return;
  switch (koers_import_mapper_find_coach (mapper, name, &id, &organisation_id))
    {
    case KOERS_IMPORT_COACH_FOUND:
      koers_participant_set_coach_id (participant, id);
      koers_participant_set_organisation_id (participant, organisation_id);
      return;
    case KOERS_IMPORT_COACH_AMBIGUOUS:
      reason = g_strdup_printf (_("more than one coach is called “%s”: leave the cell empty "
                                  "and choose the coach in Koers"), name);
      break;
    case KOERS_IMPORT_COACH_UNKNOWN:
      reason = g_strdup_printf (_("Koers has no coach called “%s”: add the coach first, or "
                                  "leave the cell empty"), name);
      break;
    case KOERS_IMPORT_COACH_NOT_LOADED:
    default:
      return;
    }
  add_issue (reader, record, index, reason, issues);
}

/* A Koers export names each person by their Koers id: the row keeps it, so their notes and
 * activities (exported by that id) find them, and importing the export again finds them
 * present. Other numbers (a partner's own) are not ids. */
static void
map_id (const KoersCsvRecord *record, KoersParticipant *participant)
{
  const char *id = nonempty (koers_csv_record_get_field (record, KOERS_CSV_FIELD_EXTERNAL_ID));

  if (id != NULL && g_uuid_string_is_valid (id))
    {
      g_autofree char *lower = g_ascii_strdown (id, -1);

      koers_participant_set_id (participant, lower);
    }
}

static void
map_note (KoersCsvReader *reader, const KoersCsvRecord *record, KoersImportRow *row,
          GPtrArray *issues)
{
  const char *note = nonempty (koers_csv_record_get_field (record, KOERS_CSV_FIELD_NOTES));
  int index = koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_NOTES);
  g_autofree char *reason = NULL;

  if (note == NULL)
    return;
  if (!koers_text_check_multi_line (note, &reason))
    add_issue (reader, record, index, reason, issues);
  else if (g_utf8_strlen (note, -1) > KOERS_LONG_TEXT_MAX_CHARS)
    {
      g_autofree char *too_long =
        g_strdup_printf (_("a note has at most %d characters"), KOERS_LONG_TEXT_MAX_CHARS);
      add_issue (reader, record, index, too_long, issues);
    }
  else
    row->note = g_strdup (note);
}

/* The key's bytes are gathered first and hashed in one go: GChecksum's cost per call, not
 * SHA-256 itself, was most of the key's price (58 calls a row). The bytes, and so the keys
 * already stored, are the same. */
static void
key_add (GString *text, const char *name, const char *value)
{
  g_string_append (text, name);
  g_string_append_c (text, '=');
  if (value != NULL)
    g_string_append (text, value);
  /* A record separator, so ("ab", "c") and ("a", "bc") differ. */
  g_string_append_c (text, '\x1e');
}

/* The row's identity: its values as they will be stored (NFC, trimmed, vocabularies as
 * identifiers), so the same file, re-saved with other spelling of "Oost-Gelre", is the same. */
static char *
make_key (const KoersCsvRecord *record, const KoersImportRow *row)
{
  KoersParticipant *p = row->participant;
  g_autoptr(GString) text = g_string_sized_new (512);
  g_autofree char *year = g_strdup_printf ("%d", koers_participant_get_birth_year (p));
  g_autofree char *line = g_strdup_printf ("%d", koers_participant_get_project_line (p));

  key_add (text, "v", "1");
  key_add (text, "external-id",
           koers_csv_record_get_field (record, KOERS_CSV_FIELD_EXTERNAL_ID));
  key_add (text, "name", koers_participant_get_name (p));
  key_add (text, "preferred-name", koers_participant_get_preferred_name (p));
  key_add (text, "birth-year", year);
  key_add (text, "municipality",
           koers_municipality_to_id (koers_participant_get_municipality (p)));
  key_add (text, "target-group",
           koers_target_group_to_id (koers_participant_get_target_group (p)));
  key_add (text, "phone", koers_participant_get_phone (p));
  key_add (text, "email", koers_participant_get_email (p));
  key_add (text, "languages", koers_participant_get_languages (p));
  key_add (text, "preferred-language", koers_participant_get_preferred_language (p));
  key_add (text, "dutch-level",
           koers_cefr_level_to_id (koers_participant_get_dutch_level (p)));
  key_add (text, "project-line", line);
  key_add (text, "status", koers_status_to_id (koers_participant_get_status (p)));
  key_add (text, "registered-on", koers_participant_get_registered_on (p));
  key_add (text, "note", row->note);
  /* Fields a later version imports: only when set, so a file without them keeps the key it
   * always had and a re-import still finds its rows. */
  if (koers_participant_get_coach_id (p) != NULL)
    key_add (text, "coach", koers_participant_get_coach_id (p));
  if (koers_participant_get_outcome (p) != KOERS_OUTCOME_UNKNOWN)
    key_add (text, "outcome", koers_outcome_to_id (koers_participant_get_outcome (p)));
  if (koers_participant_get_outcome_date (p) != NULL)
    key_add (text, "outcome-date", koers_participant_get_outcome_date (p));
  if (koers_participant_get_next_action (p) != NULL)
    key_add (text, "next-action", koers_participant_get_next_action (p));
  if (koers_participant_get_next_action_date (p) != NULL)
    key_add (text, "next-action-date", koers_participant_get_next_action_date (p));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text->str, text->len);
}

gboolean
koers_import_map_record (KoersCsvReader       *reader,
                         const KoersCsvRecord *record,
                         int                   today_year,
                         KoersImportRow       *out_row,
                         GPtrArray            *issues)
{
  g_autoptr(KoersImportMapper) mapper = koers_import_mapper_new ();

  return koers_import_mapper_map (mapper, reader, record, today_year, out_row, issues);
}

gboolean
koers_import_mapper_map (KoersImportMapper    *mapper,
                         KoersCsvReader       *reader,
                         const KoersCsvRecord *record,
                         int                   today_year,
                         KoersImportRow       *out_row,
                         GPtrArray            *issues)
{
  g_autoptr(KoersParticipant) participant = koers_participant_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *name = NULL;
  KoersImportRow row = { NULL, NULL, NULL };
  guint n_before;

  g_return_val_if_fail (mapper != NULL, FALSE);
  g_return_val_if_fail (KOERS_IS_CSV_READER (reader), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (out_row != NULL, FALSE);
  g_return_val_if_fail (issues != NULL, FALSE);

  n_before = issues->len;
  name = koers_csv_record_dup_name (record);
  if (koers_export_is_neutralised (name))
    memmove (name, name + 1, strlen (name));
  koers_participant_set_name (participant, name);
  koers_participant_set_preferred_name (participant,
    nonempty (koers_csv_record_get_field (record, KOERS_CSV_FIELD_PREFERRED_NAME)));
  koers_participant_set_phone (participant,
    nonempty (koers_csv_record_get_field (record, KOERS_CSV_FIELD_PHONE)));
  koers_participant_set_email (participant,
    nonempty (koers_csv_record_get_field (record, KOERS_CSV_FIELD_EMAIL)));
  koers_participant_set_languages (participant,
    nonempty (koers_csv_record_get_field (record, KOERS_CSV_FIELD_LANGUAGES)));
  koers_participant_set_preferred_language (participant,
    nonempty (koers_csv_record_get_field (record, KOERS_CSV_FIELD_PREFERRED_LANGUAGE)));
  map_municipality (mapper, reader, record, participant, issues);
  map_target_group (mapper, reader, record, participant, issues);
  map_status (mapper, reader, record, participant, issues);
  map_level (mapper, reader, record, participant, issues);
  map_numbers_and_dates (reader, record, participant, issues);
  map_trajectory (mapper, reader, record, participant, issues);
  map_coach (mapper, reader, record, participant, issues);
  map_id (record, participant);
  row.participant = g_object_ref (participant);
  map_note (reader, record, &row, issues);

  problems = koers_participant_validate (participant, today_year);
  for (guint i = 0; i < problems->len; i++)
    {
      KoersFieldError *problem = g_ptr_array_index (problems, i);

      add_issue (reader, record, column_for_property (record, problem->field), problem->message,
                 issues);
    }

  if (issues->len > n_before)
    {
      koers_import_row_clear (&row);
      return FALSE;
    }
  row.key = make_key (record, &row);
  *out_row = row;
  return TRUE;
}

/* Mapping ------------------------------------------------------------------------------------ */

static int
find_column (KoersCsvReader *reader, const char *column)
{
  g_autofree char *key = koers_csv_header_key (column);
  guint64 number = 0;
  guint n = koers_csv_reader_get_n_columns (reader);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (koers_csv_reader_get_header (reader, i), column))
      return (int) i;
  for (guint i = 0; i < n && *key != '\0'; i++)
    if (keys_equal (key, koers_csv_reader_get_header (reader, i)))
      return (int) i;
  if (g_ascii_string_to_unsigned (column, 10, 1, n, &number, NULL))
    return (int) number - 1;
  return -1;
}

gboolean
koers_import_apply_mapping (KoersCsvReader      *reader,
                            const char * const  *mapping,
                            GError             **error)
{
  g_return_val_if_fail (KOERS_IS_CSV_READER (reader), FALSE);

  for (guint i = 0; mapping != NULL && mapping[i] != NULL; i++)
    {
      const char *equals = strrchr (mapping[i], '=');
      g_autofree char *column = NULL;
      KoersCsvField field;
      int index;

      if (equals == NULL)
        {
          g_set_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_MAPPING,
                       _("“%s” is not a mapping: write COLUMN=FIELD"), mapping[i]);
          return FALSE;
        }
      column = g_strndup (mapping[i], (gsize) (equals - mapping[i]));
      index = find_column (reader, column);
      if (index < 0)
        {
          g_set_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_MAPPING,
                       _("the file has no column “%s”"), column);
          return FALSE;
        }
      field = koers_csv_field_from_string (equals + 1);
      if (field == KOERS_CSV_FIELD_NONE && !g_str_equal (equals + 1, "none"))
        {
          g_set_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_MAPPING,
                       _("“%s” is not a field Koers imports"), equals + 1);
          return FALSE;
        }
      koers_csv_reader_set_mapping (reader, (guint) index, field);
    }
  return TRUE;
}

void
koers_import_check_mapping (KoersCsvReader *reader, GPtrArray *issues)
{
  guint line;

  g_return_if_fail (KOERS_IS_CSV_READER (reader));
  g_return_if_fail (issues != NULL);

  line = koers_csv_reader_get_header_line (reader);
  if (koers_csv_reader_get_column_for_field (reader, KOERS_CSV_FIELD_FULL_NAME) < 0
      && koers_csv_reader_get_column_for_field (reader, KOERS_CSV_FIELD_FIRST_NAME) < 0
      && koers_csv_reader_get_column_for_field (reader, KOERS_CSV_FIELD_LAST_NAME) < 0)
    g_ptr_array_add (issues, koers_csv_issue_new (line, 1, -1, NULL,
                                                  _("no column holds the name: map one to "
                                                    "full-name, first-name or last-name")));
  if (koers_csv_reader_get_column_for_field (reader, KOERS_CSV_FIELD_MUNICIPALITY) < 0)
    g_ptr_array_add (issues, koers_csv_issue_new (line, 1, -1, NULL,
                                                  _("no column holds the municipality: map "
                                                    "one to municipality")));
  if (koers_csv_reader_get_column_for_field (reader, KOERS_CSV_FIELD_TARGET_GROUP) < 0)
    g_ptr_array_add (issues, koers_csv_issue_new (line, 1, -1, NULL,
                                                  _("no column holds the target group: map "
                                                    "one to target-group")));
}

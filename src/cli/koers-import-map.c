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

/* Dutch words partners use, by matching key; the identifiers and the labels match too. */
typedef struct {
  const char *key;
  int         value;
} Synonym;

static const Synonym target_group_words[] = {
  { "statushouder", KOERS_TARGET_GROUP_STATUSHOLDER },
  { "statushouders", KOERS_TARGET_GROUP_STATUSHOLDER },
  { "vergunninghouder", KOERS_TARGET_GROUP_STATUSHOLDER },
  { "asielzoeker", KOERS_TARGET_GROUP_ASYLUM_SEEKER },
  { "asielzoekers", KOERS_TARGET_GROUP_ASYLUM_SEEKER },
  { "arbeidsmigrant", KOERS_TARGET_GROUP_LABOUR_MIGRANT },
  { "arbeidsmigranten", KOERS_TARGET_GROUP_LABOUR_MIGRANT },
  { "labormigrant", KOERS_TARGET_GROUP_LABOUR_MIGRANT },
  { "nietuitkeringsgerechtigde", KOERS_TARGET_GROUP_NUG },
  { "werkzoekende", KOERS_TARGET_GROUP_JOBSEEKER_DISTANCE },
  { "afstandtotdearbeidsmarkt", KOERS_TARGET_GROUP_JOBSEEKER_DISTANCE },
  { "afstandarbeidsmarkt", KOERS_TARGET_GROUP_JOBSEEKER_DISTANCE },
  { "laaggeletterd", KOERS_TARGET_GROUP_LOW_BASIC_SKILLS },
  { "laaggeletterde", KOERS_TARGET_GROUP_LOW_BASIC_SKILLS },
  { "basisvaardigheden", KOERS_TARGET_GROUP_LOW_BASIC_SKILLS },
  { "werkende", KOERS_TARGET_GROUP_WORKER_RESKILLING },
  { "omscholing", KOERS_TARGET_GROUP_WORKER_RESKILLING },
  { "zijinstromer", KOERS_TARGET_GROUP_CAREER_SWITCHER },
  { "zijinstromers", KOERS_TARGET_GROUP_CAREER_SWITCHER },
};

static const Synonym status_words[] = {
  { "aangemeld", KOERS_STATUS_REGISTERED },
  { "aanmelding", KOERS_STATUS_REGISTERED },
  { "geregistreerd", KOERS_STATUS_REGISTERED },
  { "ingeschreven", KOERS_STATUS_REGISTERED },
  { "actief", KOERS_STATUS_ACTIVE },
  { "lopend", KOERS_STATUS_ACTIVE },
  { "nazorg", KOERS_STATUS_AFTERCARE },
  { "afgerond", KOERS_STATUS_COMPLETED },
  { "voltooid", KOERS_STATUS_COMPLETED },
  { "uitgevallen", KOERS_STATUS_DROPPED_OUT },
  { "uitval", KOERS_STATUS_DROPPED_OUT },
  { "gestopt", KOERS_STATUS_DROPPED_OUT },
  { "voortijdiggestopt", KOERS_STATUS_DROPPED_OUT },
};

static const Synonym level_words[] = {
  { "onbekend", KOERS_CEFR_UNKNOWN },
};

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

/* Matches @value against a vocabulary: its identifiers, its labels (in the user's language)
 * and @words. -1 when nothing matches. */
static int
match_vocabulary (const char     *value,
                  guint           n,
                  const char   *(*to_id) (int),
                  const char   *(*label) (int),
                  const Synonym  *words,
                  gsize           n_words)
{
  g_autofree char *key = koers_csv_header_key (value);

  if (*key == '\0')
    return -1;
  for (guint i = 0; i < n; i++)
    if (keys_equal (key, to_id ((int) i)) || keys_equal (key, label ((int) i)))
      return (int) i;
  for (gsize i = 0; i < n_words; i++)
    if (g_str_equal (key, words[i].key))
      return words[i].value;
  return -1;
}

/* Adapters: the vocabularies take their own enum types. */
static const char *municipality_id (int v) { return koers_municipality_to_id (v); }
static const char *municipality_label (int v) { return koers_municipality_label (v); }
static const char *target_group_id (int v) { return koers_target_group_to_id (v); }
static const char *target_group_label (int v) { return koers_target_group_label (v); }
static const char *status_id (int v) { return koers_status_to_id (v); }
static const char *status_label (int v) { return koers_status_label (v); }
static const char *level_id (int v) { return koers_cefr_level_to_id (v); }
static const char *level_label (int v) { return koers_cefr_level_label (v); }

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
    { "outcome", KOERS_CSV_FIELD_STATUS },
    { "outcome-date", KOERS_CSV_FIELD_STATUS },
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
map_municipality (KoersCsvReader *reader, const KoersCsvRecord *record,
                  KoersParticipant *participant, GPtrArray *issues)
{
  const char *value = koers_csv_record_get_field (record, KOERS_CSV_FIELD_MUNICIPALITY);
  int index = koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_MUNICIPALITY);
  g_autofree char *choices = municipality_choices ();
  g_autofree char *reason = NULL;
  int found;

  if (index < 0)
    return;  /* reported once for the file by koers_import_check_mapping() */
  if (value == NULL || *value == '\0')
    /* Translators: %s lists the eight municipalities */
    reason = g_strdup_printf (_("the municipality is missing: enter one of %s"), choices);
  else if ((found = match_vocabulary (value, KOERS_N_MUNICIPALITIES, municipality_id,
                                      municipality_label, NULL, 0)) < 0)
    /* Translators: the first %s is the value in the file, the second lists the municipalities */
    reason = g_strdup_printf (_("“%s” is not one of the Achterhoek municipalities: %s"),
                              value, choices);
  else
    koers_participant_set_municipality (participant, (KoersMunicipality) found);
  if (reason != NULL)
    add_issue (reader, record, index, reason, issues);
}

static void
map_target_group (KoersCsvReader *reader, const KoersCsvRecord *record,
                  KoersParticipant *participant, GPtrArray *issues)
{
  const char *value = koers_csv_record_get_field (record, KOERS_CSV_FIELD_TARGET_GROUP);
  int index = koers_csv_record_get_field_index (record, KOERS_CSV_FIELD_TARGET_GROUP);
  g_autofree char *reason = NULL;
  int found;

  if (index < 0)
    return;
  if (value == NULL || *value == '\0')
    reason = g_strdup (_("the target group is missing"));
  else if ((found = match_vocabulary (value, KOERS_N_TARGET_GROUPS, target_group_id,
                                      target_group_label, target_group_words,
                                      G_N_ELEMENTS (target_group_words))) < 0)
    reason = g_strdup_printf (_("“%s” is not a target group of the programme"), value);
  else
    koers_participant_set_target_group (participant, (KoersTargetGroup) found);
  if (reason != NULL)
    add_issue (reader, record, index, reason, issues);
}

static void
map_status (KoersCsvReader *reader, const KoersCsvRecord *record,
            KoersParticipant *participant, GPtrArray *issues)
{
  const char *value = nonempty (koers_csv_record_get_field (record, KOERS_CSV_FIELD_STATUS));
  g_autofree char *reason = NULL;
  int found;

  /* No status means the person was just registered, the start of every trajectory. */
  if (value == NULL)
    return;
  found = match_vocabulary (value, KOERS_N_STATUSES, status_id, status_label, status_words,
                            G_N_ELEMENTS (status_words));
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
map_level (KoersCsvReader *reader, const KoersCsvRecord *record,
           KoersParticipant *participant, GPtrArray *issues)
{
  const char *value = nonempty (koers_csv_record_get_field (record,
                                                            KOERS_CSV_FIELD_DUTCH_LEVEL));
  g_autofree char *reason = NULL;
  int found;

  if (value == NULL)
    return;
  found = match_vocabulary (value, KOERS_N_CEFR_LEVELS, level_id, level_label, level_words,
                            G_N_ELEMENTS (level_words));
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

static void
key_add (GChecksum *checksum, const char *name, const char *value)
{
  g_checksum_update (checksum, (const guchar *) name, -1);
  g_checksum_update (checksum, (const guchar *) "=", 1);
  if (value != NULL)
    g_checksum_update (checksum, (const guchar *) value, -1);
  /* A record separator, so ("ab", "c") and ("a", "bc") differ. */
  g_checksum_update (checksum, (const guchar *) "\x1e", 1);
}

/* The row's identity: its values as they will be stored (NFC, trimmed, vocabularies as
 * identifiers), so the same file, re-saved with other spelling of "Oost-Gelre", is the same. */
static char *
make_key (const KoersCsvRecord *record, const KoersImportRow *row)
{
  KoersParticipant *p = row->participant;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *year = g_strdup_printf ("%d", koers_participant_get_birth_year (p));
  g_autofree char *line = g_strdup_printf ("%d", koers_participant_get_project_line (p));

  key_add (checksum, "v", "1");
  key_add (checksum, "external-id",
           koers_csv_record_get_field (record, KOERS_CSV_FIELD_EXTERNAL_ID));
  key_add (checksum, "name", koers_participant_get_name (p));
  key_add (checksum, "preferred-name", koers_participant_get_preferred_name (p));
  key_add (checksum, "birth-year", year);
  key_add (checksum, "municipality",
           koers_municipality_to_id (koers_participant_get_municipality (p)));
  key_add (checksum, "target-group",
           koers_target_group_to_id (koers_participant_get_target_group (p)));
  key_add (checksum, "phone", koers_participant_get_phone (p));
  key_add (checksum, "email", koers_participant_get_email (p));
  key_add (checksum, "languages", koers_participant_get_languages (p));
  key_add (checksum, "preferred-language", koers_participant_get_preferred_language (p));
  key_add (checksum, "dutch-level",
           koers_cefr_level_to_id (koers_participant_get_dutch_level (p)));
  key_add (checksum, "project-line", line);
  key_add (checksum, "status", koers_status_to_id (koers_participant_get_status (p)));
  key_add (checksum, "registered-on", koers_participant_get_registered_on (p));
  key_add (checksum, "note", row->note);
  return g_strdup (g_checksum_get_string (checksum));
}

gboolean
koers_import_map_record (KoersCsvReader       *reader,
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
  map_municipality (reader, record, participant, issues);
  map_target_group (reader, record, participant, issues);
  map_status (reader, record, participant, issues);
  map_level (reader, record, participant, issues);
  map_numbers_and_dates (reader, record, participant, issues);
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

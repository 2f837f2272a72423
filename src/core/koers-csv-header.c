/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-csv-header.h"

#include <string.h>

typedef struct {
  const char *id;
  const char *label;
} FieldInfo;

static const FieldInfo fields[KOERS_CSV_N_FIELDS] = {
  [KOERS_CSV_FIELD_NONE] = { "none", N_("Not imported") },
  [KOERS_CSV_FIELD_EXTERNAL_ID] = { "external-id", N_("Partner's number") },
  [KOERS_CSV_FIELD_FIRST_NAME] = { "first-name", N_("First name") },
  [KOERS_CSV_FIELD_NAME_PREFIX] = { "name-prefix", N_("Name prefix") },
  [KOERS_CSV_FIELD_LAST_NAME] = { "last-name", N_("Last name") },
  [KOERS_CSV_FIELD_FULL_NAME] = { "full-name", N_("Name") },
  [KOERS_CSV_FIELD_PREFERRED_NAME] = { "preferred-name", N_("Preferred name") },
  [KOERS_CSV_FIELD_BIRTH_YEAR] = { "birth-year", N_("Birth year") },
  [KOERS_CSV_FIELD_BIRTH_DATE] = { "birth-date", N_("Date of birth") },
  [KOERS_CSV_FIELD_MUNICIPALITY] = { "municipality", N_("Municipality") },
  [KOERS_CSV_FIELD_TARGET_GROUP] = { "target-group", N_("Target group") },
  [KOERS_CSV_FIELD_PHONE] = { "phone", N_("Phone") },
  [KOERS_CSV_FIELD_EMAIL] = { "email", N_("E-mail") },
  [KOERS_CSV_FIELD_LANGUAGES] = { "languages", N_("Languages") },
  [KOERS_CSV_FIELD_PREFERRED_LANGUAGE] = { "preferred-language", N_("Preferred language") },
  [KOERS_CSV_FIELD_DUTCH_LEVEL] = { "dutch-level", N_("Dutch level") },
  [KOERS_CSV_FIELD_COACH] = { "coach", N_("Coach") },
  [KOERS_CSV_FIELD_PROJECT_LINE] = { "project-line", N_("Project line") },
  [KOERS_CSV_FIELD_STATUS] = { "status", N_("Status") },
  [KOERS_CSV_FIELD_REGISTERED_ON] = { "registered-on", N_("Registered on") },
  [KOERS_CSV_FIELD_NOTES] = { "notes", N_("Notes") },
  [KOERS_CSV_FIELD_NEXT_ACTION] = { "next-action", N_("Next action") },
  [KOERS_CSV_FIELD_NEXT_ACTION_DATE] = { "next-action-date", N_("Next action date") },
  [KOERS_CSV_FIELD_OUTCOME] = { "outcome", N_("Outcome") },
  [KOERS_CSV_FIELD_OUTCOME_DATE] = { "outcome-date", N_("Outcome date") },
};

/* Keys as koers_csv_header_key() makes them. Dutch first: the exports come from Dutch offices
 * (Werkcentrum, municipalities, UWV); English for partners' international templates. */
static const struct {
  const char   *key;
  KoersCsvField field;
} aliases[] = {
  { "id", KOERS_CSV_FIELD_EXTERNAL_ID },
  { "deelnemernummer", KOERS_CSV_FIELD_EXTERNAL_ID },
  { "deelnemerid", KOERS_CSV_FIELD_EXTERNAL_ID },
  { "dossiernummer", KOERS_CSV_FIELD_EXTERNAL_ID },
  { "klantnummer", KOERS_CSV_FIELD_EXTERNAL_ID },
  { "kenmerk", KOERS_CSV_FIELD_EXTERNAL_ID },
  { "referentie", KOERS_CSV_FIELD_EXTERNAL_ID },
  { "participantid", KOERS_CSV_FIELD_EXTERNAL_ID },
  { "participantnumber", KOERS_CSV_FIELD_EXTERNAL_ID },
  { "reference", KOERS_CSV_FIELD_EXTERNAL_ID },
  { "voornaam", KOERS_CSV_FIELD_FIRST_NAME },
  { "voornamen", KOERS_CSV_FIELD_FIRST_NAME },
  { "firstname", KOERS_CSV_FIELD_FIRST_NAME },
  { "givenname", KOERS_CSV_FIELD_FIRST_NAME },
  { "forename", KOERS_CSV_FIELD_FIRST_NAME },
  { "tussenvoegsel", KOERS_CSV_FIELD_NAME_PREFIX },
  { "tussenvoegsels", KOERS_CSV_FIELD_NAME_PREFIX },
  { "tussenv", KOERS_CSV_FIELD_NAME_PREFIX },
  { "voorvoegsel", KOERS_CSV_FIELD_NAME_PREFIX },
  { "prefix", KOERS_CSV_FIELD_NAME_PREFIX },
  { "nameprefix", KOERS_CSV_FIELD_NAME_PREFIX },
  { "achternaam", KOERS_CSV_FIELD_LAST_NAME },
  { "familienaam", KOERS_CSV_FIELD_LAST_NAME },
  { "geslachtsnaam", KOERS_CSV_FIELD_LAST_NAME },
  { "lastname", KOERS_CSV_FIELD_LAST_NAME },
  { "surname", KOERS_CSV_FIELD_LAST_NAME },
  { "familyname", KOERS_CSV_FIELD_LAST_NAME },
  { "naam", KOERS_CSV_FIELD_FULL_NAME },
  { "volledigenaam", KOERS_CSV_FIELD_FULL_NAME },
  { "naamdeelnemer", KOERS_CSV_FIELD_FULL_NAME },
  { "deelnemer", KOERS_CSV_FIELD_FULL_NAME },
  { "name", KOERS_CSV_FIELD_FULL_NAME },
  { "fullname", KOERS_CSV_FIELD_FULL_NAME },
  { "participant", KOERS_CSV_FIELD_FULL_NAME },
  { "roepnaam", KOERS_CSV_FIELD_PREFERRED_NAME },
  { "preferredname", KOERS_CSV_FIELD_PREFERRED_NAME },
  { "nickname", KOERS_CSV_FIELD_PREFERRED_NAME },
  { "geboortejaar", KOERS_CSV_FIELD_BIRTH_YEAR },
  { "birthyear", KOERS_CSV_FIELD_BIRTH_YEAR },
  { "yearofbirth", KOERS_CSV_FIELD_BIRTH_YEAR },
  { "geboortedatum", KOERS_CSV_FIELD_BIRTH_DATE },
  { "gebdatum", KOERS_CSV_FIELD_BIRTH_DATE },
  { "geboren", KOERS_CSV_FIELD_BIRTH_DATE },
  { "dateofbirth", KOERS_CSV_FIELD_BIRTH_DATE },
  { "birthdate", KOERS_CSV_FIELD_BIRTH_DATE },
  { "dob", KOERS_CSV_FIELD_BIRTH_DATE },
  { "gemeente", KOERS_CSV_FIELD_MUNICIPALITY },
  { "woonplaats", KOERS_CSV_FIELD_MUNICIPALITY },
  { "woongemeente", KOERS_CSV_FIELD_MUNICIPALITY },
  { "plaats", KOERS_CSV_FIELD_MUNICIPALITY },
  { "municipality", KOERS_CSV_FIELD_MUNICIPALITY },
  { "city", KOERS_CSV_FIELD_MUNICIPALITY },
  { "doelgroep", KOERS_CSV_FIELD_TARGET_GROUP },
  { "targetgroup", KOERS_CSV_FIELD_TARGET_GROUP },
  { "telefoon", KOERS_CSV_FIELD_PHONE },
  { "telefoonnummer", KOERS_CSV_FIELD_PHONE },
  { "telefoonnr", KOERS_CSV_FIELD_PHONE },
  { "telnr", KOERS_CSV_FIELD_PHONE },
  { "tel", KOERS_CSV_FIELD_PHONE },
  { "mobiel", KOERS_CSV_FIELD_PHONE },
  { "mobielnummer", KOERS_CSV_FIELD_PHONE },
  { "mobielenummer", KOERS_CSV_FIELD_PHONE },
  { "gsm", KOERS_CSV_FIELD_PHONE },
  { "phone", KOERS_CSV_FIELD_PHONE },
  { "phonenumber", KOERS_CSV_FIELD_PHONE },
  { "telephone", KOERS_CSV_FIELD_PHONE },
  { "mobile", KOERS_CSV_FIELD_PHONE },
  { "email", KOERS_CSV_FIELD_EMAIL },
  { "emailadres", KOERS_CSV_FIELD_EMAIL },
  { "mailadres", KOERS_CSV_FIELD_EMAIL },
  { "mail", KOERS_CSV_FIELD_EMAIL },
  { "emailaddress", KOERS_CSV_FIELD_EMAIL },
  { "taal", KOERS_CSV_FIELD_LANGUAGES },
  { "talen", KOERS_CSV_FIELD_LANGUAGES },
  { "gesprokentalen", KOERS_CSV_FIELD_LANGUAGES },
  { "language", KOERS_CSV_FIELD_LANGUAGES },
  { "languages", KOERS_CSV_FIELD_LANGUAGES },
  { "voorkeurstaal", KOERS_CSV_FIELD_PREFERRED_LANGUAGE },
  { "preferredlanguage", KOERS_CSV_FIELD_PREFERRED_LANGUAGE },
  { "taalniveau", KOERS_CSV_FIELD_DUTCH_LEVEL },
  { "niveaunederlands", KOERS_CSV_FIELD_DUTCH_LEVEL },
  { "taalniveaunederlands", KOERS_CSV_FIELD_DUTCH_LEVEL },
  { "dutchlevel", KOERS_CSV_FIELD_DUTCH_LEVEL },
  { "coach", KOERS_CSV_FIELD_COACH },
  { "loopbaancoach", KOERS_CSV_FIELD_COACH },
  { "begeleider", KOERS_CSV_FIELD_COACH },
  { "trajectbegeleider", KOERS_CSV_FIELD_COACH },
  { "consulent", KOERS_CSV_FIELD_COACH },
  { "projectlijn", KOERS_CSV_FIELD_PROJECT_LINE },
  { "projectline", KOERS_CSV_FIELD_PROJECT_LINE },
  { "status", KOERS_CSV_FIELD_STATUS },
  { "trajectstatus", KOERS_CSV_FIELD_STATUS },
  { "fase", KOERS_CSV_FIELD_STATUS },
  { "aanmelddatum", KOERS_CSV_FIELD_REGISTERED_ON },
  { "datumaanmelding", KOERS_CSV_FIELD_REGISTERED_ON },
  { "inschrijfdatum", KOERS_CSV_FIELD_REGISTERED_ON },
  { "registrationdate", KOERS_CSV_FIELD_REGISTERED_ON },
  { "registeredon", KOERS_CSV_FIELD_REGISTERED_ON },
  { "notitie", KOERS_CSV_FIELD_NOTES },
  { "notities", KOERS_CSV_FIELD_NOTES },
  { "opmerking", KOERS_CSV_FIELD_NOTES },
  { "opmerkingen", KOERS_CSV_FIELD_NOTES },
  { "toelichting", KOERS_CSV_FIELD_NOTES },
  { "notes", KOERS_CSV_FIELD_NOTES },
  { "note", KOERS_CSV_FIELD_NOTES },
  { "remarks", KOERS_CSV_FIELD_NOTES },
  { "comments", KOERS_CSV_FIELD_NOTES },
  { "volgendeactie", KOERS_CSV_FIELD_NEXT_ACTION },
  { "volgendestap", KOERS_CSV_FIELD_NEXT_ACTION },
  { "actie", KOERS_CSV_FIELD_NEXT_ACTION },
  { "nextaction", KOERS_CSV_FIELD_NEXT_ACTION },
  { "datumvolgendeactie", KOERS_CSV_FIELD_NEXT_ACTION_DATE },
  { "actiedatum", KOERS_CSV_FIELD_NEXT_ACTION_DATE },
  { "nextactiondate", KOERS_CSV_FIELD_NEXT_ACTION_DATE },
  { "uitkomst", KOERS_CSV_FIELD_OUTCOME },
  { "uitstroom", KOERS_CSV_FIELD_OUTCOME },
  { "resultaat", KOERS_CSV_FIELD_OUTCOME },
  { "outcome", KOERS_CSV_FIELD_OUTCOME },
  { "uitkomstdatum", KOERS_CSV_FIELD_OUTCOME_DATE },
  { "datumuitkomst", KOERS_CSV_FIELD_OUTCOME_DATE },
  { "uitstroomdatum", KOERS_CSV_FIELD_OUTCOME_DATE },
  { "datumuitstroom", KOERS_CSV_FIELD_OUTCOME_DATE },
  { "outcomedate", KOERS_CSV_FIELD_OUTCOME_DATE },
};

char *
koers_csv_header_key (const char *header)
{
  g_autofree char *valid = NULL;
  g_autofree char *decomposed = NULL;
  GString *key;

  g_return_val_if_fail (header != NULL, NULL);

  valid = g_utf8_make_valid (header, -1);
  decomposed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKD);
  key = g_string_new (NULL);
  for (const char *p = decomposed; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (key, g_unichar_tolower (c));
    }
  return g_string_free (key, FALSE);
}

KoersCsvField
koers_csv_field_from_header (const char *header)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (header != NULL, KOERS_CSV_FIELD_NONE);

  key = koers_csv_header_key (header);
  for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (strcmp (aliases[i].key, key) == 0)
      return aliases[i].field;
  return KOERS_CSV_FIELD_NONE;
}

const char *
koers_csv_field_to_string (KoersCsvField field)
{
  g_return_val_if_fail (field < KOERS_CSV_N_FIELDS, "none");

  return fields[field].id;
}

KoersCsvField
koers_csv_field_from_string (const char *id)
{
  g_return_val_if_fail (id != NULL, KOERS_CSV_FIELD_NONE);

  for (int i = 0; i < KOERS_CSV_N_FIELDS; i++)
    if (strcmp (fields[i].id, id) == 0)
      return (KoersCsvField) i;
  return KOERS_CSV_FIELD_NONE;
}

const char *
koers_csv_field_get_label (KoersCsvField field)
{
  g_return_val_if_fail (field < KOERS_CSV_N_FIELDS, "");

  return _(fields[field].label);
}

const char *
koers_csv_field_get_note (KoersCsvField field)
{
  switch (field)
    {
    case KOERS_CSV_FIELD_BIRTH_DATE:
      return _("Koers stores only the birth year: the day and month are not imported");
    case KOERS_CSV_FIELD_COACH:
      return _("Matched by name to a coach already in Koers; a name Koers does not know "
               "refuses the row: add the coach first");
    case KOERS_CSV_FIELD_NAME_PREFIX:
      return _("Joined into the name: \"Jan\", \"de\", \"Vries\" becomes \"Jan de Vries\"");
    case KOERS_CSV_FIELD_FIRST_NAME:
    case KOERS_CSV_FIELD_LAST_NAME:
      return _("Joined into the name with the first name, name prefix and last name");
    case KOERS_CSV_FIELD_NONE:
    case KOERS_CSV_FIELD_EXTERNAL_ID:
    case KOERS_CSV_FIELD_FULL_NAME:
    case KOERS_CSV_FIELD_PREFERRED_NAME:
    case KOERS_CSV_FIELD_BIRTH_YEAR:
    case KOERS_CSV_FIELD_MUNICIPALITY:
    case KOERS_CSV_FIELD_TARGET_GROUP:
    case KOERS_CSV_FIELD_PHONE:
    case KOERS_CSV_FIELD_EMAIL:
    case KOERS_CSV_FIELD_LANGUAGES:
    case KOERS_CSV_FIELD_PREFERRED_LANGUAGE:
    case KOERS_CSV_FIELD_DUTCH_LEVEL:
    case KOERS_CSV_FIELD_PROJECT_LINE:
    case KOERS_CSV_FIELD_STATUS:
    case KOERS_CSV_FIELD_REGISTERED_ON:
    case KOERS_CSV_FIELD_NOTES:
    case KOERS_CSV_FIELD_NEXT_ACTION:
    case KOERS_CSV_FIELD_NEXT_ACTION_DATE:
    case KOERS_CSV_FIELD_OUTCOME:
    case KOERS_CSV_FIELD_OUTCOME_DATE:
    case KOERS_CSV_N_FIELDS:
    default:
      return NULL;
    }
}

gboolean
koers_csv_field_is_name (KoersCsvField field)
{
  return field == KOERS_CSV_FIELD_FIRST_NAME || field == KOERS_CSV_FIELD_NAME_PREFIX
         || field == KOERS_CSV_FIELD_LAST_NAME || field == KOERS_CSV_FIELD_FULL_NAME
         || field == KOERS_CSV_FIELD_PREFERRED_NAME;
}

gboolean
koers_csv_field_is_date (KoersCsvField field)
{
  return field == KOERS_CSV_FIELD_BIRTH_DATE || field == KOERS_CSV_FIELD_REGISTERED_ON
         || field == KOERS_CSV_FIELD_NEXT_ACTION_DATE || field == KOERS_CSV_FIELD_OUTCOME_DATE;
}

gboolean
koers_csv_field_is_number (KoersCsvField field)
{
  return field == KOERS_CSV_FIELD_BIRTH_YEAR || field == KOERS_CSV_FIELD_PROJECT_LINE;
}

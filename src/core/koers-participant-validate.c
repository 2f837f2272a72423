/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-participant.h"
#include "core/koers-date.h"
#include "core/koers-text.h"

#include <string.h>

/* A participant must be of working age to join a trajectory: the youngest the programme
 * guides is 14 (pupils in line 7 are not participants in a caseload). */
#define KOERS_MIN_AGE_YEARS 14
#define PHONE_MIN_DIGITS 6
#define PHONE_MAX_DIGITS 20
#define EMAIL_MAX_CHARS 254

void
koers_field_error_free (KoersFieldError *error)
{
  if (error == NULL)
    return;
  g_free (error->field);
  g_free (error->message);
  g_free (error);
}

static void
add_error (GPtrArray *errors, const char *field, char *message)
{
  KoersFieldError *error = g_new0 (KoersFieldError, 1);

  error->field = g_strdup (field);
  error->message = message;
  g_ptr_array_add (errors, error);
}

static gboolean
is_blank (const char *text)
{
  g_autofree char *normalized = koers_text_normalize (text);

  return normalized == NULL || *normalized == '\0';
}

/* Checks a text against the channel's rules; returns FALSE after adding one error. */
static gboolean
check_text (GPtrArray *errors, const char *field, const char *value, gboolean multi_line,
            glong max_chars)
{
  char *reason = NULL;
  glong length;

  if (value == NULL)
    return TRUE;
  if (!koers_text_check_participant_text (value, multi_line, &reason))
    {
      add_error (errors, field, reason);
      return FALSE;
    }
  length = g_utf8_strlen (value, -1);
  if (length > max_chars)
    {
      add_error (errors, field,
                 g_strdup_printf (_("Too long: %ld characters, at most %ld are allowed"),
                                  length, max_chars));
      return FALSE;
    }
  return TRUE;
}

static void
check_name (GPtrArray *errors, const char *field, const char *value, gboolean required)
{
  if (is_blank (value))
    {
      if (required)
        add_error (errors, field, g_strdup (_("Enter the participant’s name")));
      else if (value != NULL && *value != '\0')
        check_text (errors, field, value, FALSE, KOERS_NAME_MAX_CHARS);
      return;
    }
  check_text (errors, field, value, FALSE, KOERS_NAME_MAX_CHARS);
}

static void
check_phone (GPtrArray *errors, const char *phone)
{
  g_autofree char *reason = NULL;
  guint digits = 0;

  if (phone == NULL || *phone == '\0')
    return;
  /* Nine digits are a possible phone number, but not one that passes the elfproef. */
  if (!koers_text_check_participant_text (phone, FALSE, &reason))
    {
      add_error (errors, "phone", g_steal_pointer (&reason));
      return;
    }
  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (strchr (" +-()", *p) == NULL)
        {
          add_error (errors, "phone",
                     g_strdup (_("A phone number may only contain digits, spaces, +, -, ( and )")));
          return;
        }
    }
  if (digits < PHONE_MIN_DIGITS || digits > PHONE_MAX_DIGITS)
    add_error (errors, "phone",
               g_strdup_printf (_("A phone number has %d to %d digits; this one has %u"),
                                PHONE_MIN_DIGITS, PHONE_MAX_DIGITS, digits));
}

/* Deliberately shallow: a coach notes an address the participant gives, it is never used to
 * send mail automatically, so only obvious typing mistakes are refused. */
static void
check_email (GPtrArray *errors, const char *email)
{
  const char *at;
  const char *domain;

  if (email == NULL || *email == '\0')
    return;
  if (!check_text (errors, "email", email, FALSE, EMAIL_MAX_CHARS))
    return;
  for (const char *p = email; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      {
        add_error (errors, "email", g_strdup (_("An e-mail address cannot contain spaces")));
        return;
      }
  at = strchr (email, '@');
  if (at == NULL || strchr (at + 1, '@') != NULL)
    {
      add_error (errors, "email",
                 g_strdup (_("An e-mail address has exactly one @, as in name@example.nl")));
      return;
    }
  if (at == email)
    {
      add_error (errors, "email",
                 g_strdup (_("An e-mail address needs a name before the @")));
      return;
    }
  domain = at + 1;
  if (strchr (domain, '.') == NULL || *domain == '.' || g_str_has_suffix (domain, "."))
    add_error (errors, "email",
               g_strdup (_("The part after the @ needs a dot, as in example.nl")));
}

static void
check_date (GPtrArray *errors, const char *field, const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  if (!koers_date_is_valid_iso (value) || !g_utf8_validate (value, -1, NULL))
    add_error (errors, field,
               g_strdup_printf (_("“%s” is not a real date in the form YYYY-MM-DD"),
                                g_utf8_validate (value, -1, NULL) ? value : "?"));
}

GPtrArray *
koers_participant_validate (KoersParticipant *self, int today_year)
{
  g_autoptr(GPtrArray) errors = NULL;
  int birth_year, max_birth_year, project_line;
  KoersOutcome outcome;
  const char *outcome_date;

  g_return_val_if_fail (KOERS_IS_PARTICIPANT (self), NULL);

  errors = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_field_error_free);

  check_name (errors, "name", koers_participant_get_name (self), TRUE);
  check_name (errors, "preferred-name", koers_participant_get_preferred_name (self), FALSE);

  birth_year = koers_participant_get_birth_year (self);
  max_birth_year = today_year - KOERS_MIN_AGE_YEARS;
  if (birth_year != 0 && (birth_year < KOERS_BIRTH_YEAR_MIN || birth_year > max_birth_year))
    add_error (errors, "birth-year",
               g_strdup_printf (_("Birth year must be between %d and %d, or left empty"),
                                KOERS_BIRTH_YEAR_MIN, max_birth_year));

  check_phone (errors, koers_participant_get_phone (self));
  check_email (errors, koers_participant_get_email (self));
  check_text (errors, "languages", koers_participant_get_languages (self), FALSE,
              KOERS_SHORT_TEXT_MAX_CHARS);
  check_text (errors, "preferred-language", koers_participant_get_preferred_language (self),
              FALSE, KOERS_SHORT_TEXT_MAX_CHARS);
  check_text (errors, "interests", koers_participant_get_interests (self), TRUE,
              KOERS_LONG_TEXT_MAX_CHARS);
  check_text (errors, "ambitions", koers_participant_get_ambitions (self), TRUE,
              KOERS_LONG_TEXT_MAX_CHARS);
  check_text (errors, "next-action", koers_participant_get_next_action (self), FALSE,
              KOERS_SHORT_TEXT_MAX_CHARS);

  project_line = koers_participant_get_project_line (self);
  if (project_line < 0 || project_line > KOERS_N_PROJECT_LINES)
    add_error (errors, "project-line",
               g_strdup_printf (_("Project line must be between 1 and %d, or none"),
                                KOERS_N_PROJECT_LINES));

  check_date (errors, "registered-on", koers_participant_get_registered_on (self));
  check_date (errors, "next-action-date", koers_participant_get_next_action_date (self));

  outcome = koers_participant_get_outcome (self);
  outcome_date = koers_participant_get_outcome_date (self);
  if (outcome_date != NULL && *outcome_date != '\0')
    {
      if (outcome == KOERS_OUTCOME_UNKNOWN)
        add_error (errors, "outcome-date",
                   g_strdup (_("An outcome date needs an outcome; choose the outcome or "
                               "clear the date")));
      else
        check_date (errors, "outcome-date", outcome_date);
    }
  else if (outcome != KOERS_OUTCOME_UNKNOWN)
    add_error (errors, "outcome-date", g_strdup (_("Enter the date of the outcome")));

  /* The flow-on KPI is computed from outcomes: a completed trajectory must have one. */
  if (koers_participant_get_status (self) == KOERS_STATUS_COMPLETED
      && outcome == KOERS_OUTCOME_UNKNOWN)
    add_error (errors, "outcome", g_strdup (_("Record an outcome before completing")));

  return g_steal_pointer (&errors);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-participant.h"

#include <string.h>

#define TODAY_YEAR 2026

static KoersParticipant *
make_valid (void)
{
  KoersParticipant *p = koers_participant_new ();

  koers_participant_set_name (p, "Amina Haile");
  koers_participant_set_preferred_name (p, "ሰላም");
  koers_participant_set_birth_year (p, 1990);
  koers_participant_set_phone (p, "+31 (0)6-12345678");
  koers_participant_set_email (p, "amina@example.nl");
  koers_participant_set_languages (p, "Tigrinya, Arabic, English");
  koers_participant_set_interests (p, "Zorg\nLogistiek");
  koers_participant_set_project_line (p, 1);
  koers_participant_set_registered_on (p, "2026-02-01");
  koers_participant_set_next_action_date (p, "2026-03-01");
  return p;
}

/* Asserts that validating gives exactly one error, for @field, whose message holds @fragment. */
static void
assert_one_error (KoersParticipant *p, const char *field, const char *fragment)
{
  g_autoptr(GPtrArray) errors = koers_participant_validate (p, TODAY_YEAR);
  KoersFieldError *error;

  if (errors->len != 1)
    {
      for (guint i = 0; i < errors->len; i++)
        g_printerr ("  %s: %s\n", ((KoersFieldError *) errors->pdata[i])->field,
                    ((KoersFieldError *) errors->pdata[i])->message);
      g_error ("expected one error for %s, got %u", field, errors->len);
    }
  error = errors->pdata[0];
  g_assert_cmpstr (error->field, ==, field);
  if (strstr (error->message, fragment) == NULL)
    g_error ("%s: message “%s” lacks “%s”", field, error->message, fragment);
}

static void
test_valid (void)
{
  g_autoptr(KoersParticipant) p = make_valid ();
  g_autoptr(GPtrArray) errors = koers_participant_validate (p, TODAY_YEAR);

  g_assert_cmpuint (errors->len, ==, 0);
}

static void
test_name_rules (void)
{
  g_autoptr(KoersParticipant) p = make_valid ();
  g_autofree char *long_name = g_strnfill (KOERS_NAME_MAX_CHARS + 1, 'a');
  g_autofree char *max_name = g_strnfill (KOERS_NAME_MAX_CHARS, 'a');
  g_autoptr(GPtrArray) ok = NULL;

  koers_participant_set_name (p, NULL);
  assert_one_error (p, "name", "name");
  koers_participant_set_name (p, "  \xc2\xa0 ");
  assert_one_error (p, "name", "name");
  koers_participant_set_name (p, long_name);
  assert_one_error (p, "name", "201");
  koers_participant_set_name (p, "Anna\xe2\x80\xae" "reV");
  assert_one_error (p, "name", "U+202E");
  koers_participant_set_name (p, max_name);
  ok = koers_participant_validate (p, TODAY_YEAR);
  g_assert_cmpuint (ok->len, ==, 0);

  koers_participant_set_preferred_name (p, "Am\xe2\x80\x8bina");
  assert_one_error (p, "preferred-name", "U+200B");
  koers_participant_set_preferred_name (p, long_name);
  assert_one_error (p, "preferred-name", "200");
}

static void
test_birth_year (void)
{
  g_autoptr(KoersParticipant) p = make_valid ();
  g_autoptr(GPtrArray) errors = NULL;

  koers_participant_set_birth_year (p, 1899);
  assert_one_error (p, "birth-year", "between 1900 and 2012");
  koers_participant_set_birth_year (p, 2013);
  assert_one_error (p, "birth-year", "between 1900 and 2012");
  koers_participant_set_birth_year (p, 2012);
  errors = koers_participant_validate (p, TODAY_YEAR);
  g_assert_cmpuint (errors->len, ==, 0);
  g_clear_pointer (&errors, g_ptr_array_unref);
  koers_participant_set_birth_year (p, 0);
  errors = koers_participant_validate (p, TODAY_YEAR);
  g_assert_cmpuint (errors->len, ==, 0);
}

static void
test_phone_and_email (void)
{
  g_autoptr(KoersParticipant) p = make_valid ();

  koers_participant_set_phone (p, "06-1234567x");
  assert_one_error (p, "phone", "digits");
  koers_participant_set_phone (p, "12345");
  assert_one_error (p, "phone", "has 5");
  koers_participant_set_phone (p, "123456789012345678901");
  assert_one_error (p, "phone", "has 21");
  koers_participant_set_phone (p, "");

  koers_participant_set_email (p, "amina.example.nl");
  assert_one_error (p, "email", "@");
  koers_participant_set_email (p, "amina@@example.nl");
  assert_one_error (p, "email", "@");
  koers_participant_set_email (p, "amina@example");
  assert_one_error (p, "email", "dot");
  koers_participant_set_email (p, "amina @example.nl");
  assert_one_error (p, "email", "spaces");

  /* At most 254 characters (RFC 5321's path limit): 254 is taken, 255 refused. */
  {
    g_autoptr(GString) address = g_string_new ("a@");
    g_autoptr(GPtrArray) errors = NULL;

    while (address->len < 254 - strlen (".nl"))
      g_string_append_c (address, 'x');
    g_string_append (address, ".nl");
    g_assert_cmpuint (address->len, ==, 254);
    koers_participant_set_email (p, address->str);
    errors = koers_participant_validate (p, TODAY_YEAR);
    g_assert_cmpuint (errors->len, ==, 0);
    g_string_insert_c (address, 0, 'b');
    koers_participant_set_email (p, address->str);
    assert_one_error (p, "email", "255 characters, at most 254");
  }
  koers_participant_set_email (p, NULL);
}

static void
test_texts_and_dates (void)
{
  g_autoptr(KoersParticipant) p = make_valid ();
  g_autofree char *long_text = g_strnfill (KOERS_LONG_TEXT_MAX_CHARS + 1, 'x');

  koers_participant_set_ambitions (p, long_text);
  assert_one_error (p, "ambitions", "10000");
  koers_participant_set_ambitions (p, "Kok\x1b worden");
  assert_one_error (p, "ambitions", "U+001B");
  koers_participant_set_ambitions (p, NULL);

  koers_participant_set_languages (p, "Arabic\nDutch");
  assert_one_error (p, "languages", "U+000A");
  koers_participant_set_languages (p, NULL);

  koers_participant_set_registered_on (p, "2026-02-30");
  assert_one_error (p, "registered-on", "2026-02-30");
  koers_participant_set_registered_on (p, "2026-02-28");
  koers_participant_set_next_action_date (p, "1-3-2026");
  assert_one_error (p, "next-action-date", "YYYY-MM-DD");
}

/* A BSN-like number (nine digits passing the elfproef) in any text about a participant is
 * refused while typing, as the server refuses it; the message never repeats the number. Nine
 * digits that fail the elfproef, and a ten-digit mobile number, are fine. */
static void
test_bsn_like_refused (void)
{
  g_autoptr(KoersParticipant) p = make_valid ();
  g_autoptr(GPtrArray) errors = NULL;

  koers_participant_set_next_action (p, "Bel 111222333 terug");
  assert_one_error (p, "next-action", "BSN");
  koers_participant_set_next_action (p, "Bel 111222334 terug");
  errors = koers_participant_validate (p, TODAY_YEAR);
  g_assert_cmpuint (errors->len, ==, 0);
  g_clear_pointer (&errors, g_ptr_array_unref);

  koers_participant_set_ambitions (p, "Werk in de zorg,\nnummer 111222333");
  assert_one_error (p, "ambitions", "BSN");
  koers_participant_set_ambitions (p, NULL);

  koers_participant_set_phone (p, "111222333");
  assert_one_error (p, "phone", "BSN");
  errors = koers_participant_validate (p, TODAY_YEAR);
  g_assert_null (strstr (((KoersFieldError *) errors->pdata[0])->message, "111222333"));
  koers_participant_set_phone (p, "0612345678");
  g_clear_pointer (&errors, g_ptr_array_unref);
  errors = koers_participant_validate (p, TODAY_YEAR);
  g_assert_cmpuint (errors->len, ==, 0);
}

static void
test_outcome_and_status (void)
{
  g_autoptr(KoersParticipant) p = make_valid ();
  g_autoptr(GPtrArray) errors = NULL;

  koers_participant_set_outcome_date (p, "2026-09-01");
  assert_one_error (p, "outcome-date", "outcome");
  koers_participant_set_outcome (p, KOERS_OUTCOME_WORK);
  koers_participant_set_outcome_date (p, NULL);
  assert_one_error (p, "outcome-date", "date");
  koers_participant_set_outcome_date (p, "2026-09-31");
  assert_one_error (p, "outcome-date", "2026-09-31");
  koers_participant_set_outcome_date (p, "2026-09-30");
  koers_participant_set_status (p, KOERS_STATUS_COMPLETED);
  errors = koers_participant_validate (p, TODAY_YEAR);
  g_assert_cmpuint (errors->len, ==, 0);

  koers_participant_set_outcome (p, KOERS_OUTCOME_UNKNOWN);
  koers_participant_set_outcome_date (p, NULL);
  assert_one_error (p, "outcome", "Record an outcome");

  koers_participant_set_status (p, KOERS_STATUS_ACTIVE);
  koers_participant_set_project_line (p, 8);
  assert_one_error (p, "project-line", "7");
  koers_participant_set_project_line (p, -1);
  assert_one_error (p, "project-line", "7");
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_notify_once_per_change (void)
{
  g_autoptr(KoersParticipant) p = koers_participant_new ();
  guint name_notifies = 0, status_notifies = 0, need_notifies = 0, version_notifies = 0;

  g_signal_connect (p, "notify::name", G_CALLBACK (count_notify), &name_notifies);
  g_signal_connect (p, "notify::status", G_CALLBACK (count_notify), &status_notifies);
  g_signal_connect (p, "notify::digital-skills-need", G_CALLBACK (count_notify),
                    &need_notifies);
  g_signal_connect (p, "notify::version", G_CALLBACK (count_notify), &version_notifies);

  koers_participant_set_name (p, "Anna");
  koers_participant_set_name (p, "Anna");
  g_object_set (p, "name", "Anna", NULL);
  g_assert_cmpuint (name_notifies, ==, 1);
  g_object_set (p, "name", "Anne", NULL);
  g_assert_cmpuint (name_notifies, ==, 2);
  koers_participant_set_name (p, NULL);
  koers_participant_set_name (p, NULL);
  g_assert_cmpuint (name_notifies, ==, 3);

  koers_participant_set_status (p, KOERS_STATUS_REGISTERED); /* the default */
  g_assert_cmpuint (status_notifies, ==, 0);
  koers_participant_set_status (p, KOERS_STATUS_INTAKE);
  g_object_set (p, "status", (int) KOERS_STATUS_INTAKE, NULL);
  g_assert_cmpuint (status_notifies, ==, 1);

  koers_participant_set_digital_skills_need (p, TRUE);
  koers_participant_set_digital_skills_need (p, 2); /* still "true" */
  g_assert_cmpuint (need_notifies, ==, 1);

  koers_participant_set_version (p, 3);
  koers_participant_set_version (p, 3);
  g_assert_cmpuint (version_notifies, ==, 1);
}

static void
test_properties_and_copy (void)
{
  g_autoptr(KoersParticipant) p = make_valid ();
  g_autoptr(KoersParticipant) copy = NULL;
  g_autofree char *email = NULL;
  int birth_year = 0;
  guint n_props = 0;
  g_autofree GParamSpec **pspecs =
    g_object_class_list_properties (G_OBJECT_GET_CLASS (p), &n_props);

  g_assert_cmpuint (n_props, ==, 31);
  koers_participant_set_coach_id (p, "coach-1");
  koers_participant_set_civic_integration_duty (p, TRUE);
  koers_participant_set_dutch_level (p, KOERS_CEFR_A2);
  koers_participant_set_outcome (p, KOERS_OUTCOME_EDUCATION);
  koers_participant_set_version (p, 7);

  g_object_get (p, "email", &email, "birth-year", &birth_year, NULL);
  g_assert_cmpstr (email, ==, "amina@example.nl");
  g_assert_cmpint (birth_year, ==, 1990);

  copy = koers_participant_copy (p);
  for (guint i = 0; i < n_props; i++)
    {
      g_auto(GValue) a = G_VALUE_INIT;
      g_auto(GValue) b = G_VALUE_INIT;

      g_value_init (&a, pspecs[i]->value_type);
      g_value_init (&b, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (p), pspecs[i]->name, &a);
      g_object_get_property (G_OBJECT (copy), pspecs[i]->name, &b);
      g_assert_cmpint (g_param_values_cmp (pspecs[i], &a, &b), ==, 0);
    }

  /* Deep: editing the copy leaves the original alone. */
  koers_participant_set_name (copy, "Other");
  g_assert_cmpstr (koers_participant_get_name (p), ==, "Amina Haile");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/participant/validate/valid", test_valid);
  g_test_add_func ("/participant/validate/name", test_name_rules);
  g_test_add_func ("/participant/validate/birth-year", test_birth_year);
  g_test_add_func ("/participant/validate/phone-email", test_phone_and_email);
  g_test_add_func ("/participant/validate/texts-dates", test_texts_and_dates);
  g_test_add_func ("/participant/validate/bsn-like", test_bsn_like_refused);
  g_test_add_func ("/participant/validate/outcome-status", test_outcome_and_status);
  g_test_add_func ("/participant/notify", test_notify_once_per_change);
  g_test_add_func ("/participant/copy", test_properties_and_copy);

  return g_test_run ();
}

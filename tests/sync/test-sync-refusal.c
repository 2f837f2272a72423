/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A refused change's reason code: the wire codes, the specification's list of them, and what
 * the Conflicts page says for each (koers-sync-refusal-text.c). */
#include "config.h"

#include "core/koers-i18n.h"
#include "core/koers-sync-refusal.h"
#include "sync/koers-sync-review.h"

#include "koers-test-helpers.h"

#include <string.h>

static void
test_codes_round_trip (void)
{
  for (guint i = 1; i < KOERS_SYNC_REFUSAL_N; i++)
    {
      const char *code = koers_sync_refusal_to_code (i);

      g_assert_nonnull (code);
      g_assert_cmpint (koers_sync_refusal_from_code (code), ==, i);
    }
  g_assert_null (koers_sync_refusal_to_code (KOERS_SYNC_REFUSAL_UNKNOWN));
  g_assert_cmpint (koers_sync_refusal_from_code (NULL), ==, KOERS_SYNC_REFUSAL_UNKNOWN);
  /* A newer server's code: unknown here, so the server's sentence is shown. */
  g_assert_cmpint (koers_sync_refusal_from_code ("nieuweCode"), ==, KOERS_SYNC_REFUSAL_UNKNOWN);
  g_assert_cmpint (koers_sync_refusal_from_code (""), ==, KOERS_SYNC_REFUSAL_UNKNOWN);
}

static gboolean
client_only (KoersSyncRefusal refusal)
{
  return refusal == KOERS_SYNC_REFUSAL_OUT_OF_SCOPE || refusal == KOERS_SYNC_REFUSAL_ERASED_HERE;
}

/* @schema's member redenCode is the one list of codes, RedenCode, and nothing besides. */
static void
assert_refers_to_codes (JsonObject *schemas, const char *schema)
{
  JsonObject *code = json_object_get_object_member (
                       json_object_get_object_member (
                         json_object_get_object_member (schemas, schema), "properties"),
                       "redenCode");
  JsonArray *all = json_object_get_array_member (code, "allOf");

  g_assert_cmpuint (json_array_get_length (all), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (all, 0), "$ref"),
                   ==, "#/components/schemas/RedenCode");
  g_assert_false (json_object_has_member (code, "enum"));
}

/* The specification lists exactly the codes a server sends, once, for the sync results and
 * the entity resources' problems alike: a code added on one side only fails here. */
static void
test_spec_lists_server_codes (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("KOERS_TEST_SOURCE_ROOT"), "data", "api",
                                            "openapi.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *schemas;
  JsonArray *values;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  schemas = json_object_get_object_member (
              json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                             "components"), "schemas");
  assert_refers_to_codes (schemas, "MutatieResultaat");
  assert_refers_to_codes (schemas, "Probleem");
  values = json_object_get_array_member (json_object_get_object_member (schemas, "RedenCode"),
                                         "enum");
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      const char *value = json_array_get_string_element (values, i);

      g_assert_cmpint (koers_sync_refusal_from_code (value), !=, KOERS_SYNC_REFUSAL_UNKNOWN);
      g_assert_false (client_only (koers_sync_refusal_from_code (value)));
      g_hash_table_add (listed, (gpointer) value);
    }
  for (guint i = 1; i < KOERS_SYNC_REFUSAL_N; i++)
    if (!client_only (i))
      g_assert_true (g_hash_table_contains (listed, koers_sync_refusal_to_code (i)));
  g_assert_cmpuint (g_hash_table_size (listed), ==, KOERS_SYNC_REFUSAL_N - 3);
}

static KoersSyncQuarantined *
refused (KoersSyncRefusal refusal, const char *action, const char *field, const char *diff)
{
  KoersSyncQuarantined *item = g_new0 (KoersSyncQuarantined, 1);

  item->entity = g_strdup ("deelnemers");
  item->action = g_strdup (action);
  item->refusal = refusal;
  item->field = g_strdup (field);
  item->reason = g_strdup ("coachId: alleen een ondersteuner mag dat");
  if (diff != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (diff, NULL);

      item->diff = json_object_ref (json_node_get_object (node));
    }
  return item;
}

/* Every code the user can meet is said in the user's language (this run's $LANGUAGE), names
 * a field by its label, and never repeats the server's Dutch sentence or its wire names. */
static void
test_texts (void)
{
  gboolean dutch = koers_locale_style_current () == KOERS_LOCALE_STYLE_NL;

  for (guint i = 1; i < KOERS_SYNC_REFUSAL_N; i++)
    {
      g_autoptr(KoersSyncQuarantined) item = refused (i, "wijzigen", "coachId", NULL);
      g_autofree char *text = koers_sync_quarantined_reason_text (item);

      if (i == KOERS_SYNC_REFUSAL_MALFORMED)
        {
          /* A client's own fault: the server's words are the useful ones. */
          g_assert_null (text);
          continue;
        }
      g_assert_nonnull (text);
      g_assert_cmpuint (strlen (text), >, 10);
      g_assert_null (strstr (text, "coachId"));
      g_assert_null (strstr (text, "alleen een ondersteuner mag dat"));
      /* Dutch words in an English or Arabic sentence: the server's, not the user's. */
      if (!dutch)
        {
          g_assert_null (strstr (text, "ondersteuner"));
          g_assert_null (strstr (text, "deelnemers"));
        }
      /* And this run is in its language indeed, not English by a missing catalogue. */
      if (i == KOERS_SYNC_REFUSAL_SUPPORT_ONLY)
        g_assert_cmpint (g_str_equal (text, "Only support staff may move a participant to "
                                            "another coach"),
                         ==, koers_locale_style_current () == KOERS_LOCALE_STYLE_EN);
    }
  /* A field code without a field this build declares says too little: the server's sentence
   * is shown instead of "the field  ". */
  for (guint i = KOERS_SYNC_REFUSAL_UNKNOWN_FIELD; i <= KOERS_SYNC_REFUSAL_FIXED_FIELD; i++)
    {
      g_autoptr(KoersSyncQuarantined) item = refused (i, "oplossen", NULL, NULL);
      g_autofree char *text = koers_sync_quarantined_reason_text (item);

      g_assert_null (text);
    }
  {
    g_autoptr(KoersSyncQuarantined) item = refused (KOERS_SYNC_REFUSAL_UNKNOWN, "wijzigen",
                                                    NULL, NULL);
    g_autofree char *text = koers_sync_quarantined_reason_text (item);

    g_assert_null (text);
  }
}

/* An invalid value is explained as the field's own check explains it while typing. */
static void
test_invalid_value (void)
{
  g_autoptr(KoersSyncQuarantined) year = refused (KOERS_SYNC_REFUSAL_INVALID_VALUE, "wijzigen",
                                                  "geboortejaar",
                                                  "{\"geboortejaar\": {\"was\": 1990, "
                                                  "\"wordt\": 1492}}");
  g_autoptr(KoersSyncQuarantined) cross = refused (KOERS_SYNC_REFUSAL_INVALID_VALUE, "wijzigen",
                                                   "geboortejaar",
                                                   "{\"geboortejaar\": {\"was\": 1990, "
                                                   "\"wordt\": 1991}}");
  g_autoptr(KoersSyncQuarantined) no_field = refused (KOERS_SYNC_REFUSAL_INVALID_VALUE,
                                                      "aanmaken", NULL, NULL);
  g_autoptr(KoersSyncQuarantined) left_out = refused (KOERS_SYNC_REFUSAL_INVALID_VALUE,
                                                      "aanmaken", "naam",
                                                      "{\"gemeente\": {\"was\": null, "
                                                      "\"wordt\": \"aalten\"}}");
  g_autoptr(KoersSyncQuarantined) moved = refused (KOERS_SYNC_REFUSAL_SUPPORT_ONLY, "wijzigen",
                                                   "coachId", NULL);
  g_autoptr(KoersSyncQuarantined) erase = refused (KOERS_SYNC_REFUSAL_SUPPORT_ONLY, "wissen",
                                                   NULL, NULL);
  g_autoptr(KoersSyncQuarantined) fixed = refused (KOERS_SYNC_REFUSAL_FIXED_FIELD, "wijzigen",
                                                   "naam", NULL);
  g_autofree char *year_text = koers_sync_quarantined_reason_text (year);
  g_autofree char *cross_text = koers_sync_quarantined_reason_text (cross);
  g_autofree char *no_field_text = koers_sync_quarantined_reason_text (no_field);
  g_autofree char *left_out_text = koers_sync_quarantined_reason_text (left_out);
  g_autofree char *moved_text = koers_sync_quarantined_reason_text (moved);
  g_autofree char *erase_text = koers_sync_quarantined_reason_text (erase);
  g_autofree char *fixed_text = koers_sync_quarantined_reason_text (fixed);

  g_assert_true (g_str_has_prefix (year_text, "Birth year: enter a whole number from "));
  /* Fine by this build's check (a rule across fields, or a newer server's rule). */
  g_assert_cmpstr (cross_text, ==, "The server did not accept the value of Birth year");
  g_assert_cmpstr (no_field_text, ==, "The server did not accept one of the values");
  /* A required field left out of a new record. */
  g_assert_cmpstr (left_out_text, ==, "Name: a value is required");
  g_assert_cmpstr (moved_text, ==, "Only support staff may move a participant to another coach");
  g_assert_cmpstr (erase_text, ==, "Only support staff may erase a participant’s data");
  g_assert_cmpstr (fixed_text, ==, "Name cannot change once the record exists");
}

int
main (int argc, char **argv)
{
  koers_i18n_init ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/refusal/codes-round-trip", test_codes_round_trip);
  g_test_add_func ("/sync/refusal/spec-lists-server-codes", test_spec_lists_server_codes);
  g_test_add_func ("/sync/refusal/texts", test_texts);
  /* The exact English sentences; the nl and ar runs check the texts above. */
  if (koers_locale_style_current () == KOERS_LOCALE_STYLE_EN)
    g_test_add_func ("/sync/refusal/invalid-value", test_invalid_value);
  return g_test_run ();
}

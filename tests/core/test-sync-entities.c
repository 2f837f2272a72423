/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/koers-sync-entities.h"

#include <string.h>

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonNode *
parse_value (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_lookup (void)
{
  guint n = 0;
  const KoersSyncEntity *all = koers_sync_entities (&n);
  const KoersSyncEntity *participants = koers_sync_entity_lookup ("deelnemers");

  g_assert_cmpuint (n, ==, 7);
  g_assert_nonnull (all);
  g_assert_nonnull (participants);
  g_assert_cmpint (participants->kind, ==, KOERS_SYNC_ENTITY_MERGEABLE);
  g_assert_null (participants->parent_field);
  g_assert_cmpint (koers_sync_entity_lookup ("notities")->kind, ==,
                   KOERS_SYNC_ENTITY_APPEND_ONLY);
  g_assert_cmpint (koers_sync_entity_lookup ("statuswijzigingen")->kind, ==,
                   KOERS_SYNC_ENTITY_APPEND_ONLY);
  g_assert_cmpint (koers_sync_entity_lookup ("conflicten")->kind, ==,
                   KOERS_SYNC_ENTITY_SERVER_MADE);
  g_assert_null (koers_sync_entity_lookup ("participants"));
  g_assert_null (koers_sync_entity_lookup (NULL));
  g_assert_cmpint (koers_sync_entity_field (participants, "status")->merge, ==,
                   KOERS_SYNC_MERGE_STATE);
  g_assert_null (koers_sync_entity_field (participants, "bsn"));
  /* Every enum field got its vocabulary. */
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < all[i].n_fields; j++)
      if (all[i].fields[j].type == KOERS_SYNC_FIELD_ENUM)
        g_assert_nonnull (all[i].fields[j].enum_ids);
}

typedef struct {
  const char *entity;
  const char *field;
  const char *value;   /* JSON */
  gboolean    ok;
} FieldCase;

static void
test_field_check (void)
{
  static const FieldCase cases[] = {
    { "deelnemers", "naam", "\"Fatima el Amrani\"", TRUE },
    { "deelnemers", "naam", "\"\"", FALSE },
    { "deelnemers", "naam", "null", FALSE },
    { "deelnemers", "naam", "42", FALSE },
    { "deelnemers", "naam", "\"a\\nb\"", FALSE },
    { "deelnemers", "naam", "\" Anna\"", FALSE },
    { "deelnemers", "naam", "\"A\\u200bnna\"", FALSE },
    /* "é" as e + combining accent is not NFC. */
    { "deelnemers", "naam", "\"Rene\\u0301\"", FALSE },
    { "deelnemers", "roepnaam", "null", TRUE },
    { "deelnemers", "geboortejaar", "0", TRUE },
    { "deelnemers", "geboortejaar", "1985", TRUE },
    { "deelnemers", "geboortejaar", "1850", FALSE },
    { "deelnemers", "geboortejaar", "2201", FALSE },
    { "deelnemers", "geboortejaar", "1985.5", FALSE },
    { "deelnemers", "geboortejaar", "\"1985\"", FALSE },
    { "deelnemers", "gemeente", "\"doetinchem\"", TRUE },
    { "deelnemers", "gemeente", "\"Doetinchem\"", FALSE },
    { "deelnemers", "inburgeringsplicht", "true", TRUE },
    { "deelnemers", "inburgeringsplicht", "1", FALSE },
    { "deelnemers", "coachId", "\"6f1c2a4e-0c1d-4b8a-9a3e-2f6a0d1b7c55\"", TRUE },
    { "deelnemers", "coachId", "\"6F1C2A4E-0C1D-4B8A-9A3E-2F6A0D1B7C55\"", FALSE },
    { "deelnemers", "coachId", "\"coach-1\"", FALSE },
    { "deelnemers", "status", "\"active\"", TRUE },
    { "deelnemers", "status", "\"actief\"", FALSE },
    { "deelnemers", "aanmeldDatum", "\"2026-02-29\"", FALSE },
    { "deelnemers", "aanmeldDatum", "\"2028-02-29\"", TRUE },
    { "deelnemers", "projectlijn", "8", FALSE },
    { "deelnemers", "ambities", "\"regel 1\\nregel 2\"", TRUE },
    { "deelnemers", "naam", "[\"x\"]", FALSE },
    { "notities", "tekst", "\"regel 1\\nregel 2\"", TRUE },
    { "notities", "revisie", "0", FALSE },
    { "vaardigheden", "iscoCode", "\"2512\"", TRUE },
    { "vaardigheden", "iscoCode", "\"25a2\"", FALSE },
    { "vaardigheden", "iscoCode", "\"251\"", FALSE },
    { "conflicten", "basis", "{\"a\": [1]}", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const KoersSyncEntity *entity = koers_sync_entity_lookup (cases[i].entity);
      const KoersSyncField *field = koers_sync_entity_field (entity, cases[i].field);
      g_autoptr(JsonNode) value = parse_value (cases[i].value);
      g_autofree char *reason = NULL;
      gboolean ok;

      g_assert_nonnull (field);
      ok = koers_sync_field_check (field, value, &reason);
      if (ok != cases[i].ok)
        g_error ("case %u (%s = %s): expected %s", i, cases[i].field, cases[i].value,
                 cases[i].ok ? "ok" : "refusal");
      g_assert_true ((reason == NULL) == ok);
    }
}

/* A reason is shown to users and logged: it must never repeat the value. */
static void
test_reason_has_no_value (void)
{
  const KoersSyncEntity *participants = koers_sync_entity_lookup ("deelnemers");
  g_autoptr(JsonNode) value = parse_value ("\"Geheimenaam\\u202e\"");
  g_autofree char *reason = NULL;

  g_assert_false (koers_sync_field_check (koers_sync_entity_field (participants, "naam"),
                                          value, &reason));
  g_assert_null (strstr (reason, "Geheimenaam"));
}

typedef struct {
  const char *entity;
  const char *json;
  const char *bad_field;   /* NULL: valid */
} RecordCase;

static void
test_record_check (void)
{
  static const RecordCase cases[] = {
    { "deelnemers", "{\"naam\": \"Anna\", \"gemeente\": \"aalten\", \"doelgroep\": \"nug\"}",
      NULL },
    { "deelnemers", "{\"naam\": \"Anna\", \"doelgroep\": \"nug\"}", "gemeente" },
    { "deelnemers", "{\"naam\": \"Anna\", \"gemeente\": \"aalten\", \"doelgroep\": \"nug\", "
                    "\"bsn\": \"123\"}", "bsn" },
    { "activiteiten", "{\"deelnemerId\": \"6f1c2a4e-0c1d-4b8a-9a3e-2f6a0d1b7c55\", "
                      "\"soort\": \"proeverij\", \"titel\": \"Zorg\", \"sector\": \"zorg\"}",
      NULL },
    { "activiteiten", "{\"deelnemerId\": \"6f1c2a4e-0c1d-4b8a-9a3e-2f6a0d1b7c55\", "
                      "\"soort\": \"training\", \"titel\": \"X\", \"sector\": \"zorg\"}",
      "sector" },
    { "activiteiten", "{\"deelnemerId\": \"6f1c2a4e-0c1d-4b8a-9a3e-2f6a0d1b7c55\", "
                      "\"soort\": \"training\", \"titel\": \"X\", \"nlqfNiveau\": 3}",
      "nlqfNiveau" },
    { "activiteiten", "{\"deelnemerId\": \"6f1c2a4e-0c1d-4b8a-9a3e-2f6a0d1b7c55\", "
                      "\"soort\": \"training\", \"titel\": \"X\", \"startDatum\": \"2026-03-01\", "
                      "\"eindDatum\": \"2026-02-01\"}", "eindDatum" },
    { "toestemmingen", "{\"deelnemerId\": \"6f1c2a4e-0c1d-4b8a-9a3e-2f6a0d1b7c55\", "
                       "\"reikwijdte\": \"programme\", \"gegevenDatum\": \"2026-03-01\", "
                       "\"ingetrokkenDatum\": \"2026-02-01\"}", "ingetrokkenDatum" },
    { "notities", "{\"deelnemerId\": \"6f1c2a4e-0c1d-4b8a-9a3e-2f6a0d1b7c55\", "
                  "\"soort\": \"phone\", \"datum\": \"2026-03-01\", \"tekst\": \"Gebeld\"}", NULL },
    { "notities", "{\"deelnemerId\": \"6f1c2a4e-0c1d-4b8a-9a3e-2f6a0d1b7c55\", "
                  "\"soort\": \"phone\", \"datum\": \"2026-03-01\", \"tekst\": \"Gebeld\", "
                  "\"revisie\": 2}", "revisieVan" },
    { "notities", "{\"soort\": \"phone\", \"datum\": \"2026-03-01\", \"tekst\": \"Gebeld\"}",
      "deelnemerId" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) fields = parse_object (cases[i].json);
      const char *field = NULL;
      g_autofree char *reason = NULL;
      gboolean ok = koers_sync_record_check (koers_sync_entity_lookup (cases[i].entity), fields,
                                             &field, &reason);

      if (ok != (cases[i].bad_field == NULL))
        g_error ("case %u: expected %s", i, cases[i].bad_field ? cases[i].bad_field : "ok");
      g_assert_cmpstr (field, ==, cases[i].bad_field);
      g_assert_true ((reason == NULL) == ok);
    }
}

/* The values the server writes into a conflict record pass the declaration, so a client that
 * checks what it receives keeps them. */
static void
test_conflict_fields (void)
{
  const KoersSyncEntity *conflicts = koers_sync_entity_lookup ("conflicten");
  struct { const char *field; const char *json; gboolean ok; } cases[] = {
    { "entiteit", "\"deelnemers\"", TRUE },
    { "veld", "\"telefoon\"", TRUE },
    { "veld", "\"_verwijderd\"", TRUE },
    { "serverOp", "\"2026-11-28T09:15:00Z\"", TRUE },
    { "keuze", "\"mijn\"", TRUE },
    { "keuze", "\"bewerkt\"", TRUE },
    { "keuze", "\"alles\"", FALSE },
    { "veld", "\"\"", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) value = parse_value (cases[i].json);
      g_autofree char *reason = NULL;
      const KoersSyncField *field = koers_sync_entity_field (conflicts, cases[i].field);

      g_assert_nonnull (field);
      g_assert_cmpint (koers_sync_field_check (field, value, &reason), ==, cases[i].ok);
      g_assert_true ((reason == NULL) == cases[i].ok);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync-entities/lookup", test_lookup);
  g_test_add_func ("/sync-entities/field-check", test_field_check);
  g_test_add_func ("/sync-entities/reason-has-no-value", test_reason_has_no_value);
  g_test_add_func ("/sync-entities/record-check", test_record_check);
  g_test_add_func ("/sync-entities/conflict-fields", test_conflict_fields);
  return g_test_run ();
}

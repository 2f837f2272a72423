/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-import-vocabulary.c: matching the closed vocabularies and the coaches of an import
 * (KoersImportMapper, koers-import-private.h). Partners write the vocabularies in Dutch or
 * English, with any case, accents or punctuation ("Oost-Gelre", "OUDE IJSSELSTREEK",
 * "Statushouder", "afgerond"), so values are matched on the same key as headers
 * (koers_csv_header_key); each distinct spelling is folded once per import.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-import-private.h"

#include "core/koers-csv-header.h"
#include "core/koers-enums.h"

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

static const Synonym outcome_words[] = {
  { "werk", KOERS_OUTCOME_WORK },
  { "betaaldwerk", KOERS_OUTCOME_WORK },
  { "baan", KOERS_OUTCOME_WORK },
  { "opleiding", KOERS_OUTCOME_EDUCATION },
  { "onderwijs", KOERS_OUTCOME_EDUCATION },
  { "scholing", KOERS_OUTCOME_EDUCATION },
  { "werkleerplek", KOERS_OUTCOME_WORK_LEARNING },
  { "leerwerkplek", KOERS_OUTCOME_WORK_LEARNING },
  { "werkleertraject", KOERS_OUTCOME_WORK_LEARNING },
  { "geen", KOERS_OUTCOME_NONE },
  { "geenuitstroom", KOERS_OUTCOME_NONE },
  { "onbekend", KOERS_OUTCOME_UNKNOWN },
};

static const Synonym level_words[] = {
  { "onbekend", KOERS_CEFR_UNKNOWN },
};

/* Adapters: the vocabularies take their own enum types. */
static const char *municipality_id (int v) { return koers_municipality_to_id (v); }
static const char *municipality_label (int v) { return koers_municipality_label (v); }
static const char *target_group_id (int v) { return koers_target_group_to_id (v); }
static const char *target_group_label (int v) { return koers_target_group_label (v); }
static const char *status_id (int v) { return koers_status_to_id (v); }
static const char *status_label (int v) { return koers_status_label (v); }
static const char *level_id (int v) { return koers_cefr_level_to_id (v); }
static const char *level_label (int v) { return koers_cefr_level_label (v); }
static const char *outcome_id (int v) { return koers_outcome_to_id (v); }
static const char *outcome_label (int v) { return koers_outcome_label (v); }

static const struct {
  guint          n;
  const char  *(*to_id) (int);
  const char  *(*label) (int);
  const Synonym *words;
  gsize          n_words;
} vocabularies[KOERS_IMPORT_N_VOCABULARIES] = {
  [KOERS_IMPORT_VOCABULARY_MUNICIPALITY] = {
    KOERS_N_MUNICIPALITIES, municipality_id, municipality_label, NULL, 0 },
  [KOERS_IMPORT_VOCABULARY_TARGET_GROUP] = {
    KOERS_N_TARGET_GROUPS, target_group_id, target_group_label, target_group_words,
    G_N_ELEMENTS (target_group_words) },
  [KOERS_IMPORT_VOCABULARY_STATUS] = {
    KOERS_N_STATUSES, status_id, status_label, status_words, G_N_ELEMENTS (status_words) },
  [KOERS_IMPORT_VOCABULARY_LEVEL] = {
    KOERS_N_CEFR_LEVELS, level_id, level_label, level_words, G_N_ELEMENTS (level_words) },
  [KOERS_IMPORT_VOCABULARY_OUTCOME] = {
    KOERS_N_OUTCOMES, outcome_id, outcome_label, outcome_words, G_N_ELEMENTS (outcome_words) },
};

/* Distinct values remembered per vocabulary: a real file has a few dozen spellings; a hostile
 * one with a million distinct values stops being cached here, not growing memory. */
#define MAX_CACHED_VALUES 4096

/* A coach's name whose matching key two coaches share. */
#define AMBIGUOUS_COACH ((Coach *) GINT_TO_POINTER (1))

typedef struct {
  char *id;
  char *organisation_id;
} Coach;

struct _KoersImportMapper {
  GHashTable *keys[KOERS_IMPORT_N_VOCABULARIES];    /* matching key -> value + 1 */
  /* value as written -> value + 1, 0 for no match */
  GHashTable *values[KOERS_IMPORT_N_VOCABULARIES];
  GHashTable *coaches;                 /* (nullable) name's matching key -> Coach */
};

static void
coach_free (gpointer data)
{
  Coach *coach = data;

  if (coach == NULL || coach == AMBIGUOUS_COACH)
    return;
  g_free (coach->id);
  g_free (coach->organisation_id);
  g_free (coach);
}

gboolean
koers_import_mapper_load_coaches (KoersImportMapper *mapper, KoersDatabase *db, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (mapper != NULL, FALSE);
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  g_clear_pointer (&mapper->coaches, g_hash_table_unref);
  mapper->coaches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, coach_free);
  stmt = koers_database_prepare (db, "SELECT id, organisation_id, name FROM coach "
                                     "WHERE deleted = 0 ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  while (koers_database_step (db, stmt, &has_row, &local) && has_row)
    {
      char *key = koers_csv_header_key (koers_column_text (stmt, 2));
      Coach *coach;

      if (*key == '\0')
        {
          g_free (key);
          continue;
        }
      if (g_hash_table_contains (mapper->coaches, key))
        {
          g_hash_table_replace (mapper->coaches, key, AMBIGUOUS_COACH);
          continue;
        }
      coach = g_new0 (Coach, 1);
      coach->id = g_strdup (koers_column_text (stmt, 0));
      coach->organisation_id = g_strdup (koers_column_text (stmt, 1));
      g_hash_table_insert (mapper->coaches, key, coach);
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

KoersImportMapper *
koers_import_mapper_new (void)
{
  KoersImportMapper *mapper = g_new0 (KoersImportMapper, 1);

  for (int v = 0; v < KOERS_IMPORT_N_VOCABULARIES; v++)
    {
      mapper->keys[v] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      mapper->values[v] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      /* The first candidate with a key wins, in the order the matching always used: each
       * value's identifier and label, then the Dutch words. */
      for (guint i = 0; i < vocabularies[v].n; i++)
        {
          const char *texts[] = { vocabularies[v].to_id ((int) i),
                                  vocabularies[v].label ((int) i) };

          for (gsize t = 0; t < G_N_ELEMENTS (texts); t++)
            {
              char *key = koers_csv_header_key (texts[t]);

              if (*key == '\0' || g_hash_table_contains (mapper->keys[v], key))
                g_free (key);
              else
                g_hash_table_insert (mapper->keys[v], key, GINT_TO_POINTER ((int) i + 1));
            }
        }
      for (gsize i = 0; i < vocabularies[v].n_words; i++)
        if (!g_hash_table_contains (mapper->keys[v], vocabularies[v].words[i].key))
          g_hash_table_insert (mapper->keys[v], g_strdup (vocabularies[v].words[i].key),
                               GINT_TO_POINTER (vocabularies[v].words[i].value + 1));
    }
  return mapper;
}

void
koers_import_mapper_free (KoersImportMapper *mapper)
{
  if (mapper == NULL)
    return;
  for (int v = 0; v < KOERS_IMPORT_N_VOCABULARIES; v++)
    {
      g_hash_table_unref (mapper->keys[v]);
      g_hash_table_unref (mapper->values[v]);
    }
  g_clear_pointer (&mapper->coaches, g_hash_table_unref);
  g_free (mapper);
}

/* Matches @value against a vocabulary: its identifiers, its labels (in the user's language)
 * and its Dutch words, on the matching key. -1 when nothing matches. */
int
koers_import_mapper_match (KoersImportMapper     *mapper,
                           KoersImportVocabulary  vocabulary,
                           const char            *value)
{
  gpointer found = NULL;
  g_autofree char *key = NULL;
  int result;

  if (g_hash_table_lookup_extended (mapper->values[vocabulary], value, NULL, &found))
    return GPOINTER_TO_INT (found) - 1;
  key = koers_csv_header_key (value);
  result = *key == '\0' ? -1
           : GPOINTER_TO_INT (g_hash_table_lookup (mapper->keys[vocabulary], key)) - 1;
  if (g_hash_table_size (mapper->values[vocabulary]) < MAX_CACHED_VALUES)
    g_hash_table_insert (mapper->values[vocabulary], g_strdup (value),
                         GINT_TO_POINTER (result + 1));
  return result;
}

KoersImportCoachMatch
koers_import_mapper_find_coach (KoersImportMapper *mapper,
                                const char        *name,
                                const char       **out_id,
                                const char       **out_organisation_id)
{
  g_autofree char *key = NULL;
  Coach *coach;

  if (mapper->coaches == NULL)
    return KOERS_IMPORT_COACH_NOT_LOADED;
  key = koers_csv_header_key (name);
  coach = g_hash_table_lookup (mapper->coaches, key);
  if (coach == AMBIGUOUS_COACH)
    return KOERS_IMPORT_COACH_AMBIGUOUS;
  if (coach == NULL)
    return KOERS_IMPORT_COACH_UNKNOWN;
  *out_id = coach->id;
  *out_organisation_id = coach->organisation_id;
  return KOERS_IMPORT_COACH_FOUND;
}

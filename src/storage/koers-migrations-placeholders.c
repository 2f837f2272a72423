/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The schema SQL's vocabulary placeholders ("@STATUS@", "@STATUS:column@", "@STATUS_RANK@",
 * ...), filled from koers-enums.c so each identifier is spelled in one place.
 */
#include "config.h"

#include "storage/koers-migrations-private.h"

#include "core/koers-enums.h"

#include <sqlite3.h>
#include <string.h>

static void
append_id (GString *list, guint i, const char *id)
{
  char *quoted = sqlite3_mprintf ("%Q", id);

  g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", quoted);
  sqlite3_free (quoted);
}

static void
append_rank (GString *list, const char *column, guint i, guint n, const char *id)
{
  char *quoted = sqlite3_mprintf ("%Q", id);

  if (i == 0)
    g_string_append_printf (list, "CASE %s", column);
  g_string_append_printf (list, " WHEN %s THEN %u", quoted, i);
  if (i + 1 == n)
    g_string_append (list, " END");
  sqlite3_free (quoted);
}

static void
replace (GString *sql, const char *placeholder, GString *value)
{
  g_string_replace (sql, placeholder, value->str, 0);
  g_string_free (value, TRUE);
}

/* "@NAME:column@" -> "(column = 'a' OR column = 'b' ...)": the v6 form of a vocabulary check
 * (see migration 6). */
static void
expand_one_of (GString *sql, const char *name, const char *(*to_id) (int), guint n,
               gboolean (*keep) (int))
{
  g_autofree char *prefix = g_strdup_printf ("@%s:", name);
  const char *found;

  while ((found = strstr (sql->str, prefix)) != NULL)
    {
      gsize start = (gsize) (found - sql->str);
      const char *column = found + strlen (prefix);
      const char *end = strchr (column, '@');
      g_autofree char *col = NULL;
      GString *expr = g_string_new ("(");
      guint n_terms = 0;

      g_assert (end != NULL);
      col = g_strndup (column, (gsize) (end - column));
      for (guint i = 0; i < n; i++)
        {
          char *quoted;

          if (keep != NULL && !keep ((int) i))
            continue;
          quoted = sqlite3_mprintf ("%Q", to_id ((int) i));
          g_string_append_printf (expr, "%s%s = %s", n_terms++ > 0 ? " OR " : "", col, quoted);
          sqlite3_free (quoted);
        }
      g_string_append_c (expr, ')');
      g_string_erase (sql, (gssize) start, (gssize) (end + 1 - found));
      g_string_insert (sql, (gssize) start, expr->str);
      g_string_free (expr, TRUE);
    }
}

static const char *one_of_status (int v) { return koers_status_to_id (v); }
static const char *one_of_target_group (int v) { return koers_target_group_to_id (v); }
static const char *one_of_municipality (int v) { return koers_municipality_to_id (v); }
static const char *one_of_outcome (int v) { return koers_outcome_to_id (v); }
static const char *one_of_activity_kind (int v) { return koers_activity_kind_to_id (v); }
static const char *one_of_sector (int v) { return koers_sector_to_id (v); }
static const char *one_of_cefr (int v) { return koers_cefr_level_to_id (v); }
static const char *one_of_consent_scope (int v) { return koers_consent_scope_to_id (v); }
static const char *one_of_note_kind (int v) { return koers_note_kind_to_id (v); }
static gboolean is_credential (int v) { return koers_activity_kind_is_credential (v); }

/* The CHECK lists come from the vocabularies so the identifiers are spelled in one place
 * (koers-enums.c); a vocabulary only ever grows, so a re-run of an old step stays valid. */
char *
koers_migrations_expand_placeholders (const char *template)
{
  GString *sql = g_string_new (template);
  GString *list;
  guint i;

  expand_one_of (sql, "STATUS", one_of_status, KOERS_N_STATUSES, NULL);
  expand_one_of (sql, "TARGET_GROUP", one_of_target_group, KOERS_N_TARGET_GROUPS, NULL);
  expand_one_of (sql, "MUNICIPALITY", one_of_municipality, KOERS_N_MUNICIPALITIES, NULL);
  expand_one_of (sql, "OUTCOME", one_of_outcome, KOERS_N_OUTCOMES, NULL);
  expand_one_of (sql, "ACTIVITY_KIND", one_of_activity_kind, KOERS_N_ACTIVITY_KINDS, NULL);
  expand_one_of (sql, "CREDENTIAL_KIND", one_of_activity_kind, KOERS_N_ACTIVITY_KINDS,
                 is_credential);
  expand_one_of (sql, "SECTOR", one_of_sector, KOERS_N_SECTORS, NULL);
  expand_one_of (sql, "CEFR", one_of_cefr, KOERS_N_CEFR_LEVELS, NULL);
  expand_one_of (sql, "CONSENT_SCOPE", one_of_consent_scope, KOERS_N_CONSENT_SCOPES, NULL);
  expand_one_of (sql, "NOTE_KIND", one_of_note_kind, KOERS_N_NOTE_KINDS, NULL);

#define ID_LIST(placeholder, to_id, n) \
  list = g_string_new (NULL); \
  for (i = 0; i < (n); i++) \
    append_id (list, i, to_id (i)); \
  replace (sql, placeholder, list)

  ID_LIST ("@STATUS@", koers_status_to_id, KOERS_N_STATUSES);
  ID_LIST ("@TARGET_GROUP@", koers_target_group_to_id, KOERS_N_TARGET_GROUPS);
  ID_LIST ("@MUNICIPALITY@", koers_municipality_to_id, KOERS_N_MUNICIPALITIES);
  ID_LIST ("@OUTCOME@", koers_outcome_to_id, KOERS_N_OUTCOMES);
  ID_LIST ("@ACTIVITY_KIND@", koers_activity_kind_to_id, KOERS_N_ACTIVITY_KINDS);
  ID_LIST ("@SECTOR@", koers_sector_to_id, KOERS_N_SECTORS);
  ID_LIST ("@CEFR@", koers_cefr_level_to_id, KOERS_N_CEFR_LEVELS);
  ID_LIST ("@CONSENT_SCOPE@", koers_consent_scope_to_id, KOERS_N_CONSENT_SCOPES);
  ID_LIST ("@NOTE_KIND@", koers_note_kind_to_id, KOERS_N_NOTE_KINDS);
#undef ID_LIST

  list = g_string_new (NULL);
  for (i = 0; i < KOERS_N_STATUSES; i++)
    append_rank (list, "status", i, KOERS_N_STATUSES, koers_status_to_id (i));
  replace (sql, "@STATUS_RANK@", list);

  list = g_string_new (NULL);
  for (i = 0; i < KOERS_N_TARGET_GROUPS; i++)
    append_rank (list, "target_group", i, KOERS_N_TARGET_GROUPS, koers_target_group_to_id (i));
  replace (sql, "@TARGET_GROUP_RANK@", list);

  list = g_string_new (NULL);
  for (i = 0; i < KOERS_N_ACTIVITY_KINDS; i++)
    if (koers_activity_kind_is_credential (i))
      append_id (list, list->len > 0 ? 1 : 0, koers_activity_kind_to_id (i));
  replace (sql, "@CREDENTIAL_KIND@", list);

  list = g_string_new (NULL);
  append_id (list, 0, koers_activity_kind_to_id (KOERS_ACTIVITY_PROEVERIJ));
  replace (sql, "@PROEVERIJ@", list);

  return g_string_free (sql, FALSE);
}

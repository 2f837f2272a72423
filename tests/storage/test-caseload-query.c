/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "storage/koers-participant-repository.h"

#include "storage-test-util.h"

#include <string.h>

typedef struct {
  const char       *name;
  const char       *preferred;
  KoersMunicipality municipality;
  KoersTargetGroup  group;
  KoersStatus       status;
  int               coach;   /* 0 none, 1 "Anna", 2 "Bert" */
  int               line;
  const char       *next;
} Person;

/* Statuses are reached through the workflow, so the fixture walks each person there. */
static const Person people[] = {
  { "Özlem Yılmaz", NULL, KOERS_MUNICIPALITY_DOETINCHEM, KOERS_TARGET_GROUP_CAREER_SWITCHER,
    KOERS_STATUS_ACTIVE, 1, 1, "2026-03-01" },
  { "محمد العلي", "Mo", KOERS_MUNICIPALITY_AALTEN, KOERS_TARGET_GROUP_STATUSHOLDER,
    KOERS_STATUS_INTAKE, 2, 1, NULL },
  { "Jan de Vries", NULL, KOERS_MUNICIPALITY_WINTERSWIJK, KOERS_TARGET_GROUP_NUG,
    KOERS_STATUS_REGISTERED, 0, 0, "2026-02-01" },
  { "Anouk Jansen", "Noek", KOERS_MUNICIPALITY_DOETINCHEM, KOERS_TARGET_GROUP_WORKER_RESKILLING,
    KOERS_STATUS_AFTERCARE, 1, 3, "2026-04-15" },
  { "Émile Dubois", NULL, KOERS_MUNICIPALITY_BERKELLAND, KOERS_TARGET_GROUP_LABOUR_MIGRANT,
    KOERS_STATUS_REGISTERED, 2, 1, NULL },
  { "Weggehaald Persoon", NULL, KOERS_MUNICIPALITY_AALTEN, KOERS_TARGET_GROUP_NUG,
    KOERS_STATUS_REGISTERED, 1, 1, "2026-01-01" },
};
#define N_PEOPLE G_N_ELEMENTS (people)
#define DELETED 5

typedef struct {
  KoersDatabase *db;
  char          *anna;
  char          *bert;
  gint64         rowids[N_PEOPLE];
} Fixture;

static void
walk_to (KoersDatabase *db, KoersParticipant *p, KoersStatus target)
{
  static const KoersStatus path[] = { KOERS_STATUS_INTAKE, KOERS_STATUS_ACTIVE,
                                      KOERS_STATUS_AFTERCARE };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (path) && koers_participant_get_status (p) != target; i++)
    {
      koers_participant_set_status (p, path[i]);
      g_assert_true (koers_participant_repository_update (db, p, TEST_ACTOR, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->db = storage_test_open (NULL);
  f->anna = storage_test_insert_coach (f->db, "Anna");
  f->bert = storage_test_insert_coach (f->db, "bert");
  for (guint i = 0; i < N_PEOPLE; i++)
    {
      g_autoptr(KoersParticipant) p = storage_test_participant (people[i].name);

      koers_participant_set_preferred_name (p, people[i].preferred);
      koers_participant_set_municipality (p, people[i].municipality);
      koers_participant_set_target_group (p, people[i].group);
      koers_participant_set_coach_id (p, people[i].coach == 1 ? f->anna
                                         : people[i].coach == 2 ? f->bert : NULL);
      koers_participant_set_project_line (p, people[i].line);
      koers_participant_set_next_action_date (p, people[i].next);
      g_assert_true (koers_participant_repository_insert (f->db, p, TEST_ACTOR, &error));
      g_assert_no_error (error);
      walk_to (f->db, p, people[i].status);
      f->rowids[i] = storage_test_query_int (f->db, "SELECT max(seq) FROM participant");
      if (i == DELETED)
        g_assert_true (koers_participant_repository_set_deleted (f->db,
                                                                 koers_participant_get_id (p),
                                                                 TRUE, TEST_ACTOR, &error));
    }
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->db);
  g_free (f->anna);
  g_free (f->bert);
}

/* The query's result as a string of fixture indices, e.g. "0,3". */
static char *
run (Fixture *f, KoersCaseloadQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = koers_participant_repository_query_rowids (f->db, query, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < rowids->len; i++)
    for (guint j = 0; j < N_PEOPLE; j++)
      if (f->rowids[j] == g_array_index (rowids, gint64, i))
        g_string_append_printf (out, "%s%u", out->len > 0 ? "," : "", j);
  return g_string_free (out, FALSE);
}

#define CHECK(expected) G_STMT_START { g_autofree char *r_ = run (f, &query); \
    g_assert_cmpstr (r_, ==, expected); } G_STMT_END

static void
test_filters (Fixture *f, gconstpointer data)
{
  KoersCaseloadQuery query;

  koers_caseload_query_init (&query);
  /* Default sort is by folded name; the deleted one never shows. */
  CHECK ("3,4,2,0,1");
  query.status = KOERS_STATUS_REGISTERED;
  CHECK ("4,2");
  query.status = -1;
  query.target_group = KOERS_TARGET_GROUP_NUG;
  CHECK ("2");
  query.target_group = -1;
  query.municipality = KOERS_MUNICIPALITY_DOETINCHEM;
  CHECK ("3,0");
  query.municipality = -1;
  query.project_line = 1;
  CHECK ("4,0,1");
  query.project_line = 0;
  query.coach_id = g_strdup (f->bert);
  CHECK ("4,1");

  /* Combined. */
  query.project_line = 1;
  query.status = KOERS_STATUS_INTAKE;
  CHECK ("1");
  g_clear_pointer (&query.coach_id, g_free);
  query.status = -1;
  query.municipality = KOERS_MUNICIPALITY_DOETINCHEM;
  CHECK ("0");
  query.status = KOERS_STATUS_INTAKE;
  CHECK ("");
  koers_caseload_query_clear (&query);
}

static void
test_sort (Fixture *f, gconstpointer data)
{
  static const struct {
    KoersCaseloadSort sort;
    const char       *ascending;
    const char       *descending;
  } cases[] = {
    { KOERS_CASELOAD_SORT_NAME, "3,4,2,0,1", "1,0,2,4,3" },
    { KOERS_CASELOAD_SORT_MUNICIPALITY, "1,4,3,0,2", "2,3,0,4,1" },
    { KOERS_CASELOAD_SORT_TARGET_GROUP, "1,4,2,3,0", "0,3,2,4,1" },
    { KOERS_CASELOAD_SORT_STATUS, "4,2,1,0,3", "3,0,1,4,2" },
    /* Case-insensitive coach names; no coach last both ways. */
    { KOERS_CASELOAD_SORT_COACH, "3,0,4,1,2", "4,1,3,0,2" },
    /* No next action date last both ways. */
    { KOERS_CASELOAD_SORT_NEXT_ACTION, "2,0,3,4,1", "3,0,2,4,1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KoersCaseloadQuery query;

      koers_caseload_query_init (&query);
      query.sort = cases[i].sort;
      CHECK (cases[i].ascending);
      query.descending = TRUE;
      CHECK (cases[i].descending);
      koers_caseload_query_clear (&query);
    }
}

/* (transfer none) the connection's prepared caseload query that orders by @order_by. */
static sqlite3_stmt *
find_statement (KoersDatabase *db, const char *order_by)
{
  sqlite3 *handle = koers_database_get_handle (db);

  for (sqlite3_stmt *stmt = sqlite3_next_stmt (handle, NULL); stmt != NULL;
       stmt = sqlite3_next_stmt (handle, stmt))
    if (strstr (sqlite3_sql (stmt), "SELECT p.seq FROM participant p") != NULL
        && strstr (sqlite3_sql (stmt), order_by) != NULL)
      return stmt;
  return NULL;
}

/* Clicking a column header at 100,000 participants must not sort them: the whole list in the
 * column's order (name last, as ties are broken) is read from one index, which SQLite's own
 * sort counter shows. Only the coach, whose name lives in another table, needs a sort. */
static void
test_sort_from_index (Fixture *f, gconstpointer data)
{
  static const struct {
    KoersCaseloadSort sort;
    const char       *order_by;
  } cases[] = {
    { KOERS_CASELOAD_SORT_NAME, "ORDER BY p.name_key, p.seq" },
    { KOERS_CASELOAD_SORT_MUNICIPALITY, "ORDER BY p.municipality, p.name_key" },
    { KOERS_CASELOAD_SORT_TARGET_GROUP, "ORDER BY p.target_group_rank, p.name_key" },
    { KOERS_CASELOAD_SORT_STATUS, "ORDER BY p.status_rank, p.name_key" },
    { KOERS_CASELOAD_SORT_NEXT_ACTION, "ORDER BY p.next_action_date NULLS LAST, p.name_key" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KoersCaseloadQuery query;
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) rowids = NULL;
      sqlite3_stmt *stmt;

      koers_caseload_query_init (&query);
      query.sort = cases[i].sort;
      rowids = koers_participant_repository_query_rowids (f->db, &query, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rowids->len, ==, N_PEOPLE - 1);
      stmt = find_statement (f->db, cases[i].order_by);
      g_assert_nonnull (stmt);
      if (sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_SORT, TRUE) != 0)
        g_error ("the caseload sorted by “%s” was sorted, not read in order", cases[i].order_by);
      koers_caseload_query_clear (&query);
    }
}

/* (transfer full) SQLite's plan for @stmt's SQL, one line a step. */
static char *
query_plan (KoersDatabase *db, sqlite3_stmt *stmt)
{
  g_autofree char *sql = g_strconcat ("EXPLAIN QUERY PLAN ", sqlite3_sql (stmt), NULL);
  GString *plan = g_string_new (NULL);
  sqlite3_stmt *explain = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (koers_database_get_handle (db), sql, -1, &explain, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (explain) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (explain, 3));
  sqlite3_finalize (explain);
  return g_string_free (plan, FALSE);
}

/* Choosing a status, target group, municipality, project line or coach at 100,000
 * participants must not read the whole list in name order to test each row: the filter and
 * the name order come from the filter's own index, found by the value, and nothing is
 * sorted. */
static void
test_filter_from_index (Fixture *f, gconstpointer data)
{
  static const struct {
    int         status;
    int         target_group;
    int         municipality;
    const char *where;
    const char *index;
    guint       matches;
  } cases[] = {
    { KOERS_STATUS_REGISTERED, -1, -1, "AND p.status",
      "participant_status (deleted=? AND status_rank=?)", 2 },
    { -1, KOERS_TARGET_GROUP_NUG, -1, "AND p.target_group",
      "participant_target_group (deleted=? AND target_group_rank=?)", 1 },
    { -1, -1, KOERS_MUNICIPALITY_DOETINCHEM, "AND p.municipality",
      "participant_municipality (deleted=? AND municipality=?)", 2 },
    /* The project line and the coach: see below. */
    { -1, -1, -1, "AND p.project_line", "participant_project_line (deleted=? AND project_line=?)",
      3 },
    { -1, -1, -1, "AND p.coach_id", "participant_coach (coach_id=? AND deleted=?)", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KoersCaseloadQuery query;
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) rowids = NULL;
      g_autofree char *plan = NULL;
      sqlite3_stmt *stmt;

      koers_caseload_query_init (&query);
      query.status = cases[i].status;
      query.target_group = cases[i].target_group;
      query.municipality = cases[i].municipality;
      if (i == 3)
        query.project_line = 1;
      if (i == 4)
        query.coach_id = g_strdup (f->anna);
      rowids = koers_participant_repository_query_rowids (f->db, &query, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rowids->len, ==, cases[i].matches);
      stmt = find_statement (f->db, cases[i].where);
      g_assert_nonnull (stmt);
      plan = query_plan (f->db, stmt);
      if (strstr (plan, cases[i].index) == NULL || strstr (plan, "TEMP B-TREE") != NULL)
        g_error ("the caseload filtered by “%s” is not read from %s:\n%s", cases[i].where,
                 cases[i].index, plan);
      koers_caseload_query_clear (&query);
    }
}

/* A filtered list sorted by another column is the filter's rows, sorted: the same order as
 * ever, read from the filter's index rather than by walking the sort column's whole index. */
static void
test_filter_then_sort (Fixture *f, gconstpointer data)
{
  KoersCaseloadQuery query;
  g_autofree char *plan = NULL;
  sqlite3_stmt *stmt;

  koers_caseload_query_init (&query);
  query.municipality = KOERS_MUNICIPALITY_DOETINCHEM;
  query.sort = KOERS_CASELOAD_SORT_NEXT_ACTION;
  CHECK ("0,3");
  stmt = find_statement (f->db, "ORDER BY +p.next_action_date NULLS LAST");
  g_assert_nonnull (stmt);
  plan = query_plan (f->db, stmt);
  if (strstr (plan, "participant_municipality (deleted=? AND municipality=?)") == NULL)
    g_error ("a municipality sorted by next action is not read from its index:\n%s", plan);
  query.descending = TRUE;
  CHECK ("3,0");

  /* No next action last, both ways; ties by name. */
  query.municipality = -1;
  query.status = KOERS_STATUS_REGISTERED;
  CHECK ("2,4");
  query.descending = FALSE;
  CHECK ("2,4");
  query.status = -1;
  query.coach_id = g_strdup (f->bert);
  CHECK ("4,1");

  /* Sorted by the filter's own column: its index gives both, no "+". */
  g_clear_pointer (&query.coach_id, g_free);
  query.status = KOERS_STATUS_REGISTERED;
  query.sort = KOERS_CASELOAD_SORT_STATUS;
  CHECK ("4,2");
  g_assert_nonnull (find_statement (f->db, "ORDER BY p.status_rank, p.name_key"));
  koers_caseload_query_clear (&query);
}

static void
test_search (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *text;
    const char *expected;
  } cases[] = {
    { "ozl", "0" },          /* without the accent */
    { "ÖZLEM", "0" },        /* upper case with */
    { "lem yıl", "0" },      /* across a space, dotless i */
    { "yilm", "0" },
    { "jans", "3" },
    { "noek", "3" },         /* the preferred name */
    { "محمد", "1" },
    { "مُحَمَّد", "1" },      /* with diacritics */
    { "العلي", "1" },
    { "م", "1" },            /* one letter */
    /* One or two letters match the start of a word, not any substring. */
    { "ja", "3,2" },         /* Jansen, Jan */
    { "MO", "1" },           /* the preferred name */
    { "de", "2" },
    { "vr", "2" },           /* the third word of "Jan de Vries" */
    { "ri", "" },            /* inside a word: not yet */
    { "rie", "2" },          /* three letters: any substring */
    { "e", "4" },            /* Émile, not every name with an e */
    { "wegge", "" },         /* deleted */
    { "%", "" },
    { "_", "" },
    { "\"", "" },
    { "", "3,4,2,0,1" },
    { "   ", "3,4,2,0,1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KoersCaseloadQuery query;

      koers_caseload_query_init (&query);
      query.search = g_strdup (cases[i].text);
      g_test_message ("search “%s”", cases[i].text);
      CHECK (cases[i].expected);
      koers_caseload_query_clear (&query);
    }
}

static void
test_load_rows (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 rowids[] = { f->rowids[1], 999999, f->rowids[0] };
  g_autoptr(GPtrArray) rows = koers_participant_repository_load_rows (f->db, rowids, 3, &error);
  KoersCaseloadRow *row;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (koers_caseload_row_get_name (row), ==, "محمد العلي");
  g_assert_cmpstr (koers_caseload_row_get_coach_name (row), ==, "bert");
  g_assert_cmpint (koers_caseload_row_get_status (row), ==, KOERS_STATUS_INTAKE);
  g_assert_cmpint (koers_caseload_row_get_municipality (row), ==, KOERS_MUNICIPALITY_AALTEN);
  g_assert_null (koers_caseload_row_get_next_action_date (row));
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (koers_caseload_row_get_id (row), ==, "");
  row = g_ptr_array_index (rows, 2);
  g_assert_cmpstr (koers_caseload_row_get_name (row), ==, "Özlem Yılmaz");
  g_assert_cmpint (koers_caseload_row_get_target_group (row), ==,
                   KOERS_TARGET_GROUP_CAREER_SWITCHER);
  g_assert_cmpstr (koers_caseload_row_get_next_action_date (row), ==, "2026-03-01");
  g_assert_cmpint (koers_caseload_row_get_rowid (row), ==, f->rowids[0]);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("KOERS_TODAY", "2026-06-15", TRUE);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/caseload-query/filters", test_filters);
  ADD ("/caseload-query/sort", test_sort);
  ADD ("/caseload-query/sort-from-index", test_sort_from_index);
  ADD ("/caseload-query/filter-from-index", test_filter_from_index);
  ADD ("/caseload-query/filter-then-sort", test_filter_then_sort);
  ADD ("/caseload-query/search", test_search);
  ADD ("/caseload-query/load-rows", test_load_rows);
#undef ADD

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-caseload-query.h"

static void
test_query_copy_equal (void)
{
  KoersCaseloadQuery a, b;

  koers_caseload_query_init (&a);
  koers_caseload_query_init (&b);
  g_assert_cmpint (a.status, ==, -1);
  g_assert_true (koers_caseload_query_equal (&a, &b));

  /* An empty search and no search are the same query: no reload when a search box is cleared. */
  a.search = g_strdup ("");
  g_assert_true (koers_caseload_query_equal (&a, &b));

  g_free (a.search);
  a.search = g_strdup ("özdemir");
  a.coach_id = g_strdup ("coach-1");
  a.municipality = KOERS_MUNICIPALITY_WINTERSWIJK;
  a.sort = KOERS_CASELOAD_SORT_NEXT_ACTION;
  g_assert_false (koers_caseload_query_equal (&a, &b));

  koers_caseload_query_copy (&b, &a);
  g_assert_true (koers_caseload_query_equal (&a, &b));
  g_assert_true (a.search != b.search);

  b.descending = TRUE;
  g_assert_false (koers_caseload_query_equal (&a, &b));
  b.descending = FALSE;
  g_free (b.coach_id);
  b.coach_id = NULL;
  g_assert_false (koers_caseload_query_equal (&a, &b));

  koers_caseload_query_clear (&a);
  koers_caseload_query_clear (&b);
  g_assert_null (a.search);
  g_assert_true (koers_caseload_query_equal (&a, &b));
}

static void
test_row (void)
{
  g_autoptr(KoersCaseloadRow) row =
    koers_caseload_row_new (42, "id-1", "Amina Haile", KOERS_MUNICIPALITY_AALTEN,
                            KOERS_TARGET_GROUP_NUG, KOERS_STATUS_ACTIVE, "Coach", "2026-03-01");
  g_autofree char *name = NULL;
  int status = -1;
  gint64 rowid = 0;
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (row), "name");

  g_assert_cmpint (koers_caseload_row_get_rowid (row), ==, 42);
  g_assert_cmpstr (koers_caseload_row_get_id (row), ==, "id-1");
  g_assert_cmpstr (koers_caseload_row_get_name (row), ==, "Amina Haile");
  g_assert_cmpint (koers_caseload_row_get_municipality (row), ==, KOERS_MUNICIPALITY_AALTEN);
  g_assert_cmpint (koers_caseload_row_get_target_group (row), ==, KOERS_TARGET_GROUP_NUG);
  g_assert_cmpint (koers_caseload_row_get_status (row), ==, KOERS_STATUS_ACTIVE);
  g_assert_cmpstr (koers_caseload_row_get_coach_name (row), ==, "Coach");
  g_assert_cmpstr (koers_caseload_row_get_next_action_date (row), ==, "2026-03-01");

  /* Views bind to the properties. */
  g_object_get (row, "name", &name, "status", &status, "rowid", &rowid, NULL);
  g_assert_cmpstr (name, ==, "Amina Haile");
  g_assert_cmpint (status, ==, KOERS_STATUS_ACTIVE);
  g_assert_cmpint (rowid, ==, 42);
  /* Immutable: written only at construction. */
  g_assert_true (pspec->flags & G_PARAM_CONSTRUCT_ONLY);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/caseload-query/copy-equal", test_query_copy_equal);
  g_test_add_func ("/caseload-query/row", test_row);

  return g_test_run ();
}

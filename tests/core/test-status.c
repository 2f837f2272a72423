/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-status.h"

#include <string.h>

#define R KOERS_STATUS_REGISTERED
#define I KOERS_STATUS_INTAKE
#define A KOERS_STATUS_ACTIVE
#define F KOERS_STATUS_AFTERCARE
#define C KOERS_STATUS_COMPLETED
#define D KOERS_STATUS_DROPPED_OUT

/* allowed[from][to] with an outcome recorded; the diagonal is "no change", always allowed. */
static const gboolean allowed[KOERS_N_STATUSES][KOERS_N_STATUSES] = {
  /*            R      I      A      F      C      D   */
  [R] = { TRUE,  TRUE,  FALSE, FALSE, FALSE, TRUE  },
  [I] = { FALSE, TRUE,  TRUE,  FALSE, FALSE, TRUE  },
  [A] = { FALSE, FALSE, TRUE,  TRUE,  TRUE,  TRUE  },
  [F] = { FALSE, FALSE, FALSE, TRUE,  TRUE,  TRUE  },
  [C] = { FALSE, FALSE, FALSE, FALSE, TRUE,  FALSE },
  [D] = { FALSE, FALSE, FALSE, FALSE, FALSE, TRUE  },
};

static void
test_matrix (void)
{
  for (guint from = 0; from < KOERS_N_STATUSES; from++)
    for (guint to = 0; to < KOERS_N_STATUSES; to++)
      {
        char *reason = NULL;
        gboolean ok = koers_status_check_transition (from, to, KOERS_OUTCOME_WORK, &reason);

        if (ok != allowed[from][to])
          g_error ("%s -> %s: expected %s", koers_status_to_id (from), koers_status_to_id (to),
                   allowed[from][to] ? "allowed" : "refused");
        if (ok)
          g_assert_null (reason);
        else
          g_assert_true (reason != NULL && *reason != '\0');
        g_free (reason);
      }
}

static void
test_next_matches_matrix (void)
{
  for (guint from = 0; from < KOERS_N_STATUSES; from++)
    {
      guint n = 0;
      const KoersStatus *next = koers_status_next (from, &n);
      guint expected = 0;

      for (guint to = 0; to < KOERS_N_STATUSES; to++)
        if (to != from && allowed[from][to])
          expected++;
      g_assert_cmpuint (n, ==, expected);
      for (guint i = 0; i < n; i++)
        g_assert_true (allowed[from][next[i]] && next[i] != from);
      g_assert_cmpint (koers_status_is_final (from), ==, n == 0);
    }
}

static void
test_outcome_required_to_complete (void)
{
  char *reason = NULL;

  g_assert_false (koers_status_check_transition (A, C, KOERS_OUTCOME_UNKNOWN, &reason));
  g_assert_cmpstr (reason, ==, "Record an outcome before completing");
  g_clear_pointer (&reason, g_free);
  g_assert_false (koers_status_check_transition (F, C, KOERS_OUTCOME_UNKNOWN, NULL));
  /* "No flow-on" is a recorded outcome. */
  g_assert_true (koers_status_check_transition (F, C, KOERS_OUTCOME_NONE, NULL));
  /* Dropping out needs no outcome. */
  g_assert_true (koers_status_check_transition (I, D, KOERS_OUTCOME_UNKNOWN, NULL));
}

static void
test_reasons_are_specific (void)
{
  char *reason = NULL;

  g_assert_false (koers_status_check_transition (C, A, KOERS_OUTCOME_WORK, &reason));
  g_assert_cmpstr (reason, ==, "A completed trajectory cannot change status");
  g_clear_pointer (&reason, g_free);
  g_assert_false (koers_status_check_transition (I, C, KOERS_OUTCOME_WORK, &reason));
  g_assert_cmpstr (reason, ==, "From intake the next step is active or dropped out");
  g_clear_pointer (&reason, g_free);
  g_assert_false (koers_status_check_transition (D, A, KOERS_OUTCOME_UNKNOWN, &reason));
  g_assert_nonnull (strstr (reason, "dropped out"));
  g_clear_pointer (&reason, g_free);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/status/matrix", test_matrix);
  g_test_add_func ("/status/next", test_next_matches_matrix);
  g_test_add_func ("/status/outcome-required", test_outcome_required_to_complete);
  g_test_add_func ("/status/reasons", test_reasons_are_specific);

  return g_test_run ();
}

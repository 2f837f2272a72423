/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-bsn.h"

static void
test_elfproef (void)
{
  /* 111222333: 9+8+7 + 12+10+8 + 9+6 - 3 = 66, divisible by 11. */
  g_assert_true (koers_bsn_is_elfproef ("123456782"));  /* the classic test number */
  g_assert_true (koers_bsn_is_elfproef ("111222333"));
  g_assert_false (koers_bsn_is_elfproef ("123456789"));
  g_assert_false (koers_bsn_is_elfproef ("000000000"));
  g_assert_false (koers_bsn_is_elfproef ("12345678"));
  g_assert_false (koers_bsn_is_elfproef ("1234567820"));
  g_assert_false (koers_bsn_is_elfproef ("12345678a"));
}

static void
test_find (void)
{
  const char *text = "Belde op 0612345678, BSN 123456782 genoemd";
  const char *hit = koers_text_find_bsn_like (text);

  g_assert_nonnull (hit);
  g_assert_cmpint (hit - text, ==, 25);
  g_assert_nonnull (koers_text_find_bsn_like ("123456782"));
  g_assert_nonnull (koers_text_find_bsn_like ("nr:111222333."));
  /* Part of a longer number: a phone number or IBAN, not a BSN. */
  g_assert_null (koers_text_find_bsn_like ("1234567820"));
  g_assert_null (koers_text_find_bsn_like ("0123456782"));
  g_assert_null (koers_text_find_bsn_like ("123456789 failed elfproef"));
  g_assert_null (koers_text_find_bsn_like ("000000000"));
  g_assert_null (koers_text_find_bsn_like (""));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bsn/elfproef", test_elfproef);
  g_test_add_func ("/bsn/find", test_find);

  return g_test_run ();
}

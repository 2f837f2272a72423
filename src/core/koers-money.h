/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-money.h: amounts are gint64 euro cents, never floating point (budgets must add up to
 * the cent, as the plan's annexes are audited).
 */
#pragma once

#include <glib.h>

#include "core/koers-i18n.h"

G_BEGIN_DECLS

#define KOERS_MONEY_ERROR (koers_money_error_quark ())
typedef enum {
  KOERS_MONEY_ERROR_EMPTY,
  KOERS_MONEY_ERROR_MALFORMED,
  KOERS_MONEY_ERROR_AMBIGUOUS,
  KOERS_MONEY_ERROR_TOO_MANY_DECIMALS,
  KOERS_MONEY_ERROR_OVERFLOW,
} KoersMoneyError;

GQuark   koers_money_error_quark (void);

/* Returns (transfer full): nl "€ 1.234,56" / "€ -1.234,56"; en "€1,234.56" / "-€1,234.56";
 * ar as en, isolated left-to-right (U+2066 ... U+2069) for right-to-left text. */
char    *koers_money_format (gint64 cents, KoersLocaleStyle style);
/**
 * koers_money_parse:
 * @text: what the user typed, e.g. nl "1234", "1.234,56", "€ 12,5", "-3,10"; en "1,234.56"
 * @style: whose separators to expect (ar: as en; Arabic-Indic digits are accepted too)
 * @out_cents: (out): the amount
 *
 * Thousands separators must group by three; at most two decimals; anything else (a decimal
 * point in Dutch style, "1.5", "12,345" in Dutch) is refused with a message saying what to
 * write instead. Amounts beyond gint64 cents are refused.
 */
gboolean koers_money_parse (const char *text, KoersLocaleStyle style, gint64 *out_cents,
                            GError **error);

G_END_DECLS

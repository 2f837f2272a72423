/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-bsn.h: recognising a Dutch citizen service number (BSN) so Koers can refuse to store
 * one. The programme has no legal ground to process BSNs (RELIABILITY.md, "Privacy").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @nine_digits is exactly nine ASCII digits, not all zero, passing the elfproef
 * (9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11). */
gboolean    koers_bsn_is_elfproef (const char *nine_digits);
/* Returns (transfer none) (nullable): a pointer into @text at the first standalone run of
 * exactly nine digits (no digit directly before or after) that passes the elfproef, or NULL.
 * Digits separated by spaces or dots are not recognised. */
const char *koers_text_find_bsn_like (const char *text);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-migrations-private.h: shared by the migration steps (koers-migrations.c) and the
 * expansion of their vocabulary placeholders (koers-migrations-placeholders.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns (transfer full) @template with every vocabulary placeholder replaced: "@NAME@" by the
 * quoted ids, "@NAME:column@" by "(column = 'a' OR ...)", "@STATUS_RANK@" and
 * "@TARGET_GROUP_RANK@" by CASE expressions of the plan's order. */
char *koers_migrations_expand_placeholders (const char *template);

G_END_DECLS

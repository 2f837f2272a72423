/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-database-private.h: helpers the repositories share; not for use outside src/storage. */
#pragma once

#include "storage/koers-database.h"

G_BEGIN_DECLS

/* Sets @error from SQLite result @rc (CONSTRAINT, CORRUPT, OPEN or SQL), prefixed by @context. */
void koers_database_set_error (KoersDatabase *self, int rc, GError **error, const char *context);

G_END_DECLS

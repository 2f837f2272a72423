/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-migrations.h: the schema's history, one numbered step per PRAGMA user_version.
 *
 * Each step runs in its own transaction together with the user_version update, so a failed step
 * leaves the file exactly at the previous version. Steps are never edited once released: a
 * change to the schema is a new step.
 */
#pragma once

#include "storage/koers-database.h"

G_BEGIN_DECLS

typedef struct {
  int         version;  /* user_version after this step */
  const char *sql;      /* run first; may hold @PLACEHOLDERS@ for the vocabularies */
  /* optional, run after @sql in the same transaction (data fixes SQL cannot express) */
  gboolean  (*func) (KoersDatabase *db, GError **error);
  /* the step rebuilds tables other tables refer to: it runs with foreign key enforcement off
   * (SQLite's documented way to change a table's definition) and ends with
   * PRAGMA foreign_key_check, so it cannot commit a dangling reference */
  gboolean    rebuilds_tables;
} KoersMigrationStep;

/* The highest version the built-in steps reach. */
int      koers_migrations_latest_version (void);

/**
 * koers_migrations_run_to:
 * @target: the version to reach; steps above it are not run
 *
 * Runs the built-in steps after the file's current user_version up to @target.
 * Returns: %FALSE with KOERS_DATABASE_ERROR_MIGRATION when a step failed (that step rolled back).
 */
gboolean koers_migrations_run_to (KoersDatabase *db, int target, GError **error);

/**
 * koers_migrations_apply:
 * @steps: (array length=n_steps): steps in ascending version order
 *
 * Runs @steps after the file's current user_version up to @target; what
 * koers_migrations_run_to() does with the built-in table. Exposed so tests can add a failing step.
 */
gboolean koers_migrations_apply (KoersDatabase *db, const KoersMigrationStep *steps,
                                 guint n_steps, int target, GError **error);

/* (transfer none): the built-in steps; *out_n set. */
const KoersMigrationStep *koers_migrations_get_steps (guint *out_n);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-application-util.h: driving a real KoersApplication in test-application.c: run it on a
 * temporary $KOERS_DATABASE, find the windows and messages a coach would see, and make, damage
 * and inspect caseloads on disk.
 */
#pragma once

#include <adwaita.h>

#include "app/koers-application-private.h"
#include "window/koers-window.h"

G_BEGIN_DECLS

#define WAIT_MS 10000
#define TODAY   "2026-11-28"
#define DEMO_N  200

typedef struct _Run Run;
typedef void (*RunBody) (Run *run);

struct _Run
{
  KoersApplication *app;
  char             *dir;         /* the caseload's folder */
  char             *db_path;     /* $KOERS_DATABASE: <dir>/koers.db */
  char             *backup_dir;  /* <dir>/backups */
  RunBody           body;
  gboolean          ran;
  /* Where app_test_damage_page() writes (set by app_test_make_caseload()). */
  guint             damaged_page;
  gsize             page_size;
};

typedef struct
{
  const char *path;
  void      (*func) (void);
} AppTestCase;

/* Runs each case in a subprocess of its own (KOERS_TODAY pinned to TODAY); main's whole body. */
int       app_test_run_cases (int *argc, char ***argv, const AppTestCase *cases, guint n_cases);

/* A file that is not a database at all. */
extern const char app_test_garbage[];

/* A fresh temporary folder, with $KOERS_DATABASE pointing into it (all freed after the test). */
void     app_test_run_init (Run *run);
/* Runs a NON_UNIQUE KoersApplication; @body runs once it activated and ends by closing the
 * windows (or by leaving one that the test expects to end the run). Asserts it exits with 0. */
void     app_test_run_app (Run *run, RunBody body);

/* The first shown toplevel of @type; for message dialogs the one with @heading (nullable). */
GtkWindow        *app_test_find_window (GType type, const char *heading);
guint             app_test_count_windows (GType type);
/* Waits (bounded) for app_test_find_window() to find one; returns it or %NULL. */
GtkWindow        *app_test_wait_for_window (GType type, const char *heading);
/* Waits (bounded) for the message dialog; fails the test when it does not appear. */
AdwMessageDialog *app_test_wait_for_message (const char *heading);
void              app_test_assert_body_has (AdwMessageDialog *dialog, const char *text);
KoersWindow      *app_test_wait_for_main_window (void);
/* Waits (bounded) for the main window's caseload to settle on @expected participants. */
void              app_test_assert_caseload_count (KoersWindow *window, guint expected);
void              app_test_close_all_windows (void);
/* Waits until the application's store ran all jobs queued so far and they reported back. */
void              app_test_wait_for_store (Run *run);

/* Returns (transfer full) */
GBytes   *app_test_read_bytes (const char *path);
gboolean  app_test_exists (const char *dir, const char *name);
gboolean  app_test_dir_is_empty (const char *path);
/* Returns (transfer full) (nullable): the "koers.db.corrupt-<timestamp>" in run->dir. */
char     *app_test_find_corrupt_copy (Run *run);
gint64    app_test_count_participants (const char *path);

/* The caseload at run->db_path: 200 demo participants, then Bea Backup, then Carl After (202).
 * With @backups, backups/koers-2026-11-20.db holds the 200 and koers-2026-11-27.db also Bea
 * (201). */
void      app_test_make_caseload (Run *run, gboolean backups);
/* Overwrites a page of notes (which the caseload does not read at start), leaving the header
 * and schema readable: only quick_check finds it. */
void      app_test_damage_page (Run *run);
gboolean  app_test_page_is_damaged (Run *run, const char *path);

G_END_DECLS

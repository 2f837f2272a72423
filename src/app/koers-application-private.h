/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-application-private.h: shared by koers-application.c, -actions.c and -first-start.c. */
#pragma once

#include "app/koers-application.h"
#include "app/koers-context.h"
#include "app/koers-store.h"
#include "window/koers-window.h"
#include "window/koers-welcome-window.h"

G_BEGIN_DECLS

struct _KoersApplication
{
  AdwApplication      parent_instance;

  GSettings          *settings;       /* (nullable): NULL when the schema is not installed */
  KoersContext       *context;        /* set once the main window runs on a database */
  KoersStore         *pending_store;  /* the new database while the welcome window decides */
  KoersWelcomeWindow *welcome;
  GCancellable       *demo_cancellable;
  char               *database_path;
  gboolean            started;        /* the user chose how to start: keep the new file */
  guint               backup_source; /* the daily backup, started once the caseload shows */
};

void     koers_application_install_actions (KoersApplication *self);

/* A message dialog over @parent, or the app's only window when @parent is NULL. */
void         koers_application_show_message (KoersApplication *self, GtkWindow *parent,
                                             const char *heading, const char *body);
/* Opens (checking and migrating) the caseload at the application's database path. */
KoersStore  *koers_application_open_store (KoersApplication *self, GError **error);
/* The main window on @store, with the daily backup scheduled. */
KoersWindow *koers_application_show_main_window (KoersApplication *self, KoersStore *store);

/* Ends the sync thread and closes its connection (shutdown, recovery, another caseload). */
void         koers_application_stop_sync (KoersApplication *self);

/* First start (koers-application-first-start.c). */
void         koers_application_show_welcome (KoersApplication *self);
/* A first start the user walked away from leaves no file. */
void         koers_application_remove_unchosen_database (KoersApplication *self);

/* Ends the wait before the daily backup now and runs its due check, as the end of the
 * BACKUP_DELAY_SECONDS delay would: lets tests check the backup without waiting. Does nothing
 * when no backup is waiting (no main window yet, or it already ran). Returns TRUE when a backup
 * was started. */
gboolean koers_application_run_daily_backup_now (KoersApplication *self);

G_END_DECLS
